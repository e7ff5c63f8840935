//! The `rnnlab` command line (placeholder until the CLI lands).
fn main() {
    eprintln!("rnnlab: the CLI is not built yet");
    std::process::exit(2);
}
