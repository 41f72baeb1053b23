//! Watching the library folder for changes made by others (a sync tool, another machine's
//! Clipfile, a text editor) so the app picks them up while it runs.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};

use notify::{RecursiveMode, Watcher as _};

/// Whether an event only says a file was opened, read or closed without writing.
fn is_read_only_access(kind: &notify::EventKind) -> bool {
    use notify::event::{AccessKind, AccessMode};
    matches!(kind, notify::EventKind::Access(access)
        if !matches!(access, AccessKind::Close(AccessMode::Write)))
}

/// A running watch of `clippings/`; dropping it stops the watch.
pub struct Watcher {
    _watcher: notify::RecommendedWatcher,
    rx: Receiver<PathBuf>,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Watcher")
    }
}

impl Watcher {
    /// Watch the library at `root`; `wake` is called after each batch of events (to repaint).
    pub fn start(root: &Path, wake: impl Fn() + Send + 'static) -> Result<Watcher, String> {
        let (tx, rx) = mpsc::channel();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                if let Ok(event) = event {
                    // Opening or reading a file is not a change: the app's own reads would
                    // otherwise wake it, and a reload's read wake it again, for ever.
                    if is_read_only_access(&event.kind) {
                        return;
                    }
                    for path in event.paths {
                        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                        if name.is_some_and(|n| n.ends_with(".ron") || n.ends_with(".txt")) {
                            let _ = tx.send(path);
                        }
                    }
                    wake();
                }
            })
            .map_err(|e| e.to_string())?;
        watcher
            .watch(&root.join(super::CLIPPINGS), RecursiveMode::NonRecursive)
            .map_err(|e| e.to_string())?;
        Ok(Watcher {
            _watcher: watcher,
            rx,
        })
    }

    /// The files changed since the last call, each once.
    pub fn changed(&self) -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = self.rx.try_iter().collect();
        paths.sort();
        paths.dedup();
        paths
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::EventKind;
    use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind, RenameMode};

    #[test]
    fn reads_are_not_changes_but_writes_and_renames_are() {
        assert!(is_read_only_access(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(is_read_only_access(&EventKind::Access(AccessKind::Read)));
        assert!(is_read_only_access(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!is_read_only_access(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(!is_read_only_access(&EventKind::Modify(ModifyKind::Name(
            RenameMode::To
        ))));
        assert!(!is_read_only_access(&EventKind::Create(CreateKind::File)));
    }

    /// Reading a record in a watched library wakes nobody; writing one does.
    #[test]
    fn reading_a_watched_file_does_not_wake_the_app() {
        let tmp = tempfile::tempdir().expect("tmp");
        let clippings = tmp.path().join(crate::library::CLIPPINGS);
        std::fs::create_dir_all(&clippings).expect("mkdir");
        let record = clippings.join("0123456789abcdef.ron");
        std::fs::write(&record, "()").expect("write");
        let wakes = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = wakes.clone();
        let watcher = Watcher::start(tmp.path(), move || {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        })
        .expect("watch");
        for _ in 0..5 {
            std::fs::read_to_string(&record).expect("read");
        }
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert_eq!(wakes.load(std::sync::atomic::Ordering::SeqCst), 0);
        assert!(watcher.changed().is_empty());
        std::fs::write(&record, "(x)").expect("write");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while wakes.load(std::sync::atomic::Ordering::SeqCst) == 0
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert!(wakes.load(std::sync::atomic::Ordering::SeqCst) > 0);
        assert_eq!(watcher.changed(), vec![record]);
    }
}
