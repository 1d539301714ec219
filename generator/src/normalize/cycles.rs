//! Cycle breaking: a struct that contains itself, directly or through other
//! structs and unions (not through a `Vec` or map, which already allocate),
//! would have infinite size. Every such field is put behind a `Box`.

use crate::ir::{Api, TypeId, TypeKind, TypeRef};

/// The named type a value holds inline (without `Vec` or map indirection).
fn inline_target(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        _ => None,
    }
}

/// Types reachable from `from` through inline edges, skipping boxed fields.
fn reaches(api: &Api, from: TypeId, to: TypeId) -> bool {
    let mut seen = vec![false; api.types.len()];
    let mut stack = vec![from];
    while let Some(t) = stack.pop() {
        if t == to {
            return true;
        }
        if std::mem::replace(&mut seen[t.0], true) {
            continue;
        }
        stack.extend(edges(api, t));
    }
    false
}

fn edges(api: &Api, t: TypeId) -> Vec<TypeId> {
    match &api.ty(t).kind {
        TypeKind::Struct { fields } => fields
            .iter()
            .filter(|f| !f.boxed)
            .filter_map(|f| inline_target(&f.ty))
            .collect(),
        TypeKind::Union { variants, .. } => variants
            .iter()
            .filter_map(|v| inline_target(&v.ty))
            .collect(),
        TypeKind::Enum { .. } => Vec::new(),
    }
}

pub fn break_cycles(api: &mut Api) {
    for i in 0..api.types.len() {
        let from = TypeId(i);
        let TypeKind::Struct { fields } = &api.types[i].kind else {
            continue;
        };
        let targets: Vec<(usize, TypeId)> = fields
            .iter()
            .enumerate()
            .filter_map(|(j, f)| inline_target(&f.ty).map(|t| (j, t)))
            .collect();
        for (j, target) in targets {
            if reaches(api, target, from) {
                if let TypeKind::Struct { fields } = &mut api.types[i].kind {
                    fields[j].boxed = true;
                }
            }
        }
    }
}
