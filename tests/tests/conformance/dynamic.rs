//! Postman's dynamic variables (`{{$guid}}`, `{{$timestamp}}`, `{{$randomFirstName}}` …) compared
//! by shape: each side makes a fresh value per occurrence, so where the collection's template of
//! a part holds one, both recorded values must match the template with every dynamic occurrence
//! replaced by a value of that variable's shape, and agree on everything around it.
//!
//! A template is cut into literal text (compared exactly, decoded as the part is decoded),
//! `{{variables}}` (any text, the same on both sides) and dynamic occurrences (a value of the
//! variable's shape; see [`shape_ok`]). A JSON body's template is read as JSON with its
//! `{{…}}` occurrences kept as markers, so that key order and whitespace do not matter and every
//! value without a dynamic occurrence is compared exactly.

use postman_codegen::ir::{Body, Operation, UrlPart};
use serde_json::Value;

use super::compare::{form_decode, percent_decode};

/// The time the run took (Unix milliseconds, with a second of slack each side):
/// `$timestamp` and `$isoTimestamp` must fall inside.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub from_ms: i64,
    pub to_ms: i64,
}

impl Window {
    /// From `from_ms` to `to_ms`, widened by a second each side (`$timestamp` rounds).
    pub fn new(from_ms: i64, to_ms: i64) -> Window {
        Window { from_ms: from_ms - 1000, to_ms: to_ms + 1000 }
    }

    fn contains(&self, ms: i64) -> bool {
        (self.from_ms..=self.to_ms).contains(&ms)
    }
}

/// Whether Postman defines the dynamic variable `name` (with its `$`).
pub fn is_known(name: &str) -> bool {
    postman_codegen_runtime::runtime::dynamic::NAMES.contains(&name)
}

/// Whether `value` has the shape of dynamic variable `name`: what Postman's generator (faker.js)
/// and the generated runtime (`runtime/dynamic.rs`) both produce.
pub fn shape_ok(name: &str, value: &str, window: &Window) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let hex = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
    let decimal = |s: &str, limit: f64| {
        let unsigned = s.strip_prefix('-').unwrap_or(s);
        unsigned.split_once('.').is_some_and(|(i, f)| digits(i) && digits(f)) && s.parse::<f64>().is_ok_and(|v| v.abs() <= limit)
    };
    // One line of printable text: what every faker word, name and phrase is.
    let line = |s: &str| !s.is_empty() && !s.chars().any(char::is_control);
    let token = |s: &str| line(s) && !s.contains(' ');
    match name {
        "$guid" | "$randomUUID" => {
            let parts: Vec<&str> = value.split('-').collect();
            parts.len() == 5
                && [8, 4, 4, 4, 12].iter().zip(&parts).all(|(n, p)| hex(p, *n))
                && value == value.to_ascii_lowercase()
                && parts[2].starts_with('4')
                && parts[3].starts_with(['8', '9', 'a', 'b'])
        }
        "$timestamp" => digits(value) && value.parse::<i64>().is_ok_and(|s| window.contains(s * 1000)),
        "$isoTimestamp" => iso_millis(value).is_some_and(|ms| window.contains(ms)),
        "$randomInt" => digits(value) && value.parse::<u32>().is_ok_and(|n| n <= 1000),
        "$randomPhoneNumber" | "$randomPhoneNumberExt" => {
            value.split('-').all(digits) && value.bytes().filter(u8::is_ascii_digit).count() >= 7
        }
        "$randomLatitude" => decimal(value, 90.0),
        "$randomLongitude" => decimal(value, 180.0),
        "$randomPrice" => decimal(value, 1e9),
        "$randomBankAccount" | "$randomCreditCardMask" => digits(value),
        "$randomBoolean" => value == "true" || value == "false",
        "$randomEmail" | "$randomExampleEmail" => {
            token(value) && value.split_once('@').is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.'))
        }
        "$randomUrl" | "$randomAvatarImage" | "$randomImageUrl" => {
            token(value) && (value.starts_with("http://") || value.starts_with("https://"))
        }
        "$randomImageDataUri" => token(value) && value.starts_with("data:image/"),
        "$randomIP" => value.parse::<std::net::Ipv4Addr>().is_ok(),
        "$randomIPV6" => value.parse::<std::net::Ipv6Addr>().is_ok(),
        "$randomHexColor" => value.strip_prefix('#').is_some_and(|h| hex(h, 6)),
        "$randomMACAddress" => value.split(':').count() == 6 && value.split(':').all(|p| hex(p, 2)),
        "$randomProtocol" => value == "http" || value == "https",
        "$randomSemver" => value.split('.').count() == 3 && value.split('.').all(digits),
        "$randomAlphaNumeric" => value.chars().count() == 1 && value.chars().all(|c| c.is_ascii_alphanumeric()),
        "$randomDatePast" | "$randomDateFuture" | "$randomDateRecent" => js_date(value),
        "$randomLocale" | "$randomCountryCode" | "$randomCurrencyCode" | "$randomDomainName" | "$randomDomainSuffix"
        | "$randomDomainWord" | "$randomUserName" | "$randomPassword" | "$randomLoremSlug" | "$randomBitcoin"
        | "$randomBankAccountIban" | "$randomBankAccountBic" | "$randomMimeType" | "$randomDirectoryPath" => token(value),
        // Paragraphs and lines: several lines of text.
        "$randomLoremParagraphs" | "$randomLoremLines" | "$randomLoremText" => {
            !value.trim().is_empty() && value.chars().all(|c| !c.is_control() || matches!(c, '\n' | '\r'))
        }
        _ if is_known(name) => line(value),
        _ => false,
    }
}

/// `2024-01-02T03:04:05.678Z` as Unix milliseconds.
fn iso_millis(value: &str) -> Option<i64> {
    let b = value.as_bytes();
    if b.len() != 24 || &value[23..] != "Z" || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'.' {
        return None;
    }
    let n = |r: std::ops::Range<usize>| value.get(r).filter(|s| s.bytes().all(|c| c.is_ascii_digit())).and_then(|s| s.parse::<i64>().ok());
    let (y, m, d) = (n(0..4)?, n(5..7)?, n(8..10)?);
    let (hh, mm, ss, ms) = (n(11..13)?, n(14..16)?, n(17..19)?, n(20..23)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400_000 + hh * 3_600_000 + mm * 60_000 + ss * 1000 + ms)
}

/// JavaScript's `Date.prototype.toString()`: `Wed Sep 16 2026 23:38:52 GMT+0000 (…)`.
fn js_date(value: &str) -> bool {
    let words: Vec<&str> = value.splitn(6, ' ').collect();
    let num = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    words.len() >= 6
        && ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].contains(&words[0])
        && ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].contains(&words[1])
        && num(words[2], 2)
        && num(words[3], 4)
        && words[4].split(':').count() == 3
        && words[4].split(':').all(|p| num(p, 2))
        && words[5].strip_prefix("GMT").is_some_and(|z| z.len() >= 5 && z.starts_with(['+', '-']) && num(&z[1..5], 4))
}

/// One piece of a template.
#[derive(Debug, Clone, PartialEq)]
enum Seg {
    /// Text sent as written (decoded as its part is decoded).
    Lit(String),
    /// A `{{variable}}`: any text, the same on both sides.
    Var,
    /// A dynamic variable: a value of its shape, independently on each side.
    Dyn(String),
}

/// A template with at least one dynamic occurrence.
#[derive(Debug, Clone, PartialEq)]
pub struct Pattern(Vec<Seg>);

/// Marks a `{{…}}` occurrence inside a JSON template (characters of Unicode's private use area,
/// which no template holds).
const OPEN: char = '\u{E000}';
const CLOSE: char = '\u{E001}';

impl Pattern {
    /// `template`'s pattern, literal text decoded with `decode`; `None` when it holds no
    /// dynamic variable Postman defines (then values are compared exactly).
    pub fn parse(template: &str, decode: &dyn Fn(&str) -> String) -> Option<Pattern> {
        let mut segs = Vec::new();
        let mut rest = template;
        let mut literal = String::new();
        while let Some(start) = rest.find("{{") {
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else { break };
            let name = after[..end].trim();
            literal.push_str(&rest[..start]);
            if name.starts_with('$') && !is_known(name) {
                // Postman leaves an unknown `{{$name}}` as it is.
                literal.push_str(&rest[start..start + 2 + end + 2]);
            } else {
                push_lit(&mut segs, &mut literal, decode);
                segs.push(if name.starts_with('$') { Seg::Dyn(name.to_owned()) } else { Seg::Var });
            }
            rest = &after[end + 2..];
        }
        literal.push_str(rest);
        push_lit(&mut segs, &mut literal, decode);
        segs.iter().any(|s| matches!(s, Seg::Dyn(_))).then_some(Pattern(segs))
    }

    /// The pattern of a JSON template string whose `{{…}}` occurrences are markers
    /// ([`json_template`]) naming `names`.
    fn from_marked(text: &str, names: &[String]) -> Option<Pattern> {
        let mut template = String::new();
        let mut rest = text;
        while let Some(start) = rest.find(OPEN) {
            template.push_str(&rest[..start]);
            let after = &rest[start + OPEN.len_utf8()..];
            let end = after.find(CLOSE)?;
            let name = names.get(after[..end].parse::<usize>().ok()?)?;
            template.push_str(&format!("{{{{{name}}}}}"));
            rest = &after[end + CLOSE.len_utf8()..];
        }
        template.push_str(rest);
        Pattern::parse(&template, &|s| s.to_owned())
    }

    /// The dynamic variables it holds, in order.
    pub fn names(&self) -> Vec<&str> {
        self.0.iter().filter_map(|s| if let Seg::Dyn(n) = s { Some(n.as_str()) } else { None }).collect()
    }

    /// Whether `a` and `b` both match, each dynamic occurrence with a value of its shape, and
    /// every `{{variable}}` with the same text on both sides.
    pub fn matches_pair(&self, a: &str, b: &str, window: &Window) -> bool {
        let mut budget = 200_000usize;
        let mut captures = Vec::new();
        walk(&self.0, a, window, &mut captures, &mut budget, &mut |vars| {
            // `b` with the variables `a` gave them.
            let fixed: Vec<Seg> = {
                let mut vars = vars.iter();
                self.0
                    .iter()
                    .map(|s| match s {
                        Seg::Var => Seg::Lit(vars.next().cloned().unwrap_or_default()),
                        other => other.clone(),
                    })
                    .collect()
            };
            let mut inner_budget = 200_000usize;
            walk(&fixed, b, window, &mut Vec::new(), &mut inner_budget, &mut |_| true)
        })
    }
}

fn push_lit(segs: &mut Vec<Seg>, literal: &mut String, decode: &dyn Fn(&str) -> String) {
    if !literal.is_empty() {
        segs.push(Seg::Lit(decode(literal)));
        literal.clear();
    }
}

/// Backtracking match of `segs` against all of `text`; `done` gets the texts of the `Var`
/// segments of each complete match and says whether to accept it.
fn walk(
    segs: &[Seg],
    text: &str,
    window: &Window,
    vars: &mut Vec<String>,
    budget: &mut usize,
    done: &mut dyn FnMut(&[String]) -> bool,
) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    let Some((first, rest)) = segs.split_first() else {
        return text.is_empty() && done(vars);
    };
    match first {
        Seg::Lit(lit) => text.strip_prefix(lit.as_str()).is_some_and(|tail| walk(rest, tail, window, vars, budget, done)),
        Seg::Var | Seg::Dyn(_) => {
            let ends = text.char_indices().map(|(i, _)| i).skip(1).chain([text.len()]);
            let ends: Vec<usize> = if matches!(first, Seg::Var) { [0].into_iter().chain(ends).collect() } else { ends.collect() };
            for end in ends {
                let (piece, tail) = text.split_at(end);
                // A literal next must follow right here.
                if let Some(Seg::Lit(next)) = rest.first() {
                    if !tail.starts_with(next.as_str()) {
                        continue;
                    }
                }
                match first {
                    Seg::Dyn(name) => {
                        if shape_ok(name, piece, window) && walk(rest, tail, window, vars, budget, done) {
                            return true;
                        }
                    }
                    _ => {
                        vars.push(piece.to_owned());
                        let ok = walk(rest, tail, window, vars, budget, done);
                        vars.pop();
                        if ok {
                            return true;
                        }
                    }
                }
            }
            false
        }
    }
}

/// A JSON body template: the body text with every `{{…}}` occurrence a marker inside a JSON
/// string (an occurrence outside a string, `"n": {{count}}`, becomes a string of its own), and
/// the names the markers stand for. `None` when the text is not JSON even so, or holds no
/// dynamic variable.
pub fn json_template(raw: &str) -> Option<(Value, Vec<String>)> {
    let mut names: Vec<String> = Vec::new();
    let mut out = String::with_capacity(raw.len());
    let mut in_string = false;
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '{' && raw[i..].starts_with("{{") {
            if let Some(end) = raw[i + 2..].find("}}") {
                let name = raw[i + 2..i + 2 + end].trim().to_owned();
                let marker = format!("{OPEN}{}{CLOSE}", names.len());
                names.push(name);
                if in_string {
                    out.push_str(&marker);
                } else {
                    out.push('"');
                    out.push_str(&marker);
                    out.push('"');
                }
                let stop = i + 2 + end + 2;
                while chars.peek().is_some_and(|(j, _)| *j < stop) {
                    chars.next();
                }
                continue;
            }
        }
        if in_string {
            out.push(c);
            match c {
                '\\' => {
                    if let Some((_, n)) = chars.next() {
                        out.push(n);
                    }
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match (c, chars.peek().map(|(_, n)| *n)) {
            ('"', _) => {
                in_string = true;
                out.push(c);
            }
            // Comments, as Postman strips them from a JSON body.
            ('/', Some('/')) => {
                while chars.peek().is_some_and(|(_, n)| *n != '\n') {
                    chars.next();
                }
            }
            ('/', Some('*')) => {
                chars.next();
                let mut previous = ' ';
                for (_, n) in chars.by_ref() {
                    if previous == '*' && n == '/' {
                        break;
                    }
                    previous = n;
                }
            }
            _ => out.push(c),
        }
    }
    if !names.iter().any(|n| n.starts_with('$') && is_known(n)) {
        return None;
    }
    let value: Value = serde_json::from_str(&out).ok()?;
    Some((value, names))
}

/// Whether JSON values `a` and `b` are equal where `template` holds no dynamic variable and
/// match it by shape where it does; `used` collects the dynamic variables compared by shape.
pub fn json_matches(template: Option<&Value>, names: &[String], a: &Value, b: &Value, window: &Window, used: &mut Vec<String>) -> bool {
    if let Some(Value::String(text)) = template {
        if let Some(pattern) = Pattern::from_marked(text, names) {
            let scalar = |v: &Value| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(_) | Value::Bool(_) => Some(v.to_string()),
                _ => None,
            };
            return match (scalar(a), scalar(b)) {
                // A dynamic value renders to a string or a bare JSON scalar; both sides must
                // give the same JSON type.
                (Some(x), Some(y)) if std::mem::discriminant(a) == std::mem::discriminant(b) => {
                    let ok = pattern.matches_pair(&x, &y, window);
                    if ok {
                        used.extend(pattern.names().into_iter().map(str::to_owned));
                    }
                    ok
                }
                _ => false,
            };
        }
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, va)| {
                    y.get(k).is_some_and(|vb| json_matches(template.and_then(|t| t.get(k)), names, va, vb, window, used))
                })
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len()
                && x.iter().zip(y).enumerate().all(|(i, (va, vb))| json_matches(template.and_then(|t| t.get(i)), names, va, vb, window, used))
        }
        _ => a == b,
    }
}

/// The templates of one request's parts that hold a dynamic variable.
#[derive(Debug, Default)]
pub struct Templates {
    /// The URL path after the origin (the origin's own path is a `{{variable}}`).
    pub path: Option<Pattern>,
    /// Query values by name, in order.
    pub query: Vec<(String, Pattern)>,
    /// Header values by lower-case name.
    pub headers: Vec<(String, Pattern)>,
    /// A JSON body's template and its marker names.
    pub json: Option<(Value, Vec<String>)>,
    /// A text body.
    pub text: Option<Pattern>,
    /// Form fields and multipart text parts by name.
    pub form: Vec<(String, Pattern)>,
}

impl Templates {
    /// What `op`'s collection values say.
    pub fn of(op: &Operation) -> Templates {
        let same = |s: &str| s.to_owned();
        let mut path = String::from("{{origin}}");
        for part in op.url.iter().skip(1) {
            match part {
                UrlPart::Literal(text) => path.push_str(text),
                UrlPart::Param(i) => {
                    let param = &op.path_params[*i];
                    path.push_str(&param.example.clone().unwrap_or_else(|| format!(":{}", param.name)));
                }
            }
        }
        let query = op
            .query
            .iter()
            .filter(|q| q.enabled)
            .map(|q| (q.name.clone(), q.example.clone().unwrap_or_default()))
            .chain(op.runtime_query.iter().cloned())
            .filter_map(|(k, v)| Some((form_decode(&k), Pattern::parse(&v, &|s| form_decode(s))?)))
            .collect();
        let headers = op.headers.iter().filter_map(|(k, v)| Some((k.to_ascii_lowercase(), Pattern::parse(v, &same)?))).collect();
        let mut out = Templates { path: Pattern::parse(&path, &|s| percent_decode(s)), query, headers, ..Templates::default() };
        match &op.body {
            Body::Json { raw, .. } => out.json = json_template(raw),
            Body::Text { example } => out.text = Pattern::parse(example, &same),
            Body::UrlEncoded { fields } | Body::FormData { fields } => {
                out.form = fields
                    .iter()
                    .filter(|f| f.required && !f.file)
                    .filter_map(|f| Some((f.name.clone(), Pattern::parse(f.example.as_deref()?, &same)?)))
                    .collect();
            }
            _ => {}
        }
        out
    }

    /// The pattern of the `nth` value named `name` in `list`.
    pub fn nth<'a>(list: &'a [(String, Pattern)], name: &str, nth: usize) -> Option<&'a Pattern> {
        list.iter().filter(|(k, _)| k == name).nth(nth).map(|(_, p)| p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use postman_codegen_runtime::runtime::dynamic::{value, FixedEntropy, SystemEntropy, NAMES};

    fn window() -> Window {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as i64;
        Window::new(now, now)
    }
    use std::time::{SystemTime, UNIX_EPOCH};

    #[test]
    fn every_runtime_value_has_its_shape() {
        let entropy = SystemEntropy::default();
        let w = window();
        for name in NAMES {
            for _ in 0..300 {
                let v = value(name, &entropy).unwrap();
                assert!(shape_ok(name, &v, &w), "{name}: `{v}`");
            }
        }
    }

    #[test]
    fn shapes_reject_other_values() {
        let w = window();
        assert!(!shape_ok("$guid", "not-a-guid", &w));
        assert!(!shape_ok("$guid", "1584EAC2-CC35-4039-9630-D17BEEBBFA5B", &w));
        assert!(!shape_ok("$randomInt", "1001", &w));
        assert!(!shape_ok("$timestamp", "1000", &w));
        // A fixed clock far from now is outside the run's window.
        let old = value("$isoTimestamp", &FixedEntropy::new(0, 1)).unwrap();
        assert!(!shape_ok("$isoTimestamp", &old, &w));
        assert!(!shape_ok("$randomFirstName", "", &w));
        assert!(!shape_ok("$randomEmail", "nobody", &w));
    }

    #[test]
    fn patterns_keep_the_text_around_exact() {
        let w = window();
        let id = |s: &str| s.to_owned();
        let p = Pattern::parse("Course-{{$guid}}", &id).unwrap();
        let (g1, g2) = ("0d0d4c2a-f23c-48f9-ad50-6fbc0754a505", "2fad0412-501d-4976-80d1-621eb67738d6");
        assert!(p.matches_pair(&format!("Course-{g1}"), &format!("Course-{g2}"), &w));
        assert!(!p.matches_pair(&format!("Course-{g1}"), &format!("Curse-{g2}"), &w));
        assert!(!p.matches_pair(&format!("Course-{g1}"), &format!("Course-{g2}x"), &w));
        let p = Pattern::parse("{{prefix}}-{{$randomInt}}", &id).unwrap();
        assert!(p.matches_pair("a-b-7", "a-b-1000", &w));
        assert!(!p.matches_pair("a-b-7", "a-c-7", &w));
        assert!(Pattern::parse("{{plain}} and {{$unknownThing}}", &id).is_none());
    }

    #[test]
    fn json_templates() {
        let w = window();
        let raw = "{\"code\": \"X-{{$randomInt}}\", // comment\n \"n\": {{$randomInt}}, \"ids\": [ {{org}} ], \"k\": \"fixed\"}";
        let (t, names) = json_template(raw).unwrap();
        let a: Value = serde_json::json!({"code": "X-5", "n": 17, "ids": [4100], "k": "fixed"});
        let b: Value = serde_json::json!({"k": "fixed", "ids": [4100], "n": 999, "code": "X-1000"});
        let mut used = Vec::new();
        assert!(json_matches(Some(&t), &names, &a, &b, &w, &mut used));
        assert_eq!(used, ["$randomInt", "$randomInt"]);
        let c: Value = serde_json::json!({"k": "other", "ids": [4100], "n": 999, "code": "X-1000"});
        assert!(!json_matches(Some(&t), &names, &a, &c, &w, &mut Vec::new()));
        let d: Value = serde_json::json!({"k": "fixed", "ids": [4100], "n": "999", "code": "X-1000"});
        assert!(!json_matches(Some(&t), &names, &a, &d, &w, &mut Vec::new()));
    }
}
