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
    write_atomic_with(path, sync_dir, |file| file.write_all(bytes))
}

/// The first half of an atomic write: the bytes in a new temporary file beside `path`
/// (fsynced when `sync` is true). Returns the temporary file's path.
pub fn write_temp(path: &Path, bytes: &[u8], sync: bool) -> io::Result<PathBuf> {
    write_temp_stamped(path, bytes, sync).map(|(tmp, _)| tmp)
}

/// [`write_temp`], with the temporary file's figures once written (an `fstat` of the open
/// file). A rename keeps its size, modification time and inode, so those are the figures of
/// `path` once the file is renamed into place, until something else writes to it; its change
/// time is not (the rename changes it).
pub fn write_temp_stamped(
    path: &Path,
    bytes: &[u8],
    sync: bool,
) -> io::Result<(PathBuf, super::TextStamp)> {
    write_temp_with(path, sync, |file| file.write_all(bytes))
}

/// [`write_atomic`] of what `write` writes into the file, as it goes: a large file (the
/// records snapshot of 100,000 clippings, over 100 MB) is never held whole in memory.
pub fn write_atomic_with(
    path: &Path,
    sync_dir: bool,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    let (tmp, _) = write_temp_with(path, true, write)?;
    if let Err(err) = fs::rename(&tmp, path) {
        let _ = fs::remove_file(&tmp);
        return Err(err);
    }
    if sync_dir {
        sync_dir_of(path)?;
    }
    Ok(())
}

/// [`write_temp_stamped`] of what `write` writes into the new temporary file.
fn write_temp_with(
    path: &Path,
    sync: bool,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<(PathBuf, super::TextStamp)> {
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
        write(&mut file)?;
        if sync {
            file.sync_all()?;
        }
        Ok(super::TextStamp::of(&file.metadata()?))
    })();
    match result {
        Ok(stamp) => Ok((tmp, stamp)),
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
    /// Stage `bytes` for `path`: the size, modification time and inode `path` will have once
    /// committed ([`write_temp_stamped`]; not the change time).
    pub fn stage(&mut self, path: &Path, bytes: &[u8]) -> io::Result<super::TextStamp> {
        let (tmp, stamp) = write_temp_stamped(path, bytes, false)?;
        self.staged.push((tmp, path.to_path_buf()));
        Ok(stamp)
    }

    pub fn extend(&mut self, other: Batch) {
        self.staged.extend(other.staged);
    }

    /// Sync everything staged, rename it into place in staging order, sync the folders. On an
    /// error no staged file is left in place (see [`commit_each`]).
    pub fn commit(self) -> io::Result<()> {
        commit_each(vec![self]).pop().unwrap_or(Ok(()))
    }

    /// Remove the temporary files; no final file was touched.
    pub fn discard(self) {
        for (tmp, _) in self.staged {
            let _ = fs::remove_file(tmp);
        }
    }
}

/// Commit several batches with one sync: each batch goes into place whole or not at all, and
/// the result of each is returned in order. A batch whose rename fails part way has the files it
/// already renamed removed again (a record is never left without its text, nor a text without
/// its record), and the other batches go on. When a folder cannot be synced at the end, every
/// batch renamed into it is removed again and reported failed: a file counts only once durable.
pub fn commit_each(batches: Vec<Batch>) -> Vec<io::Result<()>> {
    let all: Vec<(PathBuf, PathBuf)> = batches
        .iter()
        .flat_map(|b| b.staged.iter().cloned())
        .collect();
    if all.is_empty() {
        return batches.iter().map(|_| Ok(())).collect();
    }
    if let Err(err) = sync_files(&all) {
        let failed = batches
            .iter()
            .map(|_| Err(io::Error::new(err.kind(), err.to_string())))
            .collect();
        for batch in batches {
            batch.discard();
        }
        return failed;
    }
    let mut results: Vec<io::Result<()>> = Vec::with_capacity(batches.len());
    let mut dirs: Vec<PathBuf> = Vec::new();
    for batch in &batches {
        results.push(rename_all(&batch.staged));
        if results.last().is_some_and(|r| r.is_ok()) {
            for (_, path) in &batch.staged {
                if let Some(dir) = path.parent()
                    && !dirs.iter().any(|d| d == dir)
                {
                    dirs.push(dir.to_path_buf());
                }
            }
        }
    }
    for dir in &dirs {
        if let Err(err) = File::open(dir).and_then(|d| d.sync_all()) {
            for (batch, result) in batches.iter().zip(results.iter_mut()) {
                let in_dir = batch.staged.iter().any(|(_, p)| p.parent() == Some(dir));
                if result.is_ok() && in_dir {
                    for (_, path) in &batch.staged {
                        let _ = fs::remove_file(path);
                    }
                    *result = Err(io::Error::new(
                        err.kind(),
                        format!("the folder {} cannot be synced: {err}", dir.display()),
                    ));
                }
            }
        }
    }
    results
}

/// Rename one batch's files into place in order; on a failure, undo the renames made and
/// remove the remaining temporary files.
fn rename_all(staged: &[(PathBuf, PathBuf)]) -> io::Result<()> {
    for (done, (tmp, path)) in staged.iter().enumerate() {
        if let Err(err) = rename(tmp, path) {
            for (_, placed) in &staged[..done] {
                let _ = fs::remove_file(placed);
            }
            for (tmp, _) in &staged[done..] {
                let _ = fs::remove_file(tmp);
            }
            return Err(io::Error::new(
                err.kind(),
                format!("{}: {err}", path.display()),
            ));
        }
    }
    Ok(())
}

/// A test's stand-in for a failing disk: called with the destination of every rename of a
/// [`Batch`]; an error it returns is taken as the rename's. See [`inject_rename_fault`].
type RenameFault = dyn Fn(&Path) -> Option<io::Error> + Send + Sync;

static RENAME_FAULT: std::sync::RwLock<Option<std::sync::Arc<RenameFault>>> =
    std::sync::RwLock::new(None);
static RENAME_FAULT_SET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// For fault-injection tests only (nothing in Clipfile calls it): make the renames of batch
/// commits whose destination `fault` returns an error for fail with that error, until
/// [`clear_rename_fault`]. The hook is process-wide, so a test should only fail paths inside its
/// own temporary folder. Without a hook the cost is one relaxed atomic load per rename.
#[doc(hidden)]
pub fn inject_rename_fault(fault: impl Fn(&Path) -> Option<io::Error> + Send + Sync + 'static) {
    if let Ok(mut slot) = RENAME_FAULT.write() {
        *slot = Some(std::sync::Arc::new(fault));
        RENAME_FAULT_SET.store(true, Ordering::SeqCst);
    }
}

/// Remove the hook set by [`inject_rename_fault`].
#[doc(hidden)]
pub fn clear_rename_fault() {
    if let Ok(mut slot) = RENAME_FAULT.write() {
        *slot = None;
        RENAME_FAULT_SET.store(false, Ordering::SeqCst);
    }
}

fn rename(tmp: &Path, path: &Path) -> io::Result<()> {
    if RENAME_FAULT_SET.load(Ordering::Relaxed) {
        let fault = RENAME_FAULT.read().ok().and_then(|slot| slot.clone());
        if let Some(err) = fault.and_then(|f| f(path)) {
            return Err(err);
        }
    }
    fs::rename(tmp, path)
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

/// Remove the temporary files of interrupted writes of `path` (beside it) last changed more
/// than `age` ago: for a folder written without the library's lock (the cache), where a younger
/// one may be another process's write in progress. Returns how many were removed.
pub fn remove_old_temps_of(path: &Path, age: std::time::Duration) -> usize {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return 0;
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n.starts_with(&prefix) && n.ends_with(TEMP_SUFFIX)
        })
        .filter(|e| {
            e.metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|d| d > age))
        })
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

/// Records and settings larger than this are not read (a record is a few kilobytes; its text
/// at most [`super::import::MAX_FILE_BYTES`]).
pub const MAX_RECORD_BYTES: u64 = 4 * 1024 * 1024;

/// Open a file of the library for reading without following a symbolic link (`O_NOFOLLOW`) and
/// without blocking on a FIFO (`O_NONBLOCK`), then check on the open file that it is a regular
/// file of at most `max_bytes` before reading a byte of it. A link, a FIFO, a device, a folder or
/// an oversized file is refused with a reason.
pub fn read_library_file(path: &Path, max_bytes: u64) -> Result<Vec<u8>, String> {
    read_library_file_with_meta(path, max_bytes).map(|(bytes, _)| bytes)
}

/// [`read_library_file`], with the metadata of the open file it read.
pub fn read_library_file_with_meta(
    path: &Path,
    max_bytes: u64,
) -> Result<(Vec<u8>, fs::Metadata), String> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => "it is a symbolic link (library files are never followed)".into(),
            _ => e.to_string(),
        })?;
    let meta = file.metadata().map_err(|e| e.to_string())?;
    check_library_file(&meta, max_bytes)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // A file that grows while it is read is still cut at the limit.
    file.take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > max_bytes {
        return Err(format!(
            "it grew past the size limit ({max_bytes} bytes) while being read"
        ));
    }
    Ok((bytes, meta))
}

/// Whether a library file's metadata (of the open file, or from `symlink_metadata`, so that a
/// link is seen as one) is a regular file of at most `max_bytes`, or why not.
pub fn check_library_file(meta: &fs::Metadata, max_bytes: u64) -> Result<(), String> {
    use std::os::unix::fs::MetadataExt;
    check_kind_and_len(meta.mode() & libc::S_IFMT, meta.len(), max_bytes)
}

/// [`check_library_file`] on the file type bits of `st_mode` (`S_IFMT`) and the size, as an
/// `lstat` gives them.
pub fn check_kind_and_len(kind: u32, len: u64, max_bytes: u64) -> Result<(), String> {
    let what = match kind {
        libc::S_IFREG if len > max_bytes => {
            return Err(format!(
                "it is too large to be a Clipfile file ({len} bytes; the limit is {max_bytes})"
            ));
        }
        libc::S_IFREG => return Ok(()),
        libc::S_IFLNK => {
            return Err("it is a symbolic link (library files are never followed)".into());
        }
        libc::S_IFDIR => "a folder",
        libc::S_IFIFO => "a FIFO (named pipe)",
        libc::S_IFCHR | libc::S_IFBLK => "a device",
        libc::S_IFSOCK => "a socket",
        _ => "not a regular file",
    };
    Err(format!("it is {what}, not a regular file"))
}

/// A library file read as UTF-8 text with [`read_library_file`].
pub fn read_library_text(path: &Path, max_bytes: u64) -> Result<String, String> {
    read_library_text_with_meta(path, max_bytes).map(|(text, _)| text)
}

/// [`read_library_text`], with the metadata of the open file it read (the state of the text).
pub fn read_library_text_with_meta(
    path: &Path,
    max_bytes: u64,
) -> Result<(String, fs::Metadata), String> {
    let (bytes, meta) = read_library_file_with_meta(path, max_bytes)?;
    let text = String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())?;
    Ok((text, meta))
}

/// A Clipfile file that declares its format version.
pub trait Versioned {
    fn format(&self) -> u32;
}

/// The `format` field of a RON file whose shape this version does not know: read from the
/// parsed value (top-level field `format`), so a comment or a long field before it does not
/// hide it.
fn parsed_format(text: &str) -> Option<u32> {
    let value: ron::Value = ron::Options::default().from_str(text).ok()?;
    let ron::Value::Map(map) = value else {
        return None;
    };
    match map.get(&ron::Value::String("format".into()))? {
        ron::Value::Number(n) => u32::try_from((*n).into_f64() as u64).ok(),
        _ => None,
    }
}

/// Read a RON file of type `T` (safely, see [`read_library_file`]), checking its format
/// version.
pub fn read_ron<T: DeserializeOwned + Versioned>(path: &Path) -> Result<T, RonError> {
    let text = read_library_text(path, MAX_RECORD_BYTES).map_err(RonError::Io)?;
    parse_ron(&text)
}

/// Parse RON text of type `T`, telling a newer format apart from a damaged file. The version is
/// the parsed record's `format` field, checked before the record is used; when the record does
/// not have this version's shape, its `format` is looked up in the parsed value instead.
pub fn parse_ron<T: DeserializeOwned + Versioned>(text: &str) -> Result<T, RonError> {
    match ron::Options::default().from_str::<T>(text) {
        Ok(value) if value.format() > FORMAT_VERSION => Err(RonError::NewerFormat {
            found: value.format(),
        }),
        Ok(value) => Ok(value),
        Err(e) => {
            if let Some(found) = parsed_format(text)
                && found > FORMAT_VERSION
            {
                return Err(RonError::NewerFormat { found });
            }
            let mut msg = e.to_string();
            msg.truncate(300);
            Err(RonError::Invalid(msg))
        }
    }
}

/// The fields of the RON `text` that are lost when it is read as `T` and written again: each
/// as a dotted path ("parsed.mood", "highlights.0.weight"). A field missing from the rewrite
/// whose value is empty (`None`, `[]`, `{}`, `""`, `()`) loses nothing and is not counted.
pub fn unknown_fields<T: DeserializeOwned + Serialize>(text: &str) -> Result<Vec<String>, String> {
    let options = ron::Options::default();
    let on_disk: ron::Value = options.from_str(text).map_err(|e| e.to_string())?;
    let typed: T = options.from_str(text).map_err(|e| e.to_string())?;
    let again = to_ron(&typed).map_err(|e| e.to_string())?;
    let rewritten: ron::Value = options.from_str(&again).map_err(|e| e.to_string())?;
    let mut lost = Vec::new();
    lost_fields(&on_disk, &rewritten, "", &mut lost);
    Ok(lost)
}

/// The top-level fields of a RON struct named `name`, each with its value's text exactly as
/// written (comments and layout inside the value kept).
pub fn raw_fields(text: &str, name: &'static str) -> Result<Vec<(String, String)>, String> {
    struct Fields;
    impl<'de> serde::de::Visitor<'de> for Fields {
        type Value = Vec<(String, String)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a struct")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(key) = map.next_key::<String>()? {
                let value: Box<ron::value::RawValue> = map.next_value()?;
                out.push((key, value.trim().get_ron().to_string()));
            }
            Ok(out)
        }
    }
    struct Wrapper(&'static str);
    impl<'de> serde::de::DeserializeSeed<'de> for Wrapper {
        type Value = Vec<(String, String)>;
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_struct(self.0, &[], Fields)
        }
    }
    let mut de = ron::Deserializer::from_str(text).map_err(|e| e.to_string())?;
    let fields = serde::de::DeserializeSeed::deserialize(Wrapper(name), &mut de)
        .map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    Ok(fields)
}

/// `written` (a record as [`to_ron`] writes it) with the top-level fields `keep` of the record
/// on disk added back, their text exactly as it was; `None` when the result does not read back
/// as the same record with those fields (then nothing may be written).
pub fn with_kept_fields<T>(
    written: &str,
    on_disk: &str,
    keep: &[String],
    name: &'static str,
) -> Option<String>
where
    T: DeserializeOwned + Serialize + PartialEq,
{
    let raw = raw_fields(on_disk, name).ok()?;
    let close = written.trim_end().strip_suffix(')')?;
    let mut out = close.trim_end().to_string();
    if !out.ends_with(',') && !out.ends_with('(') {
        out.push(',');
    }
    out.push('\n');
    for key in keep {
        let (_, value) = raw.iter().find(|(k, _)| k == key)?;
        out.push_str(&format!("    {key}: {value},\n"));
    }
    out.push_str(")\n");
    let options = ron::Options::default();
    let before: T = options.from_str(written).ok()?;
    let after: T = options.from_str(&out).ok()?;
    let lost = unknown_fields::<T>(&out).ok()?;
    (before == after && lost == keep).then_some(out)
}

fn lost_fields(disk: &ron::Value, kept: &ron::Value, at: &str, lost: &mut Vec<String>) {
    use ron::Value;
    let join = |key: &str| {
        if at.is_empty() {
            key.to_string()
        } else {
            format!("{at}.{key}")
        }
    };
    match (disk, kept) {
        (Value::Map(disk), Value::Map(kept)) => {
            for (key, value) in disk.iter() {
                let name = match key {
                    Value::String(s) => s.clone(),
                    other => format!("{other:?}"),
                };
                match kept.get(key) {
                    Some(kept_value) => lost_fields(value, kept_value, &join(&name), lost),
                    None if is_empty_value(value) => {}
                    None => lost.push(join(&name)),
                }
            }
        }
        (Value::Seq(disk), Value::Seq(kept)) => {
            for (i, (d, k)) in disk.iter().zip(kept.iter()).enumerate() {
                lost_fields(d, k, &join(&i.to_string()), lost);
            }
        }
        (Value::Option(Some(d)), Value::Option(Some(k))) => lost_fields(d, k, at, lost),
        _ => {}
    }
}

fn is_empty_value(value: &ron::Value) -> bool {
    use ron::Value;
    match value {
        Value::Option(None) | Value::Unit => true,
        Value::Seq(s) => s.is_empty(),
        Value::Map(m) => m.is_empty(),
        Value::String(s) => s.is_empty(),
        _ => false,
    }
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

    impl Versioned for Thing {
        fn format(&self) -> u32 {
            self.format
        }
    }

    #[test]
    fn a_staged_file_has_the_figures_it_was_stamped_with_once_committed() {
        let tmp = tempfile::tempdir().expect("tmp");
        let (ron, txt) = (tmp.path().join("a.ron"), tmp.path().join("a.txt"));
        let mut batch = Batch::default();
        let txt_stamp = batch.stage(&txt, b"the text").expect("stage");
        let ron_stamp = batch.stage(&ron, b"(format: 1)").expect("stage");
        assert!(!txt.exists(), "nothing in place before the commit");
        batch.commit().expect("commit");
        for (path, stamp) in [(&txt, txt_stamp), (&ron, ron_stamp)] {
            let now = crate::library::TextStamp::of(&fs::symlink_metadata(path).expect("meta"));
            assert_eq!(
                (now.len, now.mtime_ns, now.ino),
                (stamp.len, stamp.mtime_ns, stamp.ino),
                "{}",
                path.display()
            );
        }
        assert_eq!(ron_stamp.len, 11);
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
    fn only_old_temps_of_the_same_file_are_removed_from_a_shared_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.jsonl");
        let temp = |name: &str| dir.path().join(format!(".{name}.1.2{TEMP_SUFFIX}"));
        let an_hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        for name in ["a.jsonl", "b.jsonl"] {
            fs::write(temp(name), "half").expect("w");
            let file = fs::File::options()
                .write(true)
                .open(temp(name))
                .expect("open");
            file.set_modified(an_hour_ago).expect("mtime");
        }
        let fresh = dir.path().join(format!(".a.jsonl.1.3{TEMP_SUFFIX}"));
        fs::write(&fresh, "being written").expect("w");
        let minute = std::time::Duration::from_secs(60);
        assert_eq!(remove_old_temps_of(&path, minute), 1);
        assert!(!temp("a.jsonl").exists());
        assert!(
            temp("b.jsonl").exists(),
            "another file's temp is not ours to remove"
        );
        assert!(fresh.exists(), "a write in progress is left alone");
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

    #[test]
    fn the_format_is_read_from_the_parsed_record_whatever_comes_first() {
        let comment = format!("// {}\n", "x".repeat(600));
        let newer = format!(
            "{comment}Thing(name: \"a\", format: {})",
            FORMAT_VERSION + 1
        );
        assert_eq!(
            parse_ron::<Thing>(&newer),
            Err(RonError::NewerFormat {
                found: FORMAT_VERSION + 1
            })
        );
        // A newer shape this version cannot read is still recognised as newer.
        let reshaped = format!(
            "{comment}Thing(name: [1, 2], format: {}, extra: (a: 1))",
            FORMAT_VERSION + 3
        );
        assert_eq!(
            parse_ron::<Thing>(&reshaped),
            Err(RonError::NewerFormat {
                found: FORMAT_VERSION + 3
            })
        );
        let current = format!("{comment}Thing(name: \"a\", format: {FORMAT_VERSION})");
        assert!(parse_ron::<Thing>(&current).is_ok());
    }

    #[test]
    fn fields_lost_by_a_rewrite_are_named() {
        let known = "Thing(format: 1, name: \"a\")";
        assert_eq!(unknown_fields::<Thing>(known), Ok(vec![]));
        let extra = "Thing(format: 1, name: \"a\", mood: Some(\"calm\"), empty: None)";
        assert_eq!(unknown_fields::<Thing>(extra), Ok(vec!["mood".to_string()]));
    }

    #[test]
    fn library_files_are_read_only_when_regular_and_small() {
        let dir = tempfile::tempdir().expect("tempdir");
        let outside = dir.path().join("outside.txt");
        fs::write(&outside, "secret").expect("w");
        let link = dir.path().join("link.ron");
        std::os::unix::fs::symlink(&outside, &link).expect("symlink");
        assert!(
            read_library_file(&link, 100)
                .expect_err("link")
                .contains("symbolic link")
        );
        let zero = dir.path().join("zero.ron");
        std::os::unix::fs::symlink("/dev/zero", &zero).expect("symlink");
        assert!(read_library_file(&zero, 100).is_err());
        let fifo = dir.path().join("fifo.ron");
        let c = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).expect("c");
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(
            read_library_file(&fifo, 100)
                .expect_err("fifo")
                .contains("FIFO")
        );
        let big = dir.path().join("big.ron");
        File::create(&big)
            .expect("c")
            .set_len(1 << 34)
            .expect("sparse");
        assert!(
            read_library_file(&big, 100)
                .expect_err("big")
                .contains("too large")
        );
        assert!(
            read_library_file(dir.path(), 100)
                .expect_err("dir")
                .contains("folder")
        );
        assert_eq!(
            read_library_file(&outside, 100).expect("regular"),
            b"secret"
        );
    }
}
