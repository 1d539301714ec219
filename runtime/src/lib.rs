//! The runtime of every generated crate, compiled on its own: generated
//! crates carry `src/runtime/` (this crate's `src/runtime/`, unit tests
//! left out) and nothing else of this crate. Its unit tests live next to
//! the code they test, and run here (`cargo test -p intercom-runtime`).

// The helpers generated code calls are `pub(crate)`: here no generated
// code calls them, and the unit tests only some. This crate is the runtime's
// test bench, not what a user gets: generated crates are checked without
// this allowance (`cargo xtask features`, `corpus`, `fixtures`).
#![allow(dead_code)]

pub mod runtime;

/// What the unit tests use as their generated crate's API.
#[cfg(test)]
pub(crate) const TEST_API: runtime::ApiDefaults = runtime::ApiDefaults {
    base_url: "https://api.example.com",
    version_header: Some("Example-Version"),
    version: Some("1.0"),
    token_env: "EXAMPLE_ACCESS_TOKEN",
};
