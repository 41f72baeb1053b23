//! The tag tree above the library list: tags under their parents ("russia" above
//! "russia/syria"), collapsible, each with the count of clippings under it; click to filter
//! (several narrow it), Rename… to rename or merge across the library, right-click for colors.

use super::app::ClipfileApp;
use super::state::Action;

/// Colors offered for tags.
const PALETTE: [(&str, [u8; 3]); 6] = [
    ("Red", [230, 120, 120]),
    ("Orange", [240, 170, 90]),
    ("Yellow", [235, 215, 100]),
    ("Green", [130, 200, 130]),
    ("Blue", [120, 170, 235]),
    ("Purple", [180, 140, 220]),
];

pub fn show(ui: &mut egui::Ui, app: &mut ClipfileApp) {
    let tree = app.state.tag_tree().to_vec();
    if tree.is_empty() {
        return;
    }
    let mut actions = Vec::new();
    let top = tree.iter().filter(|(t, _)| !t.contains('/')).count();
    egui::CollapsingHeader::new(format!("Tags ({})", app.state.tag_counts().len()))
        .id_salt("tag_list")
        .default_open(true)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("tag_tree")
                .max_height(180.0)
                .show(ui, |ui| {
                    nodes(ui, app, &tree, "", &mut actions);
                });
            if top == 0 {
                ui.weak("No tags yet");
            }
        });
    for action in actions {
        app.apply(action);
    }
    rename_window(ui, app);
}

/// The tags directly under `parent` ("" for the top), each with its subtree.
fn nodes(
    ui: &mut egui::Ui,
    app: &mut ClipfileApp,
    tree: &[(String, usize)],
    parent: &str,
    actions: &mut Vec<Action>,
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
                .show_header(ui, |ui| row(ui, app, tag, rest, *count, actions))
                .body(|ui| nodes(ui, app, tree, tag, actions));
        } else {
            ui.horizontal(|ui| {
                // In line with the names that have an expand arrow.
                ui.add_space(ui.spacing().indent);
                row(ui, app, tag, rest, *count, actions);
            });
        }
    }
}

/// One tag: a chip that filters (with the count of clippings under it), and a visible button
/// for rename and merge; right-click for colors.
fn row(
    ui: &mut egui::Ui,
    app: &mut ClipfileApp,
    tag: &str,
    name: &str,
    count: usize,
    actions: &mut Vec<Action>,
) {
    let active = app.state.query.tags.iter().any(|t| t == tag);
    let chip = egui::Button::new(format!("{name}  {count}"))
        .fill(super::detail::tag_color(ui, &app.state, tag))
        .selected(active);
    let response = ui.add(chip).on_hover_text(format!(
        "{tag}: {} (with its sub-tags). Click to filter (several narrow the list); right-click for colors",
        super::state::plural(count, "clipping", "clippings")
    ));
    super::accessible_name(&response, &format!("{tag} {count}"));
    if response.clicked() {
        actions.push(Action::ToggleTagFilter(tag.to_string()));
    }
    // A visible, quiet way to the actions (right-click on the chip opens the same menu).
    let more = ui.menu_button("…", |ui| menu(ui, app, tag, actions));
    let more = more
        .response
        .on_hover_text("Rename, merge or color this tag");
    super::accessible_name(&more, &format!("Actions for {tag}"));
    response.context_menu(|ui| menu(ui, app, tag, actions));
}

/// Rename or merge, and the colors.
fn menu(ui: &mut egui::Ui, app: &mut ClipfileApp, tag: &str, actions: &mut Vec<Action>) {
    if ui.button("Rename or merge…").clicked() {
        app.rename_tag = Some((tag.to_string(), tag.to_string()));
        app.focus_dialog = true;
        ui.close();
    }
    ui.separator();
    for (name, rgb) in PALETTE {
        if ui.button(name).clicked() {
            actions.push(Action::SetTagColor(tag.to_string(), Some(rgb)));
            ui.close();
        }
    }
    if ui.button("Default color").clicked() {
        actions.push(Action::SetTagColor(tag.to_string(), None));
        ui.close();
    }
}

fn rename_window(ui: &mut egui::Ui, app: &mut ClipfileApp) {
    let Some((from, _)) = app.rename_tag.clone() else {
        return;
    };
    let ctx = ui.ctx().clone();
    let mut open = true;
    let mut submit = None;
    egui::Window::new("Rename tag")
        .collapsible(false)
        .open(&mut open)
        .show(&ctx, |ui| {
            ui.label(format!(
                "Rename \u{201c}{from}\u{201d} (and its sub-tags) in every clipping. Naming an existing tag merges the two."
            ));
            if let Some((_, to)) = &mut app.rename_tag {
                let response = ui.add(egui::TextEdit::singleline(to));
                super::accessible_name_text(&response, "New tag name");
                if app.focus_dialog {
                    // Focused with the old name selected: typing replaces it.
                    response.request_focus();
                    let mut state =
                        egui::text_edit::TextEditState::load(ui.ctx(), response.id).unwrap_or_default();
                    state.cursor.set_char_range(Some(egui::text::CCursorRange::two(
                        egui::text::CCursor::new(0),
                        egui::text::CCursor::new(to.chars().count()),
                    )));
                    state.store(ui.ctx(), response.id);
                    app.focus_dialog = false;
                }
                let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if ui.button("Rename").clicked() || enter {
                    submit = Some(to.clone());
                }
            }
        });
    if let Some(to) = submit {
        app.rename_tag = None;
        app.apply(Action::RenameTag { from, to });
    } else if !open {
        app.rename_tag = None;
    }
}
