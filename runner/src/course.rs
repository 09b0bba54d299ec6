//! The course's binding table, made from the lesson registry (`course.toml`) by the runner's
//! build script: [`bind_lesson!`](crate::bind_lesson) binds one lesson's functions,
//! [`course_bindings!`](crate::course_bindings) all the lessons of a crate, and
//! [`stub!`](crate::stub) stands in for a lesson file that does not compile. A new lesson is
//! one `[[lesson]]` entry in `course.toml` (`checker new` writes it).

include!(concat!(env!("OUT_DIR"), "/course_macros.rs"));

/// What a stub's function does when called: panics with [`NOT_BUILT`](crate::protocol::NOT_BUILT)
/// and the lesson's id, which the checker turns into "needs lesson N, which does not compile
/// yet" for the lesson that called it.
#[doc(hidden)]
pub fn not_built(lesson: &str) -> ! {
    panic!("{} `{lesson}`", crate::protocol::NOT_BUILT)
}
