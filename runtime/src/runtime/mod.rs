//! The HTTP runtime every generated operation goes through, one module per
//! concern: the client and its builder, retries, rate limits, per-request
//! options, requests and responses, errors and where in a body a decode
//! error is, pagination, the encoding of parameters and bodies, and how
//! unions and string enums are read.
//!
//! The generated crate passes in what is specific to its API (where
//! requests go, the version header: [`ApiDefaults`]); nothing here reads
//! the crate that carries it.

// A crate compiled without any of its areas has a client with nothing to
// send: only then is the request machinery unused. Every other helper is
// gated by what needs it (`needs-…`: the generator writes, for each crate,
// the features of the areas or types that use it; see
// `codegen::runtime::gated`).
#![cfg_attr(not(feature = "needs-operations"), allow(dead_code))]

mod body;
mod client;
mod error;
#[cfg(feature = "needs-unions")]
mod fit;
#[cfg(any(feature = "needs-json-response", feature = "needs-read-value"))]
mod locate;
#[cfg(feature = "mock")]
mod mock;
mod options;
#[cfg(feature = "needs-paging")]
mod page;
mod paging;
mod params;
mod rate_limit;
mod request;
mod response;
mod retry;
#[cfg(feature = "needs-search")]
mod search;
mod shape;
mod tolerant;
#[cfg(feature = "webhooks")]
mod webhook;

pub use body::*;
pub use client::*;
pub use error::*;
#[cfg(feature = "mock")]
pub use mock::{Expect, Mock, MockRequest};
#[cfg(feature = "mock")]
#[allow(unused_imports)]
pub(crate) use mock::{MockOperation, MockReply, MockState};
pub use options::*;
#[cfg(feature = "needs-paging")]
pub use page::Page;
#[cfg(feature = "needs-paging")]
pub(crate) use page::*;
// Used by a crate's paginated operations, if it has any.
#[allow(unused_imports)]
pub(crate) use paging::*;
pub use params::*;
pub use rate_limit::*;
pub use request::*;
pub use response::*;
pub use retry::*;
#[cfg(feature = "needs-search")]
pub use search::{and, or, Query};
#[cfg(feature = "needs-search")]
#[allow(unused_imports)]
pub(crate) use search::{search_body, search_field, search_operator, search_values, SearchLimits};
// How well a value fits a union's alternative (also the generator's).
#[cfg(feature = "needs-unions")]
pub use fit::*;
// Used by a crate's string enums and unions, if it has any.
#[allow(unused_imports)]
pub use shape::*;
// What a crate's models and response readers use of it, if it has any.
#[allow(unused_imports)]
pub use tolerant::*;
#[cfg(feature = "webhooks")]
pub use webhook::*;

/// Seconds since the Unix epoch, as Intercom sends timestamps.
pub type UnixTimestamp = i64;
