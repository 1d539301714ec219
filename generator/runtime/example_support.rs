//! Support for the example tests: read each example into its type, write
//! it back, and compare.

use ::serde::de::DeserializeOwned;
use ::serde::Serialize;
use ::serde_json::Value;

/// Read `json` as `T` and write it back; `Err` says where it went wrong.
pub fn round_trip<T: DeserializeOwned + Serialize>(json: &str) -> Result<(), String> {
    let original: Value = ::serde_json::from_str(json).map_err(|e| format!("the example is not JSON: {e}"))?;
    let typed: T = ::serde_path_to_error::deserialize(original.clone())
        .map_err(|e| format!("does not deserialize at `{}`: {}", e.path(), e.inner()))?;
    let back = ::serde_json::to_value(&typed).map_err(|e| format!("does not serialize: {e}"))?;
    match difference(&original, &back, "$") {
        None => Ok(()),
        Some(path) => Err(format!("does not round-trip at `{path}`")),
    }
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

/// Run every case; print the tally; fail naming each failure.
pub fn run(cases: &[(&str, &str, fn(&str) -> Result<(), String>)]) {
    let mut failures = Vec::new();
    for (label, json, check) in cases {
        if let Err(e) = check(json) {
            failures.push(format!("{label}: {e}"));
        }
    }
    println!("examples: {} passed, {} failed", cases.len() - failures.len(), failures.len());
    assert!(failures.is_empty(), "{} example(s) failed:\n{}", failures.len(), failures.join("\n"));
}
