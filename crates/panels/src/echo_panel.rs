//! The request/response panel (`echo`, `big-reply`): the reply stream on its own byte axis and
//! a plot of latency per request, where the write-write-read stall shows as ~40 ms dots.

use egui::{RichText, Ui};
use egui_plot::{Corner, HLine, Legend, LineStyle, Plot, PlotPoints, Points};

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
    // the highest dot stays below the top border; the legend takes the corner the dots leave
    // empty (stalls sit high, quick answers low); units on the ticks, not as axis titles,
    // which egui_plot draws over the tick labels (issue 26: "request #" over 10, "ms" over 20)
    let max_ms = points.iter().map(|p| p[1]).fold(0.0_f64, f64::max);
    let corner = if median_ms.is_some_and(|m| m * 1000.0 >= STALL_US as f64) {
        Corner::RightBottom
    } else {
        Corner::RightTop
    };
    let request = t(lang, S::EchoRequestAxis);
    let plot = Plot::new("echo_latency")
        .height(if view.replies.lane_h < timeline::LANE_H {
            130.0
        } else {
            170.0
        })
        .legend(Legend::default().position(corner))
        .x_axis_formatter(move |mark, _| format!("{request} {}", mark.value))
        .y_axis_formatter(|mark, _| format!("{} ms", mark.value))
        .y_axis_min_width(44.0)
        .y_grid_spacer(crate::plot_axes::decimal_marks)
        .include_y(0.0)
        .include_y(DELAYED_ACK_MS.max(max_ms) * 1.25)
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
                Points::new(t(lang, S::EchoLatencyWord), PlotPoints::from(points.clone()))
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
    // where the dots went inside the frame: the layout tests keep them off its borders
    let at = |p: &[f64; 2]| {
        plot.transform
            .position_from_point(&egui_plot::PlotPoint::new(p[0], p[1]))
    };
    if let Some(first) = points.first() {
        let dots = points
            .iter()
            .fold(egui::Rect::from_center_size(at(first), egui::Vec2::ZERO), |r, p| {
                r.union(egui::Rect::from_center_size(at(p), egui::Vec2::ZERO))
            });
        crate::shown::area(ui, "latency.dots", dots);
        crate::shown::area(ui, "latency.frame", *plot.transform.frame());
    }
    // with the request numbers under it, which egui_plot draws below its frame
    let labelled = plot.response.rect.expand2(egui::vec2(0.0, 8.0));
    crate::shown::area(ui, "latency", labelled);
    crate::why::latency_ui(ui, model, &plot, lang);
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
