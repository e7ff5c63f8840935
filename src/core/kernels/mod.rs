//! Dense kernels on row-major `f32` slices.
//!
//! Hand-written instead of `ndarray::dot`/`matrixmultiply` for one reason: bit-identical results
//! natively and in wasm. `matrixmultiply` picks FMA/AVX kernels at run time on x86, which round
//! differently from the wasm build, so the same seed would give different loss curves. Every sum
//! here has a fixed order, the same on every target:
//! - dot products (forward): eight lanes, then a fixed reduction tree, then the tail. The lanes
//!   are spelled out with `wide::f32x8` (SSE natively, `simd128` in wasm), because LLVM's own
//!   vectoriser shuffled the four-row dot kernel into slow code;
//! - axpy-style products (backward): each output adds its terms in order, with chunks of
//!   outputs held in registers (plain arrays, which LLVM vectorises cleanly).
//!
//! The products over a whole window (`T·B` rows) are tiled so a tile of rows stays in L1; the
//! tiling never changes the order of a sum. Element-wise activations are in [`super::mathf`].

use wide::f32x8;

const LANES: usize = 8;

#[cfg(target_arch = "x86_64")]
mod avx;
#[cfg(target_arch = "x86_64")]
mod avx512;

/// Runs `$avx` in a copy compiled for AVX when the CPU has it (x86_64 natively), else `$base`
/// in the baseline build (SSE2 natively, `simd128` in wasm). Both keep the eight-lane structure
/// and LLVM never fuses a multiply and an add on its own, so both give the same bits.
macro_rules! dispatch {
    ($avx512:expr, $avx:expr, $base:expr, ($($arg:expr),*)) => {{
        #[cfg(target_arch = "x86_64")]
        {
            #[target_feature(enable = "avx512f")]
            unsafe fn avx512(m: usize, n: usize, k: usize, a: &[f32], b: &[f32], y: &mut [f32]) {
                ($avx512)(m, n, k, a, b, y)
            }
            #[target_feature(enable = "avx")]
            unsafe fn avx(m: usize, n: usize, k: usize, a: &[f32], b: &[f32], y: &mut [f32]) {
                ($avx)(m, n, k, a, b, y)
            }
            if has_avx512() {
                // SAFETY: `has` checked that this CPU supports AVX-512F.
                return unsafe { avx512($($arg),*) };
            }
            if has(&AVX, || std::arch::is_x86_feature_detected!("avx")) {
                // SAFETY: `has` checked that this CPU supports AVX.
                return unsafe { avx($($arg),*) };
            }
        }
        ($base)($($arg),*)
    }};
}

/// Whether this CPU has AVX-512F (detected once), for element-wise code that compiles a copy
/// for it (the same operations in the same order as the baseline, so the same bits).
#[cfg(target_arch = "x86_64")]
pub(crate) fn has_avx512() -> bool {
    has(&AVX512, || std::arch::is_x86_feature_detected!("avx512f"))
}

/// Whether the CPU has a feature, detected once: 0 unknown, 1 no, 2 yes.
#[cfg(target_arch = "x86_64")]
fn has(cache: &std::sync::atomic::AtomicU8, detect: impl Fn() -> bool) -> bool {
    use std::sync::atomic::Ordering;
    match cache.load(Ordering::Relaxed) {
        0 => {
            let yes = detect();
            cache.store(if yes { 2 } else { 1 }, Ordering::Relaxed);
            yes
        }
        v => v == 2,
    }
}

#[cfg(target_arch = "x86_64")]
static AVX: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);
#[cfg(target_arch = "x86_64")]
static AVX512: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// Eight lanes from `s[..8]`.
#[inline(always)]
fn v8(s: &[f32]) -> f32x8 {
    let a: &[f32; LANES] = s[..LANES].try_into().expect("eight lanes");
    f32x8::new(*a)
}

/// The fixed reduction tree of eight lanes.
#[inline(always)]
fn hsum(v: f32x8) -> f32 {
    let a = v.to_array();
    ((a[0] + a[4]) + (a[1] + a[5])) + ((a[2] + a[6]) + (a[3] + a[7]))
}

/// Dot product with a fixed summation order: eight lane sums, the reduction tree, the tail.
#[inline(always)]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    debug_assert_eq!(a.len(), b.len());
    let (ca, cb) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let mut tail = 0.0f32;
    for (x, y) in ca.remainder().iter().zip(cb.remainder()) {
        tail += x * y;
    }
    let mut acc = f32x8::ZERO;
    for (x, y) in ca.zip(cb) {
        acc += v8(x) * v8(y);
    }
    hsum(acc) + tail
}

/// `y += alpha * x`.
#[inline(always)]
pub fn axpy(alpha: f32, x: &[f32], y: &mut [f32]) {
    debug_assert_eq!(x.len(), y.len());
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += alpha * xi;
    }
}

/// `y[m×n] += a[m×k] · b[n×k]ᵀ` — inputs times a weight matrix stored as PyTorch does (`[out, in]`).
///
/// Four outputs are computed together so each load of an input row feeds four products; every
/// output keeps exactly the summation order of [`dot`], so results are bit-identical to it.
pub fn gemm_nt_acc(m: usize, n: usize, k: usize, a: &[f32], b: &[f32], y: &mut [f32]) {
    dispatch!(
        avx512::gemm_nt::<true>,
        avx::gemm_nt::<true>,
        gemm_nt_acc_impl,
        (m, n, k, a, b, y)
    )
}

/// `y[m×n] = a[m×k] · b[n×k]ᵀ`: [`gemm_nt_acc`] that overwrites `y` (no zeroing pass first).
pub fn gemm_nt(m: usize, n: usize, k: usize, a: &[f32], b: &[f32], y: &mut [f32]) {
    dispatch!(
        avx512::gemm_nt::<false>,
        avx::gemm_nt::<false>,
        gemm_nt_set_impl,
        (m, n, k, a, b, y)
    )
}

#[inline(always)]
fn gemm_nt_acc_impl(m: usize, n: usize, k: usize, a: &[f32], b: &[f32], y: &mut [f32]) {
    gemm_nt_impl::<true>(m, n, k, a, b, y)
}

#[inline(always)]
fn gemm_nt_set_impl(m: usize, n: usize, k: usize, a: &[f32], b: &[f32], y: &mut [f32]) {
    gemm_nt_impl::<false>(m, n, k, a, b, y)
}

#[inline(always)]
fn gemm_nt_impl<const ACC: bool>(
    m: usize,
    n: usize,
    k: usize,
    a: &[f32],
    b: &[f32],
    y: &mut [f32],
) {
    debug_assert!(a.len() == m * k && b.len() == n * k && y.len() == m * n);
    nt_tiles::<ACC>(m, n, k, a, b, y, |rows, j, y| {
        let w = [
            &b[j * k..(j + 1) * k],
            &b[(j + 1) * k..(j + 2) * k],
            &b[(j + 2) * k..(j + 3) * k],
            &b[(j + 3) * k..(j + 4) * k],
        ];
        for i in rows {
            let d = dot4(&a[i * k..(i + 1) * k], w);
            for (q, dq) in d.iter().enumerate() {
                store::<ACC>(&mut y[i * n + j + q], *dq);
            }
        }
    });
}

/// The tiling of the `a·bᵀ` products: a tile of input rows stays in L1 while the weight rows
/// pass by, four at a time (`four(rows, j, y)` computes outputs `rows × j..j+4`), then the
/// weight rows left over one by one. Every output is one dot product in the order of [`dot`],
/// so the tiling does not change any bits.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn nt_tiles<const ACC: bool>(
    m: usize,
    n: usize,
    k: usize,
    a: &[f32],
    b: &[f32],
    y: &mut [f32],
    mut four: impl FnMut(std::ops::Range<usize>, usize, &mut [f32]),
) {
    for i0 in (0..m).step_by(TILE) {
        let i1 = (i0 + TILE).min(m);
        let mut j = 0;
        while j + 4 <= n {
            four(i0..i1, j, y);
            j += 4;
        }
        for jj in j..n {
            for i in i0..i1 {
                let d = dot(&a[i * k..(i + 1) * k], &b[jj * k..(jj + 1) * k]);
                store::<ACC>(&mut y[i * n + jj], d);
            }
        }
    }
}

/// `y += d`, or `y = d` (which differs from `0 + d` only in giving −0 for d = −0).
#[inline(always)]
fn store<const ACC: bool>(y: &mut f32, d: f32) {
    if ACC {
        *y += d;
    } else {
        *y = d;
    }
}

/// Rows per cache tile of the products over a whole window (`T·B` rows): 32 rows of 128
/// floats are 16 KB, half an L1 cache.
const TILE: usize = 32;

/// Four dot products of `x` with the rows `w`, each in the order of [`dot`].
#[inline(always)]
fn dot4(x: &[f32], w: [&[f32]; 4]) -> [f32; 4] {
    let full = x.len() / LANES * LANES;
    let mut acc = [f32x8::ZERO; 4];
    for i in (0..full).step_by(LANES) {
        let xs = v8(&x[i..]);
        for (a, wq) in acc.iter_mut().zip(&w) {
            *a += xs * v8(&wq[i..]);
        }
    }
    let mut out = [0.0f32; 4];
    for ((o, a), wq) in out.iter_mut().zip(acc).zip(&w) {
        let mut tail = 0.0f32;
        for (xv, wv) in x[full..].iter().zip(&wq[full..]) {
            tail += xv * wv;
        }
        *o = hsum(a) + tail;
    }
    out
}

/// `y[n×k] += a[m×n]ᵀ · b[m×k]` — weight gradients: `dW += dzᵀ · x`.
pub fn gemm_tn_acc(m: usize, n: usize, k: usize, a: &[f32], b: &[f32], y: &mut [f32]) {
    dispatch!(
        avx512::gemm_tn_acc,
        gemm_tn_acc_impl::<WIDE>,
        gemm_tn_acc_impl::<CHUNK>,
        (m, n, k, a, b, y)
    )
}

#[inline(always)]
fn gemm_tn_acc_impl<const CH: usize>(
    m: usize,
    n: usize,
    k: usize,
    a: &[f32],
    b: &[f32],
    y: &mut [f32],
) {
    debug_assert!(a.len() == m * n && b.len() == m * k && y.len() == n * k);
    // A chunk of each output row stays in registers while a tile of rows is added to it; the
    // tiles go in order, so every output still sums its terms in row order (the same order as
    // one axpy per row) while the tile's rows stay in L1.
    for i0 in (0..m).step_by(TILE) {
        let i1 = (i0 + TILE).min(m);
        for j in 0..n {
            let yj = &mut y[j * k..(j + 1) * k];
            for c0 in (0..k).step_by(CH) {
                let c1 = (c0 + CH).min(k);
                accumulate::<CH, _>(
                    &mut yj[c0..c1],
                    (i0..i1).map(|i| (a[i * n + j], &b[i * k + c0..i * k + c1])),
                );
            }
        }
    }
}

/// `y[m×k] += a[m×n] · b[n×k]` — input gradients: `dx += dz · W`.
pub fn gemm_nn_acc(m: usize, n: usize, k: usize, a: &[f32], b: &[f32], y: &mut [f32]) {
    dispatch!(
        avx512::gemm_nn_acc,
        gemm_nn_acc_impl::<WIDE>,
        gemm_nn_acc_impl::<CHUNK>,
        (m, n, k, a, b, y)
    )
}

#[inline(always)]
fn gemm_nn_acc_impl<const CH: usize>(
    m: usize,
    n: usize,
    k: usize,
    a: &[f32],
    b: &[f32],
    y: &mut [f32],
) {
    debug_assert!(a.len() == m * n && b.len() == n * k && y.len() == m * k);
    // A chunk of each output row stays in registers while a tile of weight rows is added to
    // it; the tiles go in ascending j (the same order as one axpy per weight row) and each
    // stays in L1 while every output row passes by.
    for j0 in (0..n).step_by(TILE) {
        let j1 = (j0 + TILE).min(n);
        for i in 0..m {
            let yi = &mut y[i * k..(i + 1) * k];
            for c0 in (0..k).step_by(CH) {
                let c1 = (c0 + CH).min(k);
                accumulate::<CH, _>(
                    &mut yi[c0..c1],
                    (j0..j1).map(|j| (a[i * n + j], &b[j * k + c0..j * k + c1])),
                );
            }
        }
    }
}

/// Width of the register-resident output chunk of the axpy-style products: four 128-bit
/// registers in the baseline and wasm builds, eight 256-bit ones in the AVX copy (eight
/// independent sums hide the latency of an add; the AVX-512 copy blocks four output rows
/// instead, [`avx512`]). Each output still adds its terms in the same order, so the width never
/// changes a bit.
const CHUNK: usize = 32;
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
const WIDE: usize = 64;

/// `y += Σ alpha·x` over the terms in order, with `y` (at most [`CHUNK`] long) held in registers.
///
/// Plain arrays here rather than `f32x8`: LLVM vectorises these lane-wise loops cleanly, and
/// the AVX copy of the kernels then gets 256-bit registers (`wide` picks its width when the
/// crate is compiled, so inside the AVX copy it would stay at two 128-bit halves).
#[inline(always)]
fn accumulate<'a, const CH: usize, I: Iterator<Item = (f32, &'a [f32])>>(y: &mut [f32], terms: I) {
    if y.len() == CH {
        let mut acc = [0.0f32; CH];
        acc.copy_from_slice(y);
        for (alpha, x) in terms {
            let x: &[f32; CH] = x.try_into().expect("chunk length");
            for l in 0..CH {
                acc[l] += alpha * x[l];
            }
        }
        y.copy_from_slice(&acc);
    } else {
        for (alpha, x) in terms {
            axpy(alpha, x, y);
        }
    }
}

/// `out[c×r] = a[r×c]ᵀ`, in 16×16 blocks (each block's rows and columns stay in L1).
pub fn transpose_into(r: usize, c: usize, a: &[f32], out: &mut [f32]) {
    const B: usize = 16;
    assert!(a.len() == r * c && out.len() == r * c);
    for i0 in (0..r).step_by(B) {
        for j0 in (0..c).step_by(B) {
            for i in i0..(i0 + B).min(r) {
                for j in j0..(j0 + B).min(c) {
                    out[j * r + i] = a[i * c + j];
                }
            }
        }
    }
}

/// Runs the element-wise `$body` (an expression of `$arg`s) in a copy compiled for AVX-512
/// when the CPU has it, else in the baseline build: the same operations in the same order, so
/// the same bits, at up to sixteen lanes.
macro_rules! widest {
    (($($arg:ident: $ty:ty),*) $body:expr) => {{
        #[cfg(target_arch = "x86_64")]
        {
            #[target_feature(enable = "avx512f")]
            unsafe fn avx512($($arg: $ty),*) {
                $body
            }
            if has_avx512() {
                // SAFETY: `has_avx512` checked that this CPU supports AVX-512F.
                return unsafe { avx512($($arg),*) };
            }
        }
        $body
    }};
}

/// Adds a bias row to every row of `y[m×n]`.
pub fn add_bias(y: &mut [f32], bias: &[f32]) {
    widest!((y: &mut [f32], bias: &[f32]) {
        for row in y.chunks_exact_mut(bias.len()) {
            for (v, b) in row.iter_mut().zip(bias) {
                *v += b;
            }
        }
    })
}

/// `acc[n] += Σ_rows a[m×n]` (bias gradients).
pub fn sum_rows_acc(a: &[f32], acc: &mut [f32]) {
    widest!((a: &[f32], acc: &mut [f32]) {
        for row in a.chunks_exact(acc.len()) {
            for (s, v) in acc.iter_mut().zip(row) {
                *s += v;
            }
        }
    })
}

/// Euclidean norm, accumulated in f64.
pub fn norm(a: &[f32]) -> f64 {
    sum_sq(a).sqrt()
}

/// Sum of squares, accumulated in f64 in a fixed order: four lane sums, `(0+2)+(1+3)`, the tail.
pub fn sum_sq(a: &[f32]) -> f64 {
    let c = a.chunks_exact(4);
    let mut tail = 0.0f64;
    for &v in c.remainder() {
        tail += (v as f64) * (v as f64);
    }
    let mut acc = [0.0f64; 4];
    for x in c {
        for l in 0..4 {
            acc[l] += (x[l] as f64) * (x[l] as f64);
        }
    }
    ((acc[0] + acc[2]) + (acc[1] + acc[3])) + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(m: usize, n: usize, k: usize, a: &[f32], b: &[f32]) -> Vec<f64> {
        // y = a[m×k] · b[k×n] in f64
        let mut y = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                for l in 0..k {
                    y[i * n + j] += a[i * k + l] as f64 * b[l * n + j] as f64;
                }
            }
        }
        y
    }

    fn transpose(r: usize, c: usize, a: &[f32]) -> Vec<f32> {
        let mut t = vec![0.0; r * c];
        transpose_into(r, c, a, &mut t);
        t
    }

    fn data(len: usize, seed: u64) -> Vec<f32> {
        let mut rng = crate::core::rng::Rng::new(seed);
        (0..len).map(|_| rng.uniform_in(-1.0, 1.0)).collect()
    }

    fn close(a: &[f32], b: &[f64]) {
        for (x, y) in a.iter().zip(b) {
            assert!((*x as f64 - y).abs() < 1e-4, "{x} vs {y}");
        }
    }

    #[test]
    fn kernels_match_naive_products() {
        for &(m, n, k) in &[(1, 1, 1), (3, 5, 7), (2, 17, 9), (4, 8, 33)] {
            let a = data(m * k, 1);
            let bt = data(n * k, 2); // [n×k]
            let mut y = vec![0.0; m * n];
            gemm_nt_acc(m, n, k, &a, &bt, &mut y);
            close(&y, &naive(m, n, k, &a, &transpose(n, k, &bt)));

            let at = data(m * n, 3); // a[m×n], want aᵀ·b with b[m×k]
            let b = data(m * k, 4);
            let mut y = vec![0.0; n * k];
            gemm_tn_acc(m, n, k, &at, &b, &mut y);
            close(&y, &naive(n, k, m, &transpose(m, n, &at), &b));

            let b2 = data(n * k, 5);
            let mut y = vec![0.0; m * k];
            gemm_nn_acc(m, n, k, &at, &b2, &mut y);
            close(&y, &naive(m, k, n, &at, &b2));
        }
    }

    #[test]
    fn blocked_product_is_bit_identical_to_dot() {
        for &(m, n, k) in &[
            (1, 7, 13),
            (2, 9, 128),
            (3, 4, 8),
            (1, 512, 193),
            (5, 13, 37),
            (40, 6, 64),
            (71, 9, 130),
            (14, 8, 5),
            (40, 6, 600),
            (3, 5, 5000),
        ] {
            let a = data(m * k, 6);
            let b = data(n * k, 7);
            let mut y = vec![0.0; m * n];
            gemm_nt_acc(m, n, k, &a, &b, &mut y);
            for i in 0..m {
                for j in 0..n {
                    assert_eq!(
                        y[i * n + j].to_bits(),
                        dot(&a[i * k..(i + 1) * k], &b[j * k..(j + 1) * k]).to_bits()
                    );
                }
            }
        }
    }

    #[test]
    fn overwriting_product_ignores_old_values() {
        for &(m, n, k) in &[(1, 7, 13), (40, 9, 128), (33, 65, 8)] {
            let (a, b) = (data(m * k, 13), data(n * k, 14));
            let mut want = vec![0.0; m * n];
            gemm_nt_acc(m, n, k, &a, &b, &mut want);
            let mut y = data(m * n, 15); // stale values
            gemm_nt(m, n, k, &a, &b, &mut y);
            assert!(y.iter().zip(&want).all(|(p, q)| p.to_bits() == q.to_bits()));
        }
    }

    #[test]
    fn chunked_products_are_bit_identical_to_plain_axpys() {
        for &(m, n, k) in &[
            (1, 512, 128),
            (3, 5, 70),
            (32, 9, 33),
            (2, 3, 31),
            (3, 7, 150),
            (40, 5, 64),
            (37, 70, 129),
        ] {
            let a = data(m * n, 8);
            let b = data(m * k, 9);
            let mut y = data(n * k, 10);
            let mut want = y.clone();
            gemm_tn_acc(m, n, k, &a, &b, &mut y);
            for i in 0..m {
                for j in 0..n {
                    axpy(
                        a[i * n + j],
                        &b[i * k..(i + 1) * k],
                        &mut want[j * k..(j + 1) * k],
                    );
                }
            }
            assert!(y.iter().zip(&want).all(|(p, q)| p.to_bits() == q.to_bits()));
            let w = data(n * k, 11);
            let mut y = data(m * k, 12);
            let mut want = y.clone();
            gemm_nn_acc(m, n, k, &a, &w, &mut y);
            for i in 0..m {
                for j in 0..n {
                    axpy(
                        a[i * n + j],
                        &w[j * k..(j + 1) * k],
                        &mut want[i * k..(i + 1) * k],
                    );
                }
            }
            assert!(y.iter().zip(&want).all(|(p, q)| p.to_bits() == q.to_bits()));
        }
    }

    #[test]
    fn dot_is_exact_on_integers_and_handles_tails() {
        let a: Vec<f32> = (0..21).map(|i| i as f32).collect();
        let b: Vec<f32> = (0..21).map(|i| (i % 3) as f32).collect();
        let want: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert_eq!(dot(&a, &b), want);
    }
}
