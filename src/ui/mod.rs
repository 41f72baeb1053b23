//! The desktop app (eframe/egui): one file per panel or dialog, state changes through
//! [`state::Action`]s on [`state::AppState`].

mod annotations;
pub mod app;
mod detail;
pub mod export_dialog;
mod highlight_editor;
mod import_view;
mod library_list;
mod quotes;
mod reader;
pub mod state;

mod tag_list;
mod top_bar;
pub mod versions;
mod welcome;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver};

pub use app::ClipfileApp;
pub use reader::find_matches as reader_matches;

/// The app icon, built into the binary.
pub const ICON_PNG: &[u8] = include_bytes!("../../assets/icon.png");

/// Open the window over the library (`--library`/`CLIPFILE_LIBRARY` or the default folder) and
/// import `files` into it.
pub fn run(library: Option<PathBuf>, files: Vec<PathBuf>) -> ExitCode {
    let root = match crate::cli::library_root(library) {
        Ok(root) => root,
        Err(message) => {
            eprintln!("clipfile: {message}");
            return ExitCode::from(1);
        }
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

/// Give a widget an accessible name other than its visible text (for icon buttons).
pub(crate) fn accessible_name(response: &egui::Response, name: &str) {
    response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, response.enabled(), name));
}

/// Give a text field an accessible name (its placeholder is not one).
pub(crate) fn accessible_name_text(response: &egui::Response, name: &str) {
    response
        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, response.enabled(), name));
}
