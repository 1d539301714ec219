//! Part 1: generation time per corpus version, by stage (median of several
//! runs, in process), against the floor of merely parsing the same YAML
//! with serde_yaml.
//!
//! `load` is split in two: `parse` (`codegen::load::parse_value`, the bytes
//! to an untyped YAML tree: the floor's work plus a depth check) and `typing`
//! (`codegen::load::from_value`, that tree to `openapiv3`).

use super::{median, ms, Ctx, Table};
use crate::Failure;
use codegen::emit::Options;
use std::time::{Duration, Instant};

/// Target: the whole of generation within this many times the parse floor…
const RATIO_TARGET: f64 = 3.0;
/// …and the largest version under this.
const TOTAL_TARGET: Duration = Duration::from_millis(500);

pub fn run(ctx: &Ctx) -> Result<(), Failure> {
    let runs = ctx.runs;
    println!("## 1. Generation\n");
    println!(
        "In process, release, median of {runs} runs, in ms. Input: each corpus version's api.intercom.io.yaml, without overrides. \
         floor = `serde_yaml::from_str::<serde_yaml::Value>` of the same text; load = parse + typing; total = load + normalize + emit.\n"
    );
    let mut table = Table::new(&[
        "version",
        "size KiB>",
        "ops>",
        "types>",
        "floor>",
        "parse>",
        "typing>",
        "load>",
        "normalize>",
        "emit>",
        "total>",
        "total/floor>",
        "emit/total>",
    ]);
    let options = Options {
        crate_name: "intercom-api".into(),
        crate_version: "0.1.0".into(),
        source_name: "bench".into(),
    };
    let mut ratios = Vec::new();
    let mut last = None;
    let mut largest_files = Vec::new();
    let mut largest_emit = Duration::ZERO;
    for (version, spec) in &ctx.corpus {
        let bytes = std::fs::read(spec).map_err(|e| super::fail(spec.display(), e))?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let mut t = Timings::default();
        let mut counts = (0, 0);
        for _ in 0..runs {
            let start = Instant::now();
            let v: serde_yaml::Value =
                serde_yaml::from_str(&text).map_err(|e| Failure::Failed(e.to_string()))?;
            t.floor.push(start.elapsed());
            drop(v);

            let start = Instant::now();
            let value = codegen::load::parse_value(spec, &bytes)?;
            let parsed = start.elapsed();
            let loaded = codegen::load::from_value(spec, value)?;
            t.parse.push(parsed);
            t.typing.push(start.elapsed() - parsed);
            t.load.push(start.elapsed());
            let start = Instant::now();
            let api = codegen::normalize::normalize(&loaded)?;
            t.norm.push(start.elapsed());
            let start = Instant::now();
            let surface = codegen::surface::Surface::build(&api, spec);
            let files = codegen::emit::emit(&api, &surface, &options)?;
            t.emit.push(start.elapsed());
            counts = (api.operations.len(), api.types.len());
            largest_files = files;
        }
        let total: Vec<Duration> = (0..runs)
            .map(|i| t.load[i] + t.norm[i] + t.emit[i])
            .collect();
        let (floor, total) = (median(t.floor), median(total));
        let emit = median(t.emit);
        let ratio = total.as_secs_f64() / floor.as_secs_f64();
        ratios.push(ratio);
        table.row(vec![
            version.clone(),
            (bytes.len() / 1024).to_string(),
            counts.0.to_string(),
            counts.1.to_string(),
            ms(floor),
            ms(median(t.parse)),
            ms(median(t.typing)),
            ms(median(t.load)),
            ms(median(t.norm)),
            ms(emit),
            ms(total),
            format!("{ratio:.2}x"),
            format!("{:.0}%", 100.0 * emit.as_secs_f64() / total.as_secs_f64()),
        ]);
        last = Some((version.clone(), total));
        largest_emit = emit;
    }
    table.print();
    let (lo, hi) = ratios
        .iter()
        .fold((f64::MAX, 0.0f64), |(lo, hi), r| (lo.min(*r), hi.max(*r)));
    if !ratios.is_empty() {
        println!(
            "- target: total under {RATIO_TARGET}x the parse floor: {} (total/floor {lo:.2}x to {hi:.2}x)",
            verdict(hi < RATIO_TARGET)
        );
    }
    if let Some((version, total)) = last {
        println!(
            "- target: the largest version ({version}) under {} ms: {} ({} ms)",
            TOTAL_TARGET.as_millis(),
            verdict(total < TOTAL_TARGET),
            ms(total)
        );
    }
    println!();
    if let Some((version, spec)) = ctx.largest() {
        emit_breakdown(version, &largest_files, largest_emit, runs)?;
        typing_breakdown(version, spec, runs)?;
    }
    Ok(())
}

/// How much of `typing` is the clone of the YAML tree that
/// `codegen::load::from_value` makes (it keeps the tree to locate errors).
fn typing_breakdown(version: &str, spec: &std::path::Path, runs: usize) -> Result<(), Failure> {
    let bytes = std::fs::read(spec).map_err(|e| super::fail(spec.display(), e))?;
    let value = codegen::load::parse_value(spec, &bytes)?;
    let (mut clone, mut typing) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let t = Instant::now();
        let copy = value.clone();
        clone.push(t.elapsed());
        let t = Instant::now();
        let loaded = codegen::load::from_value(spec, copy)?;
        typing.push(t.elapsed());
        drop(loaded);
    }
    println!(
        "- typing ({version}): {} ms, of which {} ms is the clone of the YAML tree it makes before deserializing (measured apart, on the same tree)\n",
        ms(median(typing)),
        ms(median(clone))
    );
    Ok(())
}

/// Where emit's time goes, per file: emit builds each Rust file as a token
/// stream, parses it into a `syn::File` (`syn::parse2`) and prints that with
/// prettyplease. Here each emitted file is lexed back into a token stream
/// (untimed), then `syn::parse2` and `prettyplease::unparse` are timed on
/// it: the same two calls emit makes, on the same code.
fn emit_breakdown(
    version: &str,
    files: &[codegen::emit::GeneratedFile],
    emit: Duration,
    runs: usize,
) -> Result<(), Failure> {
    println!(
        "Where emit's time goes ({version}; median of {runs} runs, ms): emit's own `syn::parse2` and `prettyplease::unparse` calls, re-timed per file on its output; the rest of emit builds the token streams and renders the templates.\n"
    );
    let mut table = Table::new(&["file", "lines>", "syn::parse2>", "prettyplease::unparse>"]);
    let (mut parse_sum, mut print_sum) = (Duration::ZERO, Duration::ZERO);
    for f in files {
        if f.path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let tokens: proc_macro2::TokenStream = f
            .contents
            .parse()
            .map_err(|e| super::fail(f.path.display(), e))?;
        let (mut parse, mut print) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            let t = Instant::now();
            let file: syn::File =
                syn::parse2(tokens.clone()).map_err(|e| super::fail(f.path.display(), e))?;
            parse.push(t.elapsed());
            let t = Instant::now();
            let text = prettyplease::unparse(&file);
            print.push(t.elapsed());
            drop(text);
        }
        let (parse, print) = (median(parse), median(print));
        parse_sum += parse;
        print_sum += print;
        table.row(vec![
            f.path.display().to_string(),
            f.contents.lines().count().to_string(),
            ms(parse),
            ms(print),
        ]);
    }
    let rest = emit.saturating_sub(parse_sum + print_sum);
    table.row(vec![
        "**all files**".into(),
        String::new(),
        ms(parse_sum),
        ms(print_sum),
    ]);
    table.print();
    let share = |d: Duration| 100.0 * d.as_secs_f64() / emit.as_secs_f64();
    println!(
        "- of emit's {} ms: syn::parse2 {} ms ({:.0}%), prettyplease {} ms ({:.0}%), building token streams and templates (the rest) {} ms ({:.0}%)\n",
        ms(emit),
        ms(parse_sum),
        share(parse_sum),
        ms(print_sum),
        share(print_sum),
        ms(rest),
        share(rest)
    );
    Ok(())
}

pub fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "MISSED"
    }
}

#[derive(Default)]
struct Timings {
    floor: Vec<Duration>,
    parse: Vec<Duration>,
    typing: Vec<Duration>,
    load: Vec<Duration>,
    norm: Vec<Duration>,
    emit: Vec<Duration>,
}
