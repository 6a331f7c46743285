//! Request/response flags of `stickyviz run` (`echo`, `big-reply`, `many-clients`, `hmac-*`).
//! Any of them turns a run into a request/response run; each names its flag when refused.

use clap::Args;

use crate::cli::args::UsageError;
use crate::config::Experiment;
use crate::config::{EchoOptions, Setting};

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
        for (setting, value) in [
            (Setting::ClientReads, &self.client_reads),
            (Setting::ClientReadSize, &self.client_read_size),
            (Setting::ReplySize, &self.reply_size),
            (Setting::Connections, &self.connections),
        ] {
            if let Some(v) = value {
                setting.set(exp, v).map_err(|e| UsageError::setting(e, lang))?;
            }
        }
        exp.echo.get_or_insert_with(EchoOptions::default);
        Ok(())
    }
}
