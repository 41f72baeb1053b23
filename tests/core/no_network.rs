//! Clipfile never opens a network connection: no HTTP or socket client is in its dependency tree.

use std::process::Command;

#[test]
fn no_http_client_in_the_dependency_tree() {
    let out = Command::new(env!("CARGO"))
        .args([
            "tree",
            "--offline",
            "--locked",
            "-e",
            "normal",
            "--prefix",
            "none",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo tree");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8_lossy(&out.stdout);
    assert!(tree.lines().count() > 50, "the tree was listed");
    let clients = [
        "reqwest ",
        "hyper ",
        "ureq ",
        "curl ",
        "isahc ",
        "attohttpc ",
        "surf ",
        "h2 ",
        "tokio-tungstenite ",
        "tungstenite ",
        "native-tls ",
        "rustls ",
    ];
    for line in tree.lines() {
        for client in clients {
            assert!(
                !line.starts_with(client),
                "network client in the dependency tree: {line}"
            );
        }
    }
}
