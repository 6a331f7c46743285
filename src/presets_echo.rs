//! Request/response lessons: the seed's remote-command server (`big-reply`).

use crate::config::{Experiment, ReceiverOptions, Transports, Workload};

use super::Preset;

pub(super) fn presets() -> Vec<Preset> {
    let base = Experiment::default();
    vec![Preset {
        name: "big-reply",
        summary: "The seed's remote-command (\"ssh\") lesson: command output of 2500 bytes read with recv(1024). Each reply arrives in three reads (1024 + 1024 + 452, 半包). The seed's client reads once per command, so the 1476 bytes it did not read stay in the buffer and come out as the start of the next command's answer: the output of one command shows up under the next one.",
        summary_zh: "教程“模拟 ssh 远程执行命令”一课：2500 字节的命令结果用 recv(1024) 读取，每条回复要读三次（1024 + 1024 + 452，半包）。教程的客户端每条命令只读一次，没读的 1476 字节留在缓冲区里，变成下一条命令结果的开头：上一条命令的输出出现在下一条命令下面。",
        experiment: Experiment {
            transports: Transports::Tcp,
            workload: Workload { count: 3, size_min: 2500, size_max: 2500, gap_us: 20_000, ..Workload::default() },
            receiver: ReceiverOptions { read_size: 1024, start_delay_ms: 0, ..ReceiverOptions::default() },
            ..base
        },
    }]
}
