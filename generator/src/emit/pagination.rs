//! Cursor pagination, found from the shape of an operation rather than
//! from a list of names.
//!
//! An operation is paginated when its one success type is an object with
//! `pages.next.starting_after` (a string) and exactly one array property
//! besides `pages` (the items), and it takes the cursor either
//!
//! - as an optional `starting_after` query parameter (list operations), or
//! - in `pagination.starting_after` (a string) of its JSON body (search
//!   operations),
//!
//! but not both. It then gets two more methods on `Client`: `<op>_pages`, a
//! stream of pages, and `<op>_stream`, a stream of items. Anything else
//! (another cursor name, a second array, a union on the way) is left alone.

use super::operations::arg_list;
use super::types::{ident, type_tokens, Scope};
use crate::ir::{Api, Field, Operation, Param, ParamLocation, ResponseContent, TypeKind, TypeRef};
use proc_macro2::{Span, TokenStream};
use quote::quote;

/// Where the request carries the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// In the query parameter with this Rust name.
    Query { rust_name: String },
    /// In the JSON body, at this path of property names.
    Body { path: Vec<String> },
}

/// How an operation pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Paging<'a> {
    pub cursor: Cursor,
    /// `pages`, `next`, `starting_after` of the page type.
    pub next: Vec<&'a Field>,
    /// The array property of the page type that holds the items.
    pub items: &'a Field,
    pub item_ty: &'a TypeRef,
}

fn struct_field<'a>(api: &'a Api, ty: &TypeRef, json_name: &str) -> Option<&'a Field> {
    let TypeRef::Named(id) = ty else {
        return None;
    };
    match &api.ty(*id).kind {
        TypeKind::Struct { fields } => fields.iter().find(|f| f.json_name == json_name),
        _ => None,
    }
}

/// `ty.a.b.c` as fields, when each step is a struct property.
fn field_path<'a>(api: &'a Api, ty: &TypeRef, names: &[&str]) -> Option<Vec<&'a Field>> {
    let mut out: Vec<&'a Field> = Vec::new();
    for name in names {
        let owner = out.last().map_or(ty, |f| &f.ty);
        out.push(struct_field(api, owner, name)?);
    }
    Some(out)
}

/// How `op` pages, or `None` when it does not (or not unambiguously).
pub fn detect<'a>(api: &'a Api, op: &'a Operation) -> Option<Paging<'a>> {
    // One success type, a named object.
    let mut page: Option<&TypeRef> = None;
    for r in op.success_responses() {
        let ResponseContent::Json(ty @ TypeRef::Named(_)) = &r.content else {
            return None;
        };
        if page.is_some_and(|p| p != ty) {
            return None;
        }
        page = Some(ty);
    }
    let page = page?;
    let next = field_path(api, page, &["pages", "next", "starting_after"])?;
    if next.last()?.ty != TypeRef::String || next.iter().any(|f| f.boxed) {
        return None;
    }
    let TypeRef::Named(page_id) = page else {
        return None;
    };
    let TypeKind::Struct { fields } = &api.ty(*page_id).kind else {
        return None;
    };
    let arrays: Vec<&Field> = fields
        .iter()
        .filter(|f| f.json_name != "pages" && matches!(f.ty, TypeRef::Array(_)))
        .collect();
    let [items] = arrays.as_slice() else {
        return None;
    };
    let TypeRef::Array(item_ty) = &items.ty else {
        return None;
    };
    if items.boxed {
        return None;
    }

    let query = op
        .params
        .iter()
        .find(|p| p.location == ParamLocation::Query && p.name == "starting_after");
    let body = op
        .body
        .as_ref()
        .filter(|b| b.content_type.contains("json"))
        .and_then(|b| field_path(api, &b.ty, &["pagination", "starting_after"]))
        .filter(|path| path.last().is_some_and(|f| f.ty == TypeRef::String));
    let cursor = match (query, body) {
        (Some(q), None) if !q.required && q.ty == TypeRef::String => Cursor::Query {
            rust_name: q.rust_name.clone(),
        },
        (None, Some(path)) => Cursor::Body {
            path: path.iter().map(|f| f.json_name.clone()).collect(),
        },
        _ => return None,
    };
    Some(Paging {
        cursor,
        next,
        items,
        item_ty,
    })
}

/// The names of the two methods, unless another operation has one of them.
fn method_names(api: &Api, op: &Operation) -> Option<(String, String)> {
    let pages = format!("{}_pages", op.rust_name);
    let stream = format!("{}_stream", op.rust_name);
    let taken = api
        .operations
        .iter()
        .any(|o| o.rust_name == pages || o.rust_name == stream);
    (!taken).then_some((pages, stream))
}

/// `<op>_pages` and `<op>_stream` for a paginated operation (nothing for
/// the others). `params` are the operation's parameters in argument order;
/// `ok_ty` and `err_ty` its success and error body types.
pub fn methods(
    api: &Api,
    op: &Operation,
    params: &[&Param],
    ok_ty: &TokenStream,
    err_ty: &TokenStream,
) -> TokenStream {
    let (Some(paging), Some((pages_name, stream_name))) = (detect(api, op), method_names(api, op))
    else {
        return TokenStream::new();
    };
    let lifetime = syn::Lifetime::new("'a", Span::call_site());
    let args = arg_list(api, op, params, Some(&lifetime));
    let method = ident(&op.rust_name);
    let pages_fn = ident(&pages_name);
    let stream_fn = ident(&stream_name);
    let mut arg_names: Vec<TokenStream> = params
        .iter()
        .map(|p| {
            let id = ident(&p.rust_name);
            quote!(#id)
        })
        .collect();
    if op.body.is_some() {
        arg_names.push(quote!(body));
    }

    let label = format!("`{} {}`", op.method.as_str(), op.path);
    let next_path = paging
        .next
        .iter()
        .map(|f| f.json_name.as_str())
        .collect::<Vec<_>>()
        .join(".");
    let (start, fetch, how) = match &paging.cursor {
        Cursor::Query { rust_name } => {
            let cursor_arg = ident(rust_name);
            let call_args = params.iter().map(|p| {
                let id = ident(&p.rust_name);
                if &p.rust_name == rust_name {
                    quote!(cursor.as_deref())
                } else {
                    quote!(#id)
                }
            });
            let call_args = call_args.chain(op.body.is_some().then(|| quote!(body)));
            (
                quote!(#cursor_arg.map(::std::string::String::from)),
                quote! {
                    move |cursor: ::std::option::Option<::std::string::String>| async move {
                        self.#method(#(#call_args),*).await
                    }
                },
                format!("passed as `{rust_name}`; the `{rust_name}` given is where the first page starts"),
            )
        }
        Cursor::Body { path } => {
            let dotted = path.join(".");
            (
                quote!(::std::option::Option::None),
                quote! {
                    move |cursor: ::std::option::Option<::std::string::String>| async move {
                        match cursor {
                            ::std::option::Option::Some(cursor) => {
                                let client = self.with_body_cursor(&[#(#path),*], cursor);
                                client.#method(#(#arg_names),*).await
                            }
                            ::std::option::Option::None => self.#method(#(#arg_names),*).await,
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
    let first = steps.next().map(|f| {
        let id = ident(&f.rust_name);
        if f.optional() {
            quote!(page.#id.as_ref())
        } else {
            quote!(::std::option::Option::Some(&page.#id))
        }
    });
    let rest = steps.map(|f| {
        let id = ident(&f.rust_name);
        if f.optional() {
            quote!(.and_then(|x| x.#id.as_ref()))
        } else {
            quote!(.map(|x| &x.#id))
        }
    });
    let next_cursor = quote! {
        |page: &#ok_ty| #first #(#rest)* .map(|cursor| ::std::string::String::from(cursor.as_str()))
    };

    let items_id = ident(&paging.items.rust_name);
    let take_items = if paging.items.optional() {
        quote!(page.#items_id.unwrap_or_default())
    } else {
        quote!(page.#items_id)
    };
    let item_ty = type_tokens(api, paging.item_ty, Scope::Crate);

    let pages_doc = format!(
        " Every page of {label}, fetched as the stream is read: the first with the arguments given, each next one with the cursor from `{next_path}` of the page before, {how}.\n\n The stream ends after a page without a next cursor or with a cursor already used, and after the first error. Each request goes through the client's retries and options.\n\n Pages come as [`{method}`](Self::{method}) returns them."
    );
    let stream_doc = format!(
        " The items (`{}`) of every page of {label}, one by one: see [`{pages_name}`](Self::{pages_name}).",
        paging.items.json_name
    );
    let deprecated = op.deprecated.then(|| {
        quote! {
            #[deprecated(note = "deprecated by the API")]
            #[allow(deprecated)]
        }
    });
    quote! {
        #[doc = #pages_doc]
        #deprecated
        pub fn #pages_fn<'a>(&'a self, #(#args),*) -> ::futures_util::stream::BoxStream<'a, ::std::result::Result<#ok_ty, crate::Error<#err_ty>>> {
            crate::runtime::paginate(#start, #fetch, #next_cursor)
        }

        #[doc = #stream_doc]
        #deprecated
        pub fn #stream_fn<'a>(&'a self, #(#args),*) -> ::futures_util::stream::BoxStream<'a, ::std::result::Result<#item_ty, crate::Error<#err_ty>>> {
            crate::runtime::items(self.#pages_fn(#(#arg_names),*), |page: #ok_ty| #take_items)
        }
    }
}

/// A paginated operation, as the README lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PagedOperation {
    pub method_name: String,
    pub pages: String,
    pub stream: String,
    /// The JSON name of the items' array.
    pub items: String,
    /// `query` or `body`.
    pub cursor_in: &'static str,
    /// `None, None, …` when every argument is optional (for examples).
    pub all_none_args: Option<String>,
}

/// The paginated operations of `api`, in method order.
pub fn paginated(api: &Api) -> Vec<PagedOperation> {
    api.operations
        .iter()
        .filter_map(|op| {
            let paging = detect(api, op)?;
            let (pages, stream) = method_names(api, op)?;
            let optional = op.params.iter().all(|p| !p.required)
                && !op.body.as_ref().is_some_and(|b| b.required);
            let count = op.params.len() + usize::from(op.body.is_some());
            Some(PagedOperation {
                method_name: op.rust_name.clone(),
                pages,
                stream,
                items: paging.items.json_name.clone(),
                cursor_in: match paging.cursor {
                    Cursor::Query { .. } => "query",
                    Cursor::Body { .. } => "body",
                },
                all_none_args: optional.then(|| vec!["None"; count].join(", ")),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Paging, version: "1.0"}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: per_page, in: query, schema: {type: integer}}
        - {name: starting_after, in: query, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/thing_list"}}}}
  /things/search:
    post:
      operationId: searchThings
      requestBody:
        content: {application/json: {schema: {$ref: "#/components/schemas/search"}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/thing_list"}}}}
  /both:
    post:
      operationId: cursorTwice
      parameters:
        - {name: starting_after, in: query, schema: {type: string}}
      requestBody:
        content: {application/json: {schema: {$ref: "#/components/schemas/search"}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/thing_list"}}}}
  /two_arrays:
    get:
      operationId: listTwoArrays
      parameters:
        - {name: starting_after, in: query, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  things: {type: array, items: {type: string}}
                  others: {type: array, items: {type: string}}
                  pages: {$ref: "#/components/schemas/pages"}
  /other_cursor:
    get:
      operationId: listOtherCursor
      parameters:
        - {name: cursor, in: query, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/thing_list"}}}}
  /no_next:
    get:
      operationId: listNoNext
      parameters:
        - {name: starting_after, in: query, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  things: {type: array, items: {type: string}}
                  pages: {type: object, properties: {page: {type: integer}}}
components:
  schemas:
    thing_list:
      type: object
      required: [things]
      properties:
        type: {type: string}
        things: {type: array, items: {type: string}}
        total_count: {type: integer}
        pages: {$ref: "#/components/schemas/pages"}
    pages:
      type: object
      properties:
        next:
          type: object
          nullable: true
          properties:
            starting_after: {type: string, nullable: true}
    search:
      type: object
      properties:
        query: {type: object}
        pagination:
          type: object
          properties:
            per_page: {type: integer}
            starting_after: {type: string}
"##;

    fn detected() -> Vec<(String, Option<Cursor>, Option<String>)> {
        let spec = crate::load::load_bytes(Path::new("paging.yaml"), SPEC.as_bytes()).unwrap();
        let api = crate::normalize::normalize(&spec).unwrap();
        api.operations
            .iter()
            .map(|op| {
                let paging = detect(&api, op);
                (
                    op.id.clone(),
                    paging.as_ref().map(|p| p.cursor.clone()),
                    paging.map(|p| p.items.json_name.clone()),
                )
            })
            .collect()
    }

    fn find(
        all: &[(String, Option<Cursor>, Option<String>)],
        id: &str,
    ) -> (Option<Cursor>, Option<String>) {
        let (_, cursor, items) = all.iter().find(|(i, ..)| i == id).unwrap();
        (cursor.clone(), items.clone())
    }

    #[test]
    fn list_and_search_shapes_are_found() {
        let all = detected();
        assert_eq!(
            find(&all, "listThings"),
            (
                Some(Cursor::Query {
                    rust_name: "starting_after".into()
                }),
                Some("things".into())
            )
        );
        assert_eq!(
            find(&all, "searchThings"),
            (
                Some(Cursor::Body {
                    path: vec!["pagination".into(), "starting_after".into()]
                }),
                Some("things".into())
            )
        );
    }

    #[test]
    fn ambiguous_or_other_shapes_are_left_alone() {
        let all = detected();
        for id in [
            "cursorTwice",
            "listTwoArrays",
            "listOtherCursor",
            "listNoNext",
        ] {
            assert_eq!(find(&all, id), (None, None), "{id}");
        }
    }

    #[test]
    fn the_shipped_spec_pages_its_list_and_search() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/2.11/intercom.yaml");
        let spec = crate::load::load_file(&path).unwrap();
        let api = crate::normalize::normalize(&spec).unwrap();
        let names: Vec<String> = paginated(&api)
            .into_iter()
            .map(|p| format!("{} {}", p.method_name, p.cursor_in))
            .collect();
        assert_eq!(
            names,
            ["list_conversations query", "search_conversations body"]
        );
    }
}
