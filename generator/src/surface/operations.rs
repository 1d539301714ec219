//! Operations as request builders: the method of its area's handle that
//! starts one, the builder's type, its arguments and setters, its path,
//! what it returns, its pagination.

use super::names::{snake_ident, type_ident, Case, Scope};
use super::types::type_scope;
use super::{
    areas, methods, paging, reserved, search, Arg, OpSurface, PathPart, Returns, StatusVariant,
    Surface,
};
use crate::error::Diagnostic;
use crate::ir::{Api, Operation, ParamLocation, Response, ResponseContent, Status, TypeRef};
use std::path::Path;

/// The methods every request builder has (and the field that holds the
/// client); a parameter of that name gets `_param`.
pub const BUILDER_METHODS: &[&str] = &["client", "send", "pages", "items", "options"];

/// Names the generated area modules import; no type there may take them.
const AREA_IMPORTS: &[&str] = &[
    "Method",
    "PathValue",
    "Request",
    "Client",
    "Error",
    "BoxStream",
    "models",
    "runtime",
];

pub(super) fn name_operations(api: &Api, file: &Path, surface: &mut Surface) {
    let (mut areas, area_of) = areas::areas(api);
    let mut warn = |at: &str, message: String| {
        surface
            .warnings
            .push(Diagnostic::at_pointer(file, at, message));
    };
    // Full method names first, crate-wide: they name the builders, and are
    // the method when the short one will not do.
    let mut full = Scope::new(Case::Snake, "_operation");
    let mut full_names = vec![String::new(); api.operations.len()];
    // The spec's ids first (in document order), then the derived ones.
    for derived in [false, true] {
        for (i, op) in api.operations.iter().enumerate() {
            if op.id_derived != derived {
                continue;
            }
            let claim = full.claim(&snake_ident(&op.id), &op.pointer);
            if let Some(message) = claim.collision(&format!("operation `{}`", op.id)) {
                warn(&op.pointer, message);
            }
            full_names[i] = claim.name;
        }
    }
    // Each area: its handle's methods (short names when they are distinct),
    // and its module's types.
    let mut ops: Vec<Option<OpSurface>> = vec![None; api.operations.len()];
    for (a, area) in areas.iter_mut().enumerate() {
        let members: Vec<usize> = (0..api.operations.len())
            .filter(|&i| area_of[i] == a)
            .collect();
        let short: Vec<Option<String>> = members
            .iter()
            .map(|&i| {
                area.tag.as_ref()?;
                areas::short_method(&full_names[i], &area.module)
            })
            .collect();
        let context = methods::Context::new(api, &area.module);
        let shaped: Vec<Option<String>> = members
            .iter()
            .map(|&i| {
                area.tag.as_ref()?;
                methods::from_shape(api, &api.operations[i], &context)
            })
            .collect();
        // As on `Client` (where they were before areas), the runtime's `Client`
        // methods and the methods every value has are taken.
        let mut methods = Scope::new(Case::Snake, "_operation").reserve(reserved::client_methods());
        let mut types = type_scope().reserve(AREA_IMPORTS.iter().copied());
        area.handle = types
            .claim(&area.handle, &format!("/tags/{}", area.module))
            .name;
        // The shape's name where no other operation of the area has it;
        // else the operationId's words without the area's, where they are
        // distinct; else the full name.
        let another_full = |name: &str, i: usize| {
            full_names
                .iter()
                .enumerate()
                .any(|(j, f)| f == name && area_of[j] == a && j != i)
        };
        let mut names: Vec<Option<String>> = members
            .iter()
            .enumerate()
            .map(|(k, &i)| {
                let s = shaped[k].as_deref()?;
                let alone = shaped.iter().filter(|x| x.as_deref() == Some(s)).count() == 1;
                (alone && !another_full(s, i) && methods.is_free(s)).then(|| s.to_string())
            })
            .collect();
        for (k, &i) in members.iter().enumerate() {
            if names[k].is_some() {
                continue;
            }
            let distinct = |name: &str| {
                short.iter().filter(|s| s.as_deref() == Some(name)).count() == 1
                    && !another_full(name, i)
                    && !names.iter().any(|n| n.as_deref() == Some(name))
            };
            let chosen = match &short[k] {
                Some(s) if distinct(s) && methods.is_free(s) => s.clone(),
                _ => full_names[i].clone(),
            };
            // One verb per action: `show_…` for reading one is `retrieve_…`,
            // unless another method of the area has that name.
            let one = methods::one_verb(api, &api.operations[i], &chosen);
            let free = one == chosen
                || methods.is_free(&one)
                    && !names.iter().any(|n| n.as_deref() == Some(one.as_str()))
                    && !short.iter().any(|s| s.as_deref() == Some(one.as_str()))
                    && !shaped.iter().any(|s| s.as_deref() == Some(one.as_str()));
            names[k] = Some(if free { one } else { chosen });
        }
        let names: Vec<String> = names.into_iter().flatten().collect();
        // Claim in document order; collisions were avoided above, and a
        // reserved name steps aside.
        for (k, &i) in members.iter().enumerate() {
            let op = &api.operations[i];
            let method = methods.claim(&names[k], &op.pointer).name;
            let base = type_ident(&methods::builder_name(&method, &full_names[i]));
            let mut claim_type = |suffix: &str, what: &str| {
                let claim = types.claim(&format!("{base}{suffix}"), &op.pointer);
                if let Some(message) = claim.collision(&format!("the {what} of `{}`", op.id)) {
                    warn(&op.pointer, message);
                }
                claim.name
            };
            let builder = claim_type("", "request builder");
            let successes: Vec<&Response> = op.success_responses().collect();
            let success = returns(&successes, || claim_type("Response", "success enum"));
            let (args, body, query) = arguments(op);
            let path = parse_path(op, &args);
            // What Intercom's conventions add to a list's builder, where no
            // name of the builder's own has it.
            let mut paging = paging::detect(api, op);
            if let Some(p) = paging.as_mut() {
                p.added = p.undeclared_setters(|name| {
                    args.iter().any(|a| a.name == name)
                        || body.as_deref() == Some(name)
                        || query.as_deref() == Some(name)
                        || BUILDER_METHODS.contains(&name)
                        || reserved::METHOD_LOCALS.contains(&name)
                        || reserved::STD_METHODS.contains(&name)
                });
            }
            let search = op.search.as_ref().zip(query).map(|(search, setter)| {
                let mut warnings = Vec::new();
                let module = search::module(op, search, &method, setter, file, &mut warnings);
                for w in warnings {
                    warn(&op.pointer, w.message);
                }
                module
            });
            ops[i] = Some(OpSurface {
                area: a,
                method,
                builder,
                module: area.module.clone(),
                args,
                body,
                path,
                success,
                paging,
                search,
            });
        }
        let mut sorted = members;
        sorted.sort_by(|&x, &y| {
            let name = |i: usize| {
                ops[i]
                    .as_ref()
                    .map(|o| o.method.as_str())
                    .unwrap_or_default()
            };
            name(x).cmp(name(y))
        });
        area.ops = sorted;
    }
    surface.operations = ops.into_iter().flatten().collect();
    surface.order = areas.iter().flat_map(|a| a.ops.iter().copied()).collect();
    surface.areas = areas;
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
/// the body's setter first in the scope, so it is always `body`, then a
/// query search's setter of its query (`query`). They are all fields of the
/// builder, so one scope holds them, with the builder's own methods and the
/// locals of `send`.
fn arguments(op: &Operation) -> (Vec<Arg>, Option<String>, Option<String>) {
    let mut scope = Scope::new(Case::Snake, "_param").reserve(
        reserved::METHOD_LOCALS
            .iter()
            .chain(BUILDER_METHODS)
            .chain(reserved::STD_METHODS)
            .copied()
            .filter(|l| *l != "body"),
    );
    let body = op.body.as_ref().map(|_| {
        scope
            .claim("body", &format!("{}/requestBody", op.pointer))
            .name
    });
    let query = op.search.as_ref().map(|search| {
        scope
            .claim(
                &snake_ident(&search.property),
                &format!("{}/requestBody", op.pointer),
            )
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
            path_value: op.params[i].location == ParamLocation::Path
                && !op.params[i].json
                && matches!(
                    op.params[i].ty,
                    TypeRef::String | TypeRef::Integer | TypeRef::UnixTime
                ),
        })
        .collect();
    (args, body, query)
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
