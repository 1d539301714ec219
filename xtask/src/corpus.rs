//! `cargo xtask corpus`: every published Intercom description generates a
//! crate that builds with `-D warnings` and has all of its operations.
//!
//! The corpus is read from `../shared/intercom-openapi/<version>/` and never
//! copied into the project; the crates go to `target/corpus/<version>/`.

use crate::crates::{build_crate, test_tally, write_standalone, Tally, TestRun};
use crate::cli::CorpusArgs;
use crate::{workspace_root, Failure};
use codegen::emit::Options;
use codegen::Generated;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "patch", "head", "options", "trace",
];

/// The corpus folder, or `None` (with one visible line) when it is missing.
/// Under CI (`CI=true`) a missing corpus is an error: the run stops there.
pub fn corpus_dir(flag: Option<&Path>) -> Option<PathBuf> {
    let dir = flag
        .map(Path::to_path_buf)
        .unwrap_or_else(|| workspace_root().join("../shared/intercom-openapi"));
    if dir.is_dir() {
        Some(dir)
    } else if crate::require_shared() {
        eprintln!(
            "error: corpus: {} not found, and CI=true requires it",
            dir.display()
        );
        std::process::exit(1);
    } else {
        println!(
            "corpus: {} not found; skipping the published-corpus cases",
            dir.display()
        );
        None
    }
}

/// Versions in the corpus folder, in version order (2.7 before 2.10).
pub fn versions(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let spec = e.path().join("api.intercom.io.yaml");
            spec.is_file()
                .then(|| (e.file_name().to_string_lossy().into_owned(), spec))
        })
        .collect();
    out.sort_by_key(|(v, _)| {
        v.split('.')
            .map(|p| p.parse::<u32>().unwrap_or(u32::MAX))
            .collect::<Vec<_>>()
    });
    out
}

/// Operations in a spec, counted from the raw YAML (independently of the generator).
pub fn count_operations(spec: &Path) -> Result<usize, String> {
    let text = std::fs::read_to_string(spec).map_err(|e| e.to_string())?;
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).map_err(|e| e.to_string())?;
    let paths = doc
        .get("paths")
        .and_then(|p| p.as_mapping())
        .ok_or("no paths")?;
    Ok(paths
        .values()
        .filter_map(|item| item.as_mapping())
        .map(|item| {
            item.keys()
                .filter(|k| k.as_str().is_some_and(|k| METHODS.contains(&k)))
                .count()
        })
        .sum())
}

pub fn run(args: &CorpusArgs) -> Result<(), Failure> {
    let Some(dir) = corpus_dir(args.only.shared.as_deref()) else {
        return Ok(());
    };
    let only: Option<Vec<&str>> = args
        .only
        .only
        .as_ref()
        .map(|o| o.iter().map(String::as_str).collect());
    let root = workspace_root();
    let target_dir = root.join("target/corpus-target");
    let mut tally = Tally::new("corpus", "");
    for (version, spec) in versions(&dir) {
        if only
            .as_ref()
            .is_some_and(|o| !o.contains(&version.as_str()))
        {
            continue;
        }
        tally.record(
            &version,
            one(
                &root,
                &version,
                &spec,
                &target_dir,
                !args.no_build,
            ),
        );
    }
    tally.finish()
}

/// Generate a corpus version's crate into `target/corpus/<version>/`, with its overrides;
/// returns the folder, what was generated, and how long generating took.
pub fn generate_version(
    root: &Path,
    version: &str,
    spec: &Path,
) -> Result<(PathBuf, Generated, Duration), String> {
    let out = root.join("target/corpus").join(version);
    let overrides = overrides_file(root, version);
    let started = Instant::now();
    let generated =
        codegen::generate_with_overrides(spec, overrides.as_deref(), &corpus_options(version))
            .map_err(|e| e.to_string())?;
    let took = started.elapsed();
    write_standalone(root, &out, &generated.files)?;
    Ok((out, generated, took))
}

fn one(
    root: &Path,
    version: &str,
    spec: &Path,
    target_dir: &Path,
    build: bool,
) -> Result<String, String> {
    let (out, generated, gen_time) = generate_version(root, version, spec)?;

    let in_spec = count_operations(spec)?;
    // Each operation's request builder has one `send`, in its area's module.
    let emitted: usize = generated
        .files
        .iter()
        .filter(|f| f.path.starts_with("src") && !f.path.starts_with("src/runtime"))
        .map(|f| f.contents.matches("pub async fn send(").count())
        .sum();
    if emitted != in_spec {
        return Err(format!(
            "{emitted} operations emitted, {in_spec} in the spec"
        ));
    }
    let mut line = format!(
        "{in_spec} operations (all emitted), {} types, {} warnings, {} overrides, {} example mismatches resolved, generated in {:.0} ms",
        generated.api.types.len(),
        generated.warnings().count(),
        count_entries(root, version),
        generated.api.evidence.len(),
        gen_time.as_secs_f64() * 1000.0
    );
    if build {
        let took = build_crate(&out, target_dir)?;
        line.push_str(&format!(
            ", built with -D warnings in {:.1} s",
            took.as_secs_f64()
        ));
        let examples = test_tally(&TestRun {
            dir: &out,
            package: None,
            target_dir: Some(target_dir),
            test: "examples",
            env: &[],
            tally_prefix: "examples: ",
        })?;
        line.push_str(&format!("\n{version}: {examples}"));
    }
    Ok(line)
}

/// `spec/overrides/<version>.yaml`, when there is one.
pub fn overrides_file(root: &Path, version: &str) -> Option<PathBuf> {
    let p = root.join("spec/overrides").join(format!("{version}.yaml"));
    p.is_file().then_some(p)
}

fn count_entries(root: &Path, version: &str) -> usize {
    overrides_file(root, version)
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|t| serde_yaml::from_str::<Vec<serde_yaml::Value>>(&t).ok())
        .map_or(0, |v| v.len())
}

/// Options for a corpus version's crate. Each version gets its own crate
/// name: they share one target directory, and cargo tells same-named
/// packages' artifacts apart by name and version, not by folder.
pub fn corpus_options(version: &str) -> Options {
    Options {
        crate_name: format!("intercom-api-v{}", version.replace('.', "-")),
        crate_version: "0.1.0".into(),
        source_name: format!("intercom-openapi/{version}/api.intercom.io.yaml"),
    }
}
