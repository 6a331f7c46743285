//! Why a test cannot run on this machine, and whether that is allowed.
//!
//! A test that lacks something prints `skipped: …` and passes, so that `cargo test` works on a
//! student's laptop. In CI (`CI=true`, set by `.ci/run`) a skip must not hide a test that could
//! have run: `scripts/test.sh` installs every tool and CI runs as root, so a skip for a missing
//! tool or privilege **fails** the test there. Only the reasons of [`Kernel`] stay allowed: they
//! are features of the running kernel that no package can add. That enum is the one list of them.

// each test file that includes this uses only part of it
#![allow(dead_code)]

use std::fmt::Display;

use stickyviz::facts::LinkFailure;

/// What a test found missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// A program `scripts/test.sh` installs (apt): never allowed in CI.
    Tool(&'static str),
    /// Root, `CAP_NET_RAW` (the segment capture) or another privilege CI has: never allowed in CI.
    Privilege,
    /// A feature of this kernel that no package can add: allowed everywhere.
    Kernel(Kernel),
    /// The test is run by another step of `scripts/test.sh` (the Wine lessons by
    /// `scripts/wine.sh`, which sets `WINE`): allowed here, since that step runs it for real.
    RunByScript(&'static str),
}

/// The kernel features a test may lack, even in CI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kernel {
    /// Unprivileged user and network namespaces (a sysctl, AppArmor or a container's limit).
    Namespaces,
    /// The `sch_netem` qdisc module (delay and loss on a link); Debian ships it in
    /// `linux-modules-extra`, which a container cannot load.
    Netem,
    /// The opposite: the test checks the refusal without `sch_netem`, and this kernel has it.
    NetemPresent,
    /// IPv6 is switched off (`net.ipv6.conf.lo.disable_ipv6`, `ipv6.disable=1`): no `::1`.
    Ipv6Off,
}

/// Whether this run is CI's: `CI=true` (or `1`), as GitHub Actions and `.ci/run` set it.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Whether `missing` may skip a test in this run.
pub fn allowed(missing: Missing, ci: bool) -> bool {
    !ci || matches!(missing, Missing::Kernel(_) | Missing::RunByScript(_))
}

/// Says why the test does not run and lets it pass, or fails it when CI may not skip for this.
/// The caller returns right after.
pub fn skip(missing: Missing, detail: impl Display) {
    if !allowed(missing, in_ci()) {
        panic!("CI=true and a test would be skipped for {missing:?}: {detail} (scripts/test.sh must provide it)");
    }
    println!("skipped ({missing:?}): {detail}");
}

/// What a refused link means for a test: the kernel's own refusals are [`Kernel`] reasons; a
/// missing `ip`/`tc` is a tool. `None` for a link that failed while it should have worked (a
/// `tc` or child failure): that is a test failure, not a skip.
pub fn link_refusal(failure: &LinkFailure) -> Option<Missing> {
    match failure {
        LinkFailure::NamespaceRefused { .. } => Some(Missing::Kernel(Kernel::Namespaces)),
        LinkFailure::NetemMissing => Some(Missing::Kernel(Kernel::Netem)),
        LinkFailure::ToolMissing { .. } => Some(Missing::Tool("iproute2 (ip, tc)")),
        LinkFailure::NeedsLinux => Some(Missing::Kernel(Kernel::Namespaces)),
        LinkFailure::ToolFailed { .. } | LinkFailure::ChildFailed { .. } => None,
    }
}

/// Skips for a refused link (see [`link_refusal`]), or fails the test for a link that broke.
pub fn skip_link(name: &str, failure: &LinkFailure) {
    let words = stickyviz::describe::link_failure(failure, stickyviz::i18n::Lang::En);
    match link_refusal(failure) {
        Some(missing) => skip(missing, format!("{name}: a link cannot run here: {words}")),
        None => panic!("{name}: the link failed: {words}"),
    }
}

/// Whether `program` runs (`program --version`).
pub fn have(program: &str) -> bool {
    std::process::Command::new(program)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn ci_refuses_a_skip_for_a_tool_or_a_privilege_and_allows_the_kernels() {
    assert!(!allowed(Missing::Tool("tshark"), true));
    assert!(!allowed(Missing::Privilege, true));
    assert!(allowed(Missing::Kernel(Kernel::Netem), true));
    assert!(allowed(Missing::RunByScript("scripts/wine.sh"), true));
    assert!(allowed(Missing::Tool("tshark"), false));
}
