//! `cargo xtask diff OLD NEW`: what a version bump changes and breaks for
//! code that uses the generated crate (rules in docs/diff-rules.md). The
//! version and the changelog are `release`'s; the diff's timing is
//! `bench-diff`'s (`bench/diff.rs`).

use crate::cli::{DiffArgs, FailOn, Format};
use crate::Failure;
use codegen::diff::{render, Report, Severity};
use codegen::ir::Api;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

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
