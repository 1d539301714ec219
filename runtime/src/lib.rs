//! The runtime of every generated crate, compiled on its own: generated
//! crates carry `src/runtime/` (this crate's `src/runtime/`, unit tests
//! left out) and nothing else of this crate. Its unit tests live next to
//! the code they test, and run here (`cargo test -p intercom-runtime`).

pub mod runtime;

/// What the unit tests use as their generated crate's API.
#[cfg(test)]
pub(crate) const TEST_API: runtime::ApiDefaults = runtime::ApiDefaults {
    base_url: "https://api.example.com",
    version_header: Some("Example-Version"),
    version: Some("1.0"),
};
