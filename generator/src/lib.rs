//! The Intercom client generator: load, normalize, emit, diff.
pub mod diff;
pub mod emit;
pub mod error;
pub mod export;
pub mod ir;
pub mod load;
pub mod normalize;
pub mod pointer;
pub mod write;

use std::path::Path;

/// Everything a generation produced: the files, and the IR they came from
/// (with its warnings, `api.warnings`).
#[derive(Debug, Clone)]
pub struct Generated {
    pub files: Vec<emit::GeneratedFile>,
    pub api: ir::Api,
}

/// Load, normalize and emit the spec at `path`, in memory: nothing is written.
pub fn generate(path: &Path, options: &emit::Options) -> error::Result<Generated> {
    generate_with_overrides(path, None, options)
}

/// Like [`generate`], with an overrides file patched into the spec at load.
pub fn generate_with_overrides(
    path: &Path,
    overrides: Option<&Path>,
    options: &emit::Options,
) -> error::Result<Generated> {
    let spec = load::load_file_with_overrides(path, overrides)?;
    generate_spec(&spec, options)
}

/// Normalize and emit an already loaded spec.
pub fn generate_spec(spec: &load::Spec, options: &emit::Options) -> error::Result<Generated> {
    let api = normalize::normalize(spec)?;
    let files = emit::emit(&api, options)?;
    Ok(Generated { files, api })
}
