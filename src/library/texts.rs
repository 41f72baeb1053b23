//! Article texts read on demand: the library keeps no text in memory but a small cache of the
//! ones read last, each checked against the file on disk before it is served.
//!
//! A text is read with [`super::store::read_library_file`] (no link followed, type and size
//! checked on the open file first). A cached copy is served only while the file's
//! [`TextStamp`] (size, modification and change times, inode) is the one it was read with, so
//! a text edited outside the app is read again, never served stale.

use std::collections::{BTreeMap, HashMap};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Bytes of text the cache of an open library holds at most (the texts read last).
pub const CACHE_BYTES: usize = 16 * 1024 * 1024;

/// What a text file was when it was read or checked: a change to its contents changes it
/// (the change time cannot be set back by a program, the modification time can).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TextStamp {
    pub len: u64,
    pub mtime_ns: i128,
    pub ctime_ns: i128,
    pub ino: u64,
}

impl TextStamp {
    pub fn of(meta: &std::fs::Metadata) -> TextStamp {
        TextStamp {
            len: meta.len(),
            mtime_ns: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
            ctime_ns: i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
            ino: meta.ino(),
        }
    }

    /// A hash of the stamp, for fingerprints.
    pub fn hash(&self) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&self.len.to_le_bytes());
        h.update(&self.mtime_ns.to_le_bytes());
        h.update(&self.ctime_ns.to_le_bytes());
        h.update(&self.ino.to_le_bytes());
        h.digest()
    }
}

/// The stamp of a text file without reading it, checked as a read would check it: not a link,
/// a regular file, within `max_bytes`.
pub fn stat_text(path: &Path, max_bytes: u64) -> Result<TextStamp, String> {
    let meta = std::fs::symlink_metadata(path).map_err(|e| e.to_string())?;
    super::store::check_library_file(&meta, max_bytes)?;
    Ok(TextStamp::of(&meta))
}

/// Read a text file with the library's safe reader; its stamp is taken on the open file.
pub fn read_text(path: &Path, max_bytes: u64) -> Result<(Arc<str>, TextStamp), String> {
    #[cfg(test)]
    reads::note(path);
    let (text, meta) = super::store::read_library_text_with_meta(path, max_bytes)?;
    Ok((Arc::from(text), TextStamp::of(&meta)))
}

/// Where the texts of a library are, to read them on any thread (a background build of derived
/// data) without the library.
#[derive(Debug, Clone)]
pub struct TextReader {
    dir: PathBuf,
    max_bytes: u64,
}

impl TextReader {
    pub(super) fn new(dir: PathBuf, max_bytes: u64) -> TextReader {
        TextReader { dir, max_bytes }
    }

    pub fn path(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.txt"))
    }

    /// The text of clipping `id` read from disk now (not cached).
    pub fn read(&self, id: &str) -> Result<Arc<str>, String> {
        read_text(&self.path(id), self.max_bytes).map(|(text, _)| text)
    }
}

struct Cached {
    text: Arc<str>,
    stamp: TextStamp,
    used: u64,
}

/// A least-recently-used cache of texts bounded by their total size in bytes.
pub struct TextCache {
    budget: usize,
    bytes: usize,
    clock: u64,
    map: HashMap<String, Cached>,
    /// Last use to id, oldest first.
    order: BTreeMap<u64, String>,
}

impl std::fmt::Debug for TextCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextCache")
            .field("texts", &self.map.len())
            .field("bytes", &self.bytes)
            .field("budget", &self.budget)
            .finish()
    }
}

impl TextCache {
    pub fn new(budget: usize) -> TextCache {
        TextCache {
            budget,
            bytes: 0,
            clock: 0,
            map: HashMap::new(),
            order: BTreeMap::new(),
        }
    }

    /// The cached text of `id` when it was read with `stamp` (the file as it is now); a copy
    /// read from another state of the file is dropped.
    pub fn get(&mut self, id: &str, stamp: &TextStamp) -> Option<Arc<str>> {
        let entry = self.map.get_mut(id)?;
        if entry.stamp != *stamp {
            self.remove(id);
            return None;
        }
        self.clock += 1;
        self.order.remove(&entry.used);
        entry.used = self.clock;
        self.order.insert(self.clock, id.to_string());
        Some(entry.text.clone())
    }

    /// Keep a text; the least recently used are dropped while the cache is over its budget. A
    /// text larger than the whole budget is not kept.
    pub fn insert(&mut self, id: &str, text: Arc<str>, stamp: TextStamp) {
        self.remove(id);
        if text.len() > self.budget {
            return;
        }
        self.clock += 1;
        self.bytes += text.len();
        self.order.insert(self.clock, id.to_string());
        self.map.insert(
            id.to_string(),
            Cached {
                text,
                stamp,
                used: self.clock,
            },
        );
        while self.bytes > self.budget {
            let Some((_, oldest)) = self.order.pop_first() else {
                break;
            };
            if let Some(gone) = self.map.remove(&oldest) {
                self.bytes -= gone.text.len();
            }
        }
    }

    pub fn remove(&mut self, id: &str) {
        if let Some(gone) = self.map.remove(id) {
            self.order.remove(&gone.used);
            self.bytes -= gone.text.len();
        }
    }

    /// Bytes of text held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn contains(&self, id: &str) -> bool {
        self.map.contains_key(id)
    }
}

/// The cache as the library holds it: shared by `&self` readers on any thread.
pub(super) type SharedCache = Mutex<TextCache>;

pub(super) fn lock(cache: &SharedCache) -> std::sync::MutexGuard<'_, TextCache> {
    // A panic while holding the lock leaves at worst a missing entry: the cache stays usable.
    cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Which text files were read, for tests that check what is not read.
#[cfg(test)]
pub(crate) mod reads {
    use std::collections::HashMap;
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;

    static READS: Mutex<Option<HashMap<PathBuf, usize>>> = Mutex::new(None);

    pub fn note(path: &Path) {
        let mut reads = READS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *reads
            .get_or_insert_with(HashMap::new)
            .entry(path.to_path_buf())
            .or_default() += 1;
    }

    /// How many times the files under `dir` were read.
    pub fn under(dir: &Path) -> usize {
        let reads = READS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        reads.as_ref().map_or(0, |r| {
            r.iter()
                .filter(|(p, _)| p.starts_with(dir))
                .map(|(_, n)| n)
                .sum()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(n: u64) -> TextStamp {
        TextStamp {
            len: n,
            mtime_ns: 0,
            ctime_ns: 0,
            ino: n,
        }
    }

    #[test]
    fn the_cache_drops_the_least_recently_used_past_its_budget() {
        let mut cache = TextCache::new(10);
        cache.insert("a", Arc::from("aaaa"), stamp(1));
        cache.insert("b", Arc::from("bbbb"), stamp(2));
        // `a` used again: `b` is now the oldest.
        assert!(cache.get("a", &stamp(1)).is_some());
        cache.insert("c", Arc::from("cccc"), stamp(3));
        assert_eq!(cache.bytes(), 8);
        assert!(cache.contains("a"));
        assert!(!cache.contains("b"));
        assert!(cache.contains("c"));
        // Never over budget, whatever goes in.
        for n in 0..100u64 {
            cache.insert(&n.to_string(), Arc::from("xyz"), stamp(n));
            assert!(cache.bytes() <= 10, "{} bytes", cache.bytes());
        }
        assert_eq!(cache.len(), 3);
    }

    #[test]
    fn a_copy_read_from_another_state_of_the_file_is_not_served() {
        let mut cache = TextCache::new(100);
        cache.insert("a", Arc::from("old"), stamp(1));
        assert_eq!(cache.get("a", &stamp(2)), None);
        assert!(!cache.contains("a"));
        assert_eq!(cache.bytes(), 0);
    }

    #[test]
    fn a_text_larger_than_the_budget_is_not_kept() {
        let mut cache = TextCache::new(4);
        cache.insert("a", Arc::from("abc"), stamp(1));
        cache.insert("b", Arc::from("too long"), stamp(2));
        assert!(cache.contains("a"));
        assert!(!cache.contains("b"));
        assert_eq!(cache.bytes(), 3);
    }
}
