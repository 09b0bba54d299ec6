//! Is a sample uniform over a range? The checks behind the `uniform` expectation.
//!
//! Deterministic checks first: inside the range, not constant, not whole numbers only. A
//! correct solution draws floats from a continuous range, so it never fails them: their
//! false-alarm rate is 0. Then two statistical checks, each designed to false-alarm with
//! probability at most `alpha` on a correct sample:
//! - both ends of the range reached: the window at each end is as narrow as `n` and `alpha`
//!   allow ([`end_window`]): a uniform sample of `n` misses a window of fraction `w` with
//!   probability `(1 - w)^n`, so a window with `(1 - w)^n = alpha / 2` at each end makes a
//!   false alarm at either end at most `alpha`;
//! - a one-sample Kolmogorov-Smirnov test at significance `alpha`.
//!
//! `false_alarm_rate_of_the_reference` (ignored: run it in release) measures the whole verdict
//! on samples drawn exactly as the reference draws them; docs/specs.md gives the figure.

use crate::text::numbers::format_number;

/// Fewest values for the ends check: below it the window would span too much of the range to
/// catch a range that starts or ends a little off.
const ENDS_MIN_VALUES: usize = 100;

/// Fewest values for the Kolmogorov-Smirnov test (Stephens' p-value holds from 20 on).
const KS_MIN_VALUES: usize = 20;

/// Why a sample is not uniform: what was observed, and the mistake it points to.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// What the values did, with numbers.
    pub message: String,
    /// The likely mistake and its fix, in a sentence that teaches.
    pub diagnosis: String,
}

/// Why a sample is not uniform over `low ..= high`, or `None` when it passes.
pub fn check(sample: &[f64], low: f64, high: f64, alpha: f64) -> Option<Failure> {
    let draw = format!("rand::random_range({}..={})", float(low), float(high));
    outside(sample, low, high, &draw)
        .or_else(|| constant(sample, low, high, &draw))
        .or_else(|| whole_numbers(sample, low, high, &draw))
        .or_else(|| missing_end(sample, low, high, alpha, &draw))
        .or_else(|| not_even(sample, low, high, alpha, &draw))
}

/// A number as a float literal: `10.0`, `2.5`.
fn float(x: f64) -> String {
    let text = format_number(x);
    if text.contains('.') || text.contains('e') {
        text
    } else {
        format!("{text}.0")
    }
}

fn range_text(low: f64, high: f64) -> String {
    format!("{} ..= {}", format_number(low), format_number(high))
}

fn outside(sample: &[f64], low: f64, high: f64, draw: &str) -> Option<Failure> {
    let value = sample.iter().find(|x| !(low..=high).contains(*x))?;
    Some(Failure {
        message: format!(
            "the value {} is outside {}",
            format_number(*value),
            range_text(low, high)
        ),
        diagnosis: format!(
            "drew a delay outside the range {}: draw it with {draw}, both ends included, and return that very number",
            range_text(low, high)
        ),
    })
}

fn constant(sample: &[f64], low: f64, high: f64, draw: &str) -> Option<Failure> {
    let first = *sample.first()?;
    if sample.len() < 2 || high <= low || sample.iter().any(|x| *x != first) {
        return None;
    }
    Some(Failure {
        message: format!("all {} values are {}", sample.len(), format_number(first)),
        diagnosis: format!(
            "the delay is not random: every call returned {}. Draw a new delay on every call with {draw}",
            format_number(first)
        ),
    })
}

fn whole_numbers(sample: &[f64], low: f64, high: f64, draw: &str) -> Option<Failure> {
    let whole = sample.len() >= 10 && high - low >= 1.0 && sample.iter().all(|x| x.fract() == 0.0);
    whole.then(|| Failure {
        message: format!("all {} values are whole numbers", sample.len()),
        diagnosis: format!(
            "drew whole numbers only: a range of integers ({}..={}) gives {}, {}, ... and nothing in between. Draw a float, {draw}",
            format_number(low),
            format_number(high),
            format_number(low),
            format_number(low + 1.0)
        ),
    })
}

/// The fraction of the range, at each end, that a uniform sample of `n` values misses with
/// probability `alpha / 2`: `1 - (alpha / 2)^(1 / n)`.
pub fn end_window(n: usize, alpha: f64) -> f64 {
    1.0 - (alpha / 2.0).powf(1.0 / n as f64)
}

fn missing_end(sample: &[f64], low: f64, high: f64, alpha: f64, draw: &str) -> Option<Failure> {
    let n = sample.len();
    if n < ENDS_MIN_VALUES || high <= low {
        return None;
    }
    let window = end_window(n, alpha) * (high - low);
    let (near_low, near_high) = (low + window, high - window);
    if !sample.iter().any(|x| *x < near_low) {
        return Some(Failure {
            message: format!(
                "none of {n} values fell in {} .. {}",
                format_number(low),
                format_number(near_low)
            ),
            diagnosis: format!(
                "the range does not start at {}: no value came near it (a correct draw misses {} .. {} once in {} runs). Draw from the whole range, {draw}",
                format_number(low),
                format_number(low),
                format_number(near_low),
                format_number((1.0 / alpha).round())
            ),
        });
    }
    if !sample.iter().any(|x| *x > near_high) {
        return Some(Failure {
            message: format!(
                "none of {n} values fell in {} ..= {}",
                format_number(near_high),
                format_number(high)
            ),
            diagnosis: format!(
                "the range does not reach {}: no value came near it (a correct draw misses {} ..= {} once in {} runs). Draw from the whole range, {draw}, the upper end included",
                format_number(high),
                format_number(near_high),
                format_number(high),
                format_number((1.0 / alpha).round())
            ),
        });
    }
    None
}

fn not_even(sample: &[f64], low: f64, high: f64, alpha: f64, draw: &str) -> Option<Failure> {
    if sample.len() < KS_MIN_VALUES || high <= low {
        return None;
    }
    let (d, p) = kolmogorov_smirnov(sample, low, high);
    (p < alpha).then(|| Failure {
        message: format!(
            "the {} values are not spread evenly over {} (Kolmogorov-Smirnov D = {d:.3}, p = {p:.1e} < {alpha:.0e})",
            sample.len(),
            range_text(low, high)
        ),
        diagnosis: format!(
            "the delays are not spread evenly over {}: a Kolmogorov-Smirnov test rejects a uniform draw at significance {alpha:.0e} (a correct solution fails it once in {} runs). Draw each delay with a single {draw}, not a square, sum or product of random numbers",
            range_text(low, high),
            format_number((1.0 / alpha).round())
        ),
    })
}

/// One-sample Kolmogorov-Smirnov statistic `D` against U(low, high), and a p-value for it
/// that never understates the probability of a false alarm: the Dvoretzky-Kiefer-Wolfowitz
/// inequality with Massart's constant, `P(D > d) <= 2 exp(-2 n d^2)`, which holds for every
/// `n`. (Stephens' approximation of the Kolmogorov distribution, used before, understates the
/// far tail: measured, it rejected about 1.7e-6 of correct samples at a nominal 1e-6.) It is
/// the first term of the Kolmogorov series, so at 1e-6 it costs little power: `D` must exceed
/// 0.190 instead of 0.186 at n = 200.
pub fn kolmogorov_smirnov(sample: &[f64], low: f64, high: f64) -> (f64, f64) {
    let mut sorted = sample.to_vec();
    // Equal floats are interchangeable: the faster unstable sort gives the same statistic.
    sorted.sort_unstable_by(f64::total_cmp);
    let n = sorted.len() as f64;
    let d = sorted
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let f = ((x - low) / (high - low)).clamp(0.0, 1.0);
            f64::max((i as f64 + 1.0) / n - f, f - i as f64 / n)
        })
        .fold(0.0, f64::max);
    (d, dkw_bound(sorted.len(), d))
}

/// `2 exp(-2 n d^2)`, at most 1: a bound on the probability that `n` uniform values have a
/// Kolmogorov-Smirnov statistic above `d` (Massart 1990).
fn dkw_bound(n: usize, d: f64) -> f64 {
    (2.0 * (-2.0 * n as f64 * d * d).exp()).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evenly(n: usize, high: f64) -> Vec<f64> {
        (0..n).map(|i| (i as f64 + 0.5) / n as f64 * high).collect()
    }

    /// The diagnosis of a sample over `0 ..= 10` at `alpha = 1e-6`.
    fn diagnosis(sample: &[f64]) -> String {
        check(sample, 0.0, 10.0, 1e-6)
            .map(|f| f.diagnosis)
            .unwrap_or_default()
    }

    #[test]
    fn an_even_sample_passes() {
        assert_eq!(check(&evenly(500, 10.0), 0.0, 10.0, 1e-6), None);
    }

    #[test]
    fn whole_numbers_are_named() {
        let sample: Vec<f64> = (0..200).map(|i| (i % 11) as f64).collect();
        assert!(diagnosis(&sample).contains("whole numbers"));
        assert!(diagnosis(&sample).contains("rand::random_range(0.0..=10.0)"));
    }

    #[test]
    fn a_missing_low_end_is_named() {
        let sample: Vec<f64> = evenly(500, 9.0).iter().map(|x| x + 1.0).collect();
        assert!(diagnosis(&sample).contains("does not start at 0"));
    }

    #[test]
    fn a_missing_high_end_is_named() {
        assert!(diagnosis(&evenly(500, 9.0)).contains("does not reach 10"));
    }

    #[test]
    fn a_skewed_sample_fails_the_test() {
        let sample: Vec<f64> = evenly(500, 1.0).iter().map(|x| x * x * 10.0).collect();
        let failure = check(&sample, 0.0, 10.0, 1e-6).unwrap();
        assert!(failure.message.contains("Kolmogorov-Smirnov D ="));
        assert!(
            failure
                .diagnosis
                .contains("Kolmogorov-Smirnov test rejects")
        );
    }

    #[test]
    fn constants_and_out_of_range_values_are_named() {
        assert!(diagnosis(&[5.0; 50]).contains("the delay is not random"));
        assert!(diagnosis(&[5.0, 11.0]).contains("outside the range 0 ..= 10"));
    }

    #[test]
    fn the_end_window_makes_a_false_alarm_at_most_alpha() {
        for n in [100, 200, 300, 1000] {
            let w = end_window(n, 1e-6);
            // P(either end missed) <= 2 (1 - w)^n = alpha.
            let rate = 2.0 * (1.0 - w).powi(n as i32);
            assert!((rate - 1e-6).abs() < 1e-9, "n = {n}: {rate}");
        }
        // Narrow enough to catch a range starting at 1 of 10 from 200 values (05's cases).
        assert!(end_window(200, 1e-6) < 0.1);
    }

    #[test]
    fn p_values_bound_the_kolmogorov_tail() {
        // The Kolmogorov distribution is 0.0494 at sqrt(n) D = 1.36 (its 5 % point): the
        // bound is just above it, as a bound must be.
        let at_1_36 = dkw_bound(10_000, 1.36 / 100.0);
        assert!((0.0494..0.0500).contains(&at_1_36), "{at_1_36}");
        assert!((dkw_bound(200, 0.19) - 2.0 * (-14.44f64).exp()).abs() < 1e-12);
        assert_eq!(dkw_bound(200, 0.0), 1.0);
        let (d, p) = kolmogorov_smirnov(&evenly(200, 10.0), 0.0, 10.0);
        assert!(d <= 0.5 / 200.0 + 1e-12 && p == 1.0, "{d} {p}");
    }

    /// Sample sizes of the specs' `uniform` cases, with their ranges: 05 (200 values up to
    /// 10, and up to 1), 06 and 09 (1000 in one call), 08 (200 calls), 10 (20 calls of 10).
    const SPEC_SAMPLES: [(usize, f64); 3] = [(200, 10.0), (200, 1.0), (1000, 10.0)];

    /// Measures the false-alarm rate of the whole verdict on samples drawn exactly as the
    /// reference draws them (`rand::random_range(0.0..=max)`). `UNIFORM_TRIALS` sets the
    /// number of samples per size (default 10^6). Run it in release:
    /// `cargo test -p checker --release --lib -- --ignored --nocapture false_alarm_rate`.
    #[test]
    #[ignore = "slow: about three minutes in release"]
    fn false_alarm_rate_of_the_reference() {
        let trials: u64 = std::env::var("UNIFORM_TRIALS")
            .ok()
            .and_then(|t| t.parse().ok())
            .unwrap_or(1_000_000);
        let mut total_alarms = 0;
        for (n, max) in SPEC_SAMPLES {
            let (mut alarms, mut ends_1e3, mut ks_1e3) = (0u64, 0u64, 0u64);
            let mut sample = vec![0.0; n];
            for _ in 0..trials {
                sample.fill_with(|| rand::random_range(0.0..=max));
                if let Some(failure) = check(&sample, 0.0, max, 1e-6) {
                    alarms += 1;
                    println!("false alarm (n = {n}): {}", failure.message);
                }
                // Each statistical check alone at alpha = 1e-3, where its rate can be
                // measured precisely (about 1000 +- 32 events in 10^6 at the design rate).
                ends_1e3 += u64::from(missing_end(&sample, 0.0, max, 1e-3, "").is_some());
                ks_1e3 += u64::from(kolmogorov_smirnov(&sample, 0.0, max).1 < 1e-3);
            }
            let rate = |count: u64| count as f64 / trials as f64;
            println!(
                "n = {n}, range 0 ..= {max}: {alarms} false alarms in {trials} samples ({:.1e}; design <= 2e-6). At alpha = 1e-3: ends {ends_1e3} ({:.2e}), Kolmogorov-Smirnov {ks_1e3} ({:.2e}); design <= 1e-3 each",
                rate(alarms),
                rate(ends_1e3),
                rate(ks_1e3)
            );
            total_alarms += alarms;
        }
        let samples = trials * SPEC_SAMPLES.len() as u64;
        println!(
            "in all: {total_alarms} false alarms in {samples} samples ({:.1e} per verdict)",
            total_alarms as f64 / samples as f64
        );
        // Two checks at alpha each: more than ~8 alarms per 10^6 verdicts would be a bug.
        assert!(total_alarms as f64 <= 8e-6 * samples as f64 + 3.0);
    }
}
