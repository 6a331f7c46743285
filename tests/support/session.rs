//! A long-running `stickyviz` (listen, run, send) driven by a test: its stderr read line by
//! line as it comes, signals sent to it, its exit awaited. The process is killed if the test
//! ends early, so none outlives a failed test.

// each test file that includes this uses only part of it
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_stickyviz");
/// Only a bound for a hung process: nothing here is timed.
const STEP: Duration = Duration::from_secs(60);

/// A long-running command, its stderr read line by line on a thread.
pub struct Session {
    child: Child,
    stderr: Receiver<String>,
    seen: Vec<String>,
}

impl Session {
    pub fn start(args: &[&str]) -> Session {
        let mut child = Command::new(BIN)
            .args(args)
            .env("LC_ALL", "C.UTF-8")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("stickyviz starts");
        let stderr = child.stderr.take().expect("stderr piped");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        Session {
            child,
            stderr: rx,
            seen: Vec::new(),
        }
    }

    pub fn wait_for_line(&mut self, needle: &str) -> String {
        loop {
            match self.stderr.recv_timeout(STEP) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(e) => panic!("no stderr line with '{needle}' ({e}); so far: {:#?}", self.seen),
            }
        }
    }

    /// Waits until the process catches `sig` (its handler is installed), read from
    /// /proc/PID/status: sending earlier would kill it the default way, and the test would be
    /// about start-up speed.
    pub fn wait_until_catching(&self, sig: u32) {
        let path = format!("/proc/{}/status", self.child.id());
        for _ in 0..6000 {
            let status = std::fs::read_to_string(&path).expect("the process is alive");
            let caught = status
                .lines()
                .find_map(|l| l.strip_prefix("SigCgt:"))
                .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
                .expect("a SigCgt line");
            if caught & (1 << (sig - 1)) != 0 {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        panic!("stickyviz never caught signal {sig}");
    }

    pub fn signal(&self, name: &str) {
        let ok = Command::new("kill")
            .args(["-s", name, &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(ok.success(), "kill -s {name}");
    }

    /// Waits for the exit; returns the status code, stdout and the whole stderr.
    pub fn finish(mut self) -> (Option<i32>, String, String) {
        let mut stdout = self.child.stdout.take().expect("stdout piped");
        let reader = std::thread::spawn(move || {
            let mut out = String::new();
            stdout.read_to_string(&mut out).map(|_| out)
        });
        let status = self.child.wait().expect("the process ends");
        let out = reader.join().expect("stdout reader").expect("stdout");
        while let Ok(line) = self.stderr.recv_timeout(STEP) {
            self.seen.push(line);
        }
        (status.code(), out, self.seen.join("\n"))
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The port at the end of a `listening on tcp 127.0.0.1:PORT` line.
pub fn port_of(line: &str) -> u16 {
    line.rsplit(':')
        .next()
        .and_then(|p| p.trim().parse().ok())
        .unwrap_or_else(|| panic!("no port in '{line}'"))
}
