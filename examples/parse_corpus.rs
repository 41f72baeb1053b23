//! Parses the labelled corpus and the seed articles `N` times (first argument, default 1), for
//! profiling the parser under callgrind:
//!
//! `valgrind --tool=callgrind --toggle-collect=parse_corpus::timed
//! target/release/examples/parse_corpus 20`
//!
//! Prints the number of bytes parsed (not counting the warm-up pass); divide the instruction
//! count by it.

use std::hint::black_box;
use std::path::Path;

use clipfile::parse::parse_article;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    for dir in ["tests/corpus/articles", "seeds"] {
        let entries = std::fs::read_dir(root.join(dir)).expect("article directory");
        paths.extend(
            entries
                .map(|e| e.expect("directory entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt")),
        );
    }
    paths.sort();
    let texts: Vec<String> = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("read article"))
        .collect();
    let total: usize = texts.iter().map(String::len).sum();
    // One pass compiles the regexes; `--toggle-collect=parse_corpus::timed` then counts only
    // the parses after it.
    parse_all(&texts, 1);
    timed(&texts, n);
    println!("{} bytes x {n} = {}", total, total * n);
}

#[inline(never)]
fn timed(texts: &[String], n: usize) {
    parse_all(texts, n);
}

fn parse_all(texts: &[String], n: usize) {
    for _ in 0..n {
        for t in texts {
            black_box(parse_article(black_box(t)));
        }
    }
}
