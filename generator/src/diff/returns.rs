//! What a request builder's `send` returns: one success type, or an enum by
//! status when statuses carry different types. A change
//! between these shapes, or in the statuses of such an enum, changes the
//! method's signature.

use super::walk::{content_pair, Site, Walk};
use super::{Dir, Finding, Kind};
use crate::ir::{Operation, ResponseContent, Status, TypeRef};
use crate::surface::Returns;

#[derive(Debug, Clone, PartialEq)]
enum Shape {
    /// One type, and the statuses that carry it.
    Single(ResponseContent, Vec<Status>),
    /// An enum with one variant per status.
    ByStatus(Vec<Status>),
}

/// The shape of an operation's success type, as the surface of its side
/// decided it, with the statuses it is made of. (Errors are the one
/// crate-wide `Error`: no error type is in a signature.)
fn shape(w: &Walk, side: bool, op: &Operation) -> Shape {
    let statuses: Vec<Status> = op.success_responses().map(|r| r.status).collect();
    match w.op_surface(side, op).map(|s| &s.success) {
        Some(Returns::ByStatus { variants, .. }) => {
            Shape::ByStatus(variants.iter().map(|v| v.status).collect())
        }
        Some(Returns::One(content)) => Shape::Single(content.clone(), statuses),
        None => Shape::Single(ResponseContent::Json(TypeRef::Json), statuses),
    }
}

/// `200 (`Status200`), 202 (`Status202`)`: each status with its variant in the enum.
fn list(statuses: &[Status]) -> String {
    let s: Vec<String> = statuses
        .iter()
        .map(|st| format!("{st} (`{}`)", crate::surface::status_variant(*st)))
        .collect();
    s.join(", ")
}

/// The name of an operation's enum by status (old API or new), if it has one.
fn enum_of(w: &Walk, side: bool, op: &Operation) -> Option<String> {
    match &w.op_surface(side, op)?.success {
        Returns::ByStatus { name, .. } => Some(name.clone()),
        Returns::One(_) => None,
    }
}

pub(crate) fn compare(w: &mut Walk, old: &Operation, new: &Operation, op: &str) {
    let what = "success";
    // The enum by status, as the surface of either side names it.
    let old_name = enum_of(w, false, old);
    let enum_name = enum_of(w, true, new)
        .or_else(|| old_name.clone())
        .unwrap_or_default();
    let (a, b) = (shape(w, false, old), shape(w, true, new));
    let ptr = format!("{}/responses", new.pointer);
    // The enum by status keeps its statuses but takes another name (the method was renamed).
    if let (Shape::ByStatus(_), Shape::ByStatus(_), Some(old_name)) = (&a, &b, &old_name) {
        if *old_name != enum_name {
            let fact = format!("type `{old_name}` is now `{enum_name}`");
            w.add(
                Finding::new(Kind::RustTypeRenamed, Dir::Read, &ptr, fact)
                    .op(op)
                    .subject(format!("{what} enum"))
                    .signature(true),
            );
        }
    }
    let fact = match (&a, &b) {
        (Shape::ByStatus(x), Shape::ByStatus(y)) if x != y => format!(
            "{what} type `{enum_name}`: statuses [{}] → [{}]",
            list(x),
            list(y)
        ),
        (Shape::Single(..), Shape::ByStatus(y)) => format!(
            "{what} type is now the enum `{enum_name}`, by status [{}]",
            list(y)
        ),
        (Shape::ByStatus(_), Shape::Single(..)) => {
            format!("{what} type is no longer the enum `{enum_name}` by status")
        }
        (Shape::Single(x, sx), Shape::Single(y, sy)) => {
            // A status documented on both sides is compared in `responses`.
            if !sx.iter().any(|s| sy.contains(s)) {
                let site = Site {
                    kind: Kind::ReturnTypeChanged,
                    operation: Some(op.to_string()),
                    schema: None,
                    subject: format!("{what} type"),
                    pointer: ptr,
                    dir: Dir::Read,
                };
                content_pair(w, &site, x, y);
            }
            return;
        }
        _ => return,
    };
    w.add(
        Finding::new(Kind::ReturnTypeChanged, Dir::Read, ptr, fact)
            .op(op)
            .subject(what)
            .signature(true),
    );
}
