//! How requests build what they send: `new` with the required fields and
//! a setter per optional field for each struct requests send, and `From`
//! each alternative into its union (the surface's `TypeNames` decides the
//! names and arguments: `setters`, `filled`, `derives_default`).

use super::syntax::doc_line;
use super::types::{ident, Types};
use crate::ir::{Field, TypeId, UnionVariant};
use proc_macro2::TokenStream;
use quote::quote;

/// The value of a required field that needs no argument: the only value of
/// its one-value enum `id` (a type tag such as `type: admin`).
fn constant(types: &Types, id: TypeId) -> TokenStream {
    let (ty, variant) = (
        ident(types.surface.type_name(id)),
        ident(types.surface.member(id, 0)),
    );
    quote!(#ty::#variant)
}

/// How an argument takes a value of `ty` (see [`Types::input`]), and
/// how it becomes the field's value, in a `Box` for a boxed field.
fn input(
    types: &Types,
    ty: &crate::ir::TypeRef,
    id: &str,
    boxed: bool,
) -> (TokenStream, TokenStream) {
    let (arg, value) = types.input(ty, &ident(id));
    if boxed {
        (arg, quote!(Box::new(#value)))
    } else {
        (arg, value)
    }
}

/// `fn name(args) -> Self { Self { inits } }`, public, with its attributes.
fn make(
    attrs: &[TokenStream],
    name: &str,
    args: &[(String, TokenStream)],
    inits: &[(String, TokenStream)],
) -> TokenStream {
    let name = ident(name);
    let args = args.iter().map(|(id, ty)| {
        let id = ident(id);
        quote!(#id: #ty)
    });
    let inits = inits.iter().map(|(member, value)| {
        let member = ident(member);
        quote!(#member: #value)
    });
    quote! {
        #(#attrs)*
        pub fn #name(#(#args),*) -> Self {
            Self { #(#inits),* }
        }
    }
}

/// `new` (the required fields that are not constants, as arguments; the
/// rest unset) and a setter per optional field, for a struct.
pub(super) fn constructor(types: &Types, ty: TypeId, fields: &[Field]) -> TokenStream {
    let names = &types.surface.types[ty.0];
    let Some(setters) = names.setters.as_ref() else {
        return TokenStream::new();
    };
    let mut args: Vec<(String, TokenStream)> = Vec::new();
    let mut inits: Vec<(String, TokenStream)> = Vec::new();
    let mut methods: Vec<TokenStream> = Vec::new();
    let each = fields
        .iter()
        .zip(&names.members)
        .zip(setters)
        .zip(&names.filled);
    for (((f, member), setter), filled) in each {
        match setter {
            Some(setter) => {
                inits.push((member.clone(), quote!(None)));
                let (arg, value) = input(types, &f.ty, member, f.boxed);
                let doc = doc_line(&format!(" Sets `{}`.", f.json_name));
                let (setter, field) = (ident(setter), ident(member));
                methods.push(quote! {
                    #doc
                    pub fn #setter(mut self, #field: #arg) -> Self {
                        self.#field = Some(#value);
                        self
                    }
                });
            }
            None => match filled {
                Some(tag) => inits.push((member.clone(), constant(types, *tag))),
                None => {
                    let (arg, value) = input(types, &f.ty, member, f.boxed);
                    args.push((member.clone(), arg));
                    inits.push((member.clone(), value));
                }
            },
        }
    }
    inits.push(("as_arrived".into(), quote!(crate::runtime::Kept::default())));
    inits.push((
        "additional_properties".into(),
        quote!(serde_json::Map::new()),
    ));
    // The description requires that many fields: each is an argument, in
    // the description's order, as for any other struct.
    let many = |args: &[(String, TokenStream)]| {
        (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]))
    };
    let name = ident(&names.name);
    // A struct that requires one of several sets of properties: a
    // constructor per set, which sets it, and the check a request makes.
    if !names.required_sets.is_empty() {
        let mut checks = Vec::new();
        for (at, (set_name, set)) in names.required_sets.iter().enumerate() {
            let mut set_args = args.clone();
            let mut set_inits = inits.clone();
            let mut present = Vec::new();
            for &i in set {
                let (f, member) = (&fields[i], &names.members[i]);
                let (arg, value) = input(types, &f.ty, member, f.boxed);
                set_args.push((member.clone(), arg));
                if let Some(slot) = set_inits.iter_mut().find(|(m, _)| m == member) {
                    slot.1 = quote!(Some(#value));
                }
                let id = ident(member);
                present.push(quote!(self.#id.is_some()));
            }
            checks.push(quote!((#(#present)&&*)));
            let doc = doc_line(&format!(
                " A value with {}: one of the sets of properties the description requires{}.",
                set_said(types, ty, set),
                if at == 0 {
                    " (each has a constructor)"
                } else {
                    ""
                }
            ));
            let attrs: Vec<TokenStream> = std::iter::once(doc).chain(many(&set_args)).collect();
            methods.insert(at, make(&attrs, set_name, &set_args, &set_inits));
        }
        return quote! {
            impl #name {
                #(#methods)*
                /// Whether one of the sets of properties the description requires is set.
                // Called by the operations that send the type, which a feature
                // set may leave out where another area's compiles the type.
                #[allow(dead_code)]
                pub(crate) fn has_required_set(&self) -> bool {
                    #(#checks)||*
                }
            }
        };
    }
    // A struct with a valid default has `Default`, not a `new` without arguments.
    if !names.derives_default {
        let attrs: Vec<TokenStream> = [
            doc_line(" A value with the required fields (a one-value field is set"),
            doc_line(" to its value); the others are unset."),
        ]
        .into_iter()
        .chain(many(&args))
        .collect();
        methods.insert(0, make(&attrs, "new", &args, &inits));
    }
    if methods.is_empty() {
        return TokenStream::new();
    }
    quote! {
        impl #name {
            #(#methods)*
        }
    }
}

/// A set of the properties struct `ty` requires one of, as its docs and
/// errors say it: "`first` and `last`".
pub(super) fn set_said(types: &Types, ty: TypeId, set: &[usize]) -> String {
    let crate::ir::TypeKind::Struct { fields } = &types.api.ty(ty).kind else {
        return String::new();
    };
    let names: Vec<String> = set
        .iter()
        .map(|&i| format!("`{}`", fields[i].json_name))
        .collect();
    names.join(" and ")
}

/// `From` each alternative whose type no other alternative has, for a union requests send.
pub(super) fn union_from(
    types: &Types,
    name: &str,
    variants: &[UnionVariant],
    members: &[String],
) -> TokenStream {
    let name = ident(name);
    let impls = variants.iter().zip(members).filter_map(|(v, member)| {
        // Distinct as Rust types: an integer and a timestamp are both `i64`.
        if variants.iter().filter(|w| w.ty.same_rust(&v.ty)).count() != 1 {
            return None;
        }
        let (t, id) = (types.tokens(&v.ty), ident(member));
        // Text literals too, for a string alternative.
        let text = (v.ty == crate::ir::TypeRef::String).then(|| {
            quote! {
                impl From<&str> for #name {
                    fn from(value: &str) -> Self {
                        Self::#id(value.to_string())
                    }
                }
            }
        });
        Some(quote! {
            impl From<#t> for #name {
                fn from(value: #t) -> Self {
                    Self::#id(value)
                }
            }

            #text
        })
    });
    quote!(#(#impls)*)
}
