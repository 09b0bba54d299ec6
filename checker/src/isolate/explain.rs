//! Compile errors that teach: one sentence above rustc's text for the errors students of this
//! course really meet. rustc's message is always kept in full below it.
//!
//! Each rule looks at the error's message, its code and its notes' labels, never at anything a
//! student could not see in rustc's own output.

use crate::cargo_build::CompileError;

/// Whether `error` is about a value that is not `Send` (held across an `.await` in a future a
/// task or a binding needs to be `Send`).
pub fn is_not_send(error: &CompileError) -> bool {
    error
        .message
        .contains("cannot be sent between threads safely")
        || error.message.contains("is not `Send`")
}

/// The sentence for a beginner, when `error` is one this course knows.
pub fn explain(error: &CompileError) -> Option<String> {
    let text = &error.message;
    let all = || {
        std::iter::once(error.message.as_str())
            .chain(error.spans.iter().filter_map(|s| s.label.as_deref()))
            .chain(std::iter::once(error.rendered.as_str()))
    };
    let mentions = |word: &str| all().any(|t| t.contains(word));
    if error.code.as_deref() == Some(crate::refuse::REFUSED_CODE)
        || mentions("unsafe_code")
        || mentions("unsafe-code")
    {
        return Some(REFUSED.into());
    }
    // rand 0.8 names, which this course's rand (0.10) renamed.
    if mentions("thread_rng") {
        return Some(RAND_RNG.into());
    }
    if mentions("gen_range") {
        return Some(RAND_RANGE.into());
    }
    if text.contains("reserved keyword `gen`") || (mentions("`gen`") && mentions("method")) {
        return Some(RAND_GEN.into());
    }
    if mentions("`Rng`")
        && (text.contains("unresolved import") || text.contains("cannot find trait"))
    {
        return Some(RAND_TRAIT.into());
    }
    if is_not_send(error) {
        let held = error
            .spans
            .iter()
            .filter_map(|s| s.label.as_deref())
            .find_map(|label| {
                let rest = label.split("has type `").nth(1)?;
                Some(rest.split('`').next()?.to_string())
            });
        let (what, fix) = match held.as_deref() {
            Some(ty) if ty.contains("ThreadRng") || ty.contains("Rc<") && ty.contains("Rng") => (
                format!("`{ty}` (a random generator)"),
                "drop it before the `.await` (keep it in a block that ends first), or call `rand::random_range(..)`, which keeps no generator",
            ),
            Some(ty) if ty.contains("MutexGuard") => (
                format!("`{ty}` (a lock held)"),
                "release it before the `.await` (end its block), or use `tokio::sync::Mutex`, whose guard may be held across one",
            ),
            Some(ty) => (
                format!("`{ty}`"),
                "drop it before the `.await` (end its block), or use a type that is `Send` (`Arc` for `Rc`)",
            ),
            None => (
                "a value that is not `Send`".into(),
                "drop it before the `.await` (end its block), or use a type that is `Send`",
            ),
        };
        return Some(format!(
            "{what} is still alive at an `.await`, so this future cannot move to another thread, which tokio may need; {fix}. rustc's notes below say where it is held."
        ));
    }
    if mentions("Unpin") && (mentions("cannot be unpinned") || mentions("is not implemented")) {
        return Some(UNPIN.into());
    }
    if (text.contains("Runtime::new") || mentions("Runtime::new"))
        || mentions("rt-multi-thread")
        || mentions("tokio::main")
    {
        return Some(NESTED_RUNTIME.into());
    }
    if mentions("JoinHandle<") && text.contains("mismatched types") {
        return Some(JOIN_HANDLE.into());
    }
    if mentions("JoinError") && text.contains("mismatched types") {
        return Some(JOIN_ERROR.into());
    }
    if mentions("consider `await`ing")
        || (text.contains("mismatched types") && mentions("found future"))
        || (text.contains("mismatched types") && mentions("impl Future"))
    {
        return Some(MISSING_AWAIT.into());
    }
    None
}

const REFUSED: &str = "Lesson files are safe Rust that runs only when a case calls it: `unsafe`, linker attributes (`#[used]`, `#[no_mangle]`, `#[link_section]`), assembly and `extern` blocks could run before the checker starts the case and forge its verdict, so the checker does not build a file that uses them. Nothing in this course needs them: remove it.";
const RAND_RNG: &str = "This course uses rand 0.10, where `rand::thread_rng()` is now `rand::rng()`; for one number, `rand::random_range(0.0..=max)` needs no generator at all.";
const RAND_RANGE: &str = "This course uses rand 0.10, where `gen_range` is now `random_range` (`rand::random_range(0.0..=max)`, or `rng.random_range(..)`).";
const RAND_GEN: &str = "`gen` is a reserved word in Rust 2024, and rand 0.10 renamed the method `random` (`rand::random::<f64>()`).";
const RAND_TRAIT: &str = "rand 0.10 renamed the trait `Rng` to `RngExt`: `use rand::RngExt;` (or call `rand::random_range(..)`, which needs no trait).";
const UNPIN: &str = "This stream or future is not `Unpin`, so it cannot be polled where it is: pin it first, `let mut s = std::pin::pin!(s);`, then call `s.next().await`.";
const NESTED_RUNTIME: &str = "A lesson must not start a runtime of its own (`#[tokio::main]`, `Runtime::new`): the checker already runs it inside tokio. Remove the attribute or the runtime and `.await` what you need.";
const JOIN_HANDLE: &str = "A `JoinHandle` is not the task's value: `.await` it, which gives `Result<T, JoinError>` (the task may have panicked), and take the value out with `.unwrap()` or `?`.";
const JOIN_ERROR: &str = "Awaiting a `JoinHandle` gives `Result<T, JoinError>`, not `T`: the task may have panicked. Take the value out with `.unwrap()` (or `?`).";
const MISSING_AWAIT: &str = "This is a future, not its value: an `async fn` runs only when awaited. Add `.await` to run it and get what it returns.";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cargo_build::SpanAt;

    fn error(message: &str, labels: &[&str]) -> CompileError {
        CompileError {
            file: Some("exercises/src/05_wait_random.rs".into()),
            line: Some(7),
            rendered: format!("error: {message}"),
            message: message.into(),
            code: None,
            spans: labels
                .iter()
                .map(|l| SpanAt {
                    file: "exercises/src/05_wait_random.rs".into(),
                    line: 7,
                    primary: false,
                    label: Some(l.to_string()),
                })
                .collect(),
            explanation: None,
            compiler_message: None,
        }
    }

    #[test]
    fn rand_08_names_get_their_rand_010_names() {
        let e = error("cannot find function `thread_rng` in crate `rand`", &[]);
        assert!(explain(&e).unwrap().contains("rand::rng()"));
        let e = error(
            "no method named `gen_range` found for struct `ThreadRng`",
            &[],
        );
        assert!(explain(&e).unwrap().contains("random_range"));
        let e = error("expected identifier, found reserved keyword `gen`", &[]);
        assert!(explain(&e).unwrap().contains("reserved word"));
        let e = error("unresolved import `rand::Rng`", &["no `Rng` in the root"]);
        assert!(explain(&e).unwrap().contains("RngExt"));
    }

    #[test]
    fn a_thread_rng_held_across_await_is_named_with_its_fix() {
        let e = error(
            "future cannot be sent between threads safely",
            &[
                "has type `ThreadRng` which is not `Send`",
                "await occurs here, with `rng` maybe used later",
            ],
        );
        assert!(is_not_send(&e));
        let text = explain(&e).unwrap();
        assert!(text.contains("`ThreadRng` (a random generator)"), "{text}");
        assert!(text.contains("random_range"), "{text}");
    }

    #[test]
    fn join_handles_missing_awaits_and_unpin_are_explained() {
        let e = error(
            "mismatched types",
            &["expected `f64`, found `JoinHandle<f64>`"],
        );
        assert!(explain(&e).unwrap().contains("`.await` it"));
        let e = error(
            "mismatched types",
            &[
                "expected `u32`, found future",
                "consider `await`ing on the `Future`",
            ],
        );
        assert!(explain(&e).unwrap().contains("Add `.await`"));
        let e = error(
            "`PhantomPinned` cannot be unpinned",
            &["the trait `Unpin` is not implemented"],
        );
        assert!(explain(&e).unwrap().contains("std::pin::pin!"));
        assert_eq!(explain(&error("expected `;`, found `}`", &[])), None);
    }

    #[test]
    fn unsafe_code_and_refused_constructs_say_why_lessons_are_safe_rust() {
        let lint = error(
            "usage of an `unsafe` block",
            &["requested on the command line with `-F unsafe-code`"],
        );
        assert!(explain(&lint).unwrap().contains("forge its verdict"));
        let mut refused = error(
            "`#[used]` (an attribute for the linker) is not allowed",
            &[],
        );
        refused.code = Some(crate::refuse::REFUSED_CODE.into());
        assert!(explain(&refused).unwrap().contains("safe Rust"));
    }
}
