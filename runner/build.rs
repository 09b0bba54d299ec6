//! Makes the binding macros (`bind_lesson!`, `course_bindings!`, `stub!`) from the course's
//! lesson registry, `course.toml` at the workspace root: one place declares every lesson.

use std::path::PathBuf;

#[path = "src/registry/mod.rs"]
#[allow(dead_code)] // the checker uses more of it than this script
mod registry;

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let path = manifest_dir.join("..").join(registry::FILE_NAME);
    println!("cargo::rerun-if-changed={}", path.display());
    println!("cargo::rerun-if-changed=src/registry");
    let fail = |why: String| -> ! {
        eprintln!("error: the lesson registry {}: {why}", path.display());
        std::process::exit(1)
    };
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| fail(format!("cannot be read: {e}")));
    let registry: registry::Registry =
        toml::from_str(&text).unwrap_or_else(|e| fail(e.to_string()));
    let macros = registry.macros().unwrap_or_else(|e| fail(e.to_string()));
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("course_macros.rs");
    std::fs::write(&out, macros).unwrap_or_else(|e| fail(format!("{}: {e}", out.display())));
}
