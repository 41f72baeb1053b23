//! The command table (each command's label, tooltip and shortcut in one place, read by the
//! shortcut handler, buttons, tooltips and the command palette) and the queue panels push
//! their commands to, drained once per frame by the app.

use std::path::PathBuf;

use egui::{Key, KeyboardShortcut, Modifiers};

use super::notify::Notification;
use super::state::Action;
use crate::export::Format;
use crate::model::{Clipping, HighlightColor};

/// A command a reader can give by name: from a button, a shortcut or the command palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UiCommand {
    CommandPalette,
    Import,
    Export,
    FocusSearch,
    Highlight,
    NextMatch,
    PreviousMatch,
    Undo,
    Redo,
    SelectNext,
    SelectPrevious,
    Trash,
    ClearFilters,
    ToggleFoldVersions,
    ToggleDetails,
    CycleTheme,
    LoadSample,
    ShowImportDetails,
    ShowProblems,
    DismissNotifications,
}

const fn key(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

impl UiCommand {
    /// Every command, in the order the palette lists them. Shortcuts are matched in this order
    /// too: egui ignores extra Shift when matching, so Shift+F3 and Ctrl+Shift+Z come first.
    pub const ALL: [UiCommand; 20] = [
        UiCommand::CommandPalette,
        UiCommand::Import,
        UiCommand::Export,
        UiCommand::FocusSearch,
        UiCommand::Highlight,
        UiCommand::PreviousMatch,
        UiCommand::NextMatch,
        UiCommand::Redo,
        UiCommand::Undo,
        UiCommand::SelectNext,
        UiCommand::SelectPrevious,
        UiCommand::Trash,
        UiCommand::ClearFilters,
        UiCommand::ToggleFoldVersions,
        UiCommand::ToggleDetails,
        UiCommand::CycleTheme,
        UiCommand::LoadSample,
        UiCommand::ShowImportDetails,
        UiCommand::ShowProblems,
        UiCommand::DismissNotifications,
    ];

    /// The command's name in the palette and on buttons that carry no shorter text.
    pub fn label(self) -> &'static str {
        match self {
            UiCommand::CommandPalette => "Command palette",
            UiCommand::Import => "Import…",
            UiCommand::Export => "Export…",
            UiCommand::FocusSearch => "Search",
            UiCommand::Highlight => "Highlight",
            UiCommand::NextMatch => "Next match",
            UiCommand::PreviousMatch => "Previous match",
            UiCommand::Undo => "Undo",
            UiCommand::Redo => "Redo",
            UiCommand::SelectNext => "Next clipping",
            UiCommand::SelectPrevious => "Previous clipping",
            UiCommand::Trash => "Move to trash",
            UiCommand::ClearFilters => "Show all clippings",
            UiCommand::ToggleFoldVersions => "Fold versions",
            UiCommand::ToggleDetails => "Show or hide details",
            UiCommand::CycleTheme => "Switch theme",
            UiCommand::LoadSample => "Load sample clipping",
            UiCommand::ShowImportDetails => "Show import details",
            UiCommand::ShowProblems => "Show library problems",
            UiCommand::DismissNotifications => "Dismiss all messages",
        }
    }

    /// What the command does, for tooltips and the palette.
    pub fn tooltip(self) -> &'static str {
        match self {
            UiCommand::CommandPalette => "Find and run any command by name",
            UiCommand::Import => "Import article text files, or drop them on the window",
            UiCommand::Export => "Export notes, highlights and metadata",
            UiCommand::FocusSearch => "Words in headlines, text, notes, tags, names",
            UiCommand::Highlight => "Highlight the selected passage",
            UiCommand::NextMatch => "Show the next search match in the text",
            UiCommand::PreviousMatch => "Show the previous search match in the text",
            UiCommand::Undo => "Take back the last change",
            UiCommand::Redo => "Make the change taken back again",
            UiCommand::SelectNext => "Select the next clipping in the list",
            UiCommand::SelectPrevious => "Select the previous clipping in the list",
            UiCommand::Trash => "Move the selected clipping to the trash (Undo brings it back)",
            UiCommand::ClearFilters => "Clear the search and every filter",
            UiCommand::ToggleFoldVersions => {
                "Show each story printed by several outlets as one row"
            }
            UiCommand::ToggleDetails => "Show or hide the detail panel (in a narrow window)",
            UiCommand::CycleTheme => "Switch between the system, light and dark themes",
            UiCommand::LoadSample => "Add an Associated Press article from 2015 to try things out",
            UiCommand::ShowImportDetails => "List what the last import did with each file",
            UiCommand::ShowProblems => "List the library files Clipfile cannot read",
            UiCommand::DismissNotifications => "Clear the messages at the bottom of the window",
        }
    }

    /// The keyboard shortcuts, the one shown first.
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        const CMD: Modifiers = Modifiers::COMMAND;
        const NONE: Modifiers = Modifiers::NONE;
        const CMD_SHIFT: Modifiers = Modifiers {
            shift: true,
            ..Modifiers::COMMAND
        };
        match self {
            UiCommand::CommandPalette => const { &[key(CMD, Key::K)] },
            UiCommand::Import => const { &[key(CMD, Key::O)] },
            UiCommand::Export => const { &[key(CMD, Key::E)] },
            UiCommand::FocusSearch => const { &[key(CMD, Key::F)] },
            UiCommand::Highlight => const { &[key(CMD, Key::H)] },
            UiCommand::NextMatch => const { &[key(NONE, Key::F3)] },
            UiCommand::PreviousMatch => const { &[key(Modifiers::SHIFT, Key::F3)] },
            UiCommand::Undo => const { &[key(CMD, Key::Z)] },
            UiCommand::Redo => const { &[key(CMD_SHIFT, Key::Z), key(CMD, Key::Y)] },
            UiCommand::SelectNext => const { &[key(NONE, Key::ArrowDown)] },
            UiCommand::SelectPrevious => const { &[key(NONE, Key::ArrowUp)] },
            UiCommand::Trash => const { &[key(NONE, Key::Delete)] },
            _ => &[],
        }
    }

    /// Whether the shortcut also works while a text field has the keyboard (else the field
    /// gets the key: Ctrl+Z undoes typing, arrows move the cursor).
    pub fn works_while_typing(self) -> bool {
        !matches!(
            self,
            UiCommand::Undo
                | UiCommand::Redo
                | UiCommand::SelectNext
                | UiCommand::SelectPrevious
                | UiCommand::Trash
        )
    }

    /// The shortcut as the platform writes it ("Ctrl+O", "⌘O").
    pub fn shortcut_text(self, ctx: &egui::Context) -> Option<String> {
        self.shortcuts().first().map(|s| ctx.format_shortcut(s))
    }

    /// The tooltip with the shortcut: "Export notes, highlights and metadata (Ctrl+E)".
    pub fn hover_text(self, ctx: &egui::Context) -> String {
        match self.shortcut_text(ctx) {
            Some(keys) => format!("{} ({keys})", self.tooltip()),
            None => self.tooltip().to_string(),
        }
    }

    /// The commands whose shortcut was pressed this frame (consumed from the input).
    pub fn pressed(ctx: &egui::Context) -> Vec<UiCommand> {
        let typing = ctx.egui_wants_keyboard_input();
        let mut pressed = Vec::new();
        ctx.input_mut(|i| {
            for command in UiCommand::ALL {
                if typing && !command.works_while_typing() {
                    continue;
                }
                if command.shortcuts().iter().any(|s| i.consume_shortcut(s)) {
                    pressed.push(command);
                }
            }
        });
        pressed
    }
}

/// What to export, as the Export dialog asks for it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRequest {
    pub clippings: Vec<Clipping>,
    pub format: Format,
    pub split: bool,
    /// Markdown into a folder: rewrite what was exported there before.
    pub update: bool,
    pub path: PathBuf,
    /// Replace files that exist.
    pub force: bool,
}

/// One thing a panel asks for; the app carries them out after the panels are drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// A named command (button, shortcut, palette).
    Ui(UiCommand),
    /// A change to the app's state (and through it the library).
    Action(Action),
    /// Write an export (the app hands it to the export module and reports the result).
    Export(ExportRequest),
    /// Import the bytes of a drop that has no path (a browser's text).
    ImportBytes(Result<Vec<u8>, String>),
    /// Say something at the bottom of the window.
    Notify(Notification),
    /// Open the rename-or-merge window for a tag.
    RenameTag(String),
    /// The color new highlights get.
    SetHighlightColor(HighlightColor),
    /// Start from the first search match again (the search changed).
    ResetSearchMatch,
    /// Scroll the list to the selection on the next frame.
    ScrollToSelection,
    /// Open the library again (after it could not be opened).
    ReopenLibrary,
    /// Close the topmost floating window.
    CloseTopmost,
}

/// The queue panels push to during a frame.
#[derive(Debug, Default)]
pub struct Commands {
    queue: Vec<Command>,
}

impl Commands {
    pub fn push(&mut self, command: Command) {
        self.queue.push(command);
    }

    /// Queue a change to the state.
    pub fn action(&mut self, action: Action) {
        self.queue.push(Command::Action(action));
    }

    /// Queue a named command.
    pub fn ui(&mut self, command: UiCommand) {
        self.queue.push(Command::Ui(command));
    }

    /// Take everything queued, in order.
    pub fn take(&mut self) -> Vec<Command> {
        std::mem::take(&mut self.queue)
    }

    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }
}
