//! Model tests that need no sockets.
use super::*;

/// The event store's budget is 32 bytes a record (issue: performance).
#[test]
fn every_stored_record_fits_in_32_bytes() {
    use std::mem::size_of;
    assert!(size_of::<MessageRec>() <= 32);
    assert!(size_of::<WriteRec>() <= 32);
    assert!(size_of::<Span>() <= 32);
    assert!(size_of::<FrameRec>() <= 32);
    // one record holds two events: the datagram sent and its receipt
    assert!(size_of::<DatagramRec>() <= 2 * 32);
}

#[test]
fn datagrams_without_an_id_are_kept_in_arrival_order_with_their_real_length() {
    let mut m = Model::default();
    for (len, real_len) in [(5, 5), (1024, 2000)] {
        m.apply(&Event::DatagramReceived {
            at_us: 1,
            msg: None,
            len,
            real_len,
            os_error: None,
        });
    }
    assert!(m.datagrams().is_empty());
    let fates: Vec<_> = m.unidentified_datagrams().iter().map(|d| m.datagram_fate(d)).collect();
    // nobody saw them sent: received, not "delivered"
    assert_eq!(fates, [DatagramFate::Received, DatagramFate::Truncated { lost: 976 }]);
}

#[test]
fn history_cap_keeps_counts_exact() {
    let mut m = Model::with_cap(10);
    for i in 0..100u32 {
        m.apply(&Event::Read {
            start_us: None,
            at_us: 0,
            offset: crate::facts::StreamOffset(u64::from(i)),
            len: 1,
            requested: 1,
        });
    }
    assert_eq!(m.reads().len(), 10);
    assert_eq!(m.summary.reads, 100);
    assert_eq!(m.summary.events_dropped_from_history, 90);
}

/// Every stored vector counts in the model's memory: received bytes and decode errors too
/// (the history once counted only the lanes' records).
#[test]
fn history_bytes_counts_every_stored_vector() {
    let mut m = Model::default();
    assert_eq!(m.history_bytes(), 0, "nothing stored yet");
    m.apply(&Event::Bytes {
        offset: crate::facts::StreamOffset(0),
        data: vec![7; 1000],
    });
    let with_bytes = m.history_bytes();
    assert!(with_bytes >= 1000, "the received bytes: {with_bytes}");
    m.apply(&Event::DecodeError {
        at_us: 1,
        error: crate::framing::DecodeError::NegativeLength { offset: 0, len: -1 },
    });
    assert!(m.history_bytes() > with_bytes, "and the decode errors");
    m.shrink();
    assert!(m.history_bytes() >= 1000, "trimmed, still held");
}
