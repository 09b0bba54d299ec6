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
//!
//! The Landlock ruleset is built in `ruleset.rs`, the seccomp filters in `seccomp.rs`, and the
//! child applies both in `confine.rs`; this file says what each process may reach.

mod confine;
mod ruleset;
mod run_dir;
mod seccomp;

use std::ffi::OsString;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::sandbox::{BuildAccess, Capabilities, Plan};
pub use confine::Confinement;
use confine::Policy;
use ruleset::Use;
pub use run_dir::RunDir;
use seccomp::seccomp_arch;

/// Threads and processes a case's user may start beyond those it runs already (the same
/// headroom as `supervise::PROCESS_HEADROOM`, which the kernel skips for root).
const NPROC_HEADROOM: u64 = 1024;

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

/// A folder of this run's own for its runner copies and scratch folders, which another user
/// can pass through but not list (`run_dir.rs`); the folders of earlier runs that are gone
/// are removed first.
pub fn run_dir() -> io::Result<RunDir> {
    run_dir::create()
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

#[cfg(test)]
mod tests {
    use super::*;

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
