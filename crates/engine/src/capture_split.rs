//! A GSO batch cut into the segments a network card would send.
//!
//! On `lo` the kernel does not cut TCP's large packets: the sender builds one packet of up to
//! 64 KiB, marks it with the segment size it stands for (`gso_size`, the connection's MSS at
//! the time, or less: Linux caps it at half the largest window the receiver offered), and
//! `lo` hands it on whole. A capture on `lo` sees that one packet where a network would carry
//! `ceil(payload / gso_size)` segments, and `TCP_INFO` counts those segments
//! (`tcpi_data_segs_out` adds `tcp_skb_pcount`, the batch's segment count). So each batch is
//! drawn, counted and exported as its segments, marked as one batch ([`Event::GsoBatch`]).
//!
//! The segments' headers are the batch's, changed as Linux's own software segmentation
//! changes them (`tcp_gso_segment`, `inet_gso_segment`): each segment's sequence number
//! advances by the bytes before it, its IP total length and checksum are its own, its IP id is
//! the batch's plus its index, FIN and PSH stay on the last segment only and CWR on the first.
//! The TCP checksum is left as captured: on loopback it is the partial sum the card would
//! finish (`CHECKSUM_PARTIAL`), never checked there.
//!
//! ```text
//!   one packet on lo:   [IP|TCP seq=S][ 2,500 bytes                         ]   gso_size 1,000
//!   on a wire:          [IP|TCP seq=S][1,000]  [IP|TCP seq=S+1000][1,000]  [IP|TCP seq=S+2000][500]
//! ```
//!
//! [`Event::GsoBatch`]: super::event::Event::GsoBatch

/// How many segments `payload_len` bytes make at `gso_size` bytes a segment (1 when the
/// packet is no batch: `gso_size` 0 or the payload fits in one).
pub fn segment_count(payload_len: u32, gso_size: u32) -> u32 {
    if gso_size == 0 || payload_len <= gso_size {
        1
    } else {
        payload_len.div_ceil(gso_size)
    }
}

/// Segment `index` of a batch: where its payload starts in the batch's, and how long it is.
pub fn segment_at(payload_len: u32, gso_size: u32, index: u32) -> (u32, u32) {
    if segment_count(payload_len, gso_size) == 1 {
        return (0, payload_len);
    }
    let skip = index * gso_size;
    (skip, gso_size.min(payload_len.saturating_sub(skip)))
}

const FIN: u8 = 0x01;
const PSH: u8 = 0x08;
const CWR: u8 = 0x80;

/// The headers of segment `index` of `count` (payload from `skip`, `len` bytes), made from the
/// batch's captured `headers` (an IPv4 header and a TCP header, as captured). Headers too
/// short to hold both are returned as they are.
pub fn segment_headers(headers: &[u8], index: u32, count: u32, skip: u32, len: u32) -> Vec<u8> {
    let mut h = headers.to_vec();
    let Some(&first) = h.first() else { return h };
    let ihl = usize::from(first & 0x0f) * 4;
    if ihl < 20 || h.len() < ihl + 20 {
        return h;
    }
    let tcp_len = usize::from(h[ihl + 12] >> 4) * 4;
    let total = (ihl + tcp_len) as u32 + len;
    h[2..4].copy_from_slice(&(total.min(u32::from(u16::MAX)) as u16).to_be_bytes());
    let id = u16::from_be_bytes([h[4], h[5]]).wrapping_add(index as u16);
    h[4..6].copy_from_slice(&id.to_be_bytes());
    h[10..12].copy_from_slice(&[0, 0]);
    let sum = ipv4_checksum(&h[..ihl]);
    h[10..12].copy_from_slice(&sum.to_be_bytes());
    let tcp = &mut h[ihl..];
    let seq = u32::from_be_bytes([tcp[4], tcp[5], tcp[6], tcp[7]]).wrapping_add(skip);
    tcp[4..8].copy_from_slice(&seq.to_be_bytes());
    if index + 1 < count {
        tcp[13] &= !(FIN | PSH);
    }
    if index > 0 {
        tcp[13] &= !CWR;
    }
    h
}

/// The IPv4 header checksum (RFC 791): the ones' complement of the ones' complement sum of the
/// header's 16-bit words, its checksum field counted as 0.
fn ipv4_checksum(header: &[u8]) -> u16 {
    let mut sum: u32 = header
        .chunks(2)
        .map(|w| u32::from(u16::from_be_bytes([w[0], *w.get(1).unwrap_or(&0)])))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An IPv4 + TCP header (20 + 32 bytes, timestamps option) of a 2,500-byte batch.
    fn batch_headers() -> Vec<u8> {
        let mut h = vec![0u8; 52];
        h[0] = 0x45;
        h[2..4].copy_from_slice(&(52u16 + 2500).to_be_bytes());
        h[4..6].copy_from_slice(&0xfffeu16.to_be_bytes());
        h[8] = 64;
        h[9] = 6;
        h[12..16].copy_from_slice(&[127, 0, 0, 1]);
        h[16..20].copy_from_slice(&[127, 0, 0, 1]);
        let sum = ipv4_checksum(&h[..20]);
        h[10..12].copy_from_slice(&sum.to_be_bytes());
        h[20 + 4..20 + 8].copy_from_slice(&(u32::MAX - 999).to_be_bytes());
        h[20 + 12] = 8 << 4;
        h[20 + 13] = 0x10 | PSH | FIN | CWR;
        h
    }

    #[test]
    fn a_batch_is_cut_into_gso_size_segments_with_the_tail_last() {
        assert_eq!(segment_count(2500, 1000), 3);
        assert_eq!(segment_count(3000, 1000), 3);
        assert_eq!(segment_count(1000, 1000), 1);
        assert_eq!(segment_count(65_483, 0), 1, "no gso_size: not a batch");
        let parts: Vec<_> = (0..3).map(|k| segment_at(2500, 1000, k)).collect();
        assert_eq!(parts, [(0, 1000), (1000, 1000), (2000, 500)]);
        assert_eq!(segment_at(700, 1000, 0), (0, 700));
    }

    /// What Linux's software segmentation writes: Wireshark reads the parts as a stream.
    #[test]
    fn each_segments_headers_say_its_own_sequence_length_id_and_flags() {
        let h = batch_headers();
        let parts: Vec<Vec<u8>> = (0..3)
            .map(|k| {
                let (skip, len) = segment_at(2500, 1000, k);
                segment_headers(&h, k, 3, skip, len)
            })
            .collect();
        for (k, p) in parts.iter().enumerate() {
            let total = u16::from_be_bytes([p[2], p[3]]);
            assert_eq!(total, 52 + if k < 2 { 1000 } else { 500 });
            assert_eq!(
                u16::from_be_bytes([p[4], p[5]]),
                0xfffeu16.wrapping_add(k as u16),
                "ids wrap"
            );
            assert_eq!(ipv4_checksum(&p[..20]), 0, "a valid IP checksum sums to 0");
            let seq = u32::from_be_bytes([p[24], p[25], p[26], p[27]]);
            assert_eq!(
                seq,
                (u32::MAX - 999).wrapping_add(1000 * k as u32),
                "sequence numbers wrap"
            );
            let flags = p[33];
            assert_eq!(flags & (FIN | PSH) != 0, k == 2, "FIN and PSH on the last only");
            assert_eq!(flags & CWR != 0, k == 0, "CWR on the first only");
            assert_eq!(flags & 0x10, 0x10, "every segment keeps its ACK");
        }
        assert_eq!(
            segment_headers(&h[..30], 1, 3, 1000, 1000),
            h[..30].to_vec(),
            "cut short"
        );
    }
}
