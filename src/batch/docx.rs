//! Reading a Word document (DOCX): the paragraphs of `word/document.xml`, one paragraph per
//! block, blank lines between.

use std::io::{Cursor, Read};

use quick_xml::events::Event;

/// The decompressed document part is never allowed past this (a ZIP bomb guard).
const MAX_XML: u64 = 64 * 1024 * 1024;

/// Why a DOCX could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a Word document that cannot be read: {0}")]
pub struct DocxError(pub String);

/// True when the bytes are a ZIP archive holding `word/document.xml`.
pub fn is_docx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
        && zip::ZipArchive::new(Cursor::new(bytes))
            .is_ok_and(|z| z.index_for_name("word/document.xml").is_some())
}

/// The text of a DOCX: each paragraph on its own line, paragraphs separated by a blank line,
/// tabs and line breaks kept.
pub fn document_text(bytes: &[u8]) -> Result<String, DocxError> {
    let err = |e: &dyn std::fmt::Display| DocxError(e.to_string());
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| err(&e))?;
    let part = zip.by_name("word/document.xml").map_err(|e| err(&e))?;
    let mut xml = Vec::new();
    part.take(MAX_XML)
        .read_to_end(&mut xml)
        .map_err(|e| err(&e))?;
    paragraphs(&xml).map(|p| p.join("\n\n"))
}

fn paragraphs(xml: &[u8]) -> Result<Vec<String>, DocxError> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut out = Vec::new();
    let mut para = String::new();
    let mut in_text = false;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                b"t" => in_text = true,
                b"tab" => para.push('\t'),
                b"br" | b"cr" => para.push('\n'),
                _ => {}
            },
            Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                b"tab" => para.push('\t'),
                b"br" | b"cr" => para.push('\n'),
                b"p" => {}
                _ => {}
            },
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => {
                    let p = std::mem::take(&mut para);
                    let p = p.trim_end();
                    if !p.trim().is_empty() {
                        out.push(p.to_string());
                    }
                }
                _ => {}
            },
            Ok(Event::Text(t)) if in_text => {
                let text = t.decode().map_err(|e| DocxError(e.to_string()))?;
                para.push_str(
                    &quick_xml::escape::unescape(&text).map_err(|e| DocxError(e.to_string()))?,
                );
            }
            Ok(Event::GeneralRef(r)) if in_text => {
                let name = r.decode().map_err(|e| DocxError(e.to_string()))?;
                let entity = format!("&{name};");
                match quick_xml::escape::unescape(&entity) {
                    Ok(s) => para.push_str(&s),
                    Err(_) => para.push_str(&entity),
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(DocxError(e.to_string())),
        }
        buf.clear();
    }
    Ok(out)
}

/// A minimal DOCX holding these paragraphs (for tests and fixtures): `word/document.xml` with
/// one `w:p` per paragraph, `\t` as `w:tab`.
pub fn build(paragraphs: &[&str]) -> Vec<u8> {
    use std::io::Write;
    let mut body = String::new();
    for p in paragraphs {
        body.push_str("<w:p><w:r>");
        for (i, piece) in p.split('\t').enumerate() {
            if i > 0 {
                body.push_str("<w:tab/>");
            }
            let esc = quick_xml::escape::escape(piece);
            body.push_str(&format!("<w:t xml:space=\"preserve\">{esc}</w:t>"));
        }
        body.push_str("</w:r></w:p>");
    }
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
    let ok = zip.start_file("[Content_Types].xml", opts).is_ok()
        && zip.write_all(types.as_bytes()).is_ok()
        && zip.start_file("word/document.xml", opts).is_ok()
        && zip.write_all(xml.as_bytes()).is_ok();
    match (ok, zip.finish()) {
        (true, Ok(c)) => c.into_inner(),
        _ => Vec::new(),
    }
}
