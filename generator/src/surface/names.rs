//! The scopes that hand out Rust names: each namespace of the generated
//! crate gets distinct names, seeded with the ones already taken there.
//! The identifiers themselves come from [`crate::idents`].

pub use crate::idents::{snake_ident, type_ident, variant_ident};
use std::collections::HashMap;

/// The case convention of a scope's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// Types and variants: `Name`, `Name2`.
    Camel,
    /// Fields, arguments and methods: `name`, `name_2`.
    Snake,
}

/// Who holds a name in a scope.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Holder {
    /// The crate itself, the runtime, std or the language.
    Reserved,
    /// A spec item, at this JSON pointer.
    Spec(String),
}

/// How a claim went: the name given, and what it collided with, if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub name: String,
    /// The name that was wanted, when it was taken.
    pub wanted: Option<String>,
    /// The JSON pointer of the spec item that holds `wanted`, or `None`
    /// when the crate, its runtime, std or the language holds it.
    pub taken_by: Option<String>,
}

impl Claim {
    /// The warning to report, when the wanted name was taken by another spec item.
    /// (Stepping aside for a reserved name is expected and goes unreported.)
    pub fn collision(&self, what: &str) -> Option<String> {
        let wanted = self.wanted.as_ref()?;
        let by = self.taken_by.as_ref()?;
        Some(format!(
            "{what} maps to the Rust name `{wanted}`, already taken by {by}; named `{}`",
            self.name
        ))
    }
}

/// One namespace of the generated crate (the types, the variants of one
/// enum, the fields of one struct, the methods of `Client`, the arguments of
/// one method). It is seeded with the names already taken there, and hands
/// out the rest first come, first served:
///
/// - a name held by the crate, its runtime, std or the language is never
///   given to a spec item, which gets the scope's `suffix` instead
///   (`Error` becomes `ErrorModel`, a variant `Unknown` `UnknownValue`);
/// - a name held by an earlier spec item gets `2`, `3`, … (`name_2` in snake case).
#[derive(Debug, Clone)]
pub struct Scope {
    case: Case,
    suffix: &'static str,
    /// Taken names, by their lowercase form (unless the scope is
    /// [`exact`](Scope::exact)), so that names which differ only in case
    /// never coexist.
    taken: HashMap<String, Holder>,
    exact: bool,
}

impl Scope {
    /// A scope whose names follow `case`; a spec name equal to a reserved one gets `suffix`.
    pub fn new(case: Case, suffix: &'static str) -> Self {
        Scope {
            case,
            suffix,
            taken: HashMap::new(),
            exact: false,
        }
    }

    /// Names that differ in case are distinct here: the variants of a string
    /// enum, where `in_app` and `inapp` are `InApp` and `Inapp`, each
    /// spelling its own wire value. (Values that differ only in case still
    /// collide: `open` and `Open` are both `Open`.)
    pub fn exact(mut self) -> Self {
        self.exact = true;
        self
    }

    fn fold(&self, name: &str) -> String {
        if self.exact {
            name.to_string()
        } else {
            name.to_ascii_lowercase()
        }
    }

    /// Mark `names` as taken by the crate, its runtime, std or the language.
    pub fn reserve<'a>(mut self, names: impl IntoIterator<Item = &'a str>) -> Self {
        for n in names {
            let key = self.fold(n);
            self.taken.insert(key, Holder::Reserved);
        }
        self
    }

    /// Whether `name` is free.
    pub fn is_free(&self, name: &str) -> bool {
        !self.taken.contains_key(&self.fold(name))
    }

    /// Give the spec item at `pointer` a name based on `base` (already a
    /// valid identifier of this scope's case).
    pub fn claim(&mut self, base: &str, pointer: &str) -> Claim {
        let holder = Holder::Spec(pointer.to_string());
        let Some(first) = self.taken.get(&self.fold(base)).cloned() else {
            self.taken.insert(self.fold(base), holder);
            return Claim {
                name: base.to_string(),
                wanted: None,
                taken_by: None,
            };
        };
        let (stem, taken_by) = match first {
            Holder::Reserved => {
                let with_suffix = format!("{base}{}", self.suffix);
                if self.is_free(&with_suffix) {
                    self.taken.insert(self.fold(&with_suffix), holder);
                    return Claim {
                        name: with_suffix,
                        wanted: Some(base.to_string()),
                        taken_by: None,
                    };
                }
                (with_suffix, None)
            }
            Holder::Spec(at) => (base.to_string(), Some(at)),
        };
        let sep = match self.case {
            // `self_` becomes `self_2`: a doubled `_` is not snake case.
            Case::Snake if stem.ends_with('_') => "",
            Case::Snake => "_",
            Case::Camel if stem.ends_with(|c: char| c.is_ascii_digit()) => "_",
            Case::Camel => "",
        };
        let name = (2..)
            .map(|n| format!("{stem}{sep}{n}"))
            .find(|candidate| self.is_free(candidate))
            .unwrap_or_else(|| stem.clone());
        self.taken.insert(self.fold(&name), holder);
        Claim {
            name,
            wanted: Some(base.to_string()),
            taken_by,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert_eq!(snake_ident("type"), "type_");
        assert_eq!(snake_ident("pt-BR"), "pt_br");
        assert_eq!(snake_ident("2fa_enabled"), "n2fa_enabled");
        assert_eq!(snake_ident("listConversations"), "list_conversations");
        assert_eq!(snake_ident("Intercom-Version"), "intercom_version");
        assert_eq!(snake_ident("Self"), "self_");
        assert_eq!(type_ident("conversation_list"), "ConversationList");
        assert_eq!(type_ident("3d_secure"), "T3dSecure");
        assert_eq!(type_ident("日本"), "Type");
        assert_eq!(type_ident("v2.11"), "V2_11");
        assert_eq!(snake_ident("_"), "value");
        assert_eq!(snake_ident("   "), "value");
        // Letters with an ASCII spelling are transliterated; others are not letters here.
        assert_eq!(snake_ident("größe"), "grosse");
        assert_eq!(type_ident("Ñandú crème"), "NanduCreme");
        assert_eq!(variant_ident("É"), "E");
        assert_eq!(variant_ident("Ελλάδα"), "Ellada");
        assert_eq!(snake_ident("日本_id"), "id");
    }

    #[test]
    fn values_that_share_a_name_are_named_from_what_differs() {
        use crate::idents::variant_names;
        let names = |values: &[&str]| variant_names(values.iter().copied(), &["Unknown"], "Value");
        assert_eq!(names(&["title", "-title"]), ["Title", "MinusTitle"]);
        assert_eq!(names(&["-title", "title"]), ["MinusTitle", "Title"]);
        assert_eq!(names(&["1", "+1", "-1"]), ["V1", "Plus1", "Minus1"]);
        assert_eq!(
            names(&["a.b", "a_b", "a b"]),
            ["ADotB", "AUnderscoreB", "ASpaceB"]
        );
        assert_eq!(
            names(&["open", "Open", "OPEN"]),
            ["Open", "CapitalOpen", "UpperOpen"]
        );
        assert_eq!(names(&["日本", "中国"]), ["U65E5U672C", "U4E2DU56FD"]);
        // A reserved name steps aside first, then is told apart.
        assert_eq!(
            names(&["unknown", "unknown_value"]),
            ["UnknownValue", "UnknownUnderscoreValue"]
        );
        // Values that share no name keep their plain names.
        assert_eq!(
            names(&["in_app", "email", "-1"]),
            ["InApp", "Email", "Minus1"]
        );
    }

    #[test]
    fn variants() {
        let got: Vec<String> = [
            "=",
            "!=",
            "<",
            "~",
            "!~",
            "^",
            "$",
            "2.11",
            "1.0",
            "Unstable",
            "pt-BR",
            "",
            "=>",
            "3rd_party_error",
            "-1",
            "  ",
            "日本",
        ]
        .iter()
        .map(|v| variant_ident(v))
        .collect();
        assert_eq!(
            got,
            [
                "Eq",
                "Ne",
                "Lt",
                "Contains",
                "NotContains",
                "StartsWith",
                "EndsWith",
                "V2_11",
                "V1_0",
                "Unstable",
                "PtBr",
                "Empty",
                "EqGt",
                "V3rdPartyError",
                "Minus1",
                "SpaceSpace",
                "Symbol",
            ]
        );
    }

    #[test]
    fn scope_resolves_collisions_in_order() {
        let mut s = Scope::new(Case::Camel, "Model").reserve(["Error", "Self"]);
        assert_eq!(s.claim("Conversation", "/a").name, "Conversation");
        let second = s.claim("Conversation", "/b");
        assert_eq!(second.name, "Conversation2");
        assert_eq!(
            second.collision("schema").unwrap(),
            "schema maps to the Rust name `Conversation`, already taken by /a; named `Conversation2`"
        );
        let error = s.claim("Error", "/c");
        assert_eq!(error.name, "ErrorModel");
        assert_eq!(error.collision("schema"), None);
        assert_eq!(s.claim("ErrorModel", "/d").name, "ErrorModel2");
        assert_eq!(s.claim("V2_11", "/e").name, "V2_11");
        assert_eq!(s.claim("V2_11", "/f").name, "V2_11_2");
        let mut f = Scope::new(Case::Snake, "_field").reserve(["additional_properties"]);
        assert_eq!(f.claim("id", "/x").name, "id");
        assert_eq!(f.claim("id", "/y").name, "id_2");
        assert_eq!(
            f.claim("additional_properties", "/z").name,
            "additional_properties_field"
        );
        // Names that differ only in case never coexist.
        let mut v = Scope::new(Case::Camel, "Value").reserve(["Unknown"]);
        assert_eq!(v.claim("Open", "/0").name, "Open");
        assert_eq!(v.claim("OPen", "/1").name, "OPen2");
        assert_eq!(v.claim("Unknown", "/2").name, "UnknownValue");
    }
}
