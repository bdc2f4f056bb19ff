//! What the template's own rules derive from a set of answers: its cargo-generate hooks (those
//! that run before anything is rendered) run here, in the engine rules.rs makes, with every
//! value they set recorded and their file operations stubbed so that nothing is touched.
//! Tools read the derived values from here instead of deriving them again.

use std::cell::RefCell;
use std::fs;
use std::path::Path;
use std::rc::Rc;

use rhai::{Array, Dynamic, EvalAltResult, Map, Module, Scope};

use crate::error::Error;
use crate::rules::{self, PROJECT_NAME, Rules};
use crate::values::Values;

/// What a native function of the hooks' modules returns.
type RhaiResultOf<T> = Result<T, Box<EvalAltResult>>;

/// What the rules derive for one set of answers.
pub struct Derived {
    /// The answers the hooks were given: those given, and each question's default.
    pub answers: Values,
    /// Every variable the hooks set, with the value it was left with.
    pub derived: Map,
    /// Every constant supported.rhai exports.
    pub supported: Map,
}

/// The variables the hooks read and write, as cargo-generate keeps them.
#[derive(Default)]
struct Variables {
    values: Map,
    set: Vec<String>,
}

/// Runs the hooks of the template folder `template` for the project `name` and the answers
/// `given`; a refused answer is an Error::refused with the rule's words. Every answer is held
/// as text from the start, as cargo-generate holds this template's answers (its placeholders
/// are all `type = "string"`): the init hook reads only the project's name, and the pre hooks
/// see every answer, as they do in a render.
pub fn derive(template: &Path, name: &str, given: &Values) -> Result<Derived, Error> {
    let rules = Rules::load(template)?;
    rules.check_keys(given.keys())?;
    let mut answers: Values = [(PROJECT_NAME, name)].into_iter().collect();
    for question in &rules.questions {
        answers.set(&question.key, &question.default);
    }
    let mut answers = answers.overlaid(given);
    let variables = Rc::new(RefCell::new(Variables::default()));
    for (key, value) in answers.iter() {
        variables
            .borrow_mut()
            .values
            .insert(key.into(), Dynamic::from(value.to_string()));
    }
    let mut engine = rules::engine(template);
    engine.register_static_module("variable", variable_module(&variables).into());
    engine.register_static_module("file", file_module(template).into());
    let (init, pre) = hooks(template)?;
    let run = |hooks: &[String]| -> Result<(), Error> {
        for hook in hooks {
            engine
                .run_file(template.join(hook))
                .map_err(|error| hook_error(hook, &error))?;
        }
        Ok(())
    };
    run(&init)?;
    // cargo-generate names the project as it renders it once its init hooks have run, and the
    // pre hooks and the files see that name.
    let rendered = Dynamic::from(rules::project_name_as_rendered(name));
    variables
        .borrow_mut()
        .values
        .insert(PROJECT_NAME.into(), rendered);
    run(&pre)?;
    let variables = variables.take();
    if let Some(named) = variables.values.get(PROJECT_NAME) {
        answers.set(PROJECT_NAME, &named.to_string());
    }
    let derived = variables
        .set
        .iter()
        .filter_map(|key| {
            Some((
                key.as_str().into(),
                variables.values.get(key.as_str())?.clone(),
            ))
        })
        .collect();
    Ok(Derived {
        answers,
        derived,
        supported: supported(template, &engine)?,
    })
}

/// The hooks cargo-generate runs before it renders anything: `init`, then `pre`.
fn hooks(template: &Path) -> Result<(Vec<String>, Vec<String>), Error> {
    let path = template.join("cargo-generate.toml");
    let text = fs::read_to_string(&path).map_err(Error::io("read", &path))?;
    let config: toml::Table = text
        .parse()
        .map_err(|error| Error::new(format!("{}: {error}", path.display())))?;
    let hooks = config.get("hooks").and_then(toml::Value::as_table);
    let listed = |stage: &str| {
        let scripts = hooks.and_then(|hooks| hooks.get(stage));
        let scripts = scripts.and_then(toml::Value::as_array).cloned();
        scripts.into_iter().flatten()
    };
    let names = |stage: &str| {
        listed(stage)
            .filter_map(|script| script.as_str().map(str::to_string))
            .collect()
    };
    Ok((names("init"), names("pre")))
}

/// A refusal the hook threw (its words say "is refused"), or the hook's failure.
fn hook_error(hook: &str, error: &EvalAltResult) -> Error {
    if let EvalAltResult::ErrorRuntime(thrown, _) = error.unwrap_inner() {
        let thrown = thrown.to_string();
        if thrown.contains(" is refused: ") {
            return Error::refused(thrown);
        }
    }
    Error::new(format!("the template's {hook} failed: {error}"))
}

/// cargo-generate's `variable` module: an unset variable reads as "", and each set is recorded.
fn variable_module(variables: &Rc<RefCell<Variables>>) -> Module {
    let mut module = Module::new();
    let shared = Rc::clone(variables);
    module.set_native_fn("is_set", move |name: &str| -> RhaiResultOf<bool> {
        Ok(shared.borrow().values.contains_key(name))
    });
    let shared = Rc::clone(variables);
    module.set_native_fn("get", move |name: &str| -> RhaiResultOf<Dynamic> {
        let values = &shared.borrow().values;
        Ok(values.get(name).cloned().unwrap_or_else(|| "".into()))
    });
    for setter in [set_text, set_flag, set_list] {
        setter(&mut module, variables);
    }
    module
}

fn record(
    variables: &Rc<RefCell<Variables>>,
    name: &str,
    kind: Kind,
    value: Dynamic,
) -> RhaiResultOf<()> {
    let mut variables = variables.borrow_mut();
    let held = variables.values.get(name).and_then(kind_of);
    if held.is_some_and(|held| held != kind) {
        let wanted = match held {
            Some(Kind::Text) => "a String",
            Some(Kind::Flag) => "a bool",
            _ => "an array",
        };
        return Err(format!("Variable {name} not {wanted}").into());
    }
    if !variables.set.iter().any(|known| known == name) {
        variables.set.push(name.to_string());
    }
    variables.values.insert(name.into(), value);
    Ok(())
}

/// The kinds of value cargo-generate keeps: a variable keeps the kind it was first given, and
/// a list holds only text, flags and lists (its hooks fail on anything else, so must this).
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Flag,
    List,
}

fn kind_of(value: &Dynamic) -> Option<Kind> {
    if value.is_string() {
        Some(Kind::Text)
    } else if value.is_bool() {
        Some(Kind::Flag)
    } else if value.is_array() {
        Some(Kind::List)
    } else {
        None
    }
}

fn check_list_items(items: &Array) -> RhaiResultOf<()> {
    for item in items {
        match kind_of(item) {
            Some(Kind::List) => check_list_items(&item.clone().into_array().unwrap_or_default())?,
            Some(_) => {}
            None => {
                let found = item.type_name();
                return Err(format!(
                    "expecting type to be string, bool or array but found a '{found}' instead"
                )
                .into());
            }
        }
    }
    Ok(())
}

fn set_text(module: &mut Module, variables: &Rc<RefCell<Variables>>) {
    let shared = Rc::clone(variables);
    module.set_native_fn("set", move |name: &str, value: &str| -> RhaiResultOf<()> {
        record(&shared, name, Kind::Text, value.into())
    });
}

fn set_flag(module: &mut Module, variables: &Rc<RefCell<Variables>>) {
    let shared = Rc::clone(variables);
    module.set_native_fn("set", move |name: &str, value: bool| -> RhaiResultOf<()> {
        record(&shared, name, Kind::Flag, value.into())
    });
}

fn set_list(module: &mut Module, variables: &Rc<RefCell<Variables>>) {
    let shared = Rc::clone(variables);
    module.set_native_fn("set", move |name: &str, value: Array| -> RhaiResultOf<()> {
        check_list_items(&value)?;
        record(&shared, name, Kind::List, value.into())
    });
}

/// cargo-generate's `file` module with nothing touched: `exists` reads the template folder,
/// and the hooks' deletions, renames and writes are let be.
fn file_module(template: &Path) -> Module {
    let mut module = Module::new();
    let folder = template.to_path_buf();
    let exists = move |path: &str| -> RhaiResultOf<bool> { Ok(folder.join(path).exists()) };
    module.set_native_fn("exists", exists);
    module.set_native_fn("delete", |_: &str| -> RhaiResultOf<()> { Ok(()) });
    module.set_native_fn("rename", |_: &str, _: &str| -> RhaiResultOf<()> { Ok(()) });
    module.set_native_fn("write", |_: &str, _: &str| -> RhaiResultOf<()> { Ok(()) });
    module.set_native_fn("write", |_: &str, _: Array| -> RhaiResultOf<()> { Ok(()) });
    module
}

/// Every constant supported.rhai exports; none for a template without it.
fn supported(template: &Path, engine: &rhai::Engine) -> Result<Map, Error> {
    let path = template.join("supported.rhai");
    if !path.is_file() {
        return Ok(Map::new());
    }
    let failed = |error: Box<EvalAltResult>| Error::new(format!("{}: {error}", path.display()));
    let ast = engine.compile_file(path.clone()).map_err(failed)?;
    let module = Module::eval_ast_as_new(Scope::new(), &ast, engine).map_err(failed)?;
    Ok(module
        .iter_var()
        .map(|(name, value)| (name.into(), value.clone()))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Json;

    fn template() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../template")
    }

    fn derived(given: &[(&str, &str)]) -> Result<Derived, Error> {
        derive(
            &template(),
            "demo-project",
            &given.iter().copied().collect(),
        )
    }

    fn json(map: &Map, key: &str) -> Option<String> {
        map.get(key).map(|value| Json::from_rhai(value).render())
    }

    #[test]
    fn the_default_answers_derive_versions_builds_and_jobs() -> Result<(), Error> {
        let found = derived(&[])?;
        let derived = &found.derived;
        for key in [
            "python_versions",
            "cibw_build",
            "tox_rows",
            "wheel_jobs",
            "runners",
        ] {
            let value = derived.get(key).map(Dynamic::is_array);
            assert_eq!(value, Some(true), "{key} is no list");
        }
        assert_eq!(
            json(derived, "module_name").as_deref(),
            Some("\"demo_project\"")
        );
        assert_eq!(
            json(derived, "author_name").as_deref(),
            Some("\"Your Name\"")
        );
        assert_eq!(
            json(derived, "author_email").as_deref(),
            Some("\"you@example.com\"")
        );
        let cpython = json(&found.supported, "CPYTHON");
        let versions = json(derived, "python_versions");
        assert_eq!(
            versions, cpython,
            "the default python_min is the oldest supported"
        );
        assert_eq!(found.answers.get("patterns"), Some("core"));
        Ok(())
    }

    #[test]
    fn pypy_is_built_without_abi3_only() -> Result<(), Error> {
        // The same answers but abi3: what the table says about PyPy decides the difference.
        let with_abi3 = |abi3: &str| derived(&[("python_min", "3.12"), ("abi3", abi3)]);
        let (abi3, versioned) = (with_abi3("true")?, with_abi3("false")?);
        let pypy = json(&abi3.supported, "PYPY").unwrap_or_default();
        let pypy_build = format!("\"pp{}\"", pypy.trim_matches('"').replace('.', ""));
        let abi3_builds = json(&abi3.derived, "cibw_build").unwrap_or_default();
        let versioned_builds = json(&versioned.derived, "cibw_build").unwrap_or_default();
        assert!(!abi3_builds.contains("\"pp"), "{abi3_builds}");
        let expected = format!("{}, {pypy_build}]", abi3_builds.trim_end_matches(']'));
        assert_eq!(versioned_builds, expected);
        Ok(())
    }

    #[test]
    fn the_pre_hooks_see_the_name_as_a_render_gives_it() -> Result<(), Error> {
        let given: Values = [("adopted", "true"), ("test_deps", "extra:test")]
            .into_iter()
            .collect();
        for (name, rendered) in [("My_Proj", "my-proj"), ("my_proj", "my_proj")] {
            let found = derive(&template(), name, &given)?;
            assert_eq!(found.answers.get(PROJECT_NAME), Some(rendered));
            let install = json(&found.derived, "install_test_deps").unwrap_or_default();
            assert!(install.contains(&format!("{rendered}[test]")), "{install}");
        }
        Ok(())
    }

    #[test]
    fn a_variable_keeps_its_kind_and_a_list_holds_text_flags_and_lists() {
        let variables = Rc::new(RefCell::new(Variables::default()));
        let text = |value: &str| Dynamic::from(value.to_string());
        assert!(record(&variables, "v", Kind::Text, text("a")).is_ok());
        assert!(record(&variables, "v", Kind::Text, text("b")).is_ok());
        let refused = record(&variables, "v", Kind::Flag, true.into());
        assert!(refused.is_err_and(|error| error.to_string().contains("v not a String")));
        let nested: Array = vec![text("a"), true.into(), Dynamic::from(vec![text("b")])];
        assert!(check_list_items(&nested).is_ok());
        let with_number: Array = vec![text("a"), Dynamic::from(vec![Dynamic::from(3_i64)])];
        assert!(check_list_items(&with_number).is_err());
        let with_map: Array = vec![Dynamic::from(rhai::Map::new())];
        assert!(check_list_items(&with_map).is_err());
    }

    #[test]
    fn a_refused_answer_is_a_refusal_naming_its_key() {
        let refused = derived(&[("module_name", "json")]);
        let refusal = refused.as_ref().err().and_then(Error::refusal);
        assert_eq!(refusal.and_then(|refusal| refusal.key), Some("module_name"));
    }

    #[test]
    fn nothing_in_the_template_is_touched() -> Result<(), Error> {
        derived(&[("patterns", "showcase")])?;
        assert!(template().join("Cargo.showcase.lock").is_file());
        assert!(template().join("Cargo.none.lock").is_file());
        Ok(())
    }
}
