//! The small expression language of specs: bounds, expected times, diagnoses.
//!
//! ```text
//! 0 ..= max_delay            a range (also `a .. b`)
//! max(result)                functions: len max min sum mean abs floor ceil round
//! len(names) * 1s            durations: 1s 250ms 2min 10us (all in seconds)
//! elapsed ~ sum(result)      about equal: within one tick (1 ms) or 1 %, whichever is larger
//! 0 <= x <= max_delay        comparisons chain; and / or / not
//! arrivals[0] < 0.5s         indexing from 0
//! ```
//! Numbers are f64; times are seconds. See `docs/specs.md` for the names each key provides.

use std::collections::HashMap;
use std::fmt;

use crate::report::numbers::format_number;

/// A value an expression evaluates to.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A number (times are seconds).
    Num(f64),
    /// A truth value.
    Bool(bool),
    /// Text (a returned string, an argument).
    Text(String),
    /// A list of values.
    List(Vec<Value>),
    /// A range of numbers.
    Range {
        /// Lower bound (inclusive).
        low: f64,
        /// Upper bound.
        high: f64,
        /// Whether `high` is included (`..=`).
        inclusive: bool,
    },
    /// Nothing (a function returning `()`).
    Null,
}

impl Value {
    /// Converts JSON (arguments, returned values) to a value.
    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Num(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) => Value::Text(s.clone()),
            serde_json::Value::Array(items) => {
                Value::List(items.iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(_) => Value::Text(json.to_string()),
        }
    }

    /// The numbers of a list (or the number itself), if it holds only numbers.
    pub fn numbers(&self) -> Option<Vec<f64>> {
        match self {
            Value::Num(n) => Some(vec![*n]),
            Value::List(items) => items
                .iter()
                .map(|v| match v {
                    Value::Num(n) => Some(*n),
                    _ => None,
                })
                .collect(),
            _ => None,
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            Value::Num(_) => "a number",
            Value::Bool(_) => "true/false",
            Value::Text(_) => "text",
            Value::List(_) => "a list",
            Value::Range { .. } => "a range",
            Value::Null => "nothing (the function returns ())",
        }
    }

    /// Whether a range contains `x`.
    pub fn contains(&self, x: f64) -> Option<bool> {
        match *self {
            Value::Range {
                low,
                high,
                inclusive,
            } => Some(x >= low && if inclusive { x <= high } else { x < high }),
            _ => None,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Num(n) => write!(f, "{}", format_number(*n)),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Text(s) => write!(f, "{s:?}"),
            Value::List(items) => {
                write!(f, "[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    if i == 8 && items.len() > 10 {
                        return write!(f, "… {} more]", items.len() - 8);
                    }
                    write!(f, "{item}")?;
                }
                write!(f, "]")
            }
            Value::Range {
                low,
                high,
                inclusive,
            } => {
                let op = if *inclusive { "..=" } else { ".." };
                write!(f, "{} {op} {}", format_number(*low), format_number(*high))
            }
            Value::Null => write!(f, "()"),
        }
    }
}

/// Why an expression could not be parsed or evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct ExprError {
    /// What went wrong.
    pub message: String,
    /// Byte offset in the expression text, when known.
    pub offset: Option<usize>,
}

fn error<T>(message: impl Into<String>, offset: Option<usize>) -> Result<T, ExprError> {
    Err(ExprError {
        message: message.into(),
        offset,
    })
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq)]
enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    And,
    Or,
}

/// Comparison operators (they chain: `a <= b <= c`).
#[derive(Debug, Clone, Copy, PartialEq)]
enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    Approx,
    In,
}

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Num(f64),
    Bool(bool),
    Text(String),
    Var(String, usize),
    Call(String, Vec<Node>, usize),
    Index(Box<Node>, Box<Node>),
    Neg(Box<Node>),
    Not(Box<Node>),
    Bin(BinOp, Box<Node>, Box<Node>),
    Cmp(Box<Node>, Vec<(CmpOp, Node)>),
    Range(Box<Node>, Box<Node>, bool),
}

/// A parsed expression with its source text.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    text: String,
    root: Node,
}

/// The functions expressions may call.
pub const FUNCTIONS: &[&str] = &[
    "len", "max", "min", "sum", "mean", "abs", "floor", "ceil", "round",
];

impl Expr {
    /// Parses `text`.
    pub fn parse(text: &str) -> Result<Expr, ExprError> {
        let tokens = lex(text)?;
        let mut parser = Parser { tokens, pos: 0 };
        let root = parser.or()?;
        if let Some(token) = parser.tokens.get(parser.pos) {
            return error(
                format!(
                    "unexpected `{}` after the end of the expression",
                    token.kind
                ),
                Some(token.offset),
            );
        }
        Ok(Expr {
            text: text.to_string(),
            root,
        })
    }

    /// The text it was parsed from.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The variable names it reads, with their offsets.
    pub fn variables(&self) -> Vec<(String, usize)> {
        fn walk(node: &Node, out: &mut Vec<(String, usize)>) {
            match node {
                Node::Var(name, offset) => out.push((name.clone(), *offset)),
                Node::Num(_) | Node::Bool(_) | Node::Text(_) => {}
                Node::Call(_, args, _) => args.iter().for_each(|a| walk(a, out)),
                Node::Index(a, b) | Node::Bin(_, a, b) | Node::Range(a, b, _) => {
                    walk(a, out);
                    walk(b, out);
                }
                Node::Neg(a) | Node::Not(a) => walk(a, out),
                Node::Cmp(first, rest) => {
                    walk(first, out);
                    rest.iter().for_each(|(_, n)| walk(n, out));
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.root, &mut out);
        out
    }

    /// Whether the top of the expression is a range (`a ..= b`).
    pub fn is_range(&self) -> bool {
        matches!(self.root, Node::Range(..))
    }

    /// Evaluates it with the given variables.
    pub fn eval(&self, vars: &Vars) -> Result<Value, ExprError> {
        eval(&self.root, vars)
    }

    /// Evaluates it to a number.
    pub fn eval_number(&self, vars: &Vars) -> Result<f64, ExprError> {
        match self.eval(vars)? {
            Value::Num(n) => Ok(n),
            other => error(
                format!("`{}` is {}, not a number", self.text, other.type_name()),
                None,
            ),
        }
    }

    /// Evaluates it to true or false.
    pub fn eval_bool(&self, vars: &Vars) -> Result<bool, ExprError> {
        match self.eval(vars)? {
            Value::Bool(b) => Ok(b),
            other => error(
                format!("`{}` is {}, not true/false", self.text, other.type_name()),
                None,
            ),
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Variables an expression can read, layered: inner scopes shadow outer ones.
#[derive(Debug, Default, Clone)]
pub struct Vars<'a> {
    values: HashMap<String, Value>,
    parent: Option<&'a Vars<'a>>,
}

impl<'a> Vars<'a> {
    /// An empty scope.
    pub fn new() -> Self {
        Self::default()
    }

    /// A scope inside `parent`.
    pub fn inside(parent: &'a Vars<'a>) -> Self {
        Self {
            values: HashMap::new(),
            parent: Some(parent),
        }
    }

    /// Sets a variable.
    pub fn set(&mut self, name: &str, value: Value) {
        self.values.insert(name.to_string(), value);
    }

    /// Reads a variable.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values
            .get(name)
            .or_else(|| self.parent.and_then(|p| p.get(name)))
    }
}

/// Within one tick (1 ms) or 1 %, whichever is larger: the meaning of `~`.
pub fn approx(a: f64, b: f64) -> bool {
    (a - b).abs() <= f64::max(0.001, 0.01 * b.abs()) + 1e-9
}

#[derive(Debug, Clone, PartialEq)]
enum TokenKind {
    Num(f64),
    Text(String),
    Ident(String),
    Sym(&'static str),
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenKind::Num(n) => write!(f, "{}", format_number(*n)),
            TokenKind::Text(s) => write!(f, "{s:?}"),
            TokenKind::Ident(s) => f.write_str(s),
            TokenKind::Sym(s) => f.write_str(s),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Token {
    kind: TokenKind,
    offset: usize,
}

const SYMBOLS: &[&str] = &[
    "..=", "..", "<=", ">=", "==", "!=", "<", ">", "~", "+", "-", "*", "/", "(", ")", "[", "]", ",",
];

fn lex(text: &str) -> Result<Vec<Token>, ExprError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_digit()
            || (c == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_digit()
                    || (bytes[i] == b'.' && bytes.get(i + 1) != Some(&b'.'))
                    || ((bytes[i] == b'e' || bytes[i] == b'E')
                        && bytes
                            .get(i + 1)
                            .is_some_and(|b| b.is_ascii_digit() || *b == b'-')))
            {
                if bytes[i] == b'e' || bytes[i] == b'E' {
                    i += 1;
                }
                i += 1;
            }
            let number: f64 = text[start..i].parse().map_err(|_| ExprError {
                message: format!("`{}` is not a number", &text[start..i]),
                offset: Some(start),
            })?;
            let unit_start = i;
            while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                i += 1;
            }
            let scale = match &text[unit_start..i] {
                "" | "s" => 1.0,
                "ms" => 1e-3,
                "us" => 1e-6,
                "ns" => 1e-9,
                "min" => 60.0,
                "h" => 3600.0,
                unit => {
                    return error(
                        format!("unknown unit `{unit}` (use s, ms, us, ns, min or h)"),
                        Some(unit_start),
                    );
                }
            };
            tokens.push(Token {
                kind: TokenKind::Num(number * scale),
                offset: start,
            });
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            tokens.push(Token {
                kind: TokenKind::Ident(text[start..i].to_string()),
                offset: start,
            });
        } else if c == b'"' || c == b'\'' {
            let start = i;
            let end = text[i + 1..].find(c as char).ok_or_else(|| ExprError {
                message: "text without a closing quote".into(),
                offset: Some(start),
            })?;
            tokens.push(Token {
                kind: TokenKind::Text(text[i + 1..i + 1 + end].to_string()),
                offset: start,
            });
            i += end + 2;
        } else if let Some(sym) = SYMBOLS.iter().find(|s| text[i..].starts_with(**s)) {
            tokens.push(Token {
                kind: TokenKind::Sym(sym),
                offset: i,
            });
            i += sym.len();
        } else {
            let ch = text[i..].chars().next().unwrap_or('?');
            return error(format!("unexpected character `{ch}`"), Some(i));
        }
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&TokenKind> {
        self.tokens.get(self.pos).map(|t| &t.kind)
    }

    fn offset(&self) -> usize {
        self.tokens.get(self.pos).map_or_else(
            || {
                self.tokens
                    .last()
                    .map_or(0, |t| t.offset + t.kind.to_string().len())
            },
            |t| t.offset,
        )
    }

    fn eat_sym(&mut self, sym: &str) -> bool {
        if self.peek()
            == Some(&TokenKind::Sym(
                SYMBOLS.iter().find(|s| **s == sym).copied().unwrap_or(""),
            ))
        {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_word(&mut self, word: &str) -> bool {
        if matches!(self.peek(), Some(TokenKind::Ident(w)) if w == word) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect_sym(&mut self, sym: &str) -> Result<(), ExprError> {
        if self.eat_sym(sym) {
            Ok(())
        } else {
            let found = self
                .peek()
                .map_or("the end".to_string(), |t| format!("`{t}`"));
            error(
                format!("expected `{sym}`, found {found}"),
                Some(self.offset()),
            )
        }
    }

    fn or(&mut self) -> Result<Node, ExprError> {
        let mut left = self.and()?;
        while self.eat_word("or") {
            left = Node::Bin(BinOp::Or, Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Node, ExprError> {
        let mut left = self.not()?;
        while self.eat_word("and") {
            left = Node::Bin(BinOp::And, Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Node, ExprError> {
        if self.eat_word("not") {
            return Ok(Node::Not(Box::new(self.not()?)));
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Node, ExprError> {
        let first = self.range()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.peek() {
                Some(TokenKind::Sym("<")) => CmpOp::Lt,
                Some(TokenKind::Sym("<=")) => CmpOp::Le,
                Some(TokenKind::Sym(">")) => CmpOp::Gt,
                Some(TokenKind::Sym(">=")) => CmpOp::Ge,
                Some(TokenKind::Sym("==")) => CmpOp::Eq,
                Some(TokenKind::Sym("!=")) => CmpOp::Ne,
                Some(TokenKind::Sym("~")) => CmpOp::Approx,
                Some(TokenKind::Ident(w)) if w == "in" => CmpOp::In,
                _ => break,
            };
            self.pos += 1;
            rest.push((op, self.range()?));
        }
        Ok(if rest.is_empty() {
            first
        } else {
            Node::Cmp(Box::new(first), rest)
        })
    }

    fn range(&mut self) -> Result<Node, ExprError> {
        let low = self.sum()?;
        let inclusive = if self.eat_sym("..=") {
            true
        } else if self.eat_sym("..") {
            false
        } else {
            return Ok(low);
        };
        Ok(Node::Range(Box::new(low), Box::new(self.sum()?), inclusive))
    }

    fn sum(&mut self) -> Result<Node, ExprError> {
        let mut left = self.product()?;
        loop {
            let op = if self.eat_sym("+") {
                BinOp::Add
            } else if self.eat_sym("-") {
                BinOp::Sub
            } else {
                return Ok(left);
            };
            left = Node::Bin(op, Box::new(left), Box::new(self.product()?));
        }
    }

    fn product(&mut self) -> Result<Node, ExprError> {
        let mut left = self.unary()?;
        loop {
            let op = if self.eat_sym("*") {
                BinOp::Mul
            } else if self.eat_sym("/") {
                BinOp::Div
            } else {
                return Ok(left);
            };
            left = Node::Bin(op, Box::new(left), Box::new(self.unary()?));
        }
    }

    fn unary(&mut self) -> Result<Node, ExprError> {
        if self.eat_sym("-") {
            return Ok(Node::Neg(Box::new(self.unary()?)));
        }
        let mut node = self.primary()?;
        while self.eat_sym("[") {
            let index = self.or()?;
            self.expect_sym("]")?;
            node = Node::Index(Box::new(node), Box::new(index));
        }
        Ok(node)
    }

    fn primary(&mut self) -> Result<Node, ExprError> {
        let offset = self.offset();
        let Some(token) = self.tokens.get(self.pos).cloned() else {
            return error("the expression ends too early", Some(offset));
        };
        self.pos += 1;
        match token.kind {
            TokenKind::Num(n) => Ok(Node::Num(n)),
            TokenKind::Text(s) => Ok(Node::Text(s)),
            TokenKind::Sym("(") => {
                let inner = self.or()?;
                self.expect_sym(")")?;
                Ok(inner)
            }
            TokenKind::Ident(name) if self.eat_sym("(") => {
                if !FUNCTIONS.contains(&name.as_str()) {
                    return error(
                        format!(
                            "unknown function `{name}` (known: {})",
                            FUNCTIONS.join(", ")
                        ),
                        Some(offset),
                    );
                }
                let mut args = Vec::new();
                if !self.eat_sym(")") {
                    loop {
                        args.push(self.or()?);
                        if self.eat_sym(")") {
                            break;
                        }
                        if !self.eat_sym(",") {
                            let found = self
                                .peek()
                                .map_or("the end".to_string(), |t| format!("`{t}`"));
                            return error(
                                format!(
                                    "expected `)` or `,` in the call of `{name}`, found {found}"
                                ),
                                Some(self.offset()),
                            );
                        }
                    }
                }
                Ok(Node::Call(name, args, offset))
            }
            TokenKind::Ident(name) if name == "true" || name == "false" => {
                Ok(Node::Bool(name == "true"))
            }
            TokenKind::Ident(name) if ["and", "or", "not", "in"].contains(&name.as_str()) => {
                error(format!("`{name}` needs something before it"), Some(offset))
            }
            TokenKind::Ident(name) => Ok(Node::Var(name, offset)),
            TokenKind::Sym(sym) => error(format!("unexpected `{sym}`"), Some(offset)),
        }
    }
}

fn eval(node: &Node, vars: &Vars) -> Result<Value, ExprError> {
    Ok(match node {
        Node::Num(n) => Value::Num(*n),
        Node::Bool(b) => Value::Bool(*b),
        Node::Text(s) => Value::Text(s.clone()),
        Node::Var(name, offset) => match vars.get(name) {
            Some(value) => value.clone(),
            None => return error(format!("unknown name `{name}`"), Some(*offset)),
        },
        Node::Neg(inner) => Value::Num(-number(eval(inner, vars)?, "-")?),
        Node::Not(inner) => Value::Bool(!boolean(eval(inner, vars)?, "not")?),
        Node::Bin(BinOp::And, a, b) => {
            Value::Bool(boolean(eval(a, vars)?, "and")? && boolean(eval(b, vars)?, "and")?)
        }
        Node::Bin(BinOp::Or, a, b) => {
            Value::Bool(boolean(eval(a, vars)?, "or")? || boolean(eval(b, vars)?, "or")?)
        }
        Node::Bin(op, a, b) => {
            let symbol = match op {
                BinOp::Add => "+",
                BinOp::Sub => "-",
                BinOp::Mul => "*",
                _ => "/",
            };
            let (a, b) = (
                number(eval(a, vars)?, symbol)?,
                number(eval(b, vars)?, symbol)?,
            );
            Value::Num(match op {
                BinOp::Add => a + b,
                BinOp::Sub => a - b,
                BinOp::Mul => a * b,
                _ => a / b,
            })
        }
        Node::Range(low, high, inclusive) => Value::Range {
            low: number(eval(low, vars)?, "..")?,
            high: number(eval(high, vars)?, "..")?,
            inclusive: *inclusive,
        },
        Node::Index(list, index) => {
            let index = number(eval(index, vars)?, "[]")?;
            match eval(list, vars)? {
                Value::List(items) => {
                    let len = items.len();
                    items
                        .into_iter()
                        .nth(index.max(0.0) as usize)
                        .filter(|_| index >= 0.0)
                        .ok_or_else(|| ExprError {
                            message: format!(
                                "index {} is past the end of a list of {len}",
                                format_number(index)
                            ),
                            offset: None,
                        })?
                }
                other => return error(format!("cannot index {}", other.type_name()), None),
            }
        }
        Node::Cmp(first, rest) => {
            let mut left = eval(first, vars)?;
            for (op, node) in rest {
                let right = eval(node, vars)?;
                if !compare(*op, &left, &right)? {
                    return Ok(Value::Bool(false));
                }
                left = right;
            }
            Value::Bool(true)
        }
        Node::Call(name, args, offset) => call(name, args, vars, *offset)?,
    })
}

fn number(value: Value, op: &str) -> Result<f64, ExprError> {
    match value {
        Value::Num(n) => Ok(n),
        other => error(
            format!("`{op}` needs a number, not {}", other.type_name()),
            None,
        ),
    }
}

fn boolean(value: Value, op: &str) -> Result<bool, ExprError> {
    match value {
        Value::Bool(b) => Ok(b),
        other => error(
            format!("`{op}` needs true/false, not {}", other.type_name()),
            None,
        ),
    }
}

fn compare(op: CmpOp, left: &Value, right: &Value) -> Result<bool, ExprError> {
    if op == CmpOp::In {
        // A text in a list of texts (`'spawn' in uses`); a number in a list or a range.
        if let (Value::Text(_), Value::List(items)) = (left, right) {
            return Ok(items.iter().any(|v| v == left));
        }
        let x = number(left.clone(), "in")?;
        return match right {
            Value::List(items) => Ok(items.iter().any(|v| v == left)),
            range => range.contains(x).ok_or_else(|| ExprError {
                message: "`in` needs a range or a list on its right".into(),
                offset: None,
            }),
        };
    }
    if let (CmpOp::Eq | CmpOp::Ne, false) =
        (op, matches!((left, right), (Value::Num(_), Value::Num(_))))
    {
        return Ok((left == right) == (op == CmpOp::Eq));
    }
    let (a, b) = (
        number(left.clone(), "comparison")?,
        number(right.clone(), "comparison")?,
    );
    Ok(match op {
        CmpOp::Lt => a < b,
        CmpOp::Le => a <= b,
        CmpOp::Gt => a > b,
        CmpOp::Ge => a >= b,
        CmpOp::Eq => a == b,
        CmpOp::Ne => a != b,
        CmpOp::Approx => approx(a, b),
        CmpOp::In => unreachable!("handled above"),
    })
}

fn call(name: &str, args: &[Node], vars: &Vars, offset: usize) -> Result<Value, ExprError> {
    let values = args
        .iter()
        .map(|a| eval(a, vars))
        .collect::<Result<Vec<_>, _>>()?;
    let one = || -> Result<&Value, ExprError> {
        match values.as_slice() {
            [value] => Ok(value),
            _ => error(format!("`{name}` takes one argument"), Some(offset)),
        }
    };
    if name == "len" {
        return match one()? {
            Value::List(items) => Ok(Value::Num(items.len() as f64)),
            Value::Text(s) => Ok(Value::Num(s.chars().count() as f64)),
            other => error(
                format!("`len` needs a list, not {}", other.type_name()),
                Some(offset),
            ),
        };
    }
    // The other functions take numbers: one list, or several numbers.
    let numbers: Vec<f64> = match values.as_slice() {
        [list @ Value::List(_)] => list.numbers().ok_or_else(|| ExprError {
            message: format!("`{name}` needs numbers"),
            offset: Some(offset),
        })?,
        many => many
            .iter()
            .map(|v| number(v.clone(), name))
            .collect::<Result<_, _>>()?,
    };
    let single = || match numbers.as_slice() {
        [n] => Ok(*n),
        _ => error(format!("`{name}` takes one number"), Some(offset)),
    };
    let nonempty = |f: fn(f64, f64) -> f64| {
        numbers
            .iter()
            .copied()
            .reduce(f)
            .map(Value::Num)
            .ok_or_else(|| ExprError {
                message: format!("`{name}` of an empty list"),
                offset: Some(offset),
            })
    };
    match name {
        "max" => nonempty(f64::max),
        "min" => nonempty(f64::min),
        "sum" => Ok(Value::Num(numbers.iter().sum())),
        "mean" if numbers.is_empty() => error("`mean` of an empty list", Some(offset)),
        "mean" => Ok(Value::Num(
            numbers.iter().sum::<f64>() / numbers.len() as f64,
        )),
        "abs" => Ok(Value::Num(single()?.abs())),
        "floor" => Ok(Value::Num(single()?.floor())),
        "ceil" => Ok(Value::Num(single()?.ceil())),
        "round" => Ok(Value::Num(single()?.round())),
        _ => error(format!("unknown function `{name}`"), Some(offset)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval_with(text: &str, vars: &[(&str, Value)]) -> Result<Value, ExprError> {
        let mut scope = Vars::new();
        for (name, value) in vars {
            scope.set(name, value.clone());
        }
        Expr::parse(text)?.eval(&scope)
    }

    fn list(values: &[f64]) -> Value {
        Value::List(values.iter().map(|v| Value::Num(*v)).collect())
    }

    #[test]
    fn durations_are_seconds() {
        assert_eq!(eval_with("1s + 250ms", &[]), Ok(Value::Num(1.25)));
        assert_eq!(eval_with("2min", &[]), Ok(Value::Num(120.0)));
        assert!(Expr::parse("3 parsecs").is_err());
    }

    #[test]
    fn ranges_evaluate_their_bounds() {
        let range = eval_with("0 ..= max_delay", &[("max_delay", Value::Num(10.0))]).unwrap();
        assert_eq!(range.contains(10.0), Some(true));
        assert_eq!(range.contains(10.001), Some(false));
        let open = eval_with("0 .. 10", &[]).unwrap();
        assert_eq!(open.contains(10.0), Some(false));
    }

    #[test]
    fn functions_over_lists() {
        let vars = [("result", list(&[3.0, 1.0, 2.0]))];
        assert_eq!(eval_with("max(result)", &vars), Ok(Value::Num(3.0)));
        assert_eq!(
            eval_with("sum(result) / len(result)", &vars),
            Ok(Value::Num(2.0))
        );
        assert_eq!(eval_with("result[1]", &vars), Ok(Value::Num(1.0)));
        assert!(eval_with("result[3]", &vars).is_err());
        assert!(eval_with("max(list_that_is_not_there)", &vars).is_err());
    }

    #[test]
    fn comparisons_chain() {
        let x = [("x", Value::Num(5.0))];
        assert_eq!(eval_with("0 <= x <= 10", &x), Ok(Value::Bool(true)));
        assert_eq!(eval_with("0 <= x <= 4", &x), Ok(Value::Bool(false)));
        assert_eq!(
            eval_with("x in 0 ..= 5 and not x > 5", &x),
            Ok(Value::Bool(true))
        );
        let uses = [(
            "uses",
            Value::List(vec![
                Value::Text("spawn".into()),
                Value::Text("sleep".into()),
            ]),
        )];
        assert_eq!(eval_with("'spawn' in uses", &uses), Ok(Value::Bool(true)));
        assert_eq!(
            eval_with("not ('block_on' in uses)", &uses),
            Ok(Value::Bool(true))
        );
    }

    #[test]
    fn approx_allows_one_tick_or_one_percent() {
        assert_eq!(eval_with("0.0509 ~ 0.05", &[]), Ok(Value::Bool(true)));
        assert_eq!(eval_with("0.0525 ~ 0.05", &[]), Ok(Value::Bool(false)));
        assert_eq!(eval_with("100.9 ~ 100", &[]), Ok(Value::Bool(true)));
        assert_eq!(eval_with("102 ~ 100", &[]), Ok(Value::Bool(false)));
    }

    #[test]
    fn errors_point_at_the_problem() {
        let err = Expr::parse("max(result").unwrap_err();
        assert!(err.message.contains("expected `)`"), "{err:?}");
        let err = Expr::parse("maxx(result)").unwrap_err();
        assert_eq!(err.offset, Some(0));
        assert!(err.message.contains("unknown function"));
        let err = Expr::parse("1 + * 2").unwrap_err();
        assert_eq!(err.offset, Some(4));
    }

    #[test]
    fn variables_are_listed() {
        let expr = Expr::parse("elapsed ~ sum(result) * n").unwrap();
        let names: Vec<_> = expr.variables().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["elapsed", "result", "n"]);
    }

    #[test]
    fn numbers_format_briefly() {
        assert_eq!(format_number(9.8), "9.8");
        assert_eq!(format_number(10.0), "10");
        assert_eq!(format_number(0.0004), "0");
        assert_eq!(format_number(23.4567), "23.457");
    }
}
