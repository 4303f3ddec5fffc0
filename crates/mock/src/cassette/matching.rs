//! Finding the cassette for a request, or saying which one came closest.

use serde_json::Value;

use super::{Cassette, normalize};

/// The cassettes being replayed and how often each has been served.
#[derive(Debug, Default)]
pub(crate) struct Replay {
    cassettes: Vec<Cassette>,
    served: Vec<usize>,
}

impl Replay {
    pub(crate) fn new(cassettes: Vec<Cassette>) -> Self {
        let served = vec![0; cassettes.len()];
        Replay { cassettes, served }
    }

    /// Whether there is anything to replay.
    pub(crate) fn is_empty(&self) -> bool {
        self.cassettes.is_empty()
    }

    /// The cassette for a request: the first matching one not yet served,
    /// else the last matching one. `Err` says why nothing matched, naming
    /// the closest cassette.
    pub(crate) fn serve(
        &mut self,
        method: &str,
        path: &str,
        query: Option<&str>,
        body: &[u8],
    ) -> Result<Cassette, String> {
        let body = normalize(body);
        let matching: Vec<usize> = (0..self.cassettes.len())
            .filter(|&i| {
                let c = &self.cassettes[i];
                c.method == method
                    && c.path == path
                    && c.query.as_deref() == query
                    && c.body == body
            })
            .collect();
        let chosen = matching
            .iter()
            .copied()
            .find(|&i| self.served[i] == 0)
            .or_else(|| matching.last().copied());
        match chosen {
            Some(i) => {
                self.served[i] += 1;
                Ok(self.cassettes[i].clone())
            }
            None => Err(self.closest(method, path, query, &body)),
        }
    }

    /// Why nothing matched, naming the nearest cassette and what differs.
    fn closest(&self, method: &str, path: &str, query: Option<&str>, body: &str) -> String {
        let sent = serde_json::from_str::<Value>(body).ok();
        let score = |c: &Cassette| {
            (
                c.method == method && c.path == path,
                c.path == path,
                c.query.as_deref() == query,
                likeness(
                    serde_json::from_str::<Value>(&c.body).ok().as_ref(),
                    sent.as_ref(),
                ),
                common_prefix(&c.body, body),
            )
        };
        let request = format!(
            "{method} {path}{}",
            query.map(|q| format!("?{q}")).unwrap_or_default()
        );
        let Some(best) = self.cassettes.iter().max_by_key(|c| score(c)) else {
            return format!(
                "claude-rs-mock replay: no cassette matches {request}: there are no cassettes"
            );
        };
        let difference = if best.method != method || best.path != path {
            format!("it is for {} {}", best.method, best.path)
        } else if best.query.as_deref() != query {
            format!("its query is {:?}", best.query.as_deref().unwrap_or(""))
        } else {
            match (
                serde_json::from_str::<Value>(&best.body),
                serde_json::from_str::<Value>(body),
            ) {
                (Ok(recorded), Ok(sent)) => match first_difference(&recorded, &sent, String::new())
                {
                    Some(at) if at.is_empty() => "the body differs".to_owned(),
                    Some(at) => format!("the body differs at {at}"),
                    None => "the body differs".to_owned(),
                },
                _ => "the body differs".to_owned(),
            }
        };
        format!(
            "claude-rs-mock replay: no cassette matches {request}; the closest is {} ({difference})",
            best.name
        )
    }
}

/// How alike two JSON bodies are: top-level fields equal in both, less
/// those that differ or are in one only.
fn likeness(a: Option<&Value>, b: Option<&Value>) -> i64 {
    let (Some(Value::Object(a)), Some(Value::Object(b))) = (a, b) else {
        return 0;
    };
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.iter()
        .map(|key| if a.get(*key) == b.get(*key) { 1 } else { -1 })
        .sum()
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

/// The path (`messages.0.content`) of the first place two values differ.
fn first_difference(a: &Value, b: &Value, at: String) -> Option<String> {
    let join = |key: &str| {
        if at.is_empty() {
            key.to_owned()
        } else {
            format!("{at}.{key}")
        }
    };
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter()
                .find_map(|key| match (x.get(key), y.get(key)) {
                    (Some(p), Some(q)) => first_difference(p, q, join(key)),
                    _ => Some(join(key)),
                })
        }
        (Value::Array(x), Value::Array(y)) => {
            let found = x
                .iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (p, q))| first_difference(p, q, join(&i.to_string())));
            found.or_else(|| (x.len() != y.len()).then_some(at))
        }
        _ => (a != b).then_some(at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn cassette(name: &str, body: &str, response: &'static str) -> Cassette {
        Cassette {
            name: name.to_owned(),
            method: "POST".to_owned(),
            path: "/v1/messages".to_owned(),
            query: None,
            body: normalize(body.as_bytes()),
            status: 200,
            headers: Vec::new(),
            response: Bytes::from_static(response.as_bytes()),
            chunks: Vec::new(),
        }
    }

    #[test]
    fn serves_in_order_then_repeats_the_last() {
        let body = r#"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#;
        let mut replay = Replay::new(vec![
            cassette("0001", body, "first"),
            cassette("0002", body, "second"),
        ]);
        // Key order and spacing do not matter.
        let sent = br#"{ "messages": [{"content": "hi", "role": "user"}], "model": "m" }"#;
        let served: Vec<_> = (0..3)
            .map(|_| {
                replay
                    .serve("POST", "/v1/messages", None, sent)
                    .map(|c| c.response)
            })
            .collect();
        assert_eq!(
            served,
            [Ok("first".into()), Ok("second".into()), Ok("second".into())]
        );
    }

    #[test]
    fn a_miss_names_the_closest_and_where_it_differs() {
        let mut replay = Replay::new(vec![
            cassette(
                "0001-post-v1-messages",
                r#"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#,
                "x",
            ),
            cassette("0002-post-v1-messages", r#"{"model":"other"}"#, "y"),
        ]);
        let sent = br#"{"model":"m","messages":[{"role":"user","content":"bye"}]}"#;
        let miss = replay.serve("POST", "/v1/messages", None, sent);
        assert_eq!(
            miss.map(|c| c.name),
            Err(
                "claude-rs-mock replay: no cassette matches POST /v1/messages; the closest is \
                 0001-post-v1-messages (the body differs at messages.0.content)"
                    .to_owned()
            )
        );
        let other = replay.serve("GET", "/v1/models", None, b"");
        assert!(other.is_err_and(|m| m.contains("it is for POST /v1/messages")));
    }
}
