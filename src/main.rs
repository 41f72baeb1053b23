use std::process::ExitCode;

use clap::Parser;
use clipfile::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(command) => cli::run(command, cli.library),
        None => clipfile::ui::run(cli.library, cli.files),
    }
}
