//! An external peer (`listen`): its sender is not ours, so no message boundaries were recorded.
//! The decoded frames *are* its messages, and reads are classified against them (粘包 / 半包)
//! as against our own sender's messages; without framing there is nothing to classify against.

use super::{FrameRec, Model, ReadKind, Span};

impl Model {
    /// `m3…m5`: the first and last message a merged read holds; for an external sender the
    /// frames, `f3…f5`. None if they are not (or no longer) stored.
    pub fn merged_names(&self, read: &Span) -> Option<String> {
        if self.history.messages.is_empty() {
            let from = self
                .frames()
                .partition_point(|f| f.offset + u64::from(f.len) <= read.offset);
            let to = self.history.frames.partition_point(|f| f.offset < read.end());
            return Some(format!(
                "f{}…f{}",
                self.history.frames.get(from)?.index,
                self.history.frames.get(to.checked_sub(1)?)?.index
            ));
        }
        let msgs = self.messages_in(read.offset, read.end());
        Some(format!(
            "{}…{}",
            self.history.messages.get(msgs.start)?.id,
            self.history.messages.get(msgs.end.checked_sub(1)?)?.id
        ))
    }

    /// [`Model::read_kind`] with the decoded frames as the message boundaries.
    pub(super) fn read_kind_by_frames(&self, read: &Span) -> ReadKind {
        let from = self
            .frames()
            .partition_point(|f| f.offset + u64::from(f.len) <= read.offset);
        let to = self.history.frames.partition_point(|f| f.offset < read.end()).max(from);
        let known_end = self
            .history
            .frames
            .last()
            .map_or(0, |f: &FrameRec| f.offset + u64::from(f.len));
        if from == to || known_end < read.end() {
            return ReadKind::Unknown;
        }
        let first = &self.history.frames[from];
        match to - from {
            1 if first.offset == read.offset && first.offset + u64::from(first.len) == read.end() => ReadKind::Exact,
            1 => ReadKind::Partial,
            n => ReadKind::Merged { messages: n as u32 },
        }
    }
}
