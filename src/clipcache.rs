//! Per-clipping derived data (story-version signatures, quote facets) kept current with an open
//! library incrementally: which clippings changed since the last pass, told by the library's
//! revision log, or, when it cannot tell, by a stamp of what each value was computed from.
//!
//! A consumer keeps a [`Tracker`] beside its values. [`Tracker::changes`] lists what must be
//! (re)computed or dropped — cheap, and done where the library is (the UI thread);
//! [`Changes::compute`] computes the new values (in parallel; on any thread, it owns its
//! inputs); [`Tracker::commit`] records the stamps and hands back the values to apply.

use std::collections::HashMap;
use std::path::Path;

use crate::library::{Library, RACY_NS, TextReader, TextStamp};
use crate::model::Clipping;

/// What a value was computed from: the state of the text file as the library last saw it (no
/// text is read to tell, none is kept) and a fingerprint of the metadata the value reads (with
/// the version of the code that computes it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    text: Option<TextStamp>,
    meta: u64,
}

/// The stamps of the values a consumer holds, and the library state they are current with.
#[derive(Debug, Default)]
pub struct Tracker {
    stamps: HashMap<String, Stamp>,
    /// (instance, revision) of the library the values were last brought up to date with.
    built_for: Option<(u64, u64)>,
}

/// One clipping to compute a value for: its id, what the consumer copied of its metadata, and
/// the stamp to record once computed. Its text is read when the value is computed.
#[derive(Debug)]
pub struct Item<X> {
    pub id: String,
    pub meta: X,
    stamp: Stamp,
}

/// What changed since the values were current: clippings to compute, ids to drop.
#[derive(Debug)]
pub struct Changes<X> {
    built_for: (u64, u64),
    /// Where the texts are read from when the values are computed (on any thread).
    texts: TextReader,
    pub items: Vec<Item<X>>,
    pub removed: Vec<String>,
    /// Whether the whole library was checked (the revision log could not tell).
    pub scanned: bool,
}

/// Computed values, ready for [`Tracker::commit`].
#[derive(Debug)]
pub struct Computed<T> {
    built_for: (u64, u64),
    values: Vec<(String, Stamp, T)>,
    removed: Vec<String>,
}

impl<T> Computed<T> {
    /// Save the values in `path` (atomically; a failure only means computing them again in
    /// the next process), each with its stamp, leaving out clippings whose text changed
    /// within [`RACY_NS`] of `now_ns` (a second change within the file system's time
    /// resolution could keep the stamp). `kind` names what the values are and how they are
    /// computed: a file of another kind is never read back.
    pub fn save(&self, path: &Path, kind: &str, now_ns: i128, encode: impl Fn(&T, &mut Vec<u8>)) {
        let mut out = Vec::with_capacity(64 + self.values.len() * 64);
        out.extend_from_slice(MAGIC);
        put_str(&mut out, kind);
        let kept: Vec<&(String, Stamp, T)> = self
            .values
            .iter()
            .filter(|(_, stamp, _)| {
                stamp.text.is_none_or(|t| {
                    t.ctime_ns <= now_ns - RACY_NS && t.mtime_ns <= now_ns - RACY_NS
                })
            })
            .collect();
        out.extend_from_slice(&(kept.len() as u64).to_le_bytes());
        for (id, stamp, value) in kept {
            put_str(&mut out, id);
            match stamp.text {
                Some(t) => {
                    out.push(1);
                    out.extend_from_slice(&t.len.to_le_bytes());
                    out.extend_from_slice(&t.mtime_ns.to_le_bytes());
                    out.extend_from_slice(&t.ctime_ns.to_le_bytes());
                    out.extend_from_slice(&t.ino.to_le_bytes());
                }
                None => out.push(0),
            }
            out.extend_from_slice(&stamp.meta.to_le_bytes());
            encode(value, &mut out);
        }
        let check = xxhash_rust::xxh3::xxh3_64(&out);
        out.extend_from_slice(&check.to_le_bytes());
        if let Some(dir) = path.parent()
            && std::fs::create_dir_all(dir).is_ok()
        {
            // Another process may be writing this file too (no lock): only old temporaries
            // are removed.
            crate::library::store::remove_old_temps_of(path, std::time::Duration::from_secs(600));
            let _ = crate::library::store::write_atomic(path, &out, false);
        }
    }

    /// How many values were computed or taken (not counting removals).
    pub fn values_len(&self) -> usize {
        self.values.len()
    }

    /// Each clipping's value.
    pub fn values(&self) -> impl Iterator<Item = (&str, &T)> {
        self.values.iter().map(|(id, _, v)| (id.as_str(), v))
    }

    pub fn len(&self) -> usize {
        self.values.len() + self.removed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<X: Send> Changes<X> {
    pub fn len(&self) -> usize {
        self.items.len() + self.removed.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// [`Changes::compute`], taking the value from `kept` (values saved by an earlier process,
    /// [`Kept::load`]) for each clipping whose stamp is still the one it was computed for: its
    /// text is not read. Also says how many values were computed afresh.
    pub fn compute_reusing<T: Send + Sync + Clone>(
        self,
        kept: &Kept<T>,
        f: impl Fn(&X, &str) -> T + Sync,
    ) -> (Computed<T>, usize) {
        use rayon::prelude::*;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let texts = &self.texts;
        let fresh = AtomicUsize::new(0);
        let values = self
            .items
            .into_par_iter()
            .map(|item| {
                // Reused values too: cloning 100,000 of them kept a core from a search.
                crate::background::pause_point();
                if let Some((stamp, value)) = kept.values.get(&item.id)
                    && *stamp == item.stamp
                {
                    return (item.id, item.stamp, value.clone());
                }
                fresh.fetch_add(1, Ordering::Relaxed);
                let text = item.stamp.text.and_then(|_| texts.read(&item.id).ok());
                let value = f(&item.meta, text.as_deref().unwrap_or(""));
                (item.id, item.stamp, value)
            })
            .collect();
        let computed = Computed {
            built_for: self.built_for,
            values,
            removed: self.removed,
        };
        (computed, fresh.into_inner())
    }

    /// Compute the values (in parallel), each clipping's text read from disk, used and dropped,
    /// so a first build over the whole library holds a few texts at a time. A text that cannot
    /// be read counts as empty (the reader is told when the clipping is opened); its stamp
    /// changes when the file does, and the value is computed again then.
    pub fn compute<T: Send>(self, f: impl Fn(&X, &str) -> T + Sync) -> Computed<T> {
        use rayon::prelude::*;
        let texts = &self.texts;
        Computed {
            built_for: self.built_for,
            values: self
                .items
                .into_par_iter()
                .map(|item| {
                    crate::background::pause_point();
                    let text = item.stamp.text.and_then(|_| texts.read(&item.id).ok());
                    let value = f(&item.meta, text.as_deref().unwrap_or(""));
                    (item.id, item.stamp, value)
                })
                .collect(),
            removed: self.removed,
        }
    }
}

/// A change to apply: the id and its new value (`None`: the clipping is gone).
pub type Update<T> = (String, Option<T>);

impl Tracker {
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the values are current with `lib` (no change since the last commit).
    pub fn is_current(&self, lib: &Library) -> bool {
        self.built_for == Some((lib.instance(), lib.revision()))
    }

    /// Whether values were ever committed.
    pub fn is_built(&self) -> bool {
        self.built_for.is_some()
    }

    /// How many clippings changed since the values were current, when the library's revision
    /// log can tell (`None`: never built, another library, or more changes than it remembers).
    pub fn pending(&self, lib: &Library) -> Option<usize> {
        let (instance, revision) = self.built_for?;
        if instance != lib.instance() {
            return None;
        }
        lib.changed_since(revision).map(|ids| ids.len())
    }

    /// The clippings whose values must be computed again, and the ids to drop. `meta` is a
    /// fingerprint of the metadata the value depends on; `copy` copies that metadata out.
    /// From the revision log when it can tell, else by checking every clipping's stamp.
    pub fn changes<X: Send>(
        &self,
        lib: &Library,
        meta: impl Fn(&Clipping) -> u64 + Sync,
        copy: impl Fn(&Clipping) -> X + Sync,
    ) -> Changes<X> {
        self.changes_in(lib, meta, copy, false)
    }

    /// [`Tracker::changes`], checking every clipping's stamp on the thread pool when it comes
    /// to that: for a thread that may wait for the pool (never the UI thread, where a long
    /// build on the pool would hold the frame).
    pub fn changes_in_parallel<X: Send>(
        &self,
        lib: &Library,
        meta: impl Fn(&Clipping) -> u64 + Sync,
        copy: impl Fn(&Clipping) -> X + Sync,
    ) -> Changes<X> {
        self.changes_in(lib, meta, copy, true)
    }

    fn changes_in<X: Send>(
        &self,
        lib: &Library,
        meta: impl Fn(&Clipping) -> u64 + Sync,
        copy: impl Fn(&Clipping) -> X + Sync,
        parallel: bool,
    ) -> Changes<X> {
        let built_for = (lib.instance(), lib.revision());
        let logged = match self.built_for {
            Some((instance, revision)) if instance == lib.instance() => lib.changed_since(revision),
            _ => None,
        };
        let mut items = Vec::new();
        let mut removed = Vec::new();
        let item = |c: &Clipping| -> Option<Item<X>> {
            let stamp = Stamp {
                text: lib.text_stamp(&c.id),
                meta: meta(c),
            };
            if self.stamps.get(&c.id) == Some(&stamp) {
                return None;
            }
            Some(Item {
                id: c.id.clone(),
                meta: copy(c),
                stamp,
            })
        };
        let consider = |c: &Clipping, items: &mut Vec<Item<X>>| items.extend(item(c));
        let scanned = logged.is_none();
        match logged {
            Some(mut ids) => {
                ids.sort_unstable();
                ids.dedup();
                for id in ids {
                    match lib.get(id) {
                        Some(c) => consider(c, &mut items),
                        None if self.stamps.contains_key(id) => removed.push(id.to_string()),
                        None => {}
                    }
                }
            }
            None if parallel => {
                use rayon::prelude::*;
                let all: Vec<&Clipping> = lib.clippings().collect();
                items = all.par_iter().filter_map(|c| item(c)).collect();
                removed.extend(self.stamps.keys().filter(|id| !lib.contains(id)).cloned());
                removed.sort_unstable();
            }
            None => {
                for c in lib.clippings() {
                    consider(c, &mut items);
                }
                removed.extend(self.stamps.keys().filter(|id| !lib.contains(id)).cloned());
                removed.sort_unstable();
            }
        }
        Changes {
            built_for,
            texts: lib.text_reader(),
            items,
            removed,
            scanned,
        }
    }

    /// Record computed values as current (with the library state they were listed for) and
    /// return the updates to apply, removals first. Values computed from an older state are
    /// fine: the next [`Tracker::changes`] lists what changed since.
    pub fn commit<T>(&mut self, computed: Computed<T>) -> Vec<Update<T>> {
        let mut out = Vec::with_capacity(computed.len());
        for id in computed.removed {
            self.stamps.remove(&id);
            out.push((id, None));
        }
        for (id, stamp, value) in computed.values {
            self.stamps.insert(id.clone(), stamp);
            out.push((id, Some(value)));
        }
        self.built_for = Some(computed.built_for);
        out
    }

    /// Forget every stamp (the values were dropped).
    pub fn clear(&mut self) {
        self.stamps.clear();
        self.built_for = None;
    }

    pub fn len(&self) -> usize {
        self.stamps.len()
    }

    pub fn is_empty(&self) -> bool {
        self.stamps.is_empty()
    }
}

/// Feeds a fingerprint hash one optional string, the same way everywhere.
pub fn hash_str(h: &mut xxhash_rust::xxh3::Xxh3, s: Option<&str>) {
    match s {
        Some(s) => {
            h.update(s.as_bytes());
            h.update(b"\0");
        }
        None => h.update(b"\x01"),
    }
}

/// Values computed by an earlier process, read back from the cache folder ([`Computed::save`]),
/// each with the stamp of what it was computed from. A derived copy, never the truth: a value
/// is used only while its clipping's stamp is unchanged, and a missing, damaged, foreign or
/// older file holds nothing.
#[derive(Debug)]
pub struct Kept<T> {
    values: HashMap<String, (Stamp, T)>,
}

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Kept {
            values: HashMap::new(),
        }
    }
}

/// The start of every file of kept values.
const MAGIC: &[u8] = b"clipfile-kept 1\n";

/// The largest file of kept values read (a value is well under a kilobyte: far past a million
/// clippings).
const MAX_KEPT_BYTES: u64 = 4 << 30;

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// Reads the fixed-size parts of a file of kept values; every read checks what is left.
pub struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    pub fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    pub fn u8(&mut self) -> Option<u8> {
        self.bytes(1).map(|b| b[0])
    }

    pub fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.bytes(4)?.try_into().ok()?))
    }

    pub fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.bytes(8)?.try_into().ok()?))
    }

    pub fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.bytes(8)?.try_into().ok()?))
    }

    fn i128(&mut self) -> Option<i128> {
        Some(i128::from_le_bytes(self.bytes(16)?.try_into().ok()?))
    }

    fn str(&mut self) -> Option<&'a str> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.bytes(n)?).ok()
    }
}

impl<T> Kept<T> {
    /// The values saved in `path` for `kind`, or none when the file is missing, damaged (its
    /// check does not match, it is cut short, a value does not decode) or of another kind.
    pub fn load(path: &Path, kind: &str, decode: impl Fn(&mut Reader) -> Option<T>) -> Kept<T> {
        let Ok(bytes) = crate::library::store::read_library_file(path, MAX_KEPT_BYTES) else {
            return Kept::default();
        };
        Self::decode(&bytes, kind, decode).unwrap_or_default()
    }

    fn decode(
        bytes: &[u8],
        kind: &str,
        decode: impl Fn(&mut Reader) -> Option<T>,
    ) -> Option<Kept<T>> {
        let (body, check) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
        if xxhash_rust::xxh3::xxh3_64(body).to_le_bytes() != check {
            return None;
        }
        let mut r = Reader(body);
        if r.bytes(MAGIC.len())? != MAGIC || r.str()? != kind {
            return None;
        }
        let n = r.u64()?;
        // Each value takes at least its id's length, a flag and a fingerprint.
        if n > (body.len() / 13) as u64 {
            return None;
        }
        let mut values = HashMap::with_capacity(n as usize);
        for i in 0..n {
            // Reading 100,000 kept values takes a while: in the background pool it waits
            // while a search runs (now and then: the check costs a little).
            if i % 256 == 0 {
                crate::background::pause_point();
            }
            let id = r.str()?.to_string();
            let text = match r.u8()? {
                0 => None,
                1 => Some(TextStamp {
                    len: r.u64()?,
                    mtime_ns: r.i128()?,
                    ctime_ns: r.i128()?,
                    ino: r.u64()?,
                }),
                _ => return None,
            };
            let meta = r.u64()?;
            let value = decode(&mut r)?;
            values.insert(id, (Stamp { text, meta }, value));
        }
        r.0.is_empty().then_some(Kept { values })
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn computed(values: Vec<(&str, Option<TextStamp>, u32)>) -> Computed<u32> {
        Computed {
            built_for: (1, 1),
            values: values
                .into_iter()
                .map(|(id, text, v)| (id.to_string(), Stamp { text, meta: 7 }, v))
                .collect(),
            removed: Vec::new(),
        }
    }

    fn stamp(ctime_ns: i128) -> TextStamp {
        TextStamp {
            len: 10,
            mtime_ns: ctime_ns,
            ctime_ns,
            ino: 3,
        }
    }

    fn encode(v: &u32, out: &mut Vec<u8>) {
        out.extend_from_slice(&v.to_le_bytes());
    }

    #[test]
    fn kept_values_read_back_only_as_the_kind_they_were_saved_as() {
        let tmp = tempfile::tempdir().expect("tmp");
        let path = tmp.path().join("kept/values.bin");
        let now = 100 * RACY_NS;
        computed(vec![
            ("a", Some(stamp(now - 2 * RACY_NS)), 1),
            ("b", None, 2),
            // Changed a moment ago: a second change could keep its stamp; not kept.
            ("c", Some(stamp(now - RACY_NS / 2)), 3),
        ])
        .save(&path, "numbers 1", now, encode);
        let kept = Kept::load(&path, "numbers 1", |r| r.u32());
        let mut ids: Vec<(&str, u32)> =
            kept.values.iter().map(|(k, v)| (k.as_str(), v.1)).collect();
        ids.sort();
        assert_eq!(ids, vec![("a", 1), ("b", 2)]);
        assert_eq!(
            kept.values["a"].0,
            Stamp {
                text: Some(stamp(now - 2 * RACY_NS)),
                meta: 7
            }
        );
        assert!(
            Kept::load(&path, "numbers 2", |r| r.u32()).is_empty(),
            "another kind"
        );
        // A decoder that reads more than was written finds the file short.
        assert!(Kept::load(&path, "numbers 1", |r| r.u64()).is_empty());
        assert!(
            Kept::<u32>::load(&tmp.path().join("missing"), "numbers 1", |r| r.u32()).is_empty()
        );
    }
}
