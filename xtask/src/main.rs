//! `cargo xtask <command>`: the project's maintenance commands, declared in
//! `cli` (`cargo xtask help`, `cargo xtask <command> --help`).

mod batch;
mod bench;
mod cli;
mod corpus;
mod crates;
mod diff;
mod docs;
mod features;
mod fixtures;
mod hostile;
mod prism;
mod rehearsal;
mod release;
mod semver;
mod shapes;

use clap::Parser;
use cli::{Cli, Command, LintSpecArgs, RegenArgs, SpecArgs};
use codegen::emit::Options;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;

/// mimalloc instead of the system allocator: see `Cargo.toml`.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn main() -> ExitCode {
    // Help, and a usage error (unknown or repeated flag), end here: exit 0 or 2.
    let cli = Cli::try_parse().unwrap_or_else(|e| e.exit());
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
    let result = std::panic::catch_unwind(|| dispatch(cli.command)).unwrap_or_else(|_| {
        let what = PANIC.lock().ok().and_then(|mut p| p.take()).unwrap_or_default();
        Err(Failure::Failed(format!(
            "error: internal error in the generator ({what}); the output folder was not changed. Please report it with the input file."
        )))
    });
    report(result)
}

fn dispatch(command: Command) -> Result<(), Failure> {
    // For the test of the safety net above (`xtask/tests/bad_input.rs`).
    if std::env::var_os("XTASK_PANIC_FOR_TEST").is_some() {
        panic!("a panic on purpose");
    }
    match command {
        Command::Regen(args) => regen(&args),
        Command::LintSpec(args) => lint_spec(&args),
        Command::Fixtures => fixtures::run(),
        Command::Features(args) => features::run(&args),
        Command::Docs(args) => docs::run(&args),
        Command::Hostile(args) => hostile::run(&args),
        Command::Shapes(args) => shapes::run(&args),
        Command::Normalize(args) => prism::normalize(&args),
        Command::Prism(args) => prism::run(&args),
        Command::Corpus(args) => corpus::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::SemverCheck(args) => semver::run(&args),
        Command::RehearseBump(args) => rehearsal::run(&args),
        Command::Test => test(),
        Command::Bench(args) => bench::run(&args),
        Command::BenchDiff(args) => bench::diff::run(&args),
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

/// Whether the run is under CI (`CI=true`), where `../shared` must be there.
pub fn require_shared() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// The version `regen` uses when none is given (`spec/PINNED`).
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

pub fn shipped_target(root: &Path, version: &str) -> Result<Target, Failure> {
    let rel = format!("spec/{version}/intercom.yaml");
    Ok(Target {
        spec: root.join(&rel),
        out: root.join("generated"),
        options: Options {
            crate_name: "intercom-api".into(),
            crate_version: committed_crate_version(root),
            source_name: rel,
            package: codegen::emit::Package::read(&root.join(PACKAGE))?,
            regen: None,
        },
    })
}

/// The shipped crate's package metadata, and whether it may be published.
pub const PACKAGE: &str = "spec/package.yaml";

/// The version of the committed crate (`generated/Cargo.toml`): what
/// `regen` keeps, and the baseline a bump raises.
pub fn committed_crate_version(root: &Path) -> String {
    std::fs::read_to_string(root.join("generated/Cargo.toml"))
        .ok()
        .and_then(|text| {
            text.lines().find_map(|l| {
                l.strip_prefix("version = \"")?
                    .strip_suffix('"')
                    .map(String::from)
            })
        })
        .unwrap_or_else(|| "0.1.0".into())
}

fn regen(args: &RegenArgs) -> Result<(), Failure> {
    regen_in(&workspace_root(), args)
}

/// `regen` in the workspace at `root` (the rehearsal's copy, or this one).
pub fn regen_in(root: &Path, args: &RegenArgs) -> Result<(), Failure> {
    let root = root.to_path_buf();
    // clap has checked the combinations: --version or --spec (with --out), or neither.
    let (target, pin) = match (&args.version, &args.spec, &args.out) {
        (_, Some(spec), Some(out)) => {
            let source_name = spec
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            // The command as it was given, paths relative to the workspace.
            let relative = |p: &Path| {
                let p = p.strip_prefix(&root).unwrap_or(p);
                p.to_string_lossy().into_owned()
            };
            let mut command = format!(
                "cargo xtask regen --spec {} --out {}",
                relative(spec),
                relative(out)
            );
            if let Some(name) = &args.name {
                command.push_str(&format!(" --name {name}"));
            }
            let options = Options {
                crate_name: args.name.clone().unwrap_or_else(|| "intercom-api".into()),
                crate_version: "0.1.0".into(),
                source_name,
                package: Default::default(),
                regen: Some(command),
            };
            (
                Target {
                    spec: spec.clone(),
                    out: out.clone(),
                    options,
                },
                None,
            )
        }
        (Some(v), _, _) => {
            let t = shipped_target(&root, v)?;
            if !t.spec.is_file() {
                return Err(Failure::Failed(format!(
                    "error: no spec for version {v}: {} does not exist",
                    t.spec.display()
                )));
            }
            (t, Some(v.to_string()))
        }
        _ => (shipped_target(&root, &pinned_version(&root)?)?, None),
    };

    // The shipped crate is versioned; a crate from --spec keeps 0.1.0.
    let versioned = args.spec.is_none();
    let pinned = if versioned {
        Some(pinned_version(&root)?)
    } else {
        None
    };
    let started = std::time::Instant::now();
    let mut target = target;
    let mut generated = codegen::generate(&target.spec, &target.options)?;
    for w in generated.warnings() {
        eprintln!("warning: {w}");
    }
    if args.deny_warnings && generated.warnings().next().is_some() {
        return Err(Failure::Failed(format!(
            "error: {} warning(s) and --deny-warnings: nothing written",
            generated.warnings().count()
        )));
    }
    // The shipped crate's version follows what changed in its Rust API
    // since the committed record, and in the description: `release`.
    let release = release::decide(
        &root,
        &target.out,
        pin,
        pinned,
        &mut target.options,
        &mut generated,
    )?;
    let surface = std::mem::take(&mut generated.record);
    generated.files.push(codegen::emit::GeneratedFile {
        path: codegen::record::FILE.into(),
        contents: surface,
    });
    if args.check {
        let plan = codegen::write::plan(&target.out, &generated.files)?;
        if versioned {
            release::check_changelog(&root, &target.options.crate_version)?;
        }
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
    // A new version: record what it changed, and pin it.
    release::finish(&root, &release)?;
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

/// The spec `--spec PATH` or `--version V` names (the pinned version by default).
pub fn spec_of(args: &SpecArgs) -> Result<PathBuf, Failure> {
    let root = workspace_root();
    Ok(match (&args.spec, &args.version) {
        (Some(p), _) => p.clone(),
        (None, Some(v)) => shipped_target(&root, v)?.spec,
        (None, None) => shipped_target(&root, &pinned_version(&root)?)?.spec,
    })
}

fn lint_spec(args: &LintSpecArgs) -> Result<(), Failure> {
    let spec = spec_of(&args.spec)?;
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
    // What the lists accept, by Intercom's conventions, that the description
    // does not declare (generator/conventions/pagination.yaml).
    let surface = codegen::surface::Surface::build(&api, &spec);
    let mut lists = 0;
    let mut gaps = Vec::new();
    for (op, s) in surface.ops(&api) {
        let Some(paging) = &s.paging else {
            continue;
        };
        lists += 1;
        for c in paging.undeclared() {
            gaps.push(format!(
                "{}#{}: `{} {}` is a list: it continues by {} ({}), which it does not declare",
                spec.display(),
                op.pointer,
                op.method.as_str(),
                op.path,
                c.name,
                c.send
            ));
        }
        if let Some((send, false)) = &paging.page_size {
            gaps.push(format!(
                "{}#{}: `{} {}` is a list: it takes a page size ({send}), which it does not declare",
                spec.display(),
                op.pointer,
                op.method.as_str(),
                op.path,
            ));
        }
    }
    if args.verbose {
        for gap in &gaps {
            println!("{gap}");
        }
    }
    println!(
        "lint-spec: {lists} list operation(s); {} continuation(s) they accept that the description does not declare{}",
        gaps.len(),
        if args.verbose || gaps.is_empty() { "" } else { " (--verbose lists them)" }
    );
    // The query searches, typed from their description's tables; their
    // limits on a query's shape come from our conventions
    // (generator/conventions/search.yaml), not from the description.
    for op in &api.operations {
        let Some(search) = &op.search else { continue };
        let read = if search.fields.is_empty() {
            "its tables could not be read: only a field by name, with every operator".to_string()
        } else {
            format!("{} field(s) from its tables", search.fields.len())
        };
        println!(
            "{}#{}/description: `{} {}` is a query search: {read}; limits by convention (generator/conventions/search.yaml): groups {} levels deep, {} filters a group",
            spec.display(),
            op.pointer,
            op.method.as_str(),
            op.path,
            search.max_depth,
            search.max_group
        );
    }
    Ok(())
}

/// Run `cargo` with `args` (and extra environment) in the workspace, failing on a non-zero exit.
fn cargo(args: &[&str], env: &[(&str, &str)]) -> Result<(), Failure> {
    cargo_in(&workspace_root(), args, env)
}

/// Run cargo in the workspace at `dir`, showing the command; fails when it does.
pub fn cargo_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Result<(), Failure> {
    println!("$ cargo {} (in {})", args.join(" "), dir.display());
    let status = std::process::Command::new(env!("CARGO"))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .status()
        .map_err(|e| Failure::Failed(format!("error: cannot run cargo: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure::Failed(format!(
            "error: `cargo {}` failed in {}",
            args.join(" "),
            dir.display()
        )))
    }
}

fn test() -> Result<(), Failure> {
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
    fixtures::run()?;
    features::run(&Default::default())?;
    docs::run(&Default::default())?;
    hostile::run(&Default::default())?;
    shapes::run(&Default::default())?;
    corpus::run(&Default::default())?;
    rehearsal::run(&Default::default())?;
    prism::run(&Default::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `regen --check` with `args`, as a test's verdict.
    fn fresh(args: cli::RegenArgs) {
        match regen_in(
            &workspace_root(),
            &cli::RegenArgs {
                check: true,
                ..args
            },
        ) {
            Ok(()) => {}
            Err(Failure::Failed(m) | Failure::Usage(m)) => panic!("{m}"),
        }
    }

    /// The crates of the client tests generated from fixtures: `media-api`
    /// (multipart, text and binary bodies, every parameter location),
    /// `paging-api` (every pagination style), checked on the wire, and
    /// `search-api` (typed search modules, checked on the wire and by
    /// compile-fail tests).
    #[test]
    fn committed_fixture_crates_are_fresh() {
        let root = workspace_root();
        for name in ["media", "paging", "search"] {
            fresh(cli::RegenArgs {
                spec: Some(root.join(format!("generator/tests/fixtures/{name}.yaml"))),
                out: Some(root.join(format!("fixture-crates/{name}-api"))),
                name: Some(format!("{name}-api")),
                ..Default::default()
            });
        }
    }

    /// `cargo test` alone catches a forgotten `cargo xtask regen`: the crate,
    /// its record of the Rust API, its version and the changelog's newest entry.
    #[test]
    fn committed_generated_crate_is_fresh() {
        fresh(cli::RegenArgs::default());
    }
}
