//! The window of an opened highlight: its quote, color, comment, tags, and Remove.

use super::colors::highlight_fill;
use super::commands::Commands;
use super::state::{Action, AppState};
use super::widgets;
use crate::model::HighlightColor;

/// The highlight window's own state: the comment and tag being typed.
#[derive(Debug, Default)]
pub struct HighlightEditor {
    /// The comment as typed, for the highlight it was typed on.
    comment: Option<(String, String)>,
    /// The text of the "Add highlight tag" field.
    tag_input: String,
}

impl HighlightEditor {
    /// Draw the window of the highlight the state has open (if any).
    pub fn show(&mut self, ui: &mut egui::Ui, state: &AppState, commands: &mut Commands) {
        let Some(hid) = state.open_highlight.clone() else {
            self.comment = None;
            return;
        };
        let Some(h) = state
            .selected_clipping()
            .and_then(|c| c.highlights.iter().find(|h| h.id == hid))
            .cloned()
        else {
            commands.action(Action::OpenHighlight(None));
            return;
        };
        if self
            .comment
            .as_ref()
            .is_none_or(|(for_id, _)| *for_id != hid)
        {
            self.comment = Some((hid.clone(), h.comment.clone()));
        }
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
                    widgets::accessible_name(&button, &format!("Color {}", color.name()));
                    if button.clicked() && h.color != color {
                        actions.push(Action::SetHighlightColor(hid.clone(), color));
                    }
                }
            });
            ui.label("Comment:");
            let id = egui::Id::unique(("highlight_comment", &hid));
            if let Some((_, comment)) = &mut self.comment {
                let response = ui.add(
                    egui::TextEdit::multiline(comment)
                        .id(id.with("edit"))
                        .desired_rows(3)
                        .desired_width(f32::INFINITY),
                );
                widgets::accessible_name_text(&response, "Comment");
                let commit = response.lost_focus() || ui.button("Save comment").clicked();
                if commit && *comment != h.comment {
                    actions.push(Action::SetHighlightComment(hid.clone(), comment.clone()));
                }
            }

            ui.label("Tags:");
            ui.horizontal_wrapped(|ui| {
                for tag in &h.tags {
                    let chip = ui.button(format!("{tag}  ×"));
                    widgets::accessible_name(&chip, &format!("Remove highlight tag {tag}"));
                    if chip.clicked() {
                        actions.push(Action::RemoveHighlightTag(hid.clone(), tag.clone()));
                    }
                }
            });
            if let Some(tag) = widgets::tag_field(
                ui,
                &mut self.tag_input,
                state.tag_counts(),
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
            commands.action(action);
        }
        if !open {
            commands.action(Action::OpenHighlight(None));
        }
    }
}
