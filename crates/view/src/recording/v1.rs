//! Reading version 1 recordings: their reasons were English sentences; version 2 holds typed
//! facts. Each sentence is mapped once, on load, to the fact it was written from, so an old
//! recording reads in both languages exactly as it did. A sentence this version does not know
//! is kept as text (`Text`) and shown as written, as version 1 did.
//!
//! The templates below are the version-1 app's English words, frozen here on purpose: the
//! bilingual table may be reworded freely without old recordings losing their meaning.

use serde_json::{json, Value};

/// Version 1's templates, by the typed fact each one was written for; `{}` held the OS's words.
const CAPTURE: [(&str, &str); 6] = [
    ("needs-privilege", "capturing segments needs root or CAP_NET_RAW ({}); the wire lane shows the kernel's per-write segment counts (TCP_INFO) instead"),
    ("cannot-open", "could not open a packet capture socket ({}); the wire lane shows TCP_INFO counts instead"),
    ("only-loopback", "segments are captured only for a server on 127.0.0.1"),
    ("many-clients", "many-clients does not capture segments; TCP_INFO counts per write still show"),
    ("listen", "listening for an external client: its SYN came before the client's port was known, so segments are not captured"),
    ("replies", "the reply direction's segments are not captured; its writes and reads are"),
];

const FAULTS: [(&str, &str); 6] = [
    (
        "closed-bad-header",
        "the listener closed the connection after a header it cannot decode",
    ),
    ("handshake-refused-short", "handshake refused"),
    ("server-closed-before-reply", "the server closed before replying"),
    (
        "handshake-refused",
        "handshake refused: the client's HMAC does not match the key, the server closes the connection",
    ),
    ("client-closed-in-handshake", "the client closed during the handshake"),
    (
        "server-closed-before-challenge",
        "the server closed before its challenge",
    ),
];

/// Version 1 wrote failed calls as `CALL failed: OS WORDS`; the calls it named this way whose
/// words are the same in every language.
const CALLS: [(&str, &str); 9] = [
    ("send()", "send"),
    ("recv()", "recv"),
    ("sendto()", "send-to"),
    ("recvfrom()", "recv-from"),
    ("accept()", "accept"),
    ("setsockopt()", "set-sock-opt"),
    ("uncork", "uncork"),
    ("echo send()", "echo-send"),
    ("echo sendto()", "echo-send-to"),
];

/// The OS's words as version 1 kept them, with the code Rust appends (`… (os error 104)`).
fn os_error(words: &str) -> Value {
    let code = words
        .rsplit_once("(os error ")
        .and_then(|(_, rest)| rest.strip_suffix(')'))
        .and_then(|n| n.parse::<i32>().ok());
    let kind = code.map_or_else(
        || "Other".to_string(),
        |c| format!("{:?}", std::io::Error::from_raw_os_error(c).kind()),
    );
    json!({ "kind": kind, "code": code, "words": words })
}

/// `Some(words)` if `text` is `template` with its `{}` (if any) filled by `words`.
fn matches_template<'a>(template: &str, text: &'a str) -> Option<&'a str> {
    match template.split_once("{}") {
        None => (template == text).then_some(""),
        Some((head, tail)) => {
            let long_enough = text.len() >= head.len() + tail.len();
            (long_enough && text.starts_with(head) && text.ends_with(tail))
                .then(|| &text[head.len()..text.len() - tail.len()])
        }
    }
}

fn capture(text: &str) -> Value {
    for (why, template) in CAPTURE {
        if let Some(words) = matches_template(template, text) {
            return if template.contains("{}") {
                json!({ "why": why, "error": os_error(words) })
            } else {
                json!({ "why": why })
            };
        }
    }
    json!({ "why": "text", "text": text })
}

/// A fault sentence of version 1; `peer_closed` = it was the words of a peer that went away.
fn fault(text: &str, peer_closed: bool) -> Value {
    for (name, template) in FAULTS {
        if template == text {
            return json!({ "fault": name });
        }
    }
    if let Some((call, words)) = text.split_once(" failed: ") {
        let call = match CALLS.iter().find(|(name, _)| *name == call) {
            Some((_, tag)) => json!({ "call": tag }),
            None => json!({ "call": "named", "name": call }),
        };
        return json!({ "fault": "call-failed", "call": call, "error": os_error(words) });
    }
    if peer_closed && text.ends_with(')') && text.contains("(os error ") {
        return json!({ "fault": "peer-gone", "error": os_error(text) });
    }
    json!({ "fault": "text", "text": text })
}

/// Rewrites one version-1 event (and the event it wraps) into version 2's shape.
fn upgrade_event(event: &mut Value) {
    let Some(fields) = event.as_object_mut() else { return };
    match fields.get("kind").and_then(Value::as_str) {
        Some("segments-unavailable") => {
            if let Some(text) = fields.get("reason").and_then(Value::as_str) {
                let reason = capture(text);
                fields.insert("reason".into(), reason);
            }
        }
        Some("error") => {
            if let Some(Value::String(text)) = fields.remove("message") {
                fields.insert("error".into(), fault(&text, false));
            }
        }
        Some("ended") => {
            if let Some(reason) = fields.get_mut("reason").and_then(Value::as_object_mut) {
                let peer_closed = reason.get("reason").and_then(Value::as_str) == Some("peer-closed");
                if let Some(text) = reason.get("detail").and_then(Value::as_str) {
                    let detail = fault(text, peer_closed);
                    reason.insert("detail".into(), detail);
                }
            }
        }
        Some("client") => {
            if let Some(outcome) = fields.get_mut("outcome").and_then(Value::as_object_mut) {
                let kind = outcome.get("outcome").and_then(Value::as_str).map(str::to_string);
                if let Some(text) = outcome.get("error").and_then(Value::as_str) {
                    let error = match kind.as_deref() {
                        Some("reset") => os_error(text),
                        _ => fault(text, false),
                    };
                    outcome.insert("error".into(), error);
                }
            }
        }
        Some("reply") | Some("conn") => {
            if let Some(inner) = fields.get_mut("event") {
                upgrade_event(inner);
            }
        }
        _ => {}
    }
}

/// Rewrites a version-1 recording's events into version 2's shape, in place.
pub fn upgrade(recording: &mut Value) {
    if let Some(events) = recording.get_mut("events").and_then(Value::as_array_mut) {
        events.iter_mut().for_each(upgrade_event);
    }
    recording["version"] = json!(2);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_call_keeps_its_os_code() {
        let f = fault("recv() failed: Connection reset by peer (os error 104)", false);
        assert_eq!(f["call"]["call"], "recv");
        assert_eq!(f["error"]["code"], 104);
        assert_eq!(f["error"]["kind"], "ConnectionReset");
    }

    #[test]
    fn unknown_words_stay_as_written() {
        assert_eq!(
            fault("something else", false),
            json!({ "fault": "text", "text": "something else" })
        );
        assert_eq!(
            capture("capture socket: x"),
            json!({ "why": "text", "text": "capture socket: x" })
        );
        assert_eq!(
            fault("reading RcvBuf failed: x", false)["call"],
            json!({ "call": "named", "name": "reading RcvBuf" })
        );
    }

    #[test]
    fn templates_map_to_their_fact() {
        assert_eq!(capture(CAPTURE[5].1), json!({ "why": "replies" }));
        let privilege = capture("capturing segments needs root or CAP_NET_RAW (Operation not permitted (os error 1)); the wire lane shows the kernel's per-write segment counts (TCP_INFO) instead");
        assert_eq!(privilege["why"], "needs-privilege");
        assert_eq!(privilege["error"]["code"], 1);
        assert_eq!(
            fault("the server closed before replying", true),
            json!({ "fault": "server-closed-before-reply" })
        );
    }
}
