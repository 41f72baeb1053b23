//! The library-wide speakers, people and places: the search index's facet cache, kept current
//! before each frame while the facets section is shown, counted on a thread after a big change.

use std::sync::{Arc, Mutex};

use super::AppState;
use crate::quotes::{BuiltFacets, Facets};

/// Where a background count of the facet cache leaves its result.
type FacetSlot = Arc<Mutex<Option<BuiltFacets>>>;

/// What the app keeps of the facets between frames.
#[derive(Debug, Default)]
pub struct FacetsState {
    /// The facets section was shown: keep the counts current from now on.
    wanted: bool,
    /// A background count in progress.
    build: Option<FacetSlot>,
    /// Made ready before each frame: the counts, if counted once.
    shown: Option<Arc<Facets>>,
}

impl FacetsState {
    /// Whether the facets section has asked for the counts.
    pub fn wanted(&self) -> bool {
        self.wanted
    }

    /// The counts to show (None until counted once), and whether a count is under way.
    pub fn shown(&self) -> (Option<&Facets>, bool) {
        (self.shown.as_deref(), self.build.is_some())
    }
}

impl AppState {
    /// Bring the facet counts up to date if the section asked for them: a few changes are
    /// counted in place, many on a background thread (only the changed clippings are read).
    pub(super) fn prepare_facets(&mut self, ctx: &egui::Context) {
        if !self.facets.wanted {
            return;
        }
        let Some(lib) = &self.library else {
            self.facets.shown = None;
            return;
        };
        let index = self.search_index.facets();
        if let Some(slot) = &self.facets.build {
            match slot.lock().ok().and_then(|mut r| r.take()) {
                Some(built) => {
                    index.adopt(built);
                    self.facets.build = None;
                }
                None => {
                    // Still counting (or the thread died: its slot stays empty; counted again
                    // when the library next changes).
                    if Arc::strong_count(slot) > 1 {
                        return;
                    }
                    self.facets.build = None;
                }
            }
        }
        if !index.is_current(lib) {
            if index.needs_background(lib) {
                let source = index.source(lib);
                let slot: FacetSlot = Arc::default();
                let result = slot.clone();
                let ctx = ctx.clone();
                let spawned = std::thread::Builder::new()
                    .name("clipfile-facets".into())
                    .spawn(move || {
                        let built = source.build();
                        if let Ok(mut r) = result.lock() {
                            *r = Some(built);
                        }
                        ctx.request_repaint();
                    });
                if spawned.is_ok() {
                    self.facets.build = Some(slot);
                }
            } else {
                index.refresh(lib);
            }
        }
        if index.is_built() {
            self.facets.shown = Some(index.facets());
        }
    }

    /// The facets section is shown: count the facets and keep them current.
    pub(super) fn want_facets(&mut self) {
        self.facets.wanted = true;
    }
}
