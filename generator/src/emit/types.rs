//! Type references to Rust tokens, named as the surface decided.
//!
//! Paths are short: no spec type can take a std or prelude name (the
//! surface reserves them), so `Option`, `String`, `Vec` and `Box` need no
//! `::std::` prefix, and the crate's own items are named through `models`
//! or a `use` at the top of each file.

use super::syntax::generic;
use crate::ir::{Api, Operation, ResponseContent, TypeRef};
use crate::surface::Returns;
use crate::surface::Surface;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use quote::ToTokens;
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
        let (arg, value) = self.input_syn(ty, &id.to_string());
        (arg.to_token_stream(), value.to_token_stream())
    }

    /// [`Types::input`] as syntax trees.
    pub fn input_syn(&self, ty: &TypeRef, id: &str) -> (syn::Type, syn::Expr) {
        use super::syntax::{expr_path, impl_into, impl_into_iter, method_call};
        match ty {
            TypeRef::Array(item) => {
                let each = method_call(expr_path(&[id]), "into_iter", Vec::new());
                let each = method_call(each, "map", vec![expr_path(&["Into", "into"])]);
                (
                    impl_into_iter(impl_into(self.syn(item))),
                    method_call(each, "collect", Vec::new()),
                )
            }
            other => (
                impl_into(self.syn(other)),
                method_call(expr_path(&[id]), "into", Vec::new()),
            ),
        }
    }

    pub fn tokens(&self, ty: &TypeRef) -> TokenStream {
        self.syn(ty).to_token_stream()
    }

    /// The type as a syntax tree (see `syntax`); [`Types::tokens`] is its tokens.
    pub fn syn(&self, ty: &TypeRef) -> syn::Type {
        match ty {
            TypeRef::String => generic(&["String"], Vec::new()),
            // `models` re-exports the runtime's `FilePart` (see `models`).
            TypeRef::Binary if self.scope == Scope::Models => generic(&["FilePart"], Vec::new()),
            TypeRef::Binary => {
                self.used_models.set(true);
                generic(&["models", "FilePart"], Vec::new())
            }
            TypeRef::Integer => generic(&["i64"], Vec::new()),
            TypeRef::UnixTime if self.scope == Scope::Outside => generic(&["i64"], Vec::new()),
            TypeRef::UnixTime => generic(&["crate", "UnixTimestamp"], Vec::new()),
            TypeRef::Number => generic(&["f64"], Vec::new()),
            TypeRef::Boolean => generic(&["bool"], Vec::new()),
            TypeRef::Json => generic(&["serde_json", "Value"], Vec::new()),
            TypeRef::Map(inner) if **inner == TypeRef::Json => generic(
                &["serde_json", "Map"],
                vec![
                    generic(&["String"], Vec::new()),
                    generic(&["serde_json", "Value"], Vec::new()),
                ],
            ),
            TypeRef::Map(inner) => generic(
                &["std", "collections", "BTreeMap"],
                vec![generic(&["String"], Vec::new()), self.syn(inner)],
            ),
            TypeRef::Array(inner) => generic(&["Vec"], vec![self.syn(inner)]),
            TypeRef::Named(id) => {
                let name = self.surface.type_name(*id);
                match self.scope {
                    Scope::Models => generic(&[name], Vec::new()),
                    Scope::Imported | Scope::Outside => {
                        self.used_models.set(true);
                        generic(&["models", name], Vec::new())
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
