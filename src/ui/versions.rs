//! Story versions in the app: the version index kept for the open library, the "Fold versions"
//! toggle of the list, the Versions section of the detail panel and the side-by-side
//! comparison window with the words added and removed marked.

use std::collections::HashMap;

use super::app::ClipfileApp;
use super::state::Action;
use crate::library::Library;
use crate::model::Clipping;
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
    /// The index being built on a background thread after opening.
    build: Option<std::sync::mpsc::Receiver<versions::BuiltVersions>>,
}

impl VersionsState {
    /// Start building the index on a background thread (the app does this on its second
    /// frame, as it does the search index, and again when a large change such as a big import
    /// needs it built whole), so the window never waits for it.
    pub fn warm(&mut self, lib: &Library, ctx: &egui::Context) {
        if self.build.is_some() || !self.index.needs_rebuild(lib) {
            return;
        }
        let source = self.index.source(lib);
        let (tx, rx) = std::sync::mpsc::channel();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("clipfile-versions".into())
            .spawn(move || {
                let _ = tx.send(source.build());
                ctx.request_repaint();
            });
        if spawned.is_ok() {
            self.build = Some(rx);
        }
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
                    self.index.adopt(built);
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
    pub fn fold(&mut self, lib: &Library, ids: Vec<String>, keep: Option<&str>) -> Vec<String> {
        if let Some(rx) = self.build.take()
            && let Ok(built) = rx.recv()
        {
            self.index.adopt(built);
            self.groups = None;
        }
        let (of, _) = self.groups(lib);
        let kept = keep.filter(|k| ids.iter().any(|id| id == k));
        let kept_group = kept.and_then(|k| of.get(k));
        let mut seen = std::collections::HashSet::new();
        ids.into_iter()
            .filter(|id| match of.get(id) {
                None => true,
                Some(n) if Some(n) == kept_group => Some(id.as_str()) == kept,
                Some(n) => seen.insert(*n),
            })
            .collect()
    }

    fn diff(&mut self, lib: &Library) -> Option<&[Change]> {
        let pair = self.compare.clone()?;
        if self.diff.as_ref().is_none_or(|(p, _)| *p != pair) {
            let old = versions::body_of(lib.text(&pair.0)?);
            let new = versions::body_of(lib.text(&pair.1)?);
            self.diff = Some((pair, versions::word_diff(&old, &new)));
        }
        self.diff.as_ref().map(|(_, d)| d.as_slice())
    }
}

/// The "Fold versions" toggle above the list.
pub fn fold_toggle(ui: &mut egui::Ui, app: &mut ClipfileApp) {
    let mut fold = app.state.versions.fold;
    if ui
        .checkbox(&mut fold, "Fold versions")
        .on_hover_text("Show each story printed by several outlets as one row")
        .changed()
    {
        app.apply(Action::FoldVersions(fold));
    }
}

/// The Versions section of the detail panel: the other versions of the clipping's story with
/// publication, date, length and similarity (click to open), Compare, and Copy highlights.
pub fn show_in_detail(ui: &mut egui::Ui, app: &mut ClipfileApp, clipping: &Clipping) {
    let Some(lib) = app.state.library.as_ref() else {
        return;
    };
    let list = app.state.versions.versions_of(lib, &clipping.id, ui.ctx());
    if list.len() < 2 {
        return;
    }
    ui.separator();
    ui.strong(format!("Versions ({})", list.len()));
    let mut action = None;
    for v in list.iter().skip(1) {
        let Some(other) = lib.get(&v.id) else {
            continue;
        };
        ui.horizontal_wrapped(|ui| {
            let name = v.publication.clone().unwrap_or_else(|| v.headline.clone());
            if ui
                .link(name)
                .on_hover_text(format!("Open “{}”", v.headline))
                .clicked()
            {
                action = Some(Action::Select(v.id.clone()));
            }
            let mut facts = Vec::new();
            if let Some(date) = &v.published {
                facts.push(date.clone());
            }
            facts.push(format!("{} words", v.words));
            if let Some(s) = v.similarity {
                facts.push(format!("{:.0}% alike", s * 100.0));
            }
            ui.weak(facts.join(" · "));
        });
        ui.horizontal(|ui| {
            if ui
                .small_button("Compare")
                .on_hover_text("Show the two versions side by side, changes marked")
                .clicked()
            {
                action = Some(Action::CompareVersions(Some((
                    v.id.clone(),
                    clipping.id.clone(),
                ))));
            }
            let live = other.highlights.iter().filter(|h| !h.orphan).count();
            if live > 0
                && ui
                    .small_button(format!(
                        "Copy {} to this version",
                        crate::library::plural(live, "highlight", "highlights")
                    ))
                    .on_hover_text("Anchor that version's highlights here, marked as copied")
                    .clicked()
            {
                action = Some(Action::CopyHighlightsFrom(v.id.clone()));
            }
        });
    }
    if let Some(action) = action {
        app.apply(action);
    }
}

/// The side-by-side window: the older version on the left with removed words struck through,
/// the newer on the right with added words marked.
pub fn compare_window(ui: &mut egui::Ui, app: &mut ClipfileApp) {
    let Some((old, new)) = app.state.versions.compare.clone() else {
        return;
    };
    let Some(lib) = app.state.library.as_ref() else {
        return;
    };
    let title = |id: &str| {
        lib.get(id).map_or(String::new(), |c| {
            c.field(crate::model::Field::Publication)
                .unwrap_or(c.title())
                .to_string()
        })
    };
    let (left_title, right_title) = (title(&old), title(&new));
    let Some(diff) = app.state.versions.diff(lib).map(<[Change]>::to_vec) else {
        app.state.versions.compare = None;
        return;
    };
    let mut open = true;
    egui::Window::new("Compare versions")
        .open(&mut open)
        .default_size([900.0, 600.0])
        .show(ui.ctx(), |ui| {
            let font = egui::FontId::proportional(14.0);
            let color = ui.visuals().text_color();
            let removed_bg = egui::Color32::from_rgba_unmultiplied(220, 60, 60, 70);
            let added_bg = egui::Color32::from_rgba_unmultiplied(60, 180, 80, 70);
            let side = |keep_removed: bool| {
                let mut job = egui::text::LayoutJob::default();
                for change in &diff {
                    let (text, format) = match change {
                        Change::Same(t) => (t, egui::TextFormat::simple(font.clone(), color)),
                        Change::Removed(t) if keep_removed => (
                            t,
                            egui::TextFormat {
                                background: removed_bg,
                                strikethrough: egui::Stroke::new(1.0, color),
                                ..egui::TextFormat::simple(font.clone(), color)
                            },
                        ),
                        Change::Added(t) if !keep_removed => (
                            t,
                            egui::TextFormat {
                                background: added_bg,
                                ..egui::TextFormat::simple(font.clone(), color)
                            },
                        ),
                        _ => continue,
                    };
                    job.append(text, 0.0, format);
                }
                job
            };
            let (left, right) = (side(true), side(false));
            let counts = |f: fn(&Change) -> Option<&String>| {
                diff.iter()
                    .filter_map(f)
                    .map(|t| t.split_whitespace().count())
                    .sum::<usize>()
            };
            let removed = counts(|c| match c {
                Change::Removed(t) => Some(t),
                _ => None,
            });
            let added = counts(|c| match c {
                Change::Added(t) => Some(t),
                _ => None,
            });
            ui.weak(format!("{removed} words removed, {added} words added"));
            egui::ScrollArea::vertical().show(ui, |ui| {
                ui.columns(2, |cols| {
                    cols[0].strong(left_title);
                    cols[0].add(egui::Label::new(left).wrap());
                    cols[1].strong(right_title);
                    cols[1].add(egui::Label::new(right).wrap());
                });
            });
        });
    if !open {
        app.apply(Action::CompareVersions(None));
    }
}

/// "Copied from <version>" under a highlight carried from another version.
pub fn copied_note(ui: &mut egui::Ui, app: &ClipfileApp, highlight: &str, from: &str) {
    let name = app
        .state
        .library
        .as_ref()
        .and_then(|lib| lib.get(from))
        .map_or("another version (no longer in the library)", |c| {
            c.field(crate::model::Field::Publication)
                .unwrap_or(c.title())
        });
    ui.indent(("copied", highlight), |ui| {
        ui.weak(format!("Copied from {name}"));
    });
}
