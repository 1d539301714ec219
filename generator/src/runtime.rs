//! The source of the HTTP runtime shipped inside every generated crate
//! (`generator/runtime/`): the surface reads the names it defines, so that
//! no spec name takes one, and emit writes it out.

/// `src/runtime.rs` of a generated crate: a real Rust file, written as it is
/// (comments included), after the header.
pub const RUNTIME: &str = include_str!("../runtime/runtime.rs");
