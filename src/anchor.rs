//! Where a highlight sits in a clipping's reading text: the W3C Web Annotation selectors (the
//! exact quote with 32 characters of context either side, and character offsets), and
//! re-anchoring by quote and context when the text changed. A highlight is never dropped: one
//! whose quote is gone is kept as an orphan.

use crate::model::{ArticleMetadata, Highlight, HighlightColor};

/// Characters of context stored before and after a quote.
pub const CONTEXT_CHARS: usize = 32;

/// The text highlights are anchored in: the body paragraphs as the reader shows them.
pub fn reading_text(meta: &ArticleMetadata) -> String {
    meta.paragraphs.join("\n\n")
}

/// Byte offset of character `char_idx` in `s` (the length when past the end).
fn byte_at(s: &str, char_idx: usize) -> usize {
    s.char_indices().nth(char_idx).map_or(s.len(), |(b, _)| b)
}

/// The characters `start..end` of `doc`, or None when out of range.
pub fn slice_chars(doc: &str, start: usize, end: usize) -> Option<&str> {
    if start >= end {
        return None;
    }
    let mut indices = doc
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(doc.len()));
    let from = indices.nth(start)?;
    let to = indices.nth(end - start - 1)?;
    doc.get(from..to)
}

/// Quote, prefix and suffix for the characters `start..end` of `doc`.
pub fn selectors(doc: &str, start: usize, end: usize) -> Option<(String, String, String)> {
    let quote = slice_chars(doc, start, end)?;
    let prefix_start = start.saturating_sub(CONTEXT_CHARS);
    let prefix = &doc[byte_at(doc, prefix_start)..byte_at(doc, start)];
    let suffix_from = byte_at(doc, end);
    let suffix_to = byte_at(doc, end + CONTEXT_CHARS);
    Some((
        quote.to_string(),
        prefix.to_string(),
        doc[suffix_from..suffix_to].to_string(),
    ))
}

/// A new highlight over the characters `start..end` of `doc` (white space trimmed off its ends).
pub fn new_highlight(
    doc: &str,
    start: usize,
    end: usize,
    color: HighlightColor,
    id: String,
    created: String,
) -> Option<Highlight> {
    let raw = slice_chars(doc, start, end)?;
    let lead = raw.chars().take_while(|c| c.is_whitespace()).count();
    let trail = raw.chars().rev().take_while(|c| c.is_whitespace()).count();
    let (start, end) = (start + lead, end.checked_sub(trail)?);
    let (quote, prefix, suffix) = selectors(doc, start, end)?;
    Some(Highlight {
        id,
        quote,
        prefix,
        suffix,
        start,
        end,
        color,
        comment: String::new(),
        tags: Vec::new(),
        created,
        orphan: false,
        copied_from: None,
    })
}

/// Where a highlight's quote is found in a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// At its stored offsets.
    Exact { start: usize, end: usize },
    /// Elsewhere: found by its quote and context.
    Moved { start: usize, end: usize },
    /// The quote is not in the text any more.
    Orphan,
}

/// Every place `quote` occurs in `doc`, as character ranges.
pub fn occurrences(doc: &str, quote: &str) -> Vec<(usize, usize)> {
    if quote.is_empty() {
        return Vec::new();
    }
    let len = quote.chars().count();
    let mut out = Vec::new();
    let mut chars_before = 0;
    let mut last_byte = 0;
    for (byte, _) in doc.match_indices(quote) {
        chars_before += doc[last_byte..byte].chars().count();
        last_byte = byte;
        out.push((chars_before, chars_before + len));
    }
    out
}

fn common_suffix(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// Find a highlight in `doc`: at its offsets if the quote is still there, else the occurrence of
/// the quote whose surrounding text best matches the stored context (nearest the old offset on a
/// tie), else nowhere.
pub fn locate(doc: &str, h: &Highlight) -> Anchor {
    if slice_chars(doc, h.start, h.end) == Some(h.quote.as_str()) {
        return Anchor::Exact {
            start: h.start,
            end: h.end,
        };
    }
    let best = occurrences(doc, &h.quote)
        .into_iter()
        .max_by_key(|&(start, end)| {
            let before =
                &doc[byte_at(doc, start.saturating_sub(CONTEXT_CHARS))..byte_at(doc, start)];
            let after = &doc[byte_at(doc, end)..byte_at(doc, end + CONTEXT_CHARS)];
            let context = common_suffix(before, &h.prefix) + common_prefix(after, &h.suffix);
            (context, std::cmp::Reverse(start.abs_diff(h.start)))
        });
    match best {
        Some((start, end)) => Anchor::Moved { start, end },
        None => Anchor::Orphan,
    }
}

/// Re-anchor every highlight in `doc`; returns true when any changed. Moved highlights get their
/// new offsets and context; highlights whose quote is gone become orphans (kept, never dropped);
/// an orphan whose quote is back is anchored again.
pub fn reanchor(doc: &str, highlights: &mut [Highlight]) -> bool {
    let mut changed = false;
    for h in highlights.iter_mut() {
        match locate(doc, h) {
            Anchor::Exact { .. } if !h.orphan => {}
            Anchor::Exact { start, end } | Anchor::Moved { start, end } => {
                if let Some((quote, prefix, suffix)) = selectors(doc, start, end) {
                    h.quote = quote;
                    h.prefix = prefix;
                    h.suffix = suffix;
                    h.start = start;
                    h.end = end;
                    h.orphan = false;
                    changed = true;
                }
            }
            Anchor::Orphan => {
                changed |= !h.orphan;
                h.orphan = true;
            }
        }
    }
    highlights.sort_by_key(|h| (h.orphan, h.start, h.end));
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "The presidents of France and Russia agreed Thursday to tighten cooperation in the fight against the Islamic State group.\n\nBut the two countries remained at odds over their approach toward Syrian President Bashar Assad.";

    fn highlight(doc: &str, quote: &str, nth: usize) -> Highlight {
        let (start, end) = occurrences(doc, quote)[nth];
        new_highlight(
            doc,
            start,
            end,
            HighlightColor::Green,
            "h1".into(),
            "t".into(),
        )
        .expect("highlight")
    }

    #[test]
    fn selectors_store_quote_context_and_offsets() {
        let h = highlight(DOC, "tighten cooperation", 0);
        assert_eq!(h.quote, "tighten cooperation");
        assert_eq!(
            h.prefix,
            "France and Russia agreed Thursday to "
                .chars()
                .rev()
                .take(32)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect::<String>()
        );
        assert_eq!(h.suffix.chars().count(), 32);
        assert!(h.suffix.starts_with(" in the fight"));
        assert_eq!(
            slice_chars(DOC, h.start, h.end),
            Some("tighten cooperation")
        );
    }

    #[test]
    fn exact_when_unchanged() {
        let h = highlight(DOC, "Islamic State", 0);
        assert_eq!(
            locate(DOC, &h),
            Anchor::Exact {
                start: h.start,
                end: h.end
            }
        );
    }

    #[test]
    fn text_inserted_before_moves_the_anchor() {
        let h = highlight(DOC, "Syrian President Bashar Assad", 0);
        let edited = format!("MOSCOW — An added first paragraph. é ü.\n\n{DOC}");
        let Anchor::Moved { start, end } = locate(&edited, &h) else {
            panic!("not moved");
        };
        assert_eq!(
            slice_chars(&edited, start, end),
            Some("Syrian President Bashar Assad")
        );
        let mut hs = vec![h];
        assert!(reanchor(&edited, &mut hs));
        assert_eq!(hs[0].start, start);
        assert!(!hs[0].orphan);
    }

    #[test]
    fn changed_context_still_finds_a_unique_quote() {
        let h = highlight(DOC, "tighten cooperation", 0);
        let edited = DOC.replace("agreed Thursday to", "said on Friday they would");
        let Anchor::Moved { start, end } = locate(&edited, &h) else {
            panic!("not moved");
        };
        assert_eq!(
            slice_chars(&edited, start, end),
            Some("tighten cooperation")
        );
    }

    #[test]
    fn context_picks_the_right_one_of_two_occurrences() {
        let doc = "Putin said the talks went well. Later, in Paris, Hollande said the talks went well too.";
        let second = highlight(doc, "said the talks went well", 1);
        let first = highlight(doc, "said the talks went well", 0);
        // Shift everything so the offsets no longer match.
        let edited = format!("Update: {doc}");
        let Anchor::Moved { start, .. } = locate(&edited, &second) else {
            panic!("not moved");
        };
        assert_eq!(start, second.start + "Update: ".len());
        let Anchor::Moved { start, .. } = locate(&edited, &first) else {
            panic!("not moved");
        };
        assert_eq!(start, first.start + "Update: ".len());
    }

    #[test]
    fn a_gone_quote_makes_an_orphan_that_is_kept() {
        let h = highlight(DOC, "Bashar Assad", 0);
        let edited = DOC.replace("Bashar Assad", "the Syrian leader");
        assert_eq!(locate(&edited, &h), Anchor::Orphan);
        let mut hs = vec![h.clone()];
        assert!(reanchor(&edited, &mut hs));
        assert_eq!(hs.len(), 1);
        assert!(hs[0].orphan);
        assert_eq!(hs[0].quote, "Bashar Assad");
        // Back in the text: anchored again.
        assert!(reanchor(DOC, &mut hs));
        assert!(!hs[0].orphan);
        assert_eq!(hs[0].start, h.start);
    }

    #[test]
    fn selection_white_space_is_trimmed_and_unicode_offsets_are_chars() {
        let doc = "Zürich — «quoted» text here";
        let (s, e) = occurrences(doc, " «quoted» ")[0];
        let h = new_highlight(doc, s, e, HighlightColor::Pink, "x".into(), "t".into()).expect("h");
        assert_eq!(h.quote, "«quoted»");
        assert_eq!(h.start, 9);
        assert_eq!(h.prefix, "Zürich — ");
        assert!(new_highlight(doc, 3, 3, HighlightColor::Pink, "x".into(), "t".into()).is_none());
        assert!(new_highlight(doc, 3, 300, HighlightColor::Pink, "x".into(), "t".into()).is_none());
    }
}
