//! What a unit tracks: features of the text ([`features`]) and the units whose activation follows
//! one most closely (Pearson r over every character).

pub mod features;

pub use features::Feature;

use super::inspect::Inspection;
use super::sample::top_indices;

/// How closely one unit follows a feature.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UnitScore {
    pub layer: usize,
    pub unit: usize,
    /// Pearson's r between the unit's h after each character and the feature there (0 when
    /// either does not vary).
    pub r: f64,
}

/// Running sums of one unit against the feature, each value shifted by its value at t = 0: the
/// shift leaves r unchanged, keeps the sums small (no cancellation between large squares) and
/// makes a constant unit's sums exactly zero.
#[derive(Clone, Copy, Debug, Default)]
struct Sums {
    x: f64,
    xx: f64,
    xy: f64,
}

/// The `top` units whose h follows `feature` (one value per character) most closely: Pearson r
/// over every character t between h of (layer, unit) after reading t and `feature[t]`, sorted by
/// |r| descending, ties by layer then unit. A unit or a feature that does not vary gets r = 0. Only
/// the first min(n, feature.len()) characters count (the two should be equally long). One pass
/// over the states with running sums in f64.
pub fn rank_units(inspection: &Inspection, feature: &[f32], top: usize) -> Vec<UnitScore> {
    let (hs, n) = (inspection.hidden, inspection.len().min(feature.len()));
    debug_assert_eq!(
        inspection.len(),
        feature.len(),
        "one feature value per character"
    );
    if n == 0 {
        return Vec::new();
    }
    let y0 = feature[0] as f64;
    let (mut sy, mut syy) = (0.0f64, 0.0f64);
    let mut sums = vec![Sums::default(); inspection.layers * hs];
    for (t, &y) in feature[..n].iter().enumerate() {
        let y = y as f64 - y0;
        sy += y;
        syy += y * y;
        for (h, s) in inspection.h.iter().zip(sums.chunks_exact_mut(hs)) {
            let (h0, ht) = (&h[..hs], &h[t * hs..(t + 1) * hs]);
            for ((s, &x), &x0) in s.iter_mut().zip(ht).zip(h0) {
                let x = x as f64 - x0 as f64;
                s.x += x;
                s.xx += x * x;
                s.xy += x * y;
            }
        }
    }
    let nf = n as f64;
    let var_y = nf * syy - sy * sy;
    let r: Vec<f64> = sums
        .iter()
        .map(|s| pearson(nf * s.xy - s.x * sy, nf * s.xx - s.x * s.x, var_y))
        .collect();
    // Unit k is unit k % hs of layer k / hs, so ties going to the lower index order them by
    // layer, then unit.
    top_indices(&r, top, |a, b| a.abs().total_cmp(&b.abs()))
        .into_iter()
        .map(|k| UnitScore {
            layer: k / hs,
            unit: k % hs,
            r: r[k],
        })
        .collect()
}

/// r = cov / √(var_x · var_y) from n-scaled sums; 0 without variance (or without a number).
fn pearson(cov: f64, var_x: f64, var_y: f64) -> f64 {
    if var_x <= 0.0 || var_y <= 0.0 {
        return 0.0;
    }
    let r = cov / (var_x.sqrt() * var_y.sqrt());
    if r.is_finite() {
        r.clamp(-1.0, 1.0)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An inspection of 2 layers × 2 units over four characters, with these states (`[l][t·2 + j]`).
    fn inspection(h: [[f32; 8]; 2]) -> Inspection {
        Inspection {
            ids: vec![0; 4],
            layers: 2,
            hidden: 2,
            h: h.iter().map(|l| l.to_vec()).collect(),
            c: vec![Vec::new(); 2],
            loss: vec![0.0; 3],
            top: vec![Vec::new(); 4],
        }
    }

    fn order(s: &[UnitScore]) -> Vec<(usize, usize)> {
        s.iter().map(|s| (s.layer, s.unit)).collect()
    }

    #[test]
    fn units_sort_by_size_of_r_then_layer_then_unit() {
        let f = [0.0, 1.0, 3.0, 2.0];
        // (0,0) = f; (0,1) constant; (1,0) = −2f + 1; (1,1) = a noisy f.
        let ins = inspection([
            [0.0, 7.0, 1.0, 7.0, 3.0, 7.0, 2.0, 7.0],
            [1.0, 0.0, -1.0, 2.0, -5.0, 2.0, -3.0, 3.0],
        ]);
        let s = rank_units(&ins, &f, 10);
        assert_eq!(order(&s), [(0, 0), (1, 0), (1, 1), (0, 1)]);
        assert!(
            (s[0].r - 1.0).abs() < 1e-12 && (s[1].r + 1.0).abs() < 1e-12,
            "{s:?}"
        );
        // (1,1) = [0, 2, 2, 3] against f = [0, 1, 3, 2]: cov 0.875, var 1.1875 and 1.25.
        let want = 0.875 / (1.1875f64 * 1.25).sqrt();
        assert!((s[2].r - want).abs() < 1e-12, "{s:?}");
        assert_eq!(s[3].r, 0.0, "a constant unit");
        assert_eq!(order(&rank_units(&ins, &f, 2)), [(0, 0), (1, 0)]);
    }

    #[test]
    fn a_constant_feature_gives_zeros_in_unit_order() {
        let ins = inspection([[0.1, 0.2, 0.3, 0.5, 0.7, 0.1, 0.2, 0.4]; 2]);
        let s = rank_units(&ins, &[0.3; 4], 10);
        assert_eq!(order(&s), [(0, 0), (0, 1), (1, 0), (1, 1)]);
        assert!(s.iter().all(|s| s.r == 0.0), "{s:?}");
    }

    #[test]
    fn a_unit_constant_in_f32_has_no_variance() {
        // 0.1 is not exact in binary: sums of its square and of itself still cancel exactly.
        let ins = inspection([[0.1, 0.0, 0.1, 1.0, 0.1, 2.0, 0.1, 3.0]; 2]);
        let s = rank_units(&ins, &[0.0, 1.0, 2.0, 3.5], 10);
        assert_eq!(order(&s), [(0, 1), (1, 1), (0, 0), (1, 0)]);
        assert_eq!((s[2].r, s[3].r), (0.0, 0.0));
    }
}
