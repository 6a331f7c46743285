use std::process::ExitCode;

use clap::Parser;

use stickyviz::cli::{self, Cli, UsageError};
use stickyviz::i18n::{t, Lang, S};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help/version to stdout with exit 0, and errors to stderr with exit 2.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let lang = match cli.set_lang() {
        Ok(lang) => lang,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let error = t(lang, S::CliError);
    if cli.command.is_none() {
        return open_window(lang);
    }
    #[cfg(feature = "gui")]
    let cli = match cli {
        Cli { command: Some(cli::Command::Listen(args)), .. } if !args.headless => return open_listen_window(args),
        cli => cli,
    };
    match cli::main(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.downcast_ref::<UsageError>().is_some() => {
            eprintln!("{error}: {e}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("{error}: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(feature = "gui")]
fn open_window(lang: Lang) -> ExitCode {
    match stickyviz::ui::run_native(lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: the window could not open: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(feature = "gui")]
fn open_listen_window(args: cli::ListenArgs) -> ExitCode {
    // Bad flags are reported before any window opens, with the usual exit code 2.
    if let Err(e) = stickyviz::peer_cli::listen_options(&args) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    match stickyviz::ui::listen::run_native_listen(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: the window could not open: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(not(feature = "gui"))]
fn open_window(_lang: Lang) -> ExitCode {
    use clap::CommandFactory;
    eprintln!("this build has no GUI (built without the `gui` feature); use a subcommand:\n");
    let _ = Cli::command().print_help();
    ExitCode::from(2)
}
