//! The sandbox on Linux: what the checker prepares once (the seccomp programs) or per process
//! (the Landlock ruleset), and applies in the child between `fork` and `exec`.
//!
//! In the checker, before the fork, it:
//!
//! 1. opens every path the policy allows and builds the Landlock ruleset (files; TCP bind and
//!    connect with no port allowed; the signal and abstract-UNIX-socket scopes), as a ruleset
//!    descriptor the child inherits;
//! 2. compiles the seccomp filters, once per run: `socket(AF_INET | AF_INET6)` fails with
//!    EACCES, `ptrace` and `process_vm_readv/writev` with EPERM; for a case, `fallocate` with
//!    EOPNOTSUPP and `io_uring_*` with ENOSYS (disk is reserved no faster than written).
//!
//! In the child, last of everything done there ([`Confinement::register`]), in that order, with
//! system calls only (no allocation, no lock: the checker is multi-threaded, and its child may
//! only make async-signal-safe calls until `exec`):
//!
//! 3. as root, drops to the case's user: `setgroups([])`, `setresgid`, `setresuid`, checks root
//!    cannot be regained, then sets `RLIMIT_NPROC` for that user (which the kernel then
//!    applies);
//! 4. sets `no_new_privs` and enforces the ruleset (`landlock_restrict_self`);
//! 5. installs the seccomp filters (`seccomp(SECCOMP_SET_MODE_FILTER)`);
//! 6. executes the program, which inherits all of it, and so does every process it starts.
//!
//! Code under test can run before the runner's `main` (a static in `.init_array`), which is
//! why the confinement is in place before `exec`, not applied by the runner itself. Until
//! issue 24 a launcher (the checker re-executed) did steps 1 to 5 in a fresh process: an extra
//! `exec` of the checker per case, most of a case's cost on an idle machine.

use std::ffi::OsString;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use landlock::{
    ABI, Access, AccessFs, AccessNet, BitFlags, CompatLevel, Compatible, PathBeneath, PathFd,
    Ruleset, RulesetAttr, RulesetCreatedAttr, Scope,
};

use super::sandbox::{BuildAccess, Capabilities, Plan};

/// The lowest descriptor a ruleset is moved to, above the standard streams and the result
/// channel (fd 3), which the child sets up before it is confined.
const RULESET_FD_FLOOR: i32 = 10;

/// The most instructions a seccomp program may have (`BPF_MAXINSNS`).
const BPF_MAXINSNS: usize = 4096;

/// Threads and processes a case's user may start beyond those it runs already (the same
/// headroom as `supervise::PROCESS_HEADROOM`, which the kernel skips for root).
const NPROC_HEADROOM: u64 = 1024;

/// What a path may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    /// Read files and list folders.
    Read,
    /// Read and execute (programs, shared libraries).
    Run,
    /// Read and write files that exist (`/dev/null`).
    ReadWrite,
    /// Everything: make, write, remove (scratch, target/).
    Own,
}

/// What confines a process: decided and built in the checker.
#[derive(Debug)]
struct Policy {
    /// Landlock ABI to enforce, with these rules; `None`: no Landlock.
    landlock: Option<u32>,
    rules: Vec<(PathBuf, Use)>,
    seccomp: bool,
    /// With `seccomp`: refuse what reserves disk faster than writing it (`fallocate`, and
    /// `io_uring`, which could do the same): for cases, not builds.
    no_reserve: bool,
    user: Option<(u32, u32)>,
    nproc: Option<u64>,
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
    fn build(policy: &Policy) -> io::Result<Self> {
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

pub fn probe() -> Capabilities {
    // SAFETY: landlock_create_ruleset with a null attribute, size 0 and the VERSION flag only
    // returns the ABI version (or an error); it reads and writes no memory.
    let version = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<u8>(),
            0usize,
            1u32, // LANDLOCK_CREATE_RULESET_VERSION
        )
    };
    Capabilities {
        landlock_abi: u32::try_from(version).ok().filter(|&v| v > 0),
        seccomp: seccomp_arch().is_some()
            && std::fs::read_to_string("/proc/self/status")
                .is_ok_and(|s| s.lines().any(|l| l.starts_with("Seccomp:"))),
        root: rustix::process::geteuid().is_root(),
        sandbox: true,
    }
}

fn seccomp_arch() -> Option<seccompiler::TargetArch> {
    seccompiler::TargetArch::try_from(std::env::consts::ARCH).ok()
}

/// A folder for one run's files that `user` must reach (runner copies, scratch folders):
/// mode 0711, so that it can pass through but not list it.
pub fn shared_dir(_user: (u32, u32)) -> io::Result<tempfile::TempDir> {
    let dir = tempfile::Builder::new()
        .prefix("asynclings-sandbox-")
        .tempdir()?;
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o711))?;
    Ok(dir)
}

pub fn give_to(path: &Path, (uid, gid): (u32, u32)) -> io::Result<()> {
    std::os::unix::fs::chown(path, Some(uid), Some(gid))
}

pub fn make_public(dir: &Path, file: &Path) -> io::Result<()> {
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o711))?;
    std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o755))
}

/// The system folders a dynamically linked program loads from.
const LIBRARIES: &[&str] = &[
    "/lib",
    "/lib32",
    "/lib64",
    "/usr/lib",
    "/usr/lib32",
    "/usr/lib64",
    "/etc/ld.so.cache",
];

pub fn case_command(
    plan: &Plan,
    program: &Path,
    scratch: &Path,
) -> io::Result<(Command, Confinement)> {
    let mut rules: Vec<(PathBuf, Use)> = LIBRARIES
        .iter()
        .map(|p| (PathBuf::from(p), Use::Run))
        .collect();
    rules.extend([
        (program.to_path_buf(), Use::Run),
        // The runner reads its own threads and its descendants there. Other processes' entries
        // that say more than a name (mem, environ, cwd, fd, maps) need ptrace access, which
        // Landlock refuses outside the case's domain.
        ("/proc".into(), Use::Read),
        ("/dev/null".into(), Use::ReadWrite),
        ("/dev/urandom".into(), Use::Read),
        ("/sys/devices/system/cpu".into(), Use::Read),
        (scratch.to_path_buf(), Use::Own),
    ]);
    let nproc = plan.user.and_then(|(uid, _)| {
        static COUNT: OnceLock<Option<u64>> = OnceLock::new();
        COUNT
            .get_or_init(|| super::linux::counted_by_nproc(uid))
            .map(|n| n + NPROC_HEADROOM)
    });
    let confinement = Confinement::build(&Policy {
        landlock: plan.landlock,
        rules,
        seccomp: plan.seccomp,
        no_reserve: true,
        user: plan.user,
        nproc,
    })?;
    Ok((Command::new(program), confinement))
}

pub fn build_command(plan: &Plan, cargo: &OsString, access: &BuildAccess) -> io::Result<Command> {
    let mut rules: Vec<(PathBuf, Use)> = [
        "/usr", "/lib", "/lib32", "/lib64", "/bin", "/sbin", "/etc", "/opt",
    ]
    .iter()
    .map(|p| (PathBuf::from(p), Use::Run))
    .collect();
    rules.extend([
        ("/proc".into(), Use::Read),
        ("/sys".into(), Use::Read),
        ("/dev/null".into(), Use::ReadWrite),
        ("/dev/urandom".into(), Use::Read),
        (access.target.clone(), Use::Own),
    ]);
    // The rules hold open folders: one that does not exist yet gets no rule, so the target
    // directory is made now, unconfined (a fresh `--file` copy or class workspace has none,
    // and cargo would then be refused the folder it builds in).
    std::fs::create_dir_all(&access.target)?;
    // The toolchain: rustup's and cargo's homes (cargo keeps its package-cache lock there),
    // and the folder of the cargo binary's toolchain when it is elsewhere.
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let dir_of = |var: &str, default: &str| {
        std::env::var_os(var)
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(default)))
    };
    if let Some(cargo_home) = dir_of("CARGO_HOME", ".cargo") {
        // Read-only but for cargo's locks and last-use database, which exist once cargo has
        // run (the checker itself was built with it): a build script must not plant a
        // `config.toml` or replace `bin/cargo` there.
        for lock in [".package-cache", ".package-cache-mutate", ".global-cache"] {
            let path = cargo_home.join(lock);
            // Made here, unconfined, where cargo has not run yet (a prebuilt checker): empty
            // files are what cargo makes too (an empty file is an empty SQLite database).
            let _ = std::fs::OpenOptions::new()
                .append(true)
                .create(true)
                .open(&path);
            rules.push((path, Use::ReadWrite));
        }
        rules.push((cargo_home, Use::Run));
    }
    if let Some(rustup_home) = dir_of("RUSTUP_HOME", ".rustup") {
        rules.push((rustup_home, Use::Run));
    }
    if let Some(toolchain) = Path::new(cargo).ancestors().nth(2)
        && toolchain.components().count() > 1
    {
        rules.push((toolchain.to_path_buf(), Use::Run));
    }
    for path in readable_workspace(&access.root, &access.hidden, &access.target) {
        rules.push((path, Use::Read));
    }
    // cargo reads every `.cargo/config.toml` from the workspace up to `/` and fails on one it
    // may not read: the course's own (it seeds the draws, checker/src/seed.rs) is above a
    // class's grading workspaces when they are in the course's folder.
    for dir in access.root.ancestors().skip(1) {
        for name in ["config.toml", "config"] {
            let file = dir.join(".cargo").join(name);
            if file.is_file() {
                rules.push((file, Use::Read));
            }
        }
    }
    let confinement = Confinement::build(&Policy {
        landlock: plan.landlock,
        rules,
        seccomp: plan.seccomp,
        no_reserve: false,
        user: None,
        nproc: None,
    })?;
    let mut command = Command::new(cargo);
    confinement.register(&mut command);
    Ok(command)
}

/// The parts of the workspace `root` a build may read: everything but `hidden` folders (and
/// `target`, which gets its own rule), each hidden one's own `Cargo.toml` excepted (cargo
/// reads every member's manifest). Landlock only allows, so the allowed parts are listed:
/// every entry of a folder that holds a hidden one, recursively.
fn readable_workspace(root: &Path, hidden: &[PathBuf], target: &Path) -> Vec<PathBuf> {
    let canonical = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let hidden: Vec<PathBuf> = hidden.iter().map(|h| canonical(h)).collect();
    let target = canonical(target);
    let mut allowed = Vec::new();
    for h in &hidden {
        let manifest = h.join("Cargo.toml");
        if manifest.is_file() {
            allowed.push(manifest);
        }
    }
    let mut folders = vec![canonical(root)];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path == target || hidden.contains(&path) {
                continue;
            }
            let holds_hidden = hidden.iter().chain([&target]).any(|h| h.starts_with(&path));
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if holds_hidden && is_dir {
                folders.push(path);
            } else {
                allowed.push(path);
            }
        }
    }
    allowed
}

/// The Landlock ruleset: `rules` allowed, every other file access denied; TCP bind and connect
/// denied (ABI 4); signals and abstract UNIX sockets scoped to the domain (ABI 6).
fn ruleset(
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

/// No IPv4 or IPv6 sockets (UDP included, which Landlock does not cover), no ptrace and no
/// reading or writing another process's memory; with `no_reserve`, no `fallocate` (EOPNOTSUPP,
/// as from a file system without it: `posix_fallocate` then writes the blocks, at the speed
/// the checker's disk budget can follow, instead of reserving gigabytes in a millisecond) and
/// no `io_uring` (ENOSYS, as from a kernel without it: it could reserve them too, and its
/// operations pass no seccomp filter).
/// Compiled once per run for each `no_reserve`, shared by every process confined after.
fn filters(no_reserve: bool) -> Result<&'static [seccompiler::BpfProgram], String> {
    static CASES: OnceLock<Result<Vec<seccompiler::BpfProgram>, String>> = OnceLock::new();
    static BUILDS: OnceLock<Result<Vec<seccompiler::BpfProgram>, String>> = OnceLock::new();
    let compiled = if no_reserve { &CASES } else { &BUILDS };
    compiled
        .get_or_init(|| compile_filters(no_reserve))
        .as_deref()
        .map_err(Clone::clone)
}

fn compile_filters(no_reserve: bool) -> Result<Vec<seccompiler::BpfProgram>, String> {
    use seccompiler::{
        SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter, SeccompRule,
    };
    let arch = seccomp_arch().ok_or("not on this architecture")?;
    let family = |f: i32| -> Result<SeccompRule, seccompiler::BackendError> {
        SeccompRule::new(vec![SeccompCondition::new(
            0,
            SeccompCmpArgLen::Dword,
            SeccompCmpOp::Eq,
            f as u64,
        )?])
    };
    let inet = vec![
        family(libc::AF_INET).map_err(|e| e.to_string())?,
        family(libc::AF_INET6).map_err(|e| e.to_string())?,
    ];
    let sockets = SeccompFilter::new(
        [(libc::SYS_socket, inet)].into_iter().collect(),
        SeccompAction::Allow,
        SeccompAction::Errno(libc::EACCES as u32),
        arch,
    )
    .map_err(|e| e.to_string())?;
    let tracing = SeccompFilter::new(
        [
            (libc::SYS_ptrace, vec![]),
            (libc::SYS_process_vm_readv, vec![]),
            (libc::SYS_process_vm_writev, vec![]),
        ]
        .into_iter()
        .collect(),
        SeccompAction::Allow,
        SeccompAction::Errno(libc::EPERM as u32),
        arch,
    )
    .map_err(|e| e.to_string())?;
    let mut filters = vec![sockets, tracing];
    if no_reserve {
        let refuse = |calls: &[libc::c_long], errno: i32| {
            SeccompFilter::new(
                calls.iter().map(|&call| (call, vec![])).collect(),
                SeccompAction::Allow,
                SeccompAction::Errno(errno as u32),
                arch,
            )
            .map_err(|e| e.to_string())
        };
        filters.push(refuse(&[libc::SYS_fallocate], libc::EOPNOTSUPP)?);
        filters.push(refuse(
            &[
                libc::SYS_io_uring_setup,
                libc::SYS_io_uring_enter,
                libc::SYS_io_uring_register,
            ],
            libc::ENOSYS,
        )?);
    }
    filters
        .into_iter()
        .map(|filter| {
            let program: seccompiler::BpfProgram = filter.try_into().map_err(|e| format!("{e}"))?;
            // seccomp(2) refuses an empty program and one past BPF_MAXINSNS.
            if program.is_empty() || program.len() > BPF_MAXINSNS {
                return Err(format!("a filter of {} instructions", program.len()));
            }
            Ok(program)
        })
        .collect()
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

    #[test]
    fn the_readable_workspace_leaves_out_hidden_folders_but_keeps_their_manifest() {
        let root = tempfile::tempdir().expect("tempdir");
        let r = root.path();
        for dir in [
            "specs",
            "solutions/src",
            "exercises/src",
            "target",
            "deep/specs",
        ] {
            std::fs::create_dir_all(r.join(dir)).expect("mkdir");
        }
        for file in ["Cargo.toml", "solutions/Cargo.toml", "deep/other.rs"] {
            std::fs::write(r.join(file), "").expect("write");
        }
        let r = std::fs::canonicalize(r).expect("canonical");
        let hidden = [r.join("specs"), r.join("solutions"), r.join("deep/specs")];
        let mut allowed = readable_workspace(&r, &hidden, &r.join("target"));
        allowed.sort();
        let mut expected = vec![
            r.join("Cargo.toml"),
            r.join("deep/other.rs"),
            r.join("exercises"),
            r.join("solutions/Cargo.toml"),
        ];
        expected.sort();
        assert_eq!(allowed, expected);
    }
}
