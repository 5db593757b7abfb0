//! Postman descriptions → rustdoc-safe Markdown (interim version).

/// Convert a Postman description into Markdown that is safe as rustdoc.
pub fn to_rustdoc(description: &str) -> String {
    let text: String = description
        .chars()
        .filter(|c| !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        .filter(|c| !c.is_control() || *c == '\n')
        .collect();
    let mut out = String::new();
    for line in text.lines() {
        let line = line.trim();
        let escaped = line.replace('[', "\\[").replace(']', "\\]").replace('<', "&lt;").replace('`', "'");
        out.push_str(&escaped);
        out.push('\n');
    }
    out.trim().to_owned()
}
