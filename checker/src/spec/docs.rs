//! The spec reference, `docs/specs.md`, as the checker reads it: which keys it documents, table
//! by table, and which keys a spec file uses.
//!
//! `docs/specs.md` has one level-2 section per table of the format (its heading names the
//! table, see [`Section::heading`]); each key is a row of that section's table, starting with
//! ``| `key` |``. `checker verify` checks that every key a spec uses is documented there, and a
//! test checks that every key of [`super::raw`] is.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The reference, relative to the workspace root.
pub const REFERENCE: &str = "docs/specs.md";

/// A table of the spec format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    /// The top level of a spec file.
    Spec,
    /// A `[[case]]`.
    Case,
    /// A case's `expect` table.
    Expect,
    /// An entry of `expect.stdout` written as a table.
    Stdout,
    /// A clause of `expect.assert`.
    Assert,
    /// A `[[diagnose]]` or `[[case.diagnose]]`.
    Diagnose,
    /// A `[[source]]` check.
    Source,
    /// A `[[case.peer]]` of a network case.
    Peer,
    /// An entry of a peer's `send`.
    Send,
}

/// Every section, in the order of the reference.
pub const SECTIONS: [Section; 9] = [
    Section::Spec,
    Section::Case,
    Section::Expect,
    Section::Stdout,
    Section::Assert,
    Section::Diagnose,
    Section::Source,
    Section::Peer,
    Section::Send,
];

/// The section documenting each struct (or enum) of `spec/raw.rs`.
pub const RAW_TYPES: &[(&str, Section)] = &[
    ("RawSpec", Section::Spec),
    ("RawCase", Section::Case),
    ("RawExpect", Section::Expect),
    ("RawLine", Section::Stdout),
    ("RawAssert", Section::Assert),
    ("RawDiagnose", Section::Diagnose),
    ("RawSource", Section::Source),
    ("RawPeer", Section::Peer),
    ("RawSend", Section::Send),
];

impl Section {
    /// Text the section's level-2 heading in the reference contains.
    pub fn heading(self) -> &'static str {
        match self {
            Section::Spec => "Top level",
            Section::Case => "`[[case]]`",
            Section::Expect => "`[case.expect]`",
            Section::Stdout => "`stdout` entries",
            Section::Assert => "`assert` clauses",
            Section::Diagnose => "`[[diagnose]]`",
            Section::Source => "`[[source]]`",
            Section::Peer => "`[[case.peer]]`",
            Section::Send => "`send` entries",
        }
    }
}

/// A key a spec file uses, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsedKey {
    /// The table it is in.
    pub section: Section,
    /// The key.
    pub key: String,
    /// Where it is written.
    pub span: Range<usize>,
}

/// The keys of the format a spec file's tree uses (not the argument names under `args`).
pub fn used_keys(tree: &Spanned<DeTable<'_>>) -> Vec<UsedKey> {
    let mut keys = Vec::new();
    table_keys(tree.get_ref(), Section::Spec, &mut keys);
    keys.sort_by_key(|k| k.span.start);
    keys
}

fn table_keys(table: &DeTable<'_>, section: Section, out: &mut Vec<UsedKey>) {
    for (key, value) in table.iter() {
        out.push(UsedKey {
            section,
            key: key.get_ref().to_string(),
            span: key.span(),
        });
        let inner = match (section, key.get_ref().as_ref()) {
            (Section::Spec, "case") => Section::Case,
            (Section::Spec | Section::Case, "diagnose") => Section::Diagnose,
            (Section::Spec, "source") => Section::Source,
            (Section::Case, "expect") => Section::Expect,
            (Section::Expect, "stdout") => Section::Stdout,
            (Section::Expect, "assert") => Section::Assert,
            (Section::Case, "peer") => Section::Peer,
            (Section::Peer, "send") => Section::Send,
            _ => continue,
        };
        match value.get_ref() {
            DeValue::Table(table) => table_keys(table, inner, out),
            DeValue::Array(items) => {
                for item in items.iter() {
                    if let DeValue::Table(table) = item.get_ref() {
                        table_keys(table, inner, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The keys the reference documents, section by section.
pub fn documented(markdown: &str) -> BTreeMap<Section, BTreeSet<String>> {
    let mut found: BTreeMap<Section, BTreeSet<String>> = BTreeMap::new();
    let mut current = None;
    for line in markdown.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            current = SECTIONS.into_iter().find(|s| heading.contains(s.heading()));
            continue;
        }
        let Some(section) = current else { continue };
        let Some(row) = line.trim_start().strip_prefix("| `") else {
            continue;
        };
        if let Some(key) = row.split('`').next().filter(|k| !k.is_empty()) {
            found.entry(section).or_default().insert(key.to_string());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_read_per_section() {
        let markdown = "# Specs\n## Top level\n| key | type |\n|---|---|\n| `lesson` | text |\n\
            ## `[[case]]`\n| `name` | text |\n### More\n| `repeat` | n |\n## Other\n| `zzz` | x |\n";
        let found = documented(markdown);
        assert_eq!(
            found[&Section::Spec],
            BTreeSet::from(["lesson".to_string()])
        );
        assert_eq!(
            found[&Section::Case],
            BTreeSet::from(["name".to_string(), "repeat".to_string()])
        );
        assert!(!found.values().any(|keys| keys.contains("zzz")));
    }

    #[test]
    fn used_keys_follow_the_tables_but_not_the_arguments() {
        let text = "lesson = \"x\"\n[[case]]\nname = \"a\"\nargs = { n = 1 }\n[case.expect]\n\
            stdout = [{ line = \"hi\", at = \"0s\" }]\n[[case.diagnose]]\nwhen = \"true\"\n";
        let (tree, errors) = DeTable::parse_recoverable(text);
        assert!(errors.is_empty());
        let keys: Vec<(Section, String)> = used_keys(&tree)
            .into_iter()
            .map(|k| (k.section, k.key))
            .collect();
        assert!(keys.contains(&(Section::Stdout, "at".into())), "{keys:?}");
        assert!(
            keys.contains(&(Section::Diagnose, "when".into())),
            "{keys:?}"
        );
        assert!(keys.contains(&(Section::Case, "args".into())), "{keys:?}");
        assert!(!keys.iter().any(|(_, k)| k == "n"), "{keys:?}");
    }
}
