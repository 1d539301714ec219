//! Part 4: how fast the generated types read a large realistic response.
//!
//! The input is a `GET /conversations` page of 150 items made from the
//! largest corpus version's own examples (the 200 examples of the
//! operations that return a `conversation_list`, their items replicated and
//! varied). A small program, generated under `target/bench/reading/` and
//! built in release, deserializes it into:
//! - `serde::de::IgnoredAny`: the floor, JSON syntax only;
//! - `serde_json::Value`: the untyped alternative, and the target;
//! - the generated `ConversationList`;
//! - openapi-generator's `ConversationList`, when its crate compiles.
//!
//! The generated crate is used through an unmodified copy under
//! `target/bench/crates/<v>-reading`, so that part 3's touches do not force
//! a release rebuild here.
//!
//! The program prints tab-separated figures that this module parses.

use super::generation::verdict;
use super::{cargo_in, fail, generate_crate, run_bounded, Ctx, Table};
use crate::Failure;
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const ITEMS: usize = 150;
const LIMIT: Duration = Duration::from_secs(30 * 60);

pub fn run(ctx: &Ctx, oag: Option<&Path>) -> Result<(), Failure> {
    println!("## 4. Reading\n");
    let Some((version, spec)) = ctx.largest().cloned() else {
        println!("no corpus version; skipped\n");
        return Ok(());
    };
    let krate = generate_crate(ctx, &version)?;
    let shipped_copy = ctx.dir.join("crates").join(format!("{version}-reading"));
    copy_crate(&krate.dir, &shipped_copy)?;

    let dir = ctx.dir.join("reading");
    std::fs::create_dir_all(dir.join("src")).map_err(|e| fail(dir.display(), e))?;
    let input = build_input(&spec)?;
    let input_path = dir.join("conversations.json");
    let bytes = serde_json::to_vec(&input).map_err(|e| fail("input", e))?;
    write_if_changed(&input_path, &bytes)?;
    write_if_changed(
        &dir.join("Cargo.toml"),
        manifest(&krate.package, &version, oag).as_bytes(),
    )?;
    write_if_changed(&dir.join("src/main.rs"), program(oag.is_some()).as_bytes())?;
    if !dir.join("Cargo.lock").is_file() {
        std::fs::copy(ctx.root.join("Cargo.lock"), dir.join("Cargo.lock"))
            .map_err(|e| fail("Cargo.lock", e))?;
    }

    let target = ctx.dir.join("reading-target");
    println!("reading: building the reading program in release (target/bench/reading)…");
    let mut build = cargo_in(&dir, &target, &["build", "--release", "--quiet"]);
    let o = run_bounded(ctx, &mut build, "reading-build", LIMIT)?;
    if !o.ok() {
        println!(
            "reading: the program does not build: `{}`\n",
            o.first_error()
        );
        return Ok(());
    }
    let iters = if ctx.quick { 50 } else { 300 };
    let mut cmd = Command::new(target.join("release/bench-reading"));
    cmd.arg(&input_path).arg(iters.to_string());
    let o = run_bounded(ctx, &mut cmd, "reading-run", LIMIT)?;
    if !o.ok() {
        println!("reading: the program failed: `{}`\n", o.first_error());
        return Ok(());
    }
    let results = parse_results(&o.log);
    let value = results
        .iter()
        .find(|r| r.name == "serde_json::Value")
        .map(|r| r.mb_s)
        .unwrap_or(f64::NAN);
    println!(
        "Input: `GET /conversations` page of {ITEMS} items ({:.0} KiB) made from corpus {version}'s own `conversation_list` examples, items replicated and varied \
         (ids, timestamps, state, titles, bodies). `serde_json::from_slice` into each type, release, median of {iters} runs (interleaved).\n",
        bytes.len() as f64 / 1024.0
    );
    let mut table = Table::new(&[
        "reading into",
        "MB/s>",
        "median ms>",
        "vs serde_json::Value>",
    ]);
    for r in &results {
        table.row(vec![
            r.label.clone(),
            format!("{:.0}", r.mb_s),
            format!("{:.3}", r.median_ms),
            format!("{:.2}x", r.mb_s / value),
        ]);
    }
    table.print();
    for line in o.log.lines().filter(|l| l.starts_with("note\t")) {
        println!("- {}", &line[5..]);
    }
    if let Some(ours) = results.iter().find(|r| r.name == "generated") {
        let ratio = ours.mb_s / value;
        let mut line = format!(
            "- target: the generated types at least as fast as serde_json::Value: {} ({:.2}x",
            verdict(ratio >= 1.0),
            ratio
        );
        if ratio < 1.0 {
            line.push_str(&format!(", {:.0}% slower", 100.0 * (1.0 - ratio)));
        }
        line.push(')');
        println!("{line}");
    }
    println!();
    Ok(())
}

struct Figure {
    name: String,
    label: String,
    median_ms: f64,
    mb_s: f64,
}

/// `result<TAB>name<TAB>label<TAB>median ns<TAB>MB/s` lines.
fn parse_results(log: &str) -> Vec<Figure> {
    log.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            match f.as_slice() {
                ["result", name, label, ns, mbs] => Some(Figure {
                    name: name.to_string(),
                    label: label.to_string(),
                    median_ms: ns.parse::<f64>().ok()? / 1e6,
                    mb_s: mbs.parse().ok()?,
                }),
                _ => None,
            }
        })
        .collect()
}

/// A page of [`ITEMS`] conversations from the spec's own list examples.
pub fn build_input(spec: &Path) -> Result<Value, Failure> {
    let text = std::fs::read_to_string(spec).map_err(|e| fail(spec.display(), e))?;
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(&text).map_err(|e| fail(spec.display(), e))?;
    let doc: Value = serde_json::to_value(&yaml).map_err(|e| fail(spec.display(), e))?;
    let mut page = None;
    let mut templates = Vec::new();
    for item in doc["paths"]
        .as_object()
        .into_iter()
        .flat_map(|p| p.values())
    {
        for op in item.as_object().into_iter().flat_map(|o| o.values()) {
            let media = &op["responses"]["200"]["content"]["application/json"];
            if media["schema"]["$ref"] != "#/components/schemas/conversation_list" {
                continue;
            }
            for example in media["examples"]
                .as_object()
                .into_iter()
                .flat_map(|e| e.values())
            {
                let value = &example["value"];
                if let Some(items) = value["conversations"].as_array() {
                    templates.extend(items.iter().cloned());
                    page.get_or_insert_with(|| value.clone());
                }
            }
        }
    }
    let (Some(mut page), false) = (page, templates.is_empty()) else {
        return Err(Failure::Failed(format!(
            "error: {}: no conversation_list example with conversations",
            spec.display()
        )));
    };
    let items: Vec<Value> = (0..ITEMS)
        .map(|i| vary(&templates[i % templates.len()], i))
        .collect();
    page["conversations"] = Value::Array(items);
    if page.get("total_count").is_some() {
        page["total_count"] = json!(ITEMS * 7);
    }
    if page["pages"].is_object() {
        page["pages"]["per_page"] = json!(ITEMS);
        page["pages"]["total_pages"] = json!(7);
    }
    Ok(page)
}

/// Item `i`: the template with its ids, times, state and texts varied.
/// Only keys the template has are set, so no unknown field is added.
fn vary(template: &Value, i: usize) -> Value {
    let mut c = template.clone();
    let set = |v: &mut Value, key: &str, new: Value| {
        if let Some(slot) = v.get_mut(key) {
            *slot = new;
        }
    };
    let created = 1_734_000_000 + (i as i64) * 613;
    set(&mut c, "id", json!((5000 + i).to_string()));
    set(&mut c, "created_at", json!(created));
    set(&mut c, "updated_at", json!(created + 3600));
    set(
        &mut c,
        "title",
        json!(format!("Question {i} about invoice #{}", 40_000 + i)),
    );
    let state = ["open", "closed", "snoozed"][i % 3];
    set(&mut c, "state", json!(state));
    set(&mut c, "open", json!(state == "open"));
    set(&mut c, "read", json!(i.is_multiple_of(2)));
    set(
        &mut c,
        "snoozed_until",
        if state == "snoozed" {
            json!(created + 86_400)
        } else {
            Value::Null
        },
    );
    set(
        &mut c,
        "waiting_since",
        if state == "open" {
            json!(created + 60)
        } else {
            Value::Null
        },
    );
    if let Some(source) = c.get_mut("source") {
        set(source, "id", json!((403_918_000 + i).to_string()));
        set(source, "subject", json!(format!("Order {}", 70_000 + i)));
        let sentence =
            "Hi, I was charged twice for my subscription this month and would like a refund. ";
        set(
            source,
            "body",
            json!(format!("<p>{}</p>", sentence.repeat(1 + i % 6))),
        );
        if let Some(author) = source.get_mut("author") {
            set(author, "id", json!((991_267_000 + i).to_string()));
            set(author, "name", json!(format!("Agent {}", i % 17)));
            set(
                author,
                "email",
                json!(format!("agent{}@example.com", i % 17)),
            );
        }
    }
    if let Some(list) = c
        .get_mut("contacts")
        .and_then(|c| c.get_mut("contacts"))
        .and_then(Value::as_array_mut)
    {
        for contact in list {
            set(contact, "id", json!(format!("6762f0f31bb69f9f{:08x}", i)));
            set(contact, "external_id", json!((100 + i).to_string()));
        }
    }
    c
}

fn manifest(package: &str, version: &str, oag: Option<&Path>) -> String {
    let mut m = format!(
        "# Generated by `cargo xtask bench` (part 4). Reads target/bench/reading/conversations.json.\n\
[package]\nname = \"bench-reading\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
[workspace]\n\n\
[dependencies]\n\
generated = {{ package = \"{package}\", path = \"../crates/{version}-reading\" }}\n\
serde = \"1\"\nserde_json = \"1\"\n"
    );
    if let Some(p) = oag {
        m.push_str(&format!(
            "oag = {{ package = \"openapi\", path = \"{}\" }}\n",
            p.display()
        ));
    }
    m.push_str("\n[profile.release]\ndebug = \"line-tables-only\"\n");
    m
}

/// The reading program's source.
fn program(with_oag: bool) -> String {
    let oag_check = if with_oag {
        "    check::<oag::models::ConversationList>(\"oag\", &input);\n"
    } else {
        ""
    };
    let oag_case = if with_oag {
        "        (\"oag\", \"openapi-generator ConversationList\", &|b: &[u8]| { black_box(serde_json::from_slice::<oag::models::ConversationList>(b).unwrap()); }),\n"
    } else {
        ""
    };
    format!(
        r#"// Generated by `cargo xtask bench` (part 4); rewritten on every run.
use std::hint::black_box;
use std::time::{{Duration, Instant}};

type Case<'a> = (&'a str, &'a str, &'a dyn Fn(&[u8]));

/// Reads `input` into T, reports failure, and returns what T keeps (re-serialized).
fn check<T: serde::de::DeserializeOwned + serde::Serialize>(name: &str, input: &[u8]) -> serde_json::Value {{
    match serde_json::from_slice::<T>(input) {{
        Ok(v) => serde_json::to_value(&v).expect("serialize"),
        Err(e) => {{
            println!("error\t{{name}}\t{{e}}");
            std::process::exit(1);
        }}
    }}
}}

fn strip_nulls(v: serde_json::Value) -> serde_json::Value {{
    match v {{
        serde_json::Value::Object(m) => m.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, strip_nulls(v))).collect(),
        serde_json::Value::Array(a) => a.into_iter().map(strip_nulls).collect(),
        other => other,
    }}
}}

fn main() {{
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: bench-reading INPUT [ITERATIONS]");
    let iters: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(100);
    let input = std::fs::read(&path).expect("read the input");
    let original: serde_json::Value = serde_json::from_slice(&input).expect("input is JSON");
    let kept = check::<generated::models::ConversationList>("generated", &input);
    let typed: generated::models::ConversationList = serde_json::from_slice(&input).unwrap();
    let items = typed.conversations.as_ref().map_or(0, |c| c.len());
    let unknown: usize = typed.conversations.iter().flatten().map(|c| c.additional_properties.len()).sum();
    println!("note\tthe generated types read all {{items}} items; {{unknown}} item-level field(s) were unknown to them and kept in additional_properties; written back it equals the input (explicit null = absent): {{}}", strip_nulls(kept) == strip_nulls(original));
    // The same page drifted: every item's `id` a number where a string is declared.
    let mut drifted_value: serde_json::Value = serde_json::from_slice(&input).expect("input is JSON");
    for (i, item) in drifted_value["conversations"].as_array_mut().into_iter().flatten().enumerate() {{
        item["id"] = serde_json::Value::from(1_000_000 + i as u64);
    }}
    let drifted = serde_json::to_vec(&drifted_value).unwrap();
    let corrected = generated::from_json::<generated::models::ConversationList>(&drifted, false).expect("the drifted page reads");
    println!("note\tthe drifted page reads with {{}} correction(s)", corrected.corrections.len());
{oag_check}
    // It reads its own input (the drifted page), not the one passed.
    let read_drifted = |_: &[u8]| {{ black_box(generated::from_json::<generated::models::ConversationList>(&drifted, false).unwrap()); }};
    let cases: Vec<Case> = vec![
        ("ignored", "serde::de::IgnoredAny (floor: JSON syntax only)", &|b: &[u8]| {{ black_box(serde_json::from_slice::<serde::de::IgnoredAny>(b).unwrap()); }}),
        ("serde_json::Value", "serde_json::Value", &|b: &[u8]| {{ black_box(serde_json::from_slice::<serde_json::Value>(b).unwrap()); }}),
        ("generated", "generated ConversationList (as shipped)", &|b: &[u8]| {{ black_box(serde_json::from_slice::<generated::models::ConversationList>(b).unwrap()); }}),
        ("client", "generated ConversationList, as the client reads it (`from_json`)", &|b: &[u8]| {{ black_box(generated::from_json::<generated::models::ConversationList>(b, false).unwrap()); }}),
        ("drifted", "the same, each item's `id` an integer (150 corrections)", &read_drifted),
{oag_case}    ];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); cases.len()];
    for round in 0..iters + 5 {{
        for (i, (_, _, f)) in cases.iter().enumerate() {{
            let t = Instant::now();
            f(black_box(&input));
            if round >= 5 {{
                times[i].push(t.elapsed());
            }}
        }}
    }}
    for (i, (name, label, _)) in cases.iter().enumerate() {{
        times[i].sort();
        let median = times[i][times[i].len() / 2];
        let mb_s = input.len() as f64 / 1e6 / median.as_secs_f64();
        println!("result\t{{name}}\t{{label}}\t{{}}\t{{mb_s:.1}}", median.as_nanos());
    }}
}}
"#
    )
}

/// Copy the generated crate's manifest, sources and examples to `to`,
/// writing only what changed (so part 3's touches do not force a rebuild
/// here).
fn copy_crate(from: &Path, to: &Path) -> Result<(), Failure> {
    std::fs::create_dir_all(to).map_err(|e| fail(to.display(), e))?;
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| fail(p.display(), e));
    let manifest = read(&from.join("Cargo.toml"))?;
    write_if_changed(&to.join("Cargo.toml"), manifest.as_bytes())?;
    // `src/` holds folders too (`src/runtime/`); the manifest names the
    // examples.
    let mut folders: Vec<std::path::PathBuf> = ["src", "examples"]
        .into_iter()
        .map(std::path::PathBuf::from)
        .filter(|f| from.join(f).is_dir())
        .collect();
    while let Some(folder) = folders.pop() {
        std::fs::create_dir_all(to.join(&folder)).map_err(|e| fail(to.display(), e))?;
        let entries = std::fs::read_dir(from.join(&folder)).map_err(|e| fail(from.display(), e))?;
        for entry in entries {
            let path = entry.map_err(|e| fail(from.display(), e))?.path();
            let Some(name) = path.file_name() else {
                continue;
            };
            let relative = folder.join(name);
            if path.is_dir() {
                folders.push(relative);
                continue;
            }
            let text = read(&path)?;
            write_if_changed(&to.join(&relative), text.as_bytes())?;
        }
    }
    Ok(())
}

/// Write only when the contents differ, so cargo does not rebuild for nothing.
fn write_if_changed(path: &Path, contents: &[u8]) -> Result<(), Failure> {
    if std::fs::read(path).is_ok_and(|old| old == contents) {
        return Ok(());
    }
    std::fs::write(path, contents).map_err(|e| fail(path.display(), e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_result_lines() {
        let r = parse_results("note\tx\nresult\tgenerated\tlabel\t2000000\t150.5\n");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].name, "generated");
        assert!((r[0].median_ms - 2.0).abs() < 1e-9);
        assert!((r[0].mb_s - 150.5).abs() < 1e-9);
    }

    #[test]
    fn varies_only_existing_keys() {
        let t = json!({"id": "1", "created_at": 1, "source": {"body": "x"}});
        let v = vary(&t, 3);
        assert_eq!(v["id"], "5003");
        assert!(v.get("title").is_none());
        assert!(v["source"]["body"].as_str().is_some_and(|b| b.len() > 10));
    }
}
