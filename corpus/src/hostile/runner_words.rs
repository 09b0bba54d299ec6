//! Mistake: says on stderr, in the runner's own words, that the runner failed, then ends the
//! process: a case the runner could not run is an error of the checker's, not a failure, so a
//! lesson that passed for one would hide its own crash.
//! Lesson: say_hello
//! Expect: remove std::process::exit

/// Prints the runner's failure line, then exits the whole process with the runner's status.
pub async fn say_hello() {
    eprintln!("asynclings runner: cannot confine a served case: imitated");
    std::process::exit(2);
}
