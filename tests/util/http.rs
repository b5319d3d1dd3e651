//! HTTP against a real `pjece serve`: started on an ephemeral port with no configuration of the
//! user's, one request a connection, the answer's head parsed and a chunked body joined. Used as
//! `#[path = "util/http.rs"] mod http;` by the server tests and the browser helpers.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// `pjece serve --port 0` plus `args`, run in `home` with no `SOURCE_DATE_EPOCH` and no
/// clinic profile of the user's; its standard output is piped for [`spawn`].
pub fn serve_command(home: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pjece"));
    command
        .args(["serve", "--port", "0"])
        .args(args)
        .current_dir(home)
        .env_remove("SOURCE_DATE_EPOCH")
        .env("XDG_CONFIG_HOME", home.join("no-config"))
        .stdout(Stdio::piped());
    command
}

/// Starts `command` and reads the port from the address the server prints first.
pub fn spawn(command: &mut Command) -> (Child, u16) {
    let mut child = command.spawn().expect("pjece serve starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line
        .split("http://127.0.0.1:")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));
    (child, port)
}

/// Kills the server and returns what it wrote to its (piped) standard error.
pub fn kill_for_stderr(child: &mut Child) -> String {
    let _ = child.kill();
    let _ = child.wait();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    err
}

pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {} {}", self.status, self.text()))
    }
}

/// Sends one request to the server on `port`, with `Host: 127.0.0.1:PORT` unless `headers`
/// names another Host.
pub fn request(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Answer {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: 127.0.0.1:{port}\r\n"));
    }
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    stream.write_all(head.as_bytes()).unwrap();
    // A refused upload may close the socket before all of it is read.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete head");
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Answer {
        status,
        headers,
        body,
    }
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = raw.windows(2).position(|w| w == b"\r\n").unwrap();
        let size = usize::from_str_radix(
            std::str::from_utf8(&raw[..line_end])
                .unwrap()
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap();
        raw = &raw[line_end + 2..];
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&raw[..size]);
        raw = &raw[size + 2..];
    }
}

/// The CSRF token of the form in `page`.
pub fn csrf_token(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    page[at..].split('"').next().unwrap().to_string()
}

/// The boundary of [`multipart`]'s bodies.
pub const BOUNDARY: &str = "pjece-test-boundary-7d1e";

/// The `Content-Type` of a [`multipart`] body.
pub fn multipart_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// A multipart body: the text fields, then `file` named `file_name` of type `file_type`.
pub fn multipart(
    file_name: &str,
    file_type: &str,
    file: &[u8],
    fields: &[(&str, &str)],
) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: {file_type}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Uploads `csv` as `eksport.csv` to the batch page of the server on `port` (dated 2026-11-26)
/// and waits until it is checked: the batch's page address and its status (`/api/batch/…`).
pub fn upload_checked(port: u16, csv: &[u8]) -> (String, serde_json::Value) {
    use std::time::{Duration, Instant};
    let get = |path: &str| request(port, "GET", path, &[], b"");
    let token = csrf_token(&get("/batch").text());
    let fields = [("csrf", token.as_str()), ("date", "2026-11-26")];
    let body = multipart("eksport.csv", "text/csv", csv, &fields);
    let a = request(
        port,
        "POST",
        "/batch",
        &[("Content-Type", &multipart_type())],
        &body,
    );
    assert_eq!(a.status, 303, "{}", a.text());
    let page_url = a.header("location").unwrap().to_string();
    let start = Instant::now();
    loop {
        let s = get(&format!("/api{page_url}")).json();
        if s["state"] != "checking" {
            break (page_url, s);
        }
        assert!(start.elapsed() < Duration::from_secs(300), "{s}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// `pjece serve --no-clinic` in `home`, keeping its temporary files in `home/tmp` (for batch
/// tests that look at them), with its log piped for [`kill_for_stderr`].
pub fn spawn_with_tmp(home: &Path) -> (Child, u16) {
    let tmp = home.join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    spawn(
        serve_command(home, &["--no-clinic"])
            .env("TMPDIR", &tmp)
            .stderr(Stdio::piped()),
    )
}

/// Asserts that a checked batch's status (`/api/batch/…`) and its page list the failed rows as
/// `expected` says, in order: sheet row, column as the page names it, message.
pub fn assert_failed_rows(status: &serde_json::Value, page: &str, expected: &[(u64, &str, &str)]) {
    let escaped = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    for (i, (row, column, message)) in expected.iter().enumerate() {
        assert_eq!(status["rows"][i]["row"].as_u64(), Some(*row), "{status}");
        assert_eq!(status["rows"][i]["message"], *message, "{status}");
        let cells = format!(
            "<td>{row}</td><td>{column}</td><td>{}</td>",
            escaped(message)
        );
        assert!(page.contains(&cells), "row {row}: {page}");
    }
}
