//! The app's list filters over clippings (tags, credit, speaker, mention) beside the text query, which the SQLite index answers ([`crate::index`]).

use crate::model::{Clipping, Field, organization_key};

/// What the reader is looking for. An empty query matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// The search box's text, in the query language ([`crate::query`]): the index answers it.
    pub text: String,
    /// Every tag must be present (a tag also matches its children: "syria" matches
    /// "syria/diplomacy").
    pub tags: Vec<String>,
    /// A person or organization the clipping must credit (exact, case-insensitive).
    pub credit: Option<String>,
    /// Someone the clipping must quote (exact, case-insensitive; see [`crate::quotes`]). A
    /// `speaker:WORD` in the text asks for a speaker whose name holds WORD.
    pub speaker: Option<String>,
    /// A person or place the body must mention (exact, case-insensitive).
    pub mention: Option<String>,
}

impl Query {
    pub fn text(text: impl Into<String>) -> Self {
        Query {
            text: text.into(),
            ..Default::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
            && self.tags.is_empty()
            && self.credit.is_none()
            && self.speaker.is_none()
            && self.mention.is_none()
    }

    /// Whether the query filters by speaker or mention (which read the quotations).
    pub fn reads_quotes(&self) -> bool {
        self.speaker.is_some() || self.mention.is_some()
    }

    /// True when a clipping passes the side filters: tags, credit, speaker and mention (the
    /// text query is the index's). `cached` is the clipping's mentions when a current
    /// [`crate::quotes::FacetIndex`] holds them; else `text` is asked for the text, and only
    /// for a speaker or mention filter.
    pub fn passes<T: AsRef<str>>(
        &self,
        clipping: &Clipping,
        text: impl FnOnce() -> Option<T>,
        cached: Option<&crate::quotes::Mentions>,
    ) -> bool {
        if !self.tags.iter().all(|t| has_tag(&clipping.tags, t))
            || !self
                .credit
                .as_deref()
                .is_none_or(|who| credits(clipping, who))
        {
            return false;
        }
        if !self.reads_quotes() {
            return true;
        }
        if let Some(m) = cached {
            return quotes_among(&m.speakers, self.speaker.as_deref(), &[])
                && self.mention.as_deref().is_none_or(|who| {
                    m.people
                        .iter()
                        .chain(&m.places)
                        .any(|n| n.eq_ignore_ascii_case(who.trim()))
                });
        }
        let text = text();
        let text = text.as_ref().map_or("", |t| t.as_ref());
        self.speaker
            .as_deref()
            .is_none_or(|who| quotes_someone(text, Some(who), &[]))
            && self
                .mention
                .as_deref()
                .is_none_or(|who| mentions(clipping, text, who))
    }
}

/// True when the text quotes `exact` (if given) and a speaker whose name holds each of `words`
/// (lowercased).
pub fn quotes_someone(text: &str, exact: Option<&str>, words: &[&str]) -> bool {
    // Most texts are ruled out by a substring scan before any extraction.
    let last = exact.and_then(|e| e.split_whitespace().next_back());
    if !last.is_none_or(|l| contains_ci(text, &l.to_lowercase()))
        || !words.iter().all(|w| contains_ci(text, w))
    {
        return false;
    }
    let speakers = crate::quotes::speakers(&crate::quotes::extract_text(text));
    quotes_among(&speakers, exact, words)
}

/// True when `speakers` holds `exact` (if given) and, for each of `words`, a speaker whose
/// name holds it.
fn quotes_among(speakers: &[String], exact: Option<&str>, words: &[&str]) -> bool {
    exact.is_none_or(|e| speakers.iter().any(|s| s.eq_ignore_ascii_case(e.trim())))
        && words
            .iter()
            .all(|w| speakers.iter().any(|s| contains_ci(s, w)))
}

/// True when the clipping's body mentions this person or place (see [`crate::quotes::mentions`]).
pub fn mentions(clipping: &Clipping, text: &str, who: &str) -> bool {
    let who = who.trim();
    if !contains_ci(text, &who.to_lowercase())
        && !clipping
            .field(Field::Dateline)
            .is_some_and(|d| contains_ci(d, &who.to_lowercase()))
    {
        return false;
    }
    let found = crate::quotes::mentions_of(clipping, text);
    found
        .people
        .iter()
        .chain(&found.places)
        .any(|m| m.eq_ignore_ascii_case(who))
}

/// True when `tags` holds `tag` or a child of it.
pub fn has_tag(tags: &[String], tag: &str) -> bool {
    let tag = tag.trim().trim_end_matches('/');
    tags.iter().any(|t| {
        t.eq_ignore_ascii_case(tag)
            || (t.len() > tag.len()
                && t.as_bytes()[tag.len()] == b'/'
                && t.is_char_boundary(tag.len())
                && t[..tag.len()].eq_ignore_ascii_case(tag))
    })
}

/// True when the clipping credits this person or organization, or is published by it.
/// Organizations compare in their normal form ("AP" is "The Associated Press").
pub fn credits(clipping: &Clipping, who: &str) -> bool {
    let meta = &clipping.parsed;
    let same = |s: &str| s.eq_ignore_ascii_case(who.trim());
    let key = organization_key(who);
    let same_org = |s: &str| same(s) || organization_key(s) == key;
    meta.authors.iter().any(|a| same(a))
        || meta.organizations.iter().any(|o| same_org(o))
        || clipping.field(Field::Publication).is_some_and(same_org)
        || meta
            .contributors
            .iter()
            .any(|c| same(&c.name) || c.organization.as_deref().is_some_and(same_org))
}

/// Case-insensitive substring test; `needle` must already be lowercase.
pub fn contains_ci(haystack: &str, needle: &str) -> bool {
    if needle.is_ascii() {
        let n = needle.as_bytes();
        let h = haystack.as_bytes();
        if n.len() > h.len() {
            return false;
        }
        let first = n[0];
        let upper = first.to_ascii_uppercase();
        let mut i = 0;
        while i + n.len() <= h.len() {
            let b = h[i];
            if (b == first || b == upper) && h[i..i + n.len()].eq_ignore_ascii_case(n) {
                return true;
            }
            i += 1;
        }
        false
    } else {
        haystack.to_lowercase().contains(needle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::{Library, OpenMode};

    #[test]
    fn hierarchical_tags() {
        let tags = vec!["syria/diplomacy".to_string(), "Russia".to_string()];
        assert!(has_tag(&tags, "syria"));
        assert!(has_tag(&tags, "syria/diplomacy"));
        assert!(has_tag(&tags, "russia"));
        assert!(!has_tag(&tags, "syr"));
        assert!(!has_tag(&tags, "syria/war"));
    }

    #[test]
    fn case_insensitive_contains() {
        assert!(contains_ci("The Islamic State", "islamic"));
        assert!(!contains_ci("The Islamic State", "islamist"));
        assert!(contains_ci("ÜBER Straße", "über"));
        assert!(contains_ci("abc", "c"));
        assert!(!contains_ci("ab", "abc"));
    }

    /// The publication filters like a credit, in its normal form, with the reader's
    /// correction counting.
    #[test]
    fn publication_is_filtered_as_a_credit() {
        let tmp = tempfile::tempdir().expect("tmp");
        let mut lib = Library::open(tmp.path(), OpenMode::ReadWrite).expect("open");
        lib.import_text(
            "a.txt",
            "Harbor bridge opens\n\nCity officials opened it.\n",
        )
        .expect("import");
        let id = lib.clippings().next().expect("one").id.clone();
        lib.update(&id, |c| {
            c.overrides
                .fields
                .insert(Field::Publication, "The Quillby Courier".into());
        })
        .expect("edit");
        let c = lib.get(&id).expect("clipping");
        assert!(credits(c, "Quillby Courier"));
        assert!(credits(c, "the quillby courier"));
        assert!(!credits(c, "Quillby Times"));
    }

    /// The exact speaker filter finds the clipping quoting someone, not one that only names
    /// them; the mention filter finds both; reading the text and the cached mentions agree.
    #[test]
    fn speaker_and_mention_filters() {
        let tmp = tempfile::tempdir().expect("tmp");
        let mut lib = Library::open(tmp.path(), OpenMode::ReadWrite).expect("open");
        lib.import_text(
            "a.txt",
            "Dam opens\n\nMayor Lena Okafor cut the ribbon in Quillby.\n\n\"It took nine years,\" Okafor said.\n",
        )
        .expect("import");
        lib.import_text(
            "b.txt",
            "Dam criticised\n\nCritics of Lena Okafor met in Quillby.\n\n\"It is too late,\" said Ama Mensah.\n",
        )
        .expect("import");
        let mut cache = crate::quotes::FacetIndex::new();
        cache.refresh(&lib);
        let find = |q: &Query, cached: bool| -> Vec<String> {
            lib.clippings()
                .filter(|c| {
                    let m = if cached { cache.mentions(&c.id) } else { None };
                    q.passes(c, || lib.text(&c.id).ok(), m)
                })
                .map(|c| c.title().to_string())
                .collect()
        };
        let exact = Query {
            speaker: Some("lena okafor".into()),
            ..Default::default()
        };
        assert!(!exact.is_empty());
        assert_eq!(find(&exact, false), vec!["Dam opens"]);
        assert_eq!(find(&exact, true), vec!["Dam opens"]);
        let mention = Query {
            mention: Some("Quillby".into()),
            ..Default::default()
        };
        assert_eq!(find(&mention, false).len(), 2);
        assert_eq!(find(&mention, true).len(), 2);
        let nobody = Query {
            speaker: Some("nobody".into()),
            ..Default::default()
        };
        assert!(find(&nobody, false).is_empty());
        assert!(find(&nobody, true).is_empty());
    }
}
