//! The eframe application: lays out the panels, routes keyboard shortcuts and file drops to
//! actions, and persists the reader's view preferences.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use egui::{Key, KeyboardShortcut, Modifiers};

use super::state::{Action, AppState, SortKey};
use super::{detail, highlight_editor, import_view, library_list, reader, top_bar, welcome};
use crate::model::Field;

const PREFS_KEY: &str = "clipfile-prefs";

/// Below this window width the detail panel is not shown beside the reader but toggled.
pub const WIDE_LAYOUT: f32 = 1100.0;
/// The reader never gets narrower than this while the detail panel is docked.
pub const READER_MIN: f32 = 340.0;
/// The library list's width range.
pub const LIST_MIN: f32 = 220.0;
pub const LIST_MAX: f32 = 460.0;
/// The detail panel's width range.
pub const DETAIL_MIN: f32 = 250.0;
pub const DETAIL_MAX: f32 = 480.0;

/// Light, dark, or whatever the system uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "System theme",
            Theme::Light => "Light theme",
            Theme::Dark => "Dark theme",
        }
    }

    pub fn next(self) -> Self {
        match self {
            Theme::System => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::System,
        }
    }

    fn preference(self) -> egui::ThemePreference {
        match self {
            Theme::System => egui::ThemePreference::System,
            Theme::Light => egui::ThemePreference::Light,
            Theme::Dark => egui::ThemePreference::Dark,
        }
    }
}

/// What is remembered between runs (window geometry and panel sizes are kept by eframe/egui).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Prefs {
    pub theme: Theme,
    pub sort: SortKey,
    pub selected: Option<String>,
    /// The selection last seen in each library (by folder), so switching libraries and back
    /// restores it.
    #[serde(default)]
    pub selected_by_library: std::collections::BTreeMap<String, String>,
}

/// Whether Import… may open the system's file dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialogs {
    /// Use the native dialog (rfd), falling back to a path field when none appears.
    Native,
    /// Never open a real dialog (tests, or a system without portal or zenity).
    PathField,
}

/// The field being edited in the detail panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldEdit {
    /// The clipping being edited: the edit is dropped when the selection moves elsewhere
    /// (a search can move it).
    pub id: String,
    pub field: Field,
    pub value: String,
    pub focus: bool,
}

/// The whole app: state plus what only the view needs.
pub struct ClipfileApp {
    pub state: AppState,
    pub prefs: Prefs,
    /// The search field's text (applied to the state as it changes).
    pub search_text: String,
    pub focus_search: bool,
    pub dialogs: Dialogs,
    /// A pending native dialog: when it was opened, and where its answer arrives.
    pub dialog: Option<(Instant, Receiver<Option<Vec<PathBuf>>>)>,
    /// The in-app path field offered when no native dialog is available.
    pub path_prompt: Option<String>,
    pub show_import_details: bool,
    pub show_problems: bool,
    pub edit: Option<FieldEdit>,
    /// Scroll the list so the selection is visible on the next frame.
    pub scroll_to_selection: bool,
    /// The color new highlights get.
    pub highlight_color: crate::model::HighlightColor,
    /// The notes being typed, saved a moment after the last keystroke.
    pub notes: NotesDraft,
    /// The text of the "Add tag" field.
    pub tag_input: String,
    /// The text of a highlight's "Add tag" field.
    pub highlight_tag_input: String,
    /// A tag being renamed: (old name, new name as typed).
    pub rename_tag: Option<(String, String)>,
    pub export: super::export_dialog::ExportDialog,
    /// A dialog just opened: its first field takes the keyboard focus on the next frame.
    pub focus_dialog: bool,
    /// In a narrow window: whether the detail panel is shown (it is a toggle there).
    pub show_details: bool,
    /// The search match the reader shows (index into the matches in the reading text).
    pub search_match: usize,
    /// Scroll the reader to the current search match on the next frame.
    pub scroll_to_match: bool,
    /// The width each panel had on the last frame (library list, detail panel, reader).
    pub panel_widths: [f32; 3],
    /// Whether the library folder is being watched for outside changes.
    watching: bool,
    /// Frames drawn so far (saturating): some work waits until the first is on screen.
    frames_shown: u32,
    applied_theme: Option<Theme>,
}

/// Notes typed but maybe not saved yet.
#[derive(Debug, Clone, Default)]
pub struct NotesDraft {
    /// The clipping the draft belongs to.
    pub id: Option<String>,
    pub text: String,
    /// When the last unsaved keystroke happened.
    pub edited: Option<Instant>,
}

/// How long after the last keystroke notes are saved.
pub const NOTES_DEBOUNCE: Duration = Duration::from_millis(800);

impl ClipfileApp {
    /// The app over a library folder, importing `files` once it is open.
    pub fn new(root: PathBuf, files: Vec<PathBuf>, prefs: Prefs, dialogs: Dialogs) -> Self {
        let remembered = prefs
            .selected_by_library
            .get(&root.display().to_string())
            .cloned()
            .or_else(|| prefs.selected.clone());
        let mut state = AppState::open(root);
        state.sort = prefs.sort;
        if let Some(id) = remembered
            && state.library().is_some_and(|l| l.contains(&id))
        {
            state.selected = Some(id);
        }
        state.apply(Action::Import(files));
        ClipfileApp {
            state,
            prefs,
            search_text: String::new(),
            focus_search: false,
            dialogs,
            dialog: None,
            path_prompt: None,
            show_import_details: false,
            show_problems: false,
            edit: None,
            scroll_to_selection: true,
            highlight_color: crate::model::HighlightColor::Yellow,
            notes: NotesDraft::default(),
            tag_input: String::new(),
            highlight_tag_input: String::new(),
            rename_tag: None,
            export: Default::default(),
            focus_dialog: false,
            show_details: false,
            search_match: 0,
            scroll_to_match: false,
            panel_widths: [0.0; 3],
            watching: false,
            frames_shown: 0,
            applied_theme: None,
        }
    }

    /// Created by eframe: reads the saved preferences.
    pub fn from_creation(
        cc: &eframe::CreationContext<'_>,
        root: PathBuf,
        files: Vec<PathBuf>,
    ) -> Self {
        let prefs: Prefs = cc
            .storage
            .and_then(|s| eframe::get_value(s, PREFS_KEY))
            .unwrap_or_default();
        let dialogs = if super::native_dialog_available() {
            Dialogs::Native
        } else {
            Dialogs::PathField
        };
        ClipfileApp::new(root, files, prefs, dialogs)
    }

    pub fn apply(&mut self, action: Action) {
        if matches!(
            action,
            Action::Select(_) | Action::MoveSelection(_) | Action::TrashSelected | Action::Undo
        ) {
            self.edit = None;
        }
        if matches!(action, Action::MoveSelection(_)) {
            self.scroll_to_selection = true;
        }
        self.state.apply(action);
    }

    /// Save typed notes now (on switching clipping, closing, or after the pause).
    pub fn flush_notes(&mut self) {
        if self.notes.edited.take().is_none() {
            return;
        }
        let Some(id) = self.notes.id.clone() else {
            return;
        };
        if self.state.selected.as_ref() != Some(&id) {
            // The draft belongs to a clipping that is no longer selected: select it for the save.
            let current = self.state.selected.replace(id);
            self.state.apply(Action::SetNotes(self.notes.text.clone()));
            self.state.selected = current;
        } else {
            self.state.apply(Action::SetNotes(self.notes.text.clone()));
        }
    }

    /// Keep the notes draft in step with the selection; save it after the pause.
    fn sync_notes(&mut self, ctx: &egui::Context) {
        if let Some(edited) = self.notes.edited {
            let wait = NOTES_DEBOUNCE.saturating_sub(edited.elapsed());
            if wait.is_zero() {
                self.flush_notes();
            } else {
                ctx.request_repaint_after(wait);
            }
        }
        let selected = self.state.selected.clone();
        if self.notes.id != selected && self.notes.edited.is_none() {
            self.notes.text = self
                .state
                .selected_clipping()
                .map(|c| c.notes.clone())
                .unwrap_or_default();
            self.notes.id = selected;
        } else if self.notes.edited.is_none()
            && let Some(c) = self.state.selected_clipping()
            && c.notes != self.notes.text
        {
            // Changed elsewhere (undo, the command line): show the stored notes.
            self.notes.text = c.notes.clone();
        }
    }

    /// Ask for files to import: the native dialog, or the path field.
    pub fn open_import_dialog(&mut self, ctx: &egui::Context) {
        match self.dialogs {
            Dialogs::PathField => {
                self.path_prompt = Some(String::new());
                self.focus_dialog = true;
            }
            Dialogs::Native => {
                if self.dialog.is_none() {
                    self.dialog = Some((Instant::now(), super::spawn_file_dialog(ctx)));
                }
            }
        }
    }

    fn poll_dialog(&mut self) {
        let Some((opened, rx)) = &self.dialog else {
            return;
        };
        match rx.try_recv() {
            Ok(Some(paths)) => {
                self.dialog = None;
                self.apply(Action::Import(paths));
            }
            Ok(None) => {
                // An answer this fast means no dialog was shown (no portal, no zenity): offer the
                // path field instead of failing silently.
                if opened.elapsed() < Duration::from_millis(400) {
                    self.dialogs = Dialogs::PathField;
                    self.path_prompt = Some(String::new());
                    self.focus_dialog = true;
                }
                self.dialog = None;
            }
            Err(TryRecvError::Disconnected) => {
                self.dialogs = Dialogs::PathField;
                self.path_prompt = Some(String::new());
                self.focus_dialog = true;
                self.dialog = None;
            }
            Err(TryRecvError::Empty) => {}
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context) {
        let typing = ctx.egui_wants_keyboard_input();
        let mut actions = Vec::new();
        let mut open_export = false;
        // Escape closes the topmost floating window (a field being edited handles its own).
        if self.edit.is_none() && ctx.input(|i| i.key_pressed(Key::Escape)) {
            self.close_topmost();
        }
        ctx.input_mut(|i| {
            if i.consume_key(Modifiers::NONE, Key::F3) {
                self.next_match(1);
            }
            if i.consume_key(Modifiers::SHIFT, Key::F3) {
                self.next_match(-1);
            }
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::F)) {
                self.focus_search = true;
            }
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::O)) {
                actions.push(None);
            }
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::E)) {
                open_export = true;
            }
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::H)) {
                actions.push(Some(Action::HighlightSelection(self.highlight_color)));
            }
            if typing {
                return;
            }
            if i.consume_shortcut(&KeyboardShortcut::new(
                Modifiers::COMMAND | Modifiers::SHIFT,
                Key::Z,
            )) {
                actions.push(Some(Action::Redo));
            }
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Z)) {
                actions.push(Some(Action::Undo));
            }
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Y)) {
                actions.push(Some(Action::Redo));
            }
            if i.consume_key(Modifiers::NONE, Key::ArrowDown) {
                actions.push(Some(Action::MoveSelection(1)));
            }
            if i.consume_key(Modifiers::NONE, Key::ArrowUp) {
                actions.push(Some(Action::MoveSelection(-1)));
            }
            if i.consume_key(Modifiers::NONE, Key::Delete) {
                actions.push(Some(Action::TrashSelected));
            }
        });
        for action in actions {
            match action {
                Some(action) => self.apply(action),
                None => self.open_import_dialog(ctx),
            }
        }
        if open_export && self.state.library().is_some_and(|l| !l.is_empty()) {
            super::export_dialog::open(self);
        }
    }

    /// Close the floating window on top: the highlight, the export dialog, the tag rename, the
    /// path field, the import details. False when none was open.
    pub fn close_topmost(&mut self) -> bool {
        if self.state.open_highlight.is_some() {
            self.state.open_highlight = None;
        } else if self.export.open {
            self.export.open = false;
        } else if self.rename_tag.is_some() {
            self.rename_tag = None;
        } else if self.path_prompt.is_some() {
            self.path_prompt = None;
        } else if self.show_import_details {
            self.show_import_details = false;
        } else if self.show_problems {
            self.show_problems = false;
        } else {
            return false;
        }
        true
    }

    /// Show the next (+1) or previous (-1) search match in the reader.
    pub fn next_match(&mut self, delta: i64) {
        let count = self.match_count();
        if count == 0 {
            return;
        }
        let at = self.search_match.min(count - 1) as i64;
        self.search_match = (at + delta).rem_euclid(count as i64) as usize;
        self.scroll_to_match = true;
    }

    /// How many times the search's words occur in the selected clipping's reading text.
    pub fn match_count(&mut self) -> usize {
        let words = self.state.query.text.clone();
        match self.state.reading() {
            Some(reading) => super::reader::find_matches(&reading.text, &words).len(),
            None => 0,
        }
    }

    fn take_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        if dropped.is_empty() {
            return;
        }
        let mut paths = Vec::new();
        for file in dropped {
            let path = file.path();
            if path.as_os_str().is_empty() {
                // No path (a drop from a browser): import the bytes directly.
                match file.bytes() {
                    Ok(bytes) => match crate::decode::decode(&bytes) {
                        Ok(decoded) => {
                            self.state.refresh();
                            if let Some(lib) = &mut self.state.library
                                && let Err(e) = lib.import_text("dropped text", &decoded.text)
                            {
                                self.state.notice = Some(super::state::Notice {
                                    text: e.to_string(),
                                    is_error: true,
                                    undo: false,
                                });
                            }
                        }
                        Err(e) => {
                            self.state.notice = Some(super::state::Notice {
                                text: format!("The dropped item is not article text: {e}"),
                                is_error: true,
                                undo: false,
                            })
                        }
                    },
                    Err(e) => {
                        self.state.notice = Some(super::state::Notice {
                            text: format!("The dropped item cannot be read: {e}"),
                            is_error: true,
                            undo: false,
                        })
                    }
                }
            } else {
                paths.push(path.to_path_buf());
            }
        }
        self.apply(Action::Import(paths));
    }

    /// Draw one frame (the eframe `ui` and the tests both call this).
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if !self.watching {
            self.watching = true;
            let wake = ctx.clone();
            self.state.watch(move || wake.request_repaint());
        }
        if self.applied_theme != Some(self.prefs.theme) {
            ctx.set_theme(self.prefs.theme.preference());
            self.applied_theme = Some(self.prefs.theme);
            ctx.all_styles_mut(|style| {
                // A steady cursor: a blinking one repaints the whole window twice a second
                // while a text field has the focus, for nothing.
                style.visuals.text_cursor.blink = false;
                // Keyboard focus is drawn as a clear ring (focused widgets use these visuals).
                let ring = style.visuals.selection.stroke.color;
                style.visuals.widgets.active.bg_stroke = egui::Stroke::new(2.0, ring);
            });
        }
        // The search index is built at the start of the second frame, once the first one is on
        // screen: opening stays quick and the first search does not wait for it.
        match self.frames_shown {
            0 => ctx.request_repaint(),
            1 => {
                self.state.warm_search_index();
                ctx.request_repaint();
            }
            // The version index a frame later, so the two hand-overs do not share a frame.
            2 => {
                if let Some(lib) = &self.state.library {
                    self.state.versions.warm(lib, &ctx);
                }
            }
            _ => {}
        }
        self.frames_shown = self.frames_shown.saturating_add(1);
        self.poll_dialog();
        if self.state.poll() || self.dialog.is_some() {
            ctx.request_repaint_after(Duration::from_millis(50));
        }
        self.take_dropped_files(&ctx);
        if self
            .edit
            .as_ref()
            .is_some_and(|e| self.state.selected.as_ref() != Some(&e.id))
        {
            self.edit = None;
        }
        self.shortcuts(&ctx);
        self.sync_notes(&ctx);

        top_bar::show(ui, self);
        import_view::bottom_bar(ui, self);
        if self.state.library().is_some_and(|l| !l.is_empty()) {
            // Widths: the list at most a third of the window, the detail panel what is left
            // beside the reader's minimum; below WIDE_LAYOUT the detail panel is a toggle.
            let width = ui.available_width();
            let details = self.state.selected_clipping().is_some() && self.details_shown(width);
            let mut list_max = (width * 0.34).clamp(LIST_MIN, LIST_MAX);
            if details && width < WIDE_LAYOUT {
                // Details asked for in a narrow window: the list gives way first.
                list_max = (width - READER_MIN - DETAIL_MIN - 16.0).clamp(LIST_MIN, list_max);
            }
            let list = egui::Panel::left("library")
                .resizable(true)
                .default_size(list_max.min(330.0))
                .size_range(LIST_MIN..=list_max)
                .show(ui, |ui| library_list::show(ui, self));
            let list_width = list.response.rect.width();
            let mut detail_width = 0.0;
            if details {
                // The central panel's frame takes a few pixels of its own.
                let room = width - list_width - READER_MIN - 16.0;
                let detail_max = room.clamp(DETAIL_MIN, DETAIL_MAX);
                let detail = egui::Panel::right("details")
                    .resizable(true)
                    .default_size(detail_max.min(340.0))
                    .size_range(DETAIL_MIN..=detail_max)
                    .show(ui, |ui| detail::show(ui, self));
                detail_width = detail.response.rect.width();
            }
            let reader = egui::CentralPanel::default().show(ui, |ui| reader::show(ui, self));
            self.panel_widths = [list_width, detail_width, reader.response.rect.width()];
        } else {
            egui::CentralPanel::default().show(ui, |ui| welcome::show(ui, self));
        }
        import_view::windows(ui, self);
        highlight_editor::show(ui, self);
        super::versions::compare_window(ui, self);
        super::export_dialog::show(ui, self);
        import_view::drop_overlay(ui);

        self.prefs.sort = self.state.sort;
        self.prefs.selected = self.state.selected.clone();
        let root = self.state.library_root.display().to_string();
        match &self.state.selected {
            Some(id) if self.prefs.selected_by_library.get(&root) != Some(id) => {
                self.prefs.selected_by_library.insert(root, id.clone());
            }
            _ => {}
        }
    }
}

impl ClipfileApp {
    /// Whether the detail panel is shown in a window this wide: always when wide, else when
    /// toggled on.
    pub fn details_shown(&self, width: f32) -> bool {
        width >= WIDE_LAYOUT || self.show_details
    }
}

impl eframe::App for ClipfileApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.flush_notes();
        eframe::set_value(storage, PREFS_KEY, &self.prefs);
    }

    fn on_exit(&mut self) {
        self.flush_notes();
    }
}
