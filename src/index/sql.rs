//! A query AST translated into one SQL statement: an FTS5 MATCH for the full-text part (ranked by BM25), WHERE conditions for the rest.

use rusqlite::types::Value;

use crate::query::{Clause, Literal, Pattern, Query, Term, TextField};

/// The statement and its parameters.
pub struct Plan {
    pub sql: String,
    pub params: Vec<Value>,
    /// The MATCH expression of a full-text query, for the snippets.
    pub fts: Option<String>,
}

/// One pass over the rows matching an expression (the parameter), a snippet made for the rows
/// in `rowids` (a comma-separated list of integers) only: `(rowid, snippet or NULL)`.
pub fn snippets_sql(rowids: &str) -> String {
    format!(
        "SELECT rowid, CASE WHEN rowid IN ({rowids}) THEN snippet(fts, -1, '\u{E000}', '\u{E001}', '…', 12) END FROM fts WHERE fts MATCH ?1"
    )
}

/// Marks around a matching word in a snippet, as FTS5 writes them (private-use characters,
/// never in a text), turned into `**` by [`snippet_text`].
pub const OPEN: char = '\u{E000}';
pub const CLOSE: char = '\u{E001}';

/// The BM25 weight of each FTS column, in table order: headline, deck, text, notes, quotes,
/// comments, tags, persons, orgs, publication, section, dateline.
const WEIGHTS: &str = "10.0, 5.0, 1.0, 3.0, 3.0, 3.0, 5.0, 4.0, 4.0, 4.0, 2.0, 2.0";

const COLUMNS: &str = "r.id, r.source_name, r.headline, r.deck, r.published, r.dateline, r.section, r.publication, r.tags, r.imported, r.highlights, r.notes, r.orphans";

const ORDER: &str = "r.published IS NULL, r.published DESC, r.imported DESC, r.id";

fn column(field: TextField) -> &'static str {
    match field {
        TextField::Headline => "headline",
        TextField::Text => "text",
        TextField::Note => "notes",
        TextField::Comment => "comments",
        TextField::Person => "persons",
        TextField::Org => "orgs",
        TextField::Publication => "publication",
        TextField::Section => "section",
        TextField::Dateline => "dateline",
    }
}

/// An FTS5 string: the text in double quotes, quotes inside doubled. FTS5 tokenizes it
/// (case and accents folded), so a word with punctuation becomes a phrase of its parts.
fn fts_string(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// True when the text has something FTS5 indexes (a letter or a digit): a term of
/// punctuation alone asks for nothing and is dropped.
fn has_token(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

/// The FTS5 expression of a full-text term (not negated), or `None` for one asking nothing.
fn fts_term(term: &Term) -> Option<String> {
    let (field, expr) = match term {
        Term::Text { field, pattern } => {
            let expr = match pattern {
                Pattern::Word(w) | Pattern::Phrase(w) => has_token(w).then(|| fts_string(w)),
                Pattern::Prefix(p) => has_token(p).then(|| format!("{}*", fts_string(p))),
            }?;
            (*field, expr)
        }
        // The words must be in the text; the quotations are checked afterwards.
        Term::Speaker(w) => (
            Some(TextField::Text),
            has_token(w).then(|| format!("{}*", fts_string(w)))?,
        ),
        _ => return None,
    };
    Some(match field {
        Some(f) => format!("{} : {expr}", column(f)),
        None => expr,
    })
}

fn is_text(term: &Term) -> bool {
    matches!(term, Term::Text { .. } | Term::Speaker(_))
}

/// A term asking for nothing (punctuation alone): it holds for every clipping.
fn is_void(term: &Term) -> bool {
    is_text(term) && fts_term(term).is_none()
}

/// The SQL condition of one literal on `r` (the records row).
fn condition(lit: &Literal, params: &mut Vec<Value>) -> String {
    let cond = match &lit.term {
        term @ (Term::Text { .. } | Term::Speaker(_)) => {
            params.push(Value::Text(fts_term(term).unwrap_or_default()));
            "r.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)".to_string()
        }
        Term::Tag { name, prefix } => {
            let n = name.chars().count() as i64;
            if *prefix {
                params.push(Value::Integer(n));
                params.push(Value::Text(name.clone()));
                "EXISTS (SELECT 1 FROM tags t WHERE t.rec = r.rowid AND substr(t.tag, 1, ?) = ?)"
                    .to_string()
            } else {
                params.push(Value::Text(name.clone()));
                params.push(Value::Integer(n + 1));
                params.push(Value::Text(format!("{name}/")));
                "EXISTS (SELECT 1 FROM tags t WHERE t.rec = r.rowid AND (t.tag = ? OR substr(t.tag, 1, ?) = ?))".to_string()
            }
        }
        Term::Date(range) => {
            let mut parts = vec!["r.published IS NOT NULL".to_string()];
            for (bound, op) in [(&range.from, ">="), (&range.to, "<=")] {
                if let Some(b) = bound {
                    let n = b.len() as i64;
                    params.push(Value::Integer(n));
                    params.push(Value::Integer(n));
                    params.push(Value::Text(b.clone()));
                    parts.push(format!(
                        "length(r.published) >= ? AND substr(r.published, 1, ?) {op} ?"
                    ));
                }
            }
            format!("({})", parts.join(" AND "))
        }
        Term::HasHighlights => "r.highlights > 0".to_string(),
        Term::HasNotes => "r.notes > 0".to_string(),
        Term::IsOrphan => "r.orphans > 0".to_string(),
    };
    if lit.negated {
        format!("NOT ({cond})")
    } else {
        cond
    }
}

/// The statement for a query: the full-text clauses (every alternative a positive full-text
/// term) form the MATCH that ranks; a negated full-text term is cut from it with NOT; every
/// other clause is a WHERE condition.
pub fn plan(query: &Query) -> Plan {
    plan_selecting(query, COLUMNS)
}

/// [`plan`] selecting only each hit's id (then its rowid): for a caller that holds the
/// clippings already (the app), which need not have every row's fields built.
pub fn ids_plan(query: &Query) -> Plan {
    plan_selecting(query, "r.id")
}

fn plan_selecting(query: &Query, columns: &str) -> Plan {
    let clauses: Vec<Clause> = query
        .clauses
        .iter()
        .filter(|c| !c.alternatives.iter().any(|l| is_void(&l.term)))
        .cloned()
        .collect();
    let mut matches: Vec<String> = Vec::new();
    let mut negated: Vec<String> = Vec::new();
    let mut rest: Vec<&Clause> = Vec::new();
    for clause in &clauses {
        let all_text = clause
            .alternatives
            .iter()
            .all(|l| !l.negated && is_text(&l.term));
        if all_text {
            let alts: Vec<String> = clause
                .alternatives
                .iter()
                .filter_map(|l| fts_term(&l.term))
                .collect();
            matches.push(format!("({})", alts.join(" OR ")));
        } else if let [lit] = clause.alternatives.as_slice()
            && lit.negated
            && is_text(&lit.term)
        {
            negated.push(fts_term(&lit.term).unwrap_or_default());
        } else {
            rest.push(clause);
        }
    }
    let mut params = Vec::new();
    let mut wheres = Vec::new();
    let ranked = !matches.is_empty();
    let mut fts = None;
    if ranked {
        let mut expr = matches.join(" AND ");
        for n in &negated {
            expr = format!("({expr}) NOT ({n})");
        }
        params.push(Value::Text(expr.clone()));
        fts = Some(expr);
        wheres.push("fts MATCH ?".to_string());
    } else if !negated.is_empty() {
        params.push(Value::Text(negated.join(" OR ")));
        wheres.push("r.rowid NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?)".to_string());
    }
    for clause in rest {
        let alts: Vec<String> = clause
            .alternatives
            .iter()
            .map(|l| condition(l, &mut params))
            .collect();
        wheres.push(format!("({})", alts.join(" OR ")));
    }
    let where_sql = if wheres.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", wheres.join(" AND "))
    };
    let sql = if ranked {
        format!(
            "SELECT {columns}, r.rowid FROM fts JOIN records r ON r.rowid = fts.rowid{where_sql} ORDER BY bm25(fts, {WEIGHTS}), {ORDER}"
        )
    } else {
        format!("SELECT {columns}, r.rowid FROM records r{where_sql} ORDER BY {ORDER}")
    };
    Plan { sql, params, fts }
}

/// A snippet as FTS5 wrote it, on one line, the matching words between `**`.
pub fn snippet_text(raw: &str) -> String {
    raw.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace([OPEN, CLOSE], "**")
}
