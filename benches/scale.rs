//! Release-mode benchmark of the library at scale: generate N articles, then time import, the search index (cold build, warm refresh), search in process and as a command, and memory, each beside its floor (`cp -r`, `rg`) measured in the same run.
//!
//! `cargo bench --bench scale -- --count 100000` measures 10,000 and then 100,000 articles;
//! `--count N` with N at most 10,000 measures N alone. `--index-only` skips the `cp -r` floor
//! of the import (the import itself is needed to make the library). Temporary folders go where
//! `TMPDIR` says; `--keep DIR` moves the largest library there afterwards (for comparing
//! engines on the same corpus).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clipfile::index::Index;
use clipfile::library::{Library, OpenMode};

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

/// Run a command to the end; its wall time and its peak resident memory (MB).
fn child(cmd: &mut Command) -> Option<(Duration, f64)> {
    let start = Instant::now();
    let c = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let pid = c.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: plain libc calls on a zeroed struct and our own child's pid.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    (waited == pid && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0)
        .then(|| (elapsed, usage.ru_maxrss as f64 / 1024.0))
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

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
    let keep = value("--keep").map(PathBuf::from);
    let sizes: Vec<usize> = if count > 10_000 {
        vec![10_000, count]
    } else {
        vec![count]
    };
    let rg = Command::new("rg").arg("--version").output().is_ok();
    let last = sizes.len() - 1;
    for (i, &n) in sizes.iter().enumerate() {
        let keep = if i == last { keep.as_deref() } else { None };
        run(n, index_only, rg, keep);
    }
}

fn run(count: usize, index_only: bool, rg: bool, keep: Option<&Path>) {
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

    // Import beside cp -r (the faster of a copy before and after the import).
    let copy = |name: &str| {
        let to = tmp.path().join(name);
        let t = shell(&format!(
            "cp -r {} {} && sync",
            input.display(),
            to.display()
        ));
        let _ = std::fs::remove_dir_all(&to);
        t
    };
    let cp_before = if index_only { None } else { copy("copy") };
    let root = tmp.path().join("library");
    let mut lib = Library::open(&root, OpenMode::ReadWrite).expect("open");
    let before = rss_mb();
    let (summary, import_time) = time(|| {
        lib.import_blocking(vec![input.clone()], |_| {})
            .expect("import")
    });
    let import_rss = rss_mb() - before;
    assert_eq!(summary.imported(), count, "every article imports");
    drop(lib);
    let _ = shell("sync");
    let cp_after = if index_only { None } else { copy("copy2") };
    let cp = match (cp_before, cp_after) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let _ = std::fs::remove_dir_all(&input);

    // The index: built cold, then refreshed with nothing changed, then after 100 records
    // changed outside.
    let cache = tmp.path().join("cache");
    let _ = shell(&format!("cat {}/clippings/* > /dev/null", root.display()));
    let (mut index, cold) = time(|| {
        let mut index = Index::open_in(&root, &cache).expect("index");
        index.refresh().expect("build");
        index
    });
    let index_bytes = std::fs::metadata(index.path()).map_or(0, |m| m.len());
    let (warm_report, warm) = time(|| {
        let mut index = Index::open_in(&root, &cache).expect("index");
        index.refresh().expect("refresh")
    });
    assert_eq!(warm_report.unchanged, count);
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

    // Search in process beside rg -i -l -F over the same texts.
    let mut total = Duration::ZERO;
    let mut worst = Duration::ZERO;
    let mut per_query = Vec::new();
    for (q, _) in QUERIES {
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
        per_query.push((q, hits, sum / 5));
    }
    let mean = total / (5 * QUERIES.len() as u32);
    let rss_search = rss_mb();
    let rg_time = |pattern: &str| {
        shell(&format!(
            "rg -i -l -F -g '*.txt' '{pattern}' {}/clippings/ || true",
            root.display()
        ))
    };
    let rg_mean = rg.then(|| {
        let mut t = Duration::ZERO;
        for (_, pattern) in QUERIES {
            t += rg_time(pattern).unwrap_or_default();
        }
        t / QUERIES.len() as u32
    });

    // The command line as a separate process, on the warm index.
    let exe = env!("CARGO_BIN_EXE_clipfile");
    let cli = |args: &[&str]| {
        child(
            Command::new(exe)
                .arg("--library")
                .arg(&root)
                .args(args)
                .env("CLIPFILE_CACHE_DIR", &cache),
        )
    };
    let mut cli_total = Duration::ZERO;
    let mut cli_rss: f64 = 0.0;
    for (q, _) in QUERIES {
        let (t, rss) = cli(&["list", "--search", q]).expect("clipfile list --search");
        cli_total += t;
        cli_rss = cli_rss.max(rss);
    }
    let cli_mean = cli_total / QUERIES.len() as u32;
    let (list_time, list_rss) = cli(&["list", "--json"]).expect("clipfile list");
    let first_id = ids
        .first()
        .and_then(|p| p.file_stem())
        .map(|s| s.to_string_lossy().into_owned())
        .expect("an id");
    let (show_time, _) = cli(&["show", &first_id, "--json"]).expect("clipfile show");

    println!();
    println!("| measurement ({count} articles) | Clipfile | floor in the same run | ratio |");
    println!("| --- | --- | --- | --- |");
    println!(
        "| import (durable; {:.0} files/s; +{import_rss:.0} MB resident) | {} | `cp -r` {} | {} |",
        count as f64 / import_time.as_secs_f64(),
        ms(import_time),
        cp.map_or("not measured".into(), ms),
        ratio(import_time, cp)
    );
    println!(
        "| index, cold build (file {:.0} MB) | {} | | |",
        index_bytes as f64 / 1e6,
        ms(cold)
    );
    println!(
        "| index, warm refresh (nothing changed) | {} | | |",
        ms(warm)
    );
    println!(
        "| index, refresh after 100 records changed outside | {} | | |",
        ms(edited)
    );
    for (q, hits, t) in &per_query {
        println!("| search `{q}` ({hits} hits), mean of 5 | {} | | |", ms(*t));
    }
    println!(
        "| search in process, 6 queries x 5, mean (slowest {}) | {} | `rg -i -l -F` {} | {} |",
        ms(worst),
        ms(mean),
        rg_mean.map_or("not installed".into(), ms),
        ratio(mean, rg_mean)
    );
    println!(
        "| `clipfile list --search`, a separate process, mean of the 6 | {} | `rg` {} | {} |",
        ms(cli_mean),
        rg_mean.map_or("n/a".into(), ms),
        ratio(cli_mean, rg_mean)
    );
    println!(
        "| `clipfile list --json` (every row) | {} | | |",
        ms(list_time)
    );
    println!("| `clipfile show ID --json` | {} | | |", ms(show_time));
    println!("| resident memory, `clipfile list --search` (peak) | {cli_rss:.0} MB | | |");
    println!("| resident memory, `clipfile list --json` (peak) | {list_rss:.0} MB | | |");
    println!(
        "| resident memory, this bench with the index open after searching | {rss_search:.0} MB | | |"
    );

    if let Some(keep) = keep {
        let _ = std::fs::remove_dir_all(keep);
        if std::fs::rename(&root, keep).is_ok() {
            println!("kept the library in {}", keep.display());
        }
    }
}
