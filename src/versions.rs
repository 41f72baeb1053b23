//! Story versions: clippings that tell the same story (wire copy printed by several papers, a
//! story and its updated or retitled version, a trimmed copy) found by near-duplicate detection
//! over the body, a word diff between two versions, and carrying highlights from one version to
//! another. Pure: no egui, no files.
//!
//! How: the body is folded (lowercase, quote forms and punctuation folded away) into words, the
//! words into overlapping 5-word shingles, and the shingles into a 128-value MinHash signature
//! (one-permutation hashing with rotation densification: one hash per shingle). Signatures are
//! indexed by LSH banding (32 bands of 2 of its values), so a new clipping is compared only with the
//! clippings it shares a band with, never with every clipping. A candidate is a version when the
//! estimated Jaccard similarity is high, or when the shorter text is mostly contained in the
//! longer (a trimmed copy), and the two published dates, when both are known, are at most
//! [`DATE_WINDOW_DAYS`] apart. Groups are the connected components of those matches.

use std::collections::{BTreeMap, HashMap};

use crate::anchor;
use crate::model::Highlight;

/// Words per shingle.
pub const SHINGLE_WORDS: usize = 5;
/// Values in a signature.
pub const SIGNATURE_LEN: usize = 128;
/// Values per LSH band, and the bands (over the first 64 values; all 128 estimate the
/// similarity of the candidates found).
const BAND_ROWS: usize = 2;
const BANDS: usize = 32;
/// Versions printed further apart than this (when both dates are known) are different stories.
pub const DATE_WINDOW_DAYS: i64 = 14;
/// Estimated Jaccard similarity from which two texts are versions.
pub const MIN_JACCARD: f64 = 0.5;
/// Share of the shorter text's shingles found in the longer from which two texts are versions.
pub const MIN_CONTAINMENT: f64 = 0.65;
/// Texts with fewer shingles than this are never grouped (a caption-only clipping).
pub const MIN_SHINGLES: usize = 12;
/// How many clippings of one band's bucket a new clipping is compared with: the newest. A
/// bucket holds more only in a library of boilerplate, where unrelated texts share a band (the
/// scale bench's articles, made of a few hundred stock sentences, share 13% of their
/// shingles: each was compared with 43% of the library, and 100,000 were not matched in
/// 600 s); there it bounds an insert's work. The copies of a story printed more often than
/// this still meet the newest of them, so they stay one group.
pub const CHAIN_WALK: usize = 16;

/// The words of a text, folded for comparison: lowercase, curly and straight quotes, dashes and
/// other punctuation removed, so the same sentence typeset by two papers folds the same.
pub fn fold_words(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '—' | '–' | '/'))
        .filter_map(|w| {
            let folded: String = w
                .chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect();
            (!folded.is_empty()).then_some(folded)
        })
        .collect()
}

/// A 64-bit finalizer (splitmix64's): spreads the bits of a running hash so the signature's
/// bins and minima see a uniform hash.
#[inline]
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// The hash of each word of a text, folded as [`fold_words`] folds it, in one pass over the
/// characters without allocating (FNV-1a over the folded word's UTF-8, then [`mix`]). This is
/// the hot path of indexing a library: ASCII letters and digits take a byte step each.
fn word_hashes(text: &str) -> Vec<u64> {
    let mut out = Vec::with_capacity(text.len() / 6);
    let mut h = FNV_OFFSET;
    let mut in_word = false;
    let end_word = |h: &mut u64, in_word: &mut bool, out: &mut Vec<u64>| {
        if *in_word {
            out.push(mix(*h));
        }
        *h = FNV_OFFSET;
        *in_word = false;
    };
    for c in text.chars() {
        if c.is_ascii() {
            let b = c as u8;
            if b.is_ascii_alphanumeric() {
                h = (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(FNV_PRIME);
                in_word = true;
            } else if b.is_ascii_whitespace() || b == b'/' {
                end_word(&mut h, &mut in_word, &mut out);
            }
        } else if c.is_whitespace() || matches!(c, '—' | '–') {
            end_word(&mut h, &mut in_word, &mut out);
        } else if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                let mut buf = [0u8; 4];
                for &b in l.encode_utf8(&mut buf).as_bytes() {
                    h = (h ^ u64::from(b)).wrapping_mul(FNV_PRIME);
                }
            }
            in_word = true;
        }
    }
    end_word(&mut h, &mut in_word, &mut out);
    out
}

/// The distinct hashes of a text's [`SHINGLE_WORDS`]-word shingles (a text shorter than one
/// shingle gives one shingle of all its words), sorted.
pub fn shingles(text: &str) -> Vec<u64> {
    let words = word_hashes(text);
    if words.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<u64> = words
        .windows(SHINGLE_WORDS.min(words.len()))
        .map(|w| {
            let mut x = 0u64;
            for &h in w {
                x = (x ^ h).wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(31);
            }
            mix(x)
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// A MinHash signature of a text and the number of distinct shingles it was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub mins: [u32; SIGNATURE_LEN],
    pub shingles: usize,
}

const EMPTY: u64 = u64::MAX;

impl Signature {
    /// One-permutation MinHash: each shingle hash falls in one of [`SIGNATURE_LEN`] bins by its
    /// top bits and the smallest of the rest is kept per bin; an empty bin borrows the value of
    /// the next filled bin (rotation densification), offset by the distance, so two texts agree
    /// on a borrowed bin only where they agree on the bin it was borrowed from.
    pub fn of_text(text: &str) -> Signature {
        Self::of_shingles(&shingles(text))
    }

    pub fn of_shingles(shingles: &[u64]) -> Signature {
        let mut bins = [EMPTY; SIGNATURE_LEN];
        for &h in shingles {
            let bin = (h >> 57) as usize;
            let value = h & ((1 << 57) - 1);
            if value < bins[bin] {
                bins[bin] = value;
            }
        }
        let mut mins = [0u32; SIGNATURE_LEN];
        if bins.iter().any(|&b| b != EMPTY) {
            for (i, slot) in mins.iter_mut().enumerate() {
                let mut d = 0;
                while bins[(i + d) % SIGNATURE_LEN] == EMPTY {
                    d += 1;
                }
                let v = bins[(i + d) % SIGNATURE_LEN];
                *slot = mix(v ^ (d as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)) as u32;
            }
        }
        Signature {
            mins,
            shingles: shingles.len(),
        }
    }

    /// Estimated Jaccard similarity of the two shingle sets.
    pub fn jaccard(&self, other: &Signature) -> f64 {
        let same = self
            .mins
            .iter()
            .zip(&other.mins)
            .filter(|(a, b)| a == b)
            .count();
        same as f64 / SIGNATURE_LEN as f64
    }

    /// Estimated share of the smaller set found in the larger, from the Jaccard estimate and
    /// the set sizes: |A∩B| = J(|A|+|B|)/(1+J).
    pub fn containment(&self, other: &Signature) -> f64 {
        let j = self.jaccard(other);
        let small = self.shingles.min(other.shingles);
        if small == 0 {
            return 0.0;
        }
        let inter = j * (self.shingles + other.shingles) as f64 / (1.0 + j);
        (inter / small as f64).min(1.0)
    }

    /// The key of each band, in band order (a well-mixed hash of the band's values; the
    /// buckets keep 32 bits of it, one map a band).
    fn band_keys(&self) -> impl Iterator<Item = u32> + '_ {
        self.mins[..BANDS * BAND_ROWS]
            .chunks(BAND_ROWS)
            .enumerate()
            .map(|(band, rows)| {
                let mut key = band as u64;
                for &r in rows {
                    key = key.rotate_left(29) ^ u64::from(r);
                }
                mix(key) as u32
            })
    }
}

/// Days since 1970-01-01 of an ISO date ("2015-11-19", or with a time after it).
pub fn days(iso: &str) -> Option<i64> {
    let y: i64 = iso.get(0..4)?.parse().ok()?;
    let m: i64 = iso.get(5..7)?.parse().ok()?;
    let d: i64 = iso.get(8..10)?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// What the index needs to know of one clipping.
#[derive(Debug, Clone)]
pub struct Entry {
    pub signature: Signature,
    /// Days since the epoch of the published date, when known.
    pub day: Option<i64>,
}

impl Entry {
    /// The entry of a body text and its published date (ISO).
    pub fn new(body: &str, published: Option<&str>) -> Entry {
        Entry {
            signature: Signature::of_text(body),
            day: published.and_then(days),
        }
    }
}

/// Whether two entries are versions of one story, and how similar they are (the larger of the
/// Jaccard estimate and the containment estimate).
pub fn similarity(a: &Entry, b: &Entry) -> Option<f64> {
    if a.signature.shingles < MIN_SHINGLES || b.signature.shingles < MIN_SHINGLES {
        return None;
    }
    if let (Some(x), Some(y)) = (a.day, b.day)
        && (x - y).abs() > DATE_WINDOW_DAYS
    {
        return None;
    }
    let j = a.signature.jaccard(&b.signature);
    let c = a.signature.containment(&b.signature);
    (j >= MIN_JACCARD || c >= MIN_CONTAINMENT).then_some(j.max(c))
}

/// The version index: entries by id, LSH buckets, and the matches found (edges of the graph
/// whose connected components are the groups). Inserting a clipping costs its band lookups and
/// a check of the candidates found there, not a comparison with every clipping.
#[derive(Debug, Default)]
pub struct VersionIndex {
    /// One slot per clipping (a freed slot is reused): its id and entry.
    slots: Vec<Option<(String, Entry)>>,
    free: Vec<u32>,
    slot_of: HashMap<String, u32>,
    /// LSH buckets as chains: for each band, the first slot holding each key of it, and for
    /// every slot and band the next slot in the same bucket. Four bytes a band per clipping,
    /// plus one map entry per distinct key of a band (most keys are held by one clipping).
    /// One map a band, so a chain only ever links slots of one band, and keys of 32 bits
    /// (two keys of a band that share them only add a candidate, checked like any other):
    /// one map of 64-bit keys for every band took 68 of the 143 MB of an index of 100,000
    /// clippings.
    heads: [HashMap<u32, u32, KeyHasher>; BANDS],
    next: Vec<u32>,
    edges: HashMap<String, BTreeMap<String, f64>>,
    /// Groups of more than one clipping, cached until the next change.
    groups: Option<Vec<Vec<String>>>,
    /// The group (index into `groups`) of each grouped clipping, cached with it.
    group_index: HashMap<String, usize>,
    /// Inserts made, and the candidates they were compared with (for the bench).
    inserts: u64,
    compared: u64,
}

/// Band keys are already well-mixed hashes: the bucket map uses them as they are.
#[derive(Debug, Default, Clone, Copy)]
struct KeyHasher;

impl std::hash::BuildHasher for KeyHasher {
    type Hasher = KeyHash;
    fn build_hasher(&self) -> KeyHash {
        KeyHash(0)
    }
}

#[derive(Debug, Default)]
struct KeyHash(u64);

impl std::hash::Hasher for KeyHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(FNV_PRIME);
        }
    }
    fn write_u32(&mut self, n: u32) {
        // The key's bits are uniform already; the multiplication carries them into the top
        // bits too, which the map reads as well as the low ones.
        self.0 = u64::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// The end of a bucket chain.
const NONE: u32 = u32::MAX;

impl VersionIndex {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.slot_of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slot_of.is_empty()
    }

    pub fn contains(&self, id: &str) -> bool {
        self.slot_of.contains_key(id)
    }

    /// The clippings sharing an LSH band with `entry` (of each band's bucket, the newest
    /// [`CHAIN_WALK`]): the only ones it is compared with.
    pub fn candidates(&self, entry: &Entry) -> Vec<&str> {
        self.candidate_slots(entry)
            .into_iter()
            .filter_map(|slot| self.slots.get(slot as usize)?.as_ref())
            .map(|(id, _)| id.as_str())
            .collect()
    }

    /// [`VersionIndex::candidates`] as their slots, each once (no id is hashed or compared:
    /// inserting 100,000 clippings looks up every candidate).
    fn candidate_slots(&self, entry: &Entry) -> Vec<u32> {
        let mut seen = Vec::new();
        for (band, key) in entry.signature.band_keys().enumerate() {
            // A chain starts at its newest clipping.
            let mut slot = self.heads[band].get(&key).copied().unwrap_or(NONE);
            let mut walked = 0;
            while slot != NONE && walked < CHAIN_WALK {
                seen.push(slot);
                walked += 1;
                slot = self.next[slot as usize * BANDS + band];
            }
        }
        seen.sort_unstable();
        seen.dedup();
        seen
    }

    /// Add (or replace) a clipping's entry and match it against the index.
    pub fn insert(&mut self, id: &str, entry: Entry) {
        self.remove(id);
        self.groups = None;
        let candidates = self.candidate_slots(&entry);
        let compared = candidates.len() as u64;
        let matches: Vec<(String, f64)> = candidates
            .into_iter()
            .filter_map(|slot| {
                let (other, theirs) = self.slots.get(slot as usize)?.as_ref()?;
                Some((other.clone(), similarity(&entry, theirs)?))
            })
            .collect();
        self.inserts += 1;
        self.compared += compared;
        for (other, sim) in matches {
            self.edges
                .entry(id.to_string())
                .or_default()
                .insert(other.clone(), sim);
            self.edges
                .entry(other)
                .or_default()
                .insert(id.to_string(), sim);
        }
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(None);
                self.next.extend([NONE; BANDS]);
                (self.slots.len() - 1) as u32
            }
        };
        for (band, key) in entry.signature.band_keys().enumerate() {
            let head = self.heads[band].insert(key, slot).unwrap_or(NONE);
            self.next[slot as usize * BANDS + band] = head;
        }
        self.slots[slot as usize] = Some((id.to_string(), entry));
        self.slot_of.insert(id.to_string(), slot);
    }

    /// Drop a clipping (trashed, or about to be replaced).
    pub fn remove(&mut self, id: &str) {
        let Some(slot) = self.slot_of.remove(id) else {
            return;
        };
        let Some((_, entry)) = self.slots.get_mut(slot as usize).and_then(Option::take) else {
            return;
        };
        self.groups = None;
        for (band, key) in entry.signature.band_keys().enumerate() {
            let after = self.next[slot as usize * BANDS + band];
            let heads = &mut self.heads[band];
            let Some(&head) = heads.get(&key) else {
                continue;
            };
            if head == slot {
                if after == NONE {
                    heads.remove(&key);
                } else {
                    heads.insert(key, after);
                }
            } else {
                let mut at = head;
                while at != NONE {
                    let link = at as usize * BANDS + band;
                    if self.next[link] == slot {
                        self.next[link] = after;
                        break;
                    }
                    at = self.next[link];
                }
            }
            self.next[slot as usize * BANDS + band] = NONE;
        }
        self.free.push(slot);
        if let Some(neighbours) = self.edges.remove(id) {
            for n in neighbours.keys() {
                if let Some(theirs) = self.edges.get_mut(n) {
                    theirs.remove(id);
                    if theirs.is_empty() {
                        self.edges.remove(n);
                    }
                }
            }
        }
    }

    /// How many inserts were made, and with how many candidates (clippings sharing a band)
    /// they were compared in all: the work LSH leaves.
    pub fn comparisons(&self) -> (u64, u64) {
        (self.inserts, self.compared)
    }

    /// The entry of one clipping.
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        let slot = *self.slot_of.get(id)?;
        self.slots.get(slot as usize)?.as_ref().map(|(_, e)| e)
    }

    /// The similarity of two clippings that are versions of each other directly: matched by
    /// the index, or (two copies of a story printed more often than [`CHAIN_WALK`] may never
    /// have been compared) found so from their entries. None for two clippings in one group
    /// only through others.
    pub fn similarity(&self, a: &str, b: &str) -> Option<f64> {
        if let Some(s) = self.edges.get(a).and_then(|m| m.get(b)) {
            return Some(*s);
        }
        similarity(self.entry(a)?, self.entry(b)?)
    }

    /// Every group of more than one clipping (connected components of the matches, found with
    /// union-find), each sorted by id, the groups sorted by their first id.
    pub fn groups(&mut self) -> &[Vec<String>] {
        if self.groups.is_none() {
            let groups = self.components();
            self.group_index = groups
                .iter()
                .enumerate()
                .flat_map(|(n, g)| g.iter().map(move |id| (id.clone(), n)))
                .collect();
            self.groups = Some(groups);
        }
        self.groups.as_deref().unwrap_or_default()
    }

    fn components(&self) -> Vec<Vec<String>> {
        let ids: Vec<&String> = self.edges.keys().collect();
        let index: HashMap<&str, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i))
            .collect();
        let mut parent: Vec<usize> = (0..ids.len()).collect();
        fn find(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for (a, neighbours) in &self.edges {
            for b in neighbours.keys() {
                if let (Some(&x), Some(&y)) = (index.get(a.as_str()), index.get(b.as_str())) {
                    let (rx, ry) = (find(&mut parent, x), find(&mut parent, y));
                    if rx != ry {
                        parent[rx] = ry;
                    }
                }
            }
        }
        let mut by_root: HashMap<usize, Vec<String>> = HashMap::new();
        for (i, id) in ids.iter().enumerate() {
            let root = find(&mut parent, i);
            by_root.entry(root).or_default().push((*id).clone());
        }
        let mut groups: Vec<Vec<String>> = by_root
            .into_values()
            .filter(|g| g.len() > 1)
            .map(|mut g| {
                g.sort();
                g
            })
            .collect();
        groups.sort();
        groups
    }

    /// The group of one clipping (itself included), or just itself when it has no versions.
    pub fn group_of(&mut self, id: &str) -> Vec<String> {
        self.groups();
        self.group_index
            .get(id)
            .and_then(|&n| self.groups.as_ref()?.get(n))
            .cloned()
            .unwrap_or_else(|| vec![id.to_string()])
    }
}

/// The reading text of a clipping's stored text (the body paragraphs, as the reader shows
/// them and as highlights are anchored).
pub fn body_of(text: &str) -> String {
    anchor::reading_text(&crate::parse::parse_article(text))
}

/// The lines of a stored clipping that are not its body: headline, deck, captions, photo
/// credits and the separated web boilerplate, as the parse stored them.
fn not_body(parsed: &crate::model::ArticleMetadata) -> Vec<String> {
    let mut lines: Vec<String> = parsed
        .headline
        .iter()
        .chain(&parsed.deck)
        .chain(&parsed.captions)
        .chain(&parsed.photo_credits)
        .chain(&parsed.boilerplate)
        .map(|l| l.trim().to_string())
        .collect();
    lines.sort_unstable();
    lines.dedup();
    lines
}

/// The text a clipping is indexed by: its stored text without the lines the stored parse says
/// are not the body. Close to the reading text ([`body_of`]) without parsing again, so
/// indexing a whole library costs a scan of its text, not a second parse.
pub fn index_text(text: &str, not_body: &[String]) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if not_body.binary_search_by(|x| x.as_str().cmp(line)).is_err() {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// What the version entry reads of a clipping besides its text: the published date and the
/// lines that are not the body.
#[derive(Debug, Clone)]
pub struct EntryMeta {
    published: Option<String>,
    not_body: Vec<String>,
}

impl EntryMeta {
    fn of(clipping: &crate::model::Clipping) -> Self {
        EntryMeta {
            published: clipping
                .field(crate::model::Field::Published)
                .map(str::to_string),
            not_body: not_body(&clipping.parsed),
        }
    }

    /// The entry of a clipping with this metadata and its stored text.
    fn entry(&self, text: &str) -> Entry {
        Entry::new(&index_text(text, &self.not_body), self.published.as_deref())
    }
}

/// A fingerprint of what [`EntryMeta`] copies, without copying it.
fn entry_fingerprint(clipping: &crate::model::Clipping) -> u64 {
    use crate::clipcache::hash_str;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&ENTRY_VERSION.to_le_bytes());
    hash_str(&mut h, clipping.field(crate::model::Field::Published));
    let p = &clipping.parsed;
    for line in p
        .headline
        .iter()
        .chain(&p.deck)
        .chain(&p.captions)
        .chain(&p.photo_credits)
        .chain(&p.boilerplate)
    {
        hash_str(&mut h, Some(line));
    }
    h.digest()
}

/// The version of how an entry is computed (shingles, signature): part of every stamp.
const ENTRY_VERSION: u32 = 1;

/// Up to this many changed clippings are matched in place by [`LibraryVersions::refresh`] in
/// the app ([`LibraryVersions::needs_rebuild`] is false); more go to a background thread.
pub const IN_PLACE_CHANGES: usize = 512;

/// The version index of an open library, kept current incrementally: the first time every
/// clipping's entry is computed (in parallel) and inserted; after that only the clippings that
/// changed (the library's revision log says which, or, after more changes than it remembers,
/// a stamp of each entry's text and metadata does) are computed and inserted, each matched
/// against the index's LSH buckets. Nothing is ever rebuilt whole.
#[derive(Debug, Default)]
pub struct LibraryVersions {
    index: VersionIndex,
    tracker: crate::clipcache::Tracker,
}

/// Entries computed (possibly on another thread) for the clippings that changed, to hand to
/// [`LibraryVersions::adopt`].
pub type BuiltVersions = crate::clipcache::Computed<Entry>;

/// The clippings whose entries must be computed, copied out of the library so that it can be
/// done on another thread while the library is in use ([`VersionSource::build`]).
#[derive(Debug)]
pub struct VersionSource {
    changes: crate::clipcache::Changes<EntryMeta>,
    /// For a first build: the cache file where the entries of the last first build were kept
    /// (read back for the clippings unchanged since, and written again).
    kept: Option<std::path::PathBuf>,
}

/// Where a first build's entries are kept for the library in `root`.
fn kept_file(root: &std::path::Path) -> Option<std::path::PathBuf> {
    crate::library::cache_file(root, "versions", "bin")
}

/// What the kept entries are, and the version of how they are computed.
fn kept_kind() -> String {
    format!("story-version entries {ENTRY_VERSION} signature {SIGNATURE_LEN}")
}

fn encode_entry(e: &Entry, out: &mut Vec<u8>) {
    for m in &e.signature.mins {
        out.extend_from_slice(&m.to_le_bytes());
    }
    out.extend_from_slice(&(e.signature.shingles as u64).to_le_bytes());
    match e.day {
        Some(d) => {
            out.push(1);
            out.extend_from_slice(&d.to_le_bytes());
        }
        None => out.push(0),
    }
}

fn decode_entry(r: &mut crate::clipcache::Reader) -> Option<Entry> {
    let mut mins = [0u32; SIGNATURE_LEN];
    for m in &mut mins {
        *m = r.u32()?;
    }
    let shingles = usize::try_from(r.u64()?).ok()?;
    let day = match r.u8()? {
        0 => None,
        1 => Some(r.i64()?),
        _ => return None,
    };
    Some(Entry {
        signature: Signature { mins, shingles },
        day,
    })
}

impl VersionSource {
    /// Every clipping of `lib` (a first build), reusing the entries kept in the cache folder
    /// by the last first build for the clippings unchanged since.
    pub fn of(lib: &crate::library::Library) -> VersionSource {
        let tracker = crate::clipcache::Tracker::new();
        VersionSource {
            changes: tracker.changes_in_parallel(lib, entry_fingerprint, EntryMeta::of),
            kept: kept_file(lib.root()),
        }
    }

    /// Keep the entries in `path` instead of the cache folder's file (`None`: nowhere).
    pub fn kept_in(mut self, path: Option<std::path::PathBuf>) -> VersionSource {
        self.kept = path;
        self
    }

    /// How many clippings it holds changes for.
    pub fn len(&self) -> usize {
        self.changes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The entries, computed in parallel. A first build takes the kept entries of the
    /// clippings unchanged since they were kept (their texts are not read: at 100,000
    /// clippings computing every entry reads 600 MB of text) and keeps what it built when
    /// that differs from what was kept.
    pub fn build(self) -> BuiltVersions {
        self.build_counting_at(crate::library::now_ns()).0
    }

    /// [`VersionSource::build`] as if it were `now_ns` (nanoseconds since the epoch; the
    /// entries of texts changed within [`crate::library::RACY_NS`] before it are not kept),
    /// also saying how many entries were computed (not taken from the kept ones).
    pub fn build_counting_at(self, now_ns: i128) -> (BuiltVersions, usize) {
        let compute = |meta: &EntryMeta, text: &str| meta.entry(text);
        let Some(path) = self.kept else {
            let built = self.changes.compute(compute);
            let n = built.values_len();
            return (built, n);
        };
        let kind = kept_kind();
        let kept = crate::clipcache::Kept::load(&path, &kind, decode_entry);
        let (built, fresh) = self.changes.compute_reusing(&kept, compute);
        if fresh > 0 || built.values_len() != kept.len() {
            built.save(&path, &kind, now_ns, encode_entry);
        }
        (built, fresh)
    }
}

impl LibraryVersions {
    pub fn new() -> Self {
        Self::default()
    }

    /// An index built for `lib`.
    pub fn of(lib: &crate::library::Library) -> Self {
        let mut v = Self::new();
        v.refresh(lib);
        v
    }

    /// Bring the index up to date with `lib`: compute the entries of what changed (in
    /// parallel) and insert them.
    pub fn refresh(&mut self, lib: &crate::library::Library) {
        if self.tracker.is_current(lib) {
            return;
        }
        let source = self.source(lib);
        self.adopt(source.build());
    }

    /// What changed in `lib` since the index was current, for [`VersionSource::build`].
    /// A first build reuses (and keeps) the entries kept in the cache folder, as
    /// [`VersionSource::of`].
    pub fn source(&self, lib: &crate::library::Library) -> VersionSource {
        VersionSource {
            changes: self.tracker.changes(lib, entry_fingerprint, EntryMeta::of),
            kept: if self.tracker.is_built() {
                None
            } else {
                kept_file(lib.root())
            },
        }
    }

    pub fn index(&mut self) -> &mut VersionIndex {
        &mut self.index
    }

    /// Whether the index was ever built (it may be behind the library until the next refresh).
    pub fn is_built(&self) -> bool {
        self.tracker.is_built()
    }

    /// Whether bringing the index up to date is better left to a background thread: never
    /// built, built for another library, or more than [`IN_PLACE_CHANGES`] clippings changed
    /// (or more than the library remembers).
    pub fn needs_rebuild(&self, lib: &crate::library::Library) -> bool {
        !self.tracker.is_current(lib)
            && self
                .tracker
                .pending(lib)
                .is_none_or(|n| n > IN_PLACE_CHANGES)
    }

    /// Take in entries computed from a [`VersionSource`]: each removed clipping is dropped and
    /// each computed entry inserted (matched against the index). The next
    /// [`LibraryVersions::refresh`] catches up with what changed since.
    pub fn adopt(&mut self, built: BuiltVersions) {
        for (id, entry) in self.tracker.commit(built) {
            // In the background pool, each clipping waits while a search runs.
            crate::background::pause_point();
            match entry {
                Some(entry) => self.index.insert(&id, entry),
                None => self.index.remove(&id),
            }
        }
    }
}

/// One version of a story, as the CLI and the detail panel list it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct VersionInfo {
    pub id: String,
    pub headline: String,
    pub publication: Option<String>,
    pub published: Option<String>,
    /// Words in the body.
    pub words: usize,
    /// Similarity to the clipping asked about (1 for itself; None when the two are in one
    /// group only through other versions).
    pub similarity: Option<f64>,
}

/// The versions of `id` (itself first, then by published date and id), current with `lib`.
pub fn versions_of(
    versions: &mut LibraryVersions,
    lib: &crate::library::Library,
    id: &str,
) -> Vec<VersionInfo> {
    versions.refresh(lib);
    let group = versions.index.group_of(id);
    let mut out: Vec<VersionInfo> = group
        .iter()
        .filter_map(|v| {
            let c = lib.get(v)?;
            let similarity = if v == id {
                Some(1.0)
            } else {
                versions
                    .index
                    .similarity(id, v)
                    .map(|s| (s * 100.0).round() / 100.0)
            };
            Some(VersionInfo {
                id: v.clone(),
                headline: c.title().to_string(),
                publication: c
                    .field(crate::model::Field::Publication)
                    .map(str::to_string),
                published: c.field(crate::model::Field::Published).map(str::to_string),
                words: c.parsed.word_count,
                similarity,
            })
        })
        .collect();
    out.sort_by(|a, b| (a.id != id, &a.published, &a.id).cmp(&(b.id != id, &b.published, &b.id)));
    out
}

/// A one-line summary of a group: "4 versions: AP via Arkansas Democrat-Gazette, KHQ, …".
pub fn group_label(versions: &[VersionInfo]) -> String {
    let mut names: Vec<String> = Vec::new();
    for v in versions {
        let name = v.publication.clone().unwrap_or_else(|| v.headline.clone());
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let shown = names.len().min(3);
    let mut label = format!("{} versions: {}", versions.len(), names[..shown].join(", "));
    if names.len() > shown {
        label.push_str(", …");
    }
    label
}

/// One run of a word diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Same(String),
    Removed(String),
    Added(String),
}

/// A word diff (Myers) from `old` to `new`: runs of words (with the white space that follows
/// each) kept, removed and added. Words compare folded, so a changed quote mark is no change;
/// the words shown are those of the side they come from.
pub fn word_diff(old: &str, new: &str) -> Vec<Change> {
    let a: Vec<&str> = old.split_inclusive(char::is_whitespace).collect();
    let b: Vec<&str> = new.split_inclusive(char::is_whitespace).collect();
    let key = |w: &&str| fold_words(w).concat();
    let ka: Vec<String> = a.iter().map(key).collect();
    let kb: Vec<String> = b.iter().map(key).collect();
    let mut out: Vec<Change> = Vec::new();
    let push = |out: &mut Vec<Change>, change: Change| match (out.last_mut(), &change) {
        (Some(Change::Same(s)), Change::Same(t))
        | (Some(Change::Removed(s)), Change::Removed(t))
        | (Some(Change::Added(s)), Change::Added(t)) => s.push_str(t),
        _ => out.push(change),
    };
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &ka, &kb) {
        match op {
            similar::DiffOp::Equal { new_index, len, .. } => {
                push(
                    &mut out,
                    Change::Same(b[new_index..new_index + len].concat()),
                );
            }
            similar::DiffOp::Delete {
                old_index, old_len, ..
            } => push(
                &mut out,
                Change::Removed(a[old_index..old_index + old_len].concat()),
            ),
            similar::DiffOp::Insert {
                new_index, new_len, ..
            } => push(
                &mut out,
                Change::Added(b[new_index..new_index + new_len].concat()),
            ),
            similar::DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                push(
                    &mut out,
                    Change::Removed(a[old_index..old_index + old_len].concat()),
                );
                push(
                    &mut out,
                    Change::Added(b[new_index..new_index + new_len].concat()),
                );
            }
        }
    }
    out
}

/// Words in a text, as the version list counts them.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// Copies of `highlights` (from the clipping `from_id`) anchored in another version's reading
/// text `doc`: each found by its quote and context ([`anchor::locate`]), given a new id, and
/// marked as copied from `from_id`. Highlights whose quote is not in `doc`, and those already
/// copied there (same quote at the same place in `existing`), are left out. Returns the copies.
pub fn carry_highlights(
    highlights: &[Highlight],
    from_id: &str,
    doc: &str,
    existing: &[Highlight],
    mut new_id: impl FnMut() -> String,
) -> Vec<Highlight> {
    let mut out: Vec<Highlight> = Vec::new();
    for h in highlights.iter().filter(|h| !h.orphan) {
        // Placed where the quote is found, also where this version words it a little
        // differently (then the copy keeps the source's words as its original quote); a quote
        // not found for sure is not copied.
        let (start, end, fuzzy) = match anchor::locate(doc, h) {
            anchor::Anchor::Exact { start, end } | anchor::Anchor::Moved { start, end } => {
                (start, end, false)
            }
            anchor::Anchor::Fuzzy { start, end } => (start, end, true),
            anchor::Anchor::Orphan { .. } => continue,
        };
        let taken = existing
            .iter()
            .chain(&out)
            .any(|e| e.start == start && e.end == end);
        if taken {
            continue;
        }
        // A fresh highlight there (so no anchoring state of the source comes along), with the
        // source's color, comment, tags and creation time.
        let Some(mut copy) =
            anchor::new_highlight(doc, start, end, h.color, new_id(), h.created.clone())
        else {
            continue;
        };
        copy.comment = h.comment.clone();
        copy.tags = h.tags.clone();
        copy.copied_from = Some(from_id.to_string());
        if fuzzy {
            copy.anchor_state = crate::model::AnchorState::Fuzzy;
            copy.original_quote = h.quote.clone();
        }
        out.push(copy);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "The town council of Millbrook voted late Tuesday to close the old river bridge after engineers found cracks in two of its three stone piers, officials said.\n\n\
The bridge, built in 1911, carries about 4,000 cars a day between the east side of town and the regional hospital. Drivers will be sent over the highway overpass, a detour of roughly six miles.\n\n\
“We cannot ask people to drive over a structure our own engineers will not stand under,” Mayor Ellen Dorsey told a packed meeting at the library.\n\n\
Residents on the east side said the closure would add twenty minutes to the trip to the hospital. Several asked whether an ambulance could still use the bridge in an emergency; the fire chief said it could not.\n\n\
The state transportation department has offered to pay for a temporary steel span, which could open by spring if the council approves the contract next month.\n\n\
A full replacement is expected to cost $14 million and take at least three years, according to the engineering report released Monday.";

    /// The first three paragraphs only, as a paper short of space prints it.
    fn trimmed() -> String {
        STORY.split("\n\n").take(3).collect::<Vec<_>>().join("\n\n")
    }

    /// The same story under a new top paragraph, straight quotes for curly ones.
    fn retitled() -> String {
        format!(
            "Drivers in Millbrook face a six-mile detour starting this week.\n\n{}",
            STORY.replace(['“', '”'], "\"")
        )
    }

    const OTHER: &str = "Engineers who inspected the Millbrook river bridge last week said Wednesday that the cracks they found had been visible in photographs as early as 2019.\n\n\
The firm's report, obtained by the Gazette, shows the council was warned twice about the stone piers but postponed repairs to balance the budget.\n\n\
Council member Raj Patel, who voted against the postponements, called the closure avoidable and asked for an independent review of the maintenance records.\n\n\
Mayor Ellen Dorsey said the council had acted on the advice it was given at the time and would publish every inspection report since 2010.\n\n\
Hospital administrators said they were adding a second ambulance station on the east side of town while the bridge stays shut.";

    fn index(texts: &[(&str, &str, Option<&str>)]) -> VersionIndex {
        let mut idx = VersionIndex::new();
        for (id, text, date) in texts {
            idx.insert(id, Entry::new(text, *date));
        }
        idx
    }

    #[test]
    fn fold_words_ignores_case_quotes_and_punctuation() {
        assert_eq!(
            fold_words("“We can’t,” said the Mayor—twice."),
            ["we", "cant", "said", "the", "mayor", "twice"]
        );
        assert_eq!(
            fold_words("\"We can't,\" said the mayor -- twice"),
            ["we", "cant", "said", "the", "mayor", "twice"]
        );
    }

    #[test]
    fn a_story_its_trimmed_and_retitled_copies_group_and_another_story_does_not() {
        let trimmed = trimmed();
        let retitled = retitled();
        let mut idx = index(&[
            ("story", STORY, Some("2024-03-05")),
            ("trimmed", &trimmed, Some("2024-03-06")),
            ("retitled", &retitled, None),
            ("other", OTHER, Some("2024-03-06")),
        ]);
        assert_eq!(
            idx.groups(),
            [vec![
                "retitled".to_string(),
                "story".to_string(),
                "trimmed".to_string()
            ]]
        );
        assert_eq!(idx.group_of("other"), ["other"]);
    }

    #[test]
    fn grouping_does_not_depend_on_the_order_of_insertion() {
        let trimmed = trimmed();
        let retitled = retitled();
        let mut idx = index(&[
            ("other", OTHER, None),
            ("trimmed", &trimmed, None),
            ("retitled", &retitled, None),
            ("story", STORY, None),
        ]);
        assert_eq!(idx.group_of("trimmed").len(), 3);
    }

    #[test]
    fn copies_far_apart_in_time_are_different_stories() {
        let mut idx = index(&[
            ("a", STORY, Some("2024-03-05")),
            ("b", &retitled(), Some("2025-03-05")),
        ]);
        assert!(idx.groups().is_empty());
        let mut idx = index(&[
            ("a", STORY, Some("2024-03-05")),
            ("b", &retitled(), Some("2024-03-12")),
        ]);
        assert_eq!(idx.groups().len(), 1);
    }

    #[test]
    fn removing_a_clipping_splits_its_group() {
        let mut idx = index(&[("story", STORY, None), ("trimmed", &trimmed(), None)]);
        assert_eq!(idx.groups().len(), 1);
        idx.remove("story");
        assert!(idx.groups().is_empty());
        assert_eq!(idx.len(), 1);
    }

    #[test]
    fn similarity_of_identical_texts_is_one_and_of_unrelated_texts_low() {
        let a = Signature::of_text(STORY);
        assert_eq!(a.jaccard(&a), 1.0);
        let b = Signature::of_text(OTHER);
        assert!(a.jaccard(&b) < 0.2, "{}", a.jaccard(&b));
        let t = Signature::of_text(&trimmed());
        assert!(t.containment(&a) > 0.6, "{}", t.containment(&a));
    }

    /// A text of `words` words drawn from a 5,000-word vocabulary.
    fn random_text(rng: &mut crate::sample::Rng, words: usize) -> String {
        (0..words)
            .map(|_| format!("w{}", rng.below(5000)))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn a_new_text_is_compared_only_with_the_few_sharing_a_band() {
        let mut rng = crate::sample::Rng::new(3);
        let texts: Vec<String> = (0..400).map(|_| random_text(&mut rng, 300)).collect();
        let mut idx = VersionIndex::new();
        for (n, t) in texts.iter().enumerate() {
            idx.insert(&format!("t{n}"), Entry::new(t, None));
        }
        assert!(idx.groups().is_empty());
        let unrelated = Entry::new(&random_text(&mut rng, 300), None);
        assert!(idx.candidates(&unrelated).len() < 5);
        // The last two thirds of text 17 finds text 17.
        let words: Vec<&str> = texts[17].split(' ').collect();
        let trimmed = Entry::new(&words[100..].join(" "), None);
        assert!(idx.candidates(&trimmed).contains(&"t17"));
        // Removing and reinserting keeps the chains whole.
        for n in (0..400).step_by(3) {
            idx.remove(&format!("t{n}"));
        }
        assert_eq!(idx.len(), 266);
        assert!(idx.candidates(&trimmed).contains(&"t17"));
        idx.remove("t17");
        assert!(!idx.candidates(&trimmed).contains(&"t17"));
        idx.insert("copy", trimmed);
        idx.insert("t17", Entry::new(&texts[17], None));
        assert_eq!(idx.group_of("t17"), ["copy", "t17"]);
    }

    /// Signatures whose band values come from a handful, so that many clippings share each
    /// band and the buckets hold long chains.
    fn crowded_entry(rng: &mut crate::sample::Rng) -> Entry {
        let mut mins = [0u32; SIGNATURE_LEN];
        for m in mins.iter_mut() {
            *m = rng.below(6) as u32;
        }
        Entry {
            signature: Signature {
                mins,
                shingles: MIN_SHINGLES,
            },
            day: None,
        }
    }

    /// Texts made of a few stock sentences, as a library of market reports or of the scale
    /// bench's articles: unrelated ones share many shingles, so many share a band.
    fn boilerplate_text(rng: &mut crate::sample::Rng, n: usize) -> String {
        const SUBJECTS: [&str; 6] = [
            "The harbour board",
            "Grain traders",
            "The city council",
            "Ferry crews",
            "Shop owners",
            "The water company",
        ];
        const CLAUSES: [&str; 6] = [
            "raised its forecast for the coming season",
            "asked for more time to study the plans",
            "said the delays would last until spring",
            "welcomed the new timetable for the ferries",
            "warned of higher prices after the storm",
            "met again on Tuesday without an agreement",
        ];
        let mut text = format!("Report number {n}.");
        for _ in 0..30 {
            text.push(' ');
            text.push_str(SUBJECTS[rng.below(6)]);
            text.push(' ');
            text.push_str(CLAUSES[rng.below(6)]);
            text.push('.');
        }
        text
    }

    #[test]
    fn in_a_library_of_boilerplate_an_insert_compares_a_bounded_number_of_clippings() {
        let mut rng = crate::sample::Rng::new(5);
        let mut idx = VersionIndex::new();
        let n = 1500;
        for i in 0..n {
            idx.insert(
                &format!("r{i}"),
                Entry::new(&boilerplate_text(&mut rng, i), None),
            );
        }
        let (inserts, compared) = idx.comparisons();
        assert_eq!(inserts, n as u64);
        // Unrelated reports share bands with most of the library...
        let probe = Entry::new(&boilerplate_text(&mut rng, n), None);
        let sharing = idx
            .slots
            .iter()
            .flatten()
            .filter(|(_, e)| {
                (0..BANDS).any(|band| {
                    let rows = band * BAND_ROWS..(band + 1) * BAND_ROWS;
                    e.signature.mins[rows.clone()] == probe.signature.mins[rows]
                })
            })
            .count();
        assert!(sharing > n / 10, "only {sharing} of {n} share a band");
        // ...but each insert met at most the newest few of each band's bucket.
        assert!(idx.candidates(&probe).len() <= BANDS * CHAIN_WALK);
        assert!(compared <= inserts * (BANDS * CHAIN_WALK) as u64);
        assert!(
            compared < inserts * sharing as u64 / 4,
            "{compared} comparisons"
        );
    }

    #[test]
    fn a_story_printed_more_often_than_the_walk_stays_one_group() {
        let mut idx = VersionIndex::new();
        let copies = 3 * CHAIN_WALK;
        for i in 0..copies {
            // Each paper's copy, with its own last line.
            let text = format!("{STORY} Printed by paper number {i}.");
            idx.insert(&format!("p{i}"), Entry::new(&text, None));
        }
        assert_eq!(idx.groups().len(), 1);
        assert_eq!(idx.group_of("p0").len(), copies);
        // The first and the last copy were never compared (the last met only the newest),
        // but their similarity is still known.
        let s = idx.similarity("p0", &format!("p{}", copies - 1));
        assert!(s.is_some_and(|s| s > 0.9), "{s:?}");
        assert!(idx.similarity("p0", "nowhere").is_none());
    }

    /// Every bucket of this test holds fewer clippings than [`CHAIN_WALK`]: there the
    /// candidates are every clipping sharing a band.
    #[test]
    fn candidates_are_exactly_the_clippings_sharing_a_band_through_removals_and_reuse() {
        let mut rng = crate::sample::Rng::new(11);
        let mut idx = VersionIndex::new();
        let mut live: std::collections::BTreeMap<String, Entry> = Default::default();
        let shares = |a: &Entry, b: &Entry| {
            (0..BANDS).any(|band| {
                let rows = band * BAND_ROWS..(band + 1) * BAND_ROWS;
                a.signature.mins[rows.clone()] == b.signature.mins[rows]
            })
        };
        for round in 0..3 {
            for n in 0..150 {
                let id = format!("c{}", (n * 7 + round * 50) % 200);
                let entry = crowded_entry(&mut rng);
                idx.insert(&id, entry.clone());
                live.insert(id, entry);
            }
            // Every third one goes (its slot is reused by the next round's inserts).
            for n in (round..200).step_by(3) {
                let id = format!("c{n}");
                idx.remove(&id);
                live.remove(&id);
            }
            assert_eq!(idx.len(), live.len());
            for _ in 0..20 {
                let probe = crowded_entry(&mut rng);
                let mut found = idx.candidates(&probe);
                found.sort_unstable();
                let want: Vec<&str> = live
                    .iter()
                    .filter(|(_, e)| shares(&probe, e))
                    .map(|(id, _)| id.as_str())
                    .collect();
                assert_eq!(found, want, "round {round}");
            }
        }
    }

    #[test]
    fn days_counts_from_the_epoch() {
        assert_eq!(days("1970-01-01"), Some(0));
        assert_eq!(days("2000-03-01"), Some(11_017));
        assert_eq!(days("2015-11-19T10:00:00Z"), days("2015-11-19"));
        assert_eq!(days("2015-13-01"), None);
        assert_eq!(days("soon"), None);
    }

    #[test]
    fn word_diff_marks_added_and_removed_words() {
        let diff = word_diff(
            "The council voted Tuesday to close the bridge.",
            "The town council voted late Tuesday to shut the bridge.",
        );
        assert_eq!(
            diff,
            [
                Change::Same("The ".into()),
                Change::Added("town ".into()),
                Change::Same("council voted ".into()),
                Change::Added("late ".into()),
                Change::Same("Tuesday to ".into()),
                Change::Removed("close ".into()),
                Change::Added("shut ".into()),
                Change::Same("the bridge.".into()),
            ]
        );
        let same = word_diff("“Hello,” she said.", "\"Hello,\" she said.");
        assert!(same.iter().all(|c| matches!(c, Change::Same(_))));
    }

    #[test]
    fn highlights_are_carried_to_another_version_and_marked_as_copied() {
        let (start, end) = anchor::occurrences(STORY, "temporary steel span")[0];
        let h = anchor::new_highlight(
            STORY,
            start,
            end,
            crate::model::HighlightColor::Green,
            "h1".into(),
            "t".into(),
        )
        .expect("highlight");
        let h = Highlight {
            comment: "Who pays".into(),
            ..h
        };
        let gone = anchor::occurrences(STORY, "full replacement")[0];
        let g = anchor::new_highlight(
            STORY,
            gone.0,
            gone.1,
            crate::model::HighlightColor::Yellow,
            "h2".into(),
            "t".into(),
        )
        .expect("highlight");
        let doc = retitled();
        let mut n = 0;
        let copies = carry_highlights(&[h.clone(), g], "story", &doc, &[], || {
            n += 1;
            format!("new{n}")
        });
        // "full replacement" is in the retitled copy too; both carried.
        assert_eq!(copies.len(), 2);
        let c = &copies[0];
        assert_eq!(c.quote, "temporary steel span");
        assert_eq!(
            anchor::slice_chars(&doc, c.start, c.end),
            Some(c.quote.as_str())
        );
        assert_eq!(c.copied_from.as_deref(), Some("story"));
        assert_eq!(c.comment, "Who pays");
        assert_eq!(c.id, "new1");
        // Not into a version that lacks the passage, and never twice.
        let short = trimmed();
        assert!(
            carry_highlights(std::slice::from_ref(&h), "story", &short, &[], String::new)
                .is_empty()
        );
        assert!(carry_highlights(&[h], "story", &doc, &copies, String::new).is_empty());
    }
}
