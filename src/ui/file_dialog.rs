//! Choosing a file: the system's own dialog (`rfd`) where the desktop offers one, else a path
//! box in a modal window.
//!
//! On Linux `rfd` talks to the XDG desktop portal over D-Bus (loaded at run time, so nothing is
//! needed to build), then falls back to `zenity`. A bare X server, a kiosk or a CI machine has
//! neither, and `rfd` answers "cancelled" in silence; so the window checks first and uses its
//! own path box there, and "Type a path…" in the File menu reaches that box on every desktop.
//!
//! The path box lives in a modal, not in the menu: a menu closes on the release of any click
//! inside it, so a press that focused a text field inside a menu closed the menu on release.

use std::path::PathBuf;

use egui::{Id, Key, Modal, Ui};

use crate::ui::strings::{t, Lang, S};

/// What a chosen path is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileAction {
    Open,
    Save,
    ExportSvg,
    ExportPcapng,
}

impl FileAction {
    fn extension(self) -> &'static str {
        match self {
            FileAction::Open | FileAction::Save => "json",
            FileAction::ExportSvg => "svg",
            FileAction::ExportPcapng => "pcapng",
        }
    }

    fn title(self) -> S {
        match self {
            FileAction::Open => S::OpenRecording,
            FileAction::Save => S::SaveRecording,
            FileAction::ExportSvg => S::ExportSvg,
            FileAction::ExportPcapng => S::ExportPcapng,
        }
    }
}

/// The in-window path box, while it is open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathPrompt {
    pub action: FileAction,
    /// Focus the text field on the first frame, so typing starts at once.
    focus: bool,
}

impl PathPrompt {
    pub fn new(action: FileAction) -> Self {
        Self { action, focus: true }
    }
}

/// Whether the system's file dialog can open here. `STICKYVIZ_FILE_DIALOG=builtin` forces the
/// path box (the real-window tests use it), `=system` forces the system dialog.
pub fn system_dialog_available() -> bool {
    match std::env::var("STICKYVIZ_FILE_DIALOG").as_deref() {
        Ok("builtin") => return false,
        Ok("system") => return true,
        _ => {}
    }
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return true;
    }
    // the portal needs a session bus; zenity needs only its binary and a display
    let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|v| !v.is_empty());
    bus || on_path("zenity")
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// Asks the system's dialog for a path; `None` when the user cancelled. `suggested` fills the
/// save dialog's name and folder.
pub fn system_pick(action: FileAction, lang: Lang, suggested: &str) -> Option<PathBuf> {
    let ext = action.extension();
    let mut dialog = rfd::FileDialog::new()
        .set_title(t(lang, action.title()))
        .add_filter(ext, &[ext]);
    let suggested = PathBuf::from(suggested);
    if let Some(dir) = suggested.parent().filter(|d| d.is_dir()) {
        dialog = dialog.set_directory(dir);
    }
    match action {
        FileAction::Open => dialog.pick_file(),
        _ => {
            let name = suggested.with_extension(ext);
            let name = name
                .file_name()
                .map_or_else(|| format!("stickyviz.{ext}"), |n| n.to_string_lossy().into_owned());
            dialog.set_file_name(name).save_file()
        }
    }
}

/// The modal path box. Returns the path when the user confirms (button or Enter); closes on
/// Cancel, Escape or a click beside it.
pub fn path_prompt_ui(
    ui: &mut Ui,
    prompt: &mut Option<PathPrompt>,
    path: &mut String,
    lang: Lang,
) -> Option<(FileAction, PathBuf)> {
    let p = prompt.as_mut()?;
    let action = p.action;
    let mut chosen = None;
    let mut cancel = false;
    let modal = Modal::new(Id::unique("stickyviz_path_prompt")).show(ui.ctx(), |ui| {
        ui.set_width(420.0_f32.min(ui.ctx().content_rect().width() - 40.0));
        ui.heading(t(lang, action.title()));
        let label = ui.label(t(lang, S::FilePath));
        let field = ui
            .add(
                egui::TextEdit::singleline(path)
                    .hint_text(format!("run.{}", action.extension()))
                    .desired_width(f32::INFINITY),
            )
            .labelled_by(label.id);
        crate::ui::shown::area(ui, "prompt.path", field.rect);
        if p.focus {
            field.request_focus();
            p.focus = false;
        }
        // Enter confirms: in the field, or anywhere in this modal box
        let entered = ui.input(|i| i.key_pressed(Key::Enter));
        let has_path = !path.trim().is_empty();
        ui.horizontal(|ui| {
            if ui
                .add_enabled(has_path, egui::Button::new(t(lang, action.title())))
                .clicked()
                || (entered && has_path)
            {
                chosen = Some((action, PathBuf::from(path.trim())));
            }
            if ui.button(t(lang, S::Cancel)).clicked() {
                cancel = true;
            }
        });
        if action == FileAction::Open {
            ui.weak(t(lang, S::DropHint));
        }
    });
    if chosen.is_some() || cancel || modal.should_close() {
        *prompt = None;
    }
    chosen
}
