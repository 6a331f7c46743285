//! `stickyviz trace` in this process (the library, as the window would drive it): every traced
//! process reaped, every thread joined, every pipe closed. Alone in its binary, so no other test's
//! children, threads or fds are counted.

#![cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))]

use stickyviz::engine::trace::{StopCause, TraceFact};
use stickyviz::facts::Event;

const BIN: &str = env!("CARGO_BIN_EXE_stickyviz");

/// Processes whose command line starts with `marker` (the program itself: not stickyviz, whose
/// command line names it too).
fn alive(marker: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        if let Ok(cmd) = std::fs::read(entry.path().join("cmdline")) {
            let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
            if cmd.starts_with(marker) {
                found.push(cmd);
            }
        }
    }
    found
}

/// The run's threads and fds, and any child left (a zombie counts: it was never reaped).
fn own_fds_threads_children() -> (usize, usize, String) {
    let count = |p: &str| std::fs::read_dir(p).map_or(0, |d| d.count());
    let children: String = std::fs::read_dir("/proc/self/task")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("children")).ok())
        .collect();
    (
        count("/proc/self/fd"),
        count("/proc/self/task"),
        children.trim().to_string(),
    )
}

#[test]
fn tracing_leaves_no_fd_thread_or_process_behind() {
    use stickyviz::engine::trace::{start, TraceSpec};
    let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let (fds_before, threads_before, _) = own_fds_threads_children();
    for _ in 0..3 {
        // one program, the terminal's fds passed through
        let one = TraceSpec {
            program: words(&["sh", "-c", "echo traced >/dev/null"]),
            helper: Some(BIN.into()),
            bind_wait: std::time::Duration::from_secs(10),
            ..TraceSpec::default()
        };
        let events = start(&one, None).expect("start").wait();
        assert!(events.iter().any(|e| matches!(
            e,
            Event::Trace {
                fact: TraceFact::Ended { .. }
            }
        )));
        // a server that never binds: stopped by the watchdog, its output pipes closed
        let pair = TraceSpec {
            server: Some(words(&["sleep", "29.37"])),
            clients: vec![words(&["true"])],
            helper: Some(BIN.into()),
            bind_wait: std::time::Duration::from_millis(300),
            ..TraceSpec::default()
        };
        let events = start(&pair, None).expect("start").wait();
        assert!(events.iter().any(|e| matches!(
            e,
            Event::Trace {
                fact: TraceFact::Ended {
                    stopped: Some(StopCause::ServerNeverBound),
                    ..
                }
            }
        )));
    }
    let (fds, threads, children) = own_fds_threads_children();
    assert_eq!(children, "", "every traced process reaped");
    assert!(alive("sleep 29.37").is_empty());
    // a joined thread's /proc entry may linger a moment
    let settle = std::time::Instant::now() + std::time::Duration::from_secs(2);
    let (mut fds, mut threads) = (fds, threads);
    while (fds > fds_before || threads > threads_before) && std::time::Instant::now() < settle {
        std::thread::sleep(std::time::Duration::from_millis(20));
        (fds, threads, _) = own_fds_threads_children();
    }
    assert!(fds <= fds_before, "fds {fds_before} -> {fds}");
    assert!(threads <= threads_before, "threads {threads_before} -> {threads}");
}
