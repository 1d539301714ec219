//! Support for the example tests: read each example into its type, write
//! it back, and compare; then look for what the types did not type.

use ::serde::de::DeserializeOwned;
use ::serde::Serialize;
use ::serde_json::Value;

/// What a typed value holds that its types do not describe: values kept in
/// an `additional_properties` map, in an `Unknown` variant, or read as an
/// alternative of a union that has no place for them.
pub trait Untyped {
    /// Push a line for each such place under `at` (a JSON path) to `out`.
    fn untyped(&self, at: &str, out: &mut Vec<String>);
}

/// Scalars and JSON values hold nothing untyped.
macro_rules! typed {
    ($($t:ty),*) => {
        $(impl Untyped for $t {
            fn untyped(&self, _: &str, _: &mut Vec<String>) {}
        })*
    };
}

typed!(String, i64, f64, bool, Value, ::serde_json::Map<String, Value>);

impl<T: Untyped> Untyped for Option<T> {
    fn untyped(&self, at: &str, out: &mut Vec<String>) {
        if let Some(x) = self {
            x.untyped(at, out);
        }
    }
}

impl<T: Untyped> Untyped for Vec<T> {
    fn untyped(&self, at: &str, out: &mut Vec<String>) {
        for (i, x) in self.iter().enumerate() {
            x.untyped(&format!("{at}[{i}]"), out);
        }
    }
}

impl<T: Untyped> Untyped for Box<T> {
    fn untyped(&self, at: &str, out: &mut Vec<String>) {
        (**self).untyped(at, out);
    }
}

impl<T: Untyped> Untyped for ::std::collections::BTreeMap<String, T> {
    fn untyped(&self, at: &str, out: &mut Vec<String>) {
        for (k, x) in self {
            x.untyped(&format!("{at}.{k}"), out);
        }
    }
}

/// `Untyped` for a struct of `models`: its `additional_properties`, then the
/// fields (Rust name, JSON name) that can hold anything untyped.
#[allow(unused_macros)]
macro_rules! untyped_struct {
    ($name:ident $(, $field:ident $json:literal)*) => {
        impl crate::support::Untyped for models::$name {
            fn untyped(&self, at: &str, out: &mut Vec<String>) {
                crate::support::extra(&self.additional_properties, at, out);
                $(crate::support::Untyped::untyped(&self.$field, &format!("{at}.{}", $json), out);)*
            }
        }
    };
}

/// `Untyped` for string enums of `models`: a value they do not list.
#[allow(unused_macros)]
macro_rules! untyped_enum {
    ($($name:ident),*) => {
        $(impl crate::support::Untyped for models::$name {
            fn untyped(&self, at: &str, out: &mut Vec<String>) {
                if let models::$name::Unknown(value) = self {
                    out.push(format!("{at}: {value:?} is not a value the description lists"));
                }
            }
        })*
    };
}

/// `Untyped` for a union of `models`: the alternative read (those that can
/// hold something untyped, then the others), or `Unknown`.
#[allow(unused_macros)]
macro_rules! untyped_union {
    ($name:ident; $($held:ident),*; $($plain:ident),*) => {
        impl crate::support::Untyped for models::$name {
            fn untyped(&self, at: &str, out: &mut Vec<String>) {
                match self {
                    $(models::$name::$held(x) => crate::support::Untyped::untyped(x, at, out),)*
                    $(models::$name::$plain(_) => {})*
                    // A null holds nothing to type.
                    models::$name::Unknown(value) if !value.is_null() => {
                        out.push(format!("{at}: fits none of the alternatives of `{}`", stringify!($name)))
                    }
                    _ => {}
                }
            }
        }
    };
}

/// The keys of an `additional_properties` map, each an untyped place.
#[allow(dead_code)]
pub fn extra(map: &::serde_json::Map<String, Value>, at: &str, out: &mut Vec<String>) {
    for k in map.keys() {
        out.push(format!("{at}.{k} (not a property of its type)"));
    }
}

/// Read `json` as `T` and write it back; `Err` says where it went wrong.
/// `Ok` holds the places the types left untyped.
pub fn round_trip<T: DeserializeOwned + Serialize + Untyped>(json: &str) -> Result<Vec<String>, String> {
    let original: Value = ::serde_json::from_str(json).map_err(|e| format!("the example is not JSON: {e}"))?;
    let typed: T = ::serde_path_to_error::deserialize(original.clone())
        .map_err(|e| format!("does not deserialize at `{}`: {}", e.path(), e.inner()))?;
    let back = ::serde_json::to_value(&typed).map_err(|e| format!("does not serialize: {e}"))?;
    if let Some(path) = difference(&original, &back, "$") {
        return Err(format!("does not round-trip at `{path}`"));
    }
    let mut untyped = Vec::new();
    typed.untyped("$", &mut untyped);
    Ok(untyped)
}

/// The first place where `a` and `b` differ, with key order, an explicit
/// null versus an absent key, and `1` versus `1.0` counted as equal.
pub fn difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys = x.keys().chain(y.keys());
            for k in keys {
                let (u, v) = (x.get(k).unwrap_or(&Value::Null), y.get(k).unwrap_or(&Value::Null));
                if let Some(p) = difference(u, v, &format!("{at}.{k}")) {
                    return Some(p);
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(at.to_string());
            }
            x.iter().zip(y).enumerate().find_map(|(i, (u, v))| difference(u, v, &format!("{at}[{i}]")))
        }
        (Value::Number(x), Value::Number(y)) => (x.as_f64() != y.as_f64()).then(|| at.to_string()),
        (x, y) => (x != y).then(|| at.to_string()),
    }
}

/// An example: its label, the places `lint-spec` lists as gaps of the
/// description (values no type can hold), and its check. Its JSON is the
/// line of `examples.txt` with the same index.
pub type Case = (&'static str, &'static [&'static str], fn(&str) -> Result<Vec<String>, String>);

/// Whether an untyped place is one of the example's known gaps.
fn is_gap(place: &str, gaps: &[&str]) -> bool {
    gaps.iter().any(|g| place.strip_prefix(g).is_some_and(|rest| rest.starts_with(':')))
}

/// Run every case; print the tally (and, with `EXAMPLES_UNTYPED` set, every
/// untyped place); fail naming each failure. An example is fully typed when
/// nothing in it is untyped but the gaps of the description `lint-spec`
/// lists: `typed: T of N fully typed`. Untyped places are counted, not failed.
pub fn run(cases: &[Case], examples: &str) {
    // The first line is the generator's marker.
    let lines: Vec<&str> = examples.lines().skip(1).collect();
    assert_eq!(lines.len(), cases.len(), "examples.txt does not match the cases");
    let mut failures = Vec::new();
    let (mut fully_typed, mut with_gaps) = (0, 0);
    let show = ::std::env::var_os("EXAMPLES_UNTYPED").is_some();
    for ((label, gaps, check), json) in cases.iter().zip(lines) {
        match check(json) {
            Err(e) => failures.push(format!("{label}: {e}")),
            Ok(untyped) => {
                let (known, unknown): (Vec<String>, Vec<String>) = untyped.into_iter().partition(|p| is_gap(p, gaps));
                if unknown.is_empty() {
                    fully_typed += 1;
                    with_gaps += usize::from(!known.is_empty());
                }
                if show {
                    for place in &unknown {
                        println!("untyped: {label}: {place}");
                    }
                    for place in &known {
                        println!("gap (lint-spec lists it): {label}: {place}");
                    }
                }
            }
        }
    }
    // Examples that keep a value the description has no type for in `Unknown`, at a place lint-spec lists.
    let gaps = if with_gaps > 0 {
        format!(" ({with_gaps} of them at a gap of the description that `cargo xtask lint-spec` lists)")
    } else {
        String::new()
    };
    println!(
        "examples: {} passed, {} failed; typed: {fully_typed} of {} fully typed{gaps}",
        cases.len() - failures.len(),
        failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "{} example(s) failed:\n{}", failures.len(), failures.join("\n"));
}
