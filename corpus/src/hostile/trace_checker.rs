//! Mistake: reaches into the checker's memory, where the hidden cases are: attaches to it with
//! ptrace, reads it with process_vm_readv, opens `/proc/<checker>/mem` (the checker found among its
//! ancestors). Confined, each fails, and it panics saying so; had one worked, it would print what
//! it read.
//! Lesson: say_hello
//! Expect: ptrace: Operation not permitted

use std::time::Duration;

/// Tries the three ways in, then prints `Hello`, a 1 s sleep, `World`.
pub async fn say_hello() {
    try_the_ways_in();
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
}

/// Attaches, reads, opens; panics with every error when all three fail.
fn try_the_ways_in() {
    let checker = crate::hostile::checker_pid() as libc::pid_t;
    let mut failures = Vec::new();
    // SAFETY (of the hostile code): ptrace with null address and data.
    let attached = unsafe {
        libc::ptrace(
            libc::PTRACE_ATTACH,
            checker,
            std::ptr::null_mut::<libc::c_void>(),
            0,
        )
    };
    if attached == 0 {
        println!("attached to the checker");
    } else {
        failures.push(format!("ptrace: {}", std::io::Error::last_os_error()));
    }
    let mut buffer = [0u8; 64];
    let local = libc::iovec {
        iov_base: buffer.as_mut_ptr().cast(),
        iov_len: buffer.len(),
    };
    let remote = libc::iovec {
        iov_base: 0x40_0000 as *mut libc::c_void,
        iov_len: buffer.len(),
    };
    // SAFETY (of the hostile code): reads into our own buffer, of the size given.
    if unsafe { libc::process_vm_readv(checker, &local, 1, &remote, 1, 0) } >= 0 {
        println!("read the checker's memory: {buffer:?}");
    } else {
        failures.push(format!(
            "process_vm_readv: {}",
            std::io::Error::last_os_error()
        ));
    }
    match std::fs::File::open(format!("/proc/{checker}/mem")) {
        Ok(_) => println!("opened the checker's memory"),
        Err(error) => failures.push(format!("/proc/<checker>/mem: {error}")),
    }
    if failures.len() == 3 {
        panic!("{}", failures.join("; "));
    }
}
