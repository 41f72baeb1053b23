//! Parser throughput: the labelled corpus with the seed, a 5 MB single-line file and a 5 MB file
//! of 100,000 short lines.
//!
//! `cargo bench --bench parse -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;
use std::path::Path;

use clipfile::parse::parse_article;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const FIVE_MB: usize = 5 * 1024 * 1024;

fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<_> = std::fs::read_dir(root.join("tests/corpus/articles"))
        .expect("corpus directory")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths.push(root.join("seeds/000_41805ab46882eb0b.txt"));
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("read article"))
        .collect()
}

/// About 5 MB of article prose on one line.
fn single_line(texts: &[String]) -> String {
    let words: Vec<&str> = texts.iter().flat_map(|t| t.split_whitespace()).collect();
    let mut s = String::with_capacity(FIVE_MB + 64);
    for w in words.iter().cycle() {
        if s.len() >= FIVE_MB {
            break;
        }
        s.push_str(w);
        s.push(' ');
    }
    s
}

/// 100,000 short lines of about 50 bytes each (5 MB), taken from article words.
fn short_lines(texts: &[String]) -> String {
    let words: Vec<&str> = texts.iter().flat_map(|t| t.split_whitespace()).collect();
    let mut s = String::with_capacity(FIVE_MB + 64);
    let mut it = words.iter().cycle();
    for _ in 0..100_000 {
        let start = s.len();
        while s.len() - start < 45 {
            if let Some(w) = it.next() {
                s.push_str(w);
                s.push(' ');
            }
        }
        s.pop();
        s.push('\n');
    }
    s
}

fn bench(c: &mut Criterion) {
    let texts = corpus();
    let total: usize = texts.iter().map(String::len).sum();
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Bytes(total as u64));
    g.bench_function("corpus_and_seed", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(parse_article(black_box(t)));
            }
        })
    });

    let one = single_line(&texts);
    g.throughput(Throughput::Bytes(one.len() as u64));
    g.sample_size(10);
    g.bench_function("5mb_single_line", |b| {
        b.iter(|| black_box(parse_article(black_box(&one))))
    });

    let many = short_lines(&texts);
    g.throughput(Throughput::Bytes(many.len() as u64));
    g.bench_function("5mb_100k_short_lines", |b| {
        b.iter(|| black_box(parse_article(black_box(&many))))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
