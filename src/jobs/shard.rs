//! Splitting a sweep's cells between independent processes (`--shard i/n`, one per task of a
//! scheduler's array job) and checking that shards put together are the whole sweep.
//!
//! Shard i of n owns cells i, i + n, i + 2n, …: interleaved, so that a slow corner of a grid
//! is spread over every task. A cell's result depends only on the plan and the cell's index
//! (its seed is derived from both), never on which shard computed it, so the shards of a
//! sweep joined by `mesonet merge` are the unsharded sweep.

use crate::error::{Error, Result};

/// One of `count` parts of a sweep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    /// Which part, 0-based.
    pub index: usize,
    /// How many parts.
    pub count: usize,
}

impl Shard {
    /// The whole sweep.
    pub const WHOLE: Shard = Shard { index: 0, count: 1 };

    /// Parses `i/n` (0 ≤ i < n); errors name the field `shard`.
    pub fn parse(text: &str) -> Result<Self> {
        let bad = || Error::InvalidParameter {
            name: "shard".into(),
            value: text.into(),
            requirement: "i/n with whole numbers 0 <= i < n (e.g. 0/4)".into(),
        };
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let index: usize = i.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Self { index, count })
    }

    /// Whether this is the whole sweep.
    pub fn is_whole(&self) -> bool {
        self.count == 1
    }

    /// The cells of a sweep of `total` cells this shard owns, increasing.
    pub fn cells(&self, total: usize) -> Vec<usize> {
        (self.index..total).step_by(self.count).collect()
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Checks that `shards` (as read from the directories `names`) are the `count` parts of one
/// sweep, each exactly once.
pub fn check_complete(shards: &[Shard], names: &[String]) -> Result<()> {
    let count = shards.first().map_or(0, |s| s.count);
    if let Some((shard, name)) = shards
        .iter()
        .zip(names)
        .find(|(s, _)| s.count == 0 || s.index >= s.count)
    {
        return Err(Error::InvalidParameter {
            name: "merge".into(),
            value: name.clone(),
            requirement: format!(
                "a shard i/n with 0 <= i < n; it says {}/{}",
                shard.index, shard.count
            ),
        });
    }
    if count > shards.len() {
        // Some shard is missing: name the first (without allocating `count` slots).
        let mut given: Vec<usize> = shards.iter().map(|s| s.index).collect();
        given.sort_unstable();
        given.dedup();
        let missing = given
            .iter()
            .enumerate()
            .find(|(i, &g)| *i != g)
            .map_or(given.len(), |(i, _)| i);
        return Err(Error::InvalidParameter {
            name: "merge".into(),
            value: names.join(" "),
            requirement: format!("all {count} shards; shard {missing}/{count} is missing"),
        });
    }
    let mut seen = vec![None; count];
    for (shard, name) in shards.iter().zip(names) {
        if shard.count != count {
            return Err(Error::InvalidParameter {
                name: "merge".into(),
                value: name.clone(),
                requirement: format!(
                    "a shard of the same split as the first ({count} shards); it is {shard}"
                ),
            });
        }
        if let Some(other) = &seen[shard.index] {
            return Err(Error::InvalidParameter {
                name: "merge".into(),
                value: name.clone(),
                requirement: format!("a shard not given twice: {other} is shard {shard} too"),
            });
        }
        seen[shard.index] = Some(name.clone());
    }
    if let Some(missing) = seen.iter().position(Option::is_none) {
        return Err(Error::InvalidParameter {
            name: "merge".into(),
            value: names.join(" "),
            requirement: format!("all {count} shards; shard {missing}/{count} is missing"),
        });
    }
    Ok(())
}

/// What a shard's data file holds, as [`join`] needs it.
pub struct Part<P, C> {
    /// Where it was read from (named in errors).
    pub name: String,
    /// The sweep's plan.
    pub plan: P,
    /// Which shard (None: a whole run, refused).
    pub shard: Option<Shard>,
    /// The build that computed it.
    pub commit: String,
    /// Its cells.
    pub cells: Vec<C>,
}

/// Joins the shards of one sweep: the same plan and build in every part, each of the `count`
/// shards once, every cell index of `0..total(plan)` exactly once. Returns the plan, the
/// build and the cells by index.
pub fn join<P: PartialEq, C>(
    parts: Vec<Part<P, C>>,
    index: impl Fn(&C) -> usize,
    total: impl Fn(&P) -> usize,
) -> Result<(P, String, Vec<C>)> {
    let bad = |value: &str, requirement: String| Error::InvalidParameter {
        name: "merge".into(),
        value: value.into(),
        requirement,
    };
    let names: Vec<String> = parts.iter().map(|p| p.name.clone()).collect();
    let mut parts = parts.into_iter();
    let first = parts
        .next()
        .ok_or_else(|| bad("(none)", "at least one shard directory".into()))?;
    let mut shards = Vec::new();
    let mut cells = Vec::new();
    for part in std::iter::once(first).chain(parts) {
        shards.push(part.shard.ok_or_else(|| {
            bad(
                &part.name,
                "a shard (this run computed every cell already)".into(),
            )
        })?);
        cells.push((part.name, part.plan, part.commit, part.cells));
    }
    check_complete(&shards, &names)?;
    let mut cells = cells.into_iter();
    let (first_name, plan, commit, mut all) = cells.next().expect("one part at least");
    for (name, other_plan, other_commit, part_cells) in cells {
        if other_plan != plan {
            return Err(bad(
                &name,
                format!("a shard of the same plan as {first_name}"),
            ));
        }
        if other_commit != commit {
            return Err(bad(
                &name,
                format!(
                    "a shard computed by the same build as {first_name} ({commit}; it is \
                     {other_commit})"
                ),
            ));
        }
        all.extend(part_cells);
    }
    all.sort_by_key(|c| index(c));
    let n = total(&plan);
    if all.len() != n || all.iter().enumerate().any(|(i, c)| index(c) != i) {
        return Err(bad(
            &names.join(" "),
            format!("each of the plan's {n} cells exactly once"),
        ));
    }
    Ok((plan, commit, all))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses_with_the_field_named() {
        assert_eq!(Shard::parse("2/5").unwrap(), Shard { index: 2, count: 5 });
        for bad in ["5/5", "1/0", "-1/3", "a/3", "3", "1/2/3", ""] {
            let e = Shard::parse(bad).unwrap_err().to_string();
            assert!(e.contains("shard"), "{bad}: {e}");
        }
    }

    #[test]
    fn shards_partition_the_cells() {
        for total in [0, 1, 7, 100] {
            for count in [1, 2, 3, 8, 150] {
                let mut all: Vec<usize> = (0..count)
                    .flat_map(|index| Shard { index, count }.cells(total))
                    .collect();
                all.sort_unstable();
                assert_eq!(all, (0..total).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn an_incomplete_or_doubled_set_of_shards_is_refused() {
        let s = |index, count| Shard { index, count };
        let names = |n: usize| (0..n).map(|i| format!("d{i}")).collect::<Vec<_>>();
        assert!(check_complete(&[s(1, 3), s(0, 3), s(2, 3)], &names(3)).is_ok());
        let e = check_complete(&[s(0, 3), s(2, 3)], &names(2)).unwrap_err();
        assert!(e.to_string().contains("shard 1/3 is missing"), "{e}");
        let e = check_complete(&[s(0, 2), s(0, 2)], &names(2)).unwrap_err();
        assert!(e.to_string().contains("d0 is shard 0/2 too"), "{e}");
        let e = check_complete(&[s(0, 2), s(1, 2), s(1, 3)], &names(3)).unwrap_err();
        assert!(e.to_string().contains("same split"), "{e}");
        // Hand-edited files: no panic, no huge allocation.
        for bad in [s(0, 0), s(5, 2)] {
            let e = check_complete(&[bad], &names(1)).unwrap_err();
            assert!(e.to_string().contains("d0"), "{e}");
        }
        let e = check_complete(&[s(0, usize::MAX)], &names(1)).unwrap_err();
        assert!(e.to_string().contains("shard 1/"), "{e}");
    }
}
