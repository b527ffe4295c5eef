//! The CIFAR-10 / CIFAR-100 "binary version" files: fixed-size records of label byte(s)
//! followed by 3072 pixel bytes, the 32×32 red, green and blue planes, each row-major.
//!
//! * CIFAR-10: 1 label byte (0-9) + 3072; `data_batch_1.bin` … `data_batch_5.bin` (train) and
//!   `test_batch.bin` (test), as unpacked into `cifar-10-batches-bin/`.
//! * CIFAR-100: 2 label bytes (coarse 0-19, fine 0-99) + 3072; `train.bin` and `test.bin`, as
//!   unpacked into `cifar-100-binary/`. The fine label is kept.
//!
//! The images keep the file's layout: a [`Dataset`] with `channels = 3` whose images are three
//! planes. This module does not convert to grey or filter (NETWORKS.md §3 leaves that to the
//! input stage).

use super::mnist::{Dataset, Split};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Side of a CIFAR image in pixels.
const SIDE: usize = 32;
/// Colour planes per image (R, G, B).
const CHANNELS: usize = 3;
/// Pixel bytes per record.
const PIXELS: usize = CHANNELS * SIDE * SIDE;

/// Which CIFAR dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cifar {
    /// CIFAR-10: 10 classes, one label byte per record.
    Ten,
    /// CIFAR-100: 100 fine classes (20 coarse), two label bytes per record.
    Hundred,
}

impl Cifar {
    /// Label bytes at the start of each record.
    pub fn label_bytes(self) -> usize {
        match self {
            Cifar::Ten => 1,
            Cifar::Hundred => 2,
        }
    }

    /// Bytes per record: the label bytes then 3072 pixel bytes.
    pub fn record_len(self) -> usize {
        self.label_bytes() + PIXELS
    }

    /// Number of classes of each label byte, in record order (`[10]`, or `[20, 100]`: coarse,
    /// fine).
    fn label_ranges(self) -> &'static [u8] {
        match self {
            Cifar::Ten => &[10],
            Cifar::Hundred => &[20, 100],
        }
    }

    /// The files of a split, in the order their records are concatenated.
    fn files(self, split: Split) -> Vec<String> {
        match (self, split) {
            (Cifar::Ten, Split::Train) => (1..=5).map(|k| format!("data_batch_{k}.bin")).collect(),
            (Cifar::Ten, Split::Test) => vec!["test_batch.bin".into()],
            (Cifar::Hundred, Split::Train) => vec!["train.bin".into()],
            (Cifar::Hundred, Split::Test) => vec!["test.bin".into()],
        }
    }

    /// The folder the official archive unpacks into.
    fn archive_folder(self) -> &'static str {
        match self {
            Cifar::Ten => "cifar-10-batches-bin",
            Cifar::Hundred => "cifar-100-binary",
        }
    }
}

/// Loads a CIFAR-10 split from `dir` (or from `dir/cifar-10-batches-bin/`): 32×32×3 images,
/// labels 0-9.
pub fn load_cifar10(dir: &Path, split: Split) -> Result<Dataset> {
    load_cifar(dir, Cifar::Ten, split)
}

/// Loads a CIFAR-100 split from `dir` (or from `dir/cifar-100-binary/`): 32×32×3 images, fine
/// labels 0-99.
pub fn load_cifar100(dir: &Path, split: Split) -> Result<Dataset> {
    load_cifar(dir, Cifar::Hundred, split)
}

/// Loads a split of `variant` from `dir`, or from the archive's folder inside `dir` when `dir`
/// itself holds none of the split's files.
///
/// Every file must be a non-empty whole number of records and every label byte within its
/// range; otherwise an [`Error::Data`] names the file (and the record).
pub fn load_cifar(dir: &Path, variant: Cifar, split: Split) -> Result<Dataset> {
    let files = variant.files(split);
    let nested = dir.join(variant.archive_folder());
    let base = if !dir.join(&files[0]).is_file() && nested.join(&files[0]).is_file() {
        nested
    } else {
        dir.to_path_buf()
    };
    let mut data = Dataset {
        images: Vec::new(),
        labels: Vec::new(),
        rows: SIDE,
        cols: SIDE,
        channels: CHANNELS,
    };
    for name in &files {
        read_records(&base.join(name), variant, &mut data)?;
    }
    Ok(data)
}

/// Appends the records of the file `path` to `out`.
fn read_records(path: &Path, variant: Cifar, out: &mut Dataset) -> Result<()> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => data_error(
            path,
            "not found (expected the CIFAR binary-version files here; see --data)".into(),
        ),
        _ => Error::io(path, e),
    })?;
    let record_len = variant.record_len();
    if bytes.is_empty() || bytes.len() % record_len != 0 {
        return Err(data_error(
            path,
            format!(
                "expected a non-empty whole number of {record_len}-byte records, found {} bytes \
                 ({} records and {} bytes over)",
                bytes.len(),
                bytes.len() / record_len,
                bytes.len() % record_len
            ),
        ));
    }
    let records = bytes.len() / record_len;
    out.images.reserve(records * PIXELS);
    out.labels.reserve(records);
    let ranges = variant.label_ranges();
    for (k, record) in bytes.chunks_exact(record_len).enumerate() {
        let (labels, pixels) = record.split_at(ranges.len());
        for (byte, (&label, &classes)) in labels.iter().zip(ranges).enumerate() {
            if label >= classes {
                return Err(data_error(
                    path,
                    format!(
                        "record {k}: expected label byte {byte} in 0-{}, found {label}",
                        classes - 1
                    ),
                ));
            }
        }
        out.labels.push(labels[ranges.len() - 1]);
        out.images.extend_from_slice(pixels);
    }
    Ok(())
}

fn data_error(path: &Path, message: String) -> Error {
    Error::Data {
        path: PathBuf::from(path),
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record: the label bytes, then the R plane filled with `fill`, G with `fill + 1`, B with
    /// `fill + 2`, except that pixel (row 1, col 2) of each plane is 200 + plane.
    fn record(labels: &[u8], fill: u8) -> Vec<u8> {
        let mut r = labels.to_vec();
        for plane in 0..3u8 {
            let mut p = vec![fill + plane; SIDE * SIDE];
            p[SIDE + 2] = 200 + plane;
            r.extend(p);
        }
        r
    }

    fn message(e: Error) -> String {
        match e {
            Error::Data { message, .. } => message,
            other => panic!("expected Error::Data, got {other:?}"),
        }
    }

    #[test]
    fn cifar10_batches_are_concatenated_in_order_with_planes_kept() {
        let dir = tempfile::tempdir().unwrap();
        for k in 1..=5u8 {
            let bytes = [record(&[k], 10 * k), record(&[9], 100 + k)].concat();
            std::fs::write(dir.path().join(format!("data_batch_{k}.bin")), bytes).unwrap();
        }
        let d = load_cifar10(dir.path(), Split::Train).unwrap();
        assert_eq!((d.len(), d.rows, d.cols, d.channels), (10, 32, 32, 3));
        assert_eq!(d.labels, [1, 9, 2, 9, 3, 9, 4, 9, 5, 9]);
        let img = d.image(2); // batch 2's first record
        assert_eq!(img.len(), 3072);
        assert_eq!((img[0], img[1024], img[2048]), (20, 21, 22));
        // Pixel (1, 2) of the green plane.
        assert_eq!(img[1024 + 32 + 2], 201);
        assert_eq!(d.image(3)[0], 102);
    }

    #[test]
    fn cifar10_test_batch_and_archive_folder() {
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("cifar-10-batches-bin");
        std::fs::create_dir(&nested).unwrap();
        std::fs::write(nested.join("test_batch.bin"), record(&[7], 0)).unwrap();
        let d = load_cifar10(dir.path(), Split::Test).unwrap();
        assert_eq!(d.labels, [7]);
    }

    #[test]
    fn cifar100_keeps_the_fine_label() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = [record(&[3, 77], 0), record(&[19, 99], 1)].concat();
        std::fs::write(dir.path().join("test.bin"), bytes).unwrap();
        let d = load_cifar100(dir.path(), Split::Test).unwrap();
        assert_eq!(d.labels, [77, 99]);
        assert_eq!(d.image(1)[2048], 3);
    }

    #[test]
    fn sizes_must_be_whole_records() {
        let dir = tempfile::tempdir().unwrap();
        let mut truncated = [record(&[3, 7], 0), record(&[3, 7], 0)].concat();
        truncated.pop();
        std::fs::write(dir.path().join("train.bin"), &truncated).unwrap();
        let e = load_cifar100(dir.path(), Split::Train).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{}: expected a non-empty whole number of 3074-byte records, found 6147 bytes \
                 (1 records and 3073 bytes over)",
                dir.path().join("train.bin").display()
            )
        );
        // A CIFAR-100 record read as CIFAR-10 is one byte too long.
        std::fs::write(dir.path().join("test_batch.bin"), record(&[3, 7], 0)).unwrap();
        let e = message(load_cifar10(dir.path(), Split::Test).unwrap_err());
        assert!(
            e.contains("found 3074 bytes (1 records and 1 bytes over)"),
            "{e}"
        );
        std::fs::write(dir.path().join("test_batch.bin"), b"").unwrap();
        let e = message(load_cifar10(dir.path(), Split::Test).unwrap_err());
        assert!(e.contains("found 0 bytes"), "{e}");
    }

    #[test]
    fn labels_out_of_range_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = [record(&[9], 0), record(&[10], 0)].concat();
        std::fs::write(dir.path().join("test_batch.bin"), bytes).unwrap();
        assert_eq!(
            message(load_cifar10(dir.path(), Split::Test).unwrap_err()),
            "record 1: expected label byte 0 in 0-9, found 10"
        );
        std::fs::write(dir.path().join("test.bin"), record(&[20, 5], 0)).unwrap();
        assert_eq!(
            message(load_cifar100(dir.path(), Split::Test).unwrap_err()),
            "record 0: expected label byte 0 in 0-19, found 20"
        );
        std::fs::write(dir.path().join("test.bin"), record(&[19, 100], 0)).unwrap();
        assert_eq!(
            message(load_cifar100(dir.path(), Split::Test).unwrap_err()),
            "record 0: expected label byte 1 in 0-99, found 100"
        );
    }

    #[test]
    fn a_missing_batch_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("data_batch_1.bin"), record(&[1], 0)).unwrap();
        let e = load_cifar10(dir.path(), Split::Train).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{}: not found (expected the CIFAR binary-version files here; see --data)",
                dir.path().join("data_batch_2.bin").display()
            )
        );
    }
}
