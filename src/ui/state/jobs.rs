//! Background jobs: the import and its polling once a frame.

use std::path::PathBuf;

use super::{AppState, Level, Notification};
use crate::library::{FileReport, ImportJob, ImportMsg, ImportSummary, Outcome};

/// An import under way.
#[derive(Debug)]
pub struct ActiveImport {
    pub job: ImportJob,
    pub reports: Vec<FileReport>,
}

impl AppState {
    pub(super) fn start_import(&mut self, paths: Vec<PathBuf>) {
        if paths.is_empty() || self.import_when_open(&paths) {
            return;
        }
        if self.import.is_some() {
            self.say(
                "An import is already running: wait for it or cancel it.",
                true,
                false,
            );
            return;
        }
        let Some(lib) = self.writable() else { return };
        match lib.start_import(paths) {
            Ok(job) => {
                self.import = Some(ActiveImport {
                    job,
                    reports: Vec::new(),
                });
                self.last_import = None;
            }
            Err(e) => self.say(e.to_string(), true, false),
        }
    }

    /// Take in the library once opened, the folder's watcher once started and what a running
    /// import has done; call once a frame. True while any of them runs.
    pub fn poll(&mut self) -> bool {
        if self.take_opened() {
            return true;
        }
        self.take_outside_changes();
        // The watcher being started is polled for (it sends no frame of its own).
        let starting = self.watcher_start.is_some();
        let Some(import) = &mut self.import else {
            return starting;
        };
        let mut finished = None;
        let mut got_any = false;
        while let Some(msg) = import.job.try_recv() {
            if let Some(lib) = &mut self.library {
                lib.accept(&msg);
            }
            got_any = true;
            match msg {
                ImportMsg::File { report, .. } => import.reports.push(report),
                ImportMsg::Done { cancelled } => {
                    finished = Some(cancelled);
                    break;
                }
            }
        }
        if got_any {
            self.refresh();
        }
        if let Some(cancelled) = finished
            && let Some(import) = self.import.take()
        {
            let mut reports = import.reports;
            reports.sort_by_key(|r| r.index);
            let summary = ImportSummary { reports, cancelled };
            if self.selected.is_none()
                && let Some(id) = summary.reports.iter().find_map(|r| match &r.outcome {
                    Outcome::Imported { id, .. } => Some(id.clone()),
                    _ => None,
                })
            {
                self.selected = Some(id);
            }
            let level = if summary.skipped() > 0 {
                Level::Warning
            } else {
                Level::Info
            };
            let mut notification = Notification::new(level, summary.headline());
            notification.import_details = true;
            self.notifications.push(notification);
            self.last_import = Some(summary);
            return starting;
        }
        true
    }
}
