//! One scripted peer: it writes its script on its end of the connection, in pieces drawn from
//! the case's seed when its link is chunked, and records what it reads, with the time each
//! piece arrived, until the server closes or the script drops the connection.

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _, DuplexStream};
use tokio::time::Instant;

use super::{PIPE_BYTES, PeerScript, Received, exited, secs, with_state};

/// One peer: writes its script on one half of the connection while it records what the
/// other half reads, until the server closes or the script drops the connection.
pub(super) async fn run_peer(
    index: usize,
    script: PeerScript,
    stream: DuplexStream,
    origin: Instant,
    mut rng: SplitMix,
) {
    let (mut reader, mut writer) = tokio::io::split(stream);
    let latency = script.latency;
    let stall = script.stall;
    let exited = exited();
    let record = async move {
        // The server's process exited: the connection is gone, what had not reached the peer
        // never will.
        let gone = |exit: Instant| {
            let at = exit.duration_since(origin).as_secs_f64();
            with_state(|state| state.transcripts[index].closed_at = Some(at));
        };
        if let Some(at) = stall {
            // A client slow to read: what the server writes waits in the link until then.
            tokio::select! {
                () = tokio::time::sleep_until(origin + secs(at)) => {}
                () = exited.cancelled() => return gone(Instant::now()),
            }
        }
        let mut buf = vec![0u8; PIPE_BYTES];
        loop {
            let read = tokio::select! {
                // What the server wrote before it exited is read first.
                biased;
                read = reader.read(&mut buf) => read,
                () = exited.cancelled() => return gone(Instant::now()),
            };
            let at = origin.elapsed().as_secs_f64() + latency;
            match read {
                Ok(0) | Err(_) => {
                    // The end of the file crosses the link too: the peer is done when it
                    // arrives (or when the server's process exits, whichever comes first).
                    tokio::select! {
                        () = tokio::time::sleep(secs(latency)) => {}
                        () = exited.cancelled() => {}
                    }
                    with_state(|state| state.transcripts[index].closed_at = Some(at));
                    return;
                }
                Ok(n) => {
                    let data = String::from_utf8_lossy(&buf[..n]).into_owned();
                    with_state(|state| {
                        state.transcripts[index]
                            .received
                            .push(Received { at, data })
                    });
                }
            }
        }
    };
    let write = async move {
        for send in &script.sends {
            tokio::time::sleep_until(origin + secs(send.at + latency)).await;
            for piece in pieces(send.data.as_bytes(), script.chunk, &mut rng) {
                if writer.write_all(piece).await.is_err() {
                    // The server dropped the connection: what it sent is still to be read.
                    return std::future::pending::<()>().await;
                }
                // The server may read this piece before the next is written.
                tokio::task::yield_now().await;
            }
        }
        let last = script.sends.last().map_or(script.connect, |s| s.at);
        tokio::time::sleep_until(origin + secs(script.close.unwrap_or(last) + latency)).await;
        let _ = writer.shutdown().await;
        // Keep the writing half: dropping it is not a close, the reading half still needs it.
        std::future::pending::<()>().await;
    };
    let hang_up = async {
        match script.drop {
            Some(at) => tokio::time::sleep_until(origin + secs(at)).await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        biased;
        // Dropping both halves drops the peer's end: the server reads end of file, and its
        // writes fail with `BrokenPipe`.
        () = hang_up => {}
        () = record => {}
        () = write => {}
    }
}

/// `data` in pieces of 1 to `chunk` bytes (`chunk == 0`: whole).
fn pieces<'a>(data: &'a [u8], chunk: usize, rng: &mut SplitMix) -> Vec<&'a [u8]> {
    if chunk == 0 || data.is_empty() {
        return vec![data];
    }
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let size = (1 + (rng.next() % chunk as u64) as usize).min(rest.len());
        let (piece, tail) = rest.split_at(size);
        out.push(piece);
        rest = tail;
    }
    out
}

/// SplitMix64 (Steele, Lea, Flood 2014): a documented, portable generator, seeded per peer
pub(super) struct SplitMix(u64);

impl SplitMix {
    pub(super) fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cover_the_data_in_order_and_repeat_with_the_seed() {
        let data = b"hello, world\n";
        let split = |seed| {
            let mut rng = SplitMix::new(seed);
            pieces(data, 4, &mut rng)
                .into_iter()
                .map(<[u8]>::to_vec)
                .collect::<Vec<_>>()
        };
        let first = split(7);
        assert_eq!(first.concat(), data.to_vec());
        assert!(first.iter().all(|p| (1..=4).contains(&p.len())));
        assert!(first.len() >= 4, "{first:?}");
        assert_eq!(first, split(7));
        assert_eq!(pieces(data, 0, &mut SplitMix::new(1)), vec![&data[..]]);
    }
}
