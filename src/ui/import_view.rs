//! Import feedback: the drop overlay, the progress bar with Cancel, the summary with per-file
//! details, the path field used when no file dialog is available, and library problems.

use super::app::ClipfileApp;
use super::state::Action;
use crate::library::{Outcome, import::file_name};

/// The status bar: import progress, the last notice (with Undo), library problems.
pub fn bottom_bar(ui: &mut egui::Ui, app: &mut ClipfileApp) {
    let problems = app.state.library().map_or(0, |l| l.problems().len());
    let busy = app.state.import.is_some();
    if !busy && app.state.notice.is_none() && problems == 0 {
        return;
    }
    egui::Panel::bottom("status").show(ui, |ui| {
        ui.add_space(3.0);
        if let Some(import) = &app.state.import {
            let progress = import.job.progress();
            let mut cancel = false;
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
                cancel = ui.button("Cancel").clicked();
            });
            if cancel {
                app.apply(Action::CancelImport);
            }
        }
        if let Some(notice) = app.state.notice.clone() {
            ui.horizontal(|ui| {
                if notice.is_error {
                    ui.colored_label(ui.visuals().warn_fg_color, &notice.text);
                } else {
                    ui.label(&notice.text);
                }
                if notice.undo && ui.button("Undo").on_hover_text("Ctrl+Z").clicked() {
                    app.apply(Action::Undo);
                }
                if app.state.notice_is_import() && ui.button("Show details").clicked() {
                    app.show_import_details = true;
                }
                let dismiss = ui.small_button("×");
                super::accessible_name(&dismiss, "Dismiss");
                if dismiss.clicked() {
                    app.apply(Action::DismissNotice);
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
                    app.show_problems = true;
                }
            });
        }
        ui.add_space(3.0);
    });
}

/// Floating windows: import details, the path field, library problems.
pub fn windows(ui: &mut egui::Ui, app: &mut ClipfileApp) {
    let ctx = ui.ctx().clone();
    if app.show_import_details
        && let Some(summary) = &app.state.last_import
    {
        let mut open = true;
        egui::Window::new("Import details")
            .open(&mut open)
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
        app.show_import_details = open;
    }

    if app.path_prompt.is_some() {
        let mut open = true;
        let mut submit = None;
        egui::Window::new("Import from a path")
            .open(&mut open)
            .collapsible(false)
            .show(&ctx, |ui| {
                ui.label("No file dialog is available on this system. Type the path of a file or folder to import:");
                let label = ui.label("Path to import");
                if let Some(text) = &mut app.path_prompt {
                    let response = ui
                        .add(egui::TextEdit::singleline(text).desired_width(420.0))
                        .labelled_by(label.id);
                    if app.focus_dialog {
                        response.request_focus();
                        app.focus_dialog = false;
                    }
                    let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    if ui.button("Import").clicked() || enter {
                        submit = Some(text.clone());
                    }
                }
            });
        if let Some(text) = submit {
            let paths: Vec<std::path::PathBuf> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(expand_home)
                .collect();
            app.path_prompt = None;
            app.apply(Action::Import(paths));
        } else if !open {
            app.path_prompt = None;
        }
    }

    if app.show_problems
        && let Some(lib) = app.state.library()
    {
        let mut open = true;
        egui::Window::new("Library problems")
            .open(&mut open)
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
        app.show_problems = open;
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
