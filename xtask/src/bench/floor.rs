//! The floor of a generated crate's build (issue 35): what its types must
//! cost, built beside it. Made from the crate's own sources, syntactically:
//!
//! - `src/models.rs`: every struct and enum of the crate's `models`, with
//!   their `#[cfg]`s, their public fields and the serde attributes a
//!   derive needs to read and write them as the crate does, deriving
//!   `serde::Serialize` and `serde::Deserialize` and nothing else:
//!   - a struct's `crate::runtime::model!` invocation (which writes its
//!     serde impls in the crate) gives each field's key as a `rename`,
//!     an optional field `default` and `skip_serializing_if`, and
//!     `additional_properties` `flatten`;
//!   - a string enum's values are `#[serde(rename)]`s of its variants, its
//!     `Unknown(String)` an untagged variant;
//!   - an attribute `serde` already carries (a union's `untagged`) is kept.
//!
//!   No other derive, impl, macro or constant.
//! - `src/floor.rs`: for each operation of each area module, one
//!   non-generic function that decodes its success type
//!   (`serde_json::from_slice`) and one that encodes its JSON body
//!   (`serde_json::to_vec`), gated as the area is, so the floor pays the
//!   monomorphised serde code the crate's `send()`s do.
//! - `src/lib.rs`: the two modules and `UnixTimestamp`; `Cargo.toml`: the
//!   crate's features (so one area's floor builds alone), serde and
//!   serde_json.
//!
//! No area module, runtime, setter, constructor or tolerant reading.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Writes the floor of the crate in `krate` into `out`.
pub fn write(krate: &Path, out: &Path) -> Result<(), String> {
    let read =
        |rel: &str| std::fs::read_to_string(krate.join(rel)).map_err(|e| format!("{rel}: {e}"));
    let parse = |rel: &str| -> Result<syn::File, String> {
        syn::parse_file(&read(rel)?).map_err(|e| format!("{rel}: {e}"))
    };
    let lib = parse("src/lib.rs")?;
    let models = models(&parse("src/models.rs")?);
    // The area modules, with the `#[cfg]` lib.rs gives each.
    let mut functions = Vec::new();
    for item in &lib.items {
        let syn::Item::Mod(m) = item else { continue };
        let name = m.ident.to_string();
        if m.content.is_some()
            || matches!(name.as_str(), "models" | "runtime" | "mock" | "webhooks")
        {
            continue;
        }
        let cfg: Vec<&syn::Attribute> = m
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("cfg"))
            .collect();
        let area = parse(&format!("src/{name}.rs"))?;
        for (i, (ty, decode)) in calls(&area).into_iter().enumerate() {
            let f = format_ident!(
                "{}_{}_{}",
                if decode { "decode" } else { "encode" },
                name,
                i
            );
            functions.push(if decode {
                quote! {
                    #(#cfg)*
                    pub fn #f(bytes: &[u8]) -> serde_json::Result<#ty> {
                        serde_json::from_slice(bytes)
                    }
                }
            } else {
                quote! {
                    #(#cfg)*
                    pub fn #f(value: &#ty) -> serde_json::Result<Vec<u8>> {
                        serde_json::to_vec(value)
                    }
                }
            });
        }
    }
    let floor = quote! {
        #[allow(unused_imports)]
        use crate::models;
        #(#functions)*
    };
    let lib_rs = quote! {
        #![allow(dead_code, clippy::all)]
        pub mod models;
        pub mod floor;
        pub type UnixTimestamp = i64;
    };
    let print = |tokens: TokenStream| -> Result<String, String> {
        syn::parse2::<syn::File>(tokens)
            .map(|f| prettyplease::unparse(&f))
            .map_err(|e| format!("floor: {e}"))
    };
    std::fs::create_dir_all(out.join("src")).map_err(|e| e.to_string())?;
    let write = |rel: &str, text: String| {
        std::fs::write(out.join(rel), text).map_err(|e| format!("{rel}: {e}"))
    };
    let manifest = manifest(&read("Cargo.toml")?);
    write("Cargo.toml", manifest)?;
    if krate.join("Cargo.lock").is_file() {
        std::fs::copy(krate.join("Cargo.lock"), out.join("Cargo.lock"))
            .map_err(|e| e.to_string())?;
    }
    write("src/lib.rs", print(lib_rs)?)?;
    write("src/models.rs", print(models)?)?;
    write("src/floor.rs", print(floor)?)?;
    Ok(())
}

/// The floor's manifest: the crate's name with `-floor`, its features (the
/// optional dependencies they turn on left out), serde and serde_json only.
fn manifest(crate_manifest: &str) -> String {
    let name = crate_manifest
        .lines()
        .find_map(|l| l.strip_prefix("name = "))
        .unwrap_or("\"crate\"")
        .trim_matches('"');
    let features: Vec<String> = crate_manifest
        .lines()
        .skip_while(|l| l.trim() != "[features]")
        .skip(1)
        .take_while(|l| !l.starts_with('['))
        .filter(|l| l.contains(" = ") && !l.trim_start().starts_with('#'))
        .map(|l| {
            let (key, list) = l.split_once(" = ").unwrap_or((l, "[]"));
            let kept: Vec<&str> = list
                .trim_matches(['[', ']'])
                .split(", ")
                .filter(|f| !f.is_empty() && !f.contains("dep:"))
                .collect();
            format!("{key} = [{}]", kept.join(", "))
        })
        .collect();
    format!(
        "[package]\nname = \"{name}-floor\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n[features]\n{}\n\n[dependencies]\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n",
        features.join("\n")
    )
}

/// What an area module decodes and encodes: each `send`'s success type
/// (a model, or a list of them) and each builder's JSON `body`, once each.
fn calls(area: &syn::File) -> Vec<(syn::Type, bool)> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let mut add = |ty: &syn::Type, decode: bool| {
        let text = quote!(#ty).to_string();
        if text.contains("models") && seen.insert((text, decode)) {
            out.push((ty.clone(), decode));
        }
    };
    for item in &area.items {
        match item {
            syn::Item::Struct(s) => {
                for f in &s.fields {
                    if f.ident.as_ref().is_some_and(|i| i == "body") {
                        if let Some(inner) = generic_arg(&f.ty, "Option") {
                            add(&inner, false);
                        }
                    }
                }
            }
            syn::Item::Impl(i) => {
                for item in &i.items {
                    let syn::ImplItem::Fn(f) = item else { continue };
                    if f.sig.ident != "send" {
                        continue;
                    }
                    if let syn::ReturnType::Type(_, ty) = &f.sig.output {
                        if let Some(ok) = generic_arg(ty, "Result") {
                            add(&ok, true);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The first type argument of `Name<…>`.
fn generic_arg(ty: &syn::Type, name: &str) -> Option<syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    })
}

/// The attributes of an item or field the floor keeps: `cfg` and `serde`.
fn kept(attrs: &[syn::Attribute]) -> Vec<syn::Attribute> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg") || a.path().is_ident("serde"))
        .cloned()
        .collect()
}

/// An item's attributes with the serde derives: its `cfg`s, the derive,
/// then its `serde` attributes (a derive helper comes after its derive).
fn derived(attrs: &[syn::Attribute]) -> TokenStream {
    let cfg = attrs.iter().filter(|a| a.path().is_ident("cfg"));
    let serde = attrs.iter().filter(|a| a.path().is_ident("serde"));
    quote! {
        #(#cfg)*
        #[derive(serde::Serialize, serde::Deserialize)]
        #(#serde)*
    }
}

/// What a struct's `model!` invocation says of each field: its key on the
/// wire, and whether it is optional.
type Members = BTreeMap<String, (String, bool)>;

/// The members of each `crate::runtime::model!(Name, [(key, field, how), …])`.
fn model_members(file: &syn::File) -> BTreeMap<String, Members> {
    use proc_macro2::TokenTree;
    let mut out = BTreeMap::new();
    for item in &file.items {
        let syn::Item::Macro(m) = item else { continue };
        if m.mac
            .path
            .segments
            .last()
            .is_none_or(|s| s.ident != "model")
        {
            continue;
        }
        let tokens: Vec<TokenTree> = m.mac.tokens.clone().into_iter().collect();
        let (Some(TokenTree::Ident(name)), Some(TokenTree::Group(list))) =
            (tokens.first(), tokens.get(2))
        else {
            continue;
        };
        let mut members = Members::new();
        for member in list.stream() {
            let TokenTree::Group(g) = member else {
                continue;
            };
            let parts: Vec<TokenTree> = g.stream().into_iter().collect();
            if let [TokenTree::Literal(key), _, TokenTree::Ident(field), _, TokenTree::Ident(how), ..] =
                parts.as_slice()
            {
                let key = syn::parse_str::<syn::LitStr>(&key.to_string())
                    .map(|l| l.value())
                    .unwrap_or_default();
                members.insert(field.to_string(), (key, how == "optional"));
            }
        }
        out.insert(name.to_string(), members);
    }
    out
}

/// The serde attributes a derive needs for a field of a struct `model!`
/// writes: as the crate reads and writes it.
fn member_attrs(members: &Members, field: &str) -> Vec<syn::Attribute> {
    let mut attrs = Vec::new();
    if field == "additional_properties" {
        attrs.push(syn::parse_quote!(#[serde(flatten)]));
    } else if let Some((key, optional)) = members.get(field) {
        if key != field {
            attrs.push(syn::parse_quote!(#[serde(rename = #key)]));
        }
        if *optional {
            attrs.push(
                syn::parse_quote!(#[serde(default, skip_serializing_if = "Option::is_none")]),
            );
        }
    }
    attrs
}

/// The models' types as the floor has them.
fn models(file: &syn::File) -> TokenStream {
    let model_members = model_members(file);
    // A string enum's values, from its `VALUES` (variant → value).
    let mut values: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for item in &file.items {
        let syn::Item::Impl(i) = item else { continue };
        let syn::Type::Path(p) = &*i.self_ty else {
            continue;
        };
        let Some(name) = p.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        for item in &i.items {
            let syn::ImplItem::Const(c) = item else {
                continue;
            };
            if c.ident != "VALUES" {
                continue;
            }
            let pairs = values.entry(name.clone()).or_default();
            collect_pairs(&c.expr, pairs);
        }
    }
    let mut out = Vec::new();
    for item in &file.items {
        match item {
            syn::Item::Struct(s) => {
                let attrs = derived(&s.attrs);
                let name = &s.ident;
                let members = model_members.get(&name.to_string());
                let fields = s
                    .fields
                    .iter()
                    .filter(|f| matches!(f.vis, syn::Visibility::Public(_)))
                    .map(|f| {
                        let mut attrs = kept(&f.attrs);
                        if let (Some(members), Some(id)) = (members, &f.ident) {
                            attrs.extend(member_attrs(members, &id.to_string()));
                        }
                        let (id, ty) = (&f.ident, &f.ty);
                        quote!(#(#attrs)* pub #id: #ty)
                    });
                out.push(match &s.fields {
                    syn::Fields::Named(_) => quote! {
                        #attrs
                        pub struct #name { #(#fields),* }
                    },
                    syn::Fields::Unnamed(_) => quote! {
                        #attrs
                        pub struct #name ( #(#fields),* );
                    },
                    syn::Fields::Unit => quote! {
                        #attrs
                        pub struct #name;
                    },
                });
            }
            syn::Item::Enum(e) => {
                let attrs = derived(&e.attrs);
                let name = &e.ident;
                let wire = values.get(&name.to_string());
                let variants = e.variants.iter().map(|v| {
                    let mut attrs = kept(&v.attrs);
                    let id = &v.ident;
                    if let Some(w) = wire.and_then(|w| w.get(&id.to_string())) {
                        attrs.push(syn::parse_quote!(#[serde(rename = #w)]));
                    } else if wire.is_some() && !v.fields.is_empty() {
                        attrs.push(syn::parse_quote!(#[serde(untagged)]));
                    }
                    let fields = &v.fields;
                    quote!(#(#attrs)* #id #fields)
                });
                out.push(quote! {
                    #attrs
                    pub enum #name { #(#variants),* }
                });
            }
            syn::Item::Type(t) => out.push(quote!(#t)),
            syn::Item::Use(u) => out.push(quote!(#u)),
            _ => {}
        }
    }
    quote!(#(#out)*)
}

/// `(Self::Variant, "value")` pairs in an expression.
fn collect_pairs(expr: &syn::Expr, pairs: &mut BTreeMap<String, String>) {
    match expr {
        syn::Expr::Reference(r) => collect_pairs(&r.expr, pairs),
        syn::Expr::Array(a) => a.elems.iter().for_each(|e| collect_pairs(e, pairs)),
        syn::Expr::Tuple(t) if t.elems.len() == 2 => {
            let (syn::Expr::Path(p), syn::Expr::Lit(l)) = (&t.elems[0], &t.elems[1]) else {
                return;
            };
            let (Some(variant), syn::Lit::Str(s)) = (p.path.segments.last(), &l.lit) else {
                return;
            };
            pairs.insert(variant.ident.to_string(), s.value());
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The floor the bench builds compiles (`cargo check`, serde only) for
    /// the shipped crate and for a fixture with unions and enums.
    #[test]
    fn the_floor_compiles() {
        let root = crate::workspace_root();
        let Ok(shipped) =
            crate::pinned_version(&root).and_then(|v| crate::shipped_target(&root, &v))
        else {
            panic!("the shipped spec cannot be read");
        };
        let fixture = crate::fixtures::options("combinators");
        let cases = [
            ("shipped", shipped.spec.clone(), shipped.options.clone()),
            (
                "combinators",
                root.join("generator/tests/fixtures/combinators.yaml"),
                fixture,
            ),
        ];
        for (name, spec, options) in cases {
            let generated = codegen::generate(&spec, &options).unwrap();
            let dir = root.join("target/floor-test").join(name);
            crate::crates::write_standalone(&root, &dir.join("crate"), &generated.files).unwrap();
            write(&dir.join("crate"), &dir.join("floor")).unwrap();
            let status = crate::crates::cargo_once(
                &dir.join("floor"),
                &root.join("target/floor-test/target"),
            )
            .args(["check", "--quiet", "--lib"])
            .env("RUSTFLAGS", "-D warnings")
            .status()
            .unwrap();
            assert!(status.success(), "the floor of {name} does not compile");
            let floor = std::fs::read_to_string(dir.join("floor/src/floor.rs")).unwrap();
            assert!(
                name != "shipped" || floor.contains("serde_json::from_slice"),
                "{floor}"
            );
        }
    }

    #[test]
    fn the_floor_keeps_types_and_serde_only() {
        let file: syn::File = syn::parse_quote! {
            #[cfg(feature = "a")]
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub struct Contact {
                pub email: Option<String>,
                pub type_: String,
                as_arrived: crate::runtime::Kept,
                /// Docs go.
                pub additional_properties: serde_json::Map<String, serde_json::Value>,
            }
            crate::runtime::model!(Contact, [("email", email, optional), ("type", type_, required)]);
            impl Contact { pub fn email(mut self, e: String) -> Self { self } }
            #[derive(Debug, Clone)]
            pub enum Role { User, Lead, Unknown(String) }
            impl Role { pub const VALUES: &'static [(Self, &'static str)] = &[(Self::User, "user"), (Self::Lead, "lead")]; }
            crate::runtime::string_enum!(Role);
        };
        let floor = models(&file).to_string();
        assert!(floor.contains("# [cfg (feature = \"a\")]"), "{floor}");
        assert!(
            floor.contains(
                "# [serde (default , skip_serializing_if = \"Option::is_none\")] pub email"
            ),
            "{floor}"
        );
        assert!(
            floor.contains("# [serde (rename = \"type\")] pub type_ : String"),
            "{floor}"
        );
        assert!(
            floor.contains("# [serde (flatten)] pub additional_properties"),
            "{floor}"
        );
        assert!(!floor.contains("as_arrived"), "{floor}");
        assert!(!floor.contains("Debug"), "{floor}");
        assert!(!floor.contains("model"), "{floor}");
        assert!(!floor.contains("fn email"), "{floor}");
        assert!(
            floor.contains("# [serde (rename = \"user\")] User"),
            "{floor}"
        );
        assert!(
            floor.contains("# [serde (untagged)] Unknown (String)"),
            "{floor}"
        );
        let area: syn::File = syn::parse_quote! {
            pub struct SearchContacts { client: Client, body: Option<models::SearchRequest> }
            impl SearchContacts {
                pub async fn send(self) -> Result<models::ContactList, Error> { todo!() }
            }
            impl DeleteContact {
                pub async fn send(self) -> Result<(), Error> { todo!() }
            }
        };
        let m = manifest("[package]\nname = \"x-api\"\n[features]\ndefault = [\"full\", \"webhooks\"]\n# c\nfull = [\"a\"]\na = []\nwebhooks = [\"dep:hmac\", \"dep:sha1\"]\n\n[dependencies]\nreqwest = \"0.12\"\n");
        assert!(m.contains("name = \"x-api-floor\""), "{m}");
        assert!(
            m.contains(
                "default = [\"full\", \"webhooks\"]\nfull = [\"a\"]\na = []\nwebhooks = []\n"
            ),
            "{m}"
        );
        assert!(!m.contains("reqwest"), "{m}");
        let calls: Vec<(String, bool)> = calls(&area)
            .into_iter()
            .map(|(t, d)| (quote!(#t).to_string(), d))
            .collect();
        assert_eq!(
            calls,
            vec![
                ("models :: SearchRequest".to_string(), false),
                ("models :: ContactList".to_string(), true)
            ]
        );
    }
}
