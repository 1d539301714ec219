//! The source of the HTTP runtime every generated crate carries as
//! `src/runtime/`: the modules of the `intercom-runtime` workspace crate
//! (`runtime/src/runtime/`), where they are compiled and unit-tested on
//! their own. The surface reads the names they define, so that no spec
//! name takes one; emit writes them out, without their unit tests, their
//! gates rewritten for the crate (`cfg`).

mod cfg;

pub use cfg::{gated, holds};

/// The runtime's modules: (file name, source), `mod.rs` first.
pub const RUNTIME: &[(&str, &str)] = &[
    ("mod.rs", include_str!("../../runtime/src/runtime/mod.rs")),
    ("body.rs", include_str!("../../runtime/src/runtime/body.rs")),
    (
        "client.rs",
        include_str!("../../runtime/src/runtime/client.rs"),
    ),
    (
        "error.rs",
        include_str!("../../runtime/src/runtime/error.rs"),
    ),
    (
        "locate.rs",
        include_str!("../../runtime/src/runtime/locate.rs"),
    ),
    (
        "options.rs",
        include_str!("../../runtime/src/runtime/options.rs"),
    ),
    ("mock.rs", include_str!("../../runtime/src/runtime/mock.rs")),
    ("page.rs", include_str!("../../runtime/src/runtime/page.rs")),
    (
        "paging.rs",
        include_str!("../../runtime/src/runtime/paging.rs"),
    ),
    (
        "params.rs",
        include_str!("../../runtime/src/runtime/params.rs"),
    ),
    (
        "rate_limit.rs",
        include_str!("../../runtime/src/runtime/rate_limit.rs"),
    ),
    (
        "request.rs",
        include_str!("../../runtime/src/runtime/request.rs"),
    ),
    (
        "response.rs",
        include_str!("../../runtime/src/runtime/response.rs"),
    ),
    (
        "retry.rs",
        include_str!("../../runtime/src/runtime/retry.rs"),
    ),
    (
        "search.rs",
        include_str!("../../runtime/src/runtime/search.rs"),
    ),
    ("fit.rs", include_str!("../../runtime/src/runtime/fit.rs")),
    (
        "shape.rs",
        include_str!("../../runtime/src/runtime/shape.rs"),
    ),
    (
        "tolerant.rs",
        include_str!("../../runtime/src/runtime/tolerant.rs"),
    ),
    (
        "webhook.rs",
        include_str!("../../runtime/src/runtime/webhook.rs"),
    ),
];

/// Where a module's unit tests start: they stay in the runtime crate.
const TESTS: &str = "\n#[cfg(test)]\nmod tests {";

/// A module's source as a generated crate gets it: without its unit tests.
pub fn without_tests(source: &str) -> &str {
    match source.find(TESTS) {
        Some(at) => &source[..=at],
        None => source,
    }
}

/// What a generated crate may need of the runtime: the runtime's items
/// carry `#[cfg(feature = "needs-<name>")]`, which [`gated`] rewrites for
/// each crate (features of the runtime crate itself, where all are on).
pub const NEEDS: &[&str] = &[
    "operations",
    "body",
    "json-body",
    "form-body",
    "multipart-body",
    "multipart-file",
    "multipart-properties",
    "required",
    "path-param",
    "query-param",
    "header-param",
    "cookie-param",
    "content-param",
    "accept",
    "json-response",
    "text-response",
    "bytes-response",
    "empty-response",
    "paging",
    "unions",
    "pick",
    "read-value",
    "struct-alternative",
    "tolerant",
    "structs",
    "search",
];

/// When a crate compiles what a need gates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    /// Always: something compiled in every feature set uses it.
    Always,
    /// With any of these Cargo features; with none of them, never.
    Features(std::collections::BTreeSet<String>),
    /// Where each of these holds.
    All(Vec<Need>),
}

impl Need {
    /// The same need, said simply: an `All` of one need is that need, of
    /// needs that hold always is `Always`, of one that never holds never
    /// holds; equal needs count once.
    pub fn simplified(&self) -> Need {
        let Need::All(needs) = self else {
            return self.clone();
        };
        let mut kept: Vec<Need> = Vec::new();
        for n in needs.iter().map(Need::simplified) {
            match n {
                Need::Always => {}
                never @ Need::Features(_) if never.never() => return never,
                Need::All(inner) => kept.extend(inner),
                other if !kept.contains(&other) => kept.push(other),
                _ => {}
            }
        }
        match kept.len() {
            0 => Need::Always,
            1 => kept.remove(0),
            _ => Need::All(kept),
        }
    }

    /// Whether nothing ever needs it (no feature compiles it).
    pub fn never(&self) -> bool {
        matches!(self.simplified(), Need::Features(f) if f.is_empty())
    }

    /// Whether it holds wherever any of `features` is on (an item gated by
    /// them needs no gate of its own for it). `full` turns on every area
    /// (not `webhooks` nor `mock`).
    pub fn holds_wherever(&self, features: &[&str]) -> bool {
        match self {
            Need::Always => true,
            Need::Features(on) => features.iter().all(|f| {
                on.contains(*f)
                    || (*f == "full" && on.iter().any(|o| o != "webhooks" && o != "mock"))
            }),
            Need::All(needs) => needs.iter().all(|n| n.holds_wherever(features)),
        }
    }
}

/// The methods of `Client` that the generated crate's `lib.rs` defines (they
/// start from its API's defaults), beside those of the runtime's `impl Client`;
/// and those of `Mock` that its `mock.rs` defines (an area's accessor is a
/// method of both).
pub const HOST_CLIENT_METHODS: &[&str] = &[
    "new",
    "from_env",
    "builder",
    "with_examples",
    "client",
    "default",
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every module of `runtime/src/runtime/` is listed, and `mod.rs` declares each.
    #[test]
    fn every_module_is_emitted() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src/runtime");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .expect("runtime/src/runtime")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".rs"))
            .collect();
        on_disk.sort();
        let mut listed: Vec<String> = RUNTIME.iter().map(|(n, _)| n.to_string()).collect();
        listed.sort();
        assert_eq!(on_disk, listed);
        let (_, module) = RUNTIME[0];
        for (name, _) in &RUNTIME[1..] {
            let stem = name.trim_end_matches(".rs");
            assert!(
                module.contains(&format!("mod {stem};")),
                "mod.rs does not declare `{stem}`"
            );
        }
    }

    /// Every need the runtime's items name is one the generator computes.
    #[test]
    fn every_need_is_known() {
        for (name, source) in RUNTIME {
            let mut rest = *source;
            while let Some(at) = rest.find("\"needs-") {
                let after = &rest[at + 7..];
                let end = after.find('"').unwrap_or(0);
                assert!(
                    NEEDS.contains(&&after[..end]),
                    "{name}: needs-{}",
                    &after[..end]
                );
                rest = &after[end..];
            }
        }
    }

    fn on(features: &[&str]) -> Need {
        Need::Features(features.iter().map(|f| f.to_string()).collect())
    }

    #[test]
    fn a_gate_implies_a_need_its_features_turn_on() {
        assert!(on(&["notes", "tags"]).holds_wherever(&["notes"]));
        assert!(!on(&["notes", "tags"]).holds_wherever(&["notes", "webhooks"]));
        assert!(on(&["tags"]).holds_wherever(&["full"]));
        assert!(!on(&["webhooks"]).holds_wherever(&["full"]));
        assert!(Need::Always.holds_wherever(&["notes"]));
        assert!(!Need::All(vec![on(&["notes"]), on(&["tags"])]).holds_wherever(&["notes"]));
    }

    #[test]
    fn unit_tests_are_left_out() {
        let source = "fn a() {}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {}\n}\n";
        assert_eq!(without_tests(source), "fn a() {}\n\n");
        for (name, source) in RUNTIME {
            assert!(
                !without_tests(source).contains("#[cfg(test)]"),
                "{name} keeps a test"
            );
        }
    }
}
