//! Type references to Rust tokens, with fully qualified std paths so that
//! no spec name can shadow them.

use crate::ir::{Api, TypeRef};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Where the tokens will live, which decides how named types are spelled.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Models,
    Crate,
    /// Outside the crate (its tests), with `models` imported.
    Outside,
}

pub fn type_tokens(api: &Api, ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Integer => quote!(i64),
        TypeRef::UnixTime if scope == Scope::Outside => quote!(i64),
        TypeRef::UnixTime => quote!(crate::UnixTimestamp),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::Map(inner) if **inner == TypeRef::Json => {
            quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(api, inner, scope);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        TypeRef::Array(inner) => {
            let inner = type_tokens(api, inner, scope);
            quote!(::std::vec::Vec<#inner>)
        }
        TypeRef::Named(id) => {
            let name = ident(&api.ty(*id).name);
            match scope {
                Scope::Models => quote!(#name),
                Scope::Crate => quote!(crate::models::#name),
                Scope::Outside => quote!(models::#name),
            }
        }
    }
}
