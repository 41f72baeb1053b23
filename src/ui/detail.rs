//! The detail panel: parsed metadata (editable, with resettable overrides), contributor credits
//! grouped by organization, captions and the separated boilerplate.

use super::commands::Commands;
use super::state::{Action, AppState};
use super::widgets;
use crate::model::{Clipping, Field};

/// The field being edited in the detail panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldEdit {
    /// The clipping being edited: the edit is dropped when the selection moves elsewhere
    /// (a search can move it).
    pub id: String,
    pub field: Field,
    pub value: String,
    pub focus: bool,
}

/// The detail panel and what it keeps: the field being edited.
#[derive(Debug, Default)]
pub struct DetailPanel {
    pub edit: Option<FieldEdit>,
}

impl DetailPanel {
    /// Draw the selected clipping's details; `sections` draws what other parts of the app add
    /// between the credits and the captions (quotes, annotations, versions).
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        state: &AppState,
        commands: &mut Commands,
        sections: impl FnOnce(&mut egui::Ui, &Clipping, &mut Commands),
    ) {
        let Some(clipping) = state.selected_clipping() else {
            return;
        };
        if self.edit.as_ref().is_some_and(|e| e.id != clipping.id) {
            self.edit = None;
        }
        // The panel keeps the width it was given: content never widens it past the window.
        let width = ui.available_width();
        ui.set_min_width(width);
        ui.set_max_width(width);
        egui::ScrollArea::vertical()
            .id_salt("details")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.set_max_width(width - 8.0);
                ui.add_space(6.0);
                ui.strong("Details");
                ui.add_space(4.0);
                for field in Field::ALL {
                    self.field_row(ui, clipping, field, commands);
                }
                ui.separator();
                facts(ui, clipping);
                ui.separator();
                super::credits::show(ui, clipping, commands);
                ui.separator();
                sections(ui, clipping, commands);
                captions(ui, clipping);
            });
    }

    fn field_row(
        &mut self,
        ui: &mut egui::Ui,
        clipping: &Clipping,
        field: Field,
        commands: &mut Commands,
    ) {
        let editing = self
            .edit
            .as_ref()
            .is_some_and(|e| e.field == field && e.id == clipping.id);
        if editing {
            self.edit_row(ui, field, commands);
            // A field being edited marks where it came from in the reader.
            widgets::mark_source(ui.ctx(), field);
            return;
        }
        let mut focused = false;
        let row = ui.horizontal(|ui| {
            ui.add_sized(
                [78.0, 18.0],
                egui::Label::new(egui::RichText::new(field.label()).weak()),
            );
            let value = clipping.field(field);
            let buttons = if clipping.is_edited(field) {
                130.0
            } else {
                44.0
            };
            let width = (ui.available_width() - buttons).max(60.0);
            ui.allocate_ui(egui::vec2(width, 18.0), |ui| {
                ui.set_width(width);
                match value {
                    // The publication is a facet: clicking it lists every clipping it published.
                    Some(v) if field == Field::Publication => {
                        if ui
                            .link(v)
                            .on_hover_text("Show clippings from this publication")
                            .clicked()
                        {
                            commands.action(Action::FilterCredit(Some(v.to_string())));
                        }
                    }
                    Some(v) => {
                        ui.add(egui::Label::new(v).wrap());
                    }
                    None => {
                        ui.weak("—");
                    }
                }
            });
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let edit = ui
                    .small_button("Edit")
                    .on_hover_text(format!("Edit the {}", field.label().to_lowercase()));
                focused = edit.has_focus();
                widgets::accessible_name(&edit, &format!("Edit {}", field.label()));
                if edit.clicked() {
                    self.edit = Some(FieldEdit {
                        id: clipping.id.clone(),
                        field,
                        value: value.unwrap_or_default().to_string(),
                        focus: true,
                    });
                }
                if clipping.is_edited(field) {
                    let reset = ui.small_button("Reset").on_hover_text(format!(
                        "Edited by you. Reset to the parsed value: {}",
                        field.get(&clipping.parsed).unwrap_or("(none)")
                    ));
                    widgets::accessible_name(&reset, &format!("Reset {}", field.label()));
                    if reset.clicked() {
                        commands.action(Action::ResetField(field));
                    }
                    ui.label(
                        egui::RichText::new("edited")
                            .small()
                            .color(ui.visuals().warn_fg_color),
                    );
                }
            });
        });
        // Hovering or focusing a field marks where it came from in the reader.
        if row.response.contains_pointer() || focused {
            widgets::mark_source(ui.ctx(), field);
        }
    }

    /// A field being edited: its own rows (label, then the field across the panel, then Save
    /// and Cancel), so it never widens the panel; a value the field cannot take is explained.
    fn edit_row(&mut self, ui: &mut egui::Ui, field: Field, commands: &mut Commands) {
        let Some(edit) = &mut self.edit else { return };
        let label = ui.label(egui::RichText::new(field.label()).weak());
        let response = ui
            .add(egui::TextEdit::singleline(&mut edit.value).desired_width(ui.available_width()))
            .labelled_by(label.id);
        if edit.focus {
            response.request_focus();
            edit.focus = false;
        }
        let problem = super::state::validate_field(field, &edit.value).err();
        if field == Field::Published {
            match &problem {
                Some(why) => {
                    ui.add(
                        egui::Label::new(
                            egui::RichText::new(why.as_str()).color(ui.visuals().error_fg_color),
                        )
                        .wrap(),
                    );
                }
                None => {
                    ui.weak("YYYY, YYYY-MM or YYYY-MM-DD");
                }
            }
        }
        let enter = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let escape = ui.input(|i| i.key_pressed(egui::Key::Escape));
        let mut commit = None;
        let mut cancel = false;
        ui.horizontal(|ui| {
            let save = ui.add_enabled(problem.is_none(), egui::Button::new("Save").small());
            if save.clicked() || (enter && problem.is_none()) {
                commit = Some(edit.value.clone());
            }
            if ui.small_button("Cancel").clicked() || escape {
                cancel = true;
            }
        });
        if let Some(value) = commit {
            self.edit = None;
            commands.action(Action::EditField(field, value));
        } else if cancel {
            self.edit = None;
        }
    }
}

/// The photo captions and the boilerplate the parser set aside.
fn captions(ui: &mut egui::Ui, clipping: &Clipping) {
    let meta = clipping.metadata();
    if !meta.captions.is_empty() || !meta.photo_credits.is_empty() {
        ui.separator();
        ui.strong("Captions");
        for caption in &meta.captions {
            ui.add(egui::Label::new(egui::RichText::new(caption).italics()).wrap());
        }
        for credit in &meta.photo_credits {
            ui.label(egui::RichText::new(format!("Photo: {credit}")).weak());
        }
    }
    if !meta.boilerplate.is_empty() {
        ui.separator();
        egui::CollapsingHeader::new(format!(
            "Separated boilerplate ({})",
            meta.boilerplate.len()
        ))
        .default_open(false)
        .show(ui, |ui| {
            for line in &meta.boilerplate {
                ui.add(egui::Label::new(egui::RichText::new(line).weak()).wrap());
            }
        });
    }
}

fn facts(ui: &mut egui::Ui, clipping: &Clipping) {
    let meta = &clipping.parsed;
    egui::Grid::new("facts")
        .num_columns(2)
        .spacing([8.0, 2.0])
        .show(ui, |ui| {
            ui.weak("Source file");
            ui.label(&clipping.source_name);
            ui.end_row();
            ui.weak("Imported");
            ui.label(clipping.imported.replace('T', " ").trim_end_matches('Z'));
            ui.end_row();
            ui.weak("Length");
            ui.label(format!(
                "{} words · {} min read",
                meta.word_count,
                meta.reading_minutes()
            ));
            ui.end_row();
            ui.weak("Id");
            ui.label(egui::RichText::new(&clipping.id).monospace().small());
            ui.end_row();
            if let Some(source) = &clipping.source {
                batch_facts(ui, source);
            }
        });
}

/// What the news database said of an article that came in a batch download.
fn batch_facts(ui: &mut egui::Ui, source: &crate::model::BatchSource) {
    let mut row = |label: &str, value: &str| {
        ui.weak(label);
        ui.add(egui::Label::new(value).wrap());
        ui.end_row();
    };
    row(
        "Database",
        &format!(
            "{}: document {} of {} in {}",
            source.database.name(),
            source.position,
            source.total,
            source.batch_file
        ),
    );
    for (label, value) in [
        ("Document id", &source.doc_id),
        ("Page", &source.page),
        ("Edition", &source.edition),
        ("Length given", &source.length),
        ("Language", &source.language),
    ] {
        if let Some(value) = value {
            row(label, value);
        }
    }
}
