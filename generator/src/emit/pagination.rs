//! The stream helpers of a paginated operation (see `surface::paging` for
//! what makes one): `<op>_pages`, a stream of pages, and `<op>_stream`, a
//! stream of items.

use super::operations::{arg_list, returns_type};
use super::types::{ident, Types};
use crate::ir::Operation;
use crate::surface::{Cursor, OpSurface};
use proc_macro2::{Span, TokenStream};
use quote::quote;

/// The two helpers of a paginated operation; `None` for the others.
pub fn methods(types: &Types, op: &Operation, s: &OpSurface) -> Option<TokenStream> {
    let paging = s.paging.as_ref()?;
    let api = types.api;
    let ok_ty = returns_type(types, &s.success);
    let err_ty = returns_type(types, &s.error);
    let lifetime = syn::Lifetime::new("'a", Span::call_site());
    let args = arg_list(types, op, s, Some(&lifetime));
    let method = ident(&s.method);
    let pages_fn = ident(&paging.pages);
    let stream_fn = ident(&paging.stream);
    // The arguments, then the body, as the method takes them.
    let arg_names: Vec<TokenStream> = s
        .args
        .iter()
        .map(|a| &a.name)
        .chain(&s.body)
        .map(|name| {
            let id = ident(name);
            quote!(#id)
        })
        .collect();

    let label = format!("`{} {}`", op.method.as_str(), op.path);
    let next_path = paging
        .next
        .iter()
        .map(|&f| api.field(f).json_name.as_str())
        .collect::<Vec<_>>()
        .join(".");
    let (start, fetch, how) = match &paging.cursor {
        Cursor::Query { param } => {
            let cursor_arg = s
                .arg_of(*param)
                .map(|a| a.name.as_str())
                .unwrap_or_default();
            // The same arguments, the cursor's replaced by the page's.
            let mut call_args = arg_names.clone();
            if let Some(i) = s.args.iter().position(|a| a.param == *param) {
                call_args[i] = quote!(cursor.as_deref());
            }
            let cursor_id = ident(cursor_arg);
            (
                quote!(#cursor_id.map(String::from)),
                quote! {
                    move |cursor: Option<String>| async move {
                        self.#method(#(#call_args),*).await
                    }
                },
                format!("passed as `{cursor_arg}`; the `{cursor_arg}` given is where the first page starts"),
            )
        }
        Cursor::Body { path } => {
            let dotted = path.join(".");
            (
                quote!(None),
                quote! {
                    move |cursor: Option<String>| async move {
                        match cursor {
                            Some(cursor) => {
                                let client = self.with_body_cursor(&[#(#path),*], cursor);
                                client.#method(#(#arg_names),*).await
                            }
                            None => self.#method(#(#arg_names),*).await,
                        }
                    }
                },
                format!(
                    "set as `{dotted}` in the body; the first page is the one the body asks for"
                ),
            )
        }
    };

    // The cursor of the next page: `pages.next.starting_after`, through any
    // optional steps; an empty cursor counts as none.
    let mut steps = paging.next.iter();
    let first = steps.next().map(|&f| {
        let id = ident(types.surface.field(f));
        if api.field(f).optional() {
            quote!(page.#id.as_ref())
        } else {
            quote!(Some(&page.#id))
        }
    });
    let rest = steps.map(|&f| {
        let id = ident(types.surface.field(f));
        if api.field(f).optional() {
            quote!(.and_then(|x| x.#id.as_ref()))
        } else {
            quote!(.map(|x| &x.#id))
        }
    });
    let next_cursor = quote! {
        |page: &#ok_ty| #first #(#rest)* .map(|cursor| String::from(cursor.as_str()))
    };

    let items_id = ident(types.surface.field(paging.items));
    let take_items = if api.field(paging.items).optional() {
        quote!(page.#items_id.unwrap_or_default())
    } else {
        quote!(page.#items_id)
    };
    let item_ty = types.tokens(&paging.item_ty);
    let (pages_name, items_json) = (&paging.pages, &api.field(paging.items).json_name);
    let method_name = &s.method;
    let pages_doc = format!(
        " Every page of {label}, fetched as the stream is read: the first with the arguments given, each next one with the cursor from `{next_path}` of the page before, {how}.\n\n The stream ends after a page without a next cursor or with a cursor already used, and after the first error. Each request goes through the client's retries and options.\n\n Pages come as [`{method_name}`](Self::{method_name}) returns them."
    );
    let stream_doc = format!(
        " The items (`{items_json}`) of every page of {label}, one by one: see [`{pages_name}`](Self::{pages_name})."
    );
    let deprecated = op.deprecated.then(|| {
        quote! {
            #[deprecated(note = "deprecated by the API")]
            #[allow(deprecated)]
        }
    });
    Some(quote! {
        #[doc = #pages_doc]
        #deprecated
        pub fn #pages_fn<'a>(&'a self, #(#args),*) -> BoxStream<'a, Result<#ok_ty, Error<#err_ty>>> {
            runtime::paginate(#start, #fetch, #next_cursor)
        }

        #[doc = #stream_doc]
        #deprecated
        pub fn #stream_fn<'a>(&'a self, #(#args),*) -> BoxStream<'a, Result<#item_ty, Error<#err_ty>>> {
            runtime::items(self.#pages_fn(#(#arg_names),*), |page: #ok_ty| #take_items)
        }
    })
}
