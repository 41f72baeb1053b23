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

/// Sort `ranked` (score, index into `rows`) as a search orders its hits: the higher score
/// first (as [`f32::total_cmp`] orders them), then [`library_order`]. Dates in the forms the
/// library writes become integers first, so most comparisons are of two integers and, when
/// those tie, of the ids; a hit with a date in another form is compared field by field.
/// Comparing the rows' strings for every tie took 35 ms of `clipfile list --search railway`
/// (99,900 hits) at 100,000 clippings.
pub(super) fn sort_ranked<'a, T: Listed + 'a>(
    ranked: &mut [(f32, usize)],
    row: impl Fn(usize) -> Option<&'a T> + Sync,
) {
    use rayon::slice::ParallelSliceMut;
    struct Keyed {
        /// Score (highest first), dated first, published (newest first). With `low`, not
        /// used when a date does not read (`exact` false).
        high: u64,
        /// Imported, newest first.
        low: u64,
        exact: bool,
        score: f32,
        row: usize,
    }
    let mut keyed: Vec<Keyed> = ranked
        .iter()
        .map(|&(score, at)| {
            let key = row(at).and_then(|hit| {
                let published = match hit.published() {
                    None => Some(1 << 31),
                    Some(p) => published_number(p).map(|n| (1 << 27) - 1 - n as u32),
                }?;
                let imported = imported_number(hit.imported())?;
                Some((published, u64::MAX - imported))
            });
            let (published, low) = key.unwrap_or((u32::MAX, u64::MAX));
            Keyed {
                // The score as the app's rank keys take it, then the date in the low half.
                high: super::rank_key(score, published),
                low,
                exact: key.is_some(),
                score,
                row: at,
            }
        })
        .collect();
    let id = |k: &Keyed| row(k.row).map_or("", |h| h.id());
    keyed.par_sort_unstable_by(|a, b| {
        if a.exact && b.exact {
            (a.high, a.low)
                .cmp(&(b.high, b.low))
                .then_with(|| id(a).cmp(id(b)))
        } else {
            b.score
                .total_cmp(&a.score)
                .then_with(|| match (row(a.row), row(b.row)) {
                    (Some(x), Some(y)) => library_order(x, y),
                    _ => a.row.cmp(&b.row),
                })
        }
    });
    for (slot, k) in ranked.iter_mut().zip(keyed) {
        *slot = (k.score, k.row);
    }
}

/// A published date of the form `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (month and day not zero) as
/// a number that orders as the strings do (a shorter date before the longer ones it begins).
fn published_number(date: &str) -> Option<u64> {
    let b = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).and_then(decimal);
    let year = digits(0..4)?;
    let (month, day) = match b.len() {
        4 => (0, 0),
        7 if b[4] == b'-' => (digits(5..7)?, 0),
        10 if b[4] == b'-' && b[7] == b'-' => (digits(5..7)?, digits(8..10)?),
        _ => return None,
    };
    if (b.len() >= 7 && month == 0) || (b.len() == 10 && day == 0) {
        return None;
    }
    Some(year * 10_000 + month * 100 + day)
}

/// An import time as the library writes it (`YYYY-MM-DDTHH:MM:SSZ`) as a number that orders
/// as the strings do.
fn imported_number(at: &str) -> Option<u64> {
    let b = at.as_bytes();
    if b.len() != 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
    {
        return None;
    }
    [0..4, 5..7, 8..10, 11..13, 14..16, 17..19]
        .into_iter()
        .try_fold(0u64, |n, r| {
            let part = b.get(r)?;
            Some(n * 10u64.pow(part.len() as u32) + decimal(part)?)
        })
}

/// ASCII digits as the number they write; `None` for anything else.
fn decimal(digits: &[u8]) -> Option<u64> {
    digits.iter().try_fold(0u64, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u64::from(c - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::Row;

    fn hit(id: &str, published: Option<&str>, imported: &str) -> Hit {
        Hit {
            row: Row {
                id: id.into(),
                published: published.map(str::to_string),
                imported: imported.into(),
                ..Row::default()
            },
            snippet: None,
        }
    }

    /// `number` gives each of `ordered` a number greater than the one before, and none of `odd`.
    fn orders_as_the_strings(number: fn(&str) -> Option<u64>, ordered: &[&str], odd: &[&str]) {
        for w in ordered.windows(2) {
            let (a, b) = (number(w[0]), number(w[1]));
            assert!(a.is_some() && a < b, "{w:?}");
        }
        for odd in odd {
            assert_eq!(number(odd), None, "{odd}");
        }
    }

    #[test]
    fn dates_become_numbers_that_order_as_the_strings_do() {
        orders_as_the_strings(
            published_number,
            &[
                "1999",
                "1999-12",
                "1999-12-31",
                "2015",
                "2015-01",
                "2015-01-09",
                "2015-01-10",
                "2015-11",
                "2015-11-27",
                "2015-12",
                "2016",
            ],
            &[
                "2015-00",
                "2015-11-00",
                "15-11-27",
                "2015/11/27",
                "2015-11-2",
                "",
                "Nov 2015",
            ],
        );
        orders_as_the_strings(
            imported_number,
            &[
                "2015-01-01T00:00:00Z",
                "2015-01-01T00:00:59Z",
                "2015-01-01T00:01:00Z",
                "2026-12-06T21:52:43Z",
            ],
            &[
                "2015-01-01 00:00:00Z",
                "2015-01-01T00:00:00.5Z",
                "2015-01-01T00:00:00+01:00",
            ],
        );
    }

    #[test]
    fn the_integer_keys_order_hits_as_the_fields_do() {
        // Ties of score, of date and of import time; undated hits; dates and times in forms
        // the keys do not read (compared field by field, among the others).
        let published = [
            None,
            Some("2015"),
            Some("2015-11"),
            Some("2015-11-27"),
            Some("2015-11-28"),
            Some("Nov 2015"),
            Some("2016-01-01"),
        ];
        let imported = [
            "2026-12-06T21:52:43Z",
            "2026-12-06T21:52:44Z",
            "yesterday",
            "2026-12-06T21:52:43Z",
        ];
        let scores = [1.5f32, 1.5, 2.0, 0.0, -0.0, 1.5];
        let mut rows = Vec::new();
        let mut ranked = Vec::new();
        let mut n = 0u64;
        for p in published {
            for i in imported {
                for s in scores {
                    n = n
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    let id = format!("{:016x}", n >> 1);
                    ranked.push((s, rows.len()));
                    rows.push(hit(&id, p, i));
                }
            }
        }
        let mut want = ranked.clone();
        want.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then_with(|| library_order(&rows[a.1], &rows[b.1]))
        });
        sort_ranked(&mut ranked, |i| rows.get(i));
        let ids = |v: &[(f32, usize)]| {
            v.iter()
                .map(|&(s, i)| (s.to_bits(), rows[i].row.id.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&ranked), ids(&want));
    }
}
