//! MNIST-format datasets (MNIST, Fashion-MNIST): four IDX files in one directory.

use super::idx::{decode, read_bytes, verify_md5};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Which split to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// `train-*` files.
    Train,
    /// `t10k-*` files.
    Test,
}

/// Images and labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    /// Pixels, row-major per image, images concatenated.
    pub images: Vec<u8>,
    /// Labels.
    pub labels: Vec<u8>,
    /// Rows per image.
    pub rows: usize,
    /// Columns per image.
    pub cols: usize,
    /// Channels per image.
    pub channels: usize,
}

impl Dataset {
    /// Number of samples.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The pixels of sample `i`.
    pub fn image(&self, i: usize) -> &[u8] {
        let size = self.rows * self.cols * self.channels;
        &self.images[i * size..(i + 1) * size]
    }

    /// The label of sample `i`.
    pub fn label(&self, i: usize) -> u8 {
        self.labels[i]
    }
}

fn find(dir: &Path, stem: &str) -> Result<(PathBuf, String)> {
    for name in [format!("{stem}.gz"), stem.to_string()] {
        let path = dir.join(&name);
        if path.exists() {
            return Ok((path, stem.to_string()));
        }
    }
    Err(Error::Data {
        path: dir.join(format!("{stem}(.gz)")),
        message: "not found (expected the MNIST/Fashion-MNIST IDX files here; see --data)".into(),
    })
}

/// Loads one split from `dir` (MNIST or Fashion-MNIST file names, gzip or raw).
pub fn load_mnist_like(dir: &Path, split: Split) -> Result<Dataset> {
    let prefix = match split {
        Split::Train => "train",
        Split::Test => "t10k",
    };
    let (image_path, image_name) = find(dir, &format!("{prefix}-images-idx3-ubyte"))?;
    let (label_path, label_name) = find(dir, &format!("{prefix}-labels-idx1-ubyte"))?;
    let image_bytes = read_bytes(&image_path)?;
    verify_md5(&image_path, &image_name, &image_bytes)?;
    let label_bytes = read_bytes(&label_path)?;
    verify_md5(&label_path, &label_name, &label_bytes)?;
    let images = decode(&image_path, &image_bytes, 3)?;
    let labels = decode(&label_path, &label_bytes, 1)?;
    if images.dims[0] != labels.dims[0] {
        return Err(Error::Data {
            path: label_path,
            message: format!("{} labels for {} images", labels.dims[0], images.dims[0]),
        });
    }
    if let Some(bad) = labels.data.iter().find(|&&l| l >= 10) {
        return Err(Error::Data {
            path: label_path,
            message: format!("label {bad} is not a digit class 0-9"),
        });
    }
    Ok(Dataset {
        images: images.data,
        labels: labels.data,
        rows: images.dims[1],
        cols: images.dims[2],
        channels: 1,
    })
}
