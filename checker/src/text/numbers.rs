//! How every report writes a number: the one place numbers are formatted for people.

/// A number the way reports show it: at most 3 decimals, no trailing zeros (`9.8`, `10`,
/// `0.001`; `-0` is `0`). Integers below 10^15 are written whole.
pub fn format_number(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 {
        return format!("{n:.0}");
    }
    let text = format!("{n:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" || text.is_empty() {
        "0".into()
    } else {
        text.into()
    }
}

/// Seconds as a report writes them: `9.8 s`.
pub fn secs(seconds: f64) -> String {
    format!("{} s", format_number(seconds))
}

/// `n` bytes in words, in the largest whole binary unit up to GiB: `4 GiB`, `64 MiB`,
/// `16 bytes` (MiB rounded down: `1.5 MiB` is `1 MiB`).
pub fn bytes(n: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if n >= 1024 * MIB && n.is_multiple_of(1024 * MIB) {
        format!("{} GiB", n / (1024 * MIB))
    } else if n >= MIB {
        format!("{} MiB", n / MIB)
    } else {
        format!("{n} bytes")
    }
}

/// `text` with every number (`18`, `18.44`, `0.001`: a run of digits and the decimal points
/// inside it) replaced by `#`, for comparing texts that differ only by the values measured.
pub fn mask_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_number = false;
    for c in text.chars() {
        if c.is_ascii_digit() || (in_number && c == '.') {
            if !in_number {
                out.push('#');
            }
            in_number = true;
        } else {
            in_number = false;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_written_in_the_largest_whole_unit() {
        assert_eq!(bytes(4 * 1024 * 1024 * 1024), "4 GiB");
        assert_eq!(bytes(64 * 1024 * 1024), "64 MiB");
        // Not a whole number of GiB: MiB.
        assert_eq!(bytes(1536 * 1024 * 1024), "1536 MiB");
        assert_eq!(bytes(1024 * 1024 + 1), "1 MiB");
        assert_eq!(bytes(16 * 1024), "16384 bytes");
        assert_eq!(bytes(0), "0 bytes");
    }

    #[test]
    fn numbers_have_at_most_three_decimals_and_no_trailing_zeros() {
        assert_eq!(format_number(10.0), "10");
        assert_eq!(format_number(9.8), "9.8");
        assert_eq!(format_number(0.0004), "0");
        assert_eq!(format_number(-0.0001), "0");
        assert_eq!(format_number(1.23456), "1.235");
        assert_eq!(secs(0.5), "0.5 s");
    }
}
