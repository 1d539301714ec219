//! `cargo xtask rehearse-bump`: the job this project exists for, rehearsed
//! as a maintainer does it. In a copy of the workspace (the files git
//! tracks, under `target/rehearsal/`), a published version is put under
//! `spec/` and pinned with `regen --version`; the next one is put beside it
//! and the crate bumped to it with `regen --version`. The bumped crate must
//! raise its version, carry migration notes in its changelog, and pass
//! clippy and rustdoc with `-D warnings` and its own `cargo test` (doc
//! tests included), and `cargo package` (the crate builds from its
//! packaged files alone).

use crate::cli::RehearseArgs;
use crate::corpus::{corpus_dir, versions};
use crate::{committed_crate_version, workspace_root, Failure};
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn run(args: &RehearseArgs) -> Result<(), Failure> {
    let root = workspace_root();
    let Some(dir) = corpus_dir(args.shared.as_deref()) else {
        return Ok(());
    };
    let all = versions(&dir);
    let pick = |wanted: Option<&String>, from_end: usize| -> Result<(String, PathBuf), Failure> {
        match wanted {
            Some(v) => all
                .iter()
                .find(|(name, _)| name == v)
                .cloned()
                .ok_or_else(|| {
                    Failure::Failed(format!(
                        "error: rehearse-bump: no version {v} in {}",
                        dir.display()
                    ))
                }),
            None => all
                .len()
                .checked_sub(from_end)
                .map(|i| all[i].clone())
                .ok_or_else(|| {
                    Failure::Failed(format!(
                        "error: rehearse-bump: fewer than 2 versions in {}",
                        dir.display()
                    ))
                }),
        }
    };
    let (from, from_spec) = pick(args.from.as_ref(), 2)?;
    let (to, to_spec) = pick(args.to.as_ref(), 1)?;
    let started = std::time::Instant::now();
    let copy = root.join("target/rehearsal/workspace");
    copy_tracked(&root, &copy)?;
    for (v, spec) in [(&from, &from_spec), (&to, &to_spec)] {
        let at = copy.join("spec").join(v).join("intercom.yaml");
        place(spec, &at)?;
    }
    // Pin the older version (itself a bump from the shipped spec), then bump.
    crate::regen_in(&copy, &version_args(&from))?;
    let before = committed_crate_version(&copy);
    crate::regen_in(&copy, &version_args(&to))?;
    let after = committed_crate_version(&copy);
    if !raised(&before, &after) {
        return Err(Failure::Failed(format!(
            "error: rehearse-bump: {from} -> {to} left the crate's version at {after} (was {before})"
        )));
    }
    let changelog =
        std::fs::read_to_string(copy.join("generated/CHANGELOG.md")).unwrap_or_default();
    let entry = newest_entry(&changelog);
    for needed in [
        format!("`{before}` → `{after}`"),
        "Updating your code".to_string(),
    ] {
        if !entry.contains(&needed) {
            return Err(Failure::Failed(format!(
                "error: rehearse-bump: the changelog's entry for {from} -> {to} lacks {needed:?}"
            )));
        }
    }
    // The copy builds in this workspace's target directory: its
    // dependencies are built already.
    let target = root.join("target");
    let target = target.to_string_lossy();
    let in_copy = |args: &[&str], env: &[(&str, &str)]| {
        let mut env = env.to_vec();
        env.push(("CARGO_TARGET_DIR", target.as_ref()));
        crate::cargo_in(&copy, args, &env)
    };
    in_copy(
        &[
            "clippy",
            "-p",
            "intercom-api",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    in_copy(
        &["doc", "-p", "intercom-api", "--no-deps"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    in_copy(&["test", "-p", "intercom-api"], &[])?;
    // Publishable as the package configuration leaves it: `cargo package`
    // builds the crate from its packaged files alone.
    in_copy(&["package", "-p", "intercom-api", "--allow-dirty"], &[])?;
    println!(
        "rehearse-bump: {from} -> {to}: crate {before} -> {after}, changelog with migration notes; clippy, rustdoc, cargo test and cargo package of the bumped crate pass ({:.0} s)",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn version_args(v: &str) -> crate::cli::RegenArgs {
    crate::cli::RegenArgs {
        version: Some(v.to_string()),
        ..Default::default()
    }
}

/// The changelog's newest entry: from its first `## ` heading to the next.
fn newest_entry(changelog: &str) -> &str {
    let Some(start) = changelog.find("\n## ") else {
        return "";
    };
    let rest = &changelog[start + 1..];
    match rest[3..].find("\n## ") {
        Some(end) => &rest[..end + 3],
        None => rest,
    }
}

/// Whether `after` is a higher `major.minor.patch` than `before`.
fn raised(before: &str, after: &str) -> bool {
    let parse = |v: &str| -> Option<(u64, u64, u64)> {
        let mut it = v.split('.').map(|p| p.parse::<u64>().ok());
        Some((it.next()??, it.next()??, it.next()??))
    };
    matches!((parse(before), parse(after)), (Some(b), Some(a)) if a > b)
}

fn place(from: &Path, to: &Path) -> Result<(), Failure> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Failure::Failed(format!("error: {}: {e}", parent.display())))?;
    }
    std::fs::copy(from, to).map(|_| ()).map_err(|e| {
        Failure::Failed(format!(
            "error: copying {} to {}: {e}",
            from.display(),
            to.display()
        ))
    })
}

/// A fresh copy of the files git tracks (what a clean clone has); without
/// git (an unpacked archive), of every file but `target/` and `.git/`.
fn copy_tracked(root: &Path, copy: &Path) -> Result<(), Failure> {
    if copy.exists() {
        std::fs::remove_dir_all(copy)
            .map_err(|e| Failure::Failed(format!("error: {}: {e}", copy.display())))?;
    }
    let listed = Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(root)
        .output()
        .ok()
        .filter(|out| out.status.success());
    let files: Vec<PathBuf> = match listed {
        Some(out) => out
            .stdout
            .split(|b| *b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| PathBuf::from(String::from_utf8_lossy(p).as_ref()))
            .collect(),
        None => {
            let mut found = Vec::new();
            walk(root, Path::new(""), &mut found);
            found
        }
    };
    for rel in files {
        let from = root.join(&rel);
        if from.is_file() {
            place(&from, &copy.join(&rel))?;
        }
    }
    Ok(())
}

/// Every file under `root/rel`, but `target/` and `.git/` at the top.
fn walk(root: &Path, rel: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root.join(rel)) else {
        return;
    };
    for entry in entries.flatten() {
        let name = rel.join(entry.file_name());
        if name == Path::new("target") || name == Path::new(".git") {
            continue;
        }
        match entry.file_type() {
            Ok(t) if t.is_dir() => walk(root, &name, found),
            Ok(t) if t.is_file() => found.push(name),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_git_every_file_but_target_is_copied() {
        let base = std::env::temp_dir().join(format!("rehearsal-copy-{}", std::process::id()));
        let (root, copy) = (base.join("root"), base.join("copy"));
        for (rel, text) in [("a.txt", "a"), ("sub/b.txt", "b"), ("target/x", "x")] {
            place_text(&root.join(rel), text);
        }
        // Outside any git work tree (temp_dir), `git ls-files` fails.
        assert!(copy_tracked(&root, &copy).is_ok());
        assert_eq!(
            std::fs::read_to_string(copy.join("sub/b.txt")).unwrap(),
            "b"
        );
        assert!(copy.join("a.txt").is_file());
        assert!(!copy.join("target").exists());
        std::fs::remove_dir_all(&base).unwrap();
    }

    fn place_text(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn versions_compare() {
        assert!(raised("0.1.0", "0.2.0"));
        assert!(raised("0.1.9", "0.1.10"));
        assert!(!raised("0.2.0", "0.2.0"));
        assert!(!raised("1.0.0", "0.9.9"));
        assert!(!raised("x", "0.1.0"));
    }

    #[test]
    fn the_newest_entry() {
        let text = "# Changelog\n\nintro\n\n## 2.14 → 2.15\n\nnew\n\n## 2.11 → 2.14\n\nold\n";
        assert_eq!(newest_entry(text), "## 2.14 → 2.15\n\nnew\n");
        assert_eq!(newest_entry("# Changelog\n"), "");
    }
}
