//! Datasets: the IDX format of MNIST and Fashion-MNIST. (Interim minimal loader.)

pub mod idx;
pub mod mnist;

pub use mnist::{load_mnist_like, Dataset, Split};
