//! A case's scratch folder on disk: how much it holds ([`measure`]), and its removal whatever
//! the case did to it ([`remove`]).
//!
//! Both work relative to open folders (`openat`, `unlinkat`, `renameat` on Unix), never
//! through whole paths, so that a tree deeper than `PATH_MAX` is still measured and removed;
//! and both open a folder the case closed (mode 000) after giving it back to its owner
//! (`chmod 700`): the checker owns the case's files when it runs as the case's user, and root
//! may change any file's mode. Removal never recurses: each folder's subfolders are moved up
//! to the top of the scratch folder and removed in a later pass, so it holds two descriptors
//! at most, whatever the depth.

use std::collections::HashSet;
use std::io;
use std::path::Path;

/// What a scratch folder holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Bytes of disk allocated to its files and folders (blocks, not lengths: a sparse file
    /// costs what it has written, a preallocated one all it reserved); a file with several
    /// links counts once.
    pub bytes: u64,
    /// Files, folders and links in it.
    pub entries: u64,
    /// Folders inside folders, deepest.
    pub depth: u64,
}

/// The most a scratch folder may hold; [`measure`] stops counting past any of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Bytes of disk.
    pub bytes: u64,
    /// Entries.
    pub entries: u64,
    /// Depth of folders.
    pub depth: u64,
}

impl Usage {
    /// Whether it is over any part of `budget`.
    pub fn over(&self, budget: &Budget) -> bool {
        self.bytes > budget.bytes || self.entries > budget.entries || self.depth > budget.depth
    }
}

/// How many times [`measure`] walks a folder that changes under it.
const WALKS: usize = 4;

/// What `dir` holds, counted until it is over `budget` (then the count stops, over it).
/// `seen` holds the (device, inode) of files already counted elsewhere (a case's open files),
/// and gets every file counted here.
///
/// The case may still be running: an entry listed and gone before it could be examined (a
/// file created and deleted, a name renamed, a folder swapped for a file) is skipped, and the
/// folder walked again, up to four times; the most any walk counted is the answer. (A file
/// deleted but still open is counted by the caller among the case's open files; a file that
/// keeps changing its name is missed by a walk only when its rename falls between that walk's
/// listing and its look, so by all of them seldom, and by every check of a case never.)
///
/// # Errors
/// A folder that cannot be opened even after its mode was given back, or an entry that cannot
/// be examined for another reason than its going (the caller treats the folder as over
/// budget: what cannot be measured cannot be allowed).
pub fn measure(dir: &Path, budget: &Budget, seen: &mut HashSet<(u64, u64)>) -> io::Result<Usage> {
    let mut most: Option<(Usage, HashSet<(u64, u64)>)> = None;
    for _ in 0..WALKS {
        let mut counted = seen.clone();
        let walk = imp::measure(dir, budget, &mut counted)?;
        let steady = !walk.changed;
        let usage = walk.usage;
        if most.as_ref().is_none_or(|(m, _)| usage.bytes >= m.bytes) {
            let entries = most.as_ref().map_or(0, |(m, _)| m.entries);
            let depth = most.as_ref().map_or(0, |(m, _)| m.depth);
            most = Some((
                Usage {
                    entries: usage.entries.max(entries),
                    depth: usage.depth.max(depth),
                    ..usage
                },
                counted,
            ));
        } else if let Some((m, _)) = most.as_mut() {
            m.entries = m.entries.max(usage.entries);
            m.depth = m.depth.max(usage.depth);
        }
        if steady || usage.over(budget) {
            break;
        }
    }
    let (usage, counted) = most.unwrap_or_default();
    *seen = counted;
    Ok(usage)
}

/// One walk of a folder: what it counted, and whether an entry went during it.
#[derive(Debug, Default)]
struct Walked {
    usage: Usage,
    changed: bool,
}

/// Removes `dir` and everything in it, whatever the modes of its folders and files.
///
/// # Errors
/// Something in it could not be removed; what was removed stays removed.
pub fn remove(dir: &Path) -> io::Result<()> {
    imp::remove(dir)
}

/// Bytes of disk a file holds, when the OS says (`st_blocks` on Unix), and its identity.
pub fn allocated(file: &std::fs::File) -> Option<(u64, (u64, u64))> {
    imp::allocated(file)
}

#[cfg(unix)]
mod imp {
    use std::collections::HashSet;
    use std::ffi::{CStr, CString};
    use std::io;
    use std::os::fd::{AsFd, OwnedFd};
    use std::path::Path;

    use rustix::fs::{AtFlags, CWD, Dir, FileType, Mode, OFlags};

    use super::{Budget, Walked};

    /// Opens folder `name` of `parent` (not following a link), giving it back its mode
    /// (rwx for its owner) when it is closed.
    fn open_dir(parent: impl AsFd, name: &CStr) -> io::Result<OwnedFd> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        match rustix::fs::openat(&parent, name, flags, Mode::empty()) {
            Err(rustix::io::Errno::ACCESS) => {
                rustix::fs::chmodat(&parent, name, Mode::RWXU, AtFlags::empty())?;
                Ok(rustix::fs::openat(&parent, name, flags, Mode::empty())?)
            }
            other => Ok(other?),
        }
    }

    fn c_path(path: &Path) -> io::Result<CString> {
        use std::os::unix::ffi::OsStrExt;
        CString::new(path.as_os_str().as_bytes()).map_err(io::Error::other)
    }

    /// The names in folder `dir`, but `.` and `..`.
    fn names(dir: &OwnedFd) -> io::Result<Vec<(CString, FileType)>> {
        let mut names = Vec::new();
        for entry in Dir::read_from(dir)? {
            let entry = entry?;
            let name = entry.file_name();
            if name == c"." || name == c".." {
                continue;
            }
            names.push((name.to_owned(), entry.file_type()));
        }
        Ok(names)
    }

    /// Whether `error`, met on an entry just listed, says the entry went or changed kind
    /// (gone, no longer a folder, now a link) rather than that it cannot be read.
    fn changed(error: rustix::io::Errno) -> bool {
        use rustix::io::Errno;
        error == Errno::NOENT || error == Errno::NOTDIR || error == Errno::LOOP
    }

    /// What `result`, of a look at an entry just listed, says: its value, `None` if the
    /// entry went meanwhile (and `went` is then set), or the error that ends the walk.
    fn looked<T>(result: io::Result<T>, went: &mut bool) -> io::Result<Option<T>> {
        match result {
            Ok(value) => Ok(Some(value)),
            Err(e)
                if e.raw_os_error()
                    .is_some_and(|raw| changed(rustix::io::Errno::from_raw_os_error(raw))) =>
            {
                *went = true;
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    pub fn measure(
        dir: &Path,
        budget: &Budget,
        seen: &mut HashSet<(u64, u64)>,
    ) -> io::Result<Walked> {
        let mut walk = Walked::default();
        let usage = &mut walk.usage;
        // Depth first, one open folder per level: the walk stops past the depth budget, so it
        // holds at most that many descriptors.
        let mut stack = vec![(open_dir(CWD, &c_path(dir)?)?, 0u64)];
        while let Some((folder, depth)) = stack.pop() {
            for (name, _) in names(&folder)? {
                let look = rustix::fs::statat(&folder, &name, AtFlags::SYMLINK_NOFOLLOW);
                let Some(stat) = looked(look.map_err(io::Error::from), &mut walk.changed)? else {
                    continue;
                };
                usage.entries += 1;
                // The types of these fields differ between Unixes (macOS's `st_dev` is i32).
                #[allow(clippy::unnecessary_cast)]
                let id = (stat.st_dev as u64, stat.st_ino as u64);
                if stat.st_nlink <= 1 || seen.insert(id) {
                    usage.bytes += stat.st_blocks as u64 * 512;
                }
                if FileType::from_raw_mode(stat.st_mode as _) == FileType::Directory {
                    usage.depth = usage.depth.max(depth + 1);
                    if usage.over(budget) {
                        return Ok(walk);
                    }
                    if let Some(inner) = looked(open_dir(&folder, &name), &mut walk.changed)? {
                        stack.push((inner, depth + 1));
                    }
                }
                if usage.over(budget) {
                    return Ok(walk);
                }
            }
        }
        Ok(walk)
    }

    pub fn remove(dir: &Path) -> io::Result<()> {
        let path = c_path(dir)?;
        // Writable again, should the case have closed it, so that its entries can go.
        let _ = rustix::fs::chmodat(CWD, &path, Mode::RWXU, AtFlags::empty());
        let top = match open_dir(CWD, &path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            other => other?,
        };
        let mut moved = 0u64;
        loop {
            let entries = names(&top)?;
            if entries.is_empty() {
                break;
            }
            let mut removed_any = false;
            let mut last_error = None;
            for (name, kind) in entries {
                let done = if kind == FileType::Directory {
                    empty_one_level(&top, &name, &mut moved)
                        .and_then(|()| Ok(rustix::fs::unlinkat(&top, &name, AtFlags::REMOVEDIR)?))
                } else {
                    // Unknown types are tried as files, then as folders.
                    rustix::fs::unlinkat(&top, &name, AtFlags::empty()).or_else(|e| {
                        if e == rustix::io::Errno::ISDIR || e == rustix::io::Errno::PERM {
                            empty_one_level(&top, &name, &mut moved)?;
                            Ok(rustix::fs::unlinkat(&top, &name, AtFlags::REMOVEDIR)?)
                        } else {
                            Err(io::Error::from(e))
                        }
                    })
                };
                match done {
                    Ok(()) => removed_any = true,
                    // A folder whose subfolders were moved up is removed in the next pass.
                    Err(e)
                        if e.raw_os_error() == Some(rustix::io::Errno::NOTEMPTY.raw_os_error()) =>
                    {
                        removed_any = true;
                    }
                    Err(e) => last_error = Some(e),
                }
            }
            if !removed_any {
                return Err(
                    last_error.unwrap_or_else(|| io::Error::other("nothing could be removed"))
                );
            }
        }
        drop(top);
        Ok(rustix::fs::unlinkat(CWD, &path, AtFlags::REMOVEDIR)?)
    }

    /// Removes the files of folder `name` of `top` and moves its folders up into `top` (with
    /// new names), so that it is empty but for what was moved.
    fn empty_one_level(top: &OwnedFd, name: &CStr, moved: &mut u64) -> io::Result<()> {
        let folder = open_dir(top, name)?;
        // Its entries may be removed only if it is writable: give it back its mode.
        rustix::fs::chmodat(top, name, Mode::RWXU, AtFlags::empty())?;
        for (entry, kind) in names(&folder)? {
            let file = kind != FileType::Directory
                && rustix::fs::unlinkat(&folder, &entry, AtFlags::empty()).is_ok();
            if !file {
                *moved += 1;
                let new = CString::new(format!(".asynclings-removing-{moved}"))
                    .map_err(io::Error::other)?;
                rustix::fs::renameat(&folder, &entry, top, &new)?;
            }
        }
        Ok(())
    }

    pub fn allocated(file: &std::fs::File) -> Option<(u64, (u64, u64))> {
        let stat = rustix::fs::fstat(file).ok()?;
        Some((
            stat.st_blocks as u64 * 512,
            (stat.st_dev as u64, stat.st_ino as u64),
        ))
    }
}

#[cfg(windows)]
mod imp {
    use std::collections::HashSet;
    use std::io;
    use std::path::Path;

    use super::{Budget, Walked};

    /// What `result`, of a look at an entry just listed, says: its value, `None` if the
    /// entry went meanwhile (and `changed` is then set), or the error that ends the walk.
    fn looked<T>(result: io::Result<T>, changed: &mut bool) -> io::Result<Option<T>> {
        match result {
            Ok(value) => Ok(Some(value)),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) =>
            {
                *changed = true;
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    pub fn measure(
        dir: &Path,
        budget: &Budget,
        _seen: &mut HashSet<(u64, u64)>,
    ) -> io::Result<Walked> {
        let mut walk = Walked::default();
        let usage = &mut walk.usage;
        let mut stack = vec![(dir.to_path_buf(), 0u64)];
        while let Some((folder, depth)) = stack.pop() {
            let listing = if depth == 0 {
                std::fs::read_dir(&folder)?
            } else {
                match looked(std::fs::read_dir(&folder), &mut walk.changed)? {
                    Some(listing) => listing,
                    None => continue,
                }
            };
            for entry in listing {
                let entry = entry?;
                let Some(meta) = looked(entry.metadata(), &mut walk.changed)? else {
                    continue;
                };
                usage.entries += 1;
                // Windows says no block count here: the length is what a file holds.
                usage.bytes += meta.len();
                if meta.is_dir() {
                    usage.depth = usage.depth.max(depth + 1);
                    stack.push((entry.path(), depth + 1));
                }
                if usage.over(budget) {
                    return Ok(walk);
                }
            }
        }
        Ok(walk)
    }

    pub fn remove(dir: &Path) -> io::Result<()> {
        // Read-only files cannot be deleted on Windows: make everything writable first.
        let mut stack = vec![dir.to_path_buf()];
        while let Some(folder) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&folder) else {
                continue;
            };
            for entry in entries.flatten() {
                if let Ok(meta) = entry.metadata() {
                    let mut permissions = meta.permissions();
                    #[allow(clippy::permissions_set_readonly_false)]
                    permissions.set_readonly(false);
                    let _ = std::fs::set_permissions(entry.path(), permissions);
                    if meta.is_dir() {
                        stack.push(entry.path());
                    }
                }
            }
        }
        match std::fs::remove_dir_all(dir) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }

    pub fn allocated(file: &std::fs::File) -> Option<(u64, (u64, u64))> {
        Some((file.metadata().ok()?.len(), (0, 0)))
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    const LARGE: Budget = Budget {
        bytes: u64::MAX,
        entries: u64::MAX,
        depth: u64::MAX,
    };

    #[test]
    fn blocks_entries_and_depth_are_counted_and_links_once() {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        std::fs::create_dir_all(d.join("a/b/c")).expect("mkdir");
        std::fs::write(d.join("a/b/data"), vec![1u8; 1 << 20]).expect("write");
        std::fs::hard_link(d.join("a/b/data"), d.join("link")).expect("link");
        // Sparse: a terabyte long, no block written.
        std::fs::File::create(d.join("sparse"))
            .and_then(|f| f.set_len(1 << 40))
            .expect("sparse");
        let usage = measure(d, &LARGE, &mut HashSet::new()).expect("measured");
        assert_eq!(usage.entries, 6);
        assert_eq!(usage.depth, 3);
        assert!(
            (1 << 20..(1 << 20) + 64 * 1024).contains(&usage.bytes),
            "{usage:?}"
        );
        // Counting stops past the budget.
        let small = Budget {
            entries: 2,
            ..LARGE
        };
        let usage = measure(d, &small, &mut HashSet::new()).expect("measured");
        assert_eq!(usage.entries, 3);
    }

    /// A case still running creates, deletes and renames files and folders while it is
    /// measured (issue 22's `unnamed_files` did, and CI once called its folder unmeasurable):
    /// what went between its listing and its examination is a change, walked again, not an
    /// error.
    #[test]
    fn a_folder_that_changes_while_it_is_measured_is_still_measured() {
        use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path().to_path_buf();
        std::fs::write(d.join("steady"), vec![1u8; 8192]).expect("write");
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let changes = std::sync::Arc::new(AtomicU64::new(0));
        let churn = {
            let (d, stop, changes) = (d.clone(), stop.clone(), changes.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let n = changes.fetch_add(1, Ordering::Relaxed);
                    let _ = std::fs::write(d.join(format!("f{}", n % 8)), b"x");
                    let _ = std::fs::remove_file(d.join(format!("f{}", (n + 4) % 8)));
                    let _ = std::fs::create_dir(d.join("sub"));
                    let _ = std::fs::rename(d.join("sub"), d.join("moved"));
                    let _ = std::fs::remove_dir(d.join("moved"));
                }
            })
        };
        // Measures until the folder has changed often enough, however the two threads are
        // scheduled (on a loaded machine the churn may get little time): at least 3000
        // measures and 2000 changes, within a minute.
        let started = std::time::Instant::now();
        let (mut measures, mut failures) = (0u64, Vec::new());
        while (measures < 3000 || changes.load(Ordering::Relaxed) < 2000)
            && started.elapsed() < std::time::Duration::from_secs(60)
        {
            measures += 1;
            match measure(&d, &LARGE, &mut HashSet::new()) {
                Ok(usage) => assert!(usage.bytes >= 8192, "{usage:?}"),
                Err(error) => failures.push(error.to_string()),
            }
        }
        stop.store(true, Ordering::Relaxed);
        churn.join().expect("churn");
        let changes = changes.load(Ordering::Relaxed);
        assert!(
            changes >= 2000,
            "the folder changed only {changes} times in a minute"
        );
        // No measure fails: before entries that went were skipped, a hundred of 3000 did.
        assert!(
            failures.is_empty(),
            "{} of {measures} measures failed: {:?}",
            failures.len(),
            &failures[..failures.len().min(3)]
        );
    }

    #[test]
    fn a_closed_folder_is_measured_and_removed_with_read_only_files_and_a_deep_tree() {
        let dir = tempfile::tempdir().expect("tempdir");
        let scratch = dir.path().join("scratch");
        let closed = scratch.join("closed");
        std::fs::create_dir_all(closed.join("inner")).expect("mkdir");
        std::fs::write(closed.join("inner/file"), vec![1u8; 8192]).expect("write");
        std::fs::set_permissions(closed.join("inner/file"), PermissionsExt::from_mode(0o400))
            .expect("chmod");
        std::fs::set_permissions(closed.join("inner"), PermissionsExt::from_mode(0o500))
            .expect("chmod");
        std::fs::set_permissions(&closed, PermissionsExt::from_mode(0o000)).expect("chmod");
        // Deeper than PATH_MAX (4096 bytes) with 200-byte names.
        let name = "d".repeat(200);
        let mut fd = rustix::fs::open(
            &scratch,
            rustix::fs::OFlags::DIRECTORY,
            rustix::fs::Mode::empty(),
        )
        .expect("open");
        for _ in 0..40 {
            rustix::fs::mkdirat(&fd, name.as_str(), rustix::fs::Mode::RWXU).expect("mkdir");
            fd = rustix::fs::openat(
                &fd,
                name.as_str(),
                rustix::fs::OFlags::DIRECTORY,
                rustix::fs::Mode::empty(),
            )
            .expect("open");
        }
        drop(fd);
        let usage = measure(&scratch, &LARGE, &mut HashSet::new()).expect("measured");
        assert_eq!(usage.entries, 3 + 40, "{usage:?}");
        assert_eq!(usage.depth, 40);
        assert!(usage.bytes >= 8192, "{usage:?}");
        remove(&scratch).expect("removed");
        assert!(!scratch.exists());
        // Removing what is gone is fine.
        remove(&scratch).expect("nothing to remove");
    }

    /// A file nobody may delete, not even root (`chattr +i`, on ext4 and the like): removal
    /// fails, and says what it could not do, rather than leaving it quietly. Needs root and
    /// `chattr` (e2fsprogs), which the tests have here and in CI.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_removal_that_fails_says_so() {
        let dir = tempfile::tempdir().expect("tempdir");
        let scratch = dir.path().join("scratch");
        std::fs::create_dir_all(scratch.join("inner")).expect("mkdir");
        let stuck = scratch.join("inner/stuck");
        std::fs::write(&stuck, "x").expect("write");
        let chattr = |flag: &str| {
            let status = std::process::Command::new("chattr")
                .arg(flag)
                .arg(&stuck)
                .status()
                .expect("this test needs chattr (e2fsprogs)");
            assert!(
                status.success(),
                "chattr {flag} failed: this test needs root and ext4"
            );
        };
        chattr("+i");
        let error = remove(&scratch).expect_err("an immutable file cannot be removed");
        chattr("-i");
        assert_eq!(error.kind(), io::ErrorKind::PermissionDenied, "{error}");
        remove(&scratch).expect("removed once it may be");
        assert!(!scratch.exists());
    }
}
