//! A datagram's real length where `recv()` does not return it (macOS, Windows): a peek.

use std::io::{self, Read};
use std::mem::MaybeUninit;

use socket2::Socket;

use super::DatagramRead;

/// The largest UDP payload over IPv4 (65535 − 8 − 20): a peek buffer this big sees any datagram whole.
const MAX_DATAGRAM: usize = 65_507;

/// Where `MSG_TRUNC` does not return the real length (macOS, Windows): peek the whole datagram
/// first to learn its size, then read it into `buf` as the application would, so the read
/// behaves exactly as the OS makes it behave. One reader per socket, so the peeked datagram is
/// the one read.
pub(super) fn peek_then_read(socket: &Socket, buf: &mut [u8], truncation_error: Option<i32>) -> io::Result<DatagramRead> {
    let mut scratch: Vec<MaybeUninit<u8>> = Vec::with_capacity(MAX_DATAGRAM + 1);
    scratch.resize(MAX_DATAGRAM + 1, MaybeUninit::uninit());
    let real_len = socket.peek(&mut scratch)?;
    match (&*socket).read(buf) {
        Ok(copied) => Ok(DatagramRead { copied, real_len: real_len.max(copied), os_error: None }),
        Err(e) if e.raw_os_error().is_some() && e.raw_os_error() == truncation_error => {
            // Windows fills the buffer with the datagram's first bytes before failing.
            Ok(DatagramRead { copied: buf.len().min(real_len), real_len, os_error: e.raw_os_error() })
        }
        Err(e) => Err(e),
    }
}
