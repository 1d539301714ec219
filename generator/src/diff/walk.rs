//! The structural walk: two type references, one per API, compared in
//! parallel, following named types into their definitions. Names and
//! pointers never decide whether two types are the same; shapes do.

use super::{Dir, Finding, Findings, Kind};
use crate::ir::{
    Api, Field, Operation, ResponseContent, TypeDef, TypeId, TypeKind, TypeRef, UnionVariant,
};
use crate::pointer::escape as escape_pointer;
use crate::surface::Surface;
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
    /// The Rust surfaces of both, for the names messages use.
    pub old_s: &'a Surface,
    pub new_s: &'a Surface,
    /// Named types met at the same place with other Rust names: reported
    /// there unless the two turn out to be one type renamed (`rust::types`).
    pub named_at_site: Vec<(Site, TypeId, TypeId)>,
    visited: HashSet<(TypeId, TypeId, Dir)>,
    findings: Findings,
}

use crate::surface::show;

/// A type with its sort, e.g. "struct `Foo`", for types whose names agree.
fn show_sort(api: &Api, surface: &Surface, ty: &TypeRef) -> String {
    let sort = match ty {
        TypeRef::Named(id) => match api.types.get(id.0).map(|t| &t.kind) {
            Some(TypeKind::Struct { .. }) => "struct ",
            Some(TypeKind::Enum { .. }) => "enum ",
            Some(TypeKind::Union { .. }) => "union ",
            None => "",
        },
        _ => "",
    };
    format!("{sort}`{}`", show(surface, ty))
}

fn kind_tag(t: &TypeDef) -> u8 {
    match t.kind {
        TypeKind::Struct { .. } => 0,
        TypeKind::Enum { .. } => 1,
        TypeKind::Union { .. } => 2,
    }
}

impl<'a> Walk<'a> {
    pub fn new(old: &'a Api, new: &'a Api, old_s: &'a Surface, new_s: &'a Surface) -> Self {
        Walk {
            old,
            new,
            old_s,
            new_s,
            named_at_site: Vec::new(),
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

    /// The Rust name of a type of the new API.
    fn new_name(&self, y: &TypeDef) -> String {
        let id = self.new.types.iter().position(|t| std::ptr::eq(t, y));
        id.map_or_else(|| y.place.name(), |i| self.new_s.types[i].name.clone())
    }

    /// One side of the comparison, with its surface: the new API or the old.
    pub fn side(&self, new: bool) -> (&'a Api, &'a Surface) {
        if new {
            (self.new, self.new_s)
        } else {
            (self.old, self.old_s)
        }
    }

    /// The surface of an operation of the old API or the new.
    pub fn op_surface(&self, new: bool, op: &Operation) -> Option<&'a crate::surface::OpSurface> {
        let (api, surface) = self.side(new);
        surface.op_of(api, op)
    }

    /// The Rust name of field, value or alternative `index` of a type, in the old API or the new.
    fn member_name(&self, new: bool, t: &TypeDef, index: usize) -> String {
        let (api, surface) = self.side(new);
        let id = api.types.iter().position(|u| std::ptr::eq(u, t));
        id.and_then(|i| surface.types[i].members.get(index))
            .cloned()
            .unwrap_or_default()
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
            let (mut a, mut b) = (show(self.old_s, old), show(self.new_s, new));
            if a == b {
                // Same name, another sort of type: say which.
                (a, b) = (
                    show_sort(self.old, self.old_s, old),
                    show_sort(self.new, self.new_s, new),
                );
            } else {
                (a, b) = (format!("`{a}`"), format!("`{b}`"));
            }
            let fact = format!("{}: type {a} → {b}", site.subject);
            self.report(site, Finding::new(site.kind, site.dir, &site.pointer, fact));
            return;
        }
        if let Some((a, b)) = named_pair(old, new) {
            if self.old_s.type_name(a) != self.new_s.type_name(b) {
                self.named_at_site.push((site.clone(), a, b));
            }
            self.types(a, b, site.dir);
        }
    }

    /// The pairs of named types compared so far (old, new), in order.
    pub fn compared(&self) -> Vec<(TypeId, TypeId)> {
        let mut pairs: Vec<(TypeId, TypeId)> =
            self.visited.iter().map(|&(a, b, _)| (a, b)).collect();
        pairs.sort();
        pairs.dedup();
        pairs
    }

    /// Compare two named types from no particular direction, unless a walk
    /// from the operations has already compared them.
    pub fn types_once(&mut self, a: TypeId, b: TypeId) {
        let seen = [Dir::Send, Dir::Read, Dir::Both]
            .iter()
            .any(|&d| self.visited.contains(&(a, b, d)));
        if !seen {
            self.types(a, b, Dir::Both);
        }
    }

    /// Report a finding at a site (its operation, schema and subject).
    pub fn report(&mut self, site: &Site, mut f: Finding) {
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
                        Finding::new(Kind::UnionTagChanged, dir, &y.origin, fact)
                            .schema(&self.new_name(y)),
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
            match old.iter().position(|f| f.json_name == g.json_name) {
                Some(i) => {
                    let j = new.iter().position(|h| std::ptr::eq(h, g)).unwrap_or(0);
                    let names = (self.member_name(false, x, i), self.member_name(true, y, j));
                    self.fields(&old[i], g, names, y, &ptr, dir)
                }
                None => {
                    let req = if g.required { "required" } else { "optional" };
                    let j = new.iter().position(|h| std::ptr::eq(h, g)).unwrap_or(0);
                    let fact = format!(
                        "{req} property `{}` added (field `{}: {}`)",
                        g.json_name,
                        self.member_name(true, y, j),
                        show(self.new_s, &g.ty)
                    );
                    self.add(
                        Finding::new(Kind::PropertyAdded, dir, ptr, fact)
                            .schema(&self.new_name(y))
                            .subject(&g.json_name)
                            .loosened(!g.required),
                    );
                }
            }
        }
        for (i, f) in old
            .iter()
            .enumerate()
            .filter(|(_, f)| !new.iter().any(|g| g.json_name == f.json_name))
        {
            let ptr = format!("{}/properties/{}", x.origin, escape_pointer(&f.json_name));
            let fact = format!(
                "property `{}` removed (field `{}`)",
                f.json_name,
                self.member_name(false, x, i)
            );
            self.add(
                Finding::new(Kind::PropertyRemoved, dir, ptr, fact)
                    .schema(&self.new_name(y))
                    .subject(&f.json_name)
                    .signature(true),
            );
        }
    }

    fn fields(
        &mut self,
        f: &Field,
        g: &Field,
        (f_rust, g_rust): (String, String),
        y: &TypeDef,
        ptr: &str,
        dir: Dir,
    ) {
        let name = &g.json_name;
        let schema = self.new_name(y);
        let at = |kind, fact: String| {
            Finding::new(kind, dir, ptr, fact)
                .schema(&schema)
                .subject(name)
        };
        let option_flips = f.optional() != g.optional();
        if f_rust != g_rust {
            let fact = format!("property `{name}`: Rust field `{f_rust}` → `{g_rust}`");
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
            schema: Some(self.new_name(y)),
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
        for (j, w) in new.iter().enumerate() {
            match old.iter().position(|v| v.value == w.value) {
                None => {
                    let fact = format!(
                        "enum value `{}` added (variant `{}`)",
                        w.value,
                        self.member_name(true, y, j)
                    );
                    self.add(
                        Finding::new(Kind::EnumValueAdded, dir, &y.origin, fact)
                            .schema(&self.new_name(y))
                            .subject(&w.value),
                    );
                }
                Some(i) if self.member_name(false, x, i) != self.member_name(true, y, j) => {
                    let fact = format!(
                        "enum value `{}`: Rust variant `{}` → `{}`",
                        w.value,
                        self.member_name(false, x, i),
                        self.member_name(true, y, j)
                    );
                    self.add(
                        Finding::new(Kind::RustNameChanged, dir, &y.origin, fact)
                            .schema(&self.new_name(y))
                            .subject(&w.value)
                            .signature(true),
                    );
                }
                Some(_) => {}
            }
        }
        for (i, v) in old
            .iter()
            .enumerate()
            .filter(|(_, v)| !new.iter().any(|w| w.value == v.value))
        {
            let fact = format!(
                "enum value `{}` removed (variant `{}`)",
                v.value,
                self.member_name(false, x, i)
            );
            self.add(
                Finding::new(Kind::EnumValueRemoved, dir, &x.origin, fact)
                    .schema(&self.new_name(y))
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
        let name = |side: bool, t: &TypeDef, list: &[UnionVariant], v: &UnionVariant| {
            let i = list.iter().position(|u| std::ptr::eq(u, v)).unwrap_or(0);
            self.member_name(side, t, i)
        };
        let pairs: Vec<_> = pairs
            .into_iter()
            .map(|(v, w)| (v, w, name(true, y, new, w)))
            .collect();
        let added: Vec<_> = added
            .into_iter()
            .map(|w| (w, name(true, y, new, w)))
            .collect();
        let removed: Vec<_> = removed
            .into_iter()
            .map(|v| (v, name(false, x, old, v)))
            .collect();
        for (v, w, w_name) in pairs {
            if v.tag_values != w.tag_values && !v.tag_values.is_empty() {
                let fact = format!(
                    "variant `{}`: tag values [{}] → [{}]",
                    w_name,
                    v.tag_values.join(", "),
                    w.tag_values.join(", ")
                );
                self.add(
                    Finding::new(Kind::UnionTagChanged, dir, &y.origin, fact)
                        .schema(&self.new_name(y))
                        .subject(&w_name),
                );
            }
            let site = Site {
                kind: Kind::TypeChanged,
                operation: None,
                schema: Some(self.new_name(y)),
                subject: format!("variant `{w_name}`"),
                pointer: y.origin.clone(),
                dir,
            };
            self.compare(&site, &v.ty, &w.ty);
        }
        for (w, w_name) in added {
            let fact = format!(
                "oneOf/anyOf branch added: variant `{}` (`{}`)",
                w_name,
                show(self.new_s, &w.ty)
            );
            self.add(
                Finding::new(Kind::UnionVariantAdded, dir, &y.origin, fact)
                    .schema(&self.new_name(y))
                    .subject(&w_name),
            );
        }
        for (v, v_name) in removed {
            let fact = format!(
                "oneOf/anyOf branch removed: variant `{}` (`{}`)",
                v_name,
                show(self.old_s, &v.ty)
            );
            self.add(
                Finding::new(Kind::UnionVariantRemoved, dir, &x.origin, fact)
                    .schema(&self.new_name(y))
                    .subject(&v_name)
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
            &|v, w| show(self.old_s, &v.ty) == show(self.new_s, &w.ty),
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

pub(crate) fn content_label(surface: &crate::surface::Surface, c: &ResponseContent) -> String {
    match c {
        ResponseContent::Empty => "no body".into(),
        ResponseContent::Json(t) => format!("JSON `{}`", show(surface, t)),
        ResponseContent::Text => "text".into(),
        ResponseContent::Bytes => "bytes".into(),
    }
}

/// Compare two response contents at `site`: the kind of body, then the JSON types.
pub(crate) fn content_pair(w: &mut Walk, site: &Site, a: &ResponseContent, b: &ResponseContent) {
    match (a, b) {
        (ResponseContent::Json(x), ResponseContent::Json(y)) => w.compare(site, x, y),
        _ if std::mem::discriminant(a) == std::mem::discriminant(b) => {}
        _ => {
            let fact = format!(
                "{}: {} → {}",
                site.subject,
                content_label(w.old_s, a),
                content_label(w.new_s, b)
            );
            let mut f = Finding::new(site.kind, site.dir, &site.pointer, fact)
                .subject(&site.subject)
                .signature(true);
            f.operation.clone_from(&site.operation);
            w.add(f);
        }
    }
}
