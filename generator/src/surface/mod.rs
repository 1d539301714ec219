//! Stage 3, the Rust surface: every name and signature the generated crate
//! exposes, decided once, from the IR.
//!
//! For each type: its Rust name and the names of its fields or variants.
//! For each operation: its method name and module, its arguments in call
//! order, its parsed path template, what it returns (one type, or an enum by
//! status), its error type, and its pagination helpers.
//!
//! Every name is claimed in a [`names::Scope`] seeded with what is already
//! taken there ([`reserved`]): the runtime's items and `Client`'s methods,
//! std and prelude names, fallback variants, the locals of generated method
//! bodies. Emit, the generated tests, the README and diff read this; none of
//! them derives a Rust name of its own.

mod areas;
mod methods;
pub mod names;
pub mod needs;
mod operations;
pub mod paging;
pub mod reserved;
pub mod search;
pub mod traps;
mod types;
pub mod webhooks;

use crate::error::Diagnostic;
use crate::ir::{Api, Operation, ResponseContent, Status, TypeId, TypeRef};
use std::path::Path;

pub use operations::status_variant;
pub use paging::{Continuation, FieldAt, Paging, Place};

/// The Rust surface of one generated crate.
#[derive(Debug, Clone, PartialEq)]
pub struct Surface {
    /// By [`TypeId`].
    pub types: Vec<TypeNames>,
    /// By index of [`Api::operations`].
    pub operations: Vec<OpSurface>,
    /// Indexes of [`Api::operations`], in the order the methods are emitted
    /// (by area, then by method name).
    pub order: Vec<usize>,
    /// The API's areas (its tags), in the document's order.
    pub areas: Vec<Area>,
    /// By [`TypeId`]: which area features the type is compiled with.
    pub type_areas: Vec<Gate>,
    /// The `webhooks` module: its topics, and the models that type items.
    pub webhooks: webhooks::Webhooks,
    /// By [`TypeId`]: whether a webhook item reaches the type (then the
    /// `webhooks` feature compiles it too).
    pub webhook_types: Vec<bool>,
    /// When the crate compiles each part of the runtime ([`needs`]).
    pub runtime_needs: std::collections::BTreeMap<String, crate::runtime::Need>,
    /// The variant of `Region` for each of [`Api::servers`].
    pub regions: Vec<String>,
    /// The environment variable the token is read from: the API's name
    /// (its title without `API`) and `_ACCESS_TOKEN` (`INTERCOM_ACCESS_TOKEN`
    /// for the Intercom API).
    pub token_env: String,
    /// Names that had to step aside for another spec item's, with where.
    pub warnings: Vec<Diagnostic>,
}

/// The Rust names of one IR type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeNames {
    pub name: String,
    /// One per field (struct), value (string enum) or alternative (union), in IR order.
    pub members: Vec<String>,
    /// For a struct (every one is `#[non_exhaustive]`, built with `new` and
    /// setters): the name of each field's setter, in IR order (the required
    /// fields are the constructor's arguments, and have none: `None`).
    pub setters: Option<Vec<Option<String>>>,
    /// Whether requests send the type (a body or parameter reaches it):
    /// then a union has `From` each of its alternatives.
    pub sent: bool,
    /// For a string enum: the value that is its `Default`, if it has one:
    /// the description's `default`, else its only value (a type tag, which
    /// the `Default` of structs relies on). An enum with several values and
    /// no `default` has no `Default`: its first value is not one the API chose.
    pub default: Option<usize>,
    /// For a struct: whether it derives `Default` (every field is optional
    /// or a type tag, so the default is a valid value), and has no `new`.
    pub derives_default: bool,
    /// For a struct: per field, in IR order, the one-value enum (a type
    /// tag such as `type: admin`) a required field holds, which `new` fills
    /// in instead of taking an argument.
    pub filled: Vec<Option<TypeId>>,
    /// For a struct without `Default`: the fields `new` takes, by index
    /// (the required ones that are not [`filled`](Self::filled)).
    pub new_args: Option<Vec<usize>>,
    /// For a struct whose description requires one of several sets of
    /// properties (`anyOf` of `required` lists): a constructor per set, by
    /// name (`with_email`), with the optional fields it sets, by index. Such
    /// a struct has neither `Default` nor `new`, and a request refuses it
    /// when no set is filled.
    pub required_sets: Vec<(String, Vec<usize>)>,
    /// For a request body made where an operation declares it (not a
    /// component) that extends a component struct (has its fields, as they
    /// are, and only optional ones besides): that struct, which converts
    /// into it (`From`), so that the name a reader finds first is taken.
    pub extends: Option<TypeId>,
}

/// When a type is compiled, by the crate's area features.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// Always: the root needs it (the version enum), or every area uses it.
    Always,
    /// With any of these areas (indexes of [`Surface::areas`]): their
    /// operations use it.
    Any(Vec<usize>),
    /// With the `full` feature (every area, the default): no operation uses it.
    AllAreas,
}

/// An area of the API (a tag of the spec): a module of the crate, a Cargo
/// feature of the same name, and a handle that `Client` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    /// The module, and the Cargo feature.
    pub module: String,
    /// The spec's tag; `None` for the operations that have none.
    pub tag: Option<String>,
    /// The tag's description.
    pub doc: Option<String>,
    /// The handle type, in the module.
    pub handle: String,
    /// The method of `Client` that returns the handle.
    pub accessor: String,
    /// The operations (indexes of [`Api::operations`]), by method name.
    pub ops: Vec<usize>,
}

/// One operation: a method of its area's handle that returns a request
/// builder, whose `send` makes the call.
#[derive(Debug, Clone, PartialEq)]
pub struct OpSurface {
    /// Index into [`Surface::areas`].
    pub area: usize,
    /// The method of the area's handle.
    pub method: String,
    /// The request builder type, in the area's module.
    pub builder: String,
    /// The area's module: the builder and the success enum live there.
    pub module: String,
    /// The parameters: path parameters (the method's arguments) as the
    /// template names them, then the others (setters of the builder).
    pub args: Vec<Arg>,
    /// The name of the body's setter, when there is a body.
    pub body: Option<String>,
    /// The path template, parsed.
    pub path: Vec<PathPart>,
    pub success: Returns,
    pub paging: Option<Paging>,
    /// For a query search: its module of typed fields.
    pub search: Option<search::SearchModule>,
}

/// A parameter of an operation: an argument of its method (path
/// parameters) or a setter of its builder (the others); a field of the
/// builder either way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// Index into [`Operation::params`].
    pub param: usize,
    pub name: String,
    /// A path parameter declared as a string or an integer: the method takes
    /// any `PathValue` (so an id passes whatever type another operation
    /// declares for it), and the builder holds its text.
    pub path_value: bool,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Text(String),
    /// The value of this argument (an index into [`OpSurface::args`]), percent-encoded.
    Arg(usize),
}

/// What a call yields, on success or as its error body.
#[derive(Debug, Clone, PartialEq)]
pub enum Returns {
    /// The same type for every status.
    One(ResponseContent),
    /// An enum with a variant per status.
    ByStatus {
        name: String,
        variants: Vec<StatusVariant>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    pub status: Status,
    pub name: String,
    pub content: ResponseContent,
}

impl Surface {
    /// Decide the surface of `api` (read from `file`, for warnings).
    pub fn build(api: &Api, file: &Path) -> Surface {
        let mut warnings = Vec::new();
        let (types, _) = types::name_types(api, file, &mut warnings);
        let regions = types::regions(api, file, &mut warnings);
        let mut surface = Surface {
            types,
            operations: Vec::new(),
            order: Vec::new(),
            areas: Vec::new(),
            type_areas: Vec::new(),
            webhooks: webhooks::webhooks(api),
            webhook_types: Vec::new(),
            runtime_needs: Default::default(),
            regions,
            token_env: token_env(&api.title),
            warnings,
        };
        operations::name_operations(api, file, &mut surface);
        surface.type_areas = type_areas(api, &surface);
        let mut webhook_types = vec![false; api.types.len()];
        let items: Vec<TypeRef> = surface
            .webhooks
            .items
            .iter()
            .map(|i| TypeRef::Named(i.ty))
            .collect();
        for id in api.reachable(&items) {
            webhook_types[id.0] = true;
        }
        surface.webhook_types = webhook_types;
        for op in &api.operations {
            if let Some(TypeRef::Named(body)) = op.body.as_ref().map(|b| &b.ty) {
                surface.types[body.0].extends = types::extended(api, *body);
            }
        }
        surface.runtime_needs = needs::needs(api, &surface);
        surface
    }

    pub fn type_name(&self, id: TypeId) -> &str {
        &self.types[id.0].name
    }

    /// The Rust name of field, value or alternative `index` of type `id`.
    pub fn member(&self, id: TypeId, index: usize) -> &str {
        &self.types[id.0].members[index]
    }

    /// The Rust name of a field.
    pub fn field(&self, at: FieldAt) -> &str {
        self.member(at.owner, at.index)
    }

    /// How a user starts a call: `conversations().reply`.
    pub fn call(&self, s: &OpSurface) -> String {
        match self.areas.get(s.area) {
            Some(a) => format!("{}().{}", a.accessor, s.method),
            None => s.method.clone(),
        }
    }

    /// The operations in emission order, each with its IR.
    pub fn ops<'a>(&'a self, api: &'a Api) -> impl Iterator<Item = (&'a Operation, &'a OpSurface)> {
        self.order
            .iter()
            .map(move |&i| (&api.operations[i], &self.operations[i]))
    }

    /// The surface of an operation of `api`, found by its JSON pointer.
    pub fn op_of(&self, api: &Api, op: &Operation) -> Option<&OpSurface> {
        let i = api
            .operations
            .iter()
            .position(|o| o.pointer == op.pointer)?;
        self.operations.get(i)
    }
}

/// Which areas need each type (see [`Surface::type_areas`]).
fn type_areas(api: &Api, surface: &Surface) -> Vec<Gate> {
    let mut used: Vec<Vec<usize>> = vec![Vec::new(); api.types.len()];
    for (a, area) in surface.areas.iter().enumerate() {
        let roots = area
            .ops
            .iter()
            .flat_map(|&i| api.operations[i].signature_types());
        for id in api.reachable(roots) {
            used[id.0].push(a);
        }
    }
    let all = surface.areas.len();
    let mut out: Vec<Gate> = used
        .into_iter()
        .map(|list| match list.len() {
            // Without areas (no operations), the models are the crate.
            _ if all == 0 => Gate::Always,
            0 => Gate::AllAreas,
            n if n == all => Gate::Always,
            _ => Gate::Any(list),
        })
        .collect();
    // The version enum, and what it reaches, for the root.
    let root: Vec<TypeRef> = api
        .version_header
        .iter()
        .map(|v| TypeRef::Named(v.ty))
        .collect();
    for id in api.reachable(&root) {
        out[id.0] = Gate::Always;
    }
    // A type no operation uses may hold one an area uses: that one is
    // compiled with the area, so with every area too. (What an unused type
    // holds that no area uses is unused as well.)
    out
}

impl Surface {
    /// For a struct without `Default`: the fields its `new` takes, by
    /// index ([`TypeNames::new_args`]); `None` for other types.
    pub fn constructor_args(&self, id: TypeId) -> Option<Vec<usize>> {
        self.types.get(id.0)?.new_args.clone()
    }
}

impl OpSurface {
    /// The arguments' parameters, in call order.
    pub fn params<'a>(
        &'a self,
        op: &'a Operation,
    ) -> impl Iterator<Item = (&'a crate::ir::Param, &'a Arg)> {
        self.args.iter().map(move |a| (&op.params[a.param], a))
    }

    /// The path parameters, the method's arguments.
    pub fn path_params<'a>(
        &'a self,
        op: &'a Operation,
    ) -> impl Iterator<Item = (&'a crate::ir::Param, &'a Arg)> {
        self.params(op)
            .filter(|(p, _)| p.location == crate::ir::ParamLocation::Path)
    }

    /// The other parameters, the builder's setters.
    pub fn setters<'a>(
        &'a self,
        op: &'a Operation,
    ) -> impl Iterator<Item = (&'a crate::ir::Param, &'a Arg)> {
        self.params(op)
            .filter(|(p, _)| p.location != crate::ir::ParamLocation::Path)
    }

    /// The argument that carries parameter `param` (an index into [`Operation::params`]).
    pub fn arg_of(&self, param: usize) -> Option<&Arg> {
        self.args.iter().find(|a| a.param == param)
    }
}

/// A type as the crate spells it, for messages, changelogs and READMEs:
/// what models.rs writes, without the paths (`BTreeMap`, not
/// `std::collections::BTreeMap`; emit's `Types::syn` is checked against it).
pub fn show(surface: &Surface, ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::Binary => "FilePart".into(),
        TypeRef::Integer => "i64".into(),
        TypeRef::UnixTime => "UnixTimestamp".into(),
        TypeRef::Number => "f64".into(),
        TypeRef::Boolean => "bool".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::Map(v) if **v == TypeRef::Json => {
            "serde_json::Map<String, serde_json::Value>".into()
        }
        TypeRef::Map(v) => format!("BTreeMap<String, {}>", show(surface, v)),
        TypeRef::Array(v) => format!("Vec<{}>", show(surface, v)),
        TypeRef::Named(id) => surface
            .types
            .get(id.0)
            .map_or_else(|| "?".into(), |t| t.name.clone()),
    }
}

/// `<the API's name>_ACCESS_TOKEN`, the name being the title's words
/// without `API` (`TOKEN` alone for a title of no other word).
fn token_env(title: &str) -> String {
    let words: Vec<String> = crate::idents::lower_words(&names::type_ident(title))
        .into_iter()
        .filter(|w| w != "api")
        .map(|w| w.to_ascii_uppercase())
        .collect();
    let name = words.join("_");
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        "API_ACCESS_TOKEN".to_string()
    } else {
        format!("{name}_ACCESS_TOKEN")
    }
}
