//! Who said what: the selected clipping's quotations in the detail panel (click one to see it in
//! the reader, Highlight to keep it), and the library-wide speakers, people and places as
//! facets above the list (click to filter).

use std::sync::Arc;

use super::commands::Commands;
use super::state::{Action, AppState};
use crate::library::Library;
use crate::quotes::Quote;

/// How many names each facet lists (the most frequent first).
const FACET_ROWS: usize = 40;

/// The Quotes section of the detail panel.
pub fn show(ui: &mut egui::Ui, state: &AppState, commands: &mut Commands) {
    let Some(reading) = state.reading() else {
        return;
    };
    let quotes = quotes_of(ui.ctx(), &reading.meta.paragraphs, &reading.text);
    let color = state.highlight_color;
    let mut actions = Vec::new();
    egui::CollapsingHeader::new(format!("Quotes ({})", quotes.len()))
        .id_salt("quotes")
        .default_open(true)
        .show(ui, |ui| {
            if quotes.is_empty() {
                ui.weak("No quotations found in the text.");
            }
            for (i, q) in quotes.iter().enumerate() {
                ui.push_id(("quote", i), |ui| quote_row(ui, q, color, &mut actions));
            }
        });
    for action in actions {
        commands.action(action);
    }
    ui.separator();
}

fn quote_row(
    ui: &mut egui::Ui,
    q: &Quote,
    color: crate::model::HighlightColor,
    actions: &mut Vec<Action>,
) {
    let shown: String = if q.text.chars().count() > 160 {
        format!("“{}…”", q.text.chars().take(160).collect::<String>())
    } else {
        format!("“{}”", q.text)
    };
    let quote = ui
        .add(
            egui::Label::new(egui::RichText::new(shown).italics())
                .wrap()
                .sense(egui::Sense::click()),
        )
        .on_hover_text(&q.sentence);
    if quote.clicked() {
        actions.push(Action::JumpTo(q.start));
    }
    ui.horizontal_wrapped(|ui| {
        let who = match (&q.speaker, &q.title) {
            (Some(s), Some(t)) => format!("— {s}, {t}"),
            (Some(s), None) => format!("— {s}"),
            (None, _) => "— speaker unknown".to_string(),
        };
        match &q.speaker {
            Some(s) => {
                if ui
                    .link(egui::RichText::new(who).weak())
                    .on_hover_text("Show clippings quoting them")
                    .clicked()
                {
                    actions.push(Action::FilterSpeaker(Some(s.clone())));
                }
            }
            None => {
                ui.weak(who);
            }
        }
        if ui
            .small_button("Highlight")
            .on_hover_text("Highlight this quotation")
            .clicked()
        {
            actions.push(Action::SetTextSelection(Some((q.start, q.end))));
            actions.push(Action::HighlightSelection(color));
        }
    });
    ui.add_space(4.0);
}

/// The quotations of a reading, kept in the context's memory for this text.
fn quotes_of(ctx: &egui::Context, paragraphs: &[String], text: &str) -> Arc<Vec<Quote>> {
    let id = egui::Id::unique((
        "quotes_of",
        text.len(),
        xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
    ));
    if let Some(cached) = ctx.data(|d| d.get_temp::<Arc<Vec<Quote>>>(id)) {
        return cached;
    }
    let quotes = Arc::new(crate::quotes::extract(paragraphs));
    ctx.data_mut(|d| d.insert_temp(id, quotes.clone()));
    quotes
}

/// The facets above the library list, from the search index's facet cache (kept current by
/// the state before each frame once this section has been opened).
pub fn facets(ui: &mut egui::Ui, state: &AppState, commands: &mut Commands) {
    if state.library().is_none_or(Library::is_empty) {
        return;
    }
    let mut actions = Vec::new();
    egui::CollapsingHeader::new("Speakers, people, places")
        .id_salt("quote_facets")
        .default_open(false)
        .show(ui, |ui| {
            if !state.facets.wanted() {
                // Asked once: from then on the state keeps the counts current (asking every
                // frame would queue a command, and so a repaint, every frame).
                actions.push(Action::WantFacets);
            }
            let (shown, working) = state.facets.shown();
            let Some(facets) = shown else {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.weak("Counting…");
                });
                return;
            };
            if working {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.weak("Updating…");
                });
            }
            facet(ui, "Speakers", &facets.speakers, true, &mut actions, |n| {
                Action::FilterSpeaker(Some(n))
            });
            facet(ui, "People", &facets.people, false, &mut actions, |n| {
                Action::FilterMention(Some(n))
            });
            facet(ui, "Places", &facets.places, false, &mut actions, |n| {
                Action::FilterMention(Some(n))
            });
        });
    for action in actions {
        commands.action(action);
    }
}

/// One facet: a collapsible list of names with counts, each a link that filters.
fn facet(
    ui: &mut egui::Ui,
    name: &str,
    list: &[(String, usize)],
    open: bool,
    actions: &mut Vec<Action>,
    filter: fn(String) -> Action,
) {
    egui::CollapsingHeader::new(format!("{name} ({})", list.len()))
        .id_salt(("quote_facet", name))
        .default_open(open)
        .show(ui, |ui| {
            if list.is_empty() {
                ui.weak("None found");
            }
            egui::ScrollArea::vertical()
                .id_salt(("quote_facet_scroll", name))
                .max_height(160.0)
                .show(ui, |ui| {
                    for (n, count) in list.iter().take(FACET_ROWS) {
                        ui.horizontal(|ui| {
                            if ui
                                .link(n)
                                .on_hover_text(format!("Show the {count} clippings"))
                                .clicked()
                            {
                                actions.push(filter(n.clone()));
                            }
                            ui.weak(count.to_string());
                        });
                    }
                });
        });
}
