//! What the checker and a runner process say to each other.
//!
//! The checker starts one runner process per case with a [`CaseRequest`] (JSON, in an
//! environment variable) and reads back one [`CaseReport`] from a result file of its own,
//! framed with a per-run secret. Student code shares the process, so nothing it prints on
//! stdout or stderr can be mistaken for a result: see [`frame`] and [`unframe`].

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Environment variable holding the JSON [`CaseRequest`].
pub const REQUEST_ENV: &str = "ASYNCLINGS_REQUEST";
/// Environment variable holding the per-run secret that frames the result.
pub const SECRET_ENV: &str = "ASYNCLINGS_SECRET";
/// The file descriptor the result is written to (a file the checker opened for the child).
pub const RESULT_FD: i32 = 3;
/// Environment variable holding, on Windows, the absolute path of the result file: an empty
/// file the checker created for this case. Windows has no numbered descriptors to inherit, so
/// the runner opens the file by name before the code under test runs, removes the variable,
/// and checks before writing that its handle still refers to that file (volume serial number
/// and file index), as it checks fd 3 on Unix. Unused on Unix, where [`RESULT_FD`] is the
/// channel.
pub const RESULT_PATH_ENV: &str = "ASYNCLINGS_RESULT_PATH";
/// How the panic of a stub's function starts (`runner::not_built`): the lesson it stands in
/// for does not compile, and the checker built every other lesson against the stub.
pub const NOT_BUILT: &str =
    "asynclings: a stub stands in for this lesson, whose file does not compile:";
/// The key of the JSON object a returned `Err` becomes: `{"error": {"kind": .., "message": ..}}`
/// (see the runner's `Report` for `Result`).
pub const ERROR_KEY: &str = "error";

/// The kinds of error a returned `Err` reports, each with the error types it covers: the
/// checker accepts these in a spec's `expect.error`.
pub const ERROR_KINDS: &[(&str, &str)] = &[
    (
        "timeout",
        "tokio::time::error::Elapsed: a `timeout` ran out",
    ),
    (
        "cancelled",
        "tokio::task::JoinError of a task that was aborted",
    ),
    ("panicked", "tokio::task::JoinError of a task that panicked"),
    (
        "closed",
        "a channel's SendError or RecvError: the other side is gone",
    ),
    ("other", "any other error type (its message is kept)"),
];

/// Magic word that starts a result frame.
pub const FRAME_MAGIC: &str = "ASYNCLINGS-RESULT";
/// Magic word of the line the runner writes on the result channel, with the run's secret, just
/// before the code under test first runs ([`started_line`]): a process that ended without it
/// failed in the runner's own set-up, where no code of the lesson had run yet.
pub const STARTED_MAGIC: &str = "ASYNCLINGS-STARTED";
/// What the runner says on stderr (after "asynclings runner: ") when the code under test closed
/// fd 3 (on Windows: the result file's handle) or put another file in its place, so that no
/// report can be written.
pub const CHANNEL_LOST: &str = "the code under test closed or replaced the result channel (fd 3)";

/// The longest duration the checker and runner use: 30 days.
pub const MAX_SECONDS: f64 = 30.0 * 24.0 * 3600.0;

/// Seconds as a `Duration`, never panicking: NaN and negatives are zero, anything past
/// [`MAX_SECONDS`] is capped there (times come from specs and from the code under test).
pub fn seconds(value: f64) -> std::time::Duration {
    if value.is_nan() || value <= 0.0 {
        return std::time::Duration::ZERO;
    }
    std::time::Duration::from_secs_f64(value.min(MAX_SECONDS))
}

/// Which clock a case runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ClockMode {
    /// tokio's paused clock: time jumps to the next timer when every task waits.
    #[default]
    Virtual,
    /// The wall clock: a 10 s lesson takes 10 s.
    Real,
}

/// What the checker sends a case server (`RUNNER --serve`, Linux) with each case, beside the
/// descriptors it passes with it ([`SERVED_FDS`] of them, in that order: the case file, the
/// result channel, stderr, the scratch folder). The case itself is not in it: the server never
/// reads a case (the child it forks does, from the case file), so no case's data stays in the
/// server for a later case to find.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServedCase {
    /// The case's scratch folder (its working and temporary folder, the one it may write).
    pub scratch: std::path::PathBuf,
    /// RLIMIT_CPU of the case's process, in seconds.
    pub cpu_seconds: u64,
    /// RLIMIT_FSIZE, in bytes.
    pub file_size: u64,
    /// RLIMIT_AS, in bytes.
    pub memory: u64,
    /// Whether the case confines itself with a Landlock domain of its own (the server is
    /// confined by Landlock, so the kernel has it).
    pub confine: bool,
}

/// Descriptors passed with a [`ServedCase`].
pub const SERVED_FDS: usize = 4;

/// What the case file passed to a case server holds: the request and this run's secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServedRequest {
    /// The case.
    pub request: CaseRequest,
    /// The secret its report must carry.
    pub secret: String,
}

/// What a case server says of a case: first that it started, then how it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerSays {
    /// The case's process runs, with this pid (also its process group and session id).
    Started {
        /// Process id.
        pid: i32,
    },
    /// It ended, with this wait status (as `waitpid` gives it); it is reaped when the next
    /// case arrives or the server's channel closes, so that its id names nobody else meanwhile.
    Ended {
        /// Raw wait status.
        status: i32,
    },
}

/// One case for a runner process to execute.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseRequest {
    /// Lesson the function belongs to (the module name, e.g. `wait_n`).
    pub lesson: String,
    /// Function to call, as named in the binding table.
    pub function: String,
    /// Arguments by parameter name.
    #[serde(default)]
    pub args: Map<String, Value>,
    /// How many times to call the function, one call after the other on the same runtime.
    #[serde(default = "one")]
    pub repeat: u32,
    /// Which clock to run on.
    #[serde(default)]
    pub clock: ClockMode,
    /// For functions that return a task handle: the time (seconds after the call) at which
    /// the runner looks whether the task has finished without being awaited.
    #[serde(default)]
    pub probe_at: Option<f64>,
    /// Seconds of virtual time to let pass after each call returns, before the next call or
    /// the report: what the call left running (a task it did not stop, a future it did not
    /// drop) gets the time to show itself, in the lines it prints.
    #[serde(default)]
    pub settle: f64,
    /// Real-time budget in seconds; past it the runner reports what it saw and exits.
    pub real_timeout: f64,
    /// Virtual-time budget in seconds; past it the call is abandoned as never finishing.
    pub virtual_timeout: f64,
    /// Most bytes of stdout kept; the rest is counted and dropped.
    pub stdout_cap: u64,
    /// Confine the thread that runs the code under test further than the process (Linux:
    /// a second Landlock layer with no `/proc`, no program to execute, and no file but the
    /// case's scratch folder, `/dev/null`, `/dev/urandom` and the system's libraries). Set by
    /// the checker when the case's process is itself confined by Landlock.
    #[serde(default)]
    pub confine_call: bool,
    /// Record what ran (every task and timer of the call: `crate::timeline`) and send it back
    /// in [`CaseReport::timeline`]. Switched on at run time, by the request alone: the
    /// runner is the same binary either way, so lesson code cannot tell a recorded call from
    /// a graded one when it is compiled; a call not recorded pays nothing for it.
    #[serde(default)]
    pub record: bool,
    /// The peers of a network lesson's case: the other ends of its connections, each with its
    /// script (`crate::net`). Empty for every other case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub peers: Vec<crate::net::PeerScript>,
    /// Seconds each call of the slow function (`crate::cpu::digest`) takes, on the case's
    /// clock (the spec's `cost`); 0 for every case that has none.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub cost: f64,
    /// For a server told to stop (a function that takes a `CancellationToken`): when the
    /// runner cancels the token, in seconds after the call starts (`crate::net`); `None`:
    /// never.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shutdown: Option<f64>,
    /// The case's seed: every random draw of the code under test (getrandom, so rand's
    /// `rng()` and `random()`) and tokio's random choices (which `select!` branch is polled
    /// first) come from it (`crate::draws`). The checker derives it from the run's seed and
    /// the case's identity.
    #[serde(default)]
    pub seed: u64,
}

fn is_zero(value: &f64) -> bool {
    *value == 0.0
}

fn one() -> u32 {
    1
}

/// Where the seed's digits are in a serialised request (the last `"seed":`: the field comes
/// last, after arguments that might be named so), for the runner to blank them.
pub fn seed_digits(request: &str) -> Option<std::ops::Range<usize>> {
    const KEY: &str = "\"seed\":";
    let start = request.rfind(KEY)? + KEY.len();
    let len = request[start..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    (len > 0).then(|| start..start + len)
}

/// A line the code under test printed, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// The text, without the newline (bytes that are not UTF-8 replaced by U+FFFD).
    pub text: String,
    /// Seconds on the case's clock at which the line was written.
    pub at: f64,
    /// The bytes as written, when they are not UTF-8 (`text` then holds replacements): kept
    /// so that reports can show exactly what was printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<Vec<u8>>,
}

/// What one call of the function did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// The value returned (`null` for `()`, seconds for a `Duration`, a list for a stream).
    pub value: Value,
    /// Seconds the call took on the case's clock.
    pub elapsed: f64,
    /// Seconds the call took on the wall clock.
    pub real: f64,
    /// For streams: seconds after the call at which each item arrived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrivals: Option<Vec<f64>>,
    /// For task handles: whether the task had finished, unawaited, at [`CaseRequest::probe_at`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finished_unawaited: Option<bool>,
    /// Seconds the runtime's thread spent blocked in the kernel during the call: on Linux real
    /// time minus its time on a CPU and its time waiting for one (`/proc/thread-self/schedstat`);
    /// on macOS and Windows sampled, never counting time waiting for a CPU (see the runner's
    /// `os::BlockedTime`).
    /// `std::thread::sleep`, a std lock or channel, or blocking I/O add to it; a loaded machine
    /// does not (that is time waiting for a CPU), and neither does the paused runtime, which
    /// advances its clock instead of sleeping. `None` where the kernel does not report it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked: Option<f64>,
    /// On the virtual clock: seconds the paused clock moved during the call while the runtime
    /// was running rather than parked, that is, moved by the code itself
    /// (`tokio::time::advance`, or `resume` letting real time through) rather than by waiting;
    /// absent when none did (the runner's `ClockState::moved_while_running`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved_clock: Option<f64>,
}

/// How the case ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum Outcome {
    /// Every call returned.
    Returned {
        /// One entry per call.
        runs: Vec<Run>,
    },
    /// The code panicked.
    Panicked {
        /// The panic message.
        message: String,
        /// `file:line:column` of the panic, when known.
        location: Option<String>,
        /// The panic came from `todo!()` or `unimplemented!()`: a stub.
        not_implemented: bool,
        /// Seconds on the case's clock when it panicked.
        at: f64,
    },
    /// The runner's own watchdog stopped the case after its real-time budget.
    RealTimeout {
        /// Seconds of real time that passed.
        real: f64,
        /// Where the virtual clock stood.
        clock_at: f64,
        /// Seconds of CPU time the process used meanwhile.
        cpu: f64,
        /// The runtime was parked (waiting for an event that never came) rather than running.
        parked: bool,
        /// The virtual clock was still moving near the end: the code runs, it just never ends.
        clock_moving: bool,
        /// The scheduler kept cycling near the end (tasks were polled, yielded, polled again)
        /// while the clock stood still: a `yield_now` loop, not a thread held by one call.
        #[serde(default)]
        cycling: bool,
        /// What the runtime's thread was doing near the end, when the system says (Linux, macOS, Windows).
        #[serde(default)]
        main_thread: Option<ThreadState>,
    },
    /// The call did not finish within the virtual-time budget.
    VirtualTimeout {
        /// The budget, in seconds of virtual time.
        limit: f64,
        /// Seconds of virtual time before the limit during which nothing ran: every task of
        /// the call waited, and no timer of theirs was due (`watchdog::ClockState::still_since`).
        #[serde(default)]
        idle_for: Option<f64>,
    },
    /// The request itself was wrong (unknown function, bad arguments).
    BadRequest {
        /// What was wrong.
        message: String,
    },
}

/// What a thread was doing when the watchdog looked: from `/proc` on Linux, which tells running,
/// sleeping, locked and blocked apart; macOS and Windows only tell [`ThreadState::Running`]
/// from [`ThreadState::Waiting`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThreadState {
    /// On the CPU, or waiting for it: computing (a busy loop).
    Running,
    /// In `nanosleep` or `clock_nanosleep`: `std::thread::sleep`.
    Sleeping,
    /// In `futex`: waiting for a lock, a condition variable, or a thread to end.
    Locked,
    /// In another blocking system call (a read, a wait for a child, ...).
    Blocked,
    /// Waiting in the kernel, for what the OS does not say (macOS, Windows): a sleep, a lock
    /// or another blocking call.
    Waiting,
}

/// A process the code under test started that was still alive when the case reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftProcess {
    /// Its process id.
    pub pid: i32,
    /// Its command name (`comm`), at most 15 bytes.
    pub name: String,
    /// It had left the case's process group (setsid, a double fork into a new group).
    pub escaped: bool,
}

/// Everything a runner process reports about one case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseReport {
    /// How it ended.
    pub outcome: Outcome,
    /// Lines printed on stdout, with the time each was printed.
    pub stdout: Vec<Line>,
    /// Bytes of stdout dropped past the cap.
    pub stdout_dropped: u64,
    /// OS threads the code under test started that were still running at the end.
    #[serde(default)]
    pub threads_left: u32,
    /// Processes the code under test started that were still running at the end.
    #[serde(default)]
    pub processes_left: Vec<LeftProcess>,
    /// What ran when, from a runner built with the timeline hooks (`crate::timeline`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeline: Option<Box<crate::timeline::Timeline>>,
    /// What each peer of a network lesson's case received, and when (`crate::net`), in the
    /// order of the case's peers; empty for every other case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transcripts: Vec<crate::net::PeerTranscript>,
    /// For a client lesson: when the client tried to connect, each time (`crate::net`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attempts: Vec<f64>,
    /// Every call of the slow function (`crate::cpu`): the thread it ran on, when it started
    /// and ended; empty for a case that made none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cpu: Vec<crate::cpu::CpuCall>,
    /// For a server told to stop: when the runner fired its shutdown signal, in seconds after
    /// the call started (`crate::net`); `None` when the case has none or the call ended first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shutdown_at: Option<f64>,
}

/// Description of one callable function, as listed by `RUNNER --manifest`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionInfo {
    /// Lesson (module) the function belongs to.
    pub lesson: String,
    /// Function name.
    pub name: String,
    /// Parameter names, in order.
    pub params: Vec<String>,
    /// How the runner drives it.
    pub shape: Shape,
    /// The source file that defines it.
    pub source: String,
    /// A server told to stop: it takes a `CancellationToken`, which the runner cancels at a
    /// case's `shutdown` time.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stoppable: bool,
}

/// How a function is called and its result collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Shape {
    /// An `async fn`: awaited.
    Future,
    /// A plain function returning a `JoinHandle`: called, probed, then awaited.
    Task,
    /// A plain function returning a `Stream`: every item collected with its arrival time.
    Stream,
}

/// Wraps a report in a frame that only the holder of `secret` can forge.
pub fn frame(secret: &str, report: &CaseReport) -> Vec<u8> {
    let body = serde_json::to_string(report).unwrap_or_else(|error| {
        // A report is plain data; failing to serialise it is a bug in the runner.
        panic!("cannot serialise the case report: {error}")
    });
    format!("{FRAME_MAGIC} {secret} {}\n{body}\n", body.len()).into_bytes()
}

/// The line that says the code under test is about to run: `ASYNCLINGS-STARTED SECRET\n`.
pub fn started_line(secret: &str) -> Vec<u8> {
    format!("{STARTED_MAGIC} {secret}\n").into_bytes()
}

/// What a result file holds: whether the code under test started ([`started_line`]), and the
/// frame after that line.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultFile {
    /// The started line was there, with this run's secret.
    pub started: bool,
    /// The one frame that must follow it ([`unframe`] of the rest).
    pub report: Result<CaseReport, FrameError>,
}

/// Reads a result file: an optional started line, then the one frame.
pub fn read_result(secret: &str, bytes: &[u8]) -> ResultFile {
    let line = started_line(secret);
    if let Some(rest) = bytes.strip_prefix(line.as_slice()) {
        return ResultFile {
            started: true,
            report: unframe(secret, rest),
        };
    }
    let report = if bytes.starts_with(STARTED_MAGIC.as_bytes()) {
        Err(FrameError::Forged(
            "the start line does not carry this run's secret".into(),
        ))
    } else {
        unframe(secret, bytes)
    };
    ResultFile {
        started: false,
        report,
    }
}

/// Whether a printed line imitates a result frame (a forgery attempt on the wrong channel).
pub fn looks_like_frame(text: &str) -> bool {
    text.contains(FRAME_MAGIC)
}

/// Why a result file could not be read as exactly one genuine frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    /// Nothing was written: the process ended before reporting.
    Empty,
    /// Something other than one well-formed frame with the right secret was written.
    Forged(String),
}

/// Reads the one frame a result file must hold.
pub fn unframe(secret: &str, bytes: &[u8]) -> Result<CaseReport, FrameError> {
    if bytes.is_empty() {
        return Err(FrameError::Empty);
    }
    let forged = |why: &str| FrameError::Forged(why.to_string());
    let newline = bytes
        .iter()
        .position(|&b| b == b'\n')
        .ok_or_else(|| forged("no frame header"))?;
    let header =
        std::str::from_utf8(&bytes[..newline]).map_err(|_| forged("header is not text"))?;
    let mut words = header.split(' ');
    if words.next() != Some(FRAME_MAGIC) {
        return Err(forged("the result channel does not start with a frame"));
    }
    if words.next() != Some(secret) {
        return Err(forged("the frame does not carry this run's secret"));
    }
    let len: usize = words
        .next()
        .and_then(|w| w.parse().ok())
        .ok_or_else(|| forged("frame length missing"))?;
    // The length comes from the file, which the code under test can write: an absurd one must
    // be a forged frame, not an overflow.
    let body_start = newline + 1;
    let (body_end, frame_end) = body_start
        .checked_add(len)
        .and_then(|end| Some((end, end.checked_add(1)?)))
        .ok_or_else(|| forged("frame length out of range"))?;
    if bytes.len() != frame_end || bytes[body_end] != b'\n' {
        return Err(forged("extra bytes around the frame"));
    }
    serde_json::from_slice(&bytes[body_start..body_end])
        .map_err(|error| FrameError::Forged(format!("frame body is not a report: {error}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> CaseReport {
        CaseReport {
            outcome: Outcome::Returned {
                runs: vec![Run {
                    value: Value::from(1.5),
                    elapsed: 1.5,
                    real: 0.001,
                    arrivals: None,
                    finished_unawaited: None,
                    blocked: Some(0.0),
                    moved_clock: None,
                }],
            },
            stdout: vec![Line {
                text: "Hello".into(),
                at: 0.0,
                raw: None,
            }],
            stdout_dropped: 0,
            threads_left: 0,
            processes_left: Vec::new(),
            timeline: None,
            transcripts: Vec::new(),
            attempts: Vec::new(),
            cpu: Vec::new(),
            shutdown_at: None,
        }
    }

    #[test]
    fn a_frame_reads_back() {
        let bytes = frame("s3cret", &report());
        assert_eq!(unframe("s3cret", &bytes), Ok(report()));
    }

    #[test]
    fn a_frame_with_another_secret_is_forged() {
        let bytes = frame("guess", &report());
        assert!(matches!(
            unframe("s3cret", &bytes),
            Err(FrameError::Forged(_))
        ));
    }

    #[test]
    fn bytes_before_or_after_the_frame_are_forged() {
        let mut bytes = b"noise\n".to_vec();
        bytes.extend(frame("s", &report()));
        assert!(matches!(unframe("s", &bytes), Err(FrameError::Forged(_))));
        let mut bytes = frame("s", &report());
        bytes.extend(frame("s", &report()));
        assert!(matches!(unframe("s", &bytes), Err(FrameError::Forged(_))));
    }

    #[test]
    fn the_start_line_says_the_code_under_test_ran_and_only_with_the_secret() {
        let mut bytes = started_line("s");
        let ended = read_result("s", &bytes);
        assert!(ended.started);
        assert_eq!(ended.report, Err(FrameError::Empty));
        bytes.extend(frame("s", &report()));
        let reported = read_result("s", &bytes);
        assert!(reported.started);
        assert_eq!(reported.report, Ok(report()));
        // Nothing written: the runner failed before the code under test ran.
        let nothing = read_result("s", b"");
        assert!(!nothing.started);
        assert_eq!(nothing.report, Err(FrameError::Empty));
        // A frame alone (no start line) is still read, and a start line of another secret is
        // forged, as is one written again after the first.
        assert_eq!(
            read_result("s", &frame("s", &report())).report,
            Ok(report())
        );
        let guessed = read_result("s", &started_line("guess"));
        assert!(!guessed.started);
        assert!(matches!(guessed.report, Err(FrameError::Forged(_))));
        let mut twice = started_line("s");
        twice.extend(started_line("s"));
        assert!(matches!(
            read_result("s", &twice).report,
            Err(FrameError::Forged(_))
        ));
    }

    #[test]
    fn seconds_never_panic() {
        assert_eq!(seconds(f64::NAN), std::time::Duration::ZERO);
        assert_eq!(seconds(-1.0), std::time::Duration::ZERO);
        assert_eq!(seconds(f64::INFINITY).as_secs_f64(), MAX_SECONDS);
        assert_eq!(seconds(1.5).as_millis(), 1500);
    }

    #[test]
    fn a_frame_length_that_overflows_is_forged_not_a_panic() {
        for len in [usize::MAX, usize::MAX - 1, usize::MAX - 25] {
            let bytes = format!("{FRAME_MAGIC} s {len}\n{{}}\n").into_bytes();
            assert_eq!(
                unframe("s", &bytes),
                Err(FrameError::Forged("frame length out of range".into())),
                "length {len}"
            );
        }
        // A length past the end of what was written is forged too.
        let bytes = format!("{FRAME_MAGIC} s 1000\n{{}}\n").into_bytes();
        assert!(matches!(unframe("s", &bytes), Err(FrameError::Forged(_))));
    }

    #[test]
    fn the_seed_is_found_in_a_request_as_serde_writes_it() {
        let request = CaseRequest {
            lesson: "wait_n".into(),
            function: "wait_n".into(),
            args: serde_json::from_str(r#"{"seed": 5, "n": 3}"#).unwrap(),
            repeat: 1,
            clock: ClockMode::Virtual,
            probe_at: None,
            settle: 0.0,
            real_timeout: 5.0,
            virtual_timeout: 100.0,
            stdout_cap: 10,
            confine_call: true,
            record: false,
            peers: Vec::new(),
            cost: 0.0,
            shutdown: None,
            seed: 1234,
        };
        let text = serde_json::to_string(&request).unwrap();
        let digits = seed_digits(&text).unwrap();
        assert_eq!(&text[digits.clone()], "1234", "{text}");
        assert!(text[..digits.start].contains(r#""lesson":"wait_n""#));
        assert_eq!(seed_digits(r#"{"lesson":"l"}"#), None);
    }

    #[test]
    fn nothing_written_is_empty() {
        assert_eq!(unframe("s", b""), Err(FrameError::Empty));
    }
}
