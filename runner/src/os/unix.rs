//! What Linux and macOS share: the fd 3 result channel, `dup2` capture, signals, `_exit`,
//! `getrusage`.
//!
//! `rustix` covers the calls it has safe wrappers for (`dup2` onto stdout, process groups);
//! `libc` the rest (`fstat` on a descriptor that may be closed, `getenv`, `signal`, `_exit`,
//! `getrusage`), which rustix either lacks or only offers to runtime crates.

use std::fs::File;
use std::io::{self, Write};
use std::os::fd::FromRawFd;
use std::os::unix::fs::FileExt;

use crate::protocol;

/// The checker's file on fd 3, and its (device, inode) when the case started.
pub struct ResultChannel {
    file: File,
    identity: (u64, u64),
}

impl ResultChannel {
    pub fn open() -> Result<Self, String> {
        let Some(identity) = file_identity(protocol::RESULT_FD) else {
            return Err("no result channel on fd 3".into());
        };
        // SAFETY: fd 3 is open (fstat just said so) and owned by this process from here on:
        // nothing else in the runner uses it.
        let file = unsafe { File::from_raw_fd(protocol::RESULT_FD) };
        Ok(Self { file, identity })
    }

    pub fn still_ours(&self) -> bool {
        file_identity(protocol::RESULT_FD) == Some(self.identity)
    }

    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.file.write_all(bytes)?;
        self.file.flush()
    }
}

/// (device, inode) of the file open on `fd`, or `None` when `fd` is not open.
///
/// Raw `libc::fstat` rather than rustix's, which takes a `BorrowedFd`: fd 3 may have been
/// closed by the code under test, and a borrowed descriptor must be open.
fn file_identity(fd: i32) -> Option<(u64, u64)> {
    // SAFETY: libc::stat is a plain C struct of integers, for which all-zero bytes are a
    // valid value.
    let mut stat: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: fstat only writes the struct we hand it, which is ours and large enough; a
    // closed or invalid fd gives an error and writes nothing.
    if unsafe { libc::fstat(fd, &mut stat) } != 0 {
        return None;
    }
    #[allow(clippy::unnecessary_cast)] // the field types differ between platforms
    Some((stat.st_dev as u64, stat.st_ino as u64))
}

pub fn redirect_stdout(file: &File) -> io::Result<()> {
    rustix::stdio::dup2_stdout(file).map_err(io::Error::from)
}

pub fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    file.read_at(buf, offset)
}

pub fn file_len(file: &File) -> io::Result<u64> {
    file.metadata().map(|m| m.len())
}

pub fn hide_secret(name: &str) {
    let Ok(name) = std::ffi::CString::new(name) else {
        return;
    };
    // SAFETY: getenv returns null or a pointer to the variable's NUL-terminated value, in
    // writable memory of this process; we overwrite its bytes in place, keeping its length,
    // while no other thread exists to read the environment.
    unsafe {
        let value = libc::getenv(name.as_ptr());
        if !value.is_null() {
            std::ptr::write_bytes(value, b'0', libc::strlen(value));
        }
    }
}

pub fn hide_in_env(name: &str, range: std::ops::Range<usize>) {
    let Ok(name) = std::ffi::CString::new(name) else {
        return;
    };
    // SAFETY: as in `hide_secret`: getenv's pointer is to the value's NUL-terminated bytes in
    // writable memory; only bytes before the NUL (`range` within strlen) are overwritten,
    // while no other thread reads the environment.
    unsafe {
        let value = libc::getenv(name.as_ptr());
        if !value.is_null() && range.start <= range.end && range.end <= libc::strlen(value) {
            std::ptr::write_bytes(value.add(range.start), b'0', range.len());
        }
    }
}

/// Ignores SIGXFSZ (see `os::guard_the_process`).
pub fn ignore_file_size_signal() {
    // SAFETY: signal only changes how this process handles SIGXFSZ; SIG_IGN runs no code.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

pub fn exit_now(code: i32) -> ! {
    // SAFETY: _exit ends the process without running anything else.
    unsafe { libc::_exit(code) }
}

pub fn cpu_seconds() -> f64 {
    // SAFETY: libc::rusage is a plain C struct of integers, for which all-zero bytes are a
    // valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage only writes the struct we hand it, which is ours and large enough.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return 0.0;
    }
    #[allow(clippy::unnecessary_cast)] // the field types differ between platforms
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

/// This process's group, to tell descendants that left it.
pub fn own_process_group() -> i32 {
    rustix::process::getpgrp().as_raw_nonzero().get()
}

/// Fills `dest` from `/dev/urandom` (see `os::os_random`).
pub fn os_random(dest: &mut [u8]) -> io::Result<()> {
    use std::io::Read;
    std::fs::File::open("/dev/urandom")?.read_exact(dest)
}
