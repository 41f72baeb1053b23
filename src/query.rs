//! The search query language (words, phrases, `-word`, `OR`, `word*`, fields, dates, `has:`/`is:`) parsed into an AST; pure, no I/O.
//!
//! Grammar, informally (see [`HELP`] for the one-line version shown to the reader):
//!
//! - `natural ally` — every word must match (anywhere: headline, text, notes, tags, names…);
//! - `"natural ally"` — the exact phrase (the words next to each other, in order);
//! - `-word`, `-"a phrase"`, `-headline:word` — must not match;
//! - `a OR b` — either; `OR` binds tighter than the implicit AND: `x a OR b y` is
//!   x AND (a OR b) AND y. Only upper-case `OR` is the operator; `or` is a word;
//! - `word*` — words starting with `word`;
//! - `FIELD:word`, `FIELD:word*`, `FIELD:"a phrase"` — only in that field, one of `headline:`
//!   `text:` `note:` `comment:` `person:` `org:` `publication:` `section:` `dateline:`;
//! - `tag:syria` — tagged `syria` or a sub-tag of it (`syria/diplomacy`); `tag:syr*` any tag
//!   starting with `syr`;
//! - `speaker:putin` — quotes a speaker whose name holds the word (only as a plain AND term:
//!   not after `-`, not in an `OR`);
//! - `date:2015`, `date:2015-11`, `date:2015-11-27`, `date:2015-01..2015-06`, `date:2015..`,
//!   `date:..2015-06` — published in that year, month, day or range (bounds included);
//! - `has:highlights`, `has:notes`, `is:orphan` (a highlight not found in the text any more).
//!
//! A word with a colon whose prefix is not one of these fields (`10:30`, `http://…`) is a plain
//! word, on purpose: such text is typed far more often than a mistyped field name. A known
//! field with nothing after it, an unclosed quote, a `*` inside a word, a bad date, an unknown
//! `has:`/`is:` value or a dangling `OR` are errors that say what is wrong and where.

/// The one-line help shown under the search box and in `--help`.
pub const HELP: &str = "all words must match · \"exact phrase\" · -word · a OR b · word* · headline: text: note: comment: tag: person: org: publication: section: dateline: speaker: · date:2015-11 · date:2015-01..2015-06 · has:highlights · has:notes · is:orphan";

/// A parsed query: every clause must hold. No clauses: everything matches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub clauses: Vec<Clause>,
}

/// Alternatives joined by `OR`: at least one must hold. A clause without `OR` has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub alternatives: Vec<Literal>,
}

/// A term, possibly negated (`-term`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literal {
    pub negated: bool,
    pub term: Term,
    /// Where the term starts in the query, in characters from 0.
    pub at: usize,
}

/// One thing a clipping can match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// Full-text: a word, a prefix or a phrase, in every field or in one.
    Text {
        field: Option<TextField>,
        pattern: Pattern,
    },
    /// Tagged with this tag or a sub-tag of it (`prefix`: any tag starting with `name`);
    /// `name` lowercased.
    Tag { name: String, prefix: bool },
    /// Published within the range.
    Date(DateRange),
    /// Has at least one highlight.
    HasHighlights,
    /// Has notes.
    HasNotes,
    /// Has a highlight that is not found in the text any more.
    IsOrphan,
    /// Quotes a speaker whose name holds this word (lowercased).
    Speaker(String),
}

/// What a full-text term looks for. Case and accents never matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pattern {
    Word(String),
    /// Words starting with this.
    Prefix(String),
    /// These words next to each other, in order (the text between the quotes).
    Phrase(String),
}

/// The fields a full-text term can be limited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextField {
    Headline,
    Text,
    Note,
    Comment,
    Person,
    Org,
    Publication,
    Section,
    Dateline,
}

impl TextField {
    /// Every field, with the name typed before its colon.
    pub const ALL: [(&'static str, TextField); 9] = [
        ("headline", TextField::Headline),
        ("text", TextField::Text),
        ("note", TextField::Note),
        ("comment", TextField::Comment),
        ("person", TextField::Person),
        ("org", TextField::Org),
        ("publication", TextField::Publication),
        ("section", TextField::Section),
        ("dateline", TextField::Dateline),
    ];

    pub fn name(self) -> &'static str {
        TextField::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("", |(n, _)| n)
    }
}

/// A range of publication dates, each bound an ISO date of 4, 7 or 10 characters (`2015`,
/// `2015-11`, `2015-11-27`), both included; `None` is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateRange {
    pub from: Option<String>,
    pub to: Option<String>,
}

impl DateRange {
    /// True when a published date (ISO, of any precision) lies in the range: it is compared at
    /// each bound's precision, so `2015-11-27` is in `2015-11` and in `2015..2015`. A date less
    /// precise than a bound (`2015` against `2015-11`) is not in it: the month is not known.
    pub fn contains(&self, published: &str) -> bool {
        let cut = |bound: &str| {
            published
                .get(..bound.len())
                .filter(|p| p.len() == bound.len())
        };
        self.from
            .as_deref()
            .is_none_or(|b| cut(b).is_some_and(|p| p >= b))
            && self
                .to
                .as_deref()
                .is_none_or(|b| cut(b).is_some_and(|p| p <= b))
    }
}

/// What is wrong with a query, and where (`at`, in characters from 0; shown from 1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("the quote at character {} is never closed: add a closing \"", .at + 1)]
    UnclosedQuote { at: usize },
    #[error("{field}: at character {} needs a word or a \"phrase\" after it", .at + 1)]
    EmptyField { field: String, at: usize },
    #[error("\"{value}\" at character {} is not a date: use date:2015, date:2015-11, date:2015-11-27 or a range date:2015-01..2015-06", .at + 1)]
    BadDate { value: String, at: usize },
    #[error("the dates at character {} run backwards: {from} is after {to}", .at + 1)]
    BackwardsDates { from: String, to: String, at: usize },
    #[error("has:{value} at character {} is not known: use has:highlights or has:notes", .at + 1)]
    UnknownHas { value: String, at: usize },
    #[error("is:{value} at character {} is not known: use is:orphan", .at + 1)]
    UnknownIs { value: String, at: usize },
    #[error("OR at character {} needs a term on each side (a OR b)", .at + 1)]
    DanglingOr { at: usize },
    #[error("the * at character {} must end a word (natur* finds natural, nature)", .at + 1)]
    MisplacedStar { at: usize },
    #[error("the - at character {} must be followed by a word (-word)", .at + 1)]
    LoneMinus { at: usize },
    #[error("speaker: at character {} cannot be negated or part of an OR", .at + 1)]
    SpeakerNotPlain { at: usize },
}

impl QueryError {
    /// Where the problem is, in characters from 0.
    pub fn at(&self) -> usize {
        match self {
            QueryError::UnclosedQuote { at }
            | QueryError::EmptyField { at, .. }
            | QueryError::BadDate { at, .. }
            | QueryError::BackwardsDates { at, .. }
            | QueryError::UnknownHas { at, .. }
            | QueryError::UnknownIs { at, .. }
            | QueryError::DanglingOr { at }
            | QueryError::MisplacedStar { at }
            | QueryError::LoneMinus { at }
            | QueryError::SpeakerNotPlain { at } => *at,
        }
    }
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    /// The `speaker:` words (each a plain AND clause).
    pub fn speakers(&self) -> impl Iterator<Item = &str> {
        self.clauses
            .iter()
            .filter_map(|c| match c.alternatives.as_slice() {
                [
                    Literal {
                        term: Term::Speaker(w),
                        ..
                    },
                ] => Some(w.as_str()),
                _ => None,
            })
    }
}

/// One token of the query: a literal or the `OR` operator.
enum Token {
    Lit(Literal),
    Or { at: usize },
}

/// Parse a query. See the module documentation for the syntax.
pub fn parse(input: &str) -> Result<Query, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let mut negated = false;
        if chars[i] == '-' {
            if chars.get(i + 1).is_none_or(|c| c.is_whitespace()) {
                return Err(QueryError::LoneMinus { at: i });
            }
            negated = true;
            i += 1;
        }
        if chars[i] == '"' {
            let (phrase, next) = quoted(&chars, i)?;
            i = next;
            if let Some(term) = phrase_term(None, phrase) {
                tokens.push(Token::Lit(Literal {
                    negated,
                    term,
                    at: start,
                }));
            }
            continue;
        }
        // A bare run: up to white space or a quote.
        let run_start = i;
        while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '"' {
            i += 1;
        }
        let run: String = chars[run_start..i].iter().collect();
        if run == "OR" && !negated {
            tokens.push(Token::Or { at: start });
            continue;
        }
        // A field: `name:` with a known name.
        if let Some((name, value)) = run.split_once(':')
            && let Some(field) = field_of(name)
        {
            let value_at = run_start + name.chars().count() + 1;
            let term = if value.is_empty() && chars.get(i) == Some(&'"') {
                let (phrase, next) = quoted(&chars, i)?;
                i = next;
                match field {
                    Field::Text(f) => phrase_term(Some(f), phrase),
                    Field::Tag => Some(Term::Tag {
                        name: phrase.trim().to_lowercase(),
                        prefix: false,
                    })
                    .filter(|_| !phrase.trim().is_empty()),
                    _ => field_term(field, phrase.trim(), value_at)?,
                }
                .ok_or_else(|| QueryError::EmptyField {
                    field: name.to_lowercase(),
                    at: start,
                })?
            } else if value.is_empty() {
                return Err(QueryError::EmptyField {
                    field: name.to_lowercase(),
                    at: run_start,
                });
            } else {
                field_term(field, value, value_at)?.ok_or_else(|| QueryError::EmptyField {
                    field: name.to_lowercase(),
                    at: run_start,
                })?
            };
            tokens.push(Token::Lit(Literal {
                negated,
                term,
                at: start,
            }));
            continue;
        }
        let pattern = word_pattern(&run, run_start)?;
        tokens.push(Token::Lit(Literal {
            negated,
            term: Term::Text {
                field: None,
                pattern,
            },
            at: start,
        }));
    }
    group(tokens)
}

/// The text between the quote at `open` and the next one, and the index after the closing one.
fn quoted(chars: &[char], open: usize) -> Result<(String, usize), QueryError> {
    let close = chars[open + 1..]
        .iter()
        .position(|&c| c == '"')
        .ok_or(QueryError::UnclosedQuote { at: open })?;
    let phrase: String = chars[open + 1..open + 1 + close].iter().collect();
    Ok((phrase, open + close + 2))
}

/// A phrase term, or none for an empty phrase (`""` matches everything: it is dropped).
fn phrase_term(field: Option<TextField>, phrase: String) -> Option<Term> {
    let phrase = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
    (!phrase.is_empty()).then_some(Term::Text {
        field,
        pattern: Pattern::Phrase(phrase),
    })
}

/// A bare word: `word` or `word*`.
fn word_pattern(run: &str, at: usize) -> Result<Pattern, QueryError> {
    match run.find('*') {
        None => Ok(Pattern::Word(run.to_string())),
        Some(star) => {
            let stem = &run[..star];
            if star + 1 != run.len() || !stem.chars().any(char::is_alphanumeric) {
                return Err(QueryError::MisplacedStar {
                    at: at + run[..star].chars().count(),
                });
            }
            Ok(Pattern::Prefix(stem.to_string()))
        }
    }
}

/// What a field name before a colon asks for.
#[derive(Clone, Copy)]
enum Field {
    Text(TextField),
    Tag,
    Date,
    Has,
    Is,
    Speaker,
}

fn field_of(name: &str) -> Option<Field> {
    let name = name.to_ascii_lowercase();
    if let Some((_, f)) = TextField::ALL.iter().find(|(n, _)| *n == name) {
        return Some(Field::Text(*f));
    }
    Some(match name.as_str() {
        "tag" => Field::Tag,
        "date" => Field::Date,
        "has" => Field::Has,
        "is" => Field::Is,
        "speaker" => Field::Speaker,
        _ => return None,
    })
}

/// The term of `name:value` (value not empty, unquoted); `None` when nothing is left of it.
fn field_term(field: Field, value: &str, at: usize) -> Result<Option<Term>, QueryError> {
    Ok(Some(match field {
        Field::Text(f) => Term::Text {
            field: Some(f),
            pattern: word_pattern(value, at)?,
        },
        Field::Tag => {
            let (name, prefix) = match value.strip_suffix('*') {
                Some(stem) => (stem, true),
                None => (value, false),
            };
            let name = name.trim_end_matches('/').to_lowercase();
            if name.is_empty() {
                return Ok(None);
            }
            Term::Tag { name, prefix }
        }
        Field::Date => Term::Date(date_range(value, at)?),
        Field::Has => match value.to_ascii_lowercase().as_str() {
            "highlights" | "highlight" => Term::HasHighlights,
            "notes" | "note" => Term::HasNotes,
            _ => {
                return Err(QueryError::UnknownHas {
                    value: value.to_string(),
                    at,
                });
            }
        },
        Field::Is => match value.to_ascii_lowercase().as_str() {
            "orphan" | "orphans" | "orphaned" => Term::IsOrphan,
            _ => {
                return Err(QueryError::UnknownIs {
                    value: value.to_string(),
                    at,
                });
            }
        },
        Field::Speaker => Term::Speaker(value.to_lowercase()),
    }))
}

/// `2015`, `2015-11`, `2015-11-27`, `A..B`, `A..`, `..B`.
fn date_range(value: &str, at: usize) -> Result<DateRange, QueryError> {
    let bad = || QueryError::BadDate {
        value: value.to_string(),
        at,
    };
    let Some((from, to)) = value.split_once("..") else {
        let date = iso_date(value).ok_or_else(bad)?;
        return Ok(DateRange {
            from: Some(date.clone()),
            to: Some(date),
        });
    };
    if from.is_empty() && to.is_empty() {
        return Err(bad());
    }
    let bound = |s: &str| -> Result<Option<String>, QueryError> {
        if s.is_empty() {
            Ok(None)
        } else {
            iso_date(s).map(Some).ok_or_else(bad)
        }
    };
    let (from, to) = (bound(from)?, bound(to)?);
    if let (Some(f), Some(t)) = (&from, &to) {
        let n = f.len().min(t.len());
        if f[..n] > t[..n] {
            return Err(QueryError::BackwardsDates {
                from: f.clone(),
                to: t.clone(),
                at,
            });
        }
    }
    Ok(DateRange { from, to })
}

/// An ISO date of year, month or day precision, checked (month 1-12, a day the month has).
fn iso_date(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| -> Option<u32> {
        (p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let year = num(parts.first()?, 4)?;
    if let Some(m) = parts.get(1) {
        let month = num(m, 2)?;
        if !(1..=12).contains(&month) {
            return None;
        }
        if let Some(d) = parts.get(2) {
            let day = num(d, 2)?;
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            let days = match month {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            if !(1..=days).contains(&day) {
                return None;
            }
        }
    }
    (parts.len() <= 3).then(|| s.to_string())
}

/// Join the tokens into clauses: `OR` joins the literal after it to the clause before it.
fn group(tokens: Vec<Token>) -> Result<Query, QueryError> {
    let mut clauses: Vec<Clause> = Vec::new();
    let mut pending_or: Option<usize> = None;
    for token in tokens {
        match token {
            Token::Or { at } => {
                if clauses.is_empty() || pending_or.is_some() {
                    return Err(QueryError::DanglingOr { at });
                }
                pending_or = Some(at);
            }
            Token::Lit(lit) => match (pending_or.take(), clauses.last_mut()) {
                (Some(_), Some(last)) => last.alternatives.push(lit),
                _ => clauses.push(Clause {
                    alternatives: vec![lit],
                }),
            },
        }
    }
    if let Some(at) = pending_or {
        return Err(QueryError::DanglingOr { at });
    }
    for clause in &clauses {
        let plain = clause.alternatives.len() == 1 && !clause.alternatives[0].negated;
        if let Some(speaker) = clause
            .alternatives
            .iter()
            .find(|l| matches!(l.term, Term::Speaker(_)))
            && !plain
        {
            return Err(QueryError::SpeakerNotPlain { at: speaker.at });
        }
    }
    Ok(Query { clauses })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> Term {
        Term::Text {
            field: None,
            pattern: Pattern::Word(w.into()),
        }
    }

    /// The terms of a query, clause by clause, with `-` for negated ones.
    fn shape(q: &str) -> Vec<Vec<(bool, Term)>> {
        parse(q)
            .unwrap_or_else(|e| panic!("{q}: {e}"))
            .clauses
            .into_iter()
            .map(|c| {
                c.alternatives
                    .into_iter()
                    .map(|l| (l.negated, l.term))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn every_word_is_a_clause_of_its_own() {
        assert_eq!(
            shape("  natural   ally "),
            vec![vec![(false, word("natural"))], vec![(false, word("ally"))]]
        );
        assert!(parse("").expect("empty").is_empty());
        assert!(parse("   ").expect("blank").is_empty());
    }

    #[test]
    fn a_quoted_phrase_is_one_term_with_its_spaces_folded() {
        assert_eq!(
            shape("\"natural   ally\" syria"),
            vec![
                vec![(
                    false,
                    Term::Text {
                        field: None,
                        pattern: Pattern::Phrase("natural ally".into())
                    }
                )],
                vec![(false, word("syria"))]
            ]
        );
        // An empty phrase asks for nothing.
        assert!(parse("\"\"").expect("empty phrase").is_empty());
    }

    #[test]
    fn an_unclosed_quote_says_where_it_opened() {
        let err = parse("putin \"natural ally").expect_err("unclosed");
        assert_eq!(err, QueryError::UnclosedQuote { at: 6 });
        assert!(err.to_string().contains("character 7"), "{err}");
        assert!(matches!(
            parse("headline:\"open").expect_err("unclosed"),
            QueryError::UnclosedQuote { at: 9 }
        ));
    }

    #[test]
    fn minus_negates_words_phrases_and_fields() {
        assert_eq!(
            shape("-putin -\"white house\" -headline:obama"),
            vec![
                vec![(true, word("putin"))],
                vec![(
                    true,
                    Term::Text {
                        field: None,
                        pattern: Pattern::Phrase("white house".into())
                    }
                )],
                vec![(
                    true,
                    Term::Text {
                        field: Some(TextField::Headline),
                        pattern: Pattern::Word("obama".into())
                    }
                )],
            ]
        );
        // A hyphen inside a word is part of the word.
        assert_eq!(shape("al-assad"), vec![vec![(false, word("al-assad"))]]);
        assert_eq!(
            parse("putin - obama").expect_err("lone minus"),
            QueryError::LoneMinus { at: 6 }
        );
    }

    #[test]
    fn or_joins_its_neighbours_and_binds_tighter_than_and() {
        assert_eq!(
            shape("syria putin OR erdogan OR obama talks"),
            vec![
                vec![(false, word("syria"))],
                vec![
                    (false, word("putin")),
                    (false, word("erdogan")),
                    (false, word("obama"))
                ],
                vec![(false, word("talks"))],
            ]
        );
        // Lower-case "or" is a word.
        assert_eq!(
            shape("war or peace"),
            vec![
                vec![(false, word("war"))],
                vec![(false, word("or"))],
                vec![(false, word("peace"))]
            ]
        );
    }

    #[test]
    fn a_dangling_or_is_an_error_at_its_place() {
        assert_eq!(
            parse("OR putin").expect_err("leading"),
            QueryError::DanglingOr { at: 0 }
        );
        assert_eq!(
            parse("putin OR").expect_err("trailing"),
            QueryError::DanglingOr { at: 6 }
        );
        assert_eq!(
            parse("putin OR OR obama").expect_err("double"),
            QueryError::DanglingOr { at: 9 }
        );
    }

    #[test]
    fn a_star_ends_a_word_and_nowhere_else() {
        assert_eq!(
            shape("natur*"),
            vec![vec![(
                false,
                Term::Text {
                    field: None,
                    pattern: Pattern::Prefix("natur".into())
                }
            )]]
        );
        assert_eq!(
            parse("na*ture").expect_err("inside"),
            QueryError::MisplacedStar { at: 2 }
        );
        assert_eq!(
            parse("putin *").expect_err("alone"),
            QueryError::MisplacedStar { at: 6 }
        );
        assert_eq!(
            shape("headline:ally*"),
            vec![vec![(
                false,
                Term::Text {
                    field: Some(TextField::Headline),
                    pattern: Pattern::Prefix("ally".into())
                }
            )]]
        );
    }

    #[test]
    fn every_text_field_takes_a_word_or_a_phrase() {
        for (name, field) in TextField::ALL {
            assert_eq!(
                shape(&format!("{name}:kremlin")),
                vec![vec![(
                    false,
                    Term::Text {
                        field: Some(field),
                        pattern: Pattern::Word("kremlin".into())
                    }
                )]],
                "{name}"
            );
            assert_eq!(
                shape(&format!("{}:\"the kremlin\"", name.to_uppercase())),
                vec![vec![(
                    false,
                    Term::Text {
                        field: Some(field),
                        pattern: Pattern::Phrase("the kremlin".into())
                    }
                )]],
                "{name}"
            );
            assert_eq!(field.name(), name);
        }
    }

    #[test]
    fn a_known_field_without_a_value_is_an_error() {
        assert_eq!(
            parse("putin headline:").expect_err("empty"),
            QueryError::EmptyField {
                field: "headline".into(),
                at: 6
            }
        );
        assert!(matches!(
            parse("tag: syria").expect_err("space"),
            QueryError::EmptyField { .. }
        ));
        assert!(matches!(
            parse("person:\"  \"").expect_err("blank phrase"),
            QueryError::EmptyField { .. }
        ));
    }

    #[test]
    fn an_unknown_field_is_a_plain_word() {
        assert_eq!(shape("10:30"), vec![vec![(false, word("10:30"))]]);
        assert_eq!(
            shape("https://example.org"),
            vec![vec![(false, word("https://example.org"))]]
        );
        assert_eq!(shape("colour:red"), vec![vec![(false, word("colour:red"))]]);
    }

    #[test]
    fn tags_keep_their_hierarchy_and_case_folds() {
        assert_eq!(
            shape("tag:Syria/Diplomacy tag:russia/ tag:sub*"),
            vec![
                vec![(
                    false,
                    Term::Tag {
                        name: "syria/diplomacy".into(),
                        prefix: false
                    }
                )],
                vec![(
                    false,
                    Term::Tag {
                        name: "russia".into(),
                        prefix: false
                    }
                )],
                vec![(
                    false,
                    Term::Tag {
                        name: "sub".into(),
                        prefix: true
                    }
                )],
            ]
        );
        assert_eq!(
            shape("tag:\"to read\""),
            vec![vec![(
                false,
                Term::Tag {
                    name: "to read".into(),
                    prefix: false
                }
            )]]
        );
    }

    fn range(from: Option<&str>, to: Option<&str>) -> Term {
        Term::Date(DateRange {
            from: from.map(Into::into),
            to: to.map(Into::into),
        })
    }

    #[test]
    fn dates_of_each_precision_and_ranges() {
        assert_eq!(
            shape("date:2015-11"),
            vec![vec![(false, range(Some("2015-11"), Some("2015-11")))]]
        );
        assert_eq!(
            shape("date:2015-01..2015-06"),
            vec![vec![(false, range(Some("2015-01"), Some("2015-06")))]]
        );
        assert_eq!(
            shape("date:2016.."),
            vec![vec![(false, range(Some("2016"), None))]]
        );
        assert_eq!(
            shape("date:..2016-02-29"),
            vec![vec![(false, range(None, Some("2016-02-29")))]]
        );
    }

    #[test]
    fn a_date_that_is_not_one_says_so() {
        for bad in [
            "date:nov",
            "date:2015-13",
            "date:2015-1",
            "date:2015-02-29",
            "date:2015-04-31",
            "date:15-11",
            "date:..",
            "date:2015-11-27-01",
            "date:2015...2016",
        ] {
            match parse(bad) {
                Err(QueryError::BadDate { at: 5, .. }) => {}
                other => panic!("{bad}: {other:?}"),
            }
        }
        let err = parse("syria date:2015-06..2015-01").expect_err("backwards");
        assert!(matches!(err, QueryError::BackwardsDates { at: 11, .. }));
        assert!(
            err.to_string().contains("2015-06 is after 2015-01"),
            "{err}"
        );
    }

    #[test]
    fn date_ranges_compare_at_each_bounds_precision() {
        let r = |q: &str| match &shape(q)[0][0].1 {
            Term::Date(r) => r.clone(),
            other => panic!("{other:?}"),
        };
        assert!(r("date:2015-11").contains("2015-11-27"));
        assert!(r("date:2015-11").contains("2015-11"));
        assert!(!r("date:2015-11").contains("2015-12-01"));
        assert!(!r("date:2015-11").contains("2015"));
        assert!(r("date:2015-01..2015-06").contains("2015-06-30"));
        assert!(r("date:2015-01..2015-06").contains("2015-01-01"));
        assert!(!r("date:2015-01..2015-06").contains("2015-07-01"));
        assert!(!r("date:2015-01..2015-06").contains("2014-12-31"));
        assert!(r("date:2015..").contains("2031-01-01"));
        assert!(!r("date:..2015-06-15").contains("2015-06-16"));
        assert!(r("date:2015").contains("2015"));
    }

    #[test]
    fn has_and_is() {
        assert_eq!(
            shape("has:highlights HAS:Notes is:orphan -has:notes"),
            vec![
                vec![(false, Term::HasHighlights)],
                vec![(false, Term::HasNotes)],
                vec![(false, Term::IsOrphan)],
                vec![(true, Term::HasNotes)],
            ]
        );
        let err = parse("has:pictures").expect_err("unknown");
        assert_eq!(
            err,
            QueryError::UnknownHas {
                value: "pictures".into(),
                at: 4
            }
        );
        assert!(err.to_string().contains("has:highlights"), "{err}");
        assert!(matches!(
            parse("is:read").expect_err("unknown"),
            QueryError::UnknownIs { .. }
        ));
    }

    #[test]
    fn speaker_is_a_plain_and_term_only() {
        let q = parse("coalition speaker:Putin").expect("speaker");
        assert_eq!(q.speakers().collect::<Vec<_>>(), vec!["putin"]);
        assert!(matches!(
            parse("-speaker:putin").expect_err("negated"),
            QueryError::SpeakerNotPlain { at: 0 }
        ));
        assert!(matches!(
            parse("putin OR speaker:obama").expect_err("or"),
            QueryError::SpeakerNotPlain { at: 9 }
        ));
    }

    #[test]
    fn a_quote_inside_a_word_starts_a_phrase() {
        assert_eq!(
            shape("say\"natural ally\""),
            vec![
                vec![(false, word("say"))],
                vec![(
                    false,
                    Term::Text {
                        field: None,
                        pattern: Pattern::Phrase("natural ally".into())
                    }
                )],
            ]
        );
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        assert_eq!(
            parse("Erdoğan Ünal \"ouvert").expect_err("unclosed"),
            QueryError::UnclosedQuote { at: 13 }
        );
    }

    #[test]
    fn the_help_is_one_line_naming_every_operator() {
        assert!(!HELP.contains('\n'));
        for (name, _) in TextField::ALL {
            assert!(HELP.contains(&format!("{name}:")), "{name}");
        }
        for op in [
            "\"exact phrase\"",
            "-word",
            "OR",
            "word*",
            "tag:",
            "date:",
            "has:highlights",
            "has:notes",
            "is:orphan",
        ] {
            assert!(HELP.contains(op), "{op}");
        }
    }
}
