//! The `feidi` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use feidi::commands;

// A build makes and drops millions of small strings (keys, rows, template values) on every
// core; mimalloc's per-thread heaps serve them with a fraction of the system allocator's work.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns transparent huge pages off for this process. A build's memory comes and goes in many
/// short-lived regions, and with huge pages on the kernel zeroes two megabytes each time one is
/// touched again: with them off, a 10,000-enclave build spends about half as long in the
/// kernel (tmpfs output, four runs each).
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and changes only this process's flag.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

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
        /// Also write a .gz and a .br beside every text file (html, css, js, json, xml, csv,
        /// svg, txt), for servers that send them as they are (nginx gzip_static, brotli_static).
        #[arg(long)]
        precompress: bool,
    },
    /// Check the content for errors and warnings without writing anything.
    ///
    /// Exit status: 0 clean or warnings only, 1 warnings with --deny-warnings, 2 errors.
    Check {
        /// The site folder: the one holding content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// human: compiler-style messages; json: one JSON report on stdout (see the README);
        /// github: GitHub Actions annotations on stdout, one line per problem.
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
        /// Exit with status 1 when there are warnings.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Serve the site locally, rebuild on every save and reload open pages.
    Serve {
        /// The site folder: the one holding content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port to listen on; 0 picks a free one (the address is printed).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on (loopback by default: the site is for you only).
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
    },
    /// Start a content file with every field: required ones hold TODO placeholders.
    New {
        /// What to start: content/enclaves/, content/operators/ or content/pages/.
        #[arg(value_enum)]
        kind: NewKind,
        /// The file stem: lower-case ASCII letters, digits and -; the entry's id and URL.
        slug: String,
        /// The site folder: the one holding content/.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum CheckFormat {
    Human,
    Json,
    Github,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum NewKind {
    Enclave,
    Operator,
    Page,
}

fn main() -> ExitCode {
    no_huge_pages();
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Build { root, output, base_url, precompress } => {
            commands::build::run(&commands::build::BuildArgs { root, output, base_url, precompress })
        }
        Command::Check { root, format, deny_warnings } => {
            let format = match format {
                CheckFormat::Human => commands::check::Format::Human,
                CheckFormat::Json => commands::check::Format::Json,
                CheckFormat::Github => commands::check::Format::Github,
            };
            commands::check::run(&commands::check::CheckArgs { root, format, deny_warnings })
        }
        Command::Serve { root, port, bind, open } => {
            commands::serve::run(&commands::serve::ServeArgs { root, bind, port, open })
        }
        Command::New { kind, slug, root } => {
            let kind = match kind {
                NewKind::Enclave => commands::new::Kind::Enclave,
                NewKind::Operator => commands::new::Kind::Operator,
                NewKind::Page => commands::new::Kind::Page,
            };
            commands::new::run(&commands::new::NewArgs { root, kind, slug })
        }
    };
    ExitCode::from(code as u8)
}
