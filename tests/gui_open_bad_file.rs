//! Issue 26: `stickyviz BROKEN.json`, what a student's double-click runs, opens the window and
//! says there why the file cannot be shown (in the window's language), running nothing.
#![cfg(feature = "gui")]

use std::sync::Arc;

use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;
use stickyviz::i18n::Lang;
use stickyviz::ui::{Prefs, Start, StickyApp};

#[test]
fn a_bad_file_opens_the_window_with_its_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("BROKEN.json");
    std::fs::write(&path, "hello, I am not JSON").expect("write");
    for (lang, words) in [(Lang::En, "not a stickyviz recording"), (Lang::Zh, "BROKEN.json")] {
        let err = stickyviz::recording::Recording::load(&path).expect_err("not a recording");
        let said = stickyviz::describe::open_failed(&path.display().to_string(), &err, lang);
        let start = Start {
            file_error: Some(said.clone()),
            ..Start::default()
        };
        let prefs = Prefs {
            lang,
            ..Prefs::default()
        };
        let mut h = Harness::builder()
            .with_size([1024.0, 768.0])
            .with_context_setup(|ctx| {
                ctx.add_font_provider(Arc::new(egui_system_font_provider::SystemFontProvider::new()))
            })
            .build_ui_state(|ui, app: &mut StickyApp| app.ui_root(ui), StickyApp::new(prefs.clone()));
        let ctx = h.ctx.clone();
        *h.state_mut() = StickyApp::open_on(prefs, start, &ctx);
        h.run_steps(2);
        assert!(said.contains(words), "{lang:?}: {said}");
        assert!(
            h.query_by_label_contains(&said).is_some(),
            "{lang:?}: the window shows '{said}'"
        );
        assert!(!h.state().is_running(), "{lang:?}: nothing runs meanwhile");
    }
}
