//! Display-width aware text: padding and truncation that count a Chinese character as two
//! columns, and scrubbing of control characters so data never reaches a terminal raw.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Columns `s` takes on a terminal.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Replaces control characters (escape sequences included) with '?'.
pub fn scrub(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { '?' } else { c }).collect()
}

/// Like `scrub`, but keeps line breaks (for multi-line messages such as a TOML parse error).
pub fn scrub_lines(s: &str) -> String {
    s.chars().map(|c| if c.is_control() && c != '\n' { '?' } else { c }).collect()
}

/// Writes every control character (escape sequences, line breaks), line and paragraph
/// separator and bidirectional control in `s` as an escape (`\n`, `\u{1b}`), so that quoted
/// text cannot forge or hide a line of a log; a backslash is doubled so escapes stay unambiguous.
pub fn escape_controls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let bidi =
            matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || bidi || c == '\u{2028}' || c == '\u{2029}' => {
                out.extend(c.escape_unicode());
            }
            c => out.push(c),
        }
    }
    out
}

/// Cuts `s` to at most `max` columns, ending in '~' when cut ('…' is ambiguous-width).
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    if max > 0 {
        out.push('~');
    }
    out
}

/// Breaks `s` into lines of at most `cols` columns: between words where there are spaces,
/// between any two characters of a run of wide (Chinese) characters but never before closing
/// punctuation, and inside a word only when the word alone is wider than `cols`. Line breaks in
/// `s` become spaces. O(len).
pub fn wrap(s: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(2);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut w = 0;
    // Words: runs of narrow non-space characters; each wide character is a word of its own;
    // closing punctuation right after a word stays with it (no line starts with `,` or `。`).
    let mut words: Vec<(String, bool)> = Vec::new();
    let push = |words: &mut Vec<(String, bool)>, word: String, spaced: bool| {
        let closing =
            word.starts_with([',', '.', ':', ';', '!', '?', ')', '，', '。', '：', '；', '、', '！', '？', '）']);
        match words.last_mut() {
            Some(last) if closing && !spaced => last.0.push_str(&word),
            _ => words.push((word, spaced)),
        }
    };
    let mut word = String::new();
    let mut space_before = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !word.is_empty() {
                push(&mut words, std::mem::take(&mut word), space_before);
            }
            space_before = true;
        } else if c.width().unwrap_or(0) > 1 {
            if !word.is_empty() {
                push(&mut words, std::mem::take(&mut word), space_before);
                space_before = false;
            }
            push(&mut words, c.to_string(), space_before);
            space_before = false;
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        push(&mut words, word, space_before);
    }
    for (word, spaced) in words {
        let ww = width(&word);
        let gap = usize::from(spaced && !line.is_empty());
        if w + gap + ww <= cols {
            if gap == 1 {
                line.push(' ');
            }
            line.push_str(&word);
            w += gap + ww;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            w = 0;
        }
        // A word wider than a whole line is cut where it must be.
        for c in word.chars() {
            let cw = c.width().unwrap_or(0);
            if w + cw > cols {
                lines.push(std::mem::take(&mut line));
                w = 0;
            }
            line.push(c);
            w += cw;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Pads `s` with spaces to exactly `cols` columns (cutting it if longer).
pub fn pad(s: &str, cols: usize) -> String {
    let t = truncate(s, cols);
    let w = width(&t);
    format!("{t}{}", " ".repeat(cols.saturating_sub(w)))
}

/// Right-aligns `s` in `cols` columns.
pub fn pad_left(s: &str, cols: usize) -> String {
    let t = truncate(s, cols);
    let w = width(&t);
    format!("{}{t}", " ".repeat(cols.saturating_sub(w)))
}

/// Formats rows as an aligned plain-text table; columns whose header ends in '>' align right.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let n = headers.len();
    let right: Vec<bool> = headers.iter().map(|h| h.ends_with('>')).collect();
    let heads: Vec<String> = headers.iter().map(|h| h.trim_end_matches('>').to_string()).collect();
    let mut widths: Vec<usize> = heads.iter().map(|h| width(h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(n) {
            widths[i] = widths[i].max(width(c));
        }
    }
    let line = |cells: &[String]| -> String {
        let parts: Vec<String> = (0..n)
            .map(|i| {
                let c = cells.get(i).map(String::as_str).unwrap_or("");
                let c = scrub(c);
                if right[i] {
                    pad_left(&c, widths[i])
                } else {
                    pad(&c, widths[i])
                }
            })
            .collect();
        parts.join("  ").trim_end().to_string()
    };
    let mut out = line(&heads);
    out.push('\n');
    for r in rows {
        out.push_str(&line(r));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_leave_one_readable_line() {
        let s = "a\nb\r\x1b[31m\\n\u{202e}\u{2028}镇";
        assert_eq!(escape_controls(s), "a\\nb\\r\\u{1b}[31m\\\\n\\u{202e}\\u{2028}镇");
    }

    #[test]
    fn cjk_counts_double() {
        assert_eq!(width("大米"), 4);
        assert_eq!(pad("大米", 6), "大米  ");
        assert_eq!(truncate("王官庄惠民超市", 7), "王官庄~");
        assert_eq!(scrub("a\x1b[31mb"), "a?[31mb");
        let t = table(&["name", "qty>"], &[vec!["大米".into(), "5".into()], vec!["oil".into(), "12".into()]]);
        assert_eq!(t, "name  qty\n大米    5\noil    12\n");
    }
}
