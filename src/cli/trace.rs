//! `stickyviz trace`: the student's own programs under ptrace, on the lessons' picture.
//!
//! `trace -- CMD ARGS` runs one program (the terminal passes through to it); `trace --server
//! '…' --client '…'` runs both ends, the clients once the server has bound its socket, and stops
//! the server when the clients are done. The report is `run`'s: the text timeline and summary of
//! each connection (requests, then replies), then the programs: how each ended, the calls it
//! made, a loop's empty reads, what it printed.
//!
//! Exit status: 0 when every program exited 0 (a server stopped because its clients were done
//! counts as fine), 1 when one failed, crashed or was stopped (`--timeout-s`), 2 when nothing
//! could be traced (no such program, ptrace refused, not Linux), 130/143 on a signal.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;

use crate::analysis::Model;
use crate::cli::{parse_framing, LengthArgs, UsageError};
use crate::config::{Experiment, SettingProblem, Transports};
use crate::engine::trace::{self, Output, ProgramEnd, Role, StopCause, TraceFact, TraceSpec};
use crate::export::text_timeline;
use crate::facts::{EngineError, Event};
use crate::i18n::{t, tf, Lang, S};
use crate::session::{Keep, RecordTo, Session};

#[derive(Args, Debug, Default)]
pub struct TraceArgs {
    /// The server's command line (split as a shell would); it starts first, the clients once it has bound its socket
    #[arg(long, value_name = "COMMAND", requires = "client")]
    pub server: Option<String>,
    /// A client's command line; repeat for several clients. The run ends when the clients have ended (the server is then stopped)
    #[arg(long, value_name = "COMMAND", requires = "server")]
    pub client: Vec<String>,
    /// The server's standard input, from FILE (default: nothing)
    #[arg(long = "server-input", value_name = "FILE", requires = "server")]
    pub server_input: Option<PathBuf>,
    /// Each client's standard input, from FILE, for the course's input() loops (default: nothing)
    #[arg(long = "client-input", value_name = "FILE", requires = "server")]
    pub client_input: Option<PathBuf>,
    // the help of the settings flags here is their `config::Setting`'s, put on by `help::localize`
    #[arg(long, default_value = "none")]
    pub framing: String,
    /// Which axes --framing decodes: both, requests (client to server) or replies (server to client; the course's struct + JSON pair frames its replies only)
    #[arg(long = "framing-axes", value_name = "both|requests|replies", default_value = "both")]
    pub framing_axes: String,
    #[arg(long = "max-frame")]
    pub max_frame: Option<String>,
    #[command(flatten)]
    pub length: LengthArgs,
    /// Stop every program after this many seconds; what was recorded is kept
    #[arg(long = "timeout-s", value_name = "SECONDS")]
    pub timeout_s: Option<String>,
    /// Write the traced run as a JSON recording to FILE (gzip if FILE ends in .gz), or - for stdout
    #[arg(long, value_name = "FILE|-")]
    pub json: Option<String>,
    /// Width of the text timeline in columns.
    #[arg(long, default_value_t = 100)]
    pub width: usize,
    /// The one program to trace and its arguments, after --
    #[arg(last = true, value_name = "CMD")]
    pub command: Vec<String>,
}

/// The longest `--timeout-s`: a day.
const MAX_TIMEOUT_S: u64 = 86_400;

/// A command line split as a shell would (`python3 'my server.py'`).
fn split(flag: &str, text: &str, lang: Lang) -> Result<Vec<String>, UsageError> {
    match shlex::split(text) {
        Some(words) if !words.is_empty() => Ok(words),
        _ => Err(UsageError(format!(
            "--{flag}: {}",
            tf(lang, S::TraceUsageBadCommand, &[("text", &text)])
        ))),
    }
}

/// The flags read into what to trace, and the experiment the recording names (its framing).
pub fn spec(args: &TraceArgs, lang: Lang) -> Result<(TraceSpec, Experiment), UsageError> {
    let framing = parse_framing(&args.framing, lang)?;
    let max_frame_len = match &args.max_frame {
        Some(v) => crate::cli::args::setting(crate::config::Setting::MaxFrame, v, lang)?,
        None => crate::framing::DEFAULT_MAX_FRAME_LEN,
    };
    crate::config::validate_max_frame_len(max_frame_len).map_err(|e| UsageError::setting(e, lang))?;
    let mut prefix = crate::framing::LengthPrefix::default();
    args.length.apply(&mut prefix, framing, lang)?;
    let timeout = match &args.timeout_s {
        None => None,
        Some(v) => {
            let n = v.trim().parse::<u64>().map_err(|_| {
                UsageError(format!(
                    "--timeout-s: {}",
                    tf(
                        lang,
                        S::CliNotNumber,
                        &[("text", v), ("allowed", &format!("1-{MAX_TIMEOUT_S}"))]
                    )
                ))
            })?;
            if !(1..=MAX_TIMEOUT_S).contains(&n) {
                let p = SettingProblem::OutOfRange {
                    value: n,
                    min: 1,
                    max: MAX_TIMEOUT_S,
                };
                return Err(UsageError(format!(
                    "--timeout-s: {}",
                    crate::describe::setting_problem(&p, lang)
                )));
            }
            Some(Duration::from_secs(n))
        }
    };
    let pair = args.server.is_some();
    if pair && !args.command.is_empty() {
        return Err(UsageError(t(lang, S::TraceUsageBoth).into()));
    }
    if !pair && args.command.is_empty() {
        return Err(UsageError(t(lang, S::TraceNoCommand).into()));
    }
    let server = args.server.as_deref().map(|s| split("server", s, lang)).transpose()?;
    if server.is_some() && args.client.is_empty() {
        return Err(UsageError(t(lang, S::TraceUsageNeedClient).into()));
    }
    let clients = args
        .client
        .iter()
        .map(|c| split("client", c, lang))
        .collect::<Result<Vec<_>, _>>()?;
    let axes = match args.framing_axes.trim() {
        "both" => trace::FramedAxes::Both,
        "requests" => trace::FramedAxes::Requests,
        "replies" => trace::FramedAxes::Replies,
        other => {
            return Err(UsageError(format!(
                "--framing-axes: {}",
                tf(
                    lang,
                    S::TraceUsageAxes,
                    &[("text", &other), ("allowed", &"both, requests, replies")]
                )
            )))
        }
    };
    let decode = trace::Decode {
        framing,
        max_frame_len,
        prefix,
        axes,
    };
    let bind_wait = timeout.map_or(trace::BIND_WAIT, |t| t.min(trace::BIND_WAIT));
    let spec = TraceSpec {
        program: args.command.clone(),
        server,
        clients,
        server_input: args.server_input.clone(),
        client_input: args.client_input.clone(),
        decode,
        timeout,
        bind_wait,
        byte_cap: trace::BYTES_PER_CALL,
        helper: None,
    };
    let exp = Experiment {
        transports: Transports::Tcp,
        framing,
        max_frame_len,
        length_prefix: prefix,
        ..Experiment::default()
    };
    Ok((spec, exp))
}

/// `stickyviz trace`.
pub fn trace(args: &TraceArgs, lang: Lang) -> Result<()> {
    crate::cli::args::check_width(args.width, lang)?;
    let (spec, exp) = spec(args, lang)?;
    crate::cli::stop::install().context(t(lang, S::CliNoSignals))?;
    let (output, json) = crate::cli::output::json_output(args.json.as_deref())?.unzip();
    let run = match trace::start(&spec, None) {
        Ok(run) => run,
        // nothing ran: like a bad flag (exit 2), in words that say what to do
        Err(EngineError::Trace(f)) => return Err(UsageError(crate::describe::trace::trace_failure(&f, lang)).into()),
        Err(e) => return Err(e).context(t(lang, S::CliCannotStart)),
    };
    let mut session = Session::command();
    session.attach(
        run,
        &exp,
        None,
        RecordTo::Output {
            output,
            keep: Keep::Nothing,
        },
    )?;
    let mut facts: Vec<TraceFact> = Vec::new();
    let stopped_by = crate::cli::stop::fold(&mut session, |_, batch| {
        facts.extend(batch.iter().filter_map(|e| match e {
            Event::Trace { fact } => Some(fact.clone()),
            _ => None,
        }));
    });
    let mut text = streams_report(session.model(), args.width, lang);
    text.push_str(&programs_report(&facts, lang));
    crate::cli::output::report_and_recording(&text, &session, json.as_deref(), lang)?;
    if let Some(i) = stopped_by {
        return Err(i.into());
    }
    if failed(&facts) {
        return Err(anyhow::Error::msg(t(lang, S::TraceFailed)));
    }
    Ok(())
}

/// Whether a program failed: it exited non-zero, was ended by a signal, or stickyviz had to
/// stop it (a server stopped because its clients were done is fine), or a client never started.
pub fn failed(facts: &[TraceFact]) -> bool {
    facts.iter().any(|f| match f {
        TraceFact::Ended {
            stopped: Some(StopCause::ClientsDone),
            ..
        } => false,
        TraceFact::Ended { stopped: Some(_), .. } => true,
        TraceFact::Ended { end, .. } => *end != ProgramEnd::Exited { code: 0 },
        TraceFact::ClientNotStarted { .. } => true,
        _ => false,
    })
}

/// Each connection: its request axis (timeline and summary), then its reply axis.
pub fn streams_report(model: &Model, width: usize, lang: Lang) -> String {
    let mut out = String::new();
    let conns = std::iter::once(model).chain(model.echo().into_iter().flat_map(|e| e.connections.iter()));
    let mut any = false;
    for (k, m) in conns.enumerate() {
        let Some((from, to)) = m.connection() else { continue };
        any = true;
        let conn = k + 1;
        let _ = writeln!(
            out,
            "{}",
            tf(lang, S::TraceRequests, &[("conn", &conn), ("from", &from), ("to", &to)])
        );
        out.push_str(&text_timeline::render(m, width, lang));
        out.push_str(&text_timeline::summary(m, lang));
        if let Some(replies) = m.echo().map(|e| &e.replies) {
            let _ = writeln!(out, "\n{}", tf(lang, S::TraceReplies, &[("conn", &conn)]));
            out.push_str(&text_timeline::render(replies, width, lang));
            out.push_str(&text_timeline::summary(replies, lang));
        }
        out.push('\n');
    }
    let datagrams = model.summary().datagrams_sent + model.summary().datagrams_received;
    if datagrams > 0 {
        any = true;
        out.push_str(&text_timeline::render(model, width, lang));
        out.push_str(&text_timeline::summary(model, lang));
        if let Some(replies) = model.echo().map(|e| &e.replies) {
            let _ = writeln!(out, "\n{}", tf(lang, S::TraceReplies, &[("conn", &1)]));
            out.push_str(&text_timeline::render(replies, width, lang));
            out.push_str(&text_timeline::summary(replies, lang));
        }
    }
    if !any {
        let _ = writeln!(out, "{}", t(lang, S::TraceNoSockets));
    }
    out
}

/// The programs: started, ready, ended, their calls, what they printed.
pub fn programs_report(facts: &[TraceFact], lang: Lang) -> String {
    let mut out = format!("{}\n", t(lang, S::TraceProgramsHeader));
    let ready = facts.iter().any(|f| matches!(f, TraceFact::ServerReady { .. }));
    let server = facts
        .iter()
        .any(|f| matches!(f, TraceFact::Started { role: Role::Server, .. }));
    for f in facts {
        if let Some(line) = crate::describe::trace::fact(f, lang) {
            let _ = writeln!(out, "  {line}");
        }
    }
    if server && !ready {
        let _ = writeln!(out, "  {}", t(lang, S::TraceNeverBound));
    }
    // what each program printed, gathered per program and output
    let mut printed: Vec<((Role, Output), String, u64)> = Vec::new();
    for f in facts {
        if let TraceFact::Output {
            role,
            output,
            text,
            cut,
            ..
        } = f
        {
            match printed.iter_mut().find(|(k, _, _)| *k == (*role, *output)) {
                Some((_, t, c)) => {
                    t.push_str(text);
                    *c += cut;
                }
                None => printed.push(((*role, *output), text.clone(), *cut)),
            }
        }
    }
    for ((role, output), text, cut) in printed {
        let _ = writeln!(out, "{}", crate::describe::trace::output_header(role, output, lang));
        for line in text.lines() {
            let _ = writeln!(out, "  │ {line}");
        }
        if cut > 0 {
            let _ = writeln!(out, "  {}", tf(lang, S::TraceOutputCut, &[("count", &cut)]));
        }
    }
    out
}
