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
    for lesson in ["line_server", "frames", "retry_client"] {
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
