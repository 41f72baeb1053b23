//! The list model: which clippings are shown in what order (search, filters, sort, folded
//! versions), the search worker's answers behind it, and the tag counts.

use std::sync::Arc;

use crate::ids::IdList;
use crate::library::tags::Counts;

use super::index_worker::{Gate, IndexStatus, IndexWorker};
use super::{AppState, Level, Notification, SortKey};
use crate::model::{Clipping, Field};
use crate::query::{Pattern, QueryError, Term};

/// The search text and the worker that answers it.
#[derive(Debug, Default)]
pub struct Search {
    worker: Option<IndexWorker>,
    /// The worker could not be started.
    start_failed: bool,
    /// Where the index lives (the platform's cache folder when None), and a test's hold.
    cache: Option<std::path::PathBuf>,
    gate: Option<Gate>,
    /// The library (instance, revision) the worker was last told about.
    seen: Option<(u64, u64)>,
    /// The text last parsed, its parse, and whether it was sent since (or since the
    /// library changed).
    sent: Option<String>,
    parsed: Option<Result<crate::query::Query, QueryError>>,
    asked: bool,
    /// The query's positive words, marked in the reader.
    marks: String,
    /// How many rows with a snippet the list shows at once (None until it is drawn): an
    /// answer comes with the snippets of that many first rows.
    rows_in_view: Option<usize>,
}

/// What the list is made of.
enum Hits<'a> {
    /// Every clipping (no text query, or none that can run), in the sort order.
    All,
    /// The index's hits, best first.
    Ranked(&'a IdList),
    /// Nothing yet: the index is being built or the first answer is on its way.
    Waiting,
}

impl Search {
    fn set_text(&mut self, text: &str) {
        self.sent = Some(text.to_string());
        let parsed = crate::query::parse(text);
        if let Ok(q) = &parsed {
            self.marks = positive_words(q).join(" ");
        }
        self.parsed = Some(parsed);
        self.asked = false;
    }

    /// A text query is typed (valid or not).
    fn is_text(&self) -> bool {
        self.sent.as_deref().is_some_and(|t| !t.trim().is_empty())
            && !matches!(&self.parsed, Some(Ok(q)) if q.is_empty())
    }

    /// False while a valid text query waits for the worker's answer.
    fn answered(&self) -> bool {
        !self.is_text()
            || !self.is_valid()
            || self.worker.as_ref().is_none_or(|w| {
                matches!(w.status, IndexStatus::Unavailable(_))
                    || w.answer().is_some() && w.settled()
            })
    }

    fn is_valid(&self) -> bool {
        matches!(self.parsed, Some(Ok(_)))
    }

    fn hits(&self) -> Hits<'_> {
        if !self.is_text() {
            return Hits::All;
        }
        let Some(worker) = &self.worker else {
            return Hits::All;
        };
        // A malformed query keeps the last answer on screen (its error is under the box);
        // while a newer query runs, the last answer stays too.
        let answer = worker.answer().map(|a| &a.ids);
        match (&worker.status, answer) {
            (IndexStatus::Unavailable(_), _) => Hits::All,
            (IndexStatus::Indexing(_), _) if self.is_valid() => Hits::Waiting,
            (_, Some(ids)) => Hits::Ranked(ids),
            (_, None) if self.is_valid() => Hits::Waiting,
            (_, None) => Hits::All,
        }
    }
}

/// The words of a query's terms that must match (not the negated ones), for marking; a
/// word that matches as a prefix (`word*`, `speaker:`) ends in `*`, a phrase is quoted.
fn positive_words(q: &crate::query::Query) -> Vec<String> {
    let mut words = Vec::new();
    for lit in q.clauses.iter().flat_map(|c| &c.alternatives) {
        if lit.negated {
            continue;
        }
        match &lit.term {
            Term::Text { pattern, .. } => match pattern {
                Pattern::Word(w) => words.extend(w.split_whitespace().map(str::to_string)),
                Pattern::Phrase(w) => words.push(format!("\"{w}\"")),
                Pattern::Prefix(w) => words.push(format!("{w}*")),
            },
            // A speaker's name of several words is looked for as they run in the text.
            Term::Speaker(w) if w.split_whitespace().nth(1).is_some() => {
                words.push(format!("\"{w}\""))
            }
            Term::Speaker(w) => words.push(format!("{w}*")),
            _ => {}
        }
    }
    words
}

impl AppState {
    /// The ids shown in the library list as last computed (see [`AppState::visible`]).
    pub fn shown(&self) -> &IdList {
        &self.visible
    }

    /// The ids shown in the library list, filtered and ordered.
    ///
    /// The selection stays inside what is shown: when a search or filter leaves the selected
    /// clipping out, the best match (the first one shown) takes its place, or nothing is
    /// selected when nothing matches; the clipping left out is selected again when a later
    /// list shows it (see `AppState::left_out`). Picked rows outside the list are dropped too.
    pub fn visible(&mut self) -> &IdList {
        if self.visible_dirty {
            let new = self.compute_visible();
            let old = std::mem::replace(&mut self.visible, new);
            // Freeing 100,000 ids takes a frame: not on this thread.
            if old.len() > 10_000 && old.owns_ids() {
                let _ = std::thread::Builder::new()
                    .name("clipfile-free-list".into())
                    .spawn(move || drop(old));
            }
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
        // Nor is it moved while a search waits for its answer: the list then is a placeholder
        // or the previous query's hits.
        if !self.search.answered() {
            return;
        }
        // A set of the shown ids only for the rows picked with Ctrl-click (a set of 100,000
        // ids costs a frame); the one selected clipping is looked for in the list.
        if !self.multi.is_empty() {
            let shown: std::collections::HashSet<&str> =
                self.visible.iter().map(|id| &**id).collect();
            self.multi.retain(|id| shown.contains(id.as_str()));
        }
        // The clipping a search left out is back in the list: it is selected again.
        if let Some(id) = &self.left_out
            && self.visible.position(id).is_some()
        {
            let back = self.left_out.take();
            self.move_selection_to(back);
            return;
        }
        if let Some(id) = &self.selected
            && self.visible.position(id).is_none()
        {
            // Only the user's own choice is kept for later, not a row the selection was
            // moved to.
            if self.left_out.is_none() {
                self.left_out = Some(id.clone());
            }
            let first = self.visible.first().map(|id| id.to_string());
            self.move_selection_to(first);
        }
    }

    pub(super) fn compute_visible(&mut self) -> IdList {
        let Some(lib) = &self.library else {
            return IdList::default();
        };
        let query = &self.query;
        let facets = self.facets.for_filters(lib, query);
        let passes = |c: &Clipping| {
            query.passes(
                c,
                || lib.text(&c.id).ok(),
                facets.and_then(|f| f.mentions(&c.id)),
            )
        };
        // No side filter: the index's ranking, or the library's order (kept until the library
        // or the order changes), as they are: at 100,000 looking every id up costs a frame. A
        // row whose clipping has gone since is skipped when drawn.
        let filtered = !query.tags.is_empty()
            || query.credit.is_some()
            || query.speaker.is_some()
            || query.mention.is_some();
        let key = (lib.instance(), lib.revision(), self.sort);
        let ids: IdList = match (self.search.hits(), filtered) {
            (Hits::Waiting, _) => IdList::default(),
            (Hits::Ranked(ids), false) => ids.clone(),
            (Hits::Ranked(ids), true) => IdList::new(
                ids.iter()
                    .filter(|id| lib.get(id).is_some_and(&passes))
                    .cloned()
                    .collect(),
            ),
            (Hits::All, false) => {
                if self.order.as_ref().is_none_or(|(at, _)| *at != key) {
                    // The same library in the same sort, a few clippings changed since: only
                    // those are looked at.
                    let followed = self.order.as_ref().and_then(|(at, order)| {
                        let (instance, revision, sort) = *at;
                        if (instance, sort) != (key.0, key.2) {
                            return None;
                        }
                        let changed = lib.changed_since(revision)?;
                        if changed.len().saturating_mul(4) > order.len() {
                            return None;
                        }
                        follow_changes(lib, order, &changed, sort)
                    });
                    match (followed, &mut self.order) {
                        (Some(Followed::Stands), Some((at, _))) => *at = key,
                        (Some(Followed::Moved(ids)), _) => {
                            self.order = Some((key, IdList::new(ids)));
                        }
                        _ => {
                            self.order = Some((key, IdList::new(library_order(lib, self.sort))));
                        }
                    }
                }
                self.order
                    .as_ref()
                    .map(|(_, o)| o.clone())
                    .unwrap_or_default()
            }
            (Hits::All, true) => {
                let mut hits: Vec<&Clipping> = lib.clippings().filter(|c| passes(c)).collect();
                sort_clippings(&mut hits, self.sort);
                IdList::new(hits.into_iter().map(|c| Arc::from(c.id.as_str())).collect())
            }
        };
        if self.versions.fold {
            let ids = ids.to_vec();
            return IdList::new(self.versions.fold(lib, ids, self.selected.as_deref()));
        }
        ids
    }

    /// Start the search worker once the library is open, take in what it sent, tell it of
    /// library changes, and send it the search text when that changed (parsed here: a
    /// malformed query is never sent). Called before each frame; never waits.
    pub(super) fn prepare_search(&mut self, ctx: &egui::Context) {
        let search = &mut self.search;
        if search.worker.is_none()
            && !search.start_failed
            && let Some(lib) = &self.library
        {
            let wake = ctx.clone();
            match IndexWorker::start(
                self.library_root.clone(),
                search.cache.clone(),
                search.gate.clone(),
                move || wake.request_repaint(),
            ) {
                Ok(worker) => {
                    search.worker = Some(worker);
                    search.seen = Some((lib.instance(), lib.revision()));
                }
                Err(e) => {
                    search.start_failed = true;
                    let text = format!("Search is unavailable: {e}");
                    self.notifications.push(Notification::error(text));
                }
            }
        }
        let mut dirty = false;
        if search.sent.as_deref() != Some(self.query.text.as_str()) {
            search.set_text(&self.query.text);
            dirty = true;
        }
        if let Some(worker) = &mut search.worker {
            let (errors, changed) = worker.poll();
            for e in errors {
                self.notifications
                    .push(Notification::new(Level::Warning, e));
            }
            dirty |= changed;
            // While an import runs it feeds the index itself, a batch at a time (a query typed
            // meanwhile sees what it has committed); a refresh would read the same clippings
            // again and wait with it for the index's writer. The library is caught up with
            // once the import is over.
            let now = self.library.as_ref().map(|l| (l.instance(), l.revision()));
            if now != search.seen && self.import.is_none() {
                search.seen = now;
                worker.refresh();
                search.asked = false;
            }
            if !search.asked {
                search.asked = true;
                if let Some(Ok(q)) = &search.parsed
                    && !q.is_empty()
                {
                    worker.search(q.clone(), search.rows_in_view);
                }
            }
        }
        if dirty {
            self.visible_dirty = true;
        }
    }

    /// True once the index is built and the last search text typed has its answer (or needs
    /// none): what a test waits for before it looks at the list.
    pub fn search_settled(&self) -> bool {
        // A text typed but not yet parsed and sent (that happens before the next frame).
        if self.search.sent.as_deref() != Some(self.query.text.as_str()) {
            return false;
        }
        let Some(worker) = &self.search.worker else {
            return self.search.start_failed || self.library.is_none() && !self.is_opening();
        };
        // A change of the library not yet told to the worker, or a query not yet sent.
        let now = self.library.as_ref().map(|l| (l.instance(), l.revision()));
        if now != self.search.seen || !self.search.asked {
            return false;
        }
        match &worker.status {
            IndexStatus::Ready => {
                !self.search.is_text()
                    || !self.search.is_valid()
                    || worker.settled() && worker.snippets_settled()
            }
            IndexStatus::Unavailable(_) => true,
            IndexStatus::Indexing(_) => false,
        }
    }

    /// Whether the search index is built and answers queries.
    pub fn search_index_is_ready(&self) -> bool {
        self.search
            .worker
            .as_ref()
            .is_some_and(|w| w.status == IndexStatus::Ready)
    }

    /// What the line under the search box says: the query language's help, or what is
    /// wrong with the query typed (or with the search).
    pub fn search_line(&self) -> Result<&'static str, String> {
        if let Some(Err(e)) = &self.search.parsed {
            return Err(format!("The search cannot be read: {e}"));
        }
        if let Some(IndexStatus::Unavailable(why)) = self.search.worker.as_ref().map(|w| &w.status)
        {
            return Err(why.clone());
        }
        Ok(crate::query::HELP)
    }

    /// What the list says instead of its rows while a search waits: "Indexing… n of m" while
    /// the index is being built, "Searching…" until the first answer.
    pub fn search_note(&self) -> Option<String> {
        if !self.search.is_text() || !self.search.is_valid() {
            return None;
        }
        match &self.search.worker.as_ref()?.status {
            IndexStatus::Indexing(progress) => {
                let total = self.library.as_ref().map_or(0, |l| l.len());
                let (done, of) = progress.map_or((0, total), |(d, t)| (d, t.max(d)));
                Some(format!("Indexing… {done} of {of}"))
            }
            IndexStatus::Ready if self.search.worker.as_ref()?.answer().is_none() => {
                Some("Searching…".to_string())
            }
            _ => None,
        }
    }

    /// The snippet of a hit of the search (matching words between `**`).
    pub fn snippet(&self, id: &str) -> Option<&str> {
        if !self.search.is_text() {
            return None;
        }
        let answer = self.search.worker.as_ref()?.answer()?;
        answer.snippets.get(id).map(String::as_str)
    }

    /// Whether the list shows snippets (a search with full-text words is answered).
    pub fn has_snippets(&self) -> bool {
        self.search.is_text()
            && self
                .search
                .worker
                .as_ref()
                .and_then(|w| w.answer())
                .is_some_and(|a| a.text)
    }

    /// Whether a row drawn now still needs its snippet asked for (see
    /// [`crate::ui::state::Action::WantSnippets`]).
    pub fn lacks_snippet(&self, id: &str) -> bool {
        self.search.is_text()
            && self
                .search
                .worker
                .as_ref()
                .is_some_and(|w| w.lacks_snippet(id))
    }

    /// The list shows this many rows with a snippet at once (its height changed).
    pub(super) fn set_rows_in_view(&mut self, rows: usize) {
        self.search.rows_in_view = Some(rows);
    }

    /// How many rows with a snippet the list was last said to show at once.
    pub fn rows_in_view(&self) -> Option<usize> {
        self.search.rows_in_view
    }

    /// Ask the search for the snippets of these rows (drawn without one).
    pub(super) fn want_snippets(&mut self, ids: Vec<String>) {
        if let Some(worker) = &mut self.search.worker {
            worker.want_snippets(ids);
        }
    }

    /// The words the reader marks in the text: the query's positive words.
    pub fn mark_words(&self) -> &str {
        &self.search.marks
    }

    /// Put the search index in this cache folder (before the first frame).
    #[doc(hidden)]
    pub fn set_index_cache(&mut self, dir: std::path::PathBuf) {
        self.search.cache = Some(dir);
    }

    /// Hold the search worker before its first build until the gate returned is released
    /// (tests of what the app shows meanwhile). Call before the first frame.
    #[doc(hidden)]
    pub fn hold_index(&mut self) -> Gate {
        let gate = Gate::closed();
        self.search.gate = Some(gate.clone());
        gate
    }

    /// Every tag and every parent of one ("russia" for "russia/syria"), by name, each with how
    /// many clippings carry it or any tag under it (a clipping counts once).
    pub fn tag_tree(&self) -> &[(String, usize)] {
        &self.tags().1
    }

    /// Tags used in the library with how many clippings carry each, by name.
    pub fn tag_counts(&self) -> &[(String, usize)] {
        &self.tags().0
    }

    /// Both tag counts, from the library (which keeps them up to date as clippings change).
    fn tags(&self) -> &TagCounts {
        self.tags.get_or_init(|| {
            self.library
                .as_ref()
                .map(|lib| lib.tag_counts())
                .unwrap_or_default()
        })
    }

    /// Take in tag counts made elsewhere (on the opening thread) for the library as it is now.
    pub(super) fn offer_tag_counts(&mut self, counts: TagCounts) {
        let _ = self.tags.set(counts);
    }
}

/// The tag counts ([`AppState::tag_counts`]) and the tag tree's ([`AppState::tag_tree`]).
pub(super) type TagCounts = (Counts, Counts);

/// Where a clipping goes in the list's order for one sort: [`sort_clippings`] sorts by it,
/// and [`follow_changes`] puts a changed clipping back in its place by it.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum OrderKey<'a> {
    /// Newest batch first; within one batch (same import time) in the order of the files'
    /// names, as a folder lists them, not in the ids' random order.
    Imported(std::cmp::Reverse<&'a str>, &'a str, &'a str),
    Published(std::cmp::Reverse<Option<&'a str>>, &'a str),
    Headline(String, &'a str),
}

fn order_key(c: &Clipping, sort: SortKey) -> OrderKey<'_> {
    match sort {
        SortKey::Imported => OrderKey::Imported(
            std::cmp::Reverse(c.imported.as_str()),
            c.source_name.as_str(),
            c.id.as_str(),
        ),
        SortKey::Published => {
            OrderKey::Published(std::cmp::Reverse(c.field(Field::Published)), c.id.as_str())
        }
        SortKey::Headline => OrderKey::Headline(c.title().to_lowercase(), c.id.as_str()),
    }
}

/// Clippings in the list's order when no search ranks them. Not in parallel: called on the UI
/// thread, a rayon sort would queue behind whatever long job the pool runs (the version
/// index's first build) and wait seconds for it. The keys are borrowed into one array first:
/// comparing through each clipping's record missed the cache for every comparison (0.2 s for
/// 100,000).
pub(super) fn sort_clippings(hits: &mut [&Clipping], sort: SortKey) {
    hits.sort_by_cached_key(|c| order_key(c, sort));
}

/// The list's order after some of its clippings changed.
#[derive(Debug, PartialEq)]
pub(super) enum Followed {
    /// Unchanged: each changed clipping is still where its key puts it (an edit of its tags
    /// or notes does not move it).
    Stands,
    /// The others in their order, each changed one still in the library where its key puts
    /// it.
    Moved(Vec<Arc<str>>),
}

/// A clipping's key in the list's order, when it is in the library.
fn key_of<'a>(lib: &'a crate::library::Library, id: &str, sort: SortKey) -> Option<OrderKey<'a>> {
    lib.get(id).map(|c| order_key(c, sort))
}

/// The list's order `order` (every clipping of `lib` in `sort`'s order, as it was) after the
/// clippings `changed` were added, edited or removed. Sorting the whole library again on the
/// UI thread after each edit took 23-42 ms at 100,000 clippings (and 5 ms more to make the list
/// of ids). Whether the order stands is found by halving, reading a few clippings' keys: going
/// through the whole order reads each of 100,000 ids where it lies in memory (4-30 ms in the
/// app, against 1.4 in fresh memory). `None` when a clipping on the way is not in the library
/// (the order was not the library's): then sort it whole.
pub(super) fn follow_changes(
    lib: &crate::library::Library,
    order: &IdList,
    changed: &[&str],
    sort: SortKey,
) -> Option<Followed> {
    if changed.iter().all(|id| stands(lib, order, id, sort)) {
        return Some(Followed::Stands);
    }
    let changed: std::collections::HashSet<&str> = changed.iter().copied().collect();
    let kept: Vec<&Arc<str>> = order
        .iter()
        .filter(|id| !changed.contains(&***id))
        .collect();
    let mut moved: Vec<&Clipping> = changed.iter().filter_map(|id| lib.get(id)).collect();
    moved.sort_by_cached_key(|c| order_key(c, sort));
    let mut out = Vec::with_capacity(kept.len() + moved.len());
    let mut from = 0;
    for c in moved {
        let key = order_key(c, sort);
        let mut lost = false;
        let at = from
            + kept[from..].partition_point(|id| match key_of(lib, id, sort) {
                Some(k) => k < key,
                None => {
                    lost = true;
                    false
                }
            });
        if lost {
            return None;
        }
        out.extend(kept[from..at].iter().map(|id| Arc::clone(id)));
        out.push(Arc::from(c.id.as_str()));
        from = at;
    }
    out.extend(kept[from..].iter().map(|id| Arc::clone(id)));
    Some(Followed::Moved(out))
}

/// Whether the changed clipping `id` is in the library, where its key puts it in `order` and
/// in order with its neighbours (which holds for every pair of neighbours once it holds beside
/// each changed clipping, the others' keys not having changed): a clipping whose key changed
/// is not in order just because the halving met it.
fn stands(lib: &crate::library::Library, order: &IdList, id: &str, sort: SortKey) -> bool {
    let Some(key) = key_of(lib, id, sort) else {
        return false;
    };
    let key_at = |i: usize| order.get(i).and_then(|m| key_of(lib, m, sort));
    let (mut low, mut high) = (0, order.len());
    while low < high {
        let mid = low + (high - low) / 2;
        let Some(there) = key_at(mid) else {
            return false;
        };
        match there.cmp(&key) {
            std::cmp::Ordering::Less => low = mid + 1,
            std::cmp::Ordering::Greater => high = mid,
            std::cmp::Ordering::Equal => {
                let before = mid == 0 || key_at(mid - 1).is_some_and(|k| k < key);
                let after = mid + 1 >= order.len() || key_at(mid + 1).is_some_and(|k| key < k);
                return before && after && order.get(mid).is_some_and(|m| **m == *id);
            }
        }
    }
    false
}

/// Every clipping's id in the list's order with no search or filter: computed with the
/// library on the thread that opened it, so the first frame with the library open does not
/// sort it.
pub(super) fn library_order(lib: &crate::library::Library, sort: SortKey) -> Vec<Arc<str>> {
    let mut all: Vec<&Clipping> = lib.clippings().collect();
    sort_clippings(&mut all, sort);
    all.into_iter().map(|c| Arc::from(c.id.as_str())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the reader marks for a query typed in the box: the words it must find, whole;
    /// prefixes; a phrase as one run, even where one of its words is asked for alone too; a
    /// `*` inside a phrase is no prefix; negated words are not marked.
    #[test]
    fn the_reader_marks_what_each_query_asks_for() {
        let text =
            "Lindqvist said a truce along the border held; the bord was shut. Talks went on.";
        let marks = |query: &str| {
            let q = crate::query::parse(query).expect("query");
            let marked: Vec<String> =
                crate::ui::reader_text::find_matches(text, &positive_words(&q).join(" "))
                    .into_iter()
                    .map(|(s, e)| text.chars().skip(s).take(e - s).collect())
                    .collect();
            marked
        };
        assert_eq!(marks("lindq* talks"), ["Lindqvist", "Talks"]);
        assert_eq!(marks("along \"along the border\""), ["along the border"]);
        assert_eq!(marks("\"the bord*\""), ["the bord"]);
        assert_eq!(marks("truce -border"), ["truce"]);
        assert_eq!(marks("truce OR held"), ["truce", "held"]);
    }

    #[test]
    fn the_list_orders_by_import_then_file_name_and_by_date_newest_first_undated_last() {
        use crate::library::{Library, OpenMode, edit};
        use crate::model::ClipId;
        let tmp = tempfile::tempdir().expect("tmp");
        let mut lib = Library::open(tmp.path(), OpenMode::ReadWrite).expect("open");
        let mut ids = Vec::new();
        for (name, body) in [
            ("c.txt", "Ferries return\n\nThe ferries sail again."),
            ("a.txt", "Bridge reopens\n\nThe bridge is open again."),
            ("b.txt", "Tunnel closes\n\nThe tunnel shuts for a year."),
        ] {
            lib.import_text(name, body).expect("import");
            ids.push(crate::library::clipping_id(body));
        }
        for (id, date) in [(&ids[0], "2015-11"), (&ids[1], "2019-02-03")] {
            let changed = edit::set_field(&mut lib, &ClipId(id.clone()), Field::Published, date)
                .expect("date");
            assert!(!changed.is_empty());
        }
        let order = |sort| {
            let mut all: Vec<&Clipping> = lib.clippings().collect();
            sort_clippings(&mut all, sort);
            all.iter()
                .map(|c| c.source_name.clone())
                .collect::<Vec<_>>()
        };
        // Newest import first, and within one import time by file name.
        let mut all: Vec<&Clipping> = lib.clippings().collect();
        sort_clippings(&mut all, SortKey::Imported);
        for pair in all.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            assert!(
                a.imported > b.imported
                    || a.imported == b.imported && a.source_name < b.source_name,
                "{} ({}) before {} ({})",
                a.source_name,
                a.imported,
                b.source_name,
                b.imported
            );
        }
        assert_eq!(order(SortKey::Published), ["a.txt", "c.txt", "b.txt"]);
    }

    /// Whether `order` stands after the clippings `changed` changed.
    fn order_stands(
        lib: &crate::library::Library,
        order: &IdList,
        changed: &[&str],
        sort: SortKey,
    ) -> bool {
        changed.iter().all(|id| stands(lib, order, id, sort))
    }

    #[test]
    fn the_order_follows_edits_additions_and_removals_as_a_whole_sort_would() {
        use crate::library::{Library, OpenMode, edit};
        use crate::model::ClipId;
        let tmp = tempfile::tempdir().expect("tmp");
        let mut lib = Library::open(tmp.path(), OpenMode::ReadWrite).expect("open");
        let set = |lib: &mut Library, id: &ClipId, field: Field, value: &str| {
            let changed = edit::set_field(lib, id, field, value).expect("edit");
            assert!(!changed.is_empty(), "{value}");
        };
        let mut ids = Vec::new();
        for i in 0..12 {
            let body = format!("Harbour story {i}\n\nThe harbour at Quillby, part {i}.");
            lib.import_text(&format!("{:02}.txt", (i * 7) % 12), &body)
                .expect("import");
            ids.push(ClipId(crate::library::clipping_id(&body)));
        }
        for (i, id) in ids.iter().enumerate().take(8) {
            let date = format!("2015-{:02}-{:02}", 1 + i % 3, 1 + i);
            set(&mut lib, id, Field::Published, &date);
        }
        let before = lib.revision();
        let orders: Vec<(SortKey, IdList)> = SortKey::ALL
            .iter()
            .map(|&sort| (sort, IdList::new(library_order(&lib, sort))))
            .collect();
        // A headline and a date changed, one clipping trashed, two imported, one edited twice.
        set(
            &mut lib,
            &ids[3],
            Field::Headline,
            "Aardvarks at the harbour",
        );
        set(&mut lib, &ids[5], Field::Published, "2020-06-01");
        set(&mut lib, &ids[9], Field::Published, "2014-01-01");
        set(&mut lib, &ids[5], Field::Headline, "Zebras");
        edit::trash(&mut lib, &ids[0]).expect("trash");
        lib.import_text("m.txt", "Ferries return\n\nThe ferries sail again.")
            .expect("import");
        lib.import_text("a.txt", "Bridge reopens\n\nThe bridge is open again.")
            .expect("import");
        // Tags and notes move nothing: the order stands.
        let untouched = lib.revision();
        lib.update(&ids[4].0, |c| c.tags = vec!["harbours".into()])
            .expect("tag");
        lib.update(&ids[6].0, |c| c.notes = "Ask the harbour master".into())
            .expect("notes");
        let tagged = lib.changed_since(untouched).expect("the tagging");
        let current: Vec<(SortKey, IdList)> = SortKey::ALL
            .iter()
            .map(|&sort| (sort, IdList::new(library_order(&lib, sort))))
            .collect();
        for (sort, order) in &current {
            assert!(order_stands(&lib, order, &tagged, *sort), "{sort:?}");
        }
        // A headline changed so that the halving meets the clipping where it was: it is out of
        // order with its neighbours all the same.
        let headlines = IdList::new(library_order(&lib, SortKey::Headline));
        let middle = headlines.len() / 2;
        let moved = headlines.get(middle).expect("middle").to_string();
        let untouched = lib.revision();
        lib.update(&moved, |c| {
            c.overrides
                .fields
                .insert(Field::Headline, "zzz last of all".into());
        })
        .expect("headline");
        let retitled = lib.changed_since(untouched).expect("the retitling");
        assert!(!order_stands(
            &lib,
            &headlines,
            &retitled,
            SortKey::Headline
        ));
        let followed = follow_changes(&lib, &headlines, &retitled, SortKey::Headline);
        assert_eq!(
            followed,
            Some(Followed::Moved(library_order(&lib, SortKey::Headline)))
        );
        let changed = lib.changed_since(before).expect("the changes");
        for (sort, order) in &orders {
            assert!(!order_stands(&lib, order, &changed, *sort), "{sort:?}");
            let Some(Followed::Moved(followed)) = follow_changes(&lib, order, &changed, *sort)
            else {
                panic!("{sort:?}: not followed");
            };
            let whole = library_order(&lib, *sort);
            assert_eq!(followed, whole, "{sort:?}");
            assert_ne!(
                order.to_vec(),
                whole,
                "{sort:?}: the changes move something"
            );
        }
        // An order that is not the library's is sorted whole instead.
        let stranger: Vec<Arc<str>> = (0..20).map(|i| Arc::from(format!("{i:016x}"))).collect();
        let stranger = IdList::new(stranger);
        assert_eq!(
            follow_changes(&lib, &stranger, &changed, SortKey::Imported),
            None
        );
    }
}
