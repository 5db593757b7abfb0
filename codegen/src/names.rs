//! The one place identifiers are made (interim version; see tests).

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Identifier case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// `snake_case`
    Snake,
    /// `UpperCamelCase`
    UpperCamel,
    /// `SCREAMING_SNAKE_CASE`
    ScreamingSnake,
}

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super",
    "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box",
    "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];

/// Any raw name → a valid ASCII Rust identifier in `case`.
pub fn ident(raw: &str, case: Case) -> String {
    let ascii: String = raw.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
    let mut out = match case {
        Case::Snake => ascii.to_snake_case(),
        Case::UpperCamel => ascii.to_upper_camel_case(),
        Case::ScreamingSnake => ascii.to_shouty_snake_case(),
    };
    if out.is_empty() {
        let hex: Vec<String> = raw.chars().filter(|c| !c.is_whitespace()).take(6).map(|c| format!("{:x}", c as u32)).collect();
        let base = if hex.is_empty() { "unnamed".to_owned() } else { format!("u {}", hex.join(" ")) };
        return ident(&base, case);
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, if case == Case::UpperCamel { 'N' } else if case == Case::ScreamingSnake { 'N' } else { 'n' });
    }
    if KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// Deterministic collision resolution (see module docs).
pub fn assign_unique(items: &[(String, String)], case: Case, reserved: &[&str]) -> Vec<String> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| items[a].1.cmp(&items[b].1).then(items[a].0.cmp(&items[b].0)).then(a.cmp(&b)));
    let bases: std::collections::BTreeSet<&str> = items.iter().map(|(_, b)| b.as_str()).collect();
    let mut taken: std::collections::BTreeSet<String> = reserved.iter().map(|s| s.to_string()).collect();
    let mut out = vec![String::new(); items.len()];
    for i in order {
        let base = &items[i].1;
        let mut name = base.clone();
        let mut n = 2;
        while taken.contains(&name) || (name != *base && bases.contains(name.as_str())) {
            name = if case == Case::UpperCamel { format!("{base}{n}") } else { format!("{base}_{n}") };
            n += 1;
        }
        taken.insert(name.clone());
        out[i] = name;
    }
    out
}
