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
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token,
    TokenStream, Tokenizer,
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

/// The tokenizer's name in the index (see [`indexed_analyzer`]).
const TOKENIZER: &str = "clip-grams";

/// Whether `word` is so frequent that a phrase holding it reads its positions in almost every
/// clipping (Lucene's 33 English stop words). After each of these words, the pair of it and
/// the word that follows is indexed as one term too ("common grams", as Lucene's
/// `CommonGramsFilter`, one way): `"ceasefire along the border"` is matched as `ceasefire`,
/// `along`, `the border`, whose positions are a few per clipping, instead of through the
/// positions of every `the`. A `match` (called for every word indexed): a binary search over
/// the list took a sixth of a cold build.
fn is_common(word: &str) -> bool {
    word.len() <= 5
        && matches!(
            word,
            "a" | "an"
                | "and"
                | "are"
                | "as"
                | "at"
                | "be"
                | "but"
                | "by"
                | "for"
                | "if"
                | "in"
                | "into"
                | "is"
                | "it"
                | "no"
                | "not"
                | "of"
                | "on"
                | "or"
                | "such"
                | "that"
                | "the"
                | "their"
                | "then"
                | "there"
                | "these"
                | "they"
                | "this"
                | "to"
                | "was"
                | "will"
                | "with"
        )
}

/// Write into `to` the term of two neighbouring words (no word holds a space): the one
/// spelling of a gram, for the index ([`Grams`]) and for the query ([`phrase_terms`]).
fn write_gram(to: &mut String, first: &str, second: &str) {
    to.clear();
    to.reserve(first.len() + 1 + second.len());
    to.push_str(first);
    to.push(' ');
    to.push_str(second);
}

/// The terms a phrase of `words` (two or more, in the order of the text) is matched by,
/// each with its place in the phrase: a common word and the word after it as their gram,
/// every other word alone unless the gram before it holds it. Matches exactly where the
/// words stand side by side, as the grams are indexed only for words side by side
/// ([`CommonGrams`]).
pub fn phrase_terms(words: &[String]) -> Vec<(usize, String)> {
    let mut out = Vec::with_capacity(words.len());
    let mut held = false;
    for (i, word) in words.iter().enumerate() {
        let next = words.get(i + 1);
        match next.filter(|_| is_common(word)) {
            Some(next) => {
                let mut gram = String::new();
                write_gram(&mut gram, word, next);
                out.push((i, gram));
                held = true;
            }
            None => {
                if !held {
                    out.push((i, word.clone()));
                }
                held = false;
            }
        }
    }
    out
}

/// The indexed columns' tokenizer: the words of [`analyzer`], and after each common word
/// followed by another at the next position, the two as a gram at the first one's position.
#[derive(Clone)]
struct CommonGrams {
    words: Words,
}

impl Tokenizer for CommonGrams {
    type TokenStream<'a> = Grams<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Grams<'a> {
        Grams {
            words: self.words.token_stream(text),
            word: Token::default(),
            ahead: Token::default(),
            has_ahead: false,
            gram: Token::default(),
            at_gram: false,
        }
    }
}

/// The words of a text with their grams, read one word ahead after a common word. The
/// tokens' texts are copied into buffers kept for the whole text, so a gram costs no
/// allocation (a first version gathered each text's tokens in a list, and looked the stop
/// words up by binary search: a cold build of 100,000 clippings took 14.2-14.5 s against
/// 10.1-11.2 s with this one).
struct Grams<'a> {
    words: WordStream<'a>,
    /// The word given last.
    word: Token,
    /// The word after `word`, read ahead when `word` is common.
    ahead: Token,
    /// Whether `ahead` holds a word: only ever after a common `word`.
    has_ahead: bool,
    /// `word` and `ahead` as one term.
    gram: Token,
    /// Whether the token given last is `gram`.
    at_gram: bool,
}

/// `to` made a copy of `from`, reusing its text's buffer.
fn copy_token(to: &mut Token, from: &Token) {
    to.offset_from = from.offset_from;
    to.offset_to = from.offset_to;
    to.position = from.position;
    to.position_length = from.position_length;
    to.text.clear();
    to.text.push_str(&from.text);
}

impl TokenStream for Grams<'_> {
    fn advance(&mut self) -> bool {
        // A word read ahead means the word before it is common: their gram comes next, when
        // the two stand side by side.
        if !self.at_gram && self.has_ahead && self.ahead.position == self.word.position + 1 {
            self.gram.offset_from = self.word.offset_from;
            self.gram.offset_to = self.ahead.offset_to;
            self.gram.position = self.word.position;
            self.gram.position_length = 1;
            write_gram(&mut self.gram.text, &self.word.text, &self.ahead.text);
            self.at_gram = true;
            return true;
        }
        self.at_gram = false;
        if self.has_ahead {
            std::mem::swap(&mut self.word, &mut self.ahead);
            self.has_ahead = false;
        } else if self.words.advance() {
            copy_token(&mut self.word, self.words.token());
        } else {
            return false;
        }
        if is_common(&self.word.text) && self.words.advance() {
            copy_token(&mut self.ahead, self.words.token());
            self.has_ahead = true;
        }
        true
    }

    fn token(&self) -> &Token {
        if self.at_gram { &self.gram } else { &self.word }
    }

    fn token_mut(&mut self) -> &mut Token {
        if self.at_gram {
            &mut self.gram
        } else {
            &mut self.word
        }
    }
}

/// The analyzer of the indexed columns: [`analyzer`]'s words and their common grams.
fn indexed_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(CommonGrams {
        words: Words::default(),
    })
    .build()
}

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
    TextAnalyzer::from(Words::default())
}

/// Tantivy's chain that [`Words`] gives the tokens of: its simple tokenizer (runs of letters
/// and digits), tokens of 100 bytes or more left out (their positions kept), lower-cased,
/// folded to ASCII.
fn chain() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(100))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// A word of 100 bytes or more is left out (tantivy's `RemoveLongFilter::limit(100)`).
const LONGEST_WORD: usize = 99;

/// The tokens of [`chain`] in one pass: a word all of ASCII (nearly every word of an English
/// text) is found byte by byte and lower-cased as it is copied; any other word is given to
/// the chain itself. Tantivy's chain cost a third of the index's share of an import: each
/// filter a call per token through a boxed stream, each word checked for ASCII twice.
#[derive(Clone)]
pub struct Words {
    token: Token,
    chain: TextAnalyzer,
}

impl Default for Words {
    fn default() -> Words {
        Words {
            token: Token::default(),
            chain: chain(),
        }
    }
}

impl Tokenizer for Words {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            text,
            at: 0,
            token: &mut self.token,
            chain: &mut self.chain,
        }
    }
}

/// The words of one text (see [`Words`]).
pub struct WordStream<'a> {
    text: &'a str,
    /// Where the next word is looked for (a char boundary).
    at: usize,
    token: &'a mut Token,
    chain: &'a mut TextAnalyzer,
}

impl WordStream<'_> {
    /// Whether the char at byte `i` (a char boundary, not ASCII) is a letter or digit, and its
    /// length.
    #[cold]
    fn wide_char(&self, i: usize) -> (bool, usize) {
        match self.text[i..].chars().next() {
            Some(c) => (c.is_alphanumeric(), c.len_utf8()),
            None => (false, 1),
        }
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        let bytes = self.text.as_bytes();
        let len = bytes.len();
        loop {
            // The next word's start.
            let mut i = self.at;
            let start = loop {
                let Some(&b) = bytes.get(i) else {
                    self.at = len;
                    return false;
                };
                if b < 0x80 {
                    if b.is_ascii_alphanumeric() {
                        break i;
                    }
                    i += 1;
                } else {
                    match self.wide_char(i) {
                        (true, _) => break i,
                        (false, n) => i += n,
                    }
                }
            };
            // Its end, and whether it is all ASCII.
            let mut ascii = true;
            while let Some(&b) = bytes.get(i) {
                if b < 0x80 {
                    if !b.is_ascii_alphanumeric() {
                        break;
                    }
                    i += 1;
                } else {
                    match self.wide_char(i) {
                        (true, n) => {
                            ascii = false;
                            i += n;
                        }
                        (false, _) => break,
                    }
                }
            }
            self.at = i;
            // Every word found takes a position, a long one left out too (as the chain).
            self.token.position = self.token.position.wrapping_add(1);
            if i - start > LONGEST_WORD {
                continue;
            }
            self.token.offset_from = start;
            self.token.offset_to = i;
            self.token.text.clear();
            let word = &self.text[start..i];
            if ascii {
                self.token.text.push_str(word);
                self.token.text.make_ascii_lowercase();
            } else {
                // One word, so the chain gives one token: its lower-cased, folded text.
                let mut stream = self.chain.token_stream(word);
                if stream.advance() {
                    self.token.text.push_str(&stream.token().text);
                }
            }
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
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
    /// Lists of keys kept from one search to the next (see [`Spare`]).
    spare: Spare,
}

/// Lists for the keys of a search, kept for the next one: the allocator gives freed memory
/// back at once (see `give_freed_memory_back`), and the keys of 100,000 hits in fresh memory
/// had each page zeroed by the kernel on first touch, search after search (1.6 MB; the
/// merge of the sorted runs took 1.4-1.6 ms in fresh memory, 1.0-1.1 ms in memory used before).
#[derive(Clone, Default)]
struct Spare(std::sync::Arc<std::sync::Mutex<Vec<Vec<u64>>>>);

impl Spare {
    /// At most this many lists are kept (a segment's each, and the merged one).
    const KEPT: usize = 16;

    /// An empty list with room for `n` keys.
    fn take(&self, n: usize) -> Vec<u64> {
        let mut list = self
            .0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .unwrap_or_default();
        list.clear();
        list.reserve(n);
        list
    }

    /// Keep `list` for a later search.
    fn keep(&self, list: Vec<u64>) {
        let mut spare = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if spare.len() < Self::KEPT {
            spare.push(list);
        }
    }
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
        index.tokenizers().register(TOKENIZER, indexed_analyzer());
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
            spare: Spare::default(),
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
    /// batch to merge (30,000 articles: 6.7-7.5 s with two, 5.4-5.8 s with one). With
    /// [`Merges::Later`] its commit starts no merge while the index has fewer than
    /// [`GATHERED_SEGMENTS`] segments (see [`Merges`]).
    pub fn batch_for_import(&self, merges: Merges) -> tantivy::Result<Batch> {
        let batch = self.batch_on(1)?;
        if merges == Merges::Later {
            batch
                .writer
                .set_merge_policy(Box::new(Gathering::default()));
        }
        Ok(batch)
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
        // A phrase through its common grams (a phrase of a prefix keeps its words: the grams
        // hold whole words only).
        let placed = if prefix {
            tokens.iter().cloned().enumerate().collect()
        } else {
            phrase_terms(&tokens)
        };
        let column_query = |c: usize| -> Box<dyn Query> {
            let field = self.fields.columns[c];
            let term = |t: &str| tantivy::Term::from_field_text(field, t);
            let q: Box<dyn Query> = if prefix {
                let mut q = PhrasePrefixQuery::new(placed.iter().map(|(_, t)| term(t)).collect());
                q.set_max_expansions(PREFIX_EXPANSIONS);
                Box::new(q)
            } else if let [(_, only)] = placed.as_slice() {
                Box::new(TermQuery::new(term(only), IndexRecordOption::WithFreqs))
            } else {
                Box::new(PhraseQuery::new_with_offset(
                    placed.iter().map(|(at, t)| (*at, term(t))).collect(),
                ))
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
        let query = matching_all(must, must_not);
        let searcher = self.reader.searcher();
        searcher.search(&query, &Every { scoring: true })
    }

    /// [`TextIndex::scored`], each hit turned into a key by `key` (`None`: left out): the keys
    /// of each segment, sorted (lowest first) on the thread that searched it.
    /// [`TextIndex::merge`] makes one list of them.
    pub fn sorted_runs(
        &self,
        must: Vec<Box<dyn Query>>,
        must_not: Vec<Box<dyn Query>>,
        key: Keyer,
    ) -> tantivy::Result<Vec<Vec<u64>>> {
        let query = matching_all(must, must_not);
        let searcher = self.reader.searcher();
        searcher.search(
            &query,
            &SortedKeys {
                key,
                spare: self.spare.clone(),
            },
        )
    }

    /// Sorted runs of keys merged into one sorted list (the runs are kept for the next
    /// search's keys).
    pub fn merge(&self, runs: Vec<Vec<u64>>) -> Vec<u64> {
        let mut all = self.spare.take(runs.iter().map(Vec::len).sum());
        for run in runs {
            all.extend_from_slice(&run);
            self.spare.keep(run);
        }
        // The standard stable sort finds the runs already sorted and merges them.
        all.sort();
        all
    }

    /// Keep the list of keys a search gave, for the next one's.
    pub fn keep_keys(&self, keys: Vec<u64>) {
        self.spare.keep(keys);
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

/// Whether a commit may start merges now, or leaves its segments for a later commit to merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merges {
    /// The usual merges ([`Balanced`]).
    Now,
    /// An import's commit before its last: its segments are gathered and merged by the
    /// import's last commit, once, into segments sized for the index as the import leaves
    /// it. Merged as they came, a 100,000-article import merged most documents twice or
    /// three times (segments of 4,096 into 8,192, then 20,480), with the cap of a quarter of
    /// the index growing as the import went.
    Later,
}

/// How many segments an import may gather before it merges them anyway (each is a few open
/// files and a little more work for every search): 40 batches of 4,096 clippings.
pub const GATHERED_SEGMENTS: usize = 40;

/// [`Balanced`] once the index has [`GATHERED_SEGMENTS`] segments, no merge below that.
#[derive(Debug, Default)]
struct Gathering {
    balanced: Balanced,
}

impl tantivy::indexer::MergePolicy for Gathering {
    fn compute_merge_candidates(
        &self,
        segments: &[tantivy::index::SegmentMeta],
    ) -> Vec<tantivy::indexer::MergeCandidate> {
        if segments.len() < GATHERED_SEGMENTS {
            return Vec::new();
        }
        self.balanced.compute_merge_candidates(segments)
    }
}

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
        // Sized for its texts up front (each with a few bytes of framing): grown by doubling,
        // each document's buffer was copied several times, into fresh pages.
        let bytes = columns.0.iter().map(|t| t.len() + 16).sum::<usize>() + 32;
        let mut doc = TantivyDocument::with_capacity(bytes);
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

/// The query of clippings matching every one of `must` (every clipping when there is none)
/// and none of `must_not`.
fn matching_all(must: Vec<Box<dyn Query>>, must_not: Vec<Box<dyn Query>>) -> BooleanQuery {
    let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    if must.is_empty() {
        parts.push((Occur::Must, Box::new(AllQuery)));
    }
    parts.extend(must.into_iter().map(|q| (Occur::Must, q)));
    parts.extend(must_not.into_iter().map(|q| (Occur::MustNot, q)));
    BooleanQuery::new(parts)
}

/// A hit's sort key, made from its rowid and score (`None`: the hit is left out).
pub type Keyer = std::sync::Arc<dyn Fn(i64, Score) -> Option<u64> + Send + Sync>;

/// A collector of every hit's key: a sorted list of each segment's.
struct SortedKeys {
    key: Keyer,
    spare: Spare,
}

struct SortedKeysSegment {
    rowids: Column<i64>,
    key: Keyer,
    keys: Vec<u64>,
}

impl Collector for SortedKeys {
    type Fruit = Vec<Vec<u64>>;
    type Child = SortedKeysSegment;

    fn for_segment(&self, _: u32, segment: &SegmentReader) -> tantivy::Result<SortedKeysSegment> {
        Ok(SortedKeysSegment {
            rowids: segment.fast_fields().i64("rowid")?,
            key: std::sync::Arc::clone(&self.key),
            keys: self.spare.take(segment.num_docs() as usize),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<u64>>) -> tantivy::Result<Vec<Vec<u64>>> {
        Ok(fruits)
    }
}

impl SegmentCollector for SortedKeysSegment {
    type Fruit = Vec<u64>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(key) = self.rowids.first(doc).and_then(|r| (self.key)(r, score)) {
            self.keys.push(key);
        }
    }

    fn harvest(mut self) -> Vec<u64> {
        self.keys.sort_unstable();
        self.keys
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
    use super::{TokenStream as _, indexed_analyzer, pack, phrase_terms};

    fn tokens(text: &str) -> Vec<(String, usize)> {
        let mut analyzer = indexed_analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push((stream.token().text.clone(), stream.token().position));
        }
        out
    }

    fn owned(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn a_common_word_is_indexed_with_the_word_after_it_at_its_own_position() {
        let got = tokens("Rain along THE Coast, of a sort");
        let want: Vec<(String, usize)> = [
            ("rain", 0),
            ("along", 1),
            ("the", 2),
            ("the coast", 2),
            ("coast", 3),
            ("of", 4),
            ("of a", 4),
            ("a", 5),
            ("a sort", 5),
            ("sort", 6),
        ]
        .iter()
        .map(|(t, p)| (t.to_string(), *p))
        .collect();
        assert_eq!(got, want);
        // A common word last has no gram; nor one before a word the index leaves out (too
        // long), whose place stays empty.
        let long = "x".repeat(120);
        let got = tokens(&format!("harbour of {long} lights the"));
        assert_eq!(
            got,
            [("harbour", 0), ("of", 1), ("lights", 3), ("the", 4)]
                .iter()
                .map(|(t, p)| (t.to_string(), *p))
                .collect::<Vec<_>>()
        );
        assert!(tokens("").is_empty());
    }

    #[test]
    fn a_phrase_is_asked_through_its_grams_and_the_words_no_gram_holds() {
        let placed = |words: &[&str]| phrase_terms(&owned(words));
        let want = |terms: &[(usize, &str)]| -> Vec<(usize, String)> {
            terms.iter().map(|(i, t)| (*i, t.to_string())).collect()
        };
        assert_eq!(
            placed(&["rain", "along", "the", "coast"]),
            want(&[(0, "rain"), (1, "along"), (2, "the coast")])
        );
        // Common words in a row: each gram holds the next word.
        assert_eq!(
            placed(&["lights", "of", "the", "harbour"]),
            want(&[(0, "lights"), (1, "of the"), (2, "the harbour")])
        );
        assert_eq!(placed(&["of", "a"]), want(&[(0, "of a")]));
        // A common word last stands alone; words with no common one are unchanged.
        assert_eq!(
            placed(&["harbour", "of"]),
            want(&[(0, "harbour"), (1, "of")])
        );
        assert_eq!(
            placed(&["harbour", "lights"]),
            want(&[(0, "harbour"), (1, "lights")])
        );
    }

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

#[cfg(test)]
mod merge_tests {
    use super::{GATHERED_SEGMENTS, Gathering, schema};
    use tantivy::index::SegmentId;
    use tantivy::indexer::MergePolicy as _;

    /// `n` segments of 4,096 documents (an import's batches), as an index in memory has them.
    fn segments(n: usize) -> Vec<tantivy::index::SegmentMeta> {
        let index = tantivy::Index::create_in_ram(schema().0);
        (0..n)
            .map(|_| index.new_segment_meta(SegmentId::generate_random(), 4_096))
            .collect()
    }

    #[test]
    fn an_imports_batches_gather_their_segments_and_its_last_commit_merges_them() {
        let gathering = Gathering::default();
        // Ten batches in: nothing merged yet (the balanced policy would merge them).
        assert!(gathering.compute_merge_candidates(&segments(10)).is_empty());
        assert!(
            !gathering
                .balanced
                .compute_merge_candidates(&segments(10))
                .is_empty()
        );
        // The last commit merges with the balanced policy: 25 segments of 4,096 go into
        // merges of at most a quarter of the 102,400 documents, each segment once.
        let all = segments(25);
        let merges = gathering.balanced.compute_merge_candidates(&all);
        let merged: Vec<_> = merges.iter().flat_map(|m| m.0.iter()).collect();
        let unique: std::collections::HashSet<_> = merged.iter().collect();
        assert_eq!(merged.len(), unique.len());
        assert!(merged.len() >= 24, "{} of 25 merged", merged.len());
        for m in &merges {
            assert!(
                m.0.len() * 4_096 <= 102_400 / 4,
                "{} segments in one merge",
                m.0.len()
            );
        }
        // Past the bound, an import merges as it goes (open files and searches stay bounded).
        let many = segments(GATHERED_SEGMENTS);
        assert!(!gathering.compute_merge_candidates(&many).is_empty());
    }
}

#[cfg(test)]
mod word_tests {
    use super::{TokenStream as _, analyzer, chain};

    /// Every token of an analyzer: its text, byte range and position.
    fn all(
        mut analyzer: tantivy::tokenizer::TextAnalyzer,
        text: &str,
    ) -> Vec<(String, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    #[test]
    fn words_are_lower_cased_folded_and_long_ones_left_out_with_their_places() {
        let long = "x".repeat(100);
        let text = format!("Café ÉTÉ, naïve 3rd-floor {long} Straße İstanbul");
        let words: Vec<(String, usize)> = all(analyzer(), &text)
            .into_iter()
            .map(|(w, _, _, p)| (w, p))
            .collect();
        let expected = [
            ("cafe", 0),
            ("ete", 1),
            ("naive", 2),
            ("3rd", 3),
            ("floor", 4),
            // The word of 100 letters took position 5.
            ("strasse", 6),
            // Lower-cased first, İ is i and a combining dot, which folding keeps (as the
            // chain does).
            ("i\u{307}stanbul", 7),
        ];
        let expected: Vec<(String, usize)> =
            expected.iter().map(|(w, p)| (w.to_string(), *p)).collect();
        assert_eq!(words, expected);
        assert_eq!(all(analyzer(), &text), all(chain(), &text));
    }

    proptest::proptest! {
        /// The one-pass words are tantivy's chain's, token for token (an index built by
        /// either is searched by the other): ASCII words of every length around the limit,
        /// letters and digits outside ASCII, marks, punctuation and spaces anywhere.
        #[test]
        fn words_match_tantivys_chain(
            s in "([a-zA-Z0-9]{1,12}|[a-z]{95,104}|[ ,.'\\-\\n]|é|É|ß|İ|ﬁ|Ω|\u{301}|\u{2019}|中文|٣|\u{a0}|\\PC){0,40}",
        ) {
            proptest::prop_assert_eq!(all(analyzer(), &s), all(chain(), &s));
        }
    }
}
