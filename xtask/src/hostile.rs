//! `cargo xtask hostile [--cases N] [--seed S] [--batch B]`: the property
//! test of the surface's naming. It builds specs whose schema, property,
//! enum value, parameter, operationId and tag (area) names, title and
//! version (with line breaks, quotes, comment and template marks) are
//! drawn at random from a hostile alphabet (digits first, punctuation,
//! non-ASCII letters, keywords, case variants, the runtime's and std's own
//! names, generic parameters), generates a crate for
//! each, and checks them with `cargo clippy --all-targets -- -D warnings`
//! (rustc's and clippy's lints), `B` crates per run (one workspace of
//! crates, so dependencies and the work are shared).
//!
//! Everything is seeded: a failing case is reproduced with the same
//! `--seed`, and its spec is kept under `target/hostile/specs/`.

use crate::batch::{self, Params, Rng};
use crate::crates::Tally;
use crate::{workspace_root, Failure};
use codegen::emit::Options;
use serde_json::{json, Map, Value};

/// Pieces names are made of.
const PIECES: &[&str] = &[
    "",
    " ",
    "_",
    "-",
    ".",
    "$",
    "=",
    "!=",
    "~",
    "1",
    "2",
    "9",
    "0day",
    "3rd",
    "a",
    "B",
    "E",
    "T",
    "Fut",
    "type",
    "self",
    "Self",
    "super",
    "crate",
    "async",
    "gen",
    "try",
    "r#type",
    "__",
    "Unknown",
    "unknown",
    "UNKNOWN",
    "Error",
    "Result",
    "Option",
    "Box",
    "String",
    "Vec",
    "Default",
    "Some",
    "None",
    "Ok",
    "Err",
    "Client",
    "ClientBuilder",
    "Request",
    "Response",
    "Region",
    "UnixTimestamp",
    "timeout",
    "execute",
    "builder",
    "new",
    "clone",
    "fmt",
    "build",
    "request",
    "response",
    "path",
    "body",
    "cursor",
    "client",
    "page",
    "additional_properties",
    "models",
    "runtime",
    "operations",
    "std",
    "serde",
    "serde_json",
    // What the runtime's macros write or bind in `models` (`model!`,
    // `string_enum!`): a model or field by these names must not clash.
    "Visitor",
    "__Visitor",
    "Deserialize",
    "MemberKey",
    "OBJECT",
    "as_arrived",
    "map",
    "key",
    "other",
    "fooBar",
    "FOO_BAR",
    "foo_bar",
    "é",
    "日本",
    "ß",
    "ǅ",
    "x-y",
    "v2.11",
    "2.11",
    "pages",
    "next",
    "starting_after",
    "mock",
    "Mock",
    "Expect",
    "MockRequest",
    "Page",
    "with_examples",
    "requests",
    "responds",
];

/// Pieces of prose (a title, a version) that would end a comment, a string,
/// a TOML value, a Markdown block or a template if copied as they are.
const PROSE: &[&str] = &[
    "\n",
    "\r\n",
    "\t",
    "\u{0}",
    "\u{2028}",
    "\"",
    "'",
    "\\",
    "*/",
    "/*",
    "//",
    "`",
    "```",
    "#",
    "]]",
    "[package]",
    "{{ name }}",
    "{% raw %}",
    "<!--",
    "-->",
    "\"\"\"",
];

/// Hostile names, from the seeded generator.
impl Rng {
    /// Words of a name with pieces of [`PROSE`] between them.
    fn prose(&mut self) -> String {
        let mut out = self.name();
        for _ in 0..1 + self.below(3) {
            out.push_str(PROSE[self.below(PROSE.len())]);
            out.push_str(&self.name());
        }
        out
    }

    /// One to three pieces, sometimes joined by a separator.
    fn name(&mut self) -> String {
        let n = 1 + self.below(3);
        let mut out = String::new();
        for i in 0..n {
            if i > 0 && self.chance(50) {
                out.push(['_', '-', ' ', '.'][self.below(4)]);
            }
            out.push_str(PIECES[self.below(PIECES.len())]);
        }
        out
    }
    /// Distinct values that differ only by punctuation or case: a name,
    /// and some of `-name`, `+name`, `name.`, `NAME` and `Name`.
    fn look_alikes(&mut self) -> Vec<String> {
        let base = self.name();
        let mut capital = base.clone();
        if let Some(first) = capital.get(..1) {
            capital.replace_range(..1, &first.to_uppercase());
        }
        let forms = [
            format!("-{base}"),
            format!("+{base}"),
            format!("{base}."),
            base.to_uppercase(),
            capital,
        ];
        let mut out = vec![base];
        for form in forms {
            if self.chance(60) && !out.contains(&form) {
                out.push(form);
            }
        }
        out
    }

    /// Between `min` and `min + spread - 1` distinct raw names.
    fn some_names(&mut self, min: usize, spread: usize) -> Vec<String> {
        let count = min + self.below(spread);
        self.names(count)
    }
    /// `count` distinct raw names (distinct as the spec spells them; they
    /// may still collide once made into Rust names, which is the point).
    fn names(&mut self, count: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        while out.len() < count {
            let n = self.name();
            if !out.contains(&n) {
                out.push(n);
            }
        }
        out
    }
}

/// One random spec: schemas with properties, enums and unions; operations
/// with path, query and header parameters, bodies and responses.
fn spec(rng: &mut Rng, case: usize) -> Value {
    let schema_names = rng.some_names(4, 5);
    let reference = |name: &str| json!({"$ref": format!("#/components/schemas/{}", name.replace('~', "~0").replace('/', "~1"))});
    let mut schemas = Map::new();
    for (i, name) in schema_names.iter().enumerate() {
        let schema = match i % 4 {
            0 if rng.chance(50) => json!({"type": "string", "enum": rng.some_names(1, 8)}),
            // Values that differ only by punctuation or case (a sort's
            // `[title, -title]`): each is named from what differs.
            0 => json!({"type": "string", "enum": rng.look_alikes()}),
            1 if i > 1 => {
                json!({"oneOf": [reference(&schema_names[i - 1]), reference(&schema_names[0]), {"type": "string"}]})
            }
            _ => {
                let mut props = Map::new();
                for p in rng.some_names(1, 7) {
                    let ty = match rng.below(6) {
                        0 => json!({"type": "integer"}),
                        1 => json!({"type": "boolean"}),
                        2 => json!({"type": "array", "items": {"type": "string"}}),
                        3 if i > 0 => reference(&schema_names[rng.below(i)]),
                        4 => {
                            json!({"type": "object", "properties": {rng.name(): {"type": "string"}}})
                        }
                        _ => json!({"type": "string"}),
                    };
                    props.insert(p, ty);
                }
                let required: Vec<&String> = props.keys().filter(|_| rng.chance(30)).collect();
                json!({"type": "object", "required": required, "properties": props})
            }
        };
        schemas.insert(name.clone(), schema);
    }
    let mut paths = Map::new();
    // Areas: random tag names (some operations have none).
    let tags = rng.some_names(1, 3);
    for (i, id) in rng.some_names(2, 5).into_iter().enumerate() {
        let params = rng.some_names(1, 5);
        let path_param = &params[0];
        let mut parameters = vec![
            json!({"name": path_param, "in": "path", "required": true, "schema": {"type": "string"}}),
        ];
        for p in &params[1..] {
            let place = ["query", "header"][rng.below(2)];
            let ty = [
                json!({"type": "string"}),
                json!({"type": "integer"}),
                json!({"type": "boolean"}),
                json!({"type": "array", "items": {"type": "string"}}),
            ][rng.below(4)]
            .clone();
            parameters
                .push(json!({"name": p, "in": place, "required": rng.chance(30), "schema": ty}));
        }
        let object = |rng: &mut Rng| {
            let objects: Vec<&String> = schema_names
                .iter()
                .enumerate()
                .filter(|(j, _)| j % 4 != 0)
                .map(|(_, n)| n)
                .collect();
            reference(objects[rng.below(objects.len())])
        };
        let mut op = json!({
            "operationId": id,
            "parameters": parameters,
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": object(rng), "example": {}}}},
                "404": {"description": "no", "content": {"application/json": {"schema": object(rng)}}},
            }
        });
        if rng.chance(80) {
            op["tags"] = json!([tags[rng.below(tags.len())]]);
        }
        if rng.chance(50) {
            op["responses"]["201"] = json!({"description": "ok", "content": {"application/json": {"schema": object(rng)}}});
        }
        if rng.chance(60) {
            op["requestBody"] = json!({"required": rng.chance(50), "content": {"application/json": {"schema": object(rng)}}});
        }
        let method = ["get", "post", "put", "delete", "patch"][rng.below(5)];
        let path = format!("/p{i}/{{{path_param}}}");
        paths.insert(path, json!({ method: op }));
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": format!("Hostile {case}: {}", rng.prose()), "version": rng.prose()},
        "servers": [{"url": "https://api.example.com", "x-region": rng.name()}],
        "paths": paths,
        "components": {"schemas": schemas},
    })
}

pub fn run(args: &crate::cli::BatchArgs) -> Result<(), Failure> {
    let params = Params::new(args, 48, 0x1d2c_0de5, 48);
    let &Params { cases, seed, batch } = &params;
    let root = workspace_root();
    let base = root.join("target/hostile");
    batch::fresh(&base)?;
    println!("hostile: {cases} random specs, seed {seed}, {batch} crates per build");
    let mut rng = Rng(seed | 1);
    let mut tally = Tally::new("hostile", "");
    let started = std::time::Instant::now();
    for (b, chunk) in params.batches().into_iter().enumerate() {
        let dir = base.join(format!("batch-{b}"));
        let mut generated = Vec::new();
        for case in chunk {
            let spec_path = base.join(format!("specs/case-{case}.json"));
            let text = serde_json::to_string_pretty(&spec(&mut rng, case)).unwrap_or_default();
            let result = std::fs::write(&spec_path, text)
                .map_err(|e| e.to_string())
                .and_then(|()| {
                    let options = Options {
                        package: Default::default(),
                        regen: None,
                        crate_name: format!("hostile-case-{case}"),
                        crate_version: "0.0.0".into(),
                        source_name: format!("case-{case}.json"),
                    };
                    let g = codegen::generate(&spec_path, &options).map_err(|e| e.to_string())?;
                    codegen::write::write(&dir.join(format!("case-{case}")), &g.files)
                        .map_err(|e| e.to_string())?;
                    Ok((
                        g.api.types.len(),
                        g.api.operations.len(),
                        g.warnings().count(),
                    ))
                });
            match result {
                Ok(counts) => generated.push((case, counts)),
                Err(e) => tally.record(
                    &format!("case {case}"),
                    Err(format!(
                        "generation failed: {e} (spec: {})",
                        spec_path.display()
                    )),
                ),
            }
        }
        let built: Vec<usize> = generated.iter().map(|(case, _)| *case).collect();
        batch::write_workspace(&root, &dir, &built)?;
        let (took, failed) = batch::clippy(&dir, &root.join("target/corpus-target"))?;
        let documented = batch::doc_tests(&dir, &root.join("target/corpus-target"))?;
        for (case, (types, ops, warnings)) in generated {
            let line = match (failed.get(&case), documented.get(&case)) {
                (None, None) => Ok(format!("{types} types, {ops} operations, {warnings} naming warnings; batch {b} checked by clippy with -D warnings in {took:.1} s, doc tests pass")),
                (Some(errors), _) => Err(format!("clippy -D warnings fails (spec: target/hostile/specs/case-{case}.json):\n{errors}")),
                (None, Some(errors)) => Err(format!("doc tests fail (spec: target/hostile/specs/case-{case}.json):\n{errors}")),
            };
            tally.record(&format!("case {case}"), line);
        }
    }
    println!("hostile: {:.1} s in all", started.elapsed().as_secs_f64());
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
