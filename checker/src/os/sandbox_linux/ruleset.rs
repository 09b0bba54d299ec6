//! The Landlock ruleset of a process: the paths it may use, and how.

use std::path::PathBuf;

use landlock::{
    ABI, Access, AccessFs, AccessNet, BitFlags, CompatLevel, Compatible, PathBeneath, PathFd,
    Ruleset, RulesetAttr, RulesetCreatedAttr, Scope,
};

/// What a path may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Use {
    /// Read files and list folders.
    Read,
    /// Read and execute (programs, shared libraries).
    Run,
    /// Read and write files that exist (`/dev/null`).
    ReadWrite,
    /// Everything: make, write, remove (scratch, target/).
    Own,
}

/// The Landlock ruleset: `rules` allowed, every other file access denied; TCP bind and connect
/// denied (ABI 4); signals and abstract UNIX sockets scoped to the domain (ABI 6).
pub(super) fn ruleset(
    rules: &[(PathBuf, Use)],
    abi: u32,
) -> Result<landlock::RulesetCreated, landlock::RulesetError> {
    let version = abi;
    let abi = ABI::from(i32::try_from(abi).unwrap_or(i32::MAX));
    let read = AccessFs::from_read(abi);
    let all = AccessFs::from_all(abi);
    let mut ruleset = Ruleset::default()
        .set_compatibility(CompatLevel::BestEffort)
        .handle_access(all)?;
    // Only what this ABI has: an empty set of rights is an error, not a no-op.
    if version >= 4 {
        ruleset = ruleset.handle_access(AccessNet::from_all(abi))?;
    }
    if version >= 6 {
        ruleset = ruleset.scope(Scope::from_all(abi))?;
    }
    let mut created = ruleset.create()?;
    for (path, wanted) in rules {
        let Ok(fd) = PathFd::new(path) else {
            continue; // a path this system does not have
        };
        let mut access: BitFlags<AccessFs> = match wanted {
            Use::Read => read,
            Use::Run => read | AccessFs::Execute,
            Use::ReadWrite => (read | AccessFs::WriteFile | AccessFs::Truncate) & all,
            Use::Own => all,
        };
        if !std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
            access &= AccessFs::from_file(abi);
        }
        created = created.add_rule(PathBeneath::new(fd, access))?;
    }
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ruleset_is_built_at_every_landlock_abi() {
        let rules = [
            (PathBuf::from("/usr/lib"), Use::Run),
            (PathBuf::from("/dev/null"), Use::ReadWrite),
            (PathBuf::from("/no/such/path"), Use::Read),
        ];
        for abi in 1..=7 {
            if let Err(error) = ruleset(&rules, abi) {
                panic!("ABI {abi}: {error}");
            }
        }
    }
}
