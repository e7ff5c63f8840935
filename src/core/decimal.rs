//! Reading a decimal number (a setting, a model file's metadata) as the nearest `f32`, the same
//! value `str::parse::<f32>` gives, for the same inputs.
//!
//! Written here rather than calling the standard library's parser for the wasm's size: that
//! parser carries a 10 KB table of 128-bit powers of five (the Eisel–Lemire fast path), about
//! 10 KB of the gzipped wasm, for the few numbers a page ever reads. This one guesses the nearest
//! `f32` in `f64` arithmetic and then settles it exactly, comparing the decimal with the
//! midpoints to its neighbours as small big integers: slower, and exact.

use std::cmp::Ordering;

/// Significant digits kept. A midpoint between two `f32`s has at most 112 significant digits,
/// so the first 113 and whether any later digit is non-zero decide the rounding.
const KEEP: usize = 120;

/// `s` as the nearest `f32` (ties to even), or `None` when it is not a number. Accepts what
/// `str::parse::<f32>` accepts: an optional sign, digits with an optional point, an optional
/// exponent (`e` or `E`), or `inf`, `infinity` or `nan` in any case.
pub fn parse_f32(s: &str) -> Option<f32> {
    let (negative, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let is = |word: &str| rest.eq_ignore_ascii_case(word);
    let v = if is("inf") || is("infinity") {
        f32::INFINITY
    } else if is("nan") {
        f32::NAN
    } else {
        Decimal::parse(rest.as_bytes())?.nearest_f32()
    };
    Some(if negative { -v } else { v })
}

/// A decimal `digits × 10^exp`, plus whether non-zero digits past the kept ones were dropped.
struct Decimal {
    /// Significant digits (0–9), without leading zeros; empty for zero.
    digits: Vec<u8>,
    exp: i64,
    sticky: bool,
}

impl Decimal {
    /// `digits[.digits][(e|E)[sign]digits]`, with at least one digit before the exponent.
    fn parse(s: &[u8]) -> Option<Decimal> {
        let mut d = Decimal {
            digits: Vec::new(),
            exp: 0,
            sticky: false,
        };
        let (mut i, mut seen, mut point) = (0, false, false);
        while i < s.len() {
            match s[i] {
                b'.' if !point => point = true,
                c @ b'0'..=b'9' => {
                    seen = true;
                    d.push(c - b'0', point);
                }
                _ => break,
            }
            i += 1;
        }
        if !seen {
            return None;
        }
        if i < s.len() {
            if !matches!(s[i], b'e' | b'E') {
                return None;
            }
            d.exp += exponent(&s[i + 1..])?;
        }
        Some(d)
    }

    /// One more digit, `after_point` or not.
    fn push(&mut self, digit: u8, after_point: bool) {
        if after_point {
            self.exp -= 1;
        }
        if self.digits.is_empty() && digit == 0 {
            return;
        }
        if self.digits.len() < KEEP {
            self.digits.push(digit);
        } else {
            self.exp += 1;
            self.sticky |= digit != 0;
        }
    }

    /// The nearest `f32`, ties to even.
    fn nearest_f32(&self) -> f32 {
        if self.digits.is_empty() {
            return 0.0;
        }
        // The value is below 10^magnitude and at least a tenth of that.
        let magnitude = self.digits.len() as i64 + self.exp;
        if magnitude > 40 {
            return f32::INFINITY;
        }
        if magnitude < -45 {
            return 0.0; // below 1e-46, less than half the least f32 (2^-150 ≈ 7e-46)
        }
        let mut c = self.guess();
        // The guess is within an ulp or two; each pass moves one step towards the value.
        loop {
            let up = next(c);
            match self.cmp_midpoint(c, up) {
                Ordering::Greater => c = up,
                Ordering::Equal => return even(c, up),
                Ordering::Less if c == 0.0 => return c,
                Ordering::Less => {
                    let down = f32::from_bits(c.to_bits() - 1);
                    match self.cmp_midpoint(down, c) {
                        Ordering::Less => c = down,
                        Ordering::Equal => return even(down, c),
                        Ordering::Greater => return c,
                    }
                }
            }
            if c.is_infinite() {
                return c;
            }
        }
    }

    /// The value to about 15 digits, as a finite `f32` near it.
    fn guess(&self) -> f32 {
        let lead = &self.digits[..self.digits.len().min(17)];
        let m = lead.iter().fold(0u64, |m, &d| m * 10 + u64::from(d));
        let p = self.exp + (self.digits.len() - lead.len()) as i64;
        // 10^p in two factors, so that neither overflows nor underflows f64.
        let (a, b) = (p / 2, p - p / 2);
        let v = m as f64 * 10f64.powi(a as i32) * 10f64.powi(b as i32);
        (v as f32).min(f32::MAX)
    }

    /// The value against the midpoint of `lo` and the next `f32` `hi` (exact in `f64`).
    fn cmp_midpoint(&self, lo: f32, hi: f32) -> Ordering {
        let hi = if hi.is_infinite() {
            2f64.powi(128)
        } else {
            f64::from(hi)
        };
        let (mant, exp2) = decompose((f64::from(lo) + hi) / 2.0);
        let mut left = Big::from_digits(&self.digits);
        let mut right = Big::from_u64(mant);
        if self.exp >= 0 {
            left.mul_pow10(self.exp as u32);
        } else {
            right.mul_pow10(self.exp.unsigned_abs() as u32);
        }
        if exp2 >= 0 {
            right.shl(exp2 as u32);
        } else {
            left.shl(exp2.unsigned_abs());
        }
        match left.cmp(&right) {
            Ordering::Equal if self.sticky => Ordering::Greater,
            o => o,
        }
    }
}

/// The exponent after `e`: an optional sign and at least one digit (saturated far beyond any
/// `f32`).
fn exponent(s: &[u8]) -> Option<i64> {
    let (negative, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let e = digits
        .iter()
        .fold(0i64, |e, &d| (e * 10 + i64::from(d - b'0')).min(1 << 40));
    Some(if negative { -e } else { e })
}

/// The next `f32` above the non-negative `c` (infinity after the largest).
fn next(c: f32) -> f32 {
    f32::from_bits(c.to_bits() + 1)
}

/// Of two neighbours, the one with an even significand.
fn even(a: f32, b: f32) -> f32 {
    if a.to_bits().is_multiple_of(2) {
        a
    } else {
        b
    }
}

/// A positive normal `f64` as `mant × 2^exp2`, `mant` an integer.
fn decompose(x: f64) -> (u64, i32) {
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let mant = (bits & ((1 << 52) - 1)) | (1 << 52);
    (mant, exp - 1075)
}

/// A non-negative big integer, 32-bit limbs, least significant first.
#[derive(PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    fn from_u64(v: u64) -> Big {
        Big(vec![v as u32, (v >> 32) as u32])
    }

    fn from_digits(digits: &[u8]) -> Big {
        let mut b = Big(vec![0]);
        for &d in digits {
            b.mul_add(10, u32::from(d));
        }
        b
    }

    /// `self × m + a`.
    fn mul_add(&mut self, m: u32, a: u32) {
        let mut carry = u64::from(a);
        for limb in &mut self.0 {
            let v = u64::from(*limb) * u64::from(m) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    fn mul_pow10(&mut self, mut n: u32) {
        while n > 0 {
            let k = n.min(9);
            self.mul_add(10u32.pow(k), 0);
            n -= k;
        }
    }

    fn shl(&mut self, bits: u32) {
        let (limbs, bits) = ((bits / 32) as usize, bits % 32);
        if bits > 0 {
            self.mul_add(1 << bits, 0);
        }
        let mut shifted = vec![0; limbs];
        shifted.append(&mut self.0);
        self.0 = shifted;
    }

    fn cmp(&self, other: &Big) -> Ordering {
        let len = |b: &Big| b.0.iter().rposition(|&l| l != 0).map_or(0, |i| i + 1);
        let (a, b) = (len(self), len(other));
        a.cmp(&b)
            .then_with(|| self.0[..a].iter().rev().cmp(other.0[..b].iter().rev()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rng::Rng;

    fn same(s: &str) {
        let want = s.parse::<f32>().ok();
        let got = parse_f32(s);
        match (want, got) {
            (Some(w), Some(g)) if w.is_nan() => assert!(g.is_nan(), "{s:?}: {g}"),
            (Some(w), Some(g)) => {
                assert_eq!(w.to_bits(), g.to_bits(), "{s:?}: std {w:e}, got {g:e}")
            }
            (w, g) => assert_eq!(w.is_some(), g.is_some(), "{s:?}: std {w:?}, got {g:?}"),
        }
    }

    #[test]
    fn reads_what_std_reads_and_refuses_what_it_refuses() {
        let cases = [
            "0", "-0", "+0", "1", "0.001", "3e-4", "1E5", "1.", ".5", "+.5", "-.5e1", "1.e3",
            "00012.5000", "0.0000", "inf", "-Infinity", "NaN", "nan", "INF", "1e", "e5", ".",
            "", "-", "+", "1e+", "1e-", "1.2.3", "1e5.5", "1_000", " 1", "1 ", "0x10", "1f",
            "--1", "+-1", "infinit", "1e999999999999999999999", "1e-999999999999999999999",
            "340282356779733661637539395458142568447", "340282356779733661637539395458142568448",
            "3.4028235e38", "3.4028236e38", "1e39", "1e-45", "7e-46", "7.1e-46", "1.4e-45",
            "7.00649232162408535461864791644958065640130970938257885878534141944895541342930300743319094181060791015625e-46",
            "7.00649232162408535461864791644958065640130970938257885878534141944895541342930300743319094181060791015626e-46",
            "1.17549435e-38", "16777217", "16777219", "0.1", "0.2", "0.3",
        ];
        for s in cases {
            same(s);
        }
    }

    /// The midpoint between two neighbouring `f32`s, exactly, and one digit either side of it:
    /// the hardest inputs for rounding.
    #[test]
    fn rounds_midpoints_to_even_and_their_neighbours_to_the_nearest() {
        let mut rng = Rng::new(7);
        for i in 0..3000 {
            let bits = if i < 20 {
                i
            } else {
                rng.below(0x7f7f_ffff) as u32
            };
            let (a, b) = (f32::from_bits(bits), f32::from_bits(bits + 1));
            let mid = (f64::from(a) + f64::from(b)) / 2.0;
            // 120 significant digits show an f32 midpoint exactly.
            let exact = format!("{mid:.120e}");
            same(&exact);
            let (mant, exp) = exact.split_once('e').unwrap();
            let t = mant.trim_end_matches('0');
            same(&format!("{t}1e{exp}"));
            let last = t.len() - 1;
            let below = format!("{}{}e{exp}", &t[..last], char::from(t.as_bytes()[last] - 1));
            same(&format!("{below}999999999999999999"));
            same(&format!("{a}"));
            same(&format!("{a:e}"));
        }
    }

    #[test]
    fn reads_random_decimals_as_std_does() {
        let mut rng = Rng::new(11);
        for _ in 0..20_000 {
            let len = 1 + rng.below(25);
            let digits: String = (0..len)
                .map(|_| char::from(b'0' + rng.below(10) as u8))
                .collect();
            let point = rng.below(len + 1);
            let exp = rng.below(100) as i64 - 60;
            let s = format!("{}.{}e{exp}", &digits[..point], &digits[point..]);
            same(&s);
            same(&digits);
        }
    }
}
