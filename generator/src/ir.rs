//! The intermediate representation: what the API means, with every spec
//! quirk already resolved. Emit and diff read only this, never raw YAML.
//!
//! Types are addressed by [`TypeId`] handles, assigned before their bodies
//! are converted, so recursive and mutually recursive schemas need no
//! special casing until the cycle-breaking pass marks the fields to box.

use crate::error::Diagnostic;

/// A handle to a [`TypeDef`] in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A whole API, normalized.
#[derive(Debug, Clone)]
pub struct Api {
    pub title: String,
    /// `info.version` of the description, e.g. `2.11`.
    pub version: String,
    pub description: Option<String>,
    pub servers: Vec<Server>,
    /// The tags the document declares (operations may name others).
    pub tags: Vec<Tag>,
    /// The enum sent as the `Intercom-Version` header, when the spec has one.
    pub version_header: Option<VersionHeader>,
    /// Every named type, indexed by [`TypeId`]; emitted sorted by name.
    pub types: Vec<TypeDef>,
    /// Every operation, in document order.
    pub operations: Vec<Operation>,
    /// What the normalizer worked around, with where.
    pub warnings: Vec<Diagnostic>,
    /// Where the spec's own examples disagree with its schemas, and how the
    /// types were loosened to read them (see `normalize::evidence`).
    pub evidence: Vec<Diagnostic>,
    /// The same loosenings, as changes to apply to the document (for
    /// exporting the spec as the generated types read it).
    pub loosenings: Vec<Loosening>,
    /// Places in the spec's own examples that no type of the description
    /// can hold (a value no alternative of a union fits): the generated
    /// types keep them in `Unknown`, and `lint-spec` lists them.
    pub gaps: Vec<Gap>,
}

/// A tag the document declares: the name of an API area, and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    pub description: Option<String>,
}

/// A place in an example the description has no type for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The example, as evidence names it: `retrieveConversation 200 response example `x``.
    pub example: String,
    /// The JSON path in the example: `$.query.value[0]`.
    pub at: String,
}

/// One change the evidence pass made to a schema, at a JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loosening {
    /// The property's schema, e.g. `/components/schemas/x/properties/id`.
    pub pointer: String,
    pub change: Change,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The property is no longer required by its parent.
    NotRequired,
    /// The property may be null.
    Nullable,
    /// The property may also be of these JSON types (`string`, `integer`, `number`, `boolean`).
    AlsoTypes(Vec<&'static str>),
    /// The property may be any JSON value.
    AnyValue,
    /// The property's `format` is not what the API sends.
    DropFormat,
    /// A parameter declared elsewhere that the path template uses (at the parameter's pointer).
    InPath,
    /// The schema's `oneOf`/`anyOf` of required lists does not hold (at the schema's pointer).
    DropAlternatives,
    /// An enum value the examples use but the schema does not list.
    AlsoEnumValue(String),
    /// A `oneOf` whose alternatives overlap for an example: read as `anyOf`.
    OneOfAsAnyOf,
    /// A property the examples carry and the schema does not declare: added,
    /// optional, with a type inferred from the examples (at the property's pointer).
    Inferred,
}

impl Api {
    pub fn ty(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// Every named type reachable from `roots`, through fields,
    /// alternatives, arrays and maps.
    pub fn reachable<'a>(
        &'a self,
        roots: impl IntoIterator<Item = &'a TypeRef>,
    ) -> std::collections::BTreeSet<TypeId> {
        let mut seen = std::collections::BTreeSet::new();
        let mut stack: Vec<&TypeRef> = roots.into_iter().collect();
        while let Some(t) = stack.pop() {
            match t {
                TypeRef::Array(x) | TypeRef::Map(x) => stack.push(x),
                TypeRef::Named(id) if seen.insert(*id) => match &self.ty(*id).kind {
                    TypeKind::Struct { fields } => stack.extend(fields.iter().map(|f| &f.ty)),
                    TypeKind::Union { variants, .. } => {
                        stack.extend(variants.iter().map(|v| &v.ty))
                    }
                    TypeKind::Enum { .. } => {}
                },
                _ => {}
            }
        }
        seen
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Server {
    /// What tells the server apart: its `x-region`, or the part of its host
    /// that differs from the others' (`eu`); the surface names it.
    pub label: String,
    pub url: String,
    pub description: Option<String>,
}

/// The API-version header every call carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionHeader {
    /// Header name as the spec spells it.
    pub header: String,
    /// The string enum of known versions.
    pub ty: TypeId,
    /// The value sent by default: the spec's own version when it is one of
    /// the enum's values, else the schema's default.
    pub default: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Where the type sits: what its name is made of (the words are
    /// `words.rs`'s, the Rust name the surface's).
    pub place: Place,
    /// JSON pointer of the schema this type was made from.
    pub origin: String,
    /// Other places with the same structure, which share this type.
    pub also_at: Vec<String>,
    /// For a struct whose schema says "one of these sets of properties is
    /// required" (`oneOf`/`anyOf` of bare `required` lists): those sets.
    pub required_one_of: Vec<Vec<String>>,
    /// Properties that examples carry but the schema does not declare, which
    /// stay untyped (`x-untyped-properties`, set by an override) instead of
    /// becoming fields inferred from the examples.
    pub keep_untyped: Vec<String>,
    pub doc: Option<String>,
    pub kind: TypeKind,
}

/// Where in the description a type sits: the facts its name is made of.
/// Normalize records them; `words.rs` says which words each gives
/// ([`Place::name`], [`Place::context_name`]), and the surface coins the
/// Rust name from those (`surface/types.rs`). A place holds its owner's
/// place as it was when the type was made.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    /// A component schema, by the description's name.
    Component(String),
    /// An operation, by its `operationId` (or the one derived from its
    /// method and path): the owner of its parameters, body and responses.
    Operation(String),
    /// An operation's request body.
    RequestBody(Box<Place>),
    /// An operation's response: `None` for its only success, else its status.
    Response {
        operation: Box<Place>,
        status: Option<Status>,
    },
    /// A property of an object, or a parameter of an operation.
    Property { owner: Box<Place>, property: String },
    /// The items of an array.
    Items(Box<Place>),
    /// The values of a map.
    Values(Box<Place>),
    /// An alternative of a union with a `title`; `bare` when the title
    /// names a value rather than a type (`ID`, `External ID`), so that the
    /// union's place names it.
    Titled {
        union: Box<Place>,
        title: String,
        bare: bool,
    },
    /// An untitled alternative of a union, and what tells it from its siblings.
    Untitled { union: Box<Place>, by: Distinction },
    /// A property whose type is a string enum of one value (a type tag),
    /// wherever it is; `at` is the first place it was met.
    Tag {
        value: String,
        property: String,
        at: Box<Place>,
    },
    /// The same property of related owners (`Conversation.state` and
    /// `ConversationListItem.state`): the words their names have in common.
    Shared { run: Vec<String>, property: String },
    /// A union of the kinds of value the API's examples send where the
    /// description promises fewer (the evidence pass).
    Kinds(Vec<ValueKind>),
    /// An object the API's examples carry at this place, which the
    /// description does not declare (the evidence pass).
    Seen(Box<Place>),
    /// A type of its own for one holder's property, split off a type whose
    /// places disagree with the examples (the evidence pass).
    Copy { owner: Box<Place>, property: String },
}

impl Place {
    /// The place of this place's property (or this operation's parameter) `property`.
    pub fn property(&self, property: &str) -> Place {
        Place::Property {
            owner: Box::new(self.clone()),
            property: property.to_string(),
        }
    }

    /// The place of the items of an array at this place.
    pub fn items(&self) -> Place {
        Place::Items(Box::new(self.clone()))
    }
}

/// What tells an untitled alternative of a union from its siblings.
#[derive(Debug, Clone, PartialEq)]
pub enum Distinction {
    /// Its kind of value, the only one of its kind among them.
    Kind(ValueKind),
    /// An object with a property no sibling requires (else has).
    With(String),
    /// An object without a property a sibling has.
    Without(String),
    /// Nothing: its position among them, from 1.
    Position(usize),
}

/// A kind of value, as type and variant names say it (`words.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ValueKind {
    String,
    File,
    Integer,
    Timestamp,
    Number,
    Boolean,
    Value,
    Map,
    List,
}

impl TypeDef {
    /// Whether the type is a component schema itself (the description named
    /// it), not a schema made inline, within a component or elsewhere.
    pub fn is_component(&self) -> bool {
        self.origin
            .strip_prefix("/components/schemas/")
            .is_some_and(|rest| !rest.contains('/'))
    }

    /// Every JSON pointer this type stands at: its origin, then the other
    /// places with the same structure.
    pub fn places(&self) -> Vec<String> {
        std::iter::once(self.origin.clone())
            .chain(self.also_at.iter().cloned())
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties; unknown properties are kept too.
    Struct { fields: Vec<Field> },
    /// A string enum; values the spec does not list are kept as `Unknown`.
    Enum { variants: Vec<EnumVariant> },
    /// `oneOf`/`anyOf`: one of several shapes.
    Union {
        variants: Vec<UnionVariant>,
        tag: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Name on the wire.
    pub json_name: String,
    pub doc: Option<String>,
    pub ty: TypeRef,
    pub required: bool,
    pub nullable: bool,
    pub deprecated: bool,
    /// Set by the cycle-breaking pass: the field holds its type behind a `Box`.
    pub boxed: bool,
    /// The `format` of a string property (`uuid`, `email`, `date-time`, …).
    pub format: Option<String>,
    /// Where the property's schema is, when not under its type's own
    /// `properties` (a property an `allOf` member declares).
    pub declared_at: Option<String>,
    /// Seen only in the API's examples, not in its description (inferred by
    /// normalize's evidence pass).
    pub inferred: bool,
}

impl Field {
    /// Whether the Rust field is an `Option`: absent or null on the wire.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    /// The value on the wire.
    pub value: String,
    /// Whether the description gives this value as the schema's `default`.
    pub default: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub ty: TypeRef,
    /// With a tagged union: the tag values that select this variant.
    pub tag_values: Vec<String>,
}

/// The type of a value, as used by a field, parameter, body or response.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    String,
    Integer,
    /// An integer holding seconds since the Unix epoch
    /// (`integer` with `format: date-time` or `timestamp`).
    UnixTime,
    Number,
    Boolean,
    /// A file's bytes (`type: string, format: binary`): a file part of a
    /// `multipart/form-data` body, or a binary body.
    Binary,
    /// Any JSON value: free-form schemas and media types without a schema.
    Json,
    /// A JSON object with arbitrary keys and values of one type.
    Map(Box<TypeRef>),
    Array(Box<TypeRef>),
    Named(TypeId),
}

impl TypeRef {
    /// Whether two types are the same Rust type (`UnixTimestamp` is `i64`).
    pub fn same_rust(&self, other: &TypeRef) -> bool {
        match (self, other) {
            (TypeRef::Integer | TypeRef::UnixTime, TypeRef::Integer | TypeRef::UnixTime) => true,
            (TypeRef::Array(x), TypeRef::Array(y)) | (TypeRef::Map(x), TypeRef::Map(y)) => {
                x.same_rust(y)
            }
            _ => self == other,
        }
    }

    /// Whether it, or the items of its arrays and maps, is one that `is` says.
    pub fn holds(&self, is: &impl Fn(&TypeRef) -> bool) -> bool {
        match self {
            TypeRef::Array(x) | TypeRef::Map(x) => x.holds(is),
            other => is(other),
        }
    }

    /// Whether a named type is in it (itself, or in its arrays and maps).
    pub fn has_named(&self) -> bool {
        self.holds(&|t| matches!(t, TypeRef::Named(_)))
    }

    /// Whether a file's bytes are in it (itself, or in its arrays and maps).
    pub fn has_binary(&self) -> bool {
        self.holds(&|t| matches!(t, TypeRef::Binary))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Patch,
    Head,
    Options,
    Trace,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The spec's `operationId`, or a name derived from method and path.
    pub id: String,
    /// Whether `id` was derived because the spec had none.
    pub id_derived: bool,
    pub method: Method,
    /// Path template, e.g. `/conversations/{conversation_id}`.
    pub path: String,
    pub summary: Option<String>,
    pub doc: Option<String>,
    pub tags: Vec<String>,
    pub deprecated: bool,
    /// Parameters the caller passes (the version header is not among them).
    pub params: Vec<Param>,
    pub body: Option<Body>,
    /// Every documented response, sorted by status.
    pub responses: Vec<Response>,
    /// JSON pointer of the operation.
    pub pointer: String,
    /// For a query search: what its description says can be searched.
    pub search: Option<Search>,
}

/// A field of a struct type: its owner and its index among the owner's
/// fields (a handle, as [`TypeId`] is one for types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FieldAt {
    pub owner: TypeId,
    pub index: usize,
}

impl Api {
    /// The field `at` points to.
    pub fn field(&self, at: FieldAt) -> &Field {
        match &self.ty(at.owner).kind {
            TypeKind::Struct { fields } => &fields[at.index],
            _ => unreachable!("a FieldAt always points into a struct"),
        }
    }

    /// What a struct's fit as a union's alternative reads (the runtime's
    /// `object_fit`): its keys, the ones it requires, and its one-value
    /// properties (`type: admin`, a string enum of one value) with their
    /// value. The generated `object_shape!` and the evidence pass both
    /// take it from here.
    pub fn object_shape<'a>(&'a self, fields: &'a [Field]) -> ObjectShape<'a> {
        let keys = fields.iter().map(|f| f.json_name.as_str()).collect();
        let required = fields
            .iter()
            .filter(|f| !f.optional())
            .map(|f| f.json_name.as_str())
            .collect();
        let constants = fields
            .iter()
            .filter_map(|f| match &f.ty {
                TypeRef::Named(e) => match &self.ty(*e).kind {
                    TypeKind::Enum { variants } if variants.len() == 1 => {
                        Some((f.json_name.as_str(), variants[0].value.as_str()))
                    }
                    _ => None,
                },
                _ => None,
            })
            .collect();
        ObjectShape {
            keys,
            required,
            constants,
        }
    }
}

/// A struct as its fit reads it: see [`Api::object_shape`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectShape<'a> {
    pub keys: Vec<&'a str>,
    pub required: Vec<&'a str>,
    pub constants: Vec<(&'a str, &'a str)>,
}

/// A query search: an operation whose JSON body is an object with a
/// `query` (a filter, or an `AND`/`OR` group of them), as Intercom's search
/// endpoints are. What it accepts is read from the tables of its
/// description ("Accepted Fields", "Accepted Operators"; see
/// `normalize::search`), its limits from `generator/conventions/search.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    /// The body's property that holds the query (its name on the wire).
    pub property: String,
    /// The fields of the description's table, in its order; empty when
    /// the tables could not be read (then only a field by name is offered).
    pub fields: Vec<SearchField>,
    /// How deeply groups nest at most (a group inside a group is 2).
    pub max_depth: usize,
    /// How many filters or groups one group holds at most.
    pub max_group: usize,
}

/// A searchable field, as the description's table gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchField {
    /// As the query names it: `location.country`; a templated row keeps
    /// its placeholder: `custom_attributes.{attribute_name}`.
    pub name: String,
    /// For a templated row: the text before the placeholder and the
    /// placeholder's name (`custom_attributes.`, `attribute_name`).
    pub template: Option<(String, String)>,
    pub value: SearchValue,
    /// The operators it accepts, in [`SearchOp::ALL`] order.
    pub operators: Vec<SearchOp>,
    /// The table's type column as written (`Date (UNIX Timestamp)`), for docs.
    pub said: String,
}

/// What a search field's values are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchValue {
    Text,
    Integer,
    Number,
    /// Unix seconds, matched by calendar day.
    Date,
    Boolean,
    /// One of these strings (the table lists them).
    Listed(Vec<String>),
    /// Several types, or one the table names that is not known: any JSON value.
    Any,
}

/// A search operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SearchOp {
    Eq,
    Ne,
    In,
    Nin,
    Gt,
    Lt,
    Ge,
    Le,
    Contains,
    NotContains,
    StartsWith,
    EndsWith,
}

impl SearchOp {
    pub const ALL: [SearchOp; 12] = [
        SearchOp::Eq,
        SearchOp::Ne,
        SearchOp::In,
        SearchOp::Nin,
        SearchOp::Gt,
        SearchOp::Lt,
        SearchOp::Ge,
        SearchOp::Le,
        SearchOp::Contains,
        SearchOp::NotContains,
        SearchOp::StartsWith,
        SearchOp::EndsWith,
    ];

    /// As a query writes it.
    pub fn symbol(self) -> &'static str {
        match self {
            SearchOp::Eq => "=",
            SearchOp::Ne => "!=",
            SearchOp::In => "IN",
            SearchOp::Nin => "NIN",
            SearchOp::Gt => ">",
            SearchOp::Lt => "<",
            SearchOp::Ge => ">=",
            SearchOp::Le => "<=",
            SearchOp::Contains => "~",
            SearchOp::NotContains => "!~",
            SearchOp::StartsWith => "^",
            SearchOp::EndsWith => "$",
        }
    }

    pub fn from_symbol(symbol: &str) -> Option<SearchOp> {
        SearchOp::ALL.into_iter().find(|op| op.symbol() == symbol)
    }
}

impl Operation {
    /// The 2xx responses; for an operation that documents none, its 3xx
    /// responses (a redirect is then what success looks like).
    pub fn success_responses(&self) -> impl Iterator<Item = &Response> {
        let any_2xx = self.responses.iter().any(|r| r.status.is_success());
        self.responses.iter().filter(move |r| {
            if any_2xx {
                r.status.is_success()
            } else {
                r.status.is_redirect()
            }
        })
    }

    /// The types of its parameters, body and JSON responses.
    pub fn signature_types(&self) -> impl Iterator<Item = &TypeRef> {
        let params = self.params.iter().map(|p| &p.ty);
        let body = self.body.iter().map(|b| &b.ty);
        let responses = self.responses.iter().filter_map(|r| match &r.content {
            ResponseContent::Json(t) => Some(t),
            _ => None,
        });
        params.chain(body).chain(responses)
    }

    /// What to send as `Accept`: the media type of the success responses when it is not JSON.
    pub fn accept(&self) -> Option<&str> {
        self.success_responses()
            .filter_map(|r| r.media_type.as_deref())
            .find(|m| !m.contains("json"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

impl ParamLocation {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub doc: Option<String>,
    pub ty: TypeRef,
    /// The spec's example value (of the parameter, or else of its schema).
    pub example: Option<serde_json::Value>,
    /// Described by `content` (a media type) rather than `schema`: sent as
    /// the JSON text of its value.
    pub json: bool,
}

/// How a request body goes on the wire, by its media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// `application/json` and `+json` types.
    Json,
    /// `multipart/form-data`: a part per property, files (`Binary`) as file parts.
    Multipart,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `text/*`: the body is a `String`.
    Text,
    /// Any other media type: the body is a file's bytes.
    Binary,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub content_type: String,
    pub kind: BodyKind,
    pub ty: TypeRef,
    pub required: bool,
    pub doc: Option<String>,
    /// Examples of the body, by name, as JSON.
    pub examples: Vec<(String, serde_json::Value)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Code(u16),
    /// `2XX`-style ranges, by first digit.
    Range(u8),
    Default,
}

impl Status {
    /// The status as one code: a range as its first (`2XX` is 200), the
    /// default as 200.
    pub fn code(self) -> u16 {
        match self {
            Status::Code(c) => c,
            Status::Range(r) => u16::from(r) * 100,
            Status::Default => 200,
        }
    }

    pub fn is_success(self) -> bool {
        match self {
            Status::Code(c) => (200..300).contains(&c),
            Status::Range(r) => r == 2,
            Status::Default => false,
        }
    }

    pub fn is_redirect(self) -> bool {
        match self {
            Status::Code(c) => (300..400).contains(&c),
            Status::Range(r) => r == 3,
            Status::Default => false,
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Code(c) => write!(f, "{c}"),
            Status::Range(r) => write!(f, "{r}XX"),
            Status::Default => f.write_str("default"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    pub status: Status,
    pub doc: Option<String>,
    pub content: ResponseContent,
    /// Examples of the body, by name, as JSON.
    pub examples: Vec<(String, serde_json::Value)>,
    /// The media type the body is read as, when there is a body.
    pub media_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseContent {
    /// No body.
    Empty,
    /// A JSON body of this type.
    Json(TypeRef),
    /// A body read as text (`text/*`).
    Text,
    /// Anything else, read as bytes.
    Bytes,
}
