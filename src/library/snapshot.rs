//! A snapshot of the library's records kept in the cache folder (never in the library folder,
//! so sync tools never see it), so that opening a large library parses only the records whose
//! file changed since the last open instead of every RON file.
//!
//! A line is `id record-stamp json`: "the record file in that state (a hash of its size, times
//! and inode, [`super::texts::TextStamp::hash`]) reads as this clipping". The RON files stay
//! the only source of truth: a record whose file is in another state, or that the snapshot does
//! not hold, is read from its file, and a missing, damaged or older snapshot only means every
//! record is read. A file changed in the last [`RACY_NS`] before the snapshot was written is
//! left out of it (a second change within the file system's time resolution could keep the
//! same stamp).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::RACY_NS;
use crate::model::Clipping;

/// Bump when the snapshot's shape or the meaning of its stamps changes.
const SNAPSHOT_VERSION: u32 = 1;

/// The largest snapshot read (a record is a few kilobytes: this is far past a million).
const MAX_SNAPSHOT_BYTES: u64 = 8 << 30;

fn header() -> String {
    format!(
        "clipfile-records {SNAPSHOT_VERSION} format {} parser {}",
        crate::model::FORMAT_VERSION,
        crate::parse::PARSER_VERSION
    )
}

/// The file for the library in `root`, in the cache folder (`None`: no cache folder).
pub(super) fn path(root: &Path) -> Option<PathBuf> {
    super::cache_file(root, "records", "jsonl")
}

/// A snapshot as read from its file: the text, and where each record's line is in it.
#[derive(Default)]
pub(super) struct Snapshot {
    text: String,
    /// Per id: the record stamp, and the byte range of the clipping's JSON in `text`.
    entries: HashMap<String, (u64, usize, usize)>,
}

impl Snapshot {
    /// The snapshot in `path`, or an empty one when it is missing, damaged or of another
    /// version.
    pub(super) fn load(path: &Path) -> Snapshot {
        let Ok(text) = super::store::read_library_text(path, MAX_SNAPSHOT_BYTES) else {
            return Snapshot::default();
        };
        let Some(entries) = entries_of(&text) else {
            return Snapshot::default();
        };
        Snapshot { text, entries }
    }

    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The JSON of `id`'s record when the snapshot holds it in the state `stamp`.
    pub(super) fn line(&self, id: &str, stamp: u64) -> Option<&str> {
        let &(held, start, end) = self.entries.get(id)?;
        (held == stamp).then(|| &self.text[start..end])
    }

    /// `id`'s record, when the snapshot holds it in the state `stamp` and it reads as a
    /// clipping of that id.
    pub(super) fn clipping(&self, id: &str, stamp: u64) -> Option<Clipping> {
        let clipping: Clipping = serde_json::from_str(self.line(id, stamp)?).ok()?;
        (clipping.id == id && clipping.format <= crate::model::FORMAT_VERSION).then_some(clipping)
    }
}

/// The entries of a snapshot's text, or `None` when it is not one of this version.
fn entries_of(text: &str) -> Option<HashMap<String, (u64, usize, usize)>> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next()?;
    if first.trim_end_matches('\n') != header() {
        return None;
    }
    let mut entries = HashMap::new();
    let mut at = first.len();
    for line in lines {
        let start = at;
        at += line.len();
        let body = line.strip_suffix('\n')?;
        let mut parts = body.splitn(3, ' ');
        let (Some(id), Some(stamp), Some(json)) = (parts.next(), parts.next(), parts.next()) else {
            return None;
        };
        let stamp = u64::from_str_radix(stamp, 16).ok()?;
        if !super::is_id(id) || !json.starts_with('{') {
            return None;
        }
        // The JSON is the end of the line.
        let json_start = start + body.len() - json.len();
        entries.insert(id.to_string(), (stamp, json_start, json_start + json.len()));
    }
    Some(entries)
}

/// One record for the next snapshot: its id, stamp, when its file last changed, and its JSON
/// (made anew, or the line of the snapshot it was read from).
pub(super) struct Entry {
    pub id: String,
    pub stamp: u64,
    pub ctime_ns: i128,
    pub json: Json,
}

/// A record's JSON: new, or the byte range of its line in the old snapshot's text.
pub(super) enum Json {
    New(String),
    Old(usize, usize),
}

impl Snapshot {
    /// Where `id`'s JSON is in this snapshot's text, for [`Json::Old`].
    pub(super) fn range(&self, id: &str) -> Option<(usize, usize)> {
        self.entries.get(id).map(|&(_, s, e)| (s, e))
    }
}

/// Write the snapshot of `entries` (atomically; a failure only means more parsing at the next
/// open), leaving out records changed within [`RACY_NS`] of `now_ns`. `old` is the snapshot
/// the [`Json::Old`] ranges point into.
pub(super) fn save(path: &Path, old: &Snapshot, entries: &[Entry], now_ns: i128) {
    // Written line by line as the file fills: made whole in memory first, the snapshot of
    // 100,000 clippings held over 100 MB beside the old one's text while the app opened.
    let write = |file: &mut std::fs::File| -> std::io::Result<()> {
        use std::io::Write;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        writeln!(out, "{}", header())?;
        for e in entries {
            if e.ctime_ns > now_ns - RACY_NS {
                continue;
            }
            let json = match &e.json {
                Json::New(s) => s.as_str(),
                Json::Old(start, end) => match old.text.get(*start..*end) {
                    Some(s) => s,
                    None => continue,
                },
            };
            // A line of JSON never holds a newline: serde_json escapes them in strings.
            if json.contains('\n') {
                continue;
            }
            writeln!(out, "{} {:016x} {json}", e.id, e.stamp)?;
        }
        out.flush()
    };
    if let Some(dir) = path.parent()
        && std::fs::create_dir_all(dir).is_ok()
    {
        // A process that ended while writing this snapshot left its temporary file. Other
        // processes write into this folder without a lock: only old temporaries are removed.
        super::store::remove_old_temps_of(path, std::time::Duration::from_secs(600));
        let _ = super::store::write_atomic_with(path, false, write);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::now_ns;

    fn clipping(id: &str) -> Clipping {
        let text = "Rail Strike Ends\n\nBy Ann Example\n\nLONDON (AP) — The trains ran again.";
        Clipping {
            format: crate::model::FORMAT_VERSION,
            id: id.into(),
            source_name: "strike.txt".into(),
            encoding: "UTF-8".into(),
            imported: "2026-01-01T00:00:00Z".into(),
            parser_version: crate::parse::PARSER_VERSION,
            parsed: super::super::stored_metadata(text),
            overrides: Default::default(),
            tags: vec!["labour/rail".into()],
            notes: "a note\nover two lines, with \"quotes\"".into(),
            highlights: Vec::new(),
            source: None,
        }
    }

    #[test]
    fn records_read_back_only_in_the_state_they_were_saved_in() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("records").join("x.jsonl");
        let a = clipping("0123456789abcdef");
        let b = clipping("fedcba9876543210");
        let entries = vec![
            Entry {
                id: a.id.clone(),
                stamp: 7,
                ctime_ns: 0,
                json: Json::New(serde_json::to_string(&a).expect("json")),
            },
            Entry {
                id: b.id.clone(),
                stamp: 9,
                ctime_ns: 0,
                json: Json::New(serde_json::to_string(&b).expect("json")),
            },
        ];
        save(&path, &Snapshot::default(), &entries, now_ns());
        let snap = Snapshot::load(&path);
        assert_eq!(snap.len(), 2);
        assert_eq!(snap.clipping(&a.id, 7), Some(a.clone()));
        assert_eq!(snap.clipping(&b.id, 9), Some(b.clone()));
        // Another state of the file, or an id it does not hold: read the file instead.
        assert_eq!(snap.clipping(&a.id, 8), None);
        assert_eq!(snap.clipping("0000000000000000", 7), None);

        // Saved again from itself, one record kept as its old line: the same records.
        let (s, e) = snap.range(&a.id).expect("range");
        let again = vec![Entry {
            id: a.id.clone(),
            stamp: 7,
            ctime_ns: 0,
            json: Json::Old(s, e),
        }];
        save(&path, &snap, &again, now_ns());
        let snap = Snapshot::load(&path);
        assert_eq!(snap.len(), 1);
        assert_eq!(snap.clipping(&a.id, 7), Some(a));
    }

    #[test]
    fn a_record_changed_just_now_is_left_out() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.jsonl");
        let a = clipping("0123456789abcdef");
        let now = now_ns();
        let entries = vec![Entry {
            id: a.id.clone(),
            stamp: 7,
            ctime_ns: now - 1_000,
            json: Json::New(serde_json::to_string(&a).expect("json")),
        }];
        save(&path, &Snapshot::default(), &entries, now);
        assert_eq!(Snapshot::load(&path).len(), 0);
    }

    #[test]
    fn a_damaged_or_older_snapshot_is_empty() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.jsonl");
        for text in [
            format!("{}\n0123456789abcdef zz {{}}\n", header()),
            format!("{}\nnot-an-id 07 {{}}\n", header()),
            format!("{}\n0123456789abcdef 07 {{}}", header()),
            "clipfile-records 0 format 0 parser 0\n".to_string(),
            String::new(),
        ] {
            std::fs::write(&path, text).expect("write");
            assert_eq!(Snapshot::load(&path).len(), 0);
        }
        // A line whose JSON is not a clipping is not used.
        std::fs::write(&path, format!("{}\n0123456789abcdef 07 {{}}\n", header())).expect("write");
        let snap = Snapshot::load(&path);
        assert_eq!(snap.len(), 1);
        assert_eq!(snap.clipping("0123456789abcdef", 7), None);
    }
}
