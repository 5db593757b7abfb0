//! Postman descriptions (plain text, Markdown or HTML) → Markdown that is safe as rustdoc.
//!
//! Generated crates run their doctests under `cargo test` and are documented with
//! `cargo doc`, so a description must never turn into a doctest, and should not trigger
//! rustdoc's default-on lints. [`to_rustdoc`] applies these rules, in order:
//!
//! 1. **Clean-up.** `\r\n` and lone `\r` become `\n` (as do U+2028/U+2029); control characters
//!    other than `\n` and `\t` are removed, and so are the bidi controls U+202A–U+202E,
//!    U+2066–U+2069 and the byte-order mark U+FEFF; trailing whitespace is trimmed from every
//!    line.
//! 2. **HTML.** Text that contains an HTML tag from a known list (`<p>`, `<b>`, `<a …>`, `<ul>`,
//!    `<code>`, `<pre>`, `<table>` …, case-insensitive, outside backtick code) is converted with
//!    [`htmd`]. `<br>` alone does not count: it is common inside Markdown tables and is kept.
//! 3. **Code blocks.** Every fenced code block (```` ``` ```` or `~~~`, whatever its info string)
//!    is re-tagged as `text`, which rustdoc never compiles; the language is dropped (rustdoc
//!    only highlights Rust anyway). A fence that follows list markers (`- ```rust`) is moved to
//!    its own line after them. An unterminated fence is closed. An indented code block (four or
//!    more columns after a blank line or another block) is turned into a `text` fence.
//! 4. **No indented code anywhere else.** Outside fences, a line keeps its leading indentation
//!    only when it directly follows a paragraph line, where indentation can never start a code
//!    block (this keeps tight nested lists); every other line starts at column 0 of its
//!    blockquote. Blockquote markers are rewritten as a canonical `> ` prefix, list markers are
//!    followed by exactly one space. So the only code blocks in the output are `text` fences.
//! 5. **Inline.** Outside code spans, fenced blocks and autolinks: `[` and `]` that are not part of
//!    an inline link `[text](url)` / image are escaped as `\[` `\]` (no accidental intra-doc
//!    links); an inline link whose destination looks like a Rust path (`[x](foo)`) is replaced by
//!    its text, because rustdoc would try to resolve it; bare `http://` / `https://` URLs are
//!    wrapped in `<…>` (`rustdoc::bare_urls`); every `<` that does not start an autolink or a
//!    `<br>` in the middle of a line becomes `&lt;` (`rustdoc::invalid_html_tags`).
//! 6. **Blank lines.** Runs of blank lines outside code collapse to one; leading and trailing
//!    blank lines are removed.
//!
//! Everything is plain string scanning, linear in the input, and no input panics.

use std::cell::RefCell;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use htmd::options::{
    BrStyle, BulletListMarker, CodeBlockStyle, LinkStyle, Options, TranslationMode,
};
use htmd::element_handler::{HandlerResult, Handlers};
use htmd::{Element, HtmlToMarkdown};

/// Convert a Postman description (plain text, Markdown, or HTML) into Markdown that is safe as
/// rustdoc. See the [module documentation](self) for the rules.
#[must_use]
pub fn to_rustdoc(description: &str) -> String {
    let cleaned = clean(description);
    let markdown = if looks_like_html(&cleaned) && !html_too_deep(&cleaned) {
        match html_to_markdown(&cleaned) {
            Some(converted) => clean(&converted),
            None => cleaned,
        }
    } else {
        cleaned
    };
    Blocks::default().run(&markdown)
}

/// One line of rustdoc-safe Markdown for short text spliced into a line, such as a request
/// name after `Postman item: `. [`to_rustdoc`] output is only safe as whole lines: a name like
/// ```` ```rust ```` becomes a fence there. Here whitespace (newlines included) collapses to
/// single spaces, no HTML conversion is done, the inline rules of `to_rustdoc` apply, and a
/// first character that could start a block (`#`, `>`, `-`, `+`, `*`, `=`, `|`, `~`, `` ` ``,
/// `1.`) is backslash-escaped, so the result is safe at the start of a line too.
#[must_use]
pub fn inline_text(text: &str) -> String {
    let cleaned = clean(text);
    let line = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut processed = String::with_capacity(line.len() + 8);
    let mut tags = Vec::new();
    inline(&line, &mut processed, Level::Top, true, &mut tags);
    let mut out = escape_unbalanced(&processed, &tags);
    let digits = out.bytes().take_while(u8::is_ascii_digit).count();
    if out.starts_with(['#', '>', '-', '+', '*', '=', '|', '~', '`', '_']) {
        out.insert(0, '\\');
    } else if digits > 0 && matches!(out.as_bytes().get(digits), Some(b'.' | b')')) {
        out.insert(digits, '\\');
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Clean-up and HTML

/// Characters that hide or reorder text instead of showing it: controls, zero-width and
/// bidirectional formatting characters, line and paragraph separators, the byte-order mark.
/// The one list every writer uses: docs drop them, TOML and messages escape them. All are in
/// the Basic Multilingual Plane, so a four-digit `\u` escape always fits.
pub(crate) fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}')
}

/// Characters rule 1 removes: the invisible ones other than `\n` and `\t`.
pub(crate) fn is_dropped_char(c: char) -> bool {
    is_invisible(c) && c != '\n' && c != '\t'
}

/// Rule 1: newlines, control and bidi characters, trailing whitespace.
fn clean(text: &str) -> String {
    let mut unified = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    unified.push('\n');
                }
            }
            '\u{2028}' | '\u{2029}' => unified.push('\n'),
            c if is_dropped_char(c) => {}
            c => unified.push(c),
        }
    }
    let mut out = String::with_capacity(unified.len());
    for (i, line) in unified.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(line.trim_end());
    }
    out
}

/// Tags whose presence makes a description HTML. Inline formatting tags ([`INLINE_TAGS`]) and
/// `<br>` are missing on purpose: they are common inside Markdown and are kept as inline HTML.
const HTML_TAGS: &[&str] = &[
    "a", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "div",
    "dl", "dt", "figcaption", "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
    "head", "header", "hr", "html", "img", "li", "main", "nav", "ol", "p", "pre", "script",
    "section", "span", "style", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "ul",
];

/// Inline HTML tags kept verbatim in Markdown when written without attributes and balanced
/// within their paragraph (rustdoc renders them and its `invalid_html_tags` lint accepts them).
const INLINE_TAGS: &[&str] = &[
    "abbr", "b", "cite", "code", "del", "em", "i", "ins", "kbd", "mark", "q", "s", "samp",
    "small", "strike", "strong", "sub", "sup", "tt", "u", "var",
];

/// Rule 2: is there a known HTML tag outside backtick code?
fn looks_like_html(text: &str) -> bool {
    let b = text.as_bytes();
    let code = code_spans(b);
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'`' => i = code.get(&i).copied().unwrap_or(i + run_len(b, i, b'`')),
            b'<' => {
                let mut j = i + 1;
                if b.get(j) == Some(&b'/') {
                    j += 1;
                }
                let start = j;
                while j < b.len() && b[j].is_ascii_alphanumeric() {
                    j += 1;
                }
                let terminated =
                    matches!(b.get(j), Some(b'>' | b'/' | b' ' | b'\t' | b'\n'));
                if j > start && b[start].is_ascii_alphabetic() && terminated {
                    let name = text[start..j].to_ascii_lowercase();
                    if HTML_TAGS.contains(&name.as_str()) {
                        return true;
                    }
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    false
}

/// Elements that never nest (void) or whose end tag is optional, so they do not deepen the tree.
const FLAT_TAGS: &[&str] = &[
    "area", "base", "br", "col", "colgroup", "dd", "dt", "embed", "hr", "img", "input", "li",
    "link", "meta", "option", "p", "param", "source", "tbody", "td", "tfoot", "th", "thead",
    "tr", "track", "wbr",
];

/// Deepest element nesting handed to htmd, whose tree walk recurses once per level (about
/// 1 KiB of stack each in debug builds; 2 MiB test threads overflow near 3,000 levels).
const MAX_HTML_DEPTH: usize = 256;

/// How far ahead a tag is searched for its `>`.
const SCAN_LIMIT: usize = 512;

/// Whether the HTML might nest deeper than [`MAX_HTML_DEPTH`]; such text stays Markdown (and
/// its tags are escaped) instead of overflowing the stack. Over-estimates: every unclosed
/// tag outside [`FLAT_TAGS`] counts.
fn html_too_deep(html: &str) -> bool {
    let b = html.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(offset) = b[i..].iter().position(|&c| c == b'<') {
        i += offset + 1;
        let closing = b.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let mut j = start;
        while j < b.len() && b[j].is_ascii_alphanumeric() {
            j += 1;
        }
        if j == start || !b[start].is_ascii_alphabetic() {
            continue;
        }
        let name = html[start..j].to_ascii_lowercase();
        if FLAT_TAGS.contains(&name.as_str()) {
            continue;
        }
        let window = &b[j..b.len().min(j + SCAN_LIMIT)];
        let self_closing =
            window.iter().position(|&c| c == b'>').is_some_and(|k| k > 0 && window[k - 1] == b'/');
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing {
            depth += 1;
            if depth > MAX_HTML_DEPTH {
                return true;
            }
        }
    }
    false
}

thread_local! {
    static CONVERTER: RefCell<Option<HtmlToMarkdown>> = const { RefCell::new(None) };
}

fn html_to_markdown(html: &str) -> Option<String> {
    CONVERTER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let converter = slot.get_or_insert_with(|| {
            HtmlToMarkdown::builder()
                .options(Options {
                    br_style: BrStyle::Backslash,
                    bullet_list_marker: BulletListMarker::Dash,
                    ul_bullet_spacing: 1,
                    ol_number_spacing: 1,
                    code_block_style: CodeBlockStyle::Fenced,
                    link_style: LinkStyle::Inlined,
                    translation_mode: TranslationMode::Pure,
                    ..Options::default()
                })
                .skip_tags(vec!["script", "style", "head", "title", "noscript"])
                .add_handler(vec!["pre"], pre_handler)
                .build()
        });
        // htmd is not expected to panic, but a description must never abort generation.
        catch_unwind(AssertUnwindSafe(|| converter.convert(html)))
            .ok()
            .and_then(Result::ok)
    })
}

/// `<pre>` without a `<code>` child becomes a fenced block too (htmd would make it a paragraph).
fn pre_handler(handlers: &dyn Handlers, element: Element) -> Option<HandlerResult> {
    let content = handlers.walk_children(element.node).content;
    let body = content.trim_matches('\n');
    if body.starts_with("```") {
        // `<pre><code>`: the code handler already made a fence (htmd escapes a backtick
        // starting plain `<pre>` text).
        return Some(format!("\n\n{body}\n\n").into());
    }
    let body = match body.strip_prefix('\\') {
        Some(rest) if rest.starts_with(['`', '~']) => rest,
        _ => body,
    };
    let longest = body.lines().map(|l| run_len(l.trim_start().as_bytes(), 0, b'`')).max();
    let fence = "`".repeat((longest.unwrap_or(0) + 1).max(3));
    Some(format!("\n\n{fence}\n{body}\n{fence}\n\n").into())
}

// ---------------------------------------------------------------------------------------------
// Block structure

/// Columns of leading spaces/tabs (tabs to the next multiple of 4) and their byte length.
fn indent_of(s: &str) -> (usize, usize) {
    let mut cols = 0;
    for (i, b) in s.bytes().enumerate() {
        match b {
            b' ' => cols += 1,
            b'\t' => cols += 4 - cols % 4,
            _ => return (cols, i),
        }
    }
    (cols, s.len())
}

/// `s` with `strip` columns of leading indentation removed; the rest of the indentation is
/// rewritten as spaces.
fn strip_cols(s: &str, strip: usize) -> String {
    let (cols, bytes) = indent_of(s);
    let keep = cols.saturating_sub(strip);
    let mut out = " ".repeat(keep);
    out.push_str(&s[bytes..]);
    out
}

/// The rest of `s` after one blockquote marker with at most 3 spaces before it.
fn strict_quote(s: &str) -> Option<&str> {
    let (cols, bytes) = indent_of(s);
    if cols > 3 {
        return None;
    }
    let rest = s[bytes..].strip_prefix('>')?;
    Some(rest.strip_prefix(' ').unwrap_or(rest))
}

/// A list marker at the start of `s` (`-`, `+`, `*`, `1.`, `1)`) followed by whitespace or the
/// end of the line: the marker and the rest after it.
fn list_marker(s: &str) -> Option<(&str, &str)> {
    let b = s.as_bytes();
    let len = match b.first()? {
        b'-' | b'+' | b'*' => 1,
        b'0'..=b'9' => {
            let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
            if digits > 9 || !matches!(b.get(digits), Some(b'.' | b')')) {
                return None;
            }
            digits + 1
        }
        _ => return None,
    };
    match b.get(len) {
        None | Some(b' ' | b'\t') => Some((&s[..len], &s[len..])),
        _ => None,
    }
}

/// A fence opening at the start of `s`: its character and length (any info string accepted).
fn fence_start(s: &str) -> Option<(u8, usize)> {
    let ch = *s.as_bytes().first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let n = run_len(s.as_bytes(), 0, ch);
    (n >= 3).then_some((ch, n))
}

/// Whether `s` (already without indentation) closes a fence of `ch` × `len`.
fn is_fence_close(s: &str, ch: u8, len: usize) -> bool {
    let n = run_len(s.as_bytes(), 0, ch);
    n >= len && s[n..].trim().is_empty()
}

fn is_heading(s: &str) -> bool {
    let hashes = s.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes) && matches!(s.as_bytes().get(hashes), None | Some(b' ' | b'\t'))
}

fn is_rule_or_underline(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| matches!(b, b'-' | b'=' | b'*' | b'_' | b' ' | b'\t'))
}

/// Whether a line's content is ordinary paragraph text, after which indentation cannot start
/// a code block. Anything doubtful counts as "not a paragraph" (the safe answer).
fn is_paragraph_text(content: &str) -> bool {
    !content.is_empty()
        && !is_heading(content)
        && !is_rule_or_underline(content)
        && !content.contains('|')
        && !content.starts_with('<')
        && !content.starts_with('[')
}

fn quote_prefix(depth: usize) -> String {
    "> ".repeat(depth)
}

struct Fence {
    depth: usize,
    ch: u8,
    len: usize,
    /// Columns of indentation removed from content lines (the opener's column).
    strip: usize,
}

struct IndentedCode {
    depth: usize,
    threshold: usize,
    lines: Vec<String>,
    trailing_blanks: usize,
}

#[derive(Default)]
struct Blocks {
    out: Vec<String>,
    /// Pending paragraph lines: (prefix, content to run through `inline`).
    para: Vec<(String, String)>,
    fence: Option<Fence>,
    code: Option<IndentedCode>,
    /// Quote depth of the previous line.
    depth: usize,
    /// Whether the previous line lets an indented line start a code block (i.e. it was not
    /// paragraph text).
    can_start_code: bool,
    /// Content columns of the open list items: (input column, output column). Only used for
    /// looks: to tell list continuation paragraphs from indented code, and to indent a
    /// continuation paragraph (by at most 3 columns, which can never start a code block).
    lists: Vec<(usize, usize)>,
}

impl Blocks {
    fn run(mut self, markdown: &str) -> String {
        self.can_start_code = true;
        for line in markdown.split('\n') {
            self.line(line);
        }
        self.finish_code();
        self.flush_para();
        if let Some(fence) = self.fence.take() {
            self.emit(format!("{}{}", quote_prefix(fence.depth), fence_str(fence.ch, fence.len)));
        }
        while self.out.last().is_some_and(String::is_empty) {
            self.out.pop();
        }
        self.out.join("\n")
    }

    /// Pushes an output line (trailing whitespace trimmed).
    fn emit(&mut self, line: String) {
        let mut line = line;
        line.truncate(line.trim_end().len());
        self.out.push(line);
    }

    /// Pushes a blank line (with quote markers), collapsing runs and dropping leading blanks.
    fn emit_blank(&mut self, depth: usize) {
        let line = quote_prefix(depth).trim_end().to_owned();
        match self.out.last() {
            None if line.is_empty() => {}
            Some(last) if *last == line => {}
            _ => self.out.push(line),
        }
    }

    fn line(&mut self, line: &str) {
        if self.fence.is_some() {
            self.fence_line(line);
            return;
        }
        if self.code.is_some() && self.code_line(line) {
            return;
        }
        self.normal_line(line);
    }

    fn fence_line(&mut self, line: &str) {
        let Some(fence) = self.fence.as_ref() else { return };
        let (depth, ch, len, strip) = (fence.depth, fence.ch, fence.len, fence.strip);
        let mut rest = line;
        for _ in 0..depth {
            match strict_quote(rest) {
                Some(r) => rest = r,
                None => {
                    // The blockquote ended, and the fence with it.
                    self.fence = None;
                    self.emit(format!("{}{}", quote_prefix(depth), fence_str(ch, len)));
                    self.can_start_code = true;
                    self.normal_line(line);
                    return;
                }
            }
        }
        let content = strip_cols(rest, strip);
        let (cols, bytes) = indent_of(&content);
        if cols < 4 && is_fence_close(&content[bytes..], ch, len) {
            self.fence = None;
            self.emit(format!("{}{}", quote_prefix(depth), fence_str(ch, len)));
            self.can_start_code = true;
        } else {
            self.emit(format!("{}{}", quote_prefix(depth), content));
        }
    }

    /// Continues an indented code block; returns false (after closing it) when `line` is not
    /// part of it.
    fn code_line(&mut self, line: &str) -> bool {
        let Some(code) = self.code.as_mut() else { return false };
        let mut rest = line;
        let mut inside = true;
        for _ in 0..code.depth {
            match strict_quote(rest) {
                Some(r) => rest = r,
                None => {
                    inside = false;
                    break;
                }
            }
        }
        if inside {
            if rest.trim().is_empty() {
                code.trailing_blanks += 1;
                return true;
            }
            if indent_of(rest).0 >= code.threshold {
                for _ in 0..code.trailing_blanks {
                    code.lines.push(String::new());
                }
                code.trailing_blanks = 0;
                code.lines.push(strip_cols(rest, code.threshold));
                return true;
            }
        }
        self.finish_code();
        false
    }

    fn finish_code(&mut self) {
        let Some(code) = self.code.take() else { return };
        let prefix = quote_prefix(code.depth);
        // Longer than any backtick run that could close it from inside.
        let longest = code
            .lines
            .iter()
            .map(|l| run_len(l.trim_start().as_bytes(), 0, b'`'))
            .max()
            .unwrap_or(0);
        let fence = fence_str(b'`', (longest + 1).max(3));
        self.emit(format!("{prefix}{fence}text"));
        for line in &code.lines {
            self.emit(format!("{prefix}{line}"));
        }
        self.emit(format!("{prefix}{fence}"));
        if code.trailing_blanks > 0 {
            self.emit_blank(code.depth);
        }
        self.can_start_code = true;
    }

    fn normal_line(&mut self, line: &str) {
        // Continue the blockquotes of the previous line, strictly.
        let mut matched = 0;
        let mut rest = line;
        while matched < self.depth {
            match strict_quote(rest) {
                Some(r) => {
                    rest = r;
                    matched += 1;
                }
                None => break,
            }
        }
        let can_code = self.can_start_code || matched != self.depth;

        if rest.trim().is_empty() {
            self.flush_para();
            self.set_depth(matched);
            self.emit_blank(matched);
            self.can_start_code = true;
            return;
        }

        let (cols, bytes) = indent_of(rest);
        if can_code && cols >= 4 {
            if matched != self.depth {
                self.lists.clear();
            }
            while self.lists.last().is_some_and(|&(c, _)| c > cols) {
                self.lists.pop();
            }
            let base = self.lists.last().map_or(0, |&(c, _)| c);
            if cols >= base + 4 {
                self.flush_para();
                self.set_depth(matched);
                self.code = Some(IndentedCode {
                    depth: matched,
                    threshold: base + 4,
                    lines: vec![strip_cols(rest, base + 4)],
                    trailing_blanks: 0,
                });
                return;
            }
        }

        // Greedily read further blockquote and list markers, with any indentation.
        let indentation = &rest[..bytes];
        let mut body = &rest[bytes..];
        let mut depth = matched;
        let mut markers: Vec<&str> = Vec::new();
        let mut marker_cols = cols;
        let mut content_cols = Vec::new();
        loop {
            if let Some(after) = body.strip_prefix('>') {
                depth += 1;
                body = after.trim_start_matches([' ', '\t']);
                continue;
            }
            if let Some((marker, after)) = list_marker(body) {
                let spaces = indent_of(after).0;
                let width = marker.len() + if (1..=4).contains(&spaces) { spaces } else { 1 };
                content_cols.push(marker_cols + width);
                marker_cols += width;
                markers.push(marker);
                body = after.trim_start_matches([' ', '\t']);
                continue;
            }
            break;
        }
        let new_quotes = depth != matched;

        if depth != self.depth || new_quotes {
            self.flush_para();
        }
        self.set_depth(depth);
        if new_quotes {
            self.lists.clear();
        }
        // List model (cosmetic): close items this line is not inside of.
        let lazy = !can_code && markers.is_empty() && !new_quotes;
        if !lazy {
            while self.lists.last().is_some_and(|&(c, _)| c > cols) {
                self.lists.pop();
            }
        }

        let prefix = quote_prefix(depth);
        let mut lead = String::new();
        if !can_code && !new_quotes {
            // Directly after paragraph text: indentation cannot start a code block.
            lead = strip_cols(indentation, 0);
        } else if let Some(&(_, out_col)) = self.lists.iter().rev().find(|&&(_, o)| o <= 3) {
            // A list continuation: indented like its item, but never by 4 or more.
            lead = " ".repeat(out_col);
        }
        for (marker, input_col) in markers.iter().zip(content_cols) {
            lead.push_str(marker);
            lead.push(' ');
            self.lists.push((input_col, lead.len()));
        }

        if let Some((ch, len)) = fence_start(body) {
            self.flush_para();
            if !markers.is_empty() {
                self.emit(format!("{prefix}{lead}"));
            }
            self.emit(format!("{prefix}{}text", fence_str(ch, len)));
            // Content lines lose up to the opener's column, as in CommonMark.
            let strip = indent_of(line).0.max(marker_cols);
            self.fence = Some(Fence { depth, ch, len, strip });
            return;
        }

        let paragraph = is_paragraph_text(body);
        let continues = !self.can_start_code && markers.is_empty() && !new_quotes && paragraph;
        if !continues {
            self.flush_para();
        }
        self.para.push((format!("{prefix}{lead}"), body.to_owned()));
        if !paragraph {
            self.flush_para();
        }
        // An empty list item is not paragraph text either.
        self.can_start_code = !paragraph;
    }

    fn set_depth(&mut self, depth: usize) {
        if depth != self.depth {
            self.lists.clear();
            self.depth = depth;
        }
    }

    fn flush_para(&mut self) {
        if self.para.is_empty() {
            return;
        }
        let para = std::mem::take(&mut self.para);
        let joined = para.iter().map(|(_, c)| c.as_str()).collect::<Vec<_>>().join("\n");
        let mut processed = String::with_capacity(joined.len() + 16);
        let mut tags = Vec::new();
        inline(&joined, &mut processed, Level::Top, true, &mut tags);
        let processed = escape_unbalanced(&processed, &tags);
        for ((prefix, _), content) in para.iter().zip(processed.split('\n')) {
            self.emit(format!("{prefix}{content}"));
        }
    }
}

fn fence_str(ch: u8, len: usize) -> String {
    char::from(ch).to_string().repeat(len)
}

// ---------------------------------------------------------------------------------------------
// Inline

fn run_len(b: &[u8], start: usize, ch: u8) -> usize {
    b.get(start..).map_or(0, |s| s.iter().take_while(|&&c| c == ch).count())
}

/// Index just past the next run of exactly `n` backticks at or after `from`.
fn find_backtick_run(b: &[u8], from: usize, n: usize) -> Option<usize> {
    let mut j = from;
    while j < b.len() {
        if b[j] == b'`' {
            let m = run_len(b, j, b'`');
            if m == n {
                return Some(j + m);
            }
            j += m;
        } else {
            j += 1;
        }
    }
    None
}

/// Code spans of `b`: start → just past the closing run. Linear-ish: a failed search for a
/// closing run of length `n` is remembered, as every later search for `n` fails too.
fn code_spans(b: &[u8]) -> HashMap<usize, usize> {
    let mut spans = HashMap::new();
    let mut failed: HashMap<usize, usize> = HashMap::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if b.get(i + 1).is_some_and(u8::is_ascii_punctuation) => i += 2,
            b'`' => {
                let n = run_len(b, i, b'`');
                let from = i + n;
                let closer = if failed.get(&n).is_some_and(|&f| from >= f) {
                    None
                } else {
                    find_backtick_run(b, from, n)
                };
                match closer {
                    Some(end) => {
                        spans.insert(i, end);
                        i = end;
                    }
                    None => {
                        failed.entry(n).or_insert(from);
                        i = from;
                    }
                }
            }
            _ => i += 1,
        }
    }
    spans
}

/// Code spans and matching brackets of one paragraph, found in linear passes.
struct Spans {
    code: HashMap<usize, usize>,
    /// `[` → its `]`, skipping escapes and code spans.
    brackets: HashMap<usize, usize>,
    /// `(` → its `)`, skipping escapes.
    parens: HashMap<usize, usize>,
}

impl Spans {
    fn new(b: &[u8]) -> Self {
        let code = code_spans(b);
        let mut brackets = HashMap::new();
        let mut parens = HashMap::new();
        let (mut open_brackets, mut open_parens) = (Vec::new(), Vec::new());
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'\\' if b.get(i + 1).is_some_and(u8::is_ascii_punctuation) => {
                    i += 2;
                    continue;
                }
                b'`' => {
                    if let Some(&end) = code.get(&i) {
                        i = end;
                    } else {
                        i += run_len(b, i, b'`');
                    }
                    continue;
                }
                b'[' => open_brackets.push(i),
                b']' => {
                    if let Some(open) = open_brackets.pop() {
                        brackets.insert(open, i);
                    }
                }
                b'(' => open_parens.push(i),
                b')' => {
                    if let Some(open) = open_parens.pop() {
                        parens.insert(open, i);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        Spans { code, brackets, parens }
    }
}

/// How deep links may still be parsed: links, then only images (inside link text), then none.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Top,
    LinkText,
    ImageText,
}

impl Level {
    fn inner(self) -> Level {
        match self {
            Level::Top => Level::LinkText,
            Level::LinkText | Level::ImageText => Level::ImageText,
        }
    }
}

/// Rule 5 on one paragraph (lines joined by `\n`; the number of lines never changes).
/// `wrap_urls` is false inside link text, where rustdoc does not look for bare URLs (and an
/// autolink would break the link).
fn inline(s: &str, out: &mut String, level: Level, wrap_urls: bool, tags: &mut Vec<TagMark>) {
    let b = s.as_bytes();
    let spans = Spans::new(b);
    let mut i = 0;
    let mut line_has_text = false;
    while i < b.len() {
        match b[i] {
            b'\\' => {
                if b.get(i + 1).is_some_and(u8::is_ascii_punctuation) {
                    out.push_str(&s[i..i + 2]);
                    i += 2;
                } else {
                    out.push('\\');
                    i += 1;
                }
            }
            b'`' => {
                let end = spans.code.get(&i).copied().unwrap_or(i + run_len(b, i, b'`'));
                out.push_str(&s[i..end]);
                i = end;
            }
            b'!' if b.get(i + 1) == Some(&b'[') && level <= Level::LinkText => {
                match link_at(s, &spans, i + 1) {
                    Some(link) => {
                        emit_link(s, &link, out, true, level, tags);
                        i = link.end;
                    }
                    None => {
                        out.push('!');
                        i += 1;
                    }
                }
            }
            b'[' => match link_at(s, &spans, i).filter(|_| level == Level::Top) {
                Some(link) => {
                    emit_link(s, &link, out, false, level, tags);
                    i = link.end;
                }
                None => {
                    out.push_str("\\[");
                    i += 1;
                }
            },
            b']' => {
                out.push_str("\\]");
                i += 1;
            }
            b'<' => {
                if let Some(end) = autolink_end(s, i) {
                    out.push_str(&s[i..end]);
                    i = end;
                } else if let Some(end) = br_end(s, i).filter(|_| line_has_text) {
                    out.push_str(&s[i..end]);
                    i = end;
                } else if let Some((end, name, closing)) = inline_tag(s, i)
                    .filter(|&(end, _, _)| line_has_text || !rest_of_line_is_blank(s, end))
                {
                    tags.push(TagMark { pos: out.len(), name, closing });
                    out.push_str(&s[i..end]);
                    i = end;
                } else {
                    out.push_str("&lt;");
                    i += 1;
                }
            }
            b'h' if wrap_urls && (s[i..].starts_with("http://") || s[i..].starts_with("https://")) => {
                i = bare_url(s, i, out);
            }
            b'\n' => {
                out.push('\n');
                line_has_text = false;
                i += 1;
                continue;
            }
            _ => {
                let c = s[i..].chars().next().unwrap_or(' ');
                out.push(c);
                i += c.len_utf8();
                if c.is_whitespace() {
                    continue;
                }
            }
        }
        line_has_text = true;
    }
}

struct Link {
    /// `[` of the link text.
    open: usize,
    /// `]` of the link text.
    close: usize,
    /// The destination (and title) between the parentheses.
    dest: (usize, usize),
    /// Just past `)`.
    end: usize,
}

/// An inline link `[text](destination "title")` starting at `s[open] == '['`.
fn link_at(s: &str, spans: &Spans, open: usize) -> Option<Link> {
    let close = *spans.brackets.get(&open)?;
    let paren = close + 1;
    if s.as_bytes().get(paren) != Some(&b'(') {
        return None;
    }
    let end = *spans.parens.get(&paren)?;
    valid_destination(s.get(paren + 1..end)?)?;
    Some(Link { open, close, dest: (paren + 1, end), end: end + 1 })
}

/// The URL part of a link destination if it is a valid CommonMark destination (+ title).
fn valid_destination(dest: &str) -> Option<&str> {
    let dest = dest.trim();
    let (url, rest) = if let Some(pointy) = dest.strip_prefix('<') {
        let close = pointy.find('>')?;
        let url = &pointy[..close];
        if url.contains(['<', '\n']) {
            return None;
        }
        (url, &pointy[close + 1..])
    } else {
        let split = dest.find(char::is_whitespace).unwrap_or(dest.len());
        (&dest[..split], &dest[split..])
    };
    if url.chars().any(char::is_control) {
        return None;
    }
    let title = rest.trim();
    let title_ok = title.is_empty()
        || (title.len() >= 2
            && ((title.starts_with('"') && title.ends_with('"'))
                || (title.starts_with('\'') && title.ends_with('\''))
                || (title.starts_with('(') && title.ends_with(')'))));
    title_ok.then_some(url)
}

/// Whether rustdoc would try to resolve `url` as an intra-doc link (it only skips
/// destinations with characters that cannot appear in a path, such as `/`, `.`, `#`).
fn looks_like_path(url: &str) -> bool {
    url.chars().all(|c| c.is_alphanumeric() || ":_<>, !*&;@()".contains(c))
}

fn emit_link(
    s: &str,
    link: &Link,
    out: &mut String,
    image: bool,
    level: Level,
    tags: &mut Vec<TagMark>,
) {
    let text = &s[link.open + 1..link.close];
    let dest = &s[link.dest.0..link.dest.1];
    let url = valid_destination(dest).unwrap_or("");
    if looks_like_path(url) {
        // Keep only the text: rustdoc would report the destination as a broken intra-doc link.
        inline(text, out, level.inner(), true, tags);
        return;
    }
    if image {
        out.push('!');
    }
    out.push('[');
    inline(text, out, if image { Level::ImageText } else { level.inner() }, false, tags);
    out.push_str("](");
    out.push_str(dest);
    out.push(')');
}

/// Just past an autolink `<scheme:…>` or `<user@example.com>` starting at `s[i] == '<'`.
fn autolink_end(s: &str, i: usize) -> Option<usize> {
    email_autolink_end(s, i).or_else(|| uri_autolink_end(s, i))
}

fn email_autolink_end(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    let local = b.get(i + 1..)?
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || b".!#$%&'*+/=?^_`{|}~-".contains(c))
        .count();
    let at = i + 1 + local;
    if local == 0 || b.get(at) != Some(&b'@') {
        return None;
    }
    let domain = b[at + 1..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || b".-".contains(c))
        .count();
    let close = at + 1 + domain;
    (domain > 0 && b.get(close) == Some(&b'>')).then_some(close + 1)
}

fn uri_autolink_end(s: &str, i: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut j = i + 1;
    if !b.get(j)?.is_ascii_alphabetic() {
        return None;
    }
    while b.get(j).is_some_and(|c| c.is_ascii_alphanumeric() || b"+.-".contains(c)) {
        j += 1;
    }
    let scheme_len = j - (i + 1);
    if !(2..=32).contains(&scheme_len) || b.get(j) != Some(&b':') {
        return None;
    }
    loop {
        j += 1;
        match b.get(j)? {
            b'>' => return Some(j + 1),
            b'<' | b' ' => return None,
            c if c.is_ascii_control() => return None,
            _ => {}
        }
    }
}

/// An inline tag kept in the output, at its position in the output.
struct TagMark {
    pos: usize,
    name: &'static str,
    closing: bool,
}

/// `<name>` or `</name>` with `name` in [`INLINE_TAGS`] (any case, no attributes) at `s[i]`:
/// the end, the name and whether it is a closing tag.
fn inline_tag(s: &str, i: usize) -> Option<(usize, &'static str, bool)> {
    let b = s.as_bytes();
    let closing = b.get(i + 1) == Some(&b'/');
    let start = i + 1 + usize::from(closing);
    let len = b.get(start..)?.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if b.get(start + len) != Some(&b'>') {
        return None;
    }
    let name = s[start..start + len].to_ascii_lowercase();
    let name = INLINE_TAGS.iter().find(|t| **t == name)?;
    Some((start + len + 1, name, closing))
}

/// Whether nothing but whitespace follows `s[end..]` on its line. A tag alone on a line would
/// start a raw HTML block, in which Markdown (and our escaping) is not applied.
fn rest_of_line_is_blank(s: &str, end: usize) -> bool {
    s[end..].split('\n').next().is_none_or(|rest| rest.trim().is_empty())
}

/// Escapes the `<` of every kept inline tag that has no partner (properly nested) in `out`.
fn escape_unbalanced(out: &str, tags: &[TagMark]) -> String {
    let mut open: Vec<&TagMark> = Vec::new();
    let mut unbalanced: Vec<usize> = Vec::new();
    for tag in tags {
        if !tag.closing {
            open.push(tag);
        } else if open.last().is_some_and(|o| o.name == tag.name) {
            open.pop();
        } else {
            unbalanced.push(tag.pos);
        }
    }
    unbalanced.extend(open.iter().map(|t| t.pos));
    if unbalanced.is_empty() {
        return out.to_owned();
    }
    unbalanced.sort_unstable();
    let mut fixed = String::with_capacity(out.len() + 3 * unbalanced.len());
    let mut last = 0;
    for pos in unbalanced {
        fixed.push_str(&out[last..pos]);
        fixed.push_str("&lt;");
        last = pos + 1;
    }
    fixed.push_str(&out[last..]);
    fixed
}

/// Just past `<br>`, `<br/>` or `<br />` (any case) at `s[i]`.
fn br_end(s: &str, i: usize) -> Option<usize> {
    ["<br>", "<br/>", "<br />"].iter().find_map(|tag| {
        s.get(i..i + tag.len())
            .filter(|t| t.eq_ignore_ascii_case(tag))
            .map(|_| i + tag.len())
    })
}

/// Wraps the bare URL at `s[i..]` in `<…>`; returns the index after what was consumed.
fn bare_url(s: &str, i: usize, out: &mut String) -> usize {
    let rest = &s[i..];
    let mut end = rest
        .find(|c: char| c.is_whitespace() || c.is_control() || "<>`\"".contains(c))
        .unwrap_or(rest.len());
    let count = |c: u8| rest.as_bytes()[..end].iter().filter(|&&b| b == c).count();
    let (open_parens, mut close_parens) = (count(b'('), count(b')'));
    let (open_brackets, mut close_brackets) = (count(b'['), count(b']'));
    while let Some(last) = rest[..end].chars().last() {
        if ".,:;!?*_~'\\".contains(last) {
        } else if last == ')' && close_parens > open_parens {
            close_parens -= 1;
        } else if last == ']' && close_brackets > open_brackets {
            close_brackets -= 1;
        } else {
            break;
        }
        end -= last.len_utf8();
    }
    let url = &rest[..end];
    let scheme = if url.starts_with("https://") { 8 } else { 7 };
    if url.len() <= scheme {
        out.push('h');
        return i + 1;
    }
    out.push('<');
    // Backslash escapes are literal inside an autolink: unescape them.
    let mut chars = url.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(char::is_ascii_punctuation) {
            continue;
        }
        out.push(c);
    }
    out.push('>');
    i + end
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines that open a code block rustdoc could compile: a fence whose info string is not
    /// `text`, or (outside fences) a line indented four or more columns after a blank line.
    /// Only understands the canonical output shape, which is all `to_rustdoc` produces.
    fn assert_no_doctest(doc: &str) {
        let mut fence: Option<(u8, usize)> = None;
        let mut prev_blank = true;
        for line in doc.lines() {
            let mut rest = line;
            while let Some(r) = rest.strip_prefix("> ").or_else(|| rest.strip_prefix('>')) {
                rest = r;
            }
            let (cols, bytes) = indent_of(rest);
            let body = &rest[bytes..];
            if let Some((ch, len)) = fence {
                if cols < 4 && is_fence_close(body, ch, len) {
                    fence = None;
                }
                continue;
            }
            let mut content = body;
            while let Some((_, after)) = list_marker(content) {
                content = after.trim_start();
            }
            if let Some((ch, len)) = fence_start(content) {
                assert!(
                    cols < 4 && content.as_ptr() == body.as_ptr(),
                    "fence not at column 0 in {doc:?}: {line:?}"
                );
                let info = &content[len..];
                assert_eq!(info, "text", "fence must be tagged text in {doc:?}");
                fence = Some((ch, len));
            }
            if !rest.trim().is_empty() {
                assert!(
                    !(prev_blank && cols >= 4),
                    "indented line after a blank line in {doc:?}: {line:?}"
                );
            }
            prev_blank = rest.trim().is_empty();
        }
        assert!(fence.is_none(), "unterminated fence in {doc:?}");
    }

    /// No raw `<` except autolinks and `<br>` outside code.
    fn assert_no_raw_html(doc: &str) {
        let mut fence: Option<(u8, usize)> = None;
        for line in doc.lines() {
            let trimmed = line.trim_start_matches(['>', ' ']);
            if let Some((ch, len)) = fence {
                if is_fence_close(trimmed, ch, len) {
                    fence = None;
                }
                continue;
            }
            if let Some(open) = fence_start(trimmed) {
                fence = Some(open);
                continue;
            }
            let b = trimmed.as_bytes();
            let mut i = 0;
            while i < b.len() {
                match b[i] {
                    b'\\' => i += 2,
                    b'`' => {
                        let n = run_len(b, i, b'`');
                        i = find_backtick_run(b, i + n, n).unwrap_or(i + n);
                    }
                    b'<' => {
                        let ok = autolink_end(trimmed, i)
                            .or_else(|| br_end(trimmed, i))
                            .or_else(|| inline_tag(trimmed, i).map(|(end, _, _)| end));
                        assert!(ok.is_some(), "raw `<` in {doc:?}: {line:?}");
                        i = ok.unwrap_or(i + 1);
                    }
                    _ => i += 1,
                }
            }
        }
    }

    fn check(input: &str) -> String {
        let out = to_rustdoc(input);
        assert_no_doctest(&out);
        assert_no_raw_html(&out);
        assert_eq!(to_rustdoc(&out), out, "not idempotent for {input:?}");
        out
    }

    #[test]
    fn empty_and_whitespace() {
        assert_eq!(to_rustdoc(""), "");
        assert_eq!(to_rustdoc("   \n\n\t\r\n  "), "");
    }

    #[test]
    fn plain_text_is_kept() {
        assert_eq!(check("Returns the user."), "Returns the user.");
        assert_eq!(check("line one\r\nline two   \r\n"), "line one\nline two");
    }

    #[test]
    fn blank_lines_collapse() {
        assert_eq!(check("\n\na\n\n\n\nb\n\n\n"), "a\n\nb");
        assert_eq!(check("a\n\nb"), "a\n\nb");
    }

    #[test]
    fn control_and_bidi_characters_are_removed() {
        assert_eq!(check("a\u{202e}b\u{2066}c\u{0}d\u{7}e\u{feff}f"), "abcdef");
        assert_eq!(check("tab\there"), "tab\there");
        assert_eq!(check("a\rb"), "a\nb");
    }

    #[test]
    fn markdown_is_kept() {
        let md = "# Title\n\nSome **bold** and _italic_ text with `code`.\n\n- one\n- two\n  - nested\n\n1. first\n2. second";
        assert_eq!(check(md), md);
    }

    #[test]
    fn fences_are_retagged_as_text() {
        assert_eq!(check("```\nfn main() {}\n```"), "```text\nfn main() {}\n```");
        assert_eq!(check("```rust\nlet x = 1;\n```"), "```text\nlet x = 1;\n```");
        assert_eq!(check("```json\n{\"a\": 1}\n```"), "```text\n{\"a\": 1}\n```");
        assert_eq!(check("~~~ignore\nx\n~~~"), "~~~text\nx\n~~~");
        assert_eq!(check("````\n```\n````"), "````text\n```\n````");
        assert_eq!(check("```rust,no_run\nx\n```"), "```text\nx\n```");
    }

    #[test]
    fn fence_content_is_verbatim() {
        let out = check("```\n<b>[x]</b> http://a.com `\n  indented\n```");
        assert_eq!(out, "```text\n<b>[x]</b> http://a.com `\n  indented\n```");
    }

    #[test]
    fn unterminated_fence_is_closed() {
        assert_eq!(check("text\n```rust\nfn main() {}"), "text\n```text\nfn main() {}\n```");
        assert_eq!(check("```"), "```text\n```");
    }

    #[test]
    fn fence_in_list_item_is_moved_out() {
        assert_eq!(
            check("- item\n- ```rust\n  let x = 1;\n  ```\n- next"),
            "- item\n-\n```text\nlet x = 1;\n```\n- next"
        );
    }

    #[test]
    fn indented_fence_becomes_a_top_level_fence() {
        assert_eq!(
            check("- item\n    ```rust\n    code\n    ```"),
            "- item\n```text\ncode\n```"
        );
    }

    #[test]
    fn indented_code_becomes_a_text_fence() {
        assert_eq!(
            check("Example:\n\n    fn main() {\n\n        x();\n    }\n\nAfter."),
            "Example:\n\n```text\nfn main() {\n\n    x();\n}\n```\n\nAfter."
        );
        assert_eq!(check("    starts indented"), "```text\nstarts indented\n```");
        assert_eq!(check("\tTabbed"), "```text\nTabbed\n```");
        assert_eq!(check("# Heading\n    code"), "# Heading\n```text\ncode\n```");
    }

    #[test]
    fn indented_code_containing_fences_gets_a_longer_fence() {
        assert_eq!(check("    ```\n    x\n    ```"), "````text\n```\nx\n```\n````");
    }

    #[test]
    fn paragraph_continuation_keeps_indentation() {
        assert_eq!(check("para\n    continued"), "para\n    continued");
    }

    #[test]
    fn list_continuation_paragraph_is_not_code() {
        assert_eq!(check("- item\n\n  more"), "- item\n\n  more");
        assert_eq!(check("1.  item\n\n    more text"), "1. item\n\n   more text");
        assert_eq!(check("- a\n  - b\n\n    more b"), "- a\n  - b\n\n  more b");
        assert_eq!(check("- item\n\nafter"), "- item\n\nafter");
        assert_eq!(check("- item\n\n      code"), "- item\n\n```text\ncode\n```");
    }

    #[test]
    fn list_item_with_indented_code_is_flattened() {
        assert_eq!(check("-      code"), "- code");
    }

    #[test]
    fn blockquotes() {
        assert_eq!(check("> quoted\n> text"), "> quoted\n> text");
        assert_eq!(check(">```rust\n>x\n>```"), "> ```text\n> x\n> ```");
        assert_eq!(check("> ```rust\n> x\nout"), "> ```text\n> x\n> ```\nout");
        assert_eq!(check("> a\n>\n>     code"), "> a\n>\n> ```text\n> code\n> ```");
        assert_eq!(check("- > ```\n  > x"), "> -\n> ```text\n> x\n> ```");
    }

    #[test]
    fn brackets_are_escaped_outside_links() {
        assert_eq!(check("see [id] and [a][b]"), "see \\[id\\] and \\[a\\]\\[b\\]");
        assert_eq!(check("[x](https://a.com)"), "[x](https://a.com)");
        assert_eq!(check("![logo](https://a.com/l.png)"), "![logo](https://a.com/l.png)");
        assert_eq!(check("[a [b] c](https://a.com/(x))"), "[a \\[b\\] c](https://a.com/(x))");
        assert_eq!(check("already \\[escaped\\]"), "already \\[escaped\\]");
        assert_eq!(check("`[in code]`"), "`[in code]`");
        assert_eq!(check("- [ ] task"), "- \\[ \\] task");
        assert_eq!(check("[x](not a url)"), "\\[x\\](not a url)");
        assert_eq!(check("[t](https://a.com \"title\")"), "[t](https://a.com \"title\")");
    }

    #[test]
    fn path_like_links_keep_only_their_text() {
        assert_eq!(check("see [the docs](Docs)"), "see the docs");
        assert_eq!(check("[x]()"), "x");
        assert_eq!(check("[section](#anchor)"), "[section](#anchor)");
        assert_eq!(check("[rel](users/get)"), "[rel](users/get)");
    }

    #[test]
    fn bare_urls_are_wrapped() {
        assert_eq!(check("Go to https://example.com."), "Go to <https://example.com>.");
        assert_eq!(check("(http://a.com/x_(y))"), "(<http://a.com/x_(y)>)");
        assert_eq!(check("http://a.com/q?x=1&y=2, then"), "<http://a.com/q?x=1&y=2>, then");
        assert_eq!(check("<https://kept.com>"), "<https://kept.com>");
        assert_eq!(check("[https://a.com](https://a.com)"), "[https://a.com](https://a.com)");
        assert_eq!(check("`https://code.com`"), "`https://code.com`");
        assert_eq!(check("http:// alone"), "http:// alone");
        assert_eq!(check("https://a.com/a\\_b"), "<https://a.com/a_b>");
    }

    #[test]
    fn angle_brackets_are_escaped() {
        assert_eq!(check("a <b"), "a &lt;b");
        assert_eq!(check("Vec<String> and <id>"), "Vec&lt;String> and &lt;id>");
        assert_eq!(check("line<br>break"), "line<br>break");
        assert_eq!(check("<br>"), "&lt;br>");
        assert_eq!(check("`<tag>`"), "`<tag>`");
        assert_eq!(check("<!-- comment -->"), "&lt;!-- comment -->");
        assert_eq!(check("mail <a.b+c@example.com>"), "mail <a.b+c@example.com>");
        assert_eq!(check("not <a@b c>"), "not &lt;a@b c>");
    }

    #[test]
    fn balanced_inline_tags_are_kept_in_markdown() {
        let md = "### Auth\n\nSend `Bearer <token>` as <b>Authorization</b>, <i>not</i> <code>x</code>.";
        assert_eq!(check(md), md);
        assert_eq!(check("a <B>x\ny</B> z"), "a <B>x\ny</B> z");
        assert_eq!(check("a <b>x"), "a &lt;b>x");
        assert_eq!(check("a </b>x"), "a &lt;/b>x");
        assert_eq!(check("a <b><i>x</b></i>"), "a &lt;b><i>x&lt;/b></i>");
        assert_eq!(check("<b>\nalone\n</b>"), "&lt;b>\nalone\n&lt;/b>");
        assert_eq!(check("<b>Note:</b> x"), "<b>Note:</b> x");
        assert_eq!(check("a <b>x\n\ny</b>"), "a &lt;b>x\n\ny&lt;/b>");
        assert_eq!(check("a <b class=\"x\">y</b>"), "a &lt;b class=\"x\">y&lt;/b>");
        assert_eq!(check("[<b>x</b>](https://a.com)"), "[<b>x</b>](https://a.com)");
    }

    #[test]
    fn html_is_converted() {
        assert_eq!(check("<p>Hello <b>world</b></p><p>Second</p>"), "Hello **world**\n\nSecond");
        assert_eq!(check("<ul><li>one</li><li>two</li></ul>"), "- one\n- two");
        assert_eq!(
            check("<p>See <a href=\"https://example.com/x\">the site</a>.</p>"),
            "See [the site](https://example.com/x)."
        );
        assert_eq!(check("<p>Use <code>a &lt; b</code></p>"), "Use `a < b`");
        let pre = check("<pre><code class=\"language-rust\">fn main() {}\n</code></pre>");
        assert_eq!(pre, "```text\nfn main() {}\n```");
        assert_eq!(check("<p>a</p><pre>let x = 1;\n  y</pre>"), "a\n\n```text\nlet x = 1;\n  y\n```");
        assert_eq!(check("<pre>```\nx\n```</pre>"), "````text\n```\nx\n```\n````");
        assert_eq!(check("<pre>a &lt; b_*</pre>"), "```text\na < b_*\n```");
        assert_eq!(check("<P>Upper <B>case</B></P>"), "Upper **case**");
    }

    #[test]
    fn html_tables_and_unknown_tags_are_safe() {
        let out = check("<table><tr><th>a</th></tr><tr><td>1 &lt;x&gt;</td></tr></table>");
        assert!(out.contains('a') && out.contains('1'), "{out}");
        check("<div><custom-tag>x</custom-tag><tr>orphan</tr> a <b</div>");
        check("<p>text</p><script>alert(1)</script><style>p{}</style>");
    }

    #[test]
    fn html_detection() {
        assert!(looks_like_html("<p>x</p>"));
        assert!(!looks_like_html("a <B>b</B>"));
        assert!(looks_like_html("a <SPAN>b</SPAN>"));
        assert!(looks_like_html("<a href=\"x\">y</a>"));
        assert!(looks_like_html("x<br/><p>"));
        assert!(!looks_like_html("a<br>b"));
        assert!(!looks_like_html("Vec<String>"));
        assert!(!looks_like_html("use `<p>` for paragraphs"));
        assert!(!looks_like_html("```\n<p>\n```"));
        assert!(!looks_like_html("a < b > c"));
        assert!(!looks_like_html("<abbrev>"));
    }

    #[test]
    fn markdown_with_br_in_tables_is_kept() {
        let md = "| a | b |\n| --- | --- |\n| x<br>y | z |";
        assert_eq!(check(md), md);
    }

    #[test]
    fn hostile_input() {
        let out = check("*/ \"# #[doc = \"\"] ``` } { \u{202e}evil");
        assert!(!out.contains('\u{202e}'));
        assert!(out.contains("#\\[doc = \"\"\\]"), "{out}");
        check("/*");
        check("*/\n/*\n*/");
        check("#![deny(warnings)]\n#[doc = \"x\"]");
        check("```rust\n```\n```\n```");
        check("~~~\n```\n~~~");
        check(">>>> ```\n>> ```");
        check("1. ```\n2) ~~~\n- - - ```");
        check("\\");
        check("a\\\nb");
        check("[[[[[[](((((");
        check("]]]]))))");
        check("<<<<>>>>");
        check("````````````````");
        check("<https://a.com/\u{202e}>");
        check("\u{0}\u{1b}[31mred\u{1b}[0m");
    }

    #[test]
    fn inline_text_is_one_safe_line() {
        assert_eq!(inline_text("Get  user\n by id"), "Get user by id");
        assert_eq!(inline_text("```rust"), "\\```rust");
        assert_eq!(inline_text("# x"), "\\# x");
        assert_eq!(inline_text("- x"), "\\- x");
        assert_eq!(inline_text("12. x"), "12\\. x");
        assert_eq!(inline_text("12 x"), "12 x");
        assert_eq!(inline_text("a [b] <c> https://x.com"), "a \\[b\\] &lt;c> <https://x.com>");
        assert_eq!(inline_text("\u{202e}\u{0}"), "");
        assert_eq!(inline_text("<p>kept as text</p>"), "&lt;p>kept as text&lt;/p>");
        for input in ["```", "~~~", "    code", "> ```", "1. ```", "\tx", "<b>", "*/"] {
            let doc = format!("Postman item: {}\nnext", inline_text(input));
            assert_no_doctest(&doc);
            assert_no_raw_html(&doc);
            assert_no_doctest(&inline_text(input));
        }
    }

    #[test]
    fn output_is_trimmed() {
        assert_eq!(check("\n\n  text  \n\n"), "text");
    }

    #[test]
    fn short_combinations_never_panic() {
        let alphabet: Vec<char> = "<>[]`*/\n #{}\u{202e}é中".chars().collect();
        let mut combos = Vec::new();
        for &a in &alphabet {
            combos.push(a.to_string());
            for &b in &alphabet {
                combos.push(format!("{a}{b}"));
                for &c in &alphabet {
                    combos.push(format!("{a}{b}{c}"));
                }
            }
        }
        for input in &combos {
            let out = to_rustdoc(input);
            assert_no_doctest(&out);
            assert_no_raw_html(&out);
            // Repeated and indented variants exercise the block rules.
            for variant in [format!("    {input}\n{input}"), format!("x\n\n\t{input}\n\n{input}```")] {
                let out = to_rustdoc(&variant);
                assert_no_doctest(&out);
                assert_no_raw_html(&out);
            }
            let name = crate::names::ident(input, crate::names::Case::Snake);
            assert!(syn::parse_str::<syn::Ident>(&name).is_ok(), "{input:?} -> {name:?}");
        }
    }

    #[test]
    fn large_input_is_fast() {
        let chunk = "Some text with [a link](https://a.com) and `code` <b>\n\n    indented\n\n```rust\nx\n```\n";
        let big = chunk.repeat(5_000);
        let start = std::time::Instant::now();
        let out = to_rustdoc(&big);
        assert!(!out.is_empty());
        assert!(start.elapsed().as_secs() < 10, "took {:?}", start.elapsed());
    }

    #[test]
    fn deeply_nested_html_stays_markdown() {
        let out = check(&"<b>".repeat(5_000));
        assert!(out.starts_with("&lt;b>&lt;b>"), "{}", &out[..40]);
        let out = check(&format!("{}x{}", "<div>".repeat(300), "</div>".repeat(300)));
        assert!(out.starts_with("&lt;div>"));
        let out = check(&format!("{}x{}", "<div>".repeat(200), "</div>".repeat(200)));
        assert_eq!(out, "x");
    }

    #[test]
    fn flat_html_is_not_too_deep() {
        let html = format!("<ul>{}</ul><p>{}", "<li>x".repeat(1_000), "<p>y<br>".repeat(1_000));
        assert!(!html_too_deep(&html));
        let out = check(&html);
        assert!(out.starts_with("- x\n- x"), "{}", &out[..20]);
    }

    #[test]
    fn pathological_input_is_linear() {
        let start = std::time::Instant::now();
        let mut ticks = String::new();
        for n in 1..400 {
            ticks.push_str(&"`".repeat(n));
            ticks.push(' ');
        }
        for input in [
            "[".repeat(100_000),
            "](".repeat(50_000),
            "[a](".repeat(30_000),
            "(".repeat(100_000) + "http://a.com/" + &")".repeat(100_000),
            format!("https://a.com/{}", ")".repeat(100_000)),
            "<".repeat(100_000),
            "<a".repeat(50_000),
            "![".repeat(50_000),
            ticks,
            "> ".repeat(50_000) + "x",
            "- ".repeat(50_000) + "x",
        ] {
            let out = to_rustdoc(&input);
            assert_no_doctest(&out);
        }
        assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
    }

    /// Every 3-line combination of tricky Markdown lines goes through rustdoc: none may
    /// produce a doctest. Run with `cargo test -p postman-codegen --lib docs -- --ignored`.
    #[test]
    #[ignore = "spawns rustdoc; slow"]
    fn rustdoc_finds_no_doctest_in_line_combinations() {
        use quote::quote;
        let lines = [
            "",
            "text",
            "- item",
            "2. item",
            "-",
            "> q",
            ">",
            "    boom!();",
            "  boom!();",
            "\tboom!();",
            "```",
            "```rust",
            "~~~",
            "# h",
            "---",
            "<b>",
            "| a |",
            "- ```",
            "-     boom!();",
            ">     boom!();",
            "  > ```",
            "   ```",
            "      - boom!();",
            "boom!();",
        ];
        let mut items = Vec::new();
        for a in lines {
            for b in lines {
                for c in lines {
                    let doc = to_rustdoc(&format!("{a}\n{b}\n{c}\n    boom!();"));
                    let doc_lines = doc.lines().map(|l| format!(" {l}"));
                    let name = quote::format_ident!("F{}", items.len());
                    items.push(quote! { #(#[doc = #doc_lines])* pub struct #name; });
                }
            }
        }
        let file = quote! { #(#items)* };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lib.rs");
        std::fs::write(&path, file.to_string()).unwrap();
        let output = std::process::Command::new("rustdoc")
            .args(["--edition", "2021", "--crate-type", "lib", "--crate-name", "combos", "--test"])
            .arg(&path)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{stdout}");
        assert!(stdout.contains("running 0 tests"), "{}", &stdout[..stdout.len().min(5000)]);
    }

    /// Feeds hostile descriptions through rustdoc: the doctests must not exist and the docs must
    /// build under `-D warnings`. Run with `cargo test -p postman-codegen --lib docs -- --ignored`.
    #[test]
    #[ignore = "spawns rustdoc; slow"]
    fn rustdoc_accepts_the_output() {
        use quote::quote;
        let inputs = [
            "Plain text with [brackets] and [a link](https://example.com) and [path](Foo).",
            "```\nfn main() { compile_error!(\"doctest ran\"); }\n```",
            "```rust\ncompile_error!(\"doctest ran\");\n```",
            "Intro:\n\n    compile_error!(\"doctest ran\");\n",
            "- item\n- ```\n  compile_error!(\"doctest ran\");\n  ```",
            "- item\n\n      compile_error!(\"doctest ran\");",
            "> ```\n> compile_error!(\"doctest ran\");\n> ```",
            "> a\n>\n>     compile_error!(\"doctest ran\");",
            "text\n2. ```rust\n\n    compile_error!(\"doctest ran\");\n```",
            "1.  item\n\n    more text\n\n        compile_error!(\"doctest ran\");",
            "# Heading\n    compile_error!(\"doctest ran\");",
            "<p>HTML <b>bold</b> <a href=\"https://x.com\">link</a></p><pre><code>compile_error!(\"doctest ran\");</code></pre>",
            "<table><tr><td>a</td></tr></table><unknown> a <b",
            "Bare https://example.com/path?q=1 and http://a.b/c_(d).",
            "Generic Vec<String> and <T> and <br> mid<br>line and <!-- x -->",
            "*/ \"# #[doc = \"\"] ``` } { \u{202e}evil `unclosed",
            "~~~\ncompile_error!(\"doctest ran\");",
            "- a\n    - b\n        - c\n\n    compile_error!(\"doctest ran\");",
            "[^1] footnote and [ ] task",
            "Markdown with <b>bold</b>, <code>x</code>, <i>unbalanced and <b><i>x</b></i>",
            "<b>\nalone\n</b>\n\n<b>Note:</b> `<code>` in a span",
            "<pre>compile_error!(\"doctest ran\");</pre>",
            "- loose\n\n  continued\n\n      compile_error!(\"doctest ran\");",
        ];
        let items = inputs.iter().enumerate().map(|(i, input)| {
            let doc = format!(
                "{}\n\nPostman item: {}\n{}",
                to_rustdoc(input),
                inline_text(input),
                inline_text(input)
            );
            let lines = doc.lines().map(|l| format!(" {l}"));
            let name = quote::format_ident!("F{i}");
            quote! { #(#[doc = #lines])* pub struct #name; }
        });
        let file = quote! { #![deny(warnings)] #(#items)* };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lib.rs");
        std::fs::write(&path, file.to_string()).unwrap();
        for extra in [&["--test"][..], &["-D", "warnings", "--out-dir"][..]] {
            let mut cmd = std::process::Command::new("rustdoc");
            cmd.args(["--edition", "2021", "--crate-type", "lib", "--crate-name", "docs_check"]);
            cmd.args(extra);
            if extra.len() > 1 {
                cmd.arg(dir.path().join("doc"));
            }
            let output = cmd.arg(&path).output().unwrap();
            let stdout = String::from_utf8_lossy(&output.stdout);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(output.status.success(), "{extra:?}\n{stdout}\n{stderr}");
            assert!(!stderr.contains("warning"), "{extra:?}\n{stderr}");
            if extra[0] == "--test" {
                assert!(stdout.contains("running 0 tests"), "{stdout}");
            }
        }
    }
}
