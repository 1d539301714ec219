//! The streams of a paginated operation's request builder (see
//! `surface::paging` for what makes one): `pages()`, a stream of pages, and
//! `items()`, a stream of items. Both own the request, so they are
//! `'static`: they can be returned from a function or stored.

use super::types::{ident, label, returns_type, Types};
use crate::ir::Operation;
use crate::surface::{Cursor, OpSurface};
use proc_macro2::TokenStream;
use quote::quote;

/// The two streams of a paginated operation's builder; `None` for the others.
pub fn methods(types: &Types, op: &Operation, s: &OpSurface) -> Option<TokenStream> {
    let paging = s.paging.as_ref()?;
    let api = types.api;
    let ok_ty = returns_type(types, &s.success);
    let label = label(op);
    let next_path = paging
        .next
        .iter()
        .map(|&f| api.field(f).json_name.as_str())
        .collect::<Vec<_>>()
        .join(".");
    let (start, next_request, how) = match &paging.cursor {
        Cursor::Query { param } => {
            let cursor_arg = s
                .arg_of(*param)
                .map(|a| a.name.as_str())
                .unwrap_or_default();
            let cursor_id = ident(cursor_arg);
            (
                quote!(self.#cursor_id.clone()),
                quote!(request.#cursor_id = cursor;),
                format!("passed as `{cursor_arg}`; the `{cursor_arg}` set is where the first page starts"),
            )
        }
        Cursor::Body { path } => {
            let dotted = path.join(".");
            (
                quote!(None),
                quote! {
                    if let Some(cursor) = cursor {
                        request.client = request.client.with_body_cursor(&[#(#path),*], cursor);
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
    let items_json = &api.field(paging.items).json_name;
    let pages_doc = format!(
        " Every page of {label}, fetched as the stream is read: the first with this request, each next one with the cursor from `{next_path}` of the page before, {how}.\n\n The stream ends after a page without a next cursor or with a cursor already used, and after the first error. Each request goes through the client's retries and options. The stream owns the request: it can be returned or stored."
    );
    let items_doc = format!(
        " The items (`{items_json}`) of every page of {label}, one by one: see [`pages`](Self::pages)."
    );
    Some(quote! {
        #[doc = #pages_doc]
        pub fn pages(self) -> BoxStream<'static, Result<#ok_ty, Error>> {
            runtime::paginate(
                #start,
                move |cursor: Option<String>| {
                    let mut request = self.clone();
                    #next_request
                    request.send()
                },
                #next_cursor,
            )
        }

        #[doc = #items_doc]
        pub fn items(self) -> BoxStream<'static, Result<#item_ty, Error>> {
            runtime::items(self.pages(), |page: #ok_ty| #take_items)
        }
    })
}
