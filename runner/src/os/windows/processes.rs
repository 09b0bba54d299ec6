//! The processes and threads of the system, from Toolhelp32 snapshots: this process's threads
//! and CPU time, its children, and the descendants still running when a case ends.

use std::collections::HashSet;
use std::os::windows::io::{AsRawHandle, FromRawHandle, OwnedHandle};

use windows_sys::Win32::Foundation::{
    ERROR_INVALID_PARAMETER, FILETIME, GetLastError, HANDLE, INVALID_HANDLE_VALUE, STILL_ACTIVE,
};
use windows_sys::Win32::System::Diagnostics::ToolHelp::{
    CreateToolhelp32Snapshot, PROCESSENTRY32W, Process32FirstW, Process32NextW, TH32CS_SNAPPROCESS,
    TH32CS_SNAPTHREAD, THREADENTRY32, Thread32First, Thread32Next,
};
use windows_sys::Win32::System::Threading::{
    GetCurrentProcess, GetExitCodeProcess, GetProcessTimes, OpenProcess,
    PROCESS_QUERY_LIMITED_INFORMATION,
};

use super::ticks;
use crate::protocol::LeftProcess;

/// (creation time, kernel + user time), both in 100 ns, of the process on `handle`.
fn process_times(handle: HANDLE) -> Option<(u64, u64)> {
    let zero = FILETIME {
        dwLowDateTime: 0,
        dwHighDateTime: 0,
    };
    let (mut created, mut exited, mut kernel, mut user) = (zero, zero, zero, zero);
    // SAFETY: the call only writes the four structs we own.
    let ok = unsafe { GetProcessTimes(handle, &mut created, &mut exited, &mut kernel, &mut user) };
    (ok != 0).then(|| (ticks(created), ticks(kernel) + ticks(user)))
}

pub fn cpu_seconds() -> f64 {
    // SAFETY: GetCurrentProcess returns a pseudo-handle, valid and needing no closing.
    let own = unsafe { GetCurrentProcess() };
    process_times(own).map_or(0.0, |(_, cpu)| cpu as f64 / 1e7)
}

/// A Toolhelp32 snapshot of `flags`, closed when dropped.
fn snapshot(flags: u32) -> Option<OwnedHandle> {
    // SAFETY: the call takes no pointers; it returns a new handle or INVALID_HANDLE_VALUE.
    let handle = unsafe { CreateToolhelp32Snapshot(flags, 0) };
    if handle == INVALID_HANDLE_VALUE || handle.is_null() {
        return None;
    }
    // SAFETY: a new handle that nothing else owns.
    Some(unsafe { OwnedHandle::from_raw_handle(handle) })
}

pub fn thread_count() -> u32 {
    let Some(snapshot) = snapshot(TH32CS_SNAPTHREAD) else {
        return 0;
    };
    let own = std::process::id();
    // SAFETY: a plain C struct of integers; dwSize must say its size.
    let mut entry: THREADENTRY32 = unsafe { std::mem::zeroed() };
    entry.dwSize = std::mem::size_of::<THREADENTRY32>() as u32;
    let mut count = 0;
    // SAFETY: the snapshot handle is open; the calls write only the entry we own, whose
    // dwSize is set.
    let mut more = unsafe { Thread32First(snapshot.as_raw_handle(), &mut entry) } != 0;
    while more {
        if entry.th32OwnerProcessID == own {
            count += 1;
        }
        // SAFETY: as above.
        more = unsafe { Thread32Next(snapshot.as_raw_handle(), &mut entry) } != 0;
    }
    count
}

/// One process of a snapshot.
struct Process {
    pid: u32,
    parent: u32,
    name: String,
}

/// Every process of the system now.
fn processes() -> Vec<Process> {
    let Some(snapshot) = snapshot(TH32CS_SNAPPROCESS) else {
        return Vec::new();
    };
    // SAFETY: a plain C struct of integers; dwSize must say its size.
    let mut entry: PROCESSENTRY32W = unsafe { std::mem::zeroed() };
    entry.dwSize = std::mem::size_of::<PROCESSENTRY32W>() as u32;
    let mut found = Vec::new();
    // SAFETY: the snapshot handle is open; the calls write only the entry we own, whose
    // dwSize is set.
    let mut more = unsafe { Process32FirstW(snapshot.as_raw_handle(), &mut entry) } != 0;
    while more {
        let name = &entry.szExeFile;
        let end = name.iter().position(|&c| c == 0).unwrap_or(name.len());
        found.push(Process {
            pid: entry.th32ProcessID,
            parent: entry.th32ParentProcessID,
            name: String::from_utf16_lossy(&name[..end]),
        });
        // SAFETY: as above.
        more = unsafe { Process32NextW(snapshot.as_raw_handle(), &mut entry) } != 0;
    }
    found
}

/// What can be learnt of process `pid` now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Life {
    /// Its creation time (100 ns units) and whether it is still running.
    Known { born: u64, alive: bool },
    /// There is no such process any more (`OpenProcess` fails with `ERROR_INVALID_PARAMETER`):
    /// it ended, and was reaped, after the snapshot was taken.
    Gone,
    /// It exists but cannot be opened or read (access denied): taken as alive.
    Unreadable,
}

/// What can be learnt of process `pid` now ([`Life`]).
fn life(pid: u32) -> Life {
    // SAFETY: the call takes no pointers; it returns a new handle or null.
    let handle = unsafe { OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid) };
    if handle.is_null() {
        // SAFETY: reads the calling thread's last error, set by the failed call just above.
        return if unsafe { GetLastError() } == ERROR_INVALID_PARAMETER {
            Life::Gone
        } else {
            Life::Unreadable
        };
    }
    // SAFETY: a new handle that nothing else owns.
    let handle = unsafe { OwnedHandle::from_raw_handle(handle) };
    let Some((born, _)) = process_times(handle.as_raw_handle()) else {
        return Life::Unreadable;
    };
    let mut code = 0u32;
    // SAFETY: the call only writes the integer we own.
    let ok = unsafe { GetExitCodeProcess(handle.as_raw_handle(), &mut code) } != 0;
    Life::Known {
        born,
        alive: ok && code == STILL_ACTIVE as u32,
    }
}

/// (creation time in 100 ns, still running) of process `pid`; `None` if it cannot be read.
fn birth_and_life(pid: u32) -> Option<(u64, bool)> {
    match life(pid) {
        Life::Known { born, alive } => Some((born, alive)),
        Life::Gone | Life::Unreadable => None,
    }
}

/// Children of `parent` among `all`: those naming it as parent and born after it (Windows
/// keeps a parent's id after the parent ends, and may give that number to a new process).
fn children_in(all: &[Process], parent: u32) -> Vec<u32> {
    let parent_born = birth_and_life(parent).map(|(born, _)| born);
    all.iter()
        .filter(|p| p.parent == parent && p.pid != parent && p.pid != 0)
        .filter(|p| match (parent_born, birth_and_life(p.pid)) {
            (Some(parent_born), Some((born, _))) => born >= parent_born,
            _ => true,
        })
        .map(|p| p.pid)
        .collect()
}

pub fn children_of(pid: &str) -> Vec<i32> {
    let pid = if pid == "self" {
        std::process::id()
    } else {
        match pid.parse() {
            Ok(pid) => pid,
            Err(_) => return Vec::new(),
        }
    };
    children_in(&processes(), pid)
        .into_iter()
        .filter_map(|pid| i32::try_from(pid).ok())
        .collect()
}

pub fn descendants() -> Vec<LeftProcess> {
    let all = processes();
    let mut seen = HashSet::new();
    let mut found = Vec::new();
    let mut queue = children_in(&all, std::process::id());
    while let Some(pid) = queue.pop() {
        if found.len() >= 10_000 || !seen.insert(pid) {
            continue;
        }
        queue.extend(children_in(&all, pid));
        // One that ended since the snapshot, whether or not its handle is still open
        // somewhere, is not left running (its own children are still looked at, above).
        if matches!(life(pid), Life::Gone | Life::Known { alive: false, .. }) {
            continue;
        }
        let Some(process) = all.iter().find(|p| p.pid == pid) else {
            continue;
        };
        found.push(LeftProcess {
            pid: i32::try_from(pid).unwrap_or(i32::MAX),
            name: process.name.clone(),
            // The checker's Job Object holds every process the case starts: none can escape.
            escaped: false,
        });
    }
    found.sort_by_key(|p| p.pid);
    found
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn this_process_has_threads_and_cpu_time() {
        assert!(thread_count() >= 1);
        let started = std::time::Instant::now();
        while started.elapsed() < Duration::from_millis(100) {
            std::hint::spin_loop();
        }
        assert!(cpu_seconds() > 0.0);
    }

    /// Not a test: the child process of the next one.
    #[test]
    #[ignore = "run as a child by a_running_child_is_found_and_an_ended_one_is_not"]
    fn sleep_as_a_child() {
        std::thread::sleep(Duration::from_secs(30));
    }

    #[test]
    fn a_running_child_is_found_and_an_ended_one_is_not() {
        let exe = std::env::current_exe().expect("own path");
        let mut child = std::process::Command::new(&exe)
            .args([
                "--ignored",
                "--exact",
                "os::windows::processes::tests::sleep_as_a_child",
            ])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("child starts");
        let child_pid = child.id();
        let pid = i32::try_from(child_pid).expect("a pid");
        assert!(children_of("self").contains(&pid));
        assert!(matches!(life(child_pid), Life::Known { alive: true, .. }));
        let found = descendants();
        let left = found
            .iter()
            .find(|p| p.pid == pid)
            .expect("the child is seen");
        assert!(left.name.ends_with(".exe"), "{}", left.name);
        assert!(!left.escaped);
        child.kill().expect("kill");
        child.wait().expect("wait");
        assert!(descendants().iter().all(|p| p.pid != pid));
        assert!(matches!(
            life(child_pid),
            Life::Known { alive: false, .. } | Life::Gone
        ));
    }

    #[test]
    fn a_process_id_that_names_no_process_is_gone() {
        // Windows gives processes multiples of 4: 3 never names one.
        assert_eq!(life(3), Life::Gone);
    }
}
