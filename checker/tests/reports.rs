//! Snapshots of the reports people read: the reference, the stubs, a failing submission.

mod common;

use common::{checker, runner};

fn human(args: &[&str]) -> String {
    let output = checker().args(args).output().unwrap();
    String::from_utf8(output.stdout).unwrap()
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
