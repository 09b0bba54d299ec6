//! A grade only the lessons can earn: code of a lesson file runs only inside a call.
//!
//! The attack these tests come from: a lesson file placed a function in `.init_array`, which
//! the loader runs before the runner's `main`, while the case's secret and request were still
//! in the environment; it wrote a forged passing result on the result channel and exited, and
//! a wrong `wait_random` graded 4/4. Lesson crates now forbid unsafe code in their manifest
//! (rustc refuses linker sections and exported symbols), and the checker refuses, before
//! building, what the lint does not cover (`#[used]`, `global_asm!`, `extern` blocks), naming
//! the file and line; the refused lesson scores 0 and every other lesson is still graded.

use crate::common;

use std::path::Path;

use crate::common::copy_workspace;
use serde_json::Value;

/// A `wait_random` that returns at once, with a loader hook that forges its result: the
/// issue's attack, as a student would write it.
const FORGED_WAIT_RANDOM: &str = include_str!("../fixtures/forged/05_wait_random.rs");

/// The same kind of attack in other disguises: the section attribute built by a macro from
/// its parts, and assembly that places a constructor.
const DISGUISED_WAIT_N: &str = include_str!("../fixtures/forged/06_wait_n.rs");

fn grade_copy(copy: &Path, extra: &[&str]) -> (Option<i32>, Value) {
    let output = common::checker()
        .current_dir(copy)
        .env("CARGO_TARGET_DIR", common::target_of(copy))
        .args(["--format", "json"])
        .args(extra)
        .output()
        .expect("checker runs");
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON report ({e}):\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (output.status.code(), report)
}

#[test]
fn code_placed_for_the_loader_is_refused_by_line_and_the_rest_is_graded() {
    let copy = copy_workspace();
    let src = copy.path().join("exercises/src");
    std::fs::write(src.join("05_wait_random.rs"), FORGED_WAIT_RANDOM).unwrap();
    std::fs::write(src.join("06_wait_n.rs"), DISGUISED_WAIT_N).unwrap();
    // Without the sandbox: the refusal does not depend on it.
    let (code, report) = grade_copy(copy.path(), &["--sandbox", "off"]);
    assert_eq!(
        code,
        Some(3),
        "a refused lesson is a lesson that does not build"
    );
    for (id, file, line, construct) in [
        ("wait_random", "05_wait_random.rs", 8, "`#[used]`"),
        ("wait_n", "06_wait_n.rs", 4, "`#[used]`"),
    ] {
        let lesson = common::lesson_of(&report, id);
        assert_eq!(lesson["status"], "does_not_compile", "{id}: {lesson:#}");
        let errors = lesson["compile_errors"].as_array().expect("errors");
        let first = &errors[0];
        assert_eq!(first["line"], line, "{id}: {first:#}");
        let rendered = first["rendered"].as_str().unwrap();
        assert!(rendered.contains(construct), "{rendered}");
        assert!(
            rendered.contains(&format!("exercises/src/{file}:{line}:")),
            "{rendered}"
        );
        assert!(
            first["explanation"]
                .as_str()
                .is_some_and(|e| e.contains("forge its verdict")),
            "{first:#}"
        );
        for case in lesson["cases"].as_array().unwrap() {
            assert_ne!(case["status"], "pass", "{id}: {case:#}");
            assert_eq!(case["points"], 0.0, "{id}: {case:#}");
        }
    }
    let rendered: Vec<String> = common::lesson_of(&report, "wait_n")["compile_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["rendered"].as_str().unwrap().to_string())
        .collect();
    assert!(
        rendered.iter().any(|r| r.contains("global_asm!")),
        "the assembly passed through a macro is named too: {rendered:#?}"
    );
    // Every other lesson was graded: its stub is "not implemented", not "does not compile".
    let statuses = common::lesson_statuses(&report);
    let graded = statuses
        .iter()
        .filter(|(id, _)| id != "wait_random" && id != "wait_n")
        .collect::<Vec<_>>();
    assert!(
        graded.iter().all(|(_, status)| status == "pending"),
        "{statuses:?}"
    );
}

#[test]
fn rustc_itself_refuses_unsafe_code_in_a_lesson_crate() {
    // The second wall, without the checker's scan: cargo builds the copy directly.
    let copy = copy_workspace();
    let lesson = copy.path().join("exercises/src/01_say_hello.rs");
    let text = std::fs::read_to_string(&lesson).unwrap();
    // An attempt to lift the lint for the file, and an exported symbol made by a macro.
    std::fs::write(
        &lesson,
        format!(
            "#![allow(unsafe_code)]\n{text}\nmacro_rules! export {{ () => {{ #[unsafe(no_mangle)] pub extern \"C\" fn main_hook() {{}} }} }}\nexport!();\n"
        ),
    )
    .unwrap();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = std::process::Command::new(cargo)
        .current_dir(copy.path())
        .env("CARGO_TARGET_DIR", common::target_of(copy.path()))
        .args(["build", "--offline", "-p", "exercises", "--lib"])
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "it must not build:\n{stderr}");
    assert!(
        stderr.contains("unsafe_code") || stderr.contains("unsafe-code"),
        "refused by the unsafe_code lint:\n{stderr}"
    );
}

#[test]
fn a_lesson_crate_whose_manifest_lifts_the_lint_is_not_built() {
    let copy = copy_workspace();
    let manifest = copy.path().join("exercises/Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace("unsafe_code = \"forbid\"", "unsafe_code = \"allow\""),
    )
    .unwrap();
    let output = common::checker()
        .current_dir(copy.path())
        .env("CARGO_TARGET_DIR", common::target_of(copy.path()))
        .args(["--sandbox", "off"])
        .output()
        .expect("checker runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "{stderr}");
    assert!(
        stderr
            .contains("exercises/Cargo.toml does not set `[lints.rust] unsafe_code = \"forbid\"`"),
        "{stderr}"
    );
}

/// A lesson that prints, at build time, the workspace's own `specs/` file of lesson 1.
#[cfg(target_os = "linux")]
const INCLUDES_WORKSPACE_SPECS: &str = r#"//! Prints the spec of its workspace, read at compile time.
use std::time::Duration;

const SPEC: &str = include_str!("../../specs/01_say_hello.toml");

pub async fn say_hello() {
    println!("{SPEC}");
    println!("Hello");
    tokio::time::sleep(Duration::from_secs(1)).await;
    println!("World");
}
"#;

#[cfg(target_os = "linux")]
#[test]
fn the_build_never_reads_the_workspace_specs_even_when_other_specs_are_given() {
    // grade-many's way: each worker's workspace holds a copy of the course's specs/ (hidden
    // cases included), and its checker is given the course's spec folder by absolute path.
    let marker = "HIDDEN-CASE-MARKER-7f3a";
    let copy = copy_workspace();
    let spec = copy.path().join("specs/01_say_hello.toml");
    let text = std::fs::read_to_string(&spec).unwrap();
    std::fs::write(&spec, format!("# {marker}\n{text}")).unwrap();
    let given = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(common::root().join("specs")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, given.path().join(path.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        copy.path().join("exercises/src/01_say_hello.rs"),
        INCLUDES_WORKSPACE_SPECS,
    )
    .unwrap();
    let given_arg = given.path().to_str().unwrap();
    let (code, report) = grade_copy(copy.path(), &["--specs", given_arg]);
    let text = report.to_string();
    assert!(
        !text.contains(marker),
        "the workspace's specs leaked:\n{text}"
    );
    assert_eq!(code, Some(3), "{text}");
    let lesson = common::lesson_of(&report, "say_hello");
    assert_eq!(lesson["status"], "does_not_compile", "{lesson:#}");
    assert!(text.contains("Permission denied"), "{text}");
    // Without the sandbox the include works: the test above is real.
    let (_, report) = grade_copy(copy.path(), &["--specs", given_arg, "--sandbox", "off"]);
    assert!(report.to_string().contains(marker), "{report:#}");
}

/// A lesson that, only in a build with `--cfg tokio_unstable` (the timeline runner's), prints a
/// private spec file read at compile time.
#[cfg(target_os = "linux")]
fn timeline_only_include(private_spec: &Path) -> String {
    format!(
        "//! Prints a private spec, but only where tokio_unstable is set.\n\
         use std::time::Duration;\n\
         #[cfg(tokio_unstable)]\n\
         const LOOT: &str = include_str!({:?});\n\
         #[cfg(not(tokio_unstable))]\n\
         const LOOT: &str = \"\";\n\
         pub async fn say_hello() {{\n    println!(\"{{LOOT}}\");\n    println!(\"Hello\");\n    tokio::time::sleep(Duration::from_secs(1)).await;\n    println!(\"World\");\n}}\n",
        private_spec.display().to_string()
    )
}

#[cfg(target_os = "linux")]
#[test]
fn the_timeline_build_is_confined_like_grading() {
    let marker = "HIDDEN-CASE-MARKER-c41d";
    let private = tempfile::tempdir().unwrap();
    let private_spec = private.path().join("hidden_say_hello.toml");
    std::fs::write(
        &private_spec,
        format!(
            "# {marker}\nlesson = \"say_hello\"\ntitle = \"hidden\"\nfile = \"01_say_hello.rs\"\nfunction = \"say_hello\"\nhint = \"-\"\n\n[[case]]\nname = \"hidden: Hello then World\"\nhidden = true\n[case.expect]\nelapsed = \"1s\"\n"
        ),
    )
    .unwrap();
    let copy = copy_workspace();
    std::fs::write(
        copy.path().join("exercises/src/01_say_hello.rs"),
        timeline_only_include(&private_spec),
    )
    .unwrap();
    let html = copy.path().join("t.html");
    let output = common::checker()
        .current_dir(copy.path())
        .env("CARGO_TARGET_DIR", common::target_of(copy.path()))
        .args(["timeline", "say_hello", "--specs", "specs", "--specs"])
        .arg(private.path())
        .arg("--html")
        .arg(&html)
        .output()
        .expect("checker runs");
    let shown = format!(
        "{}{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
        std::fs::read_to_string(&html).unwrap_or_default()
    );
    assert!(!shown.contains(marker), "the private spec leaked:\n{shown}");
    assert!(
        shown.contains("Permission denied"),
        "the confined timeline build cannot read the private spec:\n{shown}"
    );
}
