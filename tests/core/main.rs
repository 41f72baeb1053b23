//! The core without a window, as one test binary (the crate and its dependencies are linked
//! once for all of these): the command line, the library store, exports, the parser over the
//! seed, the corpus and generated input, and hostile libraries.

mod bad_input;
mod cli;
mod corpus;
mod crash;
mod export;
mod incremental;
#[path = "../common/index_damage.rs"]
mod index_damage;
mod library;
mod no_network;
mod parse_props;
mod parse_seed;
mod robustness;
