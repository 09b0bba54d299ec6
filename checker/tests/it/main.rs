//! The checker's integration tests, in one test binary: each module was a test binary of its
//! own, and each linked the whole checker; one binary links it once (nextest and uv do the
//! same). Every test is named by its module: `cargo test -p checker --test it -- timeline::`
//! runs the timeline tests, `-- --exact core::NAME` one test.
//!
//! The tests share one process, so what is process-wide belongs to no test: none changes the
//! current folder or the environment of this process (a command's environment is set on the
//! command), and a test that must be the process's only one (it adopts or reaps children,
//! grades in-process under the supervisor) runs in a process of its own
//! ([`common::alone`]). Snapshots are in `snapshots/`, named `it__MODULE__NAME.snap`.
//!
//! Two other test binaries: the corpus test (`tests/corpus.rs`: one test per corpus entry,
//! read from the corpus at run time, needs a harness of its own, libtest-mimic), and the
//! hostile submissions' tests (`tests/hostile.rs`, the module `hostile.rs` of this folder),
//! which take processes, memory and CPU on purpose and so run apart from the timed tests here.

mod common;
mod student;

mod bad_input;
mod class;
mod class_files;
mod class_fresh_cargo;
mod class_similarity;
mod classroom50;
mod consumers;
mod core;
mod dining;
mod editor;
mod formats;
mod grade_file;
mod gradescope;
mod instructor;
mod integrity;
mod interrupt;
mod isolation;
mod list_interactive;
mod network;
mod pipelines;
mod points;
mod problem_matcher;
mod progress;
mod replay;
mod reports;
mod reset;
mod spec_docs;
mod spec_fuzz;
mod student_files;
mod template;
mod timeline;
mod watch;
