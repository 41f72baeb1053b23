//! Generic vocabulary: web boilerplate phrases, organization words, name particles, calendar
//! words. Nothing here names a particular article.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::lines::{ends_terminal, literal, word_count_upto};

/// Compiles a regex from a literal pattern of this crate. Word boundaries are made ASCII-only
/// (`\b` becomes `(?-u:\b)`): a Unicode word boundary makes the fast lazy DFA give up on any
/// non-ASCII text and fall back to a much slower engine.
pub(crate) fn re(pattern: &str) -> Regex {
    let pattern = pattern.replace(r"\b", r"(?-u:\b)");
    match Regex::new(&pattern) {
        Ok(r) => r,
        // The patterns are constants of this crate; a bad one is a programming error caught by
        // the unit tests, never a consequence of input.
        Err(e) => panic!("invalid built-in regex {pattern:?}: {e}"),
    }
}

/// Whole-line web boilerplate, compared lower-cased with trailing punctuation removed.
const BOILER_PHRASES: &[&str] = &[
    "advertisement",
    "advertisements",
    "ad",
    "ad feedback",
    "advertisement - scroll to continue",
    "sponsored",
    "sponsored content",
    "supported by",
    "paid content",
    "upcoming events",
    "related",
    "related article",
    "related articles",
    "related story",
    "related stories",
    "related content",
    "related coverage",
    "related links",
    "read more",
    "read next",
    "read this next",
    "continue reading",
    "continue reading below",
    "story continues below",
    "story continues below advertisement",
    "article continues below",
    "article continues below advertisement",
    "share",
    "share this",
    "share this article",
    "share this story",
    "share on facebook",
    "share on twitter",
    "share via email",
    "tweet",
    "email",
    "print",
    "print this article",
    "comments",
    "comment",
    "leave a comment",
    "leave a reply",
    "post a comment",
    "view comments",
    "show comments",
    "add comment",
    "sign up",
    "subscribe",
    "subscribe now",
    "newsletter",
    "sign up for our newsletter",
    "log in",
    "login",
    "skip to content",
    "skip to main content",
    "menu",
    "search",
    "home",
    "back to top",
    "top stories",
    "trending",
    "trending now",
    "most popular",
    "most read",
    "recommended",
    "recommended for you",
    "you may also like",
    "you might also like",
    "play live radio",
    "listen live",
    "listen to this article",
    "next up",
    "on air now",
    "available on air stations",
    "loading",
    "click to enlarge",
    "enlarge this image",
    "toggle caption",
    "hide caption",
    "view gallery",
    "photo gallery",
    "open gallery",
    "report an error",
    "follow us",
    "follow us on twitter",
    "like us on facebook",
    "get the app",
    "download the app",
    "copy link",
    "link copied",
    "license photo",
    "watch video",
    "donate",
    "donate now",
    "support local journalism",
    "video",
];

static BOILER_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| BOILER_PHRASES.iter().copied().collect());

/// The longest of [`BOILER_PHRASES`], in bytes.
const MAX_BOILER_PHRASE: usize = 40;

/// Whether `key`, lower-cased, is one of [`BOILER_PHRASES`]. Plain ASCII is lower-cased on the
/// stack; other text goes through `str::to_lowercase` (which maps some non-ASCII letters, such
/// as the Kelvin sign, to ASCII ones).
fn is_boiler_phrase(key: &str) -> bool {
    if !key.is_ascii() {
        // Every phrase is ASCII, and the Kelvin sign is the one character outside ASCII that
        // lower-cases to ASCII: other text is no phrase, without lower-casing it.
        return key.chars().all(|c| c.is_ascii() || c == '\u{212A}')
            && BOILER_SET.contains(key.to_lowercase().as_str());
    }
    if key.len() > MAX_BOILER_PHRASE {
        return false;
    }
    let mut buf = [0u8; MAX_BOILER_PHRASE];
    let lower = &mut buf[..key.len()];
    lower.copy_from_slice(key.as_bytes());
    lower.make_ascii_lowercase();
    std::str::from_utf8(lower).is_ok_and(|k| BOILER_SET.contains(k))
}

/// Whether [`BOILER_RE`] can match `t`, from its first two bytes: every alternative is anchored
/// at the start, and after a leading ASCII letter the next byte is ASCII too (under
/// case-insensitive matching only `s` and `k` also match non-ASCII letters, and no alternative
/// has either as its second letter).
fn may_be_boiler_re(t: &str) -> bool {
    let b = t.as_bytes();
    let Some(&first) = b.first() else {
        return false;
    };
    if !first.is_ascii_alphabetic() {
        // Digits, '-' and non-ASCII starts (Unicode digits, the long s) go to the regex.
        return !first.is_ascii() || first.is_ascii_digit() || first == b'-';
    }
    let Some(&second) = b.get(1) else {
        return false;
    };
    matches!(
        &[first.to_ascii_lowercase(), second.to_ascii_lowercase()][..],
        b"se"
            | b"vi"
            | b"ne"
            | b"a "
            | b"yo"
            | b"re"
            | b"cl"
            | b"ta"
            | b"sh"
            | b"fo"
            | b"si"
            | b"su"
            | b"ho"
            | b"ht"
            | b"ww"
    )
}

static BOILER_RE: LazyLock<Regex> = LazyLock::new(|| {
    let alternatives: Vec<String> = [
        r"(?i)^\d+\s*min(?:ute)?s?\.?\s+read$",
        r"(?i)^(?:see|view)\s+(?:all\s+)?\d+\s+(?:more\s+)?(?:photos?|images?|pictures?)$",
        r"(?i)^\d+\s+(?:photos?|images?|pictures?)$",
        r"(?i)^newspapers\s+(?:in|from)\s+\S",
        r"^-?\d{1,3}\s*°\s*[FC]?(?:\s|$)",
        r"(?i)^a service of\b",
        r"(?i)^your email address will not be published",
        r"(?i)^required fields are marked",
        r"(?i)^(?:click|tap)\s+(?:here\s+)?(?:to|for)\b",
        r"(?i)^(?:share|follow us)\s+(?:on|via)\b",
        r"(?i)^(?:sign up|subscribe)\s+(?:for|to)\b",
        r"(?i)^home\s*[/>|»›]",
        r"(?i)^(?:https?://|www\.)\S+$",
    ]
    .iter()
    .map(|p| format!("(?:{p})"))
    .collect();
    re(&alternatives.join("|"))
});

/// Whether a whole unit is web boilerplate (widgets, prompts, ids, crumbs, separators).
pub(crate) fn is_boilerplate(t: &str) -> bool {
    if t.is_empty() {
        return false;
    }
    // Separators and other lines without a letter or digit ("___", "|", "***").
    if !t.as_bytes()[0].is_ascii_alphanumeric() && !t.chars().any(char::is_alphanumeric) {
        return true;
    }
    // Bare numeric ids and player clocks ("1234567", "0:00 0:00").
    if t.chars()
        .all(|c| c.is_ascii_digit() || c == ':' || c.is_whitespace())
    {
        return true;
    }
    if t.len() <= 64 {
        let key = t.trim_end_matches(|c: char| {
            matches!(c, ':' | '.' | '…' | '!' | '»' | '›') || c.is_whitespace()
        });
        if is_boiler_phrase(key) {
            return true;
        }
    }
    if t.len() <= 80 && is_page_furniture(t) {
        return true;
    }
    if t.len() > 300 {
        return false;
    }
    // Navigation crumbs ("Home » World » Story") and leftover link markup.
    // '»' and '›' end in the bytes 0xBB and 0xBA, which few other characters contain.
    if (memchr::memchr2(0xBB, 0xBA, t.as_bytes()).is_some() && (t.contains('»') || t.contains('›')))
        || (memchr::memchr3(b'>', b'<', b'=', t.as_bytes()).is_some()
            && (t.contains(" > ") || t.contains("\">") || t.contains("<a ") || t.contains("href=")))
    {
        return true;
    }
    // Tickers and link rows ("A | B | C | D").
    if memchr::memchr_iter(b'|', t.as_bytes()).nth(2).is_some()
        && t.matches(" | ").count() >= 3
        && !t.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("by "))
    {
        return true;
    }
    if !may_be_boiler_re(t) || word_count_upto(t, 12) > 12 {
        return false;
    }
    BOILER_RE.is_match(t)
}

/// Short furniture of saved web pages: a weather widget ("Overcast 54° Good evening"), an
/// image's file name ("harbor_banner.jpg"), a player prompt naming a broadcaster ("Watch
/// Channel 5 News", "Listen Live").
fn is_page_furniture(t: &str) -> bool {
    let b = t.as_bytes();
    // A reading time ("4 Min Read", "5 minute read", "3-min read").
    if b.len() <= 20
        && b[0].is_ascii_digit()
        && b.len() >= 4
        && b[b.len() - 4..].eq_ignore_ascii_case(b"read")
        && word_count_upto(t, 4) <= 3
    {
        return true;
    }
    // '°' is C2 B0: a digit right before it, in a line of a few words that starts with the
    // temperature or a sky word ("Cloudy 61° Good morning"; not "Phoenix hits 120° again").
    if let Some(k) = memchr::memchr(0xB0, b)
        && k >= 2
        && b[k - 1] == 0xC2
        && b[k - 2].is_ascii_digit()
        && word_count_upto(t, 8) <= 7
    {
        const SKY: &[&str] = &[
            "sunny",
            "cloudy",
            "overcast",
            "clear",
            "rain",
            "showers",
            "fog",
            "foggy",
            "snow",
            "partly",
            "mostly",
            "fair",
            "haze",
            "hazy",
            "windy",
            "thunderstorms",
            "drizzle",
            "mist",
            "cloudy,",
        ];
        let first = t.split_whitespace().next().unwrap_or("");
        if first.starts_with(|c: char| c.is_ascii_digit() || c == '-') || lower_in(first, SKY) {
            return true;
        }
    }
    if !b.contains(&b' ') {
        let lower = t.to_ascii_lowercase();
        if [".jpg", ".jpeg", ".png", ".gif", ".webp"]
            .iter()
            .any(|x| lower.ends_with(x) && lower.len() > x.len())
        {
            return true;
        }
    }
    if let Some(rest) = t.strip_prefix("Watch ") {
        return word_count_upto(rest, 5) <= 4 && is_org_like(rest);
    }
    false
}

static COMMENT_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:comments?(?:\s*\(\d+\))?|\d+\s+(?:responses?|comments?|replies|reactions)\b.*|(?:leave|post|add)\s+a\s+(?:reply|comment)\b.*|(?:show|view|load|read)\s+(?:all\s+)?(?:\d+\s+)?comments\b.*|join the (?:conversation|discussion)\b.*)$",
    )
});

/// Whether a unit opens a trailing comment section (everything from it on is boilerplate).
pub(crate) fn is_comment_marker(t: &str) -> bool {
    // Every alternative starts with a digit or with c, l, p, a, s, v, r or j in some case (the
    // long s matches "s" case-insensitively).
    let first = t.chars().next();
    let may = first.is_some_and(|c| {
        c.is_numeric()
            || matches!(
                c.to_ascii_lowercase(),
                'c' | 'l' | 'p' | 'a' | 's' | 'v' | 'r' | 'j' | 'ſ'
            )
    });
    may && t.len() <= 200 && COMMENT_MARKER.is_match(t)
}

/// Words that mark a name as an organization rather than a person.
const ORG_WORDS: &[&str] = &[
    "press",
    "news",
    "reuters",
    "bloomberg",
    "staff",
    "times",
    "post",
    "gazette",
    "tribune",
    "herald",
    "journal",
    "agency",
    "wire",
    "media",
    "network",
    "ap",
    "afp",
    "upi",
    "xinhua",
    "kyodo",
    "tass",
    "dpa",
    "efe",
    "ansa",
    "bbc",
    "cnn",
    "npr",
    "chronicle",
    "courier",
    "observer",
    "telegraph",
    "inquirer",
    "dispatch",
    "sentinel",
    "examiner",
    "newspaper",
    "newspapers",
    "service",
    "services",
    "associated",
    "broadcasting",
    "radio",
    "television",
    "magazine",
    "daily",
];

/// Words that mark a short title line as a newspaper's name (masthead).
const MASTHEAD_WORDS: &[&str] = &[
    "times",
    "post",
    "gazette",
    "tribune",
    "herald",
    "journal",
    "chronicle",
    "courier",
    "observer",
    "telegraph",
    "inquirer",
    "dispatch",
    "sentinel",
    "examiner",
    "daily",
    "democrat",
    "today",
    "guardian",
    "bulletin",
    "globe",
    "mail",
    "enquirer",
    "advertiser",
    "ledger",
    "beacon",
];

/// Lower-case particles that may stand inside personal names.
const NAME_PARTICLES: &[&str] = &[
    "de", "del", "della", "der", "den", "van", "von", "da", "di", "du", "la", "le", "al", "el",
    "bin", "ibn", "dos", "das", "do", "y", "st.", "ter", "zu",
];

/// Lower-case connecting words allowed inside organization names.
const ORG_CONNECTORS: &[&str] = &["of", "the", "and", "&", "for", "de", "du", "la"];

const CALENDAR_WORDS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "tomorrow",
];

/// Words after which a capitalized headline word is not the start of a run-in deck.
pub(crate) const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "from", "by",
    "with", "as", "after", "before", "over", "under", "into", "onto", "against", "about",
    "between", "during", "near", "amid", "toward", "towards", "without", "within", "across",
    "through", "despite", "upon", "per", "via", "vs", "versus", "than", "like", "if", "when",
    "while", "where", "since", "until", "because", "so", "not", "no", "say", "says", "said",
    "tell", "tells", "told", "ask", "asks", "asked", "urge", "urges", "urged", "meet", "meets",
    "visit", "visits", "is", "are", "was", "were", "be", "new", "former", "top", "chief",
];

fn lower_in(word: &str, list: &[&str]) -> bool {
    let w = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '&' && c != '.');
    let w = w.trim_end_matches('.');
    list.iter().any(|x| x.eq_ignore_ascii_case(w))
}

pub(crate) fn is_calendar_word(word: &str) -> bool {
    lower_in(word, CALENDAR_WORDS)
}

pub(crate) fn is_function_word(word: &str) -> bool {
    lower_in(word, FUNCTION_WORDS)
}

fn starts_upper(w: &str) -> bool {
    w.chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Whether `s` reads as the name of an organization: a few capitalized words, one of them an
/// organization word ("The Associated Press", "Reuters Staff", "Arkansas Democrat-Gazette").
pub(crate) fn is_org_like(s: &str) -> bool {
    let s = s.trim();
    if s.is_empty() || s.len() > 80 || ends_sentence(s) || s.contains([':', ',']) {
        return false;
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 || !starts_upper(words[0]) {
        return false;
    }
    let mut has_org_word = false;
    for w in &words {
        if !starts_upper(w) && !lower_in(w, ORG_CONNECTORS) {
            return false;
        }
        if w.split(['-', '/']).any(|part| lower_in(part, ORG_WORDS)) {
            has_org_word = true;
        }
    }
    has_org_word
}

/// Whether a short title-case line is a newspaper's masthead ("Pittsburgh Post-Gazette").
pub(crate) fn is_masthead(s: &str) -> bool {
    // One to four words, counted before they are collected.
    if ends_terminal(s) || !(1..=4).contains(&word_count_upto(s, 4)) {
        return false;
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 4
        && !ends_terminal(s)
        && words
            .iter()
            .all(|w| starts_upper(w) || lower_in(w, ORG_CONNECTORS))
        && words
            .iter()
            .any(|w| w.split('-').any(|p| lower_in(p, MASTHEAD_WORDS)))
        // "Today" alone is a date label, not a paper ("USA Today" is).
        && (words.len() >= 2 || !words[0].eq_ignore_ascii_case("today"))
}

/// Whether `s` reads as a person's name: capitalized words, initials and name particles.
pub(crate) fn is_person_name(s: &str, min_words: usize) -> bool {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() < min_words || words.len() > 5 || s.len() > 60 {
        return false;
    }
    let mut capitals = 0;
    for (k, w) in words.iter().enumerate() {
        let first = w.chars().next();
        if first.is_some_and(char::is_uppercase) {
            if is_calendar_word(w)
                || !w
                    .chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
            {
                return false;
            }
            capitals += 1;
        } else if k == 0 || !lower_in(w, NAME_PARTICLES) {
            return false;
        }
    }
    capitals >= 1
}

/// Whether a line ends like a sentence (a full stop that is not part of "a.m." or an initial).
pub(crate) fn ends_sentence(s: &str) -> bool {
    let s = s.trim_end();
    if !s.ends_with('.') {
        return false;
    }
    // No other character lower-cases to an ASCII "a" or "p", so comparing the last four bytes
    // in ASCII case is comparing the lower-cased text.
    let b = s.as_bytes();
    let last4 = b.get(b.len().saturating_sub(4)..).unwrap_or(b);
    !(last4.eq_ignore_ascii_case(b"a.m.")
        || last4.eq_ignore_ascii_case(b"p.m.")
        || s.ends_with("..."))
}

static TITLE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:(?:senior|staff|special|chief|contributing|associate|assistant|political|business|foreign|sports|investigative|national|local|metro|education|science|health|managing|deputy)\s+)*(?:writer|reporter|correspondent|editor|columnist|photographer|contributor|producer)s?$",
    )
});

/// Whether a line is a byline job title ("Staff Writer").
pub(crate) fn is_title_line(s: &str) -> bool {
    s.len() <= 60 && TITLE_LINE.is_match(s)
}

/// Drops a trailing job title from an organization line ("Associated Press Writer" gives
/// "Associated Press").
pub(crate) fn org_without_title(s: &str) -> String {
    let s = super::lines::normalize_ws(s);
    for title in [
        " Staff Writer",
        " Writer",
        " Reporter",
        " Correspondent",
        " Staff Reporter",
    ] {
        if s.len() > title.len()
            && s.is_char_boundary(s.len() - title.len())
            && s[s.len() - title.len()..].eq_ignore_ascii_case(title)
        {
            return without_desk(s[..s.len() - title.len()].trim()).to_string();
        }
    }
    s
}

/// An organization without the desk words left before a job title ("AP Business" of "AP
/// Business Writer" gives "AP"); never empty.
fn without_desk(s: &str) -> &str {
    const DESKS: &[&str] = &[
        "business",
        "sports",
        "political",
        "science",
        "medical",
        "health",
        "entertainment",
        "technology",
        "religion",
        "legal",
        "economics",
        "diplomatic",
        "music",
        "film",
        "travel",
        "food",
        "education",
        "environment",
        "energy",
        "markets",
        "aerospace",
        "auto",
        "national",
        "special",
        "senior",
        "chief",
    ];
    let mut s = s;
    while let Some((head, last)) = s.rsplit_once(' ') {
        if !DESKS.iter().any(|d| last.eq_ignore_ascii_case(d)) {
            break;
        }
        s = head.trim_end();
    }
    s
}

/// Drops a trailing "Staff" from an organization-only credit ("Reuters Staff" gives "Reuters").
pub(crate) fn org_without_staff(s: &str) -> String {
    let s = super::lines::normalize_ws(s);
    for suffix in [" Staff", " staff", " STAFF"] {
        if let Some(head) = s.strip_suffix(suffix)
            && !head.trim().is_empty()
        {
            return head.trim().to_string();
        }
    }
    s
}

/// Names of wire services and news organizations whose self-description closes many stories.
static WIRE_BLURB: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?P<org>(?:The\s+)?(?:Associated Press|AP|Reuters|Thomson Reuters|Agence France-Presse|AFP|UPI|United Press International|Bloomberg(?: News)?|Press Association|Kyodo News|Xinhua))\s+is\s+(?:one of|the world|a |an |the )",
    )
});

/// The organization of a wire service's "about us" paragraph ("The Associated Press is one of ...").
pub(crate) fn wire_blurb_org(t: &str) -> Option<String> {
    if t.len() > 2000 || !t.starts_with(['T', 'A', 'R', 'U', 'B', 'P', 'K', 'X']) {
        return None;
    }
    // The regex starts with one of these names, after an optional "The" and white space.
    let name = t
        .strip_prefix("The")
        .filter(|s| s.starts_with(char::is_whitespace))
        .map_or(t, str::trim_start);
    if ![
        "Associated Press",
        "AP",
        "Reuters",
        "Thomson Reuters",
        "Agence France-Presse",
        "AFP",
        "UPI",
        "United Press International",
        "Bloomberg",
        "Press Association",
        "Kyodo News",
        "Xinhua",
    ]
    .iter()
    .any(|n| name.starts_with(n))
    {
        return None;
    }
    let c = WIRE_BLURB.captures(t)?;
    let lower = t.to_lowercase();
    (lower.contains("news") || lower.contains("independent") || lower.contains("subscribers"))
        .then(|| c["org"].to_string())
}

static COPYRIGHT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i:©|\(c\)|copyright)\s*(?:(?i:©|copyright)\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?)?,?\s+(?P<org>[A-Z][^.;,\]\[()|]*)",
    )
});

/// Literal words any copyright footer contains; one fast literal scan gates the closer checks.
static COPYRIGHT_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"©|[Cc]opyright|COPYRIGHT|[Rr]ights [Rr]eserved|RIGHTS RESERVED|may not be published|^\([cC]\) ",
    )
});

/// Whether `t`, lower-cased, starts like a copyright footer or contains "all rights reserved" or
/// "may not be published, broadcast": what [`is_copyright`] asks besides its literal words.
///
/// No character outside ASCII lower-cases to an ASCII letter of these phrases (the Kelvin sign
/// gives a "k", which none has), so ASCII case-insensitive comparison is the same test. The
/// phrases are found from their rarer bytes: the "v" of "reserved" and the comma after
/// "published". A scan for three bytes that are rare in prose, it is also the cheapest first
/// test of [`is_copyright`].
fn copyright_words_lowered(t: &str) -> bool {
    let b = t.as_bytes();
    let starts = |p: &[u8]| b.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    if starts("©".as_bytes()) || starts("[©".as_bytes()) || starts(b"copyright") || starts(b"(c) ")
    {
        return true;
    }
    let at = |k: usize, back: usize, p: &[u8]| {
        k.checked_sub(back)
            .and_then(|s| b.get(s..s + p.len()))
            .is_some_and(|h| h.eq_ignore_ascii_case(p))
    };
    memchr::memchr3_iter(b'v', b'V', b',', b).any(|k| {
        if b.get(k) == Some(&b',') {
            at(k, 20, b"may not be published, broadcast")
        } else {
            at(k, 16, b"all rights reserved")
        }
    })
}

/// Whether [`COPYRIGHT_WORDS`] can match: each of its words holds "©", "ight" or "IGHT" (the
/// copyright and rights words), "may not be published" or starts the text with "(c) ".
fn may_have_copyright_words(t: &str) -> bool {
    literal!(IGHT, "ight");
    literal!(IGHT_UPPER, "IGHT");
    literal!(MAY_NOT, "may not be published");
    let b = t.as_bytes();
    // '©' is C2 A9 in UTF-8.
    memchr::memchr(0xA9, b).is_some()
        || IGHT.is_in(t)
        || IGHT_UPPER.is_in(t)
        || MAY_NOT.is_in(t)
        || b.starts_with(b"(c) ")
        || b.starts_with(b"(C) ")
}

/// Whether a unit is a copyright footer or rights notice.
pub(crate) fn is_copyright(t: &str) -> bool {
    // Long units are footers only if their start or end says so.
    let t = if t.len() > 400 {
        let head = &t[..t.floor_char_boundary(200)];
        if is_copyright(head) {
            return true;
        }
        super::lines::tail(t, 200)
    } else {
        t
    };
    copyright_words_lowered(t) && may_have_copyright_words(t) && COPYRIGHT_WORDS.is_match(t)
}

/// Organizations named in a copyright footer, in order ("© 2014 Thomson Reuters", "Copyright
/// 2026 The Associated Press").
pub(crate) fn copyright_orgs(t: &str) -> Vec<String> {
    COPYRIGHT
        .captures_iter(t)
        .filter_map(|c| {
            let org = super::lines::normalize_ws(&c["org"]);
            let lower = org.to_lowercase();
            (!lower.starts_with("all rights") && !lower.is_empty() && org.chars().count() <= 60)
                .then_some(org)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boiler_phrases_match_in_any_case() {
        assert!(BOILER_PHRASES.iter().all(|p| p.len() <= MAX_BOILER_PHRASE));
        for p in BOILER_PHRASES {
            assert!(is_boilerplate(p), "{p:?}");
            assert!(is_boilerplate(&p.to_uppercase()), "{p:?}");
            assert!(is_boilerplate(&format!("{p}:")), "{p:?}");
        }
        // The Kelvin sign lower-cases to an ASCII "k".
        assert!(is_boilerplate("Back to top"));
        assert!(is_boilerplate("Bac\u{212a} to top"));
        assert!(!is_boilerplate("Back to the top of the hill"));
    }

    #[test]
    fn only_the_kelvin_sign_lower_cases_to_ascii() {
        assert!(BOILER_PHRASES.iter().all(|p| p.is_ascii()));
        let to_ascii: Vec<char> = (0..=char::MAX as u32)
            .filter_map(char::from_u32)
            .filter(|c| !c.is_ascii() && c.to_lowercase().all(|l| l.is_ascii()))
            .collect();
        assert_eq!(to_ascii, ['\u{212A}']);
    }

    fn old_is_copyright(t: &str) -> bool {
        let t = if t.len() > 400 {
            let head = &t[..t.floor_char_boundary(200)];
            if old_is_copyright(head) {
                return true;
            }
            super::super::lines::tail(t, 200)
        } else {
            t
        };
        if !COPYRIGHT_WORDS.is_match(t) {
            return false;
        }
        let lower = t.to_lowercase();
        lower.starts_with('©')
            || lower.starts_with("[©")
            || lower.starts_with("copyright")
            || lower.starts_with("(c) ")
            || lower.contains("all rights reserved")
            || lower.contains("may not be published, broadcast")
    }

    fn old_ends_sentence(s: &str) -> bool {
        let s = s.trim_end();
        if !s.ends_with('.') {
            return false;
        }
        let lower = super::super::lines::tail(s, 8).to_lowercase();
        !(lower.ends_with("a.m.") || lower.ends_with("p.m.") || lower.ends_with("..."))
    }

    proptest::proptest! {
        #[test]
        fn copyright_gates_match_the_old_test(
            s in r"(©|\[©|\(c\) |\(C\) |[Cc]opyright|COPYRIGHT|CopyRight|[A-Za-z ,]){0,4}( ?(All|all|ALL|aLL) ([Rr]ights|RIGHTS|RiGhts) ([Rr]eserved|RESERVED|ReSeRvEd)| may not be published, broadcast| MAY NOT BE PUBLISHED, BROADCAST|[A-Za-z .]){0,3}",
        ) {
            proptest::prop_assert_eq!(is_copyright(&s), old_is_copyright(&s));
        }

        #[test]
        fn sentence_end_matches_the_old_test(s in "[A-Za-zé]{0,3}([AaPp]\\.[Mm]|\\.\\.|İ|K|[a-z ])?\\.{0,2}( |\t)?") {
            proptest::prop_assert_eq!(ends_sentence(&s), old_ends_sentence(&s));
        }

        #[test]
        fn comment_gate_keeps_every_regex_match(
            s in "(?i)(comments?|ſhow|\\d|[0-9]|leave|post|add|view|load|read|join the|x)( |a|all|comments|\\(3\\)|reply|conversation){0,4}",
        ) {
            let first = s.chars().next();
            let gate = first.is_some_and(|c| {
                c.is_numeric()
                    || matches!(c.to_ascii_lowercase(), 'c' | 'l' | 'p' | 'a' | 's' | 'v' | 'r' | 'j' | 'ſ')
            });
            proptest::prop_assert!(gate || !COMMENT_MARKER.is_match(&s));
        }

        #[test]
        fn wire_blurb_gate_keeps_every_regex_match(
            s in "(The |The\t|The|Thomson |)(Associated Press|AP|AFP|Reuters|Bloomberg News|Xinhua|UPI|Kyodo News|Press Association|Other)( |\t)is (one of|the world|a |an |the )",
        ) {
            proptest::prop_assert_eq!(wire_blurb_org(&s).is_some(), {
                WIRE_BLURB.captures(&s).is_some() && {
                    let lower = s.to_lowercase();
                    lower.contains("news") || lower.contains("independent") || lower.contains("subscribers")
                }
            });
        }

        /// The two-byte gate never turns away a line the boilerplate regex matches.
        #[test]
        fn boiler_gate_keeps_every_regex_match(
            s in "(?i)(see|view|newspapers|a service of|your email|required|click|tap|share|follow us|sign up|subscribe|home|https?://|www\\.|-|ſ|k|[0-9]|\u{0663})( |\t|[a-z0-9°/>|.:]|photos|min read|for|to|on|in|via|ſ|\u{212a}){0,8}",
        ) {
            proptest::prop_assert!(may_be_boiler_re(&s) || !BOILER_RE.is_match(&s), "{:?}", s);
        }

        #[test]
        fn boiler_gate_on_any_text(s in "\\PC{0,12}") {
            proptest::prop_assert!(may_be_boiler_re(&s) || !BOILER_RE.is_match(&s), "{:?}", s);
        }
    }
}
