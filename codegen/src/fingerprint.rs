//! Fingerprints of the IR: a 128-bit hash of what a generated file is made from, so a warm
//! regeneration can tell an unchanged module without building its tokens (see
//! [`crate::emit`]'s module cache).
//!
//! The IR derives [`Hash`]; the types holding `serde_json::Value` (which does not) hash it here
//! by destructuring every field, so a field added later cannot be forgotten silently.

use std::hash::{Hash, Hasher};

use serde_json::Value;

use crate::ir::{Body, ExampleResponse, Operation};

/// A fast 128-bit multiplicative hash (FNV-1a's prime and offset, fed 8 bytes at a time).
/// Not for adversaries: an equal fingerprint only lets a regeneration reuse text it already
/// wrote for the same crate. Its value is not specified beyond this crate version (the keys it
/// makes include the generator's version).
#[derive(Debug, Clone)]
pub struct Fingerprint {
    state: u128,
}

const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013B;
const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint { state: OFFSET }
    }
}

impl Fingerprint {
    /// A fingerprint that starts from `domain`, so keys of different kinds never compare equal.
    pub fn new(domain: &str) -> Self {
        let mut fingerprint = Fingerprint::default();
        domain.hash(&mut fingerprint);
        env!("CARGO_PKG_VERSION").hash(&mut fingerprint);
        fingerprint
    }

    fn mix(&mut self, word: u64) {
        self.state ^= u128::from(word);
        self.state = self.state.wrapping_mul(PRIME);
    }

    /// The hash as 32 hex digits (the manifest's format).
    pub fn hex(&self) -> String {
        // Fold the high half in once more: the multiplication only carries bits upwards.
        let mut last = self.clone();
        last.mix((self.state >> 64) as u64);
        format!("{:032x}", last.state)
    }
}

impl Hasher for Fingerprint {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.mix(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            // The length tells `ab` from `ab\0`.
            self.mix(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.mix(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.mix(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.mix(i as u64);
    }

    fn finish(&self) -> u64 {
        self.state as u64
    }
}

/// Hashes a JSON value with its kind, so `1`, `1.0` and `"1"` differ (they generate different
/// code and round-trip checks), and objects in their order.
pub fn hash_json<H: Hasher>(value: &Value, state: &mut H) {
    match value {
        Value::Null => state.write_u8(0),
        Value::Bool(b) => {
            state.write_u8(1);
            b.hash(state);
        }
        Value::Number(n) => {
            state.write_u8(2);
            if let Some(u) = n.as_u64() {
                state.write_u8(0);
                u.hash(state);
            } else if let Some(i) = n.as_i64() {
                state.write_u8(1);
                i.hash(state);
            } else {
                state.write_u8(2);
                n.as_f64().unwrap_or_default().to_bits().hash(state);
            }
        }
        Value::String(s) => {
            state.write_u8(3);
            s.hash(state);
        }
        Value::Array(items) => {
            state.write_u8(4);
            state.write_usize(items.len());
            for item in items {
                hash_json(item, state);
            }
        }
        Value::Object(map) => {
            state.write_u8(5);
            state.write_usize(map.len());
            for (key, item) in map {
                key.hash(state);
                hash_json(item, state);
            }
        }
    }
}

fn hash_jsons<H: Hasher>(values: &[Value], state: &mut H) {
    state.write_usize(values.len());
    for value in values {
        hash_json(value, state);
    }
}

impl Hash for ExampleResponse {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let ExampleResponse { name, status, body } = self;
        name.hash(state);
        status.hash(state);
        hash_json(body, state);
    }
}

impl Hash for Body {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Body::None => {}
            Body::Json { samples, raw } => {
                hash_jsons(samples, state);
                raw.hash(state);
            }
            Body::Text { example } => example.hash(state),
            Body::UrlEncoded { fields } | Body::FormData { fields } => fields.hash(state),
            Body::File { src } => src.hash(state),
            Body::GraphQl { query, variables } => {
                query.hash(state);
                state.write_u8(u8::from(variables.is_some()));
                if let Some(variables) = variables {
                    hash_json(variables, state);
                }
            }
        }
    }
}

impl Hash for Operation {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let Operation {
            name,
            key,
            item_path,
            method,
            url,
            path_params,
            query,
            runtime_query,
            query_order,
            omit_content_type,
            headers,
            body,
            auth,
            examples,
            has_success_example,
            success_is_text,
            docs,
            link_headers,
            order,
        } = self;
        name.hash(state);
        key.hash(state);
        item_path.hash(state);
        method.hash(state);
        url.hash(state);
        path_params.hash(state);
        query.hash(state);
        runtime_query.hash(state);
        query_order.hash(state);
        omit_content_type.hash(state);
        headers.hash(state);
        body.hash(state);
        auth.hash(state);
        examples.hash(state);
        has_success_example.hash(state);
        success_is_text.hash(state);
        docs.hash(state);
        link_headers.hash(state);
        order.hash(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn of(value: &Value) -> String {
        let mut fingerprint = Fingerprint::new("test");
        hash_json(value, &mut fingerprint);
        fingerprint.hex()
    }

    #[test]
    fn json_kinds_and_order_differ() {
        let values = [json!(1), json!(1.0), json!("1"), json!(null), json!([1]), json!({"a": 1, "b": 2}), json!({"b": 2, "a": 1})];
        let hashes: std::collections::BTreeSet<String> = values.iter().map(of).collect();
        assert_eq!(hashes.len(), values.len());
        assert_eq!(of(&json!({"a": [1, "x"]})), of(&json!({"a": [1, "x"]})));
    }

    #[test]
    fn strings_differ_by_trailing_zero_bytes_and_split() {
        let hex = |parts: &[&str]| {
            let mut fingerprint = Fingerprint::new("test");
            parts.hash(&mut fingerprint);
            fingerprint.hex()
        };
        assert_ne!(hex(&["ab"]), hex(&["ab\0"]));
        assert_ne!(hex(&["ab", "c"]), hex(&["a", "bc"]));
        assert_ne!(hex(&["abcdefgh"]), hex(&["abcdefgh\0"]));
        assert_ne!(Fingerprint::new("a").hex(), Fingerprint::new("b").hex());
    }

    #[test]
    fn every_operation_field_counts() {
        let base = Operation { name: "a".into(), ..Operation::default() };
        let hex = |op: &Operation| {
            let mut fingerprint = Fingerprint::new("test");
            op.hash(&mut fingerprint);
            fingerprint.hex()
        };
        let changed = [
            Operation { docs: "d".into(), ..base.clone() },
            Operation { order: 1, ..base.clone() },
            Operation { examples: vec![ExampleResponse { name: "e".into(), status: None, body: json!({}) }], ..base.clone() },
            Operation { body: Body::Json { samples: vec![json!(1)], raw: "1".into() }, ..base.clone() },
            Operation { body: Body::Json { samples: vec![json!(1.0)], raw: "1".into() }, ..base.clone() },
        ];
        let mut seen = std::collections::BTreeSet::from([hex(&base)]);
        for op in &changed {
            assert!(seen.insert(hex(op)), "{op:?}");
        }
    }
}
