//! The window of an opened highlight: its quote, color, comment, tags, and Remove.

use super::app::ClipfileApp;
use super::reader::highlight_fill;
use super::state::Action;
use crate::model::HighlightColor;

pub fn show(ui: &mut egui::Ui, app: &mut ClipfileApp) {
    let Some(hid) = app.state.open_highlight.clone() else {
        return;
    };
    let Some(h) = app
        .state
        .selected_clipping()
        .and_then(|c| c.highlights.iter().find(|h| h.id == hid))
        .cloned()
    else {
        app.state.open_highlight = None;
        return;
    };
    let ctx = ui.ctx().clone();
    let mut open = true;
    let mut actions = Vec::new();
    egui::Window::new("Highlight")
        .id(egui::Id::unique("highlight_editor"))
        .open(&mut open)
        .default_width(320.0)
        // Over the detail panel at the window's right edge, not over the passage it is about.
        .pivot(egui::Align2::RIGHT_TOP)
        .default_pos(ctx.content_rect().right_top() + egui::vec2(-10.0, 60.0))
        .resizable(true)
        .show(&ctx, |ui| {
            let dark = ui.visuals().dark_mode;
            egui::Frame::NONE
                .fill(highlight_fill(h.color, dark))
                .inner_margin(6.0)
                .corner_radius(3.0)
                .show(ui, |ui| {
                    ui.add(egui::Label::new(
                        egui::RichText::new(&h.quote).italics().color(if dark {
                            egui::Color32::WHITE
                        } else {
                            egui::Color32::BLACK
                        }),
                    ).wrap());
                });
            if h.orphan {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    "This passage is no longer in the text; the highlight is kept with its comment.",
                );
            }
            ui.horizontal(|ui| {
                ui.label("Color:");
                for color in HighlightColor::ALL {
                    let button = ui.add(
                        egui::Button::new(color.name())
                            .fill(highlight_fill(color, dark))
                            .selected(h.color == color),
                    );
                    super::accessible_name(&button, &format!("Color {}", color.name()));
                    if button.clicked() && h.color != color {
                        actions.push(Action::SetHighlightColor(hid.clone(), color));
                    }
                }
            });
            ui.label("Comment:");
            let id = egui::Id::unique(("highlight_comment", &hid));
            let mut comment = ui
                .data_mut(|d| d.get_temp::<(String, String)>(id))
                .filter(|(for_id, _)| *for_id == hid)
                .map(|(_, c)| c)
                .unwrap_or_else(|| h.comment.clone());
            let response = ui.add(
                egui::TextEdit::multiline(&mut comment)
                    .id(id.with("edit"))
                    .desired_rows(3)
                    .desired_width(f32::INFINITY),
            );
            super::accessible_name_text(&response, "Comment");
            ui.data_mut(|d| d.insert_temp(id, (hid.clone(), comment.clone())));
            let commit = response.lost_focus() || ui.button("Save comment").clicked();
            if commit && comment != h.comment {
                actions.push(Action::SetHighlightComment(hid.clone(), comment));
            }
            ui.label("Tags:");
            ui.horizontal_wrapped(|ui| {
                for tag in &h.tags {
                    let chip = ui.button(format!("{tag}  ×"));
                    super::accessible_name(&chip, &format!("Remove highlight tag {tag}"));
                    if chip.clicked() {
                        actions.push(Action::RemoveHighlightTag(hid.clone(), tag.clone()));
                    }
                }
            });
            let known: Vec<String> = app.state.tag_counts().iter().map(|(t, _)| t.clone()).collect();
            if let Some(tag) = super::annotations::tag_field(
                ui,
                &mut app.highlight_tag_input,
                &known,
                &h.tags,
                "Add highlight tag",
            ) {
                actions.push(Action::AddHighlightTag(hid.clone(), tag));
            }
            ui.separator();
            if ui.button("Remove highlight").clicked() {
                actions.push(Action::RemoveHighlight(hid.clone()));
            }
        });
    for action in actions {
        app.apply(action);
    }
    if !open {
        app.state.open_highlight = None;
    }
}
