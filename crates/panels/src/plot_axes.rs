//! Grid lines for the window's plots (the latency plot, the Time view), a few labelled ones
//! at any height.
//!
//! egui_plot's default spacer puts lines at 1, 5 or 10 × 10ⁿ and labels only those at least
//! 20 points apart: on a projector's 130-point latency plot that left one label, "0" (issue
//! 26), and on the Time view's byte axis it labels "97.7 KiB". These return about three lines,
//! all labelled, at values a reader expects.

use egui_plot::{GridInput, GridMark};

/// Lines at every multiple of `step` inside the bounds.
fn marks(input: &GridInput, step: f64) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last)
        .map(|k| GridMark {
            value: k as f64 * step,
            step_size: step,
        })
        .collect()
}

/// Steps of 1, 2 or 5 × 10ⁿ (milliseconds), at most four per span.
pub fn decimal_marks(input: GridInput) -> Vec<GridMark> {
    let span = (input.bounds.1 - input.bounds.0).max(1e-9);
    let magnitude = 10f64.powf((span / 3.0).log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|k| k * magnitude)
        .find(|s| span / s <= 4.0)
        .unwrap_or(10.0 * magnitude);
    marks(&input, step)
}

/// Steps of a power of two bytes (1 KiB, 32 KiB, 1 MiB, …), at most four per span.
pub fn byte_marks(input: GridInput) -> Vec<GridMark> {
    let span = (input.bounds.1 - input.bounds.0).max(1.0);
    let mut step = 1.0;
    while span / step > 4.0 {
        step *= 2.0;
    }
    marks(&input, step)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(v: Vec<GridMark>) -> Vec<f64> {
        v.into_iter().map(|m| m.value).collect()
    }

    #[test]
    fn the_latency_axis_gets_three_or_four_round_lines() {
        let input = GridInput {
            bounds: (0.0, 60.0),
            base_step_size: 0.1,
        };
        assert_eq!(values(decimal_marks(input)), [0.0, 20.0, 40.0, 60.0]);
    }

    #[test]
    fn the_byte_axis_steps_in_powers_of_two() {
        let input = GridInput {
            bounds: (0.0, 131_072.0),
            base_step_size: 1.0,
        };
        assert_eq!(
            values(byte_marks(input)),
            [0.0, 32_768.0, 65_536.0, 98_304.0, 131_072.0]
        );
    }
}
