//! Resident memory of a story-versions index over N clippings that share nothing (the index's
//! own cost: entries, LSH buckets, ids), for the README's memory figures.
//!
//! `cargo run --release --example versions_memory -- [N]`

#[path = "../benches/common/rss.rs"]
mod rss;
use rss::rss_mb;

fn main() {
    use clipfile::versions::{Entry, SIGNATURE_LEN, Signature, VersionIndex};
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    // As the app does.
    clipfile::give_freed_memory_back();
    let before = rss_mb();
    let mut index = VersionIndex::new();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in 0..n {
        let mut mins = [0u32; SIGNATURE_LEN];
        for m in &mut mins {
            // xorshift: values no two clippings share.
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *m = x as u32;
        }
        let entry = Entry {
            signature: Signature {
                mins,
                shingles: 500,
            },
            day: Some(16_000 + (i % 3000) as i64),
        };
        index.insert(&format!("{i:016x}"), entry);
    }
    println!(
        "{n} clippings: {:.0} MB ({:.0} bytes each)",
        rss_mb() - before,
        (rss_mb() - before) * 1048576.0 / n as f64
    );
}
