//! The reader's own material in the detail panel: notes (saved as you type), tags with
//! autocomplete, and the list of highlights.

use super::app::ClipfileApp;
use super::reader::highlight_fill;
use super::state::Action;
use crate::model::{AnchorState, Clipping};

pub fn show(ui: &mut egui::Ui, app: &mut ClipfileApp, clipping: &Clipping) {
    tags(ui, app, clipping);
    ui.separator();
    notes(ui, app, clipping);
    ui.separator();
    highlights(ui, app, clipping);
}

fn notes(ui: &mut egui::Ui, app: &mut ClipfileApp, clipping: &Clipping) {
    ui.horizontal(|ui| {
        ui.strong("Notes");
        let saved = app.notes.edited.is_none() && app.notes.text == clipping.notes;
        // Next to the heading, never at the panel's edge where the scroll bar clips it.
        ui.weak("·");
        if saved {
            ui.weak("Saved");
        } else {
            ui.weak("Editing…");
        }
    });
    let response = ui.add(
        egui::TextEdit::multiline(&mut app.notes.text)
            .id_salt(("notes", &clipping.id))
            .hint_text("Your notes (Markdown welcome)")
            .desired_rows(5)
            .desired_width(f32::INFINITY),
    );
    super::accessible_name_text(&response, "Your notes");
    if response.changed() {
        app.notes.id = Some(clipping.id.clone());
        app.notes.edited = Some(std::time::Instant::now());
    }
    if response.lost_focus() {
        app.flush_notes();
    }
}

fn tags(ui: &mut egui::Ui, app: &mut ClipfileApp, clipping: &Clipping) {
    let several = app.state.multi.len() > 1;
    if several {
        ui.strong(format!(
            "Tags ({} clippings selected)",
            app.state.multi.len()
        ));
    } else {
        ui.strong("Tags");
    }
    let mut remove = None;
    ui.horizontal_wrapped(|ui| {
        for tag in &clipping.tags {
            let chip = ui.add(
                egui::Button::new(format!("{tag}  ×"))
                    .fill(super::detail::tag_color(ui, &app.state, tag)),
            );
            super::accessible_name(&chip, &format!("Remove tag {tag}"));
            if chip.on_hover_text("Remove this tag").clicked() {
                remove = Some(tag.clone());
            }
        }
        if clipping.tags.is_empty() {
            ui.weak("No tags yet.");
        }
    });
    if let Some(tag) = remove {
        app.apply(Action::RemoveTag(tag));
    }
    let known: Vec<String> = app
        .state
        .tag_counts()
        .iter()
        .map(|(t, _)| t.clone())
        .collect();
    if let Some(tag) = tag_field(ui, &mut app.tag_input, &known, &clipping.tags, "Add tag") {
        app.apply(Action::AddTag(tag));
    }
}

/// A text field that suggests existing tags as you type; returns a tag to add.
pub fn tag_field(
    ui: &mut egui::Ui,
    input: &mut String,
    known: &[String],
    present: &[String],
    name: &str,
) -> Option<String> {
    let mut chosen = None;
    let response = ui.add(
        egui::TextEdit::singleline(input)
            .hint_text("Add a tag (Enter); use / for levels, e.g. syria/diplomacy")
            .desired_width(f32::INFINITY),
    );
    super::accessible_name_text(&response, name);
    if response.lost_focus()
        && ui.input(|i| i.key_pressed(egui::Key::Enter))
        && !input.trim().is_empty()
    {
        chosen = Some(input.trim().to_string());
        input.clear();
        response.request_focus();
    }
    let typed = input.trim().to_lowercase();
    if !typed.is_empty() {
        let suggestions: Vec<&String> = known
            .iter()
            .filter(|t| !present.contains(t) && t.to_lowercase().contains(&typed))
            .take(8)
            .collect();
        if !suggestions.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.weak("Suggestions:");
                for tag in suggestions {
                    if ui.button(tag.as_str()).clicked() {
                        chosen = Some(tag.clone());
                        input.clear();
                    }
                }
            });
        }
    }
    chosen
}

fn highlights(ui: &mut egui::Ui, app: &mut ClipfileApp, clipping: &Clipping) {
    let anchored: Vec<_> = clipping.highlights.iter().filter(|h| !h.orphan).collect();
    let orphans: Vec<_> = clipping.highlights.iter().filter(|h| h.orphan).collect();
    ui.strong(format!("Highlights ({})", anchored.len()));
    if clipping.highlights.is_empty() {
        ui.weak("Select a passage in the text and press Ctrl+H to highlight it.");
    }
    let dark = ui.visuals().dark_mode;
    let mut open = None;
    let mut attach = None;
    for h in anchored {
        let short: String = h.quote.chars().take(140).collect();
        let more = if h.quote.chars().count() > 140 {
            "…"
        } else {
            ""
        };
        let text = egui::RichText::new(format!("\u{201c}{short}{more}\u{201d}"))
            .background_color(highlight_fill(h.color, dark));
        let quote = ui.add(egui::Label::new(text).wrap().sense(egui::Sense::click()));
        if quote
            .on_hover_text("Show it in the text and open it")
            .on_hover_cursor(egui::CursorIcon::PointingHand)
            .clicked()
        {
            open = Some(h.id.clone());
        }
        // Never moved silently: say so when the text changed under the highlight.
        match h.anchor_state {
            AnchorState::Moved => {
                ui.weak("Moved: found elsewhere after the text changed");
            }
            AnchorState::Fuzzy => {
                ui.weak(format!(
                    "Text changed: highlighted as \u{201c}{}\u{201d}",
                    h.original_quote
                ));
            }
            AnchorState::Exact | AnchorState::Orphan => {}
        }
        if !h.comment.trim().is_empty() {
            ui.indent(("comment", &h.id), |ui| {
                ui.add(egui::Label::new(egui::RichText::new(&h.comment).italics()).wrap());
            });
        }
        if let Some(from) = &h.copied_from {
            super::versions::copied_note(ui, app, &h.id, from);
        }
        if !h.tags.is_empty() {
            ui.indent(("tags", &h.id), |ui| {
                ui.weak(
                    h.tags
                        .iter()
                        .map(|t| format!("#{t}"))
                        .collect::<Vec<_>>()
                        .join(" "),
                );
            });
        }
    }
    if !orphans.is_empty() {
        ui.add_space(6.0);
        ui.colored_label(
            ui.visuals().warn_fg_color,
            format!("Not found in the text any more ({})", orphans.len()),
        );
        for h in orphans {
            let quote = egui::Label::new(format!("\u{201c}{}\u{201d}", h.quote))
                .wrap()
                .sense(egui::Sense::click());
            if ui.add(quote).clicked() {
                open = Some(h.id.clone());
            }
            ui.horizontal_wrapped(|ui| {
                let has_selection = app.state.text_selection.is_some();
                if ui
                    .add_enabled(has_selection, egui::Button::new("Attach here"))
                    .on_hover_text("Put this highlight on the passage selected in the text")
                    .on_disabled_hover_text("Select the passage in the text first")
                    .clicked()
                {
                    attach = Some((h.id.clone(), None));
                }
                for cand in &h.candidates {
                    let short: String = cand.text.chars().take(60).collect();
                    if ui
                        .small_button(format!("\u{201c}{short}\u{201d} ({}%)", cand.score))
                        .on_hover_text("Attach it to this passage, a likely new place")
                        .clicked()
                    {
                        attach = Some((h.id.clone(), Some((cand.start, cand.end))));
                    }
                }
            });
            if !h.comment.trim().is_empty() {
                ui.indent(("orphan_comment", &h.id), |ui| {
                    ui.label(egui::RichText::new(&h.comment).italics());
                });
            }
        }
    }
    if let Some(id) = open {
        app.apply(Action::OpenHighlight(Some(id)));
    }
    if let Some((id, range)) = attach {
        app.apply(Action::AttachHighlight(id, range));
    }
}
