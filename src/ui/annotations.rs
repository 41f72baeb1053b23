//! The reader's own material in the detail panel: notes (saved as you type), tags with
//! autocomplete, and the list of highlights.

use std::time::{Duration, Instant};

use super::colors::{highlight_fill, tag_color};
use super::commands::Commands;
use super::state::{Action, AppState};
use super::widgets;
use crate::model::{AnchorState, Clipping};

/// How long after the last keystroke notes are saved.
pub const NOTES_DEBOUNCE: Duration = Duration::from_millis(800);

/// Notes typed but maybe not saved yet.
#[derive(Debug, Clone, Default)]
pub struct NotesDraft {
    /// The clipping the draft belongs to.
    pub id: Option<String>,
    pub text: String,
    /// When the last unsaved keystroke happened.
    pub edited: Option<Instant>,
}

impl NotesDraft {
    /// The save of what was typed, naming the clipping it belongs to (None when all is saved).
    pub fn flush(&mut self) -> Option<Action> {
        self.edited.take()?;
        let id = self.id.clone()?;
        Some(Action::SetNotes {
            id,
            text: self.text.clone(),
        })
    }

    /// Keep the draft in step with the selection; save it after the pause.
    pub fn sync(&mut self, state: &AppState, ctx: &egui::Context, commands: &mut Commands) {
        if let Some(edited) = self.edited {
            let wait = NOTES_DEBOUNCE.saturating_sub(edited.elapsed());
            if !wait.is_zero() {
                ctx.request_repaint_after(wait);
            } else if let Some(save) = self.flush() {
                // Saved at the end of this frame: the stored notes catch up on the next.
                commands.action(save);
                return;
            }
        }
        if self.edited.is_some() {
            return;
        }
        let selected = state.selected.clone();
        if self.id != selected {
            self.text = state
                .selected_clipping()
                .map(|c| c.notes.clone())
                .unwrap_or_default();
            self.id = selected;
        } else if let Some(c) = state.selected_clipping()
            && c.notes != self.text
        {
            // Changed elsewhere (undo, the command line): show the stored notes.
            self.text = c.notes.clone();
        }
    }
}

/// The detail panel's annotations and what they keep: the notes draft, the tag being typed.
#[derive(Debug, Default)]
pub struct Annotations {
    pub notes: NotesDraft,
    /// The text of the "Add tag" field.
    pub tag_input: String,
}

impl Annotations {
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        state: &AppState,
        clipping: &Clipping,
        commands: &mut Commands,
    ) {
        self.tags(ui, state, clipping, commands);
        ui.separator();
        self.notes(ui, clipping, commands);
        ui.separator();
        highlights(ui, state, clipping, commands);
    }

    fn notes(&mut self, ui: &mut egui::Ui, clipping: &Clipping, commands: &mut Commands) {
        let draft = &mut self.notes;
        ui.horizontal(|ui| {
            ui.strong("Notes");
            let saved = draft.edited.is_none() && draft.text == clipping.notes;
            // Next to the heading, never at the panel's edge where the scroll bar clips it.
            ui.weak("·");
            if saved {
                ui.weak("Saved");
            } else {
                ui.weak("Editing…");
            }
        });
        let response = ui.add(
            egui::TextEdit::multiline(&mut draft.text)
                .id_salt(("notes", &clipping.id))
                .hint_text("Your notes (Markdown welcome)")
                .desired_rows(5)
                .desired_width(f32::INFINITY),
        );
        widgets::accessible_name_text(&response, "Your notes");
        if response.changed() {
            draft.id = Some(clipping.id.clone());
            draft.edited = Some(Instant::now());
        }
        if response.lost_focus()
            && let Some(save) = draft.flush()
        {
            commands.action(save);
        }
    }

    fn tags(
        &mut self,
        ui: &mut egui::Ui,
        state: &AppState,
        clipping: &Clipping,
        commands: &mut Commands,
    ) {
        let several = state.multi.len() > 1;
        if several {
            ui.strong(format!("Tags ({} clippings selected)", state.multi.len()));
        } else {
            ui.strong("Tags");
        }
        ui.horizontal_wrapped(|ui| {
            for tag in &clipping.tags {
                let chip =
                    ui.add(egui::Button::new(format!("{tag}  ×")).fill(tag_color(ui, state, tag)));
                widgets::accessible_name(&chip, &format!("Remove tag {tag}"));
                if chip.on_hover_text("Remove this tag").clicked() {
                    commands.action(Action::RemoveTag(tag.clone()));
                }
            }
            if clipping.tags.is_empty() {
                ui.weak("No tags yet.");
            }
        });
        if let Some(tag) = widgets::tag_field(
            ui,
            &mut self.tag_input,
            state.tag_counts(),
            &clipping.tags,
            "Add tag",
        ) {
            commands.action(Action::AddTag(tag));
        }
    }
}

fn highlights(ui: &mut egui::Ui, state: &AppState, clipping: &Clipping, commands: &mut Commands) {
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
            copied_note(ui, state, &h.id, from);
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
                let has_selection = state.text_selection.is_some();
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
        commands.action(Action::OpenHighlight(Some(id)));
    }
    if let Some((id, range)) = attach {
        commands.action(Action::AttachHighlight(id, range));
    }
}

/// "Copied from <version>" under a highlight carried from another version.
fn copied_note(ui: &mut egui::Ui, state: &AppState, highlight: &str, from: &str) {
    let name = state.library().and_then(|lib| lib.get(from)).map_or(
        "another version (no longer in the library)",
        |c| {
            c.field(crate::model::Field::Publication)
                .unwrap_or(c.title())
        },
    );
    ui.indent(("copied", highlight), |ui| {
        ui.weak(format!("Copied from {name}"));
    });
}
