//! Linux: `TCP_INFO` counts every data segment, `recv(MSG_TRUNC)` returns a datagram's real
//! length, `TCP_CORK` exists, and `AF_PACKET` (engine/capture.rs) captures segments.

use std::io;
use std::os::fd::AsRawFd;

use socket2::Socket;

use super::{Capabilities, DatagramRead, SegmentCounter, TcpInfo, TruncationReport};

pub const CAPABILITIES: Capabilities = Capabilities {
    segment_capture: true,
    segment_counter: SegmentCounter::TcpInfo,
    truncation: TruncationReport::Silent,
    cork: true,
};

/// Reads `TCP_INFO` from a connected TCP socket.
pub fn tcp_info(socket: &Socket) -> io::Result<TcpInfo> {
    // SAFETY: tcp_info is plain old data, all-zero is a valid value.
    let mut info: libc::tcp_info = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of::<libc::tcp_info>() as libc::socklen_t;
    // SAFETY: `info` is a live, writable tcp_info and `len` holds its size; the kernel writes at
    // most `len` bytes and updates `len`.
    let rc = unsafe {
        libc::getsockopt(
            socket.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_INFO,
            (&mut info as *mut libc::tcp_info).cast(),
            &mut len,
        )
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(TcpInfo {
        data_segs_out: info.tcpi_data_segs_out,
        notsent_bytes: info.tcpi_notsent_bytes,
        unacked: info.tcpi_unacked,
        snd_mss: info.tcpi_snd_mss,
        total_retrans: Some(info.tcpi_total_retrans),
    })
}

/// `TCP_MAXSEG`: the largest segment this socket sends and the MSS it announces in its SYN.
pub fn set_tcp_mss(socket: &Socket, mss: u32) -> io::Result<()> {
    socket.set_tcp_mss(mss)
}

/// `recv(fd, buf, len, MSG_TRUNC)` on a datagram socket: copies at most `buf.len()` bytes and
/// returns the datagram's full size (Linux returns it with `MSG_TRUNC`), so a truncated
/// datagram shows how many bytes were lost. Linux reports no error for it.
pub fn recv_datagram(socket: &Socket, buf: &mut [u8]) -> io::Result<DatagramRead> {
    // SAFETY: `buf` is a valid writable slice of `buf.len()` bytes; the kernel writes no more.
    let rc = unsafe { libc::recv(socket.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), libc::MSG_TRUNC) };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    let real = rc as usize;
    Ok(DatagramRead {
        copied: real.min(buf.len()),
        real_len: real,
        os_error: None,
    })
}

/// `TCP_CORK`: hold partial segments until uncorked.
pub fn set_tcp_cork(socket: &Socket, cork: bool) -> io::Result<()> {
    socket.set_tcp_cork(cork)
}

pub fn tcp_cork(socket: &Socket) -> io::Result<bool> {
    socket.tcp_cork()
}

/// Linux may refuse a UDP send when its own queue is full (`ENOBUFS`).
pub fn is_no_buffer_space(e: &io::Error) -> bool {
    e.raw_os_error() == Some(libc::ENOBUFS)
}

/// An `accept()` error that concerns one connection or a passing shortage, not the listener.
pub fn is_transient_accept_error(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM | libc::EPROTO | libc::EPERM)
    )
}

/// `recv(fd, buf, len, MSG_PEEK | MSG_TRUNC)`: looks at the next datagram without taking it
/// from the queue, so the app's own `recvfrom(N)` that follows returns exactly what it would
/// have. Returns `(copied, real_len)` like [`recv_datagram`].
pub fn peek_datagram(socket: &Socket, buf: &mut [u8]) -> io::Result<(usize, usize)> {
    // SAFETY: `buf` is a valid writable slice of `buf.len()` bytes; the kernel writes no more.
    let rc = unsafe {
        libc::recv(
            socket.as_raw_fd(),
            buf.as_mut_ptr().cast(),
            buf.len(),
            libc::MSG_PEEK | libc::MSG_TRUNC,
        )
    };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    let real = rc as usize;
    Ok((real.min(buf.len()), real))
}

/// Packets an `AF_PACKET` socket had to drop (its ring was full) since the last call
/// (`PACKET_STATISTICS`: reading it resets the kernel's counters).
pub fn packet_drops(socket: &Socket) -> io::Result<u32> {
    // SAFETY: tpacket_stats is plain old data, all-zero is a valid value.
    let mut stats: libc::tpacket_stats = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of::<libc::tpacket_stats>() as libc::socklen_t;
    // SAFETY: `stats` is a live, writable tpacket_stats and `len` holds its size.
    let rc = unsafe {
        libc::getsockopt(
            socket.as_raw_fd(),
            libc::SOL_PACKET,
            libc::PACKET_STATISTICS,
            (&mut stats as *mut libc::tpacket_stats).cast(),
            &mut len,
        )
    };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(stats.tp_drops)
}

/// Which namespaces a link run's child entered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamespaceKind {
    /// A new user namespace (the caller's uid and gid mapped to root in it) owning a new
    /// network namespace: what an unprivileged user gets.
    UserAndNet,
    /// Only a new network namespace: the caller is root already.
    NetOnly,
}

/// The namespace call that failed, for the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamespaceCall {
    Unshare,
    /// Writing `/proc/self/setgroups`, `uid_map` or `gid_map`.
    IdMap,
}

/// Moves this process into a network namespace of its own: `unshare(CLONE_NEWNET)` as root,
/// else `unshare(CLONE_NEWUSER | CLONE_NEWNET)` and a uid/gid map that makes the caller root in
/// the new user namespace (so it may configure that network namespace, and nothing else).
///
/// Only a single-threaded process may enter a new user namespace (`EINVAL` otherwise): call it
/// before any thread starts.
pub fn enter_network_namespace() -> Result<NamespaceKind, (NamespaceCall, io::Error)> {
    // SAFETY: geteuid/getegid cannot fail and touch no memory.
    let (uid, gid) = unsafe { (libc::geteuid(), libc::getegid()) };
    if uid == 0 {
        // SAFETY: unshare takes flags only.
        if unsafe { libc::unshare(libc::CLONE_NEWNET) } == 0 {
            return Ok(NamespaceKind::NetOnly);
        }
        // root without CAP_SYS_ADMIN (a container): a user namespace may still be allowed
    }
    // SAFETY: unshare takes flags only.
    if unsafe { libc::unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWNET) } != 0 {
        return Err((NamespaceCall::Unshare, io::Error::last_os_error()));
    }
    let write = |file: &str, text: String| {
        std::fs::write(format!("/proc/self/{file}"), text).map_err(|e| (NamespaceCall::IdMap, e))
    };
    // setgroups must be denied before an unprivileged process may write its gid_map
    write("setgroups", "deny".into())?;
    write("uid_map", format!("0 {uid} 1"))?;
    write("gid_map", format!("0 {gid} 1"))?;
    Ok(NamespaceKind::UserAndNet)
}

/// A kernel setting under `/proc/sys` as a number (`None`: absent on this kernel, or unreadable).
pub fn sysctl_number(path: &str) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/sys/{path}"))
        .ok()?
        .trim()
        .parse()
        .ok()
}
