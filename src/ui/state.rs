//! The app's state and the small set of actions that change it; no drawing here, so every
//! action is testable without a window.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use crate::anchor;
use crate::library::{FileReport, ImportJob, ImportMsg, ImportSummary, Library, OpenMode, Outcome};
use crate::model::{ArticleMetadata, Clipping, Field, Highlight, HighlightColor, normalize_tag};
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
    ClearFilters,
    SetSort(SortKey),
    EditField(Field, String),
    ResetField(Field),
    /// Move the selected clipping to the trash.
    TrashSelected,
    Undo,
    Redo,
    CancelImport,
    DismissNotice,
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
    /// Replace the selected clipping's notes.
    SetNotes(String),
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

/// A message shown at the bottom of the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub is_error: bool,
    /// Offer an Undo button.
    pub undo: bool,
}

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
    pub notice: Option<Notice>,
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
    tag_counts: Option<Vec<(String, usize)>>,
    /// Every tag and parent tag with how many clippings carry it or one of its children.
    tag_tree: Option<Vec<(String, usize)>>,
    /// Scroll the reader to this highlight on the next frame.
    pub scroll_to_highlight: Option<String>,
    /// Scroll the reader to this character of the reading text on the next frame.
    pub scroll_to_char: Option<usize>,
    /// Story versions: the version index, the fold toggle, the comparison.
    pub versions: super::versions::VersionsState,
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
            notice: None,
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
            tag_counts: None,
            tag_tree: None,
            versions: Default::default(),
        };
        if let Some(lib) = &state.library
            && lib.is_read_only()
        {
            state.notice = Some(Notice {
                text: format!(
                    "Read-only: {}",
                    state
                        .open_error
                        .as_deref()
                        .unwrap_or("the library cannot be written")
                ),
                is_error: true,
                undo: false,
            });
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

    /// The selected clipping's full parse and reading text. On first view its highlights are
    /// re-anchored in the text (after a re-parse the text may have shifted).
    pub fn reading(&mut self) -> Option<Arc<Reading>> {
        let id = self.selected.clone()?;
        if let Some((cached, reading)) = &self.reading
            && *cached == id
        {
            return Some(reading.clone());
        }
        let text = self.library.as_ref()?.text(&id)?.clone();
        let meta = parse::parse_article(&text);
        let reading = Arc::new(Reading {
            text: anchor::reading_text(&meta),
            meta,
        });
        self.reading = Some((id.clone(), reading.clone()));
        if let Some(lib) = &mut self.library
            && !lib.is_read_only()
            && let Some(clipping) = lib.get(&id)
        {
            let mut highlights = clipping.highlights.clone();
            if anchor::reanchor(&reading.text, &mut highlights) {
                let _ = lib.update(&id, |c| c.highlights = highlights);
            }
        }
        Some(reading)
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
        // A speaker or mention filter goes through the index, whose cache of each clipping's
        // speakers spares reading every text again.
        let quotes_filter = self.query.speaker.is_some() || self.query.mention.is_some();
        let mut hits = if self.query.text.trim().is_empty() && !quotes_filter {
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

    /// The open library and the speaker, people and place cache of its search index.
    pub fn facet_index(&mut self) -> Option<(&Library, &mut crate::quotes::FacetIndex)> {
        Some((self.library.as_ref()?, self.search_index.facets()))
    }

    pub fn search_index_is_built(&self) -> bool {
        self.search_index.is_built()
    }

    /// Something in the library changed: the list and the tag counts are computed again.
    pub fn refresh(&mut self) {
        self.visible_dirty = true;
        self.tag_counts = None;
        self.tag_tree = None;
    }

    fn say(&mut self, text: impl Into<String>, is_error: bool, undo: bool) {
        self.notice = Some(Notice {
            text: text.into(),
            is_error,
            undo,
        });
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
                self.change_selected(|c| {
                    c.overrides.fields.insert(field, value.trim().to_string());
                })
            }
            Action::ResetField(field) => self.change_selected(|c| {
                c.overrides.fields.remove(&field);
            }),
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
                self.change_highlight(&hid, |h| h.color = color)
            }
            Action::SetHighlightComment(hid, comment) => {
                self.change_highlight(&hid, |h| h.comment = comment)
            }
            Action::AddHighlightTag(hid, tag) => {
                let tag = normalize_tag(&tag);
                if !tag.is_empty() {
                    self.change_highlight(&hid, |h| {
                        if !h.tags.contains(&tag) {
                            h.tags.push(tag);
                            h.tags.sort();
                        }
                    })
                }
            }
            Action::RemoveHighlightTag(hid, tag) => {
                self.change_highlight(&hid, |h| h.tags.retain(|t| *t != tag))
            }
            Action::RemoveHighlight(hid) => {
                if self.open_highlight.as_ref() == Some(&hid) {
                    self.open_highlight = None;
                }
                let before = self.undo.len();
                self.change_selected(|c| c.highlights.retain(|h| h.id != hid));
                if self.undo.len() > before {
                    self.say("Removed the highlight", false, true);
                }
            }
            Action::SetNotes(notes) => self.change_selected(|c| c.notes = notes),
            Action::AddTag(tag) => {
                let tag = normalize_tag(&tag);
                if !tag.is_empty() {
                    self.change_targets(|c| {
                        if !c.tags.contains(&tag) {
                            c.tags.push(tag.clone());
                            c.tags.sort();
                        }
                    });
                }
            }
            Action::RemoveTag(tag) => self.change_targets(|c| c.tags.retain(|t| *t != tag)),
            Action::RenameTag { from, to } => self.rename_tag(&from, &to),
            Action::SetTagColor(tag, color) => {
                let Some(lib) = self.writable() else { return };
                let result = lib.update_settings(|s| match color {
                    Some(rgb) => {
                        s.tag_colors.insert(tag, rgb);
                    }
                    None => {
                        s.tag_colors.remove(&tag);
                    }
                });
                if let Err(e) = result {
                    self.say(e.to_string(), true, false);
                }
            }
            Action::CancelImport => {
                if let Some(import) = &self.import {
                    import.job.cancel();
                }
            }
            Action::DismissNotice => self.notice = None,
        }
    }

    /// Change the selected clipping's record, save it, and make the change undoable.
    fn change_selected(&mut self, change: impl FnOnce(&mut Clipping)) {
        let Some(id) = self.selected.clone() else {
            return;
        };
        let mut change = Some(change);
        self.change_records(&[id], |c| {
            if let Some(change) = change.take() {
                change(c);
            }
        });
    }

    /// Change the multi-selection (or else the selected clipping).
    fn change_targets(&mut self, change: impl FnMut(&mut Clipping)) {
        let ids: Vec<String> = if self.multi.is_empty() {
            self.selected.iter().cloned().collect()
        } else {
            self.multi.iter().cloned().collect()
        };
        self.change_records(&ids, change);
    }

    fn change_highlight(&mut self, hid: &str, change: impl FnOnce(&mut Highlight)) {
        self.change_selected(|c| {
            if let Some(h) = c.highlights.iter_mut().find(|h| h.id == hid) {
                change(h);
            }
        });
    }

    /// Apply a change to several records, saving each; one undo step for all that changed.
    fn change_records(&mut self, ids: &[String], mut change: impl FnMut(&mut Clipping)) {
        let Some(lib) = self.writable() else { return };
        let mut before = Vec::new();
        let mut error = None;
        for id in ids {
            let Some(old) = lib.get(id).cloned() else {
                continue;
            };
            let mut new = old.clone();
            change(&mut new);
            if new == old {
                continue;
            }
            match lib.save(new) {
                Ok(()) => before.push(old),
                Err(e) => {
                    error = Some(e.to_string());
                    break;
                }
            }
        }
        if !before.is_empty() {
            self.undo.push(UndoStep::Records(before));
            self.redo.clear();
            self.refresh();
        }
        if let Some(e) = error {
            self.say(e, true, false);
        }
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
        let Some(reading) = self.reading() else {
            return;
        };
        let (start, end) = snap_to_words(&reading.text, start, end);
        let id = crate::model::new_highlight_id();
        let Some(highlight) = anchor::new_highlight(
            &reading.text,
            start,
            end,
            color,
            id.clone(),
            crate::model::now_utc(),
        ) else {
            return;
        };
        self.change_selected(|c| {
            c.highlights.push(highlight);
            c.highlights.sort_by_key(|h| (h.orphan, h.start, h.end));
        });
        self.text_selection = None;
        self.open_highlight = Some(id);
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
        let Some(reading) = self.reading() else {
            return;
        };
        self.change_selected(|c| {
            if let Some(h) = c.highlights.iter_mut().find(|h| h.id == hid) {
                anchor::attach(&reading.text, h, start, end);
            }
            c.highlights.sort_by_key(|h| (h.orphan, h.start, h.end));
        });
        self.text_selection = None;
        self.open_highlight = Some(hid.to_string());
    }

    /// Carry the highlights of another version of the story to the selected clipping.
    fn copy_highlights_from(&mut self, from: &str) {
        let Some(source) = self.library.as_ref().and_then(|l| l.get(from)) else {
            return;
        };
        let source = source.highlights.clone();
        let Some(reading) = self.reading() else {
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
        self.change_selected(|c| {
            c.highlights.extend(copies);
            c.highlights.sort_by_key(|h| (h.orphan, h.start, h.end));
        });
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
        let to = normalize_tag(to);
        if to.is_empty() || to == from {
            return;
        }
        let rename = |t: &str| -> Option<String> {
            if t == from {
                Some(to.clone())
            } else {
                t.strip_prefix(from)
                    .filter(|rest| rest.starts_with('/'))
                    .map(|rest| format!("{to}{rest}"))
            }
        };
        let rename_all = |tags: &mut Vec<String>| {
            let mut out: Vec<String> = tags
                .iter()
                .map(|t| rename(t).unwrap_or_else(|| t.clone()))
                .collect();
            out.sort();
            out.dedup();
            *tags = out;
        };
        let ids: Vec<String> = self
            .library
            .as_ref()
            .map(|lib| {
                lib.clippings()
                    .filter(|c| {
                        c.tags.iter().any(|t| rename(t).is_some())
                            || c.highlights
                                .iter()
                                .any(|h| h.tags.iter().any(|t| rename(t).is_some()))
                    })
                    .map(|c| c.id.clone())
                    .collect()
            })
            .unwrap_or_default();
        self.change_records(&ids, |c| {
            rename_all(&mut c.tags);
            for h in &mut c.highlights {
                rename_all(&mut h.tags);
            }
        });
        for t in &mut self.query.tags {
            if let Some(new) = rename(t) {
                *t = new;
            }
        }
        if let Some(lib) = self.writable()
            && let Some(color) = lib.settings().tag_colors.get(from).copied()
        {
            let to = to.clone();
            let _ = lib.update_settings(|s| {
                s.tag_colors.remove(from);
                s.tag_colors.entry(to).or_insert(color);
            });
        }
        self.refresh();
        self.say(
            format!(
                "Renamed tag {from} to {to} in {}",
                plural(ids.len(), "clipping", "clippings")
            ),
            false,
            false,
        );
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
        match lib.trash(&id) {
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

    /// Whether the notice at the bottom reports the last import (and may offer its details).
    pub fn notice_is_import(&self) -> bool {
        match (&self.notice, &self.last_import) {
            (Some(notice), Some(summary)) => notice.text == summary.headline(),
            _ => false,
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
                let r = lib
                    .trash(&id)
                    .map(|_| UndoStep::Trashed(id))
                    .map_err(|e| e.to_string());
                (r, None)
            }
            UndoStep::Trashed(id) => {
                let r = lib
                    .restore(&id)
                    .map(|_| UndoStep::Trashed(id.clone()))
                    .map_err(|e| e.to_string());
                (r, Some(id))
            }
            UndoStep::Records(records) => {
                let mut current = Vec::new();
                let mut error = None;
                let selected = records.first().map(|c| c.id.clone());
                for record in records {
                    if let Some(now) = lib.get(&record.id).cloned() {
                        match lib.save(record) {
                            Ok(()) => current.push(now),
                            Err(e) => {
                                error = Some(e.to_string());
                                break;
                            }
                        }
                    }
                }
                match error {
                    Some(e) => (Err(e), selected),
                    None => (Ok(UndoStep::Records(current)), selected),
                }
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
            self.say(summary.headline(), summary.skipped() > 0, false);
            self.last_import = Some(summary);
            return false;
        }
        true
    }

    /// Every tag and every parent of one ("russia" for "russia/syria"), by name, each with how
    /// many clippings carry it or any tag under it (a clipping counts once).
    pub fn tag_tree(&mut self) -> &[(String, usize)] {
        let library = &self.library;
        self.tag_tree.get_or_insert_with(|| match library {
            Some(lib) => tag_tree_counts(lib.clippings().map(|c| c.tags.as_slice())),
            None => Vec::new(),
        })
    }

    /// Tags used in the library with how many clippings carry each, by name.
    pub fn tag_counts(&mut self) -> &[(String, usize)] {
        let library = &self.library;
        self.tag_counts.get_or_insert_with(|| {
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

/// Why a value typed for a field cannot be kept, in words for the reader. Published dates are
/// ISO: YYYY, YYYY-MM or YYYY-MM-DD with a real month and day.
pub fn validate_field(field: Field, value: &str) -> Result<(), String> {
    if field != Field::Published || value.trim().is_empty() {
        return Ok(());
    }
    let value = value.trim();
    let parts: Vec<&str> = value.split('-').collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let wrong = || {
        format!(
            "\u{201c}{value}\u{201d} is not a date: write the year, year and month, or full date as 2014, 2014-11 or 2014-11-05"
        )
    };
    if parts.len() > 3 || !digits(parts[0], 4) || parts[1..].iter().any(|p| !digits(p, 2)) {
        return Err(wrong());
    }
    let year: u32 = parts[0].parse().map_err(|_| wrong())?;
    if let Some(month) = parts.get(1) {
        let month: u32 = month.parse().map_err(|_| wrong())?;
        if !(1..=12).contains(&month) {
            return Err(format!("{value}: the month must be 01 to 12"));
        }
        if let Some(day) = parts.get(2) {
            let day: u32 = day.parse().map_err(|_| wrong())?;
            let leap =
                year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
            let days = match month {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            if !(1..=days).contains(&day) {
                return Err(format!("{value}: that month has days 01 to {days}"));
            }
        }
    }
    Ok(())
}

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

    #[test]
    fn published_dates_are_iso_and_real() {
        for ok in ["2014", "2014-11", "2014-11-05", "2016-02-29", ""] {
            assert!(validate_field(Field::Published, ok).is_ok(), "{ok}");
        }
        for bad in [
            "Nov 2014",
            "14-11-05",
            "2014-13",
            "2015-02-29",
            "2014-11-5",
            "2014/11",
        ] {
            assert!(validate_field(Field::Published, bad).is_err(), "{bad}");
        }
        assert!(validate_field(Field::Headline, "Nov 2014").is_ok());
    }
}
