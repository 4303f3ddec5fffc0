//! Reading a JSON script: values with their place in the document, so a
//! mistake says where it is.

use std::fmt;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::fault::try_header;
use crate::route::Route;

/// A mistake in a JSON script: where it is (a path such as
/// `replies.messages[1].fault.kind`) and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScriptError {
    /// Where in the document the mistake is.
    pub at: String,
    /// What is wrong there.
    pub problem: String,
}

impl fmt::Display for ScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.problem)
    }
}

impl std::error::Error for ScriptError {}

/// A JSON value and where it sits in the document.
#[derive(Clone, Copy)]
pub(crate) struct At<'v> {
    pub(crate) value: &'v Value,
    pub(crate) path: &'v str,
}

pub(crate) type Parsed<T> = Result<T, ScriptError>;

impl<'v> At<'v> {
    pub(crate) fn fail<T>(&self, problem: impl Into<String>) -> Parsed<T> {
        Err(ScriptError {
            at: if self.path.is_empty() {
                "script".to_owned()
            } else {
                self.path.to_owned()
            },
            problem: problem.into(),
        })
    }

    /// The object, with only `allowed` keys.
    pub(crate) fn object(&self, allowed: &[&str]) -> Parsed<&'v Map<String, Value>> {
        let Some(object) = self.value.as_object() else {
            return self.fail("expected an object");
        };
        if let Some(key) = object.keys().find(|k| !allowed.contains(&k.as_str())) {
            return self.fail(format!(
                "unknown key {key:?}; expected one of: {}",
                allowed.join(", ")
            ));
        }
        Ok(object)
    }

    pub(crate) fn string(&self) -> Parsed<&'v str> {
        match self.value.as_str() {
            Some(s) => Ok(s),
            None => self.fail("expected a string"),
        }
    }

    pub(crate) fn text(&self) -> Parsed<String> {
        self.string().map(str::to_owned)
    }

    pub(crate) fn number(&self) -> Parsed<u64> {
        match self.value.as_u64() {
            Some(n) => Ok(n),
            None => self.fail("expected a non-negative integer"),
        }
    }

    pub(crate) fn size(&self) -> Parsed<usize> {
        let n = self.number()?;
        usize::try_from(n).or_else(|_| self.fail("number too large"))
    }

    pub(crate) fn millis(&self) -> Parsed<Duration> {
        self.number().map(Duration::from_millis)
    }

    pub(crate) fn boolean(&self) -> Parsed<bool> {
        match self.value.as_bool() {
            Some(b) => Ok(b),
            None => self.fail("expected true or false"),
        }
    }

    pub(crate) fn typed<T: DeserializeOwned>(&self) -> Parsed<T> {
        serde_json::from_value(self.value.clone()).or_else(|err| self.fail(err.to_string()))
    }

    pub(crate) fn route(&self) -> Parsed<Route> {
        let name = self.string()?;
        match Route::from_name(name) {
            Some(route) => Ok(route),
            None => self.fail(format!(
                "unknown route {name:?}; expected one of: {}",
                Route::names().collect::<Vec<_>>().join(", ")
            )),
        }
    }
}

/// Runs `f` on `object[key]` (with its path) when the key is present.
pub(crate) fn field<T>(
    object: &Map<String, Value>,
    parent: &str,
    key: &str,
    f: impl FnOnce(At<'_>) -> Parsed<T>,
) -> Parsed<Option<T>> {
    match object.get(key) {
        None => Ok(None),
        Some(value) => {
            let path = join(parent, key);
            f(At { value, path: &path }).map(Some)
        }
    }
}

/// Like [`field`], for a key that must be present.
pub(crate) fn required<T>(
    object: &Map<String, Value>,
    parent: &str,
    key: &str,
    f: impl FnOnce(At<'_>) -> Parsed<T>,
) -> Parsed<T> {
    match field(object, parent, key, f)? {
        Some(value) => Ok(value),
        None => Err(ScriptError {
            at: if parent.is_empty() {
                "script".to_owned()
            } else {
                parent.to_owned()
            },
            problem: format!("missing key {key:?}"),
        }),
    }
}

pub(crate) fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

/// Runs `f` on each item of an array, or on the value itself if it is not one.
pub(crate) fn for_each(at: At<'_>, mut f: impl FnMut(At<'_>) -> Parsed<()>) -> Parsed<()> {
    match at.value.as_array() {
        None => f(at),
        Some(items) => items.iter().enumerate().try_for_each(|(i, value)| {
            let path = format!("{}[{i}]", at.path);
            f(At { value, path: &path })
        }),
    }
}

/// A `{"name": "value"}` object of headers.
pub(crate) fn headers(at: At<'_>) -> Parsed<Vec<(http::HeaderName, http::HeaderValue)>> {
    let Some(object) = at.value.as_object() else {
        return at.fail("expected an object of header names to string values");
    };
    let mut out = Vec::new();
    for (name, value) in object {
        let path = join(at.path, name);
        let value = At { value, path: &path }.string()?;
        match try_header(name, value) {
            Some(pair) => out.push(pair),
            None => {
                return At {
                    value: &Value::Null,
                    path: &path,
                }
                .fail("not a valid header");
            }
        }
    }
    Ok(out)
}
