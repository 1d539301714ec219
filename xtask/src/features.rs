//! `cargo xtask features [--only shipped,2.15] [--shared DIR]`: each API
//! area's Cargo feature alone (and none at all) gives a crate that checks
//! with `-D warnings`, and so does each with `mock`, for the shipped spec
//! and for the newest corpus version (or the versions named).
//!
//! Crates go to `target/features/<label>/`, checked with one shared target
//! folder (`target/features/target`), so the dependencies build once.

use crate::cli::OnlyArgs;
use crate::corpus::{chosen, corpus_dir, generate_version};
use crate::crates::{cargo_once, write_standalone, Tally};
use crate::{pinned_version, shipped_target, workspace_root, Failure};
use std::path::Path;
use std::time::Instant;

pub fn run(args: &OnlyArgs) -> Result<(), Failure> {
    let root = workspace_root();
    let only = args.only.clone();
    let target_dir = root.join("target/features/target");
    let mut tally = Tally::new("features", " (crates)");

    // Each crate with its area features, as the surface named them, and
    // `webhooks` (which turns on the models its items use, no area).
    let features = |g: &codegen::Generated| -> Vec<String> {
        g.surface
            .areas
            .iter()
            .map(|a| a.module.clone())
            .chain(["webhooks".to_string()])
            .collect()
    };
    let mut crates: Vec<(String, std::path::PathBuf, Vec<String>)> = Vec::new();
    let wanted = |label: &str| only.as_ref().is_none_or(|o| o.iter().any(|x| x == label));
    if wanted("shipped") {
        let t = shipped_target(&root, &pinned_version(&root)?)?;
        let generated = codegen::generate(&t.spec, &t.options)?;
        let out = root.join("target/features/shipped");
        write_standalone(&root, &out, &generated.files).map_err(Failure::Failed)?;
        crates.push(("shipped".into(), out, features(&generated)));
    }
    if let Some(dir) = corpus_dir(args.shared.as_deref()) {
        // By default the newest version; `--only` names others.
        for (version, spec) in chosen(&dir, only.as_deref()) {
            let (out, generated, _) =
                generate_version(&root, &version, &spec).map_err(Failure::Failed)?;
            crates.push((version, out, features(&generated)));
        }
    }
    for (label, dir, features) in crates {
        tally.record(&label, check_each(&dir, &target_dir, &features));
    }
    tally.finish()
}

/// `cargo check --no-default-features` with no area, then with each alone;
/// and each of those with `mock`.
fn check_each(dir: &Path, target_dir: &Path, features: &[String]) -> Result<String, String> {
    let started = Instant::now();
    let mut failed = Vec::new();
    let alone = std::iter::once(String::new()).chain(features.iter().cloned());
    let with_mock = alone.clone().map(|f| match f.as_str() {
        "" => "mock".to_string(),
        _ => format!("{f},mock"),
    });
    for feature in alone.chain(with_mock) {
        let feature = feature.as_str();
        let status = cargo_once(dir, target_dir)
            .args(["check", "--quiet", "--lib", "--no-default-features"])
            .args(
                (!feature.is_empty())
                    .then_some(["--features", feature])
                    .into_iter()
                    .flatten(),
            )
            .env("RUSTFLAGS", "-D warnings")
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            failed.push(
                if feature.is_empty() {
                    "(none)"
                } else {
                    feature
                }
                .to_string(),
            );
        }
    }
    if !failed.is_empty() {
        return Err(format!(
            "`cargo check --no-default-features --features F` with -D warnings failed for: {}",
            failed.join(", ")
        ));
    }
    Ok(format!(
        "{} areas and webhooks: none, and each alone, with and without mock, check with -D warnings ({:.0} s)",
        features.len().saturating_sub(1),
        started.elapsed().as_secs_f64()
    ))
}
