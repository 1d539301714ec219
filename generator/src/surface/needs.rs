//! What of the runtime a crate needs, and under which of its Cargo
//! features ([`crate::runtime::NEEDS`]): an operation needs what its code
//! calls (a path parameter's encoding, a form body, a text response, …)
//! under its area's feature; an untagged union needs the runtime's fits
//! under the features that compile it. Emit rewrites the runtime's
//! `feature = "needs-…"` gates with these ([`crate::runtime::gated`]), so
//! that nothing of the runtime is compiled that the crate, in the feature
//! set at hand, does not use.

use super::{Gate, PathPart, Returns, Surface};
use crate::ir::{Api, BodyKind, ParamLocation, ResponseContent, TypeId, TypeKind, TypeRef};
use crate::runtime::{Need, NEEDS};
use std::collections::{BTreeMap, BTreeSet};

/// When each need of [`NEEDS`] is compiled.
pub fn needs(api: &Api, surface: &Surface) -> BTreeMap<String, Need> {
    let mut needs = Needs::default();
    for (op, s) in surface.ops(api) {
        let area = Some(BTreeSet::from([surface.areas[s.area].module.clone()]));
        let mut need = |name: &'static str| needs.add(name, &area);
        need("operations");
        if s.path.iter().any(|p| matches!(p, PathPart::Arg(_))) {
            need("path-param");
        }
        for (p, _) in s.params(op) {
            match p.location {
                ParamLocation::Path => {}
                ParamLocation::Query => need("query-param"),
                ParamLocation::Header => need("header-param"),
                ParamLocation::Cookie => need("cookie-param"),
            }
            if p.required && p.location != ParamLocation::Path {
                need("required");
            }
            if p.json {
                need("content-param");
            }
        }
        if op.accept().is_some() {
            need("accept");
        }
        if let (Some(b), Some(_)) = (&op.body, &s.body) {
            need("body");
            match b.kind {
                BodyKind::Json => need("json-body"),
                BodyKind::Form => need("form-body"),
                BodyKind::Multipart => {
                    need("multipart-body");
                    // A struct's properties go part by part, files as file
                    // parts; any other body as one part per property.
                    match &b.ty {
                        TypeRef::Named(id) => match &api.ty(*id).kind {
                            TypeKind::Struct { fields } => {
                                let file = |t: &TypeRef| *t == TypeRef::Binary;
                                if fields.iter().any(|f| match &f.ty {
                                    TypeRef::Array(item) => file(item),
                                    t => file(t),
                                }) {
                                    need("multipart-file");
                                }
                            }
                            _ => need("multipart-properties"),
                        },
                        _ => need("multipart-properties"),
                    }
                }
                BodyKind::Text | BodyKind::Binary => {}
            }
            if b.required {
                need("required");
            }
        }
        let contents: Vec<&ResponseContent> = match &s.success {
            Returns::One(c) => vec![c],
            Returns::ByStatus { variants, .. } => variants.iter().map(|v| &v.content).collect(),
        };
        for c in contents {
            need(match c {
                ResponseContent::Empty => "empty-response",
                ResponseContent::Json(_) => "json-response",
                ResponseContent::Text => "text-response",
                ResponseContent::Bytes => "bytes-response",
            });
        }
        if s.search.is_some() {
            need("search");
        }
        if let Some(paging) = &s.paging {
            need("paging");
            for added in &paging.added {
                if let super::Place::Query(_) = added.send {
                    need("query-param");
                }
            }
        }
    }
    // The runtime's fits (`Shape`, `Fit`, `best_fit`, and the `Shape`
    // impls of models) are called from `pick` only, which untagged unions
    // call: they are compiled where one is, and nowhere else (a trait no
    // `pick` calls would be dead code). `object_fit` serves the `Shape`
    // impls of struct alternatives: where one of them is compiled, too.
    let mut structs: Option<BTreeSet<String>> = Some(BTreeSet::new());
    for (i, t) in api.types.iter().enumerate() {
        let TypeKind::Union { variants, tag } = &t.kind else {
            continue;
        };
        let gate = features(surface, TypeId(i));
        // Every union reads its alternative from a value it holds.
        needs.add("read-value", &gate);
        if tag.is_none() {
            needs.add("pick", &gate);
            needs.add("unions", &gate);
        }
        for v in variants {
            if let TypeRef::Named(alt) = v.ty {
                if matches!(api.ty(alt).kind, TypeKind::Struct { .. }) {
                    structs = match (structs, features(surface, alt)) {
                        (Some(mut have), Some(more)) => {
                            have.extend(more);
                            Some(have)
                        }
                        _ => None,
                    };
                }
            }
        }
    }
    // The webhooks module reads each item it has a model for from the
    // notification's value.
    if !surface.webhooks.items.is_empty() {
        needs.add(
            "read-value",
            &Some(BTreeSet::from(["webhooks".to_string()])),
        );
    }
    let structs = structs.map_or(Need::Always, Need::Features);
    let unions = needs.0.get("unions").cloned().unwrap_or(Need::Always);
    needs.0.insert(
        "struct-alternative".into(),
        Need::All(vec![structs, unions]),
    );
    // The tolerant read (`Described`, the models' `Node`s, the walk) serves
    // every JSON response and every value read as a model.
    for read in ["json-response", "read-value"] {
        let gate = match needs.0.get(read) {
            Some(Need::Features(features)) => Some(features.clone()),
            _ => None,
        };
        needs.add("tolerant", &gate);
    }
    // A struct's serde impls (`model!`) read and write through the
    // runtime's helpers (`ReadStruct`, `StructWriter`).
    for (i, t) in api.types.iter().enumerate() {
        if matches!(t.kind, TypeKind::Struct { .. }) {
            needs.add("structs", &features(surface, TypeId(i)));
        }
    }
    needs.0
}

/// The features under which type `id` is compiled (`None`: always), as
/// models.rs gates it.
fn features(surface: &Surface, id: TypeId) -> Option<BTreeSet<String>> {
    let mut out: BTreeSet<String> = match surface.type_areas.get(id.0)? {
        Gate::Always => return None,
        Gate::Any(areas) => areas
            .iter()
            .map(|&a| surface.areas[a].module.clone())
            .collect(),
        Gate::AllAreas => BTreeSet::from(["full".to_string()]),
    };
    if surface.webhook_types.get(id.0).copied().unwrap_or(false) {
        out.insert("webhooks".into());
    }
    Some(out)
}

struct Needs(BTreeMap<String, Need>);

impl Default for Needs {
    fn default() -> Self {
        Needs(
            NEEDS
                .iter()
                .map(|n| (n.to_string(), Need::Features(BTreeSet::new())))
                .collect(),
        )
    }
}

impl Needs {
    /// `name` is needed under `features` too (`None`: always).
    fn add(&mut self, name: &str, features: &Option<BTreeSet<String>>) {
        let Some(need) = self.0.get_mut(name) else {
            return;
        };
        match (need, features) {
            (need @ Need::Features(_), None) => *need = Need::Always,
            (Need::Features(have), Some(more)) => have.extend(more.iter().cloned()),
            (Need::Always | Need::All(_), _) => {}
        }
    }
}
