//! Features of a text, one value per character, to hold a unit's activation against. Each value
//! describes the text *after reading* that character, as the unit's `h_t` does: an opening quote
//! or bracket already counts as inside, a closing one as outside.

use crate::core::error::{Error, Result};

crate::core::settings::choice! {
    /// A feature of the text, computed from its characters alone.
    pub enum Feature {
        /// Characters since the last newline; 0 at a newline (the text starts as if after one).
        LinePos = "line-pos",
        /// 1 inside "…" or '…' quotes (see [`in_quotes`] for apostrophes).
        InQuotes = "in-quotes",
        /// 1 inside (…), […] or {…}, at any depth.
        InBrackets = "in-brackets",
        /// Position within the current word (1 at its first character), 0 outside words.
        WordPos = "word-pos",
        /// 1 at a, e, i, o, u in either case (y is not counted).
        Vowel = "vowel",
        /// 1 at an upper-case letter.
        Upper = "upper",
        /// 1 at white space: spaces, tabs, newlines.
        Space = "space",
    }
}

impl Feature {
    /// The feature's value at every character of `text`.
    pub fn values(self, text: &str) -> Vec<f32> {
        match self {
            Feature::LinePos => line_pos(text),
            Feature::InQuotes => in_quotes(text),
            Feature::InBrackets => in_brackets(text),
            Feature::WordPos => word_pos(text),
            Feature::Vowel => flags(text, |c| "aeiouAEIOU".contains(c)),
            Feature::Upper => flags(text, char::is_uppercase),
            Feature::Space => flags(text, char::is_whitespace),
        }
    }
}

/// 1 where `test` holds, else 0.
fn flags(text: &str, test: impl Fn(char) -> bool) -> Vec<f32> {
    text.chars().map(|c| f32::from(u8::from(test(c)))).collect()
}

/// Characters since the last newline, 0 at a newline; the start of the text counts as a newline.
pub fn line_pos(text: &str) -> Vec<f32> {
    let mut pos = 0u32;
    text.chars()
        .map(|c| {
            pos = if c == '\n' { 0 } else { pos + 1 };
            pos as f32
        })
        .collect()
}

/// Whether `c` is part of a word: a letter or a digit.
fn wordy(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

/// Whether `c` is a single quote mark: `'`, `‘` or `’`.
fn single_quote(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}')
}

/// 1 inside "…" (or “…”) and '…' (or ‘…’) quotes, 0 outside; the two kinds nest freely.
///
/// A double quote `"` toggles. A single quote between two letters or digits is an apostrophe
/// (don't, o'clock) and changes nothing. Otherwise an open single-quoted span closes at a single
/// quote not followed by a letter or digit, and a single quote after a non-letter (or at the start)
/// and before a non-space opens one. A span of single quotes also ends at the end of its line, so
/// an apostrophe that opens a word ('tis, 'em) or ends one outside quotes (the dogs') colours at
/// most the rest of its line.
pub fn in_quotes(text: &str) -> Vec<f32> {
    let chars: Vec<char> = text.chars().collect();
    let (mut double, mut single) = (false, false);
    let mut out = Vec::with_capacity(chars.len());
    for (t, &c) in chars.iter().enumerate() {
        let prev = t.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(t + 1).copied();
        match c {
            '"' => double = !double,
            '\u{201C}' => double = true,
            '\u{201D}' => double = false,
            '\n' => single = false,
            c if single_quote(c) && wordy(prev) && wordy(next) => {} // an apostrophe
            c if single_quote(c) && single => single = wordy(next),
            c if single_quote(c) => {
                let opens = c != '\u{2019}' && !wordy(prev);
                single = opens && next.is_some_and(|n| !n.is_whitespace());
            }
            _ => {}
        }
        out.push(f32::from(u8::from(double || single)));
    }
    out
}

/// 1 inside (…), […] or {…}: one depth over the three kinds; a closing bracket outside every
/// bracket is ignored.
pub fn in_brackets(text: &str) -> Vec<f32> {
    let mut depth = 0usize;
    text.chars()
        .map(|c| {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            f32::from(u8::from(depth > 0))
        })
        .collect()
}

/// Position within the current word (1 at its first character), 0 outside words. A word is a
/// run of letters and digits, with an apostrophe between two of them inside it (don't is one
/// word of five characters).
pub fn word_pos(text: &str) -> Vec<f32> {
    let chars: Vec<char> = text.chars().collect();
    let mut pos = 0u32;
    let mut out = Vec::with_capacity(chars.len());
    for (t, &c) in chars.iter().enumerate() {
        let prev = t.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(t + 1).copied();
        let apostrophe = single_quote(c) && wordy(prev) && wordy(next);
        pos = if c.is_alphanumeric() || apostrophe {
            pos + 1
        } else {
            0
        };
        out.push(pos as f32);
    }
    out
}

/// 1 at the characters `from..to` of a text of `n` characters (a brushed selection), else 0.
pub fn span(n: usize, from: usize, to: usize) -> Vec<f32> {
    (0..n)
        .map(|t| f32::from(u8::from((from..to).contains(&t))))
        .collect()
}

/// 1 at every character inside a match of `pattern` (regex-lite syntax: Rust's regex without
/// Unicode classes), else 0; empty matches mark nothing. Native only: the page matches with
/// JavaScript's RegExp.
#[cfg(not(target_arch = "wasm32"))]
pub fn regex_matches(text: &str, pattern: &str) -> Result<Vec<f32>> {
    let re = regex_lite::Regex::new(pattern)
        .map_err(|e| Error::Data(format!("regex {pattern:?} is not a valid pattern: {e}")))?;
    // Byte offset of every character, to turn the matches' byte ranges into character ranges.
    let starts: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    let char_at = |byte: usize| starts.partition_point(|&s| s < byte);
    let mut out = vec![0.0; starts.len()];
    for m in re.find_iter(text) {
        out[char_at(m.start())..char_at(m.end())].fill(1.0);
    }
    Ok(out)
}

/// The feature called `name`: one of [`Feature::NAMES`], or (natively) `regex:PATTERN`.
pub fn named(text: &str, name: &str) -> Result<Vec<f32>> {
    #[cfg(not(target_arch = "wasm32"))]
    if let Some(pattern) = name.strip_prefix("regex:") {
        return regex_matches(text, pattern);
    }
    Feature::from_name(name)
        .map(|f| f.values(text))
        .ok_or_else(|| {
            Error::config(
                "feature",
                name,
                format!(
                    "expected one of {}, or regex:PATTERN",
                    Feature::NAMES.join(", ")
                ),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<f32> {
        s.chars().map(|c| c.to_digit(10).unwrap() as f32).collect()
    }

    #[test]
    fn line_pos_counts_from_each_newline() {
        assert_eq!(line_pos("ab\ncd\n\ne"), v("12012001"));
        assert_eq!(line_pos("\nx"), v("01"));
        assert!(line_pos("").is_empty());
    }

    #[test]
    fn quotes_open_and_close_but_apostrophes_do_not() {
        // The opening mark is inside, the closing one outside.
        assert_eq!(in_quotes(r#"a "bc" d"#), v("00111000"));
        assert_eq!(in_quotes("I don't 'go'."), v("0000000011100"));
        assert_eq!(in_quotes("'I don't know' x"), v("1111111111111000"));
        // Double quotes nest around single ones and span lines; single ones end with the line.
        assert_eq!(in_quotes("\"a 'b' c\"."), v("1111111100"));
        assert_eq!(in_quotes("\"a\nb\" 'c\nd"), v("1111001100"));
        // A leading apostrophe colours the rest of its line only; a trailing one nothing.
        assert_eq!(in_quotes("'tis\nx"), v("111100"));
        assert_eq!(in_quotes("dogs' x"), v("0000000"));
        // Typographic quotes; ’ between letters is an apostrophe.
        assert_eq!(in_quotes("“a” ‘b’ c’d"), v("11001100000"));
    }

    #[test]
    fn brackets_count_depth_over_every_kind() {
        assert_eq!(in_brackets("a(b[c]d)e"), v("011111100"));
        assert_eq!(in_brackets(")x{y}"), v("00110"));
    }

    #[test]
    fn word_pos_counts_letters_digits_and_inner_apostrophes() {
        assert_eq!(word_pos("don't go, x2"), v("123450120012"));
        assert_eq!(word_pos("'a' b"), v("01001"));
    }

    #[test]
    fn character_classes() {
        assert_eq!(Feature::Vowel.values("Apple y"), v("1000100"));
        assert_eq!(Feature::Upper.values("aB C1"), v("01010"));
        assert_eq!(Feature::Space.values("a b\n\tc"), v("010110"));
        assert_eq!(span(5, 1, 3), v("01100"));
        assert_eq!(span(3, 2, 9), v("001"));
    }

    #[test]
    fn regex_marks_matches_by_character() {
        // Multi-byte characters before and inside a match.
        assert_eq!(regex_matches("é ab abb", "ab+").unwrap(), v("00110111"));
        assert_eq!(regex_matches("ñandú", "d.").unwrap(), v("00011"));
        assert_eq!(regex_matches("abc", "x*").unwrap(), v("000"));
        let e = regex_matches("abc", "a(b").unwrap_err().to_string();
        assert!(e.contains("\"a(b\"") && e.contains("not a valid"), "{e}");
    }

    #[test]
    fn features_by_name() {
        assert_eq!(named("a(b)", "in-brackets").unwrap(), v("0110"));
        assert_eq!(named("abab", "regex:b").unwrap(), v("0101"));
        let e = named("ab", "colour").unwrap_err().to_string();
        assert!(e.contains("colour") && e.contains("line-pos"), "{e}");
    }
}
