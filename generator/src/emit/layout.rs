//! Token streams to source text: prettyplease, then a blank line between
//! items, which prettyplease does not keep.

use crate::error::{Diagnostic, Result};
use proc_macro2::TokenStream;

/// `tokens` (the contents of the file at `path`) as a syntax tree.
pub fn parse(path: &str, tokens: TokenStream) -> Result<syn::File> {
    syn::parse2(tokens).map_err(|e| {
        Diagnostic::in_file(
            path,
            format!("internal error: generated code does not parse: {e}"),
        )
        .into()
    })
}

/// Format a syntax tree as Rust source.
pub fn format_file(file: &syn::File) -> String {
    space_items(&prettyplease::unparse(file))
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn is_import(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("use ")
        || t.starts_with("pub use ")
        || t.starts_with("pub(crate) use ")
        || t.starts_with("mod ")
        || t.starts_with("pub mod ")
}

/// Insert a blank line between consecutive items: at the top level, and
/// directly inside `impl`, `trait` and `mod` blocks (not inside function
/// bodies or match expressions). `use` and `mod` declarations stay grouped,
/// and the inner doc comment is set apart from the first item.
pub fn space_items(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    // The indentation of item-holding blocks we are inside.
    let mut containers: Vec<usize> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let ind = indent(line);
        let t = line.trim_start();
        if containers.last().is_some_and(|&c| c == ind) && t.starts_with('}') {
            containers.pop();
        }
        let code = !(t.starts_with("//") || t.starts_with('#'));
        let opens_container = code
            && t.ends_with('{')
            && (t.starts_with("impl")
                || t.starts_with("unsafe impl")
                || t.starts_with("pub trait")
                || t.starts_with("trait")
                || t.starts_with("mod ")
                || t.starts_with("pub mod "));
        if opens_container {
            containers.push(ind);
        }
        let Some(next) = lines.get(i + 1) else { break };
        let item_level = ind == 0 || containers.last().is_some_and(|&c| ind == c + 4);
        if !item_level || next.trim().is_empty() || indent(next) != ind {
            continue;
        }
        let n = next.trim_start();
        if n.starts_with('}') || n.starts_with(')') || n.starts_with(']') {
            continue;
        }
        let inner_doc = t.starts_with("//!") || t.starts_with("#![");
        let ends_item = code && (t.ends_with('}') || t.ends_with(';'));
        let next_inner = n.starts_with("//!") || n.starts_with("#![");
        let after_inner_doc = inner_doc && !next_inner;
        let between_items = ends_item && !(is_import(line) && is_import(next));
        if after_inner_doc || between_items {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::space_items;

    #[test]
    fn blank_lines_between_items_only() {
        let text = "//! Doc.\nuse a::b;\nuse c::d;\npub struct A {\n    x: i64,\n}\nimpl A {\n    fn f() {\n        if x {\n            y();\n        }\n        z();\n    }\n    fn g() {}\n    fn h(self, x: impl Into<i64>) -> Self {\n        self.x = x.into();\n        self\n    }\n}\npub const X: i64 = 1;\n";
        assert_eq!(
            space_items(text),
            "//! Doc.\n\nuse a::b;\nuse c::d;\n\npub struct A {\n    x: i64,\n}\n\nimpl A {\n    fn f() {\n        if x {\n            y();\n        }\n        z();\n    }\n\n    fn g() {}\n\n    fn h(self, x: impl Into<i64>) -> Self {\n        self.x = x.into();\n        self\n    }\n}\n\npub const X: i64 = 1;\n"
        );
    }
}
