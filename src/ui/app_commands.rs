//! What each command does: the app's side of the queue, carried out once per frame.

use super::app::{ClipfileApp, Dialogs};
use super::commands::{Command, ExportRequest, UiCommand};
use super::export_dialog::ExportDialog;
use super::notify::Notification;
use super::palette::CommandPalette;
use super::state::{Action, AppState};
use super::tag_list::RenameTag;
use crate::export::ExportError;
use crate::model::Clipping;

impl ClipfileApp {
    /// Close the floating window on top: the palette, the highlight, the export dialog, the
    /// tag rename, the path field, the import details, the problems. False when none was open.
    pub fn close_topmost(&mut self) -> bool {
        if self.palette.is_some() {
            self.palette = None;
        } else if self.state.open_highlight.is_some() {
            self.state.apply(Action::OpenHighlight(None));
        } else if self.export.is_some() {
            self.export = None;
        } else if self.rename_tag.is_some() {
            self.rename_tag = None;
        } else if self.path_prompt.is_some() {
            self.path_prompt = None;
        } else if self.info.import_details {
            self.info.import_details = false;
        } else if self.info.problems {
            self.info.problems = false;
        } else {
            return false;
        }
        true
    }

    /// Carry out one command.
    pub fn run(&mut self, command: Command, ctx: &egui::Context) {
        match command {
            Command::Ui(command) => self.run_ui(command, ctx),
            Command::Action(action) => self.apply(action),
            Command::Export(request) => self.run_export(request),
            Command::ImportBytes(Ok(bytes)) => self.apply(Action::ImportBytes(bytes)),
            Command::ImportBytes(Err(e)) => self.state.notify(Notification::error(format!(
                "The dropped item cannot be read: {e}"
            ))),
            Command::Notify(notification) => self.state.notify(notification),
            Command::RenameTag(tag) => self.rename_tag = Some(RenameTag::new(&tag)),
            Command::SetHighlightColor(color) => self.state.highlight_color = color,
            Command::ResetSearchMatch => self.reader.reset_match(),
            Command::ScrollToSelection => self.list.scroll_to_selection = true,
            Command::ReopenLibrary => {
                let root = self.state.library_root.clone();
                self.state = AppState::open_in_background(root, self.state.sort);
                self.watching = false;
                self.frames_shown = 0;
            }
            Command::CloseTopmost => {
                self.close_topmost();
            }
        }
    }

    /// Carry out a command of the table.
    pub(super) fn run_ui(&mut self, command: UiCommand, ctx: &egui::Context) {
        match command {
            UiCommand::CommandPalette => {
                self.palette = match self.palette {
                    Some(_) => None,
                    None => Some(CommandPalette::new()),
                }
            }
            UiCommand::Import => self.open_import_dialog(ctx),
            UiCommand::Export => {
                if self.state.library().is_some_and(|l| !l.is_empty()) {
                    let native = self.dialogs == Dialogs::Native;
                    self.export = Some(ExportDialog::open(&self.state, &self.last_export, native));
                }
            }
            UiCommand::FocusSearch => self.top_bar.focus_search = true,
            UiCommand::Highlight => {
                self.apply(Action::HighlightSelection(self.state.highlight_color))
            }
            UiCommand::NextMatch => self.reader.next_match(&self.state, 1),
            UiCommand::PreviousMatch => self.reader.next_match(&self.state, -1),
            UiCommand::Undo => self.apply(Action::Undo),
            UiCommand::Redo => self.apply(Action::Redo),
            UiCommand::SelectNext => self.apply(Action::MoveSelection(1)),
            UiCommand::SelectPrevious => self.apply(Action::MoveSelection(-1)),
            UiCommand::Trash => self.apply(Action::TrashSelected),
            UiCommand::ClearFilters => {
                self.top_bar.search_text.clear();
                self.apply(Action::ClearFilters);
            }
            UiCommand::ToggleFoldVersions => {
                self.apply(Action::FoldVersions(!self.state.versions.fold))
            }
            UiCommand::ToggleDetails => self.state.show_details = !self.state.show_details,
            UiCommand::CycleTheme => self.prefs.theme = self.prefs.theme.next(),
            UiCommand::LoadSample => self.apply(Action::LoadSample),
            UiCommand::ShowImportDetails => self.info.import_details = true,
            UiCommand::ShowProblems => self.info.problems = true,
            UiCommand::DismissNotifications => self.apply(Action::DismissNotice),
        }
    }

    /// Write an export through the export module and report how it went.
    fn run_export(&mut self, request: ExportRequest) {
        if let Some(dialog) = &self.export {
            self.last_export = dialog.choices.clone();
        }
        let Some(lib) = self.state.library() else {
            return;
        };
        let refs: Vec<&Clipping> = request.clippings.iter().collect();
        let path = &request.path;
        let outcome = if request.update {
            crate::export::update_markdown_folder(lib, &refs, path).map(|r| {
                let mut text = format!(
                    "Updated {} and created {} file(s) in {}",
                    r.rewritten.len(),
                    r.created.len(),
                    path.display()
                );
                if !r.skipped.is_empty() {
                    text.push_str(&format!(
                        "; left {} without a marker line alone",
                        r.skipped.len()
                    ));
                }
                text
            })
        } else {
            crate::export::export_to_path(
                lib,
                &refs,
                request.format,
                request.split,
                path,
                request.force,
            )
            .map(|files| {
                format!(
                    "Exported {} as {} to {}",
                    super::state::plural(refs.len(), "clipping", "clippings"),
                    request.format.label(),
                    if files.len() == 1 {
                        files[0].display().to_string()
                    } else {
                        path.display().to_string()
                    }
                )
            })
        };
        match outcome {
            Ok(text) => {
                self.export = None;
                self.state.notify(Notification::info(text));
            }
            Err(ExportError::Exists(existing)) => {
                if let Some(dialog) = &mut self.export {
                    dialog.confirm_replace = Some(existing.display().to_string());
                }
            }
            Err(e) => self
                .state
                .notify(Notification::error(format!("Export failed: {e}"))),
        }
    }
}
