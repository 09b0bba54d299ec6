//! `RUNNER --serve` (Linux): a case server, which forks a fresh process for each case.
//!
//! The checker starts it once per worker, confined as a case is (its own user, Landlock,
//! seccomp, limits), with one end of a `SOCK_SEQPACKET` socket as fd 3. For each case the
//! checker sends a [`ServedCase`] with [`SERVED_FDS`] descriptors; the server forks, and the
//! child becomes the case's process exactly as a spawned `RUNNER --case` is set up (a session of
//! its own, the result channel on fd 3, the case's stderr, its scratch folder as working and
//! temporary folder, the case's limits), then, where the server is confined by Landlock,
//! confines itself further: a Landlock domain of its own that reaches what a spawned case
//! reaches, its own scratch folder and no other, and from which no signal reaches the server
//! or anything else outside it (Landlock ABI 6). The server says when the child started and how it ended
//! ([`ServerSays`]), and reaps it only when the next case arrives, so that its process id
//! (and group) names nobody else while the checker ends what is left of it.
//!
//! What this saves per case is the `exec` of the runner and the dynamic loading and start-up
//! of a fresh program; what a case sees is unchanged: a new process with nothing of an earlier
//! case (the server never reads a case: the child reads its own from the case file).

use std::fs::File;
use std::io::{IoSlice, IoSliceMut, Read};
use std::mem::MaybeUninit;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use rustix::net::{
    RecvAncillaryBuffer, RecvAncillaryMessage, RecvFlags, SendAncillaryBuffer, SendFlags, recvmsg,
    sendmsg,
};

use crate::protocol::{self, RESULT_FD, SERVED_FDS, ServedCase, ServedRequest, ServerSays};
use crate::{Bindings, fail, run_request};

/// Serves cases until the checker closes the channel. Never returns.
pub fn serve(bindings: &Bindings) -> ! {
    // SAFETY: fd 3 is the channel the checker gave this server; nothing else in it uses fd 3.
    let control = unsafe { OwnedFd::from_raw_fd(RESULT_FD) };
    // Not dumpable: a process of the same user (a case, where no Landlock domain keeps it
    // out) can neither trace the server nor read or write its memory through /proc. Each
    // child is made dumpable again, as a spawned case is.
    set_dumpable(false);
    let mut previous: Option<i32> = None;
    // The fixed part of the next case's Landlock domain, built while the checker grades the
    // last case (off the critical path of a case); `None` before the first confined case.
    let mut rules: Option<Result<crate::os::ServedCaseRules, String>> = None;
    loop {
        let mut data = [0u8; 16 * 1024];
        let mut space = [MaybeUninit::uninit(); rustix::cmsg_space!(ScmRights(SERVED_FDS))];
        let mut ancillary = RecvAncillaryBuffer::new(&mut space);
        let received = recvmsg(
            &control,
            &mut [IoSliceMut::new(&mut data)],
            &mut ancillary,
            RecvFlags::CMSG_CLOEXEC,
        );
        if let Some(pid) = previous.take() {
            reap(pid);
        }
        let bytes = match received {
            Ok(received) if received.bytes > 0 => received.bytes,
            // The checker closed the channel: the run is over.
            _ => std::process::exit(0),
        };
        let mut fds: Vec<OwnedFd> = Vec::new();
        for message in ancillary.drain() {
            if let RecvAncillaryMessage::ScmRights(rights) = message {
                fds.extend(rights);
            }
        }
        let case: ServedCase = serde_json::from_slice(&data[..bytes])
            .unwrap_or_else(|error| fail(&format!("bad served case: {error}")));
        let Ok(fds) = <[OwnedFd; SERVED_FDS]>::try_from(fds) else {
            fail("a served case came without its descriptors")
        };
        if case.confine && rules.is_none() {
            rules = Some(crate::os::served_case_rules());
        }
        // SAFETY: the server starts no thread of its own; the child only runs Rust code of
        // this process (fork's child of a single-threaded process may do anything).
        match unsafe { libc::fork() } {
            -1 => fail(&format!(
                "cannot fork a case: {}",
                std::io::Error::last_os_error()
            )),
            0 => child(bindings, fds, &case, rules.take()),
            pid => {
                drop(fds);
                // The child adds its scratch folder to this ruleset: no other case may use it.
                drop(rules.take());
                say(&control, ServerSays::Started { pid });
                let status = wait_without_reaping(pid);
                say(&control, ServerSays::Ended { status });
                previous = Some(pid);
                if case.confine {
                    rules = Some(crate::os::served_case_rules());
                }
            }
        }
    }
}

/// Sends `what` to the checker; a checker that is gone ends the server.
fn say(control: &OwnedFd, what: ServerSays) {
    let Ok(bytes) = serde_json::to_vec(&what) else {
        std::process::exit(2)
    };
    let sent = sendmsg(
        control,
        &[IoSlice::new(&bytes)],
        &mut SendAncillaryBuffer::default(),
        SendFlags::NOSIGNAL,
    );
    if sent.is_err() {
        std::process::exit(0);
    }
}

/// The wait status of child `pid` once it has ended, left unreaped (`waitid` with `WNOWAIT`),
/// in `waitpid`'s encoding.
fn wait_without_reaping(pid: i32) -> i32 {
    loop {
        // SAFETY: siginfo_t is a plain C struct, valid all zero; waitid writes into ours.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: as above; `pid` is our child.
        let done = unsafe {
            libc::waitid(
                libc::P_PID,
                pid as libc::id_t,
                &mut info,
                libc::WEXITED | libc::WNOWAIT,
            )
        };
        if done == 0 {
            // SAFETY: waitid filled a SIGCHLD siginfo, whose status field is set.
            let status = unsafe { info.si_status() };
            return match info.si_code {
                libc::CLD_EXITED => (status & 0xff) << 8,
                libc::CLD_DUMPED => (status & 0x7f) | 0x80,
                _ => status & 0x7f,
            };
        }
        if std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            fail("cannot wait for a served case");
        }
    }
}

fn reap(pid: i32) {
    let mut status = 0;
    // SAFETY: waitpid on our own ended child writes one int of ours.
    unsafe { libc::waitpid(pid, &mut status, 0) };
}

/// The forked child: becomes the case's process, then runs the case. Never returns.
fn child(
    bindings: &Bindings,
    fds: [OwnedFd; SERVED_FDS],
    case: &ServedCase,
    rules: Option<Result<crate::os::ServedCaseRules, String>>,
) -> ! {
    let [case_file, result, stderr, scratch] = fds;
    crate::os::tune_allocator();
    if rustix::process::setsid().is_err() {
        fail("cannot give a served case a session of its own");
    }
    // SAFETY: dup2 onto fds 3 and 2: fd 3 (the server's channel, which the case must not
    // reach) becomes the result channel, fd 2 the case's stderr.
    let moved = unsafe {
        libc::dup2(result.as_raw_fd(), RESULT_FD) >= 0
            && libc::dup2(stderr.as_raw_fd(), libc::STDERR_FILENO) >= 0
    };
    if !moved {
        fail("cannot set up a served case's descriptors");
    }
    drop((result, stderr));
    if rustix::process::fchdir(&scratch).is_err() {
        fail("cannot enter the case's scratch folder");
    }
    let mut text = String::new();
    if File::from(case_file).read_to_string(&mut text).is_err() {
        fail("cannot read the served case");
    }
    let served: ServedRequest = serde_json::from_str(&text)
        .unwrap_or_else(|error| fail(&format!("bad served case: {error}")));
    drop(text);
    if case.confine {
        let confined = rules
            .unwrap_or_else(|| Err("no rules were built".into()))
            .and_then(|rules| crate::os::confine_served_case(rules, &scratch));
        if let Err(why) = confined {
            fail(&format!("cannot confine a served case: {why}"));
        }
    }
    drop(scratch);
    close_other_fds();
    // Dumpable again, as a spawned case is, only now that it holds nothing of the server's.
    set_dumpable(true);
    // SAFETY: the child is single-threaded here; nothing reads the environment meanwhile.
    unsafe {
        for name in ["TMPDIR", "TMP", "TEMP"] {
            std::env::set_var(name, &case.scratch);
        }
    }
    for (resource, value) in [
        (rustix::process::Resource::Core, 0),
        (rustix::process::Resource::Fsize, case.file_size),
        (rustix::process::Resource::Cpu, case.cpu_seconds),
        (rustix::process::Resource::As, case.memory),
    ] {
        let limit = rustix::process::Rlimit {
            current: Some(value),
            maximum: Some(value),
        };
        // Lowering a limit never fails for want of rights; failing leaves the server's.
        let _ = rustix::process::setrlimit(resource, limit);
    }
    run_request(bindings, served.request, served.secret)
}

fn set_dumpable(dumpable: bool) {
    // SAFETY: prctl(PR_SET_DUMPABLE) only sets a flag of this process.
    unsafe {
        libc::prctl(
            libc::PR_SET_DUMPABLE,
            libc::c_ulong::from(dumpable),
            0,
            0,
            0,
        )
    };
}

/// Closes every descriptor past the result channel: whatever the server held (code under
/// test can run in it before `main`) is not the case's.
fn close_other_fds() {
    // SAFETY: close_range closes descriptors only.
    unsafe {
        libc::syscall(
            libc::SYS_close_range,
            (protocol::RESULT_FD + 1) as u32,
            u32::MAX,
            0,
        )
    };
}
