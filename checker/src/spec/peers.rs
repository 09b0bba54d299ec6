//! The network vocabulary of a spec: a case's `[[case.peer]]` scripts, compiled into the
//! runner's [`PeerScript`]s, and `expect.peers`, the lines each peer must receive.
//!
//! A peer's times are constant durations after the call starts; every problem is located in
//! the file, as for the rest of the spec: a peer named twice, a write before its peer connects
//! or before the one above it, a close before the last write, an expectation for a peer the
//! case does not have.

use std::collections::HashSet;

use asynclings_runner::net::{PIPE_BYTES, PeerScript, Send};

use super::PeerLines;
use super::compile::Compiler;
use super::names::is_name;
use super::raw::{RawCase, RawExpect};

impl Compiler<'_, '_> {
    /// The case's `shutdown` time, checked: a constant duration, of a server case (it needs
    /// peers).
    pub(super) fn shutdown(&mut self, case: &RawCase) -> Option<f64> {
        let raw = case.shutdown.as_ref()?;
        let at = self.seconds("shutdown", Some(raw), 0.0);
        if case.peers.is_empty() {
            self.locator.error_at(
                raw.span(),
                "`shutdown` stops a server: the case has no `[[case.peer]]` (a function that takes connections and a `CancellationToken`)",
            );
        }
        Some(at)
    }

    /// The case's peers, in spec order, each checked.
    pub(super) fn peers(&mut self, case: &RawCase) -> Vec<PeerScript> {
        let mut names = HashSet::new();
        let mut scripts = Vec::new();
        if let (Some(first), Some(repeat)) = (case.peers.first(), case.repeat.filter(|&r| r > 1)) {
            self.locator.error_at(
                first.span(),
                format!("a case with peers is one call (their transcripts are its); it has `repeat = {repeat}`"),
            );
        }
        for peer in &case.peers {
            let raw = peer.get_ref();
            let name = raw.name.get_ref();
            if !is_name(name) {
                self.locator.error_at(
                    raw.name.span(),
                    format!(
                        "peer name `{name}`: use letters, digits and `_`, not starting with a digit"
                    ),
                );
            } else if !names.insert(name.clone()) {
                self.locator.error_at(
                    raw.name.span(),
                    format!("peer `{name}` is named twice in this case"),
                );
            }
            let connect = self.seconds("connect", raw.connect.as_ref(), 0.0);
            let mut sends = Vec::new();
            let mut last = connect;
            for send in &raw.send {
                let at = self.seconds("at", Some(&send.get_ref().at), connect);
                if at < last {
                    self.locator.error_at(
                        send.span(),
                        format!(
                            "peer `{name}` writes at {at} s, before {last} s: its connection or its write above; list writes in order of time"
                        ),
                    );
                }
                last = last.max(at);
                sends.push(Send {
                    at,
                    data: send.get_ref().data.clone(),
                });
            }
            let close = raw.close.as_ref().map(|close| {
                let at = self.seconds("close", Some(close), last);
                if at < last {
                    self.locator.error_at(
                        close.span(),
                        format!("peer `{name}` closes at {at} s, before its last write or its connection ({last} s)"),
                    );
                }
                at
            });
            let drop = raw.hang_up.as_ref().map(|drop| {
                let at = self.seconds("drop", Some(drop), connect);
                if at < connect {
                    self.locator.error_at(
                        drop.span(),
                        format!("peer `{name}` drops its connection at {at} s, before it connects ({connect} s)"),
                    );
                }
                at
            });
            let chunk = raw.chunk.as_ref().map_or(0, |chunk| {
                let bytes = *chunk.get_ref() as usize;
                if bytes > PIPE_BYTES {
                    self.locator.error_at(
                        chunk.span(),
                        format!("`chunk` is at most {PIPE_BYTES} bytes"),
                    );
                }
                bytes
            });
            let stall = raw.stall.as_ref().map(|stall| {
                let at = self.seconds("stall", Some(stall), connect);
                if at < connect {
                    self.locator.error_at(
                        stall.span(),
                        format!("peer `{name}` starts reading at {at} s, before it connects ({connect} s)"),
                    );
                }
                at
            });
            let buffer = raw.buffer.as_ref().map(|buffer| {
                let bytes = *buffer.get_ref() as usize;
                if !(1..=PIPE_BYTES).contains(&bytes) {
                    self.locator.error_at(
                        buffer.span(),
                        format!("`buffer` is 1 to {PIPE_BYTES} bytes"),
                    );
                }
                bytes.clamp(1, PIPE_BYTES)
            });
            scripts.push(PeerScript {
                name: name.clone(),
                connect,
                sends,
                close,
                drop,
                latency: self.seconds("latency", raw.latency.as_ref(), 0.0),
                chunk,
                refuse: raw.refuse,
                stall,
                buffer,
            });
        }
        scripts
    }

    /// `expect.peers`, each name one of the case's `peers`.
    pub(super) fn peer_lines(
        &mut self,
        raw: &RawExpect,
        peers: &[PeerScript],
        args: &[String],
    ) -> Option<Vec<PeerLines>> {
        let expected = raw.peers.as_ref()?;
        let mut compiled = Vec::new();
        for (name, entries) in expected.get_ref() {
            let groups = self.line_groups(entries, args);
            match peers.iter().position(|p| p.name == *name.get_ref()) {
                Some(index) => compiled.push(PeerLines {
                    index,
                    name: name.get_ref().clone(),
                    groups,
                }),
                None => {
                    let known: Vec<String> =
                        peers.iter().map(|p| format!("`{}`", p.name)).collect();
                    self.locator.error_at(
                        name.span(),
                        if known.is_empty() {
                            format!(
                                "`expect.peers` names `{}`, but the case has no `[[case.peer]]`",
                                name.get_ref()
                            )
                        } else {
                            format!(
                                "`expect.peers` names `{}`, which is not a peer of this case ({})",
                                name.get_ref(),
                                known.join(", ")
                            )
                        },
                    );
                }
            }
        }
        compiled.sort_by_key(|p| p.index);
        Some(compiled)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::spec::{CaseKind, load_text};

    const HEAD: &str = "lesson = \"s\"\ntitle = \"t\"\nfile = \"20_s.rs\"\nhint = \"h\"\nfunction = \"serve\"\n[[case]]\nname = \"c\"\nargs = { delay = 1.0 }\n";

    fn errors(body: &str) -> Vec<String> {
        let text = format!("{HEAD}{body}");
        match load_text(Path::new("s.toml"), &text, 20) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| e.message).collect(),
        }
    }

    #[test]
    fn peers_compile_into_scripts_with_their_times_and_expectations() {
        let text = format!(
            "{HEAD}[[case.peer]]\nname = \"ann\"\nconnect = \"1s\"\nlatency = \"100ms\"\nchunk = 3\nsend = [{{ at = \"1s\", data = \"a\\n\" }}, {{ at = \"2.5s\", data = \"b\\n\" }}]\n[[case.peer]]\nname = \"ben\"\ndrop = \"4s\"\nstall = \"3s\"\nbuffer = 8\n[case.expect.peers]\nben = []\nann = [{{ line = \"A\", at = \"delay + 1s\" }}]\n"
        );
        let lesson = load_text(Path::new("s.toml"), &text, 20).unwrap_or_else(|e| panic!("{e:#?}"));
        let CaseKind::Call(call) = &lesson.cases[0].kind else {
            panic!("a call case")
        };
        let ann = &call.peers[0];
        assert_eq!((ann.connect, ann.latency, ann.chunk), (1.0, 0.1, 3));
        assert_eq!(ann.sends[1].at, 2.5);
        assert_eq!((ann.close, call.peers[1].drop), (None, Some(4.0)));
        assert_eq!((ann.stall, ann.buffer), (None, None));
        assert_eq!(
            (call.peers[1].stall, call.peers[1].buffer),
            (Some(3.0), Some(8))
        );
        let expected = call.expect.peers.as_ref().unwrap();
        let order: Vec<(usize, &str)> = expected
            .iter()
            .map(|p| (p.index, p.name.as_str()))
            .collect();
        assert_eq!(order, vec![(0, "ann"), (1, "ben")], "in the case's order");
        assert!(call.expect.names().contains(&"peers".to_string()));
    }

    #[test]
    fn every_problem_of_a_script_is_located() {
        let out_of_order = errors(
            "[[case.peer]]\nname = \"ann\"\nconnect = \"1s\"\nsend = [{ at = \"0.5s\", data = \"x\" }]\nclose = \"0.2s\"\n",
        );
        assert!(
            out_of_order.iter().any(|e| e.contains("before 1 s")),
            "{out_of_order:?}"
        );
        assert!(
            out_of_order.iter().any(|e| e.contains("closes at 0.2 s")),
            "{out_of_order:?}"
        );
        let twice = errors("[[case.peer]]\nname = \"ann\"\n[[case.peer]]\nname = \"ann\"\n");
        assert!(twice.iter().any(|e| e.contains("named twice")), "{twice:?}");
        let stranger = errors("[[case.peer]]\nname = \"ann\"\n[case.expect.peers]\nbob = []\n");
        assert!(
            stranger
                .iter()
                .any(|e| e.contains("`bob`, which is not a peer")),
            "{stranger:?}"
        );
        let unknown = errors("[[case.peer]]\nname = \"ann\"\nspeed = 3\n");
        assert!(unknown.iter().any(|e| e.contains("speed")), "{unknown:?}");
        let early =
            errors("[[case.peer]]\nname = \"ann\"\nconnect = \"2s\"\nstall = \"1s\"\nbuffer = 0\n");
        assert!(
            early.iter().any(|e| e.contains("starts reading at 1 s")),
            "{early:?}"
        );
        assert!(
            early.iter().any(|e| e.contains("`buffer` is 1 to")),
            "{early:?}"
        );
        let repeated = errors("repeat = 3\n[[case.peer]]\nname = \"ann\"\n");
        assert!(
            repeated.iter().any(|e| e.contains("repeat = 3")),
            "{repeated:?}"
        );
        let wrong_name = errors("[case.expect]\nelapsed = \"reply_time[0][0]\"\n");
        assert!(
            wrong_name.iter().any(|e| e.contains("reply_time")),
            "{wrong_name:?}"
        );
    }

    #[test]
    fn a_shutdown_time_is_a_server_case_s_and_its_names_are_read() {
        let text = format!(
            "{HEAD}shutdown = \"2.5s\"\n[[case.peer]]\nname = \"ann\"\n[[case.diagnose]]\nwhen = \"not finished and closed_times[0] < 0\"\nsays = \"still waiting after the shutdown at {{shutdown}} s\"\n"
        );
        let lesson = load_text(Path::new("s.toml"), &text, 20).unwrap_or_else(|e| panic!("{e:#?}"));
        let CaseKind::Call(call) = &lesson.cases[0].kind else {
            panic!("a call case")
        };
        assert_eq!(call.shutdown, Some(2.5));
        let without_peers = errors("shutdown = \"1s\"\n");
        assert!(
            without_peers
                .iter()
                .any(|e| e.contains("the case has no `[[case.peer]]`")),
            "{without_peers:?}"
        );
        let early = errors("shutdown = \"0s - 1s\"\n[[case.peer]]\nname = \"ann\"\n");
        assert!(
            early.iter().any(|e| e.contains("from 0 to 30 days")),
            "{early:?}"
        );
        let read = errors("shutdown = \"delay\"\n[[case.peer]]\nname = \"ann\"\n");
        assert!(!read.is_empty(), "a constant, not an argument: {read:?}");
    }
}
