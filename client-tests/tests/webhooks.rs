//! Receiving webhooks with the shipped crate (issue 24): signed samples
//! built from the description's own examples of the item types verify and
//! read as the right `Item`, every fault has its documented error, and no
//! body, however hostile, makes `parse` panic.

use intercom_api::webhooks::{self, Item, Notification, Topic, WebhookError};
use serde_json::{json, Value};

const SECRET: &[u8] = b"the app's client secret";

/// The description's own examples (one a line, as the crate's example tests read them).
fn examples_of(item_type: &str) -> Vec<Value> {
    let text = include_str!("../../generated/tests/examples.txt");
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["type"] == item_type)
        .collect()
}

fn envelope(topic: &str, item: Value) -> Vec<u8> {
    json!({
        "type": "notification_event",
        "app_id": "abc123",
        "id": "notif_1",
        "topic": topic,
        "delivery_status": "pending",
        "delivery_attempts": 1,
        "first_sent_at": 1719492880,
        "created_at": 1719492880,
        "self": null,
        "data": {"type": "notification_event_data", "item": item},
    })
    .to_string()
    .into_bytes()
}

/// `value` without its null members (a typed value writes an absent field as nothing).
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

fn verified(topic: &str, item: Value) -> Notification {
    let body = envelope(topic, item);
    let header = webhooks::sign(&body, SECRET);
    webhooks::parse_verified(&body, &header, SECRET).unwrap()
}

#[test]
fn each_family_reads_as_the_crate_model_fully_typed() {
    let families = [
        ("conversation", "conversation.admin.replied"),
        ("ticket", "ticket.created"),
    ];
    for (item_type, topic) in families {
        let samples = examples_of(item_type);
        assert!(
            !samples.is_empty(),
            "the description has examples of `{item_type}`"
        );
        for sample in samples {
            let notification = verified(topic, sample.clone());
            assert_eq!(notification.topic.as_str(), topic);
            assert_eq!(notification.id.as_deref(), Some("notif_1"));
            assert_eq!(notification.app_id.as_deref(), Some("abc123"));
            assert_eq!(notification.delivery_attempts, Some(1));
            // Written back, the typed item is the sample: nothing was left behind.
            let written = match &notification.item {
                Item::Conversation(c) => {
                    assert_eq!(item_type, "conversation");
                    serde_json::to_value(c).unwrap()
                }
                Item::Ticket(t) => {
                    assert_eq!(item_type, "ticket");
                    serde_json::to_value(t).unwrap()
                }
                other => panic!("`{item_type}` read as {other:?}"),
            };
            assert_eq!(
                without_nulls(&written),
                without_nulls(&sample),
                "{item_type}"
            );
            // The envelope's other members are kept.
            assert_eq!(
                notification.additional_properties["type"],
                "notification_event"
            );
            assert_eq!(
                notification.additional_properties["data"]["type"],
                "notification_event_data"
            );
        }
    }
}

#[test]
fn an_item_without_a_type_reads_as_the_topic_object() {
    let mut sample = examples_of("conversation").remove(0);
    sample.as_object_mut().unwrap().remove("type");
    let notification = verified("conversation.user.created", sample);
    assert_eq!(notification.topic, Topic::ConversationUserCreated);
    assert_eq!(notification.topic.object(), Some("conversation"));
    assert!(
        matches!(notification.item, Item::Conversation(_)),
        "{:?}",
        notification.item
    );
}

#[test]
fn objects_without_a_model_and_unknown_topics_are_kept_as_received() {
    // The shipped crate has no `contact` model: the item is as received.
    let contact = json!({"type": "contact", "id": "c1", "role": "user"});
    let notification = verified("contact.user.created", contact.clone());
    assert_eq!(notification.topic, Topic::ContactUserCreated);
    assert_eq!(notification.item, Item::Unknown(contact));
    assert_eq!(notification.item.unknown_type(), Some("contact"));
    // A topic no version documents: `Unknown`, and its name round-trips.
    let notification = verified("widget.spun", json!({"type": "widget"}));
    assert_eq!(notification.topic, Topic::Unknown("widget.spun".into()));
    assert_eq!(notification.topic.to_string(), "widget.spun");
    assert_eq!(
        "conversation.admin.replied".parse::<Topic>().unwrap(),
        Topic::ConversationAdminReplied
    );
    // An item of a known type that differs from its model reads as it, as
    // a response does (docs/decoding.md), and keeps what arrived.
    let drifted = json!({"type": "conversation", "id": {"not": "a string"}});
    let Item::Conversation(read) = verified("conversation.admin.replied", drifted.clone()).item
    else {
        panic!("a drifted conversation reads as one");
    };
    assert_eq!(read.id, "");
    assert_eq!(serde_json::to_value(&read).unwrap(), drifted);
    // `ping` has no model of its own.
    assert!(matches!(
        verified("ping", json!({"type": "ping", "message": "hi"})).item,
        Item::Unknown(_)
    ));
}

#[test]
fn each_fault_has_its_documented_error() {
    let body = envelope("ping", json!({"type": "ping"}));
    let good = webhooks::sign(&body, SECRET);
    assert!(webhooks::verify(&body, &good, SECRET).is_ok());
    let mut tampered = body.clone();
    let last = tampered.len() - 2;
    tampered[last] = b' ';
    assert_eq!(
        webhooks::verify(&tampered, &good, SECRET),
        Err(WebhookError::WrongSignature)
    );
    assert_eq!(
        webhooks::verify(&body, &good, b"another secret"),
        Err(WebhookError::WrongSignature)
    );
    assert_eq!(
        webhooks::verify(&body[..body.len() - 1], &good, SECRET),
        Err(WebhookError::WrongSignature)
    );
    assert_eq!(
        webhooks::verify(&body, "", SECRET),
        Err(WebhookError::MissingSignature)
    );
    assert!(matches!(
        webhooks::verify(&body, &good["sha1=".len()..], SECRET),
        Err(WebhookError::MalformedSignature(_))
    ));
    assert!(matches!(
        webhooks::verify(&body, &good[..good.len() - 1], SECRET),
        Err(WebhookError::MalformedSignature(_))
    ));
    let not_hex = format!("sha1={}", "g".repeat(40));
    assert!(matches!(
        webhooks::verify(&body, &not_hex, SECRET),
        Err(WebhookError::MalformedSignature(_))
    ));
    // Signed, but not a notification.
    for bad in [b"[]".as_slice(), b"{}", b"{\"topic\": 7}", b"not json", b""] {
        let header = webhooks::sign(bad, SECRET);
        let got = webhooks::parse_verified(bad, &header, SECRET);
        assert!(
            matches!(got, Err(WebhookError::NotANotification(_))),
            "{got:?}"
        );
    }
}

/// A small deterministic generator, so a failing case can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn value(&mut self, depth: u32) -> Value {
        match self.next() % if depth > 3 { 5 } else { 7 } {
            0 => Value::Null,
            1 => json!(self.next().is_multiple_of(2)),
            2 => json!(self.next() as i64),
            3 => json!(
                ["conversation", "ticket", "contact", "", "é\u{0}"][(self.next() % 5) as usize]
            ),
            4 => json!((self.next() % 1000) as f64 / 7.0),
            5 => Value::Array(
                (0..self.next() % 4)
                    .map(|_| self.value(depth + 1))
                    .collect(),
            ),
            _ => {
                let keys = [
                    "type",
                    "id",
                    "topic",
                    "data",
                    "item",
                    "created_at",
                    "source",
                    "contacts",
                    "state",
                ];
                Value::Object(
                    (0..self.next() % 6)
                        .map(|_| {
                            (
                                keys[(self.next() % keys.len() as u64) as usize].to_string(),
                                self.value(depth + 1),
                            )
                        })
                        .collect(),
                )
            }
        }
    }
}

#[test]
fn no_body_makes_parse_panic() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let topics = [
        "conversation.admin.replied",
        "ticket.created",
        "ping",
        "x",
        "",
    ];
    for _ in 0..3000 {
        // Arbitrary bytes.
        let bytes: Vec<u8> = (0..rng.next() % 64).map(|_| rng.next() as u8).collect();
        let _ = webhooks::parse(&bytes);
        let _ = webhooks::verify(&bytes, &String::from_utf8_lossy(&bytes), &bytes);
        // Arbitrary envelopes, with known topics and arbitrary items.
        let topic = topics[(rng.next() % topics.len() as u64) as usize];
        let item = rng.value(0);
        let body = json!({"topic": topic, "id": rng.value(2), "data": {"item": item}, "created_at": rng.value(3)});
        let parsed = webhooks::parse(body.to_string().as_bytes());
        assert!(parsed.is_ok(), "{body}: {parsed:?}");
        let _ = webhooks::parse(rng.value(0).to_string().as_bytes());
    }
}
