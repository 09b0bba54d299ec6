//! Runs replay from their seed: the same `--seed` gives the same draws, values, virtual times
//! and verdicts (only the wall-clock `real` times differ); another seed, or none, draws
//! afresh; and the code under test cannot reach its seed to know its draws in advance.

use crate::common::{SEED_ENV, checker, lesson_of, runner};
use serde_json::Value;

/// The JSON report of a run with `args`, without the tests' fixed seed: (exit, text).
fn run(args: &[&str]) -> (i32, String) {
    let output = checker()
        .env_remove(SEED_ENV)
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("the checker runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("a UTF-8 report"),
    )
}

/// `text` with the wall-clock times (`"real": 0.000123`) masked: measured, not drawn.
fn without_wall_clock(text: &str) -> String {
    regex::Regex::new(r#""real": [0-9.e-]+"#)
        .unwrap()
        .replace_all(text, r#""real": "<wall clock>""#)
        .into_owned()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The values wait_n returned in each of its cases.
fn wait_n_values(report: &Value) -> Vec<Value> {
    lesson_of(report, "wait_n")["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["observed"]["value"].clone())
        .collect()
}

fn corpus() -> String {
    runner("corpus").to_str().unwrap().to_string()
}

#[test]
fn one_seed_replays_every_draw_time_and_verdict() {
    let reference = runner("solutions");
    let corpus = corpus();
    for args in [
        vec!["--runner", reference.to_str().unwrap(), "--seed", "77"],
        // A mistake whose diagnosis depends on the order of its draws.
        vec![
            "--runner",
            &corpus,
            "--variant",
            "wait_n_sequential",
            "--seed",
            "77",
        ],
    ] {
        let (code, first) = run(&args);
        let (again, second) = run(&args);
        assert_eq!(code, again);
        assert_eq!(
            without_wall_clock(&first),
            without_wall_clock(&second),
            "two runs with --seed 77 differ ({args:?})"
        );
        assert_eq!(json(&first)["seed"], 77);
        // The values are draws, not constants: 5 distinct delays in the first case.
        let values = wait_n_values(&json(&first));
        let first_case: Vec<f64> = values[0]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        assert_eq!(first_case.len(), 5, "{values:?}");
        assert!(first_case.windows(2).all(|w| w[0] != w[1]), "{values:?}");
    }
}

#[test]
fn another_seed_draws_other_values() {
    let reference = runner("solutions");
    let reference = reference.to_str().unwrap();
    let (_, a) = run(&["--runner", reference, "--seed", "77", "wait_n"]);
    let (_, b) = run(&["--runner", reference, "--seed", "78", "wait_n"]);
    assert_ne!(wait_n_values(&json(&a)), wait_n_values(&json(&b)));
}

#[test]
fn without_a_seed_each_run_draws_afresh_and_states_its_seed() {
    let reference = runner("solutions");
    let reference = reference.to_str().unwrap();
    let (code, first) = run(&["--runner", reference, "wait_n"]);
    assert_eq!(code, 0, "{first}");
    let (_, second) = run(&["--runner", reference, "wait_n"]);
    let (first, second) = (json(&first), json(&second));
    assert_ne!(first["seed"], second["seed"]);
    assert_ne!(wait_n_values(&first), wait_n_values(&second));
    // The seed a run states is the one it drew from: it replays that run.
    let seed = first["seed"].as_u64().expect("a seed").to_string();
    let (_, replayed) = run(&["--runner", reference, "wait_n", "--seed", &seed]);
    assert_eq!(wait_n_values(&first), wait_n_values(&json(&replayed)));
}

#[test]
fn the_seed_variable_pins_a_run_and_a_bad_one_is_refused() {
    let reference = runner("solutions");
    let args = ["--runner", reference.to_str().unwrap(), "wait_n"];
    let pinned = |value: &str| {
        let output = checker()
            .env(SEED_ENV, value)
            .args(args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (_, text, _) = pinned("77");
    let (_, given) = run(&[&args[..], &["--seed", "77"]].concat());
    assert_eq!(wait_n_values(&json(&text)), wait_n_values(&json(&given)));
    let (code, _, stderr) = pinned("seventy-seven");
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("ASYNCLINGS_SEED=\"seventy-seven\" is not a seed"),
        "{stderr}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn the_code_under_test_cannot_reach_its_seed() {
    // It looks in its environment, the environment it started with and its command line:
    // the runner blanked the request that carries the seed before the code ran.
    let corpus = corpus();
    let (_, text) = run(&[
        "--runner",
        &corpus,
        "--variant",
        "learn_the_seed",
        "wait_random",
        "--seed",
        "5",
    ]);
    let report = json(&text);
    let cases = lesson_of(&report, "wait_random")["cases"]
        .as_array()
        .unwrap();
    let called: Vec<&Value> = cases
        .iter()
        .filter(|c| !c["name"].as_str().unwrap().starts_with("source of"))
        .collect();
    assert!(!called.is_empty());
    for case in called {
        let message = case["message"].as_str().unwrap();
        assert!(
            message.contains("no seed in reach of the code under test"),
            "{case:#}"
        );
        let seed = checker::seed::case_seed(5, "wait_random", case["name"].as_str().unwrap());
        assert!(
            !text.contains(&seed.to_string()),
            "its seed {seed} is in the report"
        );
    }
}
