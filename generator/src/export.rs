//! The spec as the generated types read it, for tools that serve or check
//! the API from its description (the Prism mock server in the end-to-end
//! test): overrides applied (at load), every dangling `$ref` replaced by
//! `{}` (any value, as the IR types it), and each evidence loosening
//! patched in, so that requests built from the spec's own examples are valid.

use crate::ir::{Api, Change};
use serde_yaml::{Mapping, Value};

/// Returns the document and the loosenings whose pointer could not be patched.
pub fn normalized_document(mut doc: Value, api: &Api) -> (Value, Vec<String>) {
    let snapshot = doc.clone();
    replace_dangling_refs(&mut doc, &snapshot);
    explode_object_query_params(&mut doc);
    let mut skipped = Vec::new();
    for l in &api.loosenings {
        if !patch(&mut doc, &l.pointer, &l.change) {
            skipped.push(l.pointer.clone());
        }
    }
    (doc, skipped)
}

/// The document as JSON (keys as text), which every tool reads the same
/// way (YAML 1.1 and 1.2 readers disagree about bare values such as `=`).
pub fn to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into()
            } else if let Some(u) = n.as_u64() {
                u.into()
            } else {
                serde_json::Number::from_f64(n.as_f64().unwrap_or(0.0))
                    .map_or(serde_json::Value::Null, Into::into)
            }
        }
        Value::String(s) => serde_json::Value::String(s.clone()),
        Value::Sequence(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Value::Mapping(m) => serde_json::Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let key = match k {
                        Value::String(s) => s.clone(),
                        other => serde_yaml::to_string(other)
                            .unwrap_or_default()
                            .trim()
                            .to_string(),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
        Value::Tagged(t) => to_json(&t.value),
    }
}

/// A `form`-style, exploded object query parameter (`?user_id=1`, OpenAPI's
/// default for objects) restated as one optional query parameter per
/// property: the same requests, in a form mock servers validate (Prism does
/// not read exploded objects whose schema is a `oneOf`).
fn explode_object_query_params(doc: &mut Value) {
    let snapshot = doc.clone();
    let resolve = |v: &Value| -> Value {
        match v
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        {
            Some(p) => get(&snapshot, p).cloned().unwrap_or(Value::Null),
            None => v.clone(),
        }
    };
    let Some(Value::Mapping(paths)) = doc.get_mut("paths") else {
        return;
    };
    for (_, item) in paths.iter_mut() {
        let Value::Mapping(item) = item else { continue };
        for (_, op) in item.iter_mut() {
            let Some(Value::Sequence(params)) = op.get_mut("parameters") else {
                continue;
            };
            let mut rewritten = Vec::new();
            for p in params.iter() {
                let param = resolve(p);
                let exploded = param.get("in").and_then(Value::as_str) == Some("query")
                    && param.get("style").and_then(Value::as_str).unwrap_or("form") == "form"
                    && param
                        .get("explode")
                        .and_then(Value::as_bool)
                        .unwrap_or(true);
                let schema = param.get("schema").map(&resolve).unwrap_or(Value::Null);
                let mut props: Vec<(Value, Value)> = Vec::new();
                let alternatives = ["oneOf", "anyOf", "allOf"]
                    .iter()
                    .filter_map(|k| schema.get(*k).and_then(Value::as_sequence))
                    .flatten()
                    .map(&resolve)
                    .chain(std::iter::once(schema.clone()));
                for alt in alternatives {
                    if let Some(Value::Mapping(m)) = alt.get("properties") {
                        for (k, v) in m {
                            if !props.iter().any(|(n, _)| n == k) {
                                props.push((k.clone(), v.clone()));
                            }
                        }
                    }
                }
                if !exploded || props.is_empty() {
                    rewritten.push(p.clone());
                    continue;
                }
                for (name, prop_schema) in props {
                    let mut m = Mapping::new();
                    m.insert("name".into(), name);
                    m.insert("in".into(), "query".into());
                    m.insert("required".into(), Value::Bool(false));
                    m.insert("schema".into(), prop_schema);
                    rewritten.push(Value::Mapping(m));
                }
            }
            *params = rewritten;
        }
    }
}

/// The node at JSON pointer `pointer` in `doc`.
fn get<'v>(doc: &'v Value, pointer: &str) -> Option<&'v Value> {
    crate::pointer::get(doc, &crate::pointer::segments(pointer)?)
}

fn replace_dangling_refs(node: &mut Value, root: &Value) {
    match node {
        Value::Mapping(m) => {
            let dangling = m
                .get("$ref")
                .and_then(Value::as_str)
                .is_some_and(|r| r.strip_prefix('#').is_some_and(|p| get(root, p).is_none()));
            if dangling {
                *node = Value::Mapping(Mapping::new());
                return;
            }
            m.values_mut().for_each(|v| replace_dangling_refs(v, root));
        }
        Value::Sequence(s) => s.iter_mut().for_each(|v| replace_dangling_refs(v, root)),
        _ => {}
    }
}

/// For `…/<schema>/properties/<name>`: the schema's mapping, and `<name>`.
fn property_parent<'d>(doc: &'d mut Value, path: &[String]) -> Option<(&'d mut Mapping, String)> {
    let n = path.len();
    if n < 2 || path[n - 2] != "properties" {
        return None;
    }
    match crate::pointer::get_mut(doc, &path[..n - 2]) {
        Some(Value::Mapping(parent)) => Some((parent, path[n - 1].clone())),
        _ => None,
    }
}

fn patch(doc: &mut Value, pointer: &str, change: &Change) -> bool {
    // Not a place in the document (a type inferred from the examples): nothing to patch.
    let Some(path) = crate::pointer::segments(pointer) else {
        return false;
    };
    match change {
        Change::NotRequired => {
            // `…/properties/<name>`: drop <name> from the parent's `required`.
            let Some((parent, name)) = property_parent(doc, &path) else {
                return false;
            };
            if let Some(Value::Sequence(req)) = parent.get_mut("required") {
                req.retain(|v| v.as_str() != Some(name.as_str()));
            }
            true
        }
        Change::Nullable => {
            let Some(node) = crate::pointer::get_mut(doc, &path) else {
                return false;
            };
            match node {
                Value::Mapping(m) if m.contains_key("type") => {
                    m.insert("nullable".into(), Value::Bool(true));
                }
                other => *other = Value::Mapping(Mapping::new()),
            }
            true
        }
        Change::AlsoTypes(types) => {
            let Some(node) = crate::pointer::get_mut(doc, &path) else {
                return false;
            };
            let mut alternatives = vec![node.clone()];
            for t in types {
                let mut m = Mapping::new();
                m.insert("type".into(), Value::String((*t).into()));
                alternatives.push(Value::Mapping(m));
            }
            let mut any_of = Mapping::new();
            any_of.insert("anyOf".into(), Value::Sequence(alternatives));
            *node = Value::Mapping(any_of);
            true
        }
        Change::DropFormat => {
            let Some(Value::Mapping(m)) = crate::pointer::get_mut(doc, &path) else {
                return false;
            };
            m.remove("format");
            true
        }
        Change::InPath => {
            let Some(Value::Mapping(m)) = crate::pointer::get_mut(doc, &path) else {
                return false;
            };
            m.insert("in".into(), Value::String("path".into()));
            m.insert("required".into(), Value::Bool(true));
            true
        }
        Change::DropAlternatives => {
            let Some(Value::Mapping(m)) = crate::pointer::get_mut(doc, &path) else {
                return false;
            };
            m.remove("oneOf");
            m.remove("anyOf");
            true
        }
        Change::AlsoEnumValue(value) => {
            let Some(node) = crate::pointer::get_mut(doc, &path) else {
                return false;
            };
            match node {
                Value::Mapping(m) if m.contains_key("enum") => {
                    if let Some(Value::Sequence(values)) = m.get_mut("enum") {
                        values.push(Value::String(value.clone()));
                    }
                }
                other => {
                    let mut extra = Mapping::new();
                    extra.insert("type".into(), "string".into());
                    extra.insert(
                        "enum".into(),
                        Value::Sequence(vec![Value::String(value.clone())]),
                    );
                    let mut any_of = Mapping::new();
                    any_of.insert(
                        "anyOf".into(),
                        Value::Sequence(vec![other.clone(), Value::Mapping(extra)]),
                    );
                    *other = Value::Mapping(any_of);
                }
            }
            true
        }
        Change::OneOfAsAnyOf => {
            let Some(Value::Mapping(m)) = crate::pointer::get_mut(doc, &path) else {
                return false;
            };
            if let Some(alts) = m.remove("oneOf") {
                m.insert("anyOf".into(), alts);
            }
            true
        }
        Change::Inferred => {
            // `…/properties/<name>`: declare <name> (any value) on its schema.
            let Some((parent, name)) = property_parent(doc, &path) else {
                return false;
            };
            let props = parent
                .entry("properties".into())
                .or_insert_with(|| Value::Mapping(Mapping::new()));
            if let Value::Mapping(props) = props {
                props
                    .entry(Value::String(name))
                    .or_insert_with(|| Value::Mapping(Mapping::new()));
            }
            true
        }
        Change::AnyValue => {
            let Some(node) = crate::pointer::get_mut(doc, &path) else {
                return false;
            };
            *node = Value::Mapping(Mapping::new());
            true
        }
    }
}
