//! The timeline in a terminal: one row per task or timer, bars on a shared axis in seconds.
//!
//! Fits the width given (at most 100 columns), uses block characters where the terminal
//! speaks UTF-8 and plain ASCII elsewhere, colors only when asked, and turns many rows of one
//! kind into a density band with counts (a thousand waits are one row, not a thousand).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Bar, Kind};
use crate::results::CaseTimeline;

/// Rows of one kind beyond which they are drawn as one density band.
pub const MAX_ROWS: usize = 12;

/// How to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    /// Columns available (the drawing uses at most 100).
    pub width: usize,
    /// Block characters (`█`), or ASCII (`#`).
    pub unicode: bool,
    /// ANSI colors.
    pub color: bool,
}

/// Seconds, to the millisecond, without trailing zeros: `4.2`, `0`, `23.417`.
pub fn secs(t: f64) -> String {
    let ms = (t * 1000.0).round() / 1000.0;
    let text = format!("{ms:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

struct Row {
    label: String,
    cells: Vec<char>,
    info: String,
    kind: Kind,
}

/// Draws the timeline of a case, each line indented by `indent` spaces.
pub fn render(timeline: &CaseTimeline, look: Look, indent: usize) -> String {
    let width = look.width.clamp(60, 100);
    let pad = " ".repeat(indent);
    let label_width = 9;
    let info_width = 38;
    let bar_width = width
        .saturating_sub(indent + label_width + 2 + info_width)
        .max(20);
    let end = timeline.end();
    let span = if end > 0.0 { end } else { 1.0 };
    let cell_of = |t: f64| (((t / span) * bar_width as f64).floor() as usize).min(bar_width - 1);
    let last_cell = |start: usize, t: f64| {
        let c = (((t / span) * bar_width as f64).ceil() as usize).saturating_sub(1);
        c.clamp(start, bar_width - 1)
    };
    let (full, thin, life, empty) = if look.unicode {
        ('█', '▏', '─', ' ')
    } else {
        ('#', '|', '-', ' ')
    };
    let draw = |bar: &Bar| {
        let mut cells = vec![empty; bar_width];
        let first = cell_of(bar.start);
        if bar.end <= bar.start {
            cells[first] = thin;
        } else {
            let fill = if bar.inner.is_empty() { full } else { life };
            for cell in cells
                .iter_mut()
                .take(last_cell(first, bar.end) + 1)
                .skip(first)
            {
                *cell = fill;
            }
            for &(start, end) in &bar.inner {
                let first = cell_of(start);
                for cell in cells.iter_mut().take(last_cell(first, end) + 1).skip(first) {
                    *cell = full;
                }
            }
        }
        cells
    };

    let bars = timeline.bars();
    let mut rows: Vec<Row> = Vec::new();
    // Tasks and timers: grouped by kind, drawn one by one when few, as a band when many.
    let mut by_kind: BTreeMap<u8, Vec<&Bar>> = BTreeMap::new();
    for bar in &bars {
        let order = match bar.kind {
            Kind::Call => 0,
            Kind::Task => 1,
            Kind::Timer => 2,
        };
        by_kind.entry(order).or_default().push(bar);
    }
    let omitted = |kind: Kind| match kind {
        Kind::Task => timeline.data.tasks_omitted,
        Kind::Timer => timeline.data.timers_omitted,
        Kind::Call => 0,
    };
    for group in by_kind.values() {
        let kind = group[0].kind;
        if group.len() <= MAX_ROWS && omitted(kind) == 0 {
            for bar in group {
                let range = format!("{}–{} s", secs(bar.start), secs(bar.end));
                let range = if look.unicode {
                    range
                } else {
                    range.replace('–', "-")
                };
                rows.push(Row {
                    label: bar.label.clone(),
                    cells: draw(bar),
                    info: format!(
                        "{range}{}{}",
                        if bar.open { " (open)" } else { "" },
                        if bar.at.is_empty() {
                            String::new()
                        } else {
                            format!("  {}", bar.at)
                        }
                    ),
                    kind,
                });
            }
        } else {
            rows.push(band(group, omitted(kind), bar_width, span, look.unicode));
        }
    }
    // Printed lines and stream items: marks on the axis.
    let marks = |times: &mut dyn Iterator<Item = f64>| {
        let mut cells = vec![empty; bar_width];
        let mut count = 0;
        for t in times {
            cells[cell_of(t)] = if look.unicode { '▼' } else { 'v' };
            count += 1;
        }
        (cells, count)
    };
    if !timeline.stdout.is_empty() {
        let (cells, count) = marks(&mut timeline.stdout.iter().map(|(t, _)| *t));
        let first = timeline
            .stdout
            .first()
            .map(|(_, text)| text.as_str())
            .unwrap_or("");
        rows.push(Row {
            label: "printed".into(),
            cells,
            info: format!("{count} line(s), first {first:?}"),
            kind: Kind::Call,
        });
    }
    if !timeline.data.items.is_empty() {
        let (cells, count) = marks(&mut timeline.data.items.iter().copied());
        rows.push(Row {
            label: "items".into(),
            cells,
            info: format!("{count} stream item(s)"),
            kind: Kind::Call,
        });
    }

    let mut out = String::new();
    for row in &rows {
        let bar: String = row.cells.iter().collect();
        let bar = paint(&bar, row.kind, look.color);
        let info = clip(&row.info, info_width);
        let _ = writeln!(
            out,
            "{pad}{:<label_width$} {bar} {info}",
            clip(&row.label, label_width)
        );
        let _ = &out;
    }
    // The axis: ticks at round numbers of seconds, labelled where they do not collide.
    let (line, tick) = if look.unicode {
        ('─', '┴')
    } else {
        ('-', '+')
    };
    let mut axis: Vec<char> = vec![line; bar_width];
    let mut labels: Vec<char> = vec![' '; bar_width + 6];
    let step = nice_step(span / 5.0);
    let mut free_from = 0;
    let mut k = 0u32;
    loop {
        let t = step * f64::from(k);
        if t > span + 1e-9 {
            break;
        }
        let cell = cell_of(t);
        axis[cell] = tick;
        let text = secs(t);
        if cell >= free_from && cell + text.len() <= labels.len() {
            for (i, ch) in text.chars().enumerate() {
                labels[cell + i] = ch;
            }
            free_from = cell + text.len() + 1;
        }
        k += 1;
    }
    let axis: String = axis.into_iter().collect();
    let labels: String = labels.into_iter().collect();
    let _ = writeln!(out, "{pad}{:<label_width$} {axis} s", "");
    let _ = writeln!(out, "{pad}{:<label_width$} {}", "", labels.trim_end());
    let at_once = timeline.most_at_once();
    let tasks = timeline.data.tasks.len() as u64 + timeline.data.tasks_omitted;
    let sampled = if timeline.data.tasks_omitted > 0 {
        format!(" (first {} recorded)", timeline.data.tasks.len())
    } else {
        String::new()
    };
    let observed = if tasks > 0 {
        format!(
            "{tasks} task(s){sampled}, at most {at_once} waiting at once; ended at {} s",
            secs(end)
        )
    } else {
        format!(
            "at most {at_once} wait(s) at once; ended at {} s",
            secs(end)
        )
    };
    if bars.iter().any(|b| !b.inner.is_empty()) {
        let (full, life) = if look.unicode {
            ('█', '─')
        } else {
            ('#', '-')
        };
        let _ = writeln!(
            out,
            "{pad}{full} sleeping, {life} alive but waiting on something else (a permit, a task)"
        );
    }
    let _ = writeln!(out, "{pad}observed: {observed}");
    if let Some(expected) = &timeline.expected {
        let _ = writeln!(out, "{pad}expected: {expected}");
    }
    out
}

/// Many bars of one kind as one row: how many run in each column, in shades, with counts.
fn band(group: &[&Bar], omitted: u64, width: usize, span: f64, unicode: bool) -> Row {
    let mut counts = vec![0usize; width];
    for bar in group {
        let first = (((bar.start / span) * width as f64).floor() as usize).min(width - 1);
        let last = ((((bar.end / span) * width as f64).ceil() as usize).saturating_sub(1))
            .clamp(first, width - 1);
        for count in counts.iter_mut().take(last + 1).skip(first) {
            *count += 1;
        }
    }
    let most = counts.iter().copied().max().unwrap_or(0).max(1);
    // Columns round: the count of waits at once comes from the times themselves.
    let mut edges: Vec<(f64, i64)> = group
        .iter()
        .flat_map(|b| [(b.start, 1), (b.end.max(b.start), -1)])
        .collect();
    edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut now, mut at_once) = (0i64, 0i64);
    for (_, step) in edges {
        now += step;
        at_once = at_once.max(now);
    }
    let shades: Vec<char> = if unicode {
        " ▁▂▃▄▅▆▇█".chars().collect()
    } else {
        " .:-=+*#%@".chars().collect()
    };
    let cells = counts
        .iter()
        .map(|&c| {
            if c == 0 {
                shades[0]
            } else {
                let level = (c * (shades.len() - 1)).div_ceil(most);
                shades[level.clamp(1, shades.len() - 1)]
            }
        })
        .collect();
    let kind = group[0].kind;
    let noun = match kind {
        Kind::Task => "tasks",
        Kind::Timer => "sleeps",
        Kind::Call => "calls",
    };
    let total = group.len() as u64 + omitted;
    let at = group.first().map(|b| b.at.clone()).unwrap_or_default();
    let sampled = if omitted > 0 {
        format!(", first {} drawn", group.len())
    } else {
        String::new()
    };
    Row {
        label: noun.into(),
        cells,
        info: format!("{total} {noun}, up to {at_once} at once{sampled}  {at}"),
        kind,
    }
}

fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut clipped: String = text.chars().take(width.saturating_sub(1)).collect();
    clipped.push('…');
    clipped
}

fn paint(text: &str, kind: Kind, color: bool) -> String {
    if !color {
        return text.to_string();
    }
    let style = match kind {
        Kind::Call => anstyle::AnsiColor::Green.on_default(),
        Kind::Task => anstyle::AnsiColor::Cyan.on_default(),
        Kind::Timer => anstyle::AnsiColor::Yellow.on_default(),
    };
    format!("{}{text}{}", style.render(), style.render_reset())
}

impl Look {
    /// For a terminal `width` columns wide (`None`: a file or a pipe, 100; at most 100), with
    /// `color` and `unicode` (block characters) as the options decided them (the report's
    /// `Style`, from `options::stdout_of`: UTF-8 where the locale says so).
    pub fn new(width: Option<usize>, color: bool, unicode: bool) -> Self {
        Self {
            width: width.unwrap_or(100).min(100),
            unicode,
            color,
        }
    }
}

/// A round step for ticks near `rough`: 1, 2 or 5 times a power of ten.
pub(crate) fn nice_step(rough: f64) -> f64 {
    if rough <= 0.0 || !rough.is_finite() {
        return 1.0;
    }
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|&s| s >= rough)
        .unwrap_or(10.0 * power);
    step.max(0.001)
}
