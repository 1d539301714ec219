//! `src/models.rs`: one Rust type per named IR type, sorted by name.

use super::docs::doc_attrs;
use super::syntax::doc_line;
use super::types::{ident, Types};
use crate::error::{Diagnostic, Result};
use crate::ir::{Field, TypeDef, TypeId, TypeKind, UnionVariant};
use crate::surface::Gate;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// The type ids in the order models.rs lists them (by Rust name).
pub fn order(types: &Types) -> Vec<TypeId> {
    let mut ids: Vec<TypeId> = (0..types.api.types.len()).map(TypeId).collect();
    ids.sort_by(|a, b| types.surface.type_name(*a).cmp(types.surface.type_name(*b)));
    ids
}

/// The part of models.rs that holds `ids` (the first part also has the
/// module's docs): each type's items written as tokens, parsed, and given
/// the type's feature gate.
pub fn models(types: &Types, ids: &[TypeId], first: bool) -> Result<syn::File> {
    let docs = first.then(|| {
        quote! {
            //! The API's data types, generated from its schemas.
            //!
            //! Every struct keeps the properties it does not know in
            //! `additional_properties`, and every enum keeps the values it does
            //! not know in an `Unknown` variant, so that what the server sends
            //! survives a read-modify-write.
        }
    });
    // Binary properties are the runtime's `FilePart`, named through `models`.
    let file_part = (first && uses_binary(types.api)).then(|| {
        quote! {
            /// A file to upload: what binary (`format: binary`) properties hold.
            pub use crate::runtime::FilePart;
        }
    });
    let mut file = parse(quote!(#docs #file_part))?;
    let alternatives = struct_alternatives(types);
    for &id in ids {
        let t: &TypeDef = types.api.ty(id);
        let name = types.surface.type_name(id);
        let members = &types.surface.types[id.0].members;
        let tokens = match &t.kind {
            TypeKind::Struct { fields } => {
                let item = struct_item(types, id, fields);
                let model = model_macro(types, id, fields);
                let constructor = super::constructors::constructor(types, id, fields);
                let shape = alternatives
                    .contains(&id)
                    .then(|| struct_shape(types, id, name, fields));
                quote!(#item #model #constructor #shape)
            }
            TypeKind::Enum { variants } => {
                let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
                enum_items(
                    t.doc.as_deref(),
                    name,
                    &values,
                    members,
                    types.surface.types[id.0].default,
                )
            }
            TypeKind::Union { variants, tag } => {
                let doc = doc_attrs(t.doc.as_deref());
                let body = union_def(types, id, &ident(name), variants, members, tag.as_deref());
                let from = types.surface.types[id.0]
                    .sent
                    .then(|| super::constructors::union_from(types, name, variants, members));
                quote!(#doc #body #from)
            }
        };
        let mut items = parse(tokens)?.items;
        if let Some(cfg) = feature_gate(types, id) {
            for item in &mut items {
                add_attr(item, cfg.clone());
            }
        }
        file.items.extend(items);
        if let Some(base) = types.surface.types[id.0].extends {
            file.items
                .extend(parse(extends_from(types, id, base))?.items);
        }
    }
    Ok(file)
}

/// `impl From<Base> for Body`: a body that extends a component struct is
/// built from it, its own fields unset; compiled where both types are.
fn extends_from(types: &Types, id: TypeId, base: TypeId) -> TokenStream {
    let (name, base_name) = (
        ident(types.surface.type_name(id)),
        ident(types.surface.type_name(base)),
    );
    let (
        TypeKind::Struct { fields },
        TypeKind::Struct {
            fields: base_fields,
        },
    ) = (&types.api.ty(id).kind, &types.api.ty(base).kind)
    else {
        return TokenStream::new();
    };
    let members = &types.surface.types[id.0].members;
    let base_members = &types.surface.types[base.0].members;
    let inits = fields.iter().zip(members).map(|(f, member)| {
        let m = ident(member);
        match base_fields.iter().position(|b| b.json_name == f.json_name) {
            Some(i) => {
                let from = ident(&base_members[i]);
                // A wider type (a union) takes the base's value through its `From`.
                match (f.ty.same_rust(&base_fields[i].ty), f.optional()) {
                    (true, _) => quote!(#m: value.#from,),
                    (false, false) => quote!(#m: value.#from.into(),),
                    (false, true) => quote!(#m: value.#from.map(Into::into),),
                }
            }
            None => quote!(#m: None,),
        }
    });
    let doc = format!(
        " A `{name}` with every field of the `{base_name}` it extends; the fields of its own are unset."
    );
    // Where both types are compiled; `full` is every area, so it implies
    // the other gate.
    use crate::runtime::Need;
    let mut gates: Vec<Need> = [id, base]
        .iter()
        .filter_map(|&t| gate_features(types, t))
        .map(|f| Need::Features(f.into_iter().map(String::from).collect()))
        .collect();
    let full = Need::Features(["full".to_string()].into());
    if gates.contains(&full) {
        gates = vec![full];
    }
    let cfg = need_tokens(&Need::All(gates)).map(|p| quote!(#[cfg(#p)]));
    quote! {
        #cfg
        impl From<#base_name> for #name {
            #[doc = #doc]
            fn from(value: #base_name) -> Self {
                Self {
                    #(#inits)*
                    as_arrived: crate::runtime::Kept::default(),
                    additional_properties: value.additional_properties,
                }
            }
        }
    }
}

/// `#[cfg(any(feature = "…", …))]` for a type only some areas use, and
/// `#[cfg(feature = "full")]` (every area) for a type no operation uses.
/// A type a webhook item reaches is also compiled with `webhooks`.
fn feature_gate(types: &Types, id: TypeId) -> Option<syn::Attribute> {
    let features = gate_features(types, id)?;
    Some(match features.as_slice() {
        [one] => syn::parse_quote!(#[cfg(feature = #one)]),
        many => syn::parse_quote!(#[cfg(any(#(feature = #many),*))]),
    })
}

/// The features any of which compiles type `id` (`None`: always).
fn gate_features<'a>(types: &Types<'a>, id: TypeId) -> Option<Vec<&'a str>> {
    let surface = types.surface;
    let mut features: Vec<&str> = match surface.type_areas.get(id.0)? {
        Gate::Always => return None,
        Gate::Any(areas) => areas
            .iter()
            .map(|&a| surface.areas[a].module.as_str())
            .collect(),
        Gate::AllAreas => vec!["full"],
    };
    if surface.webhook_types.get(id.0).copied().unwrap_or(false) {
        features.push("webhooks");
    }
    Some(features)
}

fn add_attr(item: &mut syn::Item, attr: syn::Attribute) {
    let attrs = match item {
        syn::Item::Struct(i) => &mut i.attrs,
        syn::Item::Enum(i) => &mut i.attrs,
        syn::Item::Impl(i) => &mut i.attrs,
        syn::Item::Macro(i) => &mut i.attrs,
        syn::Item::Fn(i) => &mut i.attrs,
        syn::Item::Const(i) => &mut i.attrs,
        syn::Item::Type(i) => &mut i.attrs,
        syn::Item::Use(i) => &mut i.attrs,
        _ => return,
    };
    // One `cfg` per item: with one there already (a need the type's gate
    // does not imply), both in one `all`.
    if let Some(have) = attrs.iter_mut().find(|a| a.path().is_ident("cfg")) {
        if let (syn::Meta::List(outer), syn::Meta::List(inner)) = (&attr.meta, &have.meta) {
            let outer = &outer.tokens;
            // `all(a, all(b, c))` is `all(a, b, c)`.
            let inner = match syn::parse2::<syn::Meta>(inner.tokens.clone()) {
                Ok(syn::Meta::List(all)) if all.path.is_ident("all") => all.tokens,
                _ => inner.tokens.clone(),
            };
            *have = syn::parse_quote!(#[cfg(all(#outer, #inner))]);
            return;
        }
    }
    // After the docs, before the derives.
    let at = attrs
        .iter()
        .position(|a| !a.path().is_ident("doc"))
        .unwrap_or(attrs.len());
    attrs.insert(at, attr);
}

/// Whether any type or body of the API holds a file's bytes.
fn uses_binary(api: &crate::ir::Api) -> bool {
    let has = crate::ir::TypeRef::has_binary;
    let in_types = api.types.iter().any(|t| match &t.kind {
        TypeKind::Struct { fields } => fields.iter().any(|f| has(&f.ty)),
        TypeKind::Union { variants, .. } => variants.iter().any(|v| has(&v.ty)),
        TypeKind::Enum { .. } => false,
    });
    in_types
        || api
            .operations
            .iter()
            .any(|op| op.signature_types().any(has))
}

/// The structs that are alternatives of a union: they tell how well a value fits them.
fn struct_alternatives(types: &Types) -> std::collections::BTreeSet<TypeId> {
    let api = types.api;
    api.types
        .iter()
        .filter_map(|t| match &t.kind {
            TypeKind::Union { variants, .. } => Some(variants),
            _ => None,
        })
        .flatten()
        .filter_map(|v| match v.ty {
            crate::ir::TypeRef::Named(id) if matches!(api.ty(id).kind, TypeKind::Struct { .. }) => {
                Some(id)
            }
            _ => None,
        })
        .collect()
}

/// `impl Shape` for a struct alternative: its property names, the ones it
/// cannot do without, and its one-value properties.
fn struct_shape(types: &Types, id: TypeId, name: &str, fields: &[Field]) -> TokenStream {
    let name = ident(name);
    let shape = types.api.object_shape(fields);
    let (all, required) = (&shape.keys, &shape.required);
    let constants = shape.constants.iter().map(|(k, v)| quote!((#k, #v)));
    let Some(gate) = need_gate_of(types, "struct-alternative", id) else {
        return TokenStream::new();
    };
    quote! {
        #gate
        crate::runtime::object_shape!(#name, [#(#all),*], [#(#required),*], [#(#constants),*]);
    }
}

/// Whether code that calls a part of the runtime is written, and under
/// which `#[cfg(…)]`: where that part is compiled (`need`: `unions` or
/// `struct-alternative` for a `Shape` impl, which an untagged union's
/// `pick` calls; `tolerant` for what reads as the client does; see
/// `surface::needs`). `None`: never, so no code; `Some(None)`: always, no
/// cfg.
pub(super) fn need_gate(
    surface: &crate::surface::Surface,
    need: &str,
) -> Option<Option<TokenStream>> {
    let need = surface.runtime_needs.get(need)?.simplified();
    if need.never() {
        return None;
    }
    Some(need_tokens(&need).map(|p| quote!(#[cfg(#p)])))
}

/// As [`need_gate`], for an item of type `id`, which carries the type's own
/// gate: no `#[cfg]` where that gate implies the need (a reviewer would
/// mark a second `cfg` the first implies).
fn need_gate_of(types: &Types, need: &str, id: TypeId) -> Option<Option<TokenStream>> {
    let gate = need_gate(types.surface, need)?;
    let (Some(features), Some(n)) = (
        gate_features(types, id),
        types.surface.runtime_needs.get(need),
    ) else {
        return Some(gate);
    };
    // What the type's gate leaves of the need: the conjuncts it does not imply.
    let left = match n.simplified() {
        crate::runtime::Need::All(needs) => crate::runtime::Need::All(
            needs
                .into_iter()
                .filter(|n| !n.holds_wherever(&features))
                .collect(),
        ),
        n if n.holds_wherever(&features) => crate::runtime::Need::Always,
        n => n,
    };
    Some(need_tokens(&left).map(|p| quote!(#[cfg(#p)])))
}

/// A need as a cfg predicate (`None`: always).
fn need_tokens(need: &crate::runtime::Need) -> Option<TokenStream> {
    use crate::runtime::Need;
    match need.simplified() {
        Need::Always => None,
        Need::Features(features) if features.len() == 1 => {
            let feature = features.iter().next();
            Some(quote!(feature = #feature))
        }
        Need::Features(features) => {
            let features = features.iter();
            Some(quote!(any(#(feature = #features),*)))
        }
        Need::All(needs) => {
            let each: Vec<TokenStream> = needs.iter().filter_map(need_tokens).collect();
            Some(quote!(all(#(#each),*)))
        }
    }
}

/// The function that tells how well a value fits an alternative of type
/// `ty`: its `Shape` (the runtime's for strings, numbers, lists, maps and
/// untyped values; generated for named types).
fn fit_fn(types: &Types, ty: &crate::ir::TypeRef) -> TokenStream {
    let t = types.tokens(ty);
    quote!(<#t as crate::runtime::Shape>::fit)
}

fn parse(tokens: TokenStream) -> Result<syn::File> {
    syn::parse2(tokens).map_err(|e| {
        Diagnostic::in_file(
            "src/models.rs",
            format!("internal error: generated code does not parse: {e}"),
        )
        .into()
    })
}

/// A string enum: the enum (with `Default` only when the surface gives it
/// a default value), its `VALUES` table, and the runtime macro that writes
/// the rest.
fn enum_items(
    doc: Option<&str>,
    name: &str,
    values: &[&str],
    members: &[String],
    default_value: Option<usize>,
) -> TokenStream {
    let name = ident(name);
    let doc = doc_attrs(doc);
    let derive = match default_value {
        Some(_) => quote!(#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]),
        None => quote!(#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]),
    };
    let variants: Vec<Ident> = members.iter().map(|m| ident(m)).collect();
    let variant_docs = values.iter().enumerate().map(|(i, value)| {
        let doc = doc_line(&format!(" `{}`", value.replace('`', "'")));
        let default = (default_value == Some(i)).then(|| quote!(#[default]));
        quote!(#doc #default)
    });
    quote! {
        #doc
        #derive
        #[non_exhaustive]
        pub enum #name {
            #(#variant_docs #variants,)*
            /// A value this version of the API description does not list.
            Unknown(String),
        }

        impl #name {
            /// The values this version of the API description lists, with their variants.
            pub const VALUES: &'static [(Self, &'static str)] = &[#((Self::#variants, #values)),*];
        }

        crate::runtime::string_enum!(#name);
    }
}

/// A struct: its fields (optional ones as `Option`), then the map of the
/// properties it does not know. `Serialize` and `Deserialize` are the
/// runtime's `model!`: it leaves out a stand-in and writes back what
/// arrived in its place (docs/decoding.md), and reads a struct with one
/// generic helper per member instead of serde's derived visitor
/// (BENCHMARKS.md, issue 35).
fn struct_item(types: &Types, id: TypeId, fields: &[Field]) -> TokenStream {
    let (t, names) = (types.api.ty(id), &types.surface.types[id.0]);
    let name = ident(&names.name);
    let fields = fields.iter().zip(&names.members).map(|(f, member)| {
        let doc = doc_attrs(f.doc.as_deref());
        let deprecated = f.deprecated.then(|| {
            let (blank, line) = (doc_line(""), doc_line(" Deprecated by the API."));
            quote!(#blank #line)
        });
        let mut ty = types.tokens(&f.ty);
        if f.boxed {
            ty = quote!(Box<#ty>);
        }
        if f.optional() {
            ty = quote!(Option<#ty>);
        }
        let member = ident(member);
        quote!(#doc #deprecated pub #member: #ty)
    });
    let doc = doc_attrs(t.doc.as_deref());
    // A default would send an invalid value for a required field.
    let derive = match names.derives_default {
        true => quote!(#[derive(Debug, Clone, PartialEq, Default)]),
        false => quote!(#[derive(Debug, Clone, PartialEq)]),
    };
    let extra_doc =
        doc_line(" Properties the API sent that this version of the types does not describe.");
    // A field the API adds later breaks no code: built with `new` and setters.
    quote! {
        #doc
        #derive
        #[non_exhaustive]
        pub struct #name {
            #(#fields,)*
            as_arrived: crate::runtime::Kept,
            #extra_doc
            pub additional_properties: serde_json::Map<String, serde_json::Value>,
        }
    }
}

/// `crate::runtime::model!`: the struct's `Serialize`, `Deserialize` and
/// its `Declared` shape, from each field's key, Rust name and presence (`required`, or
/// `optional`: an `Option`); the macro reads each field's type from the
/// struct.
fn model_macro(types: &Types, id: TypeId, fields: &[Field]) -> TokenStream {
    let names = &types.surface.types[id.0];
    let name = ident(&names.name);
    let members = fields.iter().zip(&names.members).map(|(f, member)| {
        let (key, field) = (&f.json_name, ident(member));
        let how = ident(if f.optional() { "optional" } else { "required" });
        quote!((#key, #field, #how))
    });
    quote!(crate::runtime::model!(#name, [#(#members),*]);)
}

fn union_def(
    types: &Types,
    id: TypeId,
    name: &Ident,
    variants: &[UnionVariant],
    members: &[String],
    tag: Option<&str>,
) -> TokenStream {
    let idents: Vec<Ident> = members.iter().map(|m| ident(m)).collect();
    let tys: Vec<TokenStream> = variants.iter().map(|v| types.tokens(&v.ty)).collect();
    let fits: Vec<TokenStream> = variants.iter().map(|v| fit_fn(types, &v.ty)).collect();
    // Untagged: the alternative the value fits best (see `runtime::pick`).
    // Tagged: the tag's value picks one.
    let (doc, deserialize_impl) = match tag {
        None => (
            TokenStream::new(),
            quote! {
                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                        Ok(crate::runtime::pick(
                            value,
                            &[#( (#fits, |v, tolerant| crate::runtime::read_value(v, tolerant).map(Self::#idents)), )*],
                            Self::Unknown,
                        ))
                    }
                }
            },
        ),
        Some(tag) => {
            let arms = variants.iter().zip(&idents).map(|(v, id)| {
                let values = &v.tag_values;
                quote! {
                    #( Some(#values) )|* => crate::runtime::read_value(&value, true)
                        .map(Self::#id)
                        .map_err(serde::de::Error::custom),
                }
            });
            let doc = format!(" Told apart by the `{tag}` property.");
            (
                quote!(#[doc = ""] #[doc = #doc]),
                quote! {
                    impl<'de> serde::Deserialize<'de> for #name {
                        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                            let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                            match value.get(#tag).and_then(serde_json::Value::as_str) {
                                #(#arms)*
                                _ => Ok(Self::Unknown(value)),
                            }
                        }
                    }
                },
            )
        }
    };
    let shape = need_gate_of(types, "unions", id).map(|gate| {
        quote! {
            #gate
            impl crate::runtime::Shape for #name {
                fn fit(value: &serde_json::Value) -> Option<crate::runtime::Fit> {
                    crate::runtime::best_fit(value, &[#(#fits),*])
                }
            }
        }
    });
    // A union reads itself (its `Deserialize` picks and corrects): to the
    // tolerant read of what holds it, any value is one.
    let described = need_gate_of(types, "tolerant", id).map(|gate| {
        quote! {
            #gate
            impl crate::runtime::Described for #name {
                fn node() -> crate::runtime::Declared {
                    crate::runtime::Declared::Any
                }
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #( #idents(#tys), )*
            /// A shape this version of the API description does not list.
            Unknown(serde_json::Value),
        }

        #deserialize_impl

        #shape

        #described
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_gets_one_cfg() {
        let mut item: syn::Item = syn::parse_quote! {
            #[doc = " A shape."]
            #[cfg(all(feature = "a", feature = "b"))]
            impl X {}
        };
        add_attr(&mut item, syn::parse_quote!(#[cfg(feature = "news")]));
        let syn::Item::Impl(i) = &item else { panic!() };
        let cfgs: Vec<String> = i
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("cfg"))
            .map(|a| quote!(#a).to_string())
            .collect();
        assert_eq!(
            cfgs,
            vec!["# [cfg (all (feature = \"news\" , feature = \"a\" , feature = \"b\"))]"]
        );
        let mut plain: syn::Item = syn::parse_quote!(impl Y {});
        add_attr(&mut plain, syn::parse_quote!(#[cfg(feature = "news")]));
        let syn::Item::Impl(i) = &plain else { panic!() };
        assert_eq!(i.attrs.len(), 1);
    }
}
