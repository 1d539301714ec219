//! `src/models.rs`: one Rust type per named IR type, sorted by name.

use super::docs::doc_attrs;
use super::types::{ident, type_tokens, Scope};
use crate::ir::{Api, EnumVariant, Field, TypeDef, TypeKind, UnionVariant};
use proc_macro2::TokenStream;
use quote::quote;

pub fn models(api: &Api) -> TokenStream {
    let mut types: Vec<&TypeDef> = api.types.iter().collect();
    types.sort_by(|a, b| a.name.cmp(&b.name));
    let items = types.iter().map(|t| type_def(api, t));
    quote! {
        //! The API's data types, generated from its schemas.
        //!
        //! Every struct keeps the properties it does not know in
        //! `additional_properties`, and every enum keeps the values it does
        //! not know in an `Unknown` variant, so that what the server sends
        //! survives a read-modify-write.
        #(#items)*
    }
}

fn type_def(api: &Api, t: &TypeDef) -> TokenStream {
    let doc = doc_attrs(t.doc.as_deref());
    let name = ident(&t.name);
    let body = match &t.kind {
        TypeKind::Struct { fields } => struct_def(api, &name, fields),
        TypeKind::Enum { variants } => enum_def(&name, variants),
        TypeKind::Union { variants, tag } => union_def(api, &name, variants, tag.as_deref()),
    };
    quote! { #doc #body }
}

fn struct_def(api: &Api, name: &proc_macro2::Ident, fields: &[Field]) -> TokenStream {
    let fields = fields.iter().map(|f| {
        let doc = doc_attrs(f.doc.as_deref());
        let rust = ident(&f.rust_name);
        let mut ty = type_tokens(api, &f.ty, Scope::Models);
        if f.boxed {
            ty = quote!(::std::boxed::Box<#ty>);
        }
        let json = &f.json_name;
        let rename = (f.rust_name != *json).then(|| quote!(#[serde(rename = #json)]));
        let deprecated = f
            .deprecated
            .then(|| quote!(#[doc = ""] #[doc = " Deprecated by the API."]));
        if f.optional() {
            quote! {
                #doc #deprecated #rename
                #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
                pub #rust: ::std::option::Option<#ty>,
            }
        } else {
            quote! { #doc #deprecated #rename pub #rust: #ty, }
        }
    });
    quote! {
        #[derive(Debug, Clone, PartialEq, Default, ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #(#fields)*
            /// Properties the API sent that this version of the types does not describe.
            #[serde(flatten)]
            pub additional_properties: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        }
    }
}

fn enum_def(name: &proc_macro2::Ident, variants: &[EnumVariant]) -> TokenStream {
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
    let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
    let mut docs = values.iter().map(|v| format!(" `{}`", v.replace('`', "'")));
    let first_doc = docs.next().unwrap_or_default();
    // The first listed value is the default (for one-value `type` enums, the only one).
    let (derive_default, default_attr, unknown_default) = match idents.first() {
        Some(_) => (quote!(Default,), quote!(#[default]), TokenStream::new()),
        None => (
            TokenStream::new(),
            TokenStream::new(),
            quote! {
                impl ::std::default::Default for #name {
                    fn default() -> Self {
                        Self::Unknown(::std::string::String::new())
                    }
                }
            },
        ),
    };
    let first = idents
        .first()
        .map(|i| quote!(#[doc = #first_doc] #default_attr #i,));
    let rest_idents = idents.iter().skip(1);
    let rest_docs = docs;
    quote! {
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, #derive_default)]
        #[non_exhaustive]
        pub enum #name {
            #first
            #( #[doc = #rest_docs] #rest_idents, )*
            /// A value this version of the API description does not list.
            Unknown(::std::string::String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #values, )*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }

        #unknown_default

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => Self::#idents, )*
                    other => Self::Unknown(::std::string::String::from(other)),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value.as_str()))
            }
        }
    }
}

fn union_def(
    api: &Api,
    name: &proc_macro2::Ident,
    variants: &[UnionVariant],
    tag: Option<&str>,
) -> TokenStream {
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.rust_name)).collect();
    let tys: Vec<_> = variants
        .iter()
        .map(|v| type_tokens(api, &v.ty, Scope::Models))
        .collect();
    let common = quote! {
        impl ::std::default::Default for #name {
            fn default() -> Self {
                Self::Unknown(::serde_json::Value::Null)
            }
        }
    };
    // Untagged: serde tries the alternatives in order. Tagged: the tag's value picks one.
    let (doc, derive_deserialize, deserialize_impl) = match tag {
        None => (
            TokenStream::new(),
            quote!(, ::serde::Deserialize),
            TokenStream::new(),
        ),
        Some(tag) => {
            let arms = variants.iter().zip(&idents).map(|(v, id)| {
                let values = &v.tag_values;
                quote! {
                    #( ::std::option::Option::Some(#values) )|* => ::serde_json::from_value(value)
                        .map(Self::#id)
                        .map_err(::serde::de::Error::custom),
                }
            });
            let doc = format!(" Told apart by the `{tag}` property.");
            (
                quote!(#[doc = ""] #[doc = #doc]),
                TokenStream::new(),
                quote! {
                    impl<'de> ::serde::Deserialize<'de> for #name {
                        fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                            let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                            match value.get(#tag).and_then(::serde_json::Value::as_str) {
                                #(#arms)*
                                _ => ::std::result::Result::Ok(Self::Unknown(value)),
                            }
                        }
                    }
                },
            )
        }
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize #derive_deserialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #( #idents(#tys), )*
            /// A shape this version of the API description does not list.
            Unknown(::serde_json::Value),
        }
        #deserialize_impl
        #common
    }
}
