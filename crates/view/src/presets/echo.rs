//! Request/response lessons: the seed's echo server (`echo`), remote-command server
//! (`big-reply`) and HMAC connection check (`hmac-handshake`, `hmac-wrong-key`). Both directions are recorded, and each request's latency.

use crate::config::{ClientReads, EchoOptions, HandshakeOptions};
use crate::config::{Experiment, ReceiverOptions, SenderOptions, Transports, Workload, WriteSplit};
use crate::framing::FramingMode;
use crate::i18n::S;

use super::claims::{Claim::Forced, Claim::Given, Outcome};
use super::Preset;

pub(super) fn presets() -> Vec<Preset> {
    let base = Experiment::default();
    vec![
        Preset {
            name: "echo",
            summary: S::LessonEcho,
            look: S::LookEcho,
            claims: &[
                Given("4"),
                Given("96"),
                Forced {
                    number: "40",
                    outcome: Outcome::MostRequestsStall,
                },
            ],
            experiment: Experiment {
                transports: Transports::Tcp,
                workload: Workload {
                    count: 20,
                    size_min: 96,
                    size_max: 96,
                    ..Workload::default()
                },
                sender: SenderOptions {
                    split: WriteSplit::HeaderThenBody,
                    ..SenderOptions::default()
                },
                framing: FramingMode::U32,
                receiver: ReceiverOptions {
                    read_size: 1024,
                    start_delay_ms: 0,
                    ..ReceiverOptions::default()
                },
                echo: Some(EchoOptions::default()),
                ..base.clone()
            },
        },
        Preset {
            name: "big-reply",
            summary: S::LessonBigReply,
            look: S::LookBigReply,
            claims: &[
                Given("2500"),
                Given("1024"),
                Given("0"),
                Given("1"),
                Given("10054"),
                Forced {
                    number: "",
                    outcome: Outcome::ReplySplit,
                },
            ],
            experiment: Experiment {
                transports: Transports::Tcp,
                workload: Workload {
                    count: 4,
                    size_min: 8,
                    size_max: 8,
                    gap_us: 20_000,
                    ..Workload::default()
                },
                receiver: ReceiverOptions {
                    read_size: 1024,
                    start_delay_ms: 0,
                    ..ReceiverOptions::default()
                },
                echo: Some(EchoOptions {
                    reply_size: Some(2500),
                    client_read_size: 1024,
                    client_reads: ClientReads::OncePerRequest,
                    ..EchoOptions::default()
                }),
                ..base.clone()
            },
        },
        Preset {
            name: "hmac-handshake",
            summary: S::LessonHmacHandshake,
            look: S::LookHmacHandshake,
            claims: &[
                Given("32"),
                Given("3.8"),
                Given("16"),
                Forced {
                    number: "",
                    outcome: Outcome::HandshakeAccepted,
                },
            ],
            experiment: hmac_experiment(&base, false),
        },
        Preset {
            name: "hmac-wrong-key",
            summary: S::LessonHmacWrongKey,
            look: S::LookHmacWrongKey,
            claims: &[
                Given("32"),
                Forced {
                    number: "",
                    outcome: Outcome::HandshakeRefused,
                },
            ],
            experiment: hmac_experiment(&base, true),
        },
        many_clients(),
    ]
}

/// The seed's socketserver lesson (see `engine/many.rs`).
pub(super) fn many_clients() -> Preset {
    Preset {
        name: "many-clients",
        summary: S::LessonManyClients,
        look: S::LookManyClients,
        claims: &[
            Given("1024"),
            Given("0"),
            Given("1"),
            Given("2"),
            Forced {
                number: "",
                outcome: Outcome::ConnectionsKeepTheirBytes,
            },
        ],
        experiment: Experiment {
            transports: Transports::Tcp,
            workload: Workload {
                count: 6,
                size_min: 24,
                size_max: 200,
                gap_us: 10_000,
                ..Workload::default()
            },
            receiver: ReceiverOptions {
                read_size: 1024,
                start_delay_ms: 0,
                ..ReceiverOptions::default()
            },
            echo: Some(EchoOptions {
                connections: 3,
                ..EchoOptions::default()
            }),
            ..Experiment::default()
        },
    }
}

fn hmac_experiment(base: &Experiment, wrong_key: bool) -> Experiment {
    Experiment {
        transports: Transports::Tcp,
        workload: Workload {
            count: 5,
            size_min: 24,
            size_max: 64,
            gap_us: 5_000,
            ..Workload::default()
        },
        receiver: ReceiverOptions {
            read_size: 1024,
            start_delay_ms: 0,
            ..ReceiverOptions::default()
        },
        echo: Some(EchoOptions {
            handshake: Some(HandshakeOptions { wrong_key }),
            ..EchoOptions::default()
        }),
        ..base.clone()
    }
}
