//! The app's state and the actions that change it, one file per concern: the list model
//! (`list`), the selection (`selection`), undo (`undo`), the edits (`edits`), background jobs
//! (`jobs`), the folder watcher (`watch`), the reader cache (`reading`), story versions
//! (`versions`) and the search worker over the SQLite index (`index_worker`). No drawing here, so every action is testable without a window.

mod action;
mod edits;
mod facets;
mod index_worker;
mod jobs;
mod list;
mod opening;
mod reading;
mod selection;
mod undo;
mod versions;
mod watch;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use crate::library::{ImportSummary, Library};
use crate::model::{Clipping, HighlightColor};
use crate::search::Query;

pub use super::notify::{Level, Notification, Notifications};
pub use action::Action;
pub use index_worker::{Gate, IndexStatus};
pub use jobs::ActiveImport;
pub use reading::Reading;
pub use selection::snap_to_words;
use undo::UndoStep;
pub use versions::VersionsState;

/// How the library list is ordered when no search ranks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum SortKey {
    /// Newest import first.
    #[default]
    Imported,
    /// Newest publication date first; undated last.
    Published,
    /// Headline A to Z.
    Headline,
}

impl SortKey {
    pub const ALL: [SortKey; 3] = [SortKey::Imported, SortKey::Published, SortKey::Headline];

    pub fn label(self) -> &'static str {
        match self {
            SortKey::Imported => "Imported",
            SortKey::Published => "Published",
            SortKey::Headline => "Headline",
        }
    }
}

/// The list's ids with no search or filter, and the library (instance, revision) and order
/// they were sorted for.
type ListOrder = ((u64, u64, SortKey), crate::ids::IdList);

/// The app's whole state apart from the drawing.
pub struct AppState {
    pub library: Option<Library>,
    pub library_root: PathBuf,
    /// Why the library could not be opened.
    pub open_error: Option<String>,
    pub selected: Option<String>,
    /// The clipping the user had selected when a search or filter left it out of the list
    /// (the selection then went to the first row, or to none): selected again as soon as the
    /// list shows it again, unless the user selects or trashes a clipping first. Typing a
    /// query letter by letter passes through queries that find nothing.
    pub left_out: Option<String>,
    pub query: Query,
    pub sort: SortKey,
    /// Shared with the list's order or the search's answer it was made from (100,000 ids are
    /// not copied in a frame).
    visible: crate::ids::IdList,
    visible_dirty: bool,
    /// Every id in the list's order with no search or filter, for the library (instance,
    /// revision) and order it was sorted for.
    order: Option<ListOrder>,
    pub import: Option<ActiveImport>,
    pub last_import: Option<ImportSummary>,
    /// The messages at the bottom of the window (a warning stays until dismissed).
    pub notifications: Notifications,
    undo: Vec<UndoStep>,
    redo: Vec<UndoStep>,
    /// The selected clipping's full parse (body paragraphs) and reading text, cached.
    reading: Option<(String, Arc<Reading>)>,
    /// Clippings picked with Ctrl/Shift-click, for tagging several at once.
    pub multi: BTreeSet<String>,
    /// The last non-empty selection in the reader, in characters of the reading text.
    pub text_selection: Option<(usize, usize)>,
    /// The highlight opened for editing.
    pub open_highlight: Option<String>,
    /// The search text's parse and the worker owning the SQLite index that answers it.
    search: list::Search,
    /// Changes made to the library folder by others while the app runs.
    watcher: Option<crate::library::watch::Watcher>,
    /// The watcher being started on another thread (at 100,000 clippings starting it took a
    /// frame).
    watcher_start:
        Option<std::sync::mpsc::Receiver<Result<crate::library::watch::Watcher, String>>>,
    /// The tag counts and the tag tree's ([`AppState::tag_counts`], [`AppState::tag_tree`]),
    /// kept until the library changes (read by several panels a frame).
    tags: std::cell::OnceCell<list::TagCounts>,
    /// Scroll the reader to this highlight on the next frame.
    pub scroll_to_highlight: Option<String>,
    /// Scroll the reader to this character of the reading text on the next frame.
    pub scroll_to_char: Option<usize>,
    /// Story versions: the version index, the fold toggle, the comparison.
    pub versions: VersionsState,
    /// The library-wide speakers, people and places.
    pub facets: facets::FacetsState,
    /// The color new highlights get.
    pub highlight_color: HighlightColor,
    /// In a narrow window: whether the detail panel is shown (it is a toggle there).
    pub show_details: bool,
    /// The library being read on a background thread (see [`AppState::open_in_background`]).
    opening: Option<opening::Opening>,
}

impl AppState {
    /// Open the library at `root` now; a failure is kept and shown, not fatal.
    pub fn open(root: PathBuf) -> Self {
        let (library, open_error) = opening::open_library(&root, None);
        AppState::with_library(root, library, open_error)
    }

    /// The state over `root` at once, with the library opening on a background thread: the
    /// window paints a progress view meanwhile, and [`AppState::poll`] takes the library in.
    /// The list is ordered by `sort`, the index's rows already while it opens.
    pub fn open_in_background(root: PathBuf, sort: SortKey) -> Self {
        AppState::opening(root, sort, None, None)
    }

    fn with_library(root: PathBuf, library: Option<Library>, open_error: Option<String>) -> Self {
        let mut state = AppState {
            library: None,
            library_root: root,
            open_error: None,
            selected: None,
            left_out: None,
            query: Query::default(),
            sort: SortKey::default(),
            visible: crate::ids::IdList::default(),
            visible_dirty: true,
            order: None,
            import: None,
            last_import: None,
            notifications: Notifications::default(),
            undo: Vec::new(),
            redo: Vec::new(),
            reading: None,
            multi: BTreeSet::new(),
            text_selection: None,
            open_highlight: None,
            scroll_to_highlight: None,
            scroll_to_char: None,
            search: Default::default(),
            watcher: None,
            watcher_start: None,
            tags: Default::default(),
            versions: Default::default(),
            facets: Default::default(),
            highlight_color: HighlightColor::Yellow,
            show_details: false,
            opening: None,
        };
        state.adopt_library(library, open_error);
        state
    }

    /// Take in an opened library (or why it could not be opened); a read-only one says why.
    fn adopt_library(&mut self, library: Option<Library>, open_error: Option<String>) {
        self.library = library;
        self.open_error = open_error;
        self.refresh();
        if let Some(lib) = &self.library
            && lib.is_read_only()
        {
            let text = format!(
                "Read-only: {}",
                self.open_error
                    .as_deref()
                    .unwrap_or("the library cannot be written")
            );
            self.notifications.push(Notification::error(text));
        }
    }

    pub fn library(&self) -> Option<&Library> {
        self.library.as_ref()
    }

    /// The selected clipping.
    pub fn selected_clipping(&self) -> Option<&Clipping> {
        let id = self.selected.as_ref()?;
        self.library.as_ref()?.get(id)
    }

    /// Bring what the panels read up to date before they are drawn: the list, the selected
    /// clipping's reading, the tag counts and the versions. The panels then only read.
    pub fn prepare(&mut self, ctx: &egui::Context) {
        use crate::ui::timed;
        self.wake_when_open(ctx);
        timed("search", || self.prepare_search(ctx));
        timed("list", || {
            self.visible();
        });
        timed("reading", || self.load_reading());
        timed("tag counts", || {
            self.tag_counts();
        });
        timed("versions", || {
            self.versions
                .prepare(self.library.as_ref(), self.selected.as_deref(), ctx)
        });
        timed("facets", || self.prepare_facets(ctx));
    }

    /// The search, a filter or the order changed: the list is computed again (the tag counts,
    /// which count the whole library, are kept).
    pub fn refilter(&mut self) {
        self.visible_dirty = true;
    }

    /// Something in the library changed: the list and the tag counts are computed again.
    pub fn refresh(&mut self) {
        self.visible_dirty = true;
        self.tags = Default::default();
    }

    /// Say something at the bottom of the window: an error (or warning) stays until dismissed.
    fn say(&mut self, text: impl Into<String>, is_error: bool, undo: bool) {
        let level = if is_error { Level::Error } else { Level::Info };
        let mut notification = Notification::new(level, text);
        notification.undo = undo;
        self.notifications.push(notification);
    }

    /// Add a message to the queue at the bottom of the window.
    pub fn notify(&mut self, notification: Notification) {
        self.notifications.push(notification);
    }

    /// The newest message.
    pub fn notice(&self) -> Option<&Notification> {
        self.notifications.latest()
    }

    fn writable(&mut self) -> Option<&mut Library> {
        if self.opening.is_some() {
            self.say(
                "The library is still opening: try again in a moment.",
                true,
                false,
            );
            return None;
        }
        if self.library.as_ref().is_some_and(Library::is_read_only) {
            self.say(
                "The library is read-only: close the other Clipfile first.",
                true,
                false,
            );
            return None;
        }
        self.library.as_mut()
    }
}

pub use crate::library::plural;

pub use crate::library::edit::validate_field;
