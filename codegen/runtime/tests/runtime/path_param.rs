//! Typed path parameters: one type per kind, every impl shared.

use std::any::TypeId;
use std::collections::BTreeSet;

use postman_codegen_runtime::runtime::{PathParam, PathParamKind};

enum Chat {}
impl PathParamKind for Chat {
    const NAME: &'static str = "ChatId";
}
enum User {}
impl PathParamKind for User {
    const NAME: &'static str = "UserId";
}
type ChatId = PathParam<Chat>;
type UserId = PathParam<User>;

#[test]
fn kinds_are_distinct_types() {
    // A `&UserId` does not fit a `&ChatId` parameter: they are different types.
    assert_ne!(TypeId::of::<ChatId>(), TypeId::of::<UserId>());
}

#[test]
fn reads_and_writes_as_its_text() {
    let id = ChatId::from("CT_1");
    assert_eq!(id.to_string(), "CT_1");
    assert_eq!(id.as_ref(), "CT_1");
    assert_eq!(id.as_str(), "CT_1");
    assert_eq!(format!("{id:?}"), r#"ChatId("CT_1")"#);
    assert_eq!(id, ChatId::from("CT_1".to_owned()));
    assert_eq!(id.clone(), ChatId::new("CT_1"));
    assert_eq!(String::from(id.clone()), "CT_1");
    assert_eq!(serde_json::to_string(&id).unwrap(), r#""CT_1""#);
    assert_eq!(serde_json::from_str::<ChatId>(r#""CT_1""#).unwrap(), id);
    assert_eq!(ChatId::default().as_str(), "");
    let sorted: BTreeSet<UserId> = ["b", "a"].into_iter().map(UserId::from).collect();
    assert_eq!(
        sorted.iter().map(UserId::as_str).collect::<Vec<_>>(),
        ["a", "b"]
    );
}
