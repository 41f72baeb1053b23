//! No panic, no hang on any input: the decoder, the RON loader and the parser over arbitrary
//! and mutated data (100,000 cases in all; run with PROPTEST_CASES to change the counts).

use clipfile::library::store::parse_ron;
use clipfile::model::Clipping;
use proptest::prelude::*;

fn seed_record() -> String {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut lib =
        clipfile::library::Library::open(tmp.path(), clipfile::library::OpenMode::ReadWrite)
            .expect("open");
    let id = match lib
        .import_text("seed.txt", clipfile::sample::SEED_TEXT)
        .expect("import")
    {
        clipfile::library::Outcome::Imported { id, .. } => id,
        other => panic!("{other:?}"),
    };
    lib.update(&id, |c| {
        c.tags = vec!["syria/diplomacy".into()];
        c.notes = "A note with \"quotes\" and\nnew lines".into();
    })
    .expect("update");
    std::fs::read_to_string(tmp.path().join("clippings").join(format!("{id}.ron"))).expect("ron")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(50_000))]
    #[test]
    fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        if let Ok(d) = clipfile::decode::decode(&bytes) {
            prop_assert!(!d.text.contains('\r'));
            prop_assert!(!d.text.trim().is_empty());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(25_000))]
    #[test]
    fn parse_never_panics_on_short_texts(text in "(?s).{0,300}") {
        let meta = clipfile::parse::parse_article(&text);
        prop_assert!(meta.headline.as_deref() != Some(""));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(25_000))]
    #[test]
    fn ron_loader_never_panics_on_damaged_records(
        cut in 0usize..4000,
        flips in proptest::collection::vec((0usize..4000, any::<u8>()), 0..4),
        junk in "(?s).{0,40}",
    ) {
        thread_local!(static RECORD: String = seed_record());
        let record = RECORD.with(|r| r.clone());
        let mut bytes = record.into_bytes();
        for (at, b) in flips {
            if !bytes.is_empty() {
                let i = at % bytes.len();
                bytes[i] = b;
            }
        }
        bytes.truncate(cut.min(bytes.len()));
        let mut text = String::from_utf8_lossy(&bytes).into_owned();
        text.push_str(&junk);
        // Either it loads or it is an error: never a panic.
        let _ = parse_ron::<Clipping>(&text);
    }
}

#[test]
fn a_truncated_record_is_an_error_not_a_partial_clipping() {
    let record = seed_record();
    for cut in [0, 10, record.len() / 2, record.len() - 3] {
        assert!(
            parse_ron::<Clipping>(&record[..cut]).is_err(),
            "cut at {cut}"
        );
    }
    assert!(parse_ron::<Clipping>(&record).is_ok());
}
