//! The top bar: Import…, Export…, search with its match count, sort, theme switch.

use super::commands::{Command, Commands, UiCommand};
use super::state::{Action, AppState, SortKey, plural};
use super::widgets::{self, command_button};

/// The top bar and what it keeps: the search field's text.
#[derive(Debug, Default)]
pub struct TopBar {
    /// The search field's text (sent to the state as it changes).
    pub search_text: String,
    /// Give the search field the keyboard on the next frame.
    pub focus_search: bool,
    /// The width the widgets after the search field took in the last frame (its clear button,
    /// the count, the sort menu, the buttons on the right), so the field leaves them room:
    /// a fixed guess let the buttons on the right cover the sort menu in a narrow window.
    trailing: Option<f32>,
    /// The window is too narrow for everything at its full width: the field is narrower and
    /// the sort menu goes without its word.
    compact: bool,
}

impl TopBar {
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        state: &AppState,
        theme_label: &str,
        commands: &mut Commands,
    ) {
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                ui.heading("Clipfile");
                ui.separator();
                command_button(ui, UiCommand::Import, None, None, commands);
                let empty = state.library().is_none_or(|l| l.is_empty());
                let why = empty.then_some("Import clippings first: there is nothing to export");
                command_button(ui, UiCommand::Export, None, why, commands);
                ui.separator();
                let search_end = self.search(ui, state, commands);
                ui.separator();
                sort_menu(ui, state, commands, !self.compact);
                let sort_end = ui.min_rect().right();
                let right_start = ui
                    .with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        command_button(
                            ui,
                            UiCommand::CycleTheme,
                            Some(theme_label),
                            None,
                            commands,
                        );
                        let palette = command_button(
                            ui,
                            UiCommand::CommandPalette,
                            Some("Commands"),
                            None,
                            commands,
                        );
                        widgets::accessible_name(&palette, "Command palette");
                        palette.rect.left()
                    })
                    .inner;
                // What follows the field, and a gap before the buttons on the right.
                let trailing = (sort_end - search_end).max(0.0)
                    + (ui.max_rect().right() - right_start).max(0.0)
                    + 2.0 * ui.spacing().item_spacing.x;
                if self.trailing.is_none_or(|t| (t - trailing).abs() > 1.0) {
                    self.trailing = Some(trailing);
                    ui.ctx().request_repaint();
                }
            });
            search_line(ui, state);
            ui.add_space(4.0);
        });
    }

    /// The search field, its clear button and the count; returns where the field ends.
    fn search(&mut self, ui: &mut egui::Ui, state: &AppState, commands: &mut Commands) -> f32 {
        let label = ui.label("Search:");
        // Room left for what follows the field (as it was last drawn; a guess at first).
        let room = ui.available_width() - self.trailing.unwrap_or(460.0);
        // Narrow: the sort menu's word goes (the menu still says its order); with it back
        // the field would have less room than this.
        let compact = room < if self.compact { 140.0 + 44.0 } else { 140.0 };
        if compact != self.compact {
            self.compact = compact;
            ui.ctx().request_repaint();
        }
        let search_width = room.clamp(100.0, 320.0);
        let hint = format!(
            "{} ({})",
            UiCommand::FocusSearch.tooltip(),
            UiCommand::FocusSearch
                .shortcut_text(ui.ctx())
                .unwrap_or_default()
        );
        let search = egui::TextEdit::singleline(&mut self.search_text)
            .hint_text(hint)
            .desired_width(search_width);
        let response = ui.add(search).labelled_by(label.id);
        widgets::accessible_name_text(&response, "Search");
        if self.focus_search {
            response.request_focus();
            self.focus_search = false;
        }
        if response.changed() {
            commands.action(Action::SetSearch(self.search_text.clone()));
            commands.push(Command::ResetSearchMatch);
        }
        // Down leaves the field for the results: the first one is selected and Up/Down move
        // on from there.
        if response.has_focus() && ui.input(|i| i.key_pressed(egui::Key::ArrowDown)) {
            response.surrender_focus();
            if let Some(id) = state.shown().first() {
                commands.action(Action::Select(id.to_string()));
                commands.push(Command::ScrollToSelection);
            }
        }
        if !self.search_text.is_empty()
            && ui.small_button("×").on_hover_text("Clear search").clicked()
        {
            self.search_text.clear();
            commands.action(Action::SetSearch(String::new()));
        }
        // While the library opens, the count of the index's rows shown meanwhile.
        let total = state
            .library()
            .map_or_else(|| state.opening_rows().map_or(0, <[_]>::len), |l| l.len());
        let shown = state.shown().len();
        if !state.query.is_empty() {
            ui.label(format!("{shown} of {total} match"))
                .on_hover_text("Clippings holding every word of the search");
        } else {
            ui.label(plural(total, "clipping", "clippings"));
        }
        response.rect.right()
    }
}

/// The line under the search box: the query language in one line, or what is wrong with the
/// query typed.
fn search_line(ui: &mut egui::Ui, state: &AppState) {
    let (text, color) = match state.search_line() {
        Ok(help) => (help.to_string(), ui.visuals().weak_text_color()),
        Err(error) => (error, ui.visuals().error_fg_color),
    };
    ui.add(egui::Label::new(egui::RichText::new(text).small().color(color)).truncate());
}

/// The order of the list (disabled while a search ranks it).
fn sort_menu(ui: &mut egui::Ui, state: &AppState, commands: &mut Commands, word: bool) {
    let mut sort = state.sort;
    // The word comes before its menu (not in a narrow window); the menu is named "Sort" for
    // assistive tools either way.
    if word {
        ui.label("Sort:");
    }
    let name_it = |response: &egui::Response, value: &str| {
        let value = value.to_string();
        response.widget_info(|| {
            let mut info =
                egui::WidgetInfo::labeled(egui::Role::ComboBox, response.enabled(), "Sort");
            info.current_text_value = Some(value.clone());
            info
        });
    };
    if state.query.text.trim().is_empty() {
        let menu = egui::ComboBox::from_id_salt("sort")
            .selected_text(sort.label())
            .show_ui(ui, |ui| {
                for key in SortKey::ALL {
                    ui.selectable_value(&mut sort, key, key.label());
                }
            });
        name_it(&menu.response, sort.label());
    } else {
        // Search results come best match first; the chosen order returns with the search
        // cleared.
        ui.add_enabled_ui(false, |ui| {
            let menu = egui::ComboBox::from_id_salt("sort")
                .selected_text("Best match")
                .show_ui(ui, |_| {});
            name_it(&menu.response, "Best match");
        })
        .response
        .on_disabled_hover_text("Search results are ranked by best match");
    }
    if sort != state.sort {
        commands.action(Action::SetSort(sort));
    }
}
