//! The decoding machinery behind `object!` and
//! `tagged_union!`: streaming visitors, so that a value is
//! built straight from the JSON text.
//!
//! Why by hand: a Claude stream is thousands of small events, and going
//! through an intermediate `serde_json::Value` costs a map and a string per
//! key at every level. Here keys are borrowed from the input and matched in
//! place, known fields are deserialized directly into their types, and only
//! unknown fields (and explicit `null`s, kept for exact round trips) are
//! stored. A union reads its `"type"` first when it comes first, as the API
//! writes it; when it does not, the object is buffered once and decoded
//! through the same visitor, so both paths give the same result.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeOwned, Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// An object key (or tag), borrowed from the input when possible.
pub struct Key<'de>(pub Cow<'de, str>);

impl Key<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_owned(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Reads the value of the current entry, naming the field in errors.
pub fn value<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    map: &mut A,
    key: &str,
) -> Result<T, A::Error> {
    map.next_value()
        .map_err(|err| A::Error::custom(format_args!("field \"{key}\": {err}")))
}

/// The error for a required field that never came.
pub fn missing<E: serde::de::Error>(key: &str) -> E {
    E::custom(format_args!("missing field \"{key}\""))
}

/// A type whose fields can be read from a map whose `type` entry, if any,
/// was already consumed.
pub trait FromMapAccess<'de>: Sized {
    /// Reads the remaining entries.
    fn from_map_access<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// A boxed arm (a union's large members are boxed to keep the union small).
impl<'de, T: FromMapAccess<'de>> FromMapAccess<'de> for Box<T> {
    fn from_map_access<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        T::from_map_access(map).map(Box::new)
    }
}

/// The visitor that `object!` types deserialize with.
pub struct ObjectVisitor<T>(pub &'static str, pub std::marker::PhantomData<T>);

impl<'de, T: FromMapAccess<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object ({})", self.0)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map_access(map)
    }
}

/// Builds an object type from a JSON map, through its visitor.
pub fn from_object<T: DeserializeOwned>(map: Map<String, Value>) -> Result<T, serde_json::Error> {
    T::deserialize(Value::Object(map))
}

/// Where a union's tag was found.
pub enum Tag<'de> {
    /// First, as the API writes it: the rest of the map is still unread.
    First(Key<'de>),
    /// Elsewhere: the whole object was buffered, tag removed.
    Buffered(String, Map<String, Value>),
}

/// Reads a union's `type` tag.
pub fn read_tag<'de, A: MapAccess<'de>>(map: &mut A, what: &str) -> Result<Tag<'de>, A::Error> {
    let first: Option<Key<'de>> = map.next_key()?;
    let first = match first {
        Some(key) if key.as_str() == "type" => {
            let tag: Key<'de> = map.next_value().map_err(|err| {
                A::Error::custom(format_args!(
                    "invalid {what}: \"type\" must be a string: {err}"
                ))
            })?;
            return Ok(Tag::First(tag));
        }
        Some(key) => key,
        None => {
            return Err(A::Error::custom(format_args!(
                "invalid {what}: missing field \"type\""
            )));
        }
    };
    let mut object = Map::new();
    let value: Value = map.next_value()?;
    object.insert(first.into_owned(), value);
    while let Some((key, value)) = map.next_entry::<String, Value>()? {
        object.insert(key, value);
    }
    match object.remove("type") {
        Some(Value::String(tag)) => Ok(Tag::Buffered(tag, object)),
        Some(_) => Err(A::Error::custom(format_args!(
            "invalid {what}: \"type\" must be a string"
        ))),
        None => Err(A::Error::custom(format_args!(
            "invalid {what}: missing field \"type\""
        ))),
    }
}

/// Decodes a known arm from the rest of the map.
pub fn arm<'de, T: FromMapAccess<'de>, A: MapAccess<'de>>(
    map: A,
    what: &str,
    tag: &str,
) -> Result<T, A::Error> {
    T::from_map_access(map)
        .map_err(|err| A::Error::custom(format_args!("invalid {what} of type \"{tag}\": {err}")))
}

/// Decodes a known arm from a buffered object.
pub fn arm_from_object<T: DeserializeOwned, E: serde::de::Error>(
    object: Map<String, Value>,
    what: &str,
    tag: &str,
) -> Result<T, E> {
    from_object(object)
        .map_err(|err| E::custom(format_args!("invalid {what} of type \"{tag}\": {err}")))
}

/// Keeps an object of an unknown type whole: the tag and the unread rest.
pub fn unknown_rest<'de, A: MapAccess<'de>>(mut map: A, tag: Key<'de>) -> Result<Value, A::Error> {
    let mut object = Map::new();
    object.insert("type".to_owned(), Value::String(tag.into_owned()));
    while let Some((key, value)) = map.next_entry::<String, Value>()? {
        object.insert(key, value);
    }
    Ok(Value::Object(object))
}

/// Puts the tag back into a buffered object of an unknown type.
pub fn rejoin_tag(tag: String, mut object: Map<String, Value>) -> Value {
    object.insert("type".to_owned(), Value::String(tag));
    Value::Object(object)
}
