//! The structural walk: two type references, one per API, compared in
//! parallel, following named types into their definitions. Names and
//! pointers never decide whether two types are the same; shapes do.

use super::{Dir, Finding, Findings, Kind};
use crate::ir::{Api, Field, TypeDef, TypeId, TypeKind, TypeRef, UnionVariant};
use crate::pointer::escape as escape_pointer;
use std::collections::{BTreeSet, HashSet};

/// Where a type reference sits: what to report if the two types differ there.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    /// The kind reported when the shapes differ at this place.
    pub kind: Kind,
    pub operation: Option<String>,
    pub schema: Option<String>,
    /// What sits here, e.g. "property `source`", "parameter `id`".
    pub subject: String,
    pub pointer: String,
    pub dir: Dir,
}

pub(crate) struct Walk<'a> {
    pub old: &'a Api,
    pub new: &'a Api,
    visited: HashSet<(TypeId, TypeId, Dir)>,
    findings: Findings,
}

/// A type as Rust spells it, for messages.
pub(crate) fn show(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::Integer => "i64".into(),
        TypeRef::UnixTime => "UnixTimestamp".into(),
        TypeRef::Number => "f64".into(),
        TypeRef::Boolean => "bool".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::Map(v) => format!("Map<String, {}>", show(api, v)),
        TypeRef::Array(v) => format!("Vec<{}>", show(api, v)),
        TypeRef::Named(id) => api
            .types
            .get(id.0)
            .map_or_else(|| "?".into(), |t| t.name.clone()),
    }
}

/// A type with its sort, e.g. "struct `Foo`", for types whose names agree.
fn show_sort(api: &Api, ty: &TypeRef) -> String {
    let sort = match ty {
        TypeRef::Named(id) => match api.types.get(id.0).map(|t| &t.kind) {
            Some(TypeKind::Struct { .. }) => "struct ",
            Some(TypeKind::Enum { .. }) => "enum ",
            Some(TypeKind::Union { .. }) => "union ",
            None => "",
        },
        _ => "",
    };
    format!("{sort}`{}`", show(api, ty))
}

fn kind_tag(t: &TypeDef) -> u8 {
    match t.kind {
        TypeKind::Struct { .. } => 0,
        TypeKind::Enum { .. } => 1,
        TypeKind::Union { .. } => 2,
    }
}

impl<'a> Walk<'a> {
    pub fn new(old: &'a Api, new: &'a Api) -> Self {
        Walk {
            old,
            new,
            visited: HashSet::new(),
            findings: Findings::default(),
        }
    }

    pub fn add(&mut self, f: Finding) {
        self.findings.add(f);
    }

    pub fn into_findings(self) -> Findings {
        self.findings
    }

    fn old_def(&self, id: TypeId) -> Option<&'a TypeDef> {
        self.old.types.get(id.0)
    }
    fn new_def(&self, id: TypeId) -> Option<&'a TypeDef> {
        self.new.types.get(id.0)
    }

    /// Whether the two references have the same shape down to their named
    /// types (which must be of the same sort: struct, enum or union).
    fn same_shape(&self, old: &TypeRef, new: &TypeRef) -> bool {
        match (old, new) {
            (TypeRef::Array(a), TypeRef::Array(b)) | (TypeRef::Map(a), TypeRef::Map(b)) => {
                self.same_shape(a, b)
            }
            (TypeRef::Named(a), TypeRef::Named(b)) => match (self.old_def(*a), self.new_def(*b)) {
                (Some(x), Some(y)) => kind_tag(x) == kind_tag(y),
                _ => false,
            },
            (TypeRef::Named(_), _) | (_, TypeRef::Named(_)) => false,
            (a, b) => a == b,
        }
    }

    /// Compare the types at `site`: a change of shape is reported there;
    /// otherwise the named types inside are compared in turn.
    pub fn compare(&mut self, site: &Site, old: &TypeRef, new: &TypeRef) {
        if !self.same_shape(old, new) {
            let (mut a, mut b) = (show(self.old, old), show(self.new, new));
            if a == b {
                // Same name, another sort of type: say which.
                (a, b) = (show_sort(self.old, old), show_sort(self.new, new));
            } else {
                (a, b) = (format!("`{a}`"), format!("`{b}`"));
            }
            let fact = format!("{}: type {a} → {b}", site.subject);
            self.report(site, Finding::new(site.kind, site.dir, &site.pointer, fact));
            return;
        }
        if let Some((a, b)) = named_pair(old, new) {
            self.types(a, b, site.dir);
        }
    }

    fn report(&mut self, site: &Site, mut f: Finding) {
        f.operation.clone_from(&site.operation);
        f.schema.clone_from(&site.schema);
        f.subject.clone_from(&site.subject);
        f.signature = true;
        self.add(f);
    }

    /// Compare two named types of the same sort, once per pair and direction.
    fn types(&mut self, a: TypeId, b: TypeId, dir: Dir) {
        if !self.visited.insert((a, b, dir)) {
            return;
        }
        // The version enum has rules of its own (see `api::version_header`).
        let is_version = |api: &Api, id| api.version_header.as_ref().is_some_and(|v| v.ty == id);
        if is_version(self.old, a) && is_version(self.new, b) {
            return;
        }
        let (Some(x), Some(y)) = (self.old_def(a), self.new_def(b)) else {
            return;
        };
        match (&x.kind, &y.kind) {
            (TypeKind::Struct { fields: f }, TypeKind::Struct { fields: g }) => {
                self.structs(x, f, y, g, dir)
            }
            (TypeKind::Enum { variants: v }, TypeKind::Enum { variants: w }) => {
                self.enums(x, v, y, w, dir)
            }
            (TypeKind::Union { tag: s, .. }, TypeKind::Union { tag: t, .. }) => {
                if s != t {
                    let show_tag = |t: &Option<String>| {
                        t.as_ref()
                            .map_or("untagged".to_string(), |t| format!("tagged by `{t}`"))
                    };
                    let fact = format!("union {} → {}", show_tag(s), show_tag(t));
                    self.add(
                        Finding::new(Kind::UnionTagChanged, dir, &y.origin, fact).schema(&y.name),
                    );
                }
                self.unions(x, y, dir)
            }
            _ => {}
        }
    }

    fn structs(&mut self, x: &TypeDef, old: &[Field], y: &TypeDef, new: &[Field], dir: Dir) {
        for g in new {
            let ptr = format!("{}/properties/{}", y.origin, escape_pointer(&g.json_name));
            match old.iter().find(|f| f.json_name == g.json_name) {
                Some(f) => self.fields(f, g, y, &ptr, dir),
                None => {
                    let req = if g.required { "required" } else { "optional" };
                    let fact = format!(
                        "{req} property `{}` added (`{}`)",
                        g.json_name,
                        show(self.new, &g.ty)
                    );
                    self.add(
                        Finding::new(Kind::PropertyAdded, dir, ptr, fact)
                            .schema(&y.name)
                            .subject(&g.json_name)
                            .loosened(!g.required),
                    );
                }
            }
        }
        for f in old
            .iter()
            .filter(|f| !new.iter().any(|g| g.json_name == f.json_name))
        {
            let ptr = format!("{}/properties/{}", x.origin, escape_pointer(&f.json_name));
            let fact = format!("property `{}` removed", f.json_name);
            self.add(
                Finding::new(Kind::PropertyRemoved, dir, ptr, fact)
                    .schema(&y.name)
                    .subject(&f.json_name)
                    .signature(true),
            );
        }
    }

    fn fields(&mut self, f: &Field, g: &Field, y: &TypeDef, ptr: &str, dir: Dir) {
        let name = &g.json_name;
        let at = |kind, fact: String| {
            Finding::new(kind, dir, ptr, fact)
                .schema(&y.name)
                .subject(name)
        };
        let option_flips = f.optional() != g.optional();
        if f.rust_name != g.rust_name {
            let fact = format!(
                "property `{name}`: Rust field `{}` → `{}`",
                f.rust_name, g.rust_name
            );
            self.add(at(Kind::RustNameChanged, fact).signature(true));
        }
        if f.required != g.required {
            let fact = format!(
                "property `{name}` is now {}",
                if g.required { "required" } else { "optional" }
            );
            self.add(
                at(Kind::RequiredChanged, fact)
                    .loosened(!g.required)
                    .signature(option_flips),
            );
        }
        if f.nullable != g.nullable {
            let fact = format!(
                "property `{name}` is now {}",
                if g.nullable {
                    "nullable"
                } else {
                    "non-nullable"
                }
            );
            self.add(
                at(Kind::NullableChanged, fact)
                    .loosened(g.nullable)
                    .signature(option_flips && f.required == g.required),
            );
        }
        if g.deprecated && !f.deprecated {
            self.add(at(
                Kind::PropertyDeprecated,
                format!("property `{name}` is deprecated"),
            ));
        }
        if f.boxed != g.boxed {
            let fact = format!(
                "property `{name}`: {}",
                if g.boxed {
                    "now held in a `Box`"
                } else {
                    "no longer held in a `Box`"
                }
            );
            self.add(at(Kind::TypeChanged, fact).signature(true));
        }
        let site = Site {
            kind: Kind::TypeChanged,
            operation: None,
            schema: Some(y.name.clone()),
            subject: format!("property `{name}`"),
            pointer: ptr.to_string(),
            dir,
        };
        self.compare(&site, &f.ty, &g.ty);
    }

    fn enums(
        &mut self,
        x: &TypeDef,
        old: &[crate::ir::EnumVariant],
        y: &TypeDef,
        new: &[crate::ir::EnumVariant],
        dir: Dir,
    ) {
        for w in new {
            match old.iter().find(|v| v.value == w.value) {
                None => {
                    let fact = format!("enum value `{}` added", w.value);
                    self.add(
                        Finding::new(Kind::EnumValueAdded, dir, &y.origin, fact)
                            .schema(&y.name)
                            .subject(&w.value),
                    );
                }
                Some(v) if v.rust_name != w.rust_name => {
                    let fact = format!(
                        "enum value `{}`: Rust variant `{}` → `{}`",
                        w.value, v.rust_name, w.rust_name
                    );
                    self.add(
                        Finding::new(Kind::RustNameChanged, dir, &y.origin, fact)
                            .schema(&y.name)
                            .subject(&w.value)
                            .signature(true),
                    );
                }
                Some(_) => {}
            }
        }
        for v in old
            .iter()
            .filter(|v| !new.iter().any(|w| w.value == v.value))
        {
            let fact = format!("enum value `{}` removed", v.value);
            self.add(
                Finding::new(Kind::EnumValueRemoved, dir, &x.origin, fact)
                    .schema(&y.name)
                    .subject(&v.value)
                    .signature(true),
            );
        }
    }

    fn unions(&mut self, x: &TypeDef, y: &TypeDef, dir: Dir) {
        let (TypeKind::Union { variants: old, .. }, TypeKind::Union { variants: new, .. }) =
            (&x.kind, &y.kind)
        else {
            return;
        };
        let (pairs, removed, added) = self.match_variants(old, new);
        for (v, w) in pairs {
            if v.tag_values != w.tag_values && !v.tag_values.is_empty() {
                let fact = format!(
                    "variant `{}`: tag values [{}] → [{}]",
                    w.rust_name,
                    v.tag_values.join(", "),
                    w.tag_values.join(", ")
                );
                self.add(
                    Finding::new(Kind::UnionTagChanged, dir, &y.origin, fact)
                        .schema(&y.name)
                        .subject(&w.rust_name),
                );
            }
            let site = Site {
                kind: Kind::TypeChanged,
                operation: None,
                schema: Some(y.name.clone()),
                subject: format!("variant `{}`", w.rust_name),
                pointer: y.origin.clone(),
                dir,
            };
            self.compare(&site, &v.ty, &w.ty);
        }
        for w in added {
            let fact = format!(
                "oneOf/anyOf branch added: variant `{}` (`{}`)",
                w.rust_name,
                show(self.new, &w.ty)
            );
            self.add(
                Finding::new(Kind::UnionVariantAdded, dir, &y.origin, fact)
                    .schema(&y.name)
                    .subject(&w.rust_name),
            );
        }
        for v in removed {
            let fact = format!(
                "oneOf/anyOf branch removed: variant `{}` (`{}`)",
                v.rust_name,
                show(self.old, &v.ty)
            );
            self.add(
                Finding::new(Kind::UnionVariantRemoved, dir, &x.origin, fact)
                    .schema(&y.name)
                    .subject(&v.rust_name)
                    .signature(true),
            );
        }
    }

    /// Pair the alternatives of two unions: by tag value, then by type name,
    /// origin, or set of property names or values. What is left is removed or added.
    fn match_variants<'v>(&self, old: &'v [UnionVariant], new: &'v [UnionVariant]) -> Matched<'v> {
        let mut left: Vec<&UnionVariant> = old.iter().collect();
        let mut right: Vec<&UnionVariant> = new.iter().collect();
        let mut pairs = Vec::new();
        let tests: [Test; 4] = [
            &|v, w| v.tag_values.iter().any(|t| w.tag_values.contains(t)),
            &|v, w| show(self.old, &v.ty) == show(self.new, &w.ty),
            &|v, w| {
                self.origin(self.old, &v.ty)
                    .is_some_and(|o| Some(o) == self.origin(self.new, &w.ty))
            },
            &|v, w| {
                self.fingerprint(self.old, &v.ty)
                    .is_some_and(|p| Some(p) == self.fingerprint(self.new, &w.ty))
            },
        ];
        for test in tests {
            let mut i = 0;
            while i < left.len() {
                match right.iter().position(|w| test(left[i], w)) {
                    Some(j) => pairs.push((left.remove(i), right.remove(j))),
                    None => i += 1,
                }
            }
        }
        (pairs, left, right)
    }

    fn origin<'t>(&self, api: &'t Api, ty: &TypeRef) -> Option<&'t str> {
        match ty {
            TypeRef::Named(id) => api.types.get(id.0).map(|t| t.origin.as_str()),
            _ => None,
        }
    }

    /// A shallow fingerprint of a named type: its property names or values.
    fn fingerprint(&self, api: &Api, ty: &TypeRef) -> Option<BTreeSet<String>> {
        let TypeRef::Named(id) = ty else { return None };
        match &api.types.get(id.0)?.kind {
            TypeKind::Struct { fields } => {
                Some(fields.iter().map(|f| f.json_name.clone()).collect())
            }
            TypeKind::Enum { variants } => Some(variants.iter().map(|v| v.value.clone()).collect()),
            TypeKind::Union { .. } => None,
        }
    }
}

/// A test of whether two union alternatives are the same one.
type Test<'t> = &'t dyn Fn(&UnionVariant, &UnionVariant) -> bool;

/// Union alternatives paired, then those only in the old union, then those only in the new one.
type Matched<'v> = (
    Vec<(&'v UnionVariant, &'v UnionVariant)>,
    Vec<&'v UnionVariant>,
    Vec<&'v UnionVariant>,
);

/// The named types at the same place inside two references of the same shape.
fn named_pair(old: &TypeRef, new: &TypeRef) -> Option<(TypeId, TypeId)> {
    match (old, new) {
        (TypeRef::Array(a), TypeRef::Array(b)) | (TypeRef::Map(a), TypeRef::Map(b)) => {
            named_pair(a, b)
        }
        (TypeRef::Named(a), TypeRef::Named(b)) => Some((*a, *b)),
        _ => None,
    }
}
