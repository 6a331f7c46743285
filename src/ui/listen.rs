//! The window `stickyviz listen` (without `--headless`) opens: the same timeline, fed live by an
//! external client instead of the app's own sender.
//!
//! The run is attached to an ordinary [`StickyApp`], so the lanes, inspector and stats work as
//! for a loopback run. Pressing Run afterwards starts a loopback experiment as usual; listening
//! again needs a new `stickyviz listen`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use crate::peer_cli::{self, ListenArgs};

use super::{Form, Prefs, Status, StickyApp};

/// Opens the window and starts listening as soon as it exists (the repaint hook needs it).
pub fn run_native_listen(args: ListenArgs) -> eframe::Result<()> {
    // Its own app id: the listen session's settings must not replace the user's saved ones.
    eframe::run_native(
        "stickyviz-listen",
        super::native_options("stickyviz — listen"),
        Box::new(move |cc| {
            let lang = crate::cli::lang();
            let mut app = StickyApp::new(Prefs { preset: None, auto_rerun: false, lang, ..Prefs::default() });
            // A bind error shows in the window (and on stderr); the window still opens.
            if let Err(e) = start_listening(&mut app, &args, &cc.egui_ctx) {
                eprintln!("{}: {e:#}", crate::i18n::t(crate::cli::lang(), crate::i18n::S::CliError));
            }
            Ok(Box::new(app))
        }),
    )
}

/// Binds and starts listening; the app then shows the client's stream as it arrives.
/// Returns the address listened on.
pub fn start_listening(app: &mut StickyApp, args: &ListenArgs, ctx: &egui::Context) -> anyhow::Result<SocketAddr> {
    app.stop();
    let ctx = ctx.clone();
    match peer_cli::start_listen(args, Some(Arc::new(move || ctx.request_repaint()))) {
        Ok((run, exp, bound)) => {
            app.form = Form::from_settings(&exp);
            app.prefs.settings = exp;
            app.prefs.preset = None;
            app.model = crate::analysis::Model::default();
            app.run = Some(run);
            app.status = Status::Running { since: Instant::now() };
            Ok(bound)
        }
        Err(e) => {
            app.start_error = Some(format!("{e:#}"));
            Err(e)
        }
    }
}
