//! Release-mode benchmark of story versions and quote facets at scale, over a news-like
//! generated corpus with known versions (`benches/common/news.rs`): import with and without
//! grouping the clippings as they arrive, the candidates LSH leaves per new clipping, grouping
//! quality against the generated truth, and the speaker/people/place facet cache (build,
//! update, `speaker:` search).
//!
//! `cargo bench --bench versions` (N = 10,000) or `cargo bench --bench versions -- --count
//! 100000`. Generated libraries go under `$CLIPFILE_BENCH_DIR` (default
//! `/work/scratch/versions`) and are deleted at the end.

#[path = "common/news.rs"]
mod news;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use clipfile::library::{ImportMsg, Library, OpenMode, Outcome};
use clipfile::quotes::FacetIndex;
use clipfile::search::Query;
use clipfile::versions::LibraryVersions;

fn time<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed())
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn sync() {
    let _ = Command::new("sync").status();
}

/// How many arrivals the grouping takes at a time (the import's own chunk size; the app takes
/// what arrived each frame).
const ARRIVAL_BATCH: usize = 256;

/// Import `input` into `lib`; when `versions` is given, bring it up to date as the clippings
/// arrive. Returns the summary's reports, the wall time and the time spent grouping.
fn import(
    lib: &mut Library,
    input: &Path,
    mut versions: Option<&mut LibraryVersions>,
) -> (Vec<clipfile::library::FileReport>, Duration, Duration) {
    let start = Instant::now();
    let mut grouping = Duration::ZERO;
    let job = lib.start_import(vec![input.to_path_buf()]).expect("import");
    let mut reports = Vec::new();
    let mut since = 0;
    while let Ok(msg) = job.recv() {
        lib.accept(&msg);
        let done = match msg {
            ImportMsg::File { report, .. } => {
                reports.push(report);
                since += 1;
                false
            }
            ImportMsg::Done { .. } => true,
        };
        if let Some(v) = versions.as_deref_mut()
            && (since >= ARRIVAL_BATCH || done)
        {
            let t = Instant::now();
            v.refresh(lib);
            grouping += t.elapsed();
            since = 0;
        }
        if done {
            break;
        }
    }
    (reports, start.elapsed(), grouping)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let count: usize = args
        .iter()
        .position(|a| a == "--count")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(10_000);
    let base = std::env::var_os("CLIPFILE_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/scratch/versions"));
    let root = base.join(format!("run-{count}"));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).expect("bench folder");

    // The corpus, and 1% more (at least 100) arriving later into the full library.
    let lex = news::Lexicon::new(7);
    let (clips, gen_time) = time(|| news::generate(count, 7, &lex));
    let extra_count = (count / 100).max(100);
    let extra: Vec<news::Clip> = news::generate(extra_count, 8, &lex)
        .into_iter()
        .map(|mut c| {
            c.name = format!("later_{}", c.name);
            c
        })
        .collect();
    let input = root.join("articles");
    let later = root.join("later");
    news::write(&input, &clips).expect("write corpus");
    news::write(&later, &extra).expect("write more");
    let mb = clips.iter().map(|c| c.text.len()).sum::<usize>() as f64 / 1e6;
    let stories: std::collections::HashSet<u32> = clips.iter().map(|c| c.truth.story).collect();
    let events: std::collections::HashSet<u32> = clips.iter().map(|c| c.truth.event).collect();
    println!(
        "generated {count} clippings ({mb:.0} MB): {} stories, {} events, in {}",
        stories.len(),
        events.len(),
        ms(gen_time)
    );
    sync();

    // 1. Import without grouping. This disk's speed at creating files swings between runs
    // (see the README), so it is timed twice, before and after the grouped import, and the
    // faster is the one compared with (which makes the share grouping adds larger, not smaller).
    let mut plain = Library::open(root.join("plain"), OpenMode::ReadWrite).expect("open");
    let (_, plain_first, _) = import(&mut plain, &input, None);
    assert_eq!(plain.len(), count, "every clipping imports");
    sync();

    // 2. Import with the grouping brought up to date as clippings arrive.
    let mut lib = Library::open(root.join("grouped"), OpenMode::ReadWrite).expect("open");
    let mut versions = LibraryVersions::new();
    let (reports, grouped_time, grouping) = import(&mut lib, &input, Some(&mut versions));
    assert_eq!(lib.len(), count);
    let (inserts, compared) = versions.index().comparisons();
    sync();
    let mut again = Library::open(root.join("plain2"), OpenMode::ReadWrite).expect("open");
    let (_, plain_second, _) = import(&mut again, &input, None);
    drop(again);
    let plain_time = plain_first.min(plain_second);
    sync();

    // 3. The whole-library pass (a first build after opening), for comparison.
    let (mut whole, whole_time) = time(|| LibraryVersions::of(&plain));
    let whole_groups = whole.index().groups().len();

    // Quality against the truth.
    let by_name: HashMap<&str, usize> = clips
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name.as_str(), i))
        .collect();
    let index_of: HashMap<String, usize> = reports
        .iter()
        .filter_map(|r| match &r.outcome {
            Outcome::Imported { id, .. } => {
                let name = r.path.file_name()?.to_str()?;
                Some((id.clone(), *by_name.get(name)?))
            }
            _ => None,
        })
        .collect();
    let groups: Vec<Vec<usize>> = versions
        .index()
        .groups()
        .iter()
        .map(|g| {
            g.iter()
                .filter_map(|id| index_of.get(id).copied())
                .collect()
        })
        .collect();
    let truth: Vec<news::Truth> = clips.iter().map(|c| c.truth).collect();
    let score = news::score(&groups, &truth);
    let dated = lib
        .clippings()
        .filter(|c| c.field(clipfile::model::Field::Published).is_some())
        .count();
    let same_groups = whole.index().groups() == versions.index().groups();

    // 4. Facets: built once, then kept up to date.
    let mut facet_index = FacetIndex::new();
    let (_, facet_build) = time(|| facet_index.refresh(&lib));
    let facets = facet_index.facets();
    let top_speaker = facets.speakers.first().cloned();
    let (speakers, people, places) = (
        facets.speakers.len(),
        facets.people.len(),
        facets.places.len(),
    );

    // 5. 1% more clippings arrive into the full library.
    let (_, inserts_before_compared) = versions.index().comparisons();
    let inserts_before = versions.index().comparisons().0;
    let (_, later_time, later_grouping) = import(&mut lib, &later, Some(&mut versions));
    let (inserts_after, compared_after) = versions.index().comparisons();
    let later_n = inserts_after - inserts_before;
    let later_compared = compared_after - inserts_before_compared;
    let (_, facet_after_import) = time(|| facet_index.refresh(&lib));
    // Edits that do not touch what the facets read (notes), then 100 trashed.
    let ids: Vec<String> = lib.clippings().take(200).map(|c| c.id.clone()).collect();
    for id in &ids[..100] {
        lib.update(id, |c| c.notes = "read".into()).expect("edit");
    }
    let (_, facet_after_edit) = time(|| facet_index.refresh(&lib));
    for id in &ids[100..] {
        lib.trash(id).expect("trash");
    }
    let (_, facet_after_trash) = time(|| facet_index.refresh(&lib));
    let (_, versions_after_trash) = time(|| versions.refresh(&lib));

    // 6. The speaker filter: with the cache, and reading every text.
    let q = Query {
        speaker: top_speaker.as_ref().map(|(n, _)| n.clone()),
        ..Default::default()
    };
    facet_index.refresh(&lib);
    let filter = |cached: bool| {
        lib.clippings()
            .filter(|c| {
                let m = if cached {
                    facet_index.mentions(&c.id)
                } else {
                    None
                };
                q.passes(c, || lib.text(&c.id).ok(), m)
            })
            .count()
    };
    let (hits, cached_search) = time(|| filter(true));
    let (plain_hits, plain_search) = time(|| filter(false));
    assert_eq!(
        hits, plain_hits,
        "the cache finds what reading the texts finds"
    );

    let pct = |a: Duration, b: Duration| 100.0 * a.as_secs_f64() / b.as_secs_f64().max(1e-9);
    println!();
    println!("| measurement ({count} clippings) | time | note |");
    println!("| --- | --- | --- |");
    println!(
        "| import without grouping | {} | {:.0} files/s (faster of {} and {}) |",
        ms(plain_time),
        count as f64 / plain_time.as_secs_f64(),
        ms(plain_first),
        ms(plain_second)
    );
    println!(
        "| import, grouping as clippings arrive (every {ARRIVAL_BATCH}) | {} | wall time {:+.1}% against the import without |",
        ms(grouped_time),
        pct(grouped_time, plain_time) - 100.0
    );
    println!(
        "| grouping within that import (signatures + LSH inserts) | {} | **{:.1}%** of the import without grouping |",
        ms(grouping),
        pct(grouping, plain_time)
    );
    println!(
        "| candidates per new clipping (sharing an LSH band) | {:.2} | {inserts} inserts, {compared} comparisons |",
        compared as f64 / inserts.max(1) as f64
    );
    println!(
        "| whole-library pass (first build after opening, {whole_groups} groups) | {} | same groups as the incremental: {same_groups} |",
        ms(whole_time)
    );
    println!(
        "| {later_n} more clippings into the full library | import {} | grouping {} ({:.1}%), {:.2} candidates each |",
        ms(later_time),
        ms(later_grouping),
        pct(later_grouping, later_time),
        later_compared as f64 / later_n.max(1) as f64
    );
    println!(
        "| grouping quality (pairs) | precision {:.4}, recall {:.4} | {} pairs right, {} wrong ({} of them different stories on one event, of {} such pairs), {} missed; {} groups; {:.0}% dated |",
        score.precision(),
        score.recall(),
        score.true_pairs,
        score.false_pairs,
        score.same_event_false,
        score.same_event_pairs,
        score.missed_pairs,
        groups.len(),
        100.0 * dated as f64 / count as f64
    );
    println!(
        "| facet cache, built (every clipping's quotes and mentions) | {} | {speakers} speakers, {people} people, {places} places |",
        ms(facet_build)
    );
    println!(
        "| facet cache after {later_n} new clippings | {} | |",
        ms(facet_after_import)
    );
    println!(
        "| facet cache after 100 note edits (nothing to extract) | {} | |",
        ms(facet_after_edit)
    );
    println!(
        "| facet cache after 100 clippings trashed | {} | versions: {} |",
        ms(facet_after_trash),
        ms(versions_after_trash)
    );
    println!(
        "| speaker filter \"{}\", cached ({hits} hits) | {} | reading every text: {} |",
        q.speaker.as_deref().unwrap_or("nobody"),
        ms(cached_search),
        ms(plain_search)
    );

    drop(lib);
    drop(plain);
    let _ = std::fs::remove_dir_all(&root);
}
