//! `tests/examples.rs`: every example in the spec, read into the type the
//! operation declares for it and written back unchanged; then searched for
//! what the types left untyped (`support::Untyped`, implemented here for
//! every type an example reaches).

use super::types::{ident, Types};
use crate::error::{Diagnostic, Result};
use crate::ir::{ResponseContent, TypeId, TypeKind, TypeRef};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::BTreeSet;

const SUPPORT: &str = include_str!("../../runtime/example_support.rs");

/// The test file, or `None` when the spec has no examples.
pub fn example_tests(types: &Types, krate: &str) -> Result<Option<syn::File>> {
    let mut cases = Vec::new();
    let mut roots: Vec<&TypeRef> = Vec::new();
    // The places evidence found no type for, by example (as evidence names it).
    let gaps = |example: String| -> Vec<String> {
        types
            .api
            .gaps
            .iter()
            .filter(|g| g.example == example)
            .map(|g| g.at.clone())
            .collect()
    };
    for (op, _) in types.surface.ops(types.api) {
        for r in &op.responses {
            if let ResponseContent::Json(ty) = &r.content {
                for (name, value) in &r.examples {
                    let label = format!("{} {} `{name}`", op.id, r.status);
                    let g = gaps(format!("{} {} response example `{name}`", op.id, r.status));
                    cases.push((label, value, g, types.tokens(ty)));
                    roots.push(ty);
                }
            }
        }
        if let Some(body) = &op.body {
            for (name, value) in &body.examples {
                let label = format!("{} request `{name}`", op.id);
                let g = gaps(format!("{} request example `{name}`", op.id));
                cases.push((label, value, g, types.tokens(&body.ty)));
                roots.push(&body.ty);
            }
        }
    }
    if cases.is_empty() {
        return Ok(None);
    }
    let support: syn::File = syn::parse_str(SUPPORT).map_err(|e| {
        Diagnostic::in_file(
            "generator/runtime/example_support.rs",
            format!("internal error: {e}"),
        )
    })?;
    let krate = ident(krate);
    let models = types.used_models().then(|| quote!(use #krate::models;));
    let prototype = StructImpl::new()?;
    let mut impls: Vec<syn::Item> = Vec::new();
    for id in reachable(types, &roots) {
        match struct_impl(types, &prototype, id) {
            Some(item) => impls.push(item),
            None => {
                let tokens = untyped_impl(types, id);
                let file: syn::File = syn::parse2(tokens).map_err(|e| {
                    Diagnostic::in_file("tests/examples.rs", format!("internal error: {e}"))
                })?;
                impls.extend(file.items);
            }
        }
    }
    let rows = cases.iter().map(|(label, value, gaps, ty)| {
        let json = super::syntax::raw_str(&value.to_string());
        quote!((#label, #json, &[#(#gaps),*], support::round_trip::<#ty>),)
    });
    let tokens = quote! {
        //! Each example in the API description, read into the type its
        //! operation declares and written back: nothing may be lost.
        #![allow(clippy::type_complexity)]

        #models

        mod support {
            #support
        }

        /// Where each type keeps what it does not describe.
        mod untyped {
            #[allow(unused_imports)]
            use #krate::models;
            use super::support::Untyped;

            /// Scalars and JSON values hold nothing untyped.
            macro_rules! typed {
                ($($t:ty),*) => {
                    $(impl Untyped for $t {
                        fn untyped(&self, _: &str, _: &mut Vec<String>) {}
                    })*
                };
            }

            typed!(String, i64, f64, bool, serde_json::Value, serde_json::Map<String, serde_json::Value>);
        }

        #[test]
        fn examples_round_trip() {
            let cases: &[support::Case] = &[ #(#rows)* ];
            support::run(cases);
        }
    };
    let mut file: syn::File = syn::parse2(tokens)
        .map_err(|e| Diagnostic::in_file("tests/examples.rs", format!("internal error: {e}")))?;
    // The impls, built apart, go at the end of `mod untyped`.
    for item in &mut file.items {
        if let syn::Item::Mod(m) = item {
            if m.ident == "untyped" {
                if let Some((_, content)) = &mut m.content {
                    content.append(&mut impls);
                }
            }
        }
    }
    Ok(Some(file))
}

/// Every named type an example can reach, in id order.
fn reachable(types: &Types, roots: &[&TypeRef]) -> BTreeSet<TypeId> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&TypeRef> = roots.to_vec();
    while let Some(t) = stack.pop() {
        match t {
            TypeRef::Array(x) | TypeRef::Map(x) => stack.push(x),
            TypeRef::Named(id) if seen.insert(*id) => match &types.api.ty(*id).kind {
                TypeKind::Struct { fields } => stack.extend(fields.iter().map(|f| &f.ty)),
                TypeKind::Union { variants, .. } => stack.extend(variants.iter().map(|v| &v.ty)),
                TypeKind::Enum { .. } => {}
            },
            _ => {}
        }
    }
    seen
}

/// Whether a value of `ty` can hold anything untyped.
fn may_hold(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) => true,
        TypeRef::Array(x) | TypeRef::Map(x) => may_hold(x),
        _ => false,
    }
}

/// The impl of a struct, made from a prototype: most of the file, so it is
/// built as a syntax tree rather than parsed.
struct StructImpl {
    item: syn::ItemImpl,
    field: syn::Stmt,
}

impl StructImpl {
    fn new() -> Result<StructImpl> {
        let file: syn::File = syn::parse2(quote! {
            impl Untyped for models::T {
                fn untyped(&self, at: &str, out: &mut Vec<String>) {
                    super::support::extra(&self.additional_properties, at, out);
                    self.f.untyped(&format!("{at}.f"), out);
                }
            }
        })
        .map_err(|e| Diagnostic::in_file("tests/examples.rs", format!("internal error: {e}")))?;
        let Some(syn::Item::Impl(mut item)) = file.items.into_iter().next() else {
            return Err(
                Diagnostic::in_file("tests/examples.rs", "internal error: prototype").into(),
            );
        };
        let field = match item.items.first_mut() {
            Some(syn::ImplItem::Fn(f)) => f.block.stmts.pop(),
            _ => None,
        };
        let Some(field) = field else {
            return Err(
                Diagnostic::in_file("tests/examples.rs", "internal error: prototype").into(),
            );
        };
        Ok(StructImpl { item, field })
    }
}

/// `impl Untyped for models::X` for a struct: its extra map, then each field
/// that can hold anything untyped; `None` for the other kinds of type.
fn struct_impl(types: &Types, prototype: &StructImpl, id: TypeId) -> Option<syn::Item> {
    let TypeKind::Struct { fields } = &types.api.ty(id).kind else {
        return None;
    };
    let members = &types.surface.types[id.0].members;
    let mut item = prototype.item.clone();
    if let syn::Type::Path(p) = &mut *item.self_ty {
        if let Some(last) = p.path.segments.last_mut() {
            last.ident = ident(types.surface.type_name(id));
        }
    }
    let Some(syn::ImplItem::Fn(f)) = item.items.first_mut() else {
        return None;
    };
    for (field, member) in fields.iter().zip(members).filter(|(f, _)| may_hold(&f.ty)) {
        let mut stmt = prototype.field.clone();
        if let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = &mut stmt {
            if let syn::Expr::Field(receiver) = &mut *call.receiver {
                receiver.member = syn::Member::Named(ident(member));
            }
            if let Some(syn::Expr::Reference(r)) = call.args.first_mut() {
                if let syn::Expr::Macro(m) = &mut *r.expr {
                    let path = format!(
                        "{{at}}.{}",
                        field.json_name.replace('{', "{{").replace('}', "}}")
                    );
                    m.mac.tokens = quote!(#path);
                }
            }
        }
        f.block.stmts.push(stmt);
    }
    Some(syn::Item::Impl(item))
}

/// `impl Untyped for models::X` for an enum (`Unknown`) or a union (the
/// alternative read, or `Unknown`).
fn untyped_impl(types: &Types, id: TypeId) -> TokenStream {
    let name = ident(types.surface.type_name(id));
    let members = &types.surface.types[id.0].members;
    let body = match &types.api.ty(id).kind {
        TypeKind::Struct { fields } => {
            let fields = fields
                .iter()
                .zip(members)
                .filter(|(f, _)| may_hold(&f.ty))
                .map(|(f, m)| {
                    let (m, json) = (
                        ident(m),
                        format!(
                            "{{at}}.{}",
                            f.json_name.replace('{', "{{").replace('}', "}}")
                        ),
                    );
                    quote!(self.#m.untyped(&format!(#json), out);)
                });
            quote! {
                extra(&self.additional_properties, at, out);
                #(#fields)*
            }
        }
        TypeKind::Enum { .. } => quote! {
            if let models::#name::Unknown(value) = self {
                out.push(format!("{at}: {value:?} is not a value the description lists"));
            }
        },
        TypeKind::Union { variants, .. } => {
            let arms = variants.iter().zip(members).map(|(v, m)| {
                let m = ident(m);
                if may_hold(&v.ty) {
                    quote!(models::#name::#m(x) => x.untyped(at, out),)
                } else {
                    quote!(models::#name::#m(_) => {})
                }
            });
            let message = format!("{{at}}: fits none of the alternatives of `{name}`");
            quote! {
                match self {
                    #(#arms)*
                    // A null holds nothing to type.
                    models::#name::Unknown(value) if !value.is_null() => out.push(format!(#message)),
                    _ => {}
                }
            }
        }
    };
    quote! {
        impl Untyped for models::#name {
            fn untyped(&self, at: &str, out: &mut Vec<String>) {
                #body
            }
        }
    }
}
