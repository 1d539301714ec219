//! Stage 2, normalize: an OpenAPI document to the [`Api`] IR.
//!
//! Order of work (as in typify): reserve a [`TypeId`] and a name for every
//! component schema, convert component bodies, convert operations (which
//! may add inline types), decide union tags, then break cycles with `Box`.

mod cycles;
pub mod evidence;
/// How well a JSON value fits a type: the runtime's own `fit.rs`, so that
/// what the evidence pass foretells is what the generated crate reads.
#[path = "../../../runtime/src/runtime/fit.rs"]
mod fit;
mod operations;
mod schema;
pub mod search;

use crate::error::{Diagnostic, Error, Result};
use crate::ir::{Api, Server, TypeDef, TypeId, TypeKind, TypeRef};
use crate::load::Spec;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

pub(crate) struct Ctx<'a> {
    file: &'a Path,
    doc: &'a openapiv3::OpenAPI,
    types: Vec<TypeDef>,
    /// The name each type's place wants ([`crate::ir::Place::name`]), kept
    /// beside `types` because the rules that share types compare them often.
    names: Vec<String>,
    components: BTreeMap<String, schema::Component>,
    /// Named types whose bodies have been (or are being) converted.
    converted: HashSet<TypeId>,
    /// Inline nominal schemas by structural key, so identical shapes that
    /// want one name share one type.
    inline: HashMap<String, Vec<TypeId>>,
    /// Inline types of properties: the property, and the words the names of
    /// its owners have in common (see `schema::common_run`).
    property_types: HashMap<TypeId, (String, Vec<String>)>,
    /// Unions one of whose alternatives is null.
    union_nullable: HashSet<TypeId>,
    pending_unions: Vec<(TypeId, Option<openapiv3::Discriminator>, String)>,
    warnings: Vec<Diagnostic>,
    errors: Vec<Diagnostic>,
    /// Changes to the document the normalizer made (see `ir::Loosening`).
    loosenings: Vec<crate::ir::Loosening>,
}

impl<'a> Ctx<'a> {
    fn warn(&mut self, pointer: &str, message: String) {
        self.warnings
            .push(Diagnostic::at_pointer(self.file, pointer, message));
    }
    fn error(&mut self, pointer: &str, message: String) {
        self.errors
            .push(Diagnostic::at_pointer(self.file, pointer, message));
    }
}

/// Build the IR for a loaded spec. Fails only on what cannot be worked around.
pub fn normalize(spec: &Spec) -> Result<Api> {
    let doc = &spec.doc;
    let mut ctx = Ctx {
        file: &spec.path,
        doc,
        types: Vec::new(),
        names: Vec::new(),
        components: BTreeMap::new(),
        converted: HashSet::new(),
        inline: HashMap::new(),
        property_types: HashMap::new(),
        union_nullable: HashSet::new(),
        pending_unions: Vec::new(),
        warnings: spec.warnings.clone(),
        errors: Vec::new(),
        loosenings: Vec::new(),
    };
    ctx.reserve_components();
    ctx.convert_components();
    let (operations, version_header) = ctx.operations();
    ctx.tag_unions();
    if !ctx.errors.is_empty() {
        return Err(Error {
            diagnostics: ctx.errors,
        });
    }
    let mut api = Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        servers: servers(doc),
        tags: doc
            .tags
            .iter()
            .map(|t| crate::ir::Tag {
                name: t.name.clone(),
                description: t.description.clone(),
            })
            .collect(),
        version_header,
        types: ctx.types,
        operations,
        warnings: ctx.warnings,
        evidence: Vec::new(),
        loosenings: ctx.loosenings,
        gaps: Vec::new(),
    };
    evidence::apply(&mut api, &spec.path);
    search::read(&mut api, &spec.path);
    cycles::break_cycles(&mut api);
    Ok(api)
}

/// Servers with labels: `x-region` when the spec gives one, else the part
/// of the host that differs between servers (`api.eu.intercom.io` is `eu`).
fn servers(doc: &openapiv3::OpenAPI) -> Vec<Server> {
    let hosts: Vec<String> = doc
        .servers
        .iter()
        .map(|s| {
            s.url
                .split("://")
                .nth(1)
                .unwrap_or(&s.url)
                .split('/')
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    let labels: Vec<Vec<&str>> = hosts.iter().map(|h| h.split('.').collect()).collect();
    let common_suffix = (0..)
        .take_while(|&i| {
            let first = labels
                .first()
                .and_then(|l| l.len().checked_sub(i + 1).map(|j| l[j]));
            first.is_some()
                && labels
                    .iter()
                    .all(|l| l.len() > i && Some(l[l.len() - 1 - i]) == first)
        })
        .count();
    doc.servers
        .iter()
        .zip(&labels)
        .map(|(s, l)| {
            let explicit = s
                .extensions
                .get("x-region")
                .and_then(|v| v.as_str())
                .map(str::to_string);
            let derived = || {
                let distinct: Vec<&str> = l[..l.len().saturating_sub(common_suffix)]
                    .iter()
                    .copied()
                    .filter(|p| *p != "api" && *p != "www")
                    .collect();
                if distinct.is_empty() || labels.len() < 2 {
                    "Default".to_string()
                } else {
                    distinct.join("_")
                }
            };
            Server {
                label: explicit.unwrap_or_else(derived),
                url: s.url.trim_end_matches('/').to_string(),
                description: s.description.clone(),
            }
        })
        .collect()
}

impl<'a> Ctx<'a> {
    /// Decide, for each union, whether a property tells its variants apart:
    /// the discriminator's, or a property every variant has as a one-value enum.
    fn tag_unions(&mut self) {
        let pending = std::mem::take(&mut self.pending_unions);
        for (id, discriminator, ptr) in pending {
            let TypeKind::Union { variants, .. } = &self.types[id.0].kind else {
                continue;
            };
            let structs: Option<Vec<TypeId>> = variants
                .iter()
                .map(|v| match v.ty {
                    TypeRef::Named(t)
                        if matches!(self.types[t.0].kind, TypeKind::Struct { .. }) =>
                    {
                        Some(t)
                    }
                    _ => None,
                })
                .collect();
            // A union without alternatives (`oneOf: []`, or only nulls) has nothing to tell apart.
            let Some(structs) = structs.filter(|s| !s.is_empty()) else {
                if discriminator.is_some() {
                    self.warn(
                        &ptr,
                        "discriminator ignored: not every alternative is an object".into(),
                    );
                }
                continue;
            };
            let candidates: Vec<String> = match &discriminator {
                Some(d) => vec![d.property_name.clone()],
                None => {
                    let mut c: Vec<String> = self
                        .single_value_props(structs[0])
                        .into_iter()
                        .map(|(p, _)| p)
                        .collect();
                    c.sort_by_key(|p| (p != "type", p.clone()));
                    c
                }
            };
            let mut chosen = None;
            for prop in candidates {
                let values: Option<Vec<Vec<String>>> = structs
                    .iter()
                    .map(|&s| self.tag_values(s, &prop, discriminator.as_ref()))
                    .collect();
                let Some(values) = values else { continue };
                let mut all: Vec<&String> = values.iter().flatten().collect();
                let n = all.len();
                all.sort();
                all.dedup();
                if all.len() == n && values.iter().all(|v| !v.is_empty()) {
                    chosen = Some((prop, values));
                    break;
                }
            }
            match chosen {
                Some((prop, values)) => {
                    if let TypeKind::Union { variants, tag } = &mut self.types[id.0].kind {
                        for (v, vals) in variants.iter_mut().zip(values) {
                            v.tag_values = vals;
                        }
                        *tag = Some(prop);
                    }
                }
                None if discriminator.is_some() => {
                    self.warn(&ptr, "discriminator ignored: its values do not tell the alternatives apart; read as untagged".into());
                }
                None => {}
            }
        }
    }

    /// Properties of a struct whose type is a one-value string enum, with that value.
    fn single_value_props(&self, id: TypeId) -> Vec<(String, String)> {
        let TypeKind::Struct { fields } = &self.types[id.0].kind else {
            return Vec::new();
        };
        fields
            .iter()
            .filter_map(|f| match &f.ty {
                TypeRef::Named(e) => match &self.types[e.0].kind {
                    TypeKind::Enum { variants } if variants.len() == 1 => {
                        Some((f.json_name.clone(), variants[0].value.clone()))
                    }
                    _ => None,
                },
                _ => None,
            })
            .collect()
    }

    fn tag_values(
        &self,
        id: TypeId,
        prop: &str,
        discriminator: Option<&openapiv3::Discriminator>,
    ) -> Option<Vec<String>> {
        if let Some(d) = discriminator {
            // Every place the type stands at, and every component that is an
            // alias of it (`Lizard: {allOf: [PetBase]}`): a schema read as
            // another keeps its mapping.
            let mut places = self.types[id.0].places();
            places.extend(self.components.iter().filter_map(|(name, c)| match c {
                schema::Component::Alias(c) if c.ty == TypeRef::Named(id) => Some(format!(
                    "/components/schemas/{}",
                    crate::pointer::escape(name)
                )),
                _ => None,
            }));
            let mapped: Vec<String> = d
                .mapping
                .iter()
                .filter(|(_, target)| places.iter().any(|p| p == target.trim_start_matches('#')))
                .map(|(value, _)| value.clone())
                .collect();
            if !mapped.is_empty() {
                return Some(mapped);
            }
        }
        if let Some((_, v)) = self
            .single_value_props(id)
            .into_iter()
            .find(|(p, _)| p == prop)
        {
            return Some(vec![v]);
        }
        // Without a mapping, a discriminator's value is the component's name.
        let origin = &self.types[id.0].origin;
        match (discriminator, origin.strip_prefix("/components/schemas/")) {
            (Some(_), Some(name)) => Some(vec![crate::pointer::unescape(name)]),
            _ => None,
        }
    }
}
