//! `tests/examples.rs`: every example in the spec, read into the type the
//! operation declares for it and written back unchanged.

use super::types::{ident, Types};
use crate::error::{Diagnostic, Result};
use crate::ir::ResponseContent;
use proc_macro2::TokenStream;
use quote::quote;

const SUPPORT: &str = include_str!("../../runtime/example_support.rs");

/// The test file, or `None` when the spec has no examples.
pub fn example_tests(types: &Types, krate: &str) -> Result<Option<TokenStream>> {
    let mut cases = Vec::new();
    for (op, _) in types.surface.ops(types.api) {
        for r in &op.responses {
            if let ResponseContent::Json(ty) = &r.content {
                for (name, value) in &r.examples {
                    let label = format!("{} {} `{name}`", op.id, r.status);
                    cases.push((label, value, types.tokens(ty)));
                }
            }
        }
        if let Some(body) = &op.body {
            for (name, value) in &body.examples {
                let label = format!("{} request `{name}`", op.id);
                cases.push((label, value, types.tokens(&body.ty)));
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
    let rows = cases.iter().map(|(label, value, ty)| {
        let json = super::syntax::raw_str(&value.to_string());
        quote!((#label, #json, support::round_trip::<#ty>),)
    });
    Ok(Some(quote! {
        //! Each example in the API description, read into the type its
        //! operation declares and written back: nothing may be lost.
        #![allow(clippy::type_complexity)]

        #models

        mod support {
            #support
        }

        #[test]
        fn examples_round_trip() {
            let cases: &[(&str, &str, fn(&str) -> Result<(), String>)] = &[ #(#rows)* ];
            support::run(cases);
        }
    }))
}
