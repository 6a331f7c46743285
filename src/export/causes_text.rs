//! The causes section of the CLI's report: what the run showed and why, one line each.

use crate::analysis::Model;
use crate::i18n::Lang;

/// Causes listed in the text report at most; the rest are counted (the recording lists more).
pub const MAX_LINES: usize = 40;

/// The causes of `model`'s run as text, a blank line before it.
pub fn render(model: &Model, lang: Lang) -> String {
    let causes = model.causes();
    let mut out = String::from("\n");
    for line in crate::describe::causes::section(&causes, model, lang, MAX_LINES) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}
