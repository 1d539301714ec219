//! Part 1: generation time per corpus version, by stage (median of several
//! runs, in process), against the floor of merely parsing the same YAML
//! with serde_yaml.
//!
//! `load` is `codegen::load::load_bytes`: one pass from the text to
//! `openapiv3` for a valid document (the slower two-step path through an
//! untyped tree is only taken to locate an error). `surface` is
//! `Surface::build`, the Rust names and signatures.

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
         floor = `serde_yaml::from_str::<serde_yaml::Value>` of the same text; load = `codegen::load::load_bytes`; emit formats on two threads and reads the record of the crate's public API from the trees it prints; record = `codegen::record::record` of what it read (api-surface.txt); total = load + normalize + surface + emit + record, what `regen` does before writing. The floor and the generator run with the same allocator, xtask's (mimalloc).\n"
    );
    let mut table = Table::new(&[
        "version",
        "size KiB>",
        "ops>",
        "types>",
        "floor>",
        "load>",
        "normalize>",
        "surface>",
        "emit>",
        "record>",
        "total>",
        "total/floor>",
        "emit/total>",
    ]);
    let options = Options {
        crate_name: "intercom-api".into(),
        crate_version: "0.1.0".into(),
        source_name: "bench".into(),
        package: Default::default(),
        regen: None,
    };
    let mut ratios = Vec::new();
    // The last (largest) version's medians: (version, floor, emit, total).
    let mut last: Option<(String, Duration, Duration, Duration)> = None;
    let mut largest_files = Vec::new();
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
            let loaded = codegen::load::load_bytes(spec, &bytes)?;
            t.load.push(start.elapsed());
            let start = Instant::now();
            let api = codegen::normalize::normalize(&loaded)?;
            t.norm.push(start.elapsed());
            let start = Instant::now();
            let surface = codegen::surface::Surface::build(&api, spec);
            t.surface.push(start.elapsed());
            let start = Instant::now();
            let emitted = codegen::emit::emit(&api, &surface, &options, codegen::record::part)?;
            t.emit.push(start.elapsed());
            let start = Instant::now();
            let parts: Vec<_> = emitted.read.into_iter().flatten().collect();
            std::hint::black_box(codegen::record::record(&parts));
            t.record.push(start.elapsed());
            let files = emitted.files;
            counts = (api.operations.len(), api.types.len());
            largest_files = files;
        }
        let total: Vec<Duration> = (0..runs)
            .map(|i| t.load[i] + t.norm[i] + t.surface[i] + t.emit[i] + t.record[i])
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
            ms(median(t.load)),
            ms(median(t.norm)),
            ms(median(t.surface)),
            ms(emit),
            ms(median(t.record)),
            ms(total),
            format!("{ratio:.2}x"),
            format!("{:.0}%", 100.0 * emit.as_secs_f64() / total.as_secs_f64()),
        ]);
        last = Some((version.clone(), floor, emit, total));
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
    if let Some((version, _, _, total)) = &last {
        println!(
            "- target: the largest version ({version}) under {} ms: {} ({} ms)",
            TOTAL_TARGET.as_millis(),
            verdict(*total < TOTAL_TARGET),
            ms(*total)
        );
    }
    println!();
    if let (Some((version, spec)), Some((_, floor, emit, total))) = (ctx.largest(), last) {
        let print = emit_breakdown(version, &largest_files, emit, runs)?;
        bound(floor, total.saturating_sub(emit), emit, print);
        load_breakdown(version, spec, runs)?;
    }
    Ok(())
}

/// The one-pass load against the two-step path that errors take (the text
/// to an untyped tree, then the tree to `openapiv3`).
fn load_breakdown(version: &str, spec: &std::path::Path, runs: usize) -> Result<(), Failure> {
    let bytes = std::fs::read(spec).map_err(|e| super::fail(spec.display(), e))?;
    let (mut one, mut two) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let t = Instant::now();
        drop(codegen::load::load_bytes(spec, &bytes)?);
        one.push(t.elapsed());
        let t = Instant::now();
        let value = codegen::load::parse_value(spec, &bytes)?;
        drop(codegen::load::from_value(spec, value)?);
        two.push(t.elapsed());
    }
    println!(
        "- load ({version}): {} ms in one pass; the two-step path (through an untyped tree, taken only to locate an error) takes {} ms\n",
        ms(median(one)),
        ms(median(two))
    );
    Ok(())
}

/// Where emit's time goes, per file: emit builds each Rust file as a token
/// stream, parses it into a `syn::File` (`syn::parse2`) and prints that with
/// prettyplease. Here each emitted file is lexed back into a token stream
/// (untimed), then `syn::parse2` and `prettyplease::unparse` are timed on
/// it: the calls emit makes (models.rs is parsed a type at a time, which
/// costs about what parsing the whole file does). Returns the time prettyplease takes to print every file, on
/// one thread.
fn emit_breakdown(
    version: &str,
    files: &[codegen::emit::GeneratedFile],
    emit: Duration,
    runs: usize,
) -> Result<Duration, Failure> {
    println!(
        "Where emit's time goes ({version}; median of {runs} runs, ms): `syn::parse2` and `prettyplease::unparse` timed per file on emit's output, on one thread. Emit writes every file as tokens, parses them with syn (models.rs a type at a time) and prints them with prettyplease. It spreads the files over two threads (models.rs in three parts), so its wall time is less than the sum. The runtime's modules are written as they are, and parsed only to be read for the record.\n"
    );
    let mut table = Table::new(&["file", "lines>", "syn::parse2>", "prettyplease::unparse>"]);
    let (mut parse_sum, mut print_sum) = (Duration::ZERO, Duration::ZERO);
    for f in files {
        if f.path.extension().is_none_or(|e| e != "rs") || f.path.starts_with("src/runtime") {
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
    table.row(vec![
        "**all files**".into(),
        String::new(),
        ms(parse_sum),
        ms(print_sum),
    ]);
    table.print();
    println!(
        "- emit: {} ms wall; the calls above add up to {} ms on one thread (syn::parse2 {} ms, prettyplease {} ms), before building the token streams and rendering the templates\n",
        ms(emit),
        ms(parse_sum + print_sum),
        ms(parse_sum),
        ms(print_sum)
    );
    Ok(print_sum)
}

/// How close to the 3x target any emit that prints its files with
/// prettyplease on two threads can come: what precedes and follows emit
/// (load, normalize, surface, the record's assembly) plus half of the
/// printing, against the floor; and what the target leaves for the rest of
/// emit's work, against what that rest takes now.
fn bound(floor: Duration, around: Duration, emit: Duration, print: Duration) {
    if floor.is_zero() {
        return;
    }
    let least = around + print / 2;
    let allowed = floor.mul_f64(RATIO_TARGET);
    let left = allowed.saturating_sub(least);
    let rest = emit.saturating_sub(print / 2);
    println!(
        "- bound: load, normalize, surface and the record's assembly ({} ms) and printing on two threads ({} ms) come to {} ms, {:.2}x the floor; {RATIO_TARGET}x ({} ms) leaves {} ms of wall time for all else emit does (building the trees, parsing the token streams, the runtime's modules, the templates, reading the record), which takes {} ms now ({:.1}x too long)\n",
        ms(around),
        ms(print / 2),
        ms(least),
        least.as_secs_f64() / floor.as_secs_f64(),
        ms(allowed),
        ms(left),
        ms(rest),
        rest.as_secs_f64() / left.as_secs_f64().max(1e-9),
    );
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
    load: Vec<Duration>,
    norm: Vec<Duration>,
    surface: Vec<Duration>,
    emit: Vec<Duration>,
    record: Vec<Duration>,
}
