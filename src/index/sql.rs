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

/// The statement for a query without full-text terms: every clause a WHERE condition.
pub fn plan(query: &Query) -> Plan {
    plan_selecting(query, COLUMNS)
}

/// [`plan`] selecting only each hit's id (then its rowid): for a caller that holds the
/// clippings already (the app), which need not have every row's fields built.
pub fn ids_plan(query: &Query) -> Plan {
    plan_selecting(query, "r.id")
}

fn plan_selecting(query: &Query, columns: &str) -> Plan {
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
