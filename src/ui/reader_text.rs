//! The reader's text layout, apart from any panel: the dateline as printed, search matches,
//! and highlights painted into a layout job.

use super::colors::{highlight_fill, highlight_text};
use crate::model::HighlightColor;

/// The body's font size.
pub const BODY_SIZE: f32 = 16.0;

/// The dateline as the text prints it ("MUMBAI, Jan 11 (Reuters) -"): from where the place
/// words start on their line up to the first words of the body's first paragraph. None when
/// the text does not hold it that way.
pub fn printed_dateline(raw: &str, place: &str, first_paragraph: &str) -> Option<String> {
    let opening: String = first_paragraph.chars().take(24).collect();
    for (at, _) in raw.match_indices(place) {
        let line_start = raw[..at].rfind('\n').map_or(0, |i| i + 1);
        if !raw[line_start..at].trim().is_empty() {
            continue;
        }
        let after = &raw[at..];
        let line = after.split('\n').next().unwrap_or(after);
        // The dateline is short: the body starts within a few dozen characters.
        let window: String = line.chars().take(place.chars().count() + 60).collect();
        let body = if opening.is_empty() {
            None
        } else {
            window.find(opening.as_str())
        };
        let printed = match body {
            Some(end) => window[..end].trim_end(),
            // Alone on its line ("WASHINGTON").
            None if line.trim() == place => line.trim(),
            None => continue,
        };
        if printed.len() >= place.len() {
            return Some(printed.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
    None
}

/// Where the words of `query` (query syntax: the search's words, `word*` prefixes, quoted
/// phrases) occur in `text`: character ranges, in order. They are found as the snippets find
/// them ([`crate::index::Marks`]): words as the search index has them (letters and digits,
/// case and accents folded), so a word is marked where the search found it and not inside
/// another ("he" is not marked in "the"); a prefix marks the words it begins, and a phrase is
/// marked where its words follow one another, as one range.
pub fn find_matches(text: &str, query: &str) -> Vec<(usize, usize)> {
    // The reader asks every frame, twice (the count and the layout), for the same text and
    // query: the last answer is kept (a 500 KB text took 3-5 ms to mark; its hash, 0.05 ms).
    type Kept = Option<(u128, Vec<(usize, usize)>)>;
    thread_local! {
        static LAST: std::cell::RefCell<Kept> = const { std::cell::RefCell::new(None) };
    }
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(query.as_bytes());
    hasher.update(&[0xff]);
    hasher.update(text.as_bytes());
    let key = hasher.digest128();
    let kept = LAST.with(|last| {
        last.borrow()
            .as_ref()
            .filter(|(k, _)| *k == key)
            .map(|(_, marks)| marks.clone())
    });
    if let Some(marks) = kept {
        return marks;
    }
    let marks = mark_words_in(text, query);
    LAST.with(|last| *last.borrow_mut() = Some((key, marks.clone())));
    marks
}

/// [`find_matches`], computed.
fn mark_words_in(text: &str, query: &str) -> Vec<(usize, usize)> {
    let Ok(query) = crate::query::parse(query) else {
        return Vec::new();
    };
    // Byte offsets to character indices, counted once along the text.
    let (mut byte, mut chars) = (0, 0);
    crate::index::Marks::of(&query)
        .ranges(text)
        .into_iter()
        .map(|(from, to)| {
            chars += text.get(byte..from).map_or(0, |s| s.chars().count());
            byte = from;
            let len = text.get(from..to).map_or(0, |s| s.chars().count());
            (chars, chars + len)
        })
        .collect()
}

/// Mark the search matches (character ranges of `text`) in a laid-out job: underlined, the
/// current one with a strong background, the others with a soft one where no highlight is.
pub fn mark_matches(
    job: &mut egui::text::LayoutJob,
    text: &str,
    marks: &[(usize, usize)],
    current: Option<usize>,
    dark: bool,
) {
    use egui::text::ByteIndex;
    if marks.is_empty() {
        return;
    }
    let byte_of: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let at = |c: usize| byte_of.get(c).copied().unwrap_or(text.len());
    let (soft, strong, line) = if dark {
        (
            egui::Color32::from_rgb(90, 60, 20),
            egui::Color32::from_rgb(200, 110, 20),
            egui::Color32::from_rgb(255, 170, 60),
        )
    } else {
        (
            egui::Color32::from_rgb(255, 215, 170),
            egui::Color32::from_rgb(255, 150, 50),
            egui::Color32::from_rgb(200, 90, 0),
        )
    };
    let mut sections = Vec::with_capacity(job.sections.len() + marks.len() * 2);
    for section in std::mem::take(&mut job.sections) {
        let range = section.byte_range.start.0..section.byte_range.end.0;
        let mut pos = range.start;
        for (i, &(s, e)) in marks.iter().enumerate() {
            let (bs, be) = (at(s).max(pos), at(e).min(range.end));
            if bs >= be {
                continue;
            }
            if bs > pos {
                let mut plain = section.clone();
                plain.byte_range = ByteIndex(pos)..ByteIndex(bs);
                sections.push(plain);
            }
            let mut marked = section.clone();
            marked.byte_range = ByteIndex(bs)..ByteIndex(be);
            marked.format.underline = egui::Stroke::new(2.0, line);
            if Some(i) == current {
                marked.format.background = strong;
                marked.format.color = egui::Color32::BLACK;
            } else if marked.format.background == egui::Color32::TRANSPARENT {
                marked.format.background = soft;
            }
            sections.push(marked);
            pos = be;
        }
        if pos < range.end {
            let mut rest = section;
            rest.byte_range = ByteIndex(pos)..ByteIndex(range.end);
            sections.push(rest);
        }
    }
    for (i, s) in sections.iter_mut().enumerate() {
        if i > 0 {
            s.leading_space = 0.0;
        }
    }
    job.sections = sections;
}

/// Lay out `text` with highlight backgrounds over the character ranges of `spans`.
pub fn highlighted_job(
    text: &str,
    spans: &[(usize, usize, HighlightColor)],
    color: egui::Color32,
    dark: bool,
    wrap: f32,
) -> egui::text::LayoutJob {
    let plain = egui::TextFormat::simple(egui::FontId::proportional(BODY_SIZE), color);
    let mut job = egui::text::LayoutJob::default();
    job.wrap.max_width = wrap;
    // Character offsets to byte offsets, one pass.
    let mut bounds: Vec<usize> = spans.iter().flat_map(|&(s, e, _)| [s, e]).collect();
    bounds.push(0);
    bounds.sort_unstable();
    bounds.dedup();
    let byte_of = {
        let mut map = std::collections::HashMap::new();
        let mut wanted = bounds.iter().peekable();
        for (ci, (bi, _)) in text.char_indices().enumerate() {
            while wanted.peek().is_some_and(|&&w| w == ci) {
                map.insert(ci, bi);
                wanted.next();
            }
        }
        move |c: usize| map.get(&c).copied().unwrap_or(text.len())
    };
    let mut pos = 0usize; // byte offset written so far
    let mut sorted: Vec<&(usize, usize, HighlightColor)> = spans.iter().collect();
    sorted.sort_by_key(|s| s.0);
    for &&(start, end, hl) in &sorted {
        let (bs, be) = (byte_of(start).max(pos), byte_of(end));
        if bs >= be {
            continue;
        }
        if bs > pos {
            job.append(&text[pos..bs], 0.0, plain.clone());
        }
        let mut format = plain.clone();
        format.background = highlight_fill(hl, dark);
        format.color = highlight_text(dark);
        // A thin line under every highlight tells it from the text selection (also blue).
        format.underline = egui::Stroke::new(1.0, highlight_text(dark).gamma_multiply(0.5));
        job.append(&text[bs..be], 0.0, format);
        pos = be;
    }
    if pos < text.len() {
        job.append(&text[pos..], 0.0, plain);
    }
    job
}
