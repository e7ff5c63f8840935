//! `rnnlab fixedpoints`: its JSON contract on a flip-flop checkpoint the CLI trains, an LSTM's
//! `[h; c]` points on a text, and the messages for what it cannot do.

use std::path::Path;
use std::process::Command;

fn rnnlab(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_rnnlab"))
        .args(args)
        .output()
        .unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.success(), text(out.stdout), text(out.stderr))
}

fn points(json: &str) -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["points"].as_array().unwrap().clone()
}

#[test]
fn a_flipflop_checkpoint_gives_its_fixed_points_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("ff.safetensors");
    let m = model.to_str().unwrap();
    let train = "train --task flipflop --task-len 40 --cell gru --hidden 12 --batch 16 --lr 0.01 --seed 3 --steps 300 --out";
    let mut args: Vec<&str> = train.split(' ').collect();
    args.push(m);
    assert!(rnnlab(&args).0);
    let (ok, out, err) = rnnlab(&["fixedpoints", "--model", m, "--starts", "16", "--json"]);
    assert!(ok, "{err}");
    let pts = points(&out);
    assert!(!pts.is_empty());
    for p in &pts {
        assert_eq!(p["h"].as_array().unwrap().len(), 12);
        assert!(p.get("c").is_none(), "a GRU has no cell state");
        let (q, rho) = (p["q"].as_f64().unwrap(), p["max_abs_eig"].as_f64().unwrap());
        assert!((0.0..1e-9).contains(&q), "q {q}");
        assert_eq!(p["stable"].as_bool().unwrap(), rho < 1.0);
    }
    assert!(pts.iter().any(|p| p["stable"] == true));
    // The same seed, the same points.
    assert_eq!(
        rnnlab(&["fixedpoints", "--model", m, "--starts", "16", "--json"]).1,
        out
    );
    let (_, table, _) = rnnlab(&["fixedpoints", "--model", m, "--starts", "16"]);
    assert!(table.contains("fixed points with q < 1e-9"), "{table}");
}

#[test]
fn an_lstm_on_a_text_gives_h_and_c_and_bad_requests_are_explained() {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/torch/lstm_onehot_l2_b1.safetensors"
    );
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("t.txt");
    std::fs::write(&text, "hi oh hi\nho hi oh\n".repeat(20)).unwrap();
    let t = text.to_str().unwrap();
    let (ok, out, err) = rnnlab(&["fixedpoints", "--model", fixture, "--text", t, "--json"]);
    assert!(ok, "{err}");
    let pts = points(&out);
    assert!(!pts.is_empty());
    assert_eq!(
        pts[0]["c"].as_array().unwrap().len(),
        3,
        "an LSTM's state is [h; c]"
    );
    let (ok, _, err) = rnnlab(&["fixedpoints", "--model", fixture]);
    assert!(!ok && err.contains("give --text FILE"), "{err}");
    std::fs::write(&text, "xyz").unwrap();
    let (ok, _, err) = rnnlab(&["fixedpoints", "--model", fixture, "--text", t]);
    assert!(
        !ok && err.contains("not in the model's vocabulary"),
        "{err}"
    );
    let (ok, _, err) = rnnlab(&["fixedpoints", "--model", fixture, "--text", t, "--tol=-1"]);
    assert!(!ok && err.contains("--tol"), "{err}");
    assert!(Path::new(fixture).exists());
}
