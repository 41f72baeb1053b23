//! The per-clipping caches kept current with the library: story versions grouped as clippings
//! arrive one by one (and are trashed, restored, re-dated) group as a whole-library pass does;
//! the speaker, people and place facets follow edits and removals as a count from scratch does.

#[path = "../../benches/common/news.rs"]
mod news;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use clipfile::library::{Library, OpenMode, Outcome};
use clipfile::model::Field;
use clipfile::quotes::{FacetIndex, Facets};
use clipfile::versions::LibraryVersions;

fn import(lib: &mut Library, name: &str, text: &str) -> String {
    match lib.import_text(name, text).expect("import") {
        Outcome::Imported { id, .. } | Outcome::Duplicate { id, .. } => id,
        other => panic!("{name}: {other:?}"),
    }
}

/// A mixed set: generated news (wire reprints, trimmed and updated copies, other stories on the
/// same events) and the real corpus, imported one clipping at a time with the versions brought
/// up to date between arrivals (every clipping, or every few), some trashed, restored and
/// re-dated on the way. The groups are those a whole-library pass finds; and on the generated
/// part, versions group and different stories on one event do not.
#[test]
fn grouping_as_clippings_arrive_matches_the_whole_library_pass() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut lib = Library::open(tmp.path().join("lib"), OpenMode::ReadWrite).expect("open");
    let lex = news::Lexicon::new(3);
    let clips = news::generate(240, 11, &lex);
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/articles");
    let mut real: Vec<(String, String)> = std::fs::read_dir(&corpus)
        .expect("corpus")
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            Some((name, std::fs::read_to_string(e.path()).ok()?))
        })
        .collect();
    real.sort();

    let mut versions = LibraryVersions::new();
    let mut truth_of: HashMap<String, usize> = HashMap::new();
    let mut real_ids = Vec::new();
    let mut arrived = 0;
    for (i, c) in clips.iter().enumerate() {
        truth_of.insert(import(&mut lib, &c.name, &c.text), i);
        // Interleave the real articles.
        if i % 6 == 0
            && let Some((name, text)) = real.pop()
        {
            real_ids.push(import(&mut lib, &name, &text));
        }
        arrived += 1;
        if arrived % (1 + i % 5) == 0 {
            versions.refresh(&lib);
        }
    }
    for (name, text) in real.drain(..) {
        real_ids.push(import(&mut lib, &name, &text));
    }
    versions.refresh(&lib);
    // The real corpus's two stories printed by two outlets are among the groups.
    let real_groups = versions
        .index()
        .groups()
        .iter()
        .filter(|g| g.iter().all(|id| real_ids.contains(id)))
        .count();
    assert_eq!(real_groups, 2);
    let grouped: Vec<String> = versions
        .index()
        .groups()
        .concat()
        .into_iter()
        .filter(|id| truth_of.contains_key(id))
        .collect();
    assert!(grouped.len() > 40, "{} clippings in groups", grouped.len());

    // Trash some grouped clippings, restore half of them; move one to a year later.
    for id in grouped.iter().step_by(7) {
        lib.trash(id).expect("trash");
    }
    versions.refresh(&lib);
    for id in grouped.iter().step_by(14) {
        lib.restore(id).expect("restore");
    }
    let redated = grouped
        .iter()
        .find(|id| lib.contains(id) && truth_of.contains_key(*id))
        .expect("a grouped generated clipping")
        .clone();
    let a_year_later = lib
        .get(&redated)
        .and_then(|c| c.field(Field::Published))
        .and_then(|d| {
            Some(format!(
                "{}{}",
                d.get(..4)?.parse::<u32>().ok()? + 1,
                d.get(4..)?
            ))
        })
        .expect("a published date");
    lib.update(&redated, |c| {
        c.overrides.fields.insert(Field::Published, a_year_later);
    })
    .expect("redate");
    versions.refresh(&lib);

    let mut whole = LibraryVersions::of(&lib);
    assert_eq!(versions.index().groups(), whole.index().groups());
    assert_eq!(versions.index().len(), lib.len());
    assert_eq!(
        versions.index().group_of(&redated),
        std::slice::from_ref(&redated)
    );

    // Against the generated truth (the re-dated clipping aside: it is rightly on its own now).
    let present: Vec<(String, usize)> = truth_of
        .iter()
        .filter(|(id, _)| lib.contains(id) && **id != redated)
        .map(|(id, &i)| (id.clone(), i))
        .collect();
    let index: HashMap<&str, usize> = present
        .iter()
        .enumerate()
        .map(|(n, (id, _))| (id.as_str(), n))
        .collect();
    let truth: Vec<news::Truth> = present.iter().map(|(_, i)| clips[*i].truth).collect();
    let groups: Vec<Vec<usize>> = whole
        .index()
        .groups()
        .iter()
        .map(|g| {
            g.iter()
                .filter_map(|id| index.get(id.as_str()).copied())
                .collect()
        })
        .collect();
    let score = news::score(&groups, &truth);
    assert!(score.same_event_pairs > 20, "{score:?}");
    assert_eq!(score.false_pairs, 0, "{score:?}");
    assert!(score.recall() > 0.95, "{score:?}");

    // The same library opened again (another instance: its revision log says nothing of the
    // first): the stamps show nothing changed, so nothing is signed again.
    drop(lib);
    let lib = Library::open(tmp.path().join("lib"), OpenMode::ReadWrite).expect("reopen");
    assert_eq!(versions.source(&lib).len(), 0);
    versions.refresh(&lib);
    assert_eq!(versions.index().groups(), whole.index().groups());
}

/// The facets counted from scratch, one clipping at a time, as the cache must keep them.
fn from_scratch(lib: &Library) -> Facets {
    let mut counts: [BTreeMap<String, usize>; 3] = Default::default();
    for c in lib.clippings() {
        let m = clipfile::quotes::mentions_of(c, &lib.text(&c.id).expect("text"));
        for (count, names) in counts.iter_mut().zip([&m.speakers, &m.people, &m.places]) {
            for n in names {
                *count.entry(n.clone()).or_default() += 1;
            }
        }
    }
    let list = |m: &BTreeMap<String, usize>| {
        let mut l: Vec<(String, usize)> = m.iter().map(|(n, c)| (n.clone(), *c)).collect();
        l.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        l
    };
    Facets {
        speakers: list(&counts[0]),
        people: list(&counts[1]),
        places: list(&counts[2]),
    }
}

fn count(list: &[(String, usize)], name: &str) -> usize {
    list.iter().find(|(n, _)| n == name).map_or(0, |(_, c)| *c)
}

const BRIDGE: &str = "Bridge closed after engineers find cracks\n\nMILLBROOK — The town council voted late Tuesday to close the old river bridge after engineers found cracks in two of its three stone piers.\n\n“We cannot ask people to drive over a structure our own engineers will not stand under,” Ellen Dorsey said.\n\nResidents on the east side said the closure would add twenty minutes to the trip to the hospital.\n";
const REVIEW: &str = "Council member asks for review of bridge records\n\nMILLBROOK — A council member asked on Wednesday for an independent review of the maintenance records of the river bridge.\n\n“This closure was avoidable,” Raj Patel said.\n\n“We acted on the advice we were given at the time,” Ellen Dorsey said.\n";
const HOSPITAL: &str = "Hospital adds an ambulance station\n\nEASTON — Hospital administrators said Thursday they would open a second ambulance station while the bridge stays shut.\n\n“Nobody on the east side will wait longer for an ambulance,” Maria Lopez said.\n";

#[test]
fn the_facet_cache_follows_edits_and_removals() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut lib = Library::open(tmp.path().join("lib"), OpenMode::ReadWrite).expect("open");
    let bridge = import(&mut lib, "bridge.txt", BRIDGE);
    let review = import(&mut lib, "review.txt", REVIEW);
    let mut cache = FacetIndex::new();
    cache.refresh(&lib);
    let f = cache.facets();
    assert_eq!(count(&f.speakers, "Ellen Dorsey"), 2, "{f:?}");
    assert_eq!(count(&f.speakers, "Raj Patel"), 1, "{f:?}");
    assert_eq!(count(&f.places, "Millbrook"), 2, "{f:?}");
    assert_eq!(*f, from_scratch(&lib));

    // A clipping arrives.
    let hospital = import(&mut lib, "hospital.txt", HOSPITAL);
    assert!(!cache.needs_background(&lib));
    cache.refresh(&lib);
    let f = cache.facets();
    assert_eq!(count(&f.speakers, "Maria Lopez"), 1, "{f:?}");
    assert_eq!(*f, from_scratch(&lib));

    // Trashed: its speakers and places are taken off the counts; restored: back.
    lib.trash(&bridge).expect("trash");
    cache.refresh(&lib);
    let f = cache.facets();
    assert_eq!(count(&f.speakers, "Ellen Dorsey"), 1, "{f:?}");
    assert_eq!(count(&f.places, "Millbrook"), 1, "{f:?}");
    assert!(cache.mentions(&bridge).is_none());
    assert_eq!(*f, from_scratch(&lib));
    lib.restore(&bridge).expect("restore");
    cache.refresh(&lib);
    assert_eq!(count(&cache.facets().speakers, "Ellen Dorsey"), 2);

    // The reader corrects a dateline: the place facet follows.
    lib.update(&hospital, |c| {
        c.overrides.fields.insert(Field::Dateline, "NEWPORT".into());
    })
    .expect("edit dateline");
    cache.refresh(&lib);
    let f = cache.facets();
    assert_eq!(count(&f.places, "Newport"), 1, "{f:?}");
    assert_eq!(count(&f.places, "Easton"), 0, "{f:?}");
    assert_eq!(*f, from_scratch(&lib));

    // A note changes nothing the facets read: nothing is extracted again.
    lib.update(&review, |c| c.notes = "call Patel".into())
        .expect("note");
    assert_eq!(cache.source(&lib).len(), 0);
    cache.refresh(&lib);
    assert!(cache.is_current(&lib));

    // The speaker filter reading the cache finds what it finds reading every text, and
    // follows a removal.
    let exact = clipfile::search::Query {
        speaker: Some("ellen dorsey".into()),
        ..Default::default()
    };
    let filtered = |lib: &Library, cache: Option<&FacetIndex>| -> Vec<String> {
        lib.clippings()
            .filter(|c| {
                exact.passes(
                    c,
                    || lib.text(&c.id).ok(),
                    cache.and_then(|f| f.mentions(&c.id)),
                )
            })
            .map(|c| c.id.clone())
            .collect()
    };
    assert!(cache.is_current(&lib));
    assert_eq!(filtered(&lib, Some(&cache)), filtered(&lib, None));
    assert_eq!(filtered(&lib, Some(&cache)).len(), 2);
    lib.trash(&review).expect("trash");
    cache.refresh(&lib);
    assert_eq!(filtered(&lib, Some(&cache)).len(), 1);
    assert_eq!(filtered(&lib, None).len(), 1);
}

/// A first build keeps its entries in a cache file; the next first build (a new process) takes
/// them for the clippings whose text and metadata are unchanged, computes the one whose text
/// was edited outside, and builds the same entries as computing all of them would. A damaged
/// or foreign file is not read.
#[test]
fn a_first_build_reuses_the_entries_kept_by_the_last_one() {
    use clipfile::versions::VersionSource;
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("lib");
    let mut lib = Library::open(&root, OpenMode::ReadWrite).expect("open");
    let lex = news::Lexicon::new(5);
    let ids: Vec<String> = news::generate(12, 3, &lex)
        .iter()
        .map(|c| import(&mut lib, &c.name, &c.text))
        .collect();
    let kept = tmp.path().join("cache/versions.bin");
    // As if a minute later: every text is old enough to be kept.
    let later = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock")
            .as_nanos() as i128
            + 60_000_000_000
    };
    let signatures = |lib: &Library, path: Option<PathBuf>| {
        let (built, fresh) = VersionSource::of(lib)
            .kept_in(path)
            .build_counting_at(later());
        let by_id: BTreeMap<String, (Vec<u32>, Option<i64>)> = built
            .values()
            .map(|(id, e)| (id.to_string(), (e.signature.mins.to_vec(), e.day)))
            .collect();
        (by_id, fresh)
    };

    let (first, fresh) = signatures(&lib, Some(kept.clone()));
    assert_eq!(fresh, ids.len(), "nothing kept yet: every entry computed");
    assert!(kept.is_file(), "the entries are kept");
    let (again, fresh) = signatures(&lib, Some(kept.clone()));
    assert_eq!(fresh, 0, "every entry taken from the kept file");
    assert_eq!(again, first);

    // A text edited outside the app, seen by the next open.
    let edited = &ids[4];
    let text_path = root.join("clippings").join(format!("{edited}.txt"));
    let old = std::fs::read_to_string(&text_path).expect("text");
    let new =
        format!("{old}\n\nA late paragraph added by the desk after the vote on the new bridge.");
    std::fs::write(&text_path, new).expect("edit");
    drop(lib);
    let lib = Library::open(&root, OpenMode::ReadWrite).expect("reopen");
    let (after, fresh) = signatures(&lib, Some(kept.clone()));
    assert_eq!(fresh, 1, "only the edited clipping computed");
    assert_ne!(
        after[edited], first[edited],
        "its entry follows the new text"
    );
    let (computed, _) = signatures(&lib, None);
    assert_eq!(after, computed, "the same entries as computing every one");

    // Damaged: cut short, or one byte changed.
    let bytes = std::fs::read(&kept).expect("kept");
    std::fs::write(&kept, &bytes[..bytes.len() - 9]).expect("cut");
    assert_eq!(signatures(&lib, Some(kept.clone())).1, ids.len());
    let mut bytes = std::fs::read(&kept).expect("kept");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x40;
    std::fs::write(&kept, &bytes).expect("flip");
    let (read, fresh) = signatures(&lib, Some(kept.clone()));
    assert_eq!(fresh, ids.len(), "a changed byte: nothing trusted");
    assert_eq!(read, computed);
    std::fs::write(&kept, b"not a file of kept values").expect("garbage");
    assert_eq!(signatures(&lib, Some(kept)).1, ids.len());
}

/// Matching a first build's entries (which over a large library can take a while) runs in
/// the background pool and, like computing them, waits while a search runs.
#[test]
fn matching_a_first_build_waits_while_a_search_runs() {
    use std::time::{Duration, Instant};
    let tmp = tempfile::tempdir().expect("tmp");
    let mut lib = Library::open(tmp.path().join("lib"), OpenMode::ReadWrite).expect("open");
    let lex = news::Lexicon::new(5);
    for c in news::generate(20, 3, &lex) {
        import(&mut lib, &c.name, &c.text);
    }
    // Computed before the search starts.
    let built = LibraryVersions::new().source(&lib).build();
    let search = clipfile::background::foreground();
    let (started_tx, started) = std::sync::mpsc::channel();
    let matcher = std::thread::spawn(move || {
        clipfile::background::install(move || {
            started_tx.send(()).ok();
            let mut versions = LibraryVersions::new();
            versions.adopt(built);
            (versions.index().len(), Instant::now())
        })
    });
    started.recv().expect("the matching starts");
    std::thread::sleep(Duration::from_millis(100));
    let ended = Instant::now();
    drop(search);
    let (matched, done) = matcher.join().expect("the matching");
    assert_eq!(matched, lib.len());
    assert!(done >= ended, "the matching ended before the search did");
}
