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
    /// The case's peers, in spec order, each checked.
    pub(super) fn peers(&mut self, case: &RawCase) -> Vec<PeerScript> {
        let mut names = HashSet::new();
        let mut scripts = Vec::new();
        for peer in &case.peers {
            let raw = peer.get_ref();
            let name = raw.name.get_ref();
            if !is_name(name) {
                self.locator.error_at(
                    raw.name.span(),
                    format!("peer name `{name}`: use letters, digits and `_`, not starting with a digit"),
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
            scripts.push(PeerScript {
                name: name.clone(),
                connect,
                sends,
                close,
                drop,
                latency: self.seconds("latency", raw.latency.as_ref(), 0.0),
                chunk,
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
                    let known: Vec<String> = peers.iter().map(|p| format!("`{}`", p.name)).collect();
                    self.locator.error_at(
                        name.span(),
                        if known.is_empty() {
                            format!("`expect.peers` names `{}`, but the case has no `[[case.peer]]`", name.get_ref())
                        } else {
                            format!("`expect.peers` names `{}`, which is not a peer of this case ({})", name.get_ref(), known.join(", "))
                        },
                    );
                }
            }
        }
        compiled.sort_by_key(|p| p.index);
        Some(compiled)
    }
}
