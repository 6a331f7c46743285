//! The messages a run sends: sizes from a seeded generator, readable contents.
//!
//! Message `i` starts with `msg-i|` and is filled with one letter (`a` for m0, `b` for m1, …), so
//! a read's bytes show at a glance where one message ends and the next begins, and a UDP receiver
//! can tell which datagram it got (drops are counted by these ids, which is exact).

use crate::config::Workload;

use super::event::MsgId;

/// The payload size of message `i`: fixed, or drawn from `size_min..=size_max` by a hash of the
/// seed and the index (so the receiver can recompute it to check frames).
pub fn message_size(w: &Workload, i: u32) -> u32 {
    if w.size_max <= w.size_min {
        return w.size_min;
    }
    let span = u64::from(w.size_max - w.size_min) + 1;
    w.size_min + (splitmix64(w.seed ^ u64::from(i).wrapping_mul(0x9E37_79B9)) % span) as u32
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Writes message `i`'s payload (`len` bytes) into `out` (cleared first).
pub fn payload(i: u32, len: u32, out: &mut Vec<u8>) {
    out.clear();
    let len = len as usize;
    let prefix = format!("msg-{i}|");
    out.extend_from_slice(&prefix.as_bytes()[..prefix.len().min(len)]);
    let fill = b'a' + (i % 26) as u8;
    out.resize(len, fill);
}

/// The message id at the start of a datagram (`msg-12|…` → 12), if it is there.
pub fn parse_msg_id(data: &[u8]) -> Option<MsgId> {
    let rest = data.strip_prefix(b"msg-")?;
    let end = rest.iter().position(|&b| b == b'|')?;
    std::str::from_utf8(&rest[..end]).ok()?.parse().ok().map(MsgId)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_stay_in_range_and_repeat() {
        let w = Workload {
            size_min: 10,
            size_max: 20,
            ..Workload::default()
        };
        let sizes: Vec<u32> = (0..100).map(|i| message_size(&w, i)).collect();
        assert!(sizes.iter().all(|s| (10..=20).contains(s)));
        assert!(sizes.iter().any(|&s| s != sizes[0]), "a range gives different sizes");
        assert_eq!(sizes, (0..100).map(|i| message_size(&w, i)).collect::<Vec<_>>());
    }

    #[test]
    fn payload_names_its_message() {
        let mut out = Vec::new();
        payload(3, 12, &mut out);
        assert_eq!(out, b"msg-3|dddddd");
        assert_eq!(parse_msg_id(&out), Some(MsgId(3)));
        payload(3, 2, &mut out);
        assert_eq!(out, b"ms");
        assert_eq!(parse_msg_id(&out), None);
    }
}
