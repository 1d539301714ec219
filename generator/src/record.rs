//! The public Rust API of a generated crate, written down one item per line
//! (`api-surface.txt` beside its `Cargo.toml`), and the comparison of two
//! such records: what a regeneration changed for code that uses the crate,
//! whatever the cause (a new version of the description, or a change of the
//! generator). `cargo xtask regen` sets the crate's version from it.
//!
//! It reads what emit printed (the syntax trees of the library's sources),
//! not the surface, so that nothing the emitter adds escapes it. Each line
//! is `key: value`: the key names the item by its module path
//! (`models::Contact.email`, `conversations::Conversations::retrieve`),
//! the value is what code relies on (a field's type, a function's
//! signature, a type's derives and `#[non_exhaustive]`). A key that is gone,
//! or whose value changed, breaks code; a key that is new breaks code only
//! where it adds a variant to an exhaustive enum or a field to a struct
//! that can be built with a literal.

use crate::emit::OWNER_MARKER;
use quote::ToTokens;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use syn::{Attribute, Fields, ImplItem, Item, Visibility};

/// The record's file name, relative to the crate's root.
pub const FILE: &str = "api-surface.txt";

/// The record's format: a record of another format (one that covered
/// other items) is not compared, only replaced.
/// Format 3 reads the syntax trees emit printed, where format 2 parsed the
/// printed text back: a generic argument list that prettyplease wrapped
/// over lines carried its trailing comma into the value (`Into<T>,>`).
const FORMAT: &str =
    "# format 3: items of private modules only as they are re-exported; values as the syntax trees hold them";

/// Whether `old` (a record read from disk) can be compared with one this
/// generator writes: the same format.
pub fn comparable(old: &str) -> bool {
    old.lines().any(|l| l == FORMAT)
}

/// What one library source holds for the record: each item's lines, with
/// what decides whether code outside the crate can name it, and the facts
/// about the file that decide it. Read from the syntax tree on the thread
/// that built it (trees cannot cross threads; a `Part` can).
#[derive(Debug)]
pub struct Part {
    module: String,
    /// Modules it declares without `pub`, by path.
    private: Vec<String>,
    /// The names its `pub use`s bring in.
    exported: Vec<String>,
    /// The traits it defines.
    traits: Vec<String>,
    items: Vec<Lines>,
}

/// The lines of one item (a type with its fields, derives and features; an
/// impl's methods; a re-export), and when they are recorded.
#[derive(Debug)]
struct Lines {
    module: String,
    /// The item's name: recorded only where code outside can name it.
    name: Option<String>,
    /// An impl of this trait: recorded unless no one outside can name the trait.
    of_trait: Option<String>,
    /// A re-export: recorded only from a module code outside can name.
    reexport: bool,
    lines: Vec<(String, String)>,
}

/// What the record needs of the library source at `path` (as
/// `src/models.rs`), or `None` for a file that holds no API.
pub fn part(path: &str, tree: &syn::File) -> Option<Part> {
    let module = module_of(path)?;
    let mut part = Part {
        module: module.clone(),
        private: Vec::new(),
        exported: Vec::new(),
        traits: Vec::new(),
        items: Vec::new(),
    };
    for item in &tree.items {
        match item {
            Item::Mod(m) if !public(&m.vis) => {
                part.private.push(join(&module, &m.ident.to_string()))
            }
            Item::Use(u) if public(&u.vis) => {
                let mut names = Vec::new();
                uses(&u.tree, String::new(), &mut names);
                part.exported
                    .extend(names.into_iter().map(|(name, _)| name));
            }
            Item::Trait(t) => part.traits.push(t.ident.to_string()),
            _ => {}
        }
    }
    walk(&module, &tree.items, &mut part.items);
    Some(part)
}

/// The record of the crate whose library sources are read in `parts`.
pub fn record(parts: &[Part]) -> String {
    let reach = Reach::of(parts);
    let mut items = BTreeMap::new();
    for l in parts.iter().flat_map(|p| &p.items) {
        let shown = l.name.as_ref().is_none_or(|n| reach.shows(&l.module, n))
            && l.of_trait
                .as_ref()
                .is_none_or(|t| !reach.hidden_traits.contains(t))
            && !(l.reexport && reach.hidden(&l.module));
        if shown {
            items.extend(l.lines.iter().cloned());
        }
    }
    let mut text = format!(
        "# {OWNER_MARKER}: the public Rust API of this crate, one item per line.\n\
         # An item that disappears or whose value changes breaks code that uses it;\n\
         # `cargo xtask regen` sets the crate's version from what changed here.\n\
         {FORMAT}\n"
    );
    for (k, v) in &items {
        let _ = writeln!(text, "{k}: {v}");
    }
    text
}

/// What code outside the crate can name: items of public modules, and of
/// private ones (the runtime) only what a public module re-exports, with
/// its fields, methods and the impls of traits it can name.
struct Reach {
    /// Modules declared without `pub` (`runtime`).
    private: Vec<String>,
    /// The names `pub use` brings into public modules.
    exported: std::collections::BTreeSet<String>,
    /// Traits defined in private modules and not re-exported.
    hidden_traits: std::collections::BTreeSet<String>,
}

impl Reach {
    fn of(parts: &[Part]) -> Reach {
        let mut reach = Reach {
            private: parts
                .iter()
                .flat_map(|p| p.private.iter().cloned())
                .collect(),
            exported: Default::default(),
            hidden_traits: Default::default(),
        };
        let mut traits = Vec::new();
        for p in parts {
            if reach.hidden(&p.module) {
                traits.extend(p.traits.iter().cloned());
            } else {
                reach.exported.extend(p.exported.iter().cloned());
            }
        }
        reach.hidden_traits = traits
            .into_iter()
            .filter(|t| !reach.exported.contains(t))
            .collect();
        reach
    }

    fn hidden(&self, module: &str) -> bool {
        self.private
            .iter()
            .any(|p| module == p || module.starts_with(&format!("{p}::")))
    }

    /// Whether the item `name` of `module` (or an item it owns) is recorded.
    fn shows(&self, module: &str, name: &str) -> bool {
        !self.hidden(module) || self.exported.contains(name)
    }
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
    tidy_text(&tokens.to_token_stream().to_string())
}

/// Tokens as proc-macro2 prints them (one space between tokens that are not
/// joined) to `tidy`'s spelling, in one pass: a space goes where nothing
/// binds it to its neighbour (after `<`, `&`, `(`, `[`, `'` or `::`;
/// before `<`, `>`, `,`, `:`, `(`, `)` or `]`), and the arrow keeps one on
/// each side.
fn tidy_text(printed: &str) -> String {
    let bytes = printed.as_bytes();
    let mut out = String::with_capacity(printed.len());
    for (i, c) in printed.char_indices() {
        if c == ' ' {
            let before = out.as_bytes().last().copied();
            let after = bytes.get(i + 1).copied();
            let after_path = out.ends_with("::");
            let binds_before = matches!(before, Some(b'<' | b'&' | b'(' | b'[' | b'\''));
            let binds_after = matches!(after, Some(b'<' | b'>' | b',' | b':' | b'(' | b')' | b']'));
            if after_path || binds_before || binds_after {
                continue;
            }
        }
        out.push(c);
    }
    // The arrow keeps a space on each side.
    out.replace("->", " -> ").replace("  ", " ")
}

/// A type's derives and the features that gate it: each its own key
/// (`<key> derives`, `<key> features`), valued by a list that may grow
/// without breaking code, and only shrink by breaking it.
const SETS: [&str; 2] = [" derives", " features"];

/// What code relies on among an item's attributes: `#[non_exhaustive]` in
/// its value; its derives (sorted) and the features of its `cfg` under
/// keys of their own.
fn attributes(key: &str, attrs: &[Attribute], out: &mut Vec<(String, String)>) -> String {
    let mut derives = Vec::new();
    let mut features = Vec::new();
    let mut marks = Vec::new();
    for a in attrs {
        if a.path().is_ident("derive") {
            let _ = a.parse_nested_meta(|m| {
                derives.push(tidy(&m.path));
                Ok(())
            });
        } else if a.path().is_ident("non_exhaustive") {
            marks.push("#[non_exhaustive]");
        } else if a.path().is_ident("cfg") {
            features.extend(cfg_features(&tidy(&a.meta)));
        }
    }
    for (suffix, mut list) in SETS.into_iter().zip([derives, features]) {
        if !list.is_empty() {
            list.sort();
            out.push((format!("{key}{suffix}"), list.join(", ")));
        }
    }
    marks.join(" ")
}

/// `cfg(feature = "a")` and `cfg(any(feature = "a", feature = "b"))` are
/// the features `a` and `b`: the item is there when any of them is on.
/// Any other condition is kept whole, as one feature that cannot widen.
fn cfg_features(cfg: &str) -> Vec<String> {
    let inner = cfg.strip_prefix("cfg(").and_then(|c| c.strip_suffix(')'));
    let list = inner.map(|i| {
        i.strip_prefix("any(")
            .and_then(|l| l.strip_suffix(')'))
            .unwrap_or(i)
    });
    let names: Option<Vec<String>> = list.and_then(|l| {
        l.split(", ")
            .map(|f| {
                f.strip_prefix("feature = \"")
                    .and_then(|n| n.strip_suffix('"'))
                    .map(str::to_string)
            })
            .collect()
    });
    names.unwrap_or_else(|| vec![cfg.to_string()])
}

fn with(kind: &str, rest: String) -> String {
    if rest.is_empty() {
        kind.to_string()
    } else {
        format!("{kind} {rest}")
    }
}

/// The struct a `crate::runtime::model!(Name, …)` invocation is for.
fn model_macro(item: &Item) -> Option<String> {
    let Item::Macro(m) = item else {
        return None;
    };
    if m.mac.path.segments.last()?.ident != "model" {
        return None;
    }
    match m.mac.tokens.clone().into_iter().next()? {
        proc_macro2::TokenTree::Ident(name) => Some(name.to_string()),
        _ => None,
    }
}

/// The items a `search_field!(Name: kind { ops })` or `search_values!(Name
/// { Variant = "value", … })` invocation writes: the field kind (a struct
/// taking `kind`) and its operator methods, or the enum and its variants.
fn search_macro(module: &str, item: &Item) -> Option<Lines> {
    use proc_macro2::TokenTree;
    let Item::Macro(m) = item else {
        return None;
    };
    let which = m.mac.path.segments.last()?.ident.to_string();
    if which != "search_field" && which != "search_values" {
        return None;
    }
    let tokens: Vec<TokenTree> = m.mac.tokens.clone().into_iter().collect();
    let TokenTree::Ident(name) = tokens.first()? else {
        return None;
    };
    let key = join(module, &name.to_string());
    let body = tokens.iter().rev().find_map(|t| match t {
        TokenTree::Group(g) if g.delimiter() == proc_macro2::Delimiter::Brace => Some(g.stream()),
        _ => None,
    })?;
    let mut lines = Vec::new();
    if which == "search_field" {
        // `Name : kind { … }`, the kind perhaps `values(Enum)`.
        let kind: Vec<String> = tokens[2..tokens.len() - 1]
            .iter()
            .map(ToString::to_string)
            .collect();
        lines.push((
            key.clone(),
            format!("struct (search field: {})", kind.join("")),
        ));
        for op in body {
            if let TokenTree::Ident(op) = op {
                lines.push((format!("{key}::{op}"), "search operator".to_string()));
            }
        }
    } else {
        lines.push((
            key.clone(),
            "enum #[non_exhaustive] (search values)".to_string(),
        ));
        let body: Vec<TokenTree> = body.into_iter().collect();
        for part in body.split(|t| matches!(t, TokenTree::Punct(p) if p.as_char() == ',')) {
            if let [TokenTree::Ident(variant), _, value] = part {
                lines.push((format!("{key}::{variant}"), format!("variant = {value}")));
            }
        }
    }
    Some(Lines {
        module: module.to_string(),
        name: Some(name.to_string()),
        of_trait: None,
        reexport: false,
        lines,
    })
}

fn walk(module: &str, items: &[Item], found: &mut Vec<Lines>) {
    for item in items {
        if let Some(lines) = search_macro(module, item) {
            found.push(lines);
            continue;
        }
        if let Some(name) = model_macro(item) {
            // `model!` writes the struct's `Serialize` (docs/decoding.md):
            // to code outside, as good as a derive.
            let key = format!("{} derives", join(module, &name));
            for (k, derives) in found.iter_mut().rev().flat_map(|l| l.lines.iter_mut()) {
                if *k == key {
                    let mut list: Vec<&str> = derives.split(", ").collect();
                    list.push("serde::Serialize");
                    list.sort();
                    *derives = list.join(", ");
                    break;
                }
            }
            continue;
        }
        let name = match item {
            Item::Struct(i) => Some(i.ident.to_string()),
            Item::Enum(i) => Some(i.ident.to_string()),
            Item::Type(i) => Some(i.ident.to_string()),
            Item::Const(i) => Some(i.ident.to_string()),
            Item::Static(i) => Some(i.ident.to_string()),
            Item::Fn(i) => Some(i.sig.ident.to_string()),
            Item::Trait(i) => Some(i.ident.to_string()),
            Item::Impl(i) => self_name(&i.self_ty),
            _ => None,
        };
        let mut lines = Lines {
            module: module.to_string(),
            name,
            of_trait: None,
            reexport: false,
            lines: Vec::new(),
        };
        let out = &mut lines.lines;
        match item {
            Item::Struct(s) if public(&s.vis) => {
                let key = join(module, &s.ident.to_string());
                let generics = tidy(&s.generics);
                let shape = match &s.fields {
                    Fields::Named(_) => "",
                    Fields::Unnamed(_) => " (tuple)",
                    Fields::Unit => " (unit)",
                };
                let attrs = attributes(&key, &s.attrs, out);
                out.push((
                    key.clone(),
                    with(&format!("struct{generics}{shape}"), attrs),
                ));
                for (i, f) in s.fields.iter().enumerate() {
                    if !public(&f.vis) {
                        continue;
                    }
                    let name = f.ident.as_ref().map_or(i.to_string(), ToString::to_string);
                    out.push((format!("{key}.{name}"), tidy(&f.ty)));
                }
            }
            Item::Enum(e) if public(&e.vis) => {
                let key = join(module, &e.ident.to_string());
                let attrs = attributes(&key, &e.attrs, out);
                out.push((
                    key.clone(),
                    with(&format!("enum{}", tidy(&e.generics)), attrs),
                ));
                for v in &e.variants {
                    let value = match &v.fields {
                        Fields::Unit => "variant".to_string(),
                        fields => format!("variant{}", tidy(fields)),
                    };
                    out.push((format!("{key}::{}", v.ident), value));
                }
            }
            Item::Type(t) if public(&t.vis) => out.push((
                join(module, &t.ident.to_string()),
                format!("type{} = {}", tidy(&t.generics), tidy(&t.ty)),
            )),
            Item::Const(c) if public(&c.vis) => out.push((
                join(module, &c.ident.to_string()),
                format!("const {}", tidy(&c.ty)),
            )),
            Item::Static(s) if public(&s.vis) => out.push((
                join(module, &s.ident.to_string()),
                format!("static {}", tidy(&s.ty)),
            )),
            Item::Fn(f) if public(&f.vis) => {
                out.push((join(module, &f.sig.ident.to_string()), signature(&f.sig)));
            }
            Item::Trait(t) if public(&t.vis) => {
                let key = join(module, &t.ident.to_string());
                let attrs = attributes(&key, &t.attrs, out);
                out.push((key.clone(), with("trait", attrs)));
                for i in &t.items {
                    if let syn::TraitItem::Fn(f) = i {
                        let provided = if f.default.is_some() {
                            " (provided)"
                        } else {
                            ""
                        };
                        out.push((
                            format!("{key}::{}", f.sig.ident),
                            format!("{}{provided}", signature(&f.sig)),
                        ));
                    }
                }
            }
            Item::Mod(m) if public(&m.vis) => {
                let key = join(module, &m.ident.to_string());
                let attrs = attributes(&key, &m.attrs, out);
                out.push((key.clone(), with("mod", attrs)));
                if let Some((_, inner)) = &m.content {
                    walk(&key, inner, found);
                }
            }
            Item::Use(u) if public(&u.vis) => {
                lines.reexport = true;
                let mut names = Vec::new();
                uses(&u.tree, String::new(), &mut names);
                for (name, from) in names {
                    out.push((join(module, &name), format!("use {from}")));
                }
            }
            Item::Impl(i) => {
                let Some(owner) = self_name(&i.self_ty) else {
                    continue;
                };
                let key = join(module, &owner);
                match &i.trait_ {
                    Some((_, path, _)) => {
                        lines.of_trait = path.segments.last().map(|s| s.ident.to_string());
                        out.push((format!("{key} as {}", tidy(path)), "impl".into()));
                    }
                    None => {
                        for item in &i.items {
                            if let ImplItem::Fn(f) = item {
                                if public(&f.vis) {
                                    out.push((
                                        format!("{key}::{}", f.sig.ident),
                                        signature(&f.sig),
                                    ));
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        if !lines.lines.is_empty() {
            found.push(lines);
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

/// One item that differs between two records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub key: String,
    /// Its value in the old record (`None`: the item is new).
    pub old: Option<String>,
    /// Its value in the new record (`None`: the item is gone).
    pub new: Option<String>,
    /// Whether code that compiled against the old crate may not compile
    /// against the new one.
    pub breaks: bool,
}

/// What changed between two records, for code that uses the crate, by key.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub changes: Vec<Change>,
}

impl Comparison {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Whether any change may break code.
    pub fn breaking(&self) -> bool {
        self.changes.iter().any(|c| c.breaks)
    }
}

fn entries(text: &str) -> BTreeMap<&str, &str> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once(": "))
        .collect()
}

/// Compare the record `old` with `new` (both as [`record`] writes them).
/// An item gone, or changed, breaks code, except a list of derives or
/// features that only grew. A new item breaks code only where it is a
/// variant of an exhaustive enum, or a public field of a struct without
/// `#[non_exhaustive]` (a literal of it no longer compiles).
pub fn compare(old: &str, new: &str) -> Comparison {
    let (a, b) = (entries(old), entries(new));
    let keys: std::collections::BTreeSet<&str> = a.keys().chain(b.keys()).copied().collect();
    let mut changes = Vec::new();
    for k in keys {
        let (was, is) = (a.get(k).copied(), b.get(k).copied());
        let breaks = match (was, is) {
            (Some(v), Some(w)) if v == w => continue,
            (Some(v), Some(w)) if SETS.iter().any(|s| k.ends_with(s)) => {
                let grown: Vec<&str> = w.split(", ").collect();
                !v.split(", ").all(|x| grown.contains(&x))
            }
            (Some(_), _) => true,
            (None, Some(w)) => added_breaks(&a, &b, k, w),
            (None, None) => continue,
        };
        changes.push(Change {
            key: k.to_string(),
            old: was.map(str::to_string),
            new: is.map(str::to_string),
            breaks,
        });
    }
    Comparison { changes }
}

/// Whether the new item `k` (valued `v`) is a member of a type both
/// records have that code can match or build exhaustively.
fn added_breaks(a: &BTreeMap<&str, &str>, b: &BTreeMap<&str, &str>, k: &str, v: &str) -> bool {
    let parent = k
        .rsplit_once('.')
        .map(|(p, _)| (p, "struct"))
        .or_else(|| k.rsplit_once("::").map(|(p, _)| (p, "enum")));
    parent.is_some_and(|(p, kind)| {
        let (Some(was), Some(is)) = (a.get(p), b.get(p)) else {
            return false;
        };
        let member = kind == "struct" || v.starts_with("variant");
        member && was.starts_with(kind) && !is.contains("#[non_exhaustive]")
    })
}

/// The comparison as changelog text: what breaks (each item with its old
/// and new spelling, by module path, as `api-surface.txt` names it), and
/// what was added (listed with `list_added`, else counted).
pub fn markdown(c: &Comparison, list_added: bool) -> String {
    let mut out = String::new();
    if c.is_empty() {
        out.push_str("The crate's Rust API is unchanged (`api-surface.txt`).\n");
        return out;
    }
    let count = |f: &dyn Fn(&Change) -> bool| c.changes.iter().filter(|x| f(x)).count();
    let _ = writeln!(
        out,
        "In `api-surface.txt`: {} item(s) removed, {} changed, {} added; {} of these may break code.",
        count(&|x| x.new.is_none()),
        count(&|x| x.old.is_some() && x.new.is_some()),
        count(&|x| x.old.is_none()),
        count(&|x| x.breaks),
    );
    let line = |x: &Change| match (&x.old, &x.new) {
        (Some(v), None) => format!("- `{}`: removed (was `{v}`)", x.key),
        (Some(v), Some(w)) => format!("- `{}`: `{v}` → `{w}`", x.key),
        (None, Some(w)) => format!("- `{}`: `{w}`", x.key),
        (None, None) => String::new(),
    };
    let breaking: Vec<String> = c.changes.iter().filter(|x| x.breaks).map(line).collect();
    if !breaking.is_empty() {
        out.push_str("\nWhat may break code (search your code for the item's last name):\n\n");
        for l in breaking {
            let _ = writeln!(out, "{l}");
        }
    }
    let other: Vec<String> = c.changes.iter().filter(|x| !x.breaks).map(line).collect();
    if list_added && !other.is_empty() {
        out.push_str("\nAdded or widened (nothing to change):\n\n");
        for l in other {
            let _ = writeln!(out, "{l}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The record of the crate whose files are `(path, text)`.
    fn record_of(files: &[(&str, &str)]) -> String {
        let parts: Vec<Part> = files
            .iter()
            .filter_map(|(path, text)| part(path, &syn::parse_file(text).unwrap()))
            .collect();
        record(&parts)
    }

    fn crate_of(models: &str) -> String {
        record_of(&[
            (
                "src/lib.rs",
                "pub mod models;\nmod runtime;\npub use runtime::{Client, Error as ApiFailure};\n",
            ),
            ("src/models.rs", models),
            ("README.md", "pub struct NotCode;"),
        ])
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
                "models::Contact: struct #[non_exhaustive]",
                "models::Contact as From<u8>: impl",
                "models::Contact derives: Clone, Debug, Default",
                "models::Contact.id: Option<String>",
                "models::Contact::new: fn(id: impl Into<String>) -> Self",
                "models::State: enum",
                "models::State::Closed: variant(String)",
                "models::State::Open: variant",
            ]
        );
    }

    fn keys(c: &Comparison, breaks: bool) -> Vec<&str> {
        c.changes
            .iter()
            .filter(|x| x.breaks == breaks)
            .map(|x| x.key.as_str())
            .collect()
    }

    #[test]
    fn removed_or_changed_items_break_and_new_ones_mostly_do_not() {
        let old = crate_of(
            "#[non_exhaustive] pub struct A { pub x: String }\npub struct B { pub y: u8 }\npub enum E { One }\n#[non_exhaustive] pub enum F { One }\npub struct Gone;\n\
             #[derive(Debug)] #[cfg(feature = \"a\")] pub struct G;",
        );
        let same = compare(&old, &old);
        assert!(same.is_empty() && !same.breaking());

        // New items, a new derive, a type available under one more feature.
        let added = crate_of(
            "#[non_exhaustive] pub struct A { pub x: String, pub z: u8 }\npub struct B { pub y: u8 }\npub enum E { One }\n#[non_exhaustive] pub enum F { One, Two }\npub struct Gone;\npub struct New;\n\
             #[derive(Debug, Clone)] #[cfg(any(feature = \"a\", feature = \"b\"))] pub struct G;",
        );
        let c = compare(&old, &added);
        assert!(!c.breaking(), "{c:?}");
        assert_eq!(
            keys(&c, false),
            [
                "models::A.z",
                "models::F::Two",
                "models::G derives",
                "models::G features",
                "models::New"
            ]
        );

        let broken = crate_of(
            "#[non_exhaustive] pub struct A { pub x: i64 }\npub struct B { pub y: u8, pub w: u8 }\npub enum E { One, Two }\n#[non_exhaustive] pub enum F { One }\n\
             #[cfg(feature = \"b\")] pub struct G;",
        );
        let c = compare(&old, &broken);
        assert!(c.breaking());
        assert_eq!(
            keys(&c, true),
            [
                "models::A.x",
                "models::B.w",
                "models::E::Two",
                "models::G derives",
                "models::G features",
                "models::Gone"
            ]
        );
        let x = &c.changes[0];
        assert_eq!(
            (x.old.as_deref(), x.new.as_deref()),
            (Some("String"), Some("i64"))
        );
        let text = markdown(&c, true);
        assert!(
            text.contains("- `models::Gone`: removed (was `struct (unit)`)"),
            "{text}"
        );
        assert!(text.contains("- `models::G features`: `a` → `b`"), "{text}");
    }

    #[test]
    fn features_are_read_from_cfg() {
        assert_eq!(cfg_features("cfg(feature = \"a\")"), ["a"]);
        assert_eq!(
            cfg_features("cfg(any(feature = \"a\", feature = \"b\"))"),
            ["a", "b"]
        );
        assert_eq!(cfg_features("cfg(test)"), ["cfg(test)"]);
    }

    #[test]
    fn private_modules_show_only_what_is_re_exported() {
        let r = record_of(&[
            ("src/lib.rs", "mod runtime;\npub use runtime::Client;\n"),
            (
                "src/runtime/client.rs",
                "pub struct Client { pub token: String }\nimpl Client { pub fn new() -> Self { todo!() } }\n\
                 pub struct Helper;\npub trait Shape {}\nimpl Shape for Client {}\nimpl Clone for Client { fn clone(&self) -> Self { todo!() } }\n\
                 pub use inner::*;\n",
            ),
        ]);
        let lines: Vec<&str> = r.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            lines,
            [
                "Client: use runtime::Client",
                "runtime::client::Client: struct",
                "runtime::client::Client as Clone: impl",
                "runtime::client::Client.token: String",
                "runtime::client::Client::new: fn() -> Self",
            ]
        );
        assert!(comparable(&r));
        assert!(!comparable(
            "# an older record\nClient: use runtime::Client\n"
        ));
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

    /// `tidy_text` as it was first written: one `replace` per rule.
    fn tidy_by_rules(printed: &str) -> String {
        let mut s = printed.to_string();
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
        s.replace("->", " -> ").replace("  ", " ")
    }

    #[test]
    fn tokens_are_spelled_as_written() {
        let ty: syn::Type = syn::parse_str(
            "Option < std :: collections :: BTreeMap < String , Vec < & 'a [u8] > > >",
        )
        .unwrap();
        assert_eq!(
            tidy(&ty),
            "Option<std::collections::BTreeMap<String, Vec<&'a [u8]>>>"
        );
        let sig: syn::Signature =
            syn::parse_str("fn f(mut self, x: impl IntoIterator<Item = impl Into<T>>) -> Self")
                .unwrap();
        assert_eq!(
            signature(&sig),
            "fn(mut self, x: impl IntoIterator<Item = impl Into<T>>) -> Self"
        );
    }

    proptest::proptest! {
        /// The one pass spells whatever proc-macro2 prints (tokens one
        /// space apart) as the rules did one after the other.
        #[test]
        fn one_pass_tidies_as_the_rules_did(
            tokens in proptest::collection::vec(
                proptest::sample::select(vec![
                    // A colon follows a name (`x: T`, `Item = T` aside).
                    "a", "Vec", "<", ">", ",", "::", "x :", "&", "(", ")", "[", "]",
                    "'a", "->", "=", "mut", "impl", "\"x y\"", "!", "#",
                ]),
                0..24,
            )
        ) {
            let printed = tokens.join(" ");
            proptest::prop_assert_eq!(tidy_text(&printed), tidy_by_rules(&printed));
        }
    }

    /// Records as `record` writes them, from (key, value) pairs.
    fn text_of(items: &BTreeMap<String, String>) -> String {
        let mut text = format!("# header\n{FORMAT}\n");
        for (k, v) in items {
            let _ = writeln!(text, "{k}: {v}");
        }
        text
    }

    proptest::proptest! {
        /// Whatever two records hold: nothing changes between a record and
        /// itself; every key gone breaks code; what one direction removes
        /// the other adds; an unchanged key is never listed.
        #[test]
        fn comparisons_account_for_every_key(
            a in proptest::collection::btree_map("m::[A-C](::[a-c]|\\.[a-c])?", "(struct|enum|variant|fn\\(x: u8\\)|i64)( #\\[non_exhaustive\\])?", 0..12),
            b in proptest::collection::btree_map("m::[A-C](::[a-c]|\\.[a-c])?", "(struct|enum|variant|fn\\(x: u8\\)|i64)( #\\[non_exhaustive\\])?", 0..12),
        ) {
            let (ta, tb) = (text_of(&a), text_of(&b));
            proptest::prop_assert!(compare(&ta, &ta).is_empty());
            let forward = compare(&ta, &tb);
            let back = compare(&tb, &ta);
            for c in &forward.changes {
                proptest::prop_assert_eq!(a.get(&c.key), c.old.as_ref());
                proptest::prop_assert_eq!(b.get(&c.key), c.new.as_ref());
                proptest::prop_assert!(c.old != c.new);
                if c.new.is_none() {
                    proptest::prop_assert!(c.breaks);
                }
            }
            let changed = |x: &BTreeMap<String, String>, y: &BTreeMap<String, String>| -> Vec<String> {
                x.keys().chain(y.keys()).filter(|k| x.get(*k) != y.get(*k)).cloned().collect::<std::collections::BTreeSet<_>>().into_iter().collect()
            };
            let keys: Vec<String> = forward.changes.iter().map(|c| c.key.clone()).collect();
            proptest::prop_assert_eq!(keys, changed(&a, &b));
            let removed: Vec<&String> = forward.changes.iter().filter(|c| c.new.is_none()).map(|c| &c.key).collect();
            let added_back: Vec<&String> = back.changes.iter().filter(|c| c.old.is_none()).map(|c| &c.key).collect();
            proptest::prop_assert_eq!(removed, added_back);
        }
    }

    /// The committed crate's record reads back whole: one entry per line,
    /// no key that holds the separator.
    #[test]
    fn the_shipped_record_reads_back_whole() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/api-surface.txt");
        let text = std::fs::read_to_string(path).expect("generated/api-surface.txt");
        assert!(comparable(&text));
        // Read from the trees, not from the printed text: how prettyplease
        // wraps a long signature leaves no trace (a trailing comma).
        assert!(!text.contains(",>"), "a value as it was wrapped");
        let lines = text.lines().filter(|l| !l.starts_with('#')).count();
        assert!(lines > 500, "{lines}");
        assert_eq!(entries(&text).len(), lines);
    }
}
