//! Damage a search index where opening it does not look: the page of its records table.

use std::path::{Path, PathBuf};

/// The index file (`*.sqlite`) in a cache folder's `index` folder.
pub fn index_file(cache: &Path) -> PathBuf {
    std::fs::read_dir(cache.join("index"))
        .expect("index folder")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "sqlite"))
        .expect("an index file")
}

/// Overwrite the root page of the `records` table with garbage: the file still opens and
/// its `meta` table still reads, but listing a clipping meets the damage.
pub fn damage_records(sqlite: &Path) {
    let (root, page_size): (i64, i64) = {
        let conn = rusqlite::Connection::open(sqlite).expect("open the index");
        let root = conn
            .query_row(
                "SELECT rootpage FROM sqlite_master WHERE name = 'records'",
                [],
                |r| r.get(0),
            )
            .expect("records table");
        let size = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .expect("page size");
        (root, size)
    };
    let mut bytes = std::fs::read(sqlite).expect("read the index");
    let at = usize::try_from((root - 1) * page_size).expect("offset");
    let len = usize::try_from(page_size).expect("page size");
    bytes[at..at + len].fill(0x5a);
    std::fs::write(sqlite, bytes).expect("write the index");
}
