//! The IDX file format of MNIST and Fashion-MNIST, for unsigned-byte arrays only.
//!
//! Layout (big-endian): a 4-byte magic `0x00 0x00 0x08 N` (type code 0x08 = u8, `N` dimensions;
//! [`IMAGES_MAGIC`] = 0x00000803 for `n × rows × cols` images, [`LABELS_MAGIC`] = 0x00000801 for
//! `n` labels), then `N` dimensions as u32, then the product of the dimensions in data bytes.
//!
//! This module owns reading one such file: gzip or raw, the header checks (magic, dimensions
//! against the payload length, so truncated files and trailing bytes are both errors) and the
//! `MD5SUMS` check of the uncompressed bytes. It does not know what the arrays mean; pairing
//! images with labels is [`crate::data::mnist`]'s job. Every bad input is an
//! [`Error::Data`] naming the file; no input bytes make it panic.

use crate::error::{Error, Result};
use md5::{Digest, Md5};
use std::io::Read;
use std::path::Path;

/// Magic number of an IDX file of u8 images (`n × rows × cols`).
pub const IMAGES_MAGIC: u32 = 0x0000_0803;
/// Magic number of an IDX file of u8 labels (`n`).
pub const LABELS_MAGIC: u32 = 0x0000_0801;

/// The two bytes every gzip stream starts with (RFC 1952 §2.3.1).
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
/// Name of the checksum list looked for beside a data file (`md5sum` output).
const MD5SUMS: &str = "MD5SUMS";

/// A decoded IDX array of unsigned bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdxArray {
    /// The dimensions, outermost first (`[n, rows, cols]` for images, `[n]` for labels).
    pub dims: Vec<usize>,
    /// The data bytes, row-major; `data.len()` is the product of `dims`.
    pub data: Vec<u8>,
}

/// What the `MD5SUMS` check of a file found (a mismatch is an error, not a variant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Md5Check {
    /// `MD5SUMS` lists the file and its md5 matches this sum (lowercase hex).
    Verified(String),
    /// No `MD5SUMS` beside the file, or it does not list the file: nothing was checked.
    NotListed,
}

/// Reads, decompresses, checks and decodes the IDX file at `path`, which must carry the magic
/// `expected_magic` ([`IMAGES_MAGIC`] or [`LABELS_MAGIC`]).
///
/// Returns the array and the outcome of the `MD5SUMS` check (see [`check_md5`]).
pub fn read_idx(path: &Path, expected_magic: u32) -> Result<(IdxArray, Md5Check)> {
    let bytes = read_bytes(path)?;
    let md5 = check_md5(path, &bytes)?;
    Ok((decode(path, bytes, expected_magic)?, md5))
}

/// Returns the uncompressed bytes of `path`: gunzipped when its name ends in `.gz` or it starts
/// with the gzip magic bytes 1f 8b, as stored otherwise. A missing file is an
/// [`Error::Data`] ("not found"); other OS failures are [`Error::Io`].
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let raw = std::fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => data_error(path, "not found".into()),
        _ => Error::io(path, e),
    })?;
    let gz_name = path.extension().is_some_and(|ext| ext == "gz");
    if !gz_name && !raw.starts_with(&GZIP_MAGIC) {
        return Ok(raw);
    }
    if !raw.starts_with(&GZIP_MAGIC) {
        return Err(data_error(
            path,
            format!(
                "expected gzip data (magic 1f 8b) for a .gz name, found {}",
                hex_prefix(&raw)
            ),
        ));
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(&raw[..])
        .read_to_end(&mut out)
        .map_err(|e| data_error(path, format!("corrupt gzip stream: {e}")))?;
    Ok(out)
}

/// Decodes the uncompressed IDX `bytes` read from `path` (named in errors only), which must
/// carry the magic `expected_magic`.
///
/// The dimensions must account for every byte after the header: a shorter payload is reported
/// as truncated, a longer one as trailing bytes.
pub fn decode(path: &Path, mut bytes: Vec<u8>, expected_magic: u32) -> Result<IdxArray> {
    let Some(magic) = read_u32(&bytes, 0) else {
        return Err(data_error(
            path,
            format!(
                "{} bytes: too short for the 4-byte IDX magic (expected {})",
                bytes.len(),
                describe_magic(expected_magic)
            ),
        ));
    };
    if magic != expected_magic {
        return Err(data_error(
            path,
            format!(
                "expected IDX magic {}, found {}",
                describe_magic(expected_magic),
                describe_magic(magic)
            ),
        ));
    }
    let ndims = (magic & 0xff) as usize;
    let header_len = 4 + 4 * ndims;
    let dims: Option<Vec<usize>> = (0..ndims)
        .map(|k| read_u32(&bytes, 4 + 4 * k).map(|d| d as usize))
        .collect();
    let Some(dims) = dims else {
        return Err(data_error(
            path,
            format!(
                "truncated IDX header: {ndims} dimensions need {header_len} header bytes, \
                 found {}",
                bytes.len()
            ),
        ));
    };
    let payload = bytes.len() - header_len;
    let shape = format_dims(&dims);
    let Some(expected) = dims.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d)) else {
        return Err(data_error(
            path,
            format!("dimensions {shape} overflow the address space ({payload} data bytes)"),
        ));
    };
    if payload != expected {
        let what = if payload < expected {
            "truncated".to_string()
        } else {
            format!("{} trailing bytes", payload - expected)
        };
        return Err(data_error(
            path,
            format!(
                "dimensions {shape} need {expected} data bytes after the {header_len}-byte \
                 header, found {payload} ({what})"
            ),
        ));
    }
    bytes.drain(..header_len);
    Ok(IdxArray { dims, data: bytes })
}

/// Checks the uncompressed `bytes` of `path` against the file `MD5SUMS` in the same directory.
///
/// `MD5SUMS` holds `md5sum` output (`<32 hex digits>  <name>` or `<hex> *<name>` per line) and
/// lists the *uncompressed* name: for `x.gz` the line for `x` is used. Without such a file or
/// line nothing is checked ([`Md5Check::NotListed`]); a different sum is an [`Error::Data`]
/// naming both sums.
pub fn check_md5(path: &Path, bytes: &[u8]) -> Result<Md5Check> {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return Ok(Md5Check::NotListed);
    };
    let name = name.strip_suffix(".gz").unwrap_or(name);
    let sums_path = path.with_file_name(MD5SUMS);
    let sums = match std::fs::read(&sums_path) {
        Ok(sums) => sums,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Md5Check::NotListed),
        Err(e) => return Err(Error::io(&sums_path, e)),
    };
    let sums = String::from_utf8_lossy(&sums);
    let Some(expected) = listed_sum(&sums, name) else {
        return Ok(Md5Check::NotListed);
    };
    let actual = md5_hex(bytes);
    if !actual.eq_ignore_ascii_case(expected) {
        return Err(data_error(
            path,
            format!(
                "md5 of the uncompressed bytes is {actual}, but {} lists {expected} for {name}",
                sums_path.display()
            ),
        ));
    }
    Ok(Md5Check::Verified(actual))
}

/// The md5 of `bytes` as 32 lowercase hex digits.
pub fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The sum `md5sum`-format `text` lists for `name`, if any (malformed lines are skipped).
fn listed_sum<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    text.lines().find_map(|line| {
        let (sum, rest) = line.trim_end_matches('\r').split_once(' ')?;
        let listed = rest
            .strip_prefix(' ')
            .or_else(|| rest.strip_prefix('*'))
            .unwrap_or(rest);
        let is_sum = sum.len() == 32 && sum.bytes().all(|b| b.is_ascii_hexdigit());
        (is_sum && listed == name).then_some(sum)
    })
}

/// The big-endian u32 at `offset`, or `None` past the end.
fn read_u32(bytes: &[u8], offset: usize) -> Option<u32> {
    let word = bytes.get(offset..offset.checked_add(4)?)?;
    Some(u32::from_be_bytes(word.try_into().ok()?))
}

/// A magic number with what it denotes, e.g. "0x00000803 (images)".
fn describe_magic(magic: u32) -> String {
    let meaning = match magic {
        IMAGES_MAGIC => "images".to_string(),
        LABELS_MAGIC => "labels".to_string(),
        m if m >> 8 == 0x08 => format!("u8 array of {} dimensions", m & 0xff),
        m if m >> 16 == 0 => format!("type code {:#04x}, not u8", (m >> 8) & 0xff),
        _ => "not an IDX file".to_string(),
    };
    format!("{magic:#010x} ({meaning})")
}

/// Dimensions as "2 × 28 × 28".
fn format_dims(dims: &[usize]) -> String {
    let parts: Vec<String> = dims.iter().map(usize::to_string).collect();
    parts.join(" × ")
}

/// The first bytes of `bytes` in hex, for messages.
fn hex_prefix(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "an empty file".into();
    }
    let parts: Vec<String> = bytes.iter().take(4).map(|b| format!("{b:02x}")).collect();
    parts.join(" ")
}

fn data_error(path: &Path, message: String) -> Error {
    Error::Data {
        path: path.to_path_buf(),
        message,
    }
}

/// Writers of IDX files for the tests of this module and of [`crate::data::mnist`].
#[cfg(test)]
pub(crate) mod testing {
    use std::io::Write;
    use std::path::Path;

    /// An IDX file with the given magic and dimensions, followed by `payload`.
    pub fn idx_bytes(magic: u32, dims: &[u32], payload: &[u8]) -> Vec<u8> {
        let mut out = magic.to_be_bytes().to_vec();
        for d in dims {
            out.extend(d.to_be_bytes());
        }
        out.extend_from_slice(payload);
        out
    }

    /// `bytes` gzip-compressed.
    pub fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(bytes).unwrap();
        enc.finish().unwrap()
    }

    /// Writes `bytes` to `dir/name`, gzip-compressed when `name` ends in `.gz`.
    pub fn write(dir: &Path, name: &str, bytes: &[u8]) {
        let stored = if name.ends_with(".gz") {
            gzip(bytes)
        } else {
            bytes.to_vec()
        };
        std::fs::write(dir.join(name), stored).unwrap();
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{gzip, idx_bytes, write};
    use super::*;
    use proptest::prelude::*;

    /// Two 2 × 3 images with pixels 0..12.
    fn images() -> Vec<u8> {
        idx_bytes(IMAGES_MAGIC, &[2, 2, 3], &(0..12).collect::<Vec<u8>>())
    }

    fn message(e: Error) -> String {
        match e {
            Error::Data { message, .. } => message,
            other => panic!("expected Error::Data, got {other:?}"),
        }
    }

    fn decode_err(bytes: Vec<u8>, magic: u32) -> String {
        message(decode(Path::new("f"), bytes, magic).unwrap_err())
    }

    #[test]
    fn reads_raw_and_gzip_files_alike() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "raw", &images());
        write(dir.path(), "packed.gz", &images());
        // gzip detected by its magic bytes without the extension.
        std::fs::write(dir.path().join("packed-no-ext"), gzip(&images())).unwrap();
        let expected = IdxArray {
            dims: vec![2, 2, 3],
            data: (0..12).collect(),
        };
        for name in ["raw", "packed.gz", "packed-no-ext"] {
            let (array, md5) = read_idx(&dir.path().join(name), IMAGES_MAGIC).unwrap();
            assert_eq!(array, expected, "{name}");
            assert_eq!(md5, Md5Check::NotListed, "{name}");
        }
    }

    #[test]
    fn wrong_magic_names_both_numbers() {
        let labels = idx_bytes(LABELS_MAGIC, &[12], &[0; 12]);
        assert_eq!(
            decode_err(labels, IMAGES_MAGIC),
            "expected IDX magic 0x00000803 (images), found 0x00000801 (labels)"
        );
        assert_eq!(
            decode_err(images(), LABELS_MAGIC),
            "expected IDX magic 0x00000801 (labels), found 0x00000803 (images)"
        );
        // A float IDX file (type code 0x0d) and a PNG signature.
        assert_eq!(
            decode_err(idx_bytes(0x0000_0d03, &[1, 1, 1], &[0; 4]), IMAGES_MAGIC),
            "expected IDX magic 0x00000803 (images), found 0x00000d03 (type code 0x0d, not u8)"
        );
        assert_eq!(
            decode_err(b"\x89PNG\r\n".to_vec(), IMAGES_MAGIC),
            "expected IDX magic 0x00000803 (images), found 0x89504e47 (not an IDX file)"
        );
    }

    #[test]
    fn dimension_count_must_match_the_kind() {
        // Magic 0x00000802: a u8 array of 2 dimensions where images (3) are expected.
        let two_d = idx_bytes(0x0000_0802, &[2, 6], &[0; 12]);
        assert_eq!(
            decode_err(two_d, IMAGES_MAGIC),
            "expected IDX magic 0x00000803 (images), found 0x00000802 (u8 array of 2 dimensions)"
        );
    }

    #[test]
    fn truncated_and_trailing_payloads_are_errors() {
        let mut short = images();
        short.pop();
        assert_eq!(
            decode_err(short, IMAGES_MAGIC),
            "dimensions 2 × 2 × 3 need 12 data bytes after the 16-byte header, found 11 \
             (truncated)"
        );
        let mut long = images();
        long.extend([0, 0, 0]);
        assert_eq!(
            decode_err(long, IMAGES_MAGIC),
            "dimensions 2 × 2 × 3 need 12 data bytes after the 16-byte header, found 15 \
             (3 trailing bytes)"
        );
    }

    #[test]
    fn truncated_headers_are_errors() {
        assert_eq!(
            decode_err(vec![0, 0, 8], IMAGES_MAGIC),
            "3 bytes: too short for the 4-byte IDX magic (expected 0x00000803 (images))"
        );
        let header_only = images()[..10].to_vec();
        assert_eq!(
            decode_err(header_only, IMAGES_MAGIC),
            "truncated IDX header: 3 dimensions need 16 header bytes, found 10"
        );
    }

    #[test]
    fn huge_dimensions_neither_overflow_nor_allocate() {
        let huge = idx_bytes(IMAGES_MAGIC, &[u32::MAX; 3], &[]);
        let e = decode_err(huge, IMAGES_MAGIC);
        // On 64-bit targets the product fits in usize; either way it is not the payload.
        assert!(e.contains("4294967295 × 4294967295 × 4294967295"), "{e}");
        let empty = idx_bytes(IMAGES_MAGIC, &[0, 28, 28], &[]);
        assert_eq!(
            decode(Path::new("f"), empty, IMAGES_MAGIC).unwrap().dims,
            [0, 28, 28]
        );
    }

    #[test]
    fn corrupt_gzip_and_missing_files_are_data_errors() {
        let dir = tempfile::tempdir().unwrap();
        let mut packed = gzip(&images());
        packed.truncate(packed.len() / 2);
        std::fs::write(dir.path().join("cut.gz"), packed).unwrap();
        let e = message(read_bytes(&dir.path().join("cut.gz")).unwrap_err());
        assert!(e.starts_with("corrupt gzip stream: "), "{e}");
        // A .gz name over raw bytes.
        std::fs::write(dir.path().join("raw.gz"), images()).unwrap();
        assert_eq!(
            message(read_bytes(&dir.path().join("raw.gz")).unwrap_err()),
            "expected gzip data (magic 1f 8b) for a .gz name, found 00 00 08 03"
        );
        assert_eq!(
            message(read_bytes(&dir.path().join("absent")).unwrap_err()),
            "not found"
        );
    }

    #[test]
    fn md5_of_the_uncompressed_bytes_is_checked_against_md5sums() {
        let dir = tempfile::tempdir().unwrap();
        // md5("abc") from RFC 1321 appendix A.5; the sum of an empty input for another file.
        let abc = "900150983cd24fb0d6963f7d28e17f72";
        let sums = format!(
            "{abc}  abc\nd41d8cd98f00b204e9800998ecf8427e *empty\nnot a line\n\
             00000000000000000000000000000000  wrong\n"
        );
        std::fs::write(dir.path().join(MD5SUMS), sums).unwrap();
        write(dir.path(), "abc.gz", b"abc");
        write(dir.path(), "empty", b"");
        write(dir.path(), "wrong", b"abc");
        write(dir.path(), "unlisted", b"abc");
        let check = |name: &str| {
            let path = dir.path().join(name);
            check_md5(&path, &read_bytes(&path).unwrap())
        };
        assert_eq!(check("abc.gz").unwrap(), Md5Check::Verified(abc.into()));
        assert_eq!(
            check("empty").unwrap(),
            Md5Check::Verified("d41d8cd98f00b204e9800998ecf8427e".into())
        );
        assert_eq!(check("unlisted").unwrap(), Md5Check::NotListed);
        assert_eq!(
            message(check("wrong").unwrap_err()),
            format!(
                "md5 of the uncompressed bytes is {abc}, but {} lists \
                 00000000000000000000000000000000 for wrong",
                dir.path().join(MD5SUMS).display()
            )
        );
        // read_idx applies the check too.
        std::fs::write(
            dir.path().join(MD5SUMS),
            "00000000000000000000000000000000  img\n",
        )
        .unwrap();
        write(dir.path(), "img.gz", &images());
        let e = message(read_idx(&dir.path().join("img.gz"), IMAGES_MAGIC).unwrap_err());
        assert!(e.contains(&md5_hex(&images())), "{e}");
    }

    #[test]
    #[ignore = "needs the full MNIST set: MESONET_DATA=/path/to/mnist cargo test -- --ignored"]
    fn real_mnist_files_match_their_md5sums() {
        let dir = std::path::PathBuf::from(std::env::var("MESONET_DATA").expect("MESONET_DATA"));
        // Sums of the published MNIST files (the MD5SUMS distributed with them), copied here
        // independently.
        let (labels, md5) = read_idx(&dir.join("t10k-labels-idx1-ubyte.gz"), LABELS_MAGIC).unwrap();
        assert_eq!(
            md5,
            Md5Check::Verified("27ae3e4e09519cfbb04c329615203637".into())
        );
        assert_eq!(labels.dims, [10_000]);
        let (images, md5) = read_idx(&dir.join("t10k-images-idx3-ubyte.gz"), IMAGES_MAGIC).unwrap();
        assert_eq!(
            md5,
            Md5Check::Verified("2646ac647ad5339dbf082846283269ea".into())
        );
        assert_eq!(images.dims, [10_000, 28, 28]);
    }

    #[test]
    fn the_test_subset_is_verified_by_its_md5sums() {
        // tests/data/mnist-subset/MD5SUMS was written by Python's hashlib
        // (scripts/mnist_subset.py) and checked with md5sum.
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/mnist-subset");
        let (labels, md5) = read_idx(&dir.join("t10k-labels-idx1-ubyte.gz"), LABELS_MAGIC).unwrap();
        assert_eq!(
            md5,
            Md5Check::Verified("556860b2f10365a8f7444c1e79c7e9af".into())
        );
        assert_eq!(labels.dims, [1_000]);
        let (images, md5) =
            read_idx(&dir.join("train-images-idx3-ubyte.gz"), IMAGES_MAGIC).unwrap();
        assert_eq!(
            md5,
            Md5Check::Verified("ede699d4e887e6b3f29efa2f620bc2cb".into())
        );
        assert_eq!(images.dims, [3_000, 28, 28]);
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = decode(Path::new("f"), bytes.clone(), IMAGES_MAGIC);
            let _ = decode(Path::new("f"), bytes, LABELS_MAGIC);
        }

        #[test]
        fn arbitrary_headers_with_payloads_never_panic(
            magic in prop_oneof![Just(IMAGES_MAGIC), Just(LABELS_MAGIC), any::<u32>()],
            dims in proptest::collection::vec(0u32..8, 0..4),
            payload in proptest::collection::vec(any::<u8>(), 0..400),
        ) {
            let bytes = idx_bytes(magic, &dims, &payload);
            if let Ok(array) = decode(Path::new("f"), bytes, IMAGES_MAGIC) {
                prop_assert_eq!(array.data.len(), array.dims.iter().product::<usize>());
            }
        }

        #[test]
        fn arbitrary_files_never_panic_the_reader(
            body in proptest::collection::vec(any::<u8>(), 0..64),
            gz_prefix in any::<bool>(),
            gz_name in any::<bool>(),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let mut bytes = if gz_prefix { GZIP_MAGIC.to_vec() } else { Vec::new() };
            bytes.extend(body);
            let path = dir.path().join(if gz_name { "f.gz" } else { "f" });
            std::fs::write(&path, bytes).unwrap();
            let _ = read_idx(&path, IMAGES_MAGIC);
        }
    }
}
