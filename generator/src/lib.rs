//! The Intercom client generator, in stages: load (bytes to `openapiv3`),
//! normalize (to the IR, where spec quirks are resolved), surface (every
//! Rust name and signature, decided once), emit (files, in memory), write;
//! and diff, over the IR and the surface of two versions. Each stage
//! imports only the stages below it, and the modules they share: `ir`,
//! `idents` (identifiers from spec names), `runtime` (the runtime's source),
//! `error` and `pointer`.
pub mod diff;
pub mod emit;
pub mod error;
pub mod export;
pub mod idents;
pub mod ir;
pub mod load;
pub mod normalize;
pub mod pointer;
pub mod record;
pub mod runtime;
pub mod surface;
pub mod words;
pub mod write;

use std::path::Path;

/// Everything a generation produced: the files, the record of the crate's
/// public API, and the IR and surface they came from.
#[derive(Debug, Clone)]
pub struct Generated {
    pub files: Vec<emit::GeneratedFile>,
    /// What `api-surface.txt` says of these files ([`record::record`]).
    pub record: String,
    pub api: ir::Api,
    pub surface: surface::Surface,
}

impl Generated {
    /// The crate as if generated with `options` (its version decided after
    /// generating, from what the generation changed): its package files are
    /// written again, nothing else.
    pub fn set_options(&mut self, options: &emit::Options) -> error::Result<()> {
        emit::repackage(&self.api, &self.surface, options, &mut self.files)
    }

    /// What normalize and the surface worked around, with where.
    pub fn warnings(&self) -> impl Iterator<Item = &error::Diagnostic> {
        self.api.warnings.iter().chain(&self.surface.warnings)
    }
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
    let surface = surface::Surface::build(&api, &spec.path);
    let emitted = emit::emit(&api, &surface, options, record::part)?;
    let parts: Vec<record::Part> = emitted.read.into_iter().flatten().collect();
    Ok(Generated {
        record: record::record(&parts),
        files: emitted.files,
        api,
        surface,
    })
}
