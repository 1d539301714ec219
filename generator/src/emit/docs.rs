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
    let text = html_blocks(&markup(&clean));
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
        let prev_is_item = out
            .last()
            .is_some_and(|l: &String| is_list_item(l.trim_start()));
        if prev_is_item && !trimmed.is_empty() && !is_list_item(trimmed) {
            out.push(String::new());
        }
        // A list item right under another keeps its indentation (up to two
        // levels of nesting): it is nested, not code.
        let indent = line.len() - trimmed.len();
        if prev_is_item && is_list_item(trimmed) && (1..=8).contains(&indent) {
            out.push(format!("{}{}", &line[..indent], escape_line(trimmed)));
            continue;
        }
        // A leading `>` quotes (as `markup` writes admonitions); any other is escaped.
        let line = match trimmed.strip_prefix('>') {
            Some(rest) => format!(">{}", escape_line(rest)),
            None => escape_line(trimmed),
        };
        out.push(line.trim_end().to_string());
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
    // A tag inside a line stands on a line of its own.
    let mut lines = String::with_capacity(text.len());
    for line in text.lines() {
        let mut rest = line;
        while let Some(open) = rest.find("{%") {
            let Some(close) = rest[open..].find("%}").map(|c| open + c + 2) else {
                break;
            };
            let before = rest[..open].trim_end();
            if !before.trim().is_empty() {
                lines.push_str(before);
                lines.push('\n');
            }
            lines.push_str(&rest[open..close]);
            lines.push('\n');
            rest = &rest[close..];
        }
        if !rest.trim().is_empty() || line.trim().is_empty() {
            lines.push_str(rest);
            lines.push('\n');
        }
    }
    let text = lines.as_str();
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
                // A blank line around the quote: the paragraph before and
                // the one after stay out of it.
                if out.last().is_some_and(|l| !l.trim().is_empty()) {
                    out.push(String::new());
                }
                out.push(title);
                out.push(">".into());
                quoting = true;
            } else if t.starts_with("{% /admonition") {
                if quoting {
                    out.push(String::new());
                }
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

/// Block-level HTML as Markdown, outside code: `<p>` paragraphs become
/// blank-line separated, `<ul>`/`<ol>` lists with `<li>` items become
/// Markdown lists (nested ones indented). Anything else is left to
/// [`escape_line`].
fn html_blocks(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    if !["<p", "</p", "<li", "<ul", "<ol"]
        .iter()
        .any(|t| lower.contains(t))
    {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    // Open lists: whether each is numbered.
    let mut lists: Vec<bool> = Vec::new();
    let mut in_fence = false;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if in_fence || line.trim_start().starts_with("```") {
            out.push_str(line);
            continue;
        }
        let mut rest = line;
        let mut in_code = false;
        let paired = line.matches('`').count().is_multiple_of(2);
        while let Some(c) = rest.chars().next() {
            if c == '`' && paired {
                in_code = !in_code;
            }
            if c == '<' && !in_code {
                if let Some(Tag {
                    name: tag,
                    closing,
                    len,
                    ..
                }) = block_tag(rest)
                {
                    match (tag.as_str(), closing) {
                        ("p", false) => {}
                        ("p", true) => out.push_str("\n\n"),
                        ("ul" | "ol", false) => {
                            // A list inside an item starts on the item's next line.
                            if lists.is_empty() {
                                out.push('\n');
                            }
                            lists.push(tag == "ol");
                        }
                        ("ul" | "ol", true) => {
                            lists.pop();
                            if lists.is_empty() {
                                out.push_str("\n\n");
                            }
                        }
                        ("li", false) => {
                            // Nested under the content of each list around it.
                            let indent: usize = lists[..lists.len().saturating_sub(1)]
                                .iter()
                                .map(|&numbered| if numbered { 3 } else { 2 })
                                .sum();
                            let marker = if lists.last() == Some(&true) {
                                "1."
                            } else {
                                "-"
                            };
                            out.push('\n');
                            out.push_str(&" ".repeat(indent));
                            out.push_str(marker);
                            out.push(' ');
                        }
                        _ => {}
                    }
                    rest = &rest[len..];
                    continue;
                }
            }
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    // Paragraph breaks made above: at most one blank line in a row, and no
    // space left at a line's end.
    let mut tidy: Vec<&str> = Vec::new();
    for line in out.lines() {
        let line = line.trim_end();
        if line.trim().is_empty() && tidy.last().is_none_or(|l| l.trim().is_empty()) {
            continue;
        }
        tidy.push(line);
    }
    tidy.join("\n")
}

/// An HTML tag at the start of `s`, as the renderer reads one: `<name
/// attributes>`, `</name>` or `<name/>`, all on the line.
struct Tag<'a> {
    /// Lower case.
    name: String,
    closing: bool,
    self_closing: bool,
    /// What follows the name (empty, or starting with a space).
    attributes: &'a str,
    /// The tag's length in `s`.
    len: usize,
}

fn tag_at(s: &str) -> Option<Tag<'_>> {
    let inner = s.strip_prefix('<')?;
    let end = inner.find('>')?;
    let text = &inner[..end];
    if text.contains('<') {
        return None;
    }
    let (closing, text) = match text.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (self_closing, text) = match text.strip_suffix('/') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let name: String = text
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    let attributes = &text[name.len()..];
    let attributes_only = attributes.is_empty() || attributes.starts_with(char::is_whitespace);
    (!name.is_empty() && attributes_only).then_some(Tag {
        name,
        closing,
        self_closing,
        attributes,
        len: end + 2,
    })
}

/// A `<p>`, `<ul>`, `<ol>` or `<li>` tag (or its closing tag, with any
/// attributes) at the start of `s`.
fn block_tag(s: &str) -> Option<Tag<'_>> {
    tag_at(s).filter(|t| !t.self_closing && matches!(t.name.as_str(), "p" | "ul" | "ol" | "li"))
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
            if let Some((entity, text)) = entity_at(rest) {
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
        // A Markdown link stays one: its text escaped as any text, its
        // destination as written.
        if let Some((text, url, len)) = markdown_link(rest) {
            s.push('[');
            s.push_str(&escape_line(text));
            s.push_str("](");
            s.push_str(url);
            s.push(')');
            rest = &rest[len..];
            continue;
        }
        // An autolink stays one.
        if let Some(len) = autolink(rest) {
            s.push_str(&rest[..len]);
            rest = &rest[len..];
            continue;
        }
        if let Some((markdown, len)) = inline_tag(rest) {
            s.push_str(&markdown);
            rest = &rest[len..];
            continue;
        }
        // A tag of HTML's own that is not closed on its line (or closes
        // nothing) formats nothing: it goes. Any other `<…>` is text.
        if let Some(len) = stray_tag(rest) {
            rest = &rest[len..];
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
        if let Some(len) = ["<br>", "<br/>", "<br />", "</br>"]
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
            // A backtick that pairs with none (the line has an odd number).
            '`' => s.push('\''),
            '\\' => s.push_str("\\\\"),
            _ => s.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    s
}

/// `[text](destination)` at the start of `s`: its text, its destination
/// (parentheses inside it balanced, no space), and its length.
fn markdown_link(s: &str) -> Option<(&str, &str, usize)> {
    let s = s.strip_prefix('[')?;
    let close = s.find(']')?;
    let text = &s[..close];
    if text.is_empty() || text.contains('[') {
        return None;
    }
    let after = s[close + 1..].strip_prefix('(')?;
    let mut depth = 0usize;
    for (i, c) in after.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => {
                let url = &after[..i];
                let ok = !url.is_empty()
                    && !url.contains(char::is_whitespace)
                    && !url.contains(['<', '>', '`']);
                return ok.then_some((text, url, 1 + close + 2 + i + 1));
            }
            ')' => depth -= 1,
            c if c.is_whitespace() => return None,
            _ => {}
        }
    }
    None
}

/// `<https://…>` at the start of `s`: its length.
fn autolink(s: &str) -> Option<usize> {
    let inner = s.strip_prefix('<')?;
    let len = url_at(inner)?;
    (inner[len..].starts_with('>')).then_some(len + 2)
}

/// An inline HTML element at the start of `s`, with its closing tag later
/// on the line: its Markdown and the length of the element. `<code>` is a
/// code span (entities decoded), `<b>`/`<strong>` bold, `<i>`/`<em>`
/// emphasis, `<a href>` a link. Anything else, or an element not closed on
/// the line, is left to be escaped as text.
fn inline_tag(s: &str) -> Option<(String, usize)> {
    let open = tag_at(s).filter(|t| !t.closing && !t.self_closing)?;
    let name = open.name;
    let close = format!("</{name}>");
    let body_start = open.len;
    let lower = s.to_ascii_lowercase();
    let body_len = lower[body_start..].find(&close)?;
    let body = &s[body_start..body_start + body_len];
    let len = body_start + body_len + close.len();
    let inner = body.trim();
    if inner.is_empty() {
        return None;
    }
    let markdown = match name.as_str() {
        "code" | "tt" | "kbd" => {
            let decoded = decode_entities(inner);
            if decoded.contains('`') {
                format!("`` {decoded} ``")
            } else {
                format!("`{decoded}`")
            }
        }
        "b" | "strong" => format!("**{}**", escape_line(inner)),
        "i" | "em" => format!("*{}*", escape_line(inner)),
        "a" => {
            let href = attribute(open.attributes, "href")?;
            format!("[{}]({href})", escape_line(inner))
        }
        _ => return None,
    };
    Some((markdown, len))
}

/// HTML's formatting tags, which [`stray_tag`] drops where they format nothing.
const HTML_TAGS: &[&str] = &[
    "a", "b", "code", "div", "em", "i", "kbd", "li", "ol", "p", "small", "span", "strong", "sub",
    "sup", "tt", "u", "ul",
];

/// An opening or closing tag of [`HTML_TAGS`] at the start of `s`: its length.
fn stray_tag(s: &str) -> Option<usize> {
    tag_at(s)
        .filter(|t| HTML_TAGS.contains(&t.name.as_str()))
        .map(|t| t.len)
}

/// The value of attribute `name` in a tag's text (quoted either way).
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!("{name}="))? + name.len() + 1;
    let rest = &tag[at..];
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    let end = value.find(quote)?;
    let value = &value[..end];
    (!value.is_empty() && !value.contains(char::is_whitespace)).then_some(value)
}

/// The HTML entities descriptions use, and their characters.
const ENTITIES: [(&str, char); 5] = [
    ("&lt;", '<'),
    ("&gt;", '>'),
    ("&amp;", '&'),
    ("&quot;", '"'),
    ("&#39;", '\''),
];

/// The entity at the start of `s`, if one is.
fn entity_at(s: &str) -> Option<(&'static str, char)> {
    ENTITIES.into_iter().find(|(e, _)| s.starts_with(e))
}

/// HTML's common entities as their characters.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        match entity_at(rest) {
            Some((entity, decoded)) => {
                out.push(decoded);
                rest = &rest[entity.len()..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
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

/// Our own prose (not the spec's: its links and markup are written to be
/// rendered as they are) as doc attributes, one per line: `#[doc]`, or a
/// module's own `#![doc]`.
pub fn own_doc(text: &str, inner: bool) -> TokenStream {
    let lines = text.lines().map(|l| {
        let line = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        if inner {
            quote!(#![doc = #line])
        } else {
            quote!(#[doc = #line])
        }
    });
    quote!(#(#lines)*)
}

/// Spec prose as `#[doc = r" line"]` attributes (printed as `///`), one
/// per line, made rustdoc-safe by [`sanitize`]: the one renderer of doc lines.
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(clean) = text.map(sanitize).filter(|c| !c.trim().is_empty()) else {
        return TokenStream::new();
    };
    let lines = clean.lines().map(|l| {
        let line = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        super::syntax::doc_line(&line)
    });
    quote! { #(#lines)* }
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
            "See <https://x.io/a>. Then \\[1\\]"
        );
        assert_eq!(
            sanitize("    indented code\n```\nfn x\n```"),
            "indented code\n```text\nfn x\n```"
        );
        assert_eq!(sanitize("an `odd tick"), "an 'odd tick");
        // Code spans are shown as they are; entities in them are decoded.
        assert_eq!(
            sanitize("`&gt;=` and `a<b>` but <b>"),
            "`>=` and `a<b>` but"
        );
        assert_eq!(sanitize("- item\nlazy"), "- item\n\nlazy");
        // A line break stays one, in a table cell too; other tags are text.
        assert_eq!(
            sanitize("| a<br>b | c<BR/>d<br />e |\nx<br>y <brx> z</br>w"),
            "| a<br>b | c<br>d<br>e |\nx<br>y &lt;brx&gt; z<br>w"
        );
        // A template tag inside a line.
        assert_eq!(
            sanitize("A note. {% admonition type=\"info\" name=\"Merged\" %}\nGone.\n{% /admonition %} Next."),
            "A note.\n\n> **Info: Merged**\n>\n> Gone.\n\nNext."
        );
        assert_eq!(
            sanitize("Intro.\n{% admonition type=\"warning\" name=\"Beta\" %}\nAsk us first.\n{% /admonition %}\nAfter."),
            "Intro.\n\n> **Warning: Beta**\n>\n> Ask us first.\n\nAfter."
        );
    }

    #[test]
    fn links_stay_links() {
        assert_eq!(
            sanitize(
                "See the [pagination section](https://x.io/docs/paging/#example-search) for more."
            ),
            "See the [pagination section](https://x.io/docs/paging/#example-search) for more."
        );
        // A query string and parentheses in the destination; markup in the text.
        assert_eq!(
            sanitize("[FAQ <b>How</b>?](https://x.io/faq?q=a&b=(c)) and [1] [x] (y)"),
            "[FAQ **How**?](https://x.io/faq?q=a&b=(c)) and \\[1\\] \\[x\\] (y)"
        );
        // An autolink stays one; a bare URL becomes one.
        assert_eq!(
            sanitize("At <https://x.io/a?b=1> or https://x.io/c."),
            "At <https://x.io/a?b=1> or <https://x.io/c>."
        );
        // Not a link: a space in the destination.
        assert_eq!(sanitize("[a](b c)"), "\\[a\\](b c)");
    }

    #[test]
    fn inline_html_becomes_markdown() {
        assert_eq!(
            sanitize("part type <code>custom_action_started</code>, <b>Note:</b> <i>may</i> <em>change</em> <strong>now</strong>"),
            "part type `custom_action_started`, **Note:** *may* *change* **now**"
        );
        assert_eq!(
            sanitize("More in <a href=\"https://x.io/faq\">FAQ How do I block spam?</a>."),
            "More in [FAQ How do I block spam?](https://x.io/faq)."
        );
        // Entities in code are decoded; a backtick in it takes a double fence.
        assert_eq!(
            sanitize("<code>a &lt;= b</code> <code>x`y</code>"),
            "`a <= b` `` x`y ``"
        );
        // HTML's own tags that format nothing (unbalanced, an anchor
        // without a destination) go; any other is text (a placeholder).
        assert_eq!(sanitize("<b>open only</i>"), "open only");
        assert_eq!(sanitize("<a name=\"x\">y</a>"), "y");
        assert_eq!(sanitize("<blink>x</blink>"), "&lt;blink&gt;x&lt;/blink&gt;");
        assert_eq!(sanitize("Bearer <YOUR_TOKEN>"), "Bearer &lt;YOUR_TOKEN&gt;");
        // In a code span nothing changes.
        assert_eq!(sanitize("`<b>x</b>`"), "`<b>x</b>`");
    }

    #[test]
    fn html_paragraphs_and_lists_become_markdown() {
        assert_eq!(sanitize("<p>One.</p><p>Two.</p>"), "One.\n\nTwo.");
        assert_eq!(
            sanitize("Kinds:<ul><li>a</li><li>b <code>c</code></li></ul>After."),
            "Kinds:\n\n- a\n- b `c`\n\nAfter."
        );
        assert_eq!(
            sanitize("<ol><li>first</li><li>second<ul><li>inner</li></ul></li></ol>"),
            "1. first\n1. second\n   - inner"
        );
    }

    #[test]
    fn callouts_hold_lists_and_tables() {
        let text = "Before.\n{% admonition type=\"info\" name=\"Merged contacts\" %}\n- one\n- two\n\n| a | b |\n| - | - |\n| 1<br>2 | 3 |\n{% /admonition %}\nAfter.";
        assert_eq!(
            sanitize(text),
            "Before.\n\n> **Info: Merged contacts**\n>\n> - one\n> - two\n>\n> | a | b |\n> | - | - |\n> | 1<br>2 | 3 |\n\nAfter."
        );
    }
}
