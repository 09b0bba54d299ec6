//! A lesson function's signature, parsed from its text in the registry
//! (`pub async fn wait_n(n: usize, max_delay: u64) -> Vec<f64>`): its name, its parameters,
//! its return type, and how the runner drives it.

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
}

/// Whether `text` is a plain Rust identifier (ASCII).
pub(super) fn is_identifier(text: &str) -> bool {
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
        assert_eq!(s.kind(), Ok(Kind::Future));
        let s =
            Signature::parse("pub fn f(a: HashMap<u8, u8>, b: &str) -> JoinHandle<f64>").unwrap();
        assert_eq!(s.params.len(), 2, "the comma inside <> is not a separator");
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
}
