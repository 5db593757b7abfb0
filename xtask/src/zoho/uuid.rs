//! Deterministic (name-based, version 5) UUIDs, so that every run gives the same ids.

/// The RFC 4122 URL namespace.
const NAMESPACE_URL: [u8; 16] = [
    0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8,
];

/// Prefix of every name hashed for this collection, so our ids do not collide with other uses
/// of the URL namespace.
const NAME_PREFIX: &str = "urn:postman-codegen:zoho-cliq:";

/// RFC 4122 version-5 UUID of `name` in `namespace`, lower-case hyphenated.
pub fn uuid_v5(namespace: &[u8; 16], name: &str) -> String {
    let mut hasher = sha1_smol::Sha1::new();
    hasher.update(namespace);
    hasher.update(name.as_bytes());
    let digest = hasher.digest().bytes();
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The stable id of one collection element, from a stable key such as
/// `request/v3/Chats/Post a message/POST /chats/:CHAT_ID/messages`.
pub fn stable_id(key: &str) -> String {
    uuid_v5(&NAMESPACE_URL, &format!("{NAME_PREFIX}{key}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMESPACE_DNS: [u8; 16] = [
        0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30,
        0xc8,
    ];

    #[test]
    fn matches_the_rfc_4122_v5_algorithm() {
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
        assert_eq!(
            uuid_v5(&NAMESPACE_DNS, "python.org"),
            "886313e1-3b8a-5372-9b90-0c9aee199e5d"
        );
    }

    #[test]
    fn is_deterministic_and_distinct() {
        let a = stable_id("request/v3/Chats/Post a message");
        assert_eq!(a, stable_id("request/v3/Chats/Post a message"));
        assert_ne!(a, stable_id("request/v3/Chats/Post a message "));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "5", "version nibble");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "variant bits");
    }
}
