//! The `webhooks` module of a crate: which topics it lists and which of
//! the crate's own models type a notification's item, from the table of
//! Intercom's webhook topics (`spec/webhooks.yaml`, data the generator
//! reads) and the description's component schemas.

use super::names::{variant_ident, Case, Scope};
use crate::ir::{Api, TypeId, TypeKind};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

const TABLE: &str = include_str!("../../../spec/webhooks.yaml");

/// The table, as `spec/webhooks.yaml` gives it.
#[derive(Debug, Clone, Deserialize)]
pub struct Table {
    pub objects: BTreeMap<String, Object>,
    pub topics: BTreeMap<String, TopicRule>,
}

/// What a notification's item can be.
#[derive(Debug, Clone, Deserialize)]
pub struct Object {
    /// Values of the item's own `type` that name this object.
    pub types: Vec<String>,
    /// Component schemas that type it, the first a description defines used.
    pub schemas: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TopicRule {
    pub object: String,
    pub since: String,
}

/// The table (our own file, parsed once; a test checks that it parses).
pub fn table() -> &'static Table {
    static PARSED: OnceLock<Table> = OnceLock::new();
    PARSED.get_or_init(|| {
        serde_yaml::from_str(TABLE).unwrap_or(Table {
            objects: BTreeMap::new(),
            topics: BTreeMap::new(),
        })
    })
}

/// A topic of the crate's `Topic` enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// As on the wire: `conversation.admin.replied`.
    pub wire: String,
    /// The Rust variant: `ConversationAdminReplied`.
    pub variant: String,
    /// The object its notifications carry (a key of the table's objects).
    pub object: String,
}

/// An alternative of the crate's `Item` enum: an object the crate has a model for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The object (`conversation`).
    pub object: String,
    /// The Rust variant (`Conversation`).
    pub variant: String,
    /// Values of the item's `type` that name it.
    pub types: Vec<String>,
    /// The model that types it.
    pub ty: TypeId,
}

/// What the crate's `webhooks` module lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Webhooks {
    pub topics: Vec<Topic>,
    pub items: Vec<Item>,
}

/// `2.11` as (2, 11); `None` for a version that is not Intercom's.
fn intercom_version(version: &str) -> Option<(u32, u32)> {
    let (major, minor) = version.trim().split_once('.')?;
    let v = (major.parse().ok()?, minor.parse().ok()?);
    (v.0 >= 1).then_some(v)
}

/// The topics and items of `api`'s crate.
pub fn webhooks(api: &Api) -> Webhooks {
    let table = table();
    let version = intercom_version(&api.version);
    let mut topics: Vec<Topic> = Vec::new();
    let mut scope = Scope::new(Case::Camel, "Topic").reserve(["Unknown", "Self"]);
    for (wire, rule) in &table.topics {
        let listed = match (version, intercom_version(&rule.since)) {
            (Some(v), Some(since)) => since <= v,
            _ => true,
        };
        if listed {
            let variant = scope.claim(&variant_ident(wire), wire).name;
            topics.push(Topic {
                wire: wire.clone(),
                variant,
                object: rule.object.clone(),
            });
        }
    }
    // The component schemas, by name, that are objects or unions.
    let component = |name: &str| -> Option<TypeId> {
        let origin = format!("/components/schemas/{}", crate::pointer::escape(name));
        api.types.iter().enumerate().find_map(|(i, t)| {
            let here = t.origin == origin || t.also_at.contains(&origin);
            let typed = matches!(t.kind, TypeKind::Struct { .. } | TypeKind::Union { .. });
            (here && typed).then_some(TypeId(i))
        })
    };
    let mut variants = Scope::new(Case::Camel, "Item").reserve(["Unknown", "Self"]);
    let items = table
        .objects
        .iter()
        .filter_map(|(object, o)| {
            let ty = o.schemas.iter().find_map(|s| component(s))?;
            Some(Item {
                object: object.clone(),
                variant: variants.claim(&variant_ident(object), object).name,
                types: o.types.clone(),
                ty,
            })
        })
        .collect();
    Webhooks { topics, items }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_parses_and_names_known_objects() {
        let t = table();
        assert!(t.topics.len() > 40, "{}", t.topics.len());
        for (topic, rule) in &t.topics {
            assert!(
                rule.object == "ping" || t.objects.contains_key(&rule.object),
                "{topic}: object `{}` is not in the table",
                rule.object
            );
            assert!(
                intercom_version(&rule.since).is_some(),
                "{topic}: since {}",
                rule.since
            );
        }
    }

    #[test]
    fn a_version_lists_the_topics_documented_by_then() {
        assert!(intercom_version("2.11") > intercom_version("2.9"));
        assert_eq!(intercom_version("v1"), None);
    }
}
