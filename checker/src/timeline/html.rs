//! The timeline in a browser: one self-contained HTML file, inline SVG, no network.
//!
//! Each case is one SVG: a row per call, task and timer, bars on a shared axis in seconds,
//! printed lines as marks on the axis. Hovering a bar shows its times and where in the source
//! it was spawned or created (SVG `<title>`); the buttons and Ctrl+wheel zoom the time axis.
//! The page is well-formed XML too (polyglot XHTML), so any XML parser reads it.

use std::fmt::Write as _;

use super::Kind;
use super::term::secs;
use crate::results::CaseTimeline;

/// Rows of bars past which a case's tasks are drawn as a density band (the SVG stays small).
pub const MAX_SVG_BARS: usize = 2_000;

const LABEL: f64 = 150.0;
const PLOT: f64 = 800.0;
const ROW: f64 = 18.0;

/// Escapes text for HTML and SVG.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .chars()
        // Control characters are not allowed in XML: the code under test may print any.
        .map(|c| {
            if c.is_control() && c != '\n' && c != '\t' {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// A whole page: a title, then one section per `(heading, timeline)`, each on its own axis.
pub fn page(title: &str, sections: &[(String, CaseTimeline)]) -> String {
    page_with_axis(title, sections, false)
}

/// [`page`], with every section on the same axis when `shared` (to compare shapes).
pub fn page_with_axis(title: &str, sections: &[(String, CaseTimeline)], shared: bool) -> String {
    let span = shared.then(|| sections.iter().map(|(_, t)| t.end()).fold(0.0, f64::max));
    let mut body = String::new();
    for (heading, timeline) in sections {
        let _ = write!(
            body,
            "<section><h2>{}</h2>{}{}</section>",
            escape(heading),
            timeline
                .expected
                .as_ref()
                .map(|e| format!("<p class=\"expected\">expected: {}</p>", escape(e)))
                .unwrap_or_default(),
            svg_on(timeline, span)
        );
    }
    format!(
        r#"<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><meta charset="utf-8"/><title>{title}</title>
<style>
body {{ font: 14px system-ui, sans-serif; margin: 1.5em; color: #222; background: #fff; }}
h1 {{ font-size: 1.3em; }} h2 {{ font-size: 1.05em; margin: 1.2em 0 .3em; }}
.expected {{ margin: .2em 0; color: #555; }}
.scroll {{ overflow-x: auto; border: 1px solid #ddd; }}
svg text {{ font: 12px ui-monospace, monospace; fill: #333; }}
.bar.call {{ fill: #3a9d5d; }} .bar.task {{ fill: #2f7fc1; }} .bar.timer {{ fill: #e0a526; }}
.bar.open {{ fill: #c0392b; }} .sleep {{ fill: #2f7fc1; pointer-events: none; }} .band {{ fill: #2f7fc1; }}
.bar:hover, .mark:hover {{ stroke: #000; stroke-width: 1.5; }}
.mark {{ fill: #8e44ad; }} .axis {{ stroke: #888; }} .grid {{ stroke: #eee; }}
</style></head><body>
<h1>{title}</h1>
<p>Virtual seconds on the horizontal axis. Hover a bar for its times and source location; ▼ marks a printed line.
Zoom: <button onclick="zoom(1.5)">+</button> <button onclick="zoom(1/1.5)">−</button> <button onclick="zoom(0)">reset</button> (or Ctrl+wheel).</p>
{body}<script>//<![CDATA[
let scale = 1;
function zoom(f) {{
  scale = f === 0 ? 1 : Math.min(64, Math.max(1, scale * f));
  for (const s of document.querySelectorAll('svg.timeline')) {{
    s.style.width = (s.viewBox.baseVal.width * scale) + 'px';
  }}
}}
document.addEventListener('wheel', e => {{ if (e.ctrlKey) {{ e.preventDefault(); zoom(e.deltaY < 0 ? 1.25 : 0.8); }} }}, {{ passive: false }});
//]]></script></body></html>
"#,
        title = escape(title)
    )
}

/// One case's timeline as an SVG element.
pub fn svg(timeline: &CaseTimeline) -> String {
    svg_on(timeline, None)
}

/// [`svg`] on an axis of `span` seconds (default: the case's own end).
fn svg_on(timeline: &CaseTimeline, span: Option<f64>) -> String {
    let end = span.unwrap_or_else(|| timeline.end());
    let span = if end > 0.0 { end } else { 1.0 };
    let x = |t: f64| LABEL + t / span * PLOT;
    let bars = timeline.bars();
    let (calls_and_timers, tasks): (Vec<_>, Vec<_>) =
        bars.iter().partition(|b| b.kind != Kind::Task);
    let band = tasks.len() > MAX_SVG_BARS;
    let mut rows = String::new();
    let mut row = 0usize;
    let bar_rect = |rows: &mut String, row: usize, bar: &super::Bar| {
        let class = match (bar.kind, bar.open) {
            (_, true) => "bar open",
            (Kind::Call, _) => "bar call",
            (Kind::Task, _) => "bar task",
            (Kind::Timer, _) => "bar timer",
        };
        let y = 24.0 + row as f64 * ROW;
        let w = (x(bar.end) - x(bar.start)).max(2.0);
        let pale = if bar.inner.is_empty() {
            ""
        } else {
            " fill-opacity=\"0.35\""
        };
        let _ = write!(
            rows,
            "<text x=\"4\" y=\"{:.1}\">{}</text><rect class=\"{class}\"{pale} x=\"{:.2}\" y=\"{:.1}\" width=\"{w:.2}\" height=\"{:.1}\" rx=\"2\"><title>{}: {}–{} s{}{}</title></rect>",
            y + 12.0,
            escape(&bar.label),
            x(bar.start),
            y + 2.0,
            ROW - 4.0,
            escape(&bar.label),
            secs(bar.start),
            secs(bar.end),
            if bar.open {
                " (still running at the end)"
            } else {
                ""
            },
            if bar.at.is_empty() {
                String::new()
            } else {
                format!(", at {}", escape(&bar.at))
            },
        );
        // A task's own sleeps, solid over its (paler) life.
        for &(start, end) in &bar.inner {
            let _ = write!(
                rows,
                "<rect class=\"sleep\" x=\"{:.2}\" y=\"{:.1}\" width=\"{:.2}\" height=\"{:.1}\" rx=\"2\"><title>sleeps {}–{} s</title></rect>",
                x(start),
                y + 2.0,
                (x(end) - x(start)).max(2.0),
                ROW - 4.0,
                secs(start),
                secs(end),
            );
        }
    };
    for bar in calls_and_timers.iter().filter(|b| b.kind == Kind::Call) {
        bar_rect(&mut rows, row, bar);
        row += 1;
    }
    if band {
        // One row: how many tasks run in each pixel column.
        let columns = PLOT as usize;
        let mut counts = vec![0usize; columns];
        for bar in &tasks {
            let first = ((bar.start / span) * columns as f64) as usize;
            let last = (((bar.end / span) * columns as f64).ceil() as usize).max(first + 1);
            for c in counts
                .iter_mut()
                .take(last.min(columns))
                .skip(first.min(columns - 1))
            {
                *c += 1;
            }
        }
        let most = counts.iter().copied().max().unwrap_or(1).max(1);
        let y = 24.0 + row as f64 * ROW;
        let total = tasks.len() as u64 + timeline.data.tasks_omitted;
        let _ = write!(
            rows,
            "<text x=\"4\" y=\"{:.1}\">{total} tasks</text>",
            y + 12.0
        );
        for (i, &c) in counts.iter().enumerate().filter(|(_, c)| **c > 0) {
            let h = (ROW * 2.0 - 4.0) * c as f64 / most as f64;
            let _ = write!(
                rows,
                "<rect class=\"band\" x=\"{:.1}\" y=\"{:.1}\" width=\"1\" height=\"{h:.1}\"><title>{c} task(s) at {} s</title></rect>",
                LABEL + i as f64,
                y + ROW * 2.0 - 2.0 - h,
                secs(i as f64 / columns as f64 * span)
            );
        }
        rows.push('\n');
        row += 2;
    } else {
        for bar in &tasks {
            bar_rect(&mut rows, row, bar);
            row += 1;
        }
    }
    for bar in calls_and_timers
        .iter()
        .filter(|b| b.kind == Kind::Timer)
        .take(MAX_SVG_BARS)
    {
        bar_rect(&mut rows, row, bar);
        row += 1;
    }
    let axis_y = 24.0 + row as f64 * ROW + 6.0;
    let height = axis_y + 34.0;
    let width = LABEL + PLOT + 30.0;
    let mut svg = format!(
        "<div class=\"scroll\"><svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height:.0}\" style=\"width: {width}px\" preserveAspectRatio=\"none\">\n"
    );
    let step = super::term::nice_step(span / 6.0);
    let mut k = 0u32;
    while step * f64::from(k) <= span + 1e-9 {
        let t = step * f64::from(k);
        let gx = x(t);
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{gx:.1}\" y1=\"20\" x2=\"{gx:.1}\" y2=\"{axis_y:.1}\"/><text x=\"{:.1}\" y=\"{:.1}\">{} s</text>",
            gx - 8.0,
            axis_y + 16.0,
            secs(t)
        );
        k += 1;
    }
    let _ = write!(
        svg,
        "<line class=\"axis\" x1=\"{LABEL}\" y1=\"{axis_y:.1}\" x2=\"{:.1}\" y2=\"{axis_y:.1}\"/>",
        LABEL + PLOT
    );
    svg.push_str(&rows);
    for (at, text) in &timeline.stdout {
        let mx = x(*at);
        let _ = write!(
            svg,
            "<path class=\"mark\" d=\"M{:.1} {:.1} l5 -9 h-10 z\"><title>printed at {} s: {}</title></path>",
            mx,
            axis_y,
            secs(*at),
            escape(text)
        );
    }
    for at in &timeline.data.items {
        let _ = write!(
            svg,
            "<circle class=\"mark\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\"><title>stream item at {} s</title></circle>",
            x(*at),
            axis_y - 12.0,
            secs(*at)
        );
    }
    svg.push_str("</svg></div>");
    svg
}
