//! Running the `rnnlab` binary from a test crate (`#[path = "common/run.rs"] mod run;`): kept
//! apart from `common` because only the native test crates have the binary.

// Every test crate compiles its own copy and uses only part of it.
#![allow(dead_code)]

use std::process::Command;

/// What a run printed, and its exit code.
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the binary with `args`.
pub fn rnnlab<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Out {
    let o = Command::new(env!("CARGO_BIN_EXE_rnnlab"))
        .args(args)
        .output()
        .expect("the binary runs");
    Out {
        code: o.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(o.stdout).unwrap(),
        stderr: String::from_utf8(o.stderr).unwrap(),
    }
}

/// Runs and expects success.
pub fn ok<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Out {
    let o = rnnlab(args);
    assert_eq!(o.code, 0, "stdout: {}\nstderr: {}", o.stdout, o.stderr);
    o
}

/// Runs and expects exit code `code` with every word of `words` in stderr (case-insensitive).
pub fn fails<S: AsRef<std::ffi::OsStr>>(args: &[S], code: i32, words: &[&str]) -> String {
    let o = rnnlab(args);
    assert_eq!(o.code, code, "stdout: {}\nstderr: {}", o.stdout, o.stderr);
    let err = o.stderr.to_lowercase();
    for w in words {
        assert!(
            err.contains(&w.to_lowercase()),
            "{w:?} missing from stderr: {}",
            o.stderr
        );
    }
    assert!(!err.contains("panicked"), "{}", o.stderr);
    o.stderr
}
