use std::process::ExitCode;

use clap::Parser;
use clipfile::cli::{self, Cli};

fn main() -> ExitCode {
    clipfile::give_freed_memory_back();
    let cli = Cli::parse();
    match cli.command {
        Some(command) => match cli::run(command, cli.library) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::from(cli::exit::NOTHING),
            Err(e) => {
                // The error, then each cause that adds something (see `--help` for the codes).
                eprintln!("error: {e}");
                for cause in cli::causes(&e) {
                    eprintln!("caused by: {cause}");
                }
                ExitCode::from(e.exit_code())
            }
        },
        None => clipfile::ui::run(cli.library, cli.files),
    }
}
