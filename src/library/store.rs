//! Atomic file writes and RON reading/writing with format-version checks.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::model::FORMAT_VERSION;

/// Suffix of the temporary files that atomic writes rename into place.
pub const TEMP_SUFFIX: &str = ".clipfile-tmp";

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Write `bytes` to `path` so that a reader sees either the old file or the whole new one, never
/// a part: write a temporary file in the same folder, fsync it, rename it over `path`, and (when
/// `sync_dir`) fsync the folder so the rename itself is durable.
pub fn write_atomic(path: &Path, bytes: &[u8], sync_dir: bool) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(
        ".{name}.{}.{}{TEMP_SUFFIX}",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)
    })();
    if let Err(err) = result {
        let _ = fs::remove_file(&tmp);
        return Err(err);
    }
    if sync_dir {
        sync_dir_of(path)?;
    }
    Ok(())
}

/// Fsync the folder holding `path`, making renames and removals in it durable.
pub fn sync_dir_of(path: &Path) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    File::open(dir)?.sync_all()
}

/// Remove temporary files left behind by a write that was interrupted (a crash or a kill).
/// Returns how many were removed.
pub fn remove_stale_temps(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(TEMP_SUFFIX))
        .filter(|e| fs::remove_file(e.path()).is_ok())
        .count()
}

/// Serialize a value as pretty RON.
pub fn to_ron<T: Serialize>(value: &T) -> Result<String, ron::Error> {
    let config = ron::ser::PrettyConfig::new()
        .depth_limit(8)
        .struct_names(true)
        .separate_tuple_members(false);
    ron::ser::to_string_pretty(value, config)
}

/// Why a RON file was not loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RonError {
    #[error("cannot read it: {0}")]
    Io(String),
    #[error(
        "it was written by a newer Clipfile (format {found}, this one reads up to {FORMAT_VERSION})"
    )]
    NewerFormat { found: u32 },
    #[error("it is not valid: {0}")]
    Invalid(String),
}

/// The format number a Clipfile RON file declares: its first `format:` field, which every file
/// written by any version puts first. Read from the text so that a newer file whose shape this
/// version does not know is still recognised as newer.
fn declared_format(text: &str) -> Option<u32> {
    let end = (0..=text.len().min(512))
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let head = &text[..end];
    let at = head.find("format:")?;
    let digits: String = head[at + "format:".len()..]
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Read a RON file of type `T`, first checking its format version.
pub fn read_ron<T: DeserializeOwned>(path: &Path) -> Result<T, RonError> {
    let text = fs::read_to_string(path).map_err(|e| RonError::Io(e.to_string()))?;
    parse_ron(&text)
}

/// Parse RON text of type `T`, telling a newer format apart from a damaged file.
pub fn parse_ron<T: DeserializeOwned>(text: &str) -> Result<T, RonError> {
    let options = ron::Options::default();
    if let Some(found) = declared_format(text)
        && found > FORMAT_VERSION
    {
        return Err(RonError::NewerFormat { found });
    }
    options.from_str::<T>(text).map_err(|e| {
        let mut msg = e.to_string();
        msg.truncate(300);
        RonError::Invalid(msg)
    })
}

/// The path with `.ron` replaced by another extension.
pub fn sibling(path: &Path, ext: &str) -> PathBuf {
    path.with_extension(ext)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, serde::Deserialize)]
    struct Thing {
        format: u32,
        name: String,
    }

    #[test]
    fn atomic_write_replaces_whole_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.ron");
        write_atomic(&path, b"one", true).expect("write");
        write_atomic(&path, b"two", true).expect("write");
        assert_eq!(fs::read(&path).expect("read"), b"two");
        assert_eq!(fs::read_dir(dir.path()).expect("dir").count(), 1);
    }

    #[test]
    fn stale_temps_are_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join(format!(".x.ron.1.2{TEMP_SUFFIX}")), "half").expect("w");
        fs::write(dir.path().join("keep.ron"), "whole").expect("w");
        assert_eq!(remove_stale_temps(dir.path()), 1);
        assert!(dir.path().join("keep.ron").exists());
    }

    #[test]
    fn ron_round_trip_and_version_check() {
        let t = Thing {
            format: FORMAT_VERSION,
            name: "x".into(),
        };
        let text = to_ron(&t).expect("ser");
        assert_eq!(parse_ron::<Thing>(&text).expect("de"), t);
        let newer = text.replace(
            &format!("format: {FORMAT_VERSION}"),
            &format!("format: {}", FORMAT_VERSION + 1),
        );
        assert_eq!(
            parse_ron::<Thing>(&newer),
            Err(RonError::NewerFormat {
                found: FORMAT_VERSION + 1
            })
        );
        assert!(matches!(
            parse_ron::<Thing>("Thing(format: 1, name: "),
            Err(RonError::Invalid(_))
        ));
    }
}
