//! `cargo xtask semver-check OLD NEW`: our diff against cargo-semver-checks.
//!
//! Both versions (of the published corpus, under `spec/`, or spec files) are
//! generated as crates of the same name under `target/semver/`, and
//! cargo-semver-checks (installed on demand into `target/tools/`, pinned)
//! compares them. Each of its major findings is matched to a breaking entry
//! of `cargo xtask diff` for the same pair, or listed as a miss, except the
//! lints that docs/diff-rules.md states as policy.

use crate::cli::SemverArgs;
use crate::corpus::{corpus_dir, overrides_file, versions};
use crate::crates::write_standalone;
use crate::{workspace_root, Failure};
use codegen::diff::{Report, Severity};
use codegen::emit::Options;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The cargo-semver-checks this compares with.
const SEMVER_CHECKS: &str = "0.51.0";

/// Lints whose findings our rules do not count as breaking, on purpose
/// (docs/diff-rules.md, "What the generated crate guarantees"), with why.
/// Empty since model structs are `#[non_exhaustive]`: the one entry,
/// `constructible_struct_adds_field`, no longer fires.
const POLICY: &[(&str, &str)] = &[];

/// One side: the spec, its overrides, and how it is named.
struct Side {
    label: String,
    spec: PathBuf,
    overrides: Option<PathBuf>,
}

/// A version of the published corpus (with its overrides, as `corpus`
/// generates it), else a version under `spec/`, else a spec file.
fn resolve(root: &Path, arg: &str, shared: Option<&Path>) -> Result<Side, Failure> {
    if let Some(dir) = corpus_dir(shared) {
        if let Some((v, p)) = versions(&dir).into_iter().find(|(v, _)| v == arg) {
            return Ok(Side {
                overrides: overrides_file(root, &v),
                label: v,
                spec: p,
            });
        }
    }
    let ours = root.join("spec").join(arg).join("intercom.yaml");
    if ours.is_file() {
        return Ok(Side {
            label: format!("spec/{arg}"),
            spec: ours,
            overrides: None,
        });
    }
    let path = PathBuf::from(arg);
    if path.is_file() {
        return Ok(Side {
            label: arg.to_string(),
            spec: path,
            overrides: None,
        });
    }
    Err(Failure::Failed(format!(
        "error: `{arg}` is neither a version of the corpus, nor one under spec/, nor a spec file"
    )))
}

/// The tool, installed under `target/tools` the first time.
fn tool(root: &Path) -> Result<PathBuf, Failure> {
    let bin = root.join("target/tools/bin/cargo-semver-checks");
    let installed = Command::new(&bin)
        .args(["semver-checks", "--version"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(SEMVER_CHECKS));
    if installed {
        return Ok(bin);
    }
    println!("semver-check: installing cargo-semver-checks {SEMVER_CHECKS} into target/tools (once; several minutes)");
    let status = Command::new(env!("CARGO"))
        .args([
            "install",
            "cargo-semver-checks",
            "--locked",
            "--version",
            SEMVER_CHECKS,
            "--root",
        ])
        .arg(root.join("target/tools"))
        .status()
        .map_err(|e| Failure::Failed(format!("error: cannot run cargo install: {e}")))?;
    if !status.success() {
        return Err(Failure::Failed(
            "error: cargo install cargo-semver-checks failed".into(),
        ));
    }
    Ok(bin)
}

/// A finding of cargo-semver-checks: its lint, and the items it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub lint: String,
    pub major: bool,
    pub item: String,
}

/// The findings in cargo-semver-checks' report: after each
/// `--- failure LINT: … ---`, the lines under `Failed in:`.
pub fn parse(report: &str, major_lints: &[String]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut lint: Option<String> = None;
    let mut in_items = false;
    for line in report.lines() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("--- failure ") {
            lint = rest.split(':').next().map(str::to_string);
            in_items = false;
        } else if t.starts_with("--- ") {
            // A warning (or anything else): not a failure, its items are not ours to count.
            lint = None;
            in_items = false;
        } else if t == "Failed in:" {
            in_items = true;
        } else if t.is_empty() || t.starts_with("---") || t.starts_with("Summary") {
            in_items = false;
        } else if in_items {
            if let Some(l) = &lint {
                out.push(Finding {
                    lint: l.clone(),
                    major: major_lints.contains(l),
                    item: t.to_string(),
                });
            }
        }
    }
    out
}

/// The lints cargo-semver-checks counts as major, from the `FAIL` lines of
/// its `--verbose` output (`FAIL [ 0.004s]   major   lint_name`).
fn major_lints(report: &str) -> Vec<String> {
    report
        .lines()
        .filter(|l| l.trim_start().starts_with("FAIL") && l.contains(" major "))
        .filter_map(|l| l.split_whitespace().last().map(str::to_string))
        .collect()
}

/// The words of cargo-semver-checks' own phrasing around the items it
/// names: never a Rust name of ours.
const PHRASING: &[&str] = &[
    "struct",
    "enum",
    "union",
    "trait",
    "field",
    "variant",
    "method",
    "function",
    "of",
    "in",
    "now",
    "takes",
    "parameter",
    "parameters",
    "instead",
    "became",
    "file",
    "previously",
    "but",
    "intercom_api",
];

/// The identifiers an item of cargo-semver-checks names, before the file
/// it points to: `Foo` in `struct intercom_api::models::Foo, previously in
/// file …` (with `models`), `bar` and `Foo` in `field bar of struct Foo in
/// …`, `Client` and `list_things` in `intercom_api::Client::list_things
/// takes 2 parameters instead of 3, in …`.
fn identifiers(item: &str) -> Vec<&str> {
    let head = item.split(", previously").next().unwrap_or(item);
    let head = head.split(" in /").next().unwrap_or(head);
    let head = head.split(" in file").next().unwrap_or(head);
    head.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| !PHRASING.contains(w))
        .collect()
}

/// The Rust names in an item of cargo-semver-checks that our diff's
/// messages can name: its [`identifiers`] but the modules, `Client` and
/// `new`, which say too little to match on.
fn names(item: &str) -> Vec<String> {
    const TOO_COMMON: &[&str] = &["models", "operations", "Client", "new"];
    identifiers(item)
        .into_iter()
        .filter(|w| !TOO_COMMON.contains(w))
        .map(str::to_string)
        .collect()
}

/// The breaking change of api-surface.txt a finding's item names: the
/// module from the item's file (`…/src/models.rs:12` → `models`), and every
/// identifier of the item in the change's key (`Tags::new` → the key
/// `models::Tags::new`). Unlike [`names`], nothing is left out as too
/// common: the module and the item's full path tell `models::Tags` from
/// the `Tags` handle of `tags`.
fn in_record<'c>(
    surface: &'c codegen::record::Comparison,
    item: &str,
) -> Option<&'c codegen::record::Change> {
    let module = item
        .rsplit_once("/src/")
        .and_then(|(_, rest)| rest.split_once(".rs"))
        .map(|(m, _)| m.trim_end_matches("/mod").replace('/', "::"))
        .filter(|m| m != "lib");
    let words: Vec<&str> = identifiers(item)
        .into_iter()
        .filter(|w| Some(*w) != module.as_deref())
        .collect();
    if words.is_empty() {
        return None;
    }
    surface.changes.iter().find(|c| {
        let segments: Vec<&str> = c
            .key
            .split(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
            .collect();
        c.breaks
            && module
                .as_ref()
                .is_none_or(|m| c.key.starts_with(&format!("{m}::")))
            && words.iter().all(|w| segments.contains(w))
    })
}

/// The breaking entries of ours that speak of every one of `names`: as the
/// entry's type, as its operation's method, or in backticks in its message.
fn matches<'r>(
    report: &'r Report,
    methods: &BTreeMap<String, Vec<String>>,
    names: &[String],
) -> Vec<&'r codegen::diff::Change> {
    if names.is_empty() {
        return Vec::new();
    }
    report
        .changes
        .iter()
        .filter(|c| c.severity == Severity::Breaking)
        .filter(|c| {
            names.iter().all(|n| {
                c.schema.as_deref() == Some(n.as_str())
                    || c.operation
                        .as_ref()
                        .is_some_and(|op| methods.get(n).is_some_and(|ops| ops.contains(op)))
                    || c.message.contains(&format!("`{n}`"))
            })
        })
        .collect()
}

pub fn run(args: &SemverArgs) -> Result<(), Failure> {
    let (old, new) = (&args.old, &args.new);
    let root = workspace_root();
    let shared = args.shared.as_deref();
    let (a, b) = (resolve(&root, old, shared)?, resolve(&root, new, shared)?);
    let bin = tool(&root)?;
    let base = root.join("target/semver");
    let mut generated = Vec::new();
    for (side, dir, version) in [(&a, "old", "1.0.0"), (&b, "new", "1.0.0")] {
        let options = Options {
            package: Default::default(),
            regen: None,
            crate_name: "intercom-api".into(),
            crate_version: version.into(),
            source_name: side
                .spec
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        };
        let g = codegen::generate_with_overrides(&side.spec, side.overrides.as_deref(), &options)?;
        write_standalone(&root, &base.join(dir), &g.files)
            .map_err(|e| Failure::Failed(format!("error: {e}")))?;
        generated.push(g);
    }
    let output = Command::new(&bin)
        .args(["semver-checks", "check-release", "--manifest-path"])
        .arg(base.join("new/Cargo.toml"))
        .arg("--baseline-root")
        .arg(base.join("old"))
        .arg("--verbose")
        .env("CARGO_TARGET_DIR", root.join("target/semver-target"))
        .output()
        .map_err(|e| Failure::Failed(format!("error: cannot run cargo-semver-checks: {e}")))?;
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::write(base.join("semver-checks.txt"), &text)
        .map_err(|e| Failure::Failed(e.to_string()))?;
    let findings = parse(&text, &major_lints(&text));
    if findings.is_empty() && !output.status.success() {
        return Err(Failure::Failed(format!(
            "error: cargo-semver-checks failed:\n{text}"
        )));
    }
    // Ours, twice: the diff of the descriptions (by kind, with the
    // methods each type touches), and the comparison of the two crates'
    // api-surface.txt, which sets the crate's version on a bump.
    let surface = codegen::record::compare(&generated[0].record, &generated[1].record);
    let mut report = codegen::diff::diff(&generated[0].api, &generated[1].api);
    report.old = a.label.clone();
    report.new = b.label.clone();
    // The handle's method and the request builder → the operations they
    // start (short method names repeat across areas), in both crates; the
    // areas' modules and handles say nothing of their own.
    let mut methods: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut neutral: Vec<String> = Vec::new();
    for g in &generated {
        for (op, s) in g.surface.ops(&g.api) {
            let label = format!("{} {}", op.method.as_str(), op.path);
            for key in [&s.method, &s.builder] {
                methods.entry(key.clone()).or_default().push(label.clone());
            }
        }
        for a in &g.surface.areas {
            neutral.extend([a.module.clone(), a.handle.clone()]);
        }
    }
    println!("semver-check {} → {}: cargo-semver-checks {SEMVER_CHECKS} against `cargo xtask diff` ({} breaking)\n", a.label, b.label, report.count(Severity::Breaking));
    let (mut matched, mut policy, mut missed) = (0, 0, 0);
    for f in findings.iter().filter(|f| f.major) {
        let mut item_names = names(&f.item);
        item_names.retain(|n| !neutral.contains(n));
        let ours = matches(&report, &methods, &item_names);
        let in_surface = in_record(&surface, &f.item);
        let verdict = if let Some((_, why)) = POLICY.iter().find(|(l, _)| *l == f.lint) {
            policy += 1;
            format!("policy: {why}")
        } else if let Some(c) = ours.first() {
            matched += 1;
            format!("ours: {} {}", c.kind.as_str(), c.message)
        } else if let Some(c) = in_surface {
            matched += 1;
            format!("ours: api-surface.txt `{}`", c.key)
        } else {
            missed += 1;
            "MISSED by ours".to_string()
        };
        println!("- {} {}\n    {verdict}", f.lint, f.item);
    }
    let minor = findings.iter().filter(|f| !f.major).count();
    println!(
        "\nsemver-check {} → {}: {} major findings: {matched} matched, {policy} policy, {missed} missed; {minor} minor findings not compared (full report: target/semver/semver-checks.txt)",
        a.label,
        b.label,
        matched + policy + missed
    );
    // The bump: ours from api-surface.txt (as `regen` sets the version),
    // theirs from the level of their findings.
    let level = |major: bool, any: bool| match (major, any) {
        (true, _) => "breaking",
        (false, true) => "compatible",
        (false, false) => "none",
    };
    let ours = level(
        surface.breaking(),
        !surface.is_empty() || !report.changes.is_empty(),
    );
    let theirs = level(matched + policy + missed > 0, !findings.is_empty());
    let agree = ours == theirs || ours == "breaking" || theirs == "none";
    println!(
        "semver-check {} → {}: the bump is {ours} by api-surface.txt ({} of {} changes break code), {theirs} by cargo-semver-checks: {}",
        a.label,
        b.label,
        surface.changes.iter().filter(|c| c.breaks).count(),
        surface.changes.len(),
        if agree { "agreed" } else { "NOT agreed" }
    );
    if missed > 0 {
        return Err(Failure::Failed(format!(
            "semver-check: {missed} major finding(s) of cargo-semver-checks not reported by ours"
        )));
    }
    if !agree {
        return Err(Failure::Failed(format!(
            "semver-check: cargo-semver-checks requires a {theirs} bump; ours gives {ours}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_are_read_from_the_report() {
        let report = "     Checked [   0.010s] 120 checks: 118 pass, 2 fail, 0 warn, 0 skip\n\
            FAIL [   0.001s]       major        struct_missing\n\
            \n--- failure struct_missing: pub struct removed or renamed ---\n\nDescription:\nA struct is gone.\n\nFailed in:\n  struct intercom_api::models::Foo, previously in file /x/models.rs:10\n  field Foo.bar in /x/models.rs:20\n\n\
            --- failure method_parameter_count_changed: pub method parameter count changed ---\n\nFailed in:\n  intercom_api::Client::list_things now takes 2 parameters instead of 3, in /x/operations.rs:5\n";
        let f = parse(report, &major_lints(report));
        assert_eq!(f.len(), 3);
        assert_eq!(f[0].lint, "struct_missing");
        assert!(f[0].major);
        assert!(!f[2].major);
        assert_eq!(names(&f[0].item), ["Foo"]);
        assert_eq!(names(&f[1].item), ["Foo", "bar"]);
        assert_eq!(names(&f[2].item), ["list_things"]);
        assert_eq!(
            names("field bar of struct Foo in /x/models.rs:3"),
            ["bar", "Foo"]
        );
        assert_eq!(
            names("variant UpdateTicketError:Status400 in /x/operations.rs:3"),
            ["UpdateTicketError", "Status400"]
        );
        assert_eq!(
            names("struct intercom_api::models::Foo became enum in file /x/models.rs:1"),
            ["Foo"]
        );
    }

    #[test]
    fn findings_are_found_in_the_record_by_module_and_path() {
        let old = "models::Tags::new: fn(tags: Vec<Tag>) -> Self\ntags::Tags::list: fn(&self) -> ListTags\n";
        let new = "tags::Tags::list: fn(&self) -> ListTags\n";
        let c = codegen::record::compare(old, new);
        let hit = in_record(
            &c,
            "Tags::new, previously in file /x/target/semver/old/src/models.rs:18397",
        );
        assert_eq!(hit.map(|h| h.key.as_str()), Some("models::Tags::new"));
        assert!(in_record(&c, "Tags::list, previously in file /x/old/src/tags.rs:3").is_none());
    }
}
