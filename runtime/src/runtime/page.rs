//! One page of a list, read so that one item never costs the others: the
//! items that read, and each one that could not, with where it failed and
//! the item exactly as it arrived.
//!
//! A page is first read as any response is (docs/decoding.md). Only when
//! that fails is it read item by item: the page with its list emptied must
//! read (else the page itself is what cannot be read, and the call fails
//! as before); then each item is tried in a page of its own, with the
//! page's decoder (no decoder per item type is compiled); the items that
//! read are read again, together. A strict call reads each item strictly,
//! so a strict page leaves out each item that differs from its description
//! and fails only for the page's own members.

use ::std::ops::{Deref, DerefMut};

use ::serde_json::Value;

use super::*;

/// A page of a list (`pages()`): its body, read as its type, with the
/// items it holds that could be read, and each item that could not.
///
/// It dereferences to the body, so the body's fields read through it
/// (`page.data`, `page.pages`, whatever the body's type has);
/// [`into_inner`](Self::into_inner) gives the body, to take fields out of.
#[derive(Debug, Clone)]
pub struct Page<P> {
    /// The body, with the items that could be read (private, so that the
    /// body's own fields, `data` among them, read through the page).
    data: P,
    unread: Vec<DecodeError>,
    corrections: Vec<Correction>,
}

impl<P> Page<P> {
    /// A page as a test of your own code would build it: every item read.
    pub fn new(data: P) -> Self {
        Page {
            data,
            unread: Vec::new(),
            corrections: Vec::new(),
        }
    }

    /// With this item left out, as if it could not be read (for tests):
    /// `error.item` is its index in the list as it arrived.
    pub fn with_unread(mut self, error: DecodeError) -> Self {
        self.unread.push(error);
        self.unread.sort_by_key(|e| e.item);
        self
    }

    /// The items of this page that could not be read, in the order they
    /// arrived: each a [`DecodeError`] whose `item` is its index in the
    /// page's list as it arrived, `path` where in the page it failed, and
    /// `body` the item exactly as it arrived. `items()` yields each of
    /// them as an error, in its place.
    pub fn unread(&self) -> &[DecodeError] {
        &self.unread
    }

    /// Where the page differed from its description and was read anyway
    /// (as `Response::corrections`); items left out are in
    /// [`unread`](Self::unread), not here.
    pub fn corrections(&self) -> &[Correction] {
        &self.corrections
    }

    /// The body.
    pub fn into_inner(self) -> P {
        self.data
    }

    /// The body and the items that could not be read.
    pub(crate) fn into_parts(self) -> (P, Vec<DecodeError>) {
        (self.data, self.unread)
    }

    pub(crate) fn read(data: P, read: PageRead) -> Self {
        Page {
            data,
            unread: read.unread,
            corrections: read.corrections,
        }
    }
}

impl<P> Deref for Page<P> {
    type Target = P;
    fn deref(&self) -> &P {
        &self.data
    }
}

impl<P> DerefMut for Page<P> {
    fn deref_mut(&mut self) -> &mut P {
        &mut self.data
    }
}

/// What reading a page's body found besides its value.
#[derive(Debug, Default)]
pub(crate) struct PageRead {
    pub(crate) unread: Vec<DecodeError>,
    pub(crate) corrections: Vec<Correction>,
}

/// An item left out of a page, before it becomes a [`DecodeError`].
#[derive(Debug, PartialEq)]
pub(crate) struct UnreadItem {
    /// Its index in the list as it arrived.
    pub(crate) index: usize,
    /// Where in the page it failed (`conversations[3].id`).
    pub(crate) path: String,
    pub(crate) message: String,
    /// The item as it arrived.
    pub(crate) json: Value,
}

impl UnreadItem {
    /// The error `items()` yields for it, with the page's response.
    pub(crate) fn into_error(self, response: &RawResponse) -> DecodeError {
        let body = ::serde_json::to_vec(&self.json).unwrap_or_default();
        response.answered(
            DecodeError::new(response.status, self.path, self.message, body).item(self.index),
        )
    }
}

/// Read `body` as a page (`node`, read by its decoder `read`) whose items
/// are the list at `items` (a path of keys): its corrections, and the
/// items left out. The error is that of the first read when the page
/// itself (its members other than the items) cannot be read.
pub(crate) fn decode_page_with(
    body: &[u8],
    strict: bool,
    node: Declared,
    items: &[&str],
    read: &mut ReadText<'_>,
) -> Result<(Vec<Correction>, Vec<UnreadItem>), ::serde_json::Error> {
    let list = items.join(".");
    let first = match decode_with(body, strict, node, read) {
        Ok(corrections) => return Ok(left_out(corrections, &list, None)),
        Err(e) => e,
    };
    let Ok(mut page) = ::serde_json::from_slice::<Value>(body) else {
        return Err(first);
    };
    let Some(arrived) = list_at(&mut page, items).map(::std::mem::take) else {
        return Err(first);
    };
    // The page without its items: what fails here is the page's own.
    if decode_with(&::serde_json::to_vec(&page)?, strict, node, read).is_err() {
        return Err(first);
    }
    let mut readable = Vec::new();
    let mut unread = Vec::new();
    for (index, item) in arrived.into_iter().enumerate() {
        set_list(&mut page, items, vec![item]);
        let text = ::serde_json::to_vec(&page)?;
        let outcome = decode_with(&text, strict, node, read);
        let Some(item) = list_at(&mut page, items).and_then(|l| l.pop()) else {
            return Err(first);
        };
        match outcome {
            Ok(_) => readable.push((index, item)),
            Err(e) => {
                let (path, message) = super::locate::describe(&text, &e);
                unread.push(UnreadItem {
                    index,
                    path: reindexed(&path, &list, |_| index).unwrap_or(path),
                    message,
                    json: item,
                });
            }
        }
    }
    let (indices, values): (Vec<usize>, Vec<Value>) = readable.into_iter().unzip();
    set_list(&mut page, items, values);
    let corrections =
        decode_with(&::serde_json::to_vec(&page)?, strict, node, read).map_err(|_| first)?;
    let (corrections, more) = left_out(corrections, &list, Some(&indices));
    unread.extend(more);
    unread.sort_by_key(|u| u.index);
    Ok((corrections, unread))
}

/// The list at `path` in `page`, when it is one.
fn list_at<'v>(page: &'v mut Value, path: &[&str]) -> Option<&'v mut Vec<Value>> {
    path.iter()
        .try_fold(page, |node, key| node.get_mut(*key))?
        .as_array_mut()
}

/// Put `values` as the list at `path` (which [`list_at`] found).
fn set_list(page: &mut Value, path: &[&str], values: Vec<Value>) {
    if let Some(list) = list_at(page, path) {
        *list = values;
    }
}

/// `path` with the index of the item of `list` it is in replaced by
/// `index(i)`; `None` when it is not in an item of `list`.
fn reindexed(path: &str, list: &str, index: impl Fn(usize) -> usize) -> Option<String> {
    let rest = path.strip_prefix(list)?.strip_prefix('[')?;
    let (at, rest) = rest.split_once(']')?;
    let at = at.parse::<usize>().ok()?;
    Some(format!("{list}[{}]{rest}", index(at)))
}

/// The corrections of a page's read, without the items of its list that
/// were left out (they are items that could not be read), and those
/// items; each path is of the list as it arrived (`indices`: the index, as
/// it arrived, of each item that was read; `None`: all were).
fn left_out(
    corrections: Vec<Correction>,
    list: &str,
    indices: Option<&[usize]>,
) -> (Vec<Correction>, Vec<UnreadItem>) {
    let arrived = |i: usize| indices.and_then(|x| x.get(i).copied()).unwrap_or(i);
    let mut kept = Vec::new();
    let mut unread = Vec::new();
    for mut c in corrections {
        let Some(path) = reindexed(&c.path, list, arrived) else {
            kept.push(c);
            continue;
        };
        let item = format!("{list}[");
        let whole = path
            .strip_prefix(&item)
            .and_then(|rest| rest.strip_suffix(']'))
            .and_then(|at| at.parse::<usize>().ok());
        match (c.kind, whole, c.arrived.take()) {
            (CorrectionKind::LeftOut, Some(index), Some(json)) => unread.push(UnreadItem {
                index,
                message: format!("expected {}, found {}", c.expected, c.found),
                path,
                json,
            }),
            (_, _, arrived) => {
                c.path = path;
                c.arrived = arrived;
                kept.push(c);
            }
        }
    }
    (kept, unread)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::serde_json::json;

    /// Read `body` as a page of type `T` whose items are the list at `items`
    /// (a path of keys): the value, its corrections, and the items left out.
    /// The error is that of the first read when the page itself (its members
    /// other than the items) cannot be read.
    fn decode_page<T: ::serde::de::DeserializeOwned + Described>(
        body: &[u8],
        strict: bool,
        items: &[&str],
    ) -> Result<(T, Vec<Correction>, Vec<UnreadItem>), ::serde_json::Error> {
        let mut slot = None;
        let (corrections, unread) =
            decode_page_with(body, strict, T::node(), items, &mut into_slot(&mut slot))?;
        Ok((taken(slot)?, corrections, unread))
    }

    // A page and its item as generated crates declare them, by hand.
    #[derive(Debug, ::serde::Deserialize)]
    struct ThingPage {
        things: Vec<ThingItem>,
        total: Small,
    }

    #[derive(Debug, PartialEq, ::serde::Deserialize)]
    struct ThingItem {
        id: String,
        #[serde(default)]
        count: Option<Small>,
    }

    /// An integer no tolerant rule reads beyond 255 (declared as any integer).
    #[derive(Debug, PartialEq, ::serde::Deserialize)]
    #[serde(transparent)]
    struct Small(u8);

    impl Described for Small {
        fn node() -> Declared {
            Declared::Integer
        }
    }

    impl Described for ThingItem {
        fn node() -> Declared {
            static OBJECT: DeclaredStruct = DeclaredStruct {
                name: "ThingItem",
                members: &[
                    DeclaredMember::required("id", |m: &ThingItem| &m.id),
                    DeclaredMember::optional("count", |m: &ThingItem| &m.count),
                ],
            };
            Declared::Struct(&OBJECT)
        }
    }

    impl Described for ThingPage {
        fn node() -> Declared {
            static OBJECT: DeclaredStruct = DeclaredStruct {
                name: "ThingPage",
                members: &[
                    DeclaredMember::required("things", |m: &ThingPage| &m.things),
                    DeclaredMember::required("total", |m: &ThingPage| &m.total),
                ],
            };
            Declared::Struct(&OBJECT)
        }
    }

    fn read(
        body: Value,
        strict: bool,
    ) -> Result<(ThingPage, Vec<Correction>, Vec<UnreadItem>), String> {
        decode_page::<ThingPage>(body.to_string().as_bytes(), strict, &["things"])
            .map_err(|e| e.to_string())
    }

    fn ids(page: &ThingPage) -> Vec<&str> {
        page.things.iter().map(|t| t.id.as_str()).collect()
    }

    #[test]
    fn a_page_as_described_reads_whole() {
        let (page, corrections, unread) = read(
            json!({"things": [{"id": "a"}, {"id": "b", "count": 2}], "total": 2}),
            true,
        )
        .unwrap();
        assert_eq!(ids(&page), ["a", "b"]);
        assert!(corrections.is_empty() && unread.is_empty());
    }

    #[test]
    fn a_strict_page_leaves_out_the_item_that_differs_and_reads_the_others() {
        let body = json!({"things": [{"id": "a"}, {"id": "b", "count": "many"}, {"id": "c", "count": 3}], "total": 3});
        let (page, corrections, unread) = read(body, true).unwrap();
        assert_eq!(ids(&page), ["a", "c"]);
        assert_eq!(page.things[1].count, Some(Small(3)));
        assert!(corrections.is_empty(), "{corrections:?}");
        assert_eq!(unread.len(), 1);
        assert_eq!(unread[0].index, 1);
        assert_eq!(unread[0].path, "things[1].count");
        assert_eq!(unread[0].json, json!({"id": "b", "count": "many"}));
        assert!(
            unread[0].message.contains("invalid type"),
            "{}",
            unread[0].message
        );
    }

    #[test]
    fn a_tolerant_page_corrects_what_it_can_and_leaves_out_the_rest() {
        // Item 0 converts (a number id), item 1 is no object at all, item 2
        // takes a stand-in for its id.
        let body = json!({"things": [{"id": 7}, "oops", {"count": 1}, {"id": "d"}], "total": 4});
        let (page, corrections, unread) = read(body, false).unwrap();
        assert_eq!(ids(&page), ["7", "", "d"]);
        let paths: Vec<_> = corrections
            .iter()
            .map(|c| (c.path.as_str(), c.kind))
            .collect();
        assert_eq!(
            paths,
            [
                ("things[0].id", CorrectionKind::Converted),
                ("things[2].id", CorrectionKind::Missing)
            ]
        );
        assert_eq!(unread.len(), 1);
        assert_eq!((unread[0].index, unread[0].path.as_str()), (1, "things[1]"));
        assert_eq!(unread[0].json, json!("oops"));
    }

    #[test]
    fn items_no_rule_reads_are_left_out_with_their_place_as_it_arrived() {
        // An integer too large for its type is no correction: item 1 fails
        // even tolerantly; item 3's id converts, at its place as it arrived.
        let body = json!({"things": [{"id": "a"}, {"id": "b", "count": 300}, {"id": "c"}, {"id": 4}], "total": 4});
        let (page, corrections, unread) = read(body, false).unwrap();
        assert_eq!(ids(&page), ["a", "c", "4"]);
        assert_eq!(unread.len(), 1);
        assert_eq!(
            (unread[0].index, unread[0].path.as_str()),
            (1, "things[1].count")
        );
        assert_eq!(corrections.len(), 1);
        assert_eq!(corrections[0].path, "things[3].id");
    }

    #[test]
    fn a_page_whose_own_members_cannot_be_read_fails_whole() {
        let body = json!({"things": [{"id": "a"}], "total": "lots"});
        let error = read(body.clone(), true).unwrap_err();
        assert!(error.contains("invalid type"), "{error}");
        assert!(
            read(body, false).is_ok(),
            "a stand-in for a required member"
        );
        // Tolerantly too, when no rule reads it.
        let error = read(json!({"things": [{"id": "a"}], "total": 300}), false).unwrap_err();
        assert!(error.contains("300"), "{error}");
    }

    #[test]
    fn a_path_is_reindexed_only_inside_its_list() {
        assert_eq!(
            reindexed("things[0].id", "things", |_| 4).as_deref(),
            Some("things[4].id")
        );
        assert_eq!(
            reindexed("things[2]", "things", |i| i + 1).as_deref(),
            Some("things[3]")
        );
        assert_eq!(reindexed("thingsx[0]", "things", |_| 4), None);
        assert_eq!(reindexed("total", "things", |_| 4), None);
        assert_eq!(
            reindexed("a.b[1].c", "a.b", |i| i * 10).as_deref(),
            Some("a.b[10].c")
        );
    }
}
