//! The course's lesson registry, `course.toml` at the workspace root: every lesson, its file,
//! and the functions its file must define, with their signatures, in course order.
//!
//! It is the one place a lesson is declared. The runner's build script turns it into the
//! binding macros ([`Registry::macros`]: `bind_lesson!`, `course_bindings!`, `stub!`); the
//! checker reads it to build the stubs of lessons that do not compile, to name a lesson's
//! expected signatures in its reports, and in `checker new` and `checker verify`.
//!
//! This file is compiled twice: into the runner, and into the runner's build script (with
//! `#[path]`), so it uses nothing but `std` and `serde`.

use std::fmt::Write as _;

use serde::Deserialize;

/// The registry's file name, at the workspace root.
pub const FILE_NAME: &str = "course.toml";

/// The whole registry, as written in [`FILE_NAME`].
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registry {
    /// Paths the signatures' type names come from (`std::time::Duration`), `use`d in stubs.
    #[serde(default)]
    pub prelude: Vec<String>,
    /// The lessons, in course order.
    #[serde(rename = "lesson", default)]
    pub lessons: Vec<LessonEntry>,
}

/// One lesson of the registry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonEntry {
    /// The lesson's id: its module's name and its spec's `lesson`.
    pub id: String,
    /// Its file's name in an implementation's `src/` (`06_wait_n.rs`).
    pub file: String,
    /// The signatures of the functions the file must define, as written there, without a
    /// body (`pub async fn wait_n(n: usize, max_delay: u64) -> Vec<f64>`).
    pub functions: Vec<String>,
}

/// A function's signature, parsed from its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// As written in the registry.
    pub text: String,
    /// The function's name.
    pub name: String,
    /// Whether it is an `async fn`.
    pub is_async: bool,
    /// Its parameters, in order.
    pub params: Vec<Param>,
    /// Its return type, if it has one (`Vec<f64>`).
    pub returns: Option<String>,
}

/// A parameter of a [`Signature`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// Its name, which is also the key of its value in a case's `args`.
    pub name: String,
    /// Its type, as written (`&[&str]`).
    pub ty: String,
}

/// How the runner drives a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An `async fn`: awaited.
    Future,
    /// A `fn` returning `JoinHandle<T>`: a task, started by the call.
    Task,
    /// A `fn` returning `impl Stream<Item = T>`: collected item by item.
    Stream,
}

/// What is wrong with the registry: which lesson, and what. Shown as the registry's readers
/// are told (`lesson `wait_n` declares no function`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryError {
    /// A lesson id that is not a Rust name.
    NotAName(String),
    /// A lesson declared a second time.
    DeclaredTwice(String),
    /// A lesson whose file is not a file name ending in `.rs`: (lesson, file).
    BadFile(String, String),
    /// A lesson without functions.
    NoFunction(String),
    /// A signature of a lesson that cannot be parsed or driven.
    Signature {
        /// The lesson's id.
        lesson: String,
        /// The signature as written.
        text: String,
        /// What is wrong with it.
        problem: SignatureError,
    },
}

impl std::fmt::Display for RegistryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotAName(id) => write!(f, "lesson id `{id}` is not a Rust name"),
            Self::DeclaredTwice(id) => write!(f, "lesson `{id}` is declared twice"),
            Self::BadFile(id, file) => write!(
                f,
                "lesson `{id}`: file `{file}` must be a file name ending in .rs"
            ),
            Self::NoFunction(id) => write!(f, "lesson `{id}` declares no function"),
            Self::Signature {
                lesson,
                text,
                problem,
            } => write!(f, "lesson `{lesson}`: `{text}`: {problem}"),
        }
    }
}

impl std::error::Error for RegistryError {}

/// What is wrong with a function's signature ([`Signature::parse`], [`Signature::kind`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureError {
    /// Not `pub`.
    NotPub,
    /// No `fn` where it is expected.
    NoFn,
    /// No `(` after the name.
    NoOpenParen,
    /// The name is not a Rust name.
    NotAFunctionName(String),
    /// No `)` closing the parameters.
    NoCloseParen,
    /// A parameter without `: Type`.
    NoParamType(String),
    /// A parameter that is not `name: Type`.
    NotNameType(String),
    /// Something other than `-> Type` after the parameters.
    AfterParams(String),
    /// `->` without a type, or with a body.
    NoReturnType,
    /// A plain `fn` that returns neither a `JoinHandle` nor a `Stream`: the runner cannot
    /// drive it.
    NotDrivable,
    /// A plain `fn` (this one) that takes connections: the simulated network drives only an
    /// `async fn`.
    NetworkNotAsync(String),
}

impl std::fmt::Display for SignatureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotPub => f.write_str("a lesson's function must be `pub`"),
            Self::NoFn => f.write_str(
                "expected `fn` (a signature reads `pub [async] fn name(params) -> Type`)",
            ),
            Self::NoOpenParen => f.write_str("no `(` after the name"),
            Self::NotAFunctionName(name) => write!(f, "`{name}` is not a function name"),
            Self::NoCloseParen => f.write_str("no `)` closing the parameters"),
            Self::NoParamType(param) => write!(f, "parameter `{param}` has no `: Type`"),
            Self::NotNameType(param) => write!(f, "parameter `{param}` is not `name: Type`"),
            Self::AfterParams(tail) => write!(f, "unexpected `{tail}` after the parameters"),
            Self::NoReturnType => f.write_str("the return type is missing, or a body was given"),
            Self::NotDrivable => f.write_str(
                "a function that is not `async` must return `JoinHandle<T>` (a task) or `impl Stream<Item = T>` (a stream)",
            ),
            Self::NetworkNotAsync(name) => {
                write!(f, "`{name}` takes connections, so it must be an `async fn`")
            }
        }
    }
}

impl std::error::Error for SignatureError {}

impl Registry {
    /// The lesson with id `id`.
    pub fn lesson(&self, id: &str) -> Option<&LessonEntry> {
        self.lessons.iter().find(|l| l.id == id)
    }

    /// Checks the whole registry: ids are Rust names, each once, files end in `.rs`, every
    /// signature parses and can be driven. The error names the lesson and what is wrong.
    pub fn check(&self) -> Result<(), RegistryError> {
        let mut seen = Vec::new();
        for lesson in &self.lessons {
            if !is_identifier(&lesson.id) {
                return Err(RegistryError::NotAName(lesson.id.clone()));
            }
            if seen.contains(&&lesson.id) {
                return Err(RegistryError::DeclaredTwice(lesson.id.clone()));
            }
            seen.push(&lesson.id);
            if !lesson.file.ends_with(".rs") || lesson.file.contains(['/', '\\']) {
                return Err(RegistryError::BadFile(
                    lesson.id.clone(),
                    lesson.file.clone(),
                ));
            }
            if lesson.functions.is_empty() {
                return Err(RegistryError::NoFunction(lesson.id.clone()));
            }
            lesson.signatures()?;
        }
        Ok(())
    }

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

impl LessonEntry {
    /// Its functions' signatures, parsed; the error names the lesson and the signature.
    pub fn signatures(&self) -> Result<Vec<Signature>, RegistryError> {
        self.functions
            .iter()
            .map(|text| {
                let signature =
                    Signature::parse(text).map_err(|problem| self.error(text, problem))?;
                signature
                    .kind()
                    .map_err(|problem| self.error(text, problem))?;
                Ok(signature)
            })
            .collect()
    }

    /// `problem` in the signature `text` of this lesson.
    fn error(&self, text: &str, problem: SignatureError) -> RegistryError {
        RegistryError::Signature {
            lesson: self.id.clone(),
            text: text.to_string(),
            problem,
        }
    }
}

impl Signature {
    /// Parses `pub [async] fn NAME(NAME: TYPE, ...) [-> TYPE]`.
    pub fn parse(text: &str) -> Result<Self, SignatureError> {
        let rest = text
            .trim()
            .strip_prefix("pub ")
            .ok_or(SignatureError::NotPub)?
            .trim_start();
        let (is_async, rest) = match rest.strip_prefix("async ") {
            Some(rest) => (true, rest.trim_start()),
            None => (false, rest),
        };
        let rest = rest.strip_prefix("fn ").ok_or(SignatureError::NoFn)?;
        let open = rest.find('(').ok_or(SignatureError::NoOpenParen)?;
        let name = rest[..open].trim().to_string();
        if !is_identifier(&name) {
            return Err(SignatureError::NotAFunctionName(name));
        }
        let close = matching_paren(rest, open).ok_or(SignatureError::NoCloseParen)?;
        let params = split_top_level(&rest[open + 1..close])
            .into_iter()
            .map(|param| {
                let (name, ty) = param
                    .split_once(':')
                    .ok_or_else(|| SignatureError::NoParamType(param.clone()))?;
                let (name, ty) = (name.trim(), ty.trim());
                if !is_identifier(name) || ty.is_empty() {
                    return Err(SignatureError::NotNameType(param.clone()));
                }
                Ok(Param {
                    name: name.to_string(),
                    ty: ty.to_string(),
                })
            })
            .collect::<Result<Vec<_>, SignatureError>>()?;
        let tail = rest[close + 1..].trim();
        let returns = if tail.is_empty() {
            None
        } else {
            let ty = tail
                .strip_prefix("->")
                .ok_or_else(|| SignatureError::AfterParams(tail.to_string()))?
                .trim();
            if ty.is_empty() || ty.contains('{') {
                return Err(SignatureError::NoReturnType);
            }
            Some(ty.to_string())
        };
        Ok(Self {
            text: text.trim().to_string(),
            name,
            is_async,
            params,
            returns,
        })
    }

    /// How the runner drives it: an `async fn` is awaited; a plain `fn` must return a
    /// `JoinHandle<T>` (a task) or an `impl Stream<Item = T>` (a stream).
    pub fn kind(&self) -> Result<Kind, SignatureError> {
        if self.is_async {
            return Ok(Kind::Future);
        }
        if self.params.iter().any(Param::is_network) {
            return Err(SignatureError::NetworkNotAsync(self.name.clone()));
        }
        let returns = self.returns.as_deref().unwrap_or("");
        let last_segment = |ty: &str| ty.rsplit("::").next().unwrap_or(ty).to_string();
        if last_segment(returns).starts_with("JoinHandle<") {
            Ok(Kind::Task)
        } else if returns
            .strip_prefix("impl ")
            .is_some_and(|bound| last_segment(bound).starts_with("Stream<"))
        {
            Ok(Kind::Stream)
        } else {
            Err(SignatureError::NotDrivable)
        }
    }
}

impl Param {
    /// Whether it takes the server's end of the case's connections, one `DuplexStream` each
    /// (`Receiver<DuplexStream>`, maybe with paths): it is not read from `args` but made by
    /// the runner's simulated network from the case's peers.
    pub fn is_incoming(&self) -> bool {
        let ty: String = self.ty.split_whitespace().collect();
        ty.replace("tokio::sync::mpsc::", "")
            .replace("mpsc::", "")
            .replace("tokio::io::", "")
            == "Receiver<DuplexStream>"
    }

    /// Whether it is a client's way to connect, once per attempt
    /// (`impl AsyncFnMut() -> std::io::Result<DuplexStream>`, maybe `io::Result`): the runner
    /// passes a closure whose `n`-th call reaches the case's `n`-th peer.
    pub fn is_connector(&self) -> bool {
        let ty: String = self.ty.split_whitespace().collect();
        ["std::io::Result", "io::Result", "tokio::io::Result"]
            .iter()
            .any(|result| {
                ty == format!("implAsyncFnMut()->{result}<DuplexStream>")
                    || ty == format!("implAsyncFnMut()->{result}<tokio::io::DuplexStream>")
            })
    }

    /// Whether it is a server's shutdown signal (`CancellationToken`, maybe with its path
    /// `tokio_util::sync::`): the runner cancels it at the case's `shutdown` time.
    pub fn is_shutdown(&self) -> bool {
        let ty: String = self.ty.split_whitespace().collect();
        ty.strip_prefix("tokio_util::sync::").unwrap_or(&ty) == "CancellationToken"
    }

    /// Whether the runner's simulated network makes it, not the case's `args`.
    pub fn is_network(&self) -> bool {
        self.is_incoming() || self.is_connector() || self.is_shutdown()
    }

    /// Whether it is the slow function of a lesson on CPU work (`fn(&str) -> String`): the
    /// runner passes [`crate::cpu::digest`], whose cost is the case's `cost`.
    pub fn is_slow_function(&self) -> bool {
        let ty: String = self.ty.split_whitespace().collect();
        ty == "fn(&str)->String"
    }

    /// Whether the runner makes it (a connection, a connector, the slow function), not the
    /// case's `args`.
    pub fn is_made_by_runner(&self) -> bool {
        self.is_network() || self.is_slow_function()
    }

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

/// Whether `text` is a plain Rust identifier (ASCII).
fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The index of the `)` matching the `(` at `open`.
fn matching_paren(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (index, c) in text.char_indices().skip_while(|&(i, _)| i < open) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(index);
                }
            }
            _ => {}
        }
    }
    None
}

/// Splits a parameter list at the commas outside brackets; empty parts are dropped.
fn split_top_level(text: &str) -> Vec<String> {
    let (mut parts, mut current, mut depth) = (Vec::new(), String::new(), 0i32);
    for c in text.chars() {
        match c {
            '<' | '(' | '[' => depth += 1,
            // The `>` of `->` (a closure's return type) closes nothing.
            '>' if current.ends_with('-') => {}
            '>' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    parts.push(current);
    parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_parse_into_names_types_and_kinds() {
        let s = Signature::parse("pub async fn greet_all(names: &[&str])").unwrap();
        assert_eq!(s.name, "greet_all");
        assert_eq!(s.params[0].owned_type(), "Vec<String>");
        assert_eq!(s.kind(), Ok(Kind::Future));
        let s =
            Signature::parse("pub fn f(a: HashMap<u8, u8>, b: &str) -> JoinHandle<f64>").unwrap();
        assert_eq!(s.params.len(), 2, "the comma inside <> is not a separator");
        assert_eq!(s.params[1].argument(), "&b");
        assert_eq!(s.kind(), Ok(Kind::Task));
        let s = Signature::parse("pub fn g() -> impl futures::Stream<Item = u8>").unwrap();
        assert_eq!(s.kind(), Ok(Kind::Stream));
        assert_eq!(
            Signature::parse("pub fn h() -> u8").unwrap().kind(),
            Err(SignatureError::NotDrivable)
        );
        assert_eq!(
            Signature::parse("async fn h()"),
            Err(SignatureError::NotPub)
        );
        assert_eq!(
            Signature::parse("pub async fn h(x u8)"),
            Err(SignatureError::NoParamType("x u8".into()))
        );
        assert_eq!(
            Signature::parse("pub async fn h() { }"),
            Err(SignatureError::AfterParams("{ }".into()))
        );
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

    #[test]
    fn a_registry_with_a_repeated_lesson_is_refused() {
        let lesson = LessonEntry {
            id: "a".into(),
            file: "01_a.rs".into(),
            functions: vec!["pub async fn a()".into()],
        };
        let registry = Registry {
            prelude: Vec::new(),
            lessons: vec![lesson.clone(), lesson],
        };
        let error = registry.check().unwrap_err();
        assert_eq!(error, RegistryError::DeclaredTwice("a".into()));
        assert_eq!(error.to_string(), "lesson `a` is declared twice");
    }

    #[test]
    fn a_signature_problem_names_the_lesson_and_the_signature() {
        let lesson = LessonEntry {
            id: "wait_n".into(),
            file: "06_wait_n.rs".into(),
            functions: vec!["pub fn wait_n() -> u8".into()],
        };
        assert_eq!(
            lesson.signatures().unwrap_err().to_string(),
            "lesson `wait_n`: `pub fn wait_n() -> u8`: a function that is not `async` must return `JoinHandle<T>` (a task) or `impl Stream<Item = T>` (a stream)"
        );
    }
}
