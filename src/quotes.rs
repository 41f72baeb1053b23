//! Who said what: direct quotations in an article's body with their speaker and the sentence
//! that attributes them, and the people and places the body mentions.
//!
//! Pure functions over the body paragraphs (as [`crate::anchor::reading_text`] joins them, so a
//! quote's character range points into the reader's text). The rules are the news conventions:
//! a quote attributed after it (`"…," Hollande said`, `"…" said Defense Minister Ursula von der
//! Leyen`), before it (`Putin said: "…"`), or by a speech verb in its sentence (`with Hollande
//! saying the head of state "does not have his place"`); a quote left open at the end of a
//! paragraph and reopened at the start of the next runs on; a quote with no attribution of its
//! own is the previous quote's speaker's when that quote is in the same or the previous
//! paragraph. Titles are taken off the name and kept apart, a surname alone is the full name the
//! text gave earlier, and "he said" is the previous speaker (or the one person just named), or
//! unknown when that is not clear.

use std::collections::BTreeMap;

/// One direct quotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// The quoted words, without the quote marks (paragraphs of a run-on quote joined by a space).
    pub text: String,
    /// Who said it, as the text names them in full ("Vladimir Putin"); None when unknown.
    pub speaker: Option<String>,
    /// The speaker's title where the text gives one ("Defense Minister").
    pub title: Option<String>,
    /// Characters `start..end` of the reading text: the quoted words, inside the marks.
    pub start: usize,
    pub end: usize,
    /// The paragraph the quote opens in.
    pub paragraph: usize,
    /// The sentence that attributes the quote (its own sentence when nothing attributes it).
    pub sentence: String,
}

/// Words that say someone spoke, in the forms news copy uses.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "saying",
    "told",
    "tells",
    "added",
    "adds",
    "adding",
    "asked",
    "stressed",
    "stressing",
    "noted",
    "noting",
    "explained",
    "declared",
    "announced",
    "insisted",
    "insisting",
    "argued",
    "warned",
    "warning",
    "cautioned",
    "described",
    "describing",
    "wrote",
    "writes",
    "continued",
    "replied",
    "acknowledged",
    "acknowledges",
    "called",
    "calling",
    "urged",
    "recalled",
    "admitted",
    "conceded",
    "predicted",
    "promised",
    "vowed",
    "according",
    "repeated",
    "reiterated",
    "asserted",
];

/// Speech verbs that may come before their subject ("said Hollande"); "told" takes its
/// listener after it.
const INVERTIBLE: &[&str] = &[
    "said",
    "says",
    "added",
    "adds",
    "asked",
    "continued",
    "wrote",
    "writes",
    "replied",
    "according",
];

/// Words that count before a name but do not describe the speaker ("said one resident").
const DETERMINERS: &[&str] = &[
    "one", "two", "three", "another", "several", "some", "many", "each", "every", "other", "its",
];

/// Words after a name that make it the subject of another verb ("says Burnham will set out").
const AUXILIARIES: &[&str] = &[
    "will", "would", "was", "is", "has", "had", "have", "could", "should", "can", "may", "must",
    "might", "were", "are", "did", "does", "do",
];

/// Words that may sit between a subject and its speech verb ("Hollande had said").
const BETWEEN: &[&str] = &[
    "had", "has", "have", "also", "later", "then", "again", "would", "will", "once",
];

/// Words (lowercase, without a final period) that make a title, not a name.
const TITLE_WORDS: &[&str] = &[
    "president",
    "minister",
    "chancellor",
    "secretary",
    "prime",
    "gov",
    "governor",
    "sen",
    "senator",
    "rep",
    "representative",
    "mayor",
    "chief",
    "director",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "gen",
    "general",
    "col",
    "lt",
    "sgt",
    "capt",
    "captain",
    "dr",
    "mr",
    "mrs",
    "ms",
    "king",
    "queen",
    "pope",
    "prince",
    "princess",
    "judge",
    "justice",
    "ambassador",
    "commissioner",
    "sheriff",
    "deputy",
    "vice",
    "premier",
    "chairman",
    "treasurer",
    "councilman",
    "councilwoman",
    "superintendent",
    "inspector",
    "lieutenant",
    "sergeant",
    "professor",
    "prosecutor",
    "chairwoman",
    "ceo",
    "officer",
    "sheikh",
    "ayatollah",
    "cardinal",
    "archbishop",
    "bishop",
    "rev",
    "attorney",
    "coach",
    "leader",
    "speaker",
    "lawmaker",
    "adm",
    "maj",
    "sgt",
    "cpl",
    "pvt",
    "detective",
];

/// Lowercase words allowed inside a name ("Ursula von der Leyen", "Charles de Gaulle").
const PARTICLES: &[&str] = &[
    "von", "van", "der", "den", "de", "da", "di", "du", "del", "della", "la", "le", "al", "bin",
    "ibn", "el",
];

/// Capitalised words that start sentences, never a person or place.
const NOT_NAMES: &[&str] = &[
    "the",
    "a",
    "an",
    "but",
    "and",
    "or",
    "however",
    "in",
    "on",
    "at",
    "during",
    "while",
    "after",
    "before",
    "last",
    "next",
    "this",
    "that",
    "these",
    "those",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "if",
    "when",
    "despite",
    "between",
    "even",
    "although",
    "though",
    "since",
    "as",
    "for",
    "with",
    "by",
    "from",
    "of",
    "to",
    "meanwhile",
    "still",
    "yet",
    "so",
    "then",
    "there",
    "here",
    "also",
    "some",
    "many",
    "most",
    "other",
    "both",
    "his",
    "her",
    "their",
    "our",
    "my",
    "its",
    "what",
    "who",
    "why",
    "how",
    "where",
    "asked",
    "information",
    "reporting",
    "editing",
    "copyright",
];

/// Abbreviations whose period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gov", "sen", "rep", "gen", "col", "lt", "sgt", "capt", "st", "jr",
    "sr", "jan", "feb", "aug", "sept", "oct", "nov", "dec", "inc", "co", "corp", "no", "vs", "rev",
    "adm", "maj", "mt", "ft", "u.s", "u.n", "u.k", "e.u", "d.c",
];

const PRONOUNS: &[&str] = &["he", "she"];

fn is_open_mark(c: char) -> bool {
    c == '"' || c == '\u{201C}' || c == '\u{201E}'
}

/// Is the quoted text a title or a name ("Fast and Furious", "Mr Marlboro"): every word
/// capitalised but the small ones, and no sentence punctuation?
fn is_title_text(inner: &str) -> bool {
    // A comma printed inside the closing mark belongs to the sentence, not the quotation.
    let inner = inner.trim_end_matches(',');
    let words: Vec<&str> = inner.split_whitespace().collect();
    !words.is_empty()
        && !inner.contains([',', '.', '?', '!', ';', ':'])
        && words.iter().any(|w| is_capitalised(w))
        && words
            .iter()
            .all(|w| is_capitalised(w) || crate::parse::vocab::is_function_word(w))
}

/// A token of a paragraph: a word, a punctuation mark, or a whole quotation (marks included).
#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Punct(char),
    /// Index into the paragraph's quotation spans.
    Quote(usize),
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

/// A quotation in one paragraph: the opening mark's index and the closing mark's (None when
/// it runs to the end of the paragraph), in chars of the paragraph.
#[derive(Debug, Clone, Copy)]
struct Span {
    open: usize,
    close: Option<usize>,
}

/// The quotation spans of a paragraph. A straight mark opens when none is open and closes
/// otherwise; a curly one says which it is.
fn spans(chars: &[char]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    for (i, &c) in chars.iter().enumerate() {
        match (c, open) {
            ('"' | '\u{201C}' | '\u{201E}', None) => open = Some(i),
            ('"' | '\u{201D}', Some(o)) => {
                out.push(Span {
                    open: o,
                    close: Some(i),
                });
                open = None;
            }
            ('\u{201D}', None) => {}
            ('\u{201C}' | '\u{201E}', Some(_)) => open = Some(i),
            _ => {}
        }
    }
    if let Some(o) = open {
        out.push(Span {
            open: o,
            close: None,
        });
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '\'' | '\u{2019}' | '&')
}

/// The tokens of a paragraph with its quotation spans each one token.
fn tokens(chars: &[char], spans: &[Span]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut next_span = 0;
    while i < chars.len() {
        if let Some(span) = spans.get(next_span)
            && span.open == i
        {
            let end = span.close.map_or(chars.len(), |c| c + 1);
            out.push(Token {
                tok: Tok::Quote(next_span),
                start: i,
                end,
            });
            next_span += 1;
            i = end;
            continue;
        }
        let c = chars[i];
        if is_word_char(c) {
            let mut j = i;
            while j < chars.len() {
                let c = chars[j];
                let inner_period =
                    c == '.' && chars.get(j + 1).is_some_and(|n| n.is_alphanumeric()) && j > i;
                if is_word_char(c) || inner_period {
                    j += 1;
                } else {
                    break;
                }
            }
            let mut word: String = chars[i..j].iter().collect();
            // An abbreviation keeps its period ("Gov.", "U.S.").
            if chars.get(j) == Some(&'.') && is_abbreviation(&word) {
                j += 1;
                word.push('.');
            }
            out.push(Token {
                tok: Tok::Word(word),
                start: i,
                end: j,
            });
            i = j;
        } else if c.is_whitespace() {
            i += 1;
        } else {
            out.push(Token {
                tok: Tok::Punct(c),
                start: i,
                end: i + 1,
            });
            i += 1;
        }
    }
    out
}

fn is_abbreviation(word: &str) -> bool {
    let w = word.trim_end_matches('.').to_lowercase();
    ABBREVIATIONS.contains(&w.as_str())
        || (w.chars().count() == 1 && word.chars().all(char::is_uppercase))
}

/// The sentences of a tokenized paragraph, as token index ranges. A sentence ends at `.`, `?`
/// or `!` (or a quotation ending in one) followed by a capital, a quotation or the end.
fn sentences(toks: &[Token], chars: &[char], spans: &[Span]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    for (k, t) in toks.iter().enumerate() {
        let ends = match &t.tok {
            Tok::Punct('.' | '?' | '!') => true,
            Tok::Quote(s) => spans.get(*s).and_then(|s| s.close).is_some_and(|close| {
                chars[..close]
                    .iter()
                    .rev()
                    .find(|c| !c.is_whitespace())
                    .is_some_and(|c| matches!(c, '.' | '?' | '!'))
            }),
            _ => false,
        };
        let next_starts = match toks.get(k + 1).map(|n| &n.tok) {
            None => true,
            Some(Tok::Word(w)) => w.chars().next().is_some_and(char::is_uppercase),
            Some(Tok::Quote(_)) => true,
            Some(Tok::Punct(_)) => false,
        };
        if ends && next_starts {
            out.push((from, k + 1));
            from = k + 1;
        }
    }
    if from < toks.len() {
        out.push((from, toks.len()));
    }
    out
}

fn word(t: Option<&Token>) -> Option<&str> {
    match t.map(|t| &t.tok) {
        Some(Tok::Word(w)) => Some(w),
        _ => None,
    }
}

fn lower_in(w: &str, list: &[&str]) -> bool {
    list.contains(&w.trim_end_matches('.').to_lowercase().as_str())
}

/// Not a name: a function word starting a sentence, or a day, month or "today".
fn not_name(w: &str) -> bool {
    lower_in(w, NOT_NAMES) || crate::parse::vocab::is_calendar_word(w)
}

fn is_capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

fn is_possessive(w: &str) -> bool {
    w.ends_with("'s") || w.ends_with("\u{2019}s") || w.ends_with('\'')
}

/// May this word be part of a name?
fn name_word(w: &str) -> bool {
    (is_capitalised(w) || PARTICLES.contains(&w)) && !w.chars().all(|c| c.is_ascii_digit())
}

/// A name as printed, split into its title and the name proper.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Named {
    name: String,
    title: Option<String>,
}

/// Split words into the title (up to the last title word) and the name after it. None when no
/// name is left, or what is left is not a name.
fn split_title(words: &[&str]) -> Option<Named> {
    let mut words = words.to_vec();
    while words.first().is_some_and(|w| not_name(w)) {
        words.remove(0);
    }
    let cut = words
        .iter()
        .rposition(|w| lower_in(w, TITLE_WORDS))
        .map_or(0, |i| i + 1);
    let (title, name) = words.split_at(cut);
    let name: Vec<&str> = name
        .iter()
        .copied()
        .skip_while(|w| PARTICLES.contains(w))
        .collect();
    let mut name = name;
    while name.last().is_some_and(|w| PARTICLES.contains(w)) {
        name.pop();
    }
    if name.is_empty() || name.iter().all(|w| not_name(w)) {
        return None;
    }
    Some(Named {
        name: name.join(" "),
        title: (!title.is_empty()).then(|| title.join(" ")),
    })
}

/// The name ending at token `end` (exclusive), read backwards.
fn name_before(toks: &[Token], end: usize) -> Option<Named> {
    let mut from = end;
    while from > 0 {
        match word(toks.get(from - 1)) {
            Some(w)
                if (name_word(w) || lower_in(w, TITLE_WORDS))
                    && !(from < end && is_possessive(w)) =>
            {
                from -= 1
            }
            _ => break,
        }
    }
    if from == end || word(toks.get(end - 1)).is_some_and(is_possessive) {
        return None;
    }
    let words: Vec<&str> = (from..end).filter_map(|k| word(toks.get(k))).collect();
    split_title(&words)
}

/// The name starting at token `from`, read forwards, and where it ends.
fn name_after(toks: &[Token], from: usize) -> Option<(Named, usize)> {
    let mut end = from;
    while let Some(w) = word(toks.get(end)) {
        if (name_word(w) || (end > from && lower_in(w, TITLE_WORDS))) && !is_possessive(w) {
            end += 1;
        } else {
            break;
        }
    }
    if end == from || !word(toks.get(from)).is_some_and(is_capitalised) {
        return None;
    }
    let words: Vec<&str> = (from..end).filter_map(|k| word(toks.get(k))).collect();
    split_title(&words).map(|n| (n, end))
}

/// Who a speech verb's sentence names as speaking.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Who {
    Named(Named),
    Pronoun,
    /// A speech verb whose speaker the text does not name ("said one woman", "a source said").
    Unnamed,
}

fn is_verb(toks: &[Token], k: usize) -> bool {
    match word(toks.get(k)) {
        Some("according") => word(toks.get(k + 1)) == Some("to"),
        Some(w) => SPEECH_VERBS.contains(&w),
        None => false,
    }
}

/// The subject of the speech verb at token `v`, looking back from it (within `from..v`).
fn subject_before(toks: &[Token], from: usize, v: usize) -> Option<Who> {
    let mut k = v;
    while k > from {
        match word(toks.get(k - 1)) {
            Some(w) if BETWEEN.contains(&w) || (w.ends_with("ly") && !is_capitalised(w)) => k -= 1,
            _ => break,
        }
    }
    if k == from {
        return None;
    }
    let participle = word(toks.get(v)).is_some_and(|w| w.ends_with("ing"));
    match &toks[k - 1].tok {
        Tok::Word(w) if lower_in(w, PRONOUNS) => Some(Who::Pronoun),
        // "Keita, who vowed in an address that "…""
        Tok::Word(w) if w == "who" && k >= 2 && toks[k - 2].tok == Tok::Punct(',') => {
            name_before(toks, k - 2).map(Who::Named)
        }
        Tok::Word(w) if is_capitalised(w) || PARTICLES.contains(&w.as_str()) => {
            name_before(toks, k).map(Who::Named)
        }
        Tok::Punct(',') => {
            // "Steinmeier, a member of the coalition, said"; "The president of the region,
            // Rudi Vervoort, cautioned".
            let comma = (from..k - 1)
                .rev()
                .find(|&j| toks[j].tok == Tok::Punct(','));
            if let Some(c) = comma {
                let inner: Vec<&str> = (c + 1..k - 1).filter_map(|j| word(toks.get(j))).collect();
                let all_name = inner.len() == k - 2 - c && inner.iter().all(|w| name_word(w));
                if all_name && let Some(mut named) = split_title(&inner) {
                    if named.title.is_none() {
                        let before: Vec<&str> =
                            (from..c).filter_map(|j| word(toks.get(j))).collect();
                        if before.len() == c - from
                            && before
                                .first()
                                .is_some_and(|w| w.eq_ignore_ascii_case("the"))
                            && before.len() <= 8
                        {
                            named.title = Some(before[1..].join(" "));
                        }
                    }
                    return Some(Who::Named(named));
                }
                if let Some(named) = name_before(toks, c) {
                    return Some(Who::Named(named));
                }
            }
            first_name(toks, from, k - 1).map(Who::Named)
        }
        _ if participle => first_name(toks, from, k).map(Who::Named),
        _ => None,
    }
}

/// The first name in tokens `from..to` (a sentence's subject).
fn first_name(toks: &[Token], from: usize, to: usize) -> Option<Named> {
    let mut k = from;
    while k < to {
        if let Some((named, end)) = name_after(toks, k) {
            return (end <= to).then_some(named);
        }
        k += 1;
    }
    None
}

/// Who is named right after a speech verb ("said Defense Minister Ursula von der Leyen",
/// "said X, the Y of Z").
fn subject_after(toks: &[Token], v: usize, to: usize) -> Option<Who> {
    if !word(toks.get(v)).is_some_and(|w| INVERTIBLE.contains(&w)) {
        return None;
    }
    let mut from = if word(toks.get(v)) == Some("according") {
        v + 2
    } else {
        v + 1
    };
    if word(toks.get(from)).is_some_and(|w| lower_in(w, PRONOUNS)) {
        return Some(Who::Pronoun);
    }
    // A plain word or two that describe the speaker ("said protester Ruby Harvey", "said
    // opposition Conservative Party Chairman Kevin Hollinrake") belong to the title.
    let mut described = Vec::new();
    while described.len() < 2
        && let Some(w) = word(toks.get(from))
        && !is_capitalised(w)
        && !PARTICLES.contains(&w)
        && !crate::parse::vocab::is_function_word(w)
        && !not_name(w)
        && !DETERMINERS.contains(&w)
        && w.chars().all(char::is_alphabetic)
    {
        described.push(w);
        from += 1;
    }
    if word(toks.get(from)).is_some_and(|w| DETERMINERS.contains(&w)) {
        return None;
    }
    let (mut named, end) = name_after(toks, from).filter(|(_, end)| *end <= to)?;
    if word(toks.get(end)).is_some_and(|w| AUXILIARIES.contains(&w) || is_verb(toks, end)) {
        return None;
    }
    if !described.is_empty() {
        let title = named
            .title
            .take()
            .map_or(String::new(), |t| format!(" {t}"));
        named.title = Some(format!("{}{title}", described.join(" ")));
    }
    if named.title.is_none() && toks.get(end).map(|t| &t.tok) == Some(&Tok::Punct(',')) {
        let title: Vec<&str> = (end + 1..to).map_while(|j| word(toks.get(j))).collect();
        if title.first().is_some_and(|w| *w == "the" || *w == "a") && title.len() >= 2 {
            named.title = Some(title[1..].join(" "));
        }
    }
    Some(Who::Named(named))
}

/// Who the sentence `from..to` says spoke the quotation at token `q`.
fn attribution(toks: &[Token], from: usize, to: usize, q: usize) -> Option<Who> {
    // Right after the quotation: `"…," Hollande said`, `"…," said Hollande`, `"…," he said`.
    let mut a = q + 1;
    while toks.get(a).is_some_and(|t| t.tok == Tok::Punct(',')) {
        a += 1;
    }
    if a < to {
        if is_verb(toks, a) {
            return Some(subject_after(toks, a, to).unwrap_or(Who::Unnamed));
        } else if word(toks.get(a)).is_some_and(|w| lower_in(w, PRONOUNS)) && is_verb(toks, a + 1) {
            return Some(Who::Pronoun);
        } else if let Some((named, end)) = name_after_particles(toks, a)
            && end < to
        {
            let mut v = end;
            while word(toks.get(v)).is_some_and(|w| BETWEEN.contains(&w) || w.ends_with("ly")) {
                v += 1;
            }
            if is_verb(toks, v) {
                return Some(Who::Named(named));
            }
        }
    }
    // A speech verb before the quotation in its sentence, the nearest first; then after it.
    let before = (from..q).rev().filter(|&v| is_verb(toks, v));
    let after = (q + 1..to).filter(|&v| is_verb(toks, v));
    let mut unnamed = None;
    for v in before.chain(after) {
        if let Some(who) = subject_before(toks, from, v) {
            return Some(who);
        }
        if let Some(who) = subject_after(toks, v, to) {
            return Some(who);
        }
        unnamed = Some(Who::Unnamed);
    }
    unnamed
}

/// A name starting at `from` that may open with a particle ("von der Leyen told reporters").
fn name_after_particles(toks: &[Token], from: usize) -> Option<(Named, usize)> {
    let mut k = from;
    while word(toks.get(k)).is_some_and(|w| PARTICLES.contains(&w)) {
        k += 1;
    }
    if k == from {
        return name_after(toks, from);
    }
    let (_, end) = name_after(toks, k)?;
    let words: Vec<&str> = (from..end).filter_map(|j| word(toks.get(j))).collect();
    Some((
        Named {
            name: words.join(" "),
            title: None,
        },
        end,
    ))
}

/// Every name the text prints (capitalised sequences, titles taken off), with its paragraph.
fn mentions_in(paragraphs: &[Vec<Token>]) -> Vec<(usize, Named)> {
    let mut out = Vec::new();
    for (p, toks) in paragraphs.iter().enumerate() {
        let mut k = 0;
        while k < toks.len() {
            match name_after(toks, k) {
                Some((named, end)) => {
                    out.push((p, named));
                    k = end;
                }
                None => k += 1,
            }
        }
    }
    out
}

/// The full name for a name printed short: the longest earlier (else later) mention that ends
/// with the same words ("Putin" is "Vladimir Putin").
fn full_name(name: &str, mentions: &[(usize, Named)]) -> String {
    let words: Vec<&str> = name.split(' ').collect();
    mentions
        .iter()
        .filter_map(|(_, m)| {
            let mw: Vec<&str> = m.name.split(' ').collect();
            (mw.len() > words.len() && mw.ends_with(&words)).then_some(&m.name)
        })
        .next()
        .cloned()
        .unwrap_or_else(|| name.to_string())
}

/// The quotations of an article body, in order.
pub fn extract(paragraphs: &[String]) -> Vec<Quote> {
    analyse(paragraphs).0
}

/// The quotations, the tokens of each paragraph and the names printed.
type Analysis = (Vec<Quote>, Vec<Vec<Token>>, Vec<(usize, Named)>);

fn analyse(paragraphs: &[String]) -> Analysis {
    let chars: Vec<Vec<char>> = paragraphs.iter().map(|p| p.chars().collect()).collect();
    let spans: Vec<Vec<Span>> = chars.iter().map(|c| spans(c)).collect();
    let toks: Vec<Vec<Token>> = chars
        .iter()
        .zip(&spans)
        .map(|(c, s)| tokens(c, s))
        .collect();
    let mentions = mentions_in(&toks);
    // Where each paragraph starts in the reading text.
    let mut offsets = Vec::with_capacity(chars.len());
    let mut at = 0;
    for c in &chars {
        offsets.push(at);
        at += c.len() + 2;
    }
    let mut out: Vec<Quote> = Vec::new();
    let mut continues = false;
    for (p, ptoks) in toks.iter().enumerate() {
        let pchars = &chars[p];
        let sents = sentences(ptoks, pchars, &spans[p]);
        for (from, to) in sents {
            for q in from..to {
                let Tok::Quote(s) = ptoks[q].tok else {
                    continue;
                };
                let span = spans[p][s];
                let inner_start = span.open + 1;
                let inner_end = span.close.unwrap_or(pchars.len());
                let inner: String = pchars[inner_start..inner_end].iter().collect();
                let inner_trim = inner.trim();
                // A run-on quotation: the paragraph before left one open, this one reopens it.
                if continues
                    && q == 0
                    && let Some(last) = out.last_mut()
                {
                    last.text.push(' ');
                    last.text.push_str(inner_trim);
                    last.end = offsets[p] + inner_end;
                    continues = span.close.is_none();
                    continue;
                }
                continues = false;
                if !inner.chars().any(char::is_alphabetic) || is_title_text(inner_trim) {
                    continue;
                }
                let who = attribution(ptoks, from, to, q);
                let sentence: String = pchars[ptoks[from].start..ptoks[to - 1].end]
                    .iter()
                    .collect();
                let single_word = inner_trim.split_whitespace().count() < 2;
                if single_word && matches!(who, None | Some(Who::Unnamed)) {
                    continue;
                }
                let (speaker, title, sentence) = match who {
                    Some(Who::Named(named)) => (
                        Some(full_name(&named.name, &mentions)),
                        named.title,
                        sentence,
                    ),
                    Some(Who::Pronoun) => (resolve_pronoun(&out, p, &mentions), None, sentence),
                    Some(Who::Unnamed) => (None, None, sentence),
                    None => match out.last() {
                        Some(prev) if prev.paragraph + 1 >= p && prev.speaker.is_some() => (
                            prev.speaker.clone(),
                            prev.title.clone(),
                            prev.sentence.clone(),
                        ),
                        _ => (None, None, sentence),
                    },
                };
                let lead = inner.chars().take_while(|c| c.is_whitespace()).count();
                let trail = inner
                    .chars()
                    .rev()
                    .take_while(|c| c.is_whitespace())
                    .count();
                out.push(Quote {
                    text: inner_trim.to_string(),
                    speaker,
                    title,
                    start: offsets[p] + inner_start + lead,
                    end: offsets[p] + inner_end - trail,
                    paragraph: p,
                    sentence: sentence.trim().to_string(),
                });
                continues = span.close.is_none();
            }
        }
        // A quotation left open runs on only into a paragraph that opens with a mark.
        if continues
            && !chars
                .get(p + 1)
                .and_then(|c| c.iter().find(|c| !c.is_whitespace()))
                .is_some_and(|&c| is_open_mark(c))
        {
            continues = false;
        }
    }
    // Titles: the first one the text gave a speaker applies wherever they speak.
    let mut titles: BTreeMap<String, String> = BTreeMap::new();
    for (_, m) in &mentions {
        if let Some(t) = &m.title {
            titles
                .entry(full_name(&m.name, &mentions))
                .or_insert_with(|| t.clone());
        }
    }
    for q in &mut out {
        if q.title.is_none()
            && let Some(s) = &q.speaker
        {
            q.title = titles.get(s).cloned();
        }
    }
    (out, toks, mentions)
}

/// "He said": the previous quotation's speaker when it is in this paragraph or one of the two
/// before; else the one person named in this paragraph or the one before (a titled name or a
/// known speaker); else unknown.
fn resolve_pronoun(out: &[Quote], p: usize, mentions: &[(usize, Named)]) -> Option<String> {
    if let Some(prev) = out.last()
        && prev.paragraph + 2 >= p
        && prev.speaker.is_some()
    {
        return prev.speaker.clone();
    }
    let mut people: Vec<String> = mentions
        .iter()
        .filter(|(mp, m)| *mp <= p && *mp + 1 >= p && m.title.is_some())
        .map(|(_, m)| full_name(&m.name, mentions))
        .collect();
    people.sort();
    people.dedup();
    match people.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// The quotations of a stored text, its paragraphs taken as the blocks between blank lines (the
/// library keeps no parse of the body; for speakers and filters, not for character ranges).
pub fn extract_text(text: &str) -> Vec<Quote> {
    extract(&blocks(text))
}

fn blocks(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|b| b.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|b| !b.is_empty())
        .collect()
}

/// The distinct speakers of some quotations, in order of first quote.
pub fn speakers(quotes: &[Quote]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for q in quotes {
        if let Some(s) = &q.speaker
            && !out.contains(s)
        {
            out.push(s.clone());
        }
    }
    out
}

/// People and places an article body mentions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mentions {
    /// Who the quotations are by, in order of first quote.
    pub speakers: Vec<String>,
    /// The speakers, then the other people named.
    pub people: Vec<String>,
    pub places: Vec<String>,
}

/// Words that sit before a place ("in Syria", "from Moscow").
const PLACE_PREPOSITIONS: &[&str] = &["in", "from", "near", "outside", "across", "to", "at"];

/// Words that make a capitalised sequence an organization, a group or a thing, not a place.
const NOT_PLACE: &[&str] = &[
    "state",
    "group",
    "council",
    "press",
    "news",
    "times",
    "party",
    "ministry",
    "government",
    "army",
    "forces",
    "coalition",
    "union",
    "house",
    "court",
    "office",
    "department",
    "agency",
    "committee",
    "police",
    "company",
    "inc",
    "corp",
    "university",
    "bank",
    "post",
    "herald",
    "journal",
    "gazette",
    "tribune",
    "democrat-gazette",
];

/// The people and places mentioned in a body: people are the speakers, the names printed with a
/// title, and the credited `known` names the body prints; places are the dateline's place and
/// the capitalised names after "in", "from", "near", … that are not people or organizations.
pub fn mentions(paragraphs: &[String], dateline: Option<&str>, known: &[String]) -> Mentions {
    let (quotes, toks, named) = analyse(paragraphs);
    let speakers = speakers(&quotes);
    let mut people = speakers.clone();
    for (_, m) in &named {
        if m.title.is_some() {
            let full = full_name(&m.name, &named);
            if !people.contains(&full) {
                people.push(full);
            }
        }
    }
    // Credit lines name the credited, not the people the story is about.
    let body: Vec<&String> = paragraphs
        .iter()
        .filter(|p| {
            !(p.starts_with("By ")
                || ["contributed", "Reporting by", "Editing by", "Writing by"]
                    .iter()
                    .any(|c| p.contains(c)))
        })
        .collect();
    for k in known {
        if !k.trim().is_empty()
            && body.iter().any(|p| p.contains(k.as_str()))
            && !people.contains(k)
        {
            people.push(k.clone());
        }
    }
    let is_person = |name: &str| {
        people
            .iter()
            .any(|p| p == name || p.split(' ').next_back() == Some(name))
    };
    let mut places: Vec<String> = Vec::new();
    if let Some(d) = dateline {
        let place = d.split(',').next().unwrap_or(d).trim();
        if !place.is_empty() {
            places.push(title_case(place));
        }
    }
    for ptoks in &toks {
        for k in 1..ptoks.len() {
            let prep = word(ptoks.get(k - 1)).is_some_and(|w| PLACE_PREPOSITIONS.contains(&w));
            if !prep {
                continue;
            }
            if let Some((named, _)) = name_after(ptoks, k)
                && named.title.is_none()
                && !is_person(&named.name)
                && !named.name.split(' ').any(|w| lower_in(w, NOT_PLACE))
                && !places.contains(&named.name)
            {
                places.push(named.name);
            }
        }
    }
    Mentions {
        speakers,
        people,
        places,
    }
}

/// The people and places a stored clipping's text mentions: its paragraphs taken as the blocks
/// between blank lines (the library keeps no parse of the body), its dateline and credited
/// names from the metadata.
pub fn mentions_of(clipping: &crate::model::Clipping, text: &str) -> Mentions {
    MentionMeta::of(clipping).mentions(text)
}

/// What [`mentions_of`] reads of a clipping besides its text: the dateline and the credited
/// names.
#[derive(Debug, Clone)]
pub struct MentionMeta {
    dateline: Option<String>,
    known: Vec<String>,
}

impl MentionMeta {
    pub fn of(clipping: &crate::model::Clipping) -> Self {
        let meta = &clipping.parsed;
        MentionMeta {
            dateline: clipping
                .field(crate::model::Field::Dateline)
                .map(str::to_string),
            known: meta
                .authors
                .iter()
                .cloned()
                .chain(meta.contributors.iter().map(|c| c.name.clone()))
                .collect(),
        }
    }

    pub fn mentions(&self, text: &str) -> Mentions {
        mentions(&blocks(text), self.dateline.as_deref(), &self.known)
    }
}

/// The version of the quote and mention rules: part of every cached value's stamp, so
/// values computed by other rules are never served (bump it when the rules change).
pub const RULES_VERSION: u32 = 1;

/// A fingerprint of what [`MentionMeta`] copies (and of [`RULES_VERSION`]), without copying it.
fn mention_fingerprint(clipping: &crate::model::Clipping) -> u64 {
    use crate::clipcache::hash_str;
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&RULES_VERSION.to_le_bytes());
    hash_str(&mut h, clipping.field(crate::model::Field::Dateline));
    let meta = &clipping.parsed;
    for name in meta
        .authors
        .iter()
        .chain(meta.contributors.iter().map(|c| &c.name))
    {
        hash_str(&mut h, Some(name));
    }
    h.digest()
}

/// Speakers, people and places across the library, each with the number of clippings, most
/// frequent first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    pub speakers: Vec<(String, usize)>,
    pub people: Vec<(String, usize)>,
    pub places: Vec<(String, usize)>,
}

/// Up to this many changed clippings are taken in place by [`FacetIndex::refresh`] in the app
/// ([`FacetIndex::needs_background`] is false); more go to a background thread.
pub const FACET_IN_PLACE: usize = 256;

/// The mentions of every clipping of a library, cached per clipping (stamped with its text,
/// dateline, credits and [`RULES_VERSION`]), and the library-wide facet counts kept up to date
/// as clippings change: after the first build only the changed clippings are extracted again,
/// and their old names are taken off the counts, their new ones added.
#[derive(Debug, Default)]
pub struct FacetIndex {
    tracker: crate::clipcache::Tracker,
    mentions: std::collections::HashMap<String, Mentions>,
    /// Clippings per speaker, person and place.
    counts: [std::collections::HashMap<String, usize>; 3],
    /// The sorted facets, until the counts change.
    sorted: Option<std::sync::Arc<Facets>>,
}

/// The clippings whose mentions must be extracted again, copied out of the library so that it
/// can be done on another thread ([`FacetSource::build`]).
#[derive(Debug)]
pub struct FacetSource(crate::clipcache::Changes<MentionMeta>);

/// Mentions extracted from a [`FacetSource`], for [`FacetIndex::adopt`].
pub type BuiltFacets = crate::clipcache::Computed<Mentions>;

impl FacetSource {
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Extract the mentions (in parallel).
    pub fn build(self) -> BuiltFacets {
        self.0.compute(|meta, text| meta.mentions(text))
    }
}

impl FacetIndex {
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the cache holds every clipping of `lib` as it is now.
    pub fn is_current(&self, lib: &crate::library::Library) -> bool {
        self.tracker.is_current(lib)
    }

    /// Whether it was ever built (it may be behind the library).
    pub fn is_built(&self) -> bool {
        self.tracker.is_built()
    }

    /// Whether bringing it up to date is better left to a background thread: never built,
    /// another library, or more than [`FACET_IN_PLACE`] changes (or more than the library
    /// remembers).
    pub fn needs_background(&self, lib: &crate::library::Library) -> bool {
        !self.tracker.is_current(lib)
            && self.tracker.pending(lib).is_none_or(|n| n > FACET_IN_PLACE)
    }

    /// What changed in `lib` since the cache was current.
    pub fn source(&self, lib: &crate::library::Library) -> FacetSource {
        FacetSource(
            self.tracker
                .changes(lib, mention_fingerprint, MentionMeta::of),
        )
    }

    /// Bring the cache up to date with `lib` here (in parallel).
    pub fn refresh(&mut self, lib: &crate::library::Library) {
        if !self.tracker.is_current(lib) {
            let source = self.source(lib);
            self.adopt(source.build());
        }
    }

    /// Take in mentions extracted from a [`FacetSource`]; the counts follow.
    pub fn adopt(&mut self, built: BuiltFacets) {
        if built.is_empty() {
            self.tracker.commit(built);
            return;
        }
        self.sorted = None;
        for (id, found) in self.tracker.commit(built) {
            if let Some(old) = self.mentions.remove(&id) {
                self.count(&old, false);
            }
            if let Some(found) = found {
                self.count(&found, true);
                self.mentions.insert(id, found);
            }
        }
    }

    fn count(&mut self, m: &Mentions, add: bool) {
        for (counts, names) in self
            .counts
            .iter_mut()
            .zip([&m.speakers, &m.people, &m.places])
        {
            for name in names {
                if add {
                    *counts.entry(name.clone()).or_default() += 1;
                } else if let Some(n) = counts.get_mut(name) {
                    *n -= 1;
                    if *n == 0 {
                        counts.remove(name);
                    }
                }
            }
        }
    }

    /// The cached mentions of one clipping (as of the last refresh).
    pub fn mentions(&self, id: &str) -> Option<&Mentions> {
        self.mentions.get(id)
    }

    /// The facets, most frequent first (sorted once per change).
    pub fn facets(&mut self) -> std::sync::Arc<Facets> {
        if let Some(sorted) = &self.sorted {
            return sorted.clone();
        }
        let list = |counts: &std::collections::HashMap<String, usize>| {
            let mut list: Vec<(String, usize)> =
                counts.iter().map(|(n, c)| (n.clone(), *c)).collect();
            list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            list
        };
        let sorted = std::sync::Arc::new(Facets {
            speakers: list(&self.counts[0]),
            people: list(&self.counts[1]),
            places: list(&self.counts[2]),
        });
        self.sorted = Some(sorted.clone());
        sorted
    }
}

/// "MOSCOW" as "Moscow"; a name already in mixed case stays as it is.
fn title_case(s: &str) -> String {
    if s.chars().any(char::is_lowercase) {
        return s.to_string();
    }
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f
                    .to_uppercase()
                    .chain(c.flat_map(char::to_lowercase))
                    .collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(text: &str) -> Vec<String> {
        text.split("\n\n").map(str::to_string).collect()
    }

    fn who(quotes: &[Quote]) -> Vec<(String, Option<String>)> {
        quotes
            .iter()
            .map(|q| (q.text.clone(), q.speaker.clone()))
            .collect()
    }

    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }

    #[test]
    fn quote_then_name_said() {
        let p = paras(
            "Mayor Lena Okafor opened the bridge on Monday.\n\n\"It took us nine years,\" Okafor said at the ribbon.",
        );
        let q = extract(&p);
        assert_eq!(
            who(&q),
            vec![("It took us nine years,".into(), s("Lena Okafor"))]
        );
        assert_eq!(q[0].title.as_deref(), Some("Mayor"));
        assert_eq!(q[0].paragraph, 1);
        assert_eq!(
            q[0].sentence,
            "\"It took us nine years,\" Okafor said at the ribbon."
        );
        let doc = crate::anchor::reading_text(&crate::model::ArticleMetadata {
            paragraphs: p,
            ..Default::default()
        });
        assert_eq!(
            crate::anchor::slice_chars(&doc, q[0].start, q[0].end),
            Some("It took us nine years,")
        );
    }

    #[test]
    fn name_said_colon_quote() {
        let q = extract(&paras(
            "Harbor chief Tomas Brandt said: “The cranes stay until spring.”",
        ));
        assert_eq!(
            who(&q),
            vec![("The cranes stay until spring.".into(), s("Tomas Brandt"))]
        );
        assert_eq!(q[0].title.as_deref(), Some("Harbor chief"));
    }

    #[test]
    fn said_title_name_after_the_quote() {
        let q = extract(&paras(
            "\"We will not close the port,\" said Transport Minister Ilse van den Berg on Friday.",
        ));
        assert_eq!(q[0].speaker.as_deref(), Some("Ilse van den Berg"));
        assert_eq!(q[0].title.as_deref(), Some("Transport Minister"));
    }

    #[test]
    fn said_name_comma_the_role_of() {
        let q = extract(&paras(
            "\"The water is clean again,\" said Ama Mensah, the director of the river authority.",
        ));
        assert_eq!(q[0].speaker.as_deref(), Some("Ama Mensah"));
        assert_eq!(
            q[0].title.as_deref(),
            Some("director of the river authority")
        );
    }

    #[test]
    fn appositive_between_name_and_verb() {
        let q = extract(&paras(
            "Pieter Jansen, a fisherman from the north shore, said the catch was \"the worst in memory.\"\n\n\
             The head of the guild, Marta Kowal, warned that prices would \"double by June.\"",
        ));
        assert_eq!(
            who(&q),
            vec![
                ("the worst in memory.".into(), s("Pieter Jansen")),
                ("double by June.".into(), s("Marta Kowal")),
            ]
        );
        assert_eq!(q[1].title.as_deref(), Some("head of the guild"));
    }

    #[test]
    fn a_quote_continued_over_paragraphs() {
        let p = paras(
            "\"We rebuilt the school first,\" said Nadia Haddad. \"Then the clinic.\n\n\"After that, the roads, one by one.\"\n\nThe council met later.",
        );
        let q = extract(&p);
        assert_eq!(q.len(), 2, "{q:#?}");
        assert_eq!(
            q[1].text,
            "Then the clinic. After that, the roads, one by one."
        );
        assert_eq!(q[1].speaker.as_deref(), Some("Nadia Haddad"));
        let doc = p.join("\n\n");
        assert!(
            crate::anchor::slice_chars(&doc, q[1].start, q[1].end)
                .is_some_and(|t| t.starts_with("Then the clinic.") && t.ends_with("one by one."))
        );
    }

    #[test]
    fn partial_quotes_inside_a_sentence() {
        let q = extract(&paras(
            "The talks stalled, with Okonkwo saying the offer was \"an insult\" and Diallo insisting that \"the door stays open.\"",
        ));
        assert_eq!(
            who(&q),
            vec![
                ("an insult".into(), s("Okonkwo")),
                ("the door stays open.".into(), s("Diallo")),
            ]
        );
    }

    #[test]
    fn he_said_resolves_to_the_previous_speaker() {
        let q = extract(&paras(
            "\"The budget is final,\" Treasurer Joan Pike said.\n\nBut, she added, \"we can talk about the parks.\"",
        ));
        assert_eq!(q[1].speaker.as_deref(), Some("Joan Pike"));
    }

    #[test]
    fn he_said_with_one_person_named_before() {
        let q = extract(&paras(
            "Coach Ruud Vink left the pitch early.\n\n\"I have seen enough,\" he said.",
        ));
        assert_eq!(q[0].speaker.as_deref(), Some("Ruud Vink"));
    }

    #[test]
    fn he_said_with_two_people_named_is_unknown() {
        let q = extract(&paras(
            "Senator Amy Lowe met Governor Raj Patel on Tuesday.\n\n\"It went well,\" he said.",
        ));
        assert_eq!(q[0].speaker, None);
    }

    #[test]
    fn an_unattributed_quote_after_a_quote_is_the_same_speaker() {
        let q = extract(&paras(
            "\"We lost the harvest,\" farmer Eli Brook said. \"All of it.\"",
        ));
        assert_eq!(q[1].speaker.as_deref(), Some("Eli Brook"));
        assert_eq!(q[1].sentence, q[0].sentence);
    }

    #[test]
    fn unattributed_and_scare_quotes() {
        // A quotation nothing attributes, far from any speaker, is kept with no speaker; a
        // single quoted word nothing attributes is a scare quote, not a quotation.
        let q = extract(&paras(
            "The so-called \"reform\" passed.\n\nA sign read \"closed for the season\" at the gate.",
        ));
        assert_eq!(who(&q), vec![("closed for the season".into(), None)]);
    }

    #[test]
    fn straight_and_curly_quotes_alike() {
        let a = extract(&paras("\"Go home,\" Ida Ross said."));
        let b = extract(&paras("“Go home,” Ida Ross said."));
        assert_eq!(who(&a), who(&b));
        assert_eq!(a[0].speaker.as_deref(), Some("Ida Ross"));
    }

    #[test]
    fn surname_particle_after_the_quote() {
        let q = extract(&paras(
            "Finance Minister Greta van der Meer spoke first.\n\n\"Taxes stay where they are,\" van der Meer told reporters.",
        ));
        assert_eq!(q[0].speaker.as_deref(), Some("Greta van der Meer"));
        assert_eq!(q[0].title.as_deref(), Some("Finance Minister"));
    }

    #[test]
    fn an_unnamed_speaker_is_not_the_previous_one() {
        let q = extract(&paras(
            "\"The ferry is late again,\" said commuter Ola Berg. \"Every day,\" said one woman.\n\n\
             Prices will \"rise sharply,\" a union source told Reuters.",
        ));
        assert_eq!(
            who(&q),
            vec![
                ("The ferry is late again,".into(), s("Ola Berg")),
                ("Every day,".into(), None),
                ("rise sharply,".into(), None),
            ]
        );
        assert_eq!(q[0].title.as_deref(), Some("commuter"));
    }

    #[test]
    fn titles_and_nicknames_are_not_quotations() {
        let q = extract(&paras(
            "\"We start filming in May,\" said Jo Lund, who directs \"The Long Winter\" for the studio.\n\n\
             The smuggler, known as \"the Fox\" or \"Mr Midnight,\" escaped.",
        ));
        assert_eq!(
            who(&q),
            vec![("We start filming in May,".into(), s("Jo Lund"))]
        );
    }

    #[test]
    fn a_name_after_says_that_starts_a_clause_is_not_the_speaker() {
        let q = extract(&paras(
            "Her office says Lund will promise \"a school in every village\" on Monday.",
        ));
        assert_eq!(who(&q), vec![("a school in every village".into(), None)]);
    }

    #[test]
    fn a_relative_clause_speaker() {
        let q = extract(&paras(
            "Mayor Ines Duarte, who promised in March that \"no street will flood again,\" visited the dikes.",
        ));
        assert_eq!(q[0].speaker.as_deref(), Some("Ines Duarte"));
    }

    #[test]
    fn odd_texts_do_not_break_it() {
        for text in [
            "",
            "\"",
            "\"\"",
            "”“",
            "\", he said.",
            "said",
            ", said ,",
            "\"Open\n\n\"",
            "\"One\n\n\"Two\n\n\"Three",
            "von der, von said \"x y\"",
            "Mr. . . \"a b\" said Dr.",
            "“Ünïcödé wörds,” sagte Jürgen Müller.",
            "\"a b,\" said the.",
        ] {
            let p = paras(text);
            let doc = p.join("\n\n");
            for q in extract(&p) {
                assert!(q.start <= q.end && q.end <= doc.chars().count(), "{text:?}");
            }
            let _ = mentions(&p, Some(text), &[text.to_string()]);
        }
    }

    #[test]
    fn people_and_places() {
        let m = mentions(
            &paras(
                "Finance Minister Greta van der Meer spoke in Rotterdam.\n\n\"Taxes stay,\" van der Meer said, before flying to Brussels. Reporter Sam Hale wrote it up.",
            ),
            Some("THE HAGUE, Netherlands"),
            &["Sam Hale".to_string(), "Nobody Here".to_string()],
        );
        assert_eq!(m.people[0], "Greta van der Meer");
        assert!(m.people.contains(&"Sam Hale".to_string()));
        assert!(!m.people.contains(&"Nobody Here".to_string()));
        assert_eq!(m.places, vec!["The Hague", "Rotterdam", "Brussels"]);
    }
}
