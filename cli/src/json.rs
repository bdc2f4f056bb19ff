//! JSON for tools: what `oxwheel render --json` and `oxwheel rules --json` print, written here
//! since the values are few and plain (text, flags, numbers, lists and objects).

use std::process::ExitCode;

use rhai::Dynamic;

use crate::error::{Error, REFUSED, Refusal};

#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    Number(i64),
    Text(String),
    List(Vec<Json>),
    /// Keys in the order given.
    Object(Vec<(String, Json)>),
}

impl Json {
    pub fn text(text: impl Into<String>) -> Self {
        Self::Text(text.into())
    }

    /// A Rhai value as JSON: its text, flags, integers, arrays and maps; `()` is null, and
    /// anything else its text.
    pub fn from_rhai(value: &Dynamic) -> Self {
        if value.is_unit() {
            Self::Null
        } else if let Ok(flag) = value.as_bool() {
            Self::Bool(flag)
        } else if let Ok(number) = value.as_int() {
            Self::Number(number)
        } else if let Some(items) = value.clone().try_cast::<rhai::Array>() {
            Self::List(items.iter().map(Self::from_rhai).collect())
        } else if let Some(map) = value.clone().try_cast::<rhai::Map>() {
            Self::Object(
                map.iter()
                    .map(|(key, value)| (key.to_string(), Self::from_rhai(value)))
                    .collect(),
            )
        } else {
            Self::Text(value.to_string())
        }
    }

    /// A refused answer, as `render` and `rules` report it.
    pub fn refused(refusal: &Refusal<'_>) -> Self {
        let maybe = |text: Option<&str>| text.map_or(Self::Null, Self::text);
        Self::Object(vec![
            ("outcome".into(), Self::text("refused")),
            ("key".into(), maybe(refusal.key)),
            ("rule".into(), maybe(refusal.rule)),
            ("message".into(), Self::text(refusal.message)),
        ])
    }

    /// The JSON text, on one line.
    pub fn render(&self) -> String {
        match self {
            Self::Null => "null".to_string(),
            Self::Bool(flag) => flag.to_string(),
            Self::Number(number) => number.to_string(),
            Self::Text(text) => quoted(text),
            Self::List(items) => {
                let items: Vec<String> = items.iter().map(Self::render).collect();
                format!("[{}]", items.join(", "))
            }
            Self::Object(entries) => {
                let entries: Vec<String> = entries
                    .iter()
                    .map(|(key, value)| format!("{}: {}", quoted(key), value.render()))
                    .collect();
                format!("{{{}}}", entries.join(", "))
            }
        }
    }
}

/// A JSON string: quotes, backslashes and control characters escaped, the rest as it is.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// How `render` and `rules` end on an error: a refused answer exits with REFUSED, said on
/// standard output as JSON (`as_json`) or on standard error as text; any other error goes on.
pub fn refused_exit(error: Error, as_json: bool) -> Result<ExitCode, Error> {
    match error.refusal() {
        Some(refusal) if as_json => say!("{}", Json::refused(&refusal).render()),
        Some(_) => eprintln!("oxwheel: {error}"),
        None => return Err(error),
    }
    Ok(ExitCode::from(REFUSED))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_where_json_needs_it() {
        let text = Json::text("a \"b\" \\ c\n\u{1b}[31m é");
        assert_eq!(text.render(), r#""a \"b\" \\ c\n\u001b[31m é""#);
    }

    #[test]
    fn rhai_arrays_stay_arrays_and_maps_objects() {
        let row: rhai::Array = vec!["a-row".into(), "its-runner".into()];
        let rows: rhai::Array = vec![Dynamic::from(row)];
        let mut map = rhai::Map::new();
        map.insert("jobs".into(), Dynamic::from(rows));
        map.insert("free".into(), Dynamic::from(true));
        map.insert("count".into(), Dynamic::from(3_i64));
        let expected = r#"{"count": 3, "free": true, "jobs": [["a-row", "its-runner"]]}"#;
        assert_eq!(Json::from_rhai(&Dynamic::from(map)).render(), expected);
    }
}
