//! `src/<area>.rs`: one module per API area (a tag of the spec), with the
//! area's handle (`client.conversations()`), a request builder per
//! operation (setters, `send`, and for paginated operations the streams of
//! `pagination`), and the success enums by status, as the surface decided
//! them.

use super::docs::doc_attrs;
use super::pagination;
use super::types::{content_type, ident, label, returns_type, Types};
use crate::ir::{BodyKind, Operation, ParamLocation, ResponseContent, Status, TypeRef};
use crate::surface::{Area, OpSurface, PathPart, Returns};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The module of `area`.
pub fn area_module(types: &Types, area: &Area) -> TokenStream {
    let api = types.api;
    let surface = types.surface;
    let mut methods = Vec::new();
    let mut items = Vec::new();
    for &i in &area.ops {
        let (op, s) = (&api.operations[i], &surface.operations[i]);
        methods.push(start_method(types, op, s));
        items.push(builder(types, op, s));
        items.extend(super::search::module(area, op, s));
        items.extend(status_enum(types, op, &s.success));
    }
    let name = area.tag.as_deref().unwrap_or("Other operations");
    let mut module_doc = format!("{name}: the operations of this area of the API.\n\n");
    if let Some(doc) = &area.doc {
        module_doc.push_str(doc.trim());
        module_doc.push_str("\n\n");
    }
    let (handle, accessor) = (ident(&area.handle), ident(&area.accessor));
    let feature = &area.module;
    let mut module_doc = super::docs::sanitize(&module_doc);
    // Our own sentence, with links: not the spec's prose, so not sanitized.
    module_doc.push_str(&format!(
        "\n\nStart a call with [`Client::{accessor}`], which returns [`{handle}`]: each of its methods returns a request builder; set what the call needs and `send()` it. Compiled with the `{feature}` feature (on by default)."
    ));
    let module_doc = super::docs::own_doc(&module_doc, true);
    let handle_doc =
        format!(" The operations of the {name} area, as [`Client::{accessor}`] returns them.");
    let accessor_doc = format!(" The operations of the {name} area (the `{feature}` module).");
    let paged = area
        .ops
        .iter()
        .any(|&i| surface.operations[i].paging.is_some());
    let stream = paged.then(|| {
        quote!(
            use futures_util::stream::BoxStream;
        )
    });
    let page = paged.then(|| quote!(Page,));
    let models = area
        .ops
        .iter()
        .any(|&i| mentions_models(&api.operations[i]))
        .then(|| quote!(models,));
    // `runtime::` helpers: to encode a path, check what is required, write a body, page.
    let helpers = area.ops.iter().any(|&i| {
        let (op, s) = (&api.operations[i], &surface.operations[i]);
        op.body.is_some() || s.paging.is_some() || op.params.iter().any(|p| p.required || p.json)
    });
    let runtime_import = if helpers {
        quote!(
            use crate::runtime::{self, Request};
        )
    } else {
        quote!(
            use crate::runtime::Request;
        )
    };
    let path_value = area
        .ops
        .iter()
        .any(|&i| surface.operations[i].args.iter().any(|a| a.path_value))
        .then(|| quote!(PathValue,));
    quote! {
        #module_doc

        #runtime_import
        use crate::{#models Client, Error, #page #path_value RequestOptions};
        #stream
        use reqwest::Method;

        #[doc = #handle_doc]
        #[derive(Debug, Clone, Copy)]
        pub struct #handle<'a> {
            client: &'a Client,
        }

        impl Client {
            #[doc = #accessor_doc]
            pub fn #accessor(&self) -> #handle<'_> {
                #handle { client: self }
            }
        }

        impl #handle<'_> {
            #(#methods)*
        }

        #(#items)*
    }
}

/// Whether the code of an operation names a type of `models`: its
/// parameters, its body or its success types (error bodies are in
/// [`Error`], not in a signature).
fn mentions_models(op: &Operation) -> bool {
    let params = op.params.iter().map(|p| &p.ty);
    let body = op.body.iter().map(|b| &b.ty);
    let success = op.success_responses().filter_map(|r| match &r.content {
        ResponseContent::Json(t) => Some(t),
        _ => None,
    });
    // A file's bytes are `models::FilePart` too.
    params
        .chain(body)
        .chain(success)
        .any(|t| t.holds(&|t| matches!(t, TypeRef::Named(_) | TypeRef::Binary)))
}

fn read_expr(content: &ResponseContent) -> TokenStream {
    match content {
        ResponseContent::Empty => quote!(response.empty()),
        ResponseContent::Json(_) => quote!(response.json()),
        ResponseContent::Text => quote!(response.text()),
        ResponseContent::Bytes => quote!(response.bytes()),
    }
}

fn status_pattern(status: Status) -> TokenStream {
    match status {
        Status::Code(c) => {
            let c = Literal::u16_unsuffixed(c);
            quote!(#c)
        }
        Status::Range(_) => {
            let lo = status.code();
            let (lo, hi) = (
                Literal::u16_unsuffixed(lo),
                Literal::u16_unsuffixed(lo + 99),
            );
            quote!(#lo..=#hi)
        }
        Status::Default => quote!(_),
    }
}

/// The enum by status of a success, when there is one.
fn status_enum(types: &Types, op: &Operation, returns: &Returns) -> Option<TokenStream> {
    let Returns::ByStatus { name, variants } = returns else {
        return None;
    };
    let name = ident(name);
    let doc = format!(" What {} returns, by status.", label(op));
    let variants = variants.iter().map(|v| {
        let id = ident(&v.name);
        let t = content_type(types, &v.content);
        let doc = format!(" Status {}.", v.status);
        quote!(#[doc = #doc] #id(#t),)
    });
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name { #(#variants)* }
    })
}

/// The method of the area's handle that starts a request: the path
/// parameters are its arguments.
fn start_method(types: &Types, op: &Operation, s: &OpSurface) -> TokenStream {
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut path_docs = String::new();
    for (p, arg) in s.path_params(op) {
        let id = ident(&arg.name);
        let (input, convert) = if arg.path_value {
            (quote!(impl PathValue), quote!(#id.to_path_value()))
        } else {
            types.input(&p.ty, &id)
        };
        args.push(quote!(#id: #input));
        inits.push(quote!(#id: #convert,));
        // A doc that only repeats the name says nothing; a doc without a
        // full stop would run into the sentence after it.
        let bare = |d: &str| {
            let words = |t: &str| crate::idents::lower_words(&crate::idents::snake_ident(t));
            words(d) == words(&p.name)
        };
        let about = p
            .doc
            .as_deref()
            .map(|d| {
                super::docs::sanitize(d)
                    .replace('\n', " ")
                    .trim()
                    .to_string()
            })
            .filter(|d| !d.is_empty() && !bare(d))
            .map(|d| {
                if d.ends_with(['.', '!', '?', ':']) {
                    d
                } else {
                    format!("{d}.")
                }
            })
            .unwrap_or_else(|| format!("The `{}` path parameter.", p.name));
        let declared = match p.ty {
            _ if p.json => " Described by a media type: sent as its JSON text, percent-encoded.",
            TypeRef::Integer => " Declared as an integer; any [`PathValue`] (a string or an integer) is taken.",
            TypeRef::UnixTime => " Declared as a Unix timestamp; any [`PathValue`] (a string or an integer) is taken.",
            TypeRef::String => " Declared as a string; any [`PathValue`] (a string or an integer) is taken.",
            _ => "",
        };
        path_docs.push_str(&format!("- `{}`: {about}{declared}\n", arg.name));
    }
    for (_, arg) in s.setters(op) {
        let id = ident(&arg.name);
        inits.push(quote!(#id: None,));
    }
    if let Some(body) = &s.body {
        let id = ident(body);
        inits.push(quote!(#id: None,));
    }
    if let Some(m) = &s.search {
        let id = ident(&m.setter);
        inits.push(quote!(#id: None,));
    }
    for added in s.paging.iter().flat_map(|p| &p.added) {
        let id = ident(&added.name);
        inits.push(quote!(#id: None,));
    }
    let mut doc_text = String::new();
    for part in [&op.summary, &op.doc].into_iter().flatten() {
        doc_text.push_str(part.trim());
        doc_text.push_str("\n\n");
    }
    let mut doc = doc_attrs(Some(&doc_text));
    if !path_docs.is_empty() {
        // Our own sentences, with links: not the spec's prose, so not sanitized.
        let blank = if doc.is_empty() { "" } else { "\n" };
        let lines = format!("{blank}Path parameters:\n{path_docs}");
        doc.extend(super::docs::own_doc(&lines, false));
    }
    if let Some(m) = &s.search {
        // Our own sentence, with a link.
        let blank = (!doc.is_empty()).then(|| quote!(#[doc = ""]));
        let line = format!(
            " Its query can be typed: see the [`{0}`](mod@{0}) module, and the builder's `{1}`.",
            m.module, m.setter
        );
        doc.extend(quote!(#blank #[doc = #line]));
    }
    let separator = (!doc.is_empty()).then(|| quote!(#[doc = ""]));
    let origin = if op.id_derived {
        format!(" {}", label(op))
    } else {
        format!(" {} (`{}`)", label(op), op.id)
    };
    let deprecated = op
        .deprecated
        .then(|| quote!(#[deprecated(note = "deprecated by the API")]));
    let method = ident(&s.method);
    let builder = ident(&s.builder);
    quote! {
        #doc
        #separator
        #[doc = #origin]
        #deprecated
        pub fn #method(&self, #(#args),*) -> #builder {
            #builder {
                client: self.client.clone(),
                #(#inits)*
            }
        }
    }
}

/// The request builder of an operation: its fields, setters and `send`.
fn builder(types: &Types, op: &Operation, s: &OpSurface) -> TokenStream {
    let surface = types.surface;
    let area = &surface.areas[s.area];
    let name = ident(&s.builder);
    let start = format!("{}::{}", area.handle, s.method);
    let doc = format!(
        " A request to {}: see [`{start}`]. Set what it needs, then [`send`](Self::send) it.",
        label(op)
    );

    let mut fields = Vec::new();
    let mut setters = Vec::new();
    for (p, arg) in s.path_params(op) {
        let id = ident(&arg.name);
        let t = if arg.path_value {
            quote!(String)
        } else {
            types.tokens(&p.ty)
        };
        fields.push(quote!(#id: #t,));
    }
    for (p, arg) in s.setters(op) {
        let id = ident(&arg.name);
        let t = types.tokens(&p.ty);
        fields.push(quote!(#id: Option<#t>,));
        let (input, convert) = types.input(&p.ty, &id);
        let mut text = p.doc.clone().unwrap_or_default();
        let where_ = match p.location {
            ParamLocation::Query => "query parameter",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie (sent in the `Cookie` header)",
            ParamLocation::Path => "path parameter",
        };
        let required = if p.required { "; required" } else { "" };
        let json = if p.json {
            ", sent as its JSON text (described by a media type)"
        } else {
            ""
        };
        text.push_str(&format!("\n\nThe `{}` {where_}{required}{json}.", p.name));
        let doc = doc_attrs(Some(text.trim_start()));
        setters.push(quote! {
            #doc
            pub fn #id(mut self, #id: #input) -> Self {
                self.#id = Some(#convert);
                self
            }
        });
    }
    if let (Some(b), Some(body)) = (&op.body, &s.body) {
        let id = ident(body);
        let t = types.tokens(&b.ty);
        fields.push(quote!(#id: Option<#t>,));
        let mut text = b.doc.clone().unwrap_or_default();
        text.push_str(&format!(
            "\n\nThe request body (`{}`){}.",
            b.content_type,
            if b.required { "; required" } else { "" }
        ));
        if let TypeRef::Named(id) = &b.ty {
            if let Some(base) = types.surface.types[id.0].extends {
                let (name, base) = (types.surface.type_name(*id), types.surface.type_name(base));
                text.push_str(&format!(
                    " A `models::{base}` converts into it: this body is a `{base}` with more fields, which stay unset (set them on a `models::{name}`)."
                ));
            }
        }
        let doc = doc_attrs(Some(text.trim_start()));
        setters.push(quote! {
            #doc
            pub fn #id(mut self, #id: impl Into<#t>) -> Self {
                self.#id = Some(#id.into());
                self
            }
        });
    }

    fields.extend(super::search::builder_field(s));
    setters.extend(super::search::setter(s));

    // What Intercom's conventions add to a list (its page size, its
    // continuations), where the description does not declare it.
    for added in s.paging.iter().flat_map(|p| &p.added) {
        let id = ident(&added.name);
        let t = if added.integer {
            quote!(i64)
        } else {
            quote!(String)
        };
        fields.push(quote!(#id: Option<#t>,));
        let text = format!(
            "The {} of this list, sent as {}. Not declared by the API description: added as Intercom documents it (`generator/conventions/pagination.yaml`).",
            added.what, added.send
        );
        let doc = doc_attrs(Some(&text));
        setters.push(quote! {
            #doc
            pub fn #id(mut self, #id: impl Into<#t>) -> Self {
                self.#id = Some(#id.into());
                self
            }
        });
    }

    let send = send_method(types, op, s);
    let paging = pagination::methods(types, op, s);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #name {
            client: Client,
            #(#fields)*
        }

        impl #name {
            #(#setters)*

            /// Options for this request only (API version, retries, timeout), over the client's.
            pub fn options(mut self, options: RequestOptions) -> Self {
                self.client = self.client.with_options(options);
                self
            }

            #send

            #paging
        }
    }
}

/// The statements that put `body` (the body's value) in the request, as its media type says.
fn encode_body(types: &Types, b: &crate::ir::Body, body: &proc_macro2::Ident) -> TokenStream {
    let ct = &b.content_type;
    match b.kind {
        BodyKind::Json => quote!(request.body(#ct, runtime::body_json(&#body)?);),
        BodyKind::Form => quote!(request.body(#ct, runtime::body_form(&#body)?);),
        BodyKind::Text => quote!(request.body(#ct, #body.into_bytes());),
        BodyKind::Binary => quote! {
            let media_type = #body.content_type.clone().unwrap_or_else(|| #ct.to_string());
            request.body(media_type, #body.bytes);
        },
        BodyKind::Multipart => {
            let parts = match &b.ty {
                TypeRef::Named(id) => match &types.api.ty(*id).kind {
                    crate::ir::TypeKind::Struct { fields } => {
                        let mut parts: Vec<TokenStream> = fields
                            .iter()
                            .enumerate()
                            .map(|(i, f)| {
                                let (name, id) =
                                    (&f.json_name, ident(types.surface.member(*id, i)));
                                let (is_file, is_files) = match &f.ty {
                                    TypeRef::Binary => (true, false),
                                    TypeRef::Array(item) => (false, **item == TypeRef::Binary),
                                    _ => (false, false),
                                };
                                match (is_file, is_files, f.optional()) {
                                    (true, _, false) => quote!(form.file(#name, &#body.#id)?;),
                                    (true, _, true) => quote! {
                                        if let Some(file) = &#body.#id {
                                            form.file(#name, file)?;
                                        }
                                    },
                                    (_, true, false) => quote! {
                                        for file in &#body.#id {
                                            form.file(#name, file)?;
                                        }
                                    },
                                    (_, true, true) => quote! {
                                        for file in #body.#id.iter().flatten() {
                                            form.file(#name, file)?;
                                        }
                                    },
                                    _ => quote!(form.text(#name, &#body.#id)?;),
                                }
                            })
                            .collect();
                        parts.push(quote! {
                            for (name, value) in &#body.additional_properties {
                                form.text(name, value)?;
                            }
                        });
                        parts
                    }
                    _ => vec![quote!(form.properties(&#body)?;)],
                },
                _ => vec![quote!(form.properties(&#body)?;)],
            };
            quote! {
                let mut form = runtime::Multipart::new();
                #(#parts)*
                let (content_type, bytes) = form.finish();
                request.body(content_type, bytes);
            }
        }
    }
}

/// `send`: build the request from the fields, execute it, read the response.
fn send_method(types: &Types, op: &Operation, s: &OpSurface) -> TokenStream {
    let ok_ty = returns_type(types, &s.success);
    let ok_arms: Vec<TokenStream> = match &s.success {
        Returns::One(content) => {
            let read = read_expr(content);
            // A documented redirect is the success when the client does not follow it.
            let redirects = op.success_responses().all(|r| r.status.is_redirect())
                && op.success_responses().next().is_some();
            let range = if redirects {
                quote!(200..=399)
            } else {
                quote!(200..=299)
            };
            vec![quote!(#range => #read,)]
        }
        Returns::ByStatus { name, variants } => {
            let name = ident(name);
            // Success statuses are codes and ranges, never `default`.
            variants
                .iter()
                .map(|v| {
                    let pat = status_pattern(v.status);
                    let id = ident(&v.name);
                    let read = read_expr(&v.content);
                    quote!(#pat => #read.map(#name::#id),)
                })
                .collect()
        }
    };

    // The path: each argument percent-encoded into a local of its own name,
    // then one `format!` whose string names them.
    let mut encode = Vec::new();
    let mut template = String::new();
    for part in &s.path {
        match part {
            PathPart::Text(t) => template.push_str(&t.replace('{', "{{").replace('}', "}}")),
            PathPart::Arg(i) => {
                let arg = &s.args[*i];
                let id = ident(&arg.name);
                let p = &op.params[arg.param];
                let name = &p.name;
                let value = if p.json {
                    quote!(&runtime::Json(&self.#id))
                } else {
                    quote!(&self.#id)
                };
                encode.push(quote!(let #id = runtime::path_segment(#name, #value)?;));
                template.push('{');
                template.push_str(&arg.name);
                template.push('}');
            }
        }
    }
    let path_ref = if encode.is_empty() {
        let path = &op.path;
        quote!(#path)
    } else {
        encode.push(quote!(let path = format!(#template);));
        quote!(path)
    };

    let op_name = &op.id;
    let mut setters = Vec::new();
    if let Some(m) = op.accept() {
        setters.push(quote!(request.accept(#m);));
    }
    for (p, arg) in s.setters(op) {
        let (name, id) = (&p.name, ident(&arg.name));
        // Optional values are taken by reference (`if let Some(x) = &self.x`);
        // a parameter described by `content` is sent as its JSON text.
        let value = match (p.required, p.json) {
            (true, false) => quote!(&#id),
            (false, false) => quote!(#id),
            (true, true) => quote!(&runtime::Json(&#id)),
            (false, true) => quote!(&runtime::Json(#id)),
        };
        let add = match p.location {
            ParamLocation::Query => quote!(request.query(#name, #value)?;),
            ParamLocation::Header => quote!(request.header(#name, #value)?;),
            ParamLocation::Cookie => quote!(request.cookie(#name, #value)?;),
            ParamLocation::Path => continue,
        };
        if p.required {
            let what = format!("parameter `{name}`");
            setters.push(quote! {
                let #id = runtime::required(self.#id, #op_name, #what)?;
                #add
            });
        } else {
            setters.push(quote!(if let Some(#id) = &self.#id { #add }));
        }
    }
    if let (Some(b), Some(body)) = (&op.body, &s.body) {
        let body = ident(body);
        let mut set = encode_body(types, b, &body);
        // A body that requires one of several sets of properties is refused
        // before sending when none is set.
        if let TypeRef::Named(id) = &b.ty {
            let sets = &types.surface.types[id.0].required_sets;
            if !sets.is_empty() {
                let said: Vec<String> = sets
                    .iter()
                    .map(|(_, set)| super::constructors::set_said(types, *id, set))
                    .collect();
                let message = format!(
                    "{op_name}: the body needs one of: {} (the description requires one of these sets)",
                    said.join("; ")
                );
                set = quote! {
                    if !#body.has_required_set() {
                        return Err(Error::InvalidRequest(#message.to_string()));
                    }
                    #set
                };
            }
        }
        let set = if b.required {
            quote! {
                let #body = runtime::required(self.#body, #op_name, "the body")?;
                #set
            }
        } else {
            quote!(if let Some(#body) = self.#body { #set })
        };
        setters.push(super::search::send_body(op, s, set));
    }
    for added in s.paging.iter().flat_map(|p| &p.added) {
        let id = ident(&added.name);
        setters.push(match &added.send {
            crate::surface::Place::Query(name) => {
                quote!(if let Some(#id) = &self.#id { request.query(#name, #id)?; })
            }
            crate::surface::Place::Body(path) => quote! {
                if let Some(#id) = self.#id {
                    request
                        .set_body_value(&[#(#path),*], #id.into())
                        .map_err(Error::InvalidRequest)?;
                }
            },
        });
    }
    let mutability = (!setters.is_empty()).then(|| quote!(mut));
    let path_template = &op.path;
    let http_method = ident(op.method.as_str());
    quote! {
        /// Send the request, and read the response.
        pub async fn send(self) -> Result<#ok_ty, Error> {
            #(#encode)*
            let #mutability request = Request::new(Method::#http_method, #path_template, #path_ref);
            #(#setters)*
            let response = self.client.execute(request).await?;
            match response.status {
                #(#ok_arms)*
                _ => Err(response.api_error()),
            }
        }
    }
}
