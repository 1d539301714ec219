//! Part 3: what the generated crate costs its users to build. Lines per
//! file, and `cargo check` / `cargo build` (debug) of the crate alone: the
//! dependencies are built once first, then `src/lib.rs` is touched before
//! each timed run, with incremental compilation off so that the touch costs
//! what a regeneration would.

use super::generation::verdict;
use super::{cargo_in, generate_crate, median, run_bounded, Ctx, GenCrate, Table};
use crate::Failure;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// Targets set from the first measurement (BENCHMARKS.md): `cargo check`
/// of the crate alone per operation, and per type, for the largest version.
pub const CHECK_MS_PER_OP_TARGET: f64 = 80.0;
pub const CHECK_MS_PER_TYPE_TARGET: f64 = 30.0;
/// The area measured alone (issue 19 set it a share of the full build;
/// issue 35 retired that target for the ratio to its floor).
const ONE_AREA: &str = "conversations";
const LIMIT: Duration = Duration::from_secs(20 * 60);

pub fn run(ctx: &Ctx) -> Result<(), Failure> {
    println!("## 3. Build cost of the generated crate\n");
    let runs = if ctx.quick { 1 } else { 3 };
    let mut names = vec!["shipped".to_string()];
    if let Some((v, _)) = ctx.largest() {
        names.push(v.clone());
    }
    let mut table = Table::new(&[
        "crate (input)",
        "ops>",
        "types>",
        "models.rs>",
        "area modules>",
        "runtime/>",
        "lib.rs>",
        "tests/*.rs>",
        "total .rs>",
        "check (s)>",
        "build (s)>",
        "check ms/op>",
        "check ms/type>",
        "build ms/op>",
    ]);
    let mut verdicts = Vec::new();
    for name in &names {
        let krate = generate_crate(ctx, name)?;
        let target = ctx.dir.join("build-target").join(name);
        let (check, build) = match time_crate(ctx, &krate, &target, runs, &[])? {
            Ok(t) => t,
            Err(e) => {
                println!("- {name}: does not build: `{e}`");
                continue;
            }
        };
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let per_op = ms(check) / krate.operations.max(1) as f64;
        let per_type = ms(check) / krate.types.max(1) as f64;
        let lines = |f: &str| lines_of(&krate, |p| p == f);
        table.row(vec![
            format!("{} ({}, `{}`)", krate.name, krate.input, krate.package),
            krate.operations.to_string(),
            krate.types.to_string(),
            lines("src/models.rs").to_string(),
            lines_of(&krate, |p| {
                p.starts_with("src/")
                    && !p.starts_with("src/runtime/")
                    && !["src/models.rs", "src/lib.rs"].contains(&p)
            })
            .to_string(),
            lines_of(&krate, |p| p.starts_with("src/runtime/")).to_string(),
            lines("src/lib.rs").to_string(),
            lines_of(&krate, |p| p.starts_with("tests/")).to_string(),
            lines_of(&krate, |p| p.ends_with(".rs")).to_string(),
            format!("{:.1}", check.as_secs_f64()),
            format!("{:.1}", build.as_secs_f64()),
            format!("{per_op:.1}"),
            format!("{per_type:.1}"),
            format!("{:.1}", ms(build) / krate.operations.max(1) as f64),
        ]);
        if Some(name) == names.last() {
            verdicts.push(format!(
                "- target: `cargo check` per operation under {CHECK_MS_PER_OP_TARGET} ms ({name}): {} ({per_op:.1} ms)",
                verdict(per_op < CHECK_MS_PER_OP_TARGET)
            ));
            verdicts.push(format!(
                "- target: `cargo check` per type under {CHECK_MS_PER_TYPE_TARGET} ms ({name}): {} ({per_type:.1} ms)",
                verdict(per_type < CHECK_MS_PER_TYPE_TARGET)
            ));
            let features = ["--no-default-features", "--features", ONE_AREA];
            match time_crate(ctx, &krate, &target, runs, &features)? {
                Ok((one_check, one_build)) => {
                    verdicts.push(format!(
                        "- {name} with only the `{ONE_AREA}` feature: `cargo check` {:.1} s, `cargo build` {:.1} s ({:.0}% of every area's build)",
                        one_check.as_secs_f64(),
                        one_build.as_secs_f64(),
                        100.0 * one_build.as_secs_f64() / build.as_secs_f64()
                    ));
                    let (reached, all) = reach(&krate.dir.join("src/models.rs"), ONE_AREA)?;
                    verdicts.push(format!(
                        "- what `{ONE_AREA}` alone compiles of models.rs: {reached} of its {all} tokens ({:.0}%), the types it reaches; every area compiles the runtime and the crate's root",
                        100.0 * reached as f64 / all.max(1) as f64
                    ));
                }
                Err(e) => verdicts.push(format!(
                    "- {name} with only `{ONE_AREA}`: does not build: `{e}`"
                )),
            }
        }
    }
    // Issue 35: the crate against the floor of its own types.
    if let Some(name) = names.last() {
        let runs = runs.max(3);
        let krate = generate_crate(ctx, name)?;
        let floor_dir = ctx.dir.join("floor").join(name);
        super::floor::write(&krate.dir, &floor_dir).map_err(Failure::Failed)?;
        let all: &[&str] = &[];
        let one = ["--no-default-features", "--features", ONE_AREA];
        for (label, features) in [
            (name.to_string(), all),
            (format!("{name}, only `{ONE_AREA}`"), &one[..]),
        ] {
            for what in ["build", "check"] {
                match versus(ctx, &krate.dir, &floor_dir, what, features, runs)? {
                    Ok((a, b)) => {
                        let ratio = a.as_secs_f64() / b.as_secs_f64().max(1e-9);
                        verdicts.push(format!(
                            "- build vs floor ({label}, `cargo {what}`): {:.1} s / {:.1} s = {ratio:.2}x (target at most {FLOOR_RATIO_TARGET}x: {})",
                            a.as_secs_f64(),
                            b.as_secs_f64(),
                            verdict(ratio <= FLOOR_RATIO_TARGET)
                        ));
                    }
                    Err(e) => verdicts.push(format!(
                        "- build vs floor ({label}, `cargo {what}`): does not build: `{e}`"
                    )),
                }
            }
        }
        verdicts.push(format!(
            "- the floor: the crate's types with serde derives and attributes only, one decode or encode function per call (`xtask/src/bench/floor.rs`; BENCHMARKS.md); median of {runs} alternating runs each"
        ));
    }
    println!(
        "Debug profile, `--lib` (tests are counted in lines, not built), median of {runs} timed run(s) after `touch src/lib.rs`, \
         CARGO_INCREMENTAL=0, dependencies already built, each crate under target/bench/crates/ with its own target directory.\n"
    );
    table.print();
    for v in verdicts {
        println!("{v}");
    }
    println!();
    Ok(())
}

fn lines_of(krate: &GenCrate, pick: impl Fn(&str) -> bool) -> usize {
    krate
        .lines
        .iter()
        .filter(|(p, _)| pick(p) && p.ends_with(".rs"))
        .map(|(_, n)| n)
        .sum()
}

/// Median `cargo check --lib` and `cargo build --lib` times of the crate
/// alone, or the first error.
fn time_crate(
    ctx: &Ctx,
    krate: &GenCrate,
    target: &Path,
    runs: usize,
    features: &[&str],
) -> Result<Result<(Duration, Duration), String>, Failure> {
    let mut out = Vec::new();
    for what in ["check", "build"] {
        let args: Vec<&str> = [what, "--lib", "--quiet"]
            .iter()
            .chain(features)
            .copied()
            .collect();
        // Dependencies (and the crate) once, untimed.
        let mut warm = cargo_in(&krate.dir, target, &args);
        let o = run_bounded(
            ctx,
            &mut warm,
            &format!("{what}-{}-deps", krate.name),
            LIMIT,
        )?;
        if !o.ok() {
            return Ok(Err(o.first_error()));
        }
        let mut times = Vec::new();
        for i in 0..runs {
            touch(&krate.dir.join("src/lib.rs"))?;
            let mut cmd = cargo_in(&krate.dir, target, &args);
            let o = run_bounded(ctx, &mut cmd, &format!("{what}-{}-{i}", krate.name), LIMIT)?;
            if !o.ok() {
                return Ok(Err(o.first_error()));
            }
            times.push(o.elapsed);
        }
        out.push(median(times));
    }
    Ok(Ok((out[0], out[1])))
}

/// Issue 35: the crate builds in at most this many times its floor.
const FLOOR_RATIO_TARGET: f64 = 1.5;

/// `cargo <what> --lib` of the crate and of its floor, alternately, each
/// `runs` times after a touch (dependencies built first): the medians.
fn versus(
    ctx: &Ctx,
    krate: &Path,
    floor: &Path,
    what: &str,
    features: &[&str],
    runs: usize,
) -> Result<Result<(Duration, Duration), String>, Failure> {
    let args: Vec<&str> = [what, "--lib", "--quiet"]
        .iter()
        .chain(features)
        .copied()
        .collect();
    let sides = [
        (krate, ctx.dir.join("build-target/versus-crate")),
        (floor, ctx.dir.join("build-target/versus-floor")),
    ];
    for (dir, target) in &sides {
        let mut warm = cargo_in(dir, target, &args);
        let o = run_bounded(ctx, &mut warm, &format!("{what}-versus-deps"), LIMIT)?;
        if !o.ok() {
            return Ok(Err(o.first_error()));
        }
    }
    let mut times = [Vec::new(), Vec::new()];
    for i in 0..runs {
        for (side, (dir, target)) in sides.iter().enumerate() {
            touch(&dir.join("src/lib.rs"))?;
            let mut cmd = cargo_in(dir, target, &args);
            let o = run_bounded(ctx, &mut cmd, &format!("{what}-versus-{side}-{i}"), LIMIT)?;
            if !o.ok() {
                return Ok(Err(o.first_error()));
            }
            times[side].push(o.elapsed);
        }
    }
    let [a, b] = times;
    Ok(Ok((median(a), median(b))))
}

fn touch(path: &Path) -> Result<(), Failure> {
    std::fs::File::options()
        .append(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| super::fail(path.display(), e))
}

/// How many tokens of the items of `models` a build with only `feature`
/// (no default features) compiles, and how many it has: what one area
/// reaches, read from the `#[cfg]` of each item.
fn reach(models: &Path, feature: &str) -> Result<(usize, usize), Failure> {
    let text = std::fs::read_to_string(models).map_err(|e| super::fail(models.display(), e))?;
    let file = syn::parse_file(&text).map_err(|e| super::fail(models.display(), e))?;
    let (mut reached, mut all) = (0, 0);
    for item in &file.items {
        let tokens = count_tokens(quote::ToTokens::to_token_stream(item));
        all += tokens;
        let attrs: &[syn::Attribute] = match item {
            syn::Item::Struct(i) => &i.attrs,
            syn::Item::Enum(i) => &i.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Macro(i) => &i.attrs,
            syn::Item::Use(i) => &i.attrs,
            syn::Item::Fn(i) => &i.attrs,
            syn::Item::Type(i) => &i.attrs,
            syn::Item::Const(i) => &i.attrs,
            _ => &[],
        };
        let compiled = attrs
            .iter()
            .filter(|a| a.path().is_ident("cfg"))
            .all(|a| match &a.meta {
                syn::Meta::List(list) => {
                    codegen::runtime::holds(&list.tokens.to_string(), &[feature]).unwrap_or(false)
                }
                _ => false,
            });
        if compiled {
            reached += tokens;
        }
    }
    Ok((reached, all))
}

fn count_tokens(tokens: proc_macro2::TokenStream) -> usize {
    tokens
        .into_iter()
        .map(|t| match t {
            proc_macro2::TokenTree::Group(g) => 2 + count_tokens(g.stream()),
            _ => 1,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_counts_where_its_cfg_holds_for_the_one_feature() {
        let dir = std::env::temp_dir().join(format!("reach-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let models = dir.join("models.rs");
        std::fs::write(
            &models,
            "pub struct Always;\n\
             #[cfg(feature = \"tags\")] pub struct Tags;\n\
             #[cfg(any(feature = \"tags\", feature = \"conversations\"))] pub struct Both;\n\
             #[cfg(all(feature = \"conversations\", not(feature = \"tags\")))] pub struct Only;\n\
             #[cfg(feature = \"full\")] pub struct Full;\n",
        )
        .unwrap();
        let Ok((reached, all)) = reach(&models, "conversations") else {
            panic!("{} does not parse", models.display());
        };
        std::fs::remove_dir_all(&dir).unwrap();
        // `pub struct X;` is 4 tokens; an attribute `#[cfg(…)]` adds its own.
        let always = 4;
        let both = count_tokens(
            "#[cfg(any(feature = \"tags\", feature = \"conversations\"))] pub struct Both;"
                .parse()
                .unwrap(),
        );
        let only = count_tokens(
            "#[cfg(all(feature = \"conversations\", not(feature = \"tags\")))] pub struct Only;"
                .parse()
                .unwrap(),
        );
        assert_eq!(reached, always + both + only);
        assert!(all > reached);
    }
}
