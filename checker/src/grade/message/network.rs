//! Wording of the network lessons: what a peer received (`grade::transcript`), how it differs
//! from what the spec expects, and when the slow function ran.

use crate::text::numbers::secs;

/// `expect.peers` failed for peer `name`: what differs, then every peer's transcript, then
/// `cpu` ([`cpu_calls`], empty when the slow function was never called).
pub fn peer_lines(name: &str, problem: &str, transcripts: &str, cpu: &str) -> String {
    format!(
        "peer `{name}`: {problem}\nwhat each peer received (time on the clock, bytes as read):\n{transcripts}{cpu}"
    )
}

/// Each call of the slow function (lesson 25): when it ran and on which thread, under a
/// heading; empty text for none.
pub fn cpu_calls(calls: &[asynclings_runner::cpu::CpuCall]) -> String {
    use asynclings_runner::cpu::ThreadKind;
    let mut out = String::new();
    for call in calls {
        let thread = match call.thread {
            ThreadKind::Runtime => "on the runtime's thread: every other task waited",
            ThreadKind::Blocking => "on tokio's blocking pool",
            ThreadKind::Other => "on a thread of its own",
        };
        // The call's place is the diagnosis's (`cpu_sites`): only a recorded run knows it,
        // and the message must read the same in both runs.
        out.push_str(&format!(
            "\n  {:>8} to {:>8}  {thread}",
            secs(call.start),
            secs(call.end)
        ));
    }
    if out.is_empty() {
        return out;
    }
    format!("\nwhen the slow function ran:{out}")
}

/// A peer did not receive an expected line.
pub fn reply_missing(line: &str) -> String {
    format!("never received `{line}`")
}

/// A peer received lines other than a group expected in any order.
pub fn replies_any_order(lines: &[String]) -> String {
    format!("expected the lines {lines:?} (in any order)")
}

/// A peer's line `number` (from 1) is not the one expected.
pub fn reply_differs(number: usize, expected: &str, got: &str) -> String {
    format!("line {number}: expected `{expected}`, received `{got}`")
}

/// A peer's line came at the wrong time.
pub fn reply_late(line: &str, at: f64, expected: f64) -> String {
    let when = if at > expected { "late" } else { "early" };
    format!(
        "received `{line}` at {}; expected at {} ({when})",
        secs(at),
        secs(expected)
    )
}

/// A peer received more than expected.
pub fn reply_extra(line: &str) -> String {
    format!("received more than expected, from `{line}`")
}

/// Every peer's transcript: per peer, each read with its time, and its end of file; first,
/// when a server's shutdown signal fired (`shutdown`), if it did.
pub fn transcripts(
    transcripts: &[asynclings_runner::net::PeerTranscript],
    shutdown: Option<f64>,
) -> String {
    // In a client lesson the peers are servers the client's attempts reach.
    let client = transcripts.iter().any(|t| t.connected_at.is_some());
    let other = if client { "client" } else { "server" };
    let mut out = Vec::new();
    if let Some(at) = shutdown {
        out.push(format!("  {:>10}  (the shutdown signal)", secs(at)));
    }
    for t in transcripts {
        out.push(format!("  {}:", t.name));
        match t.connected_at {
            Some(at) if t.refused => {
                out.push(format!(
                    "    {:>8}  (refused the client's attempt)",
                    secs(at)
                ));
                continue;
            }
            Some(at) => out.push(format!("    {:>8}  (the client connected)", secs(at))),
            None if client => {
                out.push("              (never reached: no attempt came this far)".into());
                continue;
            }
            None => {}
        }
        if t.received.is_empty() {
            out.push("    (nothing)".into());
        }
        for r in t.received.iter().take(20) {
            out.push(format!("    {:>8}  {:?}", secs(r.at), r.data));
        }
        if t.received.len() > 20 {
            out.push(format!("    … {} more reads", t.received.len() - 20));
        }
        match t.closed_at {
            Some(at) => out.push(format!(
                "    {:>8}  (the {other} closed the connection)",
                secs(at)
            )),
            None => out.push(format!(
                "              (the {other} never closed the connection)"
            )),
        }
    }
    out.join("\n")
}

/// A network case that did not finish: its message, then what each peer had received.
pub fn peer_transcripts_so_far(message: &str, transcripts: &str) -> String {
    format!(
        "{message}; what each peer had received (time on the clock, bytes as read):\n{transcripts}"
    )
}

/// A case gives peers to a function that takes no connections.
pub fn peers_unplayed(function: &str) -> String {
    format!(
        "the spec gives this case peers, but `{function}` takes no connections (a `Receiver<DuplexStream>` parameter), so they never connected: give peers only to a function that takes connections"
    )
}
