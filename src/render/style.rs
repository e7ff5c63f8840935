//! Shared look: the one categorical palette (Okabe & Ito) and the colours of
//! the cell types, font sizes and tick-label formatting.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Okabe–Ito palette, in the order series get them by default.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(0, 0, 0),       // black
    RGBColor(240, 228, 66),  // yellow
];

/// The colour a cell type always gets (race, sweep, latch): RNN (tanh) blue,
/// LSTM vermillion, GRU green, RNN (ReLU) reddish purple, RNN (sigmoid) orange. `cell` is `"rnn"`,
/// `"lstm"` or `"gru"`; `nonlinearity` matters for `"rnn"` only.
pub fn cell_colour(cell: &str, nonlinearity: &str) -> RGBColor {
    match (cell, nonlinearity) {
        ("lstm", _) => PALETTE[1],
        ("gru", _) => PALETTE[2],
        ("rnn", "relu") => PALETTE[3],
        ("rnn", "sigmoid") => PALETTE[4],
        _ => PALETTE[0],
    }
}

pub const TEXT: RGBColor = RGBColor(34, 34, 34);
pub const MUTED: RGBColor = RGBColor(90, 90, 90);
pub const AXIS: RGBColor = RGBColor(110, 110, 110);
pub const GRID: RGBColor = RGBColor(228, 228, 228);

/// The canvas/registered family "sans-serif", named by the enum: the `&str` form goes through
/// plotters' `FontFamily::from`, whose `to_lowercase` adds Unicode case tables to the wasm.
pub const FONT: FontFamily<'static> = FontFamily::SansSerif;
pub const TICK_PX: f64 = 13.0;
pub const DESC_PX: f64 = 14.0;
pub const LEGEND_PX: f64 = 13.0;
pub const NOTE_PX: f64 = 15.0;
pub const TITLE_PX: f64 = 15.0;

/// A text style of `px` pixels in colour `color`, anchored at `(h, v)`.
pub fn text(px: f64, color: &RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    (FONT, px).into_font().color(color).pos(Pos::new(h, v))
}

/// Formats a tick value so that neighbouring ticks `span / 8` apart differ:
/// integers stay integers, large values get a `k`/`M` suffix.
pub fn fmt_tick(v: f64, span: f64) -> String {
    let a = v.abs();
    if (1e6..1e12).contains(&a) && span >= 1e5 {
        return trim(format!("{:.2}", v / 1e6)) + "M";
    }
    if (1e4..1e12).contains(&a) && span >= 1e3 {
        return trim(format!("{:.1}", v / 1e3)) + "k";
    }
    if a != 0.0 && !(1e-4..1e12).contains(&a) {
        return format!("{v:.1e}");
    }
    let step = (span / 8.0).abs().max(f64::MIN_POSITIVE);
    let decimals = (-step.log10().floor()).clamp(0.0, 6.0) as usize;
    let s = format!("{v:.decimals$}");
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        "0".to_string()
    } else {
        s
    }
}

/// Formats a value on a log axis (powers of ten and their multiples).
pub fn fmt_log_tick(v: f64) -> String {
    let a = v.abs();
    if (1e-3..1e5).contains(&a) {
        trim(format!("{v:.3}"))
    } else {
        format!("{v:.0e}")
    }
}

/// `10ⁿ` with a superscript exponent, e.g. `10⁻³`, for a log colour bar.
pub fn power_of_ten(n: i32) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let mut s = String::from("10");
    if n < 0 {
        s.push('⁻');
    }
    let digits = n.unsigned_abs().to_string();
    s.extend(digits.bytes().map(|d| DIGITS[usize::from(d - b'0')]));
    s
}

/// Formats a value with about three significant digits, for labels.
pub fn fmt_value(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 {
        "0".to_string()
    } else if (1e-3..1e5).contains(&a) {
        let decimals = (2.0 - a.log10().floor()).clamp(0.0, 5.0) as usize;
        trim(format!("{v:.decimals$}"))
    } else {
        format!("{v:.2e}")
    }
}

fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// DejaVu Sans advance widths of ASCII 32..=126, in 1/2048 em.
const ASCII_ADVANCE: [u16; 95] = [
    651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690, 1303,
    1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716, 1087, 2048,
    1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532, 1612, 1235,
    1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690, 799, 1716, 1024, 1024,
    1255, 1300, 1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186, 569, 1995, 1298, 1253, 1300,
    1300, 842, 1067, 803, 1298, 1212, 1675, 1212, 1212, 1075, 1303, 690, 1303, 1716,
];

/// Width in pixels of `s` at `px` pixels per em, from DejaVu Sans metrics.
///
/// Used for layout instead of asking the backend: on a canvas plotters
/// measures text by inserting a DOM element (a forced reflow per call), and
/// DejaVu Sans is wider than the usual browser sans-serif faces, so this is
/// a safe upper bound there.
pub fn text_width(s: &str, px: f64) -> i32 {
    let units: u32 = s
        .chars()
        .map(|c| match c {
            ' '..='~' => u32::from(ASCII_ADVANCE[c as usize - 32]),
            c if c >= '\u{2e80}' => 2048,
            _ => 1400,
        })
        .sum();
    (f64::from(units) * px / 2048.0).ceil() as i32
}
