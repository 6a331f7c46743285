//! A subcommand's error in the user's language: the typed failures below the CLI, worded by
//! `describe`, never an English `.context("cannot …")`.

use crate::i18n::Lang;

/// An error of a subcommand in `lang`: each typed failure in the chain (a run that could not
/// start, a file, a recording, a pcapng) worded by `describe`, the OS's message quoted once;
/// the CLI's own contexts are table words already. Chained as `context: cause`.
pub fn error_text(e: &anyhow::Error, lang: Lang) -> String {
    use crate::facts::{EngineError, FileFailure, FileOp, FileTarget, PcapngError};
    use crate::recording::RecordingError;
    let words = |c: &(dyn std::error::Error + 'static)| {
        if let Some(e) = c.downcast_ref::<EngineError>() {
            crate::describe::engine_error(e, lang)
        } else if let Some(e) = c.downcast_ref::<crate::facts::ListenError>() {
            crate::describe::listen_error(e, lang)
        } else if let Some(e) = c.downcast_ref::<RecordingError>() {
            crate::describe::recording_error(e, lang)
        } else if let Some(e) = c.downcast_ref::<FileFailure>() {
            crate::describe::file_failure(e, lang)
        } else if let Some(e) = c.downcast_ref::<PcapngError>() {
            crate::describe::pcapng_error(e, lang)
        } else if let Some(e) = c.downcast_ref::<std::io::Error>() {
            // the CLI's only bare I/O is printing its report
            crate::describe::file_failure(&FileFailure::std(FileOp::Write, FileTarget::Stdout, e), lang)
        } else {
            c.to_string()
        }
    };
    let mut parts: Vec<String> = Vec::new();
    for (i, c) in e.chain().enumerate() {
        match c.downcast_ref::<std::io::Error>() {
            // below a context of ours, a bare OS error is only quoted
            Some(io) if i > 0 => parts.push(crate::describe::os_error(&io.into(), lang)),
            _ => parts.push(words(c)),
        }
        // a typed failure holds its causes already: its words are the whole story
        if parts.last().is_none_or(|p| *p != c.to_string()) {
            break;
        }
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{FileFailure, FileOp};

    fn enoent() -> std::io::Error {
        std::io::Error::from_raw_os_error(2)
    }

    #[test]
    fn a_file_failure_is_worded_with_the_os_words_once() {
        let e = anyhow::Error::new(FileFailure::new(FileOp::Create, "/x/y.json".as_ref(), &enoent()));
        let zh = error_text(&e, Lang::Zh);
        assert_eq!(zh, "无法创建 /x/y.json：“No such file or directory”（错误码 2）");
        let en = error_text(&e, Lang::En);
        assert_eq!(en, "cannot create /x/y.json: “No such file or directory” (os error 2)");
    }

    #[test]
    fn a_context_of_ours_over_an_os_error_quotes_it_once() {
        let e = anyhow::Error::new(enoent()).context("无法捕获 Ctrl-C 和 SIGTERM");
        let zh = error_text(&e, Lang::Zh);
        assert_eq!(
            zh,
            "无法捕获 Ctrl-C 和 SIGTERM: “No such file or directory”（错误码 2）"
        );
    }
}
