//! Datasets: the IDX format of MNIST and Fashion-MNIST, and the CIFAR-10/100 binary format.
//! Every loader checks what it reads (magic numbers, shapes, label ranges, MD5 sums where
//! listed) and reports a bad file as one [`crate::Error::Data`] naming the file.

pub mod cifar;
pub mod idx;
pub mod mnist;

pub use cifar::{load_cifar, Cifar};
pub use mnist::{load_mnist_like, Dataset, Split};
