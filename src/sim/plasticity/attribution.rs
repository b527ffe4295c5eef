//! Triangulated attribution (MODEL.md §6, this project's operational reading): the causal path
//! of a postsynaptic spike by Dijkstra's algorithm, and the most relevant candidate synapse of
//! each layer along it.
//!
//! The graph holds the synapses whose presynaptic neuron fired inside the STDP window before
//! the spike; an edge costs the spike latency x*(w) of its synapse (Theorem 1's first crossing,
//! Lambert W; MODEL.md §6 calls it the Q-spike latency)
//! ([`crate::model::spike_timing::SpikeTiming::spike_time_ms`]), and a synapse too weak to fire
//! its neuron alone (w < w_c) is no edge of the path (it stays a candidate). The path is the
//! cheapest from any source (a neuron with no candidate inputs of its own: the input layer)
//! to the neuron that fired.
//!
//! Relevance. The poster writes `R_p^{i,j} = η_p exp(−|w_pi − w_pj| / κ)` with "p the target
//! synapse, i and j intermediary neurons". Along the path, the layer's edge is i → j; every
//! candidate synapse p onto j (its presynaptic neuron fired inside the window) is compared
//! with it: `R_p = η_p exp(−|w_p − w_ij| / κ)`, the candidate's own learning rate discounted
//! by how far its weight lies from the path's edge. The path's edge is a candidate of its own
//! layer (with the exponential at 1). The most relevant candidate (ties: the first) receives
//! `ε S(Δt)`.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// A directed edge of the attribution graph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    /// Source node.
    pub from: usize,
    /// Target node.
    pub to: usize,
    /// Cost (the spike latency x*(w) of the synapse, ms); `f64::INFINITY` or NaN: not usable.
    pub cost: f64,
}

/// A node on the frontier, ordered by cost then node (a min-heap by `Reverse`-like `Ord`).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Frontier {
    cost: f64,
    node: usize,
}

impl Eq for Frontier {}

impl Ord for Frontier {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap. Costs are finite (checked on entry).
        other
            .cost
            .total_cmp(&self.cost)
            .then_with(|| other.node.cmp(&self.node))
    }
}

impl PartialOrd for Frontier {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Dijkstra's cheapest path from any of `sources` to `target` over `edges` (nodes are
/// `0..nodes`): the indices of its edges in path order, or None when `target` is unreachable
/// through usable (finite, non-negative cost) edges. Equal costs are broken by the smaller
/// node, then the earlier edge, so the path is deterministic.
pub fn cheapest_path(
    nodes: usize,
    edges: &[Edge],
    sources: &[usize],
    target: usize,
) -> Option<Vec<usize>> {
    let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); nodes];
    for (e, edge) in edges.iter().enumerate() {
        if edge.cost.is_finite() && edge.cost >= 0.0 && edge.from < nodes && edge.to < nodes {
            outgoing[edge.from].push(e);
        }
    }
    let mut best = vec![f64::INFINITY; nodes];
    let mut via: Vec<Option<usize>> = vec![None; nodes];
    let mut heap = BinaryHeap::new();
    for &s in sources.iter().filter(|&&s| s < nodes) {
        best[s] = 0.0;
        heap.push(Frontier { cost: 0.0, node: s });
    }
    while let Some(Frontier { cost, node }) = heap.pop() {
        if cost > best[node] {
            continue;
        }
        if node == target {
            break;
        }
        for &e in &outgoing[node] {
            let edge = edges[e];
            let next = cost + edge.cost;
            if next < best[edge.to] {
                best[edge.to] = next;
                via[edge.to] = Some(e);
                heap.push(Frontier {
                    cost: next,
                    node: edge.to,
                });
            }
        }
    }
    if !best.get(target)?.is_finite() {
        return None;
    }
    let mut path = Vec::new();
    let mut node = target;
    while let Some(e) = via[node] {
        path.push(e);
        node = edges[e].from;
    }
    path.reverse();
    Some(path)
}

/// The relevance `η_p exp(−|w_p − w_path| / κ)` of a candidate of rate `eta` and weight `w`
/// against the path's edge of weight `w_path` (κ > 0).
pub fn relevance(eta: f64, w: f64, w_path: f64, kappa: f64) -> f64 {
    eta * (-(w - w_path).abs() / kappa).exp()
}

/// The most relevant of `candidates` (index, η, w) against the path's edge of weight
/// `w_path`: its index, the first of equals; None without candidates.
pub fn most_relevant(
    candidates: impl IntoIterator<Item = (usize, f64, f64)>,
    w_path: f64,
    kappa: f64,
) -> Option<usize> {
    let mut best: Option<(usize, f64)> = None;
    for (k, eta, w) in candidates {
        let r = relevance(eta, w, w_path, kappa);
        if best.is_none_or(|(_, top)| r > top) {
            best = Some((k, r));
        }
    }
    best.map(|(k, _)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edge(from: usize, to: usize, cost: f64) -> Edge {
        Edge { from, to, cost }
    }

    #[test]
    fn dijkstra_finds_the_cheapest_path_through_a_three_layer_graph() {
        // Layer 0: inputs 0, 1, 2; layer 1: 3, 4; layer 2: 5, 6; layer 3: the output 7.
        // Cheapest 0→7 by hand: 1→4 (1) + 4→5 (1) + 5→7 (2) = 4; the greedy first step 0→3
        // (0.5) leads to 3→5 (3) + 5→7 (2) = 5.5 or 3→6 (1) + 6→7 (4) = 5.5.
        let edges = [
            edge(0, 3, 0.5),
            edge(1, 3, 2.0),
            edge(1, 4, 1.0),
            edge(2, 4, f64::INFINITY), // too weak to fire alone: no edge
            edge(3, 5, 3.0),
            edge(3, 6, 1.0),
            edge(4, 5, 1.0),
            edge(4, 6, 2.5),
            edge(5, 7, 2.0),
            edge(6, 7, 4.0),
        ];
        let path = cheapest_path(8, &edges, &[0, 1, 2], 7).unwrap();
        assert_eq!(path, vec![2, 6, 8]);
        let total: f64 = path.iter().map(|&e| edges[e].cost).sum();
        assert_eq!((total).to_bits(), 4.0f64.to_bits());
        // From source 0 alone: 0→3→6→7 and 0→3→5→7 both cost 5.5; 6 (at 1.5) is settled
        // before 5 (at 3.5), so 7 is first reached through 6, and an equal cost does not
        // replace it.
        assert_eq!(cheapest_path(8, &edges, &[0], 7), Some(vec![0, 5, 9]));
        // From source 2 alone nothing is reachable (its one edge is unusable).
        assert_eq!(cheapest_path(8, &edges, &[2], 7), None);
        // A source that is the target: the empty path.
        assert_eq!(cheapest_path(8, &edges, &[7], 7), Some(vec![]));
    }

    #[test]
    fn relevance_prefers_high_eta_and_weights_near_the_path() {
        // Equal η: the candidate whose weight is closest to the path's wins.
        let c = [(0, 1.0, 0.1), (1, 1.0, 0.48), (2, 1.0, 0.9)];
        assert_eq!(most_relevant(c, 0.5, 0.1), Some(1));
        // A larger η outweighs distance when exp(−Δ/κ) shrinks less than η grows:
        // 3 e^{−0.4/1} = 2.01 > 1 e^{−0.02} = 0.98.
        let c = [(0, 3.0, 0.1), (1, 1.0, 0.48)];
        assert_eq!(most_relevant(c, 0.5, 1.0), Some(0));
        assert!((relevance(3.0, 0.1, 0.5, 1.0) - 3.0 * (-0.4f64).exp()).abs() < 1e-15);
        // Ties go to the first; no candidates, no winner.
        assert_eq!(
            most_relevant([(4, 1.0, 0.2), (5, 1.0, 0.2)], 0.2, 1.0),
            Some(4)
        );
        assert_eq!(most_relevant([], 0.2, 1.0), None);
    }
}
