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
        // The byline, else the publication, else whoever is credited.
        let author = if !meta.authors.is_empty() {
            meta.authors.join(", ")
        } else if let Some(publication) = &meta.publication {
            publication.clone()
        } else {
            author_line(&meta)
        };
        let reading = item
            .text
            .map(|t| crate::anchor::reading_text(&crate::parse::parse_article(t)));
        let (placed, orphans) = ordered_highlights(c);
        for h in placed.into_iter().chain(orphans) {
            // Location: the paragraph the highlight starts in, counting from 1 (none for an
            // orphan or when the text is not at hand).
            let location = match (&reading, h.orphan) {
                (Some(doc), false) => paragraph_number(doc, h.start).to_string(),
                _ => String::new(),
            };
            w.write_record([
                h.quote.as_str(),
                c.title(),
                author.as_str(),
                "",
                readwise_note(h).as_str(),
                location.as_str(),
                h.created.as_str(),
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

/// The number (from 1) of the paragraph of the reading text holding character `at`.
pub fn paragraph_number(doc: &str, at: usize) -> usize {
    let byte = doc.char_indices().nth(at).map_or(doc.len(), |(b, _)| b);
    doc[..byte].matches("\n\n").count() + 1
}
