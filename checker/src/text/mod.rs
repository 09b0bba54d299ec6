//! Text for people, shared by every layer that writes it: how a number is written
//! ([`numbers`]) and how untrusted text is made safe to show ([`safe`]). A leaf: it imports
//! nothing of the crate, so grading, expressions, timelines, reports and the class tools can
//! all use it without depending on a renderer.

pub mod numbers;
pub mod safe;
