//! Does a spec fit the implementation? Its lesson and functions must be in the runner's binding
//! table (its manifest), and each case must give exactly the arguments its function takes.

use std::path::Path;

use asynclings_runner::protocol::FunctionInfo;
use toml::Spanned;

use super::document::is_placeholder;
use super::error::Locator;
use super::raw::RawSpec;

/// Records in `locator` every way `raw` does not fit `manifest`.
pub fn check(raw: &RawSpec, manifest: &[FunctionInfo], locator: &mut Locator<'_>) {
    let lesson = raw.lesson.get_ref();
    if is_placeholder(&raw.lesson) {
        return;
    }
    let functions: Vec<&FunctionInfo> = manifest.iter().filter(|f| &f.lesson == lesson).collect();
    if functions.is_empty() {
        let mut lessons: Vec<&str> = manifest.iter().map(|f| f.lesson.as_str()).collect();
        lessons.dedup();
        locator.error_at(
            raw.lesson.span(),
            format!(
                "no lesson `{lesson}` in the binding table (runner/src/course.rs); the lessons are: {}",
                lessons.join(", ")
            ),
        );
        return;
    }
    check_file(raw, &functions, locator);
    let find = |name: &Spanned<String>| functions.iter().find(|f| &f.name == name.get_ref());
    let unknown = |locator: &mut Locator<'_>, name: &Spanned<String>| {
        let known: Vec<String> = functions.iter().map(|f| format!("`{}`", f.name)).collect();
        locator.error_at(
            name.span(),
            format!(
                "lesson `{lesson}` has no function `{}`; it has {}",
                name.get_ref(),
                known.join(", ")
            ),
        );
    };
    if let Some(function) = &raw.function
        && find(function).is_none()
    {
        unknown(locator, function);
    }
    for rule in &raw.source {
        if !is_placeholder(&rule.function) && find(&rule.function).is_none() {
            unknown(locator, &rule.function);
        }
    }
    for case in &raw.cases {
        let Some(name) = case.function.as_ref().or(raw.function.as_ref()) else {
            continue;
        };
        let Some(function) = find(name) else {
            if case.function.is_some() {
                unknown(locator, name);
            }
            continue;
        };
        if let Some(shutdown) = &case.shutdown
            && !function.stoppable
        {
            locator.error_at(
                shutdown.span(),
                format!(
                    "`{}` takes no `CancellationToken`: a `shutdown` time has nothing to stop",
                    function.name
                ),
            );
        }
        let given: Vec<&Spanned<String>> = case
            .args
            .iter()
            .flat_map(|args| args.get_ref().keys())
            .collect();
        let missing: Vec<String> = function
            .params
            .iter()
            .filter(|p| !given.iter().any(|g| g.get_ref() == *p))
            .map(|p| format!("`{p}`"))
            .collect();
        if !missing.is_empty() {
            let span = case.args.as_ref().map_or(case.name.span(), |a| a.span());
            locator.error_at(
                span,
                format!(
                    "the case does not give {}, which `{}` takes ({})",
                    missing.join(", "),
                    function.name,
                    signature(function)
                ),
            );
        }
        for arg in given {
            if !function.params.contains(arg.get_ref()) {
                locator.error_at(
                    arg.span(),
                    format!(
                        "`{}` has no argument `{}` ({})",
                        function.name,
                        arg.get_ref(),
                        signature(function)
                    ),
                );
            }
        }
    }
}

/// `takes n, max_delay` or `takes no argument`.
fn signature(function: &FunctionInfo) -> String {
    if function.params.is_empty() {
        "it takes no argument".into()
    } else {
        format!("it takes {}", function.params.join(", "))
    }
}

/// The spec's `file` must be the file the lesson's functions are in.
fn check_file(raw: &RawSpec, functions: &[&FunctionInfo], locator: &mut Locator<'_>) {
    if is_placeholder(&raw.file) {
        return;
    }
    let names: Vec<String> = functions
        .iter()
        .filter_map(|f| Path::new(&f.source).file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .collect();
    if !names.is_empty() && !names.contains(raw.file.get_ref()) {
        locator.error_at(
            raw.file.span(),
            format!(
                "the lesson's functions are bound from `{}`, not `{}`",
                names[0],
                raw.file.get_ref()
            ),
        );
    }
}
