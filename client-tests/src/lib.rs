//! Fault-injection tests of the generated client (`intercom-api`): see
//! `tests/`. Each test scripts a local HTTP server (wiremock, or a raw TCP
//! listener on 127.0.0.1) and checks what the client did: how many
//! attempts, how long it waited, and what it returned.
