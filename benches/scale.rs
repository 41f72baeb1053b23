//! Release-mode benchmark of the library at scale, each figure beside its floor measured in the same run: import beside `cp -r`; the app opened headless (egui_kittest) to its first painted frame and until the whole list is usable; search in the index beside `rg -i -l -F`; `clipfile list --search` as a separate process beside `rg`; resident memory.
//!
//! `cargo bench --bench scale` measures 10,000 articles; `cargo bench --bench scale -- --count
//! 100000` measures 10,000 and then 100,000 (any N over 10,000: both sizes; N at most 10,000:
//! N alone, for a quick check). `--index-only` skips the `cp -r` floor of the import;
//! `--import-without-index` also times the import into a library without an index. Temporary
//! folders go where `TMPDIR` says; `--keep DIR` moves the largest library there afterwards, and
//! `--app DIR` measures only the app over such a library.
//! The index goes into a cache folder of the bench's own (`CLIPFILE_CACHE_DIR`), so the app and
//! the command line find the index the bench built (a warm cache).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clipfile::index::Index;
use clipfile::library::{Library, OpenMode};
use clipfile::ui::ClipfileApp;
use clipfile::ui::app::{Dialogs, Prefs};
use clipfile::ui::state::Action;
use egui_kittest::Harness;

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn shell(cmd: &str) -> Option<Duration> {
    let start = Instant::now();
    let status = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?;
    status.success().then(|| start.elapsed())
}

/// `cat` of every file of a library's clippings folder: its wall time, None if it failed.
/// Through `find -exec ... +`, which passes the names in batches: `cat DIR/*` fails past the
/// system's argument limit (so at 100,000 clippings the floor was missing and the page cache
/// went unwarmed).
fn cat_every_file(root: &Path) -> Option<Duration> {
    shell(&format!(
        "find {}/clippings -type f -exec cat {{}} + > /dev/null",
        root.display()
    ))
}

/// Run a command to the end; its wall time.
fn child(cmd: &mut Command) -> Option<Duration> {
    let start = Instant::now();
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .ok()?;
    let elapsed = start.elapsed();
    status.success().then_some(elapsed)
}

/// Run a command to the end, reading its peak resident memory (VmHWM, MB) while it runs.
/// (`wait4`'s `ru_maxrss` would not do: the child starts as a `vfork` of this process, whose
/// own peak it then reports.)
fn child_peak(cmd: &mut Command) -> Option<f64> {
    let mut c = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let status_file = format!("/proc/{}/status", c.id());
    let mut peak: f64 = 0.0;
    loop {
        // Only after the exec: the peak of the program itself, which only grows.
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && status
                .lines()
                .any(|l| l.starts_with("Name:") && l.contains("clipfile"))
            && let Some(kb) = status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        {
            peak = peak.max(kb / 1024.0);
        }
        match c.try_wait() {
            Ok(Some(status)) => return status.success().then_some(peak),
            Ok(None) => std::thread::sleep(Duration::from_micros(200)),
            Err(_) => return None,
        }
    }
}

#[path = "common/rss.rs"]
mod rss;
use rss::{cpu_seconds, peak_rss_mb, rss_mb};

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn ratio(a: Duration, b: Option<Duration>) -> String {
    b.map_or("n/a".to_string(), |b| {
        format!("{:.2}x", a.as_secs_f64() / b.as_secs_f64().max(1e-9))
    })
}

/// The six queries (phrase, field, date, negation and prefix among them) and the fixed string
/// `rg -i -l -F` looks for over the same texts (the nearest it can do).
const QUERIES: [(&str, &str); 6] = [
    ("railway", "railway"),
    (
        "\"ceasefire along the border\"",
        "ceasefire along the border",
    ),
    ("headline:railway", "railway"),
    ("okafor date:2015-01..2015-06", "okafor"),
    ("tanaka -railway", "tanaka"),
    ("lindq*", "lindq"),
];

fn main() {
    // As the app's window does (the command line does not; its rows run the binary).
    clipfile::give_freed_memory_back();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let count: usize = value("--count")
        .and_then(|v| v.parse().ok())
        .or_else(|| args.iter().find_map(|a| a.parse().ok()))
        .unwrap_or(10_000);
    let index_only = args.iter().any(|a| a == "--index-only");
    let without_index = args.iter().any(|a| a == "--import-without-index");
    // `--import-only`: the import rows alone (to compare changes to the import quickly).
    let import_only = args.iter().any(|a| a == "--import-only");
    let keep = value("--keep").map(PathBuf::from);
    let sizes: Vec<usize> = if count > 10_000 {
        vec![10_000, count]
    } else {
        vec![count]
    };
    let rg = Command::new("rg").arg("--version").output().is_ok();
    // One cache folder for the whole run (each library has its own index file in it), set
    // before any thread starts so the app, the import and the command line all use it.
    // `--app DIR` keeps a cache folder the caller set (its index already built); every other
    // run starts from a new one.
    let cache = tempfile::tempdir().expect("cache dir");
    let keep_cache = (value("--app").is_some() || value("--memory").is_some())
        && std::env::var_os(clipfile::index::CACHE_DIR_ENV).is_some();
    if !keep_cache {
        // SAFETY: no other thread runs yet; nothing reads the environment concurrently.
        unsafe { std::env::set_var(clipfile::index::CACHE_DIR_ENV, cache.path()) };
    }
    // `--memory DIR --count N`: the process the memory row is read from (started by `app`):
    // the app opened once over DIR, until its N clippings are listed, search is ready and a
    // search is answered; prints its resident memory before opening and then.
    if let Some(dir) = value("--memory").map(PathBuf::from) {
        let [before, open, built, peak] = memory_of_one_open(&dir, count);
        println!("RSS {before:.0} {open:.0} {built:.0} {peak:.0}");
        if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
            for line in status.lines().filter(|l| l.starts_with("Rss")) {
                println!("{line}");
            }
        }
        return;
    }
    // `--app DIR`: only the app's rows, over a library already there (kept by `--keep`), its
    // index built first so the app starts warm.
    if let Some(dir) = value("--app").map(PathBuf::from) {
        let mut index = clipfile::index::Index::open(&dir).expect("index");
        let refreshed = index.refresh().expect("refresh");
        let count = index.len().expect("count");
        drop(index);
        println!(
            "index: {} added, {} updated",
            refreshed.added, refreshed.updated
        );
        let mut table = Table {
            count,
            ..Default::default()
        };
        app(&mut table, &dir, count, !keep_cache);
        println!("\n{table}");
        return;
    }
    let last = sizes.len() - 1;
    let mut tables = Vec::new();
    // Every run's folders stay until the end: this machine's ext4 (no journal) searches past
    // recently freed inodes for a minute or more after many files were deleted, which slowed
    // the creates of the next size's copy and import by up to 2x.
    let mut folders = Vec::new();
    for (i, &n) in sizes.iter().enumerate() {
        let keep = if i == last { keep.as_deref() } else { None };
        let (table, tmp) = run(
            n,
            Only {
                index: index_only,
                import: import_only,
            },
            without_index,
            rg,
            cache.path(),
            keep,
        );
        println!("\n{table}");
        tables.push(table);
        folders.push(tmp);
    }
    if tables.len() > 1 {
        println!("\nAll sizes:");
        for table in &tables {
            println!("\n{table}");
        }
    }
}

/// The rows of one size's table.
#[derive(Default)]
struct Table {
    count: usize,
    rows: Vec<[String; 4]>,
}

impl Table {
    fn row(&mut self, what: impl Into<String>, ours: impl Into<String>, floor: String, r: String) {
        self.rows.push([what.into(), ours.into(), floor, r]);
    }
}

impl std::fmt::Display for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "| measurement ({} articles) | Clipfile | floor in the same run | ratio |",
            self.count
        )?;
        writeln!(f, "| --- | --- | --- | --- |")?;
        for [a, b, c, d] in &self.rows {
            writeln!(f, "| {a} | {b} | {c} | {d} |")?;
        }
        Ok(())
    }
}

/// Give freed memory back to the system, so a resident figure is what is still in use.
fn trim() {
    // SAFETY: malloc_trim only releases free heap memory.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Which part of a size's run is measured alone, if any.
#[derive(Clone, Copy)]
struct Only {
    /// Without the `cp -r` floors.
    index: bool,
    /// The import rows and nothing after them.
    import: bool,
}

fn run(
    count: usize,
    only: Only,
    without_index: bool,
    rg: bool,
    cache: &Path,
    keep: Option<&Path>,
) -> (Table, tempfile::TempDir) {
    let mut table = Table {
        count,
        ..Table::default()
    };
    let tmp = tempfile::tempdir().expect("temp dir");
    let input = tmp.path().join("articles");
    let (_, gen_time) =
        time(|| clipfile::sample::write_corpus(&input, count, 1).expect("generate"));
    let bytes = dir_bytes(&input);
    println!(
        "\ngenerated {count} articles, {:.1} MB, in {}",
        bytes as f64 / 1e6,
        ms(gen_time)
    );
    let _ = shell("sync");

    // Import beside cp -r (the faster of a copy before and after the import). The library's
    // index exists before the import (as for a library in use), so the import brings it up
    // to date as its files are committed.
    // Nothing is removed before the bench ends (see `main`): on ext4, files created right
    // after many were deleted wait for its search of recently freed inodes
    // (`recently_deleted`), which made the same import up to 2x slower.
    let copy = |name: &str| {
        let to = tmp.path().join(name);
        shell(&format!(
            "cp -r {} {} && sync",
            input.display(),
            to.display()
        ))
    };
    let cp_before = if only.index { None } else { copy("copy") };
    let root = tmp.path().join("library");
    let mut lib = Library::open(&root, OpenMode::ReadWrite).expect("open");
    Index::open_in(&root, cache)
        .and_then(|mut i| i.refresh())
        .expect("an empty index");
    let before = rss_mb();
    let cpu_before = cpu_seconds();
    let (summary, import_time) = time(|| {
        lib.import_blocking(vec![input.clone()], |_| {})
            .expect("import")
    });
    let import_cpu = cpu_seconds() - cpu_before;
    let import_rss = rss_mb() - before;
    assert_eq!(summary.imported(), count, "every article imports");
    drop(lib);
    trim();
    let _ = shell("sync");
    let cp_after = if only.index { None } else { copy("copy2") };
    let cp = match (cp_before, cp_after) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    // The same import into a library without an index (nothing to update), for comparison.
    let plain = without_index.then(|| {
        let other = tmp.path().join("library-without-index");
        let mut lib = Library::open(&other, OpenMode::ReadWrite).expect("open");
        let cpu_before = cpu_seconds();
        let (summary, t) = time(|| {
            lib.import_blocking(vec![input.clone()], |_| {})
                .expect("import")
        });
        let cpu = cpu_seconds() - cpu_before;
        assert_eq!(summary.imported(), count);
        drop(lib);
        trim();
        (t, cpu)
    });
    if let Some((t, cpu)) = plain {
        table.row(
            format!(
                "import, durable, into a library without an index ({cpu:.1} s of CPU, {:.2} cores)",
                cpu / t.as_secs_f64()
            ),
            ms(t),
            cp.map_or("not measured".into(), |c| format!("`cp -r` {}", ms(c))),
            ratio(t, cp),
        );
    }
    table.row(
        format!(
            "import, durable, index updated as files are committed ({:.0} files/s; +{import_rss:.0} MB resident; {import_cpu:.1} s of CPU, {:.2} cores)",
            count as f64 / import_time.as_secs_f64(),
            import_cpu / import_time.as_secs_f64()
        ),
        ms(import_time),
        cp.map_or("not measured".into(), |t| format!("`cp -r` {}", ms(t))),
        ratio(import_time, cp),
    );
    if only.import {
        return (table, tmp);
    }
    let (after_import, refresh_after_import) = time(|| {
        let mut index = Index::open_in(&root, cache).expect("index");
        index.refresh().expect("refresh")
    });
    table.row(
        format!(
            "index refresh right after the import ({} records read again)",
            after_import.added + after_import.updated + after_import.touched
        ),
        ms(refresh_after_import),
        String::new(),
        String::new(),
    );

    // The index: built cold (in a second cache folder), then refreshed with nothing changed,
    // then after 100 records changed outside.
    let cold_cache = tmp.path().join("cold-cache");
    let _ = cat_every_file(&root);
    let (cold_index, cold) = time(|| {
        let mut index = Index::open_in(&root, &cold_cache).expect("index");
        index.refresh().expect("build");
        index
    });
    let text_folder = clipfile::index::text::folder_of(cold_index.path());
    let text_bytes: u64 = std::fs::read_dir(&text_folder)
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0);
    let index_bytes = std::fs::metadata(cold_index.path()).map_or(0, |m| m.len()) + text_bytes;
    drop(cold_index);
    table.row(
        format!(
            "index, cold build (SQLite file and full-text folder {:.0} MB)",
            index_bytes as f64 / 1e6
        ),
        ms(cold),
        String::new(),
        String::new(),
    );
    let (warm_report, warm) = time(|| {
        let mut index = Index::open_in(&root, cache).expect("index");
        index.refresh().expect("refresh")
    });
    assert_eq!(warm_report.unchanged, count);
    table.row(
        "index, open and refresh, nothing changed",
        ms(warm),
        String::new(),
        String::new(),
    );
    let mut index = Index::open_in(&root, cache).expect("index");
    let ids: Vec<PathBuf> = std::fs::read_dir(root.join("clippings"))
        .expect("clippings")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ron"))
        .take(100)
        .collect();
    for path in &ids {
        let mut text = std::fs::read_to_string(path).expect("record");
        text.push('\n');
        std::fs::write(path, text).expect("edit");
    }
    let (edited_report, edited) = time(|| index.refresh().expect("refresh"));
    assert_eq!(edited_report.touched + edited_report.updated, ids.len());
    table.row(
        "index, refresh after 100 records changed outside",
        ms(edited),
        String::new(),
        String::new(),
    );

    // Search in process, the command line as a separate process, and rg -i -l -F over the
    // same texts, query by query.
    let exe = env!("CARGO_BIN_EXE_clipfile");
    let command = |args: &[&str]| {
        let mut c = Command::new(exe);
        c.arg("--library")
            .arg(&root)
            .args(args)
            .env(clipfile::index::CACHE_DIR_ENV, cache);
        c
    };
    let cli = |args: &[&str]| child(&mut command(args));
    let cli_peak = |args: &[&str]| child_peak(&mut command(args));
    let rg_time = |pattern: &str| {
        shell(&format!(
            "rg -i -l -F -g '*.txt' '{pattern}' {}/clippings/ || true",
            root.display()
        ))
    };
    let mut total = Duration::ZERO;
    let mut worst = Duration::ZERO;
    let mut cli_total = Duration::ZERO;
    let mut cli_rss: f64 = 0.0;
    let mut rg_total = Duration::ZERO;
    for (q, pattern) in QUERIES {
        let query = clipfile::query::parse(q).expect("query");
        let mut hits = 0;
        let mut sum = Duration::ZERO;
        for _ in 0..5 {
            let (found, t) = time(|| index.search(&query).expect("search").len());
            hits = found;
            sum += t;
            worst = worst.max(t);
        }
        total += sum;
        let mut cli_sum = Duration::ZERO;
        for _ in 0..5 {
            cli_sum += cli(&["list", "--search", q]).expect("clipfile list --search");
        }
        let rss = cli_peak(&["list", "--search", q]).expect("clipfile list --search");
        cli_rss = cli_rss.max(rss);
        cli_total += cli_sum;
        let rg_one = rg.then(|| rg_time(pattern).unwrap_or_default());
        rg_total += rg_one.unwrap_or_default();
        table.row(
            format!("`{q}` ({hits} hits): in process / `clipfile list --search`, mean of 5"),
            format!("{} / {}", ms(sum / 5), ms(cli_sum / 5)),
            rg_one.map_or("rg not installed".into(), |t| {
                format!("`rg -i -l -F {pattern}` {}", ms(t))
            }),
            format!(
                "{} / {}",
                ratio(sum / 5, rg_one),
                ratio(cli_sum / 5, rg_one)
            ),
        );
    }
    let n = QUERIES.len() as u32;
    let mean = total / (5 * n);
    let cli_mean = cli_total / (5 * n);
    let rg_mean = rg.then(|| rg_total / n);
    let rg_label = || rg_mean.map_or("rg not installed".into(), |t| format!("`rg` {}", ms(t)));
    table.row(
        format!(
            "search in the index, in process, 6 queries x 5, mean (slowest {})",
            ms(worst)
        ),
        ms(mean),
        rg_label(),
        ratio(mean, rg_mean),
    );
    table.row(
        "`clipfile list --search`, a separate process, 6 queries x 5, mean",
        ms(cli_mean),
        rg_label(),
        ratio(cli_mean, rg_mean),
    );
    table.row(
        "resident memory, `clipfile list --search` (peak)",
        format!("{cli_rss:.0} MB"),
        String::new(),
        String::new(),
    );
    let list_time = cli(&["list", "--json"]).expect("clipfile list");
    let list_rss = cli_peak(&["list", "--json"]).expect("clipfile list");
    table.row(
        format!("`clipfile list --json`, every row ({list_rss:.0} MB peak)"),
        ms(list_time),
        String::new(),
        String::new(),
    );
    let first_id = ids
        .first()
        .and_then(|p| p.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .expect("an id");
    let show_time = cli(&["show", &first_id, "--json"]).expect("clipfile show");
    table.row(
        "`clipfile show ID --json`",
        ms(show_time),
        String::new(),
        String::new(),
    );
    drop(index);
    trim();

    app(&mut table, &root, count, true);

    if let Some(keep) = keep {
        let _ = std::fs::remove_dir_all(keep);
        if std::fs::rename(&root, keep).is_ok() {
            println!("kept the library in {}", keep.display());
        }
    }
    (table, tmp)
}

/// The app, headless: from constructing it to its first painted frame, then frame by frame
/// (a frame every 5 ms, as a window waiting for repaints would) until the whole list is there;
/// the slowest frame on the way (the UI thread blocked); then a search, and resident memory
/// with the library open and search ready.
/// An app window opened headless over `root`, stepped until the whole list is usable.
struct Opened {
    harness: Harness<'static, ClipfileApp>,
    first_frame: Duration,
    /// When the list first showed the index's rows (read only, while the library opened).
    peeked: Option<Duration>,
    /// When the opening was over and every clipping listed (`None`: not within 600 s).
    usable: Option<Duration>,
    frames: usize,
    slowest: Duration,
}

/// How often the harness runs a frame while the app opens (a window repainting at 200 Hz).
const FRAME_EVERY: Duration = Duration::from_millis(5);

/// Open the app over `root` and run a frame every `step_every` until the whole list is usable.
fn open_until_usable(root: &Path, count: usize, step_every: Duration) -> Opened {
    let started = Instant::now();
    let app = ClipfileApp::new(
        root.to_path_buf(),
        Vec::new(),
        Prefs::default(),
        Dialogs::PathField,
    );
    // Building the harness runs one frame; the step after it is the first the window paints.
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut ClipfileApp| app.show(ui), app);
    harness.step();
    let first_frame = started.elapsed();
    let mut slowest = Duration::ZERO;
    let mut frames = 1;
    // While the library opens the list shows the index's rows (read only); it is usable when
    // the opening is over and every clipping is listed.
    let mut peeked = None;
    let usable = loop {
        let state = &mut harness.state_mut().state;
        if peeked.is_none() && state.opening_rows().is_some_and(|rows| rows.len() >= count) {
            peeked = Some(started.elapsed());
        }
        if !state.is_opening() && state.visible().len() >= count {
            break Some(started.elapsed());
        }
        if started.elapsed() > Duration::from_secs(600) {
            break None;
        }
        std::thread::sleep(step_every);
        let (_, t) = time(|| harness.step());
        slowest = slowest.max(t);
        frames += 1;
    };
    Opened {
        harness,
        first_frame,
        peeked,
        usable,
        frames,
        slowest,
    }
}

/// Open the app once over `root` (warm cache), until its `count` clippings are listed, the
/// search is ready and a search is answered: resident memory before and then, then once the
/// story versions are built in the background, and the most held meanwhile, in MB.
fn memory_of_one_open(root: &Path, count: usize) -> [f64; 4] {
    let before = rss_mb();
    let mut harness = open_until_usable(root, count, FRAME_EVERY).harness;
    let started = Instant::now();
    while !harness.state().state.search_index_is_ready()
        && started.elapsed() < Duration::from_secs(600)
    {
        std::thread::sleep(FRAME_EVERY);
        harness.step();
    }
    let query = QUERIES[0].0;
    harness.state_mut().top_bar.search_text = query.into();
    harness.state_mut().apply(Action::SetSearch(query.into()));
    while !harness.state().state.search_settled() && started.elapsed() < Duration::from_secs(600) {
        std::thread::sleep(Duration::from_millis(1));
        harness.step();
    }
    harness.run_steps(5);
    trim();
    let answered = rss_mb();
    while harness.state().state.versions.building() && started.elapsed() < Duration::from_secs(600)
    {
        std::thread::sleep(FRAME_EVERY);
        harness.step();
    }
    harness.run_steps(5);
    trim();
    [before, answered, rss_mb(), peak_rss_mb()]
}

/// The records snapshots in the run's cache folder (the library writes one after a whole open).
fn records_snapshots() -> usize {
    let Some(cache) = std::env::var_os(clipfile::index::CACHE_DIR_ENV) else {
        return 0;
    };
    std::fs::read_dir(Path::new(&cache).join("records")).map_or(0, |dir| {
        dir.filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "jsonl"))
            .count()
    })
}

/// Edits with no search: a tag added to each of the first five clippings of the list, then
/// taken off again (so a kept library is left as it was). Each edit is applied as the UI
/// applies it (on its thread: the record written, with its fsync), then frames run until the
/// list has settled; the slowest of those frames is the UI thread's cost of the edit (the list
/// in the library's order, the tag counts).
fn edits_in_app(table: &mut Table, harness: &mut Harness<'_, ClipfileApp>) {
    harness.state_mut().top_bar.search_text.clear();
    harness.state_mut().apply(Action::SetSearch(String::new()));
    let started = Instant::now();
    while !harness.state().state.search_settled() && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(1));
        harness.step();
    }
    harness.run_steps(3);
    let ids: Vec<String> = harness
        .state_mut()
        .state
        .visible()
        .range(0..5)
        .map(|id| id.to_string())
        .collect();
    let mut applied = Vec::new();
    let mut slowest = Duration::ZERO;
    for action in [Action::AddTag, Action::RemoveTag] {
        for id in &ids {
            harness.state_mut().apply(Action::Select(id.clone()));
            harness.run_steps(2);
            let (_, t) = time(|| harness.state_mut().apply(action("bench-edit".to_string())));
            applied.push(t);
            for _ in 0..3 {
                let (_, t) = time(|| harness.step());
                slowest = slowest.max(t);
            }
        }
    }
    let mean = applied.iter().sum::<Duration>() / applied.len().max(1) as u32;
    let most = applied.iter().max().copied().unwrap_or_default();
    table.row(
        format!(
            "app: an edit with no search ({} tags added and taken off): the slowest frame after it (the edit itself, its record written and synced: mean {}, slowest {})",
            applied.len(),
            ms(mean),
            ms(most)
        ),
        ms(slowest),
        String::new(),
        String::new(),
    );
}

/// How the search rows run frames while a query waits for its answer.
#[derive(Clone, Copy, PartialEq)]
enum Pacing {
    /// A frame every 1 ms: the UI thread busy beside the search.
    Busy,
    /// A frame when the app asks for one (a repaint request), as eframe runs a window.
    AsAsked,
}

/// The search rows' figures.
struct Searched {
    mean: Duration,
    slowest_query: Duration,
    slowest_frame: Duration,
    frames_per_query: String,
    detail: String,
}

impl Searched {
    /// The row of these searches: `what`, then the slowest query and frame (and the frames a
    /// query took, when `frames`) and each query's hits and mean.
    fn row(&self, table: &mut Table, what: &str, frames: bool) {
        let per_query = if frames {
            format!("{} frames a query; ", self.frames_per_query)
        } else {
            String::new()
        };
        table.row(
            format!(
                "{what} (slowest {}; {per_query}slowest frame meanwhile {}; hits and mean of each: {})",
                ms(self.slowest_query),
                ms(self.slowest_frame),
                self.detail
            ),
            ms(self.mean),
            String::new(),
            String::new(),
        );
    }
}

/// Each of the bench's queries typed into the box 5 times, frames run until the list shows
/// its answer (snippets included).
fn search_in_app(harness: &mut Harness<'_, ClipfileApp>, pacing: Pacing) -> Searched {
    // When the next frame is due, as the app last asked (`None`: no frame asked for), and
    // where the loop sleeps until then: like eframe's event loop, woken by the request, not
    // looking every 200 us (each look a wake-up of this thread beside the search's two, on
    // two cores: 2-5 ms of a core taken from a phrase's search in `perf sched` traces).
    let due: std::sync::Arc<(std::sync::Mutex<Option<Instant>>, std::sync::Condvar)> =
        Default::default();
    if pacing == Pacing::AsAsked {
        let due = std::sync::Arc::clone(&due);
        harness.ctx.set_request_repaint_callback(move |info| {
            let at = Instant::now() + info.delay;
            let (lock, woken) = &*due;
            if let Ok(mut due) = lock.lock() {
                *due = Some(due.map_or(at, |d| d.min(at)));
                woken.notify_all();
            }
        });
    }
    // Wait until a frame is due (true), or `longest` has passed (false).
    let wait_due = |longest: Duration| {
        let (lock, woken) = &*due;
        let until = Instant::now() + longest;
        let mut due = lock.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            let now = Instant::now();
            match *due {
                Some(at) if at <= now => {
                    *due = None;
                    return true;
                }
                _ if now >= until => return false,
                Some(at) => {
                    due = woken
                        .wait_timeout(due, at.min(until) - now)
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                }
                None => {
                    due = woken
                        .wait_timeout(due, until - now)
                        .unwrap_or_else(|e| e.into_inner())
                        .0;
                }
            }
        }
    };
    let mut times = Vec::new();
    let mut slowest_frame = Duration::ZERO;
    let mut frames = 0usize;
    let mut detail = Vec::new();
    for (query, _) in QUERIES {
        let mut hits = 0;
        let mut own = Duration::ZERO;
        for _ in 0..5 {
            // Start from no query, so each run asks the worker again.
            harness.state_mut().top_bar.search_text.clear();
            harness.state_mut().apply(Action::SetSearch(String::new()));
            harness.run_steps(2);
            if pacing == Pacing::AsAsked {
                // A moment between clearing the box and typing, as a reader takes.
                std::thread::sleep(Duration::from_millis(20));
            }
            let t0 = Instant::now();
            harness.state_mut().top_bar.search_text = (*query).into();
            harness
                .state_mut()
                .apply(Action::SetSearch((*query).into()));
            // The keystroke's frame.
            let mut step = true;
            loop {
                if step {
                    let (_, t) = time(|| harness.step());
                    slowest_frame = slowest_frame.max(t);
                    frames += 1;
                }
                if harness.state().state.search_settled() || t0.elapsed() > Duration::from_secs(60)
                {
                    break;
                }
                match pacing {
                    Pacing::Busy => {
                        std::thread::sleep(Duration::from_millis(1));
                        step = true;
                    }
                    Pacing::AsAsked => {
                        step = wait_due(Duration::from_millis(100));
                    }
                }
            }
            times.push(t0.elapsed());
            own += t0.elapsed();
            hits = harness.state_mut().state.visible().len();
        }
        detail.push(format!("`{query}` {hits} in {}", ms(own / 5)));
    }
    if pacing == Pacing::AsAsked {
        harness.ctx.set_request_repaint_callback(|_| {});
    }
    Searched {
        mean: times.iter().sum::<Duration>() / times.len().max(1) as u32,
        slowest_query: times.iter().max().copied().unwrap_or_default(),
        slowest_frame,
        frames_per_query: format!("{:.1}", frames as f64 / times.len().max(1) as f64),
        detail: detail.join(", "),
    }
}

/// `new_cache`: the cache folder holds no records snapshot of this library yet (the first
/// open writes it); false for a cache folder kept from earlier runs.
fn app(table: &mut Table, root: &Path, count: usize, new_cache: bool) {
    let cat = cat_every_file(root);
    // The first open in this cache folder reads every record file and leaves a snapshot of
    // the records behind it; the opens a user meets every day after it read that snapshot
    // and only the record files changed since. Both are measured.
    let before = records_snapshots();
    let first = open_until_usable(root, count, FRAME_EVERY);
    drop(first.harness);
    let waited = Instant::now();
    while new_cache && records_snapshots() == before && waited.elapsed() < Duration::from_secs(120)
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    table.row(
        format!(
            "app: first open in a new cache folder (every record file read; {} frames; slowest {}), until the whole list is usable",
            first.frames,
            ms(first.slowest)
        ),
        first.usable.map_or("not within 600 s".into(), ms),
        String::new(),
        String::new(),
    );
    trim();
    let rss_before = rss_mb();
    let Opened {
        mut harness,
        first_frame,
        peeked,
        usable,
        frames,
        slowest,
    } = open_until_usable(root, count, FRAME_EVERY);
    table.row(
        "app: open to the first painted frame (warm cache)",
        ms(first_frame),
        cat.map_or(String::new(), |t| format!("`cat` of every file {}", ms(t))),
        ratio(first_frame, cat),
    );
    table.row(
        "app: open until the list shows the index's rows (read only, while the library opens)",
        peeked.map_or("not shown".into(), ms),
        String::new(),
        String::new(),
    );
    table.row(
        format!(
            "app: open until the whole list is usable (records snapshot from the open before; {frames} frames; slowest {})",
            ms(slowest)
        ),
        usable.map_or("not within 600 s".into(), ms),
        String::new(),
        String::new(),
    );
    // The search worker brings the (warm) index up to date after the library is open; frames
    // keep coming meanwhile.
    let ready_start = Instant::now();
    let mut ready_slowest = Duration::ZERO;
    while !harness.state().state.search_index_is_ready()
        && ready_start.elapsed() < Duration::from_secs(600)
    {
        std::thread::sleep(Duration::from_millis(5));
        let (_, t) = time(|| harness.step());
        ready_slowest = ready_slowest.max(t);
    }
    table.row(
        format!(
            "app: the search index ready after the list (refreshed by its worker; slowest frame {})",
            ms(ready_slowest)
        ),
        ms(ready_start.elapsed()),
        String::new(),
        String::new(),
    );
    // Each query typed into the box, frames run (1 ms apart) until the list shows its answer:
    // the wall time from the query to the list, and the slowest frame meanwhile.
    let busy = search_in_app(&mut harness, Pacing::Busy);
    busy.row(
        table,
        "app: search typed until the list shows the answer, a frame every 1 ms, 6 queries x 5, mean",
        false,
    );
    // The same, with frames only when the app asks for one, as a window does: the keystroke's
    // frame, then the worker's wake-ups (the answer, its snippets) and the app's own requests.
    search_in_app(&mut harness, Pacing::AsAsked).row(
        table,
        "app: search typed until the list shows the answer, frames as the app asks (a window), 6 queries x 5, mean",
        true,
    );
    // The rows above run right after the open, beside the story-versions build on the
    // background pool (it pauses while a search runs). The same searches once it is done: what
    // a reader meets a few seconds after opening.
    let built_start = Instant::now();
    let mut built_slowest = Duration::ZERO;
    while harness.state().state.versions.building()
        && built_start.elapsed() < Duration::from_secs(600)
    {
        std::thread::sleep(Duration::from_millis(5));
        let (_, t) = time(|| harness.step());
        built_slowest = built_slowest.max(t);
    }
    let built = if harness.state().state.versions.building() {
        "not within 600 s".to_string()
    } else {
        ms(ready_start.elapsed())
    };
    table.row(
        format!(
            "app: the story versions built in the background, counted from the whole list usable (slowest frame meanwhile {})",
            ms(built_slowest)
        ),
        built,
        String::new(),
        String::new(),
    );
    search_in_app(&mut harness, Pacing::AsAsked).row(
        table,
        "app: the same searches, frames as the app asks, once the story versions are built",
        true,
    );
    edits_in_app(table, &mut harness);
    harness.run_steps(5);
    trim();
    table.row(
        "resident memory of this process, library open in the app and search ready (after the opens and searches above)",
        format!("{:.0} MB", rss_mb()),
        format!("{rss_before:.0} MB before opening"),
        String::new(),
    );
    // The figure for the target: a process of its own that opens the app once (this one
    // keeps what earlier opens left: the allocator does not give all of it back).
    let child = std::env::current_exe().ok().and_then(|exe| {
        Command::new(exe)
            .args(["--memory", &root.display().to_string()])
            .args(["--count", &count.to_string()])
            .output()
            .ok()
    });
    let figures = child.and_then(|out| {
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let line = text.lines().find(|l| l.starts_with("RSS "))?.to_string();
        let parts: Vec<f64> = line
            .split_whitespace()
            .skip(1)
            .filter_map(|p| p.parse().ok())
            .collect();
        <[f64; 4]>::try_from(parts).ok()
    });
    table.row(
        "resident memory, library open in the app, search ready and one search answered (a process of its own; headless; whole process)",
        figures.map_or("not measured".into(), |[_, open, ..]| format!("{open:.0} MB")),
        figures.map_or(String::new(), |[before, ..]| {
            format!("{before:.0} MB before opening")
        }),
        String::new(),
    );
    // The story versions are built in the background after the open, and their build was
    // at work when the figure above was taken: what the same process holds once it is done,
    // and the most it held on the way.
    table.row(
        "resident memory, the same process once the story versions are built (most held from the start: the peak)",
        figures.map_or("not measured".into(), |[_, _, built, _]| {
            format!("{built:.0} MB")
        }),
        figures.map_or(String::new(), |[.., peak]| format!("peak {peak:.0} MB")),
        String::new(),
    );
    // Opened once more after the memory row, so its leftovers do not count there.
    drop(harness);
    trim();
    // A window waiting for the library repaints when the app asks: every 50 ms while it opens,
    // and at once when the library arrives (the harness does not wake early, so this may read
    // up to 50 ms late). The frame every 5 ms of the rows above takes more CPU from the open.
    let paced = open_until_usable(root, count, Duration::from_millis(50));
    drop(paced.harness);
    table.row(
        format!(
            "app: open until the whole list is usable, a frame every 50 ms as the app asks while it opens (records snapshot; up to 50 ms late; {} frames; slowest {})",
            paced.frames,
            ms(paced.slowest)
        ),
        paced.usable.map_or("not within 600 s".into(), ms),
        String::new(),
        String::new(),
    );
}
