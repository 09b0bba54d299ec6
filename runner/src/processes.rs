//! What the code under test left running: OS threads of this process, and processes it
//! started, from `/proc` (Linux; elsewhere nothing is seen and nothing is reported).
//!
//! The runner is a child subreaper (see `guard_the_process`), so every orphaned descendant,
//! even one that left the case's process group with setsid or a double fork, is a child of
//! this process until it ends: walking the children finds them all.

use crate::protocol::LeftProcess;

/// Threads of this process now.
pub fn thread_count() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("Threads:"))
                .and_then(|n| n.trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Child process ids of process `pid` (`"self"` or a number), every thread's children, from
/// `/proc/PID/task/*/children`. Empty when the process is gone or /proc is not there. The
/// checker walks its own cases' trees with it too.
pub fn children_of(pid: &str) -> Vec<i32> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
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

/// (state, process group, command name) of a process, from `/proc/PID/stat`.
fn stat_of(pid: i32) -> Option<(String, i32, String)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (comm) state ppid pgrp ...`: comm may hold spaces and parentheses.
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let name = stat.get(open + 1..close)?.to_string();
    let mut rest = stat.get(close + 1..)?.split_whitespace();
    let state = rest.next()?.to_string();
    let _ppid = rest.next()?;
    let group = rest.next()?.parse().ok()?;
    Some((state, group, name))
}

/// Every live descendant of this process (zombies, which are already dead, left out).
pub fn descendants() -> Vec<LeftProcess> {
    // SAFETY: getpgrp has no preconditions.
    let own_group = unsafe { libc::getpgrp() };
    let mut found = Vec::new();
    let mut queue = children_of("self");
    // A process tree is finite, but pids can be reused while we walk: bound the walk.
    while let Some(pid) = queue.pop() {
        if found.len() >= 10_000 {
            break;
        }
        let Some((state, group, name)) = stat_of(pid) else {
            continue;
        };
        queue.extend(children_of(&pid.to_string()));
        if state == "Z" || state == "X" {
            continue;
        }
        found.push(LeftProcess {
            pid,
            name,
            escaped: group != own_group,
        });
    }
    found.sort_by_key(|p| p.pid);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_os = "linux")]
    fn this_process_has_a_thread() {
        assert!(thread_count() >= 1);
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_running_child_is_found_and_a_reaped_one_is_not() {
        let mut child = std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .expect("sleep starts");
        let pid = child.id() as i32;
        let found = descendants();
        let left = found
            .iter()
            .find(|p| p.pid == pid)
            .expect("the child is seen");
        assert_eq!(left.name, "sleep");
        assert!(!left.escaped, "it stayed in our process group");
        child.kill().expect("kill");
        child.wait().expect("wait");
        assert!(descendants().iter().all(|p| p.pid != pid));
    }
}
