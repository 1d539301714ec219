//! `cargo run --release -p xtask -- bench`: generation time per corpus
//! version, by stage (median of several runs), against the floor of merely
//! parsing the same YAML with serde_yaml.

use crate::corpus::{corpus_dir, versions};
use crate::{Failure, Flags};
use codegen::emit::Options;
use std::time::{Duration, Instant};

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

pub fn run(args: &[String]) -> Result<(), Failure> {
    let flags = Flags::parse(args, &["--shared", "--runs"], &[])?;
    let Some(dir) = corpus_dir(flags.value("--shared")) else {
        return Ok(());
    };
    let runs: usize = flags
        .value("--runs")
        .and_then(|r| r.parse().ok())
        .unwrap_or(7)
        .max(1);
    if cfg!(debug_assertions) {
        println!("note: a debug build; figures are only meaningful with --release");
    }
    println!("generation, median of {runs} runs (ms); floor = serde_yaml::from_str::<Value> of the same file");
    println!("| version | size KiB | ops | types | floor | load | normalize | emit | total | total/floor |");
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let options = Options {
        crate_name: "intercom-api".into(),
        crate_version: "0.1.0".into(),
        source_name: "bench".into(),
    };
    for (version, spec) in versions(&dir) {
        let bytes = std::fs::read(&spec)
            .map_err(|e| Failure::Failed(format!("{}: {e}", spec.display())))?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let (mut floor, mut load, mut norm, mut emit) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut counts = (0, 0);
        for _ in 0..runs {
            let t = Instant::now();
            let v: serde_yaml::Value =
                serde_yaml::from_str(&text).map_err(|e| Failure::Failed(e.to_string()))?;
            floor.push(t.elapsed());
            drop(v);

            let t = Instant::now();
            let loaded = codegen::load::load_bytes(&spec, &bytes)?;
            load.push(t.elapsed());
            let t = Instant::now();
            let api = codegen::normalize::normalize(&loaded)?;
            norm.push(t.elapsed());
            let t = Instant::now();
            let files = codegen::emit::emit(&api, &options)?;
            emit.push(t.elapsed());
            counts = (api.operations.len(), api.types.len());
            drop(files);
        }
        let total: Vec<Duration> = (0..runs).map(|i| load[i] + norm[i] + emit[i]).collect();
        let (floor, total) = (median(floor), median(total));
        println!(
            "| {version} | {} | {} | {} | {} | {} | {} | {} | {} | {:.2}x |",
            bytes.len() / 1024,
            counts.0,
            counts.1,
            ms(floor),
            ms(median(load)),
            ms(median(norm)),
            ms(median(emit)),
            ms(total),
            total.as_secs_f64() / floor.as_secs_f64()
        );
    }
    Ok(())
}
