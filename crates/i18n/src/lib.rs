//! Every user-visible string, in English and 简体中文: the window, the CLI's human output, the
//! lesson explanations and the errors.
//!
//! Each key is one line holding both languages, so a missing translation does not compile.
//! Templates name their values, `{port}`, `{count}`, filled by name by [`fill`]: a translation
//! may put them in any order, and a test checks that both languages of a key name the same ones.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// `en` or `zh` (also `zh-CN`, `zh_TW.UTF-8`, …).
    pub fn from_name(name: &str) -> Option<Lang> {
        let n = name.trim().to_ascii_lowercase();
        if n.starts_with("zh") {
            Some(Lang::Zh)
        } else if n.starts_with("en") || n == "c" || n == "posix" {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// From the system locale (`LC_ALL`, `LC_MESSAGES`, `LANG`); English when unset or unknown.
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .and_then(|v| Lang::from_name(&v))
            .unwrap_or_default()
    }

    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

/// Declares the keys and both languages of each in one table.
macro_rules! strings {
    ($($key:ident => ($en:expr, $zh:expr),)*) => {
        /// A key for one user-visible string.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum S { $($key,)* }

        impl S {
            /// Every key, for tests that check the table.
            pub const ALL: &'static [S] = &[$(S::$key,)*];
        }

        /// The string for `key` in `lang`.
        pub fn t(lang: Lang, key: S) -> &'static str {
            match key {
                $(S::$key => match lang { Lang::En => $en, Lang::Zh => $zh },)*
            }
        }
    };
}

strings! {
    Preset => ("Preset", "预设"),
    PresetCustom => ("custom", "自定义"),
    Run => ("▶ Run (Space)", "▶ 运行 (空格)"),
    Stop => ("■ Stop (Space)", "■ 停止 (空格)"),
    Rerun => ("⟳ Re-run", "⟳ 重新运行"),
    AutoRerun => ("re-run on change", "修改后自动运行"),
    AutoRerunTip => ("Every change of a setting starts a new run at once, so cause and effect are one click apart.", "每次修改设置都会立即重新运行，因果一目了然。"),
    ViewBytes => ("Bytes", "字节"),
    ViewTime => ("Time", "时间"),
    Running => ("running…", "运行中…"),
    FinishedIn => ("finished in {ms} ms", "用时 {ms} ms"),
    Stopped => ("stopped", "已停止"),
    Replay => ("recording (replay, not live)", "录制回放（非实时）"),
    Sender => ("Sender (send)", "发送方 (send)"),
    Receiver => ("Receiver (recv)", "接收方 (recv)"),
    Framing => ("Framing", "拆包协议"),
    UdpPanel => ("UDP panel", "UDP 面板"),
    Nagle => ("Nagle", "Nagle 算法"),
    NagleTip => ("Nagle's algorithm (on by default) holds small writes while earlier data is unacknowledged and sends them together: fewer, bigger TCP segments. Off = TCP_NODELAY: each write may leave at once. Watch the wire lane. Either way TCP keeps no message boundaries.", "Nagle 算法（默认开启）：前面的数据未被确认时，暂存小的写入，合并成一个大报文段发送。关闭 = TCP_NODELAY。请看 wire 一栏。无论开关，TCP 都不保留消息边界。"),
    On => ("on", "开"),
    Off => ("off", "关"),
    Cork => ("TCP_CORK", "TCP_CORK"),
    CorkTip => ("TCP_CORK (Linux) holds every write until the sender uncorks after its last write: all messages leave as full segments.", "TCP_CORK（Linux）：在最后一次写入后才放行，所有消息合成满载的报文段发送。"),
    Messages => ("messages", "消息数"),
    MessagesTip => ("How many messages the sender writes, one send() each (unless split below).", "发送方写入的消息条数，每条一次 send()。"),
    Size => ("size (B)", "大小 (B)"),
    SizeTip => ("Payload size in bytes: a number, or a range like 24-200 (sizes drawn from it, the same every run).", "消息长度（字节）：一个数字，或范围如 24-200。"),
    Gap => ("gap (µs)", "间隔 (µs)"),
    GapTip => ("Pause between two messages. 0 = back to back, the best case for merging.", "两条消息之间的停顿。0 = 连续发送，最容易粘包。"),
    SndBuf => ("SO_SNDBUF", "SO_SNDBUF"),
    SndBufTip => ("The kernel's send buffer: send() copies into it and returns. Empty = kernel default (which grows by itself). The kernel doubles what you ask for.", "内核发送缓冲区：send() 把数据拷进去就返回。留空 = 内核默认值。内核会把设置值翻倍。"),
    Split => ("send() per message", "每条消息的 send()"),
    SplitTip => ("How each message is handed to the kernel: one send(), header and body as two send()s (meets Nagle + delayed ACK), or chunks of N bytes.", "每条消息如何交给内核：一次 send()，报头和数据分两次 send()，或按 N 字节分块。"),
    SplitWhole => ("one send()", "一次 send()"),
    SplitHeaderBody => ("header, then body", "先报头后数据"),
    SplitChunks => ("chunks of N bytes", "按 N 字节分块"),
    ReadSize => ("read size", "读取大小"),
    ReadSizeTip => ("The N of recv(N): the most one read may return. It returns whatever is in the receive buffer, up to N, regardless of message boundaries.", "recv(N) 的 N：一次最多读多少字节。它返回缓冲区里现有的数据（最多 N），不管消息边界。"),
    RcvBuf => ("SO_RCVBUF", "SO_RCVBUF"),
    RcvBufTip => ("The kernel's receive buffer, where bytes wait until the application reads them. Empty = default. The kernel doubles what you ask for.", "内核接收缓冲区：数据在这里等待应用程序读取。留空 = 默认值。内核会翻倍。"),
    StartDelay => ("start delay (ms)", "开始延迟 (ms)"),
    StartDelayTip => ("The reader sleeps this long before its first recv(). Everything sent meanwhile piles up in the receive buffer and comes out merged (粘包).", "接收方第一次 recv() 前先睡眠这么久。期间发送的数据都堆在接收缓冲区，读出来就粘在一起（粘包）。"),
    ReadDelay => ("per-read delay (ms)", "每次读后延迟 (ms)"),
    ReadDelayTip => ("The reader sleeps this long after every recv(): a slow consumer.", "每次 recv() 之后睡眠这么久：一个慢速消费者。"),
    Mode => ("mode", "方式"),
    ModeTip => ("How messages are marked on the stream. none: raw bytes. u32: 4-byte big-endian length + payload. seed-json: the course's 4-byte header length + JSON header (total_lenth) + body. newline: each message ends with \\n. naive-u32: u32 bytes read with recv(4) then recv(len), trusting each read to be complete — the seed's bug.", "如何在字节流上标记消息。none：原始字节。u32：4 字节大端长度 + 数据。seed-json：教程的 4 字节报头长度 + JSON 报头（total_lenth）+ 数据。newline：每条消息以 \\n 结尾。naive-u32：先 recv(4) 再 recv(len)，以为每次都收全——教程里的错误。"),
    MaxFrame => ("max frame (B)", "最大帧 (B)"),
    MaxFrameTip => ("A header announcing more than this is refused before anything is allocated.", "报头声明的长度超过此值即报错，不会分配内存。"),
    UdpOn => ("run the messages over UDP too", "同时用 UDP 发送"),
    UdpOnTip => ("Send the same messages as UDP datagrams and show them beside the TCP stream.", "把同样的消息作为 UDP 数据报发送，与 TCP 对照显示。"),
    UdpReadSize => ("recvfrom size", "recvfrom 大小"),
    UdpReadSizeTip => ("The buffer of recvfrom(N). A datagram bigger than N is truncated: its tail is lost, silently (MSG_TRUNC tells the real size).", "recvfrom(N) 的缓冲区。比 N 大的数据报会被截断：尾部丢失（MSG_TRUNC 可得知真实长度）。"),
    UdpRcvBuf => ("UDP SO_RCVBUF", "UDP SO_RCVBUF"),
    UdpRcvBufTip => ("When the UDP receive buffer is full, the kernel drops whole datagrams.", "UDP 接收缓冲区满时，内核整个丢弃数据报。"),
    UdpStartDelay => ("UDP start delay (ms)", "UDP 开始延迟 (ms)"),
    Kernel => ("kernel: {bytes}", "内核: {bytes}"),
    KernelAsked => ("asked {asked}, kernel set {bytes}", "设置 {asked}，内核实际 {bytes}"),
    Default => ("default", "默认"),
    LaneAxis => ("Byte stream (x = offset in the TCP stream; dashed guides = message boundaries)", "字节流（横轴 = TCP 流中的偏移；虚线 = 消息边界）"),
    LaneWrites => ("send() — one block per write, coloured per message", "send() — 每次写入一块，按消息着色"),
    LaneWire => ("wire — TCP segments as the kernel cut the stream", "wire — 内核切分出的 TCP 报文段"),
    LaneWireGap => ("wire — TCP segments: {gap}", "wire — TCP 报文段：{gap}"),
    LaneWireUnavailable => ("wire — segment capture unavailable: {why}", "wire — 无法抓取报文段：{why}"),
    LaneReads => ("recv() — where the receiver's reads cut the stream", "recv() — 接收方每次读取切在哪里"),
    LaneFrames => ("frames — messages the decoder found again", "frames — 解码器还原出的消息"),
    FramingOffHint => ("framing off: nothing to decode — pick a framing mode to get message boundaries back", "未使用拆包协议：无从解码——选择一种方式即可找回消息边界"),
    NoRunYet => ("Press Run (or Space) to start the sender and receiver on 127.0.0.1.", "按“运行”（或空格）在 127.0.0.1 上启动发送方和接收方。"),
    ReadLabel => ("read #{read}: {bytes} B", "读取 #{read}: {bytes} B"),
    MergedLabel => ("粘包 merged: {messages}", "粘包: {messages}"),
    SplitMark => ("✂ {msg} split (半包)", "✂ {msg} 被切开 (半包)"),
    SegmentLabel => ("segment {bytes} B", "报文段 {bytes} B"),
    TimeTitle => ("Time view — cumulative bytes written vs read", "时间视图 — 累计写入与读取字节"),
    Written => ("written", "已写入"),
    ReadBytes => ("read", "已读取"),
    Segments => ("segments", "报文段"),
    Inspector => ("Inspector", "检查器"),
    InspectorEmpty => ("Click a block in the timeline to see its details and bytes.", "点击时间线上的方块查看详情和字节。"),
    InspectRead => ("read #{read} (offset {offset}, {bytes} B)", "读取 #{read}（偏移 {offset}，{bytes} B）"),
    InspectWrite => ("send() #{write} of {msg} (offset {offset}, {bytes} B)", "send() #{write}，属于 {msg}（偏移 {offset}，{bytes} B）"),
    InspectSegment => ("segment #{segment} (offset {offset}, {bytes} B)", "报文段 #{segment}（偏移 {offset}，{bytes} B）"),
    InspectFrame => ("frame #{frame} (offset {offset}, {bytes} B on the stream, {payload_bytes} B payload)", "帧 #{frame}（偏移 {offset}，流上 {bytes} B，数据 {payload_bytes} B）"),
    Text => ("text", "文本"),
    Hex => ("hex", "十六进制"),
    Tail => ("{msg} tail ({bytes} of {total} B)", "{msg} 尾部（{bytes}/{total} B）"),
    Head => ("{msg} head ({bytes} of {total} B)", "{msg} 开头（{bytes}/{total} B）"),
    Whole => ("{msg} ({bytes} B)", "{msg}（{bytes} B）"),
    LessonMerged => ("One recv() returned parts of {messages} messages: TCP is a byte stream; it keeps no message boundaries.", "一次 recv() 读到了 {messages} 条消息的片段：TCP 是字节流，不保留消息边界。"),
    LessonPartial => ("This recv() returned only part of a message: the rest comes with the next read (半包).", "这次 recv() 只读到一条消息的一部分：剩下的在下一次读取里（半包）。"),
    LessonExact => ("This read happens to match one message exactly: luck of timing, not a guarantee.", "这次读取恰好是一条完整消息：只是时机巧合，不是保证。"),
    LessonWrite => ("One send() copies bytes into the kernel's send buffer; the kernel decides how they leave.", "一次 send() 只是把字节拷进内核发送缓冲区，何时、如何发出由内核决定。"),
    LessonSegment => ("The kernel cut this segment; its edges need not match any send() or recv().", "这个报文段由内核切分，它的边界不必与任何 send() 或 recv() 对齐。"),
    LessonFrameOk => ("The decoder found this message again, byte for byte: framing restores boundaries.", "解码器逐字节还原了这条消息：拆包协议恢复了边界。"),
    LessonFrameBad => ("This frame does not equal the message that was sent: the decoder is out of step with the stream.", "这一帧与发送的消息不一致：解码器与字节流错位了。"),
    UdpTitle => ("UDP — same {count} messages as datagrams", "UDP — 同样 {count} 条消息作为数据报"),
    UdpSubtitle => ("recvfrom({read_size}): boundaries kept, bytes lost", "recvfrom({read_size})：保留边界，但会丢字节"),
    UdpSent => ("sent", "发送"),
    UdpReceived => ("received", "接收"),
    UdpLost => ("✂ {lost} B lost", "✂ 丢失 {lost} B"),
    UdpDropped => ("✗ dropped (buffer full)", "✗ 被丢弃（缓冲区满）"),
    UdpInFlight => ("…", "…"),
    UdpSummary => ("{truncated} truncated (MSG_TRUNC) • {dropped} dropped • 0 merged", "{truncated} 个被截断 (MSG_TRUNC) • {dropped} 个丢弃 • 0 粘包"),
    UdpOsError => ("{count} reads failed with {error}: Windows reports a truncated datagram as an error", "{count} 次读取以 {error} 失败：Windows 把截断的数据报报告为错误"),
    UdpExplain => ("UDP never merges: one recvfrom() = one datagram. But a datagram bigger than the buffer loses its tail, and a full buffer drops whole datagrams.", "UDP 从不粘包：一次 recvfrom() = 一个数据报。但比缓冲区大的数据报会丢掉尾部，缓冲区满时整个数据报被丢弃。"),
    StatMessages => ("messages", "消息"),
    StatWrites => ("writes", "写入"),
    StatWritesShort => ("writes ({short} short)", "写入（{short} 次短写入）"),
    StatSegments => ("segments", "报文段"),
    StatReads => ("reads", "读取"),
    StatMerged => ("merged reads 粘包", "粘包读取"),
    StatSplit => ("split messages 半包", "半包消息"),
    StatFrames => ("frames", "帧"),
    StatErrors => ("decoder errors", "解码错误"),
    StatTruncated => ("UDP truncated", "UDP 截断"),
    StatDropped => ("UDP dropped", "UDP 丢弃"),
    StatRcvBuf => ("SO_RCVBUF (kernel)", "SO_RCVBUF（内核）"),
    HistoryCapped => ("{events} events dropped from history (counts stay exact)", "历史中丢弃了 {events} 个事件（统计仍然准确）"),
    Legend => ("Legend: coloured block = one send() • grey = one TCP segment • outlined = one recv() (orange fill = merged 粘包) • ✂ = a message cut between reads (半包) • green = decoded frame • dashed guide = message boundary. Ctrl + wheel zooms, drag pans, double-click fits.", "图例：彩色块 = 一次 send() • 灰色 = 一个 TCP 报文段 • 描边 = 一次 recv()（橙色填充 = 粘包）• ✂ = 消息被两次读取切开（半包）• 绿色 = 解码出的帧 • 虚线 = 消息边界。Ctrl + 滚轮缩放，拖动平移，双击复位。"),
    StartFailed => ("The run could not start: {error}", "无法开始运行：{error}"),
    Problem => ("⚠ {side}: {what}", "⚠ {side}：{what}"),
    PeerClosedEarly => ("the other end closed the connection before the run was done ({why})", "对方在运行结束前关闭了连接（{why}）"),
    SideTcpSender => ("TCP sender", "TCP 发送方"),
    SideTcpReceiver => ("TCP receiver", "TCP 接收方"),
    SideUdpSender => ("UDP sender", "UDP 发送方"),
    SideUdpReceiver => ("UDP receiver", "UDP 接收方"),
    SideCapture => ("segment capture", "报文段抓取"),
    ChunkBytes => ("N (B)", "N (B)"),
    AxisMs => ("ms", "毫秒"),
    AxisBytes => ("bytes", "字节"),
    LangEn => ("EN", "EN"),
    LangZh => ("中文", "中文"),
    BufferHint => ("default", "默认"),
    InspectTcpInfo => ("+{at_us} µs • TCP_INFO after it: {segs_out} data segments sent so far, {notsent} B not yet sent", "+{at_us} µs • 之后的 TCP_INFO：已发送 {segs_out} 个数据报文段，{notsent} B 尚未发送"),
    MergedShort => ("粘包 ×{messages}", "粘包 ×{messages}"),
    ErrTooLong => ("length {len} too long", "长度 {len} 超限"),
    ErrNegative => ("negative length {len}", "负数长度 {len}"),
    ErrBadJson => ("bad JSON header", "JSON 报头错误"),
    ErrTruncated => ("stream ended: {have} of {need} B", "流已结束：{have}/{need} B"),
    ErrShortRead => ("short {part} read: {got} of {asked} B", "{part} 读取不足：{got}/{asked} B"),
    DecodeErrorAt => ("decoder error: {error}", "解码错误：{error}"),
    Dark => ("Dark", "深色"),
    Light => ("Light", "浅色"),
    Language => ("Language", "语言"),
    FitHint => ("double-click to fit", "双击复位"),
    CjkMissing => ("No Chinese font found: install one (e.g. apt install fonts-noto-cjk) and restart.", "未找到中文字体：请安装（如 apt install fonts-noto-cjk）后重启。"),
    Play => ("▶ Play (P)", "▶ 播放 (P)"),
    Pause => ("▮▮ Pause (P)", "▮▮ 暂停 (P)"),
    PlayTip => ("Replay the run in slow motion: P plays/pauses, ← → step one event, Home/End jump to the ends, Esc shows the whole run again. Space always runs a new experiment.", "慢动作回放这次运行：P 播放/暂停，← → 逐个事件，Home/End 跳到首尾，Esc 显示整次运行。空格始终重新运行实验。"),
    PlayHomeTip => ("First event (Home)", "第一个事件 (Home)"),
    PlayPrevTip => ("Previous event (←)", "上一个事件 (←)"),
    PlayNextTip => ("Next event (→)", "下一个事件 (→)"),
    PlayEndTip => ("Last event (End)", "最后一个事件 (End)"),
    SlowDown => ("speed", "速度"),
    SpeedRealTime => ("1× real time", "1× 实时"),
    SpeedSlower => ("{factor}× slower", "慢 {factor} 倍"),
    SpeedEventPerSecond => ("1 event / second", "每秒 1 个事件"),
    ScrubTip => ("Drag to move the play head", "拖动以移动播放头"),
    PlayHeadAt => ("t = {at} / {total}", "t = {at} / {total}"),
    ShowAll => ("✖ show all", "✖ 显示全部"),
    ShowAllTip => ("Leave playback and show the whole run (Esc)", "退出回放，显示整次运行 (Esc)"),
    PlaybackOff => ("whole run shown • ▶ or ← → to replay it step by step", "显示整次运行 • 按 ▶ 或 ← → 逐步回放"),
    GaugeTitle => ("Bytes written but not yet read, at the play head", "播放头时刻：已写出但尚未读取的字节"),
    GaugeSender => ("sender", "发送方"),
    GaugeReceiver => ("receiver", "接收方"),
    GaugeSendBuf => ("in send() or the send buffer: {bytes} B", "send() 中或发送缓冲区：{bytes} B"),
    GaugeRecvBuf => ("waiting in the receive buffer: {bytes} B in {messages} messages", "在接收缓冲区等待：{bytes} B，{messages} 条消息"),
    GaugeNotCaptured => ("in the send or receive buffer (segments not captured): {bytes} B", "在发送或接收缓冲区（未抓到报文段）：{bytes} B"),
    GaugeEmpty => ("empty: everything written has been read", "空：写出的都已读走"),
    GaugeLastRead => ("last recv(): {bytes} B = {messages}", "最近一次 recv()：{bytes} B = {messages}"),
    GaugeMergedRead => ("粘包: {messages} messages left in ONE read", "粘包：{messages} 条消息被一次读走"),
    GaugeWrittenRead => ("written {written} B • read {read} B", "已写 {written} B • 已读 {read} B"),
    UdpAtHead => ("UDP now: {queued} queued • {arrived} arrived ({truncated} truncated) • {dropped} dropped", "UDP 此刻：排队 {queued} • 到达 {arrived}（其中截断 {truncated}）• 丢弃 {dropped}"),
    EventsTitle => ("Events", "事件"),
    EventsTip => ("Click a row to move the play head there", "点击一行，把播放头移到那里"),
    EvWrite => ("write", "写"),
    EvSegment => ("segment", "报文段"),
    EvRead => ("read", "读"),
    EvFrame => ("frame", "帧"),
    EvDgramSent => ("dgram sent", "数据报发出"),
    EvDgramRecv => ("dgram recv", "数据报收到"),
    EvDatagrams => ("UDP", "UDP"),
    Projector => ("Projector", "投影模式"),
    PlayHead => ("play head", "播放头"),
    SkipQuiet => ("skip quiet gaps", "跳过空闲"),
    SkipQuietTip => ("While playing, jump over stretches with no events (a sleeping reader) so the next event is at most 1.5 s away. The time shown stays the real one.", "播放时跳过没有事件的时段（例如读方在睡眠），下一个事件最多等 1.5 秒。显示的时间仍是真实时间。"),
    ProjectorTip => ("Large text and a high-contrast palette for a classroom projector. Ctrl + / Ctrl − zoom further, Ctrl 0 resets.", "大字号、高对比度配色，适合教室投影。Ctrl + / Ctrl − 继续缩放，Ctrl 0 复位。"),
    FileMenu => ("File", "文件"),
    FilePath => ("recording file (.json)", "录制文件 (.json)"),
    OpenRecording => ("Open", "打开"),
    SaveRecording => ("Save", "保存"),
    DropHint => ("…or drop a .json recording onto the window.", "……或把 .json 录制文件拖进窗口。"),
    DropToOpen => ("Drop a .json recording to open it", "松开即可打开 .json 录制文件"),
    OpenFailed => ("Cannot open {path}: {error}", "无法打开 {path}：{error}"),
    SavedTo => ("Saved to {path}", "已保存到 {path}"),
    NothingToSave => ("Nothing to save yet: wait for a run to finish.", "还没有可保存的内容：请等运行结束。"),
    TooBigToSave => ("This run has more than {max} events and no temporary recording could be written, so Save keeps no more. Record it with stickyviz run and the same settings flags plus --json FILE.json.gz, which writes any length to disk as the run goes.", "本次运行超过 {max} 个事件，且无法写临时录制文件，“保存”保留的事件不会更多。请用 stickyviz run 加上相同的设置参数和 --json 文件.json.gz 录制，它会边运行边写盘，长度不限。"),
    TempRecordingFailed => ("Cannot write this run's temporary recording {path}: {error}. Save keeps only the first {max} events.", "无法写本次运行的临时录制文件 {path}：{error}。“保存”只保留前 {max} 个事件。"),
    ReplayBanner => ("Recording {source} — shown exactly as recorded (stickyviz {app_version}, {os}, kernel {kernel}): a replay, not a live run.", "录制文件 {source} — 按录制时原样显示（stickyviz {app_version}，{os}，内核 {kernel}）：这是回放，不是实时运行。"),
    ReplayBannerNoName => ("Recording — shown exactly as recorded (stickyviz {app_version}, {os}, kernel {kernel}): a replay, not a live run.", "录制文件 — 按录制时原样显示（stickyviz {app_version}，{os}，内核 {kernel}）：这是回放，不是实时运行。"),
    RerunLive => ("⟳ Run it live", "⟳ 实时重新运行"),
    RerunLiveTip => ("Run the same settings again on this machine now; the result will differ a little, live runs never repeat exactly.", "用同样的设置在本机现在重新运行；结果会略有不同，实时运行从不完全重复。"),
    CopyText => ("Copy as text", "复制为文本"),
    CopyTextTip => ("Copy the ASCII timeline and the numbers (as `stickyviz run` prints them) for chats and issue reports.", "复制 ASCII 时间线和统计（与 `stickyviz run` 输出相同），方便贴到聊天或问题报告里。"),
    Copied => ("Timeline copied to the clipboard as text.", "时间线已作为文本复制到剪贴板。"),
    ExportPcapng => ("Export pcapng", "导出 pcapng"),
    ExportPcapngTip => ("Write the TCP segments this run really captured (headers) as pcapng for Wireshark.", "把本次运行真实抓到的 TCP 报文段（报头）导出为 pcapng，可用 Wireshark 打开。"),
    PcapngUnavailable => ("pcapng: {why}", "pcapng：{why}"),
    ExportSvg => ("Export SVG", "导出 SVG"),
    ExportSvgTip => ("Write the timeline lanes and legend as an SVG picture (for slides and print).", "把时间线各栏和图例导出为 SVG 图片（用于幻灯片和打印）。"),
    EchoReplyStream => ("reply stream (server → client, its own byte axis):", "回复流（服务器 → 客户端，单独的字节轴）："),
    EchoLatencyHeader => ("latency per request (first byte written → reply read):", "每个请求的延迟（写出第一个字节 → 读到回复）："),
    EchoMoreRequests => ("… {count} more requests", "… 另有 {count} 个请求"),
    EchoAnswered => ("requests answered", "已回复的请求"),
    EchoMedian => ("latency median", "延迟中位数"),
    EchoMinMax => ("latency min / max", "延迟最小 / 最大"),
    EchoStalled => ("stalled requests (≥ 20 ms)", "卡顿的请求（≥ 20 ms）"),
    EchoReplyBytes => ("reply bytes read", "读到的回复字节"),
    EchoConnection => ("connection {conn} (its own stream; connection 0 is the main timeline above):", "连接 {conn}（单独的字节流；连接 0 即上方的主时间线）："),
    EchoNote => ("note: write-write-read with Nagle on: the body waits for the ACK of the header, which the server delays (~40 ms) because it has nothing to send yet. Try --nagle off or --split whole.", "注意：开启 Nagle 算法时的“写-写-读”：数据要等报头的 ACK，而服务器还没有数据可发，会延迟 ACK（约 40 ms）。试试 --nagle off 或 --split whole。"),
    PeerBadAddr => ("'{text}' is not HOST:PORT or PORT ({error})", "'{text}' 不是 HOST:PORT 或 PORT（{error}）"),
    PeerNoAddr => ("'{text}' resolves to no address", "'{text}' 解析不到地址"),
    PeerNotLoopback => ("warning: --{flag} {addr} is not loopback: other machines can reach this socket", "警告：--{flag} {addr} 不是回环地址：其他机器可以连到这个套接字"),
    PeerListening => ("listening on {proto} {bound}", "正在监听 {proto} {bound}"),
    PeerBytesBack => ("bytes the server sent back", "服务器发回的字节"),
    PeerDatagramsBack => ("datagrams the server sent", "服务器发来的数据报"),
    PeerConnection => ("connection", "连接"),
    PeerDatagramsHeader => ("UDP datagrams received:", "收到的 UDP 数据报："),
    PeerDatagramLine => ("  {msg} +{at_us} µs  {bytes} of {sent} B{truncated}", "  {msg} +{at_us} µs  {bytes}/{sent} B{truncated}"),
    PeerNeedTcpOrUdp => ("one of --tcp or --udp is required", "需要 --tcp 或 --udp 之一"),
    PeerClientsHeader => ("clients, in the order their connections ended:", "客户端（按连接结束的先后）："),
    PeerClientsServed => ("clients served", "已服务的客户端"),
    PeerClientsConnected => ("clients connected", "连接过的客户端"),
    PeerClientsMore => ("… {count} more clients not listed", "……另有 {count} 个客户端未列出"),
    ClientLine => ("client {peer}: {text}", "客户端 {peer}：{text}"),
    ListenClosedBadHeader => ("the listener closed the connection after a header it cannot decode", "监听方收到无法解码的报头后关闭了连接"),
    ClientMainLane => (" (main timeline)", "（主时间线）"),
    ClientConnLane => (" (connection {conn})", "（连接 {conn}）"),
    ClientServed => ("served: {bytes} B, {frames} frames", "已服务：{bytes} 字节，{frames} 帧"),
    ClientSentNothing => ("connected and closed without sending a byte (a port scanner or `nc -z` does this)", "连上后一个字节也没发就关闭了（端口扫描或 `nc -z` 就是这样）"),
    ClientClosedMidFrame => ("closed its end in the middle of a frame (半包) after {bytes} B: {error}", "发送 {bytes} 字节后在一帧中间关闭了连接（半包）：{error}"),
    ClientReset => ("reset the connection after {bytes} B ({error})", "发送 {bytes} 字节后重置了连接（{error}）"),
    ClientResetMidFrame => ("reset the connection in the middle of a frame (半包) after {bytes} B ({error}): {cut}", "发送 {bytes} 字节后在一帧中间重置了连接（半包，{error}）：{cut}"),
    ClientDropped => ("sent a header the decoder cannot accept, after {bytes} B: {error}. The listener closed this connection: past a bad header nothing tells where the next frame starts", "发送 {bytes} 字节后发来了解码器无法接受的报头：{error}。监听方关闭了这个连接：坏报头之后再也找不到下一帧从哪里开始"),
    ClientRefused => ("turned away at once: {limit} clients were connected already, all of them sending", "立即被拒绝：已经有 {limit} 个客户端连着，而且都在发送数据"),
    ClientEvicted => ("connected and sent nothing; let go to make room when {limit} clients were connected and one more came", "连上后什么也没发；已有 {limit} 个客户端连着又来了一个新的，于是断开它腾出位置"),
    ClientStopped => ("still connected when listen ended, after {bytes} B", "listen 结束时仍然连着，已收到 {bytes} 字节"),
    ClientStoppedSilent => ("still connected when listen ended, having sent nothing", "listen 结束时仍然连着，一个字节也没发"),
    RenderBadOut => ("'{path}' must end in .png, .svg or .pcapng", "'{path}' 必须以 .png、.svg 或 .pcapng 结尾"),
    PacketsWritten => ("{count} captured packets written to {path}", "已把 {count} 个抓到的数据包写入 {path}"),
    CliNotWholeOrOnce => ("'{text}' is not whole or once", "'{text}' 不是 whole 或 once"),
    SvgTitle => ("TCP byte stream: {bytes} bytes, {messages} messages, {writes} writes, {reads} reads", "TCP 字节流：{bytes} 字节，{messages} 条消息，{writes} 次写入，{reads} 次读取"),
    SvgWireNone => ("wire — segment capture unavailable", "wire — 无法抓取报文段"),
    SvgFramesNone => ("frames — framing off: nothing to decode", "frames — 未使用拆包协议：无从解码"),
    SvgSplit => ("m{msg} split (半包)", "m{msg} 被切开 (半包)"),
    SvgUdpOnly => ("This recording has no TCP stream (UDP only); render it as .png to see the UDP panel.", "这个录制文件没有 TCP 字节流（只有 UDP）；请渲染为 .png 查看 UDP 面板。"),
    SvgBoundary => ("message boundary", "消息边界"),
    CapNeedsRoot => ("capturing segments needs root or CAP_NET_RAW ({error}); the wire lane shows the kernel's per-write segment counts (TCP_INFO) instead", "抓取报文段需要 root 或 CAP_NET_RAW（{error}）；wire 一栏改为显示内核每次写入后的报文段计数（TCP_INFO）"),
    CapCannotOpen => ("could not open a packet capture socket ({error}); the wire lane shows TCP_INFO counts instead", "无法打开抓包套接字（{error}）；wire 一栏改为显示 TCP_INFO 计数"),
    CapOnlyLoopback => ("segments are captured only for a server on 127.0.0.1", "只有服务器在 127.0.0.1 上时才抓取报文段"),
    CapManyClients => ("many-clients does not capture segments; TCP_INFO counts per write still show", "many-clients 不抓取报文段；仍显示每次写入的 TCP_INFO 计数"),
    CapNeedsLinuxCounts => ("capturing segments needs Linux; the wire lane shows the kernel's packet count after each write (TCP_CONNECTION_INFO) instead", "抓取报文段需要 Linux；wire 一栏改为显示内核每次写入后的发包计数（TCP_CONNECTION_INFO）"),
    CapNeedsLinuxNoCounts => ("capturing segments needs Linux, and Windows counts no segments per write (SIO_TCP_INFO has no such count): the wire lane stays empty; writes and reads still show", "抓取报文段需要 Linux，而 Windows 不提供每次写入后的报文段计数（SIO_TCP_INFO 没有这一项）：wire 一栏为空；写入和读取照常显示"),
    CapListen => ("listening for an external client: its SYN came before the client's port was known, so segments are not captured", "正在等待外部客户端：它的 SYN 在端口已知之前就到了，所以不抓取报文段"),
    CapReplies => ("the reply direction's segments are not captured; its writes and reads are", "回复方向的报文段不抓取；它的写入和读取照常记录"),
    HsRefused => ("handshake refused: the client's HMAC does not match the key, the server closes the connection", "握手被拒绝：客户端的 HMAC 与密钥不符，服务器关闭连接"),
    HsClientClosed => ("the client closed during the handshake", "客户端在握手过程中关闭了连接"),
    HsServerClosed => ("the server closed before its challenge", "服务器在发出挑战之前关闭了连接"),
    HsRefusedShort => ("handshake refused", "握手被拒绝"),
    EchoServerClosed => ("the server closed before replying", "服务器在回复之前关闭了连接"),
    SysFailed => ("{call} failed: {error}", "{call} 失败：{error}"),
    EchoPanelTitle => ("Replies (server → client), on their own byte axis", "回复（服务端 → 客户端），单独的字节轴"),
    EchoNagleOn => ("Nagle on", "Nagle 开"),
    EchoNagleOff => ("Nagle off", "Nagle 关"),
    EchoLatencyTitle => ("Latency per request", "每个请求的延迟"),
    EchoMedianWord => ("median", "中位数"),
    EchoStalledWord => ("stalled ≥ 20 ms", "停顿 ≥ 20 ms"),
    EchoRequestAxis => ("request #", "请求序号"),
    EchoDelayedAck => ("delayed ACK ≈ 40 ms", "延迟确认 ≈ 40 ms"),
    EchoLatencyWord => ("latency", "延迟"),
    EchoConnectionWord => ("connection", "连接"),
    EchoOwnStream => ("its own stream and boundaries", "独立的字节流和边界"),
    EchoStallWhy => ("Each ~40 ms dot is a stall: Nagle held the request's second write until the first was acknowledged, and the server delayed that ACK because it had nothing to send yet.", "每个约 40 ms 的点都是一次停顿：Nagle 要等第一次写入被确认才发出第二次写入，而服务端还没有数据要发，于是推迟了这个 ACK。"),
    CallReadingOpt => ("reading {opt}", "读取 {opt}"),
    CallCapture => ("segment capture", "报文段抓取"),
    CapSetup => ("capture socket: {error}", "抓包套接字：{error}"),
    CapTimestampsRefused => ("capture socket: SO_TIMESTAMPNS refused: {error}", "抓包套接字：内核拒绝了 SO_TIMESTAMPNS：{error}"),
    CapNoKernelTimestamps => ("capture socket: the kernel does not stamp packets (SO_TIMESTAMPNS): segment times would be late", "抓包套接字：内核不给报文打时间戳（SO_TIMESTAMPNS），报文段的时间会偏晚"),
    FaultThread => ("could not start a thread: {error}", "无法启动线程：{error}"),
    FaultNoRandom => ("no random challenge: {error}", "无法生成随机挑战：{error}"),
    FaultUnframed => ("the HMAC handshake runs unframed, like the seed: framing {framing} is not used in this run", "HMAC 握手与教程一样不分帧：本次运行不使用分帧方式 {framing}"),
    FaultDatagramNotSent => ("datagram m{msg} not sent: {error}", "数据报 m{msg} 未发出：{error}"),
    FaultCaptureCapped => ("segment capture stopped after {max} segments", "报文段抓取在 {max} 个报文段后停止"),
    FaultWorkerPanicked => ("internal error: a worker thread panicked", "内部错误：一个工作线程崩溃了"),
    FaultCapturePanicked => ("internal error: the capture thread panicked", "内部错误：抓包线程崩溃了"),
    FaultClientPanicked => ("internal error: a client thread panicked", "内部错误：一个客户端线程崩溃了"),
    SvgLegendSend => ("one send()", "一次 send()"),
    SvgLegendSegment => ("one TCP segment", "一个 TCP 报文段"),
    SvgLegendRecv => ("one recv()", "一次 recv()"),
    SvgLegendMerged => ("merged read (粘包)", "粘包读取"),
    SvgLegendFrame => ("decoded frame", "解码出的帧"),
    SetOutOfRange => ("{value} is out of range; allowed {allowed}", "{value} 超出范围；允许 {allowed}"),
    SetMaxBelowMin => ("{max} is smaller than size-min {min}; allowed size-min to {limit}", "{max} 小于 size-min {min}；允许 size-min 到 {limit}"),
    SetTooBigForUdp => ("{value} is too big for one UDP datagram over {family}; allowed 0 to {limit} when UDP is on", "{value} 超过 {family} 上一个 UDP 数据报的上限；开启 UDP 时允许 0 到 {limit}"),
    SetJsonHeaderLargerThanMaxFrame => ("{max} is smaller than the seed-json JSON header of a {size}-byte message ({header} bytes: the decoder applies max-frame to the header too); with this --size allowed {allowed}", "{max} 小于 {size} 字节消息的 seed-json JSON 报头（{header} 字节：解码器对报头同样使用 max-frame）；按这个 --size 允许 {allowed}"),
    SetNotAPrefixWidth => ("{value} is not a length prefix width; allowed 1, 2, 4, 8", "{value} 不是长度前缀的宽度；允许 1、2、4、8"),
    SetTooBigForPrefix => ("{value} bytes do not fit a {bytes}-byte --length-bytes prefix; allowed --size 0 to {max}", "{value} 字节放不进 {bytes} 字节的 --length-bytes 长度前缀；--size 允许 0 到 {max}"),
    SetLargerThanMaxFrame => ("{value} is larger than max-frame {max}; allowed 0 to {limit} with {framing} framing", "{value} 大于 max-frame {max}；允许 0 到 {limit}（{framing} 拆包协议）"),
    CliNotNumber => ("'{text}' is not a number; allowed {allowed}", "'{text}' 不是数字；允许 {allowed}"),
    LengthPrefix => ("Length prefix", "长度前缀"),
    LengthPrefixTip => ("Width and byte order of the length before each frame. Big-endian (network order) is the usual; Python struct.pack('<I'), C#'s BinaryWriter and Node's writeUInt32LE write little-endian.", "每帧前面那个长度的宽度和字节序。通常是大端（网络字节序）；Python 的 struct.pack('<I')、C# 的 BinaryWriter、Node 的 writeUInt32LE 写的是小端。"),
    LengthBytes => ("{bytes} B", "{bytes} 字节"),
    LengthBig => ("big-endian", "大端"),
    LengthLittle => ("little-endian", "小端"),
    ErrTooLongSwapped => ("length {len} too long; {order}-endian it reads {swapped}", "长度 {len} 超限；按{order}读是 {swapped}"),
    CliNotByteOrder => ("'{text}' is not big or little", "'{text}' 不是 big 或 little"),
    CliNotOnOff => ("'{text}' is not on or off", "'{text}' 不是 on 或 off"),
    CliUnknownFraming => ("unknown mode '{text}'; allowed: {allowed}", "未知方式 '{text}'；允许：{allowed}"),
    CliUnknownPreset => ("unknown preset '{name}'; allowed: {allowed}", "未知预设 '{name}'；允许：{allowed}"),
    CliUnknownLang => ("unknown language '{name}'; allowed: en, zh", "未知语言 '{name}'；允许：en、zh"),
    CliLengthNeedsPrefix => ("only u32 and naive-u32 frames start with a length prefix; {framing} framing has none, so this flag would change nothing", "只有 u32 和 naive-u32 的帧以长度前缀开头；{framing} 方式没有长度前缀，这个参数不会起任何作用"),
    BufClampedLinux => ("asked {asked}: capped by {sysctl} at {cap}, which the kernel doubles to {actual}; a larger one needs that sysctl raised", "申请 {asked}：被 {sysctl} 限制为 {cap}，内核再加倍成 {actual}；要更大需要调高这个 sysctl"),
    BufClampedOther => ("asked {asked}: the kernel gave {actual}", "申请 {asked}：内核给了 {actual}"),
    CliNoFrames => ("'none' has no frames to decode; allowed: u32, seed-json, newline, naive-u32", "'none' 没有可解码的帧；允许：u32、seed-json、newline、naive-u32"),
    CliRecordingWritten => ("recording written to {path}", "录制已写入 {path}"),
    CliFrameLine => ("frame {frame} at offset {offset}: {bytes} bytes payload ({stream_bytes} on the stream) {payload}", "帧 {frame}，偏移 {offset}：数据 {bytes} 字节（流上 {stream_bytes} 字节）{payload}"),
    CliDecodeSummary => ("{frames} frames from {bytes} bytes in reads of {read_size}", "共 {frames} 帧，来自 {bytes} 字节，每次读取 {read_size} 字节"),
    CliDecodeFailed => ("decoding failed (see above)", "解码失败（见上文）"),
    CliError => ("error", "错误"),
    CliWindowFailed => ("the window could not open: “{error}”", "窗口打不开：“{error}”"),
    CliNoGui => ("this build has no GUI (built without the `gui` feature); use a subcommand:", "这个版本没有图形界面（编译时没开 `gui` 特性），请用子命令："),
    CliCannotStart => ("the run could not start", "无法开始运行"),
    CliNoSignals => ("cannot catch Ctrl-C and SIGTERM", "无法捕获 Ctrl-C 和 SIGTERM"),
    CliInterrupted => ("stopped by {name}: the report above covers the session until then (exit {exit_code})", "被 {name} 中断：上面的报告涵盖中断之前的会话（退出码 {exit_code}）"),
    CliSessionFailed => ("the session ran but failed: {decode_errors} decode errors, {socket_errors} socket errors (see above; exit 1)", "会话运行了但失败了：{decode_errors} 个解码错误，{socket_errors} 个套接字错误（见上文；退出码 1）"),
    DecTooLong => ("frame at offset {offset}: {what}, over the maximum frame length {max}{hint}", "偏移 {offset} 处的帧：{what}，超过最大帧长 {max}{hint}"),
    LenPrefixBody => ("the length prefix gives a body of {len} bytes", "长度前缀给出的消息体为 {len} 字节"),
    LenPrefixJson => ("the length prefix gives a JSON header of {len} bytes", "长度前缀给出的 JSON 报头为 {len} 字节"),
    LenJsonBody => ("the JSON header's total_lenth gives a body of {len} bytes", "JSON 报头里的 total_lenth 给出的消息体为 {len} 字节"),
    LenLine => ("a line of more than {max} bytes", "一行超过 {max} 字节"),
    DecSwapped => ("; this looks like a {order}-endian length of {len}", "；这看起来像是{order}的长度 {len}"),
    DecRaiseMax => ("; if such frames are expected, raise the maximum frame length to at least {len} (--max-frame; max frame (B) in the window)", "；如果本来就有这么大的帧，把最大帧长调到至少 {len}（--max-frame；窗口里的“最大帧 (B)”）"),
    DecOverAnyMax => ("; no setting accepts a frame over {limit} bytes", "；任何设置都不接受超过 {limit} 字节的帧"),
    OrderBig => ("big", "大端序"),
    OrderLittle => ("little", "小端序"),
    DecNegative => ("frame at offset {offset}: negative header length {len}", "偏移 {offset} 处的帧：报头长度为负数 {len}"),
    DecBadJson => ("frame at offset {offset}: bad JSON header: {what}{hint}", "偏移 {offset} 处的帧：JSON 报头错误：{what}{hint}"),
    JsonSyntax => ("serde_json says \"{reason}\"", "serde_json 的原话：“{reason}”"),
    JsonNotUtf8 => ("it is not UTF-8 (\"{reason}\")", "报头不是 UTF-8（原话：“{reason}”）"),
    JsonNotObject => ("it is valid JSON but not an object", "它是合法的 JSON，但不是对象"),
    JsonCountedChars => ("; it holds non-ASCII text and ends early: its length looks counted in characters, not bytes (Python: send len(header.encode()), not len(header))", "；报头里有非 ASCII 文字且提前结束：长度像是按字符数而不是字节数算的（Python 里应发送 len(header.encode())，而不是 len(header)）"),
    DecTruncated => ("stream ended inside the frame at offset {offset}: {have} of {need} bytes arrived", "字节流在偏移 {offset} 处的帧中间结束：只收到 {have}/{need} 字节"),
    DecShortRead => ("read at offset {offset} asked for the {part} ({asked} bytes) but returned {got}: the naive decoder trusts one recv() to return everything", "偏移 {offset} 处的读取请求{part}（{asked} 字节），只返回了 {got}：这个天真的解码器以为一次 recv() 就能收全"),
    PartHeader => ("header", "报头"),
    PartBody => ("body", "数据"),
    TtMerged => ("MERGED {messages} messages (粘包)", "粘包：{messages} 条消息"),
    TtPartial => ("part of one message (半包)", "一条消息的一部分（半包）"),
    TtExact => ("exact", "恰好一条消息"),
    TtMoreReads => ("… {count} more reads", "… 另有 {count} 次读取"),
    TtDecodeError => ("decode error: {error}", "解码错误：{error}"),
    TtUdpHeader => ("UDP datagrams (sent → received):", "UDP 数据报（发送 → 接收）："),
    TtDelivered => ("delivered", "已送达"),
    UdpMissing => ("not received", "未收到"),
    TtReceivedOnly => ("received (its send was not observed)", "已收到（没有观察到它的发送）"),
    TtMissing => ("not received (a gap in the ids; its send was not observed)", "没有收到（编号有空缺；没有观察到它的发送）"),
    TtTruncated => ("TRUNCATED, {lost} B lost", "被截断，丢失 {lost} B"),
    TtDropped => ("DROPPED", "被丢弃"),
    TtInFlight => ("in flight", "传输中"),
    TtMoreDatagrams => ("… {count} more datagrams", "… 另有 {count} 个数据报"),
    TtWireNoCapture => ("({segments} data segments by TCP_INFO; no capture)", "（TCP_INFO 统计 {segments} 个数据报文段；未抓包）"),
    TtProblem => ("problem: {problem}", "问题：{problem}"),
    TtNote => ("note: {text}", "注意：{text}"),
    StatThroughput => ("MB/s received", "接收 MB/s"),
    SumMessages => ("messages", "消息"),
    SumBytesSent => ("bytes sent", "发送字节"),
    SumWrites => ("writes (send calls)", "写入（send 调用）"),
    SumSegmentsCaptured => ("segments captured", "抓到的报文段"),
    SumSegmentsTcpInfo => ("segments (TCP_INFO)", "报文段（TCP_INFO）"),
    EchoReplySegments => ("reply segments captured", "回复抓到的报文段"),
    EchoReplySegmentsTcpInfo => ("reply segments (TCP_INFO)", "回复报文段（TCP_INFO）"),
    SumGsoBatches => ("GSO batches (cut up)", "GSO 批（已切分）"),
    SumGsoBatchesValue => ("{batches}: packets lo carried whole, each drawn and counted as the segments a network would carry", "{batches}：lo 整个传送的包，每个都按网络上会有的报文段绘制与计数"),
    LaneWireGso => ("{title} · bracket = one GSO batch (one packet on lo)", "{title} · 括线 = 一个 GSO 批（lo 上的一个包）"),
    GsoBatchTip => ("one GSO batch: {len} B left as one packet on lo, {segments} segments of {gso} B on a network", "一个 GSO 批：{len} B 在 lo 上是一个包，在网络上是 {segments} 个 {gso} B 的报文段"),
    SumReads => ("reads (recv calls)", "读取（recv 调用）"),
    SumBytesReceived => ("bytes received", "接收字节"),
    SumMerged => ("merged reads (粘包)", "粘包读取"),
    SumSplit => ("split messages (半包)", "半包消息"),
    SumExact => ("exact reads", "恰好一条的读取"),
    SumFrames => ("frames decoded", "解码出的帧"),
    SumIntact => ("{frames} ({intact} intact)", "{frames}（{intact} 完整）"),
    SumDecodeErrors => ("decoder errors", "解码错误"),
    SumSndBuf => ("SO_SNDBUF (kernel)", "SO_SNDBUF（内核）"),
    SumRcvBuf => ("SO_RCVBUF (kernel)", "SO_RCVBUF（内核）"),
    SumDgSent => ("datagrams sent", "发送的数据报"),
    SumDgReceived => ("datagrams received", "收到的数据报"),
    SumDgTruncated => ("datagrams truncated", "被截断的数据报"),
    SumDgTruncatedValue => ("{count} ({lost} B lost)", "{count}（丢失 {lost} B）"),
    SumDgErrors => ("recvfrom() errors", "recvfrom() 报错"),
    SumDgErrorsValue => ("{count} × {error}", "{count} × {error}"),
    NoteMsgSize => ("Windows fails a recvfrom() whose buffer is smaller than the datagram with {error} (Python: OSError: [WinError 10040]) after copying its first bytes; Linux and macOS return those bytes without an error. The tail is lost either way.", "Windows 上，缓冲区比数据报小的 recvfrom() 会在复制完前面的字节后以 {error} 失败（Python：OSError: [WinError 10040]）；Linux 和 macOS 则不报错地返回这些字节。两种情况下尾部都丢了。"),
    SumDgDropped => ("datagrams dropped", "被丢弃的数据报"),
    SumUdpRcvBuf => ("UDP SO_RCVBUF (kernel)", "UDP SO_RCVBUF（内核）"),
    SumHistoryDropped => ("events dropped from history", "历史中丢弃的事件"),
    SumCausality => ("effects before causes", "因果颠倒的事件"),
    SumShortWrites => ("short writes", "短写入"),
    SumCaptureGap => ("{captured} of {total} captured ({gap} lost by the capture)", "抓到 {captured} / {total}（抓包丢失 {gap} 个）"),
    SumCaptureGapPartly => ("{captured} of {total} captured ({gap} not seen by the capture, {dropped} of them dropped from its queue)", "抓到 {captured} / {total}（抓包未见 {gap} 个，其中 {dropped} 个从抓包队列中丢失）"),
    SumCaptureGapUnknown => ("{captured} of {total} captured ({gap} not seen by the capture)", "抓到 {captured} / {total}（抓包未见 {gap} 个）"),
    SumWritesShort => ("{writes} ({short} short: send() took fewer bytes than asked, the rest went in another send())", "{writes}（其中 {short} 次短写入：send() 接收的字节少于请求，其余由下一次 send() 发出）"),
    Violation => ("timestamps out of order: {what}", "时间戳顺序错误：{what}"),
    ViolReadBeforeWrite => ("the read of byte {offset} is stamped {us} µs before the write that carried it", "读到字节 {offset} 的读取比承载它的写入早 {us} µs"),
    ViolSegmentBeforeWrite => ("the segment from byte {offset} is stamped {us} µs before its write", "从字节 {offset} 起的报文段比其写入早 {us} µs"),
    ViolSegmentAfterRead => ("the segment from byte {offset} is stamped {us} µs after the read that returned it", "从字节 {offset} 起的报文段比返回它的读取晚 {us} µs"),
    ViolFrameBeforeRead => ("the frame ending at byte {offset} is stamped {us} µs before the read that completed it", "在字节 {offset} 结束的帧比完成它的读取早 {us} µs"),
    ViolDatagramBeforeSent => ("datagram m{offset} is received {us} µs before it was sent", "数据报 m{offset} 的接收比发送早 {us} µs"),
    ViolationsLine => ("{count} events stamped before their cause; the first: {first}", "{count} 个事件的时间戳早于其原因；第一个：{first}"),
    ViolOnReplies => ("{what} (reply stream)", "{what}（回复方向）"),
    ViolOnConn => ("{what} (connection {conn})", "{what}（连接 {conn}）"),
    // Settings (config::Setting): labels of those without a box in the window, and the help of
    // every flag that sets one.
    LabelChunkGap => ("gap between chunks (µs)", "分块写入间隔 (µs)"),
    LabelBurst => ("messages per burst", "每批消息数"),
    LabelBurstGap => ("gap after a burst (µs)", "每批之后的间隔 (µs)"),
    LabelClientReads => ("client reads", "客户端读取方式"),
    LabelClientReadSize => ("client read size", "客户端读取大小"),
    LabelReplySize => ("reply size (B)", "回复大小 (B)"),
    LabelConnections => ("connections", "连接数"),
    LabelIdleMs => ("idle time (ms)", "空闲时间 (ms)"),
    LabelListenClients => ("clients", "客户端数"),
    HelpCount => ("Number of messages.", "消息条数"),
    HelpSize => ("Payload size in bytes: N, or a range A-B.", "消息体大小（字节）：N，或范围 A-B"),
    HelpGap => ("Microseconds between messages.", "两条消息之间的间隔（微秒）"),
    HelpChunkGap => ("Microseconds between the writes of one split message.", "一条消息被拆开后各次写入之间的间隔（微秒）"),
    HelpBurst => ("Messages per burst (0 = no bursts); after each burst the sender waits --burst-gap-us.", "每批消息数（0 = 不分批）；每批之后发送方等待 --burst-gap-us"),
    HelpBurstGap => ("Microseconds the sender waits after each burst.", "每批之后发送方等待的微秒数"),
    HelpNagle => ("Nagle's algorithm: on (kernel default) or off (TCP_NODELAY).", "Nagle 算法：on（内核默认）或 off（TCP_NODELAY）"),
    HelpCork => ("Hold all writes with TCP_CORK until the last one.", "用 TCP_CORK 把所有写入攒到最后一次再发"),
    HelpSndBuf => ("SO_SNDBUF to ask for, bytes (the kernel doubles it).", "申请的 SO_SNDBUF 发送缓冲区大小（字节，内核会加倍）"),
    HelpSplit => ("How to cut each message into send() calls: whole, header-body, or a chunk size in bytes.", "每条消息分几次 send()：whole（整条）、header-body（报头和正文分开），或每块的字节数"),
    HelpReadSize => ("The receiver's recv(N) size.", "接收方每次 recv(N) 的 N"),
    HelpRcvBuf => ("SO_RCVBUF to ask for, bytes (the kernel doubles it).", "申请的 SO_RCVBUF 接收缓冲区大小（字节，内核会加倍）"),
    HelpStartDelay => ("Milliseconds the reader waits before its first recv().", "接收方第一次 recv() 之前等待的毫秒数"),
    HelpReadDelay => ("Milliseconds the reader sleeps after each recv().", "接收方每次 recv() 之后睡眠的毫秒数"),
    HelpFraming => ("Framing: none, u32, seed-json, newline, naive-u32.", "分帧方式：none、u32、seed-json、newline、naive-u32"),
    HelpMaxFrame => ("Largest frame the decoder accepts, bytes.", "解码器接受的最大帧（字节）"),
    HelpUdpReadSize => ("UDP receiver's recvfrom(N) size.", "UDP 接收方每次 recvfrom(N) 的 N"),
    HelpUdpRcvBuf => ("UDP SO_RCVBUF to ask for, bytes.", "UDP 的 SO_RCVBUF 接收缓冲区大小（字节）"),
    HelpUdpStartDelay => ("Milliseconds the UDP reader waits before its first recvfrom().", "UDP 接收方第一次 recvfrom() 之前等待的毫秒数"),
    HelpClientReads => ("Request/response: how the client reads each reply: whole (loop until complete) or once (one recv per request, as the seed's remote-command client).", "请求/响应：客户端怎样读每个回复：whole（循环读到完整）或 once（每个请求只 recv 一次，像课程里的远程执行命令客户端）"),
    HelpClientReadSize => ("Request/response: the client's recv(N) for replies.", "请求/响应：客户端读回复时 recv(N) 的 N"),
    HelpReplySize => ("Request/response: reply length in bytes (default: the request upper-cased).", "请求/响应：回复长度（字节；默认把请求转成大写原样返回）"),
    HelpConnections => ("Request/response: concurrent client connections to the one server (1 to 16).", "请求/响应：同时连到同一个服务器的客户端连接数（1 到 16）"),
    HelpIdleMs => ("UDP: stop this many milliseconds after the last datagram.", "UDP：最后一个数据报之后再等这么多毫秒就结束"),
    HelpListenClients => ("TCP: end after this many clients were served (0 = until stopped; default 1, or 0 on an address beyond 127.0.0.1, a class). A client that sends nothing, resets, or sends a header that cannot be decoded is reported and not counted.", "TCP：服务完这么多个客户端后结束（0 = 直到停止；默认 1，监听 127.0.0.1 以外的地址（上课）时默认 0）。什么都不发、连接被重置、或报头无法解码的客户端会被报告，但不计数"),
    HelpLengthBytes => ("u32 and naive-u32: width of the length prefix in bytes: 1, 2, 4 or 8 (default 4).", "u32 和 naive-u32：长度前缀的宽度（字节）：1、2、4 或 8（默认 4）"),
    HelpLengthOrder => ("u32 and naive-u32: byte order of the length prefix: big (network order, default) or little.", "u32 和 naive-u32：长度前缀的字节序：big（网络字节序，默认）或 little（小端）"),
    // The command line's help of what is not a setting (cli/help.rs: the English must equal the
    // flag's doc comment, which clap shows), and the words clap prints around it.
    CliAbout => ("See the TCP sticky-packet problem (粘包/半包): where sends, segments and reads cut the stream", "看见 TCP 粘包/半包问题：send、报文段和 recv 各在字节流的哪里切开"),
    FlagLang => ("Language of the output: en or zh (default: from the system locale)", "输出语言：en 或 zh（默认按系统语言环境）"),
    CmdRun => ("Run an experiment on 127.0.0.1 and print the timeline and summary", "在 127.0.0.1 上运行一次实验，打印时间线和汇总"),
    FlagPreset => ("Start from a preset (see `stickyviz presets`); other flags override it", "从一个预设开始（见 `stickyviz presets`），其他参数覆盖它"),
    FlagRunUdp => ("Send the workload as UDP datagrams only", "只用 UDP 数据报发送工作负载"),
    FlagBoth => ("Run TCP and UDP side by side", "TCP 和 UDP 并排运行"),
    FlagWidth => ("Width of the text timeline in columns", "文本时间线的宽度（列数）"),
    FlagRunJson => ("Write the whole run (settings, events, summary) as a JSON recording to FILE as it goes (gzip if FILE ends in .gz), or - for stdout", "边运行边把整次运行（设置、事件、汇总）写成 JSON 录制文件 FILE（以 .gz 结尾则用 gzip 压缩），- 表示标准输出"),
    FlagPcapng => ("Write the TCP segments the run captured (needs root or CAP_NET_RAW) as pcapng to FILE", "把这次运行抓到的 TCP 报文段写成 pcapng 文件（需要 root 或 CAP_NET_RAW）"),
    CmdPresets => ("List the lessons (presets)", "列出所有课程（预设）"),
    CmdDecode => ("Feed a byte file through a framing decoder in reads of N bytes and print each frame", "把一个字节文件按每次 N 字节喂给分帧解码器，打印每一帧"),
    FlagDecodeFile => ("The bytes to decode; - or nothing for stdin", "要解码的字节文件；- 或不写表示标准输入"),
    CmdListen => ("Wait for an external client (the seed's Python code, nc, …) and show its stream", "等待外部客户端（课程里的 Python 程序、nc……）连入，显示它的字节流"),
    FlagListenTcp => ("Serve TCP clients on ADDR (PORT alone = 127.0.0.1:PORT; port 0 = any free port), each in its own thread, like the seed's ThreadingTCPServer", "在 ADDR 上为 TCP 客户端服务（只写端口 = 127.0.0.1:端口；端口 0 = 任选空闲端口），每个客户端一个线程，像课程里的 ThreadingTCPServer"),
    FlagListenUdp => ("Receive UDP datagrams on ADDR", "在 ADDR 上接收 UDP 数据报"),
    FlagListenEcho => ("Answer each read (datagram) with its bytes upper-cased, like the seed's echo servers; with TCP framing, each frame, upper-cased and framed again the same way", "把每次读到的字节（每个数据报）转成大写发回去，像课程里的回显服务器；TCP 用了分帧时，逐帧转成大写，再按同样的分帧方式发回"),
    FlagListenHeadless => ("Print the text timeline and summary when the peer is done, instead of opening the window", "不开窗口：对方结束后打印文本时间线和汇总"),
    FlagListenJson => ("Also write the session as a JSON recording to FILE, or - for stdout", "同时把这次会话写成 JSON 录制文件 FILE，- 表示标准输出"),
    CmdSend => ("Send the workload to an external server, drawing writes and wire segments", "把工作负载发给外部服务器，画出每次写入和线上的报文段"),
    FlagSendTcp => ("Connect to a TCP server at HOST:PORT (PORT alone = 127.0.0.1:PORT)", "连接 HOST:PORT 上的 TCP 服务器（只写端口 = 127.0.0.1:端口）"),
    FlagSendUdp => ("Send the workload as UDP datagrams to HOST:PORT", "把工作负载作为 UDP 数据报发到 HOST:PORT"),
    FlagSendPreset => ("Start from a preset's settings; other flags override it", "从一个预设的设置开始，其他参数覆盖它"),
    FlagSendJson => ("Write the run as a JSON recording to FILE, or - for stdout", "把这次运行写成 JSON 录制文件 FILE，- 表示标准输出"),
    CmdRender => ("Draw a recording as a picture: the window (.png) or the timeline lanes (.svg)", "把一份录制画成图片：整个窗口（.png）或时间线各道（.svg）"),
    FlagRenderRecording => ("The recording to draw (from `run --json`, or the window's File → Save)", "要画的录制文件（来自 `run --json`，或窗口的 文件 → 保存）"),
    FlagRenderOut => ("The file to write: FILE.png (the whole window), FILE.svg (the timeline lanes) or FILE.pcapng (the captured packets, for Wireshark)", "输出文件：FILE.png（整个窗口）、FILE.svg（时间线各道）或 FILE.pcapng（抓到的数据包，给 Wireshark 用）"),
    FlagRenderWidth => ("Width in pixels", "宽度（像素）"),
    FlagRenderHeight => ("Height in pixels", "高度（像素）"),
    FlagRenderTheme => ("Colours: dark (for a projector) or light (for print)", "配色：dark（适合投影）或 light（适合打印）"),
    FlagRenderView => ("The central view: the byte axis, or time", "中间的视图：bytes（字节轴）或 time（时间）"),
    FlagHelp => ("Print help", "显示帮助"),
    FlagVersion => ("Print version", "显示版本"),
    ClapUsage => ("Usage: ", "用法："),
    ClapOptions => ("Options", "选项"),
    ClapArguments => ("Arguments", "参数"),
    ClapCommands => ("Commands", "命令"),
    ClapDefault => ("default", "默认"),
    ClapValues => ("possible values", "可选值"),
    ClapMore => ("For more information, try '--help'.", "想看更多，请用 '--help'。"),
    ClapTip => ("tip", "提示"),
    ClapExit => ("Exit status:\n  0    done, and every frame decoded\n  1    ran, but failed: a decode error, a socket error, a file not read or written\n  2    bad flags or values: nothing was run\n  130  stopped by Ctrl-C (143: by SIGTERM); the summary and recording are still written", "退出码：\n  0    完成，且每一帧都解码成功\n  1    运行了，但失败了：解码错误、套接字错误、文件读写失败\n  2    参数或取值错误：什么都没有运行\n  130  被 Ctrl-C 中断（SIGTERM 为 143）；汇总和录制照样写出"),
    // The lessons' explanations (presets::Preset::summary): one paragraph each.
    LessonSlowReader => ("The receiver starts reading 50 ms late, so all 12 messages are already waiting in its kernel buffer. Look at the recv() lane: one recv(512) returns several whole messages at once (orange, 粘包), and a message that straddles the 512-byte limit is cut in two (✂, 半包). Nothing was lost or reordered; the stream simply has no message boundaries, and recv(N) returns whatever is there, up to N. This is the receiver-side sticky packet of the seed course: it happens whenever the reader runs later than the sender, whatever Nagle does.", "接收方晚 50 ms 才开始读，12 条消息已经全部躺在内核缓冲区里。看 recv() 一栏：一次 recv(512) 读到好几条完整的消息（橙色，粘包），跨过 512 字节边界的消息被切成两半（✂，半包）。数据没有丢也没有乱序，只是字节流本身没有消息边界，recv(N) 有多少就返回多少（最多 N 字节）。这就是教程里“接收方不及时接收缓冲区的包”造成的粘包：只要读的一方比写的一方慢，不管 Nagle 开不开都会发生。"),
    LessonNagleBurst => ("200 back-to-back 10-byte send() calls. Look at the wire lane, not the reads: with Nagle on, the kernel holds small writes while earlier data is unacknowledged and sends about 18 segments here (17 small ones, then one big one of the rest). Turn Nagle off (TCP_NODELAY) and the same writes leave as 35 to 200 segments. But turning Nagle off does NOT preserve message boundaries: whether recv() merges messages depends on when the reader thread runs, so reads can be merged with Nagle off and separate with it on. Only framing restores boundaries.", "连续 200 次 10 字节的 send()。请看 wire（报文段）一栏，而不是读取：开启 Nagle 时，只要前面的数据还没被确认，内核就攒着小数据不发，这里大约只发出 18 个报文段（17 个小的，最后一个大的装下其余数据）。关闭 Nagle（TCP_NODELAY）后同样的写入变成 35 到 200 个报文段。但关闭 Nagle 并不能保留消息边界：recv() 是否粘包取决于接收线程什么时候运行，关了 Nagle 也可能粘，开着也可能不粘。只有自定义报头（拆包协议）才能恢复边界。"),
    LessonJsonHeader => ("The seed's fix: before each message the sender writes a 4-byte struct.pack('i') length, then a JSON header {\"total_lenth\": N, \"md5\": …}, then the N-byte body. The reads still merge and split exactly as in slow-reader (look at the recv() lane), but the frames lane shows every message rebuilt whole and equal to what was sent (green ✓). The receiver must loop until it has the 4 bytes, the header and the body; one recv() per part is not enough (see naive-header).", "教程的解决办法：每条消息前先发 4 字节的 struct.pack('i') 报头长度，再发 JSON 报头 {\"total_lenth\": N, \"md5\": …}，最后发 N 字节数据。读取依然像 slow-reader 那样粘包、半包（看 recv() 一栏），但 frames 一栏里每条消息都被完整地拼回来，并且与发送的内容一致（绿色 ✓）。接收方必须循环读取，直到收齐 4 字节、报头和数据；每部分只 recv() 一次是不够的（见 naive-header）。"),
    LessonNaiveHeader => ("The fix done wrong, as the seed's client does it: one recv(4) for the length, then one recv(len) for the body, trusting each call to return everything asked. Here each 2500-byte message is written in 1000-byte pieces 20 ms apart, so recv(len) returns only the first piece. The decoder takes the next body bytes as the next length header and goes out of step (red decode error). recv(n) returns at most n bytes, never exactly n: a correct receiver loops until it has them all.", "错误的拆包，和教程客户端的写法一样：先 recv(4) 取长度，再 recv(len) 取数据，以为每次调用都能收全。这里每条 2500 字节的消息分成 1000 字节、间隔 20 ms 写出，recv(len) 只拿到第一块；解码器把后面的数据当成下一个长度报头，从此错位（红色的解码错误）。recv(n) 最多返回 n 字节，并不保证正好 n 字节：正确的接收方要循环读到收齐为止。"),
    LessonUdpEcho => ("The seed's UDP echo and chat programs: the same 12 messages sent as datagrams, one sendto() each, and read with recvfrom(1024). In the UDP panel every datagram arrives whole and alone: one sendto() is exactly one recvfrom(), so UDP never sticks packets together (no 粘包). Compare the TCP lanes of the same run, where a late reader merges the messages. The price of UDP is elsewhere: see udp-truncate and udp-flood.", "对应教程的 UDP 回显和 QQ 聊天程序：同样的 12 条消息用数据报发送，每条一次 sendto()，用 recvfrom(1024) 接收。在 UDP 面板里每个数据报都完整、单独到达：一次 sendto() 正好对应一次 recvfrom()，所以 UDP 永远不会粘包。对比同一次运行里的 TCP 各栏，晚读的接收方把消息粘在了一起。UDP 的代价在别处：见 udp-truncate 和 udp-flood。"),
    LessonFirehose => ("Bulk transfer: 1 GiB written as 16,384 sends of 64 KiB and read with recv(65536). At this scale message boundaries mean nothing; watch the throughput (MB/s in the stats strip) and how the timeline stays fluid by drawing one column per pixel. With segment capture on, the wire lane shows the kernel's large loopback segments.", "大批量传输：以 16384 次 64 KiB 的 send() 写入共 1 GiB，用 recv(65536) 读取。在这种规模下消息边界毫无意义；请看统计栏里的吞吐量（MB/s），以及时间线如何按像素列绘制而保持流畅。开启抓包时，wire 一栏显示内核在回环上切出的大报文段。"),
    LessonUdpTruncate => ("The same messages as UDP datagrams read with recvfrom(100). Boundaries are kept (no 粘包), but a datagram bigger than the 100-byte buffer is cut: the first 100 bytes are returned, the tail is discarded and no later read returns it. Linux and macOS do it without an error; Windows fails that recvfrom() with WSAEMSGSIZE (10040, Python's OSError: [WinError 10040]) after filling the buffer: the same program behaves differently per OS, and the tail is lost on all three. The UDP panel shows each datagram's real length (MSG_TRUNC on Linux, a peek elsewhere) next to what was read. This is the seed's warning: recvfrom(x) for a sendto(y) with y > x loses data.", "同样的消息用 UDP 数据报发送，用 recvfrom(100) 接收。边界保留（不会粘包），但超过 100 字节缓冲区的数据报被截断：只返回前 100 字节，尾部被丢弃，之后的读取也拿不到。Linux 和 macOS 不报错；Windows 的 recvfrom() 在填满缓冲区后以 WSAEMSGSIZE（10040，Python 的 OSError: [WinError 10040]）失败：同一个程序在不同系统上表现不同，而尾部在三者上都丢了。UDP 面板在读到的长度旁边显示每个数据报的真实长度（Linux 用 MSG_TRUNC，其他系统先 peek）。这就是教程说的：recvfrom(x) 对应的 sendto(y) 若 y > x，数据就丢了。"),
    LessonUdpFlood => ("2000 datagrams of 64 bytes sent as fast as possible into a receive buffer of 4096 bytes (the kernel doubles it to 8192, and each datagram costs far more than its 64 bytes of it), read by a receiver that starts 50 ms late. When the buffer is full the kernel silently drops whole datagrams: the UDP panel marks them dropped and the summary counts them exactly, by the sequence numbers the messages carry. TCP never does this: a full buffer makes the sender wait instead.", "2000 个 64 字节的数据报全速发往只有 4096 字节的接收缓冲区（内核翻倍成 8192，而每个数据报占用的远不止 64 字节），接收方还晚 50 ms 才开始读。缓冲区满了，内核就悄悄丢掉整个数据报：UDP 面板把它们标为丢失，摘要按消息里带的序号精确计数。TCP 不会这样：缓冲区满时发送方会等待。"),
    LessonUdpEmpty => ("Five empty messages, sent over UDP and over TCP. Each empty sendto() is a real datagram: the UDP receiver gets five reads of 0 bytes, as the seed's time server relies on (an empty message asks for the default format). Over TCP an empty send() puts nothing on the stream: the TCP lanes stay empty, and a recv() that returns 0 bytes means only one thing, that the peer closed. That is why the seed's TCP programs skip empty input ('if not msg: continue').", "5 条空消息，分别用 UDP 和 TCP 发送。每次空的 sendto() 都是一个真实的数据报：UDP 接收方得到 5 次 0 字节的读取，教程里的时间服务器正是靠它（空消息表示用默认格式）。而 TCP 的空 send() 不会往流里放任何东西：TCP 各栏是空的，recv() 返回 0 字节只有一个意思——对方关闭了连接。所以教程的 TCP 程序要跳过空输入（if not msg: continue）。"),
    LessonEcho => ("The seed's echo server, request by request: the client sends a request (a 4-byte length, then 96 bytes, written as two send() calls: write, write, then read the reply) and the server answers it upper-cased. Both directions are drawn: requests on the main axis, replies on their own axis below. Look at the latency plot: with Nagle on, most requests take about 40 ms, because Nagle holds the body until the header is acknowledged, and the server delays that ACK (Linux delayed ACK, ~40 ms) since it has nothing to send until the body arrives. Turn Nagle off, or send header and body in one send(), and each request takes microseconds.", "教程的回显服务器，一问一答：客户端发送请求（先 4 字节长度，再 96 字节数据，分两次 send()：写、写、然后读回复），服务端把它转成大写发回来。两个方向都画出来了：请求在主轴上，回复在下面单独的轴上。请看延迟图：开启 Nagle 时大多数请求要约 40 ms，因为 Nagle 要等报头被确认才发送数据部分，而服务端在收到数据之前没有东西要发，于是推迟了这个 ACK（Linux 延迟确认，约 40 ms）。关闭 Nagle，或者把报头和数据放在一次 send() 里发送，每个请求只要几微秒。"),
    LessonBigReply => ("The seed's remote-command (\"ssh\") lesson: each command gets 2500 bytes of output back, and the client reads it with one recv(1024) per command, as the seed's client does. Look at the reply axis: the first read takes only the first 1024 bytes of reply 0; the read made for the next command returns the next 1024 bytes of reply 0, not the start of reply 1. The client falls further behind with every command, showing old output under new commands; what is left comes out only after the last command. The fix is the json-header lesson: send the length first and read until you have it all. The seed's server also warns about a client that dies: on Linux and macOS its recv() returns empty (b''), on Windows it fails with ConnectionResetError (WSAECONNRESET, 10054); the app reports whichever the OS said.", "教程“模拟 ssh 远程执行命令”一课：每条命令返回 2500 字节的结果，客户端像教程里那样每条命令只 recv(1024) 一次。请看回复轴：第一次读取只拿到回复 0 的前 1024 字节；为下一条命令做的读取拿到的是回复 0 接下来的 1024 字节，而不是回复 1 的开头。每多一条命令，客户端就落后更多，新命令下面显示的是旧的输出；剩下的内容要到最后一条命令之后才读出来。解决办法见 json-header：先发长度，再循环读到收齐为止。教程的服务器还提醒了客户端突然断开的情况：Linux 和 macOS 上 recv() 返回空（b''），Windows 上则抛出 ConnectionResetError（WSAECONNRESET，10054）；本应用如实显示操作系统的报告。"),
    LessonHmacHandshake => ("The seed's connection check: before any request, the server sends 32 random bytes (os.urandom(32)) and the client must answer with an HMAC of them under the shared key; here HMAC-SHA256 (the seed's hmac.new(key, msg) had no digest argument, which in Python before 3.8 meant MD5, 16 bytes). Look at the first frames of both axes: the 32-byte challenge on the reply axis and the 32-byte answer on the request axis are stream bytes like any other, checked (✓) before the echo starts. The seed reads the answer with one recv(len(digest)), which can return fewer bytes, the same short-read risk as naive-header; a correct server loops until it has them all. Try hmac-wrong-key to see a client refused.", "教程的“认证客户端的链接合法性”：在任何请求之前，服务端先发 32 个随机字节（os.urandom(32)），客户端必须用共享密钥对它计算 HMAC 并发回；这里用 HMAC-SHA256（教程里 hmac.new(key, msg) 没有指定摘要算法，在 Python 3.8 以前默认是 MD5，16 字节）。请看两条轴上的第一帧：回复轴上 32 字节的挑战和请求轴上 32 字节的应答，和其他数据一样都是字节流，校验通过（✓）后才开始回显。教程用一次 recv(len(digest)) 读应答，它可能返回更少的字节，和 naive-header 一样有读不全的风险；正确的服务端要循环读到收齐为止。试试 hmac-wrong-key，看客户端被拒绝。"),
    LessonHmacWrongKey => ("The seed's illegal client, which does not know the secret key: it answers the server's 32-byte challenge with an HMAC under another key. The server compares in constant time, finds a mismatch, refuses (red frame and problem line) and closes the connection; the client's first request never gets a reply, and the client sees the connection closed or reset. Nothing about TCP tells a legitimate client from another: the check is the application's own handshake, carried in the same byte stream.", "教程里不知道密钥的“非法客户端”：它用另一个密钥对服务端的 32 字节挑战计算 HMAC。服务端做常数时间比较，发现不一致，拒绝（红色的帧和问题提示）并关闭连接；客户端的第一个请求得不到回复，看到的是连接被关闭或重置。TCP 本身分辨不出合法与非法的客户端：校验是应用自己的握手，走的是同一条字节流。"),
    LessonManyClients => ("The seed's socketserver lesson: three clients connect to one server at the same time, and the server (like ThreadingTCPServer) serves each connection in its own thread with recv(1024) and send(data.upper()). Each connection is its own byte stream: connection 0 is the main timeline, connections 1 and 2 have their own lane groups below, each with its own message and read boundaries. Bytes never cross from one connection to another, and 粘包 or 半包 on one stream says nothing about the others: framing is per connection. The requests of the three clients interleave in time, which the latency plot of each connection shows.", "教程的 socketserver 并发一课：三个客户端同时连接同一个服务端，服务端（像 ThreadingTCPServer 那样）为每个连接开一个线程，recv(1024) 后 send(data.upper())。每个连接都是独立的字节流：连接 0 是主时间轴，连接 1、2 在下面各有自己的一组栏，各有各的消息边界和读取边界。字节不会从一个连接跑到另一个连接，一条流上的粘包、半包与其他连接无关：拆包是按连接进行的。三个客户端的请求在时间上交错，每个连接的延迟图都能看到。"),
    // issue 15: the window's layout, file dialogs and lessons that survive tweaks
    Cancel => ("Cancel", "取消"),
    SystemFileDialog => ("Use the system's file dialog", "使用系统的文件对话框"),
    SystemFileDialogTip => ("Off: Open… and Save… ask for a path inside the window (for desktops without a file dialog portal).", "关闭时，“打开…”和“保存…”在窗口内输入路径（适用于没有文件对话框门户的桌面）。"),
    DrawerSettings => ("⚙ Settings", "⚙ 设置"),
    DrawerEvents => ("☰ Events", "☰ 事件"),
    DrawerUdp => ("UDP", "UDP"),
    ViewMenu => ("View", "视图"),
    LessonModified => ("modified: {changes}", "已修改：{changes}"),
    BackToLesson => ("↺ back to the lesson", "↺ 回到本课设置"),
    BackToLessonTip => ("Restore this lesson's own settings and run it again.", "恢复本课自带的设置并重新运行。"),
    PictureStale => ("The picture shows the previous settings: run again to see these.", "图中仍是之前设置的结果：重新运行才能看到新设置的效果。"),
    ChangedOther => ("other settings", "其他设置"),
    CliWindowOnly => ("opens the window, so it cannot go with a subcommand (stickyviz [RECORDING.json] [--preset NAME] [--projector])", "用于打开窗口，不能与子命令一起使用（stickyviz [RECORDING.json] [--preset NAME] [--projector]）"),
    FlagRecording => ("Open this recording (.json) in the window", "在窗口中打开这个录制文件（.json）"),
    FlagWindowPreset => ("Open the window on this lesson (see `stickyviz presets`)", "打开窗口时直接进入这一课（见 `stickyviz presets`）"),
    FlagProjector => ("Open the window in projector mode (large text, high contrast)", "以投影模式打开（大字号、高对比度）"),
    FlagRenderProjector => ("Draw the window in projector mode (PNG only)", "按投影模式画出窗口（仅 PNG）"),
    // A setting's allowed values (config::Setting::allowed): "1 to 1,048,576", not "1..=1048576".
    RangeText => ("{min} to {max}", "{min} 到 {max}"),
    FramingNoneName => ("{name}", "{name}（不拆包）"),
    AllowedSize => ("N or A-B with {range}", "N 或 A-B，其中 {range}"),
    AllowedSplit => ("whole, header-body or a chunk size {range}", "whole、header-body 或分块大小 {range}"),
    // issue 17a: bounded end to end, progress on long work
    ProgressRun => ("{events} events • {bytes} received • {rate}/s", "{events} 个事件 • 已接收 {bytes} • {rate}/s"),
    ProgressDecode => ("{bytes} of {total} decoded • {frames} frames", "已解码 {bytes} / {total} • {frames} 帧"),
    ProgressLoad => ("reading {path}", "正在读取 {path}"),
    ProgressDraw => ("drawing {path}", "正在绘制 {path}"),
    ProgressListen => ("{events_seen} events • {bytes} received • {clients} clients", "{events_seen} 个事件 • 已接收 {bytes} • {clients} 个客户端"),
    SumQueueWaits => ("waits for the app", "等待本程序"),
    SumQueueWaitsValue => ("{waits} ({ms} ms in all: in those moments the run went at the app's pace, not the kernel's)", "{waits} 次（共 {ms} ms：这些时刻实验按本程序的速度进行，而不是内核的）"),
    QueueWaited => ("The app fell behind: the run's threads waited {ms} ms in all ({waits} times) for it to catch up; in those moments the timings are the app's, not the kernel's. Counts stay exact.", "本程序跟不上：实验的线程一共等待了 {ms} ms（{waits} 次）；这些时刻的时间是本程序造成的，而不是内核的。统计仍然准确。"),
    CliRecordingOrSettings => ("a recording is shown as it was recorded: settings flags cannot change it (drop them, or drop the file to run them)", "录制文件按录制时的样子显示，设置参数改变不了它（去掉这些参数，或去掉文件来运行它们）"),
    // issue 20 part A: the class session (listen --tcp) and its roster
    PeerRefusedLine => ("stickyviz: the class session is full ({limit} clients connected, all sending); try again in a moment\n", "stickyviz：课堂会话已满（已有 {limit} 个客户端连着，而且都在发送）；请稍后再试\n"),
    ClassTotalsHeader => ("class session, all clients together:", "课堂会话，全部客户端合计："),
    ClassClients => ("clients", "客户端"),
    ClassConnectedNow => ("still connected", "仍然连着"),
    ClassBytes => ("bytes received", "收到的字节"),
    ClassFrames => ("frames decoded", "解出的帧"),
    ClassDecodeErrors => ("decode errors", "解码错误"),
    ClassReads => ("reads (recv calls)", "读取（recv 调用）"),
    ClassMerged => ("reads merged (粘包)", "合并的读取（粘包）"),
    ClassSplit => ("frames split (半包)", "被切开的帧（半包）"),
    ClientCuts => (" · {reads} reads: {merged_reads} merged (粘包), {split_frames} frames split (半包), {decode_errors} decode errors", " · {reads} 次读取：{merged_reads} 次合并（粘包），{split_frames} 帧被切开（半包），{decode_errors} 个解码错误"),
    ClientErrorsOnly => (" · {decode_errors} decode errors", " · {decode_errors} 个解码错误"),
    RosterTitle => ("Class roster", "课堂名单"),
    RosterHelp => ("One row per client that connected. Click a column title to sort by it; click a row to put that client's stream on the main timeline above.", "每个连接过的客户端一行。点列标题按该列排序；点一行，把这个客户端的字节流放到上方的主时间线上。"),
    RosterNoClients => ("No client yet: students point their client at the address above.", "还没有客户端：学生把自己的客户端连到上面的地址。"),
    RosterColClient => ("client", "客户端"),
    RosterColBytes => ("bytes", "字节"),
    RosterColFrames => ("frames", "帧"),
    RosterColErrors => ("errors", "错误"),
    RosterColMerged => ("merged", "合并"),
    RosterColSplit => ("split", "切开"),
    RosterColResult => ("result", "结果"),
    RosterTipClient => ("The client's address and port, as the listener saw it", "监听方看到的客户端地址和端口"),
    RosterTipBytes => ("Bytes the listener received from this client", "监听方从这个客户端收到的字节"),
    RosterTipFrames => ("Frames decoded whole from this client's stream", "从这个客户端的字节流里完整解出的帧"),
    RosterTipErrors => ("Decode errors: a header the decoder could not accept, or a frame cut off by the end of the stream", "解码错误：解码器无法接受的报头，或被流的结束截断的帧"),
    RosterTipMerged => ("Reads that returned the end of one frame and bytes of the next (粘包): one recv() got several of the client's send()s. Normal for TCP; framing is what sorts it out", "返回了一帧的结尾和下一帧的字节的读取（粘包）：一次 recv() 收到了客户端多次 send() 的数据。对 TCP 来说很正常，靠拆包协议来分开"),
    RosterTipSplit => ("Frames a read ended inside of (半包): the listener had to recv() again to finish them. Normal for TCP; a server that trusts one recv() per frame breaks here", "有一次读取结束在其中间的帧（半包）：监听方要再 recv() 一次才能读完。对 TCP 来说很正常；认为一次 recv() 就是一帧的服务器会在这里出错"),
    RosterTipResult => ("How the connection ended; hover a result for the whole story", "连接是怎样结束的；把鼠标放在结果上看完整说明"),
    RosterNotRecorded => ("Not counted: without framing there are no frames to classify the reads against", "没有统计：不拆包时没有帧可用来给读取分类"),
    RosterNoStream => ("This client's stream was not recorded (it sent nothing, or came after the first {streams} streams); its counts in this row are exact", "这个客户端的字节流没有录下来（它什么也没发，或者来在前 {streams} 个字节流之后）；这一行的计数是准确的"),
    RosterShowing => ("Main timeline: client {peer}", "主时间线：客户端 {peer}"),
    RosterConnected => ("connected", "连接中"),
    RosterServed => ("✔ served", "✔ 已服务"),
    RosterSentNothing => ("sent nothing", "什么也没发"),
    RosterMidFrame => ("✖ closed mid-frame", "✖ 帧中途关闭"),
    RosterReset => ("✖ reset", "✖ 被重置"),
    RosterDropped => ("✖ bad header", "✖ 坏报头"),
    RosterRefused => ("refused (full)", "被拒绝（已满）"),
    RosterEvicted => ("let go (silent)", "被断开（没发数据）"),
    RosterStopped => ("cut by Stop", "被停止打断"),
    RosterFailed => ("✖ failed", "✖ 失败"),
    ClassConnectTo => ("Connect to", "连接到"),
    ClassAddrHelp => ("Students point their client at this address and port. Listening on every interface ({bound}): each address of this machine is shown; use the one on the students' network.", "学生把客户端连到这个地址和端口。正在所有网卡上监听（{bound}）：列出了本机的每个地址，请用学生所在网络的那个。"),
    ClassLoopbackOnly => ("Listening on {ip} only: other machines cannot connect. For a class, start with --tcp 0.0.0.0:{port}", "只在 {ip} 上监听：其他机器连不上。上课时请用 --tcp 0.0.0.0:{port} 启动"),
    ClassNoAddrs => ("this machine has no network address besides loopback", "本机除了回环地址外没有网络地址"),
    // issue 19b: both directions on the wire lane (ACKs, receive window, retransmissions)
    ViolAckBeforeSegment => ("the ACK of byte {offset} is stamped {us} µs before the segment that carried it", "确认字节 {offset} 的 ACK 比承载它的报文段早 {us} µs"),
    SumAcks => ("ACKs (receiver → sender)", "ACK（接收方 → 发送方）"),
    SumZeroWindow => ("zero-window ACKs", "零窗口 ACK"),
    SumRetransmissions => ("retransmissions", "重传"),
    SumCaptureGapGso => ("{captured} of {total} captured ({gap} fewer packets than TCP_INFO's segments, though the capture dropped none: a link may drop packets before the capture sees them, and a recording made before GSO batches were cut up counts a packet bigger than the MSS as one)", "抓到 {captured} / {total}（包数比 TCP_INFO 的报文段数少 {gap} 个，但抓包没有丢失：链路可能在抓包点之前丢包；在 GSO 批被切分之前录制的文件把大于 MSS 的包算作一个）"),
    SumWindowProbes => ("window probes", "窗口探测"),
    SumMinWindow => ("smallest receive window", "最小接收窗口"),
    StatAcks => ("ACKs", "ACK"),
    NoteAcksNotCaptured => ("the receiver's ACKs were not captured: a run that may send more than {mib} MiB captures the data segments only, because capturing both directions made a 1 GiB transfer 25% slower", "未抓取接收方的 ACK：可能发送超过 {mib} MiB 的运行只抓数据报文段，因为双向抓包让 1 GiB 的传输慢了 25%"),
    LaneWireOneWay => ("wire — TCP segments (one way: a run over {mib} MiB does not capture the receiver's ACKs, to keep its speed)", "wire — TCP 报文段（单向：超过 {mib} MiB 的运行不抓接收方的 ACK，以免拖慢速度）"),
    StatZeroWindow => ("zero window", "零窗口"),
    StatRetransmissions => ("retransmitted", "重传"),
    LaneWireBoth => ("wire — segments, and the receiver's ACKs below (▲ ACK point, ● zero window, ? probe, ↻ retransmitted)", "wire — 报文段，下方是接收方的 ACK（▲ 确认点，● 零窗口，? 窗口探测，↻ 重传）"),
    AckTip => ("ACK at {ms} ms: bytes before {ack} arrived; receive window {window} B", "{ms} ms 的 ACK：字节 {ack} 之前的都已到达；接收窗口 {window} B"),
    ZeroWindowTip => ("zero window at {ms} ms: the receive buffer is full, the sender must stop at byte {ack}", "{ms} ms 零窗口：接收缓冲区已满，发送方必须停在字节 {ack}"),
    RetransmissionTip => ("retransmitted at {ms} ms: {len} B from byte {offset}, sent before", "{ms} ms 重传：{len} B，从字节 {offset} 起，之前已发过"),
    ProbeTip => ("window probe at {ms} ms: the sender asks whether the window has opened", "{ms} ms 窗口探测：发送方询问窗口是否已打开"),
    TimeAckPoint => ("ACK point", "确认点"),
    TimeWindowEdge => ("window edge (ACK + receive window)", "窗口右沿（确认点 + 接收窗口）"),
    TimeZeroWindow => ("zero window", "零窗口"),
    GaugeWindow => ("receive window {window} B", "接收窗口 {window} B"),
    GaugeZeroWindow => ("receive window 0: the sender must wait", "接收窗口为 0：发送方必须等待"),
    TtZeroWindowAt => ("zero window at +{at_us} µs: ACK {ack}, the sender must wait", "+{at_us} µs 零窗口：ACK {ack}，发送方必须等待"),
    TtMoreZeroWindow => ("… {count} more zero-window ACKs", "… 还有 {count} 个零窗口 ACK"),
    TtRetransmissionAt => ("retransmission at +{at_us} µs: {len} B from byte {offset}", "+{at_us} µs 重传：{len} B，从字节 {offset} 起"),
    LessonFlowControl => ("Flow control, the receiver's brake. The reader starts 300 ms late and then reads 1024 bytes every 2 ms, through a receive buffer of only 4096 bytes (the kernel makes it 8192); the send buffer is as small. The sender wants to push 128 KiB at once, far more than both buffers hold. Watch the story on the wire lane and in the Time view: the buffer fills, the window the receiver advertises in each ACK shrinks to zero (● zero window), the sender may send no further than the window edge (ACK point + window), so it stops, its send buffer fills and send() blocks (the written line stays flat), and it asks now and then whether there is room (? window probe). Each slow recv() frees room, the window opens, and the next segments leave. The buffer gauge shows the same thing from inside: a full receive buffer is a zero window. Nothing is lost: TCP never drops bytes because the reader is slow, it slows the sender down. How many zero-window ACKs and probes there are varies from run to run.", "流量控制：接收方的刹车。读取方晚 300 ms 才开始读，之后每 2 ms 读 1024 字节，而接收缓冲区只有 4096 字节（内核翻倍为 8192），发送缓冲区也一样小。发送方想一口气推出 128 KiB，远超两个缓冲区的容量。在 wire 一栏和时间视图里看整个过程：缓冲区被填满，接收方在每个 ACK 里通告的窗口缩小到零（● 零窗口），发送方不能越过窗口右沿（确认点 + 窗口）发送，于是停下来，发送缓冲区被填满，send() 阻塞（写入线变平），并不时询问是否有空间（? 窗口探测）。每次慢慢的 recv() 腾出空间，窗口打开，后面的报文段才发出去。缓冲区示意图从内部展示同一件事：接收缓冲区满就是零窗口。数据一个字节也不会丢：读得慢时 TCP 不丢数据，而是让发送方慢下来。零窗口 ACK 和窗口探测的个数每次运行都不同。"),
    // issue 19a: --mss, the link (a network namespace of the run's own), its lessons
    LabelMss => ("MSS (B)", "MSS（字节）"),
    HelpMss => ("TCP_MAXSEG on both ends: no segment carries more than N bytes of payload (minus 12 for TCP timestamps). Empty = the route's own (the kernel reports 32,741 on loopback here, 1448 on Ethernet).", "两端都设置 TCP_MAXSEG：每个报文段最多携带 N 字节数据（TCP 时间戳再占 12 字节）。留空 = 路由自己的值（这里回环上内核报告 32,741，以太网 1448）。"),
    LabelLink => ("link", "链路"),
    HelpLink => ("Run on a shaped link instead of plain loopback: mtu=1500,rate=20mbit,queue=20kb[,delay=20ms,loss=1%] (none = plain loopback). The sender and receiver run in a network namespace of their own (no root needed where the kernel allows unprivileged user namespaces); tc's tbf sets the rate and drops what overflows the queue; delay and loss need the kernel's sch_netem. Linux only.", "在整形过的链路上运行，而不是普通回环：mtu=1500,rate=20mbit,queue=20kb[,delay=20ms,loss=1%]（none = 普通回环）。发送方和接收方运行在自己的网络命名空间里（内核允许非特权用户命名空间时无需 root）；tc 的 tbf 限制速率并丢弃溢出队列的包；延迟和丢包需要内核的 sch_netem。仅限 Linux。"),
    AllowedLink => ("none, or fields mtu=576..65536, rate=8kbit..10gbit, queue=2kb..64mb, delay=0..10s, loss=0..100%", "none，或字段 mtu=576..65536、rate=8kbit..10gbit、queue=2kb..64mb、delay=0..10s、loss=0..100%"),
    SetLinkUnknownField => ("no link field '{name}'; allowed {allowed}", "链路没有字段“{name}”；允许 {allowed}"),
    SetLinkNotNameValue => ("'{part}' is not name=value; allowed {allowed}", "“{part}”不是 名称=值 的形式；允许 {allowed}"),
    SetLinkNotAValue => ("{field}: '{text}' is not a value; allowed {allowed}", "{field}：“{text}”不是有效的值；允许 {allowed}"),
    SetLinkOutOfRange => ("{field}: {value} is out of range; allowed {allowed}", "{field}：{value} 超出范围；允许 {allowed}"),
    LinkNeedsLinux => ("a link needs Linux (network namespaces and tc); this system has neither: run on plain loopback", "链路需要 Linux（网络命名空间和 tc），本系统都没有：请在普通回环上运行"),
    LinkRefused => ("the kernel refused a network namespace for the link ({step}: {error}). {how} Plain loopback runs still work (leave out --link).", "内核拒绝为链路创建网络命名空间（{step}：{error}）。{how} 普通回环运行不受影响（去掉 --link 即可）。"),
    LinkHowUsernsClone => ("Unprivileged user namespaces are switched off (kernel.unprivileged_userns_clone = 0): allow them with `sudo sysctl -w kernel.unprivileged_userns_clone=1`, or run as root.", "非特权用户命名空间被关闭了（kernel.unprivileged_userns_clone = 0）：用 `sudo sysctl -w kernel.unprivileged_userns_clone=1` 打开，或以 root 运行。"),
    LinkHowMaxZero => ("User namespaces are switched off (user.max_user_namespaces = 0): allow them with `sudo sysctl -w user.max_user_namespaces=15000`, or run as root.", "用户命名空间被关闭了（user.max_user_namespaces = 0）：用 `sudo sysctl -w user.max_user_namespaces=15000` 打开，或以 root 运行。"),
    LinkHowLimit => ("The limit of user or network namespaces is reached here (user.max_user_namespaces, user.max_net_namespaces; a container may set them to 0): raise it with `sudo sysctl -w user.max_user_namespaces=15000 user.max_net_namespaces=15000`, or run outside the container.", "这里的用户或网络命名空间数量已到上限（user.max_user_namespaces、user.max_net_namespaces；容器可能把它们设为 0）：用 `sudo sysctl -w user.max_user_namespaces=15000 user.max_net_namespaces=15000` 调高，或在容器外运行。"),
    LinkHowAppArmor => ("AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns = 1, Ubuntu 23.10 and later): allow them with `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`, or run as root.", "AppArmor 限制了非特权用户命名空间（kernel.apparmor_restrict_unprivileged_userns = 1，Ubuntu 23.10 及以后）：用 `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` 放开，或以 root 运行。"),
    LinkHowUnknown => ("No kernel setting explains it (a container's seccomp filter may forbid unshare): run as root, or outside the container.", "没有内核设置能解释这一点（容器的 seccomp 过滤可能禁止 unshare）：以 root 运行，或在容器外运行。"),
    LinkStepUnshare => ("unshare()", "调用 unshare()"),
    LinkStepIdMap => ("writing the uid/gid map", "写入 uid/gid 映射"),
    LinkStepLoopback => ("setting up lo", "配置 lo"),
    LinkToolMissing => ("the link needs the '{tool}' command of iproute2, which is not installed: `sudo apt-get install iproute2` (Debian, Ubuntu) or `sudo dnf install iproute-tc` (Fedora)", "链路需要 iproute2 的“{tool}”命令，但它没有安装：`sudo apt-get install iproute2`（Debian、Ubuntu）或 `sudo dnf install iproute-tc`（Fedora）"),
    LinkToolFailed => ("`{command}` failed ({status}): “{output}”", "`{command}` 失败（{status}）：“{output}”"),
    LinkNetemMissing => ("delay and loss need the kernel module sch_netem, which this kernel does not have (`modprobe sch_netem` fails; on Debian and Ubuntu it is in linux-modules-extra). Leave out delay= and loss=: rate and queue work without it, and a short queue drops packets too.", "延迟和丢包需要内核模块 sch_netem，而本内核没有（`modprobe sch_netem` 失败；Debian、Ubuntu 上它在 linux-modules-extra 里）。去掉 delay= 和 loss=：rate 和 queue 不需要它，短队列同样会丢包。"),
    LinkChildFailed => ("the link's child process failed before the run started ({why})", "链路的子进程在运行开始前失败了（{why}）"),
    FaultLinkChildEnded => ("the link's child process ended before its run finished ({status})", "链路的子进程在运行结束前退出了（{status}）"),
    LinkExitStatus => ("exit status {code}", "退出码 {code}"),
    LinkNoStatus => ("no exit status: killed by a signal", "没有退出码：被信号杀死"),
    CliLinkRunOnly => ("a link shapes the app's own sender and receiver, so it goes with `run` only; `send` talks to a server outside it (add --link none to a link lesson's preset)", "链路整形的是本应用自己的发送方和接收方，所以只能用于 `run`；`send` 连接的服务器不在链路里（对链路课程的预设可加 --link none）"),
    LessonRealMss => ("Loopback's MTU is 64 KB, so there a 10 KB message leaves as one segment. This run is on a link with an Ethernet MTU of 1500 bytes (MSS 1448: 1500 − 20 IP − 20 TCP − 12 timestamp option), in a network namespace of its own. Look at the wire lane: each 10,004-byte frame leaves as 7 segments, six of 1448 bytes and the rest, cut where the kernel decided, not where send() put the message. The recv(4096) lane cuts the stream somewhere else again. Three layers, three sets of boundaries: only the u32 length prefix tells where a message ends.", "回环的 MTU 是 64 KB，在那里一条 10 KB 的消息只是一个报文段。这次运行在 MTU 为 1500 字节（以太网）的链路上（MSS 1448 = 1500 − 20 IP − 20 TCP − 12 时间戳选项），位于它自己的网络命名空间里。看 wire 一栏：每个 10,004 字节的帧被切成 7 个报文段，六个 1448 字节加上剩下的部分，切在内核决定的地方，而不是 send() 放消息边界的地方。recv(4096) 一栏又在别处切开字节流。三层，三套边界：只有 u32 长度前缀能说明一条消息在哪里结束。"),
    LessonLossyLink => ("300 KB over a 20 Mbit/s link whose queue holds only 20 KB. TCP's sender speeds up until the queue overflows; the link drops the packets that do not fit, and the sender sends them again (the summary counts the retransmissions the kernel reports, TCP_INFO). Yet every frame arrives intact and in order (✓): TCP hides the loss from the application. Its price is time: a read cannot return bytes that come after a lost segment until the retransmission fills the hole (head-of-line blocking), so look in the Time view for reads that wait while later segments have already arrived. How many packets are lost varies from run to run; that some are is forced by the short queue.", "300 KB 数据经过一条 20 Mbit/s、队列只有 20 KB 的链路。TCP 发送方不断加速，直到队列溢出；链路丢掉放不下的包，发送方再重发（摘要里统计内核报告的重传次数，TCP_INFO）。但每一帧都完整、按序到达（✓）：TCP 对应用程序隐藏了丢包。代价是时间：丢失的报文段之后的字节，要等重传补上空洞才能被读到（队头阻塞），请在时间视图里找那些等待的读取，而后面的报文段其实早已到达。每次丢多少包会变化；有丢包则是短队列必然造成的。"),
    LessonUdpLossy => ("The same short-queued 20 Mbit/s link, with 200 UDP datagrams of 1000 bytes sent at once. The queue holds about 20 of them; the link drops the rest, and nothing sends them again: the UDP panel marks each missing datagram dropped, counted exactly by the sequence numbers the messages carry. The datagrams that arrive are whole and keep their boundaries; the ones that do not are simply gone. A UDP application that needs every message must number, acknowledge and resend them itself, which is what TCP does in lossy-link.", "同一条 20 Mbit/s、短队列的链路，一次发出 200 个 1000 字节的 UDP 数据报。队列大约只放得下 20 个；其余的被链路丢弃，而且没有人重发：UDP 面板把每个缺失的数据报标为丢失，按消息里带的序号精确计数。到达的数据报完整且保留边界；没到的就彻底没了。需要每条消息都送达的 UDP 应用必须自己编号、确认、重发，而这正是 lossy-link 里 TCP 做的事。"),
    LinkSection => ("Link", "链路"),
    LinkOn => ("run on a shaped link", "在整形链路上运行"),
    LinkOnTip => ("Run the sender and receiver in a network namespace of their own, on a loopback with a real MTU, a rate limit and a short queue (tc tbf): segments of MSS size, drops, retransmissions. No root needed where the kernel allows unprivileged user namespaces; if it does not, the run says why and how to allow it.", "让发送方和接收方运行在自己的网络命名空间里，回环设成真实的 MTU、限速和短队列（tc tbf）：报文段按 MSS 切分、丢包、重传都能看到。内核允许非特权用户命名空间时无需 root；不允许时，运行会说明原因和放开的方法。"),
    StatRetransmitted => ("retransmitted", "重传"),
    SumRetransmitted => ("retransmitted (TCP_INFO)", "重传 (TCP_INFO)"),
    // issue 20b: "test your server" (send --torture) and "test your client" (listen --torture)
    FlagSendTorture => ("Test an echo server: run fixed scenarios that cut frames the way a network can (1-byte writes, header apart from body, length prefix split, many frames in one write, empty and large bodies, two clients) and print pass/fail for each; the server must answer each frame in the same framing, as sent or upper-cased. Exit status 0 when every scenario passed, 1 when one failed", "测试回显服务器：运行一组固定场景，像网络可能做的那样切分帧（每次写 1 字节、报头与正文分开、长度前缀被切开、多帧一次写出、空正文与大正文、两个客户端），逐个打印通过/失败；服务器须用同样的分帧回答每一帧，原样或转成大写。全部通过时退出码 0，有失败时 1"),
    FlagListenTorture => ("Test a client: answer its frames (implies --echo) with replies cut the way a network can: one byte per write, header apart from body, two replies in one write; a client that reads a reply with one recv(1024) is caught", "测试客户端：回答它的每一帧（隐含 --echo），回复像网络可能做的那样切分：每次写 1 字节、报头与正文分开、两个回复一次写出；用一次 recv(1024) 读回复的客户端会露馅"),
    TortureNeedsFraming => ("--torture needs a framing with frames: --framing u32, seed-json, newline or naive-u32", "--torture 需要有帧的分帧方式：--framing u32、seed-json、newline 或 naive-u32"),
    TortureHeader => ("testing the server at {addr} with framing {framing}: each scenario on a new connection", "测试 {addr} 上的服务器，分帧 {framing}：每个场景用新连接"),
    TortureSummary => ("{passed} of {total} scenarios passed", "通过 {passed} 个，共 {total} 个场景"),
    TortureFailedNamed => ("the server failed {scenarios}: the reads of a correct server loop until they have the bytes they need", "服务器没有通过：{scenarios}。正确的服务器会循环读取，直到拿够所需的字节"),
    TortureOneFrame => ("one frame", "一帧"),
    TortureManyInOneWrite => ("many frames in one write", "多帧一次写出"),
    TortureByteWrites => ("1-byte writes", "每次写 1 字节"),
    TortureHeaderApart => ("header apart from body", "报头与正文分开"),
    TorturePrefixSplit => ("length prefix split", "长度前缀被切开"),
    TortureEmptyBody => ("empty body", "空正文"),
    TortureLargeBody => ("large body", "大正文"),
    TortureTwoClients => ("two clients at once", "两个客户端同时连接"),
    TortureOneFrameTip => ("One frame in one write: the baseline. On loopback it usually arrives in one recv(), so even a wrong server passes this one.", "一帧一次写出：基线。在回环上它通常一次 recv() 就到齐，所以连有错的服务器也能通过。"),
    TortureManyInOneWriteTip => ("20 frames in one write: 粘包. One recv() returns several frames; a server that answers each recv() as one message answers once, or mixes them up.", "20 帧一次写出：粘包。一次 recv() 返回好几帧；把每次 recv() 当成一条消息的服务器只回一次，或把它们混在一起。"),
    TortureByteWritesTip => ("Each byte in its own write, 15 ms apart: every recv() returns 1 byte, as it may on a slow link. A server that trusts recv(4) to return 4 bytes breaks here.", "每个字节单独写，相隔 15 ms：每次 recv() 只返回 1 字节，慢速链路上就可能这样。相信 recv(4) 一定返回 4 字节的服务器会在这里出错。"),
    TortureHeaderApartTip => ("The header, then the body 100 ms later (newline: the text, then its line end): 半包, a frame cut where a segment boundary may fall. A server that reads the body with one recv() before it has arrived gets nothing or a piece.", "先发报头，100 ms 后再发正文（newline：先发文字，再发换行）：半包，帧在可能的报文段边界处被切开。在正文到达前用一次 recv() 读正文的服务器什么也拿不到，或只拿到一部分。"),
    TorturePrefixSplitTip => ("The 4-byte length prefix itself in two writes (2 + 2 bytes), 100 ms apart: recv(4) returns 2 bytes. struct.unpack of 2 bytes fails, or a server reads a wrong length.", "4 字节长度前缀本身分两次写（2 + 2 字节），相隔 100 ms：recv(4) 只返回 2 字节。对 2 字节做 struct.unpack 会出错，或者服务器读出错误的长度。"),
    TortureEmptyBodyTip => ("A frame whose payload is empty (length 0). recv(0) returns b'' at once, which a server may take for 'the client closed'.", "正文为空（长度 0）的帧。recv(0) 立刻返回 b''，服务器可能把它当成“客户端已关闭”。"),
    TortureLargeBodyTip => ("A 1 MiB body: far more than one recv(1024) and more than loopback hands to one read. A server must loop until it has the whole body, while it sends its answer.", "1 MiB 的正文：远超一次 recv(1024)，也超过回环一次读能给的量。服务器必须循环读到整个正文，同时发出回答。"),
    TortureTwoClientsTip => ("A first client connects and stays silent; a second connects, sends a frame and must get its answer. A server that serves one client at a time (no threads) leaves the second waiting.", "第一个客户端连上后不说话；第二个连上、发一帧，必须得到回答。一次只服务一个客户端（没有线程）的服务器会让第二个一直等。"),
    TorturePass => ("pass", "通过"),
    TortureFail => ("FAIL", "失败"),
    TortureNotApplicable => ("n/a", "不适用"),
    TortureAnsweredUpper => ("every frame answered, upper-cased", "每帧都得到回答（大写）"),
    TortureAnsweredSame => ("every frame answered, as sent", "每帧都得到回答（原样）"),
    TortureNoSuchPart => ("this framing has no such part to cut", "这种分帧方式没有可切的这一部分"),
    TortureTimeout => ("no complete answer {waited_ms} ms after the last byte moved", "最后一个字节传输后 {waited_ms} ms 内没有得到完整回答"),
    TortureNotConcurrent => ("the second client got no complete answer in {waited_ms} ms while the first stayed connected: does the server serve one client at a time?", "第一个客户端保持连接时，第二个客户端 {waited_ms} ms 内没有得到完整回答：服务器是不是一次只服务一个客户端？"),
    TortureClosed => ("the server closed the connection before the whole answer (did it fail on a short read?)", "服务器在完整回答之前关闭了连接（是不是读得不够时出错了？）"),
    TortureReset => ("the server reset the connection ({error})", "服务器重置了连接（{error}）"),
    TortureConnectFailed => ("cannot connect ({error})", "无法连接（{error}）"),
    TortureSendFailed => ("send() failed ({error})", "send() 失败（{error}）"),
    TortureRecvFailed => ("recv() failed ({error})", "recv() 失败（{error}）"),
    TortureBadReply => ("the answer does not decode in this framing: {error}", "回答无法按这种分帧解码：{error}"),
    TortureWrongPayload => ("answer {answer} is neither the frame sent nor it upper-cased: the server lost the frame boundaries", "第 {answer} 个回答既不是发出的帧，也不是它的大写：服务器丢了帧边界"),
    TortureStopped => ("stopped before it ended", "结束前被停止"),
    TortureSentLabel => ("sent", "发出"),
    TortureBackLabel => ("back", "收回"),
    TortureOneWrite => ("1 write", "1 次写入"),
    TortureWrites => ("{count} writes", "{count} 次写入"),
    TortureWritesApart => ("{count} writes {ms} ms apart", "{count} 次写入，相隔 {ms} ms"),
    TortureSent => ("{bytes} B in {how}, frames {frames}: {preview}", "{bytes} B，{how}，共 {frames} 帧：{preview}"),
    TortureReceived => ("{bytes} B, whole frames {frames}: {preview}", "{bytes} B，完整的帧 {frames} 个：{preview}"),
    TortureNothingBack => ("nothing", "什么也没有"),
    TortureListSep => (", ", "、"),
    ServerTestMenu => ("Test your server", "测试你的服务器"),
    ServerTestMenuTip => ("Point the app at your own echo server and see which cut of the stream breaks it (the same as `stickyviz send --torture`).", "让本应用连到你自己的回显服务器，看看哪种切分会让它出错（与 `stickyviz send --torture` 相同）。"),
    ServerTestTitle => ("Test your server", "测试你的服务器"),
    ServerTestIntro => ("Your server must answer each frame with one frame in the same framing, its data as sent or upper-cased (data.upper()). Each scenario opens a new connection and cuts the frames the way a network can.", "你的服务器须用同样的分帧方式，对每一帧回答一帧，数据原样或转成大写（data.upper()）。每个场景打开新连接，像网络可能做的那样切分帧。"),
    ServerTestAddress => ("Address", "地址"),
    ServerTestAddressTip => ("Where your server listens: PORT (meaning 127.0.0.1:PORT) or HOST:PORT.", "你的服务器监听的地方：PORT（即 127.0.0.1:PORT）或 HOST:PORT。"),
    ServerTestFramingTip => ("How your server frames its messages: u32 = 4-byte big-endian length then data; seed-json = the course's struct.pack('i') + JSON header + body; newline = one line per message.", "你的服务器如何分帧：u32 = 4 字节大端长度加数据；seed-json = 课程的 struct.pack('i') + JSON 报头 + 正文；newline = 每条消息一行。"),
    ServerTestRun => ("▶ Run the tests", "▶ 运行测试"),
    ServerTestRunTip => ("Runs 8 scenarios one after the other, each within a few seconds; a failing one says what came back.", "依次运行 8 个场景，每个几秒之内结束；失败的场景会说明收回了什么。"),
    ServerTestStop => ("■ Stop", "■ 停止"),
    ServerTestWaiting => ("waiting…", "等待中…"),
    ServerTestBadAddress => ("'{address}' is not PORT or HOST:PORT", "'{address}' 不是 PORT 或 HOST:PORT"),
    // issue 25: failures around a run (describe/failure.rs); the OS's words stay quoted as data
    OsErrorQuoted => ("“{words}” ({code})", "“{words}”（{code}）"),
    OsErrorCode => ("os error {code}", "错误码 {code}"),
    RoleListener => ("listening socket", "监听套接字"),
    RoleSender => ("sender's socket", "发送方套接字"),
    RoleClient => ("client socket", "客户端套接字"),
    RoleUdpReceiver => ("UDP receiver's socket", "UDP 接收方套接字"),
    RoleUdpSender => ("UDP sender's socket", "UDP 发送方套接字"),
    RoleUdpSocket => ("UDP socket", "UDP 套接字"),
    SetupSocket => ("socket() for the {role}", "创建{role}的 socket()"),
    SetupSetOpt => ("setsockopt({opt}) on the {role}", "{role}的 setsockopt({opt})"),
    SetupNonBlocking => ("fcntl(O_NONBLOCK) on the {role}", "{role}的 fcntl(O_NONBLOCK)"),
    SetupBind => ("bind() of the {role} to {addr}", "{role}绑定 {addr} 的 bind()"),
    SetupListen => ("listen() on the listening socket", "监听套接字的 listen()"),
    SetupConnect => ("connect() of the {role} to {addr}", "{role}连接 {addr} 的 connect()"),
    SetupAccept => ("accept() of the app's own sender", "接受本程序自己发送方的 accept()"),
    SetupLocalAddr => ("getsockname() of the {role}", "{role}的 getsockname()"),
    SetupDup => ("dup() of the {role}", "{role}的 dup()"),
    SetupFailed => ("{call} failed: {error}", "{call} 失败：{error}"),
    SetupNotIpv4 => ("the {role} is bound to an address that is not IPv4", "{role}绑定的地址不是 IPv4"),
    SetupUnexpectedPeer => ("accept() returned a connection from {peer}, none of this run's clients", "accept() 收到来自 {peer} 的连接，它不是本次运行的客户端"),
    ListenCannot => ("cannot listen: {why}", "无法监听：{why}"),
    ListenCannotBind => ("cannot receive datagrams: {why}", "无法接收数据报：{why}"),
    Stdin => ("standard input", "标准输入"),
    Stdout => ("standard output", "标准输出"),
    FileOpen => ("cannot open {path}: {error}", "无法打开 {path}：{error}"),
    FileRead => ("cannot read {path}: {error}", "无法读取 {path}：{error}"),
    FileInflate => ("{path} starts like a gzip file but does not inflate: the decoder says {error}", "{path} 开头像 gzip 文件，却无法解压：解压器的原话 {error}"),
    FileCreate => ("cannot create {path}: {error}", "无法创建 {path}：{error}"),
    FileWrite => ("cannot write {path}: {error}", "无法写入 {path}：{error}"),
    RecTooBig => ("{path} is {size} bytes; recordings over {max} bytes are refused", "{path} 有 {size} 字节；超过 {max} 字节的录制文件不予打开"),
    RecFutureVersion => ("recording format version {found} is newer than this app understands (up to {max}); update stickyviz", "录制格式版本 {found} 比本程序能读的更新（最高 {max}）；请更新 stickyviz"),
    RecNotRecording => ("not a stickyviz recording: {why}", "不是 stickyviz 录制文件：{why}"),
    RecNotUtf8 => ("the file is not UTF-8 text (“{reason}”)", "文件不是 UTF-8 文本（原话：“{reason}”）"),
    RecNotJson => ("the file is not valid JSON (serde_json says “{reason}”)", "文件不是合法的 JSON（serde_json 的原话：“{reason}”）"),
    RecNotObject => ("the file is JSON but not an object with \"format\" and \"version\" fields", "文件是 JSON，但不是带 \"format\" 和 \"version\" 字段的对象"),
    RecWrongFormat => ("the \"format\" field is not \"{format}\"", "\"format\" 字段不是 \"{format}\""),
    RecNoVersion => ("no \"version\" field", "没有 \"version\" 字段"),
    RecVersionNotNumber => ("\"version\" is not a whole number", "\"version\" 不是整数"),
    RecVersionZero => ("\"version\" is 0; versions start at 1", "\"version\" 为 0；版本号从 1 开始"),
    RecNumberTooBig => ("event {event} holds the number {number}, above the largest a recording may hold (2^53)", "第 {event} 个事件含有数字 {number}，超过录制文件允许的最大值（2^53）"),
    RecFields => ("its fields do not fit this version (serde_json says “{reason}”)", "它的字段与本版本不符（serde_json 的原话：“{reason}”）"),
    PcapNoPackets => ("no packets to export: {why}", "没有可导出的数据包：{why}"),
    PcapUnavailable => ("the run captured no packets: {reason}", "这次运行没有抓到数据包：{reason}"),
    PcapPositionsOnly => ("this recording kept segment positions but not their packets (made by an older stickyviz)", "这个录制文件只保留了报文段的位置，没有保留数据包（由较旧的 stickyviz 录制）"),
    PcapNoSegments => ("the run captured no TCP data segments", "这次运行没有抓到 TCP 数据报文段"),
    CliListenNeedsHeadless => ("this build opens no window for listen; add --headless", "这个版本不能为 listen 打开窗口；请加上 --headless"),
    CliPngNeedsGui => ("PNG needs the window, and this build has no GUI (built without the `gui` feature); write an .svg instead, or build with the default features", "PNG 需要窗口，而这个版本没有图形界面（编译时没开 `gui` 特性）；请改写 .svg，或用默认特性编译"),
    RenderGpuFailed => ("the renderer failed: “{error}” (is Mesa's Vulkan/GL driver installed? e.g. apt install mesa-vulkan-drivers)", "渲染器出错：“{error}”（装了 Mesa 的 Vulkan/GL 驱动吗？例如 apt install mesa-vulkan-drivers）"),
    DecodeInputTooBig => ("the input is larger than {max} bytes; decode a smaller piece of it", "输入超过 {max} 字节；请解码其中较小的一段"),
    CliNotOneOf => ("'{text}' is not one of: {allowed}", "'{text}' 不是以下之一：{allowed}"),
    SumWritesShortIgnored => ("{writes} ({short} short: send() took fewer bytes than asked, and the program ignored the count: the rest was never sent)", "{writes}（其中 {short} 次短写入：send() 接收的字节少于请求，而程序忽略了返回值：其余部分从未发送）"),
    CloseWireLabel => ("close: {what}", "关闭：{what}"),
    TtNeverSent => ("{msg} at +{at} µs: {bytes} B never sent (send() took fewer, its count ignored); the stream goes on at offset {offset}", "{msg} 于 +{at} µs：{bytes} B 从未发送（send() 接收得更少，返回值被忽略）；字节流从偏移 {offset} 继续"),
    LabelSendCall => ("Send call", "发送方式"),
    SendCallTip => ("sendall: send() again for the rest until every byte is taken. send: one send() per message with its count ignored, as the course's programs do: a send() that cannot hand the kernel everything before the send timeout (SO_SNDTIMEO, 20 ms, as Python's settimeout gives) returns how many bytes it took, and the rest is never sent. TCP loses nothing either way.", "sendall：对剩下的部分再次调用 send()，直到每个字节都交给内核。send：每条消息只调用一次 send() 并忽略返回值，和教程的程序一样：在发送超时（SO_SNDTIMEO，20 ms，相当于 Python 的 settimeout）之前交不完的 send() 会返回它接收了多少字节，其余的就再也没有发出。两种方式 TCP 都不丢数据。"),
    SendCallSendall => ("sendall (until all is taken)", "sendall（直到全部交出）"),
    SendCallSend => ("send, count ignored", "send，忽略返回值"),
    HelpSendCall => ("How the sender calls send(): sendall = again for the rest until every byte is taken (the default); send = once per message with its count ignored, so what a short write did not take is never sent (the send-vs-sendall lesson).", "发送方如何调用 send()：sendall = 对剩下的部分再次调用，直到每个字节都交出（默认）；send = 每条消息一次并忽略返回值，短写入没交出的部分就再也不发（send-vs-sendall 课）。"),
    LabelReuseAddr => ("Server's SO_REUSEADDR", "服务端的 SO_REUSEADDR"),
    ReuseAddrTip => ("Both servers set SO_REUSEADDR before bind() (on) or not (off). The server that closed first leaves its end of the connection in TIME_WAIT for about 60 s on Linux; without SO_REUSEADDR the port stays taken meanwhile and the second server's bind() fails with EADDRINUSE. On Linux both the old and the new socket must set it. It never lets a server bind a port another server still listens on (Windows differs: there SO_REUSEADDR allows that, SO_EXCLUSIVEADDRUSE forbids it).", "两个服务端在 bind() 之前都设置 SO_REUSEADDR（开）或都不设置（关）。先关闭的服务端会让它那一端的连接在 TIME_WAIT 停留约 60 秒（Linux）；不设 SO_REUSEADDR，端口在这期间一直被占着，第二个服务端的 bind() 失败，报 EADDRINUSE。在 Linux 上，旧套接字和新套接字都必须设置它。它从不允许绑定另一个服务端仍在监听的端口（Windows 不同：那里 SO_REUSEADDR 允许这样做，SO_EXCLUSIVEADDRUSE 禁止）。"),
    HelpReuseAddr => ("Restart the server on its port right after it closed first (the address-in-use lesson): with SO_REUSEADDR set before bind() on both servers (on) or not (off).", "服务端先关闭后立刻在同一端口重启（address-in-use 课）：两个服务端在 bind() 前都设置 SO_REUSEADDR（on）或都不设置（off）。"),
    StatNeverSent => ("bytes never sent (by the program)", "从未发送的字节（程序所致）"),
    NeverSentMark => ("never sent: {bytes} B", "从未发送：{bytes} B"),
    NeverSentTip => ("send() took fewer bytes than asked and the program ignored its count: these bytes were never handed to the kernel. They have no place on the stream: the next write follows right after what send() took. TCP lost nothing.", "send() 接收的字节少于请求，而程序忽略了返回值：这些字节从未交给内核。它们在字节流上没有位置：下一次写入紧接在 send() 接收的字节之后。TCP 什么也没丢。"),
    SumNeverSent => ("never sent", "从未发送"),
    SumNeverSentValue => ("{bytes} B, by the program: send() took fewer bytes than asked and its count was ignored; not lost by TCP", "{bytes} B，程序所致：send() 接收的字节少于请求，返回值被忽略；不是 TCP 丢的"),
    RestartTitle => ("The server closes first, then starts again on its port", "服务端先关闭，然后在同一端口重新启动"),
    SideServer => ("server", "服务端"),
    SideClient => ("client", "客户端"),
    CloseFin => ("{side} sent FIN (nothing more to send)", "{side}发出 FIN（不再发送数据）"),
    CloseAck => ("{side} sent ACK", "{side}发出 ACK"),
    CloseNotCaptured => ("The closing handshake (FIN, ACK) was not captured: {why}", "关闭握手（FIN、ACK）没有被抓到：{why}"),
    TableListed => ("socket table after close(): the {side}'s end {local} ↔ {remote} is {state}", "close() 之后的套接字表：{side}这一端 {local} ↔ {remote} 处于 {state}"),
    TableGone => ("socket table after close(): the {side}'s end {local} ↔ {remote} is gone (closed)", "close() 之后的套接字表：{side}这一端 {local} ↔ {remote} 已经消失（已关闭）"),
    TableUnreadable => ("socket table: /proc/net/tcp could not be read: {error}", "套接字表：无法读取 /proc/net/tcp：{error}"),
    TableNotLinux => ("socket table: not read on this OS (the app reads Linux's /proc/net/tcp; here `netstat -an` lists TIME_WAIT)", "套接字表：在这个操作系统上不读取（本应用读的是 Linux 的 /proc/net/tcp；这里可以用 `netstat -an` 查看 TIME_WAIT）"),
    TimeWaitWhy => ("The side that closed first waits in TIME_WAIT (about 60 s on Linux): a late segment of this connection cannot be taken for one of a new connection on the same ports, and its last ACK can be sent again if it was lost. Meanwhile its port is in use.", "先关闭的一方要在 TIME_WAIT 等待（Linux 上约 60 秒）：这样这条连接迟到的报文段不会被当成同一对端口上新连接的数据，而且最后一个 ACK 丢了还能重发。在此期间它的端口一直被占用。"),
    BindWhileListening => ("bind() to port {port} while the first server still listens, SO_REUSEADDR {reuse}: {result}", "第一个服务端仍在监听时 bind() 端口 {port}，SO_REUSEADDR {reuse}：{result}"),
    BindAfterClose => ("bind() to port {port} right after the first server closed, SO_REUSEADDR {reuse}: {result}", "第一个服务端刚关闭就 bind() 端口 {port}，SO_REUSEADDR {reuse}：{result}"),
    BindBound => ("bound", "绑定成功"),
    BindAddrInUse => ("address already in use (EADDRINUSE): {error}", "地址已被占用（EADDRINUSE）：{error}"),
    BindFailedOther => ("failed: {error}", "失败：{error}"),
    WindowsReuseNote => ("Windows differs (Microsoft's documentation; not checked by this run): there SO_REUSEADDR lets a second socket take a port already in use, and SO_EXCLUSIVEADDRUSE prevents that.", "Windows 不同（依据微软的文档，本次运行无法验证）：在那里 SO_REUSEADDR 允许第二个套接字占用已被使用的端口，而 SO_EXCLUSIVEADDRUSE 阻止这样做。"),
    LessonSendVsSendall => ("The course's table of socket methods says s.send() loses data when the data is larger than the free space of the local buffer, and that s.sendall() does not. Nothing is lost. Here the sender's socket has a send timeout (SO_SNDTIMEO, 20 ms: what Python's settimeout() gives), 8 KiB buffers and a slow reader, so no send() of a 60,004-byte message can hand the kernel all of it in time: each returns how many bytes it took, fewer than asked, a short write (the stats count them). This program ignores that number, as the course's does: the rest of each message, hatched on the send() lane as never sent with its count, was never given to TCP, and the next message follows right after the bytes that were. The receiver gets exactly the bytes send() took, in order; its decoder, trusting the length the first header promised, runs into the next message, so its frames come out wrong (✗) or end in an error. The data was dropped by the program, not lost by TCP. Set Send call to sendall: it calls send() again for the rest until every byte is taken, and every frame arrives intact (✓).", "教程的 socket 方法表说：s.send() 在要发送的数据量大于本端缓存区剩余空间时，数据会丢失；而 s.sendall() 不会。其实什么都没丢。这里发送方的套接字有发送超时（SO_SNDTIMEO，20 ms，Python 的 settimeout() 就是这样），缓冲区只有 8 KiB，读取方又很慢，所以一次 send() 无法及时把 60,004 字节的消息全部交给内核：每次都返回它接收了多少字节，少于请求，即短写入（统计里会计数）。这个程序和教程的一样忽略了这个返回值：每条消息剩下的部分在 send() 行上画成斜线的“从未发送”并标出字节数，它们从未交给 TCP，下一条消息紧接在已交出的字节后面。接收方按顺序收到的正好是 send() 接收的那些字节；它的解码器相信第一个报头承诺的长度，读进了下一条消息，于是帧出错（✗）或以错误结束。数据是程序自己丢掉的，不是 TCP 丢的。把“发送方式”改成 sendall：它对剩下的部分再次调用 send()，直到每个字节都交出，每一帧都完整到达（✓）。"),
    LessonAddressInUse => ("The course restarts its server right after a client talked to it, and bind() fails with Address already in use. Here a client sends one message; the server reads it and closes first; the client reads the end of the stream (recv() returns 0) and closes too. The wire shows the closing handshake: the server's FIN, the client's FIN and the ACKs (an ACK can ride in the same packet as a FIN). The side that closes first keeps the connection in TIME_WAIT, about 60 s on Linux, so that a late segment of this connection cannot be taken for one of a new connection on the same ports, and so that it can send its last ACK again if that was lost. The kernel's socket table (/proc/net/tcp, what ss shows) lists the server's end in TIME_WAIT and the client's end gone. Meanwhile the port is in use: a second server binding it at once fails with EADDRINUSE. Turn the server's SO_REUSEADDR on: both servers set it before bind() (on Linux the socket in TIME_WAIT keeps the option of the socket it came from, so the first server must have set it too) and the second bind succeeds. SO_REUSEADDR never lets a server bind a port another one still listens on: the bind tried while the first server listens fails either way. Windows differs (Microsoft's documentation): there SO_REUSEADDR lets a second socket take a port in use, and SO_EXCLUSIVEADDRUSE prevents it.", "教程在客户端刚和服务端通信完就重启服务端，bind() 失败，报 Address already in use。这里客户端发一条消息；服务端读完后先关闭；客户端读到流的结束（recv() 返回 0）后也关闭。线路上可以看到关闭握手：服务端的 FIN、客户端的 FIN 以及 ACK（ACK 可以和 FIN 在同一个包里）。先关闭的一方让连接停留在 TIME_WAIT，Linux 上约 60 秒，这样这条连接迟到的报文段不会被当成同一对端口上新连接的数据，而且最后一个 ACK 丢了还能重发。内核的套接字表（/proc/net/tcp，也就是 ss 显示的内容）列出服务端这一端处于 TIME_WAIT，客户端那一端已经消失。在此期间端口被占用：第二个服务端立刻 bind() 这个端口，失败，报 EADDRINUSE。把服务端的 SO_REUSEADDR 打开：两个服务端都在 bind() 之前设置它（在 Linux 上，处于 TIME_WAIT 的套接字保留原套接字的选项，所以第一个服务端也必须设置），第二次 bind 就成功了。SO_REUSEADDR 从不允许绑定另一个服务端仍在监听的端口：第一个服务端还在监听时尝试的 bind，无论开关都会失败。Windows 不同（依据微软的文档）：在那里 SO_REUSEADDR 允许第二个套接字占用正在使用的端口，而 SO_EXCLUSIVEADDRUSE 阻止这样做。"),
}

/// `n` with a comma between groups of three digits: 1048576 → "1,048,576".
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An inclusive range as people read it: "1 to 1,048,576" (中文 "1 到 1,048,576").
pub fn range_text(lang: Lang, min: u64, max: u64) -> String {
    tf(lang, S::RangeText, &[("min", &grouped(min)), ("max", &grouped(max))])
}

/// One value of a template: the name of its placeholder and what fills it.
pub type Arg<'a> = (&'a str, &'a dyn std::fmt::Display);

/// The names of a template's placeholders (`{port}`), in order, each as often as it appears.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        rest = &rest[i + 1..];
        let name_len = rest
            .find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
            .unwrap_or(rest.len());
        if name_len > 0 && rest[name_len..].starts_with('}') && !rest.starts_with(|c: char| c.is_ascii_digit()) {
            out.push(&rest[..name_len]);
            rest = &rest[name_len + 1..];
        }
    }
    out
}

/// Fills each `{name}` of a template with the argument of that name. A brace that is not a
/// placeholder (`{"total_lenth": N}`) stays as it is; so does a placeholder without an
/// argument, visibly. In debug builds (the tests) a placeholder without an argument, or an
/// argument without a placeholder, panics: the call and the table disagree.
pub fn fill(template: &str, args: &[Arg]) -> String {
    debug_assert!(
        placeholders(template).iter().all(|p| args.iter().any(|(n, _)| n == p)),
        "{template:?}: a placeholder has no argument among {:?}",
        args.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
    debug_assert!(
        args.iter().all(|(n, _)| placeholders(template).contains(n)),
        "{template:?} has no placeholder for one of {:?}",
        args.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let value = after
            .find('}')
            .and_then(|end| args.iter().find(|(n, _)| *n == &after[..end]).map(|(_, v)| (end, v)));
        match value {
            Some((end, v)) => {
                out.push_str(&v.to_string());
                rest = &after[end + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `t` then `fill`: `tf(lang, S::PeerListening, &[("proto", &"tcp"), ("bound", &addr)])`.
pub fn tf(lang: Lang, key: S, args: &[Arg]) -> String {
    fill(t(lang, key), args)
}

/// `label  value` with the label padded to 28 columns (a CJK character takes two), as every
/// summary block of the text output prints it.
pub fn summary_line(lang: Lang, key: S, value: &str) -> String {
    let k = t(lang, key);
    let width: usize = k.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    format!("{k}{}{value}\n", " ".repeat(28usize.saturating_sub(width).max(1)))
}

/// An OS error code a run recorded, by the name its OS documents it under.
pub fn os_error_name(code: i32) -> String {
    match code {
        10040 => "WSAEMSGSIZE (10040)".into(),
        10054 => "WSAECONNRESET (10054)".into(),
        _ => format!("os error {code}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_both_languages_with_the_same_placeholders() {
        for &key in S::ALL {
            let (en, zh) = (t(Lang::En, key), t(Lang::Zh, key));
            assert!(
                !en.trim().is_empty() && !zh.trim().is_empty(),
                "{key:?} is empty in a language"
            );
            // a positional {} left by a branch merged before the conversion: run
            // named_placeholders.py (see the commit that introduced named placeholders)
            assert!(
                !en.contains("{}") && !zh.contains("{}"),
                "{key:?} has a positional {{}}: name it"
            );
            let named = |s| placeholders(s).into_iter().collect::<std::collections::BTreeSet<_>>();
            assert_eq!(
                named(en),
                named(zh),
                "{key:?}: the two languages name different placeholders"
            );
        }
    }

    #[test]
    fn the_placeholder_check_sees_a_missing_or_extra_name() {
        let names = |s| placeholders(s).into_iter().collect::<std::collections::BTreeSet<_>>();
        assert_ne!(names("{port} of {count}"), names("{count}"));
        assert_ne!(names("{port}"), names("{port} {extra}"));
        assert_eq!(names("{count} 个，端口 {port}"), names("port {port}, {count}"));
        assert!(placeholders("{\"total_lenth\": N} {}").is_empty());
    }

    /// Keys that read the same in both languages on purpose: socket option names, symbols and
    /// the language switch's own labels. Every other key must be translated, not copied: a
    /// copied English text would pass every test that only looks for "some text".
    const SAME_IN_BOTH: [S; 13] = [
        S::DrawerUdp,
        S::Cork,
        S::SndBuf,
        S::RcvBuf,
        S::UdpRcvBuf,
        S::UdpInFlight,
        S::ChunkBytes,
        S::LangEn,
        S::LangZh,
        S::MergedShort,
        S::PlayHeadAt,
        S::EvDatagrams,
        // "3 × WSAEMSGSIZE (10040)": a count and the OS's name for the error
        S::SumDgErrorsValue,
    ];

    #[test]
    fn every_key_is_translated_not_copied() {
        for &key in S::ALL {
            let (en, zh) = (t(Lang::En, key), t(Lang::Zh, key));
            if SAME_IN_BOTH.contains(&key) {
                assert_eq!(en, zh, "{key:?} is listed as the same in both languages");
            } else {
                assert_ne!(en, zh, "{key:?}: the Chinese text is a copy of the English one");
            }
        }
    }

    #[test]
    fn lang_from_locale_names() {
        assert_eq!(Lang::from_name("zh_CN.UTF-8"), Some(Lang::Zh));
        assert_eq!(Lang::from_name("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::from_name("C"), Some(Lang::En));
        assert_eq!(Lang::from_name("fr_FR"), None);
    }

    #[test]
    fn fill_by_name_in_any_order() {
        assert_eq!(fill("{a} of {b}", &[("a", &1), ("b", &2)]), "1 of 2");
        assert_eq!(fill("{b} 中的 {a}", &[("a", &1), ("b", &2)]), "2 中的 1");
        assert_eq!(fill("{\"x\": {a}}", &[("a", &1)]), "{\"x\": 1}");
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "has no argument")]
    fn fill_refuses_a_placeholder_without_its_argument() {
        fill("{a} of {b}", &[("a", &1)]);
    }
}
