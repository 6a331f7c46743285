//! Checks shared by the lesson tests and the link tests: what a run on a real link must show.

use stickyviz::analysis::Model;
use stickyviz::facts::SockOpt;

/// The sender's MSS as the kernel reports it (`TCP_INFO` `snd_mss`).
pub fn snd_mss(model: &Model) -> u64 {
    model
        .options()
        .iter()
        .find(|o| o.opt == SockOpt::Mss)
        .map(|o| o.actual)
        .expect("the MSS is recorded")
}

/// Every message framed again, equal to what was sent, and in order.
pub fn assert_every_frame_intact(name: &str, model: &Model, messages: u64) {
    let s = &model.summary();
    assert_eq!(s.decode_errors, 0, "{name}: {:?}", model.decode_errors());
    assert_eq!(s.frames, messages, "{name}: every message framed again");
    assert_eq!(s.intact_frames, s.frames, "{name}: every frame equal to what was sent");
    let offsets: Vec<u64> = model.frames().iter().map(|f| f.offset).collect();
    assert!(offsets.windows(2).all(|w| w[0] < w[1]), "{name}: frames in order");
}
