//! Diff two normalized APIs: what a version bump changes, and what it breaks
//! for code that uses the generated crate.
//!
//! Operations are matched by method and path template (parameter names
//! aside). Types are compared structurally, by walking from each operation's
//! parameters, body and responses through both APIs in parallel, so a schema
//! moved behind a `$ref`, renamed, or extracted from an inline schema into a
//! component reports nothing. Each change gets a severity from the table in
//! [`rules`] (docs/diff-rules.md), by direction: what the client sends
//! (parameters, request bodies) or what it reads (responses).

mod api;
mod ops;
pub mod render;
mod returns;
pub mod rules;
mod rust;
mod walk;

use crate::ir::Api;
use crate::surface::Surface;
pub use rules::Kind;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Breaking,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Breaking => "breaking",
        }
    }
}

/// Which way the affected part travels, seen from the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Dir {
    /// Sent: parameters, request bodies, and the types reachable from them.
    Send,
    /// Read: responses and the types reachable from them.
    Read,
    /// Neither or both: operations, servers, the version header.
    Both,
}

/// One change, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: Kind,
    pub severity: Severity,
    /// `GET /conversations/{id}`, for changes to an operation.
    pub operation: Option<String>,
    /// The Rust type name (in the new API, or the old one if removed), for changes to a type.
    pub schema: Option<String>,
    /// JSON pointer in the new spec (the old one for what was removed).
    pub pointer: String,
    pub message: String,
    /// The area (the operation's first tag), for changes to an operation.
    pub area: Option<String>,
    /// For changes to a type: the methods whose signatures reach it.
    pub methods: Vec<String>,
    /// Whether it changes the generated Rust API (code that uses the crate
    /// may need updating), not only the wire.
    pub signature: bool,
}

/// Every change between two APIs, most severe first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// How the two sides are named in output; `info.version` by default.
    pub old: String,
    pub new: String,
    pub changes: Vec<Change>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.changes
            .iter()
            .filter(|c| c.severity == severity)
            .count()
    }
    pub fn count_kind(&self, kind: Kind) -> usize {
        self.changes.iter().filter(|c| c.kind == kind).count()
    }
    /// Whether some change is at least as severe as `threshold`.
    pub fn has_at_least(&self, threshold: Severity) -> bool {
        self.changes.iter().any(|c| c.severity >= threshold)
    }
}

/// Compare `old` with `new`.
pub fn diff(old: &Api, new: &Api) -> Report {
    let none = std::path::Path::new("");
    let (old_s, new_s) = (Surface::build(old, none), Surface::build(new, none));
    let mut walk = walk::Walk::new(old, new, &old_s, &new_s);
    api::api_level(&mut walk);
    ops::operations(&mut walk);
    rust::types(&mut walk);
    let mut changes = walk.into_findings().finish();
    let context = Context::new(old, &old_s, new, &new_s);
    for c in &mut changes {
        context.annotate(c);
    }
    changes.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.operation.cmp(&b.operation))
            .then_with(|| a.schema.cmp(&b.schema))
            .then_with(|| a.pointer.cmp(&b.pointer))
            .then_with(|| a.kind.as_str().cmp(b.kind.as_str()))
            .then_with(|| a.message.cmp(&b.message))
    });
    Report {
        old: old.version.clone(),
        new: new.version.clone(),
        changes,
    }
}

/// What a change is annotated with, from both APIs: the area of its
/// operation, the methods its type touches, and the example behind a loosening.
struct Context<'a> {
    areas: BTreeMap<String, String>,
    methods: BTreeMap<String, Vec<String>>,
    evidence: BTreeMap<&'a str, &'a str>,
}

impl<'a> Context<'a> {
    fn new(old: &'a Api, old_s: &Surface, new: &'a Api, new_s: &Surface) -> Self {
        let mut areas = BTreeMap::new();
        let mut methods = BTreeMap::new();
        let mut evidence = BTreeMap::new();
        // The old side first, so the new one wins where both say something.
        for (api, surface) in [(old, old_s), (new, new_s)] {
            for op in &api.operations {
                if let Some(tag) = op.tags.first() {
                    areas.insert(format!("{} {}", op.method.as_str(), op.path), tag.clone());
                }
            }
            for (id, names) in rust::methods_by_type(api, surface) {
                methods.insert(
                    surface.type_name(id).to_string(),
                    names.into_iter().collect(),
                );
            }
            let loosened: std::collections::BTreeSet<&str> =
                api.loosenings.iter().map(|l| l.pointer.as_str()).collect();
            for d in &api.evidence {
                if let crate::error::Location::Pointer(p) = &d.location {
                    if loosened.contains(p.as_str()) {
                        evidence.insert(p.as_str(), d.message.as_str());
                    }
                }
            }
        }
        Context {
            areas,
            methods,
            evidence,
        }
    }

    fn annotate(&self, c: &mut Change) {
        if let Some(op) = &c.operation {
            c.area = self.areas.get(op).cloned();
        } else if let Some(schema) = &c.schema {
            c.methods = self.methods.get(schema).cloned().unwrap_or_default();
        }
        if let Some(example) = self.evidence.get(c.pointer.as_str()) {
            c.message.push_str(&format!(
                "; from the spec's examples, not its description: {example}"
            ));
        }
    }
}

/// A change as found, before its severity is decided.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    pub kind: Kind,
    pub operation: Option<String>,
    pub schema: Option<String>,
    pub pointer: String,
    /// What the change is about inside its operation or schema (a property,
    /// a value); with the kind, operation and schema, the key that dedupes.
    pub subject: String,
    pub fact: String,
    pub dir: Dir,
    pub tightened: bool,
    pub signature: bool,
}

impl Finding {
    pub fn new(kind: Kind, dir: Dir, pointer: impl Into<String>, fact: impl Into<String>) -> Self {
        Finding {
            kind,
            operation: None,
            schema: None,
            pointer: pointer.into(),
            subject: String::new(),
            fact: fact.into(),
            dir,
            tightened: true,
            signature: false,
        }
    }
    pub fn op(mut self, operation: &str) -> Self {
        self.operation = Some(operation.to_string());
        self
    }
    pub fn schema(mut self, schema: &str) -> Self {
        self.schema = Some(schema.to_string());
        self
    }
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = subject.into();
        self
    }
    pub fn loosened(mut self, loosened: bool) -> Self {
        self.tightened = !loosened;
        self
    }
    pub fn signature(mut self, signature: bool) -> Self {
        self.signature = signature;
        self
    }
}

type Key = (Kind, Option<String>, Option<String>, String);

/// Which directions a finding was seen from.
#[derive(Debug, Default, Clone, Copy)]
struct Seen {
    send: bool,
    read: bool,
    /// Seen from a parameter, body or response (not the API as a whole).
    directional: bool,
}

/// Findings deduplicated by kind, operation, schema and subject; a change
/// seen from both directions keeps both, so it gets the stricter severity.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    by_key: BTreeMap<Key, (Finding, Seen)>,
}

impl Findings {
    pub fn add(&mut self, f: Finding) {
        let key = (
            f.kind,
            f.operation.clone(),
            f.schema.clone(),
            f.subject.clone(),
        );
        let dir = f.dir;
        let (_, seen) = self.by_key.entry(key).or_insert((f, Seen::default()));
        seen.send |= dir != Dir::Read;
        seen.read |= dir != Dir::Send;
        seen.directional |= dir != Dir::Both;
    }

    fn finish(self) -> Vec<Change> {
        self.by_key
            .into_values()
            .map(|(f, seen)| {
                let dir = match (seen.send, seen.read) {
                    (true, false) => Dir::Send,
                    (false, true) => Dir::Read,
                    _ => Dir::Both,
                };
                let severity = rules::severity(f.kind, dir, f.tightened, f.signature);
                let mut message = f.fact;
                if seen.directional && f.schema.is_some() && f.operation.is_none() {
                    message.push_str(match dir {
                        Dir::Send => " [in requests]",
                        Dir::Read => " [in responses]",
                        Dir::Both => " [in requests and responses]",
                    });
                }
                if f.signature && rules::severity(f.kind, dir, f.tightened, false) < severity {
                    message.push_str("; this changes the generated Rust API");
                }
                Change {
                    kind: f.kind,
                    severity,
                    operation: f.operation,
                    schema: f.schema,
                    pointer: f.pointer,
                    message,
                    area: None,
                    methods: Vec::new(),
                    signature: f.signature,
                }
            })
            .collect()
    }
}
