//! A feedback file per student, ready to attach in the LMS: `feedback/NAME.md` and
//! `feedback/NAME.html`, made from their JSON report alone. It says their points, what was
//! used of their upload, and for each lesson its status and points; for a lesson not done,
//! the diagnosis, each failing case with the checker's message and diagnosis, and the
//! compiler's errors. Hidden cases say only that they are hidden (the report has no more).
//!
//! Every text from the report (names, messages, compiler output quoting the student's code)
//! is escaped: Markdown's special characters with `\`, code in a fence longer than any run
//! of backticks in it, and HTML through `crate::text::safe::html`.

use std::fmt::Write as _;

use super::StudentFile;
use super::gradebook::decimal;
use crate::results::{LessonStatus, Status};
use crate::text::safe;

/// The folder of feedback files in an output folder.
pub const FEEDBACK_DIR: &str = "feedback";

/// What one student's feedback says, as lines of plain facts, shared by both formats.
struct Section {
    heading: String,
    facts: Vec<String>,
    code: Vec<String>,
}

fn status(status: LessonStatus) -> &'static str {
    match status {
        LessonStatus::Done => "done",
        LessonStatus::Pending => "not started yet",
        LessonStatus::Failing => "failing",
        LessonStatus::DoesNotCompile => "does not compile",
        LessonStatus::Error => "could not be graded",
    }
}

fn sections(student: &StudentFile) -> (String, Vec<String>, Vec<Section>) {
    let (got, max) = student
        .lessons
        .iter()
        .map(|l| l.millis())
        .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let title = format!("asynclings: feedback for {}", student.class.student);
    let mut intro = vec![format!("Points: {} of {}.", decimal(got), decimal(max))];
    if let Some(error) = &student.class.error {
        intro.push(format!("Your submission could not be graded: {error}"));
    }
    intro.extend(
        student
            .class
            .notes
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from),
    );
    let mut out = Vec::new();
    if !student.build_errors.is_empty() {
        out.push(Section {
            heading: "Build errors outside the lesson files".into(),
            facts: Vec::new(),
            code: student.build_errors.clone(),
        });
    }
    for lesson in &student.lessons {
        let (got, max) = lesson.millis();
        let mut facts = vec![format!(
            "{}: {} of {} points.",
            status(lesson.status),
            decimal(got),
            decimal(max)
        )];
        if lesson.status != LessonStatus::Done {
            if let Some(headline) = &lesson.headline {
                facts.push(format!("Diagnosis: {headline}"));
            }
            for case in lesson.cases.iter().filter(|c| c.status != Status::Pass) {
                let mut fact = format!(
                    "Case \"{}\" ({}).",
                    case.name,
                    case.status.name().replace('_', " ")
                );
                if let Some(message) = &case.message {
                    // A message of several lines (one per failed check) reads as one.
                    let _ = write!(fact, " {}", message.lines().collect::<Vec<_>>().join("; "));
                }
                if let Some(diagnosis) = case
                    .diagnosis
                    .as_ref()
                    .filter(|d| Some(*d) != lesson.headline.as_ref())
                {
                    let _ = write!(fact, " Diagnosis: {diagnosis}");
                }
                facts.push(fact);
            }
        }
        out.push(Section {
            heading: format!(
                "{:02} {}{}",
                lesson.number,
                lesson.id,
                lesson
                    .title
                    .as_deref()
                    .map(|t| format!(": {t}"))
                    .unwrap_or_default()
            ),
            facts,
            code: lesson
                .compile_errors
                .iter()
                .map(|e| e.rendered.clone())
                .collect(),
        });
    }
    (title, intro, out)
}

/// Markdown text with the characters that could format it or open a link, an image or an
/// HTML tag escaped, on one line (every line this file writes starts with its own `#`, `-`
/// or text, never with the student's).
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in safe::line(text).chars() {
        if "\\`*_[]<>#|~&".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `code` in a fence longer than any run of backticks inside it.
fn fence(code: &str) -> String {
    let code = safe::lines(code);
    let mut longest = 0;
    let mut run = 0;
    for c in code.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let ticks = "`".repeat((longest + 1).max(3));
    format!("{ticks}text\n{}\n{ticks}\n", code.trim_end())
}

/// The student's feedback as Markdown.
pub fn markdown(student: &StudentFile) -> String {
    let (title, intro, sections) = sections(student);
    let mut out = format!("# {}\n\n", md(&title));
    for line in intro {
        let _ = writeln!(out, "{}\n", md(&line));
    }
    for section in sections {
        let _ = writeln!(out, "## {}\n", md(&section.heading));
        for fact in &section.facts {
            let _ = writeln!(out, "- {}", md(fact));
        }
        out.push('\n');
        for code in &section.code {
            out.push_str(&fence(code));
            out.push('\n');
        }
    }
    out
}

/// The student's feedback as a self-contained HTML page (no script, no network).
pub fn html(student: &StudentFile) -> String {
    let (title, intro, sections) = sections(student);
    let mut body = format!("<h1>{}</h1>\n", safe::html(&title));
    for line in intro {
        let _ = writeln!(body, "<p>{}</p>", safe::html(&line).replace('\n', "<br/>"));
    }
    for section in sections {
        let _ = writeln!(body, "<h2>{}</h2>\n<ul>", safe::html(&section.heading));
        for fact in &section.facts {
            let _ = writeln!(body, "<li>{}</li>", safe::html(fact));
        }
        body.push_str("</ul>\n");
        for code in &section.code {
            let _ = writeln!(body, "<pre>{}</pre>", safe::html(code));
        }
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>{}</title>\n<style>body {{ font: 14px system-ui, sans-serif; margin: 1.5em; max-width: 900px; }} pre {{ background: #f6f6f6; padding: .5em; overflow-x: auto; }}</style></head><body>\n{body}</body></html>\n",
        safe::html(&title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::class::{CaseView, ClassInfo, CompileErrorView, LessonView};

    fn student() -> StudentFile {
        StudentFile {
            class: ClassInfo {
                student: "<b>Zoë</b>, \"=1+1\"".into(),
                notes: "used 06_wait_n.rs".into(),
                ..ClassInfo::default()
            },
            lessons: vec![
                LessonView {
                    number: 6,
                    id: "wait_n".into(),
                    title: Some("Many waits".into()),
                    status: LessonStatus::Failing,
                    headline: Some("ran one after another: took 23 s".into()),
                    cases: vec![
                        CaseView {
                            name: "ten delays".into(),
                            status: Status::Fail,
                            max_points: 1.0,
                            message: Some("took 23 s\nexpected 9 s".into()),
                            diagnosis: Some("ran one after another: took 23 s".into()),
                            ..CaseView::default()
                        },
                        CaseView {
                            name: "n = 0".into(),
                            status: Status::Pass,
                            points: 1.0,
                            max_points: 1.0,
                            ..CaseView::default()
                        },
                    ],
                    ..LessonView::default()
                },
                LessonView {
                    number: 1,
                    id: "say_hello".into(),
                    status: LessonStatus::DoesNotCompile,
                    compile_errors: vec![CompileErrorView {
                        rendered: "error: ```</pre><script>".into(),
                    }],
                    cases: vec![CaseView {
                        max_points: 2.0,
                        status: Status::Error,
                        ..CaseView::default()
                    }],
                    ..LessonView::default()
                },
            ],
            ..StudentFile::default()
        }
    }

    #[test]
    fn markdown_says_points_diagnoses_and_failing_cases_escaped() {
        let text = markdown(&student());
        assert!(
            text.starts_with("# asynclings: feedback for \\<b\\>Zoë\\</b\\>, \"=1+1\"\n"),
            "{text}"
        );
        assert!(text.contains("Points: 1 of 4.\n"), "{text}");
        assert!(text.contains("## 06 wait\\_n: Many waits"), "{text}");
        assert!(
            text.contains("- Diagnosis: ran one after another: took 23 s"),
            "{text}"
        );
        assert!(
            text.contains("- Case \"ten delays\" (fail). took 23 s; expected 9 s\n"),
            "{text}"
        );
        assert!(
            !text.contains("n = 0"),
            "passing cases are not listed: {text}"
        );
        assert!(
            text.contains("````text\nerror: ```</pre><script>\n````"),
            "{text}"
        );
    }

    #[test]
    fn html_escapes_everything_from_the_report() {
        let page = html(&student());
        assert!(
            !page.contains("<b>Zoë") && !page.contains("<script>"),
            "{page}"
        );
        assert!(page.contains("&lt;b&gt;Zoë&lt;/b&gt;"), "{page}");
        assert!(page.contains("does not compile: 0 of 2 points."), "{page}");
        assert!(!page.contains("http://") && !page.contains("https://"));
    }
}
