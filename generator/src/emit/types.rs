//! Type references to Rust tokens, named as the surface decided.
//!
//! Paths are short: no spec type can take a std or prelude name (the
//! surface reserves them), so `Option`, `String`, `Vec` and `Box` need no
//! `::std::` prefix, and the crate's own items are named through `models`
//! or a `use` at the top of each file.

use crate::ir::{Api, Operation, ResponseContent, TypeRef};
use crate::surface::Returns;
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

    /// How a setter or constructor argument takes a value of `ty`
    /// (`impl Into<T>`, or for a list any `IntoIterator` of such items),
    /// and the expression that turns the argument `id` into a `ty`.
    pub fn input(&self, ty: &TypeRef, id: &Ident) -> (TokenStream, TokenStream) {
        match ty {
            TypeRef::Array(item) => {
                let item = self.tokens(item);
                (
                    quote!(impl IntoIterator<Item = impl Into<#item>>),
                    quote!(#id.into_iter().map(Into::into).collect()),
                )
            }
            other => {
                let ty = self.tokens(other);
                (quote!(impl Into<#ty>), quote!(#id.into()))
            }
        }
    }

    /// The type as tokens.
    pub fn tokens(&self, ty: &TypeRef) -> TokenStream {
        match ty {
            TypeRef::String => quote!(String),
            // `models` re-exports the runtime's `FilePart` (see `models`).
            TypeRef::Binary if self.scope == Scope::Models => quote!(FilePart),
            TypeRef::Binary => {
                self.used_models.set(true);
                quote!(models::FilePart)
            }
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

/// The type of a response body.
pub fn content_type(types: &Types, content: &ResponseContent) -> TokenStream {
    match content {
        ResponseContent::Empty => quote!(()),
        ResponseContent::Json(t) => types.tokens(t),
        ResponseContent::Text => quote!(String),
        ResponseContent::Bytes => quote!(Vec<u8>),
    }
}

/// The type a call yields: the one body type, or the enum by status.
pub fn returns_type(types: &Types, returns: &Returns) -> TokenStream {
    match returns {
        Returns::One(content) => content_type(types, content),
        Returns::ByStatus { name, .. } => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

/// An operation as its docs name it: `` `GET /path` ``.
pub fn label(op: &Operation) -> String {
    format!("`{} {}`", op.method.as_str(), op.path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::TypeKind;

    /// The spelling of messages (`surface::show`) is what models.rs writes,
    /// paths aside: for every field type of a fixture with maps, lists,
    /// timestamps and named types.
    #[test]
    fn messages_spell_types_as_the_code_does() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scalars.yaml");
        let spec = crate::load::load_file(&path).expect("fixture loads");
        let api = crate::normalize::normalize(&spec).expect("fixture normalizes");
        let surface = Surface::build(&api, &path);
        let types = Types::new(&api, &surface, Scope::Models);
        let (mut seen, mut maps) = (0, 0);
        for t in &api.types {
            let TypeKind::Struct { fields } = &t.kind else {
                continue;
            };
            for f in fields {
                let code = types.tokens(&f.ty).to_string().replace(' ', "");
                let code = code
                    .replace("std::collections::", "")
                    .replace("crate::", "");
                let shown = crate::surface::show(&surface, &f.ty).replace(' ', "");
                assert_eq!(shown, code, "{} in {}", f.json_name, t.place.name());
                seen += 1;
                maps += usize::from(shown.contains("Map<"));
            }
        }
        assert!(seen >= 5 && maps >= 2, "{seen} fields, {maps} maps");
    }
}
