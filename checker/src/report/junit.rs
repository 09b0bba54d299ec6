//! JUnit XML (Jenkins, GitLab, most CI): one testsuite per lesson, one testcase per case.
//!
//! Valid against the strictest schema in common use, Jenkins xUnit plugin's `junit-10.xsd`
//! (which skips a file that fails it; `checker/tests/schemas/`): no attribute or element that
//! schema does not allow. It has no place for properties in a testcase, so every number a
//! grader needs is a property of the lesson's testsuite:
//!
//! - `score`, `max_score`: the lesson's points; `total_score`, `total_max_score`: the run's;
//! - `score: CASE`, `max_score: CASE`: each case's points, by case name;
//! - `seed`: the run's seed (`--seed` replays it); `interrupted` = `true` when the run was cut
//!   short; `sandbox`: what confined the code under test.
//!
//! Jenkins' JUnit plugin and GitLab read the same file: testsuites, testcases with their
//! `failure` or `error` (message, type, and the case's whole story as text), `system-out` with
//! what the case printed. Text that XML 1.0 cannot hold at all (control characters but tab,
//! line feed and carriage return) is written as an escape (`\x1b`), as the human report shows it.

use std::io;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};

use super::machine::{case_text, cut_note};
use crate::results::Context;
use crate::results::{CaseResult, LessonResult, Status};
use crate::text::numbers::format_number;

/// Renders the results as JUnit XML.
pub fn render(lessons: &[LessonResult], context: &Context) -> anyhow::Result<String> {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 4);
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let (tests, failures, errors) = counts(lessons.iter().flat_map(|l| &l.cases));
    writer
        .create_element("testsuites")
        .with_attributes([
            (
                "name",
                xml_text(&format!("asynclings: {}", context.subject)).as_str(),
            ),
            ("tests", tests.to_string().as_str()),
            ("failures", failures.to_string().as_str()),
            ("errors", errors.to_string().as_str()),
        ])
        .write_inner_content(|writer| {
            for lesson in lessons {
                suite(writer, lesson, lessons, context)?;
            }
            Ok(())
        })?;
    let mut text = String::from_utf8(writer.into_inner())?;
    text.push('\n');
    Ok(text)
}

/// (tests, failures, errors) of `cases`: a stub is a failure, an ungraded case an error.
fn counts<'a>(cases: impl Iterator<Item = &'a CaseResult>) -> (usize, usize, usize) {
    cases.fold((0, 0, 0), |(tests, failures, errors), case| {
        match case.status {
            Status::Pass => (tests + 1, failures, errors),
            Status::Fail | Status::NotImplemented => (tests + 1, failures + 1, errors),
            Status::Error => (tests + 1, failures, errors + 1),
        }
    })
}

/// One lesson's testsuite: its properties (the points), then its cases.
fn suite<W: io::Write>(
    writer: &mut Writer<W>,
    lesson: &LessonResult,
    lessons: &[LessonResult],
    context: &Context,
) -> io::Result<()> {
    let (tests, failures, errors) = counts(lesson.cases.iter());
    let time: f64 = lesson.cases.iter().filter_map(|c| c.observed.real).sum();
    writer
        .create_element("testsuite")
        .with_attributes([
            (
                "name",
                xml_text(&format!("{:02} {}", lesson.number, lesson.id)).as_str(),
            ),
            ("tests", tests.to_string().as_str()),
            ("failures", failures.to_string().as_str()),
            ("errors", errors.to_string().as_str()),
            ("skipped", "0"),
            ("time", seconds(time).as_str()),
        ])
        .write_inner_content(|writer| {
            writer
                .create_element("properties")
                .write_inner_content(|writer| {
                    for (name, value) in properties(lesson, lessons, context) {
                        writer
                            .create_element("property")
                            .with_attributes([
                                ("name", xml_text(&name).as_str()),
                                ("value", xml_text(&value).as_str()),
                            ])
                            .write_empty()?;
                    }
                    Ok(())
                })?;
            for case in &lesson.cases {
                testcase(writer, lesson, case)?;
            }
            Ok(())
        })?;
    Ok(())
}

/// The lesson's properties, in order: its points, the run's, each case's, then the run's facts.
fn properties(
    lesson: &LessonResult,
    lessons: &[LessonResult],
    context: &Context,
) -> Vec<(String, String)> {
    let (score, max_score) = lesson.score();
    let (total, total_max) = crate::points::total(lessons);
    let mut properties = vec![
        ("score".to_string(), format_number(score)),
        ("max_score".to_string(), format_number(max_score)),
        ("total_score".to_string(), format_number(total)),
        ("total_max_score".to_string(), format_number(total_max)),
    ];
    for case in &lesson.cases {
        properties.push((format!("score: {}", case.name), format_number(case.points)));
        properties.push((
            format!("max_score: {}", case.name),
            format_number(case.max_points),
        ));
    }
    if let Some(seed) = context.seed {
        properties.push(("seed".to_string(), seed.to_string()));
    }
    if context.interrupted {
        properties.push(("interrupted".to_string(), "true".to_string()));
    }
    if let Some(sandbox) = &context.sandbox {
        properties.push(("sandbox".to_string(), sandbox.to_string()));
    }
    properties
}

/// One case: its verdict (`failure` or `error`, with the story as text) and what it printed.
fn testcase<W: io::Write>(
    writer: &mut Writer<W>,
    lesson: &LessonResult,
    case: &CaseResult,
) -> io::Result<()> {
    let name = xml_text(&case.name);
    let classname = xml_text(&format!("{}::{}", lesson.id, case.function));
    let time = case.observed.real.map(seconds);
    let mut attributes = vec![("name", name.as_str()), ("classname", classname.as_str())];
    if let Some(time) = &time {
        attributes.push(("time", time.as_str()));
    }
    let verdict = match case.status {
        Status::Pass => None,
        Status::Fail | Status::NotImplemented => Some((
            "failure",
            case.diagnosis
                .clone()
                .unwrap_or_else(|| first_line(&case.message)),
            if case.status == Status::NotImplemented {
                "not_implemented"
            } else {
                "failure"
            },
        )),
        Status::Error => Some(("error", first_line(&case.message), "error")),
    };
    let printed = printed(case);
    let element = writer
        .create_element("testcase")
        .with_attributes(attributes);
    if verdict.is_none() && printed.is_none() {
        element.write_empty()?;
        return Ok(());
    }
    element.write_inner_content(|writer| {
        if let Some((element, message, kind)) = &verdict {
            writer
                .create_element(*element)
                .with_attributes([("message", xml_text(message).as_str()), ("type", *kind)])
                .write_text_content(BytesText::new(&xml_text(&case_text(lesson, case))))?;
        }
        if let Some(printed) = &printed {
            writer
                .create_element("system-out")
                .write_text_content(BytesText::new(&xml_text(printed)))?;
        }
        Ok(())
    })?;
    Ok(())
}

/// The lines the case printed, with a note when some were cut; `None` when it printed nothing.
fn printed(case: &CaseResult) -> Option<String> {
    if case.observed.stdout.is_empty() && case.observed.stdout_dropped == 0 {
        return None;
    }
    let mut lines: Vec<String> = case
        .observed
        .stdout
        .iter()
        .map(|l| l.text.clone())
        .collect();
    if case.observed.stdout_dropped > 0 {
        lines.push(cut_note(case.observed.stdout_dropped));
    }
    Some(lines.join("\n"))
}

/// `text` with every character XML 1.0 forbids written as an escape: control characters
/// other than tab, line feed and carriage return (`\x1b`), and U+FFFE, U+FFFF (`\u{fffe}`).
fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' => out.push_str(&format!("\\x{:02x}", c as u32)),
            '\u{fffe}' | '\u{ffff}' => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Seconds with three decimals, never negative (an empty sum of floats is -0.0, and
/// junit-10.xsd's time pattern has no sign).
fn seconds(time: f64) -> String {
    format!("{:.3}", if time > 0.0 { time } else { 0.0 })
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_xml_cannot_hold_become_escapes() {
        assert_eq!(xml_text("a\x1b[31mb\0c\td\ne"), "a\\x1b[31mb\\x00c\td\ne");
        assert_eq!(xml_text("x\u{ffff}"), "x\\u{ffff}");
        assert_eq!(xml_text("é <&>"), "é <&>");
    }

    #[test]
    fn a_failing_case_and_its_points_are_in_the_suite() {
        let mut failing = CaseResult::new("c", "f", Status::Fail, 2.0, false);
        failing.message = "took 3 s\x07".into();
        let lesson = LessonResult::of_cases(vec![
            failing,
            CaseResult::new("d", "f", Status::Pass, 1.0, false),
        ]);
        let context = Context {
            seed: Some(42),
            ..Context::quiet("exercises", "virtual")
        };
        let xml = render(&[lesson], &context).unwrap();
        assert!(
            xml.contains(r#"<property name="score: c" value="0"/>"#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<property name="max_score: c" value="2"/>"#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<property name="seed" value="42"/>"#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<failure message="took 3 s\x07" type="failure">"#),
            "{xml}"
        );
        assert!(
            xml.contains(
                r#"<testsuites name="asynclings: exercises" tests="2" failures="1" errors="0">"#
            ),
            "{xml}"
        );
    }
}
