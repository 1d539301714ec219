//! `cargo xtask shapes [--cases N] [--seed S] [--batch B]`: the property
//! test of the generator's structures, as `hostile` is of its names. It
//! builds valid OpenAPI 3.0 documents from a grammar of shapes: schemas
//! that nest `allOf`/`oneOf`/`anyOf` (empty, one alternative, several,
//! with a discriminator or not), `nullable`, `additionalProperties`,
//! `$ref` chains and legal cycles (through optional properties and
//! arrays), enums of every scalar type, integers as timestamps, maps;
//! parameters in every location and style; bodies in every media type;
//! several statuses per operation, `default` among them; and an example
//! for each body and success response, drawn from its own schema.
//!
//! Each spec must either generate a crate, or fail with an error that says
//! where (a JSON pointer); generating must never panic. The crates of a
//! batch are checked with `cargo clippy --all-targets -- -D warnings`, then
//! their example tests run (`cargo test --test examples`): every example
//! must read into its type and write back the same.
//!
//! Everything is seeded: a failing case is reproduced with the same
//! `--seed`, and its spec is kept under `target/shapes/specs/`.

use crate::batch::{self, Params, Rng};
use crate::crates::{test_tally, Tally, TestRun};
use crate::{workspace_root, Failure};
use codegen::emit::Options;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// How deep schemas nest (a reference to a component does not count).
const DEPTH: usize = 3;

/// A spec under construction: its component schemas, by name.
struct Gen<'a> {
    rng: &'a mut Rng,
    components: Vec<(String, Value)>,
    counter: usize,
}

impl Gen<'_> {
    fn fresh(&mut self, stem: &str) -> String {
        self.counter += 1;
        format!("{stem}_{}", self.counter)
    }

    fn scalar(&mut self) -> Value {
        match self.rng.below(9) {
            0 => json!({"type": "string"}),
            1 => json!({"type": "string", "format": "date-time"}),
            2 => json!({"type": "integer"}),
            3 => json!({"type": "integer", "format": "date-time"}),
            4 => json!({"type": "number"}),
            5 => json!({"type": "boolean"}),
            6 => json!({"type": "string", "enum": ["alpha", "beta", "=", "2.11", "with space"]}),
            7 => json!({"type": "integer", "enum": [1, 2, 30]}),
            _ => json!({"type": "number", "enum": [0.5, 1.5]}),
        }
    }

    /// An object schema with its properties; `cycle` names a component
    /// that may be referred to again (through an optional property).
    fn object(&mut self, depth: usize, cycle: Option<&str>) -> Value {
        let mut props = Map::new();
        let mut required = Vec::new();
        for i in 0..self.rng.below(4) + 1 {
            let name = format!("p{i}");
            let schema = self.schema(depth + 1);
            if self.rng.chance(40) && !is_null_only(&schema) {
                required.push(name.clone());
            }
            props.insert(name, schema);
        }
        if let Some(c) = cycle.filter(|_| self.rng.chance(60)) {
            let me = json!({"$ref": format!("#/components/schemas/{c}")});
            let link = if self.rng.chance(50) {
                json!({"type": "array", "items": me})
            } else {
                me
            };
            props.insert("next".into(), link);
        }
        let mut o = json!({"type": "object", "properties": props});
        if !required.is_empty() {
            o["required"] = json!(required);
        }
        match self.rng.below(4) {
            0 => o["additionalProperties"] = json!(true),
            1 => o["additionalProperties"] = self.scalar(),
            _ => {}
        }
        o
    }

    fn schema(&mut self, depth: usize) -> Value {
        if depth >= DEPTH {
            return self.scalar();
        }
        let mut s = match self.rng.below(12) {
            0..=2 => self.scalar(),
            3 | 4 => self.object(depth, None),
            5 => json!({"type": "array", "items": self.schema(depth + 1)}),
            6 => json!({"type": "object", "additionalProperties": self.schema(depth + 1)}),
            7 => {
                // allOf: empty, one member, or several objects (some by reference).
                let n = self.rng.below(4);
                let members: Vec<Value> = (0..n)
                    .map(|_| {
                        if self.rng.chance(40) {
                            self.component(depth + 1)
                        } else {
                            self.object(depth + 1, None)
                        }
                    })
                    .collect();
                json!({"allOf": members})
            }
            8 | 9 => {
                // oneOf / anyOf: empty, one, several; objects told apart by a
                // one-value `kind` (then a discriminator, sometimes), or not.
                let n = self.rng.below(4);
                let tagged = self.rng.chance(50);
                let mut alts = Vec::new();
                for k in 0..n {
                    if tagged {
                        let mut o = self.object(depth + 1, None);
                        o["properties"]["kind"] =
                            json!({"type": "string", "enum": [format!("k{k}")]});
                        let mut req: Vec<Value> =
                            o["required"].as_array().cloned().unwrap_or_default();
                        req.push(json!("kind"));
                        o["required"] = json!(req);
                        alts.push(o);
                    } else if self.rng.chance(50) {
                        alts.push(self.scalar());
                    } else {
                        alts.push(self.schema(depth + 1));
                    }
                }
                let key = if self.rng.chance(50) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                let mut u = json!({ key: alts });
                if tagged && n > 0 && self.rng.chance(50) {
                    u["discriminator"] = json!({"propertyName": "kind"});
                }
                u
            }
            10 => self.component(depth + 1),
            _ => json!({"oneOf": [self.scalar(), {"type": "null"}]}),
        };
        if self.rng.chance(20) && s.get("$ref").is_none() {
            s["nullable"] = json!(true);
        }
        s
    }

    /// A reference to a new component: an object (that may refer back to
    /// itself), or a chain of references ending at one.
    fn component(&mut self, depth: usize) -> Value {
        let name = self.fresh("Thing");
        let body = if self.rng.chance(25) {
            // A chain: this name refers to another component.
            self.component(depth + 1)
        } else {
            self.object(depth, Some(&name))
        };
        self.components.push((name.clone(), body));
        json!({"$ref": format!("#/components/schemas/{name}")})
    }
}

fn is_null_only(s: &Value) -> bool {
    s.get("type").and_then(Value::as_str) == Some("null")
}

/// A value of `schema`, as an example of it (resolving references in
/// `components`): required properties always, others sometimes. Array
/// items and map values are never null: the generated types keep a
/// nullable item's type (`Vec<T>`, not `Vec<Option<T>>`) unless the
/// description's own examples show a null there (README, "Nullability").
fn sample(rng: &mut Rng, schema: &Value, components: &Map<String, Value>, depth: usize) -> Value {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or_default();
        return match components.get(name) {
            Some(s) if depth < 8 => sample(rng, s, components, depth + 1),
            _ => Value::Null,
        };
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values[rng.below(values.len())].clone();
    }
    if let Some(members) = schema.get("allOf").and_then(Value::as_array) {
        let mut out = Map::new();
        for m in members {
            if let Value::Object(o) = sample(rng, m, components, depth + 1) {
                out.extend(o);
            }
        }
        return Value::Object(out);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alts) = schema.get(key).and_then(Value::as_array) {
            return match alts.len() {
                0 => json!({"free": "form"}),
                n => {
                    let pick = rng.below(n);
                    sample(rng, &alts[pick], components, depth + 1)
                }
            };
        }
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => json!(format!("s{}", rng.below(100))),
        Some("integer") => json!(rng.below(1000)),
        Some("number") => json!(rng.below(1000) as f64 + 0.25),
        Some("boolean") => json!(rng.chance(50)),
        Some("null") => Value::Null,
        Some("array") => {
            let n = if depth > 5 { 0 } else { rng.below(3) };
            let items = schema.get("items").cloned().unwrap_or(json!({}));
            Value::Array(
                (0..n)
                    .filter_map(|_| sample_item(rng, &items, components, depth + 1))
                    .collect(),
            )
        }
        _ => {
            let mut out = Map::new();
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if let Some(Value::Object(props)) = schema.get("properties") {
                for (name, s) in props {
                    // Recursion ends where it may: optional links are left out deep down.
                    let wanted = required.contains(&name.as_str()) || (depth < 4 && rng.chance(60));
                    if wanted {
                        out.insert(name.clone(), sample(rng, s, components, depth + 1));
                    }
                }
            }
            if let Some(ap) = schema.get("additionalProperties").filter(|a| a.is_object()) {
                if props_empty(schema) && rng.chance(70) {
                    if let Some(v) = sample_item(rng, ap, components, depth + 1) {
                        out.insert("extra".into(), v);
                    }
                }
            }
            Value::Object(out)
        }
    }
}

/// A non-null value of `schema` (for array items and map values), if a
/// few draws find one.
fn sample_item(
    rng: &mut Rng,
    schema: &Value,
    components: &Map<String, Value>,
    depth: usize,
) -> Option<Value> {
    (0..8)
        .map(|_| sample(rng, schema, components, depth))
        .find(|v| !v.is_null())
}

fn props_empty(schema: &Value) -> bool {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .is_none_or(Map::is_empty)
}

/// One spec of the grammar.
fn spec(rng: &mut Rng, case: usize) -> Value {
    let mut g = Gen {
        rng,
        components: Vec::new(),
        counter: 0,
    };
    let mut paths = Map::new();
    for i in 0..g.rng.below(4) + 1 {
        let mut parameters = vec![
            json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}),
        ];
        let styles: &[(&str, &str)] = &[
            ("query", "form"),
            ("query", "spaceDelimited"),
            ("query", "pipeDelimited"),
            ("query", "deepObject"),
            ("header", "simple"),
            ("cookie", "form"),
        ];
        for k in 0..g.rng.below(4) {
            let (place, style) = styles[g.rng.below(styles.len())];
            let schema = match g.rng.below(3) {
                0 => g.scalar(),
                1 => json!({"type": "array", "items": g.scalar()}),
                _ => json!({"type": "integer", "format": "int32"}),
            };
            parameters.push(json!({
                "name": format!("q{k}"), "in": place, "style": style,
                "explode": g.rng.chance(50), "required": g.rng.chance(30), "schema": schema,
            }));
        }
        let success = g.schema(0);
        let mut responses = Map::new();
        responses.insert(
            "200".into(),
            json!({"description": "ok", "content": {"application/json": {"schema": success}}}),
        );
        if g.rng.chance(40) {
            responses.insert("201".into(), json!({"description": "made", "content": {"application/json": {"schema": g.schema(1)}}}));
        }
        if g.rng.chance(30) {
            responses.insert("204".into(), json!({"description": "nothing"}));
        }
        if g.rng.chance(30) {
            responses.insert("202".into(), json!({"description": "text", "content": {"text/plain": {"schema": {"type": "string"}}}}));
        }
        responses.insert(
            "404".into(),
            json!({"description": "no", "content": {"application/json": {"schema": g.schema(1)}}}),
        );
        if g.rng.chance(50) {
            responses.insert("default".into(), json!({"description": "error", "content": {"application/json": {"schema": g.object(1, None)}}}));
        }
        let mut op = json!({"operationId": format!("op{i}"), "tags": [format!("area{}", i % 2)], "parameters": parameters, "responses": responses});
        let method = ["get", "post", "put", "patch", "delete"][g.rng.below(5)];
        if method != "get" && g.rng.chance(70) {
            let media = [
                "application/json",
                "application/json",
                "multipart/form-data",
                "application/x-www-form-urlencoded",
                "text/plain",
                "application/octet-stream",
            ][g.rng.below(6)];
            let schema = match media {
                "text/plain" => json!({"type": "string"}),
                "application/octet-stream" => json!({"type": "string", "format": "binary"}),
                "multipart/form-data" => {
                    let mut o = g.object(1, None);
                    o["properties"]["file"] = json!({"type": "string", "format": "binary"});
                    o
                }
                "application/x-www-form-urlencoded" => g.object(2, None),
                _ => g.schema(0),
            };
            op["requestBody"] =
                json!({"required": g.rng.chance(50), "content": {media: {"schema": schema}}});
        }
        paths.insert(format!("/t{i}/{{id}}"), json!({ method: op }));
    }
    let components: Map<String, Value> = g.components.into_iter().collect();
    // Examples drawn from the schemas: each JSON body, each JSON success.
    let rng = g.rng;
    for item in paths.values_mut() {
        for op in item
            .as_object_mut()
            .into_iter()
            .flat_map(|o| o.values_mut())
        {
            for status in ["200", "201"] {
                if let Some(mt) =
                    op.pointer_mut(&format!("/responses/{status}/content/application~1json"))
                {
                    let value = sample(rng, &mt["schema"], &components, 0);
                    mt["example"] = value;
                }
            }
            if let Some(mt) = op.pointer_mut("/requestBody/content/application~1json") {
                let value = sample(rng, &mt["schema"], &components, 0);
                mt["example"] = value;
            }
        }
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": format!("Shapes {case}"), "version": "1.0"},
        "servers": [{"url": "https://api.example.com"}],
        "tags": [{"name": "area0"}, {"name": "area1"}],
        "paths": paths,
        "components": {"schemas": components},
    })
}

/// `cargo test --test examples` of each case (with `-D warnings`): the
/// cases whose example tests failed, with their output.
fn test_batch(
    dir: &Path,
    target_dir: &Path,
    cases: &[usize],
) -> Result<BTreeMap<usize, String>, Failure> {
    let mut failed = BTreeMap::new();
    for &case in cases {
        let package = format!("shapes-case-{case}");
        let run = TestRun {
            dir,
            package: Some(&package),
            target_dir: Some(target_dir),
            test: "examples",
            env: &[],
            tally_prefix: "examples: ",
        };
        if let Err(output) = test_tally(&run) {
            failed.insert(case, output);
        }
    }
    Ok(failed)
}

pub fn run(args: &crate::cli::BatchArgs) -> Result<(), Failure> {
    let params = Params::new(args, 16, 0x5ea_5ade, 16);
    let &Params { cases, seed, batch } = &params;
    let root = workspace_root();
    let base = root.join("target/shapes");
    batch::fresh(&base)?;
    println!("shapes: {cases} specs from the grammar, seed {seed}, {batch} crates per build");
    let mut rng = Rng(seed | 1);
    let mut tally = Tally::new("shapes", "");
    let started = std::time::Instant::now();
    let target_dir = root.join("target/corpus-target");
    for (b, chunk) in params.batches().into_iter().enumerate() {
        let dir = base.join(format!("batch-{b}"));
        let mut generated = Vec::new();
        for case in chunk {
            let spec_path = base.join(format!("specs/case-{case}.json"));
            let text = serde_json::to_string_pretty(&spec(&mut rng, case)).unwrap_or_default();
            if let Err(e) = std::fs::write(&spec_path, text) {
                return Err(Failure::Failed(format!(
                    "error: {}: {e}",
                    spec_path.display()
                )));
            }
            let options = Options {
                package: Default::default(),
                regen: None,
                crate_name: format!("shapes-case-{case}"),
                crate_version: "0.0.0".into(),
                source_name: format!("case-{case}.json"),
            };
            // Never a panic: a refusal must say where.
            let result = std::panic::catch_unwind(|| codegen::generate(&spec_path, &options));
            match result {
                Err(_) => tally.record(
                    &format!("case {case}"),
                    Err(format!(
                        "the generator panicked (spec: {})",
                        spec_path.display()
                    )),
                ),
                Ok(Err(e)) => {
                    let message = e.to_string();
                    let located = message.contains("#/") || message.contains(".json:");
                    tally.record(
                        &format!("case {case}"),
                        if located {
                            Ok(format!(
                                "refused, with a located error: {}",
                                message.lines().next().unwrap_or("")
                            ))
                        } else {
                            Err(format!("refused without saying where: {message}"))
                        },
                    );
                }
                Ok(Ok(g)) => {
                    codegen::write::write(&dir.join(format!("case-{case}")), &g.files)
                        .map_err(|e| Failure::Failed(e.to_string()))?;
                    generated.push((case, g.api.types.len(), g.api.operations.len()));
                }
            }
        }
        if generated.is_empty() {
            continue;
        }
        let made: Vec<usize> = generated.iter().map(|g| g.0).collect();
        batch::write_workspace(&root, &dir, &made)?;
        let (took, failed) = batch::clippy(&dir, &target_dir)?;
        let built: Vec<usize> = made
            .into_iter()
            .filter(|c| !failed.contains_key(c))
            // A crate whose spec has no example has no example tests.
            .filter(|c| dir.join(format!("case-{c}/tests/examples.rs")).is_file())
            .collect();
        let tested = test_batch(&dir, &target_dir, &built)?;
        let documented = batch::doc_tests(&dir, &target_dir)?;
        for (case, types, ops) in generated {
            let line = if let Some(errors) = failed.get(&case) {
                Err(format!("clippy -D warnings fails (spec: target/shapes/specs/case-{case}.json):\n{errors}"))
            } else if let Some(output) = documented.get(&case) {
                Err(format!(
                    "doc tests fail (spec: target/shapes/specs/case-{case}.json):\n{output}"
                ))
            } else if let Some(output) = tested.get(&case) {
                Err(format!(
                    "example tests fail (spec: target/shapes/specs/case-{case}.json):\n{output}"
                ))
            } else {
                Ok(format!("{types} types, {ops} operations; batch {b} checked by clippy in {took:.1} s, doc tests and examples pass"))
            };
            tally.record(&format!("case {case}"), line);
        }
    }
    println!("shapes: {:.1} s in all", started.elapsed().as_secs_f64());
    tally.finish()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_same_seed_gives_the_same_specs() {
        let a = super::spec(&mut super::Rng(7), 0);
        let b = super::spec(&mut super::Rng(7), 0);
        assert_eq!(a, b);
        assert_ne!(a, super::spec(&mut super::Rng(8), 0));
    }
}
