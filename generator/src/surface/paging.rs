//! Pagination, found from the shape of an operation and Intercom's
//! documented conventions, never from a list of names.
//!
//! The conventions are data (`generator/conventions/pagination.yaml`): what
//! marks a list (a success type with `pages` or `scroll_param`), and the
//! ways a list continues (a scroll parameter, a cursor, a page number),
//! where a response carries each and where the next request sends it. For
//! each operation the surface decides, once, whether it is a list, where its
//! items are, and which continuations its requests can carry (those its
//! description does not declare too, marked as such); the runtime's walk
//! then sends, response by response, the one the server gave.
//!
//! The items are the success type's one array property (the markers aside),
//! at the top level or inside one object property (`data.articles`); where
//! an object holds several arrays, the one named by a segment of the path
//! (`/articles/search`: `articles`), else the only one the description
//! declares (the others seen only in its examples).

pub use crate::ir::FieldAt;
use crate::ir::{Api, Field, Operation, ParamLocation, ResponseContent, TypeId, TypeKind, TypeRef};
use serde::Deserialize;
use std::sync::OnceLock;

/// Intercom's pagination conventions, as the data file gives them.
#[derive(Debug, Clone, Deserialize)]
pub struct Conventions {
    /// Properties of a success type that make its operation a list.
    pub markers: Vec<String>,
    /// The ways a list continues, in the order a response is read for them.
    pub continuations: Vec<Rule>,
    /// The page size a list accepts.
    #[serde(default)]
    pub page_size: Option<PageSizeRule>,
    /// The `type` of a list object, which is a list whatever it declares.
    #[serde(default)]
    pub list_object: Option<String>,
}

/// The page size, as the conventions describe it.
#[derive(Debug, Clone, Deserialize)]
pub struct PageSizeRule {
    /// The property of the success type that says a list accepts it.
    pub when: String,
    pub send: SendRule,
}

/// One way a list continues, as the conventions describe it.
#[derive(Debug, Clone, Deserialize)]
pub struct Rule {
    pub name: String,
    /// The property of the success type that says a list accepts it.
    pub when: String,
    pub read: Read,
    pub send: SendRule,
    pub resumable: bool,
}

/// Where a response carries a continuation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Read {
    /// A non-empty string at this path, sent back as it is.
    Token { token: Vec<String> },
    /// A page number and the number of pages: the next page is `page + 1`
    /// while `page < last`.
    PageNumber {
        page: Vec<String>,
        last: Vec<String>,
    },
}

/// Where a request can carry a continuation.
#[derive(Debug, Clone, Deserialize)]
pub struct SendRule {
    pub query: String,
    /// For an operation with a JSON body: this path in the body instead.
    #[serde(default)]
    pub json_body: Option<Vec<String>>,
}

const CONVENTIONS: &str = include_str!("../../conventions/pagination.yaml");

/// The conventions (our own file, parsed once; a test checks that it parses).
pub fn conventions() -> &'static Conventions {
    static PARSED: OnceLock<Conventions> = OnceLock::new();
    PARSED.get_or_init(|| {
        serde_yaml::from_str(CONVENTIONS).unwrap_or(Conventions {
            markers: Vec::new(),
            continuations: Vec::new(),
            page_size: None,
            list_object: None,
        })
    })
}

/// Where an operation's request carries a continuation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// This query parameter.
    Query(String),
    /// This path of properties in the JSON body.
    Body(Vec<String>),
}

impl std::fmt::Display for Place {
    /// As the docs, the README and the diff say it: "the `page` query
    /// parameter", "`pagination.starting_after` in the body".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Place::Query(name) => write!(f, "the `{name}` query parameter"),
            Place::Body(path) => write!(f, "`{}` in the body", path.join(".")),
        }
    }
}

/// A continuation an operation's requests can carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Continuation {
    /// The convention's name (`cursor`, `page number`, `scroll`).
    pub name: String,
    pub read: Read,
    pub send: Place,
    pub resumable: bool,
    /// Whether the description declares the parameter (or body property)
    /// that carries it; if not, the walk adds it, as Intercom documents it.
    pub declared: bool,
}

/// How a list operation pages.
#[derive(Debug, Clone, PartialEq)]
pub struct Paging {
    /// In the order a response is read for them.
    pub continuations: Vec<Continuation>,
    /// The items' array: a property of the page type, or of one of its object properties.
    pub items: Vec<FieldAt>,
    pub item_ty: TypeRef,
    /// Where the page size goes, and whether the description declares it.
    pub page_size: Option<(Place, bool)>,
    /// The setters the builder gets for what the description does not
    /// declare (decided with the builder's other names).
    pub added: Vec<Added>,
}

/// A parameter of a list that Intercom's conventions add to its builder:
/// the page size, or a continuation (to resume a walk).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    /// The setter, and the builder's field.
    pub name: String,
    pub send: Place,
    /// An integer (a page size, a page number), else a string (a cursor).
    pub integer: bool,
    /// What it is: `page size`, or the continuation's name.
    pub what: String,
}

impl Paging {
    /// The continuations the description does not declare.
    pub fn undeclared(&self) -> impl Iterator<Item = &Continuation> {
        self.continuations.iter().filter(|c| !c.declared)
    }

    /// What the description does not declare, as setters to add: the page
    /// size, then each continuation; named after where each goes, unless
    /// `taken` holds the name (then it is not added: a name of the
    /// builder's own stands).
    pub fn undeclared_setters(&self, taken: impl Fn(&str) -> bool) -> Vec<Added> {
        let size = self
            .page_size
            .iter()
            .filter(|(_, declared)| !declared)
            .map(|(send, _)| (send, true, "page size".to_string()));
        let continuations = self.undeclared().map(|c| {
            let integer = matches!(c.read, Read::PageNumber { .. });
            (&c.send, integer, c.name.clone())
        });
        let mut out: Vec<Added> = Vec::new();
        for (send, integer, what) in size.chain(continuations) {
            let last = match send {
                Place::Query(name) => name.as_str(),
                Place::Body(path) => path.last().map_or("", String::as_str),
            };
            let name = crate::idents::snake_ident(last);
            if taken(&name) || out.iter().any(|a| a.name == name) {
                continue;
            }
            out.push(Added {
                name,
                send: send.clone(),
                integer,
                what,
            });
        }
        out
    }
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

fn struct_fields(api: &Api, id: TypeId) -> Option<&[Field]> {
    match &api.ty(id).kind {
        TypeKind::Struct { fields } => Some(fields),
        _ => None,
    }
}

/// The array properties of struct `id` (not boxed), but for `skip`.
fn arrays(api: &Api, id: TypeId, skip: &[String]) -> Vec<FieldAt> {
    struct_fields(api, id)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            matches!(f.ty, TypeRef::Array(_)) && !f.boxed && !skip.contains(&f.json_name)
        })
        .map(|(index, _)| FieldAt { owner: id, index })
        .collect()
}

/// One of `candidates`: the only one; else the one a segment of `path`
/// names; else the only one the description declares (the others seen only
/// in its examples).
fn choose(api: &Api, candidates: &[FieldAt], path: &str) -> Option<FieldAt> {
    let only = |found: Vec<FieldAt>| match found.as_slice() {
        [one] => Some(*one),
        _ => None,
    };
    if let [one] = candidates {
        return Some(*one);
    }
    let segments: Vec<&str> = path.split('/').collect();
    let named = candidates
        .iter()
        .copied()
        .filter(|&f| segments.contains(&api.field(f).json_name.as_str()))
        .collect();
    only(named).or_else(|| {
        only(
            candidates
                .iter()
                .copied()
                .filter(|&f| !api.field(f).inferred)
                .collect(),
        )
    })
}

/// The items of page type `page`: its one array, or the one array inside
/// one of its object properties.
fn items(api: &Api, page: TypeId, op: &Operation, markers: &[String]) -> Option<Vec<FieldAt>> {
    let top = arrays(api, page, markers);
    if !top.is_empty() {
        return choose(api, &top, &op.path).map(|f| vec![f]);
    }
    let holders: Vec<(FieldAt, Vec<FieldAt>)> = struct_fields(api, page)?
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.boxed && !markers.contains(&f.json_name))
        .filter_map(|(index, f)| {
            let TypeRef::Named(inner) = f.ty else {
                return None;
            };
            let found = arrays(api, inner, &[]);
            (!found.is_empty()).then_some((FieldAt { owner: page, index }, found))
        })
        .collect();
    let [(holder, inner)] = holders.as_slice() else {
        return None;
    };
    choose(api, inner, &op.path).map(|f| vec![*holder, f])
}

/// Whether type `id` is a list object: its `type` is `value` (an enum of
/// that value alone, or a string in a type whose name's last word is
/// `value`), and it has exactly one array.
fn is_list_object(api: &Api, id: TypeId, value: &str) -> bool {
    let Some(fields) = struct_fields(api, id) else {
        return false;
    };
    let typed = fields.iter().any(|f| {
        f.json_name == "type"
            && match &f.ty {
                TypeRef::Named(e) => match &api.ty(*e).kind {
                    TypeKind::Enum { variants } => {
                        variants.len() == 1 && variants[0].value == value
                    }
                    _ => false,
                },
                TypeRef::String => {
                    crate::idents::lower_words(&api.ty(id).place.name())
                        .last()
                        .map(String::as_str)
                        == Some(value)
                }
                _ => false,
            }
    });
    typed && arrays(api, id, &[]).len() == 1
}

/// Where `op`'s request carries what `rule` sends (in its JSON body where
/// it has one and the rule says where), and whether the description
/// declares it there.
fn place(
    api: &Api,
    op: &Operation,
    json_body: Option<&crate::ir::Body>,
    rule: &SendRule,
) -> (Place, bool) {
    match (json_body, &rule.json_body) {
        (Some(body), Some(path)) => {
            let names: Vec<&str> = path.iter().map(String::as_str).collect();
            let declared = field_path(api, &body.ty, &names).is_some();
            (Place::Body(path.clone()), declared)
        }
        _ => {
            let name = &rule.query;
            let declared = op
                .params
                .iter()
                .any(|p| p.location == ParamLocation::Query && &p.name == name);
            (Place::Query(name.clone()), declared)
        }
    }
}

/// How `op` pages, or `None` when it is no list (or its items cannot be told).
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
    let TypeRef::Named(page_id) = *page? else {
        return None;
    };
    let fields = struct_fields(api, page_id)?;
    let rules = conventions();
    // A list object accepts what the first marker says a list accepts.
    let list_object = rules
        .list_object
        .as_deref()
        .is_some_and(|value| is_list_object(api, page_id, value));
    let has = |name: &str| {
        fields.iter().any(|f| f.json_name == name)
            || list_object && rules.markers.first().is_some_and(|m| m == name)
    };
    if !rules.markers.iter().any(|m| has(m)) {
        return None;
    }
    let items = items(api, page_id, op, &rules.markers)?;
    let TypeRef::Array(item_ty) = &api.field(*items.last()?).ty else {
        return None;
    };
    let json_body = op.body.as_ref().filter(|b| b.content_type.contains("json"));
    let continuations: Vec<Continuation> = rules
        .continuations
        .iter()
        .filter(|rule| has(&rule.when))
        .map(|rule| {
            let (send, declared) = place(api, op, json_body, &rule.send);
            Continuation {
                name: rule.name.clone(),
                read: rule.read.clone(),
                send,
                resumable: rule.resumable,
                declared,
            }
        })
        .collect();
    if continuations.is_empty() {
        return None;
    }
    let page_size = rules
        .page_size
        .as_ref()
        .filter(|rule| has(&rule.when))
        .map(|rule| place(api, op, json_body, &rule.send));
    Some(Paging {
        continuations,
        items,
        item_ty: (**item_ty).clone(),
        page_size,
        added: Vec::new(),
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
  /things/scroll:
    get:
      operationId: scrollThings
      parameters:
        - {name: scroll_param, in: query, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  data: {type: array, items: {type: string}}
                  scroll_param: {type: string}
  /articles/search:
    get:
      operationId: searchArticles
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  total_count: {type: integer}
                  data:
                    type: object
                    properties:
                      articles: {type: array, items: {type: string}}
                      highlights: {type: array, items: {type: string}}
                  pages: {$ref: "#/components/schemas/pages"}
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object, properties: {things: {type: array, items: {type: string}}}}}}}
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

    /// Each operation: its continuations (`name place`, `?` when not
    /// declared) and its items' path, or `None` when it is no list.
    /// A list's continuations and items' path, as the tests spell them.
    type Found = Option<(Vec<String>, String)>;

    fn detected() -> Vec<(String, Found)> {
        let spec = crate::load::load_bytes(Path::new("paging.yaml"), SPEC.as_bytes()).unwrap();
        let api = crate::normalize::normalize(&spec).unwrap();
        api.operations
            .iter()
            .map(|op| {
                let found = detect(&api, op).map(|p| {
                    let continues = p
                        .continuations
                        .iter()
                        .map(|c| {
                            let place = match &c.send {
                                Place::Query(q) => format!("query {q}"),
                                Place::Body(b) => format!("body {}", b.join(".")),
                            };
                            format!("{} {place}{}", c.name, if c.declared { "" } else { "?" })
                        })
                        .collect();
                    let items = p
                        .items
                        .iter()
                        .map(|&f| api.field(f).json_name.clone())
                        .collect::<Vec<_>>()
                        .join(".");
                    (continues, items)
                });
                (op.id.clone(), found)
            })
            .collect()
    }

    fn find(all: &[(String, Found)], id: &str) -> Found {
        all.iter().find(|(i, _)| i == id).unwrap().1.clone()
    }

    fn list(continues: &[&str], items: &str) -> Found {
        Some((
            continues.iter().map(|c| c.to_string()).collect(),
            items.to_string(),
        ))
    }

    #[test]
    fn the_conventions_parse() {
        let c = conventions();
        assert_eq!(c.markers, ["pages", "scroll_param"]);
        let names: Vec<&str> = c.continuations.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["scroll", "cursor", "page number"]);
    }

    #[test]
    fn lists_are_found_by_their_response_and_continue_as_intercom_documents() {
        let all = detected();
        assert_eq!(
            find(&all, "listThings"),
            list(
                &["cursor query starting_after", "page number query page?"],
                "things"
            )
        );
        assert_eq!(
            find(&all, "searchThings"),
            list(
                &[
                    "cursor body pagination.starting_after",
                    "page number query page?"
                ],
                "things"
            )
        );
        // A JSON body takes the cursor, whatever the query declares.
        assert_eq!(
            find(&all, "cursorTwice"),
            list(
                &[
                    "cursor body pagination.starting_after",
                    "page number query page?"
                ],
                "things"
            )
        );
        // Another cursor name declared: Intercom's is added.
        assert_eq!(
            find(&all, "listOtherCursor"),
            list(
                &["cursor query starting_after?", "page number query page?"],
                "things"
            )
        );
        assert_eq!(
            find(&all, "listNoNext"),
            list(
                &["cursor query starting_after", "page number query page?"],
                "things"
            )
        );
        assert_eq!(
            find(&all, "scrollThings"),
            list(&["scroll query scroll_param"], "data")
        );
        // Items inside an object, the array the path names.
        assert_eq!(
            find(&all, "searchArticles"),
            list(
                &["cursor query starting_after?", "page number query page?"],
                "data.articles"
            )
        );
    }

    #[test]
    fn no_list_or_items_that_cannot_be_told_are_left_alone() {
        let all = detected();
        assert_eq!(find(&all, "listTwoArrays"), None);
        assert_eq!(find(&all, "getThing"), None);
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
                let cursor_in = match &p.continuations[0].send {
                    Place::Query(_) => "query",
                    Place::Body(_) => "body",
                };
                Some(format!("{} {cursor_in}", s.method))
            })
            .collect();
        assert_eq!(names, ["list query", "search body"]);
    }
}
