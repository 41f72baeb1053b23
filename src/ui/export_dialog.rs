//! The Export dialog: format, scope (the selected clipping, the filtered list, the whole
//! library), one file or one per clipping, and where to write, with a native save or folder
//! dialog where the system has one and a path field always.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver};

use super::commands::{Command, Commands, ExportRequest};
use super::notify::Notification;
use super::state::AppState;
use super::widgets;
use crate::export::Format;
use crate::model::Clipping;

/// Which clippings an export takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
    Selected,
    Filtered,
    Library,
}

/// What the reader chose last time, offered again when the dialog opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportChoices {
    pub format: Format,
    pub split: bool,
    /// Markdown into a folder: rewrite the files exported there before, keeping the reader's
    /// text below their marker line.
    pub update: bool,
    /// Where to write: a file, or with `split` a folder.
    pub path: String,
}

impl Default for ExportChoices {
    fn default() -> Self {
        ExportChoices {
            format: Format::Markdown,
            split: false,
            update: false,
            path: String::new(),
        }
    }
}

/// The open dialog's own state (dropped when it closes).
#[derive(Debug)]
pub struct ExportDialog {
    pub choices: ExportChoices,
    pub scope: Scope,
    /// Whether "Choose…" may open the system's dialog.
    native: bool,
    /// A pending native dialog's answer.
    picking: Option<Receiver<Option<PathBuf>>>,
    /// The last attempt found existing files: offer to replace them.
    pub confirm_replace: Option<String>,
}

fn default_name(format: Format, split: bool) -> String {
    if split {
        "Clipfile export".into()
    } else {
        format!("clippings.{}", format.extension())
    }
}

impl ExportDialog {
    /// The dialog with the last choices and a sensible scope: the filtered list while a
    /// search or filter is on, else the selected clipping.
    pub fn open(state: &AppState, last: &ExportChoices, native: bool) -> Self {
        let scope = if state.selected.is_some() && state.query.is_empty() {
            Scope::Selected
        } else {
            Scope::Filtered
        };
        let mut choices = last.clone();
        if choices.path.is_empty() {
            let base = directories::UserDirs::new()
                .and_then(|u| u.document_dir().map(|p| p.to_path_buf()))
                .or_else(|| std::env::current_dir().ok())
                .unwrap_or_default();
            choices.path = base
                .join(default_name(choices.format, choices.split))
                .display()
                .to_string();
        }
        ExportDialog {
            choices,
            scope,
            native,
            picking: None,
            confirm_replace: None,
        }
    }

    /// The clippings of a scope.
    fn scoped(state: &AppState, scope: Scope) -> Vec<Clipping> {
        let Some(lib) = state.library() else {
            return Vec::new();
        };
        match scope {
            Scope::Selected => state.selected_clipping().into_iter().cloned().collect(),
            Scope::Filtered => state
                .shown()
                .iter()
                .filter_map(|id| lib.get(id).cloned())
                .collect(),
            Scope::Library => lib.clippings().cloned().collect(),
        }
    }

    /// Queue the export (the app writes it and reports back).
    fn request(&self, state: &AppState, force: bool, commands: &mut Commands) {
        let clippings = ExportDialog::scoped(state, self.scope);
        if clippings.is_empty() {
            commands.push(Command::Notify(Notification::error(
                "Nothing to export: no clipping in that scope.",
            )));
            return;
        }
        let c = &self.choices;
        commands.push(Command::Export(ExportRequest {
            clippings,
            format: c.format,
            split: c.split,
            update: c.update && c.split && c.format == Format::Markdown,
            path: PathBuf::from(c.path.trim()),
            force,
        }));
    }

    fn pick(&mut self, ctx: &egui::Context) {
        let (tx, rx) = mpsc::channel();
        let current = PathBuf::from(self.choices.path.trim());
        let dir = current
            .parent()
            .map(|p| p.to_path_buf())
            .unwrap_or_default();
        let dialog = rfd::AsyncFileDialog::new().set_directory(&dir);
        let ctx = ctx.clone();
        if self.choices.split {
            let future = dialog.set_title("Export into folder").pick_folder();
            std::thread::spawn(move || {
                let _ = tx.send(pollster::block_on(future).map(|f| f.path().to_path_buf()));
                ctx.request_repaint();
            });
        } else {
            let name = default_name(self.choices.format, false);
            let future = dialog
                .set_title("Export as")
                .set_file_name(name)
                .save_file();
            std::thread::spawn(move || {
                let _ = tx.send(pollster::block_on(future).map(|f| f.path().to_path_buf()));
                ctx.request_repaint();
            });
        }
        self.picking = Some(rx);
    }

    /// Draw the dialog; false when it is to close.
    pub fn show(&mut self, ui: &mut egui::Ui, state: &AppState, commands: &mut Commands) -> bool {
        if let Some(rx) = &self.picking
            && let Ok(answer) = rx.try_recv()
        {
            self.picking = None;
            if let Some(path) = answer {
                self.choices.path = path.display().to_string();
            }
        }
        let ctx = ui.ctx().clone();
        let counts = [
            (
                Scope::Selected,
                "The selected clipping",
                usize::from(state.selected.is_some()),
            ),
            (
                Scope::Filtered,
                "The clippings in the list",
                state.shown().len(),
            ),
            (
                Scope::Library,
                "The whole library",
                state.library().map_or(0, |l| l.len()),
            ),
        ];
        let mut open = true;
        let mut export = None;
        let mut choose = false;
        egui::Window::new("Export")
            .open(&mut open)
            .collapsible(false)
            .default_width(460.0)
            .show(&ctx, |ui| {
                let scope = &mut self.scope;
                let confirm = &mut self.confirm_replace;
                let d = &mut self.choices;
                ui.strong("Format");
                for format in Format::ALL {
                    if ui
                        .radio_value(&mut d.format, format, format.label())
                        .changed()
                    {
                        swap_extension(d);
                        *confirm = None;
                    }
                }
                ui.add_space(6.0);
                ui.strong("Clippings");
                for (s, label, n) in counts {
                    ui.add_enabled(
                        n > 0,
                        egui::RadioButton::new(*scope == s, format!("{label} ({n})")),
                    )
                    .clicked()
                    .then(|| *scope = s);
                }
                ui.add_space(6.0);
                if ui.checkbox(&mut d.split, "One file per clipping").changed() {
                    swap_extension(d);
                    *confirm = None;
                }
                if d.split && d.format == Format::Markdown {
                    ui.checkbox(&mut d.update, "Update files exported there before")
                        .on_hover_text(
                            "Rewrites the files this export wrote (found by clipping id), keeps \
                             what you wrote below their marker line, touches no other file",
                        );
                }
                ui.add_space(6.0);
                let label = ui.label(if d.split {
                    "Export into folder"
                } else {
                    "Export to file"
                });
                ui.horizontal(|ui| {
                    let field = ui
                        .add(egui::TextEdit::singleline(&mut d.path).desired_width(320.0))
                        .labelled_by(label.id);
                    widgets::accessible_name_text(&field, "Export to");
                    if field.changed() {
                        *confirm = None;
                    }
                    if ui.button("Choose…").clicked() {
                        choose = true;
                    }
                });
                ui.add_space(8.0);
                if let Some(existing) = confirm.clone() {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!("{existing} already exists."),
                    );
                    ui.horizontal(|ui| {
                        if ui.button("Replace").clicked() {
                            export = Some(true);
                        }
                        if ui.button("Keep it").clicked() {
                            *confirm = None;
                        }
                    });
                } else if ui.button("Export").clicked() {
                    export = Some(false);
                }
            });
        if choose {
            if self.native {
                self.pick(&ctx);
            } else {
                commands.push(Command::Notify(Notification::info(
                    "No file dialog is available here: type the path in the field.",
                )));
            }
        }
        if let Some(force) = export {
            self.request(state, force, commands);
        }
        open
    }
}

/// Keep the path's file name in step with the format and split choice.
fn swap_extension(d: &mut ExportChoices) {
    let path = PathBuf::from(d.path.trim());
    let parent = path.parent().map(|p| p.to_path_buf()).unwrap_or_default();
    d.path = parent
        .join(default_name(d.format, d.split))
        .display()
        .to_string();
}
