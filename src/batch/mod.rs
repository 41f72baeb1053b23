//! Batch downloads of news databases: one file, many articles, each with the database's own
//! metadata block.
//!
//! Supported layouts, recognised by content (never by file name):
//! - LexisNexis plain text (`N of M DOCUMENTS`, labelled `BYLINE:` … `LOAD-DATE:` fields);
//! - Nexis Uni documents (`Section:` … `Body` … `End of Document`), from a DOCX (see [`docx`]) or
//!   the same text saved as plain text;
//! - Factiva field-coded exports (`HD`, `BY`, `WC`, `PD`, `SN`, … `AN`), as plain text or RTF
//!   (control words stripped by [`rtf`]), and Factiva's "full article" layout without codes
//!   (`540 words`, … `Document …` closing each article).
//!
//! A batch is cut into articles; each article's text is the article alone (no cover block, no
//! `N of M DOCUMENTS` line), so the same document downloaded in two batches has the same text and
//! the same clipping id. The article text keeps the database block; [`parse_stored`] reads it
//! again from the stored text (the reader, a re-parse), giving the database fields precedence over
//! the text parser and keeping the block as boilerplate.

pub mod docx;
mod factiva;
mod lexis;
mod nexis;
pub mod rtf;
#[doc(hidden)]
pub mod samples;

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{ArticleMetadata, BatchSource, Database};

/// One article cut out of a batch file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchArticle {
    /// 1-based position in the batch.
    pub number: usize,
    /// The article alone, with its database block: the clipping's text.
    pub text: String,
}

/// A document of a batch that could not be read as an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub number: usize,
    pub reason: String,
}

/// A recognised batch file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchFile {
    pub database: Database,
    /// Documents the batch says it holds (`N of M`), else the number found.
    pub total: usize,
    pub articles: Vec<Result<BatchArticle, Malformed>>,
}

/// The database fields of one article, as read from its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields {
    pub headline: Option<String>,
    pub publication: Option<String>,
    /// ISO date.
    pub published: Option<String>,
    pub byline: Option<String>,
    pub section: Option<String>,
    pub page: Option<String>,
    pub edition: Option<String>,
    pub length: Option<String>,
    pub language: Option<String>,
    pub dateline: Option<String>,
    pub highlight: Option<String>,
    pub doc_id: Option<String>,
    pub subjects: Vec<String>,
    pub places: Vec<String>,
    /// The body, paragraphs separated by blank lines.
    pub body: String,
    /// Every other line of the article: the database block.
    pub block: Vec<String>,
}

/// Cut a decoded file into the articles of a batch, or `None` when it is not a batch.
/// RTF is converted to text first.
pub fn split(text: &str) -> Option<BatchFile> {
    if rtf::is_rtf(text) {
        let plain = rtf::to_text(text);
        return split_plain(&plain);
    }
    split_plain(text)
}

fn split_plain(text: &str) -> Option<BatchFile> {
    let batch = lexis::split(text)
        .or_else(|| factiva::split(text))
        .or_else(|| nexis::split(text))
        .or_else(|| factiva::split_full(text))?;
    let articles = batch
        .articles
        .into_iter()
        .map(|a| {
            let a = a?;
            match read(&a.text) {
                Some((_, f)) if f.headline.is_none() => Err(Malformed {
                    number: a.number,
                    reason: "it has no headline".into(),
                }),
                Some((_, f)) if f.body.trim().is_empty() => Err(Malformed {
                    number: a.number,
                    reason: "it has no article text".into(),
                }),
                Some(_) => Ok(a),
                None => Err(Malformed {
                    number: a.number,
                    reason: "its headline, its labelled fields or its text are missing".into(),
                }),
            }
        })
        .collect();
    Some(BatchFile { articles, ..batch })
}

/// The database and fields of one stored article text.
pub fn read(text: &str) -> Option<(Database, Fields)> {
    if factiva::looks_like(text) {
        return factiva::read(text).map(|f| (Database::Factiva, f));
    }
    if nexis::looks_like(text) {
        return nexis::read(text).map(|f| (Database::NexisUni, f));
    }
    if lexis::looks_like(text) {
        return lexis::read(text).map(|f| (Database::LexisNexis, f));
    }
    if factiva::looks_like_full(text) {
        return factiva::read_full(text).map(|f| (Database::Factiva, f));
    }
    None
}

/// The metadata of a stored batch article (`None` for any other text): the text parser run over
/// the body, then the database fields over it, the database block kept as boilerplate.
pub fn parse_stored(text: &str) -> Option<ArticleMetadata> {
    let (_, f) = read(text)?;
    f.headline.as_ref()?;
    Some(merge(&f))
}

fn merge(f: &Fields) -> ArticleMetadata {
    // The headline and byline on top, so the parser takes neither the first paragraph for a
    // headline nor the byline for text, and reads the byline with its own rules.
    let mut synthetic = String::new();
    if let Some(h) = &f.headline {
        synthetic.push_str(h);
        synthetic.push_str("\n\n");
    }
    if let Some(b) = &f.byline {
        if !b.to_lowercase().starts_with("by ") {
            synthetic.push_str("By ");
        }
        synthetic.push_str(b);
        synthetic.push_str("\n\n");
    }
    synthetic.push_str(&f.body);
    let mut meta = crate::parse::parse_article(&synthetic);
    if let Some(b) = &f.byline
        && meta.authors.is_empty()
        && meta.organizations.is_empty()
    {
        meta.authors = fallback_authors(b);
    }
    // A byline the parser did not read as one may have been taken for the deck.
    if let (Some(b), Some(deck)) = (&f.byline, &meta.deck)
        && deck.contains(b.trim())
    {
        meta.deck = None;
    }
    let pick = |db: &Option<String>, parsed: &mut Option<String>| {
        if db.is_some() {
            parsed.clone_from(db);
        }
    };
    pick(&f.headline, &mut meta.headline);
    pick(&f.publication, &mut meta.publication);
    pick(&f.published, &mut meta.published);
    pick(&f.section, &mut meta.section);
    pick(&f.dateline, &mut meta.dateline);
    pick(&f.highlight, &mut meta.deck);
    let mut boiler = f.block.clone();
    boiler.append(&mut meta.boilerplate);
    meta.boilerplate = boiler;
    meta
}

/// Names of a byline the parser did not read: split at "and", "&" and ";", roles after a comma
/// dropped.
fn fallback_authors(byline: &str) -> Vec<String> {
    static SPLIT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\s+and\s+|\s*&\s*|\s*;\s*").expect("regex"));
    let b = byline.trim();
    let b = b
        .strip_prefix("By ")
        .or_else(|| b.strip_prefix("BY "))
        .unwrap_or(b);
    SPLIT
        .split(b)
        .filter_map(|part| part.split(',').next())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The record fields of an article of a batch file.
pub fn source_of(
    database: Database,
    f: &Fields,
    batch_file: &str,
    position: usize,
    total: usize,
) -> BatchSource {
    BatchSource {
        database,
        doc_id: f.doc_id.clone(),
        batch_file: batch_file.to_string(),
        position,
        total,
        page: f.page.clone(),
        edition: f.edition.clone(),
        length: f.length.clone(),
        language: f.language.clone(),
        subjects: f.subjects.clone(),
        places: f.places.clone(),
    }
}

/// The tags an article gets from its database's subjects and places (`subject/…`, `place/…`);
/// values printed all in capitals get the capitals of a title ("UNITED KINGDOM" is "United
/// Kingdom"), so the same place from two databases is one tag.
pub fn tags_of(source: &BatchSource) -> Vec<String> {
    let tidy = |v: &str| {
        let v = v.replace('/', "-");
        if v.chars().any(|c| c.is_lowercase()) {
            v
        } else {
            title_case(&v)
        }
    };
    let mut tags: Vec<String> = Vec::new();
    for (prefix, values) in [("subject", &source.subjects), ("place", &source.places)] {
        for v in values {
            let tag = crate::model::normalize_tag(&format!("{prefix}/{}", tidy(v)));
            if tag.contains('/') && !tags.contains(&tag) {
                tags.push(tag);
            }
        }
    }
    tags
}

/// "EDINBURGH, SCOTLAND" as "Edinburgh, Scotland": a capital at the start of every word (after
/// white space, a hyphen or an opening bracket), the rest lower case.
fn title_case(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut start = true;
    for c in v.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
        start = c.is_whitespace() || matches!(c, '-' | '(' | '/');
    }
    out
}

/// The key a document is recognised by across batches: its database and its document id.
pub fn doc_key(source: &BatchSource) -> Option<String> {
    source
        .doc_id
        .as_ref()
        .map(|id| format!("{}:{id}", source.database.name()))
}

// ---- helpers shared by the layouts ----

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_lowercase();
    if w.len() < 3 {
        return None;
    }
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    (0..12)
        .find(|&i| w == MONTHS[i] || w == full[i] || (w == "sept" && i == 8))
        .map(|i| i as u32 + 1)
}

/// A date at the start of a line as ISO: "January 11, 2010 Monday", "11 January 2010",
/// "2010-01-11", "Jan. 11, 2010".
pub fn parse_date(line: &str) -> Option<String> {
    static MDY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[A-Za-z]+day,?\s+)?([A-Za-z]{3,9}\.?)\s+(\d{1,2}),?\s+(\d{4})\b")
            .expect("regex")
    });
    static DMY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:[A-Za-z]+day,?\s+)?(\d{1,2})\.?\s+([A-Za-z]{3,9}\.?),?\s+(\d{4})\b")
            .expect("regex")
    });
    static ISO: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(\d{4})-(\d{2})-(\d{2})\b").expect("regex"));
    let line = line.trim();
    let (y, m, d) = if let Some(c) = MDY.captures(line) {
        (c[3].parse().ok()?, month(&c[1])?, c[2].parse().ok()?)
    } else if let Some(c) = DMY.captures(line) {
        (c[3].parse().ok()?, month(&c[2])?, c[1].parse().ok()?)
    } else if let Some(c) = ISO.captures(line) {
        (c[1].parse().ok()?, c[2].parse().ok()?, c[3].parse().ok()?)
    } else {
        return None;
    };
    let (y, m, d): (u32, u32, u32) = (y, m, d);
    ((1..=12).contains(&m) && (1..=31).contains(&d) && (1800..=2200).contains(&y))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// "FEATURES; Pg. 6" → ("FEATURES", "6").
pub fn section_and_page(value: &str) -> (Option<String>, Option<String>) {
    static PG: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:pgs?\.?|pages?|p\.)\s*([a-z]{0,2}\d.*)$").expect("regex")
    });
    let mut section = Vec::new();
    let mut page = None;
    for part in value.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        match PG.captures(part) {
            Some(c) if page.is_none() => page = Some(c[1].trim().to_string()),
            _ => section.push(part),
        }
    }
    let section = (!section.is_empty()).then(|| section.join("; "));
    (section, page)
}

/// A list field: "ELECTIONS (90%); POLITICS (89%)" or "c151 : Earnings | ncat : Content" →
/// the names, percentages and codes dropped.
pub fn list_values(value: &str) -> Vec<String> {
    static PERCENT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\s*\(\d+%\)\s*$").expect("regex"));
    let mut out: Vec<String> = Vec::new();
    for part in value.split([';', '|', '\n']) {
        let part = part.trim();
        let part = match part.split_once(" : ") {
            Some((_, name)) => name.trim(),
            None => part,
        };
        let part = PERCENT.replace(part, "");
        let part = part.trim().trim_end_matches('.').trim();
        if !part.is_empty() && !out.iter().any(|o| o == part) {
            out.push(part.to_string());
        }
    }
    out
}

/// Lines joined with single spaces, white space collapsed.
pub fn one_line(lines: &[&str]) -> String {
    lines
        .iter()
        .flat_map(|l| l.split_whitespace())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The lines of a text with the byte offset where each starts.
pub fn lines_with_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        out.push((start, line.trim_end_matches('\n')));
        start += line.len();
    }
    out
}

/// `text[from..to]` without blank lines at either end (the first line's indent kept).
pub fn slice_trimmed(text: &str, from: usize, to: usize) -> String {
    let s = text.get(from..to).unwrap_or("");
    let s = s.trim_end();
    let mut start = 0;
    for line in s.split_inclusive('\n') {
        if line.trim().is_empty() {
            start += line.len();
        } else {
            break;
        }
    }
    s.get(start..).unwrap_or("").to_string()
}

fn some(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

#[cfg(test)]
mod tests;
