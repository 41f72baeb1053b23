//! The app's state and the small set of actions that change it; no drawing here, so every
//! action is testable without a window.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use crate::anchor;
use crate::library::edit::{self, Changed, EditError};
use crate::library::{FileReport, ImportJob, ImportMsg, ImportSummary, Library, OpenMode, Outcome};
use crate::model::{ArticleMetadata, ClipId, Clipping, Field, HighlightColor, HighlightId};
use crate::parse;
use crate::sample;
use crate::search::{self, Query};

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

/// A change the reader asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Import files and folders in the background.
    Import(Vec<PathBuf>),
    /// Import the bytes of a drop that has no path (text dragged from a browser).
    ImportBytes(Vec<u8>),
    /// Import the built-in sample clipping.
    LoadSample,
    Select(String),
    /// Move the selection up (-1) or down (+1) the visible list.
    MoveSelection(i32),
    SetSearch(String),
    /// Add a tag filter, or remove it if present.
    ToggleTagFilter(String),
    /// Show only clippings crediting this person or organization (None: all).
    FilterCredit(Option<String>),
    /// Show only clippings quoting this speaker (None: all).
    FilterSpeaker(Option<String>),
    /// Show only clippings whose body mentions this person or place (None: all).
    FilterMention(Option<String>),
    /// Scroll the reader to this character of the reading text (a quotation).
    JumpTo(usize),
    /// The reader has scrolled where it was asked to.
    ScrollDone,
    ClearFilters,
    SetSort(SortKey),
    EditField(Field, String),
    ResetField(Field),
    /// Move the selected clipping to the trash.
    TrashSelected,
    Undo,
    Redo,
    CancelImport,
    /// Clear every message at the bottom of the window.
    DismissNotice,
    /// Clear one message (by its id in the queue).
    DismissNotification(u64),
    /// Ctrl/Cmd-click: add a clipping to the multi-selection, or take it out.
    ToggleMultiSelect(String),
    /// Shift-click: select the visible rows from the current selection to this one.
    SelectRangeTo(String),
    /// Remember the reader's selection (characters of the reading text), kept when focus moves.
    SetTextSelection(Option<(usize, usize)>),
    /// Highlight the remembered selection.
    HighlightSelection(HighlightColor),
    OpenHighlight(Option<String>),
    /// Re-attach a highlight (an orphan) to a range of the reading text, or to the remembered
    /// selection when none is given.
    AttachHighlight(String, Option<(usize, usize)>),
    SetHighlightColor(String, HighlightColor),
    SetHighlightComment(String, String),
    AddHighlightTag(String, String),
    RemoveHighlightTag(String, String),
    RemoveHighlight(String),
    /// Replace a clipping's notes.
    SetNotes {
        id: String,
        text: String,
    },
    /// Add a tag to the selected clipping, or to every clipping of the multi-selection.
    AddTag(String),
    RemoveTag(String),
    /// Rename a tag (and its children) across the library; merging into an existing tag.
    RenameTag {
        from: String,
        to: String,
    },
    SetTagColor(String, Option<[u8; 3]>),
    /// Fold each story's versions into one row of the list, or not.
    FoldVersions(bool),
    /// Show two versions side by side (old, new), or close the comparison.
    CompareVersions(Option<(String, String)>),
    /// Copy another version's highlights to the selected clipping (re-anchored, marked copied).
    CopyHighlightsFrom(String),
}

/// Something reversible the reader did.
#[derive(Debug, Clone, PartialEq)]
enum UndoStep {
    /// A clipping moved to the trash: restore it (redo: trash it again).
    Trashed(String),
    /// Clipping records as they were before an edit (annotations, overrides, tags).
    Records(Vec<Clipping>),
}

pub use super::notify::{Level, Notification, Notifications};

/// An import under way.
#[derive(Debug)]
pub struct ActiveImport {
    pub job: ImportJob,
    pub reports: Vec<FileReport>,
}

/// The app's whole state apart from the drawing.
pub struct AppState {
    pub library: Option<Library>,
    pub library_root: PathBuf,
    /// Why the library could not be opened.
    pub open_error: Option<String>,
    pub selected: Option<String>,
    pub query: Query,
    pub sort: SortKey,
    visible: Vec<String>,
    visible_dirty: bool,
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
    /// Lowercased copies of what a search reads, kept between queries.
    search_index: search::SearchIndex,
    /// The search index being built in the background after opening.
    index_build: Option<std::sync::mpsc::Receiver<search::BuiltEntries>>,
    /// Changes made to the library folder by others while the app runs.
    watcher: Option<crate::library::watch::Watcher>,
    /// Tags with their counts, kept until the library changes (read by several panels a frame).
    tag_counts: std::cell::OnceCell<Vec<(String, usize)>>,
    /// Every tag and parent tag with how many clippings carry it or one of its children.
    tag_tree: std::cell::OnceCell<Vec<(String, usize)>>,
    /// Scroll the reader to this highlight on the next frame.
    pub scroll_to_highlight: Option<String>,
    /// Scroll the reader to this character of the reading text on the next frame.
    pub scroll_to_char: Option<usize>,
    /// Story versions: the version index, the fold toggle, the comparison.
    pub versions: super::versions::VersionsState,
    /// The color new highlights get.
    pub highlight_color: HighlightColor,
    /// In a narrow window: whether the detail panel is shown (it is a toggle there).
    pub show_details: bool,
}

/// The selected clipping as the reader shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub meta: ArticleMetadata,
    /// The body paragraphs joined: the text highlights are anchored in.
    pub text: String,
}

impl AppState {
    /// Open the library at `root`; a failure is kept and shown, not fatal.
    pub fn open(root: PathBuf) -> Self {
        // A library that cannot be written (locked by another Clipfile, a read-only folder, a
        // full disk) is still shown, read-only, with the reason.
        let (library, open_error) = match Library::open(&root, OpenMode::ReadWrite) {
            Ok(lib) => (Some(lib), None),
            Err(e) if root.is_dir() => match Library::open(&root, OpenMode::ReadOnly) {
                Ok(lib) => (Some(lib), Some(e.to_string())),
                Err(_) => (None, Some(e.to_string())),
            },
            Err(e) => (None, Some(e.to_string())),
        };
        let mut state = AppState {
            library,
            library_root: root,
            open_error,
            selected: None,
            query: Query::default(),
            sort: SortKey::default(),
            visible: Vec::new(),
            visible_dirty: true,
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
            search_index: search::SearchIndex::new(),
            index_build: None,
            watcher: None,
            tag_counts: Default::default(),
            tag_tree: Default::default(),
            versions: Default::default(),
            highlight_color: HighlightColor::Yellow,
            show_details: false,
        };
        if let Some(lib) = &state.library
            && lib.is_read_only()
        {
            let text = format!(
                "Read-only: {}",
                state
                    .open_error
                    .as_deref()
                    .unwrap_or("the library cannot be written")
            );
            state.notifications.push(Notification::error(text));
        }
        state
    }

    pub fn library(&self) -> Option<&Library> {
        self.library.as_ref()
    }

    /// The selected clipping.
    pub fn selected_clipping(&self) -> Option<&Clipping> {
        let id = self.selected.as_ref()?;
        self.library.as_ref()?.get(id)
    }

    /// The selected clipping's full parse and reading text, as last loaded by
    /// [`AppState::load_reading`] (the app loads it before each frame). Never writes.
    pub fn reading(&self) -> Option<Arc<Reading>> {
        let id = self.selected.as_ref()?;
        match &self.reading {
            Some((cached, reading)) if cached == id => Some(reading.clone()),
            _ => None,
        }
    }

    /// Parse the selected clipping for reading, once per selection. On first view its
    /// highlights are re-anchored in the text (after a re-parse the text may have shifted) and
    /// the record saved: this is the step that may write, so it is explicit.
    pub fn load_reading(&mut self) -> Option<Arc<Reading>> {
        if let Some(reading) = self.reading() {
            return Some(reading);
        }
        let id = self.selected.clone()?;
        let text = self.library.as_ref()?.text(&id)?.clone();
        let meta = parse::parse_article(&text);
        let reading = Arc::new(Reading {
            text: anchor::reading_text(&meta),
            meta,
        });
        self.reading = Some((id.clone(), reading.clone()));
        if let Some(lib) = &mut self.library
            && !lib.is_read_only()
        {
            // A failed save is kept among the library's problems, the anchors current in memory.
            lib.reanchor(Some(&id));
        }
        Some(reading)
    }

    /// Bring what the panels read up to date before they are drawn: the list, the selected
    /// clipping's reading, the tag counts and the versions. The panels then only read.
    pub fn prepare(&mut self, ctx: &egui::Context) {
        self.visible();
        self.load_reading();
        self.tag_counts();
        self.tag_tree();
        self.versions.prepare(
            self.library.as_ref(),
            self.selected.as_deref(),
            &self.visible,
            ctx,
        );
    }

    /// The ids shown in the library list as last computed (see [`AppState::visible`]).
    pub fn shown(&self) -> &[String] {
        &self.visible
    }

    /// The ids shown in the library list, filtered and ordered.
    ///
    /// The selection stays inside what is shown: when a search or filter leaves the selected
    /// clipping out, the best match (the first one shown) takes its place, or nothing is
    /// selected when nothing matches. Picked rows outside the list are dropped too.
    pub fn visible(&mut self) -> &[String] {
        if self.visible_dirty {
            self.visible = self.compute_visible();
            self.visible_dirty = false;
            self.keep_selection_visible();
        }
        &self.visible
    }

    fn keep_selection_visible(&mut self) {
        // While an import runs the list grows under the selection; it is settled at the end.
        if self.import.is_some() {
            return;
        }
        let shown: std::collections::HashSet<&String> = self.visible.iter().collect();
        self.multi.retain(|id| shown.contains(id));
        if let Some(id) = &self.selected
            && !shown.contains(id)
        {
            self.selected = self.visible.first().cloned();
            self.text_selection = None;
            self.open_highlight = None;
        }
    }

    fn compute_visible(&mut self) -> Vec<String> {
        let Some(lib) = &self.library else {
            return Vec::new();
        };
        let mut hits = if self.query.text.trim().is_empty() {
            let items = lib
                .clippings()
                .map(|c| (c, lib.text(&c.id).map(|t| &**t).unwrap_or("")));
            search::run(items, &self.query)
        } else {
            self.search_index.run(lib, &self.query)
        };
        if self.query.text.trim().is_empty() {
            match self.sort {
                // Newest batch first; within one batch (same import time) in the order of the
                // files' names, as a folder lists them, not in the ids' random order.
                SortKey::Imported => hits.sort_by(|a, b| {
                    b.imported
                        .cmp(&a.imported)
                        .then_with(|| a.source_name.cmp(&b.source_name))
                        .then(a.id.cmp(&b.id))
                }),
                SortKey::Published => hits.sort_by(|a, b| {
                    b.field(Field::Published)
                        .cmp(&a.field(Field::Published))
                        .then(a.id.cmp(&b.id))
                }),
                SortKey::Headline => {
                    hits.sort_by_cached_key(|c| (c.title().to_lowercase(), c.id.clone()))
                }
            }
        }
        let ids = hits.into_iter().map(|c| c.id.clone()).collect();
        if self.versions.fold {
            return self.versions.fold(lib, ids, self.selected.as_deref());
        }
        ids
    }

    /// Start building the search index on a background thread if it was never built (later
    /// changes are taken in by the next search). A search typed before it is done builds what
    /// it needs itself.
    pub fn warm_search_index(&mut self) {
        if let Some(lib) = &self.library
            && !self.search_index.is_built()
            && self.index_build.is_none()
        {
            let source = search::IndexSource::of(lib);
            let (tx, rx) = std::sync::mpsc::channel();
            let spawned = std::thread::Builder::new()
                .name("clipfile-search-index".into())
                .spawn(move || {
                    let _ = tx.send(source.build());
                });
            if spawned.is_ok() {
                self.index_build = Some(rx);
            }
        }
    }

    /// Take the search index built in the background, when it is ready.
    fn take_index_build(&mut self) {
        if let Some(rx) = &self.index_build {
            match rx.try_recv() {
                Ok(built) => {
                    self.search_index.adopt(built);
                    self.index_build = None;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {}
                Err(std::sync::mpsc::TryRecvError::Disconnected) => self.index_build = None,
            }
        }
    }

    pub fn search_index_is_built(&self) -> bool {
        self.search_index.is_built()
    }

    /// Something in the library changed: the list and the tag counts are computed again.
    pub fn refresh(&mut self) {
        self.visible_dirty = true;
        self.tag_counts = Default::default();
        self.tag_tree = Default::default();
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

    /// Apply one action.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Import(paths) => self.start_import(paths),
            Action::FoldVersions(fold) => {
                self.versions.fold = fold;
                self.refresh();
            }
            Action::CompareVersions(pair) => self.versions.compare = pair,
            Action::CopyHighlightsFrom(from) => self.copy_highlights_from(&from),
            Action::ImportBytes(bytes) => self.import_bytes(&bytes),
            Action::LoadSample => {
                let Some(lib) = self.writable() else { return };
                match lib.import_text(sample::SEED_NAME, sample::SEED_TEXT) {
                    Ok(Outcome::Imported { id, .. }) | Ok(Outcome::Duplicate { id, .. }) => {
                        self.selected = Some(id);
                        self.refresh();
                    }
                    Ok(other) => self.say(other.describe(), true, false),
                    Err(e) => self.say(e.to_string(), true, false),
                }
            }
            Action::Select(id) => {
                if self.selected.as_ref() != Some(&id) {
                    self.text_selection = None;
                    self.open_highlight = None;
                }
                self.multi.clear();
                self.selected = Some(id);
                // A folded group shows the selected version as its row.
                if self.versions.fold {
                    self.visible_dirty = true;
                }
            }
            Action::MoveSelection(delta) => {
                let current = self.selected.clone();
                let visible = self.visible();
                if visible.is_empty() {
                    return;
                }
                let next = match current.and_then(|id| visible.iter().position(|v| *v == id)) {
                    Some(i) => {
                        (i as i64 + i64::from(delta)).clamp(0, visible.len() as i64 - 1) as usize
                    }
                    None if delta < 0 => visible.len() - 1,
                    None => 0,
                };
                let next = visible[next].clone();
                self.apply(Action::Select(next));
            }
            Action::SetSearch(text) => {
                self.query.text = text;
                self.refresh();
            }
            Action::ToggleTagFilter(tag) => {
                if let Some(i) = self.query.tags.iter().position(|t| *t == tag) {
                    self.query.tags.remove(i);
                } else {
                    self.query.tags.push(tag);
                }
                self.refresh();
            }
            Action::FilterCredit(who) => {
                self.query.credit = who;
                self.refresh();
            }
            Action::FilterSpeaker(who) => {
                self.query.speaker = who;
                self.refresh();
            }
            Action::FilterMention(what) => {
                self.query.mention = what;
                self.refresh();
            }
            Action::JumpTo(at) => self.scroll_to_char = Some(at),
            Action::ScrollDone => {
                self.scroll_to_char = None;
                self.scroll_to_highlight = None;
            }
            Action::ClearFilters => {
                self.query = Query::default();
                self.refresh();
            }
            Action::SetSort(sort) => {
                self.sort = sort;
                self.refresh();
            }
            Action::EditField(field, value) => {
                if let Err(why) = validate_field(field, &value) {
                    self.say(why, true, false);
                    return;
                }
                self.change_selected(|lib, id| edit::set_field(lib, id, field, &value));
            }
            Action::ResetField(field) => {
                self.change_selected(|lib, id| edit::reset_field(lib, id, field));
            }
            Action::TrashSelected => self.trash_selected(),
            Action::Undo => self.undo(),
            Action::Redo => self.redo(),
            Action::ToggleMultiSelect(id) => {
                if self.multi.is_empty()
                    && let Some(current) = &self.selected
                {
                    self.multi.insert(current.clone());
                }
                if !self.multi.remove(&id) {
                    self.multi.insert(id.clone());
                }
                self.selected = Some(id);
            }
            Action::SelectRangeTo(id) => {
                let anchor_id = self.selected.clone();
                let visible = self.visible().to_vec();
                let to = visible.iter().position(|v| *v == id);
                let from = anchor_id.and_then(|a| visible.iter().position(|v| *v == a));
                if let (Some(from), Some(to)) = (from, to) {
                    let (a, b) = (from.min(to), from.max(to));
                    self.multi = visible[a..=b].iter().cloned().collect();
                }
                self.selected = Some(id);
            }
            Action::SetTextSelection(range) => {
                self.text_selection = range.filter(|(a, b)| a < b);
            }
            Action::HighlightSelection(color) => self.highlight_selection(color),
            Action::AttachHighlight(hid, range) => self.attach_highlight(&hid, range),
            Action::OpenHighlight(id) => {
                self.scroll_to_highlight = id.clone();
                self.open_highlight = id;
            }
            Action::SetHighlightColor(hid, color) => {
                let hid = HighlightId(hid);
                self.change_selected(|lib, id| edit::set_highlight_color(lib, id, &hid, color));
            }
            Action::SetHighlightComment(hid, comment) => {
                let hid = HighlightId(hid);
                self.change_selected(|lib, id| {
                    edit::set_highlight_comment(lib, id, &hid, &comment)
                });
            }
            Action::AddHighlightTag(hid, tag) => {
                let hid = HighlightId(hid);
                self.change_selected(|lib, id| edit::add_highlight_tag(lib, id, &hid, &tag));
            }
            Action::RemoveHighlightTag(hid, tag) => {
                let hid = HighlightId(hid);
                self.change_selected(|lib, id| edit::remove_highlight_tag(lib, id, &hid, &tag));
            }
            Action::RemoveHighlight(hid) => {
                if self.open_highlight.as_ref() == Some(&hid) {
                    self.open_highlight = None;
                }
                let hid = HighlightId(hid);
                if self.change_selected(|lib, id| edit::remove_highlight(lib, id, &hid)) {
                    self.say("Removed the highlight", false, true);
                }
            }
            Action::SetNotes { id, text } => {
                // The draft names its clipping: saved there whatever is selected now.
                let Some(lib) = self.writable() else { return };
                let result = edit::set_notes(lib, &ClipId(id), &text);
                self.change_records(result);
            }
            Action::AddTag(tag) => {
                self.change_targets(|lib, ids| edit::add_tag(lib, ids, &tag));
            }
            Action::RemoveTag(tag) => {
                self.change_targets(|lib, ids| edit::remove_tag(lib, ids, &tag));
            }
            Action::RenameTag { from, to } => self.rename_tag(&from, &to),
            Action::SetTagColor(tag, color) => {
                let Some(lib) = self.writable() else { return };
                if let Err(e) = edit::set_tag_color(lib, &tag, color) {
                    self.say(e.to_string(), true, false);
                }
            }
            Action::CancelImport => {
                if let Some(import) = &self.import {
                    import.job.cancel();
                }
            }
            Action::DismissNotice => self.notifications.clear(),
            Action::DismissNotification(id) => self.notifications.dismiss(id),
        }
    }

    /// Make an edit (a `library::edit` function) of the selected clipping undoable; true when
    /// it changed something.
    fn change_selected(
        &mut self,
        edit: impl FnOnce(&mut Library, &ClipId) -> Result<Changed, EditError>,
    ) -> bool {
        let Some(id) = self.selected.clone() else {
            return false;
        };
        let Some(lib) = self.writable() else {
            return false;
        };
        let result = edit(lib, &ClipId(id));
        self.change_records(result)
    }

    /// Edit the multi-selection (or else the selected clipping).
    fn change_targets(
        &mut self,
        edit: impl FnOnce(&mut Library, &[ClipId]) -> Result<Changed, EditError>,
    ) -> bool {
        let ids: Vec<ClipId> = if self.multi.is_empty() {
            self.selected.iter().map(ClipId::from).collect()
        } else {
            self.multi.iter().map(ClipId::from).collect()
        };
        if ids.is_empty() {
            return false;
        }
        let Some(lib) = self.writable() else {
            return false;
        };
        let result = edit(lib, &ids);
        self.change_records(result)
    }

    /// Take in an edit's result: one undo step for all that changed, the error said. True when
    /// something changed.
    fn change_records(&mut self, result: Result<Changed, EditError>) -> bool {
        let (before, error) = match result {
            Ok(changed) => (changed.before, None),
            // Saved in part: what was saved is undoable, the failure is said.
            Err(EditError::Stopped { before, source }) => (before, Some(source.to_string())),
            // Nothing to add (the action carried an empty tag): nothing to say either.
            Err(EditError::EmptyTag) => (Vec::new(), None),
            Err(e) => (Vec::new(), Some(e.to_string())),
        };
        let changed = !before.is_empty();
        if changed {
            self.undo.push(UndoStep::Records(before));
            self.redo.clear();
            self.refresh();
        }
        if let Some(e) = error {
            self.say(e, true, false);
        }
        changed
    }

    fn highlight_selection(&mut self, color: HighlightColor) {
        let Some((start, end)) = self.text_selection else {
            self.say(
                "Select a passage in the text first, then highlight it.",
                false,
                false,
            );
            return;
        };
        let Some(reading) = self.load_reading() else {
            return;
        };
        let (start, end) = snap_to_words(&reading.text, start, end);
        let mut made = None;
        let new = edit::NewHighlight {
            start,
            end,
            color,
            ..Default::default()
        };
        self.change_selected(|lib, id| {
            edit::add_highlight(lib, id, new).map(|(hid, changed)| {
                made = Some(hid);
                changed
            })
        });
        let Some(hid) = made else { return };
        self.text_selection = None;
        self.open_highlight = Some(hid.0);
    }

    fn attach_highlight(&mut self, hid: &str, range: Option<(usize, usize)>) {
        let Some((start, end)) = range.or(self.text_selection) else {
            self.say(
                "Select the passage in the text first, then press Attach here.",
                false,
                false,
            );
            return;
        };
        // The edit finds the reading text itself; a clipping without one has nothing to attach to.
        if self.load_reading().is_none() {
            return;
        }
        let highlight = HighlightId::from(hid);
        self.change_selected(|lib, id| edit::attach_highlight(lib, id, &highlight, start, end));
        self.text_selection = None;
        self.open_highlight = Some(hid.to_string());
    }

    /// Carry the highlights of another version of the story to the selected clipping.
    fn copy_highlights_from(&mut self, from: &str) {
        let Some(source) = self.library.as_ref().and_then(|l| l.get(from)) else {
            return;
        };
        let source = source.highlights.clone();
        let Some(reading) = self.load_reading() else {
            return;
        };
        let existing = self
            .selected_clipping()
            .map(|c| c.highlights.clone())
            .unwrap_or_default();
        let copies = crate::versions::carry_highlights(
            &source,
            from,
            &reading.text,
            &existing,
            crate::model::new_highlight_id,
        );
        if copies.is_empty() {
            self.say(
                "None of that version's highlights is found here (or all are copied already).",
                false,
                false,
            );
            return;
        }
        let n = copies.len();
        self.change_selected(|lib, id| edit::add_highlights(lib, id, copies));
        self.say(
            format!(
                "Copied {} to this version.",
                crate::library::plural(n, "highlight", "highlights")
            ),
            false,
            true,
        );
    }

    fn rename_tag(&mut self, from: &str, to: &str) {
        let Some(lib) = self.writable() else { return };
        let result = edit::rename_tag(lib, from, to);
        let renamed = match &result {
            Ok(changed) => changed.len(),
            Err(EditError::Stopped { before, .. }) => before.len(),
            Err(_) => 0,
        };
        let failed = result.is_err();
        if matches!(&result, Ok(c) if c.is_empty()) && crate::model::normalize_tag(to) == from {
            return;
        }
        self.change_records(result);
        let to = crate::model::normalize_tag(to);
        for t in &mut self.query.tags {
            if let Some(new) = edit::renamed_tag(t, from, &to) {
                *t = new;
            }
        }
        self.refresh();
        if failed {
            return;
        }
        self.say(
            format!(
                "Renamed tag {from} to {to} in {}",
                plural(renamed, "clipping", "clippings")
            ),
            false,
            false,
        );
    }

    /// Import dropped bytes as one clipping.
    fn import_bytes(&mut self, bytes: &[u8]) {
        let decoded = match crate::decode::decode(bytes) {
            Ok(decoded) => decoded,
            Err(e) => {
                self.say(
                    format!("The dropped item is not article text: {e}"),
                    true,
                    false,
                );
                return;
            }
        };
        let Some(lib) = self.writable() else { return };
        match lib.import_text("dropped text", &decoded.text) {
            Ok(Outcome::Imported { .. }) => self.refresh(),
            Ok(other) => {
                let skipped = matches!(other, Outcome::Skipped(_));
                self.refresh();
                self.say(
                    format!("Dropped text: {}", other.describe()),
                    skipped,
                    false,
                );
            }
            Err(e) => self.say(e.to_string(), true, false),
        }
    }

    fn trash_selected(&mut self) {
        let Some(id) = self.selected.clone() else {
            return;
        };
        // The next clipping in the list takes the selection.
        let visible = self.visible().to_vec();
        let next = visible
            .iter()
            .position(|v| *v == id)
            .and_then(|i| {
                visible
                    .get(i + 1)
                    .or_else(|| i.checked_sub(1).and_then(|j| visible.get(j)))
            })
            .cloned();
        let Some(lib) = self.writable() else { return };
        match edit::trash(lib, &ClipId::from(&id)) {
            Ok(c) => {
                let text = format!("Moved \u{201c}{}\u{201d} to the trash", c.title());
                self.undo.push(UndoStep::Trashed(id));
                self.redo.clear();
                self.selected = next;
                self.refresh();
                self.say(text, false, true);
            }
            Err(e) => self.say(e.to_string(), true, false),
        }
    }

    fn undo(&mut self) {
        let Some(step) = self.undo.pop() else {
            self.say("Nothing to undo", false, false);
            return;
        };
        match self.reverse(step) {
            Ok(redo) => {
                self.redo.push(redo);
                self.say("Undone", false, false);
            }
            Err(e) => self.say(e, true, false),
        }
    }

    fn redo(&mut self) {
        let Some(step) = self.redo.pop() else {
            self.say("Nothing to redo", false, false);
            return;
        };
        match self.reverse(step) {
            Ok(undo) => {
                self.undo.push(undo);
                self.say("Redone", false, false);
            }
            Err(e) => self.say(e, true, false),
        }
    }

    /// Put back what a step recorded; returns the step that reverses this.
    fn reverse(&mut self, step: UndoStep) -> Result<UndoStep, String> {
        let Some(lib) = self.writable() else {
            return Err("The library is read-only.".into());
        };
        let (result, selected) = match step {
            UndoStep::Trashed(id) if lib.contains(&id) => {
                let r = edit::trash(lib, &ClipId::from(&id))
                    .map(|_| UndoStep::Trashed(id))
                    .map_err(|e| e.to_string());
                (r, None)
            }
            UndoStep::Trashed(id) => {
                let r = edit::restore(lib, &id)
                    .map(|_| UndoStep::Trashed(id.clone()))
                    .map_err(|e| e.to_string());
                (r, Some(id))
            }
            UndoStep::Records(records) => {
                let selected = records.first().map(|c| c.id.clone());
                let r = edit::put_back(lib, records)
                    .map(|changed| UndoStep::Records(changed.before))
                    .map_err(|e| match e {
                        EditError::Stopped { source, .. } => source.to_string(),
                        e => e.to_string(),
                    });
                (r, selected)
            }
        };
        if let Some(id) = selected {
            self.selected = Some(id);
        } else if self
            .selected
            .as_ref()
            .is_some_and(|id| !self.library.as_ref().is_some_and(|l| l.contains(id)))
        {
            self.selected = None;
        }
        self.refresh();
        result
    }

    fn start_import(&mut self, paths: Vec<PathBuf>) {
        if paths.is_empty() {
            return;
        }
        if self.import.is_some() {
            self.say(
                "An import is already running: wait for it or cancel it.",
                true,
                false,
            );
            return;
        }
        let Some(lib) = self.writable() else { return };
        match lib.start_import(paths) {
            Ok(job) => {
                self.import = Some(ActiveImport {
                    job,
                    reports: Vec::new(),
                });
                self.last_import = None;
            }
            Err(e) => self.say(e.to_string(), true, false),
        }
    }

    /// Watch the library folder for outside changes; `wake` asks for a frame.
    pub fn watch(&mut self, wake: impl Fn() + Send + 'static) {
        if let Some(lib) = &self.library
            && self.watcher.is_none()
        {
            match crate::library::watch::Watcher::start(lib.root(), wake) {
                Ok(w) => self.watcher = Some(w),
                Err(e) => self.say(
                    format!("Changes made outside Clipfile will show after a restart: {e}"),
                    false,
                    false,
                ),
            }
        }
    }

    /// Take in files changed by others (a sync tool, another machine).
    fn take_outside_changes(&mut self) {
        let Some(watcher) = &self.watcher else { return };
        let paths = watcher.changed();
        if paths.is_empty() {
            return;
        }

        let importing = self.import.is_some();
        let Some(lib) = &mut self.library else { return };
        let mut ids: Vec<String> = paths.iter().filter_map(|p| lib.notice_file(p)).collect();
        ids.sort();
        ids.dedup();
        let mut changed = 0;
        for id in ids {
            // Files our own import is writing arrive with the import's messages.
            if importing && !lib.contains(&id) {
                continue;
            }
            match lib.reload(&id) {
                crate::library::Reload::Unchanged => {}
                _ => changed += 1,
            }
        }
        if changed > 0 {
            self.reading = None;
            self.refresh();
            if self
                .selected
                .as_ref()
                .is_some_and(|id| !self.library.as_ref().is_some_and(|l| l.contains(id)))
            {
                self.selected = None;
            }
            let noun = if changed == 1 {
                "clipping"
            } else {
                "clippings"
            };
            self.say(
                format!("{changed} {noun} changed on disk and were reloaded"),
                false,
                false,
            );
        }
    }

    /// Take in what a running import has done; call once a frame. True while it runs.
    pub fn poll(&mut self) -> bool {
        self.take_outside_changes();
        self.take_index_build();
        let Some(import) = &mut self.import else {
            return false;
        };
        let mut finished = None;
        let mut got_any = false;
        while let Some(msg) = import.job.try_recv() {
            if let Some(lib) = &mut self.library {
                lib.accept(&msg);
            }
            got_any = true;
            match msg {
                ImportMsg::File { report, .. } => import.reports.push(report),
                ImportMsg::Done { cancelled } => {
                    finished = Some(cancelled);
                    break;
                }
            }
        }
        if got_any {
            self.refresh();
        }
        if let Some(cancelled) = finished
            && let Some(import) = self.import.take()
        {
            let mut reports = import.reports;
            reports.sort_by_key(|r| r.index);
            let summary = ImportSummary { reports, cancelled };
            if self.selected.is_none()
                && let Some(id) = summary.reports.iter().find_map(|r| match &r.outcome {
                    Outcome::Imported { id, .. } => Some(id.clone()),
                    _ => None,
                })
            {
                self.selected = Some(id);
            }
            let level = if summary.skipped() > 0 {
                Level::Warning
            } else {
                Level::Info
            };
            let mut notification = Notification::new(level, summary.headline());
            notification.import_details = true;
            self.notifications.push(notification);
            self.last_import = Some(summary);
            return false;
        }
        true
    }

    /// Every tag and every parent of one ("russia" for "russia/syria"), by name, each with how
    /// many clippings carry it or any tag under it (a clipping counts once).
    pub fn tag_tree(&self) -> &[(String, usize)] {
        let library = &self.library;
        self.tag_tree.get_or_init(|| match library {
            Some(lib) => tag_tree_counts(lib.clippings().map(|c| c.tags.as_slice())),
            None => Vec::new(),
        })
    }

    /// Tags used in the library with how many clippings carry each, by name.
    pub fn tag_counts(&self) -> &[(String, usize)] {
        let library = &self.library;
        self.tag_counts.get_or_init(|| {
            let mut counts = std::collections::BTreeMap::<String, usize>::new();
            if let Some(lib) = library {
                for c in lib.clippings() {
                    let unique: BTreeSet<&String> = c.tags.iter().collect();
                    for t in unique {
                        *counts.entry(t.clone()).or_default() += 1;
                    }
                }
            }
            counts.into_iter().collect()
        })
    }
}

/// The tag tree's counts over each clipping's tags: see [`AppState::tag_tree`].
pub fn tag_tree_counts<'a>(tags: impl Iterator<Item = &'a [String]>) -> Vec<(String, usize)> {
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for clipping_tags in tags {
        let mut nodes = BTreeSet::new();
        for tag in clipping_tags {
            for (i, _) in tag.match_indices('/') {
                nodes.insert(&tag[..i]);
            }
            nodes.insert(tag.as_str());
        }
        for node in nodes {
            *counts.entry(node.to_string()).or_default() += 1;
        }
    }
    counts.into_iter().collect()
}

pub use crate::library::plural;

pub use crate::library::edit::validate_field;

/// Widen a selection (characters of `text`) to whole words: a start inside a word moves back
/// to its first letter, an end inside a word moves on to its last. Spaces picked up at either
/// edge are dropped.
pub fn snap_to_words(text: &str, start: usize, end: usize) -> (usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    let word = |c: char| c.is_alphanumeric() || c == '\'' || c == '\u{2019}' || c == '-';
    let (mut a, mut b) = (start.min(chars.len()), end.min(chars.len()));
    while a < b && chars[a].is_whitespace() {
        a += 1;
    }
    while b > a && chars[b - 1].is_whitespace() {
        b -= 1;
    }
    if a >= b {
        return (start, end);
    }
    while a > 0 && word(chars[a - 1]) && word(chars[a]) {
        a -= 1;
    }
    while b < chars.len() && word(chars[b]) && word(chars[b - 1]) {
        b += 1;
    }
    (a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_selection_inside_words_widens_to_whole_words() {
        let text = "to tighten cooperation against it";
        // "ghten cooperat" becomes "tighten cooperation".
        let (a, b) = snap_to_words(text, 5, 19);
        assert_eq!(&text[a..b], "tighten cooperation");
        // Whole words stay as they are; spaces at the edges are dropped.
        let (a, b) = snap_to_words(text, 2, 11);
        assert_eq!(&text[a..b], "tighten");
    }

    #[test]
    fn the_tag_tree_counts_children_once_per_clipping() {
        let a = vec!["russia/syria".to_string(), "russia/turkey".to_string()];
        let b = vec!["russia".to_string()];
        let c = vec!["syria".to_string()];
        let tree = tag_tree_counts([a.as_slice(), b.as_slice(), c.as_slice()].into_iter());
        let get = |t: &str| tree.iter().find(|(n, _)| n == t).map(|(_, c)| *c);
        assert_eq!(get("russia"), Some(2));
        assert_eq!(get("russia/syria"), Some(1));
        assert_eq!(get("russia/turkey"), Some(1));
        assert_eq!(get("syria"), Some(1));
        assert_eq!(tree.len(), 4);
    }
}
