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
