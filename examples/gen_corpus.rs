//! Write N generated articles (the scale bench's generator) into a folder, to time an import
//! by hand: `cargo run --release --example gen_corpus -- DIR [N]`, then
//! `clipfile --library LIB import DIR` beside `cp -r DIR COPY && sync`.

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: gen_corpus DIR [N]");
        std::process::exit(2);
    };
    let n: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    if let Err(e) = clipfile::sample::write_corpus(std::path::Path::new(&dir), n, 1) {
        eprintln!("{dir}: {e}");
        std::process::exit(1);
    }
}
