//! The `feidi` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use feidi::commands;

/// Builds a static, searchable directory of science-and-technology enclaves (科创飞地) from
/// Markdown and YAML.
#[derive(Parser)]
#[command(name = "feidi", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site from content/ into public/.
    Build {
        /// The site folder: the one holding content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (relative paths are inside the site folder).
        #[arg(long, default_value = "public")]
        output: PathBuf,
        /// Absolute base URL, overriding base_url in content/site.yaml.
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Check the content for errors and warnings without writing anything.
    Check {
        /// The site folder: the one holding content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Build { root, output, base_url } => {
            commands::build::run(&commands::build::BuildArgs { root, output, base_url })
        }
        Command::Check { root } => commands::check::run(&root),
    };
    ExitCode::from(code as u8)
}
