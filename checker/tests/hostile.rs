//! The hostile submissions' tests (`it/hostile/`), in a test binary of their own.
//!
//! Their entries take processes, memory, disk and CPU on purpose, up to each case's limits,
//! and some tests time what a neighbour still gets. In the `it` binary they would run beside
//! other modules' timed tests; here, as cargo runs test binaries one after another, they run
//! with nothing else of the suite. Their names are the same as they would be in `it`
//! (`hostile::NAME`), so [`common::alone`] finds them.
//!
//! ```text
//! cargo test -p checker --test hostile
//! ```

#[path = "it/common/mod.rs"]
mod common;
#[path = "it/hostile/mod.rs"]
mod hostile;
