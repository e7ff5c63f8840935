//! The `rnnlab` command line: train, sample, evaluate and inspect character-level recurrent
//! networks. See `rnnlab --help`.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
