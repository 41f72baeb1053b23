//! Widgets shared by several panels: accessible names, command buttons (label, tooltip and
//! shortcut from the command table), the tag field with suggestions, and the "field pointed
//! at" mark the detail panel sets and the reader shows.

use super::commands::{Commands, UiCommand};
use crate::model::Field;

/// Give a widget an accessible name other than its visible text (for icon buttons).
pub fn accessible_name(response: &egui::Response, name: &str) {
    response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, response.enabled(), name));
}

/// Give a text field an accessible name (its placeholder is not one).
pub fn accessible_name_text(response: &egui::Response, name: &str) {
    response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, response.enabled(), name));
}

/// A button for a command: `text` (else the command's label), its tooltip with the shortcut;
/// a click queues the command. `disabled` says why it cannot run now.
pub fn command_button(
    ui: &mut egui::Ui,
    command: UiCommand,
    text: Option<&str>,
    disabled: Option<&str>,
    commands: &mut Commands,
) -> egui::Response {
    let button = egui::Button::new(text.unwrap_or(command.label()));
    let mut response = ui
        .add_enabled(disabled.is_none(), button)
        .on_hover_text(command.hover_text(ui.ctx()));
    if let Some(why) = disabled {
        response = response.on_disabled_hover_text(why);
    }
    if response.clicked() {
        commands.ui(command);
    }
    response
}

/// A text field that suggests existing tags as you type; returns a tag to add.
pub fn tag_field(
    ui: &mut egui::Ui,
    input: &mut String,
    known: &[(String, usize)],
    present: &[String],
    name: &str,
) -> Option<String> {
    let mut chosen = None;
    let response = ui.add(
        egui::TextEdit::singleline(input)
            .hint_text("Add a tag (Enter); use / for levels, e.g. syria/diplomacy")
            .desired_width(f32::INFINITY),
    );
    accessible_name_text(&response, name);
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
            .map(|(t, _)| t)
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

/// Where the field the reader points at in the detail panel is kept between panels (one frame).
fn source_id() -> egui::Id {
    egui::Id::unique("clipfile_source_field")
}

/// The field last marked, kept across frames: a repaint is asked for only when the mark
/// changes, so a hovered or focused field does not repaint the window every frame.
fn last_source_id() -> egui::Id {
    egui::Id::unique("clipfile_last_source_field")
}

/// Marks `field`'s source in the reader (the detail panel calls this on hover or focus).
pub fn mark_source(ctx: &egui::Context, field: Field) {
    let was = ctx
        .data(|d| d.get_temp::<Option<Field>>(last_source_id()))
        .flatten();
    ctx.data_mut(|d| {
        d.insert_temp(source_id(), Some(field));
        d.insert_temp(last_source_id(), Some(field));
    });
    if was != Some(field) {
        ctx.request_repaint();
    }
}

/// The field marked this frame, taken (the reader calls this once a frame). When the mark has
/// just gone (nothing hovered or focused any more), one more frame clears it from the reader.
pub fn take_marked_source(ctx: &egui::Context) -> Option<Field> {
    let taken = ctx
        .data_mut(|d| d.remove_temp::<Option<Field>>(source_id()))
        .flatten();
    if taken.is_none() {
        let had = ctx
            .data_mut(|d| d.remove_temp::<Option<Field>>(last_source_id()))
            .flatten();
        if had.is_some() {
            ctx.request_repaint();
        }
    }
    taken
}

/// 12345 as "12,345".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod thousands_tests {
    #[test]
    fn thousands_are_grouped_by_three() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1000), "1,000");
        assert_eq!(super::thousands(100000), "100,000");
        assert_eq!(super::thousands(1234567), "1,234,567");
    }
}
