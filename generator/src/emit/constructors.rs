//! How requests build what they send: `new` with the required fields and
//! a setter per optional field for each struct requests send, and `From`
//! each alternative into its union (the surface's `TypeNames` decides the
//! names and arguments: `setters`, `filled`, `derives_default`).

use super::types::{ident, Types};
use crate::ir::{Field, TypeId, UnionVariant};
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// The value of a required field that needs no argument: the only value of
/// its one-value enum `id` (a type tag such as `type: admin`).
fn constant(types: &Types, id: TypeId) -> TokenStream {
    let (t, v) = (
        ident(types.surface.type_name(id)),
        ident(types.surface.member(id, 0)),
    );
    quote!(#t::#v)
}

/// How an argument takes a value of `ty` (see [`Types::input`]), and how
/// it becomes the field's value, in a `Box` for a boxed field.
fn input(
    types: &Types,
    ty: &crate::ir::TypeRef,
    id: &Ident,
    boxed: bool,
) -> (TokenStream, TokenStream) {
    let (arg, value) = types.input(ty, id);
    if boxed {
        (arg, quote!(Box::new(#value)))
    } else {
        (arg, value)
    }
}

/// `new` (the required fields that are not constants, as arguments; the
/// rest unset) and a setter per optional field, for a struct requests send.
pub(super) fn constructor(types: &Types, ty: TypeId, fields: &[Field]) -> TokenStream {
    let names = &types.surface.types[ty.0];
    let Some(setters) = &names.setters else {
        return TokenStream::new();
    };
    let name = ident(&names.name);
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut methods = Vec::new();
    let fields = fields
        .iter()
        .zip(&names.members)
        .zip(setters)
        .zip(&names.filled);
    for (((f, member), setter), filled) in fields {
        let id = ident(member);
        match setter {
            Some(setter) => {
                inits.push(quote!(#id: None,));
                let (arg, value) = input(types, &f.ty, &id, f.boxed);
                let setter = ident(setter);
                let doc = format!(" Sets `{}`.", f.json_name);
                methods.push(quote! {
                    #[doc = #doc]
                    pub fn #setter(mut self, #id: #arg) -> Self {
                        self.#id = Some(#value);
                        self
                    }
                });
            }
            None => match filled {
                Some(tag) => {
                    let value = constant(types, *tag);
                    inits.push(quote!(#id: #value,));
                }
                None => {
                    let (arg, value) = input(types, &f.ty, &id, f.boxed);
                    args.push(quote!(#id: #arg));
                    inits.push(quote!(#id: #value,));
                }
            },
        }
    }
    // A struct with a valid default has `Default`, not a `new` without arguments.
    let new = (!names.derives_default).then(|| {
        // The description requires that many fields: each is an argument,
        // in the description's order, as for any other struct.
        let many = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        quote! {
            /// A value with the required fields (a one-value field is set
            /// to its value); the others are unset.
            #many
            pub fn new(#(#args),*) -> Self {
                Self {
                    #(#inits)*
                    additional_properties: serde_json::Map::new(),
                }
            }
        }
    });
    if new.is_none() && methods.is_empty() {
        return TokenStream::new();
    }
    quote! {
        impl #name {
            #new
            #(#methods)*
        }
    }
}

/// Whether two IR types are the same Rust type (`UnixTimestamp` is `i64`).
fn same_rust(a: &crate::ir::TypeRef, b: &crate::ir::TypeRef) -> bool {
    use crate::ir::TypeRef::{Array, Integer, Map, UnixTime};
    match (a, b) {
        (Integer | UnixTime, Integer | UnixTime) => true,
        (Array(x), Array(y)) | (Map(x), Map(y)) => same_rust(x, y),
        _ => a == b,
    }
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
        if variants.iter().filter(|w| same_rust(&w.ty, &v.ty)).count() != 1 {
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
