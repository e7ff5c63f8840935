//! The `rnnlab` command line: train, sample, evaluate and inspect character-level recurrent
//! networks. See `rnnlab --help`. (Native only: in wasm the library is the product.)

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
