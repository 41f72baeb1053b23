//! The first-run panel shown while the library is empty (or could not be opened).

use super::commands::{Command, Commands, UiCommand};
use super::state::AppState;
use super::widgets::command_button;

pub fn show(ui: &mut egui::Ui, state: &AppState, commands: &mut Commands) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.18);
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
