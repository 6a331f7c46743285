//! stickyviz in the browser: the desktop's egui panels (`stickyviz-panels`) around a recording
//! instead of a live run. A lesson (`index.html?lesson=NAME`), any recording by URL
//! (`?url=…`), a picked or dropped `.json` / `.json.gz`; the desktop's reader and its caps, so a
//! hostile file gets the desktop's error and the page lives. No socket, thread or file here:
//! `host.rs` asks the browser, and the answers come back through an inbox the next frame reads.
//!
//! `scripts/web.sh` builds the site into `target/web/`; `main.rs` starts eframe's web runner.

pub mod app;
pub mod fonts;
mod frame;
pub mod host;

pub use app::WebApp;

#[cfg(target_arch = "wasm32")]
impl eframe::App for WebApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        // the last frame's CPU time (layout, tessellation, painting): docs/performance.md's
        // browser frame time is read from the canvas's `data-frame-ms`
        self.frame_ms = frame.info().cpu_usage.map(|s| s * 1000.0);
        self.ui_root(ui);
    }
}
