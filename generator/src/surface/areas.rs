//! API areas: the spec's tags as modules of the crate, each with a Cargo
//! feature, a handle type that `Client` returns (`client.conversations()`),
//! and short method names on that handle (`reply` for `replyConversation`
//! in `conversations`).

use super::methods::singular;
use super::names::{snake_ident, type_ident, Case, Scope};
use super::{reserved, Area};
use crate::ir::Api;

/// The area of operations without a tag.
const UNTAGGED: &str = "other";

/// Module (and feature) names the crate root or Cargo already holds.
const MODULES: &[&str] = &[
    "models",
    "runtime",
    "webhooks",
    "mock",
    "tests",
    "std",
    "core",
    "alloc",
    "prelude",
    "default",
    "reqwest",
    "serde",
    "serde_json",
    "futures_util",
    "tokio",
    "tracing",
    "with_response",
    "lib",
    "main",
    "build",
    "full",
];

/// One area per first tag of an operation, in the order of the document's
/// tag list (then of first use); the operations of each, by index.
pub(super) fn areas(api: &Api) -> (Vec<Area>, Vec<usize>) {
    let mut tags: Vec<Option<&str>> = Vec::new();
    let mut of_op = Vec::with_capacity(api.operations.len());
    for op in &api.operations {
        let tag = op.tags.first().map(String::as_str);
        let i = match tags.iter().position(|t| *t == tag) {
            Some(i) => i,
            None => {
                tags.push(tag);
                tags.len() - 1
            }
        };
        of_op.push(i);
    }
    // The document's order of tags, so modules and docs follow it.
    let rank = |t: &Option<&str>| match t {
        Some(name) => api
            .tags
            .iter()
            .position(|d| d.name == *name)
            .unwrap_or(api.tags.len()),
        None => usize::MAX,
    };
    let mut order: Vec<usize> = (0..tags.len()).collect();
    order.sort_by_key(|&i| (rank(&tags[i]), i));
    let mut modules = Scope::new(Case::Snake, "_api").reserve(MODULES.iter().copied());
    let mut accessors = Scope::new(Case::Snake, "_api").reserve(reserved::client_methods());
    let mut areas = Vec::with_capacity(tags.len());
    let mut new_index = vec![0; tags.len()];
    for (n, &i) in order.iter().enumerate() {
        new_index[i] = n;
        let tag = tags[i];
        let pointer = format!("/tags/{}", tag.unwrap_or(UNTAGGED));
        let module = modules
            .claim(&snake_ident(tag.unwrap_or(UNTAGGED)), &pointer)
            .name;
        let accessor = accessors.claim(&module, &pointer).name;
        let handle = type_ident(&module);
        areas.push(Area {
            module,
            tag: tag.map(String::from),
            doc: tag.and_then(|t| {
                api.tags
                    .iter()
                    .find(|d| d.name == t)
                    .and_then(|d| d.description.clone())
            }),
            handle,
            accessor,
            ops: Vec::new(),
        });
    }
    let of_op = of_op.into_iter().map(|i| new_index[i]).collect();
    (areas, of_op)
}

/// Words that end a method name and read wrong once the area's name after
/// them is gone (`attach_contact_to_conversation` is `attach_contact`).
const TRAILING: &[&str] = &[
    "to", "from", "for", "of", "in", "on", "by", "with", "at", "into", "a", "an", "the",
];

/// `method` without the area's name in it: the first occurrence after the
/// first word of the module's words (as they are, or with the last one
/// singular), and the linking words it leaves at the end. `None` when
/// nothing is left, or the area's name is not in the method's.
pub(super) fn short_method(method: &str, module: &str) -> Option<String> {
    let words: Vec<&str> = method.split('_').filter(|w| !w.is_empty()).collect();
    let plural: Vec<&str> = module.split('_').filter(|w| !w.is_empty()).collect();
    let last = plural.last()?;
    let singular_last = singular(last);
    let mut singular_form = plural.clone();
    if let Some(l) = singular_form.last_mut() {
        *l = &singular_last;
    }
    for form in [&plural, &singular_form] {
        let n = form.len();
        if n == 0 || words.len() <= n {
            continue;
        }
        // The area's name leads only when it has several words (`data_event`
        // in `data_event_summaries`); one word there is the verb (`tag_contact`).
        let from = if n > 1 { 0 } else { 1 };
        let Some(at) = (from..=words.len() - n).find(|&i| words[i..i + n] == form[..]) else {
            continue;
        };
        let mut rest: Vec<&str> = words[..at].to_vec();
        rest.extend(&words[at + n..]);
        while rest.len() > 1 && rest.last().is_some_and(|w| TRAILING.contains(w)) {
            rest.pop();
        }
        // What is detached is detached from something (`detachSubscriptionTypeToContact`).
        if matches!(rest.first(), Some(&("detach" | "remove"))) && rest.get(1) == Some(&"to") {
            rest[1] = "from";
        }
        let short = rest.join("_");
        // A name that no longer starts with a letter, or is a keyword, is not shorter.
        return (snake_ident(&short) == short).then_some(short);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::short_method;

    #[test]
    fn short_names() {
        let cases = [
            ("list_conversations", "conversations", Some("list")),
            ("retrieve_conversation", "conversations", Some("retrieve")),
            (
                "attach_contact_to_conversation",
                "conversations",
                Some("attach_contact"),
            ),
            (
                "convert_conversation_to_ticket",
                "conversations",
                Some("convert_to_ticket"),
            ),
            ("get_ticket", "tickets", Some("get")),
            ("create_data_attribute", "data_attributes", Some("create")),
            ("list_companies", "companies", Some("list")),
            ("retrieve_company", "companies", Some("retrieve")),
            ("data_event_summaries", "data_events", Some("summaries")),
            (
                "detach_subscription_type_to_contact",
                "subscription_types",
                Some("detach_from_contact"),
            ),
            // The area's word as the verb stays.
            ("tag_contact", "tags", None),
            ("list_admins", "conversations", None),
            ("conversations", "conversations", None),
            // What is left is a keyword.
            ("mod_conversation", "conversations", None),
        ];
        for (method, module, want) in cases {
            assert_eq!(
                short_method(method, module).as_deref(),
                want,
                "{method} in {module}"
            );
        }
    }
}
