//! The binding macros the runner's build script writes from the registry: `bind_lesson!`,
//! `course_bindings!` and `stub!`, as Rust source.

use std::fmt::Write as _;

use super::signature::{Kind, Param, Signature};
use super::{Registry, RegistryError};

impl Registry {
    /// The source of the binding macros, for the runner's build script: `bind_lesson!`,
    /// `course_bindings!` and `stub!`, each with one arm or line per lesson.
    pub fn macros(&self) -> Result<String, RegistryError> {
        self.check()?;
        let mut out = String::from(
            "// Made from the course's lesson registry (course.toml) by the runner's build script.\n\n",
        );
        out.push_str(
            "/// Binds every function of one lesson from a module path into a\n\
             /// [`Bindings`](crate::Bindings): `bind_lesson!(table, wait_n, [solutions::wait_n],\n\
             /// \"/path/to/06_wait_n.rs\")`. One arm per lesson of `course.toml`.\n\
             #[macro_export]\nmacro_rules! bind_lesson {\n",
        );
        for lesson in &self.lessons {
            let _ = writeln!(
                out,
                "    ($b:expr, {}, [$($m:ident)::+], $src:expr) => {{",
                lesson.id
            );
            for signature in lesson.signatures()? {
                let kind = signature
                    .kind()
                    .map_err(|problem| lesson.error(&signature.text, problem))?;
                out.push_str(&binding(&lesson.id, &signature, kind));
            }
            out.push_str("    };\n");
        }
        out.push_str("}\n\n");
        out.push_str(
            "/// Binds all the course's lessons from crate `$krate`, whose lesson files are in\n\
             /// `$src_dir` (default: the `src/` folder of the package that expands the macro).\n\
             #[macro_export]\nmacro_rules! course_bindings {\n\
             \x20   ($krate:ident) => {\n\
             \x20       $crate::course_bindings!($krate, concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/src\"))\n\
             \x20   };\n\
             \x20   ($krate:ident, $src_dir:expr) => {{\n\
             \x20       let mut table = $crate::Bindings::new();\n\
             \x20       let dir: &str = $src_dir;\n",
        );
        for lesson in &self.lessons {
            let _ = writeln!(
                out,
                "        $crate::bind_lesson!(table, {id}, [$krate::{id}], &format!(\"{{dir}}/{file}\"));",
                id = lesson.id,
                file = lesson.file
            );
        }
        out.push_str("        table\n    }};\n}\n\n");
        out.push_str(
            "/// The stub module of a lesson whose file does not compile: the lesson's functions\n\
             /// with their signatures, each panicking with [`NOT_BUILT`](crate::protocol::NOT_BUILT)\n\
             /// when called, so that every other lesson can be built and graded.\n\
             #[macro_export]\nmacro_rules! stub {\n",
        );
        for lesson in &self.lessons {
            let _ = writeln!(out, "    ({}) => {{", lesson.id);
            let _ = writeln!(out, "        pub mod {} {{", lesson.id);
            out.push_str("            #![allow(unused_imports, unused_variables)]\n");
            for path in &self.prelude {
                let _ = writeln!(out, "            use {path};");
            }
            for signature in lesson.signatures()? {
                let body = match signature
                    .kind()
                    .map_err(|problem| lesson.error(&signature.text, problem))?
                {
                    Kind::Stream => format!(
                        "$crate::__futures::stream::once(async {{ $crate::not_built(\"{}\") }})",
                        lesson.id
                    ),
                    Kind::Future | Kind::Task => format!("$crate::not_built(\"{}\")", lesson.id),
                };
                let _ = writeln!(out, "            {} {{ {body} }}", signature.text);
            }
            out.push_str("        }\n    };\n");
        }
        out.push_str("}\n");
        Ok(out)
    }
}

/// How a parameter's value is read from a case's JSON `args` and passed to the function.
impl Param {
    /// The owned type its value is read as from a case's JSON `args`.
    fn owned_type(&self) -> String {
        match self.ty.as_str() {
            "&str" => "String".into(),
            "&[&str]" => "Vec<String>".into(),
            ty => match ty.strip_prefix('&') {
                Some(inner) => match inner.trim().strip_prefix('[') {
                    Some(slice) => format!("Vec<{}>", slice.trim_end_matches(']').trim()),
                    None => inner.trim().to_string(),
                },
                None => ty.to_string(),
            },
        }
    }

    /// A statement that turns the owned value into one the argument can borrow from, if needed.
    fn borrow_prelude(&self) -> Option<String> {
        (self.ty == "&[&str]").then(|| {
            format!(
                "let {0}: Vec<&str> = {0}.iter().map(String::as_str).collect();",
                self.name
            )
        })
    }

    /// How it is passed to the function.
    fn argument(&self) -> String {
        if self.ty.starts_with('&') {
            format!("&{}", self.name)
        } else {
            self.name.clone()
        }
    }
}

/// The statements binding one function in `bind_lesson!`'s arm for `lesson`.
fn binding(lesson: &str, signature: &Signature, kind: Kind) -> String {
    let mut out = String::new();
    let names: Vec<String> = signature
        .params
        .iter()
        .filter(|p| !p.is_made_by_runner())
        .map(|p| format!("\"{}\"", p.name))
        .collect();
    let networked = signature.params.iter().any(Param::is_incoming);
    // A server told to stop is its process's `main`: when it returns, the process exits.
    let stoppable = signature.params.iter().any(Param::is_shutdown);
    let closure_arg = if signature.params.is_empty() {
        "_"
    } else {
        "a"
    };
    let shape = match kind {
        Kind::Future => "Future",
        Kind::Task => "Task",
        Kind::Stream => "Stream",
    };
    let _ = writeln!(
        out,
        "        $b.add(\"{lesson}\", \"{name}\", $crate::Shape::{shape}, $src, &[{names}], |{closure_arg}| {{",
        name = signature.name,
        names = names.join(", ")
    );
    for param in &signature.params {
        if param.is_incoming() {
            let _ = writeln!(
                out,
                "            let {} = $crate::net::incoming();",
                param.name
            );
            continue;
        }
        if param.is_shutdown() {
            let _ = writeln!(
                out,
                "            let {} = $crate::net::shutdown_signal();",
                param.name
            );
            continue;
        }
        if param.is_connector() {
            // A closure written here, not returned from the runner: its futures stay `Send`.
            let _ = writeln!(
                out,
                "            $crate::net::start_client();\n            let {} = async || $crate::net::connect().await;",
                param.name
            );
            continue;
        }
        if param.is_slow_function() {
            let _ = writeln!(
                out,
                "            let {}: fn(&str) -> String = $crate::cpu::digest;",
                param.name
            );
            continue;
        }
        let _ = writeln!(
            out,
            "            let {}: {} = $crate::arg(a, \"{}\")?;",
            param.name,
            param.owned_type(),
            param.name
        );
    }
    let preludes: Vec<String> = signature
        .params
        .iter()
        .filter_map(Param::borrow_prelude)
        .collect();
    let arguments: Vec<String> = signature.params.iter().map(Param::argument).collect();
    let call = format!("$($m)::+::{}({})", signature.name, arguments.join(", "));
    match kind {
        Kind::Future => {
            out.push_str("            Ok($crate::Call::Future(Box::pin(async move {\n");
            for prelude in &preludes {
                let _ = writeln!(out, "                {prelude}");
            }
            if networked {
                // The value, once every peer has finished its script (their transcripts are
                // complete).
                let _ = writeln!(
                    out,
                    "                let value = $crate::Report::report({call}.await);"
                );
                let end = if stoppable { "exit" } else { "finished" };
                let _ = writeln!(
                    out,
                    "                $crate::net::{end}().await;\n                value"
                );
            } else {
                let _ = writeln!(out, "                $crate::Report::report({call}.await)");
            }
            out.push_str("            })))\n");
        }
        Kind::Task => {
            for prelude in &preludes {
                let _ = writeln!(out, "            {prelude}");
            }
            let _ = writeln!(out, "            Ok($crate::Call::Task(Box::new({call})))");
        }
        Kind::Stream => {
            out.push_str("            use $crate::__futures::StreamExt as _;\n");
            for prelude in &preludes {
                let _ = writeln!(out, "            {prelude}");
            }
            let _ = writeln!(
                out,
                "            Ok($crate::Call::Stream(Box::pin({call}.map($crate::Report::report))))"
            );
        }
    }
    out.push_str("        });\n");
    if stoppable {
        let _ = writeln!(
            out,
            "        $b.mark_stoppable(\"{lesson}\", \"{}\");",
            signature.name
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::signature::SignatureError;
    use super::*;

    #[test]
    fn arguments_are_read_owned_and_passed_borrowed() {
        let s = Signature::parse("pub async fn greet_all(names: &[&str])").unwrap();
        assert_eq!(s.params[0].owned_type(), "Vec<String>");
        let s =
            Signature::parse("pub fn f(a: HashMap<u8, u8>, b: &str) -> JoinHandle<f64>").unwrap();
        assert_eq!(s.params[1].argument(), "&b");
    }

    #[test]
    fn a_receiver_of_duplex_streams_takes_the_simulated_connections() {
        let s = Signature::parse(
            "pub async fn serve(incoming: tokio::sync::mpsc::Receiver<DuplexStream>, n: u8)",
        )
        .unwrap();
        assert!(s.params[0].is_incoming());
        assert!(!s.params[1].is_incoming());
        let code = binding("l", &s, s.kind().unwrap());
        assert!(
            code.contains("let incoming = $crate::net::incoming();"),
            "{code}"
        );
        assert!(
            code.contains("&[\"n\"]"),
            "only `n` is read from args: {code}"
        );
        assert!(code.contains("$crate::net::finished().await"), "{code}");
        let stoppable = Signature::parse(
            "pub async fn serve(incoming: Receiver<DuplexStream>, stop: tokio_util::sync::CancellationToken, n: u8)",
        )
        .unwrap();
        assert!(stoppable.params[1].is_shutdown() && !stoppable.params[0].is_shutdown());
        let code = binding("l", &stoppable, stoppable.kind().unwrap());
        assert!(
            code.contains("let stop = $crate::net::shutdown_signal();"),
            "{code}"
        );
        assert!(code.contains("&[\"n\"]"), "{code}");
        assert!(
            code.contains("$crate::net::exit().await") && !code.contains("finished"),
            "a server told to stop exits when it returns: {code}"
        );
        assert!(
            code.contains("$b.mark_stoppable(\"l\", \"serve\");"),
            "{code}"
        );
        let task =
            Signature::parse("pub fn serve(incoming: Receiver<DuplexStream>) -> JoinHandle<()>")
                .unwrap();
        assert_eq!(
            task.kind(),
            Err(SignatureError::NetworkNotAsync("serve".into()))
        );
    }

    #[test]
    fn a_slow_function_parameter_is_the_runners_digest() {
        let s = Signature::parse(
            "pub async fn serve(incoming: Receiver<DuplexStream>, digest: fn(&str) -> String)",
        )
        .unwrap();
        assert!(s.params[1].is_slow_function());
        assert!(!s.params[0].is_slow_function());
        let code = binding("l", &s, s.kind().unwrap());
        assert!(
            code.contains("let digest: fn(&str) -> String = $crate::cpu::digest;"),
            "{code}"
        );
        assert!(code.contains("&[]"), "nothing is read from args: {code}");
    }
}
