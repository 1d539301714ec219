//! Generated crates built beside the workspace (corpus versions, fixtures):
//! writing one, building it, running one of its tests, and tallying results.

use crate::Failure;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// Counts results and prints a closing `name: N passed, M failed` line.
pub struct Tally {
    name: &'static str,
    suffix: &'static str,
    passed: usize,
    failed: usize,
}

impl Tally {
    pub fn new(name: &'static str, suffix: &'static str) -> Self {
        Tally {
            name,
            suffix,
            passed: 0,
            failed: 0,
        }
    }

    /// Print `label: line`, or `label: FAILED: error`, and count it.
    pub fn record(&mut self, label: &str, result: Result<String, String>) {
        match result {
            Ok(line) => {
                self.passed += 1;
                println!("{label}: {line}");
            }
            Err(e) => {
                self.failed += 1;
                println!("{label}: FAILED: {e}");
            }
        }
    }

    pub fn finish(self) -> Result<(), Failure> {
        println!(
            "{}: {} passed, {} failed{}",
            self.name, self.passed, self.failed, self.suffix
        );
        if self.failed > 0 {
            return Err(Failure::Failed(String::new()));
        }
        Ok(())
    }
}

/// Write a generated crate to `out`, its dependencies pinned to the workspace's lock file.
pub fn write_standalone(
    root: &Path,
    out: &Path,
    files: &[codegen::emit::GeneratedFile],
) -> Result<(), String> {
    codegen::write::write(out, files).map_err(|e| e.to_string())?;
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    Ok(())
}

/// `cargo` in `dir` for a generated crate that is built once, to be checked,
/// in `target_dir`: with no incremental state and no debug information.
/// Neither is of use to a build that is not edited and rebuilt, and both
/// cost disk and time: incremental state was 16 of the 23 GB in
/// `target/corpus-target` after `cargo xtask test`, and a CI machine's disk
/// is not unlimited.
pub fn cargo_once(dir: &Path, target_dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_PROFILE_DEV_DEBUG", "0");
    cmd
}

/// The features a generated crate is built and tested with besides its
/// defaults: `mock`, whose test (`tests/mock.rs`) answers every operation
/// from the examples. Every build and test of one crate uses the same set,
/// so its library builds once.
pub const TEST_FEATURES: [&str; 2] = ["--features", "mock"];

/// `cargo build --all-targets` with `-D warnings` in a generated crate; how long it took.
pub fn build_crate(dir: &Path, target_dir: &Path) -> Result<Duration, String> {
    let started = Instant::now();
    let status = cargo_once(dir, target_dir)
        .args(["build", "--quiet", "--all-targets"])
        .args(TEST_FEATURES)
        .env("RUSTFLAGS", "-D warnings")
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err(format!(
            "`cargo build --all-targets` with -D warnings failed in {}",
            dir.display()
        ));
    }
    Ok(started.elapsed())
}

/// Which test to run, and how.
pub struct TestRun<'a> {
    /// The crate's folder (the workspace root, with `package`).
    pub dir: &'a Path,
    pub package: Option<&'a str>,
    /// A separate target directory (built with `-D warnings`), for crates outside the workspace.
    pub target_dir: Option<&'a Path>,
    pub test: &'a str,
    pub env: &'a [(&'a str, &'a str)],
    /// The tally line the test prints starts with this (`examples: `, `prism: `).
    pub tally_prefix: &'a str,
}

/// Run one test target with `--nocapture`, its ignored tests included (the
/// xtask provides what they need, such as the mock server); return its
/// tally line.
pub fn test_tally(run: &TestRun<'_>) -> Result<String, String> {
    let mut cmd = match run.target_dir {
        Some(t) => {
            let mut cmd = cargo_once(run.dir, t);
            cmd.env("RUSTFLAGS", "-D warnings");
            cmd
        }
        None => {
            let mut cmd = Command::new(env!("CARGO"));
            cmd.current_dir(run.dir);
            cmd
        }
    };
    cmd.args(["test", "--quiet"]);
    if let Some(p) = run.package {
        cmd.args(["--package", p]);
    }
    cmd.args(TEST_FEATURES);
    cmd.args(["--test", run.test, "--", "--nocapture", "--include-ignored"])
        .envs(run.env.iter().copied());
    let output = cmd.output().map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    // `--quiet` prints a dot per test, which may precede the line.
    let line = stdout
        .lines()
        .find_map(|l| l.find(run.tally_prefix).map(|at| l[at..].to_string()));
    let stderr = String::from_utf8_lossy(&output.stderr);
    match (line, output.status.success()) {
        (Some(l), true) => Ok(l),
        (Some(l), false) => Err(format!("{l}\n{stderr}")),
        (None, _) => Err(format!("the {} tests did not run:\n{stderr}", run.test)),
    }
}

/// The crate's mock test (`tests/mock.rs`, where it has operations):
/// `; mock: N of N operations answered`, or nothing without the test.
pub fn mock_tally(dir: &Path, target_dir: &Path) -> Result<String, String> {
    if !dir.join("tests/mock.rs").is_file() {
        return Ok(String::new());
    }
    let line = test_tally(&TestRun {
        dir,
        package: None,
        target_dir: Some(target_dir),
        test: "mock",
        env: &[],
        tally_prefix: "mock: ",
    })?;
    Ok(format!("; {line}"))
}

/// `cargo test --doc` of the crate in `dir` (its runtime's doc examples,
/// named for the crate): `doctests: N passed`, or the output of a failure.
pub fn doc_tests(dir: &Path, target_dir: &Path) -> Result<String, String> {
    let output = cargo_once(dir, target_dir)
        .args(["test", "--doc", "--quiet"])
        .args(TEST_FEATURES)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "doc tests fail:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let passed: usize = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test result: ok. "))
        .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
        .sum();
    Ok(format!("doctests: {passed} passed"))
}
