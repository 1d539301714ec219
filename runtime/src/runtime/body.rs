//! Request bodies: JSON, `multipart/form-data` (with `FilePart`) and
//! `application/x-www-form-urlencoded`.

#[cfg(any(
    feature = "needs-unions",
    feature = "needs-multipart-body",
    feature = "needs-form-body",
    feature = "needs-required",
    feature = "needs-json-body"
))]
use super::*;

/// A file to upload (a `format: binary` property of a `multipart/form-data`
/// body, or a binary body): its bytes, and optionally the file name and
/// media type sent with them.
///
/// ```
/// let part = intercom_api::FilePart::new(b"hello".to_vec())
///     .file_name("hello.txt")
///     .content_type("text/plain");
/// assert_eq!(part.bytes, b"hello");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FilePart {
    pub bytes: Vec<u8>,
    /// Sent as the part's `filename` (default: `file`).
    pub file_name: Option<String>,
    /// Sent as the part's `Content-Type` (default: `application/octet-stream`).
    pub content_type: Option<String>,
}

impl FilePart {
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        FilePart {
            bytes: bytes.into(),
            file_name: None,
            content_type: None,
        }
    }

    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    pub fn content_type(mut self, media_type: impl Into<String>) -> Self {
        self.content_type = Some(media_type.into());
        self
    }
}

impl From<Vec<u8>> for FilePart {
    fn from(bytes: Vec<u8>) -> Self {
        FilePart::new(bytes)
    }
}

impl From<&[u8]> for FilePart {
    fn from(bytes: &[u8]) -> Self {
        FilePart::new(bytes)
    }
}

/// In a JSON body or response, a binary property is its text.
impl ::serde::Serialize for FilePart {
    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&String::from_utf8_lossy(&self.bytes))
    }
}

impl<'de> ::serde::Deserialize<'de> for FilePart {
    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <String as ::serde::Deserialize>::deserialize(deserializer)?;
        Ok(FilePart::new(text.into_bytes()))
    }
}

/// A file as an alternative of a union: it travels as text.
#[cfg(feature = "needs-unions")]
impl Shape for FilePart {
    fn fit(value: &::serde_json::Value) -> Option<Fit> {
        kind_fit(value.is_string())
    }
}

/// A `multipart/form-data` body, part by part (RFC 7578, with names and file
/// names escaped as browsers do: `"` as `%22`, CR as `%0D`, LF as `%0A`, so
/// no name can end its header line or start another; other characters,
/// non-ASCII ones included, are sent as UTF-8).
#[cfg(feature = "needs-multipart-body")]
pub(crate) struct Multipart {
    boundary: String,
    bytes: Vec<u8>,
}

/// A part's name or file name, escaped for its quoted header parameter.
#[cfg(feature = "needs-multipart-body")]
fn part_name(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

#[cfg(feature = "needs-multipart-body")]
impl Multipart {
    pub(crate) fn new() -> Self {
        let boundary = format!(
            "intercom-{:016x}{:016x}",
            ::fastrand::u64(..),
            ::fastrand::u64(..)
        );
        Multipart {
            boundary,
            bytes: Vec::new(),
        }
    }

    fn head(&mut self, name: &str, file: Option<&FilePart>) -> Result<(), Error> {
        let mut head = format!(
            "--{}\r\nContent-Disposition: form-data; name=\"{}\"",
            self.boundary,
            part_name(name)
        );
        if let Some(file) = file {
            let file_name = part_name(file.file_name.as_deref().unwrap_or("file"));
            let media = file
                .content_type
                .as_deref()
                .unwrap_or("application/octet-stream");
            header_safe(&format!("the content type of part `{name}`"), media)?;
            head.push_str(&format!(
                "; filename=\"{file_name}\"\r\nContent-Type: {media}"
            ));
        }
        head.push_str("\r\n\r\n");
        self.bytes.extend_from_slice(head.as_bytes());
        Ok(())
    }

    /// A text part per value: scalars as text, arrays one part per item,
    /// objects as JSON; a null (absent) value adds none.
    pub(crate) fn text<T: ::serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), Error> {
        let value = ::serde_json::to_value(value).map_err(|e| {
            Error::InvalidRequest(format!(
                "part `{name}`: the value cannot be serialized: {e}"
            ))
        })?;
        for text in form_texts(&value) {
            self.head(name, None)?;
            self.bytes.extend_from_slice(text.as_bytes());
            self.bytes.extend_from_slice(b"\r\n");
        }
        Ok(())
    }

    /// A file part.
    #[cfg(feature = "needs-multipart-file")]
    pub(crate) fn file(&mut self, name: &str, file: &FilePart) -> Result<(), Error> {
        self.head(name, Some(file))?;
        self.bytes.extend_from_slice(&file.bytes);
        self.bytes.extend_from_slice(b"\r\n");
        Ok(())
    }

    /// Every top-level property of `value` as a text part (for a body that is not a struct).
    #[cfg(feature = "needs-multipart-properties")]
    pub(crate) fn properties<T: ::serde::Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> Result<(), Error> {
        match ::serde_json::to_value(value) {
            Ok(::serde_json::Value::Object(map)) => {
                for (name, item) in &map {
                    self.text(name, item)?;
                }
                Ok(())
            }
            Ok(_) => Err(Error::InvalidRequest(
                "a multipart body must be an object".into(),
            )),
            Err(e) => Err(Error::InvalidRequest(format!(
                "the multipart body cannot be serialized: {e}"
            ))),
        }
    }

    /// The content type (with the boundary) and the bytes.
    pub(crate) fn finish(mut self) -> (String, Vec<u8>) {
        self.bytes
            .extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        (
            format!("multipart/form-data; boundary={}", self.boundary),
            self.bytes,
        )
    }
}

/// An `application/x-www-form-urlencoded` body: each top-level property
/// (arrays as repeated keys, objects as JSON), names and values
/// percent-encoded but for RFC 3986's unreserved characters, so no value
/// can add a field.
#[cfg(feature = "needs-form-body")]
pub(crate) fn body_form<T: ::serde::Serialize + ?Sized>(body: &T) -> Result<Vec<u8>, Error> {
    let value = ::serde_json::to_value(body)
        .map_err(|e| Error::InvalidRequest(format!("the form body cannot be serialized: {e}")))?;
    let ::serde_json::Value::Object(map) = value else {
        return Err(Error::InvalidRequest(
            "a form body must be an object".into(),
        ));
    };
    let mut pairs: Vec<String> = Vec::new();
    for (name, item) in &map {
        for text in form_texts(item) {
            pairs.push(format!(
                "{}={}",
                percent_encode(name, unreserved),
                percent_encode(&text, unreserved)
            ));
        }
    }
    Ok(pairs.join("&").into_bytes())
}

/// A form field's values as text: an array one per item, an object as
/// JSON, a scalar as [`scalar_text`] writes it; nulls are left out. Form
/// bodies and multipart text parts both write values this way.
#[cfg(any(feature = "needs-form-body", feature = "needs-multipart-body"))]
fn form_texts(value: &::serde_json::Value) -> Vec<String> {
    let items = match value {
        ::serde_json::Value::Array(items) => items.as_slice(),
        other => ::std::slice::from_ref(other),
    };
    items
        .iter()
        .filter_map(|item| match item {
            ::serde_json::Value::Object(_) => Some(item.to_string()),
            other => scalar_text(other),
        })
        .collect()
}

/// A required parameter or body of a request builder, or the error that
/// says it was not set (before anything is sent).
#[cfg(feature = "needs-required")]
pub(crate) fn required<T>(value: Option<T>, operation: &str, what: &str) -> Result<T, Error> {
    value.ok_or_else(|| {
        Error::InvalidRequest(format!("{operation}: {what} is required and was not set"))
    })
}

/// Serialize a request body.
#[cfg(feature = "needs-json-body")]
pub(crate) fn body_json<T: ::serde::Serialize + ?Sized>(body: &T) -> Result<Vec<u8>, Error> {
    ::serde_json::to_vec(body).map_err(|e| Error::InvalidRequest(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> String {
        String::from_utf8_lossy(bytes).into_owned()
    }

    #[test]
    fn names_and_file_names_stay_on_their_header_line() {
        let mut form = Multipart::new();
        let file = FilePart::new(b"x".to_vec())
            .file_name("a\"b\r\nc.txt")
            .content_type("text/plain");
        form.file("up\nload", &file).unwrap();
        form.text("tags", &["a", "b"]).unwrap();
        form.text("absent", &Option::<String>::None).unwrap();
        let boundary = form.boundary.clone();
        let (content_type, bytes) = form.finish();
        assert_eq!(
            content_type,
            format!("multipart/form-data; boundary={boundary}")
        );
        let b = &boundary;
        assert_eq!(
            text(&bytes),
            format!(
                "--{b}\r\nContent-Disposition: form-data; name=\"up%0Aload\"; filename=\"a%22b%0D%0Ac.txt\"\r\nContent-Type: text/plain\r\n\r\nx\r\n\
                 --{b}\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\na\r\n\
                 --{b}\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nb\r\n\
                 --{b}--\r\n"
            )
        );
    }

    #[test]
    fn a_content_type_with_a_line_break_is_refused() {
        let file = FilePart::new(Vec::new()).content_type("text/plain\r\nX: 1");
        let result = Multipart::new().file("f", &file);
        assert!(matches!(result, Err(Error::InvalidRequest(m)) if m.contains("part `f`")));
    }

    #[test]
    fn a_multipart_body_that_is_no_object_is_refused() {
        assert!(Multipart::new().properties(&[1, 2]).is_err());
    }

    #[test]
    fn form_fields_are_encoded() {
        let body = ::serde_json::json!({"q": "a&b=c+d e", "n": [1, 2], "skip": null});
        // Fields in the order of serde_json's map (sorted, or as inserted
        // when a crate of the build turns on `preserve_order`).
        let form = text(&body_form(&body).unwrap());
        let mut pairs: Vec<&str> = form.split('&').collect();
        pairs.sort_by_key(|p| p.split('=').next().unwrap_or_default().to_string());
        assert_eq!(pairs, ["n=1", "n=2", "q=a%26b%3Dc%2Bd%20e"]);
        assert!(body_form(&"text").is_err());
    }

    #[test]
    fn a_missing_required_value_names_it() {
        let result = required(Option::<u8>::None, "listThings", "parameter `q`");
        assert!(
            matches!(result, Err(Error::InvalidRequest(m)) if m == "listThings: parameter `q` is required and was not set")
        );
    }
}
