//! The Rust surface of the two crates, beyond what the operations' shapes
//! say: every public type by its Rust name (renamed, removed, added), the
//! members of types no operation reaches (event payloads and the like), and
//! which methods each type touches.

use super::walk::Walk;
use super::{Dir, Finding, Kind};
use crate::ir::{Api, TypeId, TypeKind};
use crate::surface::Surface;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Old types paired with new ones: the same schema (a JSON pointer in
/// common) first; then types the walk from the operations met at the same
/// place with the same shape (a schema renamed or moved); then, among the
/// rest, the same Rust name. One to one.
fn pair_types(w: &Walk) -> BTreeMap<TypeId, TypeId> {
    let (old, new) = (w.old, w.new);
    let mut by_place: HashMap<&str, TypeId> = HashMap::new();
    for (i, t) in new.types.iter().enumerate() {
        for place in std::iter::once(&t.origin).chain(&t.also_at) {
            by_place.entry(place.as_str()).or_insert(TypeId(i));
        }
    }
    let mut pairs: BTreeMap<TypeId, TypeId> = BTreeMap::new();
    let mut taken: BTreeSet<TypeId> = BTreeSet::new();
    for (i, t) in old.types.iter().enumerate() {
        let found = std::iter::once(&t.origin)
            .chain(&t.also_at)
            .filter_map(|p| by_place.get(p.as_str()).copied())
            .find(|b| !taken.contains(b));
        if let Some(b) = found {
            pairs.insert(TypeId(i), b);
            taken.insert(b);
        }
    }
    for (a, b) in w.compared() {
        if !pairs.contains_key(&a) && !taken.contains(&b) {
            pairs.insert(a, b);
            taken.insert(b);
        }
    }
    let by_name: HashMap<&str, TypeId> = (0..new.types.len())
        .map(|i| (w.new_s.type_name(TypeId(i)), TypeId(i)))
        .collect();
    for i in (0..old.types.len()).map(TypeId) {
        if pairs.contains_key(&i) {
            continue;
        }
        if let Some(&b) = by_name.get(w.old_s.type_name(i)) {
            if taken.insert(b) {
                pairs.insert(i, b);
            }
        }
    }
    // Last, among what is left, the same shape: a struct with the same
    // property names, or an enum with the same values, alone of its kind on
    // each side (a schema renamed that no operation reaches).
    let left = |api: &Api, paired: &dyn Fn(TypeId) -> bool| {
        let mut by: BTreeMap<String, Vec<TypeId>> = BTreeMap::new();
        for id in (0..api.types.len()).map(TypeId).filter(|&i| !paired(i)) {
            if let Some(f) = fingerprint(api, id) {
                by.entry(f).or_default().push(id);
            }
        }
        by
    };
    let old_left = left(old, &|i| pairs.contains_key(&i));
    let new_left = left(new, &|i| taken.contains(&i));
    for (f, a) in old_left {
        if let (&[a], Some(&[b])) = (a.as_slice(), new_left.get(&f).map(Vec::as_slice)) {
            pairs.insert(a, b);
        }
    }
    pairs
}

/// Property names (structs) or values (enums), sorted; `None` for the rest.
fn fingerprint(api: &Api, id: TypeId) -> Option<String> {
    let mut names: Vec<&str> = match &api.ty(id).kind {
        TypeKind::Struct { fields } => fields.iter().map(|f| f.json_name.as_str()).collect(),
        TypeKind::Enum { variants } => variants.iter().map(|v| v.value.as_str()).collect(),
        TypeKind::Union { .. } => return None,
    };
    if names.is_empty() {
        return None;
    }
    names.sort_unstable();
    let sort = if matches!(api.ty(id).kind, TypeKind::Struct { .. }) {
        "struct"
    } else {
        "enum"
    };
    Some(format!("{sort} {}", names.join(",")))
}

/// For each type, the methods whose signature reaches it (through fields,
/// alternatives, arrays and maps), by Rust method name.
pub(crate) fn methods_by_type(api: &Api, surface: &Surface) -> HashMap<TypeId, BTreeSet<String>> {
    let mut out: HashMap<TypeId, BTreeSet<String>> = HashMap::new();
    for (op, s) in surface.ops(api) {
        for id in api.reachable(op.signature_types()) {
            out.entry(id).or_default().insert(surface.call(s));
        }
    }
    out
}

/// Every public type of the two crates: renamed, removed or added; the
/// places where a signature now names another type; and the members of
/// paired types that no operation reached.
pub(crate) fn types(w: &mut Walk) {
    let pairs = pair_types(w);
    let paired_new: BTreeSet<TypeId> = pairs.values().copied().collect();
    for (&a, &b) in &pairs {
        let (na, nb) = (
            w.old_s.type_name(a).to_string(),
            w.new_s.type_name(b).to_string(),
        );
        if na != nb {
            let fact = format!("type `{na}` is now `{nb}`");
            w.add(
                Finding::new(Kind::RustTypeRenamed, Dir::Both, &w.new.ty(b).origin, fact)
                    .schema(&nb)
                    .subject(&na)
                    .signature(true),
            );
        }
    }
    // Types of one side without a pair on the other: removed from the old, added to the new.
    let paired_old: BTreeSet<TypeId> = pairs.keys().copied().collect();
    for (new, paired) in [(false, &paired_old), (true, &paired_new)] {
        let (api, surface) = w.side(new);
        for id in (0..api.types.len()).map(TypeId) {
            if paired.contains(&id) || is_version(api, id) {
                continue;
            }
            let name = surface.type_name(id).to_string();
            let (kind, what) = if new {
                (Kind::RustTypeAdded, "added")
            } else {
                (Kind::RustTypeRemoved, "removed")
            };
            let fact = format!("type `{name}` {what}");
            w.add(
                Finding::new(kind, Dir::Both, &api.ty(id).origin, fact)
                    .schema(&name)
                    .subject(&name)
                    .signature(!new),
            );
        }
    }
    // A signature or field that now names another type of the same shape
    // (not the same type renamed, reported above).
    for (site, a, b) in std::mem::take(&mut w.named_at_site) {
        if pairs.get(&a) == Some(&b) {
            continue;
        }
        let kind = match site.kind {
            Kind::ParameterTypeChanged | Kind::RequestBodyTypeChanged => Kind::RequestTypeChanged,
            Kind::ResponseContentChanged | Kind::ReturnTypeChanged => Kind::ReturnTypeChanged,
            other => other,
        };
        let (na, nb) = (w.old_s.type_name(a), w.new_s.type_name(b));
        let fact = format!(
            "{}: type `{na}` → `{nb}` (another Rust type of the same shape)",
            site.subject
        );
        w.report(&site, Finding::new(kind, site.dir, &site.pointer, fact));
    }
    // Constructors and setters: every struct has them (models are
    // `#[non_exhaustive]`), whether requests send it or users build it.
    for (&a, &b) in &pairs {
        constructors(w, a, b);
    }
    // What no operation reached: compared member by member, from both sides.
    for (a, b) in pairs {
        w.types_once(a, b);
    }
}

/// `Type::new`'s arguments and the setters of a struct, old and new:
/// a required field made optional leaves `new` (and gets a setter), a
/// field made required or a one-value enum joins or leaves it, and so on.
fn constructors(w: &mut Walk, a: TypeId, b: TypeId) {
    let side = |new: bool, id: TypeId| {
        let (_, surface) = w.side(new);
        surface.types[id.0].setters.as_ref()?;
        let names: Option<Vec<String>> = surface.constructor_args(id).map(|args| {
            args.iter()
                .map(|&i| surface.member(id, i).to_string())
                .collect()
        });
        let setters: Vec<String> = surface.types[id.0]
            .setters
            .iter()
            .flatten()
            .flatten()
            .cloned()
            .collect();
        Some((names, setters))
    };
    // A type that is no longer a struct has neither.
    let (Some((old_args, old_setters)), new) = (side(false, a), side(true, b)) else {
        return;
    };
    // "In requests" only for a type requests send; users build the others.
    let dir = if w.old_s.types[a.0].sent || w.new_s.types[b.0].sent {
        Dir::Send
    } else {
        Dir::Both
    };
    let name = w.new_s.type_name(b).to_string();
    let pointer = w.new.ty(b).origin.clone();
    let (new_args, new_setters) = new.unwrap_or_default();
    let fact = match (&old_args, &new_args) {
        (Some(a), Some(b)) if a != b => Some(format!(
            "`{name}::new({})` → `{name}::new({})`",
            a.join(", "),
            b.join(", ")
        )),
        (Some(a), None) => Some(format!("`{name}::new({})` removed", a.join(", "))),
        // Every field was optional: it had `Default`, which a required field takes away.
        (None, Some(b)) => Some(format!(
            "`{name}::default()` → `{name}::new({})` (a field is now required)",
            b.join(", ")
        )),
        _ => None,
    };
    if let Some(fact) = fact {
        w.add(
            Finding::new(Kind::ConstructorChanged, dir, &pointer, fact)
                .schema(&name)
                .subject(format!("{name}::new"))
                .signature(true),
        );
    }
    let gone: Vec<String> = old_setters
        .iter()
        .filter(|s| !new_setters.contains(s))
        .map(|s| format!("`{s}`"))
        .collect();
    if !gone.is_empty() {
        let fact = format!("setters of `{name}` removed: {}", gone.join(", "));
        w.add(
            Finding::new(Kind::ConstructorChanged, dir, &pointer, fact)
                .schema(&name)
                .subject(format!("{name} setters"))
                .signature(true),
        );
    }
}

fn is_version(api: &Api, id: TypeId) -> bool {
    api.version_header.as_ref().is_some_and(|v| v.ty == id)
}
