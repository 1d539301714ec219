//! Search queries as Intercom documents them: a filter names a field, an
//! operator and a value; a group joins filters (or groups) with `AND` or
//! `OR`. A crate's area with a query search has a module (`<area>::search`)
//! with a function per field its description lists, returning a field whose
//! methods are the operators that field accepts ([`search_field!`]), so that
//! a query Intercom would refuse for its operators does not compile; the
//! limits on nesting and group size are checked before the request is sent
//! ([`Query::check`]).

use super::Error;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

/// What Intercom accepts of a query's shape: how deeply groups nest (a
/// group inside a group is two levels), and how many filters or groups one
/// group holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchLimits {
    pub depth: usize,
    pub group: usize,
}

/// A search query: one filter (`contacts::search::email().eq("a@x.com")`),
/// or a group of queries joined by `AND` or `OR`.
///
/// SearchJoin two with [`and`](Self::and) or [`or`](Self::or) (chaining the same
/// operator adds to one group: `a.or(b).or(c)` is one `OR` of three), or
/// any number with the search module's `and` and `or` functions. A search
/// builder's `query` sets it as the request's query; it is checked against
/// Intercom's limits when the request is sent, and a query beyond them is
/// refused with [`Error::InvalidRequest`] before anything goes out.
///
/// It is written as Intercom's search body writes a query
/// (`serde_json::to_value(&query)`).
#[derive(Debug, Clone, PartialEq)]
pub struct Query(SearchNode);

#[derive(Debug, Clone, PartialEq)]
enum SearchNode {
    /// `value` is `None` when it cannot be written as JSON (a NaN).
    Filter {
        field: String,
        operator: &'static str,
        value: Option<Value>,
    },
    Group {
        operator: SearchJoin,
        items: Vec<Query>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SearchJoin {
    And,
    Or,
}

impl SearchJoin {
    fn symbol(self) -> &'static str {
        match self {
            SearchJoin::And => "AND",
            SearchJoin::Or => "OR",
        }
    }
}

impl Query {
    /// A filter: what a search field's operator method returns.
    pub(crate) fn filter(field: String, operator: &'static str, value: Option<Value>) -> Query {
        Query(SearchNode::Filter {
            field,
            operator,
            value,
        })
    }

    /// Both this query and `other` (`AND`). If this query is an `AND`
    /// group, `other` joins it.
    pub fn and(self, other: Query) -> Query {
        self.join(SearchJoin::And, other)
    }

    /// Either this query or `other` (`OR`). If this query is an `OR`
    /// group, `other` joins it.
    pub fn or(self, other: Query) -> Query {
        self.join(SearchJoin::Or, other)
    }

    fn join(self, operator: SearchJoin, other: Query) -> Query {
        match self.0 {
            SearchNode::Group {
                operator: have,
                mut items,
            } if have == operator => {
                items.push(other);
                Query(SearchNode::Group { operator, items })
            }
            node => Query(SearchNode::Group {
                operator,
                items: vec![Query(node), other],
            }),
        }
    }

    /// How many levels of groups it has: a filter none, a group of filters
    /// one, a group holding a group two.
    fn depth(&self) -> usize {
        match &self.0 {
            SearchNode::Filter { .. } => 0,
            SearchNode::Group { items, .. } => {
                1 + items.iter().map(Query::depth).max().unwrap_or(0)
            }
        }
    }

    /// Whether Intercom would accept it for its shape: groups nested no
    /// deeper than `limits.depth`, none empty nor holding more than
    /// `limits.group` queries, and every value one JSON can hold.
    pub(crate) fn check(&self, limits: SearchLimits) -> Result<(), Error> {
        let depth = self.depth();
        if depth > limits.depth {
            return Err(Error::InvalidRequest(format!(
                "the search query nests groups {depth} levels deep: Intercom accepts at most {} (a group inside a group)",
                limits.depth
            )));
        }
        self.check_groups(limits)
    }

    fn check_groups(&self, limits: SearchLimits) -> Result<(), Error> {
        match &self.0 {
            SearchNode::Filter {
                field,
                operator,
                value: None,
            } => Err(Error::InvalidRequest(format!(
                "the value searched with `{field}` `{operator}` cannot be written as JSON (a number that is not finite)"
            ))),
            SearchNode::Filter { .. } => Ok(()),
            SearchNode::Group { operator, items } => {
                let operator = operator.symbol();
                if items.is_empty() {
                    return Err(Error::InvalidRequest(format!(
                        "a search `{operator}` group holds no filter"
                    )));
                }
                if items.len() > limits.group {
                    return Err(Error::InvalidRequest(format!(
                        "a search `{operator}` group holds {} filters: Intercom accepts at most {} in one group",
                        items.len(),
                        limits.group
                    )));
                }
                items.iter().try_for_each(|q| q.check_groups(limits))
            }
        }
    }
}

impl Serialize for Query {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            SearchNode::Filter {
                field,
                operator,
                value,
            } => {
                let mut map = serializer.serialize_map(Some(3))?;
                map.serialize_entry("field", field)?;
                map.serialize_entry("operator", operator)?;
                map.serialize_entry("value", value)?;
                map.end()
            }
            SearchNode::Group { operator, items } => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("operator", operator.symbol())?;
                map.serialize_entry("value", items)?;
                map.end()
            }
        }
    }
}

/// Every one of `queries` (one `AND` group, however many they are).
pub fn and(queries: impl IntoIterator<Item = Query>) -> Query {
    Query(SearchNode::Group {
        operator: SearchJoin::And,
        items: queries.into_iter().collect(),
    })
}

/// Any one of `queries` (one `OR` group, however many they are).
pub fn or(queries: impl IntoIterator<Item = Query>) -> Query {
    Query(SearchNode::Group {
        operator: SearchJoin::Or,
        items: queries.into_iter().collect(),
    })
}

/// A search request's JSON body: `body` as it is (its other properties,
/// the page size among them), with `query` at `property`; the query is
/// checked against `limits` first.
pub(crate) fn search_body<T: Serialize>(
    body: Option<&T>,
    property: &str,
    query: &Query,
    limits: SearchLimits,
) -> Result<Vec<u8>, Error> {
    query.check(limits)?;
    let body = match body {
        Some(body) => {
            serde_json::to_value(body).map_err(|e| Error::InvalidRequest(e.to_string()))?
        }
        None => Value::Object(serde_json::Map::new()),
    };
    let Value::Object(mut body) = body else {
        return Err(Error::InvalidRequest(
            "the search body is not a JSON object: it cannot carry a query".into(),
        ));
    };
    let query = serde_json::to_value(query).map_err(|e| Error::InvalidRequest(e.to_string()))?;
    body.insert(property.to_string(), query);
    serde_json::to_vec(&body).map_err(|e| Error::InvalidRequest(e.to_string()))
}

/// A kind of search field (`TextField: text { eq ne }`): a struct holding the field's name, whose
/// methods are the operators the field accepts, each taking a value of the
/// field's type: `text` (`impl Into<String>`), `integer` (`i64`), `number`
/// (`f64`), `date` (Unix seconds, written as Intercom's examples write
/// them, a string of digits), `boolean`, `any` (any JSON value), or
/// `values(E)` (one of the values of an enum made by [`search_values!`]).
/// The operators: `eq` (`=`), `ne` (`!=`), `in_` (`IN`), `nin` (`NIN`),
/// `gt` (`>`), `lt` (`<`), `ge` (`>=`), `le` (`<=`), `contains` (`~`),
/// `not_contains` (`!~`), `starts_with` (`^`), `ends_with` (`$`).
#[allow(unused_macros)]
macro_rules! search_field {
    ($name:ident: text { $($op:ident)* }) => {
        $crate::runtime::search_field!(@kind $name, "text (`impl Into<String>`)", ::std::string::String,
            |v: ::std::string::String| ::std::option::Option::Some(::serde_json::Value::String(v)), $($op)*);
    };
    ($name:ident: integer { $($op:ident)* }) => {
        $crate::runtime::search_field!(@kind $name, "an integer", i64,
            |v: i64| ::std::option::Option::Some(::serde_json::Value::from(v)), $($op)*);
    };
    ($name:ident: number { $($op:ident)* }) => {
        $crate::runtime::search_field!(@kind $name, "a number", f64,
            |v: f64| ::serde_json::Number::from_f64(v).map(::serde_json::Value::Number), $($op)*);
    };
    ($name:ident: date { $($op:ident)* }) => {
        $crate::runtime::search_field!(@kind $name, "a date, in Unix seconds", i64,
            |v: i64| ::std::option::Option::Some(::serde_json::Value::String(v.to_string())), $($op)*);
    };
    ($name:ident: boolean { $($op:ident)* }) => {
        $crate::runtime::search_field!(@kind $name, "a `bool`", bool,
            |v: bool| ::std::option::Option::Some(::serde_json::Value::Bool(v)), $($op)*);
    };
    ($name:ident: any { $($op:ident)* }) => {
        $crate::runtime::search_field!(@kind $name, "any JSON value", ::serde_json::Value,
            |v: ::serde_json::Value| ::std::option::Option::Some(v), $($op)*);
    };
    ($name:ident: values($values:ident) { $($op:ident)* }) => {
        $crate::runtime::search_field!(@kind $name, ::std::concat!("a [`", ::std::stringify!($values), "`]"), $values,
            |v: $values| ::std::option::Option::Some(::serde_json::Value::from(v.as_str())), $($op)*);
    };
    (@kind $name:ident, $takes:expr, $value:ty, $encode:expr, $($op:ident)*) => {
        #[doc = ::std::concat!("A search field that takes ", $takes, ": its methods are the operators it accepts.")]
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(::std::string::String);

        impl $name {
            fn named(name: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self(name.into())
            }

            $($crate::runtime::search_operator!($op, $value, $encode);)*
        }
    };
}
#[allow(unused_imports)]
pub(crate) use search_field;

/// One operator method of a [`search_field!`].
#[allow(unused_macros)]
macro_rules! search_operator {
    (eq, $value:ty, $encode:expr) => {
        $crate::runtime::search_operator!(@one eq, "=", "equal to", $value, $encode);
    };
    (ne, $value:ty, $encode:expr) => {
        $crate::runtime::search_operator!(@one ne, "!=", "not equal to", $value, $encode);
    };
    (gt, $value:ty, $encode:expr) => {
        $crate::runtime::search_operator!(@one gt, ">", "greater than", $value, $encode);
    };
    (lt, $value:ty, $encode:expr) => {
        $crate::runtime::search_operator!(@one lt, "<", "lower than", $value, $encode);
    };
    (ge, $value:ty, $encode:expr) => {
        $crate::runtime::search_operator!(@one ge, ">=", "greater than or equal to", $value, $encode);
    };
    (le, $value:ty, $encode:expr) => {
        $crate::runtime::search_operator!(@one le, "<=", "lower than or equal to", $value, $encode);
    };
    (contains, $value:ty, $encode:expr) => {
        $crate::runtime::search_operator!(@one contains, "~", "containing", $value, $encode);
    };
    (not_contains, $value:ty, $encode:expr) => {
        $crate::runtime::search_operator!(@one not_contains, "!~", "not containing", $value, $encode);
    };
    (starts_with, $value:ty, $encode:expr) => {
        $crate::runtime::search_operator!(@one starts_with, "^", "starting with", $value, $encode);
    };
    (ends_with, $value:ty, $encode:expr) => {
        $crate::runtime::search_operator!(@one ends_with, "$", "ending with", $value, $encode);
    };
    (in_, $value:ty, $encode:expr) => {
        $crate::runtime::search_operator!(@many in_, "IN", "equal to one of", $value, $encode);
    };
    (nin, $value:ty, $encode:expr) => {
        $crate::runtime::search_operator!(@many nin, "NIN", "equal to none of", $value, $encode);
    };
    (@one $method:ident, $symbol:literal, $says:literal, $value:ty, $encode:expr) => {
        #[doc = ::std::concat!("Matches where the field is ", $says, " `value` (`", $symbol, "`).")]
        pub fn $method(self, value: impl ::std::convert::Into<$value>) -> $crate::runtime::Query {
            $crate::runtime::Query::filter(self.0, $symbol, ($encode)(value.into()))
        }
    };
    (@many $method:ident, $symbol:literal, $says:literal, $value:ty, $encode:expr) => {
        #[doc = ::std::concat!("Matches where the field is ", $says, " `values` (`", $symbol, "`): any list or array of them.")]
        pub fn $method<I>(self, values: I) -> $crate::runtime::Query
        where
            I: ::std::iter::IntoIterator,
            I::Item: ::std::convert::Into<$value>,
        {
            let values: ::std::option::Option<::std::vec::Vec<::serde_json::Value>> =
                values.into_iter().map(|v| ($encode)(v.into())).collect();
            $crate::runtime::Query::filter(self.0, $symbol, values.map(::serde_json::Value::Array))
        }
    };
}
#[allow(unused_imports)]
pub(crate) use search_operator;

/// The values a search field accepts, where its description lists them:
/// an enum whose `as_str` is each value as Intercom spells it.
#[allow(unused_macros)]
macro_rules! search_values {
    ($name:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        #[doc = "The values a search field accepts, where its description lists them."]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $(#[doc = ::std::concat!("`", $wire, "`")] $variant,)*
        }

        impl $name {
            /// The value as Intercom spells it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire,)*
                }
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use search_values;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    mod fields {
        crate::runtime::search_values!(Role { User = "user", Lead = "lead" });
        crate::runtime::search_field!(TextField: text { eq ne in_ nin contains not_contains starts_with ends_with });
        crate::runtime::search_field!(DateField: date { eq gt lt });
        crate::runtime::search_field!(IntegerField: integer { eq ne in_ nin gt lt ge le });
        crate::runtime::search_field!(NumberField: number { eq });
        crate::runtime::search_field!(BooleanField: boolean { eq ne });
        crate::runtime::search_field!(AnyField: any { eq in_ });
        crate::runtime::search_field!(RoleField: values(Role) { eq in_ });

        pub fn email() -> TextField {
            TextField::named("email")
        }
        pub fn created_at() -> DateField {
            DateField::named("created_at")
        }
        pub fn owner_id() -> IntegerField {
            IntegerField::named("owner_id")
        }
        pub fn score() -> NumberField {
            NumberField::named("score")
        }
        pub fn open() -> BooleanField {
            BooleanField::named("open")
        }
        pub fn role() -> RoleField {
            RoleField::named("role")
        }
        pub fn custom_attribute(name: &str) -> AnyField {
            AnyField::named(format!("custom_attributes.{name}"))
        }
    }
    use fields::*;

    const LIMITS: SearchLimits = SearchLimits {
        depth: 2,
        group: 15,
    };

    fn json(q: &Query) -> Value {
        serde_json::to_value(q).unwrap()
    }

    #[test]
    fn each_operator_writes_its_symbol_and_value() {
        assert_eq!(
            json(&email().in_(["a@x.com", "b@x.com"])),
            json!({"field": "email", "operator": "IN", "value": ["a@x.com", "b@x.com"]})
        );
        assert_eq!(
            json(&email().starts_with("ann")),
            json!({"field": "email", "operator": "^", "value": "ann"})
        );
        assert_eq!(json(&email().ends_with("x"))["operator"], "$");
        assert_eq!(json(&email().contains("x"))["operator"], "~");
        assert_eq!(json(&email().not_contains("x"))["operator"], "!~");
        assert_eq!(json(&email().ne("x"))["operator"], "!=");
        assert_eq!(json(&email().nin(vec!["x".to_string()]))["operator"], "NIN");
        assert_eq!(
            json(&created_at().gt(1306054154)),
            json!({"field": "created_at", "operator": ">", "value": "1306054154"})
        );
        assert_eq!(json(&created_at().lt(5))["operator"], "<");
        assert_eq!(
            json(&owner_id().ge(3)),
            json!({"field": "owner_id", "operator": ">=", "value": 3})
        );
        assert_eq!(json(&owner_id().le(3))["operator"], "<=");
        assert_eq!(json(&owner_id().in_([1, 2]))["value"], json!([1, 2]));
        assert_eq!(json(&open().eq(true))["value"], json!(true));
        assert_eq!(json(&score().eq(2.5))["value"], json!(2.5));
        assert_eq!(
            json(&role().in_([Role::User, Role::Lead]))["value"],
            json!(["user", "lead"])
        );
        assert_eq!(
            json(&custom_attribute("plan").eq("pro")),
            json!({"field": "custom_attributes.plan", "operator": "=", "value": "pro"})
        );
    }

    #[test]
    fn chaining_one_operator_makes_one_flat_group() {
        let q = email().eq("a").or(email().eq("b")).or(email().eq("c"));
        assert_eq!(
            json(&q),
            json!({"operator": "OR", "value": [
                {"field": "email", "operator": "=", "value": "a"},
                {"field": "email", "operator": "=", "value": "b"},
                {"field": "email", "operator": "=", "value": "c"},
            ]})
        );
        let q = email().eq("a").or(email().eq("b")).and(open().eq(true));
        assert_eq!(
            json(&q),
            json!({"operator": "AND", "value": [
                {"operator": "OR", "value": [
                    {"field": "email", "operator": "=", "value": "a"},
                    {"field": "email", "operator": "=", "value": "b"},
                ]},
                {"field": "open", "operator": "=", "value": true},
            ]})
        );
        assert_eq!(
            json(&and([
                open().eq(true),
                owner_id().eq(1),
                created_at().lt(2)
            ]))["value"]
                .as_array()
                .map(Vec::len),
            Some(3)
        );
        assert_eq!(json(&or([open().eq(true)]))["operator"], "OR");
    }

    #[test]
    fn limits_are_checked() {
        let filters = |n: i64| (0..n).map(|i| owner_id().eq(i));
        assert!(or(filters(15)).check(LIMITS).is_ok());
        let refused = or(filters(16)).check(LIMITS);
        assert!(
            matches!(&refused, Err(Error::InvalidRequest(m)) if m.contains("16 filters") && m.contains("at most 15")),
            "{refused:?}"
        );
        let two = and([or(filters(2)), or(filters(2))]);
        assert!(two.check(LIMITS).is_ok());
        let three = and([or([and(filters(2)), open().eq(true)]), open().eq(false)]);
        let refused = three.check(LIMITS);
        assert!(
            matches!(&refused, Err(Error::InvalidRequest(m)) if m.contains("3 levels") && m.contains("at most 2")),
            "{refused:?}"
        );
        // A group too big inside an acceptable one.
        let inner = and([or(filters(16)), open().eq(true)]);
        assert!(inner.check(LIMITS).is_err());
        assert!(
            matches!(or([]).check(LIMITS), Err(Error::InvalidRequest(m)) if m.contains("no filter"))
        );
        assert!(email().eq("a").check(LIMITS).is_ok());
        let nan = score().eq(f64::NAN);
        assert!(
            matches!(nan.check(LIMITS), Err(Error::InvalidRequest(m)) if m.contains("`score` `=`"))
        );
        assert!(or([open().eq(true), score().eq(f64::INFINITY)])
            .check(LIMITS)
            .is_err());
    }

    #[test]
    fn the_query_goes_into_the_body_beside_its_other_properties() {
        let body = json!({"query": {"field": "x", "operator": "=", "value": 1}, "pagination": {"per_page": 5}});
        let sent = search_body(Some(&body), "query", &email().eq("a"), LIMITS).unwrap();
        let sent: Value = serde_json::from_slice(&sent).unwrap();
        assert_eq!(
            sent,
            json!({"query": {"field": "email", "operator": "=", "value": "a"}, "pagination": {"per_page": 5}})
        );
        let sent = search_body(None::<&Value>, "query", &email().eq("a"), LIMITS).unwrap();
        assert_eq!(
            serde_json::from_slice::<Value>(&sent).unwrap(),
            json!({"query": {"field": "email", "operator": "=", "value": "a"}})
        );
        assert!(search_body(Some(&json!([1])), "query", &email().eq("a"), LIMITS).is_err());
        assert!(search_body(None::<&Value>, "query", &or([]), LIMITS).is_err());
    }
}
