//! The browser viewer's state: the recording shown, its model and the panels' view state, what
//! is loading and the last error. `frame.rs` draws it with the desktop's panels. No run, no
//! socket: a recording arrives as bytes (a lesson, `?url=`, a picked or dropped file) and is
//! read by the desktop's reader with its caps ([`Recording::from_bytes`]).

use stickyviz_facts::config::Experiment;
use stickyviz_i18n::{t, tf, Lang, S};
use stickyviz_panels::layout::Drawers;
use stickyviz_panels::playback::PlaybackView;
use stickyviz_panels::timeline::{Selection, TimelineView};
use stickyviz_view::analysis::{Model, ReadKind};
use stickyviz_view::presets;
use stickyviz_view::recording::{self, Recording, RecordingError};

use crate::host::{self, FetchFailure, Inbox, Incoming, Purpose};

/// Events kept in detail, as the desktop window keeps (`session::WINDOW_HISTORY_CAP`): counts
/// stay exact past it and the lanes say older detail was dropped.
pub const HISTORY_CAP: usize = 2_000_000;

/// Where `scripts/web.sh` puts the lessons' recordings and the CJK font, beside index.html.
pub fn lesson_url(name: &str) -> String {
    format!("lessons/{name}.json.gz")
}
pub const FONT_URL: &str = "fonts/cjk.otf";

/// Which x axis the central view uses (as the desktop's View menu).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ViewKind {
    #[default]
    Bytes,
    Time,
}

/// The last thing that went wrong, kept as data so a language switch rewords it.
#[derive(Debug)]
pub enum Problem {
    /// The bytes arrived but are not a recording this version reads (the desktop's errors).
    Recording {
        name: String,
        error: RecordingError,
    },
    Fetch {
        url: String,
        why: FetchFailure,
    },
    NoSuchLesson {
        name: String,
    },
    /// Save PNG could not encode the picture: the encoder's words.
    Png(String),
}

impl Problem {
    pub fn words(&self, lang: Lang) -> String {
        match self {
            Problem::Recording { name, error } => stickyviz_view::describe::open_failed(name, error, lang),
            Problem::Fetch { url, why } => {
                let error = match why {
                    FetchFailure::Status(status) => tf(lang, S::WebHttpStatus, &[("status", status)]),
                    FetchFailure::Network(words) => words.clone(),
                };
                tf(lang, S::WebFetchFailed, &[("url", url), ("error", &error)])
            }
            Problem::NoSuchLesson { name } => tf(lang, S::WebNoSuchLesson, &[("name", name)]),
            Problem::Png(words) => tf(lang, S::WebPngFailed, &[("error", words)]),
        }
    }
}

/// A recording on screen.
pub struct Shown {
    pub recording: Recording,
    /// The file name or URL it came from (the replay banner names it).
    pub source: String,
    pub model: Model,
}

pub struct WebApp {
    pub lang: Lang,
    pub view: ViewKind,
    pub projector: bool,
    pub shown: Option<Shown>,
    /// The lesson whose explanation is shown (the recording's preset, if it is one).
    pub lesson: Option<String>,
    pub timeline: TimelineView,
    pub selection: Option<Selection>,
    pub playback: PlaybackView,
    pub drawers: Drawers,
    pub inbox: Inbox,
    /// The URL being fetched.
    pub loading: Option<String>,
    pub problem: Option<Problem>,
    /// Frames drawn: the first one starts the fetches the page's query asks for.
    pub frames: u64,
    /// The last [`WebApp::page_state`] published.
    published: String,
    /// The CPU time of the last frame, where eframe measures it.
    pub frame_ms: Option<f32>,
    /// Save PNG: the page's picture, once the painter has taken it (a frame later).
    pub screenshot: std::sync::Arc<std::sync::Mutex<Option<std::sync::Arc<egui::ColorImage>>>>,
}

impl Default for WebApp {
    fn default() -> Self {
        Self::new(Lang::En)
    }
}

impl WebApp {
    pub fn new(lang: Lang) -> Self {
        Self {
            lang,
            view: ViewKind::Bytes,
            projector: false,
            shown: None,
            lesson: None,
            timeline: TimelineView::default(),
            selection: None,
            playback: PlaybackView::default(),
            drawers: Drawers::default(),
            inbox: Inbox::default(),
            loading: None,
            problem: None,
            frames: 0,
            published: String::new(),
            frame_ms: None,
            screenshot: Default::default(),
        }
    }

    /// The settings of the recording shown (the default experiment's on the lesson index).
    pub fn settings(&self) -> Experiment {
        self.shown
            .as_ref()
            .map(|s| s.recording.settings.clone())
            .unwrap_or_default()
    }

    /// Starts loading the lesson `name`'s recording from the site.
    pub fn open_lesson(&mut self, name: &str, ctx: &egui::Context) {
        if presets::find(name).is_none() {
            self.problem = Some(Problem::NoSuchLesson { name: name.to_string() });
            return;
        }
        host::show_lesson_in_address_bar(Some(name));
        self.open_url(&lesson_url(name), ctx);
    }

    /// Starts loading a recording from `url` (same origin, or a host that allows CORS).
    pub fn open_url(&mut self, url: &str, ctx: &egui::Context) {
        self.loading = Some(url.to_string());
        self.problem = None;
        host::fetch(url, Purpose::Recording, &self.inbox, ctx);
    }

    /// Reads `bytes` as a recording and shows it; a bad one keeps what was shown and says why.
    pub fn open_bytes(&mut self, name: &str, bytes: &[u8]) {
        self.loading = None;
        match Recording::from_bytes(short_name(name), bytes) {
            Ok(rec) => self.show(rec, name),
            Err(error) => {
                self.problem = Some(Problem::Recording {
                    name: short_name(name).to_string(),
                    error,
                })
            }
        }
    }

    /// Shows a recording exactly as recorded (the desktop's replay).
    pub fn show(&mut self, rec: Recording, source: &str) {
        let mut model = Model::with_cap(HISTORY_CAP);
        for e in &rec.events {
            model.apply(e);
        }
        let matching = recording::matching_preset(rec.preset.as_deref(), &rec.settings);
        self.lesson = rec
            .preset
            .clone()
            .filter(|name| presets::find(name).is_some())
            .or(matching);
        self.timeline = TimelineView::default();
        self.playback.reset();
        self.selection = first_lesson_read(&model);
        self.problem = None;
        self.shown = Some(Shown {
            recording: rec,
            source: short_name(source).to_string(),
            model,
        });
    }

    /// Folds in what the browser handed over since the last frame.
    pub fn take_inbox(&mut self, ctx: &egui::Context) {
        let incoming: Vec<Incoming> = std::mem::take(&mut *self.inbox.borrow_mut());
        for item in incoming {
            match item {
                Incoming::Recording { name, bytes } => self.open_bytes(&name, &bytes),
                Incoming::Font(bytes) => crate::fonts::install_cjk(ctx, bytes),
                Incoming::Failed {
                    purpose: Purpose::Font, ..
                } => {
                    // without the subset, Chinese falls back to egui's fonts; say nothing in English
                    log_font_missing();
                }
                Incoming::Failed {
                    url,
                    purpose: Purpose::Recording,
                    why,
                } => {
                    self.loading = None;
                    self.problem = Some(Problem::Fetch { url, why });
                }
            }
        }
    }

    /// The first frame: the font, and what the page's query asks to open.
    pub fn start(&mut self, ctx: &egui::Context) {
        host::fetch(FONT_URL, Purpose::Font, &self.inbox, ctx);
        let query = host::query();
        if let Some(lang) = query.lang.as_deref().and_then(Lang::from_name) {
            self.lang = lang;
        }
        if let Some(url) = query.url {
            self.open_url(&url, ctx);
        } else if let Some(name) = query.lesson {
            self.open_lesson(&name, ctx);
        }
    }

    /// The recording shown as a download (what Save does on the desktop).
    pub fn save_recording(&self) {
        if let Some(s) = &self.shown {
            let name = if s.source.ends_with(".json") {
                s.source.clone()
            } else {
                format!("{}.json", self.lesson.as_deref().unwrap_or("recording"))
            };
            host::download(&name, s.recording.to_json().as_bytes(), "application/json");
        }
    }

    /// The lanes as SVG, in the page's theme and language (the desktop's Export SVG).
    pub fn save_svg(&self, dark: bool) {
        use stickyviz_view::export::options::{RenderLang, RenderOptions, RenderTheme};
        let Some(s) = &self.shown else { return };
        let opts = RenderOptions {
            theme: if dark { RenderTheme::Dark } else { RenderTheme::Light },
            lang: if self.lang == Lang::Zh {
                RenderLang::Zh
            } else {
                RenderLang::En
            },
            ..RenderOptions::default()
        };
        let svg = stickyviz_view::export::svg::render_model(&s.model, &opts);
        let name = format!("{}.svg", self.lesson.as_deref().unwrap_or("stickyviz"));
        host::download(&name, svg.as_bytes(), "image/svg+xml");
    }

    /// One line saying what the page shows: `error: …` (the words on screen), `loading: URL`,
    /// `shown: NAME`, or `index`.
    pub fn page_state(&self) -> String {
        match (&self.problem, &self.loading, &self.shown) {
            (Some(p), _, _) => format!("error: {}", p.words(self.lang)),
            (None, Some(url), _) => format!("loading: {url}"),
            (None, None, Some(s)) => format!("shown: {}", s.source),
            (None, None, None) => "index".into(),
        }
    }

    /// Publishes [`WebApp::page_state`] when it changed.
    pub fn publish(&mut self) {
        let state = self.page_state();
        if state != self.published {
            host::publish_state(&state);
            self.published = state;
        }
        if let Some(ms) = self.frame_ms {
            host::publish_attribute("data-frame-ms", &format!("{ms:.2}"));
        }
    }

    /// Asks the painter for the page's picture; [`WebApp::take_screenshot`] saves it.
    pub fn save_png(&self, ctx: &egui::Context) {
        let slot = self.screenshot.clone();
        let wake = ctx.clone();
        ctx.send_viewport_cmd(egui::ViewportCommand::Screenshot(egui::ScreenshotCallback::new(
            move |image| {
                if let Ok(mut slot) = slot.lock() {
                    *slot = Some(image);
                }
                wake.request_repaint();
            },
        )));
    }

    /// The picture Save PNG asked for, as a download, once it has arrived.
    pub fn take_screenshot(&mut self) {
        let image = self.screenshot.lock().ok().and_then(|mut slot| slot.take());
        let Some(image) = image else { return };
        let name = format!("{}.png", self.lesson.as_deref().unwrap_or("stickyviz"));
        match png_bytes(&image) {
            Ok(bytes) => host::download(&name, &bytes, "image/png"),
            Err(e) => self.problem = Some(Problem::Png(e.to_string())),
        }
    }

    /// The status word of the top bar.
    pub fn status(&self) -> String {
        match (&self.loading, &self.shown) {
            (Some(url), _) => tf(self.lang, S::WebLoading, &[("url", url)]),
            (None, Some(_)) => t(self.lang, S::Replay).into(),
            (None, None) => String::new(),
        }
    }
}

/// `image` as a PNG file (8-bit RGBA, not premultiplied).
fn png_bytes(image: &egui::ColorImage) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let [w, h] = image.size;
    let mut encoder = png::Encoder::new(&mut out, w as u32, h as u32);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    let rgba: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_srgba_unmultiplied()).collect();
    writer.write_image_data(&rgba)?;
    writer.finish()?;
    Ok(out)
}

/// The last part of a URL or path: what the banner and the errors name.
fn short_name(name: &str) -> &str {
    let path = name.split(['?', '#']).next().unwrap_or(name);
    path.rsplit('/').find(|p| !p.is_empty()).unwrap_or(name)
}

/// The inspector starts on the lesson: the first merged read, else the first read.
fn first_lesson_read(model: &Model) -> Option<Selection> {
    let merged = model
        .reads()
        .iter()
        .position(|r| matches!(model.read_kind(r), ReadKind::Merged { .. }));
    merged.or((!model.reads().is_empty()).then_some(0)).map(Selection::Read)
}

#[cfg(target_arch = "wasm32")]
fn log_font_missing() {
    log::warn!("{FONT_URL} not found: Chinese text may show as boxes");
}

#[cfg(not(target_arch = "wasm32"))]
fn log_font_missing() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_drop_the_path_and_query() {
        assert_eq!(short_name("lessons/echo.json.gz"), "echo.json.gz");
        assert_eq!(short_name("https://h/x/rec.json?x=1"), "rec.json");
        assert_eq!(short_name("plain.json"), "plain.json");
    }

    #[test]
    fn a_bad_file_keeps_the_shown_recording_and_says_why() {
        let mut app = WebApp::new(Lang::En);
        let good = Recording::new(Experiment::default(), Vec::new()).to_json();
        app.open_bytes("good.json", good.as_bytes());
        assert!(app.shown.is_some() && app.problem.is_none());
        app.open_bytes("bad.json.gz", &[0x1f, 0x8b, 0, 1, 2]);
        assert!(app.shown.is_some(), "the last good recording stays");
        let words = app.problem.as_ref().map(|p| p.words(Lang::En)).unwrap_or_default();
        assert!(words.contains("bad.json.gz"), "{words}");
        let zh = app.problem.as_ref().map(|p| p.words(Lang::Zh)).unwrap_or_default();
        assert_ne!(words, zh);
    }

    #[test]
    fn a_png_is_a_png_of_the_picture() {
        let image = egui::ColorImage::new([3, 2], vec![egui::Color32::from_rgb(0x4e, 0x79, 0xa7); 6]);
        let bytes = png_bytes(&image).expect("encodes");
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .expect("reads");
        let mut pixels = vec![0; reader.output_buffer_size().unwrap_or(0)];
        reader.next_frame(&mut pixels).expect("one frame");
        assert_eq!(&pixels[..4], &[0x4e, 0x79, 0xa7, 0xff]);
    }

    #[test]
    fn an_unknown_lesson_is_refused_before_any_fetch() {
        let mut app = WebApp::new(Lang::En);
        app.open_lesson("../../etc/passwd", &egui::Context::default());
        assert!(matches!(app.problem, Some(Problem::NoSuchLesson { .. })));
        assert!(app.loading.is_none());
    }
}
