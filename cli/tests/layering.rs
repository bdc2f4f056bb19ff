//! The layout of cli/src: each subcommand in its own module under `commands/`, none importing
//! another, and no two modules importing each other, directly or around a circle. Read from the
//! source itself: every `crate::`, `super::` and `self::` path, in `use` declarations and written
//! inline, and in the crate root the paths that start with one of its modules.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// A module by its path below the crate root: `[]` is the root, `["commands", "new"]`.
type Module = Vec<String>;

/// The subcommands, each of which has its module in `commands/`.
const COMMANDS: [&str; 6] = ["new", "update", "adopt", "check", "render", "rules"];

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Word(String),
    PathSeparator,
    Other(char),
}

/// The source's words and punctuation, without comments, strings and characters.
fn tokens(source: &str) -> Vec<Token> {
    let chars: Vec<char> = source.chars().collect();
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(&c) = chars.get(at) {
        let next = chars.get(at + 1).copied();
        at = match (c, next) {
            ('/', Some('/')) => skip_line(&chars, at),
            ('/', Some('*')) => skip_block_comment(&chars, at),
            ('"', _) => skip_string(&chars, at + 1),
            ('r', Some('#' | '"')) if raw_string_start(&chars, at) => skip_raw_string(&chars, at),
            ('b', Some('"')) => skip_string(&chars, at + 2),
            ('\'', _) => skip_character(&chars, at),
            (':', Some(':')) => {
                found.push(Token::PathSeparator);
                at + 2
            }
            _ if c.is_alphanumeric() || c == '_' => {
                let end = (at..chars.len())
                    .find(|&i| !(chars[i].is_alphanumeric() || chars[i] == '_'))
                    .unwrap_or(chars.len());
                found.push(Token::Word(chars[at..end].iter().collect()));
                end
            }
            _ if c.is_whitespace() => at + 1,
            _ => {
                found.push(Token::Other(c));
                at + 1
            }
        };
    }
    found
}

fn skip_line(chars: &[char], at: usize) -> usize {
    (at..chars.len())
        .find(|&i| chars[i] == '\n')
        .unwrap_or(chars.len())
}

fn skip_block_comment(chars: &[char], mut at: usize) -> usize {
    let mut depth = 0;
    while at + 1 < chars.len() {
        match (chars[at], chars[at + 1]) {
            ('/', '*') => depth += 1,
            ('*', '/') => {
                depth -= 1;
                if depth == 0 {
                    return at + 2;
                }
            }
            _ => {
                at += 1;
                continue;
            }
        }
        at += 2;
    }
    chars.len()
}

/// Past the closing quote of a string whose text starts at `at`.
fn skip_string(chars: &[char], mut at: usize) -> usize {
    while at < chars.len() {
        match chars[at] {
            '\\' => at += 2,
            '"' => return at + 1,
            _ => at += 1,
        }
    }
    chars.len()
}

fn raw_string_start(chars: &[char], at: usize) -> bool {
    let hashes = chars[at + 1..].iter().take_while(|c| **c == '#').count();
    chars.get(at + 1 + hashes) == Some(&'"')
        && !chars
            .get(at.wrapping_sub(1))
            .is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

fn skip_raw_string(chars: &[char], at: usize) -> usize {
    let hashes = chars[at + 1..].iter().take_while(|c| **c == '#').count();
    let mut position = at + 2 + hashes;
    while position < chars.len() {
        let closes = chars[position] == '"'
            && (1..=hashes).all(|offset| chars.get(position + offset) == Some(&'#'));
        if closes {
            return position + 1 + hashes;
        }
        position += 1;
    }
    chars.len()
}

/// A character literal ('x', '\n', '\u{1F600}'), or a lifetime's quote alone.
fn skip_character(chars: &[char], at: usize) -> usize {
    match (chars.get(at + 1), chars.get(at + 2)) {
        (Some('\\'), _) => (at + 2..chars.len())
            .find(|&i| chars[i] == '\'')
            .map_or(chars.len(), |i| i + 1),
        (Some(_), Some('\'')) => at + 3,
        _ => at + 1,
    }
}

/// Every module of the crate, with its file: src/main.rs is the root, src/a/mod.rs and
/// src/a.rs are `a`.
fn modules(source: &Path) -> Result<BTreeMap<Module, PathBuf>, String> {
    let mut found = BTreeMap::new();
    let mut pending = vec![source.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let listed = fs::read_dir(&folder).map_err(|error| format!("{folder:?}: {error}"))?;
        for entry in listed.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                found.insert(module_of(source, &path)?, path);
            }
        }
    }
    Ok(found)
}

fn module_of(source: &Path, file: &Path) -> Result<Module, String> {
    let relative = file
        .strip_prefix(source)
        .map_err(|error| error.to_string())?
        .with_extension("");
    let mut parts: Module = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().to_string())
        .collect();
    if parts
        .last()
        .is_some_and(|last| last == "mod" || last == "main")
    {
        parts.pop();
    }
    Ok(parts)
}

/// The modules `file` (the module `module`) refers to, inline modules such as `tests` counted
/// as their file's.
fn references(module: &Module, tokens: &[Token], known: &BTreeSet<Module>) -> BTreeSet<Module> {
    let mut found = BTreeSet::new();
    // The inline modules we are in, each with the brace depth it opened at.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut at = 0;
    while at < tokens.len() {
        let here: Module = module
            .iter()
            .cloned()
            .chain(inline.iter().map(|(name, _)| name.clone()))
            .collect();
        match &tokens[at] {
            Token::Word(word) if word == "mod" => {
                if let (Some(Token::Word(name)), Some(Token::Other('{'))) =
                    (tokens.get(at + 1), tokens.get(at + 2))
                {
                    depth += 1;
                    inline.push((name.clone(), depth));
                    at += 3;
                    continue;
                }
            }
            Token::Word(word) if word == "use" => {
                let end = (at..tokens.len())
                    .find(|&i| tokens[i] == Token::Other(';'))
                    .unwrap_or(tokens.len());
                for path in expand(&tokens[at + 1..end]) {
                    found.extend(resolve(&here, &path, known));
                }
                at = end + 1;
                continue;
            }
            Token::Word(_) if at == 0 || tokens[at - 1] != Token::PathSeparator => {
                let path = inline_path(&tokens[at..]);
                if path.len() > 1 {
                    found.extend(resolve(&here, &path, known));
                }
            }
            Token::Other('{') => depth += 1,
            Token::Other('}') => {
                if inline.last().is_some_and(|(_, opened)| *opened == depth) {
                    inline.pop();
                }
                depth -= 1;
            }
            _ => {}
        }
        at += 1;
    }
    found
}

/// The words of `a::b::c` at the start of `tokens`.
fn inline_path(tokens: &[Token]) -> Vec<String> {
    let mut path = Vec::new();
    let mut at = 0;
    while let Some(Token::Word(word)) = tokens.get(at) {
        path.push(word.clone());
        if tokens.get(at + 1) != Some(&Token::PathSeparator) {
            break;
        }
        at += 2;
    }
    path
}

/// The paths a use tree names: `crate::{a, b::{self, C}}` is crate::a, crate::b, crate::b::C.
fn expand(tree: &[Token]) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    let mut prefix: Vec<String> = Vec::new();
    // The prefix's length where each open brace began.
    let mut groups: Vec<usize> = Vec::new();
    // Whether `prefix` names a path of its own (not only the start of a group).
    let mut named = false;
    let mut renaming = false;
    for token in tree {
        match token {
            Token::Word(word) if word == "as" => renaming = true,
            Token::Word(_) if renaming => renaming = false,
            Token::Word(word) if word == "self" && !groups.is_empty() => named = true,
            Token::Word(word) => {
                prefix.push(word.clone());
                named = true;
            }
            Token::Other('{') => {
                groups.push(prefix.len());
                named = false;
            }
            Token::Other(',' | '}') => {
                if named {
                    paths.push(prefix.clone());
                }
                named = false;
                if *token == Token::Other('}') {
                    groups.pop();
                }
                prefix.truncate(groups.last().copied().unwrap_or(0));
            }
            _ => {}
        }
    }
    if named {
        paths.push(prefix);
    }
    paths
}

/// The module a path names, from the module `here`: its longest known prefix. Only paths that
/// start at `crate`, `super` or `self`, or at a module declared inside `here`, name one.
fn resolve(here: &Module, path: &[String], known: &BTreeSet<Module>) -> Option<Module> {
    let mut module = here.clone();
    let rest = match path.first().map(String::as_str) {
        Some("crate") => {
            module.clear();
            &path[1..]
        }
        Some("super") => {
            let supers = path.iter().take_while(|word| *word == "super").count();
            module.truncate(module.len().saturating_sub(supers));
            &path[supers..]
        }
        Some("self") => &path[1..],
        Some(first) => {
            let mut child = here.clone();
            child.push(first.to_string());
            if !known.contains(&child) {
                return None;
            }
            path
        }
        None => return None,
    };
    for word in rest {
        let mut deeper = module.clone();
        deeper.push(word.clone());
        if !known.contains(&deeper) {
            break;
        }
        module = deeper;
    }
    // An inline module (tests) belongs to its file's module.
    while !module.is_empty() && !known.contains(&module) {
        module.pop();
    }
    Some(module)
}

/// Which module refers to which, by the source in cli/src.
fn graph() -> Result<BTreeMap<Module, BTreeSet<Module>>, String> {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = modules(&source)?;
    let known: BTreeSet<Module> = files.keys().cloned().collect();
    let mut edges = BTreeMap::new();
    for (module, file) in &files {
        let text = fs::read_to_string(file).map_err(|error| format!("{file:?}: {error}"))?;
        let mut targets = references(module, &tokens(&text), &known);
        targets.remove(module);
        edges.insert(module.clone(), targets);
    }
    Ok(edges)
}

fn name(module: &Module) -> String {
    if module.is_empty() {
        "crate".to_string()
    } else {
        module.join("::")
    }
}

/// The command a module belongs to, if it is in `commands/`.
fn command_of(module: &Module) -> Option<&str> {
    match module.as_slice() {
        [commands, command, ..] if commands == "commands" => Some(command),
        _ => None,
    }
}

#[test]
fn every_subcommand_has_its_module_in_commands_and_the_root_dispatches_to_it() -> Result<(), String>
{
    let edges = graph()?;
    let dispatched = edges.get(&Vec::new()).cloned().unwrap_or_default();
    let missing: Vec<&str> = COMMANDS
        .into_iter()
        .filter(|command| !dispatched.contains(&vec!["commands".to_string(), command.to_string()]))
        .collect();
    assert!(
        missing.is_empty(),
        "main.rs runs no commands/{missing:?}.rs"
    );
    Ok(())
}

/// Whether `module` reaching `target` lets one command reach another: directly; through
/// `commands` itself, which only declares the commands, so that a command referring to it
/// (`use super::*`, a re-export there, `use crate::commands as c`) can only mean a sibling; or
/// through a shared module that reaches into a command (a re-export there). Only the crate root
/// and `commands` refer to the commands.
fn crosses(module: &Module, target: &Module) -> bool {
    match (command_of(module), command_of(target)) {
        (Some(from), Some(to)) => from != to,
        (Some(_), None) => target.as_slice() == ["commands"],
        (None, Some(_)) => !(module.is_empty() || module.as_slice() == ["commands"]),
        (None, None) => false,
    }
}

#[test]
fn no_command_imports_another() -> Result<(), String> {
    let mut crossings = Vec::new();
    for (module, targets) in graph()? {
        for target in targets.iter().filter(|target| crosses(&module, target)) {
            crossings.push(format!("{} -> {}", name(&module), name(target)));
        }
    }
    assert!(
        crossings.is_empty(),
        "commands reach each other: {crossings:?}"
    );
    Ok(())
}

#[test]
fn no_modules_import_each_other_around_a_circle() -> Result<(), String> {
    let edges = graph()?;
    let mut circles = Vec::new();
    for start in edges.keys() {
        if let Some(circle) = circle_through(start, &edges) {
            circles.push(circle.iter().map(name).collect::<Vec<_>>().join(" -> "));
        }
    }
    assert!(circles.is_empty(), "circles of imports: {circles:#?}");
    Ok(())
}

/// A path of imports from `start` back to it, if there is one (breadth first: the shortest).
fn circle_through(
    start: &Module,
    edges: &BTreeMap<Module, BTreeSet<Module>>,
) -> Option<Vec<Module>> {
    let mut came_from: BTreeMap<&Module, &Module> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(module) = queue.pop_front() {
        for target in edges.get(module).into_iter().flatten() {
            if target == start {
                let mut circle = vec![start.clone(), module.clone()];
                let mut at = module;
                while let Some(previous) = came_from.get(at) {
                    circle.insert(1, (*previous).clone());
                    at = previous;
                }
                circle.dedup();
                circle.push(start.clone());
                return Some(circle);
            }
            if target != start && !came_from.contains_key(target) {
                came_from.insert(target, module);
                queue.push_back(target);
            }
        }
    }
    None
}

#[test]
fn the_reader_finds_use_lines_and_inline_paths_and_skips_comments_and_strings() {
    let known: BTreeSet<Module> = [vec![], vec!["a".into()], vec!["b".into()], vec!["c".into()]]
        .into_iter()
        .chain([vec!["d".into()], vec!["e".into()]])
        .collect();
    let source = r##"
        use crate::{a::{self, Thing}, b};
        // crate::c in a comment
        fn f() -> &'static str { let _ = crate::d::run(); "crate::c in a string" }
        const RAW: &str = r#"crate::c"#;
        #[cfg(test)]
        mod tests { use super::*; }
    "##;
    let found = references(&vec!["e".into()], &tokens(source), &known);
    // `super::*` inside `tests` is the file's own module.
    let expected: BTreeSet<Module> = [vec!["a".into()], vec!["b".into()], vec!["d".into()]]
        .into_iter()
        .chain([vec!["e".into()]])
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn a_command_reaching_a_sibling_through_commands_is_a_crossing() {
    let module = |path: &str| -> Module { path.split("::").map(str::to_string).collect() };
    let known: BTreeSet<Module> = ["commands", "commands::new", "commands::adopt", "files"]
        .into_iter()
        .map(module)
        .collect();
    let adopt = module("commands::adopt");
    for source in [
        "use super::*; fn f() { new::absolute_source(); }",
        "fn f() { super::absolute_source(); }",
        "use crate::commands as c; fn f() { c::new::x(); }",
    ] {
        let found = references(&adopt, &tokens(source), &known);
        assert!(
            found.iter().any(|target| crosses(&adopt, target)),
            "{source}: {found:?}"
        );
    }
    let files = module("files");
    let reexport = "pub use crate::commands::new::absolute_source;";
    let found = references(&files, &tokens(reexport), &known);
    assert!(
        found.iter().any(|target| crosses(&files, target)),
        "{found:?}"
    );
    let own = "use crate::files; #[cfg(test)] mod tests { use super::*; }";
    let found = references(&adopt, &tokens(own), &known);
    assert!(
        !found.iter().any(|target| crosses(&adopt, target)),
        "{found:?}"
    );
}
