//! Windows: the result file named in the environment, `SetStdHandle` capture, Toolhelp32
//! snapshots for threads and processes, cycle counters for the runtime thread.
//!
//! `windows-sys` (the raw, maintained bindings from Microsoft, already in the lock file
//! through tokio and tempfile) with only the features these calls need; handles are owned by
//! std's `OwnedHandle`, which closes them.
//!
//! This file holds the result channel, the capture and the process's own settings;
//! `processes.rs` the Toolhelp32 snapshots (threads, children, CPU time) and `blocked.rs` the
//! runtime thread's blocked time.

mod blocked;
mod processes;

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::windows::fs::{FileExt, OpenOptionsExt};
use std::os::windows::io::AsRawHandle;

use windows_sys::Win32::Foundation::{FILETIME, HANDLE};
use windows_sys::Win32::Storage::FileSystem::{
    BY_HANDLE_FILE_INFORMATION, FILE_SHARE_READ, GetFileInformationByHandle, GetFileSizeEx,
};
use windows_sys::Win32::System::Console::{STD_OUTPUT_HANDLE, SetStdHandle};
use windows_sys::Win32::System::Diagnostics::Debug::{
    SEM_FAILCRITICALERRORS, SEM_NOGPFAULTERRORBOX, SetErrorMode,
};
use windows_sys::Win32::System::Threading::{GetCurrentProcess, TerminateProcess};

use crate::protocol;

pub use blocked::{BlockedStart, BlockedTime, RuntimeThread};
pub use processes::{children_of, cpu_seconds, descendants, thread_count};

/// The checker's result file, and its (volume serial number, file index) when opened.
pub struct ResultChannel {
    file: File,
    identity: (u32, u64),
}

impl ResultChannel {
    pub fn open() -> Result<Self, String> {
        let Some(path) = std::env::var_os(protocol::RESULT_PATH_ENV) else {
            return Err(format!(
                "no result channel: {} is not set",
                protocol::RESULT_PATH_ENV
            ));
        };
        // SAFETY: the runner is still single-threaded (no other thread reads the
        // environment); the code under test must not learn the path from it.
        unsafe { std::env::remove_var(protocol::RESULT_PATH_ENV) };
        // Shared for reading only, so that the code under test cannot open it for writing
        // while we hold it. If the checker still holds it open for writing that share mode is
        // refused: then share as std does by default.
        let file = OpenOptions::new()
            .write(true)
            .share_mode(FILE_SHARE_READ)
            .open(&path)
            .or_else(|_| OpenOptions::new().write(true).open(&path))
            .map_err(|error| format!("cannot open the result file {path:?}: {error}"))?;
        let identity = file_identity(file.as_raw_handle())
            .ok_or_else(|| format!("cannot identify the result file {path:?}"))?;
        Ok(Self { file, identity })
    }

    pub fn still_ours(&self) -> bool {
        file_identity(self.file.as_raw_handle()) == Some(self.identity)
    }

    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.file.write_all(bytes)?;
        self.file.flush()
    }
}

/// (volume serial number, file index) of the file open on `handle`, `None` if it is not a
/// file (closed, or reused for something else).
fn file_identity(handle: HANDLE) -> Option<(u32, u64)> {
    // SAFETY: a plain C struct of integers, for which all-zero bytes are a valid value.
    let mut info: BY_HANDLE_FILE_INFORMATION = unsafe { std::mem::zeroed() };
    // SAFETY: the call only writes the struct we own; a closed or foreign handle value gives
    // an error (never a crash: handle values are checked by the kernel).
    if unsafe { GetFileInformationByHandle(handle, &mut info) } == 0 {
        return None;
    }
    let index = (u64::from(info.nFileIndexHigh) << 32) | u64::from(info.nFileIndexLow);
    Some((info.dwVolumeSerialNumber, index))
}

pub fn redirect_stdout(file: &File) -> io::Result<()> {
    // SAFETY: SetStdHandle only records the handle value; the capture keeps `file` open for
    // the rest of the process's life.
    if unsafe { SetStdHandle(STD_OUTPUT_HANDLE, file.as_raw_handle()) } == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

pub fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    file.seek_read(buf, offset)
}

pub fn file_len(file: &File) -> io::Result<u64> {
    let mut len = 0i64;
    // SAFETY: the handle is open (the caller holds `file`); the call only writes `len`.
    if unsafe { GetFileSizeEx(file.as_raw_handle(), &mut len) } == 0 {
        return Err(io::Error::last_os_error());
    }
    u64::try_from(len).map_err(|_| io::Error::other("a negative file size"))
}

pub fn hide_secret(name: &str) {
    let Some(length) = std::env::var_os(name).map(|value| value.len()) else {
        return;
    };
    // SAFETY: the runner is still single-threaded: no other thread reads the environment.
    unsafe { std::env::set_var(name, "0".repeat(length)) };
}

pub fn confine_call(_scratch: &std::path::Path) -> Result<(), String> {
    Ok(())
}

pub fn hide_in_env(name: &str, range: std::ops::Range<usize>) {
    let Some(mut value) = std::env::var(name).ok() else {
        return;
    };
    if range.start > range.end || !value.is_char_boundary(range.start) {
        return;
    }
    let Some(end) =
        (range.end <= value.len() && value.is_char_boundary(range.end)).then_some(range.end)
    else {
        return;
    };
    value.replace_range(range.start..end, &"0".repeat(end - range.start));
    // SAFETY: the runner is still single-threaded: no other thread reads the environment.
    unsafe { std::env::set_var(name, value) };
}

pub fn guard_the_process() {
    // SAFETY: SetErrorMode only changes how this process reports its own crashes.
    unsafe {
        SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX);
    }
}

pub fn tune_allocator() {}

pub fn exit_now(code: i32) -> ! {
    // SAFETY: GetCurrentProcess is a pseudo-handle that needs no closing; terminating our own
    // process runs nothing else and does not return when it succeeds.
    unsafe {
        TerminateProcess(GetCurrentProcess(), code as u32);
    }
    // Only if Windows refused to end us: end some other way rather than return.
    std::process::abort()
}

/// A FILETIME as a count of 100 ns.
fn ticks(time: FILETIME) -> u64 {
    (u64::from(time.dwHighDateTime) << 32) | u64::from(time.dwLowDateTime)
}

/// Fills `dest` with `BCryptGenRandom` from the system's preferred generator (see
/// `os::os_random`).
pub fn os_random(dest: &mut [u8]) -> io::Result<()> {
    use windows_sys::Win32::Security::Cryptography::{
        BCRYPT_USE_SYSTEM_PREFERRED_RNG, BCryptGenRandom,
    };
    // One call takes at most u32::MAX bytes.
    for chunk in dest.chunks_mut(u32::MAX as usize) {
        // SAFETY: no algorithm handle is passed (the flag selects the system's generator), and
        // the buffer is `chunk`, writable for exactly the length given.
        let status = unsafe {
            BCryptGenRandom(
                std::ptr::null_mut(),
                chunk.as_mut_ptr(),
                chunk.len() as u32,
                BCRYPT_USE_SYSTEM_PREFERRED_RNG,
            )
        };
        if status < 0 {
            return Err(io::Error::other(format!(
                "BCryptGenRandom failed (NTSTATUS {status:#x})"
            )));
        }
    }
    Ok(())
}

pub fn unnamed_file() -> std::io::Result<std::fs::File> {
    tempfile::tempfile()
}

#[cfg(test)]
mod tests {
    use super::*;
    use windows_sys::Win32::Foundation::CloseHandle;

    #[test]
    fn the_result_channel_is_lost_when_its_handle_leads_to_another_file() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("result");
        std::fs::write(&path, b"").expect("created");
        // SAFETY: this test alone uses this variable.
        unsafe { std::env::set_var(protocol::RESULT_PATH_ENV, &path) };
        let mut channel = ResultChannel::open().expect("opened");
        assert!(std::env::var_os(protocol::RESULT_PATH_ENV).is_none());
        assert!(channel.still_ours());
        channel.write(b"report").expect("written");
        assert_eq!(std::fs::read(&path).expect("read"), b"report");

        // What hostile code would do: close the runner's handle, open a file of its own.
        let raw = channel.file.as_raw_handle();
        // SAFETY: the test closes the handle behind the File's back, then never lets the File
        // close it again (it is forgotten below).
        unsafe { CloseHandle(raw) };
        let theirs = File::create(dir.path().join("stolen")).expect("created");
        assert!(!channel.still_ours());
        drop(theirs);
        std::mem::forget(channel);
    }
}
