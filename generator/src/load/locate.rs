//! Narrowing a shape error to the node at fault.
//!
//! openapiv3 reads many nodes through untagged enums (`$ref` or object),
//! where serde forgets the path and says only "no variant matched". When
//! that happens, the document is read again part by part, each child with
//! its own type, to find the innermost node that does not fit.

use openapiv3::{Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema};
use serde::de::DeserializeOwned;
use serde_yaml::Value;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "patch", "head", "options", "trace",
];

/// The error of reading `value` as `T`: (pointer below `value`, message).
fn check<T: DeserializeOwned>(value: &Value) -> Option<(String, String)> {
    serde_path_to_error::deserialize::<_, T>(value.clone())
        .err()
        .map(|e| (super::path_to_pointer(e.path()), e.into_inner().to_string()))
}

fn child<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    value.as_mapping()?.get(key)
}

fn entries(value: &Value) -> Vec<(String, &Value)> {
    match value {
        Value::Mapping(m) => m.iter().map(|(k, v)| (key_text(k), v)).collect(),
        Value::Sequence(s) => s
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Vec::new(),
    }
}

fn key_text(k: &Value) -> String {
    match k {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// The first child (in document order) that fails as `T`, with its error.
fn first_bad<T: DeserializeOwned>(value: &Value) -> Option<(String, &Value, (String, String))> {
    entries(value)
        .into_iter()
        .find_map(|(k, v)| check::<T>(v).map(|e| (k, v, e)))
}

/// Find the innermost failing node under `root`: (pointer, message), or `None` if nothing more precise is known.
pub fn locate(root: &Value) -> Option<(String, String)> {
    let esc = crate::pointer::escape;
    if let Some(paths) = child(root, "paths") {
        if let Some((p, item, err)) = first_bad::<ReferenceOr<PathItem>>(paths) {
            let base = format!("/paths/{}", esc(&p));
            return Some(path_item(item, &base).unwrap_or((format!("{base}{}", err.0), err.1)));
        }
    }
    let components = child(root, "components")?;
    type Checker = fn(&Value) -> Option<(String, String)>;
    let sections: [(&str, Checker); 4] = [
        ("schemas", |v| check::<ReferenceOr<Schema>>(v)),
        ("parameters", |v| check::<ReferenceOr<Parameter>>(v)),
        ("requestBodies", |v| check::<ReferenceOr<RequestBody>>(v)),
        ("responses", |v| check::<ReferenceOr<Response>>(v)),
    ];
    for (section, checker) in sections {
        for (name, v) in child(components, section).map(entries).unwrap_or_default() {
            if let Some((inner, message)) = checker(v) {
                return Some((
                    format!("/components/{section}/{}{inner}", esc(&name)),
                    message,
                ));
            }
        }
    }
    None
}

fn path_item(item: &Value, base: &str) -> Option<(String, String)> {
    let esc = crate::pointer::escape;
    if let Some(params) = child(item, "parameters") {
        if let Some((i, _, err)) = first_bad::<ReferenceOr<Parameter>>(params) {
            return Some((format!("{base}/parameters/{i}{}", err.0), err.1));
        }
    }
    for method in METHODS {
        let Some(op) = child(item, method) else {
            continue;
        };
        let op_base = format!("{base}/{method}");
        if let Some(params) = child(op, "parameters") {
            if let Some((i, _, err)) = first_bad::<ReferenceOr<Parameter>>(params) {
                return Some((format!("{op_base}/parameters/{i}{}", err.0), err.1));
            }
        }
        if let Some(body) = child(op, "requestBody") {
            if let Some(err) = check::<ReferenceOr<RequestBody>>(body) {
                return Some((format!("{op_base}/requestBody{}", err.0), err.1));
            }
        }
        if let Some(responses) = child(op, "responses") {
            if !responses.is_mapping() {
                return Some((
                    format!("{op_base}/responses"),
                    "`responses` must be a mapping from status to response".into(),
                ));
            }
            if let Some((code, _, err)) = first_bad::<ReferenceOr<Response>>(responses) {
                return Some((
                    format!("{op_base}/responses/{}{}", esc(&code), err.0),
                    err.1,
                ));
            }
        }
        if let Some(err) = check::<Operation>(op) {
            return Some((format!("{op_base}{}", err.0), err.1));
        }
    }
    None
}

/// serde's messages for untagged enums, in words a spec author can act on.
pub fn explain(message: &str) -> String {
    if message.contains("ParameterSchemaOrContent") {
        return "a parameter needs a `schema` (or a `content`)".into();
    }
    if message.contains("untagged enum ReferenceOr") {
        return "neither a `$ref` nor a valid object of the expected kind".into();
    }
    message.to_string()
}
