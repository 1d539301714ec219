//! The source of the HTTP runtime every generated crate carries as
//! `src/runtime/`: the modules of the `intercom-runtime` workspace crate
//! (`runtime/src/runtime/`), where they are compiled and unit-tested on
//! their own. The surface reads the names they define, so that no spec
//! name takes one; emit writes them out, without their unit tests.

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
        "options.rs",
        include_str!("../../runtime/src/runtime/options.rs"),
    ),
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
        "shape.rs",
        include_str!("../../runtime/src/runtime/shape.rs"),
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

/// The methods of `Client` that the generated crate's `lib.rs` defines (they
/// start from its API's defaults), beside those of the runtime's `impl Client`.
pub const HOST_CLIENT_METHODS: &[&str] = &["new", "from_env", "builder"];

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
