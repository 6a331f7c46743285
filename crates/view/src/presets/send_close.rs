//! The course's last two lessons (issue 32): `send()` vs `sendall()`, and "Address already in
//! use" after a server restarts.

use crate::config::{Experiment, ReceiverOptions, Restart, SendCall, SenderOptions, Transports, Workload};
use crate::framing::FramingMode;
use crate::i18n::S;

use super::claims::{Claim::Forced, Claim::Given, Outcome};
use super::Preset;

pub(super) fn presets() -> Vec<Preset> {
    let base = Experiment::default();
    vec![
        // Every send() is short, whatever the timing: a 60,004-byte frame meets 8 KiB send and
        // receive buffers (4096 asked, doubled) and a reader that takes 1024 bytes every 2 ms
        // (at most ~0.5 MB/s), so within the sender's 20 ms send timeout (SO_SNDTIMEO) only
        // at most a third of it fits (10,240–20,480 bytes taken per send; 40 of 40 sends short
        // in 10 runs here; the whole message would need about 100 ms of reading). 150 ms between
        // messages lets the reader empty the buffers, so each send() takes some bytes rather
        // than time out with none.
        Preset {
            name: "send-vs-sendall",
            summary: S::LessonSendVsSendall,
            look: S::LookSendVsSendall,
            claims: &[
                Given("20"),
                Given("8"),
                Given("60,004"),
                Forced {
                    number: "",
                    outcome: Outcome::ShortWrites,
                },
                Forced {
                    number: "",
                    outcome: Outcome::FramesGoWrong,
                },
            ],
            experiment: Experiment {
                transports: Transports::Tcp,
                workload: Workload {
                    count: 4,
                    size_min: 60_000,
                    size_max: 60_000,
                    gap_us: 150_000,
                    ..Workload::default()
                },
                sender: SenderOptions {
                    sndbuf: Some(4096),
                    send_call: SendCall::Send,
                    ..SenderOptions::default()
                },
                receiver: ReceiverOptions {
                    read_size: 1024,
                    rcvbuf: Some(4096),
                    start_delay_ms: 0,
                    read_delay_ms: 2,
                },
                framing: FramingMode::U32,
                ..base.clone()
            },
        },
        // Nothing here depends on timing: the server closes first, so its end is in TIME_WAIT
        // (about 60 s) when the second server binds, every run.
        Preset {
            name: "address-in-use",
            summary: S::LessonAddressInUse,
            look: S::LookAddressInUse,
            claims: &[
                Given("60"),
                Given("0"),
                Forced {
                    number: "",
                    outcome: Outcome::SecondBindFails,
                },
            ],
            experiment: Experiment {
                transports: Transports::Tcp,
                workload: Workload {
                    count: 1,
                    size_min: 24,
                    size_max: 24,
                    ..Workload::default()
                },
                receiver: ReceiverOptions {
                    read_size: 1024,
                    start_delay_ms: 0,
                    ..ReceiverOptions::default()
                },
                restart: Some(Restart { reuse_addr: false }),
                ..base
            },
        },
    ]
}
