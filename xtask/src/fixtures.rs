//! `cargo xtask fixtures`: every normalization fixture's snapshot is also
//! compiled. Each spec under `generator/tests/fixtures/` is generated into
//! `target/fixtures/<name>/`, built with `-D warnings` (sharing the corpus
//! target directory, so only the small crates themselves compile), and its
//! doc tests and example tests run.

use crate::crates::{
    build_crate, doc_tests, mock_tally, test_tally, write_standalone, Tally, TestRun,
};
use crate::{workspace_root, Failure};
use codegen::emit::Options;

pub fn run() -> Result<(), Failure> {
    let root = workspace_root();
    let mut specs: Vec<_> = std::fs::read_dir(root.join("generator/tests/fixtures"))
        .map_err(|e| Failure::Failed(format!("error: generator/tests/fixtures: {e}")))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    specs.sort();
    let mut tally = Tally::new("fixtures", "");
    for spec in specs {
        let name = spec
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let result = (|| -> Result<String, String> {
            let options = options(&name);
            let generated = codegen::generate(&spec, &options).map_err(|e| e.to_string())?;
            let out = root.join("target/fixtures").join(&name);
            write_standalone(&root, &out, &generated.files)?;
            let took = build_crate(&out, &root.join("target/corpus-target"))?;
            let mut line = format!(
                "{} types, {} operations, built with -D warnings in {:.1} s",
                generated.api.types.len(),
                generated.api.operations.len(),
                took.as_secs_f64()
            );
            let docs = doc_tests(&out, &root.join("target/corpus-target"))?;
            line.push_str(&format!("; {docs}"));
            // The example tests, where there are examples: each must read,
            // round-trip and be fully typed.
            if out.join("tests/examples.rs").is_file() {
                let tally = test_tally(&TestRun {
                    dir: &out,
                    package: None,
                    target_dir: Some(&root.join("target/corpus-target")),
                    test: "examples",
                    env: &[("EXAMPLES_UNTYPED", "1")],
                    tally_prefix: "examples: ",
                })?;
                let fully = tally
                    .split("typed: ")
                    .nth(1)
                    .and_then(|t| t.split(" fully").next())
                    .and_then(|t| t.split_once(" of "))
                    .is_some_and(|(a, b)| a == b);
                if !fully {
                    return Err(format!("not every example is fully typed: {tally}"));
                }
                line.push_str(&format!("; {tally}"));
            }
            line.push_str(&mock_tally(&out, &root.join("target/corpus-target"))?);
            Ok(line)
        })();
        tally.record(&format!("fixture {name}"), result);
    }
    tally.finish()
}

/// How the crate of fixture `name` (`generator/tests/fixtures/<name>.yaml`)
/// is generated, wherever it is built.
pub fn options(name: &str) -> Options {
    Options {
        package: Default::default(),
        regen: None,
        crate_name: format!("fixture-{}", name.replace('_', "-")),
        crate_version: "0.0.0".into(),
        source_name: format!("{name}.yaml"),
    }
}
