//! Fuzzing load + normalize + emit with mutated specs: no input may panic.
//!
//! Each case takes the shipped spec (`spec/<pinned>/intercom.yaml`), applies
//! a few random mutations to its YAML tree (delete a node, replace it with
//! another kind of value, duplicate it, rename a key, point a `$ref`
//! elsewhere), and runs the whole pipeline. Errors are fine; panics are not.
//! proptest shrinks a failure to the fewest mutations that still panic.
//!
//! `FUZZ_CASES` sets the number of cases (default 48, so `cargo test` stays quick);
//! the figures of a longer run are in BENCHMARKS.md.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_yaml::Value;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Replace(usize, Value),
    Duplicate(usize, usize),
    RenameKey(usize, String),
}

fn replacement() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|i| Value::Number(i.into())),
        prop::sample::select(vec![
            "",
            "=",
            "!~",
            "2.11",
            "#/components/schemas/nope",
            "#/components/schemas/conversation",
            "#/paths/x",
            "{id}",
            "object",
            "array",
            "string",
            "integer",
            "date-time",
            "type",
            "-1",
            "日本",
        ])
        .prop_map(|s| Value::String(s.into())),
        Just(Value::Mapping(Default::default())),
        Just(Value::Sequence(Vec::new())),
        Just(serde_yaml::from_str("{$ref: '#/components/schemas/missing'}").unwrap_or(Value::Null)),
        Just(
            serde_yaml::from_str("{type: object, properties: {type: {type: string, enum: ['x']}}}")
                .unwrap_or(Value::Null)
        ),
        Just(
            serde_yaml::from_str(
                "{oneOf: [{$ref: '#/components/schemas/conversation'}, {type: 'null'}]}"
            )
            .unwrap_or(Value::Null)
        ),
        Just(
            serde_yaml::from_str(
                "{allOf: [{$ref: '#/components/schemas/conversation'}, {type: string}]}"
            )
            .unwrap_or(Value::Null)
        ),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Delete),
        (any::<usize>(), replacement()).prop_map(|(i, v)| Mutation::Replace(i, v)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Duplicate(a, b)),
        (
            any::<usize>(),
            prop::sample::select(vec![
                "type",
                "$ref",
                "properties",
                "oneOf",
                "x",
                "200",
                "get",
                "{id}"
            ])
        )
            .prop_map(|(i, k)| Mutation::RenameKey(i, k.to_string())),
    ]
}

/// Paths (as key/index steps) to every node, in document order.
fn nodes(v: &Value) -> Vec<Vec<Value>> {
    let mut out = Vec::new();
    let mut stack = vec![(Vec::new(), v)];
    while let Some((path, node)) = stack.pop() {
        match node {
            Value::Mapping(m) => {
                for (k, child) in m {
                    let mut p = path.clone();
                    p.push(k.clone());
                    stack.push((p, child));
                }
            }
            Value::Sequence(s) => {
                for (i, child) in s.iter().enumerate() {
                    let mut p = path.clone();
                    p.push(Value::Number(i.into()));
                    stack.push((p, child));
                }
            }
            _ => {}
        }
        out.push(path);
    }
    out
}

fn get_mut<'v>(root: &'v mut Value, path: &[Value]) -> Option<&'v mut Value> {
    let mut cur = root;
    for step in path {
        cur = match (cur, step) {
            (Value::Mapping(m), k) => m.get_mut(k)?,
            (Value::Sequence(s), Value::Number(n)) => s.get_mut(n.as_u64()? as usize)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn apply(root: &mut Value, m: &Mutation) {
    let all = nodes(root);
    let pick = |i: usize| all[i % all.len()].clone();
    match m {
        Mutation::Delete(i) => {
            let path = pick(*i);
            if let Some((last, parent)) = path.split_last() {
                match get_mut(root, parent) {
                    Some(Value::Mapping(map)) => {
                        map.remove(last);
                    }
                    Some(Value::Sequence(seq)) => {
                        if let Some(n) =
                            last.as_u64().map(|n| n as usize).filter(|n| *n < seq.len())
                        {
                            seq.remove(n);
                        }
                    }
                    _ => {}
                }
            }
        }
        Mutation::Replace(i, v) => {
            if let Some(node) = get_mut(root, &pick(*i)) {
                *node = v.clone();
            }
        }
        Mutation::Duplicate(from, to) => {
            let source = get_mut(root, &pick(*from)).map(|n| n.clone());
            if let (Some(source), Some(node)) = (source, get_mut(root, &pick(*to))) {
                *node = source;
            }
        }
        Mutation::RenameKey(i, key) => {
            let path = pick(*i);
            if let Some((last, parent)) = path.split_last() {
                if let Some(Value::Mapping(map)) = get_mut(root, parent) {
                    if let Some(v) = map.remove(last) {
                        map.insert(Value::String(key.clone()), v);
                    }
                }
            }
        }
    }
}

fn shipped_spec() -> (PathBuf, Value) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let pinned = std::fs::read_to_string(root.join("spec/PINNED")).expect("spec/PINNED");
    let path = root.join(format!("spec/{}/intercom.yaml", pinned.trim()));
    let text = std::fs::read_to_string(&path).expect("the shipped spec");
    (
        path,
        serde_yaml::from_str(&text).expect("the shipped spec parses"),
    )
}

#[test]
fn mutated_specs_never_panic() {
    let cases: u32 = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(48);
    let (path, base) = shipped_spec();
    let options = codegen::emit::Options {
        crate_name: "fuzz".into(),
        crate_version: "0.0.0".into(),
        source_name: "fuzz.yaml".into(),
        package: Default::default(),
        regen: None,
    };
    let (ok, rejected) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let started = Instant::now();
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&prop::collection::vec(mutation(), 1..6), |mutations| {
        let mut doc = base.clone();
        for m in &mutations {
            apply(&mut doc, m);
        }
        let text = serde_yaml::to_string(&doc).unwrap_or_default();
        let outcome = codegen::load::load_bytes(&path, text.as_bytes())
            .and_then(|spec| codegen::generate_spec(&spec, &options));
        match outcome {
            Ok(_) => ok.fetch_add(1, Ordering::Relaxed),
            Err(_) => rejected.fetch_add(1, Ordering::Relaxed),
        };
        Ok(())
    });
    let verdict = if result.is_ok() {
        "no panic"
    } else {
        "A PANIC"
    };
    println!(
        "fuzz: {cases} mutated specs in {:.1} s ({} generated, {} rejected with an error), {verdict}",
        started.elapsed().as_secs_f64(),
        ok.load(Ordering::Relaxed),
        rejected.load(Ordering::Relaxed)
    );
    if let Err(e) = result {
        panic!("a mutated spec made the generator panic: {e}");
    }
}
