//! The public Rust API of a generated crate, written down one item per line
//! (`api-surface.txt` beside its `Cargo.toml`), and the comparison of two
//! such records: what a regeneration changed for code that uses the crate,
//! whatever the cause (a new version of the description, or a change of the
//! generator). `cargo xtask regen` sets the crate's version from it.
//!
//! It reads what emit printed (the syntax trees of the library's sources),
//! not the surface, so that nothing the emitter adds escapes it. Each line
//! is `key: value`: the key names the item by its module path
//! (`models::Contact.email`, `conversations::Conversations::retrieve`),
//! the value is what code relies on (a field's type, a function's
//! signature, a type's derives and `#[non_exhaustive]`). A key that is gone,
//! or whose value changed, breaks code; a key that is new breaks code only
//! where it adds a variant to an exhaustive enum or a field to a struct
//! that can be built with a literal.
//!
//! By concern: [`read`] reads a crate's public API from the syntax trees
//! emit printed; this module assembles the record; [`compare`] compares
//! two records; [`changelog`] writes a comparison for the changelog.

mod changelog;
mod compare;
mod read;

pub use changelog::markdown;
pub use compare::{compare, Change, Comparison};
pub use read::part;
use read::Lines;

use crate::emit::OWNER_MARKER;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The record's file name, relative to the crate's root.
pub const FILE: &str = "api-surface.txt";

/// The record's format: a record of another format (one that covered
/// other items) is not compared, only replaced.
/// Format 3 reads the syntax trees emit printed, where format 2 parsed the
/// printed text back: a generic argument list that prettyplease wrapped
/// over lines carried its trailing comma into the value (`Into<T>,>`).
const FORMAT: &str =
    "# format 3: items of private modules only as they are re-exported; values as the syntax trees hold them";

/// Whether `old` (a record read from disk) can be compared with one this
/// generator writes: the same format.
pub fn comparable(old: &str) -> bool {
    old.lines().any(|l| l == FORMAT)
}

/// A type's derives and the features that gate it: each its own key
/// (`<key> derives`, `<key> features`), valued by a list that may grow
/// without breaking code, and only shrink by breaking it.
const SETS: [&str; 2] = [" derives", " features"];

/// What one library source holds for the record: each item's lines, with
/// what decides whether code outside the crate can name it, and the facts
/// about the file that decide it. Read from the syntax tree on the thread
/// that built it (trees cannot cross threads; a `Part` can).
#[derive(Debug)]
pub struct Part {
    module: String,
    /// Modules it declares without `pub`, by path.
    private: Vec<String>,
    /// The names its `pub use`s bring in.
    exported: Vec<String>,
    /// The traits it defines.
    traits: Vec<String>,
    items: Vec<Lines>,
}

/// The record of the crate whose library sources are read in `parts`.
pub fn record(parts: &[Part]) -> String {
    let reach = Reach::of(parts);
    let mut items = BTreeMap::new();
    for l in parts.iter().flat_map(|p| &p.items) {
        let shown = l.name.as_ref().is_none_or(|n| reach.shows(&l.module, n))
            && l.of_trait
                .as_ref()
                .is_none_or(|t| !reach.hidden_traits.contains(t))
            && !(l.reexport && reach.hidden(&l.module));
        if shown {
            items.extend(l.lines.iter().cloned());
        }
    }
    let mut text = format!(
        "# {OWNER_MARKER}: the public Rust API of this crate, one item per line.\n\
         # An item that disappears or whose value changes breaks code that uses it;\n\
         # `cargo xtask regen` sets the crate's version from what changed here.\n\
         {FORMAT}\n"
    );
    for (k, v) in &items {
        let _ = writeln!(text, "{k}: {v}");
    }
    text
}

/// What code outside the crate can name: items of public modules, and of
/// private ones (the runtime) only what a public module re-exports, with
/// its fields, methods and the impls of traits it can name.
struct Reach {
    /// Modules declared without `pub` (`runtime`).
    private: Vec<String>,
    /// The names `pub use` brings into public modules.
    exported: std::collections::BTreeSet<String>,
    /// Traits defined in private modules and not re-exported.
    hidden_traits: std::collections::BTreeSet<String>,
}

impl Reach {
    fn of(parts: &[Part]) -> Reach {
        let mut reach = Reach {
            private: parts
                .iter()
                .flat_map(|p| p.private.iter().cloned())
                .collect(),
            exported: Default::default(),
            hidden_traits: Default::default(),
        };
        let mut traits = Vec::new();
        for p in parts {
            if reach.hidden(&p.module) {
                traits.extend(p.traits.iter().cloned());
            } else {
                reach.exported.extend(p.exported.iter().cloned());
            }
        }
        reach.hidden_traits = traits
            .into_iter()
            .filter(|t| !reach.exported.contains(t))
            .collect();
        reach
    }

    fn hidden(&self, module: &str) -> bool {
        self.private
            .iter()
            .any(|p| module == p || module.starts_with(&format!("{p}::")))
    }

    /// Whether the item `name` of `module` (or an item it owns) is recorded.
    fn shows(&self, module: &str, name: &str) -> bool {
        !self.hidden(module) || self.exported.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::compare::entries;
    use super::read::*;
    use super::*;

    /// The record of the crate whose files are `(path, text)`.
    fn record_of(files: &[(&str, &str)]) -> String {
        let parts: Vec<Part> = files
            .iter()
            .filter_map(|(path, text)| part(path, &syn::parse_file(text).unwrap()))
            .collect();
        record(&parts)
    }

    fn crate_of(models: &str) -> String {
        record_of(&[
            (
                "src/lib.rs",
                "pub mod models;\nmod runtime;\npub use runtime::{Client, Error as ApiFailure};\n",
            ),
            ("src/models.rs", models),
            ("README.md", "pub struct NotCode;"),
        ])
    }

    #[test]
    fn items_are_written_where_code_names_them() {
        let r = crate_of(
            "#[derive(Debug, Clone, Default)]\n#[non_exhaustive]\npub struct Contact { pub id: Option<String>, secret: u8 }\n\
             impl Contact { pub fn new(id: impl Into<String>) -> Self { todo!() } fn hidden(&self) {} }\n\
             impl From<u8> for Contact { fn from(_: u8) -> Self { todo!() } }\n\
             pub enum State { Open, Closed(String) }\n",
        );
        let lines: Vec<&str> = r.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            lines,
            [
                "ApiFailure: use runtime::Error",
                "Client: use runtime::Client",
                "models: mod",
                "models::Contact: struct #[non_exhaustive]",
                "models::Contact as From<u8>: impl",
                "models::Contact derives: Clone, Debug, Default",
                "models::Contact.id: Option<String>",
                "models::Contact::new: fn(id: impl Into<String>) -> Self",
                "models::State: enum",
                "models::State::Closed: variant(String)",
                "models::State::Open: variant",
            ]
        );
    }

    fn keys(c: &Comparison, breaks: bool) -> Vec<&str> {
        c.changes
            .iter()
            .filter(|x| x.breaks == breaks)
            .map(|x| x.key.as_str())
            .collect()
    }

    #[test]
    fn removed_or_changed_items_break_and_new_ones_mostly_do_not() {
        let old = crate_of(
            "#[non_exhaustive] pub struct A { pub x: String }\npub struct B { pub y: u8 }\npub enum E { One }\n#[non_exhaustive] pub enum F { One }\npub struct Gone;\n\
             #[derive(Debug)] #[cfg(feature = \"a\")] pub struct G;",
        );
        let same = compare(&old, &old);
        assert!(same.is_empty() && !same.breaking());

        // New items, a new derive, a type available under one more feature.
        let added = crate_of(
            "#[non_exhaustive] pub struct A { pub x: String, pub z: u8 }\npub struct B { pub y: u8 }\npub enum E { One }\n#[non_exhaustive] pub enum F { One, Two }\npub struct Gone;\npub struct New;\n\
             #[derive(Debug, Clone)] #[cfg(any(feature = \"a\", feature = \"b\"))] pub struct G;",
        );
        let c = compare(&old, &added);
        assert!(!c.breaking(), "{c:?}");
        assert_eq!(
            keys(&c, false),
            [
                "models::A.z",
                "models::F::Two",
                "models::G derives",
                "models::G features",
                "models::New"
            ]
        );

        let broken = crate_of(
            "#[non_exhaustive] pub struct A { pub x: i64 }\npub struct B { pub y: u8, pub w: u8 }\npub enum E { One, Two }\n#[non_exhaustive] pub enum F { One }\n\
             #[cfg(feature = \"b\")] pub struct G;",
        );
        let c = compare(&old, &broken);
        assert!(c.breaking());
        assert_eq!(
            keys(&c, true),
            [
                "models::A.x",
                "models::B.w",
                "models::E::Two",
                "models::G derives",
                "models::G features",
                "models::Gone"
            ]
        );
        let x = &c.changes[0];
        assert_eq!(
            (x.old.as_deref(), x.new.as_deref()),
            (Some("String"), Some("i64"))
        );
        let text = markdown(&c, true);
        assert!(
            text.contains("- `models::Gone`: removed (was `struct (unit)`)"),
            "{text}"
        );
        assert!(text.contains("- `models::G features`: `a` → `b`"), "{text}");
    }

    #[test]
    fn features_are_read_from_cfg() {
        assert_eq!(cfg_features("cfg(feature = \"a\")"), ["a"]);
        assert_eq!(
            cfg_features("cfg(any(feature = \"a\", feature = \"b\"))"),
            ["a", "b"]
        );
        assert_eq!(cfg_features("cfg(test)"), ["cfg(test)"]);
    }

    #[test]
    fn private_modules_show_only_what_is_re_exported() {
        let r = record_of(&[
            ("src/lib.rs", "mod runtime;\npub use runtime::Client;\n"),
            (
                "src/runtime/client.rs",
                "pub struct Client { pub token: String }\nimpl Client { pub fn new() -> Self { todo!() } }\n\
                 pub struct Helper;\npub trait Shape {}\nimpl Shape for Client {}\nimpl Clone for Client { fn clone(&self) -> Self { todo!() } }\n\
                 pub use inner::*;\n",
            ),
        ]);
        let lines: Vec<&str> = r.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            lines,
            [
                "Client: use runtime::Client",
                "runtime::client::Client: struct",
                "runtime::client::Client as Clone: impl",
                "runtime::client::Client.token: String",
                "runtime::client::Client::new: fn() -> Self",
            ]
        );
        assert!(comparable(&r));
        assert!(!comparable(
            "# an older record\nClient: use runtime::Client\n"
        ));
    }

    #[test]
    fn module_paths_follow_files() {
        assert_eq!(module_of("src/lib.rs").as_deref(), Some(""));
        assert_eq!(module_of("src/runtime/mod.rs").as_deref(), Some("runtime"));
        assert_eq!(
            module_of("src/runtime/client.rs").as_deref(),
            Some("runtime::client")
        );
        assert_eq!(module_of("examples/a.rs"), None);
    }

    /// `tidy_text` as it was first written: one `replace` per rule.
    fn tidy_by_rules(printed: &str) -> String {
        let mut s = printed.to_string();
        for (from, to) in [
            (" < ", "<"),
            ("< ", "<"),
            (" <", "<"),
            (" >", ">"),
            (" ,", ","),
            (" :: ", "::"),
            (":: ", "::"),
            (" ::", "::"),
            ("& ", "&"),
            ("( ", "("),
            (" (", "("),
            (" )", ")"),
            ("[ ", "["),
            (" ]", "]"),
            (" :", ":"),
            ("' ", "'"),
        ] {
            s = s.replace(from, to);
        }
        s.replace("->", " -> ").replace("  ", " ")
    }

    #[test]
    fn tokens_are_spelled_as_written() {
        let ty: syn::Type = syn::parse_str(
            "Option < std :: collections :: BTreeMap < String , Vec < & 'a [u8] > > >",
        )
        .unwrap();
        assert_eq!(
            tidy(&ty),
            "Option<std::collections::BTreeMap<String, Vec<&'a [u8]>>>"
        );
        let sig: syn::Signature =
            syn::parse_str("fn f(mut self, x: impl IntoIterator<Item = impl Into<T>>) -> Self")
                .unwrap();
        assert_eq!(
            signature(&sig),
            "fn(mut self, x: impl IntoIterator<Item = impl Into<T>>) -> Self"
        );
    }

    proptest::proptest! {
        /// The one pass spells whatever proc-macro2 prints (tokens one
        /// space apart) as the rules did one after the other.
        #[test]
        fn one_pass_tidies_as_the_rules_did(
            tokens in proptest::collection::vec(
                proptest::sample::select(vec![
                    // A colon follows a name (`x: T`, `Item = T` aside).
                    "a", "Vec", "<", ">", ",", "::", "x :", "&", "(", ")", "[", "]",
                    "'a", "->", "=", "mut", "impl", "\"x y\"", "!", "#",
                ]),
                0..24,
            )
        ) {
            let printed = tokens.join(" ");
            proptest::prop_assert_eq!(tidy_text(&printed), tidy_by_rules(&printed));
        }
    }

    /// Records as `record` writes them, from (key, value) pairs.
    fn text_of(items: &BTreeMap<String, String>) -> String {
        let mut text = format!("# header\n{FORMAT}\n");
        for (k, v) in items {
            let _ = writeln!(text, "{k}: {v}");
        }
        text
    }

    proptest::proptest! {
        /// Whatever two records hold: nothing changes between a record and
        /// itself; every key gone breaks code; what one direction removes
        /// the other adds; an unchanged key is never listed.
        #[test]
        fn comparisons_account_for_every_key(
            a in proptest::collection::btree_map("m::[A-C](::[a-c]|\\.[a-c])?", "(struct|enum|variant|fn\\(x: u8\\)|i64)( #\\[non_exhaustive\\])?", 0..12),
            b in proptest::collection::btree_map("m::[A-C](::[a-c]|\\.[a-c])?", "(struct|enum|variant|fn\\(x: u8\\)|i64)( #\\[non_exhaustive\\])?", 0..12),
        ) {
            let (ta, tb) = (text_of(&a), text_of(&b));
            proptest::prop_assert!(compare(&ta, &ta).is_empty());
            let forward = compare(&ta, &tb);
            let back = compare(&tb, &ta);
            for c in &forward.changes {
                proptest::prop_assert_eq!(a.get(&c.key), c.old.as_ref());
                proptest::prop_assert_eq!(b.get(&c.key), c.new.as_ref());
                proptest::prop_assert!(c.old != c.new);
                if c.new.is_none() {
                    proptest::prop_assert!(c.breaks);
                }
            }
            let changed = |x: &BTreeMap<String, String>, y: &BTreeMap<String, String>| -> Vec<String> {
                x.keys().chain(y.keys()).filter(|k| x.get(*k) != y.get(*k)).cloned().collect::<std::collections::BTreeSet<_>>().into_iter().collect()
            };
            let keys: Vec<String> = forward.changes.iter().map(|c| c.key.clone()).collect();
            proptest::prop_assert_eq!(keys, changed(&a, &b));
            let removed: Vec<&String> = forward.changes.iter().filter(|c| c.new.is_none()).map(|c| &c.key).collect();
            let added_back: Vec<&String> = back.changes.iter().filter(|c| c.old.is_none()).map(|c| &c.key).collect();
            proptest::prop_assert_eq!(removed, added_back);
        }
    }

    /// The committed crate's record reads back whole: one entry per line,
    /// no key that holds the separator.
    #[test]
    fn the_shipped_record_reads_back_whole() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/api-surface.txt");
        let text = std::fs::read_to_string(path).expect("generated/api-surface.txt");
        assert!(comparable(&text));
        // Read from the trees, not from the printed text: how prettyplease
        // wraps a long signature leaves no trace (a trailing comma).
        assert!(!text.contains(",>"), "a value as it was wrapped");
        let lines = text.lines().filter(|l| !l.starts_with('#')).count();
        assert!(lines > 500, "{lines}");
        assert_eq!(entries(&text).len(), lines);
    }
}
