//! TOML the generator writes itself (`Cargo.toml`, `names.lock`): strings and keys quoted by one
//! small escaper, so a name from the collection can neither break the file nor hide text in it.

use std::fmt::Write as _;

/// `text` as a TOML basic string (`"…"`). Quotes and backslashes are escaped; control
/// characters, bidirectional-text controls and other invisible format characters are written as
/// `\uXXXX` escapes, so the file shows a reviewer what it holds.
pub(crate) fn basic_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if crate::docs::is_invisible(c) => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `key` as a TOML key: bare when TOML allows it (ASCII letters, digits, `-`, `_`), else quoted.
pub(crate) fn key(key: &str) -> String {
    let bare = !key.is_empty() && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if bare {
        key.to_owned()
    } else {
        basic_string(key)
    }
}

/// A `toml` parse error on one line, like every other error: `TOML parse error at line 3,
/// column 1: unknown field …` (the crate's own message adds a source excerpt with carets on
/// further lines).
pub(crate) fn error_line(error: &toml::de::Error, text: &str) -> String {
    let message = error.message().split_whitespace().collect::<Vec<_>>().join(" ");
    let Some(span) = error.span() else { return format!("TOML parse error: {message}") };
    let before = text.get(..span.start).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    format!("TOML parse error at line {line}, column {column}: {message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_round_trip_through_toml_and_show_invisible_characters() {
        let hostile = ["", "plain", "a\"b'c\\d", "\n\r\t\0\u{7f}", "rlo \u{202e} x", "'''", &"'".repeat(300), &"\"".repeat(300), "é 中 🚀"];
        for text in hostile {
            let quoted = basic_string(text);
            let parsed: toml::Table = toml::from_str(&format!("{} = {quoted}", key(text))).unwrap();
            assert_eq!(parsed[text].as_str(), Some(text), "{quoted}");
            assert!(!quoted.contains(['\u{202e}', '\n', '\0']), "{quoted}");
        }
        assert_eq!(basic_string("rlo \u{202e}"), "\"rlo \\u202E\"");
        assert_eq!(key("a-b_C9"), "a-b_C9");
        assert_eq!(key("a b"), "\"a b\"");
    }

    #[test]
    fn parse_errors_are_one_line_with_line_and_column() {
        let text = "a = 1\nb = é\n";
        let error = toml::from_str::<toml::Table>(text).unwrap_err();
        let line = error_line(&error, text);
        assert!(line.starts_with("TOML parse error at line 2, column 5: "), "{line}");
        assert!(!line.contains('\n'), "{line}");
    }
}
