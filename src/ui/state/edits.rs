//! The edits that need more than one `library::edit` call or the reading text: highlights
//! from the selection, attaching orphans, copying from another version, tag rename, trash,
//! and importing dropped text or the sample.

use super::{AppState, UndoStep, plural, snap_to_words};
use crate::library::Outcome;
use crate::library::edit::{self, EditError};
use crate::model::{ClipId, HighlightColor, HighlightId};
use crate::sample;

impl AppState {
    pub(super) fn highlight_selection(&mut self, color: HighlightColor) {
        let Some((start, end)) = self.text_selection else {
            self.say(
                "Select a passage in the text first, then highlight it.",
                false,
                false,
            );
            return;
        };
        let Some(reading) = self.load_reading() else {
            return;
        };
        let (start, end) = snap_to_words(&reading.text, start, end);
        let mut made = None;
        let new = edit::NewHighlight {
            start,
            end,
            color,
            ..Default::default()
        };
        self.change_selected(|lib, id| {
            edit::add_highlight(lib, id, new).map(|(hid, changed)| {
                made = Some(hid);
                changed
            })
        });
        let Some(hid) = made else { return };
        self.text_selection = None;
        self.open_highlight = Some(hid.0);
    }

    pub(super) fn attach_highlight(&mut self, hid: &str, range: Option<(usize, usize)>) {
        let Some((start, end)) = range.or(self.text_selection) else {
            self.say(
                "Select the passage in the text first, then press Attach here.",
                false,
                false,
            );
            return;
        };
        // The edit finds the reading text itself; a clipping without one has nothing to attach to.
        if self.load_reading().is_none() {
            return;
        }
        let highlight = HighlightId::from(hid);
        self.change_selected(|lib, id| edit::attach_highlight(lib, id, &highlight, start, end));
        self.text_selection = None;
        self.open_highlight = Some(hid.to_string());
    }

    /// Carry the highlights of another version of the story to the selected clipping.
    pub(super) fn copy_highlights_from(&mut self, from: &str) {
        let Some(source) = self.library.as_ref().and_then(|l| l.get(from)) else {
            return;
        };
        let source = source.highlights.clone();
        let Some(reading) = self.load_reading() else {
            return;
        };
        let existing = self
            .selected_clipping()
            .map(|c| c.highlights.clone())
            .unwrap_or_default();
        let copies = crate::versions::carry_highlights(
            &source,
            from,
            &reading.text,
            &existing,
            crate::model::new_highlight_id,
        );
        if copies.is_empty() {
            self.say(
                "None of that version's highlights is found here (or all are copied already).",
                false,
                false,
            );
            return;
        }
        let n = copies.len();
        self.change_selected(|lib, id| edit::add_highlights(lib, id, copies));
        self.say(
            format!(
                "Copied {} to this version.",
                crate::library::plural(n, "highlight", "highlights")
            ),
            false,
            true,
        );
    }

    pub(super) fn rename_tag(&mut self, from: &str, to: &str) {
        let Some(lib) = self.writable() else { return };
        let result = edit::rename_tag(lib, from, to);
        let renamed = match &result {
            Ok(changed) => changed.len(),
            Err(EditError::Stopped { before, .. }) => before.len(),
            Err(_) => 0,
        };
        let failed = result.is_err();
        if matches!(&result, Ok(c) if c.is_empty()) && crate::model::normalize_tag(to) == from {
            return;
        }
        self.change_records(result);
        let to = crate::model::normalize_tag(to);
        for t in &mut self.query.tags {
            if let Some(new) = edit::renamed_tag(t, from, &to) {
                *t = new;
            }
        }
        self.refresh();
        if failed {
            return;
        }
        self.say(
            format!(
                "Renamed tag {from} to {to} in {}",
                plural(renamed, "clipping", "clippings")
            ),
            false,
            false,
        );
    }

    /// Import dropped bytes as one clipping.
    pub(super) fn import_bytes(&mut self, bytes: &[u8]) {
        let decoded = match crate::decode::decode(bytes) {
            Ok(decoded) => decoded,
            Err(e) => {
                self.say(
                    format!("The dropped item is not article text: {e}"),
                    true,
                    false,
                );
                return;
            }
        };
        let Some(lib) = self.writable() else { return };
        match lib.import_text("dropped text", &decoded.text) {
            Ok(Outcome::Imported { .. }) => self.refresh(),
            Ok(other) => {
                let skipped = matches!(other, Outcome::Skipped(_));
                self.refresh();
                self.say(
                    format!("Dropped text: {}", other.describe()),
                    skipped,
                    false,
                );
            }
            Err(e) => self.say(e.to_string(), true, false),
        }
    }

    pub(super) fn trash_selected(&mut self) {
        let Some(id) = self.selected.clone() else {
            return;
        };
        // The next clipping in the list takes the selection.
        let visible = self.visible();
        let next = visible
            .position(&id)
            .and_then(|i| {
                visible
                    .get(i + 1)
                    .or_else(|| i.checked_sub(1).and_then(|j| visible.get(j)))
            })
            .map(|id| id.to_string());
        let Some(lib) = self.writable() else { return };
        match edit::trash(lib, &ClipId::from(&id)) {
            Ok(c) => {
                let text = format!("Moved \u{201c}{}\u{201d} to the trash", c.title());
                self.undo.push(UndoStep::Trashed(id));
                self.redo.clear();
                self.choose(next);
                self.refresh();
                self.say(text, false, true);
            }
            Err(e) => self.say(e.to_string(), true, false),
        }
    }

    /// Import the built-in sample clipping and select it.
    pub(super) fn load_sample(&mut self) {
        let Some(lib) = self.writable() else { return };
        match lib.import_text(sample::SEED_NAME, sample::SEED_TEXT) {
            Ok(Outcome::Imported { id, .. }) | Ok(Outcome::Duplicate { id, .. }) => {
                self.choose(Some(id));
                self.refresh();
            }
            Ok(other) => self.say(other.describe(), true, false),
            Err(e) => self.say(e.to_string(), true, false),
        }
    }
}
