//! Snapshots of the reports people read: the reference, the stubs, a failing submission, the
//! list, and a hint. Piped, so plain: no colors, no bar, no wrapping.

use crate::common;

use crate::common::{checker, runner};

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

/// A lesson that prints terminal escapes (`corpus/src/hostile/terminal_escape.rs`): no ESC,
/// BEL or NUL byte of it reaches the report, with colours or without; what it printed is
/// shown escaped, invalid UTF-8 as `\xNN`. JSON keeps the bytes; JUnit stays valid XML 1.0.
#[test]
fn student_output_cannot_drive_the_terminal() {
    let path = runner("corpus");
    let path = path.to_str().unwrap();
    for color in ["never", "always"] {
        let output = checker()
            .env_remove("NO_COLOR")
            .args([
                "--runner",
                path,
                "--variant",
                "terminal_escape",
                "--color",
                color,
            ])
            .output()
            .unwrap();
        let bytes = output.stdout;
        assert!(!bytes.contains(&0), "a NUL reached the report ({color})");
        assert!(!bytes.contains(&7), "a BEL reached the report ({color})");
        // The only escapes left are the report's own colours: ESC [ digits ; m.
        for (at, _) in bytes.iter().enumerate().filter(|(_, b)| **b == 0x1b) {
            let rest = &bytes[at + 1..];
            let sgr = rest.first() == Some(&b'[')
                && rest[1..]
                    .iter()
                    .find(|b| !(b.is_ascii_digit() || **b == b';'))
                    == Some(&b'm');
            assert!(
                color == "always" && sgr,
                "an escape sequence reached the report ({color}): {:?}",
                String::from_utf8_lossy(&rest[..rest.len().min(12)])
            );
        }
        let text = String::from_utf8(bytes).unwrap();
        assert!(
            text.contains(r"Hello \xff\xfe\0\x1b[2J\x1b]0;owned\x07"),
            "{text}"
        );
    }
    let (_, report) = common::json_report(&["--runner", path, "--variant", "terminal_escape"]);
    let say_hello = common::lesson_of(&report, "say_hello");
    let printed = &say_hello["cases"][0]["observed"]["stdout"][0];
    let raw: Vec<u8> = printed["raw"]
        .as_array()
        .expect("the bytes as printed")
        .iter()
        .map(|b| b.as_u64().unwrap() as u8)
        .collect();
    assert_eq!(raw, b"Hello \xff\xfe\x00\x1b[2J\x1b]0;owned\x07");
    let junit = checker()
        .args([
            "--runner",
            path,
            "--variant",
            "terminal_escape",
            "--format",
            "junit",
        ])
        .output()
        .unwrap()
        .stdout;
    let invalid_in_xml = |b: &u8| *b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r');
    assert!(
        !junit.iter().any(invalid_in_xml),
        "JUnit holds a character XML 1.0 forbids"
    );
}
