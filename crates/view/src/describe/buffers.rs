//! A socket buffer the kernel did not give as asked, said with the rule that decided it.
//!
//! Linux takes `min(asked, net.core.rmem_max)` for `SO_RCVBUF` (`wmem_max` for `SO_SNDBUF`) and
//! doubles it for its own bookkeeping (socket(7)); so a reading below twice the request means
//! the request was capped, at half the reading. macOS and Windows keep the request as asked, or
//! cap it at their own limit (macOS: `kern.ipc.maxsockbuf`).

use crate::analysis::OptionRec;
use crate::facts::SockOpt;
use crate::i18n::{grouped, tf, Lang, S};

/// Why the kernel's buffer differs from the request, or `None` when it gave what was asked (or
/// nothing was asked: the kernel's default). Only for `SO_RCVBUF` and `SO_SNDBUF`.
pub fn buffer_clamped(o: &OptionRec, lang: Lang) -> Option<String> {
    let asked = o.requested?;
    let sysctl = match o.opt {
        SockOpt::RcvBuf => "net.core.rmem_max",
        SockOpt::SndBuf => "net.core.wmem_max",
        _ => return None,
    };
    if cfg!(target_os = "linux") {
        let expected = asked.saturating_mul(2);
        (o.actual < expected).then(|| {
            tf(
                lang,
                S::BufClampedLinux,
                &[
                    ("asked", &grouped(asked)),
                    ("sysctl", &sysctl),
                    ("cap", &grouped(o.actual / 2)),
                    ("actual", &grouped(o.actual)),
                ],
            )
        })
    } else {
        (o.actual < asked).then(|| {
            tf(
                lang,
                S::BufClampedOther,
                &[("asked", &grouped(asked)), ("actual", &grouped(o.actual))],
            )
        })
    }
}
