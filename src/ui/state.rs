//! The app's state and the small set of actions that change it; no drawing here, so every
//! action is testable without a window.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use crate::library::{
    FileReport, ImportJob, ImportMsg, ImportSummary, Library, LibraryError, OpenMode, Outcome,
};
use crate::model::{ArticleMetadata, Clipping, Field};
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
    ClearFilters,
    SetSort(SortKey),
    EditField(Field, String),
    ResetField(Field),
    /// Move the selected clipping to the trash.
    TrashSelected,
    Undo,
    CancelImport,
    DismissNotice,
}

/// Something reversible the reader did.
#[derive(Debug, Clone, PartialEq)]
enum UndoStep {
    /// A clipping moved to the trash: restore it.
    Trashed(String),
    /// A clipping's overrides before an edit.
    Overrides(String, crate::model::Overrides),
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
    /// The selected clipping's full parse (body paragraphs), cached.
    reading: Option<(String, Arc<ArticleMetadata>)>,
}

impl AppState {
    /// Open the library at `root`; a failure is kept and shown, not fatal.
    pub fn open(root: PathBuf) -> Self {
        let (library, open_error) = match Library::open(&root, OpenMode::ReadWrite) {
            Ok(lib) => (Some(lib), None),
            Err(e @ LibraryError::Locked { .. }) => {
                match Library::open(&root, OpenMode::ReadOnly) {
                    Ok(lib) => (Some(lib), Some(e.to_string())),
                    Err(_) => (None, Some(e.to_string())),
                }
            }
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
            reading: None,
        };
        if let Some(lib) = &state.library
            && lib.is_read_only()
        {
            state.notice = Some(Notice {
                text: "The library is open in another Clipfile: it is shown read-only.".into(),
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

    /// The selected clipping's full parse, body included.
    pub fn reading(&mut self) -> Option<Arc<ArticleMetadata>> {
        let id = self.selected.clone()?;
        if let Some((cached, meta)) = &self.reading
            && *cached == id
        {
            return Some(meta.clone());
        }
        let text = self.library.as_ref()?.text(&id)?.clone();
        let meta = Arc::new(parse::parse_article(&text));
        self.reading = Some((id, meta.clone()));
        Some(meta)
    }

    /// The ids shown in the library list, filtered and ordered.
    pub fn visible(&mut self) -> &[String] {
        if self.visible_dirty {
            self.visible = self.compute_visible();
            self.visible_dirty = false;
        }
        &self.visible
    }

    fn compute_visible(&self) -> Vec<String> {
        let Some(lib) = &self.library else {
            return Vec::new();
        };
        let items = lib
            .clippings()
            .map(|c| (c, lib.text(&c.id).map(|t| &**t).unwrap_or("")));
        let mut hits = search::run(items, &self.query);
        if self.query.text.trim().is_empty() {
            match self.sort {
                SortKey::Imported => {
                    hits.sort_by(|a, b| b.imported.cmp(&a.imported).then(a.id.cmp(&b.id)))
                }
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
        hits.into_iter().map(|c| c.id.clone()).collect()
    }

    fn refresh(&mut self) {
        self.visible_dirty = true;
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
            Action::Select(id) => self.selected = Some(id),
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
                self.selected = Some(visible[next].clone());
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
            Action::ClearFilters => {
                self.query = Query::default();
                self.refresh();
            }
            Action::SetSort(sort) => {
                self.sort = sort;
                self.refresh();
            }
            Action::EditField(field, value) => self.change_overrides(|o| {
                o.fields.insert(field, value.trim().to_string());
            }),
            Action::ResetField(field) => self.change_overrides(|o| {
                o.fields.remove(&field);
            }),
            Action::TrashSelected => self.trash_selected(),
            Action::Undo => self.undo(),
            Action::CancelImport => {
                if let Some(import) = &self.import {
                    import.job.cancel();
                }
            }
            Action::DismissNotice => self.notice = None,
        }
    }

    fn change_overrides(&mut self, change: impl FnOnce(&mut crate::model::Overrides)) {
        let Some(id) = self.selected.clone() else {
            return;
        };
        let Some(lib) = self.writable() else { return };
        let Some(before) = lib.get(&id).map(|c| c.overrides.clone()) else {
            return;
        };
        match lib.update(&id, |c| change(&mut c.overrides)) {
            Ok(c) if c.overrides != before => {
                self.undo.push(UndoStep::Overrides(id, before));
                self.refresh();
            }
            Ok(_) => {}
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
        match lib.trash(&id) {
            Ok(c) => {
                let text = format!("Moved \u{201c}{}\u{201d} to the trash", c.title());
                self.undo.push(UndoStep::Trashed(id));
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
        let Some(lib) = self.writable() else { return };
        let result = match &step {
            UndoStep::Trashed(id) => lib.restore(id).map(|c| c.id.clone()),
            UndoStep::Overrides(id, before) => {
                let before = before.clone();
                lib.update(id, |c| c.overrides = before)
                    .map(|c| c.id.clone())
            }
        };
        match result {
            Ok(id) => {
                self.selected = Some(id);
                self.refresh();
                self.say(
                    match step {
                        UndoStep::Trashed(_) => "Restored from the trash",
                        UndoStep::Overrides(..) => "Edit undone",
                    },
                    false,
                    false,
                );
            }
            Err(e) => self.say(e.to_string(), true, false),
        }
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

    /// Take in what a running import has done; call once a frame. True while it runs.
    pub fn poll(&mut self) -> bool {
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
            self.visible_dirty = true;
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

    /// Tags used in the library with how many clippings carry each, by name.
    pub fn tag_counts(&self) -> Vec<(String, usize)> {
        let mut counts = std::collections::BTreeMap::<String, usize>::new();
        if let Some(lib) = &self.library {
            for c in lib.clippings() {
                let unique: BTreeSet<&String> = c.tags.iter().collect();
                for t in unique {
                    *counts.entry(t.clone()).or_default() += 1;
                }
            }
        }
        counts.into_iter().collect()
    }
}
