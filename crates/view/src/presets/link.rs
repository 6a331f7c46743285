//! The link lessons (issue 19): what loopback hides, shown on a shaped link in a network
//! namespace of the run's own (`config::Link`, `engine::link`). Linux only; elsewhere, and
//! where the kernel refuses namespaces, the run says why and how to allow it.

use crate::config::{Experiment, Link, ReceiverOptions, Transports, UdpOptions, Workload};
use crate::framing::FramingMode;
use crate::i18n::S;

use super::claims::{Claim::Forced, Claim::Given, Claim::Varies, Outcome};
use super::Preset;

/// An Ethernet MTU (MSS 1448) on a link fast and deep enough that nothing is dropped.
fn ethernet() -> Link {
    Link {
        mtu_bytes: 1500,
        rate_bit: 100_000_000,
        queue_bytes: 256 * 1024,
        ..Link::default()
    }
}

/// 20 Mbit/s with a 20 KB queue: a TCP sender in slow start overflows the queue within its
/// first round trips, whatever the timing, so drops and retransmissions are forced
/// (271–766 retransmissions for 2 MB measured here, design.md §6).
fn lossy() -> Link {
    Link {
        mtu_bytes: 1500,
        rate_bit: 20_000_000,
        queue_bytes: 20 * 1024,
        ..Link::default()
    }
}

pub(super) fn presets() -> Vec<Preset> {
    let base = Experiment::default();
    vec![
        Preset {
            name: "real-mss",
            summary: S::LessonRealMss,
            look: S::LookRealMss,
            claims: &[
                Given("64"),
                Given("10"),
                Given("1500"),
                Given("20"),
                Given("12"),
                Given("10,004"),
                Given("4096"),
                Forced {
                    number: "1448",
                    outcome: Outcome::SegmentsAtMostMss,
                },
                Forced {
                    number: "7",
                    outcome: Outcome::SegmentsAtMostMss,
                },
            ],
            experiment: Experiment {
                transports: Transports::Tcp,
                // 20 ms apart, so each message leaves on its own and its segments are its own
                workload: Workload {
                    count: 3,
                    size_min: 10_000,
                    size_max: 10_000,
                    gap_us: 20_000,
                    ..Workload::default()
                },
                receiver: ReceiverOptions {
                    read_size: 4096,
                    start_delay_ms: 0,
                    ..ReceiverOptions::default()
                },
                framing: FramingMode::U32,
                link: Some(ethernet()),
                ..base.clone()
            },
        },
        Preset {
            name: "lossy-link",
            summary: S::LessonLossyLink,
            look: S::LookLossyLink,
            claims: &[
                Given("300"),
                Given("20"),
                Forced {
                    number: "",
                    outcome: Outcome::Retransmissions,
                },
                Forced {
                    number: "",
                    outcome: Outcome::EveryFrameIntact,
                },
                Varies {
                    number: "",
                    outcome: Outcome::Retransmissions,
                },
            ],
            experiment: Experiment {
                transports: Transports::Tcp,
                // 300 KB: slow start overflows the queue well before the end (35–186
                // retransmissions measured in 6 runs of 300 and 500 KB), and the recording stays
                // about 1 MB
                workload: Workload {
                    count: 30,
                    size_min: 10_000,
                    size_max: 10_000,
                    ..Workload::default()
                },
                receiver: ReceiverOptions {
                    read_size: 16_384,
                    start_delay_ms: 0,
                    ..ReceiverOptions::default()
                },
                framing: FramingMode::U32,
                link: Some(lossy()),
                ..base.clone()
            },
        },
        Preset {
            name: "udp-lossy",
            summary: S::LessonUdpLossy,
            look: S::LookUdpLossy,
            claims: &[
                Given("20"),
                Given("200"),
                Given("1000"),
                Forced {
                    number: "",
                    outcome: Outcome::DatagramsDropped,
                },
            ],
            experiment: Experiment {
                transports: Transports::Udp,
                // 200 KB at once into a 20 KB queue: most datagrams cannot wait and are dropped
                workload: Workload {
                    count: 200,
                    size_min: 1_000,
                    size_max: 1_000,
                    ..Workload::default()
                },
                udp: UdpOptions {
                    read_size: 2048,
                    start_delay_ms: 0,
                    ..UdpOptions::default()
                },
                link: Some(lossy()),
                ..base
            },
        },
    ]
}
