//! The actions a reader's command becomes, and the one place they are applied.

use std::path::PathBuf;

use super::{AppState, SortKey, validate_field};
use crate::library::edit;
use crate::model::{ClipId, Field, HighlightColor, HighlightId};
use crate::search::Query;

/// A change the reader asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Import files and folders in the background.
    Import(Vec<PathBuf>),
    /// Import the bytes of a drop that has no path (text dragged from a browser).
    ImportBytes(Vec<u8>),
    /// Import the built-in sample clipping.
    LoadSample,
    Select(String),
    /// Move the selection up (-1) or down (+1) the visible list.
    MoveSelection(i32),
    SetSearch(String),
    /// Add a tag filter, or remove it if present.
    ToggleTagFilter(String),
    /// Show only clippings crediting this person or organization (None: all).
    FilterCredit(Option<String>),
    /// Show only clippings quoting this speaker (None: all).
    FilterSpeaker(Option<String>),
    /// The facets section is shown: count speakers, people and places, and keep them current.
    WantFacets,
    /// Rows of the search's hits were drawn without their snippet: ask the search for them.
    WantSnippets(Vec<String>),
    /// The list's height changed: it shows this many rows with a snippet at once.
    SetRowsInView(usize),
    /// Show only clippings whose body mentions this person or place (None: all).
    FilterMention(Option<String>),
    /// Scroll the reader to this character of the reading text (a quotation).
    JumpTo(usize),
    /// The reader has scrolled where it was asked to.
    ScrollDone,
    ClearFilters,
    SetSort(SortKey),
    EditField(Field, String),
    ResetField(Field),
    /// Move the selected clipping to the trash.
    TrashSelected,
    Undo,
    Redo,
    CancelImport,
    /// Clear every message at the bottom of the window.
    DismissNotice,
    /// Clear one message (by its id in the queue).
    DismissNotification(u64),
    /// Ctrl/Cmd-click: add a clipping to the multi-selection, or take it out.
    ToggleMultiSelect(String),
    /// Shift-click: select the visible rows from the current selection to this one.
    SelectRangeTo(String),
    /// Remember the reader's selection (characters of the reading text), kept when focus moves.
    SetTextSelection(Option<(usize, usize)>),
    /// Highlight the remembered selection.
    HighlightSelection(HighlightColor),
    OpenHighlight(Option<String>),
    /// Re-attach a highlight (an orphan) to a range of the reading text, or to the remembered
    /// selection when none is given.
    AttachHighlight(String, Option<(usize, usize)>),
    SetHighlightColor(String, HighlightColor),
    SetHighlightComment(String, String),
    AddHighlightTag(String, String),
    RemoveHighlightTag(String, String),
    RemoveHighlight(String),
    /// Replace a clipping's notes.
    SetNotes {
        id: String,
        text: String,
    },
    /// Add a tag to the selected clipping, or to every clipping of the multi-selection.
    AddTag(String),
    RemoveTag(String),
    /// Rename a tag (and its children) across the library; merging into an existing tag.
    RenameTag {
        from: String,
        to: String,
    },
    SetTagColor(String, Option<[u8; 3]>),
    /// Fold each story's versions into one row of the list, or not.
    FoldVersions(bool),
    /// Show two versions side by side (old, new), or close the comparison.
    CompareVersions(Option<(String, String)>),
    /// Copy another version's highlights to the selected clipping (re-anchored, marked copied).
    CopyHighlightsFrom(String),
}

impl AppState {
    /// Apply one action.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Import(paths) => self.start_import(paths),
            Action::FoldVersions(fold) => {
                self.versions.fold = fold;
                self.refilter();
            }
            Action::CompareVersions(pair) => self.versions.compare = pair,
            Action::CopyHighlightsFrom(from) => self.copy_highlights_from(&from),
            Action::ImportBytes(bytes) => self.import_bytes(&bytes),
            Action::LoadSample => self.load_sample(),
            Action::Select(id) => self.select(id),
            Action::MoveSelection(delta) => self.move_selection(delta),
            Action::SetSearch(text) => {
                self.query.text = text;
                self.refilter();
            }
            Action::ToggleTagFilter(tag) => {
                if let Some(i) = self.query.tags.iter().position(|t| *t == tag) {
                    self.query.tags.remove(i);
                } else {
                    self.query.tags.push(tag);
                }
                self.refilter();
            }
            Action::FilterCredit(who) => {
                self.query.credit = who;
                self.refilter();
            }
            Action::WantFacets => self.want_facets(),
            Action::WantSnippets(ids) => self.want_snippets(ids),
            Action::SetRowsInView(rows) => self.set_rows_in_view(rows),
            Action::FilterSpeaker(who) => {
                self.query.speaker = who;
                self.refilter();
            }
            Action::FilterMention(what) => {
                self.query.mention = what;
                self.refilter();
            }
            Action::JumpTo(at) => self.scroll_to_char = Some(at),
            Action::ScrollDone => {
                self.scroll_to_char = None;
                self.scroll_to_highlight = None;
            }
            Action::ClearFilters => {
                self.query = Query::default();
                self.refilter();
            }
            Action::SetSort(sort) => {
                self.sort = sort;
                self.refilter();
            }
            Action::EditField(field, value) => {
                if let Err(why) = validate_field(field, &value) {
                    self.say(why, true, false);
                    return;
                }
                self.change_selected(|lib, id| edit::set_field(lib, id, field, &value));
            }
            Action::ResetField(field) => {
                self.change_selected(|lib, id| edit::reset_field(lib, id, field));
            }
            Action::TrashSelected => self.trash_selected(),
            Action::Undo => self.undo(),
            Action::Redo => self.redo(),
            Action::ToggleMultiSelect(id) => self.toggle_multi(id),
            Action::SelectRangeTo(id) => self.select_range_to(id),
            Action::SetTextSelection(range) => {
                self.text_selection = range.filter(|(a, b)| a < b);
            }
            Action::HighlightSelection(color) => self.highlight_selection(color),
            Action::AttachHighlight(hid, range) => self.attach_highlight(&hid, range),
            Action::OpenHighlight(id) => {
                self.scroll_to_highlight = id.clone();
                self.open_highlight = id;
            }
            Action::SetHighlightColor(hid, color) => {
                let hid = HighlightId(hid);
                self.change_selected(|lib, id| edit::set_highlight_color(lib, id, &hid, color));
            }
            Action::SetHighlightComment(hid, comment) => {
                let hid = HighlightId(hid);
                self.change_selected(|lib, id| {
                    edit::set_highlight_comment(lib, id, &hid, &comment)
                });
            }
            Action::AddHighlightTag(hid, tag) => {
                let hid = HighlightId(hid);
                self.change_selected(|lib, id| edit::add_highlight_tag(lib, id, &hid, &tag));
            }
            Action::RemoveHighlightTag(hid, tag) => {
                let hid = HighlightId(hid);
                self.change_selected(|lib, id| edit::remove_highlight_tag(lib, id, &hid, &tag));
            }
            Action::RemoveHighlight(hid) => {
                if self.open_highlight.as_ref() == Some(&hid) {
                    self.open_highlight = None;
                }
                let hid = HighlightId(hid);
                if self.change_selected(|lib, id| edit::remove_highlight(lib, id, &hid)) {
                    self.say("Removed the highlight", false, true);
                }
            }
            Action::SetNotes { id, text } => {
                // The draft names its clipping: saved there whatever is selected now.
                let Some(lib) = self.writable() else { return };
                let result = edit::set_notes(lib, &ClipId(id), &text);
                self.change_records(result);
            }
            Action::AddTag(tag) => {
                self.change_targets(|lib, ids| edit::add_tag(lib, ids, &tag));
            }
            Action::RemoveTag(tag) => {
                self.change_targets(|lib, ids| edit::remove_tag(lib, ids, &tag));
            }
            Action::RenameTag { from, to } => self.rename_tag(&from, &to),
            Action::SetTagColor(tag, color) => {
                let Some(lib) = self.writable() else { return };
                if let Err(e) = edit::set_tag_color(lib, &tag, color) {
                    self.say(e.to_string(), true, false);
                }
            }
            Action::CancelImport => {
                if let Some(import) = &self.import {
                    import.job.cancel();
                }
            }
            Action::DismissNotice => self.notifications.clear(),
            Action::DismissNotification(id) => self.notifications.dismiss(id),
        }
    }
}
