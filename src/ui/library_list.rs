//! The library list: one row per clipping, only the visible rows laid out.

use super::colors::tag_color;
use super::commands::{Commands, UiCommand};
use super::state::{Action, AppState};
use crate::model::{Clipping, Field};

pub(super) const ROW_HEIGHT: f32 = 46.0;
/// A row with a search snippet under its headline and meta line.
const SNIPPET_ROW_HEIGHT: f32 = 64.0;

/// The list and what it keeps: whether to bring the selection into view.
#[derive(Debug)]
pub struct LibraryList {
    /// Scroll the list so the selection is visible on the next frame.
    pub scroll_to_selection: bool,
}

impl Default for LibraryList {
    fn default() -> Self {
        LibraryList {
            scroll_to_selection: true,
        }
    }
}

impl LibraryList {
    pub fn show(&mut self, ui: &mut egui::Ui, state: &AppState, commands: &mut Commands) {
        filter_bar(ui, state, commands);
        let visible = state.shown();
        if visible.is_empty()
            && let Some(note) = state.search_note()
        {
            ui.add_space(12.0);
            ui.horizontal(|ui| {
                ui.spinner();
                ui.weak(note);
            });
            return;
        }
        if visible.is_empty() {
            ui.add_space(12.0);
            ui.weak("No clipping matches.");
            if ui
                .button(UiCommand::ClearFilters.label())
                .on_hover_text(UiCommand::ClearFilters.tooltip())
                .clicked()
            {
                commands.ui(UiCommand::ClearFilters);
            }
            return;
        }
        let row_height = if state.has_snippets() {
            SNIPPET_ROW_HEIGHT
        } else {
            ROW_HEIGHT
        };
        // How many rows with a snippet fit (and one cut off at the bottom): a search's answer
        // comes with their snippets.
        let spacing = ui.spacing().item_spacing.y;
        let fits = (ui.available_height() / (SNIPPET_ROW_HEIGHT + spacing)).ceil();
        let rows_in_view = (fits.max(0.0) as usize).clamp(1, 200) + 1;
        if state.rows_in_view() != Some(rows_in_view) {
            commands.action(Action::SetRowsInView(rows_in_view));
        }
        let mut scroll = egui::ScrollArea::vertical().auto_shrink([false, false]);
        // The selected row's place is looked for only when the list scrolls to it: a search
        // of every frame went through up to 100,000 ids.
        if self.scroll_to_selection
            && let Some(row) = state.selected.as_ref().and_then(|id| visible.position(id))
        {
            let y = row as f32 * (row_height + spacing);
            let viewport_h = ui.available_height();
            let offset = (y - viewport_h / 2.0).max(0.0);
            scroll = scroll.vertical_scroll_offset(offset);
            self.scroll_to_selection = false;
        }
        let Some(lib) = state.library() else {
            return;
        };
        let mut lacking = Vec::new();
        scroll.show_rows(ui, row_height, visible.len(), |ui, range| {
            for id in visible.range(range) {
                let Some(clipping) = lib.get(id) else {
                    continue;
                };
                if state.lacks_snippet(id) {
                    lacking.push(id.to_string());
                }
                let selected =
                    state.selected.as_deref() == Some(&**id) || state.multi.contains(&**id);
                // Folded: the rows standing for a group of versions say so.
                let label = state.versions.row_label(id);
                let response = row(ui, state, clipping, selected, label, row_height);
                if response.clicked() {
                    let modifiers = ui.input(|i| i.modifiers);
                    commands.action(if modifiers.command {
                        Action::ToggleMultiSelect(id.to_string())
                    } else if modifiers.shift {
                        Action::SelectRangeTo(id.to_string())
                    } else {
                        Action::Select(id.to_string())
                    });
                }
            }
        });
        // The snippets of the rows further down than the first ones are made when drawn.
        if !lacking.is_empty() {
            commands.action(Action::WantSnippets(lacking));
        }
    }
}

/// The filters in force, each a button that takes it off.
fn filter_bar(ui: &mut egui::Ui, state: &AppState, commands: &mut Commands) {
    let q = &state.query;
    let said = filter_chips(state);
    if q.tags.is_empty() && q.credit.is_none() && said.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.weak("Filtered by");
        for tag in &q.tags {
            if ui
                .button(format!("#{tag} ×"))
                .on_hover_text("Remove this tag filter")
                .clicked()
            {
                commands.action(Action::ToggleTagFilter(tag.clone()));
            }
        }
        if let Some(who) = &q.credit
            && ui
                .button(format!("{who} ×"))
                .on_hover_text("Show clippings crediting anyone")
                .clicked()
        {
            commands.action(Action::FilterCredit(None));
        }
        for (label, hover, action) in said {
            if ui.button(label).on_hover_text(hover).clicked() {
                commands.action(action);
            }
        }
    });
    ui.separator();
}

/// The speaker and mention filters in force, as (button label, hover text, action to remove).
fn filter_chips(state: &AppState) -> Vec<(String, &'static str, Action)> {
    let q = &state.query;
    let mut out = Vec::new();
    if let Some(s) = &q.speaker {
        out.push((
            format!("said by {s} ×"),
            "Show clippings quoting anyone",
            Action::FilterSpeaker(None),
        ));
    }
    if let Some(m) = &q.mention {
        out.push((
            format!("mentions {m} ×"),
            "Show clippings mentioning anyone",
            Action::FilterMention(None),
        ));
    }
    out
}

fn row(
    ui: &mut egui::Ui,
    state: &AppState,
    clipping: &Clipping,
    selected: bool,
    versions_label: Option<&str>,
    height: f32,
) -> egui::Response {
    let width = ui.available_width();
    // Clickable but not a Tab stop: the list is walked with Up and Down (Down from the search
    // field enters it), so Tab gets past a long list to the reader in a few presses.
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, height), egui::Sense::CLICK);
    let title = clipping.title();
    response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, title));
    if !ui.is_rect_visible(rect) {
        return response;
    }
    let visuals = ui.visuals();
    let fill = if selected {
        visuals.selection.bg_fill
    } else if response.hovered() {
        visuals.widgets.hovered.weak_bg_fill
    } else {
        egui::Color32::TRANSPARENT
    };
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 4.0, fill);
    let text_color = if selected {
        visuals.selection.stroke.color
    } else {
        visuals.strong_text_color()
    };
    let weak = if selected {
        visuals.selection.stroke.color
    } else {
        visuals.weak_text_color()
    };
    let left = rect.left() + 6.0;
    let mut job = egui::text::LayoutJob::single_section(
        title.to_string(),
        egui::TextFormat::simple(egui::FontId::proportional(14.0), text_color),
    );
    job.wrap = egui::text::TextWrapping::truncate_at_width(rect.width() - 12.0);
    let title_galley = painter.layout_job(job);
    painter.galley(egui::pos2(left, rect.top() + 4.0), title_galley, text_color);
    let mut meta = Vec::new();
    if let Some(date) = clipping.field(Field::Published) {
        meta.push(date.to_string());
    }
    if let Some(first) = clipping
        .parsed
        .authors
        .first()
        .cloned()
        .or_else(|| clipping.parsed.contributors.first().map(|c| c.name.clone()))
        .or_else(|| clipping.field(Field::DatelineSource).map(str::to_string))
        .or_else(|| clipping.field(Field::Dateline).map(str::to_string))
    {
        meta.push(first);
    } else {
        meta.push(clipping.source_name.clone());
    }
    let mut x = left;
    let y = rect.top() + 25.0;
    // A folded group says how many versions it stands for instead.
    let meta_line = versions_label.map_or_else(|| meta.join(" · "), str::to_string);
    let meta_galley = painter.layout_no_wrap(meta_line, egui::FontId::proportional(12.0), weak);
    let meta_width = meta_galley.size().x;
    painter.galley(egui::pos2(x, y), meta_galley, weak);
    x += meta_width + 8.0;
    for tag in clipping.tags.iter().take(4) {
        let galley =
            painter.layout_no_wrap(tag.clone(), egui::FontId::proportional(11.0), text_color);
        let chip =
            egui::Rect::from_min_size(egui::pos2(x, y), galley.size() + egui::vec2(10.0, 2.0));
        if chip.right() > rect.right() {
            break;
        }
        painter.rect_filled(chip, 7.0, tag_color(ui, state, tag));
        painter.galley(chip.min + egui::vec2(5.0, 1.0), galley, text_color);
        x = chip.right() + 4.0;
    }
    if let Some(snippet) = state.snippet(&clipping.id) {
        let at = egui::Rect::from_min_max(
            egui::pos2(left, rect.top() + 43.0),
            egui::pos2(rect.right() - 6.0, rect.bottom()),
        );
        let job = snippet_job(snippet, weak, text_color, at.width());
        let place = egui::UiBuilder::new()
            .max_rect(at)
            .layout(egui::Layout::left_to_right(egui::Align::Min));
        // Truncated to the row: a label in a left-to-right layout extends by default, and a
        // long snippet widened the list's content, so the rows after it were laid out wider
        // than the panel and cut at its edge.
        ui.scope_builder(place, |ui| {
            ui.add(egui::Label::new(job).selectable(false).truncate());
        });
    }
    response
}

/// The parts of a snippet, each with whether it is a matching word (between `**`).
pub fn snippet_parts(snippet: &str) -> Vec<(&str, bool)> {
    snippet
        .split("**")
        .enumerate()
        .filter(|(_, part)| !part.is_empty())
        .map(|(i, part)| (part, i % 2 == 1))
        .collect()
}

/// A snippet laid out on one line: the matching words in the strong color, underlined.
fn snippet_job(
    snippet: &str,
    color: egui::Color32,
    strong: egui::Color32,
    width: f32,
) -> egui::text::LayoutJob {
    let mut job = egui::text::LayoutJob::default();
    for (part, marked) in snippet_parts(snippet) {
        let mut format = egui::TextFormat::simple(egui::FontId::proportional(12.0), color);
        if marked {
            format.color = strong;
            format.underline = egui::Stroke::new(1.0, strong);
        }
        job.append(&part.replace('\n', " "), 0.0, format);
    }
    job.wrap = egui::text::TextWrapping::truncate_at_width(width);
    job
}
