//! Checks shared by the figure tests.

use std::path::{Path, PathBuf};

/// `$TMPDIR/fig-examples`, where the ignored `example_*` tests write figures to look at
/// (`cargo test figures -- --ignored`).
pub fn examples_dir() -> PathBuf {
    let dir = std::env::temp_dir().join("fig-examples");
    std::fs::create_dir_all(&dir).expect("create examples dir");
    dir
}

/// Asserts that `<stem>.png` is a PNG of the given size and `<stem>.svg` a non-empty SVG.
pub fn assert_written(stem: &Path, size: (u32, u32)) {
    let png = std::fs::read(super::with_suffix(stem, "png")).expect("png written");
    assert!(png.len() > 1000, "png too small: {} bytes", png.len());
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&png[12..16], b"IHDR");
    let w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    let h = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    assert_eq!((w, h), size);
    // Walk the chunks: each length must fit, and the last chunk must be IEND.
    let mut at = 8;
    let mut last = [0u8; 4];
    while at + 12 <= png.len() {
        let len = u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]);
        last.copy_from_slice(&png[at + 4..at + 8]);
        at += 12 + len as usize;
    }
    assert_eq!(at, png.len(), "chunk lengths add up to the file size");
    assert_eq!(&last, b"IEND");
    let svg = std::fs::read_to_string(super::with_suffix(stem, "svg")).expect("svg written");
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
}
