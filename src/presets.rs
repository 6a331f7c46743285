//! The seed course's lessons as ready-made experiments (design.md §2).
//!
//! Each preset's defaults are chosen from what loopback really does here (design.md §6), so the
//! effect shows on every run, not just on a lucky one.

use crate::config::{Experiment, ReceiverOptions, SenderOptions, Transports, UdpOptions, Workload, WriteSplit};
use crate::framing::FramingMode;

/// One lesson.
#[derive(Clone, Debug)]
pub struct Preset {
    pub name: &'static str,
    /// One line: what to look for.
    pub summary: &'static str,
    /// The same in Chinese.
    pub summary_zh: &'static str,
    pub experiment: Experiment,
}

fn small_messages() -> Workload {
    Workload { count: 12, size_min: 24, size_max: 200, ..Workload::default() }
}

/// Every preset, in teaching order.
pub fn all() -> Vec<Preset> {
    let base = Experiment::default();
    vec![
        Preset {
            name: "slow-reader",
            summary: "a reader that starts 50 ms late finds all 12 messages waiting: one recv() returns several (粘包), and a message is cut between reads (半包)",
            summary_zh: "接收方晚 50 ms 才开始读：12 条消息都在缓冲区里，一次 recv() 读到好几条（粘包），一条消息被两次读取切开（半包）",
            experiment: Experiment {
                transports: Transports::Both,
                workload: small_messages(),
                receiver: ReceiverOptions { read_size: 512, start_delay_ms: 50, ..ReceiverOptions::default() },
                ..base.clone()
            },
        },
        Preset {
            name: "nagle-burst",
            summary: "200 back-to-back 10-byte writes: with Nagle on, the kernel sends ~18 segments (see the wire lane); turn Nagle off and it sends many more, but reads still merge or not depending on when the reader runs",
            summary_zh: "连续 200 次 10 字节的 send()：开启 Nagle 算法时内核只发出约 18 个报文段（看 wire 一栏）；关掉 Nagle 报文段变多，但读取是否粘包取决于接收方何时运行",
            experiment: Experiment {
                transports: Transports::Tcp,
                workload: Workload { count: 200, size_min: 10, size_max: 10, ..Workload::default() },
                receiver: ReceiverOptions { start_delay_ms: 0, ..ReceiverOptions::default() },
                ..base.clone()
            },
        },
        Preset {
            name: "big-reply",
            summary: "replies of 2500 bytes read with recv(1024): each reply arrives in three pieces (半包), like the seed's remote-command output",
            summary_zh: "2500 字节的回复用 recv(1024) 读取：每条回复分三次才读完（半包），就像教程里远程执行命令的输出",
            experiment: Experiment {
                transports: Transports::Tcp,
                workload: Workload { count: 3, size_min: 2500, size_max: 2500, gap_us: 20_000, ..Workload::default() },
                receiver: ReceiverOptions { read_size: 1024, start_delay_ms: 0, ..ReceiverOptions::default() },
                ..base.clone()
            },
        },
        Preset {
            name: "json-header",
            summary: "the seed's fix: a 4-byte header length, a JSON header with total_lenth, then the body; reads still merge, but every frame comes out equal to its message",
            summary_zh: "教程的解决办法：4 字节报头长度 + JSON 报头（total_lenth）+ 数据；读取依然粘包，但每一帧都与发送的消息完全一致",
            experiment: Experiment {
                transports: Transports::Tcp,
                workload: small_messages(),
                framing: FramingMode::SeedJson,
                receiver: ReceiverOptions { read_size: 512, start_delay_ms: 50, ..ReceiverOptions::default() },
                ..base.clone()
            },
        },
        Preset {
            name: "naive-header",
            summary: "the fix done wrong: recv(4) then recv(len), trusting each to return everything; the body arrives in 1000-byte pieces 20 ms apart, recv(len) returns short and the decoder reads body bytes as the next header",
            summary_zh: "错误的拆包：先 recv(4) 再 recv(len)，以为每次都能收全；数据每 20 ms 到 1000 字节，recv(len) 没收全，解码器把数据当成下一个报头",
            experiment: Experiment {
                transports: Transports::Tcp,
                workload: Workload { count: 3, size_min: 2500, size_max: 2500, gap_us: 20_000, chunk_gap_us: 20_000, ..Workload::default() },
                sender: SenderOptions { split: WriteSplit::Chunks { bytes: 1000 }, ..SenderOptions::default() },
                framing: FramingMode::NaiveU32,
                receiver: ReceiverOptions { read_size: 65_536, start_delay_ms: 0, ..ReceiverOptions::default() },
                ..base.clone()
            },
        },
        Preset {
            name: "firehose",
            summary: "bulk transfer: 1 GiB in 64 KiB writes read with recv(65536); watch the throughput and the history cap at work — boundaries mean nothing at this scale",
            summary_zh: "大批量传输：以 64 KiB 写入共 1 GiB，recv(65536) 读取；观察吞吐量和历史上限——在这种规模下消息边界毫无意义",
            experiment: Experiment {
                transports: Transports::Tcp,
                workload: Workload { count: 16_384, size_min: 65_536, size_max: 65_536, ..Workload::default() },
                receiver: ReceiverOptions { read_size: 65_536, start_delay_ms: 0, ..ReceiverOptions::default() },
                ..base.clone()
            },
        },
        Preset {
            name: "udp-truncate",
            summary: "the same messages as UDP datagrams read with recvfrom(100): boundaries are kept (no 粘包), but a datagram bigger than 100 bytes loses its tail",
            summary_zh: "同样的消息用 UDP 发送，recvfrom(100) 接收：边界保留（不会粘包），但超过 100 字节的数据报尾部被丢弃",
            experiment: Experiment {
                transports: Transports::Udp,
                workload: small_messages(),
                udp: UdpOptions { read_size: 100, start_delay_ms: 0, ..UdpOptions::default() },
                ..base
            },
        },
    ]
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
