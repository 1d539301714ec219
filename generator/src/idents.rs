//! Rust identifiers for spec names, one at a time.
//!
//! Every function here returns a valid Rust identifier that follows the case
//! convention of its kind, whatever the input: empty, only spaces or symbols,
//! starting with a digit, a keyword, non-ASCII. Normalize uses them for the
//! IR's name hints; the surface's scopes (`surface::names`) make the names
//! of one namespace distinct.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be plain identifiers (strict and reserved keywords,
/// 2015 to 2024 editions, and the weak keywords a path may not use).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "static", "struct", "super", "trait", "true", "try", "type", "typeof",
    "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

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

/// Letters of the Latin, Greek and Cyrillic scripts, which have one
/// readable ASCII spelling (`é` is `e`, `ß` `ss`, `Ж` `Zh`); letters of
/// other scripts have none we could call readable, and stay separators.
fn transliterable(c: char) -> bool {
    matches!(c as u32, 0x00C0..=0x052F | 0x1E00..=0x1FFF) && c.is_alphabetic()
}

/// The ASCII letters and digits of `s` as words (everything else separates
/// them), after transliterating the letters that have an ASCII spelling.
fn words(s: &str) -> Vec<String> {
    let ascii: String = if s.is_ascii() {
        s.to_string()
    } else {
        s.chars()
            .map(|c| match c {
                c if transliterable(c) => deunicode::deunicode_char(c).unwrap_or(" ").to_string(),
                c => c.to_string(),
            })
            .collect()
    };
    ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The words of a name, lowercase (`ConversationListItem` is
/// `conversation`, `list`, `item`): what naming rules compare.
pub fn lower_words(name: &str) -> Vec<String> {
    name.to_snake_case()
        .split('_')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// UpperCamelCase of `words`, keeping a `_` only between two digits
/// (`2.11` is `2_11`, which the camel-case lint accepts).
fn camel(words: &[String]) -> String {
    let mut out = String::new();
    for w in words {
        let part = w.to_upper_camel_case();
        if out.ends_with(|c: char| c.is_ascii_digit())
            && part.starts_with(|c: char| c.is_ascii_digit())
        {
            out.push('_');
        }
        out.push_str(&part);
    }
    out
}

/// A snake_case identifier for a field, parameter or method.
pub fn snake_ident(raw: &str) -> String {
    let mut s = words(raw).join(" ").to_snake_case();
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

/// An UpperCamelCase type name. A name that would start with a digit gets a
/// `T` in front; `Self`, the one such keyword, is left for the scope to reject.
pub fn type_ident(raw: &str) -> String {
    let s = camel(&words(raw));
    if s.is_empty() {
        return "Type".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("T{s}");
    }
    s
}

/// The variant names of an enum's wire values, each distinct without a
/// number: a value whose [`variant_ident`] another value shares is named
/// from what differs. First each such value spells its punctuation
/// (`[title, -title]` is `Title`, `MinusTitle`; `+1` is `Plus1`; `a.b` is
/// `ADotB`); then, where values still share a name, each marks its case
/// (`[open, Open, OPEN]` is `Open`, `CapitalOpen`, `UpperOpen`); then each
/// spells every character without an ASCII spelling by its code point
/// (`U65E5`). Values that no spelling tells apart (none in a valid enum)
/// keep a shared name, and the scope numbers them.
///
/// A name in `reserved` takes `suffix` (`Unknown` is `UnknownValue`)
/// before names are compared, as the enum's scope would give it.
pub fn variant_names<'a>(
    values: impl IntoIterator<Item = &'a str>,
    reserved: &[&str],
    suffix: &str,
) -> Vec<String> {
    let values: Vec<&str> = values.into_iter().collect();
    let aside = |name: String| {
        if reserved.contains(&name.as_str()) {
            format!("{name}{suffix}")
        } else {
            name
        }
    };
    let mut names: Vec<String> = values.iter().map(|v| aside(variant_ident(v))).collect();
    let spellings: [fn(&str) -> String; 3] = [spelled_ident, cased_ident, coded_ident];
    for spell in spellings {
        let shared: Vec<bool> = names
            .iter()
            .map(|n| names.iter().filter(|m| *m == n).count() > 1)
            .collect();
        if !shared.contains(&true) {
            break;
        }
        for (i, value) in values.iter().enumerate() {
            if shared[i] {
                names[i] = aside(spell(value));
            }
        }
    }
    names
}

/// `value` as a variant name that spells each character that is neither a
/// letter nor a digit (`-title` is `MinusTitle`).
fn spelled_ident(value: &str) -> String {
    spelled(value, |c| symbol_name(c).map(str::to_string))
}

/// [`spelled_ident`] with a mark of the value's case: none for lowercase,
/// `Capital` for a capital first letter, `Upper` for all capitals, `Mixed`
/// for any other.
fn cased_ident(value: &str) -> String {
    let letters: Vec<char> = value.chars().filter(|c| c.is_alphabetic()).collect();
    let mark = if letters.iter().all(|c| !c.is_uppercase()) {
        ""
    } else if letters.len() > 1 && letters.iter().all(|c| !c.is_lowercase()) {
        "Upper"
    } else if letters[0].is_uppercase() && letters[1..].iter().all(|c| !c.is_uppercase()) {
        "Capital"
    } else {
        "Mixed"
    };
    format!("{mark}{}", spelled_ident(value))
}

/// [`cased_ident`] with each character that has no ASCII spelling written
/// as its code point (`U65E5`).
fn coded_ident(value: &str) -> String {
    let spelled = spelled(value, |c| {
        Some(
            symbol_name(c)
                .map(str::to_string)
                .unwrap_or_else(|| format!("U{:X}", c as u32)),
        )
    });
    let cased = cased_ident(value);
    let mark = cased
        .strip_suffix(&spelled_ident(value))
        .unwrap_or_default();
    format!("{mark}{spelled}")
}

/// The words of `value` in UpperCamelCase with each other character named
/// by `name` (or dropped where it gives none).
fn spelled(value: &str, name: impl Fn(char) -> Option<String>) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            let part = camel(&words(word));
            if out.ends_with(|c: char| c.is_ascii_digit())
                && part.starts_with(|c: char| c.is_ascii_digit())
            {
                out.push('_');
            }
            out.push_str(&part);
            word.clear();
        }
    };
    for c in value.chars() {
        if c.is_ascii_alphanumeric() || transliterable(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            if let Some(n) = name(c) {
                out.push_str(&n);
            }
        }
    }
    flush(&mut word, &mut out);
    if out.is_empty() {
        return variant_ident(value);
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("V{out}");
    }
    out
}

/// An UpperCamelCase enum variant name for a wire value.
///
/// Symbol-only values get readable names (`!=` is `Ne`); values that start
/// with a digit get a `V` (`2.11` is `V2_11`, `3rd_party` `V3rdParty`).
pub fn variant_ident(value: &str) -> String {
    if value.is_empty() {
        return "Empty".into();
    }
    if let Some((_, name)) = SYMBOLS.iter().find(|(v, _)| *v == value) {
        return (*name).into();
    }
    let w = words(value);
    if w.is_empty() {
        let named: Option<Vec<&str>> = value.chars().map(symbol_name).collect();
        return match named {
            Some(parts) => parts.concat(),
            None => "Symbol".into(),
        };
    }
    let s = camel(&w);
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        // "-1" is not "1": a leading minus reads as "Minus".
        return if value.trim_start().starts_with('-') {
            format!("Minus{s}")
        } else {
            format!("V{s}")
        };
    }
    s
}
