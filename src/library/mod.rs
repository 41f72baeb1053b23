//! The RON store on disk: load, save, import, dedupe, trash and the one-writer lock.
//!
//! A library is a folder:
//! - `library.ron`: library-wide settings (tag colors, saved searches);
//! - `clippings/<id>.ron`: one clipping (metadata, overrides, tags, notes, highlights);
//! - `clippings/<id>.txt`: its text exactly as imported (decoded to UTF-8);
//! - `trash/`: deleted clippings, restorable until the trash is emptied;
//! - `.clipfile.lock`: held by the one process that may write.

mod anchors;
pub mod edit;
pub mod folder;
pub mod import;
mod snapshot;
pub mod store;
pub mod tags;
pub mod texts;
pub mod watch;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::model::{Clipping, FORMAT_VERSION};
use crate::parse;
pub use import::{FileReport, ImportJob, ImportMsg, ImportSummary, Outcome, SkipReason};
use store::{RonError, Versioned, read_ron, to_ron, write_atomic};
pub use texts::{TextReader, TextStamp};

impl Versioned for Clipping {
    fn format(&self) -> u32 {
        self.format
    }
}

impl Versioned for LibrarySettings {
    fn format(&self) -> u32 {
        self.format
    }
}

/// The largest `<id>.txt` read: an imported file of at most [`import::MAX_FILE_BYTES`],
/// decoded to UTF-8 (which can make it up to three times longer).
const MAX_TEXT_BYTES: u64 = 3 * import::MAX_FILE_BYTES + 1024;

const CLIPPINGS: &str = "clippings";
const TRASH: &str = "trash";
const SETTINGS: &str = "library.ron";
const LOCK: &str = ".clipfile.lock";

/// Library-wide data kept in `library.ron`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibrarySettings {
    pub format: u32,
    /// Tag name to an RGB color.
    #[serde(default)]
    pub tag_colors: BTreeMap<String, [u8; 3]>,
    /// Named searches the reader saved.
    #[serde(default)]
    pub saved_searches: BTreeMap<String, String>,
    /// Tag articles imported from a news database's batch download with the database's
    /// subjects and places (`subject/…`, `place/…`). On by default.
    #[serde(default = "yes")]
    pub batch_tags: bool,
}

fn yes() -> bool {
    true
}

impl Default for LibrarySettings {
    fn default() -> Self {
        LibrarySettings {
            format: FORMAT_VERSION,
            tag_colors: BTreeMap::new(),
            saved_searches: BTreeMap::new(),
            batch_tags: true,
        }
    }
}

/// A file of the library that could not be loaded. It is left exactly as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadProblem {
    pub path: PathBuf,
    pub reason: String,
}

impl std::fmt::Display for LoadProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

/// How a library is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Take the writer lock; fail if another process holds it.
    ReadWrite,
    /// Read what is there; never write. Needs no lock.
    ReadOnly,
}

#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("cannot use the library folder {path}: {source}")]
    Folder { path: PathBuf, source: io::Error },
    #[error(
        "the library {path} is open in another Clipfile process{holder}; close it there, or open the library read-only"
    )]
    Locked { path: PathBuf, holder: String },
    #[error("cannot save {path}: {source}")]
    Write { path: PathBuf, source: io::Error },
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: io::Error },
    #[error("no clipping with id {0}")]
    NotFound(String),
    #[error("no clipping with id {0} in the trash")]
    NotInTrash(String),
    #[error("the id prefix {prefix:?} matches {}; give more of the id", plural(*.count, "clipping", "clippings"))]
    Ambiguous { prefix: String, count: usize },
    #[error("the library is open read-only: nothing can be changed")]
    ReadOnly,
    #[error("{0} could not be read when the library was opened and is left untouched")]
    Unreadable(PathBuf),
    #[error("cannot write the clipping as RON: {0}")]
    Serialize(String),
    #[error(
        "{path} has fields this Clipfile does not know ({fields}); it was probably written by a newer Clipfile and is left untouched"
    )]
    UnknownFields { path: PathBuf, fields: String },
    #[error(
        "a clipping with id {0} is already in the trash (with its own notes and highlights); restore or empty the trash first"
    )]
    AlreadyInTrash(String),
    #[error("the library folder {0} is a symbolic link inside the library; it is not followed")]
    LinkedFolder(PathBuf),
    #[error("cannot start the import: {0}")]
    Thread(io::Error),
    #[error("the text of the clipping cannot be read: {path}: {reason}")]
    Text { path: PathBuf, reason: String },
}

/// "1 clipping", "2 clippings".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// How far an opening library has come: records listed, and read so far.
#[derive(Debug, Default)]
pub struct OpenProgress {
    total: std::sync::atomic::AtomicUsize,
    read: std::sync::atomic::AtomicUsize,
}

impl OpenProgress {
    /// The records in the library (0 until they are listed).
    pub fn total(&self) -> usize {
        self.total.load(Ordering::Relaxed)
    }

    /// The records read so far.
    pub fn read(&self) -> usize {
        self.read.load(Ordering::Relaxed)
    }
}

/// An open library: every clipping's record in memory, the files on disk the truth. Texts are
/// read when asked for ([`Library::text`]), through a small cache of the ones read last.
pub struct Library {
    root: PathBuf,
    mode: OpenMode,
    _lock: Option<File>,
    clippings: BTreeMap<String, Clipping>,
    /// The state of each clipping's text file as last seen (at open, import or reload): what
    /// derived data ([`crate::clipcache`]) is stamped with, without reading the text.
    text_stamps: HashMap<String, TextStamp>,
    /// The texts read or written last, bounded ([`texts::CACHE_BYTES`]).
    cache: texts::SharedCache,
    settings: LibrarySettings,
    /// False when `library.ron` exists but could not be read: it is then never written.
    settings_writable: bool,
    problems: Vec<LoadProblem>,
    /// Ids whose files exist but could not be loaded: never overwritten by an import.
    blocked: HashSet<String>,
    /// Ids in the trash.
    trashed: HashSet<String>,
    /// Modification time and size of each record as last read or checked by [`Library::reload`],
    /// so that an event for a file that did not change costs a `stat`, not a read.
    stamps: HashMap<String, (Option<std::time::SystemTime>, u64)>,
    temps_removed: usize,
    /// See [`Library::revision`].
    revision: u64,
    /// Unique to this open library in the process.
    instance: u64,
    /// The ids changed in memory since `log_base`, with the revision each change made; the
    /// oldest are dropped past [`CHANGE_LOG_LEN`].
    changes: std::collections::VecDeque<(u64, String)>,
    log_base: u64,
    /// The tags' counts once asked for, then kept up to date as clippings change (counting
    /// them again after each edit read every clipping: 23-26 ms at 100,000).
    tags: std::sync::Mutex<Option<tags::TagTally>>,
}

/// How many recent changes a library remembers for [`Library::changed_since`].
const CHANGE_LOG_LEN: usize = 4096;

/// The source of [`Library::revision`] values, shared by every library in the process.
static REVISIONS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_revision() -> u64 {
    REVISIONS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl std::fmt::Debug for Library {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Library")
            .field("root", &self.root)
            .field("mode", &self.mode)
            .field("clippings", &self.clippings.len())
            .field("problems", &self.problems)
            .finish()
    }
}

/// The id of a text: a hash of the text with line endings and trailing white space normalised,
/// so the same article saved twice gets the same id.
pub fn clipping_id(text: &str) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for line in text.trim().lines() {
        hasher.update(line.trim_end().as_bytes());
        hasher.update(b"\n");
    }
    format!("{:016x}", hasher.digest())
}

/// The default library folder: the platform's data folder for Clipfile.
pub fn default_root() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "Clipfile", "Clipfile")
        .map(|d| d.data_dir().join("library"))
}

impl Library {
    /// Open (creating if needed) the library in `root`.
    pub fn open(root: impl Into<PathBuf>, mode: OpenMode) -> Result<Library, LibraryError> {
        Library::open_with(root.into(), mode, None, None, None)
    }

    /// [`Library::open`], counting the records read into `progress` as it goes (for a
    /// progress view while a large library opens on another thread).
    pub fn open_with_progress(
        root: impl Into<PathBuf>,
        mode: OpenMode,
        progress: &OpenProgress,
    ) -> Result<Library, LibraryError> {
        Library::open_with(root.into(), mode, None, Some(progress), None)
    }

    /// Open the library read-only with only these clippings loaded (settings and the trash as
    /// [`Library::open`] reads them): for commands that found what they need in the derived
    /// index (`crate::index`) and read only the records they print. The clippings folder's
    /// sync conflict copies are given (from a listing just taken, as a refresh of the search
    /// index takes one), so the folder is not listed again for them.
    pub fn open_only_listed(
        root: impl Into<PathBuf>,
        ids: &[String],
        conflicts: Vec<LoadProblem>,
    ) -> Result<Library, LibraryError> {
        let mode = OpenMode::ReadOnly;
        Library::open_with(root.into(), mode, Some(ids), None, Some(conflicts))
    }

    fn open_with(
        root: PathBuf,
        mode: OpenMode,
        only: Option<&[String]>,
        progress: Option<&OpenProgress>,
        conflicts: Option<Vec<LoadProblem>>,
    ) -> Result<Library, LibraryError> {
        let folder_err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| LibraryError::Folder { path, source }
        };
        let lock = if mode == OpenMode::ReadWrite {
            for dir in [root.clone(), root.join(CLIPPINGS), root.join(TRASH)] {
                fs::create_dir_all(&dir).map_err(folder_err(&dir))?;
            }
            // A synced library may carry a link in place of one of its folders: writing through
            // it would write outside the library.
            for dir in [root.join(CLIPPINGS), root.join(TRASH)] {
                if fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
                    return Err(LibraryError::LinkedFolder(dir));
                }
            }
            Some(take_lock(&root)?)
        } else {
            None
        };

        let mut lib = Library {
            root,
            mode,
            _lock: lock,
            clippings: BTreeMap::new(),
            text_stamps: HashMap::new(),
            cache: std::sync::Mutex::new(texts::TextCache::new(texts::CACHE_BYTES)),
            settings: LibrarySettings::default(),
            settings_writable: true,
            problems: Vec::new(),
            blocked: HashSet::new(),
            trashed: HashSet::new(),
            stamps: HashMap::new(),
            temps_removed: 0,
            revision: next_revision(),
            instance: next_revision(),
            changes: std::collections::VecDeque::new(),
            log_base: 0,
            tags: std::sync::Mutex::new(None),
        };
        if mode == OpenMode::ReadWrite {
            lib.temps_removed = store::remove_stale_temps(&lib.root)
                + store::remove_stale_temps(&lib.root.join(TRASH));
        }
        lib.load_settings()?;
        // The clippings folder's temporaries are found by the listing that finds the records.
        let (records, temps) = lib.load_clippings(only, progress, conflicts);
        if mode == OpenMode::ReadWrite {
            lib.temps_removed += match temps {
                Some(temps) => temps.iter().filter(|t| fs::remove_file(t).is_ok()).count(),
                None => store::remove_stale_temps(&lib.root.join(CLIPPINGS)),
            };
        }
        lib.reanchor_at_open(&records, only.is_none());
        lib.trashed = list_ids(&lib.root.join(TRASH)).into_iter().collect();
        // Loading is not a change: the log starts with the library as loaded.
        lib.changes.clear();
        lib.log_base = lib.revision;
        Ok(lib)
    }

    fn load_settings(&mut self) -> Result<(), LibraryError> {
        let path = self.root.join(SETTINGS);
        if !path.exists() {
            if self.mode == OpenMode::ReadWrite {
                self.save_settings()?;
            }
            return Ok(());
        }
        match read_ron::<LibrarySettings>(&path) {
            Ok(settings) => self.settings = settings,
            Err(err) => {
                self.settings_writable = false;
                self.problems.push(LoadProblem {
                    path,
                    reason: err.to_string(),
                });
            }
        }
        Ok(())
    }

    /// Read every record (not the texts: their files are only checked), counting them into
    /// `progress`. Returns the stamp of each record file read, for
    /// [`Library::reanchor_at_open`], and the temporary files in the folder when it was
    /// listed (a whole open).
    fn load_clippings(
        &mut self,
        only: Option<&[String]>,
        progress: Option<&OpenProgress>,
        conflicts: Option<Vec<LoadProblem>>,
    ) -> (HashMap<String, u64>, Option<Vec<PathBuf>>) {
        let dir = self.root.join(CLIPPINGS);
        // A whole open takes the records whose file has not changed from the snapshot in the
        // cache folder; a few records (`only`) are read from their files. The folder is listed
        // (once, for the ids and the conflict copies) while the snapshot is read.
        let snapshot_path = only.is_none().then(|| snapshot::path(&self.root)).flatten();
        let (listing, snap) = rayon::join(
            || only.is_none().then(|| folder::list_and_stat(&dir)),
            || {
                snapshot_path
                    .as_deref()
                    .map(snapshot::Snapshot::load)
                    .unwrap_or_default()
            },
        );
        let (ids, stats, conflicts, temps) = match (only, listing) {
            (_, Some((listing, stats))) => {
                let stats = stats.into_iter().map(Some).collect();
                (
                    listing.records,
                    stats,
                    listing.conflicts,
                    Some(listing.temps),
                )
            }
            (Some(only), None) => (
                only.to_vec(),
                vec![None; only.len()],
                conflicts.unwrap_or_else(|| conflict_copies(&dir)),
                None,
            ),
            (None, None) => (Vec::new(), Vec::new(), Vec::new(), None),
        };
        if let Some(p) = progress {
            p.total.store(ids.len(), Ordering::Relaxed);
        }
        let started_ns = now_ns();
        let loaded: Vec<(String, Loaded, Option<String>)> = ids
            .into_par_iter()
            .zip(stats)
            .map(|(id, stats)| {
                let result = load_one_with(&dir, stats, &id, snapshot_path.as_ref().map(|_| &snap));
                // A record read from its file goes into the next snapshot as JSON.
                let json = match &result {
                    Ok(found) if snapshot_path.is_some() && found.from_snapshot.is_none() => {
                        serde_json::to_string(&found.clipping).ok()
                    }
                    _ => None,
                };
                if let Some(p) = progress {
                    p.read.fetch_add(1, Ordering::Relaxed);
                }
                (id, result, json)
            })
            .collect();
        let mut records = HashMap::with_capacity(loaded.len());
        let mut entries = Vec::new();
        let mut parsed = 0;
        // The records go into the library in one go (the ids come sorted): loading is not a
        // change, and at 100,000 putting them in one at a time took a third of the open.
        let mut clippings = Vec::with_capacity(loaded.len());
        self.text_stamps.reserve(loaded.len());
        for (id, result, json) in loaded {
            match result {
                Ok(found) => {
                    let json = match (found.from_snapshot, json) {
                        (Some((start, end)), _) => Some(snapshot::Json::Old(start, end)),
                        (None, Some(json)) => {
                            parsed += 1;
                            Some(snapshot::Json::New(json))
                        }
                        (None, None) => None,
                    };
                    if let Some(json) = json {
                        entries.push(snapshot::Entry {
                            id: id.clone(),
                            stamp: found.record_stamp,
                            ctime_ns: found.record_ctime_ns,
                            json,
                        });
                    }
                    records.insert(id.clone(), found.record_stamp);
                    self.text_stamps.insert(id.clone(), found.text_stamp);
                    clippings.push((id, found.clipping));
                }
                Err(problem) => {
                    self.blocked.insert(id);
                    self.problems.push(problem);
                }
            }
        }
        if self.clippings.is_empty() {
            self.clippings = clippings.into_iter().collect();
        } else {
            self.clippings.extend(clippings);
        }
        *self.tags.get_mut().unwrap_or_else(|e| e.into_inner()) = None;
        self.revision = next_revision();
        // The snapshot is written again when it no longer matches the folder, on its own
        // thread: the open does not wait for it.
        if let Some(path) = snapshot_path
            && (parsed > 0 || entries.len() != snap.len())
        {
            let save = move || snapshot::save(&path, &snap, &entries, started_ns);
            // No thread to spare: the next open parses the files again.
            let _ = std::thread::Builder::new()
                .name("clipfile-snapshot".into())
                .spawn(save);
        }
        self.problems.extend(conflicts);
        (records, temps)
    }

    /// Re-anchor at open only the clippings with highlights whose record or text changed since
    /// they were last seen to hold (the stamps kept in the cache folder, [`anchors`]); the
    /// others' texts are not read. `whole`: every clipping was loaded (entries of clippings no
    /// longer there are dropped).
    fn reanchor_at_open(&mut self, records: &HashMap<String, u64>, whole: bool) {
        let file = anchors::path(&self.root);
        let held = file.as_deref().map(anchors::load).unwrap_or_default();
        let key = |lib: &Library, id: &str| -> Option<(u64, u64)> {
            Some((*records.get(id)?, lib.text_stamps.get(id)?.hash()))
        };
        let todo: Vec<String> = self
            .clippings
            .values()
            .filter(|c| !c.highlights.is_empty())
            .filter(|c| key(self, &c.id).is_none_or(|k| held.get(&c.id) != Some(&k)))
            .map(|c| c.id.clone())
            .collect();
        let changed: HashMap<String, bool> = if todo.is_empty() {
            HashMap::new()
        } else {
            self.reanchor_ids(&todo).into_iter().collect()
        };
        let Some(file) = file else {
            return;
        };
        let mut now = if whole {
            anchors::Held::new()
        } else {
            held.clone()
        };
        for c in self.clippings.values() {
            now.remove(&c.id);
            if c.highlights.is_empty() {
                continue;
            }
            let entry = match changed.get(&c.id) {
                // Changed in memory only: the record on disk does not hold.
                Some(false) => None,
                // Saved: the record is in a new state.
                Some(true) => texts::stat_text(&self.clipping_path(&c.id, "ron"), u64::MAX)
                    .ok()
                    .zip(self.text_stamps.get(&c.id))
                    .map(|(ron, txt)| (ron.hash(), txt.hash())),
                None => key(self, &c.id),
            };
            if let Some(entry) = entry {
                now.insert(c.id.clone(), entry);
            }
        }
        if now != held {
            anchors::save(&file, &now);
        }
    }

    /// A number that changes whenever a clipping is added, changed or removed, and is never
    /// shared by two libraries in one process: a cache keyed by it (the search index) can
    /// tell in one comparison that it is up to date.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// A number for this open library, never shared with another in the process.
    pub fn instance(&self) -> u64 {
        self.instance
    }

    /// The ids of the clippings added, changed or removed after revision `since` of this
    /// library (possibly with repeats), or `None` when it cannot tell: `since` is not one of its
    /// revisions or is older than the changes it remembers.
    pub fn changed_since(&self, since: u64) -> Option<Vec<&str>> {
        if since < self.log_base || since > self.revision {
            return None;
        }
        Some(
            self.changes
                .iter()
                .filter(|(revision, _)| *revision > since)
                .map(|(_, id)| id.as_str())
                .collect(),
        )
    }

    /// Move to a new revision, remembering which clipping changed.
    fn changed(&mut self, id: &str) {
        self.revision = next_revision();
        self.changes.push_back((self.revision, id.to_string()));
        if self.changes.len() > CHANGE_LOG_LEN
            && let Some((dropped, _)) = self.changes.pop_front()
        {
            self.log_base = dropped;
        }
    }

    /// Put a clipping into memory, with the state of its text file when it is known anew (and
    /// the text, when it was just read or written, to keep in the cache). Every change to the
    /// clippings in memory goes through here or [`Library::forget`], so the revision follows.
    fn put(&mut self, clipping: Clipping, stamp: Option<TextStamp>, text: Option<Arc<str>>) {
        self.changed(&clipping.id);
        if let Some(stamp) = stamp {
            let old = self.text_stamps.insert(clipping.id.clone(), stamp);
            let mut cache = texts::lock(&self.cache);
            match text {
                Some(text) => cache.insert(&clipping.id, text, stamp),
                None if old.is_some_and(|old| old != stamp) => cache.remove(&clipping.id),
                None => {}
            }
        }
        if let Some(tally) = self.tags.get_mut().unwrap_or_else(|e| e.into_inner()) {
            if let Some(old) = self.clippings.get(&clipping.id) {
                tally.remove(&old.tags);
            }
            tally.add(&clipping.tags);
        }
        self.clippings.insert(clipping.id.clone(), clipping);
    }

    /// Put a clipping just written with its text (an import).
    fn put_written(&mut self, clipping: Clipping, text: Arc<str>) {
        let path = self.clipping_path(&clipping.id, "txt");
        match texts::stat_text(&path, MAX_TEXT_BYTES) {
            Ok(stamp) => self.put(clipping, Some(stamp), Some(text)),
            Err(_) => {
                // Gone already: the next read says why.
                self.text_stamps.remove(&clipping.id);
                texts::lock(&self.cache).remove(&clipping.id);
                self.put(clipping, None, None);
            }
        }
    }

    /// Drop a clipping and its text from memory (the files are dealt with by the caller).
    fn forget(&mut self, id: &str) -> Option<Clipping> {
        self.changed(id);
        self.text_stamps.remove(id);
        texts::lock(&self.cache).remove(id);
        let gone = self.clippings.remove(id);
        if let (Some(tally), Some(gone)) = (
            self.tags.get_mut().unwrap_or_else(|e| e.into_inner()),
            &gone,
        ) {
            tally.remove(&gone.tags);
        }
        gone
    }

    /// Each tag with how many clippings carry it, and each node of the tag tree with how many
    /// are under it, both by name ([`tags::TagTally`]). Counted over every clipping the first
    /// time, then kept up to date as clippings change.
    pub fn tag_counts(&self) -> (tags::Counts, tags::Counts) {
        let mut tally = self.tags.lock().unwrap_or_else(|e| e.into_inner());
        let tally = tally.get_or_insert_with(|| {
            tags::TagTally::of(self.clippings.values().map(|c| c.tags.as_slice()))
        });
        (tally.counts(), tally.tree())
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether `path` (which need not exist) lies inside this library's folder: its nearest
    /// existing ancestor, with links resolved, is the library folder or inside it.
    pub fn holds_path(&self, path: &Path) -> bool {
        let Ok(root) = fs::canonicalize(&self.root) else {
            return false;
        };
        let path = if path.is_relative() {
            std::env::current_dir().map_or_else(|_| path.to_path_buf(), |cwd| cwd.join(path))
        } else {
            path.to_path_buf()
        };
        path.ancestors()
            .find_map(|a| fs::canonicalize(a).ok())
            .is_some_and(|existing| existing.starts_with(&root))
    }

    pub fn mode(&self) -> OpenMode {
        self.mode
    }

    pub fn is_read_only(&self) -> bool {
        self.mode == OpenMode::ReadOnly
    }

    /// Files that could not be loaded, each with its reason.
    pub fn problems(&self) -> &[LoadProblem] {
        &self.problems
    }

    /// Temporary files of interrupted writes removed when the library was opened.
    pub fn temps_removed(&self) -> usize {
        self.temps_removed
    }

    pub fn settings(&self) -> &LibrarySettings {
        &self.settings
    }

    pub fn len(&self) -> usize {
        self.clippings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.clippings.is_empty()
    }

    /// All clippings, ordered by id.
    pub fn clippings(&self) -> impl Iterator<Item = &Clipping> {
        self.clippings.values()
    }

    pub fn get(&self, id: &str) -> Option<&Clipping> {
        self.clippings.get(id)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.clippings.contains_key(id)
    }

    /// The clipping's text as imported, read from its file now (or from the cache while the
    /// file is as it was when the cached copy was read). An unreadable text (removed, a link,
    /// not a file, too large, not UTF-8) is an error naming the file and why.
    pub fn text(&self, id: &str) -> Result<Arc<str>, LibraryError> {
        if !self.clippings.contains_key(id) {
            return Err(LibraryError::NotFound(id.to_string()));
        }
        let path = self.clipping_path(id, "txt");
        let unreadable = |reason: String| LibraryError::Text {
            path: path.clone(),
            reason,
        };
        let now = texts::stat_text(&path, MAX_TEXT_BYTES).map_err(unreadable)?;
        if let Some(text) = texts::lock(&self.cache).get(id, &now) {
            return Ok(text);
        }
        let (text, stamp) = texts::read_text(&path, MAX_TEXT_BYTES).map_err(unreadable)?;
        texts::lock(&self.cache).insert(id, text.clone(), stamp);
        Ok(text)
    }

    /// The state of the clipping's text file as the library last saw it (at open, import or
    /// reload), without reading it: what derived data is stamped with.
    pub fn text_stamp(&self, id: &str) -> Option<TextStamp> {
        self.text_stamps.get(id).copied()
    }

    /// A reader of this library's texts for any thread (no cache: for passes over many texts,
    /// which read, use and drop each).
    pub fn text_reader(&self) -> TextReader {
        TextReader::new(self.root.join(CLIPPINGS), MAX_TEXT_BYTES)
    }

    /// Bytes of text held in the cache (at most [`texts::CACHE_BYTES`]).
    pub fn cached_text_bytes(&self) -> usize {
        texts::lock(&self.cache).bytes()
    }

    /// Find a clipping by its id or a unique prefix of it.
    pub fn resolve(&self, prefix: &str) -> Result<&Clipping, LibraryError> {
        let prefix = prefix.trim().to_ascii_lowercase();
        if let Some(c) = self.clippings.get(&prefix) {
            return Ok(c);
        }
        let mut matches = self
            .clippings
            .range(prefix.clone()..)
            .take_while(|(id, _)| id.starts_with(&prefix));
        match (matches.next(), matches.count()) {
            (Some((_, c)), 0) if !prefix.is_empty() => Ok(c),
            // The record is there but could not be loaded: say so, not "no clipping".
            (None, _) => match self.blocked_match(&prefix) {
                Some(id) => Err(LibraryError::Unreadable(self.clipping_path(id, "ron"))),
                None => Err(LibraryError::NotFound(prefix)),
            },
            (Some(_), more) => Err(LibraryError::Ambiguous {
                prefix,
                count: more + 1,
            }),
        }
    }

    /// The one id that could not be loaded starting with `prefix`.
    fn blocked_match(&self, prefix: &str) -> Option<&str> {
        if prefix.is_empty() {
            return None;
        }
        let mut found = self.blocked.iter().filter(|id| id.starts_with(prefix));
        match (found.next(), found.next()) {
            (Some(id), None) => Some(id.as_str()),
            _ => None,
        }
    }

    fn clipping_path(&self, id: &str, ext: &str) -> PathBuf {
        self.root.join(CLIPPINGS).join(format!("{id}.{ext}"))
    }

    fn check_writable(&self) -> Result<(), LibraryError> {
        if self.mode == OpenMode::ReadOnly {
            Err(LibraryError::ReadOnly)
        } else {
            Ok(())
        }
    }

    /// Replace a clipping's record (tags, notes, overrides, highlights...) and save it atomically.
    /// On a failed save the library in memory keeps the old record.
    pub fn save(&mut self, clipping: Clipping) -> Result<(), LibraryError> {
        self.check_writable()?;
        if !self.clippings.contains_key(&clipping.id) {
            return Err(LibraryError::NotFound(clipping.id));
        }
        let path = self.clipping_path(&clipping.id, "ron");
        let kept = check_replaceable(&path)?;
        write_record(&path, &clipping, kept.as_ref())?;
        self.put(clipping, None, None);
        Ok(())
    }

    /// Change a clipping through a closure and save it.
    pub fn update(
        &mut self,
        id: &str,
        change: impl FnOnce(&mut Clipping),
    ) -> Result<&Clipping, LibraryError> {
        let mut clipping = self
            .clippings
            .get(id)
            .cloned()
            .ok_or_else(|| LibraryError::NotFound(id.to_string()))?;
        change(&mut clipping);
        self.save(clipping)?;
        self.clippings
            .get(id)
            .ok_or_else(|| LibraryError::NotFound(id.to_string()))
    }

    /// Save the library-wide settings.
    pub fn save_settings(&mut self) -> Result<(), LibraryError> {
        self.check_writable()?;
        let path = self.root.join(SETTINGS);
        if !self.settings_writable {
            return Err(LibraryError::Unreadable(path));
        }
        let text = to_ron(&self.settings).map_err(|e| LibraryError::Serialize(e.to_string()))?;
        write_atomic(&path, text.as_bytes(), true)
            .map_err(|source| LibraryError::Write { path, source })
    }

    /// Change the settings through a closure and save them.
    pub fn update_settings(
        &mut self,
        change: impl FnOnce(&mut LibrarySettings),
    ) -> Result<(), LibraryError> {
        let before = self.settings.clone();
        change(&mut self.settings);
        if let Err(err) = self.save_settings() {
            self.settings = before;
            return Err(err);
        }
        Ok(())
    }

    /// Move a clipping (record and text) to the trash.
    pub fn trash(&mut self, id: &str) -> Result<Clipping, LibraryError> {
        self.check_writable()?;
        if !self.clippings.contains_key(id) {
            return Err(LibraryError::NotFound(id.to_string()));
        }
        let trash = self.root.join(TRASH);
        // The same text trashed before has its own record there (notes, highlights): never
        // replaced. `symlink_metadata` sees a dangling link or a FIFO too.
        if self.trashed.contains(id)
            || ["ron", "txt"]
                .iter()
                .any(|ext| fs::symlink_metadata(trash.join(format!("{id}.{ext}"))).is_ok())
        {
            return Err(LibraryError::AlreadyInTrash(id.to_string()));
        }
        move_pair(&self.root.join(CLIPPINGS), &trash, id)?;
        self.trashed.insert(id.to_string());
        self.forget(id)
            .ok_or_else(|| LibraryError::NotFound(id.to_string()))
    }

    /// Bring a clipping back from the trash.
    pub fn restore(&mut self, id: &str) -> Result<&Clipping, LibraryError> {
        self.check_writable()?;
        let id = self.resolve_trashed(id)?;
        let dir = self.root.join(CLIPPINGS);
        if dir.join(format!("{id}.ron")).exists() {
            return Err(LibraryError::Unreadable(dir.join(format!("{id}.ron"))));
        }
        let trash = self.root.join(TRASH);
        // What cannot be read stays where it is: in the trash, listed by `trashed`.
        if let Err(problem) = load_one(&trash, &id) {
            return Err(LibraryError::Unreadable(problem.path));
        }
        move_pair(&trash, &dir, &id)?;
        self.trashed.remove(&id);
        match load_one(&dir, &id) {
            Ok(found) => {
                self.put(found.clipping, Some(found.text_stamp), None);
                self.clippings
                    .get(&id)
                    .ok_or(LibraryError::NotFound(id.clone()))
            }
            Err(problem) => {
                self.blocked.insert(id);
                let path = problem.path.clone();
                self.problems.push(problem);
                Err(LibraryError::Unreadable(path))
            }
        }
    }

    fn resolve_trashed(&self, prefix: &str) -> Result<String, LibraryError> {
        let prefix = prefix.trim().to_ascii_lowercase();
        let found: Vec<&String> = self
            .trashed
            .iter()
            .filter(|id| id.starts_with(&prefix))
            .collect();
        match found.as_slice() {
            [one] if !prefix.is_empty() => Ok((*one).clone()),
            _ if self.trashed.contains(&prefix) => Ok(prefix),
            [] => Err(LibraryError::NotInTrash(prefix)),
            many => Err(LibraryError::Ambiguous {
                prefix,
                count: many.len(),
            }),
        }
    }

    /// Everything in the trash, ordered by id: each entry's record, or why it cannot be read
    /// (such an entry is listed, and never deleted by [`Library::empty_trash`]).
    pub fn trashed(&self) -> Vec<TrashEntry> {
        let dir = self.root.join(TRASH);
        let mut ids: Vec<&String> = self.trashed.iter().collect();
        ids.sort();
        ids.into_iter()
            .map(|id| TrashEntry {
                id: id.clone(),
                record: load_one(&dir, id)
                    .map(|found| found.clipping)
                    .map_err(|problem| problem.to_string()),
            })
            .collect()
    }

    /// Delete from the trash, for good, every entry that can be read. Entries that cannot be
    /// read (damaged, newer, a link, not a file) are left as they are. Returns how many were
    /// removed and the entries left.
    pub fn empty_trash(&mut self) -> Result<EmptiedTrash, LibraryError> {
        self.check_writable()?;
        let dir = self.root.join(TRASH);
        let mut emptied = EmptiedTrash::default();
        for entry in self.trashed() {
            if entry.record.is_err() {
                emptied.kept.push(entry);
                continue;
            }
            for ext in ["ron", "txt"] {
                let path = dir.join(format!("{}.{ext}", entry.id));
                match fs::remove_file(&path) {
                    Ok(()) => {}
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(source) => return Err(LibraryError::Write { path, source }),
                }
            }
            self.trashed.remove(&entry.id);
            emptied.removed += 1;
        }
        Ok(emptied)
    }

    /// Parse every clipping's text again (after a parser upgrade). Overrides, tags, notes and
    /// highlights are kept. Returns how many records changed.
    pub fn reparse(&mut self) -> Result<usize, LibraryError> {
        self.check_writable()?;
        let reader = self.text_reader();
        let updates: Vec<Clipping> = self
            .clippings
            .par_iter()
            .filter_map(|(id, clipping)| {
                // Read, parsed and dropped: no text is kept. An unreadable one is left as it is.
                let text = reader.read(id).ok()?;
                let parsed = stored_metadata(&text);
                (parsed != clipping.parsed || clipping.parser_version != parse::PARSER_VERSION)
                    .then(|| Clipping {
                        parsed,
                        parser_version: parse::PARSER_VERSION,
                        ..clipping.clone()
                    })
            })
            .collect();
        let changed = updates.len();
        for clipping in updates {
            self.save(clipping)?;
        }
        self.reanchor(None);
        Ok(changed)
    }

    /// Re-anchor the highlights of every clipping (or of one) whose reading text no longer holds
    /// them where they were made (an outside edit, a re-parse, a parser upgrade). The result is
    /// saved when the library is writable and kept in memory otherwise, so every reader (the
    /// app, `show`, `export`) sees current anchors. Returns how many clippings changed.
    pub fn reanchor(&mut self, only: Option<&str>) -> usize {
        let ids: Vec<String> = match only {
            Some(id) => vec![id.to_string()],
            None => self
                .clippings
                .values()
                .filter(|c| !c.highlights.is_empty())
                .map(|c| c.id.clone())
                .collect(),
        };
        self.reanchor_ids(&ids).len()
    }

    /// Re-anchor these clippings' highlights, reading their texts in parallel (each read, used
    /// and dropped). Returns the ids that changed, each with whether it was saved.
    fn reanchor_ids(&mut self, ids: &[String]) -> Vec<(String, bool)> {
        let reader = self.text_reader();
        let updates: Vec<Clipping> = ids
            .par_iter()
            .filter_map(|id| self.clippings.get(id))
            .filter(|c| !c.highlights.is_empty())
            .filter_map(|clipping| {
                // An unreadable text is reported when the clipping is read; its highlights wait.
                let text = reader.read(&clipping.id).ok()?;
                let doc = crate::anchor::reading_text(&parse::parse_article(&text));
                let mut highlights = clipping.highlights.clone();
                crate::anchor::reanchor(&doc, &mut highlights).then(|| Clipping {
                    highlights,
                    ..clipping.clone()
                })
            })
            .collect();
        let mut changed = Vec::with_capacity(updates.len());
        for clipping in updates {
            let id = clipping.id.clone();
            if self.is_read_only() {
                self.put(clipping, None, None);
                changed.push((id, false));
            } else if let Err(err) = self.save(clipping.clone()) {
                // Not saved: still current in memory, and the reader is told.
                self.problems.push(LoadProblem {
                    path: self
                        .root
                        .join(CLIPPINGS)
                        .join(format!("{}.ron", clipping.id)),
                    reason: format!("re-anchored highlights could not be saved: {err}"),
                });
                self.put(clipping, None, None);
                changed.push((id, false));
            } else {
                changed.push((id, true));
            }
        }
        changed
    }

    /// Start importing files and folders on a background thread. Feed the job's messages back
    /// through [`Library::accept`] (or use [`Library::import_blocking`]).
    pub fn start_import(&self, paths: Vec<PathBuf>) -> Result<ImportJob, LibraryError> {
        self.check_writable()?;
        let mut known: HashMap<String, bool> = self
            .clippings
            .keys()
            .map(|id| (id.clone(), false))
            .collect();
        known.extend(self.trashed.iter().map(|id| (id.clone(), true)));
        let ctx = import::ImportContext {
            clippings_dir: self.root.join(CLIPPINGS),
            known,
            blocked: self.blocked.clone(),
            max_bytes: import::MAX_FILE_BYTES,
            library_root: self.root.clone(),
            known_docs: self
                .clippings
                .values()
                .filter_map(|c| {
                    let key = crate::batch::doc_key(c.source.as_ref()?)?;
                    Some((key, (c.id.clone(), false)))
                })
                .collect(),
            batch_tags: self.settings.batch_tags,
            index_cache: crate::index::cache_dir(),
        };
        // Without its thread the job would never report and never end.
        import::spawn(paths, ctx).map_err(LibraryError::Thread)
    }

    /// Take an imported clipping into the library (the files are already written).
    pub fn accept(&mut self, msg: &ImportMsg) {
        if let ImportMsg::File {
            imported: Some(imported),
            ..
        } = msg
        {
            let (clipping, text) = imported.as_ref();
            self.put_written(clipping.clone(), text.clone());
        }
    }

    /// Import on this thread's behalf and wait: every file's outcome, in input order.
    pub fn import_blocking(
        &mut self,
        paths: Vec<PathBuf>,
        mut on_progress: impl FnMut(&import::Progress),
    ) -> Result<ImportSummary, LibraryError> {
        let job = self.start_import(paths)?;
        let mut summary = ImportSummary::default();
        while let Ok(msg) = job.recv() {
            self.accept(&msg);
            on_progress(job.progress());
            match msg {
                ImportMsg::File { report, .. } => summary.reports.push(report),
                ImportMsg::Done { cancelled } => {
                    summary.cancelled = cancelled;
                    break;
                }
            }
        }
        summary.reports.sort_by_key(|r| r.index);
        Ok(summary)
    }

    /// Import the text of a file already in memory (the built-in sample, a dropped byte buffer).
    pub fn import_text(&mut self, source_name: &str, text: &str) -> Result<Outcome, LibraryError> {
        self.check_writable()?;
        let id = clipping_id(text);
        if let Some(existing) = self.clippings.get(&id) {
            return Ok(Outcome::Duplicate {
                id,
                headline: existing.title().to_string(),
                in_trash: false,
            });
        }
        if self.trashed.contains(&id) {
            return Ok(Outcome::Duplicate {
                id,
                headline: source_name.to_string(),
                in_trash: true,
            });
        }
        if self.blocked.contains(&id) {
            return Ok(Outcome::Skipped(SkipReason::Blocked));
        }
        let (clipping, text) =
            import::write_new(&self.root.join(CLIPPINGS), source_name, "UTF-8", text)
                .map_err(|(path, source)| LibraryError::Write { path, source })?;
        let outcome = Outcome::Imported {
            id: clipping.id.clone(),
            headline: clipping.title().to_string(),
        };
        self.put_written(clipping, text);
        Ok(outcome)
    }
}

/// One clipping in the trash: its id (from the file name) and its record, or why it cannot be
/// read.
#[derive(Debug, Clone, PartialEq)]
pub struct TrashEntry {
    pub id: String,
    pub record: Result<Clipping, String>,
}

/// What [`Library::empty_trash`] did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EmptiedTrash {
    pub removed: usize,
    /// Entries that could not be read and were left in the trash.
    pub kept: Vec<TrashEntry>,
}

/// What re-reading one clipping from disk found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reload {
    /// The same as in memory (for example our own save).
    Unchanged,
    /// Changed on disk: the new record is taken.
    Updated,
    /// New on disk.
    Added,
    /// Gone from disk.
    Removed,
    /// Unreadable now: reported, left untouched, and out of the library until fixed.
    Problem,
}

impl Library {
    /// Re-read the files of one clipping after they changed on disk.
    pub fn reload(&mut self, id: &str) -> Reload {
        let dir = self.root.join(CLIPPINGS);
        let ron = dir.join(format!("{id}.ron"));
        let stamp = fs::metadata(&ron)
            .ok()
            .map(|m| (m.modified().ok(), m.len()));
        if let Some(stamp) = stamp {
            if self.stamps.get(id) == Some(&stamp) {
                return self.reload_text(id);
            }
            self.stamps.insert(id.to_string(), stamp);
        }
        if stamp.is_none() {
            self.stamps.remove(id);
            if self.clippings.contains_key(id) {
                self.forget(id);
                return Reload::Removed;
            }
            return Reload::Unchanged;
        }
        match load_one(&dir, id) {
            Ok(Found {
                clipping,
                text_stamp,
                ..
            }) => {
                let had = self.clippings.get(id);
                if had == Some(&clipping) {
                    // The record is as it was; the text may not be.
                    return self.reload_text(id);
                }
                let outcome = if had.is_some() {
                    Reload::Updated
                } else {
                    Reload::Added
                };
                self.blocked.remove(id);
                self.problems.retain(|p| p.path != ron);
                self.put(clipping, Some(text_stamp), None);
                self.reanchor(Some(id));
                outcome
            }
            Err(problem) => {
                self.forget(id);
                self.blocked.insert(id.to_string());
                if !self.problems.iter().any(|p| p.path == problem.path) {
                    self.problems.push(problem);
                }
                Reload::Problem
            }
        }
    }

    /// The record is as it was: pick up an outside edit of the text (`<id>.txt`) alone, and
    /// re-anchor the highlights in it.
    fn reload_text(&mut self, id: &str) -> Reload {
        let path = self.clipping_path(id, "txt");
        let Some(clipping) = self.clippings.get(id).cloned() else {
            return Reload::Unchanged;
        };
        let Ok(now) = texts::stat_text(&path, MAX_TEXT_BYTES) else {
            // Unreadable now: said when the text is read.
            return Reload::Unchanged;
        };
        let known = self.text_stamps.get(id).copied();
        if known == Some(now) {
            return Reload::Unchanged;
        }
        let Ok((text, stamp)) = texts::read_text(&path, MAX_TEXT_BYTES) else {
            return Reload::Unchanged;
        };
        // The same words written again (a touch, a save without change): nothing to redo.
        let cached = known.and_then(|known| texts::lock(&self.cache).get(id, &known));
        if cached.is_some_and(|old| *old == *text) {
            self.text_stamps.insert(id.to_string(), stamp);
            texts::lock(&self.cache).insert(id, text, stamp);
            return Reload::Unchanged;
        }
        self.put(clipping, Some(stamp), Some(text));
        self.reanchor(Some(id));
        Reload::Updated
    }

    /// Take note of files that appeared in `clippings/`: a sync tool's conflict copy is reported.
    pub fn notice_file(&mut self, path: &Path) -> Option<String> {
        let name = path.file_name()?.to_string_lossy().into_owned();
        if let Some(id) = name.strip_suffix(".ron").filter(|id| is_id(id)) {
            return Some(id.to_string());
        }
        if let Some(id) = name.strip_suffix(".txt").filter(|id| is_id(id)) {
            return Some(id.to_string());
        }
        for problem in conflict_copies(&self.root.join(CLIPPINGS)) {
            if !self.problems.iter().any(|p| p.path == problem.path) {
                self.problems.push(problem);
            }
        }
        None
    }
}

/// What the store keeps of a parse: everything but the body paragraphs (the text is kept).
pub fn stored_metadata(text: &str) -> crate::model::ArticleMetadata {
    let mut meta = parse::parse_article(text);
    meta.paragraphs = Vec::new();
    meta
}

/// Write a record; `kept`, from [`check_replaceable`], carries the fields of the record on disk
/// that this version does not know, written back exactly as they were.
fn write_record(path: &Path, clipping: &Clipping, kept: Option<&Kept>) -> Result<(), LibraryError> {
    let mut text = to_ron(clipping).map_err(|e| LibraryError::Serialize(e.to_string()))?;
    if let Some(kept) = kept {
        text = store::with_kept_fields::<Clipping>(&text, &kept.on_disk, &kept.fields, "Clipping")
            .ok_or_else(|| LibraryError::UnknownFields {
                path: path.to_path_buf(),
                fields: kept.fields.join(", "),
            })?;
    }
    write_atomic(path, text.as_bytes(), true).map_err(|source| LibraryError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// How long a library's lock is asked for again before the library counts as open elsewhere.
const LOCK_GRACE: std::time::Duration = std::time::Duration::from_millis(250);

fn take_lock(root: &Path) -> Result<File, LibraryError> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let path = root.join(LOCK);
    let folder_err = |source| LibraryError::Folder {
        path: path.clone(),
        source,
    };
    // Never through a link (a synced library can carry one pointing anywhere), never blocking
    // on a FIFO; whatever is there must be a regular file before anything is written to it.
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(&path)
        .map_err(|source| match source.raw_os_error() {
            Some(libc::ELOOP) => folder_err(io::Error::other(
                "the lock file is a symbolic link: remove it (it is never followed)",
            )),
            _ => folder_err(source),
        })?;
    if !file.metadata().map_err(folder_err)?.is_file() {
        return Err(folder_err(io::Error::other(
            "the lock file is not a regular file: remove it",
        )));
    }
    // A lock given up a moment ago can still be held for a moment by a child process this
    // process was starting then (between its fork and its exec the child shares the lock's
    // file): asked again for a little while before the library counts as open elsewhere.
    let started = std::time::Instant::now();
    let mut tried = file.try_lock();
    while matches!(tried, Err(fs::TryLockError::WouldBlock)) && started.elapsed() < LOCK_GRACE {
        std::thread::sleep(std::time::Duration::from_millis(10));
        tried = file.try_lock();
    }
    match tried {
        Ok(()) => {
            let _ = file.set_len(0);
            let _ = write!(file, "{}", std::process::id());
            Ok(file)
        }
        Err(fs::TryLockError::WouldBlock) => {
            let mut pid = String::new();
            let _ = (&file).take(32).read_to_string(&mut pid);
            let pid = pid.trim();
            let holder = if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
                String::new()
            } else {
                format!(" (process {pid})")
            };
            Err(LibraryError::Locked {
                path: root.to_path_buf(),
                holder,
            })
        }
        Err(fs::TryLockError::Error(source)) => Err(folder_err(source)),
    }
}

/// Fields of a record on disk that this version does not know, to be written back as they were.
struct Kept {
    on_disk: String,
    fields: Vec<String>,
}

/// Before a record is replaced: the record on disk must be one this version can rewrite
/// without loss. One written (meanwhile) by a newer Clipfile is left untouched. Unknown fields
/// at the top level of the record (a later version's additions) are returned, to be kept
/// exactly as written; a record with unknown fields deeper inside (in a highlight, in the
/// parse) is left untouched.
fn check_replaceable(path: &Path) -> Result<Option<Kept>, LibraryError> {
    let text = match store::read_library_text(path, store::MAX_RECORD_BYTES) {
        Ok(text) => text,
        Err(_) if fs::symlink_metadata(path).is_err() => return Ok(None),
        Err(_) => return Err(LibraryError::Unreadable(path.to_path_buf())),
    };
    match store::parse_ron::<Clipping>(&text) {
        Ok(_) => {}
        Err(_) => return Err(LibraryError::Unreadable(path.to_path_buf())),
    }
    match store::unknown_fields::<Clipping>(&text) {
        Ok(fields) if fields.is_empty() => Ok(None),
        Ok(fields) if fields.iter().all(|f| !f.contains('.')) => Ok(Some(Kept {
            on_disk: text,
            fields,
        })),
        Ok(fields) => Err(LibraryError::UnknownFields {
            path: path.to_path_buf(),
            fields: fields.join(", "),
        }),
        Err(_) => Err(LibraryError::Unreadable(path.to_path_buf())),
    }
}

/// The ids of the `<id>.ron` files in a folder, sorted.
fn list_ids(dir: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut ids: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let id = name.strip_suffix(".ron")?;
            is_id(id).then(|| id.to_string())
        })
        .collect();
    ids.sort();
    ids
}

/// True for a clipping id: 16 lowercase hexadecimal digits.
pub fn is_id(s: &str) -> bool {
    s.len() == 16
        && s.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// Copies left by sync tools ("<id>.sync-conflict-....ron", "<id> (conflicted copy) ....ron"):
/// reported, never loaded over the clipping or deleted.
fn conflict_copies(dir: &Path) -> Vec<LoadProblem> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<LoadProblem> = entries
        .flatten()
        .filter_map(|e| conflict_copy(&e.file_name().to_string_lossy(), &dir.join(e.file_name())))
        .collect();
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

/// The problem reported for a file named `name` at `path` in the clippings folder when it is
/// a sync tool's conflict copy of a record (the index's listing reports them too).
pub fn conflict_copy(name: &str, path: &Path) -> Option<LoadProblem> {
    let is_conflict = name.ends_with(".ron")
        && (name.contains(".sync-conflict-") || name.contains("conflicted copy"));
    is_conflict.then(|| LoadProblem {
        path: path.to_path_buf(),
        reason: "a sync tool's conflict copy: compare it with the clipping and delete the one you do not want".into(),
    })
}

/// The file `folder/<hash of the library's canonical path>.ext` in the cache folder, where
/// data derived from the library in `root` is kept (`None`: no cache folder, or no such
/// library). Never inside the library folder, so sync tools never see it.
pub fn cache_file(root: &Path, folder: &str, ext: &str) -> Option<PathBuf> {
    use std::os::unix::ffi::OsStrExt;
    let cache = crate::index::cache_dir()?;
    let root = fs::canonicalize(root).ok()?;
    let hash = xxhash_rust::xxh3::xxh3_128(root.as_os_str().as_bytes());
    Some(cache.join(folder).join(format!("{hash:032x}.{ext}")))
}

/// Derived data about a file changed this recently (nanoseconds) is not kept in the cache
/// folder: a second change within the file system's time resolution could keep its stamp.
pub const RACY_NS: i128 = 2_000_000_000;

/// Now, in nanoseconds since the epoch (as file times are).
pub fn now_ns() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// Whether the cache folder holds a records snapshot of the library at `root`: its next open
/// then reads only the records changed since, and is quick.
pub fn has_records_snapshot(root: &Path) -> bool {
    snapshot::path(root).is_some_and(|p| p.is_file())
}

/// The library's settings file when it exists but cannot be read, as opening the library
/// reports it (for the commands that read the index and no record).
pub fn settings_problem(root: &Path) -> Option<LoadProblem> {
    let path = root.join(SETTINGS);
    if !path.exists() {
        return None;
    }
    read_ron::<LibrarySettings>(&path)
        .err()
        .map(|err| LoadProblem {
            path,
            reason: err.to_string(),
        })
}

/// A clipping's record read from disk, its text file checked (not read).
struct Found {
    clipping: Clipping,
    /// The state of the text file.
    text_stamp: TextStamp,
    /// A hash of the state of the record file.
    record_stamp: u64,
    /// When the record file last changed (nanoseconds since the epoch).
    record_ctime_ns: i128,
    /// Where the record was read from: its line in the snapshot, or `None` for its file.
    from_snapshot: Option<(usize, usize)>,
}

/// A clipping read from disk, or why it could not be.
type Loaded = Result<Found, LoadProblem>;

fn load_one(dir: &Path, id: &str) -> Loaded {
    load_one_with(dir, None, id, None)
}

/// [`load_one`], taking the record from `snapshot` when it holds the record file in the state
/// it is in now (the file is then only `stat`ed, not read). `stats`: the record's and the
/// text's `lstat` as the folder's listing took them (`None` for one that failed, which is then
/// looked at again to say why); without them the files are `stat`ed here.
fn load_one_with(
    dir: &Path,
    stats: Option<folder::RecordStats>,
    id: &str,
    snapshot: Option<&snapshot::Snapshot>,
) -> Loaded {
    let ron_path = dir.join(format!("{id}.ron"));
    let problem = |path: &Path, reason: String| LoadProblem {
        path: path.to_path_buf(),
        reason,
    };
    let (ron_stat, txt_stat) = match stats {
        Some((ron, txt)) => (ron, txt),
        None => (None, None),
    };
    let held = snapshot.and_then(|snap| {
        let stat = match ron_stat {
            Some(stat) => stat,
            None => folder::FileStat::of(&fs::symlink_metadata(&ron_path).ok()?),
        };
        stat.check(store::MAX_RECORD_BYTES).ok()?;
        let clipping = snap.clipping(id, stat.stamp.hash())?;
        Some((clipping, stat.stamp, snap.range(id)))
    });
    let (clipping, record, from_snapshot) = match held {
        Some(held) => held,
        None => {
            // The stamp is the open file's, so it is the state of the bytes parsed.
            let (text, meta) =
                store::read_library_text_with_meta(&ron_path, store::MAX_RECORD_BYTES)
                    .map_err(|e| problem(&ron_path, RonError::Io(e).to_string()))?;
            let clipping: Clipping =
                store::parse_ron(&text).map_err(|e: RonError| problem(&ron_path, e.to_string()))?;
            (clipping, TextStamp::of(&meta), None)
        }
    };
    if clipping.id != id {
        return Err(problem(
            &ron_path,
            format!("it names the id {} but is stored as {id}", clipping.id),
        ));
    }
    // The text is not read here: only checked to be there, a regular file within the limit.
    let text_stat = match txt_stat {
        Some(stat) => stat.check(MAX_TEXT_BYTES).map(|()| stat.stamp),
        None => texts::stat_text(&dir.join(format!("{id}.txt")), MAX_TEXT_BYTES),
    };
    let text_stamp = text_stat.map_err(|e| {
        problem(
            &dir.join(format!("{id}.txt")),
            format!("the clipping's text cannot be read: {e}"),
        )
    })?;
    Ok(Found {
        clipping,
        text_stamp,
        record_stamp: record.hash(),
        record_ctime_ns: record.ctime_ns,
        from_snapshot,
    })
}

/// One clipping read from a library folder without opening the library: its record and text
/// read as [`Library::open`] reads them (no link followed, type and size checked first), its
/// highlights re-anchored in memory as a read-only library does. For the derived index, which
/// reads only the records that changed.
pub fn read_clipping(root: &Path, id: &str) -> Result<(Clipping, Arc<str>), LoadProblem> {
    let dir = root.join(CLIPPINGS);
    let mut clipping = load_one(&dir, id)?.clipping;
    let txt_path = dir.join(format!("{id}.txt"));
    let (text, _) = texts::read_text(&txt_path, MAX_TEXT_BYTES).map_err(|e| LoadProblem {
        path: txt_path.clone(),
        reason: format!("the clipping's text cannot be read: {e}"),
    })?;
    if !clipping.highlights.is_empty() {
        let doc = crate::anchor::reading_text(&parse::parse_article(&text));
        crate::anchor::reanchor(&doc, &mut clipping.highlights);
    }
    Ok((clipping, text))
}

/// Move `<id>.ron` and `<id>.txt` from one folder to another (text first, record last, so a
/// record is never without its text).
fn move_pair(from: &Path, to: &Path, id: &str) -> Result<(), LibraryError> {
    for ext in ["txt", "ron"] {
        let src = from.join(format!("{id}.{ext}"));
        let dst = to.join(format!("{id}.{ext}"));
        if let Err(source) = fs::rename(&src, &dst) {
            if ext == "txt" && source.kind() == io::ErrorKind::NotFound {
                continue;
            }
            return Err(LibraryError::Write { path: src, source });
        }
    }
    for dir in [from, to] {
        store::sync_dir_of(&dir.join("x")).map_err(|source| LibraryError::Write {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::HighlightColor;

    #[test]
    fn the_tag_counts_follow_tagging_trash_and_imports() {
        let tmp = tempfile::tempdir().expect("tmp");
        let mut lib = Library::open(tmp.path(), OpenMode::ReadWrite).expect("open");
        let mut ids = Vec::new();
        for i in 0..6 {
            let text = format!("Harbour story {i}\n\nThe harbour at Quillby, part {i}.");
            lib.import_text(&format!("{i}.txt"), &text).expect("import");
            ids.push(clipping_id(&text));
        }
        let afresh = |lib: &Library| {
            let tally = tags::TagTally::of(lib.clippings().map(|c| c.tags.as_slice()));
            (tally.counts(), tally.tree())
        };
        assert_eq!(lib.tag_counts(), afresh(&lib));
        for (i, id) in ids.iter().enumerate() {
            let tags = vec![format!("port/{}", i % 2), "sea".to_string()];
            lib.update(id, |c| c.tags = tags).expect("tag");
        }
        lib.update(&ids[1], |c| c.tags = vec!["sea".into(), "sea".into()])
            .expect("retag");
        lib.trash(&ids[2]).expect("trash");
        lib.import_text("n.txt", "Ferries return\n\nThe ferries sail again.")
            .expect("import");
        let (counts, tree) = lib.tag_counts();
        assert_eq!((counts.clone(), tree.clone()), afresh(&lib));
        let count = |list: &[(String, usize)], tag: &str| {
            list.iter().find(|(t, _)| t == tag).map(|(_, n)| *n)
        };
        assert_eq!(count(&counts, "sea"), Some(5));
        assert_eq!(count(&tree, "port"), Some(4));
        assert_eq!(count(&counts, "port/1"), Some(2));
    }

    fn highlighted_seed(root: &Path) -> String {
        let mut lib = Library::open(root, OpenMode::ReadWrite).expect("open");
        let id = match lib
            .import_text(crate::sample::SEED_NAME, crate::sample::SEED_TEXT)
            .expect("import")
        {
            Outcome::Imported { id, .. } => id,
            other => panic!("{other:?}"),
        };
        let doc = crate::anchor::reading_text(&parse::parse_article(&lib.text(&id).expect("text")));
        let (start, end) = crate::anchor::occurrences(&doc, "Hollande")[0];
        let highlight = crate::anchor::new_highlight(
            &doc,
            start,
            end,
            HighlightColor::Yellow,
            crate::model::new_highlight_id(),
            "2024-01-01T00:00:00Z".into(),
        )
        .expect("highlight");
        lib.update(&id, |c| c.highlights.push(highlight))
            .expect("save");
        id
    }

    #[test]
    fn open_takes_a_record_from_the_snapshot_only_while_its_file_is_unchanged() {
        let tmp = tempfile::tempdir().expect("tmp");
        let id = highlighted_seed(tmp.path());
        let Some(path) = snapshot::path(tmp.path()) else {
            // No cache folder on this machine: the snapshot is never used.
            return;
        };
        let ron = tmp.path().join(CLIPPINGS).join(format!("{id}.ron"));
        let stamp = TextStamp::of(&fs::symlink_metadata(&ron).expect("stat"));
        // A snapshot that says something the file does not, in the file's present state.
        let mut held = load_one(&tmp.path().join(CLIPPINGS), &id)
            .expect("load")
            .clipping;
        held.notes = "only the snapshot says this,\non two lines".into();
        held.overrides
            .fields
            .insert(crate::model::Field::Section, "Foreign".into());
        held.source = Some(crate::model::BatchSource {
            database: crate::model::Database::Factiva,
            doc_id: Some("AFPR000020151117ebbh".into()),
            batch_file: "batch.txt".into(),
            position: 2,
            total: 9,
            page: None,
            edition: Some("Late".into()),
            length: None,
            language: None,
            subjects: vec!["Politics".into()],
            places: Vec::new(),
        });
        assert!(!held.highlights.is_empty() && !held.parsed.sources.is_empty());
        let entry = snapshot::Entry {
            id: id.clone(),
            stamp: stamp.hash(),
            ctime_ns: 0,
            json: snapshot::Json::New(serde_json::to_string(&held).expect("json")),
        };
        snapshot::save(&path, &snapshot::Snapshot::default(), &[entry], now_ns());
        // Read back whole: every field survives the snapshot's JSON.
        let lib = Library::open(tmp.path(), OpenMode::ReadOnly).expect("open");
        assert_eq!(lib.get(&id), Some(&held));
        drop(lib);

        // The record changed in place (same file, new bytes): the file is read again.
        let text = fs::read_to_string(&ron).expect("read");
        fs::write(
            &ron,
            text.replace("notes: \"\"", "notes: \"the file says this\""),
        )
        .expect("write");
        let lib = Library::open(tmp.path(), OpenMode::ReadOnly).expect("open");
        assert_eq!(lib.get(&id).expect("clipping").notes, "the file says this");
        let _ = fs::remove_file(&path);
    }

    #[test]
    fn open_reads_no_text_of_an_unchanged_clipping_and_rereads_an_edited_one() {
        let tmp = tempfile::tempdir().expect("tmp");
        let id = highlighted_seed(tmp.path());
        // The first open after the highlight was made checks it (and keeps the stamps).
        drop(Library::open(tmp.path(), OpenMode::ReadWrite).expect("open"));
        let clippings = tmp.path().join(CLIPPINGS);
        let before = texts::reads::under(&clippings);
        let lib = Library::open(tmp.path(), OpenMode::ReadWrite).expect("open");
        assert_eq!(lib.len(), 1);
        assert_eq!(
            texts::reads::under(&clippings),
            before,
            "an unchanged clipping's text is not read at open"
        );
        drop(lib);

        // Edited outside: two lines put before the text move every highlight.
        let txt = clippings.join(format!("{id}.txt"));
        let text = fs::read_to_string(&txt).expect("read");
        fs::write(&txt, format!("Reprinted.\n\n{text}")).expect("write");
        let before = texts::reads::under(&clippings);
        let lib = Library::open(tmp.path(), OpenMode::ReadWrite).expect("open");
        assert!(
            texts::reads::under(&clippings) > before,
            "re-read after the edit"
        );
        let doc = crate::anchor::reading_text(&parse::parse_article(&lib.text(&id).expect("text")));
        let h = &lib.get(&id).expect("clipping").highlights[0];
        assert!(!h.orphan);
        assert_eq!(
            (h.start, h.end),
            crate::anchor::occurrences(&doc, "Hollande")[0],
            "the highlight moved with its words"
        );
    }
}
