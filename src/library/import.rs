//! The import pipeline: files and folders in, one outcome per file, off the calling thread.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::store::{Batch, to_ron};
use super::{clipping_id, stored_metadata};
use crate::decode::{self, DecodeError};
use crate::index::text::Merges;
use crate::model::{BatchSource, Clipping, FORMAT_VERSION, Overrides, now_utc};
use crate::parse::PARSER_VERSION;

/// Files larger than this are not article texts.
pub const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;

/// Files handled between two folder syncs (and two cancel checks).
const CHUNK: usize = 256;

/// Why a file was not imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SkipReason {
    #[error("{0}")]
    NotText(String),
    #[error("larger than 10 MB ({:.1} MB)", *.bytes as f64 / 1_048_576.0)]
    TooLarge { bytes: u64 },
    #[error("cannot be read: {0}")]
    Unreadable(String),
    #[error("the file is empty")]
    Empty,
    #[error("the file holds only white space")]
    Blank,
    #[error("a clipping with this text exists but its file cannot be read; it is left untouched")]
    Blocked,
    #[error("could not be saved: {0}")]
    WriteFailed(String),
    #[error("{0}; its files are not imported")]
    InLibrary(&'static str),
    #[error("document {number} of {total} of this batch is malformed: {reason}")]
    Malformed {
        number: usize,
        total: usize,
        reason: String,
    },
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Imported {
        id: String,
        headline: String,
    },
    Duplicate {
        id: String,
        headline: String,
        in_trash: bool,
    },
    Skipped(SkipReason),
}

impl Outcome {
    /// A short phrase for reports: "imported", "already in the library", "skipped: ...".
    pub fn describe(&self) -> String {
        match self {
            Outcome::Imported { headline, .. } => format!("imported \u{201c}{headline}\u{201d}"),
            Outcome::Duplicate {
                in_trash: false, ..
            } => "already in the library".into(),
            Outcome::Duplicate { in_trash: true, .. } => {
                "already in the library's trash (restore it from there)".into()
            }
            Outcome::Skipped(reason) => format!("skipped: {reason}"),
        }
    }
}

/// One file's outcome; `index` is the file's place in the order the files were listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileReport {
    pub index: usize,
    pub path: PathBuf,
    pub outcome: Outcome,
}

/// All the outcomes of an import.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub reports: Vec<FileReport>,
    pub cancelled: bool,
}

impl ImportSummary {
    pub fn imported(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Imported { .. }))
    }

    pub fn duplicates(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Duplicate { .. }))
    }

    pub fn skipped(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Skipped(_)))
    }

    fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.reports.iter().filter(|r| f(&r.outcome)).count()
    }

    /// "Imported 12 · 3 already in library · 1 skipped: photo.jpg is not a text file".
    pub fn headline(&self) -> String {
        let mut parts = vec![format!("Imported {}", self.imported())];
        if self.duplicates() > 0 {
            parts.push(format!("{} already in library", self.duplicates()));
        }
        let skipped: Vec<&FileReport> = self
            .reports
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Skipped(_)))
            .collect();
        match skipped.as_slice() {
            [] => {}
            [one] => parts.push(format!(
                "1 skipped: {} {}",
                file_name(&one.path),
                match &one.outcome {
                    Outcome::Skipped(reason) => reason.to_string(),
                    _ => String::new(),
                }
            )),
            many => parts.push(format!("{} skipped", many.len())),
        }
        if self.cancelled {
            parts.push("cancelled".into());
        }
        parts.join(" · ")
    }
}

/// The last component of a path, for messages.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// A message from the import thread.
#[derive(Debug)]
pub enum ImportMsg {
    /// One file is done; `imported` carries the new clipping and its text to take into memory.
    File {
        report: FileReport,
        imported: Option<Box<(Clipping, Arc<str>)>>,
    },
    /// The job is over; nothing more comes.
    Done { cancelled: bool },
}

/// How far an import is, readable from any thread.
#[derive(Debug, Default)]
pub struct Progress {
    total: AtomicUsize,
    done: AtomicUsize,
    listing: AtomicBool,
    current: Mutex<String>,
}

impl Progress {
    pub fn total(&self) -> usize {
        self.total.load(Ordering::Relaxed)
    }

    pub fn done(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }

    /// True while the folders are still being listed (the total is not known yet).
    pub fn is_listing(&self) -> bool {
        self.listing.load(Ordering::Relaxed)
    }

    /// The name of a file being imported now.
    pub fn current(&self) -> String {
        self.current.lock().map(|c| c.clone()).unwrap_or_default()
    }

    pub fn fraction(&self) -> f32 {
        let total = self.total();
        if total == 0 {
            0.0
        } else {
            self.done() as f32 / total as f32
        }
    }
}

/// A running import: receive its messages, read its progress, cancel it.
#[derive(Debug)]
pub struct ImportJob {
    rx: Receiver<ImportMsg>,
    progress: Arc<Progress>,
    cancel: Arc<AtomicBool>,
}

impl ImportJob {
    /// Wait for the next message (an error once the job is over and all was received).
    pub fn recv(&self) -> Result<ImportMsg, mpsc::RecvError> {
        self.rx.recv()
    }

    /// The next message if one is waiting.
    pub fn try_recv(&self) -> Option<ImportMsg> {
        self.rx.try_recv().ok()
    }

    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// Ask the job to stop after the files under way; what was imported stays imported (the
    /// clippings not yet in the search index are left to its next refresh).
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// What the import thread needs to know of the library.
pub(crate) struct ImportContext {
    pub clippings_dir: PathBuf,
    /// Ids already in the library; `true` for those in the trash.
    pub known: HashMap<String, bool>,
    pub blocked: HashSet<String>,
    pub max_bytes: u64,
    /// The library's own folder: never imported from.
    pub library_root: PathBuf,
    /// Batch documents already in the library by [`crate::batch::doc_key`]: the clipping's id
    /// and whether it is in the trash.
    pub known_docs: HashMap<String, (String, bool)>,
    /// Tag batch articles with their database's subjects and places.
    pub batch_tags: bool,
    /// The cache folder of search indexes: the library's index there, when it has one, is
    /// brought up to date as the files are committed.
    pub index_cache: Option<PathBuf>,
}

/// Start the import thread; fails only when the system cannot start a thread.
pub(crate) fn spawn(paths: Vec<PathBuf>, ctx: ImportContext) -> std::io::Result<ImportJob> {
    let (tx, rx) = mpsc::channel();
    let progress = Arc::new(Progress::default());
    let cancel = Arc::new(AtomicBool::new(false));
    let job = ImportJob {
        rx,
        progress: progress.clone(),
        cancel: cancel.clone(),
    };
    std::thread::Builder::new()
        .name("clipfile-import".into())
        .spawn(move || run(paths, ctx, &tx, &progress, &cancel))?;
    Ok(job)
}

fn run(
    paths: Vec<PathBuf>,
    ctx: ImportContext,
    tx: &Sender<ImportMsg>,
    progress: &Progress,
    cancel: &AtomicBool,
) {
    let _bulk = crate::BulkWork::start();
    progress.listing.store(true, Ordering::Relaxed);
    let listed = list_files(&paths, &ctx.library_root, progress, cancel);
    progress.total.store(listed.len(), Ordering::Relaxed);
    progress.listing.store(false, Ordering::Relaxed);

    let claimed: Mutex<HashMap<String, String>> = Mutex::new(HashMap::new());
    // Cancelled while listing: nothing is imported.
    let mut cancelled = cancel.load(Ordering::Relaxed);
    let indexed: Vec<(usize, Listed)> = listed.into_iter().enumerate().collect();
    // A chunk is made durable (a disk wait, mostly) on a second thread while the next chunk is
    // read, parsed and staged; at most one chunk waits between the two. The library's search
    // index, when it has one, learns the committed clippings on a third thread (so a search
    // right after the import reads no record), a batch at a time, while the next chunks are
    // committed; at most one batch waits for it.
    let (commit_tx, commit_rx) = mpsc::sync_channel::<Vec<Staged>>(1);
    let index = ctx
        .index_cache
        .as_deref()
        .and_then(|cache| crate::index::Index::open_existing_in(&ctx.library_root, cache));
    let (index_tx, index_rx) = mpsc::sync_channel::<Vec<(Imported, Written)>>(INDEX_BATCH / CHUNK);
    let index_tx = index.is_some().then_some(index_tx);
    std::thread::scope(|scope| {
        if let Some(index) = index {
            scope.spawn(move || {
                let mut index = Some(index);
                let mut unindexed = Vec::with_capacity(INDEX_BATCH + CHUNK);
                // Whether a batch left its segments for the last one to merge.
                let mut gathered = false;
                for committed in index_rx {
                    // Cancelled: what waits is left to the next refresh (the files are in
                    // the library), so the import ends without indexing thousands more.
                    if cancel.load(Ordering::Relaxed) {
                        index = None;
                    }
                    unindexed.extend(committed);
                    if unindexed.len() >= INDEX_BATCH {
                        add_to_index(&mut index, &mut unindexed, Merges::Later);
                        gathered = true;
                    }
                }
                if gathered || !unindexed.is_empty() {
                    add_to_index(&mut index, &mut unindexed, Merges::Now);
                }
            });
        }
        scope.spawn(move || {
            for chunk in commit_rx {
                commit_chunk(chunk, tx, progress, index_tx.as_ref());
            }
        });
        for chunk in indexed.chunks(CHUNK) {
            if cancelled || cancel.load(Ordering::Relaxed) {
                cancelled = true;
                break;
            }
            let staged: Vec<Staged> = chunk
                .par_iter()
                .flat_map_iter(|(index, listed)| {
                    if let Ok(mut current) = progress.current.lock() {
                        *current = file_name(&listed.path);
                    }
                    let results = match &listed.problem {
                        Some(reason) => {
                            vec![(Outcome::Skipped(reason.clone()), None, Batch::default())]
                        }
                        None => import_file(&listed.path, &ctx, &claimed, progress, cancel),
                    };
                    results.into_iter().map(|(outcome, imported, batch)| {
                        let report = FileReport {
                            index: *index,
                            path: listed.path.clone(),
                            outcome,
                        };
                        (report, imported, batch)
                    })
                })
                .collect();
            if let Err(mpsc::SendError(staged)) = commit_tx.send(staged) {
                // The commit thread is gone (it cannot be, short of a panic): nothing staged
                // may stay behind as temporary files.
                for (_, _, batch) in staged {
                    batch.discard();
                }
                break;
            }
        }
        drop(commit_tx);
    });
    let _ = tx.send(ImportMsg::Done { cancelled });
}

/// One file's report, its new clipping (and what its files hold) and its staged files,
/// waiting to be made durable.
type Staged = (FileReport, Option<(Imported, Written)>, Batch);

/// How many committed clippings go into the search index in one transaction. Each commit
/// of the index waits for the disk and starts merges of its segments: at 1,024 a
/// 100,000-article import took 39.7 s, at 4,096 27.2 s (and 75 MB more resident).
#[cfg(not(test))]
const INDEX_BATCH: usize = 16 * CHUNK;
/// One chunk in the unit tests, so that an import of a few hundred files commits the index
/// while it runs, as a large import does.
#[cfg(test)]
const INDEX_BATCH: usize = CHUNK;

/// Put the committed clippings waiting in `unindexed` into the search index, if there is one;
/// an index that fails is dropped (the next refresh catches up).
fn add_to_index(
    index: &mut Option<crate::index::Index>,
    unindexed: &mut Vec<(Imported, Written)>,
    merges: Merges,
) {
    if let Some(ix) = index {
        let new: Vec<(&Clipping, &Arc<str>, &Written)> =
            unindexed.iter().map(|((c, t), w)| (c, t, w)).collect();
        if ix.add_new(&new, merges).is_err() {
            *index = None;
        }
    }
    unindexed.clear();
}

/// Make a whole chunk durable at once, hand its new clippings to the search index's thread
/// (when the library has an index), then tell the library about each file in it: each file
/// is reported imported exactly when its record and text are in the library, by path.
fn commit_chunk(
    chunk: Vec<Staged>,
    tx: &Sender<ImportMsg>,
    progress: &Progress,
    index: Option<&mpsc::SyncSender<Vec<(Imported, Written)>>>,
) {
    let mut batches = Vec::with_capacity(chunk.len());
    let mut pending = Vec::with_capacity(chunk.len());
    for (report, imported, staged) in chunk {
        batches.push(staged);
        pending.push((report, imported));
    }
    let results = super::store::commit_each(batches);
    let committed: Vec<(FileReport, Option<(Imported, Written)>)> = pending
        .into_iter()
        .zip(results)
        .map(
            |((mut report, imported), committed)| match (committed, imported) {
                (Ok(()), imported) => (report, imported),
                (Err(e), Some(_)) => {
                    report.outcome = Outcome::Skipped(SkipReason::WriteFailed(e.to_string()));
                    (report, None)
                }
                (Err(_), None) => (report, None),
            },
        )
        .collect();
    if let Some(index) = index {
        // The index thread is gone only if it panicked (the whole import then ends with it).
        let _ = index.send(
            committed
                .iter()
                .filter_map(|(_, imported)| imported.clone())
                .collect(),
        );
    }
    for (report, imported) in committed {
        progress.done.fetch_add(1, Ordering::Relaxed);
        let _ = tx.send(ImportMsg::File {
            report,
            imported: imported.map(|(imported, _)| Box::new(imported)),
        });
    }
}

/// A file found by listing the inputs, or an input that cannot be imported at all.
struct Listed {
    path: PathBuf,
    problem: Option<SkipReason>,
}

/// A folder's identity: its device and inode, the same whichever path or link leads to it.
type DirKey = (u64, u64);

fn dir_key(meta: &fs::Metadata) -> DirKey {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

/// Expand folders (recursively, in name order, skipping hidden entries inside folders). A folder
/// is entered once, known by device and inode (which breaks link loops without resolving any
/// path); the library's own folders and any folder holding a Clipfile library (`library.ron`)
/// are reported and not entered. The count found so far is in `progress.total` while listing;
/// `cancel` stops the listing (what was found is returned).
fn list_files(
    paths: &[PathBuf],
    library_root: &Path,
    progress: &Progress,
    cancel: &AtomicBool,
) -> Vec<Listed> {
    let library: HashSet<DirKey> = [
        library_root.to_path_buf(),
        library_root.join(super::CLIPPINGS),
        library_root.join(super::TRASH),
    ]
    .iter()
    .filter_map(|dir| fs::metadata(dir).ok().map(|m| dir_key(&m)))
    .collect();
    let mut out = Vec::new();
    let mut seen_dirs = HashSet::new();
    // Depth first in name order, with an explicit stack: any depth, no recursion.
    let mut stack: Vec<PathBuf> = paths.iter().rev().cloned().collect();
    while let Some(path) = stack.pop() {
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        let problem = |reason: SkipReason| Listed {
            path: path.clone(),
            problem: Some(reason),
        };
        let meta = match fs::metadata(&path) {
            Ok(meta) => meta,
            Err(e) => {
                out.push(problem(SkipReason::Unreadable(io_reason(&e))));
                continue;
            }
        };
        if meta.is_dir() {
            let key = dir_key(&meta);
            if !seen_dirs.insert(key) {
                continue;
            }
            if library.contains(&key) {
                out.push(problem(SkipReason::InLibrary(
                    "it is this Clipfile library's folder",
                )));
                continue;
            }
            if fs::symlink_metadata(path.join(super::SETTINGS)).is_ok_and(|m| m.is_file()) {
                out.push(problem(SkipReason::InLibrary(
                    "it is a Clipfile library (it holds library.ron)",
                )));
                continue;
            }
            let entries = match fs::read_dir(&path) {
                Ok(entries) => entries,
                Err(e) => {
                    out.push(problem(SkipReason::Unreadable(io_reason(&e))));
                    continue;
                }
            };
            let mut children: Vec<PathBuf> = entries
                .flatten()
                .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                .map(|e| e.path())
                .collect();
            children.sort();
            stack.extend(children.into_iter().rev());
        } else if !meta.is_file() {
            out.push(problem(SkipReason::NotText("not a regular file".into())));
        } else if path
            .parent()
            .and_then(|p| {
                fs::metadata(if p.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    p
                })
                .ok()
            })
            .is_some_and(|m| library.contains(&dir_key(&m)))
        {
            out.push(problem(SkipReason::InLibrary(
                "it is a file of this Clipfile library",
            )));
        } else {
            out.push(Listed {
                path,
                problem: None,
            });
        }
        progress.total.store(out.len(), Ordering::Relaxed);
    }
    out
}

fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file (or it was removed)".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ if e.raw_os_error() == Some(40) => "too many levels of symbolic links".into(),
        _ => e.to_string(),
    }
}

/// One file's outcome, the clipping it made, and its staged (not yet durable) files.
type FileResult = (Outcome, Option<(Imported, Written)>, Batch);

/// A new clipping with its text.
pub type Imported = (Clipping, Arc<str>);

/// What a new clipping's files hold once committed: their figures ([`Batch::stage`]) and the
/// content hash a refresh of the search index computes from them, so the index can take the
/// clipping without reading its files back.
#[derive(Debug, Clone)]
pub struct Written {
    pub ron: super::TextStamp,
    pub txt: super::TextStamp,
    pub hash: String,
}

/// One file's results: one for an article file, one per article for a batch download.
fn import_file(
    path: &Path,
    ctx: &ImportContext,
    claimed: &Mutex<HashMap<String, String>>,
    progress: &Progress,
    cancel: &AtomicBool,
) -> Vec<FileResult> {
    let decoded = match read_text_file(path, ctx.max_bytes) {
        Ok(decoded) => decoded,
        Err(reason) => return vec![(Outcome::Skipped(reason), None, Batch::default())],
    };
    if let Some(batch) = crate::batch::split(&decoded.text) {
        return import_batch(path, &decoded, batch, ctx, claimed, progress, cancel);
    }
    vec![import_one(
        path,
        &decoded.text,
        decoded.encoding,
        None,
        ctx,
        claimed,
    )]
}

/// The articles of a batch download, each a clipping of its own; a malformed document is
/// reported by its number and the others imported. Cancel is heard between articles.
fn import_batch(
    path: &Path,
    decoded: &decode::Decoded,
    batch: crate::batch::BatchFile,
    ctx: &ImportContext,
    claimed: &Mutex<HashMap<String, String>>,
    progress: &Progress,
    cancel: &AtomicBool,
) -> Vec<FileResult> {
    let name = file_name(path);
    let count = batch.articles.len();
    progress
        .total
        .fetch_add(count.saturating_sub(1), Ordering::Relaxed);
    let mut results = Vec::with_capacity(count);
    for article in batch.articles {
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        let article = match article {
            Ok(a) => a,
            Err(m) => {
                let reason = SkipReason::Malformed {
                    number: m.number,
                    total: batch.total,
                    reason: m.reason,
                };
                results.push((Outcome::Skipped(reason), None, Batch::default()));
                continue;
            }
        };
        if let Ok(mut current) = progress.current.lock() {
            *current = format!("{name}: document {} of {}", article.number, batch.total);
        }
        let source = crate::batch::read(&article.text).map(|(db, fields)| {
            crate::batch::source_of(db, &fields, &name, article.number, batch.total)
        });
        if let Some(key) = source.as_ref().and_then(crate::batch::doc_key) {
            if let Some((id, in_trash)) = ctx.known_docs.get(&key) {
                let outcome = Outcome::Duplicate {
                    id: id.clone(),
                    headline: name.clone(),
                    in_trash: *in_trash,
                };
                results.push((outcome, None, Batch::default()));
                continue;
            }
            let first = claimed
                .lock()
                .map(|mut c| c.insert(key.clone(), name.clone()))
                .ok()
                .flatten();
            if let Some(first) = first {
                let outcome = Outcome::Duplicate {
                    id: clipping_id(&article.text),
                    headline: first,
                    in_trash: false,
                };
                results.push((outcome, None, Batch::default()));
                continue;
            }
        }
        results.push(import_one(
            path,
            &article.text,
            decoded.encoding,
            source,
            ctx,
            claimed,
        ));
    }
    // Cancelled part way: the articles not reached count as done for the progress bar.
    progress.total.fetch_sub(
        count.saturating_sub(results.len().max(1)),
        Ordering::Relaxed,
    );
    results
}

/// One text (a file, or one article of a batch) as a new clipping, unless it is known.
fn import_one(
    path: &Path,
    text: &str,
    encoding: &str,
    source: Option<BatchSource>,
    ctx: &ImportContext,
    claimed: &Mutex<HashMap<String, String>>,
) -> FileResult {
    let skipped = |reason| (Outcome::Skipped(reason), None, Batch::default());
    let id = clipping_id(text);
    if let Some(&in_trash) = ctx.known.get(&id) {
        let outcome = Outcome::Duplicate {
            id,
            headline: file_name(path),
            in_trash,
        };
        return (outcome, None, Batch::default());
    }
    if ctx.blocked.contains(&id) {
        return skipped(SkipReason::Blocked);
    }
    {
        let Ok(mut claimed) = claimed.lock() else {
            return skipped(SkipReason::WriteFailed("internal lock poisoned".into()));
        };
        if let Some(first) = claimed.get(&id) {
            let outcome = Outcome::Duplicate {
                id,
                headline: first.clone(),
                in_trash: false,
            };
            return (outcome, None, Batch::default());
        }
        claimed.insert(id.clone(), file_name(path));
    }
    let mut batch = Batch::default();
    let tags = match (&source, ctx.batch_tags) {
        (Some(source), true) => crate::batch::tags_of(source),
        _ => Vec::new(),
    };
    let new = NewClipping {
        id,
        source_name: &file_name(path),
        encoding,
        text,
        source,
        tags,
    };
    match stage_new(&ctx.clippings_dir, new, &mut batch) {
        Ok(((clipping, text), written)) => {
            let outcome = Outcome::Imported {
                id: clipping.id.clone(),
                headline: clipping.title().to_string(),
            };
            (outcome, Some(((clipping, text), written)), batch)
        }
        Err((path, e)) => {
            batch.discard();
            skipped(SkipReason::WriteFailed(format!("{}: {e}", path.display())))
        }
    }
}

/// Read and decode one file as article text, with the checks an import makes: a regular file, at
/// most `max_bytes`, readable, text.
pub fn read_text_file(path: &Path, max_bytes: u64) -> Result<decode::Decoded, SkipReason> {
    match fs::metadata(path) {
        Err(e) => return Err(SkipReason::Unreadable(io_reason(&e))),
        Ok(m) if m.is_dir() => return Err(SkipReason::NotText("it is a folder".into())),
        Ok(m) if !m.is_file() => return Err(SkipReason::NotText("not a regular file".into())),
        Ok(m) if m.len() > max_bytes => return Err(SkipReason::TooLarge { bytes: m.len() }),
        Ok(_) => {}
    }
    let bytes = fs::read(path).map_err(|e| SkipReason::Unreadable(io_reason(&e)))?;
    if bytes.len() as u64 > max_bytes {
        return Err(SkipReason::TooLarge {
            bytes: bytes.len() as u64,
        });
    }
    decode::decode(&bytes).map_err(|e| match e {
        DecodeError::Empty => SkipReason::Empty,
        DecodeError::Blank => SkipReason::Blank,
        e => SkipReason::NotText(e.to_string()),
    })
}

/// What a new clipping is made of.
pub(crate) struct NewClipping<'a> {
    /// [`clipping_id`] of `text` (the caller has it already: an import asks it first).
    pub id: String,
    pub source_name: &'a str,
    pub encoding: &'a str,
    pub text: &'a str,
    pub source: Option<BatchSource>,
    pub tags: Vec<String>,
}

/// Parse a text and make the new clipping: its record and text staged in `batch` (text first).
pub(crate) fn stage_new(
    dir: &Path,
    new: NewClipping<'_>,
    batch: &mut Batch,
) -> Result<(Imported, Written), (PathBuf, io::Error)> {
    let NewClipping {
        id,
        source_name,
        encoding,
        text,
        source,
        tags,
    } = new;
    let clipping = Clipping {
        format: FORMAT_VERSION,
        id: id.clone(),
        source_name: source_name.to_string(),
        encoding: encoding.to_string(),
        imported: now_utc(),
        parser_version: PARSER_VERSION,
        parsed: stored_metadata(text),
        overrides: Overrides::default(),
        tags,
        notes: String::new(),
        highlights: Vec::new(),
        source,
    };
    let txt_path = dir.join(format!("{id}.txt"));
    let txt = batch
        .stage(&txt_path, text.as_bytes())
        .map_err(|e| (txt_path.clone(), e))?;
    let ron_path = dir.join(format!("{id}.ron"));
    let record =
        to_ron(&clipping).map_err(|e| (ron_path.clone(), io::Error::other(e.to_string())))?;
    let ron = batch
        .stage(&ron_path, record.as_bytes())
        .map_err(|e| (ron_path, e))?;
    let written = Written {
        ron,
        txt,
        hash: crate::index::content_hash(Some(record.as_bytes()), Some(text.as_bytes())),
    };
    Ok(((clipping, Arc::from(text)), written))
}

/// Parse a text and write it as a new clipping, durably, before returning.
pub(crate) fn write_new(
    dir: &Path,
    source_name: &str,
    encoding: &str,
    text: &str,
) -> Result<(Clipping, Arc<str>), (PathBuf, io::Error)> {
    let mut batch = Batch::default();
    let new = NewClipping {
        id: clipping_id(text),
        source_name,
        encoding,
        text,
        source: None,
        tags: Vec::new(),
    };
    let made = stage_new(dir, new, &mut batch).map(|(made, _)| made);
    match made {
        Ok(made) => {
            batch
                .commit()
                .map_err(|e| (dir.join(format!("{}.ron", made.0.id)), e))?;
            Ok(made)
        }
        Err(e) => {
            batch.discard();
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_counts_as_it_goes_and_stops_on_cancel() {
        let tmp = tempfile::tempdir().expect("tmp");
        let mut dir = tmp.path().to_path_buf();
        for level in 0..50 {
            dir = dir.join("d");
            fs::create_dir(&dir).expect("mkdir");
            fs::write(dir.join(format!("{level}.txt")), "text").expect("w");
        }
        let progress = Progress::default();
        let none = tmp.path().join("no-library");
        let all = list_files(
            &[tmp.path().to_path_buf()],
            &none,
            &progress,
            &AtomicBool::new(false),
        );
        assert_eq!(all.len(), 50);
        assert_eq!(progress.total(), 50, "the count is kept while listing");
        let cancelled = list_files(
            &[tmp.path().to_path_buf()],
            &none,
            &Progress::default(),
            &AtomicBool::new(true),
        );
        assert!(cancelled.is_empty(), "Cancel stops the listing");
    }

    #[test]
    fn a_folder_reached_twice_through_links_is_listed_once() {
        let tmp = tempfile::tempdir().expect("tmp");
        let a = tmp.path().join("a");
        fs::create_dir(&a).expect("mkdir");
        fs::write(a.join("x.txt"), "text").expect("w");
        std::os::unix::fs::symlink(&a, a.join("loop")).expect("ln");
        std::os::unix::fs::symlink(&a, tmp.path().join("b")).expect("ln");
        let listed = list_files(
            &[tmp.path().to_path_buf()],
            &tmp.path().join("no-library"),
            &Progress::default(),
            &AtomicBool::new(false),
        );
        assert_eq!(listed.len(), 1);
    }
}
