//! `cargo xtask fixtures`: every normalization fixture's snapshot is also
//! compiled. Each spec under `generator/tests/fixtures/` is generated into
//! `target/fixtures/<name>/` and built with `-D warnings` (sharing the
//! corpus target directory, so only the small crates themselves compile).

use crate::corpus::build_crate;
use crate::{workspace_root, Failure, Flags};
use codegen::emit::Options;

pub fn run(args: &[String]) -> Result<(), Failure> {
    Flags::parse(args, &[], &[])?;
    let root = workspace_root();
    let mut specs: Vec<_> = std::fs::read_dir(root.join("generator/tests/fixtures"))
        .map_err(|e| Failure::Failed(format!("error: generator/tests/fixtures: {e}")))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    specs.sort();
    let (mut passed, mut failed) = (0, 0);
    for spec in specs {
        let name = spec
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let result = (|| -> Result<String, String> {
            let options = Options {
                crate_name: format!("fixture-{}", name.replace('_', "-")),
                crate_version: "0.0.0".into(),
                source_name: format!("{name}.yaml"),
            };
            let generated = codegen::generate(&spec, &options).map_err(|e| e.to_string())?;
            let out = root.join("target/fixtures").join(&name);
            codegen::write::write(&out, &generated.files).map_err(|e| e.to_string())?;
            std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
                .map_err(|e| e.to_string())?;
            let took = build_crate(&out, &root.join("target/corpus-target"))?;
            Ok(format!(
                "{} types, {} operations, built with -D warnings in {:.1} s",
                generated.api.types.len(),
                generated.api.operations.len(),
                took.as_secs_f64()
            ))
        })();
        match result {
            Ok(line) => {
                passed += 1;
                println!("fixture {name}: {line}");
            }
            Err(e) => {
                failed += 1;
                println!("fixture {name}: FAILED: {e}");
            }
        }
    }
    println!("fixtures: {passed} passed, {failed} failed");
    if failed > 0 {
        return Err(Failure::Failed(String::new()));
    }
    Ok(())
}
