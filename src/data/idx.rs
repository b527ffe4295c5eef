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
mod tests;
