//! Reading a crate's public API from the syntax trees emit printed: one
//! [`Part`] per library source, its items' lines.

use super::{Part, SETS};
use quote::ToTokens;
use syn::{Attribute, Fields, ImplItem, Item, Visibility};

/// The lines of one item (a type with its fields, derives and features; an
/// impl's methods; a re-export), and when they are recorded.
#[derive(Debug)]
pub(super) struct Lines {
    pub(super) module: String,
    /// The item's name: recorded only where code outside can name it.
    pub(super) name: Option<String>,
    /// An impl of this trait: recorded unless no one outside can name the trait.
    pub(super) of_trait: Option<String>,
    /// A re-export: recorded only from a module code outside can name.
    pub(super) reexport: bool,
    pub(super) lines: Vec<(String, String)>,
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

/// `src/models.rs` → `models`, `src/runtime/mod.rs` → `runtime`,
/// `src/lib.rs` → the crate's root (empty); other files hold no API.
pub(super) fn module_of(path: &str) -> Option<String> {
    let rel = path.strip_prefix("src/")?.strip_suffix(".rs")?;
    let rel = rel
        .strip_suffix("/mod")
        .unwrap_or(if rel == "lib" { "" } else { rel });
    Some(rel.replace('/', "::"))
}

pub(super) fn join(module: &str, name: &str) -> String {
    if module.is_empty() {
        name.to_string()
    } else {
        format!("{module}::{name}")
    }
}

pub(super) fn public(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// Tokens as a person writes them: `Option<String>`, not `Option < String >`.
pub(super) fn tidy(tokens: impl ToTokens) -> String {
    tidy_text(&tokens.to_token_stream().to_string())
}

/// Tokens as proc-macro2 prints them (one space between tokens that are not
/// joined) to `tidy`'s spelling, in one pass: a space goes where nothing
/// binds it to its neighbour (after `<`, `&`, `(`, `[`, `'` or `::`;
/// before `<`, `>`, `,`, `:`, `(`, `)` or `]`), and the arrow keeps one on
/// each side.
pub(super) fn tidy_text(printed: &str) -> String {
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

/// What code relies on among an item's attributes: `#[non_exhaustive]` in
/// its value; its derives (sorted) and the features of its `cfg` under
/// keys of their own.
pub(super) fn attributes(
    key: &str,
    attrs: &[Attribute],
    out: &mut Vec<(String, String)>,
) -> String {
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
pub(super) fn cfg_features(cfg: &str) -> Vec<String> {
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

pub(super) fn with(kind: &str, rest: String) -> String {
    if rest.is_empty() {
        kind.to_string()
    } else {
        format!("{kind} {rest}")
    }
}

/// The struct a `crate::runtime::model!(Name, …)` invocation is for.
pub(super) fn model_macro(item: &Item) -> Option<String> {
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
pub(super) fn search_macro(module: &str, item: &Item) -> Option<Lines> {
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

pub(super) fn walk(module: &str, items: &[Item], found: &mut Vec<Lines>) {
    for item in items {
        if let Some(lines) = search_macro(module, item) {
            found.push(lines);
            continue;
        }
        if let Some(name) = model_macro(item) {
            // `model!` writes the struct's `Serialize` and `Deserialize`
            // (docs/decoding.md): to code outside, as good as derives.
            let key = format!("{} derives", join(module, &name));
            for (k, derives) in found.iter_mut().rev().flat_map(|l| l.lines.iter_mut()) {
                if *k == key {
                    let mut list: Vec<&str> = derives.split(", ").collect();
                    list.extend(["serde::Deserialize", "serde::Serialize"]);
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
pub(super) fn self_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

/// `fn<T>(self, id: impl PathValue) -> Request`: the name is the key.
pub(super) fn signature(sig: &syn::Signature) -> String {
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
pub(super) fn uses(tree: &syn::UseTree, prefix: String, out: &mut Vec<(String, String)>) {
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
