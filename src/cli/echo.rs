//! Request/response flags of `stickyviz run` (`echo`, `big-reply`, `many-clients`, `hmac-*`).
//! Any of them turns a run into a request/response run; each names its flag when refused.

use clap::Args;

use crate::cli::UsageError;
use crate::config::Experiment;
use crate::config::{ClientReads, EchoOptions};

#[derive(Args, Debug, Default)]
pub struct EchoArgs {
    /// Request/response: how the client reads each reply: whole (loop until complete) or once
    /// (one recv per request, as the seed's remote-command client).
    #[arg(long = "client-reads", value_name = "whole|once")]
    pub client_reads: Option<String>,
    /// Request/response: the client's recv(N) for replies.
    #[arg(long = "client-read-size")]
    pub client_read_size: Option<String>,
    /// Request/response: reply length in bytes (default: the request upper-cased).
    #[arg(long = "reply-size")]
    pub reply_size: Option<String>,
    /// Request/response: concurrent client connections to the one server (1..=16).
    #[arg(long)]
    pub connections: Option<String>,
}


impl EchoArgs {
    /// Applies the flags; validation of the ranges happens with the whole experiment.
    pub fn apply(&self, exp: &mut Experiment, lang: crate::i18n::Lang) -> Result<(), UsageError> {
        let any = self.client_reads.is_some() || self.client_read_size.is_some() || self.reply_size.is_some() || self.connections.is_some();
        if !any {
            return Ok(());
        }
        let echo = exp.echo.get_or_insert_with(EchoOptions::default);
        if let Some(v) = &self.client_reads {
            echo.client_reads = match v.as_str() {
                "whole" => ClientReads::Whole,
                "once" => ClientReads::OncePerRequest,
                _ => return Err(UsageError(format!("--client-reads: {}", crate::i18n::tf(lang, crate::i18n::S::CliNotWholeOrOnce, &[&v])))),
            };
        }
        if let Some(v) = &self.client_read_size {
            echo.client_read_size = crate::cli::number::<u32>("client-read-size", v, &crate::config::allowed("client-read-size"), lang)?;
        }
        if let Some(v) = &self.reply_size {
            echo.reply_size = Some(crate::cli::number::<u32>("reply-size", v, &crate::config::allowed("reply-size"), lang)?);
        }
        if let Some(v) = &self.connections {
            echo.connections = crate::cli::number::<u32>("connections", v, &crate::config::allowed("connections"), lang)?;
        }
        Ok(())
    }
}
