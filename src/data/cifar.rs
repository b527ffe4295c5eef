//! The CIFAR-10 / CIFAR-100 binary formats: fixed-size records of label byte(s) followed by
//! 3072 pixel bytes (the 32×32 red, green and blue planes). CIFAR-10 records have one label
//! byte (0-9); CIFAR-100 records have two (coarse 0-19, fine 0-99; the fine label is kept).
//! Files: CIFAR-10 `data_batch_1.bin` … `data_batch_5.bin` and `test_batch.bin`; CIFAR-100
//! `train.bin` and `test.bin`.

use super::mnist::{Dataset, Split};
use crate::error::{Error, Result};
use std::path::Path;

/// Pixel bytes per record (3 planes of 32 × 32).
const PIXELS: usize = 3 * 32 * 32;

/// Which CIFAR variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cifar {
    /// 10 classes, one label byte.
    Ten,
    /// 100 fine classes, two label bytes (coarse, fine).
    Hundred,
}

impl Cifar {
    fn label_bytes(self) -> usize {
        match self {
            Cifar::Ten => 1,
            Cifar::Hundred => 2,
        }
    }

    fn classes(self) -> u8 {
        match self {
            Cifar::Ten => 10,
            Cifar::Hundred => 100,
        }
    }

    fn files(self, split: Split) -> Vec<String> {
        match (self, split) {
            (Cifar::Ten, Split::Train) => (1..=5).map(|k| format!("data_batch_{k}.bin")).collect(),
            (Cifar::Ten, Split::Test) => vec!["test_batch.bin".into()],
            (Cifar::Hundred, Split::Train) => vec!["train.bin".into()],
            (Cifar::Hundred, Split::Test) => vec!["test.bin".into()],
        }
    }
}

/// Appends the records of one file to `out`.
fn read_records(path: &Path, variant: Cifar, out: &mut Dataset) -> Result<()> {
    let bytes = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::Data {
            path: path.to_path_buf(),
            message: "not found (expected the CIFAR binary-version files here; see --data)".into(),
        },
        _ => Error::io(path, e),
    })?;
    let record = variant.label_bytes() + PIXELS;
    if bytes.is_empty() || bytes.len() % record != 0 {
        return Err(Error::Data {
            path: path.to_path_buf(),
            message: format!(
                "{} bytes is not a whole number of {record}-byte records",
                bytes.len()
            ),
        });
    }
    for (k, rec) in bytes.chunks_exact(record).enumerate() {
        let label = rec[variant.label_bytes() - 1];
        if label >= variant.classes() {
            return Err(Error::Data {
                path: path.to_path_buf(),
                message: format!(
                    "record {k}: label {label} is not below {}",
                    variant.classes()
                ),
            });
        }
        out.labels.push(label);
        out.images.extend_from_slice(&rec[variant.label_bytes()..]);
    }
    Ok(())
}

/// Loads a CIFAR split from `dir` (channels = 3, planes as stored).
pub fn load_cifar(dir: &Path, variant: Cifar, split: Split) -> Result<Dataset> {
    let mut data = Dataset {
        images: Vec::new(),
        labels: Vec::new(),
        rows: 32,
        cols: 32,
        channels: 3,
    };
    for name in variant.files(split) {
        read_records(&dir.join(name), variant, &mut data)?;
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(labels: &[u8], fill: u8) -> Vec<u8> {
        let mut r = labels.to_vec();
        r.extend((0..PIXELS).map(|k| fill.wrapping_add((k % 7) as u8)));
        r
    }

    #[test]
    fn cifar10_batches_are_concatenated_in_order() {
        let dir = tempfile::tempdir().unwrap();
        for k in 1..=5u8 {
            let bytes = [record(&[k], k), record(&[9], 100 + k)].concat();
            std::fs::write(dir.path().join(format!("data_batch_{k}.bin")), bytes).unwrap();
        }
        let d = load_cifar(dir.path(), Cifar::Ten, Split::Train).unwrap();
        assert_eq!(d.len(), 10);
        assert_eq!(&d.labels[..4], &[1, 9, 2, 9]);
        assert_eq!(d.image(2)[0], 2); // first pixel of batch 2's first record
        assert_eq!(d.image(3)[8], 102 + 1); // fill 102, k = 8 → +1
        assert_eq!(d.image(0).len(), 3072);
    }

    #[test]
    fn cifar100_keeps_the_fine_label_and_rejects_bad_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("test.bin"),
            [record(&[3, 77], 0), record(&[19, 99], 1)].concat(),
        )
        .unwrap();
        let d = load_cifar(dir.path(), Cifar::Hundred, Split::Test).unwrap();
        assert_eq!(d.labels, vec![77, 99]);
        // Truncated file.
        let mut truncated = record(&[3, 7], 0);
        truncated.pop();
        std::fs::write(dir.path().join("train.bin"), &truncated).unwrap();
        let e = load_cifar(dir.path(), Cifar::Hundred, Split::Train)
            .unwrap_err()
            .to_string();
        assert!(e.contains("3073") && e.contains("train.bin"), "{e}");
        // Label out of range for CIFAR-10, and a missing file.
        std::fs::write(dir.path().join("test_batch.bin"), record(&[10], 0)).unwrap();
        let e = load_cifar(dir.path(), Cifar::Ten, Split::Test)
            .unwrap_err()
            .to_string();
        assert!(e.contains("label 10"), "{e}");
        let e = load_cifar(dir.path(), Cifar::Ten, Split::Train)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("data_batch_1.bin") && e.contains("not found"),
            "{e}"
        );
    }
}
