//! Type names, and the names of their fields, values and alternatives.

use super::names::{snake_ident, type_ident, Case, Scope};
use super::{reserved, TypeNames};
use crate::error::Diagnostic;
use crate::idents::variant_names;
use crate::ir::{Api, TypeKind, TypeRef, ValueKind};
use crate::pointer::escape;
use crate::words::kind_word;
use std::path::Path;

/// The variants a string enum has of its own (`Unknown` holds values it
/// does not list), and what a value named like one of them takes.
const ENUM_RESERVED: &[&str] = &["Unknown", "Self"];
const ENUM_SUFFIX: &str = "Value";

/// The scope of every type name of the crate (models and operation enums).
pub(super) fn type_scope() -> Scope {
    Scope::new(Case::Camel, "Model").reserve(reserved::type_names())
}

/// Names for every IR type, in a crate-wide scope; returns the scope too, for
/// the operations' own enums.
pub(super) fn name_types(
    api: &Api,
    file: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> (Vec<TypeNames>, Scope) {
    let mut scope = type_scope().reserve(reserved::MODEL_CONSTRUCTOR_TYPES.iter().copied());
    let wanted = wanted_names(api);
    let mut names: Vec<Option<String>> = vec![None; wanted.len()];
    // Names nobody holds go first, so a spec's `ErrorModel` keeps its name
    // and its `Error` (held by the crate) steps aside to `ErrorModel2`.
    for (i, w) in wanted.iter().enumerate() {
        if scope.is_free(w) {
            names[i] = Some(scope.claim(w, &api.types[i].origin).name);
        }
    }
    for (i, w) in wanted.iter().enumerate() {
        if names[i].is_none() {
            let origin = &api.types[i].origin;
            let claim = scope.claim(w, origin);
            if let Some(message) = claim.collision("schema name") {
                warnings.push(Diagnostic::at_pointer(file, origin, message));
            }
            names[i] = Some(claim.name);
        }
    }
    // Property names repeat across types (`type`, `id`, …): each is made an identifier once.
    let mut snake: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    let sent = api.reachable(api.operations.iter().flat_map(|op| {
        op.params
            .iter()
            .map(|p| &p.ty)
            .chain(op.body.iter().map(|b| &b.ty))
    }));
    let types = api
        .types
        .iter()
        .zip(names)
        .enumerate()
        .map(|(i, (t, name))| {
            let members = members(api, t, file, warnings, &mut snake);
            // Every struct is `#[non_exhaustive]`, so every struct is built
            // with `new` and setters, by requests and by users' own tests.
            let setters = match &t.kind {
                TypeKind::Struct { fields } => Some(setters(fields, &members)),
                _ => None,
            };
            let default = match &t.kind {
                TypeKind::Enum { variants } => variants
                    .iter()
                    .position(|v| v.default)
                    .or((variants.len() == 1).then_some(0)),
                _ => None,
            };
            let filled: Vec<Option<crate::ir::TypeId>> = match &t.kind {
                TypeKind::Struct { fields } => fields.iter().map(|f| one_value(api, f)).collect(),
                _ => Vec::new(),
            };
            let required_sets = match (&t.kind, &setters) {
                (TypeKind::Struct { fields }, Some(setters)) => {
                    required_sets(&t.required_one_of, fields, &members, setters)
                }
                _ => Vec::new(),
            };
            let derives_default = match &t.kind {
                TypeKind::Struct { fields } => {
                    required_sets.is_empty()
                        && fields
                            .iter()
                            .zip(&filled)
                            .all(|(f, tag)| f.optional() || tag.is_some())
                }
                _ => false,
            };
            let new_args = match &t.kind {
                TypeKind::Struct { fields } if !derives_default => Some(
                    (0..fields.len())
                        .filter(|&i| !fields[i].optional() && filled[i].is_none())
                        .collect(),
                ),
                _ => None,
            };
            TypeNames {
                default,
                name: name.unwrap_or_default(),
                members,
                setters,
                sent: sent.contains(&crate::ir::TypeId(i)),
                derives_default,
                filled,
                new_args,
                required_sets,
                extends: None,
            }
        })
        .collect();
    (types, scope)
}

/// The component struct that struct `id`, made where it sits, extends: one
/// whose every field `id` has as it is (name, type, optional or not), `id`'s
/// other fields all optional; the one with the most fields, if it is the
/// only one with that many.
pub(super) fn extended(api: &Api, id: crate::ir::TypeId) -> Option<crate::ir::TypeId> {
    let t = api.ty(id);
    let TypeKind::Struct { fields } = &t.kind else {
        return None;
    };
    if t.is_component() {
        return None;
    }
    let mut best: Vec<(usize, crate::ir::TypeId)> = Vec::new();
    for (i, n) in api.types.iter().enumerate() {
        let TypeKind::Struct { fields: base } = &n.kind else {
            continue;
        };
        if i == id.0 || !n.is_component() || base.is_empty() || base.len() >= fields.len() {
            continue;
        }
        let has = |b: &crate::ir::Field| {
            fields.iter().any(|f| {
                f.json_name == b.json_name
                    && (f.ty.same_rust(&b.ty) || widens(api, &f.ty, &b.ty))
                    && f.optional() == b.optional()
                    && f.boxed == b.boxed
            })
        };
        let rest_optional = fields
            .iter()
            .filter(|f| !base.iter().any(|b| b.json_name == f.json_name))
            .all(crate::ir::Field::optional);
        if base.iter().all(has) && rest_optional && n.required_one_of.is_empty() {
            best.push((base.len(), crate::ir::TypeId(i)));
        }
    }
    best.sort_by_key(|b| std::cmp::Reverse(b.0));
    match best.as_slice() {
        [(n, only), rest @ ..] if rest.first().is_none_or(|(m, _)| m < n) => Some(*only),
        _ => None,
    }
}

/// Whether `wide` is a union with an alternative of type `narrow` that no
/// other alternative shares, so that `narrow` converts into it (`From`):
/// the same id declared a string here and a string or an integer there.
pub fn widens(api: &Api, wide: &TypeRef, narrow: &TypeRef) -> bool {
    let TypeRef::Named(id) = wide else {
        return false;
    };
    match &api.ty(*id).kind {
        TypeKind::Union { variants, .. } => {
            variants.iter().filter(|v| &v.ty == narrow).count() == 1
                && !matches!(narrow, TypeRef::Integer | TypeRef::UnixTime)
        }
        _ => false,
    }
}

/// The constructors of a struct whose description requires one of `sets`
/// of properties: `with_<the set's fields>` and the optional fields each
/// sets, where every field of each set is one and no member or setter has
/// the name (else none: the struct keeps `new` or `Default`).
fn required_sets(
    sets: &[Vec<String>],
    fields: &[crate::ir::Field],
    members: &[String],
    setters: &[Option<String>],
) -> Vec<(String, Vec<usize>)> {
    let mut out: Vec<(String, Vec<usize>)> = Vec::new();
    for set in sets {
        let indices: Option<Vec<usize>> = set
            .iter()
            .map(|name| {
                fields
                    .iter()
                    .position(|f| &f.json_name == name)
                    .filter(|&i| fields[i].optional())
            })
            .collect();
        let Some(indices) = indices.filter(|i| !i.is_empty()) else {
            return Vec::new();
        };
        let words: Vec<&str> = indices.iter().map(|&i| members[i].as_str()).collect();
        let name = format!("with_{}", words.join("_and_"));
        let taken = members.contains(&name)
            || setters.iter().flatten().any(|s| *s == name)
            || out.iter().any(|(n, _)| *n == name);
        if taken {
            return Vec::new();
        }
        out.push((name, indices));
    }
    out
}

/// The name each type asks its scope for: the one it wants, unless another
/// type wants it too; then a component schema keeps it (the description
/// named it) and each inline schema takes the longer name its place gives it
/// (`ir::Place::context_name`, `words.rs`), all of them, whichever comes first in the
/// document. What still collides after that is numbered by the scope, with
/// a warning: the last resort (two components whose names differ only in
/// case or punctuation, say).
fn wanted_names(api: &Api) -> Vec<String> {
    let wanted: Vec<String> = api.types.iter().map(|t| t.place.name()).collect();
    let mut wanting: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for w in &wanted {
        *wanting.entry(w.to_ascii_lowercase()).or_default() += 1;
    }
    api.types
        .iter()
        .zip(wanted)
        .map(|(t, w)| {
            let shared = wanting[&w.to_ascii_lowercase()] > 1;
            match t.place.context_name() {
                Some(context) if shared && !t.is_component() => context,
                _ => w,
            }
        })
        .collect()
}

/// The setters of a struct: one per optional field,
/// named as the field unless that would shadow a method every value has
/// (`clone`) or the constructor (`new`): then `<field>_value`.
fn setters(fields: &[crate::ir::Field], members: &[String]) -> Vec<Option<String>> {
    let mut scope = Scope::new(Case::Snake, "_value")
        .reserve(reserved::STD_METHODS.iter().copied().chain(["new", "fit"]));
    fields
        .iter()
        .zip(members)
        .map(|(f, m)| f.optional().then(|| scope.claim(m, "").name))
        .collect()
}

fn members<'a>(
    api: &Api,
    t: &'a crate::ir::TypeDef,
    file: &Path,
    warnings: &mut Vec<Diagnostic>,
    snake: &mut std::collections::HashMap<&'a str, String>,
) -> Vec<String> {
    match &t.kind {
        TypeKind::Struct { fields } => {
            let mut scope =
                Scope::new(Case::Snake, "_field").reserve(["additional_properties", "as_arrived"]);
            fields
                .iter()
                .map(|f| {
                    let at = format!("{}/properties/{}", t.origin, escape(&f.json_name));
                    let base = snake
                        .entry(f.json_name.as_str())
                        .or_insert_with(|| snake_ident(&f.json_name));
                    let claim = scope.claim(base, &at);
                    if let Some(message) = claim.collision(&format!("property `{}`", f.json_name)) {
                        warnings.push(Diagnostic::at_pointer(file, &at, message));
                    }
                    claim.name
                })
                .collect()
        }
        TypeKind::Enum { variants } => {
            let mut scope = Scope::new(Case::Camel, ENUM_SUFFIX)
                .exact()
                .reserve(ENUM_RESERVED.iter().copied());
            let at = format!("{}/enum", t.origin);
            let values = variants.iter().map(|v| v.value.as_str());
            let names = variant_names(values, ENUM_RESERVED, ENUM_SUFFIX);
            variants
                .iter()
                .zip(names)
                .map(|(v, name)| {
                    let claim = scope.claim(&name, &at);
                    if let Some(message) = claim.collision(&format!("value `{}`", v.value)) {
                        warnings.push(Diagnostic::at_pointer(file, &at, message));
                    }
                    claim.name
                })
                .collect()
        }
        TypeKind::Union { variants, .. } => {
            // Alternatives are distinct types; two of them can only share a
            // name when their types do, which the type names report already.
            let mut scope = Scope::new(Case::Camel, "Variant").reserve(["Unknown", "Self"]);
            let union = t.place.name();
            let full: Vec<String> = variants.iter().map(|v| alternative(api, &v.ty)).collect();
            // An alternative made for this union is named after it
            // (`ConfigureWithKey`, `ConfigureListItem`): its variant is the
            // rest (`WithKey`, `List`) when the rests are distinct.
            let short: Vec<String> = variants
                .iter()
                .zip(&full)
                .map(|(v, name)| match &v.ty {
                    TypeRef::Array(inner) if made_for(api, inner, &union) => "List".to_string(),
                    _ => after_union(name, &union).unwrap_or(name).to_string(),
                })
                .collect();
            let distinct = short
                .iter()
                .enumerate()
                .all(|(i, a)| short.iter().skip(i + 1).all(|b| !a.eq_ignore_ascii_case(b)));
            let chosen = if distinct { short } else { full };
            chosen
                .iter()
                .map(|name| scope.claim(name, &t.origin).name)
                .collect()
        }
    }
}

/// Whether `ty` is a type made for the union named `union` (its name
/// starts with the union's).
fn made_for(api: &Api, ty: &TypeRef, union: &str) -> bool {
    match ty {
        TypeRef::Named(id) => after_union(&api.ty(*id).place.name(), union).is_some(),
        _ => false,
    }
}

/// What a name says after the union's name it starts with (`WithKey` in
/// `ConfigureWithKey`), if it does.
fn after_union<'n>(name: &'n str, union: &str) -> Option<&'n str> {
    name.strip_prefix(union)
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// The variant name of a union alternative of type `ty`: its type's name,
/// or its kind's word (`words.rs`); a list's, its items' and `List`.
fn alternative(api: &Api, ty: &TypeRef) -> String {
    let kind = match ty {
        TypeRef::String => ValueKind::String,
        TypeRef::Binary => ValueKind::File,
        TypeRef::Integer => ValueKind::Integer,
        TypeRef::UnixTime => ValueKind::Timestamp,
        TypeRef::Number => ValueKind::Number,
        TypeRef::Boolean => ValueKind::Boolean,
        TypeRef::Json => ValueKind::Value,
        TypeRef::Map(_) => ValueKind::Map,
        TypeRef::Array(inner) => {
            return format!("{}{}", alternative(api, inner), kind_word(ValueKind::List))
        }
        TypeRef::Named(id) => return api.ty(*id).place.name(),
    };
    kind_word(kind).to_string()
}

/// The variant of `Region` for each server.
pub(super) fn regions(api: &Api, file: &Path, warnings: &mut Vec<Diagnostic>) -> Vec<String> {
    let mut scope = Scope::new(Case::Camel, "Region").reserve(["Custom", "Self"]);
    api.servers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let at = format!("/servers/{i}");
            let claim = scope.claim(&type_ident(&s.label), &at);
            if let Some(message) = claim.collision("server") {
                warnings.push(Diagnostic::at_pointer(file, &at, message));
            }
            claim.name
        })
        .collect()
}

/// The enum of a required field whose type is a one-value enum (a type
/// tag): constructors fill its one value in.
fn one_value(api: &Api, f: &crate::ir::Field) -> Option<crate::ir::TypeId> {
    let crate::ir::TypeRef::Named(id) = f.ty else {
        return None;
    };
    match &api.ty(id).kind {
        TypeKind::Enum { variants } if variants.len() == 1 && !f.boxed && !f.optional() => Some(id),
        _ => None,
    }
}
