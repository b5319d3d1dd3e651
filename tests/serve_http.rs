//! `pjece serve` over real HTTP: the binary on an ephemeral port, driven by a small HTTP/1.1
//! client over a TCP socket, so every header and status is the one a browser would see.

mod util;

#[path = "util/http.rs"]
mod http;

use std::process::{Child, Command, Stdio};

use http::Answer;
use util::Dir;

/// A running `pjece serve --port 0`; killed when dropped.
struct Server {
    child: Child,
    port: u16,
    _dir: Dir,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let dir = Dir::new();
        let mut args = vec!["--no-clinic"];
        args.extend_from_slice(extra);
        let (child, port) =
            http::spawn(http::serve_command(dir.root(), &args).stderr(Stdio::piped()));
        Server {
            child,
            port,
            _dir: dir,
        }
    }

    /// Sends a request with `Host: 127.0.0.1:PORT` unless `headers` names another Host.
    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
        http::request(self.port, method, path, headers, body)
    }

    fn get(&self, path: &str) -> Answer {
        self.request("GET", path, &[], b"")
    }

    fn post(&self, path: &str, content_type: &str, body: &[u8]) -> Answer {
        self.request("POST", path, &[("Content-Type", content_type)], body)
    }

    /// POSTs a urlencoded form body to `path`, with `headers` besides its Content-Type.
    fn post_urlencoded(&self, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
        let mut all = vec![("Content-Type", "application/x-www-form-urlencoded")];
        all.extend_from_slice(headers);
        self.request("POST", path, &all, body)
    }

    fn api(&self, json: &str) -> Answer {
        self.post("/api/handout", "application/json", json.as_bytes())
    }

    /// The CSRF token of a freshly served form.
    fn token(&self) -> String {
        http::csrf_token(&self.get("/").text())
    }

    fn post_form(&self, fields: &[(&str, &str)]) -> Answer {
        let body: String = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.post_urlencoded("/handout", &[], body.as_bytes())
    }

    /// Stops the server with SIGTERM and returns its exit success and standard error.
    fn stop(mut self) -> (bool, String) {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        let status = self.child.wait().unwrap();
        (status.success(), http::kill_for_stderr(&mut self.child))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn the_form_is_danish_labelled_and_sent_with_strict_headers() {
    let server = Server::start(&[]);
    let page = server.get("/");
    assert_eq!(page.status, 200);
    let html = page.text();
    util::assert_contains(&html, &["<html lang=\"da\">"]);
    let csp = page.header("content-security-policy").unwrap();
    util::assert_contains(csp, &["default-src 'none'", "script-src 'self'"]);
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    assert_eq!(page.header("cache-control"), Some("no-store"));
    assert!(!html.contains("<script>"), "no inline script");
    // Every visible input has a label naming its id.
    for chunk in html.split("<input ").skip(1) {
        let tag = &chunk[..chunk.find('>').unwrap()];
        if tag.contains("type=\"hidden\"") {
            continue;
        }
        let id = tag
            .split("id=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert!(
            html.contains(&format!("<label for=\"{id}\"")),
            "no label for {id}"
        );
    }
    // The region's advice is offered, ticked, with its lead words.
    assert!(
        html.contains("id=\"advice-hold-dig-aktiv\""),
        "lumbar advice listed"
    );
    util::assert_contains(&html, &["Hold dig fysisk aktiv"]);
    // The script and style are served under hashed names, cacheable for good.
    let js = html
        .split("<script src=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let asset = server.get(js);
    assert_eq!(asset.status, 200);
    assert!(asset.header("cache-control").unwrap().contains("immutable"));
}

#[test]
fn foreign_hosts_are_refused_and_loopback_names_accepted() {
    let server = Server::start(&[]);
    let port = server.port;
    for (host, status) in [
        (format!("127.0.0.1:{port}"), 200),
        (format!("localhost:{port}"), 200),
        (format!("[::1]:{port}"), 200),
        (format!("evil.example:{port}"), 403),
        ("evil.example".to_string(), 403),
        (format!("127.0.0.1:{}", port.wrapping_add(1)), 403),
        (format!("[::1]:{port}.evil.example"), 403),
    ] {
        let a = server.request("GET", "/", &[("Host", &host)], b"");
        assert_eq!(a.status, status, "Host: {host}");
    }
}

/// A browser sends `Origin: null` with the page's own form POST, as the page's
/// `Referrer-Policy: no-referrer` asks: with `Sec-Fetch-Site: same-origin` it is this page's
/// form (found by the browser test: "Hent PDF" was refused), without it a sandboxed frame's.
#[test]
fn the_pages_own_post_with_origin_null_is_accepted_only_as_same_origin() {
    let server = Server::start(&[]);
    let form = format!(
        "region=lumbar&csrf={}&action=download",
        encode(&server.token())
    );
    let post =
        |headers: &[(&str, &str)]| server.post_urlencoded("/handout", headers, form.as_bytes());
    let own = post(&[("Origin", "null"), ("Sec-Fetch-Site", "same-origin")]);
    assert_eq!(own.status, 200, "{}", own.text());
    assert_eq!(own.header("Content-Type"), Some("application/pdf"));
    assert_eq!(post(&[("Origin", "null")]).status, 403);
    assert_eq!(
        post(&[("Origin", "null"), ("Sec-Fetch-Site", "cross-site")]).status,
        403
    );
}

#[test]
fn cross_site_posts_and_posts_without_the_form_token_are_refused() {
    let server = Server::start(&[]);
    let token = server.token();
    let form = format!("region=lumbar&csrf={}&action=download", encode(&token));
    let post =
        |headers: &[(&str, &str)]| server.post_urlencoded("/handout", headers, form.as_bytes());
    assert_eq!(post(&[("Origin", "http://evil.example")]).status, 403);
    assert_eq!(post(&[("Sec-Fetch-Site", "cross-site")]).status, 403);
    assert_eq!(post(&[("Sec-Fetch-Site", "same-site")]).status, 403);
    let own = format!("http://127.0.0.1:{}", server.port);
    let ok = post(&[("Origin", &own), ("Sec-Fetch-Site", "same-origin")]);
    assert_eq!(ok.status, 200, "{}", ok.text());
    // The same form with a forged or missing token.
    let forged = server.post_urlencoded(
        "/handout",
        &[],
        b"region=lumbar&csrf=1.00ff&action=download",
    );
    assert_eq!(forged.status, 403);
    let none = server.post_urlencoded("/handout", &[], b"region=lumbar&action=download");
    assert_eq!(none.status, 403);
}

#[test]
fn the_api_takes_json_only_and_bounded_bodies() {
    let server = Server::start(&[]);
    let text = server.post("/api/handout", "text/plain", br#"{"region":"lumbar"}"#);
    assert_eq!(text.status, 415);
    let form = server.post_urlencoded("/api/handout", &[], b"region=lumbar");
    assert_eq!(form.status, 415);
    let big = format!(
        r#"{{"region":"lumbar","note":"{}"}}"#,
        "a".repeat(300 * 1024)
    );
    assert_eq!(server.api(&big).status, 413);
    let big_form = vec![b'a'; 300 * 1024];
    let a = server.post_urlencoded("/handout", &[], &big_form);
    assert_eq!(a.status, 413);
}

#[test]
fn the_api_pdf_is_byte_for_byte_what_pjece_build_makes() {
    let server = Server::start(&[]);
    let answer = server.api(
        r#"{"name": "Søren Ærø", "region": "nakke", "variant": "short",
            "advice": ["hold-dig-aktiv", "tag-ansvar"], "therapist": "Mette",
            "date": "2026-12-03", "note": "Gå en tur hver dag.", "goals": ["Cykle til arbejde"],
            "steps": ["Gå 10 minutter", "Gå 30 minutter"], "next": "2026-12-10 10:30",
            "large_print": true}"#,
    );
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(answer.header("content-type"), Some("application/pdf"));
    assert_eq!(
        answer.header("content-disposition"),
        Some("attachment; filename=\"pjece-nakke-2026-12-03.pdf\"")
    );
    assert_eq!(answer.header("cache-control"), Some("no-store"));
    let dir = Dir::new();
    dir.build(&[
        "--no-clinic",
        "--region",
        "nakke",
        "--short",
        "--advice",
        "hold-dig-aktiv,tag-ansvar",
        "--patient",
        "Søren Ærø",
        "--therapist",
        "Mette",
        "--date",
        "2026-12-03",
        "--note",
        "Gå en tur hver dag.",
        "--goal",
        "Cykle til arbejde",
        "--step",
        "Gå 10 minutter",
        "--step",
        "Gå 30 minutter",
        "--next",
        "2026-12-10 10:30",
        "--large-print",
        "-o",
        "h.pdf",
    ])
    .ok();
    let built = std::fs::read(dir.path("h.pdf")).unwrap();
    assert!(
        answer.body == built,
        "the API's PDF differs from pjece build's"
    );
}

#[test]
fn api_errors_name_their_keys() {
    let server = Server::start(&[]);
    let a = server.api(r#"{"region": "knæ", "colour": "red", "large_print": "ja"}"#);
    assert_eq!(a.status, 422);
    let v: serde_json::Value = serde_json::from_slice(&a.body).unwrap();
    let fields = util::json::strings_at(&v["errors"], "field");
    assert_eq!(fields, ["colour", "region", "large_print"]);
    // The library's own checks come back at their key too, without echoing the value.
    let long = "x".repeat(120);
    let a = server.api(&format!(r#"{{"region": "lænd", "name": "{long}"}}"#));
    assert_eq!(a.status, 422);
    let v: serde_json::Value = serde_json::from_slice(&a.body).unwrap();
    assert_eq!(v["errors"][0]["field"], "name");
    assert!(!a.text().contains(&long));
    let a = server.api(r#"{"region": "lumbar", "advice": ["findes-ikke"]}"#);
    let v: serde_json::Value = serde_json::from_slice(&a.body).unwrap();
    assert_eq!(
        (a.status, v["errors"][0]["field"].as_str()),
        (422, Some("advice"))
    );
}

#[test]
fn the_form_downloads_prints_and_shows_errors_at_their_fields() {
    let server = Server::start(&[]);
    let token = server.token();
    let base = [
        ("csrf", token.as_str()),
        ("region", "cervical"),
        ("variant", "full"),
        ("audience", "patient"),
        ("advice-for", "cervical-full"),
        ("advice", "hold-dig-aktiv"),
        ("advice", "tag-ansvar"),
        ("advice", "vaer-taalmodig"),
        ("date", "2026-12-03"),
        ("goals", "Cykle til arbejde"),
        ("next-date", "2026-12-10"),
        ("next-time", "10:30"),
    ];
    let mut download = base.to_vec();
    download.push(("action", "download"));
    let a = server.post_form(&download);
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(
        a.header("content-disposition"),
        Some("attachment; filename=\"pjece-nakke-2026-12-03.pdf\"")
    );
    assert!(a.body.starts_with(b"%PDF-"));
    let mut print = base.to_vec();
    print.push(("action", "print"));
    let a = server.post_form(&print);
    assert_eq!(
        a.header("content-disposition")
            .map(|d| d.starts_with("inline;")),
        Some(true)
    );

    let long = "Æ".repeat(90);
    let mut bad = base.to_vec();
    bad.extend([
        ("patient", long.as_str()),
        ("next-time", "25:99"),
        ("action", "download"),
    ]);
    let a = server.post_form(&bad);
    assert_eq!(a.status, 422);
    let html = a.text();
    assert!(
        html.contains("href=\"#next-time\""),
        "the summary links the field"
    );
    util::assert_contains(
        &html,
        &[
            "id=\"next-time-error\"",
            "Klokkeslættet skal skrives som TT:MM",
        ],
    );
    // Typed values are kept.
    assert!(html.contains(&long) && html.contains("value=\"25:99\""));
    // The library's check of the name, once the form's own are fixed.
    let mut bad = base.to_vec();
    bad.extend([("patient", long.as_str()), ("action", "download")]);
    let html = server.post_form(&bad).text();
    util::assert_contains(
        &html,
        &["href=\"#patient\"", "Patientens navn er 90 tegn lang"],
    );
}

#[test]
fn the_log_has_one_line_a_request_and_no_patient_data() {
    let server = Server::start(&[]);
    let name = "Bodil Testesen";
    let token = server.token();
    server.post_form(&[
        ("csrf", &token),
        ("region", "lumbar"),
        ("patient", name),
        ("action", "download"),
    ]);
    server.api(&format!(r#"{{"region": "lumbar", "name": "{name}"}}"#));
    server.api(&format!(
        r#"{{"region": "lumbar", "name": "{}"}}"#,
        "Bodil ".repeat(30)
    ));
    server.get(&format!("/?name={}", encode(name)));
    let (ok, log) = server.stop();
    assert!(ok, "SIGTERM stops the server cleanly");
    util::assert_lacks(&log, &["Bodil"]);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 5, "{log}");
    assert!(lines[1].starts_with("POST /handout 200 "), "{log}");
    assert!(lines[3].starts_with("POST /api/handout 422 "), "{log}");
}

#[test]
fn a_non_loopback_bind_is_refused() {
    let dir = Dir::new();
    let run = dir.run(&["serve", "--bind", "0.0.0.0", "--port", "0", "--no-clinic"]);
    assert_eq!(run.output.status.code(), Some(1));
    util::assert_contains(&run.stderr(), &["reverse proxy"]);
}
