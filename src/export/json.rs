//! JSON with everything Clipfile knows of a clipping; highlights as W3C Web Annotations.

use serde_json::{Map, Value, json};

use super::{ExportItem, ordered_highlights};
use crate::model::{ArticleMetadata, Clipping, Field, Highlight};

/// The version of the JSON export's shape.
pub const JSON_EXPORT_VERSION: u32 = 1;

/// The JSON-LD context of W3C Web Annotations.
pub const ANNOTATION_CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

pub(super) fn render(items: &[ExportItem<'_>]) -> String {
    let clippings: Vec<Value> = items.iter().map(clipping_json).collect();
    let doc = json!({
        "generator": "Clipfile",
        "format": "clipfile-export",
        "version": JSON_EXPORT_VERSION,
        "clippings": clippings,
    });
    format!("{doc:#}\n")
}

fn clipping_json(item: &ExportItem<'_>) -> Value {
    let c = item.clipping;
    let (placed, orphans) = ordered_highlights(c);
    let annotations: Vec<Value> = placed
        .into_iter()
        .chain(orphans)
        .map(|h| annotation(c, h))
        .collect();
    let overrides: Map<String, Value> = c
        .overrides
        .fields
        .iter()
        .map(|(field, value)| (field_key(*field).to_string(), json!(value)))
        .collect();
    let mut obj = json!({
        "id": c.id,
        "source": c.source_name,
        "encoding": c.encoding,
        "imported": c.imported,
        "parser_version": c.parser_version,
        "title": c.title(),
        "metadata": effective_metadata_json(&c.metadata()),
        "parsed": metadata_json(&c.parsed),
        "overrides": overrides,
        "tags": c.tags,
        "notes": c.notes,
        "highlights": annotations,
    });
    if let (Some(text), Value::Object(map)) = (item.text, &mut obj) {
        // `text` is the reading text the position selectors count in (code points); the file
        // as imported is `raw_text`.
        let reading = crate::anchor::reading_text(&crate::parse::parse_article(text));
        map.insert("text".into(), json!(reading));
        map.insert("raw_text".into(), json!(text));
    }
    super::quotes::insert_json(item, &mut obj);
    obj
}

/// The JSON key of an editable field, as in the metadata object.
fn field_key(field: Field) -> &'static str {
    match field {
        Field::Headline => "headline",
        Field::Deck => "deck",
        Field::Dateline => "dateline",
        Field::DatelineSource => "dateline_source",
        Field::Section => "section",
        Field::Published => "published",
        Field::Publication => "publication",
    }
}

/// The metadata with the reader's corrections applied. Without `sources`: a corrected field did
/// not come from the text, so its source range would mislead (the `parsed` object keeps them,
/// as character ranges of `raw_text`).
fn effective_metadata_json(meta: &ArticleMetadata) -> Value {
    let mut value = metadata_json(meta);
    if let Value::Object(map) = &mut value {
        map.remove("sources");
    }
    value
}

fn metadata_json(meta: &ArticleMetadata) -> Value {
    // The model's own serde shape; it has only strings, lists and numbers, so this cannot fail.
    serde_json::to_value(meta).unwrap_or(Value::Null)
}

/// A highlight as a W3C Web Annotation. The comment is a commenting body, each tag a tagging
/// body; the target is the clipping with a quote selector and (unless the highlight is an
/// orphan, whose offsets are stale) a position selector. The color is `clipfile:color`.
pub(super) fn annotation(c: &Clipping, h: &Highlight) -> Value {
    let mut body = Vec::new();
    if !h.comment.is_empty() {
        body.push(json!({
            "type": "TextualBody",
            "value": h.comment,
            "purpose": "commenting",
            "format": "text/plain",
        }));
    }
    for tag in &h.tags {
        body.push(json!({"type": "TextualBody", "value": tag, "purpose": "tagging"}));
    }
    let mut selector = vec![json!({
        "type": "TextQuoteSelector",
        "exact": h.quote,
        "prefix": h.prefix,
        "suffix": h.suffix,
    })];
    if !h.orphan {
        selector.push(json!({"type": "TextPositionSelector", "start": h.start, "end": h.end}));
    }
    let mut anno = Map::new();
    anno.insert("@context".into(), json!(ANNOTATION_CONTEXT));
    anno.insert("type".into(), json!("Annotation"));
    anno.insert(
        "id".into(),
        json!(format!(
            "clipfile:{}/highlights/{}",
            c.id,
            iri_segment(&h.id)
        )),
    );
    anno.insert("motivation".into(), json!("highlighting"));
    anno.insert("created".into(), json!(h.created));
    if !body.is_empty() {
        anno.insert("body".into(), Value::Array(body));
    }
    anno.insert(
        "target".into(),
        json!({"source": format!("clipfile:{}", c.id), "selector": selector}),
    );
    anno.insert("clipfile:color".into(), json!(h.color.name()));
    if h.orphan {
        anno.insert("clipfile:orphan".into(), json!(true));
    }
    if !h.anchor_state.is_exact() {
        anno.insert("clipfile:anchor".into(), json!(h.anchor_state.name()));
    }
    if !h.original_quote.is_empty() {
        anno.insert("clipfile:originalQuote".into(), json!(h.original_quote));
    }
    Value::Object(anno)
}

/// Percent-encode everything but RFC 3986 unreserved characters, for an IRI path segment.
fn iri_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
