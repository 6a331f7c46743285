//! Request/response lessons: the seed's echo server (`echo`), remote-command server
//! (`big-reply`) and HMAC connection check (`hmac-handshake`, `hmac-wrong-key`). Both directions are recorded, and each request's latency.

use crate::config::{Experiment, ReceiverOptions, SenderOptions, Transports, Workload, WriteSplit};
use crate::config::{ClientReads, EchoOptions, HandshakeOptions};
use crate::framing::FramingMode;

use super::Preset;

pub(super) fn presets() -> Vec<Preset> {
    let base = Experiment::default();
    vec![
        Preset {
            name: "echo",
            summary: "The seed's echo server, request by request: the client sends a request (a 4-byte length, then 96 bytes, written as two send() calls: write, write, then read the reply) and the server answers it upper-cased. Both directions are drawn: requests on the main axis, replies on their own axis below. Look at the latency plot: with Nagle on, most requests take about 40 ms, because Nagle holds the body until the header is acknowledged, and the server delays that ACK (Linux delayed ACK, ~40 ms) since it has nothing to send until the body arrives. Turn Nagle off, or send header and body in one send(), and each request takes microseconds.",
            summary_zh: "教程的回显服务器，一问一答：客户端发送请求（先 4 字节长度，再 96 字节数据，分两次 send()：写、写、然后读回复），服务端把它转成大写发回来。两个方向都画出来了：请求在主轴上，回复在下面单独的轴上。请看延迟图：开启 Nagle 时大多数请求要约 40 ms，因为 Nagle 要等报头被确认才发送数据部分，而服务端在收到数据之前没有东西要发，于是推迟了这个 ACK（Linux 延迟确认，约 40 ms）。关闭 Nagle，或者把报头和数据放在一次 send() 里发送，每个请求只要几微秒。",
            experiment: Experiment {
                transports: Transports::Tcp,
                workload: Workload { count: 20, size_min: 96, size_max: 96, ..Workload::default() },
                sender: SenderOptions { split: WriteSplit::HeaderThenBody, ..SenderOptions::default() },
                framing: FramingMode::U32,
                receiver: ReceiverOptions { read_size: 1024, start_delay_ms: 0, ..ReceiverOptions::default() },
                echo: Some(EchoOptions::default()),
                ..base.clone()
            },
        },
        Preset {
            name: "big-reply",
            summary: "The seed's remote-command (\"ssh\") lesson: each command gets 2500 bytes of output back, and the client reads it with one recv(1024) per command, as the seed's client does. Look at the reply axis: the first read takes only the first 1024 bytes of reply 0; the read made for the next command returns the next 1024 bytes of reply 0, not the start of reply 1. The client falls further behind with every command, showing old output under new commands; what is left comes out only after the last command. The fix is the json-header lesson: send the length first and read until you have it all. The seed's server also warns about a client that dies: on Linux and macOS its recv() returns empty (b''), on Windows it fails with ConnectionResetError (WSAECONNRESET, 10054); the app reports whichever the OS said.",
            summary_zh: "教程“模拟 ssh 远程执行命令”一课：每条命令返回 2500 字节的结果，客户端像教程里那样每条命令只 recv(1024) 一次。请看回复轴：第一次读取只拿到回复 0 的前 1024 字节；为下一条命令做的读取拿到的是回复 0 接下来的 1024 字节，而不是回复 1 的开头。每多一条命令，客户端就落后更多，新命令下面显示的是旧的输出；剩下的内容要到最后一条命令之后才读出来。解决办法见 json-header：先发长度，再循环读到收齐为止。教程的服务器还提醒了客户端突然断开的情况：Linux 和 macOS 上 recv() 返回空（b''），Windows 上则抛出 ConnectionResetError（WSAECONNRESET，10054）；本应用如实显示操作系统的报告。",
            experiment: Experiment {
                transports: Transports::Tcp,
                workload: Workload { count: 4, size_min: 8, size_max: 8, gap_us: 20_000, ..Workload::default() },
                receiver: ReceiverOptions { read_size: 1024, start_delay_ms: 0, ..ReceiverOptions::default() },
                echo: Some(EchoOptions { reply_size: Some(2500), client_read_size: 1024, client_reads: ClientReads::OncePerRequest, ..EchoOptions::default() }),
                ..base.clone()
            },
        },
        Preset {
            name: "hmac-handshake",
            summary: "The seed's connection check: before any request, the server sends 32 random bytes (os.urandom(32)) and the client must answer with an HMAC of them under the shared key; here HMAC-SHA256 (the seed's hmac.new(key, msg) had no digest argument, which in Python before 3.8 meant MD5, 16 bytes). Look at the first frames of both axes: the 32-byte challenge on the reply axis and the 32-byte answer on the request axis are stream bytes like any other, checked (✓) before the echo starts. The seed reads the answer with one recv(len(digest)), which can return fewer bytes, the same short-read risk as naive-header; a correct server loops until it has them all. Try hmac-wrong-key to see a client refused.",
            summary_zh: "教程的“认证客户端的链接合法性”：在任何请求之前，服务端先发 32 个随机字节（os.urandom(32)），客户端必须用共享密钥对它计算 HMAC 并发回；这里用 HMAC-SHA256（教程里 hmac.new(key, msg) 没有指定摘要算法，在 Python 3.8 以前默认是 MD5，16 字节）。请看两条轴上的第一帧：回复轴上 32 字节的挑战和请求轴上 32 字节的应答，和其他数据一样都是字节流，校验通过（✓）后才开始回显。教程用一次 recv(len(digest)) 读应答，它可能返回更少的字节，和 naive-header 一样有读不全的风险；正确的服务端要循环读到收齐为止。试试 hmac-wrong-key，看客户端被拒绝。",
            experiment: hmac_experiment(&base, false),
        },
        Preset {
            name: "hmac-wrong-key",
            summary: "The seed's illegal client, which does not know the secret key: it answers the server's 32-byte challenge with an HMAC under another key. The server compares in constant time, finds a mismatch, refuses (red frame and problem line) and closes the connection; the client's first request never gets a reply, and the client sees the connection closed or reset. Nothing about TCP tells a legitimate client from another: the check is the application's own handshake, carried in the same byte stream.",
            summary_zh: "教程里不知道密钥的“非法客户端”：它用另一个密钥对服务端的 32 字节挑战计算 HMAC。服务端做常数时间比较，发现不一致，拒绝（红色的帧和问题提示）并关闭连接；客户端的第一个请求得不到回复，看到的是连接被关闭或重置。TCP 本身分辨不出合法与非法的客户端：校验是应用自己的握手，走的是同一条字节流。",
            experiment: hmac_experiment(&base, true),
        },
        many_clients(),
    ]
}

/// The seed's socketserver lesson (see `engine/many.rs`).
pub(super) fn many_clients() -> Preset {
    Preset {
        name: "many-clients",
        summary: "The seed's socketserver lesson: three clients connect to one server at the same time, and the server (like ThreadingTCPServer) serves each connection in its own thread with recv(1024) and send(data.upper()). Each connection is its own byte stream: connection 0 is the main timeline, connections 1 and 2 have their own lane groups below, each with its own message and read boundaries. Bytes never cross from one connection to another, and 粘包 or 半包 on one stream says nothing about the others: framing is per connection. The requests of the three clients interleave in time, which the latency plot of each connection shows.",
        summary_zh: "教程的 socketserver 并发一课：三个客户端同时连接同一个服务端，服务端（像 ThreadingTCPServer 那样）为每个连接开一个线程，recv(1024) 后 send(data.upper())。每个连接都是独立的字节流：连接 0 是主时间轴，连接 1、2 在下面各有自己的一组栏，各有各的消息边界和读取边界。字节不会从一个连接跑到另一个连接，一条流上的粘包、半包与其他连接无关：拆包是按连接进行的。三个客户端的请求在时间上交错，每个连接的延迟图都能看到。",
        experiment: Experiment {
            transports: Transports::Tcp,
            workload: Workload { count: 6, size_min: 24, size_max: 200, gap_us: 10_000, ..Workload::default() },
            receiver: ReceiverOptions { read_size: 1024, start_delay_ms: 0, ..ReceiverOptions::default() },
            echo: Some(EchoOptions { connections: 3, ..EchoOptions::default() }),
            ..Experiment::default()
        },
    }
}

fn hmac_experiment(base: &Experiment, wrong_key: bool) -> Experiment {
    Experiment {
        transports: Transports::Tcp,
        workload: Workload { count: 5, size_min: 24, size_max: 64, gap_us: 5_000, ..Workload::default() },
        receiver: ReceiverOptions { read_size: 1024, start_delay_ms: 0, ..ReceiverOptions::default() },
        echo: Some(EchoOptions { handshake: Some(HandshakeOptions { wrong_key }), ..EchoOptions::default() }),
        ..base.clone()
    }
}
