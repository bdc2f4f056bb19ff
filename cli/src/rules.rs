//! The template's questions (cargo-generate.toml's placeholders) and its rules (rules.rhai),
//! evaluated here with the Rhai engine cargo-generate runs the hooks with: one copy of each
//! rule, applied as each answer is given and again by the hooks when the template renders.

use std::fs;
use std::path::Path;

use heck::{
    ToKebabCase, ToLowerCamelCase, ToPascalCase, ToShoutyKebabCase, ToShoutySnakeCase, ToSnakeCase,
    ToTitleCase, ToUpperCamelCase,
};
use rhai::module_resolvers::FileModuleResolver;
use rhai::{AST, Dynamic, Engine, Map, Scope};

use crate::error::Error;
use crate::values::Values;

pub const PROJECT_NAME: &str = "project-name";

/// The name cargo-generate gives a project (it is never run with --force): a name already in
/// snake case as it is, any other in kebab case. The files, the folder and the hooks after
/// `init` see this one.
pub fn project_name_as_rendered(name: &str) -> String {
    if name.to_snake_case() == name {
        name.to_string()
    } else {
        name.to_kebab_case()
    }
}

/// One question of the template: its key, what it asks, and the answer Enter gives.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    pub key: String,
    pub prompt: String,
    pub default: String,
}

/// The entry points of rules.rhai, called through a script that imports it.
const CALLS: &str = r#"
fn refusal(key, value, answers) { import "rules" as rules; rules::refusal(key, value, answers) }
fn migrate(answers) { import "rules" as rules; rules::migrate(answers) }
fn layout_defaults() { import "rules" as rules; rules::layout_defaults() }
fn author_parts(author) { import "rules" as rules; rules::author_parts(author) }
"#;

pub struct Rules {
    engine: Engine,
    /// None for a template from before its rules were functions: the hooks alone check.
    calls: Option<AST>,
    /// Whether rules.rhai can restate answers an older template recorded (`fn migrate`).
    migrates: bool,
    /// Whether rules.rhai splits the author answer into name and email (`fn author_parts`).
    splits_authors: bool,
    pub questions: Vec<Question>,
    /// The layout answers nobody is asked (rules.rhai's `layout_defaults`), with their defaults:
    /// `oxwheel adopt` reads them from the project.
    pub layout: Values,
}

impl Rules {
    pub fn load(template: &Path) -> Result<Self, Error> {
        let engine = engine(template);
        let rules = fs::read_to_string(template.join("rules.rhai")).unwrap_or_default();
        let calls = if rules.contains("fn refusal(") {
            Some(
                engine
                    .compile(CALLS)
                    .map_err(|error| Error::new(error.to_string()))?,
            )
        } else {
            None
        };
        let layout = match &calls {
            Some(calls) if rules.contains("fn layout_defaults(") => {
                let defaults: Map = engine
                    .call_fn(&mut Scope::new(), calls, "layout_defaults", ())
                    .map_err(|error| {
                        Error::new(format!("the template's rules.rhai failed: {error}"))
                    })?;
                let text = |value: &Dynamic| value.clone().into_string().unwrap_or_default();
                defaults
                    .iter()
                    .map(|(key, value)| (key.to_string(), text(value)))
                    .collect()
            }
            _ => Values::new(),
        };
        Ok(Self {
            engine,
            calls,
            migrates: rules.contains("fn migrate("),
            splits_authors: rules.contains("fn author_parts("),
            questions: questions(template)?,
            layout,
        })
    }

    /// `values` as this template asks them: an answer an older template recorded under another
    /// key (or value) restated by rules.rhai's `migrate`, the order kept, new keys after.
    pub fn migrate(&self, values: &Values) -> Result<Values, Error> {
        let Some(calls) = self.calls.as_ref().filter(|_| self.migrates) else {
            return Ok(values.clone());
        };
        let given = map_of(values);
        let migrated: Map = self
            .engine
            .call_fn(&mut Scope::new(), calls, "migrate", (given,))
            .map_err(|error| Error::new(format!("the template's rules.rhai failed: {error}")))?;
        let text = |value: &Dynamic| value.clone().into_string().unwrap_or_default();
        let mut restated: Values = values
            .keys()
            .filter_map(|key| Some((key, text(migrated.get(key)?))))
            .collect();
        for (key, value) in &migrated {
            if !values.contains(key) {
                restated.set(key, &text(value));
            }
        }
        Ok(restated)
    }

    /// The name and email of the author answer ("Name <email>" or "Name", the email then
    /// empty) as the template's rules read it; None for a template whose rules do not say.
    pub fn author_parts(&self, author: &str) -> Result<Option<(String, String)>, Error> {
        let Some(calls) = self.calls.as_ref().filter(|_| self.splits_authors) else {
            return Ok(None);
        };
        let parts: rhai::Array = self
            .engine
            .call_fn(
                &mut Scope::new(),
                calls,
                "author_parts",
                (author.to_string(),),
            )
            .map_err(|error| Error::new(format!("the template's rules.rhai failed: {error}")))?;
        let text = |index: usize| {
            parts
                .get(index)
                .and_then(|part| part.clone().into_string().ok())
                .unwrap_or_default()
        };
        Ok(Some((text(0), text(1))))
    }

    /// Why `value` is refused as the answer `key` given the answers so far, or None.
    pub fn refusal(
        &self,
        key: &str,
        value: &str,
        answers: &Values,
    ) -> Result<Option<String>, Error> {
        let Some(calls) = &self.calls else {
            return Ok(None);
        };
        let arguments = (key.to_string(), value.to_string(), map_of(answers));
        let why: String = self
            .engine
            .call_fn(&mut Scope::new(), calls, "refusal", arguments)
            .map_err(|error| Error::new(format!("the template's rules.rhai failed: {error}")))?;
        Ok(Some(why).filter(|why| !why.is_empty()))
    }

    /// Every key an answer may have: the project name, each question's and the layout's.
    pub fn keys(&self) -> Vec<&str> {
        let asked = self.questions.iter().map(|question| question.key.as_str());
        let layout = self.layout.keys();
        std::iter::once(PROJECT_NAME)
            .chain(asked)
            .chain(layout)
            .collect()
    }

    /// An error for each key that is none of the template's, naming the nearest one.
    pub fn check_keys<'a>(&self, given: impl IntoIterator<Item = &'a str>) -> Result<(), Error> {
        let keys = self.keys();
        for key in given {
            if !keys.contains(&key) {
                let nearest = keys.iter().min_by_key(|known| distance(key, known));
                let hint = nearest
                    .map(|known| format!("did you mean {known}? "))
                    .unwrap_or_default();
                return Err(Error::new(format!(
                    "--define {key}: the template asks no such question; {hint}It asks: {}",
                    keys.join(", ")
                )));
            }
        }
        Ok(())
    }
}

/// A Rhai engine as cargo-generate gives the hooks, its modules (`import "rules"`) found in
/// `template`. Rhai's default limits, as cargo-generate's engine has them: Cargo.toml builds
/// Rhai without the debug assertions that would make them smaller in a debug build.
pub fn engine(template: &Path) -> Engine {
    let mut engine = Engine::new();
    engine.set_module_resolver(FileModuleResolver::new_with_path(template));
    register_cases(&mut engine);
    engine
}

/// The answers as a Rhai map, for the rules' functions.
fn map_of(values: &Values) -> Map {
    values
        .iter()
        .map(|(key, value)| (key.into(), Dynamic::from(value.to_string())))
        .collect()
}

fn questions(template: &Path) -> Result<Vec<Question>, Error> {
    let path = template.join("cargo-generate.toml");
    let text = fs::read_to_string(&path).map_err(Error::io("read", &path))?;
    let config: toml::Table = text
        .parse()
        .map_err(|error| Error::new(format!("{}: {error}", path.display())))?;
    let placeholders = config.get("placeholders").and_then(toml::Value::as_table);
    Ok(placeholders
        .into_iter()
        .flatten()
        .map(|(key, entry)| Question {
            key: key.clone(),
            prompt: entry
                .get("prompt")
                .and_then(toml::Value::as_str)
                .unwrap_or(key)
                .to_string(),
            default: match entry.get("default") {
                Some(toml::Value::String(text)) => text.clone(),
                Some(toml::Value::Boolean(flag)) => flag.to_string(),
                _ => String::new(),
            },
        })
        .collect())
}

/// The case conversions cargo-generate gives the hooks.
fn register_cases(engine: &mut Engine) {
    engine
        .register_fn("to_kebab_case", |text: &str| text.to_kebab_case())
        .register_fn("to_lower_camel_case", |text: &str| {
            text.to_lower_camel_case()
        })
        .register_fn("to_pascal_case", |text: &str| text.to_pascal_case())
        .register_fn("to_shouty_kebab_case", |text: &str| {
            text.to_shouty_kebab_case()
        })
        .register_fn("to_shouty_snake_case", |text: &str| {
            text.to_shouty_snake_case()
        })
        .register_fn("to_snake_case", |text: &str| text.to_snake_case())
        .register_fn("to_title_case", |text: &str| text.to_title_case())
        .register_fn("to_upper_camel_case", |text: &str| {
            text.to_upper_camel_case()
        });
}

/// Levenshtein's edit distance, for suggesting the key that was meant.
fn distance(left: &str, right: &str) -> usize {
    let right: Vec<char> = right.chars().collect();
    let mut row: Vec<usize> = (0..=right.len()).collect();
    for (i, a) in left.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, b) in right.iter().enumerate() {
            let substituted = previous + usize::from(a != *b);
            previous = row[j + 1];
            row[j + 1] = substituted.min(row[j] + 1).min(previous + 1);
        }
    }
    row[right.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template() -> Result<Rules, Error> {
        Rules::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../template"))
    }

    fn answers(pairs: &[(&str, &str)]) -> Values {
        pairs.iter().copied().collect()
    }

    #[test]
    fn an_old_showcase_answer_becomes_the_patterns_it_meant() -> Result<(), Error> {
        let rules = template()?;
        for (showcase, patterns) in [("true", "showcase"), ("false", "core")] {
            let old = answers(&[
                ("project-name", "p"),
                ("showcase", showcase),
                ("abi3", "true"),
            ]);
            let expected = answers(&[
                ("project-name", "p"),
                ("abi3", "true"),
                ("patterns", patterns),
            ]);
            assert_eq!(rules.migrate(&old)?, expected);
        }
        Ok(())
    }

    #[test]
    fn current_answers_pass_unchanged() -> Result<(), Error> {
        let current = answers(&[("project-name", "p"), ("patterns", "none")]);
        assert_eq!(template()?.migrate(&current)?, current);
        Ok(())
    }

    #[test]
    fn the_author_answer_splits_into_name_and_email() -> Result<(), Error> {
        let rules = template()?;
        let split = |author: &str| rules.author_parts(author);
        let named = |name: &str, email: &str| Some((name.to_string(), email.to_string()));
        assert_eq!(
            split("Ada Lovelace <ada@example.com>")?,
            named("Ada Lovelace", "ada@example.com")
        );
        assert_eq!(split("Ada Lovelace")?, named("Ada Lovelace", ""));
        Ok(())
    }

    #[test]
    fn the_nearest_key_is_the_one_with_the_fewest_edits() {
        assert_eq!(distance("showcse", "showcase"), 1);
        assert_eq!(distance("abi_3", "abi3"), 1);
        assert_eq!(distance("", "abc"), 3);
    }
}
