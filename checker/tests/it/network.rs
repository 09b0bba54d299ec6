//! The network lessons (part four): the checker plays the peers from the spec, and what each
//! received comes back as a transcript. The same code and seed give the same transcript byte
//! for byte; the seed decides where a chunked write is cut; a student who serves clients one
//! at a time is told so, with the transcript that shows it.

use crate::common::{SEED_ENV, checker, lesson_of, runner};
use serde_json::Value;

/// The JSON report of a run with `args` and `--seed seed`.
fn report(args: &[&str], seed: &str) -> Value {
    let output = checker()
        .env_remove(SEED_ENV)
        .args(args)
        .args(["--seed", seed, "--format", "json"])
        .output()
        .expect("the checker runs");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Each case of `lesson` with the transcripts it observed.
fn transcripts(report: &Value, lesson: &str) -> Vec<(String, Value)> {
    lesson_of(report, lesson)["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].to_string(), c["observed"]["transcripts"].clone()))
        .collect()
}

#[test]
fn the_reference_gives_the_same_transcripts_with_the_same_seed() {
    let solutions = runner("solutions");
    let args = ["--runner", solutions.to_str().unwrap()];
    let first = report(&args, "11");
    let second = report(&args, "11");
    for lesson in [
        "line_server",
        "frames",
        "retry_client",
        "shared_store",
        "chat",
        "digest_server",
    ] {
        assert_eq!(lesson_of(&first, lesson)["status"], "done", "{first:#}");
        let (a, b) = (transcripts(&first, lesson), transcripts(&second, lesson));
        assert_eq!(a, b);
        assert!(
            a.iter().filter(|(_, t)| t.is_array()).count() >= 3,
            "the visible cases carry their transcripts: {a:?}"
        );
    }
    let two_clients = &transcripts(&first, "line_server")[0].1;
    assert_eq!(
        two_clients[1],
        serde_json::json!({"name": "ben", "received": [{"at": 1.0, "data": "HI THERE\n"}], "closed_at": 1.0})
    );
}

#[test]
fn the_seed_decides_where_a_chunked_write_is_cut_and_replays_it() {
    let corpus = runner("corpus");
    let args = [
        "--runner",
        corpus.to_str().unwrap(),
        "--variant",
        "frames_read_not_exact",
        "frames",
    ];
    // The mistake answers the first piece of a message cut into pieces of 1 or 2 bytes.
    let first_answer = |report: &Value| {
        let case = &lesson_of(report, "frames")["cases"][3];
        case["observed"]["transcripts"][0]["received"][0]["data"].clone()
    };
    let answers: Vec<Value> = ["1", "2", "3", "4", "5", "6"]
        .iter()
        .map(|seed| first_answer(&report(&args, seed)))
        .collect();
    assert!(
        answers.iter().any(|a| a != &answers[0]),
        "six seeds, one cut: {answers:?}"
    );
    assert_eq!(first_answer(&report(&args, "3")), answers[2], "replayed");
}

#[test]
fn serving_one_client_at_a_time_is_named_with_the_transcript() {
    let corpus = runner("corpus");
    let report = report(
        &[
            "--runner",
            corpus.to_str().unwrap(),
            "--variant",
            "line_server_one_at_a_time",
            "line_server",
        ],
        "1",
    );
    let case = &lesson_of(&report, "line_server")["cases"][0];
    let diagnosis = case["diagnosis"].as_str().unwrap_or_default();
    assert!(
        diagnosis.starts_with("served the clients one at a time"),
        "{case:#}"
    );
    let message = case["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("peer `ben`: received `HI THERE` at 2 s; expected at 1 s (late)"),
        "{message}"
    );
    assert!(message.contains("what each peer received"), "{message}");
    assert!(message.contains("\"HI THERE\\n\""), "{message}");
}

#[test]
fn a_client_s_attempts_are_timed_and_each_reaches_the_next_peer() {
    let solutions = runner("solutions");
    let report = report(
        &["--runner", solutions.to_str().unwrap(), "retry_client"],
        "1",
    );
    let lesson = lesson_of(&report, "retry_client");
    assert_eq!(lesson["status"], "done", "{lesson:#}");
    let refused_twice = &lesson["cases"][1]["observed"];
    assert_eq!(
        refused_twice["attempts"],
        serde_json::json!([0.0, 1.0, 3.0])
    );
    let third = &refused_twice["transcripts"][2];
    assert_eq!(third["connected_at"], 3.0, "{third:#}");
    assert_eq!(refused_twice["transcripts"][0]["refused"], true);
}

#[test]
fn state_kept_per_connection_and_a_lock_held_across_the_check_are_told_apart() {
    let corpus = runner("corpus");
    let first_failure = |variant: &str| {
        let report = report(
            &[
                "--runner",
                corpus.to_str().unwrap(),
                "--variant",
                variant,
                "shared_store",
            ],
            "1",
        );
        let cases = lesson_of(&report, "shared_store")["cases"].clone();
        let failed = cases
            .as_array()
            .unwrap()
            .iter()
            .position(|c| c["status"] != "pass")
            .unwrap_or_else(|| panic!("{variant} fails a case: {cases:#}"));
        (failed, cases[failed].clone())
    };
    // A map per connection: ben, who came after ann, is told NONE for what she set.
    let (index, case) = first_failure("shared_store_map_per_connection");
    assert_eq!(index, 0, "{case:#}");
    assert!(
        case["diagnosis"]
            .as_str()
            .unwrap_or_default()
            .starts_with("the state was not shared"),
        "{case:#}"
    );
    assert_eq!(
        case["observed"]["transcripts"][1]["received"][0]["data"],
        "NONE\n"
    );
    // The guard kept for the whole connection: ben waits for ann to leave (3 s, answered 5 s).
    let (index, case) = first_failure("shared_store_guard_per_connection");
    assert_eq!(index, 1, "{case:#}");
    assert_eq!(case["observed"]["transcripts"][1]["received"][0]["at"], 5.0);
    // The lock held across the check: ben's command waits for ann's (answered at 2 s).
    let (index, case) = first_failure("shared_store_lock_across_check");
    assert_eq!(index, 2, "{case:#}");
    assert!(
        case["diagnosis"]
            .as_str()
            .unwrap_or_default()
            .starts_with("ben's command waited for ann's"),
        "{case:#}"
    );
}

#[test]
fn a_client_slow_to_read_lags_in_the_chat_and_one_that_holds_the_others_back_is_named() {
    let solutions = runner("solutions");
    let reference = report(&["--runner", solutions.to_str().unwrap(), "chat"], "1");
    let lesson = lesson_of(&reference, "chat");
    assert_eq!(lesson["status"], "done", "{lesson:#}");
    // sam reads nothing until 6 s: then the line in flight, what he missed, the rest.
    let sam = &lesson["cases"][2]["observed"]["transcripts"][1];
    let heard: String = sam["received"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["at"] == 6.0)
        .map(|r| r["data"].as_str().unwrap())
        .collect();
    assert_eq!(
        heard, "ann: one\n(missed 2)\nann: four\nann: five\n",
        "{sam:#}"
    );
    let corpus = runner("corpus");
    let in_turn = report(
        &[
            "--runner",
            corpus.to_str().unwrap(),
            "--variant",
            "chat_writers_in_turn",
            "chat",
        ],
        "1",
    );
    let case = &lesson_of(&in_turn, "chat")["cases"][1];
    assert!(
        case["diagnosis"]
            .as_str()
            .unwrap_or_default()
            .starts_with("ben was held back by sam, who was slow to read: ann's first line was said at 1 s and ben heard it at 6 s"),
        "{case:#}"
    );
}

#[test]
fn digests_on_the_blocking_pool_end_on_time_and_the_same_in_every_run() {
    let solutions = runner("solutions");
    let args = ["--runner", solutions.to_str().unwrap(), "digest_server"];
    let (first, second) = (report(&args, "5"), report(&args, "5"));
    let lesson = lesson_of(&first, "digest_server");
    assert_eq!(lesson["status"], "done", "{lesson:#}");
    // ben's ping at 0.5 s is answered at once, ann's digest (2 s) at 2 s, exactly.
    let ping = &lesson["cases"][0]["observed"];
    assert_eq!(ping["transcripts"][1]["received"][0]["at"], 0.5, "{ping:#}");
    assert_eq!(ping["transcripts"][0]["received"][0]["at"], 2.0, "{ping:#}");
    assert_eq!(
        ping["cpu"],
        serde_json::json!([{"thread": "blocking", "start": 0.0, "end": 2.0}])
    );
    // Two digests at once, side by side: both end at 2 s.
    let both = &lesson["cases"][1]["observed"]["cpu"];
    assert_eq!(both[0]["end"], 2.0, "{both:#}");
    assert_eq!(both[1]["end"], 2.0, "{both:#}");
    let cpu = |report: &Value| {
        lesson_of(report, "digest_server")["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["observed"]["cpu"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(cpu(&first), cpu(&second));
    assert_eq!(
        transcripts(&first, "digest_server"),
        transcripts(&second, "digest_server")
    );
}

#[test]
fn a_digest_on_the_runtime_s_thread_and_clients_served_in_turn_are_told_apart() {
    let corpus = runner("corpus");
    let first_case = |variant: &str| {
        let report = report(
            &[
                "--runner",
                corpus.to_str().unwrap(),
                "--variant",
                variant,
                "digest_server",
            ],
            "1",
        );
        lesson_of(&report, "digest_server")["cases"][0].clone()
    };
    // Computed in the task: the clock jumped 2 s while the runtime's thread was held, and
    // ben's ping, due at 0.5 s, was answered at 2 s; the diagnosis names the line of the call
    // (the corpus runner builds the entry from its own file).
    let case = first_case("digest_server_in_the_task");
    let diagnosis = case["diagnosis"].as_str().unwrap_or_default();
    assert!(
        diagnosis.starts_with("the digest called at digest_server_in_the_task.rs:21 "),
        "{case:#}"
    );
    assert!(
        diagnosis.contains("ran on the runtime's thread from 0 s to 2 s"),
        "{case:#}"
    );
    assert_eq!(case["observed"]["cpu"][0]["thread"], "runtime");
    assert_eq!(case["observed"]["transcripts"][1]["received"][0]["at"], 2.0);
    // The runner's jump of the clock is not the code's: no `moved_clock` failure. The message
    // shows when the slow function ran (where is the diagnosis's: only the recorded run, which
    // reads the line tables, knows it).
    let message = case["message"].as_str().unwrap_or_default();
    assert!(!message.contains("moved"), "{case:#}");
    assert!(
        message.contains("when the slow function ran:\n       0 s to      2 s  on the runtime's thread: every other task waited"),
        "{message}"
    );
    assert!(!message.contains("called at"), "{message}");
    // On the blocking pool, but one client at a time: ben's ping waits for ann to leave.
    let case = first_case("digest_server_one_at_a_time");
    assert!(
        case["diagnosis"].as_str().unwrap_or_default().starts_with(
            "served the clients one at a time: the digest ran off the runtime's thread"
        ),
        "{case:#}"
    );
    assert_eq!(case["observed"]["cpu"][0]["thread"], "blocking");
}

#[test]
fn a_server_told_to_stop_finishes_what_is_in_flight_and_its_mistakes_are_told_apart() {
    let solutions = runner("solutions");
    let reference = report(&["--runner", solutions.to_str().unwrap(), "shutdown"], "1");
    let lesson = lesson_of(&reference, "shutdown");
    assert_eq!(lesson["status"], "done", "{lesson:#}");
    let case = |n: usize| lesson["cases"][n]["observed"].clone();
    // ann's `two` (2 s) is answered at 3 s, after the shutdown (2.5 s); ben, idle, is closed at
    // the shutdown; the server returns at 3 s.
    let first = case(0);
    assert_eq!(first["elapsed"], 3.0, "{first:#}");
    assert_eq!(first["transcripts"][0]["received"][1]["at"], 3.0);
    assert_eq!(first["transcripts"][1]["closed_at"], 2.5, "{first:#}");
    // dan, who connects after the shutdown, is closed as he connects, unanswered.
    let dan = &case(1)["transcripts"][2];
    assert_eq!(dan["closed_at"], 2.8, "{dan:#}");
    assert!(dan["received"].as_array().unwrap().is_empty(), "{dan:#}");
    // cal's line, half sent at the shutdown, is answered whole.
    let cal = &case(2)["transcripts"][0];
    assert_eq!(cal["received"][0]["data"], "HELLO\n", "{cal:#}");
    assert_eq!(cal["received"][0]["at"], 3.7, "{cal:#}");

    let corpus = runner("corpus");
    let diagnosis = |variant: &str, index: usize| {
        let report = report(
            &[
                "--runner",
                corpus.to_str().unwrap(),
                "--variant",
                variant,
                "shutdown",
            ],
            "1",
        );
        let case = lesson_of(&report, "shutdown")["cases"][index].clone();
        assert_ne!(case["status"], "pass", "{variant}: {case:#}");
        (
            case["diagnosis"].as_str().unwrap_or_default().to_string(),
            case,
        )
    };
    // The JoinSet dropped at the shutdown aborts ann's task: she never gets `TWO`, and the
    // call ends at the shutdown.
    let (said, case) = diagnosis("shutdown_joinset_dropped", 0);
    assert!(
        said.starts_with("returned at 2.5 s without answering the request in flight")
            && said.contains("Dropping a `JoinSet` aborts every task"),
        "{case:#}"
    );
    assert_eq!(
        case["observed"]["transcripts"][0]["received"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // Handlers that never hear the shutdown: ben stays connected and the call never returns.
    let (said, case) = diagnosis("shutdown_accept_loop_only", 0);
    assert!(
        said.starts_with(
            "was still waiting after the shutdown at 2.5 s: ben, idle since 0.5 s, was never closed"
        ),
        "{case:#}"
    );
    // An accept loop that never stops: every connection closed, the call still waiting.
    let (said, case) = diagnosis("shutdown_keeps_accepting", 0);
    assert!(
        said.contains("The loop that takes connections never stopped"),
        "{case:#}"
    );
    // `read_line` raced against the shutdown loses cal's `hel`.
    let (said, case) = diagnosis("shutdown_read_line_select", 2);
    assert!(
        said.starts_with("lost the half-read line")
            && said.contains("`read_line` is not cancel safe"),
        "{case:#}"
    );
}
