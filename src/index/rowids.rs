//! Places of SQLite rowids: a vector indexed by rowid where they are dense, a hash map where not.

use std::collections::HashMap;

/// Each rowid of a list and its place in it (the last place, for a rowid listed twice).
///
/// SQLite gives a new row the largest rowid + 1, so an index's rowids run from 1 to a little
/// over its number of rows: a vector indexed by rowid answers without hashing. (Hashing
/// 100,000 rowids, twice, was a tenth of `clipfile list --search`'s own work for a query
/// matching every clipping.) Rowids far beyond the list's length, or negative ones, go to a
/// hash map instead, so memory stays proportional to the list.
pub(super) struct RowidPlaces {
    dense: Vec<u32>,
    sparse: HashMap<i64, usize>,
}

/// An empty slot of [`RowidPlaces::dense`].
const NONE: u32 = u32::MAX;

impl RowidPlaces {
    /// The places of `rowids`, in the order given.
    pub(super) fn of(rowids: impl Iterator<Item = i64> + Clone) -> RowidPlaces {
        let (len, max) = rowids
            .clone()
            .fold((0usize, -1i64), |(n, m), r| (n + 1, m.max(r)));
        // Dense while the vector stays within a few slots per rowid.
        let limit = len.saturating_mul(4).saturating_add(1024);
        let dense_len = usize::try_from(max.saturating_add(1)).unwrap_or(0);
        let mut places = RowidPlaces {
            dense: vec![NONE; dense_len.min(limit)],
            sparse: HashMap::new(),
        };
        for (place, rowid) in rowids.enumerate() {
            match usize::try_from(rowid) {
                Ok(r) if r < places.dense.len() && place < NONE as usize => {
                    places.dense[r] = place as u32;
                }
                _ => {
                    places.sparse.insert(rowid, place);
                }
            }
        }
        places
    }

    /// The place of `rowid`, if it was listed.
    pub(super) fn get(&self, rowid: i64) -> Option<usize> {
        if let Ok(r) = usize::try_from(rowid)
            && let Some(&p) = self.dense.get(r)
            && p != NONE
        {
            return Some(p as usize);
        }
        self.sparse.get(&rowid).copied()
    }

    /// Whether `rowid` was listed.
    pub(super) fn contains(&self, rowid: i64) -> bool {
        self.get(rowid).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::RowidPlaces;
    use std::collections::HashMap;

    /// What a hash map of the same rowids answers (the last place of a repeated rowid).
    fn expected(rowids: &[i64]) -> HashMap<i64, usize> {
        rowids.iter().enumerate().map(|(i, &r)| (r, i)).collect()
    }

    #[test]
    fn places_agree_with_a_hash_map_for_dense_sparse_negative_and_repeated_rowids() {
        let lists: [&[i64]; 6] = [
            &[],
            &[3, 1, 2],
            &[5, 9, 5, 1],
            &[1, 2, 1_000_000_000, 4],
            &[-7, 0, 2, i64::MAX, i64::MIN],
            &[40_000, 10, 20],
        ];
        for rowids in lists {
            let places = RowidPlaces::of(rowids.iter().copied());
            let want = expected(rowids);
            for probe in
                rowids
                    .iter()
                    .copied()
                    .chain([-1, 0, 6, 7, 11, 999, 1_000_000_001, i64::MAX - 1])
            {
                assert_eq!(
                    places.get(probe),
                    want.get(&probe).copied(),
                    "{rowids:?} {probe}"
                );
                assert_eq!(places.contains(probe), want.contains_key(&probe));
            }
        }
    }

    #[test]
    fn a_far_rowid_does_not_make_a_vector_as_long_as_it() {
        let places = RowidPlaces::of([1, 2, 1_000_000_000].into_iter());
        assert!(places.dense.len() <= 3 * 4 + 1024);
        assert_eq!(places.get(1_000_000_000), Some(2));
    }
}
