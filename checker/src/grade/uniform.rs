//! Is a sample uniform over a range? The checks behind the `uniform` expectation.
//!
//! Deterministic checks first (inside the range, not constant, not whole numbers only), then
//! two statistical ones whose false-alarm rates are stated: both ends of the range reached
//! (probability of a false alarm 2 * 0.9^n) and a one-sample Kolmogorov-Smirnov test at
//! significance `alpha`.

use crate::expr::format_number;

/// Why a sample is not uniform over `low ..= high`, or `None` when it passes.
pub fn check(sample: &[f64], low: f64, high: f64, alpha: f64) -> Option<String> {
    let n = sample.len();
    let range = format!("{} ..= {}", format_number(low), format_number(high));
    if let Some(outside) = sample.iter().find(|x| !(low..=high).contains(*x)) {
        return Some(format!(
            "the value {} is outside {range}",
            format_number(*outside)
        ));
    }
    let width = high - low;
    if n < 2 || width <= 0.0 {
        return None;
    }
    if sample.iter().all(|x| *x == sample[0]) {
        return Some(format!(
            "all {n} values are {}: the delay is not random",
            format_number(sample[0])
        ));
    }
    if n >= 10 && width >= 1.0 && sample.iter().all(|x| x.fract() == 0.0) {
        return Some(format!(
            "all {n} values are whole numbers: draw a float (e.g. random_range(0.0..={})), not an integer",
            format_number(high)
        ));
    }
    let tenth = width / 10.0;
    if n >= 100 {
        if !sample.iter().any(|x| *x < low + tenth) {
            return Some(format!(
                "none of {n} values fell in {} .. {}: the range does not start at {}",
                format_number(low),
                format_number(low + tenth),
                format_number(low)
            ));
        }
        if !sample.iter().any(|x| *x > high - tenth) {
            return Some(format!(
                "none of {n} values fell in {} ..= {}: the range does not reach {}",
                format_number(high - tenth),
                format_number(high),
                format_number(high)
            ));
        }
    }
    if n >= 20 {
        let (d, p) = kolmogorov_smirnov(sample, low, high);
        if p < alpha {
            return Some(format!(
                "the {n} values are not spread evenly over {range} (Kolmogorov-Smirnov D = {d:.3}, p = {p:.1e} < {alpha:.0e})"
            ));
        }
    }
    None
}

/// One-sample Kolmogorov-Smirnov statistic against U(low, high), and its p-value
/// (Stephens' approximation of the Kolmogorov distribution, good for n >= 20).
pub fn kolmogorov_smirnov(sample: &[f64], low: f64, high: f64) -> (f64, f64) {
    let mut sorted = sample.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len() as f64;
    let d = sorted
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let f = ((x - low) / (high - low)).clamp(0.0, 1.0);
            f64::max((i as f64 + 1.0) / n - f, f - i as f64 / n)
        })
        .fold(0.0, f64::max);
    let root = n.sqrt();
    let lambda = (root + 0.12 + 0.11 / root) * d;
    (d, kolmogorov_q(lambda))
}

/// Q(λ) = 2 Σ (-1)^(k-1) exp(-2 k² λ²): the probability of a larger statistic.
fn kolmogorov_q(lambda: f64) -> f64 {
    if lambda < 0.2 {
        return 1.0;
    }
    let mut sum = 0.0;
    for k in 1..=100 {
        let k = k as f64;
        let term = (-2.0 * k * k * lambda * lambda).exp();
        sum += if k as u64 % 2 == 1 { term } else { -term };
        if term < 1e-16 {
            break;
        }
    }
    (2.0 * sum).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evenly(n: usize, high: f64) -> Vec<f64> {
        (0..n).map(|i| (i as f64 + 0.5) / n as f64 * high).collect()
    }

    #[test]
    fn an_even_sample_passes() {
        assert_eq!(check(&evenly(500, 10.0), 0.0, 10.0, 1e-6), None);
    }

    #[test]
    fn whole_numbers_are_named() {
        let sample: Vec<f64> = (0..200).map(|i| (i % 11) as f64).collect();
        assert!(
            check(&sample, 0.0, 10.0, 1e-6)
                .unwrap()
                .contains("whole numbers")
        );
    }

    #[test]
    fn a_missing_low_end_is_named() {
        let sample: Vec<f64> = evenly(500, 9.0).iter().map(|x| x + 1.0).collect();
        assert!(
            check(&sample, 0.0, 10.0, 1e-6)
                .unwrap()
                .contains("does not start at 0")
        );
    }

    #[test]
    fn a_skewed_sample_fails_the_test() {
        let sample: Vec<f64> = evenly(500, 1.0).iter().map(|x| x * x * 10.0).collect();
        assert!(
            check(&sample, 0.0, 10.0, 1e-6)
                .unwrap()
                .contains("Kolmogorov-Smirnov")
        );
    }

    #[test]
    fn constants_and_out_of_range_values_are_named() {
        assert!(
            check(&[5.0; 50], 0.0, 10.0, 1e-6)
                .unwrap()
                .contains("not random")
        );
        assert!(
            check(&[5.0, 11.0], 0.0, 10.0, 1e-6)
                .unwrap()
                .contains("outside")
        );
    }

    #[test]
    fn p_values_are_sane() {
        assert!(kolmogorov_q(0.5) > 0.9);
        assert!((kolmogorov_q(1.36) - 0.05).abs() < 0.005);
        assert!(kolmogorov_q(3.0) < 1e-6);
    }
}
