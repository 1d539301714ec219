//! `cargo xtask <command>`: the project's maintenance commands.
//!
//! - `regen [--version V | --spec PATH --out DIR [--name CRATE]] [--check] [--deny-warnings]`
//! - `corpus [--shared DIR] [--only V,V] [--no-build]`
//! - `bench [--shared DIR] [--runs N] [--quick] [--skip-peers] [--only PARTS]` (run with `--release`)

mod batch;
mod bench;
mod corpus;
mod crates;
mod diff;
mod features;
mod fixtures;
mod hostile;
mod prism;
mod semver;
mod shapes;

use codegen::emit::Options;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

const USAGE: &str = "usage:
  cargo xtask regen [--version V] [--check] [--deny-warnings]
      regenerate generated/ from spec/<V>/intercom.yaml (default: the version pinned in spec/PINNED;
      --version also pins it); --check changes nothing and fails if generated/ is stale
  cargo xtask regen --spec PATH --out DIR [--name CRATE] [--check] [--deny-warnings]
      generate a crate (named CRATE, default intercom-api) from any OpenAPI 3.0 file (YAML or
      JSON) into DIR
  cargo xtask lint-spec (--spec PATH | --version V)
      list every place where the spec disagrees with its own examples, with JSON pointers
  cargo xtask fixtures
      build the crate of every normalization fixture (generator/tests/fixtures) with -D warnings
  cargo xtask features [--only shipped,2.15] [--shared DIR]
      each API area's Cargo feature alone (and none) checks with -D warnings: the shipped crate
      and the newest corpus version
  cargo xtask hostile [--cases N] [--seed S] [--batch B]
      property test of naming: N random specs with hostile names, each generated and built
      with -D warnings, B crates per build
  cargo xtask shapes [--cases N] [--seed S] [--batch B]
      property test of structures: N specs from a grammar of shapes (combinators, nullable,
      maps, $ref chains and cycles, enums, every parameter location, media types, statuses),
      each generated (or refused with a located error), checked by clippy -D warnings, and its
      example tests run
  cargo xtask normalize (--spec PATH [--overrides FILE] | --version V) --out FILE
      write the spec as the generated types read it (overrides, dangling refs, example evidence)
  cargo xtask prism [--only shipped,2.15]
      end to end: Prism serves each normalized spec; every operation of each crate is called
  cargo xtask corpus [--shared DIR] [--only 2.14,2.15] [--no-build]
      generate (and build, with -D warnings) a crate for every published version
  cargo xtask diff OLD NEW [--format text|markdown|json] [--fail-on breaking|warning] [--verbose]
      what changes between two versions under spec/ (or spec files), and what it breaks (docs/diff-rules.md);
      grouped by area and type, info counted unless --verbose
  cargo xtask semver-check OLD NEW [--shared DIR]
      generate both versions (spec/, corpus, or files), run cargo-semver-checks (installed into
      target/tools) and match each of its major findings to a breaking entry of `diff`
  cargo xtask test
      everything CI checks: workspace tests (including the stale-generated/ test and the
      snapshots), clippy and rustdoc with -D warnings, then `fixtures`, `features`, `hostile`, `corpus`, `prism`
  cargo run --release -p xtask -- bench [--shared DIR] [--runs N] [--quick] [--skip-peers]
                                       [--only generation,peers,build,reading]
      one markdown table per part: generation time per published version (vs the serde_yaml
      floor), the peers (openapi-generator, progenitor), build cost of the generated crate,
      and reading speed of its types (vs serde_json::Value); --quick: fewer runs and versions
  cargo run --release -p xtask -- bench-diff [--shared DIR] [--runs N] [OLD NEW]
      time the diff of two published versions (2.14 and 2.15 by default)";

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // A safety net: should the generator ever panic, the user gets one plain
    // line (with the panic's message and where in the source it happened),
    // not a `panicked at` message and a backtrace.
    static PANIC: Mutex<Option<String>> = Mutex::new(None);
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let at = info
            .location()
            .map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()))
            .unwrap_or_default();
        if let Ok(mut slot) = PANIC.lock() {
            // The first panic is the cause; a later one (while unwinding) is not.
            slot.get_or_insert(format!("{what}{at}"));
        }
    }));
    let result = std::panic::catch_unwind(|| dispatch(&args)).unwrap_or_else(|_| {
        let what = PANIC.lock().ok().and_then(|mut p| p.take()).unwrap_or_default();
        Err(Failure::Failed(format!(
            "error: internal error in the generator ({what}); the output folder was not changed. Please report it with the input file."
        )))
    });
    report(result)
}

fn dispatch(args: &[String]) -> Result<(), Failure> {
    // For the test of the safety net above (`xtask/tests/bad_input.rs`).
    if std::env::var_os("XTASK_PANIC_FOR_TEST").is_some() {
        panic!("a panic on purpose");
    }
    match args.first().map(String::as_str) {
        Some("regen") => regen(&args[1..]),
        Some("corpus") => corpus::run(&args[1..]),
        Some("fixtures") => fixtures::run(&args[1..]),
        Some("features") => features::run(&args[1..]),
        Some("hostile") => hostile::run(&args[1..]),
        Some("shapes") => shapes::run(&args[1..]),
        Some("semver-check") => semver::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("diff") => diff::run(&args[1..]),
        Some("bench-diff") => diff::bench(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("lint-spec") => lint_spec(&args[1..]),
        Some("normalize") => prism::normalize(&args[1..]),
        Some("prism") => prism::run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(Failure::Usage(format!(
            "unknown or missing command\n{USAGE}"
        ))),
    }
}

fn report(result: Result<(), Failure>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(m)) => {
            eprintln!("{m}");
            ExitCode::from(2)
        }
        Err(Failure::Failed(m)) => {
            if !m.is_empty() {
                eprintln!("{m}");
            }
            ExitCode::FAILURE
        }
    }
}

pub enum Failure {
    Usage(String),
    Failed(String),
}

impl From<codegen::error::Error> for Failure {
    fn from(e: codegen::error::Error) -> Self {
        Failure::Failed(e.to_string())
    }
}

/// Parsed flags: `--name value` pairs and bare `--switch`es.
pub struct Flags {
    values: Vec<(String, String)>,
    switches: Vec<String>,
}

impl Flags {
    pub fn parse(
        args: &[String],
        with_value: &[&str],
        switches: &[&str],
    ) -> Result<Flags, Failure> {
        let mut flags = Flags {
            values: Vec::new(),
            switches: Vec::new(),
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if with_value.contains(&a.as_str()) {
                let v = it
                    .next()
                    .ok_or_else(|| Failure::Usage(format!("{a} needs a value\n{USAGE}")))?;
                flags.values.push((a.clone(), v.clone()));
            } else if switches.contains(&a.as_str()) {
                flags.switches.push(a.clone());
            } else {
                return Err(Failure::Usage(format!(
                    "unexpected argument `{a}`\n{USAGE}"
                )));
            }
        }
        Ok(flags)
    }
    pub fn value(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn has(&self, name: &str) -> bool {
        self.switches.iter().any(|s| s == name)
    }
}

/// The version `regen` uses when none is given.
/// Whether the run is under CI (`CI=true`), where `../shared` must be there.
pub fn require_shared() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

pub fn pinned_version(root: &Path) -> Result<String, Failure> {
    let path = root.join("spec/PINNED");
    std::fs::read_to_string(&path)
        .map(|s| s.trim().to_string())
        .map_err(|e| {
            Failure::Failed(format!(
                "error: {}: cannot read the pinned version: {e}",
                path.display()
            ))
        })
}

/// What `regen` with no arguments generates: the pinned spec into generated/.
pub struct Target {
    pub spec: PathBuf,
    pub out: PathBuf,
    pub options: Options,
}

pub fn shipped_target(root: &Path, version: &str) -> Target {
    let rel = format!("spec/{version}/intercom.yaml");
    Target {
        spec: root.join(&rel),
        out: root.join("generated"),
        options: Options {
            crate_name: "intercom-api".into(),
            crate_version: "0.1.0".into(),
            source_name: rel,
        },
    }
}

fn regen(args: &[String]) -> Result<(), Failure> {
    let flags = Flags::parse(
        args,
        &["--version", "--spec", "--out", "--name"],
        &["--check", "--deny-warnings"],
    )?;
    let root = workspace_root();
    if flags.value("--name").is_some() && flags.value("--spec").is_none() {
        return Err(Failure::Usage(format!("--name goes with --spec\n{USAGE}")));
    }
    let (target, pin) = match (
        flags.value("--version"),
        flags.value("--spec"),
        flags.value("--out"),
    ) {
        (Some(_), Some(_), _) => {
            return Err(Failure::Usage(format!(
                "--version and --spec exclude each other\n{USAGE}"
            )))
        }
        (_, Some(spec), Some(out)) => {
            let spec = PathBuf::from(spec);
            let source_name = spec
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let options = Options {
                crate_name: flags.value("--name").unwrap_or("intercom-api").into(),
                crate_version: "0.1.0".into(),
                source_name,
            };
            (
                Target {
                    spec,
                    out: PathBuf::from(out),
                    options,
                },
                None,
            )
        }
        (_, Some(_), None) | (_, None, Some(_)) => {
            return Err(Failure::Usage(format!(
                "--spec and --out go together\n{USAGE}"
            )))
        }
        (Some(v), None, None) => {
            let t = shipped_target(&root, v);
            if !t.spec.is_file() {
                return Err(Failure::Failed(format!(
                    "error: no spec for version {v}: {} does not exist",
                    t.spec.display()
                )));
            }
            (t, Some(v.to_string()))
        }
        (None, None, None) => (shipped_target(&root, &pinned_version(&root)?), None),
    };

    let started = std::time::Instant::now();
    let generated = codegen::generate(&target.spec, &target.options)?;
    for w in generated.warnings() {
        eprintln!("warning: {w}");
    }
    if flags.has("--deny-warnings") && generated.warnings().next().is_some() {
        return Err(Failure::Failed(format!(
            "error: {} warning(s) and --deny-warnings: nothing written",
            generated.warnings().count()
        )));
    }
    if flags.has("--check") {
        let plan = codegen::write::plan(&target.out, &generated.files)?;
        if plan.is_clean() {
            println!(
                "{} is up to date ({} files)",
                target.out.display(),
                plan.unchanged
            );
            return Ok(());
        }
        let mut m = format!(
            "error: {} is stale; run `cargo xtask regen`:",
            target.out.display()
        );
        for p in &plan.changed {
            m.push_str(&format!("\n  would write  {}", p.display()));
        }
        for p in &plan.removed {
            m.push_str(&format!("\n  would remove {}", p.display()));
        }
        return Err(Failure::Failed(m));
    }
    let plan = codegen::write::write(&target.out, &generated.files)?;
    // A version bump: record what it changed, from the version still pinned.
    if let Some(v) = &pin {
        diff::changelog(&root, v);
    }
    if let Some(v) = pin {
        std::fs::write(root.join("spec/PINNED"), format!("{v}\n"))
            .map_err(|e| Failure::Failed(format!("error: cannot pin version {v}: {e}")))?;
    }
    println!(
        "{}: {} operations, {} types; {} written, {} removed, {} unchanged ({:.0?})",
        target.out.display(),
        generated.api.operations.len(),
        generated.api.types.len(),
        plan.changed.len(),
        plan.removed.len(),
        plan.unchanged,
        started.elapsed()
    );
    Ok(())
}

fn lint_spec(args: &[String]) -> Result<(), Failure> {
    let flags = Flags::parse(args, &["--spec", "--version"], &[])?;
    let spec = match (flags.value("--spec"), flags.value("--version")) {
        (Some(p), None) => PathBuf::from(p),
        (None, Some(v)) => shipped_target(&workspace_root(), v).spec,
        (None, None) => shipped_target(&workspace_root(), &pinned_version(&workspace_root())?).spec,
        _ => {
            return Err(Failure::Usage(format!(
                "--spec and --version exclude each other\n{USAGE}"
            )))
        }
    };
    let loaded = codegen::load::load_file(&spec)?;
    let api = codegen::normalize::normalize(&loaded)?;
    for d in &api.evidence {
        println!("{d}");
    }
    println!(
        "lint-spec: {} place(s) where {} disagrees with its examples",
        api.evidence.len(),
        spec.display()
    );
    Ok(())
}

/// Run `cargo` with `args` (and extra environment) in the workspace, failing on a non-zero exit.
fn cargo(args: &[&str], env: &[(&str, &str)]) -> Result<(), Failure> {
    println!("$ cargo {}", args.join(" "));
    let status = std::process::Command::new(env!("CARGO"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(workspace_root())
        .status()
        .map_err(|e| Failure::Failed(format!("error: cannot run cargo: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure::Failed(format!(
            "error: `cargo {}` failed",
            args.join(" ")
        )))
    }
}

fn test(args: &[String]) -> Result<(), Failure> {
    Flags::parse(args, &[], &[])?;
    cargo(
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    cargo(
        &["doc", "--package", "intercom-api", "--no-deps"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )?;
    cargo(&["test", "--workspace"], &[])?;
    // The generator's tests that read the published corpus (ignored by a
    // plain `cargo test`, which may not have it; here a missing corpus fails).
    cargo(
        &[
            "test",
            "--package",
            "intercom-codegen",
            "--test",
            "diff",
            "--",
            "--ignored",
        ],
        &[],
    )?;
    fixtures::run(&[])?;
    features::run(&[])?;
    hostile::run(&[])?;
    shapes::run(&[])?;
    corpus::run(&[])?;
    prism::run(&[])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The crate the client tests upload files with: a fixture's, so that
    /// multipart, text and binary bodies are checked on the wire.
    #[test]
    fn committed_media_crate_is_fresh() {
        let root = workspace_root();
        let spec = root.join("generator/tests/fixtures/media.yaml");
        let options = Options {
            crate_name: "media-api".into(),
            crate_version: "0.1.0".into(),
            source_name: "media.yaml".into(),
        };
        let generated = codegen::generate(&spec, &options).unwrap_or_else(|e| panic!("{e}"));
        let plan = codegen::write::plan(&root.join("client-tests/media-api"), &generated.files)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            plan.is_clean(),
            "client-tests/media-api is stale (run `cargo xtask regen --spec generator/tests/fixtures/media.yaml --out client-tests/media-api --name media-api`): changed {:?}, removed {:?}",
            plan.changed,
            plan.removed
        );
    }

    /// `cargo test` alone catches a forgotten `cargo xtask regen`.
    #[test]
    fn committed_generated_crate_is_fresh() {
        let root = workspace_root();
        let target = shipped_target(&root, &pinned_version(&root).ok().expect("spec/PINNED"));
        let generated =
            codegen::generate(&target.spec, &target.options).unwrap_or_else(|e| panic!("{e}"));
        let plan =
            codegen::write::plan(&target.out, &generated.files).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            plan.is_clean(),
            "generated/ is stale (run `cargo xtask regen`): changed {:?}, removed {:?}",
            plan.changed,
            plan.removed
        );
    }
}
