//! Bylines and credit lines: "By A and B", "Information for this article was contributed by
//! ...", "(Reporting by A in CITY; Editing by B)", "A contributed to this report.", "A reported
//! from B.", and item sign-offs ("— Name, City").

use std::sync::LazyLock;

use regex::Regex;

use super::lines::{literal, normalize_ws, tail};
use super::vocab::{is_org_like, is_person_name, org_without_staff, re};
use crate::model::{Credit, CreditRole};

/// What a byline names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Byline {
    /// People, with the organization printed on the byline line itself, if any.
    Persons {
        names: Vec<String>,
        organization: Option<String>,
    },
    /// Only an organization ("By Associated Press", "Reuters Staff").
    Organization(String),
}

/// The head of a byline; the names are the rest of the line (`(?P<rest>\S.*)$`). Matching only
/// the head runs the fast engine, where capturing the rest ran the backtracker over the line.
static BY: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:[-–—•·]\s*)?(?:By|BY|by)\b\s*:?\s+"));

/// The whole byline pattern, for the rare lines where the head alone does not settle the rest.
static BY_WHOLE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:[-–—•·]\s*)?(?:By|BY|by)\b\s*:?\s+(?P<rest>\S.*)$"));

/// The names part of a byline (`(?P<rest>\S.*)$` after [`BY`]). The head ends after all its
/// white space, so a rest that is not empty starts with a non-space, and without a line break
/// it is the rest the whole pattern captures. Otherwise a shorter head may still leave a rest
/// (": " after skipping the optional colon), which only the whole pattern knows.
fn by_rest(t: &str) -> Option<&str> {
    let end = BY.find(t)?.end();
    let rest = t.get(end..)?;
    if !rest.is_empty() && !rest.contains('\n') {
        return Some(rest);
    }
    Some(BY_WHOLE.captures(t)?.name("rest")?.as_str())
}

/// Whether [`BY`] can match `t`: after an optional bullet or dash and white space, "By", "BY"
/// or "by" and then no ASCII word character (the regex's `\b` is ASCII).
fn may_start_with_by(t: &str) -> bool {
    let s = t
        .strip_prefix(['-', '–', '—', '•', '·'])
        .map_or(t, str::trim_start);
    let b = s.as_bytes();
    matches!(b.get(..2), Some(b"By" | b"BY" | b"by"))
        && !b
            .get(2)
            .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_')
}

/// Splits a list of names: "A, B and C", "A & B".
pub(crate) fn split_names(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in s.split(',') {
        let part = part.trim();
        let part = part.strip_prefix("and ").unwrap_or(part);
        for name in part.split(" and ").flat_map(|p| p.split(" & ")) {
            let name = normalize_ws(name);
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

/// A byline and a dateline run into one paragraph ("By Jane Roe LISBON — The ..."): the
/// byline and the byte offset where the dateline starts. The dateline is the first word in
/// capitals after the byline's first word that starts a dateline.
pub(crate) fn byline_then_dateline(t: &str) -> Option<(Byline, usize)> {
    if !may_start_with_by(t) {
        return None;
    }
    let head = &t[..t.floor_char_boundary(160)];
    let b = head.as_bytes();
    memchr::memchr_iter(b' ', b)
        .skip(1)
        .map(|k| k + 1)
        .filter(|&k| {
            b.get(k..k + 2)
                .is_some_and(|w| w.iter().all(u8::is_ascii_uppercase))
        })
        .find_map(|k| {
            super::dateline::parse_dateline(&t[k..])?;
            Some((parse_byline(t[..k].trim_end())?, k))
        })
}

/// A name without the place printed after it ("Jane Roe in Lisbon" gives "Jane Roe"): " in "
/// followed only by capitalized words.
fn cut_place(name: &str) -> &str {
    if let Some(k) = name.rfind(" in ") {
        let place = &name[k + 4..];
        if !place.trim().is_empty()
            && place
                .split_whitespace()
                .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        {
            return &name[..k];
        }
    }
    name
}

/// A person's role printed after a bar ("Jane Roe | Springfield Mayor", "Jane Roe | Columnist"):
/// a few capitalized words ending in an office or a newsroom title.
fn is_role(s: &str) -> bool {
    const OFFICES: &[&str] = &[
        "governor",
        "mayor",
        "senator",
        "representative",
        "president",
        "secretary",
        "minister",
        "professor",
        "director",
        "chairman",
        "chairwoman",
        "ceo",
        "columnist",
        "contributor",
        "correspondent",
        "writer",
        "reporter",
        "editor",
        "commentator",
        "guest",
    ];
    let s = s.trim();
    let words: Vec<&str> = s.split_whitespace().collect();
    (1..=5).contains(&words.len())
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
        && words
            .last()
            .is_some_and(|w| OFFICES.iter().any(|o| w.eq_ignore_ascii_case(o)))
}

/// Parses a byline line. Accepts "By ..." (any case, after an optional bullet or dash) and
/// "Name | email".
pub(crate) fn parse_byline(t: &str) -> Option<Byline> {
    let t = strip_emphasis(t);
    let pipe = memchr::memchr(b'|', t.as_bytes()).is_some();
    if t.len() > 200 || !(t.starts_with(['B', 'b', '-', '–', '—', '•', '·']) || pipe) {
        return None;
    }
    let rest = if may_start_with_by(t)
        && let Some(rest) = by_rest(t)
    {
        rest
    } else if pipe
        && t.split('|')
            .skip(1)
            .any(|s| s.contains('@') || (t.matches('|').count() == 1 && is_role(s)))
    {
        let main = t.split('|').next()?.trim();
        return is_person_name(main, 2).then(|| Byline::Persons {
            names: vec![normalize_ws(main)],
            organization: None,
        });
    } else {
        return None;
    };
    let main = rest.split(['|', '•', '·']).next()?.trim();
    // "By Jane Roe / Staff Writer", "By A and B / The Springfield Courier".
    let (main, slash_org) = match main.split_once(" / ") {
        Some((names, after)) => (names.trim(), Some(after.trim())),
        None => (main, None),
    };
    let main = cut_byline_date(main)
        .trim_end_matches([',', ';', '.'])
        .trim();
    if main.is_empty() {
        return None;
    }
    if is_org_like(main) {
        return Some(Byline::Organization(org_without_staff(main)));
    }
    // "By Associated Press staff".
    let unstaffed = org_without_staff(main);
    if unstaffed.len() < main.len() && is_org_like(&unstaffed) {
        return Some(Byline::Organization(unstaffed));
    }
    let mut parts: Vec<&str> = main.split(',').map(str::trim).collect();
    let mut organization = None;
    // A job title after the names ("By Jane Roe, Staff Writer") is no organization; "Special
    // to The Courier" names the paper the writer wrote for.
    if parts.len() >= 2
        && let Some(last) = parts.last()
    {
        if super::vocab::is_title_line(last) {
            parts.pop();
        } else if let Some(paper) = special_to(last) {
            organization = Some(normalize_ws(paper));
            parts.pop();
        }
    }
    if let Some(after) = slash_org {
        if let Some(paper) = special_to(after)
            .or(Some(after))
            .filter(|o| is_org_like(o) || super::vocab::is_masthead(o))
        {
            organization = Some(normalize_ws(paper));
        } else if !super::vocab::is_title_line(after) {
            return None;
        }
    }
    if organization.is_none()
        && parts.len() >= 2
        && let Some(last) = parts.last()
        && (is_org_like(last.strip_prefix("and ").unwrap_or(last))
            || super::vocab::is_masthead(last))
    {
        // "By Jane Roe, AP Business Writer": the organization without the title.
        organization = Some(super::vocab::org_without_title(last));
        parts.pop();
    }
    // "Jane Roe in Lisbon": the place where the person reported is not their name.
    let names: Vec<String> = split_names(&parts.join(","))
        .iter()
        .map(|n| cut_place(n).to_string())
        .collect();
    if names.is_empty() || names.len() > 8 || !names.iter().all(|n| is_person_name(n, 2)) {
        return None;
    }
    Some(Byline::Persons {
        names,
        organization,
    })
}

/// A line without the Markdown emphasis around all of it ("**By Jane Roe**", "_By Jane Roe_").
pub(crate) fn strip_emphasis(t: &str) -> &str {
    if !t.starts_with(['*', '_']) {
        return t;
    }
    for mark in ["**", "__", "*", "_"] {
        if let Some(inner) = t.strip_prefix(mark).and_then(|s| s.strip_suffix(mark)) {
            return inner.trim();
        }
    }
    t
}

/// A byline without "By" that ties one person to a paper or organization after a bar or comma
/// ("Jane Roe | The Springfield Courier", "Jane Roe, Associated Press"). Only asked after the
/// headline: above it, "Words | Site" is a page title.
pub(crate) fn name_org_byline(t: &str) -> Option<Byline> {
    if t.len() > 120 || memchr::memchr2(b'|', b',', t.as_bytes()).is_none() {
        return None;
    }
    let (name, org) = t.split_once(['|', ','])?;
    let (name, org) = (name.trim(), org.trim());
    if org.contains(['|', ',']) || !is_person_name(name, 2) || name.split_whitespace().count() > 4 {
        return None;
    }
    // "Jane Roe, Staff writer": the title is furniture.
    let organization = if super::vocab::is_title_line(org) {
        None
    } else if super::vocab::is_masthead(org) || is_org_like(org) {
        Some(normalize_ws(org))
    } else {
        return None;
    };
    Some(Byline::Persons {
        names: vec![normalize_ws(name)],
        organization,
    })
}

/// A byline without "By" whose names end in the place they reported from ("Jane Roe in
/// Lisbon", "Jane Roe and John Poe in Lisbon").
pub(crate) fn names_in_place(t: &str) -> Option<Byline> {
    if t.len() > 120 || !t.contains(" in ") || t.ends_with(['.', '!', '?']) {
        return None;
    }
    let b = parse_byline(&format!("By {t}"))?;
    matches!(
        b,
        Byline::Persons {
            organization: None,
            ..
        }
    )
    .then_some(b)
}

/// The paper of a "Special to The Courier" credit.
pub(crate) fn special_to(s: &str) -> Option<&str> {
    let rest = s
        .get(..11)?
        .eq_ignore_ascii_case("special to ")
        .then(|| &s[11..])?;
    let rest = rest.trim();
    (is_org_like(rest) || super::vocab::is_masthead(rest)).then_some(rest)
}

/// A contact address alone on its line under a byline ("jroe@example.com").
pub(crate) fn is_email_line(t: &str) -> bool {
    t.len() <= 80
        && memchr::memchr(b'@', t.as_bytes()).is_some()
        && !t.contains(char::is_whitespace)
        && t.rsplit('@').next().is_some_and(|d| d.contains('.'))
}

/// A byline without the date printed after it ("Jane Roe on Nov. 27, 2015", "Jane Roe - 9:08
/// a.m.").
fn cut_byline_date(main: &str) -> &str {
    let Some(first_digit) = main.find(|c: char| c.is_ascii_digit()) else {
        return main;
    };
    let head = &main[..first_digit];
    [
        " on ",
        " - ",
        " — ",
        " – ",
        " Updated",
        " Published",
        " Posted",
        ", ",
    ]
    .iter()
    .filter_map(|sep| head.find(sep))
    .min()
    .map_or(main, |k| &main[..k])
}

/// "Name in CITY" gives the name and the place.
fn split_location(name: &str) -> (String, Option<String>) {
    if let Some((n, loc)) = name.rsplit_once(" in ")
        && loc.chars().next().is_some_and(char::is_uppercase)
        && !n.trim().is_empty()
    {
        return (normalize_ws(n), Some(normalize_ws(loc)));
    }
    (normalize_ws(name), None)
}

fn credit(
    name: String,
    organization: Option<String>,
    role: CreditRole,
    location: Option<String>,
) -> Option<Credit> {
    let name = name
        .trim()
        .trim_end_matches(['.', ',', ';'])
        .trim()
        .to_string();
    (!name.is_empty()).then(|| Credit {
        name,
        organization: organization.filter(|o| !o.is_empty()),
        role,
        location: location.filter(|l| !l.is_empty()),
    })
}

/// The names part of "Information for this (article|report|story) was (contributed|gathered|
/// compiled|provided) by REST[.]": REST without one final full stop, never empty.
///
/// Plain prefix steps: a regex capture with a lazy `.+?` runs the backtracking engine over the
/// whole paragraph.
fn information_rest(t: &str) -> Option<&str> {
    let s = t.strip_prefix("Information for this ")?;
    let s = ["article ", "report ", "story "]
        .iter()
        .find_map(|w| s.strip_prefix(w))?;
    let s = s.strip_prefix("was ")?;
    let s = ["contributed ", "gathered ", "compiled ", "provided "]
        .iter()
        .find_map(|w| s.strip_prefix(w))?;
    let rest = s.strip_prefix("by ")?;
    // `.` stops at a line break; units never hold one, but a text that did would not match.
    if rest.is_empty() || rest.contains('\n') {
        return None;
    }
    Some(match rest.strip_suffix('.') {
        Some(r) if !r.is_empty() => r,
        _ => rest,
    })
}

/// "Information for this article was contributed by A, B and C of ORG1; by D of ORG2; and by E
/// of ORG3."
pub(crate) fn information(t: &str) -> Option<Vec<Credit>> {
    if t.len() > 3000 || !t.starts_with("Information for this") {
        return None;
    }
    let rest = information_rest(t)?;
    let mut out = Vec::new();
    for seg in rest.split(';') {
        let seg = seg.trim();
        let seg = seg.strip_prefix("and ").unwrap_or(seg).trim();
        let seg = seg.strip_prefix("by ").unwrap_or(seg).trim();
        let (names, org) = match seg.rsplit_once(" of ") {
            Some((n, o))
                if o.trim()
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c == 't') =>
            {
                (n, Some(normalize_ws(o)))
            }
            _ => (seg, None),
        };
        for name in split_names(names) {
            let (name, location) = split_location(&name);
            out.extend(credit(name, org.clone(), CreditRole::Information, location));
        }
    }
    (!out.is_empty()).then_some(out)
}

static REUTERS_PAREN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\(\s*(?P<body>(?:(?i:additional|writing and|reporting and)\s+)?(?i:reporting|editing|writing|compiled)\s+by\s+[^()]+?)\s*\)\s*$",
    )
});
static REUTERS_BARE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?P<body>(?:(?i:additional)\s+)?(?i:reporting|editing|writing)\s+by\s+.+?)\.?$")
});

/// Whether `t` starts with `prefix` in ASCII case. The words asked about have no letter that
/// matches a non-ASCII one case-insensitively (no "k" or "s").
fn starts_with_ignore_ascii_case(t: &str, prefix: &str) -> bool {
    t.as_bytes()
        .get(..prefix.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Wire service credits in Reuters' form: "(Reporting by A in CITY and B; Editing by C)", at
/// the end of a paragraph or alone. Returns the credits and the byte offset where the credit
/// starts in `t`.
pub(crate) fn reuters(t: &str) -> Option<(Vec<Credit>, usize)> {
    let window = tail(t, 400);
    // `\)\s*$` closes the parenthesized form; the bare form starts with one of its words.
    let paren = window.trim_end().ends_with(')');
    let bare = t.len() <= 400
        && ["additional", "reporting", "editing", "writing"]
            .iter()
            .any(|w| starts_with_ignore_ascii_case(t, w));
    if !(paren || bare) {
        return None;
    }
    literal!(BY_LOWER, " by ");
    literal!(BY_UPPER, " By ");
    if !(BY_LOWER.is_in(window) || BY_UPPER.is_in(window)) {
        return None;
    }
    let offset = t.len() - window.len();
    // The parenthesized form is the text in the last parentheses (as for the trailing photo
    // credit), and it opens with one of its words.
    let paren = paren
        && super::captions::trailing_paren_text(window).is_some_and(|c| {
            let c = c.trim_start();
            ["additional", "writing", "reporting", "editing", "compiled"]
                .iter()
                .any(|w| starts_with_ignore_ascii_case(c, w))
        });
    let (body, start, strict) = if paren && let Some(c) = REUTERS_PAREN.captures(window) {
        (c.name("body")?.as_str(), offset + c.get(0)?.start(), false)
    } else if t.len() <= 400 {
        (REUTERS_BARE.captures(t)?.name("body")?.as_str(), 0, true)
    } else {
        return None;
    };
    let mut out = Vec::new();
    for seg in body.split(';') {
        let seg = seg.trim();
        let Some(by) = seg.find(" by ").or_else(|| seg.find(" By ")) else {
            continue;
        };
        let role = if seg[..by].to_lowercase().contains("editing") {
            CreditRole::Editing
        } else {
            CreditRole::Reporting
        };
        for name in split_names(&seg[by + 4..]) {
            let (name, location) = split_location(&name);
            if strict && !is_person_name(&name, 2) {
                return None;
            }
            out.extend(credit(name, Some("Reuters".to_string()), role, location));
        }
    }
    (!out.is_empty()).then_some((out, start))
}

static CONTRIBUTED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?P<subj>\S.*?)\s+(?:also\s+)?contributed(?P<tail>(?:\s+(?:to\s+(?:this|the)\s+(?:report|story|article)|reporting|this\s+report|from\s+[A-Z][^.,;]*))*)\s*\.?$",
    )
});
static POSSESSIVE_ORG: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?P<org>(?:The\s+)?[A-Z][\p{L}&.-]*(?:\s+[A-Z][\p{L}&.-]*){0,4})['’]s\s+(?P<rest>.+)$")
});
static WRITERS_ORG: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?P<org>(?:The\s+)?[A-Z][\p{L}&.-]*(?:\s+[A-Z][\p{L}&.-]*){0,4}?)\s+(?:(?:staff|special|freelance|news)\s+)?(?:writers?|reporters?|correspondents?|photographers?|journalists?|videojournalists?|researchers?)\s+(?P<rest>.+)$",
    )
});
static FROM_PLACE: LazyLock<Regex> = LazyLock::new(|| re(r"from\s+(?P<loc>[A-Z][^.,;]*)"));

/// "A and B contributed to this report.", "WTOP's A contributed to this report.", "Associated
/// Press writers A and B contributed." Returns the credited people and the organizations
/// credited without a person ("The Associated Press contributed to this report.").
pub(crate) fn contributed(t: &str) -> Option<(Vec<Credit>, Vec<String>)> {
    literal!(CONTRIBUTED_WORD, "contributed");
    if t.len() > 400 || !CONTRIBUTED_WORD.is_in(t) {
        return None;
    }
    let c = CONTRIBUTED.captures(t)?;
    let subj = c.name("subj")?.as_str().trim();
    let subj = subj.strip_prefix("Also ").unwrap_or(subj);
    let place = c
        .name("tail")
        .and_then(|m| FROM_PLACE.captures(m.as_str()))
        .map(|m| normalize_ws(&m["loc"]));
    let (org, names) = if let Some(p) = WRITERS_ORG.captures(subj) {
        (Some(normalize_ws(&p["org"])), p.name("rest")?.as_str())
    } else if let Some(p) = POSSESSIVE_ORG.captures(subj) {
        (Some(normalize_ws(&p["org"])), p.name("rest")?.as_str())
    } else {
        (None, subj)
    };
    let mut out = Vec::new();
    let mut orgs = Vec::new();
    for name in split_names(names) {
        if org.is_none() && is_org_like(&name) {
            orgs.push(name);
            continue;
        }
        let (name, own_org) = match name.rsplit_once(" of ") {
            Some((n, o)) if is_org_like(o) => (n.to_string(), Some(normalize_ws(o))),
            _ => (name, None),
        };
        let (name, location) = split_location(&name);
        if !is_person_name(&name, 2) {
            return None;
        }
        out.extend(credit(
            name,
            own_org.or_else(|| org.clone()),
            CreditRole::Contributed,
            location.or_else(|| place.clone()),
        ));
    }
    (!out.is_empty() || !orgs.is_empty()).then_some((out, orgs))
}

static REPORTED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?P<names>[A-Z][^.]*?)\s+reported\s+(?:this\s+(?:story|report)\s+)?from\s+(?P<loc>[A-Z][^.]*?)\.?$",
    )
});

/// "X reported from Y."
pub(crate) fn reported(t: &str) -> Option<Vec<Credit>> {
    literal!(REPORTED_WORD, " reported ");
    if t.len() > 300 || !REPORTED_WORD.is_in(t) {
        return None;
    }
    let c = REPORTED.captures(t)?;
    // "A reported from Lisbon, and B from Porto": each further "B from Place" is a credit.
    let mut groups: Vec<(&str, &str)> = Vec::new();
    let mut segments = c["loc"].split(", and ");
    groups.push((c.name("names")?.as_str(), segments.next()?));
    for seg in segments {
        let (names, loc) = seg.split_once(" from ")?;
        groups.push((names, loc));
    }
    let mut out = Vec::new();
    for (names, loc) in groups {
        let loc = normalize_ws(loc);
        for name in split_names(names) {
            if !is_person_name(&name, 1) {
                return None;
            }
            out.extend(credit(name, None, CreditRole::Reported, Some(loc.clone())));
        }
    }
    (!out.is_empty()).then_some(out)
}

static SIGNOFF: LazyLock<Regex> =
    LazyLock::new(|| re(r"^[—–-]{1,2}\s*(?P<name>[^,]+?)(?:,\s*(?P<loc>[A-Z][\p{L} .'’-]+))?$"));

/// An item sign-off inside a multi-item story: "— Nicole Winfield, Nairobi".
pub(crate) fn signoff(t: &str) -> Option<Credit> {
    if t.len() > 120 || !t.starts_with(['—', '–', '-']) {
        return None;
    }
    let c = SIGNOFF.captures(t)?;
    let name = normalize_ws(&c["name"]);
    if !is_person_name(&name, 2) {
        return None;
    }
    credit(
        name,
        None,
        CreditRole::ItemSignoff,
        c.name("loc").map(|m| normalize_ws(m.as_str())),
    )
}

static SOURCE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?i:source|sources|reference|references|via|courtesy)\s*:\s*(?P<org>[A-Z][^.:;|]+?)\s*$")
});
static SOURCE_TAIL: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:^|\s)(?i:source|reference)s?\s*:\s*(?P<org>[A-Z][^.:;|]+?)\s*$"));

/// A whole-line source credit ("Source: Associated Press").
pub(crate) fn source_line(t: &str) -> Option<String> {
    if t.len() > 90 || memchr::memchr(b':', t.as_bytes()).is_none() {
        return None;
    }
    let org = normalize_ws(&SOURCE_LINE.captures(t)?["org"]);
    (org.split_whitespace().count() <= 6).then_some(org)
}

/// A source credit closing a paragraph ("... last month. Reference: BBC News"): the
/// organization and the byte offset where the credit starts.
pub(crate) fn source_tail(t: &str) -> Option<(String, usize)> {
    let window = tail(t, 100);
    memchr::memchr(b':', window.as_bytes())?;
    let offset = t.len() - window.len();
    let c = SOURCE_TAIL.captures(window)?;
    let org = normalize_ws(&c["org"]);
    (org.split_whitespace().count() <= 6).then(|| (org, offset + c.get(0).map_or(0, |m| m.start())))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The patterns the plain steps above replace, as they were.
    fn old_information(t: &str) -> Option<&str> {
        static OLD: LazyLock<Regex> = LazyLock::new(|| {
            re(
                r"^Information for this (?:article|report|story) was (?:contributed|gathered|compiled|provided) by (?P<rest>.+?)\.?$",
            )
        });
        Some(OLD.captures(t)?.name("rest")?.as_str())
    }

    fn old_by_rest(t: &str) -> Option<&str> {
        static OLD: LazyLock<Regex> =
            LazyLock::new(|| re(r"^(?:[-–—•·]\s*)?(?:By|BY|by)\b\s*:?\s+(?P<rest>\S.*)$"));
        Some(OLD.captures(t)?.name("rest")?.as_str())
    }

    /// A case the proptest below once found: a Unicode space before the colon.
    #[test]
    fn byline_head_with_an_em_space_before_the_colon() {
        for s in [
            "-By\u{2003}: ",
            "By\u{2003}: Jane Doe",
            "by\u{2003}:\u{2003}x",
        ] {
            assert_eq!(by_rest(s), old_by_rest(s), "{s:?}");
            assert_eq!(
                may_start_with_by(s) && by_rest(s).is_some(),
                old_by_rest(s).is_some(),
                "{s:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn information_steps_match_the_regex(
            s in "Information for this (article|report|story|storyx) (was|is) (contributed|gathered|compiled|provided|made) (by|of) ?[A-Za-z .\n]{0,8}\\.{0,3}",
        ) {
            proptest::prop_assert_eq!(information_rest(&s), old_information(&s));
        }

        #[test]
        fn byline_head_matches_the_regex(
            s in "[-–—•·x]?( |\t|\u{a0})*(By|BY|by|bY|Bye|By_|By1)( |\t|:|\u{2003}|\n){0,4}[A-Za-zé.:\n ]{0,6}",
        ) {
            let old = old_by_rest(&s);
            proptest::prop_assert_eq!(may_start_with_by(&s) && by_rest(&s).is_some(), old.is_some());
            proptest::prop_assert_eq!(by_rest(&s), old);
        }

        #[test]
        fn reuters_gates_keep_every_regex_match(
            s in "[A-Za-z ]{0,6}(Additional |ADDITIONAL )?(Reporting|editing|WRITING|compiled|Writing and reporting) (by|By) [A-Za-z ;]{0,12}[.)]?( |\t)?",
            paren in proptest::bool::ANY,
            pad in "( |\t|\u{a0}|\\(|x){0,2}",
        ) {
            let t = if paren { format!("Text ({pad}{s}") } else { s };
            let window = tail(&t, 400);
            let paren_gate = window.trim_end().ends_with(')');
            let bare_gate = ["additional", "reporting", "editing", "writing"]
                .iter()
                .any(|w| starts_with_ignore_ascii_case(&t, w));
            proptest::prop_assert!(paren_gate || !REUTERS_PAREN.is_match(window));
            let paren_words = super::super::captions::trailing_paren_text(window).is_some_and(|c| {
                let c = c.trim_start();
                ["additional", "writing", "reporting", "editing", "compiled"]
                    .iter()
                    .any(|w| starts_with_ignore_ascii_case(c, w))
            });
            proptest::prop_assert!(paren_words || !REUTERS_PAREN.is_match(window));
            proptest::prop_assert!(bare_gate || !REUTERS_BARE.is_match(&t));
        }
    }
}
