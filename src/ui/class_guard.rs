//! Run after a class session: asked first, since a local run replaces the roster and every
//! student's stream (issue 26: Space after Stop used to drop the class without a word).

use egui::RichText;

use super::StickyApp;
use crate::ui::strings::{t, S};

impl StickyApp {
    /// What Run, Re-run and Space do: start at once, or, over a class session that has ended,
    /// ask before replacing it.
    pub fn run_asked(&mut self, ctx: &egui::Context) {
        if self.class.is_some() && !self.is_running() {
            self.asking_to_replace_class = true;
        } else {
            self.start(ctx);
        }
    }

    /// Whether the question is open (tests read it).
    pub fn asking_to_replace_class(&self) -> bool {
        self.asking_to_replace_class
    }

    /// The question, while it is open.
    pub(super) fn class_guard_ui(&mut self, ctx: &egui::Context) {
        if !self.asking_to_replace_class {
            return;
        }
        let lang = self.lang();
        let mut run = false;
        let mut keep = false;
        let modal = egui::Modal::new(egui::Id::unique("replace_class")).show(ctx, |ui| {
            ui.set_max_width(420.0);
            ui.label(RichText::new(t(lang, S::ClassReplaceQuestion)).strong());
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                keep = ui.button(t(lang, S::ClassReplaceKeep)).clicked();
                run = ui.button(t(lang, S::ClassReplaceRun)).clicked();
            });
        });
        if run {
            self.asking_to_replace_class = false;
            self.class = None;
            self.start(ctx);
        } else if keep || modal.should_close() {
            self.asking_to_replace_class = false;
        }
    }
}
