//! Evenly spaced parameter grids, validated on construction.

use crate::error::{Error, Result};

/// An evenly spaced grid of values of one named parameter, `from` to `to` inclusive.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Grid {
    /// The parameter's name.
    pub name: String,
    /// The values, increasing.
    pub values: Vec<f64>,
}

impl Grid {
    /// `points` values from `from` to `to` inclusive. Needs finite ends with `from < to` and
    /// at least 2 points, or `points == 1` with `from == to`.
    pub fn linspace(name: &str, from: f64, to: f64, points: usize) -> Result<Self> {
        let empty = || Error::EmptyRange {
            name: name.to_string(),
            from,
            to,
            points,
        };
        if !(from.is_finite() && to.is_finite()) || points == 0 {
            return Err(empty());
        }
        if points == 1 {
            return if (to - from).abs() <= 0.0 {
                Ok(Self {
                    name: name.to_string(),
                    values: vec![from],
                })
            } else {
                Err(empty())
            };
        }
        if from >= to {
            return Err(empty());
        }
        crate::resources::check_count("points", points, 8.0)?;
        let spacing = (to - from) / (points - 1) as f64;
        let values = (0..points)
            .map(|i| {
                if i + 1 == points {
                    to
                } else {
                    from + spacing * i as f64
                }
            })
            .collect();
        Ok(Self {
            name: name.to_string(),
            values,
        })
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when the grid has no values (never, for a validated grid).
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ends_are_exact_and_spacing_even() {
        let g = Grid::linspace("eta", 0.1, 0.7, 4).unwrap();
        assert_eq!(g.values.len(), 4);
        assert_eq!(g.values[3].to_bits(), 0.7f64.to_bits());
        assert!((g.values[1] - 0.3).abs() < 1e-15);
    }

    #[test]
    fn empty_ranges_are_errors() {
        assert!(Grid::linspace("eta", 1.0, 1.0, 5).is_err());
        assert!(Grid::linspace("eta", 2.0, 1.0, 5).is_err());
        assert!(Grid::linspace("eta", 0.0, 1.0, 0).is_err());
        assert!(Grid::linspace("eta", 0.0, f64::NAN, 3).is_err());
        let msg = Grid::linspace("eta", 2.0, 1.0, 5).unwrap_err().to_string();
        assert!(msg.contains("eta") && msg.contains("from 2 to 1"), "{msg}");
    }
}
