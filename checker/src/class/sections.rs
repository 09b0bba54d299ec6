//! The dashboard's sections on misconceptions ([`super::clusters`]) and similar pairs
//! ([`super::similarity`], with the matching lines of both students side by side). Every
//! student-controlled string (names, code, diagnoses) goes through
//! `crate::text::safe::html`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::clusters::Cluster;
use super::similarity::{Pair, Sources, show};
use crate::text::safe::html;

/// How many pairs the dashboard shows with their evidence.
pub const TOP_PAIRS: usize = 25;

/// The misconceptions section: per lesson, its clusters with counts and names.
pub fn clusters(clusters: &[Cluster]) -> String {
    let mut body = String::from("<h2>Misconceptions per lesson</h2>");
    if clusters.is_empty() {
        body.push_str("<p>Every lesson is done by every student.</p>");
        return body;
    }
    let _ = write!(
        body,
        "<p>Students whose lesson is not done, grouped by the mechanism their failing case shows (numbers aside); also in <code>{}</code>.</p><table id=\"clusters\"><tr><th>lesson</th><th class=\"num\">students</th><th>mechanism</th></tr>",
        super::clusters::FILE
    );
    for cluster in clusters {
        let names: Vec<String> = cluster.students.iter().map(|s| html(s)).collect();
        let _ = write!(
            body,
            "<tr><td>{:02} {}</td><td class=\"num\">{}</td><td>{}{}<div class=\"who\">{}</div></td></tr>",
            cluster.number,
            html(&cluster.lesson),
            cluster.students.len(),
            if cluster.diagnosed {
                ""
            } else {
                "<i>(no diagnosis)</i> "
            },
            html(&cluster.mechanism),
            names.join(", ")
        );
    }
    body.push_str("</table>");
    body
}

/// The lines `ranges` of `text`, numbered.
fn excerpt(text: &str, ranges: &[(usize, usize)]) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    for (n, &(from, to)) in ranges.iter().enumerate() {
        if n > 0 {
            out.push_str("⋯\n");
        }
        for line in from..=to.min(lines.len()) {
            let _ = writeln!(
                out,
                "{line:>4}  {}",
                lines.get(line - 1).copied().unwrap_or("")
            );
        }
    }
    html(&out)
}

/// The similarity section: the pairs, most alike first, each with its score, lessons and
/// matching lines side by side; `sources` are the students' kept lesson files.
pub fn similarity(pairs: &[Pair], sources: &BTreeMap<String, Sources>) -> String {
    let mut body = String::from("<h2>Similar pairs</h2>");
    if pairs.is_empty() {
        body.push_str("<p>No pair of students is alike beyond what the lessons force.</p>");
        return body;
    }
    let _ = write!(
        body,
        "<p>{} pair(s) from a score of {}: shared fingerprints of their code (the course's own code and what most of the class writes left out) plus {} for each case of random values where both returned the same value. All pairs are in <code>{}</code>. A score is evidence to look at, not a verdict.</p>",
        pairs.len(),
        super::similarity::THRESHOLD,
        super::similarity::BEHAVIOUR_WEIGHT,
        super::similarity::FILE
    );
    body.push_str("<div id=\"similarity\">");
    for pair in pairs.iter().take(TOP_PAIRS) {
        let _ = write!(
            body,
            "<details><summary><b>{:.2}</b> {} and {}: {}</summary>",
            pair.score,
            html(&pair.a),
            html(&pair.b),
            html(&pair.lessons().join(", "))
        );
        if !pair.same_values.is_empty() {
            let _ = write!(
                body,
                "<p>Same value where the lesson draws random delays: {}.</p>",
                html(&pair.same_values.join("; "))
            );
        }
        for region in &pair.regions {
            let text = |who: &str| {
                sources
                    .get(who)
                    .and_then(|files| files.iter().find(|f| f.0 == region.file))
                    .map(|f| f.1.as_str())
                    .unwrap_or("")
            };
            let _ = write!(
                body,
                "<p>{}: {} fingerprint(s) shared, lines {} and {}.</p><table class=\"side\"><tr><th>{}</th><th>{}</th></tr><tr><td><pre>{}</pre></td><td><pre>{}</pre></td></tr></table>",
                html(&region.file),
                region.shared,
                show(&region.lines_a),
                show(&region.lines_b),
                html(&pair.a),
                html(&pair.b),
                excerpt(text(&pair.a), &region.lines_a),
                excerpt(text(&pair.b), &region.lines_b)
            );
        }
        body.push_str("</details>");
    }
    body.push_str("</div>");
    if pairs.len() > TOP_PAIRS {
        let _ = write!(
            body,
            "<p>... and {} more pair(s) in <code>{}</code>.</p>",
            pairs.len() - TOP_PAIRS,
            super::similarity::FILE
        );
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::class::similarity::Region;

    #[test]
    fn pairs_show_both_sides_escaped() {
        let pair = Pair {
            a: "<ann>".into(),
            b: "ben".into(),
            score: 0.8,
            code: 0.8,
            same_values: Vec::new(),
            regions: vec![Region {
                file: "06_wait_n.rs".into(),
                shared: 3,
                lines_a: vec![(2, 3)],
                lines_b: vec![(1, 1)],
            }],
        };
        let sources = BTreeMap::from([
            (
                "<ann>".to_string(),
                vec![(
                    "06_wait_n.rs".to_string(),
                    "a\nlet x = 1;\n</pre>\n".to_string(),
                )],
            ),
            (
                "ben".to_string(),
                vec![("06_wait_n.rs".to_string(), "let y = 1;\n".to_string())],
            ),
        ]);
        let page = similarity(&[pair], &sources);
        assert!(page.contains("&lt;ann&gt; and ben: 06_wait_n.rs"), "{page}");
        assert!(
            page.contains("   2  let x = 1;\n   3  &lt;/pre&gt;"),
            "{page}"
        );
        assert!(page.contains("   1  let y = 1;"), "{page}");
        assert!(!page.contains("<ann>"), "{page}");
    }
}
