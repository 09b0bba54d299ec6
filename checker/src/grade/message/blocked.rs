//! Wording of a call that blocked, waited forever or moved the clock: what the watchdog, the
//! virtual clock's limit and the trace found (busy loops, blocking calls, deadlocks, a clock
//! moved by the code).

use crate::text::numbers::secs;

/// A call that used up its virtual time while being woken now and then.
pub const NEVER_FINISHES: &str =
    "it never finishes: a loop that keeps sleeping, or waiting on something that never comes";

/// A call in which nothing ran after `still_from` seconds on the clock, until the virtual
/// limit: every task waited, and no timer was due.
pub fn never_woken(still_from: f64) -> String {
    format!(
        "waited for something that never happens: nothing ran after {} on the clock (every task waited, and no timer was due), so it waited until the limit: tasks that wait on each other, or a channel or handle nobody will ever fill",
        secs(still_from)
    )
}

/// [`never_woken`] with what the trace shows still waiting when the clock stood still: each
/// spawn site with its count of tasks and when they last ran (`waiting`, already in words).
pub fn deadlocked(still_from: f64, waiting: &[String]) -> String {
    format!(
        "waited for something that never happens, a deadlock: nothing ran after {} on the clock, every task waited and no timer was due, so nothing could ever wake them. Still waiting: the call itself{}. Tasks that wait on each other, or on a channel or handle nobody will ever fill, wait forever",
        secs(still_from),
        waiting.iter().map(|w| format!(", {w}")).collect::<String>()
    )
}

/// A call that used up its virtual time (`message`), with the tasks that still waited then
/// (`waiting`, each as [`waiting_tasks`] words it).
pub fn still_waiting_at_limit(message: &str, waiting: &[String]) -> String {
    format!("{message}; still waiting then: {}", waiting.join(", "))
}

/// One group of tasks of a deadlock ([`deadlocked`]): `count` tasks spawned at `site`, the
/// last of them polled at `last_ran` seconds (`None`: never polled), waiting for `waits`
/// (each a resource as [`resource`] names it; empty: on nothing tokio instruments).
pub fn waiting_tasks(site: &str, count: usize, last_ran: Option<f64>, waits: &[String]) -> String {
    let tasks = if count == 1 {
        "the task".to_string()
    } else {
        format!("{count} tasks")
    };
    let ran = match last_ran {
        Some(at) => format!("last ran at {}", secs(at)),
        None => "never ran".to_string(),
    };
    if waits.is_empty() {
        format!("{tasks} spawned at {site} ({ran})")
    } else {
        format!(
            "{tasks} spawned at {site} ({ran}, waiting for {})",
            waits.join(" or ")
        )
    }
}

/// A resource a task waits for: `the Mutex created at 20_dining.rs:9` (`kind` as tokio names
/// it: `Mutex`, `Semaphore`, `Barrier`, `RwLock`...).
pub fn resource(kind: &str, site: &str) -> String {
    format!("the {kind} created at {site}")
}

/// The real-time watchdog stopped a call whose virtual clock kept moving.
pub fn still_running(real: f64, clock_at: f64) -> String {
    format!(
        "still running after {} of real time, with the virtual clock at {} and moving: it does far more waiting than the lesson needs, or never stops (one wait after another instead of all at once?)",
        secs(real),
        secs(clock_at)
    )
}

/// The watchdog stopped a call parked with no timer pending.
pub fn never_happens(real: f64, clock_at: f64) -> String {
    format!(
        "waited for something that never happens: with no timer pending, the clock stood still at {} for {} of real time (a task that never completes, or a handle or channel nobody will ever fill)",
        secs(clock_at),
        secs(real)
    )
}

/// The watchdog stopped a `yield_now` loop.
pub fn yield_loop(real: f64, clock_at: f64) -> String {
    format!(
        "a yield_now loop: for {} of real time tasks kept handing the thread back and taking it again at once, with no timer to wait for, so the virtual clock stood at {}. tokio::task::yield_now in a loop never lets time pass; await a sleep, or what you are waiting for",
        secs(real),
        secs(clock_at)
    )
}

/// The watchdog stopped a loop that raced a pinned `sleep` in a `select!` (the source shows
/// both) while tasks kept being polled with no timer due.
pub fn fired_sleep_polled(real: f64, clock_at: f64) -> String {
    format!(
        "a `sleep` that has fired stays ready: the loop races a pinned `sleep` by `&mut` in a `select!`, and once it fired (the clock stood at {}) it won every turn at once, so for {} of real time the loop ran without letting time pass. Create the `sleep` anew each turn, inside the `select!`, so that every turn waits its full time",
        secs(clock_at),
        secs(real)
    )
}

/// The watchdog stopped tasks that kept being polled with no timer due, in code that uses
/// neither `yield_now` nor a pinned `sleep`: the symptom, plainly.
pub fn always_ready(real: f64, clock_at: f64) -> String {
    format!(
        "the code kept running without ever waiting: for {} of real time tasks were polled again and again and each await completed at once, so the virtual clock stood at {}. Something awaited in a loop is ready every time; await what you are waiting for, or a sleep",
        secs(real),
        secs(clock_at)
    )
}

/// The watchdog stopped a busy loop.
pub fn busy_loop(real: f64, clock_at: f64) -> String {
    format!(
        "a busy loop blocked the executor: one call kept the CPU busy for {} of real time without ever returning to it, so no other task ran and the virtual clock stood at {}. Await tokio::time::sleep (or what you wait for) instead of spinning",
        secs(real),
        secs(clock_at)
    )
}

/// The watchdog stopped a thread waiting on a lock, a blocking receive or a join.
pub fn locked(real: f64, clock_at: f64) -> String {
    format!(
        "blocked the executor's thread for {} of real time waiting on a lock, a blocking receive or a thread join (std::sync::Mutex, blocking_recv, JoinHandle::join, futures::executor::block_on), while the virtual clock stood at {}: await instead",
        secs(real),
        secs(clock_at)
    )
}

/// The watchdog stopped a thread in a blocking system call.
pub fn blocking_syscall(real: f64, clock_at: f64) -> String {
    format!(
        "blocked the executor's thread for {} of real time in a blocking system call (a read, a wait for a process), while the virtual clock stood at {}: use tokio's async version",
        secs(real),
        secs(clock_at)
    )
}

/// The watchdog stopped a thread waiting in the kernel for what the OS does not say (macOS,
/// Windows), and the source shows no `std::thread::sleep`.
pub fn waiting_in_kernel(real: f64, clock_at: f64) -> String {
    format!(
        "blocked the executor's thread for {} of real time waiting in the kernel (std::thread::sleep, a std lock, a blocking read or join), while the virtual clock stood at {}: await tokio's version instead",
        secs(real),
        secs(clock_at)
    )
}

/// The watchdog stopped a thread asleep.
pub fn thread_slept(real: f64, clock_at: f64) -> String {
    format!(
        "std::thread::sleep blocked the executor's thread for {} of real time while the virtual clock stood at {}: no other task can run meanwhile. Use tokio::time::sleep(...).await",
        secs(real),
        secs(clock_at)
    )
}

/// The code called `tokio::time::{call}` (`pause`, `resume` or `advance`, as its source or
/// tokio's panic shows) on the clock the checker paused.
pub fn moved_the_clock_by(call: &str) -> String {
    format!(
        "the code called `tokio::time::{call}` itself: the checker already runs every case on a paused clock that moves only while all tasks wait. Remove that call and let time pass by awaiting (`sleep`, `interval`, `timeout`)"
    )
}

/// The paused clock moved while code ran, and the source calls none of tokio's clock controls
/// (another crate's code did): the symptom.
pub const CLOCK_MOVED_WHILE_RUNNING: &str = "the virtual clock moved while the code ran, not while it waited: something called tokio's clock controls (`pause`, `resume`, `advance`), which the checker's paused clock leaves to itself. Let time pass by awaiting instead";

/// What failed when the paused clock moved while the code ran.
pub fn moved_the_clock(moved: f64) -> String {
    format!(
        "the virtual clock moved {} while the code was running, not waiting: the call's times were not earned by waiting",
        secs(moved)
    )
}

/// A call whose thread slept in the kernel longer than allowed.
pub fn blocked_in_kernel(blocked: f64, elapsed: f64) -> String {
    format!(
        "blocked the executor: the call's thread slept {} of real time in a blocking call while the virtual clock moved {}. std::thread::sleep (or a std lock, channel or blocking read) holds the only thread, so no other task runs and no timer fires; await tokio::time::sleep (or tokio's version of the lock or channel) instead",
        secs(blocked),
        secs(elapsed)
    )
}

/// A call whose real time ran well past its virtual time.
pub fn real_past_virtual(real: f64, elapsed: f64) -> String {
    format!(
        "blocked the executor: the call took {} of real time but only {} on the virtual clock. std::thread::sleep or a busy loop holds the thread; await tokio::time::sleep instead",
        secs(real),
        secs(elapsed)
    )
}
