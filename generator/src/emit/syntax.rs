//! Syntax trees built directly, for the bulk of models.rs (struct fields):
//! what emit would otherwise write as tokens only for syn to parse them back.
//! The rest of the crate is written as tokens with `quote!`.

use proc_macro2::Span;
use syn::punctuated::Punctuated;

/// One `#[doc = r"…"]` attribute (printed as `///`). A raw string: prose
/// is full of quotes, and a raw literal is neither escaped nor unescaped.
pub fn doc_line(line: &str) -> syn::Attribute {
    outer(syn::Meta::NameValue(syn::MetaNameValue {
        path: path(&["doc"]),
        eq_token: Default::default(),
        value: syn::Expr::Lit(syn::ExprLit {
            attrs: Vec::new(),
            lit: syn::Lit::new(raw_str(line)),
        }),
    }))
}

/// `#[serde(rename = "json")]`.
pub fn serde_rename(json: &str) -> syn::Attribute {
    let lit = syn::LitStr::new(json, Span::call_site());
    outer(syn::Meta::List(syn::MetaList {
        path: path(&["serde"]),
        delimiter: syn::MacroDelimiter::Paren(Default::default()),
        tokens: quote::quote!(rename = #lit),
    }))
}

fn outer(meta: syn::Meta) -> syn::Attribute {
    syn::Attribute {
        pound_token: Default::default(),
        style: syn::AttrStyle::Outer,
        bracket_token: Default::default(),
        meta,
    }
}

/// A path of plain segments: `serde_json::Value`.
pub fn path(segments: &[&str]) -> syn::Path {
    syn::Path {
        leading_colon: None,
        segments: segments
            .iter()
            .map(|s| syn::PathSegment::from(syn::Ident::new(s, Span::call_site())))
            .collect(),
    }
}

/// A path type whose last segment takes `args`: `Option<String>`.
pub fn generic(segments: &[&str], args: Vec<syn::Type>) -> syn::Type {
    let mut p = path(segments);
    if !args.is_empty() {
        if let Some(last) = p.segments.last_mut() {
            last.arguments =
                syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
                    colon2_token: None,
                    lt_token: Default::default(),
                    args: args
                        .into_iter()
                        .map(syn::GenericArgument::Type)
                        .collect::<Punctuated<_, _>>(),
                    gt_token: Default::default(),
                });
        }
    }
    syn::Type::Path(syn::TypePath {
        qself: None,
        path: p,
    })
}

/// A named field: `#attrs pub name: ty`.
pub fn field(attrs: Vec<syn::Attribute>, name: &str, ty: syn::Type) -> syn::Field {
    syn::Field {
        attrs,
        vis: syn::Visibility::Public(Default::default()),
        mutability: syn::FieldMutability::None,
        ident: Some(syn::Ident::new(name, Span::call_site())),
        colon_token: Some(Default::default()),
        ty,
    }
}

/// `#attrs pub struct name { fields }`.
pub fn item_struct(attrs: Vec<syn::Attribute>, name: &str, fields: Vec<syn::Field>) -> syn::Item {
    syn::Item::Struct(syn::ItemStruct {
        attrs,
        vis: syn::Visibility::Public(Default::default()),
        struct_token: Default::default(),
        ident: syn::Ident::new(name, Span::call_site()),
        generics: Default::default(),
        fields: syn::Fields::Named(syn::FieldsNamed {
            brace_token: Default::default(),
            named: fields.into_iter().collect(),
        }),
        semi_token: None,
    })
}

/// A raw string literal (`r#"…"#`, with as many `#` as the text needs):
/// JSON reads as itself, without escaped quotes.
pub fn raw_str(text: &str) -> proc_macro2::Literal {
    // A carriage return cannot stand alone in a raw string; such text stays escaped.
    if text.contains('\r') {
        return proc_macro2::Literal::string(text);
    }
    let hashes = if text.contains('"') {
        (1..)
            .map(|n| "#".repeat(n))
            .find(|h| !text.contains(&format!("\"{h}")))
            .unwrap_or_default()
    } else {
        String::new()
    };
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| proc_macro2::Literal::string(text))
}
