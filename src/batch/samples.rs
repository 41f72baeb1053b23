//! Batch files written for the tests, in the shape of each database's downloads.

/// LexisNexis plain text: a cover block and three documents; the first with an edition line
/// and a `Pg.` section, the second without a byline and with non-ASCII names, the third
/// malformed (no headline, no text).
pub const LEXIS: &str = "Download Request: Current Document: 1-3
Time Of Request: Monday, January 11, 2010  10:21:08 EST
Send To:
Terms: (scotland and election)

Source: The Guardian (London), The Times (London)
Project ID:

                              1 of 3 DOCUMENTS


                             The Guardian (London)

                        January 11, 2010 Monday
                               Edition 1;
                                Scotland

Holyrood election date set for May

BYLINE: Severin Carrell, Scotland editor

SECTION: HOME NEWS; Pg. 6

LENGTH: 677 words

DATELINE: Edinburgh


The Scottish parliament will go to the polls on 5 May, the presiding officer said yesterday.

Party leaders welcomed the decision, which ends months of speculation about the timing.

LOAD-DATE: January 12, 2010

LANGUAGE: ENGLISH

PUBLICATION-TYPE: Newspaper

SUBJECT: ELECTIONS (90%); POLITICS (89%)

GEOGRAPHIC: EDINBURGH, SCOTLAND (79%); UNITED KINGDOM (93%)


                 Copyright 2010 Guardian Newspapers Limited
                              All Rights Reserved


                              2 of 3 DOCUMENTS


                                The Times (London)

                        February 3, 2010 Wednesday

Zürich bank hires José Müller as chief economist

SECTION: BUSINESS; Pg. 41

LENGTH: 312 words

HIGHLIGHT: The hire ends a six-month search
for a successor


The Swiss bank named José Müller, formerly of the central bank, as its chief economist.

He starts in March and will report to the chief executive, Søren Ødegaard.

LOAD-DATE: February 3, 2010

LANGUAGE: ENGLISH

PUBLICATION-TYPE: Newspaper


                        Copyright 2010 Times Newspapers Ltd.
                              All Rights Reserved


                              3 of 3 DOCUMENTS


                                The Times (London)

LOAD-DATE: February 4, 2010
";

/// Nexis Uni documents as the paragraphs of a DOCX: a cover, then two documents; the first
/// with an edition line and a `Pg.` section, the second without a byline or section.
pub const NEXIS: &[&str] = &[
    "User Name: Researcher",
    "Date and Time: Monday, March 8, 2021 10:00:00 AM EST",
    "Job Number: 139912345",
    "Documents (2)",
    "1. Ärzte warnen vor Hitzewelle",
    "Client/Matter: -None-",
    "Ärzte warnen vor Hitzewelle",
    "Süddeutsche Zeitung",
    "March 5, 2021 Friday",
    "Bayern Edition",
    "Copyright 2021 Süddeutsche Zeitung GmbH All Rights Reserved",
    "Section: PANORAMA; Pg. 12",
    "Length: 420 words",
    "Byline: Jörg Häring and Anne-Sophie Lefèvre",
    "Dateline: MÜNCHEN",
    "Body",
    "Doctors in Bavaria warned on Thursday that the coming heat wave would strain hospitals.",
    "The health ministry said it would open cooling centres in twelve cities.",
    "Classification",
    "Language: GERMAN",
    "Publication-Type: Newspaper",
    "Subject: HEAT WAVES (92%); PUBLIC HEALTH (90%)",
    "Geographic: MUNICH, GERMANY (92%); BAVARIA, GERMANY (90%)",
    "Load-Date: March 6, 2021",
    "End of Document",
    "Port strike ends after three days",
    "The Irish Times",
    "March 6, 2021 Saturday",
    "Copyright 2021 The Irish Times All Rights Reserved",
    "Length: 150 words",
    "Body",
    "Dock workers in Dublin returned to work on Friday after the union accepted an offer.",
    "Classification",
    "Language: ENGLISH",
    "Load-Date: March 7, 2021",
    "End of Document",
];

/// Factiva field-coded text: two articles, the first with section, edition and page, the
/// second without a byline or edition; the first line of the file is a cover line.
pub const FACTIVA: &str = "Factiva export: 2 documents

HD\tBanks brace for tougher capital rules
BY\tBy Ángela Núñez
WC\t540 words
PD\t11 January 2010
SN\tFinancial Times
SC\tFTFTA
SE\tCompanies
ED\tLondon Ed1
PG\t17
LA\tEnglish
CY\t(c) 2010 The Financial Times Limited. All rights reserved.
LP\t
Europe's largest banks are preparing for stricter capital rules, regulators said on Monday.

IN 2009, the banks raised more than 100 billion euros from investors.

TD\t
The Basel committee will publish its proposals next month.

CO\tbcsbk : Basel Committee on Banking Supervision
IN\ti814 : Banking
NS\tc17 : Funding/Capital | ncat : Content Types
RE\teurz : Europe | uk : United Kingdom
PUB\tThe Financial Times Limited
AN\tDocument FTFTA00020100111e61b0001x


HD\tRetail sales rise in December
WC\t210 words
PD\t12 January 2010
SN\tThe Wall Street Journal
SC\tJ
PG\tA4
LA\tEnglish
CY\tCopyright 2010 Dow Jones & Company, Inc. All Rights Reserved.
LP\t
Retail sales rose 0.4% in December, the Commerce Department said Tuesday.

TD\t
Economists had expected a smaller gain.

NS\tecat : Economic News
RE\tusa : United States
AN\tDocument J000000020100112e61c0000a
";

/// The same Factiva articles as an RTF export (bold codes, `\tab`, `\par`, escaped accents).
pub fn factiva_rtf() -> String {
    let mut out = String::from(
        "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss Arial;}}{\\colortbl;\\red0\\green0\\blue0;}\n\\f0\\fs20 ",
    );
    for line in FACTIVA.lines() {
        let mut escaped = String::new();
        for c in line.chars() {
            match c {
                '\t' => escaped.push_str("\\tab "),
                '\\' | '{' | '}' => {
                    escaped.push('\\');
                    escaped.push(c);
                }
                c if (c as u32) < 128 => escaped.push(c),
                c => {
                    let mut buf = [0; 4];
                    let one: &str = c.encode_utf8(&mut buf);
                    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(one);
                    for b in bytes.iter() {
                        escaped.push_str(&format!("\\'{b:02x}"));
                    }
                }
            }
        }
        // The codes are bold in Factiva's RTF.
        if let Some((code, rest)) = escaped.split_once("\\tab ") {
            out.push_str(&format!("{{\\b {code}}}\\tab {rest}\\par\n"));
        } else {
            out.push_str(&format!("{escaped}\\par\n"));
        }
    }
    out.push('}');
    out
}

/// The Nexis Uni sample as a DOCX.
pub fn nexis_docx() -> Vec<u8> {
    super::docx::build(NEXIS)
}

/// Text as CRLF lines.
pub fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

/// Text in Windows-1252 with CRLF lines (every character of the samples maps).
pub fn windows_1252(text: &str) -> Vec<u8> {
    let text = crlf(text);
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
    bytes.into_owned()
}

/// Text as UTF-8 with a BOM.
pub fn utf8_bom(text: &str) -> Vec<u8> {
    let mut out = b"\xef\xbb\xbf".to_vec();
    out.extend_from_slice(text.as_bytes());
    out
}

/// Factiva's "full article" layout without field codes: two articles, the second without a
/// byline, edition or page.
pub const FACTIVA_FULL: &str = "Factiva
2 documents

Banks brace for tougher capital rules
By Ángela Núñez
540 words
11 January 2010
Financial Times
FTFTA
London Ed1
17
English
(c) 2010 The Financial Times Limited. All rights reserved.

Europe's largest banks are preparing for stricter capital rules, regulators said on Monday.

The Basel committee will publish its proposals next month.

Document FTFTA00020100111e61b0001x


Retail sales rise in December
210 words
12 January 2010
The Wall Street Journal
J
English
Copyright 2010 Dow Jones & Company, Inc. All Rights Reserved.

Retail sales rose 0.4% in December, the Commerce Department said Tuesday.

Document J000000020100112e61c0000a
";
