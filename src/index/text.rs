//! The full text of the index in tantivy: one document per clipping keyed by its SQLite rowid, the query language's text terms as tantivy queries, every hit scored by BM25.
//!
//! SQLite keeps the stamps and short fields; this folder (beside the SQLite file) keeps the
//! text, notes, quotes, comments and the short text fields tokenized: words are runs of
//! letters and digits, lower-cased and folded to ASCII (`Café` is `cafe`). Nothing is stored
//! but the rowid (a fast field); snippets are made from the clipping's own files.
//!
//! Writes go through a writer taken for one batch and given back after its commit, so the
//! app's index worker, an import and a command can take turns on the same folder.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::directory::MmapDirectory;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
    TokenStream as _,
};
use tantivy::{
    DocId, IndexReader, IndexWriter, ReloadPolicy, Score, SegmentReader, TantivyDocument,
};

use crate::query::{Pattern, TextField};

/// Whether a full-text error means the index's files are damaged (cut short, garbled, of
/// another format, or replaced by another index's), as opposed to a file that could not be
/// opened (permissions, too many open files, a segment another process's merge just
/// removed), a lock, a thread or an argument, which building again would not mend.
pub fn is_damage(e: &tantivy::TantivyError) -> bool {
    use tantivy::TantivyError as E;
    use tantivy::directory::error::OpenReadError;
    let garbled = |io: &std::io::Error| {
        matches!(
            io.kind(),
            std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::InvalidData
        )
    };
    match e {
        E::DataCorruption(_)
        | E::IncompatibleIndex(_)
        | E::DeserializeError(_)
        | E::OpenReadError(OpenReadError::IncompatibleIndex(_)) => true,
        E::IoError(io) => garbled(io),
        E::OpenReadError(OpenReadError::IoError { io_error, .. }) => garbled(io_error),
        _ => false,
    }
}

/// The tokenizer's name in the index.
const TOKENIZER: &str = "clip";

/// The text columns, in the order of [`Columns::of`] and [`WEIGHTS`].
pub const COLUMNS: [&str; 12] = [
    "headline",
    "deck",
    "text",
    "notes",
    "quotes",
    "comments",
    "tags",
    "persons",
    "orgs",
    "publication",
    "section",
    "dateline",
];

/// How much a match in each column weighs, in [`COLUMNS`] order: the headline most.
pub const WEIGHTS: [f32; 12] = [10.0, 5.0, 1.0, 3.0, 3.0, 3.0, 5.0, 4.0, 4.0, 4.0, 2.0, 2.0];

/// How many words a prefix (`lindq*`) may stand for.
const PREFIX_EXPANSIONS: u32 = 100_000;

/// The writer's memory, shared by its threads: above it, a segment is written out.
const WRITER_MEMORY: usize = 64 << 20;

/// How long a write waits for another writer (another process or thread) to finish.
const LOCK_WAIT: Duration = Duration::from_secs(30);

/// The words of a text as the index has them: lower-cased, folded, each with its byte range.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(100))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// The words of `s` as the index has them.
pub fn words(s: &str) -> Vec<String> {
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(s);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// The words of `s` with the byte range of each in `s`.
pub fn words_at(s: &str) -> Vec<(String, usize, usize)> {
    let mut analyzer = analyzer();
    let mut stream = analyzer.token_stream(s);
    let mut out = Vec::new();
    while stream.advance() {
        let t = stream.token();
        out.push((t.text.clone(), t.offset_from, t.offset_to));
    }
    out
}

/// What one clipping gives the full text: each column's text, in [`COLUMNS`] order.
pub struct Columns<'a>(pub [&'a str; 12]);

/// The tantivy side of the index.
pub struct TextIndex {
    index: tantivy::Index,
    reader: IndexReader,
    /// The folder and the token its commits carry (none in memory).
    dir: Option<(PathBuf, String)>,
    /// The stat of the commit file when the reader last loaded it.
    seen: std::sync::Mutex<Option<(u64, u64, i64, i64)>>,
    fields: Fields,
}

impl std::fmt::Debug for TextIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextIndex").finish_non_exhaustive()
    }
}

/// The folder of the full text beside an index's SQLite file.
pub fn folder_of(sqlite: &Path) -> PathBuf {
    sqlite.with_extension("text")
}

/// The index's fields.
#[derive(Debug, Clone, Copy)]
struct Fields {
    rowid: Field,
    /// In [`COLUMNS`] order.
    columns: [Field; 12],
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let rowid = builder.add_i64_field("rowid", INDEXED | FAST);
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let columns = COLUMNS.map(|name| builder.add_text_field(name, options.clone()));
    (builder.build(), Fields { rowid, columns })
}

impl TextIndex {
    fn from(mut index: tantivy::Index, dir: Option<(&Path, &str)>) -> tantivy::Result<TextIndex> {
        index.tokenizers().register(TOKENIZER, analyzer());
        // The segments are searched side by side: a phrase over 100,000 clippings took
        // 100 ms on one core.
        index.set_multithread_executor(threads())?;
        let (schema, fields) = schema();
        if index.schema() != schema {
            return Err(tantivy::TantivyError::SchemaError(
                "not the schema of this version".to_string(),
            ));
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(TextIndex {
            index,
            reader,
            dir: dir.map(|(d, token)| (d.to_path_buf(), token.to_string())),
            seen: std::sync::Mutex::new(None),
            fields,
        })
    }

    /// A new, empty full text in `dir` (made; anything there before is removed), its commits
    /// marked with `token` (the SQLite file's, so that the two are known to belong together).
    pub fn create(dir: &Path, token: &str) -> tantivy::Result<TextIndex> {
        if dir.exists() {
            std::fs::remove_dir_all(dir)?;
        }
        std::fs::create_dir_all(dir)?;
        let (schema, ..) = schema();
        let index = tantivy::Index::create_in_dir(dir, schema)?;
        let text = TextIndex::from(index, Some((dir, token)))?;
        text.write(token, |_| Ok(()))?;
        Ok(text)
    }

    /// The full text in `dir` when it is there, of this version, and marked with `token`.
    pub fn open(dir: &Path, token: &str) -> Option<TextIndex> {
        let directory = MmapDirectory::open(dir).ok()?;
        let index = tantivy::Index::open(directory).ok()?;
        let metas = index.load_metas().ok()?;
        if metas.payload.as_deref() != Some(token) {
            return None;
        }
        TextIndex::from(index, Some((dir, token))).ok()
    }

    /// A full text in memory.
    pub fn in_memory() -> tantivy::Result<TextIndex> {
        let (schema, ..) = schema();
        TextIndex::from(tantivy::Index::create_in_ram(schema), None)
    }

    /// Run `f` with a batch, then commit it (see [`TextIndex::commit`]).
    pub fn write(
        &self,
        token: &str,
        f: impl FnOnce(&mut Batch) -> tantivy::Result<()>,
    ) -> tantivy::Result<()> {
        let mut batch = self.batch()?;
        f(&mut batch)?;
        self.commit(batch, token)
    }

    /// A batch of writes: takes the folder's writer, waiting for another writer (another
    /// process or thread) up to [`LOCK_WAIT`]. Dropped without [`TextIndex::commit`], its
    /// writes are lost.
    pub fn batch(&self) -> tantivy::Result<Batch> {
        self.batch_on(threads())
    }

    /// [`TextIndex::batch`] with one indexing thread, for an import: its own threads already
    /// keep every core busy, and a second indexing thread only made two segments of each
    /// batch to merge (30,000 articles: 6.7-7.5 s with two, 5.4-5.8 s with one).
    pub fn batch_for_import(&self) -> tantivy::Result<Batch> {
        self.batch_on(1)
    }

    fn batch_on(&self, threads: usize) -> tantivy::Result<Batch> {
        let started = Instant::now();
        let writer: IndexWriter<TantivyDocument> = loop {
            match self.index.writer_with_num_threads(threads, WRITER_MEMORY) {
                Ok(w) => break w,
                Err(tantivy::TantivyError::LockFailure(..)) if started.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => return Err(e),
            }
        };
        writer.set_merge_policy(Box::new(Balanced::default()));
        Ok(Batch {
            writer,
            fields: self.fields,
        })
    }

    /// Commit a batch, marked with `token`, and wait for the merges it started (then the
    /// writer is given back); this index's reader sees the commit after.
    pub fn commit(&self, batch: Batch, token: &str) -> tantivy::Result<()> {
        let mut writer = batch.writer;
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(token);
        prepared.commit()?;
        writer.wait_merging_threads()?;
        self.reader.reload()
    }

    /// See the commits of other writers (another process, another index of this library):
    /// read the folder again when its commit file was replaced since the last look (a
    /// reload costs 10-15 ms at 100,000 clippings; the look is one `stat`).
    pub fn reload_if_changed(&self) -> tantivy::Result<()> {
        let Some((dir, token)) = &self.dir else {
            return Ok(());
        };
        let stamp = std::fs::metadata(dir.join("meta.json")).ok().map(|m| {
            use std::os::unix::fs::MetadataExt;
            (m.ino(), m.len(), m.mtime(), m.mtime_nsec())
        });
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if stamp.is_none() || *seen != stamp {
            // Still this index's full text: another process that found the index damaged
            // makes both files anew, and this one's SQLite file is then the one it removed.
            if self.index.load_metas()?.payload.as_deref() != Some(token.as_str()) {
                return Err(tantivy::TantivyError::DataCorruption(
                    tantivy::error::DataCorruption::comment_only(format!(
                        "the full text in {} now belongs to another index file",
                        dir.display()
                    )),
                ));
            }
            self.reader.reload()?;
            *seen = stamp;
        }
        Ok(())
    }

    /// The query of a full-text term (`field` `None`: every column, each weighted), or
    /// `None` for one with no word in it.
    pub fn term_query(
        &self,
        field: Option<TextField>,
        pattern: &Pattern,
    ) -> Option<Box<dyn Query>> {
        let (s, prefix) = match pattern {
            Pattern::Word(w) | Pattern::Phrase(w) => (w, false),
            Pattern::Prefix(p) => (p, true),
        };
        let tokens = words(s);
        if tokens.is_empty() {
            return None;
        }
        let column_query = |c: usize| -> Box<dyn Query> {
            let field = self.fields.columns[c];
            let terms: Vec<tantivy::Term> = tokens
                .iter()
                .map(|t| tantivy::Term::from_field_text(field, t))
                .collect();
            let q: Box<dyn Query> = if prefix {
                let mut q = PhrasePrefixQuery::new(terms);
                q.set_max_expansions(PREFIX_EXPANSIONS);
                Box::new(q)
            } else if terms.len() == 1 {
                Box::new(TermQuery::new(
                    terms[0].clone(),
                    IndexRecordOption::WithFreqs,
                ))
            } else {
                Box::new(PhraseQuery::new(terms))
            };
            Box::new(BoostQuery::new(q, WEIGHTS[c]))
        };
        Some(match field {
            Some(f) => column_query(column_of(f)),
            None => Box::new(BooleanQuery::new(
                (0..COLUMNS.len())
                    .map(|c| (Occur::Should, column_query(c)))
                    .collect(),
            )),
        })
    }

    /// Every clipping matching `must` (each must match) and none of `must_not`, with its
    /// score: `(rowid, score)`, in no order. With no `must`, every clipping is scored 0.
    pub fn scored(
        &self,
        must: Vec<Box<dyn Query>>,
        must_not: Vec<Box<dyn Query>>,
    ) -> tantivy::Result<Vec<(i64, Score)>> {
        let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if must.is_empty() {
            parts.push((Occur::Must, Box::new(AllQuery)));
        }
        parts.extend(must.into_iter().map(|q| (Occur::Must, q)));
        parts.extend(must_not.into_iter().map(|q| (Occur::MustNot, q)));
        let query = BooleanQuery::new(parts);
        let searcher = self.reader.searcher();
        searcher.search(&query, &Every { scoring: true })
    }

    /// The rowids of every clipping matching `query`, unscored.
    pub fn matching(&self, query: &dyn Query) -> tantivy::Result<Vec<i64>> {
        let searcher = self.reader.searcher();
        let hits = searcher.search(query, &Every { scoring: false })?;
        Ok(hits.into_iter().map(|(r, _)| r).collect())
    }
}

/// Tantivy's merges (its log policy picks segments of like size), with no merged segment
/// over a quarter of the clippings: a search runs its segments side by side, so a phrase
/// matching every one of 100,000 clippings waited for the one segment that held most of
/// them (65% of the documents). Small segments are still merged, so their number stays low.
#[derive(Debug, Default)]
struct Balanced {
    log: tantivy::indexer::LogMergePolicy,
}

/// The least a merged segment may hold: below it, a split buys nothing.
const MIN_MERGED_DOCS: u64 = 5_000;

impl tantivy::indexer::MergePolicy for Balanced {
    fn compute_merge_candidates(
        &self,
        segments: &[tantivy::index::SegmentMeta],
    ) -> Vec<tantivy::indexer::MergeCandidate> {
        let total: u64 = segments.iter().map(|s| u64::from(s.num_docs())).sum();
        let docs: std::collections::HashMap<tantivy::index::SegmentId, u64> = segments
            .iter()
            .map(|s| (s.id(), u64::from(s.num_docs())))
            .collect();
        let cap = (total / 4).max(MIN_MERGED_DOCS);
        self.log
            .compute_merge_candidates(segments)
            .into_iter()
            .flat_map(|candidate| {
                let sizes: Vec<(tantivy::index::SegmentId, u64)> = candidate
                    .0
                    .iter()
                    .map(|id| (*id, docs.get(id).copied().unwrap_or(0)))
                    .collect();
                pack(sizes, cap)
            })
            .map(tantivy::indexer::MergeCandidate)
            .collect()
    }
}

/// Segments (with their sizes) packed into merges of at most `cap` documents, the largest
/// first into the first merge it fits; a merge of one segment is no merge and is left out.
fn pack<T>(mut sizes: Vec<(T, u64)>, cap: u64) -> Vec<Vec<T>> {
    sizes.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let mut merges: Vec<(u64, Vec<T>)> = Vec::new();
    for (segment, n) in sizes {
        match merges.iter_mut().find(|(sum, _)| sum + n <= cap) {
            Some((sum, members)) => {
                *sum += n;
                members.push(segment);
            }
            None => merges.push((n, vec![segment])),
        }
    }
    merges
        .into_iter()
        .filter(|(_, members)| members.len() > 1)
        .map(|(_, members)| members)
        .collect()
}

/// The threads of a search or a write: two at most (the UI needs the rest).
fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 2)
}

fn column_of(field: TextField) -> usize {
    let name = match field {
        TextField::Headline => "headline",
        TextField::Text => "text",
        TextField::Note => "notes",
        TextField::Comment => "comments",
        TextField::Person => "persons",
        TextField::Org => "orgs",
        TextField::Publication => "publication",
        TextField::Section => "section",
        TextField::Dateline => "dateline",
    };
    COLUMNS.iter().position(|c| *c == name).unwrap_or(2)
}

/// One write batch: documents replaced or removed by rowid.
pub struct Batch {
    writer: IndexWriter<TantivyDocument>,
    fields: Fields,
}

impl Batch {
    /// Remove the document of `rowid` (none there: nothing happens).
    pub fn delete(&mut self, rowid: i64) {
        self.writer
            .delete_term(tantivy::Term::from_field_i64(self.fields.rowid, rowid));
    }

    /// Put the document of `rowid` (any before it removed).
    pub fn put(&mut self, rowid: i64, columns: &Columns) -> tantivy::Result<()> {
        self.delete(rowid);
        let mut doc = TantivyDocument::default();
        doc.add_i64(self.fields.rowid, rowid);
        for (field, text) in self.fields.columns.iter().zip(columns.0.iter()) {
            if !text.is_empty() {
                doc.add_text(*field, text);
            }
        }
        self.writer.add_document(doc)?;
        Ok(())
    }

    /// Remove every document.
    pub fn clear(&mut self) -> tantivy::Result<()> {
        self.writer.delete_all_documents()?;
        Ok(())
    }
}

/// A collector of every hit: `(rowid, score)`.
struct Every {
    scoring: bool,
}

struct EverySegment {
    rowids: Column<i64>,
    hits: Vec<(i64, Score)>,
}

impl Collector for Every {
    type Fruit = Vec<(i64, Score)>;
    type Child = EverySegment;

    fn for_segment(&self, _: u32, segment: &SegmentReader) -> tantivy::Result<EverySegment> {
        Ok(EverySegment {
            rowids: segment.fast_fields().i64("rowid")?,
            // Room for every document: a search matching all of them grew the list 17 times.
            hits: Vec::with_capacity(segment.num_docs() as usize),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(i64, Score)>>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.concat())
    }
}

impl SegmentCollector for EverySegment {
    type Fruit = Vec<(i64, Score)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(rowid) = self.rowids.first(doc) {
            self.hits.push((rowid, score));
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.hits
    }
}

#[cfg(test)]
mod tests {
    use super::pack;

    #[test]
    fn merges_are_packed_under_the_cap_and_a_lone_segment_is_not_merged() {
        let merges = pack(
            vec![("a", 30), ("b", 10), ("c", 25), ("d", 5), ("e", 50)],
            60,
        );
        // Largest first: e (50) then a (30) open merges; c (25) fits only beside a, b (10)
        // fills e's to the cap, d (5) goes with a and c.
        assert_eq!(merges, vec![vec!["e", "b"], vec!["a", "c", "d"]]);
        for merge in &merges {
            assert!(merge.len() > 1);
        }
        assert!(pack(vec![("big", 100), ("other", 90)], 60).is_empty());
        assert_eq!(
            pack(vec![("x", 1), ("y", 1), ("z", 1)], 60),
            vec![vec!["x", "y", "z"]]
        );
    }
}
