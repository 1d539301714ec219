//! The literals emit writes: doc lines and raw strings. Every item is
//! written as tokens with `quote!` and parsed once, per type in models.rs
//! and per file elsewhere (`docs/architecture.md`).

use proc_macro2::TokenStream;
use quote::quote;

/// One `#[doc = r"…"]` attribute (printed as `///`). A raw string: prose
/// is full of quotes, and a raw literal is neither escaped nor unescaped.
pub fn doc_line(line: &str) -> TokenStream {
    let line = raw_str(line);
    quote!(#[doc = #line])
}

/// A raw string literal (`r#"…"#`, with as many `#` as the text needs):
/// JSON reads as itself, without escaped quotes.
pub fn raw_str(text: &str) -> proc_macro2::Literal {
    // A carriage return cannot stand alone in a raw string; such text stays escaped.
    if text.contains('\r') {
        return proc_macro2::Literal::string(text);
    }
    let hashes = if text.contains('"') {
        (1..)
            .map(|n| "#".repeat(n))
            .find(|h| !text.contains(&format!("\"{h}")))
            .unwrap_or_default()
    } else {
        String::new()
    };
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| proc_macro2::Literal::string(text))
}
