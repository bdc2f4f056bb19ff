//! The answers of `oxwheel new`: asked one at a time in a terminal, default shown, each checked
//! by the template's rule as it is given and asked again after a refusal; without a terminal,
//! taken from --define and the defaults.

use std::io::IsTerminal;

use dialoguer::Input;

use crate::error::Error;
use crate::rules::{PROJECT_NAME, Rules};
use crate::values::Values;

/// Every answer, project name first, then each question in the template's order.
pub fn answers(rules: &Rules, name: Option<&str>, given: &Values) -> Result<Values, Error> {
    // An option an older template asked (showcase=true), as this one asks it (patterns).
    let given = &rules.migrate(given)?;
    rules.check_keys(given.keys())?;
    let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let mut answers = Values::new();
    // The layout answers given (adopt's), which some rules read.
    for (key, value) in given.iter().filter(|(key, _)| rules.layout.contains(key)) {
        answers.set(key, value);
    }
    let project = match name {
        Some(name) => checked(rules, PROJECT_NAME, name, &answers)?,
        None if terminal => ask(
            rules,
            PROJECT_NAME,
            "Project name (the PyPI and Cargo package name)",
            "",
            &answers,
        )?,
        None => return Err(Error::new("no project name: give one (oxwheel new NAME)")),
    };
    answers.set(PROJECT_NAME, &project);
    for question in &rules.questions {
        let value = match given.get(&question.key) {
            Some(value) => checked(rules, &question.key, value, &answers)?,
            None if terminal => ask(
                rules,
                &question.key,
                &question.prompt,
                &question.default,
                &answers,
            )?,
            None => checked(rules, &question.key, &question.default, &answers)?,
        };
        answers.set(&question.key, &value);
    }
    Ok(answers)
}

fn checked(rules: &Rules, key: &str, value: &str, answers: &Values) -> Result<String, Error> {
    match rules.refusal(key, value, answers)? {
        Some(refusal) => Err(Error::refused(refusal)),
        None => Ok(value.to_string()),
    }
}

/// One question, asked until the answer passes its rule.
fn ask(
    rules: &Rules,
    key: &str,
    prompt: &str,
    default: &str,
    answers: &Values,
) -> Result<String, Error> {
    let mut problem = None;
    let mut input = Input::<String>::new()
        .with_prompt(prompt)
        .allow_empty(true)
        .validate_with(|value: &String| -> Result<(), String> {
            let chosen = if value.is_empty() {
                default
            } else {
                value.as_str()
            };
            match rules.refusal(key, chosen, answers) {
                Ok(None) => Ok(()),
                Ok(Some(refusal)) => Err(refusal),
                Err(error) => {
                    problem = Some(error.to_string());
                    Ok(())
                }
            }
        });
    if !default.is_empty() {
        input = input.default(default.to_string()).show_default(true);
    }
    let value = match input.interact_text() {
        Ok(value) => value,
        // Ctrl-C at a prompt: the terminal is in raw mode there, so it is an error, not SIGINT.
        Err(dialoguer::Error::IO(error)) if error.kind() == std::io::ErrorKind::Interrupted => {
            crate::interrupt::stop()
        }
        Err(error) => return Err(Error::new(format!("cannot ask {key}: {error}"))),
    };
    if let Some(problem) = problem {
        return Err(Error::new(problem));
    }
    Ok(if value.is_empty() {
        default.to_string()
    } else {
        value
    })
}
