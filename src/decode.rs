//! Turning the bytes of a dropped file into text: encodings, line endings, and refusing binary data.

use std::borrow::Cow;

/// Why a file's bytes are not taken as article text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the file is empty")]
    Empty,
    #[error("the file holds only white space")]
    Blank,
    #[error("not a text file: it looks like {0}")]
    Signature(&'static str),
    #[error("not a text file: it contains NUL bytes")]
    NulBytes,
    #[error("not a text file: {0} of its first bytes are control characters")]
    ControlBytes(String),
    #[error("{0}")]
    Docx(String),
}

/// Text decoded from a file, with the name of the encoding it was read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

/// Magic numbers of common binary formats that are never article text.
const SIGNATURES: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"\x7fELF", "an ELF executable"),
    (b"PK\x03\x04", "a ZIP archive (or an office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xfd7zXZ\x00", "an XZ archive"),
    (b"(\xb5/\xfd", "a Zstandard archive"),
    (b"RIFF", "a RIFF media file"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 audio file"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xca\xfe\xba\xbe", "a Java class or Mach-O file"),
    (b"\x00asm", "a WebAssembly module"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old Microsoft Office document",
    ),
];

/// Decode a file's bytes into text with `\n` line endings.
///
/// UTF-8 (with or without BOM) and UTF-16 (LE/BE with BOM, or recognisable without one) are read
/// as such; anything else that is not valid UTF-8 is read in the legacy encoding its bytes suggest
/// (Windows-1252 for Western text). Binary data is refused.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    // A Word document (a news database's batch download, most often) is read for its paragraphs.
    if crate::batch::docx::is_docx(bytes) {
        let text = crate::batch::docx::document_text(bytes)
            .map_err(|e| DecodeError::Docx(e.to_string()))?;
        if text.trim().is_empty() {
            return Err(DecodeError::Blank);
        }
        return Ok(Decoded {
            text,
            encoding: "DOCX",
        });
    }
    if let Some((_, what)) = SIGNATURES.iter().find(|(sig, _)| bytes.starts_with(sig)) {
        return Err(DecodeError::Signature(what));
    }
    if bytes.starts_with(b"MZ") && bytes.contains(&0) {
        return Err(DecodeError::Signature("a Windows executable"));
    }

    let (text, encoding): (Cow<str>, &'static str) =
        if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
            let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
            (text, enc.name())
        } else if let Some(enc) = sniff_utf16(bytes) {
            let (text, _) = enc.decode_without_bom_handling(bytes);
            (text, enc.name())
        } else if bytes.contains(&0) {
            return Err(DecodeError::NulBytes);
        } else if let Ok(text) = std::str::from_utf8(bytes) {
            (Cow::Borrowed(text), "UTF-8")
        } else {
            let mut detector = chardetng::EncodingDetector::new();
            detector.feed(bytes, true);
            let guess = detector.guess(None, true);
            // With only a few non-ASCII bytes the evidence is thin, and Central European
            // guesses for what is mostly Western text turn "naïve" into "naďve": most
            // clippings are Western, so thin evidence falls back to Windows-1252.
            let non_ascii = bytes.iter().filter(|b| !b.is_ascii()).count();
            let central = [
                "ISO-8859-2",
                "windows-1250",
                "ISO-8859-4",
                "ISO-8859-13",
                "windows-1257",
            ];
            let enc = if non_ascii < 16 && central.contains(&guess.name()) {
                encoding_rs::WINDOWS_1252
            } else {
                guess
            };
            let (text, _) = enc.decode_without_bom_handling(bytes);
            (text, enc.name())
        };

    if text.contains('\0') {
        return Err(DecodeError::NulBytes);
    }
    check_control_chars(&text)?;
    let text = normalize_newlines(&text).into_owned();
    if text.trim().is_empty() {
        return Err(DecodeError::Blank);
    }
    Ok(Decoded { text, encoding })
}

/// UTF-16 without a BOM, in any script, told by the statistics of the byte pairs. Only bytes
/// with a NUL are asked (UTF-8 and legacy text have none, while any UTF-16 article has some: a
/// line feed or a space is a NUL and a byte). In UTF-16 text the high byte of each code unit
/// names its script block, so it takes few values, one or two of them most of the time (0x04 in
/// Russian, 0x30 and 0x00 in Japanese, 0x00 in Latin text), while the low byte varies. So the
/// byte positions holding the high bytes repeat far more often than the others: their collision
/// rate (the chance two of them are equal) is high and several times the other's. The decode
/// must also look like text: no unpaired surrogates, few control or private-use characters. An
/// odd trailing byte (a cut file) does not prevent it.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let sample = &bytes[..bytes.len().min(64 * 1024) & !1];
    if sample.len() < 4 || !sample.contains(&0) {
        return None;
    }
    let mut even = [0usize; 256];
    let mut odd = [0usize; 256];
    for pair in sample.chunks_exact(2) {
        even[usize::from(pair[0])] += 1;
        odd[usize::from(pair[1])] += 1;
    }
    let pairs = (sample.len() / 2) as f64;
    let collision = |counts: &[usize; 256]| {
        counts
            .iter()
            .map(|&c| (c as f64 / pairs).powi(2))
            .sum::<f64>()
    };
    let (c_even, c_odd) = (collision(&even), collision(&odd));
    // Line feeds and spaces (ASCII or ideographic) read the right way round tell the byte
    // order; the wrong way they are 0x0A00, 0x2000, 0x0030.
    let breaks = |high_first: bool| {
        sample
            .chunks_exact(2)
            .filter(|p| {
                let (hi, lo) = if high_first {
                    (p[0], p[1])
                } else {
                    (p[1], p[0])
                };
                matches!((hi, lo), (0, b'\n' | b'\r' | b' ') | (0x30, 0))
            })
            .count()
    };
    let (le_breaks, be_breaks) = (breaks(false), breaks(true));
    let (enc, high, low) = if le_breaks > be_breaks || (le_breaks == be_breaks && c_odd >= c_even) {
        (encoding_rs::UTF_16LE, c_odd, c_even)
    } else {
        (encoding_rs::UTF_16BE, c_even, c_odd)
    };
    if le_breaks.max(be_breaks) == 0 || high < 0.05 || high < 1.5 * low {
        return None;
    }
    let units = sample.chunks_exact(2).map(|p| {
        if enc == encoding_rs::UTF_16LE {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    let mut odd_units = 0usize;
    let mut total = 0usize;
    for c in char::decode_utf16(units) {
        total += 1;
        match c {
            Err(_) => odd_units += 1,
            Ok(c) if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c') => odd_units += 1,
            Ok('\u{e000}'..='\u{f8ff}' | '\u{fffe}' | '\u{ffff}') => odd_units += 1,
            Ok(_) => {}
        }
    }
    // The last unit of a cut sample may be half a surrogate pair.
    (odd_units <= 1 + total / 100).then_some(enc)
}

/// Text files hold letters; a sample with many C0 control characters (other than tab, line feed,
/// carriage return and form feed) is binary data that happened to decode.
///
/// Counted over the first 8,192 chars byte by byte (walking chars took 1.6% of a 100,000-article
/// import): a char starts at every byte that is not a continuation byte; the controls are the
/// C0 bytes, DEL, and the C1 controls (U+0080 to U+009F, two bytes starting 0xC2), NEL left out.
fn check_control_chars(text: &str) -> Result<(), DecodeError> {
    let (total, control) = count_controls(text, 8192);
    if control > 0 && control * 20 > total {
        return Err(DecodeError::ControlBytes(format!("{control} of {total}")));
    }
    Ok(())
}

/// The chars counted (at most `most`) and how many of them are controls other than tab, line
/// feed, carriage return, form feed and NEL.
fn count_controls(text: &str, most: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let mut total = 0usize;
    let mut control = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        let starts = b & 0xC0 != 0x80;
        if starts {
            if total == most {
                break;
            }
            total += 1;
        }
        let is_control = match b {
            b'\t' | b'\n' | b'\r' | 0x0c => false,
            0x00..=0x1f | 0x7f => true,
            0xC2 => bytes
                .get(i + 1)
                .is_some_and(|&n| (0x80..=0x9f).contains(&n) && n != 0x85),
            _ => false,
        };
        if is_control {
            control += 1;
        }
    }
    (total, control)
}

/// Replace CRLF and lone CR with LF; borrow when there is nothing to change.
pub fn normalize_newlines(text: &str) -> Cow<'_, str> {
    if !text.contains('\r') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, le: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(if le { &[0xff, 0xfe] } else { &[0xfe, 0xff] });
        }
        for unit in text.encode_utf16() {
            let b = if le {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            };
            out.extend_from_slice(&b);
        }
        out
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode("Café — über\n".as_bytes()).expect("utf-8");
        assert_eq!(plain.text, "Café — über\n");
        let mut with_bom = b"\xef\xbb\xbf".to_vec();
        with_bom.extend_from_slice("Café\n".as_bytes());
        let d = decode(&with_bom).expect("utf-8 bom");
        assert_eq!(d.text, "Café\n");
        assert_eq!(d.encoding, "UTF-8");
    }

    #[test]
    fn utf16_every_form() {
        let text = "Headline: Zürich talks\r\nMOSCOW -- The presidents met.\r\n";
        for (le, bom) in [(true, true), (false, true), (true, false), (false, false)] {
            let d = decode(&utf16(text, le, bom)).expect("utf-16");
            assert_eq!(
                d.text,
                "Headline: Zürich talks\nMOSCOW -- The presidents met.\n"
            );
            assert_eq!(
                d.encoding,
                if le { "UTF-16LE" } else { "UTF-16BE" },
                "le={le} bom={bom}"
            );
        }
    }

    #[test]
    fn windows_1252_is_decoded() {
        // "Café’s “quoted” — text" in Windows-1252.
        let bytes = b"Caf\xe9\x92s \x93quoted\x94 \x97 text in a western newspaper article.\r\n";
        let d = decode(bytes).expect("1252");
        assert_eq!(
            d.text,
            "Café’s “quoted” — text in a western newspaper article.\n"
        );
        assert_eq!(d.encoding, "windows-1252");
    }

    #[test]
    fn newlines_are_normalised() {
        assert_eq!(
            decode(b"a\r\nb\rc\n\r\rd").expect("text").text,
            "a\nb\nc\n\n\nd"
        );
        assert!(matches!(normalize_newlines("no returns"), Cow::Borrowed(_)));
    }

    #[test]
    fn binary_is_refused() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b" \n\t\r\n"), Err(DecodeError::Blank));
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Err(DecodeError::Signature("a PNG image"))
        );
        assert_eq!(
            decode(b"\x7fELF\x02\x01\x01\0\0\0"),
            Err(DecodeError::Signature("an ELF executable"))
        );
        assert_eq!(
            decode(b"some text\0with a NUL in it"),
            Err(DecodeError::NulBytes)
        );
        assert!(matches!(
            decode(b"\x01\x02\x03\x04\x05\x06abc\x07\x08"),
            Err(DecodeError::ControlBytes(_))
        ));
    }

    #[test]
    fn utf16_without_bom_in_any_script_and_odd_length() {
        let russian =
            "Заголовок: переговоры в Москве\nМОСКВА — Президенты встретились во вторник.\n";
        let japanese = "見出し：東京での会談\n東京 — 両首脳は火曜日に会談した。\n";
        for text in [russian, japanese] {
            for le in [true, false] {
                let bytes = utf16(text, le, false);
                let d = decode(&bytes).expect("utf-16 without bom");
                assert_eq!(d.text, text, "le={le}");
                assert_eq!(d.encoding, if le { "UTF-16LE" } else { "UTF-16BE" });
                // Cut by one byte: the text up to the cut is still read.
                let cut = decode(&bytes[..bytes.len() - 1]).expect("odd length");
                let most: String = text.chars().take(text.chars().count() - 2).collect();
                assert!(cut.text.starts_with(&most), "le={le}");
                let mut odd = bytes.clone();
                odd.push(b'\n');
                assert!(decode(&odd).expect("odd length").text.starts_with(text));
            }
        }
    }

    #[test]
    fn binary_with_nuls_is_not_taken_for_utf16() {
        // Pseudo-random bytes with NULs: no script block dominates.
        let mut x: u32 = 12345;
        let bytes: Vec<u8> = (0..4000)
            .map(|_| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (x >> 16) as u8
            })
            .collect();
        assert!(bytes.contains(&0));
        assert!(decode(&bytes).is_err());
        // Latin text with a stray NUL is not UTF-16 either.
        assert_eq!(
            decode(b"some text\0with a NUL in it"),
            Err(DecodeError::NulBytes)
        );
    }
}

#[cfg(test)]
mod control_tests {
    use super::count_controls;

    /// The chars' own count: what `count_controls` does byte by byte.
    fn by_chars(text: &str, most: usize) -> (usize, usize) {
        let mut total = 0usize;
        let mut control = 0usize;
        for c in text.chars().take(most) {
            total += 1;
            if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c' | '\u{85}') {
                control += 1;
            }
        }
        (total, control)
    }

    #[test]
    fn controls_are_counted_among_letters_of_any_width() {
        let text = "a\u{1}b\tc\u{7f}\u{85}\u{9f}é\u{80}中\u{0}";
        assert_eq!(count_controls(text, 100), (12, 5));
        // Only the first chars are looked at.
        assert_eq!(count_controls(text, 2), (2, 1));
        assert_eq!(count_controls(text, 100), by_chars(text, 100));
    }

    proptest::proptest! {
        #[test]
        fn the_byte_count_is_the_char_count(
            s in "([a-z \n\r\t]|[\u{0}-\u{1f}]|\u{7f}|[\u{80}-\u{a0}]|é|中|😀){0,60}",
            most in 0usize..70,
        ) {
            proptest::prop_assert_eq!(count_controls(&s, most), by_chars(&s, most));
        }
    }
}
