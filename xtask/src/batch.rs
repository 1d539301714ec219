//! What the property tests (`hostile`, `shapes`) share: their flags and
//! folder, a seeded generator, and one cargo workspace per batch of
//! generated crates (`case-N/`), checked by clippy.

use crate::cli::BatchArgs;
use crate::crates::cargo_once;
use crate::Failure;
use std::collections::BTreeMap;
use std::path::Path;

/// `--cases N --seed S --batch B`.
pub struct Params {
    pub cases: usize,
    pub seed: u64,
    pub batch: usize,
}

impl Params {
    /// The flags given, or these defaults.
    pub fn new(args: &BatchArgs, cases: u64, seed: u64, batch: u64) -> Params {
        Params {
            cases: args.cases.unwrap_or(cases) as usize,
            seed: args.seed.unwrap_or(seed),
            batch: args.batch.unwrap_or(batch).max(1) as usize,
        }
    }

    /// The cases, `batch` at a time.
    pub fn batches(&self) -> Vec<Vec<usize>> {
        (0..self.cases)
            .collect::<Vec<_>>()
            .chunks(self.batch)
            .map(<[usize]>::to_vec)
            .collect()
    }
}

/// An empty `base` with a `specs/` folder (what the last run left is removed).
pub fn fresh(base: &Path) -> Result<(), Failure> {
    let _ = std::fs::remove_dir_all(base);
    std::fs::create_dir_all(base.join("specs"))
        .map_err(|e| Failure::Failed(format!("error: {}: {e}", base.display())))
}

/// A small deterministic generator (xorshift64*), so a seed names a run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// The batch's workspace manifest (members `case-N` for `cases`), with the
/// project's lock file so dependencies resolve as in the workspace.
pub fn write_workspace(root: &Path, dir: &Path, cases: &[usize]) -> Result<(), Failure> {
    let members: Vec<String> = cases.iter().map(|c| format!("\"case-{c}\"")).collect();
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.join(", ")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| Failure::Failed(e.to_string()))?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| Failure::Failed(format!("Cargo.lock: {e}")))?;
    Ok(())
}

/// `cargo clippy --all-targets --keep-going -- -D warnings` over a batch
/// (rustc's warnings and clippy's, every target, without code generation);
/// the time it took, and the errors of each case that failed, by case number.
pub fn clippy(dir: &Path, target_dir: &Path) -> Result<(f64, BTreeMap<usize, String>), Failure> {
    let started = std::time::Instant::now();
    let output = cargo_once(dir, target_dir)
        .args([
            "clippy",
            "--quiet",
            "--all-targets",
            // `mock` too: its module and test carry the cases' names.
            "--all-features",
            "--keep-going",
            "--message-format=short",
        ])
        .args(["--", "-D", "warnings"])
        .output()
        .map_err(|e| Failure::Failed(format!("error: cannot run cargo: {e}")))?;
    let took = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut failed: BTreeMap<usize, String> = BTreeMap::new();
    let case_number = |s: &str| s.parse::<usize>().ok();
    for line in stderr.lines() {
        // Errors are `case-N/src/…: error…`; the summary names the package (`…-case-N`).
        if let Some(case) = line
            .strip_prefix("case-")
            .and_then(|rest| case_number(rest.split('/').next().unwrap_or_default()))
        {
            let entry = failed.entry(case).or_default();
            entry.push_str(line);
            entry.push('\n');
        } else if let Some(case) = line
            .split('`')
            .nth(1)
            .filter(|_| line.contains("could not compile"))
            .and_then(|name| name.rsplit("-case-").next())
            .and_then(case_number)
        {
            failed.entry(case).or_default();
        }
    }
    if !output.status.success() && failed.is_empty() {
        return Err(Failure::Failed(format!(
            "error: cargo build failed in {}:\n{stderr}",
            dir.display()
        )));
    }
    Ok((took, failed))
}

/// `cargo test --doc` over a batch: the cases whose doc tests fail, with
/// the lines that name them and what each printed when run again alone.
pub fn doc_tests(dir: &Path, target_dir: &Path) -> Result<BTreeMap<usize, String>, Failure> {
    let output = cargo_once(dir, target_dir)
        .args([
            "test",
            "--doc",
            "--workspace",
            "--all-features",
            "--no-fail-fast",
            "--quiet",
        ])
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .map_err(|e| Failure::Failed(format!("error: cannot run cargo: {e}")))?;
    let mut failed: BTreeMap<usize, String> = BTreeMap::new();
    if output.status.success() {
        return Ok(failed);
    }
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    for line in text.lines() {
        let case = line
            .split("case-")
            .nth(1)
            .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
            .and_then(|n| n.parse::<usize>().ok());
        if let Some(case) = case {
            let entry = failed.entry(case).or_default();
            entry.push_str(line);
            entry.push('\n');
        }
    }
    if failed.is_empty() {
        return Err(Failure::Failed(format!(
            "error: doc tests failed in {}:\n{text}",
            dir.display()
        )));
    }
    // The lines that name a case need not carry the cause (a rustc error
    // about the file system names no source file): each failed case runs
    // again alone, and its whole output is reported.
    for (case, lines) in failed.iter_mut() {
        lines.push_str(&again_alone(dir, target_dir, *case));
    }
    Ok(failed)
}

/// `cargo test --doc` of one case of a batch on its own: what it printed.
fn again_alone(dir: &Path, target_dir: &Path, case: usize) -> String {
    let output = cargo_once(&dir.join(format!("case-{case}")), target_dir)
        .args(["test", "--doc", "--all-features"])
        .env("RUSTFLAGS", "-D warnings")
        .output();
    match output {
        Err(e) => format!("run again alone: cannot run cargo: {e}\n"),
        Ok(o) if o.status.success() => {
            "run again alone, its doc tests pass: the failure above did not recur\n".to_string()
        }
        Ok(o) => format!(
            "run again alone, its doc tests fail again:\n{}{}",
            String::from_utf8_lossy(&o.stderr),
            String::from_utf8_lossy(&o.stdout)
        ),
    }
}
