//! Spec prose to rustdoc that builds without warnings.

use proc_macro2::TokenStream;
use quote::quote;

/// Make free text safe for rustdoc: no doctests from code blocks or
/// indentation, no broken intra-doc links, no stray HTML, no bare URLs, no
/// tabs or control characters.
pub fn sanitize(text: &str) -> String {
    // Tabs as spaces (clippy's `tabs_in_doc_comments`), other control
    // characters as a space.
    let mut clean = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => clean.push_str("    "),
            c if c.is_control() && c != '\n' => clean.push(' '),
            c => clean.push(c),
        }
    }
    let text = markup(&clean);
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            out.push(if in_fence {
                "```".to_string()
            } else {
                "```text".to_string()
            });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_string());
            continue;
        }
        // A line right after a list item would continue it lazily: start a paragraph instead.
        let prev_is_item = out.last().is_some_and(|l: &String| is_list_item(l));
        if prev_is_item && !trimmed.is_empty() && !is_list_item(trimmed) {
            out.push(String::new());
        }
        // A leading `>` quotes (as `markup` writes admonitions); any other is escaped.
        match trimmed.strip_prefix('>') {
            Some(rest) => out.push(format!(">{}", escape_line(rest))),
            None => out.push(escape_line(trimmed)),
        }
    }
    if in_fence {
        out.push("```".into());
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// Intercom's Markdoc tags as plain Markdown: `{% admonition type="warning"
/// name="Beta" %}` … `{% /admonition %}` becomes a quote headed
/// `**Warning: Beta**`; any other `{% … %}` tag is dropped.
fn markup(text: &str) -> String {
    if !text.contains("{%") {
        return text.to_string();
    }
    let attr = |tag: &str, name: &str| {
        let key = format!("{name}=\"");
        let start = tag.find(&key)? + key.len();
        let end = tag[start..].find('"')? + start;
        Some(tag[start..end].to_string())
    };
    let mut out: Vec<String> = Vec::new();
    let mut quoting = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("{%") && t.ends_with("%}") {
            if t.starts_with("{% admonition") {
                let kind = attr(t, "type").unwrap_or_else(|| "note".into());
                let mut kind = kind.to_string();
                if let Some(first) = kind.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                let title = match attr(t, "name") {
                    Some(name) if !name.trim().is_empty() => {
                        format!("> **{kind}: {}**", name.trim())
                    }
                    _ => format!("> **{kind}**"),
                };
                out.push(title);
                out.push(">".into());
                quoting = true;
            } else if t.starts_with("{% /admonition") {
                quoting = false;
            }
            continue;
        }
        if quoting {
            out.push(if t.is_empty() {
                ">".into()
            } else {
                format!("> {t}")
            });
        } else {
            out.push(line.to_string());
        }
    }
    out.join("\n")
}

fn is_list_item(line: &str) -> bool {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    line.starts_with("- ")
        || line.starts_with("* ")
        || line.starts_with("+ ")
        || (digits > 0 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") ")))
}

fn escape_line(line: &str) -> String {
    let mut s = String::with_capacity(line.len());
    let mut rest = line;
    // Inside a code span (between backticks, when they pair up) text is
    // shown as it is: nothing is escaped, and HTML entities the description
    // carries are decoded (`&lt;=` is `<=`).
    let mut in_code = false;
    let paired = line.matches('`').count().is_multiple_of(2);
    while !rest.is_empty() {
        if in_code {
            let c = rest.chars().next().unwrap_or(' ');
            if c == '`' {
                in_code = false;
                s.push(c);
                rest = &rest[1..];
                continue;
            }
            if let Some((entity, text)) = [
                ("&lt;", '<'),
                ("&gt;", '>'),
                ("&amp;", '&'),
                ("&quot;", '"'),
                ("&#39;", '\''),
            ]
            .into_iter()
            .find(|(e, _)| rest.starts_with(e))
            {
                s.push(text);
                rest = &rest[entity.len()..];
                continue;
            }
            s.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if paired && rest.starts_with('`') {
            in_code = true;
            s.push('`');
            rest = &rest[1..];
            continue;
        }
        if let Some(url_len) = url_at(rest) {
            let url = &rest[..url_len];
            s.push('<');
            s.push_str(url);
            s.push('>');
            rest = &rest[url_len..];
            continue;
        }
        // A line break (`<br>`, in a table cell too) is HTML rustdoc renders
        // as one (a void element: no closing tag to miss).
        if let Some(len) = ["<br>", "<br/>", "<br />"]
            .iter()
            .find(|b| {
                rest.get(..b.len())
                    .is_some_and(|r| r.eq_ignore_ascii_case(b))
            })
            .map(|b| b.len())
        {
            s.push_str("<br>");
            rest = &rest[len..];
            continue;
        }
        let c = rest.chars().next().unwrap_or(' ');
        match c {
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '[' => s.push_str("\\["),
            ']' => s.push_str("\\]"),
            '`' => s.push('`'),
            '\\' => s.push_str("\\\\"),
            _ => s.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    // An odd number of backticks would open a code span that swallows the escapes above.
    if s.matches('`').count() % 2 == 1 {
        s = s.replace('`', "'");
    }
    s
}

/// Length of a URL starting at the beginning of `s`, if one does.
fn url_at(s: &str) -> Option<usize> {
    if !(s.starts_with("http://") || s.starts_with("https://")) {
        return None;
    }
    let end = s
        .find(|c: char| {
            c.is_whitespace() || matches!(c, '<' | '>' | '"' | ')' | '(' | '[' | ']' | '`' | '\'')
        })
        .unwrap_or(s.len());
    let url = s[..end].trim_end_matches(['.', ',', ';', ':']);
    Some(url.len())
}

/// `#[doc = ...]` attributes for a doc text, one per line.
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let attrs = doc(text);
    quote! { #(#attrs)* }
}

/// Spec prose as `#[doc = r" line"]` attributes (printed as `///`), made
/// rustdoc-safe by [`sanitize`]: the one renderer of doc lines.
pub fn doc(text: Option<&str>) -> Vec<syn::Attribute> {
    let Some(text) = text else {
        return Vec::new();
    };
    let clean = sanitize(text);
    if clean.trim().is_empty() {
        return Vec::new();
    }
    clean
        .lines()
        .map(|l| {
            let line = if l.is_empty() {
                String::new()
            } else {
                format!(" {l}")
            };
            super::syntax::doc_line(&line)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn tabs_and_control_characters_become_spaces() {
        assert_eq!(sanitize("a\tb\u{0}c\rd\ne"), "a    b c d\ne");
    }

    #[test]
    fn rustdoc_safe() {
        assert_eq!(
            sanitize("See https://x.io/a. Then <p>[1]</p>"),
            "See <https://x.io/a>. Then &lt;p&gt;\\[1\\]&lt;/p&gt;"
        );
        assert_eq!(
            sanitize("    indented code\n```\nfn x\n```"),
            "indented code\n```text\nfn x\n```"
        );
        assert_eq!(sanitize("an `odd tick"), "an 'odd tick");
        // Code spans are shown as they are; entities in them are decoded.
        assert_eq!(
            sanitize("`&gt;=` and `a<b>` but <b>"),
            "`>=` and `a<b>` but &lt;b&gt;"
        );
        assert_eq!(sanitize("- item\nlazy"), "- item\n\nlazy");
        // A line break stays one, in a table cell too; other tags are text.
        assert_eq!(
            sanitize("| a<br>b | c<BR/>d<br />e |\nx<br>y <brx>"),
            "| a<br>b | c<br>d<br>e |\nx<br>y &lt;brx&gt;"
        );
        assert_eq!(
            sanitize("Intro.\n{% admonition type=\"warning\" name=\"Beta\" %}\nAsk us first.\n{% /admonition %}\nAfter."),
            "Intro.\n> **Warning: Beta**\n>\n> Ask us first.\nAfter."
        );
    }
}
