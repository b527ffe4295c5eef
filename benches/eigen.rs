//! Eigenvalues of the same 1000 × 1000 non-symmetric matrix (i.i.d. N(0, 1/n), seed 0) with
//! nalgebra's real Schur form and, with `--features lapack`, LAPACK's dgeev. The matrix is
//! also written to `target/eigen_matrix_1000.bin` (little-endian f64, row-major) so that
//! `benches/peer/numpy_eigvals.py` times NumPy on the very same matrix.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use mesonet::analysis::spectrum::{general_eigenvalues, iid_matrix, Backend};

fn eigenvalues_1000(c: &mut Criterion) {
    let n = 1000;
    let m = iid_matrix(n, 0);
    let bytes: Vec<u8> = (0..n)
        .flat_map(|i| (0..n).map(move |j| (i, j)))
        .flat_map(|(i, j)| m[(i, j)].to_le_bytes())
        .collect();
    std::fs::write("target/eigen_matrix_1000.bin", bytes).expect("target/ is writable");
    let mut group = c.benchmark_group("eigenvalues_nonsymmetric");
    group.sample_size(10);
    let mut backends = vec![Backend::Nalgebra];
    if cfg!(feature = "lapack") {
        backends.push(Backend::Lapack);
    }
    for backend in backends {
        let name = format!("{backend:?}").to_lowercase();
        group.bench_function(BenchmarkId::new(name, n), |b| {
            b.iter(|| general_eigenvalues(&m, backend).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, eigenvalues_1000);
criterion_main!(benches);
