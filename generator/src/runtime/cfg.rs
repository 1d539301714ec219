//! The runtime's gates rewritten for one crate. Each `#[cfg(…)]` or
//! `#[cfg_attr(…, …)]` that names a `feature = "needs-…"` is read as a
//! predicate, each need is replaced by what the crate's [`Need`] says (always,
//! never, or the features that use it), and the whole is simplified: an
//! attribute that always holds goes (a `cfg_attr` keeps what it adds), one
//! that never holds is `cfg(any())`, and no `all()` or `any()` is left inside
//! another predicate (clippy's `non_minimal_cfg`). Attributes without a need
//! are copied as they are.

use super::Need;
use std::collections::BTreeMap;

/// A `cfg` predicate.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pred {
    True,
    False,
    /// Any other option, as written: `feature = "webhooks"`, `test`.
    Atom(String),
    Any(Vec<Pred>),
    All(Vec<Pred>),
    Not(Box<Pred>),
}

impl Pred {
    /// A need as it stands; [`Pred::simplified`] folds it with the rest.
    fn from_need(need: &Need) -> Pred {
        match need {
            Need::Always => Pred::True,
            Need::Features(features) => Pred::Any(
                features
                    .iter()
                    .map(|f| Pred::Atom(format!("feature = {f:?}")))
                    .collect(),
            ),
            Need::All(needs) => Pred::All(needs.iter().map(Pred::from_need).collect()),
        }
    }

    /// The same predicate with constants folded, nested lists of the same
    /// kind merged, repeats dropped, and lists of one said as that one.
    fn simplified(self) -> Pred {
        match self {
            Pred::Any(items) => Pred::fold(items, false),
            Pred::All(items) => Pred::fold(items, true),
            Pred::Not(inner) => match inner.simplified() {
                Pred::True => Pred::False,
                Pred::False => Pred::True,
                Pred::Not(again) => *again,
                other => Pred::Not(Box::new(other)),
            },
            other => other,
        }
    }

    /// `all` (absorbing `False`, neutral `True`) or `any` (the reverse).
    fn fold(items: Vec<Pred>, is_all: bool) -> Pred {
        let (absorbing, neutral) = if is_all {
            (Pred::False, Pred::True)
        } else {
            (Pred::True, Pred::False)
        };
        let mut kept: Vec<Pred> = Vec::new();
        for item in items.into_iter().map(Pred::simplified) {
            if item == absorbing {
                return absorbing;
            }
            if item == neutral {
                continue;
            }
            let inner = match item {
                Pred::All(inner) if is_all => inner,
                Pred::Any(inner) if !is_all => inner,
                item => vec![item],
            };
            for item in inner {
                if !kept.contains(&item) {
                    kept.push(item);
                }
            }
        }
        // An item another one implies adds nothing to `all` (`any(a, b)`
        // beside `a`), one that implies another adds nothing to `any`.
        let options: Vec<Option<Vec<&str>>> = kept.iter().map(Pred::options).collect();
        let redundant: Vec<bool> = (0..kept.len())
            .map(|i| {
                (0..kept.len()).any(|j| {
                    let (Some(mine), Some(theirs)) = (&options[i], &options[j]) else {
                        return false;
                    };
                    let (small, large) = if is_all {
                        (theirs, mine)
                    } else {
                        (mine, theirs)
                    };
                    // Of two with the same options (`any(a, b)`, `any(b, a)`), the later goes.
                    i != j
                        && small.iter().all(|o| large.contains(o))
                        && (small.len() < large.len() || j < i)
                })
            })
            .collect();
        let mut kept: Vec<Pred> = kept
            .into_iter()
            .zip(redundant)
            .filter_map(|(item, gone)| (!gone).then_some(item))
            .collect();
        match kept.len() {
            0 => neutral,
            1 => kept.remove(0),
            _ if is_all => Pred::All(kept),
            _ => Pred::Any(kept),
        }
    }

    /// The options of an option or of an `any` of options: it holds when one
    /// of them does.
    fn options(&self) -> Option<Vec<&str>> {
        match self {
            Pred::Atom(a) => Some(vec![a.as_str()]),
            Pred::Any(items) => items
                .iter()
                .map(|i| match i {
                    Pred::Atom(a) => Some(a.as_str()),
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    }

    fn write(&self, out: &mut String) {
        let list = |out: &mut String, name: &str, items: &[Pred]| {
            out.push_str(name);
            out.push('(');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                item.write(out);
            }
            out.push(')');
        };
        match self {
            Pred::True => out.push_str("all()"),
            Pred::False => out.push_str("any()"),
            Pred::Atom(text) => out.push_str(text),
            Pred::Any(items) => list(out, "any", items),
            Pred::All(items) => list(out, "all", items),
            Pred::Not(inner) => list(out, "not", std::slice::from_ref(inner)),
        }
    }

    fn flat(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// Written where a line is indented by `indent`: on one line if it fits
    /// in [`WIDTH`] from `column`, else as rustfmt lays out a long `cfg`, one
    /// item of `any` or `all` per line (`not` keeps its list on its line).
    fn write_wrapped(&self, out: &mut String, indent: usize, column: usize) {
        let flat = self.flat();
        if column + flat.len() <= WIDTH {
            out.push_str(&flat);
            return;
        }
        let (name, items) = match self {
            Pred::Any(items) => ("any", items),
            Pred::All(items) => ("all", items),
            Pred::Not(inner) => {
                out.push_str("not(");
                inner.write_wrapped(out, indent, column + 4);
                out.push(')');
                return;
            }
            _ => {
                out.push_str(&flat);
                return;
            }
        };
        out.push_str(name);
        out.push_str("(\n");
        let inner = indent + 4;
        for (i, item) in items.iter().enumerate() {
            out.push_str(&" ".repeat(inner));
            // Room for the comma after it.
            item.write_wrapped(out, inner, inner + 1);
            out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
        }
        out.push_str(&" ".repeat(indent));
        out.push(')');
    }
}

/// The line width gates are wrapped at, as rustfmt's default.
const WIDTH: usize = 100;

/// Reads a predicate, replacing needs by what `needs` says of them.
struct Reader<'a> {
    text: &'a str,
    at: usize,
    needs: &'a BTreeMap<String, Need>,
    /// Whether a need was read.
    touched: bool,
}

impl Reader<'_> {
    fn skip_space(&mut self) {
        let rest = &self.text[self.at..];
        self.at += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, what: char) -> Result<(), String> {
        self.skip_space();
        if self.text[self.at..].starts_with(what) {
            self.at += what.len_utf8();
            Ok(())
        } else {
            Err(format!("expected `{what}` in a cfg at byte {}", self.at))
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.skip_space();
        self.text[self.at..].chars().next()
    }

    fn word(&mut self) -> Result<&str, String> {
        self.skip_space();
        let rest = &self.text[self.at..];
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if len == 0 {
            return Err(format!("expected a cfg option at byte {}", self.at));
        }
        self.at += len;
        Ok(&rest[..len])
    }

    fn predicate(&mut self) -> Result<Pred, String> {
        let word = self.word()?.to_string();
        match self.peek() {
            Some('=') => {
                self.eat('=')?;
                self.eat('"')?;
                let rest = &self.text[self.at..];
                let end = rest.find('"').ok_or("an unterminated string in a cfg")?;
                let value = &rest[..end];
                self.at += end + 1;
                match value.strip_prefix("needs-") {
                    Some(name) if word == "feature" => {
                        let need = self.needs.get(name).ok_or_else(|| {
                            format!(
                                "the runtime needs `{name}`, which the generator does not compute"
                            )
                        })?;
                        self.touched = true;
                        Ok(Pred::from_need(need))
                    }
                    _ => Ok(Pred::Atom(format!("{word} = {value:?}"))),
                }
            }
            Some('(') => {
                self.eat('(')?;
                let mut items = Vec::new();
                while self.peek() != Some(')') {
                    items.push(self.predicate()?);
                    if self.peek() == Some(',') {
                        self.eat(',')?;
                    }
                }
                self.eat(')')?;
                match word.as_str() {
                    "any" => Ok(Pred::Any(items)),
                    "all" => Ok(Pred::All(items)),
                    "not" if items.len() == 1 => Ok(Pred::Not(Box::new(items.remove(0)))),
                    _ => Err(format!("`{word}(…)` is not a cfg predicate")),
                }
            }
            _ => Ok(Pred::Atom(word)),
        }
    }
}

/// Where the attribute that starts at `start` ends (after its `]`), counting
/// brackets outside strings.
fn attribute_end(text: &str, start: usize) -> Result<usize, String> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text[start..].char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' | '(' => depth += 1,
            ']' | ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && c == ']' {
                    return Ok(start + i + 1);
                }
            }
            _ => {}
        }
    }
    Err(format!("an unterminated attribute at byte {start}"))
}

/// The attribute `attr` (`#[…]` or `#![…]`) for this crate: `None` to drop it.
fn rewrite(
    attr: &str,
    indent: usize,
    needs: &BTreeMap<String, Need>,
) -> Result<Option<String>, String> {
    let bang = if attr.starts_with("#!") { "!" } else { "" };
    let inner = attr
        .get(2 + bang.len()..attr.len() - 1)
        .ok_or("a malformed attribute")?;
    let (is_attr, args) = if let Some(args) = inner.strip_prefix("cfg_attr(") {
        (true, args)
    } else if let Some(args) = inner.strip_prefix("cfg(") {
        (false, args)
    } else {
        return Ok(Some(attr.to_string()));
    };
    let mut reader = Reader {
        text: args,
        at: 0,
        needs,
        touched: false,
    };
    let pred = reader.predicate()?.simplified();
    if !reader.touched {
        return Ok(Some(attr.to_string()));
    }
    if is_attr {
        reader.eat(',')?;
        let added = args[reader.at..]
            .trim()
            .strip_suffix(')')
            .ok_or("a malformed cfg_attr")?
            .trim()
            .trim_end_matches(',');
        Ok(match pred {
            Pred::True => Some(format!("#{bang}[{added}]")),
            Pred::False => None,
            _ => {
                let flat = format!("#{bang}[cfg_attr({}, {added})]", pred.flat());
                if indent + flat.len() <= WIDTH {
                    Some(flat)
                } else {
                    let pad = " ".repeat(indent);
                    let mut cond = String::new();
                    pred.write_wrapped(&mut cond, indent + 4, indent + 5);
                    Some(format!(
                        "#{bang}[cfg_attr(\n{pad}    {cond},\n{pad}    {added}\n{pad})]"
                    ))
                }
            }
        })
    } else {
        reader.eat(')')?;
        Ok(match pred {
            Pred::True => None,
            _ => {
                let open = format!("#{bang}[cfg(");
                let mut cond = String::new();
                // Room for the `)]` after it.
                pred.write_wrapped(&mut cond, indent, indent + open.len() + 2);
                Some(format!("{open}{cond})]"))
            }
        })
    }
}

/// Whether a cfg predicate as written in a generated crate
/// (`any(feature = "a", not(test))`, no `needs-…` left) holds with exactly
/// the features `enabled` on; every other option (`test`, `doc`, …) is off.
pub fn holds(predicate: &str, enabled: &[&str]) -> Result<bool, String> {
    fn go(p: &Pred, enabled: &[&str]) -> bool {
        match p {
            Pred::True => true,
            Pred::False => false,
            Pred::Atom(a) => enabled.iter().any(|f| *a == format!("feature = {f:?}")),
            Pred::Any(v) => v.iter().any(|p| go(p, enabled)),
            Pred::All(v) => v.iter().all(|p| go(p, enabled)),
            Pred::Not(p) => !go(p, enabled),
        }
    }
    let empty = BTreeMap::new();
    let mut reader = Reader {
        text: predicate,
        at: 0,
        needs: &empty,
        touched: false,
    };
    Ok(go(&reader.predicate()?, enabled))
}

/// A runtime module's source with its gates rewritten for a crate's
/// `needs`; an attribute dropped alone on its lines takes those lines with
/// it. Errs with a need `needs` does not hold (a runtime item marked with a
/// need the generator does not compute), or one outside a `cfg`.
pub fn gated(source: &str, needs: &BTreeMap<String, Need>) -> Result<String, String> {
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    let next = |s: &str| {
        [s.find("#[cfg"), s.find("#![cfg")]
            .into_iter()
            .flatten()
            .min()
    };
    while let Some(at) = next(rest) {
        let end = attribute_end(rest, at)?;
        out.push_str(&rest[..at]);
        let line_start = out.rfind('\n').map_or(0, |i| i + 1);
        let indent = out[line_start..].chars().take_while(|c| *c == ' ').count();
        match rewrite(&rest[at..end], indent, needs)? {
            Some(attr) => {
                out.push_str(&attr);
                rest = &rest[end..];
            }
            None => {
                let after = &rest[end..];
                let line_end = after.find('\n').map_or(after.len(), |i| i + 1);
                if out[line_start..].trim().is_empty() && after[..line_end].trim().is_empty() {
                    out.truncate(line_start);
                    rest = &after[line_end..];
                } else {
                    rest = after;
                }
            }
        }
    }
    out.push_str(rest);
    if let Some(at) = out.find("\"needs-") {
        return Err(format!("a need outside a cfg attribute, at byte {at}"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needs() -> BTreeMap<String, Need> {
        let features = |f: &[&str]| Need::Features(f.iter().map(|s| s.to_string()).collect());
        [
            ("paging".to_string(), features(&["tags", "notes"])),
            ("body".to_string(), features(&[])),
            ("form".to_string(), features(&["notes"])),
            ("unions".to_string(), Need::Always),
            (
                "both".to_string(),
                Need::All(vec![features(&["tags"]), features(&["notes", "tags"])]),
            ),
        ]
        .into()
    }

    #[test]
    fn needs_become_the_features_that_need_them() {
        let source = "#[cfg(feature = \"needs-paging\")]\nfn walk() {}\n\
            #[cfg(any(\n    feature = \"needs-body\",\n    feature = \"needs-paging\",\n))]\nfn either() {}\n\
            #[cfg(any(feature = \"needs-unions\", feature = \"needs-body\"))]\nfn always() {}\n\
            #[cfg(all(feature = \"needs-body\", feature = \"needs-unions\"))]\nfn never() {}\n\
            #[cfg(any(feature = \"needs-form\", feature = \"needs-paging\"))]\nfn merged() {}\n\
            #[cfg(feature = \"needs-both\")]\nfn all() {}\n\
            impl A {\n    #[cfg(feature = \"needs-unions\")]\n    fn fit() {}\n}\n\
            #[cfg(test)]\nmod t {}\n";
        assert_eq!(
            gated(source, &needs()).unwrap(),
            "#[cfg(any(feature = \"notes\", feature = \"tags\"))]\nfn walk() {}\n\
            #[cfg(any(feature = \"notes\", feature = \"tags\"))]\nfn either() {}\n\
            fn always() {}\n\
            #[cfg(any())]\nfn never() {}\n\
            #[cfg(any(feature = \"notes\", feature = \"tags\"))]\nfn merged() {}\n\
            #[cfg(feature = \"tags\")]\nfn all() {}\n\
            impl A {\n    fn fit() {}\n}\n\
            #[cfg(test)]\nmod t {}\n"
        );
    }

    #[test]
    fn a_long_gate_is_wrapped_as_rustfmt_would() {
        let many: Vec<String> = (1..=9).map(|i| format!("area_{i}")).collect();
        let needs: BTreeMap<String, Need> = [(
            "paging".to_string(),
            Need::Features(many.into_iter().collect()),
        )]
        .into();
        let items: String = (1..=9)
            .map(|i| {
                format!(
                    "        feature = \"area_{i}\"{}\n",
                    if i < 9 { "," } else { "" }
                )
            })
            .collect();
        assert_eq!(
            gated(
                "    #[cfg(feature = \"needs-paging\")]\n    fn walk() {}\n",
                &needs
            )
            .unwrap(),
            format!("    #[cfg(any(\n{items}    ))]\n    fn walk() {{}}\n")
        );
        assert_eq!(
            gated(
                "#![cfg_attr(not(feature = \"needs-paging\"), allow(dead_code))]\n",
                &needs
            )
            .unwrap(),
            format!("#![cfg_attr(\n    not(any(\n{items}    )),\n    allow(dead_code)\n)]\n")
        );
    }

    #[test]
    fn cfg_attr_keeps_what_it_adds_or_goes() {
        let source = "#![cfg_attr(not(feature = \"needs-body\"), allow(dead_code))]\n\
            #![cfg_attr(not(feature = \"needs-unions\"), allow(dead_code))]\n\
            #![cfg_attr(not(feature = \"needs-form\"), allow(dead_code))]\nmod a;\n";
        assert_eq!(
            gated(source, &needs()).unwrap(),
            "#![allow(dead_code)]\n#![cfg_attr(not(feature = \"notes\"), allow(dead_code))]\nmod a;\n"
        );
    }

    #[test]
    fn an_unknown_need_or_one_outside_a_cfg_is_an_error() {
        assert!(gated(
            "#[cfg(feature = \"needs-elsewhere\")]\nfn a() {}\n",
            &needs()
        )
        .is_err());
        assert!(gated("// feature = \"needs-paging\"\n", &needs()).is_err());
        assert!(gated("#[cfg(feature = \"needs-paging\"\nfn a() {}\n", &needs()).is_err());
    }

    /// Whatever the needs, no `all()` or `any()` is left inside a predicate,
    /// and a gate holds exactly when its needs do.
    #[test]
    fn no_constant_is_left_nested() {
        let choices = [
            Need::Always,
            Need::Features(Default::default()),
            Need::Features(["a".to_string()].into()),
            Need::Features(["a".to_string(), "b".to_string()].into()),
        ];
        let source = "#[cfg(any(feature = \"needs-x\", all(feature = \"needs-y\", not(feature = \"needs-z\"))))]\nfn f() {}\n";
        for x in &choices {
            for y in &choices {
                for z in &choices {
                    let needs: BTreeMap<String, Need> = [
                        ("x".to_string(), x.clone()),
                        ("y".to_string(), y.clone()),
                        ("z".to_string(), z.clone()),
                    ]
                    .into();
                    let out = gated(source, &needs).unwrap();
                    let attr = out.strip_suffix("fn f() {}\n").unwrap_or_default();
                    let cfg = attr.trim_end();
                    // `any()` alone is a gate that never holds; nested, a constant.
                    let inner = cfg
                        .strip_prefix("#[cfg(")
                        .and_then(|c| c.strip_suffix(")]"))
                        .unwrap_or("");
                    assert!(
                        inner == "any()" || !(inner.contains("all()") || inner.contains("any()")),
                        "{x:?} {y:?} {z:?}: {out}"
                    );
                    // The gate holds, for each set of enabled features, as the needs do.
                    for enabled in [&[][..], &["a"], &["b"], &["a", "b"]] {
                        let holds = |n: &Need| match n {
                            Need::Always => true,
                            Need::Features(f) => f.iter().any(|f| enabled.contains(&f.as_str())),
                            Need::All(_) => unreachable!(),
                        };
                        let want = holds(x) || (holds(y) && !holds(z));
                        let got = if cfg.starts_with("#[cfg(") {
                            eval(&cfg[6..cfg.len() - 2], enabled)
                        } else {
                            true
                        };
                        assert_eq!(got, want, "{x:?} {y:?} {z:?} with {enabled:?}: {cfg}");
                        assert!(cfg.lines().all(|l| l.len() <= WIDTH), "{cfg}");
                    }
                }
            }
        }
    }

    /// Evaluates a printed predicate for a set of enabled features.
    fn eval(text: &str, enabled: &[&str]) -> bool {
        super::holds(text, enabled).unwrap()
    }
}
