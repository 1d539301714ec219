//! `tests/prism.rs`: call every operation against a mock server that
//! validates requests against the spec (Prism, at `PRISM_URL`), with
//! arguments from the spec's examples, and read each response into its type.
//! The test is `#[ignore]`d: it needs the mock server that `cargo xtask
//! prism` starts (it runs it with `--ignored`).

use super::types::{ident, Types};
use crate::ir::{Api, Operation, TypeRef};
use crate::surface::OpSurface;
use proc_macro2::TokenStream;
use quote::quote;

/// The test file, or `None` for an API without operations.
pub fn prism_test(types: &Types, krate: &str) -> Option<TokenStream> {
    let (krate, calls, prelude) = every_call(types, krate)?;
    let gate = super::full_only();
    Some(quote! {
        //! Every operation against a mock server that validates requests
        //! (run by `cargo xtask prism`, which sets `PRISM_URL`).
        #![allow(deprecated)]
        #gate

        #prelude

        #[tokio::test]
        #[ignore = "needs a mock server at PRISM_URL: run `cargo xtask prism`"]
        async fn every_operation_against_prism() {
            let url = std::env::var("PRISM_URL")
                .expect("PRISM_URL, the mock server's URL (`cargo xtask prism` sets it)");
            // No retries (a mock's answer is final) and no redirects (a documented
            // redirect points at hosts beyond the loopback; it is the answer itself).
            let http = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("a plain reqwest client");
            let client = #krate::Client::builder()
                .base_url(url)
                .token("prism-test-token")
                .http_client(http)
                .max_retries(0)
                .build();
            let mut passed = 0usize;
            let mut failures: Vec<String> = Vec::new();
            #(#calls)*
            println!("prism: {} passed, {} failed", passed, failures.len());
            assert!(failures.is_empty(), "{} operation(s) failed:\n{}", failures.len(), failures.join("\n"));
        }
    })
}

/// `tests/mock.rs` (the `mock` feature): every operation, with the same
/// arguments, against `Mock::with_examples()`, in process; each answer must
/// read as its type. `None` for an API without operations.
pub fn mock_test(types: &Types, krate: &str) -> Option<TokenStream> {
    let (krate, calls, prelude) = every_call(types, krate)?;
    Some(quote! {
        //! Every operation against the description's examples, in process
        //! (`mock::Mock::with_examples`): each answer must read as its type.
        #![cfg(all(feature = "full", feature = "mock"))]
        #![allow(deprecated)]

        #prelude

        #[tokio::test]
        async fn every_operation_answers_from_its_examples() {
            let mock = #krate::mock::Mock::with_examples();
            // An answer is final: no retries.
            let client = mock.builder().max_retries(0).build();
            let mut passed = 0usize;
            let mut failures: Vec<String> = Vec::new();
            #(#calls)*
            let total = passed + failures.len();
            println!("mock: {} of {} operations answered", passed, total);
            assert!(failures.is_empty(), "{} operation(s) failed:\n{}", failures.len(), failures.join("\n"));
            assert_eq!(mock.requests().len(), total, "one request per operation");
        }
    })
}

/// What a test of every operation needs: the crate's name, a call of each
/// operation (counting `passed` and `failures`), and the file's first items
/// (`models`, and the `example` reader the calls use). `None` for an API
/// without operations.
fn every_call(
    types: &Types,
    krate: &str,
) -> Option<(proc_macro2::Ident, Vec<TokenStream>, TokenStream)> {
    let api = types.api;
    if api.operations.is_empty() {
        return None;
    }
    let krate = ident(krate);
    let calls: Vec<TokenStream> = types
        .surface
        .ops(api)
        .map(|(op, s)| call(types, op, s))
        .collect();
    let models = types.used_models().then(|| quote!(use #krate::models;));
    let prelude = quote! {
        #models

        /// An example as its type (the example tests check that it reads).
        #[allow(dead_code)]
        fn example<T: serde::de::DeserializeOwned>(json: &str) -> T {
            serde_json::from_str(json).unwrap_or_else(|e| panic!("the example does not read ({e}): {json}"))
        }
    };
    Some((krate, calls, prelude))
}

fn call(types: &Types, op: &Operation, s: &OpSurface) -> TokenStream {
    let method = ident(&s.method);
    let accessor = ident(&types.surface.areas[s.area].accessor);
    let label = format!("{} {} ({})", op.method.as_str(), op.path, op.id);
    let args = s
        .path_params(op)
        .map(|(p, _)| arg(types, &p.ty, p.example.as_ref()));
    let setters = s.setters(op).filter(|(p, _)| p.required).map(|(p, a)| {
        let (setter, value) = (ident(&a.name), arg(types, &p.ty, p.example.as_ref()));
        quote!(.#setter(#value))
    });
    let body = op.body.as_ref().zip(s.body.as_ref()).map(|(b, setter)| {
        let ty = types.tokens(&b.ty);
        let json = match success_example(op) {
            Some(v) => v.to_string(),
            None => sample(types.api, &b.ty, 0).to_string(),
        };
        let json = super::syntax::raw_str(&json);
        let setter = ident(setter);
        quote!(.#setter(example::<#ty>(#json)))
    });
    quote! {
        match client.#accessor().#method(#(#args),*) #(#setters)* #body .send().await {
            Ok(_) => passed += 1,
            Err(e) => failures.push(format!("{}: {}", #label, e)),
        }
    }
}

/// A value for a required parameter of type `ty`: its example, or a plain one.
fn arg(types: &Types, ty: &TypeRef, example: Option<&serde_json::Value>) -> TokenStream {
    match ty {
        TypeRef::String => {
            let s = match example {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => "1".to_string(),
            };
            quote!(#s)
        }
        TypeRef::Integer | TypeRef::UnixTime => {
            let n = example.and_then(serde_json::Value::as_i64).unwrap_or(1);
            quote!(#n)
        }
        TypeRef::Number => {
            let n = example.and_then(serde_json::Value::as_f64).unwrap_or(1.0);
            quote!(#n)
        }
        TypeRef::Boolean => {
            let b = example.and_then(serde_json::Value::as_bool).unwrap_or(true);
            quote!(#b)
        }
        TypeRef::Array(item) => {
            let t = types.tokens(item);
            quote!(Vec::<#t>::new())
        }
        other => {
            let t = types.tokens(other);
            let json = example
                .cloned()
                .unwrap_or_else(|| sample(types.api, other, 0));
            let json = super::syntax::raw_str(&json.to_string());
            quote!(example::<#t>(#json))
        }
    }
}

/// The request example that goes with a success: Intercom names request and
/// response examples alike (`successful`, `not_found`), so the request example
/// named like a 2xx response example is a valid request; else the first.
fn success_example(op: &Operation) -> Option<&serde_json::Value> {
    let body = op.body.as_ref()?;
    // Names are compared loosely: `user_message_created` pairs with `user message created`.
    let key = |n: &str| {
        n.to_ascii_lowercase()
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
    };
    let success_names: Vec<String> = op
        .success_responses()
        .flat_map(|r| r.examples.iter().map(|(n, _)| key(n)))
        .collect();
    body.examples
        .iter()
        .find(|(n, _)| success_names.contains(&key(n)))
        .or_else(|| body.examples.first())
        .map(|(_, v)| v)
}

/// A plain valid value of `ty`: required properties filled, the first enum
/// value or union alternative, non-empty strings (a mock server may treat
/// an empty query value as missing).
pub(super) fn sample(api: &Api, ty: &TypeRef, depth: usize) -> serde_json::Value {
    use serde_json::{json, Value};
    if depth > 8 {
        return Value::Null;
    }
    match ty {
        TypeRef::String | TypeRef::Binary => json!("1"),
        TypeRef::Integer | TypeRef::UnixTime => json!(1),
        TypeRef::Number => json!(1.0),
        TypeRef::Boolean => json!(true),
        TypeRef::Json => json!({}),
        TypeRef::Map(_) => json!({}),
        TypeRef::Array(_) => json!([]),
        TypeRef::Named(id) => match &api.ty(*id).kind {
            crate::ir::TypeKind::Enum { variants } => {
                variants.first().map_or(json!(""), |v| json!(v.value))
            }
            crate::ir::TypeKind::Union { variants, .. } => variants
                .first()
                .map_or(Value::Null, |v| sample(api, &v.ty, depth + 1)),
            crate::ir::TypeKind::Struct { fields } => {
                // Required fields, and the first of the property sets one of which is required.
                let first_set = api
                    .ty(*id)
                    .required_one_of
                    .first()
                    .cloned()
                    .unwrap_or_default();
                Value::Object(
                    fields
                        .iter()
                        .filter(|f| !f.optional() || first_set.contains(&f.json_name))
                        .map(|f| (f.json_name.clone(), sample(api, &f.ty, depth + 1)))
                        .collect(),
                )
            }
        },
    }
}
