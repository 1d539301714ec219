//! Syntax trees built directly, for the bulk of models.rs (struct fields,
//! `new` and the setters): what emit would otherwise write as tokens only
//! for syn to parse them back. The rest of the crate is written as tokens
//! with `quote!`.

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

fn ident(name: &str) -> syn::Ident {
    syn::Ident::new(name, Span::call_site())
}

/// `impl Trait<args>`, as an argument's type.
fn impl_trait(bound: syn::Path) -> syn::Type {
    syn::Type::ImplTrait(syn::TypeImplTrait {
        impl_token: Default::default(),
        bounds: std::iter::once(syn::TypeParamBound::Trait(syn::TraitBound {
            paren_token: None,
            modifier: syn::TraitBoundModifier::None,
            lifetimes: None,
            path: bound,
        }))
        .collect(),
    })
}

/// `impl Into<ty>`.
pub fn impl_into(ty: syn::Type) -> syn::Type {
    match generic(&["Into"], vec![ty]) {
        syn::Type::Path(p) => impl_trait(p.path),
        other => other,
    }
}

/// `impl IntoIterator<Item = item>`.
pub fn impl_into_iter(item: syn::Type) -> syn::Type {
    let mut p = path(&["IntoIterator"]);
    if let Some(last) = p.segments.last_mut() {
        last.arguments = syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
            colon2_token: None,
            lt_token: Default::default(),
            args: std::iter::once(syn::GenericArgument::AssocType(syn::AssocType {
                ident: ident("Item"),
                generics: None,
                eq_token: Default::default(),
                ty: item,
            }))
            .collect(),
            gt_token: Default::default(),
        });
    }
    impl_trait(p)
}

/// An expression that names a path: `x`, `None`, `Tag::Admin`.
pub fn expr_path(segments: &[&str]) -> syn::Expr {
    syn::Expr::Path(syn::ExprPath {
        attrs: Vec::new(),
        qself: None,
        path: path(segments),
    })
}

/// `receiver.method(args)`.
pub fn method_call(receiver: syn::Expr, method: &str, args: Vec<syn::Expr>) -> syn::Expr {
    syn::Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Default::default(),
        method: ident(method),
        turbofish: None,
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `function(args)`, the function named by a path.
pub fn call(function: &[&str], args: Vec<syn::Expr>) -> syn::Expr {
    syn::Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(expr_path(function)),
        paren_token: Default::default(),
        args: args.into_iter().collect(),
    })
}

/// `#[allow(lint)]`, with `lint` a path such as `clippy::too_many_arguments`.
pub fn allow(lint: &[&str]) -> syn::Attribute {
    let lint = path(lint);
    outer(syn::Meta::List(syn::MetaList {
        path: path(&["allow"]),
        delimiter: syn::MacroDelimiter::Paren(Default::default()),
        tokens: quote::ToTokens::to_token_stream(&lint),
    }))
}

/// A typed argument: `name: ty`.
pub fn arg(name: &str, ty: syn::Type) -> syn::FnArg {
    syn::FnArg::Typed(syn::PatType {
        attrs: Vec::new(),
        pat: Box::new(syn::Pat::Ident(syn::PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: None,
            ident: ident(name),
            subpat: None,
        })),
        colon_token: Default::default(),
        ty: Box::new(ty),
    })
}

/// `mut self`.
pub fn mut_self() -> syn::FnArg {
    syn::FnArg::Receiver(syn::Receiver {
        attrs: Vec::new(),
        reference: None,
        mutability: Some(Default::default()),
        self_token: Default::default(),
        colon_token: None,
        ty: Box::new(generic(&["Self"], Vec::new())),
    })
}

/// `#attrs pub fn name(inputs) -> Self { stmts }`.
pub fn method(
    attrs: Vec<syn::Attribute>,
    name: &str,
    inputs: Vec<syn::FnArg>,
    stmts: Vec<syn::Stmt>,
) -> syn::ImplItem {
    syn::ImplItem::Fn(syn::ImplItemFn {
        attrs,
        vis: syn::Visibility::Public(Default::default()),
        defaultness: None,
        sig: syn::Signature {
            constness: None,
            asyncness: None,
            unsafety: None,
            abi: None,
            fn_token: Default::default(),
            ident: ident(name),
            generics: Default::default(),
            paren_token: Default::default(),
            inputs: inputs.into_iter().collect(),
            variadic: None,
            output: syn::ReturnType::Type(
                Default::default(),
                Box::new(generic(&["Self"], Vec::new())),
            ),
        },
        block: syn::Block {
            brace_token: Default::default(),
            stmts,
        },
    })
}

/// `self.field = value;`.
pub fn assign_field(field: &str, value: syn::Expr) -> syn::Stmt {
    let place = syn::Expr::Field(syn::ExprField {
        attrs: Vec::new(),
        base: Box::new(expr_path(&["self"])),
        dot_token: Default::default(),
        member: syn::Member::Named(ident(field)),
    });
    syn::Stmt::Expr(
        syn::Expr::Assign(syn::ExprAssign {
            attrs: Vec::new(),
            left: Box::new(place),
            eq_token: Default::default(),
            right: Box::new(value),
        }),
        Some(Default::default()),
    )
}

/// An expression as a block's last statement (its value).
pub fn tail(value: syn::Expr) -> syn::Stmt {
    syn::Stmt::Expr(value, None)
}

/// `Self { name: value, … }`.
pub fn self_literal(fields: Vec<(String, syn::Expr)>) -> syn::Expr {
    syn::Expr::Struct(syn::ExprStruct {
        attrs: Vec::new(),
        qself: None,
        path: path(&["Self"]),
        brace_token: Default::default(),
        fields: fields
            .into_iter()
            .map(|(name, expr)| syn::FieldValue {
                attrs: Vec::new(),
                member: syn::Member::Named(ident(&name)),
                colon_token: Some(Default::default()),
                expr,
            })
            .collect(),
        dot2_token: None,
        rest: None,
    })
}

/// `impl name { items }`.
pub fn item_impl(name: &str, items: Vec<syn::ImplItem>) -> syn::Item {
    syn::Item::Impl(syn::ItemImpl {
        attrs: Vec::new(),
        defaultness: None,
        unsafety: None,
        impl_token: Default::default(),
        generics: Default::default(),
        trait_: None,
        self_ty: Box::new(generic(&[name], Vec::new())),
        brace_token: Default::default(),
        items,
    })
}
