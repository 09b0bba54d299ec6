//! The expressions inside a macro call, for the source checks: a macro's arguments are
//! tokens, which syn does not read as code. Those of `join!`, `vec!`, `format!`... are a list
//! of expressions; those of `tokio::select!` are branches (`[biased;] PAT = FUTURE [, if
//! COND] => HANDLER, ... [else => HANDLER]`), whose futures and handlers are read here too, so
//! that what a `select!` races (`read_line`, `cancelled`) counts as used.

use syn::parse::{ParseStream, Parser as _};
use syn::punctuated::Punctuated;
use syn::{Expr, Token};

/// The expressions of `mac`'s arguments: a comma-separated list, or the futures, conditions
/// and handlers of a `select!`'s branches; none when its tokens are neither.
pub fn expressions(mac: &syn::Macro) -> Vec<Expr> {
    if let Ok(args) = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated) {
        return args.into_iter().collect();
    }
    let is_select = mac
        .path
        .segments
        .last()
        .is_some_and(|s| s.ident == "select");
    if is_select && let Ok(exprs) = select_branches.parse2(mac.tokens.clone()) {
        return exprs;
    }
    Vec::new()
}

/// The futures, conditions and handlers of `select!`'s branches, in order.
fn select_branches(input: ParseStream<'_>) -> syn::Result<Vec<Expr>> {
    let mut exprs = Vec::new();
    if input
        .fork()
        .parse::<syn::Ident>()
        .is_ok_and(|i| i == "biased")
    {
        input.parse::<syn::Ident>()?;
        input.parse::<Token![;]>()?;
    }
    while !input.is_empty() {
        if input.peek(Token![else]) {
            input.parse::<Token![else]>()?;
        } else {
            syn::Pat::parse_multi_with_leading_vert(input)?;
            input.parse::<Token![=]>()?;
            exprs.push(input.parse::<Expr>()?);
            if input.peek(Token![,]) && input.peek2(Token![if]) {
                input.parse::<Token![,]>()?;
                input.parse::<Token![if]>()?;
                exprs.push(input.parse::<Expr>()?);
            }
        }
        input.parse::<Token![=>]>()?;
        // A block handler ends at its brace (no comma needed); any other at the comma.
        if input.peek(syn::token::Brace) {
            let block: syn::Block = input.parse()?;
            exprs.push(Expr::Block(syn::ExprBlock {
                attrs: Vec::new(),
                label: None,
                block,
            }));
        } else {
            exprs.push(input.parse::<Expr>()?);
        }
        if input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
        }
    }
    Ok(exprs)
}

#[cfg(test)]
mod tests {
    use quote::ToTokens as _;

    use super::*;

    fn read(text: &str) -> Vec<String> {
        let mac: syn::Macro = syn::parse_str(text).expect("a macro call");
        expressions(&mac)
            .iter()
            .map(|e| e.to_token_stream().to_string())
            .collect()
    }

    #[test]
    fn a_select_s_futures_conditions_and_handlers_are_read() {
        let exprs = read(
            "tokio::select! { biased; () = token.cancelled() => break, \
             read = reader.read_line(&mut line), if open => { answer(read) } \
             Some(c) = rx.recv() => match c { _ => () }, else => stop() }",
        );
        assert_eq!(
            exprs,
            [
                "token . cancelled ()",
                "break",
                "reader . read_line (& mut line)",
                "open",
                "{ answer (read) }",
                "rx . recv ()",
                "match c { _ => () }",
                "stop ()",
            ]
        );
    }

    #[test]
    fn a_list_of_arguments_is_read_and_other_tokens_are_not() {
        assert_eq!(read("tokio::join!(a(), b)"), ["a ()", "b"]);
        assert!(read("tokio::select! { this is not a branch }").is_empty());
        assert!(read("other! { x = y => z; w }").is_empty());
    }
}
