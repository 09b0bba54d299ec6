//! The build script of every implementation package (exercises, solutions): when one of its
//! lesson files does not compile, the checker builds the package again with
//! `ASYNCLINGS_STUB_LESSONS` naming it, and this turns the list into `asynclings_stub` cfgs, so
//! that the package's `src/lib.rs` puts a stub in place of that lesson and every other lesson
//! is still graded (docs/isolation.md). Not for editing.

fn main() {
    println!("cargo::rerun-if-env-changed=ASYNCLINGS_STUB_LESSONS");
    println!("cargo::rustc-check-cfg=cfg(asynclings_stub, values(any()))");
    let stubbed = std::env::var("ASYNCLINGS_STUB_LESSONS").unwrap_or_default();
    for lesson in stubbed.split(',').map(str::trim).filter(|l| !l.is_empty()) {
        println!("cargo::rustc-cfg=asynclings_stub=\"{lesson}\"");
    }
}
