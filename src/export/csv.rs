//! CSV in Readwise's import layout: one row per highlight.

use super::{ExportError, ExportItem, author_line, ordered_highlights, tag_word};
use crate::model::Highlight;

/// Readwise's columns.
pub const READWISE_HEADER: [&str; 7] = [
    "Highlight",
    "Title",
    "Author",
    "URL",
    "Note",
    "Location",
    "Date",
];

pub(super) fn render(items: &[ExportItem<'_>]) -> Result<String, ExportError> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(READWISE_HEADER)?;
    for item in items {
        let c = item.clipping;
        let meta = c.metadata();
        let author = author_line(&meta);
        let date = meta.published.clone().unwrap_or_default();
        let (placed, orphans) = ordered_highlights(c);
        for h in placed.into_iter().chain(orphans) {
            w.write_record([
                h.quote.as_str(),
                c.title(),
                author.as_str(),
                "",
                readwise_note(h).as_str(),
                h.start.to_string().as_str(),
                date.as_str(),
            ])?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ExportError::Csv(e.into_error().into()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The comment, preceded by the tags in Readwise's inline convention (".tag1 .tag2", on a line
/// of their own at the start of the note, where Readwise looks for them).
pub fn readwise_note(h: &Highlight) -> String {
    let tags: Vec<String> = h
        .tags
        .iter()
        .map(|t| tag_word(t))
        .filter(|t| !t.is_empty())
        .map(|t| format!(".{t}"))
        .collect();
    match (tags.is_empty(), h.comment.is_empty()) {
        (true, _) => h.comment.clone(),
        (false, true) => tags.join(" "),
        (false, false) => format!("{}\n{}", tags.join(" "), h.comment),
    }
}
