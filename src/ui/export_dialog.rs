//! The Export dialog: format, scope (the selected clipping, the filtered list, the whole
//! library), one file or one per clipping, and where to write, with a native save or folder
//! dialog where the system has one and a path field always.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver};

use super::app::{ClipfileApp, Dialogs};
use super::state::Notice;
use crate::export::{ExportError, Format, export_to_path};
use crate::model::Clipping;

/// Which clippings an export takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scope {
    #[default]
    Selected,
    Filtered,
    Library,
}

/// The dialog's own state.
#[derive(Debug)]
pub struct ExportDialog {
    pub open: bool,
    pub format: Format,
    pub scope: Scope,
    pub split: bool,
    /// Markdown into a folder: rewrite the files exported there before, keeping the reader's
    /// text below their marker line.
    pub update: bool,
    /// Where to write: a file, or with `split` a folder.
    pub path: String,
    /// A pending native dialog's answer.
    picking: Option<Receiver<Option<PathBuf>>>,
    /// The last attempt found existing files: offer to replace them.
    pub confirm_replace: Option<String>,
}

impl Default for ExportDialog {
    fn default() -> Self {
        ExportDialog {
            open: false,
            format: Format::Markdown,
            scope: Scope::Selected,
            split: false,
            update: false,
            path: String::new(),
            picking: None,
            confirm_replace: None,
        }
    }
}

fn default_name(format: Format, split: bool) -> String {
    if split {
        "Clipfile export".into()
    } else {
        format!("clippings.{}", format.extension())
    }
}

/// Open the dialog with sensible defaults (the selected clipping if there is one).
pub fn open(app: &mut ClipfileApp) {
    let d = &mut app.export;
    d.open = true;
    d.confirm_replace = None;
    // What is shown: the filtered list while a search or filter is on, else the selection.
    d.scope = if app.state.selected.is_some() && app.state.query.is_empty() {
        Scope::Selected
    } else {
        Scope::Filtered
    };
    if d.path.is_empty() {
        let base = directories::UserDirs::new()
            .and_then(|u| u.document_dir().map(|p| p.to_path_buf()))
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        d.path = base
            .join(default_name(d.format, d.split))
            .display()
            .to_string();
    }
}

fn scoped(app: &mut ClipfileApp, scope: Scope) -> Vec<Clipping> {
    let ids: Vec<String> = match scope {
        Scope::Selected => app.state.selected.iter().cloned().collect(),
        Scope::Filtered => app.state.visible().to_vec(),
        Scope::Library => app
            .state
            .library()
            .map(|l| l.clippings().map(|c| c.id.clone()).collect())
            .unwrap_or_default(),
    };
    let Some(lib) = app.state.library() else {
        return Vec::new();
    };
    ids.iter().filter_map(|id| lib.get(id).cloned()).collect()
}

fn run_export(app: &mut ClipfileApp, force: bool) {
    let clippings = scoped(app, app.export.scope);
    if clippings.is_empty() {
        app.state.notice = Some(Notice {
            text: "Nothing to export: no clipping in that scope.".into(),
            is_error: true,
            undo: false,
        });
        return;
    }
    let path = PathBuf::from(app.export.path.trim());
    let Some(lib) = app.state.library() else {
        return;
    };
    let refs: Vec<&Clipping> = clippings.iter().collect();
    if app.export.update && app.export.split && app.export.format == Format::Markdown {
        let text = match crate::export::update_markdown_folder(lib, &refs, &path) {
            Ok(r) => {
                app.export.open = false;
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
                Notice {
                    text,
                    is_error: false,
                    undo: false,
                }
            }
            Err(e) => Notice {
                text: format!("Export failed: {e}"),
                is_error: true,
                undo: false,
            },
        };
        app.state.notice = Some(text);
        return;
    }
    let result = export_to_path(
        lib,
        &refs,
        app.export.format,
        app.export.split,
        &path,
        force,
    );
    match result {
        Ok(files) => {
            app.export.open = false;
            app.export.confirm_replace = None;
            let noun = if clippings.len() == 1 {
                "clipping"
            } else {
                "clippings"
            };
            app.state.notice = Some(Notice {
                text: format!(
                    "Exported {} {noun} as {} to {}",
                    clippings.len(),
                    app.export.format.label(),
                    if files.len() == 1 {
                        files[0].display().to_string()
                    } else {
                        path.display().to_string()
                    }
                ),
                is_error: false,
                undo: false,
            });
        }
        Err(ExportError::Exists(existing)) => {
            app.export.confirm_replace = Some(existing.display().to_string());
        }
        Err(e) => {
            app.state.notice = Some(Notice {
                text: format!("Export failed: {e}"),
                is_error: true,
                undo: false,
            });
        }
    }
}

fn pick(app: &mut ClipfileApp, ctx: &egui::Context) {
    let (tx, rx) = mpsc::channel();
    let current = PathBuf::from(app.export.path.trim());
    let dir = current
        .parent()
        .map(|p| p.to_path_buf())
        .unwrap_or_default();
    let dialog = rfd::AsyncFileDialog::new().set_directory(&dir);
    let ctx = ctx.clone();
    if app.export.split {
        let future = dialog.set_title("Export into folder").pick_folder();
        std::thread::spawn(move || {
            let _ = tx.send(pollster::block_on(future).map(|f| f.path().to_path_buf()));
            ctx.request_repaint();
        });
    } else {
        let name = default_name(app.export.format, false);
        let future = dialog
            .set_title("Export as")
            .set_file_name(name)
            .save_file();
        std::thread::spawn(move || {
            let _ = tx.send(pollster::block_on(future).map(|f| f.path().to_path_buf()));
            ctx.request_repaint();
        });
    }
    app.export.picking = Some(rx);
}

pub fn show(ui: &mut egui::Ui, app: &mut ClipfileApp) {
    if !app.export.open {
        return;
    }
    if let Some(rx) = &app.export.picking
        && let Ok(answer) = rx.try_recv()
    {
        app.export.picking = None;
        if let Some(path) = answer {
            app.export.path = path.display().to_string();
        }
    }
    let ctx = ui.ctx().clone();
    let counts = [
        (
            Scope::Selected,
            "The selected clipping",
            usize::from(app.state.selected.is_some()),
        ),
        (
            Scope::Filtered,
            "The clippings in the list",
            app.state.visible().len(),
        ),
        (
            Scope::Library,
            "The whole library",
            app.state.library().map_or(0, |l| l.len()),
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
            let d = &mut app.export;
            ui.strong("Format");
            for format in Format::ALL {
                if ui
                    .radio_value(&mut d.format, format, format.label())
                    .changed()
                {
                    swap_extension(d);
                }
            }
            ui.add_space(6.0);
            ui.strong("Clippings");
            for (scope, label, n) in counts {
                ui.add_enabled(
                    n > 0,
                    egui::RadioButton::new(d.scope == scope, format!("{label} ({n})")),
                )
                .clicked()
                .then(|| d.scope = scope);
            }
            ui.add_space(6.0);
            if ui.checkbox(&mut d.split, "One file per clipping").changed() {
                swap_extension(d);
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
                super::accessible_name_text(&field, "Export to");
                if field.changed() {
                    d.confirm_replace = None;
                }
                if ui.button("Choose…").clicked() {
                    choose = true;
                }
            });
            ui.add_space(8.0);
            if let Some(existing) = &d.confirm_replace {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!("{existing} already exists."),
                );
                ui.horizontal(|ui| {
                    if ui.button("Replace").clicked() {
                        export = Some(true);
                    }
                    if ui.button("Keep it").clicked() {
                        d.confirm_replace = None;
                    }
                });
            } else if ui.button("Export").clicked() {
                export = Some(false);
            }
        });
    if choose {
        match app.dialogs {
            Dialogs::Native => pick(app, &ctx),
            Dialogs::PathField => {
                app.state.notice = Some(Notice {
                    text: "No file dialog is available here: type the path in the field.".into(),
                    is_error: false,
                    undo: false,
                });
            }
        }
    }
    if let Some(force) = export {
        run_export(app, force);
    }
    if !open {
        app.export.open = false;
    }
}

/// Keep the path's file name in step with the format and split choice.
fn swap_extension(d: &mut ExportDialog) {
    let path = PathBuf::from(d.path.trim());
    let parent = path.parent().map(|p| p.to_path_buf()).unwrap_or_default();
    d.path = parent
        .join(default_name(d.format, d.split))
        .display()
        .to_string();
    d.confirm_replace = None;
}
