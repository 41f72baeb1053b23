//! Markdown for Obsidian and Logseq: YAML front matter, the notes, then the highlights as
//! blockquotes in text order with their color, tags and comments; orphans last.

use std::fmt::Write as _;

use super::{ExportItem, ordered_highlights, tag_word};
use crate::model::{Clipping, Highlight};

pub(super) fn render(items: &[ExportItem<'_>]) -> String {
    let mut out = match items {
        [one] => document(one),
        _ => {
            // Several clippings in one file: front matter belongs to a file, so each clipping's
            // metadata goes into a fenced YAML block under its heading instead.
            let mut out = String::new();
            for item in items {
                let c = item.clipping;
                let _ = writeln!(out, "# {}\n", inline(c.title()));
                out.push_str("```yaml\n");
                out.push_str(&front_matter(c));
                out.push_str("```\n\n");
                body(&mut out, item, "##");
            }
            out
        }
    };
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// One clipping as a file: front matter, title, deck, notes, highlights.
fn document(item: &ExportItem<'_>) -> String {
    let c = item.clipping;
    let mut out = String::from("---\n");
    out.push_str(&front_matter(c));
    out.push_str("---\n\n");
    let _ = writeln!(out, "# {}\n", inline(c.title()));
    body(&mut out, item, "##");
    out.truncate(out.trim_end().len());
    let _ = write!(out, "\n\n{}\n", super::names::KEEP_BELOW);
    out
}

fn body(out: &mut String, item: &ExportItem<'_>, h: &str) {
    let c = item.clipping;
    let meta = c.metadata();
    if let Some(deck) = meta.deck.as_deref() {
        let _ = writeln!(out, "*{}*\n", inline(deck));
    }
    if !meta.contributors.is_empty() {
        let _ = writeln!(out, "{h} Credits\n");
        for credit in &meta.contributors {
            let mut line = inline(&credit.name);
            if let Some(org) = &credit.organization {
                let _ = write!(line, " ({})", inline(org));
            }
            let _ = write!(line, " — {}", credit.role.as_str());
            if let Some(place) = &credit.location {
                let _ = write!(line, ", {}", inline(place));
            }
            let _ = writeln!(out, "- {line}");
        }
        out.push('\n');
    }
    let notes = c.notes.trim_end();
    if !notes.trim().is_empty() {
        // The notes may hold Markdown, kept inside one block quote so they cannot end the
        // section or make headings of the document.
        let _ = writeln!(out, "{h} Notes\n");
        quoted(out, notes);
        out.push('\n');
    }
    let (placed, orphans) = ordered_highlights(c);
    if !placed.is_empty() {
        let _ = writeln!(out, "{h} Highlights\n");
        for hl in placed {
            highlight(out, hl);
        }
    }
    if !orphans.is_empty() {
        let _ = writeln!(
            out,
            "{h} Orphaned highlights\n\n*These passages are no longer found in the text.*\n"
        );
        for hl in orphans {
            highlight(out, hl);
        }
    }
    if let Some(text) = item.text {
        let _ = writeln!(out, "{h} Text\n");
        for para in paragraphs(text) {
            let _ = writeln!(out, "{}\n", block(&para));
        }
    }
    super::quotes::markdown(out, item, h);
}

/// Markdown written by the reader, every line inside a block quote and raw HTML escaped: it
/// renders as Markdown but cannot break out of its block.
fn quoted(out: &mut String, md: &str) {
    for line in md.lines() {
        let line = line.trim_end().replace('&', "&amp;").replace('<', "&lt;");
        if line.is_empty() {
            out.push_str(">\n");
        } else {
            let _ = writeln!(out, "> {line}");
        }
    }
}

fn highlight(out: &mut String, hl: &Highlight) {
    for line in block(&hl.quote).lines() {
        if line.is_empty() {
            out.push_str(">\n");
        } else {
            let _ = writeln!(out, "> {line}");
        }
    }
    // The comment belongs to the highlight: inside its block quote, after an empty line of it.
    let comment = hl.comment.trim_end();
    if !comment.trim().is_empty() {
        out.push_str(">\n");
        quoted(out, comment);
    }
    out.push('\n');
    let _ = write!(out, "Color: {}", hl.color.name());
    let tags: Vec<String> = hl
        .tags
        .iter()
        .map(|t| tag_word(t))
        .filter(|t| !t.is_empty())
        .map(|t| format!("#{t}"))
        .collect();
    if !tags.is_empty() {
        let _ = write!(out, " · Tags: {}", tags.join(" "));
    }
    out.push_str("\n\n");
}

/// The paragraphs of a text: blocks separated by blank lines, inner line breaks kept.
fn paragraphs(text: &str) -> Vec<String> {
    let mut paras = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                paras.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line.trim_end());
        }
    }
    if !current.is_empty() {
        paras.push(current.join("\n"));
    }
    paras
}

/// YAML front matter lines (without the `---` fences). Every string is double-quoted.
pub(super) fn front_matter(c: &Clipping) -> String {
    let meta = c.metadata();
    let mut y = String::new();
    let scalar = |y: &mut String, key: &str, value: Option<&str>| {
        if let Some(v) = value {
            let _ = writeln!(y, "{key}: {}", yaml_str(v));
        }
    };
    let list = |y: &mut String, key: &str, values: &[String]| {
        if values.is_empty() {
            return;
        }
        let _ = writeln!(y, "{key}:");
        for v in values {
            let _ = writeln!(y, "  - {}", yaml_str(v));
        }
    };
    scalar(&mut y, "title", Some(c.title()));
    scalar(&mut y, "deck", meta.deck.as_deref());
    scalar(&mut y, "dateline", meta.dateline.as_deref());
    scalar(&mut y, "wire", meta.dateline_source.as_deref());
    scalar(&mut y, "section", meta.section.as_deref());
    scalar(&mut y, "published", meta.published.as_deref());
    list(&mut y, "authors", &meta.authors);
    list(&mut y, "organizations", &meta.organizations);
    scalar(&mut y, "publication", meta.publication.as_deref());
    // Obsidian's properties show a list of strings, not nested maps: "Name (Organization)"
    // here, the full credits (roles, places) in the body.
    let contributors: Vec<String> = meta
        .contributors
        .iter()
        .map(|credit| match &credit.organization {
            Some(org) => format!("{} ({org})", credit.name),
            None => credit.name.clone(),
        })
        .collect();
    list(&mut y, "contributors", &contributors);
    let tags: Vec<String> = c
        .tags
        .iter()
        .map(|t| obsidian_tag(t))
        .filter(|t| !t.is_empty())
        .collect();
    if tags.is_empty() {
        y.push_str("tags: []\n");
    } else {
        list(&mut y, "tags", &tags);
        // The mapping, reported once in the file it applies to.
        for (from, to) in c.tags.iter().zip(c.tags.iter().map(|t| obsidian_tag(t))) {
            if *from != to {
                let _ = writeln!(
                    y,
                    "# tag {} is written {} (Obsidian's tag rules)",
                    yaml_str(from),
                    yaml_str(&to)
                );
            }
        }
    }
    scalar(&mut y, "id", Some(&c.id));
    scalar(&mut y, "source", Some(&c.source_name));
    scalar(&mut y, "imported", Some(&c.imported));
    let _ = writeln!(y, "highlights: {}", c.highlights.len());
    y
}

/// A tag as Obsidian accepts it, the same tag always the same way: no leading `#`, letters,
/// digits, `_`, `-` and `/` only (anything else, spaces and `&` included, becomes `-`), no empty
/// nesting levels, and never all digits (a `_` is put in front).
pub fn obsidian_tag(tag: &str) -> String {
    let word = tag_word(tag.trim().trim_start_matches('#'));
    let word = word
        .split('/')
        .map(|part| part.trim_matches('-'))
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("/");
    if !word.is_empty() && word.chars().all(|c| c.is_ascii_digit() || c == '/') {
        format!("_{word}")
    } else {
        word
    }
}

/// A YAML double-quoted scalar: `\` and `"` escaped, line breaks, tabs and every other control
/// or special character (NEL, LS, PS, BOM) written as an escape, so the value stays on one line
/// and reads back exactly.
pub(super) fn yaml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if c.is_control()
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'
                ) =>
            {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Article text on one line (titles, decks), Markdown-escaped; line breaks become spaces.
fn inline(s: &str) -> String {
    block(&s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Article text escaped so Markdown (and Obsidian's extensions: tags, highlights, math,
/// comments, wiki links) shows it literally. Line breaks are kept.
fn block(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for (n, line) in s.lines().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        // Leading white space is dropped: four spaces would make a code block.
        let body = line.trim();
        let start = out.len();
        for c in body.chars() {
            if matches!(
                c,
                '\\' | '`'
                    | '*'
                    | '_'
                    | '['
                    | ']'
                    | '<'
                    | '>'
                    | '#'
                    | '|'
                    | '~'
                    | '='
                    | '$'
                    | '%'
                    | '&'
                    | '^'
            ) {
                out.push('\\');
            }
            out.push(c);
        }
        let written = &out[start..];
        // Line starts that would make a list item, a rule or a heading underline.
        let list_marker = written.starts_with(['-', '+']);
        let digits = written.bytes().take_while(u8::is_ascii_digit).count();
        if list_marker {
            out.insert(start, '\\');
        } else if digits > 0 && matches!(written.as_bytes().get(digits), Some(b'.' | b')')) {
            out.insert(start + digits, '\\');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_escapes() {
        assert_eq!(yaml_str(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(yaml_str("x\ny\u{2028}"), r#""x\ny\u2028""#);
    }

    #[test]
    fn markdown_escapes() {
        assert_eq!(block("- item"), "\\- item");
        assert_eq!(block("2015. year"), "2015\\. year");
        assert_eq!(
            block("#tag *b* [[x]] $5"),
            "\\#tag \\*b\\* \\[\\[x\\]\\] \\$5"
        );
        assert_eq!(block("U.S.-led"), "U.S.-led");
    }

    #[test]
    fn obsidian_tags_follow_its_rules() {
        assert_eq!(obsidian_tag("#russia"), "russia");
        assert_eq!(obsidian_tag("syria & iraq"), "syria-iraq");
        assert_eq!(obsidian_tag("to read"), "to-read");
        assert_eq!(obsidian_tag("2015"), "_2015");
        assert_eq!(obsidian_tag("russia/syria"), "russia/syria");
        assert_eq!(obsidian_tag("a//b/"), "a/b");
        assert_eq!(obsidian_tag("Élysée"), "Élysée");
        assert_eq!(obsidian_tag(obsidian_tag("x y").as_str()), "x-y");
    }
}
