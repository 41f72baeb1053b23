//! Splitting text into units: one unit per printed line, or per paragraph where the text is
//! hard-wrapped at a fixed width (then the wrapped lines are joined).

use std::borrow::Cow;

/// One line of the text, or one joined paragraph of hard-wrapped text.
#[derive(Debug, Clone)]
pub(crate) struct Unit<'a> {
    /// Trimmed text; for joined paragraphs the lines joined with single spaces.
    pub text: Cow<'a, str>,
    /// Index of the block (lines between blank lines) the unit belongs to.
    pub block: usize,
    /// Number of units in that block.
    pub block_len: usize,
    /// Byte range of the unit in the text it was cut from (first line's start to last line's
    /// end).
    pub span: (usize, usize),
}

/// Byte offset of `part`, a slice of `text`, in `text`.
fn offset_in(text: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(text.as_ptr() as usize)
}

/// Lines longer than this are never taken as part of hard-wrapped text.
const MAX_WRAP_WIDTH: usize = 110;
/// Hard wrapping narrower than this is not believed (lists of short labels are not wrapped prose).
const MIN_WRAP_WIDTH: usize = 35;

/// Whether a line ends with punctuation that can close a paragraph.
pub(crate) fn ends_terminal(line: &str) -> bool {
    matches!(
        line.trim_end().chars().next_back(),
        Some('.' | '?' | '!' | '"' | '”' | '’' | '\'' | ')' | ']' | ':' | '…')
    )
}

fn starts_lowercase(line: &str) -> bool {
    line.chars().next().is_some_and(char::is_lowercase)
}

/// The wrap width of the text if its multi-line blocks look hard-wrapped: many lines of similar
/// length just under a width, most of them ending without sentence punctuation.
fn wrap_width(lines: &[&str], blocks: &[(usize, usize)]) -> Option<usize> {
    let multi = || {
        blocks
            .iter()
            .filter(|&&(s, e)| e.saturating_sub(s) >= 2)
            .map(|&(s, e)| lines.get(s..e).unwrap_or(&[]))
    };
    let (mut total, mut long, mut width) = (0usize, 0usize, 0usize);
    for block in multi() {
        for line in block.iter() {
            total += 1;
            let n = line.chars().count();
            if n > MAX_WRAP_WIDTH {
                long += 1;
            } else {
                width = width.max(n);
            }
        }
    }
    if total < 4 || long * 10 > total || width < MIN_WRAP_WIDTH {
        return None;
    }
    let (mut inner, mut soft, mut soft_long) = (0usize, 0usize, 0usize);
    for block in multi() {
        for line in block.split_last().map_or(&[][..], |(_, rest)| rest) {
            inner += 1;
            if !ends_terminal(line) {
                soft += 1;
                if line.chars().count() * 10 >= width * 6 {
                    soft_long += 1;
                }
            }
        }
    }
    if soft == 0 || soft * 10 < inner * 3 || soft_long * 4 < soft * 3 {
        return None;
    }
    Some(width)
}

/// `line.trim()`, without the scan when the line starts and ends with a printable ASCII byte
/// (then no white space can stand at either end).
fn trim_line(line: &str) -> &str {
    let b = line.as_bytes();
    match (b.first(), b.last()) {
        (Some(&f), Some(&l)) if f.is_ascii_graphic() && l.is_ascii_graphic() => line,
        _ => line.trim(),
    }
}

/// Splits text into units. Blank lines separate blocks; inside a block each line is a unit unless
/// the text is hard-wrapped, in which case continuation lines are joined into paragraphs.
pub(crate) fn split_units(text: &str) -> Vec<Unit<'_>> {
    // All non-blank lines in one vector and each block as a range of it: one allocation for
    // the lines instead of one per block, sized from a count of the line breaks.
    let breaks = memchr::memchr_iter(b'\n', text.as_bytes()).count();
    let mut lines: Vec<&str> = Vec::with_capacity(breaks + 1);
    let mut ranges: Vec<(usize, usize)> = Vec::with_capacity(breaks / 2 + 1);
    let mut block_start = 0;
    let mut line_start = 0;
    let nl = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    for end in nl {
        // `line_start` and `end` are at character boundaries: they follow or hold a '\n'.
        let line = trim_line(text.get(line_start..end).unwrap_or(""));
        line_start = end + 1;
        if line.is_empty() {
            if lines.len() > block_start {
                ranges.push((block_start, lines.len()));
                block_start = lines.len();
            }
        } else {
            lines.push(line);
        }
    }
    if lines.len() > block_start {
        ranges.push((block_start, lines.len()));
    }
    let width = wrap_width(&lines, &ranges);
    let mut units = Vec::with_capacity(lines.len());
    for (b, &(s, e)) in ranges.iter().enumerate() {
        let block = lines.get(s..e).unwrap_or(&[]);
        let start = units.len();
        match width {
            Some(w) => join_block(text, block, w, b, &mut units),
            None => units.extend(block.iter().map(|l| {
                let at = offset_in(text, l);
                Unit {
                    text: Cow::Borrowed(*l),
                    block: b,
                    block_len: 0,
                    span: (at, at + l.len()),
                }
            })),
        }
        let len = units.len() - start;
        for u in &mut units[start..] {
            u.block_len = len;
        }
    }
    units
}

/// Joins the lines of one block of hard-wrapped text into paragraphs.
fn join_block<'a>(whole: &str, block: &[&'a str], width: usize, b: usize, out: &mut Vec<Unit<'a>>) {
    let mut acc: Option<Cow<'a, str>> = None;
    let mut acc_start = 0;
    for (k, line) in block.iter().enumerate() {
        let at = offset_in(whole, line);
        if acc.is_none() {
            acc_start = at;
        }
        let span = (acc_start, at + line.len());
        let text = match acc.take() {
            None => Cow::Borrowed(*line),
            Some(prev) => {
                let mut s = prev.into_owned();
                let hyphen = s.ends_with('-')
                    && s[..s.len() - 1]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphabetic)
                    && starts_lowercase(line);
                if !hyphen {
                    s.push(' ');
                }
                s.push_str(line);
                Cow::Owned(s)
            }
        };
        let join_next = block.get(k + 1).is_some_and(|next| {
            starts_lowercase(next) || (!ends_terminal(line) && line.chars().count() * 2 >= width)
        });
        if join_next {
            acc = Some(text);
        } else {
            out.push(Unit {
                text,
                block: b,
                block_len: 0,
                span,
            });
        }
    }
    if let Some(text) = acc {
        let end = block
            .last()
            .map_or(acc_start, |l| offset_in(whole, l) + l.len());
        out.push(Unit {
            text,
            block: b,
            block_len: 0,
            span: (acc_start, end),
        });
    }
}

/// Collapses runs of white space into single spaces and trims.
pub(crate) fn normalize_ws(s: &str) -> String {
    if is_normalized(s) {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    let mut run = 0;
    let mut k = 0;
    while k < b.len() {
        let n = ws_len_at(b, k);
        if n == 0 {
            k += 1;
            continue;
        }
        if run < k {
            if space {
                out.push(' ');
            }
            // `run` and `k` are at character boundaries: both follow or start a whitespace
            // character, and multi-byte characters never contain the bytes matched here.
            out.push_str(&s[run..k]);
            space = true;
        }
        k += n;
        run = k;
    }
    if run < s.len() {
        if space {
            out.push(' ');
        }
        out.push_str(&s[run..]);
    }
    out
}

/// Whether `s` has no leading, trailing, repeated or non-space white space.
///
/// The text is checked sixteen bytes at a time (with one byte of look-ahead for a space pair
/// across the edge), in a form the compiler turns into vector compares; only chunks holding a
/// control byte, a lead byte of non-ASCII white space or two spaces in a row go through the
/// byte-by-byte check.
pub(crate) fn is_normalized(s: &str) -> bool {
    let b = s.as_bytes();
    if b.first() == Some(&b' ') || b.last() == Some(&b' ') {
        return false;
    }
    let mut k = 0;
    while let Some(w) = b.get(k..).and_then(|r| r.first_chunk::<17>()) {
        if !plain_chunk(w) {
            // Through the look-ahead byte, which may be the second space of a pair.
            let mut prev_space = k > 0 && b.get(k - 1) == Some(&b' ');
            if !(k..=k + 16).all(|j| normalized_at(b, j, &mut prev_space)) {
                return false;
            }
        }
        k += 16;
    }
    let mut prev_space = k > 0 && b.get(k - 1) == Some(&b' ');
    (k..b.len()).all(|j| normalized_at(b, j, &mut prev_space))
}

/// Whether the first sixteen bytes of `w` hold no byte that can start white space other than a
/// plain space (controls, and the lead bytes C2, E1, E2 and E3 of [`ws_len_at`]) and no space
/// followed by a space (the pair may end on the seventeenth byte).
#[inline(always)]
fn plain_chunk(w: &[u8; 17]) -> bool {
    let mut odd = 0u8;
    for i in 0..16 {
        let c = w[i];
        let pair = (c == b' ') & (w[i + 1] == b' ');
        let lead = (c < b' ') | (c == 0xC2) | (c & 0xFC == 0xE0);
        odd |= u8::from(pair | lead);
    }
    odd == 0
}

/// The byte-by-byte step of [`is_normalized`]: false where byte `k` breaks normal form.
#[inline(always)]
fn normalized_at(b: &[u8], k: usize, prev_space: &mut bool) -> bool {
    let c = b[k];
    if c == b' ' {
        if *prev_space {
            return false;
        }
        *prev_space = true;
    } else {
        *prev_space = false;
        if !(b' '..0xC2).contains(&c) && ws_len_at(b, k) > 0 {
            return false;
        }
    }
    true
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The eight bytes of `b` from `k`, the first in the low byte.
#[inline(always)]
pub(crate) fn load8(b: &[u8], k: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[k..k + 8]);
    u64::from_le_bytes(w)
}

/// The high bit of every byte of `x` that equals `c`, and no other bit.
#[inline(always)]
fn eq_bytes(x: u64, c: u8) -> u64 {
    let y = x ^ (LO * u64::from(c));
    // A byte's low seven bits plus 0x7F carry into its high bit unless they are all zero; no
    // byte carries into the next.
    !(((y & !HI) + !HI) | y) & HI
}

/// The high bit of every byte of `x` that is a control byte or not ASCII: the bytes that can
/// start white space other than the plain space.
#[inline(always)]
fn odd_bytes(x: u64) -> u64 {
    let at_least_space = ((x & !HI) + LO * 0x60) & HI;
    (!at_least_space & HI) | (x & HI)
}

/// The number of bytes of `m` whose high bit is set, where `m` has no other bit set: one
/// multiply adds the bytes' bits up in the top byte (at most 8, so no carry spills over), where
/// `count_ones` without a `popcnt` instruction in the target is a dozen operations.
#[inline(always)]
pub(crate) fn count_high_bits(m: u64) -> usize {
    ((m >> 7).wrapping_mul(LO) >> 56) as usize
}

/// The high bit of every byte of `x` that is an ASCII digit, and no other bit.
#[inline(always)]
pub(crate) fn ascii_digits(x: u64) -> u64 {
    // A byte's low seven bits plus 0x50 (0x46) reach its high bit when they are at least 0x30
    // (0x3A); no byte carries into the next.
    let low = x & !HI;
    let from_zero = (low + LO * 0x50) & HI;
    let past_nine = (low + LO * 0x46) & HI;
    from_zero & !past_nine & !x & HI
}

/// Byte length of the white-space character (Unicode `White_Space`) starting at byte `k`, or 0.
#[inline(always)]
fn ws_len_at(b: &[u8], k: usize) -> usize {
    let first = b[k];
    if first > b' ' && first < 0xC2 {
        return 0;
    }
    match first {
        b'\t'..=b'\r' | b' ' => 1,
        0xC2 => match b.get(k + 1) {
            Some(0x85 | 0xA0) => 2,
            _ => 0,
        },
        0xE1 => usize::from(b.get(k + 1..k + 3) == Some(&[0x9A, 0x80][..])) * 3,
        0xE2 => match (b.get(k + 1), b.get(k + 2)) {
            (Some(0x80), Some(0x80..=0x8A | 0xA8 | 0xA9 | 0xAF)) | (Some(0x81), Some(0x9F)) => 3,
            _ => 0,
        },
        0xE3 => usize::from(b.get(k + 1..k + 3) == Some(&[0x80, 0x80][..])) * 3,
        _ => 0,
    }
}

/// Number of whitespace-separated words, counting at most `limit + 1`.
///
/// Runs of plain ASCII are counted eight bytes at a time (a word starts at each non-space byte
/// after a space); words holding a control or non-ASCII byte are stepped through byte by byte.
pub(crate) fn word_count_upto(s: &str, limit: usize) -> usize {
    let b = s.as_bytes();
    let mut n = 0;
    let mut in_word = false;
    let mut k = 0;
    while k < b.len() {
        let end = if k + 8 <= b.len() {
            let x = load8(b, k);
            if odd_bytes(x) == 0 {
                let sp = eq_bytes(x, b' ');
                let word = !sp & HI;
                let after_space = (sp << 8) | if in_word { 0 } else { 0x80 };
                n += count_high_bits(word & after_space);
                if n > limit {
                    return limit + 1;
                }
                in_word = word >> 63 != 0;
                k += 8;
                continue;
            }
            k + 8
        } else {
            b.len()
        };
        while k < end {
            let w = ws_len_at(b, k);
            if w > 0 {
                in_word = false;
                k += w;
                continue;
            }
            if !in_word {
                in_word = true;
                n += 1;
                if n > limit {
                    return n;
                }
            }
            k += 1;
        }
    }
    n
}

/// A fixed string to look for, with its searcher built once: `str::contains` sets up a new
/// searcher on every call, which costs more than the search itself on most units.
pub(crate) struct Literal(std::sync::LazyLock<memchr::memmem::Finder<'static>>);

/// Declares a [`Literal`] static.
macro_rules! literal {
    ($name:ident, $s:expr) => {
        static $name: $crate::parse::lines::Literal =
            $crate::parse::lines::Literal::new(std::sync::LazyLock::new(|| {
                memchr::memmem::Finder::new($s)
            }));
    };
}
pub(crate) use literal;

impl Literal {
    pub(crate) const fn new(f: std::sync::LazyLock<memchr::memmem::Finder<'static>>) -> Self {
        Literal(f)
    }

    /// Whether `hay` contains the literal.
    pub(crate) fn is_in(&self, hay: &str) -> bool {
        self.0.find(hay.as_bytes()).is_some()
    }

    /// Byte offset of the first occurrence of the literal in `hay`.
    pub(crate) fn find(&self, hay: &str) -> Option<usize> {
        self.0.find(hay.as_bytes())
    }

    /// Byte offset of the first occurrence of the literal in the bytes `hay`.
    pub(crate) fn find_bytes(&self, hay: &[u8]) -> Option<usize> {
        self.0.find(hay)
    }
}

/// The last `n` bytes of `s`, cut at a character boundary.
pub(crate) fn tail(s: &str, n: usize) -> &str {
    if s.len() <= n {
        s
    } else {
        &s[s.ceil_char_boundary(s.len() - n)..]
    }
}
