//! Structure-aware fuzzing: edits applied to a valid RON file's *values* rather than its bytes.
//!
//! Byte mutation of a saved model or session mostly breaks its syntax, so the semantic checks
//! behind the parser (dimensions, indices, bounds) are rarely reached (RELIABILITY.md). Here
//! the fuzzer's bytes are read as a short program of edits to a valid seed: replace a value
//! with a hostile one (`0`, `-1`, `NaN`, `1e309`, `[]`, `None`…), with another value of the
//! same file (a list of the wrong length, a number from elsewhere), delete a field or a list
//! element, duplicate an element, or nudge a number by one. Most edited files still parse, so
//! every input exercises validation and, when it passes, what comes after it.

use std::ops::Range;

/// Values an edit may put anywhere: the edges of each numeric type, non-finite floats, empty
/// and one-element containers, `None`/`Some`, and strings.
pub const HOSTILE_VALUES: &[&str] = &[
    "0",
    "1",
    "-1",
    "2",
    "255",
    "65536",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "-9223372036854775808",
    "1000000000000",
    "NaN",
    "inf",
    "-inf",
    "1e309",
    "-1e309",
    "1e-320",
    "0.0",
    "-0.0",
    "0.5",
    "1e300",
    "[]",
    "[0]",
    "[0.0]",
    "[NaN]",
    "()",
    "None",
    "Some(0)",
    "Some(NaN)",
    "\"\"",
    "\"x\"",
    "true",
    "false",
];

/// Most edits one input may apply (each re-reads the edited text).
pub const MAX_EDITS: usize = 8;

/// The span of every value in RON `text`: each number, string, char and identifier that is
/// not a field name, and each bracketed group (`(..)`, `[..]`, `{..}`) together with the
/// identifier before it (`Some(..)`, `Split(..)`). Groups come after the values inside them.
/// Unbalanced text yields the spans found before the imbalance.
pub fn value_spans(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut spans = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'"' | b'\'' => {
                let end = skip_quoted(b, i);
                spans.push(i..end);
                i = end;
            }
            b'(' | b'[' | b'{' => {
                open.push(i);
                i += 1;
            }
            b')' | b']' | b'}' => {
                let Some(start) = open.pop() else {
                    return spans;
                };
                spans.push(start..i + 1);
                i += 1;
            }
            b'0'..=b'9' | b'-' | b'+' | b'.' => {
                let end = skip_number(b, i);
                spans.push(i..end);
                i = end;
            }
            b'A'..=b'Z' | b'a'..=b'z' | b'_' => {
                let end = skip_ident(b, i);
                let next = skip_space(b, end);
                match b.get(next) {
                    // A field name: its value comes after the colon.
                    Some(b':') => {}
                    // A named group: the group's span starts at the name.
                    Some(b'(') => {
                        open.push(i);
                        i = next + 1;
                        continue;
                    }
                    _ => spans.push(i..end),
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    spans
}

fn skip_quoted(b: &[u8], start: usize) -> usize {
    let q = b[start];
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            c if c == q => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

fn skip_number(b: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while let Some(&c) = b.get(i) {
        let exponent_sign = (c == b'-' || c == b'+') && matches!(b[i - 1], b'e' | b'E');
        if c.is_ascii_alphanumeric() || c == b'.' || c == b'_' || exponent_sign {
            i += 1;
        } else {
            break;
        }
    }
    i
}

fn skip_ident(b: &[u8], start: usize) -> usize {
    let mut i = start;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
        i += 1;
    }
    i
}

fn skip_space(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// One edit, read from five input bytes: what to do, the value it applies to (an index into
/// [`value_spans`], taken modulo their count) and an argument (another value's index, or a
/// choice among [`HOSTILE_VALUES`] or nudges).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// The value becomes `HOSTILE_VALUES[k % len]`.
    Hostile { at: u16, k: u16 },
    /// The value becomes a copy of another value of the same text.
    CopyFrom { at: u16, from: u16 },
    /// The value goes, with its field name if it has one, and one comma.
    Delete { at: u16 },
    /// The value is written twice, comma-separated (a list grows by one).
    Duplicate { at: u16 },
    /// A number moves: +1, −1, ×2, negated, ×1000, or else to 0 (an integer) or up by one
    /// machine epsilon of its size (a float).
    Nudge { at: u16, how: u16 },
}

impl Edit {
    /// Reads edits from fuzzer bytes, five at a time, at most [`MAX_EDITS`].
    pub fn program(data: &[u8]) -> Vec<Edit> {
        data.chunks_exact(5)
            .take(MAX_EDITS)
            .map(|c| {
                let at = u16::from_le_bytes([c[1], c[2]]);
                let arg = u16::from_le_bytes([c[3], c[4]]);
                match c[0] % 8 {
                    0..=2 => Edit::Hostile { at, k: arg },
                    3 => Edit::CopyFrom { at, from: arg },
                    4 => Edit::Delete { at },
                    5 => Edit::Duplicate { at },
                    _ => Edit::Nudge { at, how: arg },
                }
            })
            .collect()
    }
}

/// `text` with one edit applied; unchanged when it has no values or the edit does not apply
/// (a nudge of a non-number).
pub fn apply(text: &str, edit: Edit) -> String {
    let spans = value_spans(text);
    if spans.is_empty() {
        return text.to_string();
    }
    let pick = |i: u16| spans[usize::from(i) % spans.len()].clone();
    let (range, with): (Range<usize>, String) = match edit {
        Edit::Hostile { at, k } => (
            pick(at),
            HOSTILE_VALUES[usize::from(k) % HOSTILE_VALUES.len()].to_string(),
        ),
        Edit::CopyFrom { at, from } => (pick(at), text[pick(from)].to_string()),
        Edit::Delete { at } => (deletion(text, pick(at)), String::new()),
        Edit::Duplicate { at } => {
            let r = pick(at);
            (r.clone(), format!("{0},{0}", &text[r]))
        }
        Edit::Nudge { at, how } => {
            let r = pick(at);
            match nudge(&text[r.clone()], how) {
                Some(n) => (r, n),
                None => return text.to_string(),
            }
        }
    };
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(&text[..range.start]);
    out.push_str(&with);
    out.push_str(&text[range.end..]);
    out
}

/// `seed` after a program of edits read from `data` ([`Edit::program`]).
pub fn edited(seed: &str, data: &[u8]) -> String {
    Edit::program(data)
        .into_iter()
        .fold(seed.to_string(), |text, e| apply(&text, e))
}

/// What deleting the value at `r` removes: the value, its field name and colon when it is a
/// field's, and the comma after it (or else the one before it).
fn deletion(text: &str, r: Range<usize>) -> Range<usize> {
    let b = text.as_bytes();
    let mut start = r.start;
    let before = text[..start].trim_end();
    if let Some(name_end) = before.strip_suffix(':').map(|s| s.trim_end().len()) {
        let name_start = text[..name_end]
            .char_indices()
            .rev()
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |(p, c)| p + c.len_utf8());
        start = name_start;
    }
    let after = skip_space(b, r.end);
    if b.get(after) == Some(&b',') {
        return start..after + 1;
    }
    let trimmed = text[..start].trim_end();
    if trimmed.ends_with(',') {
        return trimmed.len() - 1..r.end;
    }
    start..r.end
}

/// A number moved by one of six steps; `None` when `s` is not a number.
fn nudge(s: &str, how: u16) -> Option<String> {
    if let Ok(n) = s.parse::<i128>() {
        let m = match how % 6 {
            0 => n.checked_add(1)?,
            1 => n.checked_sub(1)?,
            2 => n.checked_mul(2)?,
            3 => n.checked_neg()?,
            4 => n.checked_mul(1000)?,
            _ => 0,
        };
        return Some(m.to_string());
    }
    let x: f64 = s.parse().ok()?;
    let y = match how % 6 {
        0 => x + 1.0,
        1 => x - 1.0,
        2 => x * 2.0,
        3 => -x,
        4 => x * 1000.0,
        _ => x + f64::EPSILON * x.abs().max(1.0),
    };
    Some(format!("{y:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_found_and_field_names_are_not() {
        let t = r#"(a:1,b:[2.5,-3e-2],c:Some("x,y"),d:None)"#;
        let got: Vec<&str> = value_spans(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(
            got,
            [
                "1",
                "2.5",
                "-3e-2",
                "[2.5,-3e-2]",
                "\"x,y\"",
                "Some(\"x,y\")",
                "None",
                t
            ]
        );
    }

    #[test]
    fn each_edit_does_what_it_says() {
        let t = "(a:1,b:[2,3])";
        // Spans: 1, 2, 3, [2,3], the whole.
        assert_eq!(apply(t, Edit::Hostile { at: 0, k: 11 }), "(a:NaN,b:[2,3])");
        assert_eq!(
            apply(t, Edit::CopyFrom { at: 0, from: 3 }),
            "(a:[2,3],b:[2,3])"
        );
        assert_eq!(apply(t, Edit::Delete { at: 0 }), "(b:[2,3])");
        assert_eq!(apply(t, Edit::Delete { at: 2 }), "(a:1,b:[2])");
        assert_eq!(apply(t, Edit::Delete { at: 3 }), "(a:1)");
        assert_eq!(apply(t, Edit::Duplicate { at: 1 }), "(a:1,b:[2,2,3])");
        assert_eq!(apply(t, Edit::Nudge { at: 2, how: 1 }), "(a:1,b:[2,2])");
        assert_eq!(apply("[0.5]", Edit::Nudge { at: 0, how: 3 }), "[-0.5]");
        // Indices wrap; a nudge of a non-number leaves the text alone.
        assert_eq!(apply(t, Edit::Hostile { at: 5, k: 0 }), "(a:0,b:[2,3])");
        assert_eq!(apply(t, Edit::Nudge { at: 3, how: 0 }), t);
    }

    #[test]
    fn programs_read_five_bytes_an_edit_and_stop_at_the_limit() {
        assert_eq!(
            Edit::program(&[4, 1, 0, 9, 9, 3, 2, 0, 1, 0, 7]),
            [Edit::Delete { at: 1 }, Edit::CopyFrom { at: 2, from: 1 }]
        );
        assert_eq!(Edit::program(&[0; 100]).len(), MAX_EDITS);
        assert_eq!(edited("[1]", &[]), "[1]");
    }

    #[test]
    fn unbalanced_or_odd_text_never_panics() {
        for t in ["", ")", "([", "\"", "'\\", "a:", "-", "é(ü:1)", "[1e-]"] {
            let spans = value_spans(t);
            assert!(spans.iter().all(|r| r.end <= t.len()), "{t:?}");
            for k in 0..8u8 {
                let _ = edited(t, &[k, 0, 0, 1, 0]);
            }
        }
    }
}
