//! The playback bar: play / pause / step through a run in slow motion, like a network
//! simulator's simulation mode, but over real recorded socket events.
//!
//! Playback is off until the user asks for it (▶, ← / →, Home / End, a click in the event list);
//! then the play head `t_us` decides what every view shows. P plays and pauses, shown on its
//! button; Space always runs the experiment, as the Run button says, so the two never swap
//! meanings behind the user's back. Esc or "show all" turns playback off.

use egui::{Key, RichText, Ui};

use crate::analysis::playback::{self as pb, Entry, EventKind, EventRef, Playback, Speed};
use crate::analysis::Model;
use crate::strings::{t, tf, Lang, S};
use crate::timeline::Selection;

/// While a run is still recording, the event index is rebuilt at most this often: a sort of
/// every event each frame would cost more than the frame for a large run.
const REBUILD_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

/// Playback view state and the event index it steps through (rebuilt when the model grows).
pub struct PlaybackView {
    /// None: playback off, every view shows the whole run.
    pub head: Option<Playback>,
    /// Kept across runs, so a teacher picks the slow-down once.
    pub speed: Speed,
    pub skip_quiet: bool,
    pub entries: Vec<Entry>,
    pub times: Vec<u64>,
    /// Largest written-but-unread backlog of the run: the gauge's full scale.
    pub peak_backlog: u64,
    /// Kinds hidden in the event list.
    pub hidden: Vec<EventKind>,
    /// The play head moved by playback (not by scrolling): the event list follows it.
    pub follow: bool,
    /// The play head the inspector was last pointed for.
    shown_at: Option<u64>,
    built_for: Option<(usize, usize, usize, usize, usize, u64)>,
    built_at: Option<web_time::Instant>,
}

impl Default for PlaybackView {
    fn default() -> Self {
        Self::new()
    }
}

impl PlaybackView {
    pub fn new() -> Self {
        Self {
            head: None,
            speed: Speed::default(),
            skip_quiet: true,
            entries: Vec::new(),
            times: Vec::new(),
            peak_backlog: 0,
            hidden: Vec::new(),
            follow: false,
            shown_at: None,
            built_for: None,
            built_at: None,
        }
    }

    /// Forgets the last run's index and turns playback off (a new run or recording).
    pub fn reset(&mut self) {
        *self = Self {
            speed: self.speed,
            skip_quiet: self.skip_quiet,
            hidden: std::mem::take(&mut self.hidden),
            ..Self::new()
        };
    }

    /// When the play head has moved: the latest TCP event by then, for the inspector (a read
    /// before a frame before a write before a segment, when they share a time).
    pub fn selection_to_show(&mut self) -> Option<Selection> {
        let t_us = self.t()?;
        if self.shown_at == Some(t_us) {
            return None;
        }
        self.shown_at = Some(t_us);
        let n = self.entries.partition_point(|e| e.at_us <= t_us);
        let latest = self.entries[..n]
            .iter()
            .rev()
            .find(|e| !matches!(e.what.kind(), EventKind::Datagram))?;
        let rank = |w: EventRef| match w {
            EventRef::Read(i) => (4, Some(Selection::Read(i))),
            EventRef::Frame(i) => (3, Some(Selection::Frame(i))),
            EventRef::Write(i) => (2, Some(Selection::Write(i))),
            EventRef::Segment(i) => (1, Some(Selection::Segment(i))),
            EventRef::DatagramSent(_) | EventRef::DatagramReceived(_) => (0, None),
        };
        self.entries[..n]
            .iter()
            .rev()
            .take_while(|e| e.at_us == latest.at_us)
            .map(|e| rank(e.what))
            .max_by_key(|r| r.0)
            .and_then(|r| r.1)
    }

    /// The play head, when playback is on.
    pub fn t(&self) -> Option<u64> {
        self.head.as_ref().map(|h| h.t_us)
    }

    /// Rebuilds the event index when the model has changed.
    pub fn sync(&mut self, model: &Model, running: bool) {
        let received = model.datagrams().iter().filter(|d| d.received.is_some()).count();
        let key = (
            model.writes().len(),
            model.segments().len(),
            model.reads().len(),
            model.frames().len(),
            model.datagrams().len() + received,
            model.last_us(),
        );
        if self.built_for == Some(key) {
            return;
        }
        if running && self.built_at.is_some_and(|at| at.elapsed() < REBUILD_EVERY) {
            return;
        }
        self.entries = pb::entries(model);
        self.times = pb::times(&self.entries);
        self.peak_backlog = pb::peak_backlog(model, &self.times);
        self.built_for = Some(key);
        self.built_at = Some(web_time::Instant::now());
    }

    /// The play head, turning playback on (at the first event) if it was off.
    fn engage(&mut self) -> &mut Playback {
        let (times, speed, skip_quiet) = (&self.times, self.speed, self.skip_quiet);
        self.head.get_or_insert_with(|| {
            let mut p = Playback::default();
            p.speed = speed;
            p.skip_quiet = skip_quiet;
            p.home(times);
            p
        })
    }

    pub fn toggle_play(&mut self) {
        let times = self.times.clone();
        self.engage().toggle(&times);
        self.follow = true;
    }

    pub fn step(&mut self, forward: bool) {
        let times = std::mem::take(&mut self.times);
        let h = self.engage();
        if forward {
            h.next(&times)
        } else {
            h.prev(&times)
        }
        self.times = times;
        self.follow = true;
    }

    pub fn home(&mut self) {
        let times = std::mem::take(&mut self.times);
        let h = self.engage();
        h.pause();
        h.home(&times);
        self.times = times;
        self.follow = true;
    }

    pub fn end(&mut self) {
        let times = std::mem::take(&mut self.times);
        self.engage().end(&times);
        self.times = times;
        self.follow = true;
    }

    /// Jumps to `t_us` (paused), turning playback on.
    pub fn seek(&mut self, t_us: u64) {
        self.engage().seek(t_us);
    }

    /// Advances a playing head by this frame's time and asks for the next frame.
    pub fn tick(&mut self, ctx: &egui::Context, running: bool) {
        let Some(h) = self.head.as_mut() else { return };
        if !h.is_playing() {
            return;
        }
        let dt = ctx.input(|i| f64::from(i.stable_dt));
        h.advance(dt, &self.times, running);
        self.follow = true;
        ctx.request_repaint();
    }

    /// ← → Home End Esc and P (play/pause), unless a text field is being typed in.
    pub fn keys(&mut self, ctx: &egui::Context) {
        if ctx.egui_wants_keyboard_input() {
            return;
        }
        let pressed = |k| ctx.input(|i| i.key_pressed(k));
        if pressed(Key::ArrowRight) {
            self.step(true);
        }
        if pressed(Key::ArrowLeft) {
            self.step(false);
        }
        if pressed(Key::Home) {
            self.home();
        }
        if pressed(Key::End) {
            self.end();
        }
        if pressed(Key::Escape) {
            self.head = None;
        }
        if pressed(Key::P) {
            self.toggle_play();
        }
    }

    /// The bar above the timeline.
    pub fn bar_ui(&mut self, ui: &mut Ui, lang: Lang) {
        // the buttons wrap; the slider gets a row of its own, sized to what is left of it (a
        // slider in a wrapped row grows the panel's width for everything drawn below it)
        ui.horizontal_wrapped(|ui| {
            let playing = self.head.as_ref().is_some_and(Playback::is_playing);
            if ui.button("|◀◀").on_hover_text(t(lang, S::PlayHomeTip)).clicked() {
                self.home();
            }
            if ui.button("◀|").on_hover_text(t(lang, S::PlayPrevTip)).clicked() {
                self.step(false);
            }
            let label = if playing { t(lang, S::Pause) } else { t(lang, S::Play) };
            if ui
                .button(RichText::new(label).strong())
                .on_hover_text(t(lang, S::PlayTip))
                .clicked()
            {
                self.toggle_play();
            }
            if ui.button("|▶").on_hover_text(t(lang, S::PlayNextTip)).clicked() {
                self.step(true);
            }
            if ui.button("▶▶|").on_hover_text(t(lang, S::PlayEndTip)).clicked() {
                self.end();
            }
            let speed_label = ui.label(t(lang, S::SlowDown));
            egui::ComboBox::from_id_salt("speed")
                .selected_text(speed_name(self.speed, lang))
                .show_ui(ui, |ui| {
                    for s in Speed::ALL {
                        ui.selectable_value(&mut self.speed, s, speed_name(s, lang));
                    }
                })
                .response
                .labelled_by(speed_label.id);
            ui.checkbox(&mut self.skip_quiet, t(lang, S::SkipQuiet))
                .on_hover_text(t(lang, S::SkipQuietTip));
            if let Some(h) = self.head.as_mut() {
                h.speed = self.speed;
                h.skip_quiet = self.skip_quiet;
            }
        });
        ui.horizontal(|ui| self.scrubber_ui(ui, lang));
    }

    /// Where the head is, as a slider over the run, and the way out of playback.
    fn scrubber_ui(&mut self, ui: &mut Ui, lang: Lang) {
        let (Some(&first), Some(&last)) = (self.times.first(), self.times.last()) else {
            return;
        };
        match self.head.as_mut() {
            Some(h) => {
                let mut t_us = h.t_us;
                // leave room for the time and the "show all" button
                ui.spacing_mut().slider_width = (ui.available_width() - 300.0).clamp(60.0, 400.0);
                let slider = egui::Slider::new(&mut t_us, first..=last).show_value(false);
                if ui.add(slider).on_hover_text(t(lang, S::ScrubTip)).changed() {
                    h.seek(t_us);
                    self.follow = true;
                }
                ui.label(
                    RichText::new(tf(
                        lang,
                        S::PlayHeadAt,
                        &[("at", &fmt_us(h.t_us)), ("total", &fmt_us(last))],
                    ))
                    .strong(),
                );
                if ui
                    .button(t(lang, S::ShowAll))
                    .on_hover_text(t(lang, S::ShowAllTip))
                    .clicked()
                {
                    self.head = None;
                }
            }
            None => {
                ui.weak(t(lang, S::PlaybackOff));
            }
        }
    }
}

pub fn speed_name(s: Speed, lang: Lang) -> String {
    match s.slowdown() {
        Some(k) if k <= 1.0 => t(lang, S::SpeedRealTime).into(),
        Some(k) => tf(lang, S::SpeedSlower, &[("factor", &crate::i18n::grouped(k as u64))]),
        None => t(lang, S::SpeedEventPerSecond).into(),
    }
}

/// A run time in the unit a reader expects: µs below a millisecond, then ms, then s.
pub fn fmt_us(us: u64) -> String {
    match us {
        0..1_000 => format!("{us} µs"),
        1_000..1_000_000 => format!("{:.3} ms", us as f64 / 1e3),
        _ => format!("{:.3} s", us as f64 / 1e6),
    }
}
