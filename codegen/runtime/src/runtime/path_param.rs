//! Typed path parameters. A generated crate's `ids.rs` declares one marker type per parameter
//! name and one alias per id, `pub type ChatId = PathParam<kinds::ChatId>;`, so an id of one
//! kind cannot be passed where another is expected, while every impl lives here, once.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

/// The marker type of one kind of path parameter: its `NAME` is the id type's name, which
/// `Debug` prints (`ChatId("1")`).
pub trait PathParamKind {
    /// The id type's name, as `Debug` prints it.
    const NAME: &'static str;
}

/// A path parameter of kind `K`: a string sent as one path segment (percent-encoded).
/// `Display`, `AsRef<str>` and `as_str` give the text; serde reads and writes it as a plain
/// string.
pub struct PathParam<K>(pub String, PhantomData<fn() -> K>);

impl<K> PathParam<K> {
    /// An id with this text.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into(), PhantomData)
    }

    /// The id's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id's text, owned.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl<K: PathParamKind> fmt::Debug for PathParam<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple(K::NAME).field(&self.0).finish()
    }
}

impl<K> fmt::Display for PathParam<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<K> Clone for PathParam<K> {
    fn clone(&self) -> Self {
        Self(self.0.clone(), PhantomData)
    }
}

impl<K> Default for PathParam<K> {
    fn default() -> Self {
        Self(String::new(), PhantomData)
    }
}

impl<K> PartialEq for PathParam<K> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl<K> Eq for PathParam<K> {}

impl<K> PartialOrd for PathParam<K> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl<K> Ord for PathParam<K> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(&other.0)
    }
}

impl<K> Hash for PathParam<K> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl<K> From<String> for PathParam<K> {
    fn from(value: String) -> Self {
        Self(value, PhantomData)
    }
}

impl<K> From<&str> for PathParam<K> {
    fn from(value: &str) -> Self {
        Self(value.to_owned(), PhantomData)
    }
}

impl<K> From<PathParam<K>> for String {
    fn from(value: PathParam<K>) -> Self {
        value.0
    }
}

impl<K> AsRef<str> for PathParam<K> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl<K> serde::Serialize for PathParam<K> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de, K> serde::Deserialize<'de> for PathParam<K> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}
