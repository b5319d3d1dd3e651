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

    /// The value of the header `name`, which must be there and be text.
    fn header(&self, name: header::HeaderName) -> &str {
        self.headers[name].to_str().unwrap()
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
    let policy = a.header(header::CONTENT_SECURITY_POLICY);
    assert!(policy.contains("script-src 'self'"), "{policy}");
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
    let disposition = a.header(header::CONTENT_DISPOSITION);
    assert!(disposition.contains("samtaleguide-nakke-"), "{disposition}");
    // One piece left out is a choice the guide cannot make.
    fields.retain(|(_, v)| *v != ids[0]);
    let a = post_form(&s, "/handout", &fields).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.text().contains("Samtaleguiden viser altid alle råd"));
}

/// A multipart POST of `pdf` to /reissue, with `token` (this server's, unless given).
async fn reissue(state: &AppState, pdf: &[u8], token: Option<&str>) -> Answer {
    let boundary = "----pjece-test-boundary";
    let token = token.map_or_else(|| state.guard().token(), String::from);
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"pdf\"; filename=\"pjece.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(pdf);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let request = Request::post("/reissue")
        .header(header::HOST, format!("127.0.0.1:{PORT}"))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    send(state, request).await
}

/// A neck handout of today with three pieces of advice, a goal, steps, the next appointment
/// in two weeks, a QR address and large print.
fn neck_choices(s: &AppState) -> pjece::select::Choices {
    use pjece::content::{Region, Variant};
    let ids = s.0.advice_ids(Region::Cervical, Variant::Full);
    let today = super::today::today();
    let mut c = pjece::select::Choices::new(Region::Cervical, today);
    c.advice = Some(vec![ids[0].clone(), ids[2].clone(), ids[4].clone()]);
    c.patient = Some("Karin Holm".into());
    c.therapist = Some("Jens Berg".into());
    c.note = Some("Husk pauserne".into());
    c.goals = vec!["Gå en tur hver dag".into()];
    c.steps = vec!["Gå 10 minutter".into(), "Gå 30 minutter".into()];
    c.next = Some(
        today
            .checked_add(jiff::ToSpan::days(14))
            .unwrap()
            .at(10, 30, 0, 0),
    );
    c.qr_url = Some("https://example.org/ovelser".into());
    c.large_print = true;
    c
}

/// The form that a handout fills is the one that makes it again, dated today.
#[tokio::test]
async fn a_handout_sent_back_fills_the_form_with_its_choices_and_todays_date() {
    let s = state();
    let choices = neck_choices(&s);
    let pdf = s.0.pdf(&choices).unwrap();
    let a = reissue(&s, &pdf, None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let page = a.text();
    let today = super::today::today().to_string();
    for wanted in [
        r#"id="region-cervical" value="cervical" checked"#.to_string(),
        r#"id="patient" name="patient" value="Karin Holm""#.into(),
        r#"id="therapist" name="therapist" value="Jens Berg""#.into(),
        format!(r#"id="date" name="date" value="{today}""#),
        format!(
            r#"id="next-date" name="next-date" value="{}""#,
            choices.next.unwrap().date()
        ),
        r#"id="next-time" name="next-time" value="10:30""#.into(),
        r#"id="qr" name="qr" value="https://example.org/ovelser""#.into(),
        r#"id="large-print" value="ja" checked"#.into(),
        ">Gå en tur hver dag</textarea>".into(),
        ">Gå 10 minutter\nGå 30 minutter</textarea>".into(),
        ">Husk pauserne</textarea>".into(),
        "Formularen er udfyldt fra pjecen, med dagens dato".into(),
    ] {
        assert!(page.contains(&wanted), "{wanted:?} not in the page");
    }
    // The notice says the date in Danish words (`30. november 2026`), never as ISO.
    let months = [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ];
    let t = super::today::today();
    let in_words = format!(
        "dato ({}. {} {})",
        t.day(),
        months[t.month() as usize - 1],
        t.year()
    );
    assert!(page.contains(&in_words), "{in_words:?} not in the page");
    assert!(
        !page.contains(&format!("dato ({today})")),
        "an ISO date in the notice"
    );
    let ticked: Vec<&str> = page
        .split(r#"name="advice" id="advice-"#)
        .skip(1)
        .filter(|rest| rest.split('>').next().unwrap().ends_with(" checked"))
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    assert_eq!(
        Some(ticked.iter().map(|s| s.to_string()).collect()),
        choices.advice
    );
}

/// An old handout's next appointment has passed: the form is filled, and the library's rule
/// is an error at the field, as for any input.
#[tokio::test]
async fn a_handout_whose_next_appointment_has_passed_fills_the_form_with_an_error_there() {
    let s = state();
    let mut choices = neck_choices(&s);
    choices.date = jiff::civil::date(2025, 3, 2);
    choices.next = pjece::dates::parse_appointment("2025-03-16 10:30");
    let pdf = s.0.pdf(&choices).unwrap();
    let a = reissue(&s, &pdf, None).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = a.text();
    assert!(
        page.contains(
            r#"value="2025-03-16" aria-describedby="next-date-error" aria-invalid="true""#
        ),
        "{page}"
    );
    assert!(page.contains(r##"href="#next-date">Næste tid ligger før pjecens dato"##));
    assert!(page.contains(r#"id="patient" name="patient" value="Karin Holm""#));
}

/// The form's values from a handout give back the same choices, but for the date.
#[test]
fn choices_to_form_values_and_back_are_the_same() {
    use super::form::Submitted;
    let s = state();
    let mut choices = neck_choices(&s);
    choices.omit = vec!["prognosis".into()];
    let valid = s.0.advice_ids(choices.region, choices.variant);
    let today = jiff::civil::date(2026, 11, 30);
    let form = Submitted::from_choices(&choices, today, valid);
    let again = form.choices(today, |r, v| s.0.advice_ids(r, v)).unwrap();
    choices.date = today;
    // Choices has no PartialEq: its Debug form shows every field.
    assert_eq!(format!("{again:?}"), format!("{choices:?}"));
    // All the advice (no list) stays "all" and is not written out as a list.
    choices.advice = None;
    let form = Submitted::from_choices(
        &choices,
        today,
        s.0.advice_ids(choices.region, choices.variant),
    );
    let again = form.choices(today, |r, v| s.0.advice_ids(r, v)).unwrap();
    assert_eq!(again.advice, None);
}

#[tokio::test]
async fn a_foreign_a_cut_off_and_a_non_pdf_file_are_clear_errors_at_the_file_input() {
    let s = state();
    let pdf = s.0.pdf(&neck_choices(&s)).unwrap();
    // A PDF of another program: the same handout without pjece's record.
    let mut doc = lopdf::Document::load_mem(&pdf).unwrap();
    doc.catalog_mut().unwrap().remove(b"PieceInfo");
    let mut foreign = Vec::new();
    doc.save_to(&mut foreign).unwrap();
    for (file, message) in [
        (foreign, "Denne PDF er ikke lavet af pjece"),
        (pdf[..pdf.len() / 2].to_vec(), "PDF-filen er ikke hel"),
        ("Kære Karin".as_bytes().to_vec(), "Filen er ikke en PDF."),
        (Vec::new(), "Vælg en PDF-fil først."),
    ] {
        let a = reissue(&s, &file, None).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        let page = a.text();
        assert!(
            page.contains(r#"<p class="error" id="reissue-file-error">"#),
            "{page}"
        );
        assert!(page.contains(message), "{message}: {page}");
        assert!(page.contains(r#"aria-invalid="true""#));
    }
}

#[tokio::test]
async fn a_file_over_the_limit_is_413_and_a_post_without_the_token_403() {
    let s = state();
    let big = vec![b'%'; super::reissue::REISSUE_LIMIT + 1];
    let a = reissue(&s, &big, None).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(a.text().contains("Filen er for stor"), "{}", a.text());
    let pdf = s.0.pdf(&neck_choices(&s)).unwrap();
    let a = reissue(&s, &pdf, Some("1.00ff")).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(!a.text().contains("Karin"));
}
