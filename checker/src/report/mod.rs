//! Reports of a grading run.

pub mod classroom;
pub mod classroom50;
pub mod gradescope;
pub mod human;
pub mod json;
pub mod junit;
pub mod machine;
pub mod numbers;
pub mod safe;
pub mod style;
