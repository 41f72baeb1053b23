//! Clipfile: a library of newspaper and magazine article clippings, their metadata and annotations.

pub mod anchor;
pub mod background;
pub mod batch;
pub mod cli;
pub mod clipcache;
pub mod decode;
pub mod export;
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
/// where 320-340 MB were in use, and the search was no faster for it. Called first by every
/// binary; the option is set only when it reads as its default (so that another numbering
/// of the options changes nothing, and `MIMALLOC_PURGE_DELAY` set by the user wins).
pub fn give_freed_memory_back() {
    // SAFETY: reading and setting an allocator option; both take any option number.
    unsafe {
        if libmimalloc_sys::mi_option_get(PURGE_DELAY) == PURGE_DELAY_DEFAULT {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn freed_memory_is_given_back_at_once() {
        super::give_freed_memory_back();
        // SAFETY: reading an allocator option.
        let delay = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(delay, 0);
    }
}
