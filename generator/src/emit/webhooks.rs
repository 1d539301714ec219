//! `src/webhooks.rs`: receiving Intercom's webhooks, behind the `webhooks`
//! feature: the notification envelope, the topics the crate's version
//! documents, the item typed as the crate's own model, and signature
//! checks (the runtime's `webhook` module). The topics and objects come
//! from `spec/webhooks.yaml`, as the surface read it.

use super::types::{ident, Types};
use proc_macro2::TokenStream;
use quote::quote;

pub fn webhooks_module(types: &Types, krate: &str) -> TokenStream {
    let surface = types.surface;
    let hooks = &surface.webhooks;

    // Topic: a string enum, as the models' are (the runtime's `string_enum!`).
    let topic_variants = hooks.topics.iter().map(|t| {
        let (v, doc) = (
            ident(&t.variant),
            format!(" `{}`: carries {}.", t.wire, object_doc(types, &t.object)),
        );
        quote!(#[doc = #doc] #v,)
    });
    let topic_values = hooks.topics.iter().map(|t| {
        let (v, wire) = (ident(&t.variant), &t.wire);
        quote!((Self::#v, #wire),)
    });
    let topic_objects = hooks.topics.iter().map(|t| {
        let (v, object) = (ident(&t.variant), &t.object);
        quote!(Topic::#v => Some(#object),)
    });

    // Item: the crate's own models.
    let item_variants = hooks.items.iter().map(|i| {
        let v = ident(&i.variant);
        let ty = types.tokens(&crate::ir::TypeRef::Named(i.ty));
        let doc = format!(
            " A `{}` (`type`: {}).",
            i.object,
            i.types
                .iter()
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        quote!(#[doc = #doc] #v(#ty),)
    });
    let by_type = hooks.items.iter().flat_map(|i| {
        let object = &i.object;
        i.types
            .iter()
            .map(move |t| quote!(Some(#t) => Some(#object),))
    });
    let reads = hooks.items.iter().map(|i| {
        let (v, object) = (ident(&i.variant), &i.object);
        quote! {
            Some(#object) => match runtime::read_value(&item, true) {
                Ok(typed) => Item::#v(typed),
                Err(_) => Item::Unknown(item),
            },
        }
    });
    // Without models for any object, every item is as received.
    let read = if hooks.items.is_empty() {
        quote! {
            let _ = topic;
            Item::Unknown(item)
        }
    } else {
        quote! {
            let by_type = match item.get("type").and_then(serde_json::Value::as_str) {
                #(#by_type)*
                Some(_) => None,
                None => topic.object(),
            };
            match by_type {
                #(#reads)*
                _ => Item::Unknown(item),
            }
        }
    };
    let topic_list: String = hooks
        .topics
        .iter()
        .map(|t| format!("\n| `{}` | {} |", t.wire, object_doc(types, &t.object)))
        .collect();
    let module_doc = format!(
        "Receiving Intercom's webhooks: each delivery is a POST whose body is a [`Notification`], signed in its `X-Hub-Signature` header (`sha1=` and the HMAC-SHA1 of the raw body, keyed with the app's client secret).\n\nTake the raw body and that header from your web framework, and call [`parse_verified`]: it checks the signature in constant time, then reads the notification. Its [`Topic`] says what happened; its [`Item`] is the object, typed as this crate's own model where the crate has one (chosen by the item's `type`, else by the topic), [`Item::Unknown`] otherwise. Nothing here panics, whatever the body.\n\n```\nuse {krate}::webhooks::{{self, Item, Topic}};\n\nlet body = br#\"{{\"type\":\"notification_event\",\"topic\":\"ping\",\"id\":\"n1\",\"data\":{{\"item\":{{\"type\":\"ping\",\"message\":\"hi\"}}}}}}\"#;\nlet header = webhooks::sign(body, b\"client-secret\"); // what Intercom sends\nlet notification = webhooks::parse_verified(body, &header, b\"client-secret\").unwrap();\nassert_eq!(notification.topic, Topic::Ping);\nassert_eq!(notification.item.unknown_type(), Some(\"ping\"));\nassert!(webhooks::parse_verified(body, &header, b\"another secret\").is_err());\n```\n\n| topic | item |\n| --- | --- |{topic_list}\n\nThe topics and objects are Intercom's documented ones (the generator's `spec/webhooks.yaml`) for this version of the API; another topic reads as [`Topic::Unknown`].",
        krate = krate
    );
    let module_doc = super::docs::own_doc(&module_doc, true);
    // A crate without models for any object has only `Unknown`.
    let typed_arm = (!hooks.items.is_empty()).then(|| quote!(_ => None,));
    let uses_models = (!hooks.items.is_empty()).then(|| {
        quote!(
            use crate::models;
        )
    });
    quote! {
        #module_doc

        #uses_models
        use crate::runtime;

        pub use crate::runtime::WebhookError;

        /// Check that `signature_header` (the delivery's `X-Hub-Signature`)
        /// signs `body` (the raw request body, unchanged) with the app's
        /// `client_secret`, in constant time.
        pub fn verify(body: &[u8], signature_header: &str, client_secret: &[u8]) -> Result<(), WebhookError> {
            runtime::verify_signature(body, signature_header, client_secret)
        }

        /// [`verify`] the delivery, then [`parse`] it.
        pub fn parse_verified(body: &[u8], signature_header: &str, client_secret: &[u8]) -> Result<Notification, WebhookError> {
            verify(body, signature_header, client_secret)?;
            parse(body)
        }

        /// Read a notification without checking its signature (for a body
        /// already verified, or a test).
        pub fn parse(body: &[u8]) -> Result<Notification, WebhookError> {
            let value: serde_json::Value = serde_json::from_slice(body)
                .map_err(|e| WebhookError::NotANotification(e.to_string()))?;
            Notification::from_value(value)
        }

        /// The `X-Hub-Signature` value of `body` signed with `client_secret`,
        /// as Intercom computes it (for tests of a webhook handler).
        pub fn sign(body: &[u8], client_secret: &[u8]) -> String {
            runtime::sign(body, client_secret)
        }

        /// A webhook notification: what happened ([`Topic`]) and to what ([`Item`]).
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct Notification {
            /// The notification's id.
            pub id: Option<String>,
            pub topic: Topic,
            /// The workspace it comes from.
            pub app_id: Option<String>,
            /// The object the topic is about (`data.item`).
            pub item: Item,
            /// How many times Intercom has tried to deliver it.
            pub delivery_attempts: Option<i64>,
            /// When it was first sent (Unix seconds).
            pub first_sent_at: Option<i64>,
            /// When the event happened (Unix seconds).
            pub created_at: Option<i64>,
            /// The envelope's other members, as received (`type`, `self`,
            /// `delivery_status`, `links`, …; `data` without its `item`).
            pub additional_properties: serde_json::Map<String, serde_json::Value>,
        }

        impl Notification {
            /// Read a notification from its JSON: a JSON object with a `topic`.
            pub fn from_value(value: serde_json::Value) -> Result<Notification, WebhookError> {
                let serde_json::Value::Object(mut members) = value else {
                    return Err(WebhookError::NotANotification("not a JSON object".into()));
                };
                let topic = match members.remove("topic") {
                    Some(serde_json::Value::String(topic)) => Topic::from(topic.as_str()),
                    _ => return Err(WebhookError::NotANotification("no `topic`".into())),
                };
                let text = |members: &mut serde_json::Map<String, serde_json::Value>, key: &str| match members.remove(key) {
                    Some(serde_json::Value::String(s)) => Some(s),
                    Some(other) => {
                        members.insert(key.into(), other);
                        None
                    }
                    None => None,
                };
                let number = |members: &mut serde_json::Map<String, serde_json::Value>, key: &str| match members.get(key).and_then(serde_json::Value::as_i64) {
                    Some(n) => {
                        members.remove(key);
                        Some(n)
                    }
                    None => None,
                };
                let id = text(&mut members, "id");
                let app_id = text(&mut members, "app_id");
                let delivery_attempts = number(&mut members, "delivery_attempts");
                let first_sent_at = number(&mut members, "first_sent_at");
                let created_at = number(&mut members, "created_at");
                let item = match members.get_mut("data").and_then(serde_json::Value::as_object_mut) {
                    Some(data) => data.remove("item").unwrap_or(serde_json::Value::Null),
                    None => serde_json::Value::Null,
                };
                Ok(Notification {
                    id,
                    item: Item::read(&topic, item),
                    topic,
                    app_id,
                    delivery_attempts,
                    first_sent_at,
                    created_at,
                    additional_properties: members,
                })
            }
        }

        /// What a webhook notification is about.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Topic {
            #(#topic_variants)*
            /// A topic this version of the API does not document.
            Unknown(String),
        }

        impl Topic {
            /// The topics this version of the API documents, with their wire names.
            pub const VALUES: &'static [(Self, &'static str)] = &[#(#topic_values)*];

            /// The object its notifications carry (`conversation`, `contact`, …).
            pub fn object(&self) -> Option<&'static str> {
                match self {
                    #(#topic_objects)*
                    Topic::Unknown(_) => None,
                }
            }
        }

        crate::runtime::string_enum!(Topic);

        /// The object a notification is about, typed as this crate's model.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum Item {
            #(#item_variants)*
            /// An object this crate has no model for (see
            /// [`Item::unknown_type`]), or one that does not read as its
            /// model even with corrections (docs/decoding.md; an item that
            /// is no object): the JSON as received.
            Unknown(serde_json::Value),
        }

        impl Item {
            /// For an item this crate has no model for, the `type` it says
            /// it is (`None` for a typed item, or one without a `type`).
            pub fn unknown_type(&self) -> Option<&str> {
                match self {
                    Item::Unknown(item) => item.get("type").and_then(serde_json::Value::as_str),
                    #typed_arm
                }
            }

            /// The item as the model its own `type` names, else as the
            /// topic's object; as received when neither reads.
            fn read(topic: &Topic, item: serde_json::Value) -> Item {
                #read
            }
        }
    }
}

/// An object as the topic table shows it: the crate's model that types it.
fn object_doc(types: &Types, object: &str) -> String {
    match types
        .surface
        .webhooks
        .items
        .iter()
        .find(|i| i.object == object)
    {
        Some(i) => format!(
            "[`{}`](crate::models::{})",
            types.surface.type_name(i.ty),
            types.surface.type_name(i.ty)
        ),
        None => format!("`{object}` (no model in this crate: read as `Item::Unknown`)"),
    }
}

/// `examples/webhook_server.rs`: a webhook endpoint on a local port, with a
/// small, well-known HTTP server (a dev-dependency only).
pub fn example_program(krate: &str) -> TokenStream {
    let krate = ident(krate);
    quote! {
        //! Serves a webhook endpoint on a local port and prints the topic of
        //! each verified notification (and refuses the others with a 401).
        //!
        //! Run with `INTERCOM_CLIENT_SECRET=... cargo run --example webhook_server`
        //! (`WEBHOOK_ADDRESS` to listen elsewhere than 127.0.0.1:8080), and
        //! send it Intercom's deliveries (through a tunnel, for example).

        use #krate::webhooks;

        fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
            let secret = std::env::var("INTERCOM_CLIENT_SECRET")?;
            let address = std::env::var("WEBHOOK_ADDRESS").unwrap_or_else(|_| "127.0.0.1:8080".into());
            let server = tiny_http::Server::http(&address)?;
            println!("listening on http://{address}/");
            for mut request in server.incoming_requests() {
                let mut body = Vec::new();
                request.as_reader().read_to_end(&mut body)?;
                let signature = request
                    .headers()
                    .iter()
                    .find(|h| h.field.equiv("X-Hub-Signature"))
                    .map(|h| h.value.as_str().to_string())
                    .unwrap_or_default();
                let status = match webhooks::parse_verified(&body, &signature, secret.as_bytes()) {
                    Ok(notification) => {
                        println!("{}", notification.topic);
                        200
                    }
                    Err(e) => {
                        eprintln!("refused: {e}");
                        401
                    }
                };
                request.respond(tiny_http::Response::empty(status))?;
            }
            Ok(())
        }
    }
}
