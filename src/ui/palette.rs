//! The command palette (Ctrl+K): every command of the table by name, filtered as you type;
//! Up and Down pick, Enter runs, Escape closes.

use super::commands::{Commands, UiCommand};
use super::state::AppState;
use super::widgets;

/// The open palette: what is typed and which match is picked.
#[derive(Debug, Default)]
pub struct CommandPalette {
    pub query: String,
    pub picked: usize,
    focus: bool,
}

/// Whether a command can run now, and if not why (shown on the greyed entry).
pub fn unavailable(command: UiCommand, state: &AppState) -> Option<&'static str> {
    let has_clippings = state.library().is_some_and(|l| !l.is_empty());
    match command {
        UiCommand::Export if !has_clippings => Some("Import clippings first"),
        UiCommand::Highlight if state.text_selection.is_none() => {
            Some("Select a passage in the text first")
        }
        UiCommand::Trash if state.selected.is_none() => Some("Select a clipping first"),
        UiCommand::NextMatch | UiCommand::PreviousMatch if state.query.text.trim().is_empty() => {
            Some("Search for something first")
        }
        UiCommand::ShowImportDetails if state.last_import.is_none() => {
            Some("Nothing was imported yet")
        }
        UiCommand::ShowProblems if state.library().is_none_or(|l| l.problems().is_empty()) => {
            Some("Every library file is readable")
        }
        _ => None,
    }
}

impl CommandPalette {
    pub fn new() -> Self {
        CommandPalette {
            focus: true,
            ..Default::default()
        }
    }

    /// The commands matching what is typed: every word in the label or the tooltip, the
    /// label matches first. The palette itself is not listed.
    pub fn matches(&self) -> Vec<UiCommand> {
        let words: Vec<String> = self
            .query
            .split_whitespace()
            .map(str::to_lowercase)
            .collect();
        let (mut by_label, mut by_tooltip) = (Vec::new(), Vec::new());
        for command in UiCommand::ALL {
            if command == UiCommand::CommandPalette {
                continue;
            }
            let label = command.label().to_lowercase();
            let tooltip = command.tooltip().to_lowercase();
            if words.iter().all(|w| label.contains(w.as_str())) {
                by_label.push(command);
            } else if words
                .iter()
                .all(|w| label.contains(w.as_str()) || tooltip.contains(w.as_str()))
            {
                by_tooltip.push(command);
            }
        }
        by_label.extend(by_tooltip);
        by_label
    }

    /// Up, Down, Enter and Escape, taken before anything else reads the keys. False when
    /// the palette is to close.
    pub fn keys(&mut self, ctx: &egui::Context, state: &AppState, commands: &mut Commands) -> bool {
        use egui::{Key, Modifiers};
        let (down, up, enter, escape) = ctx.input_mut(|i| {
            (
                i.consume_key(Modifiers::NONE, Key::ArrowDown),
                i.consume_key(Modifiers::NONE, Key::ArrowUp),
                i.consume_key(Modifiers::NONE, Key::Enter),
                i.consume_key(Modifiers::NONE, Key::Escape),
            )
        });
        if escape {
            return false;
        }
        let matches = self.matches();
        if matches.is_empty() {
            self.picked = 0;
            return true;
        }
        if down {
            self.picked = (self.picked + 1).min(matches.len() - 1);
        }
        if up {
            self.picked = self.picked.saturating_sub(1);
        }
        self.picked = self.picked.min(matches.len() - 1);
        if enter {
            let command = matches[self.picked];
            if unavailable(command, state).is_none() {
                commands.ui(command);
                return false;
            }
        }
        true
    }

    /// Draw the palette; false when it is to close (a command was run, or it was closed).
    pub fn show(&mut self, ui: &mut egui::Ui, state: &AppState, commands: &mut Commands) -> bool {
        let ctx = ui.ctx().clone();
        let mut open = true;
        let mut run = None;
        egui::Window::new("Command palette")
            .collapsible(false)
            .resizable(false)
            .title_bar(false)
            .default_width(440.0)
            .anchor(egui::Align2::CENTER_TOP, [0.0, 70.0])
            .show(&ctx, |ui| {
                let field = ui.add(
                    egui::TextEdit::singleline(&mut self.query)
                        .hint_text("Type a command…")
                        .desired_width(f32::INFINITY),
                );
                widgets::accessible_name_text(&field, "Search commands");
                if self.focus {
                    field.request_focus();
                    self.focus = false;
                }
                if field.changed() {
                    self.picked = 0;
                }
                ui.separator();
                let matches = self.matches();
                if matches.is_empty() {
                    ui.weak("No command matches.");
                }
                ui.set_width(440.0);
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .auto_shrink([false, true])
                    .show(ui, |ui| {
                        for (i, command) in matches.iter().enumerate() {
                            let why = unavailable(*command, state);
                            let row = entry(ui, *command, i == self.picked, why);
                            if i == self.picked {
                                row.scroll_to_me(None);
                            }
                            if row.clicked() {
                                run = Some(*command);
                            }
                        }
                    });
                ui.add_space(2.0);
                ui.weak("Up and Down pick, Enter runs, Escape closes");
            });
        if let Some(command) = run {
            commands.ui(command);
            open = false;
        }
        open
    }
}

/// One command: its label, its shortcut at the right, its tooltip on hover.
fn entry(
    ui: &mut egui::Ui,
    command: UiCommand,
    picked: bool,
    unavailable: Option<&str>,
) -> egui::Response {
    let shortcut = command.shortcut_text(ui.ctx()).unwrap_or_default();
    let width = ui.available_width();
    let (rect, response) = ui.allocate_exact_size(
        egui::vec2(width, 24.0),
        if unavailable.is_none() {
            egui::Sense::click()
        } else {
            egui::Sense::hover()
        },
    );
    let label = command.label();
    response.widget_info(|| {
        egui::WidgetInfo::selected(egui::Role::Button, unavailable.is_none(), picked, label)
    });
    let visuals = ui.visuals();
    if picked {
        ui.painter()
            .rect_filled(rect, 4.0, visuals.selection.bg_fill);
    } else if response.hovered() {
        ui.painter()
            .rect_filled(rect, 4.0, visuals.widgets.hovered.weak_bg_fill);
    }
    let color = if unavailable.is_some() {
        visuals.weak_text_color()
    } else if picked {
        visuals.selection.stroke.color
    } else {
        visuals.text_color()
    };
    let font = egui::FontId::proportional(14.0);
    ui.painter().text(
        rect.left_center() + egui::vec2(8.0, 0.0),
        egui::Align2::LEFT_CENTER,
        label,
        font.clone(),
        color,
    );
    ui.painter().text(
        rect.right_center() - egui::vec2(8.0, 0.0),
        egui::Align2::RIGHT_CENTER,
        shortcut,
        font,
        visuals.weak_text_color(),
    );
    let hover = match unavailable {
        Some(why) => format!("{} ({why})", command.tooltip()),
        None => command.tooltip().to_string(),
    };
    response.on_hover_text(hover)
}
