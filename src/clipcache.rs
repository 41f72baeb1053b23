//! Per-clipping derived data (story-version signatures, quote facets) kept current with an open
//! library incrementally: which clippings changed since the last pass, told by the library's
//! revision log, or, when it cannot tell, by a stamp of what each value was computed from.
//!
//! A consumer keeps a [`Tracker`] beside its values. [`Tracker::changes`] lists what must be
//! (re)computed or dropped — cheap, and done where the library is (the UI thread);
//! [`Changes::compute`] computes the new values (in parallel; on any thread, it owns its
//! inputs); [`Tracker::commit`] records the stamps and hands back the values to apply.

use std::collections::HashMap;

use crate::library::{Library, TextReader, TextStamp};
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
