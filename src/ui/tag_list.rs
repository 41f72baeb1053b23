//! The tag tree above the library list: tags under their parents ("russia" above
//! "russia/syria"), collapsible, each with the count of clippings under it; click to filter
//! (several narrow it), Rename… to rename or merge across the library, right-click for colors.

use super::colors::{TAG_COLORS, tag_color};
use super::commands::{Command, Commands};
use super::state::{Action, AppState};
use super::widgets;

pub fn show(ui: &mut egui::Ui, state: &AppState, commands: &mut Commands) {
    let tree = state.tag_tree();
    if tree.is_empty() {
        return;
    }
    let top = tree.iter().filter(|(t, _)| !t.contains('/')).count();
    egui::CollapsingHeader::new(format!("Tags ({})", state.tag_counts().len()))
        .id_salt("tag_list")
        .default_open(true)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("tag_tree")
                .max_height(180.0)
                .show(ui, |ui| {
                    nodes(ui, state, tree, "", commands);
                });
            if top == 0 {
                ui.weak("No tags yet");
            }
        });
}

/// The tags directly under `parent` ("" for the top), each with its subtree.
fn nodes(
    ui: &mut egui::Ui,
    state: &AppState,
    tree: &[(String, usize)],
    parent: &str,
    commands: &mut Commands,
) {
    let prefix = if parent.is_empty() {
        String::new()
    } else {
        format!("{parent}/")
    };
    for (tag, count) in tree {
        let Some(rest) = tag.strip_prefix(prefix.as_str()) else {
            continue;
        };
        if rest.is_empty() || rest.contains('/') {
            continue;
        }
        let has_children = tree.iter().any(|(t, _)| {
            t.len() > tag.len() + 1
                && t.starts_with(tag.as_str())
                && t.as_bytes()[tag.len()] == b'/'
        });
        if has_children {
            let id = ui.make_persistent_id(("tag_node", tag));
            egui::collapsing_header::CollapsingState::load_with_default_open(ui.ctx(), id, true)
                .show_header(ui, |ui| row(ui, state, tag, rest, *count, commands))
                .body(|ui| nodes(ui, state, tree, tag, commands));
        } else {
            ui.horizontal(|ui| {
                // In line with the names that have an expand arrow.
                ui.add_space(ui.spacing().indent);
                row(ui, state, tag, rest, *count, commands);
            });
        }
    }
}

/// One tag: a chip that filters (with the count of clippings under it), and a visible button
/// for rename and merge; right-click for colors.
fn row(
    ui: &mut egui::Ui,
    state: &AppState,
    tag: &str,
    name: &str,
    count: usize,
    commands: &mut Commands,
) {
    let active = state.query.tags.iter().any(|t| t == tag);
    let chip = egui::Button::new(format!("{name}  {count}"))
        .fill(tag_color(ui, state, tag))
        .selected(active);
    let response = ui.add(chip).on_hover_text(format!(
        "{tag}: {} (with its sub-tags). Click to filter (several narrow the list); right-click for colors",
        super::state::plural(count, "clipping", "clippings")
    ));
    widgets::accessible_name(&response, &format!("{tag} {count}"));
    if response.clicked() {
        commands.action(Action::ToggleTagFilter(tag.to_string()));
    }
    // A visible, quiet way to the actions (right-click on the chip opens the same menu).
    let more = ui.menu_button("…", |ui| menu(ui, tag, commands));
    let more = more
        .response
        .on_hover_text("Rename, merge or color this tag");
    widgets::accessible_name(&more, &format!("Actions for {tag}"));
    response.context_menu(|ui| menu(ui, tag, commands));
}

/// Rename or merge, and the colors.
fn menu(ui: &mut egui::Ui, tag: &str, commands: &mut Commands) {
    if ui.button("Rename or merge…").clicked() {
        commands.push(Command::RenameTag(tag.to_string()));
        ui.close();
    }
    ui.separator();
    for (name, rgb) in TAG_COLORS {
        if ui.button(name).clicked() {
            commands.action(Action::SetTagColor(tag.to_string(), Some(rgb)));
            ui.close();
        }
    }
    if ui.button("Default color").clicked() {
        commands.action(Action::SetTagColor(tag.to_string(), None));
        ui.close();
    }
}

/// The rename-or-merge window of one tag.
#[derive(Debug)]
pub struct RenameTag {
    pub from: String,
    pub to: String,
    focus: bool,
}

impl RenameTag {
    /// The window for `tag`, its name selected so typing replaces it.
    pub fn new(tag: &str) -> Self {
        RenameTag {
            from: tag.to_string(),
            to: tag.to_string(),
            focus: true,
        }
    }

    /// Draw it; false when it is to close (renamed or closed).
    pub fn show(&mut self, ui: &mut egui::Ui, commands: &mut Commands) -> bool {
        let mut open = true;
        let mut submit = false;
        let from = self.from.clone();
        egui::Window::new("Rename tag")
            .collapsible(false)
            .open(&mut open)
            .show(ui.ctx(), |ui| {
                ui.label(format!(
                    "Rename \u{201c}{from}\u{201d} (and its sub-tags) in every clipping. Naming an existing tag merges the two."
                ));
                let response = ui.add(egui::TextEdit::singleline(&mut self.to));
                widgets::accessible_name_text(&response, "New tag name");
                if self.focus {
                    // Focused with the old name selected: typing replaces it.
                    response.request_focus();
                    let mut state = egui::text_edit::TextEditState::load(ui.ctx(), response.id)
                        .unwrap_or_default();
                    state.cursor.set_char_range(Some(egui::text::CCursorRange::two(
                        egui::text::CCursor::new(0),
                        egui::text::CCursor::new(self.to.chars().count()),
                    )));
                    state.store(ui.ctx(), response.id);
                    self.focus = false;
                }
                let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if ui.button("Rename").clicked() || enter {
                    submit = true;
                }
            });
        if submit {
            commands.action(Action::RenameTag {
                from: self.from.clone(),
                to: self.to.clone(),
            });
            return false;
        }
        open
    }
}
