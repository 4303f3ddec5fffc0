//! Query strings and percent-escapes, read once for the whole mock: the
//! Managed Agents routes, the resource store's list filters and the
//! platforms' signed paths all decode through here.

/// The decoded `(name, value)` pairs of a query string, in order.
#[derive(Debug, Default)]
pub(crate) struct Query(Vec<(String, String)>);

impl Query {
    /// Parses `raw` (without the `?`). Names and values are form-decoded:
    /// `+` is a space and `%XX` the byte it names.
    pub(crate) fn parse(raw: Option<&str>) -> Query {
        let pairs = raw
            .unwrap_or_default()
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                (form_decode(key), form_decode(value))
            })
            .collect();
        Query(pairs)
    }

    /// The first value of `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Every value of the array `name`: sent as `name[]` or a repeated
    /// `name`, each possibly a comma-separated list.
    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        let bracketed = format!("{name}[]");
        self.0
            .iter()
            .filter(|(key, _)| *key == bracketed || key == name)
            .flat_map(|(_, value)| value.split(','))
            .filter(|value| !value.is_empty())
            .collect()
    }

    /// `true` for `name=true`, `false` otherwise.
    pub(crate) fn flag(&self, name: &str) -> bool {
        self.get(name) == Some("true")
    }
}

/// Percent-decoding (`%40` is `@`); an invalid or cut escape is kept as it
/// is, and bytes that do not form UTF-8 become U+FFFD.
pub(crate) fn percent_decode(text: &str) -> String {
    decode(text, false)
}

/// Form decoding: percent-decoding, and `+` is a space.
fn form_decode(text: &str) -> String {
    decode(text, true)
}

fn decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
        match (escaped, bytes[i]) {
            (Some(byte), _) => {
                out.push(byte);
                i += 3;
                continue;
            }
            (None, b'+') if plus_is_space => out.push(b' '),
            (None, other) => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_arrays_and_escapes() {
        let q = Query::parse(Some(
            "statuses%5B%5D=idle&statuses[]=running,paused&t=a+b%2&e=x%2By%40z&flag=true&last=%41",
        ));
        assert_eq!(q.all("statuses"), ["idle", "running", "paused"]);
        assert_eq!(q.get("t"), Some("a b%2"));
        assert_eq!(q.get("e"), Some("x+y@z"));
        assert!(q.flag("flag") && !q.flag("t"));
        // An escape in the last three bytes is still read.
        assert_eq!(q.get("last"), Some("A"));
    }

    #[test]
    fn percent_decoding_keeps_plus_and_bad_escapes() {
        assert_eq!(percent_decode("a%2Fb%3a%zz+c%"), "a/b:%zz+c%");
    }
}
