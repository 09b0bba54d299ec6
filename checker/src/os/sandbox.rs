//! The sandbox: what confines the code under test, at build time and at run time.
//!
//! Everything here is portable: the modes (`--sandbox required|best-effort|off`), what the
//! machine offers ([`Capabilities`]), the decision of what to apply ([`decide`]) and the words
//! a report uses for it ([`Status`]). The mechanisms are the OS's: on Linux (`sandbox_linux.rs`)
//! the checker builds the Landlock ruleset and the seccomp filters, and the child applies them,
//! with a user switch and `no_new_privs`, between fork and exec of the runner (or cargo);
//! elsewhere nothing beyond the process tree and its limits (`docs/security.md`).

use std::ffi::OsString;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The user and group cases run as when the checker runs as root: `nobody`.
pub const DEFAULT_USER: (u32, u32) = (65534, 65534);

/// The lowest Landlock ABI that covers what `required` asks: files (1), TCP (4), signals and
/// abstract UNIX sockets (6).
pub const REQUIRED_LANDLOCK_ABI: u32 = 6;

/// How hard to confine the code under test (`--sandbox`, `docs/security.md`). Its variants'
/// docs are `--help`'s words for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// All of it (Landlock ABI 6 or later, seccomp), or refuse to grade.
    Required,
    /// What the kernel offers; the report says what held.
    BestEffort,
    /// None.
    // Only the process tree, its limits and the cleared environment.
    Off,
}

impl Mode {
    /// Its name on the command line and in reports: `required`, `best-effort`, `off`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::BestEffort => "best-effort",
            Self::Off => "off",
        }
    }
}

/// What this machine offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Capabilities {
    /// The Landlock ABI version of the kernel, if it has Landlock enabled.
    pub landlock_abi: Option<u32>,
    /// Whether seccomp filters can be installed (Linux on x86_64, aarch64, riscv64).
    pub seccomp: bool,
    /// Whether the checker runs as root (so cases can and must run as another user).
    pub root: bool,
    /// Whether this OS has a sandbox at all (Linux).
    pub sandbox: bool,
}

impl Capabilities {
    /// What this machine offers, asked of the kernel.
    pub fn probe() -> Self {
        imp::probe()
    }
}

/// What the sandbox applies to a run: decided once, by [`decide`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// `Some(abi)`: Landlock rules for files (and, from ABI 4, TCP; from ABI 6, signals and
    /// abstract UNIX sockets), at that ABI.
    pub landlock: Option<u32>,
    /// A seccomp filter: no IPv4/IPv6 sockets, no ptrace, no `process_vm_*`.
    pub seccomp: bool,
    /// Cases run as this (uid, gid) (when the checker is root).
    pub user: Option<(u32, u32)>,
}

impl Plan {
    /// No confinement.
    pub const OFF: Plan = Plan {
        landlock: None,
        seccomp: false,
        user: None,
    };

    /// Whether anything is applied to the processes started.
    pub fn active(&self) -> bool {
        self.landlock.is_some() || self.seccomp || self.user.is_some()
    }

    /// What holds, in a report's words.
    pub fn status(&self, mode: Mode) -> Status {
        let abi = self.landlock.unwrap_or(0);
        Status {
            mode: mode.name().into(),
            filesystem: match self.landlock {
                Some(abi) => format!("landlock v{abi}"),
                None => "open".into(),
            },
            network: if self.seccomp || abi >= 4 {
                "denied".into()
            } else {
                "open".into()
            },
            signals: if abi >= 6 {
                "scoped".into()
            } else {
                "open".into()
            },
            user: self.user.map(|(uid, _)| uid),
            build: if self.landlock.is_some() {
                "confined".into()
            } else {
                "open".into()
            },
        }
    }
}

/// Which sandbox mode a run gets when `--sandbox` is not given: `required` when spec
/// directories other than the workspace's own `specs/` are in use (an instructor's hidden
/// cases) on an OS that has a sandbox, `best-effort` otherwise.
pub fn default_mode(private_specs: bool, caps: &Capabilities) -> Mode {
    if private_specs && caps.sandbox {
        Mode::Required
    } else {
        Mode::BestEffort
    }
}

/// Why `--sandbox required` refuses to grade on this machine.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The OS has no sandbox the checker can apply.
    #[error(
        "--sandbox required: this OS has no sandbox for the code under test (Linux with Landlock has); use --sandbox best-effort, or grade on Linux"
    )]
    NoSandbox,
    /// The OS has one, but this machine lacks parts of it (never empty).
    #[error(
        "--sandbox required (the default with private --specs): this machine lacks {}; nothing was graded. Grade in a container that has it, or pass --sandbox best-effort to grade with what there is",
        lacks_in_words(.0)
    )]
    Lacks(Vec<Lack>),
}

/// A part of the sandbox a machine lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Lack {
    /// No Landlock at all.
    #[error(
        "Landlock (not in this kernel, or not enabled: add `landlock` to the `lsm=` boot parameter)"
    )]
    Landlock,
    /// Landlock older than [`REQUIRED_LANDLOCK_ABI`]; the ABI this kernel has.
    #[error(
        "Landlock ABI {REQUIRED_LANDLOCK_ABI} (Linux 6.12) for signal scoping; this kernel has ABI {0}"
    )]
    LandlockAbi(u32),
    /// No seccomp filters.
    #[error("seccomp filters")]
    Seccomp,
}

/// `lacks` joined by "and".
fn lacks_in_words(lacks: &[Lack]) -> String {
    let words: Vec<String> = lacks.iter().map(Lack::to_string).collect();
    words.join(" and ")
}

/// What to apply in `mode` on a machine with `caps`; cases run as `user` when the checker
/// is root. `required` fails, saying what is missing, where the machine lacks any of it.
///
/// # Errors
/// `required` on a machine without Landlock ABI [`REQUIRED_LANDLOCK_ABI`] or seccomp: a
/// [`Refusal`].
pub fn decide(mode: Mode, caps: &Capabilities, user: (u32, u32)) -> Result<Plan, Refusal> {
    if mode == Mode::Off || !caps.sandbox {
        return match mode {
            Mode::Required => Err(Refusal::NoSandbox),
            _ => Ok(Plan::OFF),
        };
    }
    let plan = Plan {
        landlock: caps.landlock_abi.filter(|&abi| abi >= 1),
        seccomp: caps.seccomp,
        user: caps.root.then_some(user),
    };
    if mode == Mode::Required {
        let mut missing = Vec::new();
        match caps.landlock_abi {
            None => missing.push(Lack::Landlock),
            Some(abi) if abi < REQUIRED_LANDLOCK_ABI => missing.push(Lack::LandlockAbi(abi)),
            Some(_) => {}
        }
        if !caps.seccomp {
            missing.push(Lack::Seccomp);
        }
        if !missing.is_empty() {
            return Err(Refusal::Lacks(missing));
        }
    }
    Ok(plan)
}

/// What confinement held, as reports show it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Status {
    /// The mode asked for: `required`, `best-effort` or `off`.
    pub mode: String,
    /// `landlock vN`, or `open`.
    pub filesystem: String,
    /// `denied` or `open`.
    pub network: String,
    /// Signals and abstract UNIX sockets out of the case: `scoped` or `open`.
    pub signals: String,
    /// The uid cases run as, when not the checker's.
    pub user: Option<u32>,
    /// The build of the code under test: `confined` or `open`.
    pub build: String,
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "filesystem: {}, network: {}, signals: {}, user: {}, build: {} (--sandbox {})",
            self.filesystem,
            self.network,
            self.signals,
            self.user
                .map_or_else(|| "the checker's".to_string(), |u| u.to_string()),
            self.build,
            self.mode
        )
    }
}

/// The sandbox of one grading run: its plan, and the private folder where, when cases run as
/// another user, runner copies and scratch directories live (readable by that user).
#[derive(Debug)]
pub struct Sandbox {
    plan: Plan,
    mode: Mode,
    run_dir: Option<imp::RunDir>,
    /// Runners copied into `run_dir`: (the original's path joined with its mtime, the copy).
    copies: std::sync::Mutex<Vec<(PathBuf, PathBuf)>>,
}

/// What a build may touch besides the toolchain: the workspace minus what it must not read.
#[derive(Debug, Clone)]
pub struct BuildAccess {
    /// The workspace root.
    pub root: PathBuf,
    /// Folders of the workspace it must not read (spec directories, `solutions/`, `.git`),
    /// besides spec directories elsewhere, which are simply not allowed.
    pub hidden: Vec<PathBuf>,
    /// cargo's target directory: the only place it writes.
    pub target: PathBuf,
}

impl Sandbox {
    /// A sandbox that applies `plan`, as `mode` decided.
    ///
    /// # Errors
    /// The private folder for another user cannot be made.
    pub fn new(plan: Plan, mode: Mode) -> io::Result<Self> {
        // When cases run as another user, for the runner copies and scratch folders it must
        // reach; otherwise for the scratch folders all the same, so that a case server may be
        // confined to it (`supervise::served`).
        let run_dir = if plan.user.is_some() || plan.landlock.is_some() {
            Some(imp::run_dir()?)
        } else {
            None
        };
        Ok(Self {
            plan,
            mode,
            run_dir,
            copies: std::sync::Mutex::new(Vec::new()),
        })
    }

    /// No sandbox at all (instructors' tools on trusted code: bench, validate).
    pub fn off() -> Self {
        Self {
            plan: Plan::OFF,
            mode: Mode::Off,
            run_dir: None,
            copies: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// What holds, for reports.
    pub fn status(&self) -> Status {
        self.plan.status(self.mode)
    }

    /// The folder that holds every case's scratch folder: this run's own where the sandbox
    /// has Landlock (what a case server may write; each of its children only its own scratch
    /// folder there), the system's temporary folder otherwise.
    pub fn scratch_root(&self) -> PathBuf {
        self.run_dir
            .as_ref()
            .map_or_else(std::env::temp_dir, |dir| dir.path().to_path_buf())
    }

    /// Whether Landlock keeps a case's signals (and abstract UNIX sockets) inside it (ABI 6).
    pub fn scopes_signals(&self) -> bool {
        self.plan.landlock.is_some_and(|abi| abi >= 6)
    }

    /// Whether a case's process confines itself to its scratch folder with a Landlock domain
    /// of its own (a case forked by a case server), with the signal and abstract-socket scopes
    /// where the kernel has them (ABI 6).
    pub fn cases_confine_themselves(&self) -> bool {
        self.plan.landlock.is_some()
    }

    /// A new empty scratch directory for one case, which the case's user owns.
    ///
    /// # Errors
    /// It cannot be made.
    pub fn scratch(&self) -> io::Result<tempfile::TempDir> {
        let dir = match &self.run_dir {
            Some(run) => tempfile::tempdir_in(run.path())?,
            None => tempfile::tempdir()?,
        };
        if let Some(user) = self.plan.user {
            imp::give_to(dir.path(), user)?;
        }
        Ok(dir)
    }

    /// The command that runs `program` (a runner) as a case, and what confines it to
    /// `program`, the system libraries and `scratch`; the caller adds the runner's arguments,
    /// and [`crate::os::spawn`] applies the confinement in the child, last before exec.
    ///
    /// # Errors
    /// The runner cannot be copied where the case's user can run it, or the confinement
    /// cannot be built (a Landlock or seccomp error).
    pub fn case_command(
        &self,
        program: &Path,
        scratch: &Path,
    ) -> io::Result<(Command, Confinement)> {
        if !self.plan.active() {
            return Ok((Command::new(program), Confinement::NONE));
        }
        let program = self.reachable(program)?;
        let (command, confinement) = imp::case_command(&self.plan, &program, scratch)?;
        Ok((command, Confinement(Some(confinement))))
    }

    /// The command that runs `cargo` for a build, confined as [`BuildAccess`] says (in the
    /// child, between fork and exec); the caller adds cargo's arguments (`--offline` among
    /// them when [`Sandbox::build_offline`]).
    ///
    /// # Errors
    /// The confinement cannot be built (a Landlock or seccomp error).
    pub fn build_command(&self, cargo: &OsString, access: &BuildAccess) -> io::Result<Command> {
        match self.plan.landlock {
            Some(_) => imp::build_command(&self.plan, cargo, access),
            None => Ok(Command::new(cargo)),
        }
    }

    /// Whether a case's process is confined by Landlock, so that its runner can confine the
    /// thread that runs the call further ([`asynclings_runner::protocol::CaseRequest::confine_call`]).
    pub fn confines_calls(&self) -> bool {
        self.plan.landlock.is_some()
    }

    /// Whether builds have no network, and so must find their dependencies fetched.
    pub fn build_offline(&self) -> bool {
        self.plan.landlock.is_some()
    }

    /// `program`, or a copy of it that the case's user can reach and run.
    fn reachable(&self, program: &Path) -> io::Result<PathBuf> {
        let (Some(run), Some(_)) = (&self.run_dir, self.plan.user) else {
            return Ok(program.to_path_buf());
        };
        let mut copies = self.copies.lock().unwrap_or_else(|e| e.into_inner());
        // A runner rebuilt in place (`watch`) is copied again: the key holds its mtime.
        let modified = std::fs::metadata(program)?.modified()?;
        let key = program.join(format!("{modified:?}"));
        if let Some((_, copy)) = copies.iter().find(|(from, _)| *from == key) {
            return Ok(copy.clone());
        }
        let dir = run.path().join(format!("runner-{}", copies.len()));
        std::fs::create_dir(&dir)?;
        let copy = dir.join(program.file_name().unwrap_or("runner".as_ref()));
        std::fs::copy(program, &copy)?;
        imp::make_public(&dir, &copy)?;
        copies.push((key, copy.clone()));
        Ok(copy)
    }
}

/// What confines one case's process ([`Sandbox::case_command`]), built in the checker and
/// applied in the child between fork and exec, after everything else set up there:
/// [`crate::os::spawn`] registers it last. [`Confinement::NONE`] applies nothing.
#[derive(Debug)]
pub struct Confinement(
    // Read by `register`, which only Unix has; off Linux it is always `None`.
    #[cfg_attr(not(unix), allow(dead_code))] Option<imp::Confinement>,
);

impl Confinement {
    /// Nothing to apply.
    pub const NONE: Confinement = Confinement(None);

    /// Makes the child `command` starts apply it, after the `pre_exec` steps registered
    /// before this call.
    #[cfg(unix)]
    pub fn register(self, command: &mut Command) {
        if let Some(confinement) = self.0 {
            confinement.register(command);
        }
    }
}

#[cfg(target_os = "linux")]
use super::sandbox_linux as imp;

/// Off Linux: no sandbox; the portable parts above say so ([`Capabilities::sandbox`] false).
#[cfg(not(target_os = "linux"))]
mod imp {
    use super::{BuildAccess, Capabilities, Plan};
    use std::ffi::OsString;
    use std::io;
    use std::path::Path;

    /// Never made: nothing confines a process here.
    #[derive(Debug)]
    pub enum Confinement {}

    impl Confinement {
        #[cfg(unix)]
        pub fn register(self, _command: &mut std::process::Command) {
            match self {}
        }
    }

    pub fn probe() -> Capabilities {
        Capabilities::default()
    }

    fn unsupported() -> io::Error {
        io::Error::new(io::ErrorKind::Unsupported, "no sandbox on this OS")
    }

    /// Never made: no plan has a user or Landlock here.
    #[derive(Debug)]
    pub enum RunDir {}

    impl RunDir {
        pub fn path(&self) -> &Path {
            match *self {}
        }
    }

    pub fn run_dir() -> io::Result<RunDir> {
        Err(unsupported())
    }

    pub fn give_to(_path: &Path, _user: (u32, u32)) -> io::Result<()> {
        Err(unsupported())
    }

    pub fn make_public(_dir: &Path, _file: &Path) -> io::Result<()> {
        Err(unsupported())
    }

    pub fn case_command(
        _plan: &Plan,
        _program: &Path,
        _scratch: &Path,
    ) -> io::Result<(std::process::Command, Confinement)> {
        Err(unsupported())
    }

    pub fn build_command(
        _plan: &Plan,
        _cargo: &OsString,
        _access: &BuildAccess,
    ) -> io::Result<std::process::Command> {
        Err(unsupported())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINUX_7: Capabilities = Capabilities {
        landlock_abi: Some(7),
        seccomp: true,
        root: false,
        sandbox: true,
    };

    #[test]
    fn required_refuses_without_landlock_and_says_what_is_missing() {
        let caps = Capabilities {
            landlock_abi: None,
            ..LINUX_7
        };
        let error = decide(Mode::Required, &caps, DEFAULT_USER).expect_err("refused");
        assert_eq!(error, Refusal::Lacks(vec![Lack::Landlock]));
        let error = error.to_string();
        assert!(error.contains("Landlock"), "{error}");
        assert!(error.contains("nothing was graded"), "{error}");
    }

    #[test]
    fn required_refuses_an_old_landlock_and_a_missing_seccomp() {
        let old = Capabilities {
            landlock_abi: Some(3),
            seccomp: false,
            ..LINUX_7
        };
        let error = decide(Mode::Required, &old, DEFAULT_USER).expect_err("refused");
        assert_eq!(
            error,
            Refusal::Lacks(vec![Lack::LandlockAbi(3), Lack::Seccomp])
        );
        let error = error.to_string();
        assert!(
            error.contains("ABI 6") && error.contains("ABI 3") && error.contains(" and "),
            "{error}"
        );
        assert!(error.contains("seccomp"), "{error}");
    }

    #[test]
    fn required_refuses_off_linux() {
        let error =
            decide(Mode::Required, &Capabilities::default(), DEFAULT_USER).expect_err("refused");
        assert_eq!(error, Refusal::NoSandbox);
        assert!(error.to_string().contains("no sandbox"), "{error}");
    }

    #[test]
    fn best_effort_takes_what_there_is() {
        let old = Capabilities {
            landlock_abi: Some(3),
            seccomp: true,
            root: true,
            sandbox: true,
        };
        let plan = decide(Mode::BestEffort, &old, DEFAULT_USER).expect("a plan");
        assert_eq!(plan.landlock, Some(3));
        assert_eq!(plan.user, Some(DEFAULT_USER));
        let status = plan.status(Mode::BestEffort);
        assert_eq!(status.network, "denied");
        assert_eq!(status.signals, "open");
        assert_eq!(
            decide(Mode::BestEffort, &Capabilities::default(), DEFAULT_USER),
            Ok(Plan::OFF)
        );
    }

    #[test]
    fn off_applies_nothing_even_where_everything_is_there() {
        let plan = decide(Mode::Off, &LINUX_7, DEFAULT_USER).expect("a plan");
        assert!(!plan.active());
        assert_eq!(plan.status(Mode::Off).filesystem, "open");
    }

    #[test]
    fn the_full_sandbox_reads_as_the_issue_says() {
        let caps = Capabilities {
            root: true,
            ..LINUX_7
        };
        let plan = decide(Mode::Required, &caps, DEFAULT_USER).expect("a plan");
        assert_eq!(
            plan.status(Mode::Required).to_string(),
            "filesystem: landlock v7, network: denied, signals: scoped, user: 65534, build: confined (--sandbox required)"
        );
    }

    #[test]
    fn private_specs_make_required_the_default_where_there_is_a_sandbox() {
        assert_eq!(default_mode(true, &LINUX_7), Mode::Required);
        assert_eq!(default_mode(false, &LINUX_7), Mode::BestEffort);
        assert_eq!(
            default_mode(true, &Capabilities::default()),
            Mode::BestEffort
        );
    }
}
