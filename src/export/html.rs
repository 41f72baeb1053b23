//! One self-contained printable HTML page: inline CSS, no scripts, no external resources, every
//! piece of article and reader text escaped.

use std::fmt::Write as _;

use super::{ExportItem, ordered_highlights};
use crate::model::{Credit, Highlight};

const STYLE: &str = "\
:root { color-scheme: light; }
body { font: 16px/1.5 Georgia, 'Times New Roman', serif; color: #111; background: #fff; max-width: 42em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.8em; line-height: 1.2; margin: 0 0 .3em; }
h2 { font-size: 1.2em; margin: 1.6em 0 .5em; border-bottom: 1px solid #ccc; }
.deck { font-size: 1.15em; font-style: italic; margin: 0 0 1em; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; font: .85em/1.4 system-ui, sans-serif; color: #333; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
dl.meta ul { margin: 0; padding-left: 1.2em; }
.tag { display: inline-block; border: 1px solid #999; border-radius: 3px; padding: 0 .3em; margin: 0 .2em .2em 0; }
.notes, .comment, blockquote { overflow-wrap: anywhere; }
blockquote { white-space: pre-wrap; }
figure.highlight { margin: 1em 0; padding: .5em .8em; border-left: 6px solid #999; break-inside: avoid; }
figure.highlight blockquote { margin: 0; }
figure.highlight figcaption { font: .8em/1.4 system-ui, sans-serif; color: #333; margin-top: .4em; }
.comment { font: .95em/1.4 system-ui, sans-serif; margin: .4em 0 0; }
.hl-yellow { background: #fff6b3; border-color: #d4b200; }
.hl-green { background: #dcf5d3; border-color: #43a047; }
.hl-blue { background: #d8e8ff; border-color: #3b78e7; }
.hl-pink { background: #ffdcee; border-color: #d81b78; }
.orphans figure.highlight { border-left-style: dashed; }
article + article { break-before: page; margin-top: 3em; }
@media print { body { margin: 0; max-width: none; } * { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
";

pub(super) fn render(items: &[ExportItem<'_>]) -> String {
    let title = match items {
        [one] => one.clipping.title().to_string(),
        _ => format!("Clippings ({})", items.len()),
    };
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"generator\" content=\"Clipfile\">\n");
    let _ = writeln!(out, "<title>{}</title>", esc(&title));
    let _ = writeln!(out, "<style>\n{STYLE}</style>\n</head>\n<body>");
    for item in items {
        article(&mut out, item);
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn article(out: &mut String, item: &ExportItem<'_>) {
    let c = item.clipping;
    let meta = c.metadata();
    let _ = writeln!(out, "<article class=\"clipping\" id=\"c-{}\">", esc(&c.id));
    let _ = writeln!(out, "<h1>{}</h1>", esc(c.title()));
    if let Some(deck) = &meta.deck {
        let _ = writeln!(out, "<p class=\"deck\">{}</p>", esc(deck));
    }
    out.push_str("<dl class=\"meta\">\n");
    let mut row = |label: &str, value_html: String| {
        let _ = writeln!(out, "<dt>{label}</dt><dd>{value_html}</dd>");
    };
    for (label, value) in [
        ("Publication", &meta.publication),
        ("Dateline", &meta.dateline),
        ("Wire", &meta.dateline_source),
        ("Section", &meta.section),
        ("Published", &meta.published),
    ] {
        if let Some(v) = value {
            row(label, esc(v));
        }
    }
    if !meta.authors.is_empty() {
        row("By", esc(&meta.authors.join(", ")));
    }
    if !meta.organizations.is_empty() {
        row("Organizations", esc(&meta.organizations.join(", ")));
    }
    if !meta.contributors.is_empty() {
        let list: String = meta
            .contributors
            .iter()
            .map(|credit| format!("<li>{}</li>", credit_html(credit)))
            .collect();
        row("Credits", format!("<ul>{list}</ul>"));
    }
    if !c.tags.is_empty() {
        row("Tags", tags_html(&c.tags));
    }
    row("Source", esc(&c.source_name));
    row("Imported", esc(&c.imported));
    row("Id", format!("<code>{}</code>", esc(&c.id)));
    out.push_str("</dl>\n");

    if !c.notes.trim().is_empty() {
        let _ = writeln!(
            out,
            "<section class=\"notes-section\">\n<h2>Notes</h2>\n<div class=\"notes\">{}</div>\n</section>",
            markdown_html(c.notes.trim_end())
        );
    }
    let (placed, orphans) = ordered_highlights(c);
    if !placed.is_empty() {
        out.push_str("<section class=\"highlights\">\n<h2>Highlights</h2>\n");
        for hl in placed {
            highlight(out, hl);
        }
        out.push_str("</section>\n");
    }
    if !orphans.is_empty() {
        out.push_str("<section class=\"orphans\">\n<h2>Orphaned highlights</h2>\n");
        out.push_str("<p>These passages are no longer found in the text.</p>\n");
        for hl in orphans {
            highlight(out, hl);
        }
        out.push_str("</section>\n");
    }
    if let Some(text) = item.text {
        // The reading text as the reader shows it: captions once, then the body paragraphs.
        let parsed = crate::parse::parse_article(text);
        out.push_str("<section class=\"text\">\n<h2>Text</h2>\n");
        for caption in &parsed.captions {
            let _ = writeln!(out, "<p class=\"caption\"><i>{}</i></p>", esc(caption));
        }
        for para in parsed
            .paragraphs
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
        {
            let _ = writeln!(out, "<p>{}</p>", esc(para));
        }
        out.push_str("</section>\n");
    }
    out.push_str("</article>\n");
}

fn highlight(out: &mut String, hl: &Highlight) {
    let color = hl.color.name();
    let _ = writeln!(
        out,
        "<figure class=\"highlight hl-{color}\" id=\"h-{}\">",
        esc(&hl.id)
    );
    let _ = writeln!(out, "<blockquote>{}</blockquote>", esc(&hl.quote));
    let mut caption = format!("Color: {color}");
    if !hl.tags.is_empty() {
        let _ = write!(caption, " · Tags: {}", tags_html(&hl.tags));
    }
    let _ = writeln!(out, "<figcaption>{caption}</figcaption>");
    if !hl.comment.trim().is_empty() {
        let _ = writeln!(
            out,
            "<div class=\"comment\">{}</div>",
            markdown_html(hl.comment.trim_end())
        );
    }
    out.push_str("</figure>\n");
}

/// Reader-written Markdown (notes, comments) as HTML, CommonMark by pulldown-cmark. Raw HTML in
/// it is shown as text, never passed through.
fn markdown_html(md: &str) -> String {
    use pulldown_cmark::{Event, Parser, html};
    let events = Parser::new(md).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

fn credit_html(credit: &Credit) -> String {
    let mut s = esc(&credit.name);
    if let Some(org) = &credit.organization {
        let _ = write!(s, " ({})", esc(org));
    }
    let _ = write!(s, " — {}", esc(credit.role.as_str()));
    if let Some(place) = &credit.location {
        let _ = write!(s, ", {}", esc(place));
    }
    s
}

fn tags_html(tags: &[String]) -> String {
    tags.iter()
        .map(|t| format!("<span class=\"tag\">{}</span>", esc(t)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text as HTML: `& < > " '` escaped (so it is safe in text and in quoted attributes), and
/// control characters HTML does not allow replaced by U+FFFD.
pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' => out.push(c),
            '\r' => {}
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_all_five() {
        assert_eq!(
            esc(r#"<a href="x" title='y'>&</a>"#),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(esc("a\u{0}b"), "a\u{FFFD}b");
    }
}
