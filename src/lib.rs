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
