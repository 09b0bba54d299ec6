//! `checker verify`: being built in this session (issue tracker); not yet usable.

use clap::Args;

/// Options of `checker verify`.
#[derive(Debug, Clone, Args)]
pub struct VerifyArgs {}

/// Runs `checker verify`.
pub fn run(_args: &VerifyArgs) -> anyhow::Result<u8> {
    anyhow::bail!("`checker verify` is not available yet")
}
