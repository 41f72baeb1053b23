//! Queries over clippings: case-insensitive substring search, tag and credit filters, ranking.

use crate::library::Library;
use crate::model::{Clipping, Field, organization_key};

/// What the reader is looking for. An empty query matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Words separated by spaces, each a case-insensitive substring of the headline, deck, text,
    /// notes, tags or credited names: a clipping matches when it holds every word, anywhere.
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

    /// True when a clipping (with its text) passes the speaker and mention filters, the exact
    /// ones and the `speaker:` words of lowercased `needle`. `cached` is the clipping's
    /// mentions when a current [`crate::quotes::FacetIndex`] holds them (else the text is
    /// read again).
    fn quotes_pass(
        &self,
        clipping: &Clipping,
        text: &str,
        needle: &str,
        cached: Option<&crate::quotes::Mentions>,
    ) -> bool {
        let words: Vec<&str> = speaker_words(needle).collect();
        let speaker_ok = self.speaker.is_none() && words.is_empty()
            || match cached {
                Some(m) => quotes_among(&m.speakers, self.speaker.as_deref(), &words),
                None => quotes_someone(text, self.speaker.as_deref(), &words),
            };
        speaker_ok
            && self.mention.as_deref().is_none_or(|who| match cached {
                Some(m) => m
                    .people
                    .iter()
                    .chain(&m.places)
                    .any(|n| n.eq_ignore_ascii_case(who.trim())),
                None => mentions(clipping, text, who),
            })
    }

    /// Whether the query filters by speaker or mention (which read the quotations).
    fn reads_quotes(&self, needle: &str) -> bool {
        self.speaker.is_some() || self.mention.is_some() || speaker_words(needle).next().is_some()
    }
}

/// The prefix of a search word that asks for a speaker.
const SPEAKER_PREFIX: &str = "speaker:";

/// The `speaker:WORD` words of a lowercased query, without the prefix.
fn speaker_words(needle: &str) -> impl Iterator<Item = &str> {
    needle
        .split_whitespace()
        .filter_map(|w| w.strip_prefix(SPEAKER_PREFIX))
        .filter(|w| !w.is_empty())
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

/// The words of a lowercased query, each searched for on its own.
pub fn words(needle: &str) -> impl Iterator<Item = &str> {
    needle
        .split_whitespace()
        .filter(|w| !w.starts_with(SPEAKER_PREFIX))
}

/// How well a clipping matches lowercased `needle`: `None` when it misses one of its words.
/// Each word scores as [`score_word`] says and the scores add up.
pub fn score(clipping: &Clipping, text: &str, needle: &str) -> Option<u32> {
    let mut total = 0;
    for word in words(needle) {
        total += score_word(clipping, text, word)?;
    }
    Some(total)
}

/// How well a clipping matches one lowercased word: `None` when it does not. Matches in the
/// headline weigh most, then deck, names and tags, notes; a match in the text alone least.
fn score_word(clipping: &Clipping, text: &str, needle: &str) -> Option<u32> {
    if needle.is_empty() {
        return Some(0);
    }
    // The text counts only where nothing shorter matched (it is the one long scan).
    match score_fields(clipping, needle) {
        0 if contains_ci(text, needle) => Some(TEXT_WEIGHT),
        0 => None,
        fields => Some(fields),
    }
}

/// The part of [`score`] from everything but the text (cheap: short strings only): the weight
/// of each short field (see [`visit_short_fields`]) with a part that holds the needle.
fn score_fields(clipping: &Clipping, needle: &str) -> u32 {
    let mut score = 0;
    let mut field = 0;
    let mut field_hit = false;
    visit_short_fields(clipping, |part| match part {
        Some(part) => field_hit = field_hit || contains_ci(part, needle),
        None => {
            if field_hit {
                score += FIELD_WEIGHTS.get(field).copied().unwrap_or(0);
            }
            field += 1;
            field_hit = false;
        }
    });
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

/// A lowercased copy of everything searchable in each clipping, so a query is a few fast
/// substring scans per clipping (SIMD via memchr) instead of case-folding every text again.
///
/// Entries sit in the library's order, one per clipping, each split into the fields that
/// weigh differently in the rank. The index is brought up to date when the library's
/// [`Library::revision`] moves: the entries of the clippings the library says changed
/// ([`Library::changed_since`]) are rebuilt, or, when it cannot say, every entry is checked and
/// rebuilt if what it copied changed (a fingerprint tells) or its text is another one. So it
/// never serves stale data. While the reader types, a query that extends the previous one is
/// only tried on the previous hits.
#[derive(Debug, Default)]
pub struct SearchIndex {
    /// The library (instance and revision) the entries were built for.
    built_for: Option<(u64, u64)>,
    entries: Vec<Entry>,
    /// Each entry's place in the order that breaks ties between equal scores (newest
    /// published, newest imported, id), so ranking hits is a sort of integers.
    tie_order: Vec<u32>,
    /// The last query with text and the positions (in `entries`) of its hits.
    last: Option<LastQuery>,
    /// Each clipping's quotations' speakers and the people and places it mentions, for the
    /// speaker and mention filters and the facets.
    facets: crate::quotes::FacetIndex,
}

#[derive(Debug)]
struct LastQuery {
    revision: u64,
    needle: String,
    tags: Vec<String>,
    credit: Option<String>,
    speaker: Option<String>,
    mention: Option<String>,
    hits: Vec<u32>,
}

#[derive(Debug)]
struct Entry {
    id: String,
    /// A hash of what the short fields copied (see [`fingerprint`]).
    fingerprint: u64,
    /// The state of the text file the entry was built from, so a changed text is noticed.
    text: Option<TextStamp>,
    /// Headline, deck, names, tags and notes (fields separated by NUL), then the text; all
    /// lowercased.
    hay: Box<[u8]>,
    /// Where each of the five short fields ends in `hay`; the text runs from the last to the end.
    ends: [u32; 5],
}

/// What a hit in each short field adds to the score, in the order of [`visit_short_fields`]
/// (and of [`Entry::ends`]).
const FIELD_WEIGHTS: [u32; 5] = [100, 40, 30, 30, 20];
/// The score of a hit in the text alone.
const TEXT_WEIGHT: u32 = 10;

/// Visit the short fields of a clipping, the ones a search weighs (the plain search and the
/// index alike): headline, deck, names, tags (the clipping's and its highlights'), notes (with
/// the highlights' comments).
/// `visit` gets each part as `Some(part)`, and `None` at the end of each of the five fields.
fn visit_short_fields<'a>(c: &'a Clipping, mut visit: impl FnMut(Option<&'a str>)) {
    let meta = &c.parsed;
    c.field(Field::Headline)
        .into_iter()
        .for_each(|p| visit(Some(p)));
    visit(None);
    c.field(Field::Deck)
        .into_iter()
        .for_each(|p| visit(Some(p)));
    visit(None);
    c.field(Field::Publication)
        .into_iter()
        .for_each(|p| visit(Some(p)));
    for name in meta.authors.iter().chain(&meta.organizations) {
        visit(Some(name));
    }
    for p in &meta.contributors {
        visit(Some(&p.name));
        if let Some(org) = &p.organization {
            visit(Some(org));
        }
    }
    visit(None);
    for tag in c
        .tags
        .iter()
        .chain(c.highlights.iter().flat_map(|h| &h.tags))
    {
        visit(Some(tag));
    }
    visit(None);
    visit(Some(&c.notes));
    for h in &c.highlights {
        visit(Some(&h.comment));
    }
    visit(None);
}

/// The short fields as five lists of parts (see [`visit_short_fields`]).
fn short_fields(c: &Clipping) -> [Vec<&str>; 5] {
    let mut fields: [Vec<&str>; 5] = Default::default();
    let mut at = 0;
    visit_short_fields(c, |part| match part {
        Some(part) => {
            if let Some(field) = fields.get_mut(at) {
                field.push(part);
            }
        }
        None => at += 1,
    });
    fields
}

/// Feeds the fingerprint hash one part or field end, the same way wherever it is computed.
fn hash_part(h: &mut xxhash_rust::xxh3::Xxh3, part: Option<&str>) {
    match part {
        Some(part) => {
            h.update(part.as_bytes());
            h.update(b"\0");
        }
        None => h.update(b"\x01"),
    }
}

/// A hash of the short fields (as [`Entry::from_fields`] computes it), without copying them:
/// an entry whose fingerprint still matches needs no rebuilding.
fn fingerprint(c: &Clipping) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    visit_short_fields(c, |part| hash_part(&mut h, part));
    h.digest()
}

/// What building the index needs of each clipping, copied out of the library (short strings
/// and a shared pointer to the text), so the costly part, lowercasing every text, can run on
/// another thread while the app stays responsive.
#[derive(Debug)]
pub struct IndexSource {
    items: Vec<SourceItem>,
    texts: crate::library::TextReader,
}

/// One clipping's id, short fields and the state of its text file, as an [`IndexSource`]
/// holds them (the text is read when the entry is built).
type SourceItem = (String, [Vec<String>; 5], Option<TextStamp>);

use crate::library::TextStamp;

/// Entries built from an [`IndexSource`], to hand to [`SearchIndex::adopt`].
#[derive(Debug)]
pub struct BuiltEntries(Vec<Entry>);

impl IndexSource {
    pub fn of(lib: &Library) -> IndexSource {
        let items = lib
            .clippings()
            .map(|c| {
                let fields = short_fields(c).map(|f| f.into_iter().map(str::to_string).collect());
                (c.id.clone(), fields, lib.text_stamp(&c.id))
            })
            .collect();
        IndexSource {
            items,
            texts: lib.text_reader(),
        }
    }

    /// Build the entries (in parallel); the slow part, meant for a background thread.
    pub fn build(self) -> BuiltEntries {
        use rayon::prelude::*;
        BuiltEntries(
            self.items
                .par_iter()
                .map(|(id, fields, stamp)| {
                    let text = stamp.and_then(|_| self.texts.read(id).ok());
                    Entry::from_fields(id, fields, text.as_deref(), *stamp)
                })
                .collect(),
        )
    }
}

/// Lowercase for matching: ASCII fast, full Unicode lowercase otherwise.
fn lower(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.to_lowercase()
    }
}

/// Append `s` lowercased (as [`lower`] would) to `out`, taking ASCII runs a byte at a time.
fn push_lower(out: &mut Vec<u8>, s: &str) {
    let mut rest = s;
    while !rest.is_empty() {
        let ascii = rest.bytes().take_while(u8::is_ascii).count();
        out.extend(rest.as_bytes()[..ascii].iter().map(u8::to_ascii_lowercase));
        rest = &rest[ascii..];
        let other = rest
            .char_indices()
            .find(|(_, ch)| ch.is_ascii())
            .map_or(rest.len(), |(i, _)| i);
        if other > 0 {
            out.extend_from_slice(rest[..other].to_lowercase().as_bytes());
            rest = &rest[other..];
        }
    }
}

impl Entry {
    fn new(c: &Clipping, lib: &Library) -> Entry {
        let text = lib.text(&c.id).ok();
        Entry::from_fields(
            &c.id,
            &short_fields(c),
            text.as_deref(),
            lib.text_stamp(&c.id),
        )
    }

    fn from_fields<S: AsRef<str>>(
        id: &str,
        fields: &[Vec<S>; 5],
        text: Option<&str>,
        stamp: Option<TextStamp>,
    ) -> Entry {
        let body = text.unwrap_or("");
        let mut hay = Vec::with_capacity(body.len() + 512);
        let mut ends = [0u32; 5];
        let mut hash = xxhash_rust::xxh3::Xxh3::new();
        for (field, end) in fields.iter().zip(&mut ends) {
            for part in field {
                let part = part.as_ref();
                push_lower(&mut hay, part);
                hay.push(0);
                hash_part(&mut hash, Some(part));
            }
            hash_part(&mut hash, None);
            *end = u32::try_from(hay.len()).unwrap_or(u32::MAX);
        }
        push_lower(&mut hay, body);
        Entry {
            id: id.to_string(),
            fingerprint: hash.digest(),
            text: stamp,
            hay: hay.into_boxed_slice(),
            ends,
        }
    }

    fn is_current(&self, c: &Clipping, text: Option<TextStamp>) -> bool {
        self.text == text && self.fingerprint == fingerprint(c)
    }

    /// The score of a lowercased query's words, as [`score`] gives it: `None` when one misses.
    fn score_all(&self, finders: &[memchr::memmem::Finder]) -> Option<u32> {
        let mut total = 0;
        for finder in finders {
            total += self.score(finder)?;
        }
        Some(total)
    }

    /// The score of one lowercased word, as [`score_word`] gives it, or `None` for no match.
    fn score(&self, finder: &memchr::memmem::Finder) -> Option<u32> {
        let mut start = 0;
        let mut score = 0;
        for (&end, weight) in self.ends.iter().zip(FIELD_WEIGHTS) {
            let end = (end as usize).min(self.hay.len());
            if finder.find(&self.hay[start..end]).is_some() {
                score += weight;
            }
            start = end;
        }
        if score > 0 {
            Some(score)
        } else {
            finder.find(&self.hay[start..]).map(|_| TEXT_WEIGHT)
        }
    }
}

impl SearchIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// The speaker, people and place cache the filters use; the app brings it up to date
    /// (in the background when much changed) and shows its facets.
    pub fn facets(&mut self) -> &mut crate::quotes::FacetIndex {
        &mut self.facets
    }

    /// True once the index holds entries (built here or adopted), even if the library changed
    /// since: the next search then rebuilds only what changed.
    pub fn is_built(&self) -> bool {
        self.built_for.is_some() || !self.entries.is_empty()
    }

    /// Take entries built elsewhere (see [`IndexSource`]) if the index has none yet. They are
    /// checked against the library at the next search like any other entry, so entries for a
    /// clipping that changed meanwhile are rebuilt, never served.
    pub fn adopt(&mut self, built: BuiltEntries) {
        if !self.is_built() {
            self.entries = built.0;
            self.built_for = None;
            self.last = None;
        }
    }

    /// Bring the entries up to date with the library. Costs one comparison when nothing
    /// changed since the last call; after a few edits only their entries are looked at; after
    /// many (or for another library) every entry is checked and what changed is copied again
    /// (in parallel).
    pub fn refresh(&mut self, lib: &Library) {
        let now = (lib.instance(), lib.revision());
        if self.built_for == Some(now) && self.entries.len() == lib.len() {
            return;
        }
        if !self.refresh_changed(lib) {
            self.refresh_all(lib);
        }
        self.tie_order = tie_order(lib);
        self.built_for = Some(now);
        self.last = None;
    }

    /// Rebuild only the entries of the clippings the library says changed since the index
    /// was built. False when that cannot be done (another library, too many changes).
    fn refresh_changed(&mut self, lib: &Library) -> bool {
        let Some((instance, revision)) = self.built_for else {
            return false;
        };
        let changed = match lib.changed_since(revision) {
            Some(changed) if instance == lib.instance() && changed.len() <= 256 => changed,
            _ => return false,
        };
        for id in changed {
            let at = self.entries.binary_search_by(|e| e.id.as_str().cmp(id));
            match (at, lib.get(id)) {
                (Ok(i), Some(c)) => {
                    if let Some(entry) = self.entries.get_mut(i)
                        && !entry.is_current(c, lib.text_stamp(id))
                    {
                        *entry = Entry::new(c, lib);
                    }
                }
                (Ok(i), None) => {
                    self.entries.remove(i);
                }
                (Err(i), Some(c)) => self.entries.insert(i, Entry::new(c, lib)),
                (Err(_), None) => {}
            }
        }
        self.entries.len() == lib.len()
    }

    /// Check every entry against the library, rebuilding what changed (in parallel).
    fn refresh_all(&mut self, lib: &Library) {
        use rayon::prelude::*;
        // Both the old entries and the library's clippings are ordered by id: walk them
        // together to pair each clipping with its old entry, then check the pairs (and
        // rebuild what changed) in parallel.
        let mut old = std::mem::take(&mut self.entries).into_iter().peekable();
        let mut pairs: Vec<(&Clipping, Option<Entry>)> = Vec::with_capacity(lib.len());
        for c in lib.clippings() {
            while old.next_if(|e| e.id < c.id).is_some() {}
            pairs.push((c, old.next_if(|e| e.id == c.id)));
        }
        self.entries = pairs
            .into_par_iter()
            .map(|(c, entry)| match entry {
                Some(entry) if entry.is_current(c, lib.text_stamp(&c.id)) => entry,
                _ => Entry::new(c, lib),
            })
            .collect();
    }

    /// The library's clippings matching `query`, ranked as [`run`] ranks them.
    pub fn run<'a>(&mut self, lib: &'a Library, query: &Query) -> Vec<&'a Clipping> {
        use rayon::prelude::*;
        let needle = lower(query.text.trim());
        let plain = || run_reading(lib, query);
        // NUL separates the fields in an entry, so a needle holding one is left to the plain
        // search.
        if needle.is_empty() && !query.reads_quotes(&needle) || needle.contains('\0') {
            return plain();
        }

        self.refresh(lib);
        // The speaker and mention filters read the cached mentions when the cache is current
        // or a few changes from it (or the library is small); a cache still to be built (in
        // the background, see [`SearchIndex::facets`]) leaves them to read the texts.
        if query.reads_quotes(&needle)
            && (lib.len() <= crate::quotes::FACET_IN_PLACE || !self.facets.needs_background(lib))
        {
            self.facets.refresh(lib);
        }
        let facets =
            (query.reads_quotes(&needle) && self.facets.is_current(lib)).then_some(&self.facets);
        let clippings: Vec<&Clipping> = lib.clippings().collect();
        if clippings.len() != self.entries.len() {
            return plain();
        }
        let revision = lib.revision();
        // Typing one more letter only narrows the previous hits. That holds for several words
        // too: when the new query contains the old one, each old word lies inside a new word.
        let narrowed = self.last.as_ref().filter(|last| {
            last.revision == revision
                && needle.contains(last.needle.as_str())
                && last.tags == query.tags
                && last.credit == query.credit
                && last.speaker == query.speaker
                && last.mention == query.mention
        });
        let candidates: Vec<u32> = match narrowed {
            Some(last) => last.hits.clone(),
            None => (0..u32::try_from(clippings.len()).unwrap_or(u32::MAX)).collect(),
        };
        let finders: Vec<memchr::memmem::Finder> = words(&needle)
            .map(|w| memchr::memmem::Finder::new(w.as_bytes()))
            .collect();
        let entries = &self.entries;
        let hits: Vec<(u32, u32)> = candidates
            .into_par_iter()
            .with_min_len(64)
            .filter_map(|i| {
                let c = clippings.get(i as usize)?;
                let entry = entries.get(i as usize)?;
                if !query.tags.iter().all(|t| has_tag(&c.tags, t))
                    || !query.credit.as_deref().is_none_or(|who| credits(c, who))
                {
                    return None;
                }
                let score = entry.score_all(&finders)?;
                let cached = facets.and_then(|f| f.mentions(&c.id));
                // The text is read only when the quote filters need it and no cache answers.
                let text = if cached.is_none() && query.reads_quotes(&needle) {
                    lib.text(&c.id).ok()
                } else {
                    None
                };
                let text = text.as_deref().unwrap_or("");
                query
                    .quotes_pass(c, text, &needle, cached)
                    .then_some((score, i))
            })
            .collect();
        self.last = Some(LastQuery {
            revision,
            needle,
            tags: query.tags.clone(),
            credit: query.credit.clone(),
            speaker: query.speaker.clone(),
            mention: query.mention.clone(),
            hits: hits.iter().map(|&(_, i)| i).collect(),
        });
        let mut ranked = hits;
        let tie_order = &self.tie_order;
        ranked.par_sort_unstable_by_key(|&(score, i)| {
            (
                std::cmp::Reverse(score),
                tie_order.get(i as usize).copied().unwrap_or(u32::MAX),
            )
        });
        ranked
            .into_iter()
            .filter_map(|(_, i)| clippings.get(i as usize).copied())
            .collect()
    }
}

/// The order of clippings with equal scores: newest published, newest imported, then id.
type TieKey<'a> = (
    std::cmp::Reverse<Option<&'a str>>,
    std::cmp::Reverse<&'a str>,
    &'a str,
);

fn tie_key(c: &Clipping) -> TieKey<'_> {
    (
        std::cmp::Reverse(c.field(Field::Published)),
        std::cmp::Reverse(c.imported.as_str()),
        c.id.as_str(),
    )
}

/// Each clipping's place (in library order) in the order of [`tie_key`].
fn tie_order(lib: &Library) -> Vec<u32> {
    use rayon::prelude::*;
    let keys: Vec<TieKey> = lib.clippings().map(tie_key).collect();
    let mut by_tie: Vec<u32> = (0..u32::try_from(keys.len()).unwrap_or(u32::MAX)).collect();
    by_tie.par_sort_unstable_by(|&a, &b| keys.get(a as usize).cmp(&keys.get(b as usize)));
    let mut order = vec![0; by_tie.len()];
    for (place, &i) in by_tie.iter().enumerate() {
        if let Some(slot) = order.get_mut(i as usize) {
            *slot = u32::try_from(place).unwrap_or(u32::MAX);
        }
    }
    order
}

/// Best score first, then newest published, newest imported, id.
fn rank(hits: Vec<(u32, &Clipping)>) -> Vec<&Clipping> {
    // The sort keys are looked up once per hit, not once per comparison.
    let mut keyed: Vec<_> = hits
        .into_iter()
        .map(|(score, c)| ((std::cmp::Reverse(score), tie_key(c)), c))
        .collect();
    keyed.sort_unstable_by_key(|(key, _)| *key);
    keyed.into_iter().map(|(_, c)| c).collect()
}

/// The clippings matching `query`, best first, then newest published, then newest imported.
/// `items` pairs each clipping with its text.
/// [`run`] over every clipping of `lib`, each text read from disk (an unreadable one counts
/// as empty).
pub fn run_reading<'a>(lib: &'a Library, query: &Query) -> Vec<&'a Clipping> {
    let needle = query.text.trim().to_lowercase();
    if needle.is_empty() && !query.reads_quotes(&needle) {
        // Tags and credits only: no text is looked at, so none is read.
        return run(lib.clippings().map(|c| (c, "")), query);
    }
    let texts: Vec<(&Clipping, std::sync::Arc<str>)> = lib
        .clippings()
        .map(|c| {
            (
                c,
                lib.text(&c.id).unwrap_or_else(|_| std::sync::Arc::from("")),
            )
        })
        .collect();
    let hits: Vec<String> = run(texts.iter().map(|(c, t)| (*c, &**t)), query)
        .into_iter()
        .map(|c| c.id.clone())
        .collect();
    hits.iter().filter_map(|id| lib.get(id)).collect()
}

pub fn run<'a>(
    items: impl IntoIterator<Item = (&'a Clipping, &'a str)>,
    query: &Query,
) -> Vec<&'a Clipping> {
    let needle = query.text.trim().to_lowercase();
    let hits: Vec<(u32, &Clipping)> = items
        .into_iter()
        .filter(|(c, _)| query.tags.iter().all(|t| has_tag(&c.tags, t)))
        .filter(|(c, _)| query.credit.as_deref().is_none_or(|who| credits(c, who)))
        .filter_map(|(c, text)| score(c, text, &needle).map(|s| (s, c, text)))
        .filter(|(_, c, text)| query.quotes_pass(c, text, &needle, None))
        .map(|(s, c, _)| (s, c))
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
    fn every_word_must_match_anywhere_in_the_fields() {
        let c = Clipping {
            format: 1,
            id: "a".into(),
            source_name: "a.txt".into(),
            encoding: "utf-8".into(),
            imported: "2016-01-01T00:00:00Z".into(),
            parser_version: 1,
            parsed: crate::model::ArticleMetadata {
                headline: Some("Putin meets the press".into()),
                ..Default::default()
            },
            overrides: Default::default(),
            tags: Vec::new(),
            notes: "Ask about Erdogan".into(),
            highlights: Vec::new(),
            source: None,
        };
        let text = "Moscow said little.";
        assert!(score(&c, text, "putin erdogan").is_some());
        assert!(score(&c, text, "erdogan   putin").is_some());
        assert!(score(&c, text, "putin moscow").is_some());
        assert!(score(&c, text, "putin obama").is_none());
        // Each word adds its weight: two words in short fields outrank one.
        assert!(score(&c, text, "putin erdogan") > score(&c, text, "putin"));
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
        let slow = |lib: &Library, q: &Query| -> Vec<String> {
            run_reading(lib, q).iter().map(|c| c.id.clone()).collect()
        };
        let fast = |index: &mut SearchIndex, lib: &Library, q: &Query| -> Vec<String> {
            index.run(lib, q).iter().map(|c| c.id.clone()).collect()
        };
        // Give some clippings annotations, so every field weighs in the rank.
        let ids: Vec<String> = lib.clippings().map(|c| c.id.clone()).collect();
        lib.update(&ids[3], |c| c.tags.push("Railway/strikes".into()))
            .expect("tag");
        lib.update(&ids[4], |c| {
            c.notes = "ask Okafor about the budget plan".into()
        })
        .expect("note");
        let queries = [
            "railway",
            "OKAFOR",
            "budget plan",
            "(3)",
            "nothing-like-this",
            "é",
            // Typed a letter at a time: each query narrows the one before.
            "b",
            "bu",
            "bud",
            "budget",
            "budget p",
            // Then shortened again.
            "budge",
        ];
        for q in queries {
            let query = Query::text(q);
            assert_eq!(
                slow(&lib, &query),
                fast(&mut index, &lib, &query),
                "query {q}"
            );
            let tagged = Query {
                tags: vec!["railway".into()],
                ..query.clone()
            };
            assert_eq!(
                slow(&lib, &tagged),
                fast(&mut index, &lib, &tagged),
                "query {q}"
            );
        }
        // An edit to the notes is seen by the next query: the entry is rebuilt.
        let id = ids[0].clone();
        lib.update(&id, |c| c.notes = "Zanzibar connection".into())
            .expect("note");
        let hits = fast(&mut index, &lib, &Query::text("zanzibar"));
        assert_eq!(hits, vec![id.clone()]);
        // So is an edit while a query narrows: "zanzibar kw" after the notes changed again
        // (every word must match, and no generated text holds "kw").
        lib.update(&id, |c| c.notes = "Zanzibar Kwanza".into())
            .expect("note");
        assert_eq!(
            fast(&mut index, &lib, &Query::text("zanzibar kw")),
            vec![id.clone()]
        );
        lib.update(&id, |c| c.notes = "Zanzibar".into())
            .expect("note");
        assert!(fast(&mut index, &lib, &Query::text("zanzibar kwa")).is_empty());
        // A removed clipping is gone from the index.
        lib.trash(&id).expect("trash");
        assert!(fast(&mut index, &lib, &Query::text("zanzibar")).is_empty());
        // And a new one is found.
        lib.import_text("new.txt", "Zanzibar ferry\n\nA ferry to Zanzibar sank.\n")
            .expect("import");
        assert_eq!(fast(&mut index, &lib, &Query::text("ferry")).len(), 1);
        // Entries built on another thread from a snapshot are adopted by an empty index,
        // and an edit made after the snapshot is still seen.
        let source = IndexSource::of(&lib);
        let built = std::thread::spawn(move || source.build())
            .join()
            .expect("build thread");
        let second = lib.clippings().nth(1).map(|c| c.id.clone()).expect("two");
        lib.update(&second, |c| c.notes = "Pemba channel".into())
            .expect("note");
        let mut adopted = SearchIndex::new();
        assert!(!adopted.is_built());
        adopted.adopt(built);
        assert!(adopted.is_built());
        assert_eq!(
            fast(&mut adopted, &lib, &Query::text("pemba")),
            vec![second]
        );
        for q in queries {
            let query = Query::text(q);
            assert_eq!(
                slow(&lib, &query),
                fast(&mut adopted, &lib, &query),
                "query {q}"
            );
        }
        // A different library never gets the entries of the first one.
        let other_dir = tempfile::tempdir().expect("tmp");
        let mut other = Library::open(other_dir.path(), OpenMode::ReadWrite).expect("open");
        other
            .import_text("other.txt", "Kelp farms\n\nKelp farms grow off Zanzibar.\n")
            .expect("import");
        let found = fast(&mut index, &other, &Query::text("zanzibar"));
        assert_eq!(found, slow(&other, &Query::text("zanzibar")));
        assert_eq!(found.len(), 1);
    }
}

#[cfg(test)]
mod publication_tests {
    use super::*;
    use crate::library::{Library, OpenMode};
    use crate::model::Field;

    /// The publication is searchable as a short field and filters like a credit, in its
    /// normal form, with the reader's correction counting.
    #[test]
    fn publication_is_searched_and_filtered() {
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
        // Not in the text: found through the short fields.
        assert!(score(c, "City officials opened it.", "quillby").is_some_and(|s| s > TEXT_WEIGHT));
        assert!(credits(c, "Quillby Courier"));
        assert!(credits(c, "the quillby courier"));
        assert!(!credits(c, "Quillby Times"));
    }
}

#[cfg(test)]
mod speaker_tests {
    use super::*;
    use crate::library::{Library, OpenMode};

    /// `speaker:` in the text and the exact speaker filter find the clipping quoting someone,
    /// not one that only names them; the index and the plain search agree.
    #[test]
    fn speaker_search_and_filters() {
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
        let mut index = SearchIndex::new();
        let find =
            |index: &mut SearchIndex, lib: &Library, q: Query| -> (Vec<String>, Vec<String>) {
                let slow: Vec<String> = run_reading(lib, &q)
                    .iter()
                    .map(|c| c.title().to_string())
                    .collect();
                let fast = index
                    .run(lib, &q)
                    .iter()
                    .map(|c| c.title().to_string())
                    .collect();
                (slow, fast)
            };
        let (slow, fast) = find(&mut index, &lib, Query::text("speaker:okafor"));
        assert_eq!(slow, vec!["Dam opens"]);
        assert_eq!(fast, slow);
        let (slow, fast) = find(&mut index, &lib, Query::text("dam speaker:mensah"));
        assert_eq!(slow, vec!["Dam criticised"]);
        assert_eq!(fast, slow);
        assert!(
            find(&mut index, &lib, Query::text("speaker:nobody"))
                .0
                .is_empty()
        );
        let exact = Query {
            speaker: Some("lena okafor".into()),
            ..Default::default()
        };
        assert!(!exact.is_empty());
        assert_eq!(find(&mut index, &lib, exact).0, vec!["Dam opens"]);
        // Both mention Okafor and Quillby.
        let mention = Query {
            mention: Some("Quillby".into()),
            ..Default::default()
        };
        assert_eq!(find(&mut index, &lib, mention).0.len(), 2);
        let person = Query {
            text: "dam".into(),
            mention: Some("Lena Okafor".into()),
            ..Default::default()
        };
        let (slow, fast) = find(&mut index, &lib, person);
        assert_eq!(slow.len(), 1, "{slow:?}");
        assert_eq!(fast, slow);
    }
}
