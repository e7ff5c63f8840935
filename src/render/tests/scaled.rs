//! The device-pixel-ratio wrapper.

use super::*;
use plotters::coord::Shift;

/// `draw` on an SVG of `SIZE × scale` pixels through [`Scaled`].
fn scaled_svg(scale: f64, draw: impl FnOnce(&Area<'_>)) -> String {
    let size = (
        (f64::from(SIZE.0) * scale) as u32,
        (f64::from(SIZE.1) * scale) as u32,
    );
    let mut out = String::new();
    {
        let root = Scaled::new(SVGBackend::with_string(&mut out, size), scale).into_drawing_area();
        assert_eq!(root.dim_in_pixel(), SIZE, "the charts see the CSS size");
        draw(&root);
        root.present().unwrap();
    }
    out
}

/// The elements of `svg` in order, each as its name and attributes.
fn elements(svg: &str) -> Vec<(&str, Vec<(&str, &str)>)> {
    svg.split('<')
        .filter(|e| e.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        .map(|e| {
            let tag = &e[..e.find('>').unwrap_or(e.len())];
            let (name, rest) = tag.split_once(' ').unwrap_or((tag, ""));
            let attrs = rest
                .split('"')
                .collect::<Vec<_>>()
                .chunks(2)
                .filter(|kv| kv.len() == 2)
                .map(|kv| (kv[0].trim().trim_end_matches('='), kv[1]))
                .collect();
            (name, attrs)
        })
        .collect()
}

/// Checks that every length in `big` is `k` times the same length in
/// `small`, and everything else is the same.
fn assert_scaled(small: &str, big: &str, k: f64) {
    let (a, b) = (elements(small), elements(big));
    assert_eq!(a.len(), b.len(), "the same elements");
    let lengths = [
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "cx",
        "cy",
        "r",
        "width",
        "height",
        "stroke-width",
        "font-size",
    ];
    let mut checked = 0;
    for ((name, attrs), (name2, attrs2)) in a.iter().zip(&b) {
        assert_eq!(name, name2);
        assert_eq!(attrs.len(), attrs2.len(), "{name} {attrs:?}");
        for (&(key, v), &(key2, v2)) in attrs.iter().zip(attrs2) {
            assert_eq!(key, key2);
            let nums = |s: &str| -> Vec<f64> {
                s.split([' ', ','])
                    .filter(|n| !n.is_empty())
                    .map(|n| n.parse().unwrap())
                    .collect()
            };
            if lengths.contains(&key) || key == "points" {
                let (n, n2) = (nums(v), nums(v2));
                assert_eq!(n.len(), n2.len());
                for (p, p2) in n.iter().zip(&n2) {
                    let tolerance = if key == "font-size" { 1e-9 } else { 0.0 };
                    assert!((p * k - p2).abs() <= tolerance, "{name} {key}: {v} → {v2}");
                    checked += 1;
                }
            } else if key == "transform" {
                // rotate(angle, x, y): the same angle about the scaled point.
                let args = |s: &str| nums(&s.replace(['r', 'o', 't', 'a', 'e', '(', ')'], ""));
                let (n, n2) = (args(v), args(v2));
                assert_eq!(n[0], n2[0]);
                assert_eq!([n[1] * k, n[2] * k], n2[1..], "{v} → {v2}");
            } else if key != "viewBox" {
                assert_eq!(v, v2, "{name} {key}");
            }
        }
    }
    assert!(checked > 500, "{checked} lengths compared");
}

type Area<'a> = DrawingArea<Scaled<SVGBackend<'a>>, Shift>;

fn loss(a: &Area<'_>) {
    draw_loss_chart(a, &loss_chart(300)).unwrap();
}

fn frac(a: &Area<'_>) {
    draw_frac_chart(a, &super::frac::frac_chart(40)).unwrap();
}

fn heat(a: &Area<'_>) {
    draw_cells(a, &heatmap(5, 8)).unwrap();
}

#[test]
fn scaled_doubles_every_length_and_reports_half_the_size() {
    let size = |inner: (u32, u32), k: f64| {
        let mut out = String::new();
        let size = Scaled::new(SVGBackend::with_string(&mut out, inner), k).get_size();
        size
    };
    assert_eq!(size((1600, 900), 2.0), (800, 450));
    assert_eq!(size((1001, 1001), 1.5), (667, 667));
    assert_eq!(size((300, 200), f64::NAN), (300, 200), "a bad scale is 1");

    let (one, two) = (scaled_svg(1.0, loss), scaled_svg(2.0, loss));
    assert_eq!(
        one,
        svg_of(|a| draw_loss_chart(a, &loss_chart(300)).unwrap()),
        "1 is a no-op"
    );
    assert_scaled(&one, &two, 2.0);
    let font = |svg: &str| {
        attr(tags(svg, "text")[0], "font-size")
            .unwrap()
            .parse::<f64>()
            .unwrap()
    };
    assert_eq!(font(&two), 2.0 * font(&one));

    assert_scaled(&scaled_svg(1.0, frac), &scaled_svg(2.0, frac), 2.0);
    assert_scaled(&scaled_svg(1.0, heat), &scaled_svg(2.0, heat), 2.0);
}

#[test]
fn scaled_pixels_fill_blocks() {
    let svg = scaled_svg(3.0, |a| a.draw_pixel((10, 20), &RED).unwrap());
    let px: Vec<(i32, i32)> = tags(&svg, "rect")
        .into_iter()
        .filter(|t| attr(t, "fill") == Some("#FF0000"))
        .map(|t| (num(t, "x"), num(t, "y")))
        .collect();
    let want: Vec<(i32, i32)> = (60..63)
        .flat_map(|y| (30..33).map(move |x| (x, y)))
        .collect();
    assert_eq!(px, want, "a 3×3 block at 3× the position");
}

#[test]
fn scaled_heatmap_on_a_bitmap_matches_device_pixels() {
    let h = heatmap(6, 9);
    let (k, size) = (2.0, (SIZE.0 * 2, SIZE.1 * 2));
    let mut buf = vec![0u8; (size.0 * size.1 * 3) as usize];
    let layout = {
        let root = Scaled::new(PngBackend::with_buffer(&mut buf, size), k).into_drawing_area();
        let l = draw_cells(&root, &h).unwrap();
        root.present().unwrap();
        l
    };
    let device = layout.scaled(k);
    let px = cell_pixels(&h, &device);
    assert_eq!(px.len(), device.width() * device.height() * 4);
    for row in 0..h.rows {
        for col in 0..h.cols {
            // The centre of the cell in device pixels.
            let x = (2 * col + 1) * device.width() / (2 * h.cols);
            let y = (2 * row + 1) * device.height() / (2 * h.rows);
            let i = (y * device.width() + x) * 4;
            let (dx, dy) = (device.left as usize + x, device.top as usize + y);
            let j = (dy * size.0 as usize + dx) * 3;
            assert_eq!(px[i..i + 3], buf[j..j + 3], "cell {row},{col}");
            let want = diverging_color(h.values[row * h.cols + col], 1.0);
            assert_eq!(px[i..i + 3], [want.0, want.1, want.2]);
        }
    }
}
