//! LexisNexis plain text: a cover block, then each document opened by a centred
//! `N of M DOCUMENTS` line; centred publication, date and edition lines, the headline, labelled
//! fields (`BYLINE:`, `SECTION:`, `LENGTH:`, `DATELINE:`, `HIGHLIGHT:`), the body, then
//! `LOAD-DATE:`, `LANGUAGE:`, … and a centred copyright block.

use std::sync::LazyLock;

use regex::Regex;

use super::{
    BatchArticle, BatchFile, Fields, lines_with_offsets, list_values, one_line, parse_date,
    section_and_page, slice_trimmed, some,
};
use crate::model::Database;

static DOC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\d+)\s+of\s+(\d+)\s+DOCUMENTS?\s*$").expect("regex"));
static LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([A-Z][A-Z-]*[A-Z]):(?:\s+(.*)|$)").expect("regex"));

/// Labels printed before the body.
const HEAD: &[&str] = &["BYLINE", "SECTION", "LENGTH", "DATELINE", "HIGHLIGHT"];
/// Labels printed after the body.
const TAIL: &[&str] = &[
    "LOAD-DATE",
    "LANGUAGE",
    "PUBLICATION-TYPE",
    "JOURNAL-CODE",
    "GRAPHIC",
    "URL",
    "NOTES",
    "CORRECTION",
    "CORRECTION-DATE",
    "DOCUMENT-TYPE",
    "SUBJECT",
    "GEOGRAPHIC",
    "PERSON",
    "ORGANIZATION",
    "COMPANY",
    "INDUSTRY",
    "TICKER",
    "CITY",
    "STATE",
    "COUNTRY",
    "DISTRIBUTION",
    "SERIES",
    "TYPE",
    "ACC-NO",
];

fn label(line: &str) -> Option<(&str, &str)> {
    let c = LABEL.captures(line)?;
    let name = c.get(1)?.as_str();
    (HEAD.contains(&name) || TAIL.contains(&name))
        .then(|| (name, c.get(2).map_or("", |m| m.as_str())))
}

pub fn split(text: &str) -> Option<BatchFile> {
    // Every mark reads "n of m DOCUMENTS": a text without the word is no batch (a look
    // for one word, where the lines and a pattern per line took 1.4% of an import).
    if !text.contains("DOCUMENT") {
        return None;
    }
    let lines = lines_with_offsets(text);
    let marks: Vec<(usize, usize, usize, usize)> = lines
        .iter()
        .filter_map(|&(off, line)| {
            let c = DOC.captures(line)?;
            Some((
                off,
                off + line.len(),
                c[1].parse().ok()?,
                c[2].parse().ok()?,
            ))
        })
        .collect();
    if marks.is_empty() || !lines.iter().any(|(_, l)| label(l).is_some()) {
        return None;
    }
    let total = marks.iter().map(|m| m.3).max().unwrap_or(marks.len());
    let articles = marks
        .iter()
        .enumerate()
        .map(|(i, &(_, after, number, _))| {
            let end = marks.get(i + 1).map_or(text.len(), |m| m.0);
            Ok(BatchArticle {
                number,
                text: slice_trimmed(text, after, end),
            })
        })
        .collect();
    Some(BatchFile {
        database: Database::LexisNexis,
        total,
        articles,
    })
}

/// A single stored article: at least two of the usual labels.
pub fn looks_like(text: &str) -> bool {
    // Two of these labels, each opening a line after the first. One pass over the line ends
    // (every article imported is asked this, twice: five searches of the whole text took 1% of
    // an import).
    const LABELS: [&[u8]; 5] = [
        b"LENGTH: ",
        b"LOAD-DATE: ",
        b"BYLINE: ",
        b"SECTION: ",
        b"LANGUAGE: ",
    ];
    let bytes = text.as_bytes();
    let mut found = [false; LABELS.len()];
    for end in memchr::memchr_iter(b'\n', bytes) {
        let line = &bytes[end + 1..];
        if let Some(i) = LABELS.iter().position(|l| line.starts_with(l)) {
            found[i] = true;
            if found.iter().filter(|f| **f).count() >= 2 {
                return true;
            }
        }
    }
    false
}

pub fn read(text: &str) -> Option<Fields> {
    let lines: Vec<&str> = text.lines().collect();
    let first_label = lines.iter().position(|l| label(l).is_some())?;
    let mut f = Fields::default();
    let mut block: Vec<String> = Vec::new();

    // Before the labels: publication, date, edition lines, then the headline.
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in &lines[..first_label] {
        if line.trim().is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    let date_at = blocks.iter().enumerate().find_map(|(b, lines)| {
        lines
            .iter()
            .position(|l| parse_date(l).is_some())
            .map(|i| (b, i))
    });
    let mut rest_from = 0;
    if let Some((b, i)) = date_at {
        let before: Vec<&str> = blocks[..b]
            .iter()
            .flatten()
            .chain(blocks[b][..i].iter())
            .copied()
            .collect();
        f.publication = some(&one_line(&before));
        f.published = parse_date(blocks[b][i]);
        let mut edition: Vec<&str> = blocks[b][i + 1..].to_vec();
        rest_from = b + 1;
        // Further centred blocks before the headline are edition lines too.
        while rest_from + 1 < blocks.len() && blocks[rest_from].iter().all(|l| centred(l)) {
            edition.extend(&blocks[rest_from]);
            rest_from += 1;
        }
        f.edition = some(&one_line(&edition));
    }
    for l in blocks[..rest_from].iter().flatten() {
        block.push(l.trim().to_string());
    }
    let headline: Vec<&str> = blocks[rest_from..].iter().flatten().copied().collect();
    f.headline = some(&one_line(&headline));

    // The labelled fields, each running to the next blank line.
    let mut i = first_label;
    let mut body_start = None;
    let mut body_end = lines.len();
    while i < lines.len() {
        let Some((name, value)) = label(lines[i]) else {
            if body_start.is_none() && !lines[i].trim().is_empty() {
                body_start = Some(i);
            }
            i += 1;
            continue;
        };
        if body_start.is_some() && !TAIL.contains(&name) {
            i += 1;
            continue;
        }
        if body_start.is_some() && body_end == lines.len() {
            body_end = i;
        }
        let mut value_lines = vec![value];
        block.push(lines[i].trim().to_string());
        let mut j = i + 1;
        while j < lines.len() && !lines[j].trim().is_empty() && label(lines[j]).is_none() {
            value_lines.push(lines[j]);
            block.push(lines[j].trim().to_string());
            j += 1;
        }
        let value = one_line(&value_lines);
        match name {
            "BYLINE" => f.byline = some(&value),
            "SECTION" => (f.section, f.page) = section_and_page(&value),
            "LENGTH" => f.length = some(&value),
            "DATELINE" => f.dateline = some(&value),
            "HIGHLIGHT" => f.highlight = some(&value),
            "LANGUAGE" => f.language = some(&value),
            "SUBJECT" => f.subjects = list_values(&value),
            "GEOGRAPHIC" | "CITY" | "STATE" | "COUNTRY" => f.places.extend(list_values(&value)),
            _ => {}
        }
        i = j;
    }
    if let Some(start) = body_start {
        let body: Vec<&str> = lines[start..body_end].to_vec();
        f.body = body.join("\n").trim().to_string();
        // The copyright block and anything else after the tail labels.
        for l in &lines[body_end..] {
            let l = l.trim();
            if !l.is_empty() && !block.iter().any(|b| b == l) {
                block.push(l.to_string());
            }
        }
    }
    f.block = block;
    Some(f)
}

fn centred(line: &str) -> bool {
    line.len() - line.trim_start().len() >= 3
}
