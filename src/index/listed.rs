//! What a search lists for each hit: the whole row ([`Hit`]) or only the line `clipfile list` prints ([`Line`]).

use std::cmp::Ordering;

use super::{Hit, sql};

/// A hit as a search builds it from the columns it names (then `r.rowid`).
pub(super) trait Listed: Send + Sync + Sized {
    /// The columns read, in the order [`Listed::read`] takes them.
    const COLUMNS: &'static str;
    /// How many columns that is (the rowid follows them).
    const COUNT: usize;
    fn read(r: &rusqlite::Row) -> rusqlite::Result<Self>;
    fn id(&self) -> &str;
    fn published(&self) -> Option<&str>;
    fn imported(&self) -> &str;
    fn set_snippet(&mut self, snippet: Option<String>);
}

/// The library's order between two hits: newest published (undated last), newest imported,
/// then id (as [`sql::ORDER`]; SQLite compares text bytewise, as `str` does).
pub(super) fn library_order<T: Listed>(a: &T, b: &T) -> Ordering {
    let (pa, pb) = (a.published(), b.published());
    pa.is_none()
        .cmp(&pb.is_none())
        .then_with(|| pb.cmp(&pa))
        .then_with(|| b.imported().cmp(a.imported()))
        .then_with(|| a.id().cmp(b.id()))
}

impl Listed for Hit {
    const COLUMNS: &'static str = sql::COLUMNS;
    const COUNT: usize = 13;

    fn read(r: &rusqlite::Row) -> rusqlite::Result<Self> {
        super::row_of(r).map(|(_, row)| Hit { row, snippet: None })
    }
    fn id(&self) -> &str {
        &self.row.id
    }
    fn published(&self) -> Option<&str> {
        self.row.published.as_deref()
    }
    fn imported(&self) -> &str {
        &self.row.imported
    }
    fn set_snippet(&mut self, snippet: Option<String>) {
        self.snippet = snippet;
    }
}

/// A hit as one line of a listing: id, date published, title (the headline, else the file
/// name) and tags, with the snippet. The fields share one string: at 100,000 hits the dozen
/// fields of whole rows, each a string of its own, took a third of `clipfile list --search`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The id, the date imported, the date published, the title and the tags (one a line),
    /// one after another.
    text: String,
    /// Where each but the last ends in `text`.
    ends: [u32; 4],
    has_published: bool,
    pub snippet: Option<String>,
}

impl Line {
    fn part(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        let end = self.ends.get(i).map_or(self.text.len(), |&e| e as usize);
        self.text.get(start..end).unwrap_or_default()
    }
    pub fn id(&self) -> &str {
        self.part(0)
    }
    pub fn published(&self) -> Option<&str> {
        self.has_published.then(|| self.part(2))
    }
    /// The headline, else the file name (as [`super::Row::title`]).
    pub fn title(&self) -> &str {
        self.part(3)
    }
    pub fn tags(&self) -> impl Iterator<Item = &str> {
        self.part(4).lines().filter(|l| !l.is_empty())
    }
}

impl Listed for Line {
    const COLUMNS: &'static str =
        "r.id, r.imported, r.published, coalesce(r.headline, r.source_name), r.tags";
    const COUNT: usize = 5;

    fn read(r: &rusqlite::Row) -> rusqlite::Result<Self> {
        use rusqlite::types::{Type, ValueRef};
        let failed = |i: usize, e: Box<dyn std::error::Error + Send + Sync>| {
            rusqlite::Error::FromSqlConversionFailure(i, Type::Text, e)
        };
        let mut parts: [Option<&str>; Self::COUNT] = [None; Self::COUNT];
        for (i, part) in parts.iter_mut().enumerate() {
            *part = match r.get_ref(i)? {
                ValueRef::Text(bytes) => {
                    Some(std::str::from_utf8(bytes).map_err(|e| failed(i, e.into()))?)
                }
                ValueRef::Null => None,
                other => {
                    return Err(rusqlite::Error::InvalidColumnType(
                        i,
                        format!("column {i}"),
                        other.data_type(),
                    ));
                }
            };
        }
        let mut text = String::with_capacity(parts.iter().flatten().map(|s| s.len()).sum());
        let mut ends = [0u32; 4];
        for (i, part) in parts.iter().enumerate() {
            text.push_str(part.unwrap_or_default());
            if let Some(end) = ends.get_mut(i) {
                *end = u32::try_from(text.len()).map_err(|e| failed(i, e.into()))?;
            }
        }
        Ok(Line {
            text,
            ends,
            has_published: parts[2].is_some(),
            snippet: None,
        })
    }
    fn id(&self) -> &str {
        self.part(0)
    }
    fn published(&self) -> Option<&str> {
        Line::published(self)
    }
    fn imported(&self) -> &str {
        self.part(1)
    }
    fn set_snippet(&mut self, snippet: Option<String>) {
        self.snippet = snippet;
    }
}
