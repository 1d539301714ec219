//! `src/operations.rs`: one async method on `Client` per operation, with its
//! success and error enums (and, for paginated operations, the stream
//! helpers of `pagination`), as the surface decided them.

use super::docs::doc_attrs;
use super::pagination;
use super::types::{ident, Types};
use crate::ir::{Operation, ParamLocation, ResponseContent, Status, TypeRef};
use crate::surface::{OpSurface, PathPart, Returns};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The first line of the `impl Client` block: a later part of the file
/// starts with it, which the join leaves out.
pub const IMPL_HEAD: &str = "#[allow(clippy::too_many_arguments)]\nimpl Client {\n";

/// Part of operations.rs: the methods of the operations at `range` of the
/// method order, in one `impl Client` block. The first part also has the
/// module's docs, its imports and every enum by status. Parts are formatted
/// apart and joined into one block (see `emit`).
pub fn operations(
    types: &Types,
    range: std::ops::Range<usize>,
    first: bool,
) -> Option<TokenStream> {
    let api = types.api;
    let mut enums = Vec::new();
    let mut methods = Vec::new();
    for (i, (op, s)) in types.surface.ops(api).enumerate() {
        if first {
            enums.extend(status_enum(types, op, &s.success, false));
            enums.extend(status_enum(types, op, &s.error, true));
        }
        if range.contains(&i) {
            methods.push(method(types, op, s));
            methods.extend(pagination::methods(types, op, s));
        }
    }
    if !first {
        return (!methods.is_empty()).then(|| {
            quote! {
                #[allow(clippy::too_many_arguments)]
                impl Client {
                    #(#methods)*
                }
            }
        });
    }
    if api.operations.is_empty() {
        return Some(quote! {
            //! One method per API operation (this API has none).
        });
    }
    let models = mentions_models(types).then(|| quote!(models,));
    let paged = types.surface.operations.iter().any(|s| s.paging.is_some());
    let stream = paged.then(|| {
        quote!(
            use futures_util::stream::BoxStream;
        )
    });
    Some(quote! {
        //! One method per API operation, and the types of what they return.

        use crate::runtime::{self, Request};
        use crate::{#models Client, Error};
        #stream
        use reqwest::Method;

        #(#enums)*

        #[allow(clippy::too_many_arguments)]
        impl Client {
            #(#methods)*
        }
    })
}

/// Whether any signature or enum of the file names a type of `models`.
fn mentions_models(types: &Types) -> bool {
    types
        .api
        .operations
        .iter()
        .any(|op| op.signature_types().any(TypeRef::has_named))
}

/// The type of a response body.
pub(super) fn content_type(types: &Types, content: &ResponseContent) -> TokenStream {
    match content {
        ResponseContent::Empty => quote!(()),
        ResponseContent::Json(t) => types.tokens(t),
        ResponseContent::Text => quote!(String),
        ResponseContent::Bytes => quote!(Vec<u8>),
    }
}

/// The type a call yields: the one body type, or the enum by status.
pub(super) fn returns_type(types: &Types, returns: &Returns) -> TokenStream {
    match returns {
        Returns::One(content) => content_type(types, content),
        Returns::ByStatus { name, .. } => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

fn read_expr(content: &ResponseContent) -> TokenStream {
    match content {
        ResponseContent::Empty => quote!(response.empty()),
        ResponseContent::Json(_) => quote!(response.json()),
        ResponseContent::Text => quote!(response.text()),
        ResponseContent::Bytes => quote!(response.bytes()),
    }
}

fn status_pattern(status: Status) -> TokenStream {
    match status {
        Status::Code(c) => {
            let c = Literal::u16_unsuffixed(c);
            quote!(#c)
        }
        Status::Range(r) => {
            let lo = u16::from(r) * 100;
            let (lo, hi) = (
                Literal::u16_unsuffixed(lo),
                Literal::u16_unsuffixed(lo + 99),
            );
            quote!(#lo..=#hi)
        }
        Status::Default => quote!(_),
    }
}

fn label(op: &Operation) -> String {
    format!("`{} {}`", op.method.as_str(), op.path)
}

/// The enum by status of a success or error, when there is one.
fn status_enum(
    types: &Types,
    op: &Operation,
    returns: &Returns,
    error: bool,
) -> Option<TokenStream> {
    let Returns::ByStatus { name, variants } = returns else {
        return None;
    };
    let name = ident(name);
    let doc = if error {
        format!(" The error bodies {} documents, by status.", label(op))
    } else {
        format!(" What {} returns, by status.", label(op))
    };

    let variants = variants.iter().map(|v| {
        let id = ident(&v.name);
        let t = content_type(types, &v.content);
        let doc = format!(" Status {}.", v.status);
        quote!(#[doc = #doc] #id(#t),)
    });
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name { #(#variants)* }
    })
}

/// Whether an argument of type `ty` is passed as a reference.
pub(super) fn by_reference(ty: &TypeRef) -> bool {
    !matches!(
        ty,
        TypeRef::Integer | TypeRef::UnixTime | TypeRef::Number | TypeRef::Boolean
    )
}

fn method(types: &Types, op: &Operation, s: &OpSurface) -> TokenStream {
    let ok_ty = returns_type(types, &s.success);
    let err_ty = returns_type(types, &s.error);

    let ok_arms: Vec<TokenStream> = match &s.success {
        Returns::One(content) => {
            let read = read_expr(content);
            // A documented redirect is the success when the client does not follow it.
            let redirects = op.success_responses().all(|r| r.status.is_redirect())
                && op.success_responses().next().is_some();
            let range = if redirects {
                quote!(200..=399)
            } else {
                quote!(200..=299)
            };
            vec![quote!(#range => #read,)]
        }
        Returns::ByStatus { name, variants } => {
            let name = ident(name);
            variants
                .iter()
                .map(|v| {
                    let pat = status_pattern(v.status);
                    let id = ident(&v.name);
                    let read = read_expr(&v.content);
                    quote!(#pat => #read.map(#name::#id),)
                })
                .collect()
        }
    };
    let err_arms: Vec<TokenStream> = match &s.error {
        Returns::One(_) => vec![quote!(_ => Err(response.api_error(runtime::parse_json)),)],
        Returns::ByStatus { name, variants } => {
            let name = ident(name);
            let mut arms: Vec<TokenStream> = variants
                .iter()
                .filter(|v| v.status != Status::Default)
                .map(|v| {
                    let pat = status_pattern(v.status);
                    let id = ident(&v.name);
                    quote! {
                        #pat => Err(response.api_error(|b| runtime::parse_json(b).map(#name::#id))),
                    }
                })
                .collect();
            let fallback = match variants.iter().find(|v| v.status == Status::Default) {
                Some(v) => {
                    let id = ident(&v.name);
                    quote!(|b| runtime::parse_json(b).map(#name::#id))
                }
                None => quote!(|_| None),
            };
            arms.push(quote!(_ => Err(response.api_error(#fallback)),));
            arms
        }
    };

    let args = arg_list(types, op, s, None);

    // The path: each argument percent-encoded into a local of its own name,
    // then one `format!` whose string names them.
    let mut encode = Vec::new();
    let mut template = String::new();
    for part in &s.path {
        match part {
            PathPart::Text(t) => template.push_str(&t.replace('{', "{{").replace('}', "}}")),
            PathPart::Arg(i) => {
                let arg = &s.args[*i];
                let id = ident(&arg.name);
                let value = if by_reference(&op.params[arg.param].ty) {
                    quote!(#id)
                } else {
                    quote!(&#id)
                };
                encode.push(quote!(let #id = runtime::path_segment(#value);));
                template.push('{');
                template.push_str(&arg.name);
                template.push('}');
            }
        }
    }
    let path_ref = if encode.is_empty() {
        let path = &op.path;
        quote!(#path)
    } else {
        encode.push(quote!(let path = format!(#template);));
        quote!(path)
    };

    let mut setters = Vec::new();
    if let Some(m) = op.accept() {
        setters.push(quote!(request.accept(#m);));
    }
    for (p, arg) in s.params(op) {
        let (name, id) = (&p.name, ident(&arg.name));
        let value = if p.required && by_reference(&p.ty) {
            quote!(#id)
        } else {
            quote!(&#id)
        };
        match p.location {
            ParamLocation::Query => setters.push(quote!(request.query(#name, #value);)),
            ParamLocation::Header => setters.push(quote!(request.header(#name, #value);)),
            ParamLocation::Path | ParamLocation::Cookie => {}
        }
    }
    if let (Some(b), Some(body)) = (&op.body, &s.body) {
        let ct = &b.content_type;
        let body = ident(body);
        let set = quote!(request.body(#ct, runtime::body_json(#body)?););
        setters.push(if b.required {
            set
        } else {
            quote!(if let Some(#body) = #body { #set })
        });
    }
    let mutability = (!setters.is_empty()).then(|| quote!(mut));
    let path_template = &op.path;
    let method = ident(&s.method);
    let http_method = ident(op.method.as_str());
    let mut doc_text = String::new();
    for part in [&op.summary, &op.doc].into_iter().flatten() {
        doc_text.push_str(part.trim());
        doc_text.push_str("\n\n");
    }
    let doc = doc_attrs(Some(&doc_text));
    let separator = (!doc.is_empty()).then(|| quote!(#[doc = ""]));
    let origin = if op.id_derived {
        format!(" {}", label(op))
    } else {
        format!(" {} (`{}`)", label(op), op.id)
    };
    let deprecated = op
        .deprecated
        .then(|| quote!(#[deprecated(note = "deprecated by the API")]));
    quote! {
        #doc
        #separator
        #[doc = #origin]
        #deprecated
        pub async fn #method(&self, #(#args),*) -> Result<#ok_ty, Error<#err_ty>> {
            #(#encode)*
            let #mutability request = Request::new(Method::#http_method, #path_template, #path_ref);
            #(#setters)*
            let response = self.execute(request).await?;
            match response.status {
                #(#ok_arms)*
                #(#err_arms)*
            }
        }
    }
}

/// The method's arguments, then the body; references get `lifetime` when one is given.
pub(super) fn arg_list(
    types: &Types,
    op: &Operation,
    s: &OpSurface,
    lifetime: Option<&syn::Lifetime>,
) -> Vec<TokenStream> {
    let mut args: Vec<TokenStream> = s
        .params(op)
        .map(|(p, arg)| {
            let name = ident(&arg.name);
            let ty = arg_type(types, &p.ty, p.required, lifetime);
            quote!(#name: #ty)
        })
        .collect();
    if let (Some(b), Some(body)) = (&op.body, &s.body) {
        let name = ident(body);
        let t = types.tokens(&b.ty);
        args.push(if b.required {
            quote!(#name: &#lifetime #t)
        } else {
            quote!(#name: Option<&#lifetime #t>)
        });
    }
    args
}

/// How a parameter is passed: small scalars by value, the rest by reference.
fn arg_type(
    types: &Types,
    ty: &TypeRef,
    required: bool,
    lifetime: Option<&syn::Lifetime>,
) -> TokenStream {
    let inner = match ty {
        TypeRef::String => quote!(&#lifetime str),
        TypeRef::Array(item) => {
            let t = types.tokens(item);
            quote!(&#lifetime [#t])
        }
        other if !by_reference(other) => types.tokens(other),
        other => {
            let t = types.tokens(other);
            quote!(&#lifetime #t)
        }
    };
    if required {
        inner
    } else {
        quote!(Option<#inner>)
    }
}
