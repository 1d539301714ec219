//! How well a JSON value fits a type, written once. The runtime reads a
//! union as the alternative the data fits best (`shape.rs`, `pick`); the
//! generator's evidence pass, which foretells what the runtime reads for
//! every example of a description, compiles this same file
//! (`generator/src/normalize/mod.rs` includes it as `normalize::fit`), so
//! the two cannot drift apart.
//!
//! Items a need gates are on in the generator as in the runtime crate
//! itself (its `Cargo.toml` turns those needs on).

use ::serde_json::Value;

/// How well a JSON value fits a type: to read a union as the alternative
/// the data is. More is better: fewer keys the type would leave unread
/// first, then more keys (or listed values) it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fit {
    unread: usize,
    read: usize,
}

impl Fit {
    pub fn new(unread: usize, read: usize) -> Self {
        Fit { unread, read }
    }
}

impl PartialOrd for Fit {
    fn partial_cmp(&self, other: &Self) -> Option<::std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Fit {
    fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
        other
            .unread
            .cmp(&self.unread)
            .then(self.read.cmp(&other.read))
    }
}

/// A type that is a JSON kind and no named type (a number, a list, a map):
/// a value of that kind fits, with nothing left unread.
pub fn kind_fit(of_kind: bool) -> Option<Fit> {
    of_kind.then_some(Fit::new(0, 1))
}

/// Any value fits an untyped value, with nothing read.
pub fn any_fit() -> Fit {
    Fit::new(0, 0)
}

/// A string fits a string type; one the type lists reads more. A plain
/// string lists every string; a string enum, its values.
pub fn string_fit(value: &Value, listed: impl FnOnce(&str) -> bool) -> Option<Fit> {
    let text = value.as_str()?;
    Some(Fit::new(0, usize::from(listed(text))))
}

/// The fit of an object for a struct with these property names, required
/// ones, and one-value properties (`type: "admin"`): `None` when it is no
/// object, lacks a required property (or has it `null`), or has another
/// value for a one-value property.
#[cfg(feature = "needs-struct-alternative")]
pub fn object_fit(
    value: &Value,
    fields: &[&str],
    required: &[&str],
    constants: &[(&str, &str)],
) -> Option<Fit> {
    let map = value.as_object()?;
    if required
        .iter()
        .any(|r| !matches!(map.get(*r), Some(v) if !v.is_null()))
    {
        return None;
    }
    if constants
        .iter()
        .any(|(k, v)| map.get(*k).is_some_and(|x| x.as_str() != Some(v)))
    {
        return None;
    }
    let read = map.keys().filter(|k| fields.contains(&k.as_str())).count();
    Some(Fit::new(map.len() - read, read))
}

/// The order in which a union tries its alternatives, given each one's fit
/// (`None`: it cannot be that): the indexes of those that fit, best first,
/// the one listed first among equals.
#[cfg(feature = "needs-pick")]
pub fn ranked(fits: impl IntoIterator<Item = Option<Fit>>) -> Vec<usize> {
    let mut ranked: Vec<(Fit, usize)> = fits
        .into_iter()
        .enumerate()
        .filter_map(|(i, fit)| fit.map(|f| (f, i)))
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::serde_json::json;

    #[test]
    fn fewer_unread_keys_first_then_more_read() {
        assert!(Fit::new(0, 1) > Fit::new(1, 5));
        assert!(Fit::new(0, 3) > Fit::new(0, 2));
        assert_eq!(
            ranked([
                Some(Fit::new(1, 5)),
                None,
                Some(Fit::new(0, 1)),
                Some(Fit::new(0, 1))
            ]),
            vec![2, 3, 0]
        );
    }

    #[test]
    fn an_object_fits_by_its_required_and_one_value_properties() {
        let admin = json!({"type": "admin", "id": "1", "extra": 1});
        assert_eq!(
            object_fit(&admin, &["type", "id"], &["id"], &[("type", "admin")]),
            Some(Fit::new(1, 2))
        );
        assert_eq!(
            object_fit(&admin, &["type", "id"], &["id"], &[("type", "user")]),
            None
        );
        // A one-value property present as `null` is another value.
        let null_tag = json!({"type": null, "id": "1"});
        assert_eq!(
            object_fit(&null_tag, &["type", "id"], &["id"], &[("type", "admin")]),
            None
        );
        assert_eq!(
            object_fit(&json!({"id": null}), &["id"], &["id"], &[]),
            None
        );
        assert_eq!(object_fit(&admin, &["name"], &["name"], &[]), None);
        assert_eq!(object_fit(&json!("admin"), &[], &[], &[]), None);
    }

    #[test]
    fn a_string_fits_and_a_listed_one_reads_more() {
        assert_eq!(string_fit(&json!("a"), |t| t == "a"), Some(Fit::new(0, 1)));
        assert_eq!(string_fit(&json!("b"), |t| t == "a"), Some(Fit::new(0, 0)));
        assert_eq!(string_fit(&json!(1), |_| true), None);
        assert_eq!(kind_fit(false), None);
        assert_eq!(any_fit(), Fit::new(0, 0));
    }
}
