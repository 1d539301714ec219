//! Normalization fixtures: each small spec under `tests/fixtures/` is
//! generated and its emitted models, area modules and warnings snapshotted,
//! so a reader can check each spec quirk's resolution by eye.

use codegen::emit::Options;
use std::path::Path;

fn snapshot(name: &str) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let path = dir.join(format!("{name}.yaml"));
    let options = Options {
        crate_name: "fixture".into(),
        crate_version: "0.0.0".into(),
        source_name: format!("{name}.yaml"),
        package: Default::default(),
        regen: None,
    };
    let generated = codegen::generate(&path, &options).unwrap_or_else(|e| panic!("{e}"));
    let mut out = String::new();
    for w in generated.warnings() {
        let shown = w
            .to_string()
            .replace(&dir.display().to_string(), "fixtures");
        out.push_str(&format!("warning: {shown}\n"));
    }
    // The models, then each area's module (files are sorted by path).
    let sources = generated.files.iter().filter(|f| {
        f.path.starts_with("src")
            && !f.path.starts_with("src/runtime")
            && f.path != Path::new("src/lib.rs")
            // The same for every fixture but its topic table: compiled and
            // doc-tested by `cargo xtask fixtures`, not snapshotted.
            && f.path != Path::new("src/webhooks.rs")
    });
    let (models, areas): (Vec<_>, Vec<_>) =
        sources.partition(|f| f.path == Path::new("src/models.rs"));
    assert_eq!(models.len(), 1, "src/models.rs");
    for f in models.into_iter().chain(areas) {
        out.push_str(&format!("\n==> {}\n", f.path.display()));
        // Skip the header line (it names the generator, not the fixture's content).
        out.push_str(f.contents.split_once('\n').map_or("", |(_, rest)| rest));
    }
    insta::assert_snapshot!(name, out);
}

#[test]
fn refs() {
    snapshot("refs");
}

#[test]
fn naming() {
    snapshot("naming");
}

#[test]
fn combinators() {
    snapshot("combinators");
}

#[test]
fn scalars() {
    snapshot("scalars");
}

#[test]
fn operations() {
    snapshot("operations");
}

#[test]
fn hostile() {
    snapshot("hostile");
}

#[test]
fn degenerate() {
    snapshot("degenerate");
}

#[test]
fn precision() {
    snapshot("precision");
}

#[test]
fn media() {
    snapshot("media");
}

#[test]
fn constructors() {
    snapshot("constructors");
}

#[test]
fn paging() {
    snapshot("paging");
}

#[test]
fn described() {
    snapshot("described");
}

#[test]
fn methods() {
    snapshot("methods");
}

/// The package configuration lands in Cargo.toml's `[package]`, every value
/// a TOML string that cannot end early (a title with a quote and a line
/// break writes no key of its own), and `publish = false` goes only when
/// the configuration says `publish: true`.
#[test]
fn package_metadata_is_escaped_and_publishing_is_opted_into() {
    let dir = std::env::temp_dir().join(format!("codegen-package-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let spec = dir.join("evil.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: \"Evil \\\"API\\\"\\nrepository = \\\"https://x\\\"\", version: \"1\"}\npaths: {}\n",
    )
    .expect("spec");
    let manifest = |package: codegen::emit::Package| {
        let options = Options {
            crate_name: "evil".into(),
            crate_version: "0.1.0".into(),
            source_name: "evil.yaml".into(),
            package,
            regen: None,
        };
        let generated = codegen::generate(&spec, &options).unwrap_or_else(|e| panic!("{e}"));
        // The title's line break stays out of the Rust files' header comment.
        for f in &generated.files {
            if f.path.extension().is_some_and(|e| e == "rs") {
                let first = f.contents.lines().next().unwrap_or_default();
                assert!(
                    first.ends_with("Do not edit: run `cargo xtask regen`."),
                    "{}: {first}",
                    f.path.display()
                );
            }
        }
        generated
            .files
            .iter()
            .find(|f| f.path == Path::new("Cargo.toml"))
            .map(|f| f.contents.clone())
            .expect("Cargo.toml")
    };
    let plain = manifest(Default::default());
    let lines: Vec<&str> = plain.lines().collect();
    assert!(
        lines.contains(&r#"description = "Async Rust client for the Evil \"API\" repository = \"https://x\", version 1 (generated)""#),
        "{plain}"
    );
    assert!(
        !lines.iter().any(|l| l.starts_with("repository")),
        "{plain}"
    );
    assert!(
        lines[0].starts_with("# @generated") && lines[1] == "[package]",
        "{plain}"
    );
    assert!(lines.contains(&"publish = false"), "{plain}");

    let published = manifest(codegen::emit::Package {
        repository: Some("https://example.com/intercom".into()),
        keywords: vec!["intercom".into(), "api".into()],
        categories: vec!["api-bindings".into()],
        publish: true,
        ..Default::default()
    });
    let lines: Vec<&str> = published.lines().collect();
    assert!(
        lines.contains(&r#"repository = "https://example.com/intercom""#),
        "{published}"
    );
    assert!(
        lines.contains(&r#"keywords = ["intercom", "api"]"#),
        "{published}"
    );
    assert!(
        lines.contains(&r#"categories = ["api-bindings"]"#),
        "{published}"
    );
    assert!(!lines.contains(&"publish = false"), "{published}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every model has one decoder, for serde_json's reader: what a union holds
/// and what a webhook delivers are read through `runtime::read_value`, and
/// a decode error finds its path from its position (`runtime::locate`), so
/// no model is decoded from a `serde_json::Value` or through
/// `serde_path_to_error` (each would compile a second copy of every
/// model's decoder: BENCHMARKS.md, "one decoder per model").
#[test]
fn models_are_decoded_one_way() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let specs = [
        root.join("generator/tests/fixtures/combinators.yaml"),
        root.join("spec/2.11/intercom.yaml"),
    ];
    for spec in specs {
        let options = Options {
            crate_name: "one-way".into(),
            crate_version: "0.0.0".into(),
            source_name: "spec.yaml".into(),
            package: Default::default(),
            regen: None,
        };
        let generated = codegen::generate(&spec, &options).unwrap_or_else(|e| panic!("{e}"));
        let mut reads = 0;
        for f in &generated.files {
            let text = &f.contents;
            if f.path.starts_with("src") {
                assert!(
                    !text.contains("serde_path_to_error"),
                    "{}: {}",
                    spec.display(),
                    f.path.display()
                );
                // `Notification::from_value` is the webhooks module's own
                // function, not serde_json's.
                assert!(
                    !text.contains("serde_json::from_value"),
                    "{}: {} decodes a model from a value",
                    spec.display(),
                    f.path.display()
                );
                reads += text.matches("runtime::read_value(").count();
            }
            if f.path == Path::new("Cargo.toml") {
                let dependencies = text
                    .split("[dependencies]")
                    .nth(1)
                    .and_then(|rest| rest.split("\n[").next())
                    .unwrap_or_default();
                assert!(
                    !dependencies.contains("serde_path_to_error"),
                    "{}: {dependencies}",
                    spec.display()
                );
            }
        }
        assert!(
            reads > 0,
            "{}: no union or webhook item read",
            spec.display()
        );
    }
}

#[test]
fn search() {
    snapshot("search");
}

#[test]
fn docs() {
    snapshot("docs");
}
