//! Reports of a grading run.

pub mod human;
pub mod json;
pub mod style;
