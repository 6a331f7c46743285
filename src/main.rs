use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use stickyviz::cli::help as cli_help;
use stickyviz::cli::stop::{Interrupted, SessionFailed};
use stickyviz::cli::{self, Cli, UsageError};
use stickyviz::i18n::{t, Lang, S};

fn main() -> ExitCode {
    let args: Vec<_> = std::env::args_os().collect();
    // A link run's child (engine/link.rs): before anything else, because it must still be
    // single-threaded when it enters its user namespace. Not a clap subcommand: it is the
    // engine talking to itself over a pipe, never typed by a person.
    if args.get(1).is_some_and(|a| a == stickyviz::engine::link::CHILD_COMMAND) {
        return ExitCode::from(stickyviz::engine::link::child_main());
    }
    // A traced program's first step (engine/trace): it asks to be traced, then becomes the program.
    if args
        .get(1)
        .is_some_and(|a| a == stickyviz::engine::trace::CHILD_COMMAND)
    {
        return ExitCode::from(stickyviz::engine::trace::child_main(args.get(2..).unwrap_or_default()));
    }
    let help_lang = cli_help::lang_from_args(&args);
    let parsed = cli_help::localize(Cli::command(), help_lang)
        .try_get_matches_from(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            // help/version go to stdout with exit 0, errors to stderr with exit 2
            match cli_help::zh_error(&e).filter(|_| help_lang == Lang::Zh) {
                Some(text) => eprint!("{text}"),
                None => {
                    let _ = e.print();
                }
            }
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let lang = match cli.lang() {
        Ok(lang) => lang,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let error = t(lang, S::CliError);
    if cli.command.is_none() {
        return open_window(lang, &cli);
    }
    // a window's options with a subcommand: say which, rather than ignore them
    let window_flags = [
        (cli.recording.is_some(), "RECORDING.json"),
        (cli.preset.is_some(), "--preset"),
        (cli.projector, "--projector"),
        (!cli.settings.is_empty(), "--count, --size, …"),
    ];
    if let Some(flag) = window_flags.iter().find_map(|(set, f)| set.then_some(*f)) {
        eprintln!("{error}: {flag}: {}", t(lang, S::CliWindowOnly));
        return ExitCode::from(2);
    }
    #[cfg(feature = "gui")]
    let cli = match cli {
        Cli {
            command: Some(cli::Command::Listen(args)),
            ..
        } if !args.headless => return open_listen_window(args, lang),
        cli => cli,
    };
    match cli::main(cli, lang, png_renderer()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.downcast_ref::<UsageError>().is_some() => {
            eprintln!("{error}: {}", cli::error_text(&e, lang));
            ExitCode::from(2)
        }
        Err(e) if e.downcast_ref::<Interrupted>().is_some() => {
            let i = e
                .downcast_ref::<Interrupted>()
                .copied()
                .unwrap_or(Interrupted { signal: 2 });
            eprintln!(
                "{}",
                stickyviz::i18n::tf(
                    lang,
                    S::CliInterrupted,
                    &[("name", &i.name()), ("exit_code", &i.exit_code())]
                )
            );
            ExitCode::from(i.exit_code())
        }
        Err(e) if e.downcast_ref::<SessionFailed>().is_some() => {
            if let Some(f) = e.downcast_ref::<SessionFailed>() {
                eprintln!(
                    "{error}: {}",
                    stickyviz::i18n::tf(
                        lang,
                        S::CliSessionFailed,
                        &[("decode_errors", &f.decode_errors), ("socket_errors", &f.socket_errors)]
                    )
                );
            }
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("{error}: {}", cli::error_text(&e, lang));
            ExitCode::FAILURE
        }
    }
}

/// `stickyviz [RECORDING.json] [--preset NAME] [--projector]`: what the window opens on. A
/// bad name or flag is reported before any window opens, exit code 2; a recording that cannot
/// be opened is said on stderr and in the window, which opens on it (exit code 2 after).
#[cfg(feature = "gui")]
fn open_window(lang: Lang, cli: &Cli) -> ExitCode {
    let mut start = stickyviz::ui::Start {
        projector: cli.projector,
        ..Default::default()
    };
    if let Some(name) = &cli.preset {
        if stickyviz::presets::find(name).is_none() {
            eprintln!(
                "{}: --preset: {}",
                t(lang, S::CliError),
                stickyviz::i18n::tf(
                    lang,
                    S::CliUnknownPreset,
                    &[("name", name), ("allowed", &stickyviz::presets::names().join(", "))]
                )
            );
            return ExitCode::from(2);
        }
        start.preset = Some(name.clone());
    }
    match cli::window_experiment(cli.preset.as_deref(), &cli.settings, lang) {
        Ok(settings) => start.settings = settings,
        Err(e) => {
            eprintln!("{}: {e}", t(lang, S::CliError));
            return ExitCode::from(2);
        }
    }
    if start.settings.is_some() && cli.recording.is_some() {
        eprintln!(
            "{}: RECORDING.json: {}",
            t(lang, S::CliError),
            t(lang, S::CliRecordingOrSettings)
        );
        return ExitCode::from(2);
    }
    if let Some(path) = &cli.recording {
        match stickyviz::recording::Recording::load(path) {
            Ok(rec) => {
                start.recording = Some((
                    rec,
                    path.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default(),
                ))
            }
            Err(e) => {
                // what a double-click runs: the window opens and says it there (and here, for
                // a terminal); the exit status stays a bad input's
                let words = stickyviz::describe::open_failed(&path.display().to_string(), &e, lang);
                eprintln!("{}: {words}", t(lang, S::CliError));
                start.file_error = Some(words);
            }
        }
    }
    let bad_file = start.file_error.is_some();
    match stickyviz::ui::run_native(lang, start) {
        Ok(()) if bad_file => ExitCode::from(2),
        Ok(()) => ExitCode::SUCCESS,
        // no window could open (no display): the file's error was said above
        Err(_) if bad_file => ExitCode::from(2),
        Err(e) => {
            eprintln!(
                "{}: {}",
                t(lang, S::CliError),
                stickyviz::i18n::tf(lang, S::CliWindowFailed, &[("error", &e)])
            );
            ExitCode::FAILURE
        }
    }
}

#[cfg(feature = "gui")]
fn open_listen_window(args: cli::ListenArgs, lang: Lang) -> ExitCode {
    // Bad flags are reported before any window opens, with the usual exit code 2.
    let (on, opts) = match stickyviz::cli::peer::listen_spec(&args, lang) {
        Ok(spec) => spec,
        Err(e) => {
            eprintln!("{}: {e}", t(lang, S::CliError));
            return ExitCode::from(2);
        }
    };
    match stickyviz::ui::listen::run_native_listen(on, opts, lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "{}: {}",
                t(lang, S::CliError),
                stickyviz::i18n::tf(lang, S::CliWindowFailed, &[("error", &e)])
            );
            ExitCode::FAILURE
        }
    }
}

/// `render --out x.png` draws the real window, which only the GUI build has; the command line
/// gets the drawing as a function so `cli` needs no `ui`.
#[cfg(feature = "gui")]
fn png_renderer() -> Option<cli::render::PngRenderer> {
    fn draw(
        rec: &stickyviz::recording::Recording,
        source: &str,
        opts: &stickyviz::export::options::RenderOptions,
        out: &std::path::Path,
    ) -> anyhow::Result<()> {
        // a file that cannot be written is a typed failure the command line words
        stickyviz::ui::render::render_png(rec, source, opts, out).map_err(|e| match e {
            stickyviz::ui::render::RenderError::Write(f) => anyhow::Error::new(f),
            stickyviz::ui::render::RenderError::Gpu(words) => {
                let lang = match opts.lang {
                    stickyviz::export::options::RenderLang::Zh => Lang::Zh,
                    stickyviz::export::options::RenderLang::En => Lang::En,
                };
                anyhow::Error::msg(stickyviz::i18n::tf(lang, S::RenderGpuFailed, &[("error", &words)]))
            }
        })
    }
    Some(draw)
}

#[cfg(not(feature = "gui"))]
fn png_renderer() -> Option<cli::render::PngRenderer> {
    None
}

#[cfg(not(feature = "gui"))]
fn open_window(lang: Lang, cli: &Cli) -> ExitCode {
    // a bad settings flag is named as in the GUI build, before saying there is no window
    if let Err(e) = cli::window_experiment(cli.preset.as_deref(), &cli.settings, lang) {
        eprintln!("{}: {e}", t(lang, S::CliError));
        return ExitCode::from(2);
    }
    // and so is a recording that cannot be opened: what is wrong with the file comes first
    if let Some(path) = &cli.recording {
        if let Err(e) = stickyviz::recording::Recording::load(path) {
            eprintln!(
                "{}: {}",
                t(lang, S::CliError),
                stickyviz::describe::open_failed(&path.display().to_string(), &e, lang)
            );
            return ExitCode::from(2);
        }
    }
    eprintln!("{}\n", t(lang, S::CliNoGui));
    let _ = cli_help::localize(Cli::command(), lang).print_help();
    ExitCode::from(2)
}
