//! A socket's kind and addresses, found by its inode in `/proc/PID/net/{tcp,tcp6,udp,udp6,unix}`
//! (the tables of the program's own network namespace): the tracer sees `connect()`'s address
//! in the call, but not the port the kernel picked for the client's end, which pairs it with the
//! server's accepted end.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use super::streams::SockKind;

/// What the tables say about one socket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SockEntry {
    pub kind: SockKind,
    /// TCP or UDP (addresses), else `AF_UNIX` (a path, if bound).
    pub ip: bool,
    pub local: String,
    pub remote: String,
    /// `/proc/net/tcp`'s state 0A: a listening socket.
    pub listening: bool,
}

/// Looks `inode` up in process `pid`'s tables.
pub fn lookup(pid: i32, inode: u64) -> Option<SockEntry> {
    for (file, kind) in [
        ("tcp", SockKind::Stream),
        ("tcp6", SockKind::Stream),
        ("udp", SockKind::Datagram),
        ("udp6", SockKind::Datagram),
    ] {
        let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/net/{file}")) else {
            continue;
        };
        if let Some(e) = find_ip(&text, inode, kind) {
            return Some(e);
        }
    }
    let text = std::fs::read_to_string(format!("/proc/{pid}/net/unix")).ok()?;
    find_unix(&text, inode)
}

/// A line of `/proc/net/tcp`: `sl local rem st tx:rx tr:when retr uid timeout inode …`.
pub fn find_ip(table: &str, inode: u64, kind: SockKind) -> Option<SockEntry> {
    table.lines().skip(1).find_map(|line| {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.get(9)?.parse::<u64>().ok()? != inode {
            return None;
        }
        Some(SockEntry {
            kind,
            ip: true,
            local: parse_addr(f.get(1)?)?.to_string(),
            remote: parse_addr(f.get(2)?)?.to_string(),
            listening: kind == SockKind::Stream && *f.get(3)? == "0A",
        })
    })
}

/// A line of `/proc/net/unix`: `Num RefCount Protocol Flags Type St Inode [Path]`; type 1 is
/// `SOCK_STREAM`, 2 `SOCK_DGRAM`, 5 `SOCK_SEQPACKET` (a stream of records: drawn as datagrams).
pub fn find_unix(table: &str, inode: u64) -> Option<SockEntry> {
    table.lines().skip(1).find_map(|line| {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.get(6)?.parse::<u64>().ok()? != inode {
            return None;
        }
        let kind = match u32::from_str_radix(f.get(4)?, 16).ok()? {
            1 => SockKind::Stream,
            _ => SockKind::Datagram,
        };
        Some(SockEntry {
            kind,
            ip: false,
            local: f.get(7).map_or_else(String::new, |p| (*p).to_string()),
            remote: String::new(),
            listening: u32::from_str_radix(f.get(3)?, 16).ok()? & 0x10000 != 0,
        })
    })
}

/// `0100007F:1F90` (IPv4: one 32-bit word in the kernel's byte order) or 32 hex digits (IPv6:
/// four such words), then the port in hex.
fn parse_addr(text: &str) -> Option<SocketAddr> {
    let (ip, port) = text.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let word = |s: &str| u32::from_str_radix(s, 16).ok().map(|w| w.to_ne_bytes());
    let ip = match ip.len() {
        8 => IpAddr::V4(Ipv4Addr::from(word(ip)?)),
        32 => {
            let mut b = [0u8; 16];
            for i in 0..4 {
                b[i * 4..i * 4 + 4].copy_from_slice(&word(ip.get(i * 8..i * 8 + 8)?)?);
            }
            IpAddr::V6(Ipv6Addr::from(b))
        }
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcp_table_lines_give_addresses_and_listening() {
        let table =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0 100 0 0 10 0\n\
   1: 0100007F:D431 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0 20 4 30 10 -1\n";
        let l = find_ip(table, 4242, SockKind::Stream).expect("listener");
        if cfg!(target_endian = "little") {
            assert_eq!(l.local, "127.0.0.1:8080");
        }
        assert!(l.listening);
        let c = find_ip(table, 4343, SockKind::Stream).expect("client");
        assert!(!c.listening);
        assert!(c.remote.ends_with(":8080") && c.local.ends_with(":54321"));
        assert_eq!(find_ip(table, 1, SockKind::Stream), None);
    }

    #[test]
    fn ipv6_loopback_reads_back() {
        let table = "header\n 0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 0 0 0 0 0 77 1\n";
        let e = find_ip(table, 77, SockKind::Stream).expect("found");
        if cfg!(target_endian = "little") {
            assert_eq!(e.local, "[::1]:8080");
        }
    }

    #[test]
    fn unix_table_gives_kind_and_path() {
        let table = "Num       RefCount Protocol Flags    Type St Inode Path\n\
0000000000000000: 00000002 00000000 00010000 0001 01 5151 /tmp/s.sock\n\
0000000000000000: 00000002 00000000 00000000 0002 01 5252\n";
        let s = find_unix(table, 5151).expect("stream");
        assert_eq!(
            (s.kind, s.listening, s.local.as_str()),
            (SockKind::Stream, true, "/tmp/s.sock")
        );
        let d = find_unix(table, 5252).expect("dgram");
        assert_eq!((d.kind, d.local.as_str()), (SockKind::Datagram, ""));
    }
}
