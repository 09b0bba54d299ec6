//! A grading run's own folder in the system's temporary folder (`TMP/asynclings-sandbox-*`):
//! its runner copies and its cases' scratch folders, removed when the run ends.
//!
//! A run that does not end by itself (SIGKILL, a second Ctrl-C, a CI job cancelled) cannot
//! remove it: the runner copies alone are about 12 MiB each, and the scratch folders hold
//! whatever its cases wrote, up to their disk budget. So each run holds an exclusive `flock`
//! on its folder's `.owner` file for as long as it lives, and the kernel releases it when the
//! process ends, however it ends. Every new run removes the folders of its own user whose
//! lock it can take, that is whose run is gone.
//!
//! A folder younger than [`GRACE`] is never removed: its run may not have taken its lock yet.
//! A folder without an `.owner` file (one left by a checker that had none) is removed once it
//! is older than that too.

use std::fs::File;
use std::io;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::time::{Duration, SystemTime};

use rustix::fs::FlockOperation;

/// Names of run folders start with this.
const PREFIX: &str = "asynclings-sandbox-";

/// The file of a run folder whose lock says its run is alive.
const OWNER: &str = ".owner";

/// How old a run folder must be before another run may remove it.
const GRACE: Duration = Duration::from_secs(60);

/// A run's own folder, removed on drop; its lock is held until then.
#[derive(Debug)]
pub struct RunDir {
    // Dropped first (fields drop in order): the folder goes while the lock is still held.
    dir: tempfile::TempDir,
    _owner: File,
}

impl RunDir {
    /// Its path.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// Makes a new run folder in the system's temporary folder, mode 0711 (another user can pass
/// through it to what it is given, not list it), locked as this run's; first removes the
/// run folders left by this user's runs that are gone (what cannot be removed is left).
///
/// # Errors
/// The folder or its lock file cannot be made, or the lock cannot be taken.
pub fn create() -> io::Result<RunDir> {
    let temp = std::env::temp_dir();
    sweep(&temp, SystemTime::now());
    create_in(&temp)
}

fn create_in(parent: &Path) -> io::Result<RunDir> {
    let dir = tempfile::Builder::new().prefix(PREFIX).tempdir_in(parent)?;
    let owner = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(dir.path().join(OWNER))?;
    rustix::fs::flock(&owner, FlockOperation::NonBlockingLockExclusive)?;
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o711))?;
    Ok(RunDir { dir, _owner: owner })
}

/// Removes the run folders in `parent` that this user owns, that are older than [`GRACE`] at
/// `now`, and whose run is gone (their lock can be taken, or they have none). Returns how
/// many it removed.
fn sweep(parent: &Path, now: SystemTime) -> usize {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return 0;
    };
    let me = rustix::process::geteuid().as_raw();
    let mut removed = 0;
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with(PREFIX) {
            continue;
        }
        let path = entry.path();
        // Not following a link: a link named like a run folder is not one.
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let young = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_none_or(|age| age < GRACE);
        if !meta.is_dir() || meta.uid() != me || young {
            continue;
        }
        // Held while the folder is removed, so that no other run's sweep counts it as well.
        let owner = match std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW)
            .open(path.join(OWNER))
        {
            Ok(owner) => Some(owner),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(_) => continue,
        };
        if let Some(owner) = &owner
            && rustix::fs::flock(owner, FlockOperation::NonBlockingLockExclusive).is_err()
        {
            continue; // Its run is alive.
        }
        if super::super::scratch::remove(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn later() -> SystemTime {
        SystemTime::now() + GRACE + Duration::from_secs(1)
    }

    #[test]
    fn a_live_run_s_folder_stays_and_a_gone_one_s_goes_with_what_it_held() {
        let parent = tempfile::tempdir().unwrap();
        let live = create_in(parent.path()).unwrap();
        let gone = create_in(parent.path()).unwrap();
        let gone_path = gone.path().to_path_buf();
        // A run killed: its folder stays, its lock is released.
        let RunDir { dir, _owner } = gone;
        let kept = dir.keep();
        assert_eq!(kept, gone_path);
        drop(_owner);
        // What a case left there, closed to its owner.
        let scratch = kept.join("scratch");
        std::fs::create_dir_all(scratch.join("deep")).unwrap();
        std::fs::write(scratch.join("deep/file"), b"x").unwrap();
        std::fs::set_permissions(&scratch, std::fs::Permissions::from_mode(0o000)).unwrap();

        assert_eq!(sweep(parent.path(), later()), 1);
        assert!(!kept.exists());
        assert!(live.path().join(OWNER).is_file());
    }

    #[test]
    fn a_young_folder_is_left_even_without_its_lock() {
        let parent = tempfile::tempdir().unwrap();
        let young = parent.path().join(format!("{PREFIX}young"));
        std::fs::create_dir(&young).unwrap();
        assert_eq!(sweep(parent.path(), SystemTime::now()), 0);
        assert!(young.is_dir());
        // Once older than the grace, a folder without a lock (an older checker's) goes.
        assert_eq!(sweep(parent.path(), later()), 1);
        assert!(!young.exists());
    }

    #[test]
    fn only_run_folders_are_swept_and_links_are_not_followed() {
        let parent = tempfile::tempdir().unwrap();
        let other = parent.path().join("someone-else");
        std::fs::create_dir(&other).unwrap();
        let target = tempfile::tempdir().unwrap();
        std::fs::write(target.path().join("keep"), b"x").unwrap();
        std::os::unix::fs::symlink(target.path(), parent.path().join(format!("{PREFIX}link")))
            .unwrap();
        assert_eq!(sweep(parent.path(), later()), 0);
        assert!(other.is_dir());
        assert!(target.path().join("keep").is_file());
    }
}
