//! The names a spec may not take, because the generated crate, its runtime,
//! std or the language already holds them.
//!
//! The runtime's names are read from its source, so a method added to
//! `Client` in the runtime (`runtime/src/runtime/`, read through [`crate::runtime`]) is reserved without a list to
//! keep in step.

use std::sync::OnceLock;

/// Names every type-level namespace of the crate keeps for std, the prelude
/// and the derives the generated code uses, so generated code can write
/// `Option`, `String`, `Vec` or `Box` without a spec type shadowing them.
const STD_TYPES: &[&str] = &[
    "Self",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "Box",
    "String",
    "Vec",
    "ToString",
    "ToOwned",
    "Clone",
    "Copy",
    "Default",
    "Drop",
    "Eq",
    "PartialEq",
    "Ord",
    "PartialOrd",
    "Hash",
    "Debug",
    "Display",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "AsRef",
    "AsMut",
    "Iterator",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Extend",
    "FromIterator",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
];

/// Methods every value has through derives and blanket impls; an operation
/// of that name would shadow them on `Client`.
pub const STD_METHODS: &[&str] = &[
    "clone",
    "clone_from",
    "fmt",
    "to_owned",
    "to_string",
    "into",
    "try_into",
    "from",
    "eq",
    "ne",
    "hash",
    "borrow",
    "borrow_mut",
    "as_ref",
    "default",
    "type_id",
];

/// Local names that the body of a generated method binds while its
/// arguments are still in use (an argument of that name would be shadowed).
pub const METHOD_LOCALS: &[&str] = &[
    "self", "body", "request", "response", "path", "cursor", "client",
];

/// What the runtime defines, read from its source once.
struct Runtime {
    /// Every type, trait and function at the runtime's top level.
    items: Vec<String>,
    /// Every method of `Client`, public or not (any of them would clash).
    client_methods: Vec<String>,
}

fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        let mut items = Vec::new();
        let mut client_methods: Vec<String> = crate::runtime::HOST_CLIENT_METHODS
            .iter()
            .map(|m| m.to_string())
            .collect();
        // The runtime is our own code, checked by the tests; were a module not
        // to parse, the reserved names would be just the others'.
        let files = crate::runtime::RUNTIME
            .iter()
            .filter_map(|(_, source)| syn::parse_str::<syn::File>(source).ok());
        for file in files {
            for item in &file.items {
                match item {
                    syn::Item::Struct(s) => items.push(s.ident.to_string()),
                    syn::Item::Enum(e) => items.push(e.ident.to_string()),
                    syn::Item::Trait(t) => items.push(t.ident.to_string()),
                    syn::Item::Type(t) => items.push(t.ident.to_string()),
                    syn::Item::Fn(f) => items.push(f.sig.ident.to_string()),
                    syn::Item::Macro(m) => {
                        if let Some(i) = &m.ident {
                            items.push(i.to_string());
                        }
                    }
                    syn::Item::Impl(i) => {
                        let is_client =
                            matches!(&*i.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"));
                        if is_client && i.trait_.is_none() {
                            for it in &i.items {
                                if let syn::ImplItem::Fn(f) = it {
                                    client_methods.push(f.sig.ident.to_string());
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        Runtime {
            items,
            client_methods,
        }
    })
}

/// Names the crate root defines besides the runtime's.
pub const ROOT_ITEMS: &[&str] = &[
    "Region",
    "BoxStream",
    "StreamExt",
    "TryStreamExt",
    "API_TITLE",
    "API_DESCRIPTION_VERSION",
    "DEFAULT_BASE_URL",
    "VERSION_HEADER",
    "DEFAULT_API_VERSION",
    "API_DEFAULTS",
];

/// Every name a type of the crate may not take.
pub fn type_names() -> impl Iterator<Item = &'static str> {
    STD_TYPES
        .iter()
        .chain(ROOT_ITEMS)
        .copied()
        .chain(runtime().items.iter().map(String::as_str))
}

/// Every name an operation method on `Client` may not take.
pub fn client_methods() -> impl Iterator<Item = &'static str> {
    STD_METHODS
        .iter()
        .copied()
        .chain(runtime().client_methods.iter().map(String::as_str))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_runtime_is_read() {
        let methods: Vec<&str> = super::client_methods().collect();
        for m in ["timeout", "execute", "builder", "with_options", "clone"] {
            assert!(methods.contains(&m), "{m} not reserved: {methods:?}");
        }
        let types: Vec<&str> = super::type_names().collect();
        for t in [
            "Client",
            "Error",
            "ApiError",
            "Result",
            "Self",
            "UnixTimestamp",
        ] {
            assert!(types.contains(&t), "{t} not reserved");
        }
    }
}
