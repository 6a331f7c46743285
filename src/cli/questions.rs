//! `stickyviz questions RECORDING --format md|gift|moodle-xml`: predict → reveal questions made
//! from a recording's own facts, for slides (Markdown with the before and after pictures) or a
//! course platform (GIFT, Moodle XML with the pictures embedded).

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::{Args, ValueEnum};

use crate::analysis::questions::questions;
use crate::export::questions::{gift, markdown, moodle_xml, pictures};
use crate::facts::{FileFailure, FileOp};
use crate::i18n::{t, Lang, S};
use crate::recording::Recording;

use super::output::out;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum QuestionFormat {
    Md,
    Gift,
    MoodleXml,
}

#[derive(Args, Debug)]
pub struct QuestionsArgs {
    /// The recording to ask about (from `run --json`, or the window's File → Save).
    pub recording: PathBuf,
    /// md (slides and notes), gift or moodle-xml (import into Moodle).
    #[arg(long, value_enum, default_value_t = QuestionFormat::Md)]
    pub format: QuestionFormat,
    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Loads a recording named on the command line, its failure worded as the window words it.
pub(crate) fn load(path: &Path, lang: Lang) -> Result<Recording> {
    Recording::load(path)
        .map_err(|e| anyhow::Error::msg(crate::describe::open_failed(&path.display().to_string(), &e, lang)))
}

fn write_file(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|e| FileFailure::new(FileOp::Write, path, &e).into())
}

pub fn questions_cmd(args: &QuestionsArgs, lang: Lang) -> Result<()> {
    let rec = load(&args.recording, lang)?;
    let model = crate::analysis::Model::from_events(&rec.events);
    let qs = questions(&model);
    if qs.is_empty() {
        // nothing to ask is said, not an empty file: a usage error (exit 2), nothing written
        return Err(super::args::UsageError(t(lang, S::QNone).to_string()).into());
    }
    let title = args
        .recording
        .file_name()
        .map_or_else(|| "stickyviz".to_string(), |n| n.to_string_lossy().into_owned());
    let text = match args.format {
        QuestionFormat::Gift => gift(&qs, &title, lang),
        QuestionFormat::MoodleXml => moodle_xml(&qs, &title, &pictures(&model, lang), lang),
        QuestionFormat::Md => match &args.out {
            // the pictures go next to the Markdown file: NAME-before.svg, NAME-after.svg
            Some(path) => {
                let stem = path
                    .file_stem()
                    .map_or_else(|| "questions".into(), |s| s.to_string_lossy().into_owned());
                let names = (format!("{stem}-before.svg"), format!("{stem}-after.svg"));
                let pics = pictures(&model, lang);
                let dir = path.parent().unwrap_or(Path::new(""));
                write_file(&dir.join(&names.0), &pics.before)?;
                write_file(&dir.join(&names.1), &pics.after)?;
                markdown(&qs, &title, Some((&names.0, &names.1)), lang)
            }
            None => markdown(&qs, &title, None, lang),
        },
    };
    match &args.out {
        Some(path) => write_file(path, &text),
        None => Ok(out(&text)?),
    }
}
