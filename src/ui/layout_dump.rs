//! A test hook of the native window: with `STICKYVIZ_LAYOUT=FILE` set, every frame writes
//! where each panel was drawn (`stickyviz_panels::shown`) to FILE, for the real-window tests.

use egui::Context;

use super::shown::to_json;

/// With `STICKYVIZ_LAYOUT=FILE` set, writes [`to_json`] to FILE (through a temporary file, so
/// a reader never sees half of it).
pub fn dump_if_asked(ctx: &Context) {
    let Some(path) = std::env::var_os("STICKYVIZ_LAYOUT") else {
        return;
    };
    let path = std::path::PathBuf::from(path);
    let tmp = path.with_extension("tmp");
    let written = std::fs::write(&tmp, to_json(ctx)).and_then(|()| std::fs::rename(&tmp, &path));
    if let Err(e) = written {
        // a debugging aid: say so once per frame on stderr rather than stop the window
        eprintln!("STICKYVIZ_LAYOUT: cannot write {}: {e}", path.display());
    }
}
