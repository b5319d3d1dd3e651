//! The router driven without a socket (tower's `oneshot`): the routes' answers and the form's
//! rules. What needs real HTTP (the binary, its log, its bind) is in tests/serve_http.rs.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use super::{AppState, app};

const PORT: u16 = 8080;

fn state() -> AppState {
    AppState::new(pjece::Engine::embedded().unwrap(), PORT).unwrap()
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn send(state: &AppState, request: Request<Body>) -> Answer {
    let response = app(state.clone()).oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    Answer {
        status: parts.status,
        headers: parts.headers,
        body: body.collect().await.unwrap().to_bytes().to_vec(),
    }
}

async fn get(state: &AppState, path: &str) -> Answer {
    let request = Request::get(path)
        .header(header::HOST, format!("127.0.0.1:{PORT}"))
        .body(Body::empty())
        .unwrap();
    send(state, request).await
}

/// A form POST with this server's token.
async fn post_form(state: &AppState, path: &str, fields: &[(&str, &str)]) -> Answer {
    let mut body = form_urlencoded::Serializer::new(String::new());
    body.append_pair("csrf", &state.guard().token());
    for (k, v) in fields {
        body.append_pair(k, v);
    }
    let request = Request::post(path)
        .header(header::HOST, format!("127.0.0.1:{PORT}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body.finish()))
        .unwrap();
    send(state, request).await
}

#[tokio::test]
async fn the_form_page_is_danish_html_with_strict_headers() {
    let a = get(&state(), "/").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.text().contains(r#"<html lang="da">"#));
    assert_eq!(a.headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(a.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(
        a.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("script-src 'self'")
    );
}

#[tokio::test]
async fn the_advice_list_follows_the_region_and_unknown_paths_are_404() {
    let s = state();
    let neck = get(&s, "/advice?region=cervical&variant=short").await;
    assert_eq!(neck.status, StatusCode::OK);
    assert!(
        neck.text().contains(r#"data-key="cervical-short""#),
        "{}",
        neck.text()
    );
    assert_eq!(get(&s, "/nowhere").await.status, StatusCode::NOT_FOUND);
    let foreign = Request::get("/")
        .header(header::HOST, "evil.example")
        .body(Body::empty())
        .unwrap();
    assert_eq!(send(&s, foreign).await.status, StatusCode::FORBIDDEN);
}

/// The therapist's guide prints none of the patient's fields: a form sent with one filled in
/// (the page's script disables them; without it they are sent) gets an error at each.
#[tokio::test]
async fn patient_fields_sent_for_the_guide_are_errors_at_their_fields() {
    let s = state();
    let a = post_form(
        &s,
        "/handout",
        &[
            ("region", "lumbar"),
            ("audience", "therapist"),
            ("patient", "Karin Holm"),
            ("note", "Husk øvelserne"),
            ("next-date", "2026-12-03"),
            ("ladder", "ja"),
            ("action", "download"),
        ],
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = a.text();
    for (id, message) in [
        (
            "patient",
            "Patientens navn kommer ikke med i samtaleguiden.",
        ),
        ("note", "Noten kommer ikke med i samtaleguiden."),
        ("next-date", "Næste tid kommer ikke med i samtaleguiden."),
        ("steps", "Samtaleguiden har ingen trappe med trin."),
    ] {
        assert!(
            page.contains(&format!("href=\"#{id}\">{message}")),
            "{id}: {page}"
        );
    }
    // What was typed is kept, to clear or to switch back to the patient's handout.
    assert!(page.contains("Husk øvelserne"));

    // The preview says the same, as JSON at the fields.
    let preview = post_form(
        &s,
        "/preview",
        &[
            ("region", "lumbar"),
            ("audience", "therapist"),
            ("goals", "Gå"),
        ],
    )
    .await;
    let json: serde_json::Value = serde_json::from_slice(&preview.body).unwrap();
    assert_eq!(json["errors"][0]["field"], "goals", "{json}");
}

/// The guide from the page as the script sends it: the advice list all ticked, the patient's
/// fields disabled (absent). The therapist's name and the date still count.
#[tokio::test]
async fn the_guide_from_the_form_is_a_pdf() {
    let s = state();
    let ids = s.0.advice_ids(
        pjece::content::Region::Cervical,
        pjece::content::Variant::Full,
    );
    let mut fields = vec![
        ("region", "cervical"),
        ("audience", "therapist"),
        ("therapist", "Jens Berg"),
        ("advice-for", "cervical-full"),
        ("action", "download"),
    ];
    fields.extend(ids.iter().map(|id| ("advice", id.as_str())));
    let a = post_form(&s, "/handout", &fields).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(
        a.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("samtaleguide-nakke-")
    );
    // One piece left out is a choice the guide cannot make.
    fields.retain(|(_, v)| *v != ids[0]);
    let a = post_form(&s, "/handout", &fields).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.text().contains("Samtaleguiden viser altid alle råd"));
}
