//! A query search's module in its area's module (`contacts::search`), as
//! the surface named it: the kinds of field (the runtime's `search_field!`),
//! the enums of listed values (`search_values!`), a function per field of
//! the description's table, and `field(name)`. Also what the search's
//! builder adds: its `query` setter and how `send` writes the query.

use super::docs::own_doc;
use super::types::ident;
use crate::ir::{Operation, Search, SearchField, SearchOp, SearchValue};
use crate::surface::search::KindValue;
use crate::surface::{Area, OpSurface};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The method a kind has for `op`.
pub fn method(op: SearchOp) -> &'static str {
    match op {
        SearchOp::Eq => "eq",
        SearchOp::Ne => "ne",
        SearchOp::In => "in_",
        SearchOp::Nin => "nin",
        SearchOp::Gt => "gt",
        SearchOp::Lt => "lt",
        SearchOp::Ge => "ge",
        SearchOp::Le => "le",
        SearchOp::Contains => "contains",
        SearchOp::NotContains => "not_contains",
        SearchOp::StartsWith => "starts_with",
        SearchOp::EndsWith => "ends_with",
    }
}

/// `eq` (`=`), `gt` (`>`), …
fn operators_said(ops: &[SearchOp]) -> String {
    ops.iter()
        .map(|op| format!("`{}` (`{}`)", method(*op), op.symbol()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How Intercom matches a date, as its search documentation says.
const DATE_RULE: &str = "A date is Unix seconds, matched by calendar day in the workspace's time zone: `eq` matches the whole day, `gt` from the start of the next day, `lt` before the start of that day.";

/// The module of `op`'s search.
pub fn module(area: &Area, op: &Operation, s: &OpSurface) -> Option<TokenStream> {
    let (search, m) = (op.search.as_ref()?, s.search.as_ref()?);
    let name = ident(&m.module);
    let values = m.values.iter().map(|v| {
        let enum_name = ident(&v.name);
        let variants = v.variants.iter().map(|(variant, wire)| {
            let variant = ident(variant);
            quote!(#variant = #wire)
        });
        quote! {
            crate::runtime::search_values!(#enum_name { #(#variants),* });
        }
    });
    let kinds = m.kinds.iter().map(|k| {
        let kind = ident(&k.name);
        let value = match k.value {
            KindValue::Text => quote!(text),
            KindValue::Integer => quote!(integer),
            KindValue::Number => quote!(number),
            KindValue::Date => quote!(date),
            KindValue::Boolean => quote!(boolean),
            KindValue::Any => quote!(any),
            KindValue::Values(i) => {
                let values = ident(&m.values[i].name);
                quote!(values(#values))
            }
        };
        let ops = k.operators.iter().map(|op| ident(method(*op)));
        quote! {
            crate::runtime::search_field!(#kind: #value { #(#ops)* });
        }
    });
    let functions = search.fields.iter().zip(&m.functions).map(|(field, f)| {
        let function = ident(&f.name);
        let kind = ident(&m.kinds[f.kind].name);
        let doc = own_doc(&field_doc(field), false);
        match (&field.template, &f.argument) {
            (Some((prefix, _)), Some(argument)) => {
                let argument = ident(argument);
                quote! {
                    #doc
                    pub fn #function(#argument: &str) -> #kind {
                        #kind::named([#prefix, #argument].concat())
                    }
                }
            }
            _ => {
                let wire = &field.name;
                quote! {
                    #doc
                    pub fn #function() -> #kind {
                        #kind::named(#wire)
                    }
                }
            }
        }
    });
    let any = ident(&m.kinds[m.any].name);
    let start = format!("{}::{}", area.handle, s.method);
    let setter = &m.setter;
    let module_doc = format!(
        "Typed queries for [`{start}`](super::{start}), as its description's tables give them: a function per field, whose methods are the operators the field accepts, each taking a value of the field's type; [`field`] reaches any other field, with every operator.\n\nJoin queries with [`Query::and`] and [`Query::or`] (chaining one operator makes one group), or any number with [`and`] and [`or`], and give the query to the builder's `{setter}`. Intercom accepts a group inside a group, no deeper ({} levels), and at most {} filters in one group: a query beyond either is refused with `Error::InvalidRequest` when sent, before anything goes out.",
        search.max_depth, search.max_group
    );
    let module_doc = own_doc(&module_doc, true);
    Some(quote! {
        pub mod #name {
            #module_doc

            pub use crate::runtime::{and, or, Query};

            #(#values)*

            #(#kinds)*

            #(#functions)*

            /// Any field, by its name as a query writes it (`custom_attributes.plan`), with every operator and any JSON value: for a field the description's table does not list.
            pub fn field(name: impl Into<String>) -> #any {
                #any::named(name)
            }
        }
    })
}

/// A field function's docs: the field, its type (as the table says it),
/// its operators.
fn field_doc(field: &SearchField) -> String {
    let what = match &field.value {
        SearchValue::Text => "text",
        SearchValue::Integer => "an integer",
        SearchValue::Number => "a number",
        SearchValue::Date => "a date",
        SearchValue::Boolean => "a boolean",
        SearchValue::Any => "any JSON value",
        SearchValue::Listed(_) => "text",
    };
    let said = if field.said.is_empty() {
        what.to_string()
    } else {
        format!("{what} (\"{}\" in the table)", field.said)
    };
    let listed = match &field.value {
        SearchValue::Listed(values) => format!(
            ", one of {}",
            values
                .iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => String::new(),
    };
    let name = match &field.template {
        Some((prefix, placeholder)) => format!(
            "`{prefix}{{{placeholder}}}`, `{}` given",
            crate::idents::snake_ident(placeholder)
        ),
        None => format!("`{}`", field.name),
    };
    let operators = if field.operators.is_empty() {
        "none".to_string()
    } else {
        operators_said(&field.operators)
    };
    let mut doc = format!("Searches by {name}: {said}{listed}. Operators: {operators}.");
    if field.value == SearchValue::Date {
        doc.push_str("\n\n");
        doc.push_str(DATE_RULE);
    }
    doc
}

/// The builder's field that holds a query.
pub fn builder_field(s: &OpSurface) -> Option<TokenStream> {
    let m = s.search.as_ref()?;
    let setter = ident(&m.setter);
    Some(quote!(#setter: Option<runtime::Query>,))
}

/// The builder's setter of the query.
pub fn setter(s: &OpSurface) -> Option<TokenStream> {
    let m = s.search.as_ref()?;
    let setter = ident(&m.setter);
    let module = &m.module;
    let doc = own_doc(&format!(
        "The search query, made with the [`{module}`](mod@{module}) module: sent as the body's query, over any the [`body`](Self::body) has (its other properties, the page size among them, are sent as they are). It is checked against Intercom's limits first."
    ), false);
    Some(quote! {
        #doc
        pub fn #setter(mut self, #setter: runtime::Query) -> Self {
            self.#setter = Some(#setter);
            self
        }
    })
}

/// `send`'s statements that write a query search's body from its query;
/// `otherwise` writes the body as any operation does.
pub fn send_body(op: &Operation, s: &OpSurface, otherwise: TokenStream) -> TokenStream {
    let (Some(search), Some(m)) = (&op.search, &s.search) else {
        return otherwise;
    };
    let Search {
        property,
        max_depth,
        max_group,
        ..
    } = search;
    let setter = ident(&m.setter);
    let body = ident(s.body.as_deref().unwrap_or("body"));
    let ct = op
        .body
        .as_ref()
        .map(|b| b.content_type.clone())
        .unwrap_or_else(|| "application/json".into());
    let (depth, group) = (
        Literal::usize_unsuffixed(*max_depth),
        Literal::usize_unsuffixed(*max_group),
    );
    quote! {
        if let Some(#setter) = &self.#setter {
            let limits = runtime::SearchLimits { depth: #depth, group: #group };
            request.body(#ct, runtime::search_body(self.#body.as_ref(), #property, #setter, limits)?);
        } else {
            #otherwise
        }
    }
}
