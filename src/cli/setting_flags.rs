//! Tests: the command line and `config::Setting` name the same settings, and a refused value
//! names the setting by its flag.

use clap::{Args, CommandFactory, Parser};

use crate::cli::args::SettingsArgs;
use crate::cli::peer::listen_options;
use crate::cli::run::experiment;
use crate::cli::{echo::EchoArgs, Cli, Command};
use crate::config::Setting;
use crate::i18n::Lang;

/// Every long flag of every subcommand.
fn tree_flags() -> Vec<String> {
    let cmd = Cli::command();
    cmd.get_subcommands()
        .flat_map(|sc| {
            sc.get_arguments()
                .filter_map(|a| a.get_long().map(str::to_owned))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn every_setting_has_its_flag_in_the_command_tree() {
    let flags = tree_flags();
    for s in Setting::ALL {
        assert!(
            flags.iter().any(|f| f == s.flag()),
            "{s:?}: no --{} in the command line",
            s.flag()
        );
    }
}

/// The settings flags (the flattened structs of `run`/`send`, and those of `listen` and
/// `decode` that set a setting) each map to one setting.
#[test]
fn every_settings_flag_is_a_setting() {
    let groups = [
        SettingsArgs::augment_args(clap::Command::new("settings")),
        EchoArgs::augment_args(clap::Command::new("echo")),
    ];
    for group in groups {
        for arg in group.get_arguments() {
            let long = arg.get_long().unwrap_or_default();
            assert!(Setting::from_flag(long).is_some(), "--{long} sets no config::Setting");
        }
    }
    for (sub, flags) in [
        (
            "listen",
            &["framing", "read-size", "max-frame", "clients", "idle-ms"][..],
        ),
        ("decode", &["framing", "read-size", "max-frame"]),
    ] {
        let cmd = Cli::command();
        let sc = cmd.find_subcommand(sub).expect("subcommand");
        for flag in flags {
            let arg = sc
                .get_arguments()
                .find(|a| a.get_long() == Some(flag))
                .unwrap_or_else(|| panic!("{sub} --{flag}"));
            assert!(
                crate::cli::help::setting_of(arg).is_some(),
                "{sub} --{flag} sets no config::Setting"
            );
        }
    }
}

/// A value one past the setting's range is refused, on the command line, with the setting's
/// own flag (and its range), whichever struct or validation refuses it.
#[test]
fn a_value_out_of_range_is_refused_naming_the_settings_flag() {
    for s in Setting::ALL {
        let Some((_, max)) = s.range() else { continue };
        let value = (max + 1).to_string();
        let flag = format!("--{}", s.flag());
        let refused = if matches!(s, Setting::IdleMs | Setting::ListenClients) {
            let cli = Cli::try_parse_from(["stickyviz", "listen", "--tcp", "0", &flag, &value]).expect("parses");
            let Some(Command::Listen(args)) = cli.command else {
                panic!("listen")
            };
            listen_options(&args, Lang::En).map(|_| ())
        } else {
            let cli = Cli::try_parse_from(["stickyviz", "run", &flag, &value]).expect("parses");
            let Some(Command::Run(args)) = cli.command else {
                panic!("run")
            };
            experiment(&args, Lang::En).map(|_| ())
        };
        let err = refused.expect_err(&format!("{flag} {value} is refused")).0;
        assert!(
            err.starts_with(&format!("{flag}: ")) && err.contains(&crate::i18n::grouped(max)),
            "{s:?}: {err}"
        );
    }
}

#[test]
fn settings_help_comes_from_the_setting_in_both_languages() {
    for lang in Lang::ALL {
        let cmd = crate::cli::help::localize(Cli::command(), lang);
        let run = cmd.find_subcommand("run").expect("run");
        let count = run
            .get_arguments()
            .find(|a| a.get_long() == Some("count"))
            .expect("--count");
        let help = count.get_help().map(|h| h.to_string()).unwrap_or_default();
        assert!(
            help.starts_with(crate::i18n::t(lang, Setting::Count.help()).trim_end_matches('.')),
            "{lang:?}: {help}"
        );
    }
}
