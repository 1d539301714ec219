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
