//! Operations matched by method and path, and what changes between each
//! pair: name, deprecation, parameters, body, responses.

use super::walk::{content_label, content_pair, Site, Walk};
use super::{Dir, Finding, Kind};
use crate::ir::{Body, Method, Operation, Param, ParamLocation, Response, Status};
use crate::pointer::escape as escape_pointer;
use crate::surface::show;
use std::collections::{BTreeMap, VecDeque};

/// A path template with its parameter names blanked: `/a/{x}` is `/a/{}`.
pub fn normalize_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' if in_param => in_param = false,
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

fn label(op: &Operation) -> String {
    format!("{} {}", op.method.as_str(), op.path)
}

pub(crate) fn operations(w: &mut Walk) {
    let mut old_by_key: BTreeMap<(Method, String), VecDeque<&Operation>> = BTreeMap::new();
    for op in &w.old.operations {
        old_by_key
            .entry((op.method, normalize_path(&op.path)))
            .or_default()
            .push_back(op);
    }
    let new_ops: Vec<&Operation> = w.new.operations.iter().collect();
    for new in new_ops {
        let key = (new.method, normalize_path(&new.path));
        match old_by_key.get_mut(&key).and_then(VecDeque::pop_front) {
            Some(old) => pair(w, old, new),
            None => {
                let fact = format!(
                    "operation `{}` added (method `{}`)",
                    new.id,
                    method(w, true, new)
                );
                w.add(
                    Finding::new(Kind::OperationAdded, Dir::Both, &new.pointer, fact)
                        .op(&label(new)),
                );
            }
        }
    }
    for old in old_by_key.into_values().flatten() {
        let mut gone = vec![method(w, false, old)];
        gone.extend(extras(w, false, old));
        let fact = format!(
            "operation `{}` removed (method {})",
            old.id,
            gone.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        w.add(
            Finding::new(Kind::OperationRemoved, Dir::Both, &old.pointer, fact)
                .op(&label(old))
                .signature(true),
        );
    }
}

/// How the old API or the new starts a call of an operation: `conversations().reply`.
fn method(w: &Walk, new: bool, op: &Operation) -> String {
    let (_, surface) = w.side(new);
    w.op_surface(new, op)
        .map(|s| surface.call(s))
        .unwrap_or_default()
}

/// The other items an operation brings: its request builder and its
/// success enum by status, by Rust path.
fn extras(w: &Walk, new: bool, op: &Operation) -> Vec<String> {
    let Some(s) = w.op_surface(new, op) else {
        return Vec::new();
    };
    let mut out = vec![format!("{}::{}", s.module, s.builder)];
    if let crate::surface::Returns::ByStatus { name, .. } = &s.success {
        out.push(format!("{}::{name}", s.module));
    }
    out
}

/// The pagination of two versions of an operation: whether it is a list,
/// where its items are, and how it continues.
fn paging(w: &mut Walk, old: &Operation, new: &Operation, op: &str) {
    let style = |side, o: &Operation| {
        let s = w.op_surface(side, o)?;
        let p = s.paging.as_ref()?;
        let api = if side { w.new } else { w.old };
        let items: Vec<&str> = p
            .items
            .iter()
            .map(|&f| api.field(f).json_name.as_str())
            .collect();
        let continues: Vec<String> = p
            .continuations
            .iter()
            .map(|c| format!("{} ({})", c.name, c.send))
            .collect();
        Some((
            s.builder.clone(),
            format!(
                "items `{}`, continues with {}",
                items.join("."),
                continues.join(", ")
            ),
        ))
    };
    let (a, b) = (style(false, old), style(true, new));
    let (fact, breaks) = match (&a, &b) {
        (Some((builder, _)), None) => (
            format!(
                "`pages` and `items` of `{builder}` removed: the operation is no longer a list"
            ),
            true,
        ),
        (None, Some((builder, how))) => (
            format!("`pages` and `items` of `{builder}` added ({how})"),
            false,
        ),
        (Some((x, how_a)), Some((y, how_b))) if x != y || how_a != how_b => {
            (format!("pagination of `{y}`: {how_a} → {how_b}"), x != y)
        }
        _ => return,
    };
    w.add(
        Finding::new(Kind::PaginationChanged, Dir::Both, &new.pointer, fact)
            .op(op)
            .loosened(a.is_none())
            .signature(breaks),
    );
}

/// The typed search of two versions of an operation: each field of its
/// table added or removed, and each field whose type or operators changed.
/// A field or an operator removed, or a type changed, breaks code that
/// calls it; one added does not.
fn search(w: &mut Walk, old: &Operation, new: &Operation, op: &str) {
    use crate::ir::{SearchField, SearchOp};
    let (Some(a), Some(b)) = (&old.search, &new.search) else {
        return;
    };
    let ptr = format!("{}/description", new.pointer);
    let ops = |ops: &[SearchOp]| {
        ops.iter()
            .map(|o| format!("`{}`", o.symbol()))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let said = |f: &SearchField| {
        let value = match &f.value {
            crate::ir::SearchValue::Listed(values) => format!("one of {}", values.join(", ")),
            other => format!("{other:?}").to_lowercase(),
        };
        format!("{value}; operators {}", ops(&f.operators))
    };
    let mut add = |field: &str, fact: String, breaks: bool| {
        w.add(
            Finding::new(Kind::SearchChanged, Dir::Send, &ptr, fact)
                .op(op)
                .subject(format!("search field `{field}`"))
                .loosened(!breaks)
                .signature(breaks),
        );
    };
    for f in &b.fields {
        match a.fields.iter().find(|g| g.name == f.name) {
            None => add(
                &f.name,
                format!("searchable field `{}` added ({})", f.name, said(f)),
                false,
            ),
            Some(g) if g != f => {
                let removed: Vec<SearchOp> = g
                    .operators
                    .iter()
                    .filter(|o| !f.operators.contains(o))
                    .copied()
                    .collect();
                let breaks = g.value != f.value || !removed.is_empty();
                add(
                    &f.name,
                    format!("searchable field `{}`: {} → {}", f.name, said(g), said(f)),
                    breaks,
                );
            }
            Some(_) => {}
        }
    }
    for g in &a.fields {
        if !b.fields.iter().any(|f| f.name == g.name) {
            add(
                &g.name,
                format!("searchable field `{}` removed (was {})", g.name, said(g)),
                true,
            );
        }
    }
}

fn pair(w: &mut Walk, old: &Operation, new: &Operation) {
    let op = label(new);
    paging(w, old, new, &op);
    search(w, old, new, &op);
    let at = |kind, dir, fact: String| Finding::new(kind, dir, &new.pointer, fact).op(&op);
    let (old_method, new_method) = (method(w, false, old), method(w, true, new));
    if old_method != new_method {
        // The name comes from the operationId or from the path's shape
        // (docs/naming.md): say which changed.
        let why = if old.id != new.id {
            format!("operationId `{}` → `{}`", old.id, new.id)
        } else {
            "named from the API's paths, which changed around it".to_string()
        };
        let fact = format!("method `{old_method}` renamed to `{new_method}` ({why})");
        w.add(at(Kind::OperationRenamed, Dir::Both, fact).signature(true));
    } else if old.id != new.id {
        let fact = format!(
            "operationId `{}` → `{}`; the method keeps its name `{new_method}`",
            old.id, new.id
        );
        w.add(at(Kind::OperationRenamed, Dir::Both, fact));
    }
    match (old.deprecated, new.deprecated) {
        (false, true) => w.add(at(
            Kind::OperationDeprecated,
            Dir::Both,
            format!("method `{new_method}` is deprecated"),
        )),
        (true, false) => w.add(at(
            Kind::OperationUndeprecated,
            Dir::Both,
            format!("method `{new_method}` is no longer deprecated"),
        )),
        _ => {}
    }
    params(w, old, new, &op);
    body(w, old.body.as_ref(), new.body.as_ref(), new, &op);
    responses(w, old, new, &op);
    super::returns::compare(w, old, new, &op);
}

/// An argument of the generated method: its parameter and its Rust name.
#[derive(Clone, Copy)]
struct Argument<'a> {
    p: &'a Param,
    /// The Rust name of the argument.
    rust: &'a str,
    /// Taken as any `PathValue` (a string or an integer), whatever its type.
    path_value: bool,
}

impl std::ops::Deref for Argument<'_> {
    type Target = Param;
    fn deref(&self) -> &Param {
        self.p
    }
}

/// Arguments in the order the generated method takes them, as the surface decided.
fn arguments<'a>(w: &Walk<'a>, new: bool, op: &'a Operation) -> Vec<Argument<'a>> {
    w.op_surface(new, op)
        .map(|s| {
            s.params(op)
                .map(|(p, a)| Argument {
                    p,
                    rust: &a.name,
                    path_value: a.path_value,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Pair the arguments of two versions of an operation (indices into
/// [`arguments`]): path parameters by position in the template, the rest by name.
fn pair_params(old_args: &[Argument], new_args: &[Argument]) -> Vec<(usize, usize)> {
    let is_path = |p: &&Argument| p.location == ParamLocation::Path;
    let mut pairs: Vec<(usize, usize)> = (0..old_args.iter().filter(is_path).count())
        .zip(0..new_args.iter().filter(is_path).count())
        .collect();
    for (j, p) in new_args.iter().enumerate() {
        if pairs.iter().any(|&(_, b)| b == j) {
            continue;
        }
        let found = old_args
            .iter()
            .enumerate()
            .position(|(i, q)| q.name == p.name && !pairs.iter().any(|&(a, _)| a == i));
        if let Some(i) = found {
            pairs.push((i, j));
        }
    }
    pairs
}

fn params(w: &mut Walk, old: &Operation, new: &Operation, op: &str) {
    let (old_args, new_args) = (arguments(w, false, old), arguments(w, true, new));
    let pairs = pair_params(&old_args, &new_args);
    let at = |kind, fact: String, subject: &str| {
        Finding::new(kind, Dir::Send, format!("{}/parameters", new.pointer), fact)
            .op(op)
            .subject(subject)
    };
    let unpaired_new = (0..new_args.len()).filter(|j| !pairs.iter().any(|&(_, b)| b == *j));
    for p in unpaired_new.map(|j| new_args[j]) {
        let req = if p.required { "required" } else { "optional" };
        let (loc, name, arg) = (p.location.as_str(), &p.name, p.rust);
        // A path parameter is an argument of the method; the others are setters.
        let path = p.location == ParamLocation::Path;
        let how = if path { "argument" } else { "setter" };
        let fact = format!("{req} {loc} parameter `{name}` added ({how} `{arg}`)");
        w.add(
            at(Kind::ParameterAdded, fact, name)
                .loosened(!p.required)
                .signature(path),
        );
    }
    let unpaired_old = (0..old_args.len()).filter(|i| !pairs.iter().any(|&(a, _)| a == *i));
    for p in unpaired_old.map(|i| old_args[i]) {
        let (loc, name, arg) = (p.location.as_str(), &p.name, p.rust);
        let how = if p.location == ParamLocation::Path {
            "argument"
        } else {
            "setter"
        };
        let fact = format!("{loc} parameter `{name}` removed ({how} `{arg}`)");
        w.add(at(Kind::ParameterRemoved, fact, name).signature(true));
    }
    for &(i, j) in &pairs {
        param_pair(w, old_args[i], new_args[j], new, op);
    }
    // Only path parameters are positional (the method's arguments).
    let positional: Vec<(usize, usize)> = pairs
        .iter()
        .copied()
        .filter(|&(i, j)| {
            old_args[i].location == ParamLocation::Path
                && new_args[j].location == ParamLocation::Path
        })
        .collect();
    if let Some(fact) = reordered(&positional, &new_args) {
        w.add(at(Kind::ParameterOrderChanged, fact, "").signature(true));
    }
}

/// Whether the arguments both versions have keep their relative order; if not, how they moved.
fn reordered(pairs: &[(usize, usize)], new_args: &[Argument]) -> Option<String> {
    let mut by_old = pairs.to_vec();
    by_old.sort();
    if !by_old.windows(2).any(|x| x[0].1 > x[1].1) {
        return None;
    }
    let names = |ps: &[(usize, usize)]| {
        let names: Vec<&str> = ps.iter().map(|&(_, j)| new_args[j].rust).collect();
        names.join(", ")
    };
    let mut by_new = by_old.clone();
    by_new.sort_by_key(|&(_, j)| j);
    Some(format!(
        "arguments reordered: ({}) → ({})",
        names(&by_old),
        names(&by_new)
    ))
}

fn param_pair(w: &mut Walk, a: Argument, b: Argument, new: &Operation, op: &str) {
    let at = |kind, fact: String| {
        Finding::new(kind, Dir::Send, format!("{}/parameters", new.pointer), fact)
            .op(op)
            .subject(&b.name)
    };
    if a.name != b.name {
        let fact = format!(
            "path parameter `{{{}}}` renamed to `{{{}}}` (argument `{}` → `{}`)",
            a.name, b.name, a.rust, b.rust
        );
        w.add(at(Kind::ParameterRenamed, fact));
    } else if a.rust != b.rust {
        // A setter's name is the API; an argument's is not (it is positional).
        let setter = b.location != ParamLocation::Path;
        let how = if setter { "setter" } else { "argument" };
        let fact = format!("parameter `{}`: {how} `{}` → `{}`", b.name, a.rust, b.rust);
        w.add(at(Kind::ParameterRenamed, fact).signature(setter));
    }
    if a.location != b.location {
        let fact = format!(
            "parameter `{}` moved from {} to {}",
            b.name,
            a.location.as_str(),
            b.location.as_str()
        );
        // Into or out of the path: an argument becomes a setter, or back.
        let moved = a.location == ParamLocation::Path || b.location == ParamLocation::Path;
        w.add(at(Kind::ParameterLocationChanged, fact).signature(moved));
    }
    if a.required != b.required {
        let fact = format!(
            "parameter `{}` is now {}",
            b.name,
            if b.required { "required" } else { "optional" }
        );
        // A setter stays a setter; a required one not set fails before sending.
        w.add(at(Kind::ParameterRequiredChanged, fact).loosened(!b.required));
    }
    if a.path_value && b.path_value {
        // Both are taken as any `PathValue`: the wire changes, the argument does not.
        if a.ty != b.ty {
            let (x, y) = (show(w.old_s, &a.ty), show(w.new_s, &b.ty));
            let fact = format!(
                "parameter `{}`: type `{x}` → `{y}` (the argument takes either, as `impl PathValue`)",
                b.name
            );
            w.add(at(Kind::ParameterTypeChanged, fact).subject(format!("parameter `{}`", b.name)));
        }
        return;
    }
    let site = Site {
        kind: Kind::ParameterTypeChanged,
        operation: Some(op.to_string()),
        schema: None,
        subject: format!("parameter `{}`", b.name),
        pointer: format!("{}/parameters", new.pointer),
        dir: Dir::Send,
    };
    w.compare(&site, &a.ty, &b.ty);
}

fn body(w: &mut Walk, old: Option<&Body>, new: Option<&Body>, op_new: &Operation, op: &str) {
    let ptr = format!("{}/requestBody", op_new.pointer);
    let at = |kind, fact: String| Finding::new(kind, Dir::Send, &ptr, fact).op(op);
    match (old, new) {
        (None, None) => {}
        (None, Some(b)) => {
            let req = if b.required { "required" } else { "optional" };
            let fact = format!("{req} request body added (`{}`)", show(w.new_s, &b.ty));
            // A new setter: breaking only when the body is required.
            w.add(at(Kind::RequestBodyAdded, fact).loosened(!b.required));
        }
        (Some(a), None) => {
            let fact = format!("request body removed (`{}`)", show(w.old_s, &a.ty));
            w.add(at(Kind::RequestBodyRemoved, fact).signature(true));
        }
        (Some(a), Some(b)) => {
            if a.required != b.required {
                let fact = format!(
                    "request body is now {}",
                    if b.required { "required" } else { "optional" }
                );
                w.add(at(Kind::RequestBodyRequiredChanged, fact).loosened(!b.required));
            }
            if a.content_type != b.content_type {
                let fact = format!(
                    "request media type `{}` → `{}`",
                    a.content_type, b.content_type
                );
                w.add(at(Kind::RequestMediaChanged, fact));
            }
            let site = Site {
                kind: Kind::RequestBodyTypeChanged,
                operation: Some(op.to_string()),
                schema: None,
                subject: "request body".into(),
                pointer: ptr.clone(),
                dir: Dir::Send,
            };
            w.compare(&site, &a.ty, &b.ty);
        }
    }
}

fn responses(w: &mut Walk, old: &Operation, new: &Operation, op: &str) {
    let find = |o: &'_ Operation, s: Status| o.responses.iter().find(|r| r.status == s).cloned();
    let ptr = |o: &Operation, s: Status| {
        format!("{}/responses/{}", o.pointer, escape_pointer(&s.to_string()))
    };
    for b in &new.responses {
        let at = |kind, fact: String| {
            Finding::new(kind, Dir::Read, ptr(new, b.status), fact)
                .op(op)
                .subject(b.status.to_string())
        };
        match find(old, b.status) {
            None => {
                let fact = format!(
                    "response {} added ({})",
                    b.status,
                    content_label(w.new_s, &b.content)
                );
                w.add(at(Kind::ResponseStatusAdded, fact));
            }
            Some(a) => response_pair(w, &a, b, ptr(new, b.status), op),
        }
    }
    for a in old
        .responses
        .iter()
        .filter(|a| find(new, a.status).is_none())
    {
        let fact = format!(
            "response {} removed ({})",
            a.status,
            content_label(w.old_s, &a.content)
        );
        w.add(
            Finding::new(
                Kind::ResponseStatusRemoved,
                Dir::Read,
                ptr(old, a.status),
                fact,
            )
            .op(op)
            .subject(a.status.to_string()),
        );
    }
}

fn response_pair(w: &mut Walk, a: &Response, b: &Response, ptr: String, op: &str) {
    let site = Site {
        kind: Kind::ResponseContentChanged,
        operation: Some(op.to_string()),
        schema: None,
        subject: format!("response {}", b.status),
        pointer: ptr,
        dir: Dir::Read,
    };
    content_pair(w, &site, &a.content, &b.content);
}
