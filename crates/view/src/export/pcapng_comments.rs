//! A comment for each packet of the pcapng export, so Wireshark shows the application's view
//! beside the packet (`frame.comment`): the messages, `send()` calls, `recv()` calls and frames
//! its bytes belong to, and the causes it is evidence of. Nothing is guessed: a data segment's
//! bytes are matched to the writes, reads and frames by stream offset, and a cause is named only
//! when the run's events prove it (see `analysis::causes`).

use crate::analysis::causes::{Causes, Located};
use crate::analysis::{Model, Span};
use crate::facts::Event;
use crate::i18n::{tf, Lang, S};

/// `w3` or `w3–w5`.
fn range(prefix: &str, r: std::ops::Range<usize>) -> Option<String> {
    match r.len() {
        0 => None,
        1 => Some(format!("{prefix}{}", r.start)),
        _ => Some(format!("{prefix}{}–{prefix}{}", r.start, r.end - 1)),
    }
}

/// Index range of the records (sorted by offset) overlapping `[from, to)`.
fn overlapping<T>(v: &[T], from: u64, to: u64, span: impl Fn(&T) -> (u64, u64)) -> std::ops::Range<usize> {
    let a = v.partition_point(|x| span(x).1 <= from);
    let b = v.partition_point(|x| span(x).0 < to);
    a..b.max(a)
}

/// What one data segment's bytes `[from, to)` belong to.
fn belongs(model: &Model, from: u64, to: u64, lang: Lang) -> Vec<String> {
    let mut parts = Vec::new();
    let list = |key: S, text: Option<String>| text.map(|l| tf(lang, key, &[("list", &l)]));
    parts.extend(list(S::PcapMessages, range("m", model.messages_in(from, to))));
    let writes = overlapping(model.writes(), from, to, |w| (w.offset, w.offset + u64::from(w.len)));
    parts.extend(list(S::PcapWrites, range("w", writes)));
    let reads = overlapping(model.reads(), from, to, |r: &Span| (r.offset, r.end()));
    parts.extend(list(S::PcapReads, range("r", reads)));
    let frames = overlapping(model.frames(), from, to, |f| (f.offset, f.offset + u64::from(f.len)));
    parts.extend(list(S::PcapFrames, range("f", frames)));
    parts
}

/// The comment of each packet [`super::pcapng::write`] writes, in its order (None: no comment).
pub fn comments(events: &[Event], model: &Model, lang: Lang) -> Vec<Option<String>> {
    let causes: Causes = model.causes();
    let why = |at: Option<Located>| -> Vec<String> {
        let Some(ix) = at.and_then(|l| model.event_of(l)) else {
            return vec![];
        };
        causes
            .about(ix)
            .map(|c| {
                tf(
                    lang,
                    S::PcapWhy,
                    &[("cause", &crate::describe::causes::cause(c, model, lang))],
                )
            })
            .collect()
    };
    super::pcapng::packet_events(events)
        .map(|e| {
            let mut parts = match e {
                Event::Segment { at_us, offset, len, .. } | Event::Retransmission { at_us, offset, len, .. } => {
                    let mut p = belongs(model, offset.0, offset.0 + u64::from(*len), lang);
                    p.extend(why(Some(Located::Segment {
                        at_us: *at_us,
                        offset: offset.0,
                    })));
                    p
                }
                Event::Ack { at_us, .. } => why(Some(Located::Ack { at_us: *at_us })),
                _ => vec![],
            };
            parts.retain(|p| !p.is_empty());
            (!parts.is_empty()).then(|| parts.join(" · "))
        })
        .collect()
}
