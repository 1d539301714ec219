//! ReadingUnderWay what the API really sends (docs/decoding.md): a success body is
//! read by each model's own decoder; only when that fails is it read
//! again, as a JSON value corrected against what the description declares
//! (a [`Declared`] for each type), so that a drifted value still reads and
//! nothing that arrived is lost. Corrections cost only when they happen.
//!
//! - a scalar of another kind reads where nothing is lost (`7` where a
//!   string is declared reads as `"7"`, `"7"` where an integer is reads as
//!   `7`, `"true"` as `true`);
//! - a required member that is absent or `null`, or any member of another
//!   shape, takes a stand-in (its empty value), and the member as it
//!   arrived is kept in the struct, so that writing the model back gives
//!   it again (a stand-in is never written);
//! - a list object (`{"type": "list", "data": […]}`) reads where an array
//!   is declared, as that array.
//!
//! Unions pick their alternative strictly and read it tolerantly (`pick`);
//! a string enum reads any string (`Unknown`), which is no correction.

#[cfg(feature = "needs-tolerant")]
use ::std::cell::RefCell;
use ::std::fmt;

#[cfg(any(feature = "needs-tolerant", feature = "needs-structs"))]
use ::serde_json::{Map, Value};

/// What a JSON value is declared to be, as far as a tolerant read needs.
#[cfg(feature = "needs-tolerant")]
#[derive(Clone, Copy)]
pub enum Declared {
    /// Anything reads: an untyped value, or a union (which reads itself).
    Any,
    /// A string, or a string enum (any string reads).
    String,
    Integer,
    Number,
    Boolean,
    Array(fn() -> Declared),
    /// An object with arbitrary keys and values of one type.
    Map(fn() -> Declared),
    Struct(&'static DeclaredStruct),
}

/// A struct of `models`: its name and members.
#[cfg(feature = "needs-tolerant")]
pub struct DeclaredStruct {
    pub name: &'static str,
    pub members: &'static [DeclaredMember],
}

/// A member of a struct: its key, whether a value must be there (not
/// absent, not `null`), and what it is.
#[cfg(feature = "needs-tolerant")]
pub struct DeclaredMember {
    key: &'static str,
    required: bool,
    node: fn() -> Declared,
}

#[cfg(feature = "needs-tolerant")]
impl DeclaredMember {
    /// A required member: its key, and the field that holds it (which
    /// says its type; it is never called).
    pub const fn required<S, T: Described>(
        key: &'static str,
        _field: fn(&S) -> &T,
    ) -> DeclaredMember {
        DeclaredMember {
            key,
            required: true,
            node: T::node,
        }
    }

    /// An optional member: its key, and the `Option` field that holds it.
    pub const fn optional<S, T: Described>(
        key: &'static str,
        _field: fn(&S) -> &Option<T>,
    ) -> DeclaredMember {
        DeclaredMember {
            key,
            required: false,
            node: T::node,
        }
    }
}

/// A type whose declared shape a tolerant read follows. Implemented by
/// every model (through `model!`, `string_enum!` and unions) and here.
#[cfg(feature = "needs-tolerant")]
pub trait Described {
    fn node() -> Declared;
}

#[cfg(feature = "needs-tolerant")]
macro_rules! described {
    ($($ty:ty => $node:expr;)*) => {$(
        impl Described for $ty {
            fn node() -> Declared {
                $node
            }
        }
    )*};
}

#[cfg(feature = "needs-tolerant")]
described! {
    String => Declared::String;
    i64 => Declared::Integer;
    f64 => Declared::Number;
    bool => Declared::Boolean;
    Value => Declared::Any;
    Map<String, Value> => Declared::Map(Value::node);
    // A file's bytes never arrive in a JSON body as described.
    super::FilePart => Declared::Any;
}

#[cfg(feature = "needs-tolerant")]
impl<T: Described> Described for Vec<T> {
    fn node() -> Declared {
        Declared::Array(T::node)
    }
}

#[cfg(feature = "needs-tolerant")]
impl<T: Described> Described for Box<T> {
    fn node() -> Declared {
        T::node()
    }
}

#[cfg(feature = "needs-tolerant")]
impl<T: Described> Described for ::std::collections::BTreeMap<String, T> {
    fn node() -> Declared {
        Declared::Map(T::node)
    }
}

/// What a correction did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CorrectionKind {
    /// A scalar of another kind read as the declared one, with nothing
    /// lost (`7` as `"7"`, `"7"` as `7`); it is written back as read.
    Converted,
    /// A required member was absent: the field holds a stand-in, never
    /// written back.
    Missing,
    /// A required member was `null`: the field holds a stand-in; `null` is
    /// written back.
    Null,
    /// A member of another shape (an object where a string is declared, a
    /// list where an object is): the field holds a stand-in (or is unset),
    /// and the member is written back as it arrived.
    Mismatched,
    /// An item of a list (or a value of a map) of another shape: it is left
    /// out, the others read, and the struct that holds the list writes it
    /// back as it arrived. The correction carries the item.
    LeftOut,
    /// A list object (`{"type": "list", "data": […]}`) where an array is
    /// declared, read as that array.
    ListObject,
}

impl CorrectionKind {
    fn describe(self) -> &'static str {
        match self {
            CorrectionKind::Converted => "converted",
            CorrectionKind::Missing => "missing; kept absent",
            CorrectionKind::Null => "null; kept as null",
            CorrectionKind::Mismatched => "of another shape; kept as it arrived",
            CorrectionKind::LeftOut => "of another shape; left out of its list, kept as it arrived",
            CorrectionKind::ListObject => "a list object read as its array",
        }
    }
}

/// One place where a response differed from its description and was read
/// anyway (see `Response::corrections`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Correction {
    /// Where in the body, e.g. `conversations[3].admin_assignee_id` (`the
    /// body`: the whole body). Inside a union, where in the union's value.
    pub path: String,
    pub kind: CorrectionKind,
    /// The model holding the member (`""` outside any).
    pub model: &'static str,
    /// What the description declares there, e.g. `a string`.
    pub expected: &'static str,
    /// What arrived, e.g. `an integer`.
    pub found: &'static str,
    /// For a member or item of another shape, the value as it arrived: an
    /// item left out of a list is here (its list is kept whole in its
    /// struct, but a list that is the body itself has no struct to keep it).
    pub arrived: Option<::serde_json::Value>,
}

impl fmt::Display for Correction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}`: expected {}, found {} ({})",
            self.path,
            self.expected,
            self.found,
            self.kind.describe()
        )
    }
}

/// The key under which a corrected object carries its members as they
/// arrived, to its struct's `as_arrived` field. Never sent by the API (a
/// NUL starts it), never written back.
#[cfg(any(feature = "needs-tolerant", feature = "needs-structs"))]
pub(crate) const KEPT_KEY: &str = "\u{0}as_arrived";

/// The members of a struct that hold a stand-in, each as it arrived
/// (`None`: absent). Empty for any value built in code or read without a
/// correction.
#[cfg(feature = "needs-structs")]
#[derive(Debug, Clone, Default, PartialEq)]
// One pointer in every struct, where a `Vec` would be three.
#[allow(clippy::box_collection)]
pub struct Kept(Option<Box<Vec<KeptMember>>>);

/// A member's key, and its value as it arrived (`None`: absent).
#[cfg(feature = "needs-structs")]
type KeptMember = (String, Option<Value>);

#[cfg(feature = "needs-structs")]
impl Kept {
    fn holds(&self, key: &str) -> bool {
        self.0
            .as_ref()
            .is_some_and(|kept| kept.iter().any(|(k, _)| k == key))
    }
}

/// Read from `[[key], [key, value], …]`, as the tolerant read writes it
/// under [`KEPT_KEY`]; anything else is no member kept.
#[cfg(feature = "needs-structs")]
impl<'de> ::serde::Deserialize<'de> for Kept {
    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = <Value as ::serde::Deserialize>::deserialize(deserializer)?;
        let members: Vec<KeptMember> = value
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|pair| match pair.as_array()?.as_slice() {
                [Value::String(key)] => Some((key.clone(), None)),
                [Value::String(key), value] => Some((key.clone(), Some(value.clone()))),
                _ => None,
            })
            .collect();
        Ok(Kept((!members.is_empty()).then(|| Box::new(members))))
    }
}

/// A key of a struct's JSON object, borrowed from the input where it can
/// be: what `model!`'s `Deserialize` matches the struct's keys against.
#[cfg(feature = "needs-structs")]
pub enum MemberKey<'de> {
    Borrowed(&'de str),
    Owned(String),
}

#[cfg(feature = "needs-structs")]
impl MemberKey<'_> {
    pub fn as_str(&self) -> &str {
        match self {
            MemberKey::Borrowed(key) => key,
            MemberKey::Owned(key) => key,
        }
    }

    pub fn into_string(self) -> String {
        match self {
            MemberKey::Borrowed(key) => key.to_string(),
            MemberKey::Owned(key) => key,
        }
    }
}

#[cfg(feature = "needs-structs")]
impl<'de> ::serde::Deserialize<'de> for MemberKey<'de> {
    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> ::serde::de::Visitor<'de> for KeyVisitor {
            type Value = MemberKey<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }

            fn visit_borrowed_str<E: ::serde::de::Error>(
                self,
                key: &'de str,
            ) -> Result<Self::Value, E> {
                Ok(MemberKey::Borrowed(key))
            }

            fn visit_str<E: ::serde::de::Error>(self, key: &str) -> Result<Self::Value, E> {
                Ok(MemberKey::Owned(key.to_string()))
            }

            fn visit_string<E: ::serde::de::Error>(self, key: String) -> Result<Self::Value, E> {
                Ok(MemberKey::Owned(key))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// A struct of `models` as `model!`'s `Deserialize` reads it: from a map.
/// The macro implements it, so that it defines no item of its own in
/// `models` (whose names are the description's).
#[cfg(feature = "needs-structs")]
pub trait ReadStruct: Sized {
    const NAME: &'static str;

    fn read_map<'de, A: ::serde::de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// The visitor of every struct of `models`: generic, written once.
#[cfg(feature = "needs-structs")]
pub struct StructVisitor<T>(pub ::std::marker::PhantomData<T>);

#[cfg(feature = "needs-structs")]
impl<'de, T: ReadStruct> ::serde::de::Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read_map(map)
    }
}

/// Reads the value of a struct's member into its slot (`model!`'s
/// `Deserialize`): a key that arrives twice is an error, as serde's
/// derive makes it.
#[cfg(feature = "needs-structs")]
pub fn read_member<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    key: &'static str,
) -> Result<(), A::Error>
where
    A: ::serde::de::MapAccess<'de>,
    T: ::serde::Deserialize<'de>,
{
    if slot.is_some() {
        return Err(<A::Error as ::serde::de::Error>::duplicate_field(key));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// A member as `model!`'s `Deserialize` read it, by how the struct holds it.
#[cfg(feature = "needs-structs")]
pub struct MemberRead;

#[cfg(feature = "needs-structs")]
impl MemberRead {
    /// Absent is an error (serde's `missing field`, which the tolerant
    /// read corrects).
    pub fn required<T, E: ::serde::de::Error>(slot: Option<T>, key: &'static str) -> Result<T, E> {
        slot.ok_or_else(|| E::missing_field(key))
    }

    /// Absent and `null` are both `None`: an absent member reads as
    /// present and `null`.
    pub fn optional<T, E: ::serde::de::Error>(
        slot: Option<Option<T>>,
        key: &'static str,
    ) -> Result<Option<T>, E> {
        Self::required(slot.or(Some(None)), key)
    }
}

/// The properties a struct does not describe, as they arrived: its
/// `additional_properties`.
#[cfg(feature = "needs-structs")]
pub fn read_other_member<'de, A: ::serde::de::MapAccess<'de>>(
    map: &mut A,
    other: &mut Map<String, Value>,
    key: MemberKey<'de>,
) -> Result<(), A::Error> {
    let value = map.next_value()?;
    other.insert(key.into_string(), value);
    Ok(())
}

/// Writes a struct of `models` (its `Serialize`, through `model!`): each
/// field that holds a value, except a stand-in; then each member kept as
/// it arrived; then the properties the struct does not know.
#[cfg(feature = "needs-structs")]
pub struct StructWriter<'k, S> {
    map: S,
    kept: &'k Kept,
}

#[cfg(feature = "needs-structs")]
impl<'k, S: ::serde::ser::SerializeMap> StructWriter<'k, S> {
    pub fn begin<T>(serializer: T, kept: &'k Kept) -> Result<Self, T::Error>
    where
        T: ::serde::Serializer<SerializeMap = S, Error = S::Error>,
    {
        Ok(StructWriter {
            map: serializer.serialize_map(None)?,
            kept,
        })
    }

    pub fn required<T: ::serde::Serialize + ?Sized>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<(), S::Error> {
        if self.kept.holds(key) {
            return Ok(());
        }
        self.map.serialize_entry(key, value)
    }

    pub fn optional<T: ::serde::Serialize>(
        &mut self,
        key: &str,
        value: &Option<T>,
    ) -> Result<(), S::Error> {
        match value {
            Some(value) => self.required(key, value),
            None => Ok(()),
        }
    }

    pub fn end(mut self, additional: &Map<String, Value>) -> Result<S::Ok, S::Error> {
        for (key, value) in self.kept.0.iter().flat_map(|kept| kept.iter()) {
            if let Some(value) = value {
                self.map.serialize_entry(key, value)?;
            }
        }
        for (key, value) in additional {
            self.map.serialize_entry(key, value)?;
        }
        self.map.end()
    }
}

/// `Serialize` and `Deserialize` for a struct of `models`, and the
/// `Declared` a tolerant read follows: its fields in order, each with its
/// key on the wire and whether it is `required` or `optional` (an
/// `Option`); each field's type is read from the struct.
///
/// `Deserialize` reads as serde's derive with those renames, `default` on
/// optional fields and `additional_properties` flattened would: a key that
/// arrives twice or a required one absent is an error, `null` is `None`
/// for an optional field, and any other key is kept in
/// `additional_properties`. Each member is read by one generic helper,
/// so a struct costs one `match` on its keys, not a derived visitor.
#[allow(unused_macros)]
macro_rules! model {
    ($name:ident, [$(($key:literal, $field:ident, $how:ident)),* $(,)?]) => {
        impl $crate::runtime::ReadStruct for $name {
            const NAME: &'static str = ::std::stringify!($name);

            fn read_map<'de, A: ::serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> ::std::result::Result<Self, A::Error> {
                $(let mut $field = ::std::option::Option::None;)*
                let mut as_arrived = ::std::option::Option::None;
                let mut other = ::serde_json::Map::new();
                while let ::std::option::Option::Some(key) =
                    map.next_key::<$crate::runtime::MemberKey<'de>>()?
                {
                    #[allow(unreachable_patterns)]
                    match key.as_str() {
                        $($key => $crate::runtime::read_member(&mut map, &mut $field, $key)?,)*
                        $crate::runtime::KEPT_KEY => $crate::runtime::read_member(
                            &mut map,
                            &mut as_arrived,
                            $crate::runtime::KEPT_KEY,
                        )?,
                        _ => $crate::runtime::read_other_member(&mut map, &mut other, key)?,
                    }
                }
                ::std::result::Result::Ok($name {
                    $($field: $crate::runtime::MemberRead::$how::<_, A::Error>($field, $key)?,)*
                    as_arrived: as_arrived.unwrap_or_default(),
                    additional_properties: other,
                })
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                deserializer.deserialize_map($crate::runtime::StructVisitor::<$name>(::std::marker::PhantomData))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                #[allow(unused_mut)]
                let mut out = $crate::runtime::StructWriter::begin(serializer, &self.as_arrived)?;
                $(out.$how($key, &self.$field)?;)*
                out.end(&self.additional_properties)
            }
        }

        #[cfg(feature = "needs-tolerant")]
        impl $crate::runtime::Described for $name {
            fn node() -> $crate::runtime::Declared {
                static OBJECT: $crate::runtime::DeclaredStruct = $crate::runtime::DeclaredStruct {
                    name: ::std::stringify!($name),
                    members: &[$($crate::runtime::DeclaredMember::$how(
                        $key,
                        |model: &$name| &model.$field,
                    )),*],
                };
                $crate::runtime::Declared::Struct(&OBJECT)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use model;

/// How a call reads its body: the corrections it made, and whether it may.
#[cfg(feature = "needs-tolerant")]
struct ReadingUnderWay {
    strict: bool,
    corrections: Vec<Correction>,
}

#[cfg(feature = "needs-tolerant")]
::std::thread_local! {
    /// The reading under way on this thread (a body is decoded in one go,
    /// and the unions in it read their alternatives in the meantime).
    static READING: RefCell<Option<ReadingUnderWay>> = const { RefCell::new(None) };
}

/// Whether the reading under way is strict (none under way: tolerant).
#[cfg(feature = "needs-tolerant")]
fn strict_now() -> bool {
    READING.with(|r| r.borrow().as_ref().is_some_and(|r| r.strict))
}

/// Note corrections for the reading under way (and the log).
#[cfg(feature = "needs-tolerant")]
fn note(corrections: Vec<Correction>) {
    for c in &corrections {
        log_once(c);
    }
    READING.with(|r| {
        if let Some(reading) = r.borrow_mut().as_mut() {
            reading.corrections.extend(corrections);
        }
    });
}

/// Log a correction once per model, member and kind, per process.
#[cfg(feature = "needs-tolerant")]
fn log_once(c: &Correction) {
    use ::std::collections::HashSet;
    use ::std::sync::{Mutex, OnceLock};
    /// A model, a member's key, a kind.
    type Seen = (&'static str, String, CorrectionKind);
    static SEEN: OnceLock<Mutex<HashSet<Seen>>> = OnceLock::new();
    // The member's key: the last key of the path, past any item index.
    let member = c
        .path
        .trim_end_matches(|ch: char| ch.is_ascii_digit() || ch == '[' || ch == ']')
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_string();
    let first = SEEN
        .get_or_init(Default::default)
        .lock()
        .map(|mut seen| seen.insert((c.model, member, c.kind)))
        .unwrap_or(true);
    if first {
        ::tracing::warn!(
            path = %c.path,
            model = c.model,
            "a response differs from its description; read anyway: {c}"
        );
    }
}

/// Decodes a text into the value a caller holds (the one generic step of
/// a tolerant read: everything else is compiled once, not per model).
#[cfg(feature = "needs-tolerant")]
pub(crate) type ReadText<'a> = dyn FnMut(&[u8]) -> Result<(), ::serde_json::Error> + 'a;

/// What a generic reader calls its type's decoder with, into `slot`.
#[cfg(feature = "needs-tolerant")]
pub(crate) fn into_slot<T: ::serde::de::DeserializeOwned>(
    slot: &mut Option<T>,
) -> impl FnMut(&[u8]) -> Result<(), ::serde_json::Error> + '_ {
    move |text| {
        *slot = Some(::serde_json::from_slice::<T>(text)?);
        Ok(())
    }
}

/// The value a read put in its slot (a read that succeeds always does).
#[cfg(feature = "needs-tolerant")]
pub(crate) fn taken<T>(slot: Option<T>) -> Result<T, ::serde_json::Error> {
    slot.ok_or_else(|| <::serde_json::Error as ::serde::de::Error>::custom("nothing was read"))
}

/// Decode `body` as a `T` the way a response is read: by `T`'s own
/// decoder, and when that fails and the reading may correct, again after
/// correcting the body against `T`'s declared shape. The error is that of
/// the first read (its position is in `body`).
#[cfg(feature = "needs-tolerant")]
pub(crate) fn decode<T: ::serde::de::DeserializeOwned + Described>(
    body: &[u8],
    strict: bool,
) -> Result<(T, Vec<Correction>), ::serde_json::Error> {
    let mut slot = None;
    let corrections = decode_with(body, strict, T::node(), &mut into_slot(&mut slot))?;
    Ok((taken(slot)?, corrections))
}

/// What [`decode`] does, with its type's decoder.
#[cfg(feature = "needs-tolerant")]
pub(crate) fn decode_with(
    body: &[u8],
    strict: bool,
    node: Declared,
    read: &mut ReadText<'_>,
) -> Result<Vec<Correction>, ::serde_json::Error> {
    let outer = READING.with(|r| {
        r.replace(Some(ReadingUnderWay {
            strict,
            corrections: Vec::new(),
        }))
    });
    let result = decode_now(body, node, read);
    let reading = READING.with(|r| r.replace(outer));
    result.map(|()| reading.map(|r| r.corrections).unwrap_or_default())
}

/// A body read as a `T` the way the client reads a response, and the
/// corrections it took (empty for a body as described).
#[cfg(feature = "needs-tolerant")]
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Decoded<T> {
    pub value: T,
    pub corrections: Vec<Correction>,
}

/// Read a JSON body (a stored response, a test fixture, a queue message)
/// as a `T` of this crate the way the client reads a response: by the
/// rule of docs/decoding.md, or strictly (`strict`: as
/// `ClientBuilder::strict`). The error is `Error::Decode`, of the strict
/// read, with its path (its `status` is 0: no response).
///
/// ```
/// use intercom_api::{from_json, serde_json};
///
/// // An integer where a list of strings is declared cannot be read as one:
/// // strictly, that fails; tolerantly, the field is empty and the value
/// // is kept, to be written back as it arrived.
/// let body = br#"[{"a": 1}, 2]"#;
/// assert!(from_json::<Vec<serde_json::Value>>(body, true).is_ok());
/// let read = from_json::<Vec<String>>(br#"["a", 2]"#, false).unwrap();
/// assert_eq!(read.value, ["a", "2"]);
/// assert_eq!(read.corrections[0].path, "[1]");
/// let error = from_json::<Vec<String>>(br#"["a", 2]"#, true).unwrap_err();
/// let decode = error.decode_error().unwrap();
/// assert_eq!(decode.path, "[1]");
/// assert_eq!(decode.body_text(), r#"["a", 2]"#);
/// ```
#[cfg(feature = "needs-tolerant")]
pub fn from_json<T: ::serde::de::DeserializeOwned + Described>(
    body: &[u8],
    strict: bool,
) -> Result<Decoded<T>, super::Error> {
    decode(body, strict)
        .map(|(value, corrections)| Decoded { value, corrections })
        .map_err(|e| super::Error::Decode(Box::new(decode_error(0, body, &e))))
}

/// The error of a body that could not be read: where (its path), what,
/// and the whole body.
#[cfg(feature = "needs-tolerant")]
pub(crate) fn decode_error(
    status: u16,
    body: &[u8],
    e: &::serde_json::Error,
) -> super::DecodeError {
    let (path, message) = super::locate::describe(body, e);
    super::DecodeError::new(status, path, message, body)
}

#[cfg(feature = "needs-tolerant")]
fn decode_now(
    body: &[u8],
    node: Declared,
    read: &mut ReadText<'_>,
) -> Result<(), ::serde_json::Error> {
    let first = match read(body) {
        Ok(()) => return Ok(()),
        Err(e) if strict_now() => return Err(e),
        Err(e) => e,
    };
    let Ok(mut value) = ::serde_json::from_slice::<Value>(body) else {
        return Err(first);
    };
    let corrections = correct(&mut value, node);
    if corrections.is_empty() {
        return Err(first);
    }
    let text = ::serde_json::to_vec(&value)?;
    // The unions' own corrections, made while reading the corrected text,
    // come after the ones of the text itself.
    READING.with(|r| {
        if let Some(reading) = r.borrow_mut().as_mut() {
            reading.corrections.clear();
        }
    });
    read(&text).map_err(|_| first)?;
    let unions = READING.with(|r| {
        r.borrow_mut()
            .as_mut()
            .map(|reading| ::std::mem::take(&mut reading.corrections))
            .unwrap_or_default()
    });
    note(corrections);
    note(unions);
    Ok(())
}

/// Read a model from a JSON value it was held in (a union's alternative,
/// a webhook's item), through its text: models are decoded from text
/// everywhere else, and one way of decoding them is compiled once, where a
/// decoder of values would be a second copy of every model's code.
/// `tolerant`: correct it as a response is (unless the reading under way
/// is strict).
///
/// An error names where in the value it is (its line and column would be
/// those of a text the caller never saw).
#[cfg(feature = "needs-read-value")]
pub(crate) fn read_value<T: ::serde::de::DeserializeOwned + Described>(
    value: &Value,
    tolerant: bool,
) -> Result<T, ::serde_json::Error> {
    let mut slot = None;
    read_value_with(value, tolerant, T::node(), &mut into_slot(&mut slot))?;
    taken(slot)
}

/// What [`read_value`] does, with its type's decoder.
#[cfg(feature = "needs-read-value")]
fn read_value_with(
    value: &Value,
    tolerant: bool,
    node: Declared,
    read: &mut ReadText<'_>,
) -> Result<(), ::serde_json::Error> {
    let text = ::serde_json::to_vec(value)?;
    let located = |text: &[u8], e: ::serde_json::Error| {
        let (path, message) = super::locate::describe(text, &e);
        let message = match path.as_str() {
            super::ROOT => message,
            _ => format!("`{path}`: {message}"),
        };
        <::serde_json::Error as ::serde::de::Error>::custom(message)
    };
    let first = match read(&text) {
        Ok(()) => return Ok(()),
        Err(e) if !tolerant || strict_now() => return Err(located(&text, e)),
        Err(e) => located(&text, e),
    };
    let mut corrected = value.clone();
    let corrections = correct(&mut corrected, node);
    if corrections.is_empty() {
        return Err(first);
    }
    let text = ::serde_json::to_vec(&corrected)?;
    read(&text).map_err(|_| first)?;
    note(corrections);
    Ok(())
}

/// Correct `value` in place against `node`, at the top of a body: a list
/// object where an array is declared becomes that array; then as
/// [`correct_at`]. The corrections made, in the order of the value.
#[cfg(feature = "needs-tolerant")]
pub(crate) fn correct(value: &mut Value, node: Declared) -> Vec<Correction> {
    let mut out = Vec::new();
    if let (Declared::Array(_), Some(items)) = (node, list_items(value)) {
        out.push(Correction {
            path: super::ROOT.into(),
            kind: CorrectionKind::ListObject,
            model: "",
            expected: expected(node),
            found: "a list object",
            arrived: None,
        });
        *value = items;
    }
    let mut walk = CorrectionWalk {
        path: Vec::new(),
        model: "",
        out,
        depth: 0,
    };
    match walk.value(value, node) {
        // The body itself is of another shape: nothing to correct in it.
        WalkOutcome::StandIn => Vec::new(),
        // A list (or map) that is the body reads as what can be read of it;
        // each item left out is in its correction.
        WalkOutcome::Reads | WalkOutcome::Kept(_) => walk.out,
    }
}

/// The array of a list object: `type: list` and exactly one array member.
#[cfg(feature = "needs-tolerant")]
fn list_items(value: &Value) -> Option<Value> {
    let object = value.as_object()?;
    if object.get("type")?.as_str()? != "list" {
        return None;
    }
    let mut arrays = object.values().filter(|v| v.is_array());
    match (arrays.next(), arrays.next()) {
        (Some(items), None) => Some(items.clone()),
        _ => None,
    }
}

#[cfg(feature = "needs-tolerant")]
#[derive(Debug, Clone, PartialEq)]
enum WalkOutcome {
    /// It reads (perhaps after converting a scalar in place).
    Reads,
    /// It reads as what could be read of it (a list without the items
    /// that cannot be): its container keeps it as it arrived.
    Kept(Box<Value>),
    /// It cannot read: its container gives its member a stand-in.
    StandIn,
}

#[cfg(feature = "needs-tolerant")]
enum Step {
    Key(String),
    Index(usize),
}

/// A walk of a value and its declared shape.
#[cfg(feature = "needs-tolerant")]
struct CorrectionWalk {
    path: Vec<Step>,
    /// The struct whose member is being read.
    model: &'static str,
    out: Vec<Correction>,
    depth: usize,
}

/// Beyond this depth a value is left as it is (the decoder then says).
#[cfg(feature = "needs-tolerant")]
const MAX_DEPTH: usize = 128;

#[cfg(feature = "needs-tolerant")]
impl CorrectionWalk {
    fn path(&self) -> String {
        let mut path = String::new();
        for step in &self.path {
            match step {
                Step::Key(key) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(key);
                }
                Step::Index(i) => path.push_str(&format!("[{i}]")),
            }
        }
        if path.is_empty() {
            path.push_str(super::ROOT);
        }
        path
    }

    fn record(&mut self, kind: CorrectionKind, node: Declared, found: &Value) {
        self.out.push(Correction {
            path: self.path(),
            kind,
            model: self.model,
            expected: expected(node),
            found: kind_of(found),
            arrived: matches!(kind, CorrectionKind::Mismatched | CorrectionKind::LeftOut)
                .then(|| found.clone()),
        });
    }

    /// Whether `value` reads as `node`, converting a scalar in place where
    /// nothing is lost.
    fn value(&mut self, value: &mut Value, node: Declared) -> WalkOutcome {
        if self.depth > MAX_DEPTH {
            return WalkOutcome::Reads;
        }
        let converted = match (node, &*value) {
            (Declared::Any, _) => return WalkOutcome::Reads,
            (Declared::String, Value::String(_))
            | (Declared::Boolean, Value::Bool(_))
            | (Declared::Number, Value::Number(_)) => return WalkOutcome::Reads,
            (Declared::Integer, Value::Number(n)) if n.is_i64() => return WalkOutcome::Reads,
            (Declared::String, Value::Number(n)) => Some(Value::String(n.to_string())),
            (Declared::String, Value::Bool(b)) => Some(Value::String(b.to_string())),
            (Declared::Integer, Value::Number(n)) => n
                .as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| Value::from(f as i64)),
            (Declared::Integer, Value::String(s)) => s.trim().parse::<i64>().ok().map(Value::from),
            (Declared::Number, Value::String(s)) => s
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(::serde_json::Number::from_f64)
                .map(Value::Number),
            (Declared::Boolean, Value::String(s)) => match s.as_str() {
                "true" => Some(Value::Bool(true)),
                "false" => Some(Value::Bool(false)),
                _ => None,
            },
            (Declared::Array(item), Value::Array(_)) | (Declared::Map(item), Value::Object(_)) => {
                return self.children(value, item);
            }
            (Declared::Struct(object), Value::Object(_)) => return self.object(value, object),
            _ => None,
        };
        match converted {
            Some(converted) => {
                self.record(CorrectionKind::Converted, node, value);
                *value = converted;
                WalkOutcome::Reads
            }
            None => WalkOutcome::StandIn,
        }
    }

    /// An array (or a map) reads as the items (values) that can be read:
    /// one that cannot is left out and reported, never the others, and
    /// the list as it arrived is kept by its container.
    fn children(&mut self, value: &mut Value, item: fn() -> Declared) -> WalkOutcome {
        // Conversions happen in place: the list as it arrived is what is kept.
        let arrived = value.clone();
        let children: Vec<(Step, Value)> = match value {
            Value::Array(items) => ::std::mem::take(items)
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Step::Index(i), v))
                .collect(),
            Value::Object(entries) => ::std::mem::take(entries)
                .into_iter()
                .map(|(k, v)| (Step::Key(k), v))
                .collect(),
            _ => return WalkOutcome::StandIn,
        };
        let node = item();
        self.depth += 1;
        let mut keep = false;
        let mut readable = Vec::with_capacity(children.len());
        for (step, mut child) in children {
            self.path.push(step);
            match self.value(&mut child, node) {
                WalkOutcome::Reads => readable.push(child),
                WalkOutcome::Kept(_) => {
                    keep = true;
                    readable.push(child);
                }
                WalkOutcome::StandIn => {
                    keep = true;
                    self.record(CorrectionKind::LeftOut, node, &child);
                }
            }
            let step = self.path.pop();
            if let (Some(Step::Key(key)), Value::Object(entries)) = (step, &mut *value) {
                if let Some(child) = readable.pop() {
                    entries.insert(key, child);
                }
            }
        }
        self.depth -= 1;
        if let Value::Array(items) = value {
            *items = readable;
        }
        if keep {
            WalkOutcome::Kept(Box::new(arrived))
        } else {
            WalkOutcome::Reads
        }
    }

    /// An object always reads as a struct: each member that cannot takes
    /// a stand-in and is kept as it arrived.
    fn object(&mut self, value: &mut Value, object: &'static DeclaredStruct) -> WalkOutcome {
        let Value::Object(members) = value else {
            return WalkOutcome::StandIn;
        };
        // What the API sent under the marker is not ours to trust.
        members.remove(KEPT_KEY);
        let outer = ::std::mem::replace(&mut self.model, object.name);
        self.depth += 1;
        let mut kept: Vec<Value> = Vec::new();
        for member in object.members {
            let node = (member.node)();
            self.path.push(Step::Key(member.key.to_string()));
            let mut partly = None;
            let kind = match members.get_mut(member.key) {
                None if member.required => Some(CorrectionKind::Missing),
                Some(Value::Null) if member.required => Some(CorrectionKind::Null),
                None | Some(Value::Null) => None,
                Some(present) => match self.value(present, node) {
                    WalkOutcome::Reads => None,
                    // What could be read of it stays; what arrived is kept.
                    WalkOutcome::Kept(arrived) => {
                        partly = Some(*arrived);
                        None
                    }
                    WalkOutcome::StandIn => {
                        self.record(CorrectionKind::Mismatched, node, present);
                        Some(CorrectionKind::Mismatched)
                    }
                },
            };
            if let Some(arrived) = partly {
                kept.push(Value::Array(vec![Value::from(member.key), arrived]));
            }
            self.path.pop();
            let key = Value::from(member.key);
            match kind {
                Some(CorrectionKind::Missing) => {
                    self.path.push(Step::Key(member.key.to_string()));
                    self.record(CorrectionKind::Missing, node, &Value::Null);
                    self.path.pop();
                    members.insert(member.key.to_string(), stand_in(node, 0));
                    kept.push(Value::Array(vec![key]));
                }
                Some(CorrectionKind::Null) => {
                    self.path.push(Step::Key(member.key.to_string()));
                    self.record(CorrectionKind::Null, node, &Value::Null);
                    self.path.pop();
                    members.insert(member.key.to_string(), stand_in(node, 0));
                    kept.push(Value::Array(vec![key, Value::Null]));
                }
                Some(_) => {
                    let arrived = if member.required {
                        members.insert(member.key.to_string(), stand_in(node, 0))
                    } else {
                        members.remove(member.key)
                    };
                    kept.push(Value::Array(vec![key, arrived.unwrap_or_default()]));
                }
                None => {}
            }
        }
        self.depth -= 1;
        self.model = outer;
        if !kept.is_empty() {
            members.insert(KEPT_KEY.to_string(), Value::Array(kept));
        }
        WalkOutcome::Reads
    }
}

/// The value a field takes in place of one that cannot be read: its empty
/// value (a struct's, with a stand-in in each required member).
#[cfg(feature = "needs-tolerant")]
fn stand_in(node: Declared, depth: usize) -> Value {
    match node {
        Declared::Any => Value::Null,
        Declared::String => Value::String(String::new()),
        Declared::Integer => Value::from(0),
        Declared::Number => Value::from(0.0),
        Declared::Boolean => Value::Bool(false),
        Declared::Array(_) => Value::Array(Vec::new()),
        Declared::Map(_) => Value::Object(Map::new()),
        Declared::Struct(object) => {
            let mut members = Map::new();
            if depth < MAX_DEPTH {
                for member in object.members.iter().filter(|m| m.required) {
                    members.insert(member.key.to_string(), stand_in((member.node)(), depth + 1));
                }
            }
            Value::Object(members)
        }
    }
}

#[cfg(feature = "needs-tolerant")]
fn expected(node: Declared) -> &'static str {
    match node {
        Declared::Any => "any value",
        Declared::String => "a string",
        Declared::Integer => "an integer",
        Declared::Number => "a number",
        Declared::Boolean => "a boolean",
        Declared::Array(_) => "an array",
        Declared::Map(_) | Declared::Struct(_) => "an object",
    }
}

#[cfg(feature = "needs-tolerant")]
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::serde_json::json;

    /// A struct as `models` writes one: `model!` gives its serde impls.
    #[derive(Debug, Clone, PartialEq, Default)]
    #[non_exhaustive]
    struct Conversation {
        id: String,
        admin_assignee_id: Option<String>,
        tags: Option<Vec<Tag>>,
        open: Option<bool>,
        count: i64,
        as_arrived: Kept,
        additional_properties: Map<String, Value>,
    }

    #[derive(Debug, Clone, PartialEq, Default)]
    struct Tag {
        name: String,
        as_arrived: Kept,
        additional_properties: Map<String, Value>,
    }

    model!(
        Conversation,
        [
            ("id", id, required),
            ("admin_assignee_id", admin_assignee_id, optional),
            ("tags", tags, optional),
            ("open", open, optional),
            ("count", count, required),
        ]
    );
    model!(Tag, [("name", name, required)]);

    fn read(body: Value) -> (Conversation, Vec<Correction>) {
        decode::<Conversation>(&::serde_json::to_vec(&body).unwrap(), false).unwrap()
    }

    /// `model!`'s `Deserialize`, straight from JSON text (no tolerant read).
    fn strict(text: &str) -> Result<Conversation, String> {
        ::serde_json::from_str::<Conversation>(text).map_err(|e| e.to_string())
    }

    #[test]
    fn model_reads_each_key_into_its_field_and_keeps_the_rest() {
        let read = strict(r#"{"x": [1], "count": 2, "id": "7", "open": true, "tags": [{"name": "a", "y": null}]}"#).unwrap();
        assert_eq!(read.id, "7");
        assert_eq!(read.count, 2);
        assert_eq!(read.open, Some(true));
        assert_eq!(read.admin_assignee_id, None);
        let tags = read.tags.unwrap();
        assert_eq!(tags[0].name, "a");
        assert_eq!(
            tags[0].additional_properties,
            json!({"y": null}).as_object().unwrap().clone()
        );
        assert_eq!(
            read.additional_properties,
            json!({"x": [1]}).as_object().unwrap().clone()
        );
        assert_eq!(read.as_arrived, Kept::default());
    }

    #[test]
    fn model_matches_escaped_keys_and_reads_from_a_value() {
        // `\u0064` is `d`: the key is not borrowed from the text, yet matches.
        let read = strict(r#"{"i\u0064": "7", "count": 2, "\u0078": 1}"#).unwrap();
        assert_eq!(read.id, "7");
        assert_eq!(
            read.additional_properties,
            json!({"x": 1}).as_object().unwrap().clone()
        );
        // From a `Value` (owned keys), as the tolerant read does.
        let value = json!({"id": "8", "count": 3, "open": null, "z": "w"});
        let read: Conversation = ::serde_json::from_value(value).unwrap();
        assert_eq!((read.id.as_str(), read.count, read.open), ("8", 3, None));
        assert_eq!(
            read.additional_properties,
            json!({"z": "w"}).as_object().unwrap().clone()
        );
    }

    #[test]
    fn model_refuses_what_serde_derive_refuses() {
        let missing = strict(r#"{"id": "7"}"#).unwrap_err();
        assert!(missing.starts_with("missing field `count`"), "{missing}");
        let twice = strict(r#"{"id": "7", "count": 1, "id": "8"}"#).unwrap_err();
        assert!(twice.starts_with("duplicate field `id`"), "{twice}");
        let null = strict(r#"{"id": null, "count": 1}"#).unwrap_err();
        assert!(
            null.starts_with("invalid type: null, expected a string"),
            "{null}"
        );
        let not_object = strict(r#""text""#).unwrap_err();
        assert!(
            not_object.contains("expected struct Conversation"),
            "{not_object}"
        );
    }

    #[test]
    fn model_reads_the_members_kept_as_they_arrived() {
        let text = r#"{"id": "7", "count": 1, "\u0000as_arrived": [["open", "yes"], ["tags"]]}"#;
        let read = strict(text).unwrap();
        assert!(read.as_arrived.holds("open") && read.as_arrived.holds("tags"));
        assert!(read.additional_properties.is_empty());
        // Written back: the kept member as it arrived, the stand-in left out.
        let written = ::serde_json::to_value(&read).unwrap();
        assert_eq!(written, json!({"id": "7", "count": 1, "open": "yes"}));
    }

    #[test]
    fn a_body_as_described_reads_without_corrections() {
        let body = json!({"id": "1", "count": 2, "tags": [{"name": "a"}], "x": 1});
        let (read, corrections) = read(body.clone());
        assert!(corrections.is_empty());
        assert_eq!(read.as_arrived, Kept::default());
        assert_eq!(::serde_json::to_value(&read).unwrap(), body);
    }

    #[test]
    fn scalars_of_another_kind_convert_where_nothing_is_lost() {
        let (read, corrections) =
            read(json!({"id": 7, "count": "12", "open": "true", "admin_assignee_id": 99}));
        assert_eq!(read.id, "7");
        assert_eq!(read.count, 12);
        assert_eq!(read.open, Some(true));
        assert_eq!(read.admin_assignee_id.as_deref(), Some("99"));
        let kinds: Vec<(&str, CorrectionKind)> = corrections
            .iter()
            .map(|c| (c.path.as_str(), c.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("id", CorrectionKind::Converted),
                ("admin_assignee_id", CorrectionKind::Converted),
                ("open", CorrectionKind::Converted),
                ("count", CorrectionKind::Converted),
            ]
        );
        assert_eq!(corrections[0].model, "Conversation");
        assert_eq!(corrections[0].found, "an integer");
        // Converted values are written back as read.
        assert_eq!(
            ::serde_json::to_value(&read).unwrap(),
            json!({"id": "7", "count": 12, "open": true, "admin_assignee_id": "99"})
        );
    }

    #[test]
    fn a_count_that_is_not_a_whole_number_is_kept_not_rounded() {
        let (half, corrections) = read(json!({"id": "1", "count": 1.5}));
        assert_eq!(half.count, 0);
        assert_eq!(corrections[0].kind, CorrectionKind::Mismatched);
        assert_eq!(
            ::serde_json::to_value(&half).unwrap(),
            json!({"id": "1", "count": 1.5})
        );
        let (whole, _) = read(json!({"id": "1", "count": 3.0}));
        assert_eq!(whole.count, 3);
    }

    #[test]
    fn a_required_member_absent_or_null_takes_a_stand_in_never_written() {
        let body = json!({"count": null, "x": [1]});
        let (read, corrections) = read(body.clone());
        assert_eq!(read.id, "");
        assert_eq!(read.count, 0);
        assert_eq!(
            corrections.iter().map(|c| c.kind).collect::<Vec<_>>(),
            [CorrectionKind::Missing, CorrectionKind::Null]
        );
        assert_eq!(::serde_json::to_value(&read).unwrap(), body);
        // Nothing else is kept: the unknown member is where it always is.
        assert_eq!(read.additional_properties["x"], json!([1]));
    }

    #[test]
    fn a_member_of_another_shape_is_kept_as_it_arrived() {
        let body = json!({
            "id": {"value": "1"},
            "count": 1,
            "admin_assignee_id": [1, 2],
            "tags": [{"name": 5}, [{"name": "b"}]],
        });
        let (read, corrections) = read(body.clone());
        assert_eq!(read.id, "");
        assert_eq!(read.admin_assignee_id, None);
        // An item that does not fit is left out; the others read, and the
        // list is written back as it arrived (the first item's `5`, not "5").
        let tags = read.tags.clone().unwrap();
        assert_eq!(tags.len(), 1);
        assert_eq!(tags[0].name, "5");
        assert_eq!(
            corrections
                .iter()
                .map(|c| (c.path.as_str(), c.kind))
                .collect::<Vec<_>>(),
            [
                ("id", CorrectionKind::Mismatched),
                ("admin_assignee_id", CorrectionKind::Mismatched),
                ("tags[0].name", CorrectionKind::Converted),
                ("tags[1]", CorrectionKind::LeftOut),
            ]
        );
        assert_eq!(corrections[3].arrived, Some(json!([{"name": "b"}])));
        assert_eq!(::serde_json::to_value(&read).unwrap(), body);
    }

    #[test]
    fn corrections_inside_a_list_name_the_item() {
        let body = json!({"id": "1", "count": 1, "tags": [{"name": "a"}, {"name": 5}, {}]});
        let (read, corrections) = read(body);
        let tags = read.tags.clone().unwrap();
        assert_eq!((tags[1].name.as_str(), tags[2].name.as_str()), ("5", ""));
        assert_eq!(
            corrections
                .iter()
                .map(|c| (c.path.as_str(), c.model))
                .collect::<Vec<_>>(),
            [("tags[1].name", "Tag"), ("tags[2].name", "Tag")]
        );
        assert_eq!(
            ::serde_json::to_value(&read).unwrap(),
            json!({"id": "1", "count": 1, "tags": [{"name": "a"}, {"name": "5"}, {}]})
        );
    }

    #[test]
    fn a_body_that_is_a_list_reads_as_its_readable_items() {
        let body = br#"[{"name": "a"}, "b", {"name": 3}]"#;
        let (tags, corrections) = decode::<Vec<Tag>>(body, false).unwrap();
        assert_eq!(
            tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            ["a", "3"]
        );
        assert_eq!(corrections[0].path, "[1]");
        assert_eq!(corrections[0].arrived, Some(json!("b")));
    }

    #[test]
    fn a_map_reads_as_its_readable_values() {
        type Counts = ::std::collections::BTreeMap<String, i64>;
        let body = br#"{"a": 1, "b": "x", "c": "3", "d": [4]}"#;
        let (counts, corrections) = decode::<Counts>(body, false).unwrap();
        assert_eq!(counts, Counts::from([("a".into(), 1), ("c".into(), 3)]));
        assert_eq!(
            corrections
                .iter()
                .map(|c| (c.path.as_str(), c.kind))
                .collect::<Vec<_>>(),
            [
                ("b", CorrectionKind::LeftOut),
                ("c", CorrectionKind::Converted),
                ("d", CorrectionKind::LeftOut),
            ]
        );
        assert_eq!(corrections[2].arrived, Some(json!([4])));
    }

    #[test]
    fn a_list_object_reads_where_an_array_is_declared() {
        let body = json!({"type": "list", "data": [{"name": "a"}]});
        let (tags, corrections) =
            decode::<Vec<Tag>>(&::serde_json::to_vec(&body).unwrap(), false).unwrap();
        assert_eq!(tags[0].name, "a");
        assert_eq!(corrections[0].kind, CorrectionKind::ListObject);
        // Not with two arrays, and not strictly.
        let two = json!({"type": "list", "data": [], "more": []});
        assert!(decode::<Vec<Tag>>(&::serde_json::to_vec(&two).unwrap(), false).is_err());
        assert!(decode::<Vec<Tag>>(&::serde_json::to_vec(&body).unwrap(), true).is_err());
    }

    #[test]
    fn a_strict_read_fails_where_a_tolerant_one_corrects() {
        let body = br#"{"id": 7, "count": 1}"#;
        let error = decode::<Conversation>(body, true).unwrap_err();
        assert!(error.to_string().contains("expected a string"), "{error}");
        assert!(decode::<Conversation>(body, false).is_ok());
    }

    #[test]
    fn a_body_of_another_shape_is_not_corrected() {
        assert!(decode::<Conversation>(b"[1, 2]", false).is_err());
        assert!(decode::<Conversation>(b"not json", false).is_err());
    }

    #[test]
    fn the_marker_key_the_api_might_send_is_dropped() {
        let body = json!({"id": 1, "count": 1, "\u{0}as_arrived": [["count", 5]]});
        let (read, _) = read(body);
        assert_eq!(read.count, 1);
        assert_eq!(
            ::serde_json::to_value(&read).unwrap(),
            json!({"id": "1", "count": 1})
        );
    }

    #[test]
    fn a_correction_says_where_and_what() {
        let (_, corrections) = read(json!({"id": [], "count": 1}));
        assert_eq!(
            corrections[0].to_string(),
            "`id`: expected a string, found an array (of another shape; kept as it arrived)"
        );
    }

    #[test]
    fn stand_ins_fill_required_members_of_a_struct() {
        assert_eq!(stand_in(Tag::node(), 0), json!({"name": ""}));
        assert_eq!(stand_in(<Vec<Tag>>::node(), 0), json!([]));
    }
}
