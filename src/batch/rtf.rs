//! RTF to plain text: control words stripped, `\par` and `\line` as line breaks, `\tab` as a
//! tab, `\'hh` read in the document's ANSI code page, `\uN` as the character, and the
//! destinations that hold no text (font and color tables, style sheets, pictures, `{\*…}`)
//! skipped.

pub fn is_rtf(text: &str) -> bool {
    text.trim_start().starts_with("{\\rtf")
}

/// Destinations whose content is not document text.
const SKIP: &[&str] = &[
    "fonttbl",
    "colortbl",
    "stylesheet",
    "info",
    "pict",
    "header",
    "footer",
    "headerl",
    "headerr",
    "footerl",
    "footerr",
    "listtable",
    "listoverridetable",
    "revtbl",
    "rsidtbl",
    "xmlnstbl",
    "generator",
    "themedata",
    "colorschememapping",
    "datastore",
    "latentstyles",
    "object",
    "fldinst",
];

pub fn to_text(rtf: &str) -> String {
    let bytes = rtf.as_bytes();
    let mut out = String::with_capacity(rtf.len() / 2);
    let mut pending: Vec<u8> = Vec::new(); // \'hh bytes waiting to be decoded
    let mut encoding = encoding_rs::WINDOWS_1252;
    // Per group: skipping?, \uc count.
    let mut stack: Vec<(bool, usize)> = vec![(false, 1)];
    let mut skip_chars = 0usize;
    let mut i = 0;
    let flush = |pending: &mut Vec<u8>, out: &mut String, enc: &'static encoding_rs::Encoding| {
        if !pending.is_empty() {
            let (t, _) = enc.decode_without_bom_handling(pending);
            out.push_str(&t);
            pending.clear();
        }
    };
    while i < bytes.len() {
        let (skipping, uc) = stack.last().copied().unwrap_or((false, 1));
        let b = bytes[i];
        match b {
            b'{' => {
                flush(&mut pending, &mut out, encoding);
                stack.push((skipping, uc));
                i += 1;
                // {\*\dest ...} is an optional destination: skipped.
                if bytes.get(i..i + 2) == Some(b"\\*")
                    && let Some(top) = stack.last_mut()
                {
                    top.0 = true;
                }
            }
            b'}' => {
                flush(&mut pending, &mut out, encoding);
                if stack.len() > 1 {
                    stack.pop();
                }
                i += 1;
            }
            b'\\' => {
                i += 1;
                let Some(&next) = bytes.get(i) else { break };
                if next == b'\'' {
                    let hex = rtf.get(i + 1..i + 3).unwrap_or("");
                    i += 3;
                    if let Ok(v) = u8::from_str_radix(hex, 16) {
                        if skip_chars > 0 {
                            skip_chars -= 1;
                        } else if !skipping {
                            pending.push(v);
                        }
                    }
                    continue;
                }
                flush(&mut pending, &mut out, encoding);
                if !next.is_ascii_alphabetic() {
                    // Control symbols: \\ \{ \} \~ \- \_ and escaped newlines.
                    i += 1;
                    if skipping {
                        continue;
                    }
                    match next {
                        b'\\' | b'{' | b'}' => out.push(next as char),
                        b'~' => out.push('\u{a0}'),
                        b'_' => out.push('-'),
                        b'\n' | b'\r' => out.push('\n'),
                        _ => {}
                    }
                    continue;
                }
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                    i += 1;
                }
                let word = &rtf[start..i];
                let num_start = i;
                if i < bytes.len() && (bytes[i] == b'-' || bytes[i].is_ascii_digit()) {
                    i += 1;
                    while i < bytes.len() && bytes[i].is_ascii_digit() {
                        i += 1;
                    }
                }
                let param: Option<i64> = rtf[num_start..i].parse().ok();
                if bytes.get(i) == Some(&b' ') {
                    i += 1;
                }
                if SKIP.contains(&word) {
                    if let Some(top) = stack.last_mut() {
                        top.0 = true;
                    }
                    continue;
                }
                match word {
                    "ansicpg" => {
                        if let Some(e) = param.and_then(codepage) {
                            encoding = e;
                        }
                    }
                    "uc" => {
                        if let Some(top) = stack.last_mut() {
                            top.1 = param.unwrap_or(1).max(0) as usize;
                        }
                    }
                    _ if skipping => {}
                    "par" | "line" | "sect" | "page" | "row" => out.push('\n'),
                    "tab" | "cell" => out.push('\t'),
                    "emdash" => out.push('\u{2014}'),
                    "endash" => out.push('\u{2013}'),
                    "lquote" => out.push('\u{2018}'),
                    "rquote" => out.push('\u{2019}'),
                    "ldblquote" => out.push('\u{201c}'),
                    "rdblquote" => out.push('\u{201d}'),
                    "bullet" => out.push('\u{2022}'),
                    "u" => {
                        if let Some(p) = param {
                            let code = if p < 0 { p + 65_536 } else { p } as u32;
                            out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                            skip_chars = uc;
                        }
                    }
                    _ => {}
                }
            }
            b'\r' | b'\n' => i += 1,
            _ => {
                let len = utf8_len(b);
                if skip_chars > 0 {
                    skip_chars -= 1;
                } else if !skipping {
                    flush(&mut pending, &mut out, encoding);
                    out.push_str(rtf.get(i..i + len).unwrap_or(""));
                }
                i += len;
            }
        }
    }
    flush(&mut pending, &mut out, encoding);
    out
}

fn utf8_len(b: u8) -> usize {
    match b {
        0xf0..=0xff => 4,
        0xe0..=0xef => 3,
        0xc0..=0xdf => 2,
        _ => 1,
    }
}

fn codepage(cp: i64) -> Option<&'static encoding_rs::Encoding> {
    let label = match cp {
        1250..=1258 => format!("windows-{cp}"),
        65001 => "utf-8".into(),
        _ => return None,
    };
    encoding_rs::Encoding::for_label(label.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_words_are_stripped() {
        let rtf = r"{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Arial;}}{\*\generator Foo;}\f0\fs20 HD\tab Caf\'e9 \u8212? talks\par BY\tab J\'f6rg\par}";
        assert_eq!(to_text(rtf), "HD\tCafé \u{2014} talks\nBY\tJörg\n");
        assert!(is_rtf(rtf));
    }
}
