//! "why?" in the inspector (issue 30): for the selected read, write, segment or frame (and the
//! segments that carried its bytes), the causes its events prove, one sentence each, and the
//! chain of records behind them outlined on the timeline; a click on a latency dot does the same
//! for that request. The causes are found on the click (not every frame) and kept in egui's
//! memory until another one.

use egui::{Color32, Id, Rect, RichText, Stroke, StrokeKind, Ui};

use crate::analysis::causes::{EventIx, Located};
use crate::analysis::Model;
use crate::strings::{t, Lang, S};
use crate::theme;

/// The record "why?" is asked about: the timeline's selection (`timeline::Selection::pick`),
/// named here so this module imports no panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Selection {
    Write(usize),
    Segment(usize),
    Read(usize),
    Frame(usize),
}

/// What "why?" was asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Asked {
    Selection(Selection),
    /// A latency dot: request `n`.
    Round(u32),
}

/// What "why?" found: its sentences and the chain's blocks (lane, offset, length).
#[derive(Clone, Debug)]
struct Found {
    asked: Asked,
    /// Found on the model that has the request/response part (the main axis), or another
    /// (the replies' axis): its chain is drawn on that timeline only.
    main: bool,
    sentences: Vec<String>,
    chain: Vec<(usize, u64, u64)>,
}

/// Segments looked at for a read's or frame's bytes, at most.
const RELATED_SEGMENTS: usize = 8;

fn id() -> Id {
    Id::unique("stickyviz-why")
}

/// The event of the selected record.
fn event_of(model: &Model, sel: Selection) -> Option<EventIx> {
    let at = match sel {
        Selection::Write(i) => Located::Write(i),
        Selection::Read(i) => Located::Read(i),
        Selection::Frame(i) => Located::Frame(i),
        Selection::Segment(i) => {
            let s = model.segments().get(i)?;
            Located::Segment {
                at_us: s.at_us,
                offset: s.offset,
            }
        }
    };
    model.event_of(at)
}

/// Where the timeline draws event `ix`: (lane, offset, length), lanes 0–3 top to bottom.
fn block(model: &Model, ix: EventIx) -> Option<(usize, u64, u64)> {
    Some(match model.locate(ix)? {
        Located::Write(i) => model.writes().get(i).map(|w| (0, w.offset, u64::from(w.len)))?,
        Located::Segment { at_us, offset } => model
            .segments()
            .iter()
            .chain(model.retransmissions())
            .find(|s| s.at_us == at_us && s.offset == offset)
            .map(|s| (1, s.offset, u64::from(s.len)))?,
        Located::Ack { at_us } => model.ack_at(at_us).map(|a| (1, a.ack, 0))?,
        Located::Read(i) => model.reads().get(i).map(|r| (2, r.offset, u64::from(r.len)))?,
        Located::Frame(i) => model.frames().get(i).map(|f| (3, f.offset, u64::from(f.len)))?,
        Located::Round(_) | Located::Datagram(_) | Located::DecodeError(_) => return None,
    })
}

/// The events "why?" asks about for a selection: its own, and those of the segments that
/// carried its bytes (a read's bytes may have waited in a held segment).
fn asked_events(model: &Model, sel: Selection) -> Vec<EventIx> {
    let mut v: Vec<EventIx> = event_of(model, sel).into_iter().collect();
    let range = match sel {
        Selection::Read(i) => model.reads().get(i).map(|r| (r.offset, r.end())),
        Selection::Frame(i) => model.frames().get(i).map(|f| (f.offset, f.offset + u64::from(f.len))),
        Selection::Write(i) => model.writes().get(i).map(|w| (w.offset, w.offset + u64::from(w.len))),
        Selection::Segment(_) => None,
    };
    if let Some((from, to)) = range {
        let segs = model.segments();
        let first = segs.partition_point(|s| s.end() <= from);
        for s in segs[first..]
            .iter()
            .take_while(|s| s.offset < to)
            .take(RELATED_SEGMENTS)
        {
            v.extend(model.event_of(Located::Segment {
                at_us: s.at_us,
                offset: s.offset,
            }));
        }
    }
    v
}

fn find(model: &Model, asked: Asked, events: &[EventIx], lang: Lang) -> Found {
    let mut found = Found {
        asked,
        main: model.echo().is_some(),
        sentences: vec![],
        chain: vec![],
    };
    let causes = model.causes();
    let mut seen = Vec::new();
    for cause in causes
        .list
        .iter()
        .filter(|c| c.evidence().iter().any(|e| events.contains(e)))
    {
        if seen.contains(&cause) {
            continue;
        }
        seen.push(cause);
        found.sentences.push(crate::describe::causes::cause(cause, model, lang));
        found
            .chain
            .extend(cause.evidence().into_iter().filter_map(|e| block(model, e)));
    }
    found
}

fn shown(ui: &Ui) -> Option<Found> {
    ui.ctx().data(|d| d.get_temp(id()))
}

fn say(ui: &mut Ui, f: &Found, lang: Lang) {
    let dark = ui.visuals().dark_mode;
    if f.sentences.is_empty() {
        ui.weak(t(lang, S::WhyNothing));
    }
    for s in &f.sentences {
        ui.add(egui::Label::new(RichText::new(s).color(theme::split_text(dark))).wrap());
    }
}

/// A click on the latency plot's dot of request `n` asks "why?" about it; its sentences show
/// under the plot and its chain on the request lanes.
pub fn latency_ui<R>(ui: &mut Ui, model: &Model, plot: &egui_plot::PlotResponse<R>, lang: Lang) {
    let rounds = model.echo().map_or(0, |e| e.rounds.len());
    if plot.response.clicked() {
        if let Some(pos) = plot.response.interact_pointer_pos() {
            let x = plot.transform.value_from_position(pos).x.round();
            if x >= 0.0 && (x as usize) < rounds {
                let n = x as u32;
                let events: Vec<EventIx> = model.event_of(Located::Round(n)).into_iter().collect();
                let f = find(model, Asked::Round(n), &events, lang);
                ui.ctx().data_mut(|d| d.insert_temp(id(), f));
            }
        }
    }
    if let Some(f) = shown(ui).filter(|f| matches!(f.asked, Asked::Round(_))) {
        say(ui, &f, lang);
    } else if rounds > 0 {
        ui.weak(t(lang, S::WhyLatencyHint));
    }
}

/// The "why?" button and, once pressed, its sentences (in the inspector, under the selection).
pub fn why_ui(ui: &mut Ui, model: &Model, sel: Selection, lang: Lang) {
    if ui.button(t(lang, S::WhyButton)).clicked() {
        let f = find(model, Asked::Selection(sel), &asked_events(model, sel), lang);
        ui.ctx().data_mut(|d| d.insert_temp(id(), f));
        ui.ctx().request_repaint();
    }
    if let Some(f) = shown(ui).filter(|f| f.asked == Asked::Selection(sel)) {
        say(ui, &f, lang);
    }
}

/// Outlines the chain of the causes "why?" found for `selection` (`rect` places a block).
pub fn draw_chain(
    ui: &Ui,
    painter: &egui::Painter,
    model: &Model,
    selection: Option<Selection>,
    rect: impl Fn(usize, u64, u64) -> Rect,
) {
    let asked = |f: &Found| match f.asked {
        Asked::Round(_) => true,
        Asked::Selection(s) => Some(s) == selection,
    };
    let main = model.echo().is_some();
    let Some(f) = shown(ui).filter(|f| f.main == main && asked(f)) else {
        return;
    };
    let stroke = Stroke::new(3.0, theme::SPLIT);
    for &(lane, offset, len) in &f.chain {
        let r = rect(lane, offset, len);
        painter.rect_stroke(r.expand(2.0), 3.0, stroke, StrokeKind::Outside);
        painter.rect_filled(
            r.expand(2.0),
            3.0,
            Color32::from_rgba_unmultiplied(0xe8, 0x4a, 0x4a, 40),
        );
    }
}
