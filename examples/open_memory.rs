//! Resident memory of an open library: `cargo run --example open_memory -- LIBRARY_DIR [facets]
//! [versions] [rw]`. Prints VmRSS after opening the library, then after building the quote facets
//! and the story-version index when asked (two per-clipping caches the app keeps; the
//! versions of `clipfile gen-corpus` articles are slow to build: its texts all look alike),
//! then the peak (VmHWM).

use clipfile::library::{Library, OpenMode};

fn status(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .map(|l| l[field.len()..].trim().to_string())
        .unwrap_or_else(|| "?".into())
}

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: open_memory LIBRARY_DIR");
        std::process::exit(2);
    };
    println!("before open: VmRSS {}", status("VmRSS:"));
    let started = std::time::Instant::now();
    // `rw`: open for writing, as the app does (the lock taken, stale temporaries removed).
    let mode = if std::env::args().skip(2).any(|a| a == "rw") {
        OpenMode::ReadWrite
    } else {
        OpenMode::ReadOnly
    };
    let lib = match Library::open(&dir, mode) {
        Ok(lib) => lib,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    println!(
        "open: {} clippings in {:.2} s, VmRSS {}",
        lib.len(),
        started.elapsed().as_secs_f64(),
        status("VmRSS:")
    );
    let asked = |what: &str| std::env::args().skip(2).any(|a| a == what);
    let mut facets = clipfile::quotes::FacetIndex::new();
    if asked("facets") {
        let started = std::time::Instant::now();
        facets.refresh(&lib);
        println!(
            "facets built in {:.2} s: VmRSS {}",
            started.elapsed().as_secs_f64(),
            status("VmRSS:")
        );
    }
    let mut versions = clipfile::versions::LibraryVersions::new();
    if asked("versions") {
        let started = std::time::Instant::now();
        versions.refresh(&lib);
        println!(
            "versions built in {:.2} s: VmRSS {}",
            started.elapsed().as_secs_f64(),
            status("VmRSS:")
        );
    }
    println!("peak: VmHWM {}", status("VmHWM:"));
    drop((versions, facets, lib));
}
