//! The quotations of an exported clipping (see [`crate::quotes`]): a Quotes section in
//! Markdown, a `quotes` array in JSON. Only items that carry their text have them.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::ExportItem;
use crate::quotes::Quote;

/// The quotations of an item's text (none without a text), with ranges in its reading text.
fn quotes(item: &ExportItem<'_>) -> Vec<Quote> {
    item.text.map_or_else(Vec::new, |text| {
        crate::quotes::extract(&crate::parse::parse_article(text).paragraphs)
    })
}

/// Append a "Quotes" section (heading level `h`): each quotation as a blockquote line with its
/// speaker and title.
pub(super) fn markdown(out: &mut String, item: &ExportItem<'_>, h: &str) {
    let quotes = quotes(item);
    if quotes.is_empty() {
        return;
    }
    let _ = writeln!(out, "{h} Quotes\n");
    for q in &quotes {
        let who = match (&q.speaker, &q.title) {
            (Some(s), Some(t)) => format!("{s}, {t}"),
            (Some(s), None) => s.clone(),
            (None, _) => "speaker unknown".to_string(),
        };
        let text = q.text.split_whitespace().collect::<Vec<_>>().join(" ");
        let _ = writeln!(out, "> “{text}”\n>\n> — {who}\n");
    }
}

/// Add a `quotes` array to an item's JSON object: text, speaker, title, the character range in
/// the reading text, the paragraph and the attributing sentence.
pub(super) fn insert_json(item: &ExportItem<'_>, obj: &mut Value) {
    if item.text.is_none() {
        return;
    }
    let list: Vec<Value> = quotes(item)
        .iter()
        .map(|q| {
            json!({
                "text": q.text,
                "speaker": q.speaker,
                "title": q.title,
                "start": q.start,
                "end": q.end,
                "paragraph": q.paragraph,
                "sentence": q.sentence,
            })
        })
        .collect();
    if let Value::Object(map) = obj {
        map.insert("quotes".into(), Value::Array(list));
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ExportItem, Format, render};
    use crate::model::Clipping;

    fn clipping() -> Clipping {
        Clipping {
            format: 1,
            id: "q1".into(),
            source_name: "q.txt".into(),
            encoding: "utf-8".into(),
            imported: "2016-01-01T00:00:00Z".into(),
            parser_version: 1,
            parsed: Default::default(),
            overrides: Default::default(),
            tags: Vec::new(),
            notes: String::new(),
            highlights: Vec::new(),
            source: None,
        }
    }

    const TEXT: &str = "Dam opens\n\nMayor Lena Okafor cut the ribbon on Monday.\n\n\"It took nine years,\" Okafor said.\n";

    #[test]
    fn markdown_ends_with_the_quotes() {
        let c = clipping();
        let md = render(&[ExportItem::with_text(&c, TEXT)], Format::Markdown).expect("md");
        let at = md.find("## Quotes").expect("a Quotes section");
        assert!(md[at..].contains("> “It took nine years,”\n>\n> — Lena Okafor, Mayor"));
        // Without the text there is nothing to quote.
        let bare = render(&[ExportItem::new(&c)], Format::Markdown).expect("md");
        assert!(!bare.contains("## Quotes"));
    }

    #[test]
    fn json_has_a_quotes_array() {
        let c = clipping();
        let json = render(&[ExportItem::with_text(&c, TEXT)], Format::Json).expect("json");
        let v: serde_json::Value = serde_json::from_str(&json).expect("valid");
        let q = &v["clippings"][0]["quotes"][0];
        assert_eq!(q["text"], "It took nine years,");
        assert_eq!(q["speaker"], "Lena Okafor");
        assert_eq!(q["title"], "Mayor");
        assert_eq!(q["sentence"], "\"It took nine years,\" Okafor said.");
        let bare = render(&[ExportItem::new(&c)], Format::Json).expect("json");
        let v: serde_json::Value = serde_json::from_str(&bare).expect("valid");
        assert!(v["clippings"][0].get("quotes").is_none());
    }
}
