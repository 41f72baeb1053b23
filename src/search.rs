//! Queries over clippings: case-insensitive substring search, tag and credit filters, ranking.

use crate::model::{Clipping, Field};

/// What the reader is looking for. An empty query matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Case-insensitive substring of headline, deck, text, notes, tags or credited names.
    pub text: String,
    /// Every tag must be present (a tag also matches its children: "syria" matches
    /// "syria/diplomacy").
    pub tags: Vec<String>,
    /// A person or organization the clipping must credit (exact, case-insensitive).
    pub credit: Option<String>,
}

impl Query {
    pub fn text(text: impl Into<String>) -> Self {
        Query {
            text: text.into(),
            ..Default::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty() && self.tags.is_empty() && self.credit.is_none()
    }
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

/// True when the clipping credits this person or organization.
pub fn credits(clipping: &Clipping, who: &str) -> bool {
    let meta = &clipping.parsed;
    let same = |s: &str| s.eq_ignore_ascii_case(who.trim());
    meta.authors.iter().any(|a| same(a))
        || meta.organizations.iter().any(|o| same(o))
        || meta
            .contributors
            .iter()
            .any(|c| same(&c.name) || c.organization.as_deref().is_some_and(same))
}

/// How well a clipping matches lowercased `needle`: `None` when it does not. Matches in the
/// headline weigh most, then deck, names and tags, notes, and last the text.
pub fn score(clipping: &Clipping, text: &str, needle: &str) -> Option<u32> {
    if needle.is_empty() {
        return Some(0);
    }
    let hit = |s: &str| contains_ci(s, needle);
    let meta = &clipping.parsed;
    let mut score = 0;
    if clipping.field(Field::Headline).is_some_and(hit) {
        score += 100;
    }
    if clipping.field(Field::Deck).is_some_and(hit) {
        score += 40;
    }
    if meta.authors.iter().any(|a| hit(a))
        || meta.organizations.iter().any(|o| hit(o))
        || meta
            .contributors
            .iter()
            .any(|c| hit(&c.name) || c.organization.as_deref().is_some_and(hit))
    {
        score += 30;
    }
    if clipping.tags.iter().any(|t| hit(t))
        || clipping
            .highlights
            .iter()
            .any(|h| h.tags.iter().any(|t| hit(t)))
    {
        score += 30;
    }
    if hit(&clipping.notes) || clipping.highlights.iter().any(|h| hit(&h.comment)) {
        score += 20;
    }
    if hit(text) {
        score += 10;
    }
    (score > 0).then_some(score)
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

/// The clippings matching `query`, best first, then newest published, then newest imported.
/// `items` pairs each clipping with its text.
pub fn run<'a>(
    items: impl IntoIterator<Item = (&'a Clipping, &'a str)>,
    query: &Query,
) -> Vec<&'a Clipping> {
    let needle = query.text.trim().to_lowercase();
    let mut hits: Vec<(u32, &Clipping)> = items
        .into_iter()
        .filter(|(c, _)| query.tags.iter().all(|t| has_tag(&c.tags, t)))
        .filter(|(c, _)| query.credit.as_deref().is_none_or(|who| credits(c, who)))
        .filter_map(|(c, text)| score(c, text, &needle).map(|s| (s, c)))
        .collect();
    hits.sort_by(|(sa, a), (sb, b)| {
        sb.cmp(sa)
            .then_with(|| b.field(Field::Published).cmp(&a.field(Field::Published)))
            .then_with(|| b.imported.cmp(&a.imported))
            .then_with(|| a.id.cmp(&b.id))
    });
    hits.into_iter().map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
