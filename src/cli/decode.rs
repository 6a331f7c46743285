//! `stickyviz decode`: a byte file fed through a decoder in reads of N bytes, so a student can
//! check what their own program wrote.

use std::io::Read;

use anyhow::Result;

use crate::cli::args::{parse_framing, DecodeArgs, UsageError};
use crate::cli::progress::Progress;
use crate::facts::{FileFailure, FileOp, FileTarget};
use crate::framing::{FramingMode, LengthPrefix, NaiveStep, NaiveU32Decoder};
use crate::i18n::{t, tf, Lang, S};

/// Largest input `decode` reads (256 MiB).
const MAX_DECODE_INPUT: u64 = 256 * 1024 * 1024;

pub fn decode(args: &DecodeArgs, lang: Lang) -> Result<()> {
    let mode = parse_framing(&args.framing, lang)?;
    if mode == FramingMode::None {
        return Err(UsageError(format!("--framing: {}", t(lang, S::CliNoFrames))).into());
    }
    let read_size: u32 = crate::cli::args::setting(crate::config::Setting::ReadSize, &args.read_size, lang)?;
    crate::config::validate_read_size(crate::config::Setting::ReadSize, read_size)
        .map_err(|e| UsageError::setting(e, lang))?;
    let read_size = read_size as usize;
    let max = match &args.max_frame {
        Some(v) => crate::cli::args::setting(crate::config::Setting::MaxFrame, v, lang)?,
        None => crate::framing::DEFAULT_MAX_FRAME_LEN,
    };
    crate::config::validate_max_frame_len(max).map_err(|e| UsageError::setting(e, lang))?;
    let mut prefix = LengthPrefix::default();
    args.length.apply(&mut prefix, mode, lang)?;
    let mut bytes = Vec::new();
    // One byte more than the limit tells a file at the limit from a bigger one.
    let limit = MAX_DECODE_INPUT + 1;
    let stdin = |e| FileFailure::std(FileOp::Read, FileTarget::Stdin, &e);
    match args.file.as_deref() {
        None => std::io::stdin().take(limit).read_to_end(&mut bytes).map_err(stdin)?,
        Some(p) if p.as_os_str() == "-" => std::io::stdin().take(limit).read_to_end(&mut bytes).map_err(stdin)?,
        Some(p) => std::fs::File::open(p)
            .map_err(FileFailure::on(FileOp::Open, p))?
            .take(limit)
            .read_to_end(&mut bytes)
            .map_err(FileFailure::on(FileOp::Read, p))?,
    };
    if bytes.len() as u64 > MAX_DECODE_INPUT {
        anyhow::bail!(tf(lang, S::DecodeInputTooBig, &[("max", &MAX_DECODE_INPUT)]));
    }
    let mut progress = Progress::new();
    let report = decode_with_progress(mode, prefix, &bytes, read_size, max, lang, &mut progress);
    progress.clear();
    crate::cli::output::out(&report.text)?;
    if report.failed {
        anyhow::bail!("{}", t(lang, S::CliDecodeFailed));
    }
    Ok(())
}

/// The result of `decode`, as printed.
pub struct DecodeReport {
    pub text: String,
    pub frames: usize,
    pub failed: bool,
}

/// Text (Chinese included) when the payload is UTF-8 with no control characters but tab, CR
/// and LF (shown escaped); hex for anything else, which is binary.
fn show_payload(p: &[u8]) -> String {
    match std::str::from_utf8(p) {
        Ok(s) if s.chars().all(|c| !c.is_control() || matches!(c, '\t' | '\r' | '\n')) => {
            let mut shown = String::new();
            for c in s.chars().take(60) {
                match c {
                    '\r' => shown.push_str("\\r"),
                    '\n' => shown.push_str("\\n"),
                    c => shown.push(c),
                }
            }
            let more = if s.chars().count() > 60 { "…" } else { "" };
            format!("\"{shown}{more}\"")
        }
        _ => {
            let hex: Vec<String> = p.iter().take(24).map(|b| format!("{b:02x}")).collect();
            format!("hex {}{}", hex.join(" "), if p.len() > 24 { " …" } else { "" })
        }
    }
}

/// Decodes `bytes` as if they arrived in reads of `read_size` bytes.
pub fn decode_report(mode: FramingMode, bytes: &[u8], read_size: usize, max: u32, lang: Lang) -> DecodeReport {
    decode_report_with(mode, LengthPrefix::default(), bytes, read_size, max, lang)
}

/// Like [`decode_report`], with `prefix` as the length prefix of `u32` and `naive-u32`.
pub fn decode_report_with(
    mode: FramingMode,
    prefix: LengthPrefix,
    bytes: &[u8],
    read_size: usize,
    max: u32,
    lang: Lang,
) -> DecodeReport {
    decode_with_progress(mode, prefix, bytes, read_size, max, lang, &mut Progress::hidden())
}

/// Reads between two looks at the clock for the progress line: a look costs ~20 ns, a
/// 1-byte read of the decoder a few, so looking at every read would double the work.
const READS_PER_LOOK: usize = 1 << 14;

fn decode_with_progress(
    mode: FramingMode,
    prefix: LengthPrefix,
    bytes: &[u8],
    read_size: usize,
    max: u32,
    lang: Lang,
    progress: &mut Progress,
) -> DecodeReport {
    use std::fmt::Write as _;
    let total = crate::export::units::bytes(bytes.len() as u64);
    let mut show = |done: usize, frames: usize| {
        if progress.due() {
            progress.set(tf(
                lang,
                S::ProgressDecode,
                &[
                    ("bytes", &crate::export::units::bytes(done as u64)),
                    ("total", &total),
                    ("frames", &crate::export::units::grouped(frames as u64)),
                ],
            ));
        }
    };
    let mut text = String::new();
    // read by the progress line while the frame lines count it
    let frames = std::cell::Cell::new(0usize);
    let mut failed = false;
    let frame_line = |text: &mut String, offset: u64, total: usize, payload: &[u8]| {
        let _ = writeln!(
            text,
            "{}",
            tf(
                lang,
                S::CliFrameLine,
                &[
                    ("frame", &frames.get()),
                    ("offset", &offset),
                    ("bytes", &payload.len()),
                    ("stream_bytes", &total),
                    ("payload", &show_payload(payload))
                ]
            )
        );
        frames.set(frames.get() + 1);
    };
    if mode == FramingMode::NaiveU32 {
        let mut dec = NaiveU32Decoder::with_prefix(max, prefix);
        let mut pos = 0;
        let mut k = 0usize;
        while pos < bytes.len() && !dec.is_failed() {
            k += 1;
            if k.is_multiple_of(READS_PER_LOOK) {
                show(pos, frames.get());
            }
            let n = dec.want().clamp(1, read_size).min(bytes.len() - pos);
            match dec.on_read(&bytes[pos..pos + n]) {
                Ok(NaiveStep::Header { .. }) => {}
                Ok(NaiveStep::Frame(f)) => frame_line(&mut text, f.offset, f.total_len, f.payload),
                Ok(NaiveStep::ShortFrame { frame, error }) => {
                    frame_line(&mut text, frame.offset, frame.total_len, frame.payload);
                    let _ = writeln!(
                        text,
                        "{}: {}",
                        t(lang, S::CliError),
                        crate::describe::decode_error(&error, lang)
                    );
                    failed = true;
                }
                Err(e) => {
                    let _ = writeln!(
                        text,
                        "{}: {}",
                        t(lang, S::CliError),
                        crate::describe::decode_error(&e, lang)
                    );
                    failed = true;
                }
            }
            pos += n;
        }
        if let Err(e) = dec.finish() {
            let _ = writeln!(
                text,
                "{}: {}",
                t(lang, S::CliError),
                crate::describe::decode_error(&e, lang)
            );
            failed = true;
        }
    } else if let Some(mut dec) = mode.stream_decoder_with(max, prefix) {
        'reads: for (k, chunk) in bytes.chunks(read_size).enumerate() {
            if k.is_multiple_of(READS_PER_LOOK) {
                show(k * read_size, frames.get());
            }
            dec.feed(chunk);
            loop {
                match dec.next_frame() {
                    Ok(Some(f)) => frame_line(&mut text, f.offset, f.total_len, f.payload),
                    Ok(None) => break,
                    Err(e) => {
                        let _ = writeln!(
                            text,
                            "{}: {}",
                            t(lang, S::CliError),
                            crate::describe::decode_error(&e, lang)
                        );
                        failed = true;
                        break 'reads;
                    }
                }
            }
        }
        if let Err(e) = dec.finish() {
            let _ = writeln!(
                text,
                "{}: {}",
                t(lang, S::CliError),
                crate::describe::decode_error(&e, lang)
            );
            failed = true;
        }
    }
    let frames = frames.get();
    let _ = writeln!(
        text,
        "{}",
        tf(
            lang,
            S::CliDecodeSummary,
            &[("frames", &frames), ("bytes", &bytes.len()), ("read_size", &read_size)]
        )
    );
    DecodeReport { text, frames, failed }
}
