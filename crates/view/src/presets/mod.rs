//! The seed course's lessons as ready-made experiments (design.md §2).
//!
//! Each preset's defaults are chosen from what loopback really does here (design.md §6), so the
//! effect shows on every run, not just on a lucky one.

use crate::config::{Experiment, ReceiverOptions, SenderOptions, Transports, UdpOptions, Workload, WriteSplit};
use crate::framing::FramingMode;
use crate::i18n::S;

mod claims;
mod echo;
mod link;
mod send_close;

pub use claims::{Claim, Outcome};
use claims::{Claim::Forced, Claim::Given, Claim::Varies};

/// One lesson.
#[derive(Clone, Debug)]
pub struct Preset {
    pub name: &'static str,
    /// The key of one paragraph (both languages in the i18n table): what the lesson shows and
    /// what to look for on the timeline.
    pub summary: S,
    /// The key of one sentence shown with the title when the lesson opens: what to look at.
    pub look: S,
    /// Every number its texts (summary and look-at sentence) write, and what they claim about
    /// the run: checked against many runs by tests/lesson_claims.rs.
    pub claims: &'static [Claim],
    pub experiment: Experiment,
}

fn small_messages() -> Workload {
    Workload {
        count: 12,
        size_min: 24,
        size_max: 200,
        ..Workload::default()
    }
}

/// Every preset, in teaching order.
pub fn all() -> Vec<Preset> {
    let base = Experiment::default();
    let mut all = vec![
        Preset {
            name: "slow-reader",
            summary: S::LessonSlowReader,
            look: S::LookSlowReader,
            claims: &[
                Given("50"),
                Given("12"),
                Given("512"),
                Forced {
                    number: "",
                    outcome: Outcome::MergedReads,
                },
                Forced {
                    number: "",
                    outcome: Outcome::SplitMessages,
                },
            ],
            experiment: Experiment {
                transports: Transports::Both,
                workload: small_messages(),
                receiver: ReceiverOptions {
                    read_size: 512,
                    start_delay_ms: 50,
                    ..ReceiverOptions::default()
                },
                ..base.clone()
            },
        },
        Preset {
            name: "nagle-burst",
            summary: S::LessonNagleBurst,
            look: S::LookNagleBurst,
            claims: &[
                Given("200"),
                Given("10"),
                Forced {
                    number: "",
                    outcome: Outcome::FewerSegmentsThanWrites,
                },
                Varies {
                    number: "",
                    outcome: Outcome::FewerSegmentsThanWrites,
                },
            ],
            experiment: Experiment {
                transports: Transports::Tcp,
                workload: Workload {
                    count: 200,
                    size_min: 10,
                    size_max: 10,
                    ..Workload::default()
                },
                receiver: ReceiverOptions {
                    start_delay_ms: 0,
                    ..ReceiverOptions::default()
                },
                ..base.clone()
            },
        },
        Preset {
            name: "json-header",
            summary: S::LessonJsonHeader,
            look: S::LookJsonHeader,
            claims: &[
                Given("4"),
                Forced {
                    number: "",
                    outcome: Outcome::MergedReads,
                },
                Forced {
                    number: "",
                    outcome: Outcome::SplitMessages,
                },
                Forced {
                    number: "",
                    outcome: Outcome::EveryFrameIntact,
                },
            ],
            experiment: Experiment {
                transports: Transports::Tcp,
                workload: small_messages(),
                framing: FramingMode::SeedJson,
                receiver: ReceiverOptions {
                    read_size: 512,
                    start_delay_ms: 50,
                    ..ReceiverOptions::default()
                },
                ..base.clone()
            },
        },
        Preset {
            name: "naive-header",
            summary: S::LessonNaiveHeader,
            look: S::LookNaiveHeader,
            claims: &[
                Given("4"),
                Given("2500"),
                Given("1000"),
                Given("20"),
                Forced {
                    number: "",
                    outcome: Outcome::DecodeError,
                },
            ],
            experiment: Experiment {
                transports: Transports::Tcp,
                workload: Workload {
                    count: 3,
                    size_min: 2500,
                    size_max: 2500,
                    gap_us: 20_000,
                    chunk_gap_us: 20_000,
                    ..Workload::default()
                },
                sender: SenderOptions {
                    split: WriteSplit::Chunks { bytes: 1000 },
                    ..SenderOptions::default()
                },
                framing: FramingMode::NaiveU32,
                receiver: ReceiverOptions {
                    read_size: 65_536,
                    start_delay_ms: 0,
                    ..ReceiverOptions::default()
                },
                ..base.clone()
            },
        },
        Preset {
            name: "udp-echo",
            summary: S::LessonUdpEcho,
            look: S::LookUdpEcho,
            claims: &[
                Given("12"),
                Given("1024"),
                Forced {
                    number: "",
                    outcome: Outcome::EveryDatagramWhole,
                },
                Forced {
                    number: "",
                    outcome: Outcome::MergedReads,
                },
            ],
            experiment: Experiment {
                transports: Transports::Both,
                workload: small_messages(),
                receiver: ReceiverOptions {
                    read_size: 1024,
                    start_delay_ms: 50,
                    ..ReceiverOptions::default()
                },
                udp: UdpOptions {
                    read_size: 1024,
                    start_delay_ms: 0,
                    ..UdpOptions::default()
                },
                ..base.clone()
            },
        },
        Preset {
            name: "firehose",
            summary: S::LessonFirehose,
            look: S::LookFirehose,
            claims: &[
                Given("1"),
                Given("16,384"),
                Given("16384"),
                Given("64"),
                Given("65536"),
                Forced {
                    number: "",
                    outcome: Outcome::NothingLost,
                },
            ],
            experiment: Experiment {
                transports: Transports::Tcp,
                workload: Workload {
                    count: 16_384,
                    size_min: 65_536,
                    size_max: 65_536,
                    ..Workload::default()
                },
                receiver: ReceiverOptions {
                    read_size: 65_536,
                    start_delay_ms: 0,
                    ..ReceiverOptions::default()
                },
                ..base.clone()
            },
        },
        Preset {
            name: "udp-truncate",
            summary: S::LessonUdpTruncate,
            look: S::LookUdpTruncate,
            claims: &[
                Given("100"),
                Given("10040"),
                Forced {
                    number: "",
                    outcome: Outcome::DatagramsTruncated,
                },
            ],
            experiment: Experiment {
                transports: Transports::Udp,
                workload: small_messages(),
                udp: UdpOptions {
                    read_size: 100,
                    start_delay_ms: 0,
                    ..UdpOptions::default()
                },
                ..base.clone()
            },
        },
        Preset {
            name: "udp-flood",
            summary: S::LessonUdpFlood,
            look: S::LookUdpFlood,
            claims: &[
                Given("2000"),
                Given("64"),
                Given("4096"),
                Given("8192"),
                Given("50"),
                Forced {
                    number: "",
                    outcome: Outcome::DatagramsDropped,
                },
            ],
            experiment: Experiment {
                transports: Transports::Udp,
                workload: Workload {
                    count: 2000,
                    size_min: 64,
                    size_max: 64,
                    ..Workload::default()
                },
                udp: UdpOptions {
                    read_size: 1024,
                    rcvbuf: Some(4096),
                    start_delay_ms: 50,
                },
                ..base.clone()
            },
        },
        Preset {
            name: "udp-empty",
            summary: S::LessonUdpEmpty,
            look: S::LookUdpEmpty,
            claims: &[
                Given("0"),
                Forced {
                    number: "5",
                    outcome: Outcome::EmptyDatagramsArrive,
                },
                Forced {
                    number: "",
                    outcome: Outcome::NoTcpBytes,
                },
            ],
            experiment: Experiment {
                transports: Transports::Both,
                workload: Workload {
                    count: 5,
                    size_min: 0,
                    size_max: 0,
                    gap_us: 1_000,
                    ..Workload::default()
                },
                receiver: ReceiverOptions {
                    start_delay_ms: 0,
                    ..ReceiverOptions::default()
                },
                udp: UdpOptions {
                    read_size: 1024,
                    start_delay_ms: 0,
                    ..UdpOptions::default()
                },
                ..base.clone()
            },
        },
        // issue 19b: a slow reader behind a small receive buffer closes the window: forced, since
        // 128 KiB cannot fit in the receive and send buffers (8 KiB each, once the kernel has
        // doubled them) before the first read; the small send buffer makes send() block
        Preset {
            name: "flow-control",
            summary: S::LessonFlowControl,
            look: S::LookFlowControl,
            claims: &[
                Given("300"),
                Given("1024"),
                Given("2"),
                Given("4096"),
                Given("8192"),
                Given("128"),
                Forced {
                    number: "",
                    outcome: Outcome::ZeroWindow,
                },
                Forced {
                    number: "",
                    outcome: Outcome::NothingLost,
                },
                Varies {
                    number: "",
                    outcome: Outcome::ZeroWindow,
                },
            ],
            experiment: Experiment {
                transports: Transports::Tcp,
                workload: Workload {
                    count: 64,
                    size_min: 2048,
                    size_max: 2048,
                    ..Workload::default()
                },
                sender: SenderOptions {
                    sndbuf: Some(4096),
                    ..SenderOptions::default()
                },
                receiver: ReceiverOptions {
                    read_size: 1024,
                    rcvbuf: Some(4096),
                    start_delay_ms: 300,
                    read_delay_ms: 2,
                },
                ..base.clone()
            },
        },
    ];
    all.extend(echo::presets());
    all.extend(link::presets());
    all.extend(send_close::presets());
    all
}

pub fn find(name: &str) -> Option<Preset> {
    all().into_iter().find(|p| p.name == name)
}

/// The names, for error messages.
pub fn names() -> Vec<&'static str> {
    all().iter().map(|p| p.name).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_preset_is_valid_and_named_once() {
        let all = super::all();
        for p in &all {
            assert_eq!(p.experiment.validate(), Ok(()), "{}", p.name);
            assert_eq!(all.iter().filter(|q| q.name == p.name).count(), 1);
        }
    }
}
