//! The asynclings checker: grades async Rust lessons exactly and fast, on tokio's paused clock.
//!
//! The `checker` binary reads the specs in `specs/`, builds the code under test with cargo
//! (never linking it into itself, so a lesson that does not compile is reported, not fatal),
//! runs each case in its own process, and explains each verdict.

pub mod app;
pub mod build;
pub mod cancel;
pub mod cargo_build;
pub mod class;
pub mod cli;
pub mod commands;
pub mod corpus;
pub mod exit;
pub mod expr;
pub mod grade;
pub mod isolate;
pub mod live;
pub mod mirror;
pub mod options;
pub mod os;
pub mod points;
pub mod refuse;
pub mod report;
pub mod results;
pub mod scaffold;
pub mod seed;
pub mod session;
pub mod spec;
pub mod stub;
pub mod submission;
pub mod supervise;
pub mod template;
pub mod text;
pub mod timeline;
pub mod validation;
pub mod workspace;
