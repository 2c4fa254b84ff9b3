use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = emoscope::cli::Cli::parse();
    let level = match cli.verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    // The TUI logs into its Log pane (tui-logger); everything else logs to stderr.
    if cli.command.is_some() || !emoscope::cli::interactive() {
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(level)).init();
    }
    let stdout = std::io::stdout();
    match emoscope::cli::run(cli, &mut stdout.lock()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
