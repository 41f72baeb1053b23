//! Opening the library on a background thread, so the first frame paints at once: the
//! progress of the read, what was asked for meanwhile (imports, the remembered selection), and
//! the hand-over.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use super::list::TagCounts;
use super::{AppState, SortKey};
use crate::index::{Index, Row};
use crate::library::{Library, OpenMode, OpenProgress};
use crate::versions::VersionSource;

/// How long the index's rows wait for a library with a records snapshot to open before they
/// are read to show meanwhile.
const PEEK_DELAY: Duration = Duration::from_millis(1000);

/// A library, or why it could not be opened.
type Opened = (Option<Library>, Option<String>);

/// What the opening thread sends: first the index's rows (when there is an index), then the
/// library.
enum Msg {
    Rows(Vec<Row>),
    Opened(Box<TakenIn>),
}

/// The library, its ids in the list's order, its tag counts and what the version index's
/// first build computes (all made on the opening thread, not in a frame).
type TakenIn = (
    Opened,
    Vec<std::sync::Arc<str>>,
    Option<TagCounts>,
    Option<VersionSource>,
);

/// The index's rows in the list's order.
fn sort_rows(rows: &mut [Row], sort: SortKey) {
    match sort {
        SortKey::Imported => rows.sort_by(|a, b| {
            b.imported
                .cmp(&a.imported)
                .then_with(|| a.source_name.cmp(&b.source_name))
                .then_with(|| a.id.cmp(&b.id))
        }),
        SortKey::Published => {
            rows.sort_by(|a, b| b.published.cmp(&a.published).then_with(|| a.id.cmp(&b.id)))
        }
        SortKey::Headline => rows.sort_by_cached_key(|r| (r.title().to_lowercase(), r.id.clone())),
    }
}

/// Open the library at `root` for writing; a library that cannot be written (locked by another
/// Clipfile, a read-only folder, a full disk) is opened read-only, with the reason.
pub(super) fn open_library(root: &Path, progress: Option<&OpenProgress>) -> Opened {
    let open = |mode| match progress {
        Some(p) => Library::open_with_progress(root, mode, p),
        None => Library::open(root, mode),
    };
    match open(OpenMode::ReadWrite) {
        Ok(lib) => (Some(lib), None),
        Err(e) if root.is_dir() => match open(OpenMode::ReadOnly) {
            Ok(lib) => (Some(lib), Some(e.to_string())),
            Err(_) => (None, Some(e.to_string())),
        },
        Err(e) => (None, Some(e.to_string())),
    }
}

/// A library being read on another thread.
pub(super) struct Opening {
    rx: Receiver<Msg>,
    progress: Arc<OpenProgress>,
    /// The list as the index last saw it, shown (read only) until the library is open.
    rows: Option<Vec<Row>>,
    /// Files the user asked to import before the library was open.
    pending_imports: Vec<PathBuf>,
    /// The clipping to select once open, when the library holds it.
    pending_selection: Option<String>,
    /// The order the library is sorted in on the opening thread.
    sort: SortKey,
    /// The window to wake when the library (or the index's rows) arrive, once a frame has
    /// given it: a window asks for a frame only every 50 ms while it waits.
    wake: Arc<OnceLock<egui::Context>>,
}

impl Opening {
    /// Start reading the library at `root`; with a `gate`, the thread waits for it first
    /// (tests hold the open to look at the window meanwhile). None when no thread can start.
    pub(super) fn start(
        root: PathBuf,
        sort: SortKey,
        cache: Option<PathBuf>,
        gate: Option<Receiver<()>>,
    ) -> Option<Opening> {
        let progress = Arc::new(OpenProgress::default());
        let (tx, rx) = mpsc::channel();
        let counter = Arc::clone(&progress);
        let wake: Arc<OnceLock<egui::Context>> = Arc::default();
        let waker = Arc::clone(&wake);
        let wake_window = move || {
            if let Some(ctx) = waker.get() {
                ctx.request_repaint();
            }
        };
        let wake_after_rows = wake_window.clone();
        std::thread::Builder::new()
            .name("clipfile-open".into())
            .spawn(move || {
                // The index's rows are read beside the library, not before it: once the
                // library is read they are not needed (and not sent). With a records
                // snapshot the library is read about as fast as the rows (a second at
                // 100,000), so they are read only if it is not open after [`PEEK_DELAY`]:
                // reading both at once took a core from the open.
                let (opened_tx, opened_rx) = mpsc::channel::<()>();
                let delay = if gate.is_none() && crate::library::has_records_snapshot(&root) {
                    PEEK_DELAY
                } else {
                    Duration::ZERO
                };
                let peek = {
                    let (tx, root) = (tx.clone(), root.clone());
                    move || {
                        if !delay.is_zero()
                            && opened_rx.recv_timeout(delay) != Err(RecvTimeoutError::Timeout)
                        {
                            return;
                        }
                        let rows = cache
                            .or_else(crate::index::cache_dir)
                            .and_then(|cache| Index::peek_in(&root, &cache));
                        if let Some(mut rows) = rows {
                            sort_rows(&mut rows, sort);
                            let _ = tx.send(Msg::Rows(rows));
                            wake_after_rows();
                        }
                    }
                };
                let _ = std::thread::Builder::new()
                    .name("clipfile-peek".into())
                    .spawn(peek);
                if let Some(gate) = gate {
                    let _ = gate.recv();
                }
                let opened = open_library(&root, Some(&counter));
                drop(opened_tx);
                // The list's order, the tag counts and what the version index's first build
                // needs, side by side (each a fifth of a second at 100,000).
                let lib = opened.0.as_ref();
                let ((order, tags), versions) = rayon::join(
                    || {
                        rayon::join(
                            || lib.map(|lib| super::list::library_order(lib, sort)),
                            || lib.map(|lib| lib.tag_counts()),
                        )
                    },
                    || lib.map(VersionSource::of),
                );
                let order = order.unwrap_or_default();
                let _ = tx.send(Msg::Opened(Box::new((opened, order, tags, versions))));
                wake_window();
            })
            .ok()?;
        Some(Opening {
            rx,
            progress,
            rows: None,
            pending_imports: Vec::new(),
            pending_selection: None,
            sort,
            wake,
        })
    }
}

impl AppState {
    /// [`AppState::open_in_background`] with the index in the cache folder `cache` and the
    /// reading held until `gate` receives (or is dropped): for tests of what the window shows
    /// while a library opens.
    #[doc(hidden)]
    pub fn open_in_background_gated(
        root: PathBuf,
        sort: SortKey,
        cache: PathBuf,
        gate: Receiver<()>,
    ) -> Self {
        AppState::opening(root, sort, Some(cache), Some(gate))
    }

    /// The state over `root` with the library opening on a thread (see
    /// [`AppState::open_in_background`]); the index in `cache` when given.
    pub(super) fn opening(
        root: PathBuf,
        sort: SortKey,
        cache: Option<PathBuf>,
        gate: Option<Receiver<()>>,
    ) -> Self {
        let opening = Opening::start(root.clone(), sort, cache.clone(), gate);
        let mut state = match opening {
            Some(_) => AppState::with_library(root, None, None),
            // No thread to spare: open here, as before.
            None => AppState::open(root),
        };
        if let Some(cache) = cache {
            state.set_index_cache(cache);
        }
        state.sort = sort;
        state.opening = opening;
        state
    }

    /// While the library is being read: its list as the index last saw it (read only), when
    /// the library has an index.
    pub fn opening_rows(&self) -> Option<&[Row]> {
        self.opening.as_ref()?.rows.as_deref()
    }

    /// Give the opening thread the window to wake when the library arrives.
    pub(super) fn wake_when_open(&self, ctx: &egui::Context) {
        if let Some(opening) = &self.opening {
            let _ = opening.wake.set(ctx.clone());
        }
    }

    /// True while the library is still being read.
    pub fn is_opening(&self) -> bool {
        self.opening.is_some()
    }

    /// While the library is being read: records read so far, and how many there are (0 until
    /// the folder is listed).
    pub fn opening_progress(&self) -> Option<(usize, usize)> {
        self.opening
            .as_ref()
            .map(|o| (o.progress.read(), o.progress.total()))
    }

    /// Select `id` once the library is open, if it holds it (the selection remembered from
    /// the last run).
    pub fn select_when_open(&mut self, id: String) {
        match &mut self.opening {
            Some(opening) => opening.pending_selection = Some(id),
            None => {
                if self.library().is_some_and(|l| l.contains(&id)) {
                    self.selected = Some(id);
                }
            }
        }
    }

    /// Keep files to import until the library is open; false when it is open already.
    pub(super) fn import_when_open(&mut self, paths: &[PathBuf]) -> bool {
        match &mut self.opening {
            Some(opening) => {
                opening.pending_imports.extend_from_slice(paths);
                true
            }
            None => false,
        }
    }

    /// Take the library in once it has been read, then what was asked for meanwhile. True
    /// while it is still being read.
    pub(super) fn take_opened(&mut self) -> bool {
        let Some(opening) = &mut self.opening else {
            return false;
        };
        let opened = match opening.rx.try_recv() {
            Ok(Msg::Opened(opened)) => *opened,
            Ok(Msg::Rows(rows)) => {
                opening.rows = Some(rows);
                return true;
            }
            Err(TryRecvError::Empty) => return true,
            Err(TryRecvError::Disconnected) => (
                (
                    None,
                    Some("the thread reading the library stopped unexpectedly".to_string()),
                ),
                Vec::new(),
                None,
                None,
            ),
        };
        let (opened, order, tags, versions) = opened;
        let Some(opening) = self.opening.take() else {
            return false;
        };
        self.adopt_library(opened.0, opened.1);
        // The list's order as sorted on the opening thread.
        if let Some(lib) = &self.library {
            self.order = Some(((lib.instance(), lib.revision(), opening.sort), order.into()));
            if let Some(source) = versions {
                self.versions.offer_first_source(lib, source);
            }
        }
        if let Some(tags) = tags {
            self.offer_tag_counts(tags);
        }
        let Opening {
            rows,
            pending_imports,
            pending_selection,
            ..
        } = opening;
        // The index's rows are freed on another thread: at 100,000 freeing them takes a frame.
        if let Some(rows) = rows {
            let _ = std::thread::Builder::new()
                .name("clipfile-free-rows".into())
                .spawn(move || drop(rows));
        }
        if let Some(id) = pending_selection {
            self.select_when_open(id);
        }
        self.start_import(pending_imports);
        false
    }
}
