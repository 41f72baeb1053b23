//! The first-run panel shown while the library is empty (or could not be opened).

use super::app::ClipfileApp;
use super::state::Action;

pub fn show(ui: &mut egui::Ui, app: &mut ClipfileApp) {
    ui.vertical_centered(|ui| {
        ui.add_space(ui.available_height() * 0.18);
        if let Some(error) = app.state.open_error.clone()
            && app.state.library().is_none()
        {
            ui.heading("The library could not be opened");
            ui.add_space(8.0);
            ui.colored_label(ui.visuals().error_fg_color, error);
            ui.add_space(8.0);
            ui.label(format!(
                "Library folder: {}",
                app.state.library_root.display()
            ));
            ui.add_space(8.0);
            if ui.button("Try again").clicked() {
                let root = app.state.library_root.clone();
                app.state = super::state::AppState::open(root);
            }
            return;
        }
        ui.heading("Welcome to Clipfile");
        ui.add_space(10.0);
        ui.label(
            "Drag article text files or folders onto this window to add them to your library.",
        );
        ui.label("Or press Ctrl+O to choose files.");
        ui.add_space(16.0);
        ui.horizontal(|ui| {
            let width = 330.0;
            ui.add_space(((ui.available_width() - width) / 2.0).max(0.0));
            if ui.button("Import files…").clicked() {
                app.open_import_dialog(ui.ctx());
            }
            if ui
                .button("Load sample clipping")
                .on_hover_text("Add an Associated Press article from 2015 to try things out")
                .clicked()
            {
                app.apply(Action::LoadSample);
            }
        });
        ui.add_space(16.0);
        ui.weak(format!(
            "Library folder: {}",
            app.state.library_root.display()
        ));
    });
}
