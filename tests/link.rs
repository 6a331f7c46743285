//! Runs on a shaped link (`--link`, issue 19): real network namespaces, real `tc`, real kernel
//! TCP. What the setup forces is asserted (segments no larger than the MSS, drops on a short
//! queue, frames intact all the same), never one run's counts.
//!
//! A test that cannot run on this machine (no namespaces allowed, no `tc`) prints
//! "skipped: why" and passes (in CI only for a kernel reason: tests/support/skip.rs); CI runs as
//! root, where they all run, and so does
//! `link_runs_as_an_unprivileged_user`, which proves the no-root claim with `setpriv`.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

#[path = "support/link_checks.rs"]
mod link_checks;
#[path = "support/skip.rs"]
mod skip;
use link_checks::{assert_every_frame_intact, snd_mss};
use stickyviz::analysis::Model;
use stickyviz::config::{Experiment, Link};
use stickyviz::engine::Run;
use stickyviz::facts::{EngineError, Event};
use stickyviz::presets;

const BIN: &str = env!("CARGO_BIN_EXE_stickyviz");

/// One test at a time: the Stop test counts this process's children and descriptors, which a
/// test running beside it would change.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn stickyviz(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs `exp` through the library (the child is the real binary); `None` = skipped, said why.
fn run(name: &str, exp: &Experiment) -> Option<(Vec<Event>, Model)> {
    stickyviz::engine::link::set_child_binary(BIN);
    match Run::start(exp, None) {
        Ok(run) => {
            let events = run.wait();
            let model = Model::from_events(&events);
            Some((events, model))
        }
        Err(EngineError::Link(why)) => {
            skip::skip_link(name, &why);
            None
        }
        Err(e) => panic!("{name} starts: {e}"),
    }
}

fn preset(name: &str) -> Experiment {
    presets::find(name)
        .unwrap_or_else(|| panic!("preset {name}"))
        .experiment
}

#[test]
fn mss_flag_caps_the_segments_on_a_link() {
    let _serial = one_at_a_time();
    // a jumbo MTU would allow 8948-byte segments: TCP_MAXSEG 1000 must cap them
    let mut exp = preset("real-mss");
    exp.link = Some(Link {
        mtu_bytes: 9000,
        ..exp.link.unwrap_or_default()
    });
    exp.mss = Some(1000);
    let Some((_, model)) = run("--mss 1000", &exp) else {
        return;
    };
    let mss = snd_mss(&model);
    assert!(mss <= 1000, "TCP_MAXSEG set on both ends: snd_mss {mss}");
    let largest = model.segments().iter().map(|s| s.len).max().expect("segments captured");
    assert!(
        u64::from(largest) <= mss,
        "largest segment {largest} over the MSS {mss}"
    );
    assert_every_frame_intact("--mss 1000", &model, u64::from(exp.workload.count));
}

#[test]
fn mss_flag_on_plain_loopback_is_what_the_kernel_reports() {
    let _serial = one_at_a_time();
    let out = stickyviz(&["run", "--size", "10000", "--count", "2", "--mss", "1000", "--json", "-"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let rec: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a recording");
    let mss = rec["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["kind"] == "sock-opt" && e["opt"] == "mss")
        .expect("the MSS recorded")
        .clone();
    assert_eq!(mss["requested"], 1000);
    assert!(mss["actual"].as_u64().is_some_and(|n| n <= 1000), "{mss}");
    let out = stickyviz(&["run", "--mss", "50"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--mss: ") && text(&out.stderr).contains("88 to 32,767"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_bad_link_is_refused_naming_the_field_and_range() {
    let _serial = one_at_a_time();
    for (spec, says) in [
        ("mtu=100", "mtu: 100 is out of range; allowed 576 to 65,536"),
        ("rate=fast", "rate: 'fast' is not a value"),
        ("speed=1", "no link field 'speed'; allowed none, or fields mtu="),
    ] {
        let out = stickyviz(&["run", "--link", spec]);
        assert_eq!(out.status.code(), Some(2), "{spec}");
        let err = text(&out.stderr);
        assert!(err.contains("--link: ") && err.contains(says), "{spec}: {err}");
    }
}

/// `user.max_user_namespaces` and `user.max_net_namespaces` are per user namespace: set to 0
/// inside one (`unshare -U -r`), they make the kernel refuse the link's namespace for real.
#[test]
fn namespace_refused_says_why_and_how_and_exits_2_and_loopback_still_runs() {
    let _serial = one_at_a_time();
    let script = format!(
        "echo 0 > /proc/sys/user/max_user_namespaces && echo 0 > /proc/sys/user/max_net_namespaces || exit 99; \
         '{BIN}' run --preset real-mss; echo \"link exit $?\" >&2; '{BIN}' run --preset slow-reader --count 3 >/dev/null; echo \"loopback exit $?\" >&2"
    );
    let out = Command::new("unshare")
        .args(["-U", "-r", "sh", "-c", &script])
        .env("LC_ALL", "C.UTF-8")
        .output();
    let out = match out {
        Ok(o) if o.status.code() != Some(99) && !text(&o.stderr).contains("unshare failed") => o,
        Ok(o) => {
            return skip::skip(
                skip::Missing::Kernel(skip::Kernel::Namespaces),
                format!(
                    "cannot make a user namespace to block namespaces in: {}",
                    text(&o.stderr)
                ),
            )
        }
        Err(e) => return skip::skip(skip::Missing::Tool("unshare (util-linux)"), e),
    };
    let err = text(&out.stderr);
    assert!(err.contains("link exit 2"), "{err}");
    assert!(err.contains("--link: the kernel refused a network namespace"), "{err}");
    assert!(
        err.contains("sysctl -w user.max_user_namespaces="),
        "says how to allow it: {err}"
    );
    assert!(err.contains("loopback exit 0"), "plain loopback still runs: {err}");
}

#[test]
fn delay_needs_netem_and_says_which_module_when_the_kernel_lacks_it() {
    let _serial = one_at_a_time();
    let out = stickyviz(&[
        "run",
        "--preset",
        "real-mss",
        "--link",
        "mtu=1500,rate=100mbit,queue=256kb,delay=5ms",
    ]);
    let err = text(&out.stderr);
    if out.status.success() {
        return skip::skip(
            skip::Missing::Kernel(skip::Kernel::NetemPresent),
            "this kernel has sch_netem: the delayed run went through",
        );
    }
    if err.contains("refused a network namespace") {
        return skip::skip(skip::Missing::Kernel(skip::Kernel::Namespaces), err);
    }
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("sch_netem"), "names the missing module: {err}");
    // and the rest of the link works without it
    let out = stickyviz(&[
        "run",
        "--preset",
        "real-mss",
        "--link",
        "mtu=1500,rate=100mbit,queue=256kb",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// The no-root claim: as `nobody`, the link runs and its wire lane fills (AF_PACKET in the
/// user namespace). Needs root to become `nobody` (CI); run unprivileged already, it runs as
/// is.
#[test]
fn link_runs_as_an_unprivileged_user() {
    let _serial = one_at_a_time();
    let dir = tempfile::tempdir().expect("temp dir");
    let json = dir.path().join("lossy.json");
    let root = effective_uid() == Some(0);
    make_writable_by_anyone(dir.path());
    let mut command = if root {
        if !Path::new("/usr/bin/setpriv").exists() && !Path::new("/bin/setpriv").exists() {
            return skip::skip(
                skip::Missing::Tool("setpriv (util-linux)"),
                "no setpriv(1) to become nobody",
            );
        }
        // a checkout under /root is closed to nobody: run a copy of the binary from the
        // temporary folder (the link child is started from the same copy)
        let copy = dir.path().join("stickyviz");
        std::fs::copy(BIN, &copy).expect("copy the binary");
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).expect("chmod the copy");
        }
        let mut c = Command::new("setpriv");
        c.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
            .arg(&copy);
        c
    } else {
        Command::new(BIN)
    };
    let out = command
        .args(["run", "--preset", "lossy-link", "--json"])
        .arg(&json)
        .env("LC_ALL", "C.UTF-8")
        .output()
        .expect("runs");
    let err = text(&out.stderr);
    if err.contains("Permission denied") && err.contains("stickyviz") {
        return skip::skip(
            skip::Missing::Privilege,
            format!("nobody cannot execute the binary: {err}"),
        );
    }
    if out.status.code() == Some(2) && err.contains("refused a network namespace") {
        return skip::skip(
            skip::Missing::Kernel(skip::Kernel::Namespaces),
            format!("this kernel refuses unprivileged namespaces: {err}"),
        );
    }
    assert!(out.status.success(), "{err}\n{}", text(&out.stdout));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("retransmitted (TCP_INFO)"),
        "the summary says the link lost segments: {stdout}"
    );
    let rec = stickyviz::recording::Recording::load(&json).expect("the recording");
    let segments = rec.events.iter().filter(|e| matches!(e, Event::Segment { .. })).count();
    assert!(segments > 0, "the wire lane fills without root");
    assert!(!rec
        .events
        .iter()
        .any(|e| matches!(e, Event::SegmentsUnavailable { .. })));
}

/// Stop in the middle of a link run: the child is stopped through its stdin and reaped, its
/// last events kept, and no process or descriptor is left behind.
#[test]
fn stop_mid_run_reaps_the_child_and_keeps_its_events() {
    let _serial = one_at_a_time();
    stickyviz::engine::link::set_child_binary(BIN);
    let fds_before = open_fds();
    let mut exp = preset("lossy-link");
    exp.workload.count = 100_000;
    let mut run = match Run::start(&exp, None) {
        Ok(run) => run,
        Err(EngineError::Link(why)) => return skip::skip_link("lossy-link", &why),
        Err(e) => panic!("{e}"),
    };
    std::thread::sleep(Duration::from_millis(400));
    let started = std::time::Instant::now();
    run.stop();
    // only a hang guard: that the child is reaped and its events kept is what is asserted
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "Stop hung for {:?}",
        started.elapsed()
    );
    let events: Vec<Event> = run.drain().flatten().collect();
    assert!(
        events.iter().any(|e| matches!(e, Event::Write { .. })),
        "the child's writes came back"
    );
    assert!(
        events.iter().any(|e| matches!(e, Event::Ended { .. })),
        "the child's sides ended and said so"
    );
    assert!(
        matches!(events.last(), Some(Event::Finished { .. })),
        "the parent's Finished comes last"
    );
    drop(run);
    let link_children: Vec<String> = children()
        .into_iter()
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains("__link-child"))
        })
        .collect();
    assert!(link_children.is_empty(), "no child left: {link_children:?}");
    assert_eq!(open_fds(), fds_before, "no descriptor left");
}

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map(|d| d.count()).unwrap_or(0)
}

/// The pids of this process's children (every thread's).
fn children() -> Vec<String> {
    let mut all = Vec::new();
    for task in std::fs::read_dir("/proc/self/task").into_iter().flatten().flatten() {
        if let Ok(list) = std::fs::read_to_string(task.path().join("children")) {
            all.extend(list.split_whitespace().map(str::to_owned));
        }
    }
    all
}

/// The effective uid, from `/proc/self/status` (`Uid: real effective saved fs`).
fn effective_uid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn make_writable_by_anyone(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _best_effort = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777));
}
