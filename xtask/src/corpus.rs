//! `cargo xtask corpus`: every published Intercom description generates a
//! crate that builds with `-D warnings` and has all of its operations.
//!
//! The corpus is read from `../shared/intercom-openapi/<version>/` and never
//! copied into the project; the crates go to `target/corpus/<version>/`.

use crate::cli::CorpusArgs;
use crate::crates::{
    build_crate, doc_tests, mock_tally, test_tally, write_standalone, Tally, TestRun,
};
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
    let doc = raw(spec)?;
    Ok(paths(&doc)?
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
            one(&root, &version, &spec, &target_dir, !args.no_build),
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

/// A spec as raw YAML, read independently of the generator.
fn raw(spec: &Path) -> Result<serde_yaml::Value, String> {
    let text = std::fs::read_to_string(spec).map_err(|e| e.to_string())?;
    serde_yaml::from_str(&text).map_err(|e| e.to_string())
}

/// The `paths` of a raw spec.
fn paths(doc: &serde_yaml::Value) -> Result<&serde_yaml::Mapping, String> {
    doc.get("paths")
        .and_then(|p| p.as_mapping())
        .ok_or_else(|| "no paths".to_string())
}

/// The corpus versions a command checks: the newest, or those `only` names.
pub fn chosen(dir: &Path, only: Option<&[String]>) -> Vec<(String, PathBuf)> {
    let all = versions(dir);
    let newest = all.last().map(|(v, _)| v.clone());
    all.into_iter()
        .filter(|(version, _)| match only {
            Some(o) => o.contains(version),
            None => Some(version) == newest.as_ref(),
        })
        .collect()
}

/// List operations in a spec (`GET /contacts`), found in the raw YAML
/// (independently of the generator): a success response whose JSON schema
/// (through `$ref`s and `allOf`) has a `pages` or `scroll_param` property.
pub fn lists(spec: &Path) -> Result<Vec<String>, String> {
    let doc = raw(spec)?;
    let paths = paths(&doc)?;
    let mut lists = Vec::new();
    for (path, item) in paths
        .iter()
        .filter_map(|(p, i)| Some((p.as_str()?, i.as_mapping()?)))
    {
        for (method, op) in item {
            let Some(method) = method.as_str().filter(|m| METHODS.contains(m)) else {
                continue;
            };
            let responses = op.get("responses").and_then(|r| r.as_mapping());
            let list = responses.into_iter().flatten().any(|(status, response)| {
                let code = match status {
                    serde_yaml::Value::Number(n) => n.to_string(),
                    other => other.as_str().unwrap_or_default().to_string(),
                };
                code.starts_with('2')
                    && resolve(&doc, response)
                        .get("content")
                        .and_then(|c| c.get("application/json"))
                        .and_then(|m| m.get("schema"))
                        .is_some_and(|schema| marked(&doc, schema, 0))
            });
            if list {
                lists.push(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    Ok(lists)
}

/// Query searches in a spec (`POST /contacts/search`), found in the raw
/// YAML (independently of the generator): a `POST` whose path ends with
/// `/search` and whose JSON body's schema has a `query` property.
pub fn query_searches(spec: &Path) -> Result<Vec<String>, String> {
    let doc = raw(spec)?;
    let paths = paths(&doc)?;
    let mut found = Vec::new();
    for (path, item) in paths
        .iter()
        .filter_map(|(p, i)| Some((p.as_str()?, i.as_mapping()?)))
    {
        if !path.trim_end_matches('/').ends_with("/search") {
            continue;
        }
        let Some(op) = item.get("post") else { continue };
        let query = op
            .get("requestBody")
            .map(|b| resolve(&doc, b))
            .and_then(|b| b.get("content"))
            .and_then(|c| c.get("application/json"))
            .and_then(|m| m.get("schema"))
            .map(|s| resolve(&doc, s))
            .and_then(|s| s.get("properties"))
            .is_some_and(|p| p.get("query").is_some());
        if query {
            found.push(format!("POST {path}"));
        }
    }
    Ok(found)
}

/// `value`, through its `$ref`s to `#/components/<kind>/<name>` (as far as they resolve).
fn resolve<'a>(
    doc: &'a serde_yaml::Value,
    mut value: &'a serde_yaml::Value,
) -> &'a serde_yaml::Value {
    for _ in 0..16 {
        let Some(target) = value.get("$ref").and_then(|r| r.as_str()) else {
            break;
        };
        let mut parts = target.trim_start_matches("#/").split('/');
        let found = parts.try_fold(doc, |node, key| node.get(key));
        match found {
            Some(next) => value = next,
            None => break,
        }
    }
    value
}

/// Whether a schema (through `$ref`s and `allOf`) has a `pages` or `scroll_param` property.
fn marked(doc: &serde_yaml::Value, schema: &serde_yaml::Value, depth: usize) -> bool {
    let schema = resolve(doc, schema);
    let props = schema.get("properties");
    let has = |k: &str| props.and_then(|p| p.get(k)).is_some();
    depth < 8
        && (has("pages")
            || has("scroll_param")
            || schema
                .get("allOf")
                .and_then(|a| a.as_sequence())
                .is_some_and(|all| all.iter().any(|m| marked(doc, m, depth + 1))))
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
    // Every list the response shapes show has `pages()` (and the walk may
    // find more: a `pages` seen only in the examples).
    let lists = lists(spec)?;
    let paged: Vec<String> = generated
        .surface
        .ops(&generated.api)
        .filter(|(_, s)| s.paging.is_some())
        .map(|(op, _)| format!("{} {}", op.method.as_str(), op.path))
        .collect();
    let missing: Vec<&String> = lists.iter().filter(|l| !paged.contains(l)).collect();
    let undeclared: usize = generated
        .surface
        .operations
        .iter()
        .filter_map(|o| o.paging.as_ref())
        .map(|p| p.undeclared().count())
        .sum();
    let paginated = format!(
        "paginated: {} of {} lists",
        lists.len() - missing.len(),
        lists.len()
    );
    // Each name that had to step aside for another spec item's is numbered
    // (`TicketType2`) and a warning; a union's alternative named by its
    // position (`Option4`) is numbered too. Neither may ship.
    let naming_warnings = generated.surface.warnings.len();
    let positional: Vec<&str> = generated
        .surface
        .types
        .iter()
        .map(|t| t.name.as_str())
        .filter(|n| is_positional(n))
        .collect();
    let numbered = naming_warnings + positional.len();
    if !missing.is_empty() {
        return Err(format!("{paginated}; no pages() for {missing:?}"));
    }
    if numbered > 0 {
        let taken: Vec<String> = generated
            .surface
            .warnings
            .iter()
            .map(|w| w.to_string())
            .collect();
        return Err(format!(
            "{numbered} numbered names ({naming_warnings} naming warnings: {taken:?}; named by position: {positional:?})"
        ));
    }
    // The names a new user trips on (issue 33): none may ship.
    let traps = codegen::surface::traps::traps(&generated.api, &generated.surface);
    if traps.count() > 0 {
        return Err(format!("{} naming traps: {traps:?}", traps.count()));
    }
    // Every query search has its typed module, with the fields of its table.
    let searches = query_searches(spec)?;
    let mut typed: Vec<(String, &str, usize)> = Vec::new();
    for (op, s) in generated.surface.ops(&generated.api) {
        if let (Some(search), Some(_)) = (&op.search, &s.search) {
            let area = generated.surface.areas[s.area].module.as_str();
            typed.push((format!("POST {}", op.path), area, search.fields.len()));
        }
    }
    let untyped: Vec<&String> = searches
        .iter()
        .filter(|s| !typed.iter().any(|(p, _, fields)| p == *s && *fields > 0))
        .collect();
    if !untyped.is_empty() {
        return Err(format!(
            "query searches without a typed module (or whose tables were not read): {untyped:?}"
        ));
    }
    let areas: std::collections::BTreeSet<&str> = typed.iter().map(|(_, a, _)| *a).collect();
    let searchable = format!(
        "searchable: {} fields in {} areas",
        typed.iter().map(|(_, _, n)| n).sum::<usize>(),
        areas.len()
    );
    let mut line = format!(
        "{in_spec} operations (all emitted), {paginated} ({} paged in all; {undeclared} continuations the description does not declare), {searchable}, {numbered} numbered names, {naming_warnings} naming warnings, 0 naming traps (bodies by another name, bare-word types, builders not after their method, second verbs), {} types, {} warnings, {} overrides, {} example mismatches resolved, generated in {:.0} ms",
        paged.len(),
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
        let docs = doc_tests(&out, target_dir)?;
        line.push_str(&format!("; {docs}"));
        let examples = test_tally(&TestRun {
            dir: &out,
            package: None,
            target_dir: Some(target_dir),
            test: "examples",
            env: &[],
            tally_prefix: "examples: ",
        })?;
        line.push_str(&format!("\n{version}: {examples}"));
        line.push_str(&mock_tally(&out, target_dir)?);
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
        package: Default::default(),
        regen: None,
        crate_name: format!("intercom-api-v{}", version.replace('.', "-")),
        crate_version: "0.1.0".into(),
        source_name: format!("intercom-openapi/{version}/api.intercom.io.yaml"),
    }
}

/// A name made of a union alternative's position (`ValueOption4`).
fn is_positional(name: &str) -> bool {
    name.match_indices("Option")
        .any(|(at, word)| name[at + word.len()..].starts_with(|c: char| c.is_ascii_digit()))
}
