//! Exact points: every score is counted in whole thousandths of a point (milli-points), so
//! the parts of a lesson add up exactly to its `points` and the total to the sum of the
//! lessons, in every format.
//!
//! A lesson's `points` shared among its checks is split in milli-points: each check gets the
//! same share, rounded down, and the thousandths left over go one each to the first checks in
//! spec order (`points = 1` over 7 checks: 0.143 × 6 and 0.142). Reports add points up as
//! milli-points, never as floating-point numbers, so `0.143 × 6 + 0.142` is `1`, not
//! `0.9999999999999998`. A format that needs whole points (Classroom 50) rounds with
//! [`largest_remainder`], which keeps the total.

use crate::results::LessonResult;

/// Milli-points in one point.
pub const SCALE: u64 = 1000;

/// The largest number of points a spec may give (far beyond any course; keeps sums exact).
pub const MAX_POINTS: f64 = 1e9;

/// `points` in milli-points. Points are finite, not negative, and in thousandths (the spec
/// loader checks it); anything else is clamped to the nearest milli-point in range.
pub fn to_millis(points: f64) -> u64 {
    if !points.is_finite() || points <= 0.0 {
        return 0;
    }
    (points.min(MAX_POINTS) * SCALE as f64).round() as u64
}

/// Milli-points as points: the `f64` nearest to the decimal number (`143` is `0.143`).
pub fn from_millis(millis: u64) -> f64 {
    millis as f64 / SCALE as f64
}

/// Whether `points` is a whole number of thousandths (`0.25` is, `0.0005` is not).
pub fn is_thousandths(points: f64) -> bool {
    let scaled = points * SCALE as f64;
    (scaled - scaled.round()).abs() <= 1e-6 * scaled.abs().max(1.0)
}

/// `total` milli-points split among `parts` checks: equal shares rounded down, and the
/// thousandths left over one each to the first checks. The shares add up to `total` exactly.
pub fn split(total: u64, parts: usize) -> Vec<u64> {
    if parts == 0 {
        return Vec::new();
    }
    let n = parts as u64;
    let (share, left) = (total / n, total % n);
    (0..n).map(|i| share + u64::from(i < left)).collect()
}

/// The sum of `points`, added up in milli-points.
pub fn sum(points: impl IntoIterator<Item = f64>) -> f64 {
    from_millis(points.into_iter().map(to_millis).sum())
}

/// A lesson's points earned and possible, in milli-points.
pub fn lesson_millis(lesson: &LessonResult) -> (u64, u64) {
    lesson.cases.iter().fold((0, 0), |(got, max), case| {
        (
            got + to_millis(case.points),
            max + to_millis(case.max_points),
        )
    })
}

impl LessonResult {
    /// Points earned and possible, added up exactly (in milli-points: [`lesson_millis`]).
    pub fn score(&self) -> (f64, f64) {
        let (got, max) = lesson_millis(self);
        (from_millis(got), from_millis(max))
    }
}

/// Points earned and possible over every lesson, added up in milli-points.
pub fn total(lessons: &[LessonResult]) -> (f64, f64) {
    let (got, max) = lessons
        .iter()
        .map(lesson_millis)
        .fold((0, 0), |(g, m), (got, max)| (g + got, m + max));
    (from_millis(got), from_millis(max))
}

/// Whole points for `weights` (milli-points) that add up to `target` whole points:
/// largest-remainder (Hamilton) rounding. Each part gets its exact share of `target` rounded
/// down; the points left over go to the largest remainders, ties to the earlier part.
pub fn largest_remainder(weights: &[u64], target: u64) -> Vec<u64> {
    let total: u128 = weights.iter().map(|&w| u128::from(w)).sum();
    if total == 0 {
        // Nothing to share in proportion: the points go one each to the first parts, in turn.
        let n = weights.len() as u64;
        if n == 0 {
            return Vec::new();
        }
        return (0..n)
            .map(|i| target / n + u64::from(i < target % n))
            .collect();
    }
    let target = u128::from(target);
    let mut parts: Vec<u64> = Vec::with_capacity(weights.len());
    let mut remainders: Vec<(u128, usize)> = Vec::with_capacity(weights.len());
    for (index, &weight) in weights.iter().enumerate() {
        let exact = u128::from(weight) * target;
        parts.push((exact / total) as u64);
        remainders.push((exact % total, index));
    }
    let given: u128 = parts.iter().map(|&p| u128::from(p)).sum();
    // Largest remainder first; of equal remainders, the earlier part.
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, index) in remainders.iter().take((target - given) as usize) {
        parts[index] += 1;
    }
    parts
}

/// Milli-points rounded to the nearest whole point (half up).
pub fn round_to_points(millis: u64) -> u64 {
    (millis + SCALE / 2) / SCALE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_point_over_seven_checks_adds_up_to_one() {
        let shares = split(1000, 7);
        assert_eq!(shares, [143, 143, 143, 143, 143, 143, 142]);
        assert_eq!(shares.iter().sum::<u64>(), 1000);
        assert_eq!(sum(shares.iter().map(|&m| from_millis(m))), 1.0);
        // The float way, for the record: what the reports used to say.
        assert_ne!((0..7).map(|_| 1.0 / 7.0).sum::<f64>(), 1.0);
    }

    #[test]
    fn splits_always_add_up() {
        for total in [0, 1, 2, 999, 1000, 1001, 2500, 10_000, 123_457] {
            for parts in 1..40 {
                let shares = split(total, parts);
                assert_eq!(shares.len(), parts);
                assert_eq!(shares.iter().sum::<u64>(), total, "{total} over {parts}");
                let (min, max) = (shares.iter().min(), shares.iter().max());
                assert!(max.unwrap() - min.unwrap() <= 1);
            }
        }
        assert!(split(1000, 0).is_empty());
    }

    #[test]
    fn largest_remainder_keeps_the_total_and_is_deterministic() {
        // 1 point over 7 checks of 0.143/0.142: one whole point, to the first check.
        assert_eq!(largest_remainder(&split(1000, 7), 1), [1, 0, 0, 0, 0, 0, 0]);
        // 10 points over 3 checks: 4, 3, 3.
        assert_eq!(largest_remainder(&split(10_000, 3), 10), [4, 3, 3]);
        // Whole weights stay as they are.
        assert_eq!(largest_remainder(&[2000, 1000, 4000], 7), [2, 1, 4]);
        // Remainders decide: 0.6 and 0.4 and 2.0 → 1, 0, 2 (total 3).
        assert_eq!(largest_remainder(&[600, 400, 2000], 3), [1, 0, 2]);
        assert_eq!(largest_remainder(&[0, 0, 0], 2), [1, 1, 0]);
        assert!(largest_remainder(&[], 0).is_empty());
        for weights in [
            vec![143u64; 50],
            vec![1, 2, 3, 997],
            vec![333, 333, 334, 2500, 2500],
        ] {
            let total: u64 = weights.iter().sum();
            let target = round_to_points(total);
            let parts = largest_remainder(&weights, target);
            assert_eq!(parts.iter().sum::<u64>(), target, "{weights:?}");
            for (part, weight) in parts.iter().zip(&weights) {
                assert!(part * SCALE + SCALE > *weight && *part * SCALE < weight + SCALE);
            }
        }
    }

    #[test]
    fn thousandths_are_recognised() {
        assert!(is_thousandths(0.25));
        assert!(is_thousandths(1.0 / 8.0 * 8.0));
        assert!(is_thousandths(0.143));
        assert!(is_thousandths(1234.567));
        assert!(!is_thousandths(0.0005));
        assert!(!is_thousandths(1.0 / 3.0));
        assert_eq!(to_millis(0.143), 143);
        assert_eq!(to_millis(-1.0), 0);
        assert_eq!(to_millis(f64::NAN), 0);
        assert_eq!(round_to_points(2500), 3);
        assert_eq!(round_to_points(2499), 2);
    }
}
