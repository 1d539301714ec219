//! `cargo run --release -p xtask -- bench-diff [--shared DIR] [--runs N]
//! [OLD NEW]`: the median time to diff two corpus versions (2.14 and 2.15
//! by default), with and without loading them (BENCHMARKS.md, "Version diff").

use crate::cli::BenchDiffArgs;
use crate::corpus::{corpus_dir, versions};
use crate::diff::load;
use crate::Failure;
use codegen::diff::render;
use std::time::{Duration, Instant};

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs.get(xs.len() / 2).copied().unwrap_or_default()
}

/// `bench-diff [--shared DIR] [--runs N] [OLD NEW]`: the median time to diff two
/// corpus versions (2.14 and 2.15 by default), with and without loading them.
pub fn run(args: &BenchDiffArgs) -> Result<(), Failure> {
    let (old, new) = match args.versions.as_slice() {
        [a, b] => (a.as_str(), b.as_str()),
        _ => ("2.14", "2.15"),
    };
    let Some(dir) = corpus_dir(args.shared.as_deref()) else {
        return Ok(());
    };
    let runs = args.runs.max(1);
    let all = versions(&dir);
    let find = |v: &str| {
        all.iter()
            .find(|(name, _)| name == v)
            .map(|(_, p)| p.clone())
            .ok_or_else(|| Failure::Failed(format!("error: no version {v} in {}", dir.display())))
    };
    let (a_path, b_path) = (find(old)?, find(new)?);
    if cfg!(debug_assertions) {
        println!("note: a debug build; figures are only meaningful with --release");
    }
    let (mut full, mut only) = (Vec::new(), Vec::new());
    let mut last = None;
    for _ in 0..runs {
        let t = Instant::now();
        let (a, b) = (load(&a_path)?, load(&b_path)?);
        let loaded = t.elapsed();
        let t = Instant::now();
        let report = codegen::diff::diff(&a, &b);
        let d = t.elapsed();
        only.push(d);
        full.push(loaded + d);
        last = Some(report);
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "diff {old} → {new}, median of {runs} runs: {:.1} ms including load and normalize of both, {:.2} ms for the diff alone",
        ms(median(full)),
        ms(median(only))
    );
    if let Some(r) = last {
        println!("{} changes: {}", r.changes.len(), render::summary(&r));
    }
    Ok(())
}
