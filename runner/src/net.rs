//! The simulated network of the I/O lessons: the checker plays the other end of every
//! connection, inside the case's process, on the case's clock.
//!
//! A server lesson's function takes its connections as `Receiver<DuplexStream>`: each
//! [`DuplexStream`] is one end of tokio's in-memory pipe, tokio's own `AsyncRead` +
//! `AsyncWrite`, the way production code generic over its transport takes a `TcpStream`. The
//! other end belongs to a scripted peer ([`PeerScript`], from the case's `[[case.peer]]`): it
//! connects at its time, writes what its script says when it says it (split into pieces drawn
//! from the case's seed, when its link is chunked), half-closes or drops the connection, and
//! records every byte it receives with the time it arrived ([`PeerTranscript`]). Nothing here
//! touches a real socket, and everything runs on the runtime's paused clock, so the same code
//! and seed give the same transcript on every system.
//!
//! A client lesson's function takes `impl AsyncFnMut() -> std::io::Result<DuplexStream>`
//! instead: each call is one attempt to connect ([`connect`]), and attempt `n` reaches the
//! case's peer `n`, which refuses it or answers from its script; when each attempt began is
//! recorded ([`take_attempts`]).
//!
//! A server that is told to stop takes a `CancellationToken` too ([`shutdown_signal`]): the
//! runner cancels it at the case's `shutdown` time and records when ([`take_shutdown`]). Such
//! a server's call is its process's `main`: when it returns, the process exits ([`exit`]), and
//! what it left running (a connection still open, a task still answering) ends with it.
//!
//! The runner prepares the network from the request ([`prepare`]) before the call; the
//! binding of a server's parameter takes the connections ([`incoming`]), and after the call
//! waits for every peer to finish its script ([`finished`]); that of a client's starts the
//! clock of its attempts ([`start_client`]); the report carries the transcripts ([`take`]).
//!
//! A peer's own behaviour, on its end of a connection, is in `peer.rs`.

mod peer;

use std::sync::Mutex;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::io::DuplexStream;
use tokio::sync::mpsc::{self, Receiver};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use peer::{SplitMix, run_peer};

/// Bytes each direction of a simulated connection buffers before a write waits: a link
/// large enough that scripted peers never wait on a server that reads slowly.
pub const PIPE_BYTES: usize = 64 * 1024;

/// One peer's script, as the checker sends it (compiled from a case's `[[case.peer]]`).
/// Times are seconds after the call started, on the case's clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeerScript {
    /// Its name in the spec (`ann`), which names its transcript.
    pub name: String,
    /// When it connects.
    pub connect: f64,
    /// What it writes, and when, in order of time.
    #[serde(default)]
    pub sends: Vec<Send>,
    /// When it half-closes (shuts down its writing side, the server then reads end of file);
    /// `None`: right after its last write.
    #[serde(default)]
    pub close: Option<f64>,
    /// When it drops the whole connection without waiting for a reply (a client that goes
    /// away); `None`: it reads until the server closes.
    #[serde(default)]
    pub drop: Option<f64>,
    /// Seconds each byte takes across the link, both ways.
    #[serde(default)]
    pub latency: f64,
    /// `0`: each write arrives whole. `n`: each write is split into pieces of 1 to `n`
    /// bytes, drawn from the case's seed, each written on its own.
    #[serde(default)]
    pub chunk: usize,
    /// For a client lesson: this attempt is refused (`ConnectionRefused`, after the link's
    /// latency): no server listens.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub refuse: bool,
    /// When it starts reading: before then it reads nothing, and what the server writes waits
    /// in the link (a client slow to read); `None`: it reads from the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stall: Option<f64>,
    /// Bytes its link holds each way before a write waits for the other end to read; `None`:
    /// [`PIPE_BYTES`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buffer: Option<usize>,
}

impl PeerScript {
    /// The two ends of this peer's connection, its link holding [`PeerScript::buffer`] bytes
    /// each way.
    fn link(&self) -> (DuplexStream, DuplexStream) {
        tokio::io::duplex(self.buffer.unwrap_or(PIPE_BYTES).max(1))
    }
}

/// One write of a [`PeerScript`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Send {
    /// When it is written.
    pub at: f64,
    /// What is written (UTF-8).
    pub data: String,
}

/// What one peer received, for the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeerTranscript {
    /// The peer's name.
    pub name: String,
    /// Every read that returned bytes, in order, with the time the bytes arrived.
    pub received: Vec<Received>,
    /// When the peer read end of file (the server closed its side), if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<f64>,
    /// For a client lesson: when the client's attempt reached this peer (refused or not).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connected_at: Option<f64>,
    /// For a client lesson: the peer refused the attempt.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub refused: bool,
}

/// Bytes a peer received at one time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Received {
    /// Seconds after the call started when they arrived (read time plus the link's latency).
    pub at: f64,
    /// The bytes (those that are not UTF-8 replaced by U+FFFD).
    pub data: String,
}

/// What the runner prepared for this case, and what the peers recorded.
struct State {
    scripts: Vec<PeerScript>,
    seed: u64,
    peers: Vec<JoinHandle<()>>,
    transcripts: Vec<PeerTranscript>,
    /// For a client lesson: when the call started, and when each `connect` was called.
    origin: Option<Instant>,
    attempts: Vec<f64>,
    /// For a server told to stop: when the case fires its shutdown signal (seconds after the
    /// call started), and when the runner did fire it.
    shutdown: Option<f64>,
    shutdown_at: Option<f64>,
    /// Cancelled when a server told to stop has returned: its process exits.
    exited: CancellationToken,
}

static STATE: Mutex<Option<State>> = Mutex::new(None);

fn with_state<T>(f: impl FnOnce(&mut State) -> T) -> Option<T> {
    let mut state = STATE.lock().unwrap_or_else(|e| e.into_inner());
    state.as_mut().map(f)
}

/// Prepares the network of a case: its peers' scripts, its seed, and when its shutdown signal
/// fires (seconds after the call starts; `None`: never). A case without peers nor shutdown
/// prepares nothing.
pub fn prepare(scripts: Vec<PeerScript>, seed: u64, shutdown: Option<f64>) {
    if scripts.is_empty() && shutdown.is_none() {
        return;
    }
    *STATE.lock().unwrap_or_else(|e| e.into_inner()) = Some(State {
        scripts,
        seed,
        peers: Vec::new(),
        transcripts: Vec::new(),
        origin: None,
        attempts: Vec::new(),
        shutdown,
        shutdown_at: None,
        exited: CancellationToken::new(),
    });
}

/// When the runner fired the case's shutdown signal, in seconds after the call started;
/// `None` when the case has none, or the call ended before it.
pub fn take_shutdown() -> Option<f64> {
    with_state(|state| state.shutdown_at.take()).flatten()
}

/// The shutdown signal of a server told to stop: a token the runner cancels at the case's
/// `shutdown` time (never, for a case without one), recording when. Must be called inside
/// the runtime, at the start of the call: the time counts from now. What the binding of a
/// `CancellationToken` parameter passes.
#[doc(hidden)]
pub fn shutdown_signal() -> CancellationToken {
    let token = CancellationToken::new();
    let origin = Instant::now();
    if let Some(at) = with_state(|state| state.shutdown).flatten() {
        let signal = token.clone();
        tokio::spawn(async move {
            tokio::time::sleep_until(origin + secs(at)).await;
            let fired = origin.elapsed().as_secs_f64();
            with_state(|state| state.shutdown_at = Some(fired));
            signal.cancel();
        });
    }
    token
}

/// After a server told to stop has returned: its process exits. The peers read what had
/// reached them, then their connections close (their transcripts end now); peers yet to
/// connect never do. Returns once every peer is done.
#[doc(hidden)]
pub async fn exit() {
    if let Some(exited) = with_state(|state| state.exited.clone()) {
        exited.cancel();
    }
    finished().await;
}

/// The token cancelled when the process exits ([`exit`]); one never cancelled without a case.
fn exited() -> CancellationToken {
    with_state(|state| state.exited.clone()).unwrap_or_default()
}

/// The transcripts recorded so far, one per peer in script order (empty for a case without
/// peers). Peers still running keep what they had received.
pub fn take() -> Vec<PeerTranscript> {
    with_state(|state| std::mem::take(&mut state.transcripts)).unwrap_or_default()
}

/// For a client lesson: when the client tried to connect, each time (seconds after the call
/// started), the attempts refused for want of a peer included.
pub fn take_attempts() -> Vec<f64> {
    with_state(|state| std::mem::take(&mut state.attempts)).unwrap_or_default()
}

fn fresh_transcripts(scripts: &[PeerScript]) -> Vec<PeerTranscript> {
    scripts
        .iter()
        .map(|s| PeerTranscript {
            name: s.name.clone(),
            received: Vec::new(),
            closed_at: None,
            connected_at: None,
            refused: false,
        })
        .collect()
}

/// For a client lesson, at the start of the call: peer times count from now.
#[doc(hidden)]
pub fn start_client() {
    with_state(|state| {
        state.origin = Some(Instant::now());
        state.attempts.clear();
        state.transcripts = fresh_transcripts(&state.scripts);
    });
}

/// One attempt of the client to connect: the `n`-th attempt reaches the `n`-th peer of the
/// case, which answers it from its script; past the last peer, and for a peer that refuses,
/// the attempt fails with `ConnectionRefused` (after the peer's latency). What the binding of
/// a connector parameter calls (`async || connect().await`).
#[doc(hidden)]
pub async fn connect() -> std::io::Result<DuplexStream> {
    let now = Instant::now();
    let taken = with_state(|state| {
        let origin = *state.origin.get_or_insert(now);
        let at = now.duration_since(origin).as_secs_f64();
        state.attempts.push(at);
        let index = state.attempts.len() - 1;
        let script = state.scripts.get(index).cloned();
        if let Some(script) = &script {
            state.transcripts[index].connected_at = Some(at);
            state.transcripts[index].refused = script.refuse;
        }
        (origin, index, script, state.seed)
    });
    let refused = || std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
    let Some((origin, index, Some(script), seed)) = taken else {
        return Err(refused());
    };
    tokio::time::sleep(secs(script.latency)).await;
    if script.refuse {
        return Err(refused());
    }
    let (client_end, peer_end) = script.link();
    let rng = SplitMix::new(seed ^ (index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    // Not awaited by `finished`: a client's call ends when the client returns.
    tokio::spawn(run_peer(index, script, peer_end, origin, rng));
    Ok(client_end)
}

/// Starts the peers (on the current runtime) and returns the server's end of each connection,
/// in the order they connect; the channel closes after the last one, except in a case with a
/// shutdown, where it stays open (a listener) until the server drops it or exits. Must be
/// called inside the runtime, at the start of the call: peer times count from now.
#[doc(hidden)]
pub fn incoming() -> Receiver<DuplexStream> {
    let origin = Instant::now();
    let (scripts, seed, listening) =
        with_state(|state| (state.scripts.clone(), state.seed, state.shutdown.is_some()))
            .unwrap_or_else(|| (Vec::new(), 0, false));
    with_state(|state| state.transcripts = fresh_transcripts(&scripts));
    let (sender, receiver) = mpsc::channel(scripts.len().max(1));
    let exited = exited();
    let mut order: Vec<usize> = (0..scripts.len()).collect();
    // Stable: peers connecting at the same time connect in spec order.
    order.sort_by(|&a, &b| scripts[a].connect.total_cmp(&scripts[b].connect));
    let acceptor = tokio::spawn(async move {
        for index in order {
            let script = scripts[index].clone();
            tokio::select! {
                () = tokio::time::sleep_until(origin + secs(script.connect)) => {}
                // The server's process exited: nobody listens any more.
                () = exited.cancelled() => break,
            }
            let (server_end, peer_end) = script.link();
            let rng = SplitMix::new(seed ^ (index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let peer = tokio::spawn(run_peer(index, script, peer_end, origin, rng));
            with_state(|state| state.peers.push(peer));
            if sender.send(server_end).await.is_err() {
                // The server stopped taking connections: the rest never connect.
                break;
            }
        }
        if listening {
            // A server told to stop has a listener that never closes by itself: `incoming`
            // stays open until the server drops it, or exits.
            tokio::select! {
                () = sender.closed() => {}
                () = exited.cancelled() => {}
            }
        }
    });
    with_state(|state| state.peers.push(acceptor));
    receiver
}

/// Waits until every peer has finished its script: read the server's end of file, or dropped
/// its connection.
#[doc(hidden)]
pub async fn finished() {
    loop {
        let Some(peer) = with_state(|state| state.peers.pop()).flatten() else {
            return;
        };
        let _ = peer.await;
    }
}

fn secs(seconds: f64) -> Duration {
    crate::protocol::seconds(seconds)
}

#[cfg(test)]
mod tests {
    use tokio::io::AsyncWriteExt as _;

    use super::*;

    /// The network's state is the process's: its tests take turns.
    static SERIAL: Mutex<()> = Mutex::new(());

    fn paused_runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("a runtime")
    }

    fn script(name: &str, connect: f64, sends: &[(f64, &str)]) -> PeerScript {
        PeerScript {
            name: name.into(),
            connect,
            sends: sends
                .iter()
                .map(|&(at, data)| Send {
                    at,
                    data: data.into(),
                })
                .collect(),
            close: Some(3600.0),
            drop: None,
            latency: 0.0,
            chunk: 0,
            refuse: false,
            stall: None,
            buffer: None,
        }
    }

    #[test]
    fn a_server_told_to_stop_is_signalled_on_time_and_its_exit_closes_every_connection() {
        let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        paused_runtime().block_on(async {
            prepare(
                vec![
                    script("ann", 0.0, &[(0.0, "one\n")]),
                    script("dan", 5.0, &[(5.0, "late\n")]),
                ],
                1,
                Some(2.5),
            );
            let start = Instant::now();
            let mut incoming = incoming();
            let shutdown = shutdown_signal();
            let mut ann = incoming.recv().await.expect("ann connects");
            shutdown.cancelled().await;
            assert_eq!(start.elapsed().as_millis(), 2500);
            // A listener: `incoming` does not close after the last peer by itself.
            let waited = tokio::time::timeout(secs(1.0), incoming.recv()).await;
            assert!(waited.is_err(), "incoming closed or delivered: {waited:?}");
            ann.write_all(b"ONE\n").await.expect("ann reads");
            // The server returns at 3.5 s, still holding ann's connection: the process exits.
            exit().await;
            assert_eq!(
                start.elapsed().as_millis(),
                3500,
                "exit waits for no script"
            );
            assert_eq!(take_shutdown(), Some(2.5));
            let transcripts = take();
            assert_eq!(transcripts[0].received[0].data, "ONE\n");
            assert_eq!(transcripts[0].closed_at, Some(3.5));
            assert_eq!(transcripts[1].closed_at, None, "dan never connected");
            drop((ann, incoming));
        });
    }

    #[test]
    fn a_stalled_peer_with_a_small_link_makes_the_server_s_write_wait() {
        let _turn = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            prepare(
                vec![PeerScript {
                    name: "sam".into(),
                    connect: 0.0,
                    sends: Vec::new(),
                    close: Some(8.0),
                    drop: None,
                    latency: 0.0,
                    chunk: 0,
                    refuse: false,
                    stall: Some(6.0),
                    buffer: Some(4),
                }],
                1,
                None,
            );
            let start = Instant::now();
            let mut server = incoming().recv().await.expect("sam connects");
            server
                .write_all(b"ann: one\n")
                .await
                .expect("sam reads, at last");
            // Four bytes fit in the link; the rest waited for sam to read, at 6 s.
            let waited = start.elapsed().as_secs_f64();
            assert!((6.0..6.002).contains(&waited), "{waited}");
            drop(server);
            finished().await;
            let sam = take().remove(0);
            let text: String = sam.received.iter().map(|r| r.data.as_str()).collect();
            assert_eq!(text, "ann: one\n");
            assert!(
                sam.received.iter().all(|r| (6.0..6.002).contains(&r.at)),
                "{sam:?}"
            );
            assert_eq!(sam.closed_at.map(|at| at.round()), Some(6.0));
        });
    }
}
