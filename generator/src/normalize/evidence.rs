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

use crate::error::{escape_pointer, Diagnostic};
use crate::ir::{Api, TypeDef, TypeId, TypeKind, TypeRef, UnionVariant};
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
    fn name(self) -> &'static str {
        match self {
            Kind::String => "String",
            Kind::Integer => "Integer",
            Kind::Number => "Number",
            Kind::Boolean => "Boolean",
        }
    }
}

struct Walker<'a> {
    api: &'a mut Api,
    file: &'a Path,
    /// Describes the example being walked, for diagnostics.
    example: String,
}

pub fn apply(api: &mut Api, file: &Path) {
    let mut cases: Vec<(TypeRef, Value, String)> = Vec::new();
    for op in &api.operations {
        for r in &op.responses {
            if let crate::ir::ResponseContent::Json(ty) = &r.content {
                for (name, v) in &r.examples {
                    cases.push((
                        ty.clone(),
                        v.clone(),
                        format!("{} {} response example `{name}`", op.id, r.status),
                    ));
                }
            }
        }
        if let Some(b) = &op.body {
            for (name, v) in &b.examples {
                cases.push((
                    b.ty.clone(),
                    v.clone(),
                    format!("{} request example `{name}`", op.id),
                ));
            }
        }
    }
    // The top-level type of an example is fixed by the operation; only what is inside is loosened.
    let mut w = Walker {
        api,
        file,
        example: String::new(),
    };
    for (ty, value, label) in cases {
        w.example = label;
        let _ = w.observe(&ty, &value, "$");
    }
}

impl Walker<'_> {
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
            TypeRef::Json => None,
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
        let name = kinds
            .iter()
            .map(|k| k.name())
            .collect::<Vec<_>>()
            .join("Or");
        let origin = format!("(evidence) {name}");
        if let Some(i) = self.api.types.iter().position(|t| t.origin == origin) {
            return TypeRef::Named(TypeId(i));
        }
        let mut unique = name.clone();
        let mut n = 2;
        while self.api.types.iter().any(|t| t.name == unique) {
            unique = format!("{name}{n}");
            n += 1;
        }
        let variants = kinds
            .iter()
            .map(|k| UnionVariant {
                rust_name: k.name().into(),
                ty: k.ty(),
                tag_values: Vec::new(),
            })
            .collect();
        let doc = format!(
            "A value the API sends as any of: {} (its description promises fewer kinds; see `cargo xtask lint-spec`).",
            kinds.iter().map(|k| k.name().to_ascii_lowercase()).collect::<Vec<_>>().join(", ")
        );
        self.api.types.push(TypeDef {
            name: unique,
            origin,
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
            TypeKind::Enum { .. } => (!v.is_string()).then_some(TypeRef::Json),
            TypeKind::Union { variants, tag } => {
                let Some(tag) = tag else { return None }; // untagged: `Unknown` absorbs what fits nothing
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
        let TypeKind::Struct { fields } = &self.api.ty(id).kind else {
            return;
        };
        let origin = self.api.ty(id).origin.clone();
        let fields = fields.clone();
        for (i, f) in fields.iter().enumerate() {
            let pointer = format!("{origin}/properties/{}", escape_pointer(&f.json_name));
            let place = format!("{at}.{}", f.json_name);
            match map.get(&f.json_name) {
                None if f.required => {
                    self.note(
                        &pointer,
                        format!("required, but absent at `{place}`; read as optional"),
                    );
                    self.update_field(id, i, |f| f.required = false);
                }
                Some(Value::Null) if !f.nullable => {
                    self.note(
                        &pointer,
                        format!("not nullable, but null at `{place}`; read as nullable"),
                    );
                    self.update_field(id, i, |f| f.nullable = true);
                }
                Some(x) if !x.is_null() => {
                    if let Some(t) = self.observe(&f.ty, x, &place) {
                        self.note(
                            &pointer,
                            format!(
                                "typed {}, but `{place}` is {}; read as {}",
                                describe(&f.ty),
                                kind_word(x),
                                self.describe_new(&t)
                            ),
                        );
                        self.update_field(id, i, |f| f.ty = t);
                    }
                }
                _ => {}
            }
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
            TypeRef::Named(id) => format!("`{}`", self.api.ty(*id).name),
            other => describe(other),
        }
    }
}

fn describe(t: &TypeRef) -> String {
    match t {
        TypeRef::String => "string".into(),
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
