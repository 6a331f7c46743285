//! The request/response panel (`echo`, `big-reply`): the reply stream on its own byte axis and
//! a plot of latency per request, where the write-write-read stall shows as ~40 ms dots.

use egui::{RichText, Ui};
use egui_plot::{HLine, Legend, LineStyle, Plot, PlotPoints, Points};

use crate::analysis::echo::STALL_US;
use crate::analysis::Model;
use crate::strings::{t, Lang, S};
use crate::theme;
use crate::timeline::{self, Selection, TimelineView};

/// The panel's own view state (zoom and selection of the reply axis).
#[derive(Clone, Default)]
pub struct EchoView {
    pub replies: TimelineView,
    pub selection: Option<Selection>,
    /// many-clients: one view per extra connection.
    pub connections: Vec<(TimelineView, Option<Selection>)>,
}

/// Linux's minimum delayed-ACK timeout; drawn as a guide on the latency plot.
const DELAYED_ACK_MS: f64 = 40.0;

/// Draws nothing unless `model` holds a request/response run. `nagle` = the run's setting.
pub fn echo_panel_ui(ui: &mut Ui, model: &Model, view: &mut EchoView, lang: Lang, nagle: bool) {
    // No scroll area of its own: the central column scrolls, and a lesson's evidence here
    // (the latency plot, the reply reads) is brought into view by scrolling that one.
    panel_ui(ui, model, view, lang, nagle);
}

fn panel_ui(ui: &mut Ui, model: &Model, view: &mut EchoView, lang: Lang, nagle: bool) {
    let Some(echo) = model.echo() else { return };
    // many-clients is about the streams side by side: connections first, replies after.
    if !echo.connections.is_empty() {
        connections_ui(ui, model, view, lang);
    }
    ui.label(RichText::new(t(lang, S::EchoPanelTitle)).size(13.0));
    timeline::timeline_ui(ui, &echo.replies, &mut view.replies, &mut view.selection, lang).note(ui, "replies.");

    let points: Vec<[f64; 2]> = echo
        .rounds
        .iter()
        .map(|r| [f64::from(r.index), r.latency_us as f64 / 1000.0])
        .collect();
    let stalled = echo.rounds.iter().filter(|r| r.latency_us >= STALL_US).count();
    let median_ms = echo.median_latency_us().map(|us| us as f64 / 1000.0);
    let nagle_text = if nagle {
        t(lang, S::EchoNagleOn)
    } else {
        t(lang, S::EchoNagleOff)
    };
    let median_text = median_ms.map_or("-".to_string(), |m| format!("{m:.3} ms"));
    ui.horizontal(|ui| {
        ui.label(RichText::new(t(lang, S::EchoLatencyTitle)).strong());
        ui.label(format!("({nagle_text}) {}: {median_text}", t(lang, S::EchoMedianWord)));
        ui.label(format!(
            "{}: {stalled} / {}",
            t(lang, S::EchoStalledWord),
            echo.rounds.len()
        ));
    });
    if stalled > 0 {
        ui.add(
            egui::Label::new(RichText::new(t(lang, S::EchoStallWhy)).color(theme::warn(ui.visuals().dark_mode))).wrap(),
        );
    }
    let plot = Plot::new("echo_latency")
        .height(if view.replies.lane_h < timeline::LANE_H {
            130.0
        } else {
            170.0
        })
        .legend(Legend::default())
        .x_axis_label(t(lang, S::EchoRequestAxis))
        .y_axis_label("ms")
        .include_y(0.0)
        .include_y(DELAYED_ACK_MS * 1.2)
        .show(ui, |plot| {
            plot.hline(
                HLine::new(t(lang, S::EchoDelayedAck), DELAYED_ACK_MS)
                    .color(egui::Color32::GRAY)
                    .style(LineStyle::dashed_loose()),
            );
            if let Some(m) = median_ms {
                plot.hline(HLine::new(t(lang, S::EchoMedianWord), m).color(theme::WRITTEN_LINE));
            }
            plot.points(
                Points::new(t(lang, S::EchoLatencyWord), PlotPoints::from(points))
                    .radius(3.5)
                    .color(theme::READ),
            );
            for (k, c) in echo.connections.iter().enumerate() {
                let pts: Vec<[f64; 2]> = c
                    .echo()
                    .iter()
                    .flat_map(|e| &e.rounds)
                    .map(|r| [f64::from(r.index), r.latency_us as f64 / 1000.0])
                    .collect();
                plot.points(
                    Points::new(
                        format!("{} {}", t(lang, S::EchoConnectionWord), k + 1),
                        PlotPoints::from(pts),
                    )
                    .radius(3.0),
                );
            }
        });
    crate::shown::area(ui, "latency", plot.response.rect);
}

/// many-clients: each extra connection's own lane group, folded so the window stays readable.
fn connections_ui(ui: &mut Ui, model: &Model, view: &mut EchoView, lang: Lang) {
    let Some(echo) = model.echo() else { return };
    view.connections.resize_with(echo.connections.len(), Default::default);
    let lane_h = view.replies.lane_h;
    for (k, (c, (tl, sel))) in echo.connections.iter().zip(view.connections.iter_mut()).enumerate() {
        let title = format!(
            "{} {} — {}",
            t(lang, S::EchoConnectionWord),
            k + 1,
            t(lang, S::EchoOwnStream)
        );
        tl.lane_h = lane_h;
        // open: every connection is the lesson here, and a folded one cannot be pointed at
        egui::CollapsingHeader::new(title)
            .id_salt(("echo_conn", k))
            .default_open(true)
            .show(ui, |ui| {
                timeline::timeline_ui(ui, c, tl, sel, lang).note(ui, &format!("connection.{}.", k + 1));
            });
    }
}
