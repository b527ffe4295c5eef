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
    let (images, md5) = read_idx(&dir.join("train-images-idx3-ubyte.gz"), IMAGES_MAGIC).unwrap();
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
