//! The module of a query search (`contacts::search`): a function per field
//! of the description's table, each returning a kind of field whose methods
//! are the operators that field accepts; an enum per field that lists its
//! values; `field(name)` for any other field, with every operator.
//!
//! Kinds are shared by the fields that take the same values and operators.
//! The kind most fields of a type share is named after the type
//! (`TextField`, `DateField`); another after its first field
//! (`TagIdField`); the kind of `field()` is `AnyField`.

use super::names::{snake_ident, type_ident, Case, Scope};
use crate::error::Diagnostic;
use crate::ir::{Operation, Search, SearchOp, SearchValue};
use std::path::Path;

/// The names the module takes from the runtime, and its own function.
pub const MODULE_TYPES: &[&str] = &["Query", "AnyField"];
pub const MODULE_FUNCTIONS: &[&str] = &["and", "or", "field"];

/// A query search's module, in its area's module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchModule {
    /// The module's name: the operation's method (`search`).
    pub module: String,
    /// The builder's setter that takes a query (`query`).
    pub setter: String,
    pub kinds: Vec<Kind>,
    /// Enums of listed values.
    pub values: Vec<Values>,
    /// One per field of [`Search::fields`], in order.
    pub functions: Vec<Function>,
    /// The kind of `field(name)` (every operator, any JSON value).
    pub any: usize,
}

/// A kind of field: a struct whose methods are its operators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kind {
    pub name: String,
    pub value: KindValue,
    pub operators: Vec<SearchOp>,
}

/// What a kind's operators take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindValue {
    Text,
    Integer,
    Number,
    Date,
    Boolean,
    Any,
    /// One of the values of [`SearchModule::values`]`[i]`.
    Values(usize),
}

/// The enum of a field's listed values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Values {
    pub name: String,
    /// (variant, value as Intercom spells it).
    pub variants: Vec<(String, String)>,
}

/// The function of one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    pub name: String,
    /// Index of [`SearchModule::kinds`].
    pub kind: usize,
    /// For a templated field: its argument (the placeholder's name).
    pub argument: Option<String>,
}

/// The module of `op`'s search, named `module` (its method), its setter
/// `setter`; naming collisions are reported in `warnings`.
pub fn module(
    op: &Operation,
    search: &Search,
    module: &str,
    setter: String,
    file: &Path,
    warnings: &mut Vec<Diagnostic>,
) -> SearchModule {
    let pointer = format!("{}/description", op.pointer);
    let mut types = Scope::new(Case::Camel, "Kind").reserve(MODULE_TYPES.iter().copied());
    let mut functions = Scope::new(Case::Snake, "_field").reserve(MODULE_FUNCTIONS.iter().copied());
    let mut claim = |scope: &mut Scope, base: &str, what: &str| {
        let claim = scope.claim(base, &pointer);
        if let Some(message) = claim.collision(&format!("the search {what} of `{}`", op.id)) {
            warnings.push(Diagnostic::at_pointer(file, &pointer, message));
        }
        claim.name
    };

    // What each field takes, as a kind's value (listed values get their enum).
    let mut values = Vec::new();
    let taken: Vec<KindValue> = search
        .fields
        .iter()
        .map(|f| match &f.value {
            SearchValue::Text => KindValue::Text,
            SearchValue::Integer => KindValue::Integer,
            SearchValue::Number => KindValue::Number,
            SearchValue::Date => KindValue::Date,
            SearchValue::Boolean => KindValue::Boolean,
            SearchValue::Any => KindValue::Any,
            SearchValue::Listed(listed) => {
                let name = claim(&mut types, &type_ident(&base(&f.name)), "values");
                let mut variants = Scope::new(Case::Camel, "Value").exact();
                let variants = listed
                    .iter()
                    .map(|v| {
                        let variant = crate::idents::variant_ident(v);
                        (variants.claim(&variant, &pointer).name, v.clone())
                    })
                    .collect();
                values.push(Values { name, variants });
                KindValue::Values(values.len() - 1)
            }
        })
        .collect();

    let mut kinds = vec![Kind {
        name: "AnyField".into(),
        value: KindValue::Any,
        operators: SearchOp::ALL.to_vec(),
    }];
    // The kind most fields of a value share takes the value's name.
    let key = |i: usize| (taken[i], search.fields[i].operators.clone());
    let mut counts: Vec<((KindValue, Vec<SearchOp>), usize)> = Vec::new();
    for i in 0..search.fields.len() {
        match counts.iter_mut().find(|(k, _)| *k == key(i)) {
            Some((_, n)) => *n += 1,
            None => counts.push((key(i), 1)),
        }
    }
    let commonest = |value: KindValue| {
        counts
            .iter()
            .filter(|((v, _), _)| *v == value)
            .fold(
                None::<(&Vec<SearchOp>, usize)>,
                |best, ((_, ops), n)| match best {
                    Some((_, m)) if m >= *n => best,
                    _ => Some((ops, *n)),
                },
            )
            .map(|(ops, _)| ops.clone())
    };
    let mut function_list = Vec::new();
    for (i, f) in search.fields.iter().enumerate() {
        let (value, operators) = key(i);
        let kind = match kinds
            .iter()
            .position(|k| k.value == value && k.operators == operators)
        {
            Some(kind) => kind,
            None => {
                let word = match value {
                    KindValue::Text => Some("Text"),
                    KindValue::Integer => Some("Integer"),
                    KindValue::Number => Some("Number"),
                    KindValue::Date => Some("Date"),
                    KindValue::Boolean => Some("Boolean"),
                    KindValue::Any | KindValue::Values(_) => None,
                };
                let base = match word {
                    Some(word) if commonest(value).as_ref() == Some(&operators) => {
                        format!("{word}Field")
                    }
                    _ => format!("{}Field", type_ident(&base(&f.name))),
                };
                let name = claim(&mut types, &base, "field kind");
                kinds.push(Kind {
                    name,
                    value,
                    operators,
                });
                kinds.len() - 1
            }
        };
        let (name, argument) = match &f.template {
            Some((_, placeholder)) => (
                claim(&mut functions, &snake_ident(&base(&f.name)), "field"),
                Some(snake_ident(placeholder)),
            ),
            None => (
                claim(
                    &mut functions,
                    &snake_ident(&f.name.replace('.', "_")),
                    "field",
                ),
                None,
            ),
        };
        function_list.push(Function {
            name,
            kind,
            argument,
        });
    }
    SearchModule {
        module: module.to_string(),
        setter,
        kinds,
        values,
        functions: function_list,
        any: 0,
    }
}

/// The words a field's names start from: its name with dots as separators;
/// for a templated field, the text before its placeholder, in the singular
/// (`custom_attributes.{attribute_name}`: `custom_attribute`).
fn base(field: &str) -> String {
    match field.find('{') {
        Some(at) => {
            let stem = field[..at].trim_end_matches(['.', '_', '-']);
            let last = stem.rsplit(['.', '_']).next().unwrap_or(stem);
            let singular = if let Some(s) = last.strip_suffix("ies") {
                format!("{s}y")
            } else if last.ends_with('s') && !last.ends_with("ss") {
                last[..last.len() - 1].to_string()
            } else {
                last.to_string()
            };
            format!("{}{singular}", &stem[..stem.len() - last.len()]).replace('.', "_")
        }
        None => field.replace('.', "_"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::SearchField;

    fn field(name: &str, value: SearchValue, operators: &[SearchOp]) -> SearchField {
        let template = name
            .find('{')
            .filter(|&at| at + 1 < name.len() && name.ends_with('}'))
            .map(|at| {
                (
                    name[..at].to_string(),
                    name[at + 1..name.len() - 1].to_string(),
                )
            });
        SearchField {
            name: name.into(),
            template,
            value,
            operators: operators.to_vec(),
            said: String::new(),
        }
    }

    use SearchOp::*;

    fn op() -> Operation {
        Operation {
            id: "searchThings".into(),
            id_derived: false,
            method: crate::ir::Method::Post,
            path: "/things/search".into(),
            summary: None,
            doc: None,
            tags: vec![],
            deprecated: false,
            params: vec![],
            body: None,
            responses: vec![],
            pointer: "/paths/~1things~1search/post".into(),
            search: None,
        }
    }

    #[test]
    fn kinds_are_shared_and_named_by_type_or_first_field() {
        let text = [Eq, Ne, In, Contains];
        let search = Search {
            property: "query".into(),
            fields: vec![
                field("email", SearchValue::Text, &text),
                field("location.country", SearchValue::Text, &text),
                field("tag_id", SearchValue::Text, &[Eq, Ne]),
                field("created_at", SearchValue::Date, &[Eq, Gt, Lt]),
                field(
                    "role",
                    SearchValue::Listed(vec!["user".into(), "lead".into()]),
                    &text,
                ),
                field(
                    "custom_attributes.{attribute_name}",
                    SearchValue::Text,
                    &text,
                ),
                field("type", SearchValue::Text, &text),
                field("field", SearchValue::Any, &SearchOp::ALL),
            ],
            max_depth: 2,
            max_group: 15,
        };
        let mut warnings = Vec::new();
        let m = module(
            &op(),
            &search,
            "search",
            "query".into(),
            Path::new("x.yaml"),
            &mut warnings,
        );
        let names: Vec<(&str, &str)> = m
            .functions
            .iter()
            .map(|f| (f.name.as_str(), m.kinds[f.kind].name.as_str()))
            .collect();
        assert_eq!(
            names,
            vec![
                ("email", "TextField"),
                ("location_country", "TextField"),
                ("tag_id", "TagIdField"),
                ("created_at", "DateField"),
                ("role", "RoleField"),
                ("custom_attribute", "TextField"),
                ("type_", "TextField"),
                ("field_field", "AnyField"),
            ]
        );
        assert_eq!(m.values[0].name, "Role");
        assert_eq!(
            m.values[0].variants,
            vec![
                ("User".into(), "user".into()),
                ("Lead".into(), "lead".into())
            ]
        );
        assert_eq!(m.functions[5].argument.as_deref(), Some("attribute_name"));
        assert_eq!(m.kinds[m.any].operators, SearchOp::ALL.to_vec());
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    proptest::proptest! {
        /// Whatever a table's rows are called, every name is an identifier
        /// of its case, and no two functions or types of the module share one.
        #[test]
        fn hostile_field_names_give_distinct_identifiers(
            names in proptest::collection::vec("[a-zA-Z0-9_.{} \\-é$]{0,12}", 1..12),
            listed in proptest::collection::vec("[a-zA-Z0-9_ -]{0,6}", 0..4),
        ) {
            let fields = names
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let value = match i % 4 {
                        0 => SearchValue::Text,
                        1 => SearchValue::Listed(listed.clone()),
                        2 => SearchValue::Date,
                        _ => SearchValue::Any,
                    };
                    let ops = &SearchOp::ALL[..(i % 12) + 1];
                    let mut f = field(n, value, ops);
                    f.template = None;
                    f
                })
                .collect();
            let search = Search { property: "query".into(), fields, max_depth: 2, max_group: 15 };
            let mut warnings = Vec::new();
            let m = module(&op(), &search, "search", "query".into(), Path::new("x.yaml"), &mut warnings);
            let mut functions = std::collections::BTreeSet::new();
            for f in &m.functions {
                proptest::prop_assert!(syn::parse_str::<syn::Ident>(&f.name).is_ok(), "{}", f.name);
                proptest::prop_assert!(functions.insert(f.name.clone()), "{} twice", f.name);
                proptest::prop_assert!(!MODULE_FUNCTIONS.contains(&f.name.as_str()));
            }
            let mut types = std::collections::BTreeSet::new();
            for name in m.kinds.iter().map(|k| &k.name).chain(m.values.iter().map(|v| &v.name)) {
                proptest::prop_assert!(syn::parse_str::<syn::Ident>(name).is_ok(), "{}", name);
                proptest::prop_assert!(types.insert(name.clone()), "{} twice", name);
            }
            for v in &m.values {
                let mut variants = std::collections::BTreeSet::new();
                for (variant, _) in &v.variants {
                    proptest::prop_assert!(syn::parse_str::<syn::Ident>(variant).is_ok(), "{}", variant);
                    proptest::prop_assert!(variants.insert(variant.clone()), "{} twice", variant);
                }
            }
        }
    }

    #[test]
    fn templated_names_are_singular() {
        assert_eq!(
            base("custom_attributes.{attribute_name}"),
            "custom_attribute"
        );
        assert_eq!(base("ticket_attribute.{id}"), "ticket_attribute");
        assert_eq!(base("properties.{key}"), "property");
        assert_eq!(base("source.author.email"), "source_author_email");
    }
}
