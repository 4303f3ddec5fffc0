//! Arbitrary bytes decoded as the API's JSON documents: `Message`,
//! `ErrorResponse`, `MessageBatch`, `BatchResultLine` and
//! `CreateMessageRequest`.
//!
//! Nothing may panic; whatever decodes must re-encode and decode again to an
//! equal value (the forward-compatibility promise: nothing is lost).

#![no_main]

use claude_rs_types::batch::{BatchResultLine, MessageBatch};
use claude_rs_types::{request::CreateMessageRequest, error::ErrorResponse, message::Message};
use libfuzzer_sys::fuzz_target;
use serde::Serialize;
use serde::de::DeserializeOwned;

fn round_trip<T>(input: &[u8])
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let Ok(decoded) = serde_json::from_slice::<T>(input) else {
        return;
    };
    let encoded = serde_json::to_vec(&decoded).expect("a decoded value encodes");
    let again: T = match serde_json::from_slice(&encoded) {
        Ok(again) => again,
        Err(error) => panic!(
            "{}: re-encoded value does not decode ({error}): {}",
            std::any::type_name::<T>(),
            String::from_utf8_lossy(&encoded)
        ),
    };
    assert_eq!(decoded, again, "{} round trip", std::any::type_name::<T>());
}

fuzz_target!(|input: &[u8]| {
    round_trip::<Message>(input);
    round_trip::<ErrorResponse>(input);
    round_trip::<MessageBatch>(input);
    round_trip::<BatchResultLine>(input);
    round_trip::<CreateMessageRequest>(input);
});
