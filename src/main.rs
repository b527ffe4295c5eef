//! The `mesonet` command line: parse, dispatch one subcommand, print, map errors to exit codes
//! (2 for bad input, 1 for failures of the environment).

use clap::Parser;
use mesonet::commands::{dispatch, Cli};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            let input = err
                .downcast_ref::<mesonet::Error>()
                .is_some_and(|e| e.is_input());
            ExitCode::from(if input { 2 } else { 1 })
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let (report, json) = dispatch(cli)?;
    let mut stdout = std::io::stdout().lock();
    if json {
        writeln!(stdout, "{}", serde_json::to_string(&report.json)?)?;
    } else {
        write!(stdout, "{}", report.text)?;
    }
    Ok(())
}
