//! Text to a syntax tree: the lexer (numbers with units, text in quotes, names, symbols) and
//! a recursive-descent parser. Every node keeps the byte span of its text, so that a type
//! error or a failed assertion can quote and locate the part at fault.

use std::fmt;
use std::ops::Range;

use super::functions::{FUNCTIONS, QUANTIFIERS};
use super::{ExprError, error};
use crate::text::numbers::format_number;

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    And,
    Or,
}

impl BinOp {
    /// How the operator is written.
    pub(super) fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Rem => "%",
            BinOp::And => "and",
            BinOp::Or => "or",
        }
    }
}

/// Comparison operators (they chain: `a <= b <= c`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    Approx,
    In,
}

/// What a quantifier binds for each item: one name, or the items of a pair (`[a, b]`).
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Binder {
    One(String),
    Many(Vec<String>),
}

impl Binder {
    /// The names it binds.
    pub(super) fn names(&self) -> Vec<&str> {
        match self {
            Binder::One(name) => vec![name],
            Binder::Many(names) => names.iter().map(String::as_str).collect(),
        }
    }
}

/// A node of the syntax tree, with the byte span of its text.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Node {
    pub kind: Kind,
    pub span: Range<usize>,
}

/// The kinds of node.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind {
    Num(f64),
    Bool(bool),
    Text(String),
    Var(String),
    List(Vec<Node>),
    Call(String, Vec<Node>),
    /// `all(x in list, condition)` and the other quantifiers.
    Quant {
        name: String,
        binder: Binder,
        over: Box<Node>,
        body: Box<Node>,
    },
    Index(Box<Node>, Box<Node>),
    Field(Box<Node>, String),
    Neg(Box<Node>),
    Not(Box<Node>),
    Bin(BinOp, Box<Node>, Box<Node>),
    Cmp(Box<Node>, Vec<(CmpOp, Node)>),
    Range(Box<Node>, Box<Node>, bool),
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
    end: usize,
}

/// Longest first: `..=` before `..` before `.`.
const SYMBOLS: &[&str] = &[
    "..=", "..", "<=", ">=", "==", "!=", "<", ">", "~", "+", "-", "*", "/", "%", "(", ")", "[",
    "]", ",", ".",
];

/// Words that are operators, not names.
const KEYWORDS: &[&str] = &["and", "or", "not", "in"];

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
                end: i,
            });
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            tokens.push(Token {
                kind: TokenKind::Ident(text[start..i].to_string()),
                offset: start,
                end: i,
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
                end: i + end + 2,
            });
            i += end + 2;
        } else if let Some(sym) = SYMBOLS.iter().find(|s| text[i..].starts_with(**s)) {
            tokens.push(Token {
                kind: TokenKind::Sym(sym),
                offset: i,
                end: i + sym.len(),
            });
            i += sym.len();
        } else {
            let ch = text[i..].chars().next().unwrap_or('?');
            return error(format!("unexpected character `{ch}`"), Some(i));
        }
    }
    Ok(tokens)
}

/// Parses `text` into a syntax tree.
pub(super) fn parse(text: &str) -> Result<Node, ExprError> {
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
    Ok(root)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

fn node(kind: Kind, span: Range<usize>) -> Node {
    Node { kind, span }
}

impl Parser {
    fn peek(&self) -> Option<&TokenKind> {
        self.peek_at(0)
    }

    fn peek_at(&self, ahead: usize) -> Option<&TokenKind> {
        self.tokens.get(self.pos + ahead).map(|t| &t.kind)
    }

    fn offset(&self) -> usize {
        self.tokens
            .get(self.pos)
            .map_or_else(|| self.tokens.last().map_or(0, |t| t.end), |t| t.offset)
    }

    /// The end of the last token read.
    fn end(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|p| self.tokens.get(p))
            .map_or(0, |t| t.end)
    }

    fn eat_sym(&mut self, sym: &str) -> bool {
        if matches!(self.peek(), Some(TokenKind::Sym(s)) if *s == sym) {
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

    fn found(&self) -> String {
        self.peek()
            .map_or("the end".to_string(), |t| format!("`{t}`"))
    }

    fn expect_sym(&mut self, sym: &str) -> Result<(), ExprError> {
        if self.eat_sym(sym) {
            Ok(())
        } else {
            error(
                format!("expected `{sym}`, found {}", self.found()),
                Some(self.offset()),
            )
        }
    }

    fn or(&mut self) -> Result<Node, ExprError> {
        let mut left = self.and()?;
        while self.eat_word("or") {
            let right = self.and()?;
            let span = left.span.start..right.span.end;
            left = node(Kind::Bin(BinOp::Or, Box::new(left), Box::new(right)), span);
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Node, ExprError> {
        let mut left = self.not()?;
        while self.eat_word("and") {
            let right = self.not()?;
            let span = left.span.start..right.span.end;
            left = node(Kind::Bin(BinOp::And, Box::new(left), Box::new(right)), span);
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Node, ExprError> {
        let start = self.offset();
        if self.eat_word("not") {
            let inner = self.not()?;
            let span = start..inner.span.end;
            return Ok(node(Kind::Not(Box::new(inner)), span));
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
        Ok(match rest.last() {
            None => first,
            Some((_, last)) => {
                let span = first.span.start..last.span.end;
                node(Kind::Cmp(Box::new(first), rest), span)
            }
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
        let high = self.sum()?;
        let span = low.span.start..high.span.end;
        Ok(node(
            Kind::Range(Box::new(low), Box::new(high), inclusive),
            span,
        ))
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
            let right = self.product()?;
            let span = left.span.start..right.span.end;
            left = node(Kind::Bin(op, Box::new(left), Box::new(right)), span);
        }
    }

    fn product(&mut self) -> Result<Node, ExprError> {
        let mut left = self.unary()?;
        loop {
            let op = if self.eat_sym("*") {
                BinOp::Mul
            } else if self.eat_sym("/") {
                BinOp::Div
            } else if self.eat_sym("%") {
                BinOp::Rem
            } else {
                return Ok(left);
            };
            let right = self.unary()?;
            let span = left.span.start..right.span.end;
            left = node(Kind::Bin(op, Box::new(left), Box::new(right)), span);
        }
    }

    fn unary(&mut self) -> Result<Node, ExprError> {
        let start = self.offset();
        if self.eat_sym("-") {
            let inner = self.unary()?;
            let span = start..inner.span.end;
            return Ok(node(Kind::Neg(Box::new(inner)), span));
        }
        let mut node_ = self.primary()?;
        loop {
            if self.eat_sym("[") {
                let index = self.or()?;
                self.expect_sym("]")?;
                let span = node_.span.start..self.end();
                node_ = node(Kind::Index(Box::new(node_), Box::new(index)), span);
            } else if self.eat_sym(".") {
                let at = self.offset();
                match self.peek().cloned() {
                    Some(TokenKind::Ident(field)) => {
                        self.pos += 1;
                        let span = node_.span.start..self.end();
                        node_ = node(Kind::Field(Box::new(node_), field), span);
                    }
                    _ => {
                        return error(
                            format!("expected a name after `.`, found {}", self.found()),
                            Some(at),
                        );
                    }
                }
            } else {
                return Ok(node_);
            }
        }
    }

    /// Items separated by commas up to `close`; the opening bracket is read already.
    fn items(&mut self, close: &str, what: &str) -> Result<Vec<Node>, ExprError> {
        let mut items = Vec::new();
        if self.eat_sym(close) {
            return Ok(items);
        }
        loop {
            items.push(self.or()?);
            if self.eat_sym(close) {
                return Ok(items);
            }
            if !self.eat_sym(",") {
                return error(
                    format!(
                        "expected `{close}` or `,` in {what}, found {}",
                        self.found()
                    ),
                    Some(self.offset()),
                );
            }
        }
    }

    /// `x in` or `[a, b] in` at the start of a quantifier's arguments.
    fn binder(&mut self) -> Option<Binder> {
        let is_name = |t: Option<&TokenKind>| matches!(t, Some(TokenKind::Ident(w)) if !KEYWORDS.contains(&w.as_str()));
        let is_in = |t: Option<&TokenKind>| matches!(t, Some(TokenKind::Ident(w)) if w == "in");
        if is_name(self.peek()) && is_in(self.peek_at(1)) {
            let Some(TokenKind::Ident(name)) = self.peek().cloned() else {
                return None;
            };
            self.pos += 2;
            return Some(Binder::One(name));
        }
        if self.peek() != Some(&TokenKind::Sym("[")) {
            return None;
        }
        // `[a, b, ...] in`: names separated by commas.
        let mut names = Vec::new();
        let mut ahead = 1;
        loop {
            match self.peek_at(ahead) {
                Some(TokenKind::Ident(w)) if !KEYWORDS.contains(&w.as_str()) => {
                    names.push(w.clone())
                }
                _ => return None,
            }
            match self.peek_at(ahead + 1) {
                Some(TokenKind::Sym(",")) => ahead += 2,
                Some(TokenKind::Sym("]")) if is_in(self.peek_at(ahead + 2)) => {
                    self.pos += ahead + 3;
                    return Some(Binder::Many(names));
                }
                _ => return None,
            }
        }
    }

    fn call(&mut self, name: String, start: usize) -> Result<Node, ExprError> {
        if QUANTIFIERS.contains(&name.as_str())
            && let Some(binder) = self.binder()
        {
            let over = self.or()?;
            if !self.eat_sym(",") {
                return error(
                    format!(
                        "expected `,` and what to {} for each item, found {}",
                        if name == "all" || name == "any" || name == "count" {
                            "check"
                        } else {
                            "compute"
                        },
                        self.found()
                    ),
                    Some(self.offset()),
                );
            }
            let body = self.or()?;
            self.expect_sym(")")?;
            let span = start..self.end();
            return Ok(node(
                Kind::Quant {
                    name,
                    binder,
                    over: Box::new(over),
                    body: Box::new(body),
                },
                span,
            ));
        }
        if ["all", "any", "count"].contains(&name.as_str()) {
            return error(
                format!("`{name}` binds a name to each item: `{name}(x in list, condition)`"),
                Some(start),
            );
        }
        if !FUNCTIONS.contains(&name.as_str()) {
            return error(
                format!(
                    "unknown function `{name}` (known: {})",
                    FUNCTIONS.join(", ")
                ),
                Some(start),
            );
        }
        let args = self.items(")", &format!("the call of `{name}`"))?;
        Ok(node(Kind::Call(name, args), start..self.end()))
    }

    fn primary(&mut self) -> Result<Node, ExprError> {
        let offset = self.offset();
        let Some(token) = self.tokens.get(self.pos).cloned() else {
            return error("the expression ends too early", Some(offset));
        };
        self.pos += 1;
        let span = token.offset..token.end;
        match token.kind {
            TokenKind::Num(n) => Ok(node(Kind::Num(n), span)),
            TokenKind::Text(s) => Ok(node(Kind::Text(s), span)),
            TokenKind::Sym("(") => {
                let mut inner = self.or()?;
                self.expect_sym(")")?;
                // The brackets belong to the part: `(a + b)` quotes whole.
                inner.span = offset..self.end();
                Ok(inner)
            }
            TokenKind::Sym("[") => {
                let items = self.items("]", "a list")?;
                Ok(node(Kind::List(items), offset..self.end()))
            }
            TokenKind::Ident(name) if self.eat_sym("(") => self.call(name, offset),
            TokenKind::Ident(name) if name == "true" || name == "false" => {
                Ok(node(Kind::Bool(name == "true"), span))
            }
            TokenKind::Ident(name) if KEYWORDS.contains(&name.as_str()) => {
                error(format!("`{name}` needs something before it"), Some(offset))
            }
            TokenKind::Ident(name) => Ok(node(Kind::Var(name), span)),
            TokenKind::Sym(sym) => error(format!("unexpected `{sym}`"), Some(offset)),
        }
    }
}
