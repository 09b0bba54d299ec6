//! Wording of what the source shows: a forbidden name, a missing call, and the mistakes read
//! from the code (a copied local, seconds cut to whole ones, a permit left in the loop, a
//! result sorted in disguise).

/// The headline of a forbidden name found in the source: the finding, then the rule's word.
pub fn forbidden(function: &str, name: &str, place: &str, via: Option<&str>, says: &str) -> String {
    let via = via.map_or(String::new(), |helper| format!(" through `{helper}`"));
    format!("`{function}` uses `{name}`{via} ({place}): {says}")
}

/// The source-check message of a forbidden name.
pub fn forbidden_message(function: &str, name: &str, place: &str, via: Option<&str>) -> String {
    let via = via.map_or(String::new(), |helper| {
        format!(", in `{helper}` which it calls")
    });
    format!("`{function}` uses `{name}` ({place}{via})")
}

/// A forbidden name used in a blocking thread (`spawn_blocking`): it holds that thread, not
/// the executor's, but sleeps in real time, which tokio's paused clock does not follow.
pub fn forbidden_in_blocking_thread(function: &str, name: &str, place: &str) -> String {
    format!(
        "`{function}` calls `{name}` on a blocking thread (spawn_blocking, {place}): that thread waits in real time, which tokio's clock does not follow, so the task's delay is not a tokio timer and the runtime cannot see it pass. Await tokio::time::sleep in the task instead of a blocking thread"
    )
}

/// The source-check message of a required call that is missing.
pub fn never_calls(function: &str, name: &str) -> String {
    format!("`{function}` never calls `{name}`")
}

/// What precedes the runtime symptom when it is shown as the evidence of a source finding.
pub fn evidence(symptom: &str) -> String {
    format!("what the run showed: {symptom}")
}

/// A plain local (`name`, declared on line `declared` of `file`) that the `move` block on line
/// `captured` copied before the function set it again on line `assigned`.
pub fn copied_local(
    file: &str,
    name: &str,
    declared: usize,
    captured: usize,
    assigned: usize,
) -> String {
    format!(
        "the task never saw `{name}` change: the `move` block at {file}:{captured} took its own copy of `{name}` (a plain value, declared at line {declared}) when it was made, so setting it at line {assigned} changed the function's copy only. Share the signal instead, through a channel both ends hold: a `tokio::sync::watch` channel's sender and receiver"
    )
}

/// Seconds cut to whole ones: `operand` (a float) cast to an integer for `Duration::from_secs`
/// at `file:line`.
pub fn whole_seconds(file: &str, line: usize, operand: &str) -> String {
    format!(
        "`Duration::from_secs` takes whole seconds: `{operand}`, cast to an integer for it at {file}:{line}, was cut off its fraction, so 2.5 s became 2 s and 0.4 s became 0. `Duration::from_secs_f64({operand})` keeps it"
    )
}

/// A duration read in whole seconds: `operand.as_secs()` at `file:line`.
pub fn as_secs(file: &str, line: usize, operand: &str) -> String {
    format!(
        "`Duration::as_secs` reads whole seconds: `{operand}.as_secs()` at {file}:{line} dropped the fraction of what was measured, so every value came back whole (2.7 s reads as 2). `as_secs_f64()` keeps it, or keep the `Duration` itself"
    )
}

/// A permit bound to `name` at `file:line`, in a loop that spawns tasks that never take it.
pub fn permit_left(file: &str, line: usize, name: &str) -> String {
    format!(
        "the permit `{name}` acquired at {file}:{line} stayed in the loop that spawns the tasks: it was dropped at the end of that turn, right after the spawn, so it held back none of the task's work. Move it into the task (`async move {{ let _held = {name}; ... }}`), or acquire it inside the task"
    )
}

/// The headline of a result sorted in disguise.
pub fn reordered(function: &str, combinator: &str, place: &str, calls: usize, n: usize) -> String {
    format!(
        "sorting in disguise: `{function}` collects its results with {combinator} ({place}), which keeps the order the work was started in, yet all {calls} call(s) of {n} or more values came back in ascending order. The values were reordered after the fact: collect them as they finish (JoinSet::join_next, FuturesUnordered) instead"
    )
}

/// The message of a case failed for a result sorted in disguise.
pub fn reordered_message(n: usize) -> String {
    format!(
        "every call returned its {n} or more values sorted: by chance, an order-keeping combinator returns random delays sorted far less than once in a million runs"
    )
}
