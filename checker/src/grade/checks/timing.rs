//! Times in ticks of tokio's timer (1 ms): how an observed time is compared with an expected
//! one, and whether values came back in completion order.
//!
//! An expected time becomes ticks the way the timer rounds a sleep (`Duration::from_secs_f64`,
//! then up to the next millisecond); the default tolerance is one tick. On the real clock every
//! time tolerance widens by [`REAL_CLOCK_SLACK`] plus 1 % of the expected time.

use std::time::Duration;

use crate::text::numbers::format_number;

/// Extra tolerance of times on the real clock, in seconds.
pub const REAL_CLOCK_SLACK: f64 = 0.05;

/// How times are compared.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// The spec's tolerance, seconds.
    pub tolerance: f64,
    /// Whether the case ran on the real clock.
    pub real_clock: bool,
}

impl Timing {
    /// The tolerance for an expected time, in seconds.
    pub fn allowed(&self, expected: f64) -> f64 {
        if self.real_clock {
            self.tolerance + REAL_CLOCK_SLACK + 0.01 * expected.abs()
        } else {
            self.tolerance
        }
    }

    /// Whether `observed` seconds match `expected` seconds, in ticks.
    pub fn matches(&self, observed: f64, expected: f64) -> bool {
        let observed_ticks = (observed * 1000.0).round();
        let expected_ticks = ticks(expected) as f64;
        (observed_ticks - expected_ticks).abs() <= (self.allowed(expected) * 1000.0).round()
    }
}

/// Ticks (ms) a sleep of `seconds` lasts on tokio's timer: rounded up to the millisecond.
pub fn ticks(seconds: f64) -> i64 {
    if !seconds.is_finite() || seconds <= 0.0 {
        return 0;
    }
    let Ok(time) = Duration::try_from_secs_f64(seconds) else {
        return i64::MAX;
    };
    // ceil(nanos / 10^6) without 128-bit division (a million values are converted twice each
    // in `order`): whole seconds are a multiple of 10^6 ns, so only the fraction rounds.
    let millis = time
        .as_secs()
        .saturating_mul(1000)
        .saturating_add(u64::from(time.subsec_nanos().div_ceil(1_000_000)));
    i64::try_from(millis).unwrap_or(i64::MAX)
}

/// Completion order. Two neighbours `a, b` are out of order iff `ticks(a) > ticks(b)`: the
/// timer wakes `a` in a later tick than `b`, so `b` completes first. Values of the same tick
/// are accepted in any order (the timer may complete them in any order), and nothing more:
/// `[2.0005, 1.9995]` (ticks 2001, 2000) fails although they differ by less than 1 ms. A
/// tolerance above one tick (a spec's `tolerance`, or the real clock's slack) accepts
/// inversions of fewer ticks than it holds.
pub fn check_ascending(values: &[f64], timing: Timing) -> Option<String> {
    let allowed = allowed_inversion(timing);
    // Each value's tick, once: a million values would otherwise be converted twice.
    let ticks_of: Vec<i64> = values.iter().map(|&value| ticks(value)).collect();
    let first = ticks_of.windows(2).position(|w| w[0] - w[1] >= allowed)?;
    // Descending: no neighbours in ascending order, up to the same-tick freedom.
    let descending = ticks_of.len() >= 3 && ticks_of.windows(2).all(|w| w[1] - w[0] < allowed);
    if descending {
        return Some(format!(
            "the values are in descending order ({} first, {} last): they should come back shortest first, as they complete",
            format_number(values[0]),
            format_number(values[values.len() - 1])
        ));
    }
    Some(format!(
        "not in completion order: {} came before {} (positions {} and {}); a shorter delay finishes first",
        format_number(values[first]),
        format_number(values[first + 1]),
        first + 1,
        first + 2
    ))
}

/// Ticks by which neighbours may be inverted before it is a mistake: at least one, so that
/// only values of different ticks can be out of order.
fn allowed_inversion(timing: Timing) -> i64 {
    ((timing.allowed(0.0) * 1000.0).round() as i64).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIRTUAL: Timing = Timing {
        tolerance: 0.001,
        real_clock: false,
    };

    #[test]
    fn ticks_round_up_like_the_timer() {
        assert_eq!(ticks(2.3456789), 2346);
        assert_eq!(ticks(1.0), 1000);
        assert_eq!(ticks(0.0), 0);
        assert_eq!(ticks(-1.0), 0);
        assert_eq!(ticks(0.000_000_001), 1);
        assert_eq!(ticks(1.000_000_001), 1001);
        assert_eq!(ticks(2.999_999_999), 3000);
        assert_eq!(ticks(1e30), i64::MAX);
        assert_eq!(ticks(f64::NAN), 0);
    }

    #[test]
    fn elapsed_allows_one_tick_and_no_more() {
        assert!(VIRTUAL.matches(9.926, 9.9253));
        assert!(VIRTUAL.matches(9.925, 9.9253));
        assert!(!VIRTUAL.matches(9.928, 9.9253));
    }

    #[test]
    fn same_tick_inversions_pass_and_larger_ones_fail() {
        assert_eq!(check_ascending(&[1.0, 2.0005, 2.0001, 3.0], VIRTUAL), None);
        let message = check_ascending(&[1.0, 3.0, 2.0, 4.0], VIRTUAL).unwrap();
        assert!(message.contains("3 came before 2"), "{message}");
        assert!(
            check_ascending(&[3.0, 2.0, 1.0], VIRTUAL)
                .unwrap()
                .contains("descending")
        );
    }

    #[test]
    fn order_compares_ticks_not_raw_floats() {
        // Less than 1 ms apart but in different ticks (2001 and 2000): out of order.
        assert!(check_ascending(&[2.0005, 1.9995], VIRTUAL).is_some());
        assert!(check_ascending(&[2.0000001, 1.9999999], VIRTUAL).is_some());
        // The same tick (2001), whichever way round and however far apart inside it.
        assert_eq!(check_ascending(&[2.0009, 2.0001], VIRTUAL), None);
        assert_eq!(check_ascending(&[2.0, 1.9995], VIRTUAL), None);
        // Exactly one tick apart, inverted: out of order.
        assert!(check_ascending(&[2.001, 2.0], VIRTUAL).is_some());
    }

    #[test]
    fn a_wider_tolerance_accepts_inversions_of_fewer_ticks() {
        let two_ticks = Timing {
            tolerance: 0.002,
            real_clock: false,
        };
        assert_eq!(check_ascending(&[2.001, 2.0], two_ticks), None);
        assert!(check_ascending(&[2.002, 2.0], two_ticks).is_some());
    }
}
