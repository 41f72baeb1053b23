//! Who said what: the selected clipping's quotations in the detail panel (click one to see it in
//! the reader, Highlight to keep it), and the library-wide speakers, people and places as
//! facets above the list (click to filter).

use std::sync::{Arc, Mutex};

use super::app::ClipfileApp;
use super::state::Action;
use crate::library::Library;
use crate::quotes::Quote;

/// How many names each facet lists (the most frequent first).
const FACET_ROWS: usize = 40;

/// The Quotes section of the detail panel.
pub fn show(ui: &mut egui::Ui, app: &mut ClipfileApp) {
    let Some(reading) = app.state.reading() else {
        return;
    };
    let quotes = quotes_of(ui.ctx(), &reading.meta.paragraphs, &reading.text);
    let color = app.highlight_color;
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
        app.apply(action);
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

/// Where a background extraction of the facet cache leaves its result.
type FacetSlot = Arc<Mutex<Option<crate::quotes::BuiltFacets>>>;

/// The facets above the library list, from the search index's facet cache: brought up to date
/// in place after a few changes, on a background thread after many (only the changed clippings
/// are read again), while the section is open.
pub fn facets(ui: &mut egui::Ui, app: &mut ClipfileApp) {
    if app.state.library().is_none_or(Library::is_empty) {
        return;
    }
    let slot_id = egui::Id::unique("quote_facets_slot");
    let mut actions = Vec::new();
    egui::CollapsingHeader::new("Speakers, people, places")
        .id_salt("quote_facets")
        .default_open(false)
        .show(ui, |ui| {
            let Some((lib, index)) = app.state.facet_index() else {
                return;
            };
            let pending = ui.ctx().data(|d| d.get_temp::<FacetSlot>(slot_id));
            let mut working = false;
            if let Some(slot) = pending {
                match slot.lock().ok().and_then(|mut r| r.take()) {
                    Some(built) => {
                        index.adopt(built);
                        ui.ctx().data_mut(|d| d.remove::<FacetSlot>(slot_id));
                    }
                    None => working = true,
                }
            }
            if !working && !index.is_current(lib) {
                if index.needs_background(lib) {
                    let source = index.source(lib);
                    let slot: FacetSlot = Arc::default();
                    let result = slot.clone();
                    let ctx = ui.ctx().clone();
                    std::thread::spawn(move || {
                        let built = source.build();
                        if let Ok(mut r) = result.lock() {
                            *r = Some(built);
                        }
                        ctx.request_repaint();
                    });
                    ui.ctx().data_mut(|d| d.insert_temp(slot_id, slot));
                    working = true;
                } else {
                    index.refresh(lib);
                }
            }
            if !index.is_built() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.weak("Counting…");
                });
                return;
            }
            if working {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.weak("Updating…");
                });
            }
            let facets = index.facets();
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
        app.apply(action);
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

/// The speaker and mention filters in force, as (button label, hover text, action to remove).
pub fn filter_chips(app: &ClipfileApp) -> Vec<(String, &'static str, Action)> {
    let q = &app.state.query;
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
