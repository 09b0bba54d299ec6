//! `checker watch`: being built in this session (issue tracker); not yet usable.

use clap::Args;

/// Options of `checker watch`.
#[derive(Debug, Clone, Args)]
pub struct WatchArgs {}

/// Runs `checker watch`.
pub fn run(_args: &WatchArgs) -> anyhow::Result<u8> {
    anyhow::bail!("`checker watch` is not available yet")
}
