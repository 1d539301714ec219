//! `cargo xtask diff OLD NEW`: what a version bump changes and breaks for
//! code that uses the generated crate (rules in docs/diff-rules.md); the
//! changelog `regen --version` keeps in generated/CHANGELOG.md; and
//! `bench-diff`, its timing on the corpus.

use crate::cli::{BenchDiffArgs, DiffArgs, FailOn, Format};
use crate::corpus::{corpus_dir, versions};
use crate::Failure;
use codegen::diff::{render, Report, Severity};
use codegen::ir::Api;
use codegen::record::{self, Comparison};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The changelog of the shipped crate. It is an accumulated history, not
/// generated output: it must not carry the generator's marker on its first
/// line, or `regen` would delete it.
const CHANGELOG: &str = "generated/CHANGELOG.md";
const CHANGELOG_TITLE: &str = "# Changelog of `intercom-api`\n\nWhat each version of the crate changed, newest first: a new version of the API (`cargo xtask regen --version V`), as `cargo xtask diff` reports it (rules: docs/diff-rules.md), or a change of the generator; each with every item of the crate's Rust API (`api-surface.txt`) that was removed or changed.\n";

/// A side of the diff: a version under `spec/`, or a path to a spec file.
pub fn resolve(root: &Path, arg: &str) -> Result<PathBuf, Failure> {
    let versioned = root.join("spec").join(arg).join("intercom.yaml");
    if versioned.is_file() {
        return Ok(versioned);
    }
    let path = PathBuf::from(arg);
    if path.is_file() {
        return Ok(path);
    }
    Err(Failure::Failed(format!(
        "error: `{arg}` is neither a version under spec/ ({} does not exist) nor a spec file",
        versioned.display()
    )))
}

/// Load and normalize a spec.
pub fn load(path: &Path) -> Result<Api, Failure> {
    let spec = codegen::load::load_file(path)?;
    Ok(codegen::normalize::normalize(&spec)?)
}

/// The report between two sides, each labelled by its version: the
/// version under `spec/` given, or the `info.version` of a spec file (not
/// its path).
pub fn report(root: &Path, old: &str, new: &str) -> Result<Report, Failure> {
    let a = load(&resolve(root, old)?)?;
    let b = load(&resolve(root, new)?)?;
    let mut report = codegen::diff::diff(&a, &b);
    let label = |arg: &str, api: &Api| {
        if root.join("spec").join(arg).join("intercom.yaml").is_file() {
            arg.to_string()
        } else {
            format!("{} {}", api.title, api.version)
        }
    };
    report.old = label(old, &a);
    report.new = label(new, &b);
    Ok(report)
}

pub fn run(args: &DiffArgs) -> Result<(), Failure> {
    let (old, new, verbose) = (&args.old, &args.new, args.verbose);
    let fail_on = args.fail_on.map(|f| match f {
        FailOn::Breaking => Severity::Breaking,
        FailOn::Warning => Severity::Warning,
    });
    let report = report(&crate::workspace_root(), old, new)?;
    let out = match args.format {
        Format::Json => render::json(&report),
        Format::Markdown => format!(
            "{}\n{}",
            render::markdown(&report, verbose),
            render::migration(&report)
        ),
        Format::Text => render::text(&report, std::io::stdout().is_terminal(), verbose),
    };
    print_out(&out)?;
    match fail_on {
        Some(t) if report.has_at_least(t) => Err(Failure::Failed(format!(
            "diff: {} (--fail-on {})",
            render::summary(&report),
            t.as_str()
        ))),
        _ => Ok(()),
    }
}

/// Print to stdout; a closed pipe (`| head`) is not an error.
fn print_out(s: &str) -> Result<(), Failure> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(s.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure::Failed(format!(
            "error: cannot write the report: {e}"
        ))),
        _ => Ok(()),
    }
}

/// A regeneration's record, prepended to generated/CHANGELOG.md when the
/// pinned version or the crate's Rust API changes: what the description
/// changed (when the pinned version does), what changed in the crate's
/// Rust API (`api-surface.txt`, whatever the cause), and the crate's
/// version before and after.
pub struct Bump {
    /// The diff of the descriptions, when `regen --version` changes the pinned version.
    pub report: Option<Report>,
    /// The crate's Rust API, the committed record against the new one.
    pub surface: Comparison,
    /// The version of the API the crate is generated from.
    pub api: String,
    pub crate_before: String,
    pub crate_after: String,
}

impl Bump {
    /// The crate's next version: breaking if the Rust API breaks, or if the
    /// description's diff says it breaks code (a change on the wire that
    /// keeps every Rust spelling still breaks what callers rely on).
    pub fn new(report: Option<Report>, surface: Comparison, api: &str, crate_before: &str) -> Bump {
        let breaking = surface.breaking()
            || report
                .as_ref()
                .is_some_and(|r| r.has_at_least(Severity::Breaking));
        let changed = !surface.is_empty() || report.as_ref().is_some_and(|r| !r.changes.is_empty());
        Bump {
            crate_after: bumped(crate_before, breaking, changed),
            crate_before: crate_before.to_string(),
            api: api.to_string(),
            report,
            surface,
        }
    }

    /// Whether the changelog gets an entry: the pinned version changes, or
    /// the crate's Rust API does.
    pub fn is_entry(&self) -> bool {
        self.report.is_some() || !self.surface.is_empty()
    }
}

/// The crate version after a change, from `current`: a breaking change
/// raises the minor version of a 0.x crate (the major from 1.0 on); any
/// other change raises the patch (the minor from 1.0 on); none leaves it.
pub fn bumped(current: &str, breaking: bool, changed: bool) -> String {
    let mut parts = current.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    let (major, minor, patch) = (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    );
    match (major, breaking, changed || breaking) {
        (_, _, false) => current.to_string(),
        (0, true, _) => format!("0.{}.0", minor + 1),
        (0, false, _) => format!("0.{minor}.{}", patch + 1),
        (_, true, _) => format!("{}.0.0", major + 1),
        (_, false, _) => format!("{major}.{}.0", minor + 1),
    }
}

/// The changelog's newest entry must name the crate's version: fails
/// (for `regen --check`) when the crate's version moved without an entry,
/// or an entry names a version the crate does not have.
pub fn check_changelog(root: &Path, crate_version: &str) -> Result<(), Failure> {
    let text = std::fs::read_to_string(root.join(CHANGELOG)).unwrap_or_default();
    let newest = text.lines().find_map(|l| {
        let rest = l.strip_prefix("Crate version: `")?;
        let (_, after) = rest.split_once("` → `")?;
        after.strip_suffix("`.").map(str::to_string)
    });
    match newest {
        Some(v) if v != crate_version => Err(Failure::Failed(format!(
            "error: {CHANGELOG}: the newest entry is for version {v}, but generated/Cargo.toml says {crate_version}; run `cargo xtask regen`"
        ))),
        None if crate_version != "0.1.0" => Err(Failure::Failed(format!(
            "error: {CHANGELOG} has no entry for version {crate_version} of generated/Cargo.toml; run `cargo xtask regen`"
        ))),
        _ => Ok(()),
    }
}

/// Prepend `bump` to generated/CHANGELOG.md (called after the crate is written).
pub fn changelog(root: &Path, bump: &Bump) {
    match write_changelog(root, bump) {
        Ok(line) => println!("{line}"),
        Err(e) => eprintln!("warning: {CHANGELOG} not updated: {e}"),
    }
}

fn write_changelog(root: &Path, bump: &Bump) -> Result<String, String> {
    let path = root.join(CHANGELOG);
    let existing = std::fs::read_to_string(&path).unwrap_or_default();
    let history = existing
        .strip_prefix(CHANGELOG_TITLE)
        .unwrap_or(&existing)
        .trim_start();
    // The crate's version, right under the entry's heading.
    let version_line = format!(
        "Crate version: `{}` → `{}`.\n\n",
        bump.crate_before, bump.crate_after
    );
    let (entry, summary) = match &bump.report {
        Some(report) => {
            // The heading names the crate version the entry is for.
            let mut entry = render::markdown(report, false).replacen(
                "## ",
                &format!("## {}: API ", bump.crate_after),
                1,
            );
            match entry.find("\n\n") {
                Some(at) => entry.insert_str(at + 2, &version_line),
                None => entry.push_str(&version_line),
            }
            entry.push('\n');
            entry.push_str(&render::migration(report));
            // (Empty when the record is unchanged, or there was none before.)
            if !bump.surface.is_empty() {
                entry.push_str("\n#### Every Rust item removed or changed\n\n");
                entry.push_str(&record::markdown(&bump.surface, false));
            }
            let summary = format!(
                "{} → {}: {}",
                report.old,
                report.new,
                render::summary(report)
            );
            (entry, summary)
        }
        None => {
            let mut entry = format!(
                "## {}: changes of the generator (API {})\n\n{version_line}### Updating your code\n\n",
                bump.crate_after, bump.api
            );
            entry.push_str(&record::markdown(&bump.surface, true));
            (
                entry,
                format!("changes of the generator (API {})", bump.api),
            )
        }
    };
    let mut text = format!("{CHANGELOG_TITLE}\n{entry}");
    if !history.is_empty() {
        text.push('\n');
        text.push_str(history);
    }
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(format!(
        "{CHANGELOG}: {summary}; crate {} → {}",
        bump.crate_before, bump.crate_after
    ))
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs.get(xs.len() / 2).copied().unwrap_or_default()
}

/// `bench-diff [--shared DIR] [--runs N] [OLD NEW]`: the median time to diff two
/// corpus versions (2.14 and 2.15 by default), with and without loading them.
pub fn bench(args: &BenchDiffArgs) -> Result<(), Failure> {
    let (old, new) = match args.versions.as_slice() {
        [a, b] => (a.as_str(), b.as_str()),
        _ => ("2.14", "2.15"),
    };
    let Some(dir) = corpus_dir(args.shared.as_deref()) else {
        return Ok(());
    };
    let runs = args.runs.max(1);
    let all = versions(&dir);
    let find = |v: &str| {
        all.iter()
            .find(|(name, _)| name == v)
            .map(|(_, p)| p.clone())
            .ok_or_else(|| Failure::Failed(format!("error: no version {v} in {}", dir.display())))
    };
    let (a_path, b_path) = (find(old)?, find(new)?);
    if cfg!(debug_assertions) {
        println!("note: a debug build; figures are only meaningful with --release");
    }
    let (mut full, mut only) = (Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let (a, b) = (load(&a_path)?, load(&b_path)?);
        let loaded = t.elapsed();
        let t = Instant::now();
        let report = codegen::diff::diff(&a, &b);
        let d = t.elapsed();
        only.push(d);
        full.push(loaded + d);
        last = Some(report);
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "diff {old} → {new}, median of {runs} runs: {:.1} ms including load and normalize of both, {:.2} ms for the diff alone",
        ms(median(full)),
        ms(median(only))
    );
    if let Some(r) = last {
        println!("{} changes: {}", r.changes.len(), render::summary(&r));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two bumps in a scratch workspace: the newest section comes first, the
    /// title stays on top without the generator's marker, and a later
    /// regeneration of the crate keeps the file.
    #[test]
    fn versions_follow_what_changed() {
        assert_eq!(bumped("0.1.0", false, false), "0.1.0");
        assert_eq!(bumped("0.1.3", false, true), "0.1.4");
        assert_eq!(bumped("0.1.3", true, true), "0.2.0");
        assert_eq!(bumped("1.4.2", false, true), "1.5.0");
        assert_eq!(bumped("1.4.2", true, false), "2.0.0");
    }

    /// Bumps in a scratch workspace, by `regen` itself: the newest entry
    /// comes first, the title stays on top without the generator's marker,
    /// a regeneration that changes nothing keeps the version, and a change
    /// of the Rust API with the same description (as a change of the
    /// generator makes it) raises the version too.
    #[test]
    fn changelog_is_prepended_and_survives_regeneration() {
        let root = std::env::temp_dir().join(format!("xtask-changelog-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let fixtures = crate::workspace_root().join("generator/tests/diff_fixtures");
        let spec = |v: &str, from: &str| {
            let dir = root.join("spec").join(v);
            std::fs::create_dir_all(&dir).expect("spec dir");
            std::fs::copy(fixtures.join(from), dir.join("intercom.yaml")).expect("copy");
        };
        spec("1", "operations/old.yaml");
        spec("2", "operations/new.yaml");
        spec("3", "operation_renamed/new.yaml");
        let regen = |version: Option<&str>, check: bool| {
            let args = crate::cli::RegenArgs {
                version: version.map(String::from),
                check,
                ..Default::default()
            };
            crate::regen_in(&root, &args).is_ok()
        };
        let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap_or_default();
        std::fs::write(root.join("spec/PINNED"), "1\n").expect("pin");
        assert!(regen(Some("1"), false));
        assert!(!root.join(CHANGELOG).exists(), "no bump, no changelog");
        assert!(read("generated/api-surface.txt").contains("\nmodels: mod\n"));
        assert!(regen(Some("2"), false));
        assert!(regen(Some("3"), false));
        let text = read(CHANGELOG);
        assert!(text.starts_with(CHANGELOG_TITLE));
        let first_line = text.lines().next().unwrap_or_default();
        assert!(!first_line.contains(codegen::emit::OWNER_MARKER));
        let (newer, older) = (
            text.find("## 0.3.0: API 2 → 3"),
            text.find("## 0.2.0: API 1 → 2"),
        );
        assert!(
            newer.is_some() && older.is_some() && newer < older,
            "{text}"
        );
        assert_eq!(text.matches(CHANGELOG_TITLE).count(), 1);
        // Both bumps break code (an operation removed, one renamed): the
        // minor version of the 0.x crate rises each time, and the notes say
        // what to update.
        assert!(text.contains("Crate version: `0.2.0` → `0.3.0`"), "{text}");
        assert!(text.contains("Crate version: `0.1.0` → `0.2.0`"), "{text}");
        assert_eq!(text.matches("### Updating your code").count(), 2, "{text}");
        assert!(
            text.contains("make_thing") || text.contains("renamed"),
            "{text}"
        );
        assert!(read("generated/Cargo.toml").contains("version = \"0.3.0\""));

        // Nothing changed: same version, no entry, and the check passes.
        assert!(regen(None, false));
        assert_eq!(read(CHANGELOG), text);
        assert!(regen(None, true));

        // The committed record has an item the crate no longer has, as
        // after a change of the generator: the version rises, with an entry
        // that names the item.
        let record = read("generated/api-surface.txt");
        std::fs::write(
            root.join("generated/api-surface.txt"),
            format!("{record}models::Vanished: struct derive(Debug)\n"),
        )
        .expect("record");
        assert!(!regen(None, true), "a stale record fails the check");
        assert!(regen(None, false));
        let text = read(CHANGELOG);
        assert!(
            text.starts_with(&format!(
                "{CHANGELOG_TITLE}\n## 0.4.0: changes of the generator (API 3)"
            )),
            "{text}"
        );
        assert!(text.contains("Crate version: `0.3.0` → `0.4.0`"), "{text}");
        assert!(
            text.contains("- `models::Vanished`: removed (was `struct derive(Debug)`)"),
            "{text}"
        );
        assert!(read("generated/Cargo.toml").contains("version = \"0.4.0\""));
        assert!(regen(None, true));

        // A version the changelog does not name fails the check.
        let manifest = read("generated/Cargo.toml").replace("0.4.0", "0.9.0");
        std::fs::write(root.join("generated/Cargo.toml"), manifest).expect("manifest");
        assert!(!regen(None, true));
        let _ = std::fs::remove_dir_all(&root);
    }
}
