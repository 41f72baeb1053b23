//! The search worker: a thread owning the library's SQLite index ([`crate::index::Index`]),
//! so the UI thread never waits on SQLite. It opens and refreshes the index (a first build
//! reports its progress), refreshes it again when the app says the library changed, and
//! answers queries: the latest one wins, older answers are dropped.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::sync::{Arc, Condvar, Mutex};

use crate::index::{Index, IndexError};

/// What the UI asks of the worker.
enum Request {
    /// The library changed: bring the index up to date.
    Refresh,
    Search {
        generation: u64,
        query: crate::query::Query,
        /// How many first rows get their snippets with the answer.
        first_snippets: usize,
        /// Taken when the query is sent: the background builds make way for the search from
        /// then, not only once the worker runs (which could wait for a core they held).
        foreground: crate::background::Foreground,
    },
    /// The snippets of these hits of the answer to query `generation` (rows drawn without one).
    Snippets { generation: u64, ids: Vec<String> },
}

/// What the worker tells the UI.
enum Reply {
    /// Records indexed so far, of how many (the first build).
    Progress {
        done: usize,
        total: usize,
    },
    /// The index is up to date and answers queries.
    Ready,
    /// The index could not be used; the text says why. `fatal`: no search at all.
    Failed {
        error: String,
        fatal: bool,
    },
    Answer {
        generation: u64,
        answer: Answer,
    },
    /// Snippets of hits of the answer to query `generation`, by id (after each answer, those of
    /// its first rows; then those asked for).
    Snippets {
        generation: u64,
        snippets: Vec<(String, String)>,
    },
}

/// How many of an answer's first rows get their snippets with it when the list has not said
/// how many it shows (more than a window shows; the rows further down are asked for when
/// drawn).
pub const FIRST_SNIPPETS: usize = 40;

/// The hits of one query, best first, with their snippets (matching words between `**`) as
/// they arrive.
#[derive(Debug, Default)]
pub struct Answer {
    pub ids: crate::ids::IdList,
    pub snippets: HashMap<String, String>,
    /// The query has full-text words: its rows get snippets.
    pub text: bool,
}

/// Where the index stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexStatus {
    /// Opening or building: records indexed so far, of how many (None until known).
    Indexing(Option<(usize, usize)>),
    Ready,
    /// No search possible: why.
    Unavailable(String),
}

/// A test's hold on the worker: it waits before its first build until released.
#[doc(hidden)]
#[derive(Debug, Clone, Default)]
pub struct Gate(Arc<(Mutex<bool>, Condvar)>);

impl Gate {
    /// A closed gate.
    pub fn closed() -> Gate {
        Gate(Arc::new((Mutex::new(true), Condvar::new())))
    }

    pub fn release(&self) {
        let (held, wake) = &*self.0;
        if let Ok(mut held) = held.lock() {
            *held = false;
        }
        wake.notify_all();
    }

    fn wait(&self) {
        let (held, wake) = &*self.0;
        let Ok(mut guard) = held.lock() else { return };
        while *guard {
            match wake.wait(guard) {
                Ok(g) => guard = g,
                Err(_) => return,
            }
        }
    }
}

/// The UI's end of the worker.
pub struct IndexWorker {
    tx: Sender<Request>,
    rx: Receiver<Reply>,
    pub status: IndexStatus,
    /// The generation of the last query sent, and of the answer kept.
    asked: u64,
    answered: u64,
    answer: Option<Answer>,
    /// Snippet replies still to come for the answer kept, and the ids asked for.
    snippets_due: usize,
    snippets_asked: std::collections::HashSet<String>,
}

impl std::fmt::Debug for IndexWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexWorker")
            .field("status", &self.status)
            .field("asked", &self.asked)
            .field("answered", &self.answered)
            .finish()
    }
}

impl IndexWorker {
    /// Start the worker over the library at `root`, its index in `cache` (the platform's
    /// cache folder when None). `wake` asks for a frame when something arrives.
    pub fn start(
        root: PathBuf,
        cache: Option<PathBuf>,
        gate: Option<Gate>,
        wake: impl Fn() + Send + 'static,
    ) -> std::io::Result<IndexWorker> {
        let (tx, requests) = channel();
        let (replies, rx) = channel();
        std::thread::Builder::new()
            .name("clipfile-search".into())
            .spawn(move || {
                if let Some(gate) = gate {
                    gate.wait();
                }
                run(root, cache, requests, replies, wake)
            })?;
        Ok(IndexWorker {
            tx,
            rx,
            status: IndexStatus::Indexing(None),
            asked: 0,
            answered: 0,
            answer: None,
            snippets_due: 0,
            snippets_asked: std::collections::HashSet::new(),
        })
    }

    /// The library changed: the worker refreshes the index (incrementally).
    pub fn refresh(&mut self) {
        let _ = self.tx.send(Request::Refresh);
    }

    /// Ask for the hits of `query`; the answer replaces the kept one when it comes, with the
    /// snippets of its first `rows_in_view` rows ([`FIRST_SNIPPETS`] when None).
    pub fn search(&mut self, query: crate::query::Query, rows_in_view: Option<usize>) {
        self.asked += 1;
        let _ = self.tx.send(Request::Search {
            generation: self.asked,
            query,
            first_snippets: rows_in_view.unwrap_or(FIRST_SNIPPETS),
            foreground: crate::background::foreground(),
        });
        // The rest of this frame can wait for the search the reader waits for: the worker,
        // woken on this core, ran only once the frame was drawn (1.4-2.1 ms later, `perf
        // sched` traces of the scale bench on a 2-core VM whose other core was idle).
        std::thread::yield_now();
    }

    /// Ask for the snippets of these hits of the answer kept that have none yet and were not
    /// asked for (rows drawn while their snippet is still to come).
    pub fn want_snippets(&mut self, ids: Vec<String>) {
        let Some(answer) = &self.answer else { return };
        if !answer.text {
            return;
        }
        let ids: Vec<String> = ids
            .into_iter()
            .filter(|id| !answer.snippets.contains_key(id) && !self.snippets_asked.contains(id))
            .collect();
        if ids.is_empty() {
            return;
        }
        self.snippets_asked.extend(ids.iter().cloned());
        self.snippets_due += 1;
        let _ = self.tx.send(Request::Snippets {
            generation: self.answered,
            ids,
        });
    }

    /// Whether a drawn row's snippet is still to be asked for.
    pub fn lacks_snippet(&self, id: &str) -> bool {
        self.answer
            .as_ref()
            .is_some_and(|a| a.text && !a.snippets.contains_key(id))
            && !self.snippets_asked.contains(id)
    }

    /// True when no snippet asked for (or due after the answer) is still to come.
    pub fn snippets_settled(&self) -> bool {
        self.snippets_due == 0
    }

    /// The latest answer kept (possibly of an earlier query while a later one runs).
    pub fn answer(&self) -> Option<&Answer> {
        self.answer.as_ref()
    }

    /// True when the answer kept is the one to the last query sent.
    pub fn settled(&self) -> bool {
        self.answered == self.asked
    }

    /// Take in what the worker sent. Returns the errors to tell the reader and whether the
    /// list must be computed again.
    pub fn poll(&mut self) -> (Vec<String>, bool) {
        let mut errors = Vec::new();
        let mut changed = false;
        loop {
            match self.rx.try_recv() {
                Ok(Reply::Progress { done, total }) => {
                    if self.status != IndexStatus::Ready {
                        self.status = IndexStatus::Indexing(Some((done, total)));
                        changed = true;
                    }
                }
                Ok(Reply::Ready) => {
                    if self.status != IndexStatus::Ready {
                        changed = true;
                    }
                    self.status = IndexStatus::Ready;
                }
                Ok(Reply::Failed { error, fatal }) => {
                    if fatal {
                        self.status = IndexStatus::Unavailable(error.clone());
                        changed = true;
                    }
                    errors.push(error);
                }
                Ok(Reply::Answer { generation, answer }) => {
                    // An answer to a query since replaced is dropped.
                    if generation == self.asked {
                        self.answered = generation;
                        // The first rows' snippets come with it; the others are asked for as
                        // their rows are drawn.
                        self.snippets_due = 0;
                        self.snippets_asked.clear();
                        let old = self.answer.replace(answer);
                        changed = true;
                        // 100,000 ids and their snippets take a frame to free: not here.
                        if let Some(old) = old.filter(|a| a.ids.len() > 10_000) {
                            let _ = std::thread::Builder::new()
                                .name("clipfile-free-answer".into())
                                .spawn(move || drop(old));
                        }
                    }
                }
                Ok(Reply::Snippets {
                    generation,
                    snippets,
                }) => {
                    if generation == self.answered
                        && let Some(answer) = &mut self.answer
                    {
                        self.snippets_due = self.snippets_due.saturating_sub(1);
                        answer.snippets.extend(snippets);
                        changed = true;
                    }
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    if !matches!(self.status, IndexStatus::Unavailable(_)) {
                        let why = "the search stopped unexpectedly".to_string();
                        self.status = IndexStatus::Unavailable(why.clone());
                        errors.push(why);
                        changed = true;
                    }
                    break;
                }
            }
        }
        (errors, changed)
    }
}

/// Open the index (in memory when the cache folder cannot be used), build it, then answer.
fn run(
    root: PathBuf,
    cache: Option<PathBuf>,
    requests: Receiver<Request>,
    replies: Sender<Reply>,
    wake: impl Fn(),
) {
    let send = |reply: Reply| {
        let _ = replies.send(reply);
        wake();
    };
    let opened = match &cache {
        Some(dir) => Index::open_in(&root, dir),
        None => Index::open(&root),
    };
    let mut index = match opened.or_else(|e| {
        send(Reply::Failed {
            error: format!("{e}; the search index is kept in memory this time"),
            fatal: false,
        });
        Index::in_memory(&root)
    }) {
        Ok(index) => index,
        Err(e) => {
            send(Reply::Failed {
                error: format!("Search is unavailable: {e}"),
                fatal: true,
            });
            return;
        }
    };
    let refresh = |index: &mut Index| -> Result<(), IndexError> {
        let mut last = 0;
        index
            .refresh_with(&mut |done, total| {
                if done == 0 || done == total || done >= last + 2048 {
                    last = done;
                    let _ = replies.send(Reply::Progress { done, total });
                    wake();
                }
            })
            .map(|_| ())
    };
    // An index found damaged after it opened (a search or a refresh meets it) is started
    // again and built whole, here on the worker; meanwhile the list keeps what it shows.
    let mend = |index: &mut Index, e: &IndexError| -> bool {
        send(Reply::Failed {
            error: format!("The search index was damaged ({e}); it is being built again"),
            fatal: false,
        });
        let anew = match &cache {
            Some(dir) => Index::open_anew_in(&root, dir),
            None => Index::open_anew(&root),
        };
        let mended = anew.and_then(|mut fresh| {
            refresh(&mut fresh)?;
            Ok(fresh)
        });
        // Never back to the damaged index: its files are gone, and its full text would read
        // the new folder's.
        let mended = mended.or_else(|e| {
            send(Reply::Failed {
                error: format!(
                    "The search index could not be built again ({e}); it is kept in memory this time"
                ),
                fatal: false,
            });
            Index::in_memory(&root).and_then(|mut memory| {
                refresh(&mut memory)?;
                Ok(memory)
            })
        });
        match mended {
            Ok(fresh) => {
                *index = fresh;
                let _ = index.prepare_ranking();
                true
            }
            Err(e) => {
                send(Reply::Failed {
                    error: format!("Search is unavailable: {e}"),
                    fatal: true,
                });
                false
            }
        }
    };
    let built = match refresh(&mut index) {
        Err(e) if e.is_damage() && mend(&mut index, &e) => Ok(()),
        other => other,
    };
    match built {
        Ok(()) => {
            // Ready means ready to rank: the first search need not read the order (it did,
            // 60-120 ms at 100,000 clippings). A failure here shows again at the search.
            let _ = index.prepare_ranking();
            send(Reply::Ready);
        }
        Err(e) => {
            send(Reply::Failed {
                error: format!("Search is unavailable: {e}"),
                fatal: true,
            });
            return;
        }
    }
    let mut last: Option<Last> = None;
    while let Ok(first) = requests.recv() {
        // Everything queued is taken at once: refreshes collapse, the latest query wins.
        let mut wants_refresh = false;
        let mut search = None;
        let mut snippets: Vec<(u64, Vec<String>)> = Vec::new();
        let mut take = |r: Request| match r {
            Request::Refresh => wants_refresh = true,
            Request::Search {
                generation,
                query,
                first_snippets,
                foreground,
            } => search = Some((generation, query, first_snippets, foreground)),
            Request::Snippets { generation, ids } => snippets.push((generation, ids)),
        };
        take(first);
        while let Ok(r) = requests.try_recv() {
            take(r);
        }
        if wants_refresh
            && let Err(e) = refresh(&mut index)
            && !(e.is_damage() && mend(&mut index, &e))
        {
            send(Reply::Failed {
                error: format!("The search index could not be brought up to date: {e}"),
                fatal: false,
            });
        }
        // A refresh that changed the library changes its order: read again before a query
        // waits for it, unless one is already waiting.
        if wants_refresh && search.is_none() {
            let _ = index.prepare_ranking();
        }
        if let Some((generation, query, first_snippets, mut foreground)) = search {
            // The answer before is let go once this one is sent: freeing 100,000 ids (0.7 ms
            // of a search in `search_probe`'s profile) is then no part of the reader's wait.
            let before = last.take();
            // The background builds wait while the reader waits for this answer: `foreground`
            // was taken when the query was sent, and is held until the answer is.
            let mut searched = index.search_ids_with_snippets(&query, first_snippets);
            if let Err(e) = &searched
                && e.is_damage()
            {
                // Building anew takes long: the background builds need not wait for it.
                drop(foreground);
                let mended = mend(&mut index, e);
                foreground = crate::background::foreground();
                if mended {
                    searched = index.search_ids_with_snippets(&query, first_snippets);
                }
            }
            match searched {
                Ok((ranked, first)) => {
                    // The first rows' snippets go with the answer: the list then shows both in
                    // one frame, instead of the rows and, a frame or two later, their snippets
                    // (each frame of a list of 100,000 hits is time the search does not get).
                    let snippets = first
                        .into_iter()
                        .filter_map(|(p, s)| ranked.ids.get(p).map(|id| (id.to_string(), s)))
                        .collect();
                    let answer = Answer {
                        ids: ranked.ids.clone(),
                        snippets,
                        text: ranked.has_text(),
                    };
                    send(Reply::Answer { generation, answer });
                    last = Some(Last { generation, ranked });
                }
                Err(e) => {
                    send(Reply::Failed {
                        error: format!("The search failed: {e}"),
                        fatal: false,
                    });
                    // Answered (with nothing), so the list does not wait for it.
                    send(Reply::Answer {
                        generation,
                        answer: Answer::default(),
                    });
                }
            }
            // The answer is sent: the builds go on.
            drop(foreground);
            drop(before);
        }
        // Snippets asked for rows of the latest answer; those of an older one are not made
        // (the answer they were for is gone), but still replied to, empty.
        for (generation, ids) in snippets {
            let made = match &mut last {
                Some(last) if last.generation == generation => {
                    let at = places_of(&last.ranked.ids, &ids);
                    snippets_at(&index, &last.ranked, &at)
                }
                _ => Vec::new(),
            };
            send(Reply::Snippets {
                generation,
                snippets: made,
            });
        }
    }
}

/// The latest answer, kept for the snippets asked for later.
struct Last {
    generation: u64,
    ranked: crate::index::Ranked,
}

/// The places of these ids among the hits, found by one pass that stops when all are found:
/// the rows asked for are drawn, so mostly near the top. (A map of every hit's place cost
/// 25-30 ms for 100,000 hits, on every new answer.)
fn places_of(hits: &crate::ids::IdList, ids: &[String]) -> Vec<usize> {
    let wanted: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
    let mut at = Vec::with_capacity(wanted.len());
    for (place, id) in hits.iter().enumerate() {
        if wanted.contains(&**id) {
            at.push(place);
            if at.len() == wanted.len() {
                break;
            }
        }
    }
    at
}

/// The snippets of the hits at these places, by id (none when they cannot be made).
fn snippets_at(
    index: &Index,
    ranked: &crate::index::Ranked,
    places: &[usize],
) -> Vec<(String, String)> {
    index
        .snippets_of(ranked, places)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(p, s)| ranked.ids.get(p).map(|id| (id.to_string(), s)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The answer to a text query carries the snippets of the first rows, as many as the list
    /// shows: the list shows both in the same frame, and no reply with them follows it.
    #[test]
    fn an_answer_comes_with_its_first_snippets() {
        let tmp = tempfile::tempdir().expect("tmp");
        let root = tmp.path().join("lib");
        let mut lib = crate::library::Library::open(&root, crate::library::OpenMode::ReadWrite)
            .expect("open");
        for i in 0..3 {
            let body = format!(
                "Harbour works {i}\n\nThe harbour of town {i} will be dredged this winter, the \
                 port authority said."
            );
            lib.import_text(&format!("{i}.txt"), &body).expect("import");
        }
        drop(lib);
        let (tx, requests) = channel();
        let (replies, rx) = channel();
        let cache = tmp.path().join("cache");
        let worker = std::thread::spawn(move || run(root, Some(cache), requests, replies, || {}));
        let query = crate::query::parse("dredged").expect("query");
        tx.send(Request::Search {
            generation: 1,
            query,
            first_snippets: 2,
            foreground: crate::background::foreground(),
        })
        .expect("send");
        let answer = loop {
            match rx.recv_timeout(std::time::Duration::from_secs(60)) {
                Ok(Reply::Answer { answer, .. }) => break answer,
                Ok(Reply::Failed { error, .. }) => panic!("{error}"),
                Ok(_) => {}
                Err(e) => panic!("no answer: {e}"),
            }
        };
        assert_eq!(answer.ids.len(), 3);
        // The rows the list shows: the first two.
        assert_eq!(answer.snippets.len(), 2, "{:?}", answer.snippets);
        assert!(
            answer
                .ids
                .range(0..2)
                .all(|id| answer.snippets.contains_key(&**id))
        );
        assert!(answer.snippets.values().all(|s| s.contains("dredged")));
        drop(tx);
        worker.join().expect("the worker ends with its requests");
        assert!(
            !rx.try_iter().any(|r| matches!(r, Reply::Snippets { .. })),
            "snippets nobody asked for"
        );
    }

    #[test]
    fn places_are_found_in_the_hits_order_and_unknown_ids_are_left_out() {
        let hits = crate::ids::IdList::new(["c", "a", "d", "b"].map(std::sync::Arc::from).to_vec());
        let asked: Vec<String> = ["b", "x", "c"].map(String::from).to_vec();
        assert_eq!(places_of(&hits, &asked), vec![0, 3]);
        assert!(places_of(&hits, &[]).is_empty());
    }
}
