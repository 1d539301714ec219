//! Part 2: the peers on the same files. openapi-generator's Rust generator
//! (the PyPI package `openapi-generator-cli`, which bundles the jar, in a
//! virtual environment under `target/bench/venv`) and progenitor
//! (`cargo-progenitor`, installed under `target/bench/tools`): time per
//! version against our own CLI, and whether their output compiles.
//!
//! All three are timed the same way: one process per run, wall clock, from
//! the raw corpus file (no overrides) to a crate written on disk.

use super::{cargo_in, median, run_bounded, secs, Ctx, Outcome, Table};
use crate::Failure;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const OAG_PACKAGE: &str = "openapi-generator-cli==7.26.0";
const OAG_FLAGS: &[&str] = &["generate", "-g", "rust", "--skip-validate-spec"];
const PROGENITOR_VERSION: &str = "0.15.1";
const INSTALL_LIMIT: Duration = Duration::from_secs(30 * 60);
const GENERATE_LIMIT: Duration = Duration::from_secs(5 * 60);
const CHECK_LIMIT: Duration = Duration::from_secs(10 * 60);

/// What one tool did on one version.
struct Attempt {
    generated: Outcome,
    lines: usize,
    check: Option<Outcome>,
}

impl Attempt {
    fn status(&self) -> String {
        if !self.generated.ok() {
            return "generation fails".into();
        }
        match &self.check {
            None => format!("{} lines, not checked", self.lines),
            Some(c) if c.ok() => format!(
                "{} lines, compiles (check {} s)",
                self.lines,
                secs(c.elapsed)
            ),
            Some(c) if c.success.is_none() => {
                format!("{} lines, check stopped at the limit", self.lines)
            }
            Some(c) => format!(
                "{} lines, does not compile: {} (check {} s)",
                self.lines,
                error_count(&c.log),
                secs(c.elapsed)
            ),
        }
    }
    /// The first error line, when it failed.
    fn error(&self) -> Option<String> {
        if !self.generated.ok() {
            return Some(self.generated.first_error());
        }
        self.check
            .as_ref()
            .filter(|c| !c.ok())
            .map(Outcome::first_error)
    }
}

/// Runs the peers; returns openapi-generator's crate for the largest
/// version when it compiles (part 4 then reads into its types too).
pub fn run(ctx: &Ctx) -> Result<Option<PathBuf>, Failure> {
    println!("## 2. Peers\n");
    let versions = if ctx.quick {
        ctx.ends()
    } else {
        ctx.corpus.clone()
    };
    let oag = install_oag(ctx)?;
    let progenitor = install_progenitor(ctx)?;
    let our_runs = if ctx.quick { 1 } else { 3 };
    let exe = std::env::current_exe().map_err(|e| super::fail("current_exe", e))?;

    let mut table = Table::new(&[
        "version",
        "ours (s)>",
        "ours: lines>",
        "openapi-generator (s)>",
        "openapi-generator / ours>",
        "openapi-generator output",
        "progenitor (s)>",
        "progenitor output",
    ]);
    let mut errors = Vec::new();
    let mut compiled = None;
    let mut warmed = false;
    for (version, spec) in &versions {
        // Ours: the release xtask binary running `regen --spec`, like a user would.
        let out = ctx.dir.join("ours").join(version);
        let mut times = Vec::new();
        for i in 0..our_runs {
            let mut cmd = Command::new(&exe);
            cmd.arg("regen")
                .arg("--spec")
                .arg(spec)
                .arg("--out")
                .arg(&out);
            let o = run_bounded(
                ctx,
                &mut cmd,
                &format!("ours-{version}-{i}"),
                GENERATE_LIMIT,
            )?;
            if !o.ok() {
                return Err(Failure::Failed(format!(
                    "error: our own generator failed on {version}: {}",
                    o.first_error()
                )));
            }
            times.push(o.elapsed);
        }
        let ours = median(times);

        let oag_attempt = match &oag {
            Some(bin) => {
                let out = ctx.dir.join("oag").join(version);
                let _ = std::fs::remove_dir_all(&out);
                let mut cmd = Command::new(bin);
                cmd.args(OAG_FLAGS).arg("-i").arg(spec).arg("-o").arg(&out);
                let generated =
                    run_bounded(ctx, &mut cmd, &format!("oag-{version}"), GENERATE_LIMIT)?;
                let target = ctx.dir.join("oag-target");
                if generated.ok() && !warmed {
                    // Dependencies once, untimed, so that each check is the crate alone.
                    let mut warm = cargo_in(
                        &out,
                        &target,
                        &[
                            "check",
                            "--quiet",
                            "-p",
                            "reqwest",
                            "-p",
                            "serde_with",
                            "-p",
                            "uuid",
                            "-p",
                            "serde_repr",
                            "-p",
                            "url",
                        ],
                    );
                    run_bounded(ctx, &mut warm, "oag-deps", CHECK_LIMIT)?;
                    warmed = true;
                }
                Some(attempt(
                    ctx,
                    generated,
                    &out,
                    &target,
                    &format!("oag-check-{version}"),
                )?)
            }
            None => None,
        };
        let prog_attempt = match &progenitor {
            Some(bin) => {
                let out = ctx.dir.join("progenitor").join(version);
                let _ = std::fs::remove_dir_all(&out);
                let mut cmd = Command::new(bin);
                cmd.arg("progenitor")
                    .arg("-i")
                    .arg(spec)
                    .arg("-o")
                    .arg(&out)
                    .args(["-n", "intercom", "-v", "0.1.0"])
                    .env_remove("RUST_BACKTRACE");
                let generated = run_bounded(
                    ctx,
                    &mut cmd,
                    &format!("progenitor-{version}"),
                    GENERATE_LIMIT,
                )?;
                let target = ctx.dir.join("progenitor-target");
                Some(attempt(
                    ctx,
                    generated,
                    &out,
                    &target,
                    &format!("progenitor-check-{version}"),
                )?)
            }
            None => None,
        };

        let (oag_s, oag_ratio, oag_status) = match &oag_attempt {
            Some(a) => (
                secs(a.generated.elapsed),
                format!(
                    "{:.0}x",
                    a.generated.elapsed.as_secs_f64() / ours.as_secs_f64()
                ),
                a.status(),
            ),
            None => ("–".into(), "–".into(), "not installed".into()),
        };
        let (prog_s, prog_status) = match &prog_attempt {
            Some(a) => (
                format!("{:.2}", a.generated.elapsed.as_secs_f64()),
                a.status(),
            ),
            None => ("–".into(), "not installed".into()),
        };
        table.row(vec![
            version.clone(),
            format!("{:.2}", ours.as_secs_f64()),
            rs_lines(&out.join("src")).to_string(),
            oag_s,
            oag_ratio,
            oag_status,
            prog_s,
            prog_status,
        ]);
        if let Some(e) = oag_attempt.as_ref().and_then(Attempt::error) {
            errors.push(format!("openapi-generator {version}: `` {e} ``"));
        }
        if let Some(e) = prog_attempt.as_ref().and_then(Attempt::error) {
            errors.push(format!("progenitor {version}: `` {e} ``"));
        }
        let largest = ctx.largest().map(|(v, _)| v.as_str()) == Some(version.as_str());
        if largest
            && oag_attempt
                .as_ref()
                .is_some_and(|a| a.check.as_ref().is_some_and(Outcome::ok))
        {
            compiled = Some(ctx.dir.join("oag").join(version));
        }
    }
    println!(
        "Wall clock, one process per run, from the raw corpus file (no overrides) to a crate on disk. \
         ours = `xtask regen --spec FILE --out target/bench/ours/V` (release; median of {our_runs}); \
         openapi-generator = `openapi-generator-cli {} -i FILE -o target/bench/oag/V` ({OAG_PACKAGE}, one run, JVM start included); \
         progenitor = `cargo-progenitor progenitor -i FILE -o target/bench/progenitor/V -n intercom -v 0.1.0` ({PROGENITOR_VERSION}, one run). \
         Lines = lines of .rs under src/; then `cargo check` of the crate alone (its dependencies built first, untimed; debug; CARGO_INCREMENTAL=0), bounded to {} min. The first error of each failure is listed below the table.\n",
        OAG_FLAGS.join(" "),
        CHECK_LIMIT.as_secs() / 60
    );
    table.print();
    if ctx.quick {
        println!("(--quick: smallest and largest versions only)\n");
    }
    for e in &errors {
        println!("- {e}");
    }
    if !errors.is_empty() {
        println!();
    }
    match (&oag, &compiled) {
        (Some(_), Some(_)) => println!("- openapi-generator's crate for the largest version compiles: part 4 reads into its types too\n"),
        (Some(_), None) => println!("- openapi-generator's crate for the largest version does not compile: part 4 cannot read into its types\n"),
        (None, _) => {}
    }
    Ok(compiled)
}

/// After generation: count lines and `cargo check` the output.
fn attempt(
    ctx: &Ctx,
    generated: Outcome,
    out: &Path,
    target: &Path,
    log: &str,
) -> Result<Attempt, Failure> {
    if !generated.ok() || !out.join("Cargo.toml").is_file() {
        return Ok(Attempt {
            generated,
            lines: 0,
            check: None,
        });
    }
    let lines = rs_lines(&out.join("src"));
    let mut cmd = cargo_in(out, target, &["check", "--message-format", "short"]);
    let check = run_bounded(ctx, &mut cmd, log, CHECK_LIMIT)?;
    Ok(Attempt {
        generated,
        lines,
        check: Some(check),
    })
}

/// `N errors` from cargo's closing line, or `1 error`.
fn error_count(log: &str) -> String {
    log.lines()
        .find_map(|l| {
            let i = l.find("due to ")?;
            let rest = &l[i + "due to ".len()..];
            let n: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            match n.as_str() {
                "" => None,
                "1" => Some("1 error".to_string()),
                _ => Some(format!("{n} errors")),
            }
        })
        .unwrap_or_else(|| "1 error".into())
}

fn rs_lines(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            let p = e.path();
            if p.is_dir() {
                rs_lines(&p)
            } else if p.extension().is_some_and(|x| x == "rs") {
                std::fs::read_to_string(&p).map_or(0, |t| t.lines().count())
            } else {
                0
            }
        })
        .sum()
}

/// `target/bench/venv/bin/openapi-generator-cli`, installing it when missing.
fn install_oag(ctx: &Ctx) -> Result<Option<PathBuf>, Failure> {
    let venv = ctx.dir.join("venv");
    let bin = venv.join("bin/openapi-generator-cli");
    let works = |bin: &Path| {
        Command::new(bin)
            .arg("version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if bin.is_file() && works(&bin) {
        return Ok(Some(bin));
    }
    println!(
        "peers: installing {OAG_PACKAGE} from PyPI into {} (python3 -m venv; needs Java)…",
        venv.display()
    );
    let mut cmd = Command::new("python3");
    cmd.args(["-m", "venv"]).arg(&venv);
    let o = run_bounded(ctx, &mut cmd, "oag-venv", INSTALL_LIMIT)?;
    if !o.ok() {
        println!(
            "peers: skipping openapi-generator: python3 -m venv failed: {}\n",
            o.first_error()
        );
        return Ok(None);
    }
    let mut cmd = Command::new(venv.join("bin/pip"));
    cmd.args(["install", "--quiet", OAG_PACKAGE]);
    let o = run_bounded(ctx, &mut cmd, "oag-install", INSTALL_LIMIT)?;
    if !o.ok() || !works(&bin) {
        println!(
            "peers: skipping openapi-generator: the install failed or it does not run (is Java installed?): {}\n",
            o.first_error()
        );
        return Ok(None);
    }
    println!("peers: installed in {} s", secs(o.elapsed));
    Ok(Some(bin))
}

/// `target/bench/tools/bin/cargo-progenitor`, installing it when missing.
fn install_progenitor(ctx: &Ctx) -> Result<Option<PathBuf>, Failure> {
    let root = ctx.dir.join("tools");
    let bin = root.join("bin/cargo-progenitor");
    if bin.is_file() {
        return Ok(Some(bin));
    }
    println!(
        "peers: installing cargo-progenitor {PROGENITOR_VERSION} from crates.io into {} (cargo install, a few minutes once)…",
        root.display()
    );
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args([
        "install",
        "--locked",
        "--version",
        PROGENITOR_VERSION,
        "cargo-progenitor",
        "--root",
    ])
    .arg(&root)
    .env("CARGO_TARGET_DIR", ctx.dir.join("tools-build"))
    .env_remove("RUSTFLAGS");
    let o = run_bounded(ctx, &mut cmd, "progenitor-install", INSTALL_LIMIT)?;
    if !o.ok() || !bin.is_file() {
        println!(
            "peers: skipping progenitor: cargo install failed: {}\n",
            o.first_error()
        );
        return Ok(None);
    }
    println!("peers: installed in {} s", secs(o.elapsed));
    Ok(Some(bin))
}
