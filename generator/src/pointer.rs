//! JSON pointers (RFC 6901): escaping segments, and walking a YAML tree.

use serde_yaml::Value;

/// Escape one segment: `~` as `~0`, `/` as `~1`.
pub fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Undo [`escape`].
pub fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// The unescaped segments of `pointer` (`/a/b~1c` is `["a", "b/c"]`); `None` if it does not start with `/`.
pub fn segments(pointer: &str) -> Option<Vec<String>> {
    let rest = pointer.strip_prefix('/')?;
    Some(rest.split('/').map(unescape).collect())
}

/// The node at `segments` under `node`.
pub fn get<'v>(node: &'v Value, segments: &[String]) -> Option<&'v Value> {
    segments.iter().try_fold(node, |node, s| match node {
        Value::Mapping(m) => m.get(s.as_str()),
        Value::Sequence(items) => items.get(s.parse::<usize>().ok()?),
        _ => None,
    })
}

/// The node at `segments` under `node`, to change.
pub fn get_mut<'v>(node: &'v mut Value, segments: &[String]) -> Option<&'v mut Value> {
    segments.iter().try_fold(node, |node, s| match node {
        Value::Mapping(m) => m.get_mut(s.as_str()),
        Value::Sequence(items) => items.get_mut(s.parse::<usize>().ok()?),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_walk() {
        assert_eq!(escape("a/b~c"), "a~1b~0c");
        assert_eq!(unescape("a~1b~0c"), "a/b~c");
        assert_eq!(
            segments("/paths/~1x~1{id}/get"),
            Some(vec!["paths".into(), "/x/{id}".into(), "get".into()])
        );
        assert_eq!(segments("paths"), None);
        let doc: Value = serde_yaml::from_str("a: [x, {b: 1}]").unwrap_or_default();
        let path = segments("/a/1/b").unwrap_or_default();
        assert_eq!(get(&doc, &path).and_then(Value::as_i64), Some(1));
        assert!(get(&doc, &segments("/a/5").unwrap_or_default()).is_none());
    }
}
