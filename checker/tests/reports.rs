//! Snapshots of the reports people read: the reference, the stubs, a failing submission, the
//! list, and a hint. Piped, so plain: no colors, no bar, no wrapping.

mod common;

use common::{checker, runner};

fn human(args: &[&str]) -> String {
    let output = checker().args(args).output().unwrap();
    common::mask_sandbox(&String::from_utf8(output.stdout).unwrap())
}

#[test]
fn report_of_the_reference() {
    let path = runner("solutions");
    insta::assert_snapshot!(human(&["--runner", path.to_str().unwrap()]));
}

#[test]
fn report_of_the_stubs() {
    let path = runner("exercises");
    insta::assert_snapshot!(human(&["--runner", path.to_str().unwrap()]));
}

#[test]
fn report_of_a_failing_submission() {
    // A real mistake from the corpus: greetings awaited one after another.
    let path = runner("corpus");
    let text = human(&[
        "--runner",
        path.to_str().unwrap(),
        "--variant",
        "greet_all_sequential",
        "greet",
    ]);
    assert!(text.ends_with("4 passed, 2 failed\n"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn list_of_the_stubs() {
    let path = runner("exercises");
    let text = human(&["list", "--runner", path.to_str().unwrap()]);
    let last = text.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("0 passed, ") && last.ends_with(" failed"),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn hint_names_the_real_file_and_line() {
    let text = human(&["hint", "6"]);
    let stub = std::fs::read_to_string(common::root().join("exercises/src/06_wait_n.rs")).unwrap();
    let todo = stub.lines().position(|l| l.contains("todo!()")).unwrap() + 1;
    assert!(
        text.contains(&format!("Edit: exercises/src/06_wait_n.rs:{todo}\n")),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

/// The human report of the stubs with `NO_COLOR` unset and `args`, piped.
fn piped_without_no_color(args: &[&str]) -> String {
    let path = runner("exercises");
    let output = checker()
        .env_remove("NO_COLOR")
        .args(["--runner", path.to_str().unwrap()])
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn colors_only_when_asked_or_on_a_terminal() {
    // Piped (not a terminal), NO_COLOR unset: plain.
    let piped = piped_without_no_color(&[]);
    assert!(piped.contains("say_hello"), "{piped}");
    assert!(
        !piped.contains('\x1b'),
        "escape codes in piped output:\n{piped}"
    );
    let never = piped_without_no_color(&["--color", "never"]);
    assert!(!never.contains('\x1b'), "{never}");
    let always = piped_without_no_color(&["--color", "always"]);
    assert!(
        always.contains("\x1b["),
        "no colors with --color always:\n{always}"
    );
    // The hint, piped without NO_COLOR: plain too.
    let output = checker()
        .env_remove("NO_COLOR")
        .args(["hint", "1"])
        .output()
        .unwrap();
    let hint = String::from_utf8(output.stdout).unwrap();
    assert!(hint.contains("Hint:") && !hint.contains('\x1b'), "{hint}");
    let output = checker()
        .env_remove("NO_COLOR")
        .args(["hint", "1", "--color", "always"])
        .output()
        .unwrap();
    let hint = String::from_utf8(output.stdout).unwrap();
    assert!(
        hint.contains("\x1b["),
        "no colors with hint --color always:\n{hint}"
    );
}
