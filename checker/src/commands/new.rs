//! `checker new`: being built in this session (issue tracker); not yet usable.

use clap::Args;

/// Options of `checker new`.
#[derive(Debug, Clone, Args)]
pub struct NewArgs {}

/// Runs `checker new`.
pub fn run(_args: &NewArgs) -> anyhow::Result<u8> {
    anyhow::bail!("`checker new` is not available yet")
}
