//! `cargo xtask diff OLD NEW`: what a version bump changes and breaks for
//! code that uses the generated crate (rules in docs/diff-rules.md); the
//! changelog `regen --version` keeps in generated/CHANGELOG.md; and
//! `bench-diff`, its timing on the corpus.

use crate::corpus::{corpus_dir, versions};
use crate::cli::{BenchDiffArgs, DiffArgs, FailOn, Format};
use crate::Failure;
use codegen::diff::{render, Report, Severity};
use codegen::ir::Api;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The changelog of the shipped crate. It is an accumulated history, not
/// generated output: it must not carry the generator's marker on its first
/// line, or `regen` would delete it.
const CHANGELOG: &str = "generated/CHANGELOG.md";
const CHANGELOG_TITLE: &str = "# Changelog of `intercom-api`\n\nWhat each version bump (`cargo xtask regen --version V`) changed in the API, newest first, as reported by `cargo xtask diff` (rules: docs/diff-rules.md).\n";

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
        Format::Markdown => render::markdown(&report, verbose),
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

/// `regen --version NEW`: prepend the diff from the pinned version to NEW to
/// generated/CHANGELOG.md. Called after the crate is written and before the
/// new version is pinned. A failure here is reported but does not undo the
/// regeneration.
pub fn changelog(root: &Path, new: &str) {
    match write_changelog(root, new) {
        Ok(Some(line)) => println!("{line}"),
        Ok(None) => {}
        Err(e) => eprintln!("warning: {CHANGELOG} not updated: {e}"),
    }
}

fn write_changelog(root: &Path, new: &str) -> Result<Option<String>, String> {
    let failed = |f: Failure| match f {
        Failure::Usage(m) | Failure::Failed(m) => m,
    };
    let old = crate::pinned_version(root).map_err(failed)?;
    if old == new {
        return Ok(None);
    }
    let report = report(root, &old, new).map_err(failed)?;
    let path = root.join(CHANGELOG);
    let existing = std::fs::read_to_string(&path).unwrap_or_default();
    let history = existing
        .strip_prefix(CHANGELOG_TITLE)
        .unwrap_or(&existing)
        .trim_start();
    let mut text = format!("{CHANGELOG_TITLE}\n{}", render::markdown(&report, false));
    if !history.is_empty() {
        text.push('\n');
        text.push_str(history);
    }
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Some(format!(
        "{CHANGELOG}: {old} → {new}: {}",
        render::summary(&report)
    )))
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
        let options = codegen::emit::Options {
            crate_name: "scratch".into(),
            crate_version: "0.0.0".into(),
            source_name: "intercom.yaml".into(),
        };
        let regen = |v: &str| {
            let generated =
                codegen::generate(&root.join("spec").join(v).join("intercom.yaml"), &options)
                    .expect("generate");
            codegen::write::write(&root.join("generated"), &generated.files).expect("write");
            changelog(&root, v);
            std::fs::write(root.join("spec/PINNED"), format!("{v}\n")).expect("pin");
        };
        std::fs::write(root.join("spec/PINNED"), "1\n").expect("pin");
        regen("1");
        assert!(!root.join(CHANGELOG).exists(), "no bump, no changelog");
        regen("2");
        regen("3");
        let text = std::fs::read_to_string(root.join(CHANGELOG)).expect("changelog");
        assert!(text.starts_with(CHANGELOG_TITLE));
        let first_line = text.lines().next().unwrap_or_default();
        assert!(!first_line.contains(codegen::emit::OWNER_MARKER));
        let (newer, older) = (text.find("## 2 → 3"), text.find("## 1 → 2"));
        assert!(
            newer.is_some() && older.is_some() && newer < older,
            "{text}"
        );
        assert_eq!(text.matches(CHANGELOG_TITLE).count(), 1);
        let _ = std::fs::remove_dir_all(&root);
    }
}
