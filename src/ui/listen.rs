//! The window `stickyviz listen` (without `--headless`) opens: the same timeline, fed live by an
//! external client instead of the app's own sender.
//!
//! The run is attached to an ordinary [`StickyApp`], so the lanes, inspector and stats work as
//! for a loopback run. Pressing Run afterwards starts a loopback experiment as usual; listening
//! again needs a new `stickyviz listen`.

use std::net::SocketAddr;
use std::sync::Arc;

use crate::engine::peer::{self, ListenOn, ListenOptions};
use crate::i18n::{t, tf, Lang, S};

use super::{Prefs, StickyApp};

/// Opens the window and starts listening as soon as it exists (the repaint hook needs it).
pub fn run_native_listen(on: ListenOn, opts: ListenOptions, lang: Lang) -> eframe::Result<()> {
    // Its own app id: the listen session's settings must not replace the user's saved ones.
    eframe::run_native(
        "stickyviz-listen",
        super::native_options("stickyviz — listen"),
        Box::new(move |cc| {
            let mut app = StickyApp::new(Prefs {
                preset: None,
                auto_rerun: false,
                lang,
                ..Prefs::default()
            });
            // A bind error shows in the window (and on stderr); the window still opens.
            if let Err(e) = start_listening(&mut app, on, opts, &cc.egui_ctx) {
                eprintln!("{}: {e:#}", t(lang, S::CliError));
            }
            Ok(Box::new(app))
        }),
    )
}

/// Binds and starts listening; the app then shows the client's stream as it arrives.
/// Returns the address listened on.
pub fn start_listening(
    app: &mut StickyApp,
    on: ListenOn,
    opts: ListenOptions,
    ctx: &egui::Context,
) -> anyhow::Result<SocketAddr> {
    app.stop();
    let ctx = ctx.clone();
    match peer::start_listen(on, opts, Some(Arc::new(move || ctx.request_repaint()))) {
        Ok(l) => {
            let proto = if matches!(on, ListenOn::Udp(_)) { "udp" } else { "tcp" };
            eprintln!(
                "{}",
                tf(
                    app.prefs.lang,
                    S::PeerListening,
                    &[("proto", &proto), ("bound", &l.bound)]
                )
            );
            // the window's one reset and record: Save writes the whole session
            app.show_run(l.run, l.experiment);
            app.class = (!matches!(on, ListenOn::Udp(_))).then(|| {
                super::roster::ClassView::new(l.bound, peer::reachable_addrs(l.bound).map_err(|e| (&e).into()))
            });
            Ok(l.bound)
        }
        Err(e) => {
            let words = crate::describe::listen_error(&e, app.prefs.lang);
            app.start_error = Some(words.clone());
            Err(anyhow::Error::msg(words))
        }
    }
}
