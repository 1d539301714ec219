//! Writing a generated crate: all or nothing, and only what changed.
//!
//! The new tree is assembled in a staging folder beside the output folder
//! (unchanged files and the user's own files are hard-linked, so their
//! timestamps survive), then swapped in with two renames. A failure before
//! the swap leaves the output folder exactly as it was.
//!
//! The generator owns a file when its first line carries the `@generated`
//! marker: only such files are ever replaced or deleted. Everything else in
//! the folder (an `examples/` of the user's, notes, `target/`) is kept.

use crate::emit::{GeneratedFile, OWNER_MARKER};
use crate::error::{Diagnostic, Result};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// What a write did, or (in check mode) would do.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Files that are new or whose content changes.
    pub changed: Vec<PathBuf>,
    /// Generated files that the new output no longer has.
    pub removed: Vec<PathBuf>,
    pub unchanged: usize,
}

impl Plan {
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }
}

fn is_generated(path: &Path) -> bool {
    use io::Read;
    let mut head = Vec::new();
    let read = fs::File::open(path).and_then(|f| f.take(512).read_to_end(&mut head));
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    read.is_ok() && String::from_utf8_lossy(first_line).contains(OWNER_MARKER)
}

/// Top-level entries that are never copied through staging (moved instead, or left alone).
const SKIP_TOP: &[&str] = &["target", ".git"];

/// Every file under `dir` (relative paths), skipping [`SKIP_TOP`] at the top.
fn walk(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        for entry in fs::read_dir(dir.join(&rel))? {
            let entry = entry?;
            let name = PathBuf::from(entry.file_name());
            let child = rel.join(&name);
            if rel.as_os_str().is_empty() && SKIP_TOP.iter().any(|s| name.as_os_str() == *s) {
                continue;
            }
            let ty = entry.file_type()?;
            if ty.is_dir() {
                stack.push(child);
            } else {
                out.push(child);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Compare `files` with what is in `out`, touching nothing.
pub fn plan(out: &Path, files: &[GeneratedFile]) -> Result<Plan> {
    let io_err =
        |e: io::Error| Diagnostic::in_file(out, format!("cannot read the output folder: {e}"));
    let mut plan = Plan::default();
    for f in files {
        match fs::read(out.join(&f.path)) {
            Ok(existing) if existing == f.contents.as_bytes() => plan.unchanged += 1,
            _ => plan.changed.push(f.path.clone()),
        }
    }
    if out.is_dir() {
        for rel in walk(out).map_err(io_err)? {
            if !files.iter().any(|f| f.path == rel) && is_generated(&out.join(&rel)) {
                plan.removed.push(rel);
            }
        }
    }
    Ok(plan)
}

/// Make `out` hold exactly `files` (plus the user's own files), atomically.
pub fn write(out: &Path, files: &[GeneratedFile]) -> Result<Plan> {
    let plan = plan(out, files)?;
    if plan.is_clean() {
        return Ok(plan);
    }
    let fail = |what: &str, e: io::Error| Diagnostic::in_file(out, format!("{what}: {e}"));
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(|e| fail("cannot create the parent folder", e))?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "generated".into());
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);

    let result = (|| -> io::Result<()> {
        fs::create_dir_all(&staging)?;
        // Carry over what stays: the user's files, and unchanged generated files (by hard link).
        if out.is_dir() {
            for rel in walk(out)? {
                let replaced = files
                    .iter()
                    .any(|f| f.path == rel && plan.changed.contains(&rel));
                if replaced || plan.removed.contains(&rel) {
                    continue;
                }
                let dest = staging.join(&rel);
                if let Some(dir) = dest.parent() {
                    fs::create_dir_all(dir)?;
                }
                if fs::hard_link(out.join(&rel), &dest).is_err() {
                    fs::copy(out.join(&rel), &dest)?;
                }
            }
        }
        for f in files.iter().filter(|f| plan.changed.contains(&f.path)) {
            let dest = staging.join(&f.path);
            if let Some(dir) = dest.parent() {
                fs::create_dir_all(dir)?;
            }
            fs::write(&dest, &f.contents)?;
        }
        Ok(())
    })();
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&staging);
        return Err(fail("cannot stage the new output (nothing was changed)", e).into());
    }

    // Swap: out -> old, staging -> out, then bring back what was not copied.
    if out.exists() {
        fs::rename(out, &old).map_err(|e| {
            let _ = fs::remove_dir_all(&staging);
            fail("cannot move the old output aside (nothing was changed)", e)
        })?;
    }
    if let Err(e) = fs::rename(&staging, out) {
        let _ = fs::rename(&old, out);
        let _ = fs::remove_dir_all(&staging);
        return Err(fail(
            "cannot move the new output in (the old output was restored)",
            e,
        )
        .into());
    }
    for skip in SKIP_TOP {
        let from = old.join(skip);
        if from.exists() {
            let _ = fs::rename(&from, out.join(skip));
        }
    }
    let _ = fs::remove_dir_all(&old);
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: path.into(),
            contents: format!("// {OWNER_MARKER}\n{contents}"),
        }
    }

    fn tempdir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("codegen-write-{tag}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        d
    }

    #[test]
    fn writes_only_changes_and_keeps_user_files() {
        let root = tempdir("changes");
        let out = root.join("crate");
        let first = vec![file("src/lib.rs", "a"), file("src/old.rs", "x")];
        let p = write(&out, &first).unwrap();
        assert_eq!(p.changed.len(), 2);
        fs::create_dir_all(out.join("examples")).unwrap();
        fs::write(out.join("examples/mine.rs"), "fn main() {}").unwrap();
        // Other tools' generated files are not ours.
        fs::write(
            out.join("Cargo.lock"),
            "# This file is automatically @generated by Cargo.\n",
        )
        .unwrap();
        let lib_mtime = fs::metadata(out.join("src/lib.rs"))
            .unwrap()
            .modified()
            .unwrap();

        let second = vec![file("src/lib.rs", "a"), file("src/new.rs", "y")];
        let p = write(&out, &second).unwrap();
        assert_eq!(p.changed, vec![PathBuf::from("src/new.rs")]);
        assert_eq!(p.removed, vec![PathBuf::from("src/old.rs")]);
        assert_eq!(p.unchanged, 1);
        assert!(!out.join("src/old.rs").exists());
        assert_eq!(
            fs::read_to_string(out.join("examples/mine.rs")).unwrap(),
            "fn main() {}"
        );
        assert!(out.join("Cargo.lock").exists());
        assert_eq!(
            fs::metadata(out.join("src/lib.rs"))
                .unwrap()
                .modified()
                .unwrap(),
            lib_mtime
        );
        assert!(write(&out, &second).unwrap().is_clean());
        let leftovers: Vec<_> = fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("crate")]);
        fs::remove_dir_all(&root).unwrap();
    }
}
