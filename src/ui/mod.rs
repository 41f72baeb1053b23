//! The desktop app (eframe/egui): one struct per panel or dialog owning its view state, drawn
//! over a read-only [`state::AppState`]; panels queue [`commands::Command`]s that the app
//! carries out once per frame.

pub mod annotations;
pub mod app;
mod app_commands;
mod app_windows;
pub mod colors;
pub mod commands;
pub mod credits;
pub mod detail;
pub mod export_dialog;
pub mod highlight_editor;
pub mod import_view;
pub mod layout;
pub mod library_list;
pub mod notify;
pub mod opening_list;
pub mod palette;
pub mod prefs;
pub mod quotes;
pub mod reader;
pub mod reader_text;
pub mod state;
pub mod tag_list;
pub mod top_bar;
pub mod versions;
pub mod welcome;
pub mod widgets;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver};

pub use app::ClipfileApp;
pub use library_list::snippet_parts;
pub use reader_text::find_matches as reader_matches;

/// The app icon, built into the binary.
pub const ICON_PNG: &[u8] = include_bytes!("../../assets/icon.png");

/// Open the window over the library (`--library`/`CLIPFILE_LIBRARY` or the default folder) and
/// import `files` into it.
pub fn run(library: Option<PathBuf>, files: Vec<PathBuf>) -> ExitCode {
    let Some(root) = library.or_else(crate::library::default_root) else {
        eprintln!("clipfile: no home folder found: give the library with --library DIR");
        return ExitCode::from(1);
    };
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Clipfile")
        .with_app_id("clipfile")
        .with_inner_size([1280.0, 800.0])
        // The narrowest window where list, reader and (toggled) details still fit.
        .with_min_inner_size([820.0, 480.0])
        .with_drag_and_drop(true);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(ICON_PNG) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    let result = eframe::run_native(
        "Clipfile",
        options,
        Box::new(move |cc| Ok(Box::new(ClipfileApp::from_creation(cc, root, files)))),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("clipfile: cannot open the window: {e}");
            ExitCode::from(1)
        }
    }
}

/// Whether a native file dialog can appear: an XDG desktop portal (reached over the session
/// D-Bus) or zenity. Without either, rfd answers at once as if cancelled.
pub fn native_dialog_available() -> bool {
    if cfg!(not(target_os = "linux")) {
        return true;
    }
    let has_bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some();
    let has_zenity = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join("zenity").is_file()));
    has_bus || has_zenity
}

/// Open the native multi-file dialog: created here on the UI thread, awaited on another.
pub fn spawn_file_dialog(ctx: &egui::Context) -> Receiver<Option<Vec<PathBuf>>> {
    let (tx, rx) = mpsc::channel();
    let dialog = rfd::AsyncFileDialog::new()
        .set_title("Import clippings")
        .add_filter("Text files", &["txt", "text", "md"])
        .add_filter("All files", &["*"])
        .pick_files();
    let ctx = ctx.clone();
    let spawned = std::thread::Builder::new()
        .name("clipfile-dialog".into())
        .spawn(move || {
            let picked = pollster::block_on(dialog)
                .map(|files| files.iter().map(|f| f.path().to_path_buf()).collect());
            let _ = tx.send(picked);
            ctx.request_repaint();
        });
    if spawned.is_err() {
        // The sender was dropped with the closure: the receiver reports it as disconnected.
    }
    rx
}

/// Run `f`; with `CLIPFILE_FRAME_TRACE` set, a phase of a frame slower than 20 ms is printed
/// to standard error (a developer's tool for finding what blocks the UI thread).
pub(crate) fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*ON.get_or_init(|| std::env::var_os("CLIPFILE_FRAME_TRACE").is_some()) {
        return f();
    }
    let start = std::time::Instant::now();
    let out = f();
    let took = start.elapsed();
    if took > std::time::Duration::from_millis(20) {
        eprintln!("clipfile frame: {what} took {took:.1?}");
    }
    out
}
