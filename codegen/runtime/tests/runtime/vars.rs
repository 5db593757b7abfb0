//! Variables, rendering, path encoding and URL building.

use postman_codegen_runtime::runtime::vars::{render_strict, single_var};
use postman_codegen_runtime::runtime::{
    encode_path_segment, render, Client, ClientDefaults, Error, Seg, Vars,
};

fn vars(pairs: &[(&str, &str)]) -> Vars {
    let mut v = Vars::new();
    for (n, val) in pairs {
        v.set(*n, *val, false);
    }
    v
}

#[test]
fn render_replaces_known_and_keeps_unknown() {
    let v = vars(&[("host", "example.com"), ("empty", "")]);
    assert_eq!(
        render("https://{{host}}/a/{{nope}}/b{{empty}}", &v),
        "https://example.com/a/{{nope}}/b"
    );
    assert_eq!(render("no vars {here} {{ }}x", &v), "no vars {here} {{ }}x");
    assert_eq!(render("{{{host}}}", &v), "{example.com}");
    assert_eq!(render("{{host", &v), "{{host");
    assert_eq!(render("", &v), "");
}

#[test]
fn render_resolves_nested_and_stops_on_cycles() {
    let v = vars(&[
        ("base", "{{scheme}}://{{host}}"),
        ("scheme", "https"),
        ("host", "{{sub}}.example.com"),
        ("sub", "api"),
    ]);
    assert_eq!(render("{{base}}/x", &v), "https://api.example.com/x");

    let cyclic = vars(&[("a", "x{{b}}"), ("b", "y{{a}}"), ("self", "{{self}}")]);
    assert_eq!(render("{{a}}", &cyclic), "xy{{a}}");
    assert_eq!(render("{{self}}", &cyclic), "{{self}}");
    assert_eq!(render_strict("{{a}}", &cyclic), Err(vec!["a".to_owned()]));

    // a reference made by a pass is rendered by the next one, as Postman does
    let built = vars(&[("var", "value"), ("hello_value", "{{sub}}!"), ("sub", "hi")]);
    assert_eq!(render("/{{hello_{{var}}}}", &built), "/hi!");
    assert_eq!(
        render_strict("{{hello_{{nope}}}}", &built),
        Err(vec!["nope".to_owned()])
    );
    let unknown = vars(&[("var", "x")]);
    assert_eq!(
        render_strict("{{a_{{var}}}}", &unknown),
        Err(vec!["a_x".to_owned()])
    );

    // exponential templates stay bounded by the depth limit
    let deep = vars(&[("d", "{{d}}{{d}}")]);
    assert_eq!(render("{{d}}", &deep), "{{d}}{{d}}");
}

#[test]
fn render_strict_lists_missing_once() {
    let v = vars(&[("a", "1")]);
    assert_eq!(
        render_strict("{{a}}{{b}}{{c}}{{b}}", &v),
        Err(vec!["b".to_owned(), "c".to_owned()])
    );
    assert_eq!(render_strict("{{a}}", &v), Ok("1".to_owned()));
}

#[test]
fn single_var_recognises_one_reference() {
    assert_eq!(single_var("{{access-token}}"), Some("access-token"));
    assert_eq!(single_var("Bearer {{t}}"), None);
    assert_eq!(single_var("{{}}"), None);
    assert_eq!(single_var("literal"), None);
}

#[test]
fn encode_path_segment_keeps_only_unreserved() {
    assert_eq!(encode_path_segment("AZaz09-._~"), "AZaz09-._~");
    assert_eq!(encode_path_segment("a b/c?d#e%f"), "a%20b%2Fc%3Fd%23e%25f");
    assert_eq!(encode_path_segment("é{{x}}"), "%C3%A9%7B%7Bx%7D%7D");
    assert_eq!(encode_path_segment(""), "");
}

#[test]
fn vars_debug_redacts_secrets_and_secret_flag_sticks() {
    let mut v = Vars::new();
    v.set("host", "example.com", false);
    v.set("token", "s3cr3t", true);
    v.set("token", "n3w-s3cr3t", false);
    let dbg = format!("{v:?}");
    assert!(dbg.contains("example.com"));
    assert!(dbg.contains("<redacted>"));
    assert!(!dbg.contains("s3cr3t"));
    assert_eq!(v.get("token"), Some("n3w-s3cr3t"));
    assert!(v.is_secret("token"));
}

struct Eu;

impl ClientDefaults for Eu {
    fn defaults(&self) -> Vec<(&'static str, &'static str)> {
        vec![("api-domain", "https://cliq.zoho.eu"), ("version", "v3")]
    }
}

#[test]
fn url_renders_literals_and_encodes_params() {
    let client = Client::builder(Eu).build().expect("client");
    let url = client.url(&[
        Seg::Lit("{{api-domain}}/api/{{version}}/chats/"),
        Seg::Param("CT_1/2 x"),
        Seg::Lit("/messages"),
    ]);
    assert_eq!(
        url,
        "https://cliq.zoho.eu/api/v3/chats/CT_1%2F2%20x/messages"
    );
    // params are never rendered
    assert_eq!(
        client.url(&[Seg::Lit("{{api-domain}}/"), Seg::Param("{{version}}")]),
        "https://cliq.zoho.eu/%7B%7Bversion%7D%7D"
    );
    assert_eq!(
        client.render("{{api-domain}}/{{unknown}}"),
        "https://cliq.zoho.eu/{{unknown}}"
    );
}

#[test]
fn builder_vars_override_defaults() {
    let client = Client::builder(Eu)
        .var("api-domain", "https://custom.example")
        .build()
        .expect("client");
    assert_eq!(
        client.url(&[Seg::Lit("{{api-domain}}/x")]),
        "https://custom.example/x"
    );
    assert_eq!(client.var("version").as_deref(), Some("v3"));
    assert_eq!(client.var("nope"), None);
}

#[test]
fn try_url_names_missing_variables() {
    let client = Client::builder(()).build().expect("client");
    let err = client
        .try_url(&[
            Seg::Lit("{{api-domain}}/{{v}}/"),
            Seg::Param("x"),
            Seg::Lit("{{v}}"),
        ])
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    let msg = err.to_string();
    assert!(msg.contains("`api-domain`") && msg.contains("`v`"), "{msg}");
    assert_eq!(msg.matches("`v`").count(), 1, "{msg}");
    let ok = Client::builder(Eu).build().expect("client");
    assert_eq!(
        ok.try_url(&[Seg::Lit("{{api-domain}}/"), Seg::Param("a b")])
            .expect("url"),
        "https://cliq.zoho.eu/a%20b"
    );
}

#[test]
fn client_is_send_sync_clone() {
    fn shared<T: Send + Sync + Clone + 'static>() {}
    fn error<T: std::error::Error + Send + Sync + 'static>() {}
    shared::<Client>();
    error::<Error>();
}

#[test]
fn query_components_are_encoded_as_postman_encodes_them() {
    use postman_codegen_runtime::runtime::encode_query_component as enc;
    assert_eq!(enc("/a/b:c?d@e+f,g;h=i", false), "/a/b:c?d@e+f,g;h=i");
    assert_eq!(enc("a b\"#&'<>", false), "a%20b%22%23%26%27%3C%3E");
    assert_eq!(enc("k=v", true), "k%3Dv");
    assert_eq!(enc("é\u{7f}\n", false), "%C3%A9%7F%0A");
    assert_eq!(
        enc("100%25 and 5% off %4", false),
        "100%25%20and%205%%20off%20%4"
    );
}

#[test]
fn query_string_keeps_the_collection_order_of_typed_and_rendered_parameters() {
    let client = Client::builder(()).var("who", "Ann B").build().unwrap();
    let typed = postman_codegen_runtime::runtime::query_pairs(
        &serde_json::json!({ "c": 3, "a": "x+y", "tags": ["p", "q"], "none": null }),
    );
    let url = client.with_query(
        "https://x/p",
        &typed,
        &[("user", "{{who}}")],
        &["a", "user", "tags", "c"],
    );
    // `serde_json::json!` sorts keys without `preserve_order`; the order list decides anyway.
    assert_eq!(url, "https://x/p?a=x+y&user=Ann%20B&tags=p&tags=q&c=3");
    assert_eq!(
        client.with_query("https://x/p?k=1", &[], &[("z", "1")], &[]),
        "https://x/p?k=1&z=1"
    );
    assert_eq!(
        client.with_query("https://x/p", &[], &[], &["a"]),
        "https://x/p"
    );
}
