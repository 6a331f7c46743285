//! Predict → reveal questions written for a course: Markdown (slides and notes), GIFT and
//! Moodle XML (both import into Moodle's question bank).
//!
//! Each question carries its answer from the run (`analysis::questions`); the words come from
//! `describe::questions`. Pictures are the run's lanes as SVG: "before" shows the sender's writes
//! only (nothing that gives the answer away), "after" the whole run. Markdown links them as
//! files; Moodle XML embeds them (base64, `@@PLUGINFILE@@`); GIFT has no pictures.

use std::fmt::Write as _;

use base64::Engine as _;

use crate::analysis::questions::Question;
use crate::analysis::Model;
use crate::describe::questions::{answer, choices, prompt};
use crate::export::options::{RenderLang, RenderOptions};
use crate::export::svg::render_lanes;
use crate::i18n::{t, tf, Lang, S};

/// The two pictures of a run's questions, as SVG text.
pub struct Pictures {
    pub before: String,
    pub after: String,
}

/// The veiled and the whole picture of `model`, in `lang`.
pub fn pictures(model: &Model, lang: Lang) -> Pictures {
    let opts = RenderOptions {
        lang: match lang {
            Lang::En => RenderLang::En,
            Lang::Zh => RenderLang::Zh,
        },
        ..RenderOptions::default()
    };
    let total = model.stream_len();
    Pictures {
        before: render_lanes(model, &opts, total, true),
        after: render_lanes(model, &opts, total, false),
    }
}

/// Markdown: each question, its choices as a list, and the answer folded in a `<details>`.
/// `pictures`: the file names of the before and after SVGs, linked once at the top and in the
/// first answer.
pub fn markdown(qs: &[Question], title: &str, pictures: Option<(&str, &str)>, lang: Lang) -> String {
    let mut out = format!("# {title}\n\n");
    if let Some((before, _)) = pictures {
        let _ = writeln!(out, "![{}]({before})\n", t(lang, S::QPictureBefore));
    }
    for (i, q) in qs.iter().enumerate() {
        let _ = writeln!(out, "## {}\n", tf(lang, S::QQuestion, &[("n", &(i + 1))]));
        let _ = writeln!(out, "{}\n", prompt(q, lang));
        for (choice, _) in choices(q, lang) {
            let _ = writeln!(out, "- [ ] {choice}");
        }
        let _ = writeln!(out, "\n<details><summary>{}</summary>\n", t(lang, S::QAnswer));
        let _ = writeln!(out, "{}\n", answer(q, lang));
        if let (0, Some((_, after))) = (i, pictures) {
            let _ = writeln!(out, "![{}]({after})\n", t(lang, S::QPictureAfter));
        }
        let _ = writeln!(out, "</details>\n");
    }
    out
}

/// GIFT's special characters escaped with a backslash (Moodle's GIFT format).
pub fn gift_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '~' | '=' | '#' | '{' | '}' | ':' | '\\') {
            out.push('\\');
        }
        if c == '\n' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// A right choice's weight in a multiple-answer question: 100 split over the `right` ones,
/// written as Moodle lists its grades (5 decimals).
fn share(right: usize) -> String {
    let w = 100.0 / right.max(1) as f64;
    let text = format!("{w:.5}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// GIFT: numeric questions as `{#N}`, choices as weighted answers (every right choice a share
/// of 100 %, every wrong one −100 %), the answer sentence as general feedback (`####`).
pub fn gift(qs: &[Question], title: &str, lang: Lang) -> String {
    let mut out = format!("// {}\n\n", title.replace('\n', " "));
    for (i, q) in qs.iter().enumerate() {
        let name = gift_escape(&tf(lang, S::QQuestion, &[("n", &(i + 1))]));
        let text = gift_escape(&prompt(q, lang));
        let body = match q.numeric_answer() {
            Some(n) => format!("#{n}"),
            None => {
                let cs = choices(q, lang);
                let right = cs.iter().filter(|(_, ok)| *ok).count();
                cs.iter()
                    .map(|(c, ok)| {
                        let weight = if *ok { share(right) } else { "-100".to_string() };
                        format!("~%{weight}%{}", gift_escape(c))
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            }
        };
        let feedback = gift_escape(&answer(q, lang));
        let _ = writeln!(out, "::{name}::{text} {{{body} ####{feedback}}}\n");
    }
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An HTML text block of Moodle XML, with the picture `name` embedded when given.
fn moodle_text(tag: &str, html: &str, picture: Option<(&str, &str)>) -> String {
    let mut out = format!("    <{tag} format=\"html\">\n      <text><![CDATA[{html}");
    if let Some((name, _)) = picture {
        let _ = write!(out, "<p><img src=\"@@PLUGINFILE@@/{name}\" alt=\"\"></p>");
    }
    out.push_str("]]></text>\n");
    if let Some((name, svg)) = picture {
        let data = base64::engine::general_purpose::STANDARD.encode(svg.as_bytes());
        let _ = writeln!(
            out,
            "      <file name=\"{name}\" path=\"/\" encoding=\"base64\">{data}</file>"
        );
    }
    let _ = writeln!(out, "    </{tag}>");
    out
}

/// Moodle XML: `numerical` and `multichoice` questions in a `stickyviz` category, each with the
/// before picture in its text and the after picture in its general feedback.
pub fn moodle_xml(qs: &[Question], title: &str, pictures: &Pictures, lang: Lang) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n");
    let _ = writeln!(
        out,
        "  <question type=\"category\">\n    <category><text>$course$/stickyviz/{}</text></category>\n  </question>",
        xml_escape(title)
    );
    for (i, q) in qs.iter().enumerate() {
        let name = xml_escape(&tf(lang, S::QQuestion, &[("n", &(i + 1))]));
        let kind = if q.numeric_answer().is_some() {
            "numerical"
        } else {
            "multichoice"
        };
        let _ = writeln!(out, "  <question type=\"{kind}\">");
        let _ = writeln!(out, "    <name><text>{name}</text></name>");
        let html = format!("<p>{}</p>", xml_escape(&prompt(q, lang)));
        out.push_str(&moodle_text(
            "questiontext",
            &html,
            Some(("before.svg", pictures.before.as_str())),
        ));
        let feedback = format!("<p>{}</p>", xml_escape(&answer(q, lang)));
        out.push_str(&moodle_text(
            "generalfeedback",
            &feedback,
            Some(("after.svg", pictures.after.as_str())),
        ));
        match q.numeric_answer() {
            Some(n) => {
                let _ = writeln!(
                    out,
                    "    <answer fraction=\"100\"><text>{n}</text><tolerance>0</tolerance></answer>"
                );
            }
            None => {
                let cs = choices(q, lang);
                let right = cs.iter().filter(|(_, ok)| *ok).count();
                // one right answer of two (about 0 ms or about 40 ms) is a radio button
                let single = right == 1 && cs.len() == 2;
                let _ = writeln!(out, "    <single>{single}</single>");
                out.push_str("    <shuffleanswers>0</shuffleanswers>\n    <answernumbering>none</answernumbering>\n");
                for (c, ok) in &cs {
                    let fraction = match (*ok, single) {
                        (true, _) => share(right),
                        (false, true) => "0".to_string(),
                        (false, false) => "-100".to_string(),
                    };
                    let _ = writeln!(
                        out,
                        "    <answer fraction=\"{fraction}\" format=\"html\"><text>{}</text></answer>",
                        xml_escape(c)
                    );
                }
            }
        }
        out.push_str("  </question>\n");
    }
    out.push_str("</quiz>\n");
    out
}
