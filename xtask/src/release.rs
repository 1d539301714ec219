//! The crate's version, decided in one place: `regen` generates the crate
//! once, then this module compares the new record of its Rust API with
//! the committed one (`api-surface.txt`) and, when the pinned version
//! moves, the descriptions (`diff`); chooses the next version; sets it on
//! what was generated (only the package files name it); and, once the
//! crate is written, prepends the changelog's entry and pins the version.

use crate::Failure;
use codegen::diff::{render, Report, Severity};
use codegen::record::{self, Comparison};
use std::path::Path;

/// The changelog of the shipped crate. It is an accumulated history, not
/// generated output: it must not carry the generator's marker on its first
/// line, or `regen` would delete it.
const CHANGELOG: &str = "generated/CHANGELOG.md";
const CHANGELOG_TITLE: &str = "# Changelog of `intercom-api`\n\nWhat each version of the crate changed, newest first: a new version of the API (`cargo xtask regen --version V`), as `cargo xtask diff` reports it (rules: docs/diff-rules.md), or a change of the generator; each with every item of the crate's Rust API (`api-surface.txt`) that was removed or changed.\n";

/// What `regen` decides before it writes: the bump, if the crate's version
/// or changelog moves. `generated` gets the new version.
pub struct Release {
    pub bump: Option<Bump>,
    /// The version to pin once written (`regen --version V`).
    pub pin: Option<String>,
}

/// Decide the version of the crate `generated` (for `options`), against
/// the record at `out` and, when `pin` moves the pinned version `pinned`,
/// the diff of the descriptions; set it on `generated`.
pub fn decide(
    root: &Path,
    out: &Path,
    pin: Option<String>,
    pinned: Option<String>,
    options: &mut codegen::emit::Options,
    generated: &mut codegen::Generated,
) -> Result<Release, Failure> {
    // What the description changes, when the pinned version does.
    let report = match (&pin, &pinned) {
        (Some(v), Some(p)) if v != p => Some(crate::diff::report(root, p, v)?),
        _ => None,
    };
    // (No record yet, or one of another format: nothing to compare, the
    // record is written anew.)
    let recorded = std::fs::read_to_string(out.join(record::FILE))
        .ok()
        .filter(|old| {
            let same = record::comparable(old);
            if !same {
                println!(
                    "{}: of another format: written anew, not compared",
                    record::FILE
                );
            }
            same
        });
    let bump = match pin.clone().or(pinned) {
        Some(api) if recorded.is_some() || report.is_some() => {
            let comparison = recorded
                .map(|old| record::compare(&old, &generated.record))
                .unwrap_or_default();
            let bump = Bump::new(report, comparison, &api, &options.crate_version);
            if bump.crate_after != bump.crate_before {
                options.crate_version = bump.crate_after.clone();
                generated.set_options(options)?;
            }
            bump.is_entry().then_some(bump)
        }
        _ => None,
    };
    Ok(Release { bump, pin })
}

/// After the crate is written: the changelog's entry, and the pin.
pub fn finish(root: &Path, release: &Release) -> Result<(), Failure> {
    if let Some(bump) = &release.bump {
        changelog(root, bump);
    }
    if let Some(v) = &release.pin {
        std::fs::write(root.join("spec/PINNED"), format!("{v}\n"))
            .map_err(|e| Failure::Failed(format!("error: cannot pin version {v}: {e}")))?;
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

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

    /// A version set after generating gives the files a generation with
    /// that version gives.
    #[test]
    fn a_version_set_after_generating_is_a_generation_with_it() {
        let root = crate::workspace_root();
        let Ok(t) = crate::pinned_version(&root).and_then(|v| crate::shipped_target(&root, &v))
        else {
            panic!("the shipped spec cannot be read");
        };
        let mut options = t.options.clone();
        options.crate_version = "7.8.9".into();
        let mut set = codegen::generate(&t.spec, &t.options).expect("generate");
        set.set_options(&options).expect("repackage");
        let direct = codegen::generate(&t.spec, &options).expect("generate");
        assert_eq!(set.files, direct.files);
        assert!(set
            .files
            .iter()
            .any(|f| f.path.as_os_str() == "Cargo.toml"
                && f.contents.contains("version = \"7.8.9\"")));
    }
}
