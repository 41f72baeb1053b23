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
