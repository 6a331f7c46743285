//! `stickyviz listen` and `stickyviz send`: the app against real external peers (the seed's
//! Python programs, `nc`, a student's code).
//!
//! Addresses default to 127.0.0.1: a bare port means `127.0.0.1:PORT`. Any other address is
//! used only when the user writes it, and then with a warning, because a listener on a public
//! interface lets anyone on the network feed the app.

use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::atomic::Ordering;

use anyhow::{Context, Result};
use clap::{ArgGroup, Args};

use crate::analysis::Model;
use crate::cli::args::{parse_framing, SettingsArgs, UsageError};
use crate::config::{Experiment, Transports};
use crate::engine::peer::{self, ListenOn, ListenOptions};
use crate::engine::Run;
use crate::export::text_timeline;
use crate::facts::Event;
use crate::i18n::{summary_line, t, tf, Lang, S};
use crate::session::{Keep, RecordTo, Session};

#[derive(Args, Debug)]
#[command(group(ArgGroup::new("transport").required(true).args(["tcp", "udp"])))]
pub struct ListenArgs {
    /// Serve TCP clients on ADDR (PORT alone = 127.0.0.1:PORT; port 0 = any free port), each
    /// in its own thread, like the seed's ThreadingTCPServer.
    #[arg(long, value_name = "ADDR")]
    pub tcp: Option<String>,
    /// Receive UDP datagrams on ADDR.
    #[arg(long, value_name = "ADDR")]
    pub udp: Option<String>,
    // the help of every settings flag here is its `config::Setting`'s, put on by `help::localize`
    #[arg(long, default_value = "none")]
    pub framing: String,
    #[arg(long = "read-size", default_value = "1024")]
    pub read_size: String,
    #[arg(long = "max-frame")]
    pub max_frame: Option<String>,
    #[command(flatten)]
    pub length: crate::cli::args::LengthArgs,
    /// Answer each read (datagram) with its bytes upper-cased, like the seed's echo servers; with
    /// TCP framing, each frame, upper-cased and framed again the same way.
    #[arg(long)]
    pub echo: bool,
    /// Test a client: answer its frames (implies --echo) with replies cut the way a network can:
    /// one byte per write, header apart from body, two replies in one write; a client that
    /// reads a reply with one recv(1024) is caught
    #[arg(long, conflicts_with = "udp")]
    pub torture: bool,
    // no default here: 1, or 0 (until stopped) for a class listening beyond 127.0.0.1 (listen_spec)
    #[arg(long)]
    pub clients: Option<String>,
    #[arg(long = "idle-ms", default_value = "2000")]
    pub idle_ms: String,
    /// Print the text timeline and summary when the peer is done, instead of opening the window.
    #[arg(long)]
    pub headless: bool,
    /// Also write the session as a JSON recording to FILE, or - for stdout.
    #[arg(long, value_name = "FILE|-")]
    pub json: Option<String>,
    /// Width of the text timeline in columns.
    #[arg(long, default_value_t = 100)]
    pub width: usize,
}

#[derive(Args, Debug)]
#[command(group(ArgGroup::new("transport").required(true).args(["tcp", "udp"])))]
pub struct SendArgs {
    /// Connect to a TCP server at HOST:PORT (PORT alone = 127.0.0.1:PORT).
    #[arg(long, value_name = "HOST:PORT")]
    pub tcp: Option<String>,
    /// Send the workload as UDP datagrams to HOST:PORT.
    #[arg(long, value_name = "HOST:PORT")]
    pub udp: Option<String>,
    /// Start from a preset's settings; other flags override it.
    #[arg(long, value_name = "NAME")]
    pub preset: Option<String>,
    #[command(flatten)]
    pub settings: SettingsArgs,
    /// Write the run as a JSON recording to FILE, or - for stdout.
    #[arg(long, value_name = "FILE|-")]
    pub json: Option<String>,
    /// Test an echo server: run fixed scenarios that cut frames the way a network can (1-byte
    /// writes, header apart from body, length prefix split, many frames in one write, empty and
    /// large bodies, two clients) and print pass/fail for each; the server must answer each
    /// frame in the same framing, as sent or upper-cased. Exit status 0 when every scenario
    /// passed, 1 when one failed
    #[arg(long, conflicts_with_all = ["udp", "json"])]
    pub torture: bool,
    /// Width of the text timeline in columns.
    #[arg(long, default_value_t = 100)]
    pub width: usize,
}

/// `PORT` → 127.0.0.1:PORT; `HOST:PORT` is resolved (first address). Warns on stderr when the
/// address is not loopback.
pub fn parse_addr(flag: &str, v: &str, lang: Lang) -> Result<SocketAddr, UsageError> {
    let addr = if let Ok(port) = v.trim().parse::<u16>() {
        SocketAddr::from(([127, 0, 0, 1], port))
    } else {
        v.to_socket_addrs()
            .map_err(|e| {
                UsageError(format!(
                    "--{flag}: {}",
                    tf(
                        lang,
                        S::PeerBadAddr,
                        &[("text", &v), ("error", &crate::describe::os_error(&(&e).into(), lang))]
                    )
                ))
            })?
            .next()
            .ok_or_else(|| UsageError(format!("--{flag}: {}", tf(lang, S::PeerNoAddr, &[("text", &v)]))))?
    };
    if !addr.ip().is_loopback() {
        eprintln!("{}", tf(lang, S::PeerNotLoopback, &[("flag", &flag), ("addr", &addr)]));
    }
    Ok(addr)
}

/// Reads the `listen` flags into options; errors name the flag.
pub fn listen_options(args: &ListenArgs, lang: Lang) -> Result<ListenOptions, UsageError> {
    let read_size: u32 = crate::cli::args::setting(crate::config::Setting::ReadSize, &args.read_size, lang)?;
    crate::config::validate_read_size(crate::config::Setting::ReadSize, read_size)
        .map_err(|e| UsageError::setting(e, lang))?;
    let max_frame_len = match &args.max_frame {
        Some(v) => crate::cli::args::setting(crate::config::Setting::MaxFrame, v, lang)?,
        None => crate::framing::DEFAULT_MAX_FRAME_LEN,
    };
    crate::config::validate_max_frame_len(max_frame_len).map_err(|e| UsageError::setting(e, lang))?;
    let idle_ms: u64 = crate::cli::args::setting(crate::config::Setting::IdleMs, &args.idle_ms, lang)?;
    crate::config::validate_idle_ms(idle_ms).map_err(|e| UsageError::setting(e, lang))?;
    let clients: u32 = crate::cli::args::setting(
        crate::config::Setting::ListenClients,
        args.clients.as_deref().unwrap_or("1"),
        lang,
    )?;
    crate::config::validate_listen_clients(clients).map_err(|e| UsageError::setting(e, lang))?;
    let framing = parse_framing(&args.framing, lang)?;
    let mut length_prefix = crate::framing::LengthPrefix::default();
    args.length.apply(&mut length_prefix, framing, lang)?;
    Ok(ListenOptions {
        framing,
        read_size,
        max_frame_len,
        length_prefix,
        echo: args.echo || args.torture,
        torture: args.torture,
        idle_ms,
        clients,
        refusal: refusal_line(lang),
    })
}

/// What a client turned away from a full class session reads: why, and the limit. Worded once
/// per listen (a process runs one), so leaking it gives the engine the `'static` line it keeps.
fn refusal_line(lang: Lang) -> &'static str {
    Box::leak(
        tf(
            lang,
            S::PeerRefusedLine,
            &[("limit", &crate::config::MAX_CLIENTS_AT_ONCE)],
        )
        .into_boxed_str(),
    )
}

/// Reads the `listen` flags into where to listen and how to read; errors name the flag.
pub fn listen_spec(args: &ListenArgs, lang: Lang) -> Result<(ListenOn, ListenOptions), UsageError> {
    let opts = listen_options(args, lang)?;
    let on = match (&args.tcp, &args.udp) {
        (Some(a), _) => ListenOn::Tcp(parse_addr("tcp", a, lang)?),
        (None, Some(a)) => ListenOn::Udp(parse_addr("udp", a, lang)?),
        (None, None) => return Err(UsageError(t(lang, S::PeerNeedTcpOrUdp).into())),
    };
    let mut opts = opts;
    if let (ListenOn::Tcp(addr), None) = (on, &args.clients) {
        // beyond loopback is a class: it goes on until Stop, as students come and go
        if !addr.ip().is_loopback() {
            opts.clients = 0;
        }
    }
    Ok((on, opts))
}

/// Binds what `listen` asks for and starts recording; prints where it listens on stderr.
pub fn start_listen(args: &ListenArgs, lang: Lang) -> Result<(Run, Experiment, SocketAddr)> {
    let (on, opts) = listen_spec(args, lang)?;
    let l = peer::start_listen(on, opts, None)?;
    let proto = if matches!(on, ListenOn::Udp(_)) { "udp" } else { "tcp" };
    eprintln!(
        "{}",
        tf(lang, S::PeerListening, &[("proto", &proto), ("bound", &l.bound)])
    );
    if l.bound.ip().is_unspecified() {
        // on every interface: the addresses a class types, as the window puts them on the projector
        match peer::reachable_addrs(l.bound) {
            Ok(addrs) if addrs.is_empty() => eprintln!("{}", t(lang, S::ClassNoAddrs)),
            Ok(addrs) => eprintln!(
                "{} {}",
                t(lang, S::ClassConnectTo),
                addrs.iter().map(ToString::to_string).collect::<Vec<_>>().join("  ")
            ),
            Err(e) => eprintln!(
                "{}: {}",
                t(lang, S::ClassNoAddrs),
                crate::describe::os_error(&(&e).into(), lang)
            ),
        }
    }
    Ok((l.run, l.experiment, l.bound))
}

/// `listen --headless`.
pub fn listen(args: &ListenArgs, lang: Lang) -> Result<()> {
    if !args.headless {
        return Err(UsageError(t(lang, S::CliListenNeedsHeadless).into()).into());
    }
    crate::cli::args::check_width(args.width, lang)?;
    crate::cli::stop::install().context(t(lang, S::CliNoSignals))?;
    let (output, json) = crate::cli::output::json_output(args.json.as_deref())?.unzip();
    let (run, exp, _) = start_listen(args, lang)?;
    // an external sender's datagrams are listed from the events themselves (datagram_lines)
    let keep = match exp.transports {
        Transports::Udp => Keep::All { max: usize::MAX },
        _ => Keep::Nothing,
    };
    let mut session = Session::command();
    session.attach(run, &exp, None, RecordTo::Output { output, keep })?;
    // Each client's report as its connection ends, so a student sees their client's problem
    // while the listener goes on waiting for the next one.
    let mut progress = crate::cli::progress::Progress::new();
    let (mut events_seen, mut bytes, mut clients) = (0u64, 0u64, 0u64);
    let stopped_by = crate::cli::stop::fold(&mut session, |_, batch| {
        for e in batch {
            events_seen += 1;
            match e {
                Event::Read { len, .. } | Event::DatagramReceived { len, .. } => bytes += u64::from(*len),
                Event::Conn { event, .. } => {
                    if let Event::Read { len, .. } = **event {
                        bytes += u64::from(len);
                    }
                }
                Event::Client { .. } => {
                    clients += 1;
                    let m = Model::from_events([e]);
                    if let Some(c) = m.clients().first() {
                        progress.eprintln(&crate::describe::client_report(c, lang));
                    }
                }
                _ => {}
            }
        }
        if progress.due() {
            progress.set(tf(
                lang,
                S::ProgressListen,
                &[
                    ("events_seen", &crate::export::units::grouped(events_seen)),
                    ("bytes", &crate::export::units::bytes(bytes)),
                    ("clients", &clients),
                ],
            ));
        }
    });
    progress.clear();
    let udp = exp.transports == Transports::Udp;
    let model = session.model();
    // a class (two streams or more): the main timeline's counts are its first client's, listed
    // with it; the summary's are the whole session's (client_lines)
    let one_stream = udp || model.listen_lanes().count() <= 1;
    let mut text = report(model, args.width, lang, one_stream);
    if udp {
        text.push_str(&datagram_lines(session.record().kept(), lang));
    } else {
        text.push_str(&client_lines(model, args.width, lang));
    }
    crate::cli::output::report_and_recording(&text, &session, json.as_deref(), lang)?;
    crate::cli::stop::outcome(session.model(), stopped_by)
}

/// `send`.
pub fn send(args: &SendArgs, lang: Lang) -> Result<()> {
    crate::cli::args::check_width(args.width, lang)?;
    let mut exp = match &args.preset {
        Some(name) => crate::cli::args::preset_experiment(name, lang)?,
        None => Experiment::default(),
    };
    exp.transports = if args.udp.is_some() {
        Transports::Udp
    } else {
        Transports::Tcp
    };
    // the family the datagrams travel over decides the largest one
    let udp_to = args.udp.as_deref().map(|a| parse_addr("udp", a, lang)).transpose()?;
    args.settings
        .apply_udp_over(&mut exp, udp_to.is_some_and(|a| a.is_ipv6()), lang)?;
    if exp.link.is_some() {
        // the server is outside any namespace of ours: its packets never cross our link
        return Err(UsageError(format!(
            "--{}: {}",
            crate::config::Setting::Link.flag(),
            t(lang, S::CliLinkRunOnly)
        ))
        .into());
    }
    crate::cli::stop::install().context(t(lang, S::CliNoSignals))?;
    if args.torture {
        let target = parse_addr("tcp", args.tcp.as_deref().unwrap_or_default(), lang)?;
        return crate::cli::torture::torture(target, &exp, lang);
    }
    let (output, json) = crate::cli::output::json_output(args.json.as_deref())?.unzip();
    let (run, replies) = match (&args.tcp, &args.udp) {
        (Some(a), _) => peer::send_tcp(parse_addr("tcp", a, lang)?, &exp, None)?,
        (None, Some(_)) => match udp_to {
            Some(to) => peer::send_udp(to, &exp, None)?,
            None => return Err(UsageError(t(lang, S::PeerNeedTcpOrUdp).into()).into()),
        },
        (None, None) => return Err(UsageError(t(lang, S::PeerNeedTcpOrUdp).into()).into()),
    };
    let mut session = Session::command();
    let keep = Keep::Nothing;
    session.attach(run, &exp, None, RecordTo::Output { output, keep })?;
    let stopped_by = crate::cli::stop::fold(&mut session, |_, _| {});
    let mut text = report(session.model(), args.width, lang, true);
    let (bytes, datagrams) = (
        replies.bytes.load(Ordering::Relaxed),
        replies.datagrams.load(Ordering::Relaxed),
    );
    text.push_str(&summary_line(lang, S::PeerBytesBack, &bytes.to_string()));
    if exp.transports == Transports::Udp {
        text.push_str(&summary_line(lang, S::PeerDatagramsBack, &datagrams.to_string()));
    }
    crate::cli::output::report_and_recording(&text, &session, json.as_deref(), lang)?;
    crate::cli::stop::outcome(session.model(), stopped_by)
}

/// The main timeline and its summary; `stream_counts` = also the counts of its external
/// sender's stream (false for a class of two or more, whose totals are all clients').
fn report(model: &Model, width: usize, lang: Lang, stream_counts: bool) -> String {
    let mut text = format!(
        "{}\n{}",
        text_timeline::render(model, width, lang),
        text_timeline::summary(model, lang)
    );
    // The shared summary starts from the sender's messages; an external sender has none here.
    let s = &model.summary();
    if stream_counts && s.messages == 0 && s.reads > 0 {
        for (k, v) in [
            (S::SumReads, s.reads.to_string()),
            (S::SumBytesReceived, s.bytes_received.to_string()),
            (S::SumFrames, s.frames.to_string()),
            (S::SumDecodeErrors, s.decode_errors.to_string()),
            (S::SumRcvBuf, s.rcvbuf_actual.map_or("-".into(), |n| n.to_string())),
        ] {
            text.push_str(&summary_line(lang, k, &v));
        }
        // the decoded frames are an external sender's messages: reads classified against them
        if s.frames > 0 {
            for (k, v) in [
                (S::SumMerged, s.merged_reads),
                (S::SumSplit, s.split_messages),
                (S::SumExact, s.exact_reads),
            ] {
                text.push_str(&summary_line(lang, k, &v.to_string()));
            }
        }
    }
    if let Some((from, to)) = &model.connection() {
        text.push_str(&summary_line(lang, S::PeerConnection, &format!("{from} → {to}")));
    }
    text
}

/// `listen --tcp`: the timelines of connections 1.. and every client's report.
fn client_lines(model: &Model, width: usize, lang: Lang) -> String {
    let mut out = String::new();
    for (k, c) in model.echo().into_iter().flat_map(|e| e.connections.iter()).enumerate() {
        out.push_str(&format!("\n{}\n", tf(lang, S::EchoConnection, &[("conn", &(k + 1))])));
        out.push_str(&text_timeline::render(c, width, lang));
        out.push_str(&summary_line(lang, S::SumFrames, &c.summary().frames.to_string()));
        out.push_str(&summary_line(
            lang,
            S::SumDecodeErrors,
            &c.summary().decode_errors.to_string(),
        ));
    }
    out.push_str(&format!("\n{}\n", t(lang, S::PeerClientsHeader)));
    for c in model.clients() {
        out.push_str(&format!("  {}\n", crate::describe::client_report(c, lang)));
    }
    let unlisted = model.clients_total().saturating_sub(model.clients().len() as u64);
    if unlisted > 0 {
        out.push_str(&format!(
            "  {}\n",
            tf(lang, S::PeerClientsMore, &[("count", &unlisted)])
        ));
    }
    out.push_str(&summary_line(
        lang,
        S::PeerClientsServed,
        &model.clients_served().to_string(),
    ));
    out.push_str(&summary_line(
        lang,
        S::PeerClientsConnected,
        &model.clients_total().to_string(),
    ));
    out.push('\n');
    out.push_str(&crate::describe::class_totals(&model.class_totals(), lang));
    out
}

/// External datagrams carry no `msg-N|` ids, so the model's per-message table misses them;
/// list them as they came.
fn datagram_lines(events: &[Event], lang: Lang) -> String {
    let mut out = format!("{}\n", t(lang, S::PeerDatagramsHeader));
    let mut n = 0;
    for e in events {
        if let Event::DatagramReceived {
            at_us, len, real_len, ..
        } = e
        {
            if n < 100 {
                let lost = if real_len > len {
                    format!("  {}", tf(lang, S::TtTruncated, &[("lost", &(real_len - len))]))
                } else {
                    String::new()
                };
                let line = tf(
                    lang,
                    S::PeerDatagramLine,
                    &[
                        ("msg", &format!("d{n:<4}")),
                        ("at_us", &format!("{at_us:>8}")),
                        ("bytes", &format!("{len:>6}")),
                        ("sent", &format!("{real_len:>6}")),
                        ("truncated", &lost),
                    ],
                );
                out.push_str(&line);
                out.push('\n');
            }
            n += 1;
        }
    }
    out.push_str(&summary_line(lang, S::SumDgReceived, &n.to_string()));
    out
}
