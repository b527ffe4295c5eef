use super::*;

#[test]
fn symmetric_gaussian_matrix_follows_the_semicircle() {
    let n = 1000;
    let values = symmetric_eigenvalues(&goe_matrix(n, 7), Backend::Nalgebra).unwrap();
    // Even moments of the semicircle of variance 1 are the Catalan numbers 1, 2, 5.
    let m = standardised_moments(&values, 0.0, 1.0, 6);
    for (k, catalan) in [(2, 1.0), (4, 2.0), (6, 5.0)] {
        let rel = (m[k - 1] - catalan) / catalan;
        assert!(rel.abs() <= 0.03, "m{k} = {} vs {catalan}", m[k - 1]);
    }
    let law = Semicircle {
        centre: 0.0,
        variance: 1.0,
    };
    let ks = ks_distance(&values, |x| law.cdf(x));
    assert!(ks <= ks_critical_1pct(n), "KS = {ks}");
    // A semicircle of the wrong width is rejected by the same bound.
    let wrong = Semicircle {
        centre: 0.0,
        variance: 1.44,
    };
    assert!(ks_distance(&values, |x| wrong.cdf(x)) > ks_critical_1pct(n));
}

#[test]
fn iid_matrix_follows_the_circular_law() {
    let n = 1000;
    let m = iid_matrix(n, 11);
    let values = general_eigenvalues(&m, Backend::Nalgebra).unwrap();
    for r in [0.25, 0.5, 0.75, 0.9] {
        let inside = values.iter().filter(|e| e.modulus() <= r).count() as f64 / n as f64;
        // Four binomial standard errors (eigenvalues are more regular than that).
        let tolerance = 4.0 * (r * r * (1.0 - r * r) / n as f64).sqrt();
        assert!((inside - r * r).abs() <= tolerance, "r = {r}: {inside}");
    }
    let fit = Ellipse::fit(&m);
    assert!(
        (fit.sigma - 1.0).abs() < 0.01 && fit.tau.abs() < 0.01,
        "{fit:?}"
    );
    assert!(fit.ks_distance(&values) <= ks_critical_1pct(n));
}

#[test]
fn small_known_spectra_are_exact() {
    // Rotation by 90°: ±i.
    let rotation = DMatrix::from_row_slice(2, 2, &[0.0, -1.0, 1.0, 0.0]);
    let values = general_eigenvalues(&rotation, Backend::Nalgebra).unwrap();
    for e in &values {
        assert!(e.re.abs() < 1e-15 && (e.im.abs() - 1.0).abs() < 1e-15);
    }
    // Triangular: its diagonal.
    let tri = DMatrix::from_row_slice(3, 3, &[2.0, 5.0, 1.0, 0.0, -3.0, 4.0, 0.0, 0.0, 0.5]);
    let mut re: Vec<f64> = general_eigenvalues(&tri, Backend::Nalgebra)
        .unwrap()
        .iter()
        .map(|e| e.re)
        .collect();
    re.sort_by(f64::total_cmp);
    assert_eq!(re, vec![-3.0, 0.5, 2.0]);
    // The semicircle's CDF: 0 and 1 at the edges, 1/2 at the centre.
    let law = Semicircle {
        centre: 1.0,
        variance: 0.25,
    };
    assert!(law.cdf(0.0).abs() < 1e-15 && (law.cdf(2.0) - 1.0).abs() < 1e-15);
    assert!((law.cdf(1.0) - 0.5).abs() < 1e-15);
    assert!(Backend::parse("eigen").is_err());
}

#[cfg(feature = "lapack")]
#[test]
fn lapack_and_nalgebra_agree() {
    let n = 200;
    let m = iid_matrix(n, 3);
    let a = general_eigenvalues(&m, Backend::Nalgebra).unwrap();
    let b = general_eigenvalues(&m, Backend::Lapack).unwrap();
    let mut ka: Vec<(f64, f64)> = a.iter().map(|e| (e.re, e.im)).collect();
    let mut kb: Vec<(f64, f64)> = b.iter().map(|e| (e.re, e.im)).collect();
    ka.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.total_cmp(&y.1)));
    kb.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.total_cmp(&y.1)));
    for (x, y) in ka.iter().zip(&kb) {
        assert!(
            (x.0 - y.0).abs() < 1e-8 && (x.1 - y.1).abs() < 1e-8,
            "{x:?} vs {y:?}"
        );
    }
}
