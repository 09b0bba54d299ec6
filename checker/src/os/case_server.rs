//! The checker's end of a case server's channel (Linux): a `SOCK_SEQPACKET` socket pair, one
//! message per [`ServedCase`] (with its descriptors) and per [`ServerSays`]. What the server
//! does with them is `asynclings_runner`'s `serve` module; when the checker uses one is
//! `supervise::served`'s business.

use std::fs::File;
use std::io::{self, IoSlice};
use std::mem::MaybeUninit;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::time::Duration;

use asynclings_runner::protocol::{SERVED_FDS, ServedCase, ServerSays};
use rustix::event::{PollFd, PollFlags, Timespec, poll};
use rustix::net::{
    AddressFamily, RecvFlags, SendAncillaryBuffer, SendAncillaryMessage, SendFlags, SocketFlags,
    SocketType, sendmsg, socketpair,
};

use super::ResultChannel;

/// The checker's end of one case server's channel.
#[derive(Debug)]
pub struct ServerChannel(OwnedFd);

/// A new channel: the checker's end, and the server's, as the result channel
/// [`super::spawn`] hands a child as fd 3.
///
/// # Errors
/// The socket pair cannot be made.
pub fn pair() -> io::Result<(ServerChannel, ResultChannel)> {
    let (ours, theirs) = socketpair(
        AddressFamily::UNIX,
        SocketType::SEQPACKET,
        SocketFlags::CLOEXEC,
        None,
    )?;
    Ok((ServerChannel(ours), ResultChannel::of_socket(theirs)))
}

impl ServerChannel {
    /// Sends `case` with its descriptors, in [`ServedCase`]'s order: the case file, the result
    /// channel, stderr, the scratch folder.
    ///
    /// # Errors
    /// The server is gone, or the message cannot be written.
    pub fn send(&self, case: &ServedCase, fds: [&File; SERVED_FDS]) -> io::Result<()> {
        let bytes = serde_json::to_vec(case).map_err(io::Error::other)?;
        let borrowed: [BorrowedFd<'_>; SERVED_FDS] = fds.map(AsFd::as_fd);
        let mut space = [MaybeUninit::uninit(); rustix::cmsg_space!(ScmRights(SERVED_FDS))];
        let mut ancillary = SendAncillaryBuffer::new(&mut space);
        if !ancillary.push(SendAncillaryMessage::ScmRights(&borrowed)) {
            return Err(io::Error::other("descriptors do not fit the message"));
        }
        sendmsg(
            &self.0,
            &[IoSlice::new(&bytes)],
            &mut ancillary,
            SendFlags::NOSIGNAL,
        )?;
        Ok(())
    }

    /// What the server says within `limit`: `None` if nothing came by then.
    ///
    /// # Errors
    /// The server closed its end (it ended) or said something that is not a [`ServerSays`].
    pub fn hear(&self, limit: Duration) -> io::Result<Option<ServerSays>> {
        let timeout = Timespec {
            tv_sec: limit.as_secs() as _,
            tv_nsec: limit.subsec_nanos() as _,
        };
        let mut fds = [PollFd::new(&self.0, PollFlags::IN)];
        match poll(&mut fds, Some(&timeout)) {
            Ok(0) | Err(rustix::io::Errno::INTR) => return Ok(None),
            Ok(_) => {}
            Err(error) => return Err(error.into()),
        }
        let mut data = [0u8; 256];
        let bytes = match rustix::net::recv(&self.0, &mut data[..], RecvFlags::DONTWAIT) {
            Ok((_, received)) => received,
            Err(rustix::io::Errno::AGAIN | rustix::io::Errno::INTR) => return Ok(None),
            Err(error) => return Err(error.into()),
        };
        if bytes == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the case server ended",
            ));
        }
        serde_json::from_slice(&data[..bytes])
            .map(Some)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}
