//! The colour scales, their lookup tables and the palette.

use super::*;

#[test]
fn diverging_colors() {
    let r = 2.5;
    let red = diverging_color(r, r);
    assert!(red.0 > 150 && red.1 < 80 && red.2 < 80, "{red:?}");
    let blue = diverging_color(-r, r);
    assert!(blue.2 > 150 && blue.0 < 80, "{blue:?}");
    assert_eq!(diverging_color(0.0, r), RGBColor(255, 255, 255));
    assert_eq!(diverging_color(10.0, r), red, "clamped");
    let nan = diverging_color(f32::NAN, r);
    assert!(nan.0 == nan.1 && nan.1 == nan.2, "grey");
    let _ = diverging_color(1.0, 0.0); // no panic on a zero range
}

#[test]
fn sequential_scale_runs_dark_to_light_and_shares_the_nan_colour() {
    let lum =
        |c: RGBColor| 0.2126 * f64::from(c.0) + 0.7152 * f64::from(c.1) + 0.0722 * f64::from(c.2);
    let steps: Vec<RGBColor> = (0..=20)
        .map(|i| sequential_color(i as f64 / 20.0))
        .collect();
    assert!(
        steps.windows(2).all(|w| lum(w[1]) > lum(w[0])),
        "lightness rises along the scale: {steps:?}"
    );
    let (dark, light) = (steps[0], steps[20]);
    assert!(dark.2 > dark.1 && lum(dark) < 60.0, "dark purple {dark:?}");
    assert!(
        light.0 > 200 && light.1 > 200 && light.2 < 80,
        "yellow {light:?}"
    );
    assert_eq!(sequential_color(-3.0), dark, "clamped below");
    assert_eq!(sequential_color(7.0), light, "clamped above");
    assert_eq!(sequential_color(f64::NAN), NAN_COLOUR);
    assert_eq!(diverging_color(f32::NAN, 1.0), NAN_COLOUR);
    assert_eq!(NAN_COLOUR, RGBColor(170, 170, 170));
}

/// Entry `i` of an RGBA table.
fn entry(lut: &[u8], i: usize) -> RGBColor {
    assert_eq!(lut[i * 4 + 3], 255, "opaque");
    RGBColor(lut[i * 4], lut[i * 4 + 1], lut[i * 4 + 2])
}

#[test]
fn lookup_tables_hold_the_scales_colours() {
    let range = 2.5f32;
    for n in [3, 9, 256, 257] {
        let lut = diverging_lut(n);
        assert_eq!(lut.len(), 4 * n);
        assert_eq!(entry(&lut, 0), diverging_color(-range, range));
        assert_eq!(entry(&lut, n - 1), diverging_color(range, range));
        let mid = (n - 1) as f32 / 2.0;
        let want = diverging_color(range * (mid.floor() - mid) / mid, range);
        assert_eq!(entry(&lut, (n - 1) / 2), want, "middle of {n}");
        // The documented index of a value picks the entry nearest its colour.
        for v in [-2.0f32, -0.3, 0.0, 0.7, 1.9] {
            let i = (((v / range).clamp(-1.0, 1.0) + 1.0) / 2.0 * (n - 1) as f32).round();
            let at = -range + 2.0 * range * i / (n - 1) as f32;
            assert_eq!(entry(&lut, i as usize), diverging_color(at, range));
        }

        let lut = sequential_lut(n);
        assert_eq!(lut.len(), 4 * n);
        for i in [0, (n - 1) / 2, n - 1] {
            let t = i as f64 / (n - 1) as f64;
            assert_eq!(entry(&lut, i), sequential_color(t), "entry {i} of {n}");
        }
    }
    assert_eq!(
        entry(&diverging_lut(9), 4),
        RGBColor(255, 255, 255),
        "white"
    );
    assert!(diverging_lut(0).is_empty() && sequential_lut(0).is_empty());
    assert_eq!(entry(&sequential_lut(1), 0), sequential_color(0.5));
}

#[test]
fn css_colours_and_cell_colours() {
    for c in [PALETTE[0], NAN_COLOUR, RGBColor(1, 2, 254)] {
        let s = css(c);
        assert_eq!(s, hex(c).to_lowercase());
        let byte = |i: usize| u8::from_str_radix(&s[i..i + 2], 16).unwrap();
        assert_eq!(RGBColor(byte(1), byte(3), byte(5)), c);
    }
    let cells = [
        cell_colour("rnn", "tanh"),
        cell_colour("lstm", "tanh"),
        cell_colour("gru", "tanh"),
        cell_colour("rnn", "relu"),
    ];
    assert_eq!(cells, [PALETTE[0], PALETTE[1], PALETTE[2], PALETTE[3]]);
    assert_eq!(
        cell_colour("lstm", "relu"),
        PALETTE[1],
        "only the RNN has a ReLU colour"
    );
    assert_eq!(super::super::style::power_of_ten(-3), "10⁻³");
    assert_eq!(super::super::style::power_of_ten(12), "10¹²");
}
