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
    let tmp = write_temp(path, bytes, true)?;
    if let Err(err) = fs::rename(&tmp, path) {
        let _ = fs::remove_file(&tmp);
        return Err(err);
    }
    if sync_dir {
        sync_dir_of(path)?;
    }
    Ok(())
}

/// The first half of an atomic write: the bytes in a new temporary file beside `path`
/// (fsynced when `sync` is true). Returns the temporary file's path.
pub fn write_temp(path: &Path, bytes: &[u8], sync: bool) -> io::Result<PathBuf> {
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
        if sync {
            file.sync_all()?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => Ok(tmp),
        Err(err) => {
            let _ = fs::remove_file(&tmp);
            Err(err)
        }
    }
}

/// Many atomic writes made durable together: each file is first written to a temporary file;
/// [`Batch::commit`] makes all of them durable with one file-system sync, then renames each into
/// place and syncs the folder. Until then no final file changes. Much faster than one fsync per
/// file when importing thousands of files.
#[derive(Debug, Default)]
pub struct Batch {
    staged: Vec<(PathBuf, PathBuf)>,
}

impl Batch {
    /// Stage `bytes` for `path`.
    pub fn stage(&mut self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        let tmp = write_temp(path, bytes, false)?;
        self.staged.push((tmp, path.to_path_buf()));
        Ok(())
    }

    pub fn extend(&mut self, other: Batch) {
        self.staged.extend(other.staged);
    }

    /// Sync everything staged, rename it into place in staging order, sync the folders.
    pub fn commit(self) -> io::Result<()> {
        if self.staged.is_empty() {
            return Ok(());
        }
        let sync = sync_files(&self.staged);
        if let Err(err) = sync {
            self.discard();
            return Err(err);
        }
        let mut dirs: Vec<PathBuf> = Vec::new();
        for (tmp, path) in &self.staged {
            if let Err(err) = fs::rename(tmp, path) {
                for (tmp, _) in &self.staged {
                    let _ = fs::remove_file(tmp);
                }
                return Err(err);
            }
            if let Some(dir) = path.parent()
                && !dirs.iter().any(|d| d == dir)
            {
                dirs.push(dir.to_path_buf());
            }
        }
        for dir in dirs {
            File::open(&dir)?.sync_all()?;
        }
        Ok(())
    }

    /// Remove the temporary files; no final file was touched.
    pub fn discard(self) {
        for (tmp, _) in self.staged {
            let _ = fs::remove_file(tmp);
        }
    }
}

/// Make the staged temporary files durable: one `syncfs` of their file system on Linux, an
/// fsync per file elsewhere.
fn sync_files(staged: &[(PathBuf, PathBuf)]) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        if let Some((tmp, _)) = staged.first() {
            let file = File::open(tmp)?;
            // SAFETY: syncfs takes a valid open file descriptor, which `file` holds.
            if unsafe { libc::syncfs(file.as_raw_fd()) } == 0 {
                return Ok(());
            }
        }
    }
    for (tmp, _) in staged {
        File::open(tmp)?.sync_all()?;
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
    fn a_batch_changes_nothing_until_commit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let a = dir.path().join("a.txt");
        let b = dir.path().join("b.txt");
        fs::write(&a, "old").expect("w");
        let mut batch = Batch::default();
        batch.stage(&a, b"new a").expect("stage");
        batch.stage(&b, b"new b").expect("stage");
        assert_eq!(fs::read(&a).expect("r"), b"old");
        assert!(!b.exists());
        batch.commit().expect("commit");
        assert_eq!(fs::read(&a).expect("r"), b"new a");
        assert_eq!(fs::read(&b).expect("r"), b"new b");
        assert_eq!(
            fs::read_dir(dir.path()).expect("dir").count(),
            2,
            "no temp left"
        );

        let mut discarded = Batch::default();
        discarded.stage(&a, b"never").expect("stage");
        discarded.discard();
        assert_eq!(fs::read(&a).expect("r"), b"new a");
        assert_eq!(fs::read_dir(dir.path()).expect("dir").count(), 2);
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
