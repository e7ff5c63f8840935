//! Reading a CSV text (RFC 4180: a header line, comma-separated fields, fields in double quotes
//! may hold commas, quotes written twice and line breaks; `\n` or `\r\n` line ends) and one
//! numeric column out of it.
//!
//! Hand-written rather than the `csv` crate, for the wasm's size: the page needs only this (a
//! header and the numbers of one column). Measured on two minimal wasm32 cdylibs that sum one
//! column (release, opt-level "s", LTO), the one reading with `csv::ReaderBuilder` was 9,543 B
//! gzipped (21,884 B raw) larger than the same function splitting lines at commas; this whole
//! module is about 5 KB raw in rnnlab's wasm. Numbers are read by
//! [`crate::core::decimal::parse_f32`] for the same reason.

use super::super::decimal::parse_f32;
use super::super::error::{Error, Result};

/// Largest CSV text accepted (bytes).
pub const MAX_CSV_BYTES: usize = 20 << 20;

/// A parsed CSV: the header's names and the records, each with the line it starts on.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    /// `(line, fields)`; line 1 is the header.
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Splits `text` into records of fields. Blank lines are skipped; an unclosed quote is an error
/// naming the line it opened on.
fn records(text: &str) -> Result<Vec<(usize, Vec<String>)>> {
    let mut out = Vec::new();
    let (mut line, mut start_line) = (1, 1);
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let (mut quoted, mut was_quoted) = (false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                _ => {
                    line += usize::from(c == '\n');
                    field.push(c);
                }
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !was_quoted => (quoted, was_quoted) = (true, true),
            ',' => {
                fields.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                end_record(&mut out, &mut fields, &mut field, start_line, was_quoted);
                was_quoted = false;
                line += 1;
                start_line = line;
            }
            _ => field.push(c),
        }
    }
    if quoted {
        return Err(Error::Data(format!(
            "CSV line {start_line}: a quoted field is never closed"
        )));
    }
    end_record(&mut out, &mut fields, &mut field, start_line, was_quoted);
    Ok(out)
}

/// Ends the record being read; a blank line (one empty unquoted field) is dropped.
fn end_record(
    out: &mut Vec<(usize, Vec<String>)>,
    fields: &mut Vec<String>,
    field: &mut String,
    line: usize,
    was_quoted: bool,
) {
    if fields.is_empty() && field.trim().is_empty() && !was_quoted {
        field.clear();
        return;
    }
    fields.push(std::mem::take(field));
    out.push((line, std::mem::take(fields)));
}

impl Table {
    /// Parses `text`: the first record is the header.
    pub fn parse(text: &str) -> Result<Table> {
        if text.len() > MAX_CSV_BYTES {
            return Err(Error::Data(format!(
                "the CSV is {} bytes; the limit is {MAX_CSV_BYTES}",
                text.len()
            )));
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut rows = records(text)?.into_iter();
        let Some((_, headers)) = rows.next() else {
            return Err(Error::Data(
                "the CSV is empty: it needs a header line and rows of numbers".into(),
            ));
        };
        let headers = headers.into_iter().map(|h| h.trim().to_string()).collect();
        Ok(Table {
            headers,
            rows: rows.collect(),
        })
    }

    /// The columns whose value in the first row is a finite number: the ones worth offering
    /// (a later missing or bad value is reported when the column is read).
    pub fn numeric_columns(&self) -> Vec<String> {
        let Some((_, first)) = self.rows.first() else {
            return Vec::new();
        };
        self.headers
            .iter()
            .zip(first)
            .filter(|(_, v)| number(v).is_some())
            .map(|(h, _)| h.clone())
            .collect()
    }

    /// The values of column `name`, every row a finite number; the error names the column and
    /// the row (and its line in the file).
    pub fn column(&self, name: &str) -> Result<Vec<f32>> {
        let k = self.headers.iter().position(|h| h == name).ok_or_else(|| {
            Error::Data(format!(
                "the CSV has no column {name:?}; its columns are {}",
                self.quoted_headers()
            ))
        })?;
        let mut out = Vec::with_capacity(self.rows.len());
        for (r, (line, fields)) in self.rows.iter().enumerate() {
            let at = || format!("column {name:?}, row {} (line {line})", r + 1);
            let v = fields.get(k).map_or("", |s| s.trim());
            if v.is_empty() {
                return Err(Error::Data(format!("{}: the value is missing", at())));
            }
            match number(v) {
                Some(x) => out.push(x),
                None => {
                    return Err(Error::Data(format!(
                        "{}: {v:?} is not a finite number",
                        at()
                    )))
                }
            }
        }
        match out.len() {
            0 => Err(Error::Data(format!(
                "column {name:?} has no rows: the CSV holds only its header"
            ))),
            1 => Err(Error::Data(format!(
                "column {name:?} has a single row: a series needs at least two values"
            ))),
            _ => Ok(out),
        }
    }

    /// `"a", "b", "c"`, or a note that there are none.
    fn quoted_headers(&self) -> String {
        if self.headers.iter().all(String::is_empty) {
            return "unnamed".into();
        }
        let names: Vec<String> = self.headers.iter().map(|h| format!("{h:?}")).collect();
        names.join(", ")
    }

    /// The column to read: `name`, or the first numeric one; an error when there is none.
    pub fn pick(&self, name: Option<&str>) -> Result<String> {
        if let Some(n) = name {
            return Ok(n.to_string());
        }
        self.numeric_columns().into_iter().next().ok_or_else(|| {
            Error::Data(format!(
                "the CSV has no numeric column: none of {} holds a number in its first row",
                self.quoted_headers()
            ))
        })
    }
}

/// A field as a finite number.
fn number(s: &str) -> Option<f32> {
    parse_f32(s.trim()).filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_commas_line_ends_and_blank_lines() {
        let t = Table::parse("\u{feff}a,\"b, c\"\r\n1,\"2\"\"\"\n\n\"x\ny\",3\n").unwrap();
        assert_eq!(t.headers, ["a", "b, c"]);
        assert_eq!(t.rows[0], (2, vec!["1".into(), "2\"".into()]));
        assert_eq!(t.rows[1], (4, vec!["x\ny".into(), "3".into()]));
        assert_eq!(t.numeric_columns(), ["a"]);
    }

    #[test]
    fn a_column_reads_and_bad_ones_name_row_and_column() {
        let t = Table::parse("d,v,w\nx,1.5,2\ny,-2,\nz,1e3,abc\n").unwrap();
        assert_eq!(t.numeric_columns(), ["v", "w"]);
        assert_eq!(t.column("v").unwrap(), [1.5, -2.0, 1000.0]);
        let e = t.column("w").unwrap_err().to_string();
        assert!(
            e.contains("\"w\"") && e.contains("row 2 (line 3)") && e.contains("missing"),
            "{e}"
        );
        let t = Table::parse("d,w\nx,2\ny,abc\n").unwrap();
        let e = t.column("w").unwrap_err().to_string();
        assert!(e.contains("row 2 (line 3)") && e.contains("\"abc\""), "{e}");
        let e = t.column("q").unwrap_err().to_string();
        assert!(e.contains("\"q\"") && e.contains("\"d\", \"w\""), "{e}");
    }

    #[test]
    fn no_numbers_one_row_and_unclosed_quotes_are_errors() {
        let t = Table::parse("name,place\nann,oslo\n").unwrap();
        let e = t.pick(None).unwrap_err().to_string();
        assert!(
            e.contains("no numeric column") && e.contains("\"place\""),
            "{e}"
        );
        let t = Table::parse("v\n3\n").unwrap();
        assert!(t
            .column("v")
            .unwrap_err()
            .to_string()
            .contains("single row"));
        let t = Table::parse("v\n").unwrap();
        assert!(t.column("v").unwrap_err().to_string().contains("no rows"));
        let e = Table::parse("v\n1\n\"2\n").unwrap_err().to_string();
        assert!(e.contains("line 3") && e.contains("never closed"), "{e}");
        assert!(Table::parse("").is_err());
        let t = Table::parse("v\n1\ninf\n").unwrap();
        assert!(t.column("v").unwrap_err().to_string().contains("row 2"));
    }
}
