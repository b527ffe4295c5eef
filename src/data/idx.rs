//! The IDX format (MNIST): big-endian magic 0x000008TT (TT = 03 images, 01 labels), then one
//! u32 per dimension, then u8 data. Read raw or gzip-compressed; checked against `MD5SUMS`
//! beside the file when present (sums of the uncompressed bytes).

use crate::error::{Error, Result};
use md5::Digest;
use std::io::Read;
use std::path::Path;

/// A decoded IDX array of u8.
#[derive(Debug, Clone, PartialEq)]
pub struct IdxArray {
    /// Dimensions.
    pub dims: Vec<usize>,
    /// Data, row-major.
    pub data: Vec<u8>,
}

fn data_error(path: &Path, message: String) -> Error {
    Error::Data {
        path: path.to_path_buf(),
        message,
    }
}

/// Reads the (possibly gzip-compressed) bytes of `path`.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let raw = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .map_err(|e| data_error(path, format!("corrupt gzip stream: {e}")))?;
        Ok(out)
    } else {
        Ok(raw)
    }
}

/// Decodes IDX bytes with the expected number of dimensions (3 images, 1 labels).
pub fn decode(path: &Path, bytes: &[u8], expected_dims: usize) -> Result<IdxArray> {
    let magic_expected = 0x0000_0800u32 | expected_dims as u32;
    if bytes.len() < 4 {
        return Err(data_error(
            path,
            format!("{} bytes: too short for an IDX header", bytes.len()),
        ));
    }
    let magic = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    if magic != magic_expected {
        return Err(data_error(
            path,
            format!("expected IDX magic {magic_expected:#010x}, found {magic:#010x}"),
        ));
    }
    let header = 4 + 4 * expected_dims;
    if bytes.len() < header {
        return Err(data_error(path, "truncated IDX header".into()));
    }
    let dims: Vec<usize> = (0..expected_dims)
        .map(|k| {
            u32::from_be_bytes(bytes[4 + 4 * k..8 + 4 * k].try_into().expect("4 bytes")) as usize
        })
        .collect();
    let expected_len = dims.iter().try_fold(1usize, |a, &d| a.checked_mul(d));
    let payload = bytes.len() - header;
    match expected_len {
        Some(len) if len == payload => Ok(IdxArray {
            dims,
            data: bytes[header..].to_vec(),
        }),
        _ => Err(data_error(
            path,
            format!("dimensions {dims:?} need {expected_len:?} data bytes, found {payload}"),
        )),
    }
}

/// Checks `bytes` against the md5 listed for `name` in `MD5SUMS` beside `path`, if any.
pub fn verify_md5(path: &Path, name: &str, bytes: &[u8]) -> Result<bool> {
    let Some(sums) = path
        .parent()
        .map(|d| d.join("MD5SUMS"))
        .filter(|p| p.exists())
    else {
        return Ok(false);
    };
    let text = std::fs::read_to_string(&sums).map_err(|e| Error::io(&sums, e))?;
    let Some(expected) = text.lines().find_map(|l| {
        let mut parts = l.split_whitespace();
        let sum = parts.next()?;
        let file = parts.next()?.trim_start_matches('*');
        (file == name).then(|| sum.to_lowercase())
    }) else {
        return Ok(false);
    };
    let actual: String = md5::Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if actual != expected {
        return Err(data_error(
            path,
            format!(
                "md5 {actual} does not match {expected} listed in {}",
                sums.display()
            ),
        ));
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idx_images(n: u32, rows: u32, cols: u32, payload: usize) -> Vec<u8> {
        let mut b = vec![0, 0, 8, 3];
        for d in [n, rows, cols] {
            b.extend(d.to_be_bytes());
        }
        b.extend(std::iter::repeat_n(7u8, payload));
        b
    }

    #[test]
    fn header_and_payload_are_checked() {
        let p = Path::new("x");
        let ok = decode(p, &idx_images(2, 2, 3, 12), 3).unwrap();
        assert_eq!(ok.dims, vec![2, 2, 3]);
        let e = decode(p, &idx_images(2, 2, 3, 11), 3)
            .unwrap_err()
            .to_string();
        assert!(e.contains("found 11"), "{e}");
        let e = decode(p, &idx_images(2, 2, 3, 13), 3)
            .unwrap_err()
            .to_string();
        assert!(e.contains("found 13"), "{e}");
        let e = decode(p, &idx_images(2, 2, 3, 12), 1)
            .unwrap_err()
            .to_string();
        assert!(e.contains("0x00000801") && e.contains("0x00000803"), "{e}");
        assert!(decode(p, &[0, 0], 3).is_err());
        // Huge dimensions must not overflow or allocate.
        assert!(decode(p, &idx_images(u32::MAX, u32::MAX, u32::MAX, 0), 3).is_err());
    }

    #[test]
    fn real_mnist_test_split_loads_with_md5_and_known_class_counts() {
        let dir = Path::new("../shared/data/mnist");
        let path = dir.join("t10k-labels-idx1-ubyte.gz");
        let bytes = read_bytes(&path).unwrap();
        assert!(
            verify_md5(&path, "t10k-labels-idx1-ubyte", &bytes).unwrap(),
            "MD5SUMS lists it"
        );
        let d = crate::data::load_mnist_like(dir, crate::data::Split::Test).unwrap();
        assert_eq!((d.len(), d.rows, d.cols), (10_000, 28, 28));
        let mut counts = [0u32; 10];
        d.labels.iter().for_each(|&l| counts[l as usize] += 1);
        // The published MNIST test-set class distribution.
        assert_eq!(
            counts,
            [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
        );
    }

    #[test]
    fn md5_mismatch_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(
            dir.path().join("MD5SUMS"),
            "00000000000000000000000000000000  f\n",
        )
        .unwrap();
        let e = verify_md5(&path, "f", b"abc").unwrap_err().to_string();
        assert!(e.contains("900150983cd24fb0d6963f7d28e17f72"), "{e}"); // md5("abc"), RFC 1321
    }
}
