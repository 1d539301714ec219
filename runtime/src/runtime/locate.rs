//! Where a decode error is in a JSON body, as a path of keys and indices
//! (`conversations[3].id`), found from the error's position rather than by
//! tracking the path while decoding: one function, not a copy of every
//! model's decoder wrapped in a path tracker.

/// The path in `body` of the value a `serde_json` error is about, and the
/// error's message without its line and column.
pub(crate) fn describe(body: &[u8], error: &::serde_json::Error) -> (String, String) {
    let mut message = error.to_string();
    if error.line() == 0 {
        return (super::ROOT.into(), message);
    }
    // The position serde_json adds to its messages; the path says it better.
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    if let Some(len) = message.strip_suffix(&suffix).map(str::len) {
        message.truncate(len);
    }
    let offset = offset_of(body, error.line(), error.column());
    (path_at(body, offset), message)
}

/// The byte offset of a 1-based line and the column serde_json reports
/// (the bytes of that line read before the error).
fn offset_of(body: &[u8], line: usize, column: usize) -> usize {
    let start = match line.checked_sub(2) {
        // Line `line` starts after the body's (line - 1)th line break.
        Some(breaks) => body
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(breaks)
            .map_or(body.len(), |(i, _)| i + 1),
        None => 0,
    };
    (start + column).min(body.len())
}

/// A container the scan is inside: an object and the key of its member
/// being read, or an array and the index of its element being read.
enum Frame {
    Object { key: Option<String>, want_key: bool },
    Array { index: usize, started: bool },
}

/// The path of the value being read at `offset` in `body`: the keys and
/// indices of the containers open there, and of the value just read in
/// the innermost. serde_json reports a value of the wrong type just after
/// it (or at its first byte, for an object or array), and a missing field
/// just after its object.
fn path_at(body: &[u8], offset: usize) -> String {
    let end = offset.min(body.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < end {
        match body[i] {
            b'{' => {
                mark_started(&mut stack);
                stack.push(Frame::Object {
                    key: None,
                    want_key: true,
                });
            }
            b'[' => {
                mark_started(&mut stack);
                stack.push(Frame::Array {
                    index: 0,
                    started: false,
                });
            }
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { key, want_key }) => {
                    *key = None;
                    *want_key = true;
                }
                Some(Frame::Array { index, started }) => {
                    *index += 1;
                    *started = false;
                }
                None => {}
            },
            b'"' => {
                let close = string_end(body, i);
                match stack.last_mut() {
                    Some(Frame::Object { key, want_key }) if *want_key => {
                        let raw = &body[i..close.min(body.len())];
                        *key = Some(::serde_json::from_slice::<String>(raw).unwrap_or_else(|_| {
                            String::from_utf8_lossy(raw.get(1..).unwrap_or_default())
                                .trim_end_matches('"')
                                .to_string()
                        }));
                        *want_key = false;
                    }
                    _ => mark_started(&mut stack),
                }
                i = close;
                continue;
            }
            b if b.is_ascii_whitespace() || b == b':' => {}
            // A number, `true`, `false` or `null`.
            _ => mark_started(&mut stack),
        }
        i += 1;
    }
    render(&stack)
}

/// An array's element has begun.
fn mark_started(stack: &mut [Frame]) {
    if let Some(Frame::Array { started, .. }) = stack.last_mut() {
        *started = true;
    }
}

/// The index just past the string that starts at `start` (a `"`).
fn string_end(body: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < body.len() {
        match body[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    body.len()
}

/// `a.b[2].c`, or `the body` for the whole body.
fn render(stack: &[Frame]) -> String {
    let mut path = String::new();
    for frame in stack {
        match frame {
            Frame::Object { key: Some(key), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Array {
                index,
                started: true,
            } => path.push_str(&format!("[{index}]")),
            _ => break,
        }
    }
    if path.is_empty() {
        path.push_str(super::ROOT);
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::serde::Deserialize;

    #[allow(dead_code)]
    #[derive(Debug, Deserialize)]
    struct Page {
        conversations: Vec<Conversation>,
        total: Option<u32>,
    }

    #[allow(dead_code)]
    #[derive(Debug, Deserialize)]
    struct Conversation {
        id: String,
        #[serde(default)]
        tags: Vec<u64>,
        author: Option<Author>,
    }

    #[allow(dead_code)]
    #[derive(Debug, Deserialize)]
    struct Author {
        name: String,
    }

    /// The path this module finds and the one serde_path_to_error tracks.
    fn both(body: &str) -> (String, String) {
        let error = ::serde_json::from_str::<Page>(body).unwrap_err();
        let (path, _) = describe(body.as_bytes(), &error);
        let tracked = ::serde_path_to_error::deserialize::<_, Page>(
            &mut ::serde_json::Deserializer::from_str(body),
        )
        .unwrap_err()
        .path()
        .to_string();
        (path, tracked)
    }

    #[test]
    fn a_value_of_the_wrong_type_is_found_by_its_keys_and_indices() {
        let body = r#"{"conversations": [{"id": "1"}, {"id": "2", "tags": [1, "x"]}]}"#;
        assert_eq!(
            both(body),
            (
                "conversations[1].tags[1]".into(),
                "conversations[1].tags[1]".into()
            )
        );
    }

    #[test]
    fn a_missing_field_is_found_at_its_object() {
        let body = "{\"conversations\": [{\"id\": \"1\"},\n {\"author\": {\"name\": \"a\"}}\n]}";
        let (path, tracked) = both(body);
        assert_eq!(path, "conversations[1]");
        assert_eq!(path, tracked);
    }

    #[test]
    fn an_object_or_array_where_a_string_belongs_is_found_at_its_key() {
        let body = r#"{"conversations": [{"id": {"nested": "[,]"}}]}"#;
        let (path, tracked) = both(body);
        assert_eq!(path, "conversations[0].id");
        assert_eq!(path, tracked);
        let body = r#"{"conversations": [{"id": "1"}, {"id": ["2"]}]}"#;
        let (path, tracked) = both(body);
        assert_eq!(path, "conversations[1].id");
        assert_eq!(path, tracked);
    }

    #[test]
    fn keys_with_escapes_and_brackets_in_strings_do_not_mislead() {
        let body = "{\"a\\\"]\": \"}]\", \"conversations\": [\n  {\"id\": \"1\", \"author\": {\"name\": 5}}]}";
        let (path, tracked) = both(body);
        assert_eq!(path, "conversations[0].author.name");
        assert_eq!(path, tracked);
    }

    #[test]
    fn the_message_drops_the_position_and_a_bad_document_is_the_root() {
        let body = br#"{"conversations": [{"id": 7}]}"#;
        let error = ::serde_json::from_slice::<Page>(body).unwrap_err();
        let (path, message) = describe(body, &error);
        assert_eq!(path, "conversations[0].id");
        assert_eq!(message, "invalid type: integer `7`, expected a string");
        let error = ::serde_json::from_slice::<Page>(b"not json").unwrap_err();
        assert_eq!(describe(b"not json", &error).0, "the body");
    }

    /// Any JSON, refusing one marked string: the error is raised where
    /// the marked string ends, as a model's decoder raises it after a value.
    struct Strict;

    impl<'de> Deserialize<'de> for Strict {
        fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct Visit;
            impl<'de> ::serde::de::Visitor<'de> for Visit {
                type Value = Strict;
                fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str("any JSON")
                }
                fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<Strict, E> {
                    if v == "BAD" {
                        Err(E::custom("the marked value"))
                    } else {
                        Ok(Strict)
                    }
                }
                fn visit_i64<E>(self, _: i64) -> Result<Strict, E> {
                    Ok(Strict)
                }
                fn visit_u64<E>(self, _: u64) -> Result<Strict, E> {
                    Ok(Strict)
                }
                fn visit_f64<E>(self, _: f64) -> Result<Strict, E> {
                    Ok(Strict)
                }
                fn visit_bool<E>(self, _: bool) -> Result<Strict, E> {
                    Ok(Strict)
                }
                fn visit_unit<E>(self) -> Result<Strict, E> {
                    Ok(Strict)
                }
                fn visit_seq<A: ::serde::de::SeqAccess<'de>>(
                    self,
                    mut seq: A,
                ) -> Result<Strict, A::Error> {
                    while seq.next_element::<Strict>()?.is_some() {}
                    Ok(Strict)
                }
                fn visit_map<A: ::serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> Result<Strict, A::Error> {
                    while map.next_key::<String>()?.is_some() {
                        map.next_value::<Strict>()?;
                    }
                    Ok(Strict)
                }
            }
            d.deserialize_any(Visit)
        }
    }

    /// A random document with one marked string somewhere, written with
    /// random spacing and keys that hold quotes, brackets and escapes.
    fn document(rng: &mut ::fastrand::Rng, depth: u32, bad: &mut bool) -> ::serde_json::Value {
        use ::serde_json::Value;
        let keys = ["id", "a\"]", "{x}", "[0]", "é", "", "c,d", "tab\t", "\\"];
        match rng.u32(0..if depth == 0 { 4 } else { 7 }) {
            0 => Value::from(rng.i64(-5..500)),
            1 => Value::from(if !*bad && rng.bool() {
                *bad = true;
                "BAD"
            } else {
                keys[rng.usize(..keys.len())]
            }),
            2 => Value::Bool(rng.bool()),
            3 => Value::Null,
            4 | 5 => Value::Object(
                (0..rng.usize(0..4))
                    .map(|i| {
                        let key = format!("{}{i}", keys[rng.usize(..keys.len())]);
                        (key, document(rng, depth - 1, bad))
                    })
                    .collect(),
            ),
            _ => Value::Array(
                (0..rng.usize(0..4))
                    .map(|_| document(rng, depth - 1, bad))
                    .collect(),
            ),
        }
    }

    #[test]
    fn random_documents_agree_with_a_path_tracking_decoder() {
        let mut rng = ::fastrand::Rng::with_seed(19);
        let mut checked = 0;
        for _ in 0..8000 {
            let mut bad = false;
            let value = document(&mut rng, 5, &mut bad);
            if !bad {
                continue;
            }
            let text = if rng.bool() {
                ::serde_json::to_string_pretty(&value).unwrap()
            } else {
                ::serde_json::to_string(&value).unwrap()
            };
            let error = match ::serde_json::from_str::<Strict>(&text) {
                Err(error) => error,
                Ok(_) => panic!("the marked value was read: {text}"),
            };
            let tracked = ::serde_path_to_error::deserialize::<_, Strict>(
                &mut ::serde_json::Deserializer::from_str(&text),
            )
            .err()
            .map(|e| e.path().to_string())
            .map(|p| {
                if p == "." {
                    super::super::ROOT.to_string()
                } else {
                    p
                }
            });
            assert_eq!(Some(describe(text.as_bytes(), &error).0), tracked, "{text}");
            checked += 1;
        }
        assert!(
            checked > 1000,
            "only {checked} documents had a marked value"
        );
    }

    #[test]
    fn an_offset_past_the_end_or_on_a_later_line_is_clamped() {
        assert_eq!(offset_of(b"ab\ncd", 2, 1), 4);
        assert_eq!(offset_of(b"ab\ncd", 1, 9), 5);
        assert_eq!(offset_of(b"ab\ncd", 7, 0), 5);
        assert_eq!(path_at(b"{\"a\": [1, 2", 99), "a[1]");
    }
}
