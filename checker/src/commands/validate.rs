//! `checker validate`: being built in this session (issue tracker); not yet usable.

use clap::Args;

/// Options of `checker validate`.
#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {}

/// Runs `checker validate`.
pub fn run(_args: &ValidateArgs) -> anyhow::Result<u8> {
    anyhow::bail!("`checker validate` is not available yet")
}
