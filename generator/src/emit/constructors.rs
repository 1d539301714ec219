//! How requests build what they send: `new` with the required fields and
//! a setter per optional field for each struct requests send, and `From`
//! each alternative into its union (the surface's `TypeNames` decides the
//! names and arguments: `setters`, `filled`, `derives_default`).

use super::syntax;
use super::types::{ident, Types};
use crate::ir::{Field, TypeId, UnionVariant};
use proc_macro2::TokenStream;
use quote::quote;

/// The value of a required field that needs no argument: the only value of
/// its one-value enum `id` (a type tag such as `type: admin`).
fn constant(types: &Types, id: TypeId) -> syn::Expr {
    syntax::expr_path(&[types.surface.type_name(id), types.surface.member(id, 0)])
}

/// How an argument takes a value of `ty` (see [`Types::input_syn`]), and
/// how it becomes the field's value, in a `Box` for a boxed field.
fn input(types: &Types, ty: &crate::ir::TypeRef, id: &str, boxed: bool) -> (syn::Type, syn::Expr) {
    let (arg, value) = types.input_syn(ty, id);
    if boxed {
        (arg, syntax::call(&["Box", "new"], vec![value]))
    } else {
        (arg, value)
    }
}

/// `new` (the required fields that are not constants, as arguments; the
/// rest unset) and a setter per optional field, for a struct: built as a
/// syntax tree (models.rs has one per struct; parsing them back from
/// tokens was most of its time).
pub(super) fn constructor(types: &Types, ty: TypeId, fields: &[Field]) -> Option<syn::Item> {
    let names = &types.surface.types[ty.0];
    let setters = names.setters.as_ref()?;
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut methods = Vec::new();
    let each = fields
        .iter()
        .zip(&names.members)
        .zip(setters)
        .zip(&names.filled);
    for (((f, member), setter), filled) in each {
        let id = member.as_str();
        match setter {
            Some(setter) => {
                inits.push((member.clone(), syntax::expr_path(&["None"])));
                let (arg, value) = input(types, &f.ty, id, f.boxed);
                let doc = syntax::doc_line(&format!(" Sets `{}`.", f.json_name));
                let some = syntax::call(&["Some"], vec![value]);
                methods.push(syntax::method(
                    vec![doc],
                    setter,
                    vec![syntax::mut_self(), syntax::arg(id, arg)],
                    vec![
                        syntax::assign_field(id, some),
                        syntax::tail(syntax::expr_path(&["self"])),
                    ],
                ));
            }
            None => match filled {
                Some(tag) => inits.push((member.clone(), constant(types, *tag))),
                None => {
                    let (arg, value) = input(types, &f.ty, id, f.boxed);
                    args.push(syntax::arg(id, arg));
                    inits.push((member.clone(), value));
                }
            },
        }
    }
    inits.push((
        "as_arrived".into(),
        syntax::call(&["crate", "runtime", "Kept", "default"], Vec::new()),
    ));
    inits.push((
        "additional_properties".into(),
        syntax::call(&["serde_json", "Map", "new"], Vec::new()),
    ));
    // A struct that requires one of several sets of properties: a
    // constructor per set, which sets it, and the check a request makes.
    if !names.required_sets.is_empty() {
        let mut checks = Vec::new();
        for (at, (name, set)) in names.required_sets.iter().enumerate() {
            let mut set_args = args.clone();
            let mut set_inits = inits.clone();
            let mut present = Vec::new();
            for &i in set {
                let (f, member) = (&fields[i], &names.members[i]);
                let (arg, value) = input(types, &f.ty, member, f.boxed);
                set_args.push(syntax::arg(member, arg));
                if let Some(slot) = set_inits.iter_mut().find(|(m, _)| m == member) {
                    slot.1 = syntax::call(&["Some"], vec![value]);
                }
                let id = ident(member);
                present.push(quote!(self.#id.is_some()));
            }
            checks.push(quote!((#(#present)&&*)));
            let mut attrs = vec![syntax::doc_line(&format!(
                " A value with {}: one of the sets of properties the description requires{}.",
                set_said(types, ty, set),
                if at == 0 {
                    " (each has a constructor)"
                } else {
                    ""
                }
            ))];
            if set_args.len() > 7 {
                attrs.push(syntax::allow(&["clippy", "too_many_arguments"]));
            }
            let value = syntax::tail(syntax::self_literal(set_inits));
            methods.insert(at, syntax::method(attrs, name, set_args, vec![value]));
        }
        let check: syn::ImplItem = syn::parse_quote! {
            /// Whether one of the sets of properties the description requires is set.
            // Called by the operations that send the type, which a feature
            // set may leave out where another area's compiles the type.
            #[allow(dead_code)]
            pub(crate) fn has_required_set(&self) -> bool {
                #(#checks)||*
            }
        };
        methods.push(check);
        return Some(syntax::item_impl(&names.name, methods));
    }
    // A struct with a valid default has `Default`, not a `new` without arguments.
    if !names.derives_default {
        let mut attrs = vec![
            syntax::doc_line(" A value with the required fields (a one-value field is set"),
            syntax::doc_line(" to its value); the others are unset."),
        ];
        // The description requires that many fields: each is an argument,
        // in the description's order, as for any other struct.
        if args.len() > 7 {
            attrs.push(syntax::allow(&["clippy", "too_many_arguments"]));
        }
        let value = syntax::tail(syntax::self_literal(inits));
        methods.insert(0, syntax::method(attrs, "new", args, vec![value]));
    }
    (!methods.is_empty()).then(|| syntax::item_impl(&names.name, methods))
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
