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
/// headline weigh most, then deck, names and tags, notes; a match in the text alone least.
pub fn score(clipping: &Clipping, text: &str, needle: &str) -> Option<u32> {
    if needle.is_empty() {
        return Some(0);
    }
    // The text counts only where nothing shorter matched (it is the one long scan).
    match score_fields(clipping, needle) {
        0 if contains_ci(text, needle) => Some(10),
        0 => None,
        fields => Some(fields),
    }
}

/// The part of [`score`] from everything but the text (cheap: short strings only).
fn score_fields(clipping: &Clipping, needle: &str) -> u32 {
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
    score
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

/// A lowercased copy of everything searchable in each clipping, so a query is one fast
/// substring scan per clipping (SIMD via memchr) and only the hits are scored field by field.
/// An entry is rebuilt when its clipping's annotations change (a fingerprint tells), and the
/// text of an id never changes (the id is the hash of the text), so it never serves stale data.
#[derive(Debug, Default)]
pub struct SearchIndex {
    entries: std::collections::HashMap<String, (u64, Box<[u8]>)>,
}

/// A hash of the parts of a record a search reads besides the text.
fn fingerprint(c: &Clipping) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for part in [&c.notes, &c.id] {
        h.update(part.as_bytes());
        h.update(b"\0");
    }
    for t in &c.tags {
        h.update(t.as_bytes());
        h.update(b"\0");
    }
    for v in c.overrides.fields.values() {
        h.update(v.as_bytes());
        h.update(b"\0");
    }
    for hl in &c.highlights {
        h.update(hl.comment.as_bytes());
        h.update(b"\0");
        for t in &hl.tags {
            h.update(t.as_bytes());
            h.update(b"\0");
        }
    }
    h.digest()
}

/// Lowercase for matching: ASCII fast, full Unicode lowercase otherwise.
fn lower(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.to_lowercase()
    }
}

fn haystack(c: &Clipping, text: &str) -> Box<[u8]> {
    let meta = &c.parsed;
    let mut all = String::with_capacity(text.len() + 512);
    for part in [
        c.title(),
        c.field(Field::Deck).unwrap_or(""),
        &c.notes,
        text,
    ] {
        all.push_str(part);
        all.push('\n');
    }
    for name in meta
        .authors
        .iter()
        .chain(&meta.organizations)
        .chain(meta.contributors.iter().map(|p| &p.name))
        .chain(
            meta.contributors
                .iter()
                .filter_map(|p| p.organization.as_ref()),
        )
        .chain(&c.tags)
    {
        all.push_str(name);
        all.push('\n');
    }
    for hl in &c.highlights {
        all.push_str(&hl.comment);
        all.push('\n');
        for t in &hl.tags {
            all.push_str(t);
            all.push('\n');
        }
    }
    lower(&all).into_bytes().into_boxed_slice()
}

impl SearchIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Bring the entries up to date with `items` (parallel), dropping those of removed clippings.
    pub fn refresh<'a>(&mut self, items: &[(&'a Clipping, &'a str)]) {
        use rayon::prelude::*;
        let stale: Vec<(String, u64, Box<[u8]>)> = items
            .par_iter()
            .filter_map(|(c, text)| {
                let fp = fingerprint(c);
                match self.entries.get(&c.id) {
                    Some((old, _)) if *old == fp => None,
                    _ => Some((c.id.clone(), fp, haystack(c, text))),
                }
            })
            .collect();
        for (id, fp, hay) in stale {
            self.entries.insert(id, (fp, hay));
        }
        if self.entries.len() > items.len() {
            let live: std::collections::HashSet<&str> =
                items.iter().map(|(c, _)| c.id.as_str()).collect();
            self.entries.retain(|id, _| live.contains(id.as_str()));
        }
    }

    /// Like [`run`], scanning the index first.
    pub fn run<'a>(
        &mut self,
        items: impl IntoIterator<Item = (&'a Clipping, &'a str)>,
        query: &Query,
    ) -> Vec<&'a Clipping> {
        use rayon::prelude::*;
        let items: Vec<(&Clipping, &str)> = items.into_iter().collect();
        self.refresh(&items);
        let needle = lower(query.text.trim());
        if needle.is_empty() {
            return run(items, query);
        }
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        let entries = &self.entries;
        // One scan of each haystack decides the match; the short fields then give the rank, and
        // a hit in none of them means the hit is in the text.
        let hits: Vec<(u32, &Clipping)> = items
            .into_par_iter()
            .filter(|(c, _)| query.tags.iter().all(|t| has_tag(&c.tags, t)))
            .filter(|(c, _)| query.credit.as_deref().is_none_or(|who| credits(c, who)))
            .filter(|(c, _)| {
                entries
                    .get(&c.id)
                    .is_some_and(|(_, hay)| finder.find(hay).is_some())
            })
            .map(|(c, _)| {
                let fields = score_fields(c, &needle);
                (if fields > 0 { fields } else { 10 }, c)
            })
            .collect();
        rank(hits)
    }
}

/// Best score first, then newest published, newest imported, id.
fn rank(hits: Vec<(u32, &Clipping)>) -> Vec<&Clipping> {
    // The sort keys are looked up once per hit, not once per comparison.
    let mut keyed: Vec<_> = hits
        .into_iter()
        .map(|(score, c)| {
            let key = (
                std::cmp::Reverse(score),
                std::cmp::Reverse(c.field(Field::Published)),
                std::cmp::Reverse(c.imported.as_str()),
                c.id.as_str(),
            );
            (key, c)
        })
        .collect();
    keyed.sort_unstable_by_key(|(key, _)| *key);
    keyed.into_iter().map(|(_, c)| c).collect()
}

/// The clippings matching `query`, best first, then newest published, then newest imported.
/// `items` pairs each clipping with its text.
pub fn run<'a>(
    items: impl IntoIterator<Item = (&'a Clipping, &'a str)>,
    query: &Query,
) -> Vec<&'a Clipping> {
    let needle = query.text.trim().to_lowercase();
    let hits: Vec<(u32, &Clipping)> = items
        .into_iter()
        .filter(|(c, _)| query.tags.iter().all(|t| has_tag(&c.tags, t)))
        .filter(|(c, _)| query.credit.as_deref().is_none_or(|who| credits(c, who)))
        .filter_map(|(c, text)| score(c, text, &needle).map(|s| (s, c)))
        .collect();
    rank(hits)
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

#[cfg(test)]
mod index_tests {
    use super::*;
    use crate::library::{Library, OpenMode};

    #[test]
    fn the_index_finds_what_run_finds_and_follows_edits() {
        let tmp = tempfile::tempdir().expect("tmp");
        let mut lib = Library::open(tmp.path(), OpenMode::ReadWrite).expect("open");
        let mut rng = crate::sample::Rng::new(5);
        for n in 0..40 {
            let text = crate::sample::article(&mut rng, n, 1500);
            lib.import_text(&format!("{n}.txt"), &text).expect("import");
        }
        let mut index = SearchIndex::new();
        let items = |lib: &Library| -> Vec<(Clipping, String)> {
            lib.clippings()
                .map(|c| {
                    (
                        c.clone(),
                        lib.text(&c.id).map(|t| t.to_string()).unwrap_or_default(),
                    )
                })
                .collect()
        };
        let owned = items(&lib);
        let refs: Vec<(&Clipping, &str)> = owned.iter().map(|(c, t)| (c, t.as_str())).collect();
        for q in [
            "railway",
            "OKAFOR",
            "budget plan",
            "(3)",
            "nothing-like-this",
            "é",
        ] {
            let query = Query::text(q);
            let slow: Vec<&str> = run(refs.iter().copied(), &query)
                .iter()
                .map(|c| c.id.as_str())
                .collect();
            let fast: Vec<&str> = index
                .run(refs.iter().copied(), &query)
                .iter()
                .map(|c| c.id.as_str())
                .collect();
            assert_eq!(slow, fast, "query {q}");
        }
        // An edit to the notes is seen by the next query: the entry is rebuilt.
        let id = refs[0].0.id.clone();
        lib.update(&id, |c| c.notes = "Zanzibar connection".into())
            .expect("note");
        let owned = items(&lib);
        let refs: Vec<(&Clipping, &str)> = owned.iter().map(|(c, t)| (c, t.as_str())).collect();
        let hits = index.run(refs.iter().copied(), &Query::text("zanzibar"));
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].id, id);
        // A removed clipping is gone from the index.
        lib.trash(&id).expect("trash");
        let owned = items(&lib);
        let refs: Vec<(&Clipping, &str)> = owned.iter().map(|(c, t)| (c, t.as_str())).collect();
        assert!(
            index
                .run(refs.iter().copied(), &Query::text("zanzibar"))
                .is_empty()
        );
    }
}
