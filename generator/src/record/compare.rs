//! Comparing two records: what a regeneration changed for code that uses
//! the crate, and whether it breaks it.

use super::SETS;
use std::collections::BTreeMap;

/// One item that differs between two records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub key: String,
    /// Its value in the old record (`None`: the item is new).
    pub old: Option<String>,
    /// Its value in the new record (`None`: the item is gone).
    pub new: Option<String>,
    /// Whether code that compiled against the old crate may not compile
    /// against the new one.
    pub breaks: bool,
}

/// What changed between two records, for code that uses the crate, by key.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub changes: Vec<Change>,
}

impl Comparison {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// Whether any change may break code.
    pub fn breaking(&self) -> bool {
        self.changes.iter().any(|c| c.breaks)
    }
}

pub(super) fn entries(text: &str) -> BTreeMap<&str, &str> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once(": "))
        .collect()
}

/// Compare the record `old` with `new` (both as [`record`] writes them).
/// An item gone, or changed, breaks code, except a list of derives or
/// features that only grew. A new item breaks code only where it is a
/// variant of an exhaustive enum, or a public field of a struct without
/// `#[non_exhaustive]` (a literal of it no longer compiles).
pub fn compare(old: &str, new: &str) -> Comparison {
    let (a, b) = (entries(old), entries(new));
    let keys: std::collections::BTreeSet<&str> = a.keys().chain(b.keys()).copied().collect();
    let mut changes = Vec::new();
    for k in keys {
        let (was, is) = (a.get(k).copied(), b.get(k).copied());
        let breaks = match (was, is) {
            (Some(v), Some(w)) if v == w => continue,
            (Some(v), Some(w)) if SETS.iter().any(|s| k.ends_with(s)) => {
                let grown: Vec<&str> = w.split(", ").collect();
                !v.split(", ").all(|x| grown.contains(&x))
            }
            (Some(_), _) => true,
            (None, Some(w)) => added_breaks(&a, &b, k, w),
            (None, None) => continue,
        };
        changes.push(Change {
            key: k.to_string(),
            old: was.map(str::to_string),
            new: is.map(str::to_string),
            breaks,
        });
    }
    Comparison { changes }
}

/// Whether the new item `k` (valued `v`) is a member of a type both
/// records have that code can match or build exhaustively.
fn added_breaks(a: &BTreeMap<&str, &str>, b: &BTreeMap<&str, &str>, k: &str, v: &str) -> bool {
    let parent = k
        .rsplit_once('.')
        .map(|(p, _)| (p, "struct"))
        .or_else(|| k.rsplit_once("::").map(|(p, _)| (p, "enum")));
    parent.is_some_and(|(p, kind)| {
        let (Some(was), Some(is)) = (a.get(p), b.get(p)) else {
            return false;
        };
        let member = kind == "struct" || v.starts_with("variant");
        member && was.starts_with(kind) && !is.contains("#[non_exhaustive]")
    })
}
