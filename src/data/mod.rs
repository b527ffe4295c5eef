//! Datasets: labelled images in memory ([`Dataset`]), the IDX files of MNIST and
//! Fashion-MNIST ([`idx`], [`mnist`]), the CIFAR-10/100 binary files ([`cifar`]) and the
//! input stage for colour images ([`transform`]: grey or per channel, on/off-centre filter).
//! Every loader checks what it reads (magic numbers, shapes, label ranges, MD5 sums where
//! listed) and reports a bad file as one [`crate::Error::Data`] naming the file.

pub mod cifar;
pub mod idx;
pub mod mnist;
pub mod transform;

pub use cifar::{load_cifar, load_cifar10, load_cifar100, Cifar};
pub use idx::{read_idx, IdxArray, Md5Check};
pub use mnist::{load_mnist_like, poster_split, Dataset, Split};
pub use transform::{Colour, InputTransform};

use crate::error::{Error, Result};
use std::path::Path;

/// The environment variable naming the default data directory.
pub const DATA_ENV: &str = "MESONET_DATA";

/// The (training, test) splits in `dir`: CIFAR-10's binary files when `data_batch_1.bin` is
/// there (or in `cifar-10-batches-bin/`), MNIST-format IDX files otherwise. CIFAR-100 is
/// refused: the readouts assign 10 classes.
pub fn load_splits(dir: &Path) -> Result<(Dataset, Dataset)> {
    let has = |name: &str| dir.join(name).is_file();
    if has("data_batch_1.bin") || dir.join("cifar-10-batches-bin/data_batch_1.bin").is_file() {
        return Ok((
            load_cifar10(dir, Split::Train)?,
            load_cifar10(dir, Split::Test)?,
        ));
    }
    if has("train.bin") || dir.join("cifar-100-binary/train.bin").is_file() {
        return Err(Error::InvalidParameter {
            name: "data".into(),
            value: dir.display().to_string(),
            requirement: "MNIST-format or CIFAR-10 files: CIFAR-100 has 100 classes and the \
                          readouts assign 10"
                .into(),
        });
    }
    Ok((
        load_mnist_like(dir, Split::Train)?,
        load_mnist_like(dir, Split::Test)?,
    ))
}
