//! The search box over the SQLite index: each operator of the query language over a small
//! library made here, the help line and errors under the box, snippets under the rows, the
//! list while the index is still being built, and an edit found by its new words.

use std::path::Path;

use clipfile::library::{Library, OpenMode, Outcome};
use clipfile::model::{Field, HighlightColor, new_highlight_id};
use clipfile::ui::ClipfileApp;
use clipfile::ui::app::Prefs;
use clipfile::ui::state::Action;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::support::{self, search_for, step_until, wait_for_search};

const A: &str = "Putin and Hollande meet in Moscow\n\nA natural ally in the fight\n\nBy Jane Roe\n\nMOSCOW (AP) — President François Hollande said France sees Russia as a natural ally against the Islamic State.\n\nThe two leaders spoke for three hours.\n";
const B: &str = "Brussels station blast\n\nInvestigators search the suburbs\n\nBRUSSELS (Reuters) — An explosion hit the Maelbeek metro station. The natural gas main was not involved, officials said.\n\nAllied governments sent condolences.\n";
const C: &str = "Kelp farms grow off Zanzibar\n\nA new crop for island farmers\n\nZANZIBAR — Farmers in Zanzibar are planting kelp, a crop that needs no fertilizer.\n\nPrices for kelp rose this year.\n";
const D: &str = "Ankara talks stall\n\nANKARA (Reuters) — Turkey called Russia an ally on Monday, and Moscow agreed; the natural gas pipeline talks stalled.\n\nNo date was set for the next round.\n";

const TA: &str = "Putin and Hollande meet in Moscow";
const TB: &str = "Brussels station blast";
const TC: &str = "Kelp farms grow off Zanzibar";
const TD: &str = "Ankara talks stall";

fn import(lib: &mut Library, name: &str, text: &str) -> String {
    match lib.import_text(name, text).expect("import") {
        Outcome::Imported { id, .. } => id,
        other => panic!("{other:?}"),
    }
}

fn highlight(lib: &Library, id: &str, quote: &str) -> clipfile::model::Highlight {
    let text = lib.text(id).expect("text");
    let doc = clipfile::anchor::reading_text(&clipfile::parse::parse_article(&text));
    let (start, end) = clipfile::anchor::occurrences(&doc, quote)[0];
    clipfile::anchor::new_highlight(
        &doc,
        start,
        end,
        HighlightColor::Yellow,
        new_highlight_id(),
        "2024-01-01T00:00:00Z".into(),
    )
    .expect("highlight")
}

/// A (2015-11-27, tagged syria/diplomacy, a highlight with a comment, notes, a corrected
/// publication), B (2016-03-22, an orphaned highlight), C (section Sports, no date), D
/// (2015-03-10, notes).
fn library(root: &Path) {
    let mut lib = Library::open(root, OpenMode::ReadWrite).expect("open");
    let a = import(&mut lib, "a.txt", A);
    let b = import(&mut lib, "b.txt", B);
    let c = import(&mut lib, "c.txt", C);
    let d = import(&mut lib, "d.txt", D);
    let mut h = highlight(&lib, &a, "natural ally against the Islamic State");
    h.comment = "Compare with the Elysee readout".into();
    lib.update(&a, |c| {
        c.tags = vec!["syria/diplomacy".into()];
        c.notes = "Ask Okafor about the coalition".into();
        c.highlights.push(h);
        let f = &mut c.overrides.fields;
        f.insert(Field::Published, "2015-11-27".into());
        f.insert(Field::Publication, "The Quillby Courier".into());
    })
    .expect("annotate a");
    let mut orphan = highlight(&lib, &b, "Maelbeek metro station");
    orphan.quote = "a sentence this article never had in it".into();
    orphan.prefix = "xxxxxxxxxxxxxxxxxxxx".into();
    orphan.suffix = "yyyyyyyyyyyyyyyyyyyy".into();
    lib.update(&b, |c| {
        c.highlights.push(orphan);
        c.overrides
            .fields
            .insert(Field::Published, "2016-03-22".into());
    })
    .expect("annotate b");
    lib.update(&c, |c| {
        c.overrides.fields.insert(Field::Section, "Sports".into());
    })
    .expect("annotate c");
    lib.update(&d, |c| {
        c.notes = "fertilizer prices next".into();
        c.overrides
            .fields
            .insert(Field::Published, "2015-03-10".into());
    })
    .expect("annotate d");
}

fn open(root: &Path) -> Harness<'static, ClipfileApp> {
    library(root);
    let mut h = support::harness(root, support::WINDOW, Prefs::default());
    wait_for_search(&mut h);
    h
}

/// The headlines listed, in the list's order.
fn listed(h: &mut Harness<'static, ClipfileApp>) -> Vec<String> {
    let state = &mut h.state_mut().state;
    let ids = state.visible().to_vec();
    let lib = state.library().expect("library");
    ids.iter()
        .filter_map(|id| lib.get(id))
        .map(|c| c.title().to_string())
        .collect()
}

fn found(h: &mut Harness<'static, ClipfileApp>, query: &str) -> Vec<String> {
    search_for(h, query);
    let mut titles = listed(h);
    titles.sort();
    titles
}

fn sorted(titles: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = titles.iter().map(|t| t.to_string()).collect();
    v.sort();
    v
}

#[test]
fn each_operator_of_the_query_language_returns_what_it_says() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = open(&tmp.path().join("lib"));
    assert_eq!(listed(&mut h).len(), 4);
    let cases: &[(&str, &[&str])] = &[
        // Every word must match: B has "natural" but not "ally".
        ("natural ally", &[TA, TD]),
        // The exact phrase: D has both words, apart.
        ("\"natural ally\"", &[TA]),
        ("natural -gas", &[TA]),
        ("zanzibar OR maelbeek", &[TB, TC]),
        ("natur*", &[TA, TB, TD]),
        ("moscow", &[TA, TD]),
        ("headline:moscow", &[TA]),
        ("text:fertilizer", &[TC]),
        ("note:fertilizer", &[TD]),
        ("comment:elysee", &[TA]),
        ("tag:syria", &[TA]),
        ("person:roe", &[TA]),
        ("org:reuters", &[TB, TD]),
        ("publication:quillby", &[TA]),
        ("section:sports", &[TC]),
        ("dateline:brussels", &[TB]),
        ("date:2015-11", &[TA]),
        ("date:2015-01..2015-06", &[TD]),
        ("has:highlights", &[TA, TB]),
        ("has:notes", &[TA, TD]),
        ("is:orphan", &[TB]),
        // Accents and case never matter.
        ("francois", &[TA]),
        ("FRANÇOIS hollande", &[TA]),
    ];
    for (query, want) in cases {
        assert_eq!(found(&mut h, query), sorted(want), "query {query}");
    }
    // A ranked list: the headline match first.
    search_for(&mut h, "moscow");
    assert_eq!(listed(&mut h), vec![TA.to_string(), TD.to_string()]);
    let sort = h.get_by_label("Sort");
    assert_eq!(sort.value().as_deref(), Some("Best match"));
    // The side filters apply on top of the hits.
    h.state_mut().apply(Action::ToggleTagFilter("syria".into()));
    h.run_steps(2);
    assert_eq!(listed(&mut h), vec![TA.to_string()]);
}

#[test]
fn the_help_line_is_under_the_box_and_a_malformed_query_says_what_is_wrong() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = open(&tmp.path().join("lib"));
    h.get_by_label(clipfile::query::HELP);
    search_for(&mut h, "kelp");
    assert_eq!(listed(&mut h), vec![TC.to_string()]);
    search_for(&mut h, "\"natural ally");
    let error = h.get_by_label_contains("never closed");
    assert!(
        error.value().is_some_and(|l| l.contains("character 1")),
        "{error:?}"
    );
    assert!(h.query_by_label(clipfile::query::HELP).is_none());
    // The list is not emptied: the last answer stays.
    assert_eq!(listed(&mut h), vec![TC.to_string()]);
    search_for(&mut h, "date:2015-02-30");
    h.get_by_label_contains("is not a date");
    search_for(&mut h, "\"natural ally\"");
    h.get_by_label(clipfile::query::HELP);
    assert_eq!(listed(&mut h), vec![TA.to_string()]);
}

#[test]
fn a_row_shows_its_snippet_with_the_matching_word_marked() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = open(&tmp.path().join("lib"));
    search_for(&mut h, "fertilizer");
    let c = h
        .state()
        .state
        .library()
        .and_then(|l| l.clippings().find(|c| c.title() == TC))
        .map(|c| c.id.clone())
        .expect("C");
    let snippet = h.state().state.snippet(&c).expect("a snippet").to_string();
    let parts = clipfile::ui::snippet_parts(&snippet);
    let marked: Vec<&str> = parts.iter().filter(|(_, m)| *m).map(|(p, _)| *p).collect();
    assert_eq!(marked, vec!["fertilizer"], "{snippet}");
    // Drawn under the row, without the marks.
    let plain: String = parts.iter().map(|(p, _)| *p).collect();
    let shown = plain.replace('\n', " ");
    h.get_by_label(&shown);
    assert!(shown.contains("needs no fertilizer"), "{shown}");
    // No search, no snippet.
    search_for(&mut h, "");
    assert!(h.state().state.snippet(&c).is_none());
    assert!(h.query_by_label(&shown).is_none());
}

#[test]
fn the_list_is_filled_while_the_index_is_still_being_built() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    library(&root);
    let mut gate = None;
    let mut h = support::harness_with(&root, support::WINDOW, Prefs::default(), |app| {
        gate = Some(app.state.hold_index());
    });
    h.run_steps(5);
    assert!(!h.state().state.search_index_is_ready());
    for title in [TA, TB, TC, TD] {
        h.get_by_label(title);
    }
    // A search waits for the index, and says so.
    h.state_mut().top_bar.search_text = "kelp".into();
    h.state_mut().apply(Action::SetSearch("kelp".into()));
    h.run_steps(3);
    h.get_by_label_contains("Indexing… 0 of 4");
    assert!(h.query_by_label("No clipping matches.").is_none());
    gate.expect("gate").release();
    wait_for_search(&mut h);
    assert!(h.state().state.search_index_is_ready());
    assert_eq!(listed(&mut h), vec![TC.to_string()]);
}

#[test]
fn a_search_standing_during_an_import_finds_the_imported_clippings_when_it_ends() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = open(&tmp.path().join("lib"));
    assert!(found(&mut h, "wombat").is_empty());
    // More files than one commit chunk, every one about wombats.
    let input = tmp.path().join("wombats");
    std::fs::create_dir(&input).expect("mkdir");
    let n = 300;
    for i in 0..n {
        let text = format!("Wombat count {i} in the valley\n\nRangers counted {i} wombats.\n");
        std::fs::write(input.join(format!("{i}.txt")), text).expect("write");
    }
    support::import_and_wait(&mut h, vec![input]);
    // The query typed before the import now lists every new clipping, best first.
    step_until(&mut h, "the imported clippings to be found", |h| {
        h.state().state.search_settled() && h.state().state.shown().len() == n
    });
    let titles = listed(&mut h);
    assert_eq!(titles.len(), n);
    assert!(
        titles.iter().all(|t| t.starts_with("Wombat count")),
        "{titles:?}"
    );
}

#[test]
fn a_clipping_edited_in_the_app_is_found_by_its_new_words() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = open(&tmp.path().join("lib"));
    assert!(found(&mut h, "quokka").is_empty());
    let id = h
        .state()
        .state
        .library()
        .and_then(|l| l.clippings().find(|c| c.title() == TB))
        .map(|c| c.id.clone())
        .expect("B");
    h.state_mut().apply(Action::SetNotes {
        id,
        text: "A quokka was seen near the station".into(),
    });
    h.run_steps(1);
    step_until(&mut h, "the edit to be found", |h| {
        h.state().state.search_settled() && !h.state().state.shown().is_empty()
    });
    assert_eq!(listed(&mut h), vec![TB.to_string()]);
    // Marked in the reader: the query's words.
    assert_eq!(h.state().state.mark_words(), "quokka");
}

#[test]
fn an_index_that_cannot_be_kept_is_said_and_search_still_works() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    library(&root);
    // The cache "folder" is a file: no index can be kept there.
    let blocked = tmp.path().join("not-a-folder");
    std::fs::write(&blocked, "x").expect("write");
    let mut h = support::harness_with(&root, support::WINDOW, Prefs::default(), |app| {
        app.state.set_index_cache(blocked.clone());
    });
    wait_for_search(&mut h);
    let said = notified(&h);
    assert!(
        said.iter().any(|t| t.contains("kept in memory")),
        "{said:?}"
    );
    assert_eq!(found(&mut h, "kelp"), vec![TC.to_string()]);
    assert_eq!(listed_all(&mut h), 4);
}

/// The texts of the notifications shown.
fn notified(h: &Harness<'static, ClipfileApp>) -> Vec<String> {
    h.state()
        .state
        .notifications
        .iter()
        .map(|(_, n)| n.text.clone())
        .collect()
}

fn listed_all(h: &mut Harness<'static, ClipfileApp>) -> usize {
    search_for(h, "");
    listed(h).len()
}

/// An index damaged where opening it does not look (its records' page) is built again when a
/// search meets the damage: the reader is told, and the search still answers.
#[test]
fn a_damaged_index_is_built_again_and_the_search_answers() {
    use crate::index_damage::{damage_records, index_file};
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let mut h = open(&root);
    assert_eq!(found(&mut h, "kelp"), vec![TC.to_string()]);
    drop(h);
    damage_records(&index_file(&support::index_cache(&root)));
    // A narrow window: the message (which names the index file) wraps, and its Dismiss
    // button stays on screen.
    let narrow = egui::vec2(900.0, 600.0);
    let mut h = support::harness(&root, narrow, Prefs::default());
    assert_eq!(found(&mut h, "kelp"), vec![TC.to_string()]);
    let said = notified(&h);
    assert!(
        said.iter().any(|t| t.contains("being built again")),
        "{said:?}"
    );
    let message = h.get_by_label_contains("being built again").rect();
    let dismiss = h.get_by_label("Dismiss").rect();
    assert!(dismiss.max.x <= narrow.x, "{dismiss:?}");
    assert!(message.max.x <= dismiss.min.x, "{message:?} {dismiss:?}");
    // Mended: later searches use it.
    assert_eq!(found(&mut h, "hollande"), vec![TA.to_string()]);
}

/// An answer comes with the snippets of the rows the list shows, not of a fixed number: the
/// list says how many rows fit, a taller window asks for more, and a row further down gets
/// its snippet when it is drawn.
#[test]
fn an_answer_brings_the_snippets_of_the_rows_the_list_shows() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let mut lib = Library::open(&root, OpenMode::ReadWrite).expect("open");
    let n = 60;
    for i in 0..n {
        let text = format!(
            "Otters return to river {i}\n\nVOLTA — Otters were seen in river {i} this spring, \
             the first in {i} years, wardens said.\n"
        );
        import(&mut lib, &format!("{i}.txt"), &text);
    }
    drop(lib);
    let small = egui::vec2(1000.0, 500.0);
    let mut h = support::harness(&root, small, Prefs::default());
    search_for(&mut h, "otters");
    let shown = h
        .state()
        .state
        .rows_in_view()
        .expect("the list says how many rows fit");
    assert!(
        (3..n).contains(&shown),
        "{shown} rows in a 500-point window"
    );
    let with_snippet = |h: &mut Harness<'static, ClipfileApp>| {
        let ids: Vec<String> = h
            .state_mut()
            .state
            .visible()
            .iter()
            .map(|id| id.to_string())
            .collect();
        assert_eq!(ids.len(), n);
        ids.iter()
            .take_while(|id| h.state().state.snippet(id).is_some())
            .count()
    };
    // The rows in view have their snippets; the ones below them were never made.
    assert_eq!(with_snippet(&mut h), shown);
    // A taller window shows more rows: the next answer comes with more snippets.
    h.set_size(egui::vec2(1000.0, 1000.0));
    h.run_steps(3);
    let taller = h.state().state.rows_in_view().expect("rows");
    assert!(
        taller > shown,
        "{taller} rows in 1000 points against {shown} in 500"
    );
    search_for(&mut h, "river");
    assert_eq!(with_snippet(&mut h), taller);
}

/// Typing a query letter by letter passes through queries that find nothing, or find only
/// other clippings: the clipping the user selected comes back selected when the list shows it
/// again, and a clipping the user picks meanwhile is kept instead.
#[test]
fn the_selection_comes_back_when_a_search_shows_it_again() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = open(&tmp.path().join("lib"));
    let id_of = |h: &mut Harness<'static, ClipfileApp>, title: &str| {
        let lib = h.state().state.library().expect("library");
        lib.clippings()
            .find(|c| c.title() == title)
            .map(|c| c.id.clone())
            .expect("clipping")
    };
    let kelp = id_of(&mut h, TC);
    h.get_all_by_label(TC).next().expect("row").click();
    h.run_steps(3);
    assert_eq!(h.state().state.selected.as_deref(), Some(kelp.as_str()));
    // "kelx" on the way to "kelp farms": nothing found, nothing selected.
    assert!(found(&mut h, "kelx").is_empty());
    assert_eq!(h.state().state.selected, None);
    // "moscow" lists two others: the first of them is shown meanwhile.
    assert_eq!(found(&mut h, "moscow"), sorted(&[TA, TD]));
    assert_ne!(h.state().state.selected.as_deref(), Some(kelp.as_str()));
    // "kelp": back in the list, and selected again.
    assert_eq!(found(&mut h, "kelp"), sorted(&[TC]));
    assert_eq!(h.state().state.selected.as_deref(), Some(kelp.as_str()));
    assert!(h.get_all_by_label("Kelp farms grow off Zanzibar").count() >= 2);
    // A clipping picked while the first is left out is the user's choice: it stays.
    assert_eq!(found(&mut h, "ankara"), sorted(&[TD]));
    let ankara = id_of(&mut h, TD);
    h.get_all_by_label(TD).next().expect("row").click();
    h.run_steps(3);
    assert_eq!(found(&mut h, ""), sorted(&[TA, TB, TC, TD]));
    assert_eq!(h.state().state.selected.as_deref(), Some(ankara.as_str()));
}
