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
pub(super) fn peek_then_read(
    socket: &Socket,
    buf: &mut [u8],
    truncation_error: Option<i32>,
) -> io::Result<DatagramRead> {
    let mut scratch: Vec<MaybeUninit<u8>> = Vec::with_capacity(MAX_DATAGRAM + 1);
    scratch.resize(MAX_DATAGRAM + 1, MaybeUninit::uninit());
    let real_len = socket.peek(&mut scratch)?;
    match (&*socket).read(buf) {
        Ok(copied) => Ok(DatagramRead {
            copied,
            real_len: real_len.max(copied),
            os_error: None,
        }),
        Err(e) if e.raw_os_error().is_some() && e.raw_os_error() == truncation_error => {
            // Windows fills the buffer with the datagram's first bytes before failing.
            Ok(DatagramRead {
                copied: buf.len().min(real_len),
                real_len,
                os_error: e.raw_os_error(),
            })
        }
        Err(e) => Err(e),
    }
}

/// Looks at the next datagram without taking it from the queue (`MSG_PEEK`), so the app's own
/// `recvfrom(N)` that follows returns exactly what it would have. Copies its first `buf.len()`
/// bytes into `buf` and returns `(copied, real_len)`. The peek goes through a buffer big enough
/// for any datagram, as Windows fails a peek into a smaller one with `WSAEMSGSIZE`.
pub fn peek_datagram(socket: &Socket, buf: &mut [u8]) -> io::Result<(usize, usize)> {
    let mut scratch = vec![MaybeUninit::new(0u8); MAX_DATAGRAM + 1];
    let real_len = socket.peek(&mut scratch)?;
    let copied = real_len.min(buf.len());
    for (b, s) in buf.iter_mut().zip(&scratch[..copied]) {
        // SAFETY: every byte of `scratch` was initialised (to 0, then by the kernel's copy).
        *b = unsafe { s.assume_init() };
    }
    Ok((copied, real_len))
}
