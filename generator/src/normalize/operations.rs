//! Paths to operations: names, parameters, bodies, responses by status.

use super::Ctx;
use crate::idents::snake_ident;
use crate::ir::{
    Body, BodyKind, Method, Operation, Param, ParamLocation, Place, Response, ResponseContent,
    Status, TypeRef, VersionHeader,
};
use crate::pointer::escape as escape_pointer;
use openapiv3::{Parameter, ParameterSchemaOrContent, ReferenceOr, RequestBody, StatusCode};
use std::collections::HashMap;

/// The header that carries the API version; the client sends it on every call.
pub const VERSION_HEADER: &str = "Intercom-Version";

/// Follow a `$ref` into `#/components/<section>/<name>`.
fn resolve<'d, T>(
    item: &'d ReferenceOr<T>,
    section: &str,
    lookup: impl Fn(&str) -> Option<&'d ReferenceOr<T>>,
) -> Result<(&'d T, Option<String>), String> {
    let mut current = item;
    let mut via = None;
    for _ in 0..16 {
        match current {
            ReferenceOr::Item(t) => return Ok((t, via)),
            ReferenceOr::Reference { reference } => {
                let prefix = format!("#/components/{section}/");
                let Some(name) = reference.strip_prefix(&prefix) else {
                    return Err(format!(
                        "`$ref: {reference}` does not point into #/components/{section}"
                    ));
                };
                let name = crate::pointer::unescape(name);
                current =
                    lookup(&name).ok_or_else(|| format!("`$ref: {reference}` points nowhere"))?;
                via = Some(format!("/components/{section}/{}", escape_pointer(&name)));
            }
        }
    }
    Err("`$ref` chain too long or circular".into())
}

/// A media type's examples by name (`example` is named "example").
fn media_examples(mt: &openapiv3::MediaType) -> Vec<(String, serde_json::Value)> {
    let mut examples: Vec<(String, serde_json::Value)> = Vec::new();
    if let Some(e) = &mt.example {
        examples.push(("example".into(), e.clone()));
    }
    for (name, e) in &mt.examples {
        if let ReferenceOr::Item(openapiv3::Example { value: Some(v), .. }) = e {
            examples.push((name.clone(), v.clone()));
        }
    }
    examples
}

fn is_json(media: &str) -> bool {
    let m = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    m == "application/json" || m.ends_with("+json") || m == "*/*"
}

/// A method name derived from method and path, for operations without an `operationId`:
/// `GET /export/reporting_data/{job_identifier}` is `get_export_reporting_data_by_job_identifier`.
fn derived_name(method: Method, path: &str) -> String {
    let mut parts = vec![method.as_str().to_ascii_lowercase()];
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => parts.push(format!("by_{param}")),
            None => parts.push(seg.to_string()),
        }
    }
    snake_ident(&parts.join("_"))
}

impl<'a> Ctx<'a> {
    pub(super) fn operations(&mut self) -> (Vec<Operation>, Option<VersionHeader>) {
        let doc = self.doc;
        let mut ops = Vec::new();
        let mut ids: HashMap<String, String> = HashMap::new();
        let mut version_header = None;
        for (path, item) in &doc.paths.paths {
            let path_ptr = format!("/paths/{}", escape_pointer(path));
            let item = match resolve(item, "pathItems", |_| None) {
                Ok((item, _)) => item,
                Err(e) => {
                    self.error(&path_ptr, e);
                    continue;
                }
            };
            let methods = [
                (Method::Get, &item.get),
                (Method::Put, &item.put),
                (Method::Post, &item.post),
                (Method::Delete, &item.delete),
                (Method::Patch, &item.patch),
                (Method::Head, &item.head),
                (Method::Options, &item.options),
                (Method::Trace, &item.trace),
            ];
            for (method, op) in methods {
                let Some(op) = op else { continue };
                let ptr = format!("{path_ptr}/{}", method.as_str().to_ascii_lowercase());
                let (id, id_derived) = match &op.operation_id {
                    Some(id) if !id.trim().is_empty() => (id.clone(), false),
                    _ => (derived_name(method, path), true),
                };
                if !id_derived {
                    if let Some(first) = ids.insert(id.clone(), ptr.clone()) {
                        self.error(
                            &format!("{ptr}/operationId"),
                            format!("duplicate operationId `{id}` (first used at {first})"),
                        );
                        continue;
                    }
                }
                let place = Place::Operation(id.clone());
                let params = self.params(
                    &item.parameters,
                    &op.parameters,
                    path,
                    &ptr,
                    &place,
                    &mut version_header,
                );
                let body = op
                    .request_body
                    .as_ref()
                    .and_then(|b| self.body(b, &format!("{ptr}/requestBody"), &place));
                let responses = self.responses(&op.responses, &format!("{ptr}/responses"), &place);
                ops.push(Operation {
                    id,
                    id_derived,
                    method,
                    path: path.clone(),
                    summary: op.summary.clone(),
                    doc: op.description.clone(),
                    tags: op.tags.clone(),
                    deprecated: op.deprecated,
                    params,
                    body,
                    responses,
                    pointer: ptr,
                    search: None,
                });
            }
        }
        (ops, version_header)
    }

    fn params(
        &mut self,
        path_level: &[ReferenceOr<Parameter>],
        op_level: &[ReferenceOr<Parameter>],
        path: &str,
        ptr: &str,
        operation: &Place,
        version_header: &mut Option<VersionHeader>,
    ) -> Vec<Param> {
        let doc = self.doc;
        let lookup = |n: &str| doc.components.as_ref().and_then(|c| c.parameters.get(n));
        // Operation-level parameters override path-level ones with the same name and location.
        let path_ptr = ptr
            .rsplit_once('/')
            .map(|(p, _)| p.to_string())
            .unwrap_or_default();
        let mut all: Vec<(&Parameter, String)> = Vec::new();
        let sources = [
            (path_level, format!("{path_ptr}/parameters")),
            (op_level, format!("{ptr}/parameters")),
        ];
        for (list, list_ptr) in &sources {
            for (i, p) in list.iter().enumerate() {
                let p_ptr = format!("{list_ptr}/{i}");
                match resolve(p, "parameters", lookup) {
                    Ok((param, via)) => {
                        let data = param.parameter_data_ref();
                        all.retain(|(q, _)| {
                            let qd = q.parameter_data_ref();
                            !(qd.name == data.name
                                && std::mem::discriminant(*q) == std::mem::discriminant(param))
                        });
                        all.push((param, via.unwrap_or(p_ptr)));
                    }
                    Err(e) => self.error(&p_ptr, e),
                }
            }
        }
        let mut out = Vec::new();
        let mut pointers: HashMap<String, String> = HashMap::new();
        for (param, p_ptr) in all {
            let data = param.parameter_data_ref();
            pointers.insert(data.name.clone(), p_ptr.clone());
            let location = match param {
                Parameter::Path { .. } => ParamLocation::Path,
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => ParamLocation::Cookie,
            };
            // A parameter described by `content` (a media type) is sent as
            // the JSON text of its value; one without a schema is any JSON.
            let (schema, schema_ptr, json) = match &data.format {
                ParameterSchemaOrContent::Schema(s) => (Some(s), format!("{p_ptr}/schema"), false),
                ParameterSchemaOrContent::Content(content) => {
                    let chosen = content
                        .iter()
                        .find(|(m, _)| is_json(m))
                        .or_else(|| content.first());
                    let media = chosen.map(|(m, _)| escape_pointer(m)).unwrap_or_default();
                    (
                        chosen.and_then(|(_, m)| m.schema.as_ref()),
                        format!("{p_ptr}/content/{media}/schema"),
                        true,
                    )
                }
            };
            let place = operation.property(&data.name);
            let converted = match schema {
                Some(schema) => self.convert(schema.into(), &schema_ptr, &place),
                None => super::schema::Converted {
                    ty: TypeRef::Json,
                    nullable: false,
                },
            };
            if location == ParamLocation::Header && data.name.eq_ignore_ascii_case(VERSION_HEADER) {
                if let (TypeRef::Named(ty), Some(schema), false) = (&converted.ty, schema, json) {
                    if version_header.is_none() {
                        *version_header = Some(VersionHeader {
                            header: data.name.clone(),
                            ty: *ty,
                            default: self.version_default(*ty, schema),
                        });
                    }
                    continue;
                }
            }
            if location == ParamLocation::Path && !path.contains(&format!("{{{}}}", data.name)) {
                self.warn(
                    &p_ptr,
                    format!(
                        "path parameter `{}` does not appear in the path `{path}`; ignored",
                        data.name
                    ),
                );
                continue;
            }
            out.push(Param {
                name: data.name.clone(),
                location,
                required: data.required || location == ParamLocation::Path,
                doc: data.description.clone(),
                ty: converted.ty,
                example: data.example.clone().or_else(|| match schema {
                    Some(ReferenceOr::Item(s)) => s.schema_data.example.clone(),
                    _ => None,
                }),
                json,
            });
        }
        // Every `{name}` in the path template needs a path parameter.
        let mut rest = path;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else {
                self.error(ptr, format!("unbalanced `{{` in path template `{path}`"));
                break;
            };
            let name = &rest[start + 1..start + len];
            if !out
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.name == name)
            {
                match out.iter_mut().find(|p| p.name == name) {
                    // Documented fallback: a same-named parameter declared elsewhere fills the path.
                    Some(p) => {
                        self.warnings.push(crate::error::Diagnostic::at_pointer(
                            self.file,
                            ptr,
                            format!("path template `{path}` uses `{{{name}}}`, declared `in: {}`; treated as a path parameter", p.location.as_str()),
                        ));
                        p.location = ParamLocation::Path;
                        p.required = true;
                        if let Some(at) = pointers.get(&p.name) {
                            let change = crate::ir::Change::InPath;
                            self.loosenings.push(crate::ir::Loosening { pointer: at.clone(), change });
                        }
                    }
                    None => self.error(
                        ptr,
                        format!("path template `{path}` uses `{{{name}}}` but the operation defines no parameter `{name}`"),
                    ),
                }
            }
            rest = &rest[start + len + 1..];
        }
        out
    }

    /// The version sent by default: the spec's own version if the enum lists it.
    fn version_default(
        &self,
        ty: crate::ir::TypeId,
        schema: &ReferenceOr<openapiv3::Schema>,
    ) -> Option<String> {
        let crate::ir::TypeKind::Enum { variants } = &self.types[ty.0].kind else {
            return None;
        };
        let own = &self.doc.info.version;
        if variants.iter().any(|v| &v.value == own) {
            return Some(own.clone());
        }
        let from_schema = |s: &openapiv3::Schema| {
            s.schema_data
                .default
                .as_ref()
                .and_then(|d| d.as_str().map(str::to_string))
        };
        match schema {
            ReferenceOr::Item(s) => from_schema(s),
            ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/schemas/")
                .and_then(|n| self.doc.components.as_ref()?.schemas.get(n))
                .and_then(|s| s.as_item())
                .and_then(from_schema),
        }
    }

    fn body(
        &mut self,
        body: &ReferenceOr<RequestBody>,
        ptr: &str,
        operation: &Place,
    ) -> Option<Body> {
        let doc = self.doc;
        let lookup = |n: &str| {
            doc.components
                .as_ref()
                .and_then(|c| c.request_bodies.get(n))
        };
        let (body, via) = match resolve(body, "requestBodies", lookup) {
            Ok(b) => b,
            Err(e) => {
                self.error(ptr, e);
                return None;
            }
        };
        let ptr = via.unwrap_or_else(|| ptr.to_string());
        // JSON first, then forms, then the first media type given.
        let kind_of = |m: &str| {
            let m = m
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if is_json(&m) {
                BodyKind::Json
            } else if m == "multipart/form-data" {
                BodyKind::Multipart
            } else if m == "application/x-www-form-urlencoded" {
                BodyKind::Form
            } else if m.starts_with("text/") {
                BodyKind::Text
            } else {
                BodyKind::Binary
            }
        };
        let rank = |m: &str| match kind_of(m) {
            BodyKind::Json => 0,
            BodyKind::Multipart => 1,
            BodyKind::Form => 2,
            BodyKind::Text | BodyKind::Binary => 3,
        };
        let Some((media, content)) = body.content.iter().min_by_key(|(m, _)| rank(m)) else {
            self.warn(&ptr, "request body has no content; ignored".into());
            return None;
        };
        let kind = kind_of(media);
        let ty = match (&content.schema, kind) {
            (_, BodyKind::Text) => TypeRef::String,
            (_, BodyKind::Binary) => TypeRef::Binary,
            (Some(s), _) => {
                let schema_ptr = format!("{ptr}/content/{}/schema", escape_pointer(media));
                let place = Place::RequestBody(Box::new(operation.clone()));
                self.convert(s.into(), &schema_ptr, &place).ty
            }
            (None, _) => TypeRef::Json,
        };
        Some(Body {
            content_type: media.clone(),
            kind,
            ty,
            required: body.required,
            doc: body.description.clone(),
            examples: media_examples(content),
        })
    }

    fn responses(
        &mut self,
        responses: &openapiv3::Responses,
        ptr: &str,
        operation: &Place,
    ) -> Vec<Response> {
        let doc = self.doc;
        let lookup = |n: &str| doc.components.as_ref().and_then(|c| c.responses.get(n));
        let mut entries: Vec<(Status, &ReferenceOr<openapiv3::Response>, String)> = responses
            .responses
            .iter()
            .map(|(code, r)| {
                let status = match code {
                    StatusCode::Code(c) => Status::Code(*c),
                    StatusCode::Range(r) => Status::Range(*r as u8),
                };
                (status, r, format!("{ptr}/{code}"))
            })
            .collect();
        if let Some(d) = &responses.default {
            entries.push((Status::Default, d, format!("{ptr}/default")));
        }
        entries.sort_by_key(|(s, _, _)| *s);
        let successes = entries.iter().filter(|(s, _, _)| s.is_success()).count();
        let mut out = Vec::new();
        for (status, r, r_ptr) in entries {
            let (resp, via) = match resolve(r, "responses", lookup) {
                Ok(x) => x,
                Err(e) => {
                    self.error(&r_ptr, e);
                    continue;
                }
            };
            let r_ptr = via.unwrap_or(r_ptr);
            // Related operations' responses of one structure are one type
            // (`ShowContact`, `UpdateContact`, … return `ContactResponse`):
            // the response is a property of its operation, for the rule
            // that shares the same property of related owners.
            let place = Place::Response {
                operation: Box::new(operation.clone()),
                status: (!status.is_success() || successes != 1).then_some(status),
            };
            let chosen = resp
                .content
                .iter()
                .find(|(m, _)| is_json(m))
                .or_else(|| resp.content.first());
            let (content, examples) = match chosen {
                None => (ResponseContent::Empty, Vec::new()),
                Some((media, mt)) => {
                    let media_ptr = format!("{r_ptr}/content/{}", escape_pointer(media));
                    let examples = media_examples(mt);
                    let content = if is_json(media) {
                        match &mt.schema {
                            Some(s) => ResponseContent::Json(
                                self.convert(s.into(), &format!("{media_ptr}/schema"), &place)
                                    .ty,
                            ),
                            // Documented fallback: examples but no schema read as any JSON value.
                            None => ResponseContent::Json(TypeRef::Json),
                        }
                    } else if media.starts_with("text/") {
                        ResponseContent::Text
                    } else {
                        ResponseContent::Bytes
                    };
                    (content, examples)
                }
            };
            out.push(Response {
                status,
                doc: Some(resp.description.clone()).filter(|d| !d.is_empty()),
                content,
                examples,
                media_type: chosen.map(|(m, _)| m.clone()),
            });
        }
        out
    }
}
