//! The tag list above the library list: every tag with its count; click to filter (several
//! narrow it), right-click to rename, merge or color a tag across the library.

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
    let counts = app.state.tag_counts().to_vec();
    if counts.is_empty() {
        return;
    }
    let mut actions = Vec::new();
    egui::CollapsingHeader::new(format!("Tags ({})", counts.len()))
        .id_salt("tag_list")
        .default_open(true)
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                for (tag, count) in &counts {
                    let active = app.state.query.tags.contains(tag);
                    let chip = egui::Button::new(format!("{tag} {count}"))
                        .fill(super::detail::tag_color(ui, &app.state, tag))
                        .selected(active);
                    let response = ui.add(chip).on_hover_text(
                        "Click to filter by this tag (several narrow the list); right-click to rename or color it",
                    );
                    if response.clicked() {
                        actions.push(Action::ToggleTagFilter(tag.clone()));
                    }
                    response.context_menu(|ui| {
                        if ui.button("Rename or merge…").clicked() {
                            app.rename_tag = Some((tag.clone(), tag.clone()));
                            ui.close();
                        }
                        ui.separator();
                        for (name, rgb) in PALETTE {
                            if ui.button(name).clicked() {
                                actions.push(Action::SetTagColor(tag.clone(), Some(rgb)));
                                ui.close();
                            }
                        }
                        if ui.button("Default color").clicked() {
                            actions.push(Action::SetTagColor(tag.clone(), None));
                            ui.close();
                        }
                    });
                }
            });
        });
    for action in actions {
        app.apply(action);
    }
    rename_window(ui, app);
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
