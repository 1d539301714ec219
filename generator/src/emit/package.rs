//! The crate's non-Rust files, from the minijinja templates in `templates/`.

use crate::emit::{GeneratedFile, Options, OWNER_MARKER};
use crate::error::{Diagnostic, Result};
use crate::ir::{Api, TypeRef};
use crate::surface::{show, Surface};
use minijinja::{context, Environment};

const CARGO_TOML: &str = include_str!("../../../templates/Cargo.toml.jinja");
const README: &str = include_str!("../../../templates/README.md.jinja");

#[derive(serde::Serialize)]
struct OperationRow {
    /// How a call starts: `conversations().reply`.
    call: String,
    http_method: &'static str,
    path: String,
    summary: String,
    deprecated: bool,
}

/// An area, as the README and Cargo.toml list it.
#[derive(serde::Serialize)]
struct AreaRow {
    name: String,
    module: String,
    accessor: String,
    operations: Vec<OperationRow>,
}

/// A list operation, as the README lists it.
#[derive(Debug, Clone, serde::Serialize)]
struct PagedOperation {
    /// How a call starts: `conversations().list`.
    call: String,
    /// The JSON path of the items' array (`data`, `data.articles`).
    items: String,
    /// The continuations it accepts, where each goes (`cursor (query)`).
    continues: String,
    /// Whether a call needs nothing but the method (for examples).
    no_arguments: bool,
}

/// The list operations, in method order.
fn paginated(api: &Api, surface: &Surface) -> Vec<PagedOperation> {
    surface
        .ops(api)
        .filter_map(|(op, s)| {
            let paging = s.paging.as_ref()?;
            let no_arguments = op.params.iter().all(|p| !p.required)
                && !op.body.as_ref().is_some_and(|b| b.required);
            let continues: Vec<String> = paging
                .continuations
                .iter()
                .map(|c| {
                    let mark = if c.declared { "" } else { ", not declared" };
                    format!("{} ({}{mark})", c.name, c.send)
                })
                .collect();
            Some(PagedOperation {
                call: surface.call(s),
                items: paging
                    .items
                    .iter()
                    .map(|&f| api.field(f).json_name.as_str())
                    .collect::<Vec<_>>()
                    .join("."),
                continues: continues.join(", "),
                no_arguments,
            })
        })
        .collect()
}

/// A query search, for the README's "Searching" section.
#[derive(Debug, Clone, serde::Serialize)]
struct SearchRow {
    /// `contacts().search`
    call: String,
    /// `contacts::search`
    module: String,
    /// `search`
    name: String,
    setter: String,
    fields: usize,
    /// Whether the call takes no argument (then the README's example can
    /// make it).
    no_arguments: bool,
    /// A typed filter of the example: a field taking text, with `eq`.
    text: Option<String>,
    /// A field taking a date, with `gt`.
    date: Option<String>,
}

fn searches(api: &Api, surface: &Surface) -> Vec<SearchRow> {
    use crate::surface::search::KindValue;
    surface
        .ops(api)
        .filter_map(|(op, s)| {
            let (search, m) = (op.search.as_ref()?, s.search.as_ref()?);
            let with = |value: KindValue, op: crate::ir::SearchOp| {
                m.functions
                    .iter()
                    .find(|f| {
                        let kind = &m.kinds[f.kind];
                        f.argument.is_none() && kind.value == value && kind.operators.contains(&op)
                    })
                    .map(|f| f.name.clone())
            };
            Some(SearchRow {
                call: surface.call(s),
                module: format!("{}::{}", s.module, m.module),
                name: m.module.clone(),
                setter: m.setter.clone(),
                fields: search.fields.len(),
                no_arguments: s.args.is_empty(),
                text: with(KindValue::Text, crate::ir::SearchOp::Eq),
                date: with(KindValue::Date, crate::ir::SearchOp::Gt),
            })
        })
        .collect()
}

/// The list the README's mock test walks: the paged example, when a
/// token it sends as a query parameter continues it (a cursor, a scroll).
#[derive(Debug, serde::Serialize)]
struct MockExample {
    call: String,
    /// The query parameter the continuation goes in.
    parameter: String,
    /// A page (JSON) with one item and the continuation `c1`, and one with
    /// one item and none.
    first_page: String,
    last_page: String,
}

fn mock_example(
    api: &Api,
    surface: &Surface,
    paged: Option<&PagedOperation>,
) -> Option<MockExample> {
    use crate::surface::paging::Read;
    use crate::surface::Place;
    let paged = paged?;
    let (_, s) = surface
        .ops(api)
        .find(|(_, s)| surface.call(s) == paged.call)?;
    let paging = s.paging.as_ref()?;
    let (token, parameter) =
        paging
            .continuations
            .iter()
            .find_map(|c| match (&c.read, &c.send) {
                (Read::Token { token }, Place::Query(name)) => Some((token.clone(), name.clone())),
                _ => None,
            })?;
    let items: Vec<String> = paging
        .items
        .iter()
        .map(|&f| api.field(f).json_name.clone())
        .collect();
    // A plain item, cut to its `type` and `id` where it is an object: the
    // client reads the rest as absent (docs/decoding.md).
    let item = match super::prism::sample(api, &paging.item_ty, 0) {
        serde_json::Value::Object(o) => serde_json::Value::Object(
            o.into_iter()
                .filter(|(k, _)| k == "type" || k == "id")
                .collect(),
        ),
        other => other,
    };
    let mut last = serde_json::json!({});
    put(&mut last, &items, serde_json::json!([item]));
    let mut first = last.clone();
    put(&mut first, &token, serde_json::json!("c1"));
    Some(MockExample {
        call: paged.call.clone(),
        parameter,
        first_page: first.to_string(),
        last_page: last.to_string(),
    })
}

/// Put `value` at `path` in `page`, making objects on the way.
fn put(page: &mut serde_json::Value, path: &[String], value: serde_json::Value) {
    use serde_json::Value;
    let mut node = page;
    for key in path {
        if !node.is_object() {
            *node = Value::Object(Default::default());
        }
        node = match node {
            Value::Object(map) => map.entry(key.clone()).or_insert(Value::Null),
            _ => return,
        };
    }
    *node = value;
}

pub fn files(
    api: &Api,
    surface: &Surface,
    options: &Options,
    example: Option<(String, String)>,
) -> Result<Package> {
    let mut env = Environment::new();
    env.set_keep_trailing_newline(true);
    // A TOML basic string: JSON's escapes are TOML's, so no value (a title
    // with a quote, say) can end the string and write a key of its own.
    env.add_filter("toml", |s: String| {
        serde_json::to_string(&s).unwrap_or_else(|_| "\"\"".into())
    });
    // One line (of a comment, a paragraph, a TOML value Cargo passes on in
    // an environment variable): a line break would end it, a NUL would keep
    // Cargo from starting rustc.
    env.add_filter("line", |s: String| super::one_line(&s));
    // Inside an HTML comment, where `--` would end it.
    env.add_filter("comment", |s: String| {
        let mut out = String::with_capacity(s.len());
        for c in super::one_line(&s).chars() {
            if c == '-' && out.ends_with('-') {
                out.push(' ');
            }
            out.push(c);
        }
        out
    });
    let template_error =
        |e: minijinja::Error| Diagnostic::in_file("templates/", format!("internal error: {e}"));
    env.add_template("Cargo.toml", CARGO_TOML)
        .map_err(template_error)?;
    env.add_template("README.md", README)
        .map_err(template_error)?;
    let areas: Vec<AreaRow> = surface
        .areas
        .iter()
        .map(|area| AreaRow {
            name: area
                .tag
                .clone()
                .unwrap_or_else(|| "Operations without a tag".into()),
            module: area.module.clone(),
            accessor: area.accessor.clone(),
            operations: area
                .ops
                .iter()
                .map(|&i| {
                    let (o, s) = (&api.operations[i], &surface.operations[i]);
                    OperationRow {
                        call: surface.call(s),
                        http_method: o.method.as_str(),
                        path: o.path.clone(),
                        summary: o
                            .summary
                            .clone()
                            .unwrap_or_default()
                            .replace('|', "\\|")
                            .replace('\n', " "),
                        deprecated: o.deprecated,
                    }
                })
                .collect(),
        })
        .collect();
    // A call to show: the first operation with a path parameter and a body
    // (else the first one), as a user writes it.
    let call_example = surface
        .ops(api)
        .find(|(op, s)| s.path_params(op).next().is_some() && op.body.is_some())
        .or_else(|| surface.ops(api).next())
        .and_then(|(op, s)| {
            let area = surface.areas.get(s.area)?;
            let args: Vec<String> = s
                .path_params(op)
                .map(|(_, a)| format!("\"{}\"", a.name))
                .collect();
            Some(serde_json::json!({
                "accessor": area.accessor,
                "method": s.method,
                "args": args.join(", "),
                // Models are named through `models` in user code.
                "body": op.body.as_ref().map(|b| match &b.ty {
                    TypeRef::Named(_) => format!("models::{}", show(surface, &b.ty)),
                    other => show(surface, other),
                }),
            }))
        });
    let paged = paginated(api, surface);
    let paged_example = paged.iter().find(|p| p.no_arguments).cloned();
    let mock_example = mock_example(api, surface, paged_example.as_ref());
    let searches = searches(api, surface);
    let search_example = searches.iter().find(|s| s.no_arguments).cloned();
    let ctx = context! {
        marker => OWNER_MARKER,
        crate_name => options.crate_name,
        crate_version => options.crate_version,
        source_name => options.source_name,
        package => options.package,
        title => api.title,
        api_version => api.version,
        version_header => api.version_header.as_ref().map(|v| v.header.clone()),
        default_version => api.version_header.as_ref().and_then(|v| v.default.clone()),
        servers => surface.regions.iter().zip(&api.servers).map(|(name, s)| (name.clone(), s.url.clone())).collect::<Vec<_>>(),
        operation_count => api.operations.len(),
        areas => areas,
        call_example => call_example,
        type_count => api.types.len(),
        example_path => example.as_ref().map(|(path, _)| path.clone()),
        example => example.map(|(_, program)| program),
        crate_ident => options.crate_name.replace('-', "_"),
        paginated => paged,
        paged_example => paged_example,
        mock_example => mock_example,
        searches => searches,
        search_example => search_example,
        token_env => surface.token_env,
        regen => options.regen.as_deref().unwrap_or("cargo xtask regen"),
        // `--` cannot stand in an HTML comment: the README points to Cargo.toml.
        regen_custom => options.regen.is_some(),
        webhook_items => surface.webhooks.items.iter().map(|i| i.variant.clone()).collect::<Vec<_>>(),
    };
    let render = |name: &str| -> Result<GeneratedFile> {
        let contents = env
            .get_template(name)
            .and_then(|t| t.render(&ctx))
            .map_err(template_error)?;
        Ok(GeneratedFile {
            path: name.into(),
            contents,
        })
    };
    let readme = render("README.md")?;
    let (snippets, tests) = readme_test(&readme.contents, &options.crate_name)?;
    Ok(Package {
        files: vec![render("Cargo.toml")?, readme, snippets],
        mock_tests: tests,
    })
}

/// The crate's non-Rust files and the README's examples as a test; and the
/// README's tests (blocks with `#[tokio::test`), formatted, for
/// `tests/mock.rs`, where they run with the `mock` feature.
pub struct Package {
    pub files: Vec<GeneratedFile>,
    pub mock_tests: Option<String>,
}

/// `tests/readme.rs`: every ```` ```rust ```` block of the README, compiled
/// (never run: the calls would need the API) as the body of a function of
/// its own, so that a README example that does not fit its crate fails the
/// build. A block that is a program (`fn main`) is the example program,
/// compiled as such. A block that is a test (`#[tokio::test`) is returned
/// apart, formatted, to run in `tests/mock.rs`.
fn readme_test(readme: &str, crate_name: &str) -> Result<(GeneratedFile, Option<String>)> {
    let krate = super::types::ident(&crate_name.replace('-', "_"));
    let mut functions = Vec::new();
    let mut tests: Vec<syn::Item> = Vec::new();
    let mut block: Option<String> = None;
    for line in readme.lines() {
        match (&mut block, line.trim_end()) {
            (None, "```rust") => block = Some(String::new()),
            (Some(text), "```") => {
                let text = std::mem::take(text);
                block = None;
                if text.contains("fn main(") {
                    continue;
                }
                if text.contains("#[tokio::test") {
                    let file: syn::File = syn::parse_str(&text).map_err(|e| {
                        Diagnostic::in_file(
                            "templates/README.md.jinja",
                            format!("internal error: a README test does not parse: {e}\n{text}"),
                        )
                    })?;
                    tests.extend(file.items);
                    continue;
                }
                let body: syn::Block = syn::parse_str(&format!("{{\n{text}\n}}")).map_err(|e| {
                    Diagnostic::in_file(
                        "templates/README.md.jinja",
                        format!("internal error: a README example does not parse: {e}\n{text}"),
                    )
                })?;
                let statements = body.stmts;
                let name = super::types::ident(&format!("example_{}", functions.len() + 1));
                functions.push(quote::quote! {
                    async fn #name(client: #krate::Client) -> Result<(), Box<dyn std::error::Error>> {
                        #(#statements)*
                        Ok(())
                    }
                });
            }
            (Some(text), line) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, _) => {}
        }
    }
    let tokens = quote::quote! {
        //! The README's examples, compiled: each ```` ```rust ```` block is
        //! the body of a function of its own (never called: the calls would
        //! need the API). A README example that does not fit this crate fails
        //! the build.
        #![cfg(all(feature = "full", feature = "webhooks"))]
        #![allow(dead_code, unused_variables, unused_imports, clippy::needless_return)]

        use std::time::Duration;

        #(#functions)*
    };
    let tests = (!tests.is_empty()).then(|| {
        super::layout::format_file(&syn::File {
            shebang: None,
            attrs: Vec::new(),
            items: tests,
        })
    });
    let file = GeneratedFile {
        path: "tests/readme.rs".into(),
        contents: super::layout::format_file(&super::layout::parse("tests/readme.rs", tokens)?),
    };
    Ok((file, tests))
}
