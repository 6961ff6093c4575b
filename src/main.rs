//! The `secmx` binary: with no arguments (or one `*.secmx.toml` file) it opens the desktop window;
//! with a subcommand it runs the command line.
//!
//! `main` owns the tokio runtime (own the runtime: eframe keeps the main thread): the window keeps the main thread, the worker runs
//! on the runtime, and on exit the worker gets `Shutdown` and the runtime `shutdown_timeout`.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;
#[cfg(feature = "gui")]
use std::time::Duration;

/// What the arguments ask for.
enum Mode {
    /// Open the window, optionally on a design file; `true` = verbose log (`-v`).
    #[cfg_attr(not(feature = "gui"), allow(dead_code))]
    Window(Option<PathBuf>, bool),
    /// Run the command line.
    Cli,
}

fn is_verbose(a: &OsString) -> bool {
    a == "-v" || a == "--verbose"
}

fn mode(args: &[OsString]) -> Mode {
    // `secmx [-v] [FILE.toml]` opens the window; anything else is the command line's.
    let verbose = args.iter().skip(1).any(is_verbose);
    let rest: Vec<&OsString> = args.iter().filter(|a| !is_verbose(a)).collect();
    match rest.as_slice() {
        [_] => Mode::Window(None, verbose),
        [_, file] => {
            let s = file.to_string_lossy();
            if s.ends_with(".toml") && !s.starts_with('-') {
                Mode::Window(Some(PathBuf::from(file)), verbose)
            } else {
                Mode::Cli
            }
        }
        _ => Mode::Cli,
    }
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    match mode(&args) {
        Mode::Cli => {
            let stdout = std::io::stdout();
            // stderr is not held locked: a runtime thread may write to it while the command runs
            // (the Ctrl-C notice), and a lock held here would deadlock it.
            let code = secmx::cli::run(args, &mut stdout.lock(), &mut std::io::stderr());
            ExitCode::from(code)
        }
        #[cfg(not(feature = "gui"))]
        Mode::Window(..) => {
            eprintln!(
                "secmx: this build has no window (built without the `gui` feature); give a subcommand, e.g. `secmx lint FILE` (`secmx --help` lists them)"
            );
            ExitCode::from(secmx::cli::EXIT_USAGE)
        }
        #[cfg(feature = "gui")]
        Mode::Window(file, verbose) => {
            // Warnings to stderr by default; RUST_LOG or -v for more; also in View > Log.
            secmx::ui::log::init(verbose);
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("secmx-worker")
                .enable_all()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    eprintln!(
                        "secmx: cannot start the background runtime: {}",
                        secmx::model::text::escape_for_terminal(&e.to_string())
                    );
                    return ExitCode::from(secmx::cli::EXIT_USAGE);
                }
            };
            let result = secmx::ui::run(runtime.handle(), file);
            // The window sent `Shutdown` on its way out; give running tasks a moment to stop.
            runtime.shutdown_timeout(Duration::from_secs(2));
            match result {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!(
                        "secmx: cannot open the window: {}",
                        secmx::model::text::escape_for_terminal(&e.to_string())
                    );
                    eprintln!(
                        "secmx: the command line still works without a display, e.g. `secmx lint FILE`"
                    );
                    ExitCode::from(secmx::cli::EXIT_USAGE)
                }
            }
        }
    }
}
