//! The seccomp filters: compiled once per run, installed in every confined process.

use std::sync::OnceLock;

/// The most instructions a seccomp program may have (`BPF_MAXINSNS`).
const BPF_MAXINSNS: usize = 4096;

pub(super) fn seccomp_arch() -> Option<seccompiler::TargetArch> {
    seccompiler::TargetArch::try_from(std::env::consts::ARCH).ok()
}

/// No IPv4 or IPv6 sockets (UDP included, which Landlock does not cover), no ptrace and no
/// reading or writing another process's memory; with `no_reserve`, no `fallocate` (EOPNOTSUPP,
/// as from a file system without it: `posix_fallocate` then writes the blocks, at the speed
/// the checker's disk budget can follow, instead of reserving gigabytes in a millisecond) and
/// no `io_uring` (ENOSYS, as from a kernel without it: it could reserve them too, and its
/// operations pass no seccomp filter).
/// Compiled once per run for each `no_reserve`, shared by every process confined after.
pub(super) fn filters(no_reserve: bool) -> Result<&'static [seccompiler::BpfProgram], String> {
    static CASES: OnceLock<Result<Vec<seccompiler::BpfProgram>, String>> = OnceLock::new();
    static BUILDS: OnceLock<Result<Vec<seccompiler::BpfProgram>, String>> = OnceLock::new();
    let compiled = if no_reserve { &CASES } else { &BUILDS };
    compiled
        .get_or_init(|| compile_filters(no_reserve))
        .as_deref()
        .map_err(Clone::clone)
}

fn compile_filters(no_reserve: bool) -> Result<Vec<seccompiler::BpfProgram>, String> {
    use seccompiler::{
        SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter, SeccompRule,
    };
    let arch = seccomp_arch().ok_or("not on this architecture")?;
    let family = |f: i32| -> Result<SeccompRule, seccompiler::BackendError> {
        SeccompRule::new(vec![SeccompCondition::new(
            0,
            SeccompCmpArgLen::Dword,
            SeccompCmpOp::Eq,
            f as u64,
        )?])
    };
    let inet = vec![
        family(libc::AF_INET).map_err(|e| e.to_string())?,
        family(libc::AF_INET6).map_err(|e| e.to_string())?,
    ];
    let sockets = SeccompFilter::new(
        [(libc::SYS_socket, inet)].into_iter().collect(),
        SeccompAction::Allow,
        SeccompAction::Errno(libc::EACCES as u32),
        arch,
    )
    .map_err(|e| e.to_string())?;
    let tracing = SeccompFilter::new(
        [
            (libc::SYS_ptrace, vec![]),
            (libc::SYS_process_vm_readv, vec![]),
            (libc::SYS_process_vm_writev, vec![]),
        ]
        .into_iter()
        .collect(),
        SeccompAction::Allow,
        SeccompAction::Errno(libc::EPERM as u32),
        arch,
    )
    .map_err(|e| e.to_string())?;
    let mut filters = vec![sockets, tracing];
    if no_reserve {
        let refuse = |calls: &[libc::c_long], errno: i32| {
            SeccompFilter::new(
                calls.iter().map(|&call| (call, vec![])).collect(),
                SeccompAction::Allow,
                SeccompAction::Errno(errno as u32),
                arch,
            )
            .map_err(|e| e.to_string())
        };
        filters.push(refuse(&[libc::SYS_fallocate], libc::EOPNOTSUPP)?);
        filters.push(refuse(
            &[
                libc::SYS_io_uring_setup,
                libc::SYS_io_uring_enter,
                libc::SYS_io_uring_register,
            ],
            libc::ENOSYS,
        )?);
    }
    filters
        .into_iter()
        .map(|filter| {
            let program: seccompiler::BpfProgram = filter.try_into().map_err(|e| format!("{e}"))?;
            // seccomp(2) refuses an empty program and one past BPF_MAXINSNS.
            if program.is_empty() || program.len() > BPF_MAXINSNS {
                return Err(format!("a filter of {} instructions", program.len()));
            }
            Ok(program)
        })
        .collect()
}
