//! Snippets: a few words of a clipping around the query's words, the matching words between `**`, made from the clipping's own fields (pure).

use super::text::{words, words_at};
use crate::query::{Literal, Pattern, Query, Term};

/// A field's words with their byte ranges.
type Words = Vec<(String, usize, usize)>;

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

    #[cfg(test)]
    fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The spans of `tokens` (by token index, end excluded) where a term matches, merged
    /// where they overlap.
    fn spans(&self, tokens: &[(String, usize, usize)]) -> Vec<(usize, usize)> {
        let mut spans: Vec<(usize, usize)> = Vec::new();
        for (term, prefix) in &self.terms {
            let n = term.len();
            if n == 0 || tokens.len() < n {
                continue;
            }
            for start in 0..=tokens.len() - n {
                let hit = term.iter().enumerate().all(|(k, w)| {
                    let t = &tokens[start + k].0;
                    if *prefix && k == n - 1 {
                        t.starts_with(w.as_str())
                    } else {
                        t == w
                    }
                });
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
            let tokens = words_at(field);
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
        Some(cut(field, &tokens, &spans))
    }
}

/// The window of [`WORDS`] words holding the most matches (the earliest of equals), starting
/// a little before its first match, written with the matches between `**`.
fn cut(field: &str, tokens: &[(String, usize, usize)], spans: &[(usize, usize)]) -> String {
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
    let mut at = if start == 0 { 0 } else { tokens[start].1 };
    let stop = if end == tokens.len() {
        field.len()
    } else {
        tokens[end - 1].2
    };
    for &(a, b) in spans {
        if a < start || b > end {
            continue;
        }
        let (from, to) = (tokens[a].1, tokens[b - 1].2);
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
