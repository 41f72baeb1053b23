//! The real app driven headless through egui_kittest: drops, selection, details, search,
//! delete/undo, the first-run sample, field edits.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clipfile::model::Field;
use clipfile::sample;
use clipfile::ui::ClipfileApp;
use clipfile::ui::app::Prefs;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

use super::support::{self, step_until, wait_for_import};

const SEED_HEADLINE: &str = "Joining forces against ISIS, 2 nations say";

/// A file dropped onto the window (egui_kittest has no helper for this).
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// A library at `root` holding the seed article, made without the app.
fn library_with_seed(root: &Path) {
    let mut lib = clipfile::library::Library::open(root, clipfile::library::OpenMode::ReadWrite)
        .expect("open");
    lib.import_text("seed.txt", sample::SEED_TEXT)
        .expect("import");
}

fn harness(root: &Path) -> Harness<'static, ClipfileApp> {
    support::harness(root, support::WINDOW, Prefs::default())
}

fn drop_files(harness: &mut Harness<'static, ClipfileApp>, paths: &[PathBuf]) {
    for path in paths {
        harness
            .input_mut()
            .dropped_files
            .push(Arc::new(Dropped(path.clone())));
    }
    harness.step();
    wait_for_import(harness);
}

fn notice(harness: &Harness<'static, ClipfileApp>) -> String {
    harness
        .state()
        .state
        .notice()
        .map(|n| n.text.clone())
        .unwrap_or_default()
}

fn write_seed_and_article(dir: &Path) -> (PathBuf, PathBuf, String) {
    let seed = dir.join("seed.txt");
    std::fs::write(&seed, sample::SEED_TEXT).expect("w");
    let other = dir.join("other.txt");
    let text = "Brussels station blast said to be terrorism\n\nBy Raf Casert and Lorne Cook\n\nBRUSSELS (AP) — A man set off a small explosion at a busy Brussels train station on Tuesday.\n\nSoldiers shot him, officials said.\n";
    std::fs::write(&other, text).expect("w");
    (
        seed,
        other,
        "Brussels station blast said to be terrorism".to_string(),
    )
}

#[test]
fn dropping_two_files_adds_two_clippings_to_the_list_and_a_duplicate_is_reported() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (seed, other, other_headline) = write_seed_and_article(tmp.path());
    let mut harness = harness(&tmp.path().join("lib"));
    harness.run_steps(2);
    harness.get_by_label("Load sample clipping");

    drop_files(&mut harness, &[seed.clone(), other]);
    assert_eq!(harness.state().state.library().map(|l| l.len()), Some(2));
    assert!(harness.query_all_by_label(SEED_HEADLINE).count() >= 1);
    assert!(harness.query_all_by_label(&other_headline).count() >= 1);
    assert!(
        notice(&harness).starts_with("Imported 2"),
        "{}",
        notice(&harness)
    );

    drop_files(&mut harness, &[seed]);
    assert_eq!(harness.state().state.library().map(|l| l.len()), Some(2));
    assert_eq!(notice(&harness), "Imported 0 · 1 already in library");
    harness.get_by_label_contains("1 already in library");
    // Per-file details are one click away.
    harness.get_by_label("Show details").click();
    harness.run_steps(2);
    harness.get_by_label("Import details");
    harness.get_by_label("already in the library");
}

#[test]
fn selecting_the_seed_shows_its_metadata_and_credits() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (seed, other, _) = write_seed_and_article(tmp.path());
    let mut harness = harness(&tmp.path().join("lib"));
    drop_files(&mut harness, &[other, seed]);
    harness
        .get_all_by_label(SEED_HEADLINE)
        .next()
        .expect("row")
        .click();
    harness.run_steps(3);
    let selected = harness
        .state()
        .state
        .selected_clipping()
        .map(|c| c.title().to_string());
    assert_eq!(selected.as_deref(), Some(SEED_HEADLINE));

    harness.get_by_label("MOSCOW");
    harness.get_by_label("A Section");
    harness.get_by_label("2015-11-27");
    for org in [
        "The Associated Press",
        "Bloomberg News",
        "The New York Times",
    ] {
        harness.get_by_label(org);
    }
    for person in [
        "Sylvie Corbet",
        "Elena Becatoros",
        "Birgit Jennen",
        "Arne Delfs",
        "James Kanter",
    ] {
        harness.get_by_label(person);
    }
    // Clicking an organization filters the library to clippings crediting it.
    harness.get_by_label("Bloomberg News").click();
    harness.run_steps(2);
    let visible = harness.state_mut().state.visible().len();
    assert_eq!(visible, 1);
}

#[test]
fn typing_in_search_filters_the_list() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (seed, other, other_headline) = write_seed_and_article(tmp.path());
    let mut harness = harness(&tmp.path().join("lib"));
    drop_files(&mut harness, &[seed, other]);
    assert_eq!(harness.state_mut().state.visible().len(), 2);

    harness.get_by_label("Search").click();
    harness.run_steps(1);
    harness.get_by_label("Search").type_text("kremlin");
    harness.run_steps(1);
    support::wait_for_search(&mut harness);
    assert_eq!(harness.state_mut().state.visible().len(), 1);
    harness.get_by_label("1 of 2 match");
    assert_eq!(harness.query_all_by_label(&other_headline).count(), 0);
    // While searching the list is ranked by best match, and the sort box says so.
    let sort = harness.get_by_label("Sort");
    assert_eq!(sort.value().as_deref(), Some("Best match"));
    assert!(sort.accesskit_node().is_disabled());
    harness.get_by_label("×").click();
    harness.run_steps(2);
    let sort = harness.get_by_label("Sort");
    assert_eq!(sort.value().as_deref(), Some("Imported"));
    assert!(!sort.accesskit_node().is_disabled());
    assert_eq!(harness.state_mut().state.visible().len(), 2);
}

#[test]
fn the_search_index_is_ready_before_the_first_search() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    library_with_seed(&root);
    let mut harness = harness(&root);
    // Started with the first frame, built on the worker's thread, with no search typed yet.
    step_until(&mut harness, "the search index", |h| {
        h.state().state.search_index_is_ready()
    });
    assert!(harness.state().state.query.text.is_empty());
    harness.get_by_label("Search").click();
    harness.run_steps(1);
    harness.get_by_label("Search").type_text("hollande");
    harness.run_steps(1);
    support::wait_for_search(&mut harness);
    assert_eq!(harness.state_mut().state.visible().len(), 1);
}

#[test]
fn delete_then_undo() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (seed, other, _) = write_seed_and_article(tmp.path());
    let mut harness = harness(&tmp.path().join("lib"));
    drop_files(&mut harness, &[seed, other]);
    harness
        .get_all_by_label(SEED_HEADLINE)
        .next()
        .expect("row")
        .click();
    harness.run_steps(2);
    let id = harness.state().state.selected.clone().expect("selected");

    harness.key_press(egui::Key::Delete);
    harness.run_steps(2);
    assert!(!harness.state().state.library().expect("lib").contains(&id));
    assert!(
        notice(&harness).contains("to the trash"),
        "{}",
        notice(&harness)
    );
    assert!(
        tmp.path()
            .join("lib/trash")
            .join(format!("{id}.ron"))
            .exists()
    );

    harness.get_by_label("Undo").click();
    harness.run_steps(2);
    assert!(harness.state().state.library().expect("lib").contains(&id));
    assert_eq!(harness.state().state.selected.as_deref(), Some(id.as_str()));
}

#[test]
fn first_run_sample_button() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut harness = harness(&tmp.path().join("lib"));
    harness.run_steps(2);
    harness.get_by_label("Welcome to Clipfile");
    harness.get_by_label("Load sample clipping").click();
    harness.run_steps(3);
    let lib = harness.state().state.library().expect("lib");
    assert_eq!(lib.len(), 1);
    assert_eq!(
        harness
            .state()
            .state
            .selected_clipping()
            .map(|c| c.title().to_string())
            .as_deref(),
        Some(SEED_HEADLINE)
    );
    assert!(harness.query_by_label("Welcome to Clipfile").is_none());
    harness.get_by_label("MOSCOW");
}

#[test]
fn editing_a_field_and_resetting_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut harness = harness(&tmp.path().join("lib"));
    harness.run_steps(1);
    harness.get_by_label("Load sample clipping").click();
    harness.run_steps(3);

    harness.get_by_label("Edit Section").click();
    harness.run_steps(2);
    let field = harness.get_by_label("Section");
    field.focus();
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_label("Section").type_text("Front page");
    harness.run_steps(1);
    harness.get_by_label("Save").click();
    harness.run_steps(3);
    let c = harness
        .state()
        .state
        .selected_clipping()
        .expect("selected")
        .clone();
    assert_eq!(c.field(Field::Section), Some("Front page"));
    assert!(c.is_edited(Field::Section));
    harness.get_by_label("Front page");
    harness.get_by_label("edited");

    // The edit is on disk.
    let ron = std::fs::read_to_string(
        tmp.path()
            .join("lib/clippings")
            .join(format!("{}.ron", c.id)),
    )
    .expect("ron");
    assert!(ron.contains("Front page"));

    harness.get_by_label("Reset Section").click();
    harness.run_steps(3);
    let c = harness
        .state()
        .state
        .selected_clipping()
        .expect("selected")
        .clone();
    assert_eq!(c.field(Field::Section), Some("A Section"));
    assert!(!c.is_edited(Field::Section));
    assert!(harness.query_by_label("edited").is_none());
}

#[test]
fn keyboard_moves_the_selection_and_the_path_field_imports() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).expect("mkdir");
    write_seed_and_article(&input);
    let mut harness = harness(&tmp.path().join("lib"));
    harness.run_steps(1);
    // Ctrl+O without a native dialog offers a path field.
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    harness.run_steps(2);
    let field = harness.get_by_label("Path to import");
    field.focus();
    field.type_text(input.to_str().expect("utf8"));
    harness.run_steps(1);
    harness.get_by_label("Import").click();
    harness.run_steps(1);
    wait_for_import(&mut harness);
    assert_eq!(harness.state().state.library().map(|l| l.len()), Some(2));

    harness.state_mut().state.selected = None;
    harness.key_press(egui::Key::ArrowDown);
    harness.run_steps(1);
    let first = harness.state().state.selected.clone().expect("first");
    harness.key_press(egui::Key::ArrowDown);
    harness.run_steps(1);
    let second = harness.state().state.selected.clone().expect("second");
    assert_ne!(first, second);
    harness.key_press(egui::Key::ArrowUp);
    harness.run_steps(1);
    assert_eq!(harness.state().state.selected, Some(first));
}

#[test]
fn a_library_locked_by_another_clipfile_opens_read_only_and_says_so() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let mut holder =
        clipfile::library::Library::open(&root, clipfile::library::OpenMode::ReadWrite)
            .expect("open");
    holder
        .import_text("seed.txt", sample::SEED_TEXT)
        .expect("import");
    let mut harness = harness(&root);
    harness.run_steps(2);
    assert!(harness.state().state.library().expect("lib").is_read_only());
    harness.get_by_label_contains("Read-only: the library");
    harness.get_by_label_contains("open in another Clipfile process");
    // Changes are refused with a message, and nothing is written.
    harness
        .get_all_by_label(SEED_HEADLINE)
        .next()
        .expect("row")
        .click();
    harness.run_steps(2);
    harness.key_press(egui::Key::Delete);
    harness.run_steps(2);
    assert_eq!(harness.state().state.library().expect("lib").len(), 1);
    assert!(
        notice(&harness).contains("read-only"),
        "{}",
        notice(&harness)
    );
    drop(holder);
}

#[test]
fn changes_made_by_a_sync_tool_while_the_app_runs_are_picked_up() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let mut harness = harness(&root);
    harness.run_steps(1);
    harness.get_by_label("Load sample clipping").click();
    harness.run_steps(2);
    let id = harness.state().state.selected.clone().expect("seed");
    let ron = root.join("clippings").join(format!("{id}.ron"));
    // The watcher starts on its own thread once the library is open.
    step_until(&mut harness, "the folder watched", |h| {
        h.state().state.is_watching()
    });

    // Another machine's edit arrives.
    let text = std::fs::read_to_string(&ron)
        .expect("r")
        .replace("notes: \"\"", "notes: \"from the laptop\"");
    std::fs::write(&ron, text).expect("w");
    step_until(&mut harness, "the outside edit of the notes", |h| {
        h.state()
            .state
            .library()
            .and_then(|l| l.get(&id))
            .is_some_and(|c| c.notes == "from the laptop")
    });

    // A new clipping arrives (written by another copy of the library).
    let other_root = tmp.path().join("other");
    let mut other =
        clipfile::library::Library::open(&other_root, clipfile::library::OpenMode::ReadWrite)
            .expect("other");
    let (_, article, _) = write_seed_and_article(tmp.path());
    other
        .import_blocking(vec![article], |_| {})
        .expect("import");
    let new_id = other.clippings().next().expect("one").id.clone();
    drop(other);
    for ext in ["txt", "ron"] {
        std::fs::copy(
            other_root.join("clippings").join(format!("{new_id}.{ext}")),
            root.join("clippings").join(format!("{new_id}.{ext}")),
        )
        .expect("copy");
    }
    step_until(&mut harness, "the clipping added outside", |h| {
        h.state()
            .state
            .library()
            .is_some_and(|l| l.contains(&new_id))
    });

    // A sync conflict copy is reported in the app.
    std::fs::copy(
        &ron,
        root.join("clippings")
            .join(format!("{id}.sync-conflict-20261127-101010-XYZ.ron")),
    )
    .expect("copy");
    step_until(&mut harness, "the sync conflict to be reported", |h| {
        h.state()
            .state
            .library()
            .is_some_and(|l| l.problems().iter().any(|p| p.reason.contains("conflict")))
    });
    harness.run_steps(2);
    harness.get_by_label_contains("library files need your attention");
}

#[test]
fn dropping_a_batch_download_gives_one_clipping_per_article() {
    use clipfile::batch::samples;
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("Nexis_Uni_download.DOCX");
    std::fs::write(&path, samples::nexis_docx()).expect("w");
    let mut harness = harness(&tmp.path().join("lib"));
    harness.run_steps(2);
    drop_files(&mut harness, &[path]);
    assert_eq!(harness.state().state.library().map(|l| l.len()), Some(2));
    assert!(
        notice(&harness).starts_with("Imported 2"),
        "{}",
        notice(&harness)
    );
    assert!(
        harness
            .query_all_by_label("Ärzte warnen vor Hitzewelle")
            .count()
            >= 1
    );
    assert!(
        harness
            .query_all_by_label("Port strike ends after three days")
            .count()
            >= 1
    );
    // The detail panel says where the article came from: the database and its place in the batch.
    harness
        .get_all_by_label("Port strike ends after three days")
        .next()
        .expect("row")
        .click();
    harness.run_steps(3);
    assert!(
        harness
            .query_by_label_contains("Nexis Uni: document")
            .is_some(),
        "the batch source is shown"
    );
    assert!(
        harness
            .query_by_label_contains("of 2 in Nexis_Uni_download.DOCX")
            .is_some()
    );
}

/// The publication is listed and links to every clipping from it (its search: src/search.rs).
#[test]
fn the_publication_is_a_facet() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("a.txt");
    let b = tmp.path().join("b.txt");
    let c = tmp.path().join("c.txt");
    std::fs::write(
        &a,
        "Lakeside Herald\n\nHarbor bridge opens\n\nCity officials opened the bridge on Monday.\n",
    )
    .expect("w");
    std::fs::write(
        &b,
        "Ferry fares rise\n\nThe ferry costs more from June, the operator said.\n\n© 2024 Lakeside Herald\n",
    )
    .expect("w");
    std::fs::write(
        &c,
        "Ferry strike ends\n\nThe strike ended on Friday, union leaders said.\n",
    )
    .expect("w");
    let mut harness = harness(&tmp.path().join("lib"));
    drop_files(&mut harness, &[a, b, c]);
    assert_eq!(harness.state().state.library().map(|l| l.len()), Some(3));
    harness
        .get_all_by_label("Harbor bridge opens")
        .next()
        .expect("row")
        .click();
    harness.run_steps(3);
    harness.get_by_label("Lakeside Herald").click();
    harness.run_steps(2);
    assert_eq!(harness.state_mut().state.visible().len(), 2);
}

/// Hovering a field in the detail panel shows, in the reader, the line it was parsed from
/// with its source marked; moving away hides it.
#[test]
fn hovering_a_field_marks_its_source_in_the_reader() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (_, other, other_headline) = write_seed_and_article(tmp.path());
    let mut harness = harness(&tmp.path().join("lib"));
    drop_files(&mut harness, &[other]);
    harness
        .get_all_by_label(&other_headline)
        .next()
        .expect("row")
        .click();
    harness.run_steps(3);
    assert!(
        harness
            .query_by_label("Dateline comes from this text")
            .is_none()
    );
    harness.get_by_label("Dateline").hover();
    harness.run_steps(3);
    harness.get_by_label("Dateline comes from this text");
    harness.get_by_label_contains("BRUSSELS (AP) — A man set off");
    let range = harness
        .state()
        .state
        .selected_clipping()
        .and_then(|c| c.parsed.sources.get(&Field::Dateline).copied());
    assert_eq!(range, Some((75, 91)), "the dateline's characters");
    harness.get_by_label("Credits").hover();
    harness.run_steps(3);
    assert!(
        harness
            .query_by_label("Dateline comes from this text")
            .is_none()
    );
}

// ---- Issue 19: the app as a new user meets it ----

use clipfile::ui::app::{DETAIL_MAX, READER_MIN};

const PUTIN: &str = "Putin visits Ankara\n\nBy Jane Roe\n\nMUMBAI, Jan 11 (Reuters) - The Russian president arrived for talks on Friday.\n\nHe met Erdogan at the palace, and the two spoke for hours about trade.\n\n(Reporting by Jane Roe and Sam Poe; Editing by Ann Doe)\n";
const OTHER: &str = "Putin at home\n\nMOSCOW (AP) — The Russian president stayed in Moscow this week.\n\nNo trip abroad was planned.\n";

/// A library with the two articles above, opened in a window of this size.
fn two_articles(root: &Path, size: egui::Vec2) -> Harness<'static, ClipfileApp> {
    {
        let mut lib =
            clipfile::library::Library::open(root, clipfile::library::OpenMode::ReadWrite)
                .expect("open");
        lib.import_text("putin.txt", PUTIN).expect("import");
        lib.import_text("other.txt", OTHER).expect("import");
    }
    let mut h = support::harness(root, size, Prefs::default());
    h.run_steps(3);
    h
}

fn id_of(h: &Harness<'static, ClipfileApp>, headline: &str) -> String {
    h.state()
        .state
        .library()
        .and_then(|l| l.clippings().find(|c| c.title() == headline))
        .map(|c| c.id.clone())
        .expect("clipping")
}

fn select(h: &mut Harness<'static, ClipfileApp>, headline: &str) {
    let id = id_of(h, headline);
    h.state_mut().apply(clipfile::ui::state::Action::Select(id));
    h.run_steps(3);
}

fn search_for(h: &mut Harness<'static, ClipfileApp>, text: &str) {
    support::search_for(h, text);
}

/// The two articles at 1280x800, `headline` selected and one of its fields opened with the
/// button named `edit`.
fn editing(dir: &Path, headline: &str, edit: &str) -> Harness<'static, ClipfileApp> {
    let mut h = two_articles(&dir.join("lib"), egui::vec2(1280.0, 800.0));
    select(&mut h, headline);
    h.get_by_label(edit).click();
    h.run_steps(2);
    h
}

fn type_raw(h: &mut Harness<'static, ClipfileApp>, text: &str) {
    h.input_mut().events.push(egui::Event::Text(text.into()));
    h.run_steps(2);
}

#[test]
fn panels_keep_sane_widths_after_an_edit_and_after_an_empty_search() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = two_articles(&tmp.path().join("lib"), egui::vec2(1280.0, 800.0));
    select(&mut h, "Putin visits Ankara");
    let [list, detail, reader] = h.state().panel_widths;
    assert!(
        detail > 0.0 && reader >= READER_MIN,
        "{list} {detail} {reader}"
    );

    // A long headline typed and saved does not widen the detail panel over the reader.
    h.get_by_label("Edit Headline").click();
    h.run_steps(2);
    type_raw(
        &mut h,
        &"A very long headline that goes on and on ".repeat(8),
    );
    h.get_by_label("Save").click();
    h.run_steps(4);
    let [list2, detail2, reader2] = h.state().panel_widths;
    assert!(detail2 <= DETAIL_MAX + 1.0, "detail {detail2}");
    assert!(reader2 >= READER_MIN, "reader {reader2}");
    assert!(
        list2 + detail2 + reader2 <= 1281.0,
        "{list2} {detail2} {reader2}"
    );
    // So after switching clippings.
    select(&mut h, "Putin at home");
    assert!(h.state().panel_widths[2] >= READER_MIN);

    // A search with no result keeps the list as wide as it was.
    search_for(&mut h, "zzzz-nothing");
    h.get_by_label("No clipping matches.");
    assert!(
        (h.state().panel_widths[0] - list2).abs() < 1.0,
        "{:?}",
        h.state().panel_widths
    );
    search_for(&mut h, "");
    assert!((h.state().panel_widths[0] - list2).abs() < 1.0);
}

#[test]
fn a_narrow_window_shows_the_details_on_demand_and_keeps_the_reader() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = two_articles(&tmp.path().join("lib"), egui::vec2(900.0, 600.0));
    select(&mut h, "Putin visits Ankara");
    assert_eq!(h.state().panel_widths[1], 0.0, "no detail panel at 900 px");
    assert!(h.state().panel_widths[2] >= READER_MIN);
    h.get_by_label("Details").click();
    h.run_steps(3);
    let [_, detail, reader] = h.state().panel_widths;
    assert!(detail > 0.0, "the toggle shows the details");
    assert!(reader >= READER_MIN, "reader {reader}");
}

#[test]
fn published_takes_iso_dates_only_and_says_what_is_wrong() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = editing(tmp.path(), "Putin visits Ankara", "Edit Published");
    type_raw(&mut h, "Nov 2014");
    h.get_by_label_contains("is not a date");
    assert!(h.get_by_label("Save").accesskit_node().is_disabled());
    // The state refuses it too (the command palette, a test), with the reason.
    h.state_mut().apply(clipfile::ui::state::Action::EditField(
        Field::Published,
        "2014-13".into(),
    ));
    assert!(notice(&h).contains("month"), "{}", notice(&h));
    assert_eq!(
        h.state()
            .state
            .selected_clipping()
            .and_then(|c| c.field(Field::Published)),
        None
    );
}

#[test]
fn dialogs_take_the_focus_and_escape_closes_export() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = two_articles(&tmp.path().join("lib"), egui::vec2(1280.0, 800.0));
    // Ctrl+O without a file dialog: the path field has the keyboard at once.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    h.run_steps(3);
    type_raw(&mut h, "/tmp/typed");
    assert_eq!(
        h.state().path_prompt.as_ref().map(|p| p.text.as_str()),
        Some("/tmp/typed")
    );
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert!(
        h.state().path_prompt.is_none(),
        "Escape closes the path field"
    );

    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    h.run_steps(2);
    assert!(h.state().export.is_some());
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert!(
        h.state().export.is_none(),
        "Escape closes the Export dialog"
    );
}

#[test]
fn several_words_match_anywhere_and_are_marked_in_the_reader_with_next_and_previous() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = two_articles(&tmp.path().join("lib"), egui::vec2(1280.0, 800.0));
    select(&mut h, "Putin at home");
    search_for(&mut h, "putin erdogan");
    // Only the article holding both words (one in the headline, one in the text).
    assert_eq!(
        support::visible_ids(&mut h),
        vec![id_of(&h, "Putin visits Ankara")]
    );
    h.get_by_label("1 of 2 match");
    // The reader shows that article and its matches ("Erdogan" once in the text).
    assert_eq!(
        h.state().state.selected,
        Some(id_of(&h, "Putin visits Ankara"))
    );
    h.get_by_label("Match 1 of 1");
    search_for(&mut h, "the");
    // Both are listed again: the one the user selected is selected again.
    assert_eq!(h.state().state.selected, Some(id_of(&h, "Putin at home")));
    select(&mut h, "Putin visits Ankara");
    let count = h.state_mut().match_count();
    assert!(count >= 3, "{count}");
    h.get_by_label(&format!("Match 1 of {count}"));
    h.get_by_label("Next").click();
    h.run_steps(2);
    h.get_by_label(&format!("Match 2 of {count}"));
    h.key_press(egui::Key::F3);
    h.run_steps(2);
    assert_eq!(h.state().reader.search_match, 2);
    h.get_by_label("Previous").click();
    h.run_steps(2);
    assert_eq!(h.state().reader.search_match, 1);
    let marks = clipfile::ui::reader_matches("He met Erdogan and ERDOGAN.", "erdogan he");
    assert_eq!(marks, vec![(0, 2), (7, 14), (19, 26)]);
    // Whole words, as the search matches them: not inside other words.
    let marks = clipfile::ui::reader_matches("The other theme, he said.", "he");
    assert_eq!(marks, vec![(17, 19)]);
    // A prefix marks the words it begins; accents and case are folded (character ranges).
    let marks = clipfile::ui::reader_matches("Lindqvist met Lindqvists.", "lindq*");
    assert_eq!(marks, vec![(0, 9), (14, 24)]);
    let marks = clipfile::ui::reader_matches("Ça va: Erdoğan au café.", "erdogan cafe");
    assert_eq!(marks, vec![(7, 14), (18, 22)]);
    // A phrase where its words follow one another, as one range; its words alone are not.
    let text = "The talks: a truce along the border. Along the river, the border held.";
    let marks = clipfile::ui::reader_matches(text, "\"along the border\"");
    assert_eq!(marks, vec![(19, 35)]);
    let marks = clipfile::ui::reader_matches(text, "talks \"the border\"");
    assert_eq!(marks, vec![(4, 9), (25, 35), (54, 64)]);
    // The last answer is kept for the next frame, but never for another text or query.
    let first = clipfile::ui::reader_matches("Erdogan spoke.", "erdogan");
    assert_eq!(first, vec![(0, 7)]);
    assert_eq!(
        clipfile::ui::reader_matches("He met Erdogan.", "erdogan"),
        vec![(7, 14)]
    );
    assert_eq!(
        clipfile::ui::reader_matches("He met Erdogan.", "met"),
        vec![(3, 6)]
    );
    assert_eq!(
        clipfile::ui::reader_matches("Erdogan spoke.", "erdogan"),
        first
    );
}

#[test]
fn the_selection_stays_inside_the_filter_and_export_takes_what_is_shown() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = two_articles(&tmp.path().join("lib"), egui::vec2(1280.0, 800.0));
    select(&mut h, "Putin at home");
    search_for(&mut h, "erdogan");
    // The selected clipping is not in the list any more: the match takes its place.
    assert_eq!(
        h.state().state.selected,
        Some(id_of(&h, "Putin visits Ankara"))
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    h.run_steps(2);
    assert_eq!(
        h.state().export.as_ref().map(|d| d.scope),
        Some(clipfile::ui::export_dialog::Scope::Filtered)
    );
    h.key_press(egui::Key::Escape);
    search_for(&mut h, "zzzz-nothing");
    assert_eq!(
        h.state().state.selected,
        None,
        "nothing shown, nothing selected"
    );
    h.get_by_label("Select a clipping to read it (Up and Down move through the list).");
}

#[test]
fn credits_list_each_person_once_with_roles_and_the_dateline_as_printed() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = two_articles(&tmp.path().join("lib"), egui::vec2(1280.0, 800.0));
    select(&mut h, "Putin visits Ankara");
    let credited = h
        .state()
        .state
        .selected_clipping()
        .map(|c| c.parsed.contributors.clone());
    assert_eq!(h.query_all_by_label("Jane Roe").count(), 1, "{credited:?}");
    h.get_by_label("byline, reporting");
    h.get_by_label("Sam Poe");
    h.get_by_label("editing");
    assert!(h.query_by_label_contains("Also credited").is_none());
    h.get_by_label("MUMBAI, Jan 11 (Reuters) -");
}

#[test]
fn tab_reaches_the_reader_with_a_ring_and_down_leaves_the_search_for_the_results() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = two_articles(&tmp.path().join("lib"), egui::vec2(1280.0, 800.0));
    select(&mut h, "Putin visits Ankara");
    let id = egui::Id::unique(("reader_body", id_of(&h, "Putin visits Ankara").as_str()));
    let mut presses = None;
    for n in 1..=80 {
        h.key_press(egui::Key::Tab);
        h.run_steps(1);
        if h.ctx.memory(|m| m.has_focus(id)) {
            presses = Some(n);
            break;
        }
    }
    // Past the top bar, the detail panel (drawn before the reader) and the reader's toolbar;
    // the list rows are not Tab stops, so a long list adds none.
    let presses = presses.expect("Tab reaches the reader's text");
    assert!(presses <= 30, "{presses} presses");
    // Focus is drawn as a 2 px ring in the selection color.
    let ring = h
        .ctx
        .style_of(egui::Theme::Light)
        .visuals
        .widgets
        .active
        .bg_stroke;
    assert_eq!(ring.width, 2.0);

    // Down in the search field moves into the results, then through them.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run_steps(2);
    type_raw(&mut h, "putin");
    // The results come from the search worker.
    support::wait_for_search(&mut h);
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(2);
    let visible = support::visible_ids(&mut h);
    assert_eq!(visible.len(), 2);
    assert_eq!(h.state().state.selected.as_ref(), Some(&visible[0]));
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(2);
    assert_eq!(h.state().state.selected.as_ref(), Some(&visible[1]));
}

#[test]
fn export_is_off_on_an_empty_library_and_the_cursor_does_not_blink() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = harness(&tmp.path().join("lib"));
    h.run_steps(2);
    assert!(h.get_by_label("Export…").accesskit_node().is_disabled());
    assert!(!h.ctx.style_of(egui::Theme::Light).visuals.text_cursor.blink);
}

#[test]
fn one_batch_is_listed_in_the_order_of_its_files_and_each_library_keeps_its_selection() {
    let tmp = tempfile::tempdir().expect("tmp");
    let first = tmp.path().join("first");
    {
        let mut lib =
            clipfile::library::Library::open(&first, clipfile::library::OpenMode::ReadWrite)
                .expect("open");
        for (name, head) in [("b.txt", "Bravo"), ("c.txt", "Charlie"), ("a.txt", "Alpha")] {
            lib.import_text(
                name,
                &format!("{head} news\n\nSomething {head} happened.\n"),
            )
            .expect("import");
        }
        // One batch: the same import time for all three.
        let ids: Vec<String> = lib.clippings().map(|c| c.id.clone()).collect();
        for id in ids {
            lib.update(&id, |c| c.imported = "2026-01-01T10:00:00Z".into())
                .expect("time");
        }
    }
    let second = tmp.path().join("second");
    {
        let mut lib =
            clipfile::library::Library::open(&second, clipfile::library::OpenMode::ReadWrite)
                .expect("open");
        lib.import_text("z.txt", "Zulu news\n\nZulu.\n")
            .expect("import");
    }
    let open = |root: &Path, prefs: Prefs| {
        let mut h = support::harness(root, support::WINDOW, prefs);
        h.run_steps(3);
        h
    };
    let mut h = open(&first, Prefs::default());
    let titles: Vec<String> = {
        let visible = support::visible_ids(&mut h);
        let lib = h.state().state.library().expect("lib");
        visible
            .iter()
            .filter_map(|id| lib.get(id))
            .map(|c| c.title().to_string())
            .collect()
    };
    assert_eq!(titles, ["Alpha news", "Bravo news", "Charlie news"]);
    select(&mut h, "Bravo news");
    let bravo = h.state().state.selected.clone();
    let prefs = h.state().prefs.clone();
    drop(h);
    // Another library, then the first again: its selection comes back.
    let mut h = open(&second, prefs);
    select(&mut h, "Zulu news");
    let prefs = h.state().prefs.clone();
    drop(h);
    let h = open(&first, prefs);
    assert_eq!(h.state().state.selected, bravo);
}

#[test]
fn a_field_edit_is_dropped_when_a_search_moves_the_selection() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = editing(tmp.path(), "Putin at home", "Edit Headline");
    assert!(h.state().detail.edit.is_some());
    // The search leaves "Putin at home" out: the other clipping is selected, and the edit
    // (meant for the first) is gone rather than saved onto the second.
    search_for(&mut h, "erdogan");
    assert_eq!(
        h.state().state.selected,
        Some(id_of(&h, "Putin visits Ankara"))
    );
    assert!(h.state().detail.edit.is_none());
}

/// A jump to a quotation scrolls the reader to it: the article text moves up the window.
#[test]
fn jumping_to_a_quotation_scrolls_the_reader() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (seed, other, _) = write_seed_and_article(tmp.path());
    let mut h = harness(&tmp.path().join("lib"));
    drop_files(&mut h, &[other, seed]);
    select(&mut h, SEED_HEADLINE);
    let top = h.get_by_label("Article text").rect().min.y;
    let reading = h.state_mut().state.reading().expect("reading");
    let last = clipfile::quotes::extract(&reading.meta.paragraphs)
        .last()
        .map(|q| q.start)
        .expect("quotes");
    h.state_mut()
        .apply(clipfile::ui::state::Action::JumpTo(last));
    h.run_steps(3);
    let after = h.get_by_label("Article text").rect().min.y;
    assert!(after < top - 200.0, "{top} -> {after}");
}

/// The Quotes section lists the seed's quotations with their speakers; a click on one scrolls
/// the reader to it, Highlight keeps it as a highlight, the speaker filters the library, and
/// the library-wide speakers and places are facets that filter.
#[test]
fn quotes_are_listed_jumped_to_highlighted_and_filter() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (seed, other, _) = write_seed_and_article(tmp.path());
    // Tall enough for the whole detail panel to be on screen.
    let mut h = support::harness(
        &tmp.path().join("lib"),
        egui::vec2(1280.0, 4000.0),
        Prefs::default(),
    );
    drop_files(&mut h, &[other, seed]);
    select(&mut h, SEED_HEADLINE);
    h.get_by_label("Quotes (23)");
    let quote = "The government today decided on difficult but important and necessary steps,";
    h.get_by_label(&format!("“{quote}”")).click();
    h.run_steps(2);
    // The reader took the jump (the panel asked for it; the reader scrolled and cleared it).
    assert_eq!(h.state().state.scroll_to_char, None);
    // Highlight: the first quotation (Hollande's) becomes a highlight.
    h.get_all_by_label("Highlight")
        .next()
        .expect("button")
        .click();
    h.run_steps(3);
    let highlights: Vec<String> = h
        .state()
        .state
        .selected_clipping()
        .map(|c| c.highlights.iter().map(|x| x.quote.clone()).collect())
        .unwrap_or_default();
    assert_eq!(highlights.len(), 1, "{highlights:?} {}", notice(&h));
    assert!(highlights[0].starts_with("We agreed on a very important issue"));
    assert!(highlights[0].ends_with("fighting against the terrorists,"));
    // The speaker filters the library to the clippings quoting her.
    h.get_all_by_label("— Ursula von der Leyen, Defense Minister")
        .next()
        .expect("speaker")
        .click();
    h.run_steps(2);
    assert_eq!(
        h.state().state.query.speaker.as_deref(),
        Some("Ursula von der Leyen")
    );
    assert_eq!(h.state_mut().state.visible().len(), 1);
    h.get_by_label("said by Ursula von der Leyen ×").click();
    h.run_steps(2);
    assert_eq!(h.state_mut().state.visible().len(), 2);
    // The facets: speakers with counts, places; a click filters.
    h.get_by_label("Speakers, people, places").click();
    // Counted in the background: wait until the lists are there.
    step_until(&mut h, "the speaker facet", |h| {
        h.query_by_label("Speakers (8)").is_some()
    });
    h.run_steps(2);
    h.get_by_label("Vladimir Putin");
    h.get_all_by_label_contains("Places (")
        .next()
        .expect("places")
        .click();
    h.run_steps(2);
    h.get_all_by_label("Moscow").next().expect("place").click();
    h.run_steps(2);
    assert_eq!(h.state().state.query.mention.as_deref(), Some("Moscow"));
    assert_eq!(h.state_mut().state.visible().len(), 1);
}

// ---- Issue 18: story versions ----

/// Two outlets' prints of AP's Jamar Clark funeral story and WCCO's own story on the funeral,
/// from the corpus, in a fresh window; the versions index built.
fn three_funeral_stories(root: &Path) -> Harness<'static, ClipfileApp> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/articles");
    let mut h = harness(root);
    drop_files(
        &mut h,
        &[
            corpus.join("25_hundreds-mourn-man-shot-minneapolis.txt"),
            corpus.join("60_funeral-slain-minneapolis-man-austin.txt"),
            corpus.join("61_jamar-clark-laid-to-rest-wcco.txt"),
        ],
    );
    h
}

const AP_DEMOCRAT: &str = "Hundreds mourn for man shot by Minneapolis police";
const AP_AUSTIN: &str = "At funeral for slain Minneapolis man, vow to keep protesting";

#[test]
fn the_list_folds_the_versions_of_a_story_into_one_row() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = three_funeral_stories(&tmp.path().join("lib"));
    assert_eq!(h.state_mut().state.visible().len(), 3);
    h.get_by_label("Fold versions").click();
    h.run_steps(3);
    let visible = support::visible_ids(&mut h);
    assert_eq!(visible.len(), 2, "the two AP prints are one row");
    let lib = h.state().state.library.as_ref().expect("lib");
    let titles: Vec<&str> = visible
        .iter()
        .filter_map(|id| lib.get(id))
        .map(|c| c.title())
        .collect();
    assert!(titles.contains(&"As Jamar Clark Is Laid To Rest, A Call For Peace"));
    let head = visible
        .iter()
        .find(|id| {
            lib.get(id)
                .is_some_and(|c| c.title() != "As Jamar Clark Is Laid To Rest, A Call For Peace")
        })
        .cloned()
        .expect("the folded row");
    let state = &mut h.state_mut().state;
    let label = match &state.library {
        Some(lib) => state.versions.label(lib, &head, &egui::Context::default()),
        None => None,
    };
    assert!(
        label
            .as_deref()
            .is_some_and(|l| l.starts_with("2 versions: ")),
        "{label:?}"
    );
    // Selecting the folded-away version makes it the group's row; the list keeps two rows.
    let other = id_of(
        &h,
        if head == id_of(&h, AP_DEMOCRAT) {
            AP_AUSTIN
        } else {
            AP_DEMOCRAT
        },
    );
    h.state_mut()
        .apply(clipfile::ui::state::Action::Select(other.clone()));
    h.run_steps(3);
    let visible = support::visible_ids(&mut h);
    assert_eq!(visible.len(), 2);
    assert!(visible.contains(&other) && !visible.contains(&head));
    assert_eq!(h.state().state.selected.as_deref(), Some(other.as_str()));
    h.get_by_label("Fold versions").click();
    h.run_steps(3);
    assert_eq!(h.state_mut().state.visible().len(), 3);
}

#[test]
fn the_detail_panel_lists_versions_compares_them_and_copies_highlights() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = three_funeral_stories(&tmp.path().join("lib"));
    // A highlight on the Democrat-Gazette's print.
    let democrat = id_of(&h, AP_DEMOCRAT);
    {
        let lib = h.state_mut().state.library.as_mut().expect("lib");
        let doc = clipfile::versions::body_of(&lib.text(&democrat).expect("text"));
        let (start, end) = clipfile::anchor::occurrences(&doc, "A steady stream of mourners")[0];
        let highlight = clipfile::anchor::new_highlight(
            &doc,
            start,
            end,
            clipfile::model::HighlightColor::Green,
            "h1".into(),
            "t".into(),
        )
        .expect("highlight");
        lib.update(&democrat, |c| c.highlights.push(highlight))
            .expect("save");
    }
    select(&mut h, AP_AUSTIN);
    step_until(&mut h, "the version index", |h| {
        !h.state().state.versions.building()
    });
    h.run_steps(3);
    h.get_by_label("Versions (2)");
    // One other version (WCCO's own story is not one): one Compare button.
    // The Versions section sits below the fold of the detail panel: scroll to it first.
    h.get_by_label("Compare").scroll_to_me();
    h.run_steps(10);
    h.get_by_label("Compare").click();
    h.run_steps(3);
    h.get_by_label("Compare versions");
    h.get_by_label_contains("words removed,");

    h.get_by_label("Copy 1 highlight to this version")
        .scroll_to_me();
    h.run_steps(10);
    h.get_by_label("Copy 1 highlight to this version").click();
    h.run_steps(3);
    let austin = h.state().state.selected_clipping().expect("selected");
    assert_eq!(austin.highlights.len(), 1);
    let copy = &austin.highlights[0];
    assert_eq!(copy.quote, "A steady stream of mourners");
    assert_eq!(copy.copied_from.as_deref(), Some(democrat.as_str()));
    assert!(!copy.orphan);
    assert!(
        notice(&h).starts_with("Copied 1 highlight"),
        "{}",
        notice(&h)
    );
    h.get_by_label(&format!("Copied from {AP_DEMOCRAT}"));
    // Copying again adds nothing; Undo takes the copies back.
    h.get_by_label("Copy 1 highlight to this version")
        .scroll_to_me();
    h.run_steps(10);
    h.get_by_label("Copy 1 highlight to this version").click();
    h.run_steps(3);
    let count = |h: &Harness<'static, ClipfileApp>| {
        h.state()
            .state
            .selected_clipping()
            .map_or(0, |c| c.highlights.len())
    };
    assert_eq!(count(&h), 1);
    h.state_mut().apply(clipfile::ui::state::Action::Undo);
    h.run_steps(3);
    assert_eq!(count(&h), 0);

    // The version's name opens it.
    h.get(
        egui_kittest::kittest::by()
            .label(AP_DEMOCRAT)
            .role(egui::accesskit::Role::Link),
    )
    .click();
    h.run_steps(3);
    assert_eq!(h.state().state.selected.as_deref(), Some(democrat.as_str()));
}

/// Ctrl+K opens the command palette: every command of the table is listed, typing narrows
/// the list, Up and Down pick, Enter runs the picked one and Escape closes it.
#[test]
fn the_command_palette_lists_every_command_and_runs_the_picked_one() {
    use clipfile::ui::commands::UiCommand;
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = two_articles(&tmp.path().join("lib"), egui::vec2(1280.0, 800.0));
    select(&mut h, "Putin at home");
    let before = h.state().state.selected.clone();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    h.run_steps(2);
    assert!(h.state().palette.is_some(), "Ctrl+K opens the palette");
    for command in UiCommand::ALL {
        if command != UiCommand::CommandPalette {
            assert!(
                h.get_all_by_label(command.label()).next().is_some(),
                "{} is listed",
                command.label()
            );
        }
    }
    // The search field has the keyboard: typing narrows the list to the matching commands.
    type_raw(&mut h, "next");
    let palette = h.state().palette.as_ref().expect("open");
    assert_eq!(
        palette.matches(),
        vec![UiCommand::NextMatch, UiCommand::SelectNext]
    );
    assert!(h.query_by_label("Switch theme").is_none(), "filtered out");
    // Down picks the second match; Enter runs it and closes the palette.
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(1);
    assert_eq!(h.state().palette.as_ref().map(|p| p.picked), Some(1));
    h.key_press(egui::Key::ArrowUp);
    h.key_press(egui::Key::ArrowDown);
    h.run_steps(1);
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
    assert!(h.state().palette.is_none(), "running a command closes it");
    assert_ne!(h.state().state.selected, before, "Next clipping ran");

    // A command found by a word of its tooltip; Escape closes without running anything.
    let theme = h.state().prefs.theme;
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    h.run_steps(2);
    type_raw(&mut h, "dark");
    assert_eq!(
        h.state().palette.as_ref().map(|p| p.matches()),
        Some(vec![UiCommand::CycleTheme])
    );
    h.key_press(egui::Key::Escape);
    h.run_steps(2);
    assert!(h.state().palette.is_none(), "Escape closes it");
    assert_eq!(h.state().prefs.theme, theme, "nothing ran");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::K);
    h.run_steps(2);
    type_raw(&mut h, "theme");
    h.key_press(egui::Key::Enter);
    h.run_steps(2);
    assert_eq!(h.state().prefs.theme, theme.next(), "Switch theme ran");
}

/// A warning stays at the bottom of the window when later messages come, each can be
/// dismissed on its own, and the export's result is reported there.
#[test]
fn a_warning_stays_when_later_messages_come_and_each_is_dismissed_alone() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut h = two_articles(&tmp.path().join("lib"), egui::vec2(1280.0, 800.0));
    select(&mut h, "Putin at home");
    h.state_mut().apply(clipfile::ui::state::Action::EditField(
        Field::Published,
        "2014-13".into(),
    ));
    h.run_steps(2);
    let warning = notice(&h);
    assert!(warning.contains("month"), "{warning}");
    h.key_press(egui::Key::Delete);
    h.run_steps(2);
    assert!(notice(&h).contains("to the trash"), "{}", notice(&h));
    h.get_by_label_contains("the month must be");
    h.get_by_label_contains("to the trash");
    // Dismiss the warning only (the first × in the bar).
    h.get_all_by_label("Dismiss")
        .next()
        .expect("dismiss")
        .click();
    h.run_steps(2);
    assert!(h.query_by_label_contains("the month must be").is_none());
    h.get_by_label_contains("to the trash");
}

#[test]
fn the_tag_tree_counted_while_the_library_opens_is_shown_once_it_is_open() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    {
        let mut lib =
            clipfile::library::Library::open(&root, clipfile::library::OpenMode::ReadWrite)
                .expect("open");
        lib.import_text("seed.txt", sample::SEED_TEXT)
            .expect("import");
        lib.import_text(
            "ferries.txt",
            "Harbour ferries return\n\nBy Ann Smith\n\nThe ferries sail again from Monday.\n",
        )
        .expect("import");
        let ids: Vec<clipfile::model::ClipId> = lib
            .clippings()
            .map(|c| clipfile::model::ClipId(c.id.clone()))
            .collect();
        let tag = |lib: &mut clipfile::library::Library, ids: &[clipfile::model::ClipId], t| {
            let changed = clipfile::library::edit::add_tag(lib, ids, t).expect("tag");
            assert_eq!(changed.before.len(), ids.len());
        };
        tag(&mut lib, &ids, "transport/sea");
        tag(&mut lib, &ids[..1], "transport");
    }
    let app = ClipfileApp::new(
        root,
        Vec::new(),
        Prefs::default(),
        clipfile::ui::app::Dialogs::PathField,
    );
    let mut h = support::opening_harness(app, support::WINDOW);
    step_until(&mut h, "the library to open", |h| {
        !h.state().state.is_opening()
    });
    h.run_steps(2);
    // Both clippings under "transport" (one twice over, counted once), both under its child.
    let counts = h.state().state.tag_counts().to_vec();
    assert_eq!(
        counts,
        [
            ("transport".to_string(), 1),
            ("transport/sea".to_string(), 2)
        ]
    );
    h.get_by_label("Tags (2)");
    h.get_by_label("transport 2");
    h.get_by_label("transport/sea 2");
}

#[test]
fn the_window_paints_while_the_library_opens_and_takes_it_in_after() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    library_with_seed(&root);
    let seed_id = clipfile::library::clipping_id(sample::SEED_TEXT);
    let extra = tmp.path().join("later.txt");
    std::fs::write(
        &extra,
        "Harbour ferries return\n\nBy Ann Smith\n\nThe ferries sail again from Monday, the port said.\n",
    )
    .expect("write");

    let app = ClipfileApp::new(
        root.clone(),
        Vec::new(),
        Prefs::default(),
        clipfile::ui::app::Dialogs::PathField,
    );
    let mut h = support::opening_harness(app, support::WINDOW);
    step_until(&mut h, "the first open and its index", |h| {
        !h.state().state.is_opening() && h.state().state.search_index_is_ready()
    });
    // Open it again with the read held: the window paints meanwhile, says what it does, and
    // lists the clippings as the index last saw them.
    let (gate, held) = std::sync::mpsc::channel();
    let cache = support::index_cache(&root);
    h.state_mut().state = clipfile::ui::state::AppState::open_in_background_gated(
        root,
        clipfile::ui::state::SortKey::default(),
        cache,
        held,
    );
    step_until(&mut h, "the index's rows", |h| {
        h.state().state.opening_rows().is_some()
    });
    h.run_steps(2);
    assert!(h.state().state.is_opening());
    assert!(h.state().state.library().is_none());
    h.get_by_label("Opening the library…");
    h.get_by_label("1 clipping — opening…");
    h.get_by_label(SEED_HEADLINE);
    // Asked for while it opens: kept, and done once it is open.
    h.state_mut().state.select_when_open(seed_id.clone());
    h.state_mut()
        .state
        .apply(clipfile::ui::state::Action::Import(vec![extra]));
    assert!(
        h.state().state.import.is_none(),
        "no import before the library is open"
    );
    gate.send(()).expect("gate");
    step_until(&mut h, "the library to open", |h| {
        !h.state().state.is_opening()
    });
    assert_eq!(h.state().state.selected.as_deref(), Some(seed_id.as_str()));
    wait_for_import(&mut h);
    assert_eq!(h.state().state.library().map(|l| l.len()), Some(2));
    assert!(h.query_all_by_label(SEED_HEADLINE).count() >= 1);
    assert!(h.query_all_by_label("Harbour ferries return").count() >= 1);
}

/// Texts are read when a clipping is opened: one whose file went bad after it was imported is
/// still listed, and opening it says which file cannot be read and why (not an empty article).
#[test]
fn opening_a_clipping_whose_text_went_bad_says_why() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let id = {
        let mut lib =
            clipfile::library::Library::open(&root, clipfile::library::OpenMode::ReadWrite)
                .expect("open");
        match lib
            .import_text(sample::SEED_NAME, sample::SEED_TEXT)
            .expect("import")
        {
            clipfile::library::Outcome::Imported { id, .. } => id,
            other => panic!("{other:?}"),
        }
    };
    std::fs::write(
        root.join("clippings").join(format!("{id}.txt")),
        [0xffu8, 0xfe, 0x00, 0x41],
    )
    .expect("write");
    let mut harness = harness(&root);
    step_until(&mut harness, "the library to be listed", |h| {
        h.state().state.library().is_some_and(|l| l.len() == 1)
    });
    harness
        .state_mut()
        .apply(clipfile::ui::state::Action::Select(id.clone()));
    step_until(
        &mut harness,
        "the reader to say the text cannot be read",
        |h| {
            h.query_by_label_contains("This clipping's text cannot be read")
                .is_some()
        },
    );
    // The one message names the file and the reason (each query finds exactly one node).
    harness.get_by_label_contains("not UTF-8");
    harness.get_by_label_contains(&format!("{id}.txt: it is not UTF-8"));
}

/// In a narrow window (900 points) with a search typed, the top bar's widgets do not cover
/// one another (the buttons on the right covered the sort menu), and a long snippet does not
/// widen the list: every row ends inside the list panel.
#[test]
fn a_narrow_window_keeps_the_top_bar_apart_and_the_rows_inside_the_list() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    {
        let mut lib =
            clipfile::library::Library::open(&root, clipfile::library::OpenMode::ReadWrite)
                .expect("open");
        let long = "The harbour committee met again on Tuesday evening to weigh the long and \
                    winding proposal for a second breakwater beyond the old lighthouse pier";
        lib.import_text(
            "harbour.txt",
            &format!("Harbour plan weighed\n\nQUILLBY — {long}.\n\nNothing was decided.\n"),
        )
        .expect("import");
        lib.import_text(
            "pier.txt",
            "Pier reopens\n\nQUILLBY — The pier reopened; the committee was not there.\n",
        )
        .expect("import");
    }
    let mut h = support::harness(&root, egui::vec2(900.0, 600.0), Prefs::default());
    h.run_steps(3);
    search_for(&mut h, "committee");
    h.run_steps(4);
    let search = h.get_by_label("Search").rect();
    let sort = h.get_by_label("Sort").rect();
    let palette = h.get_by_label("Command palette").rect();
    assert!(search.right() <= sort.left(), "{search:?} {sort:?}");
    assert!(sort.right() <= palette.left(), "{sort:?} {palette:?}");
    assert!(palette.right() <= 900.0, "{palette:?}");
    let list = h.state().panel_widths[0];
    for title in ["Harbour plan weighed", "Pier reopens"] {
        let row = h.get_by_label(title).rect();
        assert!(row.right() <= list + 1.0, "{title}: {row:?}, list {list}");
    }
}
