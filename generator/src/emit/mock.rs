//! The `mock` feature of a generated crate: `src/mock.rs`, the crate's
//! operations as the runtime's `Mock` knows them (named as the client calls
//! them, `conversations().retrieve()`), a handle per area with a typed
//! expectation per operation (`mock.conversations().retrieve()`), and
//! `src/mock_examples.txt`, the answer each operation gives with
//! `Mock::with_examples()`: the description's example of its success, or a
//! value built from its schema where it has none.

use super::prism::sample;
use super::types::{content_type, ident, label, Types};
use crate::ir::{Operation, ResponseContent};
use crate::surface::{Area, OpSurface, Returns};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The file the examples are in, beside `src/mock.rs`.
pub const EXAMPLES_FILE: &str = "mock_examples.txt";

/// How the client calls an operation, without its arguments
/// (`conversations().retrieve()`).
fn call(types: &Types, s: &OpSurface) -> String {
    format!("{}()", types.surface.call(s))
}

/// `src/mock.rs`.
pub fn mock_module(types: &Types) -> TokenStream {
    let api = types.api;
    let surface = types.surface;
    let operations = surface.ops(api).map(|(op, s)| {
        let call = call(types, s);
        let method = op.method.as_str();
        let template = &op.path;
        quote!(runtime::MockOperation { call: #call, method: #method, template: #template })
    });
    let areas: Vec<TokenStream> = surface
        .areas
        .iter()
        .filter(|a| !a.ops.is_empty())
        .map(|a| area(types, a))
        .collect();
    // Used by the areas' handles, each behind its area's feature.
    let models = types.used_models().then(|| {
        quote! {
            #[allow(unused_imports)]
            use crate::models;
        }
    });
    let examples = EXAMPLES_FILE;
    quote! {
        //! Test your code without a server (the `mock` feature): a [`Mock`]
        //! gives a [`Client`] whose requests it answers in process, each from
        //! the answers queued for its operation, or from the description's
        //! examples ([`Mock::with_examples`]).
        //!
        //! Building and encoding requests, paging, retries, rate limits and
        //! reading answers are the client's own code; only the exchange over
        //! the network is replaced, and nothing waits on I/O, so a test under
        //! tokio's paused clock (`#[tokio::test(start_paused = true)]`, tokio's
        //! `test-util` feature) takes no real time, retries included.
        //!
        //! Each operation has its expectation, named as the client calls it,
        //! without its arguments: `mock.<area>().<operation>()`. On it,
        //! [`returns`](Expect::returns) queues a success value,
        //! [`fails`](Expect::fails) an [`Error`](crate::Error) (such as
        //! `Error::api(404, "not_found", "…")`), and
        //! [`responds`](Expect::responds) a raw answer (a 429 to retry, a body
        //! that differs from its description); answers are given in order, the
        //! last one repeating. [`when`](Expect::when) makes an expectation for
        //! only the requests a predicate accepts. [`Mock::requests`] lists what
        //! was sent, token redacted. A request nothing answers fails at once
        //! with an error naming its operation.

        #models
        use crate::runtime;
        use crate::{Client, ClientBuilder};

        pub use crate::runtime::{Expect, Mock, MockRequest};

        /// Every operation of the crate, as the client calls it.
        static OPERATIONS: &[runtime::MockOperation] = &[#(#operations),*];

        impl Mock {
            /// A mock that answers nothing until answers are queued.
            pub fn new() -> Mock {
                Mock::of(OPERATIONS, None)
            }

            /// A mock that answers every operation with its description's
            /// example of a success (or a value built from the success
            /// type's schema, where the description has no example) until
            /// answers are queued for it: an offline API.
            pub fn with_examples() -> Mock {
                Mock::of(OPERATIONS, Some(include_str!(#examples)))
            }

            /// A builder of a client whose requests this mock answers (set
            /// retries, `strict` or options on it as for a real client).
            pub fn builder(&self) -> ClientBuilder {
                self.attach(Client::builder())
            }

            /// A client whose requests this mock answers.
            pub fn client(&self) -> Client {
                self.builder().build()
            }
        }

        impl Default for Mock {
            fn default() -> Mock {
                Mock::new()
            }
        }

        #(#areas)*
    }
}

/// An area's handle: its accessor on `Mock`, and an expectation per operation.
fn area(types: &Types, a: &Area) -> TokenStream {
    let api = types.api;
    let feature = &a.module;
    let handle = format_ident!("{}Mock", a.handle);
    let accessor = ident(&a.accessor);
    let handle_doc = format!(
        " The answers of the {} area's operations (`mock.{}()`): see [`Mock`].",
        a.module, a.accessor
    );
    let accessor_doc = format!(
        " The answers of the {} area's operations, as [`Client::{}`] calls them.",
        a.module, a.accessor
    );
    let methods = a.ops.iter().map(|&i| {
        let (op, s) = (&api.operations[i], &types.surface.operations[i]);
        let call = call(types, s);
        let method = ident(&s.method);
        let doc = format!(" The answers of `client.{call}`, {}.", label(op));
        let ty = success_type(types, s);
        let reply = reply(types, op, s);
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> Expect<#ty> {
                self.mock.expect(#call, #reply)
            }
        }
    });
    quote! {
        #[cfg(feature = #feature)]
        #[doc = #handle_doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'m> {
            mock: &'m Mock,
        }

        #[cfg(feature = #feature)]
        impl Mock {
            #[doc = #accessor_doc]
            pub fn #accessor(&self) -> #handle<'_> {
                #handle { mock: self }
            }
        }

        #[cfg(feature = #feature)]
        impl #handle<'_> {
            #(#methods)*
        }
    }
}

/// The success type, as the mock module names it.
fn success_type(types: &Types, s: &OpSurface) -> TokenStream {
    match &s.success {
        Returns::One(content) => content_type(types, content),
        Returns::ByStatus { name, .. } => {
            let module = ident(&s.module);
            let name = ident(name);
            quote!(crate::#module::#name)
        }
    }
}

/// The first success status of `op` (200 when it declares none).
fn first_status(op: &Operation) -> u16 {
    op.success_responses()
        .next()
        .map_or(200, |r| r.status.code())
}

/// How a success value is written as an answer: `|value| MockReply::…`.
fn reply(types: &Types, op: &Operation, s: &OpSurface) -> TokenStream {
    let one = |status: u16, content: &ResponseContent, value: TokenStream| match content {
        ResponseContent::Json(_) => quote!(runtime::MockReply::json(#status, &#value)),
        ResponseContent::Text => quote!(runtime::MockReply::text(#status, #value)),
        ResponseContent::Bytes => quote!(runtime::MockReply::bytes(#status, #value)),
        ResponseContent::Empty => quote!(runtime::MockReply::empty(#status, #value)),
    };
    match &s.success {
        Returns::One(content) => {
            let reply = one(first_status(op), content, quote!(value));
            quote!(|value| #reply)
        }
        Returns::ByStatus { variants, .. } => {
            let ty = success_type(types, s);
            let arms = variants.iter().map(|v| {
                let id = ident(&v.name);
                let reply = one(v.status.code(), &v.content, quote!(value));
                quote!(#ty::#id(value) => #reply,)
            });
            quote!(|value| match value { #(#arms)* })
        }
    }
}

/// `src/mock_examples.txt`: after the marker line, one line per operation
/// (`call`, status, content type and body, separated by tabs; the body is
/// compact JSON, or empty).
pub fn mock_examples(types: &Types, marker: &str) -> String {
    let api = types.api;
    let mut out = format!(
        "# {marker}: the answer of each operation with `Mock::with_examples()`, one a line: call, status, content type, body.\n"
    );
    for (op, s) in types.surface.ops(api) {
        let (status, content) = match &s.success {
            Returns::One(content) => (first_status(op), content),
            Returns::ByStatus { variants, .. } => match variants.first() {
                Some(v) => (v.status.code(), &v.content),
                None => continue,
            },
        };
        let (media, body) = match content {
            ResponseContent::Json(ty) => {
                let example = op
                    .success_responses()
                    .find_map(|r| r.examples.first().map(|(_, v)| v.clone()))
                    .unwrap_or_else(|| sample(api, ty, 0));
                ("application/json", example.to_string())
            }
            ResponseContent::Text => ("text/plain", String::new()),
            ResponseContent::Bytes => ("application/octet-stream", String::new()),
            ResponseContent::Empty => ("", String::new()),
        };
        out.push_str(&format!("{}\t{status}\t{media}\t{body}\n", call(types, s)));
    }
    out
}
