//! The rule table: what each kind of change costs a client of the generated
//! crate, depending on whether the client sends or reads the affected part.
//! docs/diff-rules.md is the same table with the reasons spelled out; keep
//! the two in step.

use super::{Dir, Severity};

/// What changed. Each kind has one row in [`RULES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    // Operations.
    OperationAdded,
    OperationRemoved,
    OperationRenamed,
    OperationDeprecated,
    OperationUndeprecated,
    // Parameters (sent).
    ParameterAdded,
    ParameterRemoved,
    ParameterRenamed,
    ParameterRequiredChanged,
    ParameterTypeChanged,
    ParameterLocationChanged,
    ParameterOrderChanged,
    // Request bodies (sent).
    RequestBodyAdded,
    RequestBodyRemoved,
    RequestBodyRequiredChanged,
    RequestBodyTypeChanged,
    RequestMediaChanged,
    // Responses (read).
    ResponseStatusAdded,
    ResponseStatusRemoved,
    ResponseContentChanged,
    ReturnTypeChanged,
    PaginationChanged,
    SearchChanged,
    // Schemas, wherever they are reached from.
    PropertyAdded,
    PropertyRemoved,
    PropertyDeprecated,
    TypeChanged,
    RequiredChanged,
    NullableChanged,
    RustNameChanged,
    EnumValueAdded,
    EnumValueRemoved,
    UnionVariantAdded,
    UnionVariantRemoved,
    UnionTagChanged,
    // The Rust surface.
    RequestTypeChanged,
    RustTypeRenamed,
    RustTypeRemoved,
    RustTypeAdded,
    ConstructorChanged,
    // The API as a whole.
    ServerAdded,
    ServerRemoved,
    ServerChanged,
    VersionEnumChanged,
    VersionDefaultChanged,
    // Webhooks (the `webhooks` module's topics).
    WebhookTopicAdded,
    WebhookTopicRemoved,
}

/// A severity that may depend on which way a change goes: `tightened` is
/// the stricter way (a property or parameter becomes required, a value
/// becomes non-nullable), `loosened` the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Level {
    pub tightened: Severity,
    pub loosened: Severity,
}

const fn same(s: Severity) -> Level {
    Level {
        tightened: s,
        loosened: s,
    }
}

const fn tight(tightened: Severity, loosened: Severity) -> Level {
    Level {
        tightened,
        loosened,
    }
}

/// One row of the table: the kind's name, its severity where the client
/// sends the affected part and where it reads it.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub kind: Kind,
    pub name: &'static str,
    pub send: Level,
    pub read: Level,
}

use Kind::*;
use Severity::{Breaking as B, Info as I, Warning as W};

const fn rule(kind: Kind, name: &'static str, send: Level, read: Level) -> Rule {
    Rule {
        kind,
        name,
        send,
        read,
    }
}

/// The table. Besides it, one rule applies to every kind: a change that
/// alters a generated Rust signature (a type, field, variant or method
/// renamed or retyped, an argument added or removed) is breaking.
#[rustfmt::skip]
pub const RULES: &[Rule] = &[
    //    kind                          name                            send                 read
    rule(OperationAdded,             "operation-added",              same(I),             same(I)),
    rule(OperationRemoved,           "operation-removed",            same(B),             same(B)),
    rule(OperationRenamed,           "operation-renamed",            same(I),             same(I)),
    rule(OperationDeprecated,        "operation-deprecated",         same(W),             same(W)),
    rule(OperationUndeprecated,      "operation-undeprecated",       same(I),             same(I)),
    rule(ParameterAdded,             "parameter-added",              tight(B, I),         tight(B, I)),
    rule(ParameterRemoved,           "parameter-removed",            same(B),             same(B)),
    rule(ParameterRenamed,           "parameter-renamed",            same(I),             same(I)),
    rule(ParameterRequiredChanged,   "parameter-required-changed",   tight(B, I),         tight(B, I)),
    rule(ParameterTypeChanged,       "parameter-type-changed",       same(B),             same(B)),
    rule(ParameterLocationChanged,   "parameter-location-changed",   same(B),             same(B)),
    rule(ParameterOrderChanged,      "parameter-order-changed",      same(B),             same(B)),
    rule(RequestBodyAdded,           "request-body-added",           tight(B, I),         tight(B, I)),
    rule(RequestBodyRemoved,         "request-body-removed",         same(B),             same(B)),
    rule(RequestBodyRequiredChanged, "request-body-required-changed", tight(B, I),        tight(B, I)),
    rule(RequestBodyTypeChanged,     "request-body-type-changed",    same(B),             same(B)),
    rule(RequestMediaChanged,        "request-media-changed",        same(W),             same(W)),
    rule(ResponseStatusAdded,        "response-status-added",        same(I),             same(I)),
    rule(ResponseStatusRemoved,      "response-status-removed",      same(I),             same(I)),
    rule(ResponseContentChanged,     "response-content-changed",     same(B),             same(B)),
    rule(ReturnTypeChanged,          "return-type-changed",          same(B),             same(B)),
    rule(PaginationChanged,          "pagination-changed",           tight(B, I),         tight(B, I)),
    rule(SearchChanged,              "search-changed",               tight(B, I),         tight(B, I)),
    rule(PropertyAdded,              "property-added",               tight(B, I),         same(I)),
    rule(PropertyRemoved,            "property-removed",             same(B),             same(B)),
    rule(PropertyDeprecated,         "property-deprecated",          same(I),             same(I)),
    rule(TypeChanged,                "type-changed",                 same(B),             same(B)),
    rule(RequiredChanged,            "required-changed",             tight(B, I),         same(I)),
    rule(NullableChanged,            "nullable-changed",             same(I),             same(I)),
    rule(RustNameChanged,            "rust-name-changed",            same(B),             same(B)),
    rule(EnumValueAdded,             "enum-value-added",             same(I),             same(W)),
    rule(EnumValueRemoved,           "enum-value-removed",           same(B),             same(B)),
    rule(UnionVariantAdded,          "union-variant-added",          same(I),             same(W)),
    rule(UnionVariantRemoved,        "union-variant-removed",        same(B),             same(B)),
    rule(UnionTagChanged,            "union-tag-changed",            same(I),             same(W)),
    rule(RequestTypeChanged,         "request-type-changed",         same(B),             same(B)),
    rule(RustTypeRenamed,            "rust-type-renamed",            same(B),             same(B)),
    rule(RustTypeRemoved,            "rust-type-removed",            same(B),             same(B)),
    rule(RustTypeAdded,              "rust-type-added",              same(I),             same(I)),
    rule(ConstructorChanged,         "constructor-changed",          same(B),             same(B)),
    rule(ServerAdded,                "server-added",                 same(I),             same(I)),
    rule(ServerRemoved,              "server-removed",               same(B),             same(B)),
    rule(ServerChanged,              "server-changed",               same(W),             same(W)),
    rule(VersionEnumChanged,         "version-enum-changed",         same(I),             same(I)),
    rule(VersionDefaultChanged,      "version-default-changed",      same(W),             same(W)),
    rule(WebhookTopicAdded,          "webhook-topic-added",          same(I),             same(I)),
    rule(WebhookTopicRemoved,        "webhook-topic-removed",        same(B),             same(B)),
];

impl Kind {
    pub fn rule(self) -> Rule {
        RULES
            .iter()
            .copied()
            .find(|r| r.kind == self)
            .unwrap_or(rule(self, "unknown", same(B), same(B)))
    }

    /// The kind's name in reports, e.g. `property-added`.
    pub fn as_str(self) -> &'static str {
        self.rule().name
    }
}

/// The severity of a change of `kind`, seen from `dir`; `signature` says
/// whether it alters a generated Rust signature (then it is breaking).
pub fn severity(kind: Kind, dir: Dir, tightened: bool, signature: bool) -> Severity {
    let rule = kind.rule();
    let pick = |l: Level| if tightened { l.tightened } else { l.loosened };
    let by_dir = match dir {
        Dir::Send => pick(rule.send),
        Dir::Read => pick(rule.read),
        Dir::Both => pick(rule.send).max(pick(rule.read)),
    };
    if signature {
        by_dir.max(Severity::Breaking)
    } else {
        by_dir
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_row_with_a_distinct_name() {
        for (i, r) in RULES.iter().enumerate() {
            assert_eq!(RULES.iter().filter(|o| o.kind == r.kind).count(), 1);
            assert!(RULES[..i].iter().all(|o| o.name != r.name), "{}", r.name);
        }
        assert_eq!(RULES.len(), WebhookTopicRemoved as usize + 1);
    }

    #[test]
    fn direction_decides_enum_values_and_new_properties() {
        assert_eq!(severity(EnumValueAdded, Dir::Read, true, false), W);
        assert_eq!(severity(EnumValueAdded, Dir::Send, true, false), I);
        assert_eq!(severity(PropertyAdded, Dir::Send, true, false), B);
        assert_eq!(severity(PropertyAdded, Dir::Send, false, false), I);
        assert_eq!(severity(PropertyAdded, Dir::Both, true, false), B);
        assert_eq!(severity(NullableChanged, Dir::Read, false, true), B);
    }
}
