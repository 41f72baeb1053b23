//! The library-wide speakers, people and places: the facet cache (each clipping's mentions,
//! also read by the speaker and mention filters), kept current before each frame while the
//! facets section is shown, counted on a thread after a big change.

use std::sync::{Arc, Mutex};

use super::AppState;
use crate::library::Library;
use crate::quotes::{BuiltFacets, FacetIndex, Facets};

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
    /// Each clipping's speakers, people and places, and the library-wide counts.
    index: FacetIndex,
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

    /// The cached mentions for the speaker and mention filters of `query`, when it has one:
    /// brought up to date in place when that is cheap (a small library or a few changes);
    /// None while a big count is still to be done (the filters then read the texts).
    pub(super) fn for_filters(
        &mut self,
        lib: &Library,
        query: &crate::search::Query,
    ) -> Option<&FacetIndex> {
        if !query.reads_quotes() {
            return None;
        }
        if lib.len() <= crate::quotes::FACET_IN_PLACE || !self.index.needs_background(lib) {
            self.index.refresh(lib);
        }
        self.index.is_current(lib).then_some(&self.index)
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
        let FacetsState {
            build,
            shown,
            index,
            ..
        } = &mut self.facets;
        if let Some(slot) = build {
            match slot.lock().ok().and_then(|mut r| r.take()) {
                Some(built) => {
                    index.adopt(built);
                    *build = None;
                }
                None => {
                    // Still counting (or the thread died: its slot stays empty; counted again
                    // when the library next changes).
                    if Arc::strong_count(slot) > 1 {
                        return;
                    }
                    *build = None;
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
                        let built = crate::background::install(|| source.build());
                        if let Ok(mut r) = result.lock() {
                            *r = Some(built);
                        }
                        ctx.request_repaint();
                    });
                if spawned.is_ok() {
                    *build = Some(slot);
                }
            } else {
                index.refresh(lib);
            }
        }
        if index.is_built() {
            *shown = Some(index.facets());
        }
    }

    /// The facets section is shown: count the facets and keep them current.
    pub(super) fn want_facets(&mut self) {
        self.facets.wanted = true;
    }
}
