//! The selection: one clipping, a multi-selection picked with Ctrl/Shift-click, and the
//! passage selected in the reader.

use super::AppState;

impl AppState {
    /// Select one clipping (the multi-selection is dropped).
    pub(super) fn select(&mut self, id: String) {
        if self.selected.as_ref() != Some(&id) {
            self.text_selection = None;
            self.open_highlight = None;
        }
        self.multi.clear();
        self.choose(Some(id));
        // A folded group shows the selected version as its row.
        if self.versions.fold {
            self.visible_dirty = true;
        }
    }

    /// Move the selection up (-1) or down (+1) the visible list.
    pub(super) fn move_selection(&mut self, delta: i32) {
        let current = self.selected.clone();
        let visible = self.visible();
        if visible.is_empty() {
            return;
        }
        let next = match current.and_then(|id| visible.position(&id)) {
            Some(i) => (i as i64 + i64::from(delta)).clamp(0, visible.len() as i64 - 1) as usize,
            None if delta < 0 => visible.len() - 1,
            None => 0,
        };
        if let Some(next) = visible.get(next).map(|id| id.to_string()) {
            self.select(next);
        }
    }

    /// Ctrl/Cmd-click: add a clipping to the multi-selection, or take it out.
    pub(super) fn toggle_multi(&mut self, id: String) {
        if self.multi.is_empty()
            && let Some(current) = &self.selected
        {
            self.multi.insert(current.clone());
        }
        if !self.multi.remove(&id) {
            self.multi.insert(id.clone());
        }
        self.choose(Some(id));
    }

    /// Shift-click: select the visible rows from the current selection to this one.
    pub(super) fn select_range_to(&mut self, id: String) {
        let anchor_id = self.selected.clone();
        let visible = self.visible();
        let to = visible.position(&id);
        let from = anchor_id.and_then(|a| visible.position(&a));
        if let (Some(from), Some(to)) = (from, to) {
            let (a, b) = (from.min(to), from.max(to));
            let range: std::collections::BTreeSet<String> =
                visible.range(a..b + 1).map(|id| id.to_string()).collect();
            self.multi = range;
        }
        self.choose(Some(id));
    }

    /// Select what the user chose (or nothing): a clipping a search left out is not selected
    /// again after it (see `AppState::left_out`).
    pub(super) fn choose(&mut self, id: Option<String>) {
        self.left_out = None;
        self.selected = id;
    }

    /// Select `id` in the user's stead (the list changed under the selection): the passage
    /// and the highlight open in the reader go with the clipping they were in.
    pub(super) fn move_selection_to(&mut self, id: Option<String>) {
        if self.selected != id {
            self.text_selection = None;
            self.open_highlight = None;
        }
        self.selected = id;
    }
}

/// Widen a selection (characters of `text`) to whole words: a start inside a word moves back
/// to its first letter, an end inside a word moves on to its last. Spaces picked up at either
/// edge are dropped.
pub fn snap_to_words(text: &str, start: usize, end: usize) -> (usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    let word = |c: char| c.is_alphanumeric() || c == '\'' || c == '\u{2019}' || c == '-';
    let (mut a, mut b) = (start.min(chars.len()), end.min(chars.len()));
    while a < b && chars[a].is_whitespace() {
        a += 1;
    }
    while b > a && chars[b - 1].is_whitespace() {
        b -= 1;
    }
    if a >= b {
        return (start, end);
    }
    while a > 0 && word(chars[a - 1]) && word(chars[a]) {
        a -= 1;
    }
    while b < chars.len() && word(chars[b]) && word(chars[b - 1]) {
        b += 1;
    }
    (a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_selection_inside_words_widens_to_whole_words() {
        let text = "to tighten cooperation against it";
        // "ghten cooperat" becomes "tighten cooperation".
        let (a, b) = snap_to_words(text, 5, 19);
        assert_eq!(&text[a..b], "tighten cooperation");
        // Whole words stay as they are; spaces at the edges are dropped.
        let (a, b) = snap_to_words(text, 2, 11);
        assert_eq!(&text[a..b], "tighten");
    }
}
