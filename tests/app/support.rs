//! What the UI tests share: one harness over the real app, importing and waiting for the
//! background import, and stepping frames until something holds (with a dump on timeout).

use std::panic::Location;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clipfile::ui::ClipfileApp;
use clipfile::ui::app::{Dialogs, Prefs};
use clipfile::ui::state::Action;
use egui_kittest::Harness;

pub type AppHarness = Harness<'static, ClipfileApp>;

/// The window most tests use.
pub const WINDOW: egui::Vec2 = egui::vec2(1280.0, 800.0);

/// How long [`step_until`] waits: a hang guard, not a speed figure.
const PATIENCE: Duration = Duration::from_secs(30);

/// The real app over the library at `root` (created if needed), in a window of `size`, with
/// the path field in place of the platform's file dialogs, once the library is open (it opens
/// on a background thread).
pub fn harness(root: &Path, size: egui::Vec2, prefs: Prefs) -> AppHarness {
    harness_with(root, size, prefs, |_| {})
}

/// [`harness`], with `before` given the app before its first frame (to hold the index).
pub fn harness_with(
    root: &Path,
    size: egui::Vec2,
    prefs: Prefs,
    before: impl FnOnce(&mut ClipfileApp),
) -> AppHarness {
    let app = ClipfileApp::new(root.to_path_buf(), Vec::new(), prefs, Dialogs::PathField);
    let mut h = build(app, size, before);
    step_until(&mut h, "the library to open", |h| {
        !h.state().state.is_opening()
    });
    h.run_steps(2);
    h
}

/// A harness over `app` as built, the library perhaps still opening. Each test's search
/// index is kept in its own folder beside the library (inside the test's temporary folder),
/// never in the user's cache folder.
pub fn opening_harness(app: ClipfileApp, size: egui::Vec2) -> AppHarness {
    build(app, size, |_| {})
}

/// The harness over `app`, its index beside the library, `before` given the app last.
fn build(
    mut app: ClipfileApp,
    size: egui::Vec2,
    before: impl FnOnce(&mut ClipfileApp),
) -> AppHarness {
    let cache = index_cache(&app.state.library_root);
    app.state.set_index_cache(cache);
    before(&mut app);
    Harness::builder()
        .with_size(size)
        .build_ui_state(|ui, app: &mut ClipfileApp| app.show(ui), app)
}

/// Where a test's search index lives: beside its library.
pub fn index_cache(root: &Path) -> PathBuf {
    let name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    root.with_file_name(format!("{name}.index-cache"))
}

/// Run frames until the search index is built and the search typed has its answer.
#[track_caller]
pub fn wait_for_search(h: &mut AppHarness) {
    step_until(h, "the search to be answered", |h| {
        h.state().state.search_settled()
    });
    h.run_steps(2);
}

/// The ids the library list shows, in its order.
pub fn visible_ids(h: &mut AppHarness) -> Vec<String> {
    h.state_mut()
        .state
        .visible()
        .iter()
        .map(|id| id.to_string())
        .collect()
}

/// Type a search as the search field does, and wait for its answer.
#[track_caller]
pub fn search_for(h: &mut AppHarness, text: &str) {
    h.state_mut().top_bar.search_text = text.to_string();
    h.state_mut().apply(Action::SetSearch(text.to_string()));
    h.run_steps(1);
    wait_for_search(h);
}

/// Import files and folders as the app's Import command does, and wait until it is done.
pub fn import_and_wait(h: &mut AppHarness, paths: Vec<PathBuf>) {
    h.state_mut().apply(Action::Import(paths));
    wait_for_import(h);
}

/// Run frames until the background import is done (frames keep coming meanwhile), then a few
/// more for the list to settle.
#[track_caller]
pub fn wait_for_import(h: &mut AppHarness) {
    step_until(h, "the import to finish", |h| {
        h.state().state.import.is_none()
    });
    h.run_steps(3);
    wait_for_search(h);
}

/// Run frames until `done` holds (background threads report between frames). On timeout the
/// accessibility tree of the last frame is written to a file (this build of egui_kittest
/// renders no images) and the test fails at the caller's line, naming `what` it waited for.
#[track_caller]
pub fn step_until(h: &mut AppHarness, what: &str, done: impl Fn(&AppHarness) -> bool) {
    let caller = Location::caller();
    let start = Instant::now();
    while !done(h) {
        if start.elapsed() > PATIENCE {
            let dump = dump_tree(h, caller);
            panic!(
                "{caller}: timed out after {PATIENCE:?} waiting for {what}; the last frame's accessibility tree is in {dump}"
            );
        }
        std::thread::sleep(Duration::from_millis(5));
        h.step();
    }
}

/// Write the harness's accessibility tree next to the test binaries; returns where.
fn dump_tree(h: &AppHarness, caller: &Location<'_>) -> String {
    let name = format!(
        "{}-{}.txt",
        Path::new(caller.file())
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("ui"),
        caller.line()
    );
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    match std::fs::write(&path, format!("{:#?}", h.root())) {
        Ok(()) => path.display().to_string(),
        Err(e) => format!("(nowhere: {e})"),
    }
}
