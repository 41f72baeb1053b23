//! The library folder's watcher: files changed by others (a sync tool) are taken in.

use super::AppState;

impl AppState {
    /// Watch the library folder for outside changes; `wake` asks for a frame.
    pub fn watch(&mut self, wake: impl Fn() + Send + 'static) {
        if let Some(lib) = &self.library
            && self.watcher.is_none()
        {
            match crate::library::watch::Watcher::start(lib.root(), wake) {
                Ok(w) => self.watcher = Some(w),
                Err(e) => self.say(
                    format!("Changes made outside Clipfile will show after a restart: {e}"),
                    false,
                    false,
                ),
            }
        }
    }

    /// Take in files changed by others (a sync tool, another machine).
    pub(super) fn take_outside_changes(&mut self) {
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
