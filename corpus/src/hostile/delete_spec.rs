//! Mistake: deletes a spec file of the course. Its working directory is an empty scratch folder and
//! its environment names nothing of the checker's, so it asks Linux where the checker runs (its
//! nearest ancestor named `checker`), `/proc/<checker>/cwd`, finds `specs/` there or above, deletes
//! a spec of another lesson, then does the lesson right.
//! Lesson: say_hello
//! Expect: changed or deleted spec files

use std::path::PathBuf;
use std::time::Duration;

/// The spec it deletes: that of lesson 12, measure_runtime (not its own lesson, so the test
/// can see that lesson still graded from the spec the checker read at the start).
pub const VICTIM: &str = "12_measure_runtime.toml";

/// The `specs/` folder of the checker running this case: from the checker's working
/// directory upwards, as the checker itself looks for it. `None` off Linux or when hidden.
fn checkers_specs() -> Option<PathBuf> {
    let checker = crate::hostile::checker_pid();
    let cwd = std::fs::read_link(format!("/proc/{checker}/cwd")).ok()?;
    cwd.ancestors()
        .map(|dir| dir.join("specs"))
        .find(|specs| specs.join(VICTIM).is_file())
}

/// Deletes measure_runtime's spec, then prints `Hello`, waits, prints `World`.
pub async fn say_hello() {
    if let Some(specs) = checkers_specs() {
        let _ = std::fs::remove_file(specs.join(VICTIM));
    }
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
}
