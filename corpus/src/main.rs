//! The corpus runner: the reference solutions with one lesson replaced by a wrong
//! implementation, chosen by `ASYNCLINGS_VARIANT` (see `corpus/src/lib.rs`).

use asynclings_runner::{Bindings, bind_lesson, course_bindings};

/// Where the reference solutions' lesson files are.
const SOLUTIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../solutions/src");

macro_rules! variants {
    ($($(#[$attr:meta])* $kind:ident / $name:ident => $($lesson:ident)&+),* $(,)?) => {
        fn table(variant: Option<&str>) -> Result<Bindings, String> {
            let mut table = course_bindings!(solutions, SOLUTIONS);
            match variant {
                // No variant: the reference itself.
                None => {}
                $($(#[$attr])* Some(stringify!($name)) => {
                    $(bind_lesson!(
                        table,
                        $lesson,
                        [corpus::$kind::$name],
                        concat!(env!("CARGO_MANIFEST_DIR"), "/src/", stringify!($kind), "/", stringify!($name), ".rs")
                    );)+
                })*
                Some(other) => return Err(format!("the corpus has no variant `{other}`")),
            }
            Ok(table)
        }
    };
}

include!("variants.rs");

fn main() {
    asynclings_runner::main_with_variants(table)
}
