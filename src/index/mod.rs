//! The derived index of a library: stamps and short fields of every clipping in SQLite, the full text in tantivy beside it, kept in the cache folder, refreshed by stat and content hash.
//!
//! The RON files stay the only source of truth. The index is one SQLite file in the platform
//! cache folder (`CLIPFILE_CACHE_DIR` overrides it), named by a hash of the library's
//! canonical path, and records that path inside: two libraries never share an index. Beside
//! it, a folder of the same name holds the full text ([`text`]), its commits marked with a
//! token the SQLite file keeps. An index file that is missing, not a database, truncated, of
//! another schema version or of another library, or whose full-text folder is missing,
//! damaged or carries another token, is deleted and built again, never trusted.
//!
//! [`Index::refresh`] takes a digest of `clippings/` (a `stat` of each record and its text,
//! [`library::folder::digest`]); when it is the stored one nothing else is done. Otherwise
//! it lists the folder again, and only records whose size, modification time or inode
//! changed are read again (with the library's own readers: no link followed, type and size
//! checked), and only those whose content hash changed are indexed again. Removed files are
//! dropped. [`Index::answer_fresh`] asks the index while the digest is taken, for commands.

mod listed;
mod rowids;
mod snippet;
mod sql;
#[cfg(test)]
mod tests;
pub mod text;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rusqlite::{Connection, OptionalExtension, params};

use crate::library::import::Written;
use crate::library::{self, LoadProblem};
use crate::model::{Clipping, Field};
use crate::query::{Clause, Literal, Query, QueryError, Term};
pub use listed::Line;
use listed::Listed;
pub use snippet::Marks;
use text::{Columns, TextIndex};

/// The version of the tables below. An index of another version is built again, except a
/// version 3 file, which is brought to this version in place ([`FILTER_INDEXES`]).
pub const SCHEMA_VERSION: i64 = 4;

/// The clippings with highlights, with notes, with orphaned highlights: `has:` and `is:`
/// read these few rows instead of every record (at 100,000 clippings each took 13-20 ms,
/// with no clipping to find, and `has:notes railway` over 20 ms). Version 4's addition to
/// the tables of version 3.
const FILTER_INDEXES: &str = "
CREATE INDEX IF NOT EXISTS records_with_highlights ON records (published) WHERE highlights > 0;
CREATE INDEX IF NOT EXISTS records_with_notes ON records (published) WHERE notes > 0;
CREATE INDEX IF NOT EXISTS records_with_orphans ON records (published) WHERE orphans > 0;
";

/// How many of the best hits of a full-text search get a snippet.
pub const SNIPPETS: usize = 500;

/// The environment variable that puts the index in another folder (tests, benchmarks).
pub const CACHE_DIR_ENV: &str = "CLIPFILE_CACHE_DIR";

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE stamps (
    id TEXT PRIMARY KEY,
    ron_size INTEGER NOT NULL, ron_mtime INTEGER NOT NULL, ron_ino INTEGER NOT NULL,
    txt_size INTEGER NOT NULL, txt_mtime INTEGER NOT NULL, txt_ino INTEGER NOT NULL,
    hash TEXT NOT NULL
);
CREATE TABLE records (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source_name TEXT NOT NULL,
    headline TEXT, deck TEXT, published TEXT, dateline TEXT, section TEXT, publication TEXT,
    tags TEXT NOT NULL,
    credits TEXT NOT NULL,
    imported TEXT NOT NULL,
    highlights INTEGER NOT NULL,
    notes INTEGER NOT NULL,
    orphans INTEGER NOT NULL
);
CREATE INDEX records_order ON records (published, imported);
CREATE TABLE tags (rec INTEGER NOT NULL, tag TEXT NOT NULL);
CREATE INDEX tags_by_tag ON tags (tag);
CREATE INDEX tags_by_rec ON tags (rec);
";

/// Why the index cannot be used (the command line then falls back to reading the library).
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("no cache folder for the search index: set {CACHE_DIR_ENV}")]
    NoCacheDir,
    #[error("cannot use the library folder {path}: {source}")]
    Library { path: PathBuf, source: io::Error },
    #[error("cannot use the index folder {path}: {source}")]
    Folder { path: PathBuf, source: io::Error },
    #[error("the search index {path} cannot be used: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("the full-text index {path} cannot be used: {source}")]
    Text {
        path: PathBuf,
        source: tantivy::TantivyError,
    },
    #[error("{0}")]
    Query(#[from] QueryError),
}

impl IndexError {
    /// Whether the index's own files are damaged: the index is made from the library, so
    /// building it again mends it (unlike a malformed query, or a folder or file the index
    /// cannot use, which building again would not change).
    pub fn is_damage(&self) -> bool {
        match self {
            IndexError::Sqlite { source, .. } => is_damage(source),
            IndexError::Text { source, .. } => text::is_damage(source),
            _ => false,
        }
    }
}

/// A clipping as the index lists it: the short fields, with the reader's corrections applied.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Row {
    pub id: String,
    pub source_name: String,
    pub headline: Option<String>,
    pub deck: Option<String>,
    pub published: Option<String>,
    pub dateline: Option<String>,
    pub section: Option<String>,
    pub publication: Option<String>,
    pub tags: Vec<String>,
    pub imported: String,
    pub highlights: usize,
    pub has_notes: bool,
    pub orphans: usize,
}

impl Row {
    /// The headline, else the file name (as [`Clipping::title`]).
    pub fn title(&self) -> &str {
        self.headline.as_deref().unwrap_or(&self.source_name)
    }
}

/// A search result: the row and, for a full-text query, a short snippet with the matching
/// words between `**`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub row: Row,
    pub snippet: Option<String>,
}

/// The hits of a query as [`Index::search_ids_with_snippets`] gives them: ids best first, and
/// what making their snippets later needs.
#[derive(Debug, Default, Clone)]
pub struct Ranked {
    pub ids: crate::ids::IdList,
    /// The words a snippet marks, when the query ranks by full text.
    marks: Option<Marks>,
}

impl Ranked {
    /// Whether the query has full-text words (its hits have snippets).
    pub fn has_text(&self) -> bool {
        self.marks.is_some()
    }
}

/// What a refresh did.
#[derive(Debug, Default)]
pub struct Refresh {
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    /// Records whose stat changed but whose content did not.
    pub touched: usize,
    pub unchanged: usize,
    /// Files that could not be read: reported, left untouched, out of the index until fixed.
    pub problems: Vec<LoadProblem>,
    /// Sync tools' conflict copies found in the clippings folder (never indexed).
    pub conflicts: Vec<LoadProblem>,
    /// True when the listing was the one of the last refresh, so no stamp was compared.
    pub listing_unchanged: bool,
}

impl Refresh {
    /// The report of a refresh that found the folder's digest (`quick`) the stored one.
    fn unchanged(quick: library::folder::Listing) -> Refresh {
        Refresh {
            unchanged: quick.count,
            conflicts: quick.conflicts,
            listing_unchanged: true,
            ..Refresh::default()
        }
    }
}

/// An open index of one library.
pub struct Index {
    root: PathBuf,
    path: PathBuf,
    conn: Connection,
    /// The full text, in its folder beside the SQLite file.
    text: TextIndex,
    /// The mark shared by the SQLite file and its full text (`meta` key `text`).
    token: String,
    /// The library's order (newest first) as last read, with the versions it was read at.
    order: RefCell<Option<(i64, u64, Arc<Order>)>>,
    /// Commits made through this index (the order is read again after one).
    writes: u64,
    /// True when the file was (re)created on open: the first refresh builds it whole.
    pub rebuilt: bool,
}

/// Up to this many hits, a query's filters are asked of the hits only.
const FEW: usize = 5_000;

impl Order {
    fn place_of(&self, rowid: i64) -> Option<u32> {
        self.place.get(rowid).and_then(|p| u32::try_from(p).ok())
    }
}

/// The clippings a clause of filters holds for: those of a set, or all but those of a set.
#[derive(Debug)]
enum Membership {
    Only(HashSet<i64>),
    AllBut(HashSet<i64>),
}

impl Membership {
    fn holds(&self, rowid: i64) -> bool {
        match self {
            Membership::Only(set) => set.contains(&rowid),
            Membership::AllBut(set) => !set.contains(&rowid),
        }
    }

    /// Either one holds.
    fn or(self, other: Membership) -> Membership {
        use Membership::{AllBut, Only};
        match (self, other) {
            (Only(mut a), Only(b)) => {
                a.extend(b);
                Only(a)
            }
            (AllBut(a), AllBut(b)) => AllBut(a.intersection(&b).copied().collect()),
            (Only(a), AllBut(b)) | (AllBut(b), Only(a)) => {
                AllBut(b.into_iter().filter(|r| !a.contains(r)).collect())
            }
        }
    }
}

/// Every clipping of the index in the library's order: newest published, newest imported,
/// then id.
struct Order {
    rowids: Vec<i64>,
    /// Shared: an answer is places into these, not copies (copying 100,000 ids took 6.5-11 ms
    /// of a search in the app, most of it fresh memory; counting them, 2-4 ms; places, 0.1).
    ids: Arc<Vec<Arc<str>>>,
    /// The place of each rowid in the order.
    place: rowids::RowidPlaces,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("root", &self.root)
            .field("path", &self.path)
            .finish()
    }
}

/// The stat of a record and its text, as stored in `stamps`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Stamp {
    ron: (i64, i64, i64),
    txt: (i64, i64, i64),
}

/// The stat of a missing or unreadable file.
const NO_FILE: (i64, i64, i64) = (-1, -1, -1);

/// The figures stored for a file: size, modification time (ns) and inode (as SQLite's signed
/// integers).
fn figures(s: &library::TextStamp) -> (i64, i64, i64) {
    let mtime = s.mtime_ns.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
    (s.len as i64, mtime, s.ino as i64)
}

/// The clippings folder as a refresh sees it: each record's stamp, by id, the conflict
/// copies and the digest of the whole listing.
#[derive(Default)]
struct Listing {
    stamps: Vec<(String, Stamp)>,
    conflicts: Vec<LoadProblem>,
    digest: String,
}

/// List the folder once and `stat` each record and text by its name relative to the open
/// folder (no link followed), while it is listed.
fn list_folder(dir: &Path) -> Listing {
    let (listing, stats) = library::folder::list_and_stat(dir);
    let of_stat =
        |stat: Option<library::folder::FileStat>| stat.map_or(NO_FILE, |st| figures(&st.stamp));
    let digest = listing.digest_text();
    let stamps = listing
        .records
        .into_iter()
        .zip(stats)
        .map(|(id, (ron, txt))| {
            let (ron, txt) = (of_stat(ron), of_stat(txt));
            (id, Stamp { ron, txt })
        })
        .collect();
    Listing {
        stamps,
        conflicts: listing.conflicts,
        digest,
    }
}

/// Above this many clippings to read again, a refresh is bulk work ([`crate::BulkWork`]).
const BULK_REFRESH: usize = 1_000;

/// The `meta` key of the digest of the listing the index was last refreshed to; absent after
/// any other change to the index.
const LISTING: &str = "listing";

/// The cache folder for indexes: `CLIPFILE_CACHE_DIR`, else the platform's cache folder.
pub fn cache_dir() -> Option<PathBuf> {
    std::env::var_os(CACHE_DIR_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            directories::ProjectDirs::from("org", "Clipfile", "Clipfile")
                .map(|d| d.cache_dir().to_path_buf())
        })
}

/// The index file of a library (by its canonical path) in a cache folder.
pub fn index_path(canonical_root: &Path, cache_dir: &Path) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    let hash = xxhash_rust::xxh3::xxh3_128(canonical_root.as_os_str().as_bytes());
    cache_dir.join("index").join(format!("{hash:032x}.sqlite"))
}

fn remove_index_files(path: &Path) {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = fs::remove_file(PathBuf::from(p));
    }
    let _ = fs::remove_dir_all(text::folder_of(path));
}

/// True for the errors of a damaged or foreign file (rather than, say, a busy database).
fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

impl Index {
    fn new(
        root: &Path,
        path: PathBuf,
        conn: Connection,
        text: TextIndex,
        token: String,
        rebuilt: bool,
    ) -> Index {
        Index {
            root: root.to_path_buf(),
            path,
            conn,
            text,
            token,
            order: RefCell::new(None),
            writes: 0,
            rebuilt,
        }
    }

    /// Open (creating or rebuilding as needed) the index of the library at `root` in the
    /// cache folder ([`cache_dir`]).
    pub fn open(root: &Path) -> Result<Index, IndexError> {
        let cache = cache_dir().ok_or(IndexError::NoCacheDir)?;
        Index::open_in(root, &cache)
    }

    /// Open the index of the library at `root` in the cache folder `cache`.
    pub fn open_in(root: &Path, cache: &Path) -> Result<Index, IndexError> {
        Index::open_with(root, cache, false)
    }

    /// Throw away the index of the library at `root` and start an empty one (a refresh fills
    /// it): for an index found damaged after it opened ([`IndexError::is_damage`]), which
    /// would otherwise fail the same way every time it is asked.
    pub fn open_anew(root: &Path) -> Result<Index, IndexError> {
        let cache = cache_dir().ok_or(IndexError::NoCacheDir)?;
        Index::open_anew_in(root, &cache)
    }

    /// [`Index::open_anew`] in the cache folder `cache`.
    pub fn open_anew_in(root: &Path, cache: &Path) -> Result<Index, IndexError> {
        Index::open_with(root, cache, true)
    }

    /// Open the index, or with `discard` start it again whatever is there.
    fn open_with(root: &Path, cache: &Path, discard: bool) -> Result<Index, IndexError> {
        let canonical = fs::canonicalize(root).map_err(|source| IndexError::Library {
            path: root.to_path_buf(),
            source,
        })?;
        let path = index_path(&canonical, cache);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(|source| IndexError::Folder {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let sqlite = |source| IndexError::Sqlite {
            path: path.clone(),
            source,
        };
        let library = canonical.to_string_lossy().into_owned();
        let folder = text::folder_of(&path);
        if path.exists() && !discard {
            match Connection::open(&path).and_then(|c| valid(c, &path, &library, true)) {
                Ok(Some((conn, token))) => {
                    // The full text must be the one made with this file: else both are made again.
                    if let Some(text) = TextIndex::open(&folder, &token) {
                        return Ok(Index::new(root, path, conn, text, token, false));
                    }
                }
                Ok(None) => {}
                Err(e) if is_damage(&e) => {}
                Err(e) => return Err(sqlite(e)),
            }
        }
        if path.exists() || discard {
            remove_index_files(&path);
        }
        let (conn, token) = create(&path, &library).map_err(sqlite)?;
        let text = TextIndex::create(&folder, &token).map_err(|source| IndexError::Text {
            path: folder.clone(),
            source,
        })?;
        Ok(Index::new(root, path, conn, text, token, true))
    }

    /// The index of the library at `root` in the cache folder when one is there already
    /// (an import keeps it up to date; it does not make one for a library never searched).
    pub fn open_existing(root: &Path) -> Option<Index> {
        Index::open_existing_in(root, &cache_dir()?)
    }

    /// [`Index::open_existing`] in the cache folder `cache`.
    pub fn open_existing_in(root: &Path, cache: &Path) -> Option<Index> {
        let canonical = fs::canonicalize(root).ok()?;
        if !index_path(&canonical, cache).exists() {
            return None;
        }
        Index::open_in(root, cache).ok()
    }

    /// Index clippings whose files were just committed (an import), from the clippings in
    /// memory, stamped with what their files held when written ([`Written`]: their figures
    /// and content hash), so no file is read back. A file changed since it was written no
    /// longer matches its stamp: the next refresh reads it again. The next refresh reads
    /// none of the others.
    ///
    /// `merges` says whether this commit merges the full text's segments ([`text::Merges`]:
    /// an import's batches before its last leave them for its last). With none to add and
    /// [`text::Merges::Now`], the commit is made only to merge what earlier batches left.
    pub fn add_new(
        &mut self,
        new: &[(&Clipping, &Arc<str>, &Written)],
        merges: text::Merges,
    ) -> Result<(), IndexError> {
        let terr = |source| IndexError::Text {
            path: text::folder_of(&self.path),
            source,
        };
        if new.is_empty() {
            if merges == text::Merges::Now {
                let batch = self.text.batch_for_import(merges).map_err(terr)?;
                self.text.commit(batch, &self.token).map_err(terr)?;
            }
            return Ok(());
        }
        let prepared: Vec<(&str, Stamp, Read)> = new
            .iter()
            .map(|(clipping, text, written)| {
                let stamp = Stamp {
                    ron: figures(&written.ron),
                    txt: figures(&written.txt),
                };
                let read = Read::New {
                    hash: written.hash.clone(),
                    entry: Box::new(Entry::of(clipping, Arc::clone(text))),
                };
                (clipping.id.as_str(), stamp, read)
            })
            .collect();
        let err = |source| IndexError::Sqlite {
            path: self.path.clone(),
            source,
        };
        // The full text's writer first, then SQLite's: every writer takes them in this order.
        let mut batch = self.text.batch_for_import(merges).map_err(terr)?;
        let tx = self.conn.transaction().map_err(err)?;
        forget_listing(&tx).map_err(err)?;
        for &(id, ref stamp, ref read) in &prepared {
            if let Some(rowid) = delete(&tx, id).map_err(err)? {
                batch.delete(rowid);
            }
            match read {
                Read::New { hash, entry } => {
                    let rowid = insert(&tx, entry).map_err(err)?;
                    batch.put(rowid, &entry.columns()).map_err(terr)?;
                    put_stamp(&tx, id, stamp, Some(hash)).map_err(err)?;
                }
                // Not what was written: left to the next refresh, which reports it.
                Read::Same | Read::Problem(_) => {}
            }
        }
        // The full text is committed first: a crash between the two leaves SQLite's stamps
        // behind it, so the next refresh reads those clippings again.
        self.text.commit(batch, &self.token).map_err(terr)?;
        tx.commit().map_err(err)?;
        self.writes += 1;
        Ok(())
    }

    /// The rows of the library's index as last refreshed, when a valid one exists in the cache
    /// folder `cache`: a first look at the list while the library opens. Read only; nothing is
    /// created, rebuilt or refreshed (so the rows may be behind the files).
    pub fn peek_in(root: &Path, cache: &Path) -> Option<Vec<Row>> {
        let canonical = fs::canonicalize(root).ok()?;
        let path = index_path(&canonical, cache);
        if !path.is_file() {
            return None;
        }
        let flags = rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY;
        let conn = Connection::open_with_flags(&path, flags).ok()?;
        let library = canonical.to_string_lossy().into_owned();
        let (conn, _) = valid(conn, &path, &library, false).ok()??;
        let plan = sql::plan(&Query::default());
        let hits = rows_of_plan::<Hit>(&conn, &plan).ok()?;
        Some(hits.into_iter().map(|(_, hit)| hit.row).collect())
    }

    /// An index in memory, for when the cache folder cannot be used: built whole each time.
    pub fn in_memory(root: &Path) -> Result<Index, IndexError> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory()
            .and_then(|c| {
                create_tables(&c)?;
                Ok(c)
            })
            .map_err(|source| IndexError::Sqlite {
                path: path.clone(),
                source,
            })?;
        let text = TextIndex::in_memory().map_err(|source| IndexError::Text {
            path: path.clone(),
            source,
        })?;
        Ok(Index::new(root, path, conn, text, String::new(), true))
    }

    /// The index file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sqlite(&self, source: rusqlite::Error) -> IndexError {
        IndexError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    fn tantivy(&self, source: tantivy::TantivyError) -> IndexError {
        IndexError::Text {
            path: text::folder_of(&self.path),
            source,
        }
    }

    /// Bring the index up to date with the library folder. A damaged index found on the way
    /// is built again from scratch.
    pub fn refresh(&mut self) -> Result<Refresh, IndexError> {
        self.refresh_with(&mut |_, _| {})
    }

    /// [`Index::refresh`], telling `progress` (records indexed, of how many changed) after
    /// each chunk: the app shows it while a first build runs.
    pub fn refresh_with(
        &mut self,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Refresh, IndexError> {
        self.refresh_checked(progress, false)
    }

    /// `ask` answered on the index as it stands, while the clippings folder is checked beside
    /// it on another thread. Nothing changed is the usual case for a command: the answer is
    /// then ready when the check ends, not after it. When something did change, the index is
    /// refreshed and asked again.
    pub fn answer_fresh<R>(
        &mut self,
        ask: impl Fn(&Index) -> Result<R, IndexError>,
    ) -> Result<(R, Refresh), IndexError> {
        let dir = self.root.join("clippings");
        // An index that cannot say (a damaged file) is refreshed first, which rebuilds it.
        if let Ok(Some(last)) = self.stored_listing() {
            let (quick, answer) = std::thread::scope(|scope| {
                let check = std::thread::Builder::new()
                    .name("clipfile-digest".into())
                    .spawn_scoped(scope, || library::folder::digest(&dir));
                let answer = ask(self);
                // No thread to be had: the digest is taken here, after the answer.
                let quick = match check {
                    Ok(check) => check.join().map_err(|_| ()),
                    Err(_) => Ok(library::folder::digest(&dir)),
                };
                (quick, answer)
            });
            match (quick, answer) {
                // Unchanged: the answer stands, or its error is the caller's to report.
                (Ok(quick), answer) if quick.digest_text() == last => {
                    return answer.map(|answer| (answer, Refresh::unchanged(quick)));
                }
                // A malformed question stays malformed after a refresh.
                (_, Err(IndexError::Query(e))) => return Err(e.into()),
                // Changed: the folder's digest need not be taken again before its listing.
                (Ok(_), _) => {
                    let report = self.refresh_checked(&mut |_, _| {}, true)?;
                    return Ok((ask(self)?, report));
                }
                (Err(_), _) => {}
            }
        }
        let report = self.refresh()?;
        Ok((ask(self)?, report))
    }

    /// The digest of the listing the index was last refreshed to ([`LISTING`]).
    fn stored_listing(&self) -> Result<Option<String>, IndexError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [LISTING], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.sqlite(e))
    }

    /// [`Index::refresh_with`]; `changed`: the folder's digest was just taken and is not the
    /// stored one, so the refresh goes straight to the listing.
    fn refresh_checked(
        &mut self,
        progress: &mut dyn FnMut(usize, usize),
        changed: bool,
    ) -> Result<Refresh, IndexError> {
        match self.try_refresh(progress, changed) {
            Err(IndexError::Sqlite { source, .. })
                if is_damage(&source) && self.path != Path::new(":memory:") =>
            {
                let canonical =
                    fs::canonicalize(&self.root).map_err(|source| IndexError::Library {
                        path: self.root.clone(),
                        source,
                    })?;
                remove_index_files(&self.path);
                let (conn, token) =
                    create(&self.path, &canonical.to_string_lossy()).map_err(|e| self.sqlite(e))?;
                let folder = text::folder_of(&self.path);
                self.text = TextIndex::create(&folder, &token).map_err(|e| self.tantivy(e))?;
                self.conn = conn;
                self.token = token;
                self.order.replace(None);
                self.rebuilt = true;
                self.try_refresh(progress, true)
            }
            other => other,
        }
    }

    fn try_refresh(
        &mut self,
        progress: &mut dyn FnMut(usize, usize),
        changed: bool,
    ) -> Result<Refresh, IndexError> {
        let mut report = Refresh::default();
        let dir = self.root.join("clippings");
        // Nothing changed since the last refresh (the usual case for a command): the folder's
        // digest is the one stored, so neither the listing nor the stamps are kept or read. An
        // edit in place changes the modification time, so it is seen (unless a program sets
        // the time back: see `library::folder::walk`).
        let last = if changed {
            None
        } else {
            self.stored_listing()?
        };
        if last.is_some() {
            let quick = library::folder::digest(&dir);
            if last.as_deref() == Some(quick.digest_text().as_str()) {
                return Ok(Refresh::unchanged(quick));
            }
        }
        let Listing {
            stamps: listed,
            conflicts,
            digest,
        } = list_folder(&dir);
        report.conflicts = conflicts;
        let stored = self.stamps().map_err(|e| self.sqlite(e))?;
        let seen: HashSet<&str> = listed.iter().map(|(id, _)| id.as_str()).collect();
        let gone: Vec<String> = stored
            .keys()
            .filter(|id| !seen.contains(id.as_str()))
            .cloned()
            .collect();
        let changed: Vec<&(String, Stamp)> = listed
            .iter()
            .filter(|(id, stamp)| stored.get(id).is_none_or(|(s, _)| s != stamp))
            .collect();
        report.unchanged = listed.len() - changed.len();
        // A first build, or many clippings changed outside: bulk work.
        let _bulk = (changed.len() > BULK_REFRESH).then(crate::BulkWork::start);

        let err = |source| IndexError::Sqlite {
            path: self.path.clone(),
            source,
        };
        let terr = |source| IndexError::Text {
            path: text::folder_of(&self.path),
            source,
        };
        let mut batch = self.text.batch().map_err(terr)?;
        let tx = self.conn.transaction().map_err(err)?;
        for id in &gone {
            if let Some(rowid) = delete(&tx, id).map_err(err)? {
                batch.delete(rowid);
            }
            report.removed += 1;
        }
        // Read and prepare in parallel, a chunk at a time (bounded memory), write serially.
        let mut done = 0;
        progress(0, changed.len());
        for chunk in changed.chunks(512) {
            let read: Vec<(&str, Stamp, Read)> = chunk
                .par_iter()
                .map(|(id, stamp)| {
                    let old_hash = stored.get(id).map(|(_, h)| h.as_str());
                    (id.as_str(), *stamp, read_one(&self.root, id, old_hash))
                })
                .collect();
            for (id, stamp, read) in read {
                match read {
                    Read::Same => {
                        put_stamp(&tx, id, &stamp, None).map_err(err)?;
                        report.touched += 1;
                    }
                    Read::New { hash, entry } => {
                        let existed = delete(&tx, id).map_err(err)?;
                        if let Some(rowid) = existed {
                            batch.delete(rowid);
                        }
                        let rowid = insert(&tx, &entry).map_err(err)?;
                        batch.put(rowid, &entry.columns()).map_err(terr)?;
                        put_stamp(&tx, id, &stamp, Some(&hash)).map_err(err)?;
                        if existed.is_some() {
                            report.updated += 1;
                        } else {
                            report.added += 1;
                        }
                    }
                    Read::Problem(problem) => {
                        if let Some(rowid) = delete(&tx, id).map_err(err)? {
                            batch.delete(rowid);
                            report.removed += 1;
                        }
                        report.problems.push(problem);
                    }
                }
            }
            done += chunk.len();
            progress(done, changed.len());
        }
        // The listing is remembered only when every record was indexed: a record that cannot
        // be read is read (and reported) again next time.
        if report.problems.is_empty() {
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                params![LISTING, digest],
            )
            .map_err(err)?;
        } else {
            forget_listing(&tx).map_err(err)?;
        }
        // The full text first (see `add_new`).
        self.text.commit(batch, &self.token).map_err(terr)?;
        tx.commit().map_err(err)?;
        self.writes += 1;
        Ok(report)
    }

    fn stamps(&self) -> rusqlite::Result<HashMap<String, (Stamp, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, ron_size, ron_mtime, ron_ino, txt_size, txt_mtime, txt_ino, hash FROM stamps",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (
                    Stamp {
                        ron: (r.get(1)?, r.get(2)?, r.get(3)?),
                        txt: (r.get(4)?, r.get(5)?, r.get(6)?),
                    },
                    r.get::<_, String>(7)?,
                ),
            ))
        })?;
        rows.collect()
    }

    /// How many clippings the index holds.
    pub fn len(&self) -> Result<usize, IndexError> {
        self.conn
            .query_row("SELECT count(*) FROM records", [], |r| r.get::<_, i64>(0))
            .map(|n| n as usize)
            .map_err(|e| self.sqlite(e))
    }

    pub fn is_empty(&self) -> Result<bool, IndexError> {
        Ok(self.len()? == 0)
    }

    /// The clipping with this id, or the one whose id starts with this prefix.
    pub fn resolve(&self, prefix: &str) -> Result<Option<Result<String, usize>>, IndexError> {
        let prefix = prefix.trim().to_ascii_lowercase();
        if prefix.is_empty() {
            return Ok(None);
        }
        let exact: Option<String> = self
            .conn
            .query_row("SELECT id FROM records WHERE id = ?1", [&prefix], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.sqlite(e))?;
        if let Some(id) = exact {
            return Ok(Some(Ok(id)));
        }
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM records WHERE substr(id, 1, ?1) = ?2")
            .map_err(|e| self.sqlite(e))?;
        let ids: Vec<String> = stmt
            .query_map(params![prefix.len() as i64, prefix], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sqlite(e))?;
        Ok(match ids.as_slice() {
            [] => None,
            [one] => Some(Ok(one.clone())),
            many => Some(Err(many.len())),
        })
    }

    /// The clippings matching `query`, best first (BM25 over the fields, the headline weighing
    /// most) for a full-text query, else (and between equal ranks) newest published, newest
    /// imported, then id.
    pub fn search(&self, query: &Query) -> Result<Vec<Hit>, IndexError> {
        self.search_as(query)
    }

    /// [`Index::search`] with only what a line of a listing shows of each hit.
    pub fn search_lines(&self, query: &Query) -> Result<Vec<Line>, IndexError> {
        self.search_as(query)
    }

    fn search_as<T: Listed>(&self, query: &Query) -> Result<Vec<T>, IndexError> {
        let Some(found) = self.find(query)? else {
            // No full-text term: one statement.
            let plan = sql::plan_selecting(query, T::COLUMNS);
            let hits = rows_of_plan::<T>(&self.conn, &plan).map_err(|e| self.sqlite(e))?;
            return Ok(hits.into_iter().map(|(_, hit)| hit).collect());
        };
        let rowids: Vec<i64> = found.scored.iter().map(|(r, _)| *r).collect();
        let mut rows = self.rows_of::<T>(&rowids).map_err(|e| self.sqlite(e))?;
        let slot = rowids::RowidPlaces::of(rows.iter().map(|(r, _)| *r));
        // A hit whose rowid SQLite does not hold (a write cut between the two) is dropped.
        // The rows stay where they are while their places are sorted: moving rows of a dozen
        // fields took most of the sort's time for 100,000 hits.
        let mut ranked: Vec<(f32, usize)> = Vec::with_capacity(found.scored.len());
        ranked.extend(
            found
                .scored
                .iter()
                .filter_map(|&(r, score)| slot.get(r).map(|i| (score, i))),
        );
        listed::sort_ranked(&mut ranked, |i| rows.get(i).map(|(_, hit)| hit));
        // Then each row is put in its place where it is: moving them into another vector put
        // 100,000 rows of a dozen fields into fresh memory, a tenth of a command's time.
        let order: Vec<usize> = ranked.iter().map(|&(_, i)| i).collect();
        let kept = permute(&mut rows, &order);
        rows.truncate(kept);
        let mut hits: Vec<T> = rows.into_iter().map(|(_, hit)| hit).collect();
        let speakers: Vec<&str> = query.speakers().collect();
        if !speakers.is_empty() {
            hits = self.quoting(hits, |h| h.id(), &speakers);
        }
        // Snippets for the best hits only: the rest are never on screen.
        if let Some(marks) = &found.marks {
            let ids: Vec<&str> = hits.iter().take(SNIPPETS).map(|h| h.id()).collect();
            let snippets = self.snippets(marks, &ids);
            for (hit, snippet) in hits.iter_mut().zip(snippets) {
                hit.set_snippet(snippet);
            }
        }
        Ok(hits)
    }

    /// The ids of the clippings matching `query`, in [`Index::search`]'s order, without their
    /// rows (for the app, which holds the clippings), with the snippets of the first `first`
    /// hits by place (as [`Index::snippets_of`] gives them; the others' are asked for apart,
    /// for the rows on screen). The best hits are known before the hits are put in one order:
    /// their snippets are made while the order is (1.0-1.4 ms each, for the dozen rows a list
    /// shows and 100,000 hits).
    pub fn search_ids_with_snippets(
        &self,
        query: &Query,
        first: usize,
    ) -> Result<(Ranked, Vec<(usize, String)>), IndexError> {
        let order = self.order()?;
        let Some(found) = self.find_ranked(query, &order)? else {
            // No full-text term: the filters' clippings picked out of the library's order.
            let ranked = Ranked {
                marks: None,
                ids: crate::ids::IdList::placed(
                    Arc::clone(&order.ids),
                    self.filter_places(query, &order)?,
                ),
            };
            return Ok((ranked, Vec::new()));
        };
        let runs = found.scored;
        if query.speakers().next().is_some() {
            // The quotations are checked after the order is made, and move the hits' places:
            // the snippets wait for it.
            let hits = self
                .text
                .merge(runs)
                .into_iter()
                .map(|k| {
                    let p = place_of_key(k);
                    (order.rowids[p], Arc::clone(&order.ids[p]))
                })
                .collect();
            let ranked = self.ranked(query, hits, found.marks);
            let places: Vec<usize> = (0..first.min(ranked.ids.len())).collect();
            let snippets = self.snippets_of(&ranked, &places)?;
            return Ok((ranked, snippets));
        }
        // The keys come in sorted runs: each segment's are made and sorted on the thread
        // that searched it (the keys of 100,000 hits made and sorted after the search took
        // 2.2-3.4 ms of it). The merge goes to another thread while the snippets of the best
        // are made here (SQLite's connection stays on this one).
        let best: Vec<&str> = smallest(&runs, first)
            .into_iter()
            .map(|k| &*order.ids[place_of_key(k)])
            .collect();
        let text = &self.text;
        let mut merged = Vec::new();
        let snippets = rayon::in_place_scope(|scope| {
            scope.spawn(|_| merged = text.merge(runs));
            match &found.marks {
                Some(marks) if !best.is_empty() => self.snippets(marks, &best),
                _ => Vec::new(),
            }
        });
        let snippets = snippets
            .into_iter()
            .enumerate()
            .filter_map(|(place, s)| s.map(|s| (place, s)))
            .collect();
        // The places straight from the keys: no list of (rowid, id) pairs between.
        let places = merged.iter().map(|&k| place_of_key(k) as u32).collect();
        self.text.keep_keys(merged);
        let ranked = Ranked {
            marks: found.marks,
            ids: crate::ids::IdList::placed(Arc::clone(&order.ids), places),
        };
        Ok((ranked, snippets))
    }

    /// The ids of `hits` (rowid and id, in rank order), those of a query naming a speaker
    /// kept only where the speaker is quoted.
    fn ranked(
        &self,
        query: &Query,
        mut hits: Vec<(i64, Arc<str>)>,
        marks: Option<Marks>,
    ) -> Ranked {
        let speakers: Vec<&str> = query.speakers().collect();
        if !speakers.is_empty() {
            hits = self.quoting(hits, |(_, id)| id, &speakers);
        }
        Ranked {
            marks,
            ids: crate::ids::IdList::new(hits.into_iter().map(|(_, id)| id).collect()),
        }
    }

    /// The snippets (matching words between `**`) of the hits at these places of `ranked`,
    /// by place; none for a query without full-text words.
    pub fn snippets_of(
        &self,
        ranked: &Ranked,
        places: &[usize],
    ) -> Result<Vec<(usize, String)>, IndexError> {
        let Some(marks) = &ranked.marks else {
            return Ok(Vec::new());
        };
        let wanted: Vec<(usize, &str)> = places
            .iter()
            .filter_map(|&p| ranked.ids.get(p).map(|id| (p, &**id)))
            .collect();
        let ids: Vec<&str> = wanted.iter().map(|(_, id)| *id).collect();
        let snippets = self.snippets(marks, &ids);
        Ok(wanted
            .into_iter()
            .zip(snippets)
            .filter_map(|((p, _), s)| s.map(|s| (p, s)))
            .collect())
    }

    /// The snippet of each of these clippings, made from its files as they are now (a
    /// clipping that cannot be read has none).
    fn snippets(&self, marks: &Marks, ids: &[&str]) -> Vec<Option<String>> {
        let root = self.root.as_path();
        let dir = root.join("clippings");
        // The short fields from SQLite and the text file first: parsing the record (and
        // anchoring its highlights) is needed only when the match is in a note, a quote, a
        // comment, a tag or a name, and cost most of a search's time for 500 snippets.
        let short = self.rows_by_id(ids).unwrap_or_default();
        let weight = |name: &str| {
            text::COLUMNS
                .iter()
                .position(|c| *c == name)
                .map_or(1.0, |i| text::WEIGHTS[i])
        };
        ids.par_iter()
            .map(|id| {
                if let Some(row) = short.get(*id)
                    && let Ok(body) =
                        library::store::read_library_text(&dir.join(format!("{id}.txt")), 64 << 20)
                {
                    let o = |s: &Option<String>| s.as_deref().unwrap_or("").to_string();
                    let fields = [
                        (o(&row.headline), weight("headline")),
                        (o(&row.deck), weight("deck")),
                        (body, weight("text")),
                        (o(&row.publication), weight("publication")),
                        (o(&row.section), weight("section")),
                        (o(&row.dateline), weight("dateline")),
                    ];
                    let fields: Vec<(&str, f32)> =
                        fields.iter().map(|(s, w)| (s.as_str(), *w)).collect();
                    if let Some(snippet) = marks.snippet(&fields) {
                        return Some(snippet);
                    }
                }
                let (clipping, text) = library::read_clipping(root, id).ok()?;
                let entry = Entry::of(&clipping, text);
                let columns = entry.columns();
                let fields: Vec<(&str, f32)> =
                    columns.0.iter().copied().zip(text::WEIGHTS).collect();
                marks.snippet(&fields)
            })
            .collect()
    }

    /// The rows of these ids, by id.
    fn rows_by_id(&self, ids: &[&str]) -> rusqlite::Result<HashMap<String, Row>> {
        let mut out = HashMap::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(",");
            let statement = format!(
                "SELECT {}, r.rowid FROM records r WHERE r.id IN ({marks})",
                sql::COLUMNS
            );
            let mut stmt = self.conn.prepare(&statement)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(chunk.iter()), row_of)?;
            for row in rows {
                let (_, row) = row?;
                out.insert(row.id.clone(), row);
            }
        }
        Ok(out)
    }

    /// The hits of a query with full-text terms, best first, or `None` for a query without
    /// any (then one SQL statement answers it).
    fn find(&self, query: &Query) -> Result<Option<Found<(i64, f32)>>, IndexError> {
        let Some(asked) = self.asked(query)? else {
            return Ok(None);
        };
        let scored = self
            .text
            .scored(asked.must, asked.must_not)
            .map_err(|e| self.tantivy(e))?;
        let mut scored = [scored];
        self.filtered(&asked.rest, &mut scored, |(r, _)| *r)?;
        let [scored] = scored;
        Ok(Some(Found {
            scored,
            marks: asked.marks,
        }))
    }

    /// [`Index::find`] with each hit as its [`rank_key`] in `order`: sorted runs of them
    /// (best first), one a segment of the full text.
    fn find_ranked(
        &self,
        query: &Query,
        order: &Arc<Order>,
    ) -> Result<Option<Found<Vec<u64>>>, IndexError> {
        let Some(asked) = self.asked(query)? else {
            return Ok(None);
        };
        let places = Arc::clone(order);
        let key: text::Keyer =
            Arc::new(move |rowid, score| places.place_of(rowid).map(|p| rank_key(score, p)));
        let mut runs = self
            .text
            .sorted_runs(asked.must, asked.must_not, key)
            .map_err(|e| self.tantivy(e))?;
        // Filtering keeps the keys' order.
        self.filtered(&asked.rest, &mut runs, |&k| order.rowids[place_of_key(k)])?;
        Ok(Some(Found {
            scored: runs,
            marks: asked.marks,
        }))
    }

    /// A query's full-text clauses as tantivy queries (those that must match and those that
    /// must not) and the clauses left to SQL; `None` for a query with no full-text term.
    fn asked<'q>(&self, query: &'q Query) -> Result<Option<Asked<'q>>, IndexError> {
        let clauses: Vec<&Clause> = query
            .clauses
            .iter()
            .filter(|c| !c.alternatives.iter().any(|l| is_void(&l.term)))
            .collect();
        if !clauses
            .iter()
            .flat_map(|c| &c.alternatives)
            .any(|l| is_text(&l.term))
        {
            return Ok(None);
        }
        self.text.reload_if_changed().map_err(|e| self.tantivy(e))?;
        let mut must = Vec::new();
        let mut must_not = Vec::new();
        let mut rest: Vec<&Clause> = Vec::new();
        for clause in clauses {
            let alts = &clause.alternatives;
            if alts.iter().all(|l| !l.negated && is_text(&l.term)) {
                let mut parts: Vec<Box<dyn tantivy::query::Query>> =
                    alts.iter().filter_map(|l| self.term_query(l)).collect();
                must.push(if parts.len() == 1 {
                    parts.remove(0)
                } else {
                    Box::new(tantivy::query::BooleanQuery::union(parts))
                });
            } else if let [lit] = alts.as_slice()
                && lit.negated
                && is_text(&lit.term)
            {
                must_not.extend(self.term_query(lit));
            } else {
                rest.push(clause);
            }
        }
        let marks = (!must.is_empty()).then(|| Marks::of(query));
        Ok(Some(Asked {
            must,
            must_not,
            rest,
            marks,
        }))
    }

    /// Keep in these lists of hits only those for which each of the `rest` clauses holds,
    /// in the order they are in.
    fn filtered<H>(
        &self,
        rest: &[&Clause],
        lists: &mut [Vec<H>],
        rowid: impl Fn(&H) -> i64,
    ) -> Result<(), IndexError> {
        for clause in rest {
            // Few hits left: the filters are asked of those only, not of every clipping.
            let hits = lists.iter().map(Vec::len).sum::<usize>();
            let candidates: Option<Vec<i64>> =
                (hits <= FEW).then(|| lists.iter().flatten().map(&rowid).collect());
            let allowed = self.clause_set(clause, candidates.as_deref())?;
            for list in lists.iter_mut() {
                list.retain(|h| allowed.holds(rowid(h)));
            }
        }
        Ok(())
    }

    fn term_query(&self, lit: &Literal) -> Option<Box<dyn tantivy::query::Query>> {
        match &lit.term {
            Term::Text { field, pattern } => self.text.term_query(*field, pattern),
            // The words must be in the text; the quotations are checked afterwards.
            Term::Speaker(w) => self.text.term_query(
                Some(crate::query::TextField::Text),
                &crate::query::Pattern::Prefix(w.clone()),
            ),
            _ => None,
        }
    }

    /// The places in `order` of the clippings matching `query`, a query of filters only (no
    /// full-text term): each filter's clippings asked of SQLite as a set, unordered (as one
    /// statement sorting the rows, `-has:notes` took 92-135 ms at 100,000 clippings).
    fn filter_places(&self, query: &Query, order: &Order) -> Result<Vec<u32>, IndexError> {
        let clauses: Vec<Membership> = query
            .clauses
            .iter()
            .map(|clause| self.clause_set(clause, None))
            .collect::<Result<_, _>>()?;
        Ok(order
            .rowids
            .iter()
            .enumerate()
            .filter(|(_, r)| clauses.iter().all(|m| m.holds(**r)))
            .map(|(place, _)| place as u32)
            .collect())
    }

    /// The clippings for which one clause (alternatives, any may hold) holds: a set, or all
    /// but a set. A negated term's clippings are the set to leave out (`-has:notes` reads the
    /// few clippings with notes, not every other one: `railway -has:notes` took 33-51 ms at
    /// 100,000 that way). With `candidates`, only those are asked of the SQL conditions (the
    /// answer is then right for those only).
    fn clause_set(
        &self,
        clause: &Clause,
        candidates: Option<&[i64]>,
    ) -> Result<Membership, IndexError> {
        let mut whole: Option<Membership> = None;
        for lit in &clause.alternatives {
            let set: HashSet<i64> = if is_text(&lit.term) {
                let Some(q) = self.term_query(lit) else {
                    continue;
                };
                let matching = self.text.matching(&*q).map_err(|e| self.tantivy(e))?;
                matching.into_iter().collect()
            } else {
                self.filter_rowids(lit, candidates)?
            };
            let this = if lit.negated {
                Membership::AllBut(set)
            } else {
                Membership::Only(set)
            };
            whole = Some(match whole {
                None => this,
                Some(before) => before.or(this),
            });
        }
        // No alternative could be asked (none of its words is indexed): it holds for none.
        Ok(whole.unwrap_or_else(|| Membership::Only(HashSet::new())))
    }

    /// The rowids of the clippings a filter holds for, its negation left out; with
    /// `candidates`, of those only.
    fn filter_rowids(
        &self,
        lit: &Literal,
        candidates: Option<&[i64]>,
    ) -> Result<HashSet<i64>, IndexError> {
        let plan = sql::positive_rowids(lit);
        // Rowids are integers: written into the statement, they cannot change its meaning.
        let statements: Vec<String> = match candidates {
            None => vec![plan.sql.clone()],
            Some(c) => c
                .chunks(500)
                .map(|chunk| {
                    let list: Vec<String> = chunk.iter().map(i64::to_string).collect();
                    format!("{} AND r.rowid IN ({})", plan.sql, list.join(","))
                })
                .collect(),
        };
        let mut set = HashSet::new();
        for statement in statements {
            let mut stmt = self
                .conn
                .prepare_cached(&statement)
                .map_err(|e| self.sqlite(e))?;
            let rows = stmt
                .query_map(rusqlite::params_from_iter(plan.params.iter()), |r| {
                    r.get::<_, i64>(0)
                })
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<i64>>>())
                .map_err(|e| self.sqlite(e))?;
            set.extend(rows);
        }
        Ok(set)
    }

    /// Get ready to rank: read the library's order now (60-120 ms at 100,000 clippings),
    /// so the first search after an open or a refresh does not wait for it.
    pub fn prepare_ranking(&self) -> Result<(), IndexError> {
        self.order().map(|_| ())
    }

    /// The library's order, read again when the index changed since it was last read.
    fn order(&self) -> Result<Arc<Order>, IndexError> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .map_err(|e| self.sqlite(e))?;
        if let Some((v, w, order)) = &*self.order.borrow()
            && *v == version
            && *w == self.writes
        {
            return Ok(Arc::clone(order));
        }
        // Sorted here: SQLite's sorter took several times longer for 100,000 rows.
        let mut stmt = self
            .conn
            .prepare_cached("SELECT rowid, id, published, imported FROM records")
            .map_err(|e| self.sqlite(e))?;
        type Keyed = (i64, String, Option<String>, String);
        let mut keyed: Vec<Keyed> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.sqlite(e))?;
        keyed.par_sort_unstable_by(|a, b| {
            a.2.is_none()
                .cmp(&b.2.is_none())
                .then_with(|| b.2.cmp(&a.2))
                .then_with(|| b.3.cmp(&a.3))
                .then_with(|| a.1.cmp(&b.1))
        });
        let (rowids, ids): (Vec<i64>, Vec<Arc<str>>) = keyed
            .into_iter()
            .map(|(r, id, ..)| (r, Arc::from(id)))
            .unzip();
        let place = rowids::RowidPlaces::of(rowids.iter().copied());
        let order = Arc::new(Order {
            rowids,
            ids: Arc::new(ids),
            place,
        });
        self.order
            .replace(Some((version, self.writes, Arc::clone(&order))));
        Ok(order)
    }

    /// The rows of these rowids.
    fn rows_of<T: Listed>(&self, rowids: &[i64]) -> rusqlite::Result<Vec<(i64, T)>> {
        /// Above one hit in this many rows the whole table is read once; below it, the hits'
        /// rows are looked up by rowid.
        const SCAN_FRACTION: i64 = 5;
        let mut out = Vec::with_capacity(rowids.len());
        // SQLite gives a new row the largest rowid + 1: the largest stands for the table's size.
        let rows: i64 =
            self.conn
                .query_row("SELECT coalesce(max(rowid), 0) FROM records", [], |r| {
                    r.get(0)
                })?;
        if (rowids.len() as i64).saturating_mul(SCAN_FRACTION) > rows {
            // One pass over the table, a row built only for a hit (its rowid read first).
            let wanted = rowids::RowidPlaces::of(rowids.iter().copied());
            let statement = format!("SELECT {}, r.rowid FROM records r", T::COLUMNS);
            let mut stmt = self.conn.prepare_cached(&statement)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let rowid = r.get::<_, i64>(T::COUNT)?;
                if wanted.contains(rowid) {
                    out.push((rowid, T::read(r)?));
                }
            }
            return Ok(out);
        }
        for chunk in rowids.chunks(500) {
            // Rowids are integers: written into the statement, they cannot change its meaning.
            let list: Vec<String> = chunk.iter().map(i64::to_string).collect();
            let statement = format!(
                "SELECT {}, r.rowid FROM records r WHERE r.rowid IN ({})",
                T::COLUMNS,
                list.join(",")
            );
            let mut stmt = self.conn.prepare(&statement)?;
            let rows = stmt.query_map([], listed_of::<T>)?;
            for row in rows {
                out.push(row?);
            }
        }
        Ok(out)
    }

    /// The hits whose text quotes a speaker whose name holds each of the words (`speaker:`):
    /// the candidates (their text holds the words) are read and checked.
    fn quoting<T: Sync>(
        &self,
        hits: Vec<T>,
        id: impl Fn(&T) -> &str + Sync,
        speakers: &[&str],
    ) -> Vec<T> {
        let dir = self.root.join("clippings");
        let keep: Vec<bool> = hits
            .par_iter()
            .map(|h| {
                crate::library::store::read_library_text(
                    &dir.join(format!("{}.txt", id(h))),
                    64 << 20,
                )
                .is_ok_and(|text| crate::search::quotes_someone(&text, None, speakers))
            })
            .collect();
        hits.into_iter()
            .zip(keep)
            .filter_map(|(h, k)| k.then_some(h))
            .collect()
    }
}

/// The hits of a full-text query (`(rowid, score)` in no order, or rank keys sorted), and
/// the words their snippets mark.
struct Found<H> {
    scored: Vec<H>,
    marks: Option<Marks>,
}

/// A query's clauses, as [`Index::asked`] splits them.
struct Asked<'q> {
    must: Vec<Box<dyn tantivy::query::Query>>,
    must_not: Vec<Box<dyn tantivy::query::Query>>,
    rest: Vec<&'q Clause>,
    marks: Option<Marks>,
}

/// A hit's sort key: the higher score first (as [`f32::total_cmp`] orders them), then the
/// earlier place in the library's order ([`place_of_key`] gives the place back).
fn rank_key(score: f32, place: u32) -> u64 {
    let bits = score.to_bits();
    // The float's bits made to sort as an unsigned integer, lowest first...
    let ascending = if bits & 0x8000_0000 != 0 {
        !bits
    } else {
        bits | 0x8000_0000
    };
    // ...then turned round: the highest first.
    (u64::from(!ascending) << 32) | u64::from(place)
}

/// The `n` lowest keys of these sorted runs, lowest first.
fn smallest(runs: &[Vec<u64>], n: usize) -> Vec<u64> {
    let mut next = vec![0usize; runs.len()];
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let lowest = runs
            .iter()
            .zip(&next)
            .enumerate()
            .filter_map(|(r, (run, &at))| run.get(at).map(|&k| (k, r)))
            .min();
        let Some((key, r)) = lowest else { break };
        out.push(key);
        next[r] += 1;
    }
    out
}

/// The place in the library's order that a [`rank_key`] was made with.
fn place_of_key(key: u64) -> usize {
    (key & u64::from(u32::MAX)) as usize
}

fn is_text(term: &Term) -> bool {
    matches!(term, Term::Text { .. } | Term::Speaker(_))
}

/// A term asking for nothing (no word in it, punctuation alone): it holds for every clipping.
fn is_void(term: &Term) -> bool {
    match term {
        Term::Text { pattern, .. } => {
            let (crate::query::Pattern::Word(w)
            | crate::query::Pattern::Phrase(w)
            | crate::query::Pattern::Prefix(w)) = pattern;
            text::words(w).is_empty()
        }
        Term::Speaker(w) => text::words(w).is_empty(),
        _ => false,
    }
}

/// A row as [`sql::COLUMNS`] selects it, then its rowid.
fn row_of(r: &rusqlite::Row) -> rusqlite::Result<(i64, Row)> {
    let tags: String = r.get(8)?;
    Ok((
        r.get(13)?,
        Row {
            id: r.get(0)?,
            source_name: r.get(1)?,
            headline: r.get(2)?,
            deck: r.get(3)?,
            published: r.get(4)?,
            dateline: r.get(5)?,
            section: r.get(6)?,
            publication: r.get(7)?,
            tags: split_list(&tags),
            imported: r.get(9)?,
            highlights: r.get::<_, i64>(10)? as usize,
            has_notes: r.get::<_, i64>(11)? != 0,
            orphans: r.get::<_, i64>(12)? as usize,
        },
    ))
}

/// A hit as `T` and its rowid (the column after `T`'s).
fn listed_of<T: Listed>(r: &rusqlite::Row) -> rusqlite::Result<(i64, T)> {
    Ok((r.get(T::COUNT)?, T::read(r)?))
}

/// Reorder `items` where they are so that place `k` holds what was at `order[k]`, and say
/// how many places that fills: an item named twice keeps its first place, and the items
/// `order` does not name come after those it does, in no particular order.
fn permute<T>(items: &mut [T], order: &[usize]) -> usize {
    let n = items.len();
    // The whole permutation: `order` without repeats or strays, then the rest.
    let mut named = vec![false; n];
    let mut full: Vec<usize> = Vec::with_capacity(n);
    for &i in order {
        if i < n && !std::mem::replace(&mut named[i], true) {
            full.push(i);
        }
    }
    let kept = full.len();
    full.extend((0..n).filter(|&i| !named[i]));
    // Follow each cycle once: swapping a place with its source fills the place and moves
    // what was there to the place that source came from.
    let mut done = vec![false; n];
    for start in 0..n {
        let mut k = start;
        while !done[k] {
            done[k] = true;
            let source = full[k];
            if source == start {
                break;
            }
            items.swap(k, source);
            k = source;
        }
    }
    kept
}

/// The rows a plan without full-text terms selects, in its order.
fn rows_of_plan<T: Listed>(conn: &Connection, plan: &sql::Plan) -> rusqlite::Result<Vec<(i64, T)>> {
    let mut stmt = conn.prepare_cached(&plan.sql)?;
    stmt.query_map(
        rusqlite::params_from_iter(plan.params.iter()),
        listed_of::<T>,
    )
    .and_then(|rows| rows.collect())
}

/// Check an existing index file: right schema version, this library, not truncated. `None`
/// when it must be built again. A `writable` connection to a file of the version before is
/// brought to this one.
fn valid(
    conn: Connection,
    path: &Path,
    library: &str,
    writable: bool,
) -> rusqlite::Result<Option<(Connection, String)>> {
    configure(&conn)?;
    let get = |key: &str| -> rusqlite::Result<Option<String>> {
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
    };
    let has_meta: bool = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
        [],
        |r| r.get::<_, i64>(0).map(|n| n > 0),
    )?;
    if !has_meta || get("library")?.as_deref() != Some(library) {
        return Ok(None);
    }
    let schema = get("schema")?;
    // Version 3 lacks only the filters' indexes: it reads as this version does, and one
    // opened for writing gets them here (one read of the records) rather than the whole
    // index built again.
    let old = schema.as_deref() == Some("3");
    if !old && schema.as_deref() != Some(&SCHEMA_VERSION.to_string()) {
        return Ok(None);
    }
    // A file cut short still opens: its header promises more pages than the file holds.
    let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
    let page_size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    let len = fs::metadata(path).map_or(0, |m| m.len() as i64);
    if len < pages * page_size {
        return Ok(None);
    }
    let Some(token) = get("text")? else {
        return Ok(None);
    };
    if old && writable {
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; {FILTER_INDEXES} UPDATE meta SET value = '{SCHEMA_VERSION}' WHERE key = 'schema'; COMMIT;"
        ))?;
    }
    Ok(Some((conn, token)))
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.execute_batch("PRAGMA synchronous = NORMAL;")?;
    Ok(())
}

/// The tables of this version in a new database.
fn create_tables(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(SCHEMA)?;
    conn.execute_batch(FILTER_INDEXES)
}

/// A new index file, with the token its full text will carry: made of the time and the
/// process, so a full-text folder left by an earlier file is never taken for this one's.
fn create(path: &Path, library: &str) -> rusqlite::Result<(Connection, String)> {
    let conn = Connection::open(path)?;
    configure(&conn)?;
    create_tables(&conn)?;
    let token = format!("{:x}-{:x}", crate::library::now_ns(), std::process::id());
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('schema', ?1), ('library', ?2), ('text', ?3)",
        params![SCHEMA_VERSION.to_string(), library, token],
    )?;
    Ok((conn, token))
}

/// Everything the index stores of one clipping.
struct Entry {
    id: String,
    source_name: String,
    headline: Option<String>,
    deck: Option<String>,
    published: Option<String>,
    dateline: Option<String>,
    section: Option<String>,
    publication: Option<String>,
    tags: Vec<String>,
    credits: Vec<String>,
    imported: String,
    highlights: usize,
    has_notes: bool,
    orphans: usize,
    text: std::sync::Arc<str>,
    notes: String,
    quotes: String,
    comments: String,
    all_tags: String,
    persons: String,
    orgs: String,
}

impl Entry {
    /// The full text's columns, in [`text::COLUMNS`] order.
    fn columns(&self) -> Columns<'_> {
        fn o(s: &Option<String>) -> &str {
            s.as_deref().unwrap_or("")
        }
        Columns([
            o(&self.headline),
            o(&self.deck),
            &self.text,
            &self.notes,
            &self.quotes,
            &self.comments,
            &self.all_tags,
            &self.persons,
            &self.orgs,
            o(&self.publication),
            o(&self.section),
            o(&self.dateline),
        ])
    }

    fn of(c: &Clipping, text: std::sync::Arc<str>) -> Entry {
        let meta = &c.parsed;
        let field = |f: Field| c.field(f).map(str::to_string);
        let persons: Vec<&str> = meta
            .authors
            .iter()
            .map(String::as_str)
            .chain(meta.contributors.iter().map(|p| p.name.as_str()))
            .collect();
        let orgs: Vec<&str> = meta
            .organizations
            .iter()
            .map(String::as_str)
            .chain(
                meta.contributors
                    .iter()
                    .filter_map(|p| p.organization.as_deref()),
            )
            .chain(c.field(Field::DatelineSource))
            .collect();
        let all_tags: Vec<&str> = c
            .tags
            .iter()
            .chain(c.highlights.iter().flat_map(|h| &h.tags))
            .map(String::as_str)
            .collect();
        Entry {
            id: c.id.clone(),
            source_name: c.source_name.clone(),
            headline: field(Field::Headline),
            deck: field(Field::Deck),
            published: field(Field::Published),
            dateline: field(Field::Dateline),
            section: field(Field::Section),
            publication: field(Field::Publication),
            tags: c.tags.clone(),
            credits: persons.iter().chain(&orgs).map(|s| s.to_string()).collect(),
            imported: c.imported.clone(),
            highlights: c.highlights.len(),
            has_notes: !c.notes.trim().is_empty(),
            orphans: c.highlights.iter().filter(|h| h.orphan).count(),
            text,
            notes: c.notes.clone(),
            quotes: join(c.highlights.iter().map(|h| h.quote.as_str())),
            comments: join(c.highlights.iter().map(|h| h.comment.as_str())),
            all_tags: join(all_tags.into_iter()),
            persons: join(persons.into_iter()),
            orgs: join(orgs.into_iter()),
        }
    }
}

fn join<'a>(parts: impl Iterator<Item = &'a str>) -> String {
    parts
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Lists (tags, credits) are stored one item a line.
fn split_list(s: &str) -> Vec<String> {
    s.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// What reading one changed record gave.
enum Read {
    /// The content hash is the stored one: only the stat changed.
    Same,
    New {
        hash: String,
        entry: Box<Entry>,
    },
    Problem(LoadProblem),
}

/// The content hash stored for a clipping: its record's bytes, then its text's, each after
/// its length (`None`: a file that cannot be read).
pub fn content_hash(record: Option<&[u8]>, text: Option<&[u8]>) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for file in [record, text] {
        match file {
            Some(bytes) => {
                hasher.update(&(bytes.len() as u64).to_le_bytes());
                hasher.update(bytes);
            }
            None => hasher.update(b"unreadable"),
        }
    }
    format!("{:032x}", hasher.digest128())
}

fn read_one(root: &Path, id: &str, old_hash: Option<&str>) -> Read {
    let dir = root.join("clippings");
    // Read as the library reads: a link, FIFO or oversized file is reported below.
    let read = |ext: &str| {
        library::store::read_library_file(&dir.join(format!("{id}.{ext}")), 64 << 20).ok()
    };
    let hash = content_hash(read("ron").as_deref(), read("txt").as_deref());
    if old_hash == Some(hash.as_str()) {
        return Read::Same;
    }
    match library::read_clipping(root, id) {
        Ok((clipping, text)) => Read::New {
            hash,
            entry: Box::new(Entry::of(&clipping, text)),
        },
        Err(problem) => Read::Problem(problem),
    }
}

/// Any change to the index other than a whole refresh: the next refresh compares every stamp.
fn forget_listing(tx: &rusqlite::Transaction) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM meta WHERE key = ?1", [LISTING])?;
    Ok(())
}

/// Remove a clipping from every table; its rowid when it was there.
fn delete(tx: &rusqlite::Transaction, id: &str) -> rusqlite::Result<Option<i64>> {
    // Cached statements: an import asks this of every new clipping (prepared each time, the
    // three took 1.7% of a 100,000-article import).
    let rowid: Option<i64> = tx
        .prepare_cached("SELECT rowid FROM records WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    tx.prepare_cached("DELETE FROM stamps WHERE id = ?1")?
        .execute([id])?;
    let Some(rowid) = rowid else {
        return Ok(None);
    };
    tx.prepare_cached("DELETE FROM tags WHERE rec = ?1")?
        .execute([rowid])?;
    tx.prepare_cached("DELETE FROM records WHERE rowid = ?1")?
        .execute([rowid])?;
    Ok(Some(rowid))
}

fn put_stamp(
    tx: &rusqlite::Transaction,
    id: &str,
    s: &Stamp,
    hash: Option<&str>,
) -> rusqlite::Result<()> {
    match hash {
        Some(hash) => tx
            .prepare_cached(
                "INSERT OR REPLACE INTO stamps VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(params![id, s.ron.0, s.ron.1, s.ron.2, s.txt.0, s.txt.1, s.txt.2, hash])?,
        None => tx
            .prepare_cached(
                "UPDATE stamps SET ron_size = ?2, ron_mtime = ?3, ron_ino = ?4, txt_size = ?5, txt_mtime = ?6, txt_ino = ?7 WHERE id = ?1",
            )?
            .execute(params![id, s.ron.0, s.ron.1, s.ron.2, s.txt.0, s.txt.1, s.txt.2])?,
    };
    Ok(())
}

/// Add a clipping's rows; its new rowid.
fn insert(tx: &rusqlite::Transaction, e: &Entry) -> rusqlite::Result<i64> {
    tx.prepare_cached(
        "INSERT INTO records (id, source_name, headline, deck, published, dateline, section, publication, tags, credits, imported, highlights, notes, orphans)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        e.id,
        e.source_name,
        e.headline,
        e.deck,
        e.published,
        e.dateline,
        e.section,
        e.publication,
        e.tags.join("\n"),
        e.credits.join("\n"),
        e.imported,
        e.highlights as i64,
        e.has_notes as i64,
        e.orphans as i64,
    ])?;
    let rowid = tx.last_insert_rowid();
    for tag in &e.tags {
        tx.prepare_cached("INSERT INTO tags (rec, tag) VALUES (?1, ?2)")?
            .execute(params![rowid, tag.trim().to_lowercase()])?;
    }
    Ok(rowid)
}
