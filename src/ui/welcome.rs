//! The first-run panel shown while the library is empty, being opened, or could not be opened.

use super::commands::{Command, Commands, UiCommand};
use super::state::AppState;
use super::widgets::{command_button, thousands};

pub fn show(ui: &mut egui::Ui, state: &AppState, commands: &mut Commands) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.18);
        if let Some((read, total)) = state.opening_progress() {
            opening(ui, read, total, state);
            return;
        }
        if let Some(error) = &state.open_error
            && state.library().is_none()
        {
            ui.heading("The library could not be opened");
            ui.add_space(8.0);
            ui.colored_label(ui.visuals().error_fg_color, error);
            ui.add_space(8.0);
            ui.label(format!("Library folder: {}", state.library_root.display()));
            ui.add_space(8.0);
            if ui.button("Try again").clicked() {
                commands.push(Command::ReopenLibrary);
            }
            return;
        }
        ui.heading("Welcome to Clipfile");
        ui.add_space(10.0);
        ui.label(
            "Drag article text files or folders onto this window to add them to your library.",
        );
        let keys = UiCommand::Import
            .shortcut_text(ui.ctx())
            .unwrap_or_default();
        ui.label(format!("Or press {keys} to choose files."));
        ui.add_space(16.0);
        ui.horizontal(|ui| {
            let width = 330.0;
            ui.add_space(((ui.available_width() - width) / 2.0).max(0.0));
            command_button(ui, UiCommand::Import, Some("Import files…"), None, commands);
            command_button(ui, UiCommand::LoadSample, None, None, commands);
        });
        ui.add_space(16.0);
        ui.weak(format!("Library folder: {}", state.library_root.display()));
    });
}

/// What the window shows while the library is being read: how far it has come.
fn opening(ui: &mut egui::Ui, read: usize, total: usize, state: &AppState) {
    ui.heading("Opening the library…");
    ui.add_space(10.0);
    let width = ui.available_width().min(360.0);
    if total == 0 {
        ui.add(egui::Spinner::new());
        ui.label("Listing the clippings…");
    } else {
        let read = read.min(total);
        ui.add(
            egui::ProgressBar::new(read as f32 / total as f32)
                .desired_width(width)
                .show_percentage(),
        );
        let noun = if total == 1 { "clipping" } else { "clippings" };
        ui.label(format!(
            "{} of {} {noun} read",
            thousands(read),
            thousands(total)
        ));
    }
    ui.add_space(8.0);
    ui.weak(format!("Library folder: {}", state.library_root.display()));
}
