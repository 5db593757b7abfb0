//! The one place where Rust identifiers are made from Postman names.
//!
//! Every type, field, variant, module and function name in a generated crate comes from
//! [`ident`], and every set of names that must be unique comes from [`assign_unique`]. Nothing
//! else in the pipeline cases, escapes or suffixes names.
//!
//! # Rules of [`ident`]
//!
//! 1. **Characters.** ASCII letters and digits are kept. Every other ASCII character (spaces,
//!    punctuation, `*/`, `"#`, backticks, newlines …) separates words. A non-ASCII letter that has
//!    case (`é`, `ß`, `Ω`) is dropped *in place*, so `naïve` becomes `nave`; every other non-ASCII
//!    character (CJK, emoji, U+202E, non-breaking space …) separates words. Nothing is
//!    transliterated. The output is always plain ASCII and never a raw identifier (`r#…`).
//! 2. **Casing** is done by [`heck`], which also splits words on case boundaries
//!    (`getHTTPResponse` → `get_http_response`). **Acronyms are words**: heck already keeps a
//!    run of capitals together (`HTML`, `URL`, `ID`), and before casing, a mixed-case name from
//!    [`MIXED_CASE_WORDS`] (`OAuth`, `GraphQL`, `iOS` …) or an acronym's plural (`IDs`, `URLs`)
//!    is rewritten with one leading capital, so `OAuth` gives `oauth`/`Oauth`, not `o_auth`, and
//!    `userIDs` gives `user_ids`, not `user_i_ds`.
//! 3. **Fallbacks.** A name that is empty or only whitespace gives `unnamed` (in the requested
//!    case). A name with no ASCII letter or digit at all (`中文`, `🚀`, `+`, `*/`) is spelled from
//!    the hex codepoints of its first [`MAX_FALLBACK_CHARS`] non-whitespace characters:
//!    `中文` → `u4e2d_6587` / `U4e2d6587` / `U4E2D_6587`. This is deterministic, and
//!    [`assign_unique`] settles the rare clash.
//! 4. **Leading digit.** Identifiers cannot start with a digit, so one is prefixed with `n`
//!    (snake), `N` (UpperCamel, SCREAMING_SNAKE): `12h` → `n12h` / `N12h` / `N12H`.
//! 5. **One-letter words** merge in UpperCamel: the casing is applied twice, so `a b c` gives
//!    `Abc`, not `ABC` (which clippy's `upper_case_acronyms` rejects, and which heck would
//!    recase to `Abc` anyway, breaking idempotence). `a b c` in snake case stays `a_b_c`.
//! 6. **Reserved names get a trailing `_`.** In snake case: every strict, reserved and
//!    edition-2018/2024 keyword (see [`KEYWORDS`], including `self`, `crate`, `super`, `gen`,
//!    `async`, `try`, and the contextual `union` and `macro_rules`): `type` → `type_`. In
//!    UpperCamel: `Self` and every name of the std prelude that a type could shadow
//!    (see [`PRELUDE_NAMES`]): `Self` → `Self_`, `Option` → `Option_`, `Ok` → `Ok_`. Enum
//!    variants ([`Case::Variant`]) shadow nothing, so only `Self` is escaped there:
//!    `Environment::Default` stays `Default`. A trailing
//!    underscore is accepted by rustc's `non_snake_case` / `non_camel_case_types` lints (they
//!    ignore leading and trailing underscores), and because heck never ends a word with `_`, an
//!    escaped name can never equal the plain spelling of another raw name. SCREAMING_SNAKE names
//!    can never be keywords and are not escaped.
//! 7. **Length.** A name longer than [`MAX_IDENT_LEN`] bytes (it becomes a file name, and file
//!    names stop at 255 bytes) is cut and ends in an 8-digit hex hash of its full spelling:
//!    `id_id_…_i_b5132f98`. Distinct long names stay distinct, and the same name always gives
//!    the same identifier.
//!
//! The outputs pass rustc's `non_snake_case`, `non_camel_case_types` and
//! `non_upper_case_globals` lints for their case and never contain `__`. `ident` is idempotent:
//! `ident(&ident(x, c), c) == ident(x, c)`.
//!
//! # Rules of [`assign_unique`]
//!
//! See its documentation: base names are made with [`ident`], clashes are ordered by stable key,
//! the first keeps the base name and the others get numeric suffixes (`_2`, `_3` in snake and
//! SCREAMING_SNAKE; `2`, `3` in UpperCamel, or `_2` when the name already ends in a digit).

use std::collections::{BTreeMap, HashSet};

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// The case an identifier is made in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// `snake_case`: fields, functions, modules, parameters.
    Snake,
    /// `UpperCamelCase`: types and traits.
    UpperCamel,
    /// `UpperCamelCase` for enum variants: they live in their enum's namespace and shadow
    /// nothing, so only `Self` is escaped (`Environment::Default`, not `Default_`).
    Variant,
    /// `SCREAMING_SNAKE_CASE`: constants and statics.
    ScreamingSnake,
}

/// How many characters of a name without any ASCII letter or digit are spelled in hex.
pub const MAX_FALLBACK_CHARS: usize = 8;

/// The longest identifier [`ident`] returns, in bytes (all ASCII).
pub const MAX_IDENT_LEN: usize = 64;

/// Keywords that are escaped with a trailing `_` in snake case: strict keywords of every
/// edition, reserved keywords, and the contextual `union` and `macro_rules`.
pub const KEYWORDS: &[&str] = &[
    // strict, 2015
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while",
    // strict, 2018
    "async", "await", "dyn",
    // reserved
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized",
    "virtual", "yield", "try",
    // reserved, 2024
    "gen",
    // contextual, escaped anyway
    "union", "macro_rules",
];

/// UpperCamel names escaped with a trailing `_`: `Self` and the names of the std prelude
/// (2021 and 2024 editions) that generated types or variants could shadow.
pub const PRELUDE_NAMES: &[&str] = &[
    "Self", "AsMut", "AsRef", "Box", "Clone", "Copy", "Default", "DoubleEndedIterator", "Drop",
    "Eq", "Err", "ExactSizeIterator", "Extend", "Fn", "FnMut", "FnOnce", "From", "FromIterator",
    "Future", "Into", "IntoFuture", "IntoIterator", "Iterator", "None", "Ok", "Option", "Ord",
    "PartialEq", "PartialOrd", "Result", "Send", "Sized", "Some", "String", "Sync", "ToOwned",
    "ToString", "TryFrom", "TryInto", "Unpin", "Vec",
];

/// Turns any raw Postman name into a valid, non-raw, ASCII Rust identifier in `case`.
///
/// See the [module documentation](self) for the rules. Never panics and never returns an empty
/// string.
#[must_use]
pub fn ident(raw: &str, case: Case) -> String {
    // The same raw names (JSON keys, folder names) come up again and again, and casing with heck
    // twice is the costly part: remember the answers (per thread, bounded).
    thread_local! {
        static CACHE: std::cell::RefCell<[std::collections::HashMap<String, String>; 4]> = Default::default();
    }
    const MAX_CACHED: usize = 1 << 16;
    let slot = match case {
        Case::Snake => 0,
        Case::UpperCamel => 1,
        Case::ScreamingSnake => 2,
        Case::Variant => 3,
    };
    if let Some(hit) = CACHE.with(|c| c.borrow()[slot].get(raw).cloned()) {
        return hit;
    }
    let name = make_ident(raw, case);
    CACHE.with(|c| {
        let map = &mut c.borrow_mut()[slot];
        if map.len() >= MAX_CACHED {
            map.clear();
        }
        map.insert(raw.to_owned(), name.clone());
    });
    name
}

fn make_ident(raw: &str, case: Case) -> String {
    let ascii = ascii_words(raw);
    let words = if ascii.bytes().any(|b| b.is_ascii_alphanumeric()) {
        ascii.trim_start().to_owned()
    } else if raw.trim().is_empty() {
        "unnamed".to_owned()
    } else {
        hex_spelling(raw)
    };
    let mut words = acronyms_as_words(&words);
    if words.starts_with(|c: char| c.is_ascii_digit()) {
        // Joined to the first word, so heck keeps `n404` together: `n404_not_found`.
        words.insert(0, 'n');
    }
    let mut name = apply_case(&words, case);
    if name.len() > MAX_IDENT_LEN {
        return shortened(&name, case);
    }
    if is_escaped_word(&name, case) {
        name.push('_');
    }
    name
}

/// Rule 7: the first characters of a cased `name` that is too long, then a hash of all of it.
/// The result is cased again (so `ident` stays idempotent) and is never a keyword.
fn shortened(name: &str, case: Case) -> String {
    const HASH_LEN: usize = 8;
    // FNV-1a: tiny, and stable across Rust versions (std's hashers promise neither).
    let hash = name.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    let stem = name[..MAX_IDENT_LEN - HASH_LEN - 1].trim_end_matches('_');
    let shortened = apply_case(&format!("{stem} {hash:08x}"), case);
    debug_assert!(shortened.len() <= MAX_IDENT_LEN, "{shortened}");
    shortened
}

/// Deterministic collision resolution.
///
/// `items` are `(stable_key, base_name)` pairs; returns one unique name per item, in the same
/// order. Each base name is first passed through [`ident`] (which leaves names it made itself
/// unchanged), so raw Postman names may be given directly.
///
/// Items whose base names collide are ordered by `stable_key` (then by index as a last resort),
/// so adding, removing or reordering unrelated items never changes a name. The first keeps the
/// base name, the others get `_2`, `_3` … (snake and SCREAMING_SNAKE) or `2`, `3` … (UpperCamel;
/// `_2`, `_3` … when the name ends in a digit, so `V1` is followed by `V1_2`, not `V12`). A
/// trailing keyword escape is replaced by the suffix (`type_` → `type_2`, `Self_` → `Self2`).
///
/// A candidate is skipped when it is in `reserved` (compared exactly), when it is another item's
/// base name, or when it was already given out. A base name that is itself reserved is therefore
/// never used: its first item gets the `2` suffix.
#[must_use]
pub fn assign_unique(items: &[(String, String)], case: Case, reserved: &[&str]) -> Vec<String> {
    let bases: Vec<String> = items.iter().map(|(_, base)| ident(base, case)).collect();
    let base_set: HashSet<&str> = bases.iter().map(String::as_str).collect();
    let reserved: HashSet<&str> = reserved.iter().copied().collect();

    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, base) in bases.iter().enumerate() {
        groups.entry(base.as_str()).or_default().push(index);
    }

    let mut taken: HashSet<String> = HashSet::with_capacity(items.len());
    let mut out = vec![String::new(); items.len()];
    for (base, mut members) in groups {
        members.sort_by(|&a, &b| items[a].0.cmp(&items[b].0).then(a.cmp(&b)));
        let mut n: usize = 1;
        for index in members {
            loop {
                let candidate = if n == 1 {
                    base.to_owned()
                } else {
                    with_suffix(base, n, case)
                };
                n += 1;
                let clash = reserved.contains(candidate.as_str())
                    || (n > 2 && base_set.contains(candidate.as_str()))
                    || taken.contains(&candidate);
                if !clash {
                    taken.insert(candidate.clone());
                    out[index] = candidate;
                    break;
                }
            }
        }
    }
    out
}

/// `name` with the numeric suffix `n` (≥ 2), following the case's suffix rule.
fn with_suffix(name: &str, n: usize, case: Case) -> String {
    let stem = name.strip_suffix('_').unwrap_or(name);
    match case {
        Case::Snake | Case::ScreamingSnake => format!("{stem}_{n}"),
        Case::UpperCamel | Case::Variant if stem.ends_with(|c: char| c.is_ascii_digit()) => format!("{stem}_{n}"),
        Case::UpperCamel | Case::Variant => format!("{stem}{n}"),
    }
}

/// Whether `name` (already cased) must get the trailing `_` escape.
fn is_escaped_word(name: &str, case: Case) -> bool {
    match case {
        Case::Snake => KEYWORDS.contains(&name),
        Case::UpperCamel => PRELUDE_NAMES.contains(&name),
        Case::Variant => name == "Self",
        Case::ScreamingSnake => false,
    }
}

/// Keeps ASCII alphanumerics, drops cased non-ASCII letters, turns everything else into spaces.
fn ascii_words(raw: &str) -> String {
    let mut words = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            words.push(c);
        } else if c.is_ascii() || !(c.is_lowercase() || c.is_uppercase()) {
            words.push(' ');
        }
    }
    words
}

/// Brand and protocol names spelled in mixed case that are one word to a reader, though their
/// capitals would make heck split them (`OAuth` would become `o_auth`, `GraphQL` `graph_ql`).
/// Matched case-sensitively, as whole words (see [`acronyms_as_words`]).
pub const MIXED_CASE_WORDS: &[&str] = &[
    "OAuth", "GraphQL", "OpenAPI", "OpenID", "PostgreSQL", "MySQL", "NoSQL", "JavaScript",
    "TypeScript", "GitHub", "GitLab", "YouTube", "LinkedIn", "PayPal", "WhatsApp", "DevOps",
    "WiFi", "SaaS", "PaaS", "IaaS", "iOS", "iPadOS", "macOS", "tvOS", "watchOS", "iPhone", "iPad",
    "eBay",
];

/// Rule 2a: acronyms are words. heck splits on case changes, which cuts a mixed-case name
/// (`OAuth`) or an acronym's plural (`IDs`, `URLs`, `APIs`) into pieces: `o_auth`, `i_ds`. Such a
/// word is rewritten with one leading capital (`Oauth`, `Ids`) so heck keeps it whole:
/// `OAuth2 token` → `oauth2_token`, `userIDs` → `user_ids`. All-caps acronyms (`HTML`, `URL`,
/// `ID`) need nothing: heck already treats a run of capitals as one word.
fn acronyms_as_words(words: &str) -> String {
    let bytes = words.as_bytes();
    let mut out = String::with_capacity(words.len());
    let mut i = 0;
    while i < bytes.len() {
        let before = i.checked_sub(1).map(|j| bytes[j]);
        if let Some(len) = word_at(bytes, i, before) {
            let word = &words[i..i + len];
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.push(first.to_ascii_uppercase());
                out.push_str(&chars.as_str().to_ascii_lowercase());
            }
            i += len;
        } else {
            out.push(char::from(bytes[i]));
            i += 1;
        }
    }
    out
}

/// The length of the acronym-like word starting at `i`, if one does: a [`MIXED_CASE_WORDS`]
/// entry, or two or more capitals followed by a plural `s`. It must start a word (at the start,
/// after a separator or a digit, or, when it starts with a capital, after a lower-case letter)
/// and end one (before the end, a separator, a digit or a capital).
fn word_at(bytes: &[u8], i: usize, before: Option<u8>) -> Option<usize> {
    let ends_word = |end: usize| bytes.get(end).is_none_or(|b| !b.is_ascii_lowercase());
    let starts_upper = bytes[i].is_ascii_uppercase();
    let starts_word = match before {
        None => true,
        Some(b) if !b.is_ascii_alphanumeric() || b.is_ascii_digit() => true,
        // `getOAuth`: a capital after a lower-case letter starts a word; `xiOS` does not.
        Some(b) => starts_upper && b.is_ascii_lowercase(),
    };
    if !starts_word || !bytes[i].is_ascii_alphabetic() {
        return None;
    }
    if let Some(word) = MIXED_CASE_WORDS.iter().find(|w| bytes[i..].starts_with(w.as_bytes()) && ends_word(i + w.len())) {
        return Some(word.len());
    }
    let capitals = bytes[i..].iter().take_while(|b| b.is_ascii_uppercase()).count();
    (capitals >= 2 && bytes.get(i + capitals) == Some(&b's') && ends_word(i + capitals + 1)).then_some(capitals + 1)
}

/// `u4e2d 6587`: hex codepoints of the first non-whitespace characters, as words.
fn hex_spelling(raw: &str) -> String {
    let mut spelled = String::from("u");
    for (i, c) in raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(MAX_FALLBACK_CHARS)
        .enumerate()
    {
        if i > 0 {
            spelled.push(' ');
        }
        spelled.push_str(&format!("{:x}", u32::from(c)));
    }
    spelled
}

/// heck's casing, applied twice: the second pass merges the capitals of one-letter words
/// (`a b c` → `ABC` → `Abc`), which makes [`ident`] idempotent and keeps clippy's
/// `upper_case_acronyms` quiet.
fn apply_case(words: &str, case: Case) -> String {
    let once = |w: &str| match case {
        Case::Snake => w.to_snake_case(),
        Case::UpperCamel | Case::Variant => w.to_upper_camel_case(),
        Case::ScreamingSnake => w.to_shouty_snake_case(),
    };
    once(&once(words))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASES: [Case; 4] = [Case::Snake, Case::UpperCamel, Case::ScreamingSnake, Case::Variant];

    /// rustc's `non_snake_case` check (`is_snake_case` in rustc_lint/src/nonstandard_style.rs).
    fn rustc_is_snake_case(ident: &str) -> bool {
        let ident = ident.trim_matches('_');
        let mut allow_underscore = true;
        ident.chars().all(|c| {
            allow_underscore = match c {
                '_' if !allow_underscore => return false,
                '_' => false,
                c if !c.is_uppercase() => true,
                _ => return false,
            };
            true
        })
    }

    /// rustc's `non_camel_case_types` check (`is_camel_case`).
    fn rustc_is_camel_case(name: &str) -> bool {
        let name = name.trim_matches('_');
        if name.is_empty() {
            return true;
        }
        let has_case = |c: char| c.is_lowercase() || c.is_uppercase();
        let chars: Vec<char> = name.chars().collect();
        !chars[0].is_lowercase()
            && !name.contains("__")
            && !chars.windows(2).any(|w| {
                (has_case(w[0]) && w[1] == '_') || (has_case(w[1]) && w[0] == '_')
            })
    }

    /// rustc's `non_upper_case_globals` check.
    fn rustc_is_upper_case(name: &str) -> bool {
        !name.chars().any(|c| c.is_lowercase())
    }

    /// Checks everything an output of `ident` or `assign_unique` must satisfy; returns the
    /// reason on failure.
    fn validate(name: &str, case: Case) -> Result<(), String> {
        let fail = |why: &str| Err(format!("{name:?} ({case:?}): {why}"));
        if name.is_empty() {
            return fail("empty");
        }
        if !name.is_ascii() {
            return fail("not ASCII");
        }
        if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return fail("bad character");
        }
        let first = name.as_bytes()[0];
        if name.contains("__") {
            return fail("double underscore");
        }
        if KEYWORDS.contains(&name) {
            return fail("keyword");
        }
        if let Some(stem) = name.strip_suffix('_') {
            if !is_escaped_word(stem, case) {
                return fail("trailing underscore without a reserved stem");
            }
        }
        match case {
            Case::Snake => {
                if !first.is_ascii_lowercase() {
                    return fail("does not start with a lowercase letter");
                }
                if name.bytes().any(|b| b.is_ascii_uppercase()) {
                    return fail("uppercase letter");
                }
                if !rustc_is_snake_case(name) {
                    return fail("rustc non_snake_case");
                }
            }
            Case::UpperCamel | Case::Variant => {
                if !first.is_ascii_uppercase() {
                    return fail("does not start with an uppercase letter");
                }
                if case == Case::UpperCamel && PRELUDE_NAMES.contains(&name) {
                    return fail("shadows the prelude");
                }
                if name == "Self" {
                    return fail("keyword");
                }
                if name.len() > 2 && name.bytes().all(|b| b.is_ascii_uppercase()) {
                    return fail("clippy upper_case_acronyms");
                }
                if !rustc_is_camel_case(name) {
                    return fail("rustc non_camel_case_types");
                }
            }
            Case::ScreamingSnake => {
                if !first.is_ascii_uppercase() {
                    return fail("does not start with an uppercase letter");
                }
                if name.bytes().any(|b| b.is_ascii_lowercase()) {
                    return fail("lowercase letter");
                }
                if name.ends_with('_') {
                    return fail("trailing underscore");
                }
                if !rustc_is_upper_case(name) {
                    return fail("rustc non_upper_case_globals");
                }
            }
        }
        if let Err(e) = syn::parse_str::<syn::Ident>(name) {
            return fail(&format!("syn rejects it: {e}"));
        }
        Ok(())
    }

    fn hostile_inputs() -> Vec<String> {
        let mut inputs: Vec<String> = [
            "",
            " ",
            "\t\n",
            "_",
            "__",
            "___x___",
            "-",
            "+",
            "*/",
            "/*",
            "\"#",
            "#[",
            "#[doc = \"\"]",
            "`",
            "```rust",
            "\n",
            "a\nb",
            "\u{202e}",
            "abc\u{202e}def",
            "\u{200b}",
            "\u{feff}x",
            "中文",
            "用户ID",
            "用户 列表",
            "🚀",
            "🚀 launch",
            "❤️",
            "naïve café",
            "Größe",
            "Ωμέγα",
            "12h",
            "404 Not Found",
            "2fa",
            "0",
            "1_000",
            "self",
            "Self",
            "SELF",
            "crate",
            "super",
            "r#type",
            "r#",
            "type",
            "Type",
            "TYPE",
            "gen",
            "async",
            "await",
            "dyn",
            "try",
            "union",
            "macro_rules",
            "Option",
            "option",
            "Result",
            "Some",
            "None",
            "Ok",
            "Err",
            "Vec",
            "String",
            "Box",
            "Default",
            "a b c",
            "ABC",
            "HTTP",
            "XMLHttpRequest",
            "getHTTPResponse",
            "Get User",
            "get-user",
            "GET /users/{id}",
            "{{baseUrl}}/v1/users/:userId",
            "v2",
            "V1",
            "v1.2.3",
            "$ref",
            "@type",
            "x-api-key",
            "Content-Type",
            "user.name",
            "a__b",
            "a_",
            "_a",
            "}{",
            "()",
            "<script>",
            "'single'",
            "\\",
            "\0",
            "\u{7f}",
            "A",
            "a",
            "aB",
            "ab12CD34",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for kw in KEYWORDS.iter().chain(PRELUDE_NAMES) {
            inputs.push(kw.to_string());
            inputs.push(kw.to_uppercase());
            inputs.push(format!("_{kw}_"));
            inputs.push(format!("{kw}_"));
        }
        inputs.push("x".repeat(300));
        inputs.push("id ".repeat(200));
        inputs.push("aB".repeat(100));
        inputs.push("type ".repeat(100));
        inputs.push(format!("{}1", "a".repeat(MAX_IDENT_LEN)));
        inputs.push("中".repeat(50));
        inputs
    }

    #[test]
    fn every_hostile_input_gives_a_valid_identifier() {
        for raw in hostile_inputs() {
            for case in CASES {
                let name = ident(&raw, case);
                if let Err(why) = validate(&name, case) {
                    panic!("input {raw:?}: {why}");
                }
            }
        }
    }

    #[test]
    fn ident_is_idempotent() {
        for raw in hostile_inputs() {
            for case in CASES {
                let once = ident(&raw, case);
                assert_eq!(ident(&once, case), once, "input {raw:?} in {case:?}");
            }
        }
    }

    #[test]
    fn every_keyword_is_escaped() {
        for kw in KEYWORDS {
            let snake = ident(kw, Case::Snake);
            assert_eq!(snake, format!("{}_", kw.to_snake_case()), "{kw}");
            validate(&snake, Case::Snake).unwrap();
            validate(&ident(kw, Case::UpperCamel), Case::UpperCamel).unwrap();
            validate(&ident(kw, Case::ScreamingSnake), Case::ScreamingSnake).unwrap();
        }
        // Every keyword syn knows (strict + reserved) is on our list.
        for kw in KEYWORDS {
            assert!(syn::parse_str::<syn::Ident>(&format!("{kw}_")).is_ok());
        }
    }

    #[test]
    fn keyword_list_covers_what_syn_rejects() {
        // Any lowercase word syn refuses as an identifier must be on KEYWORDS.
        let candidates = [
            "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do",
            "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "if", "impl", "in",
            "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub",
            "ref", "return", "self", "static", "struct", "super", "trait", "true", "try", "type",
            "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield", "abstract",
            "gen", "union", "default", "auto", "raw", "safe",
        ];
        for word in candidates {
            if syn::parse_str::<syn::Ident>(word).is_err() {
                assert!(KEYWORDS.contains(&word), "{word} is rejected by syn but not escaped");
            }
        }
    }

    #[test]
    fn examples() {
        let cases = [
            ("Get User", "get_user", "GetUser", "GET_USER"),
            ("get-user", "get_user", "GetUser", "GET_USER"),
            ("getHTTPResponse", "get_http_response", "GetHttpResponse", "GET_HTTP_RESPONSE"),
            ("12h", "n12h", "N12h", "N12H"),
            ("404 Not Found", "n404_not_found", "N404NotFound", "N404_NOT_FOUND"),
            ("", "unnamed", "Unnamed", "UNNAMED"),
            ("  \t", "unnamed", "Unnamed", "UNNAMED"),
            ("中文", "u4e2d_6587", "U4e2d6587", "U4E2D_6587"),
            ("🚀", "u1f680", "U1f680", "U1F680"),
            ("_", "u5f", "U5f", "U5F"),
            ("*/", "u2a_2f", "U2a2f", "U2A_2F"),
            ("用户ID", "id", "Id", "ID"),
            ("naïve café", "nave_caf", "NaveCaf", "NAVE_CAF"),
            ("type", "type_", "Type", "TYPE"),
            ("self", "self_", "Self_", "SELF"),
            ("Self", "self_", "Self_", "SELF"),
            ("crate", "crate_", "Crate", "CRATE"),
            ("super", "super_", "Super", "SUPER"),
            ("gen", "gen_", "Gen", "GEN"),
            ("Option", "option", "Option_", "OPTION"),
            ("ok", "ok", "Ok_", "OK"),
            ("a b c", "a_b_c", "Abc", "A_B_C"),
            ("HTTP", "http", "Http", "HTTP"),
            ("OAuth", "oauth", "Oauth", "OAUTH"),
            ("OAuth 2.0 token", "oauth_2_0_token", "Oauth20Token", "OAUTH_2_0_TOKEN"),
            ("getOAuth2Token", "get_oauth2_token", "GetOauth2Token", "GET_OAUTH2_TOKEN"),
            ("GraphQL API", "graphql_api", "GraphqlApi", "GRAPHQL_API"),
            ("userIDs", "user_ids", "UserIds", "USER_IDS"),
            ("List APIs", "list_apis", "ListApis", "LIST_APIS"),
            ("URLs", "urls", "Urls", "URLS"),
            ("UUIDsByName", "uuids_by_name", "UuidsByName", "UUIDS_BY_NAME"),
            ("HTML URL ID", "html_url_id", "HtmlUrlId", "HTML_URL_ID"),
            ("iOS app", "ios_app", "IosApp", "IOS_APP"),
            ("OAuthorize", "o_authorize", "OAuthorize", "O_AUTHORIZE"),
            ("Assign", "assign", "Assign", "ASSIGN"),
            ("HTTPSettings", "http_settings", "HttpSettings", "HTTP_SETTINGS"),
            ("r#type", "r_type", "RType", "R_TYPE"),
            ("abc\u{202e}def", "abc_def", "AbcDef", "ABC_DEF"),
            ("#[doc = \"\"]", "doc", "Doc", "DOC"),
            ("{{baseUrl}}/v1/users/:userId", "base_url_v1_users_user_id", "BaseUrlV1UsersUserId",
             "BASE_URL_V1_USERS_USER_ID"),
        ];
        for (raw, variant) in [("Default", "Default"), ("Self", "Self_"), ("Option", "Option"), ("OAuth", "Oauth")] {
            assert_eq!(ident(raw, Case::Variant), variant, "{raw:?}");
        }
        for (raw, snake, camel, screaming) in cases {
            assert_eq!(ident(raw, Case::Snake), snake, "{raw:?}");
            assert_eq!(ident(raw, Case::UpperCamel), camel, "{raw:?}");
            assert_eq!(ident(raw, Case::ScreamingSnake), screaming, "{raw:?}");
        }
    }

    #[test]
    fn long_names_are_cut_with_a_hash() {
        let long = "id ".repeat(200);
        let longer = "id ".repeat(201);
        for case in CASES {
            let name = ident(&long, case);
            assert!(name.len() <= MAX_IDENT_LEN, "{name}");
            assert_eq!(name, ident(&long, case), "deterministic");
            assert_ne!(name, ident(&longer, case), "distinct long names stay distinct");
            validate(&name, case).unwrap();
        }
        assert_eq!(ident(&long, Case::Snake), format!("{}i_b5132f98", "id_".repeat(18)));
        let exact = "a".repeat(MAX_IDENT_LEN);
        assert_eq!(ident(&exact, Case::Snake), exact, "a name of the maximum length is kept");
    }

    #[test]
    fn hex_fallback_is_capped() {
        let name = ident(&"中".repeat(50), Case::Snake);
        assert_eq!(name.split('_').count(), MAX_FALLBACK_CHARS);
    }

    fn items(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, b)| (k.to_string(), b.to_string())).collect()
    }

    fn mapping(items: &[(String, String)], case: Case, reserved: &[&str]) -> BTreeMap<String, String> {
        let names = assign_unique(items, case, reserved);
        assert_eq!(names.len(), items.len());
        let unique: HashSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "names are not unique: {names:?}");
        for (name, _) in names.iter().zip(items) {
            validate(name, case).unwrap();
            assert!(!reserved.contains(&name.as_str()), "{name} is reserved");
        }
        items.iter().map(|(k, _)| k.clone()).zip(names).collect()
    }

    #[test]
    fn clash_between_spellings_is_ordered_by_key() {
        let it = items(&[("b-key", "Get User"), ("a-key", "get-user")]);
        let names = assign_unique(&it, Case::Snake, &[]);
        assert_eq!(names, ["get_user_2", "get_user"]);
        let names = assign_unique(&it, Case::UpperCamel, &[]);
        assert_eq!(names, ["GetUser2", "GetUser"]);
        let names = assign_unique(&it, Case::ScreamingSnake, &[]);
        assert_eq!(names, ["GET_USER_2", "GET_USER"]);
    }

    #[test]
    fn suffix_skips_other_base_names() {
        let it = items(&[("1", "a"), ("2", "a"), ("3", "a_2")]);
        assert_eq!(assign_unique(&it, Case::Snake, &[]), ["a", "a_3", "a_2"]);
        let it = items(&[("1", "A"), ("2", "A"), ("3", "A2")]);
        assert_eq!(assign_unique(&it, Case::UpperCamel, &[]), ["A", "A3", "A2"]);
    }

    #[test]
    fn reserved_names_are_skipped() {
        let it = items(&[("1", "new"), ("2", "client"), ("3", "client"), ("4", "other")]);
        assert_eq!(
            assign_unique(&it, Case::Snake, &["new", "client_2"]),
            ["new_2", "client", "client_3", "other"]
        );
    }

    #[test]
    fn keyword_escape_is_replaced_by_the_suffix() {
        let it = items(&[("1", "type"), ("2", "Type"), ("3", "self"), ("4", "Self")]);
        assert_eq!(
            assign_unique(&it, Case::Snake, &[]),
            ["type_", "type_2", "self_", "self_2"]
        );
        assert_eq!(
            assign_unique(&it, Case::UpperCamel, &[]),
            ["Type", "Type2", "Self_", "Self2"]
        );
        let it = items(&[("1", "Option"), ("2", "option")]);
        assert_eq!(assign_unique(&it, Case::UpperCamel, &[]), ["Option_", "Option2"]);
    }

    #[test]
    fn names_ending_in_digits_get_underscored_suffixes() {
        let it = items(&[("1", "v1"), ("2", "V1"), ("3", "v 1")]);
        assert_eq!(assign_unique(&it, Case::Snake, &[]), ["v1", "v1_2", "v_1"]);
        assert_eq!(assign_unique(&it, Case::UpperCamel, &[]), ["V1", "V1_2", "V1_3"]);
    }

    #[test]
    fn empty_input() {
        assert!(assign_unique(&[], Case::Snake, &["x"]).is_empty());
    }

    #[test]
    fn equal_keys_fall_back_to_index() {
        let it = items(&[("k", "x"), ("k", "x"), ("k", "x")]);
        assert_eq!(assign_unique(&it, Case::Snake, &[]), ["x", "x_2", "x_3"]);
    }

    /// Every permutation of `v` (Heap's algorithm).
    fn permutations<T: Clone>(v: &[T]) -> Vec<Vec<T>> {
        fn heap<T: Clone>(k: usize, v: &mut Vec<T>, out: &mut Vec<Vec<T>>) {
            if k <= 1 {
                out.push(v.clone());
                return;
            }
            for i in 0..k {
                heap(k - 1, v, out);
                if k % 2 == 0 {
                    v.swap(i, k - 1);
                } else {
                    v.swap(0, k - 1);
                }
            }
        }
        let mut out = Vec::new();
        heap(v.len(), &mut v.to_vec(), &mut out);
        out
    }

    #[test]
    fn order_independence() {
        let base = items(&[
            ("req-3", "Get User"),
            ("req-1", "get-user"),
            ("req-2", "get_user_2"),
            ("req-7", "GET USER"),
            ("req-5", "type"),
            ("req-4", "Type"),
            ("req-6", "中文"),
        ]);
        for case in CASES {
            let expected = mapping(&base, case, &["get_user_3", "GetUser3"]);
            for perm in permutations(&base) {
                assert_eq!(mapping(&perm, case, &["get_user_3", "GetUser3"]), expected, "{case:?}");
            }
        }
        let expected = mapping(&base, Case::Snake, &[]);
        assert_eq!(expected["req-1"], "get_user");
        assert_eq!(expected["req-2"], "get_user_2");
        assert_eq!(expected["req-3"], "get_user_3");
        assert_eq!(expected["req-7"], "get_user_4");
    }

    #[test]
    fn unrelated_items_do_not_change_names() {
        let base = items(&[("a", "list users"), ("b", "List Users"), ("c", "delete user")]);
        let before = mapping(&base, Case::Snake, &[]);
        let mut more = base.clone();
        more.insert(0, ("z".into(), "create user".into()));
        more.push(("0".into(), "delete user".into()));
        let after = mapping(&more, Case::Snake, &[]);
        assert_eq!(before["a"], after["a"]);
        assert_eq!(before["b"], after["b"]);
        assert_eq!(after["0"], "delete_user");
        assert_eq!(after["c"], "delete_user_2");
    }

    #[test]
    fn hostile_names_stay_unique_and_valid() {
        let it: Vec<(String, String)> = hostile_inputs()
            .into_iter()
            .enumerate()
            .map(|(i, raw)| (format!("{i:04}"), raw))
            .collect();
        for case in CASES {
            mapping(&it, case, &["new", "New", "NEW", "client"]);
        }
    }

    #[test]
    fn short_combinations_never_panic_and_stay_valid() {
        let alphabet: Vec<char> = "<>[]`*/\n #{}\u{202e}é中_1aZ".chars().collect();
        let mut all = Vec::new();
        for &a in &alphabet {
            all.push(a.to_string());
            for &b in &alphabet {
                all.push(format!("{a}{b}"));
                for &c in &alphabet {
                    all.push(format!("{a}{b}{c}"));
                }
            }
        }
        for raw in &all {
            for case in CASES {
                let name = ident(raw, case);
                if let Err(why) = validate(&name, case) {
                    panic!("input {raw:?}: {why}");
                }
            }
        }
        let it: Vec<(String, String)> =
            all.iter().map(|raw| (raw.clone(), raw.clone())).collect();
        for case in CASES {
            mapping(&it, case, &[]);
        }
    }

    /// Compiles every output with rustc under `-D warnings` in editions 2021 and 2024.
    /// Run with `cargo test -p postman-codegen --lib names -- --ignored`.
    #[test]
    #[ignore = "spawns rustc; slow"]
    fn outputs_compile_without_warnings() {
        use std::fmt::Write as _;
        let inputs = hostile_inputs();
        let keyed: Vec<(String, String)> = inputs
            .iter()
            .enumerate()
            .map(|(i, raw)| (format!("{i:04}"), raw.clone()))
            .collect();
        let mut src = String::from("#![deny(warnings)]\n");
        for (m, names) in [
            ("snake", assign_unique(&keyed, Case::Snake, &[])),
            ("camel", assign_unique(&keyed, Case::UpperCamel, &[])),
            ("screaming", assign_unique(&keyed, Case::ScreamingSnake, &[])),
        ] {
            writeln!(src, "pub mod {m} {{").unwrap();
            for name in names {
                match m {
                    "snake" => writeln!(src, "pub fn {name}() {{ let {name} = 1; let _ = {name}; }}"),
                    "camel" => writeln!(src, "pub struct {name};"),
                    _ => writeln!(src, "pub const {name}: u8 = 0;"),
                }
                .unwrap();
            }
            writeln!(src, "}}").unwrap();
        }
        writeln!(src, "pub enum Variants {{").unwrap();
        for name in assign_unique(&keyed, Case::Variant, &[]) {
            writeln!(src, "    {name},").unwrap();
        }
        writeln!(src, "}}").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("names.rs");
        std::fs::write(&file, src).unwrap();
        for edition in ["2021", "2024"] {
            let output = std::process::Command::new("rustc")
                .args(["--edition", edition, "--crate-type", "lib", "--emit", "metadata"])
                .arg("--out-dir")
                .arg(dir.path())
                .arg(&file)
                .output()
                .unwrap();
            assert!(
                output.status.success(),
                "edition {edition}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}
