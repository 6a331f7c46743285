//! The command line's own words in Chinese: `--help`, usage and parse errors.
//!
//! clap has no translations. The English help is the doc comment of each flag (clap's derive);
//! for `--lang zh` (or a Chinese locale) [`localize`] puts the Chinese text from [`ZH`] on every
//! subcommand and flag, with Chinese headings, and [`zh_error`] words clap's parse errors in
//! Chinese. A test walks the whole command tree: a flag without a Chinese help fails it.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

use crate::i18n::Lang;

/// Chinese help: `"subcommand.flag"`, or `"flag"` for a flag that means the same everywhere,
/// or `"subcommand"` for a subcommand's one-line description.
pub const ZH: &[(&str, &str)] = &[
    ("about", "看见 TCP 粘包/半包问题：send、报文段和 recv 各在字节流的哪里切开"),
    ("lang", "输出语言：en 或 zh（默认按系统语言环境）"),
    ("help", "显示帮助"),
    ("version", "显示版本"),
    ("run", "在 127.0.0.1 上运行一次实验，打印时间线和汇总"),
    ("presets", "列出所有课程（预设）"),
    ("decode", "把一个字节文件按每次 N 字节喂给分帧解码器，打印每一帧"),
    ("listen", "等待外部客户端（课程里的 Python 程序、nc……）连入，显示它的字节流"),
    ("send", "把工作负载发给外部服务器，画出每次写入和线上的报文段"),
    ("render", "把一份录制画成图片：整个窗口（.png）或时间线各道（.svg）"),
    ("preset", "从一个预设开始（见 `stickyviz presets`），其他参数覆盖它"),
    ("run.udp", "只用 UDP 数据报发送工作负载"),
    ("both", "TCP 和 UDP 并排运行"),
    ("count", "消息条数"),
    ("size", "消息体大小（字节）：N，或范围 A-B"),
    ("gap_us", "两条消息之间的间隔（微秒）"),
    ("nagle", "Nagle 算法：on（内核默认）或 off（TCP_NODELAY）"),
    ("cork", "用 TCP_CORK 把所有写入攒到最后一次再发"),
    ("sndbuf", "申请的 SO_SNDBUF 发送缓冲区大小（字节，内核会加倍）"),
    ("split", "每条消息分几次 send()：whole（整条）、header-body（报头和正文分开），或每块的字节数"),
    ("chunk_gap_us", "一条消息被拆开后各次写入之间的间隔（微秒）"),
    ("read_size", "接收方每次 recv(N) 的 N"),
    ("rcvbuf", "申请的 SO_RCVBUF 接收缓冲区大小（字节，内核会加倍）"),
    ("start_delay_ms", "接收方第一次 recv() 之前等待的毫秒数"),
    ("read_delay_ms", "接收方每次 recv() 之后睡眠的毫秒数"),
    ("framing", "分帧方式：none、u32、seed-json、newline、naive-u32"),
    ("max_frame", "解码器接受的最大帧（字节）"),
    ("length_bytes", "u32 和 naive-u32：长度前缀的宽度（字节）：1、2、4 或 8（默认 4）"),
    ("length_order", "u32 和 naive-u32：长度前缀的字节序：big（网络字节序，默认）或 little（小端）"),
    ("udp_read_size", "UDP 接收方每次 recvfrom(N) 的 N"),
    ("udp_rcvbuf", "UDP 的 SO_RCVBUF 接收缓冲区大小（字节）"),
    ("udp_start_delay_ms", "UDP 接收方第一次 recvfrom() 之前等待的毫秒数"),
    ("client_reads", "请求/响应：客户端怎样读每个回复：whole（循环读到完整）或 once（每个请求只 recv 一次，像课程里的远程执行命令客户端）"),
    ("client_read_size", "请求/响应：客户端读回复时 recv(N) 的 N"),
    ("reply_size", "请求/响应：回复长度（字节；默认把请求转成大写原样返回）"),
    ("connections", "请求/响应：同时连到同一个服务器的客户端连接数（1..=16）"),
    ("width", "文本时间线的宽度（列数）"),
    ("run.json", "把整次运行（设置、事件、汇总）写成 JSON 录制文件 FILE，- 表示标准输出"),
    ("pcapng", "把这次运行抓到的 TCP 报文段写成 pcapng 文件（需要 root 或 CAP_NET_RAW）"),
    ("decode.framing", "分帧方式：u32、seed-json、newline、naive-u32"),
    ("decode.read_size", "每次喂给解码器这么多字节"),
    ("decode.max_frame", "接受的最大帧（字节）"),
    ("decode.file", "要解码的字节文件；- 或不写表示标准输入"),
    ("listen.tcp", "在 ADDR 上为 TCP 客户端服务（只写端口 = 127.0.0.1:端口；端口 0 = 任选空闲端口），每个客户端一个线程，像课程里的 ThreadingTCPServer"),
    ("listen.clients", "TCP：服务完这么多个客户端后结束（0 = 直到停止）。什么都不发、连接被重置、或报头无法解码的客户端会被报告，但不计数"),
    ("listen.udp", "在 ADDR 上接收 UDP 数据报"),
    ("listen.framing", "解码字节流：none、u32、seed-json、newline、naive-u32"),
    ("listen.read_size", "每次 recv(N) 的 N"),
    ("listen.echo", "把每次读到的字节（每个数据报）转成大写发回去，像课程里的回显服务器；TCP 用了分帧时，逐帧转成大写，再按同样的分帧方式发回"),
    ("listen.idle_ms", "UDP：最后一个数据报之后再等这么多毫秒就结束"),
    ("listen.headless", "不开窗口：对方结束后打印文本时间线和汇总"),
    ("listen.json", "同时把这次会话写成 JSON 录制文件 FILE，- 表示标准输出"),
    ("send.tcp", "连接 HOST:PORT 上的 TCP 服务器（只写端口 = 127.0.0.1:端口）"),
    ("send.udp", "把工作负载作为 UDP 数据报发到 HOST:PORT"),
    ("send.preset", "从一个预设的设置开始，其他参数覆盖它"),
    ("send.json", "把这次运行写成 JSON 录制文件 FILE，- 表示标准输出"),
    ("render.recording", "要画的录制文件（来自 `run --json`，或窗口的 文件 → 保存）"),
    ("render.out", "输出文件：FILE.png（整个窗口）、FILE.svg（时间线各道）或 FILE.pcapng（抓到的数据包，给 Wireshark 用）"),
    ("render.width", "宽度（像素）"),
    ("render.height", "高度（像素）"),
    ("render.theme", "配色：dark（适合投影）或 light（适合打印）"),
    ("render.view", "中间的视图：bytes（字节轴）或 time（时间）"),
    // clap's own words
    ("@usage", "用法："),
    ("@options", "选项"),
    ("@arguments", "参数"),
    ("@commands", "命令"),
    ("@default", "默认"),
    ("@values", "可选值"),
    ("@more", "想看更多，请用 '--help'。"),
    ("@tip", "提示"),
    ("@exit", EXIT_ZH),
];

/// The exit-status contract (see `cli::stop`), shown under every command's `--help`.
pub const EXIT_EN: &str = "Exit status:
  0    done, and every frame decoded
  1    ran, but failed: a decode error, a socket error, a file not read or written
  2    bad flags or values: nothing was run
  130  stopped by Ctrl-C (143: by SIGTERM); the summary and recording are still written";

const EXIT_ZH: &str = "退出码：
  0    完成，且每一帧都解码成功
  1    运行了，但失败了：解码错误、套接字错误、文件读写失败
  2    参数或取值错误：什么都没有运行
  130  被 Ctrl-C 中断（SIGTERM 为 143）；汇总和录制照样写出";

/// Looks a key up in [`ZH`].
fn zh(key: &str) -> Option<&'static str> {
    ZH.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// A heading from [`ZH`] (clap keeps headings as `&'static str`).
fn zh_heading(key: &'static str) -> &'static str {
    zh(key).unwrap_or(key)
}

/// `zh(key)`, or the key itself so a gap shows (and the completeness test names it).
fn zh_or_key(key: &str) -> String {
    zh(key).map_or_else(|| key.to_owned(), str::to_owned)
}

/// The language asked for on this command line (`--lang X` or `--lang=X` anywhere), else the
/// system locale. Read before clap parses, so that clap's own help and errors can follow it.
pub fn lang_from_args(args: &[OsString]) -> Lang {
    let mut words = args.iter().filter_map(|a| a.to_str());
    while let Some(word) = words.next() {
        let name = match word.strip_prefix("--lang") {
            Some("") => words.next(),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        if let Some(lang) = name.and_then(Lang::from_name) {
            return lang;
        }
    }
    Lang::from_env()
}

/// The command tree with its help in `lang`. Every (sub)command also takes `-1` as a value,
/// so that `--size -1` is refused by the flag's own check ("not a number; allowed ...") rather
/// than read as an unknown flag `-1`.
pub fn localize(cmd: Command, lang: Lang) -> Command {
    let cmd = negative_values_allowed(cmd);
    match lang {
        Lang::En => with_exit_help(cmd, EXIT_EN),
        Lang::Zh => zh_command(cmd.about(zh_or_key("about")), None),
    }
}

fn with_exit_help(cmd: Command, text: &'static str) -> Command {
    cmd.after_help(text).mut_subcommands(|sc| with_exit_help(sc, text))
}

fn negative_values_allowed(cmd: Command) -> Command {
    cmd.allow_negative_numbers(true).mut_subcommands(negative_values_allowed)
}

fn zh_command(cmd: Command, sub: Option<&str>) -> Command {
    let top = sub.is_none();
    let mut cmd = cmd
        .help_template(format!("{{about-with-newline}}\n{}{{usage}}\n\n{{all-args}}{{after-help}}", zh_or_key("@usage")))
        .subcommand_help_heading(zh_heading("@commands"))
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(Arg::new("help").short('h').long("help").action(ArgAction::Help).global(top))
        .after_help(zh_or_key("@exit"));
    if top {
        cmd = cmd.disable_version_flag(true).arg(Arg::new("version").short('V').long("version").action(ArgAction::Version));
    }
    let cmd = cmd.mut_args(|arg| zh_arg(arg, sub));
    cmd.mut_subcommands(|sc| {
        let name = sc.get_name().to_owned();
        zh_command(sc.about(zh_or_key(&name)), Some(&name))
    })
}

fn zh_arg(arg: Arg, sub: Option<&str>) -> Arg {
    let id = arg.get_id().as_str().to_owned();
    let text = sub.and_then(|s| zh(&format!("{s}.{id}"))).or_else(|| zh(&id)).map_or(id.clone(), str::to_owned);
    let mut notes = Vec::new();
    let defaults: Vec<_> = arg.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
    if !defaults.is_empty() && !arg.is_hide_default_value_set() {
        notes.push(format!("{}：{}", zh_or_key("@default"), defaults.join("、")));
    }
    let takes_values = arg.get_action().takes_values();
    let values: Vec<_> = arg.get_possible_values().iter().filter(|v| !v.is_hide_set()).map(|v| v.get_name().to_owned()).collect();
    if takes_values && !values.is_empty() {
        notes.push(format!("{}：{}", zh_or_key("@values"), values.join("、")));
    }
    let help = if notes.is_empty() { text } else { format!("{text}（{}）", notes.join("；")) };
    let heading = if arg.is_positional() { "@arguments" } else { "@options" };
    arg.help(help).hide_default_value(takes_values).hide_possible_values(takes_values).help_heading(zh_heading(heading))
}

/// A parse error worded in Chinese: what was wrong, a suggestion if clap has one, the usage.
/// `None` for what is not an error (help and version).
pub fn zh_error(err: &clap::Error) -> Option<String> {
    let ctx = |kind| err.get(kind).map(value_text);
    let what = match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => return None,
        ErrorKind::UnknownArgument => format!("不认识的参数 '{}'", ctx(ContextKind::InvalidArg)?),
        ErrorKind::InvalidSubcommand => format!("不认识的子命令 '{}'", ctx(ContextKind::InvalidSubcommand)?),
        ErrorKind::InvalidValue => match ctx(ContextKind::InvalidValue) {
            Some(v) if !v.is_empty() => format!("'{v}' 不是 '{}' 的有效值", ctx(ContextKind::InvalidArg)?),
            _ => format!("'{}' 需要一个值，但没有给", ctx(ContextKind::InvalidArg)?),
        },
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{}", ctx(ContextKind::InvalidArg)?),
        ErrorKind::ArgumentConflict => match ctx(ContextKind::PriorArg) {
            Some(prior) => format!("参数 '{}' 不能和 '{prior}' 一起用", ctx(ContextKind::InvalidArg)?),
            None => format!("参数 '{}' 不能和其他参数一起用", ctx(ContextKind::InvalidArg)?),
        },
        ErrorKind::NoEquals => format!("'{}' 的值要用 = 连着写", ctx(ContextKind::InvalidArg)?),
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("'{}' 的值的个数不对", ctx(ContextKind::InvalidArg)?)
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => "缺少子命令".to_owned(),
        ErrorKind::InvalidUtf8 => "参数不是有效的 UTF-8".to_owned(),
        ErrorKind::ValueValidation => format!("'{}' 的值无效", ctx(ContextKind::InvalidArg)?),
        _ => return None,
    };
    let mut out = format!("{}：{what}\n", crate::i18n::t(Lang::Zh, crate::i18n::S::CliError));
    for kind in [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand, ContextKind::SuggestedValue] {
        if let Some(s) = ctx(kind) {
            out.push_str(&format!("\n  {}：你是想用 '{s}' 吗？\n", zh_or_key("@tip")));
        }
    }
    if let Some(valid) = ctx(ContextKind::ValidValue).filter(|v| !v.is_empty()) {
        out.push_str(&format!("  {}：{valid}\n", zh_or_key("@values")));
    }
    if let Some(usage) = err.get(ContextKind::Usage) {
        let usage = value_text(usage);
        let usage = usage.trim_start_matches("Usage:").trim();
        out.push_str(&format!("\n{}{usage}\n", zh_or_key("@usage")));
    }
    out.push_str(&format!("\n{}\n", zh_or_key("@more")));
    Some(out)
}

fn value_text(v: &ContextValue) -> String {
    match v {
        ContextValue::Strings(list) => list.join("、"),
        ContextValue::StyledStrs(list) => list.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("、"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;
    use crate::cli::Cli;

    /// Every subcommand and every flag has a Chinese help, and every entry of the table is used.
    #[test]
    fn every_flag_and_subcommand_has_chinese_help() {
        let mut used = vec!["about", "help", "version"];
        let mut missing = Vec::new();
        let cmd = Cli::command();
        for arg in cmd.get_arguments() {
            match ZH.iter().find(|(k, _)| *k == arg.get_id().as_str()) {
                Some((k, _)) => used.push(k),
                None => missing.push(arg.get_id().to_string()),
            }
        }
        for sub in cmd.get_subcommands() {
            let name = sub.get_name();
            match ZH.iter().find(|(k, _)| *k == name) {
                Some((k, _)) => used.push(k),
                None => missing.push(name.to_owned()),
            }
            for arg in sub.get_arguments() {
                let id = arg.get_id().as_str();
                let specific = format!("{name}.{id}");
                match ZH.iter().find(|(k, _)| *k == specific).or_else(|| ZH.iter().find(|(k, _)| *k == id)) {
                    Some((k, _)) => used.push(k),
                    None => missing.push(specific),
                }
            }
        }
        assert!(missing.is_empty(), "no Chinese help for: {missing:?}");
        let unused: Vec<_> = ZH.iter().map(|(k, _)| *k).filter(|k| !k.starts_with('@') && !used.contains(k)).collect();
        assert!(unused.is_empty(), "Chinese help for flags that do not exist: {unused:?}");
    }

    #[test]
    fn lang_is_read_from_the_command_line_before_parsing() {
        let args = |list: &[&str]| list.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(lang_from_args(&args(&["stickyviz", "--lang", "zh", "run"])), Lang::Zh);
        assert_eq!(lang_from_args(&args(&["stickyviz", "run", "--lang=zh"])), Lang::Zh);
        assert_eq!(lang_from_args(&args(&["stickyviz", "--lang", "en"])), Lang::En);
    }
}
