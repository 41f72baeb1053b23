//! Import feedback: the drop overlay, the status bar (progress with Cancel, the stacked
//! notifications, library problems), the import details and problems windows, and the path
//! field used when no file dialog is available.

use super::commands::{Commands, UiCommand};
use super::notify::Level;
use super::state::{Action, AppState};
use super::widgets;
use crate::library::{Outcome, import::file_name};

/// The status bar: import progress, the notifications (each dismissable, with Undo or
/// details where they offer them), library problems.
pub fn status_bar(ui: &mut egui::Ui, state: &AppState, commands: &mut Commands) {
    let problems = state.library().map_or(0, |l| l.problems().len());
    let busy = state.import.is_some();
    if !busy && state.notifications.is_empty() && problems == 0 {
        return;
    }
    egui::Panel::bottom("status").show(ui, |ui| {
        ui.add_space(3.0);
        if let Some(import) = &state.import {
            let progress = import.job.progress();
            ui.horizontal(|ui| {
                let text = if progress.is_listing() {
                    format!("Listing files… {} found", progress.total())
                } else {
                    format!(
                        "Importing {}/{} {}",
                        progress.done(),
                        progress.total(),
                        progress.current()
                    )
                };
                ui.add(
                    egui::ProgressBar::new(progress.fraction())
                        .desired_width(260.0)
                        .show_percentage(),
                );
                ui.label(text);
                if ui.button("Cancel").clicked() {
                    commands.action(Action::CancelImport);
                }
            });
        }
        for (id, notice) in state.notifications.iter() {
            let details = notice.import_details && state.last_import.is_some();
            ui.horizontal(|ui| {
                let text = egui::RichText::new(&notice.text);
                let text = match notice.level {
                    Level::Info => text,
                    Level::Warning | Level::Error => text.color(ui.visuals().warn_fg_color),
                };
                // The text wraps in what the buttons after it leave: a long message (one
                // naming a file, say) no longer pushes them out of a narrow window.
                let buttons = 32.0
                    + if notice.undo { 90.0 } else { 0.0 }
                    + if details { 120.0 } else { 0.0 };
                let width = (ui.available_width() - buttons).max(160.0);
                let height = ui.spacing().interact_size.y;
                ui.allocate_ui(egui::vec2(width, height), |ui| {
                    ui.add(egui::Label::new(text).wrap());
                });
                if notice.undo {
                    widgets::command_button(ui, UiCommand::Undo, None, None, commands);
                }
                if details && ui.button("Show details").clicked() {
                    commands.ui(UiCommand::ShowImportDetails);
                }
                let dismiss = ui.small_button("×");
                widgets::accessible_name(&dismiss, "Dismiss");
                if dismiss.clicked() {
                    commands.action(Action::DismissNotification(id));
                }
            });
        }
        if problems > 0 {
            ui.horizontal(|ui| {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    format!("{problems} library files need your attention (unreadable, or sync conflicts); Clipfile leaves them untouched."),
                );
                if ui.button("Show").clicked() {
                    commands.ui(UiCommand::ShowProblems);
                }
            });
        }
        ui.add_space(3.0);
    });
}

/// The import details and library problems windows: which are open.
#[derive(Debug, Default)]
pub struct InfoWindows {
    pub import_details: bool,
    pub problems: bool,
}

impl InfoWindows {
    /// The import details window, while open.
    pub fn show_import_details(&mut self, ui: &mut egui::Ui, state: &AppState) {
        let ctx = ui.ctx().clone();
        if self.import_details
            && let Some(summary) = &state.last_import
        {
            egui::Window::new("Import details")
                .open(&mut self.import_details)
                .default_width(520.0)
                .show(&ctx, |ui| {
                    ui.label(summary.headline());
                    ui.separator();
                    egui::ScrollArea::vertical()
                        .max_height(360.0)
                        .show(ui, |ui| {
                            egui::Grid::new("import_details")
                                .striped(true)
                                .show(ui, |ui| {
                                    for report in &summary.reports {
                                        ui.label(file_name(&report.path))
                                            .on_hover_text(report.path.display().to_string());
                                        let text = report.outcome.describe();
                                        match report.outcome {
                                            Outcome::Skipped(_) => {
                                                ui.colored_label(ui.visuals().warn_fg_color, text)
                                            }
                                            _ => ui.label(text),
                                        };
                                        ui.end_row();
                                    }
                                });
                        });
                });
        }
    }

    /// The library problems window, while open.
    pub fn show_problems(&mut self, ui: &mut egui::Ui, state: &AppState) {
        let ctx = ui.ctx().clone();
        if self.problems
            && let Some(lib) = state.library()
        {
            egui::Window::new("Library problems")
                .open(&mut self.problems)
                .default_width(560.0)
                .show(&ctx, |ui| {
                    ui.label("These files could not be read. Clipfile leaves them exactly as they are; fix or remove them by hand, then reopen the library.");
                    ui.separator();
                    for problem in lib.problems() {
                        ui.label(egui::RichText::new(problem.path.display().to_string()).monospace());
                        ui.label(&problem.reason);
                        ui.add_space(4.0);
                    }
                });
        }
    }
}

/// The in-app path field offered when no native file dialog is available.
#[derive(Debug, Default)]
pub struct PathPrompt {
    pub text: String,
    focus: bool,
}

impl PathPrompt {
    /// A new prompt that takes the keyboard.
    pub fn new() -> Self {
        PathPrompt {
            text: String::new(),
            focus: true,
        }
    }

    /// Draw it; false when it is to close (submitted or closed).
    pub fn show(&mut self, ui: &mut egui::Ui, commands: &mut Commands) -> bool {
        let mut open = true;
        let mut submit = false;
        egui::Window::new("Import from a path")
            .open(&mut open)
            .collapsible(false)
            .show(ui.ctx(), |ui| {
                ui.label("No file dialog is available on this system. Type the path of a file or folder to import:");
                let label = ui.label("Path to import");
                let response = ui
                    .add(egui::TextEdit::singleline(&mut self.text).desired_width(420.0))
                    .labelled_by(label.id);
                if self.focus {
                    response.request_focus();
                    self.focus = false;
                }
                let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if ui.button("Import").clicked() || enter {
                    submit = true;
                }
            });
        if submit {
            let paths: Vec<std::path::PathBuf> = self
                .text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(expand_home)
                .collect();
            commands.action(Action::Import(paths));
            return false;
        }
        open
    }
}

fn expand_home(path: &str) -> std::path::PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => std::path::PathBuf::from(home).join(rest),
        _ => std::path::PathBuf::from(path),
    }
}

/// While files hover over the window, say what dropping them will do.
pub fn drop_overlay(ui: &mut egui::Ui) {
    let ctx = ui.ctx().clone();
    let hovered = ctx.input(|i| i.raw.hovered_files.len());
    if hovered == 0 {
        return;
    }
    let text = if hovered == 1 {
        "Drop to import 1 file".to_string()
    } else {
        format!("Drop to import {hovered} files")
    };
    let painter = ctx.layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("drop_overlay"),
    ));
    let rect = ctx.content_rect();
    painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(170));
    painter.text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        text,
        egui::FontId::proportional(30.0),
        egui::Color32::WHITE,
    );
}
