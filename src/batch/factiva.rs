//! Factiva field-coded exports: each article a block of field codes at the start of a line
//! (`HD` headline, `BY`, `WC`, `PD`, `ET`, `SN`, `SC`, `ED`, `PG`, `LA`, `CY`, `LP`, `TD`, `CO`,
//! `IN`, `NS`, `RE`, `IPD`, `PUB`, `AN`, `SE`), the value on the same line (after a tab or
//! spaces) or on the lines below, up to the next code.

use super::{
    BatchArticle, BatchFile, Fields, lines_with_offsets, list_values, one_line, parse_date,
    slice_trimmed, some,
};
use crate::model::Database;

const CODES: &[&str] = &[
    "HD", "CLM", "SE", "HLP", "BY", "CR", "WC", "PD", "ET", "SN", "SC", "ED", "PG", "LA", "CY",
    "LP", "TD", "CT", "RF", "CO", "IN", "NS", "RE", "IPC", "IPD", "PUB", "AN",
];
/// Codes that may follow the text fields: only these end an `LP` or `TD` field.
const AFTER_TEXT: &[&str] = &[
    "TD", "CT", "RF", "CO", "IN", "NS", "RE", "IPC", "IPD", "PUB", "AN",
];

/// A field code opening a line, and the value after it on that line.
fn code(line: &str, in_text: bool) -> Option<(&'static str, &str)> {
    let code = CODES.iter().find(|c| {
        line.starts_with(**c) && !line[c.len()..].starts_with(|ch: char| ch.is_alphanumeric())
    })?;
    let rest = &line[code.len()..];
    let loose = rest.starts_with(' ') && !rest.starts_with("  ");
    let ok = rest.trim().is_empty() || rest.starts_with('\t') || rest.starts_with("  ") || loose;
    if !ok {
        return None;
    }
    if in_text {
        if !AFTER_TEXT.contains(code) {
            return None;
        }
        // "IN 2009, sales rose" is a sentence; a code with a value on its line is set off by a
        // tab or two spaces, or its value is a code list ("i64 : Retail").
        if loose && !matches!(*code, "TD" | "AN" | "PUB") && !rest.contains(" : ") {
            return None;
        }
    }
    Some((code, rest.trim()))
}

pub fn split(text: &str) -> Option<BatchFile> {
    // Each article opens with its headline's code: a text without "HD" is no batch.
    if !text.contains("HD") {
        return None;
    }
    let lines = lines_with_offsets(text);
    let mut starts = Vec::new();
    let mut in_text = false;
    let mut an_end: Vec<Option<usize>> = Vec::new();
    let mut after_an = false;
    for (i, &(_, line)) in lines.iter().enumerate() {
        if let Some((c, value)) = code(line, in_text) {
            in_text = matches!(c, "LP" | "TD");
            after_an = false;
            if c == "HD" {
                starts.push(i);
                an_end.push(None);
            } else if c == "AN"
                && let Some(last) = an_end.last_mut()
            {
                *last = Some(i + 1);
                after_an = value.is_empty();
            }
        } else if after_an && !line.trim().is_empty() {
            // "AN" alone, its value on the next line.
            if let Some(last) = an_end.last_mut() {
                *last = Some(i + 1);
            }
            after_an = false;
        }
    }
    if starts.is_empty()
        || !lines
            .iter()
            .any(|(_, l)| code(l, false).is_some_and(|c| matches!(c.0, "PD" | "SN" | "AN")))
    {
        return None;
    }
    let articles: Vec<_> = starts
        .iter()
        .enumerate()
        .map(|(n, &s)| {
            let next = starts.get(n + 1).copied().unwrap_or(lines.len());
            let end = an_end[n].filter(|&e| e <= next).unwrap_or(next);
            let to = lines.get(end).map_or(text.len(), |l| l.0);
            Ok(BatchArticle {
                number: n + 1,
                text: slice_trimmed(text, lines[s].0, to),
            })
        })
        .collect();
    Some(BatchFile {
        database: Database::Factiva,
        total: articles.len(),
        articles,
    })
}

pub fn looks_like(text: &str) -> bool {
    let first = text.trim_start().lines().next().unwrap_or("");
    code(first, false).is_some_and(|c| c.0 == "HD")
        && text
            .lines()
            .any(|l| code(l, false).is_some_and(|c| matches!(c.0, "PD" | "SN" | "WC" | "AN")))
}

pub fn read(text: &str) -> Option<Fields> {
    let mut fields: Vec<(&'static str, Vec<&str>)> = Vec::new();
    let mut in_text = false;
    for line in text.lines() {
        if let Some((c, value)) =
            code(line, in_text).filter(|(c, _)| !fields.iter().any(|f| f.0 == *c))
        {
            in_text = matches!(c, "LP" | "TD");
            fields.push((
                c,
                if value.is_empty() {
                    vec![]
                } else {
                    vec![value]
                },
            ));
        } else if let Some(last) = fields.last_mut() {
            last.1.push(line.trim());
        }
    }
    let mut f = Fields::default();
    let mut block = Vec::new();
    let mut lp = String::new();
    let mut td = String::new();
    for (c, lines) in &fields {
        let value = one_line(lines);
        match *c {
            "LP" => lp = paragraphs(lines),
            "TD" => td = paragraphs(lines),
            _ => {
                block.push(format!("{c} {value}").trim().to_string());
            }
        }
        match *c {
            "HD" => f.headline = some(&value),
            "BY" => f.byline = some(&value),
            "WC" => f.length = some(&value),
            "PD" => f.published = parse_date(&value),
            "SN" => f.publication = some(&value),
            "ED" => f.edition = some(&value),
            "PG" => f.page = some(&value),
            "LA" => f.language = some(&value),
            "SE" => f.section = some(&value),
            "NS" | "IPD" => f.subjects.extend(list_values(&lines.join("\n"))),
            "RE" => f.places = list_values(&lines.join("\n")),
            "AN" => {
                f.doc_id = some(value.strip_prefix("Document ").unwrap_or(&value));
            }
            _ => {}
        }
    }
    f.body = [lp, td]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    f.block = block;
    Some(f)
}

/// Text-field lines as paragraphs: blank lines kept as paragraph breaks.
fn paragraphs(lines: &[&str]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for l in lines {
        if l.is_empty() {
            if !current.is_empty() {
                out.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(l);
        }
    }
    if !current.is_empty() {
        out.push(current.join("\n"));
    }
    out.join("\n\n")
}

// ---- Factiva "full article" layout, without field codes ----
//
// Headline, optional "By …" line, "540 words", the date, the source name, its code, edition,
// page, language and copyright lines, the text, and "Document FTFTA0002…" closing the article.

use std::sync::LazyLock;

use regex::Regex;

static DOC_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^Document ([A-Za-z0-9]{16,})$").expect("regex"));
static WORDS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\d[\d,.]* words$").expect("regex"));
static CODE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[A-Z0-9]{1,10}$").expect("regex"));
static PAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[A-Za-z]{0,2}\d+[A-Za-z]?)$").expect("regex"));
const LANGUAGES: &[&str] = &[
    "English",
    "German",
    "French",
    "Spanish",
    "Italian",
    "Dutch",
    "Portuguese",
    "Swedish",
    "Danish",
    "Norwegian",
    "Finnish",
    "Russian",
    "Polish",
    "Chinese",
    "Japanese",
    "Arabic",
    "Turkish",
    "Greek",
    "Czech",
    "Hungarian",
];

/// The "N words" line among the first lines of a chunk.
fn words_line(lines: &[&str]) -> Option<usize> {
    lines.iter().take(8).position(|l| WORDS.is_match(l.trim()))
}

pub fn split_full(text: &str) -> Option<BatchFile> {
    // Each article ends with "Document " and its id.
    if !text.contains("Document ") {
        return None;
    }
    let lines = lines_with_offsets(text);
    let mut articles = Vec::new();
    let mut chunk_start = 0;
    for (i, &(off, line)) in lines.iter().enumerate() {
        if !DOC_ID.is_match(line.trim()) {
            continue;
        }
        let chunk: Vec<(usize, &str)> = lines[chunk_start..i]
            .iter()
            .filter(|(_, l)| !l.trim().is_empty())
            .copied()
            .collect();
        chunk_start = i + 1;
        let plain: Vec<&str> = chunk.iter().map(|c| c.1).collect();
        // The article starts at its headline, just above the byline or the words line.
        let Some(w) = (0..plain.len()).find(|&k| WORDS.is_match(plain[k].trim())) else {
            continue;
        };
        let mut start = w.saturating_sub(1);
        if start > 0 && plain[start].trim_start().starts_with("By ") {
            start -= 1;
        }
        let from = chunk.get(start).map_or(off, |c| c.0);
        articles.push(Ok(BatchArticle {
            number: articles.len() + 1,
            text: slice_trimmed(text, from, off + line.len()),
        }));
    }
    if articles.is_empty() {
        return None;
    }
    Some(BatchFile {
        database: Database::Factiva,
        total: articles.len(),
        articles,
    })
}

pub fn looks_like_full(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines.last().is_some_and(|l| DOC_ID.is_match(l.trim())) && words_line(&lines).is_some()
}

pub fn read_full(text: &str) -> Option<Fields> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let w = words_line(&lines)?;
    let mut f = Fields::default();
    let mut head_end = w;
    if head_end > 0 && lines[head_end - 1].starts_with("By ") {
        f.byline = some(lines[head_end - 1]);
        head_end -= 1;
    }
    f.headline = some(&one_line(&lines[..head_end]));
    f.length = some(lines[w]);
    let copyright = lines
        .iter()
        .skip(w)
        .position(|l| {
            l.starts_with("(c)")
                || l.starts_with("(C)")
                || l.starts_with('©')
                || l.starts_with("Copyright")
        })
        .map(|p| p + w);
    let meta_end = copyright.unwrap_or((w + 6).min(lines.len()));
    let mut k = w + 1;
    if let Some(d) = lines.get(k).and_then(|l| parse_date(l)) {
        f.published = Some(d);
        k += 1;
    }
    // An optional time line ("10:32 GMT").
    if lines
        .get(k)
        .is_some_and(|l| l.len() <= 12 && l.contains(':'))
    {
        k += 1;
    }
    if k < meta_end {
        f.publication = some(lines[k]);
        k += 1;
    }
    if k < meta_end && CODE.is_match(lines[k]) {
        k += 1;
    }
    for l in &lines[k.min(meta_end)..meta_end] {
        if LANGUAGES.contains(l) {
            f.language = some(l);
        } else if PAGE.is_match(l) && f.page.is_none() {
            f.page = some(l);
        } else if f.edition.is_none() {
            f.edition = some(l);
        }
    }
    let body_start = copyright.map_or(meta_end, |c| c + 1);
    let last = lines.len().saturating_sub(1);
    if let Some(c) = DOC_ID.captures(lines[last]) {
        f.doc_id = Some(c[1].to_string());
    }
    f.body = lines[body_start.min(last)..last].join("\n\n");
    f.block = lines[..body_start.min(last)]
        .iter()
        .chain(std::iter::once(&lines[last]))
        .map(|l| l.to_string())
        .collect();
    Some(f)
}
