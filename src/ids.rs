//! Ordered lists of clipping ids that share their strings: a search's answer is places into
//! the index's list of every id, not a copy of 100,000 counted ids.

use std::sync::Arc;

/// Clipping ids in an order.
///
/// Either a list of ids as they are, or places into a shared list: an answer over 100,000
/// clippings is then 400 kB of places, made and freed without touching the ids (counting
/// each id once more took 2.2-3.0 ms of a search matching every clipping, in memory read at
/// random, and as long again to free the answer before).
#[derive(Clone, Debug, Default)]
pub struct IdList {
    ids: Arc<Vec<Arc<str>>>,
    /// Places into `ids`, in this list's order, each one in range; `None`: `ids` in order.
    places: Option<Arc<Vec<u32>>>,
}

impl IdList {
    /// These ids, in this order.
    pub fn new(ids: Vec<Arc<str>>) -> IdList {
        IdList {
            ids: Arc::new(ids),
            places: None,
        }
    }

    /// The ids at these places of `ids`, in the order of `places`; a place out of range is
    /// left out.
    pub fn placed(ids: Arc<Vec<Arc<str>>>, mut places: Vec<u32>) -> IdList {
        let len = ids.len();
        places.retain(|&p| (p as usize) < len);
        IdList {
            ids,
            places: Some(Arc::new(places)),
        }
    }

    pub fn len(&self) -> usize {
        match &self.places {
            Some(places) => places.len(),
            None => self.ids.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The id at place `i` of this list.
    pub fn get(&self, i: usize) -> Option<&Arc<str>> {
        match &self.places {
            Some(places) => places.get(i).and_then(|&p| self.ids.get(p as usize)),
            None => self.ids.get(i),
        }
    }

    pub fn first(&self) -> Option<&Arc<str>> {
        self.get(0)
    }

    /// The ids in order.
    pub fn iter(&self) -> Iter<'_> {
        match &self.places {
            Some(places) => Iter::Placed(&self.ids, places.iter()),
            None => Iter::All(self.ids.iter()),
        }
    }

    /// The ids in `range` of this list (cut to its length).
    pub fn range(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = &Arc<str>> {
        let end = range.end.min(self.len());
        (range.start.min(end)..end).filter_map(|i| self.get(i))
    }

    /// The place of `id` in this list.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.iter().position(|v| **v == *id)
    }

    pub fn to_vec(&self) -> Vec<Arc<str>> {
        self.iter().cloned().collect()
    }

    /// Whether dropping this list would free the ids themselves (not only places).
    pub fn owns_ids(&self) -> bool {
        Arc::strong_count(&self.ids) == 1
    }
}

impl From<Vec<Arc<str>>> for IdList {
    fn from(ids: Vec<Arc<str>>) -> IdList {
        IdList::new(ids)
    }
}

/// The ids of an [`IdList`], in order.
#[derive(Debug, Clone)]
pub enum Iter<'a> {
    All(std::slice::Iter<'a, Arc<str>>),
    Placed(&'a [Arc<str>], std::slice::Iter<'a, u32>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a Arc<str>;

    fn next(&mut self) -> Option<&'a Arc<str>> {
        match self {
            Iter::All(it) => it.next(),
            // Places are checked when the list is made: each one is in range.
            Iter::Placed(ids, places) => places.next().and_then(|&p| ids.get(p as usize)),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Iter::All(it) => it.size_hint(),
            Iter::Placed(_, places) => places.size_hint(),
        }
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        match self {
            Iter::All(it) => it.next_back(),
            Iter::Placed(ids, places) => places.next_back().and_then(|&p| ids.get(p as usize)),
        }
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a IdList {
    type Item = &'a Arc<str>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(names: &[&str]) -> Arc<Vec<Arc<str>>> {
        Arc::new(names.iter().map(|n| Arc::from(*n)).collect())
    }

    fn names(list: &IdList) -> Vec<String> {
        list.iter().map(|id| id.to_string()).collect()
    }

    #[test]
    fn a_placed_list_reads_the_shared_ids_in_its_own_order_and_drops_places_out_of_range() {
        let all = ids(&["a", "b", "c", "d"]);
        let list = IdList::placed(Arc::clone(&all), vec![2, 0, 9, 3]);
        assert_eq!(names(&list), ["c", "a", "d"]);
        assert_eq!(list.len(), 3);
        assert_eq!(list.get(1).map(|s| &**s), Some("a"));
        assert_eq!(list.get(3), None);
        assert_eq!(list.position("d"), Some(2));
        assert_eq!(list.position("b"), None);
        let back: Vec<&str> = list.iter().rev().map(|s| &**s).collect();
        assert_eq!(back, ["d", "a", "c"]);
        assert_eq!(list.iter().len(), 3);
        // The strings are shared, not copied.
        assert!(Arc::ptr_eq(list.get(0).expect("c"), &all[2]));
        assert!(!list.owns_ids());
    }

    #[test]
    fn a_range_is_cut_to_the_list() {
        let list = IdList::new(ids(&["a", "b", "c"]).to_vec());
        let r: Vec<&str> = list.range(1..10).map(|s| &**s).collect();
        assert_eq!(r, ["b", "c"]);
        assert_eq!(list.range(5..9).count(), 0);
        assert_eq!(list.first().map(|s| &**s), Some("a"));
        assert!(list.owns_ids());
        assert!(IdList::default().is_empty());
    }
}
