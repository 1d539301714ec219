//! Rust names for spec names: identifiers, keywords, symbols, collisions.

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::HashSet;

/// Words that cannot be plain identifiers (strict and reserved keywords,
/// 2015 to 2024 editions), plus names that would shadow what generated
/// code relies on.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self",
    "static", "struct", "super", "trait", "true", "try", "type", "typeof", "union", "unsafe",
    "unsized", "use", "virtual", "where", "while", "yield", "abstract", "become",
];

/// Type names the generated crate defines itself or that a derive relies on.
const RESERVED_TYPES: &[&str] = &["Self"];

/// Readable names for enum values made only of symbols (search operators).
const SYMBOLS: &[(&str, &str)] = &[
    ("=", "Eq"),
    ("==", "Eq"),
    ("!=", "Ne"),
    ("<", "Lt"),
    ("<=", "Le"),
    (">", "Gt"),
    (">=", "Ge"),
    ("~", "Contains"),
    ("!~", "NotContains"),
    ("^", "StartsWith"),
    ("$", "EndsWith"),
    ("*", "Any"),
    ("+", "Plus"),
    ("-", "Minus"),
];

fn symbol_name(c: char) -> Option<&'static str> {
    Some(match c {
        '=' => "Eq",
        '!' => "Not",
        '<' => "Lt",
        '>' => "Gt",
        '~' => "Tilde",
        '^' => "Caret",
        '$' => "Dollar",
        '*' => "Star",
        '+' => "Plus",
        '-' => "Minus",
        '/' => "Slash",
        '.' => "Dot",
        '&' => "And",
        '|' => "Or",
        '%' => "Percent",
        '#' => "Hash",
        '@' => "At",
        '?' => "Question",
        ':' => "Colon",
        ',' => "Comma",
        '_' => "Underscore",
        ' ' => "Space",
        _ => return None,
    })
}

/// Replace characters that cannot appear in an identifier with `_`-separated words,
/// keeping digits and letters (non-ASCII letters are dropped).
fn ascii_words(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

/// A snake_case identifier for a field, parameter or method.
pub fn snake_ident(raw: &str) -> String {
    let mut s = ascii_words(raw).to_snake_case();
    if s.is_empty() {
        s = "value".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("n{s}");
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// An UpperCamelCase type name.
pub fn type_ident(raw: &str) -> String {
    let mut s = ascii_words(raw).to_upper_camel_case();
    if s.is_empty() {
        s = "Type".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("T{s}");
    }
    if RESERVED_TYPES.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// An UpperCamelCase enum variant name for a wire value.
///
/// Symbol-only values get readable names (`!=` is `Ne`); values that start
/// with a digit keep their separators between digits (`2.11` is `V2_11`).
pub fn variant_ident(value: &str) -> String {
    if value.is_empty() {
        return "Empty".into();
    }
    if let Some((_, name)) = SYMBOLS.iter().find(|(v, _)| *v == value) {
        return (*name).into();
    }
    if !value.chars().any(|c| c.is_ascii_alphanumeric()) {
        let named: Option<Vec<&str>> = value.chars().map(symbol_name).collect();
        return match named {
            Some(parts) => parts.concat(),
            None => "Symbol".into(),
        };
    }
    if value.starts_with(|c: char| c.is_ascii_digit()) {
        // Keep digit groups apart: "2.11" -> "V2_11", "1.0" -> "V1_0".
        let mut out = String::from("V");
        let mut pending_sep = false;
        for c in value.chars() {
            if c.is_ascii_alphanumeric() {
                if pending_sep && out.len() > 1 {
                    out.push('_');
                }
                pending_sep = false;
                out.push(c.to_ascii_uppercase());
            } else {
                pending_sep = true;
            }
        }
        return out;
    }
    let s = ascii_words(value).to_upper_camel_case();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        // "-1" has a digit but does not start with one: still needs a letter in front.
        return format!("V{s}");
    }
    if s == "Self" {
        return "Self_".into();
    }
    s
}

/// Hands out names unique within one scope, deterministically: the first
/// claimant keeps the name, later ones get `2`, `3`, … appended.
#[derive(Debug, Default, Clone)]
pub struct NameScope {
    used: HashSet<String>,
}

impl NameScope {
    pub fn new() -> Self {
        Self::default()
    }

    /// A scope in which `names` are already taken.
    pub fn with_reserved(names: &[&str]) -> Self {
        NameScope {
            used: names.iter().map(|s| s.to_string()).collect(),
        }
    }

    pub fn claim(&mut self, base: &str) -> String {
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        // Snake-case names take a separator so `a_2` stays a valid, lint-clean name.
        let sep = if base.contains('_') || base.starts_with(|c: char| c.is_ascii_lowercase()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{base}{sep}{n}"))
            .find(|candidate| self.used.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert_eq!(snake_ident("type"), "type_");
        assert_eq!(snake_ident("pt-BR"), "pt_br");
        assert_eq!(snake_ident("2fa_enabled"), "n2fa_enabled");
        assert_eq!(snake_ident("listConversations"), "list_conversations");
        assert_eq!(snake_ident("Intercom-Version"), "intercom_version");
        assert_eq!(type_ident("conversation_list"), "ConversationList");
        assert_eq!(type_ident("Self"), "Self_");
        assert_eq!(type_ident("3d_secure"), "T3dSecure");
        assert_eq!(type_ident("日本"), "Type");
        assert_eq!(snake_ident("_"), "value");
    }

    #[test]
    fn variants() {
        let got: Vec<String> = [
            "=", "!=", "<", "~", "!~", "^", "$", "2.11", "1.0", "Unstable", "pt-BR", "", "=>",
        ]
        .iter()
        .map(|v| variant_ident(v))
        .collect();
        assert_eq!(
            got,
            [
                "Eq",
                "Ne",
                "Lt",
                "Contains",
                "NotContains",
                "StartsWith",
                "EndsWith",
                "V2_11",
                "V1_0",
                "Unstable",
                "PtBr",
                "Empty",
                "EqGt"
            ]
        );
    }

    #[test]
    fn scope_resolves_collisions_in_order() {
        let mut s = NameScope::new();
        assert_eq!(s.claim("Conversation"), "Conversation");
        assert_eq!(s.claim("Conversation"), "Conversation2");
        let mut f = NameScope::new();
        assert_eq!(f.claim("id"), "id");
        assert_eq!(f.claim("id"), "id_2");
    }
}
