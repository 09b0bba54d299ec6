//! When one of the reference's lesson files does not compile, the checker builds this
//! package again with `ASYNCLINGS_STUB_LESSONS` naming it, and a stub takes its place (see
//! `src/lib.rs`), so that the other lessons are still graded.

fn main() {
    println!("cargo::rerun-if-env-changed=ASYNCLINGS_STUB_LESSONS");
    println!("cargo::rustc-check-cfg=cfg(asynclings_stub, values(any()))");
    let stubbed = std::env::var("ASYNCLINGS_STUB_LESSONS").unwrap_or_default();
    for lesson in stubbed.split(',').map(str::trim).filter(|l| !l.is_empty()) {
        println!("cargo::rustc-cfg=asynclings_stub=\"{lesson}\"");
    }
}
