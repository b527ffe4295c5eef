//! Reading class labels out of unsupervised spike responses (Diehl & Cook 2015; NETWORKS.md
//! §4): each neuron is assigned the class to which it responded most on *training* samples,
//! and a test sample is classified by all-activity voting or by proportion weighting.

/// Per-neuron class assignment learned from training responses.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Assignment {
    /// Number of classes.
    pub classes: usize,
    /// Assigned class per neuron; None for neurons that never fired on the assignment set.
    pub labels: Vec<Option<u8>>,
    /// Per neuron, its mean response to each class divided by the sum over classes
    /// (row-major, neurons × classes; all 0 for silent neurons).
    pub proportions: Vec<f64>,
}

/// Assigns each neuron the class with the highest mean spike count (ties → the smaller class).
/// `responses[s]` holds the neurons' counts for sample s, whose label is `labels[s]`.
pub fn assign(responses: &[Vec<u32>], labels: &[u8], classes: usize) -> Assignment {
    let neurons = responses.first().map_or(0, Vec::len);
    let mut sums = vec![0.0; neurons * classes];
    let mut per_class = vec![0usize; classes];
    for (counts, &label) in responses.iter().zip(labels) {
        let c = label as usize;
        per_class[c] += 1;
        for (j, &k) in counts.iter().enumerate() {
            sums[j * classes + c] += k as f64;
        }
    }
    let mut labels_out = Vec::with_capacity(neurons);
    let mut proportions = vec![0.0; neurons * classes];
    for j in 0..neurons {
        let rates: Vec<f64> = (0..classes)
            .map(|c| {
                if per_class[c] > 0 {
                    sums[j * classes + c] / per_class[c] as f64
                } else {
                    0.0
                }
            })
            .collect();
        let total: f64 = rates.iter().sum();
        if total > 0.0 {
            let best = (0..classes).fold(0, |b, c| if rates[c] > rates[b] { c } else { b });
            labels_out.push(Some(best as u8));
            for c in 0..classes {
                proportions[j * classes + c] = rates[c] / total;
            }
        } else {
            labels_out.push(None);
        }
    }
    Assignment {
        classes,
        labels: labels_out,
        proportions,
    }
}

fn argmax(scores: &[f64]) -> u8 {
    (0..scores.len()).fold(0, |b, c| if scores[c] > scores[b] { c } else { b }) as u8
}

/// All-activity vote: the class whose assigned neurons have the highest mean count.
pub fn predict_all_activity(counts: &[u32], a: &Assignment) -> u8 {
    let mut sum = vec![0.0; a.classes];
    let mut members = vec![0usize; a.classes];
    for (label, &k) in a.labels.iter().zip(counts) {
        if let Some(c) = label {
            sum[*c as usize] += k as f64;
            members[*c as usize] += 1;
        }
    }
    let means: Vec<f64> = sum
        .iter()
        .zip(&members)
        .map(|(s, &m)| if m > 0 { s / m as f64 } else { 0.0 })
        .collect();
    argmax(&means)
}

/// Proportion weighting: score_c = Σ_j counts_j · proportion_jc.
pub fn predict_proportion(counts: &[u32], a: &Assignment) -> u8 {
    let mut scores = vec![0.0; a.classes];
    for (j, &k) in counts.iter().enumerate() {
        for (c, s) in scores.iter_mut().enumerate() {
            *s += k as f64 * a.proportions[j * a.classes + c];
        }
    }
    argmax(&scores)
}

/// Exponent of Meng et al.'s vote-for-all: each neuron votes with its class shares raised to
/// this power (then normalised to sum to 1), so that a neuron's weaker classes still count.
pub const VOTE_FOR_ALL_POWER: f64 = 0.1;

/// Meng et al.'s vote-for-all (NETWORKS.md §3): neuron j votes for every class c with its
/// spike count times share_jc = r_jc^0.1 / Σ_c' r_jc'^0.1, r_jc its mean response to class c on
/// the assignment samples (a silent neuron votes for nothing); the class with the largest sum
/// wins. The shares follow from the proportions, which are the same rates divided by their sum.
pub fn predict_vote_for_all(counts: &[u32], a: &Assignment) -> u8 {
    let mut scores = vec![0.0; a.classes];
    let mut shares = vec![0.0; a.classes];
    for (j, &k) in counts.iter().enumerate() {
        if k == 0 {
            continue;
        }
        let proportions = &a.proportions[j * a.classes..(j + 1) * a.classes];
        for (share, &p) in shares.iter_mut().zip(proportions) {
            *share = p.powf(VOTE_FOR_ALL_POWER);
        }
        let total: f64 = shares.iter().sum();
        if total > 0.0 {
            for (score, share) in scores.iter_mut().zip(&shares) {
                *score += k as f64 * share / total;
            }
        }
    }
    argmax(&scores)
}

/// A confusion matrix, `counts[true][predicted]`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Confusion {
    /// Counts, row = true class, column = predicted class.
    pub counts: Vec<Vec<u64>>,
}

impl Confusion {
    /// Tallies predictions against labels.
    pub fn new(predicted: &[u8], truth: &[u8], classes: usize) -> Self {
        let mut counts = vec![vec![0u64; classes]; classes];
        for (&p, &t) in predicted.iter().zip(truth) {
            counts[t as usize][p as usize] += 1;
        }
        Self { counts }
    }

    /// Fraction on the diagonal (NaN when empty).
    pub fn accuracy(&self) -> f64 {
        let total: u64 = self.counts.iter().flatten().sum();
        let right: u64 = (0..self.counts.len()).map(|c| self.counts[c][c]).sum();
        right as f64 / total as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_worked_assignment_and_votes() {
        // Neuron 0 answers class 0, neuron 1 class 1 (mostly), neuron 2 never fires.
        let responses = vec![vec![4, 0, 0], vec![2, 0, 0], vec![0, 3, 0], vec![1, 5, 0]];
        let labels = [0, 0, 1, 1];
        let a = assign(&responses, &labels, 2);
        assert_eq!(a.labels, vec![Some(0), Some(1), None]);
        // Neuron 1: mean 0 on class 0, 4 on class 1 → proportions (0, 1).
        // Neuron 0: mean 3 on class 0, 0.5 on class 1 → (3/3.5, 0.5/3.5).
        assert!((a.proportions[0] - 3.0 / 3.5).abs() < 1e-15);
        assert!((a.proportions[3] - 1.0).abs() < 1e-15);
        assert_eq!(predict_all_activity(&[1, 2, 9], &a), 1);
        assert_eq!(predict_all_activity(&[3, 2, 0], &a), 0);
        // Proportion: class 0 = 2·(3/3.5) = 1.714; class 1 = 2·(0.5/3.5) + 1 = 1.286.
        assert_eq!(predict_proportion(&[2, 1, 0], &a), 0);
        // Vote-for-all: neuron 0's shares are (3^0.1, 0.5^0.1)/(3^0.1 + 0.5^0.1) = (0.5447,
        // 0.4553), neuron 1's (0, 1). Counts (5, 2, 0): class 0 = 5·0.5447 = 2.72, class 1 =
        // 5·0.4553 + 2 = 4.28 — class 1, where proportion weighting says class 0 (4.29 vs 2.71).
        let (s0, s1) = (3f64.powf(0.1), 0.5f64.powf(0.1));
        assert!((s0 / (s0 + s1) - 0.5447).abs() < 1e-4);
        assert_eq!(predict_vote_for_all(&[5, 2, 0], &a), 1);
        assert_eq!(predict_proportion(&[5, 2, 0], &a), 0);
        assert_eq!(
            predict_vote_for_all(&[0, 0, 7], &a),
            0,
            "silent voters: ties → class 0"
        );
        let confusion = Confusion::new(&[0, 1, 1, 1], &[0, 1, 0, 1], 2);
        assert_eq!(confusion.counts, vec![vec![1, 1], vec![0, 2]]);
        assert!((confusion.accuracy() - 0.75).abs() < 1e-15);
    }
}
