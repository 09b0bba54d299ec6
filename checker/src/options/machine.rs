//! What the machine and the environment say, read once ([`Machine::detect`]), and the
//! decisions made from it alone: the cores, a class batch's workers, how stdout shows a report.

use crate::os::sandbox;
use crate::report::style::{ColorChoice, Style, Terminal};
use crate::supervise::CaseProcesses;

/// What the machine and the environment say, read once ([`Machine::detect`]): the inputs of
/// [`Options::resolve`](super::Options::resolve) that are not on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Machine {
    /// Cores the checker may use.
    pub cores: usize,
    /// Which standard streams are terminals.
    pub terminal: Streams,
    /// Whether `NO_COLOR` is set (and not empty).
    pub no_color: bool,
    /// Columns of the terminal on stdout, when it is one and says.
    pub width: Option<usize>,
    /// Whether the terminal on stdout is known to show OSC 8 hyperlinks.
    pub hyperlinks: bool,
    /// Whether the locale says UTF-8 (`LC_ALL`, `LC_CTYPE`, `LANG`); Windows terminals do.
    pub utf8: bool,
    /// How cases' processes start (`ASYNCLINGS_CASE_PROCESS`).
    pub case_processes: CaseProcesses,
    /// What sandbox the kernel offers.
    pub sandbox: sandbox::Capabilities,
}

/// Which of the standard streams are terminals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Streams {
    /// Standard input: keys can be read from a person.
    pub stdin: bool,
    /// Standard output: the report is read by a person.
    pub stdout: bool,
    /// Standard error: a progress indicator can be drawn.
    pub stderr: bool,
}

impl Machine {
    /// This machine and this process's environment and streams.
    pub fn detect() -> Self {
        use std::io::IsTerminal as _;
        let stdout = std::io::stdout().is_terminal();
        Self {
            cores: cores(),
            terminal: Streams {
                stdin: std::io::stdin().is_terminal(),
                stdout,
                stderr: std::io::stderr().is_terminal(),
            },
            no_color: !crate::report::style::no_color_unset(),
            width: stdout.then(crate::report::style::current_width).flatten(),
            hyperlinks: stdout && crate::report::style::hyperlinks_supported(),
            utf8: crate::report::style::utf8_locale(),
            case_processes: CaseProcesses::from_env(),
            sandbox: sandbox::Capabilities::probe(),
        }
    }
}

/// The cores the checker may use (2 when the OS does not say).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

/// The workers of a class's batch (`grade-many`, `bench class`) when not given: the `cores`,
/// at most 4 (each build is parallel itself), at least 1.
pub fn class_jobs(cores: usize) -> usize {
    cores.clamp(1, 4)
}

/// How stdout shows a report for `--color` `color` on `machine`: its colours and whether it
/// draws with block characters (where the locale says UTF-8, a file or a pipe too), and what
/// its terminal can do (width, progress bar, hyperlinks; [`Terminal::none`] for a file or a
/// pipe). Decided once, by [`Options::resolve`](super::Options::resolve) or at the top of a command without a session.
pub fn stdout_of(color: ColorChoice, machine: &Machine) -> (Style, Terminal) {
    let style = Style {
        color: color.enabled_on(machine.terminal.stdout, machine.no_color),
        unicode: machine.utf8,
    };
    let terminal = if machine.terminal.stdout {
        Terminal {
            width: machine.width,
            bar: true,
            // A plain-text request (`NO_COLOR`, `--color never`) gets plain paths too.
            hyperlinks: style.color && machine.hyperlinks,
        }
    } else {
        Terminal::none()
    };
    (style, terminal)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A machine with 8 cores, every stream a terminal, `NO_COLOR` unset.
    pub(in crate::options) const TERMINAL: Machine = Machine {
        cores: 8,
        terminal: Streams {
            stdin: true,
            stdout: true,
            stderr: true,
        },
        no_color: false,
        width: Some(100),
        hyperlinks: true,
        utf8: true,
        case_processes: CaseProcesses::Served,
        sandbox: FULL_SANDBOX,
    };

    /// A kernel with all the sandbox needs (Landlock ABI 6, seccomp), the checker not root.
    pub(in crate::options) const FULL_SANDBOX: sandbox::Capabilities = sandbox::Capabilities {
        landlock_abi: Some(6),
        seccomp: true,
        root: false,
        sandbox: true,
    };

    #[test]
    fn stdout_shows_what_its_terminal_can_only_on_a_terminal() {
        let terminal = |color: ColorChoice, machine: &Machine| stdout_of(color, machine).1;
        let full = terminal(ColorChoice::Auto, &TERMINAL);
        assert_eq!(
            full,
            Terminal {
                width: Some(100),
                bar: true,
                hyperlinks: true
            }
        );
        // Plain text asked for: plain paths too, but still wrapped, with a bar.
        let plain = terminal(ColorChoice::Never, &TERMINAL);
        assert!(!plain.hyperlinks && plain.bar && plain.width == Some(100));
        let piped = Machine {
            terminal: Streams::default(),
            ..TERMINAL
        };
        assert_eq!(terminal(ColorChoice::Always, &piped), Terminal::none());
    }

    #[test]
    fn a_class_batch_takes_the_cores_up_to_4() {
        assert_eq!(class_jobs(8), 4);
        assert_eq!(class_jobs(3), 3);
        assert_eq!(class_jobs(0), 1);
    }
}
