//! Postman's dynamic variables (`{{$guid}}`, `{{$timestamp}}`, `{{$randomEmail}}` …): a fresh
//! value for every occurrence, made when a template is rendered.
//!
//! The five that scripts and servers rely on are made exactly as Postman makes them: `$guid`
//! and `$randomUUID` (lower-case UUID v4), `$timestamp` (Unix seconds, rounded), `$isoTimestamp`
//! (`2024-01-02T03:04:05.678Z`) and `$randomInt` (0 to 1000). Postman makes the other 113 with
//! faker.js; here each gets a value of the same shape (an email address, a city-like name, a JS
//! date string …) from small built-in word lists, so no faker dependency is needed.
//!
//! Clock and randomness come from one [`Entropy`] source, which a test can replace
//! ([`ClientBuilder::entropy`](super::ClientBuilder::entropy)) to make every value
//! deterministic. The default source is not cryptographic (neither is Postman's
//! `Math.random`): do not use these values as secrets.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Where dynamic values get the time and their randomness.
pub trait Entropy: Send + Sync {
    /// Milliseconds since the Unix epoch.
    fn now_millis(&self) -> i64;
    /// A uniformly random 64-bit number.
    fn next_u64(&self) -> u64;
}

/// The system clock and a SplitMix64 sequence seeded per process from the OS (through std's
/// randomly keyed hasher): fast, unpredictable enough for test data, and dependency free.
#[derive(Debug)]
pub struct SystemEntropy {
    state: AtomicU64,
}

impl Default for SystemEntropy {
    fn default() -> Self {
        use std::hash::{BuildHasher, Hasher};
        let seed = std::collections::hash_map::RandomState::new().build_hasher().finish();
        SystemEntropy { state: AtomicU64::new(seed) }
    }
}

impl Entropy for SystemEntropy {
    fn now_millis(&self) -> i64 {
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_millis()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_millis()).unwrap_or(i64::MAX),
        }
    }

    fn next_u64(&self) -> u64 {
        splitmix64_next(&self.state)
    }
}

/// A fixed clock and a seeded sequence: the same values on every run (for tests).
#[derive(Debug)]
pub struct FixedEntropy {
    now_millis: i64,
    state: AtomicU64,
}

impl FixedEntropy {
    /// Time stands still at `now_millis`; random numbers follow from `seed`.
    pub fn new(now_millis: i64, seed: u64) -> Self {
        FixedEntropy { now_millis, state: AtomicU64::new(seed) }
    }
}

impl Entropy for FixedEntropy {
    fn now_millis(&self) -> i64 {
        self.now_millis
    }

    fn next_u64(&self) -> u64 {
        splitmix64_next(&self.state)
    }
}

const GOLDEN_GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

/// The next number of the SplitMix64 sequence whose state is `state` (safe to share).
fn splitmix64_next(state: &AtomicU64) -> u64 {
    splitmix64(state.fetch_add(GOLDEN_GAMMA, Ordering::Relaxed).wrapping_add(GOLDEN_GAMMA))
}

fn splitmix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The source a client's variables render dynamic values with (shared by its clones).
#[derive(Clone)]
pub struct DynamicSource(pub(crate) Arc<dyn Entropy>);

impl Default for DynamicSource {
    fn default() -> Self {
        DynamicSource(Arc::new(SystemEntropy::default()))
    }
}

impl fmt::Debug for DynamicSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DynamicSource")
    }
}

/// The name of every dynamic variable Postman defines, in Postman's order.
pub const NAMES: &[&str] = &[
    "$guid", "$timestamp", "$isoTimestamp", "$randomInt", "$randomPhoneNumber",
    "$randomPhoneNumberExt", "$randomLocale", "$randomWords", "$randomFilePath",
    "$randomDirectoryPath", "$randomCity", "$randomStreetName", "$randomStreetAddress",
    "$randomCountry", "$randomCountryCode", "$randomLatitude", "$randomLongitude", "$randomColor",
    "$randomDepartment", "$randomProductName", "$randomProductAdjective", "$randomProductMaterial",
    "$randomProduct", "$randomCompanyName", "$randomCompanySuffix", "$randomCatchPhrase",
    "$randomBs", "$randomCatchPhraseAdjective", "$randomCatchPhraseDescriptor",
    "$randomCatchPhraseNoun", "$randomBsAdjective", "$randomBsBuzz", "$randomBsNoun",
    "$randomDatabaseColumn", "$randomDatabaseType", "$randomDatabaseCollation",
    "$randomDatabaseEngine", "$randomDatePast", "$randomDateFuture", "$randomDateRecent",
    "$randomMonth", "$randomWeekday", "$randomBankAccount", "$randomBankAccountName",
    "$randomCreditCardMask", "$randomPrice", "$randomTransactionType", "$randomCurrencyCode",
    "$randomCurrencyName", "$randomCurrencySymbol", "$randomBitcoin", "$randomBankAccountIban",
    "$randomBankAccountBic", "$randomAbbreviation", "$randomAdjective", "$randomNoun",
    "$randomVerb", "$randomIngverb", "$randomPhrase", "$randomAvatarImage", "$randomImageUrl",
    "$randomAbstractImage", "$randomAnimalsImage", "$randomBusinessImage", "$randomCatsImage",
    "$randomCityImage", "$randomFoodImage", "$randomNightlifeImage", "$randomFashionImage",
    "$randomPeopleImage", "$randomNatureImage", "$randomSportsImage", "$randomTransportImage",
    "$randomImageDataUri", "$randomEmail", "$randomExampleEmail", "$randomUserName",
    "$randomProtocol", "$randomUrl", "$randomDomainName", "$randomDomainSuffix",
    "$randomDomainWord", "$randomIP", "$randomIPV6", "$randomUserAgent", "$randomHexColor",
    "$randomMACAddress", "$randomPassword", "$randomLoremWord", "$randomLoremWords",
    "$randomLoremSentence", "$randomLoremSlug", "$randomLoremSentences", "$randomLoremParagraph",
    "$randomLoremParagraphs", "$randomLoremText", "$randomLoremLines", "$randomFirstName",
    "$randomLastName", "$randomFullName", "$randomJobTitle", "$randomNamePrefix",
    "$randomNameSuffix", "$randomJobDescriptor", "$randomJobArea", "$randomJobType",
    "$randomUUID", "$randomBoolean", "$randomWord", "$randomAlphaNumeric", "$randomFileName",
    "$randomCommonFileName", "$randomMimeType", "$randomCommonFileType", "$randomCommonFileExt",
    "$randomFileType", "$randomFileExt", "$randomSemver",
];

// Small word lists of our own: values need the right shape, not faker's exact vocabulary.
const FIRST_NAMES: &[&str] = &["Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Liam", "Mira", "Noah", "Olga", "Priya"];
const LAST_NAMES: &[&str] = &["Abbott", "Baker", "Castillo", "Dietrich", "Evans", "Fischer", "Gupta", "Hansen", "Ito", "Jensen", "Kowalski", "Lopez", "Moreau", "Nakamura", "Okafor", "Petrov"];
const PLACE_STEMS: &[&str] = &["North", "Lake", "Port", "East", "West", "South", "New", "Fair", "Green", "Oak"];
const PLACE_TAILS: &[&str] = &["haven", "field", "burgh", "view", "ville", "mouth", "side", "borough", "ford", "port"];
const STREET_TYPES: &[&str] = &["Street", "Avenue", "Road", "Lane", "Drive", "Court", "Way", "Place"];
const COUNTRIES: &[(&str, &str)] = &[("Brazil", "BR"), ("Canada", "CA"), ("Denmark", "DK"), ("Egypt", "EG"), ("France", "FR"), ("Germany", "DE"), ("India", "IN"), ("Japan", "JP"), ("Kenya", "KE"), ("Mexico", "MX"), ("Norway", "NO"), ("Portugal", "PT")];
const COLORS: &[&str] = &["red", "orange", "yellow", "green", "teal", "blue", "indigo", "violet", "white", "black", "silver", "gold"];
const DEPARTMENTS: &[&str] = &["Books", "Garden", "Toys", "Music", "Sports", "Tools", "Health", "Kids", "Outdoors", "Home"];
const ADJECTIVES: &[&str] = &["Practical", "Refined", "Sleek", "Rustic", "Handmade", "Generic", "Ergonomic", "Small", "Gorgeous", "Smart"];
const MATERIALS: &[&str] = &["Steel", "Wooden", "Concrete", "Plastic", "Cotton", "Granite", "Rubber", "Frozen", "Fresh", "Soft"];
const PRODUCTS: &[&str] = &["Chair", "Table", "Shoes", "Hat", "Ball", "Keyboard", "Lamp", "Gloves", "Bike", "Towels"];
const COMPANY_SUFFIXES: &[&str] = &["Inc", "LLC", "Group", "and Sons"];
const BUZZ_ADJECTIVES: &[&str] = &["scalable", "seamless", "robust", "intuitive", "dynamic", "holistic", "proactive", "distributed"];
const BUZZ_VERBS: &[&str] = &["integrate", "leverage", "streamline", "deliver", "empower", "optimize", "orchestrate", "transform"];
const BUZZ_NOUNS: &[&str] = &["platforms", "synergies", "paradigms", "channels", "solutions", "networks", "metrics", "workflows"];
const DB_COLUMNS: &[&str] = &["id", "title", "name", "email", "status", "createdAt", "updatedAt", "token"];
const DB_TYPES: &[&str] = &["int", "varchar", "text", "boolean", "timestamp", "decimal", "blob", "date"];
const DB_COLLATIONS: &[&str] = &["utf8_general_ci", "utf8_bin", "ascii_general_ci", "ascii_bin", "cp1250_bin"];
const DB_ENGINES: &[&str] = &["InnoDB", "MyISAM", "MEMORY", "ARCHIVE", "CSV", "BLACKHOLE"];
const MONTHS: &[&str] = &["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const WEEKDAYS: &[&str] = &["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const ACCOUNT_NAMES: &[&str] = &["Checking Account", "Savings Account", "Money Market Account", "Investment Account", "Credit Card Account"];
const TRANSACTION_TYPES: &[&str] = &["deposit", "withdrawal", "payment", "invoice"];
const CURRENCIES: &[(&str, &str, &str)] = &[("USD", "US Dollar", "$"), ("EUR", "Euro", "€"), ("GBP", "Pound Sterling", "£"), ("JPY", "Yen", "¥"), ("INR", "Indian Rupee", "₹"), ("CHF", "Swiss Franc", "CHF")];
const ABBREVIATIONS: &[&str] = &["API", "HTTP", "JSON", "TCP", "SQL", "XML", "RAM", "SSL", "USB", "CSS"];
const NOUNS: &[&str] = &["driver", "protocol", "bandwidth", "panel", "circuit", "matrix", "feed", "array", "monitor", "system"];
const VERBS: &[&str] = &["connect", "parse", "index", "compress", "copy", "bypass", "navigate", "generate", "quantify", "program"];
const IMAGE_TOPICS: &[(&str, &str)] = &[("$randomAbstractImage", "abstract"), ("$randomAnimalsImage", "animals"), ("$randomBusinessImage", "business"), ("$randomCatsImage", "cats"), ("$randomCityImage", "city"), ("$randomFoodImage", "food"), ("$randomNightlifeImage", "nightlife"), ("$randomFashionImage", "fashion"), ("$randomPeopleImage", "people"), ("$randomNatureImage", "nature"), ("$randomSportsImage", "sports"), ("$randomTransportImage", "transport")];
const DOMAIN_SUFFIXES: &[&str] = &["com", "net", "org", "info", "biz", "name", "io"];
const LOREM: &[&str] = &["lorem", "ipsum", "dolor", "sit", "amet", "consectetur", "adipisci", "velit", "sed", "quia", "non", "numquam", "eius", "modi", "tempora", "magnam"];
const NAME_PREFIXES: &[&str] = &["Mr.", "Mrs.", "Ms.", "Miss", "Dr."];
const NAME_SUFFIXES: &[&str] = &["Jr.", "Sr.", "I", "II", "III", "IV", "V", "MD", "DDS", "PhD", "DVM"];
const JOB_DESCRIPTORS: &[&str] = &["Lead", "Senior", "Direct", "Corporate", "Dynamic", "Future", "Product", "National", "Regional", "Central"];
const JOB_AREAS: &[&str] = &["Solutions", "Program", "Brand", "Security", "Research", "Marketing", "Directives", "Implementation", "Integration", "Functionality"];
const JOB_TYPES: &[&str] = &["Supervisor", "Associate", "Executive", "Liaison", "Officer", "Manager", "Engineer", "Specialist", "Director", "Coordinator"];
const FILE_TYPES: &[(&str, &str, &str)] = &[("application", "application/json", "json"), ("application", "application/pdf", "pdf"), ("audio", "audio/mpeg", "mp3"), ("image", "image/png", "png"), ("image", "image/jpeg", "jpeg"), ("text", "text/plain", "txt"), ("video", "video/mp4", "mp4")];
const COMMON_FILE_TYPES: &[&str] = &["video", "audio", "image", "text", "application"];
const LOCALES: &[&str] = &["af", "ar", "bg", "bn", "ca", "cs", "da", "de", "el", "en", "es", "et", "fa", "fi", "fr", "he", "hi", "hr", "hu", "id", "it", "ja", "ko", "lt", "nl", "no", "pl", "pt", "ro", "ru", "sk", "sv", "th", "tr", "uk", "vi", "zh"];
const DIRECTORIES: &[&str] = &["/bin", "/etc", "/home/user", "/opt/lib", "/srv", "/tmp", "/usr/local/bin", "/var/log"];
const ALPHANUMERIC: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
const BASE58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Picks and numbers from one entropy source.
struct Gen<'a>(&'a dyn Entropy);

impl Gen<'_> {
    /// A number in `0..n` (`n > 0`).
    fn below(&self, n: u64) -> u64 {
        // Multiply-shift: uniform enough for test data, and never divides by zero.
        ((u128::from(self.0.next_u64()) * u128::from(n.max(1))) >> 64) as u64
    }

    fn range(&self, low: i64, high: i64) -> i64 {
        low + self.below(high.abs_diff(low) + 1) as i64
    }

    fn pick<T: Copy>(&self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    fn digits(&self, n: usize) -> String {
        (0..n).map(|_| char::from(b'0' + self.below(10) as u8)).collect()
    }

    fn chars(&self, n: usize, alphabet: &[u8]) -> String {
        (0..n).map(|_| char::from(self.pick(alphabet))).collect()
    }

    fn hex(&self, n: usize) -> String {
        self.chars(n, b"0123456789abcdef")
    }

    fn uuid_v4(&self) -> String {
        let a = self.0.next_u64();
        let b = self.0.next_u64();
        // Version 4 in the 13th hex digit, variant 10xx in the 17th, as uuid.v4() makes them.
        let a = (a & !0xf000) | 0x4000;
        let b = (b & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        )
    }

    fn words(&self, list: &[&str], n: usize) -> String {
        (0..n).map(|_| self.pick(list)).collect::<Vec<_>>().join(" ")
    }

    fn sentence(&self) -> String {
        let n = self.range(3, 10) as usize;
        let words = self.words(LOREM, n);
        let mut chars = words.chars();
        let first = chars.next().map(|c| c.to_ascii_uppercase()).unwrap_or('L');
        format!("{first}{}.", chars.as_str())
    }

    fn sentences(&self, low: i64, high: i64, sep: &str) -> String {
        (0..self.range(low, high)).map(|_| self.sentence()).collect::<Vec<_>>().join(sep)
    }

    fn full_name(&self) -> String {
        format!("{} {}", self.pick(FIRST_NAMES), self.pick(LAST_NAMES))
    }

    fn domain_word(&self) -> String {
        self.pick(LAST_NAMES).to_ascii_lowercase()
    }

    fn domain(&self) -> String {
        format!("{}.{}", self.domain_word(), self.pick(DOMAIN_SUFFIXES))
    }

    fn user_name(&self) -> String {
        format!("{}{}", self.pick(FIRST_NAMES), self.range(0, 99))
    }

    fn phone(&self) -> String {
        format!("{}-{}-{}", self.digits(3), self.digits(3), self.digits(4))
    }

    /// A JavaScript `Date.prototype.toString()` in UTC, as Postman's date variables print.
    fn js_date(&self, millis: i64) -> String {
        let (y, m, d, hh, mm, ss, _) = civil(millis);
        let weekday = (millis.div_euclid(86_400_000) + 4).rem_euclid(7) as usize;
        format!(
            "{} {} {d:02} {y:04} {hh:02}:{mm:02}:{ss:02} GMT+0000 (Coordinated Universal Time)",
            &WEEKDAYS[weekday][..3],
            &MONTHS[m as usize - 1][..3]
        )
    }
}

/// `(year, month, day, hour, minute, second, millisecond)` in UTC of Unix `millis`.
fn civil(millis: i64) -> (i64, i64, i64, i64, i64, i64, i64) {
    let days = millis.div_euclid(86_400_000);
    let in_day = millis.rem_euclid(86_400_000);
    // Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day, in_day / 3_600_000, in_day / 60_000 % 60, in_day / 1000 % 60, in_day % 1000)
}

/// `2024-01-02T03:04:05.678Z`: JavaScript's `Date.prototype.toISOString()`.
pub fn iso_timestamp(millis: i64) -> String {
    let (y, m, d, hh, mm, ss, ms) = civil(millis);
    format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{ms:03}Z")
}

/// A fresh value for the dynamic variable `name` (with its `$`), or `None` when Postman
/// defines no such variable (the reference is then left as it is, like Postman does).
pub fn value(name: &str, entropy: &dyn Entropy) -> Option<String> {
    let g = Gen(entropy);
    let now = entropy.now_millis();
    const DAY: i64 = 86_400_000;
    Some(match name {
        "$guid" | "$randomUUID" => g.uuid_v4(),
        // JavaScript's Math.round of seconds: halves round up.
        "$timestamp" => (now + 500).div_euclid(1000).to_string(),
        "$isoTimestamp" => iso_timestamp(now),
        "$randomInt" => g.range(0, 1000).to_string(),
        "$randomPhoneNumber" => g.phone(),
        "$randomPhoneNumberExt" => format!("{}-{}", g.range(1, 99), g.phone()),
        "$randomLocale" => g.pick(LOCALES).to_owned(),
        "$randomWords" => g.words(NOUNS, g.range(2, 5) as usize),
        "$randomFilePath" => format!("{}/{}.{}", g.pick(DIRECTORIES), g.pick(NOUNS), g.pick(FILE_TYPES).2),
        "$randomDirectoryPath" => g.pick(DIRECTORIES).to_owned(),
        "$randomCity" => format!("{}{}", g.pick(PLACE_STEMS), g.pick(PLACE_TAILS)),
        "$randomStreetName" => format!("{} {}", g.pick(LAST_NAMES), g.pick(STREET_TYPES)),
        "$randomStreetAddress" => format!("{} {} {}", g.range(1, 9999), g.pick(LAST_NAMES), g.pick(STREET_TYPES)),
        "$randomCountry" => g.pick(COUNTRIES).0.to_owned(),
        "$randomCountryCode" => g.pick(COUNTRIES).1.to_owned(),
        "$randomLatitude" => format!("{:.4}", g.range(-900_000, 900_000) as f64 / 10_000.0),
        "$randomLongitude" => format!("{:.4}", g.range(-1_800_000, 1_800_000) as f64 / 10_000.0),
        "$randomColor" => g.pick(COLORS).to_owned(),
        "$randomDepartment" => g.pick(DEPARTMENTS).to_owned(),
        "$randomProductName" => format!("{} {} {}", g.pick(ADJECTIVES), g.pick(MATERIALS), g.pick(PRODUCTS)),
        "$randomProductAdjective" => g.pick(ADJECTIVES).to_owned(),
        "$randomProductMaterial" => g.pick(MATERIALS).to_owned(),
        "$randomProduct" => g.pick(PRODUCTS).to_owned(),
        "$randomCompanyName" => format!("{} {}", g.pick(LAST_NAMES), g.pick(COMPANY_SUFFIXES)),
        "$randomCompanySuffix" => g.pick(COMPANY_SUFFIXES).to_owned(),
        "$randomCatchPhrase" => format!("{} {} {}", g.pick(ADJECTIVES), g.pick(BUZZ_ADJECTIVES), g.pick(NOUNS)),
        "$randomBs" => format!("{} {} {}", g.pick(BUZZ_VERBS), g.pick(BUZZ_ADJECTIVES), g.pick(BUZZ_NOUNS)),
        "$randomCatchPhraseAdjective" => g.pick(ADJECTIVES).to_owned(),
        "$randomCatchPhraseDescriptor" | "$randomBsAdjective" => g.pick(BUZZ_ADJECTIVES).to_owned(),
        "$randomCatchPhraseNoun" | "$randomNoun" => g.pick(NOUNS).to_owned(),
        "$randomBsBuzz" | "$randomVerb" => g.pick(VERBS).to_owned(),
        "$randomBsNoun" => g.pick(BUZZ_NOUNS).to_owned(),
        "$randomDatabaseColumn" => g.pick(DB_COLUMNS).to_owned(),
        "$randomDatabaseType" => g.pick(DB_TYPES).to_owned(),
        "$randomDatabaseCollation" => g.pick(DB_COLLATIONS).to_owned(),
        "$randomDatabaseEngine" => g.pick(DB_ENGINES).to_owned(),
        "$randomDatePast" => g.js_date(now - g.range(1, 365 * DAY)),
        "$randomDateFuture" => g.js_date(now + g.range(1, 365 * DAY)),
        "$randomDateRecent" => g.js_date(now - g.range(1, DAY)),
        "$randomMonth" => g.pick(MONTHS).to_owned(),
        "$randomWeekday" => g.pick(WEEKDAYS).to_owned(),
        "$randomBankAccount" => g.digits(8),
        "$randomBankAccountName" => g.pick(ACCOUNT_NAMES).to_owned(),
        "$randomCreditCardMask" => g.digits(4),
        "$randomPrice" => format!("{}.{}", g.range(1, 999), g.digits(2)),
        "$randomTransactionType" => g.pick(TRANSACTION_TYPES).to_owned(),
        "$randomCurrencyCode" => g.pick(CURRENCIES).0.to_owned(),
        "$randomCurrencyName" => g.pick(CURRENCIES).1.to_owned(),
        "$randomCurrencySymbol" => g.pick(CURRENCIES).2.to_owned(),
        "$randomBitcoin" => format!("{}{}", g.pick(&["1", "3"]), g.chars(g.range(25, 33) as usize, BASE58)),
        "$randomBankAccountIban" => format!("{}{}{}", g.pick(COUNTRIES).1, g.digits(2), g.chars(20, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")),
        "$randomBankAccountBic" => format!("{}{}{}", g.chars(4, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"), g.pick(COUNTRIES).1, g.chars(2, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")),
        "$randomAbbreviation" => g.pick(ABBREVIATIONS).to_owned(),
        "$randomAdjective" => g.pick(BUZZ_ADJECTIVES).to_owned(),
        "$randomIngverb" => format!("{}ing", g.pick(VERBS).trim_end_matches('e')),
        "$randomPhrase" => format!("We need to {} the {} {}!", g.pick(VERBS), g.pick(ABBREVIATIONS), g.pick(NOUNS)),
        "$randomAvatarImage" => format!("https://avatars.example.com/{}_128.jpg", g.user_name().to_ascii_lowercase()),
        "$randomImageUrl" => "http://placeimg.com/640/480".to_owned(),
        "$randomImageDataUri" => format!(
            "data:image/svg+xml;charset=UTF-8,%3Csvg%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22%20width%3D%22640%22%20height%3D%22480%22%3E%3Crect%20width%3D%22100%25%22%20height%3D%22100%25%22%20fill%3D%22%23{}%22%2F%3E%3C%2Fsvg%3E",
            g.hex(6)
        ),
        "$randomEmail" => format!("{}.{}@{}", g.pick(FIRST_NAMES), g.pick(LAST_NAMES), g.pick(&["gmail.com", "yahoo.com", "hotmail.com"])),
        "$randomExampleEmail" => format!("{}@example.{}", g.user_name(), g.pick(&["com", "net", "org"])),
        "$randomUserName" => g.user_name(),
        "$randomProtocol" => g.pick(&["http", "https"]).to_owned(),
        "$randomUrl" => format!("{}://{}", g.pick(&["http", "https"]), g.domain()),
        "$randomDomainName" => g.domain(),
        "$randomDomainSuffix" => g.pick(DOMAIN_SUFFIXES).to_owned(),
        "$randomDomainWord" => g.domain_word(),
        "$randomIP" => format!("{}.{}.{}.{}", g.range(0, 255), g.range(0, 255), g.range(0, 255), g.range(0, 255)),
        "$randomIPV6" => (0..8).map(|_| g.hex(4)).collect::<Vec<_>>().join(":"),
        "$randomUserAgent" => format!(
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{}.0.{}.{} Safari/537.36",
            g.range(60, 130),
            g.range(1000, 6999),
            g.range(0, 199)
        ),
        "$randomHexColor" => format!("#{}", g.hex(6)),
        "$randomMACAddress" => (0..6).map(|_| g.hex(2)).collect::<Vec<_>>().join(":"),
        "$randomPassword" => g.chars(15, b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
        "$randomLoremWord" | "$randomWord" => g.pick(LOREM).to_owned(),
        "$randomLoremWords" | "$randomLoremText" => g.words(LOREM, 3),
        "$randomLoremSentence" => g.sentence(),
        "$randomLoremSlug" => g.words(LOREM, 3).replace(' ', "-"),
        "$randomLoremSentences" => g.sentences(2, 6, " "),
        "$randomLoremParagraph" => g.sentences(3, 3, " "),
        "$randomLoremParagraphs" => (0..3).map(|_| g.sentences(3, 3, " ")).collect::<Vec<_>>().join("\n \r"),
        "$randomLoremLines" => g.sentences(1, 5, "\n"),
        "$randomFirstName" => g.pick(FIRST_NAMES).to_owned(),
        "$randomLastName" => g.pick(LAST_NAMES).to_owned(),
        "$randomFullName" => g.full_name(),
        "$randomJobTitle" => format!("{} {} {}", g.pick(JOB_DESCRIPTORS), g.pick(JOB_AREAS), g.pick(JOB_TYPES)),
        "$randomNamePrefix" => g.pick(NAME_PREFIXES).to_owned(),
        "$randomNameSuffix" => g.pick(NAME_SUFFIXES).to_owned(),
        "$randomJobDescriptor" => g.pick(JOB_DESCRIPTORS).to_owned(),
        "$randomJobArea" => g.pick(JOB_AREAS).to_owned(),
        "$randomJobType" => g.pick(JOB_TYPES).to_owned(),
        "$randomBoolean" => (g.below(2) == 1).to_string(),
        "$randomAlphaNumeric" => g.chars(1, ALPHANUMERIC),
        "$randomFileName" | "$randomCommonFileName" => format!("{}_{}.{}", g.pick(NOUNS), g.pick(VERBS), g.pick(FILE_TYPES).2),
        "$randomMimeType" => g.pick(FILE_TYPES).1.to_owned(),
        "$randomCommonFileType" | "$randomFileType" => g.pick(COMMON_FILE_TYPES).to_owned(),
        "$randomCommonFileExt" | "$randomFileExt" => g.pick(FILE_TYPES).2.to_owned(),
        "$randomSemver" => format!("{}.{}.{}", g.range(0, 9), g.range(0, 9), g.range(0, 9)),
        other => {
            let (_, topic) = IMAGE_TOPICS.iter().find(|(n, _)| *n == other)?;
            format!("http://placeimg.com/640/480/{topic}")
        }
    })
}
