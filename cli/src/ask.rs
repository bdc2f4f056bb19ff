//! The answers of `oxwheel new`: asked one at a time in a terminal, default shown, each checked
//! by the template's rule as it is given and asked again after a refusal; without a terminal,
//! taken from --define and the defaults.

use std::io::IsTerminal;

use dialoguer::Input;

use crate::error::Error;
use crate::rules::{PROJECT_NAME, Rules};

/// Every answer, project name first, then each question in the template's order.
pub fn answers(
    rules: &Rules,
    name: Option<&str>,
    given: &[(String, String)],
) -> Result<Vec<(String, String)>, Error> {
    // An option an older template asked (showcase=true), as this one asks it (patterns).
    let given = &rules.migrate(given)?;
    rules.check_keys(given.iter().map(|(key, _)| key.as_str()))?;
    let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let mut answers: Vec<(String, String)> = Vec::new();
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
    answers.push((PROJECT_NAME.to_string(), project));
    for question in &rules.questions {
        let defined = given.iter().rev().find(|(key, _)| *key == question.key);
        let value = match defined {
            Some((_, value)) => checked(rules, &question.key, value, &answers)?,
            None if terminal => ask(
                rules,
                &question.key,
                &question.prompt,
                &question.default,
                &answers,
            )?,
            None => checked(rules, &question.key, &question.default, &answers)?,
        };
        answers.push((question.key.clone(), value));
    }
    Ok(answers)
}

fn checked(
    rules: &Rules,
    key: &str,
    value: &str,
    answers: &[(String, String)],
) -> Result<String, Error> {
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
    answers: &[(String, String)],
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
