//! `cargo xtask docs [--only shipped,2.15,docs] [--screenshot DIR]`: the
//! crate's docs as users read them. Each crate is generated into
//! `target/docs/<label>/`, documented with `cargo doc` (`-D warnings`), and
//! its rendered HTML scanned for markup shown as text: an HTML tag escaped
//! into the prose (`&lt;br&gt;`), a Markdown link's `](` in the text, a
//! template tag (`{%`). By default: the shipped crate, the newest corpus
//! version, and the fixture `generator/tests/fixtures/docs.yaml`, whose
//! descriptions hold each construct the renderer handles.
//!
//! `--html DIR` only scans pages already rendered. `--screenshot DIR` also takes headless screenshots (Debian's
//! `chromium`, installed on demand) of the crate root, an area, a model and
//! a search module of each crate, for a person to look at.

use crate::cli::DocsArgs;
use crate::corpus::{chosen, corpus_dir, corpus_options, generate_version};
use crate::crates::{cargo_once, write_standalone, Tally};
use crate::{pinned_version, shipped_target, workspace_root, Failure};
use std::path::{Path, PathBuf};

pub fn run(args: &DocsArgs) -> Result<(), Failure> {
    if let Some(dir) = &args.html {
        let mut tally = Tally::new("docs", " (crates)");
        tally.record(
            &dir.display().to_string(),
            scan_dir(dir).and_then(Scan::verdict),
        );
        return tally.finish();
    }
    let root = workspace_root();
    let only = args.only.only.clone();
    let wanted = |label: &str| only.as_ref().is_none_or(|o| o.iter().any(|x| x == label));
    let target_dir = root.join("target/docs/target");
    let mut crates: Vec<(String, PathBuf, String)> = Vec::new();
    if wanted("shipped") {
        let t = shipped_target(&root, &pinned_version(&root)?)?;
        let generated = codegen::generate(&t.spec, &t.options)?;
        let out = root.join("target/docs/shipped");
        write_standalone(&root, &out, &generated.files).map_err(Failure::Failed)?;
        crates.push(("shipped".into(), out, t.options.crate_name.clone()));
    }
    if wanted("docs") {
        let spec = root.join("generator/tests/fixtures/docs.yaml");
        let options = crate::fixtures::options("docs");
        let generated = codegen::generate(&spec, &options)?;
        let out = root.join("target/docs/docs");
        write_standalone(&root, &out, &generated.files).map_err(Failure::Failed)?;
        crates.push(("docs".into(), out, options.crate_name));
    }
    if let Some(dir) = corpus_dir(args.only.shared.as_deref()) {
        // By default the newest version; `--only` names others.
        for (version, spec) in chosen(&dir, only.as_deref()) {
            let (out, _, _) = generate_version(&root, &version, &spec).map_err(Failure::Failed)?;
            let name = corpus_options(&version).crate_name;
            crates.push((version, out, name));
        }
    }
    let mut tally = Tally::new("docs", " (crates)");
    for (label, dir, name) in crates {
        let result = document(&dir, &target_dir).and_then(|()| {
            let doc_dir = target_dir.join("doc").join(name.replace('-', "_"));
            let scan = scan_dir(&doc_dir)?;
            if let Some(shots) = &args.screenshot {
                screenshots(&doc_dir, &shots.join(&label))?;
            }
            scan.verdict()
        });
        tally.record(&label, result);
    }
    tally.finish()
}

/// `cargo doc --no-deps` with `-D warnings`.
fn document(dir: &Path, target_dir: &Path) -> Result<(), String> {
    let status = cargo_once(dir, target_dir)
        .args(["doc", "--quiet", "--no-deps", "--lib", "--features", "mock"])
        .env("RUSTDOCFLAGS", "-D warnings")
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!(
            "`cargo doc` with -D warnings failed in {}",
            dir.display()
        ));
    }
    Ok(())
}

/// What a scan of rendered pages found.
#[derive(Debug, Default)]
pub struct Scan {
    pub pages: usize,
    /// (page, what was shown as text, around it).
    pub shown: Vec<(String, String, String)>,
}

impl Scan {
    fn verdict(self) -> Result<String, String> {
        let line = format!(
            "{} pages, {} markup shown as text",
            self.pages,
            self.shown.len()
        );
        if self.shown.is_empty() {
            return Ok(line);
        }
        let first: Vec<String> = self
            .shown
            .iter()
            .take(8)
            .map(|(page, what, around)| format!("{page}: {what} in \"{around}\""))
            .collect();
        Err(format!("{line}:\n  {}", first.join("\n  ")))
    }
}

/// Every HTML page under `dir`.
pub fn scan_dir(dir: &Path) -> Result<Scan, String> {
    let mut scan = Scan::default();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                let html = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                scan.pages += 1;
                let page = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                for (what, around) in shown_as_text(&html) {
                    scan.shown.push((page.clone(), what, around));
                }
            }
        }
    }
    Ok(scan)
}

/// The HTML tags whose escaped form in prose means markup shown as text.
const TAGS: &[&str] = &[
    "a",
    "b",
    "blockquote",
    "br",
    "code",
    "div",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "table",
    "td",
    "th",
    "tr",
    "u",
    "ul",
];

/// Markup a page shows as text: in the prose of its doc blocks (code and
/// the tags themselves left out), an escaped HTML tag, a Markdown link's
/// `](`, or a template tag.
pub fn shown_as_text(html: &str) -> Vec<(String, String)> {
    let text: String = docblocks(html)
        .iter()
        .map(|block| prose(block))
        .collect::<Vec<_>>()
        .join(" ");
    let mut found = Vec::new();
    let around = |at: usize| {
        let start = text[..at]
            .char_indices()
            .rev()
            .nth(30)
            .map_or(0, |(i, _)| i);
        let end = text[at..]
            .char_indices()
            .nth(40)
            .map_or(text.len(), |(i, _)| at + i);
        text[start..end].replace('\n', " ")
    };
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("&lt;") {
        let at = from + i;
        let rest = &lower[at + 4..];
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        let name: String = rest
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        let after = &rest[name.len()..];
        let ends = after.starts_with("&gt;") || after.starts_with(' ') || after.starts_with('/');
        if TAGS.contains(&name.as_str()) && ends {
            found.push((format!("<{name}>"), around(at)));
        }
        from = at + 4;
    }
    for marker in ["](", "{%", "%}"] {
        let mut from = 0;
        while let Some(i) = text[from..].find(marker) {
            found.push((marker.to_string(), around(from + i)));
            from += i + marker.len();
        }
    }
    found
}

/// The doc blocks of a rustdoc page (`<div class="docblock…">`, nested
/// `div`s included): what the crate's docs say, not its signatures.
fn docblocks(html: &str) -> Vec<&str> {
    let mut blocks = Vec::new();
    let mut from = 0;
    while let Some(i) = html[from..].find("docblock") {
        let at = from + i;
        // Only as a class of an element (`class="desc docblock-short"`).
        let tag_start = html[..at].rfind('<').unwrap_or(0);
        let in_class =
            html[tag_start..at].contains("class=\"") && !html[tag_start..at].contains('>');
        if !in_class {
            from = at + "docblock".len();
            continue;
        }
        let Some(start) = html[at..].find('>').map(|j| at + j + 1) else {
            break;
        };
        let mut depth = 1;
        let mut pos = start;
        let end = loop {
            let open = html[pos..].find("<div").map(|j| pos + j);
            let close = html[pos..].find("</div>").map(|j| pos + j);
            match (open, close) {
                (Some(o), Some(c)) if o < c => {
                    depth += 1;
                    pos = o + 4;
                }
                (_, Some(c)) => {
                    depth -= 1;
                    pos = c + 6;
                    if depth == 0 {
                        break c;
                    }
                }
                _ => break html.len(),
            }
        };
        blocks.push(&html[start..end]);
        from = end;
    }
    blocks
}

/// A page's text outside its tags, with the contents of `<code>`, `<pre>`,
/// `<script>`, `<style>` and `<head>` left out (code shows markup as it is
/// meant to).
fn prose(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let lower = html.to_ascii_lowercase();
    let mut at = 0;
    while at < html.len() {
        let Some(open) = lower[at..].find('<').map(|i| at + i) else {
            out.push_str(&html[at..]);
            break;
        };
        out.push_str(&html[at..open]);
        let Some(close) = lower[open..].find('>').map(|i| open + i) else {
            break;
        };
        let tag = &lower[open + 1..close];
        let name: String = tag
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        at = close + 1;
        if matches!(name.as_str(), "code" | "pre" | "script" | "style" | "head") {
            let end = format!("</{name}>");
            match lower[at..].find(&end) {
                Some(i) => at += i + end.len(),
                None => break,
            }
        }
        out.push(' ');
    }
    out
}

/// Headless screenshots of the crate root, an area, a model and a search
/// module, into `out`.
fn screenshots(doc_dir: &Path, out: &Path) -> Result<(), String> {
    let browser = browser()?;
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let mut pages = vec![("root", doc_dir.join("index.html"))];
    let mut modules: Vec<PathBuf> = std::fs::read_dir(doc_dir)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("index.html").is_file() && !p.ends_with("models"))
        .collect();
    modules.sort();
    if let Some(area) = modules.first() {
        pages.push(("area", area.join("index.html")));
    }
    let mut models: Vec<PathBuf> = std::fs::read_dir(doc_dir.join("models"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("struct."))
        })
        .collect();
    models.sort();
    if let Some(model) = models.first() {
        pages.push(("model", model.clone()));
    }
    if let Some(search) = modules
        .iter()
        .map(|m| m.join("search/index.html"))
        .find(|p| p.is_file())
    {
        pages.push(("search", search));
    }
    for (name, page) in pages {
        let file = out.join(format!("{name}.png"));
        let status = std::process::Command::new(&browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--window-size=1280,1600",
            ])
            .arg(format!("--screenshot={}", file.display()))
            .arg(format!("file://{}", page.display()))
            .stderr(std::process::Stdio::null())
            .status()
            .map_err(|e| format!("cannot run {}: {e}", browser.display()))?;
        if !status.success() {
            return Err(format!(
                "{} failed on {}",
                browser.display(),
                page.display()
            ));
        }
        println!("screenshot: {}", file.display());
    }
    Ok(())
}

/// Debian's Chromium, installed with apt if it is not there.
fn browser() -> Result<PathBuf, String> {
    let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file());
    if let Some(found) = found {
        return Ok(found);
    }
    println!("$ apt-get install -y chromium (for --screenshot)");
    let status = std::process::Command::new("apt-get")
        .args(["install", "-y", "-q", "chromium"])
        .status()
        .map_err(|e| format!("cannot run apt-get: {e}"))?;
    let path = PathBuf::from("/usr/bin/chromium");
    if status.success() && path.is_file() {
        Ok(path)
    } else {
        Err("--screenshot needs Chromium: `apt-get install chromium` failed".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_prose_is_found_and_code_is_not() {
        let html = "<html><head><title>&lt;b&gt;</title></head><body>\
            <h3 class=\"code-header\">impl&lt;T, U&gt; Into&lt;U&gt;</h3>\
            <div class=\"docblock\"><p>Block a contact.&lt;br&gt;<strong>Note:</strong> see [FAQ](https://x.io) and {% admonition %}</p>\
            <div class=\"inner\"><p>part <code>&lt;code&gt;x&lt;/code&gt; a](b</code> and &lt;/code&gt; and Vec&lt;i64&gt; and a &lt;= b</p></div>\
            <pre class=\"rust\">&lt;p&gt;</pre></div><p>outside &lt;b&gt;</p><script>var a = \"&lt;br&gt;\";</script>\
            <div class=\"desc docblock-short\">&lt;i&gt;short</div></body></html>";
        let found: Vec<String> = shown_as_text(html).into_iter().map(|(w, _)| w).collect();
        assert_eq!(found, vec!["<br>", "<code>", "<i>", "](", "{%", "%}"]);
        assert!(shown_as_text(
            "<div class=\"docblock\"><p>All <a href=\"x\">links</a> fine &lt;T&gt;</p></div>"
        )
        .is_empty());
    }
}
