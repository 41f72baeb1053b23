//! The parts of a query without full text as SQL: WHERE conditions over the records, in the library's order.

use rusqlite::types::Value;

use crate::query::{Clause, Literal, Query, Term};

/// The statement and its parameters.
pub struct Plan {
    pub sql: String,
    pub params: Vec<Value>,
}

/// The columns of a row (then the caller adds `r.rowid`).
pub const COLUMNS: &str = "r.id, r.source_name, r.headline, r.deck, r.published, r.dateline, r.section, r.publication, r.tags, r.imported, r.highlights, r.notes, r.orphans";

/// The library's order: newest published, newest imported, then id.
pub const ORDER: &str = "r.published IS NULL, r.published DESC, r.imported DESC, r.id";

/// The SQL condition of one literal on `r` (the records row); a full-text term is not one
/// (the full text answers it) and holds for none here.
pub fn condition(lit: &Literal, params: &mut Vec<Value>) -> String {
    let cond = match &lit.term {
        Term::Text { .. } | Term::Speaker(_) => "0".to_string(),
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
        // A date is a prefix of the published date: `2015-11` holds from `2015-11` to
        // `2015-11-30`. Written as plain comparisons of the whole column (for a published
        // date at least as long as the bound, `substr(p, 1, n) >= b` is `p >= b`, and
        // `substr(p, 1, n) <= b` is `p < b'` where `b'` is the next string of `b`'s length),
        // so the index on `published` answers a range instead of every row being read.
        Term::Date(range) => {
            let mut parts = vec!["r.published IS NOT NULL".to_string()];
            if let Some(b) = &range.from {
                params.push(Value::Integer(b.chars().count() as i64));
                params.push(Value::Text(b.clone()));
                parts.push("length(r.published) >= ? AND r.published >= ?".to_string());
            }
            if let Some(b) = &range.to {
                let n = b.chars().count() as i64;
                params.push(Value::Integer(n));
                match successor(b) {
                    Some(next) => {
                        params.push(Value::Text(next));
                        parts.push("length(r.published) >= ? AND r.published < ?".to_string());
                    }
                    None => {
                        params.push(Value::Integer(n));
                        params.push(Value::Text(b.clone()));
                        parts.push(
                            "length(r.published) >= ? AND substr(r.published, 1, ?) <= ?"
                                .to_string(),
                        );
                    }
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

/// The first string after every string that starts with `s` and is no longer: `s` with its
/// last character the next one (SQLite compares text by its UTF-8 bytes, which orders as the
/// characters do). None when there is no next character.
fn successor(s: &str) -> Option<String> {
    let mut chars: Vec<char> = s.chars().collect();
    let last = chars.pop()?;
    let next = (u32::from(last) + 1..=u32::from(char::MAX)).find_map(char::from_u32)?;
    chars.push(next);
    Some(chars.into_iter().collect())
}

/// The statement for a query without full-text terms: every clause a WHERE condition.
pub fn plan(query: &Query) -> Plan {
    plan_selecting(query, COLUMNS)
}

/// The statement of the rowids of the clippings one filter holds for, unordered, with the
/// filter's negation left out (the caller leaves those clippings out instead).
pub fn positive_rowids(lit: &Literal) -> Plan {
    let positive = Literal {
        negated: false,
        ..lit.clone()
    };
    let mut params = Vec::new();
    let cond = condition(&positive, &mut params);
    Plan {
        sql: format!("SELECT r.rowid FROM records r WHERE {cond}"),
        params,
    }
}

pub fn plan_selecting(query: &Query, columns: &str) -> Plan {
    let mut params = Vec::new();
    let wheres: Vec<String> = query
        .clauses
        .iter()
        .map(|clause: &Clause| {
            let alts: Vec<String> = clause
                .alternatives
                .iter()
                .map(|l: &Literal| condition(l, &mut params))
                .collect();
            format!("({})", alts.join(" OR "))
        })
        .collect();
    let where_sql = if wheres.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", wheres.join(" AND "))
    };
    let sql = format!("SELECT {columns}, r.rowid FROM records r{where_sql} ORDER BY {ORDER}");
    Plan { sql, params }
}

#[cfg(test)]
mod tests {
    use super::successor;

    #[test]
    fn the_successor_of_a_bound_follows_every_string_it_begins() {
        assert_eq!(successor("2015-06").as_deref(), Some("2015-07"));
        assert_eq!(successor("2019").as_deref(), Some("201:"));
        assert_eq!(successor("ab\u{D7FF}").as_deref(), Some("ab\u{E000}"));
        assert_eq!(successor(""), None);
        assert_eq!(successor("\u{10FFFF}"), None);
        let next = successor("2015-06").unwrap_or_default();
        for inside in ["2015-06", "2015-06-30", "2015-06-01T23:59"] {
            assert!(inside < next.as_str(), "{inside}");
        }
        for after in ["2015-07", "2015-07-01", "2016"] {
            assert!(after >= next.as_str(), "{after}");
        }
    }
}
