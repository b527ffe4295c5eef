//! What the input stage does to colour images before they become Poisson rates (NETWORKS.md
//! §3, "multi-channel inputs"): keep the channels (one pathway set per channel) or convert to
//! grey, and optionally pass every plane through an on/off-centre difference-of-Gaussians
//! filter, which turns each plane into an ON plane (centre brighter than surround) and an OFF
//! plane (darker). The choice is part of a run's configuration and is recorded with it.

use super::Dataset;

/// How colour planes reach the network.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Colour {
    /// Every plane as it is: one pathway set per channel (grey images: the identity).
    #[default]
    Channels,
    /// One grey plane, luma 0.299 R + 0.587 G + 0.114 B rounded (ITU-R BT.601).
    Grey,
}

/// The input stage of a run.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct InputTransform {
    /// How colour planes reach the network.
    pub colour: Colour,
    /// On/off-centre filter: centre σ (pixels), surround σ = 2 × centre; None: off.
    pub dog_sigma: Option<f64>,
}

impl InputTransform {
    /// True when images pass unchanged.
    pub fn is_identity(&self, channels: usize) -> bool {
        self.dog_sigma.is_none() && (self.colour == Colour::Channels || channels == 1)
    }

    /// The images after the stage.
    pub fn apply(&self, data: &Dataset) -> Dataset {
        if self.is_identity(data.channels) {
            return data.clone();
        }
        let grey = match self.colour {
            Colour::Grey if data.channels == 3 => to_grey(data),
            _ => data.clone(),
        };
        match self.dog_sigma {
            Some(sigma) => dog_on_off(&grey, sigma),
            None => grey,
        }
    }
}

/// Luma of each pixel of 3-plane images, rounded: one plane.
pub fn to_grey(data: &Dataset) -> Dataset {
    assert_eq!(data.channels, 3, "three planes (R, G, B)");
    let plane = data.rows * data.cols;
    let mut images = Vec::with_capacity(data.len() * plane);
    for i in 0..data.len() {
        let img = data.image(i);
        let (r, g, b) = (&img[..plane], &img[plane..2 * plane], &img[2 * plane..]);
        images.extend((0..plane).map(|p| {
            (0.299 * r[p] as f64 + 0.587 * g[p] as f64 + 0.114 * b[p] as f64).round() as u8
        }));
    }
    Dataset {
        images,
        labels: data.labels.clone(),
        rows: data.rows,
        cols: data.cols,
        channels: 1,
    }
}

/// `grid` (rows × cols, row-major) smoothed by a separable Gaussian of `sigma` cells
/// (truncated at 3σ and renormalised at the edges, so a constant grid stays constant);
/// `sigma = 0` returns the grid unchanged.
pub fn gaussian_blur(grid: &[f64], rows: usize, cols: usize, sigma: f64) -> Vec<f64> {
    assert_eq!(grid.len(), rows * cols);
    if sigma <= 0.0 {
        return grid.to_vec();
    }
    let radius = (3.0 * sigma).ceil() as isize;
    let kernel: Vec<f64> = (-radius..=radius)
        .map(|k| (-(k * k) as f64 / (2.0 * sigma * sigma)).exp())
        .collect();
    let pass = |src: &[f64], len: usize, at: &dyn Fn(usize, usize) -> usize, lines: usize| {
        let mut out = vec![0.0; src.len()];
        for line in 0..lines {
            for i in 0..len {
                let (mut sum, mut weight) = (0.0, 0.0);
                for (k, &g) in kernel.iter().enumerate() {
                    let j = i as isize + k as isize - radius;
                    if (0..len as isize).contains(&j) {
                        sum += g * src[at(line, j as usize)];
                        weight += g;
                    }
                }
                out[at(line, i)] = sum / weight;
            }
        }
        out
    };
    let along_cols = pass(grid, cols, &|r, c| r * cols + c, rows);
    pass(&along_cols, rows, &|c, r| r * cols + c, cols)
}

/// On/off-centre difference of Gaussians: for each plane, D = G_σ * x − G_2σ * x; the ON plane
/// is max(D, 0), the OFF plane max(−D, 0), both scaled so that the image's largest |D| is 255
/// (per-image contrast normalisation; a flat image gives zeros). Planes come out as ON, OFF per
/// input plane, in order.
pub fn dog_on_off(data: &Dataset, sigma: f64) -> Dataset {
    let (rows, cols) = (data.rows, data.cols);
    let plane = rows * cols;
    let mut images = Vec::with_capacity(2 * data.images.len());
    for i in 0..data.len() {
        let img = data.image(i);
        let dogs: Vec<Vec<f64>> = (0..data.channels)
            .map(|c| {
                let x: Vec<f64> = img[c * plane..(c + 1) * plane]
                    .iter()
                    .map(|&v| v as f64)
                    .collect();
                let centre = gaussian_blur(&x, rows, cols, sigma);
                let surround = gaussian_blur(&x, rows, cols, 2.0 * sigma);
                centre.iter().zip(&surround).map(|(a, b)| a - b).collect()
            })
            .collect();
        let peak = dogs.iter().flatten().fold(0.0f64, |m, d| m.max(d.abs()));
        let scale = if peak > 1e-9 { 255.0 / peak } else { 0.0 };
        for d in &dogs {
            images.extend(d.iter().map(|v| (v.max(0.0) * scale).round() as u8));
            images.extend(d.iter().map(|v| ((-v).max(0.0) * scale).round() as u8));
        }
    }
    Dataset {
        images,
        labels: data.labels.clone(),
        rows,
        cols,
        channels: 2 * data.channels,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(rows: usize, cols: usize, channels: usize, pixels: Vec<u8>) -> Dataset {
        Dataset {
            images: pixels,
            labels: vec![3],
            rows,
            cols,
            channels,
        }
    }

    #[test]
    fn grey_is_the_rounded_luma() {
        // R, G, B planes of 2 pixels: (255, 0, 0) and (10, 20, 30).
        let d = one(1, 2, 3, vec![255, 10, 0, 20, 0, 30]);
        let g = to_grey(&d);
        assert_eq!(g.channels, 1);
        // 0.299·255 = 76.245 → 76; 2.99 + 11.74 + 3.42 = 18.15 → 18.
        assert_eq!(g.images, vec![76, 18]);
        assert_eq!(g.labels, vec![3]);
    }

    #[test]
    fn on_off_centre_planes_answer_a_spot_and_ignore_a_flat_image() {
        let flat = one(9, 9, 1, vec![100; 81]);
        let f = dog_on_off(&flat, 1.0);
        assert_eq!(f.channels, 2);
        assert!(f.images.iter().all(|&v| v == 0));
        // A bright spot: ON is largest at the spot (255 after normalisation), OFF is 0 there and
        // positive on the surround ring (the narrow Gaussian keeps more of the spot).
        let mut spot = vec![0u8; 81];
        spot[4 * 9 + 4] = 200;
        let s = dog_on_off(&one(9, 9, 1, spot), 1.0);
        let (on, off) = (&s.images[..81], &s.images[81..]);
        assert_eq!(on[40], 255);
        assert_eq!(*on.iter().max().unwrap(), 255);
        assert_eq!(off[40], 0);
        assert!(off[4 * 9 + 7] > 0, "{:?}", off);
        // Transform choices: grey images pass unchanged; colour to grey then DoG gives 2 planes.
        let t = InputTransform {
            colour: Colour::Grey,
            dog_sigma: Some(1.0),
        };
        assert_eq!(t.apply(&one(2, 2, 3, vec![9; 12])).channels, 2);
        assert!(InputTransform::default().is_identity(3));
        assert!(InputTransform {
            colour: Colour::Grey,
            dog_sigma: None
        }
        .is_identity(1));
    }

    #[test]
    fn smoothing_keeps_constants_and_spreads_a_point_as_a_gaussian() {
        let flat = gaussian_blur(&[0.3; 20], 4, 5, 1.5);
        assert!(flat.iter().all(|v| (v - 0.3).abs() < 1e-15));
        // A point in the middle of a 1 × 41 line: neighbours k away get e^{−k²/2σ²} / Σ.
        let mut line = vec![0.0; 41];
        line[20] = 1.0;
        let s = gaussian_blur(&line, 1, 41, 2.0);
        let norm: f64 = (-6..=6).map(|k: i32| (-(k * k) as f64 / 8.0).exp()).sum();
        for k in 0..=6usize {
            let expected = (-((k * k) as f64) / 8.0).exp() / norm;
            assert!((s[20 + k] - expected).abs() < 1e-15);
            assert!((s[20 - k] - expected).abs() < 1e-15);
        }
        assert_eq!(s[27].to_bits(), 0.0f64.to_bits());
        assert_eq!(gaussian_blur(&line, 1, 41, 0.0), line);
    }
}
