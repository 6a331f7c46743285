//! The command line's own words in Chinese: `--help`, usage and parse errors.
//!
//! clap has no translations. The English help is the doc comment of each flag (clap's derive);
//! for `--lang zh` (or a Chinese locale) [`localize`] puts the Chinese text of the i18n table on every
//! subcommand and flag, with Chinese headings, and [`zh_error`] words clap's parse errors in
//! Chinese. A test walks the whole command tree: a flag without a Chinese help fails it.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

use crate::config::Setting;
use crate::i18n::{t, Lang, S};

/// The help of a subcommand (`sub` is `None`, `id` its name) or of a flag that sets no
/// setting, as a key of the i18n table; a settings flag's help is its [`Setting`]'s (see
/// [`setting_help`]). The English text of each key is the flag's doc comment, which clap shows
/// (a test keeps the two equal); the Chinese one replaces it for `--lang zh`.
fn help_key(sub: Option<&str>, id: &str) -> Option<S> {
    Some(match (sub, id) {
        (None, "lang") => S::FlagLang,
        (None, "recording") => S::FlagRecording,
        (None, "window_preset") => S::FlagWindowPreset,
        (None, "projector") => S::FlagProjector,
        (Some("render"), "projector") => S::FlagRenderProjector,
        (Some("render"), "causes") => S::FlagRenderCauses,
        (None, "run") => S::CmdRun,
        (Some("run"), "udp") => S::FlagRunUdp,
        (Some("run"), "json") => S::FlagRunJson,
        (None, "presets") => S::CmdPresets,
        (None, "decode") => S::CmdDecode,
        (Some("decode"), "file") => S::FlagDecodeFile,
        (None, "listen") => S::CmdListen,
        (Some("listen"), "tcp") => S::FlagListenTcp,
        (Some("listen"), "udp") => S::FlagListenUdp,
        (Some("listen"), "echo") => S::FlagListenEcho,
        (Some("listen"), "torture") => S::FlagListenTorture,
        (Some("listen"), "headless") => S::FlagListenHeadless,
        (Some("listen"), "json") => S::FlagListenJson,
        (None, "send") => S::CmdSend,
        (Some("send"), "tcp") => S::FlagSendTcp,
        (Some("send"), "udp") => S::FlagSendUdp,
        (Some("send"), "preset") => S::FlagSendPreset,
        (Some("send"), "json") => S::FlagSendJson,
        (Some("send"), "torture") => S::FlagSendTorture,
        (None, "questions") => S::CmdQuestions,
        (Some("questions"), "recording") => S::FlagQuestionsRecording,
        (Some("questions"), "format") => S::FlagQuestionsFormat,
        (Some("questions"), "out") => S::FlagQuestionsOut,
        (None, "compare") => S::CmdCompare,
        (Some("compare"), "a") => S::FlagCompareA,
        (Some("compare"), "b") => S::FlagCompareB,
        (Some("compare"), "out") => S::FlagCompareOut,
        (None, "render") => S::CmdRender,
        (None, "trace") => S::CmdTrace,
        (Some("trace"), "server") => S::FlagTraceServer,
        (Some("trace"), "client") => S::FlagTraceClient,
        (Some("trace"), "server_input") => S::FlagTraceServerInput,
        (Some("trace"), "client_input") => S::FlagTraceClientInput,
        (Some("trace"), "timeout_s") => S::FlagTraceTimeout,
        (Some("trace"), "framing_axes") => S::FlagTraceFramingAxes,
        (Some("trace"), "json") => S::FlagTraceJson,
        (Some("trace"), "command") => S::FlagTraceCommand,
        (Some("render"), "recording") => S::FlagRenderRecording,
        (Some("render"), "out") => S::FlagRenderOut,
        (Some("render"), "width") => S::FlagRenderWidth,
        (Some("render"), "height") => S::FlagRenderHeight,
        (Some("render"), "theme") => S::FlagRenderTheme,
        (Some("render"), "view") => S::FlagRenderView,
        (Some(_), "preset") => S::FlagPreset,
        (Some(_), "both") => S::FlagBoth,
        (Some(_), "width") => S::FlagWidth,
        (Some(_), "pcapng") => S::FlagPcapng,
        (_, "help") => S::FlagHelp,
        (_, "version") => S::FlagVersion,
        _ => return None,
    })
}

/// The Chinese help of a subcommand or flag, or its id so a gap shows (and the completeness
/// test names it).
fn zh_help(sub: Option<&str>, id: &str) -> String {
    help_key(sub, id).map_or_else(|| id.to_owned(), |k| t(Lang::Zh, k).to_owned())
}

/// Clap's own words in Chinese.
fn zh(key: S) -> &'static str {
    t(Lang::Zh, key)
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
    let cmd = setting_help(negative_values_allowed(cmd), lang);
    match lang {
        Lang::En => with_exit_help(cmd, t(Lang::En, S::ClapExit)),
        Lang::Zh => zh_command(cmd.about(zh(S::CliAbout)), None),
    }
}

/// The exit-status contract (see `cli::stop`), shown under every command's `--help`.
fn with_exit_help(cmd: Command, text: &'static str) -> Command {
    cmd.after_help(text).mut_subcommands(|sc| with_exit_help(sc, text))
}

/// The setting a flag sets, by its long name.
pub fn setting_of(arg: &Arg) -> Option<Setting> {
    arg.get_long().and_then(Setting::from_flag)
}

/// Puts each settings flag's help in `lang` on it, from its [`Setting`]: the one source of a
/// setting's help (the structs' doc comments hold none, so the two cannot drift apart).
fn setting_help(cmd: Command, lang: Lang) -> Command {
    cmd.mut_args(|arg| match setting_of(&arg) {
        Some(s) => arg.help(t(lang, s.help())),
        None => arg,
    })
    .mut_subcommands(|sc| setting_help(sc, lang))
}

fn negative_values_allowed(cmd: Command) -> Command {
    cmd.allow_negative_numbers(true)
        .mut_subcommands(negative_values_allowed)
}

fn zh_command(cmd: Command, sub: Option<&str>) -> Command {
    let top = sub.is_none();
    let mut cmd = cmd
        .help_template(format!(
            "{{about-with-newline}}\n{}{{usage}}\n\n{{all-args}}{{after-help}}",
            zh(S::ClapUsage)
        ))
        .subcommand_help_heading(zh(S::ClapCommands))
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .global(top),
        )
        .after_help(zh(S::ClapExit));
    if top {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version),
        );
    }
    let cmd = cmd.mut_args(|arg| zh_arg(arg, sub));
    cmd.mut_subcommands(|sc| {
        let name = sc.get_name().to_owned();
        zh_command(sc.about(zh_help(None, &name)), Some(&name))
    })
}

fn zh_arg(arg: Arg, sub: Option<&str>) -> Arg {
    let id = arg.get_id().as_str().to_owned();
    let text = match setting_of(&arg) {
        Some(s) => t(Lang::Zh, s.help()).to_owned(),
        None => zh_help(sub, &id),
    };
    let mut notes = Vec::new();
    let defaults: Vec<_> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && !arg.is_hide_default_value_set() {
        notes.push(format!("{}：{}", zh(S::ClapDefault), defaults.join("、")));
    }
    let takes_values = arg.get_action().takes_values();
    let values: Vec<_> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_owned())
        .collect();
    if takes_values && !values.is_empty() {
        notes.push(format!("{}：{}", zh(S::ClapValues), values.join("、")));
    }
    let help = if notes.is_empty() {
        text
    } else {
        format!("{text}（{}）", notes.join("；"))
    };
    let heading = if arg.is_positional() {
        S::ClapArguments
    } else {
        S::ClapOptions
    };
    arg.help(help)
        .hide_default_value(takes_values)
        .hide_possible_values(takes_values)
        .help_heading(zh(heading))
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
    for kind in [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ] {
        if let Some(s) = ctx(kind) {
            out.push_str(&format!("\n  {}：你是想用 '{s}' 吗？\n", zh(S::ClapTip)));
        }
    }
    if let Some(valid) = ctx(ContextKind::ValidValue).filter(|v| !v.is_empty()) {
        out.push_str(&format!("  {}：{valid}\n", zh(S::ClapValues)));
    }
    if let Some(usage) = err.get(ContextKind::Usage) {
        let usage = value_text(usage);
        let usage = usage.trim_start_matches("Usage:").trim();
        out.push_str(&format!("\n{}{usage}\n", zh(S::ClapUsage)));
    }
    out.push_str(&format!("\n{}\n", zh(S::ClapMore)));
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

    /// Every subcommand and every flag has a help key (or is a setting's), its English is what
    /// clap shows (the doc comment), and every help key of the table is used.
    #[test]
    fn every_flag_and_subcommand_has_chinese_help() {
        let mut used = vec![S::CliAbout, S::FlagHelp, S::FlagVersion];
        let mut problems = Vec::new();
        let cmd = Cli::command();
        let mut check = |sub: Option<&str>, id: &str, english: Option<String>| match help_key(sub, id) {
            Some(k) => {
                used.push(k);
                if english.as_deref() != Some(t(Lang::En, k)) {
                    problems.push(format!(
                        "{sub:?} {id}: the table's English {:?} is not the doc comment {english:?}",
                        t(Lang::En, k)
                    ));
                }
            }
            None => problems.push(format!("{sub:?} {id}: no help key")),
        };
        for arg in cmd.get_arguments().filter(|a| setting_of(a).is_none()) {
            check(None, arg.get_id().as_str(), arg.get_help().map(ToString::to_string));
        }
        for sub in cmd.get_subcommands() {
            let name = sub.get_name();
            check(None, name, sub.get_about().map(ToString::to_string));
            for arg in sub.get_arguments().filter(|a| setting_of(a).is_none()) {
                check(
                    Some(name),
                    arg.get_id().as_str(),
                    arg.get_help().map(ToString::to_string),
                );
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
        // the help keys are the table's Cmd* and Flag* keys
        let unused: Vec<_> = S::ALL
            .iter()
            .filter(|k| ["Cmd", "Flag"].iter().any(|p| format!("{k:?}").starts_with(p)) && !used.contains(k))
            .collect();
        assert!(unused.is_empty(), "help for flags that do not exist: {unused:?}");
    }

    #[test]
    fn lang_is_read_from_the_command_line_before_parsing() {
        let args = |list: &[&str]| list.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(lang_from_args(&args(&["stickyviz", "--lang", "zh", "run"])), Lang::Zh);
        assert_eq!(lang_from_args(&args(&["stickyviz", "run", "--lang=zh"])), Lang::Zh);
        assert_eq!(lang_from_args(&args(&["stickyviz", "--lang", "en"])), Lang::En);
    }
}
