//! The vocabulary of type names: which words a type's place gives it
//! ([`Place::name`], [`Place::context_name`]), the words for kinds of value
//! and for response statuses, and which of them only say where a type sits.
//!
//! Normalize records places (`ir::Place`), facts about the description,
//! and decides with these words which places share a type; the surface
//! coins each Rust name from them in its scopes (`surface/types.rs`),
//! which settle collisions. No other module forms a type name's words.

use crate::idents::type_ident;
use crate::ir::{Distinction, Place, Status, ValueKind};

/// Words the generator puts into the names of inline types, which say
/// where a type sits rather than what it is: they do not make two owners
/// related (`Conversation` and `ConversationListItem` share
/// `conversation`, not `list` or `item`).
pub const ROLE_WORDS: &[&str] = &["request", "response", "body", "item", "value", "list"];

impl Place {
    /// The name the place wants, UpperCamelCase: a component's own; an
    /// inline type's made from where it sits (`Conversation.source` is
    /// `ConversationSource`). Not necessarily unique, nor the Rust name.
    pub fn name(&self) -> String {
        type_ident(&self.words())
    }

    /// The longer name the place gives an inline type (`CustomerRequest`'s
    /// `email` is `CustomerRequestEmail`, or `EmailOfCustomerRequest`), for
    /// when another type wants [`Place::name`] too; `None` where it would
    /// be the same name: for a component, and for what the evidence pass
    /// made, it always is.
    pub fn context_name(&self) -> Option<String> {
        Some(type_ident(&self.context_words())).filter(|c| *c != self.name())
    }

    /// For a property's (or a parameter's, or a response's) place: the
    /// property, and the words of its owner's name.
    pub fn property_of(&self) -> Option<(String, String)> {
        match self {
            Place::Property { owner, property } => Some((property.clone(), owner.words())),
            Place::Response { operation, status } => {
                Some((response_word(*status), operation.words()))
            }
            _ => None,
        }
    }

    /// The words of the name, joined as they come (`type_ident` makes the name).
    fn words(&self) -> String {
        match self {
            Place::Component(name) | Place::Operation(name) => type_ident(name),
            Place::RequestBody(operation) => format!("{}Request", operation.words()),
            Place::Property { .. } | Place::Response { .. } => {
                let (property, owner) = self.property_of().unwrap_or_default();
                format!("{owner}_{property}")
            }
            Place::Items(of) => format!("{}Item", of.words()),
            Place::Values(of) => format!("{}Value", of.words()),
            Place::Titled {
                title, bare: false, ..
            } => type_ident(title),
            Place::Titled { .. } => self.context_words(),
            Place::Untitled { union, by } => format!("{}{}", union.words(), distinction(by)),
            Place::Tag {
                value, property, ..
            } => format!("{value}_{property}"),
            Place::Shared { run, property } => format!("{}_{property}", run.join("_")),
            Place::Kinds(kinds) => kinds
                .iter()
                .map(|k| kind_word(*k))
                .collect::<Vec<_>>()
                .join("Or"),
            Place::Seen(at) => at.words(),
            Place::Copy { owner, property } => {
                format!("{}{}", owner.name(), type_ident(property))
            }
        }
    }

    /// The words of the longer name (the same as [`Place::words`] where
    /// the place has no longer one).
    fn context_words(&self) -> String {
        match self {
            Place::RequestBody(operation) => format!("{}RequestBody", operation.words()),
            Place::Property { .. } | Place::Response { .. } => {
                let (property, owner) = self.property_of().unwrap_or_default();
                format!("{property}_of_{owner}")
            }
            Place::Items(of) => format!("{}Item", of.context_words()),
            Place::Values(of) => format!("{}Value", of.context_words()),
            Place::Titled { union, title, .. } => {
                format!("{}_{}", union.words(), type_ident(title))
            }
            Place::Untitled { union, by } => {
                format!("{}{}", union.context_words(), distinction(by))
            }
            Place::Tag { at, .. } => at.context_words(),
            Place::Shared { run, property } => format!("{property}_of_{}", run.join("_")),
            _ => self.words(),
        }
    }
}

/// The word for a kind of value, in type and variant names.
pub fn kind_word(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::String => "String",
        ValueKind::File => "File",
        ValueKind::Integer => "Integer",
        ValueKind::Timestamp => "Timestamp",
        ValueKind::Number => "Number",
        ValueKind::Boolean => "Boolean",
        ValueKind::Value => "Value",
        ValueKind::Map => "Map",
        ValueKind::List => "List",
    }
}

/// The words after a union's name for an untitled alternative:
/// `List`, `WithKey`, `WithoutKey`, `Option2`.
fn distinction(by: &Distinction) -> String {
    type_ident(&match by {
        Distinction::Kind(kind) => kind_word(*kind).to_string(),
        Distinction::With(property) => format!("With_{property}"),
        Distinction::Without(property) => format!("Without_{property}"),
        Distinction::Position(n) => format!("Option{n}"),
    })
}

/// What a response is as a property of its operation: `Response` for an
/// operation's only success, else its status in words and `Response`
/// (`NotFoundResponse`).
fn response_word(status: Option<Status>) -> String {
    match status {
        None => "Response".to_string(),
        Some(status) => format!("{}Response", reason(status)),
    }
}

/// A status in words, as a part of a type name: the reason phrase of
/// RFC 9110 (`UnprocessableEntity` for 422), the class of a range or of an
/// unregistered code (`ClientError` for `4XX`), `Default`.
fn reason(status: Status) -> String {
    let class = |first: u16| match first {
        1 => "Informational",
        2 => "Success",
        3 => "Redirection",
        4 => "ClientError",
        _ => "ServerError",
    };
    match status {
        Status::Code(c) => match REASONS.iter().find(|(code, _)| *code == c) {
            Some((_, reason)) => (*reason).to_string(),
            None => format!("{}{c}", class(c / 100)),
        },
        Status::Range(r) => class(u16::from(r)).to_string(),
        Status::Default => "Default".to_string(),
    }
}

/// The reason phrases of RFC 9110 (and 429 of RFC 6585), as type-name words.
const REASONS: &[(u16, &str)] = &[
    (100, "Continue"),
    (101, "SwitchingProtocols"),
    (200, "Ok"),
    (201, "Created"),
    (202, "Accepted"),
    (203, "NonAuthoritativeInformation"),
    (204, "NoContent"),
    (205, "ResetContent"),
    (206, "PartialContent"),
    (300, "MultipleChoices"),
    (301, "MovedPermanently"),
    (302, "Found"),
    (303, "SeeOther"),
    (304, "NotModified"),
    (307, "TemporaryRedirect"),
    (308, "PermanentRedirect"),
    (400, "BadRequest"),
    (401, "Unauthorized"),
    (402, "PaymentRequired"),
    (403, "Forbidden"),
    (404, "NotFound"),
    (405, "MethodNotAllowed"),
    (406, "NotAcceptable"),
    (407, "ProxyAuthenticationRequired"),
    (408, "RequestTimeout"),
    (409, "Conflict"),
    (410, "Gone"),
    (411, "LengthRequired"),
    (412, "PreconditionFailed"),
    (413, "ContentTooLarge"),
    (414, "UriTooLong"),
    (415, "UnsupportedMediaType"),
    (416, "RangeNotSatisfiable"),
    (417, "ExpectationFailed"),
    (421, "MisdirectedRequest"),
    (422, "UnprocessableEntity"),
    (426, "UpgradeRequired"),
    (429, "TooManyRequests"),
    (500, "InternalServerError"),
    (501, "NotImplemented"),
    (502, "BadGateway"),
    (503, "ServiceUnavailable"),
    (504, "GatewayTimeout"),
    (505, "HttpVersionNotSupported"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn component(name: &str) -> Place {
        Place::Component(name.to_string())
    }

    fn operation(id: &str) -> Place {
        Place::Operation(id.to_string())
    }

    fn names(place: &Place) -> (String, Option<String>) {
        (place.name(), place.context_name())
    }

    fn pair(name: &str, context: Option<&str>) -> (String, Option<String>) {
        (name.to_string(), context.map(str::to_string))
    }

    #[test]
    fn components_and_operations_have_their_own_names_only() {
        assert_eq!(names(&component("ticket_type")), pair("TicketType", None));
        assert_eq!(
            names(&operation("createContact")),
            pair("CreateContact", None)
        );
    }

    #[test]
    fn a_property_is_owner_and_property_or_property_of_owner() {
        let place = component("Conversation").property("source");
        assert_eq!(
            names(&place),
            pair("ConversationSource", Some("SourceOfConversation"))
        );
        // Nested: the owner's words, not its longer name.
        let place = place.property("author");
        assert_eq!(
            names(&place),
            pair(
                "ConversationSourceAuthor",
                Some("AuthorOfConversationSource")
            )
        );
        assert_eq!(
            place.property_of(),
            Some(("author".to_string(), "Conversation_source".to_string()))
        );
        assert_eq!(component("Conversation").property_of(), None);
    }

    #[test]
    fn bodies_and_responses_are_named_after_their_operation() {
        let op = Box::new(operation("createContact"));
        let body = Place::RequestBody(op.clone());
        assert_eq!(
            names(&body),
            pair("CreateContactRequest", Some("CreateContactRequestBody"))
        );
        let only = Place::Response {
            operation: op.clone(),
            status: None,
        };
        assert_eq!(
            names(&only),
            pair("CreateContactResponse", Some("ResponseOfCreateContact"))
        );
        let response = |status| Place::Response {
            operation: op.clone(),
            status: Some(status),
        };
        assert_eq!(
            response(Status::Code(422)).name(),
            "CreateContactUnprocessableEntityResponse"
        );
        assert_eq!(
            response(Status::Code(499)).name(),
            "CreateContactClientError499Response"
        );
        assert_eq!(
            response(Status::Range(5)).name(),
            "CreateContactServerErrorResponse"
        );
        assert_eq!(
            response(Status::Default).name(),
            "CreateContactDefaultResponse"
        );
        // Each class, for a code RFC 9110 does not name, and for a range.
        for (status, word) in [
            (Status::Code(199), "Informational199"),
            (Status::Range(2), "Success"),
            (Status::Code(299), "Success299"),
            (Status::Range(3), "Redirection"),
            (Status::Code(599), "ServerError599"),
        ] {
            assert_eq!(
                response(status).name(),
                format!("CreateContact{word}Response")
            );
        }
        // A response is a property of its operation, for the rule that
        // shares the same property of related owners.
        assert_eq!(
            response(Status::Code(404)).property_of(),
            Some(("NotFoundResponse".to_string(), "CreateContact".to_string()))
        );
    }

    #[test]
    fn items_and_values_follow_both_names() {
        let at = component("Contact").property("tags");
        assert_eq!(
            names(&at.items()),
            pair("ContactTagsItem", Some("TagsOfContactItem"))
        );
        assert_eq!(
            names(&Place::Values(Box::new(at))),
            pair("ContactTagsValue", Some("TagsOfContactValue"))
        );
    }

    #[test]
    fn alternatives_are_named_by_title_or_by_what_tells_them_apart() {
        let union = Box::new(component("ConfigureRequest"));
        let untitled = |by| Place::Untitled {
            union: union.clone(),
            by,
        };
        assert_eq!(
            untitled(Distinction::With("workspace_region".into())).name(),
            "ConfigureRequestWithWorkspaceRegion"
        );
        assert_eq!(
            untitled(Distinction::Without("workspace_region".into())).name(),
            "ConfigureRequestWithoutWorkspaceRegion"
        );
        assert_eq!(
            untitled(Distinction::Kind(ValueKind::List)).name(),
            "ConfigureRequestList"
        );
        assert_eq!(
            untitled(Distinction::Position(2)).name(),
            "ConfigureRequestOption2"
        );
        // The longer name follows the union's longer name.
        let in_property = Place::Untitled {
            union: Box::new(component("Ticket").property("assignee")),
            by: Distinction::Kind(ValueKind::String),
        };
        assert_eq!(
            names(&in_property),
            pair("TicketAssigneeString", Some("AssigneeOfTicketString"))
        );
        let titled = |bare| Place::Titled {
            union: union.clone(),
            title: "Workspace settings".into(),
            bare,
        };
        assert_eq!(
            names(&titled(false)),
            pair(
                "WorkspaceSettings",
                Some("ConfigureRequestWorkspaceSettings")
            )
        );
        assert_eq!(
            names(&titled(true)),
            pair("ConfigureRequestWorkspaceSettings", None)
        );
    }

    #[test]
    fn a_tag_is_named_by_its_value_wherever_it_is() {
        let at = component("Ticket").property("type");
        let tag = Place::Tag {
            value: "list".into(),
            property: "type".into(),
            at: Box::new(at),
        };
        assert_eq!(names(&tag), pair("ListType", Some("TypeOfTicket")));
    }

    #[test]
    fn shared_properties_are_named_by_the_words_their_owners_share() {
        let shared = Place::Shared {
            run: vec!["conversation".into()],
            property: "state".into(),
        };
        assert_eq!(
            names(&shared),
            pair("ConversationState", Some("StateOfConversation"))
        );
    }

    #[test]
    fn what_the_evidence_pass_makes_has_no_longer_name() {
        let kinds = Place::Kinds(vec![ValueKind::String, ValueKind::Integer]);
        assert_eq!(names(&kinds), pair("StringOrInteger", None));
        let seen = Place::Seen(Box::new(component("Contact").property("notes").items()));
        assert_eq!(names(&seen), pair("ContactNotesItem", None));
        let copy = Place::Copy {
            owner: Box::new(component("Contact")),
            property: "social_profiles".into(),
        };
        assert_eq!(names(&copy), pair("ContactSocialProfiles", None));
    }

    #[test]
    fn role_words_are_words_the_vocabulary_puts_into_names() {
        let op = Box::new(operation("x"));
        let made = [
            Place::RequestBody(op.clone())
                .context_name()
                .unwrap_or_default(),
            Place::Response {
                operation: op,
                status: None,
            }
            .name(),
            component("x").property("y").items().name(),
            Place::Values(Box::new(component("x"))).name(),
            Place::Untitled {
                union: Box::new(component("x")),
                by: Distinction::Kind(ValueKind::List),
            }
            .name(),
        ];
        for role in ROLE_WORDS {
            assert!(
                made.iter()
                    .any(|n| crate::idents::lower_words(n).iter().any(|w| w == role)),
                "{role} is in no name the vocabulary makes"
            );
        }
    }
}
