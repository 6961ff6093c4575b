//! Small pieces several rule groups share.

use crate::model::Record;
use std::collections::HashMap;

/// Groups records by a key in first-seen order. Records of one RRset usually come in a row, so the
/// last key is checked first and the hash map is only consulted when the key changes.
pub(super) struct Groups<K, V> {
    index: HashMap<K, usize>,
    last: Option<(K, usize)>,
    pub(super) items: Vec<V>,
}

impl<K: std::hash::Hash + Eq + Clone, V> Groups<K, V> {
    pub(super) fn new() -> Self {
        Groups {
            index: HashMap::new(),
            last: None,
            items: Vec::new(),
        }
    }

    /// The group of `key`, made with `make` the first time.
    pub(super) fn entry(&mut self, key: K, make: impl FnOnce() -> V) -> Option<&mut V> {
        let i = match &self.last {
            Some((k, i)) if *k == key => *i,
            _ => {
                let next = self.items.len();
                let i = *self.index.entry(key.clone()).or_insert(next);
                if i == next {
                    self.items.push(make());
                }
                self.last = Some((key, i));
                i
            }
        };
        self.items.get_mut(i)
    }
}

/// Per owner, in first-seen order: the first record whose target is the root (`.`: a null MX
/// `MX 0 .`, an SRV "no service here") and how many records beside it name a real host — only the
/// owners where both occur, an RRset that contradicts itself (NMX-002, SRV-007).
pub(super) fn root_beside_real<'a>(
    targets: impl Iterator<Item = (&'a Record, &'a str)>,
) -> Vec<(&'a str, &'a Record, usize)> {
    let mut groups: Groups<&str, (&str, Option<&Record>, usize)> = Groups::new();
    for (rec, target) in targets {
        let owner = rec.name.as_str();
        if let Some(g) = groups.entry(owner, || (owner, None, 0)) {
            if target.is_empty() {
                g.1.get_or_insert(rec);
            } else {
                g.2 += 1;
            }
        }
    }
    groups
        .items
        .into_iter()
        .filter_map(|(owner, root, real)| Some((owner, root?, real)).filter(|g| g.2 > 0))
        .collect()
}
