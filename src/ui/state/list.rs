//! The list model: which clippings are shown in what order (search, filters, sort, folded
//! versions), the search index behind it, and the tag counts.

use std::collections::BTreeSet;

use super::{AppState, SortKey};
use crate::model::Field;
use crate::search;

impl AppState {
    /// The ids shown in the library list as last computed (see [`AppState::visible`]).
    pub fn shown(&self) -> &[String] {
        &self.visible
    }

    /// The ids shown in the library list, filtered and ordered.
    ///
    /// The selection stays inside what is shown: when a search or filter leaves the selected
    /// clipping out, the best match (the first one shown) takes its place, or nothing is
    /// selected when nothing matches. Picked rows outside the list are dropped too.
    pub fn visible(&mut self) -> &[String] {
        if self.visible_dirty {
            self.visible = self.compute_visible();
            self.visible_dirty = false;
            self.keep_selection_visible();
        }
        &self.visible
    }

    pub(super) fn keep_selection_visible(&mut self) {
        // While an import runs the list grows under the selection; it is settled at the end.
        if self.import.is_some() {
            return;
        }
        let shown: std::collections::HashSet<&String> = self.visible.iter().collect();
        self.multi.retain(|id| shown.contains(id));
        if let Some(id) = &self.selected
            && !shown.contains(id)
        {
            self.selected = self.visible.first().cloned();
            self.text_selection = None;
            self.open_highlight = None;
        }
    }

    pub(super) fn compute_visible(&mut self) -> Vec<String> {
        let Some(lib) = &self.library else {
            return Vec::new();
        };
        // A speaker or mention filter goes through the index, whose cache of each clipping's
        // speakers spares reading every text again.
        let quotes_filter = self.query.speaker.is_some() || self.query.mention.is_some();
        let mut hits = if self.query.text.trim().is_empty() && !quotes_filter {
            // No words and no quote filter: the texts are not looked at, so none is read.
            let items = lib.clippings().map(|c| (c, ""));
            search::run(items, &self.query)
        } else {
            self.search_index.run(lib, &self.query)
        };
        if self.query.text.trim().is_empty() {
            match self.sort {
                // Newest batch first; within one batch (same import time) in the order of the
                // files' names, as a folder lists them, not in the ids' random order.
                SortKey::Imported => hits.sort_by(|a, b| {
                    b.imported
                        .cmp(&a.imported)
                        .then_with(|| a.source_name.cmp(&b.source_name))
                        .then(a.id.cmp(&b.id))
                }),
                SortKey::Published => hits.sort_by(|a, b| {
                    b.field(Field::Published)
                        .cmp(&a.field(Field::Published))
                        .then(a.id.cmp(&b.id))
                }),
                SortKey::Headline => {
                    hits.sort_by_cached_key(|c| (c.title().to_lowercase(), c.id.clone()))
                }
            }
        }
        let ids = hits.into_iter().map(|c| c.id.clone()).collect();
        if self.versions.fold {
            return self.versions.fold(lib, ids, self.selected.as_deref());
        }
        ids
    }

    /// Start building the search index on a background thread if it was never built (later
    /// changes are taken in by the next search). A search typed before it is done builds what
    /// it needs itself.
    pub fn warm_search_index(&mut self) {
        if let Some(lib) = &self.library
            && !self.search_index.is_built()
            && self.index_build.is_none()
        {
            let source = search::IndexSource::of(lib);
            let (tx, rx) = std::sync::mpsc::channel();
            let spawned = std::thread::Builder::new()
                .name("clipfile-search-index".into())
                .spawn(move || {
                    let _ = tx.send(source.build());
                });
            if spawned.is_ok() {
                self.index_build = Some(rx);
            }
        }
    }

    /// Take the search index built in the background, when it is ready.
    pub(super) fn take_index_build(&mut self) {
        if let Some(rx) = &self.index_build {
            match rx.try_recv() {
                Ok(built) => {
                    self.search_index.adopt(built);
                    self.index_build = None;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {}
                Err(std::sync::mpsc::TryRecvError::Disconnected) => self.index_build = None,
            }
        }
    }

    pub fn search_index_is_built(&self) -> bool {
        self.search_index.is_built()
    }

    /// Every tag and every parent of one ("russia" for "russia/syria"), by name, each with how
    /// many clippings carry it or any tag under it (a clipping counts once).
    pub fn tag_tree(&self) -> &[(String, usize)] {
        let library = &self.library;
        self.tag_tree.get_or_init(|| match library {
            Some(lib) => tag_tree_counts(lib.clippings().map(|c| c.tags.as_slice())),
            None => Vec::new(),
        })
    }

    /// Tags used in the library with how many clippings carry each, by name.
    pub fn tag_counts(&self) -> &[(String, usize)] {
        let library = &self.library;
        self.tag_counts.get_or_init(|| {
            let mut counts = std::collections::BTreeMap::<String, usize>::new();
            if let Some(lib) = library {
                for c in lib.clippings() {
                    let unique: BTreeSet<&String> = c.tags.iter().collect();
                    for t in unique {
                        *counts.entry(t.clone()).or_default() += 1;
                    }
                }
            }
            counts.into_iter().collect()
        })
    }
}

/// The tag tree's counts over each clipping's tags: see [`AppState::tag_tree`].
pub fn tag_tree_counts<'a>(tags: impl Iterator<Item = &'a [String]>) -> Vec<(String, usize)> {
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for clipping_tags in tags {
        let mut nodes = BTreeSet::new();
        for tag in clipping_tags {
            for (i, _) in tag.match_indices('/') {
                nodes.insert(&tag[..i]);
            }
            nodes.insert(tag.as_str());
        }
        for node in nodes {
            *counts.entry(node.to_string()).or_default() += 1;
        }
    }
    counts.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tag_tree_counts_children_once_per_clipping() {
        let a = vec!["russia/syria".to_string(), "russia/turkey".to_string()];
        let b = vec!["russia".to_string()];
        let c = vec!["syria".to_string()];
        let tree = tag_tree_counts([a.as_slice(), b.as_slice(), c.as_slice()].into_iter());
        let get = |t: &str| tree.iter().find(|(n, _)| n == t).map(|(_, c)| *c);
        assert_eq!(get("russia"), Some(2));
        assert_eq!(get("russia/syria"), Some(1));
        assert_eq!(get("russia/turkey"), Some(1));
        assert_eq!(get("syria"), Some(1));
        assert_eq!(tree.len(), 4);
    }
}
