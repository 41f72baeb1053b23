//! Snippets: a few words of a clipping around the query's words, the matching words between `**`, made from the clipping's own fields (pure).

use super::text::{words, words_at};
use crate::query::{Literal, Pattern, Query, Term};

/// A field's words as the index has them (see [`super::text::analyzer`]), each with its byte
/// range in the field.
struct Words<'a> {
    field: &'a str,
    ranges: Vec<(usize, usize)>,
    /// Each word lower-cased and folded; `None` for a field all in ASCII, whose words are
    /// compared where they stand, lower-cased (nothing else would fold them).
    folded: Option<Vec<String>>,
}

/// Words longer than this are not in the index ([`super::text::analyzer`]'s limit).
const LONGEST_WORD: usize = 100;

impl<'a> Words<'a> {
    /// The words of `field`. An ASCII field (most news copy) is split here, as the index's
    /// analyzer would split it (runs of letters and digits, none of 100 bytes or more),
    /// without a string made for each word: the analyzer, run over the texts of 500 hits
    /// for `clipfile list --search`, was a fifth of that command's work at 10,000 clippings.
    fn of(field: &'a str) -> Words<'a> {
        if !field.is_ascii() {
            let (folded, ranges) = words_at(field)
                .into_iter()
                .map(|(word, from, to)| (word, (from, to)))
                .unzip();
            return Words {
                field,
                ranges,
                folded: Some(folded),
            };
        }
        let bytes = field.as_bytes();
        let mut ranges = Vec::new();
        let mut start = None;
        for (i, b) in bytes.iter().enumerate().chain([(bytes.len(), &b' ')]) {
            match (b.is_ascii_alphanumeric(), start) {
                (true, None) => start = Some(i),
                (false, Some(from)) => {
                    if i - from < LONGEST_WORD {
                        ranges.push((from, i));
                    }
                    start = None;
                }
                _ => {}
            }
        }
        Words {
            field,
            ranges,
            folded: None,
        }
    }

    fn len(&self) -> usize {
        self.ranges.len()
    }

    /// Whether word `i` is `w` (a word as the index has it), or with `prefix` starts with it.
    fn matches(&self, i: usize, w: &str, prefix: bool) -> bool {
        let word: &[u8] = match &self.folded {
            Some(folded) => folded[i].as_bytes(),
            None => {
                let (from, to) = self.ranges[i];
                &self.field.as_bytes()[from..to]
            }
        };
        let w = w.as_bytes();
        let word = if prefix && word.len() >= w.len() {
            &word[..w.len()]
        } else {
            word
        };
        // The field's word as the index has it (an ASCII word lower-cased), against the
        // query's as the index has it (which folding may leave with a capital: "ᴀ" -> "A").
        word.len() == w.len()
            && word
                .iter()
                .zip(w)
                .all(|(a, b)| a.to_ascii_lowercase() == *b)
    }
}

/// Matches as word ranges (end excluded).
type Spans = Vec<(usize, usize)>;

/// How many words a snippet shows.
const WORDS: usize = 12;

/// What a snippet marks: each positive full-text term of a query as its words, the last one
/// maybe a prefix.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    terms: Vec<(Vec<String>, bool)>,
}

impl Marks {
    /// The words to mark for a query: every full-text term not negated.
    pub fn of(query: &Query) -> Marks {
        let mut terms = Vec::new();
        for lit in query.clauses.iter().flat_map(|c| &c.alternatives) {
            let Literal {
                negated: false,
                term,
                ..
            } = lit
            else {
                continue;
            };
            let (s, prefix) = match term {
                Term::Text { pattern, .. } => match pattern {
                    Pattern::Word(w) | Pattern::Phrase(w) => (w.as_str(), false),
                    Pattern::Prefix(p) => (p.as_str(), true),
                },
                Term::Speaker(w) => (w.as_str(), true),
                _ => continue,
            };
            let w = words(s);
            if !w.is_empty() {
                terms.push((w, prefix));
            }
        }
        Marks { terms }
    }

    /// Whether there is nothing to mark.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Where the terms match in `text`: byte ranges, in order, merged where they overlap
    /// (for the reader, which marks them in a whole text).
    pub fn ranges(&self, text: &str) -> Vec<(usize, usize)> {
        let words = Words::of(text);
        self.spans(&words)
            .into_iter()
            .map(|(a, b)| (words.ranges[a].0, words.ranges[b - 1].1))
            .collect()
    }

    /// The spans of `tokens` (by token index, end excluded) where a term matches, merged
    /// where they overlap.
    fn spans(&self, tokens: &Words) -> Vec<(usize, usize)> {
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for (term, prefix) in &self.terms {
            let n = term.len();
            if n == 0 || tokens.len() < n {
                continue;
            }
            for start in 0..=tokens.len() - n {
                let hit = term
                    .iter()
                    .enumerate()
                    .all(|(k, w)| tokens.matches(start + k, w, *prefix && k == n - 1));
                if hit {
                    spans.push((start, start + n));
                }
            }
        }
        spans.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (a, b) in spans {
            match merged.last_mut() {
                Some(last) if a < last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        merged
    }

    /// The snippet of the best of `fields` (each with its weight): the one where the most
    /// matching words weigh most, the first of equals; `None` when none matches.
    pub fn snippet(&self, fields: &[(&str, f32)]) -> Option<String> {
        let mut best: Option<(f32, &str, Words, Spans)> = None;
        for &(field, weight) in fields {
            if field.is_empty() {
                continue;
            }
            let tokens = Words::of(field);
            let spans = self.spans(&tokens);
            if spans.is_empty() {
                continue;
            }
            let score = spans.len() as f32 * weight;
            if best.as_ref().is_none_or(|(s, ..)| score > *s) {
                best = Some((score, field, tokens, spans));
            }
        }
        let (_, field, tokens, spans) = best?;
        Some(cut(field, &tokens.ranges, &spans))
    }
}

/// The window of [`WORDS`] words holding the most matches (the earliest of equals), starting
/// a little before its first match, written with the matches between `**`.
fn cut(field: &str, tokens: &[(usize, usize)], spans: &[(usize, usize)]) -> String {
    let window = WORDS.min(tokens.len());
    let mut best = (0, 0usize);
    for (i, &(first, _)) in spans.iter().enumerate() {
        let start = first.saturating_sub(2).min(tokens.len() - window);
        let count = spans[i..]
            .iter()
            .take_while(|(a, b)| *a >= start && *b <= start + window)
            .count();
        if count > best.0 {
            best = (count, start);
        }
    }
    let (start, end) = (best.1, best.1 + window);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    // Whole at an end of the field: what comes before the first word or after the last too.
    let mut at = if start == 0 { 0 } else { tokens[start].0 };
    let stop = if end == tokens.len() {
        field.len()
    } else {
        tokens[end - 1].1
    };
    for &(a, b) in spans {
        if a < start || b > end {
            continue;
        }
        let (from, to) = (tokens[a].0, tokens[b - 1].1);
        out.push_str(&field[at..from]);
        out.push_str("**");
        out.push_str(&field[from..to]);
        out.push_str("**");
        at = to;
    }
    out.push_str(&field[at..stop]);
    if end < tokens.len() {
        out.push('…');
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse;

    fn marks(q: &str) -> Marks {
        Marks::of(&parse(q).expect("query"))
    }

    /// An ASCII field's words as split here, lower-cased, against the index's analyzer.
    fn ascii_split_agrees(field: &str) {
        let ours = Words::of(field);
        assert!(ours.folded.is_none());
        let split: Vec<(String, usize, usize)> = ours
            .ranges
            .iter()
            .map(|&(a, b)| (field[a..b].to_ascii_lowercase(), a, b))
            .collect();
        assert_eq!(split, words_at(field), "{field:?}");
    }

    #[test]
    fn an_ascii_field_is_split_as_the_index_splits_it() {
        let long = "x".repeat(99) + " " + &"y".repeat(100) + " tail";
        for field in [
            "",
            "   ",
            "Hello, World! It's 2015-11-27; the U.N. met (again).",
            "end",
            "--dash--and_under_score",
            "MiXeD CaSe 42nd",
            long.as_str(),
        ] {
            ascii_split_agrees(field);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_ascii_field_is_split_as_the_index_splits_it(
            field in "[ -~\t\n]{0,300}",
            long in 95usize..105,
        ) {
            ascii_split_agrees(&field);
            ascii_split_agrees(&format!("{field} {} {field}", "a".repeat(long)));
        }
    }

    #[test]
    fn words_in_an_ascii_field_match_whatever_their_case_and_prefixes_too() {
        let s = marks("RAILWAY stat*").snippet(&[("A Railway STATION, a railroad.", 1.0)]);
        assert_eq!(s.as_deref(), Some("A **Railway** **STATION**, a railroad."));
        assert_eq!(marks("stations").snippet(&[("A STATION.", 1.0)]), None);
        // A query word that folds to a capital ("ᴀ" -> "A") matches no word of the index, so
        // it marks nothing either.
        assert_eq!(marks("ᴀbc").snippet(&[("abc Abc ABC", 1.0)]), None);
    }

    #[test]
    fn a_word_is_marked_whatever_its_case_and_accents() {
        let s = marks("cafe").snippet(&[("We met at the Café on the corner.", 1.0)]);
        assert_eq!(s.as_deref(), Some("We met at the **Café** on the corner."));
    }

    #[test]
    fn a_phrase_is_marked_whole_and_a_lone_word_of_it_is_not() {
        let text = "An ally came. The natural ally of the town was the river, said the mayor.";
        let s = marks("\"natural ally\"")
            .snippet(&[(text, 1.0)])
            .expect("snippet");
        assert!(s.contains("**natural ally**"), "{s}");
        assert!(!s.contains("**ally** came"), "{s}");
    }

    #[test]
    fn a_long_field_is_cut_around_the_match_with_ellipses() {
        let text = "one two three four five six seven eight nine ten eleven twelve thirteen \
                    fourteen fifteen harbour sixteen seventeen eighteen nineteen twenty \
                    twentyone twentytwo twentythree twentyfour twentyfive";
        let s = marks("harb*").snippet(&[(text, 1.0)]).expect("snippet");
        assert_eq!(
            s,
            "…fourteen fifteen **harbour** sixteen seventeen eighteen nineteen twenty twentyone twentytwo twentythree twentyfour…"
        );
    }

    #[test]
    fn the_field_with_the_most_weighed_matches_gives_the_snippet() {
        let m = marks("kelp farm");
        let fields = [("A farm by the sea.", 1.0), ("Kelp farm opens", 10.0)];
        assert_eq!(
            m.snippet(&fields).as_deref(),
            Some("**Kelp** **farm** opens")
        );
        assert_eq!(m.snippet(&[("Nothing here.", 1.0)]), None);
        // Negated words and filters mark nothing.
        assert!(marks("-kelp tag:sea has:notes").is_empty());
    }
}
