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

pub mod names;
mod operations;
pub mod paging;
pub mod reserved;
mod types;

use crate::error::Diagnostic;
use crate::ir::{Api, Operation, ResponseContent, Status, TypeId, TypeRef};
use std::path::Path;

pub use operations::status_variant;
pub use paging::{Cursor, FieldAt, Paging};

/// The Rust surface of one generated crate.
#[derive(Debug, Clone, PartialEq)]
pub struct Surface {
    /// By [`TypeId`].
    pub types: Vec<TypeNames>,
    /// By index of [`Api::operations`].
    pub operations: Vec<OpSurface>,
    /// Indexes of [`Api::operations`], in the order the methods are emitted (by name).
    pub order: Vec<usize>,
    /// The variant of `Region` for each of [`Api::servers`].
    pub regions: Vec<String>,
    /// Names that had to step aside for another spec item's, with where.
    pub warnings: Vec<Diagnostic>,
}

/// The Rust names of one IR type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeNames {
    pub name: String,
    /// One per field (struct), value (string enum) or alternative (union), in IR order.
    pub members: Vec<String>,
}

/// One operation, as a method of `Client`.
#[derive(Debug, Clone, PartialEq)]
pub struct OpSurface {
    pub method: String,
    /// The module its response and error enums live in.
    pub module: &'static str,
    /// The parameters, in call order: path parameters as the template names them, then the others.
    pub args: Vec<Arg>,
    /// The name of the body argument, when there is a body.
    pub body: Option<String>,
    /// The path template, parsed.
    pub path: Vec<PathPart>,
    pub success: Returns,
    pub error: Returns,
    pub paging: Option<Paging>,
}

/// An argument of an operation method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// Index into [`Operation::params`].
    pub param: usize,
    pub name: String,
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
        let (types, mut type_scope) = types::name_types(api, file, &mut warnings);
        let regions = types::regions(api, file, &mut warnings);
        let mut surface = Surface {
            types,
            operations: Vec::new(),
            order: Vec::new(),
            regions,
            warnings,
        };
        operations::name_operations(api, file, &mut surface, &mut type_scope);
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

impl OpSurface {
    /// The arguments' parameters, in call order.
    pub fn params<'a>(
        &'a self,
        op: &'a Operation,
    ) -> impl Iterator<Item = (&'a crate::ir::Param, &'a Arg)> {
        self.args.iter().map(move |a| (&op.params[a.param], a))
    }

    /// The argument that carries parameter `param` (an index into [`Operation::params`]).
    pub fn arg_of(&self, param: usize) -> Option<&Arg> {
        self.args.iter().find(|a| a.param == param)
    }
}

/// A type as the crate spells it, for messages.
pub fn show(surface: &Surface, ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".into(),
        TypeRef::Integer => "i64".into(),
        TypeRef::UnixTime => "UnixTimestamp".into(),
        TypeRef::Number => "f64".into(),
        TypeRef::Boolean => "bool".into(),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::Map(v) => format!("Map<String, {}>", show(surface, v)),
        TypeRef::Array(v) => format!("Vec<{}>", show(surface, v)),
        TypeRef::Named(id) => surface
            .types
            .get(id.0)
            .map_or_else(|| "?".into(), |t| t.name.clone()),
    }
}
