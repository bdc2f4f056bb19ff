//! oxwheel: new projects from the oxwheel template, and the template's later changes merged into
//! them. cargo-generate renders (linked as a library); the template's Rhai files keep every rule.

/// `println!` that never panics: a closed or full standard output (`oxwheel adopt | head`)
/// must not stop the command, least of all after it wrote the project.
macro_rules! say {
    ($($argument:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($argument)*);
    }};
}

mod answers;
mod apply;
mod ask;
mod commands;
mod derivation;
mod error;
mod files;
mod git;
mod hooks;
mod interrupt;
mod json;
mod merge;
mod plan;
mod project;
mod renderer;
mod rules;
mod scratch;
mod survey;
mod template;
mod toml_merge;
mod validate;
mod values;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use commands::{adopt, check, new, render, update};
use error::Error;
use values::Values;

const DEFAULT_SOURCE: &str = "https://github.com/oxwheel/oxwheel";

/// Make PyO3 extension projects from the oxwheel template, and keep them up to date with it.
///
/// A project records its template's source, revision and answers in oxwheel-answers.toml.
/// Exit status: 0 done, 1 conflicts to resolve or (check) a newer template, 2 an error,
/// 3 (render, rules) a refused answer, 130 interrupted.
#[derive(Parser)]
#[command(version)]
struct Cli {
    #[command(subcommand)]
    command: Commands,
}

/// Where the template comes from, for `new` and `adopt`.
#[derive(Args)]
struct Template {
    /// The template's git repository: a URL or a local path (a mirror, a fork).
    #[arg(
        long = "template",
        value_name = "URL-OR-PATH",
        env = "OXWHEEL_TEMPLATE",
        default_value = DEFAULT_SOURCE
    )]
    source: String,
    /// A commit, tag or branch of that repository (default: its default branch).
    #[arg(long)]
    revision: Option<String>,
}

#[derive(Subcommand)]
enum Commands {
    /// Make a project in ./NAME: asks each question in a terminal (or takes --define and the
    /// defaults), checks each answer as it is given, and leaves nothing behind on a refusal.
    New {
        /// The project's name on PyPI and crates.io (asked when not given).
        name: Option<String>,
        /// An answer, for example --define patterns=none.
        #[arg(short, long = "define", value_name = "KEY=VALUE")]
        defines: Vec<String>,
        #[command(flatten)]
        template: Template,
        /// Where to create the project.
        #[arg(long, default_value = ".")]
        directory: PathBuf,
        /// Make no git repository (by default the project starts with one commit).
        #[arg(long)]
        no_git: bool,
    },
    /// Merge the template's changes since the recorded revision into this project.
    ///
    /// Files you never changed follow the template, your lines survive, and lines both changed
    /// get conflict markers: resolve them, commit, and run update again to finish.
    Update {
        /// The revision to update to (default: the template's default branch).
        #[arg(long)]
        to: Option<String>,
        /// The revision the project was generated from, for a project that records none.
        #[arg(long)]
        from: Option<String>,
        /// The template's repository, where it moved (a fork, a mirror); recorded from then on.
        #[arg(long)]
        template: Option<String>,
        /// An answer to change, or to give an option the template added since.
        #[arg(short, long = "define", value_name = "KEY=VALUE")]
        defines: Vec<String>,
        /// Show what would change and write nothing.
        #[arg(long, conflicts_with = "abort")]
        dry_run: bool,
        /// Undo a pending update that stopped with conflicts.
        #[arg(long)]
        abort: bool,
        /// The project (default: the current directory).
        #[arg(long, default_value = ".")]
        project: PathBuf,
    },
    /// Bring the template's pipeline into an existing maturin/PyO3 project (this directory).
    ///
    /// Reads the project's names, layout, CPythons, abi3 and tests; adds the workflows, tox.toml,
    /// deny.toml, pre-commit, Dependabot and the release scripts where the project has none;
    /// adds the cibuildwheel settings to pyproject.toml key by key, keeping every key it has;
    /// never touches its code, tests or docs. Records the answers for `oxwheel update`.
    Adopt {
        /// An answer the project does not say, or one to change, for example
        /// --define test_command="python -m unittest discover -s tests".
        #[arg(short, long = "define", value_name = "KEY=VALUE")]
        defines: Vec<String>,
        #[command(flatten)]
        template: Template,
        /// Show what would be read and written, and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Remove the workflows that publish releases (maturin's generated CI.yml, say), so
        /// that the template's wheels workflow publishes them instead.
        #[arg(long)]
        replace_ci: bool,
        /// The project (default: the current directory).
        #[arg(long, default_value = ".")]
        project: PathBuf,
    },
    /// Exit 1, with one line, when the template has moved past the recorded revision.
    Check {
        /// The project (default: the current directory).
        #[arg(long, default_value = ".")]
        project: PathBuf,
    },
    /// Render a template folder into DESTINATION/NAME with the given answers and no questions
    /// (for tools; `new` and `update` render through it).
    Render {
        #[arg(long)]
        template: PathBuf,
        #[arg(long)]
        destination: PathBuf,
        #[arg(long)]
        name: String,
        #[arg(short, long = "define", value_name = "KEY=VALUE")]
        defines: Vec<String>,
        /// Print one JSON object: {"outcome": "rendered", "path": ...} or {"outcome":
        /// "refused", "key", "rule", "message"}.
        #[arg(long)]
        json: bool,
    },
    /// Print what the template's own rules derive for the given answers (each question's
    /// default where none is given): every value its hooks set, and its supported releases
    /// and platforms (for tools).
    Rules {
        /// The template folder (a checkout's template/).
        #[arg(long)]
        template: PathBuf,
        #[arg(long, default_value = "example")]
        name: String,
        #[arg(short, long = "define", value_name = "KEY=VALUE")]
        defines: Vec<String>,
        /// Print one JSON object: {"answers": ..., "derived": ..., "supported": ...}, or the
        /// refusal as `render --json` prints it.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let result = interrupt::install().and_then(|()| run(Cli::parse().command));
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("oxwheel: {error}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Commands) -> Result<ExitCode, Error> {
    match command {
        Commands::New {
            name,
            defines,
            template,
            directory,
            no_git,
        } => {
            let defines = Values::from_defines(&defines)?;
            new::run(&new::Options {
                name: name.as_deref(),
                defines: &defines,
                source: &template.source,
                revision: template.revision.as_deref(),
                directory: &directory,
                git: !no_git,
            })
        }
        Commands::Update {
            to,
            from,
            template,
            defines,
            dry_run,
            abort,
            project,
        } => {
            if abort {
                return update::abort(&project);
            }
            let defines = Values::from_defines(&defines)?;
            let options = update::Options {
                to: to.as_deref(),
                from: from.as_deref(),
                template: template.as_deref(),
                defines: &defines,
                dry_run,
            };
            update::run(&project, &options)
        }
        Commands::Adopt {
            defines,
            template,
            dry_run,
            replace_ci,
            project,
        } => {
            let defines = Values::from_defines(&defines)?;
            let options = adopt::Options {
                defines: &defines,
                source: &template.source,
                revision: template.revision.as_deref(),
                dry_run,
                replace_ci,
            };
            adopt::run(&project, &options)
        }
        Commands::Check { project } => check::run(&project),
        Commands::Render {
            template,
            destination,
            name,
            defines,
            json,
        } => render::run(&render::Options {
            template: &template,
            name: &name,
            defines: &defines,
            destination: &destination,
            json,
        }),
        Commands::Rules {
            template,
            name,
            defines,
            json,
        } => commands::rules::run(&commands::rules::Options {
            template: &template,
            name: &name,
            defines: &Values::from_defines(&defines)?,
            json,
        }),
    }
}
