//! Bad input: every kind of file a user may drop gets a clear outcome, never a panic.

use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use clipfile::library::{Library, OpenMode, Outcome, SkipReason};

fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(if le { &[0xff, 0xfe] } else { &[0xfe, 0xff] });
    }
    for unit in text.encode_utf16() {
        out.extend_from_slice(&if le {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    out
}

const ARTICLE: &str = "Council approves budget\n\nPARIS -- The council approved the budget on Monday after a long debate.\n\nThe vote was close.\n";

#[test]
fn every_kind_of_bad_file_gets_a_clear_outcome() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("in");
    fs::create_dir_all(&dir).expect("mkdir");
    let mut files: Vec<(&str, Vec<u8>)> = vec![
        ("empty.txt", Vec::new()),
        ("blank.txt", b"  \n\t\n  ".to_vec()),
        ("image.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()),
        ("program", b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0".to_vec()),
        ("nul.txt", b"Some text\0with a NUL".to_vec()),
        (
            "latin1.txt",
            b"Caf\xe9 society \xab news \xbb in na\xefve prose, with accents.\n".to_vec(),
        ),
        ("utf16le_bom.txt", utf16(ARTICLE, true, true)),
        (
            "utf16be_bom.txt",
            utf16(&ARTICLE.replace("budget", "plan"), false, true),
        ),
        (
            "utf16le.txt",
            utf16(&ARTICLE.replace("budget", "law"), true, false),
        ),
        (
            "utf16be.txt",
            utf16(&ARTICLE.replace("budget", "tax"), false, false),
        ),
        (
            "cp1252.txt",
            b"Mayor\x92s \x93plan\x94 \x97 approved\n".to_vec(),
        ),
        (
            "cr_only.txt",
            ARTICLE
                .replace("budget", "levy")
                .replace('\n', "\r")
                .into_bytes(),
        ),
    ];
    let one_line = "word ".repeat(1024 * 1024);
    files.push(("one_line.txt", one_line.into_bytes()));
    files.push(("too_big.txt", vec![b'a'; 11 * 1024 * 1024]));
    for (name, bytes) in &files {
        fs::write(dir.join(name), bytes).expect("write");
    }
    fs::create_dir_all(dir.join("folder")).expect("mkdir");
    std::os::unix::fs::symlink(dir.join("loop_b"), dir.join("loop_a")).expect("link");
    std::os::unix::fs::symlink(dir.join("loop_a"), dir.join("loop_b")).expect("link");
    let locked = dir.join("locked.txt");
    fs::write(&locked, ARTICLE.replace("budget", "bond")).expect("w");
    fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000))
        .expect("chmod");
    let odd_name = dir.join(std::ffi::OsStr::from_bytes(b"odd-\xff-name.txt"));
    fs::write(&odd_name, ARTICLE.replace("budget", "grant")).expect("w");

    let mut inputs: Vec<PathBuf> = files.iter().map(|(n, _)| dir.join(n)).collect();
    inputs.extend([
        dir.join("folder"),
        dir.join("loop_a"),
        locked.clone(),
        odd_name.clone(),
        dir.join("deleted-before-reading.txt"),
    ]);
    let mut lib = Library::open(tmp.path().join("lib"), OpenMode::ReadWrite).expect("open");
    let summary = lib.import_blocking(inputs, |_| {}).expect("import");
    let outcome_bytes = |name: &[u8]| -> Outcome {
        summary
            .reports
            .iter()
            .find(|r| r.path.file_name().is_some_and(|n| n.as_bytes() == name))
            .map(|r| r.outcome.clone())
            .unwrap_or_else(|| panic!("no outcome for {}", String::from_utf8_lossy(name)))
    };
    let outcome = |name: &str| outcome_bytes(name.as_bytes());
    let imported = |o: Outcome| matches!(o, Outcome::Imported { .. });
    assert_eq!(outcome("empty.txt"), Outcome::Skipped(SkipReason::Empty));
    assert_eq!(outcome("blank.txt"), Outcome::Skipped(SkipReason::Blank));
    assert!(outcome("image.png").describe().contains("PNG image"));
    assert!(outcome("program").describe().contains("ELF executable"));
    assert!(outcome("nul.txt").describe().contains("NUL bytes"));
    for name in [
        "latin1.txt",
        "utf16le_bom.txt",
        "utf16be_bom.txt",
        "utf16le.txt",
        "utf16be.txt",
        "cp1252.txt",
        "cr_only.txt",
        "one_line.txt",
    ] {
        assert!(imported(outcome(name)), "{name}: {:?}", outcome(name));
    }
    assert!(matches!(
        outcome("too_big.txt"),
        Outcome::Skipped(SkipReason::TooLarge { .. })
    ));
    assert!(
        outcome("loop_a").describe().contains("symbolic links"),
        "{:?}",
        outcome("loop_a")
    );
    assert!(
        outcome("deleted-before-reading.txt")
            .describe()
            .contains("no such file")
    );
    // A file name that is not valid UTF-8 imports, and its name is kept readable.
    assert!(imported(outcome_bytes(b"odd-\xff-name.txt")));
    assert!(
        lib.clippings()
            .any(|c| c.source_name == "odd-\u{fffd}-name.txt")
    );
    // Root reads a mode-000 file anyway (CI runs as root); anyone else gets "permission denied".
    // SAFETY: geteuid has no preconditions.
    let is_root = unsafe { libc::geteuid() } == 0;
    if is_root {
        assert!(imported(outcome("locked.txt")));
    } else {
        assert!(
            outcome("locked.txt")
                .describe()
                .contains("permission denied")
        );
    }
    // The folder is walked (empty: no outcome of its own), nothing panicked, and the decoded
    // texts are right.
    let texts: Vec<String> = lib
        .clippings()
        .map(|c| lib.text(&c.id).expect("t").to_string())
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Café society « news » in naïve prose"))
    );
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Mayor’s “plan” — approved"))
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains("levy") && !t.contains('\r'))
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains("PARIS -- The council approved the tax"))
    );
}
