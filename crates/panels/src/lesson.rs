//! What the user changed from the lesson's own settings, in a few words ("Nagle off",
//! "recv(256)"), so the explanation can stay on screen with "modified: …" beside it.

use crate::config::Experiment;
use crate::strings::{t, Lang, S};

fn on_off(lang: Lang, on: bool) -> &'static str {
    match (lang, on) {
        (Lang::Zh, true) => "开",
        (Lang::Zh, false) => "关",
        (_, true) => "on",
        (_, false) => "off",
    }
}

/// The settings of `now` that differ from `lesson`, worded briefly; empty when equal. A change
/// not worded here is reported as "other settings", never dropped.
pub fn changes(lesson: &Experiment, now: &Experiment, lang: Lang) -> Vec<String> {
    let zh = lang == Lang::Zh;
    let mut out = Vec::new();
    let (l, n) = (lesson, now);
    if l.sender.nagle != n.sender.nagle {
        out.push(format!("Nagle {}", on_off(lang, n.sender.nagle)));
    }
    if l.sender.cork != n.sender.cork {
        out.push(format!("TCP_CORK {}", on_off(lang, n.sender.cork)));
    }
    if l.sender.send_call != n.sender.send_call {
        out.push(n.sender.send_call.name().to_string());
    }
    if let (Some(a), Some(b)) = (l.restart, n.restart) {
        if a.reuse_addr != b.reuse_addr {
            out.push(format!("SO_REUSEADDR {}", on_off(lang, b.reuse_addr)));
        }
    }
    if l.receiver.read_size != n.receiver.read_size {
        out.push(format!("recv({})", n.receiver.read_size));
    }
    if l.receiver.start_delay_ms != n.receiver.start_delay_ms {
        out.push(if zh {
            format!("读方晚 {} ms 开始", n.receiver.start_delay_ms)
        } else {
            format!("reader starts {} ms late", n.receiver.start_delay_ms)
        });
    }
    if l.receiver.read_delay_ms != n.receiver.read_delay_ms {
        out.push(if zh {
            format!("每次读后等 {} ms", n.receiver.read_delay_ms)
        } else {
            format!("{} ms between reads", n.receiver.read_delay_ms)
        });
    }
    if l.framing != n.framing {
        out.push(if zh {
            format!("拆包：{}", crate::describe::framing_name(n.framing, Lang::Zh))
        } else {
            format!("framing {}", n.framing.name())
        });
    }
    if l.workload.count != n.workload.count {
        out.push(if zh {
            format!("{} 条消息", n.workload.count)
        } else {
            format!("{} messages", n.workload.count)
        });
    }
    if (l.workload.size_min, l.workload.size_max) != (n.workload.size_min, n.workload.size_max) {
        out.push(format!("{}–{} B", n.workload.size_min, n.workload.size_max));
    }
    if l.workload.gap_us != n.workload.gap_us {
        out.push(if zh {
            format!("间隔 {} µs", n.workload.gap_us)
        } else {
            format!("gap {} µs", n.workload.gap_us)
        });
    }
    if l.udp.read_size != n.udp.read_size {
        out.push(format!("recvfrom({})", n.udp.read_size));
    }
    let mut l_rest = l.clone();
    // copy the worded fields over, then compare what is left
    l_rest.sender.nagle = n.sender.nagle;
    l_rest.sender.cork = n.sender.cork;
    l_rest.sender.send_call = n.sender.send_call;
    if l_rest.restart.is_some() && n.restart.is_some() {
        l_rest.restart = n.restart;
    }
    l_rest.receiver.read_size = n.receiver.read_size;
    l_rest.receiver.start_delay_ms = n.receiver.start_delay_ms;
    l_rest.receiver.read_delay_ms = n.receiver.read_delay_ms;
    l_rest.framing = n.framing;
    l_rest.workload.count = n.workload.count;
    l_rest.workload.size_min = n.workload.size_min;
    l_rest.workload.size_max = n.workload.size_max;
    l_rest.workload.gap_us = n.workload.gap_us;
    l_rest.udp.read_size = n.udp.read_size;
    if l_rest != *n {
        out.push(t(lang, S::ChangedOther).to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slow_reader() -> Experiment {
        crate::presets::find("slow-reader")
            .map(|p| p.experiment)
            .unwrap_or_default()
    }

    #[test]
    fn the_lesson_itself_has_no_changes() {
        assert!(changes(&slow_reader(), &slow_reader(), Lang::En).is_empty());
    }

    #[test]
    fn sendall_and_so_reuseaddr_are_named() {
        let lesson = |name| crate::presets::find(name).map(|p| p.experiment).unwrap_or_default();
        let mut now = lesson("send-vs-sendall");
        now.sender.send_call = crate::config::SendCall::Sendall;
        assert_eq!(changes(&lesson("send-vs-sendall"), &now, Lang::En), vec!["sendall"]);
        let mut now = lesson("address-in-use");
        now.restart = Some(crate::config::Restart { reuse_addr: true });
        assert_eq!(
            changes(&lesson("address-in-use"), &now, Lang::En),
            vec!["SO_REUSEADDR on"]
        );
    }

    #[test]
    fn nagle_off_is_named() {
        let mut now = slow_reader();
        now.sender.nagle = false;
        assert_eq!(changes(&slow_reader(), &now, Lang::En), vec!["Nagle off"]);
        assert_eq!(changes(&slow_reader(), &now, Lang::Zh), vec!["Nagle 关"]);
    }

    #[test]
    fn an_unworded_change_is_still_reported() {
        let mut now = slow_reader();
        now.workload.seed += 1;
        assert_eq!(changes(&slow_reader(), &now, Lang::En), vec!["other settings"]);
    }
}
