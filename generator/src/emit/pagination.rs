//! The streams of a list operation's request builder (see `surface::paging`
//! for what makes a list): `pages()`, a stream of pages, and `items()`, a
//! stream of items. Both own the request, so they are `'static`: they can
//! be returned from a function or stored. The walk itself is the runtime's
//! (`runtime::paginate`); each list gives it its continuations as data.

use super::docs::doc_attrs;
use super::types::{ident, label, returns_type, Types};
use crate::ir::Operation;
use crate::surface::paging::Read;
use crate::surface::{Continuation, OpSurface, Place};
use proc_macro2::TokenStream;
use quote::quote;

/// The two streams of a list operation's builder; `None` for the others.
pub fn methods(types: &Types, op: &Operation, s: &OpSurface) -> Option<TokenStream> {
    let paging = s.paging.as_ref()?;
    let api = types.api;
    let ok_ty = returns_type(types, &s.success);
    let label = label(op);

    let walk = paging.continuations.iter().map(continuation);

    // The items of a page, through any optional steps: how many (for the
    // walk, which ends after an empty page), and the items themselves.
    let (count, take) = items_exprs(types, paging);
    let item_ty = types.tokens(&paging.item_ty);
    let items_keys = paging
        .items
        .iter()
        .map(|&f| api.field(f).json_name.as_str())
        .collect::<Vec<_>>();
    let items_json = items_keys.join(".");

    let mut pages_doc = format!(
        "Every page of {label}, fetched as the stream is read: the first with this request as it is, each next one with the first continuation the page before carries:\n\n"
    );
    for c in &paging.continuations {
        pages_doc.push_str(&format!("- {}\n", describe(c)));
    }
    pages_doc.push_str(
        "\nThe stream ends after a page that carries no continuation, after a page without items, and after the first error (the pages before it are kept). A continuation the API sends a second time ends it with `Error::Pagination` rather than repeating pages. Each request goes through the client's retries and options, and keeps this request's parameters (the page size among them). The stream owns the request: it can be returned or stored.\n\n",
    );
    pages_doc.push_str(&format!(
        "An item that cannot be read (even by the tolerant rule, or at all in a strict call) is left out of its page's `{items_json}`, never the page: `Page::unread` gives each as a `DecodeError` with its index and the item as it arrived, and the others read."
    ));
    let pages_doc = doc_attrs(Some(&pages_doc));
    let items_doc = format!(
        " The items (`{items_json}`) of every page of {label}, one by one: see [`pages`](Self::pages). An item that cannot be read is an `Error::Decode` in its place (its `item` is its index in the page, its `body` the item as it arrived), and the walk goes on: skip it, or stop at it with `?`."
    );
    Some(quote! {
        #pages_doc
        pub fn pages(self) -> BoxStream<'static, Result<Page<#ok_ty>, Error>> {
            static WALK: runtime::Walk = runtime::Walk {
                continuations: &[#(#walk),*],
                items: &[#(#items_keys),*],
            };
            runtime::paginate(
                &WALK,
                move |step| {
                    let mut request = self.clone();
                    request.client = request.client.with_step(step);
                    request.send()
                },
                |page: &#ok_ty| #count,
            )
        }

        #[doc = #items_doc]
        pub fn items(self) -> BoxStream<'static, Result<#item_ty, Error>> {
            runtime::items(self.pages(), |page: #ok_ty| #take)
        }
    })
}

/// How many items a page holds, and the expression that takes them, for
/// the items' path (each step optional or not).
fn items_exprs(types: &Types, paging: &crate::surface::Paging) -> (TokenStream, TokenStream) {
    let api = types.api;
    let steps: Vec<(proc_macro2::Ident, bool)> = paging
        .items
        .iter()
        .map(|&f| (ident(types.surface.field(f)), api.field(f).optional()))
        .collect();
    // Borrowed, for the count: `Option<&Vec<_>>` once a step is optional.
    let mut count = quote!(page);
    let mut maybe = false;
    for (id, optional) in &steps {
        count = match (maybe, optional) {
            (false, false) => quote!(#count.#id),
            (false, true) => quote!(#count.#id.as_ref()),
            (true, false) => quote!(#count.map(|x| &x.#id)),
            (true, true) => quote!(#count.and_then(|x| x.#id.as_ref())),
        };
        maybe |= optional;
    }
    let count = if maybe {
        quote!(#count.map_or(0, Vec::len))
    } else {
        quote!(#count.len())
    };
    // Owned, for the items: `Option<Vec<_>>` once a step is optional.
    let mut take = quote!(page);
    let mut maybe = false;
    for (id, optional) in &steps {
        take = match (maybe, optional) {
            (false, _) => quote!(#take.#id),
            (true, false) => quote!(#take.map(|x| x.#id)),
            (true, true) => quote!(#take.and_then(|x| x.#id)),
        };
        maybe |= optional;
    }
    let take = if maybe {
        quote!(#take.unwrap_or_default())
    } else {
        take
    };
    (count, take)
}

/// A continuation as the runtime's `Walk` takes it.
fn continuation(c: &Continuation) -> TokenStream {
    let read = match &c.read {
        Read::Token { token } => quote!(runtime::Read::Token(&[#(#token),*])),
        Read::PageNumber { page, last } => {
            quote!(runtime::Read::PageNumber(&[#(#page),*], &[#(#last),*]))
        }
    };
    let send = match &c.send {
        Place::Query(name) => quote!(runtime::Place::Query(#name)),
        Place::Body(path) => quote!(runtime::Place::Body(&[#(#path),*])),
    };
    let resumable = c.resumable;
    quote!(runtime::Continuation { read: #read, send: #send, resumable: #resumable })
}

/// A continuation in the docs of `pages()`.
pub fn describe(c: &Continuation) -> String {
    let read = match &c.read {
        Read::Token { token } => format!("`{}`", token.join(".")),
        Read::PageNumber { page, last } => {
            format!("`{}` below `{}`", page.join("."), last.join("."))
        }
    };
    let send = &c.send;
    let value = match c.read {
        Read::Token { .. } => "sent back as",
        Read::PageNumber { .. } => "the next page number sent as",
    };
    let declared = if c.declared {
        ""
    } else {
        " (not declared by the API description: added as Intercom documents it)"
    };
    let resumable = if c.resumable {
        ""
    } else {
        "; cannot be resumed after an error"
    };
    format!("{}: {read}, {value} {send}{declared}{resumable}", c.name)
}
