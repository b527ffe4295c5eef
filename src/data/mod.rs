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
