//! The reader: the selected clipping's headline, deck, captions and body in a reading column,
//! with highlights painted in the text; select a passage and press Ctrl+H (or the toolbar) to
//! highlight it, click a highlight to open it.

use super::app::ClipfileApp;
use super::state::Action;
use crate::model::{Clipping, Field, Highlight, HighlightColor};

const COLUMN: f32 = 680.0;
const BODY_SIZE: f32 = 16.0;

/// The background of a highlight, readable in both themes.
pub fn highlight_fill(color: HighlightColor, dark: bool) -> egui::Color32 {
    match (color, dark) {
        (HighlightColor::Yellow, false) => egui::Color32::from_rgb(255, 236, 140),
        (HighlightColor::Green, false) => egui::Color32::from_rgb(190, 240, 180),
        (HighlightColor::Blue, false) => egui::Color32::from_rgb(185, 215, 255),
        (HighlightColor::Pink, false) => egui::Color32::from_rgb(255, 200, 225),
        (HighlightColor::Yellow, true) => egui::Color32::from_rgb(110, 95, 20),
        (HighlightColor::Green, true) => egui::Color32::from_rgb(35, 95, 45),
        (HighlightColor::Blue, true) => egui::Color32::from_rgb(35, 70, 125),
        (HighlightColor::Pink, true) => egui::Color32::from_rgb(120, 40, 85),
    }
}

/// The text color on a highlight: dark on the light fills, light on the dark ones.
fn highlight_text(dark: bool) -> egui::Color32 {
    if dark {
        egui::Color32::from_rgb(245, 245, 240)
    } else {
        egui::Color32::from_rgb(20, 20, 20)
    }
}

pub fn show(ui: &mut egui::Ui, app: &mut ClipfileApp) {
    let Some(clipping) = app.state.selected_clipping().cloned() else {
        ui.centered_and_justified(|ui| {
            ui.weak("Select a clipping to read it (Up and Down move through the list).");
        });
        return;
    };
    let Some(reading) = app.state.reading() else {
        ui.colored_label(
            ui.visuals().error_fg_color,
            "This clipping's text cannot be read.",
        );
        return;
    };
    toolbar(ui, app);
    // Re-read: opening the reading may have re-anchored the highlights.
    let highlights: Vec<Highlight> = app
        .state
        .selected_clipping()
        .map(|c| c.highlights.clone())
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
                    if let Some(section) = clipping.field(Field::Section) {
                        ui.label(egui::RichText::new(section.to_uppercase()).small().weak());
                    }
                    ui.add(
                        egui::Label::new(egui::RichText::new(clipping.title()).size(28.0).strong())
                            .wrap(),
                    );
                    if let Some(deck) = clipping.field(Field::Deck) {
                        ui.add_space(4.0);
                        ui.add(
                            egui::Label::new(egui::RichText::new(deck).size(18.0).italics()).wrap(),
                        );
                    }
                    let meta = clipping.metadata();
                    if !meta.authors.is_empty() {
                        ui.add_space(6.0);
                        ui.label(
                            egui::RichText::new(format!("By {}", meta.authors.join(", "))).weak(),
                        );
                    }
                    if let Some(dateline) = &meta.dateline {
                        ui.add_space(6.0);
                        let wire = meta
                            .dateline_source
                            .as_ref()
                            .map(|w| format!(" ({w})"))
                            .unwrap_or_default();
                        ui.label(
                            egui::RichText::new(format!("{dateline}{wire} \u{2014}")).strong(),
                        );
                    }
                    for caption in &meta.captions {
                        ui.add_space(10.0);
                        egui::Frame::group(ui.style())
                            .fill(ui.visuals().faint_bg_color)
                            .show(ui, |ui| {
                                ui.set_width(width - 16.0);
                                ui.label(egui::RichText::new("PHOTO").small().weak());
                                ui.add(
                                    egui::Label::new(egui::RichText::new(caption).italics()).wrap(),
                                );
                            });
                    }
                    source_excerpt(ui, app, &clipping, width);
                    ui.add_space(14.0);
                    body(ui, app, &clipping.id, &reading.text, &highlights, width);
                    ui.add_space(24.0);
                });
            });
        });
}

/// Where the field the reader points at in the detail panel is kept between panels (one frame).
fn source_id() -> egui::Id {
    egui::Id::unique("clipfile_source_field")
}

/// Marks `field`'s source in the reader (called by the detail panel on hover or focus).
pub fn mark_source(ctx: &egui::Context, field: Field) {
    let was = ctx
        .data(|d| d.get_temp::<Option<Field>>(source_id()))
        .flatten();
    ctx.data_mut(|d| d.insert_temp(source_id(), Some(field)));
    if was != Some(field) {
        ctx.request_repaint();
    }
}

/// The line of the article text a hovered or focused field was parsed from, its source range
/// marked: why the value is what it is. Shown while the detail panel points at the field.
fn source_excerpt(ui: &mut egui::Ui, app: &ClipfileApp, clipping: &Clipping, width: f32) {
    let marked = ui
        .ctx()
        .data_mut(|d| d.remove_temp::<Option<Field>>(source_id()));
    let Some(field) = marked.flatten() else {
        return;
    };
    let Some(&(start, end)) = clipping.parsed.sources.get(&field) else {
        return;
    };
    let Some(text) = app.state.library().and_then(|l| l.text(&clipping.id)) else {
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

fn toolbar(ui: &mut egui::Ui, app: &mut ClipfileApp) {
    ui.horizontal(|ui| {
        let has_selection = app.state.text_selection.is_some();
        let button = ui
            .add_enabled(has_selection, egui::Button::new("Highlight"))
            .on_hover_text("Highlight the selected passage (Ctrl+H)")
            .on_disabled_hover_text("Select a passage in the text to highlight it");
        if button.clicked() {
            let color = app.highlight_color;
            app.apply(Action::HighlightSelection(color));
        }
        let dark = ui.visuals().dark_mode;
        for color in HighlightColor::ALL {
            let selected = app.highlight_color == color;
            let swatch = egui::Button::new(color.name())
                .fill(highlight_fill(color, dark))
                .selected(selected);
            let response = ui
                .add(swatch)
                .on_hover_text(format!("Highlight in {}", color.name()));
            super::accessible_name(&response, &format!("Highlight in {}", color.name()));
            if response.clicked() {
                app.highlight_color = color;
                if has_selection {
                    app.apply(Action::HighlightSelection(color));
                }
            }
        }
    });
    ui.separator();
}

/// The body as one selectable, read-only text with highlights painted in.
fn body(
    ui: &mut egui::Ui,
    app: &mut ClipfileApp,
    clipping_id: &str,
    text: &str,
    highlights: &[Highlight],
    width: f32,
) {
    let dark = ui.visuals().dark_mode;
    let text_color = ui.visuals().strong_text_color().gamma_multiply(0.92);
    let spans: Vec<(usize, usize, HighlightColor)> = highlights
        .iter()
        .filter(|h| !h.orphan)
        .map(|h| (h.start, h.end, h.color))
        .collect();
    let mut layouter = |ui: &egui::Ui, buf: &dyn egui::TextBuffer, wrap: f32| {
        let job = highlighted_job(buf.as_str(), &spans, text_color, dark, wrap);
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
    super::accessible_name_text(&output.response, "Article text");

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
            app.apply(Action::OpenHighlight(hit));
        }
    }
    // Keep the last selection: a click on a button elsewhere takes the focus (and with it the
    // cursor range) away, and the selection must still be there to highlight.
    if let Some(range) = output.cursor_range {
        let r = range.as_sorted_char_range();
        let sel = (r.start.0 < r.end.0).then_some((r.start.0, r.end.0));
        if app.state.text_selection != sel {
            app.apply(Action::SetTextSelection(sel));
        }
    }

    if let Some(target) = app.state.scroll_to_highlight.take()
        && let Some(h) = highlights.iter().find(|h| h.id == target)
    {
        let rect = output
            .galley
            .pos_from_cursor(egui::text::CCursor::new(h.start))
            .translate(output.galley_pos.to_vec2());
        ui.scroll_to_rect(rect.expand(40.0), Some(egui::Align::Center));
    }
}

/// Lay out `text` with highlight backgrounds over the character ranges of `spans`.
pub fn highlighted_job(
    text: &str,
    spans: &[(usize, usize, HighlightColor)],
    color: egui::Color32,
    dark: bool,
    wrap: f32,
) -> egui::text::LayoutJob {
    let plain = egui::TextFormat::simple(egui::FontId::proportional(BODY_SIZE), color);
    let mut job = egui::text::LayoutJob::default();
    job.wrap.max_width = wrap;
    // Character offsets to byte offsets, one pass.
    let mut bounds: Vec<usize> = spans.iter().flat_map(|&(s, e, _)| [s, e]).collect();
    bounds.push(0);
    bounds.sort_unstable();
    bounds.dedup();
    let byte_of = {
        let mut map = std::collections::HashMap::new();
        let mut wanted = bounds.iter().peekable();
        for (ci, (bi, _)) in text.char_indices().enumerate() {
            while wanted.peek().is_some_and(|&&w| w == ci) {
                map.insert(ci, bi);
                wanted.next();
            }
        }
        move |c: usize| map.get(&c).copied().unwrap_or(text.len())
    };
    let mut pos = 0usize; // byte offset written so far
    let mut sorted: Vec<&(usize, usize, HighlightColor)> = spans.iter().collect();
    sorted.sort_by_key(|s| s.0);
    for &&(start, end, hl) in &sorted {
        let (bs, be) = (byte_of(start).max(pos), byte_of(end));
        if bs >= be {
            continue;
        }
        if bs > pos {
            job.append(&text[pos..bs], 0.0, plain.clone());
        }
        let mut format = plain.clone();
        format.background = highlight_fill(hl, dark);
        format.color = highlight_text(dark);
        job.append(&text[bs..be], 0.0, format);
        pos = be;
    }
    if pos < text.len() {
        job.append(&text[pos..], 0.0, plain);
    }
    job
}
