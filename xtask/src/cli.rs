//! The commands and their flags, declared once (clap): `cargo xtask help`
//! and `cargo xtask <command> --help` print them, and an unknown or
//! repeated flag is an error.

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "The project's maintenance commands",
    disable_version_flag = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Regenerate generated/ from spec/<V>/intercom.yaml (the pinned version
    /// by default), or generate a crate from any OpenAPI 3.0 file into a folder.
    Regen(RegenArgs),
    /// List every place where a spec disagrees with its own examples, with
    /// JSON pointers, and count what its lists accept that it does not
    /// declare (Intercom's pagination conventions).
    LintSpec(LintSpecArgs),
    /// Build the crate of every normalization fixture (generator/tests/fixtures) with -D warnings.
    Fixtures,
    /// Each API area's Cargo feature alone (and none) checks with -D warnings:
    /// the shipped crate and the newest corpus version.
    Features(OnlyArgs),
    /// The docs as they render: `cargo doc` (-D warnings) of the shipped
    /// crate, the newest corpus version and the docs fixture, their HTML
    /// scanned for markup shown as text; `--screenshot DIR` for a person to look.
    Docs(DocsArgs),
    /// Property test of naming: specs with hostile names, each generated and
    /// built with -D warnings (defaults: 48 cases, seed 489426405, batch 48).
    Hostile(BatchArgs),
    /// Property test of structures: specs from a grammar of shapes, each
    /// generated (or refused with a located error), checked by clippy
    /// -D warnings, and its example tests run (defaults: 16 cases, seed
    /// 99244766, batch 16).
    Shapes(BatchArgs),
    /// Write the spec as the generated types read it (overrides, dangling
    /// refs, example evidence), as JSON a mock server can serve.
    Normalize(NormalizeArgs),
    /// End to end: Prism serves each normalized spec; every operation of each crate is called.
    Prism(OnlyArgs),
    /// Generate (and build, with -D warnings) a crate for every published version.
    Corpus(CorpusArgs),
    /// What changes between two versions under spec/ (or spec files), and
    /// what it breaks (docs/diff-rules.md).
    Diff(DiffArgs),
    /// Generate two versions, run cargo-semver-checks on them and match each
    /// of its major findings to a breaking entry of `diff`.
    SemverCheck(SemverArgs),
    /// A version bump, rehearsed in a copy of the workspace: pin a published
    /// version, bump to the next with `regen --version`; the bumped crate
    /// must raise its version, carry migration notes, and pass clippy,
    /// rustdoc and its tests.
    RehearseBump(RehearseArgs),
    /// Everything CI checks: clippy and rustdoc with -D warnings, the
    /// workspace tests, the corpus tests of the generator, then `fixtures`,
    /// `features`, `docs`, `hostile`, `shapes`, `corpus`, `rehearse-bump` and `prism`.
    Test,
    /// Benchmarks, one markdown table per part (run with `cargo run --release -p xtask --`).
    Bench(BenchArgs),
    /// Time the diff of two published versions (2.14 and 2.15 by default; run with --release).
    BenchDiff(BenchDiffArgs),
}

#[derive(Debug, Args, Default)]
pub struct RehearseArgs {
    /// The version pinned first (default: the corpus's second newest).
    #[arg(long, value_name = "V")]
    pub from: Option<String>,
    /// The version bumped to (default: the corpus's newest).
    #[arg(long, value_name = "V")]
    pub to: Option<String>,
    /// The corpus folder (default: ../shared/intercom-openapi).
    #[arg(long, value_name = "DIR")]
    pub shared: Option<PathBuf>,
}

#[derive(Debug, Args, Default)]
pub struct RegenArgs {
    /// Generate from spec/<V>/intercom.yaml and pin V (spec/PINNED).
    #[arg(long, value_name = "V", conflicts_with = "spec")]
    pub version: Option<String>,
    /// Any OpenAPI 3.0 file (YAML or JSON); needs --out.
    #[arg(long, value_name = "PATH", requires = "out")]
    pub spec: Option<PathBuf>,
    /// The folder of the crate generated from --spec.
    #[arg(long, value_name = "DIR", requires = "spec")]
    pub out: Option<PathBuf>,
    /// The crate's name (with --spec; default intercom-api).
    #[arg(long, value_name = "CRATE", requires = "spec")]
    pub name: Option<String>,
    /// Write nothing; fail, naming each stale file, if the output is not what regen would write.
    #[arg(long)]
    pub check: bool,
    /// Fail (writing nothing) if the generator had to work around anything.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// A spec: a file, or a version under spec/ (the pinned one by default).
#[derive(Debug, Args, Default)]
pub struct SpecArgs {
    #[arg(long, value_name = "PATH", conflicts_with = "version")]
    pub spec: Option<PathBuf>,
    #[arg(long, value_name = "V")]
    pub version: Option<String>,
}

#[derive(Debug, Args)]
pub struct LintSpecArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    /// List each undeclared continuation, not only their count.
    #[arg(long)]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct NormalizeArgs {
    #[command(flatten)]
    pub spec: SpecArgs,
    /// An overrides file patched into the spec at load.
    #[arg(long, value_name = "FILE")]
    pub overrides: Option<PathBuf>,
    /// Where to write the JSON.
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
}

/// `--only shipped,2.15` and the corpus folder.
#[derive(Debug, Args, Default)]
pub struct OnlyArgs {
    /// Only these crates (`shipped` and corpus versions), comma-separated.
    #[arg(long, value_name = "LIST", value_delimiter = ',', action = ArgAction::Set)]
    pub only: Option<Vec<String>>,
    /// The corpus folder (default: ../shared/intercom-openapi).
    #[arg(long, value_name = "DIR")]
    pub shared: Option<PathBuf>,
}

#[derive(Debug, Args, Default)]
pub struct DocsArgs {
    /// `shipped`, `docs` (the fixture) and corpus versions.
    #[command(flatten)]
    pub only: OnlyArgs,
    /// Also take headless screenshots (Chromium, installed on demand) of
    /// each crate's root, an area, a model and a search module, into DIR/<crate>/.
    #[arg(long, value_name = "DIR")]
    pub screenshot: Option<PathBuf>,
    /// Only scan pages already rendered (a crate's folder under a `target/doc/`).
    #[arg(long, value_name = "DIR", conflicts_with_all = ["only", "screenshot"])]
    pub html: Option<PathBuf>,
}

#[derive(Debug, Args, Default)]
pub struct CorpusArgs {
    #[command(flatten)]
    pub only: OnlyArgs,
    /// Generate and count, but do not build.
    #[arg(long)]
    pub no_build: bool,
}

/// The property tests' flags; each command has its own defaults.
#[derive(Debug, Args, Default)]
pub struct BatchArgs {
    /// How many specs to draw.
    #[arg(long, value_name = "N")]
    pub cases: Option<u64>,
    /// The seed of the run.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Crates per cargo workspace (per clippy run).
    #[arg(long, value_name = "B")]
    pub batch: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Breaking,
    Warning,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old side: a version under spec/, or a spec file.
    pub old: String,
    /// The new side.
    pub new: String,
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Exit 1 when a change is at least this severe.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// List the info changes too (counted otherwise).
    #[arg(long)]
    pub verbose: bool,
}

#[derive(Debug, Args)]
pub struct SemverArgs {
    /// The old side: a version under spec/, in the corpus, or a spec file.
    pub old: String,
    /// The new side.
    pub new: String,
    /// The corpus folder (default: ../shared/intercom-openapi).
    #[arg(long, value_name = "DIR")]
    pub shared: Option<PathBuf>,
}

#[derive(Debug, Args, Default)]
pub struct BenchArgs {
    /// The corpus folder (default: ../shared/intercom-openapi).
    #[arg(long, value_name = "DIR")]
    pub shared: Option<PathBuf>,
    /// Timed runs per figure (default 7; 3 with --quick).
    #[arg(long, value_name = "N")]
    pub runs: Option<usize>,
    /// Fewer runs and versions.
    #[arg(long)]
    pub quick: bool,
    /// Leave out openapi-generator and progenitor.
    #[arg(long)]
    pub skip_peers: bool,
    /// Only these parts: generation, peers, build, reading.
    #[arg(long, value_name = "PARTS", value_delimiter = ',', action = ArgAction::Set)]
    pub only: Option<Vec<String>>,
}

#[derive(Debug, Args)]
pub struct BenchDiffArgs {
    /// The corpus folder (default: ../shared/intercom-openapi).
    #[arg(long, value_name = "DIR")]
    pub shared: Option<PathBuf>,
    /// Timed runs (default 9).
    #[arg(long, value_name = "N", default_value_t = 9)]
    pub runs: usize,
    /// Two corpus versions (default: 2.14 2.15).
    #[arg(num_args = 2, value_names = ["OLD", "NEW"])]
    pub versions: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("xtask").chain(args.iter().copied()))
    }

    #[test]
    fn the_declaration_is_consistent() {
        Cli::command().debug_assert();
    }

    /// Every command is in the README, and every `cargo xtask <word>` the
    /// README (and the docs) shows is a command.
    #[test]
    fn the_readme_lists_exactly_the_commands() {
        let names: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        let root = crate::workspace_root();
        let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
        for name in &names {
            assert!(
                readme.contains(&format!("cargo xtask {name}"))
                    || readme.contains(&format!("-p xtask -- {name}")),
                "README.md does not show `cargo xtask {name}`"
            );
        }
        for doc in [
            "README.md",
            "BENCHMARKS.md",
            "docs/diff-rules.md",
            "docs/encoding.md",
            "docs/decoding.md",
            "docs/naming.md",
            "docs/rendering.md",
            "docs/architecture.md",
        ] {
            let text = std::fs::read_to_string(root.join(doc)).unwrap_or_default();
            for (at, _) in text.match_indices("cargo xtask ") {
                let word: String = text[at + "cargo xtask ".len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                    .collect();
                if word.is_empty() || word == "help" {
                    continue;
                }
                assert!(
                    names.contains(&word),
                    "{doc} shows `cargo xtask {word}`, which is no command"
                );
            }
        }
    }

    #[test]
    fn a_repeated_or_unknown_flag_is_an_error() {
        assert!(parse(&["regen", "--version", "2.11", "--version", "2.15"]).is_err());
        assert!(parse(&["regen", "--versoin", "2.11"]).is_err());
        assert!(parse(&[
            "regen",
            "--version",
            "2.11",
            "--spec",
            "x.yaml",
            "--out",
            "o"
        ])
        .is_err());
        assert!(
            parse(&["regen", "--spec", "x.yaml"]).is_err(),
            "--spec needs --out"
        );
        assert!(parse(&["diff", "2.11"]).is_err(), "diff needs two sides");
        assert!(parse(&["corpus", "--only", "2.14", "--only", "2.15"]).is_err());
    }

    #[test]
    fn flags_land_where_they_are_declared() {
        let Command::Diff(d) = parse(&[
            "diff",
            "2.11",
            "--format",
            "json",
            "2.15",
            "--fail-on",
            "breaking",
        ])
        .expect("diff parses")
        .command
        else {
            panic!("not diff");
        };
        assert_eq!((d.old.as_str(), d.new.as_str()), ("2.11", "2.15"));
        assert_eq!(
            (d.format, d.fail_on),
            (Format::Json, Some(FailOn::Breaking))
        );
        let Command::Corpus(c) = parse(&["corpus", "--only", "2.14,2.15", "--no-build"])
            .expect("corpus parses")
            .command
        else {
            panic!("not corpus");
        };
        assert_eq!(
            c.only.only,
            Some(vec!["2.14".to_string(), "2.15".to_string()])
        );
        assert!(c.no_build);
        // Each command has its own help (an "error" of the help kind, exit 0).
        let help = parse(&["shapes", "--help"]).expect_err("help").to_string();
        assert!(help.contains("--cases"), "{help}");
    }
}
