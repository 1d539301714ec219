//! Overrides: a small per-version patch applied to a published description
//! at load, for what the examples cannot tell the generator. The published
//! file is never edited (nor copied); each entry says why it exists.
//!
//! ```yaml
//! - why: The response examples show the participant list, not a conversation.
//!   op: replace            # add | replace | remove
//!   path: /paths/~1conversations~1{id}~1customers/post/responses/200/content/application~1json/schema
//!   value: {type: object, properties: {customers: {type: array}}}
//! ```

use crate::error::{Diagnostic, Result};
use crate::pointer::get_mut;
use serde::Deserialize;
use serde_yaml::Value;
use std::path::Path;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    why: String,
    op: Op,
    path: String,
    #[serde(default)]
    value: Option<Value>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq)]
#[serde(rename_all = "lowercase")]
enum Op {
    Add,
    Replace,
    Remove,
}

/// Apply the overrides file at `path` to `doc`; returns how many entries were applied.
pub fn apply(doc: &mut Value, path: &Path) -> Result<usize> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::in_file(path, format!("cannot read the overrides: {e}")))?;
    let value = super::parse_value(path, &bytes)?;
    let entries: Vec<Entry> = serde_path_to_error::deserialize(value).map_err(|e| {
        let pointer = super::path_to_pointer(e.path());
        Diagnostic::at_pointer(
            path,
            pointer,
            format!("invalid overrides entry: {}", e.into_inner()),
        )
    })?;
    for (i, entry) in entries.iter().enumerate() {
        let at = |field: &str, message: String| {
            Diagnostic::at_pointer(path, format!("/{i}/{field}"), message)
        };
        if entry.why.trim().is_empty() {
            return Err(at("why", "every override needs a reason".into()).into());
        }
        let Some(steps) = crate::pointer::segments(&entry.path) else {
            let message = format!(
                "`{}` is not a JSON pointer (it must start with `/`)",
                entry.path
            );
            return Err(at("path", message).into());
        };
        let Some((last, parents)) = steps.split_last() else {
            return Err(at("path", "the whole document cannot be overridden".into()).into());
        };
        let mut node = &mut *doc;
        for step in parents {
            node = get_mut(node, std::slice::from_ref(step)).ok_or_else(|| {
                at(
                    "path",
                    format!(
                        "`{}` does not exist in the description (no `{step}`)",
                        entry.path
                    ),
                )
            })?;
        }
        let value = || {
            entry
                .value
                .clone()
                .ok_or_else(|| at("value", format!("`{:?}` needs a `value`", entry.op)))
        };
        let missing = || {
            at(
                "path",
                format!("`{}` does not exist in the description", entry.path),
            )
        };
        match (entry.op, node) {
            (Op::Add, Value::Mapping(m)) => {
                m.insert(Value::String(last.clone()), value()?);
            }
            (Op::Add, Value::Sequence(s)) if last == "-" => s.push(value()?),
            (Op::Replace, n) => {
                *get_mut(n, std::slice::from_ref(last)).ok_or_else(missing)? = value()?
            }
            (Op::Remove, Value::Mapping(m)) => {
                m.remove(last.as_str()).ok_or_else(missing)?;
            }
            (Op::Remove, Value::Sequence(s)) => {
                let idx = last
                    .parse::<usize>()
                    .ok()
                    .filter(|&n| n < s.len())
                    .ok_or_else(missing)?;
                s.remove(idx);
            }
            _ => {
                return Err(at(
                    "path",
                    format!("cannot {:?} at `{}`", entry.op, entry.path).to_lowercase(),
                )
                .into())
            }
        }
    }
    Ok(entries.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(doc: &str, overrides: &str) -> Result<Value> {
        let dir = std::env::temp_dir().join(format!(
            "overrides-{}-{}",
            std::process::id(),
            overrides.len()
        ));
        std::fs::create_dir_all(&dir).map_err(|e| Diagnostic::in_file(&dir, e.to_string()))?;
        let file = dir.join("o.yaml");
        std::fs::write(&file, overrides).map_err(|e| Diagnostic::in_file(&file, e.to_string()))?;
        let mut v: Value =
            serde_yaml::from_str(doc).map_err(|e| Diagnostic::in_file("doc", e.to_string()))?;
        let r = apply(&mut v, &file).map(|_| v);
        let _ = std::fs::remove_dir_all(&dir);
        r
    }

    #[test]
    fn applies_and_reports_where() {
        let doc = "a: {b: 1, c: [1, 2]}\n";
        let v = run(doc, "- {why: w, op: replace, path: /a/b, value: 2}\n- {why: w, op: remove, path: /a/c/0}\n- {why: w, op: add, path: /a/d~1e, value: x}\n").expect("applies");
        assert_eq!(
            serde_yaml::to_string(&v).unwrap_or_default(),
            "a:\n  b: 2\n  c:\n  - 2\n  d/e: x\n"
        );
        let e = run(doc, "- {why: w, op: replace, path: /a/zz, value: 2}\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with("o.yaml#/0/path: `/a/zz` does not exist in the description"),
            "{e}"
        );
        let e = run(doc, "- {why: '', op: remove, path: /a/b}\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with("o.yaml#/0/why: every override needs a reason"),
            "{e}"
        );
        let e = run(doc, "- {op: remove, path: /a/b}\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("o.yaml#/0: invalid overrides entry: missing field `why`"),
            "{e}"
        );
    }
}
