//! Schemas to types: `$ref`s, inline objects, `allOf`, `oneOf`/`anyOf`,
//! enums, nullability, maps and the Unix-timestamp integers.
//!
//! Documented fallbacks (each with a warning naming the pointer):
//! - a `$ref` that points nowhere, or outside `#/components/schemas`, is any JSON value;
//! - `not`, and aliases that refer to themselves, are any JSON value;
//! - `allOf` members that are not objects are left out of the merge.

use super::Ctx;
use crate::idents::type_ident;
use crate::ir::{
    Distinction, EnumVariant, Field, Place, TypeDef, TypeId, TypeKind, TypeRef, UnionVariant,
    ValueKind,
};
use crate::pointer::escape as escape_pointer;
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty,
};

/// A converted schema: its type and whether null is allowed.
#[derive(Debug, Clone, PartialEq)]
pub struct Converted {
    pub ty: TypeRef,
    pub nullable: bool,
}

impl Converted {
    fn of(ty: TypeRef) -> Self {
        Converted {
            ty,
            nullable: false,
        }
    }
}

/// Where a schema sits, as either a reference or an inline schema.
#[derive(Clone, Copy)]
pub enum SchemaRef<'s> {
    Ref(&'s str),
    Item(&'s Schema),
}

impl<'s> From<&'s ReferenceOr<Schema>> for SchemaRef<'s> {
    fn from(r: &'s ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }
}

impl<'s> From<&'s ReferenceOr<Box<Schema>>> for SchemaRef<'s> {
    fn from(r: &'s ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SchemaRef::Ref(reference),
            ReferenceOr::Item(s) => SchemaRef::Item(s),
        }
    }
}

/// The state of a component schema during conversion.
#[derive(Debug, Clone)]
pub enum Component {
    /// A named type, reserved before its body is converted.
    Named(TypeId),
    /// A component being converted that is not a named type (guards alias cycles).
    Resolving,
    /// A component that is an alias for another type.
    Alias(Converted),
}

/// What a schema is, whatever way the spec spelled it.
enum Shape<'s> {
    Object {
        props: Vec<(&'s String, &'s ReferenceOr<Box<Schema>>)>,
        required: &'s [String],
        additional: Option<&'s AdditionalProperties>,
    },
    StringEnum(Vec<Option<String>>),
    String,
    /// `format: binary`: a file's bytes.
    Binary,
    Integer {
        unix_time: bool,
    },
    Number,
    Boolean,
    Array(Option<&'s ReferenceOr<Box<Schema>>>),
    Union(
        &'s [ReferenceOr<Schema>],
        Option<&'s openapiv3::Discriminator>,
    ),
    AllOf(&'s [ReferenceOr<Schema>]),
    Null,
    Any,
    Not,
}

fn is_unix_time(format: &str) -> bool {
    matches!(format, "date-time" | "timestamp" | "unix-time")
}

fn shape(schema: &Schema) -> Shape<'_> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            let binary = matches!(
                &s.format,
                VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary)
            );
            if s.enumeration.is_empty() && binary {
                Shape::Binary
            } else if s.enumeration.is_empty() {
                Shape::String
            } else {
                Shape::StringEnum(s.enumeration.clone())
            }
        }
        SchemaKind::Type(Type::Integer(i)) => {
            let unix_time =
                matches!(&i.format, VariantOrUnknownOrEmpty::Unknown(f) if is_unix_time(f));
            Shape::Integer { unix_time }
        }
        SchemaKind::Type(Type::Number(_)) => Shape::Number,
        SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
        SchemaKind::Type(Type::Array(a)) => Shape::Array(a.items.as_ref()),
        SchemaKind::Type(Type::Object(o)) => Shape::Object {
            props: o.properties.iter().collect(),
            required: &o.required,
            additional: o.additional_properties.as_ref(),
        },
        SchemaKind::OneOf { one_of } => {
            Shape::Union(one_of, schema.schema_data.discriminator.as_ref())
        }
        SchemaKind::AnyOf { any_of } => {
            Shape::Union(any_of, schema.schema_data.discriminator.as_ref())
        }
        SchemaKind::AllOf { all_of } => Shape::AllOf(all_of),
        SchemaKind::Not { .. } => Shape::Not,
        SchemaKind::Any(a) => {
            // `properties` with a `oneOf`/`anyOf` of bare `required` lists: the combinator only
            // constrains which properties must be present; the shape is the object.
            let constraint_only = |alts: &[ReferenceOr<Schema>]| {
                !alts.is_empty()
                    && alts
                        .iter()
                        .all(|x| matches!(x, ReferenceOr::Item(s) if is_constraint_only(s)))
            };
            if !a.properties.is_empty()
                && (constraint_only(&a.one_of) || constraint_only(&a.any_of))
            {
                return Shape::Object {
                    props: a.properties.iter().collect(),
                    required: &a.required,
                    additional: a.additional_properties.as_ref(),
                };
            }
            if !a.one_of.is_empty() {
                Shape::Union(&a.one_of, schema.schema_data.discriminator.as_ref())
            } else if !a.any_of.is_empty() {
                Shape::Union(&a.any_of, schema.schema_data.discriminator.as_ref())
            } else if !a.all_of.is_empty() {
                Shape::AllOf(&a.all_of)
            } else if let Some(scalar) = any_scalar(a) {
                // An explicit scalar type wins over `properties` a scalar cannot have.
                scalar
            } else if !a.properties.is_empty() || a.typ.as_deref() == Some("object") {
                Shape::Object {
                    props: a.properties.iter().collect(),
                    required: &a.required,
                    additional: a.additional_properties.as_ref(),
                }
            } else if a.items.is_some() || a.typ.as_deref() == Some("array") {
                Shape::Array(a.items.as_ref())
            } else {
                match a.typ.as_deref() {
                    Some("null") => Shape::Null,
                    _ => Shape::Any,
                }
            }
        }
    }
}

/// Properties by name, in the order the schema lists them.
type Props<'s> = Vec<(&'s String, &'s ReferenceOr<Box<Schema>>)>;

/// The properties an `allOf` schema declares beside its members (JSON
/// Schema applies both): `allOf: [base]` with `properties: {id: …}` is the
/// base plus `id`.
fn own_properties(schema: &Schema) -> (Props<'_>, &[String]) {
    match &schema.schema_kind {
        SchemaKind::Any(a) if !a.all_of.is_empty() => (a.properties.iter().collect(), &a.required),
        _ => (Vec::new(), &[]),
    }
}

/// `x-untyped-properties: [name, …]`: undeclared properties the examples
/// carry that must not become inferred fields.
fn keep_untyped(schema: &Schema) -> Vec<String> {
    schema
        .schema_data
        .extensions
        .get("x-untyped-properties")
        .and_then(serde_json::Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(|n| n.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Merge the properties an `allOf` schema declares itself (at `ptr`) after its members'.
fn add_own<'s>(
    schema: &'s Schema,
    ptr: &str,
    props: &mut Vec<(String, &'s ReferenceOr<Box<Schema>>, String)>,
    required: &mut Vec<String>,
) {
    let (own, own_required) = own_properties(schema);
    for (name, prop) in own {
        let prop_ptr = format!("{ptr}/properties/{}", escape_pointer(name));
        match props.iter_mut().find(|(n, _, _)| n == name) {
            Some(slot) => *slot = (name.clone(), prop, prop_ptr),
            None => props.push((name.clone(), prop, prop_ptr)),
        }
    }
    for r in own_required {
        if !required.contains(r) {
            required.push(r.clone());
        }
    }
}

/// The shape of a schema openapiv3 could not type whose `type` is a scalar.
fn any_scalar(a: &openapiv3::AnySchema) -> Option<Shape<'_>> {
    Some(match a.typ.as_deref()? {
        "string" => {
            let values: Vec<Option<String>> = a
                .enumeration
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect();
            if values.is_empty() {
                Shape::String
            } else {
                Shape::StringEnum(values)
            }
        }
        "integer" => Shape::Integer {
            unix_time: a.format.as_deref().is_some_and(is_unix_time),
        },
        "number" => Shape::Number,
        "boolean" => Shape::Boolean,
        _ => return None,
    })
}

/// A schema that states only which properties are required (no type, no properties of its own).
fn is_constraint_only(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(a) => {
            a.typ.is_none()
                && a.properties.is_empty()
                && a.one_of.is_empty()
                && a.any_of.is_empty()
                && a.all_of.is_empty()
                && a.items.is_none()
                && a.enumeration.is_empty()
        }
        _ => false,
    }
}

/// The required lists of a constraint-only `oneOf`/`anyOf` next to `properties`.
fn required_alternatives(schema: &Schema) -> Vec<Vec<String>> {
    let SchemaKind::Any(a) = &schema.schema_kind else {
        return Vec::new();
    };
    let alts = if a.one_of.is_empty() {
        &a.any_of
    } else {
        &a.one_of
    };
    alts.iter()
        .filter_map(|x| match x {
            ReferenceOr::Item(s) if is_constraint_only(s) => match &s.schema_kind {
                SchemaKind::Any(c) => Some(c.required.clone()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// Whether a schema becomes a named type of its own.
fn is_nominal(schema: &Schema) -> bool {
    match shape(schema) {
        Shape::Object { props, .. } => !props.is_empty(),
        Shape::StringEnum(values) => values.iter().any(Option::is_some),
        Shape::Union(alts, _) => alts.len() > 1,
        Shape::AllOf(members) => {
            members.len() > 1
                || matches!(members.first(), Some(ReferenceOr::Item(_)))
                || !own_properties(schema).0.is_empty()
        }
        _ => false,
    }
}

/// The component schemas a discriminated union inside `schema` names: its
/// mapping's targets and its alternatives' `$ref`s.
fn discriminated_alternatives<'s>(
    schema: &'s Schema,
    depth: usize,
    out: &mut std::collections::HashSet<&'s str>,
) {
    if depth > 32 {
        return;
    }
    let component = |r: &'s str| r.strip_prefix(COMPONENT_PREFIX);
    if let Shape::Union(alts, Some(d)) = shape(schema) {
        out.extend(d.mapping.values().filter_map(|target| component(target)));
        out.extend(alts.iter().filter_map(|a| match a {
            ReferenceOr::Reference { reference } => component(reference),
            ReferenceOr::Item(_) => None,
        }));
    }
    let mut nested = |s: &'s ReferenceOr<Schema>| {
        if let ReferenceOr::Item(s) = s {
            discriminated_alternatives(s, depth + 1, out);
        }
    };
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => o.properties.values().for_each(|p| match p {
            ReferenceOr::Item(s) => discriminated_alternatives(s, depth + 1, out),
            ReferenceOr::Reference { .. } => {}
        }),
        SchemaKind::Type(Type::Array(a)) => {
            if let Some(ReferenceOr::Item(s)) = &a.items {
                discriminated_alternatives(s, depth + 1, out);
            }
        }
        SchemaKind::OneOf { one_of: all }
        | SchemaKind::AnyOf { any_of: all }
        | SchemaKind::AllOf { all_of: all } => all.iter().for_each(&mut nested),
        _ => {}
    }
}

/// A key that is equal for two schemas exactly when they have the same
/// structure, whatever their descriptions, examples and key order.
fn structural_key(schema: &Schema) -> String {
    const DOC_KEYS: &[&str] = &[
        "description",
        "example",
        "examples",
        "title",
        "externalDocs",
        "deprecated",
    ];
    /// Write `v` with sorted keys; `is_schema` says whether doc keys are dropped here
    /// (they are not in a `properties` map, whose keys are property names).
    fn canonical(v: &serde_json::Value, is_schema: bool, out: &mut String) {
        match v {
            serde_json::Value::Object(map) => {
                let mut keys: Vec<&String> = map
                    .keys()
                    .filter(|k| !(is_schema && DOC_KEYS.contains(&k.as_str())))
                    .collect();
                keys.sort();
                out.push('{');
                for k in keys {
                    out.push_str(&serde_json::to_string(k.as_str()).unwrap_or_default());
                    out.push(':');
                    let child_is_schema = !(is_schema && k == "properties");
                    canonical(&map[k], child_is_schema, out);
                    out.push(',');
                }
                out.push('}');
            }
            serde_json::Value::Array(items) => {
                out.push('[');
                for item in items {
                    canonical(item, is_schema, out);
                    out.push(',');
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    canonical(
        &serde_json::to_value(schema).unwrap_or_default(),
        true,
        &mut out,
    );
    out
}

fn doc_of(schema: &Schema) -> Option<String> {
    let d = &schema.schema_data;
    d.description
        .clone()
        .or_else(|| d.title.clone())
        .filter(|s| !s.trim().is_empty())
}

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// Whether a schema's `title` names a value rather than a type: one or two
/// words (`ID`, `Email`, `External ID`, `other type`), or only words of the
/// schema's own property names (`Intercom User ID` of one whose property is
/// `intercom_user_id`). Such a title alone would name a type after a field.
fn bare_title(title: &str, schema: &Schema) -> bool {
    let words = crate::idents::lower_words(&type_ident(title));
    if words.len() <= 2 {
        return true;
    }
    let props: Vec<String> = match &schema.schema_kind {
        openapiv3::SchemaKind::Type(openapiv3::Type::Object(o)) => o
            .properties
            .keys()
            .flat_map(|k| crate::idents::lower_words(&type_ident(k)))
            .collect(),
        _ => Vec::new(),
    };
    !props.is_empty() && words.iter().all(|w| props.contains(w))
}

/// The properties of an object alternative, and those it requires.
fn object_members(alt: &ReferenceOr<Schema>) -> Option<(Vec<&str>, Vec<&str>)> {
    let ReferenceOr::Item(s) = alt else {
        return None;
    };
    match shape(s) {
        Shape::Object {
            props, required, ..
        } => Some((
            props.into_iter().map(|(n, _)| n.as_str()).collect(),
            required.iter().map(String::as_str).collect(),
        )),
        _ => None,
    }
}

/// The longest run of words two owners' names have in common, without the
/// role words (`words::ROLE_WORDS`) at its ends (`Conversation` and
/// `ConversationListItem` have `conversation`; `CreateTicketTypeRequest`
/// and `Ticket` have `ticket`); `None` when they have none.
fn common_run(a: &[String], b: &[String]) -> Option<Vec<String>> {
    let mut best: &[String] = &[];
    for i in 0..a.len() {
        for j in 0..b.len() {
            let n = a[i..]
                .iter()
                .zip(&b[j..])
                .take_while(|(x, y)| x == y)
                .count();
            let mut run = &a[i..i + n];
            while let [first, rest @ ..] = run {
                if !crate::words::ROLE_WORDS.contains(&first.as_str()) {
                    break;
                }
                run = rest;
            }
            while let [rest @ .., last] = run {
                if !crate::words::ROLE_WORDS.contains(&last.as_str()) {
                    break;
                }
                run = rest;
            }
            if run.len() > best.len() {
                best = run;
            }
        }
    }
    (!best.is_empty()).then(|| best.to_vec())
}

/// A property whose type is a string enum of one value (a type tag:
/// `type: {enum: [list]}`) is named by its value and the property
/// (`ListType`), wherever it is: every such tag is one type, under a name
/// that no other place of it changes. Should that name be taken, the
/// context of its first place is the fallback (`TypeOfTicket`, since
/// `TicketType` is a component).
fn type_tag(schema: &Schema, place: &Place) -> Option<Place> {
    let (property, _) = place.property_of()?;
    let Shape::StringEnum(values) = shape(schema) else {
        return None;
    };
    let [Some(value)] = values.as_slice() else {
        return None;
    };
    Some(Place::Tag {
        value: value.clone(),
        property,
        at: Box::new(place.clone()),
    })
}

/// What tells an untitled alternative of a union from its siblings: its
/// kind for an array or a scalar; for an object, the first property it
/// requires (else has) that no other alternative requires (else has), or
/// the first one another alternative has and it lacks; its position only
/// when nothing tells it apart (`words.rs` says them: `List`, `WithKey`,
/// `WithoutKey`, `Option2`).
fn distinction(alts: &[ReferenceOr<Schema>], i: usize) -> Distinction {
    let fallback = || Distinction::Position(i + 1);
    let ReferenceOr::Item(s) = &alts[i] else {
        return fallback();
    };
    let kind = match shape(s) {
        Shape::Array(_) => ValueKind::List,
        Shape::String | Shape::StringEnum(_) => ValueKind::String,
        Shape::Binary => ValueKind::File,
        Shape::Integer { unix_time: true } => ValueKind::Timestamp,
        Shape::Integer { unix_time: false } => ValueKind::Integer,
        Shape::Number => ValueKind::Number,
        Shape::Boolean => ValueKind::Boolean,
        Shape::Object { .. } => {
            let Some((props, required)) = object_members(&alts[i]) else {
                return fallback();
            };
            let others: Vec<(Vec<&str>, Vec<&str>)> = alts
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .filter_map(|(_, a)| object_members(a))
                .collect();
            let required_elsewhere = |p: &str| others.iter().any(|(_, r)| r.contains(&p));
            let had_elsewhere = |p: &str| others.iter().any(|(h, _)| h.contains(&p));
            let with = required
                .iter()
                .find(|p| !required_elsewhere(p))
                .or_else(|| props.iter().find(|p| !had_elsewhere(p)))
                .map(|p| Distinction::With(p.to_string()));
            let without = || {
                others
                    .iter()
                    .flat_map(|(h, _)| h.iter())
                    .find(|p| !props.contains(p))
                    .map(|p| Distinction::Without(p.to_string()))
            };
            return with.or_else(without).unwrap_or_else(fallback);
        }
        _ => return fallback(),
    };
    Distinction::Kind(kind)
}

impl<'a> Ctx<'a> {
    /// Reserve names and handles for every nominal component schema, in
    /// sorted order, so components keep their names before inline schemas claim any.
    pub fn reserve_components(&mut self) {
        let Some(components) = &self.doc.components else {
            return;
        };
        let mut names: Vec<&String> = components.schemas.keys().collect();
        names.sort();
        // The alternatives of discriminated unions are types of their own,
        // even where one is only another schema (`Lizard: {allOf: [PetBase]}`):
        // each mapping value reads as its own schema's variant.
        let mut discriminated = std::collections::HashSet::new();
        for schema in components.schemas.values() {
            if let ReferenceOr::Item(schema) = schema {
                discriminated_alternatives(schema, 0, &mut discriminated);
            }
        }
        for name in names {
            if let ReferenceOr::Item(schema) = &components.schemas[name] {
                if is_nominal(schema) || discriminated.contains(name.as_str()) {
                    let origin = format!("/components/schemas/{}", escape_pointer(name));
                    let place = Place::Component(name.clone());
                    let id = self.reserve(place, origin.clone(), doc_of(schema));
                    self.components.insert(name.clone(), Component::Named(id));
                }
            }
        }
    }

    /// Convert the body of every component schema, in sorted order.
    pub fn convert_components(&mut self) {
        let Some(components) = &self.doc.components else {
            return;
        };
        let mut names: Vec<&String> = components.schemas.keys().collect();
        names.sort();
        for name in names {
            self.resolve_component(
                name,
                &format!("/components/schemas/{}", escape_pointer(name)),
            );
        }
    }

    /// Reserve a handle for a type whose body comes later.
    pub fn reserve(&mut self, place: Place, origin: String, doc: Option<String>) -> TypeId {
        let id = TypeId(self.types.len());
        self.names.push(place.name());
        self.types.push(TypeDef {
            place,
            origin,
            also_at: Vec::new(),
            required_one_of: Vec::new(),
            keep_untyped: Vec::new(),
            doc,
            kind: TypeKind::Struct { fields: Vec::new() },
        });
        id
    }

    pub fn convert(&mut self, schema: SchemaRef<'_>, ptr: &str, place: &Place) -> Converted {
        match schema {
            SchemaRef::Ref(reference) => self.convert_reference(reference, ptr),
            SchemaRef::Item(s) => self.convert_inline(s, ptr, place),
        }
    }

    fn convert_reference(&mut self, reference: &str, ptr: &str) -> Converted {
        let Some(name) = reference.strip_prefix(COMPONENT_PREFIX) else {
            self.warn(ptr, format!("`$ref: {reference}` does not point into #/components/schemas; treated as any JSON value"));
            return Converted::of(TypeRef::Json);
        };
        let name = crate::pointer::unescape(name);
        let exists = self
            .doc
            .components
            .as_ref()
            .is_some_and(|c| c.schemas.contains_key(&name));
        if !exists {
            self.warn(
                ptr,
                format!("`$ref: {reference}` points nowhere; treated as any JSON value"),
            );
            return Converted::of(TypeRef::Json);
        }
        self.resolve_component(
            &name,
            &format!("/components/schemas/{}", escape_pointer(&name)),
        )
    }

    /// The type of component schema `name`, converting its body on first use.
    fn resolve_component(&mut self, name: &str, ptr: &str) -> Converted {
        let Some(components) = self.doc.components.as_ref() else {
            return Converted::of(TypeRef::Json);
        };
        let Some(entry) = components.schemas.get(name) else {
            return Converted::of(TypeRef::Json);
        };
        match self.components.get(name) {
            Some(Component::Alias(c)) => return c.clone(),
            Some(Component::Resolving) => {
                self.warn(
                    ptr,
                    "this schema is defined in terms of itself; treated as any JSON value"
                        .to_string(),
                );
                return Converted::of(TypeRef::Json);
            }
            Some(Component::Named(id)) => {
                let id = *id;
                let nullable = matches!(entry, ReferenceOr::Item(s) if s.schema_data.nullable);
                if !self.converted.contains(&id) {
                    self.converted.insert(id);
                    if let ReferenceOr::Item(schema) = entry {
                        let place = self.types[id.0].place.clone();
                        self.fill_named(id, schema, ptr, &place);
                    }
                }
                return Converted {
                    ty: TypeRef::Named(id),
                    nullable,
                };
            }
            None => {}
        }
        self.components
            .insert(name.to_string(), Component::Resolving);
        let converted = match entry {
            ReferenceOr::Reference { reference } => self.convert_reference(reference, ptr),
            ReferenceOr::Item(schema) => {
                self.convert_inline(schema, ptr, &Place::Component(name.to_string()))
            }
        };
        self.components
            .insert(name.to_string(), Component::Alias(converted.clone()));
        converted
    }

    fn convert_inline(&mut self, schema: &Schema, ptr: &str, place: &Place) -> Converted {
        let nullable = schema.schema_data.nullable;
        if is_nominal(schema) {
            let key = structural_key(schema);
            // One type for the places of one structure that want one name;
            // a place that wants another name gets a type of its own, so no
            // type is named after another place than its own (a user of
            // `AttachTagToContactRequest` is not sent to
            // `AttachContactToACompanyRequest`), and no name changes when a
            // place of the same structure comes or goes.
            let tag = type_tag(schema, place);
            let place = tag.as_ref().unwrap_or(place);
            let wanted = place.name();
            let same = self
                .inline
                .get(&key)
                .and_then(|ids| ids.iter().copied().find(|id| self.names[id.0] == wanted));
            // The same property of related owners (`Conversation.state` and
            // `ConversationListItem.state`) is one type, named for what the
            // owners' names have in common (`ConversationState`).
            let related = || {
                let (property, owner) = place.property_of()?;
                let owner = crate::idents::lower_words(&owner);
                self.inline.get(&key)?.iter().find_map(|&id| {
                    let (p, run) = self.property_types.get(&id)?;
                    let run = (*p == property)
                        .then(|| common_run(run, &owner))
                        .flatten()?;
                    // Not under a name another type holds.
                    let shared = Place::Shared {
                        run: run.clone(),
                        property: property.clone(),
                    };
                    let name = shared.name();
                    let held = self
                        .names
                        .iter()
                        .enumerate()
                        .any(|(i, n)| i != id.0 && *n == name);
                    (!held).then_some((id, run, shared, name))
                })
            };
            let same = match same {
                Some(id) => Some(id),
                None if tag.is_none() => related().map(|(id, run, shared, name)| {
                    self.types[id.0].place = shared;
                    self.names[id.0] = name;
                    if let Some(entry) = self.property_types.get_mut(&id) {
                        entry.1 = run;
                    }
                    id
                }),
                None => None,
            };
            if let Some(id) = same {
                self.types[id.0].also_at.push(ptr.to_string());
                let nullable = nullable || self.union_nullable.contains(&id);
                return Converted {
                    ty: TypeRef::Named(id),
                    nullable,
                };
            }
            // Unions of one real alternative and enums of only null are not types of their own.
            if let Some(c) = self.collapse(schema, ptr, place) {
                return c;
            }
            let id = self.reserve(place.clone(), ptr.to_string(), doc_of(schema));
            self.inline.entry(key).or_default().push(id);
            if let (Some((property, owner)), None) = (place.property_of(), &tag) {
                self.property_types
                    .insert(id, (property, crate::idents::lower_words(&owner)));
            }
            self.converted.insert(id);
            let extra_null = self.fill_named(id, schema, ptr, place);
            return Converted {
                ty: TypeRef::Named(id),
                nullable: nullable || extra_null,
            };
        }
        let mut c = self.convert_structural(schema, ptr, place);
        c.nullable |= nullable;
        c
    }

    /// Non-nominal shapes: primitives, arrays, maps, and single-member combinators.
    fn convert_structural(&mut self, schema: &Schema, ptr: &str, place: &Place) -> Converted {
        match shape(schema) {
            Shape::String => Converted::of(TypeRef::String),
            Shape::Binary => Converted::of(TypeRef::Binary),
            Shape::StringEnum(_) => Converted {
                ty: TypeRef::String,
                nullable: true,
            },
            Shape::Integer { unix_time: true } => Converted::of(TypeRef::UnixTime),
            Shape::Integer { unix_time: false } => Converted::of(TypeRef::Integer),
            Shape::Number => Converted::of(TypeRef::Number),
            Shape::Boolean => Converted::of(TypeRef::Boolean),
            Shape::Null => Converted {
                ty: TypeRef::Json,
                nullable: true,
            },
            Shape::Any => Converted::of(TypeRef::Json),
            Shape::Not => {
                self.warn(
                    ptr,
                    "`not` schemas are not supported; treated as any JSON value".to_string(),
                );
                Converted::of(TypeRef::Json)
            }
            Shape::Array(items) => {
                let item = match items {
                    Some(items) => {
                        self.convert(items.into(), &format!("{ptr}/items"), &place.items())
                            .ty
                    }
                    None => TypeRef::Json,
                };
                Converted::of(TypeRef::Array(Box::new(item)))
            }
            Shape::Object { additional, .. } => {
                let value = match additional {
                    Some(AdditionalProperties::Schema(s)) => {
                        let c = self.convert(
                            s.as_ref().into(),
                            &format!("{ptr}/additionalProperties"),
                            &Place::Values(Box::new(place.clone())),
                        );
                        c.ty
                    }
                    _ => TypeRef::Json,
                };
                Converted::of(TypeRef::Map(Box::new(value)))
            }
            Shape::Union(alts, _) => match alts.first() {
                Some(only) => self.convert(only.into(), &format!("{ptr}/oneOf/0"), place),
                None => Converted::of(TypeRef::Json),
            },
            Shape::AllOf(members) => match members.first() {
                Some(only) => self.convert(only.into(), &format!("{ptr}/allOf/0"), place),
                None => Converted::of(TypeRef::Json),
            },
        }
    }

    /// A nominal-looking schema that is really one other type (a union whose
    /// alternatives all convert to the same type).
    fn collapse(&mut self, schema: &Schema, ptr: &str, place: &Place) -> Option<Converted> {
        let Shape::Union(alts, _) = shape(schema) else {
            return None;
        };
        let real: Vec<(usize, &ReferenceOr<Schema>)> = alts
            .iter()
            .enumerate()
            .filter(|(_, a)| !matches!(a, ReferenceOr::Item(s) if matches!(shape(s), Shape::Null)))
            .collect();
        let has_null = real.len() < alts.len();
        if real.len() == 1 {
            let (i, only) = real[0];
            let mut c = self.convert(
                only.into(),
                &format!("{ptr}/{}/{i}", union_keyword(schema)),
                place,
            );
            c.nullable |= has_null || schema.schema_data.nullable;
            return Some(c);
        }
        None
    }

    /// Convert the body of a named type. Returns whether the schema also admits null.
    fn fill_named(&mut self, id: TypeId, schema: &Schema, ptr: &str, place: &Place) -> bool {
        match shape(schema) {
            Shape::Object {
                props, required, ..
            } => {
                let fields = self.fields(&props, required, ptr, place);
                self.types[id.0].kind = TypeKind::Struct { fields };
                self.types[id.0].required_one_of = required_alternatives(schema);
                self.types[id.0].keep_untyped = keep_untyped(schema);
                false
            }
            Shape::StringEnum(values) => {
                let mut seen = std::collections::HashSet::new();
                let variants = values
                    .iter()
                    .flatten()
                    .filter(|v| seen.insert(v.as_str()))
                    .map(|v| EnumVariant {
                        value: v.clone(),
                        default: schema.schema_data.default.as_ref().and_then(|d| d.as_str())
                            == Some(v.as_str()),
                    })
                    .collect();
                self.types[id.0].kind = TypeKind::Enum { variants };
                values.iter().any(Option::is_none)
            }
            Shape::Union(alts, discriminator) => {
                let keyword = union_keyword(schema);
                let mut variants: Vec<UnionVariant> = Vec::new();
                let mut nullable = false;
                for (i, alt) in alts.iter().enumerate() {
                    if let ReferenceOr::Item(s) = alt {
                        if matches!(shape(s), Shape::Null) {
                            nullable = true;
                            continue;
                        }
                    }
                    let union = Box::new(place.clone());
                    let alt_place = match alt {
                        ReferenceOr::Item(s) if s.schema_data.title.is_some() => {
                            let title = s.schema_data.title.clone().unwrap_or_default();
                            // A title that names a field, not a type (`ID`,
                            // `External ID`): the type is named from its place.
                            let bare = bare_title(&title, s);
                            Place::Titled { union, title, bare }
                        }
                        _ => Place::Untitled {
                            union,
                            by: distinction(alts, i),
                        },
                    };
                    let c = self.convert(alt.into(), &format!("{ptr}/{keyword}/{i}"), &alt_place);
                    nullable |= c.nullable;
                    if variants.iter().any(|v| v.ty == c.ty) {
                        continue;
                    }
                    variants.push(UnionVariant {
                        ty: c.ty,
                        tag_values: Vec::new(),
                    });
                }
                self.types[id.0].kind = TypeKind::Union {
                    variants,
                    tag: None,
                };
                self.pending_unions
                    .push((id, discriminator.cloned(), ptr.to_string()));
                if nullable {
                    self.union_nullable.insert(id);
                }
                nullable
            }
            Shape::AllOf(members) => {
                let mut props: Vec<(String, &ReferenceOr<Box<Schema>>, String)> = Vec::new();
                let mut required: Vec<String> = Vec::new();
                self.collect_all_of(
                    members,
                    &format!("{ptr}/allOf"),
                    &mut props,
                    &mut required,
                    0,
                );
                add_own(schema, ptr, &mut props, &mut required);
                self.types[id.0].keep_untyped = keep_untyped(schema);
                let fields = props
                    .into_iter()
                    .map(|(name, prop, prop_ptr)| {
                        self.field(&name, prop, required.contains(&name), &prop_ptr, place)
                    })
                    .collect();
                self.types[id.0].kind = TypeKind::Struct { fields };
                false
            }
            _ => false,
        }
    }

    /// Gather the properties of `allOf` members, later members overriding earlier ones.
    fn collect_all_of<'s>(
        &mut self,
        members: &'s [ReferenceOr<Schema>],
        ptr: &str,
        props: &mut Vec<(String, &'s ReferenceOr<Box<Schema>>, String)>,
        required: &mut Vec<String>,
        depth: usize,
    ) where
        'a: 's,
    {
        if depth > 32 {
            self.warn(
                ptr,
                "`allOf` nested too deeply; inner members left out".to_string(),
            );
            return;
        }
        for (i, member) in members.iter().enumerate() {
            let member_ptr = format!("{ptr}/{i}");
            let (schema, schema_ptr): (&'s Schema, String) = match member {
                ReferenceOr::Item(s) => (s, member_ptr.clone()),
                ReferenceOr::Reference { reference } => {
                    let name = reference
                        .strip_prefix(COMPONENT_PREFIX)
                        .map(crate::pointer::unescape);
                    let found = name.as_ref().and_then(|n| {
                        self.doc
                            .components
                            .as_ref()
                            .and_then(|c| c.schemas.get(n))
                            .map(|s| (n.clone(), s))
                    });
                    match found {
                        Some((n, ReferenceOr::Item(s))) => {
                            (s, format!("/components/schemas/{}", escape_pointer(&n)))
                        }
                        _ => {
                            self.warn(&member_ptr, format!("`allOf` member `$ref: {reference}` cannot be merged (it points nowhere or to another reference); left out"));
                            continue;
                        }
                    }
                }
            };
            match shape(schema) {
                Shape::Object {
                    props: p,
                    required: r,
                    ..
                } => {
                    for (name, prop) in p {
                        let prop_ptr = format!("{schema_ptr}/properties/{}", escape_pointer(name));
                        match props.iter_mut().find(|(n, _, _)| n == name) {
                            Some(slot) => *slot = (name.clone(), prop, prop_ptr),
                            None => props.push((name.clone(), prop, prop_ptr)),
                        }
                    }
                    required.extend(
                        r.iter()
                            .filter(|n| !required.contains(n))
                            .cloned()
                            .collect::<Vec<_>>(),
                    );
                }
                Shape::AllOf(inner) => {
                    self.collect_all_of(
                        inner,
                        &format!("{schema_ptr}/allOf"),
                        props,
                        required,
                        depth + 1,
                    );
                    add_own(schema, &schema_ptr, props, required);
                }
                Shape::Any => {}
                _ => self.warn(
                    &member_ptr,
                    "`allOf` member is not an object; left out of the merge".to_string(),
                ),
            }
        }
    }

    fn fields(
        &mut self,
        props: &[(&String, &ReferenceOr<Box<Schema>>)],
        required: &[String],
        ptr: &str,
        place: &Place,
    ) -> Vec<Field> {
        props
            .iter()
            .map(|(name, prop)| {
                let prop_ptr = format!("{ptr}/properties/{}", escape_pointer(name));
                self.field(name, prop, required.contains(name), &prop_ptr, place)
            })
            .collect()
    }

    fn field(
        &mut self,
        name: &str,
        prop: &ReferenceOr<Box<Schema>>,
        required: bool,
        ptr: &str,
        place: &Place,
    ) -> Field {
        let c = self.convert(prop.into(), ptr, &place.property(name));
        let (doc, deprecated) = match prop {
            ReferenceOr::Item(s) => (doc_of(s), s.schema_data.deprecated),
            ReferenceOr::Reference { .. } => (None, false),
        };
        let format = match prop {
            ReferenceOr::Item(s) => match &s.schema_kind {
                SchemaKind::Type(Type::String(t)) => match &t.format {
                    VariantOrUnknownOrEmpty::Item(f) => Some(
                        match f {
                            openapiv3::StringFormat::Date => "date",
                            openapiv3::StringFormat::DateTime => "date-time",
                            openapiv3::StringFormat::Password => "password",
                            openapiv3::StringFormat::Byte => "byte",
                            openapiv3::StringFormat::Binary => "binary",
                        }
                        .to_string(),
                    ),
                    VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
                    VariantOrUnknownOrEmpty::Empty => None,
                },
                _ => None,
            },
            ReferenceOr::Reference { .. } => None,
        };
        Field {
            json_name: name.to_string(),
            doc,
            ty: c.ty,
            required,
            nullable: c.nullable,
            deprecated,
            boxed: false,
            format,
            declared_at: Some(ptr.to_string()),
            inferred: false,
        }
    }
}

fn union_keyword(schema: &Schema) -> &'static str {
    match &schema.schema_kind {
        SchemaKind::AnyOf { .. } => "anyOf",
        SchemaKind::Any(a) if a.one_of.is_empty() && !a.any_of.is_empty() => "anyOf",
        _ => "oneOf",
    }
}

#[cfg(test)]
mod tests {
    use super::structural_key;

    fn schema(yaml: &str) -> openapiv3::Schema {
        serde_yaml::from_str(yaml).expect("fixture schema")
    }

    #[test]
    fn structural_key_ignores_docs_and_order_but_not_properties() {
        let a = schema("type: object\nproperties:\n  url: {type: string}");
        let b =
            schema("description: x\ntype: object\nproperties:\n  url: {type: string, example: u}");
        assert_eq!(structural_key(&a), structural_key(&b));
        let c = schema(
            "type: object\nproperties:\n  url: {type: string}\n  description: {type: string}",
        );
        assert_ne!(structural_key(&a), structural_key(&c));
    }
}
