//! Fault-injection tests of the generated client (`intercom-api`): see
//! `tests/`. Each test scripts a local HTTP server (wiremock, or a raw TCP
//! listener on 127.0.0.1) and checks what the client did: how many
//! attempts, how long it waited, and what it returned.
//!
//! # Queries Intercom would refuse do not compile
//!
//! The typed search modules of `search-api` (generated from
//! `generator/tests/fixtures/search.yaml`, whose tables are those of
//! Intercom's contacts and conversations searches) give each field only the
//! operators its type accepts. Each refused query below has a twin, the
//! same but for what makes it refused, that compiles: a `compile_fail`
//! block passes on any error, the twin shows it is the operator (or the
//! value) that fails.
//!
//! `ge` (`>=`) is not for dates; `gt` is:
//!
//! ```compile_fail
//! let _ = search_api::contacts::search::created_at().ge(1306054154);
//! ```
//! ```
//! let _ = search_api::contacts::search::created_at().gt(1306054154);
//! ```
//!
//! `gt` (`>`) is not for text; `starts_with` is:
//!
//! ```compile_fail
//! let _ = search_api::contacts::search::email().gt("ann");
//! ```
//! ```
//! let _ = search_api::contacts::search::email().starts_with("ann");
//! ```
//!
//! `in_` (`IN`) is not for `tag_id`, though it is for other text fields:
//!
//! ```compile_fail
//! let _ = search_api::contacts::search::tag_id().in_(["17", "18"]);
//! ```
//! ```
//! let _ = search_api::contacts::search::segment_id().in_(["17", "18"]);
//! ```
//!
//! The conversations search takes no `ge` at all, even for integers:
//!
//! ```compile_fail
//! let _ = search_api::conversations::search::admin_assignee_id().ge(7);
//! ```
//! ```
//! let _ = search_api::conversations::search::admin_assignee_id().gt(7);
//! ```
//!
//! A value of the field's type: an integer for `owner_id`, one of the
//! listed values for `role`:
//!
//! ```compile_fail
//! let _ = search_api::contacts::search::owner_id().eq("7");
//! ```
//! ```
//! let _ = search_api::contacts::search::owner_id().eq(7);
//! ```
//! ```compile_fail
//! let _ = search_api::contacts::search::role().eq("admin");
//! ```
//! ```
//! use search_api::contacts::search::{role, Role};
//! let _ = role().eq(Role::Lead);
//! ```
