//! Release-mode benchmark of the library at scale: generate N articles, then time import, open
//! and search, each beside its floor (`cp -r`, `cat`, `rg`) measured in the same run.
//!
//! `cargo bench --bench scale` (N = 10,000) or `cargo bench --bench scale -- 2000`.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clipfile::library::{Library, OpenMode};
use clipfile::search::{self, Query, SearchIndex};

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

fn main() {
    let count: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let tmp = tempfile::tempdir().expect("temp dir");
    let input = tmp.path().join("articles");
    let (_, gen_time) =
        time(|| clipfile::sample::write_corpus(&input, count, 1).expect("generate"));
    let bytes = dir_bytes(&input);
    println!(
        "generated {count} articles, {:.1} MB, in {}",
        bytes as f64 / 1e6,
        ms(gen_time)
    );
    let _ = shell(&format!("sync; cat {}/* > /dev/null", input.display()));

    // Import beside cp -r.
    let cp = shell(&format!(
        "cp -r {} {}",
        input.display(),
        tmp.path().join("copy").display()
    ));
    let root = tmp.path().join("library");
    // This machine's disk speed swings between runs, so `cp -r` is timed again after the
    // import and the faster copy is the floor (which makes the ratio larger, not smaller).
    let cp_again = || {
        shell(&format!(
            "cp -r {} {}",
            input.display(),
            tmp.path().join("copy2").display()
        ))
    };
    // The generated files and the copy are still dirty in the page cache; flush them so the
    // import's own syncs do not pay for them.
    let _ = shell("sync");
    let mut lib = Library::open(&root, OpenMode::ReadWrite).expect("open");
    let (summary, import_time) = time(|| {
        lib.import_blocking(vec![input.clone()], |_| {})
            .expect("import")
    });
    assert_eq!(summary.imported(), count, "every article imports");
    drop(lib);
    let _ = shell("sync");
    let cp_after = cp_again();
    let cp_both = format!(
        "{} before, {} after",
        cp.map_or("n/a".into(), ms),
        cp_after.map_or("n/a".into(), ms)
    );
    let cp = match (cp, cp_after) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };

    // Open beside cat over all library files.
    let _ = shell(&format!("cat {}/clippings/* > /dev/null", root.display()));
    let cat = shell(&format!("cat {}/clippings/* > /dev/null", root.display()));
    let (lib, open_time) = time(|| Library::open(&root, OpenMode::ReadWrite).expect("reopen"));
    assert_eq!(lib.len(), count);
    let rss = rss_mb();

    // Search beside rg -i -l -F over the same text files.
    let queries = [
        "kremlin",
        "railway",
        "ZZZ-no-match",
        "budget plan",
        "Okafor",
        "ceasefire along",
    ];
    // The app's search: the index is built once (on the app's second frame), then each query
    // scans it. Every query is timed after an unrelated one, so none narrows the one before.
    let mut index = SearchIndex::new();
    let (_, index_time) = time(|| index.refresh(&lib));
    let rss_with_index = rss_mb();
    let mut search_total = Duration::ZERO;
    let mut search_worst = Duration::ZERO;
    let mut hits = 0;
    for q in queries {
        for round in 0..5 {
            index.run(&lib, &Query::text("#"));
            let (found, t) = time(|| index.run(&lib, &Query::text(q)).len());
            if round == 0 {
                hits += found;
            }
            search_total += t;
            search_worst = search_worst.max(t);
        }
    }
    let search_mean = search_total / (5 * queries.len() as u32);
    // The plain search (no index), as the command line runs it.
    let mut plain_total = Duration::ZERO;
    for q in queries {
        let query = Query::text(q);
        let (_, t) = time(|| {
            search::run(
                lib.clippings()
                    .map(|c| (c, lib.text(&c.id).map(|t| &**t).unwrap_or(""))),
                &query,
            )
            .len()
        });
        plain_total += t;
    }
    let plain_mean = plain_total / queries.len() as u32;
    // Typing "ceasefire" a letter at a time: each query narrows the hits of the one before.
    let typed = "ceasefire";
    let (_, typing_time) = time(|| {
        for end in 1..=typed.len() {
            index.run(&lib, &Query::text(&typed[..end]));
        }
    });
    let per_key = typing_time / typed.len() as u32;
    // The first search after an edit: the index checks every entry, rebuilds the edited one.
    let mut lib = lib;
    let first_id = lib
        .clippings()
        .next()
        .map(|c| c.id.clone())
        .expect("a clipping");
    lib.update(&first_id, |c| c.notes = "Edited while searching".into())
        .expect("edit");
    let (_, after_edit) = time(|| index.run(&lib, &Query::text("kremlin")).len());
    // Story versions: the index of every clipping, built once after opening (in parallel; the
    // app does it on a background thread), then 100 new clippings imported and matched against
    // the index (LSH buckets), not against every clipping.
    let (mut versions, versions_time) = time(|| clipfile::versions::LibraryVersions::of(&lib));
    let version_groups = versions.index().groups().len();
    let more = tmp.path().join("more");
    clipfile::sample::write_corpus(&more, 100, 2).expect("generate more");
    let (more_summary, more_import) = time(|| {
        lib.import_blocking(vec![more.clone()], |_| {})
            .expect("import more")
    });
    let (_, more_versions) = time(|| {
        versions.refresh(&lib);
        versions.index().groups().len()
    });
    // How many clippings each new one was compared with (the index's candidates, itself aside).
    let compared: usize = more_summary
        .reports
        .iter()
        .filter_map(|r| match &r.outcome {
            clipfile::library::Outcome::Imported { id, .. } => Some(id.clone()),
            _ => None,
        })
        .filter_map(|id| {
            let entry = versions.index().entry(&id)?.clone();
            Some(versions.index().candidates(&entry).len().saturating_sub(1))
        })
        .sum();
    let rg = Command::new("rg")
        .arg("--version")
        .output()
        .ok()
        .and_then(|_| {
            let mut total = Duration::ZERO;
            for q in queries {
                // rg exits 1 when nothing matches: that is still a timed search.
                total += shell(&format!(
                    "rg -i -l -F '{q}' {}/clippings/ || true",
                    root.display()
                ))?;
            }
            Some(total / queries.len() as u32)
        });

    let ratio = |a: Duration, b: Option<Duration>| {
        b.map_or("n/a".to_string(), |b| {
            format!("{:.2}x", a.as_secs_f64() / b.as_secs_f64().max(1e-9))
        })
    };
    println!();
    println!("| measurement ({count} articles) | Clipfile | floor | ratio |");
    println!("| --- | --- | --- | --- |");
    println!(
        "| import (files/s: {:.0}) | {} | `cp -r` {} (faster of {cp_both}) | {} |",
        count as f64 / import_time.as_secs_f64(),
        ms(import_time),
        cp.map_or("n/a".into(), ms),
        ratio(import_time, cp)
    );
    println!(
        "| open library (warm cache) | {} | `cat` {} | {} |",
        ms(open_time),
        cat.map_or("n/a".into(), ms),
        ratio(open_time, cat)
    );
    println!(
        "| search, mean of {} queries x 5 ({hits} hits; slowest {}) | {} | `rg -i -l -F` {} | {} |",
        queries.len(),
        ms(search_worst),
        ms(search_mean),
        rg.map_or("not installed".into(), ms),
        ratio(search_mean, rg)
    );
    println!(
        "| search while typing, per key (\"{typed}\") | {} | | |",
        ms(per_key)
    );
    println!(
        "| search right after an edit (index brought up to date) | {} | | |",
        ms(after_edit)
    );
    println!(
        "| search index, built once after opening | {} | | |",
        ms(index_time)
    );
    println!(
        "| search without the index (command line) | {} | `rg` {} | {} |",
        ms(plain_mean),
        rg.map_or("n/a".into(), ms),
        ratio(plain_mean, rg)
    );
    println!(
        "| story versions: index of all {count}, built once after opening ({version_groups} groups) | {} | import {} | {} |",
        ms(versions_time),
        ms(import_time),
        ratio(versions_time, Some(import_time))
    );
    println!(
        "| story versions: {} new clippings matched against the index ({:.1} compared each) | {} | their import {} | {} |",
        more_summary.imported(),
        compared as f64 / more_summary.imported().max(1) as f64,
        ms(more_versions),
        ms(more_import),
        ratio(more_versions, Some(more_import))
    );
    println!("| resident memory, library open | {rss:.0} MB | | |");
    println!(
        "| resident memory, library open with the search index | {rss_with_index:.0} MB | | |"
    );
}
