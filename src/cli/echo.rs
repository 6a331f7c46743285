//! Request/response flags of `stickyviz run` (`echo`, `big-reply`, `many-clients`, `hmac-*`).
//! Any of them turns a run into a request/response run; each names its flag when refused.

use clap::Args;

use crate::cli::UsageError;
use crate::config::Experiment;
use crate::config::{ClientReads, EchoOptions, Setting};

/// Each flag's help is its `config::Setting`'s, put on by `help::localize`.
#[derive(Args, Debug, Default)]
pub struct EchoArgs {
    #[arg(long = "client-reads", value_name = "whole|once")]
    pub client_reads: Option<String>,
    #[arg(long = "client-read-size")]
    pub client_read_size: Option<String>,
    #[arg(long = "reply-size")]
    pub reply_size: Option<String>,
    #[arg(long)]
    pub connections: Option<String>,
}

impl EchoArgs {
    /// Applies the flags; validation of the ranges happens with the whole experiment.
    pub fn apply(&self, exp: &mut Experiment, lang: crate::i18n::Lang) -> Result<(), UsageError> {
        let any = self.client_reads.is_some()
            || self.client_read_size.is_some()
            || self.reply_size.is_some()
            || self.connections.is_some();
        if !any {
            return Ok(());
        }
        let echo = exp.echo.get_or_insert_with(EchoOptions::default);
        if let Some(v) = &self.client_reads {
            echo.client_reads = match v.as_str() {
                "whole" => ClientReads::Whole,
                "once" => ClientReads::OncePerRequest,
                _ => {
                    return Err(UsageError(format!(
                        "--{}: {}",
                        Setting::ClientReads.flag(),
                        crate::i18n::tf(lang, crate::i18n::S::CliNotWholeOrOnce, &[("text", &v)])
                    )))
                }
            };
        }
        if let Some(v) = &self.client_read_size {
            echo.client_read_size = crate::cli::setting::<u32>(Setting::ClientReadSize, v, lang)?;
        }
        if let Some(v) = &self.reply_size {
            echo.reply_size = Some(crate::cli::setting::<u32>(Setting::ReplySize, v, lang)?);
        }
        if let Some(v) = &self.connections {
            echo.connections = crate::cli::setting::<u32>(Setting::Connections, v, lang)?;
        }
        Ok(())
    }
}
