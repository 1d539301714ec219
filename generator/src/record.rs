//! The public Rust API of a generated crate, written down one item per line
//! (`api-surface.txt` beside its `Cargo.toml`), and the comparison of two
//! such records: what a regeneration changed for code that uses the crate,
//! whatever the cause (a new version of the description, or a change of the
//! generator). `cargo xtask regen` sets the crate's version from it.
//!
//! It reads the emitted files, not the surface, so that nothing the emitter
//! adds escapes it. Each line is `key: value`: the key names the item by its
//! module path (`models::Contact.email`, `conversations::ConversationsHandle::retrieve`),
//! the value is what code relies on (a field's type, a function's
//! signature, a type's derives and `#[non_exhaustive]`). A key that is gone,
//! or whose value changed, breaks code; a key that is new breaks code only
//! where it adds a variant to an exhaustive enum or a field to a struct
//! that can be built with a literal.

use crate::emit::{GeneratedFile, OWNER_MARKER};
use quote::ToTokens;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use syn::{Attribute, Fields, ImplItem, Item, Visibility};

/// The record's file name, relative to the crate's root.
pub const FILE: &str = "api-surface.txt";

/// The record of the crate whose files are `files`: its `src/**.rs`, parsed.
/// Errs with the file that does not parse (emit formats every file it
/// writes, so this is a bug of the generator).
pub fn record(files: &[GeneratedFile]) -> Result<String, String> {
    let mut items = BTreeMap::new();
    for f in files {
        let path = f.path.to_string_lossy().replace('\\', "/");
        let Some(module) = module_of(&path) else {
            continue;
        };
        let file = syn::parse_file(&f.contents).map_err(|e| format!("{path}: {e}"))?;
        walk(&module, &file.items, &mut items);
    }
    let mut text = format!(
        "# {OWNER_MARKER}: the public Rust API of this crate, one item per line.\n\
         # An item that disappears or whose value changes breaks code that uses it;\n\
         # `cargo xtask regen` sets the crate's version from what changed here.\n"
    );
    for (k, v) in &items {
        let _ = writeln!(text, "{k}: {v}");
    }
    Ok(text)
}

/// `src/models.rs` → `models`, `src/runtime/mod.rs` → `runtime`,
/// `src/lib.rs` → the crate's root (empty); other files hold no API.
fn module_of(path: &str) -> Option<String> {
    let rel = path.strip_prefix("src/")?.strip_suffix(".rs")?;
    let rel = rel
        .strip_suffix("/mod")
        .unwrap_or(if rel == "lib" { "" } else { rel });
    Some(rel.replace('/', "::"))
}

fn join(module: &str, name: &str) -> String {
    if module.is_empty() {
        name.to_string()
    } else {
        format!("{module}::{name}")
    }
}

fn public(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// Tokens as a person writes them: `Option<String>`, not `Option < String >`.
fn tidy(tokens: impl ToTokens) -> String {
    let mut s = tokens.to_token_stream().to_string();
    for (from, to) in [
        (" < ", "<"),
        ("< ", "<"),
        (" <", "<"),
        (" >", ">"),
        (" ,", ","),
        (" :: ", "::"),
        (":: ", "::"),
        (" ::", "::"),
        ("& ", "&"),
        ("( ", "("),
        (" (", "("),
        (" )", ")"),
        ("[ ", "["),
        (" ]", "]"),
        (" :", ":"),
        ("' ", "'"),
    ] {
        s = s.replace(from, to);
    }
    // The arrow keeps a space on each side.
    s.replace("->", " -> ").replace("  ", " ")
}

/// What code relies on among a type's attributes: its derives (sorted),
/// `#[non_exhaustive]`, and a `cfg` that gates it.
fn traits(attrs: &[Attribute]) -> String {
    let mut derives = Vec::new();
    let mut marks = Vec::new();
    for a in attrs {
        if a.path().is_ident("derive") {
            let _ = a.parse_nested_meta(|m| {
                derives.push(tidy(&m.path));
                Ok(())
            });
        } else if a.path().is_ident("non_exhaustive") {
            marks.push("#[non_exhaustive]".to_string());
        } else if a.path().is_ident("cfg") {
            marks.push(tidy(&a.meta));
        }
    }
    derives.sort();
    let mut out = marks.join(" ");
    if !derives.is_empty() {
        if !out.is_empty() {
            out.push(' ');
        }
        let _ = write!(out, "derive({})", derives.join(", "));
    }
    out
}

fn with(kind: &str, rest: String) -> String {
    if rest.is_empty() {
        kind.to_string()
    } else {
        format!("{kind} {rest}")
    }
}

fn walk(module: &str, items: &[Item], out: &mut BTreeMap<String, String>) {
    for item in items {
        match item {
            Item::Struct(s) if public(&s.vis) => {
                let key = join(module, &s.ident.to_string());
                let generics = tidy(&s.generics);
                let shape = match &s.fields {
                    Fields::Named(_) => "",
                    Fields::Unnamed(_) => " (tuple)",
                    Fields::Unit => " (unit)",
                };
                out.insert(
                    key.clone(),
                    with(&format!("struct{generics}{shape}"), traits(&s.attrs)),
                );
                for (i, f) in s.fields.iter().enumerate() {
                    if !public(&f.vis) {
                        continue;
                    }
                    let name = f.ident.as_ref().map_or(i.to_string(), ToString::to_string);
                    out.insert(format!("{key}.{name}"), tidy(&f.ty));
                }
            }
            Item::Enum(e) if public(&e.vis) => {
                let key = join(module, &e.ident.to_string());
                out.insert(
                    key.clone(),
                    with(&format!("enum{}", tidy(&e.generics)), traits(&e.attrs)),
                );
                for v in &e.variants {
                    let value = match &v.fields {
                        Fields::Unit => "variant".to_string(),
                        fields => format!("variant{}", tidy(fields)),
                    };
                    out.insert(format!("{key}::{}", v.ident), value);
                }
            }
            Item::Type(t) if public(&t.vis) => {
                out.insert(
                    join(module, &t.ident.to_string()),
                    format!("type{} = {}", tidy(&t.generics), tidy(&t.ty)),
                );
            }
            Item::Const(c) if public(&c.vis) => {
                out.insert(
                    join(module, &c.ident.to_string()),
                    format!("const {}", tidy(&c.ty)),
                );
            }
            Item::Static(s) if public(&s.vis) => {
                out.insert(
                    join(module, &s.ident.to_string()),
                    format!("static {}", tidy(&s.ty)),
                );
            }
            Item::Fn(f) if public(&f.vis) => {
                out.insert(join(module, &f.sig.ident.to_string()), signature(&f.sig));
            }
            Item::Trait(t) if public(&t.vis) => {
                let key = join(module, &t.ident.to_string());
                out.insert(key.clone(), with("trait", traits(&t.attrs)));
                for i in &t.items {
                    if let syn::TraitItem::Fn(f) = i {
                        let provided = if f.default.is_some() {
                            " (provided)"
                        } else {
                            ""
                        };
                        out.insert(
                            format!("{key}::{}", f.sig.ident),
                            format!("{}{provided}", signature(&f.sig)),
                        );
                    }
                }
            }
            Item::Mod(m) if public(&m.vis) => {
                let key = join(module, &m.ident.to_string());
                out.insert(key.clone(), with("mod", traits(&m.attrs)));
                if let Some((_, inner)) = &m.content {
                    walk(&key, inner, out);
                }
            }
            Item::Use(u) if public(&u.vis) => {
                let mut names = Vec::new();
                uses(&u.tree, String::new(), &mut names);
                for (name, from) in names {
                    out.insert(join(module, &name), format!("use {from}"));
                }
            }
            Item::Impl(i) => {
                let Some(owner) = self_name(&i.self_ty) else {
                    continue;
                };
                let key = join(module, &owner);
                match &i.trait_ {
                    Some((_, path, _)) => {
                        out.insert(format!("{key} as {}", tidy(path)), "impl".into());
                    }
                    None => {
                        for item in &i.items {
                            if let ImplItem::Fn(f) = item {
                                if public(&f.vis) {
                                    out.insert(
                                        format!("{key}::{}", f.sig.ident),
                                        signature(&f.sig),
                                    );
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// The name of an impl's type: `Paginated` for `impl<T> Paginated<T>`.
fn self_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// `fn<T>(self, id: impl PathValue) -> Request`: the name is the key.
fn signature(sig: &syn::Signature) -> String {
    let inputs: Vec<String> = sig.inputs.iter().map(tidy).collect();
    let output = match &sig.output {
        syn::ReturnType::Default => String::new(),
        syn::ReturnType::Type(_, t) => format!(" -> {}", tidy(t)),
    };
    let asyncness = if sig.asyncness.is_some() {
        "async "
    } else {
        ""
    };
    let generics = tidy(&sig.generics);
    let bounds = sig
        .generics
        .where_clause
        .as_ref()
        .map(|w| format!(" {}", tidy(w)))
        .unwrap_or_default();
    format!(
        "{asyncness}fn{generics}({}){output}{bounds}",
        inputs.join(", ")
    )
}

/// The names a `pub use` brings in, each with the path it comes from.
fn uses(tree: &syn::UseTree, prefix: String, out: &mut Vec<(String, String)>) {
    match tree {
        syn::UseTree::Path(p) => uses(&p.tree, format!("{prefix}{}::", p.ident), out),
        syn::UseTree::Name(n) => out.push((n.ident.to_string(), format!("{prefix}{}", n.ident))),
        syn::UseTree::Rename(r) => out.push((r.rename.to_string(), format!("{prefix}{}", r.ident))),
        syn::UseTree::Glob(_) => out.push((format!("{prefix}*"), format!("{prefix}*"))),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                uses(t, prefix.clone(), out);
            }
        }
    }
}

/// What changed between two records, for code that uses the crate.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// Keys that are gone: (key, old value).
    pub removed: Vec<(String, String)>,
    /// Keys whose value changed: (key, old value, new value).
    pub changed: Vec<(String, String, String)>,
    /// New keys: (key, value, whether the addition breaks code).
    pub added: Vec<(String, String, bool)>,
}

impl Comparison {
    pub fn is_empty(&self) -> bool {
        self.removed.is_empty() && self.changed.is_empty() && self.added.is_empty()
    }

    /// Whether code that compiled against the old crate may not compile
    /// against the new one.
    pub fn breaking(&self) -> bool {
        !self.removed.is_empty() || !self.changed.is_empty() || self.added.iter().any(|a| a.2)
    }
}

/// The comparison as changelog text: what was removed or changed (each
/// with its old and new spelling, by module path, as `api-surface.txt`
/// names it), and what was added (listed with `list_added`, else counted).
pub fn markdown(c: &Comparison, list_added: bool) -> String {
    let mut out = String::new();
    if c.is_empty() {
        out.push_str("The crate's Rust API is unchanged (`api-surface.txt`).\n");
        return out;
    }
    let breaking = c.removed.len() + c.changed.len() + c.added.iter().filter(|a| a.2).count();
    let _ = writeln!(
        out,
        "In `api-surface.txt`: {} item(s) removed, {} changed, {} added ({breaking} of these break code).",
        c.removed.len(),
        c.changed.len(),
        c.added.len()
    );
    if !c.removed.is_empty() || !c.changed.is_empty() {
        out.push_str("\nRemoved or changed (search your code for the item's last name):\n\n");
        let mut lines: Vec<(&str, String)> = c
            .removed
            .iter()
            .map(|(k, v)| (k.as_str(), format!("- `{k}`: removed (was `{v}`)")))
            .chain(
                c.changed
                    .iter()
                    .map(|(k, v, w)| (k.as_str(), format!("- `{k}`: `{v}` → `{w}`"))),
            )
            .collect();
        lines.sort();
        for (_, l) in lines {
            let _ = writeln!(out, "{l}");
        }
    }
    let breaking_adds: Vec<_> = c.added.iter().filter(|a| a.2).collect();
    if !breaking_adds.is_empty() {
        out.push_str("\nAdded to an exhaustive enum or a struct built with a literal (a `match` or a literal needs it):\n\n");
        for (k, v, _) in breaking_adds {
            let _ = writeln!(out, "- `{k}`: `{v}`");
        }
    }
    if list_added && c.added.iter().any(|a| !a.2) {
        out.push_str("\nAdded:\n\n");
        for (k, v, _) in c.added.iter().filter(|a| !a.2) {
            let _ = writeln!(out, "- `{k}`: `{v}`");
        }
    }
    out
}

fn entries(text: &str) -> BTreeMap<&str, &str> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once(": "))
        .collect()
}

/// Compare the record `old` with `new` (both as [`record`] writes them).
pub fn compare(old: &str, new: &str) -> Comparison {
    let (a, b) = (entries(old), entries(new));
    let mut c = Comparison::default();
    for (k, v) in &a {
        match b.get(k) {
            None => c.removed.push((k.to_string(), v.to_string())),
            Some(w) if w != v => c
                .changed
                .push((k.to_string(), v.to_string(), w.to_string())),
            Some(_) => {}
        }
    }
    for (k, v) in &b {
        if a.contains_key(k) {
            continue;
        }
        // A member of a type both records have: a variant of an exhaustive
        // enum, or a public field of a struct without `#[non_exhaustive]`
        // (a literal of it no longer compiles).
        let parent = k
            .rsplit_once('.')
            .map(|(p, _)| (p, true))
            .or_else(|| k.rsplit_once("::").map(|(p, _)| (p, false)));
        let breaks = parent.is_some_and(|(p, field)| {
            let (Some(was), Some(is)) = (a.get(p), b.get(p)) else {
                return false;
            };
            let exhaustive = !is.contains("#[non_exhaustive]");
            let kind = if field { "struct" } else { "enum" };
            exhaustive && was.starts_with(kind) && v.starts_with(if field { "" } else { "variant" })
        });
        c.added.push((k.to_string(), v.to_string(), breaks));
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: PathBuf::from(path),
            contents: contents.into(),
        }
    }

    fn crate_of(models: &str) -> String {
        record(&[
            file(
                "src/lib.rs",
                "pub mod models;\nmod runtime;\npub use runtime::{Client, Error as ApiFailure};\n",
            ),
            file("src/models.rs", models),
            file("README.md", "pub struct NotCode;"),
        ])
        .unwrap()
    }

    #[test]
    fn items_are_written_where_code_names_them() {
        let r = crate_of(
            "#[derive(Debug, Clone, Default)]\n#[non_exhaustive]\npub struct Contact { pub id: Option<String>, secret: u8 }\n\
             impl Contact { pub fn new(id: impl Into<String>) -> Self { todo!() } fn hidden(&self) {} }\n\
             impl From<u8> for Contact { fn from(_: u8) -> Self { todo!() } }\n\
             pub enum State { Open, Closed(String) }\n",
        );
        let lines: Vec<&str> = r.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            lines,
            [
                "ApiFailure: use runtime::Error",
                "Client: use runtime::Client",
                "models: mod",
                "models::Contact: struct #[non_exhaustive] derive(Clone, Debug, Default)",
                "models::Contact as From<u8>: impl",
                "models::Contact.id: Option<String>",
                "models::Contact::new: fn(id: impl Into<String>) -> Self",
                "models::State: enum",
                "models::State::Closed: variant(String)",
                "models::State::Open: variant",
            ]
        );
    }

    #[test]
    fn removed_or_changed_items_break_and_new_ones_mostly_do_not() {
        let old = crate_of(
            "#[non_exhaustive] pub struct A { pub x: String }\npub struct B { pub y: u8 }\npub enum E { One }\n#[non_exhaustive] pub enum F { One }\npub struct Gone;",
        );
        let same = compare(&old, &old);
        assert!(same.is_empty() && !same.breaking());

        let added = crate_of(
            "#[non_exhaustive] pub struct A { pub x: String, pub z: u8 }\npub struct B { pub y: u8 }\npub enum E { One }\n#[non_exhaustive] pub enum F { One, Two }\npub struct Gone;\npub struct New;",
        );
        let c = compare(&old, &added);
        assert!(!c.breaking(), "{c:?}");
        assert_eq!(c.added.len(), 3);

        let broken = crate_of(
            "#[non_exhaustive] pub struct A { pub x: i64 }\npub struct B { pub y: u8, pub w: u8 }\npub enum E { One, Two }\n#[non_exhaustive] pub enum F { One }",
        );
        let c = compare(&old, &broken);
        assert!(c.breaking());
        assert_eq!(
            c.removed,
            [("models::Gone".to_string(), "struct (unit)".to_string())]
        );
        assert_eq!(
            c.changed,
            [(
                "models::A.x".to_string(),
                "String".to_string(),
                "i64".to_string()
            )]
        );
        let breaking_adds: Vec<&str> = c
            .added
            .iter()
            .filter(|a| a.2)
            .map(|a| a.0.as_str())
            .collect();
        assert_eq!(breaking_adds, ["models::B.w", "models::E::Two"]);
    }

    #[test]
    fn module_paths_follow_files() {
        assert_eq!(module_of("src/lib.rs").as_deref(), Some(""));
        assert_eq!(module_of("src/runtime/mod.rs").as_deref(), Some("runtime"));
        assert_eq!(
            module_of("src/runtime/client.rs").as_deref(),
            Some("runtime::client")
        );
        assert_eq!(module_of("examples/a.rs"), None);
    }
}
