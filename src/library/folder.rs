//! One listing of a clippings folder (record ids and sync tools' conflict copies together) and
//! `stat` of its files by name relative to the open folder, for opening a large library and
//! refreshing the index without listing the folder twice or walking its path for every file.

use std::ffi::CStr;
use std::fs;
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use super::LoadProblem;
use super::texts::TextStamp;

/// The files of a clippings folder that matter: every id with a record (sorted), the conflict
/// copies and the temporary files.
#[derive(Debug, Default)]
pub struct Listing {
    /// Ids with a `<id>.ron`, sorted ([`digest`] leaves it empty).
    pub records: Vec<String>,
    /// How many ids have a `<id>.ron` (filled by [`digest`] too).
    pub count: usize,
    /// [`Listing::digest`] of every record and text listed.
    pub digest: u128,
    pub conflicts: Vec<LoadProblem>,
    /// Temporary files of interrupted writes ([`super::store::TEMP_SUFFIX`]).
    pub temps: Vec<std::path::PathBuf>,
}

impl Listing {
    /// The digest as a string to store.
    pub fn digest_text(&self) -> String {
        format!("m{:032x}", self.digest)
    }
}

/// The `lstat` of a record and of its text, as [`list_and_stat`] took them.
pub type RecordStats = (Option<FileStat>, Option<FileStat>);

/// A clipping id (16 lowercase hexadecimal digits, [`super::is_id`]) as the number it spells:
/// the listing sorts and matches numbers, not strings.
fn id_number(id: &[u8]) -> Option<u64> {
    if id.len() != 16 {
        return None;
    }
    id.iter().try_fold(0u64, |n, &b| {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            _ => return None,
        };
        Some(n << 4 | u64::from(digit))
    })
}

/// List `dir` once, with the `lstat` of each record and its text (`None`: not listed, or it
/// could not be `stat`ed), in the order of `records`. A folder that cannot be listed lists as
/// empty (the open reports no clippings; a missing folder is a new library). The files are
/// `stat`ed on the thread pool while the folder is still being listed: at 100,000 clippings
/// listing and `stat`ing take about as long as each other.
pub fn list_and_stat(dir: &Path) -> (Listing, Vec<RecordStats>) {
    walk(dir, true)
}

/// [`list_and_stat`] keeping nothing but the count of records, the [`Listing::digest`], the
/// conflict copies and the temporary files: when the digest is the one an index stored,
/// nothing changed and the listing is not needed. At 100,000 clippings the stats kept took a
/// third of a command's time (fresh memory is zeroed page by page as it is first written).
pub fn digest(dir: &Path) -> Listing {
    walk(dir, false).0
}

/// What one file adds to [`Listing::digest`]: its id, kind (record or text) and `lstat`
/// figures (type, size, modification time, inode; zeros when it could not be `stat`ed).
fn file_digest(n: u64, is_text: bool, stat: Option<&FileStat>) -> u128 {
    let mut bytes = [0u8; 49];
    bytes[..8].copy_from_slice(&n.to_le_bytes());
    bytes[8] = u8::from(is_text);
    if let Some(st) = stat {
        bytes[9..13].copy_from_slice(&st.kind.to_le_bytes());
        bytes[13..21].copy_from_slice(&st.stamp.len.to_le_bytes());
        bytes[21..37].copy_from_slice(&st.stamp.mtime_ns.to_le_bytes());
        bytes[37..45].copy_from_slice(&st.stamp.ino.to_le_bytes());
        bytes[45] = 1;
    }
    xxhash_rust::xxh3::xxh3_128(&bytes)
}

/// The threads a digest alone `stat`s on (see [`walk`]), made the first time (none when they
/// cannot be started: the global pool then).
fn stat_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(rayon::current_num_threads())
            .thread_name(|i| format!("clipfile-stat-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

/// The listing, with the stats kept (`keep`) or only summed into the digest. The digest is
/// the wrapping sum of every file's [`file_digest`] (order does not matter, so the pool's
/// tasks each add their own), and the number of files: any file added, removed, replaced or
/// resized changes it, and so does a write in place, through its modification time. (A
/// program that writes a file in place keeping its size and then sets its modification
/// time back, or writes it within the same tick of the clock just after it was listed, is
/// not seen; the change time would see it, but the index's stamps do not keep it.)
fn walk(dir: &Path, keep: bool) -> (Listing, Vec<RecordStats>) {
    let Ok(folder) = Folder::open(dir) else {
        return (Listing::default(), Vec::new());
    };
    /// How many names go to the pool at a time.
    const CHUNK: usize = 2048;
    type Stated = Vec<(u64, bool, Option<FileStat>)>;
    // Each task's stats (kept whole: merging into one growing vector copied them over and
    // over), and the sum of their digests.
    let stated: std::sync::Mutex<(Vec<Stated>, u128)> = Default::default();
    let mut conflicts = Vec::new();
    let mut temps = Vec::new();
    let mut files = 0u128;
    let mut count = 0;
    let mut run = || {
        rayon::scope(|scope| {
            let (folder, stated) = (&folder, &stated);
            let stat_chunk = |chunk: Vec<(u64, bool)>| {
                scope.spawn(move |_| {
                    // A descriptor of this task's own (the shared one if none can be had).
                    let own = folder.again();
                    let folder = own.as_ref().unwrap_or(folder);
                    let mut sum = 0u128;
                    let mut done: Stated = Vec::with_capacity(if keep { chunk.len() } else { 0 });
                    for (n, is_text) in chunk {
                        let ext = if is_text { "txt" } else { "ron" };
                        let stat = folder.stat_number(n, ext).ok();
                        sum = sum.wrapping_add(file_digest(n, is_text, stat.as_ref()));
                        if keep {
                            done.push((n, is_text, stat));
                        }
                    }
                    if let Ok(mut all) = stated.lock() {
                        all.1 = all.1.wrapping_add(sum);
                        if keep {
                            all.0.push(done);
                        }
                    }
                })
            };
            let mut chunk = Vec::with_capacity(CHUNK);
            let listed = for_each_name(folder, |name| {
                if name.ends_with(super::store::TEMP_SUFFIX.as_bytes()) {
                    temps.push(dir.join(std::ffi::OsStr::from_bytes(name)));
                    return;
                }
                let (id, is_text) = if let Some(id) = name.strip_suffix(b".ron") {
                    (id, false)
                } else if let Some(id) = name.strip_suffix(b".txt") {
                    (id, true)
                } else {
                    return;
                };
                if let Some(n) = id_number(id) {
                    files += 1;
                    count += usize::from(!is_text);
                    chunk.push((n, is_text));
                    if chunk.len() == CHUNK {
                        stat_chunk(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK)));
                    }
                } else if let Ok(name) = std::str::from_utf8(name)
                    && let Some(conflict) = super::conflict_copy(name, &dir.join(name))
                {
                    conflicts.push(conflict);
                }
            });
            stat_chunk(chunk);
            listed
        })
    };
    // The digest alone is taken beside a search (`Index::answer_fresh`), which sorts and
    // makes snippets on the global pool: on threads of its own, the search's parallel work
    // does not wait behind 100 chunks of `stat`s (35 ms of `clipfile list --search railway`
    // at 100,000 clippings).
    let listed = match stat_pool().filter(|_| !keep) {
        Some(pool) => pool.install(run),
        None => run(),
    };
    if listed.is_err() {
        return (Listing::default(), Vec::new());
    }
    let (chunks, sum) = stated.into_inner().unwrap_or_default();
    let mut listing = Listing {
        count,
        digest: sum.wrapping_add(files.wrapping_mul(0x9e37_79b9_7f4a_7c15)),
        conflicts,
        temps,
        ..Listing::default()
    };
    listing.conflicts.sort_by(|a, b| a.path.cmp(&b.path));
    if !keep {
        return (listing, Vec::new());
    }
    let mut all = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
    for chunk in chunks {
        all.extend(chunk);
    }
    // A record before its text.
    all.sort_unstable_by_key(|&(n, is_text, _)| (n, is_text));
    listing.records.reserve_exact(count);
    let mut stats = Vec::with_capacity(count);
    let mut files = all.into_iter().peekable();
    while let Some((n, is_text, stat)) = files.next() {
        if is_text {
            // A text without a record.
            continue;
        }
        let text = files.next_if(|&(t, is_text, _)| t == n && is_text);
        listing.records.push(format!("{n:016x}"));
        stats.push((stat, text.and_then(|(_, _, stat)| stat)));
    }
    (listing, stats)
}

/// Call `each` with the name of every entry of the open `folder` (not `.` and `..`), through
/// `readdir`: `std::fs::read_dir` allocates for every entry, a cost at 200,000 entries.
fn for_each_name(folder: &Folder, mut each: impl FnMut(&[u8])) -> io::Result<()> {
    use std::os::fd::IntoRawFd;
    // A descriptor of its own for the stream (the folder's stays open for the `stat`s), not a
    // duplicate of the folder's: see [`Folder::again`]. Opening it again needs the right to
    // search the folder; one that may be read but not searched is still listed (through a
    // duplicate), so that its files are reported as unreadable rather than not there.
    let fd = match folder.again() {
        Ok(own) => own.dir.into_raw_fd(),
        Err(_) => folder.dir.try_clone()?.into_raw_fd(),
    };
    // SAFETY: `fd` is an open descriptor we own; `fdopendir` takes it over (and `closedir`
    // closes it), or fails (not a folder: ENOTDIR) and leaves it to us.
    let stream = unsafe { libc::fdopendir(fd) };
    if stream.is_null() {
        let err = io::Error::last_os_error();
        // SAFETY: fdopendir failed, so the descriptor is still ours to close.
        unsafe { libc::close(fd) };
        return Err(err);
    }
    loop {
        // SAFETY: a stream from fdopendir, used by this thread only; the entry stays valid
        // until the next readdir on it, and its name is NUL-terminated.
        let entry = unsafe { libc::readdir(stream) };
        if entry.is_null() {
            break;
        }
        // SAFETY: as above.
        let name = unsafe { CStr::from_ptr((*entry).d_name.as_ptr()) }.to_bytes();
        if name != b"." && name != b".." {
            each(name);
        }
    }
    // SAFETY: the stream is open and not used after this.
    unsafe { libc::closedir(stream) };
    Ok(())
}

/// What `lstat` says of one file, in the figures the library keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStat {
    /// The file type bits of `st_mode` (`libc::S_IFMT`).
    pub kind: u32,
    pub stamp: TextStamp,
}

impl FileStat {
    /// The figures of metadata from `symlink_metadata` (or of an open file).
    pub fn of(meta: &fs::Metadata) -> FileStat {
        use std::os::unix::fs::MetadataExt;
        FileStat {
            kind: meta.mode() & libc::S_IFMT,
            stamp: TextStamp::of(meta),
        }
    }

    /// The same checks as [`super::store::check_library_file`]: a regular file (never a link)
    /// within `max_bytes`.
    pub fn check(&self, max_bytes: u64) -> Result<(), String> {
        super::store::check_kind_and_len(self.kind, self.stamp.len, max_bytes)
    }
}

/// A folder opened to list it and `stat` its files by name.
struct Folder {
    dir: fs::File,
}

impl Folder {
    fn open(dir: &Path) -> io::Result<Folder> {
        Ok(Folder {
            dir: fs::File::open(dir)?,
        })
    }

    /// The same folder opened again: a descriptor of its own, not a duplicate. Threads that
    /// `stat` through one open folder all count references on it, one cache line passed
    /// between the cores for every file; each through its own, they do not (measured: 200,000
    /// `stat`s on two threads, medians of nine runs 138 -> 126 ms).
    fn again(&self) -> io::Result<Folder> {
        // SAFETY: an open folder's descriptor and a NUL-terminated name; the descriptor
        // returned, when valid, is ours alone.
        let fd = unsafe {
            libc::openat(
                self.dir.as_raw_fd(),
                c".".as_ptr(),
                libc::O_RDONLY | libc::O_DIRECTORY | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` was just opened and is owned by nothing else.
        let dir = unsafe { <fs::File as std::os::fd::FromRawFd>::from_raw_fd(fd) };
        Ok(Folder { dir })
    }

    /// [`Folder::stat_name`] of the id that `n` spells ([`id_number`]).
    fn stat_number(&self, n: u64, ext: &str) -> io::Result<FileStat> {
        let mut id = [0u8; 16];
        for (i, digit) in id.iter_mut().enumerate() {
            let nibble = (n >> (60 - 4 * i)) & 0xf;
            *digit = b"0123456789abcdef"[nibble as usize];
        }
        self.stat_name(&id, ext)
    }

    /// `lstat` of `<id>.<ext>` in this folder (no link followed).
    // `mode_t`, `off_t`, `time_t` and `ino_t` are not `u32`/`i64`/`u64` on every platform.
    #[allow(clippy::unnecessary_cast)]
    fn stat_name(&self, id: &[u8], ext: &str) -> io::Result<FileStat> {
        let mut name = [0u8; 64];
        let len = id.len() + 1 + ext.len();
        if len >= name.len() || id.contains(&0) || ext.contains('\0') {
            return Err(io::Error::from(io::ErrorKind::InvalidInput));
        }
        name[..id.len()].copy_from_slice(id);
        name[id.len()] = b'.';
        name[id.len() + 1..len].copy_from_slice(ext.as_bytes());
        let name = CStr::from_bytes_until_nul(&name)
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
        // SAFETY: an open folder's descriptor, a NUL-terminated name and room for one `stat`.
        let rc = unsafe {
            libc::fstatat(
                self.dir.as_raw_fd(),
                name.as_ptr(),
                st.as_mut_ptr(),
                libc::AT_SYMLINK_NOFOLLOW,
            )
        };
        if rc != 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: fstatat filled it (it returned 0).
        let st = unsafe { st.assume_init() };
        let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
        Ok(FileStat {
            kind: (st.st_mode as u32) & (libc::S_IFMT as u32),
            stamp: TextStamp {
                len: st.st_size as u64,
                mtime_ns: ns(st.st_mtime as i64, st.st_mtime_nsec as i64),
                ctime_ns: ns(st.st_ctime as i64, st.st_ctime_nsec as i64),
                ino: st.st_ino as u64,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    const ID: &str = "0123456789abcdef";

    #[test]
    fn one_listing_finds_records_texts_and_conflict_copies() {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path();
        for name in [
            format!("{ID}.ron"),
            format!("{ID}.txt"),
            "fedcba9876543210.ron".to_string(),
            format!("{ID}.sync-conflict-20260101-120000-ABCDEFG.ron"),
            "notes.md".to_string(),
            format!(".{ID}.ron.1.2{}", crate::library::store::TEMP_SUFFIX),
            "NOTANID.ron".to_string(),
        ] {
            fs::write(dir.join(name), "x").expect("write");
        }
        let (listing, stats) = list_and_stat(dir);
        assert_eq!(
            listing.records,
            vec![ID.to_string(), "fedcba9876543210".into()]
        );
        assert!(stats[0].1.is_some() && stats[1].1.is_none());
        assert_eq!(listing.conflicts.len(), 1);
        assert_eq!(listing.temps.len(), 1);
        assert!(
            listing.conflicts[0]
                .path
                .to_string_lossy()
                .contains("sync-conflict")
        );
    }

    #[test]
    fn ids_and_numbers_go_both_ways_and_nothing_else_is_an_id() {
        for id in [
            "0000000000000000",
            ID,
            "ffffffffffffffff",
            "00ff00ff00ff00ff",
        ] {
            let n = id_number(id.as_bytes()).expect("an id");
            assert_eq!(format!("{n:016x}"), id);
            let mut digits = [0u8; 16];
            for (i, d) in digits.iter_mut().enumerate() {
                *d = b"0123456789abcdef"[((n >> (60 - 4 * i)) & 0xf) as usize];
            }
            assert_eq!(&digits, id.as_bytes());
            assert!(super::super::is_id(id));
        }
        for not in [
            "0123456789ABCDEF",
            "0123456789abcde",
            "0123456789abcdef0",
            "0123456789abcdeg",
            "",
        ] {
            assert_eq!(id_number(not.as_bytes()), None, "{not}");
            assert!(!super::super::is_id(not));
        }
    }

    #[test]
    fn listing_and_stat_together_pairs_each_record_with_its_text() {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path();
        // More files than one chunk of names, so the stats come from several tasks.
        let ids: Vec<String> = (0..5000u64).map(|n| format!("{:016x}", n * 7919)).collect();
        for (i, id) in ids.iter().enumerate() {
            fs::write(dir.join(format!("{id}.ron")), "r".repeat(i % 7)).expect("write");
            if i % 3 != 0 {
                fs::write(dir.join(format!("{id}.txt")), "t".repeat(i % 5 + 10)).expect("write");
            }
        }
        // A text without a record, and a conflict copy.
        fs::write(dir.join("ffffffffffffffff.txt"), "t").expect("write");
        fs::write(dir.join(format!("{}.sync-conflict-1.ron", ids[0])), "c").expect("write");
        let (listing, stats) = list_and_stat(dir);
        assert_eq!(listing.conflicts.len(), 1);
        assert_eq!(stats.len(), ids.len());
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(listing.records, sorted);
        for (id, (ron, txt)) in listing.records.iter().zip(&stats) {
            let i = ids.iter().position(|x| x == id).expect("listed id");
            assert_eq!(ron.map(|s| s.stamp.len), Some((i % 7) as u64), "{id}");
            let want = (i % 3 != 0).then_some((i % 5 + 10) as u64);
            assert_eq!(txt.map(|s| s.stamp.len), want, "{id}");
        }
    }

    #[test]
    fn the_digest_changes_with_any_file_and_not_with_the_order_listed() {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path();
        for n in 0..3000u64 {
            fs::write(dir.join(format!("{:016x}.ron", n * 31)), "record").expect("write");
            fs::write(dir.join(format!("{:016x}.txt", n * 31)), "text").expect("write");
        }
        let (full, _) = list_and_stat(dir);
        let quick = digest(dir);
        assert_eq!(
            (quick.count, full.count, full.records.len()),
            (3000, 3000, 3000)
        );
        assert!(quick.records.is_empty());
        assert_eq!(quick.digest_text(), full.digest_text());
        // Unchanged, listed again (the pool's tasks finish in another order).
        assert_eq!(digest(dir).digest, quick.digest);

        let id = format!("{:016x}", 31 * 17);
        let changes: [&dyn Fn(); 5] = [
            // An edit in place that keeps the size (the modification time moves).
            &|| {
                let path = dir.join(format!("{id}.txt"));
                let old = fs::metadata(&path)
                    .expect("meta")
                    .modified()
                    .expect("mtime");
                fs::write(&path, "TEXT").expect("write");
                let f = fs::File::options().write(true).open(&path).expect("open");
                f.set_modified(old + std::time::Duration::from_secs(1))
                    .expect("mtime");
            },
            // A longer record.
            &|| fs::write(dir.join(format!("{id}.ron")), "record, edited").expect("write"),
            // A text without a record, then a record removed.
            &|| fs::write(dir.join("ffffffffffffffff.txt"), "t").expect("write"),
            &|| fs::remove_file(dir.join(format!("{id}.ron"))).expect("remove"),
            // A file replaced by another of the same size (a new inode).
            &|| {
                let path = dir.join(format!("{:016x}.ron", 31 * 18));
                fs::write(dir.join("new"), "record").expect("write");
                fs::rename(dir.join("new"), &path).expect("rename");
            },
        ];
        let mut last = quick.digest;
        for (i, change) in changes.iter().enumerate() {
            change();
            let now = digest(dir);
            assert_ne!(now.digest, last, "change {i}");
            assert_eq!(now.digest, list_and_stat(dir).0.digest, "change {i}");
            last = now.digest;
        }
        assert_eq!(digest(dir).count, 2999);
    }

    #[test]
    fn a_folder_that_cannot_be_listed_lists_as_empty() {
        let tmp = tempfile::tempdir().expect("tmp");
        assert!(
            list_and_stat(&tmp.path().join("missing"))
                .0
                .records
                .is_empty()
        );
        let file = tmp.path().join("file");
        fs::write(&file, "x").expect("write");
        assert!(list_and_stat(&file).0.records.is_empty());
    }

    #[test]
    fn a_stat_by_name_says_what_lstat_says_and_refuses_what_a_read_refuses() {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path();
        fs::write(dir.join(format!("{ID}.txt")), "twelve bytes").expect("write");
        std::os::unix::fs::symlink(dir.join(format!("{ID}.txt")), dir.join(format!("{ID}.ron")))
            .expect("link");
        fs::create_dir(dir.join(format!("{ID}.dir"))).expect("dir");
        let folder = Folder::open(dir).expect("open");

        let text = folder.stat_name(ID.as_bytes(), "txt").expect("stat");
        let meta = fs::symlink_metadata(dir.join(format!("{ID}.txt"))).expect("meta");
        assert_eq!(text.stamp, TextStamp::of(&meta));
        assert_eq!(text.stamp.ino, meta.ino());
        assert_eq!(text.check(100), Ok(()));
        assert!(text.check(5).expect_err("too large").contains("too large"));

        let link = folder
            .stat_name(ID.as_bytes(), "ron")
            .expect("stat of the link itself");
        assert!(link.check(100).expect_err("link").contains("symbolic link"));
        let sub = folder.stat_name(ID.as_bytes(), "dir").expect("stat");
        assert!(sub.check(100).expect_err("folder").contains("a folder"));
        assert!(folder.stat_name(ID.as_bytes(), "gone").is_err());
    }

    #[test]
    fn a_folder_opened_again_is_the_same_folder_even_once_its_path_names_another() {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("clippings");
        fs::create_dir(&dir).expect("dir");
        fs::write(dir.join(format!("{ID}.txt")), "first").expect("write");
        let folder = Folder::open(&dir).expect("open");
        // The path now names another folder, holding a file of the same name.
        fs::rename(&dir, tmp.path().join("moved")).expect("rename");
        fs::create_dir(&dir).expect("dir");
        fs::write(dir.join(format!("{ID}.txt")), "another, longer").expect("write");

        let again = folder.again().expect("again");
        let stat = again.stat_name(ID.as_bytes(), "txt").expect("stat");
        assert_eq!(
            stat.stamp.len, 5,
            "the folder opened, not the one the path names now"
        );
        assert_ne!(again.dir.as_raw_fd(), folder.dir.as_raw_fd());
        // Listed twice, the same names: each listing reads through a descriptor of its own
        // (a duplicate shares the read position, and the second listing found nothing).
        for _ in 0..2 {
            let mut names = Vec::new();
            for_each_name(&folder, |n| names.push(n.to_vec())).expect("list");
            assert_eq!(names, vec![format!("{ID}.txt").into_bytes()]);
        }
    }
}
