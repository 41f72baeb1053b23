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
            let has_clippings = app.state.library().is_some_and(|l| !l.is_empty());
            let export = ui
                .add_enabled(has_clippings, egui::Button::new("Export…"))
                .on_hover_text("Export notes, highlights and metadata (Ctrl+E)")
                .on_disabled_hover_text("Import clippings first: there is nothing to export");
            if export.clicked() {
                super::export_dialog::open(app);
            }
            ui.separator();

            let label = ui.label("Search:");
            // Room left for the count, the sort menu and the theme button.
            let search_width = (ui.available_width() - 420.0).clamp(140.0, 320.0);
            let search = egui::TextEdit::singleline(&mut app.search_text)
                .hint_text("Words in headlines, text, notes, tags, names (Ctrl+F)")
                .desired_width(search_width);
            let response = ui.add(search).labelled_by(label.id);
            super::accessible_name_text(&response, "Search");
            if app.focus_search {
                response.request_focus();
                app.focus_search = false;
            }
            if response.changed() {
                let text = app.search_text.clone();
                app.apply(Action::SetSearch(text));
                app.search_match = 0;
                app.scroll_to_match = true;
            }
            // Down leaves the field for the results: the first one is selected and Up/Down
            // move on from there.
            if response.has_focus() && ui.input(|i| i.key_pressed(egui::Key::ArrowDown)) {
                response.surrender_focus();
                let first = app.state.visible().first().cloned();
                if let Some(id) = first {
                    app.apply(Action::Select(id));
                    app.scroll_to_selection = true;
                }
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
                ui.label(format!("{shown} of {total} match"))
                    .on_hover_text("Clippings holding every word of the search");
            } else {
                ui.label(plural(total, "clipping", "clippings"));
            }
            ui.separator();
            let mut sort = app.state.sort;
            // The word comes before its menu; the menu is named "Sort" for assistive tools.
            ui.label("Sort:");
            let name_it = |response: &egui::Response, value: &str| {
                let value = value.to_string();
                response.widget_info(|| {
                    let mut info =
                        egui::WidgetInfo::labeled(egui::Role::ComboBox, response.enabled(), "Sort");
                    info.current_text_value = Some(value.clone());
                    info
                });
            };
            if app.state.query.text.trim().is_empty() {
                let menu = egui::ComboBox::from_id_salt("sort")
                    .selected_text(sort.label())
                    .show_ui(ui, |ui| {
                        for key in SortKey::ALL {
                            ui.selectable_value(&mut sort, key, key.label());
                        }
                    });
                name_it(&menu.response, sort.label());
            } else {
                // Search results come best match first; the chosen order returns with the
                // search cleared.
                ui.add_enabled_ui(false, |ui| {
                    let menu = egui::ComboBox::from_id_salt("sort")
                        .selected_text("Best match")
                        .show_ui(ui, |_| {});
                    name_it(&menu.response, "Best match");
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

pub use super::state::plural;
