//! `stickyviz send --tcp HOST:PORT --framing MODE --torture`: "test your server".
//!
//! Runs every [`Scenario`](crate::facts::torture::Scenario) against the server and prints one
//! report per scenario as it ends, then the count. Exit status: 0 when every scenario passed
//! (or did not apply to the framing), 1 when one failed (the error line names the failed ones),
//! 2 on bad flags, 130/143 when stopped by a signal (the scenarios run so far are reported).

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Result;

use crate::cli::args::UsageError;
use crate::config::Experiment;
use crate::describe::torture::{report_line, scenario_name};
use crate::engine::torture::{self, TortureOptions};
use crate::facts::torture::ScenarioReport;
use crate::framing::FramingMode;
use crate::i18n::{t, tf, Lang, S};

/// Runs the scenarios with `exp`'s framing, length prefix and max frame length.
pub fn torture(target: SocketAddr, exp: &Experiment, lang: Lang) -> Result<()> {
    if exp.framing == FramingMode::None {
        return Err(UsageError(t(lang, S::TortureNeedsFraming).into()).into());
    }
    let opts = TortureOptions {
        target,
        framing: exp.framing,
        length_prefix: exp.length_prefix,
        max_frame_len: exp.max_frame_len,
    };
    crate::cli::output::out(&format!(
        "{}\n",
        tf(
            lang,
            S::TortureHeader,
            &[
                ("addr", &target),
                ("framing", &crate::describe::framing_name(exp.framing, lang))
            ]
        )
    ))?;
    // a failed print (not a closed pipe: that is dropped) is returned once the run has stopped
    let mut print_error = None;
    let mut print = |line: String| {
        if let Err(e) = crate::cli::output::out(&(line + "\n")) {
            print_error.get_or_insert(e);
        }
    };
    let mut run = torture::start_torture(opts, None)?;
    let mut reports: Vec<ScenarioReport> = Vec::new();
    let stopped_by = loop {
        if let Some(i) = crate::cli::stop::interrupted() {
            break Some(i);
        }
        match run.reports().recv_timeout(Duration::from_millis(50)) {
            Ok(r) => {
                print(report_line(&r, lang));
                reports.push(r);
            }
            Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
            Err(crossbeam_channel::RecvTimeoutError::Disconnected) => break None,
        }
    };
    run.stop();
    // the scenario that was running when the signal came, reported as stopped
    for r in run.reports().try_iter() {
        print(report_line(&r, lang));
        reports.push(r);
    }
    let passed = reports.iter().filter(|r| r.verdict.passed()).count();
    print(tf(
        lang,
        S::TortureSummary,
        &[("passed", &passed), ("total", &reports.len())],
    ));
    if let Some(e) = print_error {
        return Err(e.into());
    }
    if let Some(i) = stopped_by {
        return Err(i.into());
    }
    let failed: Vec<&str> = reports
        .iter()
        .filter(|r| !r.verdict.passed())
        .map(|r| scenario_name(r.scenario, lang))
        .collect();
    if !failed.is_empty() {
        anyhow::bail!(tf(
            lang,
            S::TortureFailedNamed,
            &[("scenarios", &failed.join(t(lang, S::TortureListSep)))]
        ));
    }
    Ok(())
}
