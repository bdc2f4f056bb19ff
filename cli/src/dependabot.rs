//! A project's own `.github/dependabot.yml` merged with the template's by entry, for adopt:
//! Dependabot refuses two `updates` entries for the same ecosystem, directory and branch, so
//! the project's entry stays where it has one, and the template's entries add only what the
//! project does not cover. The project's bytes are kept; the added entries go at the end of
//! its `updates` list, indented as its own.

use yaml_rust2::{Yaml, YamlLoader};

/// What one `updates` entry covers: its ecosystem, its directories and its target branch.
#[derive(Debug, PartialEq)]
struct Covers {
    ecosystem: String,
    directories: Vec<String>,
    branch: Option<String>,
}

/// The merged text, with the template entries added (by ecosystem) and those left out because
/// the project covers them; None when the project's file cannot be merged by entry (it does
/// not parse, or its `updates` list is not the last thing in it).
#[derive(Debug, PartialEq)]
pub struct Merged {
    pub text: String,
    pub added: Vec<String>,
    pub kept: Vec<String>,
}

pub fn merge(project: &str, template: &str) -> Option<Merged> {
    let ours = covered(project)?;
    let blocks = entry_blocks(template)?;
    let (_, item_indent) = updates_list(project)?;
    let mut text = project.trim_end_matches('\n').to_string() + "\n";
    let (mut added, mut kept) = (Vec::new(), Vec::new());
    for (theirs, block) in blocks {
        let free: Vec<&String> = theirs
            .directories
            .iter()
            .filter(|directory| {
                !ours.iter().any(|mine| {
                    mine.ecosystem == theirs.ecosystem
                        && mine.branch == theirs.branch
                        && mine.directories.iter().any(|other| same(other, directory))
                })
            })
            .collect();
        if free.is_empty() {
            kept.push(theirs.ecosystem);
            continue;
        }
        let block = if free.len() < theirs.directories.len() {
            with_directories(&block, &free)?
        } else {
            block
        };
        text += &reindented(&block, item_indent);
        added.push(theirs.ecosystem);
    }
    Some(Merged { text, added, kept })
}

fn same(one: &str, other: &str) -> bool {
    let normal = |path: &str| {
        path.trim_end_matches('/')
            .trim_start_matches('/')
            .to_string()
    };
    normal(one) == normal(other)
}

/// The entries of a dependabot.yml, as what each covers.
fn covered(text: &str) -> Option<Vec<Covers>> {
    let documents = YamlLoader::load_from_str(text).ok()?;
    let updates = documents.first()?["updates"].as_vec()?;
    updates.iter().map(covers).collect()
}

fn covers(entry: &Yaml) -> Option<Covers> {
    let ecosystem = entry["package-ecosystem"].as_str()?.to_string();
    let mut directories: Vec<String> = entry["directory"]
        .as_str()
        .map(str::to_string)
        .into_iter()
        .collect();
    if let Some(listed) = entry["directories"].as_vec() {
        directories.extend(listed.iter().filter_map(Yaml::as_str).map(str::to_string));
    }
    let branch = entry["target-branch"].as_str().map(str::to_string);
    Some(Covers {
        ecosystem,
        directories,
        branch,
    })
}

/// The line that opens `updates:` and the indentation of its items; None unless the list
/// runs to the end of the file (every later line indented, a comment or blank).
fn updates_list(text: &str) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|line| line.trim_end() == "updates:")?;
    let rest = &lines[start + 1..];
    let last = rest
        .iter()
        .all(|line| line.trim().is_empty() || line.starts_with([' ', '-', '#']));
    let item = rest
        .iter()
        .find(|line| line.trim_start().starts_with("- "))?;
    let indent = item.len() - item.trim_start().len();
    last.then_some((start, indent))
}

/// The template's entries, each with the comment lines just above it, as text.
fn entry_blocks(template: &str) -> Option<Vec<(Covers, String)>> {
    let covered = covered(template)?;
    let (start, indent) = updates_list(template)?;
    let mut blocks: Vec<String> = Vec::new();
    let mut pending = String::new();
    for line in template.lines().skip(start + 1) {
        let item =
            line.len() - line.trim_start().len() == indent && line.trim_start().starts_with("- ");
        if item {
            blocks.push(std::mem::take(&mut pending));
        }
        if line.trim_start().starts_with('#') && !item {
            pending += line;
            pending.push('\n');
        } else if let Some(block) = blocks.last_mut() {
            block.push_str(&std::mem::take(&mut pending));
            block.push_str(line);
            block.push('\n');
        }
    }
    (blocks.len() == covered.len()).then(|| covered.into_iter().zip(blocks).collect())
}

/// `block` with its `directories: [...]` line listing only `keep`.
fn with_directories(block: &str, keep: &[&String]) -> Option<String> {
    let line = block
        .lines()
        .find(|line| line.trim_start().starts_with("directories:"))?;
    let indent = &line[..line.len() - line.trim_start().len()];
    let listed: Vec<String> = keep
        .iter()
        .map(|directory| format!("\"{directory}\""))
        .collect();
    let new = format!("{indent}directories: [{}]", listed.join(", "));
    Some(block.replacen(line, &new, 1))
}

/// `block` shifted so that its item lines start at `indent` columns.
fn reindented(block: &str, indent: usize) -> String {
    let item = block
        .lines()
        .find(|line| line.trim_start().starts_with("- "))
        .map_or(0, |line| line.len() - line.trim_start().len());
    block
        .lines()
        .map(|line| {
            let own = line.len() - line.trim_start().len();
            let column = (own + indent).saturating_sub(item);
            format!("{}{}\n", " ".repeat(column), line.trim_start())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "# Weekly updates.\nversion: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n    schedule:\n      interval: weekly\n  - package-ecosystem: cargo\n    directory: /\n    schedule:\n      interval: weekly\n  # pyproject.toml and the hashed requirements.\n  - package-ecosystem: pip\n    directories: [\"/\", \"/.github/requirements\"]\n    schedule:\n      interval: weekly\n";

    #[test]
    fn the_projects_entry_stays_and_only_what_it_does_not_cover_is_added() {
        let project = "version: 2\nupdates:\n- package-ecosystem: github-actions\n  directory: /\n  schedule:\n    interval: monthly\n- package-ecosystem: pip\n  directory: \"/\"\n  schedule:\n    interval: daily\n";
        let merged = merge(project, TEMPLATE).unwrap_or_else(|| Merged {
            text: String::new(),
            added: vec![],
            kept: vec![],
        });
        assert!(merged.text.starts_with(project));
        assert_eq!(merged.added, ["cargo", "pip"]);
        assert_eq!(merged.kept, ["github-actions"]);
        let added = &merged.text[project.len()..];
        assert_eq!(
            added,
            "- package-ecosystem: cargo\n  directory: /\n  schedule:\n    interval: weekly\n# pyproject.toml and the hashed requirements.\n- package-ecosystem: pip\n  directories: [\"/.github/requirements\"]\n  schedule:\n    interval: weekly\n"
        );
        let entries = covered(&merged.text).unwrap_or_default();
        assert_eq!(entries.len(), 4);
    }

    #[test]
    fn another_branch_is_another_entry() {
        let project = "version: 2\nupdates:\n  - package-ecosystem: cargo\n    directory: /\n    target-branch: develop\n";
        let merged = merge(project, TEMPLATE).map(|merged| merged.added);
        assert_eq!(
            merged,
            Some(vec![
                "github-actions".to_string(),
                "cargo".to_string(),
                "pip".to_string()
            ])
        );
    }

    #[test]
    fn a_file_whose_updates_are_not_last_or_that_does_not_parse_is_left_to_the_three_way_merge() {
        let later = "version: 2\nupdates:\n  - package-ecosystem: cargo\n    directory: /\nregistries: {}\n";
        assert_eq!(merge(later, TEMPLATE), None);
        assert_eq!(merge("updates: [\n", TEMPLATE), None);
    }
}
