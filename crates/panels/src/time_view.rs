//! The time view: when each write, segment and read happened, as cumulative bytes over time.
//!
//! Where the capture saw the receiver's ACKs, two more steps make the receive window visible
//! (Wireshark's tcptrace graph, on the app's own writes and reads): the ACK point (every byte
//! under it arrived) and the window edge, ACK + advertised window (the sender may not send past
//! it). The gap between them is the receive window; where it closes (a zero window, red) the
//! written line runs flat against the edge: the sender is stalled.

use egui::Ui;
use egui_plot::{Corner, Legend, Line, Plot, PlotPoints, Points, VLine};

use crate::analysis::Model;
use crate::strings::{t, Lang, S};
use crate::theme;

/// Most points per series; past it the series is thinned evenly (a 1280-px plot shows no more).
const MAX_POINTS: usize = 4000;

fn thin<T>(items: &[T]) -> impl Iterator<Item = &T> {
    let step = (items.len() / MAX_POINTS).max(1);
    items.iter().step_by(step)
}

/// Steps of cumulative bytes: (time in ms, bytes up to the end of the item).
fn steps(points: impl Iterator<Item = (u64, u64)>) -> Vec<[f64; 2]> {
    let mut out = vec![[0.0, 0.0]];
    let mut last = 0.0;
    for (at_us, end) in points {
        let x = at_us as f64 / 1000.0;
        out.push([x, last]);
        last = end as f64;
        out.push([x, last]);
    }
    out
}

pub fn time_view_ui(ui: &mut Ui, model: &Model, lang: Lang, height: f32) {
    time_view_at_ui(ui, model, lang, height, None);
}

/// The part of a step series up to `t_ms`, ending level at `t_ms`.
fn until(points: &[[f64; 2]], t_ms: f64) -> Vec<[f64; 2]> {
    let n = points.partition_point(|p| p[0] <= t_ms);
    let mut out = points[..n].to_vec();
    if let Some(&[_, y]) = out.last() {
        out.push([t_ms, y]);
    }
    out
}

/// The time view with a play head: after it, the lines are faded and a vertical line marks it.
pub fn time_view_at_ui(ui: &mut Ui, model: &Model, lang: Lang, height: f32, play_head: Option<u64>) {
    ui.label(t(lang, S::TimeTitle));
    let written = steps(thin(model.writes()).map(|w| (w.at_us, w.offset + u64::from(w.len))));
    let read = steps(thin(model.reads()).map(|r| (r.at_us, r.end())));
    let acked = steps(thin(model.acks()).map(|a| (a.at_us, a.ack)));
    let edge = steps(thin(model.acks()).map(|a| (a.at_us, a.window_end())));
    let zero: Vec<[f64; 2]> = model
        .acks()
        .iter()
        .filter(|a| a.zero_window())
        .take(MAX_POINTS)
        .map(|a| [a.at_us as f64 / 1000.0, a.ack as f64])
        .collect();
    let segs: Vec<[f64; 2]> = thin(model.segments())
        .map(|s| [s.at_us as f64 / 1000.0, s.end() as f64])
        .collect();
    let t_ms = play_head.map(|t| t as f64 / 1000.0);
    // faded = the future; the past is drawn again on top in full colour
    let fade = |c: egui::Color32| if t_ms.is_some() { c.gamma_multiply(0.25) } else { c };
    let text = ui.visuals().strong_text_color();
    // The curves climb from bottom left to top right, where they catch up (flow-control's
    // lesson): the legend takes the top left, which they leave empty. Units on the ticks, not
    // as axis titles, which egui_plot draws over the tick labels (issue 26).
    Plot::new("time_view")
        .height(height)
        .legend(Legend::default().position(Corner::LeftTop))
        .x_axis_formatter(|mark, _| format!("{} ms", mark.value))
        .y_axis_formatter(|mark, _| crate::units::bytes(mark.value.max(0.0) as u64))
        .y_axis_min_width(56.0)
        .y_grid_spacer(crate::plot_axes::byte_marks)
        .show(ui, |plot| {
            if let Some(t_ms) = t_ms {
                plot.line(
                    Line::new(t(lang, S::Written), PlotPoints::from(until(&written, t_ms)))
                        .color(theme::WRITTEN_LINE)
                        .width(3.0)
                        .allow_band(false),
                );
                plot.line(
                    Line::new(t(lang, S::ReadBytes), PlotPoints::from(until(&read, t_ms)))
                        .color(theme::READ)
                        .width(3.0)
                        .allow_band(false),
                );
                plot.vline(VLine::new(t(lang, S::PlayHead), t_ms).color(text).width(2.0));
            }
            plot.line(
                Line::new(t(lang, S::Written), PlotPoints::from(written))
                    .color(fade(theme::WRITTEN_LINE))
                    .width(2.0)
                    .allow_band(false),
            );
            plot.line(
                Line::new(t(lang, S::ReadBytes), PlotPoints::from(read))
                    .color(fade(theme::READ))
                    .width(2.0)
                    .allow_band(false),
            );
            if !model.acks().is_empty() {
                plot.line(
                    Line::new(t(lang, S::TimeAckPoint), PlotPoints::from(acked))
                        .color(fade(theme::ACK))
                        .width(1.5)
                        .allow_band(false),
                );
                plot.line(
                    Line::new(t(lang, S::TimeWindowEdge), PlotPoints::from(edge))
                        .color(fade(theme::ACK))
                        .width(1.5)
                        .style(egui_plot::LineStyle::dashed_loose())
                        .allow_band(false),
                );
                if !zero.is_empty() {
                    plot.points(
                        Points::new(t(lang, S::TimeZeroWindow), PlotPoints::from(zero))
                            .radius(3.5)
                            .color(fade(theme::SPLIT)),
                    );
                }
            }
            if !segs.is_empty() {
                let (past, future): (Vec<_>, Vec<_>) = segs.into_iter().partition(|p| t_ms.is_none_or(|t| p[0] <= t));
                plot.points(
                    Points::new(t(lang, S::Segments), PlotPoints::from(past))
                        .radius(2.5)
                        .color(egui::Color32::GRAY),
                );
                plot.points(
                    Points::new(t(lang, S::Segments), PlotPoints::from(future))
                        .radius(2.5)
                        .color(egui::Color32::GRAY.gamma_multiply(0.25)),
                );
            }
        });
}
