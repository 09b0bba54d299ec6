//! `checker hint LESSON`: the lesson's hint, and the file to edit (the real one, with the
//! line of its `todo!()` while there is one).

use std::path::PathBuf;

use clap::Args;

use crate::exit;
use crate::report::human::{line_of, summary, wrap};
use crate::report::style::{self, ColorChoice};

/// Options of `checker hint`.
#[derive(Debug, Clone, Args)]
pub struct HintArgs {
    /// The lesson (id or number).
    pub lesson: String,
    /// Spec directory (default: `specs/` of the workspace); may be given several times.
    #[arg(long = "specs", value_name = "DIR")]
    pub specs: Vec<PathBuf>,
    /// When to use colors.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// Prints the hint of the lesson `args` names.
pub fn run(args: &HintArgs) -> Result<u8, crate::exit::Error> {
    let root = crate::workspace::root()?;
    let lessons = crate::spec::load_specs(&crate::spec::spec_dirs(&root, &args.specs))?;
    let lesson = crate::spec::select(&lessons, &args.lesson)?;
    let (style, terminal) =
        crate::options::stdout_of(args.color, &crate::options::Machine::detect());
    let file = root.join("exercises").join("src").join(&lesson.file);
    let source = std::fs::read_to_string(&file).ok();
    let line = source.as_deref().and_then(|text| {
        let function = lesson.cases.first().map_or("", |c| c.function.as_str());
        line_of(text, function, true)
    });
    let shown = crate::grade::shown(&file, &root);
    let location = match (&source, line) {
        (Some(_), Some(line)) => format!("{shown}:{line}"),
        (Some(_), None) => shown,
        (None, _) => format!("{shown} (not found: was it moved or renamed?)"),
    };
    let mut location = style.path(&location);
    if terminal.hyperlinks && source.is_some() {
        location = style::hyperlink(&location, &file);
    }
    let mut lines = vec![
        format!(
            "{} {}, {}: {}",
            style.bold("Lesson"),
            lesson.number,
            lesson.id,
            lesson.title
        ),
        format!("{} {location}", style.bold("Edit:")),
    ];
    if let Some(summary) = source.as_deref().and_then(summary) {
        lines.extend([String::new(), summary]);
    }
    lines.extend([
        String::new(),
        format!("{} {}", style.bold("Hint:"), lesson.hint.trim()),
    ]);
    let text: String = lines
        .iter()
        .flat_map(|line| wrap(line, terminal.width, 2))
        .map(|line| line + "\n")
        .collect();
    crate::report::output::write_stdout(&text)?;
    Ok(exit::PASS)
}
