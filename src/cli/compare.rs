//! `stickyviz compare A.json B.json [--out x.svg]`: what changed between two runs (settings and
//! counts) on the terminal, and both runs drawn on one byte scale.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::analysis::compare::changes;
use crate::analysis::Model;
use crate::describe::questions::changes as change_lines;
use crate::export::options::{RenderLang, RenderOptions};
use crate::facts::{FileFailure, FileOp};
use crate::i18n::{tf, Lang, S};

use super::args::UsageError;
use super::output::out;
use super::questions::load;

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// The first recording (A).
    pub a: PathBuf,
    /// The second recording (B).
    pub b: PathBuf,
    /// Also draw both runs, aligned, into FILE.svg.
    #[arg(long, value_name = "FILE.svg")]
    pub out: Option<PathBuf>,
}

fn name(p: &std::path::Path) -> String {
    p.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

pub fn compare(args: &CompareArgs, lang: Lang) -> Result<()> {
    if let Some(path) = &args.out {
        if !path.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg")) {
            return Err(UsageError(format!(
                "--out: {}",
                tf(lang, S::CmpBadOut, &[("path", &path.display())])
            ))
            .into());
        }
    }
    let (ra, rb) = (load(&args.a, lang)?, load(&args.b, lang)?);
    let (ma, mb) = (Model::from_events(&ra.events), Model::from_events(&rb.events));
    let c = changes((&ra.settings, &ma), (&rb.settings, &mb));
    let mut text = format!(
        "{}\n{}\n",
        tf(lang, S::CmpRunA, &[("name", &name(&args.a))]),
        tf(lang, S::CmpRunB, &[("name", &name(&args.b))])
    );
    for line in change_lines(&c, lang) {
        text.push_str(&line);
        text.push('\n');
    }
    out(&text)?;
    if let Some(path) = &args.out {
        let opts = RenderOptions {
            lang: match lang {
                Lang::En => RenderLang::En,
                Lang::Zh => RenderLang::Zh,
            },
            ..RenderOptions::default()
        };
        let svg = crate::export::compare::render((&name(&args.a), &ma), (&name(&args.b), &mb), &c, &opts);
        std::fs::write(path, svg).map_err(|e| anyhow::Error::from(FileFailure::new(FileOp::Write, path, &e)))?;
    }
    Ok(())
}
