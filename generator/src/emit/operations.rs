//! `src/operations.rs`: one async method on `Client` per operation, with its
//! success and error types (and, for cursor-paginated operations, the
//! stream methods of `pagination`).

use super::docs::doc_attrs;
use super::pagination;
use super::types::{ident, type_tokens, Scope};
use crate::ir::{Api, Operation, Param, ParamLocation, Response, ResponseContent, Status, TypeRef};
use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub fn operations(api: &Api) -> TokenStream {
    let mut types = Vec::new();
    let mut methods = Vec::new();
    for op in &api.operations {
        let (method, extra) = operation(api, op);
        methods.push(method);
        types.extend(extra);
    }
    quote! {
        //! One method per API operation, and the types of what they return.
        #(#types)*

        #[allow(clippy::too_many_arguments)]
        impl crate::Client {
            #(#methods)*
        }
    }
}

fn content_type(api: &Api, content: &ResponseContent) -> TokenStream {
    match content {
        ResponseContent::Empty => quote!(()),
        ResponseContent::Json(t) => type_tokens(api, t, Scope::Crate),
        ResponseContent::Text => quote!(::std::string::String),
        ResponseContent::Bytes => quote!(::std::vec::Vec<u8>),
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
        Status::Code(c) => quote!(#c),
        Status::Range(r) => {
            let lo = u16::from(r) * 100;
            let hi = lo + 99;
            quote!(#lo..=#hi)
        }
        Status::Default => quote!(_),
    }
}

fn variant_for(status: Status) -> proc_macro2::Ident {
    match status {
        Status::Code(c) => format_ident!("Status{}", c),
        Status::Range(r) => format_ident!("Status{}xx", r),
        Status::Default => format_ident!("Default"),
    }
}

/// An enum with one variant per response status, each holding that status's body.
fn status_enum(
    api: &Api,
    name: &proc_macro2::Ident,
    doc: &str,
    responses: &[&Response],
    attrs: TokenStream,
) -> TokenStream {
    let variants = responses.iter().map(|r| {
        let v = variant_for(r.status);
        let t = content_type(api, &r.content);
        let doc = format!(" Status {}.", r.status);
        quote!(#[doc = #doc] #v(#t),)
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #attrs
        pub enum #name { #(#variants)* }
    }
}

/// Distinct values of `f` over `items`, in order.
fn distinct<'r, T: PartialEq>(
    items: impl Iterator<Item = &'r Response>,
    f: impl Fn(&Response) -> T,
) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for r in items {
        let v = f(r);
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn operation(api: &Api, op: &Operation) -> (TokenStream, Vec<TokenStream>) {
    let mut extra = Vec::new();
    let base = op.rust_name.to_upper_camel_case();
    let label = format!("`{} {}`", op.method.as_str(), op.path);

    // Success: one type, or an enum by status when statuses carry different types.
    let successes: Vec<&Response> = op.success_responses().collect();
    let success_types = distinct(successes.iter().copied(), |r| r.content.clone());
    let (ok_ty, ok_arms) = if success_types.len() <= 1 {
        let content = success_types
            .first()
            .cloned()
            .unwrap_or(ResponseContent::Json(TypeRef::Json));
        let read = read_expr(&content);
        // A documented redirect is the success when the client does not follow it.
        let range = if successes.iter().all(|r| r.status.is_redirect()) && !successes.is_empty() {
            quote!(200..=399)
        } else {
            quote!(200..=299)
        };
        (content_type(api, &content), vec![quote!(#range => #read,)])
    } else {
        let name = format_ident!("{}Response", base);
        let doc = format!(" What {label} returns, by status.");
        extra.push(status_enum(
            api,
            &name,
            &doc,
            &successes,
            TokenStream::new(),
        ));
        let arms = successes
            .iter()
            .map(|r| {
                let pat = status_pattern(r.status);
                let v = variant_for(r.status);
                let read = read_expr(&r.content);
                quote!(#pat => #read.map(#name::#v),)
            })
            .collect();
        (quote!(#name), arms)
    };

    // Errors: the documented JSON error bodies, one type or an enum by status.
    let errors: Vec<&Response> = op
        .error_responses()
        .filter(|r| matches!(r.content, ResponseContent::Json(_)))
        .collect();
    let error_types = distinct(errors.iter().copied(), |r| r.content.clone());
    let (err_ty, err_arms) = match error_types.as_slice() {
        [] => (quote!(::serde_json::Value), Vec::new()),
        [only] => (content_type(api, only), Vec::new()),
        _ => {
            let name = format_ident!("{}Error", base);
            let doc = format!(" The error bodies {label} documents, by status.");
            let allow = quote!(#[allow(clippy::large_enum_variant)]);
            extra.push(status_enum(api, &name, &doc, &errors, allow));
            let arms = errors
                .iter()
                .filter(|r| r.status != Status::Default)
                .map(|r| {
                    let pat = status_pattern(r.status);
                    let v = variant_for(r.status);
                    quote! {
                        #pat => ::std::result::Result::Err(
                            response.api_error(|b| crate::runtime::parse_json(b).map(#name::#v))
                        ),
                    }
                })
                .collect();
            let fallback = match errors.iter().find(|r| r.status == Status::Default) {
                Some(r) => {
                    let v = variant_for(r.status);
                    quote!(|b| crate::runtime::parse_json(b).map(#name::#v))
                }
                None => quote!(|_| ::std::option::Option::None),
            };
            let mut arms: Vec<TokenStream> = arms;
            arms.push(quote!(_ => ::std::result::Result::Err(response.api_error(#fallback)),));
            (quote!(#name), arms)
        }
    };
    let err_arms = if err_arms.is_empty() {
        vec![
            quote!(_ => ::std::result::Result::Err(response.api_error(crate::runtime::parse_json)),),
        ]
    } else {
        err_arms
    };

    // Arguments: path parameters in template order, then the others, then the body.
    let params = op.params_in_call_order();
    let args = arg_list(api, op, &params, None);

    // The path, with each `{param}` percent-encoded.
    let mut template = String::new();
    let mut path_args = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').map_or(rest.len(), |e| start + e);
        template.push_str(&rest[..start]);
        template.push_str("{}");
        let name = &rest[start + 1..end];
        if let Some(p) = op
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.name == name)
        {
            let id = ident(&p.rust_name);
            path_args.push(quote!(crate::runtime::path_segment(&#id)));
        } else {
            path_args.push(quote!("")); // unreachable: normalize rejects undefined path parameters
        }
        rest = &rest[(end + 1).min(rest.len())..];
    }
    template.push_str(rest);
    let (path_expr, path_ref) = if path_args.is_empty() {
        (TokenStream::new(), quote!(#template))
    } else {
        (
            quote!(let path = ::std::format!(#template, #(#path_args),*);),
            quote!(path),
        )
    };

    let queries: Vec<TokenStream> = params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(|p| {
            let (name, id) = (&p.name, ident(&p.rust_name));
            quote!(request.query(#name, &#id);)
        })
        .collect();
    let headers: Vec<TokenStream> = params
        .iter()
        .filter(|p| p.location == ParamLocation::Header)
        .map(|p| {
            let (name, id) = (&p.name, ident(&p.rust_name));
            quote!(request.header(#name, &#id);)
        })
        .collect();
    let body_block = op.body.as_ref().map(|b| {
        let ct = &b.content_type;
        let set = quote!(request.body(#ct, crate::runtime::body_json(body)?););
        if b.required {
            set
        } else {
            quote!(if let ::std::option::Option::Some(body) = body { #set })
        }
    });

    let accept = op.accept().map(|m| quote!(request.accept(#m);));
    let mutability =
        (!queries.is_empty() || !headers.is_empty() || body_block.is_some() || accept.is_some())
            .then(|| quote!(mut));
    let path_template = &op.path;
    let method = ident(&op.rust_name);
    let http_method = ident(op.method.as_str());
    let mut doc_text = String::new();
    if let Some(s) = &op.summary {
        doc_text.push_str(s.trim());
        doc_text.push_str("\n\n");
    }
    if let Some(d) = &op.doc {
        doc_text.push_str(d.trim());
        doc_text.push_str("\n\n");
    }
    let doc = doc_attrs(Some(&doc_text));
    let origin = format!(
        " {label}{}",
        if op.id_derived {
            String::new()
        } else {
            format!(" (`{}`)", op.id)
        }
    );
    let deprecated = op
        .deprecated
        .then(|| quote!(#[deprecated(note = "deprecated by the API")]));
    let method_tokens = quote! {
        #doc
        #[doc = ""]
        #[doc = #origin]
        #deprecated
        pub async fn #method(&self, #(#args),*) -> ::std::result::Result<#ok_ty, crate::Error<#err_ty>> {
            #path_expr
            let #mutability request = crate::runtime::Request::new(::reqwest::Method::#http_method, #path_template, #path_ref);
            #accept
            #(#queries)*
            #(#headers)*
            #body_block
            let response = self.execute(request).await?;
            match response.status {
                #(#ok_arms)*
                #(#err_arms)*
            }
        }
    };
    let paging = pagination::methods(api, op, &params, &ok_ty, &err_ty);
    (quote!(#method_tokens #paging), extra)
}

/// The method's arguments: `params` in order, then the body; references get
/// `lifetime` when one is given.
pub(super) fn arg_list(
    api: &Api,
    op: &Operation,
    params: &[&Param],
    lifetime: Option<&syn::Lifetime>,
) -> Vec<TokenStream> {
    let mut args: Vec<TokenStream> = params
        .iter()
        .map(|p| {
            let name = ident(&p.rust_name);
            let ty = arg_type(api, &p.ty, p.required, lifetime);
            quote!(#name: #ty)
        })
        .collect();
    if let Some(b) = &op.body {
        let t = type_tokens(api, &b.ty, Scope::Crate);
        args.push(if b.required {
            quote!(body: &#lifetime #t)
        } else {
            quote!(body: ::std::option::Option<&#lifetime #t>)
        });
    }
    args
}

/// How a parameter is passed: small scalars by value, the rest by reference.
fn arg_type(
    api: &Api,
    ty: &TypeRef,
    required: bool,
    lifetime: Option<&syn::Lifetime>,
) -> TokenStream {
    let inner = match ty {
        TypeRef::String => quote!(&#lifetime str),
        TypeRef::Integer => quote!(i64),
        TypeRef::UnixTime => quote!(crate::UnixTimestamp),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Array(item) => {
            let t = type_tokens(api, item, Scope::Crate);
            quote!(&#lifetime [#t])
        }
        other => {
            let t = type_tokens(api, other, Scope::Crate);
            quote!(&#lifetime #t)
        }
    };
    if required {
        inner
    } else {
        quote!(::std::option::Option<#inner>)
    }
}
