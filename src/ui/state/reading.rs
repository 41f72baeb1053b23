//! The reader cache: the selected clipping parsed for reading, loaded by an explicit step
//! (which may re-anchor and save its highlights) and read by a getter that never writes.

use std::sync::Arc;

use super::AppState;
use crate::anchor;
use crate::model::ArticleMetadata;
use crate::parse;

/// The selected clipping as the reader shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub meta: ArticleMetadata,
    /// The body paragraphs joined: the text highlights are anchored in.
    pub text: String,
}

impl AppState {
    /// The selected clipping's full parse and reading text, as last loaded by
    /// [`AppState::load_reading`] (the app loads it before each frame). Never writes.
    pub fn reading(&self) -> Option<Arc<Reading>> {
        let id = self.selected.as_ref()?;
        match &self.reading {
            Some((cached, reading)) if cached == id => Some(reading.clone()),
            _ => None,
        }
    }

    /// Parse the selected clipping for reading, once per selection. On first view its
    /// highlights are re-anchored in the text (after a re-parse the text may have shifted) and
    /// the record saved: this is the step that may write, so it is explicit.
    pub fn load_reading(&mut self) -> Option<Arc<Reading>> {
        if let Some(reading) = self.reading() {
            return Some(reading);
        }
        let id = self.selected.clone()?;
        let text = self.library.as_ref()?.text(&id).ok()?;
        let meta = parse::parse_article(&text);
        let reading = Arc::new(Reading {
            text: anchor::reading_text(&meta),
            meta,
        });
        self.reading = Some((id.clone(), reading.clone()));
        if let Some(lib) = &mut self.library
            && !lib.is_read_only()
        {
            // A failed save is kept among the library's problems, the anchors current in memory.
            lib.reanchor(Some(&id));
        }
        Some(reading)
    }
}
