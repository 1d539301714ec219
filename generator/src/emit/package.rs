//! The crate's non-Rust files, from the minijinja templates in `templates/`.

use crate::emit::{GeneratedFile, Options, OWNER_MARKER};
use crate::error::{Diagnostic, Result};
use crate::ir::Api;
use minijinja::{context, Environment};

const CARGO_TOML: &str = include_str!("../../../templates/Cargo.toml.jinja");
const README: &str = include_str!("../../../templates/README.md.jinja");

#[derive(serde::Serialize)]
struct OperationRow {
    method_name: String,
    http_method: &'static str,
    path: String,
    summary: String,
    deprecated: bool,
}

pub fn files(api: &Api, options: &Options, example: Option<&str>) -> Result<Vec<GeneratedFile>> {
    let mut env = Environment::new();
    env.set_keep_trailing_newline(true);
    let template_error =
        |e: minijinja::Error| Diagnostic::in_file("templates/", format!("internal error: {e}"));
    env.add_template("Cargo.toml", CARGO_TOML)
        .map_err(template_error)?;
    env.add_template("README.md", README)
        .map_err(template_error)?;
    let operations: Vec<OperationRow> = api
        .operations
        .iter()
        .map(|o| OperationRow {
            method_name: o.rust_name.clone(),
            http_method: o.method.as_str(),
            path: o.path.clone(),
            summary: o
                .summary
                .clone()
                .unwrap_or_default()
                .replace('|', "\\|")
                .replace('\n', " "),
            deprecated: o.deprecated,
        })
        .collect();
    let ctx = context! {
        marker => OWNER_MARKER,
        crate_name => options.crate_name,
        crate_version => options.crate_version,
        source_name => options.source_name,
        title => api.title,
        api_version => api.version,
        version_header => api.version_header.as_ref().map(|v| v.header.clone()),
        default_version => api.version_header.as_ref().and_then(|v| v.default.clone()),
        servers => api.servers.iter().map(|s| (s.name.clone(), s.url.clone())).collect::<Vec<_>>(),
        operations => operations,
        type_count => api.types.len(),
        example => example,
        crate_ident => options.crate_name.replace('-', "_"),
        paginated => super::pagination::paginated(api),
        paged_example => super::pagination::paginated(api).into_iter().find(|p| p.all_none_args.is_some()),
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
    Ok(vec![render("Cargo.toml")?, render("README.md")?])
}
