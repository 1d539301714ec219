//! Evidence from examples: the policy for when a spec and its own examples disagree.
//!
//! Intercom's examples were recorded from the real API, and about one in
//! five contradicts its schema. The types must read what the API sends, yet
//! stay as precise as the evidence allows. So each example (response and
//! request) is walked alongside the type it documents, and the type is
//! loosened only where an example shows it must be:
//!
//! - a required, non-nullable property that an example leaves out is made
//!   not required; one that an example sets to null is made nullable
//!   (either way the Rust field becomes an `Option`);
//! - a scalar of the wrong kind (an id that is a number where the schema
//!   says string) widens the field to the smallest union of both kinds
//!   (`StringOrInteger`), an integer where a float appears becomes a number,
//!   and a shape that no scalar union can hold (an object where a string
//!   was promised) becomes any JSON value;
//! - values the types already absorb need nothing: unknown properties land
//!   in `additional_properties`, unknown enum values in `Unknown`, shapes
//!   that no alternative of an untagged union fits in its `Unknown`.
//!
//! Every adjustment is recorded in [`Api::evidence`] with the schema's
//! pointer and the example's place, which `cargo xtask lint-spec` lists.

use super::fit::{self, Fit};
use crate::error::Diagnostic;
use crate::ir::{
    Api, Change, Loosening, Place, TypeDef, TypeId, TypeKind, TypeRef, UnionVariant, ValueKind,
};
use crate::pointer::escape as escape_pointer;
use serde_json::Value;
use std::path::Path;

/// The kinds of JSON scalar a widened union can hold, in a fixed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    String,
    Integer,
    Number,
    Boolean,
}

impl Kind {
    fn of(ty: &TypeRef) -> Option<Kind> {
        match ty {
            TypeRef::String => Some(Kind::String),
            TypeRef::Integer | TypeRef::UnixTime => Some(Kind::Integer),
            TypeRef::Number => Some(Kind::Number),
            TypeRef::Boolean => Some(Kind::Boolean),
            _ => None,
        }
    }
    fn of_json(v: &Value) -> Option<Kind> {
        match v {
            Value::String(_) => Some(Kind::String),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some(Kind::Integer),
            Value::Number(_) => Some(Kind::Number),
            Value::Bool(_) => Some(Kind::Boolean),
            _ => None,
        }
    }
    fn ty(self) -> TypeRef {
        match self {
            Kind::String => TypeRef::String,
            Kind::Integer => TypeRef::Integer,
            Kind::Number => TypeRef::Number,
            Kind::Boolean => TypeRef::Boolean,
        }
    }
    fn json_type(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Integer => "integer",
            Kind::Number => "number",
            Kind::Boolean => "boolean",
        }
    }
    /// The kind as type names say it (`words.rs`).
    fn value_kind(self) -> ValueKind {
        match self {
            Kind::String => ValueKind::String,
            Kind::Integer => ValueKind::Integer,
            Kind::Number => ValueKind::Number,
            Kind::Boolean => ValueKind::Boolean,
        }
    }
}

struct Walker<'a> {
    api: &'a mut Api,
    file: &'a Path,
    /// Describes the example being walked, for diagnostics.
    example: String,
    /// Every place the field being checked stands (see `TypeDef::also_at`).
    pointers: Vec<String>,
}

pub fn apply(api: &mut Api, file: &Path) {
    // The examples are taken out while the types are walked (and loosened),
    // then put back: no copy of them is made.
    // (operation, response or `None` for the request body, its examples)
    type Taken = (usize, Option<usize>, Vec<(String, Value)>);
    let mut taken: Vec<Taken> = Vec::new();
    for (i, op) in api.operations.iter_mut().enumerate() {
        for (j, r) in op.responses.iter_mut().enumerate() {
            if matches!(r.content, crate::ir::ResponseContent::Json(_)) && !r.examples.is_empty() {
                taken.push((i, Some(j), std::mem::take(&mut r.examples)));
            }
        }
        if let Some(b) = &mut op.body {
            if !b.examples.is_empty() {
                taken.push((i, None, std::mem::take(&mut b.examples)));
            }
        }
    }
    // The top-level type of an example is fixed by the operation; only what is inside is loosened.
    let mut w = Walker {
        api,
        file,
        example: String::new(),
        pointers: Vec::new(),
    };
    for (i, response, examples) in &taken {
        let op = &w.api.operations[*i];
        let (ty, what) = match response {
            Some(j) => {
                let r = &op.responses[*j];
                let crate::ir::ResponseContent::Json(ty) = &r.content else {
                    continue;
                };
                (
                    ty.clone(),
                    format!("{} {} response example", op.id, r.status),
                )
            }
            None => match &op.body {
                Some(b) => (b.ty.clone(), format!("{} request example", op.id)),
                None => continue,
            },
        };
        for (name, value) in examples {
            w.example = format!("{what} `{name}`");
            let _ = w.observe(&ty, value, "$");
        }
    }
    for (i, response, examples) in taken {
        let op = &mut api.operations[i];
        match response {
            Some(j) => op.responses[j].examples = examples,
            None => {
                if let Some(b) = &mut op.body {
                    b.examples = examples;
                }
            }
        }
    }
}

/// Every place field `f` stands, its type standing at `origins`: where an
/// `allOf` member declares it (which is loosened there) first, then under
/// each origin.
fn field_places(origins: &[String], f: &crate::ir::Field) -> Vec<String> {
    let name = escape_pointer(&f.json_name);
    let mut places: Vec<String> = origins
        .iter()
        .map(|o| format!("{o}/properties/{name}"))
        .collect();
    if let Some(at) = f.declared_at.as_ref().filter(|at| !places.contains(at)) {
        places.insert(0, at.clone());
    }
    places
}

impl Walker<'_> {
    /// The enum `id` as the field being checked may widen it: `id` itself
    /// when it stands only where the field does, else a copy for the
    /// field's places (named after the field, `<Owner><Field>`), which the
    /// fields there now hold; `id` keeps its other places, unwidened.
    fn own_enum(&mut self, id: TypeId) -> TypeId {
        let places = self.api.ty(id).places();
        let (here, elsewhere): (Vec<String>, Vec<String>) =
            places.into_iter().partition(|p| self.pointers.contains(p));
        let [first, rest @ ..] = here.as_slice() else {
            return id;
        };
        if elsewhere.is_empty() {
            return id;
        }
        // The fields that stand at these places, and their owners.
        let mut holders: Vec<(usize, usize)> = Vec::new();
        for (t, def) in self.api.types.iter().enumerate() {
            let TypeKind::Struct { fields } = &def.kind else {
                continue;
            };
            for (i, f) in fields.iter().enumerate() {
                let at = field_places(&def.places(), f)
                    .iter()
                    .any(|p| here.contains(p));
                if at && f.ty == TypeRef::Named(id) {
                    holders.push((t, i));
                }
            }
        }
        let Some(&(owner, field)) = holders.first() else {
            return id;
        };
        let place = {
            let owner = &self.api.types[owner];
            let TypeKind::Struct { fields } = &owner.kind else {
                return id;
            };
            Place::Copy {
                owner: Box::new(owner.place.clone()),
                property: fields[field].json_name.clone(),
            }
        };
        let mut copy = self.api.ty(id).clone();
        copy.place = place;
        copy.origin = first.clone();
        copy.also_at = rest.to_vec();
        self.api.types.push(copy);
        let copy = TypeId(self.api.types.len() - 1);
        let original = &mut self.api.types[id.0];
        original.origin = elsewhere[0].clone();
        original.also_at = elsewhere[1..].to_vec();
        for (t, i) in holders {
            if let TypeKind::Struct { fields } = &mut self.api.types[t].kind {
                fields[i].ty = TypeRef::Named(copy);
            }
        }
        copy
    }

    /// Record `change` at every place the field being checked stands.
    fn loosen(&mut self, change: Change) {
        for p in &self.pointers {
            self.api.loosenings.push(Loosening {
                pointer: p.clone(),
                change: change.clone(),
            });
        }
    }

    fn note(&mut self, pointer: &str, message: String) {
        let d = Diagnostic::at_pointer(self.file, pointer, format!("{message} ({})", self.example));
        self.api.evidence.push(d);
    }

    /// Make `ty` able to hold `v`. Returns the type to use instead, when `ty` itself must change.
    fn observe(&mut self, ty: &TypeRef, v: &Value, at: &str) -> Option<TypeRef> {
        if v.is_null() {
            return None; // nullability is the caller's (a field's) business
        }
        match ty {
            // A file's bytes: whatever an example shows for it is no evidence of a type.
            TypeRef::Json | TypeRef::Binary => None,
            TypeRef::String
            | TypeRef::Integer
            | TypeRef::UnixTime
            | TypeRef::Number
            | TypeRef::Boolean => self.scalar(ty, v),
            TypeRef::Array(item) => match v {
                Value::Array(items) => {
                    let mut item_ty = (**item).clone();
                    let mut changed = false;
                    for (i, x) in items.iter().enumerate() {
                        if x.is_null() && item_ty != TypeRef::Json {
                            item_ty = TypeRef::Json;
                            changed = true;
                        } else if let Some(t) = self.observe(&item_ty, x, &format!("{at}[{i}]")) {
                            item_ty = t;
                            changed = true;
                        }
                    }
                    changed.then(|| TypeRef::Array(Box::new(item_ty)))
                }
                _ => Some(TypeRef::Json),
            },
            TypeRef::Map(value_ty) => match v {
                Value::Object(map) => {
                    let mut vt = (**value_ty).clone();
                    let mut changed = false;
                    for (k, x) in map {
                        if let Some(t) = self.observe(&vt, x, &format!("{at}.{k}")) {
                            vt = t;
                            changed = true;
                        }
                    }
                    changed.then(|| TypeRef::Map(Box::new(vt)))
                }
                _ => Some(TypeRef::Json),
            },
            TypeRef::Named(id) => self.named(*id, v, at),
        }
    }

    fn scalar(&mut self, ty: &TypeRef, v: &Value) -> Option<TypeRef> {
        let have = Kind::of(ty)?;
        let Some(seen) = Kind::of_json(v) else {
            return Some(TypeRef::Json);
        };
        match (have, seen) {
            (a, b) if a == b => None,
            (Kind::Number, Kind::Integer) => None,
            (Kind::Integer, Kind::Number) => Some(TypeRef::Number),
            (a, b) => Some(self.scalar_union(&[a, b])),
        }
    }

    /// The union type of scalar `kinds`, created once per set.
    fn scalar_union(&mut self, kinds: &[Kind]) -> TypeRef {
        let mut kinds = kinds.to_vec();
        kinds.sort();
        kinds.dedup();
        let place = Place::Kinds(kinds.iter().map(|k| k.value_kind()).collect());
        let origin = format!("(evidence) {}", place.name());
        if let Some(i) = self.api.types.iter().position(|t| t.origin == origin) {
            return TypeRef::Named(TypeId(i));
        }
        let variants = kinds
            .iter()
            .map(|k| UnionVariant {
                ty: k.ty(),
                tag_values: Vec::new(),
            })
            .collect();
        let doc = format!(
            "A value the API sends as any of: {} (its description promises fewer kinds; see `cargo xtask lint-spec`).",
            kinds.iter().map(|k| k.json_type()).collect::<Vec<_>>().join(", ")
        );
        self.api.types.push(TypeDef {
            place,
            origin,
            also_at: Vec::new(),
            required_one_of: Vec::new(),
            keep_untyped: Vec::new(),
            doc: Some(doc),
            kind: TypeKind::Union {
                variants,
                tag: None,
            },
        });
        TypeRef::Named(TypeId(self.api.types.len() - 1))
    }

    fn named(&mut self, id: TypeId, v: &Value, at: &str) -> Option<TypeRef> {
        match &self.api.ty(id).kind {
            TypeKind::Enum { variants } => match v.as_str() {
                Some(text) => {
                    if !variants.iter().any(|x| x.value == text) {
                        let (name, text) = (self.api.ty(id).place.name(), text.to_string());
                        self.loosen(Change::AlsoEnumValue(text.clone()));
                        let pointer = self.pointers.first().cloned().unwrap_or_default();
                        self.note(&pointer, format!("`{at}` is {text:?}, which enum `{name}` does not list; added as a variant"));
                        // Widened where the example showed it, not at the
                        // other places the same enum stands.
                        let id = self.own_enum(id);
                        if let TypeKind::Enum { variants } = &mut self.api.types[id.0].kind {
                            variants.push(crate::ir::EnumVariant {
                                value: text,
                                default: false,
                            });
                        }
                    }
                    None
                }
                None => Some(TypeRef::Json),
            },
            TypeKind::Union { variants, tag } => {
                let Some(tag) = tag else {
                    self.untagged(id, v, at);
                    // Loosen the alternative the generated code reads the value as.
                    if let Some(alt) = self.best_alternative(id, v) {
                        if let Some(t) = self.observe(&alt, v, at) {
                            self.set_union_variant(id, &alt, t);
                        }
                    }
                    return None;
                };
                let value = v.get(tag).and_then(Value::as_str)?;
                let variant = variants
                    .iter()
                    .find(|x| x.tag_values.iter().any(|t| t == value))?
                    .ty
                    .clone();
                if let Some(t) = self.observe(&variant, v, at) {
                    self.set_union_variant(id, &variant, t);
                }
                None
            }
            TypeKind::Struct { .. } => {
                let Value::Object(map) = v else {
                    return Some(TypeRef::Json);
                };
                self.required_sets(id, map, at);
                self.fields(id, map, at);
                None
            }
        }
    }

    fn set_union_variant(&mut self, id: TypeId, old: &TypeRef, new: TypeRef) {
        if let TypeKind::Union { variants, .. } = &mut self.api.types[id.0].kind {
            if let Some(x) = variants.iter_mut().find(|x| &x.ty == old) {
                x.ty = new;
            }
        }
    }

    fn fields(&mut self, id: TypeId, map: &serde_json::Map<String, Value>, at: &str) {
        self.infer_missing(id, map, at);
        let TypeKind::Struct { fields } = &self.api.ty(id).kind else {
            return;
        };
        // A type shared by structurally identical schemas stands at several places.
        let origins = self.api.ty(id).places();
        let fields = fields.clone();
        for (i, f) in fields.iter().enumerate() {
            self.pointers = field_places(&origins, f);
            let pointer = self.pointers[0].clone();
            let place = format!("{at}.{}", f.json_name);
            match map.get(&f.json_name) {
                None if f.required => {
                    self.loosen(Change::NotRequired);
                    self.note(
                        &pointer,
                        format!("required, but absent at `{place}`; read as optional"),
                    );
                    self.update_field(id, i, |f| f.required = false);
                }
                Some(Value::Null) if !f.nullable => {
                    self.loosen(Change::Nullable);
                    self.note(
                        &pointer,
                        format!("not nullable, but null at `{place}`; read as nullable"),
                    );
                    self.update_field(id, i, |f| f.nullable = true);
                }
                Some(Value::String(text))
                    if f.format
                        .as_deref()
                        .is_some_and(|fmt| !format_holds(fmt, text)) =>
                {
                    let fmt = f.format.clone().unwrap_or_default();
                    self.loosen(Change::DropFormat);
                    self.note(
                        &pointer,
                        format!(
                            "format `{fmt}`, but `{place}` is {text:?}; the format is not enforced"
                        ),
                    );
                    self.update_field(id, i, |f| f.format = None);
                }
                Some(x) if !x.is_null() => {
                    if let Some(t) = self.observe(&f.ty, x, &place) {
                        let change = match Kind::of_json(x) {
                            Some(k) if !matches!(t, TypeRef::Json) => {
                                Change::AlsoTypes(vec![k.json_type()])
                            }
                            _ => Change::AnyValue,
                        };
                        self.loosen(change);
                        let message = format!(
                            "typed {}, but `{place}` is {}; read as {}",
                            describe(&f.ty),
                            kind_word(x),
                            self.describe_new(&t)
                        );
                        self.note(&pointer, message);
                        self.update_field(id, i, |f| f.ty = t);
                    }
                }
                _ => {}
            }
        }
    }

    /// Properties of `map` that struct `id` does not declare become optional
    /// fields typed from the value (unless an override keeps them untyped):
    /// what the API sends is typed, not left in `additional_properties`.
    fn infer_missing(&mut self, id: TypeId, map: &serde_json::Map<String, Value>, at: &str) {
        let def = self.api.ty(id);
        let TypeKind::Struct { fields } = &def.kind else {
            return;
        };
        let missing: Vec<(String, Value)> = map
            .iter()
            .filter(|(k, _)| !fields.iter().any(|f| &f.json_name == *k))
            .filter(|(k, _)| !def.keep_untyped.contains(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if missing.is_empty() {
            return;
        }
        let (name, place, origins) = (def.place.name(), def.place.clone(), def.places());
        for (key, value) in missing {
            let ty = self.infer(
                &value,
                &place.property(&key),
                &format!("{}/properties/{}", origins[0], escape_pointer(&key)),
                0,
            );
            let field = crate::ir::Field {
                json_name: key.clone(),
                doc: Some("Seen in the API's examples; not in its description.".into()),
                ty: ty.clone(),
                required: false,
                nullable: value.is_null(),
                deprecated: false,
                boxed: false,
                format: None,
                declared_at: None,
                inferred: true,
            };
            if let TypeKind::Struct { fields } = &mut self.api.types[id.0].kind {
                fields.push(field);
            }
            self.pointers = origins
                .iter()
                .map(|o| format!("{o}/properties/{}", escape_pointer(&key)))
                .collect();
            let pointer = self.pointers[0].clone();
            self.loosen(Change::Inferred);
            let message = format!(
                "`{at}.{key}` is not a property of `{name}`; added as an optional field typed {}",
                self.describe_new(&ty)
            );
            self.note(&pointer, message);
        }
    }

    /// A type for an example's value: scalars as they are, arrays of the
    /// first item's type (widened by the others), objects as new structs
    /// whose fields are all optional.
    fn infer(&mut self, v: &Value, place: &Place, origin: &str, depth: usize) -> TypeRef {
        match v {
            Value::Null => TypeRef::Json,
            Value::Bool(_) => TypeRef::Boolean,
            Value::Number(n) if n.is_i64() || n.is_u64() => TypeRef::Integer,
            Value::Number(_) => TypeRef::Number,
            Value::String(_) => TypeRef::String,
            Value::Array(items) => {
                let mut non_null = items.iter().filter(|x| !x.is_null());
                let Some(first) = non_null.next() else {
                    return TypeRef::Array(Box::new(TypeRef::Json));
                };
                let mut item =
                    self.infer(first, &place.items(), &format!("{origin}/items"), depth + 1);
                for (i, x) in non_null.enumerate() {
                    if let Some(t) = self.observe(&item, x, &format!("{origin}[{}]", i + 1)) {
                        item = t;
                    }
                }
                TypeRef::Array(Box::new(item))
            }
            Value::Object(m) if m.is_empty() || depth > 8 => TypeRef::Map(Box::new(TypeRef::Json)),
            Value::Object(m) => {
                let id = TypeId(self.api.types.len());
                self.api.types.push(TypeDef {
                    place: Place::Seen(Box::new(place.clone())),
                    origin: format!("(inferred) {origin}"),
                    also_at: Vec::new(),
                    required_one_of: Vec::new(),
                    keep_untyped: Vec::new(),
                    doc: Some("Seen in the API's examples; not in its description.".into()),
                    kind: TypeKind::Struct { fields: Vec::new() },
                });
                let fields: Vec<crate::ir::Field> = m
                    .iter()
                    .map(|(k, x)| crate::ir::Field {
                        json_name: k.clone(),
                        doc: None,
                        ty: self.infer(
                            x,
                            &place.property(k),
                            &format!("{origin}/properties/{}", escape_pointer(k)),
                            depth + 1,
                        ),
                        required: false,
                        nullable: x.is_null(),
                        deprecated: false,
                        boxed: false,
                        format: None,
                        declared_at: None,
                        inferred: true,
                    })
                    .collect();
                self.api.types[id.0].kind = TypeKind::Struct { fields };
                TypeRef::Named(id)
            }
        }
    }

    /// An untagged union reads a value as its best fitting alternative, or as `Unknown`;
    /// the spec's `oneOf`, though, wants exactly one to fit. Record where that fails.
    fn untagged(&mut self, id: TypeId, v: &Value, at: &str) {
        let TypeKind::Union { variants, .. } = &self.api.ty(id).kind else {
            return;
        };
        let fitting = variants.iter().filter(|x| self.fits(&x.ty, v, 0)).count();
        let def = self.api.ty(id);
        let (name, origins) = (def.place.name(), def.places());
        let saved = std::mem::replace(&mut self.pointers, origins);
        let pointer = self.pointers[0].clone();
        match fitting {
            0 => {
                self.loosen(Change::AnyValue);
                self.note(
                    &pointer,
                    format!("`{at}` fits none of the alternatives of `{name}`; read as `Unknown`"),
                );
                self.api.gaps.push(crate::ir::Gap {
                    example: self.example.clone(),
                    at: at.to_string(),
                });
            }
            1 => {}
            n => {
                self.loosen(Change::OneOfAsAnyOf);
                self.note(&pointer, format!("`{at}` fits {n} alternatives of `{name}` (a oneOf wants exactly one); read as the one it fits best"));
            }
        }
        self.pointers = saved;
    }

    /// A struct whose schema requires one of several property sets: does the example meet one?
    fn required_sets(&mut self, id: TypeId, map: &serde_json::Map<String, Value>, at: &str) {
        let def = self.api.ty(id);
        let sets = &def.required_one_of;
        let present = |n: &String| map.get(n).is_some_and(|v| !v.is_null());
        if sets.is_empty() || sets.iter().any(|set| set.iter().all(present)) {
            return;
        }
        let message = format!(
            "requires one of the property sets {}, but `{at}` has none of them; not enforced",
            sets.iter()
                .map(|s| format!("[{}]", s.join(", ")))
                .collect::<Vec<_>>()
                .join(" or ")
        );
        self.pointers = def.places();
        let pointer = self.pointers[0].clone();
        self.loosen(Change::DropAlternatives);
        self.note(&pointer, message);
        if let Some(t) = self.api.types.get_mut(id.0) {
            t.required_one_of.clear();
        }
    }

    /// The alternative of untagged union `id` the generated code reads `v`
    /// as: the best fit, as `runtime::pick` ranks them (`fit::ranked`).
    fn best_alternative(&self, id: TypeId, v: &Value) -> Option<TypeRef> {
        let TypeKind::Union { variants, .. } = &self.api.ty(id).kind else {
            return None;
        };
        let best = *fit::ranked(variants.iter().map(|x| self.fit(&x.ty, v, 0))).first()?;
        Some(variants[best].ty.clone())
    }

    /// How well `v` fits `ty`, as the runtime's `Shape::fit` sees it (with
    /// the same `fit.rs`); `None` when it cannot be that type.
    fn fit(&self, ty: &TypeRef, v: &Value, depth: usize) -> Option<Fit> {
        if depth > 64 {
            return None;
        }
        match ty {
            TypeRef::Json => Some(fit::any_fit()),
            TypeRef::String => fit::string_fit(v, |_| true),
            TypeRef::Boolean => fit::kind_fit(v.is_boolean()),
            TypeRef::Integer | TypeRef::UnixTime => fit::kind_fit(v.is_i64() || v.is_u64()),
            TypeRef::Number => fit::kind_fit(v.is_number()),
            TypeRef::Array(_) => fit::kind_fit(v.is_array()),
            TypeRef::Map(_) => fit::kind_fit(v.is_object()),
            // A file part fits a string, as the runtime's `FilePart` does.
            TypeRef::Binary => fit::kind_fit(v.is_string()),
            TypeRef::Named(id) => match &self.api.ty(*id).kind {
                TypeKind::Enum { variants } => {
                    fit::string_fit(v, |text| variants.iter().any(|x| x.value == text))
                }
                // A union that is an alternative fits as its best alternative.
                TypeKind::Union { variants, .. } => variants
                    .iter()
                    .filter_map(|x| self.fit(&x.ty, v, depth + 1))
                    .max(),
                TypeKind::Struct { fields } => {
                    let shape = self.api.object_shape(fields);
                    fit::object_fit(v, &shape.keys, &shape.required, &shape.constants)
                }
            },
        }
    }

    /// Whether `v` reads as `ty` as the types stand (required fields present and not null).
    fn fits(&self, ty: &TypeRef, v: &Value, depth: usize) -> bool {
        if depth > 64 {
            return true;
        }
        match (ty, v) {
            (TypeRef::Json, _) => true,
            (TypeRef::String, Value::String(_)) | (TypeRef::Boolean, Value::Bool(_)) => true,
            (TypeRef::Integer | TypeRef::UnixTime, Value::Number(n)) => n.is_i64() || n.is_u64(),
            (TypeRef::Number, Value::Number(_)) => true,
            (TypeRef::Array(item), Value::Array(xs)) => {
                xs.iter().all(|x| self.fits(item, x, depth + 1))
            }
            (TypeRef::Map(item), Value::Object(m)) => {
                m.values().all(|x| self.fits(item, x, depth + 1))
            }
            (TypeRef::Named(id), _) => match &self.api.ty(*id).kind {
                TypeKind::Enum { .. } => v.is_string(),
                TypeKind::Union { variants, .. } => {
                    variants.iter().any(|x| self.fits(&x.ty, v, depth + 1))
                }
                TypeKind::Struct { fields } => match v {
                    Value::Object(m) => fields.iter().all(|f| match m.get(&f.json_name) {
                        None | Some(Value::Null) => f.optional(),
                        Some(x) => self.fits(&f.ty, x, depth + 1),
                    }),
                    _ => false,
                },
            },
            _ => false,
        }
    }

    fn update_field(&mut self, id: TypeId, i: usize, change: impl FnOnce(&mut crate::ir::Field)) {
        if let TypeKind::Struct { fields } = &mut self.api.types[id.0].kind {
            if let Some(f) = fields.get_mut(i) {
                change(f);
            }
        }
    }

    fn describe_new(&self, t: &TypeRef) -> String {
        match t {
            TypeRef::Named(id) => format!("`{}`", self.api.ty(*id).place.name()),
            other => describe(other),
        }
    }
}

fn describe(t: &TypeRef) -> String {
    match t {
        TypeRef::String => "string".into(),
        TypeRef::Binary => "binary string".into(),
        TypeRef::Integer => "integer".into(),
        TypeRef::UnixTime => "integer (Unix time)".into(),
        TypeRef::Number => "number".into(),
        TypeRef::Boolean => "boolean".into(),
        TypeRef::Json => "any JSON value".into(),
        TypeRef::Map(_) => "a map".into(),
        TypeRef::Array(_) => "an array".into(),
        TypeRef::Named(_) => "an object".into(),
    }
}

fn kind_word(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a fractional number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Whether `text` is plausibly of string `format` (formats we do not check hold).
fn format_holds(format: &str, text: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let is_date = |s: &str| {
        let p: Vec<&str> = s.split('-').collect();
        p.len() == 3
            && p[0].len() == 4
            && p[1].len() == 2
            && p[2].len() == 2
            && p.iter().all(|x| digits(x))
    };
    match format {
        "uuid" => {
            let groups: Vec<&str> = text.split('-').collect();
            groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
                && groups
                    .iter()
                    .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
        }
        "email" => text
            .split_once('@')
            .is_some_and(|(a, b)| !a.is_empty() && b.contains('.')),
        "date" => is_date(text),
        "date-time" => text
            .split_once(['T', 't'])
            .is_some_and(|(d, t)| is_date(d) && t.len() >= 8 && t.as_bytes()[2] == b':'),
        "uri" | "url" => text.contains("://"),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::format_holds;
    use crate::ir::TypeRef;

    #[test]
    fn formats() {
        assert!(format_holds("uuid", "123e4567-e89b-12d3-a456-426614174000"));
        assert!(!format_holds("uuid", "667d616d8a68186f43bafe53"));
        assert!(format_holds("email", "a@b.io") && !format_holds("email", "ab.io"));
        assert!(
            format_holds("date-time", "2024-05-01T10:00:00Z")
                && !format_holds("date-time", "yesterday")
        );
        assert!(format_holds("date", "2024-05-01") && !format_holds("date", "2024-5-1"));
        assert!(format_holds("uri", "https://x.io") && !format_holds("uri", "x"));
        assert!(format_holds("password", "anything"));
    }

    /// Properties the examples carry become typed fields, but not those an
    /// override names in `x-untyped-properties`.
    #[test]
    fn inferred_fields_and_the_override_that_keeps_them_untyped() {
        let spec = r##"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /t:
    get:
      operationId: getT
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/t"}
              example: {id: "1", topics: {total: 2}, raw: [1, 2], note: "n"}
components:
  schemas:
    t:
      type: object
      x-untyped-properties: [note]
      properties:
        id: {type: string}
"##;
        let loaded =
            crate::load::load_bytes(std::path::Path::new("t.yaml"), spec.as_bytes()).unwrap();
        let api = crate::normalize::normalize(&loaded).unwrap();
        let t = api
            .types
            .iter()
            .find(|t| t.origin == "/components/schemas/t")
            .unwrap();
        let crate::ir::TypeKind::Struct { fields } = &t.kind else {
            panic!("t is a struct");
        };
        let names: Vec<&str> = fields.iter().map(|f| f.json_name.as_str()).collect();
        assert_eq!(names, ["id", "topics", "raw"]);
        assert!(fields.iter().skip(1).all(|f| !f.required));
        assert_eq!(fields[2].ty, TypeRef::Array(Box::new(TypeRef::Integer)));
        let TypeRef::Named(topics) = &fields[1].ty else {
            panic!("topics is a struct");
        };
        assert_eq!(api.ty(*topics).place.name(), "TTopics");
        assert!(api.evidence.iter().any(|d| d
            .message
            .contains("`$.topics` is not a property of `T`; added as an optional field")));
    }
}
