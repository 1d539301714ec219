//! The traps a new user meets in a crate's names (issue 33), counted so
//! that `cargo xtask corpus` can show none is left: each is a list of where.

use super::Surface;
use crate::idents::{lower_words, snake_ident};
use crate::ir::{Api, TypeKind, TypeRef};

/// The verbs a method's name starts with where the shape names it.
const VERBS: &[&str] = &["list", "retrieve", "create", "update", "delete"];

/// Other verbs for the same actions, which a method should not start with.
const SECOND_VERBS: &[&str] = &["get", "show", "find", "fetch", "read", "view", "lookup"];

/// Where each trap is, by kind.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Traps {
    /// Request bodies that took a longer name because a component has the
    /// one they wanted, and that the component does not convert into.
    pub bodies_by_another_name: Vec<String>,
    /// Types the description does not name (no component) named by a bare
    /// word: one or two words, the name of one of their own fields (`Id`
    /// with a field `id`).
    pub bare_word_types: Vec<String>,
    /// Request builders whose name does not start with their method's verb.
    pub builders_not_after_method: Vec<String>,
    /// Methods named by a second verb for an action (`get` for `retrieve`).
    pub second_verbs: Vec<String>,
}

impl Traps {
    /// How many there are in all.
    pub fn count(&self) -> usize {
        self.bodies_by_another_name.len()
            + self.bare_word_types.len()
            + self.builders_not_after_method.len()
            + self.second_verbs.len()
    }
}

/// The traps of `surface`.
pub fn traps(api: &Api, surface: &Surface) -> Traps {
    let mut out = Traps::default();
    for (op, s) in surface.ops(api) {
        let call = surface.call(s);
        let verb = s.method.split('_').next().unwrap_or_default();
        let builder = lower_words(&s.builder);
        if VERBS.contains(&verb) && builder.first().map(String::as_str) != Some(verb) {
            out.builders_not_after_method
                .push(format!("{call}: {}", s.builder));
        }
        if SECOND_VERBS.contains(&verb) {
            out.second_verbs.push(call.clone());
        }
        if let Some(TypeRef::Named(id)) = op.body.as_ref().map(|b| &b.ty) {
            let t = api.ty(*id);
            let names = &surface.types[id.0];
            let wanted = t.place.name();
            if !t.is_component() && names.name != wanted && names.extends.is_none() {
                let holder = surface.types.iter().any(|n| n.name == wanted);
                if holder {
                    out.bodies_by_another_name
                        .push(format!("{call}: {}", names.name));
                }
            }
        }
    }
    for (i, t) in api.types.iter().enumerate() {
        let TypeKind::Struct { fields } = &t.kind else {
            continue;
        };
        // A component is named by the description (`tags`, a list of tags).
        if t.is_component() {
            continue;
        }
        let name = &surface.types[i].name;
        let words = lower_words(name);
        let own = fields
            .iter()
            .any(|f| lower_words(&snake_ident(&f.json_name)) == words);
        if words.len() <= 2 && own {
            out.bare_word_types.push(name.clone());
        }
    }
    out.bare_word_types.sort();
    out.bare_word_types.dedup();
    out
}
