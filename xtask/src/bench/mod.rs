//! `cargo run --release -p xtask -- bench`: how fast we generate, how fast
//! the generated crate builds and how fast it reads, side by side with the
//! alternatives, in one run. Each part prints one markdown table.
//!
//! 1. [`generation`]: load, normalize and emit per corpus version, against
//!    the floor of parsing the same YAML with serde_yaml.
//! 2. [`peers`]: openapi-generator's Rust generator and progenitor on the
//!    same files: time, and whether their output compiles.
//! 3. [`build`]: lines and `cargo check`/`cargo build` time of the
//!    generated crate alone.
//! 4. [`reading`]: MB/s deserializing a 150-item conversation list into the
//!    generated types, against `serde_json::Value`.
//!
//! Everything it builds or installs goes under `target/bench/`; the corpus
//! is read in place, never copied.

mod build;
pub mod diff;
pub mod floor;
mod generation;
mod peers;
mod reading;

use crate::cli::BenchArgs;
use crate::corpus::{corpus_dir, corpus_options, overrides_file, versions};
use crate::{pinned_version, shipped_target, workspace_root, Failure};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const PARTS: &[&str] = &["generation", "peers", "build", "reading"];

/// What the parts share: the corpus, the run's size, and where to put things.
pub struct Ctx {
    pub root: PathBuf,
    /// `target/bench`
    pub dir: PathBuf,
    pub corpus: Vec<(String, PathBuf)>,
    pub quick: bool,
    /// Runs per timed figure in part 1 (`--runs`).
    pub runs: usize,
}

impl Ctx {
    /// The smallest and the largest corpus versions (by version number).
    pub fn ends(&self) -> Vec<(String, PathBuf)> {
        let mut v = Vec::new();
        if let Some(first) = self.corpus.first() {
            v.push(first.clone());
        }
        if let Some(last) = self.corpus.last() {
            if self.corpus.len() > 1 {
                v.push(last.clone());
            }
        }
        v
    }
    pub fn largest(&self) -> Option<&(String, PathBuf)> {
        self.corpus.last()
    }
}

pub fn run(args: &BenchArgs) -> Result<(), Failure> {
    let started = Instant::now();
    let quick = args.quick;
    let runs: usize = args.runs.unwrap_or(if quick { 3 } else { 7 }).max(1);
    let only: Vec<&str> = match &args.only {
        Some(parts) => {
            if let Some(bad) = parts.iter().find(|p| !PARTS.contains(&p.as_str())) {
                return Err(Failure::Usage(format!(
                    "bench: unknown part `{bad}` (parts: {})",
                    PARTS.join(", ")
                )));
            }
            parts.iter().map(String::as_str).collect()
        }
        None => PARTS.to_vec(),
    };
    let want = |part: &str| only.contains(&part);
    let Some(dir) = corpus_dir(args.shared.as_deref()) else {
        return Ok(());
    };
    let root = workspace_root();
    let ctx = Ctx {
        dir: root.join("target/bench"),
        root,
        corpus: versions(&dir),
        quick,
        runs,
    };
    std::fs::create_dir_all(ctx.dir.join("logs")).map_err(|e| fail("target/bench", e))?;

    println!("# cargo xtask bench");
    println!();
    println!(
        "command: `cargo run --release -p xtask -- {}`",
        std::env::args().skip(1).collect::<Vec<_>>().join(" ")
    );
    println!("machine: {}", machine());
    println!("date: {}", today());
    if cfg!(debug_assertions) {
        println!("note: a debug build of xtask; figures are only meaningful with --release");
    }
    println!();

    let took = |part: &str, since: Instant| {
        println!(
            "({part} took {:.1} min)\n",
            since.elapsed().as_secs_f64() / 60.0
        )
    };
    if want("generation") {
        let t = Instant::now();
        generation::run(&ctx)?;
        took("part 1", t);
    }
    let mut oag_crate = None;
    if want("peers") {
        if args.skip_peers {
            println!("## 2. Peers\n\nskipped (--skip-peers)\n");
        } else {
            let t = Instant::now();
            oag_crate = peers::run(&ctx)?;
            took("part 2", t);
        }
    }
    if want("build") {
        let t = Instant::now();
        build::run(&ctx)?;
        took("part 3", t);
    }
    if want("reading") {
        let t = Instant::now();
        reading::run(&ctx, oag_crate.as_deref())?;
        took("part 4", t);
    }
    println!(
        "bench: done in {:.1} min",
        started.elapsed().as_secs_f64() / 60.0
    );
    Ok(())
}

pub fn fail(what: impl std::fmt::Display, e: impl std::fmt::Display) -> Failure {
    Failure::Failed(format!("error: {what}: {e}"))
}

pub fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs.get(xs.len() / 2).copied().unwrap_or_default()
}

pub fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

pub fn secs(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64())
}

/// A markdown table, printed at once so that columns stay together.
pub struct Table {
    lines: Vec<String>,
}

impl Table {
    /// `columns`: names; a name ending in `>` is right-aligned (the `>` is dropped).
    pub fn new(columns: &[&str]) -> Table {
        let names: Vec<&str> = columns.iter().map(|c| c.trim_end_matches('>')).collect();
        let align: Vec<&str> = columns
            .iter()
            .map(|c| if c.ends_with('>') { "---:" } else { "---" })
            .collect();
        Table {
            lines: vec![
                format!("| {} |", names.join(" | ")),
                format!("| {} |", align.join(" | ")),
            ],
        }
    }
    pub fn row(&mut self, cells: Vec<String>) {
        // A cell must not break the table.
        let cells: Vec<String> = cells
            .into_iter()
            .map(|c| c.replace('|', "\\|").replace('\n', " "))
            .collect();
        self.lines.push(format!("| {} |", cells.join(" | ")));
    }
    pub fn print(&self) {
        for l in &self.lines {
            println!("{l}");
        }
        println!();
    }
}

/// How a bounded child process ended.
pub struct Outcome {
    pub elapsed: Duration,
    /// `None` when it was stopped at the time limit.
    pub success: Option<bool>,
    /// stdout and stderr, as captured in the log file.
    pub log: String,
}

impl Outcome {
    pub fn ok(&self) -> bool {
        self.success == Some(true)
    }
    /// The first line that looks like the reason for a failure.
    pub fn first_error(&self) -> String {
        if self.success.is_none() {
            return "stopped at the time limit".into();
        }
        let lines: Vec<&str> = self.log.lines().map(str::trim).collect();
        let pick =
            |pred: &dyn Fn(&str) -> bool| lines.iter().find(|l| pred(l)).map(|l| l.to_string());
        // A panic: its message is on the line after `panicked at`.
        let panic = || {
            let i = lines.iter().position(|l| l.contains("panicked at"))?;
            Some(format!("panicked: {}", lines.get(i + 1).unwrap_or(&"")))
        };
        pick(&|l| l.starts_with("error") && !l.starts_with("error: could not compile"))
            .or_else(panic)
            .or_else(|| pick(&|l| l.starts_with("gen fail") || l.starts_with("Exception")))
            .or_else(|| {
                pick(&|l| l.contains("Error") || l.contains("error") || l.contains("ERROR"))
            })
            .or_else(|| {
                lines
                    .iter()
                    .rev()
                    .find(|l| !l.is_empty())
                    .map(|l| l.to_string())
            })
            .unwrap_or_else(|| "failed with no output".into())
    }
}

/// Run `cmd` with stdout and stderr going to `target/bench/logs/<log>.log`,
/// stopping it (and its children: it runs in its own process group) after
/// `limit`. The elapsed time is wall-clock time from spawn to exit.
pub fn run_bounded(
    ctx: &Ctx,
    cmd: &mut Command,
    log: &str,
    limit: Duration,
) -> Result<Outcome, Failure> {
    use std::os::unix::process::CommandExt;
    let path = ctx.dir.join("logs").join(format!("{log}.log"));
    let out = std::fs::File::create(&path).map_err(|e| fail(path.display(), e))?;
    let err = out.try_clone().map_err(|e| fail(path.display(), e))?;
    cmd.stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .process_group(0);
    let started = Instant::now();
    let mut child = cmd
        .spawn()
        .map_err(|e| fail(format!("cannot run {:?}", cmd.get_program()), e))?;
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    let success = match rx.recv_timeout(limit) {
        Ok(status) => Some(status.map(|s| s.success()).unwrap_or(false)),
        Err(_) => {
            // Stop the whole group we started (cargo and its rustc children).
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{pid}")])
                .status();
            let _ = rx.recv_timeout(Duration::from_secs(10));
            None
        }
    };
    let elapsed = started.elapsed();
    let log = std::fs::read_to_string(&path).unwrap_or_default();
    Ok(Outcome {
        elapsed,
        success,
        log,
    })
}

/// `cargo <args>` in `dir` with its own target directory. Incremental
/// compilation is off: a touched file then costs what a real change would.
pub fn cargo_in(dir: &Path, target_dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO"));
    c.args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS");
    c
}

/// A generated crate under `target/bench/crates/<name>`.
pub struct GenCrate {
    pub name: String,
    pub package: String,
    /// Which input it was generated from, for the tables.
    pub input: String,
    pub dir: PathBuf,
    pub operations: usize,
    pub types: usize,
    /// (path, lines) of every file generated.
    pub lines: Vec<(String, usize)>,
}

/// Generate the shipped crate (from `spec/<pinned>/intercom.yaml`) or a
/// corpus version's crate (with its overrides, as `cargo xtask corpus`
/// does) into `target/bench/crates/<name>`, with the workspace's Cargo.lock.
pub fn generate_crate(ctx: &Ctx, which: &str) -> Result<GenCrate, Failure> {
    let (spec, overrides, options, input) = if which == "shipped" {
        let v = pinned_version(&ctx.root)?;
        let t = shipped_target(&ctx.root, &v)?;
        let input = format!("spec/{v}/intercom.yaml");
        (t.spec, None, t.options, input)
    } else {
        let (_, spec) = ctx
            .corpus
            .iter()
            .find(|(v, _)| v == which)
            .ok_or_else(|| Failure::Failed(format!("error: no corpus version {which}")))?;
        (
            spec.clone(),
            overrides_file(&ctx.root, which),
            corpus_options(which),
            format!("corpus {which}"),
        )
    };
    let generated = codegen::generate_with_overrides(&spec, overrides.as_deref(), &options)?;
    let dir = ctx.dir.join("crates").join(which);
    crate::crates::write_standalone(&ctx.root, &dir, &generated.files)
        .map_err(|e| Failure::Failed(format!("error: {}: {e}", dir.display())))?;
    Ok(GenCrate {
        name: which.to_string(),
        package: options.crate_name,
        input,
        dir,
        operations: generated.api.operations.len(),
        types: generated.api.types.len(),
        lines: generated
            .files
            .iter()
            .map(|f| (f.path.display().to_string(), f.contents.lines().count()))
            .collect(),
    })
}

/// CPU, cores, memory and toolchain, for the header of the output.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0 / 1024.0);
    let rustc = Command::new("rustc")
        .arg("-V")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    format!("{cores} cores ({cpu}), {mem_gib:.0} GiB, {rustc}")
}

fn today() -> String {
    Command::new("date")
        .args(["-u", "+%Y-%m-%d"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_escapes_cells_and_aligns() {
        let mut t = Table::new(&["a", "b>"]);
        t.row(vec!["x|y".into(), "1\n2".into()]);
        assert_eq!(t.lines, ["| a | b |", "| --- | ---: |", "| x\\|y | 1 2 |"]);
    }

    #[test]
    fn median_of_empty_is_zero() {
        assert_eq!(median(Vec::new()), Duration::ZERO);
        let d = |n| Duration::from_millis(n);
        assert_eq!(median(vec![d(3), d(1), d(2)]), d(2));
    }
}
