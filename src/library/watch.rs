//! Watching the library folder for changes made by others (a sync tool, another machine's
//! Clipfile, a text editor) so the app picks them up while it runs.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};

use notify::{RecursiveMode, Watcher as _};

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
