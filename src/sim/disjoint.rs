//! Running one network on several threads: its postsynaptic neurons are cut into contiguous
//! parts, one per thread, and each thread writes only the state of its own neurons and of the
//! synapses onto them (see [`crate::sim::network`]). This module holds the two pieces that
//! needs: where the cuts are, and the one slice that several threads write at once — a
//! projection's weights, stored by presynaptic neuron, so that the synapses of different parts
//! interleave.

use std::marker::PhantomData;

/// The cuts of `n` neurons into `parts` contiguous parts of (nearly) equal size: part p is
/// `b[p]..b[p + 1]`.
pub fn part_bounds(n: usize, parts: usize) -> Vec<usize> {
    let parts = parts.max(1);
    (0..=parts).map(|p| p * n / parts).collect()
}

/// The cuts of neurons with work `work[j]` each into `parts` contiguous parts of (nearly) equal
/// work: cut p is where the cumulative work comes nearest to p/parts of the total, never before
/// the previous cut (so the cuts are ordered and cover every neuron once). Without any work,
/// [`part_bounds`].
pub fn balanced_bounds(work: &[u64], parts: usize) -> Vec<usize> {
    let parts = parts.max(1);
    let total: u64 = work.iter().sum();
    if total == 0 {
        return part_bounds(work.len(), parts);
    }
    let mut bounds = Vec::with_capacity(parts + 1);
    bounds.push(0);
    let (mut j, mut before) = (0usize, 0u64);
    for p in 1..parts {
        // The cut nearest to p/parts of the total (u128: no overflow for any u64 total).
        let goal = (total as u128 * p as u128 / parts as u128) as u64;
        while j < work.len() && before + work[j] <= goal {
            before += work[j];
            j += 1;
        }
        // Taking neuron j into this part lands nearer the goal than leaving it out?
        // (Never when an earlier cut already passed this goal.)
        if j < work.len() && before < goal && before + work[j] - goal < goal - before {
            before += work[j];
            j += 1;
        }
        bounds.push(j);
    }
    bounds.push(work.len());
    bounds
}

/// `bounds` (cuts of neurons with work `work[j]`, e.g. [`balanced_bounds`], from 0 to n) with
/// each inner cut moved to the allowed position (`allowed[c]`: a cut may fall before neuron c)
/// whose cumulative work is nearest its own — the cuts kept ordered, the ends kept — if no part
/// then holds more than (1 + `tolerance`) times an equal share of the work; None otherwise.
pub fn snapped_bounds(
    work: &[u64],
    bounds: &[usize],
    allowed: &[bool],
    tolerance: f64,
) -> Option<Vec<usize>> {
    assert_eq!(allowed.len(), work.len() + 1, "a flag per cut position");
    let mut before = vec![0u64; work.len() + 1];
    for (j, w) in work.iter().enumerate() {
        before[j + 1] = before[j] + w;
    }
    let positions: Vec<usize> = (0..allowed.len()).filter(|&c| allowed[c]).collect();
    let mut snapped = vec![0usize; bounds.len()];
    let last = bounds.len() - 1;
    snapped[0] = bounds[0];
    snapped[last] = bounds[last];
    for (k, &cut) in bounds.iter().enumerate().take(last).skip(1) {
        let floor = snapped[k - 1];
        let goal = before[cut];
        snapped[k] = positions
            .iter()
            .copied()
            .filter(|&c| c >= floor)
            .min_by_key(|&c| (before[c].abs_diff(goal), c))?;
    }
    let parts = bounds.len().saturating_sub(1).max(1);
    let share = before[work.len()] as f64 / parts as f64;
    let heaviest = snapped
        .windows(2)
        .map(|b| before[b[1]] - before[b[0]])
        .max()
        .unwrap_or(0);
    (heaviest as f64 <= (1.0 + tolerance) * share).then_some(snapped)
}

/// The cuts of a group — or of the targets of a projection onto it — laid out in blocks
/// `block_bounds` ([`crate::sim::synapses::Synapses::block_bounds`]) into the parts of
/// `threads` threads: thread p owns the whole blocks [`thread_blocks`] gives it (none when there
/// are more threads than blocks), so no two threads write the same synapse's cache line.
pub fn thread_bounds(block_bounds: &[usize], threads: usize) -> Vec<usize> {
    let blocks = block_bounds.len() - 1;
    (0..=threads)
        .map(|p| block_bounds[thread_blocks(blocks, threads, p).start])
        .collect()
}

/// The layout blocks thread p of `threads` owns (see [`thread_bounds`]).
pub fn thread_blocks(blocks: usize, threads: usize, p: usize) -> std::ops::Range<usize> {
    let threads = threads.max(1);
    // Rounded up, so the first threads (the calling thread first) get the work.
    (p * blocks).div_ceil(threads).min(blocks)..((p + 1) * blocks).div_ceil(threads).min(blocks)
}

/// A slice that several threads write at the same time, each only at indices no other thread
/// touches (the synapses onto its own postsynaptic neurons). Copy, so each thread holds one.
#[derive(Debug)]
pub struct DisjointMut<'a, T> {
    ptr: *mut T,
    len: usize,
    _borrow: PhantomData<&'a mut [T]>,
}

impl<T> Clone for DisjointMut<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for DisjointMut<'_, T> {}

// SAFETY: a DisjointMut is an exclusive borrow of the slice shared between threads that
// promise (see `range_mut`) never to touch the same index; T: Send is what moving the writes to
// other threads needs.
unsafe impl<T: Send> Send for DisjointMut<'_, T> {}
unsafe impl<T: Send> Sync for DisjointMut<'_, T> {}

impl<'a, T> DisjointMut<'a, T> {
    /// Borrows `slice` exclusively for `'a`.
    pub fn new(slice: &'a mut [T]) -> Self {
        Self {
            ptr: slice.as_mut_ptr(),
            len: slice.len(),
            _borrow: PhantomData,
        }
    }

    /// Length of the slice.
    pub fn len(self) -> usize {
        self.len
    }

    /// True when empty.
    pub fn is_empty(self) -> bool {
        self.len == 0
    }

    /// The elements `lo..hi`.
    ///
    /// # Safety
    /// `lo <= hi <= len`, and while the returned slice lives no other thread (and no other
    /// slice taken from this one) accesses any index in `lo..hi`.
    #[inline]
    pub unsafe fn range_mut(self, lo: usize, hi: usize) -> &'a mut [T] {
        debug_assert!(lo <= hi && hi <= self.len);
        // SAFETY: in bounds (caller), exclusive for the lifetime (caller), and the pointer comes
        // from a slice borrowed for 'a.
        unsafe { std::slice::from_raw_parts_mut(self.ptr.add(lo), hi - lo) }
    }
}

/// A barrier for threads that meet every simulation step (thousands of times a second):
/// spins, then yields, instead of sleeping (a futex round trip costs more than a step). Each
/// thread counts its own arrivals on a cache line of its own and waits until every other
/// thread's count has caught up: per round, each thread writes one line and reads the others'
/// (a shared arrival counter would move between cores several times a round).
#[derive(Debug)]
pub struct SpinBarrier {
    arrivals: Vec<Arrivals>,
}

/// One thread's arrival count, alone on its cache lines.
#[derive(Debug, Default)]
#[repr(align(128))]
struct Arrivals(std::sync::atomic::AtomicU64);

impl SpinBarrier {
    /// A barrier for `threads` threads, numbered from 0.
    pub fn new(threads: usize) -> Self {
        Self {
            arrivals: (0..threads).map(|_| Arrivals::default()).collect(),
        }
    }

    /// Thread `me` waits until every thread has called `wait` as often as it has. Every write
    /// a thread made before its call is visible to every thread after the call
    /// (release/acquire).
    pub fn wait(&self, me: usize) {
        use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};
        let round = self.arrivals[me].0.load(Relaxed) + 1;
        self.arrivals[me].0.store(round, Release);
        for (other, arrivals) in self.arrivals.iter().enumerate() {
            if other == me {
                continue;
            }
            let mut spins = 0u32;
            while arrivals.0.load(Acquire) < round {
                if spins < 20_000 {
                    std::hint::spin_loop();
                    spins += 1;
                } else {
                    // More threads than free cores (tests in parallel): give the core away.
                    std::thread::yield_now();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_cover_every_neuron_once_in_order() {
        assert_eq!(part_bounds(10, 3), vec![0, 3, 6, 10]);
        assert_eq!(part_bounds(1, 2), vec![0, 0, 1]);
        assert_eq!(part_bounds(7, 1), vec![0, 7]);
        // Two blocks on three threads: the last thread idles, the others own a block each.
        assert_eq!(thread_bounds(&[0, 5, 10], 3), vec![0, 5, 10, 10]);
        assert_eq!(thread_bounds(&[0, 4, 10], 2), vec![0, 4, 10]);
        assert_eq!(thread_bounds(&[0, 10], 2), vec![0, 10, 10]);
        assert_eq!(thread_blocks(2, 3, 2), 2..2);
    }

    #[test]
    fn balanced_bounds_split_the_work_not_the_neurons() {
        // Work 6, 6, 2, 2, 2, 2 (total 20): half is reached after the first two neurons.
        assert_eq!(balanced_bounds(&[6, 6, 2, 2, 2, 2], 2), vec![0, 2, 6]);
        // A neuron straddling the half goes to the side that lands nearer it: 4 + 6 | 6
        // (10 against a goal of 8) rather than 4 | 6 + 6 (4); 6 | 6 + 4 rather than 6 + 6 | 4.
        assert_eq!(balanced_bounds(&[4, 6, 6], 2), vec![0, 2, 3]);
        assert_eq!(balanced_bounds(&[6, 6, 4], 2), vec![0, 1, 3]);
        assert_eq!(balanced_bounds(&[3; 9], 3), vec![0, 3, 6, 9]);
        // A neuron taken past the next goal as well (9 of 10, goals 2, 5, 7): the cuts
        // stay ordered.
        assert_eq!(balanced_bounds(&[0, 9, 1], 4), vec![0, 1, 2, 2, 3]);
        // No work: equal numbers of neurons; one part: everything.
        assert_eq!(balanced_bounds(&[0; 10], 2), part_bounds(10, 2));
        assert_eq!(balanced_bounds(&[5, 1], 1), vec![0, 2]);
        // Work at one end only: the cut sits at the end of that work.
        assert_eq!(balanced_bounds(&[0, 0, 4, 4, 0, 0], 2), vec![0, 3, 6]);
        // The split-and-merge shape: 1 792 neurons of 784 synapses, 3 584 of 576, 4 032 of 256
        // split at the middle of the synapses (2 253 328 each side to within one neuron's).
        let work: Vec<u64> = [(1792, 784u64), (3584, 576), (4032, 256)]
            .iter()
            .flat_map(|&(n, w)| std::iter::repeat_n(w, n))
            .collect();
        let b = balanced_bounds(&work, 2);
        let left: u64 = work[..b[1]].iter().sum();
        let total: u64 = work.iter().sum();
        assert!(
            (left as i64 - (total / 2) as i64).unsigned_abs() <= 576 / 2,
            "{b:?}"
        );
    }

    #[test]
    fn snapped_bounds_move_cuts_to_allowed_positions_within_the_tolerance() {
        // Ten neurons of work 1 in areas of 3 (cuts allowed at 0, 3, 6, 9, 10): the middle
        // cut 5 moves to 6 (work 6 | 4: 20 % over an equal share of 5).
        let work = [1u64; 10];
        let allowed: Vec<bool> = (0..=10).map(|c| c % 3 == 0 || c == 10).collect();
        assert_eq!(
            snapped_bounds(&work, &[0, 5, 10], &allowed, 0.25),
            Some(vec![0, 6, 10])
        );
        // Beyond the tolerance: no snapped cut.
        assert_eq!(snapped_bounds(&work, &[0, 5, 10], &allowed, 0.1), None);
        // Heavy neurons first: the cut after the second moves to 3 (work 15 | 7), the allowed
        // position nearest in work (0 would leave 0 | 22).
        let work = [5u64, 5, 5, 1, 1, 1, 1, 1, 1, 1];
        let b = balanced_bounds(&work, 2);
        assert_eq!(b, vec![0, 2, 10]);
        assert_eq!(
            snapped_bounds(&work, &b, &allowed, 0.5),
            Some(vec![0, 3, 10])
        );
        // Work ending in zeros: the inner cut ties between 1 and 3 (2 from its goal) and takes
        // the lower; the last cut stays at the end, where no more work lies than at 4.
        let all_but_2: Vec<bool> = (0..=6).map(|c| c != 2).collect();
        assert_eq!(
            snapped_bounds(&[2, 2, 2, 2, 0, 0], &[0, 2, 6], &all_but_2, 0.5),
            Some(vec![0, 1, 6])
        );
        // Only the ends allowed: everything lands in one part, refused below 100 % over.
        let ends: Vec<bool> = (0..=10).map(|c| c == 0 || c == 10).collect();
        assert_eq!(snapped_bounds(&[1; 10], &[0, 5, 10], &ends, 0.5), None);
        assert_eq!(
            snapped_bounds(&[1; 10], &[0, 5, 10], &ends, 1.0),
            Some(vec![0, 0, 10])
        );
    }

    #[test]
    fn barrier_orders_the_rounds_of_two_threads() {
        // Each round, each thread writes its own cell, meets the other, then reads the other's
        // cell: it must always see this round's value.
        let barrier = SpinBarrier::new(2);
        let cells = [
            std::sync::atomic::AtomicUsize::new(0),
            std::sync::atomic::AtomicUsize::new(0),
        ];
        std::thread::scope(|s| {
            for me in 0..2 {
                let (barrier, cells) = (&barrier, &cells);
                s.spawn(move || {
                    use std::sync::atomic::Ordering::Relaxed;
                    for round in 1..=2000 {
                        cells[me].store(round, Relaxed);
                        barrier.wait(me);
                        assert_eq!(cells[1 - me].load(Relaxed), round);
                        barrier.wait(me);
                    }
                });
            }
        });
    }
}
