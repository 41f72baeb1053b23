//! No panic, no hang on any input: the decoder, the RON loader and the parser over arbitrary
//! and mutated data (100,000 cases in all; run with PROPTEST_CASES to change the counts).

use clipfile::library::store::parse_ron;
use clipfile::model::Clipping;
use proptest::prelude::*;

fn seed_record() -> String {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut lib =
        clipfile::library::Library::open(tmp.path(), clipfile::library::OpenMode::ReadWrite)
            .expect("open");
    let id = match lib
        .import_text("seed.txt", clipfile::sample::SEED_TEXT)
        .expect("import")
    {
        clipfile::library::Outcome::Imported { id, .. } => id,
        other => panic!("{other:?}"),
    };
    lib.update(&id, |c| {
        c.tags = vec!["syria/diplomacy".into()];
        c.notes = "A note with \"quotes\" and\nnew lines".into();
    })
    .expect("update");
    std::fs::read_to_string(tmp.path().join("clippings").join(format!("{id}.ron"))).expect("ron")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(50_000))]
    #[test]
    fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        if let Ok(d) = clipfile::decode::decode(&bytes) {
            prop_assert!(!d.text.contains('\r'));
            prop_assert!(!d.text.trim().is_empty());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(25_000))]
    #[test]
    fn parse_never_panics_on_short_texts(text in "(?s).{0,300}") {
        let meta = clipfile::parse::parse_article(&text);
        prop_assert!(meta.headline.as_deref() != Some(""));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(25_000))]
    #[test]
    fn ron_loader_never_panics_on_damaged_records(
        cut in 0usize..4000,
        flips in proptest::collection::vec((0usize..4000, any::<u8>()), 0..4),
        junk in "(?s).{0,40}",
    ) {
        thread_local!(static RECORD: String = seed_record());
        let record = RECORD.with(|r| r.clone());
        let mut bytes = record.into_bytes();
        for (at, b) in flips {
            if !bytes.is_empty() {
                let i = at % bytes.len();
                bytes[i] = b;
            }
        }
        bytes.truncate(cut.min(bytes.len()));
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        text.push_str(&junk);
        // Either it loads or it is an error: never a panic.
        let _ = parse_ron::<Clipping>(&text);
    }
}

#[test]
fn a_truncated_record_is_an_error_not_a_partial_clipping() {
    let record = seed_record();
    for cut in [0, 10, record.len() / 2, record.len() - 3] {
        assert!(
            parse_ron::<Clipping>(&record[..cut]).is_err(),
            "cut at {cut}"
        );
    }
    assert!(parse_ron::<Clipping>(&record).is_ok());
}

/// One hostile kind of file at `path`: a link (to a device, outside, nowhere), a FIFO, a huge
/// sparse file, a folder, random bytes, or a damaged or good record.
fn hostile_file(
    path: &std::path::Path,
    kind: u64,
    rng: &mut clipfile::sample::Rng,
    record: &str,
    outside: &std::path::Path,
) {
    use std::os::unix::fs::symlink;
    match kind {
        0 => symlink("/dev/zero", path).expect("ln"),
        1 => symlink(outside, path).expect("ln"),
        2 => symlink(path.with_extension("nowhere"), path).expect("ln"),
        3 => {
            let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).expect("c");
            // SAFETY: a valid NUL-terminated path.
            assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        }
        4 => std::fs::File::create(path)
            .expect("c")
            .set_len(1 << (20 + rng.below(14)))
            .expect("sparse"),
        5 => std::fs::create_dir(path).expect("mkdir"),
        6 => {
            let bytes: Vec<u8> = (0..rng.below(3000)).map(|_| rng.next_u64() as u8).collect();
            std::fs::write(path, bytes).expect("w");
        }
        7 => {
            let mut bytes = record.as_bytes().to_vec();
            for _ in 0..rng.below(4) {
                let i = rng.below(bytes.len());
                bytes[i] = rng.next_u64() as u8;
            }
            bytes.truncate(rng.below(bytes.len() + 1));
            std::fs::write(path, bytes).expect("w");
        }
        8 => symlink("/dev/urandom", path).expect("ln"),
        _ => std::fs::write(path, record).expect("w"),
    }
}

/// A short fuzz pass over the record loader with hostile file kinds in every place of a
/// library (records, texts, the trash, library.ron, the lock file): opening, listing the trash,
/// emptying it and saving never hang, never panic, and never write outside the library.
#[test]
fn the_loader_survives_hostile_file_kinds() {
    use clipfile::library::{Library, OpenMode};
    let tmp = tempfile::tempdir().expect("tmp");
    let record_root = tmp.path().join("seed");
    let mut seed = Library::open(&record_root, OpenMode::ReadWrite).expect("open");
    let id = match seed
        .import_text("seed.txt", clipfile::sample::SEED_TEXT)
        .expect("import")
    {
        clipfile::library::Outcome::Imported { id, .. } => id,
        other => panic!("{other:?}"),
    };
    drop(seed);
    let record = std::fs::read_to_string(record_root.join("clippings").join(format!("{id}.ron")))
        .expect("r");
    let outside = tmp.path().join("outside.txt");
    std::fs::write(&outside, "outside the library").expect("w");
    let mut rng = clipfile::sample::Rng::new(15);
    for case in 0..300 {
        let root = tmp.path().join(format!("lib{case}"));
        for dir in ["clippings", "trash"] {
            std::fs::create_dir_all(root.join(dir)).expect("mkdir");
        }
        let places = [
            format!("clippings/{id}.ron"),
            format!("clippings/{id}.txt"),
            format!("trash/{id}.ron"),
            "clippings/00000000000000aa.ron".to_string(),
            "trash/00000000000000bb.ron".to_string(),
            "library.ron".to_string(),
            ".clipfile.lock".to_string(),
        ];
        for place in &places {
            if rng.chance(60) {
                let kind = rng.below(10) as u64;
                let text = if place.ends_with(".txt") {
                    clipfile::sample::SEED_TEXT
                } else {
                    &record
                };
                hostile_file(&root.join(place), kind, &mut rng, text, &outside);
            }
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let worker_root = root.clone();
        let id = id.clone();
        std::thread::spawn(move || {
            for mode in [OpenMode::ReadOnly, OpenMode::ReadWrite] {
                if let Ok(mut lib) = Library::open(&worker_root, mode) {
                    let _ = lib.trashed();
                    if mode == OpenMode::ReadWrite {
                        let _ = lib.update(&id, |c| c.notes = "fuzz".into());
                        let _ = lib.trash(&id);
                        let _ = lib.empty_trash();
                    }
                }
            }
            let _ = tx.send(());
        });
        // A hang guard (generous), not a speed figure.
        if rx.recv_timeout(std::time::Duration::from_secs(30)).is_err() {
            panic!(
                "case {case} hung or panicked: {:?}",
                std::fs::read_dir(&root).map(|d| d.count())
            );
        }
        assert_eq!(
            std::fs::read(&outside).expect("r"),
            b"outside the library",
            "case {case}"
        );
        let _ = std::fs::remove_dir_all(&root);
    }
    let beside: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("dir")
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        beside.len(),
        2,
        "nothing created outside the libraries: {beside:?}"
    );
}
