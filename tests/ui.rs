//! The real app driven headless through egui_kittest: drops, selection, details, search,
//! delete/undo, the first-run sample, field edits.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clipfile::model::Field;
use clipfile::sample;
use clipfile::ui::ClipfileApp;
use clipfile::ui::app::{Dialogs, Prefs};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

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

fn harness(root: &Path) -> Harness<'static, ClipfileApp> {
    let app = ClipfileApp::new(
        root.to_path_buf(),
        Vec::new(),
        Prefs::default(),
        Dialogs::PathField,
    );
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut ClipfileApp| app.show(ui), app)
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

/// Run frames until the background import is done (frames keep coming meanwhile).
fn wait_for_import(harness: &mut Harness<'static, ClipfileApp>) {
    let start = Instant::now();
    while harness.state().state.import.is_some() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "import did not finish"
        );
        std::thread::sleep(Duration::from_millis(5));
        harness.step();
    }
    harness.run_steps(3);
}

fn notice(harness: &Harness<'static, ClipfileApp>) -> String {
    harness
        .state()
        .state
        .notice
        .as_ref()
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
    harness.run_steps(3);
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
    {
        let mut lib =
            clipfile::library::Library::open(&root, clipfile::library::OpenMode::ReadWrite)
                .expect("open");
        lib.import_text("seed.txt", sample::SEED_TEXT)
            .expect("import");
    }
    let mut harness = harness(&root);
    // Started on the second frame, built on a background thread, with no search typed yet.
    let start = Instant::now();
    while !harness.state().state.search_index_is_built() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the index was not built"
        );
        std::thread::sleep(Duration::from_millis(5));
        harness.step();
    }
    assert!(harness.state().state.query.text.is_empty());
    harness.get_by_label("Search").click();
    harness.run_steps(1);
    harness.get_by_label("Search").type_text("hollande");
    harness.run_steps(2);
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

/// Run frames until `done` holds (the watcher reports from its own thread).
fn step_until(harness: &mut Harness<'static, ClipfileApp>, done: impl Fn(&ClipfileApp) -> bool) {
    let start = Instant::now();
    while !done(harness.state()) {
        assert!(start.elapsed() < Duration::from_secs(10), "timed out");
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
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

    // Another machine's edit arrives.
    let text = std::fs::read_to_string(&ron)
        .expect("r")
        .replace("notes: \"\"", "notes: \"from the laptop\"");
    std::fs::write(&ron, text).expect("w");
    step_until(&mut harness, |app| {
        app.state
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
    step_until(&mut harness, |app| {
        app.state.library().is_some_and(|l| l.contains(&new_id))
    });

    // A sync conflict copy is reported in the app.
    std::fs::copy(
        &ron,
        root.join("clippings")
            .join(format!("{id}.sync-conflict-20261127-101010-XYZ.ron")),
    )
    .expect("copy");
    step_until(&mut harness, |app| {
        app.state
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
