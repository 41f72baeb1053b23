//! Story versions in the state: the version index kept for the open library, the fold toggle,
//! the comparison, and what the panels read of them, made ready before each frame.

use std::collections::HashMap;

use crate::library::Library;
use crate::versions::{self, Change, LibraryVersions, VersionInfo};

/// For one library revision: each grouped clipping's group number, and each group's label.
type Groups = ((u64, u64), HashMap<String, usize>, Vec<String>);

/// Libraries up to this size are indexed whole in place when needed; larger ones on a thread.
const IN_PLACE_MAX: usize = 1000;

/// What the app keeps about story versions.
#[derive(Debug, Default)]
pub struct VersionsState {
    index: LibraryVersions,
    /// Fold each group of versions into one row of the list.
    pub fold: bool,
    /// The two clippings shown side by side (old, new).
    pub compare: Option<(String, String)>,
    /// For the library (instance, revision): each grouped clipping's group number and each
    /// group's label.
    groups: Option<Groups>,
    /// The comparison's word diff, for the pair it was made for.
    diff: Option<((String, String), Vec<Change>)>,
    /// The index being brought up to date on a background thread (after opening, after a
    /// big import): it is handed over whole, so the window never matches entries itself.
    build: Option<std::sync::mpsc::Receiver<LibraryVersions>>,
    /// Made ready before each frame for the panels to read: the selected clipping's versions
    /// (itself first), kept until the library or the selection changes, with what they were
    /// made for: ((instance, revision), id).
    selected_versions: Vec<VersionInfo>,
    selected_for: Option<((u64, u64), String)>,
    /// Whether the folded rows' labels (in `groups`) are current for this frame.
    labels_ready: bool,
    /// What a first build computes, copied out of the library on the thread that opened it
    /// (at 100,000 copying it took a frame), with the library (instance, revision) it is of.
    first_source: Option<((u64, u64), versions::VersionSource)>,
}

impl VersionsState {
    /// Start building the index on a background thread (the app does this on its second
    /// frame, as it does the search index, and again when a large change such as a big import
    /// needs it built whole), so the window never waits for it.
    pub fn warm(&mut self, lib: &Library, ctx: &egui::Context) {
        if self.build.is_some() || !self.index.needs_rebuild(lib) {
            return;
        }
        // The index goes to the thread and comes back current: computing the entries and
        // matching each against the others (the LSH buckets) both happen there. Meanwhile
        // `ready` says no, so nothing reads the empty index left here.
        let mut index = std::mem::take(&mut self.index);
        let now = (lib.instance(), lib.revision());
        let source = match self.first_source.take() {
            // The library moved on since: what the copy missed is caught up by the next
            // refresh (the index knows what it was built for).
            Some((at, source)) if !index.is_built() && at.0 == now.0 => source,
            _ => index.source(lib),
        };
        let (tx, rx) = std::sync::mpsc::channel();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("clipfile-versions".into())
            .spawn(move || {
                // Computed and matched in the background pool, at its priority, pausing
                // while a search runs (matching 100,000 clippings can take a while).
                let index = crate::background::install(move || {
                    index.adopt(source.build());
                    index
                });
                let _ = tx.send(index);
                ctx.request_repaint();
            });
        if spawned.is_ok() {
            self.build = Some(rx);
        }
    }

    /// Keep what a first build of `lib`'s index computes, copied on another thread, for
    /// [`VersionsState::warm`].
    pub fn offer_first_source(&mut self, lib: &Library, source: versions::VersionSource) {
        self.first_source = Some(((lib.instance(), lib.revision()), source));
    }

    /// Make ready what the panels read this frame (see the getters below).
    pub fn prepare(&mut self, lib: Option<&Library>, selected: Option<&str>, ctx: &egui::Context) {
        let Some(lib) = lib else {
            self.selected_versions.clear();
            self.selected_for = None;
            self.labels_ready = false;
            return;
        };
        let ready = self.ready(lib, ctx);
        let key = selected.map(|id| ((lib.instance(), lib.revision()), id.to_string()));
        if !ready || key.is_none() {
            self.selected_versions.clear();
            self.selected_for = None;
        } else if self.selected_for != key {
            if let Some((_, id)) = &key {
                self.selected_versions = versions::versions_of(&mut self.index, lib, id);
            }
            self.selected_for = key;
        }
        self.labels_ready = self.fold && ready;
        if self.labels_ready {
            // Brings the groups and their labels up to date once a frame; rows read them.
            self.groups(lib);
        }
        if self.diff(lib).is_none() {
            self.compare = None;
        }
    }

    /// The selected clipping's versions, itself first (empty when it has none).
    pub fn selected_versions(&self) -> &[VersionInfo] {
        &self.selected_versions
    }

    /// "4 versions: …" for a folded row standing for a group.
    pub fn row_label(&self, id: &str) -> Option<&str> {
        if !self.labels_ready {
            return None;
        }
        let (_, of, labels) = self.groups.as_ref()?;
        of.get(id).and_then(|&n| labels.get(n)).map(String::as_str)
    }

    /// The word diff of the two versions being compared.
    pub fn compare_diff(&self) -> Option<&[Change]> {
        let (pair, diff) = self.diff.as_ref()?;
        (self.compare.as_ref() == Some(pair)).then_some(diff.as_slice())
    }

    /// Whether the index is being built in the background (until a panel takes it in).
    pub fn building(&self) -> bool {
        self.build.is_some()
    }

    /// Whether the index can answer now without building it whole: false while a background
    /// build runs, and when one is needed (it is then started). A small library is brought up
    /// to date in place.
    pub fn ready(&mut self, lib: &Library, ctx: &egui::Context) -> bool {
        if let Some(rx) = &self.build {
            match rx.try_recv() {
                Ok(built) => {
                    self.index = built;
                    self.build = None;
                    self.groups = None;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => return false,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => self.build = None,
            }
        }
        if lib.len() > IN_PLACE_MAX && self.index.needs_rebuild(lib) {
            // The first build is started by the app a few frames after opening (so the first
            // frames stay quick); later ones here.
            if self.index.is_built() {
                self.warm(lib, ctx);
            }
            return false;
        }
        true
    }

    /// The versions of `id`, itself first (none while the index is being built).
    pub fn versions_of(
        &mut self,
        lib: &Library,
        id: &str,
        ctx: &egui::Context,
    ) -> Vec<VersionInfo> {
        if !self.ready(lib, ctx) {
            return Vec::new();
        }
        versions::versions_of(&mut self.index, lib, id)
    }

    fn groups(&mut self, lib: &Library) -> (&HashMap<String, usize>, &[String]) {
        let now = (lib.instance(), lib.revision());
        if self.groups.as_ref().is_none_or(|(at, _, _)| *at != now) {
            self.index.refresh(lib);
            let groups: Vec<Vec<String>> = self.index.index().groups().to_vec();
            let mut of = HashMap::new();
            let mut labels = Vec::new();
            for (n, group) in groups.iter().enumerate() {
                for id in group {
                    of.insert(id.clone(), n);
                }
                labels.push(versions::group_label(&versions::versions_of(
                    &mut self.index,
                    lib,
                    &group[0],
                )));
            }
            self.groups = Some((now, of, labels));
        }
        match &self.groups {
            Some((_, of, labels)) => (of, labels),
            None => unreachable!("set just above"),
        }
    }

    /// "4 versions: …" for a clipping with versions.
    pub fn label(&mut self, lib: &Library, id: &str, ctx: &egui::Context) -> Option<String> {
        if !self.ready(lib, ctx) {
            return None;
        }
        let (of, labels) = self.groups(lib);
        of.get(id).and_then(|&n| labels.get(n)).cloned()
    }

    /// `ids` with one clipping of each group kept: `keep` (the selection) for its group, the
    /// first for the others. A folded list waits for an index still being built.
    pub fn fold(
        &mut self,
        lib: &Library,
        ids: Vec<std::sync::Arc<str>>,
        keep: Option<&str>,
    ) -> Vec<std::sync::Arc<str>> {
        if let Some(rx) = self.build.take()
            && let Ok(built) = rx.recv()
        {
            self.index = built;
            self.groups = None;
        }
        let (of, _) = self.groups(lib);
        let kept = keep.filter(|k| ids.iter().any(|id| &**id == *k));
        let kept_group = kept.and_then(|k| of.get(k));
        let mut seen = std::collections::HashSet::new();
        ids.into_iter()
            .filter(|id| match of.get(&**id) {
                None => true,
                Some(n) if Some(n) == kept_group => Some(&**id) == kept,
                Some(n) => seen.insert(*n),
            })
            .collect()
    }

    fn diff(&mut self, lib: &Library) -> Option<&[Change]> {
        let pair = self.compare.clone()?;
        if self.diff.as_ref().is_none_or(|(p, _)| *p != pair) {
            let old = versions::body_of(&lib.text(&pair.0).ok()?);
            let new = versions::body_of(&lib.text(&pair.1).ok()?);
            self.diff = Some((pair, versions::word_diff(&old, &new)));
        }
        self.diff.as_ref().map(|(_, d)| d.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::OpenMode;
    use std::time::{Duration, Instant};

    /// The app's build runs in the background pool: its matching waits while a search runs.
    /// (Started on a thread of its own, the build of these few clippings is over in
    /// milliseconds, search or no search.)
    #[test]
    fn the_apps_build_waits_while_a_search_runs() {
        let tmp = tempfile::tempdir().expect("tmp");
        let mut lib = Library::open(tmp.path(), OpenMode::ReadWrite).expect("open");
        for i in 0..8 {
            let body = format!(
                "Council vote {i}\n\nThe council of district {i} voted on Monday on a budget \
                 that closes {i} libraries and opens a swimming pool by the river."
            );
            lib.import_text(&format!("{i}.txt"), &body).expect("import");
        }
        let ctx = egui::Context::default();
        let mut state = VersionsState::default();
        let search = crate::background::foreground();
        state.warm(&lib, &ctx);
        assert!(!state.ready(&lib, &ctx), "the build is under way");
        std::thread::sleep(Duration::from_millis(100));
        assert!(
            !state.ready(&lib, &ctx),
            "the build went on beside a running search"
        );
        drop(search);
        let waited = Instant::now();
        while !state.ready(&lib, &ctx) {
            assert!(
                waited.elapsed() < Duration::from_secs(60),
                "the build never ended"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(state.index.index().len(), lib.len());
    }
}
