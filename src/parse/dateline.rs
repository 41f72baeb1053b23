//! Datelines: "MOSCOW --", "NAIROBI, Kenya (AP) —", "MUMBAI, Jan 11 (Reuters) -",
//! "BAMAKO, Mali, Nov. 22 (UPI) --", "MOSCOW:", "London (AFP) -", and a place alone on its line.

use std::sync::LazyLock;

use regex::Regex;

use super::dates::{find_date, whole_date};
use super::lines::normalize_ws;
use super::vocab::re;

/// A dateline found at the start of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Dateline {
    /// The place words as printed.
    pub place: String,
    /// The wire tag ("AP", "Reuters"), if printed.
    pub source: Option<String>,
    /// A date with a year printed in the dateline, as ISO.
    pub date: Option<String>,
    /// Byte offset in the paragraph where the text after the dash starts.
    pub rest: usize,
}

/// The dateline pattern over the given classes of letters, digits and parenthesized text.
fn dateline_pattern(letter: &str, digit: &str, paren_text: &str) -> String {
    let word = format!(r"[A-Z][{letter}.'’-]*");
    let months = format!(r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[{letter}]*");
    format!(
        r"^(?P<place>(?P<city>{word}(?:[ \t]+{word}){{0,3}})(?:,[ \t]*{word}(?:[ \t]+{word}){{0,2}})?)(?:,[ \t]*(?P<mdate>{months}\.?[ \t]+{digit}{{1,2}}(?:,[ \t]*{digit}{{4}})?))?(?P<parens>(?:[ \t]*\({paren_text}+\))*)(?:[ \t]*(?:--|—|–)[ \t]*|[ \t]+[-_][ \t]+|[ \t]*:[ \t]+)"
    )
}

static DATELINE: LazyLock<Regex> =
    LazyLock::new(|| re(&dateline_pattern(r"\p{L}", r"\d", r"[^()]")));

/// [`DATELINE`] with every class cut to ASCII plus the three non-ASCII characters that datelines
/// print ('’', '—', '–'): the same alternatives and repetitions in the same order, so on text
/// made of those characters it matches and captures exactly as [`DATELINE`] does (each class
/// of [`DATELINE`] holds the same characters of that alphabet). Its much smaller automaton
/// makes the capture search several times cheaper.
static DATELINE_ASCII: LazyLock<Regex> = LazyLock::new(|| {
    re(&dateline_pattern(
        "A-Za-z",
        "[0-9]",
        r"[\x00-\x27\x2A-\x7F’—–]",
    ))
});

/// Whether [`DATELINE`] can match `t`: it starts with an ASCII capital, and a byte that can
/// start its parentheses or its dash or colon ('(', '-', '_', ':' or the lead byte E2 of '—'
/// and '–') comes before the first word that starts with an ASCII lower-case letter after a space
/// or tab. Before those bytes the match holds only capitalized place words, commas and a date
/// whose month (the one word that may start in lower case) follows a comma.
fn may_be_dateline(t: &str) -> bool {
    let b = t.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_uppercase) {
        return false;
    }
    // The last byte that is not a space or tab, and the byte just before.
    let mut last = 0u8;
    let mut prev = 0u8;
    for &c in b {
        match c {
            b'(' | b'-' | b'_' | b':' | 0xE2 => return true,
            b'a'..=b'z' if matches!(prev, b' ' | b'\t') && last != b',' => return false,
            _ => {}
        }
        if !matches!(c, b' ' | b'\t') {
            last = c;
        }
        prev = c;
    }
    false
}

/// Whether `head` holds only ASCII and '’', '—', '–': the text on which [`DATELINE_ASCII`]
/// stands for [`DATELINE`].
fn in_ascii_alphabet(head: &str) -> bool {
    head.is_ascii()
        || head
            .chars()
            .all(|c| c.is_ascii() || matches!(c, '’' | '—' | '–'))
}

/// The captures of [`DATELINE`] in `t`. The fast engine finds where the match ends; only that
/// head is searched for groups (the pattern has no look-ahead, so the head holds the same
/// match), with [`DATELINE_ASCII`] when the head is in its alphabet.
fn dateline_captures(t: &str) -> Option<regex::Captures<'_>> {
    let end = DATELINE.find(t)?.end();
    let head = t.get(..end)?;
    if in_ascii_alphabet(head) {
        DATELINE_ASCII.captures(head)
    } else {
        DATELINE.captures(head)
    }
}

static PAREN: LazyLock<Regex> = LazyLock::new(|| re(r"\(([^()]+)\)"));

static LONE_PLACE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^[A-Z][A-Z.'’-]*(?:[ \t]+[A-Z][A-Z.'’-]*){0,3}(?:,[ \t]*[A-Z][\p{L}.'’-]*(?:[ \t]+[A-Z][\p{L}.'’-]*){0,2})?$",
    )
});

/// Leading words that are labels, not places.
const NOT_PLACES: &[&str] = &[
    "THE",
    "A",
    "AN",
    "UPDATE",
    "UPDATED",
    "BREAKING",
    "NOTE",
    "EDITOR'S",
    "EDITOR’S",
    "CORRECTION",
    "WATCH",
    "VIDEO",
    "PHOTOS",
    "PHOTO",
    "FILE",
    "LIVE",
    "EXCLUSIVE",
    "ANALYSIS",
    "OPINION",
    "COMMENTARY",
    "REVIEW",
    "Q",
    "BY",
];

fn has_lowercase(s: &str) -> bool {
    s.chars().any(char::is_lowercase)
}

fn place_ok(city: &str) -> bool {
    let first = city.split_whitespace().next().unwrap_or("");
    !NOT_PLACES.iter().any(|w| first.eq_ignore_ascii_case(w))
}

/// The dateline at the start of paragraph `t`, if any.
pub(crate) fn parse_dateline(t: &str) -> Option<Dateline> {
    if !may_be_dateline(t) {
        return stripped_dateline(t).or_else(|| tag_lead(t));
    }
    let Some(c) = dateline_captures(t) else {
        return stripped_dateline(t).or_else(|| tag_lead(t));
    };
    let end = c.get(0)?.end();
    let city = c.name("city")?.as_str();
    if !place_ok(city) {
        return None;
    }
    let mut source = None;
    let mut place = normalize_ws(c.name("place")?.as_str());
    let mut date = c.name("mdate").and_then(|m| find_date(m.as_str()));
    if let Some(parens) = c.name("parens") {
        for p in PAREN.captures_iter(parens.as_str()) {
            let inner = p[1].trim();
            if inner.chars().count() > 40 {
                return None;
            }
            if let Some(d) = whole_date(inner) {
                date.get_or_insert(d);
            } else if inner.chars().next().is_some_and(char::is_uppercase)
                && inner.split_whitespace().count() <= 4
            {
                // "LE BOURGET (France) (AFP)": a first parenthesis before the tag is the
                // country, part of the place as printed.
                if let Some(country) = source.replace(normalize_ws(inner)) {
                    if c.name("mdate").is_some() || place.contains('(') {
                        return None;
                    }
                    place = format!("{place} ({country})");
                }
            } else {
                return None;
            }
        }
    }
    // Without a wire tag only a capitalized place counts ("MOSCOW --", not "Officials --").
    if source.is_none()
        && (has_lowercase(city) || city.chars().filter(|c| c.is_alphabetic()).count() < 2)
    {
        return None;
    }
    Some(Dateline {
        place,
        source,
        date,
        rest: end,
    })
}

/// The Reuters dateline with its tag and dash stripped ("OPORTO, Portugal Mar 4 City officials
/// ..."): a city in capitals, an optional country, a month and day, then a capitalized word.
static STRIPPED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?P<place>[A-Z][A-Z.'’-]+(?:[ \t]+[A-Z][A-Z.'’-]+){0,3}(?:,[ \t]*[A-Z][\p{L}.'’-]*(?:[ \t]+[A-Z][\p{L}.'’-]*){0,2})?)[ \t]+(?P<mdate>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?[ \t]+[0-9]{1,2})[ \t]+[A-Z\x22“‘]",
    )
});

fn stripped_dateline(t: &str) -> Option<Dateline> {
    let b = t.as_bytes();
    // Gate: two capitals to start, a day number within the first 80 bytes.
    let gate = b.len() > 12
        && b[0].is_ascii_uppercase()
        && b[1].is_ascii_uppercase()
        && b[..b.len().min(80)].iter().any(u8::is_ascii_digit);
    if !gate {
        return None;
    }
    let c = STRIPPED.captures(&t[..t.floor_char_boundary(120)])?;
    let city = c.name("place")?.as_str().split(',').next().unwrap_or("");
    if !place_ok(city) {
        return None;
    }
    let end = c.get(0)?.end();
    // The rest starts at the capitalized word (the last matched character).
    let rest = t[..end].char_indices().next_back().map_or(end, |(k, _)| k);
    Some(Dateline {
        place: normalize_ws(c.name("place")?.as_str()),
        source: None,
        date: None,
        rest,
    })
}

/// A wire tag that leads the paragraph without a city in capitals: "(CNN) — Text", "Nov 3
/// (Reuters) - Text" (no place), "Washington (CNN)Text" (the place as printed, no dash).
static TAG_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:(?P<place>[A-Z][\p{L}.'’-]*(?:[ \t]+[A-Z][\p{L}.'’-]*){0,3})[ \t]*|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?[ \t]+[0-9]{1,2}[ \t]+)?\((?P<tag>[^()]{2,30})\)[ \t]*(?:(?:--|—|–|-)[ \t]*)?[A-Z\x22“‘]",
    )
});

fn tag_lead(t: &str) -> Option<Dateline> {
    let b = t.as_bytes();
    // Gate: a parenthesis within the first 60 bytes of a text that starts with it or a capital.
    if !(b
        .first()
        .is_some_and(|&c| c == b'(' || c.is_ascii_uppercase())
        && memchr::memchr(b'(', &b[..b.len().min(60)]).is_some())
    {
        return None;
    }
    let c = TAG_LEAD.captures(&t[..t.floor_char_boundary(80)])?;
    let tag = c.name("tag")?.as_str().trim();
    // Only a wire or a tag in capitals ("CNN", "WXYZ"): "(D-Mass.)" or "(pictured)" is none.
    // A time or date in capitals ("(UPDATED 5 PM)") is none either.
    let capitals = tag.chars().filter(char::is_ascii_uppercase).count() >= 2
        && !tag.chars().any(|c| c.is_lowercase() || c.is_ascii_digit());
    if !(capitals || super::publication::is_wire(tag)) {
        return None;
    }
    let place = c.name("place").map_or("", |m| m.as_str());
    if !place_ok(place) {
        return None;
    }
    let end = c.get(0)?.end();
    // The rest starts at the capital (the last matched character).
    let rest = t[..end].char_indices().next_back().map_or(end, |(k, _)| k);
    Some(Dateline {
        place: normalize_ws(place),
        source: Some(tag.to_string()),
        date: None,
        rest,
    })
}

/// A place printed alone on its line ("WASHINGTON") before the first body paragraph.
pub(crate) fn lone_place(t: &str) -> Option<String> {
    if t.len() > 60 || !LONE_PLACE.is_match(t) || !place_ok(t) {
        return None;
    }
    let city = t.split(',').next().unwrap_or("");
    (city.chars().filter(|c| c.is_alphabetic()).count() >= 3).then(|| normalize_ws(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The ASCII pattern on the match head captures what the full pattern captures.
        #[test]
        fn ascii_head_captures_match_the_full_pattern(
            s in "[A-Z][A-Za-zé’.'-]{0,6}( [A-Z][a-zA-Z]{0,4}){0,4}(, [A-Z][a-z]{0,4}){0,2}(, (Jan|NOV|sept)\\.? [0-9]{1,2}(, [0-9]{4})?)?( ?\\((AP|Reuters|x y|2015|x’y|a—b|é)\\)){0,2}( -- | - | _ |: |—|–| |-)[A-Za-z]{0,4}",
        ) {
            let old = DATELINE.captures(&s);
            let new = dateline_captures(&s);
            let spans = |c: Option<regex::Captures<'_>>| {
                c.map(|c| c.iter().map(|m| m.map(|m| m.range())).collect::<Vec<_>>())
            };
            proptest::prop_assert_eq!(spans(new), spans(old));
        }

        /// The byte gate never turns away a text the pattern matches.
        #[test]
        fn gate_keeps_every_match(
            s in "([A-Za-z][a-zé’.'-]{0,5}|, ?(jan|Nov|sept)\\.?|[0-9]{1,4}|\\((AP|x y|by us)\\)|--|—|–| - | _ |: | |\t|,|\\.){0,10}",
        ) {
            proptest::prop_assert!(may_be_dateline(&s) || DATELINE.find(&s).is_none(), "{:?}", s);
        }
    }
}
