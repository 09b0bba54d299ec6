//! The checker inside the editor: a real rust-analyzer, driven over LSP (JSON-RPC on stdio) on
//! a copy of the course with the check command of the shipped `.vscode/settings.json`. Saving
//! a sequential `wait_n` puts the checker's headline under the line the terminal's "Edit:"
//! points at; saving the fix takes it away. rust-analyzer missing fails the test
//! (`rustup component add rust-analyzer`, as .ci/setup does).

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Loading the copy, and its first build (the course's dependencies), may take a while.
const FIRST_CHECK: Duration = Duration::from_secs(600);
/// A later check builds one package and runs one lesson's cases.
const CHECK: Duration = Duration::from_secs(300);

const LESSON: &str = "exercises/src/06_wait_n.rs";

const SEQUENTIAL: &str = "    let mut delays = Vec::new();
    for _ in 0..n {
        delays.push(wait_random(max_delay).await);
    }
    delays";

const CONCURRENT: &str = "    let mut set = JoinSet::new();
    for _ in 0..n {
        set.spawn(wait_random(max_delay));
    }
    let mut delays = Vec::with_capacity(n);
    while let Some(joined) = set.join_next().await {
        delays.push(joined.expect(\"a wait finished\"));
    }
    delays";

/// A language server on stdio: requests and notifications out, messages in (on a thread).
struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: u64,
    /// Every message read so far, for the failure message.
    log: Vec<String>,
}

impl Server {
    fn start(course: &Path) -> Server {
        let version = Command::new("rust-analyzer").arg("--version").output();
        match version {
            Ok(out) if out.status.success() => {}
            other => panic!(
                "rust-analyzer is needed for this test (`rustup component add rust-analyzer`, as .ci/setup does): {other:?}"
            ),
        }
        let mut child = Command::new("rust-analyzer")
            .current_dir(course)
            .env("CARGO_TARGET_DIR", common::target_of(course))
            .env("NO_COLOR", "1")
            // The checks it runs draw what the tests' own runs draw (checker/src/seed.rs).
            .env(checker::seed::SEED_ENV, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("rust-analyzer starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 {
                        return;
                    }
                    let header = header.trim_end();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(n) = header.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let message: Value = serde_json::from_slice(&body).expect("JSON-RPC body");
                if send.send(message).is_err() {
                    return;
                }
            }
        });
        Server {
            child,
            stdin,
            messages,
            next_id: 1,
            log: Vec::new(),
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn request(&mut self, method: &str, params: Value) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Reads messages until `wanted` accepts one (answering the server's own requests with
    /// `null` meanwhile); panics after `limit`, with what was read.
    fn until(&mut self, limit: Duration, what: &str, mut wanted: impl FnMut(&Value) -> bool) {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let message = match self.messages.recv_timeout(left) {
                Ok(message) => message,
                Err(RecvTimeoutError::Timeout) => panic!(
                    "no {what} from rust-analyzer in {limit:?}; it said:\n{}",
                    self.log.join("\n")
                ),
                Err(RecvTimeoutError::Disconnected) => panic!(
                    "rust-analyzer ended before {what}; it said:\n{}",
                    self.log.join("\n")
                ),
            };
            let mut shown = message.to_string();
            shown.truncate(2000);
            self.log.push(shown);
            if let (Some(id), Some(_)) = (message.get("id"), message.get("method")) {
                self.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));
            }
            if wanted(&message) {
                return;
            }
        }
    }
}

impl Server {
    /// Every message that comes within `time`.
    fn drain(&mut self, time: Duration) -> Vec<Value> {
        let deadline = Instant::now() + time;
        let mut messages = Vec::new();
        while let Ok(message) = self
            .messages
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            messages.push(message);
        }
        messages
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The checker's diagnostics (not rust-analyzer's own) of a `publishDiagnostics` for `uri`.
fn checker_diagnostics(message: &Value, uri: &str) -> Option<Vec<Value>> {
    (message["method"] == "textDocument/publishDiagnostics" && message["params"]["uri"] == uri)
        .then(|| {
            message["params"]["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["source"] != "rust-analyzer")
                .cloned()
                .collect()
        })
}

/// Whether `message` says a check (rust-analyzer's flycheck: our command) has ended.
fn check_ended(message: &Value) -> bool {
    message["method"] == "$/progress"
        && message["params"]["value"]["kind"] == "end"
        && message["params"]["token"]
            .as_str()
            .is_some_and(|t| t.contains("flycheck") || t.contains("cargo"))
}

/// Writes the lesson with `body` in place of its `todo!()`; returns its text.
fn write_lesson(course: &Path, body: &str) -> String {
    let path = course.join(LESSON);
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replacen("    todo!()", body, 1);
    std::fs::write(&path, &text).unwrap();
    text
}

/// `text` with every digit masked: delays are random from one run to the next.
/// `text` with every number masked as a whole (`4.66` and `3.533` alike): the delays are
/// random unless both runs share a seed.
fn masked(text: &str) -> String {
    checker::text::numbers::mask_numbers(text)
}

/// The shipped check command, with the checker built for the tests in place of `cargo run`.
fn check_command() -> Vec<String> {
    let settings = std::fs::read_to_string(common::root().join(".vscode/settings.json")).unwrap();
    let settings: Value = serde_json::from_str(&settings).expect(".vscode/settings.json is JSON");
    let command: Vec<String> = settings["rust-analyzer.check.overrideCommand"]
        .as_array()
        .expect("the settings give rust-analyzer.check.overrideCommand")
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    let after = command
        .iter()
        .position(|a| a == "--")
        .expect("`cargo run ... -- ARGS`");
    assert!(command.contains(&"$saved_file".to_string()), "{command:?}");
    let checker = assert_cmd::cargo::cargo_bin("checker");
    std::iter::once(checker.display().to_string())
        .chain(command[after + 1..].iter().cloned())
        .collect()
}

#[test]
fn a_saved_lesson_shows_its_verdict_under_its_line_and_the_fix_takes_it_away() {
    let course = common::copy_workspace();
    let root = course.path().canonicalize().unwrap();
    // Lesson 5's `wait_random`, which `wait_n` calls, done.
    std::fs::copy(
        root.join("solutions/src/05_wait_random.rs"),
        root.join("exercises/src/05_wait_random.rs"),
    )
    .unwrap();
    let text = write_lesson(&root, SEQUENTIAL);

    // What the terminal says: the headline, and the line "Edit:" points at.
    let human = common::checker()
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", common::target_of(&root))
        .args(["wait_n", "--no-timeline"])
        .output()
        .unwrap();
    let human = String::from_utf8_lossy(&human.stdout).to_string();
    let edit = format!("Edit: {LESSON}:");
    let line: u64 = human
        .lines()
        .find_map(|l| l.trim().strip_prefix(&edit))
        .and_then(|l| l.parse().ok())
        .unwrap_or_else(|| panic!("no `{edit}LINE` in the report:\n{human}"));
    assert_eq!(
        text.lines().nth(line as usize - 1).map(str::trim_start),
        Some("pub async fn wait_n(n: usize, max_delay: u64) -> Vec<f64> {"),
        "{human}"
    );

    let mut server = Server::start(&root);
    let root_uri = format!("file://{}", root.display());
    server.request(
        "initialize",
        json!({
            "processId": std::process::id(),
            "rootUri": root_uri,
            "capabilities": {
                "window": {"workDoneProgress": true},
                "textDocument": {"publishDiagnostics": {}},
                "experimental": {"serverStatusNotification": true},
            },
            "initializationOptions": {
                "check": {"overrideCommand": check_command()},
                "checkOnSave": true,
                "cargo": {"buildScripts": {"enable": false}},
                "procMacro": {"enable": false},
                "cachePriming": {"enable": false},
            },
        }),
    );
    server.until(FIRST_CHECK, "answer to initialize", |m| m["id"] == 1);
    server.notify("initialized", json!({}));
    server.until(FIRST_CHECK, "loaded workspace", |m| {
        m["method"] == "experimental/serverStatus" && m["params"]["quiescent"] == true
    });

    let uri = format!("file://{}", root.join(LESSON).display());
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "rust", "version": 1, "text": text}}),
    );
    server.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    let mut shown = Vec::new();
    server.until(
        FIRST_CHECK,
        "the checker's diagnostic",
        |m| match checker_diagnostics(m, &uri) {
            Some(diagnostics) if !diagnostics.is_empty() => {
                shown = diagnostics;
                true
            }
            _ => false,
        },
    );
    let verdict = shown
        .iter()
        .find(|d| {
            d["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("ran one after another"))
        })
        .unwrap_or_else(|| panic!("no `ran one after another` among {shown:#?}"));
    // rust-analyzer adds the notes under the headline; the delays are random, run to run.
    let message = verdict["message"].as_str().unwrap();
    let headline = message.lines().next().unwrap();
    assert!(
        masked(&human).contains(&format!("    {}\n", masked(headline))),
        "`{headline}` is not in the terminal's report:\n{human}"
    );
    assert!(
        message.contains("case: five delays up to 5 s, concurrent and in completion order"),
        "{message}"
    );
    assert_eq!(verdict["range"]["start"]["line"], line - 1, "{verdict:#}");
    assert_eq!(verdict["severity"], 1, "an error: {verdict:#}");

    // The fix, saved: once its check has ended, the file has no verdict left.
    let fixed = text.replace(SEQUENTIAL, CONCURRENT);
    std::fs::write(root.join(LESSON), &fixed).unwrap();
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    server.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    let mut last: Option<Vec<Value>> = None;
    let mut ended = false;
    server.until(CHECK, "the fix's check to end with no verdict", |m| {
        if let Some(diagnostics) = checker_diagnostics(m, &uri) {
            last = Some(diagnostics);
        }
        ended |= check_ended(m);
        ended && last.as_ref().is_some_and(Vec::is_empty)
    });
    // Nothing comes back after the check's end.
    for message in server.drain(Duration::from_secs(3)) {
        let diagnostics = checker_diagnostics(&message, &uri).unwrap_or_default();
        assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    }
}

#[test]
fn a_compile_error_goes_to_the_editor_as_rustc_gave_it() {
    let copy = common::broken_copy(LESSON, "    todo!()", "    Vec::neww()");
    let saved = copy.path().join(LESSON);
    let output = common::checker()
        .current_dir(copy.path())
        .env("CARGO_TARGET_DIR", common::target_of(copy.path()))
        .args(["diagnostics", "--saved"])
        .arg(&saved)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let messages: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let error = messages
        .iter()
        .find(|m| m["reason"] == "compiler-message")
        .unwrap_or_else(|| panic!("no compiler message:\n{stdout}"));
    // cargo's own message: its package id and rustc's code, explanation and columns.
    assert!(
        error["package_id"].as_str().unwrap().contains("exercises"),
        "{error:#}"
    );
    assert_eq!(error["message"]["code"]["code"], "E0599", "{error:#}");
    let span = &error["message"]["spans"][0];
    assert_eq!(span["file_name"], LESSON);
    assert_eq!(span["column_start"], 10, "{span:#}");
    assert_eq!(
        messages.last().unwrap(),
        &json!({"reason": "build-finished", "success": false})
    );
}

#[test]
fn diagnostics_write_to_stdout_only_and_say_so() {
    let out = common::checker()
        .args(["diagnostics", "--output", "exercises/src/01_say_hello.rs"])
        .assert()
        .failure();
    let said = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(said.contains("--format cargo-json --output FILE"), "{said}");
}
