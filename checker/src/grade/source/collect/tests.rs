//! Unit tests of [`super::analyze`]: what a function's body uses, through imports, globs,
//! macros and helpers, and whether it is a stub.

use super::*;
use crate::grade::source::rules::matches;

fn uses_in(text: &str, function: &str) -> syn::Result<Option<Body>> {
    analyze(text, function, None)
}

fn names(text: &str) -> Vec<String> {
    uses_in(text, "f")
        .unwrap()
        .unwrap()
        .uses
        .iter()
        .map(|u| u.path.join("::"))
        .collect()
}

#[test]
fn calls_inside_select_branches_are_seen() {
    let text = r#"
        async fn f() {
            tokio::select! {
                biased;
                first = async_comprehension() => first,
                _ = tokio::time::sleep(d) => { helper(1 == 2) }
            }
        }
    "#;
    let names = names(text);
    for wanted in ["async_comprehension", "tokio::time::sleep", "helper"] {
        assert!(names.iter().any(|n| n == wanted), "{wanted} in {names:?}");
    }
}

#[test]
fn calls_methods_and_macros_are_seen_but_not_comments_or_strings() {
    let text = r#"
        use std::thread;
        async fn f(v: &mut Vec<f64>) {
            // v.sort();
            let s = "sort";
            v.sort_by(|a, b| a.total_cmp(b));
            thread::sleep(std::time::Duration::from_secs(1));
            println!("{:?}", std::collections::BinaryHeap::<u8>::new());
        }
    "#;
    let used = names(text);
    assert!(used.contains(&"sort_by".to_string()), "{used:?}");
    assert!(used.contains(&"std::thread::sleep".to_string()), "{used:?}");
    assert!(used.iter().any(|u| u.contains("BinaryHeap")), "{used:?}");
    assert!(!used.iter().any(|u| u == "sort"), "{used:?}");
}

#[test]
fn a_value_bound_to_underscore_is_seen_as_let_underscore() {
    let dropped = names("async fn f(s: S) { let _ = s.acquire().await; }");
    assert!(dropped.contains(&"let _".to_string()), "{dropped:?}");
    let typed = names("fn f(s: S) { let _: P = s.acquire(); }");
    assert!(typed.contains(&"let _".to_string()), "{typed:?}");
    // A named binding keeps the value: not `let _`.
    let kept = names("async fn f(s: S) { let _permit = s.acquire().await; }");
    assert!(!kept.contains(&"let _".to_string()), "{kept:?}");
}

#[test]
fn renamed_imports_resolve() {
    let text = "use std::thread::sleep as nap; fn f() { nap(d); }";
    assert_eq!(names(text), ["std::thread::sleep", "d"]);
}

#[test]
fn a_todo_body_is_a_stub() {
    let body = uses_in("fn f() { todo!() }", "f").unwrap().unwrap();
    assert!(body.stub);
    let body = uses_in("fn f() { if x { todo!() } else { y() } }", "f")
        .unwrap()
        .unwrap();
    assert!(!body.stub);
    let stub = |text: &str| uses_in(text, "f").unwrap().unwrap().stub;
    // The stream stub of lesson 10: the todo!() runs on the first poll, whatever happens.
    assert!(stub(
        "fn f() -> S { futures::stream::once(async { todo!() }) }"
    ));
    assert!(stub("fn f() { let _ = x; unimplemented!() }"));
    // A todo!() left in a closure, a loop or a match arm is not reached by every call.
    assert!(!stub(
        "fn f() -> S { iter(0..3).then(|_| async { todo!() }) }"
    ));
    assert!(!stub("fn f() { for i in x { todo!() } }"));
    assert!(!stub("fn f() { match x { 0 => todo!(), _ => y() } }"));
    assert!(!stub("fn f() { fn g() { todo!() } g2() }"));
}

#[test]
fn globs_body_imports_and_helpers_are_followed() {
    let forbids = |text: &str, name: &str| {
        uses_in(text, "f")
            .unwrap()
            .unwrap()
            .uses
            .iter()
            .any(|u| u.readings().any(|r| matches(r, name, false)))
    };
    let glob = "use std::thread::*; async fn f() { sleep(d); }";
    assert!(forbids(glob, "std::thread::sleep"));
    let time_glob = "use std::time::*; fn f() { let s = Instant::now(); }";
    assert!(forbids(time_glob, "std::time::Instant"));
    // An explicit import wins over a glob; a function of the file is not the glob's.
    let explicit = "use std::thread::*; use tokio::time::sleep; async fn f() { sleep(d).await; }";
    assert!(!forbids(explicit, "std::thread::sleep"));
    let local = "use std::thread::*; fn sleep() {} fn f() { sleep(); }";
    assert!(!forbids(local, "std::thread::sleep"));
    let in_body = "async fn f() { use std::thread::sleep as nap; nap(d); }";
    assert!(forbids(in_body, "std::thread::sleep"));
    let helper = "fn tidy(v: &mut [f64]) { v.sort_by(f64::total_cmp); } fn f() { tidy(&mut v); }";
    assert!(forbids(helper, "sort_by"));
    let nested = "fn a() { b() } fn b() { std::thread::sleep(d) } fn f() { a() }";
    assert!(forbids(nested, "std::thread::sleep"));
    // A helper that calls itself, or calls back, is read once.
    let cycle = "fn a() { b() } fn b() { a() } fn f() { a() }";
    assert!(!forbids(cycle, "sort"));
}
