//! Who said what: the selected clipping's quotations in the detail panel (click one to see it in
//! the reader, Highlight to keep it), and the library-wide speakers, people and places as
//! facets above the list (click to filter).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::commands::Commands;
use super::state::{Action, AppState};
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

/// Speakers, people and places across the library, each with the number of clippings.
#[derive(Debug, Clone, Default)]
pub struct Facets {
    pub speakers: Vec<(String, usize)>,
    pub people: Vec<(String, usize)>,
    pub places: Vec<(String, usize)>,
}

/// Count, over clippings with their texts, the clippings quoting each speaker and mentioning
/// each person and place (in parallel), most frequent first.
pub fn library_facets(items: &[(crate::model::Clipping, Option<Arc<str>>)]) -> Facets {
    use rayon::prelude::*;
    let found: Vec<crate::quotes::Mentions> = items
        .par_iter()
        .map(|(c, text)| crate::quotes::mentions_of(c, text.as_deref().unwrap_or("")))
        .collect();
    let count = |pick: fn(&crate::quotes::Mentions) -> &Vec<String>| {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for m in &found {
            for name in pick(m) {
                *counts.entry(name.as_str()).or_default() += 1;
            }
        }
        let mut list: Vec<(String, usize)> = counts
            .into_iter()
            .map(|(n, c)| (n.to_string(), c))
            .collect();
        list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        list
    };
    Facets {
        speakers: count(|m| &m.speakers),
        people: count(|m| &m.people),
        places: count(|m| &m.places),
    }
}

/// Facets being counted, or counted, for one state of the library: (instance, revision) and
/// where the background count leaves its result.
type FacetSlot = ((u64, u64), Arc<Mutex<Option<Arc<Facets>>>>);

/// The facets above the library list: counted in the background while the section is open,
/// and again only when the library changed.
pub fn facets(ui: &mut egui::Ui, state: &AppState, commands: &mut Commands) {
    let Some(lib) = state.library() else {
        return;
    };
    if lib.is_empty() {
        return;
    }
    let now = (lib.instance(), lib.revision());
    let slot_id = egui::Id::unique("quote_facets_slot");
    let mut actions = Vec::new();
    egui::CollapsingHeader::new("Speakers, people, places")
        .id_salt("quote_facets")
        .default_open(false)
        .show(ui, |ui| {
            let slot = match ui.ctx().data(|d| d.get_temp::<FacetSlot>(slot_id)) {
                Some((at, slot)) if at == now => slot,
                _ => {
                    // A snapshot of the clippings and their texts, counted on another thread.
                    let items: Vec<(crate::model::Clipping, Option<Arc<str>>)> = lib
                        .clippings()
                        .map(|c| (c.clone(), lib.text(&c.id).cloned()))
                        .collect();
                    let slot: Arc<Mutex<Option<Arc<Facets>>>> = Arc::default();
                    let result = slot.clone();
                    let ctx = ui.ctx().clone();
                    std::thread::spawn(move || {
                        let facets = Arc::new(library_facets(&items));
                        if let Ok(mut r) = result.lock() {
                            *r = Some(facets);
                        }
                        ctx.request_repaint();
                    });
                    ui.ctx()
                        .data_mut(|d| d.insert_temp(slot_id, (now, slot.clone())));
                    slot
                }
            };
            let ready = slot.lock().ok().and_then(|r| r.clone());
            let Some(facets) = ready else {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.weak("Counting…");
                });
                return;
            };
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
