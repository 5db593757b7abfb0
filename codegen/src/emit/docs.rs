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
        let line = line.replace('\t', "    ");
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        quote! { #[doc = #line] }
    });
    quote! { #(#lines)* }
}
