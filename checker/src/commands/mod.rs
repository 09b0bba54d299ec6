//! The checker's commands, one per file.

pub mod bench;
pub mod collect;
pub mod diagnostics;
pub mod grade;
pub mod grade_file;
pub mod grade_many;
pub mod hint;
pub mod list;
pub mod merge;
pub mod new;
pub mod reset;
pub mod template;
pub mod timeline;
pub mod validate;
pub mod verify;
pub mod watch;
