//! Focused tests of each parsing rule on small made-up inputs.

use super::*;

fn credit(name: &str, org: Option<&str>, role: CreditRole, location: Option<&str>) -> Credit {
    Credit {
        name: name.to_string(),
        organization: org.map(str::to_string),
        role,
        location: location.map(str::to_string),
    }
}

const BODY: &str = "The council voted on Tuesday to approve the new budget for the coming year.\n\n\
                    Members debated the plan for three hours before the vote was taken.";

// ----- bylines -------------------------------------------------------------------------------

#[test]
fn byline_single_person() {
    let m = parse_article(&format!("Council passes budget\n\nBy Jane Roe\n\n{BODY}"));
    assert_eq!(m.headline.as_deref(), Some("Council passes budget"));
    assert_eq!(m.authors, vec!["Jane Roe"]);
    assert_eq!(
        m.contributors,
        vec![credit("Jane Roe", None, CreditRole::Byline, None)]
    );
    assert!(m.organizations.is_empty());
}

#[test]
fn byline_two_persons() {
    let m = parse_article(&format!(
        "Council passes budget\n\nBY JANE ROE and John Q. Public\n\n{BODY}"
    ));
    assert_eq!(m.authors, vec!["JANE ROE", "John Q. Public"]);
}

#[test]
fn byline_three_persons_with_organization_line() {
    let m = parse_article(&format!(
        "Council passes budget\n\nBy Ann Lee, Bo Park and Cy de la Cruz\nThe Associated Press\n\n{BODY}"
    ));
    assert_eq!(m.authors, vec!["Ann Lee", "Bo Park", "Cy de la Cruz"]);
    let ap = Some("The Associated Press");
    assert_eq!(
        m.contributors,
        vec![
            credit("Ann Lee", ap, CreditRole::Byline, None),
            credit("Bo Park", ap, CreditRole::Byline, None),
            credit("Cy de la Cruz", ap, CreditRole::Byline, None),
        ]
    );
    // An organization tied to the byline's persons is not an organization-only credit.
    assert!(m.organizations.is_empty());
    assert_eq!(m.paragraphs.len(), 2);
}

#[test]
fn byline_with_organization_on_the_same_line_and_dash() {
    let m = parse_article(&format!(
        "Council passes budget\n\n- By Jane Roe, Bloomberg News\n\n{BODY}"
    ));
    assert_eq!(m.authors, vec!["Jane Roe"]);
    assert_eq!(
        m.contributors,
        vec![credit(
            "Jane Roe",
            Some("Bloomberg News"),
            CreditRole::Byline,
            None
        )]
    );
}

#[test]
fn byline_name_with_email() {
    let m = parse_article(&format!(
        "Council passes budget\n\nJane Roe | jroe@example.com\n\n{BODY}"
    ));
    assert_eq!(m.authors, vec!["Jane Roe"]);
}

#[test]
fn byline_colon_form_and_source_line() {
    let m = parse_article(&format!(
        "Council passes budget\n\nSource: Associated Press\nBy: Jane Roe\n\n{BODY}"
    ));
    assert_eq!(m.authors, vec!["Jane Roe"]);
    assert_eq!(m.organizations, vec!["Associated Press"]);
    assert_eq!(
        m.contributors,
        vec![credit(
            "Jane Roe",
            Some("Associated Press"),
            CreditRole::Byline,
            None
        )]
    );
}

#[test]
fn org_only_bylines() {
    for (line, org) in [
        ("By Associated Press", "Associated Press"),
        ("BY THE ASSOCIATED PRESS", "THE ASSOCIATED PRESS"),
        ("Reuters Staff", "Reuters"),
        ("The Associated Press", "The Associated Press"),
        (
            "by Springfield Daily Gazette | Today at 9:08 a.m.",
            "Springfield Daily Gazette",
        ),
    ] {
        let m = parse_article(&format!("Council passes budget\n\n{line}\n\n{BODY}"));
        assert!(m.authors.is_empty(), "{line}: {:?}", m.authors);
        assert!(m.contributors.is_empty(), "{line}: {:?}", m.contributors);
        assert_eq!(m.organizations, vec![org], "{line}");
        assert_eq!(m.paragraphs.len(), 2, "{line}");
    }
}

#[test]
fn byline_title_line_is_not_body() {
    let m = parse_article(&format!(
        "Council passes budget\n\nBy Jane Roe\nStaff Writer\n\n{BODY}"
    ));
    assert_eq!(m.authors, vec!["Jane Roe"]);
    assert_eq!(m.boilerplate, vec!["Staff Writer"]);
    assert_eq!(m.paragraphs.len(), 2);
}

#[test]
fn by_at_the_start_of_a_sentence_is_not_a_byline() {
    let m = parse_article(
        "Storm hits coast\n\nBy noon the river had risen two feet, officials said.\n\nMore rain is due.",
    );
    assert!(m.authors.is_empty());
    assert_eq!(
        m.paragraphs[0],
        "By noon the river had risen two feet, officials said."
    );
}

// ----- datelines -----------------------------------------------------------------------------

fn dateline_of(first: &str) -> ArticleMetadata {
    parse_article(&format!(
        "Storm hits coast\n\n{first}\n\nMore rain is due on Friday."
    ))
}

#[test]
fn dateline_dash_forms() {
    for (line, place, source) in [
        ("SPRINGFIELD -- The river rose.", "SPRINGFIELD", None),
        ("SPRINGFIELD—The river rose.", "SPRINGFIELD", None),
        ("SPRINGFIELD – The river rose.", "SPRINGFIELD", None),
        ("SPRINGFIELD - The river rose.", "SPRINGFIELD", None),
        ("SPRINGFIELD: The river rose.", "SPRINGFIELD", None),
        (
            "SPRINGFIELD (AP) — The river rose.",
            "SPRINGFIELD",
            Some("AP"),
        ),
        (
            "LITTLE ROCK, Ark. (AP) — The river rose.",
            "LITTLE ROCK, Ark.",
            Some("AP"),
        ),
        (
            "NAIROBI, Kenya (Reuters) - The river rose.",
            "NAIROBI, Kenya",
            Some("Reuters"),
        ),
        (
            "Springfield (UPI) -- The river rose.",
            "Springfield",
            Some("UPI"),
        ),
        (
            "OSAKA (Jiji Press) — The river rose.",
            "OSAKA",
            Some("Jiji Press"),
        ),
    ] {
        let m = dateline_of(line);
        assert_eq!(m.dateline.as_deref(), Some(place), "{line}");
        assert_eq!(m.dateline_source.as_deref(), source, "{line}");
        assert_eq!(m.paragraphs[0], "The river rose.", "{line}");
    }
}

#[test]
fn dateline_with_date() {
    let m = dateline_of("MUMBAI, Jan 11 (Reuters) - Shares rose.");
    assert_eq!(m.dateline.as_deref(), Some("MUMBAI"));
    assert_eq!(m.dateline_source.as_deref(), Some("Reuters"));
    assert_eq!(
        m.published, None,
        "a dateline date without a year is not a date"
    );
    let m = dateline_of("BAMAKO, Mali, Nov. 22 (UPI) -- Troops searched.");
    assert_eq!(m.dateline.as_deref(), Some("BAMAKO, Mali"));
    assert_eq!(m.dateline_source.as_deref(), Some("UPI"));
    let m = dateline_of("PARIS, FRANCE (NOVEMBER 27, 2015) (REUTERS) – Crowds gathered.");
    assert_eq!(m.dateline.as_deref(), Some("PARIS, FRANCE"));
    assert_eq!(m.dateline_source.as_deref(), Some("REUTERS"));
    assert_eq!(m.published.as_deref(), Some("2015-11-27"));
    assert_eq!(m.paragraphs[0], "Crowds gathered.");
}

#[test]
fn dateline_place_alone_on_its_line() {
    let m = dateline_of("WASHINGTON\n\nThe House voted on Thursday.");
    assert_eq!(m.dateline.as_deref(), Some("WASHINGTON"));
    assert_eq!(m.paragraphs[0], "The House voted on Thursday.");
}

#[test]
fn no_dateline_in_ordinary_sentences() {
    for line in [
        "Officials - including the mayor - spoke.",
        "The mayor (left) spoke - briefly.",
        "NOTE: This story has been updated.",
    ] {
        let m = dateline_of(line);
        assert_eq!(m.dateline, None, "{line}");
    }
}

// ----- credits -------------------------------------------------------------------------------

#[test]
fn information_credit() {
    let m = parse_article(&format!(
        "{BODY}\n\nInformation for this article was contributed by Ann Lee and Bo Park of The Daily Planet; by Cy Diaz of City Wire; and by Di Ng of Metro News."
    ));
    assert_eq!(
        m.contributors,
        vec![
            credit(
                "Ann Lee",
                Some("The Daily Planet"),
                CreditRole::Information,
                None
            ),
            credit(
                "Bo Park",
                Some("The Daily Planet"),
                CreditRole::Information,
                None
            ),
            credit("Cy Diaz", Some("City Wire"), CreditRole::Information, None),
            credit("Di Ng", Some("Metro News"), CreditRole::Information, None),
        ]
    );
    assert_eq!(m.paragraphs.len(), 2);
}

#[test]
fn reuters_credit_with_locations() {
    let m = parse_article(&format!(
        "{BODY} (Reporting by Ann Lee in Paris and Bo Park; Additional reporting by Cy Diaz in Rome; Editing by Di Ng)"
    ));
    let r = Some("Reuters");
    assert_eq!(
        m.contributors,
        vec![
            credit("Ann Lee", r, CreditRole::Reporting, Some("Paris")),
            credit("Bo Park", r, CreditRole::Reporting, None),
            credit("Cy Diaz", r, CreditRole::Reporting, Some("Rome")),
            credit("Di Ng", r, CreditRole::Editing, None),
        ]
    );
    assert_eq!(
        m.paragraphs[1],
        "Members debated the plan for three hours before the vote was taken."
    );
}

#[test]
fn reuters_credit_alone_on_its_line() {
    let m = parse_article(&format!(
        "{BODY}\n\n(Reporting by Ann Lee; Editing by Bo Park)"
    ));
    assert_eq!(m.contributors.len(), 2);
    assert_eq!(m.paragraphs.len(), 2);
}

#[test]
fn contributed_to_this_report() {
    let m = parse_article(&format!(
        "{BODY}\n\nAnn Lee and Bo Park contributed to this report."
    ));
    assert_eq!(
        m.contributors,
        vec![
            credit("Ann Lee", None, CreditRole::Contributed, None),
            credit("Bo Park", None, CreditRole::Contributed, None),
        ]
    );
    assert_eq!(m.paragraphs.len(), 2);
    let m = parse_article(&format!(
        "{BODY}\n\nKXYZ’s Ann Lee contributed to this report."
    ));
    assert_eq!(
        m.contributors,
        vec![credit(
            "Ann Lee",
            Some("KXYZ"),
            CreditRole::Contributed,
            None
        )]
    );
}

#[test]
fn wire_writers_contributed() {
    let m = parse_article(&format!(
        "{BODY}\n\nAssociated Press writers Ann Lee in Cairo and Bo Park contributed."
    ));
    let ap = Some("Associated Press");
    assert_eq!(
        m.contributors,
        vec![
            credit("Ann Lee", ap, CreditRole::Contributed, Some("Cairo")),
            credit("Bo Park", ap, CreditRole::Contributed, None),
        ]
    );
}

#[test]
fn reported_from() {
    let m = parse_article(&format!("{BODY}\n\nLee reported from Cairo."));
    assert_eq!(
        m.contributors,
        vec![credit("Lee", None, CreditRole::Reported, Some("Cairo"))]
    );
    assert_eq!(m.paragraphs.len(), 2);
    let m = parse_article(&format!("{BODY}\n\nOfficials reported from the scene."));
    assert!(m.contributors.is_empty());
}

#[test]
fn item_signoff() {
    let m = parse_article(&format!("{BODY}\n\n— Ann Lee, Cairo"));
    assert_eq!(
        m.contributors,
        vec![credit(
            "Ann Lee",
            None,
            CreditRole::ItemSignoff,
            Some("Cairo")
        )]
    );
}

// ----- captions ------------------------------------------------------------------------------

#[test]
fn caption_printed_twice() {
    let cap = "The mayor (left) speaks to reporters outside City Hall on Tuesday.";
    let m = parse_article(&format!("Council passes budget\n\n{cap}\n{cap}\n\n{BODY}"));
    assert_eq!(m.captions, vec![cap]);
    assert!(!m.paragraphs.iter().any(|p| p == cap));
    assert_eq!(m.paragraphs.len(), 2);
}

#[test]
fn caption_printed_three_times_with_ap_photo_credit() {
    let cap = "Workers clear debris from a street on Monday. (AP Photo/Jane Roe)";
    let m = parse_article(&format!(
        "Storm hits coast\n\n{cap}\n\n{cap}\n\n{cap}\n\n{BODY}"
    ));
    assert_eq!(m.captions, vec![cap]);
    assert_eq!(m.photo_credits, vec!["AP Photo/Jane Roe"]);
    assert_eq!(m.paragraphs.len(), 2);
}

#[test]
fn caption_after_photo_label_and_credit_lines() {
    let m = parse_article(&format!(
        "{BODY}\n\nphoto\n\nAP/Daily Planet\n\nA crowd gathers outside the hall on Monday.\n\nThe vote was close."
    ));
    assert_eq!(
        m.captions,
        vec!["A crowd gathers outside the hall on Monday."]
    );
    assert_eq!(m.photo_credits, vec!["AP/Daily Planet"]);
    assert_eq!(
        m.paragraphs.last().map(String::as_str),
        Some("The vote was close.")
    );
}

#[test]
fn caption_beside_credit_line_in_its_block() {
    let m = parse_article(&format!(
        "Storm hits coast\n\nAP file photo\nA flooded street in the old town.\n\n{BODY}"
    ));
    assert_eq!(m.captions, vec!["A flooded street in the old town."]);
    assert_eq!(m.photo_credits, vec!["AP file photo"]);
    assert_eq!(m.deck, None);
}

// ----- paragraphs ----------------------------------------------------------------------------

#[test]
fn hard_wrapped_paragraphs_are_joined() {
    let text = "The city council voted on Tuesday to approve a new budget that\n\
                raises spending on roads and schools by ten percent this year.\n\
                Members debated the plan for three hours before the final vote\n\
                was taken late in the evening.\n\
                \"It is a good day for the city,\" the mayor said after the meeting\n\
                ended and the members left the hall.\n";
    let m = parse_article(text);
    assert_eq!(m.headline, None);
    assert_eq!(
        m.paragraphs,
        vec![
            "The city council voted on Tuesday to approve a new budget that raises spending on roads and schools by ten percent this year.",
            "Members debated the plan for three hours before the final vote was taken late in the evening.",
            "\"It is a good day for the city,\" the mayor said after the meeting ended and the members left the hall.",
        ]
    );
    assert_eq!(
        m.word_count,
        m.paragraphs
            .iter()
            .map(|p| p.split_whitespace().count())
            .sum::<usize>()
    );
}

#[test]
fn lines_of_unwrapped_text_stay_paragraphs() {
    let m =
        parse_article("Storm hits coast\nThe river rose two feet overnight.\nMore rain is due.");
    assert_eq!(m.headline.as_deref(), Some("Storm hits coast"));
    assert_eq!(
        m.paragraphs,
        vec!["The river rose two feet overnight.", "More rain is due."]
    );
}

// ----- sections and dates --------------------------------------------------------------------

#[test]
fn section_on_numeric_date() {
    let m = parse_article(&format!("{BODY}\n\nB Section on 3/4/2016"));
    assert_eq!(m.section.as_deref(), Some("B Section"));
    assert_eq!(m.published.as_deref(), Some("2016-03-04"));
    assert_eq!(m.paragraphs.len(), 2);
}

#[test]
fn date_forms() {
    for (line, iso) in [
        ("Nov. 27, 2015", "2015-11-27"),
        ("Nov 27, 2015 9:43 PM CST", "2015-11-27"),
        ("November 27, 2015", "2015-11-27"),
        ("NOVEMBER 27 2015", "2015-11-27"),
        ("27 November 2015", "2015-11-27"),
        ("2015-11-27", "2015-11-27"),
        ("Sept. 3, 2016, 9:10 AM", "2016-09-03"),
        ("Updated February 29, 2016 at 9:15 a.m.", "2016-02-29"),
    ] {
        let m = parse_article(&format!("Council passes budget\n\n{line}\n\n{BODY}"));
        assert_eq!(m.published.as_deref(), Some(iso), "{line}");
        assert_eq!(m.paragraphs.len(), 2, "{line}");
    }
}

#[test]
fn invalid_and_unstated_dates_are_not_dates() {
    let m = parse_article(&format!(
        "Council passes budget\n\nFebruary 30, 2015\n\n{BODY}"
    ));
    assert_eq!(m.published, None);
    // A date inside a body sentence is not the article's date.
    let m = parse_article(
        "Council passes budget\n\nThe plan was first proposed on Nov. 27, 2015, by the mayor.",
    );
    assert_eq!(m.published, None);
    // Nor is a date in a copyright line or a caption.
    let m = parse_article(&format!(
        "{BODY}\n\nCopyright 2016 The Daily Planet. All rights reserved. Posted Nov. 27, 2015"
    ));
    assert_eq!(m.published, None);
    assert_eq!(m.organizations, vec!["The Daily Planet"]);
}

#[test]
fn section_labels() {
    let m = parse_article(&format!("World\n\nCouncil passes budget\n\n{BODY}"));
    assert_eq!(m.section.as_deref(), Some("World"));
    assert_eq!(m.headline.as_deref(), Some("Council passes budget"));
    let m = parse_article(&format!("Council passes budget\n\nPage 3B\n\n{BODY}"));
    assert_eq!(m.section.as_deref(), Some("Page 3B"));
    let m = parse_article(&format!("NATION – Council passes budget\n\n{BODY}"));
    assert_eq!(m.section.as_deref(), Some("NATION"));
}

// ----- headline, deck, boilerplate -----------------------------------------------------------

#[test]
fn headline_and_deck() {
    let m = parse_article(&format!(
        "Council passes budget\n\nSpending on roads rises by a tenth\n\n{BODY}"
    ));
    assert_eq!(m.headline.as_deref(), Some("Council passes budget"));
    assert_eq!(
        m.deck.as_deref(),
        Some("Spending on roads rises by a tenth")
    );
    assert_eq!(m.paragraphs.len(), 2);
    // A sentence deck counts when the byline or dateline still follows.
    let m = parse_article(&format!(
        "Council passes budget\n\nThe vote ends a month of debate.\n\nBy Jane Roe\n\n{BODY}"
    ));
    assert_eq!(m.deck.as_deref(), Some("The vote ends a month of debate."));
}

#[test]
fn breaking_prefix_and_masthead() {
    let m = parse_article(&format!(
        "Springfield Daily Gazette\n\nBreaking: Council passes budget\nCouncil passes budget\n\n{BODY}"
    ));
    assert_eq!(m.headline.as_deref(), Some("Council passes budget"));
    assert!(
        m.boilerplate
            .contains(&"Springfield Daily Gazette".to_string())
    );
}

#[test]
fn boilerplate_is_kept_apart() {
    let m = parse_article(&format!(
        "Advertisement\n\nCouncil passes budget\n\n{BODY}\n\nRELATED ARTICLE\n\nAdvertisement\n\n1234567\n\nHome » News » Council\n\nThe mayor will sign it on Friday.\n\nShare this article\n\nComments\n\nnice one\n\n3 min read"
    ));
    assert_eq!(m.headline.as_deref(), Some("Council passes budget"));
    assert_eq!(m.paragraphs.len(), 3);
    assert_eq!(
        m.boilerplate,
        vec![
            "Advertisement",
            "RELATED ARTICLE",
            "Advertisement",
            "1234567",
            "Home » News » Council",
            "Share this article",
            "Comments",
            "nice one",
            "3 min read",
        ]
    );
}

#[test]
fn run_in_deck_is_split_from_a_long_headline() {
    let m = parse_article(
        "School starts later for many children this year across the state Parents weigh costs of waiting another year\n\nMany families wait.",
    );
    assert_eq!(
        m.headline.as_deref(),
        Some("School starts later for many children this year across the state")
    );
    assert_eq!(
        m.deck.as_deref(),
        Some("Parents weigh costs of waiting another year")
    );
}

#[test]
fn empty_and_blank_inputs() {
    for t in ["", "\n\n", "   ", "|", "0:00"] {
        let m = parse_article(t);
        assert_eq!(m.headline, None, "{t:?}");
        assert!(m.paragraphs.is_empty(), "{t:?}");
        assert_eq!(m.word_count, 0);
    }
}

// ----- further forms -------------------------------------------------------------------------

#[test]
fn byline_with_wire_writer_title_line() {
    let m = parse_article(&format!(
        "Council passes budget\n\nBy JANE ROE\nAssociated Press Writer\n\n{BODY}"
    ));
    assert_eq!(m.authors, vec!["JANE ROE"]);
    assert_eq!(
        m.contributors,
        vec![credit(
            "JANE ROE",
            Some("Associated Press"),
            CreditRole::Byline,
            None
        )]
    );
}

#[test]
fn byline_with_date_or_title_after_it() {
    for line in [
        "By Jane Roe on Nov. 27, 2015",
        "By Jane Roe • Staff Writer",
        "By Jane Roe | Today at 9:08 a.m.",
    ] {
        let m = parse_article(&format!("Council passes budget\n\n{line}\n\n{BODY}"));
        assert_eq!(m.authors, vec!["Jane Roe"], "{line}");
    }
    let m = parse_article(&format!(
        "Council passes budget\n\nBy Jane Roe on Nov. 27, 2015\n\n{BODY}"
    ));
    assert_eq!(m.published.as_deref(), Some("2015-11-27"));
}

#[test]
fn organization_contributed() {
    let m = parse_article(&format!(
        "{BODY}\n\nThe Associated Press contributed to this report."
    ));
    assert!(m.contributors.is_empty());
    assert_eq!(m.organizations, vec!["The Associated Press"]);
    assert_eq!(m.paragraphs.len(), 2);
}

#[test]
fn file_photo_caption() {
    let cap = "FILE - In this Nov. 27, 2015, file photo, workers clear debris from a street.";
    let m = parse_article(&format!(
        "Storm hits coast\n\n{BODY}\n\n{cap}\n\nMore rain is due."
    ));
    assert_eq!(m.captions, vec![cap]);
    assert_eq!(m.published, None);
}

#[test]
fn headline_printed_twice_is_the_headline() {
    let m = parse_article(&format!(
        "Council passes budget\nCouncil passes budget\n\n{BODY}"
    ));
    assert_eq!(m.headline.as_deref(), Some("Council passes budget"));
    assert!(m.captions.is_empty());
    assert_eq!(m.paragraphs.len(), 2);
}

#[test]
fn white_space_helpers_agree_with_the_standard_library() {
    for s in [
        "",
        "  a  b\tc\n",
        "a\u{a0}b\u{2009}c\u{3000}d\u{1680}e\u{85}f\u{2028}g\u{205f}h",
        "“quoted” – dash’s é ü 漢字  end ",
        "\u{2012}\u{2019}\u{201c}",
    ] {
        let expected = s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(lines::normalize_ws(s), expected, "{s:?}");
        assert_eq!(
            lines::word_count_upto(s, 100),
            s.split_whitespace().count(),
            "{s:?}"
        );
    }
}

proptest::proptest! {
    #[test]
    fn white_space_helpers_match_std_on_any_text(s in "(\\PC|\\s|\u{a0}|\u{2009}|\u{3000}|\u{85}){0,60}") {
        let expected = s.split_whitespace().collect::<Vec<_>>().join(" ");
        proptest::prop_assert_eq!(lines::normalize_ws(&s), expected);
        proptest::prop_assert_eq!(lines::word_count_upto(&s, 1000), s.split_whitespace().count());
    }
}

proptest::proptest! {
    /// Mostly plain ASCII, so the eight-bytes-at-a-time paths run, with spaces, controls and
    /// multi-byte white space falling anywhere relative to the eight-byte words.
    #[test]
    fn white_space_helpers_match_std_on_ascii_runs(
        s in "([a-c]|[ ]|[ ][ ]|\t|\u{a0}|\u{2009}|é){0,80}",
        limit in 0usize..20,
    ) {
        let expected = s.split_whitespace().collect::<Vec<_>>().join(" ");
        proptest::prop_assert_eq!(lines::normalize_ws(&s), expected);
        let words = s.split_whitespace().count();
        proptest::prop_assert_eq!(lines::word_count_upto(&s, limit), words.min(limit + 1));
    }
}

proptest::proptest! {
    /// Long enough for several sixteen-byte chunks, with white space and multi-byte characters
    /// falling on every side of a chunk edge.
    #[test]
    fn is_normalized_matches_std(
        s in "([a-c]{1,5}|[ ]|[ ][ ]|\t|\u{a0}|\u{2009}|\u{2019}|\u{3000}|é|\u{1}){0,60}",
    ) {
        let expected = s.split_whitespace().collect::<Vec<_>>().join(" ");
        proptest::prop_assert_eq!(lines::is_normalized(&s), expected == s);
    }
}

/// A case `parse_props` found: two spaces across a chunk edge, after a chunk that takes the
/// byte-by-byte check.
#[test]
fn space_pair_across_a_chunk_edge() {
    let s = "of The Associated Press0 !0 ΣA0ቐﯓ®𝌀ወA 𝕊photo(AP) — ; Editing by  contributed to this report.By";
    assert!(!lines::is_normalized(s));
    for k in 0..40 {
        let s = format!("{}—{}  x", "a".repeat(k), "b".repeat(40 - k));
        assert!(!lines::is_normalized(&s), "{s:?}");
    }
}

proptest::proptest! {
    #[test]
    fn high_bit_count_matches_count_ones(x in proptest::num::u64::ANY) {
        let m = x & 0x8080_8080_8080_8080;
        proptest::prop_assert_eq!(lines::count_high_bits(m), m.count_ones() as usize);
    }
}

// ----- issue 12: the shapes of unseen articles (own sentences) -------------------------------

const LEDE_TAIL: &str = "officials opened the new harbor bridge to traffic on Monday morning.\n\n\
                         Drivers waited in long lines to cross it for the first time.";

#[test]
fn reuters_dateline_after_page_furniture() {
    let m = parse_article(&format!(
        "Markets\n\nHarbor bridge opens to traffic\n\nAdvertisement\n\n3 min read\n\n\
         PORTSVILLE, Mar 4 (Reuters) - City {LEDE_TAIL}"
    ));
    assert_eq!(
        m.headline.as_deref(),
        Some("Harbor bridge opens to traffic")
    );
    assert_eq!(m.dateline.as_deref(), Some("PORTSVILLE"));
    assert_eq!(m.dateline_source.as_deref(), Some("Reuters"));
}

#[test]
fn dateline_with_a_plain_hyphen() {
    let m = dateline_of(&format!("LISBON - City {LEDE_TAIL}"));
    assert_eq!(m.dateline.as_deref(), Some("LISBON"));
    assert!(m.paragraphs[0].starts_with("City officials"));
}

#[test]
fn byline_and_dateline_in_one_paragraph() {
    let m = parse_article(&format!(
        "Harbor bridge opens to traffic\n\nBy Associated Press staff LISBON — City {LEDE_TAIL}"
    ));
    assert_eq!(m.dateline.as_deref(), Some("LISBON"));
    assert!(m.authors.is_empty(), "{:?}", m.authors);
    assert_eq!(m.organizations, vec!["Associated Press"]);
    assert!(m.paragraphs[0].starts_with("City officials"));
}

#[test]
fn stripped_reuters_dateline_without_tag_or_dash() {
    let m = dateline_of(&format!("OPORTO, Portugal Mar 4 City {LEDE_TAIL}"));
    assert_eq!(m.dateline.as_deref(), Some("OPORTO, Portugal"));
    assert!(m.paragraphs[0].starts_with("City officials"));
}

#[test]
fn afp_dateline_with_parenthesised_country() {
    let m = dateline_of(&format!("SAINT DENIS (France) (AFP) - City {LEDE_TAIL}"));
    assert_eq!(m.dateline.as_deref(), Some("SAINT DENIS (France)"));
    assert_eq!(m.dateline_source.as_deref(), Some("AFP"));
}

#[test]
fn photo_by_line_is_never_a_dateline() {
    let m = parse_article(&format!(
        "Harbor bridge opens to traffic\n\nPhoto by Mara Lind - The bridge at dawn.\n\nCity {LEDE_TAIL}"
    ));
    assert_eq!(m.dateline, None);
}

#[test]
fn web_furniture_is_never_headline_or_deck() {
    let m = parse_article(&format!(
        "Cloudy 61° Good morning\n\nValley Public Radio | Your Source for NPR News\n\nDonate\n\n\
         harbor_bridge_banner.jpg\n\nHarbor bridge opens to traffic\n\nCity {LEDE_TAIL}"
    ));
    assert_eq!(
        m.headline.as_deref(),
        Some("Harbor bridge opens to traffic")
    );
    assert_eq!(m.deck, None);
    assert_eq!(m.section, None);
    assert_eq!(m.publication.as_deref(), Some("Valley Public Radio"));
}

#[test]
fn newspaper_name_line_is_the_publication_not_the_deck() {
    let m = parse_article(&format!(
        "Harbor bridge opens to traffic\n\nThe Lakeside Herald\n\nCity {LEDE_TAIL}"
    ));
    assert_eq!(m.deck, None);
    assert_eq!(m.publication.as_deref(), Some("The Lakeside Herald"));
}

#[test]
fn byline_with_the_paper_after_a_comma() {
    let m = parse_article(&format!(
        "Harbor bridge opens to traffic\n\nBy Mara Lind, Lakeside Herald\n\nCity {LEDE_TAIL}"
    ));
    assert_eq!(m.deck, None);
    assert_eq!(m.authors, vec!["Mara Lind"]);
    assert_eq!(m.publication.as_deref(), Some("Lakeside Herald"));
}

#[test]
fn columnist_line_with_a_bar_is_a_byline() {
    let m = parse_article(&format!(
        "Harbor bridge opens to traffic\n\nMara Lind | Lakeside Mayor\n\nCity {LEDE_TAIL}"
    ));
    assert_eq!(m.deck, None);
    assert_eq!(m.authors, vec!["Mara Lind"]);
}

#[test]
fn byline_names_with_places() {
    let m = parse_article(&format!(
        "Harbor bridge opens to traffic\n\nBy Mara Lind and Otto Berg in Lisbon and Ines Costa in Porto\n\nCity {LEDE_TAIL}"
    ));
    assert_eq!(m.deck, None);
    assert_eq!(m.authors, vec!["Mara Lind", "Otto Berg", "Ines Costa"]);
}

#[test]
fn markdown_image_caption_is_its_text_once() {
    let m = parse_article(&format!(
        "Harbor bridge opens to traffic\n\n![Cars cross the new harbor bridge on Monday.](https://img.example.com/bridge.jpg)\n\n\
         Cars cross the new harbor bridge on Monday.\n\nCity {LEDE_TAIL}"
    ));
    assert_eq!(
        m.captions,
        vec!["Cars cross the new harbor bridge on Monday."]
    );
    assert!(m.paragraphs.iter().all(|p| !p.contains("https://")));
}

#[test]
fn wire_reporter_in_running_text_is_no_credit() {
    let m = parse_article(&format!(
        "Harbor bridge opens to traffic\n\nCity {LEDE_TAIL}\n\n\
         Associated Press writer Otto Berg said in a column last year that the bridge was late."
    ));
    assert!(m.contributors.is_empty(), "{:?}", m.contributors);
}

#[test]
fn content_desk_is_a_wire_not_the_publication() {
    let m = parse_article(&format!(
        "Harbor bridge opens to traffic\n\nBy Cox Media Group National Content Desk\n\nCity {LEDE_TAIL}"
    ));
    assert_eq!(m.publication, None);
    assert!(m.authors.is_empty(), "{:?}", m.authors);
}

#[test]
fn publication_from_footers_and_station_datelines() {
    let m = parse_article(&format!(
        "Harbor bridge opens to traffic\n\nCity {LEDE_TAIL}\n\n© 2019 Lakeside Herald"
    ));
    assert_eq!(m.publication.as_deref(), Some("Lakeside Herald"));
    let m = parse_article(&format!(
        "Harbor bridge opens to traffic\n\nCity {LEDE_TAIL}\n\nCopyright 2016 KXYZ. All rights reserved."
    ));
    assert_eq!(m.publication.as_deref(), Some("KXYZ"));
    let m = dateline_of(&format!("LISBON (WXYZ) – City {LEDE_TAIL}"));
    assert_eq!(m.publication.as_deref(), Some("WXYZ"));
    // A wire's footer names no publication.
    let m = parse_article(&format!(
        "Harbor bridge opens to traffic\n\nCity {LEDE_TAIL}\n\nCopyright 2016 The Associated Press. All rights reserved."
    ));
    assert_eq!(m.publication, None);
    let m = dateline_of(&format!("LISBON (AP) – City {LEDE_TAIL}"));
    assert_eq!(m.publication, None);
}

#[test]
fn each_field_remembers_its_source_range() {
    let text = "Lakeside Herald\n\nHärbor bridge opens\n\nA span ten years in the making\n\n\
                LISBON (AP) — City officials opened it on Monday.\n\nMore later.";
    let m = parse_article(text);
    let slice = |f: Field| {
        let (a, b) = m.sources[&f];
        text.chars().skip(a).take(b - a).collect::<String>()
    };
    assert_eq!(slice(Field::Publication), "Lakeside Herald");
    assert_eq!(slice(Field::Headline), "Härbor bridge opens");
    assert_eq!(slice(Field::Deck), "A span ten years in the making");
    assert_eq!(slice(Field::Dateline), "LISBON (AP) — ");
    assert_eq!(slice(Field::DatelineSource), "LISBON (AP) — ");
    assert!(!m.sources.contains_key(&Field::Section));
}

#[test]
fn byline_with_a_paper_in_capitals_after_the_name() {
    let m = parse_article(&format!(
        "Harbor bridge opens to traffic\n\nBy Mara Lind, USA TODAY\n\nCity {LEDE_TAIL}"
    ));
    assert_eq!(m.deck, None);
    assert_eq!(m.authors, vec!["Mara Lind"]);
    assert_eq!(m.publication.as_deref(), Some("USA TODAY"));
    // "Today" alone above a headline is a date label, not a masthead.
    let m = parse_article(&format!(
        "Today\n\nHarbor bridge opens to traffic\n\nCity {LEDE_TAIL}"
    ));
    assert_eq!(m.publication, None);
}

#[test]
fn a_wire_story_citing_a_paper_names_no_publication() {
    let m = parse_article(
        "Harbor bridge opens to traffic\n\nLISBON (AP) — A Lakeside Herald review of the plans found \
         the bridge was late.\n\nDrivers waited in long lines to cross it.",
    );
    assert_eq!(m.publication, None);
    let m = parse_article(
        "Harbor bridge opens to traffic\n\nA Lakeside Herald review of the plans found the bridge \
         was late.\n\nDrivers waited in long lines to cross it.",
    );
    assert_eq!(m.publication.as_deref(), Some("Lakeside Herald"));
}

#[test]
fn a_temperature_in_a_headline_is_no_weather_widget() {
    let m = parse_article(&format!(
        "Phoenix hits 120° for the first time\n\nCity {LEDE_TAIL}"
    ));
    assert_eq!(
        m.headline.as_deref(),
        Some("Phoenix hits 120° for the first time")
    );
    let m = parse_article(&format!(
        "Mostly sunny 71°F Good afternoon\n\nPhoenix hits 120° for the first time\n\nCity {LEDE_TAIL}"
    ));
    assert_eq!(
        m.headline.as_deref(),
        Some("Phoenix hits 120° for the first time")
    );
}

// ----- forms of pages not in the corpus -------------------------------------------------------

#[test]
fn markdown_bold_byline() {
    let m = parse_article(&format!(
        "# Council passes budget\n\n**By Jane Roe**\n\n{BODY}"
    ));
    assert_eq!(m.headline.as_deref(), Some("Council passes budget"));
    assert_eq!(m.authors, vec!["Jane Roe"]);
    let m = parse_article(&format!("Council passes budget\n\n_By Jane Roe_\n\n{BODY}"));
    assert_eq!(m.authors, vec!["Jane Roe"]);
    // Emphasis inside a sentence is no byline.
    let m = parse_article(&format!(
        "Council passes budget\n\n**Bystanders** cheered.\n\n{BODY}"
    ));
    assert!(m.authors.is_empty());
}

#[test]
fn name_bar_paper_byline_under_the_headline() {
    let m = parse_article(&format!(
        "Council passes budget\n\nJane Roe | The Lakeside Herald\n\n{BODY}"
    ));
    assert_eq!(m.headline.as_deref(), Some("Council passes budget"));
    assert_eq!(m.deck, None);
    assert_eq!(
        m.contributors,
        vec![credit(
            "Jane Roe",
            Some("The Lakeside Herald"),
            CreditRole::Byline,
            None
        )]
    );
    assert_eq!(m.publication.as_deref(), Some("The Lakeside Herald"));
    // Above the headline "Words | Site" is a page title, not a byline.
    let m = parse_article(&format!(
        "Budget Vote Looms | The Lakeside Herald\n\nCouncil passes budget\n\n{BODY}"
    ));
    assert!(m.authors.is_empty());
}

#[test]
fn contact_address_under_a_byline_keeps_the_dateline() {
    let m = parse_article(
        "Council passes budget\n\nBy JANE ROE\njroe@lakesideherald.example\n\nMILLTOWN — The \
         council voted on Tuesday to approve the budget.\n\nMembers debated for hours.",
    );
    assert_eq!(m.authors, vec!["JANE ROE"]);
    assert_eq!(m.dateline.as_deref(), Some("MILLTOWN"));
}

#[test]
fn station_name_line_above_the_headline() {
    for station in ["KQRS Channel 9", "WBXT News 4", "WQPT-TV"] {
        let m = parse_article(&format!(
            "{station}\n\nCouncil passes budget\n\nMILLTOWN (AP) — The council voted on Tuesday \
             to approve the budget.\n\nMembers debated for hours."
        ));
        assert_eq!(
            m.headline.as_deref(),
            Some("Council passes budget"),
            "{station}"
        );
        assert_eq!(m.publication.as_deref(), Some(station));
    }
    // Four capitals starting with W are not call letters when words follow.
    let m = parse_article(&format!(
        "WHAT Comes Next\n\nCouncil passes budget\n\n{BODY}"
    ));
    assert_eq!(m.headline.as_deref(), Some("WHAT Comes Next"));
}

#[test]
fn image_caption_and_copyright_labels() {
    let m = parse_article(&format!(
        "Council passes budget\n\nImage copyright Lakeside Photo Agency\nImage caption The council \
         chamber was full on Tuesday\n\n{BODY}"
    ));
    assert_eq!(m.deck, None);
    assert_eq!(m.photo_credits, vec!["Lakeside Photo Agency"]);
    assert_eq!(m.captions, vec!["The council chamber was full on Tuesday"]);
    let m = parse_article(&format!(
        "Council passes budget\n\nImage source, Jane Roe\nImage caption, Members voted 5-2\n\n{BODY}"
    ));
    assert_eq!(m.photo_credits, vec!["Jane Roe"]);
    assert_eq!(m.captions, vec!["Members voted 5-2"]);
}

#[test]
fn ap_underscore_dash_dateline() {
    let m =
        dateline_of("ST. CLOUD, Minn. (AP) _ The council voted on Tuesday to approve the budget.");
    assert_eq!(m.dateline.as_deref(), Some("ST. CLOUD, Minn."));
    assert_eq!(m.dateline_source.as_deref(), Some("AP"));
    let m = dateline_of("MILLTOWN _ The council voted on Tuesday to approve the budget.");
    assert_eq!(m.dateline.as_deref(), Some("MILLTOWN"));
    // An underscore inside a word is no dash.
    let m = dateline_of("MILL_TOWN voted on Tuesday to approve the budget.");
    assert_eq!(m.dateline, None);
}

#[test]
fn byline_titles_slashes_and_special_to() {
    let m = parse_article(&format!(
        "Council passes budget\n\nBy Jane Roe, Staff Writer\n\n{BODY}"
    ));
    assert_eq!(
        m.contributors,
        vec![credit("Jane Roe", None, CreditRole::Byline, None)]
    );
    let m = parse_article(&format!(
        "Council passes budget\n\nBy Jane Roe / Staff Writer\n\n{BODY}"
    ));
    assert_eq!(m.authors, vec!["Jane Roe"]);
    assert!(m.photo_credits.is_empty());
    let m = parse_article(&format!(
        "Council passes budget\n\nBy Jane Roe and John Poe / The Lakeside Herald\n\n{BODY}"
    ));
    assert_eq!(m.authors, vec!["Jane Roe", "John Poe"]);
    assert_eq!(
        m.contributors[1].organization.as_deref(),
        Some("The Lakeside Herald")
    );
    let m = parse_article(&format!(
        "Council passes budget\n\nBy Jane Roe, Special to The Lakeside Herald\n\n{BODY}"
    ));
    assert_eq!(m.deck, None);
    assert_eq!(m.authors, vec!["Jane Roe"]);
    assert_eq!(m.publication.as_deref(), Some("The Lakeside Herald"));
}

#[test]
fn bylines_without_by() {
    let m = parse_article(&format!(
        "Council passes budget\n\nJane Roe, The Associated Press\n\n{BODY}"
    ));
    assert_eq!(m.deck, None);
    assert_eq!(
        m.contributors,
        vec![credit(
            "Jane Roe",
            Some("The Associated Press"),
            CreditRole::Byline,
            None
        )]
    );
    assert_eq!(m.publication, None);
    // Name and place, then the date line (a Guardian-style page).
    let m = parse_article(&format!(
        "Council passes budget\n\nJane Roe in Milltown\n\nTue 3 Nov 2015 06.00 GMT\n\n{BODY}"
    ));
    assert_eq!(m.authors, vec!["Jane Roe"]);
    assert_eq!(m.published.as_deref(), Some("2015-11-03"));
    // Without the date line a title-case deck is a deck.
    let m = parse_article(&format!(
        "Council passes budget\n\nBig Vote in Milltown\n\n{BODY}"
    ));
    assert!(m.authors.is_empty());
    // A blog's date line naming its author.
    let m = parse_article(&format!(
        "Council passes budget\n\nPosted on November 3, 2015 by Jane Roe\n\n{BODY}"
    ));
    assert_eq!(m.authors, vec!["Jane Roe"]);
    assert_eq!(m.published.as_deref(), Some("2015-11-03"));
}

#[test]
fn bare_name_byline_with_its_organization_or_reading_time() {
    let m = parse_article(&format!(
        "Council passes budget\n\nJane Roe\nAssociated Press\nNovember 3, 2015\n\n{BODY}"
    ));
    assert_eq!(m.deck, None);
    assert_eq!(
        m.contributors,
        vec![credit(
            "Jane Roe",
            Some("Associated Press"),
            CreditRole::Byline,
            None
        )]
    );
    assert_eq!(m.published.as_deref(), Some("2015-11-03"));
    let m = parse_article(&format!(
        "Council passes budget\n\nJane Roe\n4 Min Read\n\n{BODY}"
    ));
    assert_eq!(m.authors, vec!["Jane Roe"]);
    assert_eq!(m.deck, None);
    // A name alone with nothing to say it is a credit stays what it was.
    let m = parse_article(&format!("Council passes budget\n\nJane Roe\n\n{BODY}"));
    assert!(m.authors.is_empty());
}

#[test]
fn section_above_a_date_line_above_the_headline() {
    let m = parse_article(&format!(
        "Business News\nNovember 3, 2015 / 6:12 AM / 3 years ago\n\nCouncil passes budget\n\nBy \
         Jane Roe\n\n{BODY}"
    ));
    assert_eq!(m.section.as_deref(), Some("Business News"));
    assert_eq!(m.headline.as_deref(), Some("Council passes budget"));
    assert_eq!(m.authors, vec!["Jane Roe"]);
    // A headline, its date line, then the body: the headline stays.
    let m = parse_article(&format!("Budget Passes\n\nNovember 3, 2015\n\n{BODY}"));
    assert_eq!(m.headline.as_deref(), Some("Budget Passes"));
}

#[test]
fn file_photo_caption_is_no_dateline() {
    let m = parse_article(&format!(
        "Council passes budget\n\nFILE PHOTO: Members of the council meet in Milltown, October 2, \
         2015. REUTERS/Jane Roe/File Photo\n\nMILLTOWN (Reuters) - {LEDE_TAIL}"
    ));
    assert_eq!(m.dateline.as_deref(), Some("MILLTOWN"));
    assert_eq!(m.captions.len(), 1);
    assert!(m.captions[0].starts_with("FILE PHOTO: Members"));
}

#[test]
fn reported_from_two_places() {
    let m = parse_article(&format!(
        "Council passes budget\n\n{BODY}\n\nJane Roe reported from Milltown, and John Poe from \
         Lakeside."
    ));
    assert_eq!(
        m.contributors,
        vec![
            credit("Jane Roe", None, CreditRole::Reported, Some("Milltown")),
            credit("John Poe", None, CreditRole::Reported, Some("Lakeside")),
        ]
    );
}

#[test]
fn furniture_of_paper_pages() {
    // "Supported by" above the headline, a copyright line with a year range and "© Copyright".
    let m = parse_article(&format!(
        "Supported by\n\nCouncil passes budget\n\n{BODY}\n\nAll content © Copyright 2000 - 2015 \
         WQPT. All Rights Reserved."
    ));
    assert_eq!(m.headline.as_deref(), Some("Council passes budget"));
    assert_eq!(m.publication.as_deref(), Some("WQPT"));
    let m = parse_article(&format!(
        "The Lakeside Guardian\n\nCouncil passes budget\n\n{BODY}"
    ));
    assert_eq!(m.publication.as_deref(), Some("The Lakeside Guardian"));
    assert_eq!(m.headline.as_deref(), Some("Council passes budget"));
}

#[test]
fn wire_tag_leading_without_a_city_in_capitals() {
    let m = dateline_of("(KQRS) — The council voted on Tuesday to approve the budget.");
    assert_eq!(m.dateline, None);
    assert_eq!(m.dateline_source.as_deref(), Some("KQRS"));
    let m = dateline_of("Nov 3 (Reuters) - Lakeside Mills Inc said on Tuesday it would close.");
    assert_eq!(m.dateline, None);
    assert_eq!(m.dateline_source.as_deref(), Some("Reuters"));
    let m = dateline_of("Milltown (CNN)The council voted on Tuesday to approve the budget.");
    assert_eq!(m.dateline.as_deref(), Some("Milltown"));
    assert_eq!(m.dateline_source.as_deref(), Some("CNN"));
    // A party tag or a lower-case aside leading a sentence is no wire.
    let m = dateline_of("Sen. Jane Roe (D-Mass.) Said on Tuesday she would vote no.");
    assert_eq!(m.dateline_source, None);
    let m = dateline_of("Jane Roe (pictured) Voted on Tuesday against the budget.");
    assert_eq!(m.dateline_source, None);
    let m = dateline_of("(UPDATED 5 PM) The council voted on Tuesday to approve the budget.");
    assert_eq!(m.dateline_source, None);
}

#[test]
fn headline_in_capitals_above_a_byline_is_no_section() {
    let m = parse_article(&format!(
        "COUNCIL PASSES BUDGET\n\nBy JANE ROE\nLakeside Herald Staff Writer\n\n{BODY}"
    ));
    assert_eq!(m.headline.as_deref(), Some("COUNCIL PASSES BUDGET"));
    assert_eq!(m.section, None);
    assert_eq!(m.authors, vec!["JANE ROE"]);
}

#[test]
fn title_and_special_to_lines_of_bylines() {
    let m = parse_article(&format!(
        "Council passes budget\n\nListen to this article\n\nJane Roe, Staff writer\nPublished 6:00 \
         a.m. CT Nov. 3, 2015\n\n{BODY}"
    ));
    assert_eq!(m.deck, None);
    assert_eq!(
        m.contributors,
        vec![credit("Jane Roe", None, CreditRole::Byline, None)]
    );
    let m = parse_article(
        "Council passes budget\n\nBy Jane Roe\nSpecial to the Lakeside Herald\n\nMILLTOWN — The \
         council voted on Tuesday to approve the budget.\n\nMembers debated for hours.",
    );
    assert_eq!(m.dateline.as_deref(), Some("MILLTOWN"));
    assert_eq!(
        m.contributors[0].organization.as_deref(),
        Some("the Lakeside Herald")
    );
    assert_eq!(m.publication.as_deref(), Some("the Lakeside Herald"));
}

#[test]
fn desk_titles_after_an_organization() {
    for byline in [
        "By JANE ROE, AP Business Writer",
        "By JANE ROE\nAP Sports Writer",
    ] {
        let m = parse_article(&format!("Council passes budget\n\n{byline}\n\n{BODY}"));
        assert_eq!(
            m.contributors,
            vec![credit("JANE ROE", Some("AP"), CreditRole::Byline, None)],
            "{byline}"
        );
    }
    // A desk word that is part of the name stays when no title follows it.
    let m = parse_article(&format!(
        "Council passes budget\n\nBy Jane Roe, Lakeside Business Journal\n\n{BODY}"
    ));
    assert_eq!(
        m.contributors[0].organization.as_deref(),
        Some("Lakeside Business Journal")
    );
}

#[test]
fn markdown_link_bylines_and_emphasized_decks() {
    let m = parse_article(&format!(
        "# Council passes budget\n\n*Members debated for three hours*\n\nBy [Jane Roe](https://lakeside.example/by/jane-roe)\n\n{BODY}"
    ));
    assert_eq!(m.deck.as_deref(), Some("Members debated for three hours"));
    assert_eq!(m.authors, vec!["Jane Roe"]);
    let m = parse_article(&format!(
        "# Council passes budget\n\n**By [Jane Roe](https://lakeside.example/a) and [John Poe](https://lakeside.example/b)**\n\n{BODY}"
    ));
    assert_eq!(m.authors, vec!["Jane Roe", "John Poe"]);
}
