//! `oxwheel-answers.toml`: where a project's template came from, at which revision, and every
//! answer it was rendered with.

use std::fs;
use std::path::Path;

use crate::error::Error;
use crate::values::Values;

pub const FILE: &str = "oxwheel-answers.toml";

/// What an update that stopped with conflicts needs to finish or to be undone.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    /// The template revision it updates to.
    pub revision: String,
    /// The project's commit it started from: what `update --abort` restores.
    pub started_from: String,
    /// The files with conflict markers: all that finishing reads.
    pub conflicts: Vec<String>,
    /// Every file it wrote or removed.
    pub written: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Answers {
    /// A git URL or a path to a clone of the template's repository.
    pub source: String,
    /// The commit the project was last rendered from; empty when unknown.
    pub revision: String,
    /// An update that stopped with conflicts, until they are resolved or it is aborted.
    pub pending: Option<Pending>,
    /// The answers, in the order the template asks them.
    pub values: Values,
}

impl Answers {
    pub fn parse(text: &str) -> Result<Self, Error> {
        let table: toml::Table = text
            .parse()
            .map_err(|error| Error::new(format!("{FILE} is not valid TOML: {error}")))?;
        let template = table.get("template").and_then(toml::Value::as_table);
        let field = |name: &str| {
            template
                .and_then(|template| template.get(name))
                .and_then(toml::Value::as_str)
                .map(str::to_string)
        };
        let values = table
            .get("values")
            .and_then(toml::Value::as_table)
            .ok_or_else(|| Error::new(format!("{FILE} has no [values] table")))?
            .iter()
            .map(|(key, value)| match value {
                toml::Value::String(text) => Ok((key.clone(), text.clone())),
                toml::Value::Boolean(flag) => Ok((key.clone(), flag.to_string())),
                other => Err(Error::new(format!(
                    "{FILE}: {key} = {other} is neither text nor true/false"
                ))),
            })
            .collect::<Result<Values, Error>>()?;
        let list = |name: &str| {
            template
                .and_then(|template| template.get(name))
                .and_then(toml::Value::as_array)
                .map(|items| {
                    items
                        .iter()
                        .filter_map(toml::Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        let pending = field("pending")
            .filter(|pending| !pending.is_empty())
            .map(|revision| Pending {
                revision,
                started_from: field("started-from").unwrap_or_default(),
                conflicts: list("conflicts"),
                written: list("written"),
            });
        Ok(Self {
            source: field("source").unwrap_or_default(),
            revision: field("revision").unwrap_or_default(),
            pending,
            values,
        })
    }

    pub fn read(project: &Path) -> Result<Self, Error> {
        let path = project.join(FILE);
        let text = fs::read_to_string(&path).map_err(|error| {
            Error::new(format!(
                "cannot read {} ({error}): run oxwheel in a project that `oxwheel new` made",
                path.display()
            ))
        })?;
        Self::parse(&text)
    }

    /// The file's text; the template renders the same layout with an empty revision.
    pub fn render(&self) -> String {
        let quoted = |text: &str| toml::Value::String(text.to_string()).to_string();
        let mut text = String::from(
            "# How this project was made from the oxwheel template: `oxwheel update` renders the\n\
             # template at this revision and at a newer one with these answers, and merges the change.\n\
             [template]\n",
        );
        text += &format!(
            "source = {}\nrevision = {}\n",
            quoted(&self.source),
            quoted(&self.revision)
        );
        if let Some(pending) = &self.pending {
            let listed = |items: &[String]| {
                items
                    .iter()
                    .map(|item| quoted(item))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            text += &format!(
                "pending = {}\nstarted-from = {}\nconflicts = [{}]\nwritten = [{}]\n",
                quoted(&pending.revision),
                quoted(&pending.started_from),
                listed(&pending.conflicts),
                listed(&pending.written)
            );
        }
        text += "\n[values]\n";
        for (key, value) in self.values.iter() {
            text += &format!("{key} = {}\n", quoted(value));
        }
        text
    }

    pub fn write(&self, project: &Path) -> Result<(), Error> {
        let path = project.join(FILE);
        fs::write(&path, self.render()).map_err(Error::io("write", &path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_and_parse_agree() -> Result<(), Error> {
        let answers = Answers {
            source: "https://example.com/template.git".into(),
            revision: "0123abcd".into(),
            pending: Some(Pending {
                revision: "4567ef".into(),
                started_from: "89ab".into(),
                conflicts: vec!["tox.toml".into()],
                written: vec!["tox.toml".into(), "README.md".into()],
            }),
            values: [("project-name", "demo"), ("abi3", "true")]
                .into_iter()
                .collect(),
        };
        assert_eq!(Answers::parse(&answers.render())?, answers);
        Ok(())
    }

    #[test]
    fn flags_may_be_booleans_and_revision_may_be_missing() -> Result<(), Error> {
        let answers = Answers::parse("[values]\nabi3 = true\nname = \"x\"\n")?;
        assert_eq!(answers.values.get("abi3"), Some("true"));
        assert_eq!(answers.revision, "");
        assert_eq!(answers.pending, None);
        Ok(())
    }

    #[test]
    fn a_file_without_values_is_refused() {
        assert!(Answers::parse("[template]\nsource = \"x\"\n").is_err());
    }
}
