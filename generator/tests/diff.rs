//! `codegen::diff`: one fixture pair per rule under `tests/diff_fixtures/`,
//! with the text and JSON reports snapshotted; and, on the published corpus,
//! each consecutive pair of versions checked against counts taken from the
//! raw YAML.

use codegen::diff::{diff, render, Kind, Report, Severity};
use codegen::ir::Api;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn load(path: &Path) -> Api {
    let spec = codegen::load::load_file(path).unwrap_or_else(|e| panic!("{e}"));
    codegen::normalize::normalize(&spec).unwrap_or_else(|e| panic!("{e}"))
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff_fixtures")
}

fn fixture(name: &str) -> Report {
    let dir = fixtures_dir().join(name);
    let mut report = diff(&load(&dir.join("old.yaml")), &load(&dir.join("new.yaml")));
    report.old = "old".into();
    report.new = "new".into();
    report
}

fn snapshot(name: &str) -> Report {
    let report = fixture(name);
    let out = format!(
        "{}\n==> json\n{}",
        render::text(&report, false, true),
        render::json(&report)
    );
    insta::assert_snapshot!(name, out);
    report
}

macro_rules! fixtures {
    ($($name:ident),* $(,)?) => {
        const FIXTURES: &[&str] = &[$(stringify!($name)),*];
        $(
            #[test]
            fn $name() {
                snapshot(stringify!($name));
            }
        )*
    };
}

fixtures!(
    operations,
    operation_renamed,
    operation_deprecated,
    path_param_renamed,
    parameters_added_removed,
    parameter_changes,
    parameter_order,
    request_body,
    request_property_added,
    response_property_added,
    property_removed,
    type_changed,
    required_changed,
    nullable_changed,
    enum_values_response,
    enum_values_request,
    enum_both_directions,
    responses,
    union_variants,
    servers,
    version_enum,
    shared_and_recursive,
    rust_surface,
    loosened_by_examples,
    pagination_and_enums,
    search_tables,
);

#[test]
fn every_fixture_folder_has_a_test() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("tests/diff_fixtures")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = FIXTURES.iter().map(|s| s.to_string()).collect();
    listed.extend(["ref_move".to_string(), "component_rename".to_string()]);
    listed.sort();
    assert_eq!(on_disk, listed);
}

/// Moving schemas behind `$ref`s changes nothing on the wire; what changes
/// are the Rust names of the types (inline names become component names),
/// each reported once as a renamed type.
#[test]
fn ref_move() {
    let report = snapshot("ref_move");
    assert_only_renames(&report, 5);
}

/// Renaming components without changing their shape: the same, a renamed
/// Rust type each, and nothing else. Their type tags (`type: {enum:
/// [chat]}`) are named by value and property (`ChatType`), so a new owner
/// name does not rename them: 5 renames, not 7.
#[test]
fn component_rename() {
    let report = snapshot("component_rename");
    assert_only_renames(&report, 5);
}

fn assert_only_renames(report: &Report, n: usize) {
    assert_eq!(report.changes.len(), n, "{:#?}", report.changes);
    for c in &report.changes {
        assert_eq!(c.kind, Kind::RustTypeRenamed, "{c:#?}");
        assert_eq!(c.severity, Severity::Breaking);
        assert!(!c.methods.is_empty(), "{c:#?}");
    }
}

#[test]
fn fail_on_thresholds_follow_severity() {
    let report = fixture("enum_values_response");
    assert!(report.has_at_least(Severity::Breaking));
    let report = fixture("enum_both_directions");
    assert!(!report.has_at_least(Severity::Breaking));
    assert!(report.has_at_least(Severity::Warning));
}

// ---- The published corpus ----

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "patch", "head", "options", "trace",
];

/// `GET /a/{}`: method and path template with parameter names blanked,
/// written independently of the generator.
fn raw_operations(spec: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(spec).expect("corpus file");
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).expect("corpus YAML");
    let mut out = BTreeSet::new();
    let Some(paths) = doc.get("paths").and_then(|p| p.as_mapping()) else {
        return out;
    };
    for (path, item) in paths {
        let (Some(path), Some(item)) = (path.as_str(), item.as_mapping()) else {
            continue;
        };
        let blanked: String = path
            .split('{')
            .enumerate()
            .map(|(i, part)| match (i, part.split_once('}')) {
                (0, _) | (_, None) => part.to_string(),
                (_, Some((_, rest))) => format!("{{}}{rest}"),
            })
            .collect();
        for key in item.keys().filter_map(|k| k.as_str()) {
            if METHODS.contains(&key) {
                out.insert(format!("{} {blanked}", key.to_ascii_uppercase()));
            }
        }
    }
    out
}

/// The published corpus, in version order. The tests that read it are
/// `#[ignore]`d (a plain `cargo test` may not have it); `cargo xtask test`
/// runs them, and then a missing corpus fails them.
fn corpus() -> Vec<(String, PathBuf)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/intercom-openapi");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "the corpus is missing: {}: {e} (these tests need ../shared/intercom-openapi)",
            dir.display()
        )
    });
    let mut versions: Vec<(String, PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let spec = e.path().join("api.intercom.io.yaml");
            spec.is_file()
                .then(|| (e.file_name().to_string_lossy().into_owned(), spec))
        })
        .collect();
    versions.sort_by_key(|(v, _)| {
        v.split('.')
            .map(|p| p.parse::<u32>().unwrap_or(u32::MAX))
            .collect::<Vec<_>>()
    });
    assert!(!versions.is_empty(), "no version in {}", dir.display());
    versions
}

/// Each consecutive pair of published versions: the operations the diff
/// adds and removes are exactly those the raw YAML path lists differ by;
/// every version diffed against itself reports nothing; the report is
/// sorted and the same twice over.
#[test]
#[ignore = "reads ../shared/intercom-openapi; `cargo xtask test` runs it"]
fn corpus_pairs_agree_with_raw_yaml() {
    let versions = corpus();
    let apis: Vec<(String, PathBuf, Api)> = versions
        .into_iter()
        .map(|(v, p)| {
            let api = load(&p);
            (v, p, api)
        })
        .collect();
    for (v, _, api) in &apis {
        let same = diff(api, api);
        assert!(same.changes.is_empty(), "{v} against itself: {same:#?}");
    }
    for pair in apis.windows(2) {
        let [(va, pa, a), (vb, pb, b)] = pair else {
            continue;
        };
        let report = diff(a, b);
        let (raw_a, raw_b) = (raw_operations(pa), raw_operations(pb));
        let added: BTreeSet<String> = raw_b.difference(&raw_a).cloned().collect();
        let removed: BTreeSet<String> = raw_a.difference(&raw_b).cloned().collect();
        let by_kind = |kind: Kind| -> BTreeSet<String> {
            report
                .changes
                .iter()
                .filter(|c| c.kind == kind)
                .filter_map(|c| c.operation.as_deref())
                .map(|op| {
                    let (method, path) = op.split_once(' ').unwrap_or((op, ""));
                    let blanked = codegen_free_blank(path);
                    format!("{method} {blanked}")
                })
                .collect()
        };
        assert_eq!(by_kind(Kind::OperationAdded), added, "{va} → {vb}: added");
        assert_eq!(
            by_kind(Kind::OperationRemoved),
            removed,
            "{va} → {vb}: removed"
        );
        assert_eq!(report.count_kind(Kind::OperationAdded), added.len());
        assert_eq!(report.count_kind(Kind::OperationRemoved), removed.len());
        assert_eq!(
            raw_a.len() + added.len() - removed.len(),
            b.operations.len(),
            "{va} → {vb}: operation totals"
        );
        let mut sorted = report.changes.clone();
        sorted.sort_by(|x, y| {
            y.severity
                .cmp(&x.severity)
                .then_with(|| x.operation.cmp(&y.operation))
                .then_with(|| x.schema.cmp(&y.schema))
                .then_with(|| x.pointer.cmp(&y.pointer))
                .then_with(|| x.kind.as_str().cmp(y.kind.as_str()))
        });
        assert_eq!(sorted, report.changes, "{va} → {vb}: order");
        assert_eq!(diff(a, b), report, "{va} → {vb}: deterministic");
        println!(
            "{va} → {vb}: {} (operations +{} -{})",
            render::summary(&report),
            added.len(),
            removed.len()
        );
    }
}

/// Each consecutive pair of published versions: every Rust type name the
/// old crate has and the new one does not is reported, as removed or
/// renamed (counted from the two surfaces, independently of how the diff
/// pairs types).
#[test]
#[ignore = "reads ../shared/intercom-openapi; `cargo xtask test` runs it"]
fn corpus_vanished_type_names_are_reported() {
    let versions = corpus();
    let apis: Vec<(String, Api)> = versions.into_iter().map(|(v, p)| (v, load(&p))).collect();
    for pair in apis.windows(2) {
        let [(va, a), (vb, b)] = pair else { continue };
        let names = |api: &Api| -> BTreeSet<String> {
            let s = codegen::surface::Surface::build(api, Path::new(""));
            s.types.iter().map(|t| t.name.clone()).collect()
        };
        let vanished: BTreeSet<String> = names(a).difference(&names(b)).cloned().collect();
        let report = diff(a, b);
        let reported: BTreeSet<String> = report
            .changes
            .iter()
            .filter(|c| matches!(c.kind, Kind::RustTypeRemoved | Kind::RustTypeRenamed))
            .filter_map(|c| {
                // `type `Old` removed`, `type `Old` is now `New``: the first name in backticks.
                c.message.split('`').nth(1).map(str::to_string)
            })
            .collect();
        let missing: Vec<&String> = vanished.difference(&reported).collect();
        assert!(
            missing.is_empty(),
            "{va} → {vb}: type names gone but not reported: {missing:?}"
        );
        println!(
            "{va} → {vb}: {} Rust type names gone, all reported",
            vanished.len()
        );
    }
}

/// The test's own path blanking, for operation labels from the report.
fn codegen_free_blank(path: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                out.push_str("{}");
            }
            '}' => depth -= 1,
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    out
}
