//! [`WebhookHeaders`]: where the delivery's headers are read from.

use std::collections::HashMap;

/// The headers of a webhook delivery, however the web framework holds
/// them: an [`http::HeaderMap`] (axum, hyper, actix-web's conversions),
/// a list of name and value pairs, or a map. Names are matched without
/// regard to case.
pub trait WebhookHeaders {
    /// The first value of the header `name` (lowercase), if it is present
    /// and text.
    fn header(&self, name: &str) -> Option<&str>;
}

impl WebhookHeaders for http::HeaderMap {
    fn header(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(|value| value.to_str().ok())
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for [(K, V)] {
    fn header(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|(key, _)| key.as_ref().eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_ref())
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> WebhookHeaders for [(K, V); N] {
    fn header(&self, name: &str) -> Option<&str> {
        self.as_slice().header(name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> WebhookHeaders for Vec<(K, V)> {
    fn header(&self, name: &str) -> Option<&str> {
        self.as_slice().header(name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>, S> WebhookHeaders for HashMap<K, V, S> {
    fn header(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|(key, _)| key.as_ref().eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_without_regard_to_case() {
        let pairs = [("Webhook-Id", "msg_1")];
        assert_eq!(pairs.header("webhook-id"), Some("msg_1"));
        assert_eq!(pairs.header("webhook-timestamp"), None);
        let map: HashMap<String, String> = [("WEBHOOK-ID".to_owned(), "msg_2".to_owned())].into();
        assert_eq!(map.header("webhook-id"), Some("msg_2"));
        let mut headers = http::HeaderMap::new();
        headers.insert("webhook-id", http::HeaderValue::from_static("msg_3"));
        assert_eq!(headers.header("webhook-id"), Some("msg_3"));
        assert_eq!(
            vec![("webhook-id", "msg_4")].header("webhook-id"),
            Some("msg_4")
        );
    }
}
