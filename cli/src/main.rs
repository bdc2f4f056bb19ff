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
mod dependabot;
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
    New(NewArgs),
    /// Merge the template's changes since the recorded revision into this project.
    ///
    /// Files you never changed follow the template, your lines survive, and lines both changed
    /// get conflict markers: resolve them, commit, and run update again to finish.
    Update(UpdateArgs),
    /// Bring the template's pipeline into an existing maturin/PyO3 project (this directory).
    ///
    /// Reads the project's names, layout, CPythons, abi3 and tests; adds the workflows, tox.toml,
    /// deny.toml, pre-commit, Dependabot and the release scripts where the project has none;
    /// adds the cibuildwheel settings to pyproject.toml key by key, keeping every key it has;
    /// never touches its code, tests or docs. Records the answers for `oxwheel update`.
    Adopt(AdoptArgs),
    /// Exit 1, with one line, when the template has moved past the recorded revision.
    Check(CheckArgs),
    /// Render a template folder into DESTINATION/NAME with the given answers and no questions
    /// (for tools; `new` and `update` render through it).
    Render(RenderArgs),
    /// Print what the template's own rules derive for the given answers (each question's
    /// default where none is given): every value its hooks set, and its supported releases
    /// and platforms (for tools).
    Rules(RulesArgs),
}

#[derive(Args)]
struct NewArgs {
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
}

#[derive(Args)]
struct UpdateArgs {
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
}

#[derive(Args)]
struct AdoptArgs {
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
}

#[derive(Args)]
struct CheckArgs {
    /// The project (default: the current directory).
    #[arg(long, default_value = ".")]
    project: PathBuf,
}

#[derive(Args)]
struct RenderArgs {
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
}

#[derive(Args)]
struct RulesArgs {
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
        Commands::New(args) => args.run(),
        Commands::Update(args) => args.run(),
        Commands::Adopt(args) => args.run(),
        Commands::Check(args) => check::run(&args.project),
        Commands::Render(args) => render::run(&render::Options {
            template: &args.template,
            name: &args.name,
            defines: &args.defines,
            destination: &args.destination,
            json: args.json,
        }),
        Commands::Rules(args) => commands::rules::run(&commands::rules::Options {
            template: &args.template,
            name: &args.name,
            defines: &Values::from_defines(&args.defines)?,
            json: args.json,
        }),
    }
}

impl NewArgs {
    fn run(self) -> Result<ExitCode, Error> {
        new::run(&new::Options {
            name: self.name.as_deref(),
            defines: &Values::from_defines(&self.defines)?,
            source: &self.template.source,
            revision: self.template.revision.as_deref(),
            directory: &self.directory,
            git: !self.no_git,
        })
    }
}

impl UpdateArgs {
    fn run(self) -> Result<ExitCode, Error> {
        if self.abort {
            return update::abort(&self.project);
        }
        let options = update::Options {
            to: self.to.as_deref(),
            from: self.from.as_deref(),
            template: self.template.as_deref(),
            defines: &Values::from_defines(&self.defines)?,
            dry_run: self.dry_run,
        };
        update::run(&self.project, &options)
    }
}

impl AdoptArgs {
    fn run(self) -> Result<ExitCode, Error> {
        let options = adopt::Options {
            defines: &Values::from_defines(&self.defines)?,
            source: &self.template.source,
            revision: self.template.revision.as_deref(),
            dry_run: self.dry_run,
            replace_ci: self.replace_ci,
        };
        adopt::run(&self.project, &options)
    }
}
