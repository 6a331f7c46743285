//! The text report of a request/response run: the reply axis and the latency per request.

use std::fmt::Write as _;

use crate::analysis::echo::STALL_US;
use crate::analysis::Model;
use crate::config::{Experiment, WriteSplit};
use crate::export::text_timeline;
use crate::i18n::{summary_line, t, tf, Lang, S};

fn ms(us: u64) -> String {
    format!("{:.3} ms", us as f64 / 1000.0)
}

/// Empty unless `model` holds a request/response run.
pub fn render(model: &Model, exp: &Experiment, width: usize, lang: Lang) -> String {
    let Some(echo) = model.echo() else {
        return String::new();
    };
    let mut out = String::new();
    let _ = writeln!(out, "\n{}", t(lang, S::EchoReplyStream));
    out.push_str(&text_timeline::render(&echo.replies, width, lang));
    let _ = writeln!(out, "{}", t(lang, S::EchoLatencyHeader));
    let max = echo.max_latency_us().unwrap_or(1).max(1);
    for r in echo.rounds.iter().take(60) {
        let bar = "█".repeat(((r.latency_us * 40) / max) as usize);
        let _ = writeln!(out, "  q{:<4} {:>12}  {bar}", r.index, ms(r.latency_us));
    }
    if echo.rounds.len() > 60 {
        let _ = writeln!(
            out,
            "  {}",
            tf(lang, S::EchoMoreRequests, &[("count", &(echo.rounds.len() - 60))])
        );
    }
    let stalled = echo.rounds.iter().filter(|r| r.latency_us >= STALL_US).count();
    let line = |out: &mut String, k: S, v: String| out.push_str(&summary_line(lang, k, &v));
    line(&mut out, S::EchoAnswered, echo.rounds.len().to_string());
    line(&mut out, S::EchoMedian, echo.median_latency_us().map_or("-".into(), ms));
    line(
        &mut out,
        S::EchoMinMax,
        format!(
            "{} / {}",
            echo.min_latency_us().map_or("-".into(), ms),
            echo.max_latency_us().map_or("-".into(), ms)
        ),
    );
    line(&mut out, S::EchoStalled, stalled.to_string());
    line(
        &mut out,
        S::EchoReplyBytes,
        echo.replies.summary().bytes_received.to_string(),
    );
    // the reply stream's own cuts (big-reply's lesson is about them), beside the request
    // stream's in the summary above
    line(
        &mut out,
        S::EchoReplyMerged,
        echo.replies.summary().merged_reads.to_string(),
    );
    line(
        &mut out,
        S::EchoReplySplit,
        echo.replies.summary().split_messages.to_string(),
    );
    // the reply direction's wire, as the request direction's summary counts it
    let replies = echo.replies.summary();
    if replies.segments_captured.is_some() || replies.segments_tcp_info.is_some() {
        let value = crate::describe::segments_captured_value(replies, lang);
        line(&mut out, S::EchoReplySegments, value);
        let kernel = replies.segments_tcp_info.map_or("-".into(), |n| n.to_string());
        line(&mut out, S::EchoReplySegmentsTcpInfo, kernel);
    }
    for (k, c) in echo.connections.iter().enumerate() {
        let _ = writeln!(out, "\n{}", tf(lang, S::EchoConnection, &[("conn", &(k + 1))]));
        out.push_str(&text_timeline::render(c, width, lang));
        if let Some(e) = c.echo() {
            line(&mut out, S::EchoAnswered, e.rounds.len().to_string());
            line(&mut out, S::EchoMedian, e.median_latency_us().map_or("-".into(), ms));
        }
        // each connection's own cuts, as the summary gives connection 0's (issue 26)
        line(&mut out, S::SumMerged, c.summary().merged_reads.to_string());
        line(&mut out, S::SumSplit, c.summary().split_messages.to_string());
    }
    let write_write = exp.sender.split == WriteSplit::HeaderThenBody && exp.framing.has_length_header();
    if write_write && exp.sender.nagle && stalled > 0 {
        let _ = writeln!(out, "{}", t(lang, S::EchoNote));
    }
    out
}
