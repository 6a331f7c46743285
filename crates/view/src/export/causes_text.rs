//! The causes section of the CLI's report: what the run showed and why, one line each.

use crate::analysis::Model;
use crate::i18n::Lang;

/// Causes of one kind listed in the text report at most; the rest are counted (the recording
/// lists them all).
pub const PER_KIND: usize = 3;

/// The causes of `model`'s run as text, a blank line before it.
pub fn render(model: &Model, lang: Lang) -> String {
    let causes = model.causes();
    let mut out = String::from("\n");
    for line in crate::describe::causes::section(&causes, model, lang, PER_KIND) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}
