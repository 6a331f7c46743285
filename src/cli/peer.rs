//! `stickyviz listen` and `stickyviz send`: the app against real external peers (the seed's
//! Python programs, `nc`, a student's code).
//!
//! Addresses default to 127.0.0.1: a bare port means `127.0.0.1:PORT`. Any other address is
//! used only when the user writes it, and then with a warning, because a listener on a public
//! interface lets anyone on the network feed the app.

use std::io::Write;
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::atomic::Ordering;

use anyhow::{Context, Result};
use clap::{ArgGroup, Args};

use crate::analysis::{ClientRec, Model};
use crate::cli::{parse_framing, SettingsArgs, UsageError};
use crate::config::{Experiment, Transports};
use crate::engine::peer::{self, ListenOn, ListenOptions};
use crate::engine::{Event, Run};
use crate::recording::Recording;
use crate::i18n::{summary_line, t, tf, S};
use crate::export::text_timeline;
use crate::presets;

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
    /// Decode the stream: none, u32, seed-json, newline, naive-u32.
    #[arg(long, default_value = "none")]
    pub framing: String,
    /// The recv(N) size.
    #[arg(long = "read-size", default_value = "1024")]
    pub read_size: String,
    /// Largest frame the decoder accepts, bytes.
    #[arg(long = "max-frame")]
    pub max_frame: Option<String>,
    /// Answer each read (datagram) with its bytes upper-cased, like the seed's echo servers.
    #[arg(long)]
    pub echo: bool,
    /// TCP: end after this many clients were served (0 = until stopped). A client that sends
    /// nothing, resets, or sends a header that cannot be decoded is reported and not counted.
    #[arg(long, default_value = "1")]
    pub clients: String,
    /// UDP: stop this many milliseconds after the last datagram.
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
    /// Width of the text timeline in columns.
    #[arg(long, default_value_t = 100)]
    pub width: usize,
}


/// `PORT` → 127.0.0.1:PORT; `HOST:PORT` is resolved (first address). Warns on stderr when the
/// address is not loopback.
pub fn parse_addr(flag: &str, v: &str) -> Result<SocketAddr, UsageError> {
    let addr = if let Ok(port) = v.trim().parse::<u16>() {
        SocketAddr::from(([127, 0, 0, 1], port))
    } else {
        v.to_socket_addrs()
            .map_err(|e| UsageError(format!("--{flag}: {}", tf(crate::cli::lang(), S::PeerBadAddr, &[&v, &e]))))?
            .next()
            .ok_or_else(|| UsageError(format!("--{flag}: {}", tf(crate::cli::lang(), S::PeerNoAddr, &[&v]))))?
    };
    if !addr.ip().is_loopback() {
        eprintln!("{}", tf(crate::cli::lang(), S::PeerNotLoopback, &[&flag, &addr]));
    }
    Ok(addr)
}

fn check_width(width: usize) -> Result<(), UsageError> {
    if !(20..=1000).contains(&width) {
        let problem = crate::config::SettingProblem::OutOfRange { value: width as u64, min: 20, max: 1000 };
        return Err(UsageError(format!("--width: {}", crate::i18n::setting_problem(&problem, crate::cli::lang()))));
    }
    Ok(())
}

/// Reads the `listen` flags into options; errors name the flag.
pub fn listen_options(args: &ListenArgs) -> Result<ListenOptions, UsageError> {
    let read_size: u32 = crate::cli::number("read-size", &args.read_size, "1..=1048576")?;
    crate::config::validate_read_size("read-size", read_size)?;
    let max_frame_len = match &args.max_frame {
        Some(v) => crate::cli::number("max-frame", v, "1..=67108864")?,
        None => crate::framing::DEFAULT_MAX_FRAME_LEN,
    };
    crate::config::validate_max_frame_len(max_frame_len)?;
    let idle_ms: u64 = crate::cli::number("idle-ms", &args.idle_ms, "1..=600000")?;
    if !(1..=600_000).contains(&idle_ms) {
        let problem = crate::config::SettingProblem::OutOfRange { value: idle_ms, min: 1, max: 600_000 };
        return Err(UsageError(format!("--idle-ms: {}", crate::i18n::setting_problem(&problem, crate::cli::lang()))));
    }
    let clients: u32 = crate::cli::number("clients", &args.clients, "0..=1000000")?;
    if clients > 1_000_000 {
        let problem = crate::config::SettingProblem::OutOfRange { value: clients.into(), min: 0, max: 1_000_000 };
        return Err(UsageError(format!("--clients: {}", crate::i18n::setting_problem(&problem, crate::cli::lang()))));
    }
    Ok(ListenOptions { framing: parse_framing(&args.framing)?, read_size, max_frame_len, echo: args.echo, idle_ms, clients })
}

/// Reads the `listen` flags into where to listen and how to read; errors name the flag.
pub fn listen_spec(args: &ListenArgs) -> Result<(ListenOn, ListenOptions), UsageError> {
    let opts = listen_options(args)?;
    let on = match (&args.tcp, &args.udp) {
        (Some(a), _) => ListenOn::Tcp(parse_addr("tcp", a)?),
        (None, Some(a)) => ListenOn::Udp(parse_addr("udp", a)?),
        (None, None) => return Err(UsageError(t(crate::cli::lang(), S::PeerNeedTcpOrUdp).into())),
    };
    Ok((on, opts))
}

/// Binds what `listen` asks for and starts recording; prints where it listens on stderr.
pub fn start_listen(args: &ListenArgs) -> Result<(Run, Experiment, SocketAddr)> {
    let (on, opts) = listen_spec(args)?;
    let l = peer::start_listen(on, opts, None)?;
    let proto = if matches!(on, ListenOn::Udp(_)) { "udp" } else { "tcp" };
    eprintln!("{}", tf(crate::cli::lang(), S::PeerListening, &[&proto, &l.bound]));
    Ok((l.run, l.experiment, l.bound))
}

/// `listen --headless`.
pub fn listen(args: &ListenArgs) -> Result<()> {
    if !args.headless {
        return Err(UsageError("this build opens no window for listen; add --headless".into()).into());
    }
    check_width(args.width)?;
    let (run, exp, _) = start_listen(args)?;
    let lang = crate::cli::lang();
    let mut events = Vec::new();
    // Each client's report as its connection ends, so a student sees their client's problem
    // while the listener goes on waiting for the next one.
    for batch in run.events().iter() {
        for e in &batch {
            if let Event::Client { at_us, peer, lane, bytes, frames, outcome } = e {
                let c = ClientRec { at_us: *at_us, peer: peer.clone(), lane: *lane, bytes: *bytes, frames: *frames, outcome: outcome.clone() };
                eprintln!("{}", crate::i18n::client_report(&c, lang));
            }
        }
        events.extend(batch);
    }
    drop(run);
    let mut text = report(&events, args.width);
    if exp.transports == Transports::Udp {
        text.push_str(&datagram_lines(&events));
    } else {
        text.push_str(&client_lines(&events, args.width));
    }
    output(&text, exp, events, args.json.as_deref())
}

/// `send`.
pub fn send(args: &SendArgs) -> Result<()> {
    check_width(args.width)?;
    let mut exp = match &args.preset {
        Some(name) => presets::find(name)
            .ok_or_else(|| UsageError(format!("--preset: {}", tf(crate::cli::lang(), S::CliUnknownPreset, &[name, &presets::names().join(", ")]))))?
            .experiment,
        None => Experiment::default(),
    };
    exp.transports = if args.udp.is_some() { Transports::Udp } else { Transports::Tcp };
    args.settings.apply(&mut exp)?;
    let (run, replies) = match (&args.tcp, &args.udp) {
        (Some(a), _) => peer::send_tcp(parse_addr("tcp", a)?, &exp, None).context("cannot send")?,
        (None, Some(a)) => peer::send_udp(parse_addr("udp", a)?, &exp, None).context("cannot send")?,
        (None, None) => return Err(UsageError(t(crate::cli::lang(), S::PeerNeedTcpOrUdp).into()).into()),
    };
    let events = run.wait();
    let mut text = report(&events, args.width);
    let (bytes, datagrams) = (replies.bytes.load(Ordering::Relaxed), replies.datagrams.load(Ordering::Relaxed));
    let lang = crate::cli::lang();
    text.push_str(&summary_line(lang, S::PeerBytesBack, &bytes.to_string()));
    if exp.transports == Transports::Udp {
        text.push_str(&summary_line(lang, S::PeerDatagramsBack, &datagrams.to_string()));
    }
    output(&text, exp, events, args.json.as_deref())
}

fn report(events: &[Event], width: usize) -> String {
    let model = Model::from_events(events);
    let mut text = format!("{}\n{}", text_timeline::render(&model, width, crate::cli::lang()), text_timeline::summary(&model, crate::cli::lang()));
    // The shared summary starts from the sender's messages; an external sender has none here.
    let s = &model.summary;
    if s.messages == 0 && s.reads > 0 {
        for (k, v) in [
            (S::SumReads, s.reads.to_string()),
            (S::SumBytesReceived, s.bytes_received.to_string()),
            (S::SumFrames, s.frames.to_string()),
            (S::SumDecodeErrors, s.decode_errors.to_string()),
            (S::SumRcvBuf, s.rcvbuf_actual.map_or("-".into(), |n| n.to_string())),
        ] {
            text.push_str(&summary_line(crate::cli::lang(), k, &v));
        }
    }
    if let Some((from, to)) = &model.connection {
        text.push_str(&summary_line(crate::cli::lang(), S::PeerConnection, &format!("{from} → {to}")));
    }
    text
}

/// `listen --tcp`: the timelines of connections 1.. and every client's report.
fn client_lines(events: &[Event], width: usize) -> String {
    let lang = crate::cli::lang();
    let model = Model::from_events(events);
    let mut out = String::new();
    for (k, c) in model.echo.iter().flat_map(|e| e.connections.iter()).enumerate() {
        out.push_str(&format!("\n{}\n", tf(lang, S::EchoConnection, &[&(k + 1)])));
        out.push_str(&text_timeline::render(c, width, lang));
        out.push_str(&summary_line(lang, S::SumFrames, &c.summary.frames.to_string()));
        out.push_str(&summary_line(lang, S::SumDecodeErrors, &c.summary.decode_errors.to_string()));
    }
    out.push_str(&format!("\n{}\n", t(lang, S::PeerClientsHeader)));
    for c in &model.clients {
        out.push_str(&format!("  {}\n", crate::i18n::client_report(c, lang)));
    }
    let unlisted = model.clients_total.saturating_sub(model.clients.len() as u64);
    if unlisted > 0 {
        out.push_str(&format!("  {}\n", tf(lang, S::PeerClientsMore, &[&unlisted])));
    }
    out.push_str(&summary_line(lang, S::PeerClientsServed, &model.clients_served.to_string()));
    out.push_str(&summary_line(lang, S::PeerClientsConnected, &model.clients_total.to_string()));
    out
}

/// External datagrams carry no `msg-N|` ids, so the model's per-message table misses them;
/// list them as they came.
fn datagram_lines(events: &[Event]) -> String {
    let lang = crate::cli::lang();
    let mut out = format!("{}\n", t(lang, S::PeerDatagramsHeader));
    let mut n = 0;
    for e in events {
        if let Event::DatagramReceived { at_us, len, real_len, .. } = e {
            if n < 100 {
                let lost = if real_len > len { format!("  {}", tf(lang, S::TtTruncated, &[&(real_len - len)])) } else { String::new() };
                let line = tf(lang, S::PeerDatagramLine, &[&format!("d{n:<4}"), &format!("{at_us:>8}"), &format!("{len:>6}"), &format!("{real_len:>6}"), &lost]);
                out.push_str(&line);
                out.push('\n');
            }
            n += 1;
        }
    }
    out.push_str(&summary_line(lang, S::SumDgReceived, &n.to_string()));
    out
}

fn output(text: &str, exp: Experiment, events: Vec<Event>, json: Option<&str>) -> Result<()> {
    match json {
        Some("-") => {
            eprint!("{text}");
            let mut out = std::io::stdout().lock();
            out.write_all(Recording::new(exp, events).to_json().as_bytes())?;
            out.write_all(b"\n")?;
        }
        Some(path) => {
            print!("{text}");
            std::fs::write(path, Recording::new(exp, events).to_json()).with_context(|| format!("cannot write {path}"))?;
            println!("{}", tf(crate::cli::lang(), S::CliRecordingWritten, &[&path]));
        }
        None => print!("{text}"),
    }
    Ok(())
}
