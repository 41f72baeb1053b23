//! The top bar: Import…, search with its match count, sort, theme switch.

use super::app::ClipfileApp;
use super::state::{Action, SortKey};

pub fn show(ui: &mut egui::Ui, app: &mut ClipfileApp) {
    egui::Panel::top("top_bar").show(ui, |ui| {
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            ui.heading("Clipfile");
            ui.separator();
            let import = ui
                .button("Import…")
                .on_hover_text("Import article text files (Ctrl+O), or drop them on the window");
            if import.clicked() {
                app.open_import_dialog(ui.ctx());
            }
            let export = ui
                .button("Export…")
                .on_hover_text("Export notes, highlights and metadata (Ctrl+E)");
            if export.clicked() {
                super::export_dialog::open(app);
            }
            ui.separator();

            let label = ui.label("Search:");
            let search = egui::TextEdit::singleline(&mut app.search_text)
                .hint_text("Search headlines, text, notes, tags, names (Ctrl+F)")
                .desired_width(320.0);
            let response = ui.add(search).labelled_by(label.id);
            super::accessible_name_text(&response, "Search");
            if app.focus_search {
                response.request_focus();
                app.focus_search = false;
            }
            if response.changed() {
                let text = app.search_text.clone();
                app.apply(Action::SetSearch(text));
            }
            if !app.search_text.is_empty()
                && ui.small_button("×").on_hover_text("Clear search").clicked()
            {
                app.search_text.clear();
                app.apply(Action::SetSearch(String::new()));
            }
            let total = app.state.library().map_or(0, |l| l.len());
            let shown = app.state.visible().len();
            let filtered = !app.state.query.is_empty();
            if filtered {
                ui.label(format!("{shown} of {total} match"));
            } else {
                ui.label(plural(total, "clipping", "clippings"));
            }
            ui.separator();
            let mut sort = app.state.sort;
            if app.state.query.text.trim().is_empty() {
                egui::ComboBox::from_label("Sort")
                    .selected_text(sort.label())
                    .show_ui(ui, |ui| {
                        for key in SortKey::ALL {
                            ui.selectable_value(&mut sort, key, key.label());
                        }
                    });
            } else {
                // Search results come best match first; the chosen order returns with the
                // search cleared.
                ui.add_enabled_ui(false, |ui| {
                    egui::ComboBox::from_label("Sort")
                        .selected_text("Best match")
                        .show_ui(ui, |_| {});
                })
                .response
                .on_disabled_hover_text("Search results are ranked by best match");
            }
            if sort != app.state.sort {
                app.apply(Action::SetSort(sort));
            }

            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button(app.prefs.theme.label())
                    .on_hover_text("Switch between the system, light and dark themes")
                    .clicked()
                {
                    app.prefs.theme = app.prefs.theme.next();
                }
            });
        });
        ui.add_space(4.0);
    });
}

/// "1 clipping", "2 clippings".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}
