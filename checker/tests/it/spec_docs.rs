//! `docs/specs.md` documents every key of the spec format. The key list is read from the
//! format's definition itself (`checker/src/spec/raw.rs`, parsed with syn), so a key added
//! there and not to the docs fails this test.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::root;
use checker::spec::docs::{self, RAW_TYPES};

/// The serde name of a field: its `#[serde(rename = "...")]`, or its own name.
fn serde_name(field: &syn::Field) -> Option<String> {
    let mut name = field.ident.as_ref()?.to_string();
    for attr in &field.attrs {
        if !attr.path().is_ident("serde") {
            continue;
        }
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                name = value.value();
            } else if meta.input.peek(syn::Token![=]) {
                // Another `key = value` option: read and ignore its value.
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        })
        .expect("a readable serde attribute");
    }
    Some(name)
}

/// Every key of every `Raw*` type of raw.rs: struct fields, and the named fields of enum
/// variants (the table shapes of a stdout entry).
fn keys_of_the_format() -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(root().join("checker/src/spec/raw.rs")).unwrap();
    let file = syn::parse_file(&text).expect("raw.rs parses");
    let mut keys: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for item in file.items {
        let (name, fields): (String, Vec<syn::Field>) = match item {
            syn::Item::Struct(item) => (item.ident.to_string(), item.fields.into_iter().collect()),
            syn::Item::Enum(item) => (
                item.ident.to_string(),
                item.variants
                    .into_iter()
                    .flat_map(|v| match v.fields {
                        syn::Fields::Named(named) => named.named.into_iter().collect(),
                        _ => Vec::new(),
                    })
                    .collect(),
            ),
            _ => continue,
        };
        if !name.starts_with("Raw") {
            continue;
        }
        keys.entry(name)
            .or_default()
            .extend(fields.iter().filter_map(serde_name));
    }
    keys
}

#[test]
fn the_format_has_the_keys_this_test_expects_to_find() {
    let keys = keys_of_the_format();
    // A broken reader would find nothing and pass everything: make sure it reads.
    assert!(keys["RawSpec"].contains("case"), "the rename of `cases`");
    assert!(keys["RawExpect"].contains("finished_by"));
    assert!(keys["RawLine"].contains("any_order"));
    assert!(keys.values().map(BTreeSet::len).sum::<usize>() >= 40);
}

#[test]
fn every_key_of_the_format_is_documented_in_its_section() {
    let markdown = std::fs::read_to_string(root().join(docs::REFERENCE)).unwrap();
    let documented = docs::documented(&markdown);
    let mut missing = Vec::new();
    for (name, keys) in keys_of_the_format() {
        let Some((_, section)) = RAW_TYPES.iter().find(|(raw, _)| *raw == name) else {
            missing.push(format!(
                "{name} has no section: add it to spec::docs::RAW_TYPES and to docs/specs.md"
            ));
            continue;
        };
        for key in keys {
            if !documented.get(section).is_some_and(|d| d.contains(&key)) {
                missing.push(format!(
                    "`{key}` ({name}) is not a row of the section \"## {}\"",
                    section.heading()
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} undocumented:\n{}",
        docs::REFERENCE,
        missing.join("\n")
    );
}

#[test]
fn every_section_has_a_heading_in_the_reference() {
    let markdown = std::fs::read_to_string(root().join(docs::REFERENCE)).unwrap();
    let documented = docs::documented(&markdown);
    for section in docs::SECTIONS {
        assert!(
            documented.contains_key(&section),
            "no \"## {}\" section with key rows",
            section.heading()
        );
    }
    // The reader stops a section at the next level-2 heading: keys of the expression
    // language's tables are not taken for keys of the format.
    assert!(!documented.values().any(|keys| keys.contains("or")));
}

#[test]
fn every_key_the_course_specs_use_is_documented() {
    let markdown = std::fs::read_to_string(root().join(docs::REFERENCE)).unwrap();
    let documented = docs::documented(&markdown);
    let checked = checker::spec::check_dirs(&[root().join("specs")]).unwrap();
    let mut undocumented = Vec::new();
    for file in &checked {
        for used in &file.keys {
            if !documented
                .get(&used.section)
                .is_some_and(|d| d.contains(&used.key))
            {
                undocumented.push(format!("{}: `{}`", file.path.display(), used.key));
            }
        }
    }
    assert!(undocumented.is_empty(), "{undocumented:#?}");
    assert!(checked.iter().map(|c| c.keys.len()).sum::<usize>() > 100);
}
