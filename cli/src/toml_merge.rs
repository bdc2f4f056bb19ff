//! Merges a rendered template's TOML file into a project's, key by key, for `oxwheel adopt`: keys
//! only the template has are added, the project's own keys and values are kept, and a key both
//! set differently is reported as a conflict. The project's comments and layout are kept.

use toml_edit::{DocumentMut, Entry, Item, Key, Table, TableLike};

use crate::error::Error;

/// The result of merging the template's keys into the project's file.
#[derive(Debug, Default)]
pub struct Merged {
    /// The project's text with the new keys added; byte-identical to `ours` when nothing was added.
    pub text: String,
    /// Dotted paths of the keys (or whole tables) added, e.g. "tool.cibuildwheel",
    /// "tool.cibuildwheel.linux.before-all".
    pub added: Vec<String>,
    /// Keys both set, to different values: the project's value is kept.
    pub conflicts: Vec<Conflict>,
}

/// A key both files set, to different values; the values are TOML text, trimmed.
#[derive(Debug, PartialEq, Eq)]
pub struct Conflict {
    pub key: String,
    pub ours: String,
    pub template: String,
}

/// Merges `template`'s keys into `ours` (the project's file), keeping all that `ours` has.
pub fn merge(ours: &str, template: &str) -> Result<Merged, Error> {
    let mut document = parse(ours, "the project's")?;
    let template_document = parse(template, "the template's")?;
    let shift = last_position(&mut document) + 1;
    let mut merger = Merger {
        shift,
        merged: Merged::default(),
    };
    let (root, template_root) = (document.as_table_mut(), template_document.as_table());
    merger.merge_tables(root, template_root, "", false, false);
    let mut merged = merger.merged;
    merged.text = match merged.added.is_empty() {
        true => ours.to_owned(),
        // All of it is new: the template's text as it is, without a blank line on top.
        false if ours.trim().is_empty() => template.to_owned(),
        // The added lines end as the project's do (toml_edit writes "\n"), where every line
        // of it ends in "\r\n" (one stray "\r\n" does not turn the whole file).
        false
            if ours.matches("\r\n").count() == ours.matches('\n').count()
                && ours.contains("\r\n") =>
        {
            document
                .to_string()
                .replace("\r\n", "\n")
                .replace('\n', "\r\n")
        }
        false => document.to_string(),
    };
    // Never hand back a file the project could not read: a bug here must fail, not be written.
    parse(&merged.text, "the merged")?;
    Ok(merged)
}

/// What to do with one key of the template.
#[derive(Debug, PartialEq, Eq)]
enum Action {
    Add,
    Keep,
    Recurse,
    Conflict,
}

/// The decision table for one key; `ours` is the project's item at that key, if it has one.
fn decide(ours: Option<&Item>, template: &Item) -> Action {
    match ours {
        None => Action::Add,
        // Standard and inline tables alike; arrays of tables are values.
        Some(ours) if ours.is_table_like() && template.is_table_like() => Action::Recurse,
        Some(ours) if same_meaning(ours, template) => Action::Keep,
        Some(_) => Action::Conflict,
    }
}

struct Merger {
    /// Added tables keep the template's order, shifted past the project's last table.
    shift: isize,
    merged: Merged,
}

impl Merger {
    fn merge_tables(
        &mut self,
        ours: &mut dyn TableLike,
        template: &dyn TableLike,
        path: &str,
        ours_inline: bool,
        template_inline: bool,
    ) {
        for (name, template_item) in template.iter() {
            let key_path = join(path, name);
            match decide(ours.get(name), template_item) {
                Action::Add => {
                    let key = template
                        .key(name)
                        .cloned()
                        .unwrap_or_else(|| Key::new(name));
                    let plain = ours_inline || template_inline;
                    let item = self.prepare(template_item, ours_inline, plain);
                    let key = if plain { Key::new(name) } else { key };
                    if let (Some(item), Entry::Vacant(entry)) = (item, ours.entry_format(&key)) {
                        entry.insert(item);
                        self.merged.added.push(key_path);
                    }
                }
                Action::Keep => {}
                Action::Recurse => {
                    if let Some(ours_item) = ours.get_mut(name) {
                        self.merge_items(ours_item, template_item, &key_path);
                    }
                }
                Action::Conflict => self.merged.conflicts.push(Conflict {
                    key: key_path,
                    ours: ours.get(name).map(toml_text).unwrap_or_default(),
                    template: toml_text(template_item),
                }),
            }
        }
    }

    fn merge_items(&mut self, ours: &mut Item, template: &Item, path: &str) {
        let (ours_inline, template_inline) = (ours.is_inline_table(), template.is_inline_table());
        if let (Some(ours_table), Some(template_table)) =
            (ours.as_table_like_mut(), template.as_table_like())
        {
            self.merge_tables(
                ours_table,
                template_table,
                path,
                ours_inline,
                template_inline,
            );
        }
        // A table the project only implies ([tool], through [tool.maturin]) needs a header
        // once it holds a key: it goes where the template has it, after the project's content.
        if let Item::Table(table) = ours
            && table.is_implicit()
            && !table.is_dotted()
            && !table.get_values().is_empty()
        {
            table.set_implicit(false);
            let position = template.as_table().and_then(Table::position);
            table.set_position(Some(position.map_or(isize::MAX, |at| at + self.shift)));
        }
    }

    /// The template's item made ready to sit in the project's table (`None`: nothing to add).
    fn prepare(&self, template: &Item, ours_inline: bool, plain: bool) -> Option<Item> {
        let mut item = template.clone();
        visit_item_tables(&mut item, &mut |table| {
            table.set_position(table.position().map(|at| at + self.shift));
            set_apart(table);
        });
        // Between an inline table and a standard one, a value takes the default spacing of where
        // it goes (as its key does): its own would indent the line or crowd the braces.
        if let (true, Item::Value(value)) = (plain, &mut item) {
            value.decor_mut().clear();
        }
        match ours_inline {
            true => item.into_value().ok().map(Item::Value),
            false => Some(item),
        }
    }
}

fn parse(text: &str, whose: &str) -> Result<DocumentMut, Error> {
    text.parse()
        .map_err(|error| Error::new(format!("{whose} file is not valid TOML: {error}")))
}

/// The item's meaning without its formatting, so that `'a'` and `"a"`, `[1,2]` and `[ 1, 2 ]`, or
/// an array of tables and an array of inline tables, compare equal.
fn meaning(item: &Item) -> Option<toml::Value> {
    let mut alone = DocumentMut::new();
    alone.insert("v", item.clone());
    let table: toml::Table = alone.to_string().parse().ok()?;
    table.get("v").cloned()
}

fn same_meaning(ours: &Item, template: &Item) -> bool {
    matches!((meaning(ours), meaning(template)), (Some(a), Some(b)) if a == b)
}

/// The item as TOML text, without the comments and spacing around it.
fn toml_text(item: &Item) -> String {
    let value = item.clone().into_value().map(|mut value| {
        value.decor_mut().clear();
        value.to_string().trim().to_owned()
    });
    value.unwrap_or_default()
}

fn join(path: &str, name: &str) -> String {
    let name = Key::new(name).display_repr().into_owned();
    match path {
        "" => name,
        _ => format!("{path}.{name}"),
    }
}

/// Calls `visit` on the item's tables with a header, nested ones included.
fn visit_item_tables(item: &mut Item, visit: &mut dyn FnMut(&mut Table)) {
    match item {
        Item::Table(table) => visit_tables(table, visit),
        Item::ArrayOfTables(array) => array
            .iter_mut()
            .for_each(|table| visit_tables(table, visit)),
        _ => {}
    }
}

fn visit_tables(table: &mut Table, visit: &mut dyn FnMut(&mut Table)) {
    visit(table);
    for (_, item) in table.iter_mut() {
        visit_item_tables(item, visit);
    }
}

/// A blank line before an added header, so that it does not stick to the project's last line.
fn set_apart(table: &mut Table) {
    let prefix = table
        .decor()
        .prefix()
        .and_then(|raw| raw.as_str())
        .unwrap_or("");
    if !prefix.starts_with(['\n', '\r']) {
        let prefix = format!("\n{prefix}");
        table.decor_mut().set_prefix(prefix);
    }
}

/// The position of the document's last table header (0 when it has none).
fn last_position(document: &mut DocumentMut) -> isize {
    let mut last = 0;
    visit_tables(document.as_table_mut(), &mut |table| {
        last = last.max(table.position().unwrap_or(0));
    });
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The decision for key `v` of two small files.
    fn decision(ours: &str, template: &str) -> Result<Action, Error> {
        let (ours, template) = (parse(ours, "ours")?, parse(template, "template")?);
        let item = template.get("v").ok_or_else(|| Error::new("no v"))?;
        Ok(decide(ours.get("v"), item))
    }

    fn conflict(key: &str, ours: &str, template: &str) -> Conflict {
        let (key, ours, template) = (key.into(), ours.into(), template.into());
        Conflict {
            key,
            ours,
            template,
        }
    }

    const PYPROJECT: &str = r#"# The project's own comment at the top.
[build-system]
requires = ["maturin>=1.5,<2.0"]
build-backend = "maturin"

[project]
name = "demo"   # the distribution's name
requires-python = '>=3.9'
classifiers = [
    "Programming Language :: Rust",  # what it is written in
]

[tool.maturin]
features = ["pyo3/extension-module"]

[tool.cibuildwheel]
# PyPy wheels are not published.
skip = "pp*"
"#;

    const PIPELINE: &str = r#"# Wheels for every platform, built by cibuildwheel.
[tool.cibuildwheel]
build = "cp3*-*"
archs = ["auto64"]
test-command = "pytest {project}/tests"
test-sources = ["tests"]

[tool.cibuildwheel.linux]
before-all = "yum install -y openssl-devel"
environment = { PATH = "$HOME/.cargo/bin:$PATH" }

# musllinux images need their own packages.
[[tool.cibuildwheel.overrides]]
select = "*-musllinux*"
before-all = "apk add openssl-dev"
"#;

    #[test]
    fn rule_1_what_only_the_template_has_is_added() -> Result<(), Error> {
        assert_eq!(decision("", "v = 1")?, Action::Add);
        let ours = "[tool.cibuildwheel]\nskip = 'pp*'\n\n[tool.other]\nx = 1\n";
        let template = "[tool.cibuildwheel]\nbuild = 'cp3*'\n# Linux\n[tool.cibuildwheel.linux]\nb = 1\na = 2\n";
        let merged = merge(ours, template)?;
        let expected = "[tool.cibuildwheel]\nskip = 'pp*'\nbuild = 'cp3*'\n\n[tool.other]\nx = 1\n\n# Linux\n[tool.cibuildwheel.linux]\nb = 1\na = 2\n";
        assert_eq!(merged.text, expected);
        assert_eq!(
            merged.added,
            ["tool.cibuildwheel.build", "tool.cibuildwheel.linux"]
        );
        Ok(())
    }

    #[test]
    fn rule_2_equal_values_change_nothing() -> Result<(), Error> {
        assert_eq!(decision("v = \"a\"", "v = 'a'")?, Action::Keep);
        let ours = "a = \"x\"\nb = [1,2]\n\n[t]\nk = 1 # one\n";
        let merged = merge(ours, "a = 'x'\nb = [ 1, 2 ]\nt = { k = 1 }\n")?;
        assert_eq!(merged.text, ours);
        assert!(merged.added.is_empty() && merged.conflicts.is_empty());
        Ok(())
    }

    #[test]
    fn rule_3_different_values_keep_the_projects_and_conflict() -> Result<(), Error> {
        assert_eq!(decision("v = 1", "v = 2")?, Action::Conflict);
        let ours = "[t]\na = 1 # mine\n";
        let merged = merge(ours, "t.a = 2")?;
        assert_eq!(merged.text, ours);
        assert_eq!(merged.conflicts, [conflict("t.a", "1", "2")]);
        Ok(())
    }

    #[test]
    fn rule_4_tables_merge_key_by_key_whatever_their_form() -> Result<(), Error> {
        assert_eq!(decision("v = { a = 1 }", "[v]\nb = 2")?, Action::Recurse);
        let ours = "tool.cibuildwheel.build = 'cp3*'\n\n[project]\nname = 'x'\n";
        let merged = merge(
            ours,
            "[tool.cibuildwheel]\nbuild = 'cp3*'\narchs = 'auto'\n",
        )?;
        let expected = "tool.cibuildwheel.build = 'cp3*'\ntool.cibuildwheel.archs = 'auto'\n\n[project]\nname = 'x'\n";
        assert_eq!(merged.text, expected);
        let merged = merge("env = { A = '1' }\n", "[env]\nA = '1'\nB = '2'\n")?;
        assert_eq!(
            (merged.text.as_str(), merged.added),
            ("env = { A = '1' , B = '2' }\n", vec!["env.B".to_owned()])
        );
        Ok(())
    }

    #[test]
    fn rule_5_a_table_against_a_value_conflicts() -> Result<(), Error> {
        assert_eq!(decision("v = 1", "[v]\na = 1")?, Action::Conflict);
        assert_eq!(decision("[v]\na = 1", "v = 1")?, Action::Conflict);
        let merged = merge("linux = 'x'\n", "[linux]\na = 1\n")?;
        assert_eq!(merged.conflicts, [conflict("linux", "'x'", "{ a = 1 }")]);
        Ok(())
    }

    #[test]
    fn rule_6_arrays_of_tables_are_values() -> Result<(), Error> {
        assert_eq!(decision("", "[[v]]\na = 1")?, Action::Add);
        assert_eq!(decision("v = [{ a = 1 }]", "[[v]]\na = 1")?, Action::Keep);
        let two = "[[v]]\na = 1\n[[v]]\na = 2";
        assert_eq!(decision("[[v]]\na = 1", two)?, Action::Conflict);
        Ok(())
    }

    #[test]
    fn rule_7_the_projects_text_is_kept_byte_for_byte() -> Result<(), Error> {
        assert_eq!(merge(PYPROJECT, "")?.text, PYPROJECT);
        let new = "[tool.other]\nx = 1\n\n[extra]\ny = 2\n";
        let merged = merge(PYPROJECT, new)?;
        assert_eq!(merged.text, format!("{PYPROJECT}\n{new}"));
        assert_eq!(merge("a = 1\r\n", "b = 2\n")?.text, "a = 1\r\nb = 2\r\n");
        Ok(())
    }

    #[test]
    fn rule_8_invalid_toml_names_its_side() {
        let message = |ours, template| merge(ours, template).err().map(|e| e.to_string());
        let ours = message("[project", "").unwrap_or_default();
        assert!(
            ours.starts_with("the project's file is not valid TOML: "),
            "{ours}"
        );
        let template = message("", "a = ").unwrap_or_default();
        assert!(
            template.starts_with("the template's file is not valid TOML: "),
            "{template}"
        );
    }

    #[test]
    fn a_pipeline_merges_into_a_pyproject() -> Result<(), Error> {
        let merged = merge(PYPROJECT, PIPELINE)?;
        assert!(merged.text.starts_with(PYPROJECT), "{}", merged.text);
        for comment in [
            "project's own",
            "distribution's",
            "written in",
            "PyPy",
            "musllinux",
        ] {
            assert!(merged.text.contains(comment), "{comment} lost");
        }
        let read: toml::Table = merged
            .text
            .parse()
            .map_err(|e| Error::new(format!("{e}")))?;
        let wheels = read.get("tool").and_then(|tool| tool.get("cibuildwheel"));
        for key in "skip build archs test-command test-sources linux overrides".split(' ') {
            assert!(
                wheels.and_then(|table| table.get(key)).is_some(),
                "{key} missing"
            );
        }
        assert!(
            read.get("project")
                .and_then(|table| table.get("classifiers"))
                .is_some()
        );
        let new = "build archs test-command test-sources linux overrides".split(' ');
        let new: Vec<_> = new.map(|key| format!("tool.cibuildwheel.{key}")).collect();
        assert_eq!((merged.added, merged.conflicts), (new, vec![]));

        let ours = format!("{PYPROJECT}test-command = \"python -m unittest\"\n");
        let merged = merge(&ours, PIPELINE)?;
        let (unittest, pytest) = ("\"python -m unittest\"", "\"pytest {project}/tests\"");
        let key = "tool.cibuildwheel.test-command";
        assert_eq!(merged.conflicts, [conflict(key, unittest, pytest)]);
        assert!(merged.text.contains(unittest) && !merged.text.contains(pytest));
        Ok(())
    }
}
