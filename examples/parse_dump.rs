//! Prints the parse of every corpus and seed article, and of many texts derived from them
//! (single lines, pairs of lines, shuffled, re-wrapped, upper- and lower-cased, concatenated),
//! one JSON line per text. Two parser versions give the same output when the files are equal:
//!
//! `cargo run --release --example parse_dump > before.jsonl`

use std::io::Write;
use std::path::Path;

use clipfile::parse::parse_article;

/// A small deterministic generator, so every run derives the same texts.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n.max(1) as u64) as usize
    }
}

fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    for para in text.split("\n\n") {
        let mut col = 0;
        for w in para.split_whitespace() {
            if col > 0 && col + 1 + w.len() > width {
                out.push('\n');
                col = 0;
            } else if col > 0 {
                out.push(' ');
                col += 1;
            }
            out.push_str(w);
            col += w.len();
        }
        out.push_str("\n\n");
    }
    out
}

fn main() {
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

    let mut inputs: Vec<String> = Vec::new();
    let mut rng = Lcg(42);
    for t in &texts {
        inputs.push(t.clone());
        let lines: Vec<&str> = t.lines().collect();
        for k in 0..lines.len() {
            inputs.push(lines[k].to_string());
            inputs.push(lines[k..].join("\n"));
            if k + 1 < lines.len() {
                inputs.push(format!("{}\n{}", lines[k], lines[k + 1]));
                inputs.push(format!("{}\n\n{}", lines[k], lines[k + 1]));
            }
        }
        for _ in 0..8 {
            let mut l = lines.clone();
            for i in (1..l.len()).rev() {
                l.swap(i, rng.next(i + 1));
            }
            inputs.push(l.join("\n"));
        }
        inputs.push(t.to_uppercase());
        inputs.push(t.to_lowercase());
        inputs.push(t.replace('\n', "\r\n"));
        inputs.push(t.replace("\n\n", "\n"));
        inputs.push(t.replace(' ', "  "));
        inputs.push(t.replace(' ', "\u{a0}"));
        for width in [40, 72, 100] {
            inputs.push(wrap(t, width));
        }
    }
    inputs.push(texts.concat());
    inputs.push(texts.join("\n\n"));
    let words: Vec<&str> = texts.iter().flat_map(|t| t.split_whitespace()).collect();
    inputs.push(words.join(" "));
    let mut short = String::new();
    for chunk in words.chunks(7) {
        short.push_str(&chunk.join(" "));
        short.push('\n');
    }
    inputs.push(short);

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for (i, t) in inputs.iter().enumerate() {
        let m = parse_article(t);
        let json = serde_json::to_string(&m).expect("metadata serializes");
        writeln!(out, "{i}\t{json}").expect("write");
    }
}
