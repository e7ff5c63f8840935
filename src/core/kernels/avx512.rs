//! `a·bᵀ` in 512-bit AVX-512 registers (x86_64, chosen at run time) with the sums of
//! [`super::dot`]: one register holds the eight lane sums of two outputs (input rows `2p` and
//! `2p + 1` against one weight row), so each output still adds its eight lanes chunk by chunk,
//! then the reduction tree, then the tail, each multiply and add rounded on its own (never
//! fused): the bits equal the baseline and wasm builds'. For that, a tile of input rows is first
//! copied into pairs (`[row 2p chunk c | row 2p+1 chunk c]`, sixteen floats) and each weight
//! chunk is broadcast to both halves.

use super::LANES;
use std::arch::x86_64::*;

/// Input-row pairs per register block: 4 pairs × 4 weight rows are 16 accumulators.
const PAIRS: usize = 4;

/// Floats of the packed copy of a tile of input rows (32 KB on the stack: 32 rows of 256).
const PACKED: usize = 8192;

/// `y[m×n] (+)= a[m×k] · b[n×k]ᵀ` (`ACC`: add, else overwrite), each output in the order of
/// [`super::dot`].
///
/// # Safety
/// The CPU must support AVX-512F.
#[target_feature(enable = "avx512f")]
pub unsafe fn gemm_nt<const ACC: bool>(
    m: usize,
    n: usize,
    k: usize,
    a: &[f32],
    b: &[f32],
    y: &mut [f32],
) {
    assert!(a.len() == m * k && b.len() == n * k && y.len() == m * n);
    let chunks = k / LANES;
    // Rows per tile: as many as the packed copy on the stack holds (a step allocates nothing),
    // at most `TILE`, an even number.
    let tile = (PACKED / (chunks * LANES).max(1)).min(super::TILE) & !1;
    if m < 2 || tile < 2 {
        // No pair to fill a register with, or rows too long: the 256-bit kernel (the same bits).
        // SAFETY: AVX-512F implies AVX.
        return unsafe { super::avx::gemm_nt::<ACC>(m, n, k, a, b, y) };
    }
    let mut packed = [0.0f32; PACKED];
    for i0 in (0..m).step_by(tile) {
        let i1 = (i0 + tile).min(m);
        let pairs = pack_pairs(&a[i0 * k..i1 * k], k, &mut packed);
        let mut j = 0;
        while j + 4 <= n {
            let mut p = 0;
            while p + PAIRS <= pairs {
                block::<ACC, PAIRS>(p, i0, i1, j, n, k, &packed, a, b, y);
                p += PAIRS;
            }
            match pairs - p {
                1 => block::<ACC, 1>(p, i0, i1, j, n, k, &packed, a, b, y),
                2 => block::<ACC, 2>(p, i0, i1, j, n, k, &packed, a, b, y),
                3 => block::<ACC, 3>(p, i0, i1, j, n, k, &packed, a, b, y),
                _ => {}
            }
            j += 4;
        }
        for jj in j..n {
            for i in i0..i1 {
                let d = super::dot(&a[i * k..(i + 1) * k], &b[jj * k..(jj + 1) * k]);
                super::store::<ACC>(&mut y[i * n + jj], d);
            }
        }
    }
}

/// Copies the full chunks of the rows `tile` (`rows × k`) into pairs: `packed[(p·chunks + c)·16..]`
/// is chunk `c` of row `2p`, then of row `2p + 1` (of row `2p` again for an odd last row, whose
/// second half is never stored). Returns the number of pairs.
#[inline]
#[target_feature(enable = "avx512f")]
fn pack_pairs(tile: &[f32], k: usize, packed: &mut [f32]) -> usize {
    let (rows, chunks) = (tile.len() / k, k / LANES);
    let pairs = rows.div_ceil(2);
    for p in 0..pairs {
        let (r0, r1) = (2 * p, (2 * p + 1).min(rows - 1));
        for c in 0..chunks {
            let out = &mut packed[(p * chunks + c) * 2 * LANES..(p * chunks + c + 1) * 2 * LANES];
            out[..LANES].copy_from_slice(&tile[r0 * k + c * LANES..r0 * k + (c + 1) * LANES]);
            out[LANES..].copy_from_slice(&tile[r1 * k + c * LANES..r1 * k + (c + 1) * LANES]);
        }
    }
    pairs
}

/// `acc + x·w`, rounded twice like the portable kernels.
#[inline]
#[target_feature(enable = "avx512f")]
fn madd(acc: __m512, x: __m512, w: __m512) -> __m512 {
    _mm512_add_ps(acc, _mm512_mul_ps(x, w))
}

/// The reduction tree of [`super::hsum`] for the two rows of four accumulators (one per weight
/// row): lane `q` of the low half is row `2p`'s output `q`, of the high half row `2p + 1`'s.
#[inline]
#[target_feature(enable = "avx512f")]
fn hsum_pairs(acc: [__m512; 4]) -> __m256 {
    // Per register, 128-bit blocks [lo₀ hi₀ lo₁ hi₁] (lanes 0–3 and 4–7 of each row): lo + hi
    // gives a0+a4 … a3+a7 for both rows, of two registers at once.
    let half = |u: __m512, v: __m512| {
        let lo = _mm512_shuffle_f32x4(u, v, 0b10_00_10_00);
        let hi = _mm512_shuffle_f32x4(u, v, 0b11_01_11_01);
        let s = _mm512_add_ps(lo, hi); // [u row0, u row1, v row0, v row1]
        let high = _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(s), 1));
        _mm256_hadd_ps(_mm512_castps512_ps256(s), high)
    };
    // (a0+a4)+(a1+a5) and (a2+a6)+(a3+a7) of outputs 0, 1 (then 2, 3) per row; then their sum.
    _mm256_hadd_ps(half(acc[0], acc[1]), half(acc[2], acc[3]))
}

/// Outputs of the input rows of pairs `p0..p0 + P` (rows `i0 + 2·p0 ..`, below `i1`) and
/// weight rows `j..j + 4`.
#[inline]
#[target_feature(enable = "avx512f")]
#[allow(clippy::too_many_arguments)]
fn block<const ACC: bool, const P: usize>(
    p0: usize,
    i0: usize,
    i1: usize,
    j: usize,
    n: usize,
    k: usize,
    packed: &[f32],
    a: &[f32],
    b: &[f32],
    y: &mut [f32],
) {
    let chunks = k / LANES;
    let full = chunks * LANES;
    assert!((p0 + P) * chunks * 2 * LANES <= packed.len() && (j + 4) * k <= b.len());
    let (px, pw) = (
        packed[p0 * chunks * 2 * LANES..].as_ptr(),
        b[j * k..].as_ptr(),
    );
    let mut acc = [[_mm512_setzero_ps(); 4]; P];
    let mut x = [_mm512_setzero_ps(); P];
    for c in 0..chunks {
        // SAFETY: pairs `p0..p0 + P` of `packed` and rows `j..j + 4` of `b` are in bounds
        // (asserted above), and `c < chunks`.
        unsafe {
            for (p, xp) in x.iter_mut().enumerate() {
                *xp = _mm512_loadu_ps(px.add((p * chunks + c) * 2 * LANES));
            }
            for q in 0..4 {
                let w8 = _mm256_castps_pd(_mm256_loadu_ps(pw.add(q * k + c * LANES)));
                let wq = _mm512_castpd_ps(_mm512_broadcast_f64x4(w8));
                for (ap, xp) in acc.iter_mut().zip(&x) {
                    ap[q] = madd(ap[q], *xp, wq);
                }
            }
        }
    }
    for (p, ap) in acc.iter().enumerate() {
        let r0 = i0 + 2 * (p0 + p);
        let rows = (i1 - r0).min(2);
        let mut tails = [0.0f32; 2 * 4];
        for r in 0..rows {
            let row = &a[(r0 + r) * k..(r0 + r + 1) * k];
            for q in 0..4 {
                let w = &b[(j + q) * k..(j + q + 1) * k];
                for (xv, wv) in row[full..].iter().zip(&w[full..]) {
                    tails[r * 4 + q] += xv * wv;
                }
            }
        }
        // SAFETY: eight readable floats.
        let d = _mm256_add_ps(hsum_pairs(*ap), unsafe { _mm256_loadu_ps(tails.as_ptr()) });
        let mut out = [0.0f32; 2 * 4];
        // SAFETY: eight writable floats.
        unsafe { _mm256_storeu_ps(out.as_mut_ptr(), d) };
        for r in 0..rows {
            let row = &mut y[(r0 + r) * n + j..(r0 + r) * n + j + 4];
            for (o, v) in row.iter_mut().zip(&out[r * 4..r * 4 + 4]) {
                super::store::<ACC>(o, *v);
            }
        }
    }
}

/// Floats of an output row that a register block holds: four 512-bit registers.
const COLS: usize = 64;

/// `y[m×k] += a[m×n] · b[n×k]` (input gradients) with the sums of one axpy per weight row in
/// ascending `j`: a block of four output rows × 64 columns stays in sixteen registers while a
/// tile of weight rows is added to it, each load of a weight chunk feeding four rows.
///
/// # Safety
/// The CPU must support AVX-512F.
#[target_feature(enable = "avx512f")]
pub unsafe fn gemm_nn_acc(m: usize, n: usize, k: usize, a: &[f32], b: &[f32], y: &mut [f32]) {
    assert!(a.len() == m * n && b.len() == n * k && y.len() == m * k);
    for j0 in (0..n).step_by(super::TILE) {
        let j1 = (j0 + super::TILE).min(n);
        let mut i = 0;
        while i < m {
            let rows = (m - i).min(4);
            // Row r's coefficient of weight row j is a[(i + r)·n + j].
            let coef = |r: usize, j: usize| (i + r) * n + j;
            for c0 in (0..k).step_by(COLS) {
                let yrow = |r: usize| (i + r) * k + c0;
                if c0 + COLS <= k {
                    match rows {
                        4 => axpy_block::<4>(j0..j1, c0, k, &coef, &yrow, a, b, y),
                        3 => axpy_block::<3>(j0..j1, c0, k, &coef, &yrow, a, b, y),
                        2 => axpy_block::<2>(j0..j1, c0, k, &coef, &yrow, a, b, y),
                        _ => axpy_block::<1>(j0..j1, c0, k, &coef, &yrow, a, b, y),
                    }
                } else {
                    for r in 0..rows {
                        for j in j0..j1 {
                            let yr = &mut y[yrow(r)..yrow(r) + k - c0];
                            super::axpy(a[coef(r, j)], &b[j * k + c0..(j + 1) * k], yr);
                        }
                    }
                }
            }
            i += rows;
        }
    }
}

/// `y[n×k] += a[m×n]ᵀ · b[m×k]` (weight gradients) with the sums of one axpy per input row in
/// ascending `i`: a block of four output rows × 64 columns stays in sixteen registers while a
/// tile of input rows is added to it.
///
/// # Safety
/// The CPU must support AVX-512F.
#[target_feature(enable = "avx512f")]
pub unsafe fn gemm_tn_acc(m: usize, n: usize, k: usize, a: &[f32], b: &[f32], y: &mut [f32]) {
    assert!(a.len() == m * n && b.len() == m * k && y.len() == n * k);
    for i0 in (0..m).step_by(super::TILE) {
        let i1 = (i0 + super::TILE).min(m);
        let mut j = 0;
        while j < n {
            let rows = (n - j).min(4);
            // Output row j + r's coefficient of input row i is a[i·n + j + r].
            let coef = |r: usize, i: usize| i * n + j + r;
            for c0 in (0..k).step_by(COLS) {
                let yrow = |r: usize| (j + r) * k + c0;
                if c0 + COLS <= k {
                    match rows {
                        4 => axpy_block::<4>(i0..i1, c0, k, &coef, &yrow, a, b, y),
                        3 => axpy_block::<3>(i0..i1, c0, k, &coef, &yrow, a, b, y),
                        2 => axpy_block::<2>(i0..i1, c0, k, &coef, &yrow, a, b, y),
                        _ => axpy_block::<1>(i0..i1, c0, k, &coef, &yrow, a, b, y),
                    }
                } else {
                    for r in 0..rows {
                        for i in i0..i1 {
                            let yr = &mut y[yrow(r)..yrow(r) + k - c0];
                            super::axpy(a[coef(r, i)], &b[i * k + c0..(i + 1) * k], yr);
                        }
                    }
                }
            }
            j += rows;
        }
    }
}

/// For each term `t` of `terms` in order and each output row `r < R`:
/// `y[yrow(r)..+64] += a[coef(r, t)] · b[t·k + c0..+64]`, the 64 columns of the `R` rows in
/// registers throughout.
#[inline]
#[target_feature(enable = "avx512f")]
#[allow(clippy::too_many_arguments)]
fn axpy_block<const R: usize>(
    terms: std::ops::Range<usize>,
    c0: usize,
    k: usize,
    coef: &impl Fn(usize, usize) -> usize,
    yrow: &impl Fn(usize) -> usize,
    a: &[f32],
    b: &[f32],
    y: &mut [f32],
) {
    const V: usize = COLS / 16;
    assert!(terms.end * k <= b.len() && c0 + COLS <= k);
    for r in 0..R {
        assert!(yrow(r) + COLS <= y.len());
        assert!(coef(r, terms.start) < a.len() && coef(r, terms.end - 1) < a.len());
    }
    let mut acc = [[_mm512_setzero_ps(); V]; R];
    for (r, ar) in acc.iter_mut().enumerate() {
        for (v, av) in ar.iter_mut().enumerate() {
            // SAFETY: `yrow(r) + 64 <= y.len()` (asserted above).
            *av = unsafe { _mm512_loadu_ps(y.as_ptr().add(yrow(r) + 16 * v)) };
        }
    }
    let pb = b.as_ptr();
    for t in terms {
        let mut x = [_mm512_setzero_ps(); V];
        for (v, xv) in x.iter_mut().enumerate() {
            // SAFETY: `t·k + c0 + 64 <= terms.end·k <= b.len()`.
            *xv = unsafe { _mm512_loadu_ps(pb.add(t * k + c0 + 16 * v)) };
        }
        for (r, ar) in acc.iter_mut().enumerate() {
            let s = _mm512_set1_ps(a[coef(r, t)]);
            for (av, xv) in ar.iter_mut().zip(&x) {
                *av = _mm512_add_ps(*av, _mm512_mul_ps(s, *xv));
            }
        }
    }
    for (r, ar) in acc.iter().enumerate() {
        for (v, av) in ar.iter().enumerate() {
            // SAFETY: as for the loads.
            unsafe { _mm512_storeu_ps(y.as_mut_ptr().add(yrow(r) + 16 * v), *av) };
        }
    }
}
