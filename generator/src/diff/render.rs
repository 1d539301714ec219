//! A [`Report`] as text (for a terminal), Markdown (for the changelog) or JSON.
//!
//! Text and Markdown group the changes for a maintainer: the API as a whole,
//! then each area (the operations' tags), then each type with the methods it
//! touches. Info is counted by kind unless `verbose` lists it.

use super::{Change, Report, Severity};
use std::collections::BTreeMap;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "2 breaking, 1 warning, 0 info".
pub fn summary(report: &Report) -> String {
    format!(
        "{} breaking, {}, {} info",
        report.count(Severity::Breaking),
        plural(report.count(Severity::Warning), "warning", "warnings"),
        report.count(Severity::Info)
    )
}

/// A group of changes: its title, the methods (for a type), its changes.
struct Group<'r> {
    title: String,
    methods: &'r [String],
    changes: Vec<&'r Change>,
}

/// The changes shown (all, or all but info), grouped: the API, the areas, the types.
fn groups(report: &Report, verbose: bool) -> Vec<Group<'_>> {
    let shown = report
        .changes
        .iter()
        .filter(|c| verbose || c.severity != Severity::Info);
    let mut api: Vec<&Change> = Vec::new();
    let mut areas: BTreeMap<String, Vec<&Change>> = BTreeMap::new();
    let mut types: BTreeMap<&str, (&[String], Vec<&Change>)> = BTreeMap::new();
    for c in shown {
        match (&c.operation, &c.schema) {
            (Some(_), _) => areas
                .entry(c.area.clone().unwrap_or_else(|| "(no tag)".into()))
                .or_default()
                .push(c),
            (None, Some(schema)) => types
                .entry(schema)
                .or_insert_with(|| (&c.methods, Vec::new()))
                .1
                .push(c),
            (None, None) => api.push(c),
        }
    }
    let mut out = Vec::new();
    if !api.is_empty() {
        out.push(Group {
            title: "API".into(),
            methods: &[],
            changes: api,
        });
    }
    for (area, changes) in areas {
        out.push(Group {
            title: format!("area `{area}`"),
            methods: &[],
            changes,
        });
    }
    for (name, (methods, changes)) in types {
        out.push(Group {
            title: format!("type `{name}`"),
            methods,
            changes,
        });
    }
    out
}

/// `a, b, c and 4 more`.
fn method_list(methods: &[String]) -> String {
    const SHOWN: usize = 6;
    let mut s = methods
        .iter()
        .take(SHOWN)
        .map(|m| format!("`{m}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if methods.len() > SHOWN {
        s.push_str(&format!(" and {} more", methods.len() - SHOWN));
    }
    s
}

/// The info changes left out, counted by kind: "3 operation-added, 1 rust-type-added".
fn info_counts(report: &Report) -> Option<String> {
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for c in report
        .changes
        .iter()
        .filter(|c| c.severity == Severity::Info)
    {
        *by_kind.entry(c.kind.as_str()).or_default() += 1;
    }
    (!by_kind.is_empty()).then(|| {
        by_kind
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// Grouped, one line per change; with `color`, the severity is colored (ANSI).
pub fn text(report: &Report, color: bool, verbose: bool) -> String {
    let mut out = format!("{} → {}: {}\n", report.old, report.new, summary(report));
    for g in groups(report, verbose) {
        out.push_str(&format!("\n{}", g.title));
        if !g.methods.is_empty() {
            out.push_str(&format!(" (methods: {})", method_list(g.methods)));
        }
        out.push('\n');
        for c in g.changes {
            let sev = format!("{:<8}", c.severity.as_str());
            let sev = match (color, c.severity) {
                (false, _) => sev,
                (true, Severity::Breaking) => format!("\x1b[1;31m{sev}\x1b[0m"),
                (true, Severity::Warning) => format!("\x1b[33m{sev}\x1b[0m"),
                (true, Severity::Info) => format!("\x1b[2m{sev}\x1b[0m"),
            };
            let op = c
                .operation
                .as_ref()
                .map(|o| format!("{o}: "))
                .unwrap_or_default();
            out.push_str(&format!(
                "  {sev} {:<28} {op}{}  (#{})\n",
                c.kind.as_str(),
                c.message,
                c.pointer
            ));
        }
    }
    if !verbose {
        if let Some(counts) = info_counts(report) {
            out.push_str(&format!(
                "\ninfo (not listed; --verbose lists them): {counts}\n"
            ));
        }
    }
    out
}

/// A changelog section: `## OLD → NEW`, the summary, then the groups.
pub fn markdown(report: &Report, verbose: bool) -> String {
    let mut out = format!("## {} → {}\n\n", report.old, report.new);
    if report.changes.is_empty() {
        out.push_str("No changes to the API.\n");
        return out;
    }
    out.push_str(&format!("{}.\n", summary(report)));
    for g in groups(report, verbose) {
        out.push_str(&format!("\n### {}\n\n", capitalized(&g.title)));
        if !g.methods.is_empty() {
            out.push_str(&format!("Methods: {}.\n\n", method_list(g.methods)));
        }
        for c in g.changes {
            let op = c
                .operation
                .as_ref()
                .map(|o| format!("`{o}`: "))
                .unwrap_or_default();
            out.push_str(&format!(
                "- **{}** {op}{} (`{}`)\n",
                c.severity.as_str(),
                c.message,
                c.kind.as_str()
            ));
        }
    }
    if !verbose {
        if let Some(counts) = info_counts(report) {
            out.push_str(&format!("\n### Info\n\n{counts}.\n"));
        }
    }
    out
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

pub fn json_value(report: &Report) -> serde_json::Value {
    let changes: Vec<serde_json::Value> = report
        .changes
        .iter()
        .map(|c| {
            serde_json::json!({
                "kind": c.kind.as_str(),
                "severity": c.severity.as_str(),
                "operation": c.operation,
                "area": c.area,
                "schema": c.schema,
                "methods": c.methods,
                "pointer": c.pointer,
                "message": c.message,
            })
        })
        .collect();
    serde_json::json!({
        "old": report.old,
        "new": report.new,
        "changes": changes,
    })
}

/// Pretty-printed JSON, with a final newline.
pub fn json(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(&json_value(report)).unwrap_or_default();
    s.push('\n');
    s
}

/// "Updating your code": every change to the crate's Rust API (names,
/// types, arguments, variants, setters), by area, as the diff says it:
/// the old and the new spelling, in a form one can search for.
pub fn migration(report: &Report) -> String {
    let mut out = String::from("### Updating your code\n\n");
    let changes: Vec<&Change> = report.changes.iter().filter(|c| c.signature).collect();
    if changes.is_empty() {
        out.push_str("Nothing to change: every name and signature of the crate's Rust API stays as it was.\n");
        return out;
    }
    out.push_str(&format!(
        "{} change(s) to the crate's Rust API; code that names what they change needs the new spelling.\n",
        changes.len()
    ));
    let mut by_place: std::collections::BTreeMap<String, Vec<&Change>> =
        std::collections::BTreeMap::new();
    for c in changes {
        let place = match (&c.area, &c.schema) {
            (Some(area), _) => format!("Area `{area}`"),
            (None, Some(schema)) => format!("Type `{schema}`"),
            (None, None) => "The crate".to_string(),
        };
        by_place.entry(place).or_default().push(c);
    }
    for (place, changes) in by_place {
        out.push_str(&format!("\n#### {place}\n\n"));
        for c in changes {
            let op = c
                .operation
                .as_ref()
                .map(|o| format!("`{o}`: "))
                .unwrap_or_default();
            out.push_str(&format!("- {op}{}\n", c.message));
        }
    }
    out
}
