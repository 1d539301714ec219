//! Type references to Rust tokens, named as the surface decided.
//!
//! Paths are short: no spec type can take a std or prelude name (the
//! surface reserves them), so `Option`, `String`, `Vec` and `Box` need no
//! `::std::` prefix, and the crate's own items are named through `models`
//! or a `use` at the top of each file.

use crate::ir::{Api, TypeRef};
use crate::surface::Surface;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use std::cell::Cell;

pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// Where the tokens will live, which decides how named types are spelled.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// In `models`: by name.
    Models,
    /// Elsewhere, with `models` imported (another module of the crate, or its tests).
    Imported,
    /// Outside the crate (its tests), where timestamps are plain `i64`.
    Outside,
}

/// Spells types for one file, and remembers whether it used `models`.
pub struct Types<'a> {
    pub api: &'a Api,
    pub surface: &'a Surface,
    scope: Scope,
    used_models: Cell<bool>,
}

impl<'a> Types<'a> {
    pub fn new(api: &'a Api, surface: &'a Surface, scope: Scope) -> Self {
        Types {
            api,
            surface,
            scope,
            used_models: Cell::new(false),
        }
    }

    /// Whether any type spelled so far named `models::…`.
    pub fn used_models(&self) -> bool {
        self.used_models.get()
    }

    pub fn tokens(&self, ty: &TypeRef) -> TokenStream {
        match ty {
            TypeRef::String => quote!(String),
            TypeRef::Integer => quote!(i64),
            TypeRef::UnixTime if self.scope == Scope::Outside => quote!(i64),
            TypeRef::UnixTime => quote!(crate::UnixTimestamp),
            TypeRef::Number => quote!(f64),
            TypeRef::Boolean => quote!(bool),
            TypeRef::Json => quote!(serde_json::Value),
            TypeRef::Map(inner) if **inner == TypeRef::Json => {
                quote!(serde_json::Map<String, serde_json::Value>)
            }
            TypeRef::Map(inner) => {
                let inner = self.tokens(inner);
                quote!(std::collections::BTreeMap<String, #inner>)
            }
            TypeRef::Array(inner) => {
                let inner = self.tokens(inner);
                quote!(Vec<#inner>)
            }
            TypeRef::Named(id) => {
                let name = ident(self.surface.type_name(*id));
                match self.scope {
                    Scope::Models => quote!(#name),
                    Scope::Imported | Scope::Outside => {
                        self.used_models.set(true);
                        quote!(models::#name)
                    }
                }
            }
        }
    }
}
