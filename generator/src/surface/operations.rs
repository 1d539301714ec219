//! Operations as methods of `Client`: names, arguments, path, return types,
//! pagination helpers.

use super::names::{snake_ident, type_ident, Case, Scope};
use super::{paging, reserved, Arg, OpSurface, PathPart, Returns, StatusVariant, Surface};
use crate::error::Diagnostic;
use crate::ir::{Api, Operation, ParamLocation, Response, ResponseContent, Status, TypeRef};
use std::path::Path;

/// The module every operation's enums live in.
pub const MODULE: &str = "operations";

pub(super) fn name_operations(api: &Api, file: &Path, surface: &mut Surface, types: &mut Scope) {
    let mut methods = Scope::new(Case::Snake, "_operation").reserve(reserved::client_methods());
    let mut method_names = vec![String::new(); api.operations.len()];
    // The spec's ids first (in document order), then the derived ones.
    for derived in [false, true] {
        for (i, op) in api.operations.iter().enumerate() {
            if op.id_derived != derived {
                continue;
            }
            let claim = methods.claim(&snake_ident(&op.id), &op.pointer);
            if let Some(message) = claim.collision(&format!("operation `{}`", op.id)) {
                surface
                    .warnings
                    .push(Diagnostic::at_pointer(file, &op.pointer, message));
            }
            method_names[i] = claim.name;
        }
    }
    let mut warn = |at: &str, message: String| {
        surface
            .warnings
            .push(Diagnostic::at_pointer(file, at, message));
    };
    let mut ops = Vec::with_capacity(api.operations.len());
    for (op, method) in api.operations.iter().zip(method_names) {
        let base = type_ident(&method);
        let mut claim_type = |suffix: &str, what: &str| {
            let claim = types.claim(&format!("{base}{suffix}"), &op.pointer);
            if let Some(message) = claim.collision(&format!("the {what} enum of `{}`", op.id)) {
                warn(&op.pointer, message);
            }
            claim.name
        };
        let successes: Vec<&Response> = op.success_responses().collect();
        let success = returns(&successes, || claim_type("Response", "success"));
        let errors: Vec<&Response> = op.json_error_responses().collect();
        let error = returns(&errors, || claim_type("Error", "error"));
        let (args, body) = arguments(op);
        let path = parse_path(op, &args);
        ops.push(OpSurface {
            method,
            module: MODULE,
            args,
            body,
            path,
            success,
            error,
            paging: None,
        });
    }
    // Pagination helpers, once every operation has its method.
    for (op, s) in api.operations.iter().zip(ops.iter_mut()) {
        if let Some(mut p) = paging::detect(api, op) {
            for (suffix, slot) in [("pages", &mut p.pages), ("stream", &mut p.stream)] {
                let claim = methods.claim(&format!("{}_{suffix}", s.method), &op.pointer);
                if let Some(message) =
                    claim.collision(&format!("the `{suffix}` helper of `{}`", op.id))
                {
                    warn(&op.pointer, message);
                }
                *slot = claim.name;
            }
            s.paging = Some(p);
        }
    }
    let mut order: Vec<usize> = (0..ops.len()).collect();
    order.sort_by(|&a, &b| ops[a].method.cmp(&ops[b].method));
    surface.operations = ops;
    surface.order = order;
}

/// One type when every status carries the same, else an enum by status
/// (named by `name` only then).
fn returns(responses: &[&Response], name: impl FnOnce() -> String) -> Returns {
    let mut distinct: Vec<&ResponseContent> = Vec::new();
    for r in responses {
        if !distinct.contains(&&r.content) {
            distinct.push(&r.content);
        }
    }
    match distinct.as_slice() {
        [] => Returns::One(ResponseContent::Json(TypeRef::Json)),
        [one] => Returns::One((*one).clone()),
        _ => Returns::ByStatus {
            name: name(),
            variants: responses
                .iter()
                .map(|r| StatusVariant {
                    status: r.status,
                    name: status_variant(r.status),
                    content: r.content.clone(),
                })
                .collect(),
        },
    }
}

/// `Status200`, `Status4xx`, `Default`: distinct for distinct statuses.
pub fn status_variant(status: Status) -> String {
    match status {
        Status::Code(c) => format!("Status{c}"),
        Status::Range(r) => format!("Status{r}xx"),
        Status::Default => "Default".into(),
    }
}

/// Path parameters in the order the template names them, then the others;
/// the body's argument first in the scope, so it is always `body`.
fn arguments(op: &Operation) -> (Vec<Arg>, Option<String>) {
    let mut scope = Scope::new(Case::Snake, "_arg").reserve(
        reserved::METHOD_LOCALS
            .iter()
            .copied()
            .filter(|l| *l != "body"),
    );
    let body = op.body.as_ref().map(|_| {
        scope
            .claim("body", &format!("{}/requestBody", op.pointer))
            .name
    });
    let mut order: Vec<usize> = (0..op.params.len())
        .filter(|&i| op.params[i].location == ParamLocation::Path)
        .collect();
    order.sort_by_key(|&i| op.path.find(&format!("{{{}}}", op.params[i].name)));
    order.extend((0..op.params.len()).filter(|&i| op.params[i].location != ParamLocation::Path));
    let args = order
        .into_iter()
        .map(|i| Arg {
            param: i,
            name: scope
                .claim(&snake_ident(&op.params[i].name), &op.pointer)
                .name,
        })
        .collect();
    (args, body)
}

fn parse_path(op: &Operation, args: &[Arg]) -> Vec<PathPart> {
    let mut parts = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        if start > 0 {
            parts.push(PathPart::Text(rest[..start].to_string()));
        }
        let name = &rest[start + 1..start + len];
        let arg = args.iter().position(|a| {
            let p = &op.params[a.param];
            p.location == ParamLocation::Path && p.name == name
        });
        parts.push(match arg {
            Some(i) => PathPart::Arg(i),
            // Normalize rejects a template naming no parameter; kept as text.
            None => PathPart::Text(rest[start..start + len + 1].to_string()),
        });
        rest = &rest[start + len + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Text(rest.to_string()));
    }
    parts
}
