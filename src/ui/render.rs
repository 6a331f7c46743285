//! The real window drawn headlessly: egui_kittest runs [`StickyApp::ui_root`] on a recording and
//! wgpu renders it (on Mesa's llvmpipe when there is no GPU), the same pixels the window shows.

use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::Arc;

use egui_kittest::Harness;

use crate::export::options::{RenderLang, RenderOptions, RenderTheme, RenderView};
use crate::recording::Recording;
use crate::ui::strings::Lang;
use crate::ui::{Prefs, StickyApp, ViewKind};

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("the renderer failed: {0} (is Mesa's Vulkan/GL driver installed? e.g. apt install mesa-vulkan-drivers)")]
    Gpu(String),
    #[error(transparent)]
    Write(crate::facts::FileFailure),
}

/// Frames run before the picture is taken: the first lays out the panels, the second sizes them
/// from the first's measurements, the third is stable (as the GUI snapshot tests found).
const SETTLE_FRAMES: usize = 3;

/// The window showing `rec` as a replay, as an RGBA image of `opts.width` × `opts.height`.
pub fn render_image(rec: &Recording, source: &str, opts: &RenderOptions) -> Result<image::RgbaImage, RenderError> {
    let prefs = Prefs {
        lang: match opts.lang {
            RenderLang::En => Lang::En,
            RenderLang::Zh => Lang::Zh,
        },
        view: match opts.view {
            RenderView::Bytes => ViewKind::Bytes,
            RenderView::Time => ViewKind::Time,
        },
        auto_rerun: false,
        projector: opts.projector,
        ..Prefs::default()
    };
    let theme = match opts.theme {
        RenderTheme::Dark => egui::Theme::Dark,
        RenderTheme::Light => egui::Theme::Light,
    };
    let projector = opts.projector;
    let zoom = if projector {
        crate::ui::projector::PROJECTOR_ZOOM
    } else {
        1.0
    };
    let mut app = StickyApp::new(prefs);
    app.show_named_recording(rec, source);
    // kittest and wgpu report a missing adapter by panicking; a picture command should say so.
    std::panic::catch_unwind(AssertUnwindSafe(|| {
        let mut h = Harness::builder()
            // projector mode zooms: the same pixels hold fewer, bigger points
            .with_size([opts.width as f32 / zoom, opts.height as f32 / zoom])
            .with_pixels_per_point(1.0)
            .with_theme(theme)
            .with_context_setup(move |ctx| {
                ctx.add_font_provider(Arc::new(egui_system_font_provider::SystemFontProvider::new()));
                crate::ui::projector::set(ctx, projector);
            })
            .wgpu()
            .build_ui_state(|ui, app: &mut StickyApp| app.ui_root(ui), app);
        h.run_steps(SETTLE_FRAMES);
        h.render()
    }))
    .map_err(|p| RenderError::Gpu(panic_text(&p)))?
    .map_err(RenderError::Gpu)
}

fn panic_text(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_string()))
        .unwrap_or_else(|| "panic".into())
}

/// [`render_image`] written as a PNG file.
pub fn render_png(rec: &Recording, source: &str, opts: &RenderOptions, out: &Path) -> Result<(), RenderError> {
    let img = render_image(rec, source, opts)?;
    img.save_with_format(out, image::ImageFormat::Png).map_err(|e| {
        // the image crate's words (an OS error's among them), kept as data
        let error = match e {
            image::ImageError::IoError(io) => (&io).into(),
            e => crate::facts::OsError {
                kind: "Other".into(),
                code: None,
                words: e.to_string(),
            },
        };
        RenderError::Write(crate::facts::FileFailure {
            op: crate::facts::FileOp::Write,
            target: crate::facts::FileTarget::Path(out.display().to_string()),
            error,
        })
    })
}

#[cfg(test)]
mod tests {
    /// The SVG export draws messages in the window's colours.
    #[test]
    fn svg_palette_matches_the_window() {
        for (i, (r, g, b)) in crate::export::svg::MESSAGE_RGB.iter().enumerate() {
            assert_eq!(
                crate::ui::theme::message(i as u32),
                egui::Color32::from_rgb(*r, *g, *b),
                "message colour {i}"
            );
        }
    }
}
