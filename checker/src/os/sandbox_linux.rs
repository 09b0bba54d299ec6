//! The sandbox on Linux: a trusted launcher that confines a fresh process, then executes the
//! runner (or cargo) in it.
//!
//! The checker spawns itself as `checker __asynclings-sandbox POLICY -- PROGRAM ARGS...`.
//! `main` hands that to [`launch`] before anything else runs, so the launcher is a new,
//! single-threaded process running only trusted code. In that order it:
//!
//! 1. opens every path the policy allows and builds the Landlock ruleset (files; TCP bind and
//!    connect with no port allowed; the signal and abstract-UNIX-socket scopes);
//! 2. as root, drops to the case's user: `setgroups([])`, `setgid`, `setuid`, then sets
//!    `RLIMIT_NPROC` for that user (which the kernel then applies);
//! 3. enforces the ruleset, which also sets `no_new_privs` (set alone when there is no ruleset);
//! 4. installs the seccomp filter: `socket(AF_INET | AF_INET6)` fails with EACCES, `ptrace`
//!    and `process_vm_readv/writev` with EPERM; for a case, `fallocate` with EOPNOTSUPP and
//!    `io_uring_*` with ENOSYS (disk is reserved no faster than written);
//! 5. executes the program, which inherits all of it, and so does every process it starts.
//!
//! Code under test can run before the runner's `main` (a static in `.init_array`), which is
//! why the confinement is in place before `exec`, not applied by the runner itself; and why it
//! is not applied in `pre_exec` of the multi-threaded checker, where only async-signal-safe
//! calls are allowed (no allocation: Landlock's rules need it).

use std::convert::Infallible;
use std::ffi::OsString;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use landlock::{
    ABI, Access, AccessFs, AccessNet, BitFlags, CompatLevel, Compatible, PathBeneath, PathFd,
    Ruleset, RulesetAttr, RulesetCreatedAttr, Scope,
};
use serde::{Deserialize, Serialize};

use super::sandbox::{BuildAccess, Capabilities, LAUNCH_ARG, Plan};

/// The exit status of a launcher that could not confine or start its program.
const LAUNCH_FAILED: i32 = 125;

/// Threads and processes a case's user may start beyond those it runs already (the same
/// headroom as `supervise::PROCESS_HEADROOM`, which the kernel skips for root).
const NPROC_HEADROOM: u64 = 1024;

/// What a path may be used for.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
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

/// What the launcher applies; passed as JSON in its command line.
#[derive(Debug, Serialize, Deserialize)]
struct Policy {
    /// Landlock ABI to enforce, with these rules; `None`: no Landlock.
    landlock: Option<u32>,
    rules: Vec<(PathBuf, Use)>,
    seccomp: bool,
    /// With `seccomp`: refuse what reserves disk faster than writing it (`fallocate`, and
    /// `io_uring`, which could do the same): for cases, not builds.
    #[serde(default)]
    no_reserve: bool,
    user: Option<(u32, u32)>,
    nproc: Option<u64>,
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
        launcher: true,
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

pub fn case_command(plan: &Plan, program: &Path, scratch: &Path) -> io::Result<Command> {
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
        static COUNT: std::sync::OnceLock<Option<u64>> = std::sync::OnceLock::new();
        COUNT
            .get_or_init(|| super::linux::counted_by_nproc(uid))
            .map(|n| n + NPROC_HEADROOM)
    });
    launcher(
        &Policy {
            landlock: plan.landlock,
            rules,
            seccomp: plan.seccomp,
            no_reserve: true,
            user: plan.user,
            nproc,
        },
        program.as_os_str(),
    )
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
    launcher(
        &Policy {
            landlock: plan.landlock,
            rules,
            seccomp: plan.seccomp,
            no_reserve: false,
            user: None,
            nproc: None,
        },
        cargo,
    )
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

/// `checker __asynclings-sandbox POLICY -- PROGRAM`; the caller adds the program's arguments.
fn launcher(policy: &Policy, program: &std::ffi::OsStr) -> io::Result<Command> {
    let checker = std::env::current_exe()?;
    let mut command = Command::new(checker);
    command
        .arg(LAUNCH_ARG)
        .arg(serde_json::to_string(policy).map_err(io::Error::other)?)
        .arg("--")
        .arg(program);
    Ok(command)
}

pub fn launch(args: Vec<OsString>) {
    let Err(error) = confine_and_exec(args);
    eprintln!("checker: the sandbox launcher failed: {error}");
    std::process::exit(LAUNCH_FAILED);
}

fn confine_and_exec(args: Vec<OsString>) -> Result<Infallible, String> {
    let mut args = args.into_iter();
    let policy = args
        .next()
        .and_then(|p| p.into_string().ok())
        .ok_or("no policy")?;
    let policy: Policy = serde_json::from_str(&policy).map_err(|e| format!("policy: {e}"))?;
    if args.next().is_none_or(|a| a != "--") {
        return Err("no `--` before the program".into());
    }
    let program = args.next().ok_or("no program")?;
    let ruleset = match policy.landlock {
        Some(abi) => Some(ruleset(&policy.rules, abi).map_err(|e| format!("landlock: {e}"))?),
        None => None,
    };
    if let Some(user) = policy.user {
        switch_user(user).map_err(|e| format!("cannot switch to user {}: {e}", user.0))?;
    }
    if let Some(limit) = policy.nproc {
        let limit = rustix::process::Rlimit {
            current: Some(limit),
            maximum: Some(limit),
        };
        let _ = rustix::process::setrlimit(rustix::process::Resource::Nproc, limit);
    }
    match ruleset {
        Some(ruleset) => {
            ruleset
                .restrict_self()
                .map_err(|e| format!("landlock: {e}"))?;
        }
        None => rustix::thread::set_no_new_privs(true).map_err(|e| format!("no_new_privs: {e}"))?,
    }
    if policy.seccomp {
        seccomp(policy.no_reserve).map_err(|e| format!("seccomp: {e}"))?;
    }
    let error = Command::new(&program).args(args).exec();
    Err(format!("cannot run {}: {error}", program.to_string_lossy()))
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

fn switch_user((uid, gid): (u32, u32)) -> io::Result<()> {
    // SAFETY: setgroups with a count of 0 reads no memory; setgid and setuid take integers.
    // Each changes only this process's credentials, and each result is checked.
    unsafe {
        if libc::setgroups(0, std::ptr::null()) != 0
            || libc::setgid(gid) != 0
            || libc::setuid(uid) != 0
        {
            return Err(io::Error::last_os_error());
        }
    }
    // Root cannot be regained (setuid(0) must fail now).
    if rustix::process::geteuid().is_root() || rustix::process::getuid().is_root() {
        return Err(io::Error::other("still root after setuid"));
    }
    Ok(())
}

/// No IPv4 or IPv6 sockets (UDP included, which Landlock does not cover), no ptrace and no
/// reading or writing another process's memory; with `no_reserve`, no `fallocate` (EOPNOTSUPP,
/// as from a file system without it: `posix_fallocate` then writes the blocks, at the speed
/// the checker's disk budget can follow, instead of reserving gigabytes in a millisecond) and
/// no `io_uring` (ENOSYS, as from a kernel without it: it could reserve them too, and its
/// operations pass no seccomp filter).
fn seccomp(no_reserve: bool) -> Result<(), String> {
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
    for filter in filters {
        let program: seccompiler::BpfProgram = filter.try_into().map_err(|e| format!("{e}"))?;
        seccompiler::apply_filter(&program).map_err(|e| e.to_string())?;
    }
    Ok(())
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
