//! What the page asks of the browser: fetch a URL, pick or receive a dropped file, download
//! bytes, read and write the address bar's query. Answers arrive later (the browser is
//! asynchronous and has no threads) in the app's [`Inbox`], which the next frame empties.
//!
//! Off the browser (clippy, native tests) the same functions exist and do nothing, so the app
//! around them is plain egui and builds anywhere.

use std::cell::RefCell;
use std::rc::Rc;

/// Why a URL could not be loaded, as data; the app words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchFailure {
    /// The server answered with this HTTP status (404 for a lesson that is not on the site).
    Status(u16),
    /// No answer: the browser's own words (offline, CORS refused, a bad URL).
    Network(String),
}

/// What a fetch is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Recording,
    /// The bundled CJK font subset (`fonts/cjk.otf`).
    Font,
}

/// Something the browser handed over since the last frame.
#[derive(Debug)]
pub enum Incoming {
    /// A recording's bytes: fetched (`name` is the URL), picked or dropped (its file name).
    Recording {
        name: String,
        bytes: Vec<u8>,
    },
    Font(Vec<u8>),
    Failed {
        url: String,
        purpose: Purpose,
        why: FetchFailure,
    },
}

/// Where the browser's answers wait for the next frame.
pub type Inbox = Rc<RefCell<Vec<Incoming>>>;

/// The page's query: `?lesson=NAME`, `?url=…`, `?lang=zh`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    pub lesson: Option<String>,
    pub url: Option<String>,
    pub lang: Option<String>,
}

#[cfg(target_arch = "wasm32")]
pub use browser::*;

#[cfg(not(target_arch = "wasm32"))]
pub use elsewhere::*;

#[cfg(not(target_arch = "wasm32"))]
mod elsewhere {
    use super::{Inbox, Purpose, Query};

    pub fn fetch(_url: &str, _purpose: Purpose, _inbox: &Inbox, _ctx: &egui::Context) {}
    pub fn pick_file(_inbox: &Inbox, _ctx: &egui::Context) {}
    pub fn read_dropped(
        file: &std::sync::Arc<dyn egui::DroppedFile + Send + Sync>,
        inbox: &Inbox,
        ctx: &egui::Context,
    ) {
        if let Ok(bytes) = file.bytes() {
            let name = file.path().display().to_string();
            inbox.borrow_mut().push(super::Incoming::Recording { name, bytes });
            ctx.request_repaint();
        }
    }
    pub fn download(_name: &str, _bytes: &[u8], _mime: &str) {}
    pub fn query() -> Query {
        Query::default()
    }
    pub fn show_lesson_in_address_bar(_lesson: Option<&str>) {}
    pub fn publish_state(_state: &str) {}
    pub fn publish_attribute(_name: &str, _value: &str) {}
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    use super::{FetchFailure, Inbox, Incoming, Purpose, Query};

    fn words(e: &JsValue) -> String {
        e.as_string()
            .or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
            .unwrap_or_else(|| format!("{e:?}"))
    }

    async fn get(url: &str) -> Result<Vec<u8>, FetchFailure> {
        let window = web_sys::window().ok_or_else(|| FetchFailure::Network("no window".into()))?;
        let answer = JsFuture::from(window.fetch_with_str(url))
            .await
            .map_err(|e| FetchFailure::Network(words(&e)))?;
        let response: web_sys::Response = answer.dyn_into().map_err(|e| FetchFailure::Network(words(&e)))?;
        if !response.ok() {
            return Err(FetchFailure::Status(response.status()));
        }
        let promise = response.array_buffer().map_err(|e| FetchFailure::Network(words(&e)))?;
        let buffer = JsFuture::from(promise)
            .await
            .map_err(|e| FetchFailure::Network(words(&e)))?;
        Ok(js_sys::Uint8Array::new(&buffer).to_vec())
    }

    /// Loads `url`; its bytes (or why not) arrive in `inbox`.
    pub fn fetch(url: &str, purpose: Purpose, inbox: &Inbox, ctx: &egui::Context) {
        let (url, inbox, ctx) = (url.to_string(), inbox.clone(), ctx.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let got = get(&url).await;
            inbox.borrow_mut().push(match (got, purpose) {
                (Ok(bytes), Purpose::Recording) => Incoming::Recording { name: url, bytes },
                (Ok(bytes), Purpose::Font) => Incoming::Font(bytes),
                (Err(why), purpose) => Incoming::Failed { url, purpose, why },
            });
            ctx.request_repaint();
        });
    }

    async fn read_file(file: web_sys::File) -> Result<Vec<u8>, String> {
        let buffer = JsFuture::from(file.array_buffer()).await.map_err(|e| words(&e))?;
        Ok(js_sys::Uint8Array::new(&buffer).to_vec())
    }

    /// The browser's file picker (what Ctrl+O does on the desktop; the browser keeps that key).
    pub fn pick_file(inbox: &Inbox, ctx: &egui::Context) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Ok(input) = document.create_element("input") else {
            return;
        };
        let Ok(input) = input.dyn_into::<web_sys::HtmlInputElement>() else {
            return;
        };
        input.set_type("file");
        input.set_accept(".json,.gz,application/json,application/gzip");
        let (inbox, ctx, picked) = (inbox.clone(), ctx.clone(), input.clone());
        let on_change = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            let Some(file) = picked.files().and_then(|f| f.get(0)) else {
                return;
            };
            let (inbox, ctx) = (inbox.clone(), ctx.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let name = file.name();
                match read_file(file).await {
                    Ok(bytes) => inbox.borrow_mut().push(Incoming::Recording { name, bytes }),
                    Err(e) => inbox.borrow_mut().push(Incoming::Failed {
                        url: name,
                        purpose: Purpose::Recording,
                        why: FetchFailure::Network(e),
                    }),
                }
                ctx.request_repaint();
            });
        });
        input.set_onchange(Some(on_change.as_ref().unchecked_ref()));
        // one small closure per pick, kept for the page's life (the input may fire late)
        on_change.forget();
        input.click();
    }

    /// A file dropped on the canvas (eframe hands it over unread).
    pub fn read_dropped(
        file: &std::sync::Arc<dyn egui::DroppedFile + Send + Sync>,
        inbox: &Inbox,
        ctx: &egui::Context,
    ) {
        let (file, inbox, ctx) = (file.clone(), inbox.clone(), ctx.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let name = file.path().display().to_string();
            match file.bytes_async().await {
                Ok(bytes) => inbox.borrow_mut().push(Incoming::Recording { name, bytes }),
                Err(e) => inbox.borrow_mut().push(Incoming::Failed {
                    url: name,
                    purpose: Purpose::Recording,
                    why: FetchFailure::Network(e),
                }),
            }
            ctx.request_repaint();
        });
    }

    /// Offers `bytes` as a download named `name` (what Save does on the desktop).
    pub fn download(name: &str, bytes: &[u8], mime: &str) {
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(mime);
        let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
            return;
        };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
            return;
        };
        let anchor = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("a").ok())
            .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok());
        if let Some(a) = anchor {
            a.set_href(&url);
            a.set_download(name);
            a.click();
        }
        let _revoked = web_sys::Url::revoke_object_url(&url);
    }

    pub fn query() -> Query {
        let search = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default();
        let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else {
            return Query::default();
        };
        Query {
            lesson: params.get("lesson"),
            url: params.get("url"),
            lang: params.get("lang"),
        }
    }

    /// What the page shows, as the canvas's `data-state` attribute: the canvas is pixels, and
    /// this is what a screen reader, a script or the browser tests can read of it.
    pub fn publish_state(state: &str) {
        publish_attribute("data-state", state);
    }

    /// Sets an attribute of the canvas (see [`publish_state`]).
    pub fn publish_attribute(name: &str, value: &str) {
        let canvas = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("stickyviz"));
        if let Some(canvas) = canvas {
            if let Err(e) = canvas.set_attribute(name, value) {
                log::warn!("{name}: {}", words(&e));
            }
        }
    }

    /// `?lesson=NAME` in the address bar, so the link the teacher copies opens this lesson.
    pub fn show_lesson_in_address_bar(lesson: Option<&str>) {
        let Some(window) = web_sys::window() else { return };
        let path = window.location().pathname().unwrap_or_default();
        let url = match lesson {
            Some(name) => format!("{path}?lesson={name}"),
            None => path,
        };
        if let Ok(history) = window.history() {
            let _kept = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
        }
    }
}
