//! Labelled image datasets in memory ([`Dataset`]) and the MNIST-layout loader: a directory
//! with `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte` and
//! `t10k-labels-idx1-ubyte`, each raw or with `.gz`. MNIST and Fashion-MNIST (Debian's
//! `dataset-fashion-mnist` installs it under `/usr/share/datasets/fashion-mnist/`) both use it.
//!
//! Also the poster's split (NETWORKS.md §4): all images pooled, 70 % train / 30 % test.
//! The file format itself lives in [`crate::data::idx`]; CIFAR in [`crate::data::cifar`].

use super::idx::{read_idx, IMAGES_MAGIC, LABELS_MAGIC};
use crate::error::{Error, Result};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// Number of classes of MNIST and Fashion-MNIST (labels 0-9).
pub const MNIST_CLASSES: u8 = 10;

/// Which split of a dataset to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// The training images (`train-*`, CIFAR `data_batch_*` / `train.bin`).
    Train,
    /// The test images (`t10k-*`, CIFAR `test_batch.bin` / `test.bin`).
    Test,
}

/// Labelled images, all of one shape, stored contiguously.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    /// Pixels, image after image; within an image channel-major planes of `rows × cols`
    /// row-major pixels (one plane for MNIST; R, G, B for CIFAR, as in its files).
    pub images: Vec<u8>,
    /// One label per image.
    pub labels: Vec<u8>,
    /// Rows per image.
    pub rows: usize,
    /// Columns per image.
    pub cols: usize,
    /// Channels (planes) per image.
    pub channels: usize,
}

impl Dataset {
    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True when there are no images.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Bytes per image: `channels × rows × cols`.
    pub fn image_size(&self) -> usize {
        self.channels * self.rows * self.cols
    }

    /// The pixels of image `i`.
    ///
    /// # Panics
    /// If `i >= self.len()`.
    pub fn image(&self, i: usize) -> &[u8] {
        let size = self.image_size();
        &self.images[i * size..(i + 1) * size]
    }

    /// The label of image `i`.
    ///
    /// # Panics
    /// If `i >= self.len()`.
    pub fn label(&self, i: usize) -> u8 {
        self.labels[i]
    }

    /// A copy of images `range`.
    ///
    /// # Panics
    /// If the range is decreasing or ends past `self.len()`.
    pub fn subset(&self, range: Range<usize>) -> Dataset {
        let size = self.image_size();
        Dataset {
            images: self.images[range.start * size..range.end * size].to_vec(),
            labels: self.labels[range].to_vec(),
            ..self.empty_like()
        }
    }

    /// A copy of the first `n` images, or of all of them when there are fewer.
    pub fn take(&self, n: usize) -> Dataset {
        self.subset(0..n.min(self.len()))
    }

    /// A dataset of the same image shape with no images.
    fn empty_like(&self) -> Dataset {
        Dataset {
            images: Vec::new(),
            labels: Vec::new(),
            rows: self.rows,
            cols: self.cols,
            channels: self.channels,
        }
    }

    /// Appends image `i` of `other` (same shape).
    fn push_from(&mut self, other: &Dataset, i: usize) {
        self.images.extend_from_slice(other.image(i));
        self.labels.push(other.label(i));
    }
}

/// Loads one split of an MNIST-layout directory (MNIST or Fashion-MNIST), raw or gzip files,
/// or of EMNIST's files (`emnist-<variant>-train-…` / `-test-…`, the images transposed back to
/// MNIST's row-major layout; variants with more than 10 classes are refused by their labels).
///
/// Each file is checked by [`crate::data::idx`] (magic, shape, `MD5SUMS` when present); then the
/// image and label counts must agree and every label must be below 10. A missing file is one
/// [`Error::Data`] line: `<dir>/train-images-idx3-ubyte(.gz): not found (...)`.
pub fn load_mnist_like(dir: &Path, split: Split) -> Result<Dataset> {
    let prefix = match split {
        Split::Train => "train",
        Split::Test => "t10k",
    };
    let plain = find(dir, &format!("{prefix}-images-idx3-ubyte"));
    let emnist = match &plain {
        Ok(_) => None,
        Err(_) => emnist_variant(dir)?,
    };
    let (image_path, label_path) = match &emnist {
        Some(variant) => {
            let split = match split {
                Split::Train => "train",
                Split::Test => "test",
            };
            (
                find(dir, &format!("emnist-{variant}-{split}-images-idx3-ubyte"))?,
                find(dir, &format!("emnist-{variant}-{split}-labels-idx1-ubyte"))?,
            )
        }
        None => (plain?, find(dir, &format!("{prefix}-labels-idx1-ubyte"))?),
    };
    let (mut images, _) = read_idx(&image_path, IMAGES_MAGIC)?;
    let (labels, _) = read_idx(&label_path, LABELS_MAGIC)?;
    let (n_images, rows, cols) = (images.dims[0], images.dims[1], images.dims[2]);
    let n_labels = labels.dims[0];
    if n_images != n_labels {
        return Err(Error::Data {
            path: label_path,
            message: format!(
                "expected {n_images} labels, one per image of {}, found {n_labels}",
                image_path.display()
            ),
        });
    }
    if let Some(i) = labels.data.iter().position(|&l| l >= MNIST_CLASSES) {
        return Err(Error::Data {
            path: label_path,
            message: format!(
                "expected labels 0-{}, found {} at index {i}",
                MNIST_CLASSES - 1,
                labels.data[i]
            ),
        });
    }
    if emnist.is_some() {
        // EMNIST stores every image transposed (column-major) relative to MNIST.
        // The file's rows × cols image is the true image's transpose: true pixel (r, c) is
        // the file's (c, r).
        let (true_rows, true_cols) = (cols, rows);
        for image in images.data.chunks_exact_mut(rows * cols) {
            let file = image.to_vec();
            for r in 0..true_rows {
                for c in 0..true_cols {
                    image[r * true_cols + c] = file[c * cols + r];
                }
            }
        }
    }
    Ok(Dataset {
        images: images.data,
        labels: labels.data,
        rows: if emnist.is_some() { cols } else { rows },
        cols: if emnist.is_some() { rows } else { cols },
        channels: 1,
    })
}

/// The EMNIST variant whose files (`emnist-<variant>-train-images-idx3-ubyte[.gz]`, …) are in
/// `dir`, if any; several variants side by side are refused (point --data at one).
fn emnist_variant(dir: &Path) -> Result<Option<String>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(None);
    };
    let mut variants: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|name| {
            let rest = name.strip_prefix("emnist-")?;
            let variant = rest
                .strip_suffix("-train-images-idx3-ubyte.gz")
                .or_else(|| rest.strip_suffix("-train-images-idx3-ubyte"))?;
            Some(variant.to_string())
        })
        .collect();
    variants.sort();
    variants.dedup();
    match variants.len() {
        0 => Ok(None),
        1 => Ok(variants.pop()),
        _ => Err(Error::Data {
            path: dir.to_path_buf(),
            message: format!(
                "holds several EMNIST variants ({}); point --data at a folder with one",
                variants.join(", ")
            ),
        }),
    }
}

/// The path of `dir/stem`, preferring the uncompressed file over `stem.gz`.
fn find(dir: &Path, stem: &str) -> Result<PathBuf> {
    [stem.to_string(), format!("{stem}.gz")]
        .into_iter()
        .map(|name| dir.join(name))
        .find(|path| path.is_file())
        .ok_or_else(|| Error::Data {
            path: dir.join(format!("{stem}(.gz)")),
            message: "not found (expected the MNIST/Fashion-MNIST IDX files here; see --data)"
                .into(),
        })
}

/// The poster's split (NETWORKS.md §4): pools `train` then `test`, shuffles the pool with a
/// Fisher-Yates shuffle driven by `ChaCha8Rng::seed_from_u64(seed)`, and returns the first
/// ⌊70 % · n⌋ images of the shuffled pool as the training set and the rest as the test set,
/// both in shuffled order. The same seed gives the same split on every platform.
///
/// Errors with [`Error::Undefined`] when the two datasets' images differ in shape.
pub fn poster_split(train: &Dataset, test: &Dataset, seed: u64) -> Result<(Dataset, Dataset)> {
    let shape = |d: &Dataset| (d.channels, d.rows, d.cols);
    if shape(train) != shape(test) {
        return Err(Error::Undefined {
            what: "the poster split".into(),
            why: format!(
                "training images are {:?} (channels, rows, cols) but test images {:?}",
                shape(train),
                shape(test)
            ),
        });
    }
    let n = train.len() + test.len();
    let order = shuffled_indices(n, seed);
    let n_train = n / 10 * 7 + n % 10 * 7 / 10;
    let mut parts = (train.empty_like(), train.empty_like());
    for (k, &i) in order.iter().enumerate() {
        let part = if k < n_train {
            &mut parts.0
        } else {
            &mut parts.1
        };
        match i.checked_sub(train.len()) {
            None => part.push_from(train, i),
            Some(j) => part.push_from(test, j),
        }
    }
    Ok(parts)
}

/// A permutation of `0..n` by the Fisher-Yates (Durstenfeld) shuffle: for `i` from `n − 1` down
/// to 1, swap position `i` with a uniform position `j ∈ [0, i]` (Knuth, TAOCP vol. 2, §3.4.2,
/// Algorithm P).
fn shuffled_indices(n: usize, seed: u64) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = uniform_below(&mut rng, i as u64 + 1) as usize;
        order.swap(i, j);
    }
    order
}

/// A uniform integer in `[0, bound)` for `bound ≥ 1`, by Lemire's multiply-and-reject method
/// ("Fast random integer generation in an interval", ACM TOMACS 2019). Written out so the split
/// depends only on the generator's `u64` stream, not on `rand`'s sampling algorithms.
fn uniform_below(rng: &mut ChaCha8Rng, bound: u64) -> u64 {
    // 2^64 mod bound: the low words below it would make some results more likely.
    let threshold = bound.wrapping_neg() % bound;
    loop {
        let product = u128::from(rng.next_u64()) * u128::from(bound);
        if product as u64 >= threshold {
            return (product >> 64) as u64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::idx::testing::{idx_bytes, write};

    /// Writes an MNIST-layout split `prefix` of `n` 2 × 3 images (pixel = 10·image + index)
    /// with the given labels; `gz` picks compressed names.
    fn write_split(dir: &Path, prefix: &str, labels: &[u8], n_images: u32, gz: bool) {
        let ext = if gz { ".gz" } else { "" };
        let pixels: Vec<u8> = (0..n_images as u8 * 6)
            .map(|k| 10 * (k / 6) + k % 6)
            .collect();
        let images = idx_bytes(IMAGES_MAGIC, &[n_images, 2, 3], &pixels);
        write(dir, &format!("{prefix}-images-idx3-ubyte{ext}"), &images);
        let labels = idx_bytes(LABELS_MAGIC, &[labels.len() as u32], labels);
        write(dir, &format!("{prefix}-labels-idx1-ubyte{ext}"), &labels);
    }

    #[test]
    fn emnist_files_load_through_the_same_loader_transposed_back() {
        // One 2 × 3 image stored as EMNIST does, transposed: the file holds a 3 × 2 image whose
        // row k is the true image's column k. True image rows: [1 2 3], [4 5 6].
        let dir = tempfile::tempdir().unwrap();
        for split in ["train", "test"] {
            let file = idx_bytes(IMAGES_MAGIC, &[1, 3, 2], &[1, 4, 2, 5, 3, 6]);
            write(
                dir.path(),
                &format!("emnist-digits-{split}-images-idx3-ubyte.gz"),
                &file,
            );
            let labels = idx_bytes(LABELS_MAGIC, &[1], &[7]);
            write(
                dir.path(),
                &format!("emnist-digits-{split}-labels-idx1-ubyte.gz"),
                &labels,
            );
        }
        for split in [Split::Train, Split::Test] {
            let d = load_mnist_like(dir.path(), split).unwrap();
            assert_eq!((d.rows, d.cols, d.len()), (2, 3, 1));
            assert_eq!(d.image(0), &[1, 2, 3, 4, 5, 6]);
            assert_eq!(d.label(0), 7);
        }
        // EMNIST letters (labels 1-26) are refused by their labels; two variants side by side
        // by name.
        let labels = idx_bytes(LABELS_MAGIC, &[1], &[26]);
        write(
            dir.path(),
            "emnist-digits-train-labels-idx1-ubyte.gz",
            &labels,
        );
        let e = message(load_mnist_like(dir.path(), Split::Train).unwrap_err());
        assert!(e.contains("0-9") && e.contains("26"), "{e}");
        let file = idx_bytes(IMAGES_MAGIC, &[1, 3, 2], &[0; 6]);
        write(dir.path(), "emnist-letters-train-images-idx3-ubyte", &file);
        let e = message(load_mnist_like(dir.path(), Split::Train).unwrap_err());
        assert!(e.contains("digits, letters"), "{e}");
    }

    fn message(e: Error) -> String {
        match e {
            Error::Data { message, .. } => message,
            other => panic!("expected Error::Data, got {other:?}"),
        }
    }

    /// `n` 1 × 1 images whose pixel equals their label, `i mod 256`.
    fn tiny(n: usize, offset: usize) -> Dataset {
        let bytes: Vec<u8> = (offset..offset + n).map(|i| i as u8).collect();
        Dataset {
            images: bytes.clone(),
            labels: bytes,
            rows: 1,
            cols: 1,
            channels: 1,
        }
    }

    #[test]
    fn loads_raw_and_gzip_splits() {
        let dir = tempfile::tempdir().unwrap();
        write_split(dir.path(), "train", &[3, 1, 4], 3, false);
        write_split(dir.path(), "t10k", &[9, 0], 2, true);
        let train = load_mnist_like(dir.path(), Split::Train).unwrap();
        assert_eq!((train.len(), train.rows, train.cols), (3, 2, 3));
        assert_eq!(train.channels, 1);
        assert_eq!(train.labels, [3, 1, 4]);
        assert_eq!(train.image(2), [20, 21, 22, 23, 24, 25]);
        let test = load_mnist_like(dir.path(), Split::Test).unwrap();
        assert_eq!((test.label(0), test.label(1)), (9, 0));
        assert_eq!(test.image(1), [10, 11, 12, 13, 14, 15]);
    }

    #[test]
    fn a_missing_file_is_one_line_naming_both_names() {
        let dir = tempfile::tempdir().unwrap();
        let e = load_mnist_like(dir.path(), Split::Train).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{}: not found (expected the MNIST/Fashion-MNIST IDX files here; see --data)",
                dir.path().join("train-images-idx3-ubyte(.gz)").display()
            )
        );
        write_split(dir.path(), "t10k", &[1], 1, true);
        std::fs::remove_file(dir.path().join("t10k-labels-idx1-ubyte.gz")).unwrap();
        let e = load_mnist_like(dir.path(), Split::Test).unwrap_err();
        assert!(e
            .to_string()
            .contains("t10k-labels-idx1-ubyte(.gz): not found"));
    }

    #[test]
    fn image_and_label_counts_must_agree() {
        let dir = tempfile::tempdir().unwrap();
        write_split(dir.path(), "train", &[1, 2], 3, false);
        let e = message(load_mnist_like(dir.path(), Split::Train).unwrap_err());
        let images = dir.path().join("train-images-idx3-ubyte");
        assert_eq!(
            e,
            format!(
                "expected 3 labels, one per image of {}, found 2",
                images.display()
            )
        );
    }

    #[test]
    fn labels_must_be_digits() {
        let dir = tempfile::tempdir().unwrap();
        write_split(dir.path(), "train", &[1, 10, 255], 3, true);
        let e = load_mnist_like(dir.path(), Split::Train).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{}: expected labels 0-9, found 10 at index 1",
                dir.path().join("train-labels-idx1-ubyte.gz").display()
            )
        );
    }

    #[test]
    fn file_errors_propagate_with_the_file_name() {
        let dir = tempfile::tempdir().unwrap();
        write_split(dir.path(), "train", &[1], 1, false);
        // Labels stored under the images' name.
        let labels = idx_bytes(LABELS_MAGIC, &[1], &[1]);
        write(dir.path(), "train-images-idx3-ubyte", &labels);
        let e = load_mnist_like(dir.path(), Split::Train).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{}: expected IDX magic 0x00000803 (images), found 0x00000801 (labels)",
                dir.path().join("train-images-idx3-ubyte").display()
            )
        );
    }

    #[test]
    fn subset_and_take_copy_whole_images() {
        let d = tiny(5, 0);
        let s = d.subset(1..4);
        assert_eq!(
            (s.images.as_slice(), s.labels.as_slice()),
            (&[1, 2, 3][..], &[1, 2, 3][..])
        );
        assert_eq!(d.take(2).labels, [0, 1]);
        assert_eq!(d.take(99), d);
        assert!(d.take(0).is_empty());
    }

    #[test]
    fn poster_split_is_seventy_thirty_and_a_permutation() {
        let (train, test) = (tiny(60, 0), tiny(40, 60));
        let (a, b) = poster_split(&train, &test, 7).unwrap();
        assert_eq!((a.len(), b.len()), (70, 30));
        let mut all: Vec<u8> = a.labels.iter().chain(&b.labels).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..100).collect::<Vec<u8>>());
        // Images travel with their labels.
        assert_eq!(a.images, a.labels);
        // Deterministic by seed; another seed gives another split.
        assert_eq!(poster_split(&train, &test, 7).unwrap(), (a.clone(), b));
        assert_ne!(poster_split(&train, &test, 8).unwrap().0, a);
        // ⌊0.7 n⌋ for sizes not divisible by 10.
        let (a, b) = poster_split(&tiny(2, 0), &tiny(1, 2), 0).unwrap();
        assert_eq!((a.len(), b.len()), (2, 1));
    }

    #[test]
    fn poster_split_rejects_different_shapes() {
        let mut rgb = tiny(1, 0);
        rgb.channels = 3;
        rgb.images = vec![0; 3];
        let e = poster_split(&tiny(1, 0), &rgb, 0).unwrap_err();
        assert!(matches!(e, Error::Undefined { .. }), "{e}");
    }

    #[test]
    fn shuffle_is_uniform_over_permutations() {
        // Each of the 3! = 6 orders has probability 1/6; over 60,000 seeds each count is
        // Binomial(60000, 1/6): mean 10,000, sd ≈ 91. Six sd allows 9,450..10,550.
        let mut counts = std::collections::HashMap::new();
        for seed in 0..60_000 {
            *counts.entry(shuffled_indices(3, seed)).or_insert(0u32) += 1;
        }
        assert_eq!(counts.len(), 6);
        for (order, &count) in &counts {
            assert!((9_450..=10_550).contains(&count), "{order:?}: {count}");
        }
    }

    #[test]
    fn uniform_below_covers_its_range_evenly() {
        // bound 3 does not divide 2^64, so rejection matters; 30,000 draws, sd ≈ 82 per bin.
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut bins = [0u32; 3];
        for _ in 0..30_000 {
            bins[uniform_below(&mut rng, 3) as usize] += 1;
        }
        assert!(
            bins.iter().all(|&b| (9_500..=10_500).contains(&b)),
            "{bins:?}"
        );
        assert_eq!(uniform_below(&mut rng, 1), 0);
    }

    #[test]
    #[ignore = "needs the full MNIST set: MESONET_DATA=/path/to/mnist cargo test -- --ignored"]
    fn real_mnist_test_split_has_the_published_class_counts() {
        let dir = std::path::PathBuf::from(std::env::var("MESONET_DATA").expect("MESONET_DATA"));
        let dir = dir.as_path();
        let d = load_mnist_like(dir, Split::Test).unwrap();
        assert_eq!((d.len(), d.rows, d.cols, d.channels), (10_000, 28, 28, 1));
        assert_eq!(d.images.len(), 10_000 * 28 * 28);
        // The md5 sums of the files it read are verified by crate::data::idx's tests and by the
        // loader itself (a mismatch would be an error above); here: read_idx reports them.
        for name in ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"] {
            let magic = if name.contains("images") {
                IMAGES_MAGIC
            } else {
                LABELS_MAGIC
            };
            let (_, md5) = read_idx(&dir.join(name), magic).unwrap();
            assert!(
                matches!(md5, crate::data::idx::Md5Check::Verified(_)),
                "{name}"
            );
        }
        let mut counts = [0usize; 10];
        for &label in &d.labels {
            counts[usize::from(label)] += 1;
        }
        assert_eq!(counts.iter().sum::<usize>(), 10_000);
        // LeCun, Cortes & Burges, the MNIST test set: images per digit 0-9.
        assert_eq!(
            counts,
            [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
        );
    }

    #[test]
    #[ignore = "needs `apt-get install dataset-fashion-mnist`"]
    fn fashion_mnist_from_the_debian_package_loads() {
        let dir = Path::new("/usr/share/datasets/fashion-mnist");
        let train = load_mnist_like(dir, Split::Train).unwrap();
        let test = load_mnist_like(dir, Split::Test).unwrap();
        assert_eq!((train.len(), test.len()), (60_000, 10_000));
        assert_eq!((train.rows, train.cols), (28, 28));
        // Fashion-MNIST is balanced: 6,000 training and 1,000 test images per class.
        let mut counts = [0usize; 10];
        test.labels
            .iter()
            .for_each(|&l| counts[usize::from(l)] += 1);
        assert_eq!(counts, [1000; 10]);
    }
}
