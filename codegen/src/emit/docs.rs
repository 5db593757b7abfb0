//! Doc comments as `#[doc = "..."]` attributes: the text is a string literal, so nothing in a
//! Postman description can change the structure of the generated code.

use proc_macro2::TokenStream;
use quote::quote;

/// One `#[doc]` attribute per line of `markdown` (none for empty text: clippy rejects empty docs).
pub fn doc_attrs(markdown: &str) -> TokenStream {
    let text = markdown.trim();
    if text.is_empty() {
        return TokenStream::new();
    }
    let lines = text.lines().map(|line| {
        let line = doc_line(line);
        quote! { #[doc = #line] }
    });
    quote! { #(#lines)* }
}

/// The text of one `#[doc]` attribute, with the leading space of `/// text`. prettyplease prints
/// doc attributes as `///` comments, verbatim, and rustc denies bidirectional-text controls in
/// comments: whatever text a caller built the line from (names, examples, values), every doc
/// line passes here, so no control or bidi character reaches a generated file and no newline
/// splits the comment.
pub fn doc_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 1);
    for c in line.chars() {
        match c {
            '\t' => out.push_str("    "),
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => out.push(' '),
            c if crate::docs::is_dropped_char(c) => {}
            c => out.push(c),
        }
    }
    if out.is_empty() {
        out
    } else {
        format!(" {out}")
    }
}

#[cfg(test)]
mod tests {
    use super::doc_line;

    #[test]
    fn doc_lines_hold_no_control_or_bidi_character() {
        assert_eq!(doc_line("a\u{202e}b\u{2066}c\0d\te\nf\u{feff}"), " abcd    e f");
        assert_eq!(doc_line(""), "");
        assert_eq!(doc_line("\u{202e}"), "");
    }
}
