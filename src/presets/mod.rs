//! The seed course's lessons as ready-made experiments (design.md §2).
//!
//! Each preset's defaults are chosen from what loopback really does here (design.md §6), so the
//! effect shows on every run, not just on a lucky one.

use crate::config::{Experiment, ReceiverOptions, SenderOptions, Transports, UdpOptions, Workload, WriteSplit};
use crate::framing::FramingMode;

mod echo;

/// One lesson.
#[derive(Clone, Debug)]
pub struct Preset {
    pub name: &'static str,
    /// One paragraph: what the lesson shows and what to look for on the timeline.
    pub summary: &'static str,
    /// The same paragraph in Chinese.
    pub summary_zh: &'static str,
    pub experiment: Experiment,
}

fn small_messages() -> Workload {
    Workload { count: 12, size_min: 24, size_max: 200, ..Workload::default() }
}

/// Every preset, in teaching order.
pub fn all() -> Vec<Preset> {
    let base = Experiment::default();
    let mut all = vec![
        Preset {
            name: "slow-reader",
            summary: "The receiver starts reading 50 ms late, so all 12 messages are already waiting in its kernel buffer. Look at the recv() lane: one recv(512) returns several whole messages at once (orange, 粘包), and a message that straddles the 512-byte limit is cut in two (✂, 半包). Nothing was lost or reordered; the stream simply has no message boundaries, and recv(N) returns whatever is there, up to N. This is the receiver-side sticky packet of the seed course: it happens whenever the reader runs later than the sender, whatever Nagle does.",
            summary_zh: "接收方晚 50 ms 才开始读，12 条消息已经全部躺在内核缓冲区里。看 recv() 一栏：一次 recv(512) 读到好几条完整的消息（橙色，粘包），跨过 512 字节边界的消息被切成两半（✂，半包）。数据没有丢也没有乱序，只是字节流本身没有消息边界，recv(N) 有多少就返回多少（最多 N 字节）。这就是教程里“接收方不及时接收缓冲区的包”造成的粘包：只要读的一方比写的一方慢，不管 Nagle 开不开都会发生。",
            experiment: Experiment {
                transports: Transports::Both,
                workload: small_messages(),
                receiver: ReceiverOptions { read_size: 512, start_delay_ms: 50, ..ReceiverOptions::default() },
                ..base.clone()
            },
        },
        Preset {
            name: "nagle-burst",
            summary: "200 back-to-back 10-byte send() calls. Look at the wire lane, not the reads: with Nagle on, the kernel holds small writes while earlier data is unacknowledged and sends about 18 segments here (17 small ones, then one big one of the rest). Turn Nagle off (TCP_NODELAY) and the same writes leave as 35 to 200 segments. But turning Nagle off does NOT preserve message boundaries: whether recv() merges messages depends on when the reader thread runs, so reads can be merged with Nagle off and separate with it on. Only framing restores boundaries.",
            summary_zh: "连续 200 次 10 字节的 send()。请看 wire（报文段）一栏，而不是读取：开启 Nagle 时，只要前面的数据还没被确认，内核就攒着小数据不发，这里大约只发出 18 个报文段（17 个小的，最后一个大的装下其余数据）。关闭 Nagle（TCP_NODELAY）后同样的写入变成 35 到 200 个报文段。但关闭 Nagle 并不能保留消息边界：recv() 是否粘包取决于接收线程什么时候运行，关了 Nagle 也可能粘，开着也可能不粘。只有自定义报头（拆包协议）才能恢复边界。",
            experiment: Experiment {
                transports: Transports::Tcp,
                workload: Workload { count: 200, size_min: 10, size_max: 10, ..Workload::default() },
                receiver: ReceiverOptions { start_delay_ms: 0, ..ReceiverOptions::default() },
                ..base.clone()
            },
        },
        Preset {
            name: "json-header",
            summary: "The seed's fix: before each message the sender writes a 4-byte struct.pack('i') length, then a JSON header {\"total_lenth\": N, \"md5\": …}, then the N-byte body. The reads still merge and split exactly as in slow-reader (look at the recv() lane), but the frames lane shows every message rebuilt whole and equal to what was sent (green ✓). The receiver must loop until it has the 4 bytes, the header and the body; one recv() per part is not enough (see naive-header).",
            summary_zh: "教程的解决办法：每条消息前先发 4 字节的 struct.pack('i') 报头长度，再发 JSON 报头 {\"total_lenth\": N, \"md5\": …}，最后发 N 字节数据。读取依然像 slow-reader 那样粘包、半包（看 recv() 一栏），但 frames 一栏里每条消息都被完整地拼回来，并且与发送的内容一致（绿色 ✓）。接收方必须循环读取，直到收齐 4 字节、报头和数据；每部分只 recv() 一次是不够的（见 naive-header）。",
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
            summary: "The fix done wrong, as the seed's client does it: one recv(4) for the length, then one recv(len) for the body, trusting each call to return everything asked. Here each 2500-byte message is written in 1000-byte pieces 20 ms apart, so recv(len) returns only the first piece. The decoder takes the next body bytes as the next length header and goes out of step (red decode error). recv(n) returns at most n bytes, never exactly n: a correct receiver loops until it has them all.",
            summary_zh: "错误的拆包，和教程客户端的写法一样：先 recv(4) 取长度，再 recv(len) 取数据，以为每次调用都能收全。这里每条 2500 字节的消息分成 1000 字节、间隔 20 ms 写出，recv(len) 只拿到第一块；解码器把后面的数据当成下一个长度报头，从此错位（红色的解码错误）。recv(n) 最多返回 n 字节，并不保证正好 n 字节：正确的接收方要循环读到收齐为止。",
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
            name: "udp-echo",
            summary: "The seed's UDP echo and chat programs: the same 12 messages sent as datagrams, one sendto() each, and read with recvfrom(1024). In the UDP panel every datagram arrives whole and alone: one sendto() is exactly one recvfrom(), so UDP never sticks packets together (no 粘包). Compare the TCP lanes of the same run, where a late reader merges the messages. The price of UDP is elsewhere: see udp-truncate and udp-flood.",
            summary_zh: "对应教程的 UDP 回显和 QQ 聊天程序：同样的 12 条消息用数据报发送，每条一次 sendto()，用 recvfrom(1024) 接收。在 UDP 面板里每个数据报都完整、单独到达：一次 sendto() 正好对应一次 recvfrom()，所以 UDP 永远不会粘包。对比同一次运行里的 TCP 各栏，晚读的接收方把消息粘在了一起。UDP 的代价在别处：见 udp-truncate 和 udp-flood。",
            experiment: Experiment {
                transports: Transports::Both,
                workload: small_messages(),
                receiver: ReceiverOptions { read_size: 1024, start_delay_ms: 50, ..ReceiverOptions::default() },
                udp: UdpOptions { read_size: 1024, start_delay_ms: 0, ..UdpOptions::default() },
                ..base.clone()
            },
        },
        Preset {
            name: "firehose",
            summary: "Bulk transfer: 1 GiB written as 16,384 sends of 64 KiB and read with recv(65536). At this scale message boundaries mean nothing; watch the throughput (MB/s in the stats strip) and how the timeline stays fluid by drawing one column per pixel. With segment capture on, the wire lane shows the kernel's large loopback segments.",
            summary_zh: "大批量传输：以 16384 次 64 KiB 的 send() 写入共 1 GiB，用 recv(65536) 读取。在这种规模下消息边界毫无意义；请看统计栏里的吞吐量（MB/s），以及时间线如何按像素列绘制而保持流畅。开启抓包时，wire 一栏显示内核在回环上切出的大报文段。",
            experiment: Experiment {
                transports: Transports::Tcp,
                workload: Workload { count: 16_384, size_min: 65_536, size_max: 65_536, ..Workload::default() },
                receiver: ReceiverOptions { read_size: 65_536, start_delay_ms: 0, ..ReceiverOptions::default() },
                ..base.clone()
            },
        },
        Preset {
            name: "udp-truncate",
            summary: "The same messages as UDP datagrams read with recvfrom(100). Boundaries are kept (no 粘包), but a datagram bigger than the 100-byte buffer is cut: the first 100 bytes are returned, the tail is discarded and no later read returns it. Linux and macOS do it without an error; Windows fails that recvfrom() with WSAEMSGSIZE (10040, Python's OSError: [WinError 10040]) after filling the buffer: the same program behaves differently per OS, and the tail is lost on all three. The UDP panel shows each datagram's real length (MSG_TRUNC on Linux, a peek elsewhere) next to what was read. This is the seed's warning: recvfrom(x) for a sendto(y) with y > x loses data.",
            summary_zh: "同样的消息用 UDP 数据报发送，用 recvfrom(100) 接收。边界保留（不会粘包），但超过 100 字节缓冲区的数据报被截断：只返回前 100 字节，尾部被丢弃，之后的读取也拿不到。Linux 和 macOS 不报错；Windows 的 recvfrom() 在填满缓冲区后以 WSAEMSGSIZE（10040，Python 的 OSError: [WinError 10040]）失败：同一个程序在不同系统上表现不同，而尾部在三者上都丢了。UDP 面板在读到的长度旁边显示每个数据报的真实长度（Linux 用 MSG_TRUNC，其他系统先 peek）。这就是教程说的：recvfrom(x) 对应的 sendto(y) 若 y > x，数据就丢了。",
            experiment: Experiment {
                transports: Transports::Udp,
                workload: small_messages(),
                udp: UdpOptions { read_size: 100, start_delay_ms: 0, ..UdpOptions::default() },
                ..base.clone()
            },
        },
        Preset {
            name: "udp-flood",
            summary: "2000 datagrams of 64 bytes sent as fast as possible into a receive buffer of 4096 bytes (the kernel doubles it to 8192, and each datagram costs far more than its 64 bytes of it), read by a receiver that starts 50 ms late. When the buffer is full the kernel silently drops whole datagrams: the UDP panel marks them dropped and the summary counts them exactly, by the sequence numbers the messages carry. TCP never does this: a full buffer makes the sender wait instead.",
            summary_zh: "2000 个 64 字节的数据报全速发往只有 4096 字节的接收缓冲区（内核翻倍成 8192，而每个数据报占用的远不止 64 字节），接收方还晚 50 ms 才开始读。缓冲区满了，内核就悄悄丢掉整个数据报：UDP 面板把它们标为丢失，摘要按消息里带的序号精确计数。TCP 不会这样：缓冲区满时发送方会等待。",
            experiment: Experiment {
                transports: Transports::Udp,
                workload: Workload { count: 2000, size_min: 64, size_max: 64, ..Workload::default() },
                udp: UdpOptions { read_size: 1024, rcvbuf: Some(4096), start_delay_ms: 50 },
                ..base.clone()
            },
        },
        Preset {
            name: "udp-empty",
            summary: "Five empty messages, sent over UDP and over TCP. Each empty sendto() is a real datagram: the UDP receiver gets five reads of 0 bytes, as the seed's time server relies on (an empty message asks for the default format). Over TCP an empty send() puts nothing on the stream: the TCP lanes stay empty, and a recv() that returns 0 bytes means only one thing, that the peer closed. That is why the seed's TCP programs skip empty input ('if not msg: continue').",
            summary_zh: "5 条空消息，分别用 UDP 和 TCP 发送。每次空的 sendto() 都是一个真实的数据报：UDP 接收方得到 5 次 0 字节的读取，教程里的时间服务器正是靠它（空消息表示用默认格式）。而 TCP 的空 send() 不会往流里放任何东西：TCP 各栏是空的，recv() 返回 0 字节只有一个意思——对方关闭了连接。所以教程的 TCP 程序要跳过空输入（if not msg: continue）。",
            experiment: Experiment {
                transports: Transports::Both,
                workload: Workload { count: 5, size_min: 0, size_max: 0, gap_us: 1_000, ..Workload::default() },
                receiver: ReceiverOptions { start_delay_ms: 0, ..ReceiverOptions::default() },
                udp: UdpOptions { read_size: 1024, start_delay_ms: 0, ..UdpOptions::default() },
                ..base.clone()
            },
        },
    ];
    all.extend(echo::presets());
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
