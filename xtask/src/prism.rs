//! `cargo xtask normalize` and `cargo xtask prism`: the end-to-end test
//! against a mock server.
//!
//! Prism (`@stoplight/prism-cli`, pinned in `e2e/package-lock.json`,
//! installed into `e2e/node_modules` on first use) serves the normalized
//! spec on a free loopback port and validates every request against it;
//! each crate's generated `tests/prism.rs` calls every operation and reads
//! every response. Prism is stopped when the run ends, failed or not.

use crate::cli::{NormalizeArgs, OnlyArgs};
use crate::corpus::{corpus_dir, generate_version, overrides_file, versions};
use crate::crates::{test_tally, Tally, TestRun};
use crate::{pinned_version, shipped_target, workspace_root, Failure};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Write the spec as the generated types read it (see `codegen::export`).
pub fn normalize_to(spec: &Path, overrides: Option<&Path>, out: &Path) -> Result<usize, Failure> {
    let value = codegen::load::read_value(spec, overrides)?;
    let loaded = codegen::load::from_value(spec, value.clone())?;
    let api = codegen::normalize::normalize(&loaded)?;
    let (doc, skipped) = codegen::export::normalized_document(value, &api);
    for p in &skipped {
        eprintln!(
            "note: {}#{p}: a loosening could not be patched into the exported spec",
            spec.display()
        );
    }
    let text = serde_json::to_string_pretty(&codegen::export::to_json(&doc))
        .map_err(|e| Failure::Failed(format!("error: {e}")))?;
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure::Failed(format!("error: {}: {e}", dir.display())))?;
    }
    std::fs::write(out, text)
        .map_err(|e| Failure::Failed(format!("error: {}: {e}", out.display())))?;
    Ok(api.loosenings.len())
}

pub fn normalize(args: &NormalizeArgs) -> Result<(), Failure> {
    let spec = crate::spec_of(&args.spec)?;
    let out = &args.out;
    let n = normalize_to(&spec, args.overrides.as_deref(), out)?;
    println!(
        "{}: written ({n} loosenings from the examples patched in)",
        out.display()
    );
    Ok(())
}

/// The prism binary, installed from the lock file when missing.
fn prism_binary(root: &Path) -> Result<PathBuf, Failure> {
    let bin = root.join("e2e/node_modules/.bin/prism");
    if bin.is_file() {
        return Ok(bin);
    }
    println!(
        "prism: installing @stoplight/prism-cli (pinned in e2e/package-lock.json) with npm ci"
    );
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(root.join("e2e"))
        .status()
        .map_err(|e| {
            Failure::Failed(format!(
                "error: cannot run npm (Node.js is needed for Prism): {e}"
            ))
        })?;
    if !status.success() || !bin.is_file() {
        return Err(Failure::Failed("error: `npm ci` in e2e/ failed".into()));
    }
    Ok(bin)
}

/// A running Prism, killed when dropped.
struct Mock {
    child: Child,
    url: String,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(bin: &Path, spec: &Path, log: &Path) -> Result<Mock, String> {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let log_file = std::fs::File::create(log).map_err(|e| e.to_string())?;
    let child = Command::new(bin)
        .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
        .arg(spec)
        .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
        .stderr(log_file)
        .stdin(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start prism: {e}"))?;
    let mut mock = Mock {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(90);
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(mock);
        }
        if let Ok(Some(status)) = mock.child.try_wait() {
            return Err(format!("prism exited ({status}); see {}", log.display()));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    Err(format!(
        "prism did not listen within 90 s; see {}",
        log.display()
    ))
}

/// Run one crate's prism test against the spec; return its `prism: …` line.
fn run_one(
    bin: &Path,
    label: &str,
    spec: &Path,
    crate_dir: &Path,
    target_dir: Option<&Path>,
    package: Option<&str>,
) -> Result<String, String> {
    let work = workspace_root().join("target/prism");
    let mock = start(bin, spec, &work.join(format!("{label}.log")))?;
    let url = mock.url.clone();
    let result = test_tally(&TestRun {
        dir: crate_dir,
        package,
        target_dir,
        test: "prism",
        env: &[("PRISM_URL", url.as_str())],
        tally_prefix: "prism: ",
    });
    drop(mock);
    result
}

pub fn run(args: &OnlyArgs) -> Result<(), Failure> {
    let only = args.only.clone();
    let wanted = |label: &str| only.as_ref().is_none_or(|o| o.iter().any(|x| x == label));
    let root = workspace_root();
    let bin = prism_binary(&root)?;
    let work = root.join("target/prism");
    let mut tally = Tally::new("prism", " (specs)");

    // The shipped crate, from the pinned spec.
    if wanted("shipped") {
        let t = shipped_target(&root, &pinned_version(&root)?)?;
        let spec = work.join("shipped.json");
        let result = normalize_to(&t.spec, None, &spec)
            .map_err(|_| "cannot normalize the shipped spec".to_string())
            .and_then(|_| run_one(&bin, "shipped", &spec, &root, None, Some("intercom-api")));
        tally.record("shipped", result);
    }
    // Every corpus version, generated afresh into target/corpus/<version>.
    if let Some(dir) = corpus_dir(args.shared.as_deref()) {
        for (version, spec) in versions(&dir) {
            if !wanted(&version) {
                continue;
            }
            let result = generate_version(&root, &version, &spec).and_then(|(crate_dir, _, _)| {
                let overrides = overrides_file(&root, &version);
                let served = work.join(format!("{version}.json"));
                normalize_to(&spec, overrides.as_deref(), &served)
                    .map_err(|_| format!("cannot normalize {version}"))?;
                run_one(
                    &bin,
                    &version,
                    &served,
                    &crate_dir,
                    Some(&root.join("target/corpus-target")),
                    None,
                )
            });
            tally.record(&version, result);
        }
    }
    tally.finish()
}
