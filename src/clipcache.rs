//! Per-clipping derived data (story-version signatures, quote facets) kept current with an open
//! library incrementally: which clippings changed since the last pass, told by the library's
//! revision log, or, when it cannot tell, by a stamp of what each value was computed from.
//!
//! A consumer keeps a [`Tracker`] beside its values. [`Tracker::changes`] lists what must be
//! (re)computed or dropped — cheap, and done where the library is (the UI thread);
//! [`Changes::compute`] computes the new values (in parallel; on any thread, it owns its
//! inputs); [`Tracker::commit`] records the stamps and hands back the values to apply.

use std::collections::HashMap;
use std::sync::Arc;

use crate::library::Library;
use crate::model::Clipping;

/// What a value was computed from: the text (the library's shared pointer, so a replaced text
/// is always noticed, plus a hash, so the same text read again is not recomputed) and a
/// fingerprint of the metadata the value reads (with the version of the code that computes it).
#[derive(Debug, Clone)]
struct Stamp {
    text: Option<Arc<str>>,
    text_hash: u64,
    meta: u64,
}

impl Stamp {
    fn holds(&self, text: Option<&Arc<str>>, meta: u64) -> bool {
        if self.meta != meta {
            return false;
        }
        match (&self.text, text) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b) || text_hash(b) == self.text_hash,
            (None, None) => true,
            _ => false,
        }
    }
}

fn text_hash(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// The stamps of the values a consumer holds, and the library state they are current with.
#[derive(Debug, Default)]
pub struct Tracker {
    stamps: HashMap<String, Stamp>,
    /// (instance, revision) of the library the values were last brought up to date with.
    built_for: Option<(u64, u64)>,
}

/// One clipping to compute a value for: its id, what the consumer copied of its metadata, its
/// text, and the stamp to record once computed.
#[derive(Debug)]
pub struct Item<X> {
    pub id: String,
    pub meta: X,
    pub text: Option<Arc<str>>,
    stamp: Stamp,
}

/// What changed since the values were current: clippings to compute, ids to drop.
#[derive(Debug)]
pub struct Changes<X> {
    built_for: (u64, u64),
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

    /// Compute the values (in parallel).
    pub fn compute<T: Send>(self, f: impl Fn(&X, &str) -> T + Sync) -> Computed<T> {
        use rayon::prelude::*;
        Computed {
            built_for: self.built_for,
            values: self
                .items
                .into_par_iter()
                .map(|item| {
                    let value = f(&item.meta, item.text.as_deref().unwrap_or(""));
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
    pub fn changes<X>(
        &self,
        lib: &Library,
        meta: impl Fn(&Clipping) -> u64,
        copy: impl Fn(&Clipping) -> X,
    ) -> Changes<X> {
        let built_for = (lib.instance(), lib.revision());
        let logged = match self.built_for {
            Some((instance, revision)) if instance == lib.instance() => lib.changed_since(revision),
            _ => None,
        };
        let mut items = Vec::new();
        let mut removed = Vec::new();
        let consider = |c: &Clipping, items: &mut Vec<Item<X>>| {
            let text = lib.text(&c.id);
            let m = meta(c);
            if self.stamps.get(&c.id).is_some_and(|s| s.holds(text, m)) {
                return;
            }
            items.push(Item {
                id: c.id.clone(),
                meta: copy(c),
                text: text.cloned(),
                stamp: Stamp {
                    text: text.cloned(),
                    text_hash: text.map_or(0, |t| text_hash(t)),
                    meta: m,
                },
            });
        };
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
