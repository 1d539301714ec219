//! Signed webhook deliveries: the `X-Hub-Signature` header is `sha1=`
//! followed by the 40-hex-digit HMAC-SHA1 of the raw body, keyed with the
//! app's client secret. Checked in constant time (the `hmac` crate's
//! `verify_slice`).

use ::hmac::{Hmac, Mac};

/// Why a webhook delivery was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The `X-Hub-Signature` header is missing or empty.
    MissingSignature,
    /// The header is not `sha1=` followed by 40 hex digits.
    MalformedSignature(String),
    /// The signature does not match the body and the client secret: the
    /// body was changed, or signed with another secret.
    WrongSignature,
    /// The body is not a notification (not a JSON object with a `topic`).
    NotANotification(String),
}

impl ::std::fmt::Display for WebhookError {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        match self {
            WebhookError::MissingSignature => f.write_str("the X-Hub-Signature header is missing"),
            WebhookError::MalformedSignature(why) => {
                write!(f, "the X-Hub-Signature header is malformed: {why}")
            }
            WebhookError::WrongSignature => {
                f.write_str("the signature does not match the body and the client secret")
            }
            WebhookError::NotANotification(why) => {
                write!(f, "the body is not a webhook notification: {why}")
            }
        }
    }
}

impl ::std::error::Error for WebhookError {}

/// The 20 bytes a `sha1=<40 hex digits>` header holds.
fn signature_bytes(header: &str) -> Result<[u8; 20], WebhookError> {
    let header = header.trim();
    if header.is_empty() {
        return Err(WebhookError::MissingSignature);
    }
    let hex = header
        .strip_prefix("sha1=")
        .ok_or_else(|| WebhookError::MalformedSignature("it does not start with `sha1=`".into()))?;
    if hex.len() != 40 {
        return Err(WebhookError::MalformedSignature(format!(
            "{} hex digits, not 40",
            hex.len()
        )));
    }
    let mut out = [0u8; 20];
    for (i, pair) in hex.as_bytes().chunks(2).enumerate() {
        let digit = |b: u8| (b as char).to_digit(16);
        match (digit(pair[0]), digit(pair[1])) {
            (Some(high), Some(low)) => out[i] = (high * 16 + low) as u8,
            _ => {
                return Err(WebhookError::MalformedSignature(
                    "it holds a character that is not a hex digit".into(),
                ))
            }
        }
    }
    Ok(out)
}

/// Check that `signature_header` (the `X-Hub-Signature` value) signs `body`
/// with `client_secret`.
pub(crate) fn verify_signature(
    body: &[u8],
    signature_header: &str,
    client_secret: &[u8],
) -> Result<(), WebhookError> {
    let expected = signature_bytes(signature_header)?;
    let mut mac = <Hmac<::sha1::Sha1> as Mac>::new_from_slice(client_secret)
        .map_err(|_| WebhookError::WrongSignature)?;
    mac.update(body);
    mac.verify_slice(&expected)
        .map_err(|_| WebhookError::WrongSignature)
}

/// The `X-Hub-Signature` value for `body` signed with `client_secret` (for
/// tests of a webhook handler).
pub(crate) fn sign(body: &[u8], client_secret: &[u8]) -> String {
    let mut mac = match <Hmac<::sha1::Sha1> as Mac>::new_from_slice(client_secret) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let mut out = String::from("sha1=");
    for byte in digest {
        out.push_str(&format!("{byte:02x}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 2202, section 3: the HMAC-SHA1 test cases.
    #[test]
    fn hmac_sha1_matches_rfc_2202() {
        let cases: [(Vec<u8>, Vec<u8>, &str); 7] = [
            (
                vec![0x0b; 20],
                b"Hi There".to_vec(),
                "b617318655057264e28bc0b6fb378c8ef146be00",
            ),
            (
                b"Jefe".to_vec(),
                b"what do ya want for nothing?".to_vec(),
                "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
            ),
            (
                vec![0xaa; 20],
                vec![0xdd; 50],
                "125d7342b9ac11cd91a39af48aa17b4f63f175d3",
            ),
            (
                (1u8..=25).collect(),
                vec![0xcd; 50],
                "4c9007f4026250c6bc8414f9bf50c86c2d7235da",
            ),
            (
                vec![0x0c; 20],
                b"Test With Truncation".to_vec(),
                "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04",
            ),
            (
                vec![0xaa; 80],
                b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(),
                "aa4ae5e15272d00e95705637ce8a3b55ed402112",
            ),
            (
                vec![0xaa; 80],
                b"Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"
                    .to_vec(),
                "e8e99d0f45237d786d6bbaa7965c7808bbff1a91",
            ),
        ];
        for (key, data, digest) in cases {
            let header = format!("sha1={digest}");
            assert_eq!(sign(&data, &key), header);
            assert_eq!(verify_signature(&data, &header, &key), Ok(()));
        }
    }

    #[test]
    fn each_fault_has_its_own_error() {
        let (body, secret) = (br#"{"topic":"ping"}"#.as_slice(), b"secret".as_slice());
        let good = sign(body, secret);
        assert_eq!(verify_signature(body, &good, secret), Ok(()));
        assert_eq!(
            verify_signature(body, &good.to_uppercase().replace("SHA1=", "sha1="), secret),
            Ok(())
        );
        assert_eq!(
            verify_signature(b"{\"topic\":\"pong\"}", &good, secret),
            Err(WebhookError::WrongSignature)
        );
        assert_eq!(
            verify_signature(body, &good, b"other"),
            Err(WebhookError::WrongSignature)
        );
        assert_eq!(
            verify_signature(&body[..5], &good, secret),
            Err(WebhookError::WrongSignature)
        );
        assert_eq!(
            verify_signature(body, "", secret),
            Err(WebhookError::MissingSignature)
        );
        assert!(matches!(
            verify_signature(body, &good[5..], secret),
            Err(WebhookError::MalformedSignature(_))
        ));
        assert!(matches!(
            verify_signature(body, &good[..44], secret),
            Err(WebhookError::MalformedSignature(_))
        ));
        let not_hex = format!("sha1={}", "zz".repeat(20));
        assert!(matches!(
            verify_signature(body, &not_hex, secret),
            Err(WebhookError::MalformedSignature(_))
        ));
        let multibyte = format!("sha1={}é", "a".repeat(38));
        assert!(matches!(
            verify_signature(body, &multibyte, secret),
            Err(WebhookError::MalformedSignature(_))
        ));
    }
}
