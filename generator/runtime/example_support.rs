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

/// Read a body as the client reads a response (`from_json`, tolerantly or
/// strictly): what it writes back and its corrections (each one's path
/// and, for a value of another shape, the value as it arrived), or the
/// path of the error.
pub type Read = fn(&[u8], bool) -> Result<(Value, Vec<(String, Option<Value>)>), String>;

/// What `Read` gives of `from_json`'s answer.
#[allow(dead_code)]
pub fn written<T: Serialize, E>(
    read: Result<(T, Vec<(String, Option<Value>)>), E>,
    path: impl Fn(&E) -> String,
) -> Result<(Value, Vec<(String, Option<Value>)>), String> {
    match read {
        Ok((value, corrections)) => ::serde_json::to_value(&value)
            .map(|v| (v, corrections))
            .map_err(|e| format!("does not serialize: {e}")),
        Err(e) => Err(path(&e)),
    }
}

/// A list or map with no struct above it (the body itself, or held only by
/// lists and maps) has no struct to keep an item it leaves out: the item is
/// in its correction (docs/decoding.md, `LeftOut`). Put each back where it
/// was, shallow places first, so that what was read can be compared with
/// what arrived. An item a struct kept is already there: its list is as
/// long as it arrived.
fn restore(written: &mut Value, arrived_body: &Value, left_out: &[(String, Option<Value>)]) {
    let mut all = Vec::new();
    places(arrived_body, &mut Vec::new(), &mut all);
    let by_path: ::std::collections::HashMap<String, Vec<Step>> =
        all.into_iter().map(|p| (render(&p), p)).collect();
    let mut todo: Vec<(Vec<Step>, Value)> = left_out
        .iter()
        .filter_map(|(path, item)| Some((by_path.get(path)?.clone(), item.clone()?)))
        .collect();
    let order = |steps: &[Step]| {
        let index = match steps.last() {
            Some(Step::Index(i)) => *i,
            _ => 0,
        };
        (steps.len(), index)
    };
    todo.sort_by_key(|(steps, _)| order(steps));
    for (steps, item) in todo {
        let Some((last, parent)) = steps.split_last() else {
            continue;
        };
        let expected_len = get(arrived_body, parent).and_then(Value::as_array).map(Vec::len);
        match (get_mut(written, parent), last) {
            (Some(Value::Array(items)), Step::Index(i))
                if expected_len.is_some_and(|n| items.len() < n) && *i <= items.len() =>
            {
                items.insert(*i, item);
            }
            (Some(Value::Object(entries)), Step::Key(k)) if !entries.contains_key(k) => {
                entries.insert(k.clone(), item);
            }
            _ => {}
        }
    }
}

fn get<'v>(value: &'v Value, path: &[Step]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(k) => v.get(k.as_str()),
        Step::Index(i) => v.get(*i),
    })
}

/// An example: its label, the places `lint-spec` lists as gaps of the
/// description (values no type can hold), its check, and for a response,
/// how the client reads it (for the drift test). Its JSON is the line of
/// `examples.txt` with the same index.
pub type Case = (
    &'static str,
    &'static [&'static str],
    fn(&str) -> Result<Vec<String>, String>,
    Option<Read>,
);

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
    let mut drift = Drift::default();
    for ((label, gaps, check, read), json) in cases.iter().zip(lines.iter().copied()) {
        if let Some(read) = read {
            drift.example(label, json, *read, &mut failures);
        }
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
        "examples: {} passed, {} failed; typed: {fully_typed} of {} fully typed{gaps}; {drift}",
        cases.len() - failures.len(),
        failures.len(),
        cases.len()
    );
    assert!(failures.is_empty(), "{} example(s) failed:\n{}", failures.len(), failures.join("\n"));
}

/// The drift test (docs/decoding.md): each response example, read as the
/// client reads it, needs no correction; then, drifted at random places
/// (`DRIFT_SEED`, `DRIFT_ROUNDS`), it still reads tolerantly, and written
/// back it is the drifted JSON (a converted scalar compared as its text);
/// read strictly, it fails at a drifted place or reads with nothing lost.
#[derive(Default)]
struct Drift {
    mutations: usize,
    read: usize,
    kept: usize,
    strict_failed: usize,
    strict_read: usize,
}

impl ::std::fmt::Display for Drift {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        write!(
            f,
            "drift: {} mutations, {} read, {} kept; read strictly, {} of {} drifted bodies failed at a drifted place, the others read with nothing lost",
            self.mutations,
            self.read,
            self.kept,
            self.strict_failed,
            self.strict_failed + self.strict_read
        )
    }
}

/// A step of a path: an object's key or an array's index.
#[derive(Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// `a.b[2].c`, or `the body` for the whole body, as decode errors say it.
fn render(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    if out.is_empty() {
        out.push_str("the body");
    }
    out
}

/// A small deterministic generator (xorshift64*): no dependency for a test.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, label: &str) -> Rng {
        let mut h = seed ^ 0x9E37_79B9_7F4A_7C15;
        for b in label.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3);
        }
        Rng(h | 1)
    }

    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n.max(1)
    }
}

/// Every place below the root, with its path.
fn places(value: &Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    let children: Vec<(Step, &Value)> = match value {
        Value::Object(m) => m.iter().map(|(k, v)| (Step::Key(k.clone()), v)).collect(),
        Value::Array(a) => a.iter().enumerate().map(|(i, v)| (Step::Index(i), v)).collect(),
        _ => return,
    };
    for (step, child) in children {
        at.push(step);
        out.push(at.clone());
        places(child, at, out);
        at.pop();
    }
}

fn get_mut<'v>(value: &'v mut Value, path: &[Step]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(k) => v.get_mut(k.as_str()),
        Step::Index(i) => v.get_mut(*i),
    })
}

/// Drift `value` at one random place; the path drifted. A member of an
/// object may be removed; a scalar becomes another kind (a number its
/// text, a string a number, a boolean its text); any value may become
/// `null`; a list an object, an object a list.
fn mutate(value: &mut Value, rng: &mut Rng) -> Option<Vec<Step>> {
    let mut all = Vec::new();
    places(value, &mut Vec::new(), &mut all);
    let path = all.get(rng.below(all.len()))?.clone();
    if let (Some(Step::Key(key)), 0) = (path.last(), rng.below(5)) {
        let parent = get_mut(value, &path[..path.len() - 1])?;
        parent.as_object_mut()?.remove(key);
        return Some(path);
    }
    let place = get_mut(value, &path)?;
    *place = match (place.take(), rng.below(3)) {
        (_, 0) => Value::Null,
        (Value::Number(n), _) => Value::String(n.to_string()),
        (Value::Bool(b), _) => Value::String(b.to_string()),
        (Value::String(_), _) => Value::from(12345),
        (Value::Array(_), _) => ::serde_json::json!({"unexpected": true}),
        (object @ Value::Object(_), _) => Value::Array(vec![object]),
        (Value::Null, _) => Value::from(true),
    };
    Some(path)
}

/// Whether two values are the same with a converted scalar compared as its
/// text (`7` and `"7"`, `5` and `"5.0"`), key order, explicit null against
/// an absent key, and `1` against `1.0` as `difference` counts them.
fn same_as_text(a: &Value, b: &Value) -> bool {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x.keys().chain(y.keys()).all(|k| {
            same_as_text(x.get(k).unwrap_or(&Value::Null), y.get(k).unwrap_or(&Value::Null))
        }),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(u, v)| same_as_text(u, v))
        }
        (x, y) if x == y => true,
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (x, y) => match (text(x), text(y)) {
            (Some(u), Some(v)) => {
                u == v || matches!((u.trim().parse::<f64>(), v.trim().parse::<f64>()), (Ok(p), Ok(q)) if p == q)
            }
            _ => false,
        },
    }
}

impl Drift {
    fn example(&mut self, label: &str, json: &str, read: Read, failures: &mut Vec<String>) {
        let Ok(original) = ::serde_json::from_str::<Value>(json) else {
            return;
        };
        match read(json.as_bytes(), false) {
            Ok((_, c)) if c.is_empty() => {}
            Ok((_, c)) => failures.push(format!("{label}: the example as documented takes {} correction(s)", c.len())),
            Err(at) => failures.push(format!("{label}: the example as documented does not read (at `{at}`)")),
        }
        let seed = ::std::env::var("DRIFT_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(20261206);
        let rounds = ::std::env::var("DRIFT_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(8);
        let mut rng = Rng::new(seed, label);
        for round in 0..rounds {
            let mut drifted = original.clone();
            let mut paths = Vec::new();
            for _ in 0..1 + rng.below(3) {
                paths.extend(mutate(&mut drifted, &mut rng));
            }
            // A list object where an array is declared reads as that array.
            let expected = drifted.clone();
            if drifted.is_array() && rng.below(4) == 0 {
                drifted = ::serde_json::json!({"type": "list", "data": drifted});
            }
            if paths.is_empty() {
                continue;
            }
            self.mutations += paths.len();
            let body = ::serde_json::to_vec(&drifted).unwrap_or_default();
            let at = || paths.iter().map(|p| render(p)).collect::<Vec<_>>().join(", ");
            let written = match read(&body, false) {
                Ok((mut written, corrections)) => {
                    restore(&mut written, &expected, &corrections);
                    written
                }
                Err(e) => {
                    failures.push(format!("{label}: drift round {round} ({}) does not read: at `{e}`", at()));
                    continue;
                }
            };
            self.read += paths.len();
            if !same_as_text(&expected, &written) {
                let place = difference(&expected, &written, "$").unwrap_or_default();
                failures.push(format!("{label}: drift round {round} ({}) is not written back as it arrived, at `{place}`", at()));
                continue;
            }
            self.kept += paths.len();
            match read(&body, true) {
                Ok((mut strict, corrections)) => {
                    restore(&mut strict, &expected, &corrections);
                    if same_as_text(&expected, &strict) {
                        self.strict_read += 1;
                    } else {
                        failures.push(format!("{label}: drift round {round} ({}) read strictly loses data", at()));
                    }
                }
                Err(e) => {
                    // The first difference in the body: a drifted place, the
                    // object missing a member, or inside what a drift put there.
                    let related = paths.iter().any(|p| {
                        let place = render(p);
                        (0..=p.len()).any(|n| render(&p[..n]) == e)
                            || e.starts_with(&format!("{place}."))
                            || e.starts_with(&format!("{place}["))
                    });
                    if related {
                        self.strict_failed += 1;
                    } else {
                        failures.push(format!("{label}: drift round {round} ({}) fails strictly at `{e}`, no mutated place", at()));
                    }
                }
            }
        }
    }
}
