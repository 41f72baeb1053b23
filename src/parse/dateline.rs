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

const WORD: &str = r"[A-Z][\p{L}.'’-]*";

static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    let months = r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[\p{L}]*";
    re(&format!(
        r"^(?P<place>(?P<city>{WORD}(?:[ \t]+{WORD}){{0,3}})(?:,[ \t]*{WORD}(?:[ \t]+{WORD}){{0,2}})?)(?:,[ \t]*(?P<mdate>{months}\.?[ \t]+\d{{1,2}}(?:,[ \t]*\d{{4}})?))?(?P<parens>(?:[ \t]*\([^()]+\))*)(?:[ \t]*(?:--|—|–)[ \t]*|[ \t]+-[ \t]+|[ \t]*:[ \t]+)"
    ))
});

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
    let c = DATELINE.captures(t)?;
    let end = c.get(0)?.end();
    let city = c.name("city")?.as_str();
    if !place_ok(city) {
        return None;
    }
    let mut source = None;
    let mut date = c.name("mdate").and_then(|m| find_date(m.as_str()));
    if let Some(parens) = c.name("parens") {
        for p in PAREN.captures_iter(parens.as_str()) {
            let inner = p[1].trim();
            if inner.chars().count() > 40 {
                return None;
            }
            if let Some(d) = whole_date(inner) {
                date.get_or_insert(d);
            } else if source.is_none()
                && inner.chars().next().is_some_and(char::is_uppercase)
                && inner.split_whitespace().count() <= 4
            {
                source = Some(normalize_ws(inner));
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
        place: normalize_ws(c.name("place")?.as_str()),
        source,
        date,
        rest: end,
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
