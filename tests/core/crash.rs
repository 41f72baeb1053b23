//! Crash trials: a child process imports and saves notes while it is killed with SIGKILL at
//! random moments, 50 times. After every kill the library opens with no damaged file, every
//! save the child reported is there, and leftover temporary files are cleaned up.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clipfile::library::{Library, OpenMode};
use clipfile::sample;

#[test]
fn fifty_kills_lose_nothing_that_was_saved() {
    let tmp = tempfile::tempdir().expect("tmp");
    let input = tmp.path().join("in");
    sample::write_corpus(&input, 60, 7).expect("corpus");
    let root = tmp.path().join("lib");
    let mut rng = sample::Rng::new(2026);
    // What each clipping's notes were last reported saved as, over all trials.
    let mut reported: HashMap<String, u64> = HashMap::new();
    let mut kills_during_import = 0;

    for trial in 0..50 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_clipfile"))
            .arg("--library")
            .arg(&root)
            .arg("save-loop")
            .arg(&input)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let wait = Duration::from_millis(5 + rng.below(700) as u64);
        let start = Instant::now();
        let mut lines = Vec::new();
        while start.elapsed() < wait {
            if let Ok(line) = rx.recv_timeout(Duration::from_millis(2)) {
                lines.push(line);
            }
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("wait");
        reader.join().expect("reader");
        lines.extend(rx.try_iter());
        if !lines.iter().any(|l| l.starts_with("imported")) {
            kills_during_import += 1;
        }
        // A save is reported only once it is durable; the latest report per clipping counts.
        let mut this_trial: HashMap<String, u64> = HashMap::new();
        for line in &lines {
            if let Some((id, n)) = line.split_once(' ')
                && id.len() == 16
                && let Ok(n) = n.parse::<u64>()
            {
                this_trial.insert(id.to_string(), n);
            }
        }
        // Notes restart from round 0 each trial; what must hold is that each reported save is
        // on disk unless a later save in the same trial replaced it.
        let lib = Library::open(&root, OpenMode::ReadWrite).expect("reopen after kill");
        assert!(
            lib.problems().is_empty(),
            "trial {trial}: {:?}",
            lib.problems()
        );
        for (id, n) in &this_trial {
            let notes = &lib
                .get(id)
                .unwrap_or_else(|| panic!("trial {trial}: {id} lost"))
                .notes;
            let saved: u64 = notes
                .strip_prefix("note ")
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("trial {trial}: {id} has notes {notes:?}"));
            assert!(
                saved >= *n,
                "trial {trial}: {id} reported note {n} but has {saved}"
            );
        }
        reported.extend(this_trial);
        let leftovers = std::fs::read_dir(root.join("clippings"))
            .expect("dir")
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().ends_with(".clipfile-tmp"))
            .count();
        assert_eq!(
            leftovers, 0,
            "trial {trial}: temporary files left after opening"
        );
    }
    // After all that, a full run imports whatever the kills interrupted.
    let mut lib = Library::open(&root, OpenMode::ReadWrite).expect("open");
    lib.import_blocking(vec![input], |_| {}).expect("import");
    assert_eq!(lib.len(), 60, "every article is in the library in the end");
    assert!(!reported.is_empty(), "some saves were reported");
    eprintln!("{kills_during_import} of 50 kills landed during the import");
}

// ---- The command line on hostile libraries, and a real full disk (issue 15) ----

use std::path::Path;

fn cli(lib: &Path, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_clipfile"))
        .arg("--library")
        .arg(lib)
        .args(args)
        .env_remove("CLIPFILE_LIBRARY")
        .env("CLIPFILE_CACHE_DIR", lib.with_extension("cache"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run clipfile");
    if let Some(mut input) = child.stdin.take() {
        use std::io::Write;
        let _ = input.write_all(stdin.unwrap_or("").as_bytes());
    }
    // A hang guard, not a speed figure: a hung command is killed and the test fails.
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("clipfile {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().expect("output")
}

fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).expect("c path");
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

fn seed_library(root: &Path) -> String {
    let mut lib = Library::open(root, OpenMode::ReadWrite).expect("open");
    match lib
        .import_text("seed.txt", sample::SEED_TEXT)
        .expect("import")
    {
        clipfile::library::Outcome::Imported { id, .. } => id,
        other => panic!("{other:?}"),
    }
}

#[test]
fn list_reports_a_fifo_and_a_dev_zero_link_and_exits() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    seed_library(&root);
    mkfifo(&root.join("clippings").join("00000000000000aa.ron"));
    std::os::unix::fs::symlink(
        "/dev/zero",
        root.join("clippings").join("00000000000000bb.ron"),
    )
    .expect("ln");
    let started = Instant::now();
    let out = cli(&root, &["list"], None);
    eprintln!("list took {:?}", started.elapsed());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("00000000000000aa.ron") && stderr.contains("FIFO"),
        "{stderr}"
    );
    assert!(
        stderr.contains("00000000000000bb.ron") && stderr.contains("symbolic link"),
        "{stderr}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
}

#[test]
fn trash_with_a_short_id_record_is_listed_not_a_panic() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let id = seed_library(&root);
    let record = std::fs::read_to_string(root.join("clippings").join(format!("{id}.ron")))
        .expect("r")
        .replace(&format!("id: \"{id}\""), "id: \"abc\"");
    std::fs::write(root.join("trash").join("0000000000000001.ron"), record).expect("w");
    let out = cli(&root, &["trash"], None);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stdout.contains("000000000000  (cannot be read)"),
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    let out = cli(&root, &["trash", "--empty"], None);
    assert!(String::from_utf8_lossy(&out.stdout).contains("deleted 0 clippings"));
    assert!(root.join("trash").join("0000000000000001.ron").exists());
}

#[test]
fn cli_small_things() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let id = seed_library(&root);
    // `note --set -` reads standard input.
    let out = cli(&root, &["note", &id, "--set", "-"], Some("from stdin\n"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let record =
        std::fs::read_to_string(root.join("clippings").join(format!("{id}.ron"))).expect("r");
    assert!(record.contains("notes: \"from stdin\\n\""), "{record}");
    // An unknown color is a usage error.
    let out = cli(
        &root,
        &["highlight", &id, "--quote", "x", "--color", "mauve"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    // One clipping, not "1 clippings"; a name starting with a dot is fine.
    let dotted = tmp.path().join(".notes.md");
    let out = cli(
        &root,
        &[
            "export",
            "--format",
            "md",
            "-o",
            dotted.to_str().expect("utf-8"),
        ],
        None,
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("exported 1 clipping to 1 file"), "{stderr}");
    assert!(dotted.exists());
    // `export --force` into the library is refused, the record untouched.
    let ron = root.join("clippings").join(format!("{id}.ron"));
    let before = std::fs::read(&ron).expect("r");
    let out = cli(
        &root,
        &[
            "export",
            "--format",
            "md",
            "--force",
            "-o",
            ron.to_str().expect("utf-8"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("inside the library"));
    assert_eq!(std::fs::read(&ron).expect("r"), before);
}

#[test]
fn tag_leaves_a_newer_record_with_a_long_comment_byte_identical() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let id = seed_library(&root);
    let ron = root.join("clippings").join(format!("{id}.ron"));
    let record = std::fs::read_to_string(&ron).expect("r");
    let newer = format!(
        "// {}\n{}",
        "c".repeat(600),
        record.replace("format: 1", "format: 2")
    );
    std::fs::write(&ron, &newer).expect("w");
    let out = cli(&root, &["tag", &id, "+x"], None);
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(std::fs::read_to_string(&ron).expect("r"), newer);
}

/// Unmounts the tmpfs when the test ends, however it ends.
struct Unmount(std::path::PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[test]
fn a_real_full_disk_reports_what_is_on_it() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: mounting a tmpfs needs root");
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let mount = tmp.path().join("disk");
    std::fs::create_dir(&mount).expect("mkdir");
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(&mount)
        .output();
    match mounted {
        Ok(out) if out.status.success() => {}
        Ok(out) => {
            eprintln!(
                "skipped: mount -t tmpfs failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
            return;
        }
        Err(e) => {
            eprintln!("skipped: cannot run mount: {e}");
            return;
        }
    }
    let _guard = Unmount(mount.clone());
    let input = tmp.path().join("in");
    sample::write_corpus(&input, 800, 3).expect("corpus");
    let root = mount.join("lib");
    let mut lib = Library::open(&root, OpenMode::ReadWrite).expect("open");
    let mut imported = 0;
    let mut failed = 0;
    for round in 0..3 {
        let summary = lib
            .import_blocking(vec![input.clone()], |_| {})
            .expect("import");
        imported += summary.imported();
        failed += summary
            .reports
            .iter()
            .filter(|r| {
                matches!(
                    r.outcome,
                    clipfile::library::Outcome::Skipped(
                        clipfile::library::SkipReason::WriteFailed(_)
                    )
                )
            })
            .count();
        eprintln!("round {round}: {}", summary.headline());
    }
    assert!(failed > 0, "the disk never filled up");
    assert_eq!(lib.len(), imported);
    let names: Vec<String> = std::fs::read_dir(root.join("clippings"))
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let rons = names.iter().filter(|n| n.ends_with(".ron")).count();
    let txts = names.iter().filter(|n| n.ends_with(".txt")).count();
    assert_eq!(
        (rons, txts),
        (imported, imported),
        "the counts match the disk"
    );
    assert_eq!(names.len(), 2 * imported, "no temporary file left");
    drop(lib);
    let lib = Library::open(&root, OpenMode::ReadWrite).expect("the next open works");
    assert_eq!(lib.len(), imported);
    assert!(lib.problems().is_empty(), "{:?}", lib.problems());
    eprintln!("full disk: {imported} imported, {failed} could not be saved");
}
