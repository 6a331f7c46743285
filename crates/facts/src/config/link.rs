//! A link: the network between sender and receiver when the run leaves plain loopback.
//!
//! Loopback's MTU is 65,536 bytes (MSS ≈ 65,483), it never drops a packet and it is as fast as
//! memory: a 10 KB message leaves as one segment and nothing is ever retransmitted. A link run
//! puts the sender and receiver in a network namespace of their own whose `lo` has the MTU asked
//! (1500 = Ethernet, MSS 1448), a token bucket (`tc … tbf rate R burst B limit Q`) that holds at
//! most Q bytes waiting and drops the rest, and, where the kernel has `sch_netem`, a delay and
//! a random loss.
//!
//! Written on the command line as `mtu=1500,rate=20mbit,queue=20kb[,delay=20ms,loss=1%]`:
//!
//! | field   | unit (suffixes)                        | range                     |
//! |---------|----------------------------------------|---------------------------|
//! | `mtu`   | bytes                                  | 576 to 65,536             |
//! | `rate`  | bit/s (`bit`, `kbit`, `mbit`, `gbit`)  | 8 kbit/s to 10 gbit/s     |
//! | `queue` | bytes (`b`, `kb` = 1024, `mb`)         | 2,048 to 64 MiB           |
//! | `delay` | `us`, `ms`, `s`                        | 0 to 10 s                 |
//! | `loss`  | percent (`%`), two decimals            | 0% to 100%                |

use serde::{Deserialize, Serialize};

use super::setting::Setting;
use super::{SettingError, SettingProblem};

/// One field of a [`Link`], as its error names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkField {
    Mtu,
    Rate,
    Queue,
    Delay,
    Loss,
}

impl LinkField {
    pub const ALL: [LinkField; 5] = [Self::Mtu, Self::Rate, Self::Queue, Self::Delay, Self::Loss];

    /// Its name in `--link` (`mtu=1500`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Mtu => "mtu",
            Self::Rate => "rate",
            Self::Queue => "queue",
            Self::Delay => "delay",
            Self::Loss => "loss",
        }
    }

    /// The allowed values, inclusive, in the field's stored unit (bytes, bit/s, µs,
    /// hundredths of a percent).
    pub fn range(self) -> (u64, u64) {
        match self {
            // 576: the smallest datagram every IPv4 host must accept (RFC 791); 65,536: `lo`'s own
            Self::Mtu => (576, 65_536),
            Self::Rate => (8_000, 10_000_000_000),
            // below two full packets the queue drops nearly everything
            Self::Queue => (2_048, 64 * 1024 * 1024),
            Self::Delay => (0, super::MAX_DELAY_US),
            Self::Loss => (0, 10_000),
        }
    }
}

/// The shaped link of a run: `lo` of a network namespace of the run's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// `lo`'s MTU in bytes: the TCP MSS is 52 less (IPv4 20 + TCP 20 + timestamps 12).
    pub mtu_bytes: u32,
    /// The token bucket's rate, bit/s.
    pub rate_bit: u64,
    /// Bytes that may wait in the bucket's queue (`tbf limit`); a packet that finds it full is
    /// dropped, and TCP retransmits it.
    pub queue_bytes: u32,
    /// One-way delay added by `netem` (0 = none, and no `netem` needed), µs.
    #[serde(default)]
    pub delay_us: u64,
    /// Random loss added by `netem`, in hundredths of a percent (100 = 1%; 0 = none).
    #[serde(default)]
    pub loss_centi_percent: u32,
}

impl Default for Link {
    /// An Ethernet MTU on a 20 Mbit/s link with a 20 KB queue: the measured setting that drops
    /// packets of a 2 MB transfer (design.md §6).
    fn default() -> Self {
        Self {
            mtu_bytes: 1500,
            rate_bit: 20_000_000,
            queue_bytes: 20 * 1024,
            delay_us: 0,
            loss_centi_percent: 0,
        }
    }
}

/// Why a `--link` text is refused; `describe::link_problem` words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkProblem {
    /// A `name=value` whose name is none of the fields.
    UnknownField { name: String },
    /// A part that is not `name=value`.
    NotNameValue { part: String },
    /// A value that is not a number with one of the field's units.
    NotAValue { field: LinkField, value: String },
    /// A value outside the field's range (in its stored unit).
    OutOfRange {
        field: LinkField,
        value: u64,
        min: u64,
        max: u64,
    },
}

impl Link {
    /// The `burst` of the token bucket, bytes: one packet, the largest this link carries
    /// (`mtu`, or a TCP segment of `mss` with its 40 bytes of IP and TCP header when that is
    /// smaller) plus the 14 bytes of link header `lo` counts. With a bucket of one packet, every
    /// packet leaves alone at the link's rate, and the kernel's batches of segments (GSO, up to
    /// 64 KB) are cut into single segments as they enter the queue: a segment that finds the
    /// queue full is dropped there, after TCP handed it over, as a router would drop it, and
    /// TCP must find out and send it again (measured: 271–766 retransmissions for 2 MB at
    /// 20 Mbit/s and a 20 KB queue, design.md §6).
    pub fn burst_bytes(&self, mss: Option<u32>) -> u32 {
        let packet = mss.map_or(self.mtu_bytes, |m| self.mtu_bytes.min(m.saturating_add(40)));
        packet + 14
    }

    /// Whether the link needs `netem` (delay or loss), which not every kernel has.
    pub fn needs_netem(&self) -> bool {
        self.delay_us > 0 || self.loss_centi_percent > 0
    }

    /// Parses `mtu=1500,rate=20mbit,queue=20kb[,delay=20ms,loss=1%]`; fields left out keep
    /// their [`Default`].
    pub fn parse(text: &str) -> Result<Link, LinkProblem> {
        let mut link = Link::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((name, value)) = part.split_once('=') else {
                return Err(LinkProblem::NotNameValue { part: part.to_owned() });
            };
            let field = LinkField::ALL
                .into_iter()
                .find(|f| f.name() == name.trim())
                .ok_or_else(|| LinkProblem::UnknownField {
                    name: name.trim().to_owned(),
                })?;
            let value = value.trim();
            let parsed = parse_value(field, value).ok_or_else(|| LinkProblem::NotAValue {
                field,
                value: value.to_owned(),
            })?;
            let (min, max) = field.range();
            if parsed < min || parsed > max {
                return Err(LinkProblem::OutOfRange {
                    field,
                    value: parsed,
                    min,
                    max,
                });
            }
            match field {
                LinkField::Mtu => link.mtu_bytes = parsed as u32,
                LinkField::Rate => link.rate_bit = parsed,
                LinkField::Queue => link.queue_bytes = parsed as u32,
                LinkField::Delay => link.delay_us = parsed,
                LinkField::Loss => link.loss_centi_percent = parsed as u32,
            }
        }
        Ok(link)
    }

    /// The text [`Link::parse`] reads back into this link.
    pub fn to_spec(&self) -> String {
        let mut s = format!(
            "mtu={},rate={},queue={}",
            self.mtu_bytes,
            rate_text(self.rate_bit),
            bytes_text(self.queue_bytes)
        );
        if self.delay_us > 0 {
            s += &format!(",delay={}", delay_text(self.delay_us));
        }
        if self.loss_centi_percent > 0 {
            s += &format!(",loss={}", loss_text(self.loss_centi_percent));
        }
        s
    }

    /// Checks each field against its range (a link read from a recording or a preset).
    pub fn validate(&self) -> Result<(), SettingError> {
        let values = [
            (LinkField::Mtu, u64::from(self.mtu_bytes)),
            (LinkField::Rate, self.rate_bit),
            (LinkField::Queue, u64::from(self.queue_bytes)),
            (LinkField::Delay, self.delay_us),
            (LinkField::Loss, u64::from(self.loss_centi_percent)),
        ];
        for (field, value) in values {
            let (min, max) = field.range();
            if value < min || value > max {
                return Err(SettingError {
                    field: Setting::Link,
                    problem: SettingProblem::Link(LinkProblem::OutOfRange { field, value, min, max }),
                });
            }
        }
        Ok(())
    }
}

/// `20mbit` → 20,000,000 (tc's units: k = 1000 for rates).
fn rate_text(bit: u64) -> String {
    for (unit, n) in [("gbit", 1_000_000_000), ("mbit", 1_000_000), ("kbit", 1_000)] {
        if bit.is_multiple_of(n) {
            return format!("{}{unit}", bit / n);
        }
    }
    format!("{bit}bit")
}

/// `20kb` → 20,480 (tc's units: k = 1024 for sizes).
fn bytes_text(b: u32) -> String {
    for (unit, n) in [("mb", 1024 * 1024), ("kb", 1024)] {
        if b.is_multiple_of(n) {
            return format!("{}{unit}", b / n);
        }
    }
    format!("{b}b")
}

fn delay_text(us: u64) -> String {
    if us.is_multiple_of(1000) {
        format!("{}ms", us / 1000)
    } else {
        format!("{us}us")
    }
}

fn loss_text(centi: u32) -> String {
    if centi.is_multiple_of(100) {
        format!("{}%", centi / 100)
    } else {
        format!("{}.{:02}%", centi / 100, centi % 100)
    }
}

/// A number with one of `field`'s units, in the field's stored unit; `None` if it is not one.
fn parse_value(field: LinkField, v: &str) -> Option<u64> {
    let v = v.to_ascii_lowercase();
    let split = v.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(v.len());
    let (number, unit) = v.split_at(split);
    let units: &[(&str, f64)] = match field {
        LinkField::Mtu => &[("", 1.0), ("b", 1.0)],
        LinkField::Rate => &[("", 1.0), ("bit", 1.0), ("kbit", 1e3), ("mbit", 1e6), ("gbit", 1e9)],
        LinkField::Queue => &[
            ("", 1.0),
            ("b", 1.0),
            ("k", 1024.0),
            ("kb", 1024.0),
            ("m", 1_048_576.0),
            ("mb", 1_048_576.0),
        ],
        LinkField::Delay => &[("us", 1.0), ("ms", 1e3), ("s", 1e6)],
        LinkField::Loss => &[("%", 100.0), ("", 100.0)],
    };
    let scale = units.iter().find(|(u, _)| *u == unit.trim())?.1;
    if number.is_empty() || number.matches('.').count() > 1 {
        return None;
    }
    let n: f64 = number.parse().ok()?;
    let value = (n * scale).round();
    // a fraction of the smallest unit (1.5 bytes) is not a value
    if !value.is_finite() || value < 0.0 || value > u64::MAX as f64 || (n * scale - value).abs() > 1e-6 * scale.max(1.0)
    {
        return None;
    }
    Some(value as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issues_example_parses() {
        let link = Link::parse("mtu=1500,rate=20mbit,queue=20kb,delay=20ms,loss=1%").unwrap();
        assert_eq!(
            link,
            Link {
                mtu_bytes: 1500,
                rate_bit: 20_000_000,
                queue_bytes: 20_480,
                delay_us: 20_000,
                loss_centi_percent: 100
            }
        );
        assert_eq!(Link::parse(&link.to_spec()), Ok(link));
        assert_eq!(Link::parse("loss=0.25%").unwrap().loss_centi_percent, 25);
        assert_eq!(Link::parse("").unwrap(), Link::default());
    }

    #[test]
    fn a_bad_link_names_the_field() {
        assert_eq!(
            Link::parse("mtu=100"),
            Err(LinkProblem::OutOfRange {
                field: LinkField::Mtu,
                value: 100,
                min: 576,
                max: 65_536
            })
        );
        assert_eq!(
            Link::parse("rate=fast"),
            Err(LinkProblem::NotAValue {
                field: LinkField::Rate,
                value: "fast".into()
            })
        );
        assert_eq!(
            Link::parse("delay=20"),
            Err(LinkProblem::NotAValue {
                field: LinkField::Delay,
                value: "20".into()
            })
        );
        assert_eq!(
            Link::parse("speed=1"),
            Err(LinkProblem::UnknownField { name: "speed".into() })
        );
        assert_eq!(
            Link::parse("mtu"),
            Err(LinkProblem::NotNameValue { part: "mtu".into() })
        );
        assert!(matches!(
            Link::parse("loss=101%"),
            Err(LinkProblem::OutOfRange {
                field: LinkField::Loss,
                ..
            })
        ));
    }

    #[test]
    fn the_burst_is_one_packet() {
        assert_eq!(Link::default().burst_bytes(None), 1514);
        assert_eq!(
            Link {
                mtu_bytes: 9000,
                ..Link::default()
            }
            .burst_bytes(Some(1000)),
            1054
        );
        assert_eq!(Link::default().burst_bytes(Some(9000)), 1514);
    }
}
