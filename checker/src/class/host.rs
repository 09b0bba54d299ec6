//! The platform grading builds for: the host's target triple, as the Rust compiler cargo
//! uses says it (`rustc -vV`, its `host:` line).
//!
//! A grading workspace is read with `cargo metadata --offline --filter-platform HOST`:
//! without the filter cargo wants every platform's crates (Windows's, UEFI's) in its cache,
//! while an instructor who only built the checker has fetched the host's alone.

use std::process::{Command, Stdio};

use anyhow::Context as _;

/// The host's target triple (`x86_64-unknown-linux-gnu`), from `$RUSTC -vV` (`rustc` when
/// `RUSTC` is not set, as for cargo).
///
/// # Errors
/// The compiler cannot be run, or says no `host:`.
pub fn target() -> anyhow::Result<String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(&rustc)
        .arg("-vV")
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("cannot run {} -vV", rustc.to_string_lossy()))?;
    let text = String::from_utf8_lossy(&output.stdout);
    parse(&text).ok_or_else(|| {
        anyhow::anyhow!(
            "{} -vV names no host platform: {}",
            rustc.to_string_lossy(),
            text.trim()
        )
    })
}

/// The `host:` of `rustc -vV`'s output.
fn parse(text: &str) -> Option<String> {
    text.lines()
        .find_map(|line| line.strip_prefix("host:"))
        .map(|host| host.trim().to_string())
        .filter(|host| !host.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_line_is_read() {
        let text = "rustc 1.95.0 (abc 2026-03-21)\nbinary: rustc\nhost: aarch64-apple-darwin\nrelease: 1.95.0\n";
        assert_eq!(parse(text).as_deref(), Some("aarch64-apple-darwin"));
        assert_eq!(parse("binary: rustc\nhost: \n"), None);
        assert_eq!(parse(""), None);
    }

    #[test]
    fn this_machine_has_a_host() {
        let host = target().expect("rustc runs");
        assert!(host.split('-').count() >= 3, "{host}");
    }
}
