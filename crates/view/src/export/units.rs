//! Byte counts as people read them: "140 KiB", not "140000000"; "1,048,576", not "1048576".

const KIB: u64 = 1024;
const MIB: u64 = 1024 * 1024;

pub use crate::i18n::grouped;

/// A byte count in B, KiB or MiB: whole units when exact, else one decimal.
pub fn bytes(n: u64) -> String {
    let scaled = |unit: u64, name: &str| {
        if n.is_multiple_of(unit) {
            format!("{} {name}", grouped(n / unit))
        } else {
            format!("{:.1} {name}", n as f64 / unit as f64)
        }
    };
    if n < KIB {
        format!("{n} B")
    } else if n < MIB {
        scaled(KIB, "KiB")
    } else {
        scaled(MIB, "MiB")
    }
}

/// An axis step of at least `raw` bytes that lands on round numbers of the unit [`bytes`]
/// labels it in: 1, 2, 5 × 10ⁿ bytes below a KiB, the same in KiB below a MiB, then in MiB.
pub fn tick_step(raw: f64) -> f64 {
    let raw = raw.max(1.0);
    let unit = if raw < KIB as f64 {
        1.0
    } else if raw < MIB as f64 {
        KIB as f64
    } else {
        MIB as f64
    };
    let r = raw / unit;
    let p = 10f64.powf(r.log10().floor());
    let m = [1.0, 2.0, 5.0, 10.0].into_iter().find(|m| m * p >= r).unwrap_or(10.0);
    m * p * unit
}

/// An axis tick at `n` bytes, in the unit its `step` (from [`tick_step`]) is counted in, so
/// every label is exact: steps of 1,000 B read "1,000 B, 2,000 B, 3,000 B", never "2.9 KiB".
pub fn tick_label(n: u64, step: f64) -> String {
    if step < KIB as f64 {
        format!("{} B", grouped(n))
    } else if step < MIB as f64 {
        format!("{} KiB", grouped(n / KIB))
    } else {
        format!("{} MiB", grouped(n / MIB))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_grouped_by_three() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_048_576), "1,048,576");
        assert_eq!(grouped(140_000_000), "140,000,000");
    }

    #[test]
    fn sizes_use_binary_units() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(2048), "2 KiB");
        assert_eq!(bytes(1536), "1.5 KiB");
        assert_eq!(bytes(140 * MIB), "140 MiB");
    }

    #[test]
    fn ticks_land_on_round_units() {
        assert_eq!(tick_step(300.0), 500.0);
        assert_eq!(tick_step(1500.0), 2.0 * 1024.0);
        // a 140 MB stream over 8 ticks: 20 MiB steps, labelled "20 MiB", "40 MiB", …
        let step = tick_step(140e6 / 8.0);
        assert_eq!(step, 20.0 * MIB as f64);
        assert_eq!(bytes(step as u64 * 3), "60 MiB");
    }

    /// At 1024×768 naive-header's 7.5 KB axis read "1000 B, 2.0 KiB, 2.9 KiB": a 1,000-byte
    /// step labelled in KiB.
    #[test]
    fn tick_labels_are_exact_in_their_steps_unit() {
        let step = tick_step(7500.0 / 8.0);
        let labels: Vec<String> = (1..=3).map(|k| tick_label(k * step as u64, step)).collect();
        assert_eq!(labels, ["1,000 B", "2,000 B", "3,000 B"]);
        let step = tick_step(40_000.0 / 8.0);
        assert_eq!(tick_label(3 * step as u64, step), "15 KiB");
        assert_eq!(tick_label(20 * MIB, tick_step(140e6 / 8.0)), "20 MiB");
    }
}
