//! The bench's six queries against a library's index, in process, each run several times
//! (ids in rank order with the first rows' snippets, as the app asks): for profiling the
//! search with `perf`.
//!
//! `cargo run --release --example search_probe -- LIBRARY [QUERY] [RUNS]` (the index in the
//! platform cache folder, or in `CLIPFILE_CACHE_DIR`; brought up to date first). With
//! `AS_APP` set in the environment, freed memory is given back at once, as the app does.

use std::time::Instant;

/// The rows with a snippet that the bench's window shows.
const FIRST_ROWS: usize = 12;
fn main() {
    if std::env::var_os("AS_APP").is_some() {
        clipfile::give_freed_memory_back();
    }
    let dir = std::env::args().nth(1).expect("dir");
    let only = std::env::args().nth(2);
    let reps: usize = std::env::args()
        .nth(3)
        .and_then(|s| s.parse().ok())
        .unwrap_or(7);
    let mut index = clipfile::index::Index::open(std::path::Path::new(&dir)).expect("index");
    let t = Instant::now();
    index.refresh().expect("refresh");
    println!("refresh {:?}", t.elapsed());
    let qs = [
        "railway",
        "\"ceasefire along the border\"",
        "headline:railway",
        "okafor date:2015-01..2015-06",
        "tanaka -railway",
        "lindq*",
    ];
    // A query of one's own is run alone; one of the bench's, alone too.
    let asked: Vec<&str> = match only.as_deref() {
        Some(q) => vec![q],
        None => qs.to_vec(),
    };
    for q in asked {
        let query = clipfile::query::parse(q).expect("q");
        let mut ts = Vec::new();
        let mut ss = Vec::new();
        let mut n = 0;
        for _ in 0..reps {
            let t = Instant::now();
            // With the snippets of the dozen rows a list shows, as the app's search asks.
            let (r, _) = index
                .search_ids_with_snippets(&query, FIRST_ROWS)
                .expect("s");
            n = r.ids.len();
            ts.push(t.elapsed().as_secs_f64() * 1000.0);
            // The snippets of 40 rows, as the app asks for rows scrolled to.
            let t = Instant::now();
            let first: Vec<usize> = (0..40.min(n)).collect();
            index.snippets_of(&r, &first).expect("snippets");
            ss.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        ts.truncate(10);
        let f = |ts: &[f64]| ts.iter().map(|t| format!("{t:.1}")).collect::<Vec<_>>();
        println!("{q}: {n} hits, {:?}, 40 snippets {:?}", f(&ts), f(&ss));
    }
}
