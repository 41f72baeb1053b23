//! Clipfile: a library of newspaper and magazine article clippings, their metadata and annotations.

pub mod anchor;
pub mod background;
pub mod batch;
pub mod cli;
pub mod clipcache;
pub mod decode;
pub mod export;
pub mod ids;
pub mod index;
pub mod library;
pub mod model;
pub mod parse;
pub mod query;
pub mod quotes;
pub mod sample;
pub mod search;
pub mod ui;
pub mod versions;

/// mimalloc for every binary of the crate (the app, the command line, tests, benches): a
/// search listing 100,000 hits spent most of its time in glibc's `malloc` and `free` of the
/// hits' ids, and the open allocates as many records.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`, the 16th of its options in `mimalloc.h` (version 3.3,
/// which libmimalloc-sys 0.1.49 builds; its Rust bindings do not name it).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// The purge delay mimalloc 3.3 starts with (ms), read back from it here.
const PURGE_DELAY_DEFAULT: std::ffi::c_long = 1000;

/// Have the allocator give memory back to the system as soon as it is freed. By default
/// mimalloc keeps freed pages for a while, and the pages of a thread that ended (the open's
/// workers) until they are used again: the app open over 100,000 clippings held 460-540 MB
/// where 320-340 MB were in use, and the search was no faster for it. Called when the window
/// opens (and by the scale bench, which measures the app); the option is set only when it
/// reads as its default (so that another numbering
/// of the options changes nothing, and `MIMALLOC_PURGE_DELAY` set by the user wins).
///
/// Transparent huge pages are turned off for the process too (Linux). Memory given back
/// and taken again is zeroed by the kernel when first touched, and mimalloc asks for huge
/// pages: a frame or a search that needed a few fresh pages had 2 MiB zeroed for each. At
/// 100,000 clippings a fifth of the app's UI thread went to that; its search mean (the scale
/// bench, three runs each) went from 13.8-16.6 to 12.4-12.6 ms, and its memory down by
/// 50 MB.
pub fn give_freed_memory_back() {
    no_huge_pages();
    let mut bulk = BULK.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: reading and setting an allocator option; both take any option number.
    unsafe {
        if libmimalloc_sys::mi_option_get(PURGE_DELAY) == PURGE_DELAY_DEFAULT {
            bulk.giving_back = true;
            if bulk.running == 0 {
                libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
            }
        }
    }
}

/// Turn transparent huge pages off for the whole process (Linux; elsewhere nothing).
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: `prctl` with this option reads only its integer arguments; failing (an old
    // kernel) leaves huge pages as they were.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Whether freed memory is given back at once, and how many [`BulkWork`]s run.
struct Bulk {
    giving_back: bool,
    running: usize,
}

impl Bulk {
    /// A bulk work starts: the purge delay to set, if any.
    fn enter(&mut self) -> Option<std::ffi::c_long> {
        self.running += 1;
        (self.running == 1 && self.giving_back).then_some(PURGE_DELAY_DEFAULT)
    }

    /// A bulk work ends: the purge delay to set (and then give back what is kept), if any.
    fn leave(&mut self) -> Option<std::ffi::c_long> {
        self.running = self.running.saturating_sub(1);
        (self.running == 0 && self.giving_back).then_some(0)
    }
}

static BULK: std::sync::Mutex<Bulk> = std::sync::Mutex::new(Bulk {
    giving_back: false,
    running: 0,
});

/// Held while bulk work runs (an import, a first build of the index): freed memory is kept
/// for reuse meanwhile, as mimalloc does by default; when the last one ends, freed memory is
/// given back at once again, starting with what the arenas and the ending thread keep
/// (`mi_collect`; other threads' pages go back as they next free). Given back at once, the
/// pages that such work frees and takes again by the thousand cost a system call, a TLB
/// flush on every core and a page fault each: a 100,000-article import took 52.6 s (45.7 s
/// in the kernel) instead of 39.7 s (19.4 s). The option is a plain global in mimalloc, read
/// by other threads as it is set: they see the old delay or the new one.
pub struct BulkWork(());

impl BulkWork {
    pub fn start() -> BulkWork {
        // No transparent huge pages for bulk work either (the command line's import; the
        // window has them off already, see [`give_freed_memory_back`]): a 100,000-article
        // import spent 2.7% of its CPU time zeroing huge pages on first touch.
        no_huge_pages();
        let mut bulk = BULK.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(delay) = bulk.enter() {
            // SAFETY: setting an allocator option.
            unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, delay) };
        }
        BulkWork(())
    }
}

impl Drop for BulkWork {
    fn drop(&mut self) {
        let mut bulk = BULK.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(delay) = bulk.leave() {
            // SAFETY: setting an allocator option, then asking it to give back what it keeps.
            unsafe {
                libmimalloc_sys::mi_option_set(PURGE_DELAY, delay);
                libmimalloc_sys::mi_collect(true);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Bulk, PURGE_DELAY_DEFAULT};

    #[test]
    fn freed_memory_is_given_back_at_once() {
        super::give_freed_memory_back();
        let bulk = super::BULK.lock().unwrap_or_else(|e| e.into_inner());
        // SAFETY: reading an allocator option.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        // Another test's import may be running (then memory is kept until it ends).
        if bulk.running == 0 {
            assert_eq!(delay, 0);
        } else {
            assert_eq!(delay, PURGE_DELAY_DEFAULT);
        }
        // And without transparent huge pages.
        #[cfg(target_os = "linux")]
        // SAFETY: `prctl` reading a flag of the process.
        unsafe {
            assert_eq!(libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0), 1);
        }
    }

    #[test]
    fn bulk_work_keeps_freed_memory_until_the_last_one_ends() {
        let mut bulk = Bulk {
            giving_back: true,
            running: 0,
        };
        assert_eq!(bulk.enter(), Some(PURGE_DELAY_DEFAULT));
        assert_eq!(bulk.enter(), None);
        assert_eq!(bulk.leave(), None);
        assert_eq!(bulk.leave(), Some(0));
        // A process that never asked for memory back is left as it is.
        let mut untouched = Bulk {
            giving_back: false,
            running: 0,
        };
        assert_eq!(untouched.enter(), None);
        assert_eq!(untouched.leave(), None);
    }
}
