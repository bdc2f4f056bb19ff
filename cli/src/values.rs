//! Answers as they travel between the commands, the rules and the renderer: a set of values by
//! key, and the layers they come from, each overlaying the ones below it.

use std::collections::BTreeMap;

use crate::error::Error;

/// Answers by key, each key once, in the order it was first given. Setting a key again replaces
/// its value where it stands: the last value given wins.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Values(Vec<(String, String)>);

impl Values {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.as_str())
    }

    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Sets `key`, keeping its place, or adds it at the end.
    pub fn set(&mut self, key: &str, value: &str) {
        match self.0.iter_mut().find(|(name, _)| name == key) {
            Some(entry) => entry.1 = value.to_string(),
            None => self.0.push((key.to_string(), value.to_string())),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str()))
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.iter().map(|(key, _)| key)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// These values with `over`'s on top: its values win, its new keys come after these.
    pub fn overlaid(&self, over: &Values) -> Values {
        let mut merged = self.clone();
        for (key, value) in over.iter() {
            merged.set(key, value);
        }
        merged
    }

    /// The values without the keys `leave_out` says.
    pub fn without(&self, leave_out: impl Fn(&str) -> bool) -> Values {
        self.iter().filter(|(key, _)| !leave_out(key)).collect()
    }

    /// `--define KEY=VALUE` options, the last value of a key winning.
    pub fn from_defines(defines: &[String]) -> Result<Values, Error> {
        let mut values = Values::new();
        for define in defines {
            let (key, value) = define
                .split_once('=')
                .map(|(key, value)| (key.trim(), value))
                .filter(|(key, _)| !key.is_empty())
                .ok_or_else(|| Error::new(format!("--define {define}: write it as KEY=VALUE")))?;
            values.set(key, value);
        }
        Ok(values)
    }
}

impl<K: AsRef<str>, V: AsRef<str>> FromIterator<(K, V)> for Values {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        let mut values = Values::new();
        for (key, value) in pairs {
            values.set(key.as_ref(), value.as_ref());
        }
        values
    }
}

/// Where answers come from, lowest priority first: a layer's value for a key replaces the
/// values of every layer before it (copier's order: defaults < the answers file < --data).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Layer {
    /// What the template answers itself: its questions' and its layout's defaults.
    Default,
    /// What the project's answers file recorded.
    Recorded,
    /// What `oxwheel adopt` read from the project.
    Surveyed,
    /// What the person gave with --define.
    Defined,
    /// What the command decides whatever was given (adopt's `publish`).
    Decided,
}

/// Answers from several layers, read through their priority.
#[derive(Debug, Default)]
pub struct Layers(BTreeMap<Layer, Values>);

impl Layers {
    pub fn new() -> Self {
        Self::default()
    }

    /// These layers with `values` as the layer `layer` (replacing it).
    pub fn with(mut self, layer: Layer, values: Values) -> Self {
        self.0.insert(layer, values);
        self
    }

    /// The value of the highest layer that has `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.values().rev().find_map(|values| values.get(key))
    }

    /// Every key of every layer, with its value from the highest; keys in the order the
    /// lowest layer that has them lists them, layer by layer.
    pub fn merged(&self) -> Values {
        self.0
            .values()
            .fold(Values::new(), |merged, values| merged.overlaid(values))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_set_again_keeps_its_place_and_takes_the_last_value() {
        let values: Values = [("a", "1"), ("b", "2"), ("a", "3")].into_iter().collect();
        assert_eq!(values.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(values.get("a"), Some("3"));
        assert_eq!(values.get("c"), None);
    }

    #[test]
    fn a_higher_layer_wins_whatever_order_the_layers_are_given_in() {
        let defined: Values = [("publish", "false"), ("extra", "x")].into_iter().collect();
        let recorded: Values = [("project-name", "p"), ("publish", "true")]
            .into_iter()
            .collect();
        let layers = Layers::new()
            .with(Layer::Defined, defined)
            .with(Layer::Recorded, recorded);
        assert_eq!(layers.get("publish"), Some("false"));
        assert_eq!(layers.get("project-name"), Some("p"));
        let merged = layers.merged();
        assert_eq!(
            merged.iter().collect::<Vec<_>>(),
            [("project-name", "p"), ("publish", "false"), ("extra", "x")]
        );
    }

    #[test]
    fn a_define_is_key_equals_value_and_the_last_one_wins() -> Result<(), Error> {
        let defines = ["abi3=false".to_string(), " abi3 =true=yes".to_string()];
        assert_eq!(
            Values::from_defines(&defines)?.get("abi3"),
            Some("true=yes")
        );
        assert!(Values::from_defines(&["abi3".to_string()]).is_err());
        assert!(Values::from_defines(&["=x".to_string()]).is_err());
        Ok(())
    }
}
