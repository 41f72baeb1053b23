//! The eframe application: owns the panels and dialogs, lays them out, turns shortcuts and
//! file drops into commands, and drains the command queue once per frame.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use super::annotations::Annotations;
use super::commands::{Command, Commands, UiCommand};
use super::detail::DetailPanel;
use super::export_dialog::{ExportChoices, ExportDialog};
use super::highlight_editor::HighlightEditor;
use super::import_view::{InfoWindows, PathPrompt};
use super::library_list::LibraryList;
use super::palette::CommandPalette;
use super::reader::Reader;
use super::state::{Action, AppState};
use super::tag_list::RenameTag;
use super::top_bar::TopBar;
use super::{import_view, quotes, tag_list, versions, welcome};

pub use super::annotations::NOTES_DEBOUNCE;
pub use super::layout::{DETAIL_MAX, DETAIL_MIN, LIST_MAX, LIST_MIN, READER_MIN, WIDE_LAYOUT};

pub use super::prefs::{Dialogs, Prefs, Theme};

const PREFS_KEY: &str = "clipfile-prefs";

/// The whole app: the state, and the panels and dialogs, each with its own view state.
pub struct ClipfileApp {
    pub state: AppState,
    pub prefs: Prefs,
    pub dialogs: Dialogs,
    /// A pending native dialog: when it was opened, and where its answer arrives.
    pub dialog: Option<(Instant, Receiver<Option<Vec<PathBuf>>>)>,
    /// What the panels asked for this frame.
    pub commands: Commands,
    pub top_bar: TopBar,
    pub list: LibraryList,
    pub detail: DetailPanel,
    pub annotations: Annotations,
    pub reader: Reader,
    pub highlight_editor: HighlightEditor,
    pub palette: Option<CommandPalette>,
    pub export: Option<ExportDialog>,
    /// The export choices of the last export, offered again.
    pub last_export: ExportChoices,
    pub rename_tag: Option<RenameTag>,
    /// The in-app path field offered when no native dialog is available.
    pub path_prompt: Option<PathPrompt>,
    pub info: InfoWindows,
    /// The width each panel had on the last frame (library list, detail panel, reader).
    pub panel_widths: [f32; 3],
    /// Whether the library folder is being watched for outside changes.
    pub(super) watching: bool,
    /// Frames drawn with the library open (saturating): some work waits until the first is on
    /// screen.
    pub(super) frames_shown: u32,
    applied_theme: Option<Theme>,
}

impl ClipfileApp {
    /// The app over a library folder, importing `files` once it is open.
    pub fn new(root: PathBuf, files: Vec<PathBuf>, prefs: Prefs, dialogs: Dialogs) -> Self {
        let remembered = prefs
            .selected_by_library
            .get(&root.display().to_string())
            .cloned()
            .or_else(|| prefs.selected.clone());
        let mut state = AppState::open_in_background(root, prefs.sort);
        if let Some(id) = remembered {
            state.select_when_open(id);
        }
        state.apply(Action::Import(files));
        ClipfileApp {
            state,
            prefs,
            dialogs,
            dialog: None,
            commands: Commands::default(),
            top_bar: TopBar::default(),
            list: LibraryList::default(),
            detail: DetailPanel::default(),
            annotations: Annotations::default(),
            reader: Reader::default(),
            highlight_editor: HighlightEditor::default(),
            palette: None,
            export: None,
            last_export: ExportChoices::default(),
            rename_tag: None,
            path_prompt: None,
            info: InfoWindows::default(),
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

    /// Apply one action now (commands do this when the queue is drained).
    pub fn apply(&mut self, action: Action) {
        if matches!(
            action,
            Action::Select(_) | Action::MoveSelection(_) | Action::TrashSelected | Action::Undo
        ) {
            self.detail.edit = None;
        }
        if matches!(action, Action::MoveSelection(_)) {
            self.list.scroll_to_selection = true;
        }
        self.state.apply(action);
    }

    /// Save typed notes now (on closing).
    pub fn flush_notes(&mut self) {
        if let Some(save) = self.annotations.notes.flush() {
            self.apply(save);
        }
    }

    /// How many times the search's words occur in the selected clipping's reading text.
    pub fn match_count(&self) -> usize {
        super::reader::match_count(&self.state)
    }

    /// Ask for files to import: the native dialog, or the path field.
    pub(super) fn open_import_dialog(&mut self, ctx: &egui::Context) {
        match self.dialogs {
            Dialogs::PathField => self.path_prompt = Some(PathPrompt::new()),
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
                self.commands.action(Action::Import(paths));
            }
            Ok(None) => {
                // An answer this fast means no dialog was shown (no portal, no zenity): offer the
                // path field instead of failing silently.
                if opened.elapsed() < Duration::from_millis(400) {
                    self.dialogs = Dialogs::PathField;
                    self.path_prompt = Some(PathPrompt::new());
                }
                self.dialog = None;
            }
            Err(TryRecvError::Disconnected) => {
                self.dialogs = Dialogs::PathField;
                self.path_prompt = Some(PathPrompt::new());
                self.dialog = None;
            }
            Err(TryRecvError::Empty) => {}
        }
    }

    /// The palette's keys first, then Escape, then the shortcuts of the command table.
    fn keys(&mut self, ctx: &egui::Context) {
        if let Some(palette) = &mut self.palette
            && !palette.keys(ctx, &self.state, &mut self.commands)
        {
            self.palette = None;
        }
        // Escape closes the topmost floating window (a field being edited handles its own).
        if self.detail.edit.is_none() && ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
            self.commands.push(Command::CloseTopmost);
        }
        for command in UiCommand::pressed(ctx) {
            self.commands.ui(command);
        }
    }

    /// Files dropped on the window become import commands (a drop without a path, such as
    /// text from a browser, is imported from its bytes).
    fn take_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        let mut paths = Vec::new();
        for file in dropped {
            let path = file.path();
            if path.as_os_str().is_empty() {
                self.commands.push(Command::ImportBytes(file.bytes()));
            } else {
                paths.push(path.to_path_buf());
            }
        }
        if !paths.is_empty() {
            self.commands.action(Action::Import(paths));
        }
    }

    /// Carry out everything queued since the last drain, in order (once per frame).
    fn run_commands(&mut self, ctx: &egui::Context) {
        let queued = self.commands.take();
        if queued.is_empty() {
            return;
        }
        for command in queued {
            self.run(command, ctx);
        }
        // The next frame shows what the commands changed.
        ctx.request_repaint();
    }

    /// Whether the detail panel is shown in a window this wide: always when wide, else when
    /// toggled on.
    pub fn details_shown(&self, width: f32) -> bool {
        width >= WIDE_LAYOUT || self.state.show_details
    }

    /// Theme, watcher and the background indexes, at the start of a frame.
    fn start_frame(&mut self, ctx: &egui::Context) {
        if !self.watching && self.state.library().is_some() {
            self.watching = true;
            let wake = ctx.clone();
            super::timed("watch", || self.state.watch(move || wake.request_repaint()));
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
        // The search worker starts once the library is open (`AppState::prepare`) and builds or
        // refreshes the index on its own thread; the version index waits until frames are on
        // screen.
        match self.frames_shown {
            // Still being read: the progress view is drawn, the warm-ups wait.
            _ if self.state.is_opening() => {}
            0 | 1 => ctx.request_repaint(),
            // The version index a frame later, so the two hand-overs do not share a frame.
            2 => {
                if let Some(lib) = &self.state.library {
                    self.state.versions.warm(lib, ctx);
                }
            }
            _ => {}
        }
        if !self.state.is_opening() {
            self.frames_shown = self.frames_shown.saturating_add(1);
        }
        self.poll_dialog();
        if super::timed("poll", || self.state.poll()) || self.dialog.is_some() {
            ctx.request_repaint_after(Duration::from_millis(50));
        }
    }

    /// Draw one frame (the eframe `ui` and the tests both call this).
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        super::timed("start of frame", || self.start_frame(&ctx));
        self.take_dropped_files(&ctx);
        self.keys(&ctx);
        self.state.prepare(&ctx);
        self.annotations
            .notes
            .sync(&self.state, &ctx, &mut self.commands);
        // The windows open since the last frame, then the panels; then the one drain of the
        // queue. A window a command has just opened is laid out in this frame too (its first,
        // invisible sizing pass), as it would be had the click opened it directly.
        let before = self.open_windows();
        self.draw_windows(ui, None);
        super::timed("panels", || self.draw_panels(ui));
        super::timed("commands", || self.run_commands(&ctx));
        self.draw_windows(ui, Some(before));

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

    /// The panels: each reads the state and queues commands.
    fn draw_panels(&mut self, ui: &mut egui::Ui) {
        let theme_label = self.prefs.theme.label();
        let ClipfileApp {
            state,
            commands,
            top_bar,
            list,
            detail,
            annotations,
            reader,
            panel_widths,
            ..
        } = self;
        let state: &AppState = state;
        top_bar.show(ui, state, theme_label, commands);
        import_view::status_bar(ui, state, commands);
        if state.library().is_some_and(|l| !l.is_empty()) {
            // Widths: the list at most a third of the window, the detail panel what is left
            // beside the reader's minimum; below WIDE_LAYOUT the detail panel is a toggle.
            let width = ui.available_width();
            let details =
                state.selected_clipping().is_some() && (width >= WIDE_LAYOUT || state.show_details);
            let mut list_max = (width * 0.34).clamp(LIST_MIN, LIST_MAX);
            if details && width < WIDE_LAYOUT {
                // Details asked for in a narrow window: the list gives way first.
                list_max = (width - READER_MIN - DETAIL_MIN - 16.0).clamp(LIST_MIN, list_max);
            }
            let left = egui::Panel::left("library")
                .resizable(true)
                .default_size(list_max.min(330.0))
                .size_range(LIST_MIN..=list_max)
                .show(ui, |ui| {
                    // The panel keeps its width whatever it shows (an empty result must not
                    // shrink it).
                    ui.set_min_width(ui.available_width());
                    tag_list::show(ui, state, commands);
                    quotes::facets(ui, state, commands);
                    versions::fold_toggle(ui, state, commands);
                    list.show(ui, state, commands);
                });
            let list_width = left.response.rect.width();
            let mut detail_width = 0.0;
            if details {
                // The central panel's frame takes a few pixels of its own.
                let room = width - list_width - READER_MIN - 16.0;
                let detail_max = room.clamp(DETAIL_MIN, DETAIL_MAX);
                let right = egui::Panel::right("details")
                    .resizable(true)
                    .default_size(detail_max.min(340.0))
                    .size_range(DETAIL_MIN..=detail_max)
                    .show(ui, |ui| {
                        detail.show(ui, state, commands, |ui, clipping, commands| {
                            quotes::show(ui, state, commands);
                            annotations.show(ui, state, clipping, commands);
                            versions::show_in_detail(ui, state, clipping, commands);
                        })
                    });
                detail_width = right.response.rect.width();
            }
            let central =
                egui::CentralPanel::default().show(ui, |ui| reader.show(ui, state, commands));
            *panel_widths = [list_width, detail_width, central.response.rect.width()];
        } else {
            // While the library opens, the list as the index last saw it.
            if let Some(rows) = state.opening_rows().filter(|r| !r.is_empty()) {
                egui::Panel::left("library")
                    .resizable(true)
                    .default_size(330.0)
                    .size_range(LIST_MIN..=LIST_MAX)
                    .show(ui, |ui| super::opening_list::show(ui, rows));
            }
            egui::CentralPanel::default().show(ui, |ui| welcome::show(ui, state, commands));
        }
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
