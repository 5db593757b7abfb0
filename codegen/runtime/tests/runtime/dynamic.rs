//! Postman's dynamic variables: every name renders, the core five exactly as Postman formats
//! them, each occurrence fresh, and a user variable of the same name wins.

use postman_codegen_runtime::runtime::dynamic::{self, iso_timestamp, NAMES};
use postman_codegen_runtime::runtime::vars::render_strict;
use postman_codegen_runtime::runtime::{render, FixedEntropy, Vars};

fn fixed(now_millis: i64) -> Vars {
    let mut vars = Vars::new();
    vars.set_entropy(FixedEntropy::new(now_millis, 42));
    vars
}

fn is_uuid_v4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && s.chars()
            .all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c))
        && parts[2].starts_with('4')
        && parts[3].starts_with(['8', '9', 'a', 'b'])
}

/// The names Postman defines, read from postman-collection when `npm ci` has installed it
/// (CI always does, before `cargo test`).
fn postman_names() -> Option<Vec<String>> {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/newman/node_modules/postman-collection/lib/superstring/dynamic-variables.js"
    );
    let text = std::fs::read_to_string(file).ok()?;
    // Entries look like `        $guid: {` at the top level of `dynamicGenerators`.
    Some(
        text.lines()
            .filter_map(|line| line.trim().strip_suffix(": {"))
            .filter(|name| name.starts_with('$'))
            .map(str::to_owned)
            .collect(),
    )
}

#[test]
fn all_118_names_produce_a_value() {
    assert_eq!(NAMES.len(), 118);
    if let Some(names) = postman_names() {
        assert_eq!(names, NAMES, "the list differs from postman-collection's");
    }
    let vars = fixed(1_700_000_000_123);
    for name in NAMES {
        let rendered = render_strict(&format!("{{{{{name}}}}}"), &vars)
            .unwrap_or_else(|m| panic!("{name}: {m:?}"));
        assert!(
            !rendered.is_empty() && !rendered.contains("{{"),
            "{name} -> {rendered:?}"
        );
    }
    assert_eq!(
        render("{{$notAVariable}}", &vars),
        "{{$notAVariable}}",
        "unknown names stay as they are"
    );
}

#[test]
fn the_core_five_are_formatted_as_postman_does() {
    let vars = fixed(1_700_000_000_623);
    assert_eq!(
        render("{{$timestamp}}", &vars),
        "1700000001",
        "Math.round of seconds"
    );
    assert_eq!(
        render("{{$timestamp}}", &fixed(1_700_000_000_499)),
        "1700000000"
    );
    assert_eq!(
        render("{{$isoTimestamp}}", &fixed(1_700_000_000_123)),
        "2023-11-14T22:13:20.123Z"
    );
    assert_eq!(iso_timestamp(951_782_400_000), "2000-02-29T00:00:00.000Z");
    assert_eq!(iso_timestamp(0), "1970-01-01T00:00:00.000Z");
    for _ in 0..200 {
        let guid = render("{{$guid}}", &vars);
        assert!(is_uuid_v4(&guid), "{guid}");
        assert!(is_uuid_v4(&render("{{$randomUUID}}", &vars)));
        let n: u32 = render("{{$randomInt}}", &vars).parse().unwrap();
        assert!(n <= 1000);
    }
    let date = render("{{$randomDateRecent}}", &fixed(1_700_000_000_123));
    assert!(
        date.ends_with(" GMT+0000 (Coordinated Universal Time)")
            && date.starts_with("Tue Nov 14 2023 "),
        "{date}"
    );
}

#[test]
fn each_occurrence_is_fresh_and_user_variables_win() {
    let mut vars = fixed(0);
    let twice = render("{{$guid}}/{{$guid}}", &vars);
    let (a, b) = twice.split_once('/').unwrap();
    assert_ne!(a, b);
    assert_ne!(render("{{$guid}}", &vars), a, "a new value per render too");
    vars.set("$guid", "mine", false);
    assert_eq!(render("{{$guid}}-{{$guid}}", &vars), "mine-mine");
}

#[test]
fn a_fixed_source_repeats_its_values() {
    let one = render("{{$guid}} {{$randomEmail}} {{$randomInt}}", &fixed(5));
    assert_eq!(
        one,
        render("{{$guid}} {{$randomEmail}} {{$randomInt}}", &fixed(5))
    );
    assert!(dynamic::value("$randomEmail", &FixedEntropy::new(0, 1))
        .unwrap()
        .contains('@'));
}
