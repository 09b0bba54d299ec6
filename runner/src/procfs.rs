//! Linux's `/proc`: the one reader of it for the runner, the checker and the tests.
//!
//! Each function reads the files once and parses them here, so that the format's traps
//! (`comm` in `stat` may hold spaces and parentheses; `status` fields are tab-separated) are
//! handled in one place. A process that ends between listing and reading is skipped: `None`
//! or an empty list, never an error.

use std::path::Path;

/// What `/proc/PID/stat` says of a process (or `/proc/self/task/TID/stat` of a thread).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stat {
    /// The process id.
    pub pid: i32,
    /// The command name (`comm`, at most 15 bytes, as the kernel keeps it).
    pub name: String,
    /// One letter: `R` running, `S` sleeping, `D` disk sleep, `T`/`t` stopped, `Z` zombie, ...
    pub state: String,
    /// The parent's process id.
    pub ppid: i32,
    /// The process group.
    pub group: i32,
    /// The session.
    pub session: i32,
}

/// Parses the text of a `stat` file: `pid (comm) state ppid pgrp session ...`.
pub fn parse_stat(text: &str) -> Option<Stat> {
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let pid = text.get(..open)?.trim().parse().ok()?;
    let name = text.get(open + 1..close)?.to_string();
    let mut rest = text.get(close + 1..)?.split_whitespace();
    let state = rest.next()?.to_string();
    let ppid = rest.next()?.parse().ok()?;
    let group = rest.next()?.parse().ok()?;
    let session = rest.next()?.parse().ok()?;
    Some(Stat {
        pid,
        name,
        state,
        ppid,
        group,
        session,
    })
}

/// `/proc/PROCESS/stat`, where `process` is a pid or `self`.
pub fn stat(process: &str) -> Option<Stat> {
    parse_stat(&std::fs::read_to_string(format!("/proc/{process}/stat")).ok()?)
}

/// `/proc/self/task/TID/stat`: a thread of this process.
pub fn thread_stat(tid: i32) -> Option<Stat> {
    parse_stat(&std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")).ok()?)
}

/// The value of field `name` (without its colon) in the text of a `status` file, trimmed.
pub fn status_field<'a>(status: &'a str, name: &str) -> Option<&'a str> {
    status.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        (key == name).then(|| value.trim())
    })
}

/// The text of `/proc/PROCESS/status` (`process`: a pid or `self`).
pub fn status(process: &str) -> Option<String> {
    std::fs::read_to_string(format!("/proc/{process}/status")).ok()
}

/// The children of `process` (a pid or `self`), from `/proc/PROCESS/task/*/children`.
pub fn children_of(process: &str) -> Vec<i32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{process}/task")) else {
        return Vec::new();
    };
    tasks
        .flatten()
        .filter_map(|task| std::fs::read_to_string(task.path().join("children")).ok())
        .flat_map(|text| {
            text.split_whitespace()
                .filter_map(|pid| pid.parse().ok())
                .collect::<Vec<i32>>()
        })
        .collect()
}

/// The pid of every process in `/proc`.
pub fn pids() -> Vec<i32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse().ok())
        .collect()
}

/// The command line of process `pid`, its arguments joined by spaces (empty for a kernel
/// thread or a zombie).
pub fn command_line(pid: i32) -> String {
    std::fs::read(Path::new("/proc").join(pid.to_string()).join("cmdline"))
        .map(|bytes| String::from_utf8_lossy(&bytes).replace('\0', " "))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_command_name_with_spaces_and_parentheses_is_read_whole() {
        let stat = parse_stat("4242 (my (odd) name) S 1 4242 4240 0 -1 4194560 ...").unwrap();
        assert_eq!(stat.pid, 4242);
        assert_eq!(stat.name, "my (odd) name");
        assert_eq!(stat.state, "S");
        assert_eq!((stat.ppid, stat.group, stat.session), (1, 4242, 4240));
    }

    #[test]
    fn a_truncated_stat_reads_nothing() {
        assert_eq!(parse_stat("4242 (name) S 1"), None);
        assert_eq!(parse_stat(""), None);
    }

    #[test]
    fn status_fields_are_found_by_their_whole_name() {
        let status = "Name:\tcat\nThreads:\t3\nShdPnd:\t0000000000004000\nUid:\t0\t0\t0\t0\n";
        assert_eq!(status_field(status, "Threads"), Some("3"));
        assert_eq!(status_field(status, "Uid"), Some("0\t0\t0\t0"));
        assert_eq!(status_field(status, "Thread"), None);
    }

    #[test]
    fn this_process_is_seen_as_it_is() {
        let me = stat("self").expect("our own stat");
        assert_eq!(me.pid, std::process::id() as i32);
        assert!(pids().contains(&me.pid));
        assert!(command_line(me.pid).contains("asynclings_runner"));
        let threads = status("self").and_then(|s| status_field(&s, "Threads")?.parse::<u32>().ok());
        assert!(threads.is_some_and(|n| n >= 1));
    }
}
