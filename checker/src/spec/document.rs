//! From a spec file's text to [`RawSpec`], reporting every problem of the TOML and of its keys
//! at once.
//!
//! serde stops at the first problem of a document. So the document is parsed to a spanned
//! tree first (every TOML syntax error is collected), then deserialized; after each problem
//! the offending entry is taken out of the tree (or, for a missing key, a placeholder is put
//! in) and deserialization runs again, until it succeeds. The format stays defined in one
//! place, [`super::raw`], and every unknown key, wrong type or missing key is reported.

use std::collections::HashSet;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeArray, DeString, DeTable, DeValue};

use super::error::Locator;
use super::raw::RawSpec;

/// Most deserialization rounds for one file: each round removes or fills one entry.
const MAX_ROUNDS: usize = 500;

/// The parsed document: the spanned tree (for walking keys) and the spec, when the keys and
/// types allowed one (placeholders standing in for missing keys: see [`is_placeholder`]).
#[derive(Debug)]
pub struct Document<'i> {
    /// The TOML tree, as written (before any entry was taken out).
    pub tree: Option<Spanned<DeTable<'i>>>,
    /// The spec.
    pub raw: Option<RawSpec>,
}

/// Whether a value was put in by the loader for a missing key (its span is empty, which no
/// value written in a file has).
pub fn is_placeholder<T>(value: &Spanned<T>) -> bool {
    value.span().is_empty()
}

/// Parses `text`, recording every problem in `locator`.
pub fn parse<'i>(text: &'i str, locator: &mut Locator<'_>) -> Document<'i> {
    let (tree, syntax_errors) = DeTable::parse_recoverable(text);
    if !syntax_errors.is_empty() {
        for error in syntax_errors {
            let span = error.span().unwrap_or(0..0);
            locator.error_at(span, error.message().trim().to_string());
        }
        // A tree recovered from broken syntax would give misleading key errors.
        return Document {
            tree: None,
            raw: None,
        };
    }
    let raw = deserialize(tree.clone(), locator);
    Document {
        tree: Some(tree),
        raw,
    }
}

/// Deserializes, taking out each offending entry until nothing is left to complain about.
fn deserialize(tree: Spanned<DeTable<'_>>, locator: &mut Locator<'_>) -> Option<RawSpec> {
    let root_span = tree.span();
    let mut root = DeValue::Table(tree.into_inner());
    // (span of the table, key) of entries taken out for a bad value: that they are then
    // missing is not news.
    let mut removed: HashSet<(Range<usize>, String)> = HashSet::new();
    for _ in 0..MAX_ROUNDS {
        let DeValue::Table(table) = &root else {
            return None;
        };
        let spanned = Spanned::new(root_span.clone(), table.clone());
        let error = match RawSpec::deserialize(toml::de::Deserializer::from(spanned)) {
            Ok(raw) => return Some(raw),
            Err(error) => error,
        };
        let message = error.message().trim().to_string();
        let Some(span) = error.span() else {
            locator.error_whole(message);
            return None;
        };
        let repaired = match missing_field(&message) {
            Some(key) => {
                let (path, table_span) =
                    innermost(&root, &span, true).unwrap_or((Vec::new(), root_span.clone()));
                if !removed.contains(&(table_span.clone(), key.clone())) {
                    locator.error_at(span.clone(), message);
                }
                fill_placeholder(&mut root, &path, &key, table_span.start)
            }
            None => {
                locator.error_at(span.clone(), message);
                match innermost(&root, &span, false) {
                    Some((path, _)) => match remove(&mut root, &path, &root_span) {
                        Some(removal) => {
                            removed.insert(removal);
                            true
                        }
                        None => false,
                    },
                    None => false,
                }
            }
        };
        if !repaired {
            return None;
        }
    }
    locator.error_whole("too many problems in one file; fix these first");
    None
}

/// The key of a serde "missing field `key`" message.
fn missing_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    Some(rest.split('`').next()?.to_string())
}

/// One step down the tree.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    /// The entry of a table with this key.
    Key(String),
    /// The item of an array at this index.
    Item(usize),
}

/// The node whose span (or key span) is the smallest containing `span`, deepest first among
/// equals: its path and span. With `tables_only`, only tables count (for a missing key).
fn innermost(
    root: &DeValue<'_>,
    span: &Range<usize>,
    tables_only: bool,
) -> Option<(Vec<Step>, Range<usize>)> {
    /// What the search looks for, and the best node found so far.
    struct Search<'s> {
        span: &'s Range<usize>,
        tables_only: bool,
        best: Option<(Vec<Step>, Range<usize>)>,
    }

    impl Search<'_> {
        fn consider(&mut self, node_span: Range<usize>, is_table: bool, path: &[Step]) {
            let fits = node_span.start <= self.span.start && self.span.end <= node_span.end;
            if !fits || (self.tables_only && !is_table) {
                return;
            }
            let better = self.best.as_ref().is_none_or(|(best_path, best_span)| {
                node_span.len() < best_span.len()
                    || (node_span.len() == best_span.len() && path.len() > best_path.len())
            });
            if better {
                self.best = Some((path.to_vec(), node_span));
            }
        }

        fn walk(&mut self, value: &DeValue<'_>, path: &mut Vec<Step>) {
            match value {
                DeValue::Table(table) => {
                    for (key, entry) in table.iter() {
                        path.push(Step::Key(key.get_ref().to_string()));
                        if !self.tables_only {
                            self.consider(key.span(), false, path);
                        }
                        self.consider(entry.span(), entry.get_ref().is_table(), path);
                        self.walk(entry.get_ref(), path);
                        path.pop();
                    }
                }
                DeValue::Array(items) => {
                    for (index, item) in items.iter().enumerate() {
                        path.push(Step::Item(index));
                        self.consider(item.span(), item.get_ref().is_table(), path);
                        self.walk(item.get_ref(), path);
                        path.pop();
                    }
                }
                _ => {}
            }
        }
    }

    if span.is_empty() {
        // An empty span is where serde puts a problem with the whole document.
        return None;
    }
    let mut search = Search {
        span,
        tables_only,
        best: None,
    };
    search.walk(root, &mut Vec::new());
    search.best
}

/// The node at `path`.
fn node_mut<'t, 'i>(value: &'t mut DeValue<'i>, path: &[Step]) -> Option<&'t mut DeValue<'i>> {
    let Some((step, rest)) = path.split_first() else {
        return Some(value);
    };
    let next = match (step, value) {
        (Step::Key(key), DeValue::Table(table)) => table.get_mut(key.as_str())?,
        (Step::Item(index), DeValue::Array(items)) => items.get_mut(*index)?,
        _ => return None,
    };
    node_mut(next.get_mut(), rest)
}

/// The span of the table at `path` (the root's is `root_span`).
fn span_at(root: &DeValue<'_>, path: &[Step], root_span: &Range<usize>) -> Range<usize> {
    let mut span = root_span.clone();
    let mut value = root;
    for step in path {
        let next = match (step, value) {
            (Step::Key(key), DeValue::Table(table)) => table.get(key.as_str()),
            (Step::Item(index), DeValue::Array(items)) => items.get(*index),
            _ => None,
        };
        let Some(next) = next else { break };
        span = next.span();
        value = next.get_ref();
    }
    span
}

/// Puts an empty-span empty string under `key` in the table at `path`; false when that is
/// not a table or the key is already there.
fn fill_placeholder(root: &mut DeValue<'_>, path: &[Step], key: &str, at: usize) -> bool {
    let Some(DeValue::Table(table)) = node_mut(root, path) else {
        return false;
    };
    if table.contains_key(key) {
        return false;
    }
    table.insert(
        Spanned::new(at..at, DeString::Owned(key.to_string())),
        Spanned::new(at..at, DeValue::String(DeString::Owned(String::new()))),
    );
    true
}

/// Takes out the entry or array item at `path`; returns (span of its table, its key).
fn remove(
    root: &mut DeValue<'_>,
    path: &[Step],
    root_span: &Range<usize>,
) -> Option<(Range<usize>, String)> {
    let (last, parent_path) = path.split_last()?;
    let parent_span = span_at(root, parent_path, root_span);
    match (last, node_mut(root, parent_path)?) {
        (Step::Key(key), DeValue::Table(table)) => {
            table.remove(key.as_str())?;
            Some((parent_span, key.clone()))
        }
        (Step::Item(index), DeValue::Array(items)) => {
            let mut kept = DeArray::new();
            for (i, item) in items.iter().enumerate() {
                if i != *index {
                    kept.push(item.clone());
                }
            }
            *items = kept;
            Some((parent_span, String::new()))
        }
        _ => None,
    }
}
