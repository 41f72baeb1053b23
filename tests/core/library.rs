//! The library on disk: round trips, duplicates, damaged files, trash, locking, overrides, and
//! per-file import outcomes.

use std::fs;
use std::path::{Path, PathBuf};

use clipfile::library::{Library, LibraryError, OpenMode, Outcome, SkipReason};
use clipfile::model::Field;
use clipfile::sample;

const SEED: &str = include_str!("../../seeds/000_41805ab46882eb0b.txt");

fn open(root: &Path) -> Library {
    Library::open(root, OpenMode::ReadWrite).expect("open library")
}

fn write_articles(dir: &Path, count: usize) -> Vec<PathBuf> {
    fs::create_dir_all(dir).expect("mkdir");
    let mut rng = sample::Rng::new(42);
    (0..count)
        .map(|n| {
            let path = dir.join(format!("a{n}.txt"));
            fs::write(&path, sample::article(&mut rng, n, 3000)).expect("write");
            path
        })
        .collect()
}

/// Import the seed article; its id.
fn import_seed(lib: &mut Library) -> String {
    match lib.import_text("seed.txt", SEED).expect("import") {
        Outcome::Imported { id, .. } => id,
        other => panic!("not imported: {other:?}"),
    }
}

fn import(lib: &mut Library, paths: Vec<PathBuf>) -> Vec<Outcome> {
    lib.import_blocking(paths, |_| {})
        .expect("import")
        .reports
        .into_iter()
        .map(|r| r.outcome)
        .collect()
}

#[test]
fn round_trip_import_reopen_everything_equal() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let files = write_articles(&tmp.path().join("in"), 12);
    let mut lib = open(&root);
    let outcomes = import(&mut lib, files);
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, Outcome::Imported { .. })),
        "{outcomes:?}"
    );
    let first = lib.clippings().next().expect("one").id.clone();
    lib.update(&first, |c| {
        c.tags = vec!["syria/diplomacy".into(), "to read".into()];
        c.notes = "Line one\n\n\"quoted\" and (parens), unicode: é ü 中文".into();
        c.overrides
            .fields
            .insert(Field::Headline, "My headline".into());
    })
    .expect("update");
    let before: Vec<_> = lib.clippings().cloned().collect();
    let texts: Vec<String> = before
        .iter()
        .map(|c| lib.text(&c.id).expect("text").to_string())
        .collect();
    drop(lib);

    let lib = open(&root);
    assert!(lib.problems().is_empty(), "{:?}", lib.problems());
    let after: Vec<_> = lib.clippings().cloned().collect();
    assert_eq!(before, after);
    for (c, text) in after.iter().zip(&texts) {
        assert_eq!(&*lib.text(&c.id).expect("text"), text.as_str());
    }
    assert_eq!(lib.get(&first).expect("c").title(), "My headline");
}

#[test]
fn duplicate_import_is_reported_not_added() {
    let tmp = tempfile::tempdir().expect("tmp");
    let seed = tmp.path().join("seed.txt");
    fs::write(&seed, SEED).expect("w");
    // The same article with CRLF line endings and trailing spaces is the same article.
    let copy = tmp.path().join("copy.txt");
    fs::write(&copy, SEED.replace('\n', "  \r\n")).expect("w");
    let mut lib = open(&tmp.path().join("lib"));
    let outcomes = import(&mut lib, vec![seed.clone(), copy]);
    // The two are parsed in parallel: whichever is committed first is imported, the other is
    // its duplicate (reports come in file-name order, so either can be first).
    let imported = outcomes
        .iter()
        .filter(|o| matches!(o, Outcome::Imported { .. }))
        .count();
    let duplicates = outcomes
        .iter()
        .filter(|o| {
            matches!(
                o,
                Outcome::Duplicate {
                    in_trash: false,
                    ..
                }
            )
        })
        .count();
    assert_eq!((imported, duplicates), (1, 1), "{outcomes:?}");
    let again = import(&mut lib, vec![seed]);
    assert!(matches!(again[0], Outcome::Duplicate { .. }));
    assert_eq!(lib.len(), 1);
}

#[test]
fn damaged_and_future_files_are_reported_and_left_byte_identical() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let files = write_articles(&tmp.path().join("in"), 3);
    let mut lib = open(&root);
    import(&mut lib, files.clone());
    let ids: Vec<String> = lib.clippings().map(|c| c.id.clone()).collect();
    drop(lib);

    let corrupt = root.join("clippings").join(format!("{}.ron", ids[0]));
    let future = root.join("clippings").join(format!("{}.ron", ids[1]));
    let corrupt_bytes = b"Clipping(format: 1, id: \"oops\", <<< not ron".to_vec();
    fs::write(&corrupt, &corrupt_bytes).expect("w");
    let future_text = fs::read_to_string(&future)
        .expect("r")
        .replace("format: 1,", "format: 99,")
        .replace("tags: [", "new_thing: 3, tags: [");
    fs::write(&future, &future_text).expect("w");

    let mut lib = open(&root);
    assert_eq!(lib.len(), 1, "the undamaged clipping loads");
    let problems: Vec<String> = lib.problems().iter().map(|p| p.to_string()).collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        problems
            .iter()
            .any(|p| p.contains(&ids[0]) && p.contains("not valid")),
        "{problems:?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains(&ids[1]) && p.contains("newer Clipfile")),
        "{problems:?}"
    );

    // Importing the same texts again must not overwrite the unreadable records.
    let outcomes = import(&mut lib, files);
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| **o == Outcome::Skipped(SkipReason::Blocked))
            .count(),
        2,
        "{outcomes:?}"
    );
    let good = ids[2].clone();
    lib.update(&good, |c| c.notes = "still writable".into())
        .expect("save");
    lib.reparse().expect("reparse");
    drop(lib);
    assert_eq!(fs::read(&corrupt).expect("r"), corrupt_bytes);
    assert_eq!(fs::read_to_string(&future).expect("r"), future_text);
}

#[test]
fn trash_restore_and_empty() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let mut lib = open(&root);
    let id = import_seed(&mut lib);
    lib.update(&id, |c| c.notes = "keep me".into())
        .expect("note");
    lib.trash(&id).expect("trash");
    assert!(lib.get(&id).is_none());
    assert!(root.join("trash").join(format!("{id}.ron")).exists());
    assert_eq!(lib.trashed().len(), 1);
    // Re-importing a trashed text says where it is.
    assert!(matches!(
        lib.import_text("again.txt", SEED).expect("import"),
        Outcome::Duplicate { in_trash: true, .. }
    ));
    drop(lib);

    let mut lib = open(&root);
    assert!(lib.is_empty());
    let restored = lib.restore(&id[..6]).expect("restore by prefix");
    assert_eq!(restored.notes, "keep me");
    assert_eq!(lib.text(&id).ok().map(|t| t.len()), Some(SEED.len()));
    lib.trash(&id).expect("trash");
    assert_eq!(lib.empty_trash().expect("empty").removed, 1);
    assert!(matches!(lib.restore(&id), Err(LibraryError::NotInTrash(_))));
    assert_eq!(fs::read_dir(root.join("trash")).expect("dir").count(), 0);
}

#[test]
fn a_lock_given_up_a_moment_later_is_taken() {
    // Held for a moment by another holder (as a child process this one was starting holds it
    // between its fork and its exec): the open waits for it instead of refusing.
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let held = open(&root);
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(20));
        drop(held);
    });
    let lib = Library::open(&root, OpenMode::ReadWrite);
    release.join().expect("release");
    assert!(lib.is_ok(), "{:?}", lib.err());
}

#[test]
fn a_second_writer_is_refused_with_a_clear_message() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let _held = open(&root);
    match Library::open(&root, OpenMode::ReadWrite) {
        Err(e @ LibraryError::Locked { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains("open in another Clipfile process"), "{msg}");
            assert!(
                msg.contains(&format!("process {}", std::process::id())),
                "{msg}"
            );
        }
        other => panic!("expected a lock error, got {other:?}"),
    }
    // Reading needs no lock.
    let ro = Library::open(&root, OpenMode::ReadOnly).expect("read-only");
    assert!(ro.is_read_only());

    // And another process gets the same refusal.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_clipfile"))
        .arg("--library")
        .arg(&root)
        .args(["import", "seeds"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run clipfile");
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("open in another Clipfile process"),
        "{stderr}"
    );
}

#[test]
fn overrides_survive_reparse() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let mut lib = open(&root);
    let id = import_seed(&mut lib);
    let parsed = lib.get(&id).expect("c").parsed.clone();
    // Pretend an older parser got the headline wrong, and the reader corrected the section.
    lib.update(&id, |c| {
        c.parsed.headline = Some("stale parse".into());
        c.parser_version = 0;
        c.overrides
            .fields
            .insert(Field::Section, "Front page".into());
    })
    .expect("update");
    drop(lib);
    let mut lib = open(&root);
    assert_eq!(lib.reparse().expect("reparse"), 1);
    drop(lib);
    let lib = open(&root);
    let c = lib.get(&id).expect("c");
    assert_eq!(c.parsed, parsed, "the parse is redone");
    assert_eq!(
        c.field(Field::Section),
        Some("Front page"),
        "the override stays"
    );
    assert!(c.is_edited(Field::Section));
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    let mut out = vec![0xff, 0xfe];
    for unit in text.encode_utf16() {
        out.extend_from_slice(&unit.to_le_bytes());
    }
    out
}

#[test]
fn a_mixed_folder_gives_the_right_outcome_per_file() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("mixed");
    fs::create_dir_all(dir.join("sub")).expect("mkdir");
    let mut rng = sample::Rng::new(9);
    fs::write(
        dir.join("a_article.txt"),
        sample::article(&mut rng, 1, 2000),
    )
    .expect("w");
    fs::write(
        dir.join("sub/b_article.txt"),
        sample::article(&mut rng, 2, 2000),
    )
    .expect("w");
    fs::write(
        dir.join("c_photo.png"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10",
    )
    .expect("w");
    fs::write(dir.join("d_empty.txt"), b"").expect("w");
    let big = vec![b'a'; 20 * 1024 * 1024];
    fs::write(dir.join("e_huge.txt"), &big).expect("w");
    fs::write(
        dir.join("f_cp1252.txt"),
        b"Caf\xe9 owners \x93cheer\x94 new rules\n\nPARIS \x97 The caf\xe9s of Paris welcomed the rules on Thursday.\n",
    )
    .expect("w");
    fs::write(
        dir.join("g_utf16.txt"),
        utf16le_with_bom(
            "Zürich votes on housing\r\n\r\nZURICH (AP) — Voters in Zürich decided on Sunday.\r\n",
        ),
    )
    .expect("w");

    let mut lib = open(&tmp.path().join("lib"));
    let summary = lib.import_blocking(vec![dir], |_| {}).expect("import");
    let by_name: Vec<(String, Outcome)> = summary
        .reports
        .iter()
        .map(|r| {
            let name = r
                .path
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            (name, r.outcome.clone())
        })
        .collect();
    let names: Vec<&str> = by_name.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "a_article.txt",
            "c_photo.png",
            "d_empty.txt",
            "e_huge.txt",
            "f_cp1252.txt",
            "g_utf16.txt",
            "b_article.txt"
        ]
    );
    let outcome = |name: &str| &by_name.iter().find(|(n, _)| n == name).expect(name).1;
    assert!(matches!(outcome("a_article.txt"), Outcome::Imported { .. }));
    assert!(matches!(outcome("b_article.txt"), Outcome::Imported { .. }));
    assert_eq!(
        outcome("c_photo.png"),
        &Outcome::Skipped(SkipReason::NotText(
            "not a text file: it looks like a PNG image".into()
        ))
    );
    assert_eq!(outcome("d_empty.txt"), &Outcome::Skipped(SkipReason::Empty));
    assert_eq!(
        outcome("e_huge.txt"),
        &Outcome::Skipped(SkipReason::TooLarge {
            bytes: 20 * 1024 * 1024
        })
    );
    assert!(matches!(outcome("f_cp1252.txt"), Outcome::Imported { .. }));
    assert!(matches!(outcome("g_utf16.txt"), Outcome::Imported { .. }));
    assert_eq!(
        (summary.imported(), summary.skipped(), summary.duplicates()),
        (4, 3, 0)
    );

    let cp = lib
        .clippings()
        .find(|c| c.source_name == "f_cp1252.txt")
        .expect("cp1252");
    assert_eq!(cp.encoding, "windows-1252");
    assert!(
        lib.text(&cp.id)
            .expect("t")
            .contains("Café owners “cheer” new rules")
    );
    let u16 = lib
        .clippings()
        .find(|c| c.source_name == "g_utf16.txt")
        .expect("utf16");
    assert_eq!(u16.encoding, "UTF-16LE");
    assert!(
        lib.text(&u16.id)
            .expect("t")
            .starts_with("Zürich votes on housing\n\nZURICH")
    );
}

#[test]
fn import_can_be_cancelled_and_reports_progress() {
    let tmp = tempfile::tempdir().expect("tmp");
    let files = write_articles(&tmp.path().join("in"), 300);
    let lib = open(&tmp.path().join("lib"));
    let job = lib
        .start_import(vec![tmp.path().join("in")])
        .expect("start");
    job.cancel();
    let mut files_done = 0;
    let mut imported = 0;
    let mut cancelled = None;
    while let Ok(msg) = job.recv() {
        match msg {
            clipfile::library::ImportMsg::File { imported: made, .. } => {
                files_done += 1;
                imported += usize::from(made.is_some());
            }
            clipfile::library::ImportMsg::Done { cancelled: c } => {
                cancelled = Some(c);
                break;
            }
        }
    }
    assert_eq!(cancelled, Some(true));
    assert!(files_done < files.len(), "{files_done} of {}", files.len());
    // Cancel may stop the listing itself: the total is what was found by then.
    assert!(job.progress().total() <= files.len());
    assert_eq!(job.progress().done(), files_done);
    // Every file reported imported is on disk, and nothing half-done is left behind.
    let names: Vec<String> = fs::read_dir(tmp.path().join("lib").join("clippings"))
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.iter().filter(|n| n.ends_with(".ron")).count(),
        imported
    );
    assert_eq!(
        names.iter().filter(|n| n.ends_with(".txt")).count(),
        imported
    );
    assert!(
        !names.iter().any(|n| n.ends_with(".clipfile-tmp")),
        "{names:?}"
    );
}

#[test]
fn leftover_temp_files_are_removed_on_open() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    drop(open(&root));
    let stale = root
        .join("clippings")
        .join(".0123456789abcdef.ron.77.1.clipfile-tmp");
    fs::write(&stale, "half a reco").expect("w");
    let lib = open(&root);
    assert_eq!(lib.temps_removed(), 1);
    assert!(!stale.exists());
}

#[test]
fn sync_conflict_copies_are_reported() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let mut lib = open(&root);
    let id = import_seed(&mut lib);
    drop(lib);
    let ron = root.join("clippings").join(format!("{id}.ron"));
    let conflict = root
        .join("clippings")
        .join(format!("{id}.sync-conflict-20260101-120000-ABC.ron"));
    fs::copy(&ron, &conflict).expect("copy");
    let lib = open(&root);
    assert_eq!(lib.len(), 1);
    assert!(
        lib.problems()
            .iter()
            .any(|p| p.path == conflict && p.reason.contains("conflict"))
    );
    assert!(conflict.exists());
}

#[test]
fn changes_made_outside_the_app_are_seen_on_the_next_open() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let files = write_articles(&tmp.path().join("in"), 3);
    let mut lib = open(&root);
    import(&mut lib, files[..2].to_vec());
    let ids: Vec<String> = lib.clippings().map(|c| c.id.clone()).collect();
    drop(lib);

    // A sync tool edits one record, adds a clipping written by another copy of the library,
    // and removes another.
    let edited = root.join("clippings").join(format!("{}.ron", ids[0]));
    let text = fs::read_to_string(&edited)
        .expect("r")
        .replace("notes: \"\"", "notes: \"from the laptop\"");
    fs::write(&edited, text).expect("w");
    let other_root = tmp.path().join("other");
    let mut other = open(&other_root);
    import(&mut other, vec![files[2].clone()]);
    let added = other.clippings().next().expect("one").id.clone();
    drop(other);
    for ext in ["ron", "txt"] {
        fs::copy(
            other_root.join("clippings").join(format!("{added}.{ext}")),
            root.join("clippings").join(format!("{added}.{ext}")),
        )
        .expect("copy");
        fs::remove_file(root.join("clippings").join(format!("{}.{ext}", ids[1]))).expect("rm");
    }

    let lib = open(&root);
    assert_eq!(lib.get(&ids[0]).expect("edited").notes, "from the laptop");
    assert!(lib.get(&ids[1]).is_none(), "removed");
    assert!(lib.get(&added).is_some(), "added");
    assert_eq!(lib.len(), 2);
}

#[test]
fn a_missing_text_file_is_reported_and_its_record_left_alone() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let mut lib = open(&root);
    let id = import_seed(&mut lib);
    drop(lib);
    let ron = root.join("clippings").join(format!("{id}.ron"));
    let before = fs::read(&ron).expect("r");
    fs::remove_file(root.join("clippings").join(format!("{id}.txt"))).expect("rm");
    let mut lib = open(&root);
    assert!(lib.is_empty());
    assert!(
        lib.problems()
            .iter()
            .any(|p| p.reason.contains("text cannot be read"))
    );
    // Importing the text again does not overwrite the record.
    assert_eq!(
        lib.import_text("again.txt", SEED).expect("import"),
        Outcome::Skipped(SkipReason::Blocked)
    );
    drop(lib);
    assert_eq!(fs::read(&ron).expect("r"), before);
}

/// Texts are read when asked for: an edit made on disk after the text was read (and cached)
/// is what the next read gives, not the copy read before.
#[test]
fn a_text_edited_on_disk_is_read_fresh_not_from_the_cache() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let mut lib = open(&root);
    let id = import_seed(&mut lib);
    assert_eq!(&*lib.text(&id).expect("text"), SEED);
    assert!(
        lib.cached_text_bytes() > 0,
        "the text just imported is cached"
    );
    let txt = root.join("clippings").join(format!("{id}.txt"));
    // Same length, so only the file's times tell the copies apart.
    let edited = SEED.replacen('a', "b", 1);
    assert_eq!(edited.len(), SEED.len());
    fs::write(&txt, &edited).expect("write");
    assert_eq!(&*lib.text(&id).expect("text"), edited.as_str());
}

/// A text that cannot be read any more after the library was opened (replaced by a folder, by
/// a link, by bytes that are not UTF-8) is an error naming the file and why when the clipping
/// is read: never a panic, never an empty text.
#[test]
fn a_text_that_becomes_unreadable_after_open_is_an_error_when_read() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let mut lib = open(&root);
    let id = import_seed(&mut lib);
    drop(lib);
    let lib = open(&root);
    let txt = root.join("clippings").join(format!("{id}.txt"));
    let unreadable = |why: &str| match lib.text(&id) {
        Err(LibraryError::Text { path, reason }) => {
            assert_eq!(path, txt);
            assert!(reason.contains(why), "{reason}");
            let shown = lib.text(&id).expect_err("still unreadable").to_string();
            assert!(shown.contains(&txt.display().to_string()), "{shown}");
        }
        other => panic!("{why}: {other:?}"),
    };
    fs::write(&txt, b"caf\xe9 \xff\xfe").expect("write");
    unreadable("not UTF-8");
    fs::remove_file(&txt).expect("rm");
    std::os::unix::fs::symlink(root.join("library.ron"), &txt).expect("link");
    unreadable("symbolic link");
    fs::remove_file(&txt).expect("rm");
    fs::create_dir(&txt).expect("dir");
    unreadable("folder");
    fs::remove_dir(&txt).expect("rm");
    unreadable("No such file");
    // The record is untouched and still listed.
    assert!(lib.get(&id).is_some());
    // Showing it on the command line says why instead of printing an empty article.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_clipfile"))
        .args(["--library"])
        .arg(&root)
        .args(["show", &id])
        .env("CLIPFILE_CACHE_DIR", tmp.path().join("cache"))
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot be read"), "{err}");
}

/// Opening a library reads the records, not the texts: a text whose bytes went bad after
/// it was written (same file, not UTF-8 any more) does not stop the clipping from being
/// listed; it is reported when the clipping is read.
#[test]
fn open_lists_a_clipping_without_reading_its_text() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let mut lib = open(&root);
    let id = import_seed(&mut lib);
    drop(lib);
    let txt = root.join("clippings").join(format!("{id}.txt"));
    fs::write(&txt, vec![0xffu8; SEED.len()]).expect("write");
    let lib = open(&root);
    assert_eq!(lib.len(), 1);
    assert!(lib.problems().is_empty(), "{:?}", lib.problems());
    assert_eq!(
        lib.get(&id).map(|c| c.title().to_string()),
        Some("Joining forces against ISIS, 2 nations say".to_string())
    );
    assert_eq!(lib.cached_text_bytes(), 0, "no text read at open");
    assert!(matches!(lib.text(&id), Err(LibraryError::Text { .. })));
}

#[test]
fn a_failed_save_changes_nothing_on_disk_or_in_memory() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let mut lib = open(&root);
    let id = import_seed(&mut lib);
    lib.update(&id, |c| c.notes = "kept".into()).expect("save");
    let ron = root.join("clippings").join(format!("{id}.ron"));
    let before = fs::read(&ron).expect("r");
    // Inject a writer error (as a full disk or a folder gone read-only would): the clippings
    // folder is replaced by a plain file, so every write below it fails.
    let moved = root.join("clippings.real");
    fs::rename(root.join("clippings"), &moved).expect("move");
    fs::write(root.join("clippings"), b"not a folder").expect("block");
    let err = lib
        .update(&id, |c| c.notes = "lost?".into())
        .expect_err("the save must fail");
    assert!(err.to_string().starts_with("cannot save"), "{err}");
    assert_eq!(
        lib.get(&id).expect("c").notes,
        "kept",
        "memory keeps the saved state"
    );
    fs::remove_file(root.join("clippings")).expect("unblock");
    fs::rename(&moved, root.join("clippings")).expect("restore");
    assert_eq!(fs::read(&ron).expect("r"), before, "the file is untouched");
}

#[test]
fn the_library_tells_which_clippings_changed_since_a_revision() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let mut lib = open(&root);
    let seed = import_seed(&mut lib);
    let files = write_articles(&tmp.path().join("in"), 2);
    import(&mut lib, files);
    drop(lib);

    // Reopened: loading is not a change.
    let mut lib = open(&root);
    let start = lib.revision();
    assert_eq!(lib.changed_since(start), Some(vec![]));
    lib.update(&seed, |c| c.notes = "Check the Bloomberg version".into())
        .expect("note");
    let after_note = lib.revision();
    assert!(after_note > start);
    assert_eq!(lib.changed_since(start), Some(vec![seed.as_str()]));
    let other = lib
        .clippings()
        .map(|c| c.id.clone())
        .find(|id| *id != seed)
        .expect("another clipping");
    lib.trash(&other).expect("trash");
    assert_eq!(
        lib.changed_since(start),
        Some(vec![seed.as_str(), other.as_str()])
    );
    assert_eq!(lib.changed_since(after_note), Some(vec![other.as_str()]));
    // A revision from before this library was opened, or one it never had, is not answered.
    assert_eq!(lib.changed_since(start - 1), None);
    assert_eq!(lib.changed_since(lib.revision() + 1), None);
    // Another open library has its own instance number.
    let tmp2 = tempfile::tempdir().expect("tmp");
    assert_ne!(open(tmp2.path()).instance(), lib.instance());
}

// ---- Hostile library folders and faults (issue 15) ----

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).expect("c path");
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

fn ron_path(root: &Path, id: &str) -> PathBuf {
    root.join("clippings").join(format!("{id}.ron"))
}

#[test]
fn a_lock_file_linked_outside_is_never_written_through() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    drop(open(&root));
    let outside = tmp.path().join("precious.txt");
    fs::write(&outside, "do not touch").expect("w");
    let lock = root.join(".clipfile.lock");
    fs::remove_file(&lock).expect("rm lock");
    std::os::unix::fs::symlink(&outside, &lock).expect("symlink");
    let err = Library::open(&root, OpenMode::ReadWrite).expect_err("a linked lock is refused");
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert_eq!(fs::read(&outside).expect("r"), b"do not touch");
    // A dangling link is not created through either.
    fs::remove_file(&lock).expect("rm");
    let nowhere = tmp.path().join("created-outside");
    std::os::unix::fs::symlink(&nowhere, &lock).expect("symlink");
    assert!(Library::open(&root, OpenMode::ReadWrite).is_err());
    assert!(!nowhere.exists());
    // A FIFO as the lock file: refused, no hang.
    fs::remove_file(&lock).expect("rm");
    mkfifo(&lock);
    assert!(Library::open(&root, OpenMode::ReadWrite).is_err());
}

#[test]
fn fifos_devices_and_links_in_a_library_are_reported_not_read() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let mut lib = open(&root);
    let id = import_seed(&mut lib);
    drop(lib);
    let dir = root.join("clippings");
    mkfifo(&dir.join("00000000000000aa.ron"));
    std::os::unix::fs::symlink("/dev/zero", dir.join("00000000000000bb.ron")).expect("ln");
    let outside = tmp.path().join("outside.ron");
    fs::copy(ron_path(&root, &id), &outside).expect("cp");
    std::os::unix::fs::symlink(&outside, dir.join("00000000000000cc.ron")).expect("ln");
    fs::File::create(dir.join("00000000000000dd.ron"))
        .expect("c")
        .set_len(1 << 33)
        .expect("sparse");
    // The seed's text replaced by a FIFO, library.ron by a link to /dev/zero.
    fs::remove_file(dir.join(format!("{id}.txt"))).expect("rm");
    mkfifo(&dir.join(format!("{id}.txt")));
    fs::remove_file(root.join("library.ron")).expect("rm");
    std::os::unix::fs::symlink("/dev/zero", root.join("library.ron")).expect("ln");

    for mode in [OpenMode::ReadOnly, OpenMode::ReadWrite] {
        let lib = Library::open(&root, mode).expect("opens");
        assert!(lib.is_empty());
        let reported: Vec<String> = lib
            .problems()
            .iter()
            .map(|p| {
                p.path
                    .file_name()
                    .expect("name")
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        for name in [
            "00000000000000aa.ron",
            "00000000000000bb.ron",
            "00000000000000cc.ron",
            "00000000000000dd.ron",
            &format!("{id}.txt"),
            "library.ron",
        ] {
            assert!(reported.iter().any(|r| r == name), "{name} in {reported:?}");
        }
        let dd = lib
            .problems()
            .iter()
            .find(|p| p.path.ends_with("00000000000000dd.ron"))
            .expect("dd");
        assert!(dd.reason.contains("too large"), "{}", dd.reason);
    }
    // The settings link is never replaced (the library.ron there is not ours to rewrite).
    assert!(
        fs::symlink_metadata(root.join("library.ron"))
            .expect("m")
            .file_type()
            .is_symlink()
    );
}

#[test]
fn a_linked_clippings_folder_is_refused() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    fs::create_dir_all(&root).expect("mkdir");
    let elsewhere = tmp.path().join("elsewhere");
    fs::create_dir(&elsewhere).expect("mkdir");
    std::os::unix::fs::symlink(&elsewhere, root.join("clippings")).expect("ln");
    assert!(matches!(
        Library::open(&root, OpenMode::ReadWrite),
        Err(LibraryError::LinkedFolder(_))
    ));
    assert_eq!(fs::read_dir(&elsewhere).expect("dir").count(), 0);
}

/// A record of the seed with its id changed (and stored under a 16-digit name).
fn record_with_id(root: &Path, id: &str, new_id: &str) -> String {
    fs::read_to_string(ron_path(root, id))
        .expect("ron")
        .replace(&format!("id: \"{id}\""), &format!("id: \"{new_id}\""))
}

#[test]
fn the_trash_lists_and_keeps_what_it_cannot_read() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let mut lib = open(&root);
    let id = import_seed(&mut lib);
    let trash = root.join("trash");
    // A record whose id is short (the old `trash` panicked on it), and a newer record.
    fs::write(
        trash.join("0000000000000001.ron"),
        record_with_id(&root, &id, "abc"),
    )
    .expect("w");
    fs::write(trash.join("0000000000000001.txt"), SEED).expect("w");
    let newer = record_with_id(&root, &id, "0000000000000002").replace("format: 1", "format: 9");
    fs::write(trash.join("0000000000000002.ron"), &newer).expect("w");
    lib.trash(&id).expect("trash");
    drop(lib);

    let mut lib = open(&root);
    let listed = lib.trashed();
    let ids: Vec<&str> = listed.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["0000000000000001", "0000000000000002", id.as_str()]);
    assert!(
        listed[0]
            .record
            .as_ref()
            .expect_err("short id")
            .contains("abc")
    );
    assert!(
        listed[1]
            .record
            .as_ref()
            .expect_err("newer")
            .contains("newer")
    );
    assert!(listed[2].record.is_ok());
    assert!(matches!(
        lib.restore("0000000000000001"),
        Err(LibraryError::Unreadable(_))
    ));
    assert!(
        trash.join("0000000000000001.ron").exists(),
        "left in the trash"
    );
    let emptied = lib.empty_trash().expect("empty");
    assert_eq!(emptied.removed, 1);
    assert_eq!(emptied.kept.len(), 2);
    assert_eq!(
        fs::read_to_string(trash.join("0000000000000002.ron")).expect("kept"),
        newer
    );
    assert!(trash.join("0000000000000001.ron").exists());
    assert!(!trash.join(format!("{id}.ron")).exists());
}

#[test]
fn rm_never_replaces_an_entry_already_in_the_trash() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let mut lib = open(&root);
    let id = import_seed(&mut lib);
    lib.update(&id, |c| c.notes = "first notes".into())
        .expect("note");
    // The same files back in clippings too (as a sync tool can leave them).
    for ext in ["ron", "txt"] {
        let name = format!("{id}.{ext}");
        fs::copy(
            root.join("clippings").join(&name),
            root.join("trash").join(&name),
        )
        .expect("cp");
    }
    drop(lib);
    let mut lib = open(&root);
    lib.update(&id, |c| c.notes = "second notes".into())
        .expect("note");
    assert!(matches!(
        lib.trash(&id),
        Err(LibraryError::AlreadyInTrash(_))
    ));
    let in_trash = fs::read_to_string(root.join("trash").join(format!("{id}.ron"))).expect("r");
    assert!(in_trash.contains("first notes"));
    assert_eq!(lib.get(&id).map(|c| c.notes.as_str()), Some("second notes"));
}

#[test]
fn a_newer_record_with_a_long_comment_first_is_left_byte_identical() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let mut lib = open(&root);
    let id = import_seed(&mut lib);
    drop(lib);
    let path = ron_path(&root, &id);
    let record = fs::read_to_string(&path).expect("r");
    let newer = format!(
        "// {}\n{}",
        "c".repeat(600),
        record.replace("format: 1", "format: 2")
    );
    fs::write(&path, &newer).expect("w");
    let mut lib = open(&root);
    assert!(lib.get(&id).is_none(), "a newer record is not loaded");
    assert!(lib.problems().iter().any(|p| p.reason.contains("newer")));
    assert!(lib.update(&id, |c| c.tags.push("x".into())).is_err());
    assert!(matches!(
        lib.import_text("again.txt", SEED),
        Ok(Outcome::Skipped(SkipReason::Blocked))
    ));
    assert_eq!(fs::read_to_string(&path).expect("r"), newer);
}

#[test]
fn a_record_with_unknown_fields_keeps_them_across_a_save() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let mut lib = open(&root);
    let id = import_seed(&mut lib);
    drop(lib);
    let path = ron_path(&root, &id);
    let record = fs::read_to_string(&path).expect("r");
    // A top-level field of a later version: kept exactly as written across saves.
    let field = "    mood: Mood(level: 3, words: [\"calm\"]), // a later version's field\n";
    let at = "    format: 1,\n";
    assert!(record.contains(at));
    fs::write(&path, record.replacen(at, &format!("{at}{field}"), 1)).expect("w");
    for round in 0..2 {
        let mut lib = open(&root);
        lib.update(&id, |c| c.tags.push(format!("t{round}")))
            .expect("saves");
        drop(lib);
        let saved = fs::read_to_string(&path).expect("r");
        assert!(
            saved.contains("mood: Mood(level: 3, words: [\"calm\"])"),
            "{saved}"
        );
        assert!(saved.contains("\"t0\""), "the change is saved too");
        let lib = open(&root);
        assert!(lib.problems().is_empty(), "{:?}", lib.problems());
    }
    // A field deeper inside cannot be kept in place: the record is left untouched.
    let at = "    parsed: ArticleMetadata(\n";
    assert!(record.contains(at));
    let nested = record.replacen(at, &format!("{at}        sentiment: Some(0.5),\n"), 1);
    fs::write(&path, &nested).expect("w");
    let mut lib = open(&root);
    assert!(lib.get(&id).is_some(), "still readable");
    let err = lib
        .update(&id, |c| c.tags.push("x".into()))
        .expect_err("a save would drop the field");
    assert!(matches!(err, LibraryError::UnknownFields { .. }), "{err}");
    assert_eq!(fs::read_to_string(&path).expect("r"), nested, "field kept");
    drop(lib);
    // A record that lacks a field (written before the field existed) saves as usual.
    fs::write(&path, record.replacen("    notes: \"\",\n", "", 1)).expect("w");
    let mut lib = open(&root);
    lib.update(&id, |c| c.notes = "fine".into()).expect("saves");
}

#[test]
fn importing_a_parent_of_the_library_imports_nothing_of_it() {
    let tmp = tempfile::tempdir().expect("tmp");
    let parent = tmp.path().join("home");
    let root = parent.join("lib");
    let mut lib = open(&root);
    import_seed(&mut lib);
    write_articles(&parent.join("notes"), 2);
    // Another library beside it (detected by its library.ron).
    let mut other = open(&parent.join("other"));
    import_seed(&mut other);
    drop(other);
    for round in 0..2 {
        let summary = lib
            .import_blocking(vec![parent.clone()], |_| {})
            .expect("import");
        let expect_imported = if round == 0 { 2 } else { 0 };
        assert_eq!(summary.imported(), expect_imported, "{:?}", summary.reports);
        for r in &summary.reports {
            let inside = r.path.starts_with(&root) || r.path.starts_with(parent.join("other"));
            if inside {
                assert!(
                    matches!(r.outcome, Outcome::Skipped(SkipReason::InLibrary(_))),
                    "{r:?}"
                );
            }
        }
        assert_eq!(lib.len(), 3);
    }
    // A file of the library named directly is not imported either.
    let inner = fs::read_dir(root.join("clippings"))
        .expect("dir")
        .flatten()
        .map(|e| e.path())
        .collect::<Vec<_>>();
    let summary = lib.import_blocking(inner, |_| {}).expect("import");
    assert_eq!(summary.imported(), 0);
    assert_eq!(lib.len(), 3);
}

#[test]
fn a_rename_failing_mid_chunk_is_reported_file_by_file() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let mut lib = open(&root);
    let files = write_articles(&tmp.path().join("in"), 300);
    let clippings = root.join("clippings");
    let renames = std::sync::Arc::new(AtomicUsize::new(0));
    let seen = renames.clone();
    let watched = clippings.clone();
    clipfile::library::store::inject_rename_fault(move |dst| {
        if !dst.starts_with(&watched) {
            return None;
        }
        let n = seen.fetch_add(1, Ordering::SeqCst);
        // The record of the 51st file (after its text was renamed), the text of the 120th.
        let fail = n == 101 || n == 238;
        fail.then(|| std::io::Error::other("injected rename failure"))
    });
    let summary = lib.import_blocking(files, |_| {});
    clipfile::library::store::clear_rename_fault();
    let summary = summary.expect("import");
    let failed: Vec<&clipfile::library::FileReport> = summary
        .reports
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Skipped(SkipReason::WriteFailed(_))))
        .collect();
    assert_eq!(failed.len(), 2, "exactly the files whose renames failed");
    assert_eq!(summary.imported(), 298);
    for r in &summary.reports {
        if let Outcome::Imported { id, .. } = &r.outcome {
            assert!(clippings.join(format!("{id}.ron")).exists(), "{r:?}");
            assert!(clippings.join(format!("{id}.txt")).exists(), "{r:?}");
        }
    }
    let names: Vec<String> = fs::read_dir(&clippings)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let rons = names.iter().filter(|n| n.ends_with(".ron")).count();
    let txts = names.iter().filter(|n| n.ends_with(".txt")).count();
    assert_eq!(
        (rons, txts),
        (298, 298),
        "the disk matches the report, no temp: {}",
        names.len()
    );
    assert_eq!(names.len(), 596);
    drop(lib);
    assert_eq!(open(&root).len(), 298);
}

/// A folder `depth` levels deep (one-letter names), made relative to open folders so no path
/// grows past the system's limit; a file at each level in `files_at`.
fn deep_folder(base: &Path, depth: usize, files_at: &[usize]) {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    let c = |s: &str| std::ffi::CString::new(s).expect("c");
    let mut dir: OwnedFd = fs::File::open(base).expect("open").into();
    for level in 1..=depth {
        // SAFETY: valid fds and NUL-terminated names; each new fd is owned.
        unsafe {
            assert_eq!(libc::mkdirat(dir.as_raw_fd(), c("d").as_ptr(), 0o755), 0);
            let next = libc::openat(dir.as_raw_fd(), c("d").as_ptr(), libc::O_DIRECTORY);
            assert!(next >= 0);
            dir = OwnedFd::from_raw_fd(next);
            if files_at.contains(&level) {
                let f = libc::openat(
                    dir.as_raw_fd(),
                    c("a.txt").as_ptr(),
                    libc::O_WRONLY | libc::O_CREAT,
                    0o644,
                );
                assert!(f >= 0);
                let mut file = fs::File::from_raw_fd(f);
                std::io::Write::write_all(
                    &mut file,
                    format!("Level {level}\n\nAn article found {level} folders down.\n").as_bytes(),
                )
                .expect("write");
            }
        }
    }
}

#[test]
fn a_three_thousand_level_folder_is_listed_quickly() {
    let tmp = tempfile::tempdir().expect("tmp");
    let base = tmp.path().join("deep");
    fs::create_dir(&base).expect("mkdir");
    deep_folder(&base, 3000, &[3, 1000]);
    let mut lib = open(&tmp.path().join("lib"));
    let started = std::time::Instant::now();
    let summary = lib.import_blocking(vec![base], |_| {}).expect("import");
    let took = started.elapsed();
    eprintln!("3,000 levels listed and imported in {took:?}");
    assert_eq!(summary.imported(), 2, "{:?}", summary.reports);
    // Past the system's path limit the walk reports one folder and stops there.
    assert!(summary.reports.len() <= 3, "{:?}", summary.reports.len());
    // A generous bound (the old walk took 155 s): no hang, not a speed figure.
    assert!(took < std::time::Duration::from_secs(20), "{took:?}");
}

#[test]
fn export_never_writes_into_the_library() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let mut lib = open(&root);
    let id = import_seed(&mut lib);
    let record = fs::read(ron_path(&root, &id)).expect("r");
    let clipping = lib.get(&id).expect("c").clone();
    let format = clipfile::export::Format::from_name("md").expect("md");
    for (target, split) in [
        (ron_path(&root, &id), false),
        (root.join("clippings"), true),
        (root.join("new-folder"), true),
        (root.join("x.md"), false),
    ] {
        let result =
            clipfile::export::export_to_path(&lib, &[&clipping], format, split, &target, true);
        assert!(
            matches!(result, Err(clipfile::export::ExportError::InsideLibrary(_))),
            "{target:?}: {result:?}"
        );
    }
    assert_eq!(fs::read(ron_path(&root, &id)).expect("r"), record);
    assert!(!root.join("new-folder").exists() && !root.join("x.md").exists());
    let outside = tmp.path().join(".notes.md");
    clipfile::export::export_to_path(&lib, &[&clipping], format, false, &outside, false)
        .expect("a name starting with a dot is fine");
    assert!(outside.exists());
}

#[test]
fn batch_downloads_become_one_clipping_per_article() {
    use clipfile::batch::samples;
    let tmp = tempfile::tempdir().expect("tmp");
    let files = tmp.path().join("in");
    fs::create_dir_all(&files).expect("mkdir");
    // Names say nothing: the layouts are recognised by content.
    let lexis = files.join("download1.dat");
    fs::write(&lexis, samples::windows_1252(samples::LEXIS)).expect("write");
    let docx = files.join("download2.bin");
    fs::write(&docx, samples::nexis_docx()).expect("write");
    let rtf = files.join("download3.doc");
    fs::write(&rtf, samples::factiva_rtf()).expect("write");

    let root = tmp.path().join("lib");
    let mut lib = open(&root);
    let summary = lib
        .import_blocking(vec![lexis, docx, rtf], |_| {})
        .expect("import");
    let outcomes: Vec<&Outcome> = summary.reports.iter().map(|r| &r.outcome).collect();
    assert_eq!(summary.imported(), 6, "{outcomes:#?}");
    assert_eq!(summary.skipped(), 1);
    assert!(outcomes.iter().any(|o| matches!(
        o,
        Outcome::Skipped(SkipReason::Malformed {
            number: 3,
            total: 3,
            ..
        })
    )));
    assert_eq!(lib.len(), 6);

    let by_headline = |lib: &Library, h: &str| {
        lib.clippings()
            .find(|c| c.title() == h)
            .cloned()
            .unwrap_or_else(|| panic!("no clipping {h}"))
    };
    let guardian = by_headline(&lib, "Holyrood election date set for May");
    assert_eq!(guardian.encoding, "windows-1252");
    assert_eq!(
        guardian.field(Field::Publication),
        Some("The Guardian (London)")
    );
    assert_eq!(guardian.field(Field::Published), Some("2010-01-11"));
    assert_eq!(guardian.field(Field::Section), Some("HOME NEWS"));
    let src = guardian.source.clone().expect("batch source");
    assert_eq!(src.batch_file, "download1.dat");
    assert_eq!((src.position, src.total), (1, 3));
    assert_eq!(src.page.as_deref(), Some("6"));
    assert!(guardian.tags.contains(&"subject/Elections".to_string()));
    assert!(guardian.tags.contains(&"place/United Kingdom".to_string()));
    let text = lib.text(&guardian.id).expect("text");
    assert!(!text.contains("DOCUMENTS") && text.contains("LOAD-DATE: January 12, 2010"));

    let ft = by_headline(&lib, "Banks brace for tougher capital rules");
    assert_eq!(
        ft.source.as_ref().and_then(|s| s.doc_id.as_deref()),
        Some("FTFTA00020100111e61b0001x")
    );
    assert_eq!(
        by_headline(&lib, "Ärzte warnen vor Hitzewelle")
            .parsed
            .authors,
        vec!["Jörg Häring".to_string(), "Anne-Sophie Lefèvre".to_string()]
    );

    // The same documents downloaded again: by normalised text (the Lexis article under another
    // cover and number) and by document id (the Factiva article with a corrected paragraph).
    let again = files.join("again.txt");
    let times = samples::LEXIS
        .find("                              2 of 3")
        .expect("doc 2");
    let end = samples::LEXIS
        .find("                              3 of 3")
        .expect("doc 3");
    fs::write(
        &again,
        format!(
            "Download Request: zurich\n\n          1 of 1 DOCUMENT\n{}",
            &samples::LEXIS[times + 48..end]
        ),
    )
    .expect("write");
    let corrected = files.join("corrected.txt");
    fs::write(
        &corrected,
        samples::FACTIVA.replace(
            "publish its proposals next month",
            "publish its rules in March",
        ),
    )
    .expect("write");
    let outcomes = import(&mut lib, vec![again, corrected]);
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, Outcome::Duplicate { .. })),
        "{outcomes:#?}"
    );
    assert_eq!(outcomes.len(), 3);

    // Reopened and re-parsed, the database fields stay.
    drop(lib);
    let mut lib = open(&root);
    assert_eq!(lib.reparse().expect("reparse"), 0);
    let guardian2 = by_headline(&lib, "Holyrood election date set for May");
    assert_eq!(guardian2, guardian);

    // With the setting off, no subject or place tags.
    lib.update_settings(|s| s.batch_tags = false)
        .expect("settings");
    let docx2 = files.join("more.docx");
    let mut paragraphs = samples::NEXIS.to_vec();
    paragraphs[25] = "Port strike ends after four days";
    fs::write(&docx2, clipfile::batch::docx::build(&paragraphs)).expect("write");
    let outcomes = import(&mut lib, vec![docx2]);
    assert_eq!(outcomes.len(), 2);
    let port = by_headline(&lib, "Port strike ends after four days");
    assert!(port.tags.is_empty(), "{:?}", port.tags);
}

#[test]
fn a_500_document_batch_counts_every_article_in_the_progress() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut text = String::from("Factiva export\n\n");
    for n in 1..=500 {
        text.push_str(&format!(
            "HD\tCouncil approves budget number {n}\nWC\t40 words\nPD\t{} March 2019\nSN\tThe Courier\nLA\tEnglish\nLP\t\nThe council approved budget {n} on Tuesday after a long debate.\n\nTD\t\nSpending rises by {n} percent.\n\nAN\tDocument COUR{n:06}\n\n",
            1 + n % 28
        ));
    }
    let path = tmp.path().join("big.txt");
    fs::write(&path, text).expect("write");
    let mut lib = open(&tmp.path().join("lib"));
    let mut most = (0, 0);
    let summary = lib
        .import_blocking(vec![path], |p| most = most.max((p.done(), p.total())))
        .expect("import");
    assert_eq!(summary.imported(), 500);
    assert_eq!(most, (500, 500));
    assert_eq!(lib.len(), 500);
    let c = lib
        .clippings()
        .find(|c| c.title() == "Council approves budget number 77")
        .expect("article 77");
    assert_eq!(c.field(Field::Published), Some("2019-03-22"));
    assert_eq!(c.source.as_ref().map(|s| s.position), Some(77));
}

/// The corpus article whose file name starts with `prefix`; its clipping id in `lib`.
fn corpus_id(lib: &Library, prefix: &str) -> String {
    lib.clippings()
        .find(|c| c.source_name.starts_with(prefix))
        .unwrap_or_else(|| panic!("no corpus article {prefix}"))
        .id
        .clone()
}

/// The real corpus holds two stories printed by two outlets each: AP's Jamar Clark funeral story
/// (Arkansas Democrat-Gazette, Austin Daily Herald) and AP's turkey pardon, set to happen (WBRZ)
/// and done (PBS). Those group; the other stories on the same events written by other reporters
/// (WCCO's Jamar Clark funeral, the two Germanwings, the three Mali and the two Obama-in-Cuba
/// articles) do not.
#[test]
fn the_corpus_groups_its_stories_printed_by_several_outlets() {
    use clipfile::versions::LibraryVersions;
    let tmp = tempfile::tempdir().expect("tmp");
    let mut lib = open(&tmp.path().join("lib"));
    import(
        &mut lib,
        vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/articles")],
    );
    let mut versions = LibraryVersions::of(&lib);
    let name = |id: &String| lib.get(id).expect("clipping").source_name[..2].to_string();
    let groups: Vec<Vec<String>> = versions
        .index()
        .groups()
        .iter()
        .map(|g| {
            let mut names: Vec<String> = g.iter().map(name).collect();
            names.sort();
            names
        })
        .collect();
    let mut groups = groups;
    groups.sort();
    assert_eq!(groups, [["25", "60"], ["28", "62"]]);
    // The margins, for the note (`--nocapture`).
    for pair in [
        ["25", "60"],
        ["28", "62"],
        ["53", "54"],
        ["37", "64"],
        ["37", "65"],
        ["64", "65"],
        ["14", "57"],
        ["25", "61"],
        ["60", "61"],
        ["33", "63"],
    ] {
        let (x, y) = (corpus_id(&lib, pair[0]), corpus_id(&lib, pair[1]));
        let exact = |id: &str| {
            let text = lib.text(id).expect("text");
            clipfile::versions::shingles(&clipfile::versions::body_of(&text))
        };
        let (sx, sy) = (exact(&x), exact(&y));
        let shared = sx.iter().filter(|h| sy.binary_search(h).is_ok()).count();
        let a = versions.index().entry(&x).cloned();
        let b = versions.index().entry(&y).cloned();
        if let (Some(a), Some(b)) = (a, b) {
            println!(
                "{pair:?}: jaccard {:.2} (exact {:.2}), containment {:.2} (exact {:.2}), shingles {} / {}",
                a.signature.jaccard(&b.signature),
                shared as f64 / (sx.len() + sy.len() - shared) as f64,
                a.signature.containment(&b.signature),
                shared as f64 / sx.len().min(sy.len()) as f64,
                a.signature.shingles,
                b.signature.shingles
            );
        }
    }
    for apart in [
        ["53", "54"],
        ["37", "64"],
        ["64", "65"],
        ["14", "57"],
        ["25", "61"],
    ] {
        let a = corpus_id(&lib, apart[0]);
        let group = versions.index().group_of(&a);
        assert!(
            !group.contains(&corpus_id(&lib, apart[1])),
            "{apart:?} grouped"
        );
    }

    // Kept current: trashing one version splits the group, restoring it joins it again.
    let clark = corpus_id(&lib, "60");
    lib.trash(&clark).expect("trash");
    versions.refresh(&lib);
    assert_eq!(versions.index().groups().len(), 1);
    lib.restore(&clark).expect("restore");
    versions.refresh(&lib);
    assert_eq!(versions.index().group_of(&clark).len(), 2);
    // An edit of the published date is taken in: a year apart, they are different stories.
    let democrat = corpus_id(&lib, "25");
    lib.update(&democrat, |c| {
        c.overrides
            .fields
            .insert(Field::Published, "2016-11-25".into());
    })
    .expect("edit");
    versions.refresh(&lib);
    assert_eq!(versions.index().group_of(&clark).len(), 1);
    lib.update(&democrat, |c| {
        c.overrides.fields.remove(&Field::Published);
    })
    .expect("edit");
    versions.refresh(&lib);
    let info = clipfile::versions::versions_of(&mut versions, &lib, &clark);
    assert_eq!(info[0].id, clark);
    assert_eq!(info[1].id, corpus_id(&lib, "25"));
    assert!(info[1].similarity.is_some_and(|s| s > 0.5), "{info:?}");
}
