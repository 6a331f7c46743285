//! The class session (`stickyviz listen --tcp`): the address students connect to, big enough
//! for a projector, and the roster: one row per client, sortable by each column; a click on a
//! row puts that client's stream on the main timeline.
//!
//! Rows come from [`Model::roster`], the same rows the CLI's summary and the recording's
//! `class` hold, so the window and the terminal never disagree on a count.

use std::net::SocketAddr;

use egui::{RichText, Ui};

use crate::analysis::{Model, RosterRow};
use crate::strings::{t, tf, Lang, S};
use crate::theme;

/// A roster column, in the order drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Client,
    Bytes,
    Frames,
    Errors,
    Merged,
    Split,
    Result,
}

impl Column {
    pub const ALL: [Column; 7] = [
        Column::Client,
        Column::Bytes,
        Column::Frames,
        Column::Errors,
        Column::Merged,
        Column::Split,
        Column::Result,
    ];

    fn title(self) -> (S, S) {
        match self {
            Column::Client => (S::RosterColClient, S::RosterTipClient),
            Column::Bytes => (S::RosterColBytes, S::RosterTipBytes),
            Column::Frames => (S::RosterColFrames, S::RosterTipFrames),
            Column::Errors => (S::RosterColErrors, S::RosterTipErrors),
            Column::Merged => (S::RosterColMerged, S::RosterTipMerged),
            Column::Split => (S::RosterColSplit, S::RosterTipSplit),
            Column::Result => (S::RosterColResult, S::RosterTipResult),
        }
    }
}

/// The class session's view state: where it listens and how the roster is shown.
#[derive(Clone, Debug)]
pub struct ClassView {
    /// The address the listener is bound to.
    pub bound: SocketAddr,
    /// Where other machines reach it (the native app asks the engine's `peer::reachable_addrs`); an error
    /// listing the interfaces is kept as its words.
    pub reachable: Result<Vec<SocketAddr>, crate::facts::OsError>,
    pub sort: Column,
    pub descending: bool,
    /// The lane whose stream the main timeline shows (0 = the first client to send).
    pub shown: u32,
}

impl ClassView {
    /// `reachable`: the addresses other machines reach `bound` at, or why they are not known.
    pub fn new(bound: SocketAddr, reachable: Result<Vec<SocketAddr>, crate::facts::OsError>) -> Self {
        Self {
            bound,
            reachable,
            sort: Column::Client,
            descending: false,
            shown: 0,
        }
    }
}

/// The model the main timeline and the stats strip show: in a class session, the stream of the
/// client picked in the roster (lane 0 until one is picked), else the run's.
pub fn shown<'m>(model: &'m Model, class: Option<&ClassView>) -> &'m Model {
    class.and_then(|c| model.listen_lane(c.shown)).unwrap_or(model)
}

/// The rows in the order asked for; ties keep the roster's order (connection end, then live).
pub fn sorted_rows(model: &Model, sort: Column, descending: bool, lang: Lang) -> Vec<RosterRow> {
    let mut rows = model.roster();
    let cuts = |r: &RosterRow, f: fn(&crate::facts::ReadCuts) -> u64| r.cuts.as_ref().map(f);
    match sort {
        Column::Client => rows.sort_by_key(|r| r.peer.parse::<SocketAddr>().ok()),
        Column::Bytes => rows.sort_by_key(|r| r.bytes),
        Column::Frames => rows.sort_by_key(|r| r.frames),
        Column::Errors => rows.sort_by_key(|r| r.decode_errors),
        Column::Merged => rows.sort_by_key(|r| cuts(r, |c| c.merged_reads)),
        Column::Split => rows.sort_by_key(|r| cuts(r, |c| c.split_frames)),
        Column::Result => rows.sort_by_key(|r| crate::describe::roster_result(r.outcome.as_ref(), lang)),
    }
    if descending {
        rows.reverse();
    }
    rows
}

/// "Connect to 192.168.1.20:8080" in large type, one line per address of the machine.
/// `compact`: a projector's small window, where the lanes need the height (projector mode
/// already zooms everything by 1.3).
pub fn address_ui(ui: &mut Ui, view: &ClassView, lang: Lang, compact: bool) {
    let dark = ui.visuals().dark_mode;
    let (words, address) = if compact { (17.0, 22.0) } else { (22.0, 28.0) };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(t(lang, S::ClassConnectTo)).size(words));
        let big =
            |ui: &mut Ui, a: &SocketAddr| ui.label(RichText::new(a.to_string()).size(address).monospace().strong());
        if view.bound.ip().is_loopback() {
            big(ui, &view.bound);
            ui.colored_label(
                theme::warn(dark),
                tf(
                    lang,
                    S::ClassLoopbackOnly,
                    &[("ip", &view.bound.ip()), ("port", &view.bound.port())],
                ),
            );
            return;
        }
        match &view.reachable {
            Ok(addrs) if addrs.is_empty() => {
                big(ui, &view.bound);
                ui.colored_label(theme::warn(dark), t(lang, S::ClassNoAddrs));
            }
            Ok(addrs) => {
                for a in addrs {
                    big(ui, a).on_hover_text(tf(lang, S::ClassAddrHelp, &[("bound", &view.bound)]));
                }
            }
            Err(e) => {
                big(ui, &view.bound);
                let why = crate::describe::os_error(e, lang);
                ui.colored_label(theme::warn(dark), format!("{}: {why}", t(lang, S::ClassNoAddrs)));
            }
        }
    });
}

/// The roster table, its rows scrolling within `rows_h` points. Returns the lane the user
/// clicked, if any.
pub fn roster_ui(ui: &mut Ui, model: &Model, view: &mut ClassView, lang: Lang, rows_h: f32) -> Option<u32> {
    let rows = sorted_rows(model, view.sort, view.descending, lang);
    let totals = model.class_totals();
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(t(lang, S::RosterTitle)).size(15.0).strong())
            .on_hover_text(t(lang, S::RosterHelp));
        ui.label(format!(
            "{} {} · {} {} · {} {}",
            t(lang, S::ClassClients),
            totals.clients,
            t(lang, S::ClassFrames),
            totals.frames,
            t(lang, S::ClassConnectedNow),
            totals.connected_now
        ));
        if let Some(r) = rows.iter().find(|r| r.lane == Some(view.shown)) {
            ui.label(RichText::new(tf(lang, S::RosterShowing, &[("peer", &r.peer)])).strong());
        }
    });
    if rows.is_empty() {
        ui.label(t(lang, S::RosterNoClients));
        return None;
    }
    let mut clicked = None;
    // The rows scroll inside the roster, so the main timeline below stays on screen.
    egui::ScrollArea::vertical()
        .id_salt("roster")
        .max_height(rows_h)
        .auto_shrink([false, true])
        .show(ui, |ui| {
            egui::Grid::new("roster_grid")
                .striped(true)
                .num_columns(Column::ALL.len())
                .spacing([14.0, 3.0])
                .show(ui, |ui| {
                    for col in Column::ALL {
                        let (title, tip) = col.title();
                        let arrow = match (view.sort == col, view.descending) {
                            (false, _) => "",
                            (true, false) => " ▲",
                            (true, true) => " ▼",
                        };
                        if ui
                            .button(RichText::new(format!("{}{arrow}", t(lang, title))).strong())
                            .on_hover_text(t(lang, tip))
                            .clicked()
                        {
                            view.descending = view.sort == col && !view.descending;
                            view.sort = col;
                        }
                    }
                    ui.end_row();
                    for r in &rows {
                        if let Some(lane) = row_ui(ui, r, view.shown, lang) {
                            clicked = Some(lane);
                        }
                        ui.end_row();
                    }
                });
        });
    if let Some(lane) = clicked {
        view.shown = lane;
    }
    clicked
}

/// One client's row; every cell selects it (a row of a stream not recorded cannot be shown).
fn row_ui(ui: &mut Ui, r: &RosterRow, shown: u32, lang: Lang) -> Option<u32> {
    let dark = ui.visuals().dark_mode;
    let selected = r.lane == Some(shown);
    let dash = || "–".to_string();
    let cut = |f: fn(&crate::facts::ReadCuts) -> u64| r.cuts.as_ref().map_or_else(dash, |c| f(c).to_string());
    let cells = [
        r.peer.clone(),
        r.bytes.to_string(),
        r.frames.to_string(),
        r.decode_errors.to_string(),
        cut(|c| c.merged_reads),
        cut(|c| c.split_frames),
        crate::describe::roster_result(r.outcome.as_ref(), lang).to_string(),
    ];
    let mut clicked = None;
    for (col, text) in Column::ALL.into_iter().zip(cells) {
        let bad = match col {
            Column::Errors => r.decode_errors > 0,
            Column::Result => r
                .outcome
                .as_ref()
                .is_some_and(|o| !matches!(o, crate::facts::ClientOutcome::Served)),
            _ => false,
        };
        let mut rich = RichText::new(text);
        if col == Column::Client {
            rich = rich.monospace();
        }
        if bad {
            rich = rich.color(theme::split_text(dark));
        }
        let resp = match r.lane {
            Some(_) => ui.selectable_label(selected, rich),
            None => ui.label(rich).on_hover_text(tf(
                lang,
                S::RosterNoStream,
                &[("streams", &(crate::config::MAX_LISTEN_LANES + 1))],
            )),
        };
        let resp = match col {
            Column::Merged | Column::Split if r.cuts.is_none() => resp.on_hover_text(t(lang, S::RosterNotRecorded)),
            Column::Result => match outcome_story(r, lang) {
                Some(story) => resp.on_hover_text(story),
                None => resp,
            },
            _ => resp,
        };
        if resp.clicked() {
            clicked = r.lane;
        }
    }
    clicked
}

/// The client's whole report, as the CLI prints it, for the result cell's tooltip.
fn outcome_story(r: &RosterRow, lang: Lang) -> Option<String> {
    let outcome = r.outcome.clone()?;
    let rec = crate::analysis::ClientRec {
        at_us: 0,
        peer: r.peer.clone(),
        lane: r.lane,
        bytes: r.bytes,
        frames: u32::try_from(r.frames).unwrap_or(u32::MAX),
        outcome,
        decode_errors: u32::try_from(r.decode_errors).unwrap_or(u32::MAX),
        cuts: r.cuts,
    };
    Some(crate::describe::client_report(&rec, lang))
}
