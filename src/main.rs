//! The `mesonet` command line: parse, dispatch one subcommand, print, map errors to exit codes
//! (2 for bad input, 1 for failures of the environment). Every error is one line on stderr.

use mesonet::commands::{dispatch, parse_args, Parsed};
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match parse_args(std::env::args_os()) {
        Parsed::Run(cli) => cli,
        Parsed::Exit {
            text,
            to_stdout,
            code,
        } => {
            if to_stdout {
                print!(
                    "{}",
                    if text.ends_with('\n') {
                        text
                    } else {
                        text + "\n"
                    }
                );
            } else {
                eprintln!("{text}");
            }
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let input = err
                .downcast_ref::<mesonet::Error>()
                .is_some_and(|e| e.is_input());
            let text = format!("{err:#}");
            eprintln!("error: {}", text.replace('\n', " "));
            ExitCode::from(if input { 2 } else { 1 })
        }
    }
}

fn run(cli: Box<mesonet::commands::Cli>) -> anyhow::Result<()> {
    let (report, json) = dispatch(cli)?;
    let mut stdout = std::io::stdout().lock();
    let written = if json {
        writeln!(stdout, "{}", serde_json::to_string(&report.json)?)
    } else {
        write!(stdout, "{}", report.text)
    };
    // A closed pipe (`mesonet ... | head`) is not an error of the command.
    match written.and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
