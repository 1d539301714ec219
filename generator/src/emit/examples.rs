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
/// Every example with what the test needs of it: its label, its value, the
/// gaps evidence found in it, and the type it is read as; in file order.
/// The last member says whether it is a response's.
fn cases<'a>(
    types: &Types<'a>,
) -> Vec<(
    String,
    &'a serde_json::Value,
    Vec<String>,
    &'a TypeRef,
    bool,
)> {
    let api = types.api;
    // The places evidence found no type for, by example (as evidence names it).
    let gaps = |example: String| -> Vec<String> {
        api.gaps
            .iter()
            .filter(|g| g.example == example)
            .map(|g| g.at.clone())
            .collect()
    };
    let mut cases = Vec::new();
    for (op, _) in types.surface.ops(api) {
        for r in &op.responses {
            if let ResponseContent::Json(ty) = &r.content {
                for (name, value) in &r.examples {
                    let label = format!("{} {} `{name}`", op.id, r.status);
                    let g = gaps(format!("{} {} response example `{name}`", op.id, r.status));
                    cases.push((label, value, g, ty, true));
                }
            }
        }
        if let Some(body) = &op.body {
            for (name, value) in &body.examples {
                let label = format!("{} request `{name}`", op.id);
                let g = gaps(format!("{} request example `{name}`", op.id));
                cases.push((label, value, g, &body.ty, false));
            }
        }
    }
    cases
}

/// `tests/examples.txt`, the examples the test reads: after the marker
/// line, one example a line, as compact JSON. (Data, not code: it is not
/// built into the test as string literals that rustc and rustfmt would
/// have to read.)
pub fn example_data(types: &Types, marker: &str) -> Option<String> {
    let cases = cases(types);
    if cases.is_empty() {
        return None;
    }
    let mut out = format!("# {marker}: the examples of tests/examples.rs, one a line.\n");
    for (_, value, _, _, _) in cases {
        out.push_str(&value.to_string());
        out.push('\n');
    }
    Some(out)
}

/// The test file, or `None` when the spec has no examples.
pub fn example_tests(types: &Types, krate: &str) -> Result<Option<syn::File>> {
    let cases = cases(types);
    let roots: Vec<&TypeRef> = cases.iter().map(|(_, _, _, ty, _)| *ty).collect();
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
    // Responses are read as the client reads them too, for the drift test
    // (docs/decoding.md), where the crate reads any (under `full`).
    let tolerant = super::models::need_gate(types.surface, "tolerant").is_some();
    let rows: Vec<TokenStream> = cases
        .iter()
        .map(|(label, _, gaps, ty, is_response)| {
            let read = if tolerant && *is_response {
                let ty = types.tokens(ty);
                quote! {
                    Some(|body: &[u8], strict: bool| support::written(
                        #krate::from_json::<#ty>(body, strict).map(|d| {
                            // What a list that is the body (no struct keeps it) left out.
                            let corrections = d
                                .corrections
                                .into_iter()
                                .map(|c| (c.path, c.arrived.filter(|_| c.kind == #krate::CorrectionKind::LeftOut)))
                                .collect();
                            (d.value, corrections)
                        }),
                        |e| e.decode_error().map_or_else(|| e.to_string(), |d| d.path.clone()),
                    ))
                }
            } else {
                quote!(None)
            };
            let ty = types.tokens(ty);
            quote!((#label, &[#(#gaps),*], support::round_trip::<#ty>, #read),)
        })
        .collect();
    let models = types.used_models().then(|| quote!(use #krate::models;));
    let gate = super::full_only();
    let impls = untyped_impls(types, &types.api.reachable(roots.iter().copied()));

    let tokens = quote! {
        //! Each example in the API description, read into the type its
        //! operation declares and written back: nothing may be lost.
        #![allow(clippy::type_complexity)]
        #gate

        #models

        #[macro_use]
        mod support {
            #support
        }

        /// Where each type keeps what it does not describe.
        mod untyped {
            #[allow(unused_imports)]
            use #krate::models;

            #impls
        }

        /// The examples, one a line after the first, in the order of `cases`.
        const EXAMPLES: &str = include_str!("examples.txt");

        #[test]
        fn examples_round_trip() {
            let cases: &[support::Case] = &[ #(#rows)* ];
            support::run(cases, EXAMPLES);
        }
    };
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| Diagnostic::in_file("tests/examples.rs", format!("internal error: {e}")))?;
    Ok(Some(file))
}

/// `Untyped` for each type, by the support's macros (one line a type, so
/// that the file stays quick to build and to print): a struct's extra map
/// and its fields that can hold anything untyped, an enum's `Unknown`, a
/// union's alternative or `Unknown`.
fn untyped_impls(types: &Types, ids: &BTreeSet<TypeId>) -> TokenStream {
    let mut enums = Vec::new();
    let mut out = Vec::new();
    for &id in ids {
        let name = ident(types.surface.type_name(id));
        let members = &types.surface.types[id.0].members;
        match &types.api.ty(id).kind {
            TypeKind::Struct { fields } => {
                let held = fields
                    .iter()
                    .zip(members)
                    .filter(|(f, _)| f.ty.has_named())
                    .map(|(f, m)| {
                        let (m, json) = (ident(m), &f.json_name);
                        quote!(#m #json)
                    });
                out.push(quote!(untyped_struct!(#name #(, #held)*);));
            }
            TypeKind::Enum { .. } => enums.push(name),
            TypeKind::Union { variants, .. } => {
                let (held, plain): (Vec<_>, Vec<_>) = variants
                    .iter()
                    .zip(members)
                    .partition(|(v, _)| v.ty.has_named());
                let held = held.iter().map(|(_, m)| ident(m));
                let plain = plain.iter().map(|(_, m)| ident(m));
                out.push(quote!(untyped_union!(#name; #(#held),*; #(#plain),*);));
            }
        }
    }
    let enums = (!enums.is_empty()).then(|| quote!(untyped_enum!(#(#enums),*);));
    quote! {
        #enums
        #(#out)*
    }
}
