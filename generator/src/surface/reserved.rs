//! The names a spec may not take, because the generated crate, its runtime,
//! std or the language already holds them.
//!
//! The runtime's names are read from its source, so a method added to
//! `Client` in the runtime (`runtime/src/runtime/`, read through [`crate::runtime`]) is reserved without a list to
//! keep in step.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
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

/// The generic parameters of the runtime's macros and of emitted code,
/// where a model type may be named too (`string_enum!(E)` expands to
/// `fn visit_str<E: Error>(…) -> Result<E, E>`): a type of that name would
/// be shadowed. A test reads them from the sources.
const GENERIC_PARAMS: &[&str] = &["A", "D", "E", "F", "Fut", "I", "P", "S", "T", "U", "V"];

/// A model struct's constructor is `new`: a model named `New` would have a
/// constructor named after itself (clippy's `self_named_constructors`).
/// Request builders have no `new`, and may take the name.
pub const MODEL_CONSTRUCTOR_TYPES: &[&str] = &["New"];

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
    /// Every type, trait, function and macro at the top level of its modules.
    items: Vec<String>,
    /// Every method of `Client` and `Mock`, public or not (any of them would
    /// clash with an area's accessor).
    client_methods: Vec<String>,
}

/// The runtime's names are read from its tokens, not from a syntax tree:
/// an item's name is the identifier after its keyword, at the top level of
/// a module or of an `impl Client` block. Lexing is a fifth of the cost of
/// parsing every body, which every `regen` paid once (about 70 M
/// instructions of 1,280 M for 2.15).
fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        let mut runtime = Runtime {
            items: Vec::new(),
            client_methods: crate::runtime::HOST_CLIENT_METHODS
                .iter()
                .map(|m| m.to_string())
                .collect(),
        };
        // The runtime is our own code, checked by the tests (which also
        // check that what is read here is complete).
        let files = crate::runtime::RUNTIME
            .iter()
            .filter_map(|(_, source)| source.parse::<TokenStream>().ok());
        for tokens in files {
            read_module(tokens, &mut runtime);
        }
        runtime
    })
}

/// The names a module's top level defines, and the methods of its
/// `impl Client` blocks.
fn read_module(tokens: TokenStream, runtime: &mut Runtime) {
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, t) in tokens.iter().enumerate() {
        let TokenTree::Ident(keyword) = t else {
            continue;
        };
        let keyword = keyword.to_string();
        match keyword.as_str() {
            "struct" | "enum" | "union" | "trait" | "type" | "fn" => {
                if let Some(TokenTree::Ident(name)) = tokens.get(i + 1) {
                    runtime.items.push(name.to_string());
                }
            }
            "macro_rules" => {
                if let (Some(TokenTree::Punct(p)), Some(TokenTree::Ident(name))) =
                    (tokens.get(i + 1), tokens.get(i + 2))
                {
                    if p.as_char() == '!' {
                        runtime.items.push(name.to_string());
                    }
                }
            }
            // `impl Client { … }`, not `impl Trait for Client` nor `impl<T> …`.
            "impl" => {
                if let (Some(TokenTree::Ident(ty)), Some(TokenTree::Group(body))) =
                    (tokens.get(i + 1), tokens.get(i + 2))
                {
                    // `Mock`'s methods too: an area's accessor is a method of both.
                    if (ty == "Client" || ty == "Mock") && body.delimiter() == Delimiter::Brace {
                        let items: Vec<TokenTree> = body.stream().into_iter().collect();
                        for (j, t) in items.iter().enumerate() {
                            if let (TokenTree::Ident(f), Some(TokenTree::Ident(name))) =
                                (t, items.get(j + 1))
                            {
                                if f == "fn" {
                                    runtime.client_methods.push(name.to_string());
                                }
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
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
        .chain(GENERIC_PARAMS)
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
    use proc_macro2::{TokenStream, TokenTree};

    /// The names of the type parameters `fn f<…>` and `impl<…>` declare
    /// anywhere in `tokens`.
    fn generic_params(tokens: TokenStream, out: &mut Vec<String>) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        for (i, t) in tokens.iter().enumerate() {
            if let TokenTree::Group(g) = t {
                generic_params(g.stream(), out);
            }
            let opens = match (t, tokens.get(i + 1), tokens.get(i + 2)) {
                (TokenTree::Ident(k), Some(TokenTree::Ident(_)), Some(TokenTree::Punct(p)))
                    if k == "fn" && p.as_char() == '<' =>
                {
                    Some(i + 3)
                }
                (TokenTree::Ident(k), Some(TokenTree::Punct(p)), _)
                    if k == "impl" && p.as_char() == '<' =>
                {
                    Some(i + 2)
                }
                _ => None,
            };
            let Some(mut j) = opens else { continue };
            // Each parameter starts the list or follows a comma at its depth.
            let (mut depth, mut starts) = (1, true);
            while let Some(t) = tokens.get(j) {
                match t {
                    TokenTree::Punct(p) if p.as_char() == '<' => depth += 1,
                    TokenTree::Punct(p) if p.as_char() == '>' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    TokenTree::Punct(p) if p.as_char() == ',' && depth == 1 => {
                        starts = true;
                        j += 1;
                        continue;
                    }
                    TokenTree::Ident(name) if starts && name != "const" => {
                        out.push(name.to_string())
                    }
                    _ => {}
                }
                starts = false;
                j += 1;
            }
        }
    }

    /// Every type parameter the runtime or emit declares is a reserved type name.
    #[test]
    fn generic_parameters_are_reserved() {
        let emit = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/emit");
        let mut sources: Vec<String> = crate::runtime::RUNTIME
            .iter()
            .map(|(_, s)| s.to_string())
            .collect();
        for entry in std::fs::read_dir(emit).unwrap() {
            sources.push(std::fs::read_to_string(entry.unwrap().path()).unwrap());
        }
        let mut params = Vec::new();
        for source in &sources {
            generic_params(source.parse().unwrap(), &mut params);
        }
        params.sort();
        params.dedup();
        assert!(params.contains(&"E".to_string()), "{params:?}");
        let reserved: Vec<&str> = super::type_names().collect();
        let missing: Vec<&String> = params
            .iter()
            .filter(|p| !reserved.contains(&p.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "type parameters not reserved: {missing:?}"
        );
    }

    /// What the tokens give is what a syntax tree of the runtime holds: its
    /// modules' items, and every method of `impl Client` and `impl Mock`.
    #[test]
    fn the_tokens_name_what_the_syntax_tree_holds() {
        let mut items = Vec::new();
        let mut methods: Vec<String> = crate::runtime::HOST_CLIENT_METHODS
            .iter()
            .map(|m| m.to_string())
            .collect();
        for (name, source) in crate::runtime::RUNTIME {
            let file = syn::parse_file(source).unwrap_or_else(|e| panic!("{name}: {e}"));
            for item in &file.items {
                match item {
                    syn::Item::Struct(s) => items.push(s.ident.to_string()),
                    syn::Item::Enum(e) => items.push(e.ident.to_string()),
                    syn::Item::Union(u) => items.push(u.ident.to_string()),
                    syn::Item::Trait(t) => items.push(t.ident.to_string()),
                    syn::Item::Type(t) => items.push(t.ident.to_string()),
                    syn::Item::Fn(f) => items.push(f.sig.ident.to_string()),
                    syn::Item::Macro(m) => items.extend(m.ident.iter().map(|i| i.to_string())),
                    syn::Item::Impl(i) if i.trait_.is_none() => {
                        let of = |name| matches!(&*i.self_ty, syn::Type::Path(p) if p.path.is_ident(name));
                        if of("Client") || of("Mock") {
                            for it in &i.items {
                                if let syn::ImplItem::Fn(f) = it {
                                    methods.push(f.sig.ident.to_string());
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        let read = super::runtime();
        let sorted = |v: &[String]| {
            let mut v = v.to_vec();
            v.sort();
            v.dedup();
            v
        };
        assert!(!items.is_empty() && methods.len() > 5);
        assert_eq!(sorted(&read.items), sorted(&items));
        assert_eq!(sorted(&read.client_methods), sorted(&methods));
    }

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
