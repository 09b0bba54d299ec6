//! Copies of the workspace for the tests that change it or build it: a few slots at fixed
//! paths (`TMP/asynclings-test-copies-HASH/slot-K/ws`, HASH of the workspace's path), each with
//! a cargo target directory of its own (`.../slot-K/target`), taken by one test at a time and
//! brought back to the course file by file when taken
//! ([`checker::mirror::sync_dir`], as `grade-many` keeps its workers' copies).
//!
//! The slots are outside the workspace, as fresh copies in `/tmp` were: under its `target/`,
//! git run in a copy that has no repository of its own (`checker reset`'s test of that case)
//! would find the workspace's, and a test's `git add -A` there would stage the workspace.
//!
//! Why not a fresh copy per test in one shared target directory, as before: cargo names a
//! workspace member's artifacts by its path relative to the workspace root, so copies at
//! different paths took turns over the same artifacts, and every fresh copy's files are newer
//! than any build: each test rebuilt the runner and the lesson crates, queued on cargo's lock
//! behind the other tests' rebuilds (a test that takes 16 s alone took 110 s in the suite).
//! In a slot, the files a test did not change keep their times, so cargo rebuilds only what
//! the last test of that slot changed; and a slot's target directory only ever built that
//! slot's path, whose files change time whenever their bytes change, so nothing stale is
//! reused.
//!
//! A slot is held through a `flock` on its lock file, released when the copy drops (or its
//! process ends): the tests of this binary that run in processes of their own
//! ([`super::alone`]) take slots too.
//!
//! Every target directory the tests make starts as a copy of one **seed** ([`seeded`]): the
//! course's runner built once, as the checker builds it, so that the registry's crates (tokio,
//! syn, rand...: 84 units, a minute of CPU) are compiled once per checkout, not once per slot
//! and per test folder. Cargo reuses a registry crate's artifacts from any target directory
//! (their fingerprints do not hold the workspace's path); the workspace's own crates are
//! rebuilt in each, as their files are newer than the seed's build.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::root;

/// Slots: the suite's two test threads, a test that holds two copies at once, and one more,
/// so that a slot is free whenever a test asks (each slot's target directory is a build of the
/// course's dependencies: a few hundred MB).
const SLOTS: usize = 4;

/// A copy of the workspace in a slot, the course's as it is now; the slot is the holder's
/// until it drops.
#[derive(Debug)]
pub struct WorkspaceCopy {
    ws: PathBuf,
    _lock: File,
}

impl WorkspaceCopy {
    /// The copy's root.
    pub fn path(&self) -> &Path {
        &self.ws
    }
}

/// Takes a free slot (waiting for one when all are taken) and brings its copy back to the
/// course: files the last test changed are rewritten, files it added go, the rest is left as
/// it was, times included.
pub fn copy_workspace() -> WorkspaceCopy {
    let slots = slots();
    loop {
        for k in 0..SLOTS {
            let slot = slots.join(format!("slot-{k}"));
            let lock = lock_file(&slot);
            if lock.try_lock().is_ok() {
                seeded(slot.join("target"));
                let ws = slot.join("ws");
                // `sync_dir` leaves a `.git` alone, as grading workspaces keep theirs; a copy
                // has none (a test that made one, to commit stubs, leaves it here).
                let git = ws.join(".git");
                match std::fs::symlink_metadata(&git) {
                    Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(&git),
                    Ok(_) => std::fs::remove_file(&git),
                    Err(_) => Ok(()),
                }
                .expect("the last test's .git removed");
                checker::mirror::sync_dir(&root(), &ws)
                    .unwrap_or_else(|e| panic!("cannot bring {} back: {e:#}", ws.display()));
                return WorkspaceCopy { ws, _lock: lock };
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The lock file of the folder `dir` (a slot, the seed), the folder made first when missing.
fn lock_file(dir: &Path) -> File {
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("cannot make {}: {e}", dir.display()));
    File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join("lock"))
        .unwrap_or_else(|e| panic!("cannot open {}/lock: {e}", dir.display()))
}

/// Names of slot folders start with this.
const PREFIX: &str = "asynclings-test-copies-";

/// The folder of the slots: in the system's temporary folder, one per workspace (its path
/// hashed, and written in its `root` file), so that two checkouts do not share slots. The
/// first call of a process also removes the slot folders of workspaces that are gone (a CI
/// runner's earlier clones), as they would otherwise stay in `/tmp` with their builds.
fn slots() -> PathBuf {
    use std::hash::{Hash, Hasher};
    static SLOTS: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    SLOTS
        .get_or_init(|| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            root().hash(&mut hasher);
            let temp = std::env::temp_dir();
            remove_slots_of_gone_workspaces(&temp);
            let slots = temp.join(format!("{PREFIX}{:016x}", hasher.finish()));
            std::fs::create_dir_all(&slots).expect("the slots' folder");
            std::fs::write(slots.join("root"), root().as_os_str().as_encoded_bytes())
                .expect("the slots' root file");
            slots
        })
        .clone()
}

/// Removes the slot folders in `temp` whose workspace (their `root` file) no longer exists and
/// none of whose slots is held.
fn remove_slots_of_gone_workspaces(temp: &Path) {
    let Ok(entries) = std::fs::read_dir(temp) else {
        return;
    };
    for entry in entries.flatten() {
        let dir = entry.path();
        if !entry.file_name().to_string_lossy().starts_with(PREFIX) || !dir.is_dir() {
            continue;
        }
        let Ok(root) = std::fs::read_to_string(dir.join("root")) else {
            continue;
        };
        if Path::new(&root).exists() {
            continue;
        }
        // Held while the folder goes, so that no test of another process takes a slot there.
        let locks: Option<Vec<File>> = (0..SLOTS)
            .map(|k| dir.join(format!("slot-{k}/lock")))
            .filter(|lock| lock.is_file())
            .map(|lock| {
                let file = File::options().write(true).open(lock).ok()?;
                file.try_lock().ok().map(|()| file)
            })
            .collect();
        if locks.is_some() {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

/// The cargo target directory for builds of the workspace copy at `ws`: its slot's own, or,
/// for a copy that is not in a slot, one shared directory apart from the real workspace's.
pub fn target_of(ws: &Path) -> PathBuf {
    match ws.parent() {
        Some(slot) if ws.ends_with("ws") && slot.join("lock").is_file() => slot.join("target"),
        _ => seeded(root().join("target/workspace-copies")),
    }
}

/// `target`, first made a copy of the seed when it does not exist: a cargo target directory
/// with the course's dependencies built. For every target directory a test hands the checker,
/// cargo or a script (`CARGO_TARGET_DIR`), or where `grade-many` will build
/// (`WORK/worker-1/target`). Panics when the seed cannot be built or copied.
pub fn seeded(target: PathBuf) -> PathBuf {
    if !target.exists() {
        let seed = seed();
        // Copied beside, under a name of this call's own (two tests may seed one folder at
        // once), then renamed: a test that sees `target` sees a whole copy.
        static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let partial = target.with_extension(format!("seeding-{}-{call}", std::process::id()));
        checker::mirror::copy_tree(&seed, &partial)
            .unwrap_or_else(|e| panic!("cannot copy the seed to {}: {e:#}", partial.display()));
        if std::fs::rename(&partial, &target).is_err() {
            // Another process seeded it first.
            let _ = std::fs::remove_dir_all(&partial);
        }
    }
    target
}

/// The seed's target directory (`SLOTS/seed/target`), brought up to date once per process:
/// its copy of the course (`SLOTS/seed/ws`) brought back to the course file by file, and the
/// `solutions` runner built there as the checker builds a runner (its cargo arguments, its
/// `RUSTFLAGS`; `exercises` and `corpus` have the same dependencies). Held under a lock across
/// processes while it builds.
fn seed() -> PathBuf {
    static SEED: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    SEED.get_or_init(|| {
        let dir = slots().join("seed");
        let lock = lock_file(&dir);
        lock.lock().expect("the seed's lock");
        let (ws, target) = (dir.join("ws"), dir.join("target"));
        checker::mirror::sync_dir(&root(), &ws)
            .unwrap_or_else(|e| panic!("cannot bring {} back: {e:#}", ws.display()));
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = std::process::Command::new(cargo)
            .current_dir(&ws)
            .args([
                "build",
                "--package",
                "solutions",
                "--bin",
                "solutions-runner",
            ])
            .args(["--features", "asynclings-runner/timeline", "--quiet"])
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTFLAGS", checker::seed::rustflags())
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env(checker::cargo_build::STUB_ENV, "")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("cargo runs");
        assert!(
            output.status.success(),
            "the seed of the tests' target directories does not build in {}:\n{}",
            ws.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        target
    })
    .clone()
}
