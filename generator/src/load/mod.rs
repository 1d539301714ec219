//! Stage 1, load: bytes on disk to a parsed OpenAPI 3.0 document.
//!
//! Syntax errors carry a line and column; errors in the document's shape
//! carry the JSON pointer of the offending node. Nothing here interprets
//! the document: that is the normalizer's job.

use crate::error::{Diagnostic, Location, Result};
use crate::pointer::escape as escape_pointer;
use std::path::{Path, PathBuf};

mod locate;
pub mod overrides;

/// A loaded specification: where it came from and what it says.
#[derive(Debug, Clone)]
pub struct Spec {
    pub path: PathBuf,
    pub doc: openapiv3::OpenAPI,
    /// Mistakes of the document that load read past (see [`repair`]), with where.
    pub warnings: Vec<Diagnostic>,
}

/// Documents nested deeper than this are refused rather than risk the stack.
const MAX_DEPTH: usize = 256;

/// Files larger than this are refused (the largest published description is under 1 MiB).
pub const MAX_BYTES: usize = 64 << 20;

/// Read the file at `path`, apply the overrides file (if any), and parse.
pub fn load_file_with_overrides(path: &Path, overrides_file: Option<&Path>) -> Result<Spec> {
    if overrides_file.is_none() {
        let bytes = std::fs::read(path)
            .map_err(|e| Diagnostic::in_file(path, format!("cannot read the file: {e}")))?;
        return load_bytes(path, &bytes);
    }
    from_value(path, read_value(path, overrides_file)?)
}

/// The untyped document at `path`, with the overrides file (if any) applied.
pub fn read_value(path: &Path, overrides_file: Option<&Path>) -> Result<serde_yaml::Value> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::in_file(path, format!("cannot read the file: {e}")))?;
    let mut value = parse_value(path, &bytes)?;
    if let Some(o) = overrides_file {
        overrides::apply(&mut value, o)?;
    }
    Ok(value)
}

/// Read and parse the file at `path`.
pub fn load_file(path: &Path) -> Result<Spec> {
    load_file_with_overrides(path, None)
}

/// Parse `bytes` (YAML or JSON) as if read from `path`.
///
/// A valid OpenAPI 3.0 document is read straight into `openapiv3` in one
/// pass. Anything else takes the long way, through an untyped tree, which
/// is what says precisely where the problem is.
pub fn load_bytes(path: &Path, bytes: &[u8]) -> Result<Spec> {
    // The parsers have recursion limits of their own (128): the depth check
    // and the others are only needed, for their messages, on the long way.
    let quick = (bytes.len() <= MAX_BYTES)
        .then(|| std::str::from_utf8(bytes).ok())
        .flatten()
        .and_then(read_typed);
    if let Some(doc) = quick {
        return Ok(Spec {
            path: path.into(),
            doc,
            warnings: Vec::new(),
        });
    }
    let value = parse_value(path, bytes)?;
    from_value(path, value)
}

/// The one-pass read: `None` when the text is not a valid OpenAPI 3.0 document.
fn read_typed(text: &str) -> Option<openapiv3::OpenAPI> {
    let doc: openapiv3::OpenAPI = if is_json(text) {
        serde_json::from_str(text).ok()?
    } else {
        serde_yaml::from_str(text).ok()?
    };
    doc.openapi.starts_with("3.0").then_some(doc)
}

fn is_json(text: &str) -> bool {
    text.trim_start().starts_with(['{', '['])
}

/// Parse `bytes` into an untyped YAML tree, checking encoding, emptiness and depth.
pub fn parse_value(path: &Path, bytes: &[u8]) -> Result<serde_yaml::Value> {
    let text = checked_text(path, bytes)?;
    // JSON is parsed as JSON: YAML does not accept all of it (surrogate-pair escapes such as `\ud83e\udd81`).
    if is_json(text) {
        return serde_json::from_str::<serde_yaml::Value>(text).map_err(|e| {
            Diagnostic {
                file: path.into(),
                location: Location::Line {
                    line: e.line(),
                    column: e.column(),
                },
                message: format!("syntax error: {}", strip_position(&e.to_string())),
            }
            .into()
        });
    }
    serde_yaml::from_str::<serde_yaml::Value>(text).map_err(|e| syntax_error(path, &e).into())
}

/// The text of `bytes`, once its size, encoding, emptiness and depth are checked.
fn checked_text<'b>(path: &Path, bytes: &'b [u8]) -> Result<&'b str> {
    if bytes.len() > MAX_BYTES {
        let message = format!(
            "the file is {} MiB; the limit is {} MiB",
            bytes.len() >> 20,
            MAX_BYTES >> 20
        );
        return Err(Diagnostic::in_file(path, message).into());
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        Diagnostic {
            file: path.into(),
            location: Location::Line { line, column: 1 },
            message: format!(
                "the file is not valid UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ),
        }
    })?;
    if text.trim().is_empty() {
        return Err(Diagnostic::in_file(
            path,
            "the file is empty; expected an OpenAPI 3.0 document",
        )
        .into());
    }
    check_depth(path, text)?;
    Ok(text)
}

/// Drop the " at line X column Y" suffix parsers append: the diagnostic prints the location itself.
fn strip_position(message: &str) -> &str {
    message.find(" at line ").map_or(message, |i| &message[..i])
}

fn syntax_error(path: &Path, e: &serde_yaml::Error) -> Diagnostic {
    let location = match e.location() {
        Some(l) => Location::Line {
            line: l.line(),
            column: l.column(),
        },
        None => Location::File,
    };
    // serde_yaml appends " at line X column Y" to its messages; we print the location ourselves.
    let mut message = e.to_string();
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    Diagnostic {
        file: path.into(),
        location,
        message: format!("syntax error: {message}"),
    }
}

/// Refuse documents nested past [`MAX_DEPTH`] before a recursive parser sees them.
/// (Bytes, not chars: every character it looks for is ASCII.)
fn check_depth(path: &Path, text: &str) -> Result<()> {
    let (mut depth, mut max, mut line) = (0usize, 0usize, 1usize);
    let mut in_str: Option<u8> = None;
    for &b in text.as_bytes() {
        match (in_str, b) {
            (_, b'\n') => line += 1,
            (None, b'"' | b'\'') => in_str = Some(b),
            (Some(q), b) if b == q => in_str = None,
            (None, b'[' | b'{') => {
                depth += 1;
                max = max.max(depth);
                if max > MAX_DEPTH {
                    return Err(Diagnostic {
                        file: path.into(),
                        location: Location::Line { line, column: 1 },
                        message: format!(
                            "the document is nested more than {MAX_DEPTH} levels deep"
                        ),
                    }
                    .into());
                }
            }
            (None, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Check the OpenAPI version, then read the tree as an OpenAPI 3.0 document.
pub fn from_value(path: &Path, value: serde_yaml::Value) -> Result<Spec> {
    let serde_yaml::Value::Mapping(map) = &value else {
        return Err(Diagnostic::at_pointer(
            path,
            "",
            "expected a mapping at the top of the document",
        )
        .into());
    };
    let version = map.get("openapi").or_else(|| map.get("swagger"));
    let supported = "supported: OpenAPI 3.0.x";
    match version {
        None => {
            return Err(Diagnostic::at_pointer(
                path,
                "",
                format!("no `openapi` field: this is not an OpenAPI document ({supported})"),
            )
            .into())
        }
        Some(serde_yaml::Value::String(v)) if v.starts_with("3.0") => {}
        Some(v) => {
            let shown = match v {
                serde_yaml::Value::String(s) => s.clone(),
                other => serde_yaml::to_string(other)
                    .unwrap_or_default()
                    .trim()
                    .to_string(),
            };
            let field = if map.contains_key("openapi") {
                "/openapi"
            } else {
                "/swagger"
            };
            return Err(Diagnostic::at_pointer(
                path,
                field,
                format!("unsupported version {shown:?} ({supported})"),
            )
            .into());
        }
    }
    // Fast path: read the tree in place. When that fails, repair what
    // Intercom has shipped (with a warning each) and read it again; only
    // then, read it tracking the path, to say where.
    let mut value = value;
    if let Ok(doc) = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&value) {
        return Ok(Spec {
            path: path.into(),
            doc,
            warnings: Vec::new(),
        });
    }
    let warnings = repair(path, &mut value);
    if !warnings.is_empty() {
        if let Ok(doc) = <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&value) {
            return Ok(Spec {
                path: path.into(),
                doc,
                warnings,
            });
        }
    }
    let doc: openapiv3::OpenAPI = match serde_path_to_error::deserialize(&value) {
        Ok(doc) => doc,
        Err(e) => {
            let (pointer, message) = (path_to_pointer(e.path()), e.into_inner().to_string());
            // Untagged enums lose the path: look again, part by part, for the node at fault.
            let (pointer, message) = locate::locate(&value).unwrap_or((pointer, message));
            let message = locate::explain(&message);
            return Err(Diagnostic::at_pointer(
                path,
                pointer,
                format!("invalid OpenAPI document: {message}"),
            )
            .into());
        }
    };
    Ok(Spec {
        path: path.into(),
        doc,
        warnings,
    })
}

/// Repair the mistakes Intercom has shipped in a published description, so
/// that it reads, and say where each was: a schema whose `required` is a
/// boolean (`required: false`) rather than a list of property names is read
/// as having none. (A parameter's, a request body's and a header's
/// `required` is a boolean, and is left alone: only schema positions are
/// repaired.)
pub fn repair(path: &Path, value: &mut serde_yaml::Value) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let schemas = value
        .get_mut("components")
        .and_then(|c| c.get_mut("schemas"))
        .and_then(|s| s.as_mapping_mut());
    for (name, schema) in schemas.into_iter().flatten() {
        let at = format!(
            "/components/schemas/{}",
            escape_pointer(name.as_str().unwrap_or_default())
        );
        repair_schema(path, schema, &at, 0, &mut warnings);
    }
    // Schemas elsewhere: under any `schema` key (parameters, media types, headers).
    fn under_schema_keys(
        path: &Path,
        node: &mut serde_yaml::Value,
        at: &str,
        depth: usize,
        warnings: &mut Vec<Diagnostic>,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        match node {
            serde_yaml::Value::Mapping(map) => {
                for (key, child) in map.iter_mut() {
                    let key = key.as_str().unwrap_or_default().to_string();
                    let child_at = format!("{at}/{}", escape_pointer(&key));
                    if key == "schema" {
                        repair_schema(path, child, &child_at, 0, warnings);
                    } else if !(at.is_empty() && key == "components") {
                        under_schema_keys(path, child, &child_at, depth + 1, warnings);
                    }
                }
            }
            serde_yaml::Value::Sequence(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    under_schema_keys(path, child, &format!("{at}/{i}"), depth + 1, warnings);
                }
            }
            _ => {}
        }
    }
    under_schema_keys(path, value, "", 0, &mut warnings);
    warnings
}

/// Repair one schema and the schemas inside it.
fn repair_schema(
    path: &Path,
    schema: &mut serde_yaml::Value,
    at: &str,
    depth: usize,
    warnings: &mut Vec<Diagnostic>,
) {
    let Some(map) = schema.as_mapping_mut().filter(|_| depth <= MAX_DEPTH) else {
        return;
    };
    if let Some(serde_yaml::Value::Bool(b)) = map.get("required") {
        warnings.push(Diagnostic::at_pointer(
            path,
            format!("{at}/required"),
            format!("a schema's `required` is a list of property names, not `{b}`; read as none"),
        ));
        map.remove("required");
    }
    for (key, child) in map.iter_mut() {
        let key = key.as_str().unwrap_or_default().to_string();
        let child_at = format!("{at}/{}", escape_pointer(&key));
        match key.as_str() {
            "items" | "additionalProperties" | "not" => {
                repair_schema(path, child, &child_at, depth + 1, warnings)
            }
            "properties" => {
                for (name, property) in child.as_mapping_mut().into_iter().flatten() {
                    let property_at = format!(
                        "{child_at}/{}",
                        escape_pointer(name.as_str().unwrap_or_default())
                    );
                    repair_schema(path, property, &property_at, depth + 1, warnings);
                }
            }
            "allOf" | "oneOf" | "anyOf" => {
                for (i, member) in child.as_sequence_mut().into_iter().flatten().enumerate() {
                    repair_schema(
                        path,
                        member,
                        &format!("{child_at}/{i}"),
                        depth + 1,
                        warnings,
                    );
                }
            }
            _ => {}
        }
    }
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        out.push('/');
        match seg {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } => out.push_str(&escape_pointer(key)),
            Segment::Enum { variant } => out.push_str(&escape_pointer(variant)),
            Segment::Unknown => out.push('?'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_with_surrogate_pairs_loads() {
        let json = br#"{"openapi": "3.0.3", "info": {"title": "\ud83e\udd81", "version": "1"}, "paths": {}}"#;
        let spec = load_bytes(Path::new("x.json"), json).expect("valid JSON");
        assert_eq!(spec.doc.info.title, "\u{1f981}");
    }

    #[test]
    fn errors_say_where() {
        let e = load_bytes(Path::new("a.yaml"), b"openapi: 3.0.3\ninfo: [\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("error: a.yaml:3:1: syntax error"), "{e}");
        let e = load_bytes(
            Path::new("a.json"),
            b"{\"openapi\": \"3.0.3\",\n  \"info\": }",
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("error: a.json:2:11: syntax error"), "{e}");
        let e = load_bytes(Path::new("a.yaml"), b"swagger: '2.0'\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "error: a.yaml#/swagger: unsupported version \"2.0\" (supported: OpenAPI 3.0.x)"
        );
        let e = load_bytes(
            Path::new("a.yaml"),
            b"openapi: 3.0.3\ninfo: {title: t}\npaths: {}\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("error: a.yaml#/info: invalid OpenAPI document: missing field `version`"),
            "{e}"
        );
    }
}
