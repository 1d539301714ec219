//! The token from `INTERCOM_ACCESS_TOKEN` (its own test binary: it changes
//! the process environment).

mod common;

use common::{bounded, page};
use intercom_api::Client;
use wiremock::matchers::header;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn token_from_the_environment() {
    bounded(async {
        std::env::remove_var(Client::TOKEN_ENV_VAR);
        let error = Client::from_env().unwrap_err();
        assert!(
            error.to_string().contains("INTERCOM_ACCESS_TOKEN"),
            "{error}"
        );

        std::env::set_var(Client::TOKEN_ENV_VAR, "env-token-123");
        assert!(Client::from_env().is_ok());

        let server = MockServer::start().await;
        Mock::given(header("authorization", "Bearer env-token-123"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(&["1"], None)))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(header("authorization", "Bearer explicit"))
            .respond_with(ResponseTemplate::new(200).set_body_json(page(&["1"], None)))
            .expect(1)
            .mount(&server)
            .await;
        // The builder falls back on the variable...
        Client::builder()
            .base_url(server.uri())
            .build()
            .conversations()
            .list()
            .send()
            .await
            .unwrap();
        // ...and a token given wins over it.
        Client::builder()
            .base_url(server.uri())
            .token("explicit")
            .build()
            .conversations()
            .list()
            .send()
            .await
            .unwrap();
        std::env::remove_var(Client::TOKEN_ENV_VAR);
    })
    .await;
}
