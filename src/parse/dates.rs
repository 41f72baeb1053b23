//! Dates stated with a year: "11/27/2015", "Nov. 27, 2015", "November 27 2015", "27 November
//! 2015", "2015-11-27". Everything here returns ISO "YYYY-MM-DD".

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::lines::{ascii_digits, literal, load8, normalize_ws};
use super::vocab::{ends_sentence, re};

const MONTHS: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?i)\b(?P<m1>{MONTHS})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,\s*|\s+)(?P<y1>\d{{4}})\b|\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{MONTHS})\.?,?\s+(?P<y2>\d{{4}})\b|\b(?P<mm>\d{{1,2}})/(?P<dd>\d{{1,2}})/(?P<yy>\d{{4}})\b|\b(?P<iy>\d{{4}})-(?P<im>\d{{2}})-(?P<id>\d{{2}})\b"
    ))
});

static TIME: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s+(?:[A-Z]{2,4}T|GMT|UTC))?")
});

static SECTION_ON_DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?P<sec>[A-Z][\p{L}&'’.-]*(?:\s+[\p{L}&'’.-]+){0,4})\s+on\s+(?P<date>.+)$")
});

static SECTION_AT_END: LazyLock<Regex> =
    LazyLock::new(|| re(r"\bin\s+(?P<sec>[A-Z][\p{L}&]*(?:\s+[A-Z][\p{L}&]*){0,2})$"));

static PAGE_LABEL: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:(?i:page)\s+[A-Z]?\d{1,3}[A-Z]?|(?i:section)\s+[A-Z]\d{0,2})$"));

fn month_number(m: &str) -> Option<u32> {
    let m = m.to_ascii_lowercase();
    let n = match m.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(n)
}

/// ISO form of a calendar date, if it exists.
pub(crate) fn iso(y: u32, m: u32, d: u32) -> Option<String> {
    if !(1800..=2200).contains(&y) || !(1..=12).contains(&m) || d == 0 {
        return None;
    }
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (d <= days).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn from_captures(c: &Captures<'_>) -> Option<String> {
    let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
    if let Some(m) = c.name("m1") {
        return iso(num("y1")?, month_number(m.as_str())?, num("d1")?);
    }
    if let Some(m) = c.name("m2") {
        return iso(num("y2")?, month_number(m.as_str())?, num("d2")?);
    }
    if c.name("mm").is_some() {
        return iso(num("yy")?, num("mm")?, num("dd")?);
    }
    iso(num("iy")?, num("im")?, num("id")?)
}

/// Whether `t` has four ASCII digits in a row: every date [`find_date`] accepts has a year of
/// four digits (other digits match `\d` but do not parse).
fn has_year_digits(t: &str) -> bool {
    let b = t.as_bytes();
    let mut run = 0;
    let mut k = 0;
    while k < b.len() {
        // Eight bytes without a digit at a time; byte by byte around digits.
        if k + 8 <= b.len() && ascii_digits(load8(b, k)) == 0 {
            run = 0;
            k += 8;
            continue;
        }
        let end = (k + 8).min(b.len());
        while k < end {
            run = if b[k].is_ascii_digit() { run + 1 } else { 0 };
            if run == 4 {
                return true;
            }
            k += 1;
        }
    }
    false
}

/// The first valid date with a year in `t`.
pub(crate) fn find_date(t: &str) -> Option<String> {
    if t.len() > 4000 {
        return None;
    }
    DATE.captures_iter(t).find_map(|c| from_captures(&c))
}

/// The date of `t` when `t` is exactly one date (with optional surrounding spaces).
pub(crate) fn whole_date(t: &str) -> Option<String> {
    let t = t.trim();
    let c = DATE.captures(t)?;
    let m = c.get(0)?;
    (m.start() == 0 && m.end() == t.len())
        .then(|| from_captures(&c))
        .flatten()
}

/// A meta line giving the article's date ("Nov 26, 2015 9:43 PM CST", "January 11, 2013 / 3:45
/// AM / in 5 years"): a date with a year and few other words. In `strict` mode (inside the
/// body) only very short lines count.
pub(crate) fn date_line(t: &str, strict: bool) -> Option<String> {
    // The sentence test first: it looks at the last bytes only, and turns away most body
    // paragraphs before the scan for digits.
    if t.len() > 240 || ends_sentence(t) || !has_year_digits(t) {
        return None;
    }
    let date = find_date(t)?;
    let without_dates = DATE.replace_all(t, " ");
    let rest = TIME.replace_all(&without_dates, " ");
    let words = rest
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    let limit = if strict { 3 } else { 12 };
    (words <= limit).then_some(date)
}

/// A section named at the end of a meta date line ("... November 25, 2015 in News").
pub(crate) fn section_at_end(t: &str) -> Option<String> {
    SECTION_AT_END
        .captures(t)
        .map(|c| normalize_ws(&c["sec"]))
        .filter(|s| !s.split_whitespace().any(super::vocab::is_calendar_word))
}

/// "<Section> on <date>" ("A Section on 11/27/2015").
pub(crate) fn section_on_date(t: &str) -> Option<(String, String)> {
    literal!(ON, " on ");
    // The date must be a whole date, which has four ASCII digits in a row.
    if t.len() > 90 || !ON.is_in(t) || !has_year_digits(t) {
        return None;
    }
    let c = SECTION_ON_DATE.captures(t)?;
    let date = whole_date(&c["date"])?;
    Some((normalize_ws(&c["sec"]), date))
}

/// A page or section label ("Page 1A", "Section B").
pub(crate) fn page_label(t: &str) -> Option<String> {
    (t.len() <= 20 && PAGE_LABEL.is_match(t)).then(|| normalize_ws(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Every date found has four digits in a row.
        #[test]
        fn year_digit_gate_keeps_every_date(
            s in "[A-Za-z ,./-]{0,4}((Nov\\.?|march|DEC) [0-9]{1,2},? [0-9]{3,5}|[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}|[0-9]{4}-[0-9]{2}-[0-9]{2}|٢٠١٥|[0-9]{0,9})[A-Za-z ,.]{0,4}",
        ) {
            proptest::prop_assert!(has_year_digits(&s) || find_date(&s).is_none());
            let naive = s.as_bytes().windows(4).any(|w| w.iter().all(u8::is_ascii_digit));
            proptest::prop_assert_eq!(has_year_digits(&s), naive);
        }
    }
}
