//! `checker new LESSON`: scaffolds a lesson so that the course builds and `checker verify`
//! passes at once, except for the reference body, which is the instructor's to write.
//!
//! The scaffolding itself (what is written, and how) is [`crate::scaffold`]; this command
//! parses its options, writes the plan, and says what it wrote.

use clap::Args;

use crate::exit::{self, Error, ResultExt};
use crate::scaffold::{apply, backup_dir, plan, signatures_of};

/// Options of `checker new`.
#[derive(Debug, Clone, Args)]
pub struct NewArgs {
    /// The lesson's id: a snake_case Rust name, used for its module, its files and its
    /// function (e.g. `wait_bounded`).
    pub lesson: String,

    /// A one-line title for reports (default: a TODO to replace).
    #[arg(long)]
    pub title: Option<String>,

    /// The lesson's function, as its file will declare it (default:
    /// `pub async fn LESSON(n: u64) -> u64`). An `async fn`, a `fn` returning `JoinHandle<T>`,
    /// or a `fn` returning `impl Stream<Item = T>`; parameters are given by name in a case's
    /// `args`. Repeat it for a lesson of several functions: the first is the one its cases
    /// call unless they name another.
    #[arg(long, value_name = "SIGNATURE")]
    pub signature: Vec<String>,
}

/// Runs `checker new`.
pub fn run(args: &NewArgs) -> Result<u8, crate::exit::Error> {
    let root = crate::workspace::root()?;
    let (number, writes) =
        plan(&root, &args.lesson, args.title.as_deref(), &args.signature).or_fail(Error::Usage)?;
    let backup = backup_dir(&root);
    apply(&root, &writes, &backup)?;
    let name = &args.lesson;
    let rows = [
        (
            format!("exercises/src/{number:02}_{name}.rs"),
            "the stub, with an instructions template to fill in",
        ),
        (
            format!("solutions/src/{number:02}_{name}.rs"),
            "the reference: its body is yours to write",
        ),
        (
            format!("specs/{number:02}_{name}.toml"),
            "the spec: one case to start from",
        ),
    ];
    let width = rows.iter().map(|(path, _)| path.len()).max().unwrap_or(0);
    let mut out = format!("Created lesson {number}, {name}:\n");
    for (path, what) in &rows {
        out.push_str(&format!("  {path:width$}   {what}\n"));
    }
    let signatures = signatures_of(name, &args.signature).or_fail(Error::Usage)?;
    let texts: Vec<String> = signatures.iter().map(|s| format!("`{}`", s.text)).collect();
    out.push_str(&format!(
        "  exercises/src/lib.rs, solutions/src/lib.rs: the lesson's module (and its stub)\n\
         \x20 course.toml: the lesson's entry in the registry, from which its binding is made\n\n\
         The function(s): {}.\n\
         Next: write the reference and the spec's cases, then run `cargo run -p checker -- verify`.\n\
         docs/authoring.md walks through a whole lesson.\n\
         The files it edited were copied first to {}.\n",
        texts.join(", "),
        crate::grade::shown(&backup, &root)
    ));
    crate::report::output::write_stdout(&out)?;
    Ok(exit::PASS)
}
