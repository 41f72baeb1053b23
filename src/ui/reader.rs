//! The reader: the selected clipping's headline, deck, captions and body in a reading column,
//! with highlights painted in the text; select a passage and press Ctrl+H (or the toolbar) to
//! highlight it, click a highlight to open it.

use super::colors::highlight_fill;
use super::commands::{Command, Commands, UiCommand};
use super::reader_text::{find_matches, highlighted_job, mark_matches, printed_dateline};
use super::state::{Action, AppState};
use super::widgets::{self, command_button};
use crate::model::{Clipping, Field, Highlight, HighlightColor};

const COLUMN: f32 = 680.0;

/// The reader and what it keeps: which search match it shows.
#[derive(Debug, Default)]
pub struct Reader {
    /// The search match shown (index into the matches in the reading text).
    pub search_match: usize,
    /// Scroll to the current search match on the next frame.
    pub scroll_to_match: bool,
}

/// How many times the search's words occur in the selected clipping's reading text.
pub fn match_count(state: &AppState) -> usize {
    match state.reading() {
        Some(reading) => find_matches(&reading.text, state.mark_words()).len(),
        None => 0,
    }
}

impl Reader {
    /// Show the next (+1) or previous (-1) search match.
    pub fn next_match(&mut self, state: &AppState, delta: i64) {
        let count = match_count(state);
        if count == 0 {
            return;
        }
        let at = self.search_match.min(count - 1) as i64;
        self.search_match = (at + delta).rem_euclid(count as i64) as usize;
        self.scroll_to_match = true;
    }

    /// The search changed: its first match is shown.
    pub fn reset_match(&mut self) {
        self.search_match = 0;
        self.scroll_to_match = true;
    }

    pub fn show(&mut self, ui: &mut egui::Ui, state: &AppState, commands: &mut Commands) {
        let Some(clipping) = state.selected_clipping() else {
            ui.centered_and_justified(|ui| {
                ui.weak("Select a clipping to read it (Up and Down move through the list).");
            });
            return;
        };
        let Some(reading) = state.reading() else {
            // Texts are read when a clipping is opened: say which file and why.
            let why = state
                .library()
                .and_then(|l| l.text(&clipping.id).err())
                .map_or_else(String::new, |e| format!(" {e}"));
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!("This clipping's text cannot be read.{why}"),
            );
            return;
        };
        self.toolbar(ui, state, commands);
        let raw = state
            .library()
            .and_then(|l| l.text(&clipping.id).ok())
            .map(|t| t.to_string())
            .unwrap_or_default();
        egui::ScrollArea::vertical()
            .id_salt(("reader", &clipping.id))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let width = ui.available_width().min(COLUMN);
                let margin = ((ui.available_width() - width) / 2.0).max(0.0);
                ui.horizontal(|ui| {
                    ui.add_space(margin);
                    ui.vertical(|ui| {
                        ui.set_max_width(width);
                        ui.add_space(16.0);
                        heading(ui, clipping, &raw, &reading.meta, width);
                        source_excerpt(ui, state, clipping, width);
                        ui.add_space(14.0);
                        self.body(ui, state, clipping, &reading.text, width, commands);
                        ui.add_space(24.0);
                    });
                });
            });
    }

    fn toolbar(&mut self, ui: &mut egui::Ui, state: &AppState, commands: &mut Commands) {
        ui.horizontal_wrapped(|ui| {
            let has_selection = state.text_selection.is_some();
            let why = (!has_selection).then_some("Select a passage in the text to highlight it");
            command_button(ui, UiCommand::Highlight, None, why, commands);
            let dark = ui.visuals().dark_mode;
            for color in HighlightColor::ALL {
                let selected = state.highlight_color == color;
                let swatch = egui::Button::new(color.name())
                    .fill(highlight_fill(color, dark))
                    .selected(selected);
                let response = ui
                    .add(swatch)
                    .on_hover_text(format!("Highlight in {}", color.name()));
                widgets::accessible_name(&response, &format!("Highlight in {}", color.name()));
                if response.clicked() {
                    commands.push(Command::SetHighlightColor(color));
                    if has_selection {
                        commands.action(Action::HighlightSelection(color));
                    }
                }
            }
            self.search_matches_bar(ui, state, commands);
            let width = ui.ctx().content_rect().width();
            if width < super::layout::WIDE_LAYOUT {
                let label = if state.show_details {
                    "Hide details"
                } else {
                    "Details"
                };
                if ui
                    .selectable_label(state.show_details, label)
                    .on_hover_text(UiCommand::ToggleDetails.tooltip())
                    .clicked()
                {
                    commands.ui(UiCommand::ToggleDetails);
                }
            }
        });
        ui.separator();
    }

    /// "2 of 7 matches" with Previous and Next, while a search is active.
    fn search_matches_bar(&self, ui: &mut egui::Ui, state: &AppState, commands: &mut Commands) {
        if state.mark_words().is_empty() {
            return;
        }
        let count = match_count(state);
        ui.separator();
        if count == 0 {
            ui.weak("No match in the text");
            return;
        }
        let at = self.search_match.min(count - 1);
        command_button(
            ui,
            UiCommand::PreviousMatch,
            Some("Previous"),
            None,
            commands,
        );
        ui.label(format!("Match {} of {count}", at + 1));
        command_button(ui, UiCommand::NextMatch, Some("Next"), None, commands);
    }
}

/// Section, headline, deck, byline, dateline as printed, captions.
fn heading(
    ui: &mut egui::Ui,
    clipping: &Clipping,
    raw: &str,
    parsed: &crate::model::ArticleMetadata,
    width: f32,
) {
    if let Some(section) = clipping.field(Field::Section) {
        ui.label(egui::RichText::new(section.to_uppercase()).small().weak());
    }
    ui.add(egui::Label::new(egui::RichText::new(clipping.title()).size(28.0).strong()).wrap());
    if let Some(deck) = clipping.field(Field::Deck) {
        ui.add_space(4.0);
        ui.add(egui::Label::new(egui::RichText::new(deck).size(18.0).italics()).wrap());
    }
    let meta = clipping.metadata();
    if !meta.authors.is_empty() {
        ui.add_space(6.0);
        ui.label(egui::RichText::new(format!("By {}", meta.authors.join(", "))).weak());
    }
    if let Some(dateline) = &meta.dateline {
        ui.add_space(6.0);
        // As printed in the text when it can be found there; else rebuilt.
        let first = parsed.paragraphs.first().map_or("", String::as_str);
        let shown = printed_dateline(raw, dateline, first).unwrap_or_else(|| {
            let wire = meta
                .dateline_source
                .as_ref()
                .map(|w| format!(" ({w})"))
                .unwrap_or_default();
            format!("{dateline}{wire} \u{2014}")
        });
        ui.label(egui::RichText::new(shown).strong());
    }
    for caption in &meta.captions {
        ui.add_space(10.0);
        egui::Frame::group(ui.style())
            .fill(ui.visuals().faint_bg_color)
            .show(ui, |ui| {
                ui.set_width(width - 16.0);
                ui.label(egui::RichText::new("PHOTO").small().weak());
                ui.add(egui::Label::new(egui::RichText::new(caption).italics()).wrap());
            });
    }
}

/// The line of the article text a hovered or focused field was parsed from, its source range
/// marked: why the value is what it is. Shown while the detail panel points at the field.
fn source_excerpt(ui: &mut egui::Ui, state: &AppState, clipping: &Clipping, width: f32) {
    let Some(field) = widgets::take_marked_source(ui.ctx()) else {
        return;
    };
    let Some(&(start, end)) = clipping.parsed.sources.get(&field) else {
        return;
    };
    let Some(text) = state.library().and_then(|l| l.text(&clipping.id).ok()) else {
        return;
    };
    // The lines around the range, at most 400 characters: character offsets to bytes.
    let byte = |c: usize| text.char_indices().nth(c).map_or(text.len(), |(b, _)| b);
    let (b0, b1) = (byte(start), byte(end.max(start)));
    let line_start = text[..b0].rfind('\n').map_or(0, |k| k + 1);
    let line_end = text[b1..].find('\n').map_or(text.len(), |k| b1 + k);
    let excerpt = &text[line_start..line_end.min(line_start + 1600)];
    let from = text[line_start..b0].chars().count();
    let to = from + text[b0..b1.min(line_start + excerpt.len())].chars().count();
    let dark = ui.visuals().dark_mode;
    let color = ui.visuals().text_color();
    ui.add_space(8.0);
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(width - 16.0);
        ui.label(
            egui::RichText::new(format!("{} comes from this text", field.label()))
                .small()
                .weak(),
        );
        let job = highlighted_job(
            excerpt,
            &[(from, to, HighlightColor::Yellow)],
            color,
            dark,
            width - 16.0,
        );
        ui.add(egui::Label::new(job));
    });
}

impl Reader {
    /// The body as one selectable, read-only text with highlights painted in.
    fn body(
        &mut self,
        ui: &mut egui::Ui,
        state: &AppState,
        clipping: &Clipping,
        text: &str,
        width: f32,
        commands: &mut Commands,
    ) {
        let clipping_id = clipping.id.as_str();
        let highlights: &[Highlight] = &clipping.highlights;
        let dark = ui.visuals().dark_mode;
        let text_color = ui.visuals().strong_text_color().gamma_multiply(0.92);
        let spans: Vec<(usize, usize, HighlightColor)> = highlights
            .iter()
            .filter(|h| !h.orphan)
            .map(|h| (h.start, h.end, h.color))
            .collect();
        let marks = find_matches(text, state.mark_words());
        let current = (!marks.is_empty()).then(|| self.search_match.min(marks.len() - 1));
        let mut layouter = |ui: &egui::Ui, buf: &dyn egui::TextBuffer, wrap: f32| {
            let mut job = highlighted_job(buf.as_str(), &spans, text_color, dark, wrap);
            mark_matches(&mut job, buf.as_str(), &marks, current, dark);
            ui.fonts_mut(|f| f.layout_job(job))
        };
        let mut shown = text;
        let id = egui::Id::unique(("reader_body", clipping_id));
        let output = egui::TextEdit::multiline(&mut shown)
            .id(id)
            .frame(egui::Frame::NONE)
            .desired_width(width)
            .layouter(&mut layouter)
            .show(ui);
        widgets::accessible_name_text(&output.response, "Article text");
        // Reached by Tab like any field: show that it has the keyboard (select with Shift+arrows,
        // then Ctrl+H).
        if output.response.has_focus() {
            ui.painter().rect_stroke(
                output.response.rect.expand(4.0),
                4.0,
                ui.visuals().selection.stroke,
                egui::StrokeKind::Outside,
            );
        }
        if self.scroll_to_match
            && let Some(&(start, _)) = current.and_then(|c| marks.get(c))
        {
            self.scroll_to_match = false;
            let rect = output
                .galley
                .pos_from_cursor(egui::text::CCursor::new(start))
                .translate(output.galley_pos.to_vec2());
            ui.scroll_to_rect(rect.expand(40.0), Some(egui::Align::Center));
        }

        // A click (no drag) on a highlight opens it. The text only takes focus on the next frame,
        // so the clicked character comes from the pointer, not from the cursor.
        if output.response.clicked()
            && let Some(pos) = output.response.interact_pointer_pos()
        {
            let at = output
                .galley
                .cursor_from_pos(pos - output.galley_pos)
                .index
                .0;
            let hit = highlights
                .iter()
                .find(|h| !h.orphan && h.start <= at && at < h.end)
                .map(|h| h.id.clone());
            if hit.is_some() {
                commands.action(Action::OpenHighlight(hit));
            }
        }
        // Keep the last selection: a click on a button elsewhere takes the focus (and with it the
        // cursor range) away, and the selection must still be there to highlight.
        if let Some(range) = output.cursor_range {
            let r = range.as_sorted_char_range();
            let sel = (r.start.0 < r.end.0).then_some((r.start.0, r.end.0));
            if state.text_selection != sel {
                commands.action(Action::SetTextSelection(sel));
            }
        }

        let asked = state.scroll_to_highlight.is_some() || state.scroll_to_char.is_some();
        let at = state
            .scroll_to_highlight
            .as_ref()
            .and_then(|t| highlights.iter().find(|h| h.id == *t).map(|h| h.start))
            .or(state.scroll_to_char);
        if asked {
            commands.action(Action::ScrollDone);
        }
        if let Some(at) = at {
            let rect = output
                .galley
                .pos_from_cursor(egui::text::CCursor::new(at))
                .translate(output.galley_pos.to_vec2());
            ui.scroll_to_rect(rect.expand(40.0), Some(egui::Align::Center));
        }
    }
}
