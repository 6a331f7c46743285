//! Where a command's words and recording go: standard output (a reader that went away is not
//! an error) and `--json FILE` or `-`.

use std::io::Write;

use anyhow::Result;

use crate::i18n::{tf, Lang, S};
use crate::recording::stream::Output;
use crate::session::Session;

/// Writes `text` to standard output. A reader that went away (`stickyviz presets | head`) is
/// not an error: what is left to print is dropped, and the session still finishes (its
/// recording written, its exit status what it would have been). Any other write error (a full
/// disk behind a redirect) is returned.
pub fn out(text: &str) -> std::io::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Where `--json FILE|-` streams the recording: the file is created before the run, so a path
/// that cannot be written is said at once. Returns the output and its name for messages.
pub(crate) fn json_output(json: Option<&str>) -> Result<Option<(Output, String)>> {
    Ok(match json {
        None => None,
        Some("-") => Some((
            Output::Other(Box::new(std::io::BufWriter::new(std::io::stdout()))),
            "-".to_string(),
        )),
        Some(path) => Some((Output::create(std::path::Path::new(path))?, path.to_string())),
    })
}

/// Prints a session's report and says where its recording went: with `--json -` the report
/// goes to stderr and the recording (finished when the run stopped) holds stdout.
pub(crate) fn report_and_recording(text: &str, session: &Session, json: Option<&str>, lang: Lang) -> Result<()> {
    let error = session.record().streamed().and_then(|s| s.error());
    match json {
        Some("-") => {
            eprint!("{text}");
            if let Some(e) = error {
                return Err(crate::facts::FileFailure::std(
                    crate::facts::FileOp::Write,
                    crate::facts::FileTarget::Stdout,
                    e,
                )
                .into());
            }
            let mut out = std::io::stdout().lock();
            out.write_all(b"\n")?;
            out.flush()?;
        }
        Some(path) => {
            let printed = out(text);
            if let Some(e) = error {
                return Err(crate::facts::FileFailure::new(crate::facts::FileOp::Write, path.as_ref(), e).into());
            }
            printed?;
            out(&format!("{}\n", tf(lang, S::CliRecordingWritten, &[("path", &path)])))?;
        }
        None => out(text)?,
    }
    Ok(())
}
