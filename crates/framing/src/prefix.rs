//! The length prefix of `u32` and `naive-u32`: how wide it is and in which byte order, as
//! netty's `LengthFieldBasedFrameDecoder` users set it, and the other-order reading a refused
//! length is checked against.

use serde::{Deserialize, Serialize};

/// The length prefix of `u32` and `naive-u32`: its width and byte order, netty's
/// `LengthFieldBasedFrameDecoder` `lengthFieldLength` and `byteOrder`. The default, 4 bytes
/// big-endian, is tokio-util's `LengthDelimitedCodec` layout; `seed-json`'s prefix is the seed's
/// and fixed (4 bytes, little-endian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct LengthPrefix {
    /// 1, 2, 4 or 8 (checked by `config`; any other width reads as 4).
    pub bytes: u8,
    pub order: ByteOrder,
}

impl Default for LengthPrefix {
    fn default() -> Self {
        Self {
            bytes: 4,
            order: ByteOrder::Big,
        }
    }
}

impl LengthPrefix {
    /// The widths a prefix may have.
    pub const WIDTHS: [u8; 4] = [1, 2, 4, 8];

    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// The prefix's width in bytes.
    pub fn width(self) -> usize {
        match self.bytes {
            1 => 1,
            2 => 2,
            8 => 8,
            _ => 4,
        }
    }

    /// The largest length the prefix can carry.
    pub fn max_value(self) -> u64 {
        match self.width() {
            8 => u64::MAX,
            n => (1u64 << (8 * n)) - 1,
        }
    }

    /// Appends `len` as the prefix; a length the width cannot carry is cut to its low bytes
    /// (`config` refuses message sizes that would need it).
    pub fn put(self, len: u64, out: &mut Vec<u8>) {
        let n = self.width();
        match self.order {
            ByteOrder::Big => out.extend_from_slice(&len.to_be_bytes()[8 - n..]),
            ByteOrder::Little => out.extend_from_slice(&len.to_le_bytes()[..n]),
        }
    }
}

/// The byte order of a length prefix: big-endian (network order, tokio-util's and netty's
/// default) or little-endian (x86's native order: Python `struct.pack('<I')`, C#'s
/// `BinaryWriter`, Node's `writeUInt32LE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ByteOrder {
    #[default]
    Big,
    Little,
}

impl ByteOrder {
    pub fn name(self) -> &'static str {
        match self {
            Self::Big => "big",
            Self::Little => "little",
        }
    }
}

/// A refused length read in the other byte order, when that reading would have been accepted
/// (so at most the max frame length, a `u32`: kept small, see [`DecodeError`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OtherOrder {
    pub len: u32,
    pub order: ByteOrder,
}
