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
//! but not both. Its request builder then has `pages()`, a stream of pages,
//! and `items()`, a stream of items. Anything else
//! (another cursor name, a second array, a union on the way) is left alone.

use crate::ir::{Api, Field, Operation, ParamLocation, ResponseContent, TypeId, TypeKind, TypeRef};

/// A field of a struct type: its owner and its index among the owner's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldAt {
    pub owner: TypeId,
    pub index: usize,
}

impl Api {
    /// The field `at` points to.
    pub fn field(&self, at: FieldAt) -> &Field {
        match &self.ty(at.owner).kind {
            TypeKind::Struct { fields } => &fields[at.index],
            _ => unreachable!("a FieldAt always points into a struct"),
        }
    }
}

/// Where the request carries the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// In this query parameter (an index into [`Operation::params`]).
    Query { param: usize },
    /// In the JSON body, at this path of property names.
    Body { path: Vec<String> },
}

/// How an operation pages, and the names of its helpers.
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    pub cursor: Cursor,
    /// `pages`, `next`, `starting_after` of the page type.
    pub next: Vec<FieldAt>,
    /// The array property of the page type that holds the items.
    pub items: FieldAt,
    pub item_ty: TypeRef,
}

fn struct_field(api: &Api, ty: &TypeRef, json_name: &str) -> Option<FieldAt> {
    let TypeRef::Named(id) = ty else {
        return None;
    };
    match &api.ty(*id).kind {
        TypeKind::Struct { fields } => fields
            .iter()
            .position(|f| f.json_name == json_name)
            .map(|index| FieldAt { owner: *id, index }),
        _ => None,
    }
}

/// `ty.a.b.c` as fields, when each step is a struct property.
fn field_path(api: &Api, ty: &TypeRef, names: &[&str]) -> Option<Vec<FieldAt>> {
    let mut out: Vec<FieldAt> = Vec::new();
    for name in names {
        let at = match out.last() {
            Some(&f) => struct_field(api, &api.field(f).ty, name)?,
            None => struct_field(api, ty, name)?,
        };
        out.push(at);
    }
    Some(out)
}

/// How `op` pages, or `None` when it does not (or not unambiguously); the
/// helper names are left empty for the caller to claim.
pub fn detect(api: &Api, op: &Operation) -> Option<Paging> {
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
    if api.field(*next.last()?).ty != TypeRef::String || next.iter().any(|&f| api.field(f).boxed) {
        return None;
    }
    let TypeRef::Named(page_id) = page else {
        return None;
    };
    let TypeKind::Struct { fields } = &api.ty(*page_id).kind else {
        return None;
    };
    let arrays: Vec<usize> = fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.json_name != "pages" && matches!(f.ty, TypeRef::Array(_)))
        .map(|(i, _)| i)
        .collect();
    let [items] = arrays.as_slice() else {
        return None;
    };
    let items = FieldAt {
        owner: *page_id,
        index: *items,
    };
    let TypeRef::Array(item_ty) = &api.field(items).ty else {
        return None;
    };
    if api.field(items).boxed {
        return None;
    }

    let query = op
        .params
        .iter()
        .position(|p| p.location == ParamLocation::Query && p.name == "starting_after");
    let body = op
        .body
        .as_ref()
        .filter(|b| b.content_type.contains("json"))
        .and_then(|b| field_path(api, &b.ty, &["pagination", "starting_after"]))
        .filter(|path| {
            path.last()
                .is_some_and(|&f| api.field(f).ty == TypeRef::String)
        });
    let cursor = match (query, body) {
        (Some(q), None) if !op.params[q].required && op.params[q].ty == TypeRef::String => {
            Cursor::Query { param: q }
        }
        (None, Some(path)) => Cursor::Body {
            path: path
                .iter()
                .map(|&f| api.field(f).json_name.clone())
                .collect(),
        },
        _ => return None,
    };
    Some(Paging {
        cursor,
        next,
        items,
        item_ty: (**item_ty).clone(),
    })
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
                    paging.map(|p| api.field(p.items).json_name.clone()),
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
            (Some(Cursor::Query { param: 1 }), Some("things".into()))
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
        let surface = crate::surface::Surface::build(&api, &path);
        let names: Vec<String> = surface
            .ops(&api)
            .filter_map(|(_, s)| {
                let p = s.paging.as_ref()?;
                let cursor_in = match p.cursor {
                    Cursor::Query { .. } => "query",
                    Cursor::Body { .. } => "body",
                };
                Some(format!("{} {cursor_in}", s.method))
            })
            .collect();
        assert_eq!(names, ["list query", "search body"]);
    }
}
