//! Parameters: path values (`PathValue`), query, header and cookie values,
//! each encoded so that it cannot change the request's route or shape.

use ::std::sync::Arc;

use super::*;

/// A value that can be a path parameter: a string or an integer, whatever
/// the API description declares for that parameter (its docs say which), so
/// an id read from one operation can be passed to another as it is.
///
/// Each value becomes exactly one path segment: every byte other than
/// `A`–`Z`, `a`–`z`, `0`–`9`, `-`, `.`, `_` and `~` is percent-encoded (so
/// `/`, `?`, `#` and `%` cannot change the route), and an empty value, `.`
/// or `..` is refused with [`Error::InvalidRequest`] before anything is
/// sent, since URL parsers would turn it into another route.
///
/// ```
/// use intercom_api::PathValue;
///
/// assert_eq!("123".to_path_value(), "123");
/// assert_eq!(123_i64.to_path_value(), "123");
/// assert_eq!(String::from("a/b").to_path_value(), "a/b"); // encoded when sent
/// ```
pub trait PathValue {
    /// The value as text, before it is percent-encoded.
    fn to_path_value(&self) -> String;
}

impl PathValue for str {
    fn to_path_value(&self) -> String {
        self.to_owned()
    }
}

impl PathValue for String {
    fn to_path_value(&self) -> String {
        self.clone()
    }
}

impl PathValue for ::std::borrow::Cow<'_, str> {
    fn to_path_value(&self) -> String {
        self.to_string()
    }
}

impl<T: PathValue + ?Sized> PathValue for &T {
    fn to_path_value(&self) -> String {
        (**self).to_path_value()
    }
}

impl<T: PathValue + ?Sized> PathValue for Box<T> {
    fn to_path_value(&self) -> String {
        (**self).to_path_value()
    }
}

impl<T: PathValue + ?Sized> PathValue for Arc<T> {
    fn to_path_value(&self) -> String {
        (**self).to_path_value()
    }
}

macro_rules! integer_path_values {
    ($($t:ty),*) => {$(
        impl PathValue for $t {
            fn to_path_value(&self) -> String {
                self.to_string()
            }
        }
    )*};
}

integer_path_values!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

/// The value of a parameter the API describes by `content` (a media type)
/// rather than by a schema: one string, its JSON text, which is then
/// encoded as any value of its location is.
#[cfg(feature = "needs-content-param")]
pub(crate) struct Json<'a, T: ?Sized>(pub(crate) &'a T);

#[cfg(feature = "needs-content-param")]
impl<T: ::serde::Serialize + ?Sized> ::serde::Serialize for Json<'_, T> {
    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = ::serde_json::to_string(self.0).map_err(::serde::ser::Error::custom)?;
        serializer.serialize_str(&text)
    }
}

/// Percent-encode every byte of `text` that `keep` does not keep.
#[cfg(any(
    feature = "needs-path-param",
    feature = "needs-cookie-param",
    feature = "needs-form-body"
))]
pub(crate) fn percent_encode(text: &str, keep: fn(u8) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if keep(byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// RFC 3986's unreserved characters: the only bytes a path segment or a
/// form field keeps as they are.
#[cfg(any(feature = "needs-path-param", feature = "needs-form-body"))]
pub(crate) fn unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// A value as text for `what` (a parameter, a part): strings bare, numbers
/// and booleans as JSON; an error when it does not serialize or has no
/// value (a NaN or infinite number serializes as `null`).
#[cfg(any(
    feature = "needs-path-param",
    feature = "needs-header-param",
    feature = "needs-cookie-param",
    feature = "needs-query-param"
))]
fn value_text<T: ::serde::Serialize + ?Sized>(
    what: &str,
    value: &T,
) -> Result<::serde_json::Value, Error> {
    let value = ::serde_json::to_value(value).map_err(|e| {
        Error::InvalidRequest(format!("{what}: the value cannot be serialized: {e}"))
    })?;
    if value.is_null() {
        return Err(Error::InvalidRequest(format!(
            "{what}: the value is null (a NaN or infinite number?) and cannot be sent"
        )));
    }
    Ok(value)
}

/// Path parameter `name`'s value as one percent-encoded segment; an error
/// for a value that does not serialize, is not a scalar, or is empty, `.`
/// or `..` (see [`PathValue`]).
#[cfg(feature = "needs-path-param")]
pub(crate) fn path_segment<T: ::serde::Serialize + ?Sized>(
    name: &str,
    value: &T,
) -> Result<String, Error> {
    let what = format!("path parameter `{name}`");
    let text = match value_text(&what, value)? {
        ::serde_json::Value::String(s) => s,
        ::serde_json::Value::Array(_) | ::serde_json::Value::Object(_) => {
            return Err(Error::InvalidRequest(format!(
                "{what}: a list or an object cannot be one path segment"
            )));
        }
        other => other.to_string(),
    };
    if matches!(text.as_str(), "" | "." | "..") {
        return Err(Error::InvalidRequest(format!(
            "{what}: {text:?} would change the route (an empty value, `.` and `..` are refused)"
        )));
    }
    Ok(percent_encode(&text, unreserved))
}

/// Refuse text that would end a header line or start another (CR, LF, NUL
/// and the other control characters but tab).
pub(crate) fn header_safe(what: &str, text: &str) -> Result<(), Error> {
    match text.chars().find(|c| c.is_ascii_control() && *c != '\t') {
        Some(c) => Err(Error::InvalidRequest(format!(
            "{what}: the value holds the control character {c:?}, which a header cannot carry"
        ))),
        None => Ok(()),
    }
}

/// A header parameter's value (`simple` style: a list comma-separated).
#[cfg(feature = "needs-header-param")]
pub(crate) fn header_text<T: ::serde::Serialize + ?Sized>(
    name: &str,
    value: &T,
) -> Result<String, Error> {
    let what = format!("header `{name}`");
    let text = match value_text(&what, value)? {
        ::serde_json::Value::Array(items) => items
            .iter()
            .filter_map(scalar_text)
            .collect::<Vec<_>>()
            .join(","),
        other => scalar_text(&other).unwrap_or_default(),
    };
    header_safe(&what, &text)?;
    Ok(text)
}

/// A cookie's value: bytes a cookie cannot hold (RFC 6265's `cookie-octet`
/// excludes controls, space, `"`, `,`, `;` and `\`) percent-encoded, and `%`
/// with them.
#[cfg(feature = "needs-cookie-param")]
pub(crate) fn cookie_text<T: ::serde::Serialize + ?Sized>(
    name: &str,
    value: &T,
) -> Result<String, Error> {
    let what = format!("cookie `{name}`");
    let text = match value_text(&what, value)? {
        ::serde_json::Value::Array(items) => items
            .iter()
            .filter_map(scalar_text)
            .collect::<Vec<_>>()
            .join(","),
        other => scalar_text(&other).unwrap_or_default(),
    };
    Ok(percent_encode(&text, |b| {
        b.is_ascii_graphic() && !matches!(b, b'"' | b',' | b';' | b'\\' | b'%')
    }))
}

/// Add a parameter to a query: scalars as text, arrays as repeated keys,
/// objects as one pair per property (`form` style, exploded); null members
/// of an object are left out (absent fields). The query string is encoded
/// when the request is built, so no value can add a parameter.
#[cfg(feature = "needs-query-param")]
pub(crate) fn push_query<T: ::serde::Serialize + ?Sized>(
    pairs: &mut Vec<(String, String)>,
    name: &str,
    value: &T,
) -> Result<(), Error> {
    match value_text(&format!("query parameter `{name}`"), value)? {
        ::serde_json::Value::Array(items) => {
            for item in items {
                if let Some(text) = scalar_text(&item) {
                    pairs.push((name.into(), text));
                }
            }
        }
        ::serde_json::Value::Object(map) => {
            for (key, item) in map {
                if let Some(text) = scalar_text(&item) {
                    pairs.push((key, text));
                }
            }
        }
        other => pairs.extend(scalar_text(&other).map(|text| (name.into(), text))),
    }
    Ok(())
}

/// A value as it goes in a query, header or form field: strings bare, the
/// rest as JSON; `None` for null (an absent value).
#[cfg(any(
    feature = "needs-header-param",
    feature = "needs-cookie-param",
    feature = "needs-query-param",
    feature = "needs-form-body",
    feature = "needs-multipart-body"
))]
pub(crate) fn scalar_text(value: &::serde_json::Value) -> Option<String> {
    match value {
        ::serde_json::Value::Null => None,
        ::serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused<T: ::std::fmt::Debug>(result: Result<T, Error>) -> String {
        match result {
            Err(Error::InvalidRequest(message)) => message,
            other => panic!("expected Error::InvalidRequest, got {other:?}"),
        }
    }

    #[test]
    fn a_path_value_is_one_segment() {
        assert_eq!(
            path_segment("id", "a/b?c#d%2e é").unwrap(),
            "a%2Fb%3Fc%23d%252e%20%C3%A9"
        );
        assert_eq!(path_segment("id", "a-b.c_d~e").unwrap(), "a-b.c_d~e");
        assert_eq!(path_segment("id", "...").unwrap(), "...");
        assert_eq!(path_segment("id", &42_i64).unwrap(), "42");
        assert_eq!(path_segment("id", &true).unwrap(), "true");
    }

    #[test]
    fn dot_segments_empty_and_unsendable_values_are_refused() {
        for bad in ["", ".", ".."] {
            assert!(refused(path_segment("tag_id", bad)).contains("path parameter `tag_id`"));
        }
        assert!(refused(path_segment("n", &f64::NAN)).contains("null"));
        assert!(refused(path_segment("n", &[1, 2])).contains("list"));
        assert!(refused(path_segment("n", &Option::<String>::None)).contains("null"));
    }

    #[test]
    fn path_values_are_strings_and_integers() {
        assert_eq!("x".to_path_value(), "x");
        assert_eq!(String::from("x").to_path_value(), "x");
        assert_eq!((&&"x").to_path_value(), "x");
        assert_eq!(Arc::<str>::from("x").to_path_value(), "x");
        assert_eq!(u8::MAX.to_path_value(), "255");
        assert_eq!(i128::MIN.to_path_value(), i128::MIN.to_string());
    }

    #[test]
    fn header_values_cannot_end_their_line() {
        for bad in ["a\r\nX: 1", "a\n", "a\r", "a\0", "a\u{7f}"] {
            assert!(
                refused(header_text("X-Reason", bad)).contains("header `X-Reason`"),
                "{bad:?}"
            );
        }
        assert_eq!(header_text("X", "a\tb é").unwrap(), "a\tb é");
        assert_eq!(header_text("X", &["a", "b"]).unwrap(), "a,b");
        assert_eq!(header_text("X", &7).unwrap(), "7");
    }

    #[test]
    fn a_content_parameter_is_its_json_text() {
        let filter = ::serde_json::json!({"field": "a/b", "n": 1});
        let mut pairs = Vec::new();
        push_query(&mut pairs, "filter", &Json(&filter)).unwrap();
        assert_eq!(
            pairs,
            [("filter".to_string(), r#"{"field":"a/b","n":1}"#.to_string())]
        );
        assert_eq!(
            path_segment("f", &Json(&filter)).unwrap(),
            "%7B%22field%22%3A%22a%2Fb%22%2C%22n%22%3A1%7D"
        );
        assert_eq!(header_text("X-Filter", &Json(&"x")).unwrap(), r#""x""#);
    }

    #[test]
    fn cookie_values_cannot_add_a_cookie() {
        assert_eq!(
            cookie_text("s", "a; b=c,\"d\\ %").unwrap(),
            "a%3B%20b=c%2C%22d%5C%20%25"
        );
    }

    #[test]
    fn query_values_land_in_their_parameter() {
        let mut pairs = Vec::new();
        push_query(&mut pairs, "tag", &["a", "b"]).unwrap();
        push_query(&mut pairs, "n", &3).unwrap();
        push_query(
            &mut pairs,
            "filter",
            &::serde_json::json!({"x": 1, "y": null}),
        )
        .unwrap();
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(pairs, [("tag", "a"), ("tag", "b"), ("n", "3"), ("x", "1")]);
        assert!(refused(push_query(&mut Vec::new(), "w", &f64::INFINITY))
            .contains("query parameter `w`"));
    }
}
