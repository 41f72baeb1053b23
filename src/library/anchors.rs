//! Which clippings' highlights were last seen to hold in their text, kept in the cache folder
//! (never in the library folder, so sync tools never see it), so that opening a library
//! re-anchors only the clippings whose record or text changed since, or all of them after a
//! parser or anchoring change, instead of reading and parsing every text with highlights.
//!
//! An entry is `id record-stamp text-stamp` (hashes of each file's size, times and inode): "the
//! record on disk in that state holds its highlights in the text in that state". A missing,
//! damaged or older file is only a cache: every clipping with highlights is checked again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Bump when re-anchoring changes what it finds, so every clipping is checked again.
const ANCHOR_VERSION: u32 = 1;

/// Record and text stamps (see [`super::texts::TextStamp::hash`]) per clipping id.
pub(super) type Held = HashMap<String, (u64, u64)>;

fn header() -> String {
    format!(
        "clipfile-anchors {ANCHOR_VERSION} parser {}",
        crate::parse::PARSER_VERSION
    )
}

/// The file for the library in `root`, in the cache folder (`None`: no cache folder).
pub(super) fn path(root: &Path) -> Option<PathBuf> {
    super::cache_file(root, "anchors", "txt")
}

/// The entries of the file, or none when it is missing, damaged or of another version.
pub(super) fn load(path: &Path) -> Held {
    let Ok(text) = super::store::read_library_text(path, 64 * 1024 * 1024) else {
        return Held::new();
    };
    let mut lines = text.lines();
    if lines.next() != Some(header().as_str()) {
        return Held::new();
    }
    let mut held = Held::new();
    for line in lines {
        let mut parts = line.split(' ');
        let (Some(id), Some(ron), Some(txt), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Held::new();
        };
        let (Ok(ron), Ok(txt)) = (u64::from_str_radix(ron, 16), u64::from_str_radix(txt, 16))
        else {
            return Held::new();
        };
        if !super::is_id(id) {
            return Held::new();
        }
        held.insert(id.to_string(), (ron, txt));
    }
    held
}

/// Write the entries (atomically; a failure only means more checking at the next open).
pub(super) fn save(path: &Path, held: &Held) {
    let mut ids: Vec<&String> = held.keys().collect();
    ids.sort();
    let mut out = header();
    out.push('\n');
    for id in ids {
        let (ron, txt) = held[id];
        out.push_str(&format!("{id} {ron:016x} {txt:016x}\n"));
    }
    if let Some(dir) = path.parent()
        && std::fs::create_dir_all(dir).is_ok()
    {
        let _ = super::store::write_atomic(path, out.as_bytes(), false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_read_back_and_a_damaged_file_is_empty() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a").join("x.txt");
        let mut held = Held::new();
        held.insert("0123456789abcdef".into(), (1, u64::MAX));
        save(&path, &held);
        assert_eq!(load(&path), held);
        std::fs::write(&path, format!("{}\n0123456789abcdef zz 1\n", header())).expect("write");
        assert!(load(&path).is_empty());
        std::fs::write(&path, "clipfile-anchors 0 parser 0\n").expect("write");
        assert!(load(&path).is_empty());
    }
}
