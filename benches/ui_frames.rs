//! Release-mode benchmark of the app's frames over a large library, driven headless through
//! egui_kittest: mean CPU time per frame while scrolling the list, while scrolling with a
//! search active, and while typing a search (each keystroke re-runs it).
//!
//! `cargo bench --bench ui_frames` (N = 10,000) or `cargo bench --bench ui_frames -- 2000`.

use std::time::Duration;

use clipfile::library::{Library, OpenMode};
use clipfile::ui::ClipfileApp;
use clipfile::ui::app::{Dialogs, Prefs};
use clipfile::ui::state::Action;
use egui_kittest::Harness;

/// CPU time used by this process so far (all threads).
fn cpu_time() -> Duration {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given a valid pointer to.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr());
        usage.assume_init()
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, (t.tv_usec as u32) * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

fn scroll(harness: &mut Harness<'static, ClipfileApp>, dy: f32) {
    let input = harness.input_mut();
    input
        .events
        .push(egui::Event::PointerMoved(egui::pos2(150.0, 400.0)));
    input.events.push(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, dy),
        phase: egui::TouchPhase::Move,
        modifiers: egui::Modifiers::NONE,
        source: egui::MouseWheelSource::Wheel,
    });
}

fn measure(
    harness: &mut Harness<'static, ClipfileApp>,
    frames: u32,
    mut before_frame: impl FnMut(&mut Harness<'static, ClipfileApp>, u32),
) -> Duration {
    let start = cpu_time();
    for i in 0..frames {
        before_frame(harness, i);
        harness.step();
    }
    (cpu_time() - start) / frames
}

fn main() {
    let count: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let tmp = tempfile::tempdir().expect("temp dir");
    let input = tmp.path().join("articles");
    clipfile::sample::write_corpus(&input, count, 1).expect("generate");
    let root = tmp.path().join("library");
    {
        let mut lib = Library::open(&root, OpenMode::ReadWrite).expect("open");
        lib.import_blocking(vec![input], |_| {}).expect("import");
    }

    // Warm the file cache the way a second start of the app finds it (`find -exec cat {} +`:
    // `cat DIR/*` fails past the system's argument limit, at 100,000 clippings).
    let _ = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "find {}/clippings -type f -exec cat {{}} + > /dev/null",
            root.display()
        ))
        .status();
    // The first two frames, timed on a bare egui context (the harness below runs frames until
    // the app is idle, so it cannot time one frame): the first opens the library and lays out
    // the window; the second is an ordinary frame (the search worker builds or refreshes the index on its
    // own thread from the first).
    let raw_input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        ..Default::default()
    };
    let ctx = egui::Context::default();
    let started = std::time::Instant::now();
    let mut first_app = ClipfileApp::new(
        root.clone(),
        Vec::new(),
        Prefs::default(),
        Dialogs::PathField,
    );
    first_app.state.set_index_cache(tmp.path().join("cache"));
    let output = ctx.run_ui(raw_input.clone(), |ui| first_app.show(ui));
    let _ = ctx.tessellate(output.shapes, output.pixels_per_point);
    let first_frame = started.elapsed();
    // The library is read on a background thread meanwhile; frames show its progress.
    while first_app.state.is_opening() {
        std::thread::sleep(Duration::from_millis(5));
        let output = ctx.run_ui(raw_input.clone(), |ui| first_app.show(ui));
        let _ = ctx.tessellate(output.shapes, output.pixels_per_point);
    }
    let list_usable = started.elapsed();
    let second_start = std::time::Instant::now();
    let output = ctx.run_ui(raw_input.clone(), |ui| first_app.show(ui));
    let _ = ctx.tessellate(output.shapes, output.pixels_per_point);
    let output = ctx.run_ui(raw_input, |ui| first_app.show(ui));
    let _ = ctx.tessellate(output.shapes, output.pixels_per_point);
    let second_frame = second_start.elapsed();
    drop(first_app);
    // Give the first app's memory back to the system, so the figure below is one app's.
    // SAFETY: malloc_trim only releases free heap memory.
    unsafe {
        libc::malloc_trim(0);
    }

    let mut app = ClipfileApp::new(
        root.clone(),
        Vec::new(),
        Prefs::default(),
        Dialogs::PathField,
    );
    app.state.set_index_cache(tmp.path().join("cache"));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut ClipfileApp| app.show(ui), app);
    let cat_start = std::time::Instant::now();
    let _ = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "find {}/clippings -type f -exec cat {{}} + > /dev/null",
            root.display()
        ))
        .status();
    let cat = cat_start.elapsed();
    while harness.state().state.is_opening() {
        std::thread::sleep(Duration::from_millis(5));
        harness.step();
    }
    harness.run_steps(5);
    // Memory is measured with the search index built, as it is a moment after opening.
    while !harness.state().state.search_index_is_ready() {
        std::thread::sleep(Duration::from_millis(5));
        harness.step();
    }
    if std::env::var_os("NO_SELECT").is_none() {
        harness.state_mut().apply(Action::MoveSelection(1));
    }
    harness.run_steps(5);

    let frames = 200;
    let scrolling = measure(&mut harness, frames, |h, i| {
        scroll(h, if i % 100 < 50 { -120.0 } else { 120.0 })
    });
    harness.state_mut().top_bar.search_text = "okafor".into();
    harness
        .state_mut()
        .apply(Action::SetSearch("okafor".into()));
    while !harness.state().state.search_settled() {
        std::thread::sleep(Duration::from_millis(5));
        harness.step();
    }
    harness.run_steps(2);
    let shown = harness.state_mut().state.visible().len();
    let searching = measure(&mut harness, frames, |h, i| {
        scroll(h, if i % 100 < 50 { -120.0 } else { 120.0 })
    });
    let typing = measure(&mut harness, 50, |h, i| {
        let text = if i % 2 == 0 { "okafo" } else { "okafor" };
        h.state_mut().top_bar.search_text = text.into();
        h.state_mut().apply(Action::SetSearch(text.into()));
    });

    let rss = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0);
    println!("| app, {count} clippings | result |");
    println!("| --- | --- |");
    println!(
        "| the first frame (the library opening on a background thread) | {:.0} ms |",
        first_frame.as_secs_f64() * 1e3,
    );
    println!(
        "| open the library until the list is shown (warm cache) | {:.0} ms (`cat` of all files: {:.0} ms, {:.1}x) |",
        list_usable.as_secs_f64() * 1e3,
        cat.as_secs_f64() * 1e3,
        list_usable.as_secs_f64() / cat.as_secs_f64().max(1e-9)
    );
    println!(
        "| the two frames after it (the version index handed to a background thread; the search index is built on the worker's thread) | {:.0} ms |",
        second_frame.as_secs_f64() * 1e3
    );
    println!("| resident memory with the library open in the app (headless) | {rss:.0} MB |");

    println!(
        "| scrolling the library list | {:.2} ms |",
        scrolling.as_secs_f64() * 1e3
    );
    println!(
        "| frame CPU time, scrolling with a search active ({shown} matches) | {:.2} ms |",
        searching.as_secs_f64() * 1e3
    );
    println!(
        "| frame CPU time, typing in search (a query sent to the worker every frame) | {:.2} ms |",
        typing.as_secs_f64() * 1e3
    );
}
