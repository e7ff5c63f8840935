//! Data preparation shared by the charts: dropping non-finite points,
//! min/max decimation per pixel column, clipping polylines to the y-range.

/// Magnitudes beyond this are treated like infinities: no chart can show
/// them next to ordinary values, and ranges built on them would overflow.
pub const MAX_ABS: f64 = 1e100;

/// Whether `v` is a plottable number (finite and within [`MAX_ABS`]).
pub fn plottable(v: f64) -> bool {
    v.abs() <= MAX_ABS
}

/// The points whose coordinates are both plottable, in order.
pub fn finite(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    points
        .iter()
        .copied()
        .filter(|&(x, y)| plottable(x) && plottable(y))
        .collect()
}

/// Reduces `points` (finite, ideally sorted by x) to at most two per bucket,
/// with `buckets` equal-width buckets over `x_range`: the minimum and the
/// maximum of each bucket, in their original order, so spikes stay visible.
/// Returns the points unchanged when there are no more than `2 * buckets`.
pub fn decimate(points: &[(f64, f64)], x_range: (f64, f64), buckets: usize) -> Vec<(f64, f64)> {
    let buckets = buckets.max(1);
    if points.len() <= 2 * buckets {
        return points.to_vec();
    }
    let (x0, x1) = x_range;
    let scale = if x1 > x0 {
        buckets as f64 / (x1 - x0)
    } else {
        0.0
    };
    let bucket = |x: f64| (((x - x0) * scale) as usize).min(buckets - 1);
    let mut out = Vec::with_capacity(2 * buckets);
    if points.windows(2).all(|w| w[0].0 <= w[1].0) {
        // Sorted: one pass, flushing each bucket as it ends.
        let mut start = 0;
        while start < points.len() {
            let b = bucket(points[start].0);
            let mut end = start + 1;
            while end < points.len() && bucket(points[end].0) == b {
                end += 1;
            }
            push_extremes(&mut out, &points[start..end]);
            start = end;
        }
        return out;
    }
    let mut groups: Vec<Vec<(f64, f64)>> = vec![Vec::new(); buckets];
    for &p in points {
        groups[bucket(p.0)].push(p);
    }
    for g in &groups {
        push_extremes(&mut out, g);
    }
    out
}

/// Pushes the min and max (by y) of `run`, in their order within it.
fn push_extremes(out: &mut Vec<(f64, f64)>, run: &[(f64, f64)]) {
    let (mut lo, mut hi) = (0, 0);
    for (i, p) in run.iter().enumerate() {
        if p.1 < run[lo].1 {
            lo = i;
        }
        if p.1 > run[hi].1 {
            hi = i;
        }
    }
    if run.is_empty() {
        return;
    }
    out.push(run[lo.min(hi)]);
    if lo != hi {
        out.push(run[lo.max(hi)]);
    }
}

/// Drops points that land on the same pixel as the previous kept point
/// (`to_pixel` maps a point to the backend), keeping the last point.
pub fn dedupe_pixels(
    points: Vec<(f64, f64)>,
    to_pixel: impl Fn(&(f64, f64)) -> (i32, i32),
) -> Vec<(f64, f64)> {
    let n = points.len();
    let mut last = None;
    let mut out = Vec::with_capacity(n);
    for (i, p) in points.into_iter().enumerate() {
        let px = Some(to_pixel(&p));
        if px != last || i + 1 == n {
            out.push(p);
            last = px;
        }
    }
    out
}

/// Splits a polyline into the runs that lie within `lo..=hi` in y, cutting
/// each segment that leaves the band at the band's edge.
pub fn clip_runs(points: &[(f64, f64)], lo: f64, hi: f64) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    if let [only] = points {
        if (lo..=hi).contains(&only.1) {
            runs.push(vec![*only]);
        }
        return runs;
    }
    for w in points.windows(2) {
        let Some((a, b, cut_end)) = clip_segment(w[0], w[1], lo, hi) else {
            flush(&mut runs, &mut current);
            continue;
        };
        if current.last() != Some(&a) {
            flush(&mut runs, &mut current);
            current.push(a);
        }
        current.push(b);
        if cut_end {
            flush(&mut runs, &mut current);
        }
    }
    flush(&mut runs, &mut current);
    runs
}

fn flush(runs: &mut Vec<Vec<(f64, f64)>>, current: &mut Vec<(f64, f64)>) {
    if !current.is_empty() {
        runs.push(std::mem::take(current));
    }
}

type Point = (f64, f64);

/// Clips segment `p`–`q` to the band `lo <= y <= hi`. Returns the visible
/// part and whether its end was cut (so the run must stop there).
fn clip_segment(p: (f64, f64), q: (f64, f64), lo: f64, hi: f64) -> Option<(Point, Point, bool)> {
    let dy = q.1 - p.1;
    if dy == 0.0 {
        return (lo..=hi).contains(&p.1).then_some((p, q, false));
    }
    let (t_lo, t_hi) = ((lo - p.1) / dy, (hi - p.1) / dy);
    let (t0, t1) = (t_lo.min(t_hi).max(0.0), t_lo.max(t_hi).min(1.0));
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| (p.0 + (q.0 - p.0) * t, p.1 + dy * t);
    let a = if t0 > 0.0 { at(t0) } else { p };
    let b = if t1 < 1.0 { at(t1) } else { q };
    Some((a, b, t1 < 1.0))
}

/// Inputs longer than this are subsampled (evenly strided) by [`quantile`].
const QUANTILE_SAMPLE: usize = 4096;

/// The `q`-quantile (0..=1) of `values` by linear interpolation; `None` when
/// empty. Exact up to [`QUANTILE_SAMPLE`] values, estimated from an evenly
/// strided sample beyond (plenty for choosing an axis range). Linear time.
pub fn quantile(values: &[f64], q: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let stride = values.len().div_ceil(QUANTILE_SAMPLE);
    let mut v: Vec<f64> = values.iter().copied().step_by(stride).collect();
    let pos = q.clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let (i, frac) = (pos.floor() as usize, pos.fract());
    let (_, &mut at, above) = v.select_nth_unstable_by(i, f64::total_cmp);
    let next = above.iter().copied().fold(f64::INFINITY, f64::min);
    Some(if next.is_finite() {
        at + (next - at) * frac
    } else {
        at
    })
}

/// Min and max of an iterator of finite values.
pub fn min_max(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values.into_iter().fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

/// Widens a range that is empty or degenerate so a chart can be built on it.
pub fn padded(lo: f64, hi: f64, frac: f64) -> (f64, f64) {
    let span = hi - lo;
    if span > 0.0 && span.is_finite() {
        (lo - span * frac, hi + span * frac)
    } else {
        let pad = (lo.abs() * 0.1).max(0.5);
        (lo - pad, hi + pad)
    }
}
