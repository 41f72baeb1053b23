//! Nexis Uni documents (DOCX, or the same paragraphs as text): per document the title, the
//! publication, the date line, edition lines, `Copyright …`, then `Section:`, `Length:`,
//! `Byline:`, `Dateline:`, `Highlight:`, `Body`, the body paragraphs, `Classification`
//! (`Language:`, `Publication-Type:`, `Subject:`, `Geographic:` …), `Load-Date:` and
//! `End of Document`.

use std::sync::LazyLock;

use regex::Regex;

use super::{
    BatchArticle, BatchFile, Fields, lines_with_offsets, list_values, one_line, parse_date,
    section_and_page, slice_trimmed, some,
};
use crate::model::Database;

const END: &str = "End of Document";

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(Section|Length|Byline|Dateline|Highlight|Load-Date|Language|Publication-Type|Subject|Geographic|Industry|Organization|Person|Company|Ticker|Graphic|Notes|Correction|Correction-Date|Journal-Code|URL|Document-Type|Series|Source|City|State|Country):\s*(.*)$",
    )
    .expect("regex")
});

fn label(line: &str) -> Option<(&str, &str)> {
    let c = LABEL.captures(line.trim())?;
    Some((c.get(1)?.as_str(), c.get(2).map_or("", |m| m.as_str())))
}

fn is_end(line: &str) -> bool {
    line.trim() == END
}

pub fn split(text: &str) -> Option<BatchFile> {
    if !text.contains(END) {
        return None;
    }
    let lines = lines_with_offsets(text);
    if !lines.iter().any(|(_, l)| is_end(l)) || !lines.iter().any(|(_, l)| l.trim() == "Body") {
        return None;
    }
    let mut articles = Vec::new();
    let mut chunk_start = 0;
    for (idx, &(off, line)) in lines.iter().enumerate() {
        if !is_end(line) {
            continue;
        }
        let number = articles.len() + 1;
        let chunk: Vec<(usize, &str)> = lines[chunk_start..idx]
            .iter()
            .filter(|(_, l)| !l.trim().is_empty())
            .copied()
            .collect();
        chunk_start = idx + 1;
        // The document starts two lines (title, publication) above its own date line: the
        // date line nearest above the first label. Anything earlier is the download's cover.
        let first_label = chunk
            .iter()
            .position(|(_, l)| label(l).is_some() || l.trim() == "Body")
            .unwrap_or(chunk.len());
        let date = chunk[..first_label]
            .iter()
            .rposition(|(_, l)| parse_date(l).is_some());
        let start = match date {
            Some(d) => chunk[..d]
                .iter()
                .rposition(|(_, l)| l.trim_start().starts_with("Copyright"))
                .map_or(d.saturating_sub(2), |c| c + 1)
                .max(d.saturating_sub(2)),
            None => 0,
        };
        let from = chunk.get(start).map_or(off, |c| c.0);
        articles.push(Ok(BatchArticle {
            number,
            text: slice_trimmed(text, from, off + line.len()),
        }));
    }
    let total = articles.len();
    Some(BatchFile {
        database: Database::NexisUni,
        total,
        articles,
    })
}

pub fn looks_like(text: &str) -> bool {
    text.trim_end().ends_with(END)
}

pub fn read(text: &str) -> Option<Fields> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let mut f = Fields::default();
    let first_label = lines
        .iter()
        .position(|l| label(l).is_some() || *l == "Body")?;
    let head = &lines[..first_label];
    let date = head.iter().position(|l| parse_date(l).is_some());
    let copyright = head
        .iter()
        .position(|l| l.starts_with("Copyright") || l.starts_with('©'));
    match date {
        Some(d) => {
            f.published = parse_date(head[d]);
            if d >= 2 {
                f.headline = some(&one_line(&head[..d - 1]));
                f.publication = some(head[d - 1]);
            } else if d == 1 {
                f.headline = some(head[0]);
            }
            let edition_end = copyright.filter(|&c| c > d).unwrap_or(head.len());
            f.edition = some(&one_line(&head[d + 1..edition_end]));
        }
        None => f.headline = head.first().and_then(|h| some(h)),
    }
    let mut block: Vec<String> = head.iter().map(|l| l.to_string()).collect();
    let mut body: Vec<&str> = Vec::new();
    let mut in_body = false;
    let mut i = first_label;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if line == "Body" && !in_body {
            in_body = true;
            block.push(line.to_string());
            continue;
        }
        if in_body {
            if line == "Classification" || is_end(line) || line.starts_with("Load-Date:") {
                in_body = false;
            } else {
                body.push(line);
                continue;
            }
        }
        block.push(line.to_string());
        let Some((name, value)) = label(line) else {
            continue;
        };
        let value = value.trim();
        match name {
            "Section" => (f.section, f.page) = section_and_page(value),
            "Length" => f.length = some(value),
            "Byline" => f.byline = some(value),
            "Dateline" => f.dateline = some(value),
            "Highlight" => f.highlight = some(value),
            "Language" => f.language = some(value),
            "Subject" => f.subjects = list_values(value),
            "Geographic" | "City" | "State" | "Country" => f.places.extend(list_values(value)),
            _ => {}
        }
    }
    f.body = body.join("\n\n");
    f.block = block;
    Some(f)
}
