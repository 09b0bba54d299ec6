//! `dashboard.html`: where a class stands, on one self-contained page (inline CSS and SVG,
//! no script, no external URL). [`Summary::of`] adds the students' reports up; [`page`]
//! draws it: the score distribution, the pass rate per lesson and per case, the most common
//! headline diagnoses with their counts and students, and the compile-failure rate. Every
//! student-controlled string (names, messages) goes through `crate::text::safe::html`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::StudentFile;
use super::gradebook::decimal;
use crate::results::{LessonStatus, Status};
use crate::text::safe::html;

/// How many bins the score distribution has (0-10 %, ..., 90-100 %).
pub const BINS: usize = 10;
/// How many headline diagnoses the page lists.
pub const TOP_HEADLINES: usize = 15;

/// A class added up.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Every student, sorted: (name, milli-points earned, milli-points possible, error).
    pub students: Vec<(String, u64, u64, Option<String>)>,
    /// Students per score bin: bin `i` holds scores in `[i, i + 1) × 10 %` (100 % in the last).
    pub distribution: [usize; BINS],
    /// Per lesson, in course order.
    pub lessons: Vec<LessonStats>,
    /// Headline diagnoses, most common first (ties by lesson number, then text).
    pub headlines: Vec<Headline>,
    /// Students some of whose code does not compile.
    pub compile_failures: Vec<String>,
    /// Students whose submission could not be graded at all.
    pub errors: usize,
}

/// A lesson across the class.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LessonStats {
    /// Position in the course.
    pub number: usize,
    /// Id.
    pub id: String,
    /// Students with a report of it.
    pub graded: usize,
    /// Students who pass all of it.
    pub done: usize,
    /// Students whose file of it does not compile.
    pub does_not_compile: usize,
    /// Its cases, in spec order: (name, passes, graded).
    pub cases: Vec<(String, usize, usize)>,
}

/// One headline diagnosis and who got it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Headline {
    /// The lesson's number.
    pub number: usize,
    /// The lesson it is about.
    pub lesson: String,
    /// The diagnosis, as the first student (by name) got it; the numbers in it may differ
    /// from student to student (delays drawn, times measured).
    pub text: String,
    /// The students, sorted.
    pub students: Vec<String>,
}

/// `text` with every run of digits (and the decimal points inside it) replaced by `#`:
/// two students whose diagnoses differ only by the delays drawn share a headline.
fn shape(text: &str) -> String {
    crate::text::numbers::mask_numbers(text)
}

impl Summary {
    /// Adds up `students` (in any order).
    pub fn of(students: &[StudentFile]) -> Summary {
        let mut sorted: Vec<&StudentFile> = students.iter().collect();
        sorted.sort_by(|a, b| a.class.student.cmp(&b.class.student));
        let mut summary = Summary::default();
        let mut lessons: BTreeMap<(usize, String), LessonStats> = BTreeMap::new();
        let mut headlines: BTreeMap<(usize, String, String), Headline> = BTreeMap::new();
        let course_max = super::gradebook::lessons(students)
            .iter()
            .map(|key| {
                students
                    .iter()
                    .flat_map(|s| &s.lessons)
                    .filter(|l| (l.number, &l.id) == (key.0, &key.1))
                    .map(|l| l.millis().1)
                    .max()
                    .unwrap_or(0)
            })
            .sum::<u64>();
        for student in sorted {
            let name = &student.class.student;
            let got = student.total_millis();
            summary
                .students
                .push((name.clone(), got, course_max, student.class.error.clone()));
            summary.errors += usize::from(student.class.error.is_some());
            if student.class.error.is_none() || !student.lessons.is_empty() {
                let bin = if course_max == 0 {
                    0
                } else {
                    ((got as u128 * BINS as u128 / course_max as u128) as usize).min(BINS - 1)
                };
                summary.distribution[bin] += 1;
            }
            if student.does_not_compile() {
                summary.compile_failures.push(name.clone());
            }
            for lesson in &student.lessons {
                let stats = lessons
                    .entry((lesson.number, lesson.id.clone()))
                    .or_insert_with(|| LessonStats {
                        number: lesson.number,
                        id: lesson.id.clone(),
                        ..LessonStats::default()
                    });
                stats.graded += 1;
                stats.done += usize::from(lesson.status == LessonStatus::Done);
                stats.does_not_compile +=
                    usize::from(lesson.status == LessonStatus::DoesNotCompile);
                for case in &lesson.cases {
                    let pass = usize::from(case.status == Status::Pass);
                    match stats.cases.iter_mut().find(|c| c.0 == case.name) {
                        Some(known) => {
                            known.1 += pass;
                            known.2 += 1;
                        }
                        None => stats.cases.push((case.name.clone(), pass, 1)),
                    }
                }
                if let Some(text) = &lesson.headline {
                    headlines
                        .entry((lesson.number, lesson.id.clone(), shape(text)))
                        .or_insert_with(|| Headline {
                            number: lesson.number,
                            lesson: lesson.id.clone(),
                            text: text.clone(),
                            students: Vec::new(),
                        })
                        .students
                        .push(name.clone());
                }
            }
        }
        summary.lessons = lessons.into_values().collect();
        let mut headlines: Vec<Headline> = headlines.into_values().collect();
        headlines.sort_by(|a, b| {
            b.students
                .len()
                .cmp(&a.students.len())
                .then(a.number.cmp(&b.number))
                .then(a.text.cmp(&b.text))
        });
        summary.headlines = headlines;
        summary
    }

    /// Students with a report (not those that could not be graded at all).
    pub fn graded(&self) -> usize {
        self.distribution.iter().sum()
    }
}

/// `part` of `whole` as a whole percentage (0 when `whole` is 0).
fn percent(part: usize, whole: usize) -> usize {
    (part * 100 + whole / 2).checked_div(whole).unwrap_or(0)
}

/// A horizontal bar of `rate` percent, 160 px wide, as inline SVG.
fn bar(rate: usize) -> String {
    let width = rate.min(100) * 160 / 100;
    format!(
        "<svg class=\"bar\" width=\"160\" height=\"12\" role=\"img\" aria-label=\"{rate}%\"><rect width=\"160\" height=\"12\" fill=\"#eee\"/><rect width=\"{width}\" height=\"12\" fill=\"{}\"/></svg>",
        if rate >= 80 {
            "#3a9d5d"
        } else if rate >= 50 {
            "#e0a526"
        } else {
            "#c0392b"
        }
    )
}

/// The score distribution as an inline SVG histogram.
fn histogram(summary: &Summary) -> String {
    let (width, height, left, bottom) = (520.0, 200.0, 30.0, 24.0);
    let most = summary
        .distribution
        .iter()
        .copied()
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let slot = (width - left) / BINS as f64;
    let mut svg = format!(
        "<svg id=\"distribution\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"score distribution\">"
    );
    for (i, &count) in summary.distribution.iter().enumerate() {
        let h = (height - bottom - 14.0) * count as f64 / most;
        let x = left + i as f64 * slot;
        let y = height - bottom - h;
        let _ = write!(
            svg,
            "<rect class=\"bin\" x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{h:.1}\"><title>{}-{}%: {count} student(s)</title></rect>",
            x + 2.0,
            slot - 4.0,
            i * 10,
            i * 10 + 10
        );
        if count > 0 {
            let _ = write!(
                svg,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{count}</text>",
                x + slot / 2.0,
                y - 3.0
            );
        }
        let _ = write!(
            svg,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}-{}%</text>",
            x + slot / 2.0,
            height - 8.0,
            i * 10,
            i * 10 + 10
        );
    }
    let _ = write!(
        svg,
        "<line x1=\"{left}\" y1=\"{0}\" x2=\"{width}\" y2=\"{0}\" stroke=\"#888\"/></svg>",
        height - bottom
    );
    svg
}

const STYLE: &str = "body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #222; background: #fff; max-width: 1100px; }
h1 { font-size: 1.4em; } h2 { font-size: 1.1em; margin-top: 1.6em; }
table { border-collapse: collapse; } td, th { padding: .2em .6em; text-align: left; vertical-align: top; border-bottom: 1px solid #eee; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.bin { fill: #2f7fc1; } svg text { font: 11px system-ui, sans-serif; fill: #333; }
.problem { background: #fdecea; border: 1px solid #c0392b; padding: .6em; }
.tiles { display: flex; gap: 1em; flex-wrap: wrap; } .tile { border: 1px solid #ddd; padding: .6em 1em; min-width: 9em; }
.tile b { display: block; font-size: 1.5em; } details { margin: .2em 0; } .who { color: #555; font-size: .9em; }
.error { color: #c0392b; }
table.side { width: 100%; table-layout: fixed; } table.side pre { margin: 0; font-size: 12px; white-space: pre-wrap; }";

/// The whole page for `summary`; `problem` (bad input) is shown first when given.
pub fn page(summary: &Summary, problem: Option<&str>) -> String {
    page_with(summary, "", problem)
}

/// The whole page for `summary` with `sections` (HTML, already escaped: misconceptions and
/// similar pairs, `super::sections`) after the most common diagnoses.
pub fn page_with(summary: &Summary, sections: &str, problem: Option<&str>) -> String {
    let mut body = String::new();
    if let Some(problem) = problem {
        let _ = write!(body, "<p class=\"problem\">{}</p>", html(problem));
    }
    let students = summary.students.len();
    let graded = summary.graded();
    let max = summary.students.first().map_or(0, |s| s.2);
    let mut totals: Vec<u64> = summary.students.iter().map(|s| s.1).collect();
    totals.sort_unstable();
    let median = totals.get(totals.len() / 2).copied().unwrap_or(0);
    let _ = write!(
        body,
        "<div class=\"tiles\"><div class=\"tile\"><b>{students}</b>students</div><div class=\"tile\"><b>{}</b>median of {} points</div><div class=\"tile\" id=\"compile-rate\"><b>{}%</b>do not compile ({} of {students})</div><div class=\"tile\"><b>{}</b>could not be graded</div></div>",
        decimal(median),
        decimal(max),
        percent(summary.compile_failures.len(), students),
        summary.compile_failures.len(),
        summary.errors
    );

    let _ = write!(
        body,
        "<h2>Score distribution</h2><p>{graded} graded student(s) by share of the {} points.</p>{}",
        decimal(max),
        histogram(summary)
    );

    body.push_str("<h2>Pass rate per lesson</h2><table id=\"lessons\"><tr><th>lesson</th><th class=\"num\">done</th><th></th><th class=\"num\">does not compile</th></tr>");
    for lesson in &summary.lessons {
        let rate = percent(lesson.done, lesson.graded);
        let _ = write!(
            body,
            "<tr><td>{:02} {}</td><td class=\"num\">{} of {} ({rate}%)</td><td>{}</td><td class=\"num\">{}</td></tr>",
            lesson.number,
            html(&lesson.id),
            lesson.done,
            lesson.graded,
            bar(rate),
            lesson.does_not_compile
        );
    }
    body.push_str("</table>");

    body.push_str("<h2>Most common diagnoses</h2>");
    if summary.headlines.is_empty() {
        body.push_str("<p>No failing lesson has a diagnosis.</p>");
    } else {
        body.push_str("<table id=\"headlines\"><tr><th class=\"num\">students</th><th>lesson</th><th>diagnosis (the first failing case's)</th></tr>");
        for headline in summary.headlines.iter().take(TOP_HEADLINES) {
            let names: Vec<String> = headline.students.iter().map(|s| html(s)).collect();
            let _ = write!(
                body,
                "<tr><td class=\"num\">{}</td><td>{}</td><td>{}<div class=\"who\">{}</div></td></tr>",
                headline.students.len(),
                html(&headline.lesson),
                html(&headline.text),
                names.join(", ")
            );
        }
        body.push_str("</table>");
        if summary.headlines.len() > TOP_HEADLINES {
            let _ = write!(
                body,
                "<p>... and {} less common diagnoses (each student's report has them).</p>",
                summary.headlines.len() - TOP_HEADLINES
            );
        }
    }

    body.push_str(sections);

    body.push_str("<h2>Pass rate per case</h2>");
    for lesson in &summary.lessons {
        let _ = write!(
            body,
            "<details{}><summary>{:02} {} ({} cases)</summary><table>",
            // Open where some case fails: that is where to look.
            if lesson.cases.iter().all(|c| c.1 == c.2) {
                ""
            } else {
                " open"
            },
            lesson.number,
            html(&lesson.id),
            lesson.cases.len()
        );
        for (name, passes, graded) in &lesson.cases {
            let rate = percent(*passes, *graded);
            let _ = write!(
                body,
                "<tr><td>{}</td><td class=\"num\">{passes} of {graded} ({rate}%)</td><td>{}</td></tr>",
                html(name),
                bar(rate)
            );
        }
        body.push_str("</table></details>");
    }

    let _ = write!(
        body,
        "<h2>Compile failures</h2><p>{} of {students} student(s) ({}%) have code that does not compile{}</p>",
        summary.compile_failures.len(),
        percent(summary.compile_failures.len(), students),
        if summary.compile_failures.is_empty() {
            ".".to_string()
        } else {
            let names: Vec<String> = summary.compile_failures.iter().map(|s| html(s)).collect();
            format!(": {}.", names.join(", "))
        }
    );

    body.push_str("<h2>Students</h2><table id=\"students\"><tr><th>student</th><th class=\"num\">points</th><th></th></tr>");
    for (name, got, max, error) in &summary.students {
        let _ = write!(
            body,
            "<tr><td>{}</td><td class=\"num\">{} / {}</td><td>{}</td></tr>",
            html(name),
            decimal(*got),
            decimal(*max),
            error
                .as_deref()
                .map(|e| format!("<span class=\"error\">{}</span>", html(e)))
                .unwrap_or_default()
        );
    }
    body.push_str("</table>");

    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>asynclings: the class</title>\n<style>\n{STYLE}\n</style></head><body>\n<h1>asynclings: the class</h1>\n{body}\n</body></html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::class::{CaseView, ClassInfo, LessonView};

    fn lesson(
        number: usize,
        id: &str,
        cases: &[(&str, bool)],
        headline: Option<&str>,
    ) -> LessonView {
        let all = cases.iter().all(|c| c.1);
        LessonView {
            number,
            id: id.into(),
            status: if all {
                LessonStatus::Done
            } else {
                LessonStatus::Failing
            },
            headline: headline.map(String::from),
            cases: cases
                .iter()
                .map(|(name, pass)| CaseView {
                    name: (*name).into(),
                    status: if *pass { Status::Pass } else { Status::Fail },
                    points: if *pass { 1.0 } else { 0.0 },
                    max_points: 1.0,
                    ..CaseView::default()
                })
                .collect(),
            ..LessonView::default()
        }
    }

    fn student(name: &str, lessons: Vec<LessonView>) -> StudentFile {
        StudentFile {
            class: ClassInfo {
                student: name.into(),
                ..ClassInfo::default()
            },
            build_errors: Vec::new(),
            lessons,
        }
    }

    fn class() -> Vec<StudentFile> {
        let slow = "ran one after another: took 23.4 s";
        vec![
            student(
                "b",
                vec![lesson(1, "hello", &[("x", true), ("y", true)], None)],
            ),
            student(
                "a",
                vec![lesson(1, "hello", &[("x", true), ("y", false)], Some(slow))],
            ),
            student(
                "c",
                vec![lesson(
                    1,
                    "hello",
                    &[("x", false), ("y", false)],
                    Some("ran one after another: took 9 s"),
                )],
            ),
            StudentFile {
                class: ClassInfo {
                    student: "d<script>".into(),
                    error: Some("timed out".into()),
                    ..ClassInfo::default()
                },
                ..StudentFile::default()
            },
        ]
    }

    #[test]
    fn the_class_is_added_up() {
        let summary = Summary::of(&class());
        let names: Vec<&str> = summary.students.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", "d<script>"]);
        assert_eq!(summary.students[0].1, 1000);
        assert_eq!(summary.students[0].2, 2000);
        // 0 %, 50 %, 100 %: three graded; the ungraded one is counted apart.
        assert_eq!(summary.distribution[0], 1);
        assert_eq!(summary.distribution[5], 1);
        assert_eq!(summary.distribution[9], 1);
        assert_eq!(summary.graded(), 3);
        assert_eq!(summary.errors, 1);
        let hello = &summary.lessons[0];
        assert_eq!((hello.graded, hello.done), (3, 1));
        assert_eq!(
            hello.cases,
            [("x".to_string(), 2, 3), ("y".to_string(), 1, 3)]
        );
        // Diagnoses that differ only in their numbers are one headline, with both students.
        assert_eq!(summary.headlines.len(), 1);
        assert_eq!(summary.headlines[0].students, ["a", "c"]);
        assert_eq!(
            summary.headlines[0].text,
            "ran one after another: took 23.4 s"
        );
        assert!(summary.compile_failures.is_empty());
    }

    #[test]
    fn the_page_escapes_names_and_asks_nothing_of_the_network() {
        let page = page(&Summary::of(&class()), Some("a <b>problem</b>"));
        assert!(page.contains("d&lt;script&gt;"), "{page}");
        assert!(!page.contains("<script"), "{page}");
        assert!(page.contains("a &lt;b&gt;problem&lt;/b&gt;"));
        assert!(!page.contains("http://") && !page.contains("https://"));
        assert!(page.contains("<svg id=\"distribution\""));
    }

    #[test]
    fn percentages_round_and_never_divide_by_zero() {
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(0, 0), 0);
        assert_eq!(shape("took 23.4 s of 10"), "took # s of #");
    }
}
