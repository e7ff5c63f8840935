//! The backend the pages draw through, `Scaled<Either<canvas, SVG>>`: what a page downloads as
//! SVG is, byte for byte, what the renderer draws on an SVG backend, for every kind of chart,
//! and the other side draws what the inner backend alone draws.

use super::frac::frac_chart;
use super::*;
use plotters::coord::Shift;

/// The page's drawing area with an RGB buffer standing in for the canvas.
type Page<'a> = DrawingArea<Scaled<Either<PngBackend<'a>, SVGBackend<'a>>>, Shift>;

/// `draw` into an SVG as the page does: through the page's backend type (the SVG side, at scale
/// 1), text at the canvas's size.
fn page_svg(draw: impl FnOnce(&Page<'_>)) -> String {
    let mut out = String::new();
    {
        let root = Scaled::new(Either::Right(SVGBackend::with_string(&mut out, SIZE)), 1.0)
            .with_text(SVG_TEXT)
            .into_drawing_area();
        draw(&root);
        root.present().unwrap();
    }
    out
}

/// `draw` into RGB pixels through the page's backend type (the canvas side, at `scale`).
fn page_pixels(scale: f64, draw: impl FnOnce(&Page<'_>)) -> Vec<u8> {
    let size = (
        (f64::from(SIZE.0) * scale) as u32,
        (f64::from(SIZE.1) * scale) as u32,
    );
    let mut buf = vec![0u8; (size.0 * size.1 * 3) as usize];
    {
        let inner = PngBackend::with_buffer(&mut buf, size);
        let root = Scaled::new(Either::Left(inner), scale).into_drawing_area();
        assert_eq!(root.dim_in_pixel(), SIZE);
        draw(&root);
        root.present().unwrap();
    }
    buf
}

/// The same drawing straight on the bitmap backend.
fn direct_pixels(draw: impl FnOnce(&DrawingArea<PngBackend<'_>, Shift>)) -> Vec<u8> {
    let mut buf = vec![0u8; (SIZE.0 * SIZE.1 * 3) as usize];
    {
        let root = PngBackend::with_buffer(&mut buf, SIZE).into_drawing_area();
        draw(&root);
        root.present().unwrap();
    }
    buf
}

/// `svg` with every `font-size` blanked, and the font sizes.
fn without_font_sizes(svg: &str) -> (String, Vec<f64>) {
    let mut sizes = Vec::new();
    let mut out = String::new();
    let mut rest = svg;
    while let Some(i) = rest.find("font-size=\"") {
        let (head, tail) = rest.split_at(i + 11);
        let end = tail.find('"').unwrap();
        sizes.push(tail[..end].parse().unwrap());
        out.push_str(head);
        rest = &tail[end..];
    }
    out.push_str(rest);
    (out, sizes)
}

/// Every kind of chart the pages show drawn both ways: the same SVG document but for the text's
/// size, which is the chart's own pixel size (as on the canvas), and it holds
/// `expect` (labels, legend entries) and `tag` elements (the series, the cells).
macro_rules! same_svg {
    ($draw:expr, $chart:expr, $tag:literal >= $n:expr, [$($expect:literal),+]) => {{
        let chart = $chart;
        let direct = svg_of(|a| {
            $draw(a, &chart).unwrap();
        });
        let page = page_svg(|a| {
            $draw(a, &chart).unwrap();
        });
        let ((page_doc, sizes), (direct_doc, _)) =
            (without_font_sizes(&page), without_font_sizes(&direct));
        assert_eq!(page_doc, direct_doc);
        for px in sizes {
            let whole = (px - px.round()).abs() < 1e-9;
            assert!(whole && (11.0..=15.0).contains(&px.round()), "font-size {px}");
        }
        assert!(tags(&page, $tag).len() >= $n, "{} <{}> expected", $n, $tag);
        for e in [$($expect),+] {
            assert!(page.contains(e), "missing {e:?}");
        }
        page
    }};
}

#[test]
fn the_svg_of_every_chart_kind_is_the_renderer_s() {
    same_svg!(
        draw_loss_chart,
        loss::loss_chart(400),
        "polyline" >= 4,
        [
            "loss (nats/char)",
            "train (smoothed)",
            "validation",
            "uniform ln V = 4.17"
        ]
    );
    same_svg!(
        draw_frac_chart,
        frac_chart(80),
        "polyline" >= 3,
        ["training step", "accuracy", "LSTM", "chance", "100%"]
    );
    let log = LineChart {
        series: vec![Series {
            name: "layer 1".into(),
            points: (0..30).map(|k| (k as f64, 0.8f64.powi(k))).collect(),
            color: None,
        }],
        x_label: "lag T − t".into(),
        y_label: "‖∂L_T/∂h_t‖".into(),
        log_y: true,
        ..LineChart::default()
    };
    same_svg!(
        draw_line_chart,
        log,
        "polyline" >= 1,
        ["lag T − t", "layer 1"]
    );
    let walk = Trajectory {
        points: (0..50)
            .map(|i| ((i as f64).cos(), (i as f64).sin()))
            .collect(),
        group: (0..50).map(|i| i % 2).collect(),
        groups: vec!["letter".into(), "space".into()],
        highlight: Some(3),
        x_label: "PC1 (61%)".into(),
        y_label: "PC2 (22%)".into(),
        ..Trajectory::default()
    };
    same_svg!(
        draw_trajectory,
        walk,
        "circle" >= 50,
        ["PC1 (61%)", "space"]
    );
    let h = heatmap(8, 12);
    let svg = same_svg!(draw_cells, h.clone(), "rect" >= 96, ["hidden state"]);
    let (_, layout) = svg_with(|a| draw_cells(a, &h).unwrap());
    assert_eq!(
        rects_in(&svg, &layout.rect()).len(),
        8 * 12,
        "one rect per cell"
    );
    same_svg!(
        draw_cells,
        profile::profile(20, 10),
        "rect" >= 200,
        ["training step", "lag T − t"]
    );
}

#[test]
fn the_canvas_side_draws_what_the_backend_alone_draws() {
    let chart = loss::loss_chart(300);
    let page = page_pixels(1.0, |a| draw_loss_chart(a, &chart).unwrap());
    let direct = direct_pixels(|a| draw_loss_chart(a, &chart).unwrap());
    assert!(page == direct, "the canvas side changed the drawing");
    // At a device pixel ratio it still draws (sharper), the charts laid out at the CSS size.
    let sharp = page_pixels(2.0, |a| draw_loss_chart(a, &chart).unwrap());
    assert!(sharp.iter().any(|&b| b < 100));
}
