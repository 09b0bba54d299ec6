//! The transcripts of a network case: what each peer received, and when, read as lines.
//!
//! The runner records every read of every peer ([`PeerTranscript`]); here the bytes become
//! lines (each ends at a `\n`, and arrives at the time of the read that completed it; bytes
//! left without a `\n` when the peer's connection ended are a last line), the expression
//! names `replies` and `reply_times` are set from them, and `expect.peers` is checked: the
//! lines each peer must receive, in order, each within the tolerance of its `at`, and nothing
//! more.

use asynclings_runner::cpu::CpuCall;
use asynclings_runner::net::PeerTranscript;

use super::checks::Failure;
use super::checks::timing::Timing;
use super::message;
use crate::expr::{Value, Vars};
use crate::spec::{Expect, LineGroup};

/// A line a peer received, and when its last byte arrived (seconds after the call started).
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The line, without its `\n`.
    pub text: String,
    /// When it was complete.
    pub at: f64,
}

/// The lines of one peer's transcript.
pub fn replies(transcript: &PeerTranscript) -> Vec<Reply> {
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut last_at = 0.0;
    for received in &transcript.received {
        last_at = received.at;
        for c in received.data.chars() {
            if c == '\n' {
                lines.push(Reply {
                    text: std::mem::take(&mut current),
                    at: received.at,
                });
            } else {
                current.push(c);
            }
        }
    }
    if !current.is_empty() {
        lines.push(Reply {
            text: current,
            at: last_at,
        });
    }
    lines
}

/// Sets `cpu_threads` (where each call of the slow function ran: `runtime`, `blocking` or
/// `thread`), `cpu_starts` and `cpu_ends` (when it started and ended, seconds) and `cpu_sites`
/// (where the code called it, for a call on the runtime's thread; else empty text), in the
/// order of the calls; empty lists for a case that made none.
pub fn set_cpu_vars(vars: &mut Vars, calls: &[CpuCall]) {
    let list = |f: &dyn Fn(&CpuCall) -> Value| Value::List(calls.iter().map(f).collect());
    vars.set(
        "cpu_threads",
        list(&|c| Value::Text(c.thread.name().to_string())),
    );
    vars.set("cpu_starts", list(&|c| Value::Num(c.start)));
    vars.set("cpu_ends", list(&|c| Value::Num(c.end)));
    vars.set(
        "cpu_sites",
        list(&|c| Value::Text(c.site.clone().unwrap_or_default())),
    );
}

/// Sets `replies` (per peer, in the case's order: the lines it received), `reply_times`
/// (when each arrived), `closed_times` (when each read the end of its connection, -1 if it
/// never did), `attempts` (when a client tried to connect) and `shutdown` (when the
/// runner fired a server's shutdown signal, or the case's time for it when the call ended
/// first). Nothing is set for a case without peers.
pub fn set_vars(
    vars: &mut Vars,
    transcripts: &[PeerTranscript],
    attempts: &[f64],
    shutdown: Option<f64>,
) {
    if transcripts.is_empty() {
        return;
    }
    if let Some(at) = shutdown {
        vars.set("shutdown", Value::Num(at));
    }
    // A client lesson's attempts to connect (empty for a server's case, or a client that
    // never tried).
    vars.set(
        "attempts",
        Value::List(attempts.iter().map(|&t| Value::Num(t)).collect()),
    );
    let all: Vec<Vec<Reply>> = transcripts.iter().map(replies).collect();
    vars.set(
        "replies",
        Value::List(
            all.iter()
                .map(|r| Value::List(r.iter().map(|l| Value::Text(l.text.clone())).collect()))
                .collect(),
        ),
    );
    vars.set(
        "reply_times",
        Value::List(
            all.iter()
                .map(|r| Value::List(r.iter().map(|l| Value::Num(l.at)).collect()))
                .collect(),
        ),
    );
    // -1: the peer's connection was never closed by the server (still open at the end).
    vars.set(
        "closed_times",
        Value::List(
            transcripts
                .iter()
                .map(|t| Value::Num(t.closed_at.unwrap_or(-1.0)))
                .collect(),
        ),
    );
}

/// Checks `expect.peers`: one failure, named `peers`, for the first peer whose lines differ,
/// with every peer's transcript and what the slow function did (`cpu`, when it was called).
pub fn check(
    expect: &Expect,
    vars: &Vars,
    transcripts: &[PeerTranscript],
    cpu: &[CpuCall],
    timing: Timing,
) -> Option<Failure> {
    for expected in expect.peers.iter().flatten() {
        let got = transcripts
            .get(expected.index)
            .map(replies)
            .unwrap_or_default();
        if let Some(problem) = compare(&expected.groups, vars, &got, timing) {
            return Some(Failure {
                name: "peers".into(),
                message: message::peer_lines(
                    &expected.name,
                    &problem,
                    &describe(transcripts, shutdown_of(vars)),
                    &message::cpu_calls(cpu),
                ),
            });
        }
    }
    None
}

/// When the shutdown signal fired, as the call's names say (`shutdown`).
fn shutdown_of(vars: &Vars) -> Option<f64> {
    match vars.get("shutdown") {
        Some(Value::Num(at)) => Some(*at),
        _ => None,
    }
}

/// What differs between the expected groups and the lines received, in a few words.
fn compare(groups: &[LineGroup], vars: &Vars, got: &[Reply], timing: Timing) -> Option<String> {
    let mut position = 0;
    for group in groups {
        let end = position + group.lines.len();
        let Some(lines) = got.get(position..end) else {
            let missing = group
                .lines
                .get(got.len().saturating_sub(position))
                .or(group.lines.first());
            return Some(message::reply_missing(missing.map_or("", String::as_str)));
        };
        let mut expected: Vec<&str> = group.lines.iter().map(String::as_str).collect();
        let mut observed: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        if group.any_order {
            expected.sort_unstable();
            observed.sort_unstable();
        }
        if let Some(k) = (0..expected.len()).find(|&k| expected[k] != observed[k]) {
            return Some(if group.any_order {
                message::replies_any_order(&group.lines)
            } else {
                message::reply_differs(position + k + 1, expected[k], observed[k])
            });
        }
        if let Some(at) = &group.at {
            let expected_at = match at.eval_number(vars) {
                Ok(t) => t,
                Err(e) => return Some(format!("cannot evaluate `{at}`: {e}")),
            };
            if let Some(line) = lines.iter().find(|l| !timing.matches(l.at, expected_at)) {
                return Some(message::reply_late(&line.text, line.at, expected_at));
            }
        }
        position = end;
    }
    got.get(position)
        .map(|extra| message::reply_extra(&extra.text))
}

/// Why a case with peers cannot be graded when its peers never played: the function took no
/// connections (no `Receiver<DuplexStream>` parameter), so the runner never started them. A
/// mistake of the spec, not of the code.
pub fn unplayed(
    peers: &[asynclings_runner::net::PeerScript],
    transcripts: &[PeerTranscript],
    function: &str,
) -> Option<String> {
    (!peers.is_empty() && transcripts.is_empty()).then(|| message::peers_unplayed(function))
}

/// Every peer's transcript, for a report: a line per read, with its time; the end of file
/// when the peer read one; first, when the server's shutdown signal fired, if it did.
pub fn describe(transcripts: &[PeerTranscript], shutdown: Option<f64>) -> String {
    message::transcripts(transcripts, shutdown)
}

#[cfg(test)]
mod tests {
    use asynclings_runner::net::Received;

    use super::*;
    use crate::expr::Expr;

    fn transcript(reads: &[(f64, &str)]) -> PeerTranscript {
        PeerTranscript {
            name: "ann".into(),
            received: reads
                .iter()
                .map(|&(at, data)| Received {
                    at,
                    data: data.into(),
                })
                .collect(),
            closed_at: Some(3.0),
            connected_at: None,
            refused: false,
        }
    }

    #[test]
    fn peers_that_never_played_are_the_spec_s_mistake() {
        let script = asynclings_runner::net::PeerScript {
            name: "ann".into(),
            connect: 0.0,
            sends: Vec::new(),
            close: None,
            drop: None,
            latency: 0.0,
            chunk: 0,
            refuse: false,
            stall: None,
            buffer: None,
        };
        let said = unplayed(std::slice::from_ref(&script), &[], "wait_n").unwrap();
        assert!(said.contains("`wait_n` takes no connections"), "{said}");
        assert_eq!(unplayed(&[script], &[transcript(&[])], "serve"), None);
        assert_eq!(unplayed(&[], &[], "wait_n"), None);
    }

    #[test]
    fn a_server_s_shutdown_and_the_connections_it_left_open_are_named() {
        let mut open = transcript(&[(1.0, "ONE\n")]);
        open.name = "ben".into();
        open.closed_at = None;
        let peers = [transcript(&[(1.0, "ONE\n")]), open];
        let mut vars = Vars::new();
        set_vars(&mut vars, &peers, &[], Some(2.5));
        assert_eq!(vars.get("shutdown"), Some(&Value::Num(2.5)));
        assert_eq!(
            vars.get("closed_times"),
            Some(&Value::List(vec![Value::Num(3.0), Value::Num(-1.0)]))
        );
        let text = describe(&peers, Some(2.5));
        assert!(
            text.starts_with("       2.5 s  (the shutdown signal)\n  ann:"),
            "{text}"
        );
        assert!(
            text.contains("(the server never closed the connection)"),
            "{text}"
        );
        assert!(!describe(&peers, None).contains("shutdown"));
    }

    #[test]
    fn lines_end_at_the_read_that_completes_them() {
        let t = transcript(&[(1.0, "HEL"), (1.5, "LO\nWO"), (2.0, "RLD\nTAIL")]);
        let got = replies(&t);
        let texts: Vec<(&str, f64)> = got.iter().map(|r| (r.text.as_str(), r.at)).collect();
        assert_eq!(texts, vec![("HELLO", 1.5), ("WORLD", 2.0), ("TAIL", 2.0)]);
    }

    #[test]
    fn expected_lines_are_compared_in_order_and_in_ticks() {
        let timing = Timing {
            tolerance: 0.001,
            real_clock: false,
        };
        let vars = Vars::new();
        let group = |line: &str, at: Option<&str>| LineGroup {
            lines: vec![line.into()],
            any_order: false,
            at: at.map(|a| Expr::parse(a).unwrap()),
        };
        let got = replies(&transcript(&[(1.0, "A\n"), (2.0, "B\n")]));
        let groups = [group("A", Some("1s")), group("B", Some("2s"))];
        assert_eq!(compare(&groups, &vars, &got, timing), None);
        let late = [group("A", Some("1s")), group("B", Some("1s"))];
        assert!(compare(&late, &vars, &got, timing).unwrap().contains("B"));
        assert!(
            compare(&groups[..1], &vars, &got, timing).is_some(),
            "an extra line fails"
        );
        let more = [group("A", None), group("B", None), group("C", None)];
        assert!(compare(&more, &vars, &got, timing).unwrap().contains("C"));
    }
}
