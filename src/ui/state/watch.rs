//! The library folder's watcher: files changed by others (a sync tool) are taken in.

use super::AppState;

impl AppState {
    /// Watch the library folder for outside changes; `wake` asks for a frame. The watcher is
    /// started on another thread (adding the watch on a folder of 200,000 files took a frame)
    /// and taken in by [`AppState::take_outside_changes`].
    pub fn watch(&mut self, wake: impl Fn() + Send + 'static) {
        let Some(lib) = &self.library else { return };
        if self.watcher.is_some() || self.watcher_start.is_some() {
            return;
        }
        let root = lib.root().to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        let start = move || {
            let _ = tx.send(crate::library::watch::Watcher::start(&root, wake));
        };
        match std::thread::Builder::new()
            .name("clipfile-watch-start".into())
            .spawn(start)
        {
            Ok(_) => self.watcher_start = Some(rx),
            Err(e) => self.say_unwatched(&e.to_string()),
        }
    }

    /// Say that the folder cannot be watched, and why.
    fn say_unwatched(&mut self, why: &str) {
        self.say(
            format!("Changes made outside Clipfile will show after a restart: {why}"),
            false,
            false,
        );
    }

    /// Whether the library folder is being watched (its watcher has started).
    pub fn is_watching(&self) -> bool {
        self.watcher.is_some()
    }

    /// Take in the watcher once its thread has started it.
    fn take_watcher(&mut self) {
        let Some(rx) = &self.watcher_start else {
            return;
        };
        let started = match rx.try_recv() {
            Ok(started) => started,
            Err(std::sync::mpsc::TryRecvError::Empty) => return,
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                Err("the thread starting the watcher stopped".to_string())
            }
        };
        self.watcher_start = None;
        match started {
            Ok(watcher) => self.watcher = Some(watcher),
            Err(e) => self.say_unwatched(&e.to_string()),
        }
    }

    /// Take in files changed by others (a sync tool, another machine).
    pub(super) fn take_outside_changes(&mut self) {
        self.take_watcher();
        let Some(watcher) = &self.watcher else { return };
        let paths = watcher.changed();
        if paths.is_empty() {
            return;
        }

        let importing = self.import.is_some();
        let Some(lib) = &mut self.library else { return };
        let mut ids: Vec<String> = paths.iter().filter_map(|p| lib.notice_file(p)).collect();
        ids.sort();
        ids.dedup();
        let mut changed = 0;
        for id in ids {
            // Files our own import is writing arrive with the import's messages.
            if importing && !lib.contains(&id) {
                continue;
            }
            match lib.reload(&id) {
                crate::library::Reload::Unchanged => {}
                _ => changed += 1,
            }
        }
        if changed > 0 {
            self.reading = None;
            self.refresh();
            if self
                .selected
                .as_ref()
                .is_some_and(|id| !self.library.as_ref().is_some_and(|l| l.contains(id)))
            {
                self.selected = None;
            }
            let noun = if changed == 1 {
                "clipping"
            } else {
                "clippings"
            };
            self.say(
                format!("{changed} {noun} changed on disk and were reloaded"),
                false,
                false,
            );
        }
    }
}
