//! Undo and redo: every edit goes through `change_*`, which keeps the records as they were.

use super::AppState;
use crate::library::Library;
use crate::library::edit::{self, Changed, EditError};
use crate::model::{ClipId, Clipping};

/// Something reversible the reader did.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum UndoStep {
    /// A clipping moved to the trash: restore it (redo: trash it again).
    Trashed(String),
    /// Clipping records as they were before an edit (annotations, overrides, tags).
    Records(Vec<Clipping>),
}

impl AppState {
    /// Make an edit (a `library::edit` function) of the selected clipping undoable; true when
    /// it changed something.
    pub(super) fn change_selected(
        &mut self,
        edit: impl FnOnce(&mut Library, &ClipId) -> Result<Changed, EditError>,
    ) -> bool {
        let Some(id) = self.selected.clone() else {
            return false;
        };
        let Some(lib) = self.writable() else {
            return false;
        };
        let result = edit(lib, &ClipId(id));
        self.change_records(result)
    }

    /// Edit the multi-selection (or else the selected clipping).
    pub(super) fn change_targets(
        &mut self,
        edit: impl FnOnce(&mut Library, &[ClipId]) -> Result<Changed, EditError>,
    ) -> bool {
        let ids: Vec<ClipId> = if self.multi.is_empty() {
            self.selected.iter().map(ClipId::from).collect()
        } else {
            self.multi.iter().map(ClipId::from).collect()
        };
        if ids.is_empty() {
            return false;
        }
        let Some(lib) = self.writable() else {
            return false;
        };
        let result = edit(lib, &ids);
        self.change_records(result)
    }

    /// Take in an edit's result: one undo step for all that changed, the error said. True when
    /// something changed.
    pub(super) fn change_records(&mut self, result: Result<Changed, EditError>) -> bool {
        let (before, error) = match result {
            Ok(changed) => (changed.before, None),
            // Saved in part: what was saved is undoable, the failure is said.
            Err(EditError::Stopped { before, source }) => (before, Some(source.to_string())),
            // Nothing to add (the action carried an empty tag): nothing to say either.
            Err(EditError::EmptyTag) => (Vec::new(), None),
            Err(e) => (Vec::new(), Some(e.to_string())),
        };
        let changed = !before.is_empty();
        if changed {
            self.undo.push(UndoStep::Records(before));
            self.redo.clear();
            self.refresh();
        }
        if let Some(e) = error {
            self.say(e, true, false);
        }
        changed
    }

    pub(super) fn undo(&mut self) {
        let Some(step) = self.undo.pop() else {
            self.say("Nothing to undo", false, false);
            return;
        };
        match self.reverse(step) {
            Ok(redo) => {
                self.redo.push(redo);
                self.say("Undone", false, false);
            }
            Err(e) => self.say(e, true, false),
        }
    }

    pub(super) fn redo(&mut self) {
        let Some(step) = self.redo.pop() else {
            self.say("Nothing to redo", false, false);
            return;
        };
        match self.reverse(step) {
            Ok(undo) => {
                self.undo.push(undo);
                self.say("Redone", false, false);
            }
            Err(e) => self.say(e, true, false),
        }
    }

    /// Put back what a step recorded; returns the step that reverses this.
    pub(super) fn reverse(&mut self, step: UndoStep) -> Result<UndoStep, String> {
        let Some(lib) = self.writable() else {
            return Err("The library is read-only.".into());
        };
        let (result, selected) = match step {
            UndoStep::Trashed(id) if lib.contains(&id) => {
                let r = edit::trash(lib, &ClipId::from(&id))
                    .map(|_| UndoStep::Trashed(id))
                    .map_err(|e| e.to_string());
                (r, None)
            }
            UndoStep::Trashed(id) => {
                let r = edit::restore(lib, &id)
                    .map(|_| UndoStep::Trashed(id.clone()))
                    .map_err(|e| e.to_string());
                (r, Some(id))
            }
            UndoStep::Records(records) => {
                let selected = records.first().map(|c| c.id.clone());
                let r = edit::put_back(lib, records)
                    .map(|changed| UndoStep::Records(changed.before))
                    .map_err(|e| match e {
                        EditError::Stopped { source, .. } => source.to_string(),
                        e => e.to_string(),
                    });
                (r, selected)
            }
        };
        if let Some(id) = selected {
            self.choose(Some(id));
        } else if self
            .selected
            .as_ref()
            .is_some_and(|id| !self.library.as_ref().is_some_and(|l| l.contains(id)))
        {
            self.selected = None;
        }
        self.refresh();
        result
    }
}
