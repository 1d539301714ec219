//! `src/models.rs`: one Rust type per named IR type, sorted by name.

use super::docs::doc_attrs;
use super::types::{ident, Types};
use crate::ir::{Field, TypeDef, TypeId, TypeKind, UnionVariant};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// The type ids in the order models.rs lists them (by Rust name).
pub fn order(types: &Types) -> Vec<TypeId> {
    let mut ids: Vec<TypeId> = (0..types.api.types.len()).map(TypeId).collect();
    ids.sort_by(|a, b| types.surface.type_name(*a).cmp(types.surface.type_name(*b)));
    ids
}

/// The part of models.rs that holds `ids` (the first part also has the module's docs).
pub fn models(types: &Types, ids: &[TypeId], first: bool) -> TokenStream {
    let items = ids.iter().map(|&id| type_def(types, id));
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
    quote! {
        #docs
        #(#items)*
    }
}

fn type_def(types: &Types, id: TypeId) -> TokenStream {
    let t: &TypeDef = types.api.ty(id);
    let doc = doc_attrs(t.doc.as_deref());
    let name = ident(types.surface.type_name(id));
    let members = &types.surface.types[id.0].members;
    let body = match &t.kind {
        TypeKind::Struct { fields } => struct_def(types, &name, fields, members),
        TypeKind::Enum { variants } => {
            let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
            enum_def(&name, &values, members)
        }
        TypeKind::Union { variants, tag } => {
            union_def(types, &name, variants, members, tag.as_deref())
        }
    };
    quote! { #doc #body }
}

fn struct_def(types: &Types, name: &Ident, fields: &[Field], members: &[String]) -> TokenStream {
    let fields = fields.iter().zip(members).map(|(f, rust_name)| {
        let doc = doc_attrs(f.doc.as_deref());
        let rust = ident(rust_name);
        let mut ty = types.tokens(&f.ty);
        if f.boxed {
            ty = quote!(Box<#ty>);
        }
        let json = &f.json_name;
        let rename = (rust_name != json).then(|| quote!(#[serde(rename = #json)]));
        let deprecated = f
            .deprecated
            .then(|| quote!(#[doc = ""] #[doc = " Deprecated by the API."]));
        if f.optional() {
            quote! {
                #doc #deprecated #rename
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub #rust: Option<#ty>,
            }
        } else {
            quote! { #doc #deprecated #rename pub #rust: #ty, }
        }
    });
    quote! {
        #[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #(#fields)*
            /// Properties the API sent that this version of the types does not describe.
            #[serde(flatten)]
            pub additional_properties: serde_json::Map<String, serde_json::Value>,
        }
    }
}

/// A string enum: the variants and their wire values; `Display`, serde and
/// `FromStr` come from the runtime's `string_enum!`, written once.
fn enum_def(name: &Ident, values: &[&str], members: &[String]) -> TokenStream {
    let idents: Vec<Ident> = members.iter().map(|m| ident(m)).collect();
    let docs = values.iter().map(|v| format!(" `{}`", v.replace('`', "'")));
    // The first listed value is the default (for one-value `type` enums, the only one).
    let (derive_default, unknown_default) = if idents.is_empty() {
        (
            TokenStream::new(),
            quote! {
                impl Default for #name {
                    fn default() -> Self {
                        Self::Unknown(String::new())
                    }
                }
            },
        )
    } else {
        (quote!(, Default), TokenStream::new())
    };
    let default_attr = (0..idents.len()).map(|i| (i == 0).then(|| quote!(#[default])));
    quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord #derive_default)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #docs] #default_attr #idents, )*
            /// A value this version of the API description does not list.
            Unknown(String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #values, )*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => Self::#idents, )*
                    other => Self::Unknown(other.to_string()),
                }
            }
        }

        #unknown_default

        crate::runtime::string_enum!(#name);
    }
}

fn union_def(
    types: &Types,
    name: &Ident,
    variants: &[UnionVariant],
    members: &[String],
    tag: Option<&str>,
) -> TokenStream {
    let idents: Vec<Ident> = members.iter().map(|m| ident(m)).collect();
    let tys: Vec<TokenStream> = variants.iter().map(|v| types.tokens(&v.ty)).collect();
    let default = quote! {
        impl Default for #name {
            fn default() -> Self {
                Self::Unknown(serde_json::Value::Null)
            }
        }
    };
    // Untagged: serde tries the alternatives in order. Tagged: the tag's value picks one.
    let (doc, derive_deserialize, deserialize_impl) = match tag {
        None => (
            TokenStream::new(),
            quote!(, serde::Deserialize),
            TokenStream::new(),
        ),
        Some(tag) => {
            let arms = variants.iter().zip(&idents).map(|(v, id)| {
                let values = &v.tag_values;
                quote! {
                    #( Some(#values) )|* => serde_json::from_value(value)
                        .map(Self::#id)
                        .map_err(serde::de::Error::custom),
                }
            });
            let doc = format!(" Told apart by the `{tag}` property.");
            (
                quote!(#[doc = ""] #[doc = #doc]),
                TokenStream::new(),
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
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, serde::Serialize #derive_deserialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #( #idents(#tys), )*
            /// A shape this version of the API description does not list.
            Unknown(serde_json::Value),
        }

        #deserialize_impl

        #default
    }
}
