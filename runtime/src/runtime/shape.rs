//! Reading unions: how well a JSON value fits each alternative (`Shape`,
//! with the fits of `fit.rs`), and the macros that give string enums and
//! structs their impls.

#[cfg(feature = "needs-unions")]
use super::fit::*;

/// `as_str`, `From<&str>`, `Display`, `FromStr` and serde for a string enum
/// of `models`, from its `VALUES` table: written once here, not in every enum.
#[allow(unused_macros)]
macro_rules! string_enum {
    ($name:ident) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    Self::Unknown(value) => value,
                    known => Self::VALUES
                        .iter()
                        .find(|(variant, _)| variant == known)
                        .map_or("", |(_, value)| value),
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::VALUES
                    .iter()
                    .find(|(_, known)| *known == value)
                    .map_or_else(
                        || Self::Unknown(::std::string::String::from(value)),
                        |(variant, _)| variant.clone(),
                    )
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #[cfg(feature = "needs-unions")]
        impl $crate::runtime::Shape for $name {
            fn fit(value: &::serde_json::Value) -> ::std::option::Option<$crate::runtime::Fit> {
                $crate::runtime::string_fit(value, |text| {
                    Self::VALUES.iter().any(|(_, known)| *known == text)
                })
            }
        }

        // Any string reads as a string enum (`Unknown` if not listed).
        #[cfg(feature = "needs-tolerant")]
        impl $crate::runtime::Described for $name {
            fn node() -> $crate::runtime::Declared {
                $crate::runtime::Declared::String
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            // Not `Self::Err`: a variant may be named `Err`.
            fn from_str(value: &str) -> ::std::result::Result<Self, ::std::convert::Infallible> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                // A visitor, so that a known value is read without allocating a
                // String. Named as no model can be (a model's name is
                // UpperCamelCase, which never starts with `_`).
                struct __Visitor;

                impl<'de> ::serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str("a string")
                    }

                    fn visit_str<E: ::serde::de::Error>(
                        self,
                        value: &str,
                    ) -> ::std::result::Result<$name, E> {
                        ::std::result::Result::Ok(<$name>::from(value))
                    }
                }

                deserializer.deserialize_str(__Visitor)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use string_enum;

/// `Shape` for a struct of `models` that is an alternative of a union: its
/// property names, the ones it cannot do without, its one-value properties.
#[allow(unused_macros)]
macro_rules! object_shape {
    ($name:ident, [$($field:literal),*], [$($required:literal),*], [$(($key:literal, $value:literal)),*]) => {
        impl $crate::runtime::Shape for $name {
            fn fit(value: &::serde_json::Value) -> ::std::option::Option<$crate::runtime::Fit> {
                $crate::runtime::object_fit(value, &[$($field),*], &[$($required),*], &[$(($key, $value)),*])
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use object_shape;

/// A type a union may hold, and how well a JSON value fits it (`None`: it cannot be that).
#[cfg(feature = "needs-unions")]
pub trait Shape {
    fn fit(value: &::serde_json::Value) -> Option<Fit>;
}

/// The alternatives that are no named type: a value of their JSON kind
/// fits, with nothing left unread (any value fits `serde_json::Value`, with
/// nothing read). Trait impls, so that a union names every alternative's
/// fit the same way, `<T as Shape>::fit`.
#[cfg(feature = "needs-unions")]
macro_rules! kind_shape {
    ($($ty:ty => $is:expr;)*) => {$(
        impl Shape for $ty {
            fn fit(value: &::serde_json::Value) -> Option<Fit> {
                let is: fn(&::serde_json::Value) -> bool = $is;
                kind_fit(is(value))
            }
        }
    )*};
}

#[cfg(feature = "needs-unions")]
impl Shape for String {
    fn fit(value: &::serde_json::Value) -> Option<Fit> {
        string_fit(value, |_| true)
    }
}

#[cfg(feature = "needs-unions")]
kind_shape! {
    i64 => |v| v.is_i64() || v.is_u64();
    f64 => ::serde_json::Value::is_number;
    bool => ::serde_json::Value::is_boolean;
    ::serde_json::Map<String, ::serde_json::Value> => ::serde_json::Value::is_object;
}

#[cfg(feature = "needs-unions")]
impl<T> Shape for Vec<T> {
    fn fit(value: &::serde_json::Value) -> Option<Fit> {
        kind_fit(value.is_array())
    }
}

#[cfg(feature = "needs-unions")]
impl<V> Shape for ::std::collections::BTreeMap<String, V> {
    fn fit(value: &::serde_json::Value) -> Option<Fit> {
        kind_fit(value.is_object())
    }
}

#[cfg(feature = "needs-unions")]
impl Shape for ::serde_json::Value {
    fn fit(_: &::serde_json::Value) -> Option<Fit> {
        Some(any_fit())
    }
}

/// The best fit of any of `fits` (for a union that is itself an alternative).
#[cfg(feature = "needs-unions")]
pub(crate) fn best_fit(value: &::serde_json::Value, fits: &[FitFn]) -> Option<Fit> {
    fits.iter().filter_map(|f| f(value)).max()
}

/// How well a value fits an alternative.
#[cfg(feature = "needs-unions")]
pub(crate) type FitFn = fn(&::serde_json::Value) -> Option<Fit>;

/// Read a value as an alternative (`true`: tolerantly, see `read_value`).
#[cfg(feature = "needs-pick")]
pub(crate) type ReadFn<U> = fn(&::serde_json::Value, bool) -> Result<U, ::serde_json::Error>;

/// Read `value` as the alternative it fits best (the first listed among
/// equals) that reads it; when none reads it as it is, as the one it fits
/// best, read tolerantly (docs/decoding.md); as `unknown` when it fits
/// none.
#[cfg(feature = "needs-pick")]
pub(crate) fn pick<U>(
    value: ::serde_json::Value,
    alternatives: &[(FitFn, ReadFn<U>)],
    unknown: fn(::serde_json::Value) -> U,
) -> U {
    let ranked = ranked(alternatives.iter().map(|(fit, _)| fit(&value)));
    for i in &ranked {
        if let Ok(read) = (alternatives[*i].1)(&value, false) {
            return read;
        }
    }
    if let Some(best) = ranked.first() {
        if let Ok(read) = (alternatives[*best].1)(&value, true) {
            return read;
        }
    }
    unknown(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::read_value;
    use ::serde_json::json;

    #[test]
    fn a_value_read_as_a_model_names_where_it_does_not_fit() {
        let error = read_value::<Vec<i64>>(&json!([1, "x"]), false).unwrap_err();
        assert_eq!(error.line(), 0);
        assert_eq!(
            error.to_string(),
            "`[1]`: invalid type: string \"x\", expected i64"
        );
        assert_eq!(
            read_value::<Vec<i64>>(&json!([1, 2]), false).unwrap(),
            vec![1, 2]
        );
        // Tolerantly, a scalar converts where nothing is lost.
        assert_eq!(
            read_value::<Vec<i64>>(&json!([1, "2"]), true).unwrap(),
            vec![1, 2]
        );
    }

    #[derive(Debug, PartialEq)]
    enum Value {
        Text(String),
        Number(i64),
        Unknown(::serde_json::Value),
    }

    fn read_text(v: &::serde_json::Value, tolerant: bool) -> Result<Value, ::serde_json::Error> {
        read_value(v, tolerant).map(Value::Text)
    }

    fn read_number(v: &::serde_json::Value, tolerant: bool) -> Result<Value, ::serde_json::Error> {
        read_value(v, tolerant).map(Value::Number)
    }

    #[test]
    fn a_union_reads_as_the_alternative_that_fits() {
        let alternatives: [(FitFn, ReadFn<Value>); 2] = [
            (<String as Shape>::fit, read_text),
            (<i64 as Shape>::fit, read_number),
        ];
        assert_eq!(
            pick(json!("a"), &alternatives, Value::Unknown),
            Value::Text("a".into())
        );
        assert_eq!(
            pick(json!(3), &alternatives, Value::Unknown),
            Value::Number(3)
        );
        assert_eq!(
            pick(json!([1]), &alternatives, Value::Unknown),
            Value::Unknown(json!([1]))
        );
    }

    #[test]
    fn values_of_their_kind_fit_scalars_and_containers() {
        assert_eq!(<i64 as Shape>::fit(&json!(3)), Some(Fit::new(0, 1)));
        assert_eq!(<i64 as Shape>::fit(&json!(1.5)), None);
        assert_eq!(<f64 as Shape>::fit(&json!(1.5)), Some(Fit::new(0, 1)));
        assert_eq!(<String as Shape>::fit(&json!(3)), None);
        assert_eq!(<Vec<u8> as Shape>::fit(&json!([1])), Some(Fit::new(0, 1)));
        assert_eq!(<Vec<u8> as Shape>::fit(&json!({})), None);
        type Map = ::std::collections::BTreeMap<String, i64>;
        assert_eq!(<Map as Shape>::fit(&json!({"a": 1})), Some(Fit::new(0, 1)));
        assert_eq!(<bool as Shape>::fit(&json!("true")), None);
        // Anything fits an untyped value, and reads nothing: any typed fit beats it.
        assert_eq!(
            <::serde_json::Value as Shape>::fit(&json!([1])),
            Some(Fit::new(0, 0))
        );
        assert!(Fit::new(0, 0) < Fit::new(0, 1));
    }
}
