//! Photo captions and photo credits.

use std::sync::LazyLock;

use regex::Regex;

use super::lines::{literal, normalize_ws, tail, word_count_upto};
use super::vocab::{is_org_like, re};

/// A line about a photo that is not itself a caption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PhotoLine {
    /// A bare label ("photo") announcing a photo.
    Label,
    /// A credit-only line; the credit as it is listed.
    Credit(String),
}

static LABEL: LazyLock<Regex> = LazyLock::new(|| re(r"(?i)^(?:photos?|images?|pictures?)$"));
static AGENCY_PHOTO: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:(?:AP|Reuters|AFP|UPI|EPA|Getty|Staff|File|Associated Press|Pool|Handout)\s+)+(?:file\s+)?photo(?:graph)?s?$",
    )
});
static LABELLED: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?i:photo(?:graph)?s?|image|images|picture|pictures|credit)\s*:\s*(?P<c>\S.*)$")
});
/// A credit behind a word about the image ("Image copyright Getty Images", "Image source,
/// Reuters", "Photo credit: Jane Roe").
static NAMED_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?i:image|photo|picture)\s+(?i:copyright|source|credit)\s*[,:]?\s+(?P<c>\S.*)$")
});
static PHOTO_BY: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?:(?:AP|Staff|File|Reuters|AFP)\s+)?(?i:photo(?:graph)?s?)\s+(?:by|courtesy of)\s+\S.*$")
});
static AP_PHOTO: LazyLock<Regex> = LazyLock::new(|| re(r"^\(?\s*(?P<c>AP Photo/[^()]+?)\s*\)?$"));
static SLASH_CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^[A-Z][\p{L}.&-]*(?:\s+[A-Z][\p{L}.&-]*){0,2}\s?/\s?[A-Z][\p{L}.&-]*(?:\s+[A-Z][\p{L}.&-]*){0,3}$",
    )
});
static STOCK: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^(?:getty images|shutterstock|istock(?:photo)?|wikipedia|wikimedia commons|handout|pool photo|courtesy(?:\s+of)?\s+\S.*|.+\s+via\s+(?:getty images|ap|reuters|afp)|.+/getty images)$",
    )
});

/// Literal words every photo label or credit line contains.
static PHOTO_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?i)photo|image|picture|/|getty|shutterstock|istock|wiki|handout|courtesy|credit| via ")
});

/// Classifies a short line as a photo label or a credit-only line.
pub(crate) fn photo_line(t: &str) -> Option<PhotoLine> {
    if t.len() > 90 || word_count_upto(t, 8) > 8 {
        return None;
    }
    if !PHOTO_WORDS.is_match(t) {
        return None;
    }
    if LABEL.is_match(t) {
        return Some(PhotoLine::Label);
    }
    if let Some(c) = AP_PHOTO.captures(t) {
        return Some(PhotoLine::Credit(normalize_ws(&c["c"])));
    }
    if AGENCY_PHOTO.is_match(t)
        || PHOTO_BY.is_match(t)
        // "By Jane Roe / Staff Writer" is a byline.
        || (SLASH_CREDIT.is_match(t) && !t.starts_with("By "))
        || STOCK.is_match(t)
    {
        return Some(PhotoLine::Credit(normalize_ws(t)));
    }
    if let Some(c) = NAMED_CREDIT.captures(t) {
        return Some(PhotoLine::Credit(normalize_ws(&c["c"])));
    }
    if let Some(c) = LABELLED.captures(t) {
        return Some(PhotoLine::Credit(normalize_ws(&c["c"])));
    }
    None
}

static TRAILING_PAREN: LazyLock<Regex> = LazyLock::new(|| re(r"\((?P<c>[^()]+)\)\s*$"));
static TRAILING_PHOTO_BY: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:^|[\s.;,])(?:[-–—|]\s*)?(?P<c>(?:(?:AP|Staff|File|Reuters|AFP|UPI)\s+)?Photo(?:graph)?s?\s+(?:by|courtesy of)\s+[^|()]+?)\s*(?:\|[^|]*)?$",
    )
});

/// Whether the inside of a trailing parenthesis credits a photo.
fn paren_is_credit(inner: &str, lenient: bool) -> bool {
    let inner = inner.trim();
    inner.starts_with("AP Photo")
        || inner.contains("Photo")
        || inner.contains("photo")
        || inner.contains("Getty")
        || (inner.contains('/') && inner.chars().next().is_some_and(char::is_uppercase))
        || (lenient && is_org_like(inner))
}

/// What [`TRAILING_PAREN`] captures in `t`, found without the regex: the text between the last
/// '(' and a closing ')' followed only by white space, when it is not empty and holds no
/// parenthesis. The capture search runs only where this text credits a photo.
pub(crate) fn trailing_paren_text(t: &str) -> Option<&str> {
    let inner = t.trim_end().strip_suffix(')')?;
    let open = memchr::memrchr(b'(', inner.as_bytes())?;
    let c = inner.get(open + 1..)?;
    (!c.is_empty() && !c.contains(')')).then_some(c)
}

/// The photo credit printed at the end of a caption ("... (AP Photo/Name)", "... - Photo by
/// Name", "... (Associated Press)"). `lenient` also accepts a bare organization in parentheses,
/// which only says "photo credit" where the text is already known to be a caption.
pub(crate) fn trailing_credit(t: &str, lenient: bool) -> Option<String> {
    let end = tail(t, 240);
    if trailing_paren_text(end).is_some_and(|c| paren_is_credit(c, lenient))
        && let Some(c) = TRAILING_PAREN.captures(end)
        && (2..=80).contains(&c["c"].chars().count())
        && paren_is_credit(&c["c"], lenient)
    {
        return Some(normalize_ws(&c["c"]));
    }
    if let Some(c) = label_credit(end) {
        return Some(c);
    }
    // "Photo" or "photo": one scan for "hoto" and a look at the byte before each.
    literal!(HOTO, "hoto");
    let b = end.as_bytes();
    let mut from = 0;
    let has_photo = loop {
        let Some(k) = b.get(from..).and_then(|rest| HOTO.find_bytes(rest)) else {
            break false;
        };
        let at = from + k;
        if at > 0 && matches!(b.get(at - 1), Some(b'P' | b'p')) {
            break true;
        }
        from = at + 1;
    };
    if !has_photo {
        return None;
    }
    TRAILING_PHOTO_BY
        .captures(end)
        .map(|c| normalize_ws(&c["c"]))
}

/// The caption of an image saved as Markdown, the whole unit ("![Cars cross the bridge.](
/// https://example.com/a.jpg)"): the alt text, trimmed (empty where the image has none).
pub(crate) fn md_image(t: &str) -> Option<&str> {
    let rest = t.strip_prefix("![")?;
    let close = rest.rfind("](")?;
    let url = rest[close + 2..].strip_suffix(')')?;
    let alt = &rest[..close];
    (!url.contains(char::is_whitespace) && !alt.contains(['[', ']'])).then(|| alt.trim())
}

/// A credit behind a label at the very end of a caption, often glued to its last sentence
/// ("... in the capital.PHOTO: AGENCY", "... Video: AGENCY"): the credited name.
pub(crate) fn label_credit(t: &str) -> Option<String> {
    static LABEL: LazyLock<Regex> = LazyLock::new(|| {
        re(
            r"(?:^|[.!?\x22”’)\s])(?i:photo|video|image|picture|photograph)s?:[ \t]*(?P<c>[A-Z][^.:;|]{1,60})$",
        )
    });
    let end = tail(t, 90);
    memchr::memchr(b':', end.as_bytes())?;
    LABEL.captures(end).map(|c| normalize_ws(&c["c"]))
}

/// A caption behind its label ("Image caption The harbor at dawn", "Image caption, ...",
/// "Photo caption: ..."), as pages that print the label for screen readers save it.
pub(crate) fn labelled_caption(t: &str) -> Option<&str> {
    let head = t.get(..13)?;
    if !(head.eq_ignore_ascii_case("image caption") || head.eq_ignore_ascii_case("photo caption")) {
        return None;
    }
    let rest = t[13..].strip_prefix([',', ':']).unwrap_or(&t[13..]);
    let rest = rest.strip_prefix(char::is_whitespace)?.trim_start();
    (!rest.is_empty() && !rest.contains('\n')).then_some(rest)
}

/// The token and the white space before the caption of [`strip_template`]. The caption is the
/// rest of the unit (`\S.*$`): only the short prefix needs the regex, and a plain match of it
/// runs the fast engine where a capture of the whole unit would run a slower one over all of it.
static TEMPLATE_PREFIX: LazyLock<Regex> = LazyLock::new(|| re(r"^[\w.]*(?i:caption)\s+"));

/// A caption behind a page-template token ("story.lead_photo.caption Officers ...").
pub(crate) fn strip_template(t: &str) -> Option<&str> {
    // The token and "caption" hold no space, so "caption" (in any case: it has no letter that
    // matches a non-ASCII one) stands before the first space.
    let first = &t.as_bytes()[..memchr::memchr(b' ', t.as_bytes()).unwrap_or(t.len())];
    if !first.windows(6).any(|w| w.eq_ignore_ascii_case(b"aption")) {
        return None;
    }
    let head = &t[..t.floor_char_boundary(60)];
    literal!(APTION_LOWER, "aption");
    literal!(APTION_UPPER, "APTION");
    if !(APTION_LOWER.is_in(head) || APTION_UPPER.is_in(head)) {
        return None;
    }
    // The prefix ends after all its white space, so the rest starts with a non-space character
    // when it is not empty; `.` then takes everything but a line break.
    let end = TEMPLATE_PREFIX.find(t)?.end();
    let (head, rest) = t.split_at_checked(end)?;
    if rest.is_empty() || rest.contains('\n') {
        return None;
    }
    (head.contains('.') || head.contains('_')).then_some(rest)
}

static CUE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)\bin this\b[A-Za-z0-9 ,.'-]{0,40}?\b(?:photo|image|picture|handout)\b|^FILE\s*(?:[-–—]|PHOTO\s*:)|\((?:(?:second|third|fourth|far|at|from)\s+)?(?:left|right|center|centre|top|bottom|front|rear)(?:\s+to\s+(?:left|right))?\)|\(pictured\)|\(AP Photo/",
    )
});

/// Literal words every caption cue contains; one fast literal scan gates [`CUE`].
static CUE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"left\)|right\)|center\)|centre\)|top\)|bottom\)|front\)|rear\)|pictured\)|\(AP Photo/|[Ii]n this |IN THIS |^FILE",
    )
});

/// Whether `b` holds "N THIS ": found from its "H", a letter rarer in prose than the ones a
/// literal search would start from.
fn has_n_this_upper(b: &[u8]) -> bool {
    memchr::memchr_iter(b'H', b).any(|k| {
        k.checked_sub(3)
            .and_then(|s| b.get(s..s + 7))
            .is_some_and(|w| w == b"N THIS ")
    })
}

/// Whether a paragraph says it describes a photo ("in this photo", "(right)", "(AP Photo/...)").
pub(crate) fn has_caption_cue(t: &str) -> bool {
    if t.len() > 1000 {
        return false;
    }
    // Every cue word holds a parenthesis, "n this " in some case or starts the text with "FILE":
    // one byte scan and two literal scans turn away most paragraphs before the regexes.
    literal!(N_THIS, "n this ");
    let maybe = memchr::memchr2(b'(', b')', t.as_bytes()).is_some()
        || t.starts_with("FILE")
        || N_THIS.is_in(t)
        || has_n_this_upper(t.as_bytes());
    maybe && CUE_WORDS.is_match(t) && CUE.is_match(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn old_strip_template(t: &str) -> Option<&str> {
        static OLD: LazyLock<Regex> =
            LazyLock::new(|| re(r"^[\w.]*(?i:caption)\s+(?P<rest>\S.*)$"));
        let head = &t[..t.floor_char_boundary(60)];
        if !(head.contains("aption") || head.contains("APTION")) {
            return None;
        }
        let c = OLD.captures(t)?;
        let head = &t[..c.name("rest")?.start()];
        (head.contains('.') || head.contains('_')).then(|| c.name("rest").map_or(t, |m| m.as_str()))
    }

    fn old_has_photo(end: &str) -> bool {
        end.contains("Photo") || end.contains("photo")
    }

    proptest::proptest! {
        #[test]
        fn n_this_upper_matches_contains(s in "[NTHIS H]{0,12}") {
            proptest::prop_assert_eq!(has_n_this_upper(s.as_bytes()), s.contains("N THIS "));
        }

        #[test]
        fn trailing_paren_text_matches_the_regex(
            s in "[a-c (){}]{0,12}(\\(|\\)|[a-c/ ]|Photo|\u{a0}|\u{2003}|\n){0,8}",
        ) {
            let re = TRAILING_PAREN.captures(&s).map(|c| c["c"].to_string());
            proptest::prop_assert_eq!(trailing_paren_text(&s).map(str::to_string), re);
        }

        #[test]
        fn template_prefix_matches_the_regex(
            s in "([a-z_.é]{0,8}|[a-z.]{0,3} [a-z.]{0,3}|x\t)(caption|Caption|CAPTION|CaPtIoN|captions|aption)( |\t|\u{a0}|\n){0,3}[A-Za-z \n]{0,6}",
        ) {
            proptest::prop_assert_eq!(strip_template(&s), old_strip_template(&s));
        }

        #[test]
        fn caption_cue_gate_keeps_every_regex_match(
            s in "(FILE|[A-Za-z (),]){0,6}(left\\)|right\\)|pictured\\)|\\(AP Photo/|In this |in this |IN THIS |iN tHIS ){0,2}[A-Za-z (),]{0,6}",
        ) {
            let gate = memchr::memchr2(b'(', b')', s.as_bytes()).is_some()
                || s.starts_with("FILE")
                || s.contains("n this ")
                || s.contains("N THIS ");
            proptest::prop_assert!(gate || !CUE_WORDS.is_match(&s));
        }

        #[test]
        fn photo_scan_matches_contains(s in "[PpHhoOt ]{0,12}") {
            let t = format!("{s} (x)");
            let has = trailing_credit(&format!("A caption of some words {t}"), false).is_some()
                || !old_has_photo(&t);
            proptest::prop_assert!(has || TRAILING_PHOTO_BY.captures(&t).is_none());
        }
    }
}
