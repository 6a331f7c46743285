//! The page's entry: wasm-bindgen calls `main` when the module loads; it hands the canvas
//! `#stickyviz` to eframe's web runner. Built only for `wasm32-unknown-unknown`
//! (`scripts/web.sh`); elsewhere it says so.

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::JsCast;
    // panics and warnings go to the browser's console (the tests read it)
    let _logger = eframe::WebLogger::init(log::LevelFilter::Warn);
    wasm_bindgen_futures::spawn_local(async {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(canvas) = document
            .get_element_by_id("stickyviz")
            .and_then(|e| e.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        else {
            log::error!("index.html has no <canvas id=\"stickyviz\">");
            return;
        };
        let lang = web_sys::window()
            .and_then(|w| w.navigator().language())
            .and_then(|l| stickyviz_i18n::Lang::from_name(&l))
            .unwrap_or_default();
        let started = eframe::WebRunner::new()
            .start(
                canvas,
                eframe::WebOptions::default(),
                Box::new(move |_cc| Ok(Box::new(stickyviz_web::WebApp::new(lang)))),
            )
            .await;
        if let Err(e) = started {
            log::error!("stickyviz could not start: {e:?}");
        }
    });
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("stickyviz-web runs in a browser: build it with scripts/web.sh and open target/web/index.html");
}
