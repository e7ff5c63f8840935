//! The window-wide products in 256-bit AVX registers (x86_64, chosen at run time), with the
//! lanes and sums of the portable kernels in [`super`]: every output adds the same products in
//! the same order, each multiply and add rounded on its own (never fused), so the bits equal
//! the baseline and wasm builds'. `wide::f32x8` picks its width when the crate is compiled, so
//! natively it stays at two 128-bit halves even inside an AVX function; hence the intrinsics.

use super::LANES;
use std::arch::x86_64::*;

/// `acc + x·w`, rounded twice like the portable kernels.
#[inline]
#[target_feature(enable = "avx")]
fn madd(acc: __m256, x: __m256, w: __m256) -> __m256 {
    _mm256_add_ps(acc, _mm256_mul_ps(x, w))
}

/// The reduction tree of [`super::hsum`] for four accumulators at once:
/// `((a0+a4)+(a1+a5)) + ((a2+a6)+(a3+a7))` for each.
#[inline]
#[target_feature(enable = "avx")]
fn hsum4(acc: [__m256; 4]) -> __m128 {
    let half = |v: __m256| _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    let ab = _mm_hadd_ps(half(acc[0]), half(acc[1]));
    let cd = _mm_hadd_ps(half(acc[2]), half(acc[3]));
    _mm_hadd_ps(ab, cd)
}

/// `y[m×n] (+)= a[m×k] · b[n×k]ᵀ` (`ACC`: add, else overwrite), each output in the order of
/// [`dot`]: eight lane sums, the reduction tree, then the tail.
///
/// # Safety
/// The CPU must support AVX.
#[target_feature(enable = "avx")]
pub unsafe fn gemm_nt<const ACC: bool>(
    m: usize,
    n: usize,
    k: usize,
    a: &[f32],
    b: &[f32],
    y: &mut [f32],
) {
    assert!(a.len() == m * k && b.len() == n * k && y.len() == m * n);
    // Inside a tile, two input rows and four weight rows make eight independent sums in
    // registers.
    super::nt_tiles::<ACC>(m, n, k, a, b, y, |rows, j, y| {
        let mut i = rows.start;
        while i + 2 <= rows.end {
            block::<ACC, 2>(i, j, k, a, b, y, n);
            i += 2;
        }
        if i < rows.end {
            block::<ACC, 1>(i, j, k, a, b, y, n);
        }
    });
}

/// Outputs `(i + r, j + q)` for `r < R`, `q < 4` of [`gemm_nt`].
#[inline]
#[target_feature(enable = "avx")]
#[allow(clippy::too_many_arguments)]
fn block<const ACC: bool, const R: usize>(
    i: usize,
    j: usize,
    k: usize,
    a: &[f32],
    b: &[f32],
    y: &mut [f32],
    n: usize,
) {
    let full = k / LANES * LANES;
    assert!((i + R) * k <= a.len() && (j + 4) * k <= b.len());
    let (pa, pb) = (a[i * k..].as_ptr(), b[j * k..].as_ptr());
    let mut acc = [[_mm256_setzero_ps(); 4]; R];
    let mut x = [_mm256_setzero_ps(); R];
    for c in (0..full).step_by(LANES) {
        // SAFETY: rows `i..i + R` of `a` and `j..j + 4` of `b` are in bounds (asserted above),
        // and `c + 8 <= full <= k`.
        unsafe {
            for (r, xr) in x.iter_mut().enumerate() {
                *xr = _mm256_loadu_ps(pa.add(r * k + c));
            }
            for q in 0..4 {
                let wq = _mm256_loadu_ps(pb.add(q * k + c));
                for (ar, xr) in acc.iter_mut().zip(&x) {
                    ar[q] = madd(ar[q], *xr, wq);
                }
            }
        }
    }
    for r in 0..R {
        let mut tails = [0.0f32; 4];
        let row = &a[(i + r) * k..(i + r + 1) * k];
        for (q, t) in tails.iter_mut().enumerate() {
            let w = &b[(j + q) * k..(j + q + 1) * k];
            for (xv, wv) in row[full..].iter().zip(&w[full..]) {
                *t += xv * wv;
            }
        }
        // SAFETY: four readable floats.
        let d = _mm_add_ps(hsum4(acc[r]), unsafe { _mm_loadu_ps(tails.as_ptr()) });
        let mut out = [0.0f32; 4];
        // SAFETY: four writable floats.
        unsafe { _mm_storeu_ps(out.as_mut_ptr(), d) };
        let row = &mut y[(i + r) * n + j..(i + r) * n + j + 4];
        for (o, v) in row.iter_mut().zip(out) {
            super::store::<ACC>(o, v);
        }
    }
}
