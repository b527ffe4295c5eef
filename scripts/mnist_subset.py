#!/usr/bin/env python3
"""Writes the first N training and M test images of an MNIST-format IDX directory as a small
gzip-compressed IDX set (the test suite's data, tests/data/mnist-subset/), with an MD5SUMS file
of the uncompressed bytes (md5sum format), so the loader checks them like the full set.

Usage: scripts/mnist_subset.py SOURCE_DIR DEST_DIR [N_TRAIN] [N_TEST]
"""
import gzip
import hashlib
import os
import struct
import sys


def read(path):
    for candidate in (path, path + ".gz"):
        if os.path.exists(candidate):
            opener = gzip.open if candidate.endswith(".gz") else open
            with opener(candidate, "rb") as f:
                return f.read()
    raise SystemExit(f"{path}(.gz): not found")


def head(data, n):
    magic, count = struct.unpack(">II", data[:8])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4 : 4 + 4 * ndim])
    if n > count:
        raise SystemExit(f"asked for {n} items, the file has {count}")
    item = 1
    for d in dims[1:]:
        item *= d
    header = struct.pack(">I", magic) + struct.pack(">" + "I" * ndim, n, *dims[1:])
    start = 4 + 4 * ndim
    return header + data[start : start + n * item]


def main():
    src, dst = sys.argv[1], sys.argv[2]
    n_train = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
    n_test = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
    os.makedirs(dst, exist_ok=True)
    sums = []
    for name, n in [
        ("train-images-idx3-ubyte", n_train),
        ("train-labels-idx1-ubyte", n_train),
        ("t10k-images-idx3-ubyte", n_test),
        ("t10k-labels-idx1-ubyte", n_test),
    ]:
        raw = head(read(os.path.join(src, name)), n)
        sums.append(f"{hashlib.md5(raw).hexdigest()}  {name}\n")
        # mtime 0 and no file name: the same bytes on every run.
        with open(os.path.join(dst, name + ".gz"), "wb") as f:
            with gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
                gz.write(raw)
    with open(os.path.join(dst, "MD5SUMS"), "w") as f:
        f.writelines(sums)


if __name__ == "__main__":
    main()
