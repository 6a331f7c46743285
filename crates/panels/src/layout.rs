//! Which panels get room, at which window size, and which part of the window each lesson is
//! about (its evidence).
//!
//! Classrooms run at 1024×768 on projectors and 1280×800 on laptops; projector mode zooms by
//! 1.3, so the window can have as few as 788×590 points. The timeline is the lesson: the side
//! panels fold into drawers (buttons in the top bar) before the timeline gives up any width.

use egui::Vec2;

use crate::config::Transports;

/// Widths in points at which side panels stay docked. Measured on the layout at 1280×800:
/// controls (270) + events (215) + UDP (310) leave the lanes 485 points, too few for the
/// labels of a 512-byte read; the lanes need about 640 to label every read of a lesson.
const DOCK_CONTROLS_MIN_W: f32 = 1200.0;
const DOCK_EVENTS_MIN_W: f32 = 1500.0;
/// From this height (points) a lesson opens with its whole explanation; below it, with its title
/// and look-at sentence, the explanation one click away. 1920×1080 has room for both and the
/// evidence; 1280×800 and a projector's 1024×768 do not (issue 26).
pub const EXPLANATION_OPEN_MIN_H: f32 = 1000.0;
/// Below this height the lanes get thinner (their labels stay at full size).
const TALL_MIN_H: f32 = 700.0;

/// The part of the window a lesson is about; opening the lesson brings it into view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Evidence {
    /// The recv() lane of the main timeline: merged and split reads.
    ReadsLane,
    /// The wire lane: how the kernel cut the writes into segments.
    WireLane,
    /// The frames lane: messages rebuilt by the decoder.
    FramesLane,
    /// The decoder's error marker in the frames lane.
    DecodeError,
    /// The latency-per-request plot of a request/response lesson.
    LatencyPlot,
    /// The recv() lane of the reply stream.
    ReplyReads,
    /// Every connection's own lanes (many clients).
    Connections,
    /// The UDP panel: datagrams kept whole.
    UdpPanel,
    /// The UDP panel with its first truncated datagram in view.
    FirstTruncated,
    /// The UDP panel with its first dropped datagram in view.
    FirstDropped,
    /// The handshake: the answer in the request axis's frames lane, the challenge in the reply
    /// axis's.
    Handshake,
    /// The send() lane: short writes and the bytes the program never sent; and the frames lane,
    /// where the decoder then goes wrong.
    WritesLane,
    /// The address-in-use panel: the close, the socket table, the second bind.
    Restart,
}

impl Evidence {
    /// The names (see shown.rs) of the areas that must be on screen.
    pub fn areas(self) -> &'static [&'static str] {
        match self {
            Evidence::ReadsLane => &["lane.reads"],
            Evidence::WireLane => &["lane.wire"],
            Evidence::FramesLane => &["lane.frames"],
            Evidence::DecodeError => &["decode_error"],
            Evidence::LatencyPlot => &["latency"],
            Evidence::ReplyReads => &["replies.lane.reads"],
            Evidence::Connections => &["connection.1.lane.reads", "connection.2.lane.reads"],
            Evidence::UdpPanel => &["udp"],
            Evidence::FirstTruncated => &["udp", "udp.first_truncated"],
            Evidence::FirstDropped => &["udp", "udp.first_dropped"],
            Evidence::Handshake => &["lane.frames", "replies.lane.frames"],
            // the bytes never sent, and the frames that go wrong after them
            Evidence::WritesLane => &["lane.writes", "lane.frames"],
            Evidence::Restart => &["restart"],
        }
    }

    /// A UDP lesson's evidence is in the UDP panel, which it keeps on a small window.
    pub fn is_udp(self) -> bool {
        matches!(
            self,
            Evidence::UdpPanel | Evidence::FirstTruncated | Evidence::FirstDropped
        )
    }
}

/// The evidence of each lesson; `None` for a name that is not a lesson.
pub fn evidence_of(preset: &str) -> Option<Evidence> {
    Some(match preset {
        "slow-reader" | "firehose" => Evidence::ReadsLane,
        // real-mss: segments of MSS size; flow-control: the zero-window ACKs in the ACK row
        "nagle-burst" | "real-mss" | "flow-control" => Evidence::WireLane,
        // the frames lane: every frame intact (✓) although the link lost segments
        "lossy-link" => Evidence::FramesLane,
        // the handshake's challenge and answer are frames of their own
        "json-header" | "hmac-wrong-key" => Evidence::FramesLane,
        "hmac-handshake" => Evidence::Handshake,
        "naive-header" => Evidence::DecodeError,
        "echo" => Evidence::LatencyPlot,
        "big-reply" => Evidence::ReplyReads,
        "many-clients" => Evidence::Connections,
        "udp-echo" | "udp-empty" => Evidence::UdpPanel,
        "udp-truncate" => Evidence::FirstTruncated,
        "udp-flood" | "udp-lossy" => Evidence::FirstDropped,
        "send-vs-sendall" => Evidence::WritesLane,
        "address-in-use" => Evidence::Restart,
        _ => return None,
    })
}

/// Side panels the user opened from the top bar while they are folded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Drawers {
    pub settings: bool,
    pub events: bool,
    pub udp: bool,
}

/// Where each panel goes this frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plan {
    /// Too narrow for docked side panels: they are drawers, the stats strip is compact.
    pub compact: bool,
    pub controls: bool,
    pub events: bool,
    pub udp: bool,
    /// Height of one timeline lane.
    pub lane_h: f32,
}

/// The plan for a window of `size` points.
pub fn plan(size: Vec2, transports: Transports, evidence: Option<Evidence>, drawers: Drawers) -> Plan {
    let compact = size.x < DOCK_CONTROLS_MIN_W;
    let udp_lesson = evidence.is_some_and(Evidence::is_udp) || !transports.tcp();
    Plan {
        compact,
        controls: !compact || drawers.settings,
        events: size.x >= DOCK_EVENTS_MIN_W || drawers.events,
        // a UDP lesson keeps its panel; elsewhere UDP beside TCP is a drawer on a small window
        udp: transports.udp() && (!compact || udp_lesson || drawers.udp),
        lane_h: if size.y < TALL_MIN_H {
            crate::timeline::LANE_H_COMPACT
        } else {
            crate::timeline::LANE_H
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lesson_names_its_evidence() {
        for p in crate::presets::all() {
            assert!(evidence_of(p.name).is_some(), "{} has no evidence", p.name);
        }
    }

    #[test]
    fn projector_at_1024x768_folds_every_side_panel_but_a_udp_lessons() {
        let size = Vec2::new(1024.0, 768.0) / crate::projector::PROJECTOR_ZOOM;
        let tcp = plan(size, Transports::Both, Some(Evidence::ReadsLane), Drawers::default());
        assert!(tcp.compact && !tcp.controls && !tcp.events && !tcp.udp);
        let udp = plan(size, Transports::Udp, Some(Evidence::UdpPanel), Drawers::default());
        assert!(udp.udp, "the UDP lesson keeps its panel");
        let opened = plan(
            size,
            Transports::Both,
            Some(Evidence::ReadsLane),
            Drawers {
                settings: true,
                ..Drawers::default()
            },
        );
        assert!(opened.controls, "a drawer opens on request");
    }

    #[test]
    fn a_wide_window_docks_everything() {
        let p = plan(
            Vec2::new(1920.0, 1080.0),
            Transports::Both,
            Some(Evidence::ReadsLane),
            Drawers::default(),
        );
        assert!(!p.compact && p.controls && p.events && p.udp);
        assert_eq!(p.lane_h, crate::timeline::LANE_H);
    }
}
