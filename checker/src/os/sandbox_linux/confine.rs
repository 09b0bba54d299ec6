//! One process's confinement: built in the checker before the fork, applied in the child
//! between `fork` and `exec` with system calls only.

use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::Command;

use super::ruleset::{Use, ruleset};
use super::seccomp::filters;

/// The lowest descriptor a ruleset is moved to, above the standard streams and the result
/// channel (fd 3), which the child sets up before it is confined.
const RULESET_FD_FLOOR: i32 = 10;

/// What confines a process: decided and built in the checker.
#[derive(Debug)]
pub(super) struct Policy {
    /// Landlock ABI to enforce, with these rules; `None`: no Landlock.
    pub(super) landlock: Option<u32>,
    pub(super) rules: Vec<(PathBuf, Use)>,
    pub(super) seccomp: bool,
    /// With `seccomp`: refuse what reserves disk faster than writing it (`fallocate`, and
    /// `io_uring`, which could do the same): for cases, not builds.
    pub(super) no_reserve: bool,
    pub(super) user: Option<(u32, u32)>,
    pub(super) nproc: Option<u64>,
}

/// One process's confinement, built in the checker, applied in the child between fork and
/// exec by [`Confinement::register`]: everything it needs is ready, so the child only makes
/// system calls.
#[derive(Debug)]
pub struct Confinement {
    /// The Landlock ruleset to enforce (`None`: no Landlock, `no_new_privs` alone).
    ruleset: Option<OwnedFd>,
    /// The seccomp filters to install, in order (empty: none).
    filters: &'static [seccompiler::BpfProgram],
    /// The (uid, gid) to switch to.
    user: Option<(u32, u32)>,
    /// RLIMIT_NPROC to set once switched.
    nproc: Option<u64>,
}

impl Confinement {
    /// Builds what `policy` applies: its Landlock ruleset, and its seccomp filters (compiled
    /// once per run).
    pub(super) fn build(policy: &Policy) -> io::Result<Self> {
        let ruleset = match policy.landlock {
            Some(abi) => {
                let created = ruleset(&policy.rules, abi)
                    .map_err(|e| io::Error::other(format!("landlock: {e}")))?;
                match Option::<OwnedFd>::from(created) {
                    // Above the descriptors the child sets up before it is confined, so that
                    // none of them replaces it there.
                    Some(fd) => Some(
                        rustix::io::fcntl_dupfd_cloexec(&fd, RULESET_FD_FLOOR)
                            .map_err(io::Error::from)?,
                    ),
                    None => None,
                }
            }
            None => None,
        };
        let filters = if policy.seccomp {
            filters(policy.no_reserve).map_err(|e| io::Error::other(format!("seccomp: {e}")))?
        } else {
            &[]
        };
        Ok(Self {
            ruleset,
            filters,
            user: policy.user,
            nproc: policy.nproc,
        })
    }

    /// Applies it in the child `command` starts, after whatever `pre_exec` steps it has
    /// already: call it last. A step that fails fails the spawn with its `errno` (the program
    /// is never run unconfined).
    pub fn register(self, command: &mut Command) {
        // SAFETY: `confine` makes system calls only (setgroups, setresgid, setresuid, getuid,
        // geteuid, prlimit, prctl, landlock_restrict_self, seccomp), each async-signal-safe,
        // on values prepared before the fork: the descriptor and the filters it borrows live
        // as long as the closure, which the command owns until it has spawned.
        unsafe {
            command.pre_exec(move || self.confine());
        }
    }

    /// The child's part: no allocation (an `io::Error` from an errno allocates nothing).
    fn confine(&self) -> io::Result<()> {
        if let Some((uid, gid)) = self.user {
            switch_user(uid, gid)?;
        }
        if let Some(limit) = self.nproc {
            let limit = rustix::process::Rlimit {
                current: Some(limit),
                maximum: Some(limit),
            };
            let _ = rustix::process::setrlimit(rustix::process::Resource::Nproc, limit);
        }
        // Landlock (without CAP_SYS_ADMIN) and seccomp both need it; set alone without them.
        rustix::thread::set_no_new_privs(true)?;
        if let Some(ruleset) = &self.ruleset {
            // SAFETY: landlock_restrict_self takes a descriptor and flags, and reads no memory
            // of ours.
            let done = unsafe {
                libc::syscall(libc::SYS_landlock_restrict_self, ruleset.as_raw_fd(), 0u32)
            };
            if done != 0 {
                return Err(io::Error::last_os_error());
            }
        }
        for filter in self.filters {
            let program = SockFprog {
                len: u16::try_from(filter.len())
                    .map_err(|_| io::Error::from_raw_os_error(libc::E2BIG))?,
                filter: filter.as_ptr(),
            };
            // SAFETY: seccomp copies the `len` instructions `program` points to, which live in
            // a filter that outlives the call, and keeps no pointer to them.
            let done = unsafe {
                libc::syscall(
                    libc::SYS_seccomp,
                    libc::SECCOMP_SET_MODE_FILTER,
                    0 as libc::c_ulong,
                    &program as *const SockFprog,
                )
            };
            if done != 0 {
                return Err(io::Error::last_os_error());
            }
        }
        Ok(())
    }
}

/// `struct sock_fprog` of `<linux/filter.h>`, pointing at seccompiler's instructions.
#[repr(C)]
struct SockFprog {
    len: u16,
    filter: *const seccompiler::sock_filter,
}

/// Drops every group and switches to `uid` and `gid` (real, effective and saved), with raw
/// system calls (libc's wrappers would signal threads the child does not have); fails if root
/// could still be regained. Runs between fork and exec: no allocation.
fn switch_user(uid: u32, gid: u32) -> io::Result<()> {
    // SAFETY: setgroups with a count of 0 reads no memory; setresgid and setresuid take
    // integers. Each changes only this (single-threaded) child's credentials, and each result
    // is checked.
    unsafe {
        if libc::syscall(libc::SYS_setgroups, 0usize, std::ptr::null::<libc::gid_t>()) != 0
            || libc::syscall(libc::SYS_setresgid, gid, gid, gid) != 0
            || libc::syscall(libc::SYS_setresuid, uid, uid, uid) != 0
        {
            return Err(io::Error::last_os_error());
        }
    }
    // Root cannot be regained (setuid(0) must fail now).
    if rustix::process::geteuid().is_root() || rustix::process::getuid().is_root() {
        return Err(io::Error::from_raw_os_error(libc::EPERM));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::seccomp::seccomp_arch;
    use super::super::{LIBRARIES, probe};
    use super::*;

    /// The child applies the confinement before exec: the program runs, and cannot read what
    /// the rules leave out. Where the kernel lacks Landlock it tests nothing.
    #[test]
    fn a_confined_child_reads_only_what_its_rules_allow() {
        let Some(abi) = probe().landlock_abi else {
            return;
        };
        let mut rules: Vec<(PathBuf, Use)> = LIBRARIES
            .iter()
            .chain(&["/bin", "/usr/bin"])
            .map(|p| (PathBuf::from(p), Use::Run))
            .collect();
        rules.push(("/dev/null".into(), Use::ReadWrite));
        let policy = Policy {
            landlock: Some(abi),
            rules,
            seccomp: seccomp_arch().is_some(),
            no_reserve: true,
            user: None,
            nproc: None,
        };
        let run = |script: &str| {
            let mut command = Command::new("/bin/sh");
            command.args(["-c", script]);
            Confinement::build(&policy)
                .expect("a confinement")
                .register(&mut command);
            command.status().expect("sh starts confined").success()
        };
        assert!(run("exit 0"), "the program runs");
        assert!(!run("cat /etc/passwd"), "/etc is not in the rules");
        assert!(run("cat /dev/null"), "/dev/null is");
    }
}
