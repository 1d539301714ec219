//! Method names from the operation's shape: its HTTP method and path, in
//! the area (tag) it belongs to. The rule table, with examples from the
//! newest published description, is in `docs/naming.md`; in short:
//!
//! Each name stands where the operationId's verb means the same (a
//! synonym: `get`, `show`, `find` for `retrieve`; or the verb with a typo:
//! `lis`); another verb says more than the shape (`upload`, `download`,
//! `identify`), and the operationId names the method.
//!
//! | shape | name |
//! | --- | --- |
//! | `GET /…/R` (a list comes back) | `list` |
//! | `GET /…/R` (one object comes back) | `retrieve` |
//! | `POST /…/R` | `create` |
//! | `PUT`/`PATCH /…/R` | `update` |
//! | `DELETE /…/R` | `delete` |
//! | `GET /…/R/{id}` | `retrieve` |
//! | `PUT`/`PATCH /…/R/{id}` | `update` |
//! | `DELETE /…/R/{id}` | `delete` |
//! | `GET /A/{id}/X` | `list_X` (a list) or `retrieve_X` |
//! | `GET /A/X`, the operationId starting with X's word | `X` (`search`) |
//! | `GET /A/X`, otherwise | `list_X` or `retrieve_X` |
//! | `POST`/`PUT /A/X` or `/A/{id}/X`, the operationId starting with X's word | `X` (`reply`) |
//!
//! `R` is a resource: no path parameter comes before it, and it is a
//! collection with items (`/…/R` and `/…/R/{id}` are both paths of the
//! API); for `/…/R` it may also be the area's own (`conversations` in
//! `conversations`) or the path's only segment (`/me`).
//! A resource that is not the area's adds its own words, less the area's
//! (`/news/news_items` in `news` is `list_items`, `POST
//! /phone_call_redirects` in `switch` is `create_phone_call_redirect`). `A`
//! is the area's own resource, `X` a segment that is no resource.
//! Everything else (a sub-resource of another resource's item, whose
//! `POST` may attach or create) has no name from its shape: the
//! operationId's words name it.

use crate::ir::{Api, Method, Operation, ResponseContent, TypeKind, TypeRef};
use std::collections::HashSet;

/// One path segment.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment<'p> {
    Literal(&'p str),
    Param,
}

fn segments(path: &str) -> Vec<Segment<'_>> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            if s.starts_with('{') && s.ends_with('}') {
                Segment::Param
            } else {
                Segment::Literal(s)
            }
        })
        .collect()
}

/// `word` in the singular, by the English rules that cover API nouns.
pub(super) fn singular(word: &str) -> String {
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    let latin = ["ss", "us", "is", "ics"];
    if word.len() > 3 && word.ends_with('s') && !latin.iter().any(|e| word.ends_with(e)) {
        return word[..word.len() - 1].to_string();
    }
    word.to_string()
}

fn singular_words(words: &[String]) -> Vec<String> {
    let mut out = words.to_vec();
    if let Some(last) = out.last_mut() {
        *last = singular(last);
    }
    out
}

/// What the method names of one area are decided from: the area's words,
/// and the API's paths (parameters written `{}`).
pub(super) struct Context {
    area: Vec<String>,
    paths: HashSet<String>,
}

/// A path with its parameters written `{}`.
fn template(segs: &[Segment<'_>]) -> String {
    segs.iter()
        .map(|s| match s {
            Segment::Literal(l) => format!("/{l}"),
            Segment::Param => "/{}".to_string(),
        })
        .collect()
}

impl Context {
    pub fn new(api: &Api, module: &str) -> Self {
        Context {
            area: singular_words(&crate::idents::lower_words(module)),
            paths: api
                .operations
                .iter()
                .map(|op| template(&segments(&op.path)))
                .collect(),
        }
    }

    /// Whether `/…/R` and `/…/R/{id}` are both paths of the API: a
    /// collection with items, the shape of a REST resource.
    fn is_collection(&self, collection: &[Segment<'_>]) -> bool {
        let path = template(collection);
        self.paths.contains(&path) && self.paths.contains(&format!("{path}/{{}}"))
    }

    /// Whether the segment names the area's own resource: its words (last
    /// one singular) are the area's, or end them (`events` in `data_events`).
    fn is_area(&self, segment: &str) -> bool {
        let w = singular_words(&crate::idents::lower_words(segment));
        !w.is_empty() && self.area.ends_with(&w) || w == self.area
    }

    /// The words a resource adds to a name: its own less the area's; plural
    /// as in the path for a list, else singular.
    fn qualifier(&self, segment: &str, plural: bool) -> Option<String> {
        if self.is_area(segment) {
            return None;
        }
        let w = crate::idents::lower_words(segment);
        let area: HashSet<String> = self.area.iter().cloned().collect();
        let own: Vec<String> = w
            .iter()
            .filter(|x| !area.contains(*x) && !area.contains(&singular(x)))
            .cloned()
            .collect();
        if own.is_empty() {
            return None;
        }
        let own = if plural { own } else { singular_words(&own) };
        Some(own.join("_"))
    }
}

/// Whether the operation's success is a list: an array, or an object one
/// of whose properties is an array of objects.
fn lists(api: &Api, op: &Operation) -> bool {
    op.success_responses().any(|r| match &r.content {
        ResponseContent::Json(TypeRef::Array(_)) => true,
        ResponseContent::Json(TypeRef::Named(id)) => match &api.ty(*id).kind {
            TypeKind::Struct { fields } => fields.iter().any(|f| match &f.ty {
                TypeRef::Array(item) => matches!(**item, TypeRef::Named(_)),
                _ => false,
            }),
            _ => false,
        },
        _ => false,
    })
}

/// Verbs an operationId uses for each of the names the shape gives.
const SYNONYMS: &[(&str, &[&str])] = &[
    (
        "list",
        &[
            "list", "get", "retrieve", "fetch", "find", "show", "search", "all",
        ],
    ),
    (
        "retrieve",
        &[
            "retrieve", "get", "fetch", "find", "show", "read", "view", "lookup",
        ],
    ),
    (
        "create",
        &["create", "add", "new", "post", "make", "insert"],
    ),
    (
        "update",
        &[
            "update", "edit", "modify", "put", "patch", "change", "set", "replace",
        ],
    ),
    ("delete", &["delete", "remove", "destroy", "erase"]),
];

/// Whether the operationId's first word means what `verb` does: one of its
/// synonyms, or `verb` itself with one letter missing, extra or wrong
/// (`lisDataAttributes`). Another verb (`upload`, `download`, `identify`)
/// says more than the shape, and names the method.
fn same_verb(verb: &str, id_verb: Option<&String>) -> bool {
    let Some(id_verb) = id_verb else {
        // An operationId of one word, or none: the shape's name stands.
        return true;
    };
    let synonyms = SYNONYMS
        .iter()
        .find(|(v, _)| *v == verb)
        .map_or(&[][..], |(_, s)| s);
    synonyms.contains(&id_verb.as_str()) || id_verb.len() >= 3 && one_edit(verb, id_verb)
}

/// Whether `a` and `b` differ by at most one inserted, deleted or replaced letter.
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    if short.len() == long.len() {
        return short.iter().zip(&long).filter(|(x, y)| x != y).count() <= 1;
    }
    let prefix = short.iter().zip(&long).take_while(|(x, y)| x == y).count();
    short[prefix..] == long[prefix + 1..]
}

/// A method name from the operationId's words, its verb made the one the
/// shape gives where the two mean the same: a `GET` that reads one object
/// named `show_by_external_id` is `retrieve_by_external_id`, so one action
/// has one verb across the crate.
pub(super) fn one_verb(api: &Api, op: &Operation, name: &str) -> String {
    let Some((first, rest)) = name.split_once('_') else {
        return name.to_string();
    };
    // Reading only: another verb of a write says more (`replace` is a PUT
    // of the whole, `remove` may detach rather than delete).
    let verb = match op.method {
        Method::Get if lists(api, op) => "list",
        Method::Get => "retrieve",
        _ => return name.to_string(),
    };
    if first != verb && same_verb(verb, Some(&first.to_string())) {
        format!("{verb}_{rest}")
    } else {
        name.to_string()
    }
}

/// The words a request builder is named from: the operation's full name
/// (its operationId), its verb replaced by the method's where the two mean
/// the same (`get_ticket` called by `retrieve` is `retrieve_ticket`), so a
/// builder is named as the call reads.
pub(super) fn builder_name(method: &str, full: &str) -> String {
    let verb = method.split('_').next().unwrap_or_default();
    let Some((id_verb, rest)) = full.split_once('_') else {
        return full.to_string();
    };
    let is_verb = SYNONYMS.iter().any(|(v, _)| *v == verb);
    if is_verb && id_verb != verb && same_verb(verb, Some(&id_verb.to_string())) {
        format!("{verb}_{rest}")
    } else {
        full.to_string()
    }
}

fn with(verb: &str, qualifier: Option<String>) -> String {
    match qualifier {
        Some(q) => format!("{verb}_{q}"),
        None => verb.to_string(),
    }
}

/// The method name the operation's shape gives it in its area, if any.
pub(super) fn from_shape(api: &Api, op: &Operation, cx: &Context) -> Option<String> {
    let segs = segments(&op.path);
    let first_param = segs.iter().position(|s| *s == Segment::Param);
    let id_words = crate::idents::lower_words(&op.id);
    // The operationId's verb, when it has more words than one (and is the spec's).
    let id_verb = id_words
        .first()
        .filter(|_| id_words.len() > 1 && !op.id_derived);
    let (last, before) = match segs.as_slice() {
        [.., before, last] => (last, Some(before)),
        [last] => (last, None),
        [] => return None,
    };
    let n = segs.len();
    match (last, before) {
        // `/…/R/{id}`, no parameter before R, `/…/R` a path too (or R the
        // area's own resource: one ticket is read by `retrieve` even where
        // the API lists no tickets).
        (Segment::Param, Some(Segment::Literal(r)))
            if first_param == Some(n - 1)
                && (cx.is_collection(&segs[..n - 1]) || cx.is_area(r)) =>
        {
            let verb = match op.method {
                Method::Get => "retrieve",
                Method::Put | Method::Patch => "update",
                Method::Delete => "delete",
                _ => return None,
            };
            same_verb(verb, id_verb).then(|| with(verb, cx.qualifier(r, false)))
        }
        (Segment::Literal(x), _) => {
            // `/…/R`, no parameter anywhere.
            let is_resource = cx.is_area(x) || n == 1 || cx.is_collection(&segs);
            if first_param.is_none() && is_resource {
                let list = lists(api, op);
                let verb = match op.method {
                    Method::Get if list => "list",
                    Method::Get => "retrieve",
                    Method::Post => "create",
                    Method::Put | Method::Patch => "update",
                    Method::Delete => "delete",
                    _ => return None,
                };
                return same_verb(verb, id_verb)
                    .then(|| with(verb, cx.qualifier(x, op.method == Method::Get && list)));
            }
            // `/A/X` or `/A/{id}/X`: X acts on the area's resource.
            let owner = match (before, first_param) {
                (Some(Segment::Literal(a)), None) => Some((*a, false)),
                (Some(Segment::Param), Some(p)) if p == n - 2 && n >= 3 => match &segs[n - 3] {
                    Segment::Literal(a) => Some((*a, true)),
                    Segment::Param => None,
                },
                _ => None,
            }?;
            let (a, after_item) = owner;
            if !cx.is_area(a) || cx.is_collection(&segs) {
                return None;
            }
            let x_words = crate::idents::lower_words(x);
            let named_by_verb = id_words.first() == x_words.first();
            match op.method {
                Method::Get if named_by_verb && !after_item => Some(x_words.join("_")),
                Method::Get => {
                    let list = lists(api, op);
                    let verb = if list { "list" } else { "retrieve" };
                    if !same_verb(verb, id_verb) {
                        return None;
                    }
                    let noun = if list {
                        x_words
                    } else {
                        singular_words(&x_words)
                    };
                    Some(format!("{verb}_{}", noun.join("_")))
                }
                Method::Post | Method::Put | Method::Patch if named_by_verb => {
                    Some(x_words.join("_"))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builders_are_named_with_the_verb_of_their_method() {
        // (And methods named by the operationId take the shape's verb: see
        // `one_verb`, checked on the corpus by `cargo xtask corpus`.)
        assert_eq!(builder_name("retrieve", "get_ticket"), "retrieve_ticket");
        assert_eq!(builder_name("retrieve", "show_contact"), "retrieve_contact");
        assert_eq!(
            builder_name("list", "lis_data_attributes"),
            "list_data_attributes"
        );
        assert_eq!(
            builder_name("retrieve", "retrieve_conversation"),
            "retrieve_conversation"
        );
        // Another verb says more, and a name of one word has no verb to replace.
        assert_eq!(builder_name("create", "upload_file"), "upload_file");
        assert_eq!(
            builder_name("attach_to_conversation", "attach_tag_to_conversation"),
            "attach_tag_to_conversation"
        );
        assert_eq!(builder_name("retrieve", "me"), "me");
    }

    #[test]
    fn verbs() {
        let w = |s: &str| Some(s.to_string());
        assert!(same_verb("list", w("lis").as_ref()));
        assert!(same_verb("list", w("get").as_ref()));
        assert!(same_verb("retrieve", w("show").as_ref()));
        assert!(same_verb("retrieve", None));
        assert!(!same_verb("create", w("upload").as_ref()));
        assert!(!same_verb("retrieve", w("download").as_ref()));
        assert!(!same_verb("list", w("li").as_ref()));
        assert!(!one_edit("list", "lsit"));
        assert!(one_edit("list", "lost"));
        assert!(one_edit("create", "crate"));
        assert!(!one_edit("delete", "deletes_all"));
    }

    #[test]
    fn singulars() {
        for (plural, one) in [
            ("companies", "company"),
            ("tags", "tag"),
            ("status", "status"),
            ("address", "address"),
            ("analytics", "analytics"),
        ] {
            assert_eq!(singular(plural), one);
        }
    }
}
