//! Wording of a class graded at once (`grade-many`): a student's submission that could not
//! be graded.

/// A student's submission of a class (`grade-many`) holds no lesson file.
pub const CLASS_NOTHING_FOUND: &str = "no lesson file was found in the submission";

/// A student's submission of a class took longer than `seconds` to build and grade.
pub fn class_timed_out(seconds: u64) -> String {
    format!(
        "stopped after {seconds} s: the build and the cases took too long (the report holds the cases that finished)"
    )
}

/// The checker could not grade a student's submission of a class (`code`: its exit status;
/// `said`: the end of what it wrote to stderr).
pub fn class_not_graded(code: i32, said: &str) -> String {
    format!("the checker could not grade it (exit status {code}): {said}")
}
